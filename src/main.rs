//! The `xxgk` command. Exit status: 0 every report passed (warnings allowed), 1 some report
//! has an error, 2 the command could not run.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use xxgk::driver as batch;
use xxgk::model::message::{Lang, Message, Naming};
use xxgk::validate::Validator;

// glibc's allocator cost a quarter of a batch's time (many small strings per cell); mimalloc
// halves that and keeps its caches per thread, so `--jobs N` does not contend. Without
// transparent huge pages: they doubled the resident set of a batch for no measurable speed.
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc, through its plain `malloc` when the alignment asked for is one every block of
/// that size has anyway. (The `mimalloc` crate always goes through the aligned entry points,
/// which test for that case themselves: some 18 instructions more an allocation, and a plain
/// HTML report allocates some 1,700 times; 1.6% of a batch's instructions, 2.4% on text.)
struct Mimalloc;

/// The alignment every mimalloc block has when it is no larger than the block
/// (`MI_MAX_ALIGN_SIZE`; `mi_malloc_is_naturally_aligned` in `alloc-aligned.c`).
const NATURAL_ALIGN: usize = 16;

fn natural(align: usize, size: usize) -> bool {
    align <= NATURAL_ALIGN && align <= size
}

/// A block of `layout` from mimalloc's `plain` entry point when its alignment is natural,
/// else from `aligned`.
///
/// # Safety
/// As for [`std::alloc::GlobalAlloc::alloc`]; `plain` and `aligned` are mimalloc's.
#[inline]
unsafe fn allocate(
    layout: std::alloc::Layout,
    plain: unsafe extern "C" fn(usize) -> *mut std::ffi::c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: mimalloc's own calls, with the arguments the `mimalloc` crate passes, but for the
    // plain entry point where the aligned one would take it itself (`natural`).
    unsafe {
        if natural(align, size) {
            plain(size).cast()
        } else {
            aligned(size, align).cast()
        }
    }
}

// SAFETY: every block comes from mimalloc (`allocate`, `realloc`) and goes back to it.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: `allocate`'s contract is `alloc`'s, and these are mimalloc's functions.
        unsafe {
            allocate(
                layout,
                libmimalloc_sys::mi_malloc,
                libmimalloc_sys::mi_malloc_aligned,
            )
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            allocate(
                layout,
                libmimalloc_sys::mi_zalloc,
                libmimalloc_sys::mi_zalloc_aligned,
            )
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _: std::alloc::Layout) {
        // SAFETY: `ptr` came from mimalloc (`allocate`, `realloc`).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from mimalloc, and the plain entry point is taken only where the
        // aligned one would take it itself (`natural`).
        unsafe {
            if natural(align, size) {
                libmimalloc_sys::mi_realloc(ptr.cast(), size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), size, align).cast()
            }
        }
    }
}

#[derive(Parser)]
#[command(
    name = "xxgk",
    version,
    about = "Government information disclosure annual reports as typed, checked data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of what people read (messages, the review page, workbook notes); codes,
    /// JSON and CSV stay as they are. Default: from the locale (LC_ALL, LC_MESSAGES, LANG:
    /// zh_* is Chinese), else English.
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A line per report, its diagnostics with the source lines they point at, and a summary.
    Text,
    /// One JSON object per report and line; one pretty JSON document for a single report.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    /// Canonical JSON (outputs.md), diagnostics included.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Read a report (PDF, Word .docx, HTML, Markdown, plain or PDF-extracted text) and print it
    /// as canonical JSON.
    Parse {
        /// The report file, or `-` for standard input; its format follows from its content
        /// (magic bytes, ZIP members, markup), its name (.pdf, .docx, .html, .md, else text)
        /// breaking ties.
        file: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: ParseFormat,
    },
    /// Check reports (canonical JSON, or any format `parse` reads): structure against the
    /// schema, then every constraint.
    Check {
        /// Report files or folders (searched recursively for .json files and the formats
        /// `parse` reads); `-` reads one report from standard input (canonical JSON, or any
        /// format `parse` reads).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Export reports: canonical JSON, long or wide CSV, Excel, HTML pages, Markdown, Parquet.
    Export {
        /// Report files or folders (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// json, jsonl, csv, csv-wide, xlsx, html, markdown or parquet.
        #[arg(long, value_parser = export_format())]
        format: xxgk::export::run::Format,
        /// The folder to write into (created if missing).
        #[arg(long)]
        output: PathBuf,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Print the JSON Schema of canonical reports.
    Schema,
}

/// How a batch runs.
#[derive(clap::Args)]
struct RunArgs {
    /// Files checked at once (default: the number of cores); the output is the same for any
    /// number.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// No progress bar (it is shown on standard error only when that is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
}

impl RunArgs {
    fn options(&self) -> batch::RunOptions {
        batch::RunOptions {
            jobs: self.jobs.map_or(0, usize::from),
            progress: !self.quiet,
        }
    }
}

/// The files `paths` name: `-` is standard input, folders are walked.
fn files_of(paths: &[PathBuf], lang: Lang) -> Result<batch::Files, String> {
    let mut files = batch::Files::new();
    for p in paths {
        if batch::is_stdin(p) {
            files.push(p);
        } else {
            collect(p, &mut files, lang)?;
        }
    }
    Ok(files)
}

/// The report files at `p` added to `files`. A folder that holds none is said on standard
/// error: a folder of `.doc` files would otherwise pass as "0 reports".
fn collect(p: &std::path::Path, files: &mut batch::Files, lang: Lang) -> Result<(), String> {
    let before = files.len();
    batch::collect(p, &[], files).map_err(|e| batch::unreadable(p, e).render(lang, Naming::Ids))?;
    if files.len() == before && p.is_dir() {
        let extensions: Vec<String> = std::iter::once("json")
            .chain(xxgk::parse::extensions())
            .map(|e| format!(".{e}"))
            .collect();
        let note = Message::new("ui.cli.no_report_files")
            .arg("folder", p.display().to_string())
            .arg("extensions", extensions.join(" "))
            .render(lang, Naming::Ids);
        eprintln!("xxgk: {note}");
    }
    Ok(())
}

/// mimalloc's `mi_option_purge_delay`: how many milliseconds freed memory stays with the
/// process before it is given back to the system.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Freed memory given back after 1 ms instead of mimalloc's 10: a batch frees a report's
    // memory every millisecond or so, and with 10 ms, up to several MB of it were held at
    // once, more the longer the run (peak RSS with 2 jobs, text, one run each: 2,000 reports
    // 21.4 MB, 20,000 28.6 MB; with 1 ms 19.7 and 25.1). Giving it back at once (0) cost four
    // times the system time. The delay set in the environment still decides (mimalloc reads
    // `MIMALLOC_PURGE_DELAY` and its old name `MIMALLOC_RESET_DELAY` in any case).
    let set_by_user = std::env::vars_os().any(|(name, _)| {
        name.to_str().is_some_and(|n| {
            n.eq_ignore_ascii_case("MIMALLOC_PURGE_DELAY")
                || n.eq_ignore_ascii_case("MIMALLOC_RESET_DELAY")
        })
    });
    if !set_by_user {
        // SAFETY: set before any other thread runs (mimalloc's options are not
        // synchronised); only mimalloc's table of options is written.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1) };
    }
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xxgk: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let mut stdout = std::io::stdout().lock();
    let lang = match cli.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    match cli.command {
        Command::Schema => {
            write_out(&mut stdout, xxgk::model::SCHEMA_JSON.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse {
            file,
            format: ParseFormat::Json,
        } => {
            use xxgk::parse::{Options, ParseError, parse, parse_file};
            let stdin = batch::is_stdin(&file);
            let parsed = if stdin {
                let bytes = batch::read_stdin().map_err(|e| {
                    batch::unreadable(std::path::Path::new(batch::STDIN_NAME), e)
                        .render(lang, Naming::Ids)
                })?;
                parse(&bytes, None, &Options::default())
            } else {
                parse_file(&file, &Options::default())
            };
            match parsed {
                Ok(parsed) => {
                    let report = parsed.report;
                    write_out(&mut stdout, (report.to_json_pretty() + "\n").as_bytes())?;
                    let failed = report
                        .diagnostics
                        .iter()
                        .any(|d| d.severity == xxgk::model::diagnostic::Severity::Error);
                    Ok(ExitCode::from(u8::from(failed)))
                }
                Err(e) => {
                    let said = batch::in_file(&batch::shown_path(&file), &e)
                        .render(lang, Naming::labels());
                    match e {
                        // A path that cannot be read: the command could not run.
                        ParseError::Unreadable { .. } => {
                            Err(format!("error[{}]: {said}", e.code()))
                        }
                        _ => {
                            eprintln!("xxgk: error[{}]: {said}", e.code());
                            Ok(ExitCode::from(1))
                        }
                    }
                }
            }
        }
        Command::Export {
            paths,
            format,
            output,
            run,
        } => {
            use xxgk::driver::export::export_files;
            let mut files = batch::Files::new();
            for p in &paths {
                collect(p, &mut files, lang)?;
            }
            let outcome = export_files(&files, format, lang, &output, run.options())
                .map_err(|e| e.to_string())?;
            for (what, why) in &outcome.failed {
                eprintln!("xxgk: {what}: {why}");
            }
            let summary = Message::new("ui.cli.export_summary")
                .arg("reports", outcome.reports)
                .arg("with_errors", outcome.with_errors)
                .arg("written", outcome.written)
                .arg("folder", output.display().to_string())
                .arg("failed", outcome.failed.len())
                .render(lang, Naming::Ids);
            write_out(&mut stdout, format!("{summary}\n").as_bytes())?;
            Ok(ExitCode::from(u8::from(
                outcome.with_errors > 0 || !outcome.failed.is_empty(),
            )))
        }
        Command::Check { paths, format, run } => {
            let files = files_of(&paths, lang)?;
            // Compiled only if a canonical JSON report comes.
            let validator = Validator::lazy();
            let output = match format {
                Format::Text => batch::Output::Text,
                Format::Json => batch::Output::JsonLines,
            };
            let look = batch::Look {
                colour: batch::colour_stdout(),
                lang,
            };
            let options = run.options();
            match batch::check_files(
                &validator,
                &files,
                output,
                look,
                &batch::shown_path,
                options,
                &mut stdout,
            ) {
                Ok(summary) => Ok(ExitCode::from(summary.exit_code())),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
                Err(e) => Err(format!("cannot write: {e}")),
            }
        }
    }
}

/// The export formats' names, with what each writes, for `--format` and its help.
fn export_format() -> impl clap::builder::TypedValueParser<Value = xxgk::export::run::Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = xxgk::export::run::Format::ALL
        .iter()
        .map(|(_, name, help)| PossibleValue::new(*name).help(*help));
    PossibleValuesParser::new(values).try_map(|s| s.parse::<xxgk::export::run::Format>())
}

fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<(), String> {
    match out.write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write: {e}")),
        _ => Ok(()),
    }
}
