//! `xxgk export`: read and check every input, then hand the checked items to the exporter's
//! writers ([`xxgk_export::run::write_items`]) through a [`Sink`].

use crate::{Input, Sink};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use xxgk_export::run::{Format, Outcome, write_items};
use xxgk_export::{ExportError, Item};
use xxgk_model::diagnostic::Status;
use xxgk_model::message::Lang;
use xxgk_print::Summary;

/// A sink that collects the checked reports as export items and writes them as `format` into
/// a folder when the run finishes. Inputs that could not be read are recorded in the outcome.
pub struct ExportSink {
    format: Format,
    lang: Lang,
    out_dir: PathBuf,
    inputs: Vec<PathBuf>,
    items: Vec<Item>,
    stems: HashSet<String>,
    outcome: Outcome,
    error: Option<ExportError>,
}

impl ExportSink {
    /// Export as `format` into `out_dir` (created if missing), what people read (pages,
    /// workbook notes) in `lang`.
    pub fn new(format: Format, lang: Lang, out_dir: &Path) -> Self {
        ExportSink {
            format,
            lang,
            out_dir: out_dir.to_path_buf(),
            inputs: Vec::new(),
            items: Vec::new(),
            stems: HashSet::new(),
            outcome: Outcome::default(),
            error: None,
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
        while !self.stems.insert(name.clone()) {
            name = format!("{base}-{k}");
            k += 1;
        }
        name
    }
}

impl Sink for ExportSink {
    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        self.inputs.push(input.path.to_path_buf());
        let stem = self.stem(input.path);
        let checked = input.checked;
        let Some(report) = &checked.report else {
            let why = checked
                .diagnostics
                .first()
                .map_or_else(|| "not readable".to_owned(), |d| d.message.clone());
            self.outcome
                .failed
                .push((input.path.display().to_string(), why));
            return Ok(());
        };
        self.outcome.reports += 1;
        if checked.status() == Status::Failed {
            self.outcome.with_errors += 1;
        }
        self.items
            .push(Item::new(stem, report.clone(), checked.diagnostics.clone()));
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        if let Err(e) = write_items(
            &self.items,
            self.format,
            self.lang,
            &self.out_dir,
            &self.inputs,
            &mut self.outcome,
        ) {
            self.error = Some(e);
        }
        Ok(())
    }
}

/// Read and check the report `files` and export them as `format` into `out_dir`, in `lang`.
pub fn export_files(
    files: &[PathBuf],
    format: Format,
    lang: Lang,
    out_dir: &Path,
) -> Result<Outcome, ExportError> {
    let validator =
        xxgk_validate::Validator::new().map_err(|e| ExportError::Format(e.to_string()))?;
    let mut sink = ExportSink::new(format, lang, out_dir);
    crate::run(
        &validator,
        files,
        &|p: &Path| p.display().to_string(),
        &mut sink,
    )?;
    sink.into_outcome()
}
