//! What the export tests share: items as the driver builds them, a report with every kind of
//! finding, and the real Huai'an sample.

// Each test crate uses part of this module.
#![allow(dead_code)]

use std::path::Path;
use xxgk_export::Item;
use xxgk_model::Report;

/// An item of `report` with what checking it finds, as the driver builds it.
pub fn checked(name: impl Into<String>, report: Report) -> Item {
    let (diagnostics, _) = xxgk_validate::diagnose(&report);
    Item::new(name, report, diagnostics)
}

/// The Huai'an sample (`../shared/samples`, beside the checkout) as parsed; `None` when it is
/// not there — except under CI (`CI=true`), which must not pass by skipping the real sample.
pub fn huaian() -> Option<Report> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/huaian-gov-2024.layout.txt");
    if !path.exists() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{} is missing under CI",
            path.display()
        );
        eprintln!("skipped: {} is not here", path.display());
        return None;
    }
    let parsed = xxgk_parse::parse_file(&path, &xxgk_parse::Options::default());
    Some(parsed.expect("the Huai'an sample parses").report)
}

/// The wrong-total fixture with a row the form lacks: failed checks, one with the form's
/// wording of its rule, all with a suggestion, and a parse warning pointing into the source.
pub fn flawed() -> Item {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../xxgk-parse/tests/fixtures/reports/wrong-total-2021.txt");
    let text = std::fs::read_to_string(path).expect("the fixture");
    assert!(text.contains("行政处罚\t148"));
    let text = text.replace("行政处罚\t148", "行政处罚\t148\n其他处罚\t3");
    let report =
        xxgk_parse::parse_text(&text, xxgk_parse::Format::Text).expect("the flawed fixture parses");
    checked("wrong-total-2021", report)
}
