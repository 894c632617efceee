//! Export reports for analysts and reviewers: canonical JSON, long and wide CSV, Excel
//! workbooks, self-contained HTML pages, Markdown and (feature `parquet`) Parquet. Every column
//! list, label and layout comes from the schema's generated metadata ([`layout`]).
//!
//! The exporter takes reports already checked: an [`Item`] is a report and the diagnostics
//! checking it found ([`Item::new`]); nothing here reads or checks a report. What pages and
//! workbooks say to people is in the [`Lang`] the caller passes ([`run::write_items`]), from
//! the model's catalogues (`ui.export.*`, `ui.html.*`, `ui.xlsx.*`), cells named by the form's
//! labels; JSON and CSV keep each diagnostic's English `message` and dotted cell ids.
//!
//! ```
//! use xxgk_export::{Item, long_rows};
//! let report = xxgk_model::Report::from_json(r#"{ "meta": { "edition": "2021", "year": 2024 },
//!   "tables": { "review_litigation": { "administrative_review": { "upheld": 1, "total": 1 } } } }"#).unwrap();
//! let item = Item::new("r2024", report, Vec::new());
//! let rows = long_rows(&item);
//! assert_eq!(rows.len(), 2);
//! assert_eq!((rows[0].row.as_str(), rows[0].column.as_str(), rows[0].value.as_str()), ("administrative_review", "upheld", "1"));
//! ```

pub mod csv_out;
pub mod html;
pub mod layout;
pub mod markdown;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod run;
pub mod write;
pub mod xlsx;

use std::collections::HashMap;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, CellKind, CellRef, Value};
use xxgk_model::diagnostic::{Diagnostic, Location, Severity, Suggestion};
use xxgk_model::message::{Arg, Lang, Message, Naming};
use xxgk_model::template::Column;

/// A report to export: its name (used in file names and the `report` column), the report, and
/// what checking it found. The exporter checks nothing itself: whoever builds an item (the
/// driver, from a checked report) passes the diagnostics in.
#[derive(Debug, Clone)]
pub struct Item {
    /// The name files and the `report` column use.
    pub name: String,
    /// The report as read.
    pub report: Report,
    /// Parse and check diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

impl Item {
    /// An item of `report` and what checking it found.
    pub fn new(name: impl Into<String>, report: Report, diagnostics: Vec<Diagnostic>) -> Item {
        Item {
            name: name.into(),
            report,
            diagnostics,
        }
    }

    /// Errors and warnings that name cells of this report (not of the previous year's), by
    /// cell.
    pub fn flagged(&self) -> HashMap<CellId, Vec<&Diagnostic>> {
        let mut out: HashMap<CellId, Vec<&Diagnostic>> = HashMap::new();
        for d in self
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
        {
            for c in d.cells.iter().filter(|c| !c.previous) {
                out.entry(c.cell).or_default().push(d);
            }
        }
        out
    }

    /// How the form names cells in this report's edition, for people.
    pub fn naming(&self) -> Naming {
        Naming::Labels(Some(self.report.edition().template()))
    }
}

/// Where a value is written, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// Data (CSV, Parquet, text cells of a workbook): the number or the amount's digits,
    /// empty for blank, `n/a`, `?` for a value not determined.
    Data,
    /// A page people read and xxgk parses back (HTML, Markdown), in a column of kind `kind`:
    /// digits for counts, the amount with its unit, nothing for blank, `/` for not applicable,
    /// `?` for unknown. A signed count that is not negative in a column of plain counts keeps
    /// its sign (`+3`), as the parser reads it.
    Page(Option<CellKind>),
}

/// A cell's value as text in `medium`: the one place values are turned into text.
///
/// ```
/// use xxgk_export::{Medium, value_text};
/// use xxgk_model::cell::{Amount, AmountUnit, CellKind, Value};
/// let a = Value::Amount(Amount::parse("1710.15", AmountUnit::TenThousandYuan).unwrap());
/// assert_eq!(value_text(&a, Medium::Data), "1710.15");
/// assert_eq!(value_text(&a, Medium::Page(Some(CellKind::Amount))), "1710.15万元");
/// assert_eq!(value_text(&Value::NotApplicable, Medium::Data), "n/a");
/// assert_eq!(value_text(&Value::NotApplicable, Medium::Page(None)), "/");
/// assert_eq!(value_text(&Value::SignedCount(3), Medium::Page(Some(CellKind::Count))), "+3");
/// assert_eq!(value_text(&Value::Unknown, Medium::Data), "?");
/// ```
pub fn value_text(value: &Value, medium: Medium) -> String {
    match (value, medium) {
        (Value::Unknown, _) => "?".into(),
        (Value::Blank, _) => String::new(),
        (Value::NotApplicable, Medium::Data) => "n/a".into(),
        (Value::NotApplicable, Medium::Page(_)) => "/".into(),
        (Value::Count(n), _) => n.to_string(),
        (Value::SignedCount(n), Medium::Page(Some(CellKind::Count))) if *n >= 0 => {
            format!("+{n}")
        }
        (Value::SignedCount(n), _) => n.to_string(),
        (Value::Amount(a), Medium::Data) => a.value.to_string(),
        (Value::Amount(a), Medium::Page(_)) => format!("{}{}", a.value, a.unit.as_str()),
    }
}

/// The value of cell `id` of `report` as a page prints it ([`Medium::Page`] in the cell's
/// column); `?` for a cell the report does not determine.
pub fn printed_cell(report: &Report, id: CellId) -> String {
    let value = report
        .tables
        .cell(id.table, id.row, id.column)
        .map_or(Value::Unknown, |c| c.value);
    value_text(&value, Medium::Page(column(report, id).map(|c| c.kind)))
}

/// The column of the form cell `id` is in, in `report`'s edition.
fn column(report: &Report, id: CellId) -> Option<&'static Column> {
    report
        .edition()
        .template()
        .table(id.table)?
        .row(id.row)?
        .column(id.column)
}

/// The title to print: the report's own, else the title the form gives a report of its agency
/// and year (`某县人民政府办公室2024年政府信息公开工作年度报告`,
/// [`xxgk_model::template::Vocabulary::title_of`]).
///
/// ```
/// let mut report = xxgk_model::Report::new(xxgk_model::Edition::E2021);
/// report.meta.agency = Some("某县统计局".into());
/// report.meta.year = Some(2024);
/// assert_eq!(xxgk_export::title(&report), "某县统计局2024年政府信息公开工作年度报告");
/// ```
pub fn title(report: &Report) -> String {
    if let Some(t) = report
        .meta
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return t.to_owned();
    }
    xxgk_model::VOCABULARY.title_of(
        report.meta.agency.as_deref().unwrap_or(""),
        report.meta.year,
    )
}

/// A catalogue text with no values, in `lang`.
pub(crate) fn say(lang: Lang, key: &str) -> String {
    Message::new(key).render(lang, Naming::Ids)
}

/// A severity in `lang` (`error`, `错误`).
pub(crate) fn severity_word(severity: Severity, lang: Lang) -> String {
    say(lang, &format!("ui.export.severity.{}", severity.as_str()))
}

/// A cell as messages name it for people (the form's label, `上年度报告的…` for the
/// previous year's cell).
pub(crate) fn cell_name(cell: CellRef, lang: Lang, naming: Naming) -> String {
    Message::new("cell").arg("cell", cell).render(lang, naming)
}

/// A suggested correction as a sentence (`三（七）总计 / 自然人 prints 212; the other cells
/// imply 211`).
pub(crate) fn suggestion_text(s: &Suggestion, lang: Lang, naming: Naming) -> String {
    let printed = s
        .printed
        .map_or_else(|| Message::new("printed.blank").into(), Arg::from);
    let implied = s.implied.map_or_else(|| Arg::from("?"), Arg::from);
    Message::new("fix.cell")
        .arg("cell", s.cell)
        .arg("printed", printed)
        .arg("implied", implied)
        .render(lang, naming)
}

/// The remarks of a diagnostic that are not its suggestion (the suggestion says what the
/// `fix.cell` note says, and is shown on its own).
pub(crate) fn notes_of(d: &Diagnostic) -> impl Iterator<Item = &Message> {
    d.notes
        .iter()
        .filter(move |n| d.suggestion.is_none() || n.key != "fix.cell")
}

/// The lines that go with a diagnostic's message, in order: the form's wording of the rule,
/// the rule, the cells read as zero, the notes (the suggestion is shown apart).
pub(crate) fn details(d: &Diagnostic, lang: Lang, naming: Naming) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(check) = &d.check {
        if let Some(stated) = &check.stated {
            out.push(
                Message::new("ui.export.stated")
                    .arg("text", stated.as_str())
                    .render(lang, naming),
            );
        }
        out.push(
            Message::new("ui.export.rule")
                .arg("rule", check.rule.as_str())
                .render(lang, naming),
        );
        if !check.read_as_zero.is_empty() {
            out.push(
                Message::new("ui.export.read_as_zero")
                    .arg("cells", check.read_as_zero.clone())
                    .render(lang, naming),
            );
        }
    }
    out.extend(notes_of(d).map(|n| n.render(lang, naming)));
    out
}

/// Where a diagnostic points, in `lang`: the file when it is another report's, and `page 2,
/// line 38, column 45` (the page for PDFs only).
pub(crate) fn place_text(d: &Diagnostic, lang: Lang) -> Option<String> {
    let at = d.location.map(|l| location_text(l, lang));
    match (d.path.as_deref(), at) {
        (Some(p), Some(at)) => Some(
            Message::new("ui.export.in_file")
                .arg("path", p)
                .arg("at", at)
                .render(lang, Naming::Ids),
        ),
        (Some(p), None) => Some(p.to_owned()),
        (None, at) => at,
    }
}

/// `page 3, line 57, column 12` or `第 3 页，第 57 行，第 12 列`.
pub(crate) fn location_text(l: Location, lang: Lang) -> String {
    let m = match l.page {
        Some(page) => Message::new("ui.export.location_page").arg("page", page),
        None => Message::new("ui.export.location"),
    };
    m.arg("line", l.line)
        .arg("column", l.column)
        .render(lang, Naming::Ids)
}

/// The unit of a value (`万元`, `元`), or the column's unit for counts.
fn unit_of(value: &Value, id: CellId, report: &Report) -> String {
    match value {
        Value::Amount(a) => a.unit.as_str().to_owned(),
        _ => column(report, id)
            .and_then(|c| c.unit)
            .unwrap_or("")
            .to_owned(),
    }
}

/// How a narrative statement compares with the tables, as exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// The tables say the same.
    Agrees,
    /// The tables say otherwise (a `prose.mismatch` warning).
    Disagrees,
    /// The cells it restates are not known, or all blank.
    NotChecked,
    /// Data only (the processing fee), or a statement of another edition.
    Data,
}

impl Agreement {
    /// The word in data (`agrees`, `disagrees`, `not_checked`, `data`).
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Agrees => "agrees",
            Agreement::Disagrees => "disagrees",
            Agreement::NotChecked => "not_checked",
            Agreement::Data => "data",
        }
    }

    /// The words people read, in `lang`.
    pub fn words(self, lang: Lang) -> String {
        Message::new(match self {
            Agreement::Agrees => "ui.export.statement.agrees",
            Agreement::Disagrees => "ui.export.statement.disagrees",
            Agreement::NotChecked => "ui.export.statement.not_checked",
            Agreement::Data => "ui.export.statement.data",
        })
        .render(lang, Naming::Ids)
    }
}

/// A statement of the narrative as exported: what it says, where, and what the tables say.
#[derive(Debug, Clone)]
pub struct StatementRow<'a> {
    /// The statement as found.
    pub statement: &'a xxgk_model::prose::Statement,
    /// How it compares with the tables.
    pub check: Agreement,
    /// The cells it restates (this year's report), in order.
    pub cells: Vec<CellRef>,
    /// What the tables hold there, as compared (`1599`); empty when not compared.
    pub tabled: String,
}

/// Every statement of the item's narrative, in reading order, each compared with the tables.
pub fn statement_rows(item: &Item) -> Vec<StatementRow<'_>> {
    let r = &item.report;
    let checks = r.check_statements();
    r.statements
        .iter()
        .enumerate()
        .map(|(i, statement)| {
            let found = checks.iter().find(|c| c.index == i);
            let (check, cells, tabled) = match found {
                None => (Agreement::Data, Vec::new(), String::new()),
                Some(c) => {
                    let res = &c.result;
                    let cells = res.terms.iter().map(|t| t.cell_ref()).collect();
                    let check = match res.outcome {
                        xxgk_model::check::Outcome::Pass => Agreement::Agrees,
                        xxgk_model::check::Outcome::Fail => Agreement::Disagrees,
                        xxgk_model::check::Outcome::NotAssessable => Agreement::NotChecked,
                    };
                    // A count's table value; a claim's and an amount's stay in the message.
                    let tabled = match (check, statement.count) {
                        (Agreement::NotChecked, _) | (_, None) => String::new(),
                        (_, Some(_)) => res.right.to_string(),
                    };
                    (check, cells, tabled)
                }
            };
            StatementRow {
                statement,
                check,
                cells,
                tabled,
            }
        })
        .collect()
}

/// One row of the long table: one known cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongRow {
    pub report: String,
    pub table: String,
    /// Dotted row path (`outcomes.withheld.state_secret`).
    pub row: String,
    pub column: String,
    /// Normalised value: the number or amount digits, empty for blank, `n/a`.
    pub value: String,
    /// The text as printed, when known.
    pub raw: String,
    /// The source line, when known.
    pub line: Option<u32>,
    /// The unit (`件`, `项`, `万元`, `元`).
    pub unit: String,
    /// What the row is: `cell` (a cell of the tables), `statement` (a statement of the
    /// narrative: `table` the table it restates, `row` its id, `raw` the words quoted) or
    /// `diagnostic` (`row` its code, `column` its severity, `raw` its English message, `table`
    /// that of its first cell).
    pub kind: &'static str,
    /// For a statement, how it compares with the tables ([`Agreement::as_str`]); empty
    /// for a cell.
    pub check: &'static str,
}

/// The long table of one report: one row per known cell, in the schema's order (unknown cells,
/// absent or not determinable, have no row), then one row per statement of the narrative, then
/// one per diagnostic (the completeness and deadline warnings included).
pub fn long_rows(item: &Item) -> Vec<LongRow> {
    let mut out = Vec::new();
    item.report.tables.for_each_cell(&mut |id, cell| {
        if cell.is_unknown() {
            return;
        }
        let value = value_text(&cell.value, Medium::Data);
        out.push(LongRow {
            report: item.name.clone(),
            table: id.table.to_owned(),
            row: id.row.to_owned(),
            column: id.column.to_owned(),
            value,
            raw: cell
                .source
                .as_ref()
                .map_or_else(|| cell.value_text(), |s| s.raw.clone()),
            line: cell.location().map(|l| l.line),
            unit: unit_of(&cell.value, id, &item.report),
            kind: "cell",
            check: "",
        });
    });
    for s in statement_rows(item) {
        let st = s.statement;
        out.push(LongRow {
            report: item.name.clone(),
            table: st
                .def()
                .and_then(|d| d.table)
                .unwrap_or_default()
                .to_owned(),
            row: st.statement.clone(),
            column: String::new(),
            value: match (st.count, st.amount) {
                (Some(n), _) => n.to_string(),
                (None, Some(a)) => a.value.to_string(),
                (None, None) => String::new(),
            },
            raw: st.text.clone(),
            line: st.location.map(|l| l.line),
            unit: st
                .amount
                .map(|a| a.unit.as_str().to_owned())
                .unwrap_or_default(),
            kind: "statement",
            check: s.check.as_str(),
        });
    }
    for d in &item.diagnostics {
        out.push(LongRow {
            report: item.name.clone(),
            table: d
                .cells
                .first()
                .map(|c| c.cell.table.to_owned())
                .unwrap_or_default(),
            row: d.code.clone(),
            column: d.severity.as_str().to_owned(),
            value: String::new(),
            raw: d.message.clone(),
            line: d.location.map(|l| l.line),
            unit: String::new(),
            kind: "diagnostic",
            check: "",
        });
    }
    out
}

/// What the narrative says of the processing fee, for people: `none charged`, `charged: 3940
/// 元, 2 times`.
pub fn processing_fee_text(fee: &xxgk_model::prose::ProcessingFee, lang: Lang) -> String {
    fee.message().render(lang, Naming::Ids)
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A writer library failed (Excel, Parquet).
    #[error("{0}")]
    Format(String),
    /// Refused: the output would overwrite an input file.
    #[error("refusing to overwrite the input {}", .0.display())]
    WouldOverwriteInput(std::path::PathBuf),
}
