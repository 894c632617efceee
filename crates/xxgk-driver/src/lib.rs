//! Running xxgk over files: walking folders ([`walk`]), reading and checking each file
//! ([`check_file`]), feeding the results to a [`Sink`] ([`run`]), and exporting ([`export`]).
//! `xxgk check`, `xxgk export` and `cargo xtask validate` all run this, so they agree.
//!
//! The engine ([`xxgk_validate`]) knows nothing of files or printing; the printers
//! ([`xxgk_print`]) know nothing of files or checking; this crate joins them.

pub mod export;
pub mod walk;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::Message;
use xxgk_validate::{Checked, Validator};

pub use walk::{collect, is_report_file};
pub use xxgk_print::{Input, JsonLinesSink, Look, Sink, Summary, Tee, TextSink, colour_stdout};

/// One file, checked, and the decoded text its diagnostics point into.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// What checking found.
    pub checked: Checked,
    /// The decoded text the report was parsed from; `None` for canonical JSON (whose
    /// locations point into the original document) and files that could not be read.
    pub text: Option<String>,
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Output {
    /// A line per report, its diagnostics when it did not pass, and a summary ([`TextSink`]).
    #[default]
    Text,
    /// One JSON object per line: `{"path", "status", "diagnostics"}` ([`JsonLinesSink`]).
    JsonLines,
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Check one file: canonical JSON is validated against the schema; any other file is parsed
/// ([`xxgk_parse::parse_file`]) and keeps its decoded text (for showing the lines diagnostics
/// point at). A file that cannot be read or parsed is an error for that file
/// only, its code the parser's ([`xxgk_parse::ParseError::code`]: `input.unreadable`,
/// `input.decode`, `input.docx`, `input.not_annual_report`, …).
pub fn check_file(validator: &Validator, path: &Path) -> CheckedFile {
    let fail = |code: &str, error: String| CheckedFile {
        checked: Checked {
            report: None,
            diagnostics: vec![Diagnostic::new(
                code,
                Severity::Error,
                Message::new("input.error").arg("error", error),
            )],
            checks: xxgk_validate::CheckCounts::default(),
        },
        text: None,
    };
    let json = |checked| CheckedFile {
        checked,
        text: None,
    };
    if is_json(path) {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                return fail(
                    xxgk_validate::codes::UNREADABLE,
                    format!("cannot read {}: {e}", path.display()),
                );
            }
        };
        return match String::from_utf8(bytes) {
            Ok(text) => json(validator.check_json(&text)),
            Err(_) => fail(
                xxgk_validate::codes::UNREADABLE,
                format!("{} is not UTF-8 text", path.display()),
            ),
        };
    }
    let options = xxgk_parse::Options {
        keep_text: true,
        ..xxgk_parse::Options::default()
    };
    match xxgk_parse::parse_file(path, &options) {
        Ok(parsed) => CheckedFile {
            checked: xxgk_validate::check_report(parsed.report),
            text: parsed.text,
        },
        // The message names the file once.
        Err(e @ xxgk_parse::ParseError::Unreadable { .. }) => fail(e.code(), e.to_string()),
        Err(e) => fail(e.code(), format!("{}: {e}", path.display())),
    }
}

/// Check `files` in order and feed every result to `sink`; then the checks across reports
/// (consecutive years of one agency, duplicates: warnings only) and the summary. `shown`
/// turns a path into the name printed and used across reports.
pub fn run(
    validator: &Validator,
    files: &[PathBuf],
    shown: &dyn Fn(&Path) -> String,
    sink: &mut dyn Sink,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut entries: Vec<xxgk_validate::corpus::Entry> = Vec::new();
    sink.begin(files.len())?;
    for file in files {
        let CheckedFile { checked, text } = check_file(validator, file);
        let name = shown(file);
        if let Some(r) = &checked.report
            && let (Some(agency), Some(year)) = (&r.meta.agency, r.meta.year)
        {
            entries.push(xxgk_validate::corpus::Entry {
                name: name.clone(),
                agency: agency.clone(),
                year,
                tables: r.tables.clone(),
            });
        }
        sink.report(&Input {
            path: file,
            name: &name,
            checked: &checked,
            text: text.as_deref(),
        })?;
        summary.add(&checked);
    }
    let across = xxgk_validate::corpus::check(&entries);
    summary.corpus_warnings = across.len();
    sink.across(&across)?;
    sink.finish(&summary)?;
    Ok(summary)
}

/// [`run`] into the sink `output` names, looking as `look` says (colour: pass
/// [`colour_stdout`] when `out` is standard output).
pub fn check_files(
    validator: &Validator,
    files: &[PathBuf],
    output: Output,
    look: Look,
    shown: &dyn Fn(&Path) -> String,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    match output {
        Output::Text => run(validator, files, shown, &mut TextSink::new(out, look)),
        Output::JsonLines => run(validator, files, shown, &mut JsonLinesSink::new(out)),
    }
}
