//! Synthetic fixtures of both editions in every format the parser reads, each reproducing the
//! layout of real published reports (merged cells, blanks mixed with zeros, wrapped labels,
//! page footers inside tables, GBK bytes). Agencies are fictional, prose is placeholder text,
//! numbers are invented and satisfy every constraint unless the fixture says otherwise.
//!
//! Each fixture's parsed JSON is snapshotted (`tests/snapshots/fixtures__*.snap`); the tests
//! below also state the key facts explicitly, so that a snapshot accepted by mistake cannot
//! hide a wrong value.
//!
//! | fixture | edition | what it reproduces |
//! |---|---|---|
//! | `text/tab-2019.txt` | 2019 | tab-separated PDF text: captions, units in cells, signed change, vertical label and group labels in their first row, blanks mixed with zeros, a page break inside a row label |
//! | `text/layout-2021.txt` | 2021 | `pdftotext -layout`: space-aligned columns, page footers inside tables, the vertical label one character per line, labels wrapped over two or three lines, broken header words |
//! | `text/layout-2021-gap.txt` | 2021 | the same layout with one lost cell, a thousands separator and full-width digits |
//! | `html/word-export-2021.html` (+ `.gbk.html`) | 2021 | a Word export inside a portal page; the GBK copy declares `gb2312` in its `<meta>` |
//! | `html/plain-2019.html` | 2019 | clean HTML with a row the template lacks |
//! | `markdown/converted-2021.md` | 2021 | PDF-to-Markdown: tables broken at page breaks, generic `列1…` headers |
//! | `reports/wrong-total-2021.txt` | 2021 | tab-separated, （七）总计 / 自然人 printed one too high |

use std::path::{Path, PathBuf};
use xxgk_model::cell::{Amount, AmountUnit, Value};
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::Severity;
use xxgk_model::{Edition, Report};
use xxgk_parse::{ParseError, codes};

/// Parse `bytes` named `name` (`None`: no name) with the default options.
fn parse_bytes(bytes: &[u8], name: Option<&str>) -> Result<Report, ParseError> {
    xxgk_parse::parse(bytes, name.map(Path::new), &xxgk_parse::Options::default())
        .map(|parsed| parsed.report)
}

const APPLICANT_COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
    "total",
];
const REVIEW_COLUMNS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Parse a fixture as the CLI would (format from the file name), with `source.path` set to the
/// fixture's path relative to the crate so that snapshots do not depend on the machine.
fn parse(rel: &str) -> Report {
    let mut report = parse_bytes(&read(rel), Some(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if let Some(source) = &mut report.source {
        source.path = Some(rel.to_owned());
    }
    report
}

fn snapshot(name: &str, report: &Report) {
    insta::with_settings!({ prepend_module_to_snapshot => true, omit_expression => true }, {
        insta::assert_snapshot!(name, report.to_json_pretty());
    });
}

fn value(r: &Report, table: &str, row: &str, column: &str) -> Value {
    r.tables
        .cell(table, row, column)
        .map(|c| c.value)
        .unwrap_or(Value::Unknown)
}

/// `Some(n)` a count, `None` a blank cell.
fn cell(v: Option<u64>) -> Value {
    v.map_or(Value::Blank, Value::Count)
}

fn assert_applications(r: &Report, rows: &[(&str, [Option<u64>; 7])]) {
    for (row, values) in rows {
        for (column, v) in APPLICANT_COLUMNS.iter().zip(values) {
            assert_eq!(
                value(r, "applications", row, column),
                cell(*v),
                "applications.{row}.{column}"
            );
        }
    }
}

fn assert_review(r: &Report, rows: [[u64; 5]; 3]) {
    for (row, values) in [
        "administrative_review",
        "litigation_direct",
        "litigation_after_review",
    ]
    .iter()
    .zip(rows)
    {
        for (column, n) in REVIEW_COLUMNS.iter().zip(values) {
            assert_eq!(
                value(r, "review_litigation", row, column),
                Value::Count(n),
                "review_litigation.{row}.{column}"
            );
        }
    }
}

fn amount(r: &Report, row: &str, column: &str) -> String {
    match value(r, "active_disclosure", row, column) {
        Value::Amount(a) => a.to_string(),
        other => panic!("active_disclosure.{row}.{column} is not an amount: {other:?}"),
    }
}

/// Failed constraint instances as `id[instance]`.
fn failures(r: &Report) -> Vec<String> {
    let mut out: Vec<String> = r
        .check()
        .into_iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .map(|c| format!("{}[{}]", c.constraint.id, c.instance.unwrap_or("")))
        .collect();
    out.sort();
    out
}

fn errors(r: &Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

fn codes_of(r: &Report) -> Vec<String> {
    r.diagnostics.iter().map(|d| d.code.clone()).collect()
}

/// A consistent fixture: no constraint fails, no error diagnostic.
fn assert_consistent(r: &Report) {
    assert_eq!(
        failures(r),
        Vec::<String>::new(),
        "every relation holds in this fixture"
    );
    assert_eq!(errors(r), Vec::<String>::new());
}

fn assert_meta(r: &Report, edition: Edition, agency: &str, year: i32, published: &str) {
    assert_eq!(r.edition(), edition);
    assert_eq!(r.meta.agency.as_deref(), Some(agency));
    assert_eq!(r.meta.year, Some(year));
    assert_eq!(
        r.meta.published.map(|d| d.to_string()).as_deref(),
        Some(published)
    );
}

// ---------------------------------------------------------------------------------------------
// text/tab-2019.txt

const TAB_2019: &str = "tests/fixtures/text/tab-2019.txt";

#[test]
fn tab_2019_snapshot() {
    snapshot("tab_2019", &parse(TAB_2019));
}

#[test]
fn tab_2019_values() {
    let r = parse(TAB_2019);
    assert_meta(&r, Edition::E2019, "某市生态环境局", 2020, "2021-01-26");
    assert_eq!(
        r.meta.title.as_deref(),
        Some("某市生态环境局 2020 年政府信息公开工作年报")
    );
    assert_eq!(
        r.source.as_ref().and_then(|s| s.encoding.as_deref()),
        Some("utf-8")
    );

    // Section 二: counts, a signed negative and a `+2`, units inside the cells.
    assert_eq!(
        value(&r, "active_disclosure", "regulations", "total_published"),
        Value::Count(5)
    );
    assert_eq!(
        value(
            &r,
            "active_disclosure",
            "normative_documents",
            "total_published"
        ),
        Value::Count(27)
    );
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "change"),
        Value::SignedCount(-3)
    );
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "decisions"),
        Value::Count(1842)
    );
    assert_eq!(
        value(&r, "active_disclosure", "other_services", "change"),
        Value::SignedCount(2)
    );
    assert_eq!(
        value(&r, "active_disclosure", "penalties", "decisions"),
        Value::Count(376)
    );
    assert_eq!(
        value(&r, "active_disclosure", "fees", "change"),
        Value::SignedCount(-1)
    );
    assert_eq!(
        value(&r, "active_disclosure", "procurement", "projects"),
        Value::Count(12)
    );
    assert_eq!(amount(&r, "procurement", "amount"), "863.27 万元");
    let raw = r
        .tables
        .cell("active_disclosure", "procurement", "projects")
        .and_then(|c| c.source.as_ref())
        .map(|s| s.raw.clone());
    assert_eq!(raw.as_deref(), Some("12 项"));

    // Section 三: the row with the vertical label, group labels in their first row, blanks
    // mixed with zeros, the row whose label a page break cut (`4. 保护第三方合法` … `权益`).
    assert_applications(
        &r,
        &[
            (
                "new_received",
                [
                    Some(99),
                    Some(14),
                    Some(0),
                    Some(1),
                    Some(2),
                    Some(1),
                    Some(117),
                ],
            ),
            (
                "carried_over",
                [
                    Some(3),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(4),
                ],
            ),
            (
                "outcomes.disclosed",
                [
                    Some(41),
                    Some(6),
                    Some(0),
                    Some(1),
                    Some(2),
                    Some(0),
                    Some(50),
                ],
            ),
            ("outcomes.withheld.state_secret", [None; 7]),
            (
                "outcomes.withheld.prohibited_by_law",
                [Some(2), None, None, None, None, None, Some(2)],
            ),
            (
                "outcomes.withheld.security_stability",
                [Some(1), Some(0), None, None, None, None, Some(1)],
            ),
            (
                "outcomes.withheld.third_party_rights",
                [Some(3), Some(1), None, None, None, None, Some(4)],
            ),
            (
                "outcomes.withheld.administrative_queries",
                [Some(4), None, None, None, None, None, Some(4)],
            ),
            (
                "outcomes.unavailable.not_held",
                [
                    Some(17),
                    Some(3),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(21),
                ],
            ),
            (
                "outcomes.not_processed.complaints",
                [
                    Some(9),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(10),
                ],
            ),
            (
                "outcomes.not_processed.publications",
                [Some(0), None, None, None, None, None, Some(0)],
            ),
            ("outcomes.not_processed.excessive", [None; 7]),
            (
                "outcomes.other",
                [
                    Some(2),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(3),
                ],
            ),
            (
                "outcomes.total",
                [
                    Some(98),
                    Some(13),
                    Some(0),
                    Some(1),
                    Some(3),
                    Some(1),
                    Some(116),
                ],
            ),
            (
                "carried_forward",
                [
                    Some(4),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(5),
                ],
            ),
        ],
    );
    // The cut row's numbers are on the line after the page break.
    let loc = r
        .tables
        .cell(
            "applications",
            "outcomes.withheld.third_party_rights",
            "natural_person",
        )
        .and_then(|c| c.location())
        .unwrap();
    assert_eq!(loc.line, 57);

    assert_review(&r, [[3, 1, 0, 1, 5], [1, 0, 1, 0, 2], [0, 0, 0, 1, 1]]);
    assert_consistent(&r);
    assert_eq!(
        codes_of(&r),
        Vec::<String>::new(),
        "a well-formed grid needs no diagnostic"
    );
}

// ---------------------------------------------------------------------------------------------
// text/layout-2021.txt

const LAYOUT_2021: &str = "tests/fixtures/text/layout-2021.txt";

const LAYOUT_2021_APPLICATIONS: [(&str, [u64; 7]); 25] = [
    ("new_received", [1480, 81, 1, 2, 26, 9, 1599]),
    ("carried_over", [27, 2, 0, 0, 1, 0, 30]),
    ("outcomes.disclosed", [612, 38, 0, 2, 14, 5, 671]),
    ("outcomes.partially_disclosed", [187, 9, 0, 0, 3, 0, 199]),
    ("outcomes.withheld.state_secret", [1, 0, 0, 0, 0, 0, 1]),
    (
        "outcomes.withheld.prohibited_by_law",
        [14, 2, 0, 0, 0, 0, 16],
    ),
    (
        "outcomes.withheld.security_stability",
        [3, 0, 0, 0, 0, 0, 3],
    ),
    (
        "outcomes.withheld.third_party_rights",
        [9, 1, 0, 0, 0, 0, 10],
    ),
    ("outcomes.withheld.internal_affairs", [4, 0, 0, 0, 0, 0, 4]),
    (
        "outcomes.withheld.process_information",
        [21, 3, 0, 0, 1, 0, 25],
    ),
    ("outcomes.withheld.enforcement_files", [6, 0, 0, 0, 0, 0, 6]),
    (
        "outcomes.withheld.administrative_queries",
        [48, 2, 0, 0, 0, 0, 50],
    ),
    ("outcomes.unavailable.not_held", [351, 17, 1, 0, 6, 2, 377]),
    (
        "outcomes.unavailable.needs_creation",
        [23, 1, 0, 0, 0, 0, 24],
    ),
    (
        "outcomes.unavailable.unclear_after_correction",
        [5, 0, 0, 0, 0, 0, 5],
    ),
    ("outcomes.not_processed.complaints", [38, 4, 0, 0, 0, 1, 43]),
    ("outcomes.not_processed.duplicate", [17, 0, 0, 0, 0, 0, 17]),
    ("outcomes.not_processed.publications", [2, 0, 0, 0, 0, 0, 2]),
    ("outcomes.not_processed.excessive", [0, 0, 0, 0, 0, 0, 0]),
    ("outcomes.not_processed.confirmation", [3, 0, 0, 0, 0, 0, 3]),
    ("outcomes.other.overdue_correction", [42, 2, 0, 0, 1, 0, 45]),
    ("outcomes.other.unpaid_fees", [0, 0, 0, 0, 0, 0, 0]),
    ("outcomes.other.other", [57, 1, 0, 0, 0, 0, 58]),
    ("outcomes.total", [1443, 80, 1, 2, 25, 8, 1559]),
    ("carried_forward", [64, 3, 0, 0, 2, 1, 70]),
];

fn counts(rows: &[(&'static str, [u64; 7])]) -> Vec<(&'static str, [Option<u64>; 7])> {
    rows.iter().map(|(row, v)| (*row, v.map(Some))).collect()
}

#[test]
fn layout_2021_snapshot() {
    snapshot("layout_2021", &parse(LAYOUT_2021));
}

#[test]
fn layout_2021_values() {
    let r = parse(LAYOUT_2021);
    assert_meta(
        &r,
        Edition::E2021,
        "某市自然资源和规划局",
        2023,
        "2024-01-22",
    );
    assert_eq!(
        r.meta.title.as_deref(),
        Some("某市自然资源和规划局 2023 年政府信息公开工作年度报告")
    );

    for (row, column, n) in [
        ("regulations", "issued", 1),
        ("regulations", "in_force", 4),
        ("normative_documents", "issued", 7),
        ("normative_documents", "repealed", 3),
        ("normative_documents", "in_force", 52),
        ("licensing", "decisions", 18436),
        ("penalties", "decisions", 692),
        ("coercion", "decisions", 57),
    ] {
        assert_eq!(
            value(&r, "active_disclosure", row, column),
            Value::Count(n),
            "{row}.{column}"
        );
    }
    assert_eq!(amount(&r, "fees", "amount"), "2874.35 万元");

    // Every printed value of section 三, including the rows wrapped over three lines and
    // those after the `-4-` footer that splits （四）无法提供.
    assert_applications(&r, &counts(&LAYOUT_2021_APPLICATIONS));
    // The wrapped （二） row has its numbers on the middle line.
    let loc = r
        .tables
        .cell("applications", "outcomes.partially_disclosed", "total")
        .and_then(|c| c.location())
        .unwrap();
    assert_eq!(loc.line, 97);
    assert_review(
        &r,
        [[41, 17, 56, 12, 126], [9, 2, 5, 3, 19], [6, 1, 2, 4, 13]],
    );
    assert_consistent(&r);
    assert_eq!(
        codes_of(&r),
        Vec::<String>::new(),
        "every row printed all its values"
    );
}

// ---------------------------------------------------------------------------------------------
// text/layout-2021-gap.txt

const LAYOUT_2021_GAP: &str = "tests/fixtures/text/layout-2021-gap.txt";

#[test]
fn layout_2021_gap_snapshot() {
    snapshot("layout_2021_gap", &parse(LAYOUT_2021_GAP));
}

#[test]
fn layout_2021_gap_places_the_lost_cell_by_position() {
    let r = parse(LAYOUT_2021_GAP);
    assert_meta(&r, Edition::E2021, "某县人民政府办公室", 2022, "2023-01-30");

    // `１２` (full-width) and `1,234` (thousands separator) in one row.
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "issued"),
        Value::Count(12)
    );
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "repealed"),
        Value::Count(3)
    );
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "in_force"),
        Value::Count(1234)
    );
    let raw = |column: &str| {
        r.tables
            .cell("active_disclosure", "normative_documents", column)
            .and_then(|c| c.source.as_ref())
            .map(|s| s.raw.clone())
    };
    assert_eq!(raw("issued").as_deref(), Some("１２"));
    assert_eq!(raw("in_force").as_deref(), Some("1,234"));
    assert_eq!(amount(&r, "fees", "amount"), "1563.2 万元");

    // 2.重复申请 printed 6 values: the gap is under 科研机构, as the neighbouring rows' columns show.
    let dup = "outcomes.not_processed.duplicate";
    let expect = [
        Value::Count(19),
        Value::Count(2),
        Value::Unknown,
        Value::Count(0),
        Value::Count(1),
        Value::Count(0),
        Value::Count(22),
    ];
    for (column, v) in APPLICANT_COLUMNS.iter().zip(expect) {
        assert_eq!(value(&r, "applications", dup, column), v, "{dup}.{column}");
    }
    let placed: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::ROW_VALUES_PLACED)
        .collect();
    assert_eq!(placed.len(), 1, "{:#?}", r.diagnostics);
    let d = placed[0];
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.starts_with(&format!("applications.{dup} ")),
        "{}",
        d.message
    );
    assert!(
        d.message.contains("6 values for 7 columns"),
        "{}",
        d.message
    );
    assert!(d.message.contains("position"), "{}", d.message);
    assert_eq!(
        d.location.map(|l| l.line),
        Some(136),
        "the line of `2.重复申请`"
    );
    assert!(
        d.cells
            .iter()
            .any(|c| c.to_string() == format!("applications.{dup}.research_institution")),
        "{:?}",
        d.cells
    );

    // The rest of section 三.
    assert_applications(
        &r,
        &[
            (
                "new_received",
                [
                    Some(524),
                    Some(28),
                    Some(0),
                    Some(0),
                    Some(7),
                    Some(2),
                    Some(561),
                ],
            ),
            (
                "outcomes.not_processed.complaints",
                [
                    Some(16),
                    Some(2),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(18),
                ],
            ),
            (
                "outcomes.not_processed.publications",
                [
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(1),
                ],
            ),
            (
                "outcomes.total",
                [
                    Some(510),
                    Some(26),
                    Some(0),
                    Some(0),
                    Some(8),
                    Some(2),
                    Some(546),
                ],
            ),
            (
                "carried_forward",
                [
                    Some(25),
                    Some(2),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(27),
                ],
            ),
        ],
    );
    assert_review(&r, [[12, 3, 9, 4, 28], [3, 1, 1, 0, 5], [2, 0, 1, 1, 4]]);
    // The unknown cell makes some checks not assessable, none fail.
    assert_consistent(&r);
    assert_eq!(codes_of(&r), vec![codes::ROW_VALUES_PLACED.to_owned()]);
}

/// Whitespace an editor or extractor leaves at the ends of lines, and CRLF line endings,
/// change no value of a text fixture. A tab counts too where cells are space-aligned (in a
/// tab-separated row, a trailing tab is one more, blank, cell).
#[test]
fn trailing_whitespace_and_crlf_change_no_value() {
    let aligned = ["text/layout-2021.txt", "text/layout-2021-gap.txt"];
    let tabbed = ["text/tab-2019.txt", "reports/wrong-total-2021.txt"];
    for rel in aligned.iter().chain(&tabbed) {
        let rel = format!("tests/fixtures/{rel}");
        let text = String::from_utf8(read(&rel)).unwrap();
        let tails: &[&str] = if aligned.iter().any(|a| rel.ends_with(a)) {
            &["  ", "\t", " \t ", "\u{3000}", "\t\u{3000}"]
        } else {
            &["  ", "\u{3000}"]
        };
        let base = parse(&rel);
        for (i, tail) in tails.iter().enumerate() {
            let ending = if i % 2 == 0 { "\n" } else { "\r\n" };
            let edited: String = text.lines().map(|l| format!("{l}{tail}{ending}")).collect();
            let r = parse_bytes(edited.as_bytes(), Some(&rel)).unwrap();
            assert_eq!(
                r.tables, base.tables,
                "{rel} with {tail:?}{ending:?} ending its lines"
            );
        }
    }
}

/// Every cell's value, by id: what a reader must get right whatever the markup around it.
fn cell_values(r: &Report) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    r.tables
        .for_each_cell(&mut |id, c| out.push((id.to_string(), c.value)));
    out
}

/// `<td>` cells holding only ASCII digits, their digits rewritten by `f`.
fn numeric_cells(html: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<td>") {
        let (before, from) = rest.split_at(at + "<td>".len());
        out.push_str(before);
        let digits = from.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && from[digits..].starts_with("</td>") {
            out.push_str(&f(&from[..digits]));
            rest = &from[digits..];
        } else {
            rest = from;
        }
    }
    out.push_str(rest);
    out
}

/// Markup that changes nothing a reader of the page sees changes no value: attributes, the
/// case of tags, line breaks between cells, spans and no-break spaces around a number,
/// full-width digits. (These are what CMS and Word exports vary; the fast path and html5ever
/// must agree on all of them.)
#[test]
fn markup_that_shows_the_same_changes_no_value() {
    for rel in [PLAIN_2019, WORD_2021] {
        let html = String::from_utf8(read(rel)).unwrap();
        let base = cell_values(&parse(rel));
        assert!(base.iter().filter(|(_, v)| *v != Value::Unknown).count() > 50);
        let full_width = |d: &str| -> String {
            d.chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                .collect()
        };
        let variants = [
            html.replace("<td>", r#"<td class="c" style="border:1px solid #000">"#),
            html.replace("<td", "<TD")
                .replace("</td>", "</TD>")
                .replace("<tr", "<TR"),
            html.replace("</td>", "</td>\r\n    "),
            numeric_cells(&html, |d| format!("<span>&nbsp;{d}&nbsp;</span>")),
            numeric_cells(&html, |d| format!("<p><b>{d}</b></p>")),
            numeric_cells(&html, full_width),
            // Invisible characters editors leave inside numbers.
            numeric_cells(&html, |d| format!("&#8203;{d}\u{2060}")),
            // Hidden text and tracked deletions (Word's HTML export) beside them.
            numeric_cells(&html, |d| {
                format!("{d}<span style='display:none;mso-hide:all'>0</span><del>9</del>")
            }),
        ];
        for (i, v) in variants.iter().enumerate() {
            assert_ne!(v, &html, "variant {i} of {rel} changes the page");
            let r = parse_bytes(v.as_bytes(), Some(rel)).unwrap();
            assert_eq!(cell_values(&r), base, "variant {i} of {rel}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// html/word-export-2021.html and its GBK copy

const WORD_2021: &str = "tests/fixtures/html/word-export-2021.html";
const WORD_2021_GBK: &str = "tests/fixtures/html/word-export-2021.gbk.html";

#[test]
fn word_export_2021_snapshot() {
    snapshot("word_export_2021", &parse(WORD_2021));
}

#[test]
fn word_export_2021_values() {
    let r = parse(WORD_2021);
    assert_meta(&r, Edition::E2021, "某区市场监督管理局", 2022, "2023-01-18");
    assert_eq!(
        r.source.as_ref().and_then(|s| s.encoding.as_deref()),
        Some("utf-8")
    );

    assert_eq!(
        value(&r, "active_disclosure", "regulations", "in_force"),
        Value::Count(0)
    );
    // `行政规范` + `性文件` in two spans; an `&nbsp;` cell between two numbers.
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "issued"),
        Value::Count(2)
    );
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "repealed"),
        Value::Blank
    );
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "in_force"),
        Value::Count(19)
    );
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "decisions"),
        Value::Count(6382)
    );
    assert_eq!(
        value(&r, "active_disclosure", "penalties", "decisions"),
        Value::Count(1127)
    );
    assert_eq!(
        value(&r, "active_disclosure", "coercion", "decisions"),
        Value::Count(84)
    );
    assert_eq!(amount(&r, "fees", "amount"), "126.5 万元");

    assert_applications(
        &r,
        &[
            (
                "new_received",
                [
                    Some(220),
                    Some(33),
                    Some(0),
                    Some(1),
                    Some(7),
                    Some(1),
                    Some(262),
                ],
            ),
            (
                "carried_over",
                [
                    Some(5),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(6),
                ],
            ),
            (
                "outcomes.disclosed",
                [
                    Some(86),
                    Some(12),
                    Some(0),
                    Some(1),
                    Some(3),
                    Some(0),
                    Some(102),
                ],
            ),
            (
                "outcomes.partially_disclosed",
                [Some(14), Some(2), None, None, None, None, Some(16)],
            ),
            ("outcomes.withheld.state_secret", [None; 7]),
            (
                "outcomes.withheld.internal_affairs",
                [Some(1), None, None, None, None, None, Some(1)],
            ),
            (
                "outcomes.withheld.enforcement_files",
                [
                    Some(7),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(8),
                ],
            ),
            (
                "outcomes.unavailable.needs_creation",
                [Some(4), Some(1), None, None, None, None, Some(5)],
            ),
            ("outcomes.unavailable.unclear_after_correction", [None; 7]),
            (
                "outcomes.not_processed.excessive",
                [Some(3), None, None, None, None, None, Some(3)],
            ),
            (
                "outcomes.other.overdue_correction",
                [
                    Some(9),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(10),
                ],
            ),
            ("outcomes.other.unpaid_fees", [None; 7]),
            (
                "outcomes.other.other",
                [
                    Some(4),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(4),
                ],
            ),
            (
                "outcomes.total",
                [
                    Some(217),
                    Some(32),
                    Some(0),
                    Some(1),
                    Some(6),
                    Some(1),
                    Some(257),
                ],
            ),
            (
                "carried_forward",
                [
                    Some(8),
                    Some(2),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(11),
                ],
            ),
        ],
    );
    assert_review(&r, [[4, 1, 2, 1, 8], [2, 0, 1, 1, 4], [1, 0, 0, 0, 1]]);
    assert_consistent(&r);
    assert_eq!(codes_of(&r), Vec::<String>::new());
}

/// The report's title line is the heading printed in the content, not the page's `<title>`
/// with the portal's name appended (`…年度报告_某区人民政府`).
#[test]
fn word_export_2021_title_is_the_report_title_not_the_page_title() {
    let r = parse(WORD_2021);
    assert_eq!(
        r.meta.title.as_deref(),
        Some("某区市场监督管理局2022年政府信息公开工作年度报告")
    );
}

#[test]
fn gbk_copy_parses_to_the_same_report() {
    let utf8 = parse(WORD_2021);
    let gbk = parse(WORD_2021_GBK);
    assert_eq!(
        gbk.source.as_ref().and_then(|s| s.encoding.as_deref()),
        Some("gb18030")
    );
    assert_eq!(
        gbk.source.as_ref().and_then(|s| s.format),
        utf8.source.as_ref().and_then(|s| s.format)
    );
    assert_eq!(gbk.meta, utf8.meta);
    assert_eq!(gbk.tables, utf8.tables);
    assert_eq!(gbk.extra_rows, utf8.extra_rows);
    assert_eq!(codes_of(&gbk), codes_of(&utf8));
}

#[test]
fn gbk_copy_differs_from_the_utf8_file_only_in_its_meta_charset() {
    let utf8 = String::from_utf8(read(WORD_2021)).unwrap();
    let gbk = xxgk_parse::decode::decode(&read(WORD_2021_GBK)).unwrap();
    assert!(!gbk.lossy);
    assert_ne!(
        read(WORD_2021),
        read(WORD_2021_GBK),
        "the copy is not UTF-8"
    );
    assert_eq!(
        gbk.text.replacen(
            r#"<meta charset="gb2312" />"#,
            r#"<meta charset="utf-8" />"#,
            1
        ),
        utf8
    );
}

// ---------------------------------------------------------------------------------------------
// html/plain-2019.html

const PLAIN_2019: &str = "tests/fixtures/html/plain-2019.html";

#[test]
fn plain_2019_snapshot() {
    snapshot("plain_2019", &parse(PLAIN_2019));
}

#[test]
fn plain_2019_values_and_extra_row() {
    let r = parse(PLAIN_2019);
    assert_meta(&r, Edition::E2019, "某县交通运输局", 2019, "2020-01-20");
    assert_eq!(
        r.meta.title.as_deref(),
        Some("某县交通运输局2019年政府信息公开工作年度报告")
    );

    assert_eq!(
        value(
            &r,
            "active_disclosure",
            "normative_documents",
            "total_published"
        ),
        Value::Count(14)
    );
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "decisions"),
        Value::Count(3265)
    );
    assert_eq!(
        value(&r, "active_disclosure", "other_services", "change"),
        Value::SignedCount(1)
    );
    assert_eq!(
        value(&r, "active_disclosure", "penalties", "change"),
        Value::SignedCount(-2)
    );
    assert_eq!(
        value(&r, "active_disclosure", "fees", "prior_year_items"),
        Value::Count(1)
    );
    assert_eq!(
        value(&r, "active_disclosure", "procurement", "projects"),
        Value::Count(5)
    );
    // An amount printed in 元 keeps its unit.
    assert_eq!(amount(&r, "procurement", "amount"), "251000 元");

    // The row the template lacks, kept with its values and a warning.
    assert_eq!(r.extra_rows.len(), 1, "{:#?}", r.extra_rows);
    let extra = &r.extra_rows[0];
    assert_eq!(extra.table, "active_disclosure");
    assert_eq!(extra.label, "其他主动公开文件");
    assert_eq!(extra.values, ["36", "36", "212"]);
    assert_eq!(extra.location.map(|l| l.line), Some(20));
    assert_eq!(codes_of(&r), vec![codes::EXTRA_ROW.to_owned()]);
    assert_eq!(r.diagnostics[0].severity, Severity::Warning);
    assert!(
        r.diagnostics[0].message.contains("其他主动公开文件"),
        "{}",
        r.diagnostics[0].message
    );
    // …and it does not displace the template rows around it.
    assert_eq!(
        value(&r, "active_disclosure", "regulations", "total_published"),
        Value::Count(0)
    );

    assert_applications(
        &r,
        &[
            (
                "new_received",
                [
                    Some(62),
                    Some(7),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(70),
                ],
            ),
            (
                "outcomes.disclosed",
                [
                    Some(27),
                    Some(3),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(31),
                ],
            ),
            (
                "outcomes.withheld.process_information",
                [
                    Some(1),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(2),
                ],
            ),
            (
                "outcomes.other",
                [
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(1),
                ],
            ),
            (
                "outcomes.total",
                [
                    Some(61),
                    Some(6),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(68),
                ],
            ),
            (
                "carried_forward",
                [
                    Some(3),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(4),
                ],
            ),
        ],
    );
    assert_review(&r, [[2, 0, 1, 0, 3], [1, 0, 0, 0, 1], [0, 0, 0, 0, 0]]);
    assert_consistent(&r);
}

// ---------------------------------------------------------------------------------------------
// markdown/converted-2021.md

const MARKDOWN_2021: &str = "tests/fixtures/markdown/converted-2021.md";

#[test]
fn markdown_2021_snapshot() {
    snapshot("markdown_2021", &parse(MARKDOWN_2021));
}

#[test]
fn markdown_2021_values() {
    let r = parse(MARKDOWN_2021);
    assert_meta(&r, Edition::E2021, "某市卫生健康委员会", 2024, "2025-01-24");
    assert_eq!(
        r.meta.title.as_deref(),
        Some("某市卫生健康委员会2024年政府信息公开工作年度报告")
    );
    assert_eq!(
        r.source.as_ref().and_then(|s| s.format),
        Some(xxgk_model::Format::Markdown)
    );

    // Rows after the page break, under the generic `列1…` header of the continuation table.
    assert_eq!(
        value(&r, "active_disclosure", "normative_documents", "in_force"),
        Value::Count(41)
    );
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "decisions"),
        Value::Count(5217)
    );
    assert_eq!(
        value(&r, "active_disclosure", "penalties", "decisions"),
        Value::Count(863)
    );
    assert_eq!(
        value(&r, "active_disclosure", "coercion", "decisions"),
        Value::Count(9)
    );
    assert_eq!(amount(&r, "fees", "amount"), "0.6 万元");

    assert_applications(
        &r,
        &[
            (
                "new_received",
                [
                    Some(346),
                    Some(18),
                    Some(0),
                    Some(1),
                    Some(5),
                    Some(1),
                    Some(371),
                ],
            ),
            (
                "outcomes.disclosed",
                [
                    Some(148),
                    Some(9),
                    Some(0),
                    Some(1),
                    Some(2),
                    Some(1),
                    Some(161),
                ],
            ),
            (
                "outcomes.not_processed.duplicate",
                [
                    Some(9),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(9),
                ],
            ),
            (
                "outcomes.not_processed.publications",
                [
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                ],
            ),
            (
                "outcomes.not_processed.excessive",
                [Some(2), None, None, None, None, None, Some(2)],
            ),
            (
                "outcomes.other.overdue_correction",
                [
                    Some(11),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(11),
                ],
            ),
            ("outcomes.other.unpaid_fees", [None; 7]),
            (
                "outcomes.other.other",
                [
                    Some(15),
                    Some(1),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(16),
                ],
            ),
            (
                "outcomes.total",
                [
                    Some(338),
                    Some(19),
                    Some(0),
                    Some(1),
                    Some(4),
                    Some(1),
                    Some(363),
                ],
            ),
            (
                "carried_forward",
                [
                    Some(17),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(1),
                    Some(0),
                    Some(18),
                ],
            ),
        ],
    );
    // Section 四's values sit in their own table after the page break.
    assert_review(&r, [[5, 2, 3, 1, 11], [2, 1, 0, 1, 4], [1, 0, 1, 0, 2]]);
    assert_consistent(&r);
    assert_eq!(codes_of(&r), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// reports/wrong-total-2021.txt

const WRONG_TOTAL_2021: &str = "tests/fixtures/reports/wrong-total-2021.txt";

#[test]
fn wrong_total_2021_snapshot() {
    snapshot("wrong_total_2021", &parse(WRONG_TOTAL_2021));
}

#[test]
fn wrong_total_2021_keeps_the_printed_total_and_the_check_flags_it() {
    let r = parse(WRONG_TOTAL_2021);
    assert_meta(&r, Edition::E2021, "某市水务局", 2021, "2022-01-25");
    // Printed 212 where the rows sum to 211: kept as printed.
    assert_eq!(
        value(&r, "applications", "outcomes.total", "natural_person"),
        Value::Count(212)
    );
    assert_eq!(
        value(&r, "applications", "outcomes.total", "total"),
        Value::Count(229)
    );
    assert_eq!(
        value(&r, "applications", "new_received", "natural_person"),
        Value::Count(217)
    );
    assert_eq!(
        value(&r, "applications", "carried_forward", "natural_person"),
        Value::Count(12)
    );
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "decisions"),
        Value::Count(2316)
    );
    assert_eq!(amount(&r, "fees", "amount"), "35.8 万元");
    // Parsing itself found nothing wrong: the arithmetic is the check's business.
    assert_eq!(codes_of(&r), Vec::<String>::new());

    // The one wrong cell is in three relations: the column sum of （七）总计 (212 ≠ 211), the
    // row sum of （七）总计 (229 ≠ 230), and the balance of the 自然人 column
    // (217 + 6 = 223 ≠ 212 + 12 = 224). Nothing else fails.
    assert_eq!(
        failures(&r),
        [
            "applications.balance[natural_person]",
            "applications.outcomes_total[natural_person]",
            "applications.row_total[outcomes.total]"
        ]
    );
    let diagnosed: Vec<String> = r
        .diagnose()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code)
        .collect();
    assert_eq!(
        diagnosed,
        [
            "applications.balance",
            "applications.outcomes_total",
            "applications.row_total"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Encodings: UTF-16 copies of text/tab-2019.txt, made here without encoding_rs.

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let units = (bom.then_some('\u{FEFF}' as u16))
        .into_iter()
        .chain(text.encode_utf16());
    units
        .flat_map(|u| {
            if little_endian {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_copies_parse_to_the_same_tables() {
    let text = String::from_utf8(read(TAB_2019)).unwrap();
    let utf8 = parse(TAB_2019);
    for (little_endian, bom, encoding) in [(true, true, "utf-16le"), (false, false, "utf-16be")] {
        let bytes = utf16(&text, little_endian, bom);
        let r = parse_bytes(&bytes, None).unwrap_or_else(|e| panic!("{encoding}: {e}"));
        assert_eq!(
            r.source.as_ref().and_then(|s| s.encoding.as_deref()),
            Some(encoding)
        );
        assert_eq!(r.tables, utf8.tables, "{encoding}");
        assert_eq!(r.meta, utf8.meta, "{encoding}");
        assert_eq!(codes_of(&r), codes_of(&utf8), "{encoding}");
    }
}

// ---------------------------------------------------------------------------------------------
// Documents that are not reports.

#[test]
fn placeholder_prose_is_not_an_annual_report() {
    let text = "某市某局关于开展年度工作的通知\n\n各科室：\n\n这里是占位文字，说明一项与政府信息公开年度报告无关的日常工作安排。\n请各科室按要求落实。\n\n某市某局办公室\n2024年3月1日\n";
    match parse_bytes(text.as_bytes(), None) {
        Err(ParseError::NotAnAnnualReport(_)) => {}
        other => panic!("expected NotAnAnnualReport, got {other:?}"),
    }
}

#[test]
fn html_page_without_tables_is_not_an_annual_report() {
    let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>某县人民政府2023年政府信息公开工作年度报告</title></head>\
        <body><h1>某县人民政府2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>占位文字，正文从略。</p>\
        <p>三、收到和处理政府信息公开申请情况</p><p>详见附件。</p></body></html>";
    match parse_bytes(page.as_bytes(), Some("report.html")) {
        Err(ParseError::NotAnAnnualReport(_)) => {}
        other => panic!("expected NotAnAnnualReport, got {other:?}"),
    }
}

#[test]
fn a_broken_pdf_is_a_pdf_error() {
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
    match parse_bytes(pdf, None) {
        Err(e @ ParseError::Pdf(_)) => assert_eq!(e.code(), xxgk_parse::codes::INPUT_PDF),
        other => panic!("expected a PDF error, got {other:?}"),
    }
}

/// A unit the report prints in an amount column's header is the unit of its bare values (the
/// template's 万元 is only the default); a value printed with its own unit keeps it.
#[test]
fn a_unit_printed_in_an_amount_header_is_the_unit_of_its_bare_values() {
    let html = String::from_utf8(read(PLAIN_2019)).unwrap();
    let amount = |header: &str, cell: &str| {
        let page = html
            .replace("<th>采购总金额</th>", &format!("<th>{header}</th>"))
            .replace("<td>251000元</td>", &format!("<td>{cell}</td>"));
        assert_ne!(page, html);
        let r = parse_bytes(page.as_bytes(), Some(PLAIN_2019)).unwrap();
        value(&r, "active_disclosure", "procurement", "amount")
    };
    let yuan = |v: &str| Value::Amount(Amount::parse(v, AmountUnit::Yuan).unwrap());
    let wan = |v: &str| Value::Amount(Amount::parse(v, AmountUnit::TenThousandYuan).unwrap());
    assert_eq!(amount("采购总金额（元）", "251000"), yuan("251000"));
    assert_eq!(amount("采购总金额<br>(单位：元)", "251000"), yuan("251000"));
    assert_eq!(amount("采购总金额（万元）", "25.1"), wan("25.1"));
    assert_eq!(amount("采购总金额", "25.1"), wan("25.1"));
    assert_eq!(amount("采购总金额（万元）", "251000元"), yuan("251000"));
}

/// A value that cannot be read is an error at its cell, not a row that is not found: the fee
/// printed `3.2亿元` or `约126万元` left the row unmatched with a `row_missing` warning. A unit
/// in brackets is read.
#[test]
fn an_unreadable_amount_is_an_error_at_its_cell() {
    let html = String::from_utf8(read(WORD_2021)).unwrap();
    let with_fee = |fee: &str| {
        let page = html.replace(">126.5<o:p>", &format!(">{fee}<o:p>"));
        assert_ne!(page, html);
        parse_bytes(page.as_bytes(), Some(WORD_2021)).unwrap()
    };
    let r = with_fee("126.5（万元）");
    assert_eq!(
        value(&r, "active_disclosure", "fees", "amount"),
        Value::Amount(Amount::parse("126.5", AmountUnit::TenThousandYuan).unwrap())
    );
    for fee in ["3.2亿元", "约126万元"] {
        let r = with_fee(fee);
        assert_eq!(
            value(&r, "active_disclosure", "fees", "amount"),
            Value::Unknown
        );
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&codes::CELL_VALUE), "{fee}: {codes:?}");
        assert!(!codes.contains(&codes::ROW_MISSING), "{fee}: {codes:?}");
    }
}

/// A web archive (MHTML: a browser's "single file" page, or Word's `.mht`, which sites also
/// serve as `.doc`) is read as the page it holds, its quoted-printable and charset undone.
#[test]
fn a_web_archive_reads_as_the_page_it_holds() {
    let html = read(PLAIN_2019);
    // Quoted-printable, lines under 76 characters with soft breaks.
    let mut body = String::new();
    let mut line = 0;
    for &b in &html {
        let piece = match b {
            b'\n' => {
                body.push_str("\r\n");
                line = 0;
                continue;
            }
            b'=' | 0x80..=0xff => format!("={b:02X}"),
            _ => (b as char).to_string(),
        };
        if line + piece.len() > 72 {
            body.push_str("=\r\n");
            line = 0;
        }
        line += piece.len();
        body.push_str(&piece);
    }
    let archive = format!(
        "From: <Saved by Blink>\r\nSubject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--x\"\r\n\r\n------MultipartBoundary--x\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: http://example.gov.cn/report.html\r\n\r\n{body}\r\n------MultipartBoundary--x--\r\n"
    );
    let whole = parse(PLAIN_2019);
    for name in ["report.mhtml", "report.doc", "report.txt"] {
        let r = parse_bytes(archive.as_bytes(), Some(name)).unwrap();
        assert_eq!(cell_values(&r), cell_values(&whole), "{name}");
        assert_eq!(r.meta, whole.meta, "{name}");
    }
}
