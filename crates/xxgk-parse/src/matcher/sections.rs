//! Sections: where each table's part of the document is, found by its heading's ordinal
//! and key words (from the schema), or by its rows when the heading is missing.

use super::*;
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

/// The section of each table of `template`, in the template's order.
pub(super) fn regions(doc: &Document, template: &Template) -> Vec<Option<Region>> {
    let mut headings: Vec<Option<usize>> = Vec::new();
    let mut from = 0;
    for table in template.tables {
        let heading = Heading::new(table);
        let found = (from..doc.rows.len()).find(|&i| heading.is(&doc.rows[i]));
        if let Some(i) = found {
            from = i + 1;
        }
        headings.push(found);
    }
    let ends: Vec<usize> = (0..headings.len())
        .map(|k| {
            let next = headings[k + 1..].iter().flatten().next().copied();
            let start = headings[k].map_or(0, |h| h + 1);
            next.unwrap_or_else(|| {
                end_of_last_section(doc, start, template.tables[k].section.ordinal)
            })
        })
        .collect();
    // A table whose heading is missing is looked for between its neighbours' sections; the
    // matcher accepts it only if enough of its rows are found there.
    (0..headings.len())
        .map(|k| match headings[k] {
            Some(h) => Some(Region {
                heading: Some(h),
                start: h + 1,
                end: ends[k],
            }),
            None => {
                let start = headings[..k].iter().flatten().last().map_or(0, |h| h + 1);
                let end = headings[k + 1..]
                    .iter()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(doc.rows.len());
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
/// (`五、…`), or at the end of the document.
pub(super) fn end_of_last_section(doc: &Document, start: usize, ordinal: &str) -> usize {
    let after: Vec<char> = NUMERALS
        .chars()
        .skip_while(|c| !ordinal.starts_with(*c))
        .skip(1)
        .collect();
    (start..doc.rows.len())
        .find(|&i| {
            let row = &doc.rows[i];
            // Prose only, and told by the first character before the rest is built.
            row.layout == Layout::Prose
                && row.first_squeezed().is_some_and(|c| after.contains(&c))
                && row.squeezed_chars().nth(1) == Some('、')
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
