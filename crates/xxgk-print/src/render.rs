//! Human output of a check: per report a status line and every diagnostic with the source
//! line it points at (a marker under the cell, placed by display width so it sits under the
//! right characters on CJK lines), the form's wording of the rule, the rule, the cells read as
//! zero, notes and the suggested correction, each from the diagnostic's own fields; then a
//! summary with counts per diagnostic code. Everything people read is in the chosen
//! [`Lang`], cells named by the form's labels; codes stay as they are.
//!
//! Rendering never fails: a location outside the source text, or a report without source
//! text (canonical JSON), renders without a snippet.
//!
//! ```
//! use xxgk_print::render::{Look, Source, diagnostic};
//! use xxgk_model::diagnostic::{Diagnostic, Location, Severity};
//! use xxgk_model::message::Message;
//! let text = "（七）总计\t212\t14\n";
//! let d = Diagnostic::new("x.y", Severity::Error, Message::new("value.not_a_number").arg("text", "x"))
//!     .at(Location::new(1, 7).spanning(3));
//! let source = Source { path: "a.txt", text: Some(text), report: None, located_in_file: true };
//! let shown = diagnostic(&d, &source, Look::default());
//! assert!(shown.contains("a.txt:1:7"), "{shown}");
//! // The marker is under `212`: after 5 wide characters (10 columns) and a tab (shown as 4).
//! let source_line = shown.lines().position(|l| l.contains("212")).unwrap();
//! let marker = shown.lines().nth(source_line + 1).unwrap();
//! let gutter = marker.find("| ").unwrap() + 2;
//! assert_eq!(marker[gutter..].find("^^^"), Some(10 + 4), "{shown}");
//! ```

use crate::{Input, Summary};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use std::collections::BTreeMap;
use std::ops::Range;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, CellSource};
use xxgk_model::diagnostic::{Diagnostic, Location, Severity, Status, Suggestion};
use xxgk_model::message::{Arg, Lang, Message, Naming};

/// How output looks: in colour or not, and in which language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// ANSI colours (pass [`crate::colour_stdout`] for standard output).
    pub colour: bool,
    /// The language of everything people read.
    pub lang: Lang,
}

impl Look {
    /// A catalogue text in this look's language.
    fn say(self, m: &Message, naming: Naming) -> String {
        m.render(self.lang, naming)
    }

    /// A catalogue text with no values.
    fn word(self, key: &str) -> String {
        Message::new(key).render(self.lang, Naming::Ids)
    }

    fn paint(self, text: &str, style: Style) -> String {
        if self.colour {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

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
    /// The source of a checked input.
    pub fn of(input: &Input<'a>) -> Self {
        Source {
            path: input.name,
            text: input.text,
            report: input.checked.report.as_ref(),
            // Without text and report, a location can only come from reading the file itself.
            located_in_file: input.text.is_some() || input.checked.report.is_none(),
        }
    }

    /// Cells named by the labels of the report's edition.
    fn naming(&self) -> Naming {
        Naming::Labels(self.report.map(|r| r.edition().template()))
    }
}

fn bold(colour: AnsiColor) -> Style {
    Style::new().bold().fg_color(Some(colour.into()))
}

/// One input: its status line (as [`crate::summary_line`]), then, unless it passed, every
/// diagnostic as [`diagnostic`] renders it.
pub fn report(input: &Input<'_>, look: Look) -> String {
    let checked = input.checked;
    let line = crate::summary_line(input.name, checked, look.lang);
    let mut out = match line.split_once(' ') {
        Some((word, rest)) if look.colour => {
            let style = match checked.status() {
                Status::Passed => bold(AnsiColor::Green),
                Status::Warnings => bold(AnsiColor::Yellow),
                Status::Failed => bold(AnsiColor::Red),
            };
            format!("{} {rest}", look.paint(word, style))
        }
        _ => line,
    };
    out.push('\n');
    if checked.status() != Status::Passed {
        let source = Source::of(input);
        for d in &checked.diagnostics {
            out.push_str(&diagnostic(d, &source, look));
            out.push_str("\n\n");
        }
    }
    out
}

/// A suggestion in words: `三（七）总计 / 自然人 prints 212; the other cells imply 211`.
fn suggestion_words(s: &Suggestion, naming: Naming, look: Look) -> String {
    let printed = s
        .printed
        .map_or_else(|| Arg::from(Message::new("printed.blank")), Arg::from);
    let m = match s.implied {
        Some(implied) => Message::new("fix.cell").arg("implied", implied),
        None => Message::new("fix.printed"),
    }
    .arg("cell", s.cell)
    .arg("printed", printed);
    look.say(&m, naming)
}

/// The lines of a text as the parser counts them (split at `\n`, a trailing `\r` dropped).
fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// The byte range in `line` of what `location` points at: its length when the reader
/// measured it, else the word (or the HTML tag) starting there. `None` when the column is
/// beyond the line.
fn span_in_line(line: &str, location: Location) -> Option<Range<usize>> {
    let index = usize::try_from(location.column).ok()?.checked_sub(1)?;
    let start = match line.char_indices().nth(index) {
        Some((b, _)) => b,
        None if line.chars().count() == index => line.len(),
        None => return None,
    };
    let tail = &line[start..];
    let len = match location.length {
        Some(n) => tail
            .char_indices()
            .nth(usize::try_from(n).unwrap_or(usize::MAX))
            .map_or(tail.len(), |(i, _)| i),
        None if tail.starts_with('<') => tail.find('>').map_or(1, |i| i + 1),
        None => tail
            .char_indices()
            .take_while(|&(i, c)| i < 120 && !c.is_whitespace() && !matches!(c, '<' | '|'))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8()),
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

/// The same place, whatever is known of its length.
fn same_place(a: Location, b: Location) -> bool {
    (a.line, a.column, a.page) == (b.line, b.column, b.page)
}

/// The cell whose source is at `location`.
fn cell_at(report: Option<&Report>, location: Location) -> Option<(CellId, &CellSource)> {
    report?
        .sources()
        .into_iter()
        .find(|(_, s)| s.location.is_some_and(|l| same_place(l, location)))
}

/// One diagnostic: `severity[code]: message`, the source line(s) with a marker under the
/// cell (when the text is available), then the form's wording of the rule, the rule, the
/// cells read as zero, notes and the suggested correction, each on its own line.
pub fn diagnostic(d: &Diagnostic, source: &Source<'_>, look: Look) -> String {
    let naming = source.naming();
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let main = d.render(look.lang, naming);
    let suggestion = d
        .suggestion
        .as_ref()
        .map(|s| suggestion_words(s, naming, look));
    // A note that says what the suggestion line says is shown once.
    let notes: Vec<String> = d
        .notes
        .iter()
        .map(|n| look.say(n, naming))
        .filter(|n| Some(n) != suggestion.as_ref())
        .collect();

    // Markers: the suggested cell (primary), and the cell the diagnostic points at.
    let text_lines = source.text.map(lines);
    let line_of = |loc: Location| {
        text_lines
            .as_ref()
            .and_then(|t| t.get((loc.line as usize).wrapping_sub(1)).copied())
    };
    let mut marks: Vec<Mark> = Vec::new();
    if let Some(s) = &d.suggestion
        && let Some(report) = source.report
        && let Some(cell) = report.tables.cell(s.cell.table, s.cell.row, s.cell.column)
        && let Some(loc) = cell.location()
        && let Some(line) = line_of(loc)
        && let Some(span) = span_in_line(line, loc)
    {
        let label = s
            .implied
            .map(|i| look.say(&Message::new("ui.text.implied").arg("implied", i), naming));
        marks.push(Mark {
            line: loc.line as usize,
            span,
            label,
            primary: true,
        });
    }
    if let Some(loc) = d.location
        && let Some(line) = line_of(loc)
        && let Some(span) = span_in_line(line, loc)
        && !marks
            .iter()
            .any(|m| m.line == loc.line as usize && m.span == span)
    {
        let label = cell_at(source.report, loc)
            .map(|(id, _)| look.say(&Message::new("cell").arg("cell", id), naming));
        let primary = marks.is_empty();
        marks.push(Mark {
            line: loc.line as usize,
            span,
            label,
            primary,
        });
    }

    let title = level
        .clone()
        .primary_title(main.as_str())
        .id(d.code.as_str());
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
                let at = Message::new("ui.text.original_at")
                    .arg("line", loc.line)
                    .arg("column", loc.column);
                group = group.element(Level::NOTE.no_name().message(look.say(&at, naming)))
            }
        }
    }
    // The names of the lines below, in the reader's language.
    let names = [
        "ui.text.page",
        "ui.text.rule",
        "ui.text.read_as_zero",
        "ui.text.note",
        "ui.text.see",
        "ui.text.suggestion",
    ]
    .map(|k| look.word(k));
    let [
        page_name,
        rule_name,
        zero_name,
        note_name,
        see_name,
        suggestion_name,
    ] = &names;
    let line = |level: Level<'static>, name: &str, text: &str| {
        level
            .with_name(Some(name.to_owned()))
            .message(annotate_snippets::normalize_untrusted_str(text))
    };
    if let Some(page) = d.location.and_then(|l| l.page) {
        let text = look.say(
            &Message::new("ui.text.page_of_pdf").arg("page", page),
            naming,
        );
        group = group.element(line(Level::NOTE, page_name, &text));
    }
    if let Some(check) = &d.check {
        if let Some(stated) = &check.stated {
            // As the form prints it, with its full-width colon.
            group = group.element(Level::NOTE.no_name().message(
                annotate_snippets::normalize_untrusted_str(&format!("表中注明：{stated}")),
            ));
        }
        group = group.element(line(Level::NOTE, rule_name, &check.rule));
        if !check.read_as_zero.is_empty() {
            let cells = look.say(
                &Message::new("ui.text.cells").arg("cells", check.read_as_zero.clone()),
                naming,
            );
            group = group.element(line(Level::NOTE, zero_name, &cells));
        }
    }
    for note in &notes {
        group = group.element(line(Level::NOTE, note_name, note));
    }
    if let Some(path) = d.path.as_ref().filter(|p| !main.contains(p.as_str())) {
        group = group.element(line(Level::NOTE, see_name, path));
    }
    if let (Some(words), Some(s)) = (&suggestion, &d.suggestion) {
        let text = look.say(
            &Message::new("ui.text.suggestion_line")
                .arg("words", words.as_str())
                .arg("id", s.cell.to_string()),
            naming,
        );
        group = group.element(line(Level::HELP, suggestion_name, &text));
    }
    let renderer = if look.colour {
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
    /// Reports with the code: a report's diagnostics are counted together, so a report is
    /// new when it is not the last one counted (no set of names kept over a whole run).
    reports: usize,
    last: String,
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
            if count.reports == 0 || count.last != name {
                count.reports += 1;
                name.clone_into(&mut count.last);
            }
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
pub fn summary(summary: &Summary, tally: &Tally, look: Look) -> String {
    let mut out = String::new();
    if !tally.is_empty() {
        let head = [
            "ui.text.head_code",
            "ui.text.head_reports",
            "ui.text.head_errors",
            "ui.text.head_warnings",
        ]
        .map(|k| look.word(k));
        let rows: Vec<[String; 4]> = tally
            .codes
            .iter()
            .map(|(code, c)| {
                [
                    code.clone(),
                    c.reports.to_string(),
                    c.errors.to_string(),
                    c.warnings.to_string(),
                ]
            })
            .collect();
        // Widths in terminal columns: a Chinese heading takes two per character.
        let width = |i: usize| {
            rows.iter()
                .map(|r| display_width(&r[i]))
                .chain([display_width(&head[i])])
                .max()
                .unwrap_or(0)
        };
        let widths = [width(0), width(1), width(2), width(3)];
        let line = |cells: [&str; 4]| {
            let mut l = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let pad = " ".repeat(widths[i].saturating_sub(display_width(cell)));
                if i == 0 {
                    l.push_str(&format!("{cell}{pad}"));
                } else {
                    l.push_str(&format!("  {pad}{cell}"));
                }
            }
            l.trim_end().to_owned()
        };
        let head_line = line([&head[0], &head[1], &head[2], &head[3]]);
        out.push_str(&look.paint(&head_line, Style::new().bold()));
        out.push('\n');
        for r in &rows {
            out.push_str(&line([&r[0], &r[1], &r[2], &r[3]]));
            out.push('\n');
        }
        out.push('\n');
    }
    if summary.corpus_warnings > 0 {
        let key = if summary.corpus_warnings == 1 {
            "ui.text.across_one"
        } else {
            "ui.text.across"
        };
        let m = Message::new(key).arg("n", summary.corpus_warnings);
        out.push_str(&look.say(&m, Naming::Ids));
        out.push('\n');
    }
    let key = if summary.reports == 1 {
        "ui.text.total_one"
    } else {
        "ui.text.total"
    };
    let m = Message::new(key)
        .arg("reports", summary.reports)
        .arg("passed", summary.passed)
        .arg("warnings", summary.warnings)
        .arg("errors", summary.errors);
    out.push_str(&look.say(&m, Naming::Ids));
    out.push('\n');
    out
}

/// Columns a text takes on a terminal.
fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_stay_inside_the_line() {
        let at = |column| Location::new(1, column);
        assert_eq!(span_in_line("ab 12", at(4)), Some(3..5));
        assert_eq!(
            span_in_line("总计\t212\t14", at(4).spanning(3)),
            Some(7..10)
        );
        // A measured length beyond the line stops at its end.
        assert_eq!(span_in_line("总计\t21", at(4).spanning(3)), Some(7..9));
        assert_eq!(span_in_line("<td></td>", at(1)), Some(0..4));
        assert_eq!(span_in_line("ab", at(3)), Some(2..2));
        assert_eq!(span_in_line("ab", at(4)), None);
        assert_eq!(span_in_line("ab", at(0)), None);
        assert_eq!(span_in_line("", at(1)), Some(0..0));
    }

    fn plain(path: &'static str, text: &'static str) -> Source<'static> {
        Source {
            path,
            text: Some(text),
            report: None,
            located_in_file: true,
        }
    }

    fn message() -> Message {
        Message::new("value.not_a_number").arg("text", "m")
    }

    #[test]
    fn locations_beyond_the_text_render_without_a_snippet() {
        let text = "one line\n";
        for loc in [
            Location::new(0, 1),
            Location::new(9, 1),
            Location::new(1, 99),
            Location::new(u32::MAX, u32::MAX),
            Location::new(1, 1).spanning(u32::MAX),
        ] {
            let d = Diagnostic::new("x", Severity::Error, message()).at(loc);
            let shown = diagnostic(&d, &plain("a.txt", text), Look::default());
            assert!(shown.contains("error[x]: `m` is not a number"), "{shown}");
            assert_eq!(
                shown.contains("one line"),
                loc == Location::new(1, 1).spanning(u32::MAX),
                "{shown}"
            );
        }
    }

    #[test]
    fn every_column_of_awkward_lines_renders() {
        let text = "（七）总计\t212\r\n\n\t\t\r\n😀 e\u{301} \u{200b}x\u{7}y\n<td>\u{3000}5</td>\n最后一行";
        for (i, line) in text.split('\n').enumerate() {
            for column in 0..line.chars().count() as u32 + 3 {
                for length in [None, Some(0), Some(2), Some(40)] {
                    let mut loc = Location::new(i as u32 + 1, column);
                    loc.length = length;
                    let d = Diagnostic::new("x", Severity::Warning, message()).at(loc);
                    for colour in [false, true] {
                        for lang in [Lang::En, Lang::Zh] {
                            let shown =
                                diagnostic(&d, &plain("a.txt", text), Look { colour, lang });
                            assert!(shown.contains("warning"), "{shown}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_summary_speaks_the_language_asked_for() {
        let s = Summary {
            reports: 2,
            passed: 1,
            warnings: 0,
            errors: 1,
            corpus_warnings: 1,
        };
        let mut tally = Tally::default();
        let d = Diagnostic::new("applications.balance", Severity::Error, message());
        tally.add("a", [&d]);
        let en = summary(&s, &tally, Look::default());
        assert!(
            en.ends_with("2 reports: 1 passed, 0 with warnings, 1 with errors\n"),
            "{en}"
        );
        assert!(en.contains("1 warning across reports"), "{en}");
        let zh = summary(
            &s,
            &tally,
            Look {
                colour: false,
                lang: Lang::Zh,
            },
        );
        assert!(
            zh.ends_with("共 2 份报告：通过 1 份，有警告 0 份，有错误 1 份\n"),
            "{zh}"
        );
        // The code column is as wide as its widest entry; Chinese headings count double.
        let head = zh.lines().next().unwrap();
        assert!(head.starts_with("代码"), "{zh}");
        let row = zh.lines().nth(1).unwrap();
        assert_eq!(
            display_width(&head[..head.find("  ").unwrap()]).max(20),
            row.find("  ").unwrap(),
            "{zh}"
        );
    }
}
