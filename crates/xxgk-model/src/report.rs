//! A whole report: where it came from, its metadata, its tables, and what was found.

use crate::cell::{Cell, CellId, CellSource, Value};
use crate::check::{CheckResult, Outcome, Reading, Scope, Term};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::message::Message;
use crate::prose::{ProcessingFee, Statement, StatementCheck};
use crate::{CONSTRAINTS, Edition, Tables};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The kind of document a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, text extracted from a PDF or Word file included.
    Text,
    /// An HTML page.
    Html,
    /// Markdown with pipe tables.
    Markdown,
    /// A Word document (`.docx`).
    Docx,
    /// A PDF with a text layer.
    Pdf,
    /// An Excel workbook (`.xlsx`).
    Xlsx,
    /// xxgk's canonical JSON.
    Json,
}

/// Where a report came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file's path as it was given, if the report was read from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The kind of document it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// The text encoding detected (`utf-8`, `gb18030`, `utf-16le`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A calendar date, printed and read as ISO 8601 (`2021-01-29`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// The year (`2021`).
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// A date, if `month` and `day` exist in `year`.
    ///
    /// ```
    /// use xxgk_model::Date;
    /// assert!(Date::new(2024, 2, 29).is_some());
    /// assert!(Date::new(2023, 2, 29).is_none());
    /// assert_eq!("2021-01-29".parse::<Date>().unwrap().to_string(), "2021-01-29");
    /// ```
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date of the form YYYY-MM-DD");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| {
            s.get(r)
                .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|p| p.parse::<u32>().ok())
        };
        let (y, m, d) = (
            num(0..4).ok_or_else(bad)?,
            num(5..7).ok_or_else(bad)?,
            num(8..10).ok_or_else(bad)?,
        );
        Date::new(y as i32, m as u8, d as u8).ok_or_else(bad)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Report metadata. The edition is not stored here: it is the edition of the tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The publishing agency, as printed in the title or signature.
    pub agency: Option<String>,
    /// The year the report covers.
    pub year: Option<i32>,
    /// The date printed at the end.
    pub published: Option<Date>,
    /// The report's title line.
    pub title: Option<String>,
}

/// A row printed in the report that the template lacks, kept as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraRow {
    /// The table it was printed in.
    pub table: String,
    /// Its label as printed.
    pub label: String,
    /// Its cells' text, as printed.
    pub values: Vec<String>,
    /// Where the row starts in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A group of rows printed as one row: real 2021-edition reports print （六）其他处理 (or any
/// other group) as a single row without its 1./2./3. rows. Its printed values stand for the
/// sums of the group's rows, which stay unknown in `tables`; checks that add those rows up
/// use these values instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// The table it was printed in.
    pub table: String,
    /// The group's dotted path from the table (`outcomes.other`).
    pub group: String,
    /// Its label as printed.
    pub label: String,
    /// The printed cells by column id, as cells of `tables` are written (a number, `null` for
    /// blank, `"n/a"`); an unknown cell is left out, as in `tables`.
    #[serde(serialize_with = "known_cells")]
    pub values: BTreeMap<String, Cell>,
    /// Where the row starts in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// `values` without its unknown cells, which have no JSON (absent, a column reads as unknown).
fn known_cells<S: Serializer>(values: &BTreeMap<String, Cell>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(values.iter().filter(|(_, c)| !c.is_unknown()))
}

/// One annual report: the canonical model every xxgk crate reads and writes.
///
/// ```
/// use xxgk_model::{Report, Edition, cell::Cell};
/// let mut report = Report::new(Edition::E2021);
/// for (column, n) in [("upheld", 2), ("corrected", 0), ("other", 0), ("pending", 0), ("total", 3)] {
///     *report.tables.cell_mut("review_litigation", "administrative_review", column).unwrap() = Cell::count(n);
/// }
/// let json = serde_json::to_string(&report).unwrap();
/// let back: Report = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, report);
/// let codes: Vec<String> = report.diagnose().into_iter().map(|d| d.code).collect();
/// assert_eq!(codes, ["review_litigation.total"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Where the report was read from (file, format, encoding), when it was parsed.
    pub source: Option<Source>,
    /// Who reports on which year, in which edition of the form.
    pub meta: Meta,
    /// The tables, typed by edition; cells not found are [`Value::Unknown`].
    pub tables: Tables,
    /// Rows printed in the report that the template lacks.
    pub extra_rows: Vec<ExtraRow>,
    /// Groups printed as one row; their rows are unknown in `tables`.
    pub group_rows: Vec<GroupRow>,
    /// What the narrative states of the tables (`x-xxgk-prose`), in reading order.
    pub statements: Vec<Statement>,
    /// What the narrative says of 信息处理费 (section 六), when it says anything.
    pub processing_fee: Option<ProcessingFee>,
    /// What reading the report found (the parser's diagnostics); the checks' failures come
    /// separately from [`Report::diagnose`].
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// An empty report of `edition`.
    pub fn new(edition: Edition) -> Report {
        Report {
            source: None,
            meta: Meta::default(),
            tables: Tables::new(edition),
            extra_rows: Vec::new(),
            group_rows: Vec::new(),
            statements: Vec::new(),
            processing_fee: None,
            diagnostics: Vec::new(),
        }
    }

    /// The edition of the report's tables.
    pub fn edition(&self) -> Edition {
        self.tables.edition()
    }

    /// Run every report-scope constraint. An instance that could not be assessed because it
    /// adds up the rows of a group printed as one row (all unknown) is assessed with the
    /// group's printed value in their place.
    pub fn check(&self) -> Vec<CheckResult> {
        let mut results = self.tables.check();
        for group in &self.group_rows {
            for result in &mut results {
                self.with_group_row(group, result);
            }
        }
        results
    }

    /// Put `group`'s printed value in place of its rows' unknown cells in `result`, when
    /// `result` reads every row of the group in one column, on one side, with one sign.
    fn with_group_row(&self, group: &GroupRow, result: &mut CheckResult) {
        if result.outcome != Outcome::NotAssessable {
            return;
        }
        let Some(table) = self.edition().template().table(&group.table) else {
            return;
        };
        let prefix = format!("{}.", group.group);
        let rows: Vec<&'static crate::template::Row> = table
            .rows
            .iter()
            .filter(|r| r.path.starts_with(&prefix))
            .collect();
        let Some(first) = rows.first() else { return };
        // The group's path as a static string: the start of its first row's path.
        let group_path: &'static str = &first.path[..group.group.len()];
        for (column, cell) in &group.values {
            let members: Vec<usize> = result
                .terms
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    !t.previous
                        && t.cell.table == table.id
                        && t.cell.column == column.as_str()
                        && rows.iter().any(|r| r.path == t.cell.row)
                })
                .map(|(i, _)| i)
                .collect();
            if members.len() != rows.len()
                || !members
                    .iter()
                    .all(|&i| result.terms[i].reading == Reading::Unknown)
            {
                continue;
            }
            let coefficient = result.terms[members[0]].coefficient;
            let left = members[0] < result.left_terms;
            if members.iter().any(|&i| {
                result.terms[i].coefficient != coefficient || (i < result.left_terms) != left
            }) {
                continue;
            }
            let Some(column_id) = first.column(column).map(|c| c.id) else {
                continue;
            };
            let (reading, n) = match cell.value {
                Value::Count(n) => match i64::try_from(n) {
                    Ok(n) => (Reading::Number(n), i128::from(n)),
                    Err(_) => continue,
                },
                Value::SignedCount(n) => (Reading::Number(n), i128::from(n)),
                Value::Blank => (Reading::BlankAsZero, 0),
                Value::NotApplicable => (Reading::NotApplicableAsZero, 0),
                Value::Unknown | Value::Amount(_) => continue,
            };
            let term = Term {
                cell: CellId::new(table.id, group_path, column_id),
                coefficient,
                previous: false,
                reading,
                location: cell.location().or(group.location),
            };
            for &i in members.iter().rev() {
                result.terms.remove(i);
            }
            result.terms.insert(members[0], term);
            if left {
                result.left_terms = result.left_terms + 1 - members.len();
                result.left += i128::from(coefficient) * n;
            } else {
                result.right += i128::from(coefficient) * n;
            }
        }
        result.outcome =
            crate::check::outcome(&result.terms, result.left, result.cmp, result.right);
    }

    /// Diagnostics for every failed constraint of this report (tables and metadata), in
    /// schema order. The report's own `diagnostics` are not included.
    pub fn diagnose(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .check()
            .iter()
            .filter_map(CheckResult::to_diagnostic)
            .collect();
        out.extend(self.meta_diagnostics());
        out.extend(self.statement_diagnostics());
        out
    }

    /// Every statement of the narrative that says something of the tables, compared with
    /// them (blank cells read as zero, as the constraints read them; a group printed as one
    /// row stands for its rows).
    pub fn check_statements(&self) -> Vec<StatementCheck> {
        let edition = self.edition().id();
        let cell = |id: CellId| self.tables.cell(id.table, id.row, id.column).cloned();
        let mut out: Vec<StatementCheck> = self
            .statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| crate::prose::check_one(i, s, edition, &cell))
            .collect();
        for group in &self.group_rows {
            for check in &mut out {
                self.with_group_row(group, &mut check.result);
            }
        }
        out
    }

    /// A `prose.mismatch` warning for every statement the tables contradict.
    pub fn statement_diagnostics(&self) -> Vec<Diagnostic> {
        self.check_statements()
            .iter()
            .filter_map(|c| c.to_diagnostic(self.statements.get(c.index)?))
            .collect()
    }

    /// Diagnostics of the schema's built-in metadata checks (`scope: meta`).
    pub fn meta_diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for c in CONSTRAINTS.iter().filter(|c| c.scope == Scope::Meta) {
            match c.builtin {
                Some("year_matches") => out.extend(self.year_matches(c)),
                Some("published_on_time") => out.extend(self.published_on_time(c)),
                other => out.push(Diagnostic::new(
                    c.id,
                    Severity::Info,
                    Message::new("meta.unknown_builtin").arg("name", other.unwrap_or("")),
                )),
            }
        }
        out
    }

    /// `meta.late`: published by 31 January of the year after the one the report covers.
    fn published_on_time(&self, c: &crate::check::Constraint) -> Option<Diagnostic> {
        let (published, year) = (self.meta.published?, self.meta.year?);
        let deadline = Date::new(year.checked_add(1)?, 1, 31)?;
        (published > deadline).then(|| {
            let mut d = Diagnostic::new(
                c.id,
                c.severity,
                Message::new("meta.late")
                    .arg("published", published.to_string())
                    .arg("year", i64::from(year))
                    .arg("deadline", deadline.to_string()),
            );
            d.notes.extend(
                c.stated
                    .map(|s| Message::new("meta.late_rule").arg("rule", s)),
            );
            d
        })
    }

    /// `meta.year_matches`: the year, the title's year and the edition agree.
    fn year_matches(&self, c: &crate::check::Constraint) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let title_year = self.meta.title.as_deref().and_then(crate::text::year_in);
        if let (Some(title_year), Some(year)) = (title_year, self.meta.year)
            && title_year != year
        {
            out.push(Diagnostic::new(
                c.id,
                c.severity,
                Message::new("meta.title_year")
                    .arg("title_year", i64::from(title_year))
                    .arg("year", i64::from(year)),
            ));
        }
        // The edition must fit the year; without a recorded year, the title's year.
        let Some(year) = self.meta.year.or(title_year) else {
            return out;
        };
        let edition = self.edition();
        if Edition::for_year(year) != Some(edition) {
            let text = match Edition::for_year(year) {
                Some(expected) => {
                    Message::new("meta.edition_year").arg("expected", expected.to_string())
                }
                None => Message::new("meta.edition_none"),
            };
            let text = text
                .arg("year", i64::from(year))
                .arg("edition", edition.to_string());
            out.push(Diagnostic::new(c.id, c.severity, text));
        }
        out
    }

    /// The provenance of every cell that has one, keyed `table.row.column`, in print order.
    pub fn sources(&self) -> Vec<(CellId, &CellSource)> {
        let mut out = Vec::new();
        self.tables.for_each_cell(&mut |id, cell| {
            if let Some(s) = &cell.source {
                out.push((id, &**s));
            }
        });
        out
    }

    /// Read a report from canonical JSON.
    pub fn from_json(text: &str) -> Result<Report, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Canonical JSON, pretty-printed.
    pub fn to_json_pretty(&self) -> String {
        // A report holds no unknown cell in serialized position (they are skipped), no
        // non-string map key and no float: serialization cannot fail, and if it ever did,
        // an empty document written in its place would hide it.
        serde_json::to_string_pretty(self).expect("a report serializes to JSON")
    }
}

#[derive(Serialize)]
struct MetaOut<'a> {
    agency: &'a Option<String>,
    year: Option<i32>,
    edition: Edition,
    published: Option<Date>,
    title: &'a Option<String>,
}

struct SourcesOut<'a>(Vec<(CellId, &'a CellSource)>);

impl Serialize for SourcesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(id, src)| (id.to_string(), src)))
    }
}

#[derive(Serialize)]
struct ReportOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    source: &'a Option<Source>,
    meta: MetaOut<'a>,
    tables: &'a Tables,
    #[serde(skip_serializing_if = "is_empty_sources")]
    sources: SourcesOut<'a>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    extra_rows: &'a [ExtraRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    group_rows: &'a [GroupRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    statements: &'a [Statement],
    #[serde(skip_serializing_if = "Option::is_none")]
    processing_fee: &'a Option<ProcessingFee>,
    diagnostics: &'a [Diagnostic],
}

fn is_empty_sources(s: &SourcesOut<'_>) -> bool {
    s.0.is_empty()
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ReportOut {
            source: &self.source,
            meta: MetaOut {
                agency: &self.meta.agency,
                year: self.meta.year,
                edition: self.edition(),
                published: self.meta.published,
                title: &self.meta.title,
            },
            tables: &self.tables,
            sources: SourcesOut(self.sources()),
            extra_rows: &self.extra_rows,
            group_rows: &self.group_rows,
            statements: &self.statements,
            processing_fee: &self.processing_fee,
            diagnostics: &self.diagnostics,
        }
        .serialize(s)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaIn {
    #[serde(default)]
    agency: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    edition: Edition,
    #[serde(default)]
    published: Option<Date>,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportIn {
    #[serde(default)]
    source: Option<Source>,
    meta: MetaIn,
    tables: serde_json::Value,
    #[serde(default)]
    sources: BTreeMap<String, CellSource>,
    #[serde(default)]
    extra_rows: Vec<ExtraRow>,
    #[serde(default)]
    group_rows: Vec<GroupRow>,
    #[serde(default)]
    statements: Vec<Statement>,
    #[serde(default)]
    processing_fee: Option<ProcessingFee>,
    #[serde(default)]
    diagnostics: Vec<Diagnostic>,
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Report, D::Error> {
        let r = ReportIn::deserialize(d)?;
        let edition = r.meta.edition;
        let mut tables = Tables::deserialize_edition(edition, r.tables)
            .map_err(|e| de::Error::custom(format!("tables of the {edition} edition: {e}")))?;
        for (key, src) in r.sources {
            let (table, row, column) = edition
                .template()
                .cell_id(&key)
                .map(|id| (id.table, id.row, id.column))
                .ok_or_else(|| {
                    de::Error::custom(format!(
                        "`sources` names `{key}`, which is not a cell of the {edition} edition"
                    ))
                })?;
            // A cell absent from `tables` keeps its provenance as an unknown cell (an
            // unreadable cell's raw text is worth keeping).
            let cell = tables.cell_mut(table, row, column).ok_or_else(|| {
                de::Error::custom(format!(
                    "`sources` names `{key}`, which is not a cell of the {edition} edition"
                ))
            })?;
            cell.source = Some(Box::new(src));
        }
        Ok(Report {
            source: r.source,
            meta: Meta {
                agency: r.meta.agency,
                year: r.meta.year,
                published: r.meta.published,
                title: r.meta.title,
            },
            tables,
            extra_rows: r.extra_rows,
            group_rows: r.group_rows,
            statements: r.statements,
            processing_fee: r.processing_fee,
            diagnostics: r.diagnostics,
        })
    }
}
