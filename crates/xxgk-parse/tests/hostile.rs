//! Hostile inputs (issue 11): pages nested tens of thousands of elements deep, Word documents
//! nested as deep, ten thousand tables, spans of a million. Each must be read in time linear
//! in its size, with the report inside still read right, or be refused clearly.
//!
//! No test measures time (a busy machine would make them flaky): the sizes are such that the
//! quadratic readers these tests guard against took minutes on them, and the results are
//! checked in full. `cargo run --release -p xxgk-parse --example hostile` times them.

use std::path::Path;

use xxgk_model::diagnostic::Severity;
use xxgk_parse::{Options, Parsed, codes, parse};

const PLAIN_2019: &str = include_str!("fixtures/html/plain-2019.html");

fn parse_html(src: &str) -> Parsed {
    parse(
        src.as_bytes(),
        Some(Path::new("report.html")),
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn nested(open: &str, middle: &str, close: &str, depth: usize) -> String {
    open.repeat(depth) + middle + &close.repeat(depth)
}

/// A report page followed by `tail`: the report's tables and their locations are unchanged
/// by what follows them.
fn report_then(tail: &str) -> String {
    format!("{PLAIN_2019}{tail}")
}

#[test]
fn a_page_nested_20000_deep_is_read_with_its_depth_capped() {
    let plain = parse_html(PLAIN_2019);
    assert!(
        plain
            .report
            .diagnostics
            .iter()
            .all(|d| d.code != codes::DEEP_NESTING)
    );
    for (open, close) in [
        ("<div>", "</div>"),
        ("<ul><li>", "</li></ul>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<blockquote><p>", "</p></blockquote>"),
    ] {
        let src = report_then(&nested(open, "深处", close, 20_000));
        let deep = parse_html(&src);
        // The report is read as from the page alone, and the flattening is named once.
        assert_eq!(deep.report.tables, plain.report.tables, "{open}");
        let flattened: Vec<_> = deep
            .report
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::DEEP_NESTING)
            .collect();
        assert_eq!(flattened.len(), 1, "{open}");
        assert_eq!(flattened[0].severity, Severity::Warning);
        assert!(
            flattened[0].message.contains("more than 256 elements deep"),
            "{}",
            flattened[0].message
        );
        let others: Vec<_> = deep
            .report
            .diagnostics
            .iter()
            .filter(|d| d.code != codes::DEEP_NESTING)
            .collect();
        assert_eq!(others.len(), plain.report.diagnostics.len(), "{open}");
    }
}

#[test]
fn tens_of_thousands_of_tables_and_huge_spans_are_read() {
    let mut tail = String::new();
    for i in 0..10_000 {
        tail.push_str(&format!(
            "<table><tr><td>附{i}</td><td>{i}</td></tr></table>"
        ));
    }
    tail.push_str("<table>");
    for i in 0..1_000 {
        tail.push_str(&format!(
            "<tr><td rowspan=\"1000000\" colspan=\"1000000\">格{i}</td><td colspan=1000000>{i}</td></tr>"
        ));
    }
    tail.push_str("</table>");
    let plain = parse_html(PLAIN_2019);
    let hostile = parse_html(&report_then(&tail));
    assert_eq!(hostile.report.tables, plain.report.tables);
}

#[test]
fn a_word_document_nested_50000_deep_is_read() {
    let xml = |body: &str| {
        format!(
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        )
    };
    let para = "<w:p><w:r><w:t>深处</w:t></w:r></w:p>";
    for (open, close) in [
        ("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>"),
        ("<w:p><w:r>", "</w:r></w:p>"),
        ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
    ] {
        let doc = xxgk_parse::docx::read_document_xml(&xml(&nested(open, para, close, 50_000)))
            .unwrap_or_else(|e| panic!("{open}: {e}"));
        let text: String = doc.rows.iter().map(|r| r.text()).collect();
        assert_eq!(text, "深处", "{open}");
    }
}
