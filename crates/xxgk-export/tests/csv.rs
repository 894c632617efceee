//! The CSV exports on the Huai'an sample (when `../shared/samples` is here) and on the
//! bundled examples.

mod common;

use std::path::PathBuf;
use xxgk_export::{Item, csv_out};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> Item {
    let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
    Item::new(
        name.trim_end_matches(".json"),
        xxgk_model::Report::from_json(&text).unwrap(),
        Vec::new(),
    )
}

fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn huaian_has_200_long_rows_and_one_wide_row_of_200_values() {
    let Some(report) = common::huaian() else {
        return;
    };
    let item = Item::new("huaian-2024", report, Vec::new());
    let mut long = Vec::new();
    csv_out::long(std::slice::from_ref(&item), &mut long).unwrap();
    let all = records(&long);
    let (rows, statements): (Vec<Vec<String>>, Vec<Vec<String>>) =
        all.into_iter().partition(|r| r[8] == "cell");
    assert_eq!(rows.len(), 200);
    // The narrative restates 14 figures of the tables, every one as the table has it, and
    // states the processing fee charged (data: no cell holds it).
    assert_eq!(statements.len(), 15);
    assert!(statements.iter().all(|r| r[8] == "statement"));
    let checks: Vec<&str> = statements.iter().map(|r| r[9].as_str()).collect();
    assert_eq!(
        checks.iter().filter(|c| **c == "agrees").count(),
        14,
        "{checks:?}"
    );
    let received = statements.iter().find(|r| r[2] == "received").unwrap();
    assert_eq!(
        (received[1].as_str(), received[4].as_str()),
        ("applications", "3119")
    );
    assert!(received[5].contains("受理政府信息公开申请"), "{received:?}");
    let charged = statements
        .iter()
        .find(|r| r[2] == "processing_fee.amount")
        .unwrap();
    assert_eq!(
        (
            charged[4].as_str(),
            charged[7].as_str(),
            charged[9].as_str()
        ),
        ("3940", "元", "data")
    );
    let fee = rows.iter().find(|r| r[2] == "fees").unwrap();
    assert_eq!((fee[4].as_str(), fee[7].as_str()), ("96171.6", "万元"));
    let total = rows
        .iter()
        .find(|r| r[2] == "outcomes.total" && r[3] == "total")
        .unwrap();
    assert_eq!(total[4], "3050");
    assert!(
        total[6].parse::<u32>().unwrap() > 100,
        "the source line is kept"
    );

    let mut wide = Vec::new();
    csv_out::wide(std::slice::from_ref(&item), &mut wide).unwrap();
    let mut reader = csv::Reader::from_reader(wide.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header.len(), csv_out::WIDE_META.len() + 200);
    let rows = records(&wide);
    assert_eq!(rows.len(), 1);
    let values = &rows[0][csv_out::WIDE_META.len()..];
    assert!(
        values.iter().all(|v| !v.is_empty() && v != "?"),
        "all 200 values are known"
    );
    let at = header
        .iter()
        .position(|h| h == "applications.new_received.total")
        .unwrap();
    assert_eq!(rows[0][at], "3119");
}

#[test]
fn a_corpus_of_both_editions_shares_one_wide_header() {
    let items = [
        example("2019-transport-bureau-2020.json"),
        example("2021-county-office-2024.json"),
    ];
    let columns = csv_out::wide_columns(&items);
    // Every cell id of both editions once; 2019's first.
    assert!(
        columns
            .first()
            .unwrap()
            .starts_with("active_disclosure.regulations.produced")
    );
    assert!(
        columns
            .iter()
            .any(|c| c == "applications.outcomes.other.natural_person")
    );
    assert!(
        columns
            .iter()
            .any(|c| c == "applications.outcomes.other.unpaid_fees.natural_person")
    );
    let mut wide = Vec::new();
    csv_out::wide(&items, &mut wide).unwrap();
    let rows = records(&wide);
    assert_eq!(rows.len(), 2);
    let at = csv_out::WIDE_META.len()
        + columns
            .iter()
            .position(|c| c == "applications.outcomes.other.unpaid_fees.natural_person")
            .unwrap();
    assert_eq!(rows[0][at], "", "a 2019 report has no such cell: empty");
    assert_ne!(rows[1][at], "?");
}
