//! The `xxgk` command. Exit status: 0 every report passed (warnings allowed), 1 some report
//! has an error, 2 the command could not run.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xxgk::driver as batch;
use xxgk::model::message::{Lang, Message, Naming};
use xxgk::validate::Validator;

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
        /// The report file; its format follows from its content (magic bytes, ZIP members,
        /// markup), its name (.pdf, .docx, .html, .md, else text) breaking ties.
        file: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: ParseFormat,
    },
    /// Check reports (canonical JSON, or any format `parse` reads): structure against the
    /// schema, then every constraint.
    Check {
        /// Report files or folders (searched recursively for .json files and the formats
        /// `parse` reads).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
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
    },
    /// Print the JSON Schema of canonical reports.
    Schema,
}

fn main() -> ExitCode {
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
            use xxgk::parse::{Options, ParseError, parse_file};
            match parse_file(&file, &Options::default()) {
                Ok(parsed) => {
                    let report = parsed.report;
                    write_out(&mut stdout, (report.to_json_pretty() + "\n").as_bytes())?;
                    let failed = report
                        .diagnostics
                        .iter()
                        .any(|d| d.severity == xxgk::model::diagnostic::Severity::Error);
                    Ok(ExitCode::from(u8::from(failed)))
                }
                // A path that cannot be read: the command could not run.
                Err(e @ ParseError::Unreadable { .. }) => Err(format!("error[{}]: {e}", e.code())),
                Err(e) => {
                    eprintln!("xxgk: error[{}]: {}: {e}", e.code(), file.display());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Export {
            paths,
            format,
            output,
        } => {
            use xxgk::driver::export::export_files;
            let mut files = Vec::new();
            for p in &paths {
                batch::collect(p, &[], &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            let outcome = export_files(&files, format, lang, &output).map_err(|e| e.to_string())?;
            for (what, why) in &outcome.failed {
                eprintln!("xxgk: {what}: {why}");
            }
            let summary = Message::new("ui.cli.export_summary")
                .arg("reports", outcome.reports)
                .arg("with_errors", outcome.with_errors)
                .arg("written", outcome.written.len())
                .arg("folder", output.display().to_string())
                .arg("failed", outcome.failed.len())
                .render(lang, Naming::Ids);
            write_out(&mut stdout, format!("{summary}\n").as_bytes())?;
            Ok(ExitCode::from(u8::from(
                outcome.with_errors > 0 || !outcome.failed.is_empty(),
            )))
        }
        Command::Check { paths, format } => {
            let mut files = Vec::new();
            for p in &paths {
                batch::collect(p, &[], &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            let validator = Validator::new().map_err(|e| e.to_string())?;
            let output = match format {
                Format::Text => batch::Output::Text,
                Format::Json => batch::Output::JsonLines,
            };
            let shown = |p: &Path| p.display().to_string();
            let look = batch::Look {
                colour: batch::colour_stdout(),
                lang,
            };
            match batch::check_files(&validator, &files, output, look, &shown, &mut stdout) {
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
