//! `xxgk export`'s writers: already-checked items written in the chosen format into the
//! output folder (reading and checking the inputs is `xxgk-driver`'s). Writes are atomic, never
//! over an input, and a file that fails does not stop the others.

use crate::{ExportError, Item, write};
use std::path::{Path, PathBuf};
use xxgk_model::message::Lang;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Canonical JSON, one file per report.
    Json,
    /// Canonical JSON, one line per report, in one file.
    JsonLines,
    /// The long table: one row per cell.
    Csv,
    /// The wide table: one row per report, one column per cell id.
    CsvWide,
    /// An Excel workbook per report, and one for the corpus when there are several reports.
    Xlsx,
    /// A page per report for reviewers, and an index page when there are several.
    Html,
    /// The tables as Markdown, one file per report.
    Markdown,
    /// The long table as Parquet (feature `parquet`).
    Parquet,
}

impl Format {
    /// Every format with its name on the command line, and what it writes.
    pub const ALL: [(Format, &'static str, &'static str); 8] = [
        (Format::Json, "json", "canonical JSON, one file per report"),
        (
            Format::JsonLines,
            "jsonl",
            "canonical JSON lines, one file for all reports",
        ),
        (
            Format::Csv,
            "csv",
            "the long table, one row per cell: cells.csv",
        ),
        (
            Format::CsvWide,
            "csv-wide",
            "the wide table, one row per report: reports-wide.csv",
        ),
        (
            Format::Xlsx,
            "xlsx",
            "an Excel workbook per report, plus corpus.xlsx for several",
        ),
        (
            Format::Html,
            "html",
            "a page per report for reviewers, plus index.html for several",
        ),
        (
            Format::Markdown,
            "markdown",
            "Markdown, one file per report",
        ),
        (
            Format::Parquet,
            "parquet",
            "the long table as Parquet: cells.parquet (feature `parquet`)",
        ),
    ];
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .iter()
            .find(|(_, name, _)| *name == s)
            .map(|(f, _, _)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|(_, n, _)| *n).collect();
                format!("unknown format `{s}` (one of {})", names.join(", "))
            })
    }
}

/// What an export did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Reports read, and how many of them have an error (they are still exported).
    pub reports: usize,
    pub with_errors: usize,
    /// Inputs that could not be read as reports, with why; the export went on without them.
    pub failed: Vec<(String, String)>,
}

/// Write `items` as `format` into `out_dir`; `inputs` are never overwritten. A file that
/// cannot be written is recorded in `outcome.failed` and the others are still written.
///
/// `lang` is the language of what the files say to people: the HTML pages' headings, summary,
/// legend and diagnostics, and the workbooks' summary sheet, legend and cell notes. Data is
/// the same in every language: JSON and JSON lines keep each diagnostic's English `message`
/// and dotted cell ids, CSV and Parquet have no text, Markdown shows no diagnostics.
pub fn write_items(
    items: &[Item],
    format: Format,
    lang: Lang,
    out_dir: &Path,
    inputs: &[PathBuf],
    outcome: &mut Outcome,
) -> Result<(), ExportError> {
    let put = |name: String, bytes: Result<Vec<u8>, ExportError>, outcome: &mut Outcome| {
        let target = out_dir.join(&name);
        match bytes.and_then(|b| write::atomic(&target, &b, inputs)) {
            Ok(()) => outcome.written.push(target),
            Err(e) => outcome
                .failed
                .push((target.display().to_string(), e.to_string())),
        }
    };
    match format {
        Format::Json => {
            for item in items {
                let mut report = item.report.clone();
                report.diagnostics = item.diagnostics.clone();
                put(
                    format!("{}.json", item.name),
                    Ok((report.to_json_pretty() + "\n").into_bytes()),
                    outcome,
                );
            }
        }
        Format::JsonLines => {
            let mut out = String::new();
            for item in items {
                let mut report = item.report.clone();
                report.diagnostics = item.diagnostics.clone();
                out.push_str(
                    &serde_json::to_string(&report)
                        .map_err(|e| ExportError::Format(e.to_string()))?,
                );
                out.push('\n');
            }
            put("reports.jsonl".into(), Ok(out.into_bytes()), outcome);
        }
        Format::Csv => {
            let mut out = Vec::new();
            let r = crate::csv_out::long(items, &mut out).map(|()| out);
            put("cells.csv".into(), r, outcome);
        }
        Format::CsvWide => {
            let mut out = Vec::new();
            let r = crate::csv_out::wide(items, &mut out).map(|()| out);
            put("reports-wide.csv".into(), r, outcome);
        }
        Format::Markdown => {
            for item in items {
                put(
                    format!("{}.md", item.name),
                    Ok(crate::markdown::report(item).into_bytes()),
                    outcome,
                );
            }
        }
        Format::Html => {
            let mut links = Vec::new();
            for item in items {
                let name = format!("{}.html", item.name);
                put(
                    name.clone(),
                    Ok(crate::html::report_page(item, lang).into_bytes()),
                    outcome,
                );
                links.push(name);
            }
            if items.len() > 1 {
                put(
                    "index.html".into(),
                    Ok(crate::html::index_page(items, &links, lang).into_bytes()),
                    outcome,
                );
            }
        }
        Format::Xlsx => {
            for item in items {
                put(
                    format!("{}.xlsx", item.name),
                    crate::xlsx::report_workbook(item, lang),
                    outcome,
                );
            }
            if items.len() > 1 {
                put(
                    "corpus.xlsx".into(),
                    crate::xlsx::corpus_workbook(items, lang),
                    outcome,
                );
            }
        }
        Format::Parquet => {
            #[cfg(feature = "parquet")]
            put(
                "cells.parquet".into(),
                crate::parquet::long_table(items),
                outcome,
            );
            #[cfg(not(feature = "parquet"))]
            return Err(ExportError::Format(
                "this xxgk was built without Parquet support (cargo feature `parquet`)".into(),
            ));
        }
    }
    Ok(())
}
