//! Read government information disclosure annual reports into xxgk's typed model.
//!
//! One entry point, [`parse`] (or [`parse_file`]), takes the bytes of a file through three
//! steps, each usable on its own:
//! 1. **Detect** the format ([`detect`]): content first — magic bytes and ZIP members
//!    (a `.docx` under any name) settle it, markup (an HTML page saved as `.txt`) makes a format
//!    likely — and the file name's extension only breaks ties; with no sign either way the bytes
//!    are plain text. Every format has one reader (text, HTML, Markdown, Word, PDF), listed in
//!    one registry; [`extensions`] are the file endings they take.
//! 2. **Read** the bytes with that format's reader into one [`doc::Document`] of rows and cells
//!    with source positions: [`decode`] (UTF-8, GB18030/GBK, UTF-16, …, detected) then
//!    [`text`] (plain and PDF-extracted text, tab-separated or space-aligned), HTML (the DOM)
//!    or Markdown (pipe tables); or [`docx`] (Word), or PDF (through `xxgk-pdf`). Merged cells
//!    (rowspan/colspan, gridSpan/vMerge) are expanded by one grid builder.
//! 3. **Match** (`matcher`): sections, rows and columns mapped to the schema's ids through
//!    the label metadata generated from the schema, every value placed or reported.
//!
//! What cannot be read at all is a [`ParseError`] with a stable [`code`](ParseError::code).
//!
//! ```
//! use std::path::Path;
//! use xxgk_parse::{Options, parse};
//!
//! let text = "某县统计局2024年政府信息公开工作年度报告\n\
//!     四、政府信息公开行政复议、行政诉讼情况\n\
//!     1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
//! let options = Options { keep_text: true, ..Options::default() };
//! let err = parse(text.as_bytes(), Some(Path::new("report.txt")), &options).unwrap_err();
//! assert!(err.to_string().contains("not an annual report"));
//! assert_eq!(err.code(), xxgk_parse::codes::INPUT_NOT_ANNUAL_REPORT);
//! ```

pub mod decode;
pub mod doc;
pub mod docx;
mod grid;
mod html;
mod input;
mod labels;
mod markdown;
mod matcher;
pub mod meta;
mod outline;
mod pdf;
mod prose;
mod runs;
pub mod text;
mod tuning;
pub mod value;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Arg, Lang, Message, Naming};
use xxgk_model::{Edition, Report, Source};

pub use input::{Format, Limits, Options, ReadDoc, detect, extensions, formats};

/// Codes of the diagnostics the parser writes. Stable: scripts may match on them.
pub mod codes {
    /// A section heading, or every row of a table, was not found: the table is absent.
    pub const SECTION_MISSING: &str = "parse.section_missing";
    /// A group printed as one row (（六）其他处理 without its 1./2./3. rows): its values are kept
    /// for the group in `group_rows`, its rows are unknown.
    pub const GROUP_AS_ONE_ROW: &str = "parse.group_as_one_row";
    /// Rows of numbers printed apart from their labels (PDF→Markdown converters), placed by the
    /// template's row order, the rows' value counts and the table's constraints.
    pub const ROWS_BY_SEQUENCE: &str = "parse.rows_by_sequence";
    /// A table's rows were found but no values could be read for them: every cell is unknown.
    pub const SECTION_VALUES_MISSING: &str = "parse.section_values_missing";
    /// Some template rows were not found: their cells are unknown.
    pub const ROW_MISSING: &str = "parse.row_missing";
    /// A table whose header prints its columns in another order than the template's: values
    /// were read under their headings.
    pub const COLUMNS_REORDERED: &str = "parse.columns_reordered";
    /// A value with a note after it in brackets (`12（含转办3件）`): the value is read, the
    /// note said.
    pub const VALUE_WITH_NOTE: &str = "parse.value_with_note";
    /// A printed row the template lacks, kept in `extra_rows`.
    pub const EXTRA_ROW: &str = "parse.extra_row";
    /// A row whose label reads as no template row, read as the template row missing where it
    /// stands (between rows that matched, the rows missing one for one).
    pub const ROW_BY_POSITION: &str = "parse.row_by_position";
    /// A PDF that declares or lists pages it cannot give (damaged or cut short): their
    /// content is missing.
    pub const PDF_PAGES_UNREAD: &str = "parse.pdf_pages_unread";
    /// A row printed twice: one printing is read, the other kept in `extra_rows`.
    pub const DUPLICATE_ROW: &str = "parse.duplicate_row";
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
    /// Sections of the national format without a heading (one warning naming them).
    pub const OUTLINE_MISSING: &str = "outline.missing";
    /// A section heading after one the form puts later.
    pub const OUTLINE_ORDER: &str = "outline.order";
    /// An HTML page nested its elements deeper than the reader follows (256): the markup
    /// deeper down was read as plain text (its text kept, its blocks as line breaks, its
    /// tables as prose).
    pub const DEEP_NESTING: &str = "parse.deep_nesting";

    // The codes of [`ParseError`](crate::ParseError)s ([`ParseError::code`](crate::ParseError::code)):
    // the input could not be read as a report at all.

    /// The file could not be read (missing, no permission).
    pub const INPUT_UNREADABLE: &str = "input.unreadable";
    /// The input is larger than [`Limits::max_input_bytes`](crate::Limits::max_input_bytes).
    pub const INPUT_TOO_LARGE: &str = "input.too_large";
    /// The bytes are not a document any reader takes: empty, binary, a PDF (while no PDF
    /// reader is registered), a ZIP archive that is not a Word document.
    pub const INPUT_DECODE: &str = "input.decode";
    /// A Word document that could not be read (damaged archive, malformed XML, too large).
    pub const INPUT_DOCX: &str = "input.docx";
    /// A PDF that could not be read: damaged, encrypted with a user password, over a limit,
    /// or set in fonts that do not say which characters they show.
    pub const INPUT_PDF: &str = "input.pdf";
    /// A PDF whose pages are images with no text layer (a scan): it must be OCR'd first.
    pub const INPUT_NO_TEXT_LAYER: &str = "input.no_text_layer";
    /// The document was read, but has no recognisable section 三 table.
    pub const INPUT_NOT_ANNUAL_REPORT: &str = "input.not_annual_report";
}

/// Why a file could not be read as a report at all. [`ParseError::code`] names each kind
/// (see [`codes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The file could not be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        error: IoError,
    },
    /// The input is larger than [`Limits::max_input_bytes`].
    TooLarge {
        /// The input's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The bytes are not a text document.
    Decode(decode::DecodeError),
    /// A Word document that could not be read.
    Docx(docx::DocxError),
    /// A PDF that could not be read.
    Pdf(xxgk_pdf::PdfError),
    /// A PDF with no text: its pages are images (a scan) or empty.
    NoTextLayer {
        /// Pages read.
        pages: u32,
        /// Images drawn on them (0: the pages are empty).
        images: u32,
    },
    /// A PDF too damaged to read: some pages could not be read, and the others hold no text.
    PdfDamaged {
        /// Pages the file could not give.
        unread: u32,
        /// Pages its page tree names.
        pages: u32,
    },
    /// A PDF whose fonts do not say which characters most of its glyphs are (no
    /// `/ToUnicode` map and no known encoding): its text cannot be read.
    PdfUnknownCharacters {
        /// Characters without a known text.
        unknown: u32,
        /// Characters in all.
        chars: u32,
    },
    /// The document has no recognisable section 三 table; the message says what is missing.
    NotAnAnnualReport(Message),
}

impl ParseError {
    /// The stable code of this kind of error (one of the `INPUT_*` [`codes`]).
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Unreadable { .. } => codes::INPUT_UNREADABLE,
            ParseError::TooLarge { .. } => codes::INPUT_TOO_LARGE,
            ParseError::Decode(_) => codes::INPUT_DECODE,
            ParseError::Docx(_) => codes::INPUT_DOCX,
            ParseError::Pdf(_)
            | ParseError::PdfDamaged { .. }
            | ParseError::PdfUnknownCharacters { .. } => codes::INPUT_PDF,
            ParseError::NoTextLayer { .. } => codes::INPUT_NO_TEXT_LAYER,
            ParseError::NotAnAnnualReport(_) => codes::INPUT_NOT_ANNUAL_REPORT,
        }
    }
}

impl ParseError {
    /// What went wrong, as a catalogue message: rendered in the reader's language by
    /// [`Message::render`]. What other libraries say (an I/O or ZIP error, a PDF's damage)
    /// is quoted as they say it.
    pub fn message(&self) -> Message {
        match self {
            ParseError::Unreadable { path, error } => Message::new("input.unreadable")
                .arg("path", path.display().to_string())
                .arg("why", error.0.to_string()),
            ParseError::TooLarge { size, limit } => Message::new("input.too_large")
                .arg("size", size.to_string())
                .arg("limit", limit.to_string()),
            ParseError::Decode(e) => e.message(),
            ParseError::Docx(e) => e.message(),
            ParseError::Pdf(e) => match e {
                xxgk_pdf::PdfError::Malformed(why) => {
                    Message::new("input.pdf_malformed").arg("why", why.as_str())
                }
                xxgk_pdf::PdfError::PasswordRequired => Message::new("input.pdf_password"),
                xxgk_pdf::PdfError::TooLarge(why) => {
                    Message::new("input.pdf_too_large").arg("why", why.as_str())
                }
                xxgk_pdf::PdfError::Internal(why) => {
                    Message::new("input.pdf_internal").arg("why", why.as_str())
                }
            },
            ParseError::PdfDamaged { unread, pages } => Message::new("input.pdf_damaged")
                .arg("unread", *unread)
                .arg("pages", *pages),
            ParseError::PdfUnknownCharacters { unknown, chars } => {
                Message::new("input.pdf_unknown_characters")
                    .arg("unknown", *unknown)
                    .arg("chars", *chars)
            }
            ParseError::NoTextLayer { pages, images: 0 } => {
                Message::new("input.no_text_layer").arg("pages", *pages)
            }
            ParseError::NoTextLayer { pages, images } => Message::new("input.no_text_layer_scan")
                .arg("pages", *pages)
                .arg("images", *images),
            ParseError::NotAnAnnualReport(why) => {
                Message::new("input.not_annual_report").arg("why", why.clone())
            }
        }
    }
}

/// In English, naming tables by id: what [`ParseError::message`] says.
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().render(Lang::En, Naming::Ids))
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ParseError::Unreadable { error, .. } => Some(&*error.0),
            ParseError::Decode(e) => Some(e),
            ParseError::Docx(e) => Some(e),
            ParseError::Pdf(e) => Some(e),
            ParseError::TooLarge { .. }
            | ParseError::NotAnAnnualReport(_)
            | ParseError::PdfDamaged { .. }
            | ParseError::PdfUnknownCharacters { .. }
            | ParseError::NoTextLayer { .. } => None,
        }
    }
}

/// An I/O error that can be cloned and compared (by kind and message), so [`ParseError`] can.
#[derive(Debug, Clone)]
pub struct IoError(pub Arc<std::io::Error>);

impl PartialEq for IoError {
    fn eq(&self, other: &IoError) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl Eq for IoError {}

impl From<std::io::Error> for IoError {
    fn from(e: std::io::Error) -> IoError {
        IoError(Arc::new(e))
    }
}

/// A parsed report and, when [`Options::keep_text`] asks for it, the decoded text its
/// diagnostics point into (`None` for Word files, which have no lines).
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The report read, with the parser's diagnostics.
    pub report: Report,
    /// The decoded text the diagnostics' locations point into.
    pub text: Option<String>,
}

/// Parse a report from its bytes: the format detected ([`detect`]: the content first, `name`'s
/// extension only breaking ties), the bytes read by that format's reader, the tables matched
/// against the template. The report's `source` records `name` as its path, the format and the
/// encoding.
///
/// ```
/// use xxgk_parse::{Options, ParseError, parse};
///
/// let text = "某县统计局2024年政府信息公开工作年度报告\n\
///     四、政府信息公开行政复议、行政诉讼情况\n\
///     1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
/// let err = parse(text.as_bytes(), None, &Options::default()).unwrap_err();
/// assert!(matches!(err, ParseError::NotAnAnnualReport(_)));
/// assert_eq!(err.code(), "input.not_annual_report");
/// ```
pub fn parse(bytes: &[u8], name: Option<&Path>, options: &Options) -> Result<Parsed, ParseError> {
    let size = bytes.len() as u64;
    if size > options.limits.max_input_bytes {
        return Err(ParseError::TooLarge {
            size,
            limit: options.limits.max_input_bytes,
        });
    }
    // Whatever its name says: a `.doc` renamed `.docx` is common.
    if decode::is_legacy_office(bytes) {
        return Err(ParseError::Decode(decode::DecodeError::LegacyOffice));
    }
    let input = input::Input::new(bytes);
    let reader = input::reader_for(&input, name);
    let read = reader.read(input, options)?;
    let mut report = parse_document(&read.document, reader.format())?;
    report.diagnostics.splice(0..0, read.diagnostics);
    if let Some(text) = &read.text {
        // `text.split('\n')`, with the crate's faster search.
        let mut lines = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            lines.push(&text[start..end]);
            start = end + 1;
        }
        lines.push(&text[start..]);
        measure_spans(&mut report, &lines);
        place_statements(&mut report, &lines);
    }
    if let Some(source) = &mut report.source {
        source.path = name.map(|n| n.display().to_string());
        source.encoding = read.encoding;
    }
    Ok(Parsed {
        report,
        text: read.text.filter(|_| options.keep_text),
    })
}

/// Give every cell's location the length of its printed text where the text shows it there,
/// and the diagnostics pointing at a cell the same length, so that renderers underline the
/// value exactly instead of guessing where it ends.
fn measure_spans(report: &mut Report, lines: &[&str]) {
    // The parser's diagnostics that point at a cell without a length: a few at most, so a
    // list, not a map of every cell.
    let mut wanted: Vec<(xxgk_model::diagnostic::Location, Option<u32>)> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.location.filter(|l| l.length.is_none()))
        .map(|l| (l, None))
        .collect();
    // (line, column, byte) of the last cell looked at: cells come in the order of the page,
    // so a page on one long line is walked once, not once per cell.
    let mut last = (usize::MAX, 0, 0);
    report.tables.for_each_cell_mut(&mut |_, cell| {
        let Some(source) = cell.source.as_deref_mut() else {
            return;
        };
        let raw = source.raw.trim();
        let Some(location) = source.location.as_mut().filter(|_| !raw.is_empty()) else {
            return;
        };
        let Some(line) = (location.line as usize)
            .checked_sub(1)
            .and_then(|i| lines.get(i))
        else {
            return;
        };
        let index = location.line as usize;
        let column = (location.column as usize).saturating_sub(1);
        let (from_column, from_byte) = if last.0 == index && last.1 <= column {
            (last.1, last.2)
        } else {
            (0, 0)
        };
        let Some(byte) = line
            .get(from_byte..)
            .and_then(|rest| doc::nth_char_start(rest, column - from_column))
            .map(|i| from_byte + i)
        else {
            return;
        };
        last = (index, column, byte);
        if line.get(byte..).is_some_and(|rest| rest.starts_with(raw)) {
            let length = u32::try_from(raw.chars().count()).unwrap_or(u32::MAX);
            for (l, found) in &mut wanted {
                if *l == *location {
                    *found = Some(length);
                }
            }
            *location = location.spanning(length);
        }
    });
    for d in &mut report.diagnostics {
        if let Some(location) = d.location.as_mut()
            && let Some(&(_, Some(length))) = wanted.iter().find(|(l, _)| l == location)
        {
            *location = location.spanning(length);
        }
    }
}

/// Point each narrative statement at its words in the source. The prose reader places a
/// quote from its paragraph's start, which is exact for text but not when markup stands
/// inside the paragraph (`<span>`, entities): there the quote's opening words are looked for
/// in the next few lines and the location moved to them; not found, it stays at the
/// paragraph, without a length.
fn place_statements(report: &mut Report, lines: &[&str]) {
    const LOOKAHEAD_LINES: usize = 8;
    const KEY_CHARS: usize = 6;
    for s in &mut report.statements {
        let Some(l) = s.location.as_mut() else {
            continue;
        };
        if l.page.is_some() {
            continue;
        }
        let key: String = s
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(KEY_CHARS)
            .collect();
        let first = (l.line as usize).saturating_sub(1);
        let at_place = lines.get(first).is_some_and(|line| {
            let rest: String = line
                .chars()
                .skip((l.column as usize).saturating_sub(1))
                .filter(|c| !c.is_whitespace())
                .take(key.chars().count())
                .collect();
            rest == key
        });
        if at_place || key.is_empty() {
            // The length holds only when the whole quote stands there as printed.
            if let Some(n) = l.length {
                let printed: String = lines
                    .get(first)
                    .map(|line| {
                        line.chars()
                            .skip((l.column as usize).saturating_sub(1))
                            .take(n as usize)
                            .collect()
                    })
                    .unwrap_or_default();
                if printed != s.text {
                    l.length = None;
                }
            }
            continue;
        }
        let found = lines
            .iter()
            .enumerate()
            .skip(first)
            .take(LOOKAHEAD_LINES)
            .find_map(|(i, line)| line.find(&key).map(|b| (i, line[..b].chars().count())));
        l.length = None;
        if let Some((i, column)) = found {
            l.line = u32::try_from(i + 1).unwrap_or(l.line);
            l.column = u32::try_from(column + 1).unwrap_or(l.column);
            let n = s.text.chars().count();
            let printed: String = lines[i].chars().skip(column).take(n).collect();
            if printed == s.text {
                l.length = u32::try_from(n).ok();
            }
        }
    }
}

/// Read the file at `path` and [`parse`] it, `path` naming it.
///
/// ```no_run
/// use xxgk_parse::{Options, parse_file};
///
/// let options = Options { keep_text: true, ..Options::default() };
/// let parsed = parse_file(std::path::Path::new("report.html"), &options)?;
/// println!("{:?}: {} diagnostics", parsed.report.meta.agency, parsed.report.diagnostics.len());
/// # Ok::<(), xxgk_parse::ParseError>(())
/// ```
pub fn parse_file(path: &Path, options: &Options) -> Result<Parsed, ParseError> {
    let unreadable = |e: std::io::Error| ParseError::Unreadable {
        path: path.to_path_buf(),
        error: e.into(),
    };
    let limit = options.limits.max_input_bytes;
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > limit {
        return Err(ParseError::TooLarge { size, limit });
    }
    // The size may change while reading: read at most one byte past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    parse(&bytes, Some(path), options)
}

/// Parse text already decoded, read as `format`: [`Format::Html`] and [`Format::Markdown`] by
/// their readers, anything else (text extracted from PDF or Word included) as plain text.
pub fn parse_text(text: &str, format: Format) -> Result<Report, ParseError> {
    let (doc, format) = match format {
        Format::Html => (html::read_html(text), Format::Html),
        Format::Markdown => (markdown::read_markdown(text), Format::Markdown),
        _ => (text::read_text(text), Format::Text),
    };
    parse_document(&doc, format)
}

/// Parse a document already read into rows.
pub fn parse_document(doc: &doc::Document, format: Format) -> Result<Report, ParseError> {
    // A crawler dump (a page on one line) is cut into rows at the template's labels first.
    let cut = runs::split(doc);
    let doc = cut.as_ref().unwrap_or(doc);
    let meta = meta::extract(doc);
    let mut diagnostics = Vec::new();
    let by_year = meta.year.and_then(Edition::for_year);
    let edition = match (matcher::edition_from_labels(doc), by_year) {
        (Some((e, _)), Some(y)) if e != y => {
            diagnostics.push(Diagnostic::new(
                codes::EDITION_MISMATCH,
                Severity::Warning,
                Message::new("parse.edition_mismatch")
                    .arg("year", i64::from(meta.year.unwrap_or_default()))
                    .arg("year_edition", y.to_string())
                    .arg("edition", e.to_string()),
            ));
            e
        }
        (Some((e, _)), _) => e,
        (None, Some(y)) => {
            diagnostics.push(Diagnostic::new(
                codes::EDITION_FROM_YEAR,
                Severity::Info,
                Message::new("parse.edition_from_year").arg("edition", y.to_string()),
            ));
            y
        }
        (None, None) => {
            let newest = *Edition::ALL
                .last()
                .ok_or_else(|| ParseError::NotAnAnnualReport(Message::new("input.no_edition")))?;
            diagnostics.push(Diagnostic::new(
                codes::EDITION_FROM_YEAR,
                Severity::Warning,
                Message::new("parse.edition_assumed").arg("edition", newest.to_string()),
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
        return Err(ParseError::NotAnAnnualReport(
            Message::new("input.table_not_found").arg("table", Arg::table(main_table)),
        ));
    }
    diagnostics.extend(found.diagnostics);
    diagnostics.extend(outline::check(doc));
    let statements = prose::statements(doc);
    let processing_fee = xxgk_model::prose::ProcessingFee::from_statements(&statements);
    Ok(Report {
        source: Some(Source {
            path: None,
            format: Some(format),
            encoding: None,
        }),
        meta,
        tables: found.tables,
        extra_rows: found.extra_rows,
        group_rows: found.group_rows,
        statements,
        processing_fee,
        diagnostics,
    })
}

/// For benchmarks and tests outside this crate: whether the HTML fast path reads `source`
/// (`Some`) and, if so, whether its rows equal html5ever's (`Some(true)`). Not part of the API.
#[doc(hidden)]
pub fn html_fast_path_agrees(source: &str) -> Option<bool> {
    html::fast_path_agrees(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of error says itself in each language from its own catalogue entry (none
    /// falls back to English), and its `Display` is the English message.
    #[test]
    fn every_error_is_said_in_english_and_chinese() {
        let errors = [
            ParseError::Unreadable {
                path: PathBuf::from("a.txt"),
                error: std::io::Error::other("gone").into(),
            },
            ParseError::TooLarge { size: 9, limit: 8 },
            ParseError::Decode(decode::DecodeError::Empty),
            ParseError::Decode(decode::DecodeError::Pdf),
            ParseError::Decode(decode::DecodeError::Zip),
            ParseError::Decode(decode::DecodeError::LegacyOffice),
            ParseError::Decode(decode::DecodeError::Binary),
            ParseError::Docx(docx::DocxError::NotZip("bad".into())),
            ParseError::Docx(docx::DocxError::NoDocument),
            ParseError::Docx(docx::DocxError::TooLarge(1 << 20)),
            ParseError::Docx(docx::DocxError::Unreadable("bad".into())),
            ParseError::Docx(docx::DocxError::MalformedXml("bad".into())),
            ParseError::Pdf(xxgk_pdf::PdfError::Malformed("bad".into())),
            ParseError::Pdf(xxgk_pdf::PdfError::PasswordRequired),
            ParseError::Pdf(xxgk_pdf::PdfError::TooLarge("big".into())),
            ParseError::Pdf(xxgk_pdf::PdfError::Internal("oops".into())),
            ParseError::PdfDamaged {
                unread: 3,
                pages: 3,
            },
            ParseError::PdfUnknownCharacters {
                unknown: 90,
                chars: 100,
            },
            ParseError::NoTextLayer {
                pages: 2,
                images: 0,
            },
            ParseError::NoTextLayer {
                pages: 2,
                images: 2,
            },
            ParseError::NotAnAnnualReport(
                Message::new("input.table_not_found").arg("table", Arg::table("applications")),
            ),
            ParseError::NotAnAnnualReport(Message::new("input.mhtml_without_page")),
            ParseError::NotAnAnnualReport(Message::new("input.no_edition")),
        ];
        for e in &errors {
            let en = e.message().render(Lang::En, Naming::labels());
            let zh = e.message().render(Lang::Zh, Naming::labels());
            assert_eq!(e.to_string(), e.message().render(Lang::En, Naming::Ids));
            assert!(!en.contains('{') && !zh.contains('{'), "{en} / {zh}");
            // A catalogue without the key falls back to English.
            assert!(zh != en && zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
    }
}
