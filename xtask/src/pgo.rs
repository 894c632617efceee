//! `cargo xtask pgo`: a profile-guided release build of `xxgk`.
//!
//! The batch is branchy code (a tokenizer, label matching, the checks), and LLVM lays it out
//! and inlines it better when it knows which branches a real batch takes. Three steps:
//!
//! 1. build `xxgk` with counters (`-Cprofile-generate`) in `target/pgo/gen`;
//! 2. run it over generated reports (HTML, and text with every kind of damage; a seed other
//!    than `bench-batch`'s, so that a benchmark does not measure its own training set) and over
//!    the repository's fixtures and examples (Word, PDF, Markdown, broken files);
//! 3. merge the counts with the toolchain's `llvm-profdata` (rustup's `llvm-tools` component,
//!    whose LLVM is rustc's own) and build again with them (`-Cprofile-use`) in
//!    `target/pgo/use`.
//!
//! Both builds have their own target folder (the flags differ from a plain build's, so they
//! rebuild every crate): the plain `target/release` is left as it is. The binary's output is
//! the plain build's; only its speed differs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The default seed of the training corpus (`bench-batch` generates from 1).
pub(crate) const TRAINING_SEED: u64 = 2;

/// `llvm-profdata` of the toolchain that builds: `<sysroot>/lib/rustlib/<host>/bin`.
fn llvm_profdata() -> Result<PathBuf, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let run = |args: &[&str]| -> Result<String, String> {
        let out = Command::new(&rustc)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run rustc: {e}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let sysroot = run(&["--print", "sysroot"])?;
    let version = run(&["-vV"])?;
    let host = host_of(&version).ok_or("rustc -vV names no host")?;
    let path = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(host)
        .join("bin/llvm-profdata");
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: install it with `rustup component add llvm-tools`",
            path.display()
        ))
    }
}

/// The `host:` line of `rustc -vV`.
fn host_of(version: &str) -> Option<&str> {
    version
        .lines()
        .find_map(|l| l.strip_prefix("host:"))
        .map(str::trim)
}

/// `cargo build --release -p xxgk` into `target_dir`, with `flags` added to the rustc flags.
fn build(root: &Path, target_dir: &Path, flags: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut rustflags = std::env::var("RUSTFLAGS").unwrap_or_default();
    if !rustflags.is_empty() {
        rustflags.push(' ');
    }
    rustflags.push_str(flags);
    println!("building xxgk with {flags} in {}", target_dir.display());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "-p", "xxgk", "--target-dir"])
        .arg(target_dir)
        // Cargo gives this precedence over RUSTFLAGS; it is ours to set.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("RUSTFLAGS", rustflags)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the build in {} failed", target_dir.display()));
    }
    Ok(target_dir.join("release/xxgk"))
}

/// `xxgk check PATH --format json --jobs 1`, its output dropped; a failure to run is an error
/// (exit status 1, reports that fail, is not).
fn check(xxgk: &Path, path: &Path) -> Result<(), String> {
    let status = Command::new(xxgk)
        .arg("check")
        .arg(path)
        .args(["--format", "json", "--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", xxgk.display()))?;
    if status.code().is_none_or(|c| c > 1) {
        return Err(format!(
            "{} check {} failed ({status})",
            xxgk.display(),
            path.display()
        ));
    }
    Ok(())
}

/// Build the profile-guided binary, training it on `reports` generated reports from `seed`.
pub(crate) fn run(root: &Path, reports: usize, seed: u64) -> Result<ExitCode, String> {
    let profdata = llvm_profdata()?;
    let pgo = root.join("target/pgo");
    let profiles = pgo.join("profiles");
    if profiles.exists() {
        std::fs::remove_dir_all(&profiles).map_err(|e| format!("{}: {e}", profiles.display()))?;
    }
    let counting = build(
        root,
        &pgo.join("gen"),
        &format!("-Cprofile-generate={}", profiles.display()),
    )?;

    let (corpora, _) = crate::bench_batch::generate(reports, seed, &pgo.join("train"), false)?;
    let mut training: Vec<PathBuf> = corpora.into_iter().map(|c| c.dir).collect();
    training.extend(
        [
            "tests/fixtures",
            "crates/xxgk-parse/tests/fixtures",
            "examples",
        ]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.exists()),
    );
    for path in &training {
        println!("training on {}", path.display());
        check(&counting, path)?;
    }

    let merged = pgo.join("xxgk.profdata");
    let status = Command::new(&profdata)
        .arg("merge")
        .arg("-o")
        .arg(&merged)
        .arg(&profiles)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", profdata.display()))?;
    if !status.success() {
        return Err(format!("{} merge failed ({status})", profdata.display()));
    }
    let binary = build(
        root,
        &pgo.join("use"),
        &format!("-Cprofile-use={}", merged.display()),
    )?;
    println!(
        "wrote {}; measure it with `cargo xtask bench-batch --xxgk {}`",
        binary.display(),
        binary.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_read_from_rustc_version_output() {
        let v = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n";
        assert_eq!(host_of(v), Some("x86_64-unknown-linux-gnu"));
        assert_eq!(host_of("rustc 1.95.0\n"), None);
    }
}
