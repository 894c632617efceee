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
//!
//! What the page says around the form (headings, the summary, the legend, the diagnostics) is
//! in the language the caller passes ([`Lang`]), cells named by the form's labels; the form
//! itself is the national template's, in Chinese.
//!
//! ```
//! use xxgk_model::message::Lang;
//! let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2021-county-office-2024.json")).unwrap();
//! let item = xxgk_export::Item::new("r2024", xxgk_model::Report::from_json(&json).unwrap(), Vec::new());
//! let page = xxgk_export::html::report_page(&item, Lang::Zh);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("<h2>三、收到和处理政府信息公开申请情况</h2>"));
//! assert!(page.contains("<span class=\"badge pass\">通过</span>"));
//! ```

use crate::layout::{Content, Grid, Placed, layout, table_present};
use crate::{Item, cell_name, printed_cell, say, severity_word, title};
use std::collections::HashMap;
use std::fmt::Write as _;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, CellRef, Value};
use xxgk_model::diagnostic::{Diagnostic, Severity, Status};
use xxgk_model::message::{Lang, Message, Naming};
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

/// `2022年1月25日`.
fn chinese_date(d: xxgk_model::Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// The CSS class of a status.
fn status_class(status: Status) -> &'static str {
    match status {
        Status::Passed => "pass",
        Status::Warnings => "warn",
        Status::Failed => "fail",
    }
}

/// A status in `lang` (`Passed with warnings`, `通过（有警告）`).
fn status_words(status: Status, lang: Lang) -> String {
    let key = match status {
        Status::Passed => "ui.html.status.passed",
        Status::Warnings => "ui.html.status.warnings",
        Status::Failed => "ui.html.status.failed",
    };
    say(lang, key)
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
    /// Cell of this report → numbers of its errors and warnings.
    by_cell: HashMap<CellId, Vec<usize>>,
}

impl<'a> Numbered<'a> {
    fn new(diagnostics: &'a [Diagnostic]) -> Self {
        let all: Vec<(usize, &Diagnostic)> = diagnostics
            .iter()
            .enumerate()
            .map(|(i, d)| (i + 1, d))
            .collect();
        let mut by_cell: HashMap<CellId, Vec<usize>> = HashMap::new();
        for (n, d) in &all {
            if d.severity < Severity::Warning {
                continue;
            }
            for c in d.cells.iter().filter(|c| !c.previous) {
                let numbers = by_cell.entry(c.cell).or_default();
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

/// What every part of a report's page needs: the report, the page's language, how cells are
/// named, the numbered diagnostics.
struct Page<'a> {
    report: &'a Report,
    lang: Lang,
    naming: Naming,
    numbered: Numbered<'a>,
}

impl Page<'_> {
    /// A catalogue text in the page's language.
    fn say(&self, m: Message) -> String {
        m.render(self.lang, self.naming)
    }

    /// Is `cell` drawn on this page (a cell of this report, in a table it has)?
    fn drawn(&self, cell: CellRef) -> bool {
        let template = self.report.edition().template();
        !cell.previous
            && template
                .table(cell.cell.table)
                .is_some_and(|t| table_present(self.report, t))
            && template.cell_id(&cell.cell.to_string()).is_some()
    }

    /// The start of a diagnostic's list item: severity word first (so the line never reads
    /// as a heading), code, the message in the page's language.
    fn item_head(&self, out: &mut String, n: usize, d: &Diagnostic, anchor: bool) {
        let id = if anchor {
            format!(" id=\"d{n}\"")
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<li{id} value=\"{n}\" class=\"{}\"><span class=\"sev\">{}</span> <code>{}</code> <span class=\"msg\">{}</span>",
            severity_class(d.severity),
            escape(&severity_word(d.severity, self.lang)),
            escape(&d.code),
            escape(&d.render(self.lang, self.naming))
        );
    }

    /// The suggested correction of a diagnostic, as a line of the page.
    fn suggestion(&self, out: &mut String, d: &Diagnostic) {
        if let Some(s) = &d.suggestion {
            let fix = crate::suggestion_text(s, self.lang, self.naming);
            let _ = write!(
                out,
                "<span class=\"fix\">{}</span>",
                escape(&self.say(Message::new("ui.export.suggestion").arg("fix", fix)))
            );
        }
    }

    /// One diagnostic as a list item: severity, code, message, the form's wording of the rule,
    /// the rule, the cells read as zero, the notes, the cells it names (links to them), the
    /// suggested correction, where.
    fn diagnostic_item(&self, out: &mut String, n: usize, d: &Diagnostic) {
        self.item_head(out, n, d, true);
        for line in crate::details(d, self.lang, self.naming) {
            let _ = write!(out, "<span class=\"detail\">{}</span>", escape(&line));
        }
        if !d.cells.is_empty() {
            // A long list (a column of 22 cells) is cut: the cells are marked in the table anyway.
            const SHOWN: usize = 6;
            let shown = if d.cells.len() > SHOWN + 2 {
                SHOWN
            } else {
                d.cells.len()
            };
            let names: Vec<String> = d.cells[..shown]
                .iter()
                .map(|c| {
                    let name = escape(&cell_name(*c, self.lang, self.naming));
                    if self.drawn(*c) {
                        format!("<a href=\"#{}\">{name}</a>", escape(&cell_anchor(c.cell)))
                    } else {
                        name
                    }
                })
                .collect();
            let more = d.cells.len() - shown;
            let more = match more {
                0 => String::new(),
                _ if d.severity >= Severity::Warning => self.say(
                    Message::new("ui.html.more_marked")
                        .arg("n", more)
                        .arg("number", n),
                ),
                _ => self.say(Message::new("ui.html.more").arg("n", more)),
            };
            // The names are escaped already, and links: the catalogue's text has no markup.
            let list = self.say(
                Message::new("ui.html.cells_list")
                    .arg("n", d.cells.len())
                    .arg("cells", names),
            );
            let _ = write!(out, "<span class=\"cells\">{list}{}</span>", escape(&more));
        }
        self.suggestion(out, d);
        if let Some(place) = crate::place_text(d, self.lang) {
            let _ = write!(
                out,
                "<span class=\"loc\">{}</span>",
                escape(&self.say(Message::new("ui.html.source_at").arg("place", place)))
            );
        }
        out.push_str("</li>\n");
    }

    /// A diagnostic beside its table, short: severity, code, the message, the suggested
    /// correction, a link to the full entry in the list of all diagnostics.
    fn finding_item(&self, out: &mut String, n: usize, d: &Diagnostic) {
        self.item_head(out, n, d, false);
        let _ = write!(
            out,
            " <a class=\"more\" href=\"#d{n}\">{}</a>",
            escape(&say(self.lang, "ui.html.details"))
        );
        self.suggestion(out, d);
        out.push_str("</li>\n");
    }
}

/// The statements of the narrative beside what the tables hold: each quoted with its number
/// marked, the table's value, the cells linked, mismatches highlighted. Drawn as a table (not
/// prose), so that a page read back does not find its quotes again as the report's statements.
fn narrative(out: &mut String, page: &Page<'_>, item: &Item) {
    let rows = crate::statement_rows(item);
    if rows.is_empty() {
        return;
    }
    let lang = page.lang;
    let _ = writeln!(
        out,
        "<section class=\"narrative\" aria-label=\"{0}\">\n<h3>{0}</h3>\n<table class=\"statements\">\n<thead><tr><th>{1}</th><th>{2}</th><th>{3}</th><th>{4}</th><th>{5}</th></tr></thead>\n<tbody>",
        escape(&say(lang, "ui.export.statements")),
        escape(&say(lang, "ui.export.statement")),
        escape(&say(lang, "ui.export.quote")),
        escape(&say(lang, "ui.export.stated_value")),
        escape(&say(lang, "ui.export.tabled_value")),
        escape(&say(lang, "ui.export.check")),
    );
    for row in rows {
        let st = row.statement;
        let class = match row.check {
            crate::Agreement::Disagrees => "warn",
            crate::Agreement::Agrees => "ok",
            _ => "muted",
        };
        let value = st.value_text();
        // The number as printed, marked in the quote where it stands (its digits).
        let digits = st
            .count
            .map(|n| n.to_string())
            .or_else(|| st.amount.map(|a| a.value.to_string()));
        let quote = match digits
            .as_deref()
            .and_then(|d| st.text.rfind(d).map(|at| (d, at)))
        {
            Some((d, at)) => format!(
                "{}<mark>{}</mark>{}",
                escape(&st.text[..at]),
                escape(d),
                escape(&st.text[at + d.len()..])
            ),
            None => format!("<mark>{}</mark>", escape(&st.text)),
        };
        let at = st.location.map_or(String::new(), |l| {
            format!(
                "<span class=\"loc\">{}</span>",
                escape(&page.say(
                    Message::new("ui.html.source_at").arg("place", crate::location_text(l, lang))
                ))
            )
        });
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| {
                let name = escape(&cell_name(*c, lang, page.naming));
                if page.drawn(*c) {
                    format!("<a href=\"#{}\">{name}</a>", escape(&cell_anchor(c.cell)))
                } else {
                    name
                }
            })
            .collect();
        let tabled = match (row.tabled.is_empty(), cells.is_empty()) {
            (_, true) => row.tabled.clone(),
            (true, false) => cells.join("<br>"),
            (false, false) => format!("{}<br>{}", escape(&row.tabled), cells.join("<br>")),
        };
        let _ = writeln!(
            out,
            "<tr class=\"{class}\"><td><code>{}</code></td><td><q>{quote}</q>{at}</td><td>{}</td><td>{tabled}</td><td>{}</td></tr>",
            escape(&st.statement),
            escape(&value),
            escape(&row.check.words(lang)),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// The anchor id of a value cell.
fn cell_anchor(id: CellId) -> String {
    format!("c-{id}")
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

/// A table drawn as the form.
fn form_table(out: &mut String, page: &Page<'_>, table: &'static Table) {
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
                Content::Value(id) => value_cell(out, page, *id, c),
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
fn value_cell(out: &mut String, page: &Page<'_>, id: CellId, c: &Placed) {
    let report = page.report;
    let value = report
        .tables
        .cell(id.table, id.row, id.column)
        .map_or(Value::Unknown, |c| c.value);
    let mut classes: Vec<&str> = Vec::new();
    match value {
        Value::Unknown => classes.push("unknown"),
        Value::Blank => classes.push("blank"),
        Value::NotApplicable => classes.push("na"),
        _ => {}
    }
    let numbered = &page.numbered;
    let numbers = numbered.by_cell.get(&id).map(Vec::as_slice).unwrap_or(&[]);
    let diags: Vec<&Diagnostic> = numbers.iter().filter_map(|n| numbered.get(*n)).collect();
    let mut extra = String::new();
    if let Some(worst) = diags.iter().map(|d| d.severity).max() {
        classes.push(severity_class(worst));
        // The cell a diagnostic proposes to correct stands out from the others it names.
        if diags
            .iter()
            .any(|d| d.suggestion.as_ref().is_some_and(|s| s.cell == id))
        {
            classes.push("suspect");
        }
        let list: Vec<String> = numbers.iter().map(usize::to_string).collect();
        let mut tip = cell_name(id.into(), page.lang, page.naming);
        for (n, d) in numbers.iter().zip(&diags) {
            let _ = write!(
                tip,
                "\n[{n}] {} {}: {}",
                severity_word(d.severity, page.lang),
                d.code,
                d.render(page.lang, page.naming)
            );
            if let Some(s) = d.suggestion.as_ref().filter(|s| s.cell == id)
                && let Some(implied) = s.implied
            {
                tip.push_str(
                    &page.say(Message::new("ui.html.suggested_value").arg("implied", implied)),
                );
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
        escape(&cell_anchor(id)),
        spans(c),
        escape(&printed_cell(report, id))
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

fn summary(out: &mut String, item: &Item, lang: Lang) {
    let r = &item.report;
    let say = |key: &str| say(lang, key);
    let render = |m: Message| m.render(lang, Naming::Ids);
    let status = Status::of(&item.diagnostics);
    let (errors, warnings, infos) = (
        count_of(&item.diagnostics, Severity::Error),
        count_of(&item.diagnostics, Severity::Warning),
        count_of(&item.diagnostics, Severity::Info),
    );
    let cells = cell_counts(r);
    let dash = || "—".to_owned();
    let _ = writeln!(
        out,
        "<section class=\"summary\" aria-label=\"{}\">\n<dl>",
        escape(&say("ui.html.summary"))
    );
    let mut pair = |k: &str, v: String| {
        let _ = writeln!(out, "<div><dt>{}</dt><dd>{v}</dd></div>", escape(&say(k)));
    };
    pair(
        "ui.export.status",
        format!(
            "<span class=\"badge {}\">{}</span>",
            status_class(status),
            escape(&status_words(status, lang))
        ),
    );
    pair("ui.export.report", escape(&item.name));
    pair(
        "ui.export.agency",
        r.meta.agency.as_deref().map_or_else(dash, escape),
    );
    pair(
        "ui.export.year",
        r.meta.year.map_or_else(dash, |y| y.to_string()),
    );
    pair(
        "ui.export.edition",
        escape(&render(
            Message::new("ui.html.edition_value").arg("edition", r.edition().id()),
        )),
    );
    pair(
        "ui.export.published",
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
        "ui.export.source",
        source.filter(|s| !s.is_empty()).unwrap_or_else(dash),
    );
    let tables = r
        .edition()
        .template()
        .tables
        .iter()
        .filter(|t| table_present(r, t))
        .count();
    pair(
        "ui.html.cells",
        escape(&render(
            Message::new("ui.html.cells_value")
                .arg("total", cells.total)
                .arg("tables", tables)
                .arg("known", cells.total - cells.unknown)
                .arg("blank", cells.blank)
                .arg("na", cells.not_applicable)
                .arg("unknown", cells.unknown),
        )),
    );
    pair(
        "ui.html.diagnostics",
        escape(&render(
            Message::new("ui.html.diagnostics_value")
                .arg("errors", errors)
                .arg("warnings", warnings)
                .arg("infos", infos),
        )),
    );
    if let Some(fee) = &r.processing_fee {
        pair(
            "ui.export.processing_fee",
            escape(&crate::processing_fee_text(fee, lang)),
        );
    }
    if !r.extra_rows.is_empty() {
        pair(
            "ui.html.extra_rows",
            escape(&render(
                Message::new("ui.html.extra_rows_value").arg("n", r.extra_rows.len()),
            )),
        );
    }
    out.push_str("</dl>\n<div class=\"legend\">\n");
    for (swatch, key) in [
        (
            "<span class=\"sw suspect\">1</span>",
            "ui.html.legend.suspect",
        ),
        ("<span class=\"sw err\">1</span>", "ui.html.legend.error"),
        ("<span class=\"sw warn\">1</span>", "ui.html.legend.warning"),
        (
            "<span class=\"sw unknown\">?</span>",
            "ui.html.legend.unknown",
        ),
        (
            "<span class=\"sw\">/</span>",
            "ui.html.legend.not_applicable",
        ),
        ("<span class=\"sw head\"></span>", "ui.html.legend.header"),
        ("", "ui.html.legend.hint"),
    ] {
        let _ = writeln!(out, "<p>{swatch}{}</p>", escape(&say(key)));
    }
    out.push_str("</div>\n</section>\n");
}

/// A self-contained page for one report: title, metadata, the three tables in the national
/// layout ([`crate::layout::layout`] gives merged header cells and group labels as rowspan /
/// colspan), failed cells highlighted and each diagnostic beside its cell, a list of all
/// diagnostics. No external resources (inline CSS, no JS), readable offline, UTF-8 with
/// `<meta charset="utf-8">`. Everything but the form is in `lang`, cells named by the form's
/// labels.
pub fn report_page(item: &Item, lang: Lang) -> String {
    let r = &item.report;
    let title = title(r);
    let page = Page {
        report: r,
        lang,
        naming: item.naming(),
        numbered: Numbered::new(&item.diagnostics),
    };
    let numbered = &page.numbered;
    let template = r.edition().template();

    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, &title);
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p class=\"generated\">{}</p>",
        escape(&say(lang, "ui.html.generated"))
    );
    summary(&mut out, item, lang);

    // Every diagnostic, numbered; cells carry the numbers.
    let _ = writeln!(
        out,
        "<section class=\"diagnostics\" aria-label=\"{}\">",
        escape(&say(lang, "ui.html.diagnostics"))
    );
    let _ = writeln!(
        out,
        "<h3>{}</h3>",
        escape(&page.say(Message::new("ui.html.diagnostics_heading").arg("n", numbered.all.len())))
    );
    if numbered.all.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"none\">{}</p>",
            escape(&say(lang, "ui.html.no_diagnostics"))
        );
    } else {
        out.push_str("<ol class=\"diags\">\n");
        for (n, d) in &numbered.all {
            page.diagnostic_item(&mut out, *n, d);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
    narrative(&mut out, &page, item);

    for table in template.tables {
        let _ = writeln!(
            out,
            "<section class=\"table\" id=\"s-{}\">\n<h2>{}</h2>",
            escape(table.id),
            escape(table.label.title)
        );
        if !table_present(r, table) {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>\n</section>",
                escape(&say(lang, "ui.html.table_absent"))
            );
            continue;
        }
        form_table(&mut out, &page, table);
        // The errors and warnings that name cells of this table, beside it.
        let here: Vec<(usize, &Diagnostic)> = numbered
            .all
            .iter()
            .filter(|(_, d)| {
                d.severity >= Severity::Warning
                    && d.cells
                        .iter()
                        .any(|c| !c.previous && c.cell.table == table.id)
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
                "<h3>{}</h3>\n<ol class=\"diags\">",
                escape(&page.say(Message::new("ui.html.findings").arg("n", here.len())))
            );
            for (n, d) in here {
                page.finding_item(&mut out, n, d);
            }
            out.push_str("</ol>\n");
        }
        if !extra.is_empty() {
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<ol class=\"diags\">",
                escape(&say(lang, "ui.html.extra_rows_heading"))
            );
            for e in extra {
                let values: Vec<String> = e
                    .values
                    .iter()
                    .map(|v| {
                        if v.is_empty() {
                            escape(&say(lang, "ui.html.blank"))
                        } else {
                            escape(v)
                        }
                    })
                    .collect();
                let at = e.location.map_or(String::new(), |l| {
                    let place = crate::location_text(l, lang);
                    format!(
                        "<span class=\"loc\">{}</span>",
                        escape(&page.say(Message::new("ui.html.source_at").arg("place", place)))
                    )
                });
                let _ = writeln!(
                    out,
                    "<li class=\"info\"><span class=\"sev\">{}</span> {}: {}{at}</li>",
                    escape(&say(lang, "ui.html.extra_row")),
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
        // short line there as the signature: the note is longer than any signature).
        (None, Some(_)) => {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>",
                escape(&say(lang, "ui.html.no_agency"))
            );
        }
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

/// What the index page shows of one report ([`index_page_of`]): a few hundred bytes, kept while
/// the reports themselves are written one by one.
#[derive(Debug, Clone)]
pub struct IndexRow {
    name: String,
    link: String,
    agency: Option<String>,
    year: Option<i32>,
    edition: xxgk_model::Edition,
    published: Option<xxgk_model::Date>,
    errors: usize,
    warnings: usize,
    status: Status,
}

impl IndexRow {
    /// The row of `item`, whose page is the relative file name `link` (empty: no link).
    pub fn of(item: &Item, link: &str) -> IndexRow {
        let r = &item.report;
        IndexRow {
            name: item.name.clone(),
            link: link.to_owned(),
            agency: r.meta.agency.clone(),
            year: r.meta.year,
            edition: r.edition(),
            published: r.meta.published,
            errors: count_of(&item.diagnostics, Severity::Error),
            warnings: count_of(&item.diagnostics, Severity::Warning),
            status: Status::of(&item.diagnostics),
        }
    }
}

/// An index page for a corpus: one row per report (link to its page, agency, year, edition,
/// errors, warnings, status), `links[i]` the relative file name of item `i`'s page; its text
/// in `lang`.
pub fn index_page(items: &[Item], links: &[String], lang: Lang) -> String {
    let rows: Vec<IndexRow> = items
        .iter()
        .enumerate()
        .map(|(i, item)| IndexRow::of(item, links.get(i).map_or("", String::as_str)))
        .collect();
    index_page_of(&rows, lang)
}

/// The index page of [`index_page`] from the reports' rows.
pub fn index_page_of(rows: &[IndexRow], lang: Lang) -> String {
    let say = |key: &str| escape(&say(lang, key));
    let render = |m: Message| escape(&m.render(lang, Naming::Ids));
    let mut out = String::with_capacity(1024 + rows.len() * 400);
    head(&mut out, &crate::say(lang, "ui.html.index_title"));
    let _ = writeln!(
        out,
        "<h1>{}</h1>",
        render(Message::new("ui.html.index_heading").arg("n", rows.len()))
    );
    let count = |s: Status| rows.iter().filter(|x| x.status == s).count();
    let _ = writeln!(
        out,
        "<p class=\"generated\">{}</p>",
        render(
            Message::new("ui.html.index_counts")
                .arg("passed", count(Status::Passed))
                .arg("warnings", count(Status::Warnings))
                .arg("failed", count(Status::Failed))
        )
    );
    out.push_str("<table class=\"index\">\n<thead><tr>");
    for key in [
        "ui.export.report",
        "ui.export.agency",
        "ui.export.year",
        "ui.export.edition",
        "ui.export.published",
        "ui.export.errors",
        "ui.export.warnings",
        "ui.export.status",
    ] {
        let _ = write!(out, "<th>{}</th>", say(key));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let name = escape(&row.name);
        let report = if row.link.is_empty() {
            name
        } else {
            format!("<a href=\"{}\">{name}</a>", escape(&href(&row.link)))
        };
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{report}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num errors{}\">{}</td><td class=\"num\">{}</td><td class=\"status\">{}</td></tr>",
            status_class(row.status),
            row.agency.as_deref().map_or_else(String::new, escape),
            row.year.map_or_else(String::new, |y| y.to_string()),
            row.edition,
            row.published.map_or_else(String::new, |d| d.to_string()),
            if row.errors > 0 { " some" } else { "" },
            row.errors,
            row.warnings,
            escape(&status_words(row.status, lang))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    foot(&mut out);
    out
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
        use crate::{Medium, value_text};
        use xxgk_model::cell::{Amount, AmountUnit, CellKind};
        let printed = |v: &Value, kind| value_text(v, Medium::Page(kind));
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
