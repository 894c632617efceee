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
use xxgk_validate::{Checked, Validator};

pub use walk::{collect, is_report_file};
pub use xxgk_print::{JsonLinesSink, Sink, Summary, Tee, TextSink, colour_stdout};

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
        checks: xxgk_validate::CheckCounts::default(),
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
            Ok(text) => validator.check_json(&text),
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
        Ok(parsed) => {
            let mut checked = xxgk_validate::check_report(parsed.report);
            checked.source_text = parsed.text.map(Into::into);
            checked
        }
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
        let checked = check_file(validator, file);
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
        sink.report(file, &name, &checked)?;
        summary.add(&checked);
    }
    let across = xxgk_validate::corpus::check(&entries);
    summary.corpus_warnings = across.len();
    sink.across(&across)?;
    sink.finish(&summary)?;
    Ok(summary)
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

/// [`run`] into the sink `output` names, with colours on or off (on: pass [`colour_stdout`]
/// when `out` is standard output).
pub fn check_files_coloured(
    validator: &Validator,
    files: &[PathBuf],
    output: Output,
    colour: bool,
    shown: &dyn Fn(&Path) -> String,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    match output {
        Output::Text => run(validator, files, shown, &mut TextSink::new(out, colour)),
        Output::JsonLines => run(validator, files, shown, &mut JsonLinesSink::new(out)),
    }
}
