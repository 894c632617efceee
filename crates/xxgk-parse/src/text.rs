//! Plain text, including what PDF extractors print, → document rows.
//!
//! A line with tabs is a row of cells with known boundaries ([`Layout::Grid`]), unless its
//! tabs only end a row of space-aligned cells; a line with gaps of two or more spaces is a row
//! of space-aligned cells ([`Layout::Aligned`], as from `pdftotext -layout`); anything else
//! is prose. Page footers (`-3-`, `第 3 页`) are dropped wherever they fall, so a page break
//! inside a table or a label leaves no trace.

use crate::doc::{Document, Fragment, Layout, Row, fold_char, normalize};
use crate::input::{Format, Input, Options, ReadDoc, Reader, Sniff};
use crate::value::looks_like_value;
use xxgk_model::diagnostic::Location;

/// The plain-text reader, and the fallback: any input no other reader claims is decoded as
/// text ([`crate::decode`] refuses what is not text, with an error saying what to do).
pub(crate) struct TextReader;

impl Reader for TextReader {
    fn format(&self) -> Format {
        Format::Text
    }

    /// Never sure: plain text is what remains.
    fn sniff(&self, _: &Input<'_>) -> Option<Sniff> {
        None
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["txt", "text"]
    }

    fn read(&self, input: Input<'_>, _: &Options) -> Result<ReadDoc, crate::ParseError> {
        ReadDoc::from_text(input, read_text)
    }
}

/// Read plain text into rows.
///
/// ```
/// use xxgk_parse::{doc::Layout, text::read_text};
/// let doc = read_text("三、收到和处理\n（二）部分公开\t\t5\t0\n规章        1      0     11\n-3-\n");
/// assert_eq!(doc.rows.len(), 3);
/// assert_eq!(doc.rows[1].layout, Layout::Grid);
/// assert_eq!(doc.rows[1].fragments[2].text, "5");
/// assert_eq!(doc.rows[2].layout, Layout::Aligned);
/// assert_eq!(doc.rows[2].fragments[3].x, 23);
/// ```
pub fn read_text(source: &str) -> Document {
    let mut rows = read_lines(source);
    if aligned_by_display_width(&rows) {
        let lines: Vec<&str> = source.lines().collect();
        for row in rows.iter_mut().filter(|r| r.layout == Layout::Aligned) {
            let Some(line) = (row.location.line as usize)
                .checked_sub(1)
                .and_then(|i| lines.get(i))
            else {
                continue;
            };
            for f in &mut row.fragments {
                f.x = display_column(line, f.x);
            }
        }
    }
    Document { rows }
}

/// The display column of character column `x` of `line`: ideographs and full-width forms take
/// two columns.
fn display_column(line: &str, x: u32) -> u32 {
    let wide = line
        .chars()
        .take(x as usize)
        .filter(|c| unicode_width::UnicodeWidthChar::width(*c) == Some(2))
        .count();
    x.saturating_add(u32::try_from(wide).unwrap_or(u32::MAX))
}

/// Whether the text's columns line up by display width rather than by characters (pdftotext
/// counts characters; other extractors and hand-aligned text count an ideograph as two
/// columns). Told by the rows of five values or more: where their last value ends moves less
/// from row to row in the right measure (a page break moves it once in either; a label's
/// ideographs move it at every row in the wrong one).
fn aligned_by_display_width(rows: &[Row]) -> bool {
    // (end in characters, end in display columns) of each full row's last value.
    let mut ends = Vec::new();
    for row in rows.iter().filter(|r| r.layout == Layout::Aligned) {
        let values = row.fragments.iter().filter(|f| looks_like_value(&f.text));
        if values.count() < 5 {
            continue;
        }
        let Some(last) = row.fragments.last() else {
            continue;
        };
        // Ideographs before the last value: those of every fragment before it.
        let wide: usize = row.fragments[..row.fragments.len() - 1]
            .iter()
            .flat_map(|f| f.raw.chars())
            .filter(|c| unicode_width::UnicodeWidthChar::width(*c) == Some(2))
            .count();
        let end = last.x as usize + last.text.chars().count();
        ends.push((end, end + wide));
    }
    if ends.len() < 3 {
        return false;
    }
    let variation = |pick: fn(&(usize, usize)) -> usize| -> usize {
        ends.windows(2)
            .map(|w| pick(&w[0]).abs_diff(pick(&w[1])))
            .sum()
    };
    let by_chars = variation(|e| e.0);
    let by_display = variation(|e| e.1);
    by_display * 2 < by_chars
}

/// The rows of `source`, line by line, fragments at their character columns.
fn read_lines(source: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() || is_page_footer(line) {
            continue;
        }
        let row = match memchr::memchr(b'\t', line.as_bytes()) {
            None => aligned_row(line, line_no).unwrap_or_else(|| prose_row(line, line_no)),
            Some(tab) => aligned_before_trailing_tabs(line, tab, line_no)
                .unwrap_or_else(|| grid_row(line, line_no)),
        };
        // Extractors that print one cell per line: a line holding one value joins the row
        // above it, when that row is a short label (or a label already collecting values).
        if let Some(value) = single_value(&row)
            && let Some(last) = rows.last_mut()
            && collects_values(last)
        {
            let x = last
                .fragments
                .last()
                .map_or(0, |f| f.x.saturating_add(f.text.chars().count() as u32 + 2));
            last.layout = Layout::Aligned;
            last.fragments.push(Fragment { x, ..value });
            continue;
        }
        rows.push(row);
    }
    rows
}

/// The fragment of a line that holds exactly one value (`3001`, `19 项`, `/`) and nothing else.
fn single_value(row: &Row) -> Option<Fragment> {
    match row.fragments.as_slice() {
        [f] if row.layout != Layout::Grid && looks_like_value(&f.text) => Some(f.clone()),
        _ => None,
    }
}

/// Can `row` take the value of the next line: a short label line, alone or already followed
/// by values (never a paragraph, never a grid row).
fn collects_values(row: &Row) -> bool {
    let Some(first) = row.fragments.first() else {
        return false;
    };
    let label_ok = !looks_like_value(&first.text) && first.text.chars().count() <= 60;
    let rest_values = row
        .fragments
        .iter()
        .skip(1)
        .all(|f| looks_like_value(&f.text));
    row.layout != Layout::Grid && label_ok && rest_values
}

/// `-3-`, `— 3 —`, `- 12 -`, `第 3 页`, `第3页 共6页`, `3/6`.
pub fn is_page_footer(line: &str) -> bool {
    let dashes = ['-', '—', '–', '－', '─'];
    // Every footer starts with a dash, `第` and a digit, or digits followed by nothing, a
    // dash or `/`: other lines (most, and numbered items such as `3.属于…`) are not folded.
    let mut chars = line.chars().map(fold_char).filter(|c| !c.is_whitespace());
    let starts = match chars.next() {
        Some('第') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) if c.is_ascii_digit() => chars
            .find(|c| !c.is_ascii_digit())
            .is_none_or(|c| c == '/' || dashes.contains(&c)),
        Some(c) => dashes.contains(&c),
        None => false,
    };
    if !starts {
        return false;
    }
    let t: String = line
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    // A page number between dashes is one number: `- 1 1 0 0 1 3` is a row of values whose
    // first cell is not applicable.
    let folded: String = line.chars().map(fold_char).collect();
    let inner = folded
        .trim()
        .trim_start_matches(dashes)
        .trim_end_matches(dashes)
        .trim();
    if inner.len() < folded.trim().len() && digits_only(inner) && inner.len() <= 4 {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        let (page, tail) = rest.split_once('页').unwrap_or(("", ""));
        if digits_only(page)
            && (tail.is_empty()
                || tail
                    .strip_prefix('共')
                    .and_then(|x| x.strip_suffix('页'))
                    .is_some_and(digits_only))
        {
            return true;
        }
    }
    // `3/6`, written close: `4 / 0` is a row of values (4, not applicable, 0).
    let close = !line.trim().contains(char::is_whitespace);
    t.split_once('/').is_some_and(|(a, b)| {
        let page = |s: &str| (digits_only(s) && s.len() <= 3).then(|| s.parse::<u32>().ok())?;
        close && matches!((page(a), page(b)), (Some(a), Some(b)) if 1 <= a && a <= b)
    })
}

fn location(line: u32, column: usize) -> Location {
    Location::new(line, u32::try_from(column + 1).unwrap_or(u32::MAX))
}

fn prose_row(line: &str, line_no: u32) -> Row {
    let start = line
        .chars()
        .take_while(|c| fold_char(*c).is_whitespace())
        .count();
    let loc = location(line_no, start);
    Row {
        layout: Layout::Prose,
        fragments: vec![Fragment {
            text: normalize(line),
            raw: line.trim().to_owned(),
            location: loc,
            x: 0,
            span: 1,
            continued: false,
        }],
        table: None,
        location: loc,
    }
}

/// A line whose tabs only end it, and whose spaces make a row of several cells: an editor's
/// or extractor's trailing whitespace after a space-aligned row, read by its spaces. (A label
/// alone followed by tabs stays a tab row: its tabs are its blank cells.)
fn aligned_before_trailing_tabs(line: &str, first_tab: usize, line_no: u32) -> Option<Row> {
    let (content, tail) = line.split_at_checked(first_tab)?;
    // Most tab rows have a cell right after their first tab: the look stops there.
    if !tail.chars().all(char::is_whitespace) {
        return None;
    }
    aligned_row(content, line_no).filter(|r| r.fragments.len() > 1)
}

/// Tab-separated cells: every field is a cell, empty fields are blank cells.
fn grid_row(line: &str, line_no: u32) -> Row {
    let mut fragments = Vec::new();
    let mut column = 0usize;
    for (x, field) in line.split('\t').enumerate() {
        let x = u32::try_from(x).unwrap_or(u32::MAX);
        // A field holding a label and values separated by spaces (extractors mix separators)
        // is split as an aligned line would be; its pieces share the field's grid column.
        let words = field.split_whitespace().nth(1).is_some();
        match words
            .then(|| aligned_row(field, line_no))
            .flatten()
            .filter(|r| {
                r.fragments.len() > 1
                    && r.fragments
                        .iter()
                        .skip(1)
                        .all(|f| looks_like_value(&f.text))
            }) {
            Some(split) => fragments.extend(split.fragments.into_iter().map(|mut f| {
                f.location.column += u32::try_from(column).unwrap_or(u32::MAX);
                f.x = x;
                f
            })),
            None => {
                let lead = field
                    .chars()
                    .take_while(|c| fold_char(*c).is_whitespace())
                    .count();
                fragments.push(Fragment {
                    text: normalize(field),
                    raw: field.trim().to_owned(),
                    location: location(line_no, column + lead),
                    x,
                    span: 1,
                    continued: false,
                });
            }
        }
        column += field.chars().count() + 1;
    }
    // Trailing empty fields stay: whether one is a blank cell or the extractor's end of row
    // is for the header to say.
    let location = fragments
        .iter()
        .find(|f| !f.text.is_empty())
        .map_or(location(line_no, 0), |f| f.location);
    Row {
        layout: Layout::Grid,
        fragments,
        table: Some(0),
        location,
    }
}

/// Space-aligned cells: runs of text separated by two or more spaces; inside a run, a value
/// (number, not-applicable mark) separated by one space from its neighbour is a cell of its
/// own, with a unit after a number kept with it (`19 项`). `None` when the line has no gap and
/// no value after its text, i.e. when it is prose.
/// A line of nothing but values (`0 2 0 0 1 3`, `31.11万元`: numbers a converter printed apart
/// from their labels) as an aligned row, one fragment per value; `None` for anything else.
pub(crate) fn numbers_row(line: &str, line_no: u32) -> Option<Row> {
    // Word by word, stopping at the first that is no value (a paragraph's first).
    let mut words = line.split_whitespace().peekable();
    if words.peek().is_none() || !words.all(|w| looks_like_value(&normalize(w))) {
        return None;
    }
    if let Some(row) = aligned_row(line, line_no) {
        return Some(row);
    }
    // One value: a row of one cell.
    let mut row = prose_row(line, line_no);
    row.layout = Layout::Aligned;
    if let Some(f) = row.fragments.first_mut() {
        f.x = f.location.column.saturating_sub(1);
    }
    Some(row)
}

fn aligned_row(line: &str, line_no: u32) -> Option<Row> {
    if !may_be_aligned(line) {
        return None;
    }
    split_aligned(line, line_no)
}

/// Whether [`split_aligned`] makes a row of `line`, decided on the line in place (most lines
/// are prose, and are not copied to find out). Words are split at the same whitespace: folding
/// turns only whitespace into whitespace.
fn may_be_aligned(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let mut end = first.as_ptr() as usize + first.len();
    let mut count = 1;
    for word in words {
        let start = word.as_ptr() as usize;
        // The gap's characters: two or more make a wide gap, and the line a row.
        if line
            .get(end - line.as_ptr() as usize..start - line.as_ptr() as usize)
            .is_some_and(|gap| gap.chars().nth(1).is_some())
        {
            return true;
        }
        end = start + word.len();
        count += 1;
    }
    let value = |w: &str| looks_like_value(&w.chars().map(fold_char).collect::<String>());
    let trailing = line
        .split_whitespace()
        .rev()
        .take_while(|w| value(w))
        .count();
    // One word alone is never table-like: no two values, and no label before one.
    trailing >= 2 || (trailing == 1 && count == 2 && first.chars().count() <= 16)
}

/// [`aligned_row`] without the pre-check.
fn split_aligned(line: &str, line_no: u32) -> Option<Row> {
    let chars: Vec<char> = line.chars().map(fold_char).collect();
    let raw_chars: Vec<char> = line.chars().collect();
    // Words: maximal runs of non-space characters, with their start column.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        words.push((start, i));
    }
    let text = |(a, b): (usize, usize)| chars[a..b].iter().collect::<String>();
    let wide_gap = words.windows(2).any(|w| w[1].0 - w[0].1 >= 2);
    let is_value: Vec<bool> = words.iter().map(|w| looks_like_value(&text(*w))).collect();
    if !wide_gap {
        // Single-spaced cells (`规章 1 0 11`) from some extractors: values after a short label.
        let trailing = is_value.iter().rev().take_while(|v| **v).count();
        let label_len = words.first().map_or(0, |w| w.1 - w.0);
        let table_like = trailing >= 2 || (trailing == 1 && words.len() == 2 && label_len <= 16);
        if !table_like {
            return None;
        }
    }
    // Group words into fragments: a wide gap always separates; a single space separates when
    // either side is a value, except a unit word right after a number.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let joins = match groups.last() {
            None => false,
            Some(prev) => {
                let gap = w.0 - prev.1;
                let unit_after_number = is_value[k - 1] && crate::value::is_unit(&text(*w));
                gap < 2 && (unit_after_number || (!is_value[k] && !is_value[k - 1]))
            }
        };
        match groups.last_mut() {
            Some(last) if joins => last.1 = w.1,
            _ => groups.push(*w),
        }
    }
    let fragments: Vec<Fragment> = groups
        .into_iter()
        .map(|(a, b)| {
            let raw: String = raw_chars[a..b].iter().collect();
            Fragment {
                text: normalize(&raw),
                raw,
                location: location(line_no, a),
                x: u32::try_from(a).unwrap_or(u32::MAX),
                span: 1,
                continued: false,
            }
        })
        .collect();
    let location = fragments
        .first()
        .map_or(location(line_no, 0), |f| f.location);
    Some(Row {
        layout: Layout::Aligned,
        fragments,
        table: Some(0),
        location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pre_check_decides_as_the_split() {
        // Every line and every tab field of the text fixtures, and lines made to sit on each
        // of the split's boundaries.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut lines: Vec<String> = [
            "",
            " ",
            "规章 1 0 11",
            "规章 1",
            "1 规章",
            "12",
            "1 2",
            "十七字以上的一个很长很长的标签名称 3",
            "十六字的标签名称十六字的标签名称 3",
            "规章  1",
            "规章　　1",
            "规章\u{a0} 1",
            "（一）予以公开 12 项",
            "１２ ３４",
            "共计 / /",
            "正文一句话，没有数值。",
            "a  ",
            "  a b",
        ]
        .map(String::from)
        .to_vec();
        let mut dirs = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    lines.extend(text.lines().flat_map(|l| l.split('\t')).map(String::from));
                }
            }
        }
        assert!(lines.len() > 1000, "{} lines", lines.len());
        for line in &lines {
            assert_eq!(
                may_be_aligned(line),
                split_aligned(line, 1).is_some(),
                "{line:?}"
            );
        }
    }

    #[test]
    fn columns_are_measured_as_the_rows_line_up() {
        // The same rows lined up by characters (as pdftotext prints) and by display width.
        let labels = [
            "一、本年新收政府信息公开申请数量",
            "（一）予以公开",
            "（七）总计",
            "3.其他",
        ];
        let values = "   1    2    3    4    5";
        let by_chars: String = labels
            .iter()
            .map(|l| format!("{l}{}{values}\n", " ".repeat(20 - l.chars().count())))
            .collect();
        let by_width: String = labels
            .iter()
            .map(|l| {
                let w: usize = l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                format!("{l}{}{values}\n", " ".repeat(40 - w))
            })
            .collect();
        for text in [by_chars, by_width] {
            let doc = read_text(&text);
            let last_x: Vec<u32> = doc
                .rows
                .iter()
                .map(|r| r.fragments.last().unwrap().x)
                .collect();
            assert!(
                last_x.windows(2).all(|w| w[0] == w[1]),
                "{last_x:?}\n{text}"
            );
        }
    }

    #[test]
    fn page_footers() {
        for f in [
            "-3-",
            "  - 12 -  ",
            "—4—",
            "第 3 页",
            "第3页共6页",
            "3/6",
            "－５－",
            "12-",
            "１２／３４",
        ] {
            assert!(is_page_footer(f), "{f}");
        }
        for f in [
            "-",
            "3",
            "第三页",
            "2024-01-01",
            "1、本机关",
            "3.属于国家秘密",
            "12/3456",
            "4 / 0",
            "- 1 1 0 0 1 3",
            "— 3 12",
            "1 / 4",
            "4/0",
        ] {
            assert!(!is_page_footer(f), "{f}");
        }
    }

    #[test]
    fn tabs_ending_an_aligned_row_separate_no_cells() {
        let line = "      （二）部分公开                   1288        21       0";
        let plain = read_text(line);
        for tail in ["\t", " \t", "\t\t "] {
            let doc = read_text(&format!("{line}{tail}"));
            assert_eq!(doc.rows[0].layout, Layout::Aligned, "{tail:?}");
            assert_eq!(doc.rows[0].fragments, plain.rows[0].fragments, "{tail:?}");
        }
        // A label alone followed by tabs is a tab row: the tabs are its blank cells.
        let doc = read_text("4. 保护第三方合法权益\t\t\t");
        assert_eq!(doc.rows[0].layout, Layout::Grid);
        assert_eq!(doc.rows[0].fragments.len(), 4);
    }

    #[test]
    fn tab_rows_keep_blank_cells_and_positions() {
        let doc = read_text("一、收到申请\t\t\t0\t0\t\n");
        let r = &doc.rows[0];
        assert_eq!(r.layout, Layout::Grid);
        let texts: Vec<&str> = r.fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["一、收到申请", "", "", "0", "0", ""]);
        assert_eq!(r.fragments[3].location, Location::new(1, 10));
    }

    #[test]
    fn aligned_rows_split_values_and_keep_units() {
        let doc = read_text(
            "政府集中采购    19 项   1710.15 万元\n      （二）部分公开                   1288        21       0\n",
        );
        let a: Vec<&str> = doc.rows[0]
            .fragments
            .iter()
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(a, ["政府集中采购", "19 项", "1710.15 万元"]);
        let b: Vec<(&str, u32)> = doc.rows[1]
            .fragments
            .iter()
            .map(|f| (f.text.as_str(), f.x))
            .collect();
        assert_eq!(
            b,
            [("(二)部分公开", 6), ("1288", 32), ("21", 44), ("0", 53)]
        );
        assert_eq!(doc.rows[1].fragments[0].raw, "（二）部分公开");
    }

    #[test]
    fn prose_stays_prose() {
        let doc = read_text(
            "2024 年，全市共受理政府信息公开申请 3119 件，答\n            淮安市人民政府\n",
        );
        assert!(doc.rows.iter().all(|r| r.layout == Layout::Prose));
    }
}
