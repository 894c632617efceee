//! CSV: the long table (one row per cell, the shape for databases and dataframes) and the wide
//! table (one row per report, one column per cell id: the panel researchers use across
//! agencies and years). Column names and order come from the schema.

use crate::{ExportError, Item, Medium, long_rows, value_text};
use std::io::Write;
use xxgk_model::Edition;

/// The long table's columns: those of `outputs.md`, then `unit`, `kind` (`cell`, `statement`
/// or `diagnostic`) and `check` (a statement's comparison with the tables).
pub const LONG_COLUMNS: [&str; 10] = [
    "report", "table", "row", "column", "value", "raw", "line", "unit", "kind", "check",
];

fn csv_error(e: csv::Error) -> ExportError {
    ExportError::Format(e.to_string())
}

/// Write the long table of `items` as CSV (header first).
///
/// ```
/// let report = xxgk_model::Report::from_json(r#"{ "meta": { "edition": "2021" },
///   "tables": { "review_litigation": { "administrative_review": { "upheld": 1 } } } }"#).unwrap();
/// let mut out = Vec::new();
/// xxgk_export::csv_out::long(&[xxgk_export::Item::new("r", report, Vec::new())], &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text.lines().nth(1), Some("r,review_litigation,administrative_review,upheld,1,1,,件,cell,"));
/// ```
pub fn long(items: &[Item], out: &mut dyn Write) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(LONG_COLUMNS).map_err(csv_error)?;
    for item in items {
        long_item(item, &mut w)?;
    }
    w.flush()?;
    Ok(())
}

/// The long table's rows of one item, after the header.
pub(crate) fn long_item<W: Write>(item: &Item, w: &mut csv::Writer<W>) -> Result<(), ExportError> {
    for r in long_rows(item) {
        let line = r.line.map(|l| l.to_string()).unwrap_or_default();
        w.write_record([
            &r.report, &r.table, &r.row, &r.column, &r.value, &r.raw, &line, &r.unit, r.kind,
            r.check,
        ])
        .map_err(csv_error)?;
    }
    Ok(())
}

/// The wide table's metadata columns, before the cell columns: the report's, then what its
/// narrative says of the processing fee (section 六; empty when it says nothing).
pub const WIDE_META: [&str; 9] = [
    "report",
    "agency",
    "year",
    "edition",
    "published",
    "processing_fee.charged",
    "processing_fee.amount",
    "processing_fee.unit",
    "processing_fee.count",
];

/// The values of [`WIDE_META`] for `item`.
pub(crate) fn wide_meta(item: &Item) -> Vec<String> {
    let r = &item.report;
    let fee = r.processing_fee.as_ref();
    vec![
        item.name.clone(),
        r.meta.agency.clone().unwrap_or_default(),
        r.meta.year.map(|y| y.to_string()).unwrap_or_default(),
        r.edition().to_string(),
        r.meta.published.map(|d| d.to_string()).unwrap_or_default(),
        fee.map(|f| f.charged.to_string()).unwrap_or_default(),
        fee.and_then(|f| f.amount)
            .map(|a| a.value.to_string())
            .unwrap_or_default(),
        fee.and_then(|f| f.amount)
            .map(|a| a.unit.as_str().to_owned())
            .unwrap_or_default(),
        fee.and_then(|f| f.count)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    ]
}

/// The wide table's cell columns: every cell id (`table.row.column`) of the editions present,
/// in the schema's order (older edition first, then the newer edition's ids not seen yet).
pub fn wide_columns(items: &[Item]) -> Vec<String> {
    wide_columns_of(|e| items.iter().any(|i| i.report.edition() == e))
}

/// The wide table's cell columns when the editions `present` says are present.
pub(crate) fn wide_columns_of(present: impl Fn(Edition) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for edition in Edition::ALL.iter().filter(|e| present(**e)) {
        for id in edition.template().cell_ids() {
            let name = id.to_string();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Per edition (in [`Edition::ALL`] order), where each of `columns` is among that edition's
/// cells, in the order of its records (`None`: not a cell of the edition).
pub(crate) fn column_places(columns: &[String]) -> Vec<Vec<Option<usize>>> {
    Edition::ALL
        .iter()
        .map(|e| {
            let ids: Vec<String> = e.template().cell_ids().map(|id| id.to_string()).collect();
            columns
                .iter()
                .map(|c| ids.iter().position(|id| id == c))
                .collect()
        })
        .collect()
}

/// One item's row of the wide table in its own edition's columns: the metadata
/// ([`WIDE_META`]), then every cell of the edition in the schema's order (`?` for a cell the
/// report does not determine). [`write_wide`] places it under the columns of a whole export.
pub(crate) fn wide_record(item: &Item) -> Vec<String> {
    let r = &item.report;
    let mut record = wide_meta(item);
    for id in r.edition().template().cell_ids() {
        record.push(
            r.tables
                .cell(id.table, id.row, id.column)
                .map_or_else(|| "?".into(), |c| value_text(&c.value, Medium::Data)),
        );
    }
    record
}

/// Write the wide table of `rows` (each its edition and its [`wide_record`]) under `columns`.
pub(crate) fn write_wide(
    columns: &[String],
    rows: impl Iterator<Item = Result<(Edition, Vec<String>), ExportError>>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(
        WIDE_META
            .iter()
            .copied()
            .chain(columns.iter().map(String::as_str)),
    )
    .map_err(csv_error)?;
    let places = column_places(columns);
    for row in rows {
        let (edition, mut record) = row?;
        let index = Edition::ALL.iter().position(|e| *e == edition).unwrap_or(0);
        let values = record.split_off(WIDE_META.len());
        record.extend(
            places[index]
                .iter()
                .map(|p| p.and_then(|k| values.get(k).cloned()).unwrap_or_default()),
        );
        w.write_record(&record).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

/// Write the wide table of `items` as CSV: one row per report. A blank cell is empty, a cell
/// printed as not applicable `n/a`, a cell the report does not determine `?`, and a cell its
/// edition does not have is empty.
pub fn wide(items: &[Item], out: &mut dyn Write) -> Result<(), ExportError> {
    let rows = items
        .iter()
        .map(|i| Ok((i.report.edition(), wide_record(i))));
    write_wide(&wide_columns(items), rows, out)
}
