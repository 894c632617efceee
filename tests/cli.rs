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

/// A folder with no file of a report's extension (Word's HTML saved as `.doc`, say) is said,
/// not passed over as "0 reports"; the same file named on the command line is read.
#[test]
fn a_folder_without_report_files_is_said() {
    let dir = temp_dir("no-reports");
    let doc = dir.join("report.rtf");
    std::fs::copy(
        format!(
            "{}/crates/xxgk-parse/tests/fixtures/html/plain-2019.html",
            env!("CARGO_MANIFEST_DIR")
        ),
        &doc,
    )
    .unwrap();
    let folder = dir.to_str().unwrap();
    let (code, out, err) = xxgk(&["check", folder]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 reports"), "{out}");
    assert!(
        err.contains(folder) && err.contains("no report file"),
        "{err}"
    );
    assert!(err.contains(".html") && err.contains(".docx"), "{err}");
    let out_dir = temp_dir("no-reports-out");
    let (_, _, err) = xxgk(&[
        "export",
        folder,
        "--format",
        "json",
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(err.contains("no report file"), "{err}");
    // Named, the file is read by its content.
    let (_, out, err) = xxgk(&["check", doc.to_str().unwrap()]);
    assert!(out.contains("(2019 edition"), "{out}");
    assert!(!err.contains("no report file"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&out_dir).ok();
}

/// A folder walk takes `.doc`: Word's web page saved under that name is read as HTML, and a
/// binary Word 97-2003 document is named as such, not skipped unsaid.
#[test]
fn a_folder_walk_reads_doc_files_by_content() {
    let dir = temp_dir("doc-files");
    std::fs::copy(
        format!(
            "{}/crates/xxgk-parse/tests/fixtures/html/plain-2019.html",
            env!("CARGO_MANIFEST_DIR")
        ),
        dir.join("a-web-page.doc"),
    )
    .unwrap();
    let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    ole.resize(4096, 0);
    std::fs::write(dir.join("b-word97.doc"), &ole).unwrap();
    let (code, out, err) = xxgk(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("2 reports"), "{out}");
    assert!(out.contains("(2019 edition"), "{out}");
    assert!(
        out.contains("b-word97.doc") && out.contains("Word 97-2003 .doc"),
        "{out}"
    );
    assert!(!err.contains("no report file"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
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
    let said = stderr
        .lines()
        .find(|l| l.contains("garbage.txt"))
        .unwrap_or_else(|| panic!("the bad input is named: {stderr}"));
    assert_eq!(said.matches("garbage.txt").count(), 1, "named once: {said}");
    assert!(said.contains("not an annual report"), "{said}");
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
    assert!(csv.starts_with("report,table,row,column,value,raw,line,unit,kind,check\n"));
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

/// Run `xxgk args` with `input` on standard input.
fn xxgk_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xxgk runs");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const TEXT_REPORT: &str = "crates/xxgk-parse/tests/fixtures/text/layout-2021.txt";

#[test]
fn parse_reads_standard_input() {
    let (code, from_file, _) = xxgk(&["parse", TEXT_REPORT]);
    let (code_stdin, from_stdin, stderr) = xxgk_stdin(&["parse", "-"], &read(TEXT_REPORT));
    assert_eq!((code_stdin, code), (code, code), "{stderr}");
    let tables = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()["tables"].clone();
    assert_eq!(tables(&from_stdin), tables(&from_file));
    // HTML on standard input is found from its content.
    let html = "crates/xxgk-parse/tests/fixtures/html/word-export-2021.html";
    let (_, from_file, _) = xxgk(&["parse", html]);
    let (_, from_stdin, _) = xxgk_stdin(&["parse", "-"], &read(html));
    assert_eq!(tables(&from_stdin), tables(&from_file));
    // What is no report is an error naming standard input.
    let (code, _, stderr) = xxgk_stdin(&["parse", "-"], b"nothing to see here\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("<stdin>"), "{stderr}");
}

#[test]
fn check_reads_standard_input_as_canonical_json_or_a_document() {
    // Canonical JSON: validated against the schema.
    let broken = "examples/broken/review_litigation.total.json";
    let (code, out, _) = xxgk_stdin(&["check", "-"], &read(broken));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("<stdin>") && out.contains("[review_litigation.total]"),
        "{out}"
    );
    let (code, out, _) = xxgk_stdin(&["check", "--format", "json", "-"], &read(broken));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["path"], "<stdin>");
    // A structure error is the schema's, so the JSON was taken as canonical.
    let (_, out, _) = xxgk_stdin(
        &["check", "--format", "json", "-"],
        &read("examples/broken/structure-string-count.json"),
    );
    assert!(out.contains("schema.invalid"), "{out}");
    // A text report: parsed, the same as from its file (but for the name).
    let (code_file, from_file, _) = xxgk(&["check", "--format", "json", TEXT_REPORT]);
    let (code, from_stdin, _) = xxgk_stdin(&["check", "--format", "json", "-"], &read(TEXT_REPORT));
    assert_eq!(code, code_file);
    let diagnostics =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()["diagnostics"].clone();
    assert_eq!(diagnostics(&from_stdin), diagnostics(&from_file));
    // Beside files.
    let (_, out, _) = xxgk_stdin(
        &["check", "-", "examples/2021-county-office-2024.json"],
        &read(broken),
    );
    assert!(out.contains("2 reports"), "{out}");
}

#[test]
fn jobs_change_nothing_in_the_output_and_no_progress_is_drawn_off_a_terminal() {
    let run = |jobs: &str, quiet: bool| {
        let mut args = vec!["check", "examples", "crates/xxgk-parse/tests/fixtures/text"];
        args.extend(["--jobs", jobs]);
        if quiet {
            args.push("--quiet");
        }
        xxgk(&args)
    };
    let (code, one, stderr) = run("1", false);
    assert_eq!(code, 1, "{one}");
    // Standard error is a pipe here: no progress bar.
    assert_eq!(stderr, "");
    for (jobs, quiet) in [("2", false), ("4", true)] {
        let (c, out, stderr) = run(jobs, quiet);
        assert_eq!((c, out.as_str(), stderr.as_str()), (code, one.as_str(), ""));
    }
    let (code, _, stderr) = xxgk(&["check", "examples", "--jobs", "0"]);
    assert_eq!(code, 2, "{stderr}");
}

const DISAGREEING_NARRATIVE: &str =
    "crates/xxgk-parse/tests/fixtures/text/narrative-disagrees-2021.txt";

#[test]
fn a_narrative_that_contradicts_its_table_is_quoted_and_pointed_at() {
    let (code, out, _) = xxgk(&["--lang", "en", "check", DISAGREEING_NARRATIVE]);
    // Warnings only: the report is checked, not failed.
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("warning[prose.mismatch]").count(), 3, "{out}");
    // The number stated, the sentence quoted, the cell named with its value, the line shown.
    assert!(
        out.contains("the narrative says 1590 (“全年共收到政府信息公开申请1590 件”), but the table has 1599 in 一、本年新收政府信息公开申请数量 / 总计"),
        "{out}"
    );
    assert!(out.contains("narrative-disagrees-2021.txt:19:18"), "{out}");
    // A claim: every review upheld, while the table shows others.
    assert!(
        out.contains("均维持原行政行为”, but the table has 四 行政复议 / 结果维持 = 41"),
        "{out}"
    );
    assert!(out.contains("现行有效规范性文件 50 件"), "{out}");
    // The same report's agreeing twin prints none, and counts its statements as passed checks.
    let (code, out, _) = xxgk(&["--lang", "en", "check", TEXT_REPORT]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("prose.mismatch"), "{out}");
}

#[test]
fn statements_and_the_processing_fee_are_data_in_the_json() {
    let (code, out, _) = xxgk(&["parse", DISAGREEING_NARRATIVE]);
    assert_eq!(code, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let statements = report["statements"].as_array().unwrap();
    let received = statements
        .iter()
        .find(|s| s["statement"] == "received")
        .unwrap();
    assert_eq!(received["count"], 1590);
    assert_eq!(received["location"]["line"], 19);
    let fee = statements
        .iter()
        .find(|s| s["statement"] == "fees.amount")
        .unwrap();
    assert_eq!(fee["amount"]["value"], "2874.35");
    assert_eq!(fee["amount"]["unit"], "万元");
    assert_eq!(report["processing_fee"]["charged"], false);
    let (code, out, _) = xxgk(&["check", "--format", "json", DISAGREEING_NARRATIVE]);
    assert_eq!(code, 0, "{out}");
    let checked: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mismatches: Vec<&serde_json::Value> = checked["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "prose.mismatch")
        .collect();
    assert_eq!(mismatches.len(), 3);
    let instances: Vec<&str> = mismatches
        .iter()
        .map(|d| d["check"]["instance"].as_str().unwrap())
        .collect();
    assert_eq!(
        instances,
        [
            "normative_documents.in_force",
            "received",
            "review.all_upheld"
        ]
    );
}

#[test]
fn the_long_csv_holds_cells_statements_and_diagnostics() {
    let dir = temp_dir("long-kinds");
    let out = dir.to_str().unwrap();
    let (code, stdout, _) = xxgk(&[
        "export",
        "--format",
        "csv",
        "--output",
        out,
        DISAGREEING_NARRATIVE,
    ]);
    assert_eq!(code, 0, "{stdout}");
    let csv = std::fs::read_to_string(dir.join("cells.csv")).unwrap();
    // Kind and check close every row (a message, quoted, may hold commas).
    let kinds = |kind: &str| {
        csv.lines()
            .filter(|l| l.rsplit(',').nth(1) == Some(kind))
            .collect::<Vec<_>>()
    };
    assert!(kinds("cell").len() > 100);
    let statements = kinds("statement");
    assert!(
        statements
            .iter()
            .any(|l| l.contains(",received,,1590,") && l.ends_with(",statement,disagrees")),
        "{statements:#?}"
    );
    let diagnostics = kinds("diagnostic");
    assert_eq!(
        diagnostics
            .iter()
            .filter(|l| l.contains(",prose.mismatch,warning,"))
            .count(),
        3,
        "{diagnostics:#?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file that cannot be read as a report is said in the reader's language, by `check`,
/// `parse` and `export` alike; only what another library says (an OS error) stays as it is.
#[test]
fn a_file_that_is_no_report_is_said_in_chinese_under_lang_zh() {
    let dir = temp_dir("zh-errors");
    let garbage = dir.join("garbage.txt");
    std::fs::write(&garbage, "nothing to see here\n").unwrap();
    let garbage = garbage.to_str().unwrap();
    let scan = "crates/xxgk-parse/tests/fixtures/pdf/scan-2021.pdf";
    let locked = "crates/xxgk-parse/tests/fixtures/pdf/user-password-2021.pdf";

    let (code, stdout, _) = xxgk(&["check", "--lang", "zh", garbage, scan, locked]);
    assert_eq!(code, 1, "{stdout}");
    for said in [
        "不是政府信息公开工作年度报告：未找到“三、收到和处理政府信息公开申请情况”表格",
        "PDF 没有文字层：其 2 页是 2 张图片，为扫描件",
        "PDF 已加密，需要密码才能打开",
    ] {
        assert!(stdout.contains(said), "{said}\n{stdout}");
    }
    assert!(!stdout.contains("not an annual report"), "{stdout}");

    let (code, _, stderr) = xxgk(&["parse", "--lang", "zh", garbage]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("：不是政府信息公开工作年度报告"),
        "{stderr}"
    );
    let (code, _, stderr) = xxgk(&["parse", "--lang", "zh", "no/such/report.txt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("无法读取 no/such/report.txt："), "{stderr}");

    let out = dir.join("out");
    let (code, _, stderr) = xxgk(&[
        "export",
        "--lang",
        "zh",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
        garbage,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{garbage}: 不是政府信息公开工作年度报告")),
        "{stderr}"
    );
}
