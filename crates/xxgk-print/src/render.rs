//! Human output of a check: per report a status line and every diagnostic with the source
//! line it points at (a marker under the cell, placed by display width so it sits under the
//! right characters on CJK lines), the rule as printed on the form, the suggested correction;
//! then a summary with counts per diagnostic code.
//!
//! Rendering never fails: a location outside the source text, or a report without source
//! text (canonical JSON), renders without a snippet.
//!
//! ```
//! use xxgk_print::render::{Source, diagnostic};
//! use xxgk_model::diagnostic::{Diagnostic, Location, Severity};
//! let text = "（七）总计\t212\t14\n";
//! let d = Diagnostic::new("x.y", Severity::Error, "wrong").at(Location::new(1, 7));
//! let shown = diagnostic(&d, &Source { path: "a.txt", text: Some(text), report: None, located_in_file: true }, false);
//! assert!(shown.contains("a.txt:1:7"), "{shown}");
//! // The marker is under `212`: after 5 wide characters (10 columns) and a tab (shown as 4).
//! let source_line = shown.lines().position(|l| l.contains("212")).unwrap();
//! let marker = shown.lines().nth(source_line + 1).unwrap();
//! let gutter = marker.find("| ").unwrap() + 2;
//! assert_eq!(marker[gutter..].find("^^^"), Some(10 + 4), "{shown}");
//! ```

use crate::Summary;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, CellSource};
use xxgk_model::diagnostic::{Diagnostic, Location, Severity, Suggestion};
use xxgk_validate::{Checked, Status};

/// Where a diagnostic's locations point, and what is known about the report.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file as printed.
    pub path: &'a str,
    /// The decoded text of the file, when locations point into it.
    pub text: Option<&'a str>,
    /// The report, for naming cells the way the form does.
    pub report: Option<&'a Report>,
    /// Locations point into the file `path` itself (parsed text, or a JSON syntax error),
    /// rather than into an original document the file was made from.
    pub located_in_file: bool,
}

impl<'a> Source<'a> {
    /// The source of a checked report shown as `path`.
    pub fn of(path: &'a str, checked: &'a Checked) -> Self {
        Source {
            path,
            text: checked.source_text.as_deref(),
            report: checked.report.as_ref(),
            // Without text and report, a location can only come from reading the file itself.
            located_in_file: checked.source_text.is_some() || checked.report.is_none(),
        }
    }
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const GREEN: &str = "\x1b[1;32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn paint(text: &str, style: &str, colour: bool) -> String {
    if colour {
        format!("{style}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// One report: its status line (as [`crate::summary_line`]), then, unless it passed, every
/// diagnostic as [`diagnostic`] renders it.
pub fn report(path: &str, checked: &Checked, colour: bool) -> String {
    let mut out = crate::summary_line(path, checked);
    if colour {
        let style = match checked.status() {
            Status::Passed => GREEN,
            Status::Warnings => YELLOW,
            Status::Failed => RED,
        };
        if let Some((word, rest)) = out.split_at_checked(4) {
            out = format!("{}{rest}", paint(word, style, true));
        }
    }
    out.push('\n');
    if checked.status() != Status::Passed {
        let source = Source::of(path, checked);
        for d in &checked.diagnostics {
            out.push_str(&diagnostic(d, &source, colour));
            out.push_str("\n\n");
        }
    }
    out
}

/// The parts of a constraint diagnostic's message (see `CheckResult::to_diagnostic` and
/// [`xxgk_validate::check_report`]), so each can go on its own line. Any message not of that shape
/// stays whole in `main`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parts<'m> {
    main: &'m str,
    rule: Option<&'m str>,
    stated: Option<&'m str>,
    zeros: Option<&'m str>,
    note: Option<&'m str>,
}

fn split_message(d: &Diagnostic) -> Parts<'_> {
    let whole = Parts {
        main: &d.message,
        ..Parts::default()
    };
    let Some(constraint) = xxgk_model::CONSTRAINTS.iter().find(|c| c.id == d.code) else {
        return whole;
    };
    let Some(rule) = constraint.rule else {
        return whole;
    };
    let marker = format!(" (rule: {rule})");
    let Some(at) = d.message.find(&marker) else {
        return whole;
    };
    let mut parts = Parts {
        main: &d.message[..at],
        rule: Some(rule),
        ..Parts::default()
    };
    let mut rest = &d.message[at + marker.len()..];
    if let Some(stated) = constraint.stated {
        let marker = format!(" (表中注明：{stated})");
        if let Some(after) = rest.strip_prefix(marker.as_str()) {
            parts.stated = Some(stated);
            rest = after;
        }
    }
    if let Some(after) = rest.strip_prefix("; read as zero because blank or not applicable: ") {
        let end = after.find(". ").unwrap_or(after.len());
        parts.zeros = Some(&after[..end]);
        rest = &after[end..];
    }
    if let Some(note) = rest.strip_prefix(". ") {
        parts.note = Some(note);
        rest = "";
    }
    if rest.is_empty() { parts } else { whole }
}

/// The cell a dotted id names (`applications.outcomes.total.natural_person`), in the report's
/// edition.
fn cell_id(report: &Report, dotted: &str) -> Option<CellId> {
    let (table, rest) = dotted.split_once('.')?;
    let (row, column) = rest.rsplit_once('.')?;
    let table = report.edition().template().table(table)?;
    let row = table.row(row)?;
    let column = row.column(column)?;
    Some(CellId::new(table.id, row.path, column.id))
}

/// A suggestion in words: `三（七）总计 / 自然人 prints 212; the other cells imply 211`, as
/// [`xxgk_validate::check_report`] words its note.
fn suggestion_words(report: Option<&Report>, s: &Suggestion) -> String {
    let label = report
        .and_then(|r| cell_id(r, &s.cell).map(|id| xxgk_validate::localise::cell_label(r, id)))
        .unwrap_or_else(|| s.cell.clone());
    let printed = s.printed.map_or("a blank".to_owned(), |p| p.to_string());
    match s.implied {
        Some(implied) => format!("{label} prints {printed}; the other cells imply {implied}"),
        None => format!("{label} prints {printed}"),
    }
}

/// The lines of a text as the parser counts them (split at `\n`, a trailing `\r` dropped).
fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// The byte range in `line` of the cell at 1-based character `column`: its raw text when the
/// line shows it there, else the word (or the HTML tag) starting there. `None` when the
/// column is beyond the line.
fn span_in_line(line: &str, column: u32, raw: Option<&str>) -> Option<Range<usize>> {
    let index = usize::try_from(column).ok()?.checked_sub(1)?;
    let start = match line.char_indices().nth(index) {
        Some((b, _)) => b,
        None if line.chars().count() == index => line.len(),
        None => return None,
    };
    let tail = &line[start..];
    if let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty())
        && tail.starts_with(raw)
    {
        return Some(start..start + raw.len());
    }
    let len = if tail.starts_with('<') {
        tail.find('>').map_or(1, |i| i + 1)
    } else {
        tail.char_indices()
            .take_while(|&(i, c)| i < 120 && !c.is_whitespace() && !matches!(c, '<' | '|'))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    // At least one character (a space the location points at), none at the end of the line.
    let len = if len == 0 {
        tail.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    Some(start..start + len)
}

/// A marker to draw: where, and its label.
struct Mark {
    line: usize,
    span: Range<usize>,
    label: Option<String>,
    primary: bool,
}

/// The cell whose source is at `location`.
fn cell_at(report: Option<&Report>, location: Location) -> Option<(CellId, &CellSource)> {
    report?
        .sources()
        .into_iter()
        .find(|(_, s)| s.location == Some(location))
}

/// One diagnostic: `severity[code]: message`, the source line(s) with a marker under the
/// cell (when the text is available), then the form's wording of the rule, the rule, the
/// cells read as zero, notes and the suggested correction, each on its own line.
pub fn diagnostic(d: &Diagnostic, source: &Source<'_>, colour: bool) -> String {
    let parts = split_message(d);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let suggestion = d
        .suggestion
        .as_ref()
        .map(|s| suggestion_words(source.report, s));
    // The localisation note says what the suggestion line says: show it once.
    let note = parts.note.filter(|n| Some(*n) != suggestion.as_deref());

    // Markers: the suggested cell (primary), and the cell the diagnostic points at.
    let text_lines = source.text.map(lines);
    let mut marks: Vec<Mark> = Vec::new();
    if let (Some(text_lines), Some(s)) = (&text_lines, &d.suggestion)
        && let Some(report) = source.report
        && let Some((_, src)) = report
            .sources()
            .into_iter()
            .find(|(id, _)| id.to_string() == s.cell)
        && let Some(loc) = src.location
        && let Some(line) = text_lines.get((loc.line as usize).wrapping_sub(1))
        && let Some(span) = span_in_line(line, loc.column, Some(&src.raw))
    {
        let label = s.implied.map(|i| format!("the other cells imply {i}"));
        marks.push(Mark {
            line: loc.line as usize,
            span,
            label,
            primary: true,
        });
    }
    if let (Some(text_lines), Some(loc)) = (&text_lines, d.location)
        && let Some(line) = text_lines.get((loc.line as usize).wrapping_sub(1))
    {
        let cell = cell_at(source.report, loc);
        if let Some(span) = span_in_line(line, loc.column, cell.map(|(_, s)| s.raw.as_str()))
            && !marks
                .iter()
                .any(|m| m.line == loc.line as usize && m.span == span)
        {
            let label = cell.and_then(|(id, _)| {
                source
                    .report
                    .map(|r| xxgk_validate::localise::cell_label(r, id))
            });
            let primary = marks.is_empty();
            marks.push(Mark {
                line: loc.line as usize,
                span,
                label,
                primary,
            });
        }
    }

    let title = level.clone().primary_title(parts.main).id(d.code.as_str());
    let mut group = Group::with_title(title);
    if let (Some(text_lines), false) = (&text_lines, marks.is_empty()) {
        let first = marks.iter().map(|m| m.line).min().unwrap_or(1);
        let last = marks.iter().map(|m| m.line).max().unwrap_or(1);
        // The lines without trailing blanks (tabs ending a row of a tab-separated table).
        let shown: Vec<&str> = text_lines[first - 1..last]
            .iter()
            .map(|l| l.trim_end())
            .collect();
        let excerpt = shown.join("\n");
        // Byte offset of each excerpt line.
        let mut offsets = Vec::with_capacity(shown.len());
        let mut at = 0;
        for l in &shown {
            offsets.push(at);
            at += l.len() + 1;
        }
        let mut snippet = Snippet::source(excerpt)
            .line_start(first)
            .path(source.path)
            .fold(true);
        for m in &marks {
            let (base, len) = (offsets[m.line - first], shown[m.line - first].len());
            let span = base + m.span.start.min(len)..base + m.span.end.min(len);
            let kind = if m.primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            snippet = snippet.annotation(kind.span(span).label(m.label.clone()));
        }
        group = group.element(snippet);
    } else if let Some(loc) = d.location {
        let origin = if source.located_in_file {
            Some(source.path.to_owned())
        } else {
            source
                .report
                .and_then(|r| r.source.as_ref())
                .and_then(|s| s.path.clone())
        };
        match origin {
            Some(path) => {
                group = group.element(
                    Origin::path(path)
                        .line(loc.line as usize)
                        .char_column(loc.column as usize),
                )
            }
            None => {
                group = group.element(Level::NOTE.no_name().message(format!(
                    "at line {}, column {} of the original document",
                    loc.line, loc.column
                )))
            }
        }
    }
    let message = |level: Level<'static>, name: &'static str, text: &str| {
        level
            .with_name(Some(name))
            .message(annotate_snippets::normalize_untrusted_str(text))
    };
    if let Some(page) = d.location.and_then(|l| l.page) {
        group = group.element(message(Level::NOTE, "page", &format!("{page} of the PDF")));
    }
    if let Some(stated) = parts.stated {
        // As the form prints it, with its full-width colon.
        group = group.element(Level::NOTE.no_name().message(
            annotate_snippets::normalize_untrusted_str(&format!("表中注明：{stated}")),
        ));
    }
    if let Some(rule) = parts.rule {
        group = group.element(message(Level::NOTE, "rule", rule));
    }
    if let Some(zeros) = parts.zeros {
        group = group.element(message(
            Level::NOTE,
            "read as zero (blank or not applicable)",
            zeros,
        ));
    }
    if let Some(note) = note {
        group = group.element(message(Level::NOTE, "note", note));
    }
    if let Some(path) = d.path.as_ref().filter(|p| !d.message.contains(p.as_str())) {
        group = group.element(message(Level::NOTE, "see", path));
    }
    if let (Some(words), Some(s)) = (&suggestion, &d.suggestion) {
        group = group.element(message(
            Level::HELP,
            "suggestion",
            &format!("{words} (cell {})", s.cell),
        ));
    }
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    renderer.render(&[group])
}

/// Counts of diagnostics per code over a batch, report and cross-report diagnostics alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    codes: BTreeMap<String, CodeCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CodeCount {
    errors: usize,
    warnings: usize,
    reports: BTreeSet<String>,
}

impl Tally {
    /// Count the errors and warnings among `diagnostics` of the report `name` (infos are not
    /// counted: nothing to act on).
    pub fn add<'d>(&mut self, name: &str, diagnostics: impl IntoIterator<Item = &'d Diagnostic>) {
        for d in diagnostics {
            if d.severity == Severity::Info {
                continue;
            }
            let count = self.codes.entry(d.code.clone()).or_default();
            match d.severity {
                Severity::Error => count.errors += 1,
                _ => count.warnings += 1,
            }
            count.reports.insert(name.to_owned());
        }
    }

    /// Nothing counted.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// The summary: a table of errors and warnings per code (with the number of reports each is
/// in), the warnings across reports, and, last (scripts take the last line), the reports
/// passed, with warnings and with errors.
pub fn summary(summary: &Summary, tally: &Tally, colour: bool) -> String {
    let mut out = String::new();
    if !tally.is_empty() {
        let head = ["code", "reports", "errors", "warnings"];
        let rows: Vec<[String; 4]> = tally
            .codes
            .iter()
            .map(|(code, c)| {
                [
                    code.clone(),
                    c.reports.len().to_string(),
                    c.errors.to_string(),
                    c.warnings.to_string(),
                ]
            })
            .collect();
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].len()])
                .max()
                .unwrap_or(0)
        };
        let widths = [width(0), width(1), width(2), width(3)];
        let line = |cells: [&str; 4]| {
            format!(
                "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3]
            )
            .trim_end()
            .to_owned()
        };
        out.push_str(&paint(&line(head), BOLD, colour));
        out.push('\n');
        for r in &rows {
            out.push_str(&line([&r[0], &r[1], &r[2], &r[3]]));
            out.push('\n');
        }
        out.push('\n');
    }
    if summary.corpus_warnings > 0 {
        let s = if summary.corpus_warnings == 1 {
            ""
        } else {
            "s"
        };
        out.push_str(&format!(
            "{} warning{s} across reports (continuity, duplicates)\n",
            summary.corpus_warnings
        ));
    }
    let plural = if summary.reports == 1 {
        "report"
    } else {
        "reports"
    };
    out.push_str(&format!(
        "{} {plural}: {} passed, {} with warnings, {} with errors\n",
        summary.reports, summary.passed, summary.warnings, summary.errors
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_stay_inside_the_line() {
        assert_eq!(span_in_line("ab 12", 4, None), Some(3..5));
        assert_eq!(span_in_line("总计\t212\t14", 4, Some("212")), Some(7..10));
        assert_eq!(span_in_line("<td></td>", 1, None), Some(0..4));
        assert_eq!(span_in_line("ab", 3, None), Some(2..2));
        assert_eq!(span_in_line("ab", 4, None), None);
        assert_eq!(span_in_line("ab", 0, None), None);
        assert_eq!(span_in_line("", 1, None), Some(0..0));
    }

    #[test]
    fn locations_beyond_the_text_render_without_a_snippet() {
        let text = "one line\n";
        for loc in [
            Location::new(0, 1),
            Location::new(9, 1),
            Location::new(1, 99),
            Location::new(u32::MAX, u32::MAX),
        ] {
            let d = Diagnostic::new("x", Severity::Error, "m").at(loc);
            let shown = diagnostic(
                &d,
                &Source {
                    path: "a.txt",
                    text: Some(text),
                    report: None,
                    located_in_file: true,
                },
                false,
            );
            assert!(shown.contains("error[x]: m"), "{shown}");
            assert!(!shown.contains("one line"), "{shown}");
        }
    }

    #[test]
    fn every_column_of_awkward_lines_renders() {
        let text = "（七）总计\t212\r\n\n\t\t\r\n😀 e\u{301} \u{200b}x\u{7}y\n<td>\u{3000}5</td>\n最后一行";
        for (i, line) in text.split('\n').enumerate() {
            for column in 0..line.chars().count() as u32 + 3 {
                let d = Diagnostic::new("x", Severity::Warning, "m")
                    .at(Location::new(i as u32 + 1, column));
                for colour in [false, true] {
                    let shown = diagnostic(
                        &d,
                        &Source {
                            path: "a.txt",
                            text: Some(text),
                            report: None,
                            located_in_file: true,
                        },
                        colour,
                    );
                    assert!(shown.contains("warning"), "{shown}");
                }
            }
        }
    }

    #[test]
    fn a_message_of_another_shape_stays_whole() {
        let d = Diagnostic::new(
            "applications.balance",
            Severity::Error,
            "something else (rule: nope)",
        );
        assert_eq!(
            split_message(&d),
            Parts {
                main: "something else (rule: nope)",
                ..Parts::default()
            }
        );
    }
}
