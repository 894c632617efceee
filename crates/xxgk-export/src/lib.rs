//! Export reports for analysts and reviewers: canonical JSON, long and wide CSV, Excel
//! workbooks, self-contained HTML pages, Markdown and (feature `parquet`) Parquet. Every column
//! list, label and layout comes from the schema's generated metadata ([`layout`]).
//!
//! ```
//! use xxgk_export::{Item, long_rows};
//! let report = xxgk_model::Report::from_json(r#"{ "meta": { "edition": "2021", "year": 2024 },
//!   "tables": { "review_litigation": { "administrative_review": { "upheld": 1, "total": 1 } } } }"#).unwrap();
//! let item = Item::new("r2024", report);
//! let rows = long_rows(&item);
//! assert_eq!(rows.len(), 2);
//! assert_eq!((rows[0].row.as_str(), rows[0].column.as_str(), rows[0].value.as_str()), ("administrative_review", "upheld", "1"));
//! ```

pub mod csv_out;
pub mod html;
pub mod layout;
pub mod markdown;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod run;
pub mod write;
pub mod xlsx;

use std::collections::HashMap;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, Value};
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_validate::Checked;

/// A report to export: its name (used in file names and the `report` column), the report, and
/// what checking it found.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub report: Report,
    /// Parse and check diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

impl Item {
    /// Check `report` and keep what was found.
    pub fn new(name: impl Into<String>, report: Report) -> Item {
        let (diagnostics, _) = xxgk_validate::diagnose(&report);
        Item {
            name: name.into(),
            report,
            diagnostics,
        }
    }

    /// From a checked report; `Err(name)` when it has no report (it could not be read).
    pub fn from_checked(name: impl Into<String>, checked: Checked) -> Result<Item, String> {
        let name = name.into();
        match checked.report {
            Some(report) => Ok(Item {
                name,
                report,
                diagnostics: checked.diagnostics,
            }),
            None => Err(name),
        }
    }

    /// Errors and warnings that name cells, by cell id (`table.row.column`).
    pub fn flagged(&self) -> HashMap<String, Vec<&Diagnostic>> {
        let mut out: HashMap<String, Vec<&Diagnostic>> = HashMap::new();
        for d in self
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
        {
            for c in &d.cells {
                out.entry(c.clone()).or_default().push(d);
            }
        }
        out
    }
}

/// A cell's value as text for tables: the number, the amount's digits, empty for blank,
/// `n/a`; `None` for an unknown cell.
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Unknown => None,
        Value::Blank => Some(String::new()),
        Value::NotApplicable => Some("n/a".into()),
        Value::Count(n) => Some(n.to_string()),
        Value::SignedCount(n) => Some(n.to_string()),
        Value::Amount(a) => Some(a.value.to_string()),
    }
}

/// The unit of a value (`万元`, `元`), or the column's unit for counts.
fn unit_of(value: &Value, id: CellId, report: &Report) -> String {
    match value {
        Value::Amount(a) => a.unit.as_str().to_owned(),
        _ => report
            .edition()
            .template()
            .table(id.table)
            .and_then(|t| t.row(id.row))
            .and_then(|r| r.column(id.column))
            .and_then(|c| c.unit)
            .unwrap_or("")
            .to_owned(),
    }
}

/// One row of the long table: one known cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongRow {
    pub report: String,
    pub table: String,
    /// Dotted row path (`outcomes.withheld.state_secret`).
    pub row: String,
    pub column: String,
    /// Normalised value: the number or amount digits, empty for blank, `n/a`.
    pub value: String,
    /// The text as printed, when known.
    pub raw: String,
    /// The source line, when known.
    pub line: Option<u32>,
    /// The unit (`件`, `项`, `万元`, `元`).
    pub unit: String,
}

/// The long table of one report: one row per known cell, in the schema's order. Unknown cells
/// (absent, or not determinable) have no row.
pub fn long_rows(item: &Item) -> Vec<LongRow> {
    let mut out = Vec::new();
    item.report.tables.for_each_cell(&mut |id, cell| {
        let Some(value) = value_text(&cell.value) else {
            return;
        };
        out.push(LongRow {
            report: item.name.clone(),
            table: id.table.to_owned(),
            row: id.row.to_owned(),
            column: id.column.to_owned(),
            value,
            raw: cell
                .source
                .as_ref()
                .map_or_else(|| cell.value_text(), |s| s.raw.clone()),
            line: cell.location().map(|l| l.line),
            unit: unit_of(&cell.value, id, &item.report),
        });
    });
    out
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A writer library failed (Excel, Parquet).
    #[error("{0}")]
    Format(String),
    /// Refused: the output would overwrite an input file.
    #[error("refusing to overwrite the input {}", .0.display())]
    WouldOverwriteInput(std::path::PathBuf),
}
