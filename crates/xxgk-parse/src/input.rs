//! Which format a file is, and the reader for it.
//!
//! Every format has one [`Reader`], in its own file, listed once in [`READERS`]. Detection
//! ([`detect`]) asks every reader how sure it is that the bytes are its format ([`Sniff`]):
//! content first — magic bytes and ZIP members make a reader [`Sniff::Certain`], markup
//! [`Sniff::Likely`] — and the strongest answer wins. The file name's extension only breaks
//! ties: between readers equally sure, and, when no reader recognises the content, it picks
//! the reader that claims the extension. With neither, the bytes are read as plain text, whose
//! reader refuses what is not text (a PDF while no PDF reader is registered, a ZIP archive that
//! is not a Word document) with an error that says what to do.
//!
//! Adding a format is one new file with a type implementing [`Reader`] and one line in
//! [`READERS`].

use std::cell::OnceCell;
use std::path::Path;

use xxgk_model::diagnostic::{Diagnostic, Severity};

use crate::decode::{self, DecodeError, Decoded};
use crate::{ParseError, codes, doc};

pub use xxgk_model::Format;

/// The readers, in the order ties between equally sure readers (with no file name to break
/// them) are settled. The plain-text reader is also the fallback.
static READERS: &[&dyn Reader] = &[
    &crate::text::TextReader,
    &crate::html::HtmlReader,
    &crate::markdown::MarkdownReader,
    &crate::docx::DocxReader,
    &crate::pdf::PdfReader,
];

/// The format read when neither the content nor the name says otherwise.
const FALLBACK: Format = Format::Text;

/// How sure a reader is that the content is its format. `Likely < Certain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Sniff {
    /// The content looks like the format (markup at the start), but other formats may read it.
    Likely,
    /// The content is the format (magic bytes, a ZIP archive holding the format's main part).
    Certain,
}

/// One format's reader.
pub(crate) trait Reader: Sync {
    /// The format read.
    fn format(&self) -> Format;
    /// How sure the content is this format, or `None` when it shows no sign of it.
    fn sniff(&self, input: &Input<'_>) -> Option<Sniff>;
    /// File endings (lowercase, without the dot) of this format: a folder walk takes such files
    /// as reports, and the name picks this reader when the content does not decide.
    fn extensions(&self) -> &'static [&'static str];
    /// Further endings that pick this reader when the content does not decide, but that a
    /// folder walk does not take (pages saved under a server script's name: `.php`, `.aspx`).
    fn other_names(&self) -> &'static [&'static str] {
        &[]
    }
    /// Reads the bytes into a document.
    fn read(&self, input: Input<'_>, options: &Options) -> Result<ReadDoc, ParseError>;
}

/// The bytes being detected and read, with their decoding done at most once (sniffers that look
/// at text and the text readers share it).
pub(crate) struct Input<'a> {
    bytes: &'a [u8],
    decoded: OnceCell<Result<Decoded, DecodeError>>,
}

impl<'a> Input<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Input<'a> {
        Input {
            bytes,
            decoded: OnceCell::new(),
        }
    }

    /// The raw bytes.
    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The bytes as text ([`decode::decode`]).
    pub(crate) fn decoded(&self) -> Result<&Decoded, &DecodeError> {
        self.decoded
            .get_or_init(|| decode::decode(self.bytes))
            .as_ref()
    }

    /// [`Input::decoded`], owned.
    pub(crate) fn into_decoded(self) -> Result<Decoded, DecodeError> {
        match self.decoded.into_inner() {
            Some(decoded) => decoded,
            None => decode::decode(self.bytes),
        }
    }
}

/// A document as a reader read it, before template matching.
#[derive(Debug, Clone, Default)]
pub struct ReadDoc {
    /// The rows and cells read.
    pub document: doc::Document,
    /// The text the document's locations point into (for showing diagnostics with their
    /// lines); `None` for formats without lines (Word).
    pub text: Option<String>,
    /// The text encoding detected or declared (`utf-8`, `gb18030`, …).
    pub encoding: Option<String>,
    /// What the reader has to say about the input (a lossy decoding), placed before the
    /// matcher's diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

impl ReadDoc {
    /// Decodes `input` and reads the text with `read`: the reader of every text format.
    pub(crate) fn from_text(
        input: Input<'_>,
        read: fn(&str) -> doc::Document,
    ) -> Result<ReadDoc, ParseError> {
        ReadDoc::from_text_with(input, |text| (read(text), Vec::new()))
    }

    /// [`from_text`](ReadDoc::from_text) for a reader with something to say about the text:
    /// its diagnostics follow the decoding's.
    pub(crate) fn from_text_with(
        input: Input<'_>,
        read: impl FnOnce(&str) -> (doc::Document, Vec<Diagnostic>),
    ) -> Result<ReadDoc, ParseError> {
        let decoded = input.into_decoded().map_err(ParseError::Decode)?;
        let mut diagnostics = Vec::new();
        if decoded.lossy {
            diagnostics.push(Diagnostic::new(
                codes::LOSSY_DECODING,
                Severity::Warning,
                xxgk_model::message::Message::new("input.lossy_decoding")
                    .arg("encoding", decoded.encoding.to_string()),
            ));
        }
        let (document, notes) = read(&decoded.text);
        diagnostics.extend(notes);
        Ok(ReadDoc {
            document,
            encoding: Some(decoded.encoding.to_owned()),
            text: Some(decoded.text),
            diagnostics,
        })
    }
}

/// How to parse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep the decoded text in [`Parsed::text`](crate::Parsed::text) (to show diagnostics with
    /// their source lines).
    pub keep_text: bool,
    /// Sizes beyond which an input is refused.
    pub limits: Limits,
}

/// Sizes beyond which an input is refused rather than read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input (bytes of the file).
    pub max_input_bytes: u64,
    /// Largest part unpacked from a container (a Word document's `word/document.xml`,
    /// uncompressed bytes).
    pub max_unpacked_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input_bytes: 512 * 1024 * 1024,
            max_unpacked_bytes: 200 * 1024 * 1024,
        }
    }
}

/// The format `bytes` are read as: content first (magic bytes and ZIP members settle it, markup
/// makes a format likely), the extension of `name` only breaking ties; with no sign either way,
/// plain text.
///
/// ```
/// use std::path::Path;
/// use xxgk_parse::{Format, detect};
///
/// let page = b"<!DOCTYPE html><html><body><table></table></body></html>";
/// assert_eq!(detect(page, Some(Path::new("report.txt"))), Format::Html);
/// assert_eq!(detect(b"| a | b |", Some(Path::new("report.md"))), Format::Markdown);
/// assert_eq!(detect(b"plain", None), Format::Text);
/// ```
pub fn detect(bytes: &[u8], name: Option<&Path>) -> Format {
    reader_for(&Input::new(bytes), name).format()
}

/// The reader for `input`.
pub(crate) fn reader_for(input: &Input<'_>, name: Option<&Path>) -> &'static dyn Reader {
    let named = name.and_then(named_reader);
    let is_named = |r: &dyn Reader| named.is_some_and(|n| n.format() == r.format());
    let mut best: Option<(Sniff, &'static dyn Reader)> = None;
    for &reader in READERS {
        let Some(sniff) = reader.sniff(input) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((s, r)) => sniff > s || (sniff == s && is_named(reader) && !is_named(r)),
        };
        if better {
            best = Some((sniff, reader));
        }
    }
    best.map(|(_, reader)| reader)
        .or(named)
        .unwrap_or_else(fallback)
}

/// The reader whose extensions (or other names) include `name`'s, ASCII case ignored.
fn named_reader(name: &Path) -> Option<&'static dyn Reader> {
    let ext = name.extension()?.to_str()?.to_ascii_lowercase();
    READERS
        .iter()
        .copied()
        .find(|r| r.extensions().contains(&ext.as_str()) || r.other_names().contains(&ext.as_str()))
}

fn fallback() -> &'static dyn Reader {
    READERS
        .iter()
        .copied()
        .find(|r| r.format() == FALLBACK)
        .unwrap_or(READERS[0])
}

/// Endings of office documents whose content decides what they are: a Word page saved as a web
/// page under its `.doc` name is read as HTML, a binary Word 97-2003 or WPS document is refused
/// with an error that says so. A folder walk takes them, so that no report in it goes unread
/// unsaid; they never decide a format ([`detect`] ignores them).
const READ_BY_CONTENT: &[&str] = &["doc", "wps"];

/// The file endings (lowercase, without the dot) a folder walk takes as reports (besides
/// canonical `.json`): those of the formats the parser reads, then office endings whose files are
/// read by their content (`.doc`, `.wps`: a Word web page is read, a binary document is refused
/// with an error naming it).
///
/// ```
/// let ext: Vec<&str> = xxgk_parse::extensions().collect();
/// assert!(ext.contains(&"html") && ext.contains(&"docx") && !ext.contains(&"php"));
/// assert!(ext.contains(&"doc"));
/// ```
pub fn extensions() -> impl Iterator<Item = &'static str> {
    READERS
        .iter()
        .flat_map(|r| r.extensions().iter().copied())
        .chain(READ_BY_CONTENT.iter().copied())
}

/// The formats registered readers read, in registry order.
pub fn formats() -> impl Iterator<Item = Format> {
    READERS.iter().map(|r| r.format())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, ParseError, parse, parse_file};

    const PAGE: &[u8] =
        b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>";

    fn named(name: &str) -> Option<&Path> {
        Some(Path::new(name))
    }

    fn zip_of(name: &str) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<w:document/>").unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn content_decides_before_the_name() {
        // Markup makes HTML likely whatever the name says, but Markdown may hold HTML: a tie
        // the name breaks.
        assert_eq!(detect(PAGE, named("a.txt")), Format::Html);
        assert_eq!(detect(PAGE, named("a.docx")), Format::Html);
        assert_eq!(detect(PAGE, None), Format::Html);
        assert_eq!(detect(PAGE, named("a.md")), Format::Markdown);
        // A Word document under any name.
        let docx = zip_of("word/document.xml");
        assert_eq!(detect(&docx, named("a.txt")), Format::Docx);
        assert_eq!(detect(&docx, named("a.html")), Format::Docx);
        assert_eq!(detect(&docx, None), Format::Docx);
    }

    #[test]
    fn the_name_decides_when_the_content_does_not() {
        assert_eq!(detect(b"| a | b |", named("a.md")), Format::Markdown);
        assert_eq!(detect(b"<p>1</p>", named("a.HTM")), Format::Html);
        assert_eq!(detect(b"<p>1</p>", named("list.aspx")), Format::Html);
        assert_eq!(detect(b"plain", named("a.docx")), Format::Docx);
        assert_eq!(detect(b"plain", named("a.json")), Format::Text);
        assert_eq!(detect(b"plain", named("noext")), Format::Text);
        // No reader claims other archives (nor PDF while no PDF reader is registered): plain
        // text, whose decoding refuses them.
        assert_eq!(detect(&zip_of("xl/workbook.xml"), None), Format::Text);
        assert_eq!(
            detect(&zip_of("xl/workbook.xml"), named("a.docx")),
            Format::Docx
        );
        assert_eq!(detect(b"%PDF-1.7\n", named("a.txt")), Format::Pdf);
    }

    #[test]
    fn a_pipe_table_is_markdown_whatever_the_name() {
        let table = "标题\n| 规章 | 1 | 0 | 11 |\n|---|---|---|---|\n| 文件 | 8 | 26 | 66 |\n";
        assert_eq!(detect(table.as_bytes(), named("ocr.txt")), Format::Markdown);
        assert_eq!(detect(table.as_bytes(), None), Format::Markdown);
        // Pipes without a delimiter row are plain text.
        assert_eq!(
            detect("a | b | c\nd | e | f\n".as_bytes(), named("a.txt")),
            Format::Text
        );
    }

    #[test]
    fn registry() {
        // The formats read before PDF, in order; readers added later follow.
        let ext: Vec<&str> = extensions().collect();
        assert_eq!(
            ext[..11],
            [
                "txt", "text", "html", "htm", "shtml", "xhtml", "mht", "mhtml", "md", "markdown",
                "docx"
            ]
        );
        assert!(!ext.contains(&"php") && !ext.contains(&"json"));
        let formats: Vec<Format> = formats().collect();
        assert_eq!(
            formats[..4],
            [Format::Text, Format::Html, Format::Markdown, Format::Docx]
        );
        assert_eq!(fallback().format(), FALLBACK);
        for (i, r) in READERS.iter().enumerate() {
            assert!(
                READERS[..i].iter().all(|o| o.format() != r.format()),
                "one reader per format"
            );
        }
    }

    #[test]
    fn errors_have_codes() {
        let options = Options::default();
        if !formats().any(|f| f == Format::Pdf) {
            let err = parse(b"%PDF-1.7\n", named("a.pdf"), &options).unwrap_err();
            assert_eq!(err, ParseError::Decode(DecodeError::Pdf));
            assert_eq!(err.code(), codes::INPUT_DECODE);
        }
        let err = parse(b"\0\0\0\0", None, &options).unwrap_err();
        assert_eq!(err, ParseError::Decode(DecodeError::Binary));
        assert_eq!(err.code(), codes::INPUT_DECODE);
        assert!(std::error::Error::source(&err).is_some());
        let err = parse(b"plain", named("a.docx"), &options).unwrap_err();
        assert_eq!(err.code(), codes::INPUT_DOCX);
        let err = parse(b"plain", None, &options).unwrap_err();
        assert_eq!(err.code(), codes::INPUT_NOT_ANNUAL_REPORT);
        let small = Options {
            limits: Limits {
                max_input_bytes: 4,
                ..Limits::default()
            },
            ..Options::default()
        };
        let err = parse(b"plain", None, &small).unwrap_err();
        assert_eq!(err, ParseError::TooLarge { size: 5, limit: 4 });
        assert_eq!(err.code(), codes::INPUT_TOO_LARGE);
        let missing = Path::new("/no/such/dir/report.txt");
        let err = parse_file(missing, &options).unwrap_err();
        assert_eq!(err.code(), codes::INPUT_UNREADABLE);
        assert!(
            err.to_string()
                .starts_with("cannot read /no/such/dir/report.txt: ")
        );
        assert_eq!(err.clone(), err);
    }

    #[test]
    fn text_is_kept_when_asked() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/reports/wrong-total-2021.txt");
        let parsed = parse_file(&path, &Options::default()).unwrap();
        assert_eq!(parsed.text, None);
        let source = parsed.report.source.unwrap();
        assert_eq!(source.path, Some(path.display().to_string()));
        assert_eq!(source.format, Some(Format::Text));
        let keep = Options {
            keep_text: true,
            ..Options::default()
        };
        let parsed = parse_file(&path, &keep).unwrap();
        assert_eq!(parsed.text, Some(std::fs::read_to_string(&path).unwrap()));
    }

    #[test]
    fn input_decodes_once() {
        let input = Input::new(b"\xef\xbb\xbfhello");
        let first: *const Decoded = input.decoded().unwrap();
        let second: *const Decoded = input.decoded().unwrap();
        assert_eq!(first, second);
        assert_eq!(input.into_decoded().unwrap().text, "hello");
    }
}
