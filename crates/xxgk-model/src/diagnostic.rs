//! Diagnostics: the one shape every crate reports problems in.

use crate::cell::{CellId, CellRef};
use crate::check::Cmp;
use crate::message::{Lang, Message, Naming};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing wrong.
    Info,
    /// Probably wrong, or implausible; the report still passes.
    Warning,
    /// Wrong: the report fails.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a report fared, from its worst diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// No diagnostic above info.
    Passed,
    /// Warnings only.
    Warnings,
    /// At least one error.
    Failed,
}

impl Status {
    /// The status `diagnostics` give a report.
    pub fn of(diagnostics: &[Diagnostic]) -> Status {
        match diagnostics.iter().map(|d| d.severity).max() {
            Some(Severity::Error) => Status::Failed,
            Some(Severity::Warning) => Status::Warnings,
            _ => Status::Passed,
        }
    }
}

/// A 1-based line and column (in characters) in a source text, and for a PDF the page the
/// line stands on (the line is then one of the text xxgk reconstructs from the PDF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 1-based page of a PDF; `None` for other sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// How many characters of the line the thing pointed at takes (a cell's printed text),
    /// when the reader knows; renderers underline that many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
}

impl Location {
    /// Line and column, no page.
    pub const fn new(line: u32, column: u32) -> Location {
        Location {
            line,
            column,
            page: None,
            length: None,
        }
    }

    /// The same place, on page `page`.
    pub const fn on_page(self, page: u32) -> Location {
        Location {
            page: Some(page),
            ..self
        }
    }

    /// The same place, `length` characters long.
    pub const fn spanning(self, length: u32) -> Location {
        Location {
            length: Some(length),
            ..self
        }
    }
}

/// `line:column` (the page is not part of it: it follows a path as `path:line:column`).
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A proposed correction of one cell. Never applied: the report keeps what was printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The cell (serialised as `table.row.column`).
    pub cell: CellId,
    /// What the report prints (`None` for blank).
    pub printed: Option<i64>,
    /// What the other cells imply.
    pub implied: Option<i64>,
}

/// A failed constraint, as the check saw it: the rule, the form's wording, both sides'
/// values and the cells read as zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFailure {
    /// The rule as the schema writes it (`sum(*) == total`).
    pub rule: String,
    /// The form's own wording of the rule (表中注明), when it prints one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    /// The column, row or cell this instance of the rule is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The left side's value (blank and not applicable read as zero).
    pub left: i128,
    /// The comparison (`==`, `<=`, `>=`, `<`, `>`).
    #[serde(with = "cmp_text")]
    pub cmp: Cmp,
    /// The right side's value.
    pub right: i128,
    /// Cells read as zero because they were blank or not applicable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_as_zero: Vec<CellRef>,
}

/// A comparison as the rule writes it.
mod cmp_text {
    use crate::check::Cmp;
    use serde::{Deserialize, Deserializer, Serializer, de};

    pub(super) fn serialize<S: Serializer>(cmp: &Cmp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(cmp.as_str())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Cmp, D::Error> {
        let text = String::deserialize(d)?;
        Cmp::from_operator(&text)
            .ok_or_else(|| de::Error::custom(format!("`{text}` is not a comparison")))
    }
}

/// A problem or remark about a report, pointing at cells and at the source.
///
/// What it says is a [`Message`] (`text`), rendered in the reader's language by
/// [`Diagnostic::render`]; `message` is its English rendering with cells named by id, the
/// wording JSON readers have always had. The rule, the form's wording, the values and the
/// notes are fields of their own, never parts of `message`.
///
/// ```
/// use xxgk_model::diagnostic::{Diagnostic, Severity, Location};
/// use xxgk_model::message::{Lang, Message, Naming};
/// let d = Diagnostic::new(
///     "parse.row_values",
///     Severity::Error,
///     Message::new("value.not_a_number").arg("text", "十二"),
/// )
/// .at(Location::new(60, 1));
/// assert_eq!(serde_json::to_value(&d).unwrap()["location"]["line"], 60);
/// assert_eq!(d.message, "`十二` is not a number");
/// assert_eq!(d.render(Lang::Zh, Naming::Ids), "“十二”不是数字");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A stable code: a constraint id, or a documented parse code.
    pub code: String,
    /// How serious it is: any error fails the report.
    pub severity: Severity,
    /// What was found, in an English sentence naming cells by id.
    pub message: String,
    /// What was found, as a catalogue key and its values: what renderers put in the
    /// reader's language. `None` in JSON written before xxgk had catalogues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Message>,
    /// The cells involved (serialised as `table.row.column`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellRef>,
    /// Where in the source it points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The file it points into, when it is not the report's own source (cross-report checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For a failed constraint: the rule, its values and the cells read as zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckFailure>,
    /// Remarks that go with it (which cell is likely wrong, when no single one is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
    /// A proposed correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    /// A diagnostic saying `text`, with no cells and no location.
    pub fn new(code: impl Into<String>, severity: Severity, text: Message) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: text.render(Lang::En, Naming::Ids),
            text: Some(text),
            cells: Vec::new(),
            location: None,
            path: None,
            check: None,
            notes: Vec::new(),
            suggestion: None,
        }
    }

    /// Point at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Name the cells involved.
    pub fn with_cells<C: Into<CellRef>>(mut self, cells: impl IntoIterator<Item = C>) -> Self {
        self.cells = cells.into_iter().map(Into::into).collect();
        self
    }

    /// What it says in `lang`, naming cells as `naming` says (`message` when there is no
    /// catalogue text).
    pub fn render(&self, lang: Lang, naming: Naming) -> String {
        self.text
            .as_ref()
            .map_or_else(|| self.message.clone(), |t| t.render(lang, naming))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{} [{}]: {}", self.severity, self.code, self.message)
    }
}
