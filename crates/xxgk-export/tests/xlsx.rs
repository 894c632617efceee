//! Excel workbooks read back with calamine: values in the cells of the form, merged headers,
//! fills of failed checks, the summary's diagnostics, the corpus's wide table.

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use xxgk_export::Item;
use xxgk_export::xlsx::{SUMMARY_SHEET, WIDE_SHEET, corpus_workbook, report_workbook};
use xxgk_model::cell::CellId;
use xxgk_model::message::Lang;

type Book = Xlsx<Cursor<Vec<u8>>>;

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

mod common;
use common::{checked, flawed};

fn huaian() -> Option<Item> {
    common::huaian().map(|report| checked("huaian-gov-2024", report))
}

fn wrong_total() -> Item {
    let path = manifest("../xxgk-parse/tests/fixtures/reports/wrong-total-2021.txt");
    let report = xxgk_parse::parse_file(&path, &xxgk_parse::Options::default())
        .expect("the fixture parses")
        .report;
    checked("wrong-total-2021", report)
}

fn open(bytes: Vec<u8>) -> Book {
    Xlsx::new(Cursor::new(bytes)).expect("calamine opens the workbook")
}

/// A sheet as a grid of cells, indexed from A1.
fn sheet(book: &mut Book, name: &str) -> Vec<Vec<Data>> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let (h, w) = range
        .end()
        .map_or((0, 0), |(r, c)| (r as usize + 1, c as usize + 1));
    (0..h)
        .map(|r| {
            (0..w)
                .map(|c| {
                    range
                        .get_value((r as u32, c as u32))
                        .cloned()
                        .unwrap_or(Data::Empty)
                })
                .collect()
        })
        .collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// The non-empty cells of the first row whose first cell reads `label`, after that cell.
fn row_after<'a>(grid: &'a [Vec<Data>], label: &str) -> Option<(usize, Vec<&'a Data>)> {
    grid.iter().enumerate().find_map(|(r, row)| {
        let k = row.iter().position(|d| text(d) == label)?;
        (row[..k].iter().all(|d| *d == Data::Empty)).then(|| {
            (
                r,
                row[k + 1..].iter().filter(|d| **d != Data::Empty).collect(),
            )
        })
    })
}

#[test]
fn huaian_values_sit_in_the_form_cells() {
    let Some(item) = huaian() else { return };
    let mut book = open(report_workbook(&item, Lang::En).unwrap());
    let names = book.sheet_names();
    assert_eq!(
        names,
        [SUMMARY_SHEET, "二 主动公开", "三 申请", "四 复议诉讼"]
    );

    // Section 三: title row, then the form; 一、本年新收 in the stub, its seven counts after.
    let apps = sheet(&mut book, "三 申请");
    assert_eq!(text(&apps[0][0]), "三、收到和处理政府信息公开申请情况");
    let (r, values) =
        row_after(&apps, "一、本年新收政府信息公开申请数量").expect("the new-applications row");
    assert_eq!(
        values.iter().map(|d| text(d)).collect::<Vec<_>>(),
        ["3001", "53", "0", "0", "61", "4", "3119"]
    );
    assert!(
        values.iter().all(|d| matches!(d, Data::Float(_))),
        "counts are numbers: {values:?}"
    );
    // The label spans the three stub columns; values start in the fourth.
    assert_eq!(apps[r][3], Data::Float(3001.0));
    assert_eq!(apps[r][9], Data::Float(3119.0));

    // Merged headers as the form draws them.
    let merged = book.merge_cells_by_sheet_name("三 申请").unwrap();
    let at = |row: u32, col: u32| {
        merged
            .iter()
            .find(|m| m.start == (row, col))
            .map(|m| (m.end.0 - m.start.0 + 1, m.end.1 - m.start.1 + 1))
    };
    let (hr, hc) = apps
        .iter()
        .enumerate()
        .find_map(|(r, row)| {
            row.iter()
                .position(|d| text(d) == "法人或其他组织")
                .map(|c| (r as u32, c as u32))
        })
        .expect("法人或其他组织 header");
    assert_eq!(
        at(hr, hc),
        Some((1, 5)),
        "法人或其他组织 spans five columns"
    );
    assert_eq!(
        at(1, 0),
        Some((3, 3)),
        "the stub header spans three rows and three columns"
    );
    assert_eq!(
        at(r as u32, 0),
        Some((1, 3)),
        "a top-level row label spans the stub"
    );
    assert!(
        at(0, 0).is_some(),
        "the title row is merged across the table"
    );

    // Section 二: the fee stays exact text.
    let active = sheet(&mut book, "二 主动公开");
    let (_, fee) = row_after(&active, "行政事业性收费").expect("the fee row");
    assert_eq!(fee, [&Data::String("96171.6".into())]);

    // Section 四: one row of fifteen values under a merged header.
    let review = sheet(&mut book, "四 复议诉讼");
    let rows: Vec<&Vec<Data>> = review
        .iter()
        .filter(|row| row.iter().filter(|d| matches!(d, Data::Float(_))).count() == 15)
        .collect();
    assert_eq!(rows.len(), 1, "one row of 15 values");
    let merged4 = book.merge_cells_by_sheet_name("四 复议诉讼").unwrap();
    assert!(
        merged4
            .iter()
            .any(|m| m.start == (1, 5) && m.end == (1, 14)),
        "行政诉讼 spans ten columns: {merged4:?}"
    );
    assert_eq!(text(&review[1][5]), "行政诉讼");

    // The summary names the report.
    let summary = sheet(&mut book, SUMMARY_SHEET);
    let meta: Vec<(String, String)> = summary
        .iter()
        .filter(|r| r.len() > 1)
        .map(|r| (text(&r[0]), text(&r[1])))
        .collect();
    assert!(meta.contains(&("Year".into(), "2024".into())), "{meta:?}");
    assert!(
        meta.contains(&("Edition".into(), "2021".into())),
        "{meta:?}"
    );
}

#[test]
fn failed_check_is_filled_and_listed() {
    let item = wrong_total();
    let codes: Vec<&str> = item.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"applications.outcomes_total"), "{codes:?}");
    let flagged = item.flagged();
    assert!(
        flagged
            .get(&CellId::parse("applications.outcomes.total.natural_person").unwrap())
            .is_some_and(|ds| ds.iter().any(|d| d.code == "applications.outcomes_total"))
    );

    let mut book = open(report_workbook(&item, Lang::En).unwrap());
    let apps = sheet(&mut book, "三 申请");
    let (r, values) = row_after(&apps, "（七）总计").expect("the （七）总计 row");
    assert_eq!(text(values[0]), "212");
    // The note cannot be read back (calamine reads no comments); its text is tested in the
    // crate's unit tests. The fill can: 自然人 of （七）总计 is the cell the checks suggest
    // correcting (stronger red); the other terms of the failed sum are light red.
    let col = apps[r]
        .iter()
        .position(|d| *d == Data::Float(212.0))
        .unwrap();
    let styles = book.worksheet_style("三 申请").unwrap();
    let fill = styles
        .get((r as u32, col as u32))
        .and_then(|s| s.fill.as_ref())
        .and_then(|f| f.get_color());
    assert_eq!(
        fill.map(|c| (c.red, c.green, c.blue)),
        Some((0xFF, 0x8F, 0x8F)),
        "suspect fill on the flagged cell"
    );
    let r0 = apps
        .iter()
        .position(|row| row.iter().any(|d| text(d) == "（一）予以公开"))
        .expect("the （一）予以公开 row");
    let fill = styles
        .get((r0 as u32, col as u32))
        .and_then(|s| s.fill.as_ref())
        .and_then(|f| f.get_color());
    assert_eq!(
        fill.map(|c| (c.red, c.green, c.blue)),
        Some((0xFF, 0xC7, 0xCE)),
        "error fill on a term of the failed sum"
    );
    // A cell no check names has no fill (二: 行政许可 2316).
    assert!(
        !flagged.contains_key(&CellId::parse("active_disclosure.licensing.decisions").unwrap()),
        "{:?}",
        flagged.keys()
    );
    let active = sheet(&mut book, "二 主动公开");
    let (r1, values) = row_after(&active, "行政许可").unwrap();
    assert_eq!(values, [&Data::Float(2316.0)]);
    let styles2 = book.worksheet_style("二 主动公开").unwrap();
    let plain = styles2
        .get((r1 as u32, 1))
        .and_then(|s| s.fill.as_ref())
        .filter(|f| f.is_visible());
    assert!(plain.is_none(), "{plain:?}");

    // The summary lists every diagnostic: severity, code, message, cells.
    let summary = sheet(&mut book, SUMMARY_SHEET);
    let head = summary
        .iter()
        .position(|row| text(&row[0]) == "Severity")
        .expect("diagnostics header");
    // The list ends at a blank row (the narrative's statements follow it).
    let listed: Vec<(String, String)> = summary[head + 1..]
        .iter()
        .take_while(|row| !text(&row[0]).is_empty())
        .map(|row| (text(&row[0]), text(&row[1])))
        .collect();
    assert_eq!(listed.len(), item.diagnostics.len());
    for d in &item.diagnostics {
        assert!(
            listed.contains(&(d.severity.as_str().to_owned(), d.code.clone())),
            "{} missing from {listed:?}",
            d.code
        );
    }
    let row = summary[head + 1..]
        .iter()
        .find(|row| text(&row[1]) == "applications.outcomes_total")
        .unwrap();
    assert!(
        text(&row[3]).contains("applications.outcomes.total.natural_person"),
        "{row:?}"
    );
    assert!(text(&row[4]).contains("（七）总计"), "{row:?}");
    let errors = summary
        .iter()
        .find(|row| text(&row[0]) == "Errors")
        .unwrap();
    assert_eq!(
        text(&errors[1]),
        item.diagnostics
            .iter()
            .filter(|d| d.severity.as_str() == "error")
            .count()
            .to_string()
    );
}

#[test]
fn corpus_has_a_summary_and_a_wide_table() {
    let mut items = vec![wrong_total()];
    items.push(huaian().unwrap_or_else(|| {
        let report = xxgk_model::Report::from_json(
            r#"{ "meta": { "edition": "2021", "year": 2024, "agency": "某县统计局" },
                 "tables": { "review_litigation": { "administrative_review": { "upheld": 1, "total": 1 } } } }"#,
        )
        .unwrap();
        checked("small", report)
    }));
    let mut book = open(corpus_workbook(&items, Lang::En).unwrap());
    assert_eq!(book.sheet_names(), [SUMMARY_SHEET, WIDE_SHEET]);

    let wide = sheet(&mut book, WIDE_SHEET);
    assert_eq!(wide.len(), 3, "a header row and two data rows");
    let header: Vec<String> = wide[0].iter().map(text).collect();
    // Column for column the wide CSV.
    assert_eq!(header[..4], ["report", "agency", "year", "edition"]);
    let meta = xxgk_export::csv_out::WIDE_META;
    assert_eq!(header[..meta.len()], meta);
    assert_eq!(
        header[meta.len()..],
        xxgk_export::csv_out::wide_columns(&items)[..]
    );
    let cells = xxgk_model::Edition::E2021.template().cell_ids().count();
    assert_eq!(header.len(), meta.len() + cells);
    let col = |id: &str| {
        header
            .iter()
            .position(|h| h == id)
            .unwrap_or_else(|| panic!("no column {id}"))
    };
    assert_eq!(text(&wide[1][0]), "wrong-total-2021");
    assert_eq!(wide[1][2], Data::Float(2021.0));
    assert_eq!(text(&wide[1][3]), "2021");
    assert_eq!(
        wide[1][col("applications.new_received.total")],
        Data::Float(236.0)
    );
    assert_eq!(
        wide[1][col("applications.outcomes.total.natural_person")],
        Data::Float(212.0)
    );
    assert_eq!(
        wide[1][col("active_disclosure.fees.amount")],
        Data::String("35.8".into())
    );
    if items[1].name == "small" {
        assert_eq!(
            wide[2][col("review_litigation.administrative_review.upheld")],
            Data::Float(1.0)
        );
    } else {
        assert_eq!(
            wide[2][col("applications.new_received.total")],
            Data::Float(3119.0)
        );
        assert_eq!(
            wide[2][col("active_disclosure.fees.amount")],
            Data::String("96171.6".into())
        );
    }

    let summary = sheet(&mut book, SUMMARY_SHEET);
    assert_eq!(summary.len(), 3);
    assert_eq!(
        summary[0].iter().take(6).map(text).collect::<Vec<_>>(),
        ["Report", "Agency", "Year", "Edition", "Errors", "Warnings"]
    );
    assert_eq!(text(&summary[1][0]), "wrong-total-2021");
    assert_eq!(text(&summary[1][1]), "某市水务局");
    assert!(
        matches!(summary[1][4], Data::Float(n) if n >= 1.0),
        "the wrong total is an error: {:?}",
        summary[1][4]
    );
    assert_eq!(text(&summary[2][0]), items[1].name);
}

#[test]
fn empty_corpus_and_empty_report_still_write() {
    let mut book = open(corpus_workbook(&[], Lang::En).unwrap());
    assert_eq!(
        sheet(&mut book, WIDE_SHEET)[0]
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        xxgk_export::csv_out::WIDE_META
    );
    let item = checked("empty", xxgk_model::Report::new(xxgk_model::Edition::E2021));
    let book = open(report_workbook(&item, Lang::En).unwrap());
    assert_eq!(book.sheet_names(), [SUMMARY_SHEET]);
}

/// A sheet as text: one line per row, its non-empty cells separated by ` | `.
fn sheet_text(grid: &[Vec<Data>]) -> String {
    grid.iter()
        .map(|row| {
            let cells: Vec<String> = row.iter().map(text).collect();
            let n = cells
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |k| k + 1);
            cells[..n].join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_summary_speaks_chinese() {
    let item = flawed();
    for (lang, name) in [
        (Lang::Zh, "summary_sheet_zh"),
        (Lang::En, "summary_sheet_en"),
    ] {
        let mut book = open(report_workbook(&item, lang).unwrap());
        let summary = sheet_text(&sheet(&mut book, SUMMARY_SHEET));
        insta::assert_snapshot!(name, summary);
    }
}

/// The corpus workbook, written row by row from its spool, holds what the wide CSV holds, cell
/// for cell, and each report's counts of errors and warnings, over both editions in the order
/// they come (a 2019 report after 2021 ones moves the columns) and reports with failed checks.
#[test]
fn corpus_workbook_is_the_wide_csv_and_the_counts() {
    use xxgk_model::diagnostic::Severity;
    use xxgk_testkit::synth;
    let mut rng = synth::Rng::new(5);
    let mut reports = synth::corpus(&mut rng, 40);
    reports.sort_by_key(|r| std::cmp::Reverse(r.meta.year));
    let cells = [xxgk_model::Edition::E2019, xxgk_model::Edition::E2021].map(synth::equality_cells);
    for report in reports.iter_mut().step_by(4) {
        let cells = &cells[usize::from(report.edition() == xxgk_model::Edition::E2021)];
        synth::inject(&mut rng, report, cells);
    }
    let items: Vec<Item> = reports
        .into_iter()
        .enumerate()
        .map(|(k, r)| checked(format!("r{k}"), r))
        .collect();
    assert!(
        items
            .iter()
            .any(|i| i.diagnostics.iter().any(|d| d.severity == Severity::Error))
    );
    let editions: std::collections::HashSet<_> = items.iter().map(|i| i.report.edition()).collect();
    assert_eq!(editions.len(), 2, "both editions");

    let mut csv = Vec::new();
    xxgk_export::csv_out::wide(&items, &mut csv).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.as_slice());
    let mut expected = vec![
        reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    ];
    expected.extend(
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect()),
    );

    let mut book = open(corpus_workbook(&items, Lang::En).unwrap());
    let wide: Vec<Vec<String>> = sheet(&mut book, WIDE_SHEET)
        .iter()
        .map(|row| row.iter().map(text).collect())
        .collect();
    assert_eq!(wide.len(), expected.len());
    for (r, (got, want)) in wide.iter().zip(&expected).enumerate() {
        // Trailing empty cells are not in the sheet.
        let mut got = got.clone();
        got.resize(want.len(), String::new());
        // The CSV writes the edition as its id, the sheet too; amounts keep their digits.
        assert_eq!(&got, want, "row {r}");
    }

    let summary = sheet(&mut book, SUMMARY_SHEET);
    assert_eq!(summary.len(), items.len() + 1);
    for (row, item) in summary[1..].iter().zip(&items) {
        let count = |s: Severity| item.diagnostics.iter().filter(|d| d.severity == s).count();
        assert_eq!(text(&row[0]), item.name);
        assert_eq!(text(&row[4]), count(Severity::Error).to_string());
        assert_eq!(text(&row[5]), count(Severity::Warning).to_string());
    }
}
