//! Read government information disclosure annual reports into xxgk's typed model.
//!
//! Three layers, each usable on its own:
//! 1. [`decode`]: bytes → text (UTF-8, GB18030/GBK, UTF-16, …, detected);
//! 2. readers → one [`doc::Document`] of rows and cells with source positions:
//!    [`text`] (plain and PDF-extracted text, tab-separated or space-aligned),
//!    [`html`], [`markdown`], [`docx`] (Word);
//! 3. [`matcher`]: sections, rows and columns mapped to the schema's ids through the label
//!    metadata generated from the schema, every value placed or reported.
//!
//! ```
//! let text = "某县统计局2024年政府信息公开工作年度报告\n\
//!     四、政府信息公开行政复议、行政诉讼情况\n\
//!     1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
//! let err = xxgk_parse::parse_bytes(text.as_bytes(), xxgk_parse::Format::Text).unwrap_err();
//! assert!(err.to_string().contains("not an annual report"));
//! ```

pub mod decode;
pub mod doc;
pub mod docx;
mod grid;
pub mod html;
pub mod labels;
pub mod markdown;
pub mod matcher;
pub mod meta;
pub mod text;
pub mod value;

use std::fmt;
use std::path::Path;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::{Edition, Report, Source};

/// Codes of the diagnostics the parser writes. Stable: scripts may match on them.
pub mod codes {
    /// A section heading, or every row of a table, was not found: the table is absent.
    pub const SECTION_MISSING: &str = "parse.section_missing";
    /// Some template rows were not found: their cells are unknown.
    pub const ROW_MISSING: &str = "parse.row_missing";
    /// A printed row the template lacks, kept in `extra_rows`.
    pub const EXTRA_ROW: &str = "parse.extra_row";
    /// A column the template lacks (a 小计 column): its cells are left out, said once per table.
    pub const EXTRA_COLUMN: &str = "parse.extra_column";
    /// A cell's text is not a value of its column's kind: the cell is unknown.
    pub const CELL_VALUE: &str = "parse.cell_value";
    /// A row printed more or fewer values than it has columns; placed by the cell boundaries
    /// or positions the source gives.
    pub const ROW_VALUES_PLACED: &str = "parse.row_values_placed";
    /// A row printed more or fewer values than it has columns; placed by the one alignment the
    /// constraints accept, or every acceptable alignment gives the same values.
    pub const ROW_VALUES_RESOLVED: &str = "parse.row_values_resolved";
    /// A row's values could not be placed with certainty: the undetermined cells are unknown.
    pub const ROW_VALUES_AMBIGUOUS: &str = "parse.row_values_ambiguous";
    /// The edition the headers show differs from the one the year implies (headers win).
    pub const EDITION_MISMATCH: &str = "parse.edition_mismatch";
    /// No header distinguishes the editions: the edition follows the year.
    pub const EDITION_FROM_YEAR: &str = "parse.edition_from_year";
    /// The text had bytes invalid in its encoding, replaced by U+FFFD.
    pub const LOSSY_DECODING: &str = "parse.lossy_decoding";
}

/// The formats the parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, including text extracted from PDF or Word.
    Text,
    Html,
    Markdown,
    /// A Word `.docx` file (read by [`docx::read_docx`]; [`parse_text`] reads text given as
    /// `Docx` as plain text).
    Docx,
}

impl Format {
    /// The format a file's name suggests (`.html`, `.md`, `.docx`, anything else text).
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("html" | "htm" | "shtml" | "xhtml" | "jsp" | "asp" | "aspx" | "php") => {
                Format::Html
            }
            Some("md" | "markdown") => Format::Markdown,
            Some("docx") => Format::Docx,
            _ => Format::Text,
        }
    }

    fn model(self) -> xxgk_model::Format {
        match self {
            Format::Text => xxgk_model::Format::Text,
            Format::Html => xxgk_model::Format::Html,
            Format::Markdown => xxgk_model::Format::Markdown,
            Format::Docx => xxgk_model::Format::Docx,
        }
    }
}

/// Why a file could not be read as a report at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The bytes are not a text document.
    Decode(decode::DecodeError),
    /// A Word document that could not be read.
    Docx(docx::DocxError),
    /// The document has no recognisable section 三 table.
    NotAnAnnualReport(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Decode(e) => write!(f, "{e}"),
            ParseError::Docx(e) => write!(f, "{e}"),
            ParseError::NotAnAnnualReport(why) => write!(f, "not an annual report: {why}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Read the file at `path`: its format from its name (and a look at its text), then [`parse_bytes`].
/// The report's `source` records the path, format and encoding.
pub fn parse_file(path: &Path) -> Result<Report, Box<dyn std::error::Error + Send + Sync>> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut report = parse_bytes(&bytes, Format::from_path(path))?;
    if let Some(source) = &mut report.source {
        source.path = Some(path.display().to_string());
    }
    Ok(report)
}

/// Decode and parse a document. A Word document (`format` [`Format::Docx`], or any ZIP
/// archive holding `word/document.xml`) is read by [`docx::read_docx`]; other ZIP archives
/// are refused with [`decode::DecodeError::Zip`].
pub fn parse_bytes(bytes: &[u8], format: Format) -> Result<Report, ParseError> {
    parse_bytes_keeping_text(bytes, format).map(|parsed| parsed.report)
}

/// A parsed report and the decoded text its diagnostics point into (`None` for Word files,
/// which have no lines).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub report: Report,
    pub text: Option<String>,
}

/// [`parse_bytes`], keeping the decoded text (to show diagnostics with their source lines).
pub fn parse_bytes_keeping_text(bytes: &[u8], format: Format) -> Result<Parsed, ParseError> {
    if format == Format::Docx {
        return parse_docx(bytes).map(|report| Parsed { report, text: None });
    }
    let decoded = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        Err(decode::DecodeError::Zip) if docx::is_docx(bytes) => {
            return parse_docx(bytes).map(|report| Parsed { report, text: None });
        }
        Err(e) => return Err(ParseError::Decode(e)),
    };
    // A page saved as .txt is still HTML.
    let format = if format == Format::Text && looks_like_html(&decoded.text) {
        Format::Html
    } else {
        format
    };
    let mut report = parse_text(&decoded.text, format)?;
    if decoded.lossy {
        report.diagnostics.insert(
            0,
            Diagnostic::new(
                codes::LOSSY_DECODING,
                Severity::Warning,
                format!(
                    "some bytes are not valid {}; they were replaced",
                    decoded.encoding
                ),
            ),
        );
    }
    if let Some(source) = &mut report.source {
        source.encoding = Some(decoded.encoding.to_owned());
    }
    Ok(Parsed {
        report,
        text: Some(decoded.text),
    })
}

/// Read and parse a Word document.
fn parse_docx(bytes: &[u8]) -> Result<Report, ParseError> {
    let doc = docx::read_docx(bytes).map_err(ParseError::Docx)?;
    let mut report = parse_document(&doc, Format::Docx)?;
    if let Some(source) = &mut report.source {
        source.encoding = Some("utf-8".to_owned());
    }
    Ok(report)
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.trim_start().starts_with('<')
        && (head.contains("<html")
            || head.contains("<table")
            || head.contains("<body")
            || head.contains("<!doctype"))
}

/// Parse decoded text in `format`.
pub fn parse_text(text: &str, format: Format) -> Result<Report, ParseError> {
    let doc = match format {
        Format::Text | Format::Docx => text::read_text(text),
        Format::Html => html::read_html(text),
        Format::Markdown => markdown::read_markdown(text),
    };
    parse_document(&doc, format)
}

/// Parse a document already read into rows.
pub fn parse_document(doc: &doc::Document, format: Format) -> Result<Report, ParseError> {
    let meta = meta::extract(doc);
    let mut diagnostics = Vec::new();
    let by_year = meta.year.and_then(Edition::for_year);
    let edition = match (matcher::edition_from_labels(doc), by_year) {
        (Some((e, _)), Some(y)) if e != y => {
            diagnostics.push(Diagnostic::new(
                codes::EDITION_MISMATCH,
                Severity::Warning,
                format!("the report covers {}, which uses the {y} edition, but its headers are those of the {e} edition; following the headers", meta.year.unwrap_or_default()),
            ));
            e
        }
        (Some((e, _)), _) => e,
        (None, Some(y)) => {
            diagnostics.push(Diagnostic::new(
                codes::EDITION_FROM_YEAR,
                Severity::Info,
                format!("no header tells the edition apart; the year gives the {y} edition"),
            ));
            y
        }
        (None, None) => {
            let newest = *Edition::ALL
                .last()
                .ok_or_else(|| ParseError::NotAnAnnualReport("no edition is defined".into()))?;
            diagnostics.push(Diagnostic::new(
                codes::EDITION_FROM_YEAR,
                Severity::Warning,
                format!(
                    "neither the headers nor a year tell the edition; assuming the newest, {newest}"
                ),
            ));
            newest
        }
    };
    let template = edition.template();
    let found = matcher::match_tables(doc, template, edition);
    // The table every report has: without it, this is not an annual report.
    let main_table = template
        .tables
        .iter()
        .max_by_key(|t| t.cell_count())
        .map(|t| t.id)
        .unwrap_or_default();
    if found.matched.get(main_table).copied().unwrap_or(0) == 0 {
        return Err(ParseError::NotAnAnnualReport(format!(
            "no `{main_table}` table was found (its section heading and row labels)"
        )));
    }
    diagnostics.extend(found.diagnostics);
    Ok(Report {
        source: Some(Source {
            path: None,
            format: Some(format.model()),
            encoding: None,
        }),
        meta,
        tables: found.tables,
        extra_rows: found.extra_rows,
        diagnostics,
    })
}
