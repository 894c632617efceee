//! `xxgk export`: read and check every input, and hand each checked report to the exporter's
//! [`Writer`] as it comes, through a [`Sink`]: a report's own files are written at once, the
//! files over the whole corpus when the run finishes.

use crate::{Files, Input, ProgressSink, RunOptions, Sink, Tee};
use std::hash::BuildHasher;
use std::io;
use std::path::Path;
use xxgk_export::run::{Format, Outcome, Writer};
use xxgk_export::{ExportError, Item};
use xxgk_model::diagnostic::Status;
use xxgk_model::message::{Arg, Lang, Naming};
use xxgk_print::Summary;

/// A sink that exports each checked report as `format` into a folder as it arrives
/// ([`Writer::item`]) and writes the corpus files when the run finishes ([`Writer::finish`]).
/// Inputs that could not be read are recorded in the outcome.
pub struct ExportSink {
    writer: Option<Writer>,
    stems: Stems,
    outcome: Outcome,
    error: Option<ExportError>,
    /// The language of what the outcome says of inputs that could not be read.
    lang: Lang,
}

impl ExportSink {
    /// Export as `format` into `out_dir` (created if missing), what people read (pages,
    /// workbook notes) in `lang`; `inputs` (every file of the run) are never written over.
    pub fn new(format: Format, lang: Lang, out_dir: &Path, inputs: &Files) -> Self {
        let (writer, error) = match Writer::new(format, lang, out_dir, inputs.iter()) {
            Ok(w) => (Some(w), None),
            Err(e) => (None, Some(e)),
        };
        ExportSink {
            writer,
            stems: Stems::default(),
            outcome: Outcome::default(),
            error,
            lang,
        }
    }

    /// What the export did, or why it could not run at all.
    pub fn into_outcome(self) -> Result<Outcome, ExportError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.outcome),
        }
    }

    /// The file-name stem for an input: its own stem, made unique among the inputs so far.
    fn stem(&mut self, path: &Path) -> String {
        let base: String = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("report")
            .chars()
            .map(|c| {
                if c.is_control() || ['/', '\\', ':', '*', '?', '"', '<', '>', '|'].contains(&c) {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let mut name = base.clone();
        let mut k = 2;
        while !self.stems.insert(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        name
    }
}

impl Sink for ExportSink {
    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        let stem = self.stem(input.path);
        let checked = input.checked;
        let Some(report) = &checked.report else {
            let path = input.path.display().to_string();
            // A file's reading error names the file (`input.failed`): the outcome names it
            // beside what went wrong, so that is said without it.
            let why = checked.diagnostics.first().map_or_else(
                || "not readable".to_owned(),
                |d| match d.text.as_ref().and_then(|t| t.args.get("error")) {
                    Some(Arg::Phrase(error)) => error.render(self.lang, Naming::labels()),
                    _ => d.render(self.lang, Naming::labels()),
                },
            );
            self.outcome.failed.push((path, why));
            return Ok(());
        };
        self.outcome.reports += 1;
        if checked.status() == Status::Failed {
            self.outcome.with_errors += 1;
        }
        if let Some(writer) = &mut self.writer {
            let item = Item::new(stem, report.clone(), checked.diagnostics.clone());
            if let Err(e) = writer.item(&item, &mut self.outcome) {
                self.error = Some(e);
                self.writer = None;
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        if let Some(writer) = self.writer.take()
            && let Err(e) = writer.finish(&mut self.outcome)
        {
            self.error = Some(e);
        }
        Ok(())
    }
}

/// The file-name stems taken so far, exactly, in a few bytes each: a run over many files keeps
/// one per file to the end. Their text is one string, one stem after another, and a hash table
/// holds where each is.
#[derive(Default)]
struct Stems {
    text: String,
    /// Start and length of each stem in `text`.
    table: hashbrown::HashTable<(usize, usize)>,
    hasher: std::collections::hash_map::RandomState,
}

impl Stems {
    /// Take `stem`; false when it was taken already.
    fn insert(&mut self, stem: &str) -> bool {
        let Stems {
            text,
            table,
            hasher,
        } = self;
        let at = |&(start, len): &(usize, usize)| text.get(start..start + len).unwrap_or("");
        let hash = hasher.hash_one(stem);
        if table.find(hash, |k| at(k) == stem).is_some() {
            return false;
        }
        let key = (text.len(), stem.len());
        text.push_str(stem);
        let text = &*text;
        table.insert_unique(hash, key, |&(start, len)| {
            hasher.hash_one(text.get(start..start + len).unwrap_or(""))
        });
        true
    }
}

/// Read and check the report `files` and export them as `format` into `out_dir`, in `lang`,
/// `options.jobs` files at once, with a progress bar when `options` ask for one.
pub fn export_files(
    files: &Files,
    format: Format,
    lang: Lang,
    out_dir: &Path,
    options: RunOptions,
) -> Result<Outcome, ExportError> {
    // Compiled only if a canonical JSON report comes.
    let validator = xxgk_validate::Validator::lazy();
    let mut sink = ExportSink::new(format, lang, out_dir, files);
    let mut both = Tee(ProgressSink::new(options.progress), &mut sink);
    crate::run(
        &validator,
        files,
        &crate::shown_path,
        options.jobs,
        &mut both,
    )?;
    drop(both);
    sink.into_outcome()
}
