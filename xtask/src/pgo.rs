//! `cargo xtask pgo`: a profile-guided release build of `xxgk`.
//!
//! The batch is branchy code (a tokenizer, label matching, the checks), and LLVM lays it out
//! and inlines it better when it knows which branches a real batch takes. Three steps:
//!
//! 1. build `xxgk` with counters (`-Cprofile-generate`) in `target/pgo/gen`;
//! 2. run it over generated reports (plain HTML, portal pages, and text with every kind of
//!    damage; a seed other than `bench-batch`'s, so that a benchmark does not measure its own
//!    training set) and over the repository's fixtures and examples (Word, PDF, Markdown,
//!    broken files);
//! 3. merge the counts with the toolchain's `llvm-profdata` (rustup's `llvm-tools` component,
//!    whose LLVM is rustc's own), build again with them (`-Cprofile-use`) in `target/pgo/use`,
//!    and copy the binary to `target/pgo/xxgk`.
//!
//! Both builds have their own target folder (the flags differ from a plain build's, so they
//! rebuild every crate): the plain `target/release` is left as it is. The binary's output is
//! the plain build's; only its speed differs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The default seed of the training corpus (`bench-batch` generates from 1).
pub(crate) const TRAINING_SEED: u64 = 2;

/// The toolchain that builds: its host triple and its `llvm-profdata`
/// (`<sysroot>/lib/rustlib/<host>/bin`).
struct Toolchain {
    host: String,
    profdata: PathBuf,
}

fn toolchain() -> Result<Toolchain, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let run = |args: &[&str]| -> Result<String, String> {
        let out = Command::new(&rustc)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run rustc: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "rustc {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let sysroot = run(&["--print", "sysroot"])?;
    let version = run(&["-vV"])?;
    let host = host_of(&version).ok_or("rustc -vV names no host")?;
    let profdata = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(host)
        .join("bin/llvm-profdata");
    if !profdata.exists() {
        return Err(format!(
            "{} is missing: install it with `rustup component add llvm-tools`",
            profdata.display()
        ));
    }
    Ok(Toolchain {
        host: host.to_owned(),
        profdata,
    })
}

/// The `host:` line of `rustc -vV`.
fn host_of(version: &str) -> Option<&str> {
    version
        .lines()
        .find_map(|l| l.strip_prefix("host:"))
        .map(str::trim)
}

/// The rustc flags a build starts from, as Cargo reads them from the environment
/// (`CARGO_ENCODED_RUSTFLAGS` before `RUSTFLAGS`), with `flag` added.
fn rustflags_with(encoded: Option<&str>, plain: Option<&str>, flag: &str) -> Vec<String> {
    let mut flags: Vec<String> = match (encoded, plain) {
        (Some(e), _) => e
            .split('\x1f')
            .filter(|f| !f.is_empty())
            .map(String::from)
            .collect(),
        (None, Some(p)) => p.split_whitespace().map(String::from).collect(),
        (None, None) => Vec::new(),
    };
    flags.push(flag.to_owned());
    flags
}

/// `cargo build --release -p xxgk --target <host>` into `target_dir`, with `flag` added to
/// the rustc flags. The explicit target keeps the flag off build scripts and proc-macros (they
/// would be instrumented too, and write their own profiles while the crates compile). Flags
/// are passed encoded, so that a path with a space stays one flag; like any flags from the
/// environment, they stand in for `build.rustflags` of Cargo's configuration files.
fn build(root: &Path, host: &str, target_dir: &Path, flag: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let encoded = std::env::var("CARGO_ENCODED_RUSTFLAGS").ok();
    let plain = std::env::var("RUSTFLAGS").ok();
    let flags = rustflags_with(encoded.as_deref(), plain.as_deref(), flag);
    println!("building xxgk with {flag} in {}", target_dir.display());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "xxgk",
            "--target",
            host,
            "--target-dir",
        ])
        .arg(target_dir)
        .env_remove("RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", flags.join("\x1f"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the build in {} failed", target_dir.display()));
    }
    Ok(target_dir.join(host).join("release/xxgk"))
}

/// `xxgk check PATH --format json --jobs 1`, its output dropped; a failure to run is an error
/// ([`crate::bench_batch::ran`]), xxgk's own message on standard error.
fn check(xxgk: &Path, path: &Path) -> Result<(), String> {
    let status = Command::new(xxgk)
        .arg("check")
        .arg(path)
        .args(["--format", "json", "--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", xxgk.display()))?;
    if !crate::bench_batch::ran(status) {
        return Err(format!(
            "{} check {} failed ({status})",
            xxgk.display(),
            path.display()
        ));
    }
    Ok(())
}

/// Where the profile-guided binary is put: `target/pgo/xxgk`.
pub(crate) const BINARY: &str = "target/pgo/xxgk";

/// Build the profile-guided binary, training it on `reports` generated reports from `seed`.
pub(crate) fn run(root: &Path, reports: usize, seed: u64) -> Result<ExitCode, String> {
    if reports == 0 {
        return Err("--reports must be at least 1".into());
    }
    let toolchain = toolchain()?;
    let pgo = root.join("target/pgo");
    let profiles = pgo.join("profiles");
    if profiles.exists() {
        std::fs::remove_dir_all(&profiles).map_err(|e| format!("{}: {e}", profiles.display()))?;
    }
    let counting = build(
        root,
        &toolchain.host,
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
    let status = Command::new(&toolchain.profdata)
        .arg("merge")
        .arg("-o")
        .arg(&merged)
        .arg(&profiles)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", toolchain.profdata.display()))?;
    if !status.success() {
        return Err(format!(
            "{} merge failed ({status})",
            toolchain.profdata.display()
        ));
    }
    let built = build(
        root,
        &toolchain.host,
        &pgo.join("use"),
        &format!("-Cprofile-use={}", merged.display()),
    )?;
    let binary = root.join(BINARY);
    std::fs::copy(&built, &binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    println!(
        "wrote {}; measure it with `cargo xtask bench-batch --xxgk {BINARY}`",
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

    #[test]
    fn the_flag_is_added_to_the_environments_flags_encoded_first() {
        let flag = "-Cprofile-use=/a b/x.profdata";
        assert_eq!(rustflags_with(None, None, flag), vec![flag]);
        assert_eq!(
            rustflags_with(None, Some(" -Ctarget-cpu=native  -g "), flag),
            vec!["-Ctarget-cpu=native", "-g", flag]
        );
        // Cargo reads the encoded flags first, and so does this.
        assert_eq!(
            rustflags_with(Some("-g\x1f--cfg=x y"), Some("-O"), flag),
            vec!["-g", "--cfg=x y", flag]
        );
    }
}
