//! Checking many files: walking folders, one line per report, a summary, the exit status.
//! `xxgk check` and `cargo xtask validate` both run this, so they agree.

use crate::{Checked, Status, Validator, summary_line};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Output {
    /// A line per report, its diagnostics when it did not pass, and a summary.
    #[default]
    Text,
    /// One JSON object per line: `{"path", "status", "diagnostics"}`.
    JsonLines,
}

/// Counts over a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub reports: usize,
    pub passed: usize,
    pub warnings: usize,
    pub errors: usize,
    /// Warnings of the checks across reports (continuity, duplicates).
    pub corpus_warnings: usize,
}

impl Summary {
    /// Exit status per `outputs.md`: 0 when no report has an error, else 1.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.errors > 0)
    }
}

/// File endings a folder walk takes as reports: canonical JSON, and the formats the parser
/// reads (text, HTML, Markdown).
pub const REPORT_EXTENSIONS: &[&str] = &["json", "txt", "text", "html", "htm", "shtml", "xhtml", "md", "markdown"];

/// Files a folder walk takes as reports (see [`REPORT_EXTENSIONS`]; `README.md` files are
/// documentation, not reports).
pub fn is_report_file(path: &Path) -> bool {
    let readme = path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.eq_ignore_ascii_case("readme"));
    !readme && path.extension().and_then(|e| e.to_str()).is_some_and(|e| REPORT_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn is_json(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The report files at `path`: the file itself, or every report file below a folder (sorted,
/// recursively), leaving out the folders in `skip`.
pub fn collect(path: &Path, skip: &[PathBuf], out: &mut Vec<PathBuf>) -> io::Result<()> {
    if std::fs::metadata(path)?.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        if skip.contains(&entry) {
            continue;
        }
        if entry.is_dir() {
            collect(&entry, skip, out)?;
        } else if is_report_file(&entry) {
            out.push(entry);
        }
    }
    Ok(())
}

/// Check one file: canonical JSON is validated against the schema; any other file is parsed
/// first. A file that cannot be read or parsed is an error for that file only.
pub fn check_file(validator: &Validator, path: &Path) -> Checked {
    use xxgk_model::diagnostic::{Diagnostic, Severity};
    let fail = |code: &str, m: String| Checked { report: None, diagnostics: vec![Diagnostic::new(code, Severity::Error, m)] };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return fail(crate::codes::UNREADABLE, format!("cannot read {}: {e}", path.display())),
    };
    if is_json(path) {
        return match String::from_utf8(bytes) {
            Ok(text) => validator.check_json(&text),
            Err(_) => fail(crate::codes::UNREADABLE, format!("{} is not UTF-8 text", path.display())),
        };
    }
    match xxgk_parse::parse_bytes(&bytes, xxgk_parse::Format::from_path(path)) {
        Ok(mut report) => {
            if let Some(source) = &mut report.source {
                source.path = Some(path.display().to_string());
            }
            crate::check_report(report)
        }
        Err(e) => fail(crate::codes::NOT_A_REPORT, format!("{}: {e}", path.display())),
    }
}

/// Check `files`, printing as `output` asks; `shown` turns a path into what is printed.
pub fn check_files(
    validator: &Validator,
    files: &[PathBuf],
    output: Output,
    shown: &dyn Fn(&Path) -> String,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut entries: Vec<crate::corpus::Entry> = Vec::new();
    for file in files {
        let checked = check_file(validator, file);
        let name = shown(file);
        if let Some(r) = &checked.report
            && let (Some(agency), Some(year)) = (&r.meta.agency, r.meta.year)
        {
            entries.push(crate::corpus::Entry { name: name.clone(), agency: agency.clone(), year, tables: r.tables.clone() });
        }
        match output {
            Output::Text => {
                writeln!(out, "{}", summary_line(&name, &checked))?;
                if checked.status() != Status::Passed {
                    for d in &checked.diagnostics {
                        writeln!(out, "     {d}")?;
                    }
                }
            }
            Output::JsonLines => {
                let status = match checked.status() {
                    Status::Passed => "passed",
                    Status::Warnings => "warnings",
                    Status::Failed => "failed",
                };
                let line = serde_json::json!({ "path": name, "status": status, "diagnostics": checked.diagnostics });
                writeln!(out, "{line}")?;
            }
        }
        summary.reports += 1;
        match checked.status() {
            Status::Passed => summary.passed += 1,
            Status::Warnings => summary.warnings += 1,
            Status::Failed => summary.errors += 1,
        }
    }
    // Across reports: consecutive years of one agency, duplicates. Warnings only.
    let across = crate::corpus::check(&entries);
    summary.corpus_warnings = across.len();
    for (name, d) in &across {
        match output {
            Output::Text => writeln!(out, "     {name}: {d}")?,
            Output::JsonLines => {
                writeln!(out, "{}", serde_json::json!({ "path": name, "scope": "corpus", "status": "warnings", "diagnostics": [d] }))?
            }
        }
    }
    if output == Output::Text {
        if !across.is_empty() {
            writeln!(out, "\n{} warnings across reports", across.len())?;
        }
        writeln!(
            out,
            "\n{} reports: {} passed, {} with warnings, {} with errors",
            summary.reports, summary.passed, summary.warnings, summary.errors
        )?;
    }
    Ok(summary)
}
