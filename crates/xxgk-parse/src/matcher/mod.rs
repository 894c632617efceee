//! Template matching: find each table's section, map printed rows and columns to the
//! schema's ids with the generated label metadata, and place every value — or say why not.
//!
//! No value is guessed: a row whose values do not fit its columns is placed by the cell
//! boundaries the source gives, else by the one alignment the table's constraints accept, and
//! otherwise its cells stay unknown with an error.

mod align;
mod edition;
mod place;
mod position;
mod resolve;
mod sections;
mod sequence;
mod units;

use align::*;
pub(crate) use edition::edition_from_labels;
use place::*;
use resolve::*;
use sections::regions;

use crate::codes;
use crate::doc::{Document, Fragment, Layout, Row};
use crate::labels::{Pattern, core};
use crate::value::{looks_like_value, parse_value};
use rustc_hash::FxHashMap as HashMap;
use xxgk_model::Tables;
use xxgk_model::cell::{Cell, CellId, Value};
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::{Diagnostic, Location, Severity};
use xxgk_model::message::{Arg, Message};
use xxgk_model::template::{Column, Table, TableLayout, Template};
/// Everything the matcher found, before metadata.
pub(crate) struct Matches {
    /// The tables as read, every value in its cell; cells not found are unknown.
    pub(crate) tables: Tables,
    /// What matching found: rows missing, values placed by inference or left unknown.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Printed rows the template lacks.
    pub(crate) extra_rows: Vec<xxgk_model::ExtraRow>,
    /// Groups printed as one row.
    pub(crate) group_rows: Vec<xxgk_model::GroupRow>,
    /// Template rows matched, per table id.
    pub(crate) matched: HashMap<&'static str, usize>,
}

/// The ids of a row's cells.
fn cell_ids(
    table: &'static str,
    row: &'static str,
    columns: &'static [Column],
) -> impl Iterator<Item = CellId> {
    columns.iter().map(move |c| CellId::new(table, row, c.id))
}

fn cell_of(f: &Fragment, column: &Column, diagnostics: &mut Vec<Diagnostic>, id: CellId) -> Cell {
    let (value, said) = match parse_value(&f.text, column.kind, column.unit) {
        Ok(v) => (v, None),
        Err(why) => match crate::value::with_note(&f.text).and_then(|(value, note)| {
            Some((
                parse_value(value, column.kind, column.unit).ok()?,
                value,
                note,
            ))
        }) {
            // A value with a note after it (`12（含转办3件）`): the value, and the note said.
            Some((v, value, note)) => (
                v,
                Some((
                    codes::VALUE_WITH_NOTE,
                    Severity::Warning,
                    Message::new("parse.value_with_note")
                        .arg("cell", id)
                        .arg("value", value)
                        .arg("note", note),
                )),
            ),
            None => (
                Value::Unknown,
                Some((
                    codes::CELL_VALUE,
                    Severity::Error,
                    Message::new("parse.cell_value")
                        .arg("cell", id)
                        .arg("why", why),
                )),
            ),
        },
    };
    if let Some((code, severity, text)) = said {
        diagnostics.push(
            Diagnostic::new(code, severity, text)
                .at(f.location)
                .with_cells([id]),
        );
    }
    Cell::from(value).with_source(f.raw.clone(), Some(f.location))
}

fn set_row(
    tables: &mut Tables,
    table: &'static str,
    row: &'static str,
    columns: &'static [Column],
    placement: &Placement<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (column, fragment) in columns.iter().zip(placement) {
        let id = CellId::new(table, row, column.id);
        let cell = match fragment {
            Some(f) => cell_of(f, column, diagnostics, id),
            None => Cell::from(Value::Unknown),
        };
        if let Some(slot) = tables.cell_mut(table, row, column.id) {
            *slot = cell;
        }
    }
}

/// Match every table of `template` in `doc`.
pub(crate) fn match_tables(
    doc: &Document,
    template: &'static Template,
    edition: xxgk_model::Edition,
) -> Matches {
    let mut tables = Tables::new(edition);
    let mut diagnostics = Vec::new();
    let mut extra_rows = Vec::new();
    let mut group_rows = Vec::new();
    let mut matched_count = HashMap::default();
    let mut pending: Vec<Pending<'_>> = Vec::new();
    let found = regions(doc, template);
    for (table, region) in template.tables.iter().zip(found.iter().copied()) {
        let Some(region) = region else {
            diagnostics.push(Diagnostic::new(
                codes::SECTION_MISSING,
                Severity::Warning,
                section_message("parse.section_missing", table),
            ));
            continue;
        };
        let rows: Vec<Printed<'_>> = doc.rows[region.start..region.end]
            .iter()
            .map(printed)
            .collect();
        if table.layout == TableLayout::OneRow
            && region.heading.is_some()
            && one_row(
                table,
                &rows,
                &mut tables,
                &mut diagnostics,
                &mut pending,
                &mut extra_rows,
            )
        {
            matched_count.insert(table.id, table.rows.len());
            continue;
        }
        // Rows printed with their own labels (also a one-row table printed transposed), then
        // rows of numbers printed apart from their labels.
        let mut matches = align_rows(&rows, table);
        let said = diagnostics.len();
        let placed = sequence::detached(table, &rows, &matches, &tables, &mut diagnostics);
        if !placed.is_empty() {
            matches.extend(placed);
            matches.sort_by_key(|m| m.cells_from);
        }
        // Rows reworded past recognition, where the template's rows are missing one for one.
        let placed = position::by_position(table, &rows, &matches, &mut diagnostics);
        if !placed.is_empty() {
            matches.extend(placed);
            matches.sort_by_key(|m| m.cells_from);
        }
        if matches.is_empty() && region.heading.is_some() {
            // Nothing matched or placed, so no printed row is covered.
            let labels = sequence::label_count(table, &rows, &[]);
            if labels * 2 >= table.rows.len() {
                // The table is there, its labels printed, but its numbers could not be
                // placed (said above), or none were found (said here): every cell stays
                // unknown.
                if diagnostics.len() == said {
                    diagnostics.push(
                        Diagnostic::new(
                            codes::SECTION_VALUES_MISSING,
                            Severity::Error,
                            section_message("parse.section_values_missing", table),
                        )
                        .at(rows.first().map_or(Location::new(1, 1), |p| p.row.location)),
                    );
                }
                matched_count.insert(table.id, labels);
                continue;
            }
        }
        let enough = region.heading.is_some() || matches.len() * 2 >= table.rows.len().max(2);
        if !enough || matches.is_empty() {
            diagnostics.push(Diagnostic::new(
                codes::SECTION_MISSING,
                Severity::Warning,
                section_message(
                    match region.heading {
                        Some(_) => "parse.section_rows_missing",
                        None => "parse.section_and_rows_missing",
                    },
                    table,
                ),
            ));
            continue;
        }
        if region.heading.is_none() {
            diagnostics.push(Diagnostic::new(
                codes::SECTION_MISSING,
                Severity::Info,
                section_message("parse.section_by_rows", table),
            ));
        }
        matched_count.insert(table.id, matches.len());
        rows_table(
            table,
            &rows,
            &matches,
            &mut tables,
            &mut diagnostics,
            &mut Kept {
                extra_rows: &mut extra_rows,
                group_rows: &mut group_rows,
            },
            &mut pending,
        );
    }
    // Rows resolved later pin down rows resolved earlier (a column's sum needs every row of
    // it): rows left undetermined are tried again while another pass settles some row.
    loop {
        let mut again = Vec::new();
        let mut held = Vec::new();
        let before = pending.len();
        for p in pending {
            let mut said = Vec::new();
            if resolve(&p, &mut tables, &mut said) {
                diagnostics.extend(said);
            } else {
                held.push(said);
                again.push(p);
            }
        }
        if again.is_empty() || again.len() == before {
            diagnostics.extend(held.into_iter().flatten());
            break;
        }
        pending = again;
    }
    for (table, region) in template.tables.iter().zip(&found) {
        if let Some(region) = region {
            let rows = doc.rows.get(region.start..region.end).unwrap_or_default();
            units::apply_printed_units(table, rows, &mut tables);
        }
    }
    Matches {
        tables,
        diagnostics,
        extra_rows,
        group_rows,
        matched: matched_count,
    }
}

/// The cores ([`core`]) of what a table prints that the matcher compares printed text with,
/// computed once for every table of every edition.
pub(super) struct TableCores {
    /// The spellings of its section title, without their ordinals.
    pub(super) title: Vec<Vec<char>>,
    /// The spellings of its rows' labels.
    pub(super) rows: Vec<Vec<char>>,
    /// The spellings of its groups' labels (（六）其他处理), each once.
    pub(super) groups: Vec<Vec<char>>,
}

/// [`TableCores`] of `table` (none for a table of no edition's template).
pub(super) fn table_cores(table: &'static Table) -> &'static TableCores {
    type All = Vec<(&'static Table, TableCores)>;
    static ALL: std::sync::OnceLock<All> = std::sync::OnceLock::new();
    static NONE: TableCores = TableCores {
        title: Vec::new(),
        rows: Vec::new(),
        groups: Vec::new(),
    };
    let all = ALL.get_or_init(|| {
        xxgk_model::Edition::ALL
            .iter()
            .flat_map(|e| e.template().tables)
            .map(|t| {
                let mut groups: Vec<Vec<char>> = t
                    .rows
                    .iter()
                    .flat_map(|r| r.groups)
                    .flat_map(|g| g.label.spellings())
                    .map(core)
                    .collect();
                groups.sort_unstable();
                groups.dedup();
                let cores = TableCores {
                    title: t.label.spellings().map(core).collect(),
                    rows: t
                        .rows
                        .iter()
                        .flat_map(|r| r.label.spellings())
                        .map(core)
                        .collect(),
                    groups,
                };
                (t, cores)
            })
            .collect()
    });
    all.iter()
        .find(|(t, _)| std::ptr::eq(*t, table))
        .map_or(&NONE, |(_, cores)| cores)
}

/// What is said of printed row `again`, a printing of the row `read` was read from.
fn printed_again(table: &Table, again: &Printed<'_>, read: &Printed<'_>) -> Message {
    Message::new("parse.duplicate_row")
        .arg("label", again.label.as_str())
        .arg("table", Arg::table(table.id))
        .arg("line", read.row.location.line)
}

/// Keep printed row `p` aside in `extra_rows`, with a warning (`code`, `message`) at it.
fn keep_aside(
    table: &Table,
    p: &Printed<'_>,
    code: &str,
    message: Message,
    diagnostics: &mut Vec<Diagnostic>,
    extra_rows: &mut Vec<xxgk_model::ExtraRow>,
) {
    diagnostics.push(Diagnostic::new(code, Severity::Warning, message).at(p.row.location));
    extra_rows.push(xxgk_model::ExtraRow {
        table: table.id.to_owned(),
        label: p.label.clone(),
        values: p.data.iter().map(|f| f.raw.clone()).collect(),
        location: Some(p.row.location),
    });
}

/// Rows kept beside the tables: rows the template lacks, groups printed as one row.
struct Kept<'f> {
    extra_rows: &'f mut Vec<xxgk_model::ExtraRow>,
    group_rows: &'f mut Vec<xxgk_model::GroupRow>,
}

fn rows_table<'a>(
    table: &'static Table,
    rows: &[Printed<'a>],
    matches: &[Matched],
    tables: &mut Tables,
    diagnostics: &mut Vec<Diagnostic>,
    kept: &mut Kept<'_>,
    pending: &mut Vec<Pending<'a>>,
) {
    let all_columns: Vec<&'static Column> = {
        let mut v: Vec<&'static Column> = Vec::new();
        for r in table.rows {
            for c in r.columns {
                if !v.iter().any(|x| x.id == c.id) {
                    v.push(c);
                }
            }
        }
        v
    };
    // A group printed as a row of its own (（六）其他处理 with blank cells) is no header, though
    // its label holds a column's (其他).
    let is_group = |label_core: &Vec<char>| table_cores(table).groups.contains(label_core);
    // Header positions, refreshed by each run of header rows (sub-tables have their own).
    let mut header: HashMap<&'static str, u32> = HashMap::default();
    let mut extra: HashMap<u32, String> = HashMap::default();
    let mut skipped_columns: Vec<String> = Vec::new();
    let mut reordered = false;
    let mut last_was_data = true;
    let mut next_match = 0;
    let covered = align::covered_rows(rows.len(), matches);
    // Column centres of aligned rows that had every value, for rows that do not.
    let centres = aligned_centres(rows, matches, table);
    for (i, p) in rows.iter().enumerate() {
        if !covered[i] {
            let found = header_columns(table, p.row, &all_columns, table.stub_header);
            if !found.columns.is_empty() && !p.has_values() && !is_group(&p.label_core) {
                if last_was_data {
                    header.clear();
                    extra.clear();
                }
                header.extend(found.columns);
                extra.extend(found.extra);
                last_was_data = false;
            } else if p.has_values() && p.row.layout != Layout::Prose && !p.label.is_empty() {
                // A row printed twice (its label that of a matched row): the other printing
                // was read, wherever this one stands. Else a row the template lacks (after
                // the table's first row: rows before it are the page's, not the table's).
                let twin = matches
                    .iter()
                    .find(|m| !m.span.is_empty() && rows[m.cells_from].label_core == p.label_core);
                let (code, message) = match twin {
                    Some(m) => (
                        codes::DUPLICATE_ROW,
                        printed_again(table, p, &rows[m.cells_from]),
                    ),
                    None if i > matches[0].span.start => (
                        codes::EXTRA_ROW,
                        Message::new("parse.extra_row")
                            .arg("label", p.label.as_str())
                            .arg("table", Arg::table(table.id)),
                    ),
                    None => continue,
                };
                keep_aside(table, p, code, message, diagnostics, kept.extra_rows);
            }
            continue;
        }
        let Some(m) = matches.get(next_match).filter(|m| m.cells_from == i) else {
            continue;
        };
        next_match += 1;
        last_was_data = true;
        let t_row = &table.rows[m.template_row];
        let p = &rows[m.cells_from];
        // The label as printed over the span, put together only for a message or a pending
        // row (most rows are placed in order and need none).
        let label = || -> String { m.span.clone().map(|k| rows[k].label.as_str()).collect() };
        let centre = centres.get(&m.cells_from).map_or(&[][..], Vec::as_slice);
        if let Some(group) = m.group {
            let placed = place(p, t_row.columns, &header, &extra, centre);
            kept.group_rows
                .extend(group_row(table, group, p, &label(), placed, diagnostics));
            continue;
        }
        // Set the row's cells from a placement (a value that is no value of its column is an
        // error diagnostic and an unknown cell).
        let mut put = |placement: &Placement<'_>| {
            set_row(
                tables,
                table.id,
                t_row.path,
                t_row.columns,
                placement,
                diagnostics,
            );
        };
        match place(p, t_row.columns, &header, &extra, centre) {
            Placed::AllBlank => {
                for c in t_row.columns {
                    if let Some(slot) = tables.cell_mut(table.id, t_row.path, c.id) {
                        *slot = Cell::from(Value::Blank).with_source("", Some(p.row.location));
                    }
                }
                // Fewer cells than columns: a value may have been lost with a cell, not only
                // blanks trimmed at the end of a line.
                if p.data.len() < t_row.columns.len() {
                    diagnostics.push(
                        Diagnostic::new(
                            codes::ROW_VALUES_PLACED,
                            Severity::Warning,
                            Message::new("parse.blank_row_short")
                                .arg("row", Arg::row(table.id, t_row.path))
                                .arg("label", label().as_str())
                                .arg("cells", p.data.len())
                                .arg("columns", t_row.columns.len()),
                        )
                        .at(p.row.location)
                        .with_cells(cell_ids(
                            table.id,
                            t_row.path,
                            t_row.columns,
                        )),
                    );
                }
            }
            Placed::InOrder(placement) => put(&placement),
            Placed::Reordered(placement) => {
                put(&placement);
                reordered = true;
            }
            Placed::SkippingExtra(placement, names) => {
                put(&placement);
                for name in names {
                    if !skipped_columns.contains(&name) {
                        skipped_columns.push(name);
                    }
                }
            }
            Placed::ByPosition(placement, how) => {
                put(&placement);
                let empty: Vec<Message> = t_row
                    .columns
                    .iter()
                    .zip(&placement)
                    .filter_map(|(c, f)| {
                        let key = match f {
                            Some(f) if !f.text.is_empty() => return None,
                            Some(_) => "place.cell_blank",
                            None => "place.cell_unknown",
                        };
                        Some(
                            Message::new(key)
                                .arg("label", c.label.title)
                                .arg("column", c.id),
                        )
                    })
                    .collect();
                let how = if empty.is_empty() {
                    how
                } else {
                    Message::new("place.with_empty")
                        .arg("how", how)
                        .arg("cells", empty)
                };
                diagnostics.push(
                    Diagnostic::new(
                        codes::ROW_VALUES_PLACED,
                        Severity::Warning,
                        Message::new("parse.placed")
                            .arg("row", Arg::row(table.id, t_row.path))
                            .arg("label", label().as_str())
                            .arg("how", how),
                    )
                    .at(p.row.location)
                    .with_cells(cell_ids(table.id, t_row.path, t_row.columns)),
                );
            }
            Placed::Ambiguous(values) => pending.push(Pending {
                table: table.id,
                row: t_row.path,
                columns: t_row.columns,
                location: p.row.location,
                label: label(),
                values,
            }),
        }
    }
    if reordered {
        diagnostics.push(Diagnostic::new(
            codes::COLUMNS_REORDERED,
            Severity::Warning,
            Message::new("parse.columns_reordered").arg("table", Arg::table(table.id)),
        ));
    }
    if !skipped_columns.is_empty() {
        diagnostics.push(Diagnostic::new(
            codes::EXTRA_COLUMN,
            Severity::Info,
            Message::new("parse.extra_columns")
                .arg("table", Arg::table(table.id))
                .arg("columns", skipped_columns),
        ));
    }
    // Rows of the template not printed at all (a group's rows printed as one row are said).
    let in_group = |k: usize| {
        matches
            .iter()
            .filter_map(|m| m.group)
            .any(|g| (g.first..g.first + g.rows).contains(&k))
    };
    let missing: Vec<Arg> = table
        .rows
        .iter()
        .enumerate()
        .filter(|(k, _)| !matches.iter().any(|m| m.template_row == *k) && !in_group(*k))
        .map(|(_, r)| Arg::row(table.id, r.path))
        .collect();
    if !missing.is_empty() {
        diagnostics.push(Diagnostic::new(
            codes::ROW_MISSING,
            Severity::Warning,
            Message::new("parse.row_missing")
                .arg("table", Arg::table(table.id))
                .arg("rows", missing),
        ));
    }
}

/// A group printed as one row: its values kept for the group (the group's rows stay
/// unknown), with a warning naming the rows.
fn group_row(
    table: &'static Table,
    group: GroupRun,
    p: &Printed<'_>,
    label: &str,
    placed: Placed<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<xxgk_model::GroupRow> {
    let columns = table.rows[group.first].columns;
    let rows = &table.rows[group.first..group.first + group.rows];
    let row_cells: Vec<CellId> = rows
        .iter()
        .flat_map(|r| cell_ids(table.id, r.path, r.columns))
        .collect();
    let group_cells = || cell_ids(table.id, group.path, columns);
    let placement: Placement<'_> = match placed {
        Placed::AllBlank => p
            .data
            .iter()
            .map(|f| Some(*f))
            .chain(std::iter::repeat(None))
            .take(columns.len())
            .collect(),
        Placed::InOrder(placement)
        | Placed::Reordered(placement)
        | Placed::SkippingExtra(placement, _) => placement,
        Placed::ByPosition(placement, how) => {
            diagnostics.push(
                Diagnostic::new(
                    codes::ROW_VALUES_PLACED,
                    Severity::Warning,
                    Message::new("parse.placed")
                        .arg("row", Arg::row(table.id, group.path))
                        .arg("label", label)
                        .arg("how", how),
                )
                .at(p.row.location)
                .with_cells(group_cells()),
            );
            placement
        }
        Placed::Ambiguous(values) => {
            diagnostics.push(
                Diagnostic::new(
                    codes::ROW_VALUES_AMBIGUOUS,
                    Severity::Error,
                    Message::new("parse.group_ambiguous")
                        .arg("row", Arg::row(table.id, group.path))
                        .arg("label", label)
                        .arg("values", values.len())
                        .arg("columns", columns.len()),
                )
                .at(p.row.location)
                .with_cells(group_cells()),
            );
            return None;
        }
    };
    let mut values = std::collections::BTreeMap::new();
    for (column, fragment) in columns.iter().zip(&placement) {
        if let Some(f) = fragment {
            let id = CellId::new(table.id, group.path, column.id);
            let cell = if f.text.is_empty() {
                Cell::from(Value::Blank).with_source("", Some(f.location))
            } else {
                cell_of(f, column, diagnostics, id)
            };
            // A value that is not a number was said above; the group keeps no value for
            // that column, as a table keeps no unknown cell.
            if !cell.is_unknown() {
                values.insert(column.id.to_owned(), cell);
            }
        }
    }
    let row_names: Vec<Arg> = rows.iter().map(|r| Arg::row(table.id, r.path)).collect();
    diagnostics.push(
        Diagnostic::new(
            codes::GROUP_AS_ONE_ROW,
            Severity::Warning,
            Message::new("parse.group_as_one_row")
                .arg("label", label)
                .arg("row", Arg::row(table.id, group.path))
                .arg("rows", row_names),
        )
        .at(p.row.location)
        .with_cells(row_cells),
    );
    Some(xxgk_model::GroupRow {
        table: table.id.to_owned(),
        group: group.path.to_owned(),
        label: label.to_owned(),
        values,
        location: Some(p.row.location),
    })
}

/// A table printed as one row of cells (section 四): the row with the most values.
fn one_row<'a>(
    table: &'static Table,
    rows: &[Printed<'a>],
    tables: &mut Tables,
    diagnostics: &mut Vec<Diagnostic>,
    pending: &mut Vec<Pending<'a>>,
    extra_rows: &mut Vec<xxgk_model::ExtraRow>,
) -> bool {
    let n = table.cell_count();
    // A row with exactly as many cells as the table (blank cells counted in grids) is the row;
    // else the one with the most values, if it has at least half of them.
    let exact = |p: &Printed<'_>| {
        p.values().count() == n || (p.row.layout == Layout::Grid && p.data.len() == n)
    };
    // Of rows alike, the first: a table printed again after it (last year's, for comparison)
    // is said and kept aside, not read.
    let best = rows
        .iter()
        .filter(|p| p.row.layout != Layout::Prose && (p.has_values() || exact(p)))
        .rev()
        .max_by_key(|p| {
            let k = p.values().count();
            (exact(p), k.min(n), std::cmp::Reverse(k))
        });
    let Some(p) = best.filter(|p| exact(p) || p.values().count() * 2 >= n) else {
        return false;
    };
    if exact(p) {
        let after = rows.iter().skip_while(|q| !std::ptr::eq(*q, p)).skip(1);
        for again in after.filter(|q| q.row.layout != Layout::Prose && exact(q) && q.has_values()) {
            let message = printed_again(table, again, p);
            keep_aside(
                table,
                again,
                codes::DUPLICATE_ROW,
                message,
                diagnostics,
                extra_rows,
            );
        }
    }
    // All cells of the table as one list of columns, rows in order.
    let values: Vec<&Fragment> = p.values().collect();
    let grid_all = p.row.layout == Layout::Grid && p.data.len() == n;
    if values.len() == n || grid_all {
        let cells: Vec<&Fragment> = if grid_all { p.data.clone() } else { values };
        let mut k = 0;
        for r in table.rows {
            let placement: Placement<'_> = cells[k..k + r.columns.len()]
                .iter()
                .map(|f| Some(*f))
                .collect();
            set_row(tables, table.id, r.path, r.columns, &placement, diagnostics);
            k += r.columns.len();
        }
    } else {
        pending.push(Pending {
            table: table.id,
            row: "",
            columns: &[],
            location: p.row.location,
            label: String::new(),
            values,
        });
    }
    true
}

/// A message about `table`'s section: its numeral and the table.
fn section_message(key: &str, table: &Table) -> Message {
    Message::new(key)
        .arg("ordinal", table.section.ordinal)
        .arg("table", Arg::table(table.id))
}

/// Unit tests of the matcher, and what the tests of its modules share.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use xxgk_model::Edition;

    /// A table of the 2021 template.
    pub(super) fn table(id: &str) -> &'static Table {
        Edition::E2021.template().table(id).unwrap()
    }

    /// The rows of `doc` split into label and cells, as the matcher sees them.
    pub(super) fn printed_rows(doc: &Document) -> Vec<Printed<'_>> {
        doc.rows.iter().map(printed).collect()
    }

    /// The diagnostics with `code`.
    pub(super) fn with_code<'d>(diagnostics: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
        diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// A diagnostic's catalogue key and its argument `name`.
    pub(super) fn arg<'d>(d: &'d Diagnostic, name: &str) -> (&'d str, Option<&'d Arg>) {
        let text = d.text.as_ref().unwrap();
        (text.key.as_str(), text.args.get(name))
    }

    /// The texts of `fragments`, `None` where there is none.
    pub(super) fn texts<'f>(fragments: &[Option<&'f Fragment>]) -> Vec<Option<&'f str>> {
        fragments
            .iter()
            .map(|f| f.map(|f| f.text.as_str()))
            .collect()
    }

    fn matched(text: &str) -> Matches {
        let template = Edition::E2021.template();
        match_tables(&crate::text::read_text(text), template, Edition::E2021)
    }

    /// The values of `table`'s cells `(row, column)`.
    fn values(m: &Matches, table: &str, cells: &[(&str, &str)]) -> Vec<Value> {
        cells
            .iter()
            .map(|(row, column)| m.tables.cell(table, row, column).unwrap().value)
            .collect()
    }

    #[test]
    fn section_four_printed_as_one_row_fills_its_three_rows() {
        let m = matched(
            "四、政府信息公开行政复议、行政诉讼情况\n\
             41  17  56  12  126  9  2  5  3  19  6  1  2  4  13\n",
        );
        let cells = [
            ("administrative_review", "upheld"),
            ("administrative_review", "total"),
            ("litigation_direct", "upheld"),
            ("litigation_direct", "total"),
            ("litigation_after_review", "pending"),
            ("litigation_after_review", "total"),
        ];
        assert_eq!(
            values(&m, "review_litigation", &cells),
            [41, 126, 9, 19, 4, 13].map(Value::Count)
        );
        let cell = m
            .tables
            .cell("review_litigation", "litigation_direct", "other")
            .unwrap();
        assert_eq!(cell.location().map(|l| l.line), Some(2));
        assert_eq!(m.matched.get("review_litigation"), Some(&3));
        // The sections not printed are said missing, by numeral and table; nothing else.
        let missing: Vec<Option<&Message>> =
            m.diagnostics.iter().map(|d| d.text.as_ref()).collect();
        assert_eq!(
            missing,
            [
                Some(&section_message(
                    "parse.section_missing",
                    table("active_disclosure")
                )),
                Some(&section_message(
                    "parse.section_missing",
                    table("applications")
                )),
            ]
        );
        assert!(
            m.diagnostics
                .iter()
                .all(|d| d.code == codes::SECTION_MISSING)
        );
    }

    #[test]
    fn section_three_rows_extra_missing_and_not_numbers() {
        let m = matched(
            "三、收到和处理政府信息公开申请情况\n\
             一、本年新收政府信息公开申请数量\t10\t2\t0\t0\t1\t0\t13\n\
             其中：当面提交\t4\t1\t0\t0\t0\t0\t5\n\
             二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n\
             （一）予以公开\t8\t2.5\t0\t0\t1\t0\t11\n",
        );
        // `2.5` is no count: its cell stays unknown, with an error naming it.
        let cells = [
            ("new_received", "natural_person"),
            ("new_received", "total"),
            ("carried_over", "natural_person"),
            ("outcomes.disclosed", "natural_person"),
            ("outcomes.disclosed", "commercial_enterprise"),
            ("outcomes.disclosed", "total"),
        ];
        let (n, unknown) = (Value::Count, Value::Unknown);
        assert_eq!(
            values(&m, "applications", &cells),
            [n(10), n(13), n(1), n(8), unknown, n(11)]
        );
        assert_eq!(m.matched.get("applications"), Some(&3));
        let bad = with_code(&m.diagnostics, codes::CELL_VALUE);
        assert_eq!(bad.len(), 1, "{bad:#?}");
        assert_eq!(bad[0].severity, Severity::Error);
        assert_eq!(bad[0].cells.len(), 1);
        assert!(bad[0].cells[0] == "applications.outcomes.disclosed.commercial_enterprise");
        assert_eq!(bad[0].location.map(|l| l.line), Some(5));
        let (key, cell) = arg(bad[0], "cell");
        assert_eq!(key, "parse.cell_value");
        assert_eq!(
            cell,
            Some(&Arg::from(CellId::new(
                "applications",
                "outcomes.disclosed",
                "commercial_enterprise"
            )))
        );

        // A row the template lacks is kept, with a warning.
        assert_eq!(m.extra_rows.len(), 1);
        let extra = &m.extra_rows[0];
        assert_eq!(
            (extra.table.as_str(), extra.label.as_str()),
            ("applications", "其中:当面提交")
        );
        assert_eq!(extra.values, ["4", "1", "0", "0", "0", "0", "5"]);
        assert_eq!(extra.location.map(|l| l.line), Some(3));
        let said = with_code(&m.diagnostics, codes::EXTRA_ROW);
        assert_eq!(said.len(), 1);
        assert_eq!(said[0].severity, Severity::Warning);
        assert_eq!(
            arg(said[0], "label"),
            ("parse.extra_row", Some(&Arg::from("其中:当面提交")))
        );

        // Every other row of the table is said missing, in the template's order.
        let missing = with_code(&m.diagnostics, codes::ROW_MISSING);
        assert_eq!(missing.len(), 1);
        let printed = ["new_received", "carried_over", "outcomes.disclosed"];
        let rows: Vec<Arg> = table("applications")
            .rows
            .iter()
            .filter(|r| !printed.contains(&r.path))
            .map(|r| Arg::row("applications", r.path))
            .collect();
        assert_eq!(rows.len(), 22);
        assert_eq!(
            arg(missing[0], "rows"),
            ("parse.row_missing", Some(&Arg::List(rows)))
        );
        assert!(m.group_rows.is_empty());
    }

    #[test]
    fn cell_ids_follow_the_columns() {
        let t = table("review_litigation");
        let row = t.row("litigation_after_review").unwrap();
        let ids: Vec<String> = cell_ids(t.id, row.path, row.columns)
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            ids,
            [
                "review_litigation.litigation_after_review.upheld",
                "review_litigation.litigation_after_review.corrected",
                "review_litigation.litigation_after_review.other",
                "review_litigation.litigation_after_review.pending",
                "review_litigation.litigation_after_review.total",
            ]
        );
    }

    #[test]
    fn a_section_message_names_the_numeral_and_the_table() {
        let m = section_message("parse.section_rows_missing", table("applications"));
        assert_eq!(m.key, "parse.section_rows_missing");
        let args: Vec<(&str, &Arg)> = m.args.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert_eq!(
            args,
            [
                ("ordinal", &Arg::from("三")),
                ("table", &Arg::table("applications"))
            ]
        );
    }
}
