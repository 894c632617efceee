//! Text with positions and the ruling lines of tables, read from PDF files in pure Rust.
//!
//! [`read`] loads a PDF (lopdf's object model: cross-reference repair, object streams,
//! decryption with the empty user password) and interprets each page's content streams
//! with its own text state, so every glyph comes out with its box on the page:
//!
//! * simple fonts (TrueType, Type 1, Type 3) through `/ToUnicode` or their encoding;
//! * composite fonts (Type 0) with `Identity-H` and `Identity-V` (vertical writing) through
//!   `/ToUnicode`, and without `/ToUnicode` through the predefined CJK CMaps (`UniGB-UCS2-H`,
//!   `UniGB-UTF16-H`, `GBK-EUC-H` and their relatives), whose codes are Unicode or GBK;
//! * ruling lines from stroked segments and thin filled rectangles, white paint ignored;
//! * images counted, so a scanned page (images, no text) can be told from an empty one.
//!
//! Coordinates are in points from the top-left corner of the page as read, `y` growing
//! downward: `/Rotate` applied, and a page whose text mostly runs sideways or upside down
//! turned so that it reads left to right (a table printed sideways, a `/Rotate` its content
//! does not make up for), as a reader turns the paper.
//!
//! ```
//! let err = xxgk_pdf::read(b"%PDF-1.7\n%broken", &xxgk_pdf::Limits::default()).unwrap_err();
//! assert!(matches!(err, xxgk_pdf::PdfError::Malformed(_)));
//! ```
//!
//! Reading untrusted files is bounded: stream sizes, operations, characters and pages have
//! [`Limits`], and a panic inside the PDF library is caught and returned as
//! [`PdfError::Internal`].

mod cmap;
mod content;
mod font;
pub mod layout;

use content::{Interpreter, Matrix, lookup};
use lopdf::{Document, LoadOptions, Object};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One character as placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The text of the character code (usually one character; a ligature gives more;
    /// U+FFFD when the font gives no way to know it).
    pub text: String,
    /// Left edge of the glyph's box.
    pub x0: f32,
    /// Top edge of the glyph's box.
    pub y0: f32,
    /// Right edge of the glyph's box.
    pub x1: f32,
    /// Bottom edge of the glyph's box.
    pub y1: f32,
    /// Set by fonts that write vertically (glyphs advance downward).
    pub vertical: bool,
    /// How far the character is turned on the page, in quarter turns clockwise: 0 upright,
    /// 1 reading top to bottom (a page printed sideways), 2 upside down, 3 reading bottom
    /// to top.
    pub turn: u8,
}

impl Glyph {
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }

    /// Height of the box.
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
}

/// A ruling line: a thin box, horizontal when wider than tall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Left edge.
    pub x0: f32,
    /// Top edge.
    pub y0: f32,
    /// Right edge (not left of `x0`).
    pub x1: f32,
    /// Bottom edge (not above `y0`).
    pub y1: f32,
}

impl Rule {
    /// A rule from its box (any corner order).
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Rule {
        Rule {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    /// Whether the rule runs left to right.
    pub fn is_horizontal(&self) -> bool {
        self.x1 - self.x0 >= self.y1 - self.y0
    }
}

/// One page as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Width as read (`/Rotate` applied, turned upright), in points.
    pub width: f32,
    /// Height as read (`/Rotate` applied, turned upright), in points.
    pub height: f32,
    /// Characters in content-stream order.
    pub glyphs: Vec<Glyph>,
    /// Ruling lines.
    pub rules: Vec<Rule>,
    /// Images drawn (image XObjects and inline images).
    pub images: u32,
    /// Their area on the page, in square points (overlaps counted twice).
    pub image_area: f32,
    /// Character codes whose text the fonts do not give.
    pub unknown_codes: u32,
}

/// A PDF as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Pdf {
    /// The pages read, in document order (at most [`Limits::max_pages`]).
    pub pages: Vec<Page>,
    /// The file was encrypted (with an empty user password, so it could be read).
    pub encrypted: bool,
    /// Pages the page tree names that could not be read: a damaged or truncated file (the
    /// page objects missing from [`Pdf::pages`], or their content missing and read blank).
    pub unread_pages: u32,
}

/// Bounds on the work one file may cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes any one stream may decompress to.
    pub max_stream_bytes: usize,
    /// Pages read at the most.
    pub max_pages: usize,
    /// Content stream operations for the whole file.
    pub max_operations: u64,
    /// Characters on one page.
    pub max_glyphs: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_stream_bytes: 64 * 1024 * 1024,
            max_pages: 2_000,
            max_operations: 20_000_000,
            max_glyphs: 500_000,
        }
    }
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// Not a readable PDF: damaged beyond repair, or not a PDF at all.
    Malformed(String),
    /// Encrypted with a user password: it cannot be opened without it.
    PasswordRequired,
    /// Over one of the [`Limits`].
    TooLarge(String),
    /// The PDF library failed unexpectedly on this file.
    Internal(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Malformed(why) => write!(f, "not a readable PDF: {why}"),
            PdfError::PasswordRequired => f.write_str(
                "the PDF is encrypted and needs a password to open; save an unprotected copy",
            ),
            PdfError::TooLarge(why) => write!(f, "the PDF is too large to read: {why}"),
            PdfError::Internal(why) => {
                write!(f, "the PDF could not be read (internal error: {why})")
            }
        }
    }
}

impl std::error::Error for PdfError {}

/// Read every page of a PDF.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Pdf, PdfError> {
    // lopdf returns errors for what it knows to be wrong, but a crafted file can still reach
    // a panic in it or in its decoders: one bad file must not take a batch down.
    catch_unwind(AssertUnwindSafe(|| read_unguarded(bytes, limits))).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        Err(PdfError::Internal(why))
    })
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<Pdf, PdfError> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            PdfError::TooLarge(format!(
                "a stream decompresses to more than {} bytes",
                limits.max_stream_bytes
            ))
        }
        lopdf::Error::InvalidPassword => PdfError::PasswordRequired,
        other => PdfError::Malformed(other.to_string()),
    })?;
    let encrypted = doc.trailer.get(b"Encrypt").is_ok();
    if encrypted && !doc.was_encrypted() {
        // lopdf tried the empty user password; without it nothing can be decrypted.
        return Err(PdfError::PasswordRequired);
    }
    let page_ids: Vec<_> = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1))
        .collect();
    if page_ids.len() > limits.max_pages {
        return Err(PdfError::TooLarge(format!(
            "more than {} pages",
            limits.max_pages
        )));
    }
    if page_ids.is_empty() {
        return Err(PdfError::Malformed("the document has no pages".to_owned()));
    }
    // Pages the page tree names that the file does not hold (cut short).
    let mut unread_pages = missing_kids(&doc);
    let mut interpreter = Interpreter::new(&doc, limits);
    let mut pages = Vec::with_capacity(page_ids.len());
    for (index, id) in page_ids.into_iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let Ok(dict) = doc.get_dictionary(id) else {
            // A page object that is there but no page (a missing one is counted above).
            if doc.get_object(id).is_ok() {
                unread_pages += 1;
            }
            continue;
        };
        if contents_missing(&doc, dict) {
            unread_pages += 1;
        }
        let (device, width, height) = device_space(&doc, id);
        let content = match doc.get_page_content_with_limit(id, limits.max_stream_bytes) {
            Ok(content) => content,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                return Err(PdfError::TooLarge(format!(
                    "page {number}'s content decompresses to more than {} bytes",
                    limits.max_stream_bytes
                )));
            }
            Err(_) => {
                unread_pages += 1;
                Vec::new()
            }
        };
        let mut resources = Vec::new();
        if let Ok((direct, ids)) = doc.get_page_resources(id) {
            // Nearest last: lookups search from the end.
            for rid in ids.iter().rev() {
                if let Ok(d) = doc.get_dictionary(*rid) {
                    resources.push(d);
                }
            }
            if let Some(d) = direct {
                resources.push(d);
            }
        }
        let _ = dict;
        let mut out = interpreter.page(&content, &resources, device)?;
        // Text no reader sees: a scan's OCR layer is the page's text; beside text the page
        // shows, it is what is hidden from readers (a different copy, a white 0 in a blank
        // cell), not read.
        let text = |glyphs: &[Glyph]| glyphs.iter().filter(|g| !g.text.trim().is_empty()).count();
        if text(&out.glyphs) * 5 < text(&out.hidden) {
            out.glyphs.append(&mut out.hidden);
        }
        let mut page = Page {
            number,
            width,
            height,
            glyphs: out.glyphs,
            rules: out.rules,
            images: out.images,
            image_area: out.image_area,
            unknown_codes: out.unknown_codes,
        };
        turn_upright(&mut page);
        pages.push(page);
    }
    Ok(Pdf {
        pages,
        encrypted,
        unread_pages: u32::try_from(unread_pages).unwrap_or(u32::MAX),
    })
}

/// Turn a page whose text mostly runs other than left to right so that it does: a table
/// printed sideways on a portrait page, or a `/Rotate` that the content does not make up
/// for. Readers turn the paper; a page read as displayed would have every line a column.
/// Characters that still run another way are left out.
fn turn_upright(page: &mut Page) {
    let mut counts = [0usize; 4];
    for g in &page.glyphs {
        if !g.text.trim().is_empty() {
            counts[usize::from(g.turn & 3)] += 1;
        }
    }
    let (turn, most) =
        (1..4).map(|t| (t, counts[t])).fold(
            (0, counts[0]),
            |best, c| {
                if c.1 > best.1 { c } else { best }
            },
        );
    if turn != 0 && most > 0 {
        turn_page(page, turn);
    }
    // What runs another way than the page's text is a watermark, a stamp or a margin note,
    // not the report's tables: its characters would join the lines and cells they cross.
    page.glyphs.retain(|g| g.turn == 0);
}

/// Turn `page` back by `turn` quarter turns.
fn turn_page(page: &mut Page, turn: usize) {
    let (w, h) = (page.width, page.height);
    // The point (x, y) of the page as displayed, on the page turned back by `turn` quarters.
    let back = |x: f32, y: f32| match turn {
        1 => (y, w - x),
        2 => (w - x, h - y),
        _ => (h - y, x),
    };
    let turned = |x0: f32, y0: f32, x1: f32, y1: f32| {
        let (a, b) = (back(x0, y0), back(x1, y1));
        (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1))
    };
    for g in &mut page.glyphs {
        (g.x0, g.y0, g.x1, g.y1) = turned(g.x0, g.y0, g.x1, g.y1);
        g.turn = (g.turn + 4 - turn as u8) & 3;
    }
    for r in &mut page.rules {
        (r.x0, r.y0, r.x1, r.y1) = turned(r.x0, r.y0, r.x1, r.y1);
    }
    if turn != 2 {
        (page.width, page.height) = (h, w);
    }
}

/// References in the page tree's `/Kids` to objects the file does not hold: pages a file cut
/// short has lost (not its declared `/Count`, which producers get wrong). Each node is visited
/// once, a bounded number in all.
fn missing_kids(doc: &Document) -> usize {
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok())
    else {
        return 0;
    };
    let mut missing = 0;
    let mut stack = vec![root];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if seen.len() > 100_000 || !seen.insert(id) {
            continue;
        }
        let Ok(kids) = doc
            .get_dictionary(id)
            .and_then(|d| d.get(b"Kids"))
            .and_then(Object::as_array)
        else {
            continue;
        };
        for kid in kids.iter().filter_map(|k| k.as_reference().ok()) {
            if doc.get_object(kid).is_ok() {
                stack.push(kid);
            } else {
                missing += 1;
            }
        }
    }
    missing
}

/// Whether a page's `/Contents` names a stream the file does not hold (cut short, or its
/// cross-references lost it): the page reads blank, but it was not.
fn contents_missing(doc: &Document, page: &lopdf::Dictionary) -> bool {
    let missing = |o: &Object| {
        o.as_reference().is_ok_and(|id| match doc.get_object(id) {
            Err(_) => true,
            // Data the file could not give (its `/Length` names no number, the bytes run
            // past the end): lopdf leaves it empty. A stream that says it is empty is one.
            Ok(Object::Stream(stream)) => {
                stream.content.is_empty()
                    && stream
                        .dict
                        .get(b"Length")
                        .and_then(|l| doc.dereference(l))
                        .and_then(|(_, l)| l.as_i64())
                        .map_or(true, |length| length != 0)
            }
            Ok(_) => false,
        })
    };
    match page.get(b"Contents") {
        Ok(Object::Array(parts)) => parts.iter().any(missing),
        Ok(o) => missing(o),
        Err(_) => false,
    }
}

/// The matrix from a page's user space to its displayed, top-down coordinates, and the
/// displayed size.
fn device_space(doc: &Document, page: lopdf::ObjectId) -> (Matrix, f32, f32) {
    let inherited = |key: &[u8]| -> Option<&Object> {
        let mut id = page;
        for _ in 0..32 {
            let dict = doc.get_dictionary(id).ok()?;
            if let Some(v) = lookup(doc, dict, key) {
                return Some(v);
            }
            id = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
        }
        None
    };
    let rect: Vec<f32> = inherited(b"CropBox")
        .or_else(|| inherited(b"MediaBox"))
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .filter_map(|v| doc.dereference(v).ok().and_then(|(_, o)| o.as_float().ok()))
                .collect()
        })
        .filter(|v: &Vec<f32>| v.len() == 4 && v.iter().all(|x| x.is_finite()))
        .unwrap_or_else(|| vec![0.0, 0.0, 612.0, 792.0]);
    let (x0, y0) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
    let (x1, y1) = (rect[0].max(rect[2]), rect[1].max(rect[3]));
    let rotate = inherited(b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate {
        90 => (Matrix::new([0.0, 1.0, 1.0, 0.0, -y0, -x0]), h, w),
        180 => (Matrix::new([-1.0, 0.0, 0.0, 1.0, x1, -y0]), w, h),
        270 => (Matrix::new([0.0, -1.0, -1.0, 0.0, y1, x1]), h, w),
        _ => (Matrix::new([1.0, 0.0, 0.0, -1.0, -x0, y1]), w, h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(x: f32, y: f32, turn: u8) -> Glyph {
        Glyph {
            text: "1".to_owned(),
            x0: x,
            y0: y,
            x1: x + 5.0,
            y1: y + 10.0,
            vertical: false,
            turn,
        }
    }

    fn page(glyphs: Vec<Glyph>) -> Page {
        Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
            rules: vec![Rule::new(0.0, 100.0, 600.0, 100.5)],
            images: 0,
            image_area: 0.0,
            unknown_codes: 0,
        }
    }

    /// A page turns only when most of its text runs another way; what runs another way
    /// than the page then (a stamp, a sideways watermark) is left out.
    #[test]
    fn a_page_turns_when_most_of_its_text_does() {
        let mut upright = page(vec![
            glyph(10.0, 20.0, 0),
            glyph(20.0, 20.0, 0),
            glyph(5.0, 5.0, 1),
        ]);
        let mut expected = upright.clone();
        expected.glyphs.pop();
        turn_upright(&mut upright);
        assert_eq!(upright, expected);

        let mut sideways = page(vec![
            glyph(10.0, 20.0, 0),
            glyph(5.0, 5.0, 1),
            glyph(5.0, 15.0, 1),
        ]);
        turn_upright(&mut sideways);
        assert_eq!((sideways.width, sideways.height), (800.0, 600.0));
        // (x, y) on the page as displayed is (y, width - x) on the page turned back.
        assert_eq!(sideways.glyphs.len(), 2);
        let g = &sideways.glyphs[0];
        assert_eq!(
            (g.x0, g.y0, g.x1, g.y1, g.turn),
            (5.0, 590.0, 15.0, 595.0, 0)
        );
        let r = sideways.rules[0];
        assert_eq!((r.x0, r.y0, r.x1, r.y1), (100.0, 0.0, 100.5, 600.0));
    }
}
