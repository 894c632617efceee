//! Sections: where each table's part of the document is, found by its heading's ordinal
//! and key words (from the schema), or by its rows when the heading is missing.

use super::*;
use crate::labels::lcs;
use crate::tuning::TUNING;
use xxgk_model::template::NUMERALS;

/// The rows of a section: from after its heading to before the next section.
#[derive(Debug, Clone, Copy)]
pub(super) struct Region {
    /// Index of the heading row; `None` when the heading was not found and the section is
    /// the gap between its neighbours'.
    pub(super) heading: Option<usize>,
    /// Index of the first row of the section.
    pub(super) start: usize,
    /// Index one past the last row of the section.
    pub(super) end: usize,
}

/// The ordinal written in Arabic digits (`三` → `3`), which some reports number sections with.
pub(super) fn arabic(ordinal: &str) -> Option<String> {
    let mut chars = ordinal.chars();
    let (c, None) = (chars.next()?, chars.next()) else {
        return None;
    };
    NUMERALS
        .chars()
        .position(|o| o == c)
        .map(|i| (i + 1).to_string())
}

/// Is `row` the heading of `table`: its ordinal first (`三、`, `3.`, `（三）`), then one of its
/// key words? (What the tests ask; [`regions`] prepares each table's [`Heading`] once.)
#[cfg(test)]
fn is_heading(row: &Row, table: &Table) -> bool {
    Heading::new(table).is(row)
}

/// What a table's heading is told by, prepared once for every row looked at.
struct Heading<'t> {
    table: &'t Table,
    /// The ordinal in Arabic digits.
    arabic: Option<String>,
    /// The ordinal in brackets, half and full width.
    bracketed: [String; 2],
}

impl<'t> Heading<'t> {
    fn new(table: &'t Table) -> Heading<'t> {
        let ordinal = table.section.ordinal;
        Heading {
            table,
            arabic: arabic(ordinal),
            bracketed: [format!("({ordinal})"), format!("（{ordinal}）")],
        }
    }

    /// Is `row` the table's heading: its ordinal first (`三、`, `3.`, `（三）`), then one of
    /// its key words?
    fn is(&self, row: &Row) -> bool {
        // A heading opens with its ordinal, in either spelling, or a bracket: most rows are
        // told by their first character.
        let ordinal = self.table.section.ordinal;
        let opens = |c: char| {
            matches!(c, '(' | '（')
                || ordinal.starts_with(c)
                || self.arabic.as_deref().is_some_and(|a| a.starts_with(c))
        };
        if !row.first_squeezed().is_some_and(opens) {
            return false;
        }
        // A heading carries no values (which tells `3.补正后申请…  0  0` from `3.收到…情况`).
        if row
            .fragments
            .iter()
            .skip(1)
            .any(|f| looks_like_value(&f.text))
        {
            return false;
        }
        let text = row.squeezed();
        if text.chars().count() > TUNING.max_heading_chars
            || !self.table.section.keywords.iter().any(|k| text.contains(k))
        {
            return false;
        }
        if self.bracketed.iter().any(|b| text.starts_with(b.as_str())) {
            return true;
        }
        let spellings = std::iter::once(ordinal).chain(self.arabic.as_deref());
        spellings.into_iter().any(|o| {
            text.strip_prefix(o).is_some_and(|rest| {
                rest.starts_with(['、', '.', '．', ',', '，', ' '])
                    || (!o.chars().all(|c| c.is_ascii_digit())
                        && !rest.starts_with(|c: char| c.is_ascii_digit()))
            })
        })
    }
}

/// How much of a table's title a heading's text holds: the longest common subsequence of their
/// cores over the title core's length (1.0: every character of the title, in order), for the
/// title's spelling it holds most of.
fn title_share(core_text: &[char], spellings: &[Vec<char>]) -> f64 {
    spellings
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| lcs(core_text, t) as f64 / t.len() as f64)
        .fold(0.0, f64::max)
}

/// The shortest of a table's title cores.
fn shortest(spellings: &[Vec<char>]) -> usize {
    spellings.iter().map(Vec::len).min().unwrap_or(0)
}

/// Whether the table at `k` has the best title share of every table for `core_text` (ties
/// going to no one): a heading numbered for one table but worded as another's (a report that
/// renumbers its sections prints 四's title as `三、…被申请行政复议…`, with 三's key word 申请)
/// belongs to the other.
fn best_title(core_text: &[char], titles: &[&[Vec<char>]], k: usize) -> Option<f64> {
    let share = title_share(core_text, titles[k]);
    titles
        .iter()
        .enumerate()
        .all(|(o, t)| o == k || title_share(core_text, t) < share)
        .then_some(share)
}

/// Whether a heading numbered for the table at `k` is worded as another table's: it holds one
/// of the other's key words, and more of the other's title than of its own.
fn worded_as_another(row: &Row, template: &Template, titles: &[&[Vec<char>]], k: usize) -> bool {
    let text = row.squeezed();
    let others = template.tables.iter().enumerate().filter(|&(o, _)| o != k);
    others
        .flat_map(|(_, t)| t.section.keywords)
        .any(|w| text.contains(w))
        && best_title(&core(&text), titles, k).is_none()
}

/// Is `row` a table's heading printed under another ordinal or none (a report that leaves out
/// section 二 numbers the next ones 二 and 三; a heading may lose its number): one line, opening
/// with a top-level ordinal (`三、`, `3.`) or none (a bracketed one opens a sub-heading of
/// section 一), no sentence, one of the key words, and most of the table's title, more of it
/// than of any other table's.
fn is_renumbered_heading(row: &Row, table: &Table, titles: &[&[Vec<char>]], k: usize) -> bool {
    let mut texts = row.fragments.iter().filter(|f| !f.text.is_empty());
    let (Some(only), None) = (texts.next(), texts.next()) else {
        return false;
    };
    let text = only.text.as_str();
    if text.chars().count() > TUNING.max_heading_chars
        || text.starts_with(['(', '（'])
        || text.contains(['。', '，', ',', '；', ';', '：', ':'])
        || !table.section.keywords.iter().any(|k| text.contains(k))
    {
        return false;
    }
    // After an ordinal, a marker; a first character that is a digit with none is a value.
    let rest = text.trim_start_matches(|c: char| NUMERALS.contains(c) || c.is_ascii_digit());
    if rest.len() < text.len() && !rest.starts_with(['、', '.', '．', ' ']) {
        return false;
    }
    let core_text = core(text);
    core_text.len() <= 2 * shortest(titles[k])
        && best_title(&core_text, titles, k).is_some_and(|s| s >= TITLE_SHARE)
}

/// Is `row` a one-row table's header: cells, not prose, holding every key word of the
/// section (行政复议 and 行政诉讼 side by side) and no value.
fn is_header_row(row: &Row, table: &Table) -> bool {
    if row.layout == Layout::Prose
        || row.fragments.iter().any(|f| looks_like_value(&f.text))
        || row.fragments.iter().filter(|f| !f.text.is_empty()).count() < 2
    {
        return false;
    }
    let text = row.squeezed();
    text.chars().count() <= TUNING.max_heading_chars
        && table.section.keywords.iter().all(|k| text.contains(k))
}

/// Share of a table's title ([`title_share`]) a heading printed without the table's own
/// ordinal must hold: the reworded headings real reports print hold all of it
/// (`因政府信息公开工作被申请行政复议和提起行政诉讼情况` holds every character of
/// `政府信息公开行政复议、行政诉讼情况`), a row label that shares words with it about half
/// (`本年新收政府信息公开申请数量` holds 9 of the 15 of `收到和处理政府信息公开申请情况`).
const TITLE_SHARE: f64 = 0.8;

/// The rows between the headings found before and after table `k`'s: after the last found
/// before it, up to the first found after it (or the end, `len`).
fn between(headings: &[Option<usize>], k: usize, len: usize) -> (usize, usize) {
    let start = headings[..k].iter().flatten().last().map_or(0, |h| h + 1);
    let end = headings[k + 1..]
        .iter()
        .flatten()
        .next()
        .copied()
        .unwrap_or(len);
    (start, end)
}

/// The section of each table of `template`, in the template's order.
pub(super) fn regions(doc: &Document, template: &'static Template) -> Vec<Option<Region>> {
    // Each table's title cores, in the template's order.
    let titles: Vec<&[Vec<char>]> = template
        .tables
        .iter()
        .map(|t| table_cores(t).title.as_slice())
        .collect();
    let mut headings: Vec<Option<usize>> = Vec::new();
    let mut from = 0;
    for (k, table) in template.tables.iter().enumerate() {
        let heading = Heading::new(table);
        let found = (from..doc.rows.len()).find(|&i| {
            heading.is(&doc.rows[i]) && !worded_as_another(&doc.rows[i], template, &titles, k)
        });
        if let Some(i) = found {
            from = i + 1;
        }
        headings.push(found);
    }
    // Headings under another ordinal or none, looked for between the neighbours' found ones.
    let mut opens_at_header = vec![false; headings.len()];
    for (k, table) in template.tables.iter().enumerate() {
        if headings[k].is_some() {
            continue;
        }
        let (start, end) = between(&headings, k, doc.rows.len());
        headings[k] =
            (start..end).find(|&i| is_renumbered_heading(&doc.rows[i], table, &titles, k));
        // A one-row table with no heading at all (a page of bare tables) opens at its header
        // row: its key words (行政复议, 行政诉讼) as column headings, no value.
        if headings[k].is_none() && table.layout == TableLayout::OneRow {
            headings[k] = (start..end).find(|&i| is_header_row(&doc.rows[i], table));
            opens_at_header[k] = headings[k].is_some();
        }
    }
    // The first row of each found table's section: after its heading, or its header row.
    let first = |k: usize, h: usize| if opens_at_header[k] { h } else { h + 1 };
    let ends: Vec<usize> = (0..headings.len())
        .map(|k| {
            let next = headings[k + 1..].iter().flatten().next().copied();
            let start = headings[k].map_or(0, |h| first(k, h));
            // A renumbered last section ends before the heading numbered after its own.
            let printed = headings[k]
                .and_then(|h| doc.rows[h].first_squeezed())
                .filter(|c| NUMERALS.contains(*c))
                .map(String::from);
            let ordinal = printed
                .as_deref()
                .unwrap_or(template.tables[k].section.ordinal);
            next.unwrap_or_else(|| end_of_last_section(doc, start, ordinal, &template.tables[k]))
        })
        .collect();
    // A table whose heading is missing is looked for between its neighbours' sections; the
    // matcher accepts it only if enough of its rows are found there.
    (0..headings.len())
        .map(|k| match headings[k] {
            Some(h) => Some(Region {
                heading: Some(h),
                start: first(k, h),
                end: ends[k],
            }),
            None => {
                let (start, end) = between(&headings, k, doc.rows.len());
                (start < end).then_some(Region {
                    heading: None,
                    start,
                    end,
                })
            }
        })
        .collect()
}

/// The last table's section ends at the next prose heading numbered after its ordinal
/// (`五、…`), or at the end of the document. One of the table's own rows printed as a line of
/// its own (`四、结转下年度继续办理`, its numbers in a table further down) ends nothing.
pub(super) fn end_of_last_section(
    doc: &Document,
    start: usize,
    ordinal: &str,
    table: &'static Table,
) -> usize {
    let after: Vec<char> = NUMERALS
        .chars()
        .skip_while(|c| !ordinal.starts_with(*c))
        .skip(1)
        .collect();
    let own_row = |row: &Row| {
        let text = core(&row.squeezed());
        table_cores(table)
            .rows
            .iter()
            .any(|label| !label.is_empty() && text.starts_with(label))
    };
    (start..doc.rows.len())
        .find(|&i| {
            let row = &doc.rows[i];
            // Prose only, and told by the first character before the rest is built.
            row.layout == Layout::Prose
                && row.first_squeezed().is_some_and(|c| after.contains(&c))
                && row.squeezed_chars().nth(1) == Some('、')
                && !own_row(row)
        })
        .unwrap_or(doc.rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

    #[test]
    fn headings_by_ordinal_and_key_words() {
        let t = Edition::E2021.template();
        let apps = t.table("applications").unwrap();
        let doc = crate::text::read_text(
            "三、收到和处理政府信息公开申请情况\n3.收到和处理政府信息公开申请情况\n（三）不予公开\t1\t2\n二、主动公开政府信息情况\n",
        );
        assert!(is_heading(&doc.rows[0], apps));
        assert!(
            is_heading(&doc.rows[1], apps),
            "Arabic ordinals are headings too"
        );
        assert!(
            !is_heading(&doc.rows[2], apps),
            "a row with values is no heading"
        );
        assert!(!is_heading(&doc.rows[3], apps));
        assert_eq!(arabic("三").as_deref(), Some("3"));
        assert_eq!(arabic("三四"), None);
        let doc = crate::text::read_text(
            "二、主动公开政府信息情况\n规章\n三、收到和处理政府信息公开申请情况\n",
        );
        let found = regions(&doc, t);
        assert_eq!(
            found[0].map(|r| (r.heading, r.start, r.end)),
            Some((Some(0), 1, 2))
        );
        assert_eq!(found[1].map(|r| r.heading), Some(Some(2)));
    }

    /// Each table's region as (heading, start, end).
    fn spans(text: &str) -> Vec<Option<(Option<usize>, usize, usize)>> {
        let doc = crate::text::read_text(text);
        regions(&doc, Edition::E2021.template())
            .into_iter()
            .map(|r| r.map(|r| (r.heading, r.start, r.end)))
            .collect()
    }

    #[test]
    fn sections_numbered_in_arabic_digits_and_the_last_ones_end() {
        let found = spans(
            "2.主动公开政府信息情况\n\
             规章\t1\t0\t4\n\
             3.收到和处理政府信息公开申请情况\n\
             一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n\
             4.政府信息公开行政复议、行政诉讼情况\n\
             41  17  56  12  126  9  2  5  3  19  6  1  2  4  13\n\
             五、存在的主要问题及改进情况\n\
             占位文字。\n",
        );
        assert_eq!(
            found,
            [
                Some((Some(0), 1, 2)),
                Some((Some(2), 3, 4)),
                Some((Some(4), 5, 6))
            ]
        );
    }

    #[test]
    fn headings_under_another_ordinal_are_told_by_their_wording() {
        // Renumbered: 二 holds 三's title, 三 holds 四's, and 四 (a prose heading numbered
        // after 三's printed ordinal) ends the last one.
        let found = spans(
            "二、收到和处理政府信息公开申请情况\n\
             一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n\
             三、政府信息公开行政复议、行政诉讼情况\n\
             41  17  56  12  126  9  2  5  3  19  6  1  2  4  13\n\
             四、存在的主要问题及改进情况\n\
             占位文字。\n",
        );
        assert_eq!(
            found,
            [None, Some((Some(0), 1, 2)), Some((Some(2), 3, 4))],
            "{found:?}"
        );
        // Not headings: a label sharing words with a title, a sentence, a bracketed
        // sub-heading of section 一 under another ordinal.
        for line in [
            "本年新收政府信息公开申请数量",
            "本机关未发生政府信息公开行政复议、行政诉讼情况。",
            "（二）政府信息公开行政复议、行政诉讼情况",
        ] {
            let found = spans(&format!("{line}\n规章\t1\t0\t4\n"));
            assert!(
                found.iter().flatten().all(|r| r.0.is_none()),
                "{line}: {found:?}"
            );
        }
    }

    #[test]
    fn a_section_without_its_heading_is_the_gap_between_its_neighbours() {
        let found = spans(
            "二、主动公开政府信息情况\n\
             规章\t1\t0\t4\n\
             一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n\
             四、政府信息公开行政复议、行政诉讼情况\n\
             41  17  56  12  126  9  2  5  3  19  6  1  2  4  13\n",
        );
        assert_eq!(
            found,
            [
                Some((Some(0), 1, 3)),
                Some((None, 1, 3)),
                Some((Some(3), 4, 5))
            ]
        );
        // No heading at all, and nothing between the neighbours: no region.
        assert_eq!(
            spans("二、主动公开政府信息情况\n四、政府信息公开行政复议、行政诉讼情况\n")[1],
            None
        );
    }
}
