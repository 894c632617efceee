//! Crawler dumps: a whole page on one line, table cells run together with no separator
//! (`（一）予以公开7000007（二）部分公开…`). Such a line is cut into rows where the template's
//! labels start, each row a label and the text after it up to the next label; a row's
//! trailing run of values becomes its value cells. The digits of a run are split into cells
//! later, by the matcher, where the row's cell count and the table's constraints pin the split
//! down (see `matcher::resolve`); otherwise the row is reported as ambiguous.

use std::collections::BTreeMap;

use crate::doc::{Document, Fragment, Layout, Row, normalize};
use crate::value::looks_like_value;
use xxgk_model::Edition;
use xxgk_model::diagnostic::Location;

/// A prose line this long may be a dump.
const LONG_LINE: usize = 300;
/// Template labels a long line must hold to be taken as a dump.
const MIN_LABELS: usize = 5;

/// The document with every dumped line cut into rows at the template's labels; `None` when no
/// line is a dump.
pub(crate) fn split(doc: &Document) -> Option<Document> {
    // The labels are the templates': computed once, not for every document.
    static LABELS: std::sync::OnceLock<Vec<Label>> = std::sync::OnceLock::new();
    let labels = LABELS.get_or_init(labels);
    // Copied only once a dump is found: a document without one is not copied at all.
    let mut rows: Option<Vec<Row>> = None;
    for (i, row) in doc.rows.iter().enumerate() {
        match (dumped(row, labels), rows.as_mut()) {
            (Some(cut), Some(rows)) => rows.extend(cut),
            (Some(cut), None) => {
                let mut copy = Vec::with_capacity(doc.rows.len() + cut.len());
                copy.extend_from_slice(&doc.rows[..i]);
                copy.extend(cut);
                rows = Some(copy);
            }
            (None, Some(rows)) => rows.push(row.clone()),
            (None, None) => {}
        }
    }
    rows.map(|rows| Document { rows })
}

/// A label to cut at: its normalised text, and whether it is a section heading (which stands
/// on a row of its own: the text after it starts a row too).
type Label = (String, bool);

/// Every label of every edition (rows, groups, section headings), normalised, longest first
/// (so that a label holding another is cut at once).
fn labels() -> Vec<Label> {
    let mut out: Vec<Label> = Vec::new();
    for edition in Edition::ALL {
        for table in edition.template().tables {
            out.extend(table.label.spellings().map(|l| (normalize(l), true)));
            let mut rows: Vec<String> = Vec::new();
            for row in table.rows {
                rows.extend(row.label.spellings().map(normalize));
                rows.extend(
                    row.groups
                        .iter()
                        .flat_map(|g| g.label.spellings().map(normalize)),
                );
                rows.extend(row.captions.iter().map(|c| normalize(c)));
            }
            out.extend(rows.into_iter().map(|l| (l, false)));
        }
    }
    // One-character labels are never cut at; two-character ones (`规章`) only where values
    // follow them at once (see `dumped`).
    out.retain(|(l, _)| l.chars().count() >= 2);
    out.sort_by_key(|(l, _)| std::cmp::Reverse(l.chars().count()));
    out.dedup();
    out
}

/// A dumped line cut into rows; `None` when `row` is not a dump.
fn dumped(row: &Row, labels: &[Label]) -> Option<Vec<Row>> {
    let [f] = row.fragments.as_slice() else {
        return None;
    };
    if row.layout != Layout::Prose || f.text.chars().count() < LONG_LINE {
        return None;
    }
    let text = &f.text;
    // Where labels start (byte offsets), each position once, a shorter label inside a longer
    // one's span not counted: start → (end, heading), the spans disjoint (so their ends are
    // in the order of their starts, and only the span starting last before a new one's end can
    // overlap it).
    let mut cuts: BTreeMap<usize, (usize, bool)> = BTreeMap::new();
    for (label, heading) in labels {
        let short = label.chars().count() < 3;
        for (at, _) in text.match_indices(label.as_str()) {
            let end = at + label.len();
            // A short label (`规章`) is a row's only when a value follows it at once: in
            // running prose it is just a word.
            let value_follows = text[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '—'));
            if short && !value_follows {
                continue;
            }
            let overlaps = cuts
                .range(..end)
                .next_back()
                .is_some_and(|(_, &(e, _))| at < e);
            if !overlaps {
                cuts.insert(at, (end, *heading));
            }
        }
    }
    if cuts.len() < MIN_LABELS {
        return None;
    }
    let mut starts: Vec<usize> = cuts
        .iter()
        .flat_map(|(&at, &(end, heading))| std::iter::once(at).chain(heading.then_some(end)))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.push(text.len());
    let mut out = Vec::new();
    // Characters before the segment's start, counted as the segments go by.
    let mut column = 0u32;
    for w in starts.windows(2) {
        let segment = &text[w[0]..w[1]];
        let width = segment.chars().count() as u32;
        if !segment.trim().is_empty() {
            let location = Location::new(f.location.line, f.location.column + column);
            out.push(segment_row(segment, location));
        }
        column += width;
    }
    Some(out)
}

/// A segment as a row: its label, then its trailing values (split at spaces; a run of digits
/// stays one cell for the matcher to split).
fn segment_row(segment: &str, location: Location) -> Row {
    let trimmed = segment.trim_end();
    // The trailing run of value characters: digits, separators, not-applicable marks, units.
    let value_start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '/' | '.' | '-' | '万' | '元' | '项' | '件')
        })
        .last()
        .map_or(trimmed.len(), |(i, _)| i);
    let (label, values) = trimmed.split_at(value_start);
    let mut fragments = Vec::new();
    let mut column = location.column;
    let mut push = |text: &str, column: u32| {
        fragments.push(Fragment {
            text: text.to_owned(),
            raw: text.to_owned(),
            location: Location::new(location.line, column),
            x: column,
            span: 1,
            continued: false,
        });
    };
    let label_text = label.trim();
    if !label_text.is_empty() {
        push(label_text, column);
    }
    column += label.chars().count() as u32;
    let words: Vec<&str> = values.split(' ').collect();
    let values_ok = words
        .iter()
        .filter(|w| !w.is_empty())
        .all(|w| looks_like_value(w));
    if values_ok {
        for w in words {
            if !w.is_empty() {
                push(w, column);
            }
            column += w.chars().count() as u32 + 1;
        }
    }
    let layout = if fragments.len() > 1 {
        Layout::Aligned
    } else {
        Layout::Prose
    };
    Row {
        layout,
        fragments,
        table: None,
        location,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dump_is_cut_at_labels_and_keeps_its_digit_runs() {
        let filler = "占位文字".repeat(80);
        let line = format!(
            "{filler}三、收到和处理政府信息公开申请情况（一）予以公开0110002（二）部分公开（区分处理的，只计这一情形，不计其他情形）0211419（三）不予公开1.属于国家秘密132011172.其他法律行政法规禁止公开2000103"
        );
        let doc = crate::text::read_text(&line);
        let cut = split(&doc).expect("a dump");
        let texts: Vec<Vec<&str>> = cut
            .rows
            .iter()
            .map(|r| r.fragments.iter().map(|f| f.text.as_str()).collect())
            .collect();
        assert!(
            texts.contains(&vec!["(一)予以公开", "0110002"]),
            "{texts:?}"
        );
        assert!(
            texts.contains(&vec!["1.属于国家秘密", "13201117"]),
            "{texts:?}"
        );
        assert!(
            texts.contains(&vec!["2.其他法律行政法规禁止公开", "2000103"]),
            "{texts:?}"
        );
        // Positions point into the original line.
        let row = cut
            .rows
            .iter()
            .find(|r| r.fragments[0].text == "1.属于国家秘密")
            .unwrap();
        let at = line
            .chars()
            .skip(row.fragments[1].location.column as usize - 1);
        assert!(at.collect::<String>().starts_with("13201117"));
        // Ordinary documents are left alone.
        assert!(split(&crate::text::read_text("一、总体情况\n本年度…\n")).is_none());
    }

    #[test]
    fn a_dump_of_100000_labels_is_cut_in_linear_time() {
        // Cut by comparing each label found with every cut before it, and counting each
        // segment's column from the start of the line, this took minutes.
        let unit = "（一）予以公开0110002（二）部分公开0211419";
        let line = format!("{}{}", "占位文字".repeat(80), unit.repeat(50_000));
        let doc = crate::text::read_text(&line);
        let cut = split(&doc).expect("a dump");
        assert_eq!(cut.rows.len(), 1 + 100_000);
        let last = cut.rows.last().unwrap();
        assert_eq!(last.fragments[0].text, "(二)部分公开");
        let column = line.chars().count() - "（二）部分公开0211419".chars().count() + 1;
        assert_eq!(last.location.column as usize, column);
        assert_eq!(last.fragments[1].text, "0211419");
    }
}
