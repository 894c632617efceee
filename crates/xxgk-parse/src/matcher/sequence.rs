//! Labels detached from their numbers: PDF→Markdown converters put a table's label lines in one
//! place and its rows of bare numbers (pipe rows without a label, lines of numbers) in another,
//! before or after the labels, with stray lines between.
//!
//! The rows are rebuilt by sequence: the template rows whose labels are printed alone keep the
//! template's order, each unlabelled row of numbers has as many values as the row it belongs
//! to has columns, and the table's constraints (balance, row totals, the outcome total) must
//! hold. Every order-keeping assignment of number rows to label rows is tried; a cell is set
//! only when every assignment the constraints accept gives it the same value, and a warning
//! names what was placed this way. Otherwise the cells stay unknown with an error naming the
//! rows and lines.

use super::{Matched, Printed, Scores, Step, best_alignment, cell_ids, cell_of, span_scores};
use crate::codes;
use crate::tuning::TUNING;
use xxgk_model::Tables;
use xxgk_model::cell::{CellId, Value};
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Arg, Message};
use xxgk_model::template::Table;

/// How many template rows have labels printed alone, on lines `covered` does not cover.
pub(super) fn label_count(
    table: &'static Table,
    rows: &[Printed<'_>],
    covered: &[Matched],
) -> usize {
    let covered = |i: usize| covered.iter().any(|m| m.span.contains(&i));
    let free: Vec<usize> = (0..table.rows.len()).collect();
    label_lines(table, rows, &free, &covered).len()
}

/// Rows of numbers without labels, placed under the template rows whose labels stand alone:
/// matches for the rows placed (`span` and `cells_from` are the number row), in addition to
/// those given; diagnostics say what was placed and what could not be.
pub(super) fn detached(
    table: &'static Table,
    rows: &[Printed<'_>],
    matched: &[Matched],
    tables: &Tables,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Matched> {
    let is_covered = super::align::covered_rows(rows.len(), matched);
    let covered = |i: usize| is_covered.get(i).copied().unwrap_or(false);
    let taken = |j: usize| {
        matched.iter().any(|m| match m.group {
            Some(g) => (g.first..g.first + g.rows).contains(&j),
            None => m.template_row == j,
        })
    };
    // Rows of numbers with no label, not part of a matched row; a lone number on a line of its
    // own, away from the other number rows, is a page number.
    let is_numbers =
        |i: usize| !covered(i) && rows[i].label_core.is_empty() && rows[i].has_values();
    let line = |i: usize| rows[i].row.location.line;
    let numbers: Vec<usize> = (0..rows.len())
        .filter(|&i| is_numbers(i))
        .filter(|&i| {
            let lone = rows[i].values().count() == 1;
            let near = |j: usize| is_numbers(j) && line(i).abs_diff(line(j)) == 1;
            !lone || (i > 0 && near(i - 1)) || (i + 1 < rows.len() && near(i + 1))
        })
        .collect();
    let free: Vec<usize> = (0..table.rows.len()).filter(|&j| !taken(j)).collect();
    if numbers.is_empty() || free.len() < 2 {
        return Vec::new();
    }
    // Template rows whose labels are printed alone (no values), in order; with none printed
    // at all, every free template row, in the template's order.
    let labels = label_lines(table, rows, &free, &covered);
    let targets: Vec<(usize, Option<std::ops::Range<usize>>)> = if labels.is_empty() {
        free.iter().map(|&j| (j, None)).collect()
    } else {
        labels
            .into_iter()
            .map(|(j, span)| (j, Some(span)))
            .collect()
    };
    // Which number rows may fill which template rows: as many cells as columns; or, where
    // blank cells leave no trace (text, not a grid), fewer values, which are then placed
    // against the constraints like any row with values missing.
    let fits = |v: usize, j: usize| {
        let (k, n) = (cells(&rows[v]).len(), table.rows[j].columns.len());
        k == n || (rows[v].row.layout != crate::doc::Layout::Grid && 0 < k && k < n)
    };
    let candidates: Vec<usize> = numbers
        .iter()
        .copied()
        .filter(|&v| targets.iter().any(|&(j, _)| fits(v, j)))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // Over the limit, nothing is tried (counted, since the pairs pruned below would make
    // fewer assignments than that limit is about).
    let count = count_assignments(&candidates, &targets, &fits);
    if count > TUNING.max_pairings {
        diagnostics.push(ambiguous(
            table,
            rows,
            &candidates,
            Message::new("sequence.too_many"),
        ));
        return Vec::new();
    }
    // The table as matched so far, to check each assignment against.
    let mut base = tables.clone();
    for m in matched.iter().filter(|m| m.group.is_none()) {
        set(&mut base, table, m.template_row, &rows[m.cells_from]);
    }
    // The check instances reading target rows, with the rows they read: an assignment is
    // rejected when an instance reading one of the rows it fills fails.
    let target_rows: Vec<usize> = targets.iter().map(|&(j, _)| j).collect();
    let reading: Vec<(usize, Vec<usize>)> = tables
        .instance_cells()
        .iter()
        .enumerate()
        .filter_map(|(i, cells)| {
            let rows: Vec<usize> = target_rows
                .iter()
                .copied()
                .filter(|&j| {
                    let path = table.rows[j].path;
                    cells.iter().any(|c| c.table == table.id && c.row == path)
                })
                .collect();
            (!rows.is_empty()).then_some((i, rows))
        })
        .collect();
    // The values of every target row as matched, to put back after each trial.
    let mut before: Vec<Vec<Value>> = vec![Vec::new(); table.rows.len()];
    for &j in &target_rows {
        let row = &table.rows[j];
        before[j] = row
            .columns
            .iter()
            .map(|c| {
                base.cell(table.id, row.path, c.id)
                    .map_or(Value::Unknown, |c| c.value)
            })
            .collect();
    }
    let mut trial = base.clone();
    // Each (number row, target row) pair has a slot: its values, read once when it is first
    // tried (values only: the checks read nothing else), and whether it holds alone.
    let mut candidate_at = vec![None; rows.len()];
    for (c, &v) in candidates.iter().enumerate() {
        candidate_at[v] = Some(c);
    }
    let mut target_at = vec![None; table.rows.len()];
    for (t, &j) in target_rows.iter().enumerate() {
        target_at[j] = Some(t);
    }
    let slot = |v: usize, j: usize| -> Option<usize> {
        let c = (*candidate_at.get(v)?)?;
        let t = (*target_at.get(j)?)?;
        Some(c * target_rows.len() + t)
    };
    let mut values: Vec<Option<Option<Vec<Value>>>> =
        vec![None; candidates.len() * target_rows.len()];
    // With many assignments, the pairs are judged first: an instance reading one target row
    // alone fails with a number row put there whatever else goes where, so that pair is in
    // no accepted assignment. With few, trying them is cheaper than judging every pair.
    let prune = count > targets.len();
    let mut alone = vec![true; values.len()];
    if prune {
        for &v in &candidates {
            for &j in &target_rows {
                let Some(k) = slot(v, j).filter(|_| fits(v, j)) else {
                    continue;
                };
                let vals = row_values(table, j, &rows[v]);
                if let Some(vals) = &vals {
                    write_values(&mut trial, table, j, vals);
                }
                alone[k] = !reading.iter().any(|(i, read)| {
                    read == &[j] && trial.instance_outcome(*i) == Some(Outcome::Fail)
                });
                write_values(&mut trial, table, j, &before[j]);
                values[k] = Some(vals);
            }
        }
    }
    let feasible = |v: usize, j: usize| fits(v, j) && slot(v, j).is_some_and(|k| alone[k]);
    // Under the limit by the count above, as the feasible pairs are among those counted.
    let assignments = assignments(&candidates, &targets, &feasible).unwrap_or_default();
    let mut filled = vec![false; table.rows.len()];
    let consistent: Vec<&Vec<(usize, usize)>> = assignments
        .iter()
        .filter(|pairs| {
            for &(v, j) in pairs.iter() {
                filled[j] = true;
                if let Some(k) = slot(v, j) {
                    let vals = values[k].get_or_insert_with(|| row_values(table, j, &rows[v]));
                    if let Some(vals) = vals {
                        write_values(&mut trial, table, j, vals);
                    }
                }
            }
            // When pruned, the instances reading one row were judged with the pair.
            let fails = reading.iter().any(|(i, read)| {
                (!prune || read.len() > 1)
                    && read.iter().any(|&j| filled[j])
                    && trial.instance_outcome(*i) == Some(Outcome::Fail)
            });
            // Back to the table as matched, for the next assignment.
            for &(_, j) in pairs.iter() {
                filled[j] = false;
                write_values(&mut trial, table, j, &before[j]);
            }
            !fails
        })
        .collect();
    let Some(first) = consistent.first() else {
        diagnostics.push(ambiguous(
            table,
            rows,
            &candidates,
            Message::new("sequence.none"),
        ));
        return Vec::new();
    };
    // A number row is placed when every accepted assignment puts it under the same row.
    let agreed: Vec<(usize, usize)> = first
        .iter()
        .copied()
        .filter(|pair| consistent.iter().all(|a| a.contains(pair)))
        .collect();
    let undecided: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|v| !agreed.iter().any(|(a, _)| a == v))
        .collect();
    if !undecided.is_empty() {
        diagnostics.push(ambiguous(
            table,
            rows,
            &undecided,
            Message::new("sequence.disagree").arg("n", consistent.len()),
        ));
    }
    let mut out = Vec::new();
    for &(v, j) in &agreed {
        let row = &table.rows[j];
        let label = targets
            .iter()
            .find(|(t, _)| *t == j)
            .and_then(|(_, span)| span.clone())
            .map_or_else(
                || Message::new("sequence.no_label"),
                |s| {
                    let lines: Vec<Arg> = s.map(|k| rows[k].row.location.line.into()).collect();
                    Message::new("sequence.label_on_lines").arg("lines", lines)
                },
            );
        diagnostics.push(
            Diagnostic::new(
                codes::ROWS_BY_SEQUENCE,
                Severity::Warning,
                Message::new("parse.rows_by_sequence")
                    .arg("row", Arg::row(table.id, row.path))
                    .arg("title", row.label.title)
                    .arg("line", rows[v].row.location.line)
                    .arg("label", label),
            )
            .at(rows[v].row.location)
            .with_cells(cell_ids(table.id, row.path, row.columns)),
        );
        out.push(Matched {
            template_row: j,
            span: v..v + 1,
            cells_from: v,
            group: None,
        });
    }
    out
}

/// Template rows (from `free`) whose labels are printed on lines of their own, in order: a
/// monotone alignment of the uncovered label-only lines with the free template rows.
fn label_lines(
    table: &'static Table,
    rows: &[Printed<'_>],
    free: &[usize],
    covered: &dyn Fn(usize) -> bool,
) -> Vec<(usize, std::ops::Range<usize>)> {
    let lines: Vec<usize> = (0..rows.len())
        .filter(|&i| !covered(i) && !rows[i].has_values() && !rows[i].label_core.is_empty())
        .collect();
    // Each free template row's index in `free`.
    let mut free_at = vec![None; table.rows.len()];
    for (j, &t) in free.iter().enumerate() {
        if let Some(slot) = free_at.get_mut(t) {
            *slot = Some(j);
        }
    }
    // The steps from each label line: a run of consecutive label lines from it, scored once,
    // against each free template row it reads as.
    let steps: Vec<Vec<(usize, Step<()>)>> = (0..lines.len())
        .map(|i| {
            let mut out = Vec::new();
            for k in 1..=TUNING.max_label_lines.min(lines.len() - i) {
                // Consecutive printed lines only.
                if lines[i + k - 1] != lines[i] + k - 1 {
                    break;
                }
                let scores: std::rc::Rc<Scores> = span_scores(table, &rows[lines[i]..lines[i] + k]);
                for &t in &scores.hits {
                    if let (Some(Some(j)), Some(Some(score))) = (free_at.get(t), scores.rows.get(t))
                    {
                        out.push((
                            *j,
                            Step {
                                rows: k,
                                template: 1,
                                score: *score,
                                tag: (),
                            },
                        ));
                    }
                }
            }
            // By free template row; at one row, shorter runs first (stable).
            out.sort_by_key(|(j, _)| *j);
            out
        })
        .collect();
    best_alignment(lines.len(), free.len(), &steps)
        .into_iter()
        .map(|(i, j, step)| (free[j], lines[i]..lines[i + step.rows - 1] + 1))
        .collect()
}

/// Every order-keeping way to put each number row under a distinct target row it fits, at
/// most [`Tuning::max_pairings`] of them (`None` beyond).
///
/// [`Tuning::max_pairings`]: crate::tuning::Tuning::max_pairings
fn assignments(
    numbers: &[usize],
    targets: &[(usize, Option<std::ops::Range<usize>>)],
    fits: &dyn Fn(usize, usize) -> bool,
) -> Option<Vec<Vec<(usize, usize)>>> {
    fn go(
        numbers: &[usize],
        targets: &[(usize, Option<std::ops::Range<usize>>)],
        fits: &dyn Fn(usize, usize) -> bool,
        acc: &mut Vec<(usize, usize)>,
        out: &mut Vec<Vec<(usize, usize)>>,
    ) -> bool {
        let Some((&v, rest)) = numbers.split_first() else {
            out.push(acc.clone());
            return out.len() <= TUNING.max_pairings;
        };
        for (k, (j, _)) in targets.iter().enumerate() {
            // Leave enough targets for the numbers after this one.
            if targets.len() - k < numbers.len() {
                break;
            }
            if fits(v, *j) {
                acc.push((v, *j));
                let ok = go(rest, &targets[k + 1..], fits, acc, out);
                acc.pop();
                if !ok {
                    return false;
                }
            }
        }
        true
    }
    let mut out = Vec::new();
    go(numbers, targets, fits, &mut Vec::new(), &mut out).then_some(out)
}

/// How many assignments [`assignments`] would make (saturating), without making them.
fn count_assignments(
    numbers: &[usize],
    targets: &[(usize, Option<std::ops::Range<usize>>)],
    fits: &dyn Fn(usize, usize) -> bool,
) -> usize {
    // ways[k]: the ways to place the numbers after the current one using targets[k..].
    let mut ways = vec![1usize; targets.len() + 1];
    for &v in numbers.iter().rev() {
        let mut next = vec![0usize; targets.len() + 1];
        for k in (0..targets.len()).rev() {
            let here = if fits(v, targets[k].0) {
                ways[k + 1]
            } else {
                0
            };
            next[k] = next[k + 1].saturating_add(here);
        }
        ways = next;
    }
    ways[0]
}

/// A number row's cells: in a grid every cell, blank ones included; elsewhere its values.
fn cells<'a>(p: &Printed<'a>) -> Vec<&'a crate::doc::Fragment> {
    if p.row.layout == crate::doc::Layout::Grid {
        p.data.clone()
    } else {
        p.values().collect()
    }
}

/// Put a number row's cells, in order, into template row `j` (a row with fewer cells than
/// columns is left for later: its cells stay unknown here).
fn set(tables: &mut Tables, table: &Table, j: usize, p: &Printed<'_>) {
    let row = &table.rows[j];
    if cells(p).len() != row.columns.len() {
        return;
    }
    let mut scratch = Vec::new();
    for (column, f) in row.columns.iter().zip(cells(p)) {
        let cell = cell_of(
            f,
            column,
            &mut scratch,
            CellId::new(table.id, row.path, column.id),
        );
        if let Some(slot) = tables.cell_mut(table.id, row.path, column.id) {
            *slot = cell;
        }
    }
}

/// The values [`set`] would put into template row `j`; `None` when it would put none.
fn row_values(table: &Table, j: usize, p: &Printed<'_>) -> Option<Vec<Value>> {
    let row = &table.rows[j];
    let cells = cells(p);
    if cells.len() != row.columns.len() {
        return None;
    }
    let mut scratch = Vec::new();
    Some(
        row.columns
            .iter()
            .zip(cells)
            .map(|(column, f)| {
                cell_of(
                    f,
                    column,
                    &mut scratch,
                    CellId::new(table.id, row.path, column.id),
                )
                .value
            })
            .collect(),
    )
}

/// Write `values` into the cells of template row `j`.
fn write_values(tables: &mut Tables, table: &Table, j: usize, values: &[Value]) {
    let row = &table.rows[j];
    for (column, &value) in row.columns.iter().zip(values) {
        if let Some(slot) = tables.cell_mut(table.id, row.path, column.id) {
            slot.value = value;
        }
    }
}

fn ambiguous(table: &Table, rows: &[Printed<'_>], numbers: &[usize], why: Message) -> Diagnostic {
    let lines: Vec<Arg> = numbers
        .iter()
        .map(|&v| rows[v].row.location.line.into())
        .collect();
    let mut d = Diagnostic::new(
        codes::ROW_VALUES_AMBIGUOUS,
        Severity::Error,
        Message::new("parse.unlabelled_numbers")
            .arg("table", Arg::table(table.id))
            .arg("lines", lines)
            .arg("why", why),
    );
    if let Some(&v) = numbers.first() {
        d = d.at(rows[v].row.location);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::super::align_rows;
    use super::super::tests::{arg, printed_rows, table, with_code};
    use super::*;
    use crate::doc::{Document, Fragment, Layout, Row};
    use xxgk_model::Edition;
    use xxgk_model::diagnostic::Location;

    /// Two labels alone, then their rows of numbers (lines 3 and 4).
    const BLOCK: &str = "规章\n行政规范性文件\n1  0  4\n7  3  52\n";

    /// `text` read, then a line holding the number 5 alone (as aligned text, its value a
    /// cell) at `line`.
    fn with_lone_number(text: &str, line: u32) -> Document {
        let mut doc = crate::text::read_text(text);
        let at = Location::new(line, 41);
        doc.rows.push(Row {
            layout: Layout::Aligned,
            fragments: vec![Fragment::plain("5".into(), "5".into(), at)],
            table: None,
            location: at,
        });
        doc
    }

    /// [`detached`] on section 二 of 2021 printed as `doc`, after the rows matched with their
    /// labels (none here): each placed row's path and its number row's line, the number of
    /// labels found alone, and what was said.
    fn run(doc: &Document) -> (Vec<(&'static str, u32)>, usize, Vec<Diagnostic>) {
        let rows = printed_rows(doc);
        let t = table("active_disclosure");
        let matched = align_rows(&rows, t);
        assert!(matched.is_empty(), "no label is printed with its numbers");
        let mut diagnostics = Vec::new();
        let placed_rows = detached(
            t,
            &rows,
            &matched,
            &Tables::new(Edition::E2021),
            &mut diagnostics,
        );
        let placed = placed_rows
            .iter()
            .map(|m| {
                assert_eq!(m.span, m.cells_from..m.cells_from + 1);
                assert!(m.group.is_none());
                (
                    t.rows[m.template_row].path,
                    rows[m.cells_from].row.location.line,
                )
            })
            .collect();
        // The labels found alone, counted whether or not rows were placed.
        let labels = label_count(t, &rows, &placed_rows);
        (placed, labels, diagnostics)
    }

    #[test]
    fn assignments_are_counted_as_many_as_are_made() {
        let targets: Vec<(usize, Option<std::ops::Range<usize>>)> =
            (0..7).map(|j| (j, None)).collect();
        // Number rows 10..14; row v fits the targets of its parity and every third one.
        let fits = |v: usize, j: usize| v % 2 == j % 2 || j.is_multiple_of(3);
        for n in 0..=5 {
            let numbers: Vec<usize> = (10..10 + n).collect();
            let made = assignments(&numbers, &targets, &fits).map(|a| a.len());
            assert_eq!(
                Some(count_assignments(&numbers, &targets, &fits)),
                made,
                "{n}"
            );
        }
        assert_eq!(count_assignments(&[10, 11], &targets, &|_, _| true), 21);
        assert_eq!(count_assignments(&[10], &targets, &|_, _| false), 0);
    }

    #[test]
    fn labels_alone_then_numbers_are_placed_by_sequence() {
        // The lone 5 stands next to the other number rows: a row of one value.
        let doc = with_lone_number("规章\n行政规范性文件\n行政许可\n1  0  4\n7  3  52\n", 6);
        let (placed, labels, diagnostics) = run(&doc);
        assert_eq!(
            placed,
            [
                ("regulations", 4),
                ("normative_documents", 5),
                ("licensing", 6)
            ]
        );
        assert_eq!(labels, 3);
        let said = with_code(&diagnostics, codes::ROWS_BY_SEQUENCE);
        assert_eq!((said.len(), diagnostics.len()), (3, 3), "{diagnostics:#?}");
        assert!(said.iter().all(|d| d.severity == Severity::Warning));
        let first = said[0];
        assert_eq!(first.location.map(|l| l.line), Some(4));
        let cells: Vec<String> = first.cells.iter().map(ToString::to_string).collect();
        assert_eq!(
            cells,
            [
                "active_disclosure.regulations.issued",
                "active_disclosure.regulations.repealed",
                "active_disclosure.regulations.in_force"
            ]
        );
        let label = Message::new("sequence.label_on_lines").arg("lines", vec![Arg::Int(1)]);
        assert_eq!(
            arg(first, "label"),
            ("parse.rows_by_sequence", Some(&Arg::from(label)))
        );
        assert!(said[2].cells == ["active_disclosure.licensing.decisions"]);
    }

    #[test]
    fn a_number_block_after_the_last_label_is_not_that_labels_row() {
        // `1 0 4` follows 行政规范性文件 and fits it, but the block keeps the labels' order.
        let doc = crate::text::read_text(BLOCK);
        let (placed, labels, diagnostics) = run(&doc);
        assert_eq!(placed, [("regulations", 3), ("normative_documents", 4)]);
        assert_eq!(labels, 2);
        assert_eq!(with_code(&diagnostics, codes::ROWS_BY_SEQUENCE).len(), 2);
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn a_lone_number_away_from_the_number_rows_is_a_page_number() {
        // Taken for a row, the 5 would leave three number rows for two labels: no pairing.
        let (placed, _, diagnostics) = run(&with_lone_number(BLOCK, 5));
        assert_eq!((placed.len(), diagnostics.len()), (0, 1));
        let (key, why) = arg(&diagnostics[0], "why");
        assert_eq!(key, "parse.unlabelled_numbers");
        assert_eq!(why, Some(&Arg::from(Message::new("sequence.none"))));
        let (placed, _, diagnostics) = run(&with_lone_number(BLOCK, 7));
        assert_eq!(placed, [("regulations", 3), ("normative_documents", 4)]);
        assert_eq!(with_code(&diagnostics, codes::ROWS_BY_SEQUENCE).len(), 2);
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn numbers_two_pairings_accept_differently_stay_unplaced() {
        // One row of three numbers, two labels of three columns: either row may be it.
        let doc = crate::text::read_text("规章\n行政规范性文件\n7  3  52\n");
        let (placed, labels, diagnostics) = run(&doc);
        assert_eq!(placed, []);
        assert_eq!(labels, 2);
        assert_eq!(diagnostics.len(), 1);
        let d = &diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.severity),
            (codes::ROW_VALUES_AMBIGUOUS, Severity::Error)
        );
        assert!(d.cells.is_empty());
        assert_eq!(d.location.map(|l| l.line), Some(3));
        assert_eq!(
            arg(d, "lines"),
            (
                "parse.unlabelled_numbers",
                Some(&Arg::List(vec![Arg::Int(3)]))
            )
        );
        let why = Message::new("sequence.disagree").arg("n", 2usize);
        assert_eq!(arg(d, "why").1, Some(&Arg::from(why)));
    }
}
