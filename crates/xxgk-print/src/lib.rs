//! Printing checked reports, apart from checking them (as grep-printer sits apart from
//! grep-searcher): [`xxgk_validate`] finds what is wrong, this crate shows it.
//!
//! Everything a run produces goes through one interface, [`Sink`]: the driver
//! (`xxgk-driver`) calls [`Sink::begin`] with the number of reports, [`Sink::report`] for each
//! checked report in order, [`Sink::across`] for each warning across reports (continuity,
//! duplicates), and [`Sink::finish`] with the counts. [`TextSink`] prints for people (a line
//! per report, diagnostics with the source lines they point at, a summary); [`JsonLinesSink`]
//! prints one JSON object per report and line for programs. Other consumers (the exporter's
//! writers, [`ProgressSink`]) implement the same trait.
//!
//! ```
//! use xxgk_print::{Input, Sink, Summary, TextSink, render::Look};
//! let checked = xxgk_validate::Validator::new().unwrap().check_json(
//!     r#"{ "meta": { "edition": "2021", "year": 2024 }, "tables": {} }"#);
//! let mut out = Vec::new();
//! let mut sink = TextSink::new(&mut out, Look::default());
//! sink.begin(1).unwrap();
//! let path = std::path::Path::new("r.json");
//! sink.report(&Input { path, name: "r.json", checked: &checked, text: None }).unwrap();
//! sink.finish(&Summary { reports: 1, passed: 1, ..Summary::default() }).unwrap();
//! drop(sink);
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.starts_with("ok   r.json"), "{text}");
//! assert!(text.ends_with("1 report: 1 passed, 0 with warnings, 0 with errors\n"), "{text}");
//! ```

pub mod progress;
pub mod render;

use std::io::{self, Write};
use std::path::Path;
use xxgk_model::diagnostic::{Diagnostic, Severity, Status};
use xxgk_model::message::{Lang, Message, Naming};
use xxgk_validate::Checked;

pub use progress::ProgressSink;
pub use render::{Look, Source, Tally};

/// One input of a run, read and checked: what a sink is given.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The file read.
    pub path: &'a Path,
    /// How it is shown to users.
    pub name: &'a str,
    /// What checking it found.
    pub checked: &'a Checked,
    /// The decoded text the report was parsed from, which its diagnostics' locations point
    /// into (1-based lines, character columns); `None` for canonical JSON, whose locations
    /// point into the original document.
    pub text: Option<&'a str>,
}

/// Counts over a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs checked, unreadable ones included.
    pub reports: usize,
    /// Reports with no diagnostic above info.
    pub passed: usize,
    /// Reports with warnings and no error.
    pub warnings: usize,
    /// Reports with an error (unreadable inputs included).
    pub errors: usize,
    /// Warnings of the checks across reports (continuity, duplicates).
    pub corpus_warnings: usize,
}

impl Summary {
    /// Exit status: 0 when no report has an error, else 1.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.errors > 0)
    }

    /// Count one checked report.
    pub fn add(&mut self, checked: &Checked) {
        self.reports += 1;
        match checked.status() {
            Status::Passed => self.passed += 1,
            Status::Warnings => self.warnings += 1,
            Status::Failed => self.errors += 1,
        }
    }
}

/// Where the results of a run go. Every method but [`Sink::report`] does nothing by default.
///
/// The driver calls, in this order: `begin` once, `report` once per input (in the order the
/// inputs were given, a file that could not be read included: its [`Checked`] has no report and
/// an error), `across` once per warning across reports (as the checks across reports find
/// them, after the last report), `finish` once.
/// An error stops the run and is returned by the driver.
pub trait Sink {
    /// A run over `reports` inputs begins.
    fn begin(&mut self, reports: usize) -> io::Result<()> {
        let _ = reports;
        Ok(())
    }

    /// One checked input.
    fn report(&mut self, input: &Input<'_>) -> io::Result<()>;

    /// A warning across reports, with the name of the report it is reported against, and
    /// whether that report was parsed from the file itself (its locations point into the
    /// file; else it was canonical JSON, whose locations point into the document it was read
    /// from).
    fn across(&mut self, name: &str, warning: &Diagnostic, in_file: bool) -> io::Result<()> {
        let _ = (name, warning, in_file);
        Ok(())
    }

    /// The run is over; `summary` counts it.
    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let _ = summary;
        Ok(())
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn begin(&mut self, reports: usize) -> io::Result<()> {
        (**self).begin(reports)
    }
    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        (**self).report(input)
    }
    fn across(&mut self, name: &str, warning: &Diagnostic, in_file: bool) -> io::Result<()> {
        (**self).across(name, warning, in_file)
    }
    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        (**self).finish(summary)
    }
}

/// Two sinks fed the same run, `0` first (e.g. printing and exporting at once).
pub struct Tee<A, B>(pub A, pub B);

impl<A: Sink, B: Sink> Sink for Tee<A, B> {
    fn begin(&mut self, reports: usize) -> io::Result<()> {
        self.0.begin(reports)?;
        self.1.begin(reports)
    }
    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        self.0.report(input)?;
        self.1.report(input)
    }
    fn across(&mut self, name: &str, warning: &Diagnostic, in_file: bool) -> io::Result<()> {
        self.0.across(name, warning, in_file)?;
        self.1.across(name, warning, in_file)
    }
    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.0.finish(summary)?;
        self.1.finish(summary)
    }
}

/// Whether to colour what goes to standard output, as anstream decides it: a terminal that
/// shows colours, unless `NO_COLOR` is set (or `CLICOLOR=0`); `CLICOLOR_FORCE` forces colours.
pub fn colour_stdout() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// Text for people: per report a status line ([`summary_line`]) and, unless it passed, its
/// diagnostics with the source lines they point at; then the warnings across reports; then
/// the summary with counts per code.
pub struct TextSink<W: Write> {
    out: W,
    look: Look,
    tally: Tally,
    /// Whether the heading of the warnings across reports is printed.
    across_begun: bool,
}

impl<W: Write> TextSink<W> {
    /// Print to `out` as `look` says (for standard output, colour from [`colour_stdout`]).
    pub fn new(out: W, look: Look) -> Self {
        TextSink {
            out,
            look,
            tally: Tally::default(),
            across_begun: false,
        }
    }
}

impl<W: Write> Sink for TextSink<W> {
    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        self.tally.add(input.name, &input.checked.diagnostics);
        self.out
            .write_all(render::report(input, self.look).as_bytes())
    }

    fn across(&mut self, name: &str, warning: &Diagnostic, in_file: bool) -> io::Result<()> {
        if !self.across_begun {
            self.across_begun = true;
            let head = Message::new("ui.text.across_head").render(self.look.lang, Naming::Ids);
            writeln!(self.out, "{head}")?;
        }
        self.tally.add(name, [warning]);
        let source = Source {
            path: name,
            text: None,
            report: None,
            located_in_file: in_file,
        };
        writeln!(
            self.out,
            "{}\n",
            render::diagnostic(warning, &source, self.look)
        )
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        write!(
            self.out,
            "{}",
            render::summary(summary, &self.tally, self.look)
        )?;
        self.out.flush()
    }
}

/// JSON for programs: one object per report and line (`{"path", "status", "checks",
/// "diagnostics"}`), and one per warning across reports (`"scope": "corpus"`); a run over a
/// single report prints it as one pretty JSON document instead.
pub struct JsonLinesSink<W: Write> {
    out: W,
    single: bool,
    /// One line, serialised here and written at once: a write per report, not per token.
    line: Vec<u8>,
}

impl<W: Write> JsonLinesSink<W> {
    /// Print to `out`.
    pub fn new(out: W) -> Self {
        JsonLinesSink {
            out,
            single: false,
            line: Vec::new(),
        }
    }

    /// Write `value` as one line, or `pretty` over several.
    fn write_line<T: serde::Serialize>(&mut self, value: &T, pretty: bool) -> io::Result<()> {
        self.line.clear();
        if pretty {
            serde_json::to_writer_pretty(&mut self.line, value)
        } else {
            serde_json::to_writer(&mut self.line, value)
        }
        .map_err(io::Error::other)?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }
}

/// What a line of JSON output says of one report, in the order printed.
#[derive(serde::Serialize)]
struct ReportLine<'a> {
    path: &'a str,
    status: &'static str,
    checks: &'a xxgk_validate::CheckCounts,
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    processing_fee: Option<&'a xxgk_model::prose::ProcessingFee>,
}

/// A line of JSON output for a warning across reports.
#[derive(serde::Serialize)]
struct CorpusLine<'a> {
    path: &'a str,
    scope: &'static str,
    status: &'static str,
    diagnostics: [&'a Diagnostic; 1],
}

/// The name of a status in JSON output.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Passed => "passed",
        Status::Warnings => "warnings",
        Status::Failed => "failed",
    }
}

impl<W: Write> Sink for JsonLinesSink<W> {
    fn begin(&mut self, reports: usize) -> io::Result<()> {
        self.single = reports == 1;
        Ok(())
    }

    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        let checked = input.checked;
        let line = ReportLine {
            path: input.name,
            status: status_name(checked.status()),
            checks: &checked.checks,
            diagnostics: &checked.diagnostics,
            processing_fee: checked
                .report
                .as_ref()
                .and_then(|r| r.processing_fee.as_ref()),
        };
        self.write_line(&line, self.single)
    }

    fn across(&mut self, name: &str, warning: &Diagnostic, _in_file: bool) -> io::Result<()> {
        let line = CorpusLine {
            path: name,
            scope: "corpus",
            status: "warnings",
            diagnostics: [warning],
        };
        self.write_line(&line, false)
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}

/// One line about a checked report, for a terminal, in `lang`: status, path, edition, agency,
/// year and counts; the diagnostics are printed below it by [`render::report`].
pub fn summary_line(path: &str, checked: &Checked, lang: Lang) -> String {
    let say = |m: Message| m.render(lang, Naming::Ids);
    let status = say(Message::new(match checked.status() {
        Status::Passed => "ui.text.status_passed",
        Status::Warnings => "ui.text.status_warnings",
        Status::Failed => "ui.text.status_failed",
    }));
    let (e, w) = (
        checked.count(Severity::Error),
        checked.count(Severity::Warning),
    );
    let line = match &checked.report {
        Some(r) => {
            let c = checked.checks;
            let agency = r
                .meta
                .agency
                .clone()
                .unwrap_or_else(|| say(Message::new("ui.text.agency_unknown")));
            let year = match r.meta.year {
                Some(y) => Message::new("ui.text.year").arg("year", i64::from(y)),
                None => Message::new("ui.text.year_unknown"),
            };
            Message::new("ui.text.report_line")
                .arg("edition", r.edition().to_string())
                .arg("agency", agency)
                .arg("year", year)
                .arg("passed", c.passed)
                .arg("failed", c.failed)
                .arg("not_assessable", c.not_assessable)
        }
        None => Message::new("ui.text.unreadable_line"),
    }
    .arg("status", status)
    .arg("path", path)
    .arg("errors", e)
    .arg("warnings", w);
    // What section 六 says of the processing fee, when it says anything: a reviewer's question.
    match checked
        .report
        .as_ref()
        .and_then(|r| r.processing_fee.as_ref())
    {
        Some(fee) => format!(
            "{}  {}",
            say(line),
            say(Message::new("ui.text.fee").arg("fee", fee.message()))
        ),
        None => say(line),
    }
}
