//! `cargo xtask bench-batch`: the batch as users run it, `xxgk check DIR --format json` in a
//! subprocess, on generated corpora beside the Python baseline: the same reports as plain HTML
//! (the national layout's elements only), as portal pages (Word's markup inside a portal's
//! page, as most reports are published), and as text with every kind of damage.
//!
//! Every measurement is a child process: its wall time, and its peak resident set from
//! `wait4`'s resource usage. The runs of each round alternate the runners, so that load from
//! elsewhere on the machine falls on all of them alike; the medians are printed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;
use xxgk_model::Edition;
use xxgk_testkit::degrade::{Damage, render, render_html, render_portal_html};
use xxgk_testkit::synth;

/// What to measure (the command's options).
pub(crate) struct Settings {
    pub(crate) reports: usize,
    pub(crate) seed: u64,
    pub(crate) jobs: Option<usize>,
    pub(crate) runs: usize,
    pub(crate) xxgk: Option<PathBuf>,
    pub(crate) reuse: bool,
    /// Count instructions under callgrind on this many reports of each corpus.
    pub(crate) instructions: Option<usize>,
    pub(crate) dir: PathBuf,
    pub(crate) root: PathBuf,
}

/// A generated corpus on disk.
pub(crate) struct Corpus {
    name: &'static str,
    pub(crate) dir: PathBuf,
    files: usize,
    bytes: u64,
}

/// Whether the corpus `name` is of HTML pages (the Python baseline reads those).
fn is_html(name: &str) -> bool {
    name != "text"
}

/// One child process run.
#[derive(Debug, Clone, Copy)]
struct Run {
    seconds: f64,
    /// CPU time (user and system), seconds: what the run cost, whatever else the machine ran.
    cpu: f64,
    /// Peak resident set, KiB.
    max_rss: u64,
}

/// A way to check a corpus: a command line.
struct Runner {
    name: String,
    program: PathBuf,
    args: Vec<String>,
}

/// Run `program args` with its standard output to `out`; its wall time, CPU time and peak RSS.
///
/// The child is started by a fresh, small copy of this xtask ([`rusage`]), not by this
/// process: Linux counts into a program's peak RSS the peak of the process that started it
/// (its memory is the child's until `exec`), and this one holds the corpus it generated.
fn measure(program: &Path, args: &[String], out: &Path) -> Result<Run, String> {
    let file =
        std::fs::File::create(out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let usage_file = out.with_extension("rusage");
    let this = std::env::current_exe().map_err(|e| format!("cannot find the xtask: {e}"))?;
    let start = Instant::now();
    let status = Command::new(this)
        .arg("rusage")
        .arg(&usage_file)
        .arg(program)
        .args(args)
        .stdout(file)
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    if !ran(status) {
        return Err(format!(
            "{} {} failed ({status})",
            program.display(),
            args.join(" ")
        ));
    }
    let usage = std::fs::read_to_string(&usage_file)
        .map_err(|e| format!("cannot read {}: {e}", usage_file.display()))?;
    let numbers: Vec<f64> = usage
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [cpu, max_rss] = numbers[..] else {
        return Err(format!("{}: not a usage: {usage}", usage_file.display()));
    };
    Ok(Run {
        seconds,
        cpu,
        max_rss: max_rss as u64,
    })
}

/// `cargo xtask rusage FILE PROGRAM ARGS…` (what [`measure`] runs): run the program, then
/// write to FILE its CPU seconds and peak RSS (KiB), and exit with its status.
pub(crate) fn rusage(file: &Path, program: &Path, args: &[String]) -> Result<ExitCode, String> {
    let child = Command::new(program)
        .args(args)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is valid, and `wait4` writes it and the status only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for (`Child` is dropped without waiting).
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!("cannot wait for {}", program.display()));
    }
    let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    std::fs::write(file, format!("{cpu} {}\n", usage.ru_maxrss))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        2
    };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Write `count` generated reports from `seed` in `dir` (or, with `reuse`, find those written
/// before): every report as plain HTML in `html/`, as a portal page in `portal/` (some 146 KB
/// each: 2,000 take some 290 MB), and as text with a kind of damage in turn in `text/`. Every
/// page is also read through html5ever, to check the fast path's reading. Returns the corpora
/// and how many reports have an injected error.
pub(crate) fn generate(
    count: usize,
    seed: u64,
    dir: &Path,
    reuse: bool,
) -> Result<(Vec<Corpus>, usize), String> {
    let mut rng = synth::Rng::new(seed);
    let mut reports = synth::corpus(&mut rng, count);
    let cells = [Edition::E2019, Edition::E2021].map(synth::equality_cells);
    let mut injected = 0;
    for report in reports.iter_mut().step_by(10) {
        let cells = &cells[usize::from(report.edition() == Edition::E2021)];
        synth::inject(&mut rng, report, cells);
        injected += 1;
    }
    // Crawler dumps are left out: their digit runs are read every possible way, seconds a
    // report, a measure of that search rather than of the batch.
    let damages: Vec<Damage> = Damage::ALL
        .into_iter()
        .filter(|d| *d != Damage::NoSeparators)
        .collect();
    let mut corpora = Vec::new();
    for name in ["html", "portal", "text"] {
        let dir = dir.join(name);
        if reuse && dir.exists() {
            let mut files = xxgk_driver::Files::new();
            xxgk_driver::collect(&dir, &[], &mut files).map_err(|e| e.to_string())?;
            let bytes = files
                .iter()
                .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
                .sum();
            corpora.push(Corpus {
                name,
                dir,
                files: files.len(),
                bytes,
            });
            continue;
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut bytes = 0;
        let mut fast = 0;
        for (i, report) in reports.iter().enumerate() {
            let (file, text) = if name == "html" {
                (format!("{i:05}.html"), render_html(report))
            } else if name == "portal" {
                (format!("{i:05}.html"), render_portal_html(report))
            } else {
                let damage = damages[i % damages.len()];
                let r = render(report, damage, &mut rng);
                let ext = Path::new(r.name).extension().and_then(|e| e.to_str());
                (format!("{i:05}.{}", ext.unwrap_or("txt")), r.text)
            };
            if is_html(name) {
                // The HTML fast path must read every page as html5ever does (see
                // `xxgk_parse::html_fast_path_agrees`).
                match xxgk_parse::html_fast_path_agrees(&text) {
                    Some(true) => fast += 1,
                    Some(false) => {
                        return Err(format!(
                            "{file}: the HTML fast path reads it otherwise than html5ever"
                        ));
                    }
                    None => {}
                }
            }
            bytes += text.len() as u64;
            let path = dir.join(file);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        if is_html(name) {
            println!(
                "{name}: {fast} of {} pages read by the fast path, each equal to html5ever's reading",
                reports.len()
            );
        }
        corpora.push(Corpus {
            name,
            dir,
            files: reports.len(),
            bytes,
        });
    }
    Ok((corpora, injected))
}

/// Reports `xxgk check --format json` said failed, in its output `out`.
fn failed_in(out: &Path) -> usize {
    std::fs::read_to_string(out)
        .unwrap_or_default()
        .matches("\"status\":\"failed\"")
        .count()
}

pub(crate) fn run(s: &Settings) -> Result<ExitCode, String> {
    if s.reports == 0 || s.runs == 0 {
        return Err("--reports and --runs must be at least 1".into());
    }
    // Found wanting now, not after minutes of timing.
    let python = match s.instructions {
        Some(n) if n < 2 => return Err("--instructions must be at least 2".into()),
        Some(_) => {
            Command::new("valgrind")
                .arg("--version")
                .output()
                .map_err(|e| format!("--instructions needs valgrind: {e}"))?;
            Some(python_executable()?)
        }
        None => None,
    };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // A debug build measures nothing worth knowing: the release binary of the same target
    // folder when there is one, else the one beside this xtask.
    let release = exe
        .parent()
        .and_then(|d| d.parent())
        .map(|t| t.join("release").join("xxgk"));
    let xxgk = s.xxgk.clone().unwrap_or_else(|| match release {
        Some(r) if r.exists() => r,
        _ => exe.with_file_name("xxgk"),
    });
    println!("measuring {}", xxgk.display());
    if !xxgk.exists() {
        return Err(format!(
            "{} is missing: build it first (cargo build --release)",
            xxgk.display()
        ));
    }
    let help = Command::new(&xxgk)
        .args(["check", "--help"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", xxgk.display()))?;
    let has_jobs = String::from_utf8_lossy(&help.stdout).contains("--jobs");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = s.jobs.unwrap_or(cores);

    let start = Instant::now();
    let (corpora, injected) = generate(s.reports, s.seed, &s.dir, s.reuse)?;
    println!(
        "{} reports in {} ({injected} with one injected error), generated in {:.1?}; {cores} cores; xxgk check {}",
        s.reports,
        s.dir.display(),
        start.elapsed(),
        if has_jobs {
            format!("--jobs 1 and --jobs {jobs}")
        } else {
            "has no --jobs: single-threaded".to_owned()
        }
    );

    println!(
        "{:<6} {:<22} {:>8} {:>10} {:>10} {:>9} {:>8} {:>8}",
        "corpus", "runner", "MB/s", "reports/s", "MB/cpu-s", "RSS MiB", "×Python", "failed"
    );
    for corpus in &corpora {
        let dir = corpus.dir.display().to_string();
        let mut runners = Vec::new();
        if is_html(corpus.name) {
            runners.push(Runner {
                name: "python3 baseline.py".into(),
                program: "python3".into(),
                args: vec![
                    s.root.join("bench/baseline.py").display().to_string(),
                    dir.clone(),
                ],
            });
        }
        let check = |jobs| check_args(&dir, jobs);
        if has_jobs {
            runners.push(Runner {
                name: "xxgk check --jobs 1".into(),
                program: xxgk.clone(),
                args: check(Some(1)),
            });
            if jobs > 1 {
                runners.push(Runner {
                    name: format!("xxgk check --jobs {jobs}"),
                    program: xxgk.clone(),
                    args: check(Some(jobs)),
                });
            }
        } else {
            runners.push(Runner {
                name: "xxgk check".into(),
                program: xxgk.clone(),
                args: check(None),
            });
        }
        let mut runs: Vec<Vec<Run>> = vec![Vec::new(); runners.len()];
        for _ in 0..s.runs {
            for (r, runner) in runners.iter().enumerate() {
                let out = s.dir.join(format!("{}-{r}.out", corpus.name));
                runs[r].push(measure(&runner.program, &runner.args, &out)?);
            }
        }
        let mut python_per_core = None;
        for (r, runner) in runners.iter().enumerate() {
            let secs = median(runs[r].iter().map(|x| x.seconds).collect());
            let cpu = median(runs[r].iter().map(|x| x.cpu).collect());
            let rss = runs[r].iter().map(|x| x.max_rss).max().unwrap_or(0);
            let mb_s = corpus.bytes as f64 / secs / 1e6;
            // Per core: bytes per second of CPU time, steady under load from elsewhere.
            let per_core = corpus.bytes as f64 / cpu / 1e6;
            let out = s.dir.join(format!("{}-{r}.out", corpus.name));
            let failed = if runner.program == xxgk {
                failed_in(&out).to_string()
            } else {
                let said: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
                        .unwrap_or_default();
                python_per_core = Some(per_core);
                said["failed"].to_string()
            };
            let ratio = python_per_core
                .filter(|_| runner.program == xxgk)
                .map_or(String::from("-"), |p| format!("{:.1}", per_core / p));
            println!(
                "{:<6} {:<22} {mb_s:>8.2} {:>10.0} {per_core:>10.2} {:>9.1} {ratio:>8} {failed:>8}",
                corpus.name,
                runner.name,
                corpus.files as f64 / secs,
                rss as f64 / 1024.0,
            );
        }
        println!(
            "{:<6} {} files, {:.1} MB; medians of {} runs (MB/cpu-s: per second of CPU time; ×Python: of that)",
            "",
            corpus.files,
            corpus.bytes as f64 / 1e6,
            s.runs
        );
    }
    if let (Some(n), Some(python)) = (s.instructions, &python) {
        count_instructions(s, &corpora, &xxgk, has_jobs, python, n)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `xxgk check DIR --format json`, with `--jobs J` when given (a binary from before `--jobs`
/// is measured without it).
fn check_args(dir: &str, jobs: Option<usize>) -> Vec<String> {
    let mut args: Vec<String> = ["check", dir, "--format", "json"].map(String::from).into();
    if let Some(j) = jobs {
        args.extend(["--jobs".into(), j.to_string()]);
    }
    args
}

/// Whether a run of `xxgk check` (or of the baseline) went through: it exits 1 when a report
/// fails (every tenth generated one does), 2 when it could not run.
pub(crate) fn ran(status: std::process::ExitStatus) -> bool {
    status.code().is_some_and(|c| c <= 1)
}

/// Instructions `program args` runs, counted by callgrind.
fn instructions(program: &Path, args: &[String]) -> Result<u64, String> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let said = String::from_utf8_lossy(&out.stderr);
    // Valgrind exits as its program did.
    if !ran(out.status) {
        let tail: Vec<&str> = said.lines().rev().take(5).collect();
        return Err(format!(
            "{} {} failed under valgrind ({}): {}",
            program.display(),
            args.join(" "),
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    collected(&said).ok_or_else(|| format!("valgrind counted nothing: {said}"))
}

/// The Python interpreter itself: run through a launcher script (pyenv's), valgrind would
/// count the script.
fn python_executable() -> Result<PathBuf, String> {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let python = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if python.as_os_str().is_empty() {
        return Err("python3 did not name its executable".into());
    }
    Ok(python)
}

/// The count of callgrind's `==PID== Collected : N` line (the program's own standard error is
/// mixed in: only valgrind's lines are read).
fn collected(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .filter(|l| l.starts_with("=="))
        .find_map(|l| l.split_once("Collected :"))
        .and_then(|(_, n)| n.trim().parse().ok())
}

/// Per corpus, the instructions per report of `xxgk check --jobs 1` (and of the Python
/// baseline, on HTML): a run over the first `n` files less a run over the first alone (the
/// start-up), divided by `n - 1`. Noise-free, where times on a shared machine move by tens of
/// percent.
fn count_instructions(
    s: &Settings,
    corpora: &[Corpus],
    xxgk: &Path,
    has_jobs: bool,
    python: &Path,
    n: usize,
) -> Result<(), String> {
    println!("instructions per report (callgrind; the first n files less the first alone):");
    for corpus in corpora {
        let mut files = xxgk_driver::Files::new();
        xxgk_driver::collect(&corpus.dir, &[], &mut files).map_err(|e| e.to_string())?;
        let n = n.min(files.len());
        if n < 2 {
            println!("{:<6} {n} files: too few to count", corpus.name);
            continue;
        }
        // Per run (over `n` files, over one), xxgk's count and the baseline's.
        let mut runs = Vec::new();
        for (take, name) in [(n, "many"), (1, "one")] {
            let dir = s.dir.join(format!("{}-{name}", corpus.name));
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for f in files.iter().take(take) {
                let to = dir.join(f.file_name().unwrap_or_default());
                std::fs::copy(f, &to).map_err(|e| format!("{}: {e}", to.display()))?;
            }
            let dir = dir.display().to_string();
            let check = check_args(&dir, has_jobs.then_some(1));
            let mut counts = vec![instructions(xxgk, &check)?];
            if is_html(corpus.name) {
                let baseline = s.root.join("bench/baseline.py").display().to_string();
                counts.push(instructions(python, &[baseline, dir.clone()])?);
            }
            runs.push(counts);
        }
        let each = |i: usize| runs[0][i].saturating_sub(runs[1][i]) as f64 / (n - 1) as f64 / 1e6;
        let xxgk_m = each(0);
        if is_html(corpus.name) {
            let python_m = each(1);
            println!(
                "{:<6} n = {n}: xxgk {xxgk_m:.3} M, python3 baseline.py {python_m:.2} M: ×Python {:.1}",
                corpus.name,
                python_m / xxgk_m
            );
        } else {
            println!("{:<6} n = {n}: xxgk {xxgk_m:.3} M", corpus.name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callgrinds_count_is_read_from_its_report() {
        let said = "Collected : 7 (the program's own line)\n==3159== Events    : Ir\n==3159== Collected : 4377875696\n==3159==\n==3159== I   refs:      4,377,875,696\n";
        assert_eq!(collected(said), Some(4_377_875_696));
        assert_eq!(collected("==1== error\n"), None);
    }
}
