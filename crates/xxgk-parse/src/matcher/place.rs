//! Columns: a matched row's values placed under the template's columns — in order, under
//! the header's cell boundaries, or by the column positions of neighbouring full rows.

use super::*;
use crate::tuning::TUNING;

/// Where each column's cells sit in a grid, read from header rows: column id → grid x.
/// Header cells of a row: those naming a template column (column id → grid x), and, in grids,
/// those naming a column the template lacks (a 小计 column): x → its text.
pub(super) struct HeaderCells {
    pub(super) columns: Vec<(&'static str, u32)>,
    pub(super) extra: Vec<(u32, String)>,
}

/// What one header cell's text names among a table's columns: the columns whose label it
/// spells (in the columns' order), and whether it is a caption or the stub header, which are
/// no column of their own.
struct Named {
    columns: Vec<&'static str>,
    known: bool,
}

/// Header texts read, per thread: reports print the same headers. Emptied when it holds
/// [`NAMED_MAX`] texts, so that its memory stays bounded.
const NAMED_MAX: usize = 1024;

/// Header texts by table address, then text (looked up by `&str`, without a key to build).
type NamedCache = rustc_hash::FxHashMap<usize, rustc_hash::FxHashMap<Box<str>, std::rc::Rc<Named>>>;

thread_local! {
    static NAMED: std::cell::RefCell<NamedCache> = std::cell::RefCell::default();
}

/// [`Named`] for `text` against `columns` and `stub` (those of the table at address `table`).
fn named(
    table: usize,
    columns: &[&'static Column],
    stub: Option<&str>,
    text: &str,
) -> std::rc::Rc<Named> {
    if let Some(known) = NAMED.with_borrow(|m| m.get(&table)?.get(text).cloned()) {
        return known;
    }
    let text_core = core(text);
    let columns_named = columns
        .iter()
        .filter(|c| {
            c.label.spellings().map(core).any(|label_core| {
                let common = crate::labels::lcs(&label_core, &text_core) as f32;
                // The whole label, and not much else (a caption such as 法人或其他组织 holds
                // 其他) — unless the label starts the text, as with appended explanations.
                !label_core.is_empty()
                    && common / label_core.len() as f32 >= TUNING.header_coverage
                    && (common / text_core.len() as f32 >= TUNING.header_precision
                        || text_core.starts_with(&label_core))
            })
        })
        .map(|c| c.id)
        .collect();
    let known = columns
        .iter()
        .flat_map(|c| c.captions.iter().copied())
        .chain(stub)
        .map(core)
        .filter(|k| !k.is_empty())
        .any(|k| k == text_core || crate::labels::lcs(&k, &text_core) == text_core.len());
    let named = std::rc::Rc::new(Named {
        columns: columns_named,
        known,
    });
    NAMED.with_borrow_mut(|m| {
        if m.values().map(|texts| texts.len()).sum::<usize>() >= NAMED_MAX {
            m.clear();
        }
        m.entry(table)
            .or_default()
            .insert(text.into(), named.clone());
    });
    named
}

/// The header cells of `row` against `columns` and `stub`, those of `table`.
pub(super) fn header_columns(
    table: &'static Table,
    row: &Row,
    columns: &[&'static Column],
    stub: Option<&str>,
) -> HeaderCells {
    let address = std::ptr::from_ref(table) as usize;
    let mut extra = Vec::new();
    let mut out: Vec<(&'static str, u32)> = Vec::new();
    for f in &row.fragments {
        if f.text.is_empty() || looks_like_value(&f.text) {
            continue;
        }
        let named = named(address, columns, stub, &f.text);
        for id in &named.columns {
            if !out.iter().any(|(o, _)| o == id) {
                out.push((*id, f.x));
            }
        }
        let matched = out.iter().any(|(_, x)| *x == f.x);
        if row.layout == Layout::Grid && f.x > 0 && !matched && !f.continued && !named.known {
            extra.push((f.x, f.text.clone()));
        }
    }
    HeaderCells {
        columns: out,
        extra,
    }
}

/// Whether values stand in columns (laid out with wider gaps, as `pdftotext -layout` prints
/// them), rather than one space apart, where their positions say nothing about columns.
pub(super) fn spaced(values: &[&Fragment]) -> bool {
    values.windows(2).any(|w| {
        let end = w[0].x as usize + w[0].text.chars().count();
        (w[1].x as usize).saturating_sub(end) > 1
    })
}

/// A placement of a row's values: one entry per column, the fragment placed there (if any).
pub(super) type Placement<'a> = Vec<Option<&'a Fragment>>;

/// How a row's values were placed.
pub(super) enum Placed<'a> {
    /// The row printed no value at all: every cell is blank.
    AllBlank,
    /// As many cells as columns, in order: certain.
    InOrder(Placement<'a>),
    /// One cell per column under a header that prints the columns in another order than
    /// the template's: each under its own heading.
    Reordered(Placement<'a>),
    /// Under the header, leaving out cells under columns the template lacks (named).
    SkippingExtra(Placement<'a>, Vec<String>),
    /// By the cell boundaries or positions the source gives.
    ByPosition(Placement<'a>, Message),
    /// Not determined: resolve against the constraints.
    Ambiguous(Vec<&'a Fragment>),
}

/// The grid columns of `columns` under `header`, when the header names each of them in a
/// column of its own and not in the template's order.
fn reordered(columns: &[Column], header: &HashMap<&'static str, u32>) -> Option<Vec<u32>> {
    // Told without allocating in the usual case: a header in the template's order.
    let mut previous = None;
    let mut in_order = true;
    for c in columns {
        let x = *header.get(c.id)?;
        in_order &= previous.is_none_or(|p| p < x);
        previous = Some(x);
    }
    if in_order {
        return None;
    }
    let xs: Vec<u32> = columns
        .iter()
        .filter_map(|c| header.get(c.id).copied())
        .collect();
    let mut sorted = xs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    (sorted.len() == xs.len()).then_some(xs)
}

pub(super) fn place<'a>(
    p: &Printed<'a>,
    columns: &[Column],
    header: &HashMap<&'static str, u32>,
    extra: &HashMap<u32, String>,
    centres: &[Vec<f32>],
) -> Placed<'a> {
    let n = columns.len();
    let values: Vec<&Fragment> = p.values().collect();
    if values.is_empty() {
        return Placed::AllBlank;
    }
    // A grid row with one cell per column is certain, unless it opens with a blank cell the
    // header does not put under the first column: that cell may be a label column, and a
    // value lost further on (tab text keeps no positions to tell).
    let opens_off_header = || {
        p.data.first().is_some_and(|f| f.text.is_empty())
            && columns
                .first()
                .and_then(|c| header.get(c.id))
                .is_some_and(|x| *x != p.data[0].x)
    };
    // Columns printed in another order than the template's (总计 first, 自然人 last): a grid
    // row with a cell under each column's heading takes them from there, not in order.
    if p.row.layout == Layout::Grid
        && let Some(xs) = reordered(columns, header)
    {
        let placement: Placement<'a> = xs
            .iter()
            .map(|x| p.data.iter().find(|f| f.x == *x).copied())
            .collect();
        if placement.iter().all(Option::is_some) {
            return Placed::Reordered(placement);
        }
    }
    if p.row.layout == Layout::Grid && p.data.len() == n && !opens_off_header() {
        return Placed::InOrder(p.data.iter().map(|f| Some(*f)).collect());
    }
    // As many values as columns are in order, unless the grid has a column the template lacks
    // (a 小计 column): a blank cell before it and a value under it count as many, so the
    // header decides, and the order only if the header cannot.
    let in_order = values.len() == n;
    if in_order && (p.row.layout != Layout::Grid || extra.is_empty()) {
        return Placed::InOrder(values.iter().map(|f| Some(*f)).collect());
    }
    let describe = |by: &str| {
        Message::new("place.by")
            .arg("values", values.len())
            .arg("columns", n)
            .arg("by", Message::new(by))
    };
    match p.row.layout {
        Layout::Grid => {
            // Under the header; a row with one label cell more or fewer than the header row
            // (a group label in its own cell) is shifted: the nearest shift that places every
            // value wins, none if two equally near do.
            let distinct = p.data.windows(2).all(|w| w[0].x < w[1].x);
            let all_known = columns.iter().all(|c| header.contains_key(c.id));
            if distinct && all_known {
                // The last grid column the row's label text takes: no column of values can
                // start there (a label one cell further right than the header's stub is a
                // shift, even when both shifts would place every value).
                let label_end = p
                    .row
                    .fragments
                    .iter()
                    .filter(|f| !f.text.is_empty() && !p.data.iter().any(|d| std::ptr::eq(*d, *f)))
                    .map(|f| f.x + f.span.max(1) - 1)
                    .max();
                let first_x = columns.first().and_then(|c| header.get(c.id)).copied();
                let attempt = |shift: i64| -> Option<(Placement<'a>, Vec<String>)> {
                    let at = |x: u32| u32::try_from(i64::from(x) + shift).ok();
                    if let (Some(end), Some(x)) = (label_end, first_x.and_then(at))
                        && x <= end
                    {
                        return None;
                    }
                    let placement: Placement<'a> = columns
                        .iter()
                        .map(|c| {
                            header
                                .get(c.id)
                                .and_then(|x| at(*x))
                                .and_then(|x| p.data.iter().find(|f| f.x == x).copied())
                        })
                        .collect();
                    let placed = placement
                        .iter()
                        .flatten()
                        .filter(|f| !f.text.is_empty())
                        .count();
                    // Values under columns the template lacks (a 小计 column) are left out.
                    let extra_at: HashMap<u32, &String> = extra
                        .iter()
                        .filter_map(|(x, t)| at(*x).map(|x| (x, t)))
                        .collect();
                    let skipped: Vec<String> = values
                        .iter()
                        .filter_map(|v| extra_at.get(&v.x).map(|t| (*t).clone()))
                        .collect();
                    (placed + skipped.len() == values.len()).then_some((placement, skipped))
                };
                let mut found = None;
                for distance in 0..=2i64 {
                    let fits: Vec<(Placement<'a>, Vec<String>)> = [distance, -distance]
                        .into_iter()
                        .take(if distance == 0 { 1 } else { 2 })
                        .filter_map(attempt)
                        .collect();
                    match fits.len() {
                        0 => continue,
                        1 => found = fits.into_iter().next(),
                        _ => {}
                    }
                    break;
                }
                if let Some((placement, mut skipped)) = found {
                    if !skipped.is_empty() {
                        skipped.dedup();
                        return Placed::SkippingExtra(placement, skipped);
                    }
                    return Placed::ByPosition(placement, describe("place.by_header"));
                }
            }
        }
        Layout::Aligned => {
            // Under the centres of the full rows around: every one that places the values must
            // place them alike.
            let mut placed: Option<Placement<'a>> = None;
            let mut agree = true;
            for c in centres {
                if let Some(p) = by_centres(&values, c, n) {
                    match &placed {
                        Some(q) if !same_placement(q, &p) => agree = false,
                        Some(_) => {}
                        None => placed = Some(p),
                    }
                }
            }
            if let (true, Some(placement)) = (agree, placed) {
                return Placed::ByPosition(placement, describe("place.by_positions"));
            }
        }
        Layout::Prose => {}
    }
    if in_order {
        return Placed::InOrder(values.iter().map(|f| Some(*f)).collect());
    }
    Placed::Ambiguous(values)
}

/// `values` (of aligned text) under the columns whose centres are `centres`: each value under
/// the nearest centre, within half the narrowest gap, in order; `None` when one is not.
fn by_centres<'a>(values: &[&'a Fragment], centres: &[f32], n: usize) -> Option<Placement<'a>> {
    if centres.len() != n || n < 2 || !spaced(values) {
        return None;
    }
    let gap = centres
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f32::INFINITY, f32::min);
    if !(gap.is_finite() && gap > 0.0) {
        return None;
    }
    let mut placement: Placement<'a> = vec![None; n];
    let mut last: Option<usize> = None;
    for v in values {
        let centre = v.x as f32 + v.text.chars().count() as f32 / 2.0;
        let (k, d) = centres
            .iter()
            .enumerate()
            .map(|(k, c)| (k, (c - centre).abs()))
            .fold((0, f32::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        if d > gap / 2.0 || last.is_some_and(|l| k <= l) {
            return None;
        }
        placement[k] = Some(*v);
        last = Some(k);
    }
    Some(placement)
}

/// Whether two placements put the same fragments under the same columns.
fn same_placement(a: &Placement<'_>, b: &Placement<'_>) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => std::ptr::eq(*x, *y),
            (None, None) => true,
            _ => false,
        })
}

/// For aligned rows, the column centres of the nearest rows of the same table that printed
/// every value: the nearest before and the nearest after (a page break between them may shift
/// every column, and the two must then agree).
pub(super) fn aligned_centres(
    rows: &[Printed<'_>],
    matches: &[Matched],
    table: &Table,
) -> HashMap<usize, Vec<Vec<f32>>> {
    let full: Vec<(usize, Vec<f32>)> = matches
        .iter()
        .filter(|m| rows[m.cells_from].row.layout == Layout::Aligned)
        .filter(|m| spaced(&rows[m.cells_from].values().collect::<Vec<_>>()))
        .filter_map(|m| {
            let p = &rows[m.cells_from];
            let values: Vec<&Fragment> = p.values().collect();
            (values.len() == table.rows[m.template_row].columns.len()).then(|| {
                (
                    m.cells_from,
                    values
                        .iter()
                        .map(|f| f.x as f32 + f.text.chars().count() as f32 / 2.0)
                        .collect(),
                )
            })
        })
        .collect();
    let mut out = HashMap::default();
    for m in matches {
        let n = table.rows[m.template_row].columns.len();
        let at = m.cells_from;
        let same_width = || full.iter().filter(|(i, c)| c.len() == n && *i != at);
        let before = same_width()
            .filter(|(i, _)| *i < at)
            .max_by_key(|(i, _)| *i);
        let after = same_width()
            .filter(|(i, _)| *i > at)
            .min_by_key(|(i, _)| *i);
        let nearest: Vec<Vec<f32>> = before
            .into_iter()
            .chain(after)
            .map(|(_, c)| c.clone())
            .collect();
        if !nearest.is_empty() {
            out.insert(at, nearest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{printed_rows, table, texts};
    use super::*;

    /// The columns of `applications.outcomes.withheld.state_secret`, and a header putting
    /// them in grid columns `first..first + 7`.
    fn state_secret(first: u32) -> (&'static [Column], HashMap<&'static str, u32>) {
        let columns = table("applications")
            .row("outcomes.withheld.state_secret")
            .unwrap()
            .columns;
        (columns, columns.iter().map(|c| c.id).zip(first..).collect())
    }

    #[test]
    fn single_spaced_values_say_nothing_about_columns() {
        let doc = crate::text::read_text("规章   1      0     11\n0 2 0 0 1 3\n");
        let values = |r: usize| -> Vec<&Fragment> {
            doc.rows[r]
                .fragments
                .iter()
                .filter(|f| looks_like_value(&f.text))
                .collect()
        };
        assert!(spaced(&values(0)));
        assert!(!spaced(&values(1)));
    }

    #[test]
    fn a_grid_row_with_a_label_cell_more_than_the_header_is_shifted() {
        // The group label has a cell of its own, so every value stands one cell right of
        // its column's header; the first cell, blank, is the natural-person column.
        let doc = crate::text::read_text("（三）不予公开\t1.属于国家秘密\t\t2\t0\t0\t0\t1\t3\n");
        let rows = printed_rows(&doc);
        let (columns, header) = state_secret(1);
        let Placed::ByPosition(placement, how) =
            place(&rows[0], columns, &header, &HashMap::default(), &[])
        else {
            panic!("placed by the header, one cell right");
        };
        assert_eq!(
            texts(&placement),
            [
                Some(""),
                Some("2"),
                Some("0"),
                Some("0"),
                Some("0"),
                Some("1"),
                Some("3")
            ]
        );
        assert_eq!(how.key, "place.by");
        assert_eq!(
            how.args.get("by"),
            Some(&Arg::from(Message::new("place.by_header")))
        );
        assert_eq!(how.args.get("values"), Some(&Arg::Int(6)));
        // A header over the cells as printed: one cell a column, in order.
        let (_, header) = state_secret(2);
        assert!(matches!(
            place(&rows[0], columns, &header, &HashMap::default(), &[]),
            Placed::InOrder(p) if texts(&p)[0] == Some("") && texts(&p)[6] == Some("3")
        ));
    }

    #[test]
    fn aligned_values_missing_cells_go_under_the_nearest_column_centres() {
        let (columns, _) = state_secret(1);
        let none = HashMap::default();
        // The row's two values, their label padded to `pad`, placed under `centres`.
        let by_centres = |pad: usize, gap: usize, centres: &[Vec<f32>]| {
            let line = format!("{:<pad$}{:<gap$}{}\n", "（一）予以公开", "5", "5");
            let doc = crate::text::read_text(&line);
            let rows = printed_rows(&doc);
            match place(&rows[0], columns, &none, &HashMap::default(), centres) {
                Placed::ByPosition(p, how) => {
                    let owned: Vec<Option<String>> = texts(&p)
                        .into_iter()
                        .map(|t| t.map(str::to_owned))
                        .collect();
                    Some((owned, how))
                }
                Placed::Ambiguous(v) => {
                    assert_eq!(v.len(), 2);
                    None
                }
                _ => panic!("placed neither by positions nor left ambiguous"),
            }
        };
        let centres = vec![20.5, 30.5, 40.5, 50.5, 60.5, 70.5, 80.5];
        let Some((placement, how)) = by_centres(20, 60, std::slice::from_ref(&centres)) else {
            panic!("placed by the centres of a full row");
        };
        let five = || Some("5".to_owned());
        assert_eq!(placement, [five(), None, None, None, None, None, five()]);
        assert_eq!(
            how.args.get("by"),
            Some(&Arg::from(Message::new("place.by_positions")))
        );
        // Without a full row to go by, two values for seven columns are not placed here.
        assert!(by_centres(20, 60, &[]).is_none());
        // The full rows before and after agree: placed. They disagree (a page break between
        // them shifted every column by one): not placed by positions.
        let shifted: Vec<f32> = centres.iter().map(|c| c + 10.0).collect();
        assert!(by_centres(20, 60, &[centres.clone(), centres.clone()]).is_some());
        assert!(by_centres(30, 20, &[centres, shifted]).is_none());
    }
}
