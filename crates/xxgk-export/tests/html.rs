//! HTML pages: what a reviewer sees (failed cells marked, suggestions beside the table), and
//! that xxgk's own parser reads a page back into the same report.

use std::path::{Path, PathBuf};
use xxgk_export::Item;
use xxgk_export::html::{index_page, report_page};
use xxgk_model::cell::{CellId, Value};
use xxgk_model::message::{Lang, Message};
use xxgk_model::{Date, Edition, Report};
use xxgk_parse::{Format, parse_text};
use xxgk_testkit::synth;

mod common;
use common::{checked, flawed};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> Item {
    let path = root().join("crates/xxgk-parse/tests/fixtures/reports/wrong-total-2021.txt");
    let report = xxgk_parse::parse_file(&path, &xxgk_parse::Options::default())
        .expect("the fixture parses")
        .report;
    checked("wrong-total-2021", report)
}

fn example(name: &str) -> Report {
    let text = std::fs::read_to_string(root().join("examples").join(name)).expect("example exists");
    Report::from_json(&text).expect("example is canonical JSON")
}

fn examples() -> Vec<(String, Report)> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), example(&n)))
        .collect()
}

/// Every cell's value, in print order.
fn values(r: &Report) -> Vec<(CellId, Value)> {
    let mut out = Vec::new();
    r.tables.for_each_cell(&mut |id, c| out.push((id, c.value)));
    out
}

fn parse_back(page: &str) -> Report {
    parse_text(page, Format::Html)
        .unwrap_or_else(|e| panic!("the page does not parse back: {e}\n{page}"))
}

fn assert_same_values(original: &Report, back: &Report, what: &str) {
    assert_eq!(back.edition(), original.edition(), "{what}: edition");
    let (a, b) = (values(original), values(back));
    let differ: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("{}: {:?} became {:?} ({})", x.0, x.1, y.1, y.0))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: {} cells differ: {differ:#?}",
        differ.len()
    );
    assert_eq!(a.len(), b.len(), "{what}: number of cells (present tables)");
    assert!(
        back.extra_rows.is_empty(),
        "{what}: extra rows {:?}",
        back.extra_rows
    );
}

fn assert_same_meta(original: &Report, back: &Report, what: &str) {
    assert_eq!(back.meta.agency, original.meta.agency, "{what}: agency");
    assert_eq!(back.meta.year, original.meta.year, "{what}: year");
    assert_eq!(
        back.meta.published, original.meta.published,
        "{what}: published"
    );
}

/// The opening tag of the element with `id`.
fn tag_with_id<'a>(page: &'a str, id: &str) -> &'a str {
    let needle = format!("id=\"{id}\"");
    let at = page
        .find(&needle)
        .unwrap_or_else(|| panic!("no element with {needle}"));
    let start = page[..at].rfind('<').expect("tag start");
    let end = at + page[at..].find('>').expect("tag end");
    &page[start..=end]
}

/// The text content of the `<td>` with `id`.
fn cell_text<'a>(page: &'a str, id: &str) -> &'a str {
    let tag = tag_with_id(page, id);
    let at = page.find(tag).expect("tag") + tag.len();
    &page[at..at + page[at..].find("</td>").expect("cell end")]
}

#[test]
fn wrong_total_page_marks_the_failed_cell_and_suggests_the_correction() {
    let item = fixture();
    assert!(
        item.diagnostics
            .iter()
            .any(|d| d.severity == xxgk_model::diagnostic::Severity::Error),
        "the fixture fails a check: {:#?}",
        item.diagnostics
    );
    let page = report_page(&item, Lang::En);
    let td = tag_with_id(&page, "c-applications.outcomes.total.natural_person");
    assert!(td.starts_with("<td"), "{td}");
    assert!(
        td.contains("class=\"err suspect\""),
        "the （七）总计 / 自然人 cell is marked as an error, the one to correct: {td}"
    );
    // The other cells of the failed checks are marked, but not as the suspect.
    let involved = tag_with_id(&page, "c-applications.new_received.natural_person");
    assert!(
        involved.contains("class=\"err\"") && involved.contains("data-n=\"1\""),
        "{involved}"
    );
    assert!(td.contains("data-n=\""), "{td}");
    assert!(td.contains("title=\"三（七）总计 / 自然人"), "{td}");
    // The cell holds the value as printed, nothing more.
    assert_eq!(
        cell_text(&page, "c-applications.outcomes.total.natural_person"),
        "212"
    );
    // The suggestion, in the table's findings and in the list of all diagnostics.
    let suggestion =
        "Suggested correction: 三（七）总计 / 自然人 prints 212; the other cells imply 211";
    assert!(page.matches(suggestion).count() >= 2, "{page}");
    // A cell nothing names is plain.
    let plain = tag_with_id(&page, "c-review_litigation.administrative_review.upheld");
    assert!(
        !plain.contains("class=") && !plain.contains("data-n"),
        "{plain}"
    );
    assert_eq!(
        cell_text(&page, "c-review_litigation.administrative_review.upheld"),
        "3"
    );
    // The summary.
    assert!(page.contains("<span class=\"badge fail\">Failed</span>"));
    assert!(page.contains("wrong-total-2021.txt"));
}

/// The page without its style sheet and with each form table cut to its id: what the page
/// says around the form.
fn around_the_form(page: &str) -> String {
    let start = page.find("<style>").expect("style") + "<style>".len();
    let end = page.find("</style>").expect("style end");
    let mut out = format!("{}…{}", &page[..start], &page[end..]);
    while let Some(at) = out.find("<table class=\"form") {
        let end = at + out[at..].find("</table>").expect("table end") + "</table>".len();
        let id = out[at..end]
            .split("id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_owned();
        out.replace_range(at..end, &format!("[form {id}]"));
    }
    out
}

#[test]
fn the_page_speaks_chinese() {
    let item = flawed();
    let severities: Vec<_> = item
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.code.as_str()))
        .collect();
    assert!(
        severities.contains(&(xxgk_model::diagnostic::Severity::Warning, "parse.extra_row")),
        "{severities:?}"
    );
    let page = report_page(&item, Lang::Zh);
    assert!(page.contains("<span class=\"badge fail\">未通过</span>"));
    assert!(page.contains("建议更正：三（七）总计 / 自然人填报 212，按其他单元格推算应为 211"));
    assert!(page.contains("来源：第 "), "a location in Chinese");
    assert!(!page.contains("Suggested correction"));
    // The page still reads back as the report.
    let back = parse_back(&page);
    assert_same_values(&item.report, &back, "Chinese page");
    assert_same_meta(&item.report, &back, "Chinese page");
    insta::assert_snapshot!("report_page_zh", around_the_form(&page));
    insta::assert_snapshot!(
        "report_page_en",
        around_the_form(&report_page(&item, Lang::En))
    );
}

#[test]
fn wrong_total_page_parses_back_into_the_same_report() {
    let item = fixture();
    let page = report_page(&item, Lang::En);
    let back = parse_back(&page);
    assert_same_values(&item.report, &back, "wrong-total-2021");
    assert_same_meta(&item.report, &back, "wrong-total-2021");
    assert_eq!(back.meta.title, item.report.meta.title);
    assert_eq!(item.report.meta.published, Date::new(2022, 1, 25));
    assert!(
        page.contains("<p>某市水务局</p>\n<p>2022年1月25日</p>\n</footer>"),
        "the signature ends the page"
    );
    // The parser finds the same arithmetic fault in the page, and nothing about the page's shape.
    let again = checked("again", back);
    let codes = |i: &Item| {
        let mut c: Vec<String> = i
            .diagnostics
            .iter()
            // The page renders the tables, not the narrative: its missing sections 一/五/六 are
            // the page's, not the report's.
            .filter(|d| !d.code.starts_with("parse.") && !d.code.starts_with("outline."))
            .map(|d| d.code.clone())
            .collect();
        c.sort();
        c
    };
    assert_eq!(codes(&again), codes(&item));
    let parse_problems: Vec<_> = again
        .diagnostics
        .iter()
        .filter(|d| {
            d.code.starts_with("parse.") && d.severity >= xxgk_model::diagnostic::Severity::Warning
        })
        .collect();
    assert!(parse_problems.is_empty(), "{parse_problems:#?}");
}

#[test]
fn example_reports_of_both_editions_round_trip() {
    let all = examples();
    assert!(all.iter().any(|(_, r)| r.edition() == Edition::E2019));
    assert!(all.iter().any(|(_, r)| r.edition() == Edition::E2021));
    for (name, report) in all {
        let item = checked(name.clone(), report);
        let page = report_page(&item, Lang::En);
        let back = parse_back(&page);
        assert_same_values(&item.report, &back, &name);
        assert_same_meta(&item.report, &back, &name);
        assert_eq!(back.meta.title, item.report.meta.title, "{name}: title");
        let shape: Vec<_> = back
            .diagnostics
            .iter()
            .filter(|d| d.severity >= xxgk_model::diagnostic::Severity::Warning)
            // The page holds the tables only (sections 二 to 四), not the narrative.
            .filter(|d| d.code != "outline.missing")
            .collect();
        assert!(shape.is_empty(), "{name}: {shape:#?}");
    }
}

#[test]
fn amounts_na_blank_signed_and_unknown_cells_print_as_the_form_does() {
    let mut report = example("2019-transport-bureau-2019.json");
    // An unknown cell shows `?` and stays unknown when read back.
    *report
        .tables
        .cell_mut("applications", "carried_over", "research_institution")
        .expect("cell") = Value::Unknown.into();
    let item = checked("r", report);
    let page = report_page(&item, Lang::En);
    assert_eq!(
        cell_text(&page, "c-active_disclosure.procurement.amount"),
        "1710.15万元"
    );
    assert_eq!(
        cell_text(&page, "c-active_disclosure.regulations.produced"),
        "/"
    );
    assert_eq!(
        cell_text(&page, "c-active_disclosure.licensing.change"),
        "-3"
    );
    assert_eq!(
        cell_text(&page, "c-applications.carried_over.research_institution"),
        "?"
    );
    assert!(
        tag_with_id(&page, "c-applications.carried_over.research_institution").contains("unknown")
    );
    let blank = item
        .report
        .tables
        .cell("review_litigation", "litigation_after_review", "upheld")
        .map(|c| c.value);
    assert_eq!(blank, Some(Value::Blank));
    assert_eq!(
        cell_text(&page, "c-review_litigation.litigation_after_review.upheld"),
        ""
    );
    // Section 二's narrower sub-tables reach the form's right edge.
    assert!(tag_with_id(&page, "c-active_disclosure.procurement.amount").contains("colspan=\"2\""));
    let back = parse_back(&page);
    assert_same_values(&item.report, &back, "with an unknown cell");
}

#[test]
fn generated_reports_round_trip() {
    for edition in [Edition::E2019, Edition::E2021] {
        for i in 0..60 {
            let mut rng = synth::Rng::new(synth::case_seed(edition, i));
            let year = synth::random_year(&mut rng, edition);
            let agency = synth::agency_name(i);
            let mut r = synth::report(&mut rng, edition, &agency, year);
            r.meta.title = Some(format!("{agency}{year}年政府信息公开工作年度报告"));
            r.meta.published = Date::new(year + 1, 1 + (i % 12) as u8, 1 + (i % 28) as u8);
            let item = checked(format!("g{i}"), r);
            let page = report_page(&item, Lang::En);
            let back = parse_back(&page);
            let what = format!("{edition} #{i}");
            assert_same_values(&item.report, &back, &what);
            assert_eq!(back.meta, item.report.meta, "{what}: meta");
        }
    }
}

#[test]
fn a_report_without_title_agency_or_a_table_still_reads_back() {
    let mut report = example("2021-county-office-2024.json");
    report.meta.title = None;
    let agency = report.meta.agency.clone();
    let item = checked("no-title", report.clone());
    let page = report_page(&item, Lang::En);
    assert!(page.contains("<h1>某县人民政府办公室2024年政府信息公开工作年度报告</h1>"));
    let back = parse_back(&page);
    assert_same_values(&report, &back, "no title");
    assert_same_meta(&report, &back, "no title");

    // No agency: the line before the date must not be taken for one, in either language.
    report.meta.agency = None;
    for lang in [Lang::En, Lang::Zh] {
        let page = report_page(&checked("no-agency", report.clone()), lang);
        let back = parse_back(&page);
        assert_eq!(back.meta.agency, None, "{lang:?}");
        assert_eq!(back.meta.published, report.meta.published, "{lang:?}");
        assert_eq!(back.meta.year, report.meta.year, "{lang:?}");
    }
    report.meta.agency = agency;

    // A table the report lacks is said to be missing, and stays absent.
    let mut json: serde_json::Value = serde_json::from_str(&report.to_json_pretty()).expect("json");
    json["tables"]
        .as_object_mut()
        .expect("tables")
        .remove("active_disclosure");
    let without = Report::from_json(&json.to_string()).expect("report");
    assert!(
        without
            .tables
            .cell("active_disclosure", "licensing", "decisions")
            .is_none()
    );
    let page = report_page(&checked("partial", without.clone()), Lang::En);
    assert!(
        page.contains("<h2>二、主动公开政府信息情况</h2>\n<p class=\"note\">Not in this report")
    );
    let back = parse_back(&page);
    assert_same_values(&without, &back, "without section 二");
    assert_same_meta(&without, &back, "without section 二");
}

#[test]
fn text_is_escaped() {
    let mut report = example("2021-county-office-2023.json");
    report.meta.title =
        Some("某县<script>alert(\"x&y\")</script>2023年政府信息公开工作年度报告".into());
    report.meta.agency = Some("某县'人民'政府<b>办公室</b>".into());
    let mut item = checked("<img src=x onerror=alert(1)>", report);
    item.diagnostics.push(
        xxgk_model::diagnostic::Diagnostic::new(
            "x.<y>",
            xxgk_model::diagnostic::Severity::Warning,
            Message::new("input.error").arg("error", "a <b>bold</b> & \"quoted\" message"),
        )
        .with_cells([CellId::parse("applications.new_received.total").expect("cell")]),
    );
    let page = report_page(&item, Lang::En);
    assert!(!page.contains("<script"), "a script tag got through");
    assert!(
        !page.contains("<b>") && !page.contains("<img"),
        "markup got through"
    );
    assert!(page.contains("<title>某县&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;2023年政府信息公开工作年度报告</title>"));
    assert!(page.contains("某县&#39;人民&#39;政府&lt;b&gt;办公室&lt;/b&gt;"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; message"));
    // The cell's tooltip carries the message, escaped, and the cell still holds its value only.
    let td = tag_with_id(&page, "c-applications.new_received.total");
    assert!(
        td.contains("class=\"warn\"") && td.contains("&lt;b&gt;bold&lt;/b&gt;"),
        "{td}"
    );
    // Read back, the title is the text as it was.
    let back = parse_back(&page);
    assert_eq!(back.meta.title, item.report.meta.title);
    assert_same_values(&item.report, &back, "escaped");
}

#[test]
fn pages_are_self_contained() {
    let page = report_page(&fixture(), Lang::En);
    assert!(
        page.starts_with(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"
        )
    );
    for external in [
        "http://", "https://", "<script", "<link", "src=", "@import", "url(",
    ] {
        assert!(!page.contains(external), "the page refers to {external}");
    }
    // Every diagnostic is listed; none is written inside a table.
    let item = fixture();
    for (n, _) in item.diagnostics.iter().enumerate() {
        assert!(page.contains(&format!("<li id=\"d{}\"", n + 1)));
    }
    for table in page.split("<table class=\"form\"").skip(1) {
        let table = &table[..table.find("</table>").expect("table end")];
        assert!(
            !table.contains("<li") && !table.contains("<span") && !table.contains("<sup"),
            "{table}"
        );
    }
}

#[test]
fn index_page_links_every_report() {
    let mut items: Vec<Item> = examples()
        .into_iter()
        .filter(|(n, _)| !n.contains('/'))
        .map(|(n, r)| checked(n.trim_end_matches(".json").to_owned(), r))
        .collect();
    items.push(fixture());
    let links: Vec<String> = items.iter().map(|i| format!("{}.html", i.name)).collect();
    let page = index_page(&items, &links, Lang::En);
    assert!(page.starts_with("<!DOCTYPE html>"));
    for (item, link) in items.iter().zip(&links) {
        assert!(
            page.contains(&format!("<a href=\"{link}\">{}</a>", item.name)),
            "{link}"
        );
    }
    assert!(page.contains("<td>某市水务局</td>"));
    assert!(page.contains("<tr class=\"fail\"><td><a href=\"wrong-total-2021.html\">"));
    assert!(page.contains(&format!("Annual reports: {} checked", items.len())));
    // Odd file names stay relative links; missing links leave the name unlinked.
    let page = index_page(&items[..2], &["a b#c.html".to_owned()], Lang::En);
    assert!(page.contains("href=\"a%20b%23c.html\""));
    assert!(page.contains(&format!("<td>{}</td>", items[1].name)));
    assert!(index_page(&[], &[], Lang::En).contains("Annual reports: 0 checked"));
}

/// Writes the page for the fixture to /tmp/xxgk-review.html for a look in a browser.
#[test]
#[ignore]
fn write_review_page() {
    std::fs::write("/tmp/xxgk-review.html", report_page(&fixture(), Lang::En)).expect("write");
    let items: Vec<Item> = examples().into_iter().map(|(n, r)| checked(n, r)).collect();
    let links: Vec<String> = items.iter().map(|i| format!("{}.html", i.name)).collect();
    std::fs::write("/tmp/xxgk-index.html", index_page(&items, &links, Lang::En)).expect("write");
    let mut warned = example("broken/active_disclosure.2019.published_le_total.json");
    *warned
        .tables
        .cell_mut("applications", "carried_over", "research_institution")
        .expect("cell") = Value::Unknown.into();
    std::fs::write(
        "/tmp/xxgk-review-2019.html",
        report_page(&checked("published-le-total", warned), Lang::En),
    )
    .expect("write");
}

#[test]
fn awkward_cells_round_trip() {
    use xxgk_model::cell::{Amount, AmountUnit};
    let base = example("2021-county-office-2024.json");
    let check = |what: &str, r: Report| {
        let page = report_page(&checked(what, r.clone()), Lang::En);
        let back = parse_back(&page);
        assert_same_values(&r, &back, what);
        assert_eq!(back.meta, r.meta, "{what}: meta");
    };
    // A whole row blank.
    let mut r = base.clone();
    r.tables.for_each_cell_mut(&mut |id, c| {
        if id.table == "applications" && id.row == "new_received" {
            c.value = Value::Blank;
        }
    });
    check("blank row", r);
    // An amount in 元 under the 万元 header keeps its unit.
    let mut r = base.clone();
    *r.tables
        .cell_mut("active_disclosure", "fees", "amount")
        .expect("cell") =
        Value::Amount(Amount::parse("251000", AmountUnit::Yuan).expect("amount")).into();
    check("amount in yuan", r);
    // Signed counts in a count column (`+5`, `-2`).
    let mut r = base.clone();
    *r.tables
        .cell_mut("applications", "new_received", "natural_person")
        .expect("cell") = Value::SignedCount(5).into();
    *r.tables
        .cell_mut("applications", "carried_over", "natural_person")
        .expect("cell") = Value::SignedCount(-2).into();
    check("signed counts", r);
    // A table of unknown cells stays present, every cell unknown.
    let mut r = base.clone();
    r.tables.for_each_cell_mut(&mut |id, c| {
        if id.table == "active_disclosure" {
            c.value = Value::Unknown;
        }
    });
    check("unknown table", r);
    // Section 四 with most cells blank.
    let mut r = base.clone();
    let mut k = 0;
    r.tables.for_each_cell_mut(&mut |id, c| {
        if id.table == "review_litigation" {
            k += 1;
            if k <= 7 {
                c.value = Value::Blank;
            }
        }
    });
    check("section 四 half blank", r);
}

#[test]
fn a_narrative_mismatch_is_highlighted_beside_the_cell_it_restates() {
    let path = root().join("crates/xxgk-parse/tests/fixtures/text/narrative-disagrees-2021.txt");
    let report = xxgk_parse::parse_file(&path, &xxgk_parse::Options::default())
        .expect("the fixture parses")
        .report;
    let item = checked("narrative-disagrees-2021", report);
    let page = report_page(&item, Lang::Zh);
    let section = &page[page.find("<section class=\"narrative\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    // The disagreeing sentence: marked, its number highlighted, linked to the cell it restates.
    let row = section
        .lines()
        .find(|l| l.contains("<code>received</code>"))
        .unwrap();
    assert!(row.starts_with("<tr class=\"warn\">"), "{row}");
    assert!(row.contains("<mark>1590</mark>"), "{row}");
    assert!(
        row.contains("1599<br><a href=\"#c-applications.new_received.total\">"),
        "{row}"
    );
    assert!(row.contains("与表格不符"), "{row}");
    // An agreeing one is not.
    let agrees = section
        .lines()
        .find(|l| l.contains("<code>handled</code>"))
        .unwrap();
    assert!(agrees.starts_with("<tr class=\"ok\">"), "{agrees}");
    // The restated cell is marked as a warning in the table, numbered like its diagnostic.
    let td = tag_with_id(&page, "c-applications.new_received.total");
    assert!(td.contains("class=\"warn"), "{td}");
    // The fee sentence shows in the summary.
    assert!(page.contains("<dt>信息处理费</dt><dd>未收取</dd>"));
    // Read back, the page holds the same tables (its quotes, in the messages, read as prose).
    let back = parse_back(&page);
    assert_same_values(&item.report, &back, "narrative-disagrees-2021");
}
