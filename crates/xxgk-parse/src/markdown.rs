//! Markdown → document.
//!
//! Pipe tables become [`Layout::Grid`] rows (one table id per run of table lines; separator lines
//! skipped), every other non-empty line a [`Layout::Prose`] row with its heading, list and quote
//! marks removed from the text. HTML tables embedded in the Markdown (as PDF-to-Markdown tools
//! write merged-cell tables) are read with [`crate::html`]. Lines are independent, so the reader
//! is linear in the input.

use xxgk_model::diagnostic::Location;

use crate::doc::{Document, Fragment, Layout, Row, normalize};
use crate::input::{self, Format, Input, Options, ReadDoc, Sniff};

/// The Markdown reader.
pub(crate) struct MarkdownReader;

impl input::Reader for MarkdownReader {
    fn format(&self) -> Format {
        Format::Markdown
    }

    /// Markdown may consist of HTML blocks (PDF-to-Markdown tools write merged-cell tables as
    /// HTML), so a text opening with markup is as likely Markdown as HTML: the name decides.
    /// A pipe table (a `|` row followed by its `|---|` delimiter row) is Markdown in any file:
    /// OCR and converter output is often saved as `.txt`. A lone pipe is no sign (plain text
    /// has them).
    fn sniff(&self, input: &Input<'_>) -> Option<Sniff> {
        let text = &input.decoded().ok()?.text;
        (crate::html::looks_like_html(text) || has_pipe_table(text)).then_some(Sniff::Likely)
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["md", "markdown"]
    }

    fn read(&self, input: Input<'_>, _: &Options) -> Result<ReadDoc, crate::ParseError> {
        ReadDoc::from_text(input, read_markdown)
    }
}

/// Read Markdown text into rows. Never panics.
pub(crate) fn read_markdown(source: &str) -> Document {
    let source = source.strip_prefix('\u{FEFF}').unwrap_or(source);
    let lines: Vec<&str> = source
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let infos: Vec<LineInfo> = lines.iter().map(|l| LineInfo::of(l)).collect();
    let mut reader = Reader {
        rows: Vec::new(),
        next_table: 0,
    };
    let mut i = 0;
    while i < lines.len() {
        let info = &infos[i];
        if info.blank {
            i += 1;
        } else if info.html_table {
            i = reader.html_block(&lines, i);
        } else if info.piped() {
            let start = i;
            while i < lines.len() && infos[i].piped() && !infos[i].html_table {
                i += 1;
            }
            reader.pipe_run(&lines[start..i], &infos[start..i], start);
        } else {
            reader.prose(lines[i], i);
            i += 1;
        }
    }
    Document { rows: reader.rows }
}

/// A generic column name converters write (`数据1`, `列 2`, `Column3`, `col4`, `字段5`).
fn is_generic_header(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let name = t.trim_end_matches(|c: char| c.is_ascii_digit());
    name.len() < t.len()
        && ["数据", "列", "字段", "column", "col", "data"]
            .iter()
            .any(|g| name.eq_ignore_ascii_case(g))
}

/// Whether `text` holds a Markdown pipe table: a line opening with `|` and holding at least two
/// cells, followed by a delimiter row.
fn has_pipe_table(text: &str) -> bool {
    let mut previous: Option<LineInfo> = None;
    for line in text.lines() {
        let info = LineInfo::of(line);
        if info.separator
            && previous
                .as_ref()
                .is_some_and(|p| p.lead && p.pipes >= 2 && !p.separator)
        {
            return true;
        }
        previous = Some(info);
    }
    false
}

/// What a line looks like, decided once.
struct LineInfo {
    blank: bool,
    /// Trimmed text starts with `|`.
    lead: bool,
    /// Number of unescaped `|`.
    pipes: usize,
    /// A delimiter row: `|---|:---:|`.
    separator: bool,
    /// Starts an HTML table (`<table`, or a wrapper tag on a line that opens a table).
    html_table: bool,
}

impl LineInfo {
    fn of(line: &str) -> LineInfo {
        let t = line.trim();
        let pipes = unescaped_pipes(line);
        let separator = pipes > 0
            && t.contains('-')
            && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        let html_table = t.starts_with('<') && t.to_ascii_lowercase().contains("<table");
        LineInfo {
            blank: t.is_empty(),
            lead: t.starts_with('|'),
            pipes,
            separator,
            html_table,
        }
    }

    fn piped(&self) -> bool {
        !self.blank && (self.lead || self.pipes > 0)
    }
}

/// A cell of a line: byte range and the 0-based character column where it starts.
struct Piece {
    start: usize,
    end: usize,
    col: usize,
}

/// The number of unescaped `|` of a line (what [`split_cells`] splits at), counted in place.
fn unescaped_pipes(line: &str) -> usize {
    if memchr::memchr(b'|', line.as_bytes()).is_none() {
        return 0;
    }
    // Bytes, not characters: `\` and `|` are ASCII, and no byte of a wider character is.
    let mut escaped = false;
    let mut pipes = 0;
    for b in line.bytes() {
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'|' {
            pipes += 1;
        }
    }
    pipes
}

/// Split a line on unescaped `|`. Always at least one piece.
fn split_cells(line: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let (mut start, mut col) = (0, 0);
    let mut escaped = false;
    for (n, (i, c)) in line.char_indices().enumerate() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            pieces.push(Piece { start, end: i, col });
            start = i + 1;
            col = n + 1;
        }
    }
    pieces.push(Piece {
        start,
        end: line.len(),
        col,
    });
    pieces
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Reader {
    rows: Vec<Row>,
    next_table: u32,
}

impl Reader {
    /// A run of consecutive lines with pipes. With a delimiter row the whole run is one table;
    /// without one, only lines starting with `|` are table lines (the others are prose).
    fn pipe_run(&mut self, lines: &[&str], infos: &[LineInfo], first: usize) {
        let whole = infos.iter().any(|i| i.separator);
        let mut in_table = false;
        for (k, (line, info)) in lines.iter().zip(infos).enumerate() {
            if whole || info.lead {
                if !in_table {
                    in_table = true;
                    self.next_table = self.next_table.saturating_add(1);
                }
                if !info.separator {
                    self.table_row(line, first + k, self.next_table - 1);
                }
            } else {
                in_table = false;
                self.prose(line, first + k);
            }
        }
    }

    fn table_row(&mut self, line: &str, index: usize, table: u32) {
        let mut pieces = split_cells(line);
        // The empty pieces outside the outer pipes are not cells.
        let trailing = pieces.len() > 1
            && pieces
                .last()
                .is_some_and(|p| line[p.start..p.end].trim().is_empty());
        if trailing {
            pieces.pop();
        }
        if line.trim_start().starts_with('|') && !pieces.is_empty() {
            pieces.remove(0);
        }
        let line_no = to_u32(index + 1);
        let fragments: Vec<Fragment> = pieces
            .iter()
            .enumerate()
            .map(|(x, p)| {
                let cell = &line[p.start..p.end];
                let lead = cell.chars().take_while(|c| c.is_whitespace()).count();
                let raw = cell.trim();
                // A blank cell is placed one space in, where its text would start.
                let lead = if raw.is_empty() { lead.min(1) } else { lead };
                Fragment {
                    text: normalize(&inline_text(raw)),
                    raw: raw.to_string(),
                    location: Location::new(line_no, to_u32(p.col + lead + 1)),
                    x: to_u32(x),
                    span: 1,
                    continued: false,
                }
            })
            .collect();
        let Some(location) = fragments.first().map(|f| f.location) else {
            return;
        };
        // A header row of generic names (`数据1 | 数据2`, `列1`, `Column 1`) that converters
        // write when a table is split carries nothing: the columns come from the template.
        let named: Vec<&str> = fragments
            .iter()
            .map(|f| f.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        if !named.is_empty() && named.iter().all(|t| is_generic_header(t)) {
            return;
        }
        self.rows.push(Row {
            layout: Layout::Grid,
            fragments,
            table: Some(table),
            location,
        });
    }

    fn prose(&mut self, line: &str, index: usize) {
        let raw = line.trim();
        if raw.is_empty() || is_rule(raw) || raw.starts_with("```") || raw.starts_with("~~~") {
            return;
        }
        let text = normalize(&inline_text(strip_marks(raw)));
        if text.is_empty() {
            return;
        }
        // A line of bare numbers is a row of values (converters print them apart from labels);
        // a page footer (`— 4 —`, its dashes read as not-applicable marks) is not.
        if !crate::text::is_page_footer(raw)
            && let Some(row) = crate::text::numbers_row(line, to_u32(index + 1))
        {
            self.rows.push(row);
            return;
        }
        let lead = line.chars().take_while(|c| c.is_whitespace()).count();
        let location = Location::new(to_u32(index + 1), to_u32(lead + 1));
        self.rows.push(Row {
            layout: Layout::Prose,
            fragments: vec![Fragment {
                text,
                raw: raw.to_string(),
                location,
                x: 0,
                span: 1,
                continued: false,
            }],
            table: None,
            location,
        });
    }

    /// An HTML table block from line `start` to the line closing its outermost `<table>`:
    /// read as HTML, rows moved to the Markdown's lines and table numbering. Returns the next line.
    fn html_block(&mut self, lines: &[&str], start: usize) -> usize {
        let mut depth = 0usize;
        let mut end = start;
        while end < lines.len() {
            let lower = lines[end].to_ascii_lowercase();
            depth += lower.matches("<table").count();
            depth = depth.saturating_sub(lower.matches("</table").count());
            end += 1;
            if depth == 0 {
                break;
            }
        }
        let chunk = lines[start..end].join("\n");
        let doc = crate::html::read_html(&chunk);
        let mut tables = 0;
        let shift = to_u32(start);
        for mut row in doc.rows {
            let shift_loc = |l: &mut Location| l.line = l.line.saturating_add(shift);
            shift_loc(&mut row.location);
            for f in &mut row.fragments {
                shift_loc(&mut f.location);
            }
            if let Some(t) = row.table.as_mut() {
                tables = tables.max(t.saturating_add(1));
                *t = t.saturating_add(self.next_table);
            }
            self.rows.push(row);
        }
        self.next_table = self.next_table.saturating_add(tables);
        end
    }
}

/// A thematic break or setext underline: `---`, `***`, `___`, `===`.
fn is_rule(t: &str) -> bool {
    let mut chars = t.chars().filter(|c| !c.is_whitespace());
    let Some(first) = chars.next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_' | '=')
        && chars.clone().count() >= 2
        && chars.all(|c| c == first)
}

/// Remove leading blockquote marks, one list bullet and heading marks (with a closing sequence).
fn strip_marks(t: &str) -> &str {
    let mut s = t;
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = s.strip_prefix(bullet) {
            s = rest.trim_start();
            break;
        }
    }
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        let rest = &s[hashes..];
        if rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace()) {
            s = rest.trim();
            let closing = s.trim_end_matches('#');
            if closing.is_empty() || closing.ends_with(|c: char| c.is_whitespace()) {
                s = closing.trim_end();
            }
        }
    }
    s
}

/// Length of an HTML tag at the start of `s` (`<br>`, `</span>`, `<td colspan=2>`), if it is one.
fn tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b':' || *c == b'-')
    {
        i += 1;
    }
    match b.get(i)? {
        b'>' => return Some(i + 1),
        c if c.is_ascii_whitespace() || *c == b'/' => {}
        _ => return None,
    }
    // Bounded look-ahead for the closing '>' keeps the reader linear.
    let limit = b.len().min(i + 512);
    for (k, &c) in b[i..limit].iter().enumerate() {
        match c {
            b'>' => return Some(i + k + 1),
            b'<' => return None,
            _ => {}
        }
    }
    None
}

/// A character reference at the start of `s`: (character, length).
fn md_entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..end];
    let c = match body {
        "nbsp" => '\u{A0}',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "emsp" | "ensp" => ' ',
        _ => {
            let num = body.strip_prefix('#')?;
            let value = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(value).filter(|c| *c != '\0')?
        }
    };
    Some((c, end + 1))
}

/// The reading text of Markdown inline content: backslash escapes resolved, `**`/`__` removed,
/// `<br>` as a space, other HTML tags dropped, character references decoded. Not yet normalised.
fn inline_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(rest) = s.get(i..) {
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            break;
        };
        match c {
            '\\' => match chars.next() {
                Some(n) if n.is_ascii_punctuation() => {
                    out.push(n);
                    i += 2;
                }
                _ => {
                    out.push('\\');
                    i += 1;
                }
            },
            '*' | '_' if rest[1..].starts_with(c) => i += 2,
            '<' => match tag_len(rest) {
                Some(len) => {
                    let tag = rest[..len].to_ascii_lowercase();
                    if tag.starts_with("<br") || tag.starts_with("</p") || tag.starts_with("<p") {
                        out.push(' ');
                    }
                    i += len;
                }
                None => {
                    out.push('<');
                    i += 1;
                }
            },
            '&' => match md_entity(rest) {
                Some((ch, len)) => {
                    out.push(ch);
                    i += len;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            },
            _ => {
                // Up to the next byte a mark can start with, copied whole (those bytes are
                // ASCII, so the run ends at a character boundary).
                let run = rest
                    .bytes()
                    .position(|b| matches!(b, b'\\' | b'*' | b'_' | b'<' | b'&'))
                    .unwrap_or(rest.len())
                    .max(c.len_utf8());
                out.push_str(&rest[..run]);
                i += run;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::tests::{Rng, mutate};

    #[test]
    fn pipes_counted_as_split() {
        for line in [
            "",
            "a",
            "|",
            "||",
            "| a | b |",
            "a \\| b",
            "\\\\|",
            "\\é|",
            "| 公开\\|数 | 3 |",
            "\\",
        ] {
            assert_eq!(
                unescaped_pipes(line),
                split_cells(line).len() - 1,
                "{line:?}"
            );
        }
    }

    const REPORT: &str = include_str!("../tests/fixtures/markdown/converted-report.md");

    fn cells(row: &Row) -> Vec<(u32, &str)> {
        row.fragments
            .iter()
            .map(|f| (f.x, f.text.as_str()))
            .collect()
    }

    fn line_of(src: &str, needle: &str) -> u32 {
        src.lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u32 + 1)
            .unwrap()
    }

    fn find<'a>(doc: &'a Document, prefix: &str) -> &'a Row {
        doc.rows
            .iter()
            .find(|r| {
                r.fragments
                    .first()
                    .is_some_and(|f| f.text.starts_with(prefix))
            })
            .unwrap()
    }

    #[test]
    fn markdown_prose_with_headings() {
        let doc = read_markdown(REPORT);
        let title = &doc.rows[0];
        assert_eq!(title.layout, Layout::Prose);
        assert_eq!(title.text(), "示例市教育局2021年政府信息公开工作年度报告");
        assert_eq!(
            title.fragments[0].raw,
            "# 示例市教育局2021年政府信息公开工作年度报告"
        );
        assert_eq!(title.location, Location::new(1, 1));
        let h = find(&doc, "一、总体情况");
        assert_eq!(h.fragments[0].raw, "## 一、总体情况 ##");
        assert_eq!(h.text(), "一、总体情况");
        assert_eq!(h.location.line, line_of(REPORT, "一、总体情况"));
        assert!(doc.rows.iter().any(|r| r.text() == "(一)主动公开"));
        assert!(doc.rows.iter().any(|r| r.text() == "列表项 1.加强组织领导"));
        assert!(doc.rows.iter().any(|r| r.text() == "引用的说明文字"));
        let indented = find(&doc, "缩进的段落");
        assert_eq!(indented.location.column, 3);
        assert!(
            doc.rows
                .iter()
                .all(|r| !r.text().contains("---") && !r.text().contains("```"))
        );
        // A prose line with a single pipe is not a table.
        let piped = find(&doc, "说明 | 仅一条竖线");
        assert_eq!(piped.table, None);
    }

    #[test]
    fn markdown_generic_headers_and_separator() {
        let doc = read_markdown(REPORT);
        // A header of generic names is no row: it names no column.
        assert!(!doc.rows.iter().any(|r| r.text().starts_with("列1")));
        assert!(is_generic_header("数据 1") && is_generic_header("Column3"));
        assert!(!is_generic_header("列") && !is_generic_header("自然人"));
        let regs = find(&doc, "规章");
        assert_eq!(regs.table, Some(0));
        assert_eq!(cells(regs), vec![(0, "规章"), (1, "0"), (2, ""), (3, "3")]);
        let line = line_of(REPORT, "| 规章 |");
        assert_eq!(regs.location, Location::new(line, 3));
        assert_eq!(regs.fragments[1].location, Location::new(line, 8));
        // Blank cell located where its text would start.
        assert_eq!(regs.fragments[2].location, Location::new(line, 12));
        // Separator lines are not rows.
        assert!(doc.rows.iter().all(|r| !r.text().contains("---")));
    }

    #[test]
    fn markdown_table_split_in_two() {
        let doc = read_markdown(REPORT);
        let part1 = find(&doc, "一、本年新收政府信息公开申请数量");
        let part2 = find(&doc, "(七)总计");
        assert_eq!(part1.table, Some(1));
        assert_eq!(part2.table, Some(2));
        assert_eq!(
            cells(part1),
            vec![
                (0, "一、本年新收政府信息公开申请数量"),
                (1, "120"),
                (2, "15"),
                (3, ""),
                (4, "2"),
                (5, ""),
                (6, "3"),
                (7, "140")
            ]
        );
        assert_eq!(part2.fragments.len(), 8);
        // The page footer between the parts is prose, spaced or not.
        let footer = find(&doc, "-3-");
        assert_eq!(footer.table, None);
        for spaced in ["— 4 —", "- 4 -", "-  4  -"] {
            let doc = read_markdown(&format!("| 1 | 2 |\n|---|---|\n\n{spaced}\n"));
            let row = doc.rows.last().unwrap();
            assert_eq!(row.layout, Layout::Prose, "{spaced}");
        }
        // A wrapped header: <br> and emphasis removed.
        let head = find(&doc, "本列数据");
        assert_eq!(head.fragments[2].text, "商业 企业");
        assert_eq!(head.fragments[2].raw, "**商业<br>企业**");
        assert_eq!(head.fragments[0].text, "本列数据");
    }

    #[test]
    fn markdown_escaped_pipes() {
        let doc = read_markdown(REPORT);
        let row = find(&doc, "3.危及");
        assert_eq!(cells(row)[0], (0, "3.危及\"三安全一稳定\" | 旧称"));
        assert_eq!(row.fragments[0].raw, "3.危及\"三安全一稳定\" \\| 旧称");
        assert_eq!(row.fragments.len(), 8);
        assert_eq!(cells(row)[1], (1, "0"));
    }

    #[test]
    fn markdown_gfm_table_without_outer_pipes() {
        let doc = read_markdown("文字\n\n名称 | 数量\n--- | ---:\n许可 | 5\n处罚 | \\-\n");
        assert_eq!(doc.rows[0].table, None);
        assert_eq!(cells(&doc.rows[1]), vec![(0, "名称"), (1, "数量")]);
        assert_eq!(cells(&doc.rows[2]), vec![(0, "许可"), (1, "5")]);
        assert_eq!(cells(&doc.rows[3]), vec![(0, "处罚"), (1, "-")]);
        assert!(
            doc.rows[1..]
                .iter()
                .all(|r| r.table == Some(0) && r.layout == Layout::Grid)
        );
        assert_eq!(doc.rows[3].fragments[1].location, Location::new(6, 6));
    }

    #[test]
    fn markdown_embedded_html_table() {
        let doc = read_markdown(REPORT);
        let review = find(&doc, "行政复议");
        assert_eq!(review.layout, Layout::Grid);
        assert_eq!(review.table, Some(3));
        assert_eq!((review.fragments[1].x, review.fragments[1].span), (5, 10));
        assert_eq!(review.location.line, line_of(REPORT, "<table>"));
        let data = doc
            .rows
            .iter()
            .filter(|r| r.table == Some(3))
            .nth(3)
            .unwrap();
        assert_eq!(data.fragments.len(), 15);
        let after = find(&doc, "表后的文字");
        assert_eq!(after.location.line, line_of(REPORT, "表后的文字"));
        let last = doc.rows.iter().rev().find(|r| r.table.is_some()).unwrap();
        assert_eq!(last.table, Some(4));
    }

    #[test]
    fn markdown_unicode_columns_and_crlf() {
        let doc = read_markdown("\u{FEFF}| 名称 | 数 |\r\n|:-:|-|\r\n| 甲乙丙 |  ７ |\r\n");
        let row = &doc.rows[1];
        assert_eq!(row.fragments[1].raw, "７");
        assert_eq!(row.fragments[1].text, "7");
        assert_eq!(row.fragments[1].location, Location::new(3, 10));
    }

    #[test]
    fn markdown_lines_with_leading_pipe_but_no_separator() {
        let doc = read_markdown("| a | b |\n| c | d |\nx | y | z\n");
        assert_eq!(doc.rows.len(), 3);
        assert_eq!(doc.rows[0].table, Some(0));
        assert_eq!(doc.rows[1].table, Some(0));
        assert_eq!(doc.rows[2].table, None);
        assert_eq!(doc.rows[2].text(), "x | y | z");
    }

    #[test]
    fn markdown_inline_text() {
        assert_eq!(
            inline_text(
                r"1\. \*a\* **b** __c__ d<br/>e <span style='x'>f</span> &nbsp;&#x41;&amp; <3 a<b"
            ),
            "1. *a* b c d e f \u{a0}A& <3 a<b"
        );
        assert_eq!(strip_marks("> > - ### 标题 ###"), "标题");
        assert_eq!(strip_marks("#标签"), "#标签");
        assert_eq!(strip_marks("-3-"), "-3-");
        assert!(is_rule("- - -") && is_rule("===") && !is_rule("-3-") && !is_rule("--"));
    }

    #[test]
    fn markdown_degenerate_inputs() {
        assert_eq!(read_markdown(""), Document::default());
        assert_eq!(read_markdown("\n\n  \n"), Document::default());
        assert_eq!(read_markdown("|").rows.len(), 0);
        assert_eq!(read_markdown("||").rows[0].fragments.len(), 1);
        assert_eq!(read_markdown("\\").rows[0].text(), "\\");
        assert_eq!(read_markdown("| \\").rows[0].text(), "\\");
        assert_eq!(read_markdown("<table><tr><td>x").rows[0].text(), "x");
    }

    #[test]
    fn markdown_mutations_do_not_panic() {
        let snippets = [
            "|",
            "\\",
            "\\|",
            "**",
            "<br>",
            "<table>",
            "</table>",
            "<td rowspan=9>",
            "&#x",
            "&nbsp;",
            "\n",
            "|---|",
            "# ",
            "> ",
            "- ",
            "```",
            "<",
            "&#99999999;",
        ];
        // The same xorshift mutations as the HTML reader's test.
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for i in 0..500 {
            let s = mutate(&mut rng, REPORT, &snippets);
            let doc = read_markdown(&s);
            for row in &doc.rows {
                assert!(
                    row.location.line >= 1 && row.location.column >= 1,
                    "mutation {i}"
                );
                assert!(
                    row.fragments.iter().all(|f| f.text == normalize(&f.text)),
                    "mutation {i}"
                );
            }
        }
    }
}
