//! Pages of glyphs and rules → blocks in reading order: tables whose cells come from the
//! ruling lines (so a blank cell is known to be blank), and lines of text elsewhere.
//!
//! * Rules that touch form a table; its column and row boundaries are the distinct
//!   positions of its vertical and horizontal rules, and two neighbouring grid cells are one
//!   merged cell where no rule separates them. Rules that make one column are a frame (a page
//!   border, a box), not a table.
//! * A glyph belongs to the cell its centre falls in. A cell's lines are read top to bottom,
//!   each left to right; wrapped lines join without a space (Chinese text and numbers wrapped
//!   digit by digit), so a cell reads as it was typed.
//! * Text outside tables is grouped into lines; a line's runs are split at wide gaps (a table
//!   drawn without lines keeps its columns as separate runs).
//! * Page furniture is dropped: page numbers (`-3-`, `第3页`, `3/6`) and lines repeated in the
//!   top or bottom margin of several pages.
//! * A table that ends a page and one that starts the next with the same outer edges are one
//!   table; header rows repeated at the top of the continuation are dropped.

use crate::{Glyph, Page, Rule};

/// A run of text on one line, with its horizontal extent.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The run's text, in reading order.
    pub text: String,
    /// Left edge, in points.
    pub x0: f32,
    /// Right edge, in points.
    pub x1: f32,
}

/// A line of text outside tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The 1-based number of the page the line is on.
    pub page: u32,
    /// Top of the line.
    pub y: f32,
    /// Runs left to right, split at wide gaps.
    pub spans: Vec<Span>,
}

impl Line {
    /// The line's text, runs joined by a space.
    pub fn text(&self) -> String {
        self.spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A cell of a table: where it starts in the grid and how far it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The 0-based grid column the cell starts in.
    pub col: usize,
    /// Grid columns the cell covers (1 unless merged across).
    pub colspan: usize,
    /// Grid rows the cell covers, its own and those below (1 unless merged down).
    pub rowspan: usize,
    /// The text, empty for a blank cell.
    pub text: String,
    /// Left edge, in points (to unify the columns of a table continued on the next page).
    x0: f32,
    x1: f32,
}

/// A row of a table: the cells that start in it, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// The 1-based number of the page the row is on.
    pub page: u32,
    /// The cells that start in this row, left to right; cells merged down from rows above
    /// are not repeated.
    pub cells: Vec<Cell>,
}

/// A ruled table, possibly continued over several pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Grid columns (the widest row's extent).
    pub columns: usize,
    /// The rows top to bottom, those of every page the table runs over.
    pub rows: Vec<TableRow>,
    /// Column boundaries in points (one more than `columns`).
    xs: Vec<f32>,
}

/// A block of a page in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A line of text outside tables.
    Line(Line),
    /// A ruled table.
    Table(Table),
}

/// Tolerance, in points, for rule positions to count as the same line, and for rules to touch:
/// cells drawn as boxes of their own a few points apart (a browser's `cellspacing`, Word's cell
/// spacing) are one table.
const SNAP: f32 = 3.5;
/// Share of a page's height at its top and bottom where headers and footers stand.
const MARGIN: f32 = 0.1;

/// Read all pages into blocks in reading order.
pub fn blocks(pages: &[Page]) -> Vec<Block> {
    let mut per_page: Vec<Vec<(f32, Block)>> = pages.iter().map(page_blocks).collect();
    drop_furniture(pages, &mut per_page);
    let mut out: Vec<Block> = Vec::new();
    for page in per_page {
        let mut first = true;
        for (_, block) in page {
            if first
                && let Block::Table(next) = &block
                && let Some(Block::Table(previous)) = out.last_mut()
                && continues(previous, next)
            {
                join(previous, next.clone());
                first = false;
                continue;
            }
            first = false;
            out.push(block);
        }
    }
    for block in &mut out {
        if let Block::Table(t) = block {
            t.columns = t.xs.len().saturating_sub(1);
        }
    }
    out
}

/// One page's blocks with their top edges, top to bottom.
fn page_blocks(page: &Page) -> Vec<(f32, Block)> {
    let grids = grids(&page.rules);
    let mut cell_glyphs: Vec<Vec<Vec<&Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    let mut free: Vec<&Glyph> = Vec::new();
    for glyph in &page.glyphs {
        let (x, y) = (glyph.cx(), glyph.cy());
        match grids
            .iter()
            .enumerate()
            .find_map(|(i, g)| g.cell_at(x, y).map(|c| (i, c)))
        {
            Some((g, c)) => cell_glyphs[g][c].push(glyph),
            None => free.push(glyph),
        }
    }
    let mut blocks: Vec<(f32, Block)> = Vec::new();
    for (grid, glyphs) in grids.iter().zip(cell_glyphs) {
        let mut rows: Vec<TableRow> = (0..grid.ys.len() - 1)
            .map(|_| TableRow {
                page: page.number,
                cells: Vec::new(),
            })
            .collect();
        for (cell, glyphs) in grid.cells.iter().zip(glyphs) {
            rows[cell.row].cells.push(Cell {
                col: cell.col,
                colspan: cell.colspan,
                rowspan: cell.rowspan,
                text: cell_text(glyphs),
                x0: grid.xs[cell.col],
                x1: grid.xs[cell.col + cell.colspan],
            });
        }
        blocks.push((
            grid.ys[0],
            Block::Table(Table {
                columns: grid.xs.len() - 1,
                rows,
                xs: grid.xs.clone(),
            }),
        ));
    }
    for line in lines(&free) {
        let y = line.iter().map(|g| g.y0).fold(f32::MAX, f32::min);
        blocks.push((
            y,
            Block::Line(Line {
                page: page.number,
                y,
                spans: spans(&line),
            }),
        ));
    }
    blocks.sort_by(|a, b| a.0.total_cmp(&b.0));
    blocks
}

/// Glyphs grouped into lines (top to bottom), each sorted left to right.
fn lines<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs
        .iter()
        .copied()
        .filter(|g| !g.text.trim().is_empty())
        .collect();
    sorted.sort_by(|a, b| a.cy().total_cmp(&b.cy()));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        match lines.last_mut() {
            Some(line) if !g.vertical && !line[0].vertical && same_line(line, g) => line.push(g),
            _ => lines.push(vec![g]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        // A glyph drawn again over itself, a fraction of its width off (the "fake bold" of
        // print drivers for fonts without a bold face), is one character: read twice, 187
        // became 118877. A character printed twice stands a whole advance further on.
        line.dedup_by(|g, kept| {
            g.text == kept.text && (g.x0 - kept.x0).abs() < 0.5 * (kept.x1 - kept.x0).abs()
        });
    }
    lines
}

fn same_line(line: &[&Glyph], g: &Glyph) -> bool {
    let first = line[0];
    let height = first.height().max(g.height()).max(0.1);
    (g.cy() - first.cy()).abs() < 0.5 * height
}

/// A line's glyphs as runs: a gap wider than a character starts a new run, a smaller one
/// that is still clearly a gap becomes a space.
fn spans(line: &[&Glyph]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut previous: Option<&Glyph> = None;
    for g in line {
        let height = g.height().max(0.1);
        match (previous, spans.last_mut()) {
            (Some(p), Some(span)) if g.x0 - p.x1 < 1.0 * height => {
                // Gaps between Chinese characters are spacing (justified text, letter-spaced
                // headers); between Latin letters or digits they separate words and numbers.
                let narrow =
                    |c: Option<char>| c.is_some_and(|c| (c as u32) < 0x2E80 && !c.is_whitespace());
                if g.x0 - p.x1 > 0.25 * height
                    && narrow(span.text.chars().last())
                    && narrow(g.text.chars().next())
                {
                    span.text.push(' ');
                }
                span.text.push_str(&g.text);
                span.x1 = span.x1.max(g.x1);
            }
            _ => spans.push(Span {
                text: g.text.clone(),
                x0: g.x0,
                x1: g.x1,
            }),
        }
        previous = Some(g);
    }
    for s in &mut spans {
        s.text = s.text.trim().to_owned();
    }
    spans.retain(|s| !s.text.is_empty());
    spans
}

/// A cell's text: its lines top to bottom, joined without a separator (wrapped Chinese text
/// and numbers wrapped inside narrow cells), but with a space between Latin words.
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let mut text = String::new();
    for line in lines(&glyphs) {
        let mut line_text: String = spans(&line)
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // A number set letter-spaced or spread across its cell (distributed alignment):
        // `2 7 2` is 272, `- 1 5` is -15. A cell holds one value, so its digits standing one
        // by one (a sign or separator beside one at most) are one number.
        let tokens = || line_text.split(' ');
        if tokens().count() > 1
            && tokens().all(|t| {
                t.bytes()
                    .all(|b| b.is_ascii_digit() || b",.-+".contains(&b))
                    && t.bytes().filter(u8::is_ascii_digit).count() <= 1
            })
        {
            line_text.retain(|c| c != ' ');
        }
        if text.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
            && line_text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
        {
            text.push(' ');
        }
        text.push_str(&line_text);
    }
    text
}

/// A table's grid on one page.
#[derive(Debug)]
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    cells: Vec<GridCell>,
    /// For each elementary cell (row-major), the index of the cell that covers it.
    owner: Vec<usize>,
}

#[derive(Debug)]
struct GridCell {
    row: usize,
    col: usize,
    rowspan: usize,
    colspan: usize,
}

impl Grid {
    fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let (first_x, last_x) = (*self.xs.first()?, *self.xs.last()?);
        let (first_y, last_y) = (*self.ys.first()?, *self.ys.last()?);
        if x < first_x || x > last_x || y < first_y || y > last_y {
            return None;
        }
        let c = self
            .xs
            .partition_point(|&b| b <= x)
            .clamp(1, self.xs.len() - 1)
            - 1;
        let r = self
            .ys
            .partition_point(|&b| b <= y)
            .clamp(1, self.ys.len() - 1)
            - 1;
        self.owner.get(r * (self.xs.len() - 1) + c).copied()
    }
}

/// A horizontal or vertical segment: `at` is its y (horizontal) or x (vertical).
#[derive(Debug, Clone, Copy)]
struct Segment {
    at: f32,
    from: f32,
    to: f32,
}

/// Segments at the same position that overlap or nearly touch become one (double lines,
/// lines drawn cell by cell).
fn merge(mut segments: Vec<Segment>) -> Vec<Segment> {
    segments.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut bands: Vec<Vec<Segment>> = Vec::new();
    for s in segments {
        match bands.last_mut() {
            Some(band) if (s.at - band[0].at).abs() <= SNAP / 2.0 => band.push(s),
            _ => bands.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    for mut band in bands {
        let at = band.iter().map(|s| s.at).sum::<f32>() / band.len() as f32;
        band.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut current: Option<Segment> = None;
        for s in band {
            current = match current {
                Some(c) if s.from <= c.to + SNAP => Some(Segment {
                    to: c.to.max(s.to),
                    ..c
                }),
                Some(c) => {
                    out.push(c);
                    Some(Segment { at, ..s })
                }
                None => Some(Segment { at, ..s }),
            };
        }
        out.extend(current);
    }
    out
}

/// Rows and columns are never narrower than this (points): boundaries closer together are
/// one boundary drawn twice (double lines, the separate borders of neighbouring cells).
const MIN_CELL: f32 = 4.0;

/// Distinct positions: values closer than [`MIN_CELL`] to the previous one are one position,
/// at their mean.
fn positions(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut clusters: Vec<Vec<f32>> = Vec::new();
    for v in values {
        match clusters.last_mut() {
            Some(c) if v - c[c.len() - 1] < MIN_CELL => c.push(v),
            _ => clusters.push(vec![v]),
        }
    }
    clusters
        .iter()
        .map(|c| c.iter().sum::<f32>() / c.len() as f32)
        .collect()
}

/// Whether `segments` cover most of `from..to` at `at`.
fn covered(segments: &[Segment], at: f32, from: f32, to: f32) -> bool {
    let margin = 0.25 * (to - from);
    segments
        .iter()
        .any(|s| (s.at - at).abs() <= MIN_CELL && s.from <= from + margin && s.to >= to - margin)
}

/// The tables the rules of a page draw.
fn grids(rules: &[Rule]) -> Vec<Grid> {
    let horizontal = merge(
        rules
            .iter()
            .filter(|r| r.is_horizontal())
            .map(|r| Segment {
                at: (r.y0 + r.y1) / 2.0,
                from: r.x0,
                to: r.x1,
            })
            .collect(),
    );
    let vertical = merge(
        rules
            .iter()
            .filter(|r| !r.is_horizontal())
            .map(|r| Segment {
                at: (r.x0 + r.x1) / 2.0,
                from: r.y0,
                to: r.y1,
            })
            .collect(),
    );
    // Connected components of crossing or touching segments.
    let n = horizontal.len() + vertical.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            if v.at >= h.from - SNAP
                && v.at <= h.to + SNAP
                && h.at >= v.from - SNAP
                && h.at <= v.to + SNAP
            {
                let (a, b) = (
                    find(&mut parent, i),
                    find(&mut parent, horizontal.len() + j),
                );
                parent[a] = b;
            }
        }
    }
    let mut components: std::collections::BTreeMap<usize, (Vec<Segment>, Vec<Segment>)> =
        Default::default();
    for (i, h) in horizontal.iter().enumerate() {
        components
            .entry(find(&mut parent, i))
            .or_default()
            .0
            .push(*h);
    }
    for (j, v) in vertical.iter().enumerate() {
        components
            .entry(find(&mut parent, horizontal.len() + j))
            .or_default()
            .1
            .push(*v);
    }
    // A grid of one column is a frame (a page border, a box around a paragraph or around a
    // table, a rule under the letterhead), not a table: what it holds is read as lines, and
    // the tables inside it as tables.
    let mut grids: Vec<Grid> = components
        .into_values()
        .filter_map(|(h, v)| grid(&h, &v))
        .filter(|g| g.xs.len() > 2)
        .collect();
    grids.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    grids
}

/// Grid cells up to this many rows and columns are built (a ruled form is far smaller).
const MAX_GRID: usize = 500;

fn grid(horizontal: &[Segment], vertical: &[Segment]) -> Option<Grid> {
    let xs = positions(vertical.iter().map(|s| s.at).collect());
    let ys = positions(horizontal.iter().map(|s| s.at).collect());
    if xs.len() < 2 || ys.len() < 2 || xs.len() > MAX_GRID || ys.len() > MAX_GRID {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let mut owner = vec![usize::MAX; nr * nc];
    let mut cells = Vec::new();
    for r in 0..nr {
        for c in 0..nc {
            if owner[r * nc + c] != usize::MAX {
                continue;
            }
            let mut colspan = 1;
            while c + colspan < nc
                && owner[r * nc + c + colspan] == usize::MAX
                && !covered(vertical, xs[c + colspan], ys[r], ys[r + 1])
            {
                colspan += 1;
            }
            let mut rowspan = 1;
            while r + rowspan < nr
                && (c..c + colspan).all(|k| {
                    owner[(r + rowspan) * nc + k] == usize::MAX
                        && !covered(horizontal, ys[r + rowspan], xs[k], xs[k + 1])
                })
            {
                rowspan += 1;
            }
            for rr in r..r + rowspan {
                for cc in c..c + colspan {
                    owner[rr * nc + cc] = cells.len();
                }
            }
            cells.push(GridCell {
                row: r,
                col: c,
                rowspan,
                colspan,
            });
        }
    }
    Some(Grid {
        xs,
        ys,
        cells,
        owner,
    })
}

/// Page numbers and running headers and footers, dropped. A running line is one repeated at
/// the same height in the margin of all pages but at most one; the first line of the first
/// page is the title and always stays (a short report's closing agency name may stand at the
/// top of its last page).
fn drop_furniture(pages: &[Page], blocks: &mut [Vec<(f32, Block)>]) {
    let band = |page: &Page, y: f32| y < page.height * MARGIN || y > page.height * (1.0 - MARGIN);
    let key = |line: &Line| -> (String, i32) {
        let text = line
            .text()
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        (text, (line.y / 4.0).round() as i32)
    };
    let mut seen: std::collections::HashMap<(String, i32), usize> = Default::default();
    for (page, page_blocks) in pages.iter().zip(blocks.iter()) {
        let mut on_page: Vec<(String, i32)> = page_blocks
            .iter()
            .filter_map(|(_, b)| match b {
                Block::Line(l) if band(page, l.y) => Some(key(l)),
                _ => None,
            })
            .collect();
        on_page.sort();
        on_page.dedup();
        for k in on_page {
            *seen.entry(k).or_default() += 1;
        }
    }
    let running = |count: usize| pages.len() > 1 && count >= 2 && count + 1 >= pages.len();
    for (index, (page, page_blocks)) in pages.iter().zip(blocks.iter_mut()).enumerate() {
        let mut first = index == 0;
        page_blocks.retain(|(_, b)| {
            let title = std::mem::replace(&mut first, false);
            match b {
                Block::Line(l) if band(page, l.y) => {
                    !is_page_number(&l.text())
                        && (title || !running(seen.get(&key(l)).copied().unwrap_or(0)))
                }
                _ => true,
            }
        });
    }
}

/// `-3-`, `— 3 —`, `3`, `3/6`, `第3页`, `第 3 页 共 6 页`, `Page 3 of 6`.
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'));
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits_only(t) {
        return true;
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits_only(a) && digits_only(b);
    }
    let stripped: String = t.chars().filter(|c| !c.is_ascii_digit()).collect();
    stripped.is_empty()
        || stripped == "第页"
        || stripped == "第页共页"
        || stripped.eq_ignore_ascii_case("pageof")
        || stripped.eq_ignore_ascii_case("page")
}

/// Whether `next` (first on its page) continues `previous` (last on the page before).
fn continues(previous: &Table, next: &Table) -> bool {
    let (Some(a0), Some(a1), Some(b0), Some(b1)) = (
        previous.xs.first(),
        previous.xs.last(),
        next.xs.first(),
        next.xs.last(),
    ) else {
        return false;
    };
    let same_page = previous.rows.last().map(|r| r.page) == next.rows.first().map(|r| r.page);
    !same_page && (a0 - b0).abs() <= 3.0 * SNAP && (a1 - b1).abs() <= 3.0 * SNAP
}

/// Append a continuation: columns unified over both parts, repeated header rows dropped.
fn join(table: &mut Table, mut next: Table) {
    let repeated = next
        .rows
        .iter()
        .zip(&table.rows)
        .take_while(|(a, b)| {
            row_texts(a) == row_texts(b) && !row_texts(a).iter().all(String::is_empty)
        })
        .count();
    next.rows.drain(..repeated);
    let xs = positions(table.xs.iter().chain(&next.xs).copied().collect());
    let column = |x: f32| {
        xs.iter()
            .enumerate()
            .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
            .map_or(0, |(i, _)| i)
    };
    for row in table.rows.iter_mut().chain(next.rows.iter_mut()) {
        for cell in &mut row.cells {
            cell.col = column(cell.x0);
            cell.colspan = column(cell.x1).saturating_sub(cell.col).max(1);
        }
    }
    table.rows.extend(next.rows);
    table.xs = xs;
}

fn row_texts(row: &TableRow) -> Vec<String> {
    row.cells.iter().map(|c| c.text.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f32, y: f32) -> Glyph {
        Glyph {
            text: text.to_owned(),
            x0: x,
            y0: y,
            x1: x + 10.0,
            y1: y + 10.0,
            vertical: false,
            turn: 0,
        }
    }

    fn page(glyphs: Vec<Glyph>, rules: Vec<Rule>) -> Page {
        Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
            rules,
            images: 0,
            image_area: 0.0,
            unknown_codes: 0,
        }
    }

    /// A 2×3 grid at x 100/200/300/400, y 100/130/160, the first row's last two cells merged.
    fn ruled() -> Vec<Rule> {
        let mut rules = vec![
            Rule::new(100.0, 99.5, 400.0, 100.5),
            Rule::new(100.0, 129.5, 400.0, 130.5),
            Rule::new(100.0, 159.5, 400.0, 160.5),
        ];
        for x in [100.0, 200.0, 400.0] {
            rules.push(Rule::new(x - 0.5, 100.0, x + 0.5, 160.0));
        }
        rules.push(Rule::new(299.5, 130.0, 300.5, 160.0));
        rules
    }

    #[test]
    fn cells_come_from_the_rules_and_blank_cells_stay() {
        let glyphs = vec![
            glyph("规", 110.0, 110.0),
            glyph("章", 120.0, 110.0),
            glyph("5", 310.0, 140.0),
        ];
        let blocks = blocks(&[page(glyphs, ruled())]);
        let [Block::Table(t)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.columns, 3);
        let texts: Vec<Vec<(usize, usize, &str)>> = t
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.col, c.colspan, c.text.as_str()))
                    .collect()
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                vec![(0, 1, "规章"), (1, 2, "")],
                vec![(0, 1, ""), (1, 1, ""), (2, 1, "5")]
            ]
        );
    }

    /// Digits set letter-spaced in a cell are one number; numbers of two digits or more
    /// apart are left as printed.
    #[test]
    fn letter_spaced_digits_in_a_cell_are_one_number() {
        let text_of = |glyphs: Vec<Glyph>| {
            let blocks = blocks(&[page(glyphs, ruled())]);
            let [Block::Table(t)] = blocks.as_slice() else {
                panic!("{blocks:?}")
            };
            t.rows[1].cells[2].text.clone()
        };
        let spaced = |chars: &[&str]| {
            chars
                .iter()
                .enumerate()
                .map(|(i, c)| glyph(c, 305.0 + 14.0 * i as f32, 140.0))
                .collect::<Vec<_>>()
        };
        assert_eq!(text_of(spaced(&["2", "7", "2"])), "272");
        assert_eq!(text_of(spaced(&["-", "1", "5"])), "-15");
        let mut two = spaced(&["1", "2"]);
        two.extend([glyph("3", 345.0, 140.0), glyph("4", 355.0, 140.0)]);
        for (i, g) in two.iter_mut().enumerate().take(2) {
            g.x0 = 305.0 + 10.0 * i as f32;
            g.x1 = g.x0 + 10.0;
        }
        assert_eq!(text_of(two), "12 34");
    }

    /// Cells drawn as boxes of their own, 3 points apart (a browser printing a table with
    /// `cellspacing`), are one table.
    #[test]
    fn cells_drawn_as_separate_boxes_are_one_table() {
        let mut rules = Vec::new();
        for (x0, x1) in [(100.0, 197.0), (200.0, 297.0), (300.0, 397.0)] {
            for (y0, y1) in [(100.0, 127.0), (130.0, 157.0)] {
                rules.push(Rule::new(x0, y0, x1, y0 + 0.5));
                rules.push(Rule::new(x0, y1, x1, y1 + 0.5));
                rules.push(Rule::new(x0, y0, x0 + 0.5, y1));
                rules.push(Rule::new(x1, y0, x1 + 0.5, y1));
            }
        }
        let blocks = blocks(&[page(vec![glyph("5", 310.0, 140.0)], rules)]);
        let [Block::Table(t)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!((t.columns, t.rows.len()), (3, 2));
        assert_eq!(t.rows[1].cells[2].text, "5");
    }

    /// A page border (rules of one column) is no table: the heading inside it is a line,
    /// the table inside it a table.
    #[test]
    fn a_frame_around_the_page_is_not_a_table() {
        let mut rules = ruled();
        for (x0, y0, x1, y1) in [
            (30.0, 30.0, 570.0, 30.5),
            (30.0, 770.0, 570.0, 770.5),
            (30.0, 30.0, 30.5, 770.0),
            (569.5, 30.0, 570.0, 770.0),
        ] {
            rules.push(Rule::new(x0, y0, x1, y1));
        }
        let glyphs = vec![
            glyph("二", 100.0, 60.0),
            glyph("规", 110.0, 110.0),
            glyph("5", 310.0, 140.0),
        ];
        let blocks = blocks(&[page(glyphs, rules)]);
        let [Block::Line(heading), Block::Table(t)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(heading.text(), "二");
        assert_eq!((t.columns, t.rows.len()), (3, 2));
    }

    #[test]
    fn wrapped_numbers_join_and_furniture_goes() {
        let glyphs = vec![
            glyph("3", 310.0, 132.0),
            glyph("0", 320.0, 132.0),
            glyph("0", 310.0, 145.0),
            glyph("1", 320.0, 145.0),
            glyph("-", 280.0, 780.0),
            glyph("3", 290.0, 780.0),
            glyph("-", 300.0, 780.0),
            glyph("正", 100.0, 300.0),
            glyph("文", 110.0, 300.0),
            glyph("第", 300.0, 300.0),
        ];
        let blocks = blocks(&[page(glyphs, ruled())]);
        let [Block::Table(t), Block::Line(l)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.rows[1].cells[2].text, "3001");
        assert_eq!(
            l.spans.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(),
            vec!["正文", "第"]
        );
    }

    #[test]
    fn a_glyph_drawn_over_itself_is_read_once() {
        // "187" in fake bold: each digit drawn again 0.5 pt right and 0.3 pt up; then "11",
        // a digit printed twice.
        let mut glyphs = Vec::new();
        for (k, c) in ["1", "8", "7"].into_iter().enumerate() {
            let x = 100.0 + 10.0 * k as f32;
            glyphs.push(glyph(c, x, 200.0));
            glyphs.push(glyph(c, x + 0.5, 199.7));
        }
        glyphs.push(glyph("1", 200.0, 200.0));
        glyphs.push(glyph("1", 210.0, 200.0));
        let blocks = blocks(&[page(glyphs, Vec::new())]);
        let texts: Vec<String> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l.text()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["187 11"]);
    }

    #[test]
    fn page_numbers() {
        for t in [
            "-3-",
            "— 3 —",
            "3",
            "3/6",
            "第3页",
            "第 3 页 共 6 页",
            "Page 3 of 6",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2024年", "第三章", "3万元"] {
            assert!(!is_page_number(t), "{t}");
        }
    }
}
