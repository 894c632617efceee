//! `cargo xtask validate [PATH...]`: check the schema files, then every report under PATH
//! (default: `examples/`, without `examples/broken/`).
//! `cargo xtask codegen`: print the Rust generated from the schema, formatted.
//! `cargo xtask bench` / `cargo xtask bench-corpus [--reports N]`: parse and check throughput,
//! on files or on N generated reports.
//! `cargo xtask bench-batch [--reports N] [--jobs J] [--instructions N]`: `xxgk check` over
//! generated corpora (plain HTML, portal pages, text) as a subprocess, beside the Python baseline
//! `bench/baseline.py`; with `--instructions`, also their instructions per report (callgrind).
//! `cargo xtask pgo`: a profile-guided release build of `xxgk`, copied to `target/pgo/xxgk`.
//!
//! Exit status (as `outputs.md`): 0 all passed (warnings allowed), 1 some report or schema
//! has an error, 2 the command could not run.

mod bench_batch;
mod pgo;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xxgk_driver as batch;
use xxgk_validate::Validator;

#[derive(Parser)]
#[command(about = "xxgk project tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Validate the schema, then every report under PATH (default: the bundled examples).
    Validate {
        /// Report files or folders (searched recursively).
        paths: Vec<PathBuf>,
        /// Files checked at once (default: the number of cores).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// No progress bar on standard error.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Measure parse throughput (MB/s, reports/s) per format on the parser's fixtures, and
    /// check throughput (reports/s) on the bundled examples.
    Bench {
        /// Seconds to spend on each input (default 1).
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Report files to measure (default: the parser's fixtures and the examples).
        paths: Vec<PathBuf>,
    },
    /// Measure check throughput on generated reports: N consistent reports of both editions
    /// (agencies over consecutive years, one error injected into every tenth), as canonical
    /// JSON; times `Validator::check_json`, `check_report` on parsed reports, and the checks
    /// across reports.
    BenchCorpus {
        /// How many reports to generate.
        #[arg(long, default_value_t = 10_000)]
        reports: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Measure `xxgk check DIR --format json` (the release binary beside this one, as a
    /// subprocess) on generated corpora: N reports of both editions (one error injected into
    /// every tenth) written as HTML in the national layout and as text (clean and damaged, but
    /// no crawler dumps), with 1 job and with J; beside `bench/baseline.py` (html.parser and
    /// section 三's balance) on the HTML. Prints the medians of the runs: MB/s, reports/s,
    /// peak RSS, the ratio to Python.
    BenchBatch {
        /// How many reports to generate.
        #[arg(long, default_value_t = 2_000)]
        reports: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Jobs of the parallel run (default: the cores), when `xxgk check` has `--jobs`.
        #[arg(long)]
        jobs: Option<usize>,
        /// Runs of each measurement (the median is shown).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Where to write the corpora (default: target/bench-batch).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The `xxgk` binary to measure (default: target/release/xxgk when built, else the
        /// one beside this xtask).
        #[arg(long)]
        xxgk: Option<PathBuf>,
        /// Keep the corpora in DIR as they are (measure another binary on the same files).
        #[arg(long)]
        reuse: bool,
        /// Also count the instructions per report of `xxgk check --jobs 1` and of the Python
        /// baseline under callgrind, on the first N reports (needs valgrind): a ratio that
        /// does not move with the machine's load, as times do.
        #[arg(long, value_name = "N")]
        instructions: Option<usize>,
    },
    /// Build `xxgk` profile-guided: with counters, run over N generated reports (seed S, not
    /// the benchmark's) and the repository's fixtures, then again with the counts
    /// (`target/pgo/xxgk`). Needs `rustup component add llvm-tools`.
    Pgo {
        /// How many generated reports to train on.
        #[arg(long, default_value_t = 1_000)]
        reports: usize,
        /// Seed of the training corpus (the benchmark's is 1).
        #[arg(long, default_value_t = pgo::TRAINING_SEED)]
        seed: u64,
    },
    /// Run a program and write its CPU time and peak RSS to FILE (what `bench-batch` measures
    /// each run with).
    #[command(hide = true)]
    Rusage {
        file: PathBuf,
        program: PathBuf,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Print the Rust code the macro generates from the schema.
    Codegen {
        /// The schema file (default: schema/annual-report.schema.json).
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Validate { paths, jobs, quiet } => validate(paths, jobs, quiet),
        Task::Codegen { schema, out } => codegen(schema, out),
        Task::Rusage {
            file,
            program,
            args,
        } => bench_batch::rusage(&file, &program, &args),
        Task::Bench { seconds, paths } => bench(seconds, paths),
        Task::BenchCorpus { reports, seed } => bench_corpus(reports, seed),
        Task::Pgo { reports, seed } => pgo::run(&root(), reports, seed),
        Task::BenchBatch {
            reports,
            seed,
            jobs,
            runs,
            dir,
            xxgk,
            reuse,
            instructions,
        } => bench_batch::run(&bench_batch::Settings {
            reports,
            seed,
            jobs,
            runs,
            xxgk,
            reuse,
            instructions,
            dir: dir.unwrap_or_else(|| root().join("target/bench-batch")),
            root: root(),
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn codegen(schema: Option<PathBuf>, out: Option<PathBuf>) -> Result<ExitCode, String> {
    let path = schema.unwrap_or_else(|| root().join("schema/annual-report.schema.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let shown = path
        .strip_prefix(root())
        .unwrap_or(&path)
        .display()
        .to_string();
    // Show `include_str!("schema/…")` as the macro does, rather than the inlined text.
    let options = xxgk_codegen::Options {
        schema_path: Some(shown.clone()),
        ..Default::default()
    };
    let code = match xxgk_codegen::generate_pretty(&text, &options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}{e}", path.display());
            return Ok(ExitCode::from(1));
        }
    };
    let text = format!(
        "// Generated by xxgk-codegen from {shown}. Do not edit: change the schema.\n\n{code}"
    );
    match out {
        Some(out) => std::fs::write(&out, text)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?,
        None => {
            use std::io::Write;
            // A closed pipe (`| head`) is not an error worth a message.
            match std::io::stdout().write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(format!("cannot write: {e}"));
                }
                _ => {}
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Problems with one schema file: JSON, the 2020-12 meta-schema, then the generator's rules.
fn schema_problems(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return Ok(vec![format!("not valid JSON: {e}")]),
    };
    if value.get("$schema").and_then(|s| s.as_str())
        != Some("https://json-schema.org/draft/2020-12/schema")
    {
        return Ok(vec![
            "`$schema` must be https://json-schema.org/draft/2020-12/schema".into(),
        ]);
    }
    let meta = jsonschema::meta::validator_for(&value)
        .map_err(|e| format!("cannot load the meta-schema: {e}"))?;
    let mut problems: Vec<String> = meta
        .iter_errors(&value)
        .map(|e| format!("meta-schema: #{}: {e}", e.instance_path()))
        .collect();
    if problems.is_empty()
        && let Err(e) = xxgk_codegen::generate(&text, &xxgk_codegen::Options::default())
    {
        problems.push(format!("generator: {e}"));
    }
    Ok(problems)
}

fn validate(paths: Vec<PathBuf>, jobs: Option<usize>, quiet: bool) -> Result<ExitCode, String> {
    let root = root();
    let mut failed = false;

    let schema_dir = root.join("schema");
    let mut schemas = batch::Files::new();
    batch::collect(&schema_dir, &[], &mut schemas)
        .map_err(|e| format!("{}: {e}", schema_dir.display()))?;
    for schema in &schemas {
        let schema = schema.as_path();
        let problems = schema_problems(schema)?;
        let shown = schema.strip_prefix(&root).unwrap_or(schema).display();
        if problems.is_empty() {
            println!("ok   {shown}  (schema: 2020-12 meta-schema and generator rules)");
        } else {
            failed = true;
            println!("FAIL {shown}");
            for p in problems {
                println!("     {p}");
            }
        }
    }

    let examples = root.join("examples");
    let mut files = batch::Files::new();
    let found = if paths.is_empty() {
        batch::collect(&examples, &[examples.join("broken")], &mut files)
            .map_err(|e| format!("{}: {e}", examples.display()))
    } else {
        paths.iter().try_for_each(|p| {
            batch::collect(p, &[], &mut files).map_err(|e| format!("{}: {e}", p.display()))
        })
    };
    found?;
    let validator = Validator::new().map_err(|e| e.to_string())?;
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let look = batch::Look {
        colour: batch::colour_stdout(),
        lang: xxgk_model::message::Lang::from_env(),
    };
    let summary = batch::check_files(
        &validator,
        &files,
        batch::Output::Text,
        look,
        &shown,
        batch::RunOptions {
            jobs: jobs.unwrap_or(0),
            progress: !quiet,
        },
        &mut std::io::stdout().lock(),
    )
    .map_err(|e| format!("cannot write: {e}"))?;
    if failed {
        println!("the schema has problems (see above)");
    }
    Ok(ExitCode::from(if failed { 1 } else { summary.exit_code() }))
}

/// Time `f` repeatedly for about `seconds`; the mean time per call in seconds.
fn time_per_call(seconds: f64, mut f: impl FnMut()) -> f64 {
    let start = std::time::Instant::now();
    let mut calls = 0u64;
    while calls < 3 || start.elapsed().as_secs_f64() < seconds {
        f();
        calls += 1;
    }
    start.elapsed().as_secs_f64() / calls as f64
}

fn bench(seconds: f64, paths: Vec<PathBuf>) -> Result<ExitCode, String> {
    let root = root();
    let mut files = batch::Files::new();
    let defaults = [
        root.join("crates/xxgk-parse/tests/fixtures"),
        root.join("examples"),
    ];
    let found = if paths.is_empty() {
        defaults.iter().filter(|p| p.exists()).try_for_each(|p| {
            batch::collect(p, &[root.join("examples/broken")], &mut files)
                .map_err(|e| format!("{}: {e}", p.display()))
        })
    } else {
        paths.iter().try_for_each(|p| {
            batch::collect(p, &[], &mut files).map_err(|e| format!("{}: {e}", p.display()))
        })
    };
    found?;
    let validator = Validator::new().map_err(|e| e.to_string())?;
    println!(
        "{:<60} {:>8} {:>10} {:>12}",
        "file", "KiB", "MB/s", "reports/s"
    );
    // Per kind: bytes, seconds per pass over its files, pages (PDF only).
    let mut by_kind: std::collections::BTreeMap<String, (f64, f64, usize)> =
        std::collections::BTreeMap::new();
    for file in &files {
        let file = file.as_path();
        let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let json = file.extension().is_some_and(|e| e == "json");
        let format = xxgk_parse::detect(&bytes, Some(file));
        let options = xxgk_parse::Options::default();
        let per_call = if json {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            time_per_call(seconds, || {
                drop(std::hint::black_box(validator.check_json(&text)))
            })
        } else {
            time_per_call(seconds, || {
                drop(std::hint::black_box(xxgk_parse::parse(
                    &bytes,
                    Some(file),
                    &options,
                )))
            })
        };
        let mb_s = bytes.len() as f64 / per_call / 1e6;
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        println!(
            "{shown:<60} {:>8.1} {mb_s:>10.2} {:>12.0}",
            bytes.len() as f64 / 1024.0,
            1.0 / per_call
        );
        let kind = if json {
            "json (check)".to_owned()
        } else {
            format!("{format:?} (parse)").to_lowercase()
        };
        let pages = if format == xxgk_parse::Format::Pdf {
            xxgk_pdf::read(&bytes, &xxgk_pdf::Limits::default()).map_or(0, |pdf| pdf.pages.len())
        } else {
            0
        };
        let e = by_kind.entry(kind).or_default();
        e.0 += bytes.len() as f64;
        e.1 += per_call;
        e.2 += pages;
    }
    println!();
    for (kind, (bytes, secs, pages)) in by_kind {
        let per_page = if pages > 0 {
            format!(" {:>10.0} pages/s", pages as f64 / secs)
        } else {
            String::new()
        };
        println!("{kind:<20} {:>10.2} MB/s{per_page}", bytes / secs / 1e6);
    }
    Ok(ExitCode::SUCCESS)
}

/// `bench-corpus`: check throughput on `n` generated reports (see `xxgk_testkit::synth`).
fn bench_corpus(n: usize, seed: u64) -> Result<ExitCode, String> {
    use std::time::Instant;
    use xxgk_model::{Edition, Report};
    use xxgk_testkit::synth;
    use xxgk_validate::{Status, check_report, corpus};
    if n == 0 {
        return Err("--reports must be at least 1".into());
    }
    let start = Instant::now();
    let mut rng = synth::Rng::new(seed);
    let mut reports = synth::corpus(&mut rng, n);
    let cells = [Edition::E2019, Edition::E2021].map(synth::equality_cells);
    let mut injected = 0;
    for report in reports.iter_mut().step_by(10) {
        let cells = if report.edition() == Edition::E2019 {
            &cells[0]
        } else {
            &cells[1]
        };
        synth::inject(&mut rng, report, cells);
        injected += 1;
    }
    let texts: Vec<String> = reports.iter().map(Report::to_json_pretty).collect();
    drop(reports);
    let bytes: usize = texts.iter().map(String::len).sum();
    let generated = start.elapsed();
    let editions = |e: Edition| {
        texts
            .iter()
            .filter(|t| t.contains(&format!("\"edition\": \"{e}\"")))
            .count()
    };
    println!(
        "{n} reports generated in {:.2?} ({} of the 2019 edition, {} of 2021; {injected} with one injected error), {:.1} MiB of canonical JSON ({:.1} KiB each)",
        generated,
        editions(Edition::E2019),
        editions(Edition::E2021),
        bytes as f64 / 1048576.0,
        bytes as f64 / n as f64 / 1024.0
    );

    let validator = Validator::new().map_err(|e| e.to_string())?;
    let rate = |secs: f64| n as f64 / secs;

    // (a) From JSON text: syntax, schema, model, constraints, localisation.
    let t = Instant::now();
    let mut failed = 0;
    for text in &texts {
        let checked = std::hint::black_box(validator.check_json(text));
        failed += usize::from(checked.status() == Status::Failed);
    }
    let json_secs = t.elapsed().as_secs_f64();
    println!(
        "(a) Validator::check_json   {:>10.0} reports/s  {:>7.1} MB/s  ({json_secs:.2} s; {failed} reports failed)",
        rate(json_secs),
        bytes as f64 / json_secs / 1e6
    );
    if failed != injected {
        return Err(format!(
            "{failed} reports failed, but {injected} had an error injected"
        ));
    }

    // (b) Reports already in the model: constraints, localisation, metadata, plausibility.
    let t = Instant::now();
    let parsed: Vec<Report> = texts
        .iter()
        .map(|t| Report::from_json(t))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let parse_secs = t.elapsed().as_secs_f64();
    let entries: Vec<corpus::Entry> = parsed
        .iter()
        .enumerate()
        .map(|(i, r)| {
            corpus::Entry::new(
                format!("report-{i}.json"),
                r.meta.agency.clone().unwrap_or_default(),
                r.meta.year.unwrap_or_default(),
                &r.tables,
            )
        })
        .collect();
    let t = Instant::now();
    let mut failed = 0;
    for report in parsed {
        let checked = std::hint::black_box(check_report(report));
        failed += usize::from(checked.status() == Status::Failed);
    }
    let check_secs = t.elapsed().as_secs_f64();
    println!(
        "(b) check_report            {:>10.0} reports/s               ({check_secs:.2} s; {failed} reports failed)",
        rate(check_secs)
    );
    println!(
        "    (Report::from_json alone {:>9.0} reports/s  {:>7.1} MB/s)",
        rate(parse_secs),
        bytes as f64 / parse_secs / 1e6
    );

    // (c) Across reports: continuity of consecutive years, duplicates. The best of 5 runs.
    let agencies: std::collections::BTreeSet<String> = entries
        .iter()
        .map(|e| corpus::agency_key(&e.agency))
        .collect();
    let mut best = f64::INFINITY;
    let mut warnings = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let found = std::hint::black_box(corpus::check(&entries));
        best = best.min(t.elapsed().as_secs_f64());
        warnings = found.len();
    }
    println!(
        "(c) corpus::check           {:>10.0} reports/s               ({:.1} ms for {n} reports of {} agencies; {warnings} warnings across reports)",
        rate(best),
        best * 1e3,
        agencies.len()
    );
    Ok(ExitCode::SUCCESS)
}
