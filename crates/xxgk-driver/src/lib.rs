//! Running xxgk over files: walking folders ([`walk`]), reading and checking each file
//! ([`check_file`]), feeding the results to a [`Sink`] ([`run`]), and exporting ([`export`]).
//! `xxgk check`, `xxgk export` and `cargo xtask validate` all run this, so they agree.
//!
//! The engine ([`xxgk_validate`]) knows nothing of files or printing; the printers
//! ([`xxgk_print`]) know nothing of files or checking; this crate joins them.

pub mod export;
pub mod files;
pub mod walk;

use std::io::{self, Write};
use std::path::Path;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::Message;
use xxgk_validate::{Checked, Validator};

pub use files::Files;
pub use walk::{collect, is_report_file};
pub use xxgk_print::{
    Input, JsonLinesSink, Look, ProgressSink, Sink, Summary, Tee, TextSink, colour_stdout,
};

/// One file, checked, and the decoded text its diagnostics point into.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// What checking found.
    pub checked: Checked,
    /// The decoded text the report was parsed from; `None` for canonical JSON (whose
    /// locations point into the original document) and files that could not be read.
    pub text: Option<String>,
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Output {
    /// A line per report, its diagnostics when it did not pass, and a summary ([`TextSink`]).
    #[default]
    Text,
    /// One JSON object per line: `{"path", "status", "diagnostics"}` ([`JsonLinesSink`]).
    JsonLines,
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The path that names standard input: `-`.
pub const STDIN: &str = "-";

/// How standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` names standard input ([`STDIN`]).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// How a path is shown by default: [`STDIN_NAME`] for standard input, else the path.
pub fn shown_path(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

fn failed(code: &str, error: Message) -> CheckedFile {
    CheckedFile {
        checked: Checked {
            report: None,
            diagnostics: vec![Diagnostic::new(code, Severity::Error, error)],
            checks: xxgk_validate::CheckCounts::default(),
        },
        text: None,
    }
}

/// Whether `bytes` are a JSON object with `meta` and `tables`: canonical JSON.
fn is_canonical_json(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start) == Some(&b'{')
        && serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes)
            .is_ok_and(|o| o.contains_key("meta") && o.contains_key("tables"))
}

/// Check one report given as bytes, named `name` in messages: canonical JSON (a JSON object
/// with `meta` and `tables`) is validated against the schema; anything else is parsed
/// ([`xxgk_parse::parse`], the format found from the content).
pub fn check_bytes(validator: &Validator, bytes: &[u8], name: &str) -> CheckedFile {
    if is_canonical_json(bytes) {
        return match std::str::from_utf8(bytes) {
            Ok(text) => CheckedFile {
                checked: validator.check_json(text),
                text: None,
            },
            Err(_) => failed(
                xxgk_validate::codes::UNREADABLE,
                Message::new("input.not_utf8").arg("path", name),
            ),
        };
    }
    let options = xxgk_parse::Options {
        keep_text: true,
        ..xxgk_parse::Options::default()
    };
    match xxgk_parse::parse(bytes, None, &options) {
        Ok(parsed) => CheckedFile {
            checked: xxgk_validate::check_report(parsed.report),
            text: parsed.text,
        },
        Err(e) => failed(e.code(), in_file(name, &e)),
    }
}

/// Read standard input, at most the parser's largest input ([`xxgk_parse::Limits`]).
pub fn read_stdin() -> io::Result<Vec<u8>> {
    use std::io::Read;
    let limit = xxgk_parse::Options::default().limits.max_input_bytes;
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Check one file: canonical JSON is validated against the schema; any other file is parsed
/// ([`xxgk_parse::parse_file`]) and keeps its decoded text (for showing the lines diagnostics
/// point at). A file that cannot be read or parsed is an error for that file
/// only, its code the parser's ([`xxgk_parse::ParseError::code`]: `input.unreadable`,
/// `input.decode`, `input.docx`, `input.not_annual_report`, …). The path `-` ([`STDIN`]) reads
/// standard input ([`check_bytes`], named [`STDIN_NAME`]).
pub fn check_file(validator: &Validator, path: &Path) -> CheckedFile {
    if is_stdin(path) {
        return match read_stdin() {
            Ok(bytes) => check_bytes(validator, &bytes, STDIN_NAME),
            Err(e) => failed(
                xxgk_validate::codes::UNREADABLE,
                unreadable(Path::new(STDIN_NAME), e),
            ),
        };
    }
    if is_json(path) {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                return failed(xxgk_validate::codes::UNREADABLE, unreadable(path, e));
            }
        };
        return match String::from_utf8(bytes) {
            Ok(text) => CheckedFile {
                checked: validator.check_json(&text),
                text: None,
            },
            Err(_) => failed(
                xxgk_validate::codes::UNREADABLE,
                Message::new("input.not_utf8").arg("path", path.display().to_string()),
            ),
        };
    }
    let options = xxgk_parse::Options {
        keep_text: true,
        ..xxgk_parse::Options::default()
    };
    match xxgk_parse::parse_file(path, &options) {
        Ok(parsed) => CheckedFile {
            checked: xxgk_validate::check_report(parsed.report),
            text: parsed.text,
        },
        Err(e) => failed(e.code(), in_file(&path.display().to_string(), &e)),
    }
}

/// What is said of a file (or of standard input, [`STDIN_NAME`]) that cannot be read: the
/// parser's own message ([`xxgk_parse::ParseError::Unreadable`]).
pub fn unreadable(path: &Path, error: io::Error) -> Message {
    xxgk_parse::ParseError::Unreadable {
        path: path.to_path_buf(),
        error: error.into(),
    }
    .message()
}

/// What a parse error says of the file `name`: the error after the name (`input.failed`),
/// or alone when it names the file itself (`input.unreadable`).
pub fn in_file(name: &str, error: &xxgk_parse::ParseError) -> Message {
    match error {
        xxgk_parse::ParseError::Unreadable { .. } => error.message(),
        _ => Message::new("input.failed")
            .arg("path", name)
            .arg("error", error.message()),
    }
}

/// The number of files checked at once by default: the cores available
/// ([`std::thread::available_parallelism`]), else 1.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// How many results a run holds at most per job: checked files waiting for an earlier file
/// to finish (their output must keep the input order), or being checked. One slow report
/// (text with detached labels takes some twenty times the average) stalls the other jobs
/// once they have run this far ahead; a few dozen results of some tens of KB are cheap.
pub const IN_FLIGHT_PER_JOB: usize = 16;

/// Check `files` and feed every result to `sink` in the order of `files`; then the checks
/// across reports (consecutive years of one agency, duplicates: warnings only) and the
/// summary. `shown` turns a path into the name printed and used across reports.
///
/// `jobs` files are checked at once (0: [`default_jobs`]); whatever `jobs`, the sink sees the
/// same calls in the same order. Each result goes to the sink as soon as it and every earlier
/// file are done, and is then dropped: at most [`IN_FLIGHT_PER_JOB`] × `jobs` results are held,
/// and of each report only what the checks across reports read ([`xxgk_validate::corpus::Corpus`]:
/// its number, agency, year and a few dozen bytes of cells) is kept to the end.
pub fn run(
    validator: &Validator,
    files: &Files,
    shown: &dyn Fn(&Path) -> String,
    jobs: usize,
    sink: &mut dyn Sink,
) -> io::Result<Summary> {
    let jobs = if jobs == 0 { default_jobs() } else { jobs };
    let mut summary = Summary::default();
    // Of each report, only what the checks across reports read, packed; reports are known by
    // their place in `files`, so their names are made again only for the warnings.
    let mut corpus = xxgk_validate::corpus::Corpus::with_capacity(files.len());
    // Which files were parsed (their diagnostics point into the file itself, not into the
    // document a canonical JSON report was read from).
    let mut parsed = vec![false; files.len()];
    sink.begin(files.len())?;
    let mut emit = |index: usize, file: &Path, result: &CheckedFile| -> io::Result<()> {
        let CheckedFile { checked, text } = result;
        if let Some(slot) = parsed.get_mut(index) {
            *slot = text.is_some();
        }
        let name = shown(file);
        if let Some(r) = &checked.report
            && let (Some(agency), Some(year)) = (&r.meta.agency, r.meta.year)
        {
            corpus.add(index, agency, year, &r.tables);
        }
        sink.report(&Input {
            path: file,
            name: &name,
            checked,
            text: text.as_deref(),
        })?;
        summary.add(checked);
        Ok(())
    };
    if jobs <= 1 || files.len() <= 1 {
        for (index, file) in files.iter().enumerate() {
            emit(index, &file, &check_file(validator, &file))?;
        }
    } else {
        in_order(validator, files, jobs, &mut emit)?;
    }
    // Each warning goes to the sink as it is found; a write error stops the writing.
    let mut written = Ok(());
    corpus.for_each_warning(
        &|k| files.get(k).map_or_else(String::new, |f| shown(&f)),
        &mut |k, name, warning| {
            summary.corpus_warnings += 1;
            if written.is_ok() {
                let in_file = parsed.get(k).copied().unwrap_or(false);
                written = sink.across(&name, &warning, in_file);
            }
        },
    );
    written?;
    sink.finish(&summary)?;
    Ok(summary)
}

/// Check `files` on `jobs` threads and hand each result, with its path, to `emit` in the order of `files`,
/// on this thread, which checks files too: `jobs - 1` workers beside it, so that `jobs`
/// threads share `jobs` cores (a thread that only hands results on would take turns with the
/// workers, and every turn costs a switch and the caches). Results finished early wait in a
/// reorder buffer; no file is started more than [`IN_FLIGHT_PER_JOB`] × `jobs` places ahead of
/// the next one `emit` needs. A panic while checking a file is raised again here once the
/// workers have stopped.
fn in_order(
    validator: &Validator,
    files: &Files,
    jobs: usize,
    emit: &mut dyn FnMut(usize, &Path, &CheckedFile) -> io::Result<()>,
) -> io::Result<()> {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, mpsc};
    /// A file's number, what checking it gave, and the worker that checked it (`None`: this
    /// thread). The result is boxed: it is some kilobytes (a report's tables are inline), and
    /// it moves through a channel and the reorder buffer, whose nodes hold eleven of them;
    /// unboxed, copying them cost 3% of the instructions of two jobs.
    type Done = (usize, std::thread::Result<Box<CheckedFile>>, Option<usize>);
    let check = |i: usize| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Box::new(check_file(validator, &files.get(i).unwrap_or_default()))
        }))
    };
    let window = IN_FLIGHT_PER_JOB * jobs;
    let (work_tx, work_rx) = mpsc::channel::<usize>();
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let work_rx = Mutex::new(work_rx);
    let mut panic = None;
    let result = std::thread::scope(|scope| {
        // Dropped on leaving: workers still checking stop at their next result.
        let done_rx = done_rx;
        // Each result goes back to the worker that made it, to be freed there: a result is
        // thousands of small allocations, and the allocator frees another thread's memory
        // at some cost in both threads (measured: a tenth of the CPU time of two jobs).
        let mut give_back = Vec::new();
        for w in 0..jobs.saturating_sub(1).min(files.len()) {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            let (back_tx, back_rx) = mpsc::channel::<Box<CheckedFile>>();
            give_back.push(back_tx);
            scope.spawn(move || {
                loop {
                    while back_rx.try_recv().is_ok() {}
                    let next = work_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok(i)) = next else { break };
                    if done_tx.send((i, check(i), Some(w))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut work_tx = Some(work_tx);
        let (mut sent, mut next) = (0, 0);
        let mut waiting: BTreeMap<usize, (Box<CheckedFile>, Option<usize>)> = BTreeMap::new();
        // Files handed out (to the workers or to this thread) and not yet back.
        let mut out = 0usize;
        while next < files.len() {
            // Keep the workers' queue filled: up to 4 files a job handed out at once.
            if let Some(tx) = &work_tx {
                while sent < files.len() && sent < next + window && out < 4 * jobs {
                    if tx.send(sent).is_err() {
                        break;
                    }
                    sent += 1;
                    out += 1;
                }
            }
            let done = match done_rx.try_recv() {
                Ok(done) => Some(done),
                // Nothing back yet: check the next file here, while there is one to check.
                Err(_) if sent < files.len() && sent < next + window => {
                    let i = sent;
                    sent += 1;
                    out += 1;
                    Some((i, check(i), None))
                }
                Err(_) => done_rx.recv().ok(),
            };
            let Some((i, result, worker)) = done else {
                break;
            };
            out = out.saturating_sub(1);
            match result {
                Ok(checked) => {
                    waiting.insert(i, (checked, worker));
                }
                Err(payload) => {
                    panic = Some(payload);
                    break;
                }
            }
            while let Some((checked, worker)) = waiting.remove(&next) {
                emit(next, &files.get(next).unwrap_or_default(), &checked)?;
                next += 1;
                if let Some(back) = worker.and_then(|w| give_back.get(w)) {
                    // Should that worker have stopped, the send fails and the result is
                    // freed here instead.
                    let _ = back.send(checked);
                }
            }
            if sent == files.len() {
                // No more work: the workers stop when the queue is empty.
                work_tx = None;
            }
        }
        Ok(())
        // Leaving the scope drops the work queue: the workers finish the files they hold and
        // stop; the scope waits for them.
    });
    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    result
}

/// How a run goes: how many files are checked at once, and whether a progress bar is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Files checked at once (0: [`default_jobs`]); the output does not depend on it.
    pub jobs: usize,
    /// A progress bar on standard error ([`ProgressSink`]), drawn only when standard error
    /// is a terminal.
    pub progress: bool,
}

impl Default for RunOptions {
    /// Every core, no progress bar.
    fn default() -> Self {
        RunOptions {
            jobs: 0,
            progress: false,
        }
    }
}

/// [`run`] into the sink `output` names, looking as `look` says (colour: pass
/// [`colour_stdout`] when `out` is standard output), with a progress bar beside it when
/// `options` ask for one (cleared while `out` is written, should both be one terminal).
pub fn check_files(
    validator: &Validator,
    files: &Files,
    output: Output,
    look: Look,
    shown: &dyn Fn(&Path) -> String,
    options: RunOptions,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let progress = ProgressSink::new(options.progress);
    let out = progress.writer(out);
    let jobs = options.jobs;
    match output {
        Output::Text => run(
            validator,
            files,
            shown,
            jobs,
            &mut Tee(progress, TextSink::new(out, look)),
        ),
        Output::JsonLines => run(
            validator,
            files,
            shown,
            jobs,
            &mut Tee(progress, JsonLinesSink::new(out)),
        ),
    }
}
