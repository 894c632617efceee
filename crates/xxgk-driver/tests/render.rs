//! The human output of a check, as a reviewer sees it: snapshots of a text, an HTML and a
//! canonical JSON report, each with one wrong cell.

use std::path::{Path, PathBuf};
use xxgk_driver::{Look, Output, Summary, check_files};
use xxgk_model::message::Lang;
use xxgk_validate::Validator;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Check `files` (relative to the workspace root) without colours, in English; paths printed
/// relative.
fn check(files: &[&str], output: Output) -> (Summary, String) {
    check_in(files, output, Lang::En)
}

/// [`check`] in `lang`.
fn check_in(files: &[&str], output: Output, lang: Lang) -> (Summary, String) {
    let root = root();
    let files: xxgk_driver::Files = files.iter().map(|f| root.join(f)).collect();
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let mut out = Vec::new();
    let look = Look {
        colour: false,
        lang,
    };
    let summary = check_files(
        &Validator::new().unwrap(),
        &files,
        output,
        look,
        &shown,
        xxgk_driver::RunOptions::default(),
        &mut out,
    )
    .unwrap();
    (summary, String::from_utf8(out).unwrap())
}

/// Display columns of `s` (wide for everything beyond ASCII here, tabs as annotate-snippets
/// shows them).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c == '\t' {
                4
            } else if c.is_ascii() {
                1
            } else {
                2
            }
        })
        .sum()
}

/// The display column where the marker under source line `line` starts, and the display
/// column of `needle` in that source line.
fn marker_and_needle(out: &str, line: u32, needle: &str) -> (usize, usize) {
    let lines: Vec<&str> = out.lines().collect();
    let prefix = format!("{line} | ");
    let i = lines
        .iter()
        .position(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no source line {line} in\n{out}"));
    let source = &lines[i][prefix.len()..];
    let needle_at = width(&source[..source.find(needle).unwrap()]);
    let marker = lines[i + 1];
    let bar = marker.find('|').unwrap();
    let caret = marker.find(['^', '-']).unwrap();
    (width(&marker[bar + 2..caret]), needle_at)
}

#[test]
fn text_report_shows_the_line_and_the_suggestion() {
    let (summary, out) = check(
        &["crates/xxgk-parse/tests/fixtures/reports/wrong-total-2021.txt"],
        Output::Text,
    );
    assert_eq!(summary.errors, 1);
    // （七）总计 / 自然人 is line 56, column 8: the marker sits under 212, after 5 CJK-width
    // characters and a tab.
    assert!(out.contains("wrong-total-2021.txt:56:8"), "{out}");
    let (marker, needle) = marker_and_needle(&out, 56, "212");
    assert_eq!(marker, needle, "{out}");
    // The context marker under 217 (一、本年新收 / 自然人), after 16 CJK characters and 2 tabs.
    let (marker, needle) = marker_and_needle(&out, 31, "217");
    assert_eq!((marker, needle), (40, 40), "{out}");
    assert!(
        out.contains("suggestion: 三（七）总计 / 自然人 prints 212; the other cells imply 211"),
        "{out}"
    );
    assert!(
        out.contains("表中注明：第一项加第二项之和，等于第三项加第四项之和"),
        "{out}"
    );
    insta::assert_snapshot!("text_report", out);
}

#[test]
fn text_report_in_chinese_names_cells_by_the_form() {
    let files = [
        "crates/xxgk-parse/tests/fixtures/reports/wrong-total-2021.txt",
        "crates/xxgk-parse/tests/fixtures/text/layout-2021-gap.txt",
    ];
    let (summary, out) = check_in(&files, Output::Text, Lang::Zh);
    assert_eq!(summary.errors, 1);
    // The same marker as in English, under 212.
    let (marker, needle) = marker_and_needle(&out, 56, "212");
    assert_eq!(marker, needle, "{out}");
    assert!(
        out.contains("建议: 三（七）总计 / 自然人填报 212，按其他单元格推算应为 211"),
        "{out}"
    );
    assert!(out.contains("表中注明："), "{out}");
    // Codes stay as they are; the words around them are Chinese.
    assert!(out.contains("error[applications.balance]"), "{out}");
    assert!(out.ends_with("份\n"), "{out}");
    insta::assert_snapshot!("text_report_zh", out);
}

#[test]
fn html_report_points_into_the_page() {
    let (summary, out) = check(
        &["crates/xxgk-validate/tests/fixtures/review-total-2022.html"],
        Output::Text,
    );
    assert_eq!(summary.errors, 1);
    let (marker, needle) = marker_and_needle(&out, 66, "<td>5</td>");
    assert_eq!(marker, needle + "<td>".len(), "{out}");
    insta::assert_snapshot!("html_report", out);
}

#[test]
fn json_report_renders_without_a_snippet() {
    let (summary, out) = check(
        &["examples/broken/review_litigation.total.json"],
        Output::Text,
    );
    assert_eq!(summary.errors, 1);
    assert!(!out.contains("-->"), "{out}");
    insta::assert_snapshot!("json_report", out);
}

#[test]
fn cross_report_warnings_join_the_summary() {
    let file = "examples/2021-county-office-2024.json";
    let (summary, out) = check(&[file, file], Output::Text);
    assert_eq!(
        (summary.reports, summary.passed, summary.corpus_warnings),
        (2, 2, 1)
    );
    assert!(out.ends_with("1 warning across reports (continuity, duplicates)\n2 reports: 2 passed, 0 with warnings, 0 with errors\n"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().eq(["corpus.duplicate", "1", "0", "1"])),
        "{out}"
    );
}

#[test]
fn json_is_one_document_for_one_report_and_lines_for_several() {
    let (_, one) = check(
        &["examples/broken/review_litigation.total.json"],
        Output::JsonLines,
    );
    assert!(one.lines().count() > 1, "{one}");
    let doc: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(doc["path"], "examples/broken/review_litigation.total.json");
    assert_eq!(doc["status"], "failed");
    assert_eq!(doc["diagnostics"][0]["code"], "review_litigation.total");

    let (_, several) = check(
        &[
            "examples/broken/review_litigation.total.json",
            "crates/xxgk-parse/tests/fixtures/reports/wrong-total-2021.txt",
        ],
        Output::JsonLines,
    );
    let lines: Vec<serde_json::Value> = several
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let suggestion = &lines[1]["diagnostics"][0]["suggestion"];
    assert_eq!(
        suggestion["cell"],
        "applications.outcomes.total.natural_person"
    );
    assert_eq!(
        (
            suggestion["printed"].as_i64(),
            suggestion["implied"].as_i64()
        ),
        (Some(212), Some(211))
    );
}

#[test]
fn parsed_reports_keep_their_decoded_text() {
    let validator = Validator::new().unwrap();
    let root = root();
    let gbk = xxgk_driver::check_file(
        &validator,
        &root.join("crates/xxgk-parse/tests/fixtures/html/word-export-2021.gbk.html"),
    );
    let text = gbk.text.as_deref().expect("decoded text");
    assert!(text.contains("政府信息公开"));
    assert_eq!(
        gbk.checked
            .report
            .as_ref()
            .unwrap()
            .source
            .as_ref()
            .unwrap()
            .encoding
            .as_deref(),
        Some("gb18030")
    );
    let json = xxgk_driver::check_file(
        &validator,
        &root.join("examples/2021-county-office-2024.json"),
    );
    assert!(json.text.is_none());
}
