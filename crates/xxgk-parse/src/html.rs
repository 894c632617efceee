//! HTML → document.
//!
//! The page is parsed with `scraper` (html5ever: implied end tags, uppercase tags, Word-exported
//! markup) and its DOM walked in document order. Prose blocks become [`Layout::Prose`] rows; each
//! `<tr>` of a `<table>` becomes a [`Layout::Grid`] row whose fragments sit on the table's grid
//! (rowspan and colspan expanded, blank cells kept). html5ever gives no source positions, so
//! locations are recovered afterwards by matching each fragment's text, in order, against the
//! visible text of the source (see `Locator`).

use scraper::{Html, Node};
use xxgk_model::diagnostic::Location;

use crate::doc::{Document, Fragment, Layout, Row, normalize};
use crate::grid::{self, Budget, Grid, MAX_SPAN, Merge};
use crate::input::{Format, Input, Options, ReadDoc, Reader, Sniff};

/// The HTML reader.
pub(crate) struct HtmlReader;

impl Reader for HtmlReader {
    fn format(&self) -> Format {
        Format::Html
    }

    /// [`looks_like_html`] on the decoded text.
    fn sniff(&self, input: &Input<'_>) -> Option<Sniff> {
        let text = &input.decoded().ok()?.text;
        looks_like_html(text).then_some(Sniff::Likely)
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["html", "htm", "shtml", "xhtml"]
    }

    fn other_names(&self) -> &'static [&'static str] {
        &["jsp", "asp", "aspx", "php"]
    }

    fn read(&self, input: Input<'_>, _: &Options) -> Result<ReadDoc, crate::ParseError> {
        ReadDoc::from_text(input, read_html)
    }
}

/// Whether a text is an HTML page: it opens with markup, and an `<html>`, `<table>`, `<body>`
/// or `<!doctype>` tag comes in its first 2048 characters. (A page saved as `.txt` is still
/// HTML.)
pub(crate) fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.trim_start().starts_with('<')
        && (head.contains("<html")
            || head.contains("<table")
            || head.contains("<body")
            || head.contains("<!doctype"))
}

/// Free budget (bytes) for rowspan copies before it must be earned by real cells.
const CONTINUED_BASE_BUDGET: usize = 1 << 16;
/// Budget (bytes) earned per byte of real cell text.
const CONTINUED_PER_BYTE: usize = 16;
/// How far ahead (stream bytes) a location search looks before searching the whole rest.
const WINDOW: usize = 64 * 1024;
/// Window used once the budget for failed whole-rest searches is spent.
const SMALL_WINDOW: usize = 256;
/// Characters of a fragment's text used to find it in the source.
const NEEDLE_CHARS: usize = 8;

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Read an HTML page (or fragment) into rows. Never panics; roughly linear in the input size.
pub(crate) fn read_html(source: &str) -> Document {
    let parsed = std::panic::catch_unwind(|| Html::parse_document(source));
    let Ok(html) = parsed else {
        return Document::default();
    };
    let mut walker = Walker::new(source);
    walker.layout_tables = layout_tables(&html);
    walk(&html, &mut walker);
    walker.finish()
}

/// Tables that hold other tables: page layout (old portals put the whole article in one), not
/// data. Their cells are read as blocks of prose, and the tables inside as tables.
fn layout_tables(html: &Html) -> std::collections::HashSet<ego_tree::NodeId> {
    let is_table = |n: &Node| matches!(n, Node::Element(e) if e.name() == "table");
    html.tree
        .root()
        .descendants()
        .filter(|n| is_table(n.value()) && n.descendants().skip(1).any(|d| is_table(d.value())))
        .map(|n| n.id())
        .collect()
}

/// Depth-first walk with explicit open/close events (no recursion: pages can nest deeply).
fn walk(html: &Html, w: &mut Walker<'_>) {
    let mut node = html.tree.root();
    let mut depth = 0usize;
    loop {
        w.current = node.id();
        let descend = w.open(node.value());
        if descend && let Some(child) = node.first_child() {
            node = child;
            depth += 1;
            continue;
        }
        loop {
            w.close(node.value());
            if depth == 0 {
                return;
            }
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                break;
            }
            match node.parent() {
                Some(parent) => {
                    node = parent;
                    depth -= 1;
                }
                None => return,
            }
        }
    }
}

/// Elements that start a new prose row (and become a space inside a table cell).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "optgroup"
            | "option"
            | "p"
            | "pre"
            | "section"
            | "select"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
    )
}

/// East Asian wide characters: a line break between two of them in the source is not a space
/// (Word wraps long lines of its HTML export in the middle of words).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// Text of one prose block or one cell, accumulated from text nodes.
#[derive(Default)]
struct TextBuf {
    /// The source text (breaks from `<br>`/blocks as one space).
    raw: String,
    /// The text for reading: whitespace decided, not yet normalised.
    text: String,
    pending_space: bool,
    pending_newline: bool,
    pending_break: bool,
    last: Option<char>,
}

impl TextBuf {
    fn push_str(&mut self, s: &str) {
        self.raw.push_str(s);
        for c in s.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
                if c == '\n' || c == '\r' {
                    self.pending_newline = true;
                }
            } else {
                if !self.text.is_empty() {
                    let joined = self.pending_newline
                        && !self.pending_break
                        && self.last.is_some_and(is_wide)
                        && is_wide(c);
                    if self.pending_break || (self.pending_space && !joined) {
                        self.text.push(' ');
                    }
                }
                self.pending_space = false;
                self.pending_newline = false;
                self.pending_break = false;
                self.text.push(c);
                self.last = Some(c);
            }
        }
    }

    /// A `<br>` or block boundary inside the text: reads as one space.
    fn soft_break(&mut self) {
        if !self.raw.is_empty() && !self.raw.ends_with(' ') {
            self.raw.push(' ');
        }
        self.pending_break = true;
    }

    /// (trimmed raw, normalised text), leaving the buffer empty.
    fn take(&mut self) -> (String, String) {
        let raw = self.raw.trim().to_string();
        let text = normalize(&self.text);
        *self = TextBuf::default();
        (raw, text)
    }
}

/// What an open element was, so its close event can be handled.
enum Frame {
    Plain,
    Block,
    Head,
    Title,
    Table,
    Tr,
    Cell,
}

struct TableCtx {
    id: u32,
    /// Rows with rowspan and colspan expanded.
    grid: Grid,
    /// The current row is a Word layout row (`<tr height=0>`) or a hidden row: dropped when all
    /// its cells are blank.
    hidden: bool,
}

struct CellBuild {
    buf: TextBuf,
    colspan: u32,
    rowspan: u32,
}

struct Walker<'a> {
    locator: Locator<'a>,
    rows: Vec<Row>,
    prose: TextBuf,
    title: Option<TextBuf>,
    title_active: bool,
    head_depth: u32,
    frames: Vec<Frame>,
    tables: Vec<TableCtx>,
    cell: Option<CellBuild>,
    next_table: u32,
    /// For rowspan copies, shared by the page's tables.
    continued_budget: Budget,
    /// Tables holding other tables (see [`layout_tables`]).
    layout_tables: std::collections::HashSet<ego_tree::NodeId>,
    /// The node being opened.
    current: ego_tree::NodeId,
}

/// HTML "rules for parsing non-negative integers", leniently: leading digits count, anything
/// else is ignored; no digits → `None`.
fn parse_span(value: Option<&str>) -> Option<u64> {
    let v = value?.trim_start();
    let v = v.strip_prefix('+').unwrap_or(v);
    let digits: &str = &v[..v.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    // Saturate instead of overflowing on absurd values.
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

fn colspan_of(el: &scraper::node::Element) -> u32 {
    match parse_span(el.attr("colspan")) {
        Some(0) | None => 1,
        Some(n) => n.min(u64::from(MAX_SPAN)) as u32,
    }
}

fn rowspan_of(el: &scraper::node::Element) -> u32 {
    match parse_span(el.attr("rowspan")) {
        // rowspan=0: to the end of the table.
        Some(0) => MAX_SPAN,
        None => 1,
        Some(n) => n.min(u64::from(MAX_SPAN)) as u32,
    }
}

fn is_hidden_row(el: &scraper::node::Element) -> bool {
    let height_zero = el.attr("height").is_some_and(|h| h.trim() == "0");
    let style = el
        .attr("style")
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(' ', "");
    height_zero
        || style.contains("display:none")
        || style.contains("height:0;")
        || style.ends_with("height:0")
}

impl<'a> Walker<'a> {
    fn new(source: &'a str) -> Self {
        Walker {
            locator: Locator::new(source),
            rows: Vec::new(),
            prose: TextBuf::default(),
            title: None,
            title_active: false,
            head_depth: 0,
            frames: Vec::new(),
            tables: Vec::new(),
            cell: None,
            next_table: 0,
            continued_budget: Budget::new(CONTINUED_BASE_BUDGET, CONTINUED_PER_BYTE),
            layout_tables: std::collections::HashSet::new(),
            current: ego_tree::Tree::new(()).root().id(),
        }
    }

    /// Handle a node's start; returns whether to walk its children.
    fn open(&mut self, node: &Node) -> bool {
        match node {
            Node::Text(t) => {
                self.text(t);
                false
            }
            Node::Element(el) => self.open_element(el),
            Node::Document | Node::Fragment => true,
            _ => false,
        }
    }

    fn close(&mut self, node: &Node) {
        if !matches!(node, Node::Element(_)) {
            return;
        }
        match self.frames.pop() {
            Some(Frame::Plain) | None => {}
            Some(Frame::Block) => self.block_break(),
            Some(Frame::Head) => self.head_depth = self.head_depth.saturating_sub(1),
            Some(Frame::Title) => self.title_active = false,
            Some(Frame::Table) => self.close_table(),
            Some(Frame::Tr) => self.finish_row(),
            Some(Frame::Cell) => self.finish_cell(),
        }
    }

    fn text(&mut self, s: &str) {
        if self.title_active {
            if let Some(t) = self.title.as_mut() {
                t.push_str(s);
            }
        } else if self.head_depth > 0 {
        } else if let Some(cell) = self.cell.as_mut() {
            cell.buf.push_str(s);
        } else {
            self.prose.push_str(s);
        }
    }

    fn open_element(&mut self, el: &scraper::node::Element) -> bool {
        let name = el.name();
        let html_ns = &*el.name.ns == HTML_NS;
        let (frame, descend) = match name {
            "script" | "style" | "noscript" | "template" => (Frame::Plain, false),
            "head" if html_ns => {
                self.head_depth += 1;
                (Frame::Head, true)
            }
            "title" if html_ns => {
                if self.title.is_none() {
                    self.title = Some(TextBuf::default());
                    self.title_active = true;
                    (Frame::Title, true)
                } else {
                    (Frame::Plain, false)
                }
            }
            _ if self.title_active || self.head_depth > 0 => (Frame::Plain, true),
            "table"
                if html_ns
                    && self.cell.is_none()
                    && !self.layout_tables.contains(&self.current) =>
            {
                self.flush_prose();
                self.tables.push(TableCtx {
                    id: self.next_table,
                    grid: Grid::default(),
                    hidden: false,
                });
                self.next_table = self.next_table.saturating_add(1);
                (Frame::Table, true)
            }
            "tr" if html_ns && self.cell.is_none() && !self.tables.is_empty() => {
                self.flush_prose();
                self.start_row(is_hidden_row(el));
                (Frame::Tr, true)
            }
            "td" | "th" if html_ns && self.cell.is_none() && !self.tables.is_empty() => {
                self.flush_prose();
                if self.tables.last().is_some_and(|t| !t.grid.in_row()) {
                    self.start_row(false);
                }
                self.cell = Some(CellBuild {
                    buf: TextBuf::default(),
                    colspan: colspan_of(el),
                    rowspan: rowspan_of(el),
                });
                (Frame::Cell, true)
            }
            _ if is_block(name) => {
                self.block_break();
                (Frame::Block, true)
            }
            _ => (Frame::Plain, true),
        };
        self.frames.push(frame);
        descend
    }

    fn block_break(&mut self) {
        if self.title_active || self.head_depth > 0 {
            return;
        }
        if let Some(cell) = self.cell.as_mut() {
            cell.buf.soft_break();
        } else {
            self.flush_prose();
        }
    }

    fn flush_prose(&mut self) {
        let (raw, text) = self.prose.take();
        if text.is_empty() {
            return;
        }
        let location = self.locator.locate(&raw);
        self.rows.push(Row {
            layout: Layout::Prose,
            fragments: vec![Fragment {
                text,
                raw,
                location,
                x: 0,
                span: 1,
                continued: false,
            }],
            table: None,
            location,
        });
    }

    fn start_row(&mut self, hidden: bool) {
        if self.tables.last().is_some_and(|t| t.grid.in_row()) {
            self.finish_row();
        }
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        table.grid.start_row(0, &mut self.continued_budget);
        table.hidden = hidden;
    }

    fn finish_cell(&mut self) {
        let Some(mut cell) = self.cell.take() else {
            return;
        };
        let (raw, text) = cell.buf.take();
        let location = self.locator.locate(&raw);
        self.continued_budget.earn(1 + raw.len() + text.len());
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        table.grid.push(
            grid::Cell {
                text,
                raw,
                location,
                colspan: cell.colspan,
                merge: Merge::Down(cell.rowspan),
            },
            &mut self.continued_budget,
        );
    }

    fn finish_row(&mut self) {
        if self.cell.is_some() {
            self.finish_cell();
        }
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        let Some(fragments) = table.grid.finish_row() else {
            return;
        };
        if fragments.is_empty() || (table.hidden && fragments.iter().all(|f| f.text.is_empty())) {
            return;
        }
        let location = fragments
            .iter()
            .find(|f| !f.continued)
            .or(fragments.first())
            .map_or(self.locator.last, |f| f.location);
        self.rows.push(Row {
            layout: Layout::Grid,
            fragments,
            table: Some(table.id),
            location,
        });
    }

    fn close_table(&mut self) {
        if self.tables.last().is_some_and(|t| t.grid.in_row()) {
            self.finish_row();
        }
        self.tables.pop();
        self.flush_prose();
    }

    fn finish(mut self) -> Document {
        if self.cell.is_some() {
            self.finish_cell();
        }
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.flush_prose();
        if let Some(mut title) = self.title.take() {
            let (raw, text) = title.take();
            if !text.is_empty() {
                let location = self.locator.locate_from_start(&raw);
                self.rows.insert(
                    0,
                    Row {
                        layout: Layout::Prose,
                        fragments: vec![Fragment {
                            text,
                            raw,
                            location,
                            x: 0,
                            span: 1,
                            continued: false,
                        }],
                        table: None,
                        location,
                    },
                );
            }
        }
        Document { rows: self.rows }
    }
}

// ---------------------------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------------------------

/// Characters used to find text in the source: everything but whitespace and the characters
/// pages often write as entities (`&nbsp;`, `&ldquo;`, `&mdash;`, `&hellip;`, `&middot;`, …),
/// so that an entity in the source never breaks a match.
fn keep(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '&' | '<'
                | '>'
                | '"'
                | '\''
                | '\u{A0}'..='\u{BF}'
                | '\u{D7}'
                | '\u{F7}'
                | '\u{2000}'..='\u{206F}'
                | '\u{E000}'..='\u{F8FF}'
                | '\u{FEFF}'
                | '\u{FFFD}'
        ))
}

/// Named entities decoding to a [`keep`] character (all others decode to dropped characters or
/// are rare enough to ignore).
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "euro" => '€',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "minus" => '−',
        _ => return None,
    })
}

/// The visible text of the source (outside tags, comments, scripts and styles; entities decoded)
/// reduced to [`keep`] characters, with the source byte offset of each stream byte.
fn build_stream(src: &str) -> (String, Vec<usize>) {
    let b = src.as_bytes();
    let n = b.len();
    let mut stream = String::with_capacity(n / 2);
    let mut offsets: Vec<usize> = Vec::with_capacity(n / 2);
    let push = |c: char, at: usize, stream: &mut String, offsets: &mut Vec<usize>| {
        if keep(c) {
            stream.push(c);
            offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
    };
    let mut i = 0;
    // Inside a title/textarea (RCDATA): markup is not recognised before this offset.
    let mut rcdata_end = 0;
    while i < n {
        match b[i] {
            b'<' if i >= rcdata_end => {
                let (next, rc) = skip_markup(src, i);
                i = next.max(i + 1);
                if let Some(end) = rc {
                    rcdata_end = end;
                }
            }
            b'&' => {
                let (next, c) = entity(b, i);
                if let Some(c) = c {
                    push(c, i, &mut stream, &mut offsets);
                }
                i = next.max(i + 1);
            }
            byte if byte < 0x80 => {
                push(byte as char, i, &mut stream, &mut offsets);
                i += 1;
            }
            _ => match src.get(i..).and_then(|s| s.chars().next()) {
                Some(c) => {
                    push(c, i, &mut stream, &mut offsets);
                    i += c.len_utf8();
                }
                None => i += 1,
            },
        }
    }
    (stream, offsets)
}

fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == needle)
        .map(|p| from + p)
}

/// Offset of `</name` (ASCII case-insensitive, followed by a tag-name terminator) from `from`.
fn find_close_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let lt = find_byte(b, i, b'<')?;
        if b.get(lt + 1) == Some(&b'/') {
            let start = lt + 2;
            let end = start + name.len();
            if b.get(start..end)
                .is_some_and(|s| s.eq_ignore_ascii_case(name))
                && b.get(end)
                    .is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            {
                return Some(lt);
            }
        }
        i = lt + 1;
    }
}

/// Skip the markup starting at `b[i] == '<'`. Returns the next offset and, for title/textarea,
/// the offset of their end tag (their content is text).
fn skip_markup(src: &str, i: usize) -> (usize, Option<usize>) {
    let b = src.as_bytes();
    let n = b.len();
    let after = |p: Option<usize>| p.map_or(n, |p| p + 1);
    match b.get(i + 1) {
        Some(b'!') => {
            if b.get(i + 2..i + 4) == Some(b"--") {
                let end = src
                    .get(i + 2..)
                    .and_then(|s| s.find("-->"))
                    .map_or(n, |p| i + 2 + p + 3);
                (end, None)
            } else {
                (after(find_byte(b, i + 2, b'>')), None)
            }
        }
        Some(b'?') => (after(find_byte(b, i + 2, b'>')), None),
        Some(b'/') => match b.get(i + 2) {
            Some(b'>') => (i + 3, None),
            Some(_) => (after(find_byte(b, i + 2, b'>')), None),
            None => (n, None),
        },
        Some(c) if c.is_ascii_alphabetic() => {
            let name_start = i + 1;
            let mut j = name_start;
            while j < n && !(b[j].is_ascii_whitespace() || b[j] == b'/' || b[j] == b'>') {
                j += 1;
            }
            let name = &b[name_start..j];
            // Attributes: quoted values may contain '>'.
            let mut prev = 0u8;
            while j < n {
                let c = b[j];
                if c == b'>' {
                    j += 1;
                    break;
                }
                if (c == b'"' || c == b'\'') && prev == b'=' {
                    j = after(find_byte(b, j + 1, c));
                    prev = c;
                    continue;
                }
                if !c.is_ascii_whitespace() {
                    prev = c;
                }
                j += 1;
            }
            let lower = name.to_ascii_lowercase();
            match lower.as_slice() {
                b"script" | b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes"
                | b"noscript" => (find_close_tag(b, j, &lower).unwrap_or(n), None),
                b"plaintext" => (n, None),
                b"title" | b"textarea" => (j, Some(find_close_tag(b, j, &lower).unwrap_or(n))),
                _ => (j, None),
            }
        }
        // A lone '<' is text (and not a kept character).
        _ => (i + 1, None),
    }
}

/// Decode the character reference at `b[i] == '&'`: (next offset, character if any). Unknown
/// named references with a ';' are dropped whole; without ';' the '&' alone is skipped.
fn entity(b: &[u8], i: usize) -> (usize, Option<char>) {
    let n = b.len();
    let mut j = i + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let start = j;
        let mut value: u32 = 0;
        while j < n {
            let d = match (b[j] as char).to_digit(if hex { 16 } else { 10 }) {
                Some(d) => d,
                None => break,
            };
            value = value
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            j += 1;
        }
        if j == start {
            return (i + 1, None);
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        let c = match value {
            0x80 => Some('€'),
            0x81..=0x9F => None,
            v => char::from_u32(v),
        };
        return (j, c);
    }
    let start = j;
    while j < n && j - start < 32 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j > start && b.get(j) == Some(&b';') {
        let name = std::str::from_utf8(&b[start..j]).unwrap_or("");
        return (j + 1, named_entity(name));
    }
    (i + 1, None)
}

/// Finds fragments in the source, in order, and turns byte offsets into (line, column).
struct Locator<'a> {
    src: &'a str,
    stream: String,
    offsets: Vec<usize>,
    cursor: usize,
    /// Location of the last fragment found.
    last: Location,
    /// Source byte offset from which the next blank cell's tag is looked for.
    tag_cursor: usize,
    /// Bytes that failed searches of the whole rest may still scan (keeps the total linear).
    budget: usize,
    line_starts: Vec<usize>,
    /// (line index, byte offset, 0-based char column) of the last conversion.
    cache: (usize, usize, usize),
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Locator<'a> {
    fn new(src: &'a str) -> Self {
        let (stream, offsets) = build_stream(src);
        let mut line_starts = vec![0];
        line_starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, c)| c == b'\n')
                .map(|(i, _)| i + 1),
        );
        let budget = stream.len().saturating_mul(4).saturating_add(1 << 20);
        Locator {
            src,
            stream,
            offsets,
            cursor: 0,
            last: Location::new(1, 1),
            tag_cursor: 0,
            budget,
            line_starts,
            cache: (0, 0, 0),
        }
    }

    fn location_at(&mut self, offset: usize) -> Location {
        let offset = floor_boundary(self.src, offset);
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let (cached_line, cached_offset, cached_col) = self.cache;
        let (from, base) = if cached_line == line && cached_offset <= offset {
            (cached_offset, cached_col)
        } else {
            (self.line_starts.get(line).copied().unwrap_or(0), 0)
        };
        let col = base + self.src.get(from..offset).map_or(0, |s| s.chars().count());
        self.cache = (line, offset, col);
        Location::new(to_u32(line + 1), to_u32(col + 1))
    }

    /// Search `needle` from the cursor; the whole rest is searched only while the budget lasts.
    fn search(&mut self, needle: &str, whole: bool) -> Option<usize> {
        let cursor = self.cursor;
        let hay = self.stream.get(cursor..)?;
        let window = if self.budget > 0 {
            WINDOW
        } else {
            SMALL_WINDOW
        };
        let end = floor_boundary(hay, window);
        if let Some(p) = hay[..end].find(needle) {
            return Some(cursor + p);
        }
        if end < hay.len() && whole && self.budget > 0 {
            if let Some(p) = hay.find(needle) {
                return Some(cursor + p);
            }
            self.budget = self.budget.saturating_sub(hay.len());
            return None;
        }
        self.budget = self.budget.saturating_sub(end);
        None
    }

    /// Location of the next occurrence of `raw`; the last known location when not found.
    fn locate(&mut self, raw: &str) -> Location {
        let needle: String = raw
            .chars()
            .filter(|&c| keep(c))
            .take(NEEDLE_CHARS)
            .collect();
        if needle.is_empty() {
            return self.locate_blank_cell();
        }
        let found = self.search(&needle, true).or_else(|| {
            // The longest prefix that is present: try a short one nearby.
            let short: String = needle.chars().take(2).collect();
            if short.len() < needle.len() {
                self.search(&short, false)
            } else {
                None
            }
        });
        let Some(p) = found else {
            return self.last;
        };
        let location = self.location_at(self.offsets.get(p).copied().unwrap_or(0));
        // Consume the whole fragment text so that repeated texts map to successive occurrences.
        let mut cur = p;
        for c in raw.chars().filter(|&c| keep(c)) {
            match self.stream.get(cur..) {
                Some(rest) if rest.starts_with(c) => cur += c.len_utf8(),
                _ => break,
            }
        }
        self.cursor = cur;
        self.tag_cursor = self
            .tag_cursor
            .max(self.offsets.get(p).copied().unwrap_or(0));
        self.last = location;
        location
    }

    /// A blank cell has no text to find: point at its `<td>`/`<th>` tag, the next one after
    /// the last text or tag found (within a short window, else the last location).
    fn locate_blank_cell(&mut self) -> Location {
        const TAG_WINDOW: usize = 4096;
        let start = self.tag_cursor.min(self.src.len());
        let end = floor_boundary(self.src, start.saturating_add(TAG_WINDOW));
        let window = self.src.as_bytes().get(start..end).unwrap_or_default();
        let found = window.windows(3).position(|w| {
            w[0] == b'<' && (w[1] | 0x20) == b't' && matches!(w[2] | 0x20, b'd' | b'h')
        });
        match found {
            Some(i) => {
                let at = start + i;
                self.tag_cursor = at + 3;
                let location = self.location_at(at);
                self.last = location;
                location
            }
            None => self.last,
        }
    }

    /// Location of the first occurrence of `raw` (the title), without moving the cursor.
    fn locate_from_start(&mut self, raw: &str) -> Location {
        let needle: String = raw
            .chars()
            .filter(|&c| keep(c))
            .take(NEEDLE_CHARS)
            .collect();
        if needle.is_empty() {
            return Location::new(1, 1);
        }
        match self.stream.find(&needle) {
            Some(p) => self.location_at(self.offsets.get(p).copied().unwrap_or(0)),
            None => Location::new(1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(doc: &Document) -> Vec<&Row> {
        doc.rows
            .iter()
            .filter(|r| r.layout == Layout::Grid)
            .collect()
    }

    /// (x, span, continued, text) of each fragment.
    fn cells(row: &Row) -> Vec<(u32, u32, bool, &str)> {
        row.fragments
            .iter()
            .map(|f| (f.x, f.span, f.continued, f.text.as_str()))
            .collect()
    }

    fn texts(doc: &Document) -> Vec<String> {
        doc.rows.iter().map(Row::text).collect()
    }

    /// 1-based line of the first line of `src` containing `needle`, from line `from` on.
    fn line_of(src: &str, needle: &str, from: usize) -> u32 {
        src.lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| l.contains(needle))
            .map(|(i, _)| i as u32 + 1)
            .unwrap()
    }

    const SECTION3: &str = include_str!("../tests/fixtures/html/word-section3.html");
    const PAGE: &str = include_str!("../tests/fixtures/html/portal-page.html");

    #[test]
    fn html_word_section3_header_grid() {
        let doc = read_html(SECTION3);
        let rows = grid(&doc);
        assert!(rows.iter().all(|r| r.table == Some(0)));
        assert_eq!(
            cells(rows[0]),
            vec![
                (
                    0,
                    3,
                    false,
                    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
                ),
                (3, 7, false, "申请人情况")
            ]
        );
        assert_eq!(
            cells(rows[1]),
            vec![
                (
                    0,
                    3,
                    true,
                    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
                ),
                (3, 1, false, "自然人"),
                (4, 5, false, "法人或其他组织"),
                (9, 1, false, "总计"),
            ]
        );
        assert_eq!(
            cells(rows[2]),
            vec![
                (
                    0,
                    3,
                    true,
                    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
                ),
                (3, 1, true, "自然人"),
                (4, 1, false, "商业 企业"),
                (5, 1, false, "科研 机构"),
                (6, 1, false, "社会公益组织"),
                (7, 1, false, "法律服务机构"),
                (8, 1, false, "其他"),
                (9, 1, true, "总计"),
            ]
        );
    }

    #[test]
    fn html_word_section3_body_grid() {
        let doc = read_html(SECTION3);
        let rows = grid(&doc);
        // Label split over spans inside a word, blank (&nbsp;) cells kept.
        assert_eq!(
            rows[3].fragments[0].text,
            "一、本年新收政府信息公开申请数量"
        );
        assert_eq!((rows[3].fragments[0].x, rows[3].fragments[0].span), (0, 3));
        assert_eq!(
            rows[3].fragments[1..]
                .iter()
                .map(|f| (f.x, f.text.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (3, "120"),
                (4, "15"),
                (5, ""),
                (6, "2"),
                (7, ""),
                (8, "3"),
                (9, "140")
            ]
        );
        // A line break of Word's export inside a label is not a space.
        assert_eq!(
            rows[4].fragments[0].text,
            "二、上年结转政府信息公开申请数量"
        );
        // The vertical 三、本年度办理结果 spans 22 rows.
        assert_eq!(cells(rows[5])[0], (0, 1, false, "三、本年度办理结果"));
        assert_eq!(cells(rows[5])[1], (1, 2, false, "(一)予以公开"));
        for row in &rows[6..27] {
            assert_eq!(
                cells(row)[0],
                (0, 1, true, "三、本年度办理结果"),
                "{}",
                row.text()
            );
        }
        assert_eq!(cells(rows[27])[0], (0, 3, false, "四、结转下年度继续办理"));
        assert_eq!(rows.len(), 28);
        // (三)不予公开 over 8 rows.
        assert_eq!(
            cells(rows[7])[1..3],
            [
                (1, 1, false, "(三)不予公开"),
                (2, 1, false, "1.属于国家秘密")
            ]
        );
        for (k, row) in rows[8..15].iter().enumerate() {
            assert_eq!(cells(row)[1], (1, 1, true, "(三)不予公开"));
            assert!(
                cells(row)[2].3.starts_with(&format!("{}.", k + 2)),
                "{}",
                row.text()
            );
            assert_eq!(cells(row)[2].0, 2);
            assert_eq!(row.fragments.len(), 10);
        }
        assert_eq!(cells(rows[15])[1], (1, 1, false, "(四)无法提供"));
        assert_eq!(cells(rows[26])[1], (1, 2, false, "(七)总计"));
        // Every body row has 10 grid columns' worth of cells: 3 label columns + 7 values.
        for row in &rows[3..] {
            let last = row.fragments.last().unwrap();
            assert_eq!(last.x + last.span, 10, "{}", row.text());
        }
    }

    #[test]
    fn html_word_section3_locations() {
        let doc = read_html(SECTION3);
        let rows = grid(&doc);
        let secret = &rows[7].fragments[2];
        assert_eq!(secret.location.line, line_of(SECTION3, "属于国家秘密", 1));
        // The continued copy keeps the location of the merged cell.
        assert_eq!(rows[8].fragments[1].location, rows[7].fragments[1].location);
        assert_eq!(rows[7].location, rows[7].fragments[1].location);
        // Values on their own lines map to successive occurrences.
        let header = line_of(SECTION3, "属于国家秘密", 1);
        let first_value = &rows[7].fragments[3];
        assert_eq!(first_value.text, "1");
        assert_eq!(
            first_value.location.line,
            line_of(SECTION3, ">1<", header as usize)
        );
        // The label split over spans is located at its first piece.
        let new_received = &rows[3].fragments[0];
        let line = line_of(SECTION3, "一、本年新", 1);
        assert_eq!(new_received.location.line, line);
        let col = SECTION3
            .lines()
            .nth(line as usize - 1)
            .unwrap()
            .split("一、本年新")
            .next()
            .unwrap()
            .chars()
            .count()
            + 1;
        assert_eq!(new_received.location.column as usize, col);
        // Locations are non-decreasing through the table.
        let locs: Vec<_> = rows
            .iter()
            .flat_map(|r| &r.fragments)
            .filter(|f| !f.continued && !f.text.is_empty())
            .map(|f| (f.location.line, f.location.column))
            .collect();
        assert!(locs.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn html_uppercase_tags_without_end_tags() {
        let doc = read_html("<TABLE><TR><TD>a<TD>b\n<TR><TD COLSPAN=2>c<TD>&nbsp;</TABLE><P>after");
        let rows = grid(&doc);
        assert_eq!(cells(rows[0]), vec![(0, 1, false, "a"), (1, 1, false, "b")]);
        assert_eq!(cells(rows[1]), vec![(0, 2, false, "c"), (2, 1, false, "")]);
        assert_eq!(rows[1].location.line, 2);
        assert_eq!(doc.rows.last().unwrap().text(), "after");
        assert_eq!(doc.rows.last().unwrap().table, None);
    }

    #[test]
    fn html_blank_cells_are_kept() {
        let doc = read_html(
            "<table><tr><td>x</td><td>&nbsp;</td><td> </td><td></td><td><p><span>&nbsp;</span><o:p></o:p></p></td><td>&#12288;</td></tr></table>",
        );
        let rows = grid(&doc);
        assert_eq!(rows[0].fragments.len(), 6);
        assert!(
            rows[0].fragments[1..]
                .iter()
                .all(|f| f.text.is_empty() && f.raw.is_empty())
        );
        assert_eq!(
            rows[0].fragments.iter().map(|f| f.x).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn html_inline_concatenation_and_breaks() {
        let doc = read_html(
            "<p><span>本年新</span><span>收</span><b>政府</b><font>信息</font><a href=#>公开</a>申请</p>\
             <p>第一行<br>第二行</p><div>外<div>内</div>尾</div>",
        );
        assert_eq!(
            texts(&doc),
            vec![
                "本年新收政府信息公开申请",
                "第一行",
                "第二行",
                "外",
                "内",
                "尾"
            ]
        );
        assert!(
            doc.rows
                .iter()
                .all(|r| r.layout == Layout::Prose && r.table.is_none())
        );
        let doc = read_html(
            "<table><tr><td>商业<br>企业</td><td><p>法人或</p><p>其他组织</p></td><td>a<br/>\n<br/>b</td></tr></table>",
        );
        assert_eq!(
            cells(grid(&doc)[0]),
            vec![
                (0, 1, false, "商业 企业"),
                (1, 1, false, "法人或 其他组织"),
                (2, 1, false, "a b")
            ]
        );
        assert_eq!(grid(&doc)[0].fragments[0].raw, "商业 企业");
    }

    #[test]
    fn html_whitespace_rules() {
        // Word wraps lines inside CJK words: no space; between Latin words: a space.
        let doc = read_html("<p>政府信息\r\n  公开 2021\n年 annual\nreport&nbsp;&nbsp;ok</p>");
        assert_eq!(texts(&doc), vec!["政府信息公开 2021 年 annual report ok"]);
        // html5ever turns CRLF into LF.
        assert_eq!(
            doc.rows[0].fragments[0].raw,
            "政府信息\n  公开 2021\n年 annual\nreport\u{a0}\u{a0}ok"
        );
        // Full-width folding through normalize.
        let doc = read_html("<p>（一）予以公开　１２</p>");
        assert_eq!(texts(&doc), vec!["(一)予以公开 12"]);
        assert_eq!(doc.rows[0].fragments[0].raw, "（一）予以公开　１２");
    }

    #[test]
    fn html_a_table_holding_tables_is_page_layout() {
        let doc = read_html(
            "<table><tr><td>外<table><tr><td>内1</td><td>内2</td></tr></table>尾</td><td>9</td></tr></table><table><tr><td>next</td></tr></table>",
        );
        // The outer table is layout: its text is prose, the inner table is a table.
        let rows = grid(&doc);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            cells(rows[0]),
            vec![(0, 1, false, "内1"), (1, 1, false, "内2")]
        );
        assert_eq!(rows[0].table, Some(0));
        assert_eq!(rows[1].table, Some(1));
        let prose: Vec<String> = doc
            .rows
            .iter()
            .filter(|r| r.layout == Layout::Prose)
            .map(Row::text)
            .collect();
        assert_eq!(prose, vec!["外", "尾", "9"]);
    }

    #[test]
    fn html_span_attributes() {
        let doc = read_html(
            "<table><tr><td colspan=abc>a</td><td colspan=0>b</td><td colspan=99999 rowspan=-3>c</td><td>d</td></tr>\
             <tr><td rowspan=\" 2px\">e</td><td>f</td></tr><tr><td>g</td></tr></table>",
        );
        let rows = grid(&doc);
        assert_eq!(
            cells(rows[0]),
            vec![
                (0, 1, false, "a"),
                (1, 1, false, "b"),
                (2, 1000, false, "c"),
                (1002, 1, false, "d")
            ]
        );
        assert_eq!(cells(rows[1]), vec![(0, 1, false, "e"), (1, 1, false, "f")]);
        assert_eq!(cells(rows[2]), vec![(0, 1, true, "e"), (1, 1, false, "g")]);
    }

    #[test]
    fn html_rowspan_zero_and_overflow_rows() {
        let doc = read_html(
            "<table><tr><td rowspan=0>L</td><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td></tr></table><table><tr><td>x</td></tr></table>",
        );
        let rows = grid(&doc);
        assert_eq!(cells(rows[2]), vec![(0, 1, true, "L"), (1, 1, false, "3")]);
        // Carries end with their table.
        assert_eq!(cells(rows[3]), vec![(0, 1, false, "x")]);
    }

    #[test]
    fn html_word_layout_row_dropped() {
        let doc = read_html(
            "<table><tr><td>a</td><td>1</td></tr><![if !supportMisc]><tr height=0><td width=80 style='border:none'></td><td width=20 style='border:none'></td></tr><![endif]></table>",
        );
        assert_eq!(grid(&doc).len(), 1);
    }

    #[test]
    fn html_full_page() {
        let doc = read_html(PAGE);
        let all = texts(&doc);
        assert_eq!(all[0], "示例县人民政府办公室2021年政府信息公开工作年度报告");
        assert_eq!(doc.rows[0].layout, Layout::Prose);
        assert_eq!(doc.rows[0].location.line, line_of(PAGE, "<title>", 1));
        for bad in ["function", "var ", "color:", "{", "请启用", "模板内容"] {
            assert!(
                all.iter().all(|t| !t.contains(bad)),
                "{bad} leaked: {all:?}"
            );
        }
        assert!(all.contains(&"首页".to_string()));
        assert!(all.contains(&"一、总体情况".to_string()));
        assert!(
            all.contains(&"版权所有:示例县人民政府 技术支持:示例公司".to_string()),
            "{all:?}"
        );
        let heading = doc
            .rows
            .iter()
            .find(|r| r.text() == "一、总体情况")
            .unwrap();
        assert_eq!(heading.location.line, line_of(PAGE, "一、总体情况", 1));
        let tables: Vec<u32> = grid(&doc).iter().filter_map(|r| r.table).collect();
        assert_eq!(tables.first(), Some(&0));
        assert_eq!(tables.last(), Some(&1));
        let review = grid(&doc)
            .into_iter()
            .filter(|r| r.table == Some(1))
            .collect::<Vec<_>>();
        assert_eq!(cells(review[0])[0], (0, 5, false, "行政复议"));
        assert_eq!(cells(review[0])[1], (5, 10, false, "行政诉讼"));
        assert_eq!(cells(review[1])[0].1, 1);
        assert_eq!(cells(review[2])[0], (0, 1, true, "结果维持"));
        assert_eq!(cells(review[2])[5], (5, 1, false, "结果维持"));
        assert_eq!(review[2].fragments.len(), 15);
        assert_eq!(review[3].fragments.len(), 15);
        assert_eq!(review[3].fragments[14].text, "");
        assert_eq!(review[3].location.line, line_of(PAGE, "data-row", 1));
        // Prose with entities.
        assert!(
            all.iter().any(|t| t == "3.危及“三安全一稳定”的 A&B"),
            "{all:?}"
        );
        let last = doc.rows.last().unwrap();
        assert_eq!(last.location.line, line_of(PAGE, "版权所有", 1));
    }

    #[test]
    fn html_fragment_and_degenerate_inputs() {
        assert_eq!(read_html(""), Document::default());
        assert_eq!(read_html("   \n"), Document::default());
        assert_eq!(texts(&read_html("plain text")), vec!["plain text"]);
        assert_eq!(texts(&read_html("<td>a<td>b")), vec!["ab"]);
        assert_eq!(texts(&read_html("<tr><td>x</td></tr>")), vec!["x"]);
        let doc = read_html("<title>T</title><title>U</title><p>p</p>");
        assert_eq!(texts(&doc), vec!["T", "p"]);
        let deep = "<div>".repeat(3_000) + "深" + &"</div>".repeat(3_000);
        assert_eq!(texts(&read_html(&deep)), vec!["深"]);
    }

    #[test]
    fn html_repeated_texts_map_to_successive_lines() {
        let src = "<table>\n<tr><td>0</td>\n<td>0</td>\n<td>&nbsp;</td>\n<td>0</td></tr>\n</table>\n<p>0</p>";
        let doc = read_html(src);
        let row = &doc.rows[0];
        assert_eq!(
            row.fragments
                .iter()
                .map(|f| f.location.line)
                .collect::<Vec<_>>(),
            vec![2, 3, 4, 5],
            "a blank cell points at its own tag"
        );
        assert_eq!(row.fragments[0].location.column, 9);
        assert_eq!(doc.rows[1].location, Location::new(7, 4));
    }

    #[test]
    fn html_locations_skip_scripts_and_attributes() {
        let src = "<html><head><script>var s = '总计';</script></head>\n<body><div title=\"总计\">\n<p>总计</p></div>";
        let doc = read_html(src);
        assert_eq!(doc.rows[0].location, Location::new(3, 4));
        // Entities and numeric references in front of the text.
        let src = "<p>&ldquo;&#x4E09;安全&rdquo;</p>\n<p>&#19977;安全</p>";
        let doc = read_html(src);
        assert_eq!(texts(&doc), vec!["“三安全”", "三安全"]);
        // Located at the first character that can be found (the quote entity is skipped).
        assert_eq!(doc.rows[0].location, Location::new(1, 11));
        assert_eq!(doc.rows[1].location, Location::new(2, 4));
    }

    #[test]
    fn html_malicious_spans_stay_bounded() {
        let mut src = String::from("<table>");
        for _ in 0..3000 {
            src.push_str("<tr><td rowspan=65534 colspan=4000000000>x</td></tr>");
        }
        src.push_str("</table>");
        let doc = read_html(&src);
        let total: usize = doc.rows.iter().map(|r| r.fragments.len()).sum();
        assert!(total < 200_000, "{total}");
        assert!(
            doc.rows
                .iter()
                .flat_map(|r| &r.fragments)
                .all(|f| f.span <= MAX_SPAN)
        );
    }

    /// Deterministic pseudo-random generator (xorshift) for the mutation test.
    pub(crate) struct Rng(pub(crate) u64);
    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    pub(crate) fn mutate(rng: &mut Rng, base: &str, snippets: &[&str]) -> String {
        let mut s = base.to_string();
        for _ in 0..1 + rng.below(4) {
            let at = floor_boundary(&s, rng.below(s.len() + 1));
            match rng.below(4) {
                0 => s.truncate(at),
                1 => {
                    let end = floor_boundary(&s, at + rng.below(200));
                    s.replace_range(at..end, "");
                }
                _ => s.insert_str(at, snippets[rng.below(snippets.len())]),
            }
        }
        s
    }

    #[test]
    fn html_mutations_do_not_panic() {
        let snippets = [
            "<td>",
            "</td>",
            "<tr>",
            "</tr>",
            "<table>",
            "</table>",
            "<td rowspan=999999999>",
            "<th colspan=70000>",
            "<br>",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<title>",
            "&#x",
            "&#99999999;",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "<p>",
            "<o:p>",
            "<![if !supportMisc]>",
            "<caption>",
            "<td rowspan=0>",
            "\u{0}",
            "<textarea>",
            "<svg><title>",
            "<math>",
            "<template>",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for i in 0..500 {
            // The large Word fixture is slow to parse in debug builds: mutate it one time in ten.
            let base = if i % 10 == 0 { SECTION3 } else { PAGE };
            let s = mutate(&mut rng, base, &snippets);
            let doc = read_html(&s);
            for row in &doc.rows {
                assert!(
                    row.location.line >= 1 && row.location.column >= 1,
                    "mutation {i}"
                );
                for f in &row.fragments {
                    assert!(f.span >= 1 && f.span <= MAX_SPAN, "mutation {i}");
                    assert_eq!(f.text, normalize(&f.text));
                }
            }
        }
    }

    #[test]
    fn html_stream_decoding() {
        let (stream, offsets) = build_stream(
            "<p class=\"a>b\">x&amp;y&#x41;<!-- c -->z</p><style>q</style><title>t&lt;</title>",
        );
        assert_eq!(stream, "xyAzt");
        assert_eq!(offsets[0], 15);
        assert_eq!(entity(b"&#1234567890123;", 0).1, None);
        assert_eq!(entity(b"&#x", 0), (1, None));
        assert_eq!(entity(b"&rarr;", 0), (6, Some('→')));
        assert_eq!(entity(b"&unknownname;x", 0), (13, None));
    }
}
