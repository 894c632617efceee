//! The content stream interpreter: graphics and text state, text-showing operators → glyphs
//! with their boxes, path painting → ruling lines, images counted.

use crate::font::Font;
use crate::{Glyph, Limits, PdfError, Rule};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// An affine matrix `[a b c d e f]` as PDF writes it: `(x, y) → (a x + c y + e, b x + d y + f)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix([f32; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub(crate) fn new(m: [f32; 6]) -> Matrix {
        Matrix(m)
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` applied first, then `then`.
    fn then(self, then: Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// How much the matrix scales lengths (the square root of its determinant's size).
    fn scale(self) -> f32 {
        let [a, b, c, d, ..] = self.0;
        (a * d - b * c).abs().sqrt()
    }
}

#[derive(Debug, Clone)]
struct State {
    ctm: Matrix,
    line_width: f32,
    stroke_visible: bool,
    fill_visible: bool,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    /// The text rendering mode (`Tr`): 3 draws nothing, 7 only clips.
    render_mode: i64,
}

/// What one page's content gives.
#[derive(Debug, Default)]
pub(crate) struct Output {
    pub glyphs: Vec<Glyph>,
    /// Characters drawn so that no reader sees them: invisible (`3 Tr`, an OCR layer's way),
    /// or white where nothing was painted under them. Read only when the page shows next
    /// to no text of its own (a scan with its OCR text).
    pub hidden: Vec<Glyph>,
    /// Areas painted in a colour (not white), larger than a rule: white text on them shows.
    fills: Vec<Rule>,
    pub rules: Vec<Rule>,
    pub images: u32,
    pub image_area: f32,
    pub unknown_codes: u32,
}

/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Deepest `q` nesting kept (deeper saves are counted but not stored).
const MAX_SAVE_DEPTH: usize = 256;
/// A rectangle this thin or thinner (in points) is a ruling line when filled.
const RULE_THICKNESS: f32 = 3.0;
/// Painted areas kept per page, to tell white text on colour from white text on white.
const MAX_FILLS: usize = 4096;

pub(crate) struct Interpreter<'a> {
    doc: &'a Document,
    limits: &'a Limits,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// Operations left for the whole document.
    pub(crate) budget: u64,
    out: Output,
    forms: Vec<ObjectId>,
}

impl<'a> Interpreter<'a> {
    pub(crate) fn new(doc: &'a Document, limits: &'a Limits) -> Interpreter<'a> {
        Interpreter {
            doc,
            limits,
            fonts: HashMap::new(),
            budget: limits.max_operations,
            out: Output::default(),
            forms: Vec::new(),
        }
    }

    /// Interpret one page's content with `device` mapping user space to the page's top-down
    /// coordinates.
    pub(crate) fn page(
        &mut self,
        content: &[u8],
        resources: &[&'a Dictionary],
        device: Matrix,
    ) -> Result<Output, PdfError> {
        self.out = Output::default();
        let state = State {
            ctm: device,
            line_width: 1.0,
            stroke_visible: true,
            fill_visible: true,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
        };
        self.run(content, resources, state)?;
        Ok(std::mem::take(&mut self.out))
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: &[&'a Dictionary],
        initial: State,
    ) -> Result<(), PdfError> {
        let mut state = initial;
        let mut saved: Vec<State> = Vec::new();
        let mut unsaved_depth = 0usize;
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut path = Path::default();
        for op in Content::decode_iter(content) {
            // A content stream that breaks off is read up to the break, as viewers do.
            let Ok(op) = op else { break };
            if self.budget == 0 {
                return Err(PdfError::TooLarge(format!(
                    "more than {} drawing operations",
                    self.limits.max_operations
                )));
            }
            self.budget -= 1;
            let o = &op.operands;
            match op.operator.as_str() {
                "q" => {
                    if saved.len() < MAX_SAVE_DEPTH {
                        saved.push(state.clone());
                    } else {
                        unsaved_depth += 1;
                    }
                }
                "Q" => {
                    if unsaved_depth > 0 {
                        unsaved_depth -= 1;
                    } else if let Some(s) = saved.pop() {
                        state = s;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix(o) {
                        state.ctm = m.then(state.ctm);
                    }
                }
                "w" => state.line_width = num(o, 0).unwrap_or(1.0),
                "G" | "g" | "RG" | "rg" | "K" | "k" | "SC" | "sc" | "SCN" | "scn" => {
                    let visible = visible_colour(&op.operator, o);
                    if op.operator.chars().next().is_some_and(char::is_uppercase) {
                        state.stroke_visible = visible;
                    } else {
                        state.fill_visible = visible;
                    }
                }
                "CS" => state.stroke_visible = true,
                "cs" => state.fill_visible = true,
                // Text objects and state.
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "ET" => {}
                "Tf" => {
                    state.size = num(o, 1).unwrap_or(0.0);
                    state.font = o
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .map(|n| self.font(resources, n));
                }
                "Tc" => state.char_spacing = num(o, 0).unwrap_or(0.0),
                "Tw" => state.word_spacing = num(o, 0).unwrap_or(0.0),
                "Tz" => state.hscale = num(o, 0).unwrap_or(100.0) / 100.0,
                "TL" => state.leading = num(o, 0).unwrap_or(0.0),
                "Ts" => state.rise = num(o, 0).unwrap_or(0.0),
                "Tr" => state.render_mode = o.first().and_then(|m| m.as_i64().ok()).unwrap_or(0),
                "Td" | "TD" => {
                    let (x, y) = (num(o, 0).unwrap_or(0.0), num(o, 1).unwrap_or(0.0));
                    if op.operator == "TD" {
                        state.leading = -y;
                    }
                    tlm = Matrix::translate(x, y).then(tlm);
                    tm = tlm;
                }
                "Tm" => {
                    if let Some(m) = matrix(o) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -state.leading).then(tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(s) = o.first().and_then(string) {
                        self.show(&state, &mut tm, s);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" {
                        state.word_spacing = num(o, 0).unwrap_or(state.word_spacing);
                        state.char_spacing = num(o, 1).unwrap_or(state.char_spacing);
                    }
                    tlm = Matrix::translate(0.0, -state.leading).then(tlm);
                    tm = tlm;
                    if let Some(s) = o.last().and_then(string) {
                        self.show(&state, &mut tm, s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&state, &mut tm, s),
                                other => {
                                    if let Some(adjust) = number(other) {
                                        let shift = -adjust / 1000.0 * state.size;
                                        let vertical =
                                            state.font.as_ref().is_some_and(|f| f.vertical);
                                        tm = if vertical {
                                            Matrix::translate(0.0, shift)
                                        } else {
                                            Matrix::translate(shift * state.hscale, 0.0)
                                        }
                                        .then(tm);
                                    }
                                }
                            }
                        }
                    }
                }
                // Paths.
                "m" => {
                    if let (Some(x), Some(y)) = (num(o, 0), num(o, 1)) {
                        path.move_to(state.ctm.apply(x, y));
                    }
                }
                "l" => {
                    if let (Some(x), Some(y)) = (num(o, 0), num(o, 1)) {
                        path.line_to(state.ctm.apply(x, y));
                    }
                }
                "c" | "v" | "y" => {
                    let n = o.len();
                    if n >= 2
                        && let (Some(x), Some(y)) = (num(o, n - 2), num(o, n - 1))
                    {
                        path.curve_to(state.ctm.apply(x, y));
                    }
                }
                "h" => path.close(),
                "re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) =
                        (num(o, 0), num(o, 1), num(o, 2), num(o, 3))
                    {
                        let m = state.ctm;
                        path.move_to(m.apply(x, y));
                        path.line_to(m.apply(x + w, y));
                        path.line_to(m.apply(x + w, y + h));
                        path.line_to(m.apply(x, y + h));
                        path.close();
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                    let stroke =
                        matches!(op.operator.as_str(), "S" | "s" | "B" | "B*" | "b" | "b*");
                    let fill = matches!(
                        op.operator.as_str(),
                        "f" | "F" | "f*" | "B" | "B*" | "b" | "b*"
                    );
                    if matches!(op.operator.as_str(), "s" | "b" | "b*") {
                        path.close();
                    }
                    if stroke && state.stroke_visible {
                        let width = (state.line_width * state.ctm.scale()).max(0.1);
                        path.stroke_rules(width, &mut self.out.rules);
                    }
                    if fill && state.fill_visible {
                        path.fill_rules(&mut self.out.rules);
                        if self.out.fills.len() < MAX_FILLS {
                            path.fill_areas(&mut self.out.fills);
                        }
                    }
                    path = Path::default();
                }
                "W" | "W*" => {}
                // Images and forms.
                "BI" => self.image(state.ctm),
                "Do" => {
                    if let Some(name) = o.first().and_then(|n| n.as_name().ok()) {
                        self.xobject(resources, name, &state)?;
                    }
                }
                _ => {}
            }
            if self.out.glyphs.len() + self.out.hidden.len() > self.limits.max_glyphs {
                return Err(PdfError::TooLarge(format!(
                    "more than {} characters on a page",
                    self.limits.max_glyphs
                )));
            }
        }
        Ok(())
    }

    /// Show a string: one glyph per code, the text matrix advanced.
    fn show(&mut self, state: &State, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font) = state.font.clone() else {
            return;
        };
        let size = state.size;
        for code in font.decode(bytes) {
            let trm = Matrix([size * state.hscale, 0.0, 0.0, size, 0.0, state.rise])
                .then(*tm)
                .then(state.ctm);
            let em = font.em;
            let (x0, y0, x1, y1) = if font.vertical {
                (-0.5 * em, -em, 0.5 * em, 0.0)
            } else {
                (0.0, -0.2 * em, code.width.max(0.3 * em), 0.8 * em)
            };
            let corners = [
                trm.apply(x0, y0),
                trm.apply(x1, y0),
                trm.apply(x0, y1),
                trm.apply(x1, y1),
            ];
            let (mut bx0, mut by0, mut bx1, mut by1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for (x, y) in corners {
                bx0 = bx0.min(x);
                by0 = by0.min(y);
                bx1 = bx1.max(x);
                by1 = by1.max(y);
            }
            let text = match code.text {
                Some(t) => crate::cmap::fold_radicals(t),
                None => {
                    self.out.unknown_codes += 1;
                    "\u{FFFD}".to_owned()
                }
            };
            // The direction of the glyph's baseline on the page, y growing downward.
            let [a, b, ..] = trm.0;
            let turn = if a.abs() >= b.abs() {
                if a >= 0.0 { 0 } else { 2 }
            } else if b > 0.0 {
                1
            } else {
                3
            };
            // Text set at a slant (more than 10° off the page's axes) is a watermark or a
            // stamp, never the report's tables: left out, or its digits join the cells it
            // crosses.
            let slanted = a.abs().min(b.abs()) > 0.18 * a.abs().max(b.abs());
            if !slanted && bx0.is_finite() && by0.is_finite() && bx1.is_finite() && by1.is_finite()
            {
                let painted = match state.render_mode {
                    0 | 4 => state.fill_visible,
                    1 | 5 => state.stroke_visible,
                    2 | 6 => state.fill_visible || state.stroke_visible,
                    // 3 and 7 paint nothing.
                    _ => false,
                };
                let (cx, cy) = ((bx0 + bx1) / 2.0, (by0 + by1) / 2.0);
                // White text shows on a painted area (a shaded header cell), not on the page.
                let seen = painted
                    || (matches!(state.render_mode, 0..=2 | 4..=6)
                        && self
                            .out
                            .fills
                            .iter()
                            .any(|f| f.x0 <= cx && cx <= f.x1 && f.y0 <= cy && cy <= f.y1));
                let out = if seen {
                    &mut self.out.glyphs
                } else {
                    &mut self.out.hidden
                };
                out.push(Glyph {
                    text,
                    x0: bx0,
                    y0: by0,
                    x1: bx1,
                    y1: by1,
                    vertical: font.vertical,
                    turn,
                });
            }
            let spacing = state.char_spacing
                + if code.is_space {
                    state.word_spacing
                } else {
                    0.0
                };
            *tm = if font.vertical {
                Matrix::translate(0.0, -(em * size) + spacing)
            } else {
                Matrix::translate((code.width * size + spacing) * state.hscale, 0.0)
            }
            .then(*tm);
        }
    }

    fn font(&mut self, resources: &[&'a Dictionary], name: &[u8]) -> Rc<Font> {
        let doc = self.doc;
        for res in resources.iter().rev() {
            let Some(fonts) = lookup(doc, res, b"Font").and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            let Ok(entry) = fonts.get(name) else { continue };
            if let Object::Reference(id) = entry {
                if let Some(font) = self.fonts.get(id) {
                    return font.clone();
                }
                let font = Rc::new(
                    doc.get_dictionary(*id)
                        .map_or_else(|_| Font::unknown(), |d| Font::load(doc, d)),
                );
                self.fonts.insert(*id, font.clone());
                return font;
            }
            if let Object::Dictionary(d) = entry {
                return Rc::new(Font::load(doc, d));
            }
        }
        Rc::new(Font::unknown())
    }

    fn image(&mut self, ctm: Matrix) {
        self.out.images += 1;
        // An image fills the unit square of its user space.
        let (x0, y0) = ctm.apply(0.0, 0.0);
        let (x1, y1) = ctm.apply(1.0, 1.0);
        let area = ((x1 - x0) * (y1 - y0)).abs();
        if area.is_finite() {
            self.out.image_area += area;
        }
    }

    fn xobject(
        &mut self,
        resources: &[&'a Dictionary],
        name: &[u8],
        state: &State,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        let found = resources.iter().rev().find_map(|res| {
            let xobjects = lookup(doc, res, b"XObject")?.as_dict().ok()?;
            match xobjects.get(name).ok()? {
                Object::Reference(id) => Some((Some(*id), doc.get_object(*id).ok()?)),
                other => Some((None, other)),
            }
        });
        let Some((id, Object::Stream(stream))) = found else {
            return Ok(());
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or_default();
        if subtype == b"Image" {
            self.image(state.ctm);
            return Ok(());
        }
        if subtype != b"Form"
            || self.forms.len() >= MAX_FORM_DEPTH
            || id.is_some_and(|id| self.forms.contains(&id))
        {
            return Ok(());
        }
        let Ok(content) = stream.decompressed_content_with_limit(self.limits.max_stream_bytes)
        else {
            return Ok(());
        };
        let mut inner = state.clone();
        if let Some(m) = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|m| m.as_array().ok())
            .and_then(|a| matrix(a))
        {
            inner.ctm = m.then(inner.ctm);
        }
        let mut scope: Vec<&'a Dictionary> = resources.to_vec();
        if let Some(own) = lookup(doc, &stream.dict, b"Resources").and_then(|o| o.as_dict().ok()) {
            scope.push(own);
        }
        self.forms.push(id.unwrap_or((0, 0)));
        let result = self.run(&content, &scope, inner);
        self.forms.pop();
        result
    }
}

/// A dictionary entry, references followed.
pub(crate) fn lookup<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    doc.dereference(dict.get(key).ok()?).ok().map(|(_, o)| o)
}

#[derive(Debug, Default)]
struct Path {
    subpaths: Vec<Subpath>,
}

#[derive(Debug, Default)]
struct Subpath {
    points: Vec<(f32, f32)>,
    closed: bool,
    curved: bool,
}

/// Points kept in one path at the most (a path drawing a map or a chart is no table rule).
const MAX_PATH_POINTS: usize = 100_000;

impl Path {
    fn points(&self) -> usize {
        self.subpaths.iter().map(|s| s.points.len()).sum()
    }

    fn move_to(&mut self, p: (f32, f32)) {
        if self.points() < MAX_PATH_POINTS {
            self.subpaths.push(Subpath {
                points: vec![p],
                ..Subpath::default()
            });
        }
    }

    fn line_to(&mut self, p: (f32, f32)) {
        if self.points() >= MAX_PATH_POINTS {
            return;
        }
        match self.subpaths.last_mut() {
            Some(s) if !s.closed => s.points.push(p),
            _ => self.move_to(p),
        }
    }

    fn curve_to(&mut self, p: (f32, f32)) {
        self.line_to(p);
        if let Some(s) = self.subpaths.last_mut() {
            s.curved = true;
        }
    }

    fn close(&mut self) {
        if let Some(s) = self.subpaths.last_mut() {
            s.closed = true;
        }
    }

    /// Stroked straight, axis-parallel segments are rules `width` thick.
    fn stroke_rules(&self, width: f32, rules: &mut Vec<Rule>) {
        for s in self.subpaths.iter().filter(|s| !s.curved) {
            let mut segments: Vec<((f32, f32), (f32, f32))> =
                s.points.windows(2).map(|w| (w[0], w[1])).collect();
            if s.closed && s.points.len() > 2 {
                segments.push((s.points[s.points.len() - 1], s.points[0]));
            }
            for (a, b) in segments {
                let half = width / 2.0;
                if (a.1 - b.1).abs() < 0.5 && (a.0 - b.0).abs() > 0.5 {
                    rules.push(Rule::new(
                        a.0.min(b.0),
                        a.1 - half,
                        a.0.max(b.0),
                        a.1 + half,
                    ));
                } else if (a.0 - b.0).abs() < 0.5 && (a.1 - b.1).abs() > 0.5 {
                    rules.push(Rule::new(
                        a.0 - half,
                        a.1.min(b.1),
                        a.0 + half,
                        a.1.max(b.1),
                    ));
                }
            }
        }
    }

    /// The boxes of filled shapes larger than a rule: painted areas.
    fn fill_areas(&self, areas: &mut Vec<Rule>) {
        for s in self.subpaths.iter().filter(|s| s.points.len() >= 3) {
            let (x0, x1) = s.points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                (lo.min(p.0), hi.max(p.0))
            });
            let (y0, y1) = s.points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                (lo.min(p.1), hi.max(p.1))
            });
            if (x1 - x0).min(y1 - y0) > RULE_THICKNESS {
                areas.push(Rule::new(x0, y0, x1, y1));
            }
        }
    }

    /// Filled thin shapes are rules (rectangles, or the bevelled quadrilaterals browsers
    /// draw for cell borders); larger fills are shading, not lines.
    fn fill_rules(&self, rules: &mut Vec<Rule>) {
        for s in self
            .subpaths
            .iter()
            .filter(|s| !s.curved && (3..=10).contains(&s.points.len()))
        {
            let (x0, x1) = s.points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                (lo.min(p.0), hi.max(p.0))
            });
            let (y0, y1) = s.points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                (lo.min(p.1), hi.max(p.1))
            });
            let (w, h) = (x1 - x0, y1 - y0);
            if w.min(h) <= RULE_THICKNESS && w.max(h) > 1.0 {
                rules.push(Rule::new(x0, y0, x1, y1));
            }
        }
    }
}

/// A numeric operand or array entry (non-finite reals are no number).
pub(crate) fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r).filter(|r| r.is_finite()),
        _ => None,
    }
}

fn num(operands: &[Object], i: usize) -> Option<f32> {
    operands.get(i).and_then(number)
}

fn matrix(o: &[Object]) -> Option<Matrix> {
    if o.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, v) in m.iter_mut().zip(o) {
        *slot = number(v)?;
    }
    Some(Matrix(m))
}

fn string(o: &Object) -> Option<&[u8]> {
    match o {
        Object::String(s, _) => Some(s),
        _ => None,
    }
}

/// False for white (paint that draws no visible line on a white page); true otherwise,
/// patterns and unknown colour spaces included.
fn visible_colour(operator: &str, o: &[Object]) -> bool {
    let values: Vec<f32> = o.iter().filter_map(number).collect();
    match (operator.to_ascii_lowercase().as_str(), values.as_slice()) {
        ("g", [g]) => *g < 0.95,
        ("rg", [r, g, b]) => r.min(*g).min(*b) < 0.95,
        ("k", [c, m, y, k]) => c.max(*m).max(*y).max(*k) > 0.05,
        ("sc" | "scn", [g]) => *g < 0.95,
        ("sc" | "scn", [r, g, b]) => r.min(*g).min(*b) < 0.95,
        _ => true,
    }
}
