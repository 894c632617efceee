//! Checking files on several threads changes nothing but the time: the sink sees the same
//! reports in the same order, the checks across reports find the same, and an export writes the
//! same files as the items written at the end in one go.

use std::path::{Path, PathBuf};
use xxgk_driver::{self as batch, Look, Output, RunOptions};
use xxgk_export::run::{Format, Outcome, write_items};
use xxgk_model::Edition;
use xxgk_model::message::Lang;
use xxgk_testkit::degrade::{self, Damage};
use xxgk_testkit::synth::{self, Rng};
use xxgk_validate::Validator;

/// A folder of mixed inputs: the bundled examples (canonical JSON, broken ones included), the
/// parser's text, HTML and Markdown fixtures, generated runs of years as JSON and as (damaged)
/// text with a broken carry-over (warnings across reports), a duplicate, and an unreadable file.
fn mixed_folder(tag: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("parallel-{tag}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut sources = batch::Files::new();
    for sub in ["examples", "examples/broken"] {
        batch::collect(&root.join(sub), &[], &mut sources).unwrap();
    }
    for sub in ["text", "html", "markdown", "reports"] {
        let fixtures = root.join("crates/xxgk-parse/tests/fixtures").join(sub);
        batch::collect(&fixtures, &[], &mut sources).unwrap();
    }
    for (k, src) in sources.iter().enumerate() {
        let name = src.file_name().unwrap().to_str().unwrap();
        std::fs::copy(&src, dir.join(format!("f{k:02}-{name}"))).unwrap();
    }
    let mut rng = Rng::new(7);
    for (k, year) in [(0u64, 2019), (1, 2023)] {
        let edition = Edition::for_year(year).unwrap();
        let agency = synth::agency_name(100 + k);
        let first = synth::report(&mut rng, edition, &agency, year);
        let mut second = synth::next_year(&mut rng, &first);
        synth::break_carry_over(&mut rng, &mut second);
        let third = synth::next_year(&mut rng, &second);
        std::fs::write(
            dir.join(format!("g{k}-a.json")),
            first.to_json_pretty() + "\n",
        )
        .unwrap();
        let text = degrade::render(&second, Damage::PageNumbers, &mut rng).text;
        std::fs::write(dir.join(format!("g{k}-b.txt")), text).unwrap();
        let text = degrade::render(&third, Damage::Clean, &mut rng).text;
        std::fs::write(dir.join(format!("g{k}-c.txt")), text).unwrap();
        // The same agency and year again: a duplicate.
        std::fs::write(
            dir.join(format!("g{k}-d.json")),
            third.to_json_pretty() + "\n",
        )
        .unwrap();
    }
    std::fs::write(dir.join("zz-garbage.txt"), "nothing to see here\n").unwrap();
    dir
}

fn files_of(dir: &Path) -> batch::Files {
    let mut files = batch::Files::new();
    batch::collect(dir, &[], &mut files).unwrap();
    files
}

fn check(files: &batch::Files, output: Output, jobs: usize) -> (batch::Summary, Vec<u8>) {
    let mut out = Vec::new();
    let look = Look {
        colour: false,
        lang: Lang::En,
    };
    let options = RunOptions {
        jobs,
        progress: false,
    };
    let shown = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let summary = batch::check_files(
        &Validator::new().unwrap(),
        files,
        output,
        look,
        &shown,
        options,
        &mut out,
    )
    .unwrap();
    (summary, out)
}

#[test]
fn one_job_and_four_print_the_same_bytes() {
    let dir = mixed_folder("check");
    let files = files_of(&dir);
    assert!(files.len() > 30, "{}", files.len());
    for output in [Output::Text, Output::JsonLines] {
        let (one, serial) = check(&files, output, 1);
        // The corpus warnings are part of what must agree.
        assert!(one.corpus_warnings >= 4, "{one:?}");
        assert!(one.errors > 0 && one.passed > 0, "{one:?}");
        for jobs in [2, 4, 7] {
            let (summary, parallel) = check(&files, output, jobs);
            assert_eq!(summary, one);
            assert!(
                serial == parallel,
                "{output:?} with {jobs} jobs differs from one job:\n{}\n---\n{}",
                String::from_utf8_lossy(&serial),
                String::from_utf8_lossy(&parallel)
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Every file below `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir(dir)
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            let bytes = std::fs::read(&p).unwrap();
            (name, bytes)
        })
        .collect();
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_streamed_export_writes_what_writing_every_item_at_the_end_writes() {
    let input = mixed_folder("export");
    let files = files_of(&input);
    let validator = Validator::new().unwrap();
    // The items as the driver builds them, all at once.
    let mut items = Vec::new();
    let mut stems = std::collections::HashSet::new();
    for f in &files {
        let checked = batch::check_file(&validator, &f).checked;
        if let Some(report) = checked.report {
            let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
            assert!(stems.insert(stem.clone()));
            items.push(xxgk_export::Item::new(stem, report, checked.diagnostics));
        }
    }
    let formats = [
        Format::Json,
        Format::JsonLines,
        Format::Csv,
        Format::CsvWide,
        Format::Html,
        Format::Markdown,
        Format::Xlsx,
    ];
    for format in formats {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("parallel-written-{}", std::process::id()));
        let (at_end, streamed) = (base.join("at-end"), base.join("streamed"));
        std::fs::remove_dir_all(&base).ok();
        let mut outcome = Outcome::default();
        write_items(&items, format, Lang::Zh, &at_end, &files, &mut outcome).unwrap();
        assert!(outcome.failed.is_empty(), "{:?}", outcome.failed);
        let options = RunOptions {
            jobs: 3,
            progress: false,
        };
        let done =
            batch::export::export_files(&files, format, Lang::Zh, &streamed, options).unwrap();
        assert_eq!(done.reports, items.len(), "{format:?} {:?}", done.failed);
        assert_eq!(done.written, outcome.written, "{format:?}");
        let (a, b) = (tree(&at_end), tree(&streamed));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "{format:?}");
        if format != Format::Xlsx {
            // (Workbooks carry the time they were made.)
            for ((name, x), (_, y)) in a.iter().zip(&b) {
                assert!(x == y, "{format:?}: {name} differs");
            }
        }
        std::fs::remove_dir_all(&base).ok();
    }
    std::fs::remove_dir_all(&input).ok();
}
