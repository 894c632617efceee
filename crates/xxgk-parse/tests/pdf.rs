//! PDF input: fixtures of each producer family (`fixtures/pdf`, made by the scripts in
//! `fixtures/pdf/make`) parse to exactly the cells they print, blank cells blank; scans and
//! password-protected files get clear errors; positions point into the reconstructed text.

use std::path::{Path, PathBuf};
use xxgk_model::diagnostic::Severity;
use xxgk_parse::{Format, Options, ParseError, codes, parse_file};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

fn read(path: &Path) -> xxgk_parse::Parsed {
    let options = Options {
        keep_text: true,
        ..Options::default()
    };
    parse_file(path, &options).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Number of cells in a canonical `tables` value, and of those that are null (blank).
fn count_cells(v: &serde_json::Value) -> (usize, usize) {
    match v {
        serde_json::Value::Object(map) if !map.contains_key("value") => map
            .values()
            .map(count_cells)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        serde_json::Value::Null => (1, 1),
        _ => (1, 0),
    }
}

#[test]
fn every_producer_family_parses_cell_exact() {
    let mut families = 0;
    let mut expected_files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    expected_files.sort();
    for expected_path in expected_files {
        let name = expected_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".expected.json", ".pdf");
        let pdf = dir().join(&name);
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        if name.starts_with("user-password") {
            continue; // refused: see below
        }
        let parsed = read(&pdf);
        let r = &parsed.report;
        assert_eq!(r.source.as_ref().and_then(|s| s.format), Some(Format::Pdf));
        let tables = serde_json::to_value(&r.tables).unwrap();
        let (cells, blank) = count_cells(&expected["tables"]);
        assert!(cells > 150, "{name}: {cells} cells expected");
        assert_eq!(tables, expected["tables"], "{name}: the tables differ");
        assert_eq!(
            r.meta.year,
            expected["meta"]["year"].as_i64().map(|y| y as i32),
            "{name}"
        );
        assert_eq!(
            r.meta.agency.as_deref(),
            expected["meta"]["agency"].as_str(),
            "{name}"
        );
        let errors: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        eprintln!("{name}: {cells} cells right, {blank} of them blank");
        families += 1;
    }
    assert!(families >= 8, "{families} PDF fixtures read");
}

#[test]
fn a_cell_points_at_its_page_line_and_column_in_the_reconstructed_text() {
    let parsed = read(&dir().join("identity-h-2021.pdf"));
    let text = parsed.text.expect("a PDF keeps its reconstructed text");
    let cell = parsed
        .report
        .tables
        .cell("applications", "outcomes.total", "total")
        .expect("the cell exists");
    let location = cell.location().expect("the cell has a position");
    let lines: Vec<&str> = text.lines().collect();
    let line = lines[location.line as usize - 1];
    let at: String = line.chars().skip(location.column as usize - 1).collect();
    let raw = &cell.source.as_ref().unwrap().raw;
    assert!(
        at.starts_with(raw.as_str()),
        "{line:?} at {location} should start with {raw}"
    );
    // The page is the nearest page marker above the line.
    let page = lines[..location.line as usize]
        .iter()
        .rev()
        .find(|l| l.starts_with("[第 "))
        .unwrap();
    assert_eq!(*page, "[第 2 页]");
}

#[test]
fn a_scan_is_refused_and_says_to_ocr_it() {
    let err = parse_file(&dir().join("scan-2021.pdf"), &Options::default()).unwrap_err();
    assert_eq!(err.code(), codes::INPUT_NO_TEXT_LAYER);
    assert!(
        matches!(
            err,
            ParseError::NoTextLayer {
                pages: 2,
                images: 2
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("OCR"), "{err}");
}

#[test]
fn a_pdf_that_needs_a_password_is_refused_clearly() {
    let err = parse_file(&dir().join("user-password-2021.pdf"), &Options::default()).unwrap_err();
    assert_eq!(err.code(), codes::INPUT_PDF);
    assert!(err.to_string().contains("password"), "{err}");
}

#[test]
fn pdfs_are_detected_by_content_and_damaged_ones_fail_cleanly() {
    let bytes = std::fs::read(dir().join("reportlab-cid-2021.pdf")).unwrap();
    assert_eq!(
        xxgk_parse::detect(&bytes, Some(Path::new("report.txt"))),
        Format::Pdf
    );
    assert!(xxgk_parse::extensions().any(|e| e == "pdf"));
    for cut in [10, 100, bytes.len() / 2, bytes.len() - 10] {
        match xxgk_parse::parse(&bytes[..cut], None, &Options::default()) {
            Ok(_) => {}
            Err(e) => assert!(
                [
                    codes::INPUT_PDF,
                    codes::INPUT_NO_TEXT_LAYER,
                    codes::INPUT_NOT_ANNUAL_REPORT
                ]
                .contains(&e.code()),
                "{cut}: {e}"
            ),
        }
    }
}

/// A PDF cut short keeps the pages it still holds, and says that the others could not be
/// read: the sections they held are missing for that reason, not their author's.
#[test]
fn a_pdf_cut_short_says_its_pages_are_missing() {
    let bytes = std::fs::read(dir().join("reportlab-cid-2021.pdf")).unwrap();
    let cut = &bytes[..bytes.len() * 9 / 10];
    let parsed = xxgk_parse::parse(cut, None, &Options::default()).unwrap();
    let said: Vec<_> = parsed
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::PDF_PAGES_UNREAD)
        .collect();
    assert_eq!(said.len(), 1, "{:#?}", parsed.report.diagnostics);
    assert_eq!(said[0].severity, Severity::Error);
    let whole = xxgk_parse::parse(&bytes, None, &Options::default()).unwrap();
    assert!(
        !whole
            .report
            .diagnostics
            .iter()
            .any(|d| d.code == codes::PDF_PAGES_UNREAD)
    );
}

/// A PDF whose streams the file cannot give (every `/Length` names an object that is no
/// number) is damaged, not a scan: it is not sent to OCR.
#[test]
fn a_pdf_whose_pages_cannot_be_read_is_damaged_not_a_scan() {
    let bytes = std::fs::read(dir().join("reportlab-cid-2021.pdf")).unwrap();
    let mut broken = Vec::with_capacity(bytes.len());
    let mut rest = &bytes[..];
    while let Some(at) = rest.windows(8).position(|w| w == b"/Length ") {
        broken.extend_from_slice(&rest[..at]);
        broken.extend_from_slice(b"/Length 1 0 R");
        rest = &rest[at + 8..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = &rest[digits..];
    }
    broken.extend_from_slice(rest);
    let err = xxgk_parse::parse(&broken, None, &Options::default()).unwrap_err();
    assert!(
        matches!(err, ParseError::PdfDamaged { unread, .. } if unread > 0),
        "{err:?}"
    );
    assert_eq!(err.code(), codes::INPUT_PDF);
}
