//! Word (`.docx`) reader: the body of `word/document.xml` walked in document order.
//!
//! * A paragraph outside tables is a [`Layout::Prose`] row (the text of its `w:t` runs; a tab
//!   reads as a space, a `w:br` line break starts a new row). Empty paragraphs give no row.
//! * Each `w:tr` of a top-level `w:tbl` is a [`Layout::Grid`] row. A `w:tc` is a fragment at
//!   grid column `x` (`w:gridBefore` plus the `w:gridSpan`s of the cells before it) spanning
//!   `w:gridSpan` columns; the paragraphs of a cell are joined by a space. A cell with
//!   `<w:vMerge w:val="restart"/>` starts a vertical merge; a cell with `<w:vMerge/>` (or
//!   `w:val="continue"`) below it repeats the restart cell's text with `continued` set, as the
//!   HTML reader does for `rowspan`.
//! * A table nested in a cell, and the content of text boxes, are folded into the text of the
//!   enclosing cell or paragraph — except that a table outside any table that holds a table of
//!   more rows than its own is page layout (a frame around the report): its paragraphs are
//!   prose and the tables it holds are the document's tables. `mc:Fallback` (a duplicate of `mc:Choice`), moved-away and
//!   deleted revisions (`w:moveFrom`, `w:del`) are skipped; deleted text (`w:delText`) is never
//!   read, nor hidden text (a run whose own properties hold `w:vanish`), which Word neither shows
//!   nor prints.
//!
//! Word has no lines: a fragment's [`Location`] is `line` = the 1-based index of its paragraph
//! or table row among the body's paragraphs and table rows (empty paragraphs counted, nested
//! tables not), `column` = 1. Diagnostics therefore point at "row N of the Word document".
//! `raw` is the text as written in the document (cell paragraphs joined by a space), trimmed.

use crate::doc::{Document, Layout, Row, normalize};
use crate::grid::{self, Budget, Grid, MAX_SPAN, Merge};
use crate::input::{self, Format, Input, Options, ReadDoc, Sniff};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::fmt;
use std::io::Read;
use xxgk_model::diagnostic::Location;
use xxgk_model::message::{Lang, Message, Naming};

/// The Word (`.docx`) reader.
pub(crate) struct DocxReader;

impl input::Reader for DocxReader {
    fn format(&self) -> Format {
        Format::Docx
    }

    /// Certain for a ZIP archive holding `word/document.xml` ([`is_docx`]).
    fn sniff(&self, input: &Input<'_>) -> Option<Sniff> {
        let bytes = input.bytes();
        (bytes.starts_with(b"PK") && is_docx(bytes)).then_some(Sniff::Certain)
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["docx"]
    }

    fn read(&self, input: Input<'_>, options: &Options) -> Result<ReadDoc, crate::ParseError> {
        let document = read_docx_limited(input.bytes(), options.limits.max_unpacked_bytes)
            .map_err(crate::ParseError::Docx)?;
        Ok(ReadDoc {
            document,
            text: None,
            encoding: Some("utf-8".to_owned()),
            diagnostics: Vec::new(),
        })
    }
}

/// Largest `word/document.xml` [`read_docx`] reads (uncompressed bytes; the parser's
/// [`Limits::max_unpacked_bytes`](crate::Limits::max_unpacked_bytes) by default).
pub const MAX_DOCUMENT_XML: u64 = 200 * 1024 * 1024;
/// Bytes of vertically merged text that may be copied into continued cells on top of the
/// document's own size (a guard against a long text repeated down a huge merge).
const CONTINUED_BASE_BUDGET: usize = 16 * 1024 * 1024;

/// The part holding the document body.
const DOCUMENT_PART: &str = "word/document.xml";

/// Why a `.docx` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// The bytes are not a readable ZIP archive.
    NotZip(String),
    /// The archive has no `word/document.xml`: not a Word document.
    NoDocument,
    /// `word/document.xml` is larger than the limit (bytes uncompressed; [`MAX_DOCUMENT_XML`]
    /// by default).
    TooLarge(u64),
    /// `word/document.xml` could not be decompressed (damaged or unsupported compression).
    Unreadable(String),
    /// `word/document.xml` is not well-formed XML (or not UTF-8 / UTF-16).
    MalformedXml(String),
}

impl DocxError {
    /// What it says, as a catalogue message (see [`crate::ParseError::message`]).
    pub fn message(&self) -> Message {
        match self {
            DocxError::NotZip(why) => Message::new("input.docx_not_zip").arg("why", why.as_str()),
            DocxError::NoDocument => {
                Message::new("input.docx_no_document").arg("part", DOCUMENT_PART)
            }
            DocxError::TooLarge(limit) => Message::new("input.docx_too_large")
                .arg("part", DOCUMENT_PART)
                .arg("mb", (limit / (1024 * 1024)).to_string()),
            DocxError::Unreadable(why) => Message::new("input.docx_unreadable")
                .arg("part", DOCUMENT_PART)
                .arg("why", why.as_str()),
            DocxError::MalformedXml(why) => Message::new("input.docx_malformed")
                .arg("part", DOCUMENT_PART)
                .arg("why", why.as_str()),
        }
    }
}

/// In English: what [`DocxError::message`] says.
impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().render(Lang::En, Naming::Ids))
    }
}

impl std::error::Error for DocxError {}

/// Whether `bytes` are a ZIP archive holding `word/document.xml` (a Word document).
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map(|mut archive| document_name(&mut archive).is_some())
        .unwrap_or(false)
}

/// The name of the document part: `word/document.xml`, matched without regard to ASCII case
/// when the exact name is absent, else the part the package's relationships name.
fn document_name<R: Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>) -> Option<String> {
    let mut fallback = None;
    for name in archive.file_names().flatten() {
        if name == DOCUMENT_PART {
            return Some(name.into_owned());
        }
        if fallback.is_none() && name.eq_ignore_ascii_case(DOCUMENT_PART) {
            fallback = Some(name.into_owned());
        }
    }
    fallback.or_else(|| main_part(archive))
}

/// The main document part the package's relationships (`_rels/.rels`) name, when the archive
/// holds it: Word writes `word/document.xml`, other tools another name (`word/document2.xml`).
fn main_part<R: Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>) -> Option<String> {
    let mut rels = String::new();
    archive
        .by_name("_rels/.rels")
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut rels)
        .ok()?;
    let mut reader = Reader::from_str(&rels);
    let target = loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |key: &str| {
                    e.try_get_attribute(key)
                        .ok()
                        .flatten()
                        .map(|a| a.value.trim().to_owned())
                };
                if attr("Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    break attr("Target")?;
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    };
    let name = target.trim_start_matches('/');
    archive
        .file_names()
        .flatten()
        .find(|n| n == name)
        .map(std::borrow::Cow::into_owned)
}

/// Read a `.docx` file's body into a [`Document`].
pub fn read_docx(bytes: &[u8]) -> Result<Document, DocxError> {
    read_docx_limited(bytes, MAX_DOCUMENT_XML)
}

/// [`read_docx`], reading at most `limit` bytes of `word/document.xml`.
pub fn read_docx_limited(bytes: &[u8], limit: u64) -> Result<Document, DocxError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| DocxError::NotZip(e.to_string()))?;
    let name = document_name(&mut archive).ok_or(DocxError::NoDocument)?;
    let file = archive
        .by_name(&name)
        .map_err(|e| DocxError::Unreadable(e.to_string()))?;
    // The declared size is not trusted: read at most one byte past the limit.
    let mut xml = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut xml)
        .map_err(|e| DocxError::Unreadable(e.to_string()))?;
    if xml.len() as u64 > limit {
        return Err(DocxError::TooLarge(limit));
    }
    let text = xml_text(xml)?;
    read_document_xml(&text)
}

/// The XML as a string: UTF-8 (BOM dropped), or UTF-16 with a BOM.
fn xml_text(xml: Vec<u8>) -> Result<String, DocxError> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&xml)
        && encoding != encoding_rs::UTF_8
    {
        // `decode` drops the BOM.
        let (text, _, bad) = encoding.decode(&xml);
        if bad {
            return Err(DocxError::MalformedXml("invalid UTF-16".into()));
        }
        return Ok(text.into_owned());
    }
    let mut text =
        String::from_utf8(xml).map_err(|e| DocxError::MalformedXml(format!("not UTF-8: {e}")))?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct Cell {
    raw: String,
    span: u32,
    vmerge: VMerge,
}

struct TableRow {
    line: u32,
    /// `w:gridBefore`: grid columns skipped before the first cell.
    before: u32,
    cells: Vec<Cell>,
}

#[derive(Default)]
struct Walker {
    rows: Vec<Row>,
    /// Paragraph or table row counter (the `line` of locations).
    block: u32,
    next_table: u32,
    /// Depth of `w:tbl` elements (1: a top-level table), page-layout tables left out.
    tbl_depth: u32,
    /// For each table in document order (outside text boxes): whether it is page layout
    /// ([`layout_tables`]); outside any table, its paragraphs are then prose and the tables it
    /// holds are the document's tables.
    layout_tables: Vec<bool>,
    /// Tables started so far (outside text boxes).
    tables_seen: usize,
    /// The open tables (outside text boxes): whether each is page layout, left out of
    /// `tbl_depth`.
    open_tables: Vec<bool>,
    /// Depth of `w:p` elements (more than 1 inside text boxes).
    para_depth: u32,
    /// Depth of `w:txbxContent` elements.
    txbx_depth: u32,
    /// Inside `w:t`.
    in_t: bool,
    /// Text of the current paragraph; prose paragraphs keep one entry per line break.
    para: Vec<String>,
    /// The current top-level table's id.
    table: u32,
    row: Option<TableRow>,
    cell: Option<Cell>,
    /// The current top-level table's rows, gridSpan and vMerge expanded.
    grid: Grid,
    /// For vertically merged text copied down, shared by the document's tables.
    continued_budget: Budget,
}

impl Walker {
    fn in_structural_table(&self) -> bool {
        self.tbl_depth == 1 && self.txbx_depth == 0
    }

    fn push_text(&mut self, s: &str) {
        if self.in_t && self.para_depth > 0 {
            match self.para.last_mut() {
                Some(last) => last.push_str(s),
                None => self.para.push(s.to_owned()),
            }
        }
    }

    fn push_space(&mut self) {
        if self.para_depth > 0 {
            match self.para.last_mut() {
                Some(last) => last.push(' '),
                None => self.para.push(" ".to_owned()),
            }
        }
    }

    /// A line break: a new prose row outside tables, a space in cells and text boxes.
    fn line_break(&mut self) {
        if self.para_depth == 0 {
            return;
        }
        if self.tbl_depth == 0 && self.txbx_depth == 0 {
            self.para.push(String::new());
        } else {
            self.push_space();
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.name().as_ref() {
            "w:p" => {
                if self.para_depth == 0 && self.tbl_depth == 0 {
                    self.block = self.block.saturating_add(1);
                }
                if empty {
                    if self.para_depth > 0 {
                        self.push_space();
                    }
                } else {
                    self.para_depth += 1;
                }
            }
            "w:t" if !empty => self.in_t = true,
            "w:tab" | "w:ptab" => self.push_space(),
            "w:br" | "w:cr" => self.line_break(),
            "w:noBreakHyphen" => {
                let in_t = std::mem::replace(&mut self.in_t, true);
                self.push_text("-");
                self.in_t = in_t;
            }
            "w:txbxContent" if !empty => {
                self.push_space();
                self.txbx_depth += 1;
            }
            "w:tbl" if !empty && self.txbx_depth == 0 => {
                let is_layout = self
                    .layout_tables
                    .get(self.tables_seen)
                    .copied()
                    .unwrap_or(false);
                self.tables_seen += 1;
                let layout = is_layout && self.tbl_depth == 0;
                self.open_tables.push(layout);
                if layout {
                    return;
                }
                self.tbl_depth += 1;
                if self.tbl_depth == 1 {
                    self.table = self.next_table;
                    self.next_table = self.next_table.saturating_add(1);
                    self.grid = Grid::default();
                }
            }
            "w:tr" if self.in_structural_table() => {
                self.block = self.block.saturating_add(1);
                let row = TableRow {
                    line: self.block,
                    before: 0,
                    cells: Vec::new(),
                };
                if empty {
                    self.row = Some(row);
                    self.end_row();
                } else {
                    self.row = Some(row);
                }
            }
            "w:gridBefore" if self.in_structural_table() && self.cell.is_none() => {
                if let Some(row) = &mut self.row {
                    row.before = val_u32(e).unwrap_or(0).min(MAX_SPAN);
                }
            }
            "w:tc" if self.in_structural_table() && self.row.is_some() => {
                self.cell = Some(Cell {
                    raw: String::new(),
                    span: 1,
                    vmerge: VMerge::None,
                });
                if empty {
                    self.end_cell();
                }
            }
            "w:gridSpan" if self.in_structural_table() && self.para_depth == 0 => {
                if let Some(cell) = &mut self.cell {
                    cell.span = val_u32(e).unwrap_or(1).clamp(1, MAX_SPAN);
                }
            }
            "w:vMerge" if self.in_structural_table() && self.para_depth == 0 => {
                if let Some(cell) = &mut self.cell {
                    cell.vmerge = match val(e).as_deref() {
                        None | Some("continue") => VMerge::Continue,
                        Some("restart") => VMerge::Restart,
                        Some(_) => VMerge::None,
                    };
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "w:t" => self.in_t = false,
            "w:p" => {
                self.para_depth = self.para_depth.saturating_sub(1);
                if self.para_depth > 0 {
                    self.push_space();
                } else {
                    self.end_paragraph();
                }
            }
            "w:txbxContent" => self.txbx_depth = self.txbx_depth.saturating_sub(1),
            "w:tbl" if self.txbx_depth == 0 => {
                if self.open_tables.pop() == Some(true) {
                    return;
                }
                if self.tbl_depth == 1 {
                    self.end_cell();
                    self.end_row();
                    self.grid = Grid::default();
                }
                self.tbl_depth = self.tbl_depth.saturating_sub(1);
            }
            "w:tc" if self.in_structural_table() => self.end_cell(),
            "w:tr" if self.in_structural_table() => {
                self.end_cell();
                self.end_row();
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let lines = std::mem::take(&mut self.para);
        if self.tbl_depth == 0 {
            if self.txbx_depth > 0 {
                return;
            }
            for line in lines {
                let raw = line.trim();
                let text = normalize(raw);
                if text.is_empty() {
                    continue;
                }
                let location = Location::new(self.block.max(1), 1);
                self.rows.push(Row::prose(text, raw.to_owned(), location));
            }
        } else if let Some(cell) = &mut self.cell {
            let text = lines.join(" ");
            let text = text.trim();
            if !text.is_empty() {
                if !cell.raw.is_empty() {
                    cell.raw.push(' ');
                }
                cell.raw.push_str(text);
            }
        }
    }

    fn end_cell(&mut self) {
        if let (Some(cell), Some(row)) = (self.cell.take(), &mut self.row) {
            row.cells.push(cell);
        }
    }

    fn end_row(&mut self) {
        let Some(row) = self.row.take() else {
            return;
        };
        let location = Location::new(row.line.max(1), 1);
        self.grid.start_row(row.before, &mut self.continued_budget);
        for cell in row.cells {
            let raw = cell.raw.trim().to_owned();
            let merge = match cell.vmerge {
                VMerge::None => Merge::Down(1),
                VMerge::Restart => Merge::Restart,
                VMerge::Continue => Merge::Continue,
            };
            let cell = grid::Cell {
                text: normalize(&raw),
                raw,
                location,
                colspan: cell.span,
                merge,
            };
            self.grid.push(cell, &mut self.continued_budget);
        }
        let fragments = self.grid.finish_row().unwrap_or_default();
        if fragments.is_empty() {
            return;
        }
        self.rows.push(Row {
            layout: Layout::Grid,
            fragments,
            table: Some(self.table),
            location,
        });
    }
}

/// The `w:val` attribute.
fn val(e: &BytesStart<'_>) -> Option<String> {
    e.try_get_attribute("w:val")
        .ok()
        .flatten()
        .map(|a| a.value.trim().to_owned())
}

fn val_u32(e: &BytesStart<'_>) -> Option<u32> {
    val(e).and_then(|v| v.parse::<u32>().ok())
}

/// Elements whose whole content the reader skips: `mc:Fallback` (a duplicate of its
/// `mc:Choice`), moved-away and deleted revisions (`w:del` holds `w:delText`, never read; a
/// producer that writes `w:t` there is not read either).
fn is_skipped(name: &str) -> bool {
    matches!(name, "mc:Fallback" | "w:moveFrom" | "w:del")
}

/// For each table of `xml` in document order, outside text boxes and the parts the reader
/// skips: whether it is page layout, a table around the document's tables (it holds a table
/// of more rows than its own; a data table with a small table in a cell is not). Empty when
/// the XML cannot be read (the reading then says why).
fn layout_tables(xml: &str) -> Vec<bool> {
    let mut reader = Reader::from_str(xml);
    // Per table: (its rows, the most rows of a table it holds).
    let mut tables: Vec<(usize, usize)> = Vec::new();
    // Indices into `tables` of the open ones; depth of text boxes; the skipped subtree.
    let mut open: Vec<usize> = Vec::new();
    let (mut depth, mut txbx, mut skip_from) = (0usize, 0usize, None::<usize>);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                if skip_from.is_some() {
                    continue;
                }
                match e.name().as_ref() {
                    name if is_skipped(name) => skip_from = Some(depth),
                    "w:txbxContent" => txbx += 1,
                    "w:tbl" if txbx == 0 => {
                        open.push(tables.len());
                        tables.push((0, 0));
                    }
                    "w:tr" if txbx == 0 => {
                        if let Some(&t) = open.last() {
                            tables[t].0 += 1;
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) => {
                if let Some(from) = skip_from {
                    if depth == from {
                        skip_from = None;
                    }
                } else {
                    match e.name().as_ref() {
                        "w:txbxContent" => txbx = txbx.saturating_sub(1),
                        "w:tbl" if txbx == 0 => {
                            if let (Some(t), Some(&outer)) = (open.pop(), open.last()) {
                                tables[outer].1 = tables[outer].1.max(tables[t].0);
                            }
                        }
                        _ => {}
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    tables.iter().map(|&(rows, inner)| inner > rows).collect()
}

/// Whether `e`, standing at `depth` (its parent's), is a `w:vanish` in the properties of the
/// innermost open run (`runs`), not turned off.
fn is_hiding(e: &BytesStart<'_>, runs: &[usize], depth: usize) -> bool {
    e.name().as_ref() == "w:vanish"
        && runs.last().is_some_and(|&r| r + 1 == depth)
        && !val(e).is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"))
}

/// WordprocessingML's namespaces: transitional and strict.
const WORDPROCESSINGML: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// The prefix `xml` binds WordprocessingML's namespace to (in its first declaration).
fn wordprocessingml_prefix(xml: &str) -> Option<&str> {
    WORDPROCESSINGML
        .iter()
        .filter_map(|uri| {
            let at = xml.find(uri)?;
            let before = xml[..at].strip_suffix(['"', '\''])?.trim_end();
            let before = before.strip_suffix('=')?.trim_end();
            let start = before.rfind("xmlns:")? + "xmlns:".len();
            Some((at, &before[start..]))
        })
        .min_by_key(|&(at, _)| at)
        .map(|(_, prefix)| prefix)
        .filter(|p| !p.is_empty() && !p.contains(|c: char| c.is_whitespace()))
}

/// The XML with WordprocessingML's elements and attributes under the prefix `w:`, the names
/// the reader knows them by. Word writes `w:`; a tool that writes XML by namespace may bind
/// another prefix (Python's ElementTree writes `ns0:`), which names the same elements.
fn w_prefixed(xml: &str) -> std::borrow::Cow<'_, str> {
    let prefix = match wordprocessingml_prefix(xml) {
        Some(p) if p != "w" => format!("{p}:"),
        _ => return std::borrow::Cow::Borrowed(xml),
    };
    let mut out = String::with_capacity(xml.len());
    // Outside markup; inside a tag (`<` to `>`); inside a quoted attribute value.
    let (mut in_tag, mut quote) = (false, None::<char>);
    let mut rest = xml;
    while let Some(c) = rest.chars().next() {
        // A name starts after `<`, `</` or, in a tag, after white space.
        let name_starts = in_tag
            && quote.is_none()
            && (out.ends_with('<') || out.ends_with("</") || out.ends_with(char::is_whitespace));
        if name_starts && rest.starts_with(prefix.as_str()) {
            out.push_str("w:");
            rest = &rest[prefix.len()..];
            continue;
        }
        match (in_tag, quote, c) {
            (false, _, '<') => in_tag = true,
            (true, None, '>') => in_tag = false,
            (true, None, '"' | '\'') => quote = Some(c),
            (true, Some(q), _) if c == q => quote = None,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// Read the text of `word/document.xml`.
pub fn read_document_xml(xml: &str) -> Result<Document, DocxError> {
    let xml = w_prefixed(xml);
    let xml = xml.as_ref();
    let mut reader = Reader::from_str(xml);
    let mut w = Walker {
        continued_budget: Budget::new(CONTINUED_BASE_BUDGET.saturating_add(xml.len()), 0),
        layout_tables: layout_tables(xml),
        ..Walker::default()
    };
    // Depth of open elements, and the depth at which a skipped subtree started.
    let mut depth: usize = 0;
    let mut skip_from: Option<usize> = None;
    // Depths of the open runs (`w:r`): a run whose properties hide it is skipped.
    let mut runs: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            DocxError::MalformedXml(format!("{e} (at byte {})", reader.error_position()))
        })?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if skip_from.is_some() {
                    continue;
                }
                if is_skipped(e.name().as_ref()) {
                    skip_from = Some(depth);
                    continue;
                }
                if e.name().as_ref() == "w:r" {
                    runs.push(depth);
                }
                // `<w:vanish></w:vanish>`, written out: as its empty form below.
                if is_hiding(&e, &runs, depth - 1) {
                    skip_from = runs.last().copied();
                    continue;
                }
                w.start(&e, false);
            }
            Event::Empty(e) if skip_from.is_none() => {
                // Hidden text (`w:vanish` in a run's own properties, not a paragraph mark's):
                // the rest of the run is not read, as Word does not show or print it.
                if is_hiding(&e, &runs, depth) {
                    skip_from = runs.last().copied();
                    continue;
                }
                w.start(&e, true);
            }
            Event::End(e) => {
                if runs.last() == Some(&depth) {
                    runs.pop();
                }
                if let Some(from) = skip_from {
                    if depth == from {
                        skip_from = None;
                    }
                } else {
                    w.end(e.name().as_ref());
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if skip_from.is_none() && w.in_t => {
                w.push_text(&t.xml10_content());
            }
            Event::CData(t) if skip_from.is_none() && w.in_t => {
                w.push_text(&t.xml10_content());
            }
            Event::GeneralRef(r) if skip_from.is_none() && w.in_t => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match r.as_ref() {
                        "amp" => "&".to_owned(),
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "quot" => "\"".to_owned(),
                        "apos" => "'".to_owned(),
                        other => format!("&{other};"),
                    },
                    Err(e) => return Err(DocxError::MalformedXml(e.to_string())),
                };
                w.push_text(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(DocxError::MalformedXml(
            "the document ends before its elements are closed".into(),
        ));
    }
    Ok(Document { rows: w.rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> Document {
        read_document_xml(&format!(
            r#"<w:document {W}><w:body>{body}</w:body></w:document>"#
        ))
        .unwrap()
    }

    /// WordprocessingML under another prefix (ElementTree's `ns0:`) reads as under `w:`.
    #[test]
    fn another_prefix_for_wordprocessingml_reads_the_same() {
        let body = concat!(
            "<w:p><w:r><w:t xml:space=\"preserve\">a 'w:b' </w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>",
            "<w:p><w:r><w:t>1 &lt;w:x</w:t></w:r></w:p></w:tc></w:tr>",
            "<w:tr><w:tc><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>9</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        let with_w = doc(body);
        let ns0 = read_document_xml(&format!(
            r#"<ns0:document xmlns:ns0='{}'><ns0:body>{}</ns0:body></ns0:document>"#,
            WORDPROCESSINGML[0],
            body.replace("w:", "ns0:")
                .replace("'ns0:b'", "'w:b'")
                .replace("&lt;ns0:x", "&lt;w:x"),
        ))
        .unwrap();
        let cells = |d: &Document| -> Vec<Vec<(String, u32)>> {
            d.rows
                .iter()
                .map(|r| {
                    r.fragments
                        .iter()
                        .map(|f| (f.raw.clone(), f.span))
                        .collect()
                })
                .collect()
        };
        assert_eq!(cells(&ns0), cells(&with_w));
        assert_eq!(with_w.rows[0].text(), "a 'w:b'");
        assert_eq!(cells(&with_w)[2], [("".to_owned(), 1), ("3".to_owned(), 1)]);
    }

    #[test]
    fn prose_breaks_tabs_and_entities() {
        let d = doc(concat!(
            "<w:p><w:r><w:t>一、总体</w:t></w:r><w:r><w:t xml:space=\"preserve\">情况 </w:t><w:tab/><w:t>A&amp;B&#x41;</w:t></w:r></w:p>",
            "<w:p/>",
            "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:delText>删</w:delText></w:r></w:p>",
        ));
        let texts: Vec<String> = d.rows.iter().map(|r| r.text()).collect();
        assert_eq!(texts, ["一、总体情况 A&BA", "第一行", "第二行"]);
        assert_eq!(d.rows[0].location.line, 1);
        // The empty paragraph is counted.
        assert_eq!(d.rows[1].location.line, 3);
        assert_eq!(d.rows[2].location.line, 3);
    }

    #[test]
    fn a_table_holding_a_larger_table_is_page_layout() {
        let table = |rows: &str| format!("<w:tbl>{rows}</w:tbl>");
        let cell = |inner: &str| format!("<w:tc>{inner}</w:tc>");
        let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
        let data = table(&format!(
            "<w:tr>{}{}</w:tr><w:tr>{}{}</w:tr>",
            cell(&p("规章")),
            cell(&p("1")),
            cell(&p("规范性文件")),
            cell(&p("2"))
        ));
        // The data table alone, then inside a one-cell layout table with a heading beside it.
        let alone = doc(&data);
        let wrapped = doc(&table(&format!(
            "<w:tr>{}</w:tr>",
            cell(&format!("{}{data}", p("二、主动公开政府信息情况")))
        )));
        let grid = |d: &Document| -> Vec<String> {
            d.rows
                .iter()
                .filter(|r| r.layout == Layout::Grid)
                .map(Row::text)
                .collect()
        };
        assert_eq!(grid(&alone), ["规章 1", "规范性文件 2"]);
        assert_eq!(grid(&wrapped), grid(&alone));
        assert_eq!(wrapped.rows[0].layout, Layout::Prose);
        assert_eq!(wrapped.rows[0].text(), "二、主动公开政府信息情况");
        // A table inside a data table's cell is still folded into that cell.
        let nested = doc(&table(&format!(
            "<w:tr>{}{}</w:tr>",
            cell(&p("规章")),
            cell(&format!(
                "{}{}",
                p("1"),
                table(&format!("<w:tr>{}</w:tr>", cell(&p("注"))))
            )),
        )));
        assert_eq!(nested.rows.len(), 1, "{:?}", nested.rows);
    }

    #[test]
    fn hidden_and_deleted_text_is_not_read() {
        let run = |pr: &str, t: &str| format!("<w:r><w:rPr>{pr}</w:rPr><w:t>{t}</w:t></w:r>");
        let body = format!(
            "<w:p>{}{}</w:p><w:p>{}{}</w:p><w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>{}</w:p><w:p>{}<w:del w:id=\"1\"><w:r><w:t>9</w:t></w:r></w:del></w:p>",
            run("", "1327"),
            run("<w:b/><w:vanish></w:vanish>", "0"),
            run(r#"<w:vanish w:val="0"/>"#, "shown"),
            run(r#"<w:vanish w:val="false"/>"#, "too"),
            run("", "paragraph mark hidden, text shown"),
            run("", "5"),
        );
        let d = doc(&body);
        let texts: Vec<String> = d.rows.iter().map(|r| r.text()).collect();
        assert_eq!(
            texts,
            ["1327", "showntoo", "paragraph mark hidden, text shown", "5"]
        );
    }

    #[test]
    fn grid_span_and_vertical_merges() {
        let cell = |pr: &str, t: &str| {
            format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
        };
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}<w:tc><w:p/></w:tc>{}</w:tr></w:tbl>",
            cell(
                r#"<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>"#,
                "甲"
            ),
            cell("", "乙"),
            cell(r#"<w:gridSpan w:val="2"/><w:vMerge/>"#, ""),
            cell(r#"<w:vMerge w:val="restart"/>"#, "丙"),
            cell("", "丁"),
            cell(
                r#"<w:gridSpan w:val="2"/><w:vMerge w:val="continue"></w:vMerge>"#,
                ""
            ),
            cell("<w:vMerge/>", "ignored"),
        );
        let d = doc(&body);
        assert_eq!(d.rows.len(), 3);
        let r1: Vec<(u32, u32, &str, bool)> = d.rows[1]
            .fragments
            .iter()
            .map(|f| (f.x, f.span, f.text.as_str(), f.continued))
            .collect();
        assert_eq!(
            r1,
            [(0, 2, "甲", true), (2, 1, "丙", false), (3, 1, "丁", false)]
        );
        let r2: Vec<(u32, u32, &str, bool)> = d.rows[2]
            .fragments
            .iter()
            .map(|f| (f.x, f.span, f.text.as_str(), f.continued))
            .collect();
        // The empty cell at x=2 ends the 丙 merge, so the last continue has no restart.
        assert_eq!(
            r2,
            [
                (0, 2, "甲", true),
                (2, 1, "", false),
                (3, 1, "ignored", false)
            ]
        );
        assert!(d.rows.iter().all(|r| r.table == Some(0)));
    }

    #[test]
    fn nested_tables_and_text_boxes_fold_in() {
        let d = doc(concat!(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内1</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr><w:p><w:r><w:t>内2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p/></w:tc><w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent xmlns:mc=\"m\"><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>二</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        ));
        assert_eq!(d.rows.len(), 3);
        let f = &d.rows[0].fragments;
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].text, "外 内1 内2");
        assert_eq!((f[1].x, f[1].text.as_str()), (1, "右"));
        assert_eq!(d.rows[1].text(), "前 框 后");
        assert_eq!(d.rows[2].table, Some(1));
    }

    #[test]
    fn malformed_xml_is_an_error() {
        for xml in [
            "<w:document><w:body><w:p></w:body></w:document>",
            "<w:document><w:body><w:p>",
            "<w:document><w:body><w:p><w:t>&#0;</w:t></w:p></w:body></w:document>",
        ] {
            assert!(
                matches!(read_document_xml(xml), Err(DocxError::MalformedXml(_))),
                "{xml}"
            );
        }
    }

    #[test]
    fn utf16_and_bom() {
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>标题</w:t></w:r></w:p></w:body></w:document>"
        );
        let mut le = vec![0xFF, 0xFE];
        le.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(xml.encode_utf16().flat_map(u16::to_be_bytes));
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend(xml.as_bytes());
        for bytes in [le, be, utf8] {
            let d = read_document_xml(&xml_text(bytes).unwrap()).unwrap();
            assert_eq!(d.rows[0].text(), "标题");
        }
        assert!(xml_text(vec![0xC3, 0x28]).is_err());
    }

    #[test]
    fn not_a_zip() {
        assert!(matches!(read_docx(b"hello"), Err(DocxError::NotZip(_))));
        assert!(!is_docx(b"PK\x03\x04"));
    }
}
