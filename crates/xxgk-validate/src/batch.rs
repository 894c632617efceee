//! Checking many files: walking folders, one line per report, a summary, the exit status.
//! `xxgk check` and `cargo xtask validate` both run this, so they agree.

use crate::{Checked, Status, Validator};
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

/// Files a folder walk takes as reports: canonical `.json`, and the endings of the formats the
/// parser reads ([`xxgk_parse::extensions`]: text, HTML, Markdown, Word `.docx`, …; a format
/// added to the parser's registry joins by itself). `README.md` files are documentation, not
/// reports.
pub fn is_report_file(path: &Path) -> bool {
    let readme = path
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"));
    !readme
        && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            e.eq_ignore_ascii_case("json")
                || xxgk_parse::extensions().any(|x| e.eq_ignore_ascii_case(x))
        })
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The report files at `path`: the file itself, or every report file below a folder (sorted,
/// recursively), leaving out the folders in `skip`.
pub fn collect(path: &Path, skip: &[PathBuf], out: &mut Vec<PathBuf>) -> io::Result<()> {
    if std::fs::metadata(path)?.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
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
/// ([`xxgk_parse::parse_file`]) and keeps its decoded text as `source_text` (for showing the
/// lines diagnostics point at). A file that cannot be read or parsed is an error for that file
/// only, its code the parser's ([`xxgk_parse::ParseError::code`]: `input.unreadable`,
/// `input.decode`, `input.docx`, `input.not_annual_report`, …).
pub fn check_file(validator: &Validator, path: &Path) -> Checked {
    use xxgk_model::diagnostic::{Diagnostic, Severity};
    let fail = |code: &str, m: String| Checked {
        report: None,
        diagnostics: vec![Diagnostic::new(code, Severity::Error, m)],
        source_text: None,
        checks: crate::CheckCounts::default(),
    };
    if is_json(path) {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                return fail(
                    crate::codes::UNREADABLE,
                    format!("cannot read {}: {e}", path.display()),
                );
            }
        };
        return match String::from_utf8(bytes) {
            Ok(text) => validator.check_json(&text),
            Err(_) => fail(
                crate::codes::UNREADABLE,
                format!("{} is not UTF-8 text", path.display()),
            ),
        };
    }
    let options = xxgk_parse::Options {
        keep_text: true,
        ..xxgk_parse::Options::default()
    };
    match xxgk_parse::parse_file(path, &options) {
        Ok(parsed) => {
            let mut checked = crate::check_report(parsed.report);
            checked.source_text = parsed.text.map(Into::into);
            checked
        }
        // The message names the file once.
        Err(e @ xxgk_parse::ParseError::Unreadable { .. }) => fail(e.code(), e.to_string()),
        Err(e) => fail(e.code(), format!("{}: {e}", path.display())),
    }
}

/// Check `files`, printing as `output` asks, without colours; `shown` turns a path into what
/// is printed. See [`check_files_coloured`].
pub fn check_files(
    validator: &Validator,
    files: &[PathBuf],
    output: Output,
    shown: &dyn Fn(&Path) -> String,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    check_files_coloured(validator, files, output, false, shown, out)
}

/// Whether to colour what goes to standard output: it is a terminal and `NO_COLOR` is unset.
/// The commands pass this to [`check_files_coloured`] when they print to standard output.
pub fn colour_stdout() -> bool {
    use std::io::IsTerminal;
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// [`check_files`] with colours on or off (on: pass [`colour_stdout`] when `out` is standard
/// output).
///
/// Text: per report a status line and, unless it passed, its diagnostics with the source lines
/// they point at; then the warnings across reports; then the summary with counts per code.
/// JSON: one object per report and line (`{"path", "status", "diagnostics"}`), and one per
/// warning across reports; a single report is printed as one pretty JSON document instead.
pub fn check_files_coloured(
    validator: &Validator,
    files: &[PathBuf],
    output: Output,
    colour: bool,
    shown: &dyn Fn(&Path) -> String,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut tally = crate::render::Tally::default();
    let mut entries: Vec<crate::corpus::Entry> = Vec::new();
    // Reports whose diagnostic locations point into the file itself (parsed text).
    let mut located: std::collections::HashSet<String> = std::collections::HashSet::new();
    for file in files {
        let checked = check_file(validator, file);
        let name = shown(file);
        if let Some(r) = &checked.report
            && let (Some(agency), Some(year)) = (&r.meta.agency, r.meta.year)
        {
            entries.push(crate::corpus::Entry {
                name: name.clone(),
                agency: agency.clone(),
                year,
                tables: r.tables.clone(),
            });
        }
        if checked.source_text.is_some() {
            located.insert(name.clone());
        }
        match output {
            Output::Text => {
                out.write_all(crate::render::report(&name, &checked, colour).as_bytes())?
            }
            Output::JsonLines => {
                let status = match checked.status() {
                    Status::Passed => "passed",
                    Status::Warnings => "warnings",
                    Status::Failed => "failed",
                };
                let value = serde_json::json!({ "path": name, "status": status, "checks": checked.checks, "diagnostics": checked.diagnostics });
                if files.len() == 1 {
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string())
                    )?;
                } else {
                    writeln!(out, "{value}")?;
                }
            }
        }
        tally.add(&name, &checked.diagnostics);
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
    if output == Output::Text && !across.is_empty() {
        writeln!(out, "across reports:")?;
    }
    for (name, d) in &across {
        tally.add(name, [d]);
        match output {
            Output::Text => {
                let source = crate::render::Source {
                    path: name,
                    text: None,
                    report: None,
                    located_in_file: located.contains(name),
                };
                writeln!(out, "{}\n", crate::render::diagnostic(d, &source, colour))?;
            }
            Output::JsonLines => writeln!(
                out,
                "{}",
                serde_json::json!({ "path": name, "scope": "corpus", "status": "warnings", "diagnostics": [d] })
            )?,
        }
    }
    if output == Output::Text {
        write!(out, "{}", crate::render::summary(&summary, &tally, colour))?;
    }
    Ok(summary)
}
