//! Batches of files with a broken carry-over between consecutive years: the warning across
//! reports names both paths, in text and in JSON lines (moved here from xxgk-validate's
//! `injected.rs` with the batch runner).

use std::path::{Path, PathBuf};
use xxgk_driver::{self as batch, Look};
use xxgk_testkit::synth;
use xxgk_validate::Validator;

/// An empty folder of this test run's, named `name`.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The batch over `paths`, printed as `output` asks.
fn run(
    validator: &Validator,
    paths: &[PathBuf],
    output: batch::Output,
) -> (batch::Summary, String) {
    let mut out = Vec::new();
    let shown = |p: &Path| p.display().to_string();
    let summary = batch::check_files(
        validator,
        &paths.iter().collect(),
        output,
        Look::default(),
        &shown,
        batch::RunOptions::default(),
        &mut out,
    )
    .unwrap();
    (summary, String::from_utf8(out).unwrap())
}

#[test]
fn broken_carry_over_in_a_batch_of_files_names_both_paths() {
    let dir = scratch("injected-carry-over");
    let validator = Validator::new().unwrap();
    for (seed, year) in [(21, 2019), (22, 2023)] {
        let (earlier, later, _) = synth::broken_pair(seed, year);
        let paths: Vec<PathBuf> = [(year, &earlier), (year + 1, &later)]
            .iter()
            .map(|(y, r)| {
                let p = dir.join(format!("agency-{seed}-{y}.json"));
                std::fs::write(&p, r.to_json_pretty() + "\n").unwrap();
                p
            })
            .collect();
        let (summary, text) = run(&validator, &paths, batch::Output::Text);
        assert_eq!(
            (summary.reports, summary.passed, summary.errors),
            (2, 2, 0),
            "{text}"
        );
        assert_eq!(summary.corpus_warnings, 2, "{text}");
        // One line per failing instance (the column and the total): the warning, naming the
        // later file, then the earlier. (Other lines, e.g. counts per code, may name the code.)
        let (earlier_path, later_path) = (
            paths[0].display().to_string(),
            paths[1].display().to_string(),
        );
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("continuity.carry_over") && l.contains(&later_path))
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        for line in lines {
            assert!(
                line.contains(&earlier_path),
                "`{line}` does not name {earlier_path}"
            );
        }
        // One JSON line per warning, also naming both.
        let (_, text) = run(&validator, &paths, batch::Output::JsonLines);
        let warnings: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|v: &serde_json::Value| v["scope"] == "corpus")
            .collect();
        assert_eq!(warnings.len(), 2, "{text}");
        for w in warnings {
            assert_eq!(w["path"], paths[1].display().to_string());
            assert_eq!(w["diagnostics"][0]["path"], paths[0].display().to_string());
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A warning across reports points at this year's cells: `path:line:column` for a page that
/// was parsed, and no place in the file for canonical JSON (its cells were read elsewhere).
#[test]
fn a_warning_across_parsed_pages_points_into_the_later_page() {
    let dir = scratch("carry-over-located");
    let validator = Validator::new().unwrap();
    let (earlier, later, _) = synth::broken_pair(31, 2022);
    let write = |ext: &str, body: &dyn Fn(&xxgk_model::Report) -> String| -> Vec<PathBuf> {
        [(2022, &earlier), (2023, &later)]
            .iter()
            .map(|(y, r)| {
                let p = dir.join(format!("agency-{y}.{ext}"));
                std::fs::write(&p, body(r)).unwrap();
                p
            })
            .collect()
    };
    let html = write("html", &|r| xxgk_testkit::degrade::render_html(r));
    let json = write("json", &|r| r.to_json_pretty() + "\n");
    let warning_lines = |paths: &[PathBuf]| {
        let (summary, text) = run(&validator, paths, batch::Output::Text);
        assert!(summary.corpus_warnings > 0);
        text
    };
    let later_html = html[1].display().to_string();
    let text = warning_lines(&html);
    assert!(
        text.lines()
            .any(|l| l.contains(&format!("{later_html}:")) && l.contains("-->")),
        "{text}"
    );
    let later_json = json[1].display().to_string();
    let text = warning_lines(&json);
    assert!(
        !text.contains(&format!("{later_json}:")),
        "a canonical JSON report's cells are not places in the JSON file: {text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
