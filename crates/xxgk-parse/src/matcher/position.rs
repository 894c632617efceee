//! Rows whose labels read as no template row, placed by where they stand: a row reworded
//! (`一、本年新收申请数量`, `（七）合计`) between rows that matched, where the template's rows
//! are missing one for one, is the missing row. Said with a warning that names its cells.

use super::*;

/// Matches for the printed rows of values that stand, one for one, where template rows are
/// missing between matched rows (or at the table's ends, next to a matched row), with a
/// warning for each. `matches` are in print order.
pub(super) fn by_position(
    table: &'static Table,
    rows: &[Printed<'_>],
    matches: &[Matched],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Matched> {
    let mut out = Vec::new();
    if matches.is_empty() {
        return out;
    }
    let covered = align::covered_rows(rows.len(), matches);
    let end_of = |m: &Matched| m.template_row + m.group.map_or(1, |g| g.rows);
    for k in 0..=matches.len() {
        let before = k.checked_sub(1).and_then(|k| matches.get(k));
        let after = matches.get(k);
        let missing = before.map_or(0, end_of)..after.map_or(table.rows.len(), |m| m.template_row);
        if missing.is_empty() {
            continue;
        }
        // The printed rows between the neighbours that matched; at an end of the table, only
        // those next to the matched row (the rows of values just before the first, just after
        // the last), so that nothing of the page around the table is taken.
        let from = before.map_or(0, |m| m.span.end);
        let to = after.map_or(rows.len(), |m| m.span.start);
        let neighbour = before.or(after).map_or(0, |m| m.cells_from);
        let candidates: Vec<usize> = match (before, after) {
            (Some(_), Some(_)) => (from..to)
                .filter(|&i| !covered[i] && rows[i].has_values())
                .collect(),
            (None, Some(_)) => (from..to)
                .rev()
                .take_while(|&i| !covered[i] && rows[i].has_values())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect(),
            _ => (from..to)
                .take_while(|&i| !covered[i] && rows[i].has_values())
                .collect(),
        };
        let fits = |i: usize, j: usize| {
            let p = &rows[i];
            p.row.layout != Layout::Prose
                && !p.label.is_empty()
                && p.row.table == rows[neighbour].row.table
                && p.values().count() <= table.rows[j].columns.len()
        };
        if candidates.len() != missing.len()
            || !candidates
                .iter()
                .zip(missing.clone())
                .all(|(&i, j)| fits(i, j))
        {
            continue;
        }
        for (i, j) in candidates.into_iter().zip(missing) {
            let row = &table.rows[j];
            diagnostics.push(
                Diagnostic::new(
                    codes::ROW_BY_POSITION,
                    Severity::Warning,
                    Message::new("parse.row_by_position")
                        .arg("label", rows[i].label.as_str())
                        .arg("table", Arg::table(table.id))
                        .arg("row", Arg::row(table.id, row.path)),
                )
                .at(rows[i].row.location)
                .with_cells(cell_ids(table.id, row.path, row.columns)),
            );
            out.push(Matched {
                template_row: j,
                span: i..i + 1,
                cells_from: i,
                group: None,
            });
        }
    }
    out
}
