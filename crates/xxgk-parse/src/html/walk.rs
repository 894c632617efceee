//! The DOM walk: html5ever's tree, in document order, to rows.
//!
//! Prose blocks become [`Layout::Prose`] rows; each `<tr>` of a data table becomes a
//! [`Layout::Grid`] row whose fragments sit on the table's grid (rowspan and colspan expanded,
//! blank cells kept). Tables that hold tables are page layout, read as prose; Word's hidden
//! layout rows are dropped. Each fragment is located as it is finished (see `locate`).

use scraper::{Html, Node};

use super::attrs::{Attributes, colspan_of, is_hidden_row, rowspan_of, style_hides};
use super::fast::{all_space, source_offset};
use super::locate::Locator;
use super::text::{Origin, TextBuf};
use crate::doc::{Document, Layout, Row};
use crate::grid::{self, Budget, Grid, Merge};
use std::collections::HashSet;
use xxgk_model::diagnostic::Location;

/// Free budget (bytes) for rowspan copies before it must be earned by real cells.
const CONTINUED_BASE_BUDGET: usize = 1 << 16;
/// Budget (bytes) earned per byte of real cell text.
const CONTINUED_PER_BYTE: usize = 16;

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The rows of a parsed page; `source` is the text it was parsed from, for locations.
pub(super) fn read(html: &Html, source: &str) -> Document {
    let mut walker = Walker::new(source);
    let layout = layout_tables(html);
    walk(html, &layout, &mut walker);
    walker.finish()
}

/// Tables that hold other tables: page layout (old portals put the whole article in one), not
/// data. Their cells are read as blocks of prose, and the tables inside as tables.
fn layout_tables(html: &Html) -> HashSet<ego_tree::NodeId> {
    let is_table = |n: &Node| matches!(n, Node::Element(e) if e.name() == "table");
    html.tree
        .root()
        .descendants()
        .filter(|n| is_table(n.value()) && n.descendants().skip(1).any(|d| is_table(d.value())))
        .map(|n| n.id())
        .collect()
}

/// Depth-first walk with explicit open/close events (no recursion: pages can nest deeply).
fn walk(html: &Html, layout: &HashSet<ego_tree::NodeId>, w: &mut Walker<'_>) {
    let mut node = html.tree.root();
    let mut depth = 0usize;
    loop {
        let descend = match node.value() {
            Node::Text(t) => {
                w.text(t, None);
                false
            }
            Node::Element(el) => w.open_element(
                el.name(),
                &*el.name.ns == HTML_NS,
                layout.contains(&node.id()),
                el,
                None,
            ),
            Node::Document | Node::Fragment => true,
            _ => false,
        };
        if descend && let Some(child) = node.first_child() {
            node = child;
            depth += 1;
            continue;
        }
        loop {
            if matches!(node.value(), Node::Element(_)) {
                w.close_element();
            }
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
/// Elements that hold tables and paragraphs: their style is read for whether it hides them
/// (Word styles every paragraph and span, none of which holds a table).
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "table"
            | "div"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "center"
            | "blockquote"
            | "form"
            | "details"
            | "figure"
            | "header"
            | "footer"
            | "nav"
            | "body"
    )
}

/// Whether an element is hidden from readers: marked `hidden`, or styled away
/// ([`style_hides`]).
fn hides(el: &dyn Attributes) -> bool {
    el.attr("hidden").is_some() || el.attr("style").is_some_and(style_hides)
}

/// Elements that make a table's structure: they keep their own rules for hiding.
fn is_table_part(name: &str) -> bool {
    matches!(
        name,
        "table" | "caption" | "colgroup" | "col" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
    )
}

pub(super) fn is_block(name: &str) -> bool {
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

/// What an open element was, so its close event can be handled.
enum Frame {
    Plain,
    Block,
    /// A block or table hidden from readers (see [`Walker::finish`]).
    Hidden,
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

/// A cell being read (its text goes to the walker's one cell buffer).
struct CellBuild {
    colspan: u32,
    rowspan: u32,
    /// Where its tag starts in the source, when known (the fast path).
    tag: Option<usize>,
}

/// Reads a page's elements and text, in document order, into rows: what the DOM walk and the
/// fast path (`fast`) both drive.
pub(super) struct Walker<'a> {
    src: &'a str,
    locator: Locator<'a>,
    rows: Vec<Row>,
    prose: TextBuf,
    title: Option<TextBuf>,
    title_active: bool,
    head_depth: u32,
    frames: Vec<Frame>,
    tables: Vec<TableCtx>,
    cell: Option<CellBuild>,
    /// The open cell's text: one buffer for every cell of the page.
    cell_text: TextBuf,
    next_table: u32,
    /// For rowspan copies, shared by the page's tables.
    continued_budget: Budget,
    /// Open blocks hidden from readers, and for each row whether it was read inside one.
    hidden_depth: u32,
    hidden: Vec<bool>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(source: &'a str) -> Self {
        Walker {
            src: source,
            locator: Locator::new(source),
            rows: Vec::new(),
            prose: TextBuf::default(),
            title: None,
            title_active: false,
            head_depth: 0,
            frames: Vec::new(),
            tables: Vec::new(),
            cell: None,
            cell_text: TextBuf::default(),
            next_table: 0,
            continued_budget: Budget::new(CONTINUED_BASE_BUDGET, CONTINUED_PER_BYTE),
            hidden_depth: 0,
            hidden: Vec::new(),
        }
    }

    /// An element's end (every element opened is closed, its children walked or not).
    pub(super) fn close_element(&mut self) {
        match self.frames.pop() {
            Some(Frame::Plain) | None => {}
            Some(Frame::Block) => self.block_break(),
            Some(Frame::Hidden) => {
                self.block_break();
                self.hidden_depth = self.hidden_depth.saturating_sub(1);
            }
            Some(Frame::Head) => self.head_depth = self.head_depth.saturating_sub(1),
            Some(Frame::Title) => self.title_active = false,
            Some(Frame::Table) => self.close_table(),
            Some(Frame::Tr) => self.finish_row(),
            Some(Frame::Cell) => self.finish_cell(),
        }
    }

    /// A text node, read from the source at byte `at` when that is known.
    pub(super) fn text(&mut self, s: &str, at: Option<usize>) {
        let buf = if self.title_active {
            self.title.as_mut()
        } else if self.head_depth > 0 {
            None
        } else if self.cell.is_some() {
            Some(&mut self.cell_text)
        } else {
            Some(&mut self.prose)
        };
        // HTML whitespace before any text (between tags, most often) changes nothing: the
        // text is trimmed, and no break or space is kept before its first character.
        if let Some(buf) = buf
            && !(buf.is_empty() && all_space(s))
        {
            buf.push_str(s, at);
        }
    }

    /// An element's start: its (lowercase) name, whether it is in the HTML namespace, whether
    /// it is a table holding tables (page layout), its attributes, where its tag starts in the
    /// source when that is known. Returns whether to walk its children.
    pub(super) fn open_element(
        &mut self,
        name: &str,
        html_ns: bool,
        layout_table: bool,
        el: &dyn Attributes,
        at: Option<usize>,
    ) -> bool {
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
            // What a reader does not see, or that is no part of a value, in a cell: an element
            // styled away (Word's hidden text, `display:none`) or marked `hidden`, deleted
            // text (Word exports tracked deletions as <del>) and Word's footnote marks. A row
            // or cell keeps the table's own rules (a hidden row is dropped only when blank).
            _ if self.cell.is_some() && !is_table_part(name) && (name == "del" || hides(el)) => {
                (Frame::Plain, false)
            }
            // A block or table hidden whole: read aside, and kept only when the page shows
            // no table (see `finish`).
            _ if is_container(name) && hides(el) => {
                self.block_break();
                self.hidden_depth += 1;
                (Frame::Hidden, true)
            }
            "table" if html_ns && self.cell.is_none() && !layout_table => {
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
                    colspan: colspan_of(el),
                    rowspan: rowspan_of(el),
                    tag: at,
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
        if self.cell.is_some() {
            self.cell_text.soft_break();
        } else {
            self.flush_prose();
        }
    }

    /// Where a fragment's text (or, blank, its cell's tag) is: read off the source offsets
    /// the fast path knows, else searched for.
    fn locate(&mut self, raw: &str, origin: Origin, tag: Option<usize>) -> Location {
        match (origin, tag) {
            (Origin::At { node, index }, _) => {
                self.locator.at(source_offset(self.src, node, index))
            }
            (Origin::None, Some(tag)) => self.locator.at_tag(tag),
            _ => self.locator.locate(raw),
        }
    }

    fn flush_prose(&mut self) {
        // Called at every cell and row: most often with nothing gathered since the last.
        if self.prose.is_empty() {
            return;
        }
        let origin = self.prose.origin();
        let (raw, text) = self.prose.take();
        if text.is_empty() {
            return;
        }
        let location = self.locate(&raw, origin, None);
        self.push_row(Row::prose(text, raw, location));
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
        let Some(cell) = self.cell.take() else {
            return;
        };
        let origin = self.cell_text.origin();
        let (raw, text) = self.cell_text.take();
        let location = self.locate(&raw, origin, cell.tag);
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
            .map_or(self.locator.last(), |f| f.location);
        let table = Some(table.id);
        self.push_row(Row {
            layout: Layout::Grid,
            fragments,
            table,
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

    fn push_row(&mut self, row: Row) {
        self.hidden.push(self.hidden_depth > 0);
        self.rows.push(row);
    }

    pub(super) fn finish(mut self) -> Document {
        if self.cell.is_some() {
            self.finish_cell();
        }
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.flush_prose();
        if let Some(mut title) = self.title.take() {
            let origin = title.origin();
            let (raw, text) = title.take();
            if !text.is_empty() {
                let location = match origin {
                    Origin::At { node, index } => {
                        self.locator.at(source_offset(self.src, node, index))
                    }
                    _ => self.locator.locate_from_start(&raw),
                };
                self.rows.insert(0, Row::prose(text, raw, location));
                self.hidden.insert(0, false);
            }
        }
        // What is hidden from readers is not read beside a table they see (last year's table
        // kept for a "show more" button); a page that shows no table but hides one (its whole
        // article revealed by a script) is read whole.
        let hidden = std::mem::take(&mut self.hidden);
        if hidden.iter().any(|&h| h)
            && self
                .rows
                .iter()
                .zip(&hidden)
                .any(|(r, &h)| !h && r.layout == Layout::Grid)
        {
            let mut keep = hidden.iter().map(|&h| !h);
            self.rows.retain(|_| keep.next().unwrap_or(true));
        }
        Document { rows: self.rows }
    }
}

#[cfg(test)]
mod tests {
    use crate::doc::{Layout, Row};
    use crate::html::read_html;
    use crate::html::tests::{cells, grid, texts};

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
    fn text_a_reader_does_not_see_is_not_read() {
        for page in [
            "<table><tr><td>a</td><td><span style=\"display:none\">9</span>30</td></tr></table>",
            "<table><tr><td>a</td><td>3<span style='DISPLAY: none;mso-hide:all'>9</span>0</td></tr></table>",
            "<table><tr><td>a</td><td><del cite='x'>9</del><ins>30</ins></td></tr></table>",
            "<table><tr><td>a</td><td><p style='visibility:hidden'>9</p>30</td></tr></table>",
            "<table><tr><td>a</td><td>30<a style='mso-footnote-id:ftn1' href='#_ftn1'><span class=MsoFootnoteReference>[1]</span></a></td></tr></table>",
            "<table><tr><td>a</td><td><span style=\"display&#58;none\">9</span>30</td></tr></table>",
            "<table><tr><td>a</td><td><span style=\"display:&#110;one\">9</span>30</td></tr></table>",
            "<table><tr><td>a</td><td>3<span hidden>9</span>0</td></tr></table>",
            // Whole blocks and tables hidden: last year's table kept for a "show more" button.
            "<div style='display:none'><table><tr><td>a</td><td>99</td></tr></table></div>\
             <table><tr><td>a</td><td>30</td></tr></table>",
            "<table hidden><tr><td>a</td><td>99</td></tr></table><table><tr><td>a</td><td>30</td></tr></table>",
            "<section hidden=''><p>a 99</p></section><table><tr><td>a</td><td>30</td></tr></table>",
        ] {
            let doc = read_html(page);
            assert_eq!(texts(&doc), vec!["a 30"], "{page}");
            // The fast path reads it alike, or leaves it to html5ever (a style with a
            // character reference).
            assert_ne!(crate::html_fast_path_agrees(page), Some(false), "{page}");
        }
    }

    /// A page whose tables are all hidden (its article shown by a script once loaded) is read
    /// whole, hidden text and all.
    #[test]
    fn a_page_that_hides_every_table_is_read_whole() {
        let page = "<p>标题</p><div id=zoom style='display:none'><p>正文</p>\
                    <table><tr><td>a</td><td>30</td></tr></table></div>";
        assert_eq!(texts(&read_html(page)), vec!["标题", "正文", "a 30"]);
        assert_ne!(crate::html_fast_path_agrees(page), Some(false));
    }

    #[test]
    fn a_hidden_row_with_text_is_kept() {
        let doc = read_html(
            "<table><tr style='display:none'><td>隐</td><td></td></tr><tr style='display:none'><td></td></tr></table>",
        );
        // Only the blank one of the two hidden rows is dropped.
        assert_eq!(texts(&doc), vec!["隐"]);
        assert_eq!(grid(&doc)[0].fragments.len(), 2);
    }

    #[test]
    fn head_script_and_template_text_is_not_read_but_the_title_leads() {
        let src = "<html><head><style>p{}</style><script>var 脚本;</script></head><body><p>正文</p>\
                   <template><p>模板</p></template><noscript>请启用</noscript><title>标题</title></body>";
        let doc = read_html(src);
        assert_eq!(texts(&doc), vec!["标题", "正文"]);
        assert_eq!(doc.rows[0].layout, Layout::Prose);
        let column = src[..src.find("标题").unwrap()].chars().count() + 1;
        assert_eq!(doc.rows[0].location.column as usize, column);
    }
}
