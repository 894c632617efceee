//! Diagnostics: the one shape every crate reports problems in.

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
}

impl Location {
    /// Line and column, no page.
    pub const fn new(line: u32, column: u32) -> Location {
        Location {
            line,
            column,
            page: None,
        }
    }

    /// The same place, on page `page`.
    pub const fn on_page(self, page: u32) -> Location {
        Location {
            page: Some(page),
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
    /// The cell, as `table.row.column`.
    pub cell: String,
    /// What the report prints (`None` for blank).
    pub printed: Option<i64>,
    /// What the other cells imply.
    pub implied: Option<i64>,
}

/// A problem or remark about a report, pointing at cells and at the source.
///
/// ```
/// use xxgk_model::diagnostic::{Diagnostic, Severity, Location};
/// let d = Diagnostic::new("parse.row_values", Severity::Error, "6 values for 7 columns")
///     .at(Location::new(60, 1));
/// assert_eq!(serde_json::to_value(&d).unwrap()["location"]["line"], 60);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A stable code: a constraint id, or a documented parse code.
    pub code: String,
    /// How serious it is: any error fails the report.
    pub severity: Severity,
    /// What was found, in a sentence for a reader.
    pub message: String,
    /// The cells involved, as `table.row.column`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    /// Where in the source it points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The file it points into, when it is not the report's own source (cross-report checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A proposed correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    /// A diagnostic with no cells and no location.
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            cells: Vec::new(),
            location: None,
            path: None,
            suggestion: None,
        }
    }

    /// Point at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Name the cells involved.
    pub fn with_cells(mut self, cells: impl IntoIterator<Item = String>) -> Self {
        self.cells = cells.into_iter().collect();
        self
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
