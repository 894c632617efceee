//! The `xxgk` command end to end: exit statuses of outputs.md and its output shapes.

use std::process::Command;

fn xxgk(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("xxgk runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bundled_examples_pass() {
    let (code, out, _) = xxgk(&[
        "check",
        "examples/2021-county-office-2024.json",
        "examples/2019-transport-bureau-2020.json",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2 reports: 2 passed, 0 with warnings, 0 with errors"),
        "{out}"
    );
}

#[test]
fn a_broken_report_exits_1_and_names_the_constraint() {
    let (code, out, _) = xxgk(&["check", "examples/broken/review_litigation.total.json"]);
    assert_eq!(code, 1);
    assert!(out.contains("[review_litigation.total]"), "{out}");
}

#[test]
fn warnings_alone_exit_0() {
    let (code, out, _) = xxgk(&["check", "examples/broken/meta.year_matches.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 with warnings"), "{out}");
}

#[test]
fn json_output_is_one_object_per_report() {
    let (code, out, _) = xxgk(&["check", "--format", "json", "examples/broken"]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(lines.len() >= 5);
    for line in &lines {
        assert!(
            line["path"]
                .as_str()
                .unwrap()
                .starts_with("examples/broken/")
        );
        assert!(matches!(
            line["status"].as_str(),
            Some("passed" | "warnings" | "failed")
        ));
    }
    let failed = lines
        .iter()
        .find(|l| l["path"] == "examples/broken/applications.balance.json")
        .unwrap();
    assert_eq!(failed["diagnostics"][0]["code"], "applications.balance");
}

#[test]
fn a_missing_path_exits_2() {
    let (code, _, err) = xxgk(&["check", "no/such/file.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/file.json"), "{err}");
}

#[test]
fn bad_arguments_exit_2() {
    let (code, _, _) = xxgk(&["check"]);
    assert_eq!(code, 2);
}

#[test]
fn schema_prints_the_schema() {
    let (code, out, _) = xxgk(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn an_unreadable_report_is_an_error_for_that_report_only() {
    let dir = std::env::temp_dir().join(format!("xxgk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a-garbage.json"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    std::fs::write(dir.join("b-truncated.json"), "{ \"meta\": ").unwrap();
    std::fs::copy(
        format!(
            "{}/examples/2021-county-office-2023.json",
            env!("CARGO_MANIFEST_DIR")
        ),
        dir.join("c-good.json"),
    )
    .unwrap();
    let (code, out, _) = xxgk(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("3 reports: 1 passed, 0 with warnings, 2 with errors"),
        "{out}"
    );
    assert!(out.contains("json.syntax"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-cli-{tag}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn export_writes_every_report_and_goes_on_past_a_bad_one() {
    let input = temp_dir("export-in");
    for name in [
        "2021-county-office-2023.json",
        "2019-transport-bureau-2019.json",
    ] {
        std::fs::copy(
            format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR")),
            input.join(name),
        )
        .unwrap();
    }
    std::fs::write(input.join("garbage.txt"), "nothing to see here\n").unwrap();
    let out = temp_dir("export-out");
    let (code, stdout, stderr) = xxgk(&[
        "export",
        input.to_str().unwrap(),
        "--format",
        "html",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        code, 1,
        "an unreadable input makes the run fail: {stdout}{stderr}"
    );
    assert!(stderr.contains("garbage.txt"), "{stderr}");
    for page in [
        "2021-county-office-2023.html",
        "2019-transport-bureau-2019.html",
        "index.html",
    ] {
        assert!(out.join(page).exists(), "{page} written: {stdout}");
    }
    let (code, _, _) = xxgk(&[
        "export",
        input.join("2021-county-office-2023.json").to_str().unwrap(),
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let csv = std::fs::read_to_string(out.join("cells.csv")).unwrap();
    assert!(csv.starts_with("report,table,row,column,value,raw,line,unit\n"));
    std::fs::remove_dir_all(&input).ok();
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn export_never_overwrites_an_input() {
    let dir = temp_dir("export-same");
    let input = dir.join("r.json");
    std::fs::copy(
        format!(
            "{}/examples/2021-county-office-2024.json",
            env!("CARGO_MANIFEST_DIR")
        ),
        &input,
    )
    .unwrap();
    let before = std::fs::read(&input).unwrap();
    let (code, _, stderr) = xxgk(&[
        "export",
        input.to_str().unwrap(),
        "--format",
        "json",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("refusing to overwrite the input"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
    std::fs::remove_dir_all(&dir).ok();
}

/// PDFs are read in pure Rust: with an empty `PATH` (no poppler, no Python to call) the
/// published Huai'an PDF gives the same tables as its `pdftotext -layout` text.
#[test]
fn a_pdf_parses_with_an_empty_path() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if !samples.join("huaian-gov-2024.pdf").exists() {
        // CI must not pass by skipping the real sample.
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "the shared samples are missing under CI"
        );
        eprintln!("skipped: no shared samples");
        return;
    }
    let run = |file: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
            .args(["parse", "--format", "json"])
            .arg(samples.join(file))
            .env_clear()
            .env("PATH", "")
            .output()
            .expect("xxgk runs");
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        report["tables"].clone()
    };
    assert_eq!(
        run("huaian-gov-2024.pdf"),
        run("huaian-gov-2024.layout.txt")
    );
}

#[test]
fn a_scanned_pdf_fails_with_its_code_and_the_batch_goes_on() {
    let (code, out, _) = xxgk(&[
        "check",
        "crates/xxgk-parse/tests/fixtures/pdf/scan-2021.pdf",
        "crates/xxgk-parse/tests/fixtures/pdf/reportlab-cid-2021.pdf",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("input.no_text_layer"), "{out}");
    assert!(out.contains("2 reports: 1 passed"), "{out}");
}

/// A mistake in a PDF is shown on the row it stands in (the reconstructed text), with a
/// marker under the cell, the page, and the cell the other cells point to.
#[test]
fn a_mistake_in_a_pdf_is_shown_on_its_row_and_page() {
    let (code, out, _) = xxgk(&[
        "check",
        "crates/xxgk-parse/tests/fixtures/pdf/reportlab-cid-wrong-total-2021.pdf",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[applications.row_total]"), "{out}");
    assert!(
        out.contains("1.属于国家秘密 | 1 | 0 |  | 0 | 0 | 0 | 2"),
        "the row as reconstructed, blank cell kept: {out}"
    );
    assert!(out.contains("^ the other cells imply 1"), "{out}");
    assert!(out.contains("= page: 2 of the PDF"), "{out}");
}

#[test]
fn the_review_page_of_a_pdf_names_the_page() {
    let out_dir = temp_dir("pdf-html");
    let (code, out, err) = xxgk(&[
        "export",
        "crates/xxgk-parse/tests/fixtures/pdf/reportlab-cid-wrong-total-2021.pdf",
        "--format",
        "html",
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(code <= 1, "{out}{err}");
    let page = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("reportlab"))
        })
        .expect("the report's page is written");
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("Source: page 2, line 38, column 45"),
        "{html}"
    );
    drop(std::fs::remove_dir_all(&out_dir));
}
