//! `xxgk export`'s writers: already-checked items written in the chosen format into the
//! output folder (reading and checking the inputs is `xxgk-driver`'s). Writes are atomic, never
//! over an input, and a file that fails does not stop the others.

use crate::{ExportError, Item, write};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use xxgk_model::Edition;
use xxgk_model::message::Lang;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Canonical JSON, one file per report.
    Json,
    /// Canonical JSON, one line per report, in one file.
    JsonLines,
    /// The long table: one row per cell.
    Csv,
    /// The wide table: one row per report, one column per cell id.
    CsvWide,
    /// An Excel workbook per report, and one for the corpus when there are several reports.
    Xlsx,
    /// A page per report for reviewers, and an index page when there are several.
    Html,
    /// The tables as Markdown, one file per report.
    Markdown,
    /// The long table as Parquet (feature `parquet`).
    Parquet,
}

impl Format {
    /// Every format with its name on the command line, and what it writes.
    pub const ALL: [(Format, &'static str, &'static str); 8] = [
        (Format::Json, "json", "canonical JSON, one file per report"),
        (
            Format::JsonLines,
            "jsonl",
            "canonical JSON lines, one file for all reports",
        ),
        (
            Format::Csv,
            "csv",
            "the long table, one row per cell: cells.csv",
        ),
        (
            Format::CsvWide,
            "csv-wide",
            "the wide table, one row per report: reports-wide.csv",
        ),
        (
            Format::Xlsx,
            "xlsx",
            "an Excel workbook per report, plus corpus.xlsx for several",
        ),
        (
            Format::Html,
            "html",
            "a page per report for reviewers, plus index.html for several",
        ),
        (
            Format::Markdown,
            "markdown",
            "Markdown, one file per report",
        ),
        (
            Format::Parquet,
            "parquet",
            "the long table as Parquet: cells.parquet (feature `parquet`)",
        ),
    ];
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .iter()
            .find(|(_, name, _)| *name == s)
            .map(|(f, _, _)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|(_, n, _)| *n).collect();
                format!("unknown format `{s}` (one of {})", names.join(", "))
            })
    }
}

/// What an export did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// How many files were written (all in the output folder; counted, not listed, so that an
    /// export of many reports does not keep a path per file).
    pub written: usize,
    /// Reports read, and how many of them have an error (they are still exported).
    pub reports: usize,
    pub with_errors: usize,
    /// Inputs that could not be read as reports, with why; the export went on without them.
    pub failed: Vec<(String, String)>,
}

/// Write `items` as `format` into `out_dir`; `inputs` are never overwritten. A file that
/// cannot be written is recorded in `outcome.failed` and the others are still written.
///
/// `lang` is the language of what the files say to people: the HTML pages' headings, summary,
/// legend and diagnostics, and the workbooks' summary sheet, legend and cell notes. Data is
/// the same in every language: JSON and JSON lines keep each diagnostic's English `message`
/// and dotted cell ids, CSV and Parquet have no text, Markdown shows no diagnostics.
///
/// The same as a [`Writer`] given the items one by one, then finished.
pub fn write_items<P: AsRef<Path>>(
    items: &[Item],
    format: Format,
    lang: Lang,
    out_dir: &Path,
    inputs: impl IntoIterator<Item = P>,
    outcome: &mut Outcome,
) -> Result<(), ExportError> {
    let mut writer = Writer::new(format, lang, out_dir, inputs)?;
    for item in items {
        writer.item(item, outcome)?;
    }
    writer.finish(outcome)
}

/// An export written as the reports come ([`write_items`] one item at a time): the files of
/// each report (JSON, Markdown, HTML page, workbook) are written by [`Writer::item`]; the files
/// over the whole corpus are filled as the items come, in temporary files put in place by
/// [`Writer::finish`] (JSON lines, the long CSV; the wide CSV's rows in their edition's columns,
/// placed under the corpus's columns at the end), or from what is kept of each report (the HTML
/// index: a row of a few hundred bytes), or spooled to temporary files and written at the end
/// in a batch or a row at a time (the corpus workbook, Parquet): memory does not grow with the
/// corpus, but for the HTML index.
pub struct Writer {
    format: Format,
    lang: Lang,
    out_dir: PathBuf,
    /// The inputs in the output folder, canonical: never written over ([`inputs_in`]).
    inputs: std::collections::HashSet<PathBuf>,
    items: usize,
    corpus: Corpus,
}

/// What a [`Writer`] keeps for the files over the whole corpus.
enum Corpus {
    /// Nothing: one file per report.
    None,
    /// JSON lines, written as the items come.
    Lines(Result<write::Pending, ExportError>),
    /// The long CSV, written as the items come.
    Stream(Result<csv::Writer<write::Pending>, ExportError>),
    /// The wide CSV: rows (its edition's id, then its record) spooled to a temporary file, and
    /// the editions seen.
    Wide(
        Result<csv::Writer<std::io::BufWriter<std::fs::File>>, ExportError>,
        Vec<Edition>,
    ),
    /// The HTML index's rows.
    Index(Vec<crate::html::IndexRow>),
    /// The corpus workbook, its rows spooled as they come.
    Workbook(Result<crate::xlsx::CorpusWorkbook, ExportError>),
    /// The Parquet long table, its rows spooled as they come.
    #[cfg(feature = "parquet")]
    Parquet(Result<crate::parquet::LongTable, ExportError>),
}

/// The inputs, canonical, that an export into `out_dir` could write over: those in that very
/// folder (every file an export writes is named there) and those a link in it points to, not
/// every input, which a large run would keep to the end for nothing.
fn inputs_in<P: AsRef<Path>>(
    out_dir: &Path,
    inputs: impl IntoIterator<Item = P>,
) -> std::collections::HashSet<PathBuf> {
    let dir = write::canonical(out_dir);
    let linked: std::collections::HashSet<PathBuf> = std::fs::read_dir(out_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
        .map(|e| write::canonical(&e.path()))
        .collect();
    inputs
        .into_iter()
        .map(|p| write::canonical(p.as_ref()))
        .filter(|p| p.parent() == Some(dir.as_path()) || linked.contains(p))
        .collect()
}

/// The file a corpus format writes.
fn corpus_file(format: Format) -> &'static str {
    match format {
        Format::JsonLines => "reports.jsonl",
        Format::Csv => "cells.csv",
        Format::CsvWide => "reports-wide.csv",
        Format::Html => "index.html",
        Format::Xlsx => "corpus.xlsx",
        Format::Parquet => "cells.parquet",
        Format::Json | Format::Markdown => "",
    }
}

fn csv_error(e: csv::Error) -> ExportError {
    ExportError::Format(e.to_string())
}

impl Writer {
    /// Start an export as `format` into `out_dir`, never over `inputs`, in `lang`.
    pub fn new<P: AsRef<Path>>(
        format: Format,
        lang: Lang,
        out_dir: &Path,
        inputs: impl IntoIterator<Item = P>,
    ) -> Result<Writer, ExportError> {
        #[cfg(not(feature = "parquet"))]
        if format == Format::Parquet {
            return Err(ExportError::Format(
                "this xxgk was built without Parquet support (cargo feature `parquet`)".into(),
            ));
        }
        let mut writer = Writer {
            format,
            lang,
            out_dir: out_dir.to_path_buf(),
            inputs: inputs_in(out_dir, inputs),
            items: 0,
            corpus: Corpus::None,
        };
        let target = out_dir.join(corpus_file(format));
        writer.corpus = match format {
            Format::Json | Format::Markdown => Corpus::None,
            Format::JsonLines => Corpus::Lines(writer.pending(&target)),
            Format::Csv => Corpus::Stream(writer.pending(&target).and_then(|pending| {
                let mut w = csv::Writer::from_writer(pending);
                w.write_record(crate::csv_out::LONG_COLUMNS)
                    .map_err(csv_error)?;
                Ok(w)
            })),
            Format::CsvWide => {
                let spool = tempfile::tempfile()
                    .map(|f| {
                        csv::WriterBuilder::new()
                            .has_headers(false)
                            .flexible(true)
                            .from_writer(std::io::BufWriter::new(f))
                    })
                    .map_err(ExportError::from);
                Corpus::Wide(spool, Vec::new())
            }
            Format::Html => Corpus::Index(Vec::new()),
            Format::Xlsx => Corpus::Workbook(crate::xlsx::CorpusWorkbook::new(lang)),
            #[cfg(feature = "parquet")]
            Format::Parquet => Corpus::Parquet(crate::parquet::LongTable::new()),
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => Corpus::None,
        };
        Ok(writer)
    }

    /// `target` to write, unless it is an input.
    fn pending(&self, target: &Path) -> Result<write::Pending, ExportError> {
        if self.inputs.contains(&write::canonical(target)) {
            return Err(ExportError::WouldOverwriteInput(target.to_path_buf()));
        }
        write::Pending::new(target, &[])
    }

    /// Write a file of the export atomically, recording it in `outcome`.
    fn put(&self, name: String, bytes: Result<Vec<u8>, ExportError>, outcome: &mut Outcome) {
        let target = self.out_dir.join(&name);
        let written = bytes.and_then(|b| {
            let mut pending = self.pending(&target)?;
            pending.write_all(&b)?;
            pending.persist()
        });
        match written {
            Ok(()) => outcome.written += 1,
            Err(e) => outcome
                .failed
                .push((target.display().to_string(), e.to_string())),
        }
    }

    /// Write the files of one report, and add it to the corpus files.
    pub fn item(&mut self, item: &Item, outcome: &mut Outcome) -> Result<(), ExportError> {
        self.items += 1;
        let lang = self.lang;
        match self.format {
            Format::Json => {
                let mut report = item.report.clone();
                report.diagnostics = item.diagnostics.clone();
                self.put(
                    format!("{}.json", item.name),
                    Ok((report.to_json_pretty() + "\n").into_bytes()),
                    outcome,
                );
            }
            Format::Markdown => self.put(
                format!("{}.md", item.name),
                Ok(crate::markdown::report(item).into_bytes()),
                outcome,
            ),
            Format::Html => {
                let name = format!("{}.html", item.name);
                self.put(
                    name.clone(),
                    Ok(crate::html::report_page(item, lang).into_bytes()),
                    outcome,
                );
                if let Corpus::Index(rows) = &mut self.corpus {
                    rows.push(crate::html::IndexRow::of(item, &name));
                }
            }
            Format::Xlsx => {
                self.put(
                    format!("{}.xlsx", item.name),
                    crate::xlsx::report_workbook(item, lang),
                    outcome,
                );
                if let Corpus::Workbook(Ok(book)) = &mut self.corpus
                    && let Err(e) = book.item(item)
                {
                    self.corpus = Corpus::Workbook(Err(e));
                }
            }
            Format::Parquet => {
                #[cfg(feature = "parquet")]
                if let Corpus::Parquet(Ok(table)) = &mut self.corpus
                    && let Err(e) = table.item(item)
                {
                    self.corpus = Corpus::Parquet(Err(e));
                }
            }
            Format::JsonLines => {
                let mut report = item.report.clone();
                report.diagnostics = item.diagnostics.clone();
                let line = serde_json::to_string(&report)
                    .map_err(|e| ExportError::Format(e.to_string()))?;
                if let Corpus::Lines(Ok(w)) = &mut self.corpus {
                    let written = w.write_all(line.as_bytes());
                    if let Err(e) = written.and_then(|()| w.write_all(b"\n")) {
                        self.corpus = Corpus::Lines(Err(e.into()));
                    }
                }
            }
            Format::Csv => {
                if let Corpus::Stream(Ok(w)) = &mut self.corpus
                    && let Err(e) = crate::csv_out::long_item(item, w)
                {
                    self.corpus = Corpus::Stream(Err(e));
                }
            }
            Format::CsvWide => {
                if let Corpus::Wide(Ok(w), editions) = &mut self.corpus {
                    let edition = item.report.edition();
                    if !editions.contains(&edition) {
                        editions.push(edition);
                    }
                    let record = crate::csv_out::wide_record(item);
                    let row =
                        std::iter::once(edition.id()).chain(record.iter().map(String::as_str));
                    if let Err(e) = w.write_record(row) {
                        self.corpus = Corpus::Wide(Err(csv_error(e)), Vec::new());
                    }
                }
            }
        }
        Ok(())
    }

    /// Write the files over the whole corpus (for HTML and Excel only when there were several
    /// reports) and put them in place.
    pub fn finish(mut self, outcome: &mut Outcome) -> Result<(), ExportError> {
        let corpus = std::mem::replace(&mut self.corpus, Corpus::None);
        let target = self.out_dir.join(corpus_file(self.format));
        let record = |r: Result<(), ExportError>, outcome: &mut Outcome| match r {
            Ok(()) => outcome.written += 1,
            Err(e) => outcome
                .failed
                .push((target.display().to_string(), e.to_string())),
        };
        match &corpus {
            Corpus::None => {}
            Corpus::Index(rows) if self.items > 1 => {
                let page = crate::html::index_page_of(rows, self.lang);
                self.put(
                    corpus_file(self.format).into(),
                    Ok(page.into_bytes()),
                    outcome,
                );
            }
            _ => {}
        }
        match corpus {
            Corpus::Lines(w) => record(w.and_then(write::Pending::persist), outcome),
            Corpus::Stream(w) => {
                let done = w.and_then(|w| w.into_inner().map_err(|e| e.into_error().into()));
                record(done.and_then(write::Pending::persist), outcome);
            }
            Corpus::Wide(spool, editions) => {
                let done = spool.and_then(|spool| {
                    let mut file = spool
                        .into_inner()
                        .map_err(|e| ExportError::Io(e.into_error()))?
                        .into_inner()
                        .map_err(|e| ExportError::Io(e.into_error()))?;
                    file.seek(std::io::SeekFrom::Start(0))?;
                    let columns = crate::csv_out::wide_columns_of(|e| editions.contains(&e));
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .flexible(true)
                        .from_reader(std::io::BufReader::new(file));
                    let rows = reader.records().map(|r| {
                        let r = r.map_err(csv_error)?;
                        let edition = Edition::ALL
                            .iter()
                            .copied()
                            .find(|e| Some(e.id()) == r.get(0))
                            .ok_or_else(|| ExportError::Format("wide spool: no edition".into()))?;
                        Ok((edition, r.iter().skip(1).map(str::to_owned).collect()))
                    });
                    let mut pending = self.pending(&target)?;
                    crate::csv_out::write_wide(&columns, rows, &mut pending)?;
                    pending.persist()
                });
                record(done, outcome);
            }
            Corpus::Workbook(book) if self.items > 1 => {
                let done = book.and_then(|book| {
                    let mut pending = self.pending(&target)?;
                    book.finish(&mut pending)?;
                    pending.persist()
                });
                record(done, outcome);
            }
            #[cfg(feature = "parquet")]
            Corpus::Parquet(table) => {
                let done = table.and_then(|table| {
                    let pending = self.pending(&target)?;
                    table.finish(pending)?.persist()
                });
                record(done, outcome);
            }
            _ => {}
        }
        Ok(())
    }
}
