//! Self-contained HTML pages for reviewers: one page per report, drawn as the national form
//! (merged header cells and group labels from [`crate::layout`]), failed cells highlighted with
//! their diagnostics listed beside the table, and an index page for a corpus.
//!
//! A page needs nothing but itself: inline CSS, no scripts, no fonts or images fetched, UTF-8
//! declared with `<meta charset="utf-8">`. It also reads back: xxgk's own parser
//! (`xxgk_parse::parse_text(&page, Format::Html)`) finds the same title, agency, year,
//! publication date and cell values in it. To keep it so:
//! - every table sits right after its section heading, printed exactly as the template's
//!   label (`三、收到和处理政府信息公开申请情况`);
//! - a value cell holds the value as printed and nothing else (counts as digits, amounts with
//!   their unit, blank as an empty cell, not applicable as `/`, an unknown cell as `?`);
//!   diagnostics mark a cell only through its class, its `title` attribute and a `data-n`
//!   attribute that CSS shows as a superscript number — no text is added inside the table;
//! - the diagnostics themselves are lists outside the tables, each item starting with its
//!   severity word, so no line of them reads as a section heading;
//! - the page ends with the agency and the date (`2022年1月25日`), each on its own line, where
//!   the parser looks for the signature.
//!
//! ```
//! let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2021-county-office-2024.json")).unwrap();
//! let item = xxgk_export::Item::new("r2024", xxgk_model::Report::from_json(&json).unwrap());
//! let page = xxgk_export::html::report_page(&item);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("<h2>三、收到和处理政府信息公开申请情况</h2>"));
//! ```

use crate::Item;
use crate::layout::{Content, Grid, Placed, layout};
use std::collections::HashMap;
use std::fmt::Write as _;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, CellKind, Value};
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::template::{Table, TableLayout};

/// Escape text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`).
///
/// ```
/// assert_eq!(xxgk_export::html::escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in HTML text.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The title printed at the top: the report's own, else `{agency}{year}年政府信息公开工作年度报告`.
pub fn title(report: &Report) -> String {
    if let Some(t) = report
        .meta
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return t.to_owned();
    }
    let agency = report.meta.agency.as_deref().unwrap_or("");
    match report.meta.year {
        Some(year) => format!("{agency}{year}年政府信息公开工作年度报告"),
        None => format!("{agency}政府信息公开工作年度报告"),
    }
}

/// A value as printed in a cell of column kind `kind`: digits for counts, digits and unit for
/// amounts, nothing for blank, `/` for not applicable, `?` for unknown. A signed count that is
/// not negative in a column of plain counts keeps its sign (`+3`), as the parser reads it.
pub fn printed(value: &Value, kind: Option<CellKind>) -> String {
    match value {
        Value::Unknown => "?".into(),
        Value::Blank => String::new(),
        Value::NotApplicable => "/".into(),
        Value::Count(n) => n.to_string(),
        Value::SignedCount(n) if *n >= 0 && kind == Some(CellKind::Count) => format!("+{n}"),
        Value::SignedCount(n) => n.to_string(),
        Value::Amount(a) => format!("{}{}", a.value, a.unit.as_str()),
    }
}

/// `2022年1月25日`.
fn chinese_date(d: xxgk_model::Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// How a report fared, from its worst diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Passed,
    Warnings,
    Failed,
}

impl Status {
    fn of(diagnostics: &[Diagnostic]) -> Status {
        match diagnostics.iter().map(|d| d.severity).max() {
            Some(Severity::Error) => Status::Failed,
            Some(Severity::Warning) => Status::Warnings,
            _ => Status::Passed,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Status::Passed => "pass",
            Status::Warnings => "warn",
            Status::Failed => "fail",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Status::Passed => "Passed",
            Status::Warnings => "Passed with warnings",
            Status::Failed => "Failed",
        }
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "err",
        Severity::Warning => "warn",
        Severity::Info => "info",
    }
}

/// The review page's style sheet (an asset, so it is edited as CSS), inlined into every page.
const STYLE: &str = include_str!("../assets/review.css");

/// The start of a page: doctype, head with charset, title and style.
fn head(out: &mut String, page_title: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"xxgk\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(page_title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
}

fn foot(out: &mut String) {
    out.push_str("</main>\n</body>\n</html>\n");
}

/// The diagnostics numbered 1.. in the item's order, and for each cell the numbers of the
/// errors and warnings that name it.
struct Numbered<'a> {
    /// (number, diagnostic).
    all: Vec<(usize, &'a Diagnostic)>,
    /// Cell id (`table.row.column`) → numbers of its errors and warnings.
    by_cell: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Numbered<'a> {
    fn new(diagnostics: &'a [Diagnostic]) -> Self {
        let all: Vec<(usize, &Diagnostic)> = diagnostics
            .iter()
            .enumerate()
            .map(|(i, d)| (i + 1, d))
            .collect();
        let mut by_cell: HashMap<&str, Vec<usize>> = HashMap::new();
        for (n, d) in &all {
            if d.severity < Severity::Warning {
                continue;
            }
            for c in &d.cells {
                let numbers = by_cell.entry(c.as_str()).or_default();
                if !numbers.contains(n) {
                    numbers.push(*n);
                }
            }
        }
        Numbered { all, by_cell }
    }

    fn get(&self, n: usize) -> Option<&'a Diagnostic> {
        self.all.get(n.wrapping_sub(1)).map(|(_, d)| *d)
    }
}

/// How a person names a cell (`三（七）总计 / 自然人`), or its dotted id if the edition lacks it.
fn cell_name(report: &Report, dotted: &str) -> String {
    match report.edition().template().cell_id(dotted) {
        Some(id) => xxgk_validate::localise::cell_label(report, id),
        None => dotted.to_owned(),
    }
}

/// The anchor id of a value cell.
fn cell_anchor(dotted: &str) -> String {
    format!("c-{dotted}")
}

/// One diagnostic as a list item: severity word first (so the line never reads as a heading),
/// code, message, the cells it names (links to them), the suggested correction, where.
fn diagnostic_item(
    out: &mut String,
    report: &Report,
    n: usize,
    d: &Diagnostic,
    present: &dyn Fn(&str) -> bool,
) {
    let class = severity_class(d.severity);
    let _ = write!(
        out,
        "<li id=\"d{n}\" value=\"{n}\" class=\"{class}\"><span class=\"sev\">{}</span> <code>{}</code> <span class=\"msg\">{}</span>",
        d.severity.as_str(),
        escape(&d.code),
        escape(&d.message)
    );
    if !d.cells.is_empty() {
        // A long list (a column of 22 cells) is cut: the cells are marked in the table anyway.
        const SHOWN: usize = 6;
        let names: Vec<String> = d
            .cells
            .iter()
            .take(if d.cells.len() > SHOWN + 2 {
                SHOWN
            } else {
                d.cells.len()
            })
            .map(|c| {
                let name = escape(&cell_name(report, c));
                if present(c) {
                    format!("<a href=\"#{}\">{name}</a>", escape(&cell_anchor(c)))
                } else {
                    name
                }
            })
            .collect();
        let more = d.cells.len() - names.len();
        let more = match more {
            0 => String::new(),
            _ if d.severity >= Severity::Warning => {
                format!("; and {more} more, marked {n} in the table")
            }
            _ => format!("; and {more} more"),
        };
        let _ = write!(
            out,
            "<span class=\"cells\">Cells ({}): {}{more}</span>",
            d.cells.len(),
            names.join("; ")
        );
    }
    if let Some(s) = &d.suggestion {
        suggestion(out, report, s);
    }
    let mut place = Vec::new();
    if let Some(p) = &d.path {
        place.push(escape(p));
    }
    if let Some(l) = d.location {
        place.push(location_text(l));
    }
    if !place.is_empty() {
        let _ = write!(
            out,
            "<span class=\"loc\">Source: {}</span>",
            place.join(", ")
        );
    }
    out.push_str("</li>\n");
}

/// A diagnostic beside its table, short: severity, code, the message without its rule and
/// notes, the suggested correction, a link to the full entry in the list of all diagnostics.
fn finding_item(out: &mut String, report: &Report, n: usize, d: &Diagnostic) {
    let class = severity_class(d.severity);
    let main = d.message.split(" (rule: ").next().unwrap_or(&d.message);
    let _ = write!(
        out,
        "<li value=\"{n}\" class=\"{class}\"><span class=\"sev\">{}</span> <code>{}</code> <span class=\"msg\">{}</span>",
        d.severity.as_str(),
        escape(&d.code),
        escape(main)
    );
    let _ = write!(out, " <a class=\"more\" href=\"#d{n}\">details</a>");
    if let Some(s) = &d.suggestion {
        suggestion(out, report, s);
    }
    out.push_str("</li>\n");
}

/// Is `table` present in the report (the model keeps absent tables apart from unknown cells)?
fn table_present(report: &Report, table: &Table) -> bool {
    table
        .rows
        .iter()
        .flat_map(|r| r.columns.iter().map(move |c| (r.path, c.id)))
        .next()
        .is_some_and(|(row, column)| report.tables.cell(table.id, row, column).is_some())
}

/// The layout's cells in reading order, each row's last cell widened to the grid's right edge
/// when the row stops short (section 二's narrower sub-tables), as the form draws them. Holes
/// are never filled with extra cells: those would read back as values.
fn placed_cells(grid: &Grid) -> Vec<Placed> {
    let mut cells = grid.cells.clone();
    cells.sort_by_key(|c| (c.row, c.col));
    let mut end = vec![0usize; grid.rows];
    for c in &cells {
        for e in end.iter_mut().take(c.row + c.rowspan).skip(c.row) {
            *e = (*e).max(c.col + c.colspan);
        }
    }
    for (r, e) in end.iter().enumerate() {
        if *e >= grid.cols {
            continue;
        }
        if let Some(c) = cells
            .iter_mut()
            .find(|c| c.row == r && c.rowspan == 1 && c.col + c.colspan == *e)
        {
            c.colspan = grid.cols - c.col;
        }
    }
    cells
}

fn spans(c: &Placed) -> String {
    let mut s = String::new();
    if c.rowspan > 1 {
        let _ = write!(s, " rowspan=\"{}\"", c.rowspan);
    }
    if c.colspan > 1 {
        let _ = write!(s, " colspan=\"{}\"", c.colspan);
    }
    s
}

/// The column kind of a cell.
fn kind_of(report: &Report, id: CellId) -> Option<CellKind> {
    report
        .edition()
        .template()
        .table(id.table)?
        .row(id.row)?
        .column(id.column)
        .map(|c| c.kind)
}

/// A table drawn as the form.
fn form_table(out: &mut String, report: &Report, table: &'static Table, numbered: &Numbered<'_>) {
    let grid = layout(table);
    let cells = placed_cells(&grid);
    // Leading rows of headers only go in <thead> (repeated on printed pages) when no header
    // row follows the body (section 二's sub-tables each have their own header).
    let header_rows: Vec<usize> = {
        let mut v: Vec<usize> = cells
            .iter()
            .filter(|c| matches!(c.content, Content::Header(_)))
            .map(|c| c.row)
            .collect();
        v.dedup();
        v
    };
    let head_rows = if header_rows.iter().enumerate().all(|(k, r)| k == *r) {
        header_rows.len()
    } else {
        0
    };
    let shape = match table.layout {
        TableLayout::OneRow => "one-row",
        _ if head_rows == 0 => "sub-tables",
        _ => "rows",
    };
    let _ = writeln!(
        out,
        "<div class=\"form-wrap\"><table class=\"form {shape}\" id=\"t-{}\">",
        escape(table.id)
    );
    let mut k = 0;
    for r in 0..grid.rows {
        if r == 0 && head_rows > 0 {
            out.push_str("<thead>\n");
        }
        if r == head_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        while k < cells.len() && cells[k].row == r {
            let c = &cells[k];
            k += 1;
            match &c.content {
                Content::Header(t) => {
                    let _ = write!(out, "<th{}>{}</th>", spans(c), escape(t));
                }
                Content::Label(t) => {
                    let class = if c.col == 0 && c.colspan == 1 && c.rowspan >= 3 {
                        "label vgroup"
                    } else {
                        "label"
                    };
                    let _ = write!(
                        out,
                        "<th class=\"{class}\" scope=\"row\"{}>{}</th>",
                        spans(c),
                        escape(t)
                    );
                }
                Content::Value(id) => value_cell(out, report, *id, c, numbered),
                Content::Empty => {
                    let _ = write!(out, "<td{}></td>", spans(c));
                }
            }
        }
        out.push_str("</tr>\n");
        if r + 1 == head_rows {
            out.push_str("</thead>\n");
        }
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// A value cell: the value as printed and nothing else; diagnostics only in attributes.
fn value_cell(out: &mut String, report: &Report, id: CellId, c: &Placed, numbered: &Numbered<'_>) {
    let value = report
        .tables
        .cell(id.table, id.row, id.column)
        .map_or(Value::Unknown, |c| c.value);
    let dotted = id.to_string();
    let mut classes: Vec<&str> = Vec::new();
    match value {
        Value::Unknown => classes.push("unknown"),
        Value::Blank => classes.push("blank"),
        Value::NotApplicable => classes.push("na"),
        _ => {}
    }
    let numbers = numbered
        .by_cell
        .get(dotted.as_str())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let diags: Vec<&Diagnostic> = numbers.iter().filter_map(|n| numbered.get(*n)).collect();
    let mut extra = String::new();
    if let Some(worst) = diags.iter().map(|d| d.severity).max() {
        classes.push(severity_class(worst));
        // The cell a diagnostic proposes to correct stands out from the others it names.
        if diags
            .iter()
            .any(|d| d.suggestion.as_ref().is_some_and(|s| s.cell == dotted))
        {
            classes.push("suspect");
        }
        let list: Vec<String> = numbers.iter().map(usize::to_string).collect();
        let mut tip = xxgk_validate::localise::cell_label(report, id);
        for (n, d) in numbers.iter().zip(&diags) {
            let _ = write!(tip, "\n[{n}] {} {}: {}", d.severity, d.code, d.message);
            if let Some(s) = d.suggestion.as_ref().filter(|s| s.cell == dotted)
                && let Some(implied) = s.implied
            {
                let _ = write!(tip, " (suggested: {implied})");
            }
        }
        let _ = write!(
            extra,
            " data-n=\"{}\" title=\"{}\"",
            list.join(","),
            escape(&tip)
        );
    }
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    };
    let _ = write!(
        out,
        "<td id=\"{}\"{class}{}{extra}>{}</td>",
        escape(&cell_anchor(&dotted)),
        spans(c),
        escape(&printed(&value, kind_of(report, id)))
    );
}

/// Counts of the cells of the present tables.
#[derive(Default)]
struct CellCounts {
    total: usize,
    unknown: usize,
    blank: usize,
    not_applicable: usize,
}

fn cell_counts(report: &Report) -> CellCounts {
    let mut n = CellCounts::default();
    report.tables.for_each_cell(&mut |_, c| {
        n.total += 1;
        match c.value {
            Value::Unknown => n.unknown += 1,
            Value::Blank => n.blank += 1,
            Value::NotApplicable => n.not_applicable += 1,
            _ => {}
        }
    });
    n
}

fn count_of(diagnostics: &[Diagnostic], s: Severity) -> usize {
    diagnostics.iter().filter(|d| d.severity == s).count()
}

fn summary(out: &mut String, item: &Item) {
    let r = &item.report;
    let status = Status::of(&item.diagnostics);
    let (errors, warnings, infos) = (
        count_of(&item.diagnostics, Severity::Error),
        count_of(&item.diagnostics, Severity::Warning),
        count_of(&item.diagnostics, Severity::Info),
    );
    let cells = cell_counts(r);
    let dash = || "—".to_owned();
    out.push_str("<section class=\"summary\" aria-label=\"Summary\">\n<dl>\n");
    let mut pair = |k: &str, v: String| {
        let _ = writeln!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    };
    pair(
        "Status",
        format!(
            "<span class=\"badge {}\">{}</span>",
            status.class(),
            status.words()
        ),
    );
    pair("Report", escape(&item.name));
    pair("Agency", r.meta.agency.as_deref().map_or_else(dash, escape));
    pair("Year", r.meta.year.map_or_else(dash, |y| y.to_string()));
    pair("Edition", format!("{} national form", r.edition()));
    pair(
        "Published",
        r.meta.published.map_or_else(dash, |d| d.to_string()),
    );
    let source = r.source.as_ref().map(|s| {
        let mut parts = Vec::new();
        if let Some(p) = &s.path {
            parts.push(format!("<code>{}</code>", escape(p)));
        }
        let mut how = Vec::new();
        if let Some(f) = s.format {
            how.push(
                serde_json::to_value(f)
                    .expect("a format serializes as its name")
                    .as_str()
                    .map(str::to_owned)
                    .expect("a format's name is a string"),
            );
        }
        if let Some(e) = &s.encoding {
            how.push(e.clone());
        }
        how.retain(|h| !h.is_empty());
        if !how.is_empty() {
            parts.push(format!("({})", escape(&how.join(", "))));
        }
        parts.join(" ")
    });
    pair(
        "Source",
        source.filter(|s| !s.is_empty()).unwrap_or_else(dash),
    );
    pair(
        "Cells",
        format!(
            "{} in {} tables: {} known, {} blank, {} not applicable, {} unknown",
            cells.total,
            r.edition()
                .template()
                .tables
                .iter()
                .filter(|t| table_present(r, t))
                .count(),
            cells.total - cells.unknown,
            cells.blank,
            cells.not_applicable,
            cells.unknown
        ),
    );
    pair(
        "Diagnostics",
        format!("{errors} errors, {warnings} warnings, {infos} notes"),
    );
    if !r.extra_rows.is_empty() {
        pair(
            "Extra rows",
            format!(
                "{} rows printed that the form lacks (listed under their tables)",
                r.extra_rows.len()
            ),
        );
    }
    out.push_str("</dl>\n<div class=\"legend\">\n");
    out.push_str("<p><span class=\"sw suspect\">1</span>cell a correction is suggested for</p>\n");
    out.push_str("<p><span class=\"sw err\">1</span>cell of a failed check</p>\n");
    out.push_str("<p><span class=\"sw warn\">1</span>cell with a warning</p>\n");
    out.push_str("<p><span class=\"sw unknown\">?</span>value not determined</p>\n");
    out.push_str("<p><span class=\"sw\">/</span>printed as not applicable</p>\n");
    out.push_str("<p><span class=\"sw head\"></span>header of the form</p>\n");
    out.push_str(
        "<p>Small numbers in cells are the diagnostics below; hover a cell to read them.</p>\n",
    );
    out.push_str("</div>\n</section>\n");
}

/// A self-contained page for one report: title, metadata, the three tables in the national
/// layout ([`crate::layout::layout`] gives merged header cells and group labels as rowspan /
/// colspan), failed cells highlighted and each diagnostic beside its cell, a list of all
/// diagnostics. No external resources (inline CSS, no JS), readable offline, UTF-8 with
/// `<meta charset="utf-8">`.
pub fn report_page(item: &Item) -> String {
    let r = &item.report;
    let title = title(r);
    let numbered = Numbered::new(&item.diagnostics);
    let template = r.edition().template();
    let present_tables: Vec<&str> = template
        .tables
        .iter()
        .filter(|t| table_present(r, t))
        .map(|t| t.id)
        .collect();
    let present = |dotted: &str| {
        dotted
            .split_once('.')
            .is_some_and(|(t, _)| present_tables.contains(&t))
            && template.cell_id(dotted).is_some()
    };

    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, &title);
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    out.push_str("<p class=\"generated\">Rendered by xxgk from the report as read; values as printed in the source.</p>\n");
    summary(&mut out, item);

    // Every diagnostic, numbered; cells carry the numbers.
    out.push_str("<section class=\"diagnostics\" aria-label=\"Diagnostics\">\n");
    let _ = writeln!(out, "<h3>Diagnostics ({})</h3>", numbered.all.len());
    if numbered.all.is_empty() {
        out.push_str("<p class=\"none\">No diagnostics: every check passed.</p>\n");
    } else {
        out.push_str("<ol class=\"diags\">\n");
        for (n, d) in &numbered.all {
            diagnostic_item(&mut out, r, *n, d, &present);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");

    for table in template.tables {
        let _ = writeln!(
            out,
            "<section class=\"table\" id=\"s-{}\">\n<h2>{}</h2>",
            escape(table.id),
            escape(table.label.title)
        );
        if !table_present(r, table) {
            out.push_str("<p class=\"note\">Not in this report: the table was not found in the source.</p>\n</section>\n");
            continue;
        }
        form_table(&mut out, r, table, &numbered);
        // The errors and warnings that name cells of this table, beside it.
        let prefix = format!("{}.", table.id);
        let here: Vec<(usize, &Diagnostic)> = numbered
            .all
            .iter()
            .filter(|(_, d)| {
                d.severity >= Severity::Warning && d.cells.iter().any(|c| c.starts_with(&prefix))
            })
            .map(|(n, d)| (*n, *d))
            .collect();
        let extra: Vec<&xxgk_model::ExtraRow> = r
            .extra_rows
            .iter()
            .filter(|e| e.table == table.id)
            .collect();
        let notes = !here.is_empty() || !extra.is_empty();
        if notes {
            out.push_str("<div class=\"table-notes\">\n");
        }
        if !here.is_empty() {
            let _ = writeln!(
                out,
                "<h3>Findings in this table ({})</h3>\n<ol class=\"diags\">",
                here.len()
            );
            for (n, d) in here {
                finding_item(&mut out, r, n, d);
            }
            out.push_str("</ol>\n");
        }
        if !extra.is_empty() {
            out.push_str(
                "<h3>Rows printed in the source that the form lacks</h3>\n<ol class=\"diags\">\n",
            );
            for e in extra {
                let values: Vec<String> = e
                    .values
                    .iter()
                    .map(|v| {
                        if v.is_empty() {
                            "(blank)".to_owned()
                        } else {
                            escape(v)
                        }
                    })
                    .collect();
                let at = e.location.map_or(String::new(), |l| {
                    format!("<span class=\"loc\">Source: {}</span>", location_text(l))
                });
                let _ = writeln!(
                    out,
                    "<li class=\"info\"><span class=\"sev\">extra row</span> {}: {}{at}</li>",
                    escape(&e.label),
                    values.join(" | ")
                );
            }
            out.push_str("</ol>\n");
        }
        if notes {
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }

    // The signature: agency, then the date, each on its own line, last on the page.
    out.push_str("<footer class=\"signature\">\n");
    let agency = r
        .meta
        .agency
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    match (agency, r.meta.published) {
        (Some(a), _) => {
            let _ = writeln!(out, "<p>{}</p>", escape(a));
        }
        // Without an agency, the line before the date must not read as one (the parser takes a
        // short line there as the signature).
        (None, Some(_)) => out.push_str("<p class=\"note\">No issuing agency is recorded for this report; the date below is its publication date.</p>\n"),
        (None, None) => {}
    }
    if let Some(d) = r.meta.published {
        let _ = writeln!(out, "<p>{}</p>", chinese_date(d));
    }
    out.push_str("</footer>\n");
    foot(&mut out);
    out
}

/// A link target for an `href`: percent-encode what would end or redirect a relative path
/// (`%`, `#`, `?`, spaces, controls), and keep a name with a `:` before any `/` from reading
/// as a URL scheme.
fn href(link: &str) -> String {
    let mut s = String::with_capacity(link.len());
    for c in link.chars() {
        match c {
            '%' => s.push_str("%25"),
            '#' => s.push_str("%23"),
            '?' => s.push_str("%3F"),
            ' ' => s.push_str("%20"),
            '\\' => s.push('/'),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    let colon = s.find(':');
    let slash = s.find('/');
    if colon.is_some_and(|c| slash.is_none_or(|s| c < s)) {
        s.insert_str(0, "./");
    }
    s
}

/// An index page for a corpus: one row per report (link to its page, agency, year, edition,
/// errors, warnings), `links[i]` the relative file name of item `i`'s page.
pub fn index_page(items: &[Item], links: &[String]) -> String {
    let mut out = String::with_capacity(1024 + items.len() * 400);
    head(&mut out, "xxgk report index");
    let _ = writeln!(out, "<h1>Annual reports: {} checked</h1>", items.len());
    let statuses: Vec<Status> = items.iter().map(|i| Status::of(&i.diagnostics)).collect();
    let count = |s: Status| statuses.iter().filter(|x| **x == s).count();
    let _ = writeln!(
        out,
        "<p class=\"generated\">{} passed, {} passed with warnings, {} failed. Rendered by xxgk.</p>",
        count(Status::Passed),
        count(Status::Warnings),
        count(Status::Failed)
    );
    out.push_str("<table class=\"index\">\n<thead><tr><th>Report</th><th>Agency</th><th>Year</th><th>Edition</th><th>Published</th><th>Errors</th><th>Warnings</th><th>Status</th></tr></thead>\n<tbody>\n");
    for (i, item) in items.iter().enumerate() {
        let r = &item.report;
        let status = statuses.get(i).copied().unwrap_or(Status::Passed);
        let name = escape(&item.name);
        let report = match links.get(i).filter(|l| !l.is_empty()) {
            Some(l) => format!("<a href=\"{}\">{name}</a>", escape(&href(l))),
            None => name,
        };
        let errors = count_of(&item.diagnostics, Severity::Error);
        let warnings = count_of(&item.diagnostics, Severity::Warning);
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{report}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num errors{}\">{errors}</td><td class=\"num\">{warnings}</td><td class=\"status\">{}</td></tr>",
            status.class(),
            r.meta.agency.as_deref().map_or_else(String::new, escape),
            r.meta.year.map_or_else(String::new, |y| y.to_string()),
            r.edition(),
            r.meta.published.map_or_else(String::new, |d| d.to_string()),
            if errors > 0 { " some" } else { "" },
            status.words()
        );
    }
    out.push_str("</tbody>\n</table>\n");
    foot(&mut out);
    out
}

/// The suggested correction of a diagnostic, as a line of the page.
fn suggestion(out: &mut String, report: &Report, s: &xxgk_model::diagnostic::Suggestion) {
    let printed = s
        .printed
        .map_or_else(|| "blank".to_owned(), |p| p.to_string());
    let implied = s.implied.map_or_else(|| "?".to_owned(), |p| p.to_string());
    let _ = write!(
        out,
        "<span class=\"fix\">Suggested correction: {} prints {}, the other cells imply {}</span>",
        escape(&cell_name(report, &s.cell)),
        escape(&printed),
        escape(&implied)
    );
}

/// `page 3, line 57, column 12` (the page for PDFs only).
fn location_text(l: xxgk_model::diagnostic::Location) -> String {
    let at = format!("line {}, column {}", l.line, l.column);
    match l.page {
        Some(page) => format!("page {page}, {at}"),
        None => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

    #[test]
    fn rows_are_widened_to_the_grid_and_never_padded() {
        for edition in Edition::ALL {
            for table in edition.template().tables {
                let grid = layout(table);
                let cells = placed_cells(&grid);
                assert_eq!(cells.len(), grid.cells.len());
                let mut covered = vec![vec![0u8; grid.cols]; grid.rows];
                for c in &cells {
                    for row in &mut covered[c.row..c.row + c.rowspan] {
                        for n in &mut row[c.col..c.col + c.colspan] {
                            *n += 1;
                        }
                    }
                }
                assert!(
                    covered.iter().flatten().all(|n| *n == 1),
                    "{edition} {}: {covered:?}",
                    table.id
                );
            }
        }
    }

    #[test]
    fn values_print_as_the_parser_reads_them() {
        use xxgk_model::cell::{Amount, AmountUnit};
        assert_eq!(printed(&Value::Unknown, None), "?");
        assert_eq!(printed(&Value::Blank, None), "");
        assert_eq!(printed(&Value::NotApplicable, None), "/");
        assert_eq!(
            printed(&Value::SignedCount(-3), Some(CellKind::SignedCount)),
            "-3"
        );
        assert_eq!(
            printed(&Value::SignedCount(3), Some(CellKind::SignedCount)),
            "3"
        );
        assert_eq!(printed(&Value::SignedCount(3), Some(CellKind::Count)), "+3");
        let a = Amount::parse("1710.15", AmountUnit::TenThousandYuan).unwrap();
        assert_eq!(
            printed(&Value::Amount(a), Some(CellKind::Amount)),
            "1710.15万元"
        );
    }

    #[test]
    fn links_stay_relative() {
        assert_eq!(href("a b#1?.html"), "a%20b%231%3F.html");
        assert_eq!(href("javascript:alert(1)"), "./javascript:alert(1)");
        assert_eq!(href("dir/x:y.html"), "dir/x:y.html");
        assert_eq!(href("某局 2021.html"), "某局%202021.html");
    }
}
