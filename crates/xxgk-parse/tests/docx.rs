//! The Word (`.docx`) reader: the empty national template (read from the shared samples
//! folder when present), a synthetic filled report built here with the template's merged cells,
//! and damaged input.
//!
//! The synthetic report is fictional: agency 某县审计局, year 2023, invented numbers that
//! satisfy every constraint, placeholder prose.

use std::io::{Cursor, Write};
use std::path::Path;
use xxgk_model::cell::Value;
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::Severity;
use xxgk_model::{Edition, Report};
use xxgk_parse::doc::{Document, Layout};
use xxgk_parse::docx::{DocxError, read_docx};
use xxgk_parse::{Format, ParseError};

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

fn value(r: &Report, table: &str, row: &str, column: &str) -> Value {
    r.tables
        .cell(table, row, column)
        .map(|c| c.value)
        .unwrap_or(Value::Unknown)
}

fn template_bytes() -> Option<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/national-template-2021.docx");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        // CI must not pass by skipping the real sample.
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{} is missing under CI ({e})", path.display())
        }
        Err(e) => {
            eprintln!("skipped: {} not readable ({e})", path.display());
            None
        }
    }
}

/// The grid rows of table `table` as `(x, span, text, continued)` per cell.
fn grid(doc: &Document, table: u32) -> Vec<Vec<(u32, u32, String, bool)>> {
    doc.rows
        .iter()
        .filter(|r| r.table == Some(table))
        .map(|r| {
            r.fragments
                .iter()
                .map(|f| (f.x, f.span, f.text.clone(), f.continued))
                .collect()
        })
        .collect()
}

#[test]
fn national_template_merged_cells() {
    let Some(bytes) = template_bytes() else {
        return;
    };
    let doc = read_docx(&bytes).unwrap();
    // Prose headings in order.
    let prose: Vec<String> = doc
        .rows
        .iter()
        .filter(|r| r.layout == Layout::Prose)
        .map(|r| r.text())
        .collect();
    for heading in [
        "政府信息公开工作年度报告格式模板",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ] {
        assert!(
            prose.iter().any(|p| p == heading),
            "{heading} in {prose:#?}"
        );
    }
    // Three tables: 二, 三, 四.
    assert_eq!(doc.rows.iter().filter_map(|r| r.table).max(), Some(2));

    let t = grid(&doc, 1);
    assert_eq!(t.len(), 28);
    // Header: the note cell spans 3 columns and is merged down three rows.
    assert_eq!(t[0][0].0, 0);
    assert_eq!(t[0][0].1, 3);
    assert!(t[0][0].2.starts_with("(本列数据的勾稽关系"));
    assert_eq!(
        (t[0][1].0, t[0][1].1, t[0][1].2.as_str()),
        (3, 7, "申请人情况")
    );
    for row in &t[1..3] {
        assert_eq!((row[0].0, row[0].1, row[0].3), (0, 3, true));
        assert_eq!(row[0].2, t[0][0].2);
    }
    assert_eq!(
        t[1].iter()
            .map(|c| (c.0, c.2.as_str(), c.3))
            .collect::<Vec<_>>(),
        [
            (0, t[0][0].2.as_str(), true),
            (3, "自然人", false),
            (4, "法人或其他组织", false),
            (9, "总计", false)
        ]
    );
    assert_eq!(t[2][1], (3, 1, "自然人".to_owned(), true));
    assert_eq!(t[2][7], (9, 1, "总计".to_owned(), true));
    assert_eq!(t[2][2].2, "商业 企业");
    // 一、 and 二、: the label spans 3 columns, then 7 value cells.
    assert_eq!(
        t[3][0],
        (0, 3, "一、本年新收政府信息公开申请数量".to_owned(), false)
    );
    assert_eq!(t[3].len(), 8);
    assert_eq!(t[3][7].0, 9);
    // 三、本年度办理结果: restart on its first row, continued down to (七)总计.
    assert_eq!(t[5][0], (0, 1, "三、本年度办理结果".to_owned(), false));
    assert_eq!(t[5][1], (1, 2, "(一)予以公开".to_owned(), false));
    for (i, row) in t.iter().enumerate().take(27).skip(6) {
        assert_eq!(
            row[0],
            (0, 1, "三、本年度办理结果".to_owned(), true),
            "row {i}"
        );
    }
    assert_eq!(t[26][1], (1, 2, "(七)总计".to_owned(), false));
    // (三)不予公开: restart with 1.属于国家秘密, continued down its eight rows.
    assert_eq!(t[7][1], (1, 1, "(三)不予公开".to_owned(), false));
    assert_eq!(t[7][2], (2, 1, "1.属于国家秘密".to_owned(), false));
    for row in &t[8..15] {
        assert_eq!(row[1], (1, 1, "(三)不予公开".to_owned(), true));
    }
    assert_eq!(t[14][2].2, "8.属于行政查询事项");
    assert_eq!(t[15][1], (1, 1, "(四)无法提供".to_owned(), false));
    assert_eq!(t[16][1], (1, 1, "(四)无法提供".to_owned(), true));
    assert_eq!(t[18][1], (1, 1, "(五)不予处理".to_owned(), false));
    assert_eq!(t[23][1], (1, 1, "(六)其他处理".to_owned(), false));
    assert_eq!(t[25][1], (1, 1, "(六)其他处理".to_owned(), true));
    assert_eq!(t[27][0], (0, 3, "四、结转下年度继续办理".to_owned(), false));
    // Every value cell is empty and every row has 10 grid columns.
    for row in &t[3..] {
        let last = row.last().unwrap();
        assert_eq!(last.0 + last.1, 10);
        assert!(row.iter().rev().take(7).all(|c| c.2.is_empty()));
    }

    // Section 四: 15 columns, merged header, line breaks inside cells read as spaces.
    let t = grid(&doc, 2);
    assert_eq!(t.len(), 4);
    assert_eq!(
        (t[0][1].0, t[0][1].1, t[0][1].2.as_str()),
        (5, 10, "行政诉讼")
    );
    assert_eq!(t[1][1], (1, 1, "结果 纠正".to_owned(), false));
    assert_eq!(t[2][1], (1, 1, "结果 纠正".to_owned(), true));
    assert_eq!(t[2][5], (5, 1, "结果 维持".to_owned(), false));
    assert_eq!(t[3].len(), 15);

    // Locations: the row counter, column 1.
    let rows: Vec<u32> = doc.rows.iter().map(|r| r.location.line).collect();
    assert!(rows.windows(2).all(|w| w[0] <= w[1]), "{rows:?}");
    assert!(doc.rows.iter().all(|r| r.location.column == 1));

    // Parsed: the 2021 edition, every applications cell blank.
    let report = xxgk_parse::parse_document(&doc, Format::Docx).unwrap();
    assert_eq!(report.edition(), Edition::E2021);
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:#?}",
        report.diagnostics
    );
    let template = Edition::E2021.template();
    let apps = template.table("applications").unwrap();
    let mut n = 0;
    for row in apps.rows {
        for column in APPLICANT_COLUMNS {
            assert_eq!(
                value(&report, "applications", row.path, column),
                Value::Blank,
                "applications.{}.{column}",
                row.path
            );
            n += 1;
        }
    }
    assert_eq!(n, 25 * 7);
    // And the same through the entry point, with the format and encoding recorded.
    let report = parse_bytes(&bytes, None).unwrap();
    let source = report.source.unwrap();
    assert_eq!(source.format, Some(xxgk_model::Format::Docx));
    assert_eq!(source.encoding.as_deref(), Some("utf-8"));
}

// --- A synthetic filled report -----------------------------------------------------------

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn run(text: &str) -> String {
    // Line breaks inside a cell, as the template writes 结果<w:br/>纠正.
    text.split('\n')
        .map(|t| format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(t)))
        .collect::<Vec<_>>()
        .join("<w:r><w:br/></w:r>")
}

fn para(text: &str) -> String {
    if text.is_empty() {
        "<w:p/>".to_owned()
    } else {
        format!(
            "<w:p><w:pPr><w:jc w:val=\"left\"/></w:pPr>{}</w:p>",
            run(text)
        )
    }
}

#[derive(Clone, Copy)]
enum Merge {
    No,
    Restart,
    Continue,
}

fn tc(text: &str, span: u32, merge: Merge) -> String {
    let mut pr = String::from("<w:tcW w:w=\"800\" w:type=\"dxa\"/>");
    if span > 1 {
        pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
    }
    match merge {
        Merge::No => {}
        Merge::Restart => pr.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Continue => pr.push_str("<w:vMerge w:val=\"continue\"/>"),
    }
    // A cell always holds at least one paragraph; continued cells hold an empty one.
    let body = match merge {
        Merge::Continue => "<w:p/>".to_owned(),
        _ => para(text),
    };
    format!("<w:tc><w:tcPr>{pr}<w:vAlign w:val=\"center\"/></w:tcPr>{body}</w:tc>")
}

fn c(text: &str) -> String {
    tc(text, 1, Merge::No)
}

fn tr(cells: &[String]) -> String {
    format!(
        "<w:tr><w:trPr><w:trHeight w:val=\"400\"/></w:trPr>{}</w:tr>",
        cells.concat()
    )
}

fn tbl(columns: u32, rows: &[String]) -> String {
    let grid: String = (0..columns)
        .map(|_| "<w:gridCol w:w=\"800\"/>".to_owned())
        .collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

fn counts(values: &[u64]) -> Vec<String> {
    values.iter().map(|v| c(&v.to_string())).collect()
}

/// Row label, the row's six applicant counts, and their total.
fn with_total(v: [u64; 6]) -> Vec<String> {
    let mut all = v.to_vec();
    all.push(v.iter().sum());
    counts(&all)
}

const NEW_RECEIVED: [u64; 6] = [20, 3, 0, 0, 1, 0];
const CARRIED_OVER: [u64; 6] = [2, 0, 0, 0, 0, 0];
const DISCLOSED: [u64; 6] = [10, 2, 0, 0, 1, 0];
const PARTIAL: [u64; 6] = [3, 0, 0, 0, 0, 0];
const ZERO: [u64; 6] = [0; 6];
const ONE: [u64; 6] = [1, 0, 0, 0, 0, 0];
const NOT_HELD: [u64; 6] = [4, 1, 0, 0, 0, 0];
const TOTAL: [u64; 6] = [21, 3, 0, 0, 1, 0];
const FORWARD: [u64; 6] = [1, 0, 0, 0, 0, 0];

fn section_three() -> String {
    let mut rows = Vec::new();
    let note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    rows.push(tr(&[
        tc(note, 3, Merge::Restart),
        tc("申请人情况", 7, Merge::No),
    ]));
    rows.push(tr(&[
        tc("", 3, Merge::Continue),
        tc("自然人", 1, Merge::Restart),
        tc("法人或其他组织", 5, Merge::No),
        tc("总计", 1, Merge::Restart),
    ]));
    let mut header = vec![tc("", 3, Merge::Continue), tc("", 1, Merge::Continue)];
    for h in [
        "商业\n企业",
        "科研\n机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ] {
        header.push(c(h));
    }
    header.push(tc("", 1, Merge::Continue));
    rows.push(tr(&header));
    let full = |label: &str, v: [u64; 6]| {
        let mut cells = vec![tc(label, 3, Merge::No)];
        cells.extend(with_total(v));
        tr(&cells)
    };
    rows.push(full("一、本年新收政府信息公开申请数量", NEW_RECEIVED));
    rows.push(full("二、上年结转政府信息公开申请数量", CARRIED_OVER));
    // 三、本年度办理结果 and its groups.
    let outcome = |first: bool, group: Option<(&str, bool)>, label: &str, v: [u64; 6]| {
        let mut cells = vec![tc(
            "三、本年度办理结果",
            1,
            if first {
                Merge::Restart
            } else {
                Merge::Continue
            },
        )];
        match group {
            None => cells.push(tc(label, 2, Merge::No)),
            Some((g, start)) => {
                cells.push(tc(
                    g,
                    1,
                    if start {
                        Merge::Restart
                    } else {
                        Merge::Continue
                    },
                ));
                cells.push(c(label));
            }
        }
        cells.extend(with_total(v));
        tr(&cells)
    };
    rows.push(outcome(true, None, "（一）予以公开", DISCLOSED));
    rows.push(outcome(
        false,
        None,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        PARTIAL,
    ));
    let withheld = [
        ("1.属于国家秘密", ZERO),
        ("2.其他法律行政法规禁止公开", ZERO),
        ("3.危及“三安全一稳定”", ZERO),
        ("4.保护第三方合法权益", ONE),
        ("5.属于三类内部事务信息", ZERO),
        ("6.属于四类过程性信息", ONE),
        ("7.属于行政执法案卷", ZERO),
        ("8.属于行政查询事项", ZERO),
    ];
    let unavailable = [
        ("1.本机关不掌握相关政府信息", NOT_HELD),
        ("2.没有现成信息需要另行制作", ZERO),
        ("3.补正后申请内容仍不明确", ZERO),
    ];
    let not_processed = [
        ("1.信访举报投诉类申请", ONE),
        ("2.重复申请", ZERO),
        ("3.要求提供公开出版物", ZERO),
        ("4.无正当理由大量反复申请", ZERO),
        ("5.要求行政机关确认或重新出具已获取信息", ZERO),
    ];
    let other = [
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ONE,
        ),
        (
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ZERO,
        ),
        ("3.其他", ZERO),
    ];
    for (group, items) in [
        ("（三）不予公开", &withheld[..]),
        ("（四）无法提供", &unavailable[..]),
        ("（五）不予处理", &not_processed[..]),
        ("（六）其他处理", &other[..]),
    ] {
        for (i, (label, v)) in items.iter().enumerate() {
            rows.push(outcome(false, Some((group, i == 0)), label, *v));
        }
    }
    rows.push(outcome(false, None, "（七）总计", TOTAL));
    rows.push(full("四、结转下年度继续办理", FORWARD));
    tbl(10, &rows)
}

fn section_two() -> String {
    let head = |t: &str| tr(&[tc(t, 4, Merge::No)]);
    let decisions = |label: &str, n: &str| tr(&[c(label), tc(n, 3, Merge::No)]);
    tbl(
        4,
        &[
            head("第二十条第（一）项"),
            tr(&[
                c("信息内容"),
                c("本年制发件数"),
                c("本年废止件数"),
                c("现行有效件数"),
            ]),
            tr(&[c("规章"), c("0"), c("0"), c("0")]),
            tr(&[c("行政规范性文件"), c("1"), c("0"), c("3")]),
            head("第二十条第（五）项"),
            tr(&[c("信息内容"), tc("本年处理决定数量", 3, Merge::No)]),
            decisions("行政许可", "0"),
            head("第二十条第（六）项"),
            tr(&[c("信息内容"), tc("本年处理决定数量", 3, Merge::No)]),
            decisions("行政处罚", "2"),
            decisions("行政强制", "0"),
            head("第二十条第（八）项"),
            tr(&[
                c("信息内容"),
                tc("本年收费金额（单位：万元）", 3, Merge::No),
            ]),
            decisions("行政事业性收费", "0"),
        ],
    )
}

fn section_four() -> String {
    let mut second = Vec::new();
    for h in ["结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"] {
        second.push(tc(h, 1, Merge::Restart));
    }
    second.push(tc("未经复议直接起诉", 5, Merge::No));
    second.push(tc("复议后起诉", 5, Merge::No));
    let mut third: Vec<String> = (0..5).map(|_| tc("", 1, Merge::Continue)).collect();
    for _ in 0..2 {
        for h in [
            "结果\n维持",
            "结果\n纠正",
            "其他\n结果",
            "尚未\n审结",
            "总计",
        ] {
            third.push(c(h));
        }
    }
    tbl(
        15,
        &[
            tr(&[tc("行政复议", 5, Merge::No), tc("行政诉讼", 10, Merge::No)]),
            tr(&second),
            tr(&third),
            tr(&counts(&[2, 1, 0, 0, 3, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0])),
        ],
    )
}

fn synthetic_document_xml() -> String {
    let mut body = String::new();
    for p in [
        "某县审计局2023年政府信息公开工作年度报告",
        "",
        "本报告由某县审计局根据《中华人民共和国政府信息公开条例》编制。",
        "一、总体情况",
        "（示例文字）本年度政府信息公开工作平稳开展。",
        "二、主动公开政府信息情况",
    ] {
        body.push_str(&para(p));
    }
    body.push_str(&section_two());
    body.push_str(&para("三、收到和处理政府信息公开申请情况"));
    body.push_str(&para(""));
    body.push_str(&section_three());
    body.push_str(&para("四、政府信息公开行政复议、行政诉讼情况"));
    body.push_str(&section_four());
    for p in [
        "五、存在的主要问题及改进情况",
        "（示例文字）",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        "某县审计局",
        "2024年1月20日",
    ] {
        body.push_str(&para(p));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn synthetic_docx() -> Vec<u8> {
    docx_with(&synthetic_document_xml())
}

/// A Word package around `document` (its `word/document.xml`).
fn docx_with(document: &str) -> Vec<u8> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/document.xml", document),
    ])
}

#[test]
fn synthetic_filled_report() {
    let bytes = synthetic_docx();
    let report = parse_bytes(&bytes, Some("report.docx")).unwrap();
    assert_eq!(report.meta.agency.as_deref(), Some("某县审计局"));
    assert_eq!(report.meta.year, Some(2023));
    assert_eq!(report.edition(), Edition::E2021);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Nothing to say at all: every row and column was found where the template puts it.
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let failures: Vec<String> = report
        .check()
        .into_iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .map(|c| format!("{}[{}]", c.constraint.id, c.instance.unwrap_or("")))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");

    let apps = |row: &str, column: &str| value(&report, "applications", row, column);
    assert_eq!(apps("new_received", "natural_person"), Value::Count(20));
    assert_eq!(apps("new_received", "total"), Value::Count(24));
    assert_eq!(apps("carried_over", "total"), Value::Count(2));
    assert_eq!(
        apps("outcomes.disclosed", "legal_service_org"),
        Value::Count(1)
    );
    assert_eq!(
        apps("outcomes.partially_disclosed", "total"),
        Value::Count(3)
    );
    assert_eq!(
        apps("outcomes.withheld.third_party_rights", "natural_person"),
        Value::Count(1)
    );
    assert_eq!(
        apps("outcomes.unavailable.not_held", "commercial_enterprise"),
        Value::Count(1)
    );
    assert_eq!(
        apps("outcomes.not_processed.complaints", "total"),
        Value::Count(1)
    );
    assert_eq!(
        apps("outcomes.other.overdue_correction", "natural_person"),
        Value::Count(1)
    );
    assert_eq!(apps("outcomes.total", "total"), Value::Count(25));
    assert_eq!(apps("carried_forward", "natural_person"), Value::Count(1));
    assert_eq!(
        value(
            &report,
            "active_disclosure",
            "normative_documents",
            "in_force"
        ),
        Value::Count(3)
    );
    assert_eq!(
        value(&report, "active_disclosure", "penalties", "decisions"),
        Value::Count(2)
    );
    let review = |row: &str, column: &str| value(&report, "review_litigation", row, column);
    assert_eq!(review("administrative_review", "upheld"), Value::Count(2));
    assert_eq!(review("administrative_review", "total"), Value::Count(3));
    assert_eq!(review("litigation_direct", "pending"), Value::Count(1));
    assert_eq!(review("litigation_after_review", "total"), Value::Count(0));

    let source = report.source.as_ref().unwrap();
    assert_eq!(source.format, Some(xxgk_model::Format::Docx));
    assert_eq!(source.encoding.as_deref(), Some("utf-8"));
    // A .docx saved under another name is still recognised.
    let as_text = parse_bytes(&bytes, None).unwrap();
    assert_eq!(as_text.tables, report.tables);
    assert_eq!(
        xxgk_parse::detect(b"", Some(Path::new("a/报告.DOCX"))),
        Format::Docx
    );
}

/// Word splits a text into runs wherever its editing history says (a number typed in two
/// goes, a spelling mark, a bookmark): the same document with every run of two or more
/// characters cut in two, marks between the halves, reads the same values.
#[test]
fn runs_cut_anywhere_read_the_same() {
    const OPEN: &str = r#"<w:r><w:t xml:space="preserve">"#;
    const CLOSE: &str = "</w:t></w:r>";
    const MARKS: &str = r#"<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="_x"/><w:bookmarkEnd w:id="0"/>"#;
    let xml = synthetic_document_xml();
    let mut cut = String::new();
    let mut runs = 0;
    let mut rest = xml.as_str();
    while let Some(start) = rest.find(OPEN) {
        let (before, from) = rest.split_at(start);
        cut.push_str(before);
        let text_end = from.find(CLOSE).unwrap();
        let text = &from[OPEN.len()..text_end];
        match text.char_indices().nth(1) {
            Some((half, _)) => {
                let (a, b) = text.split_at(half);
                cut.push_str(&format!("{OPEN}{a}{CLOSE}{MARKS}{OPEN}{b}{CLOSE}"));
                runs += 1;
            }
            None => cut.push_str(&from[..text_end + CLOSE.len()]),
        }
        rest = &from[text_end + CLOSE.len()..];
    }
    cut.push_str(rest);
    assert!(runs > 100, "{runs} runs cut");
    let whole = parse_bytes(&docx_with(&xml), Some("report.docx")).unwrap();
    let split = parse_bytes(&docx_with(&cut), Some("report.docx")).unwrap();
    assert_eq!(split.tables, whole.tables);
    assert_eq!(split.meta, whole.meta);
}

#[test]
fn not_a_docx_and_damaged_bytes() {
    // A ZIP without word/document.xml: still the ZIP decode error.
    let other = zip_of(&[("xl/workbook.xml", "<workbook/>")]);
    assert!(matches!(read_docx(&other), Err(DocxError::NoDocument)));
    assert!(matches!(
        parse_bytes(&other, None),
        Err(ParseError::Decode(xxgk_parse::decode::DecodeError::Zip))
    ));
    assert!(matches!(
        parse_bytes(&other, Some("report.docx")),
        Err(ParseError::Docx(DocxError::NoDocument))
    ));
    // A Word 97-2003 document is named as one, whatever its file is called.
    let mut doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    doc.resize(1536, 0);
    for name in [
        Some("report.docx"),
        Some("report.doc"),
        Some("report.txt"),
        None,
    ] {
        assert!(
            matches!(
                parse_bytes(&doc, name),
                Err(ParseError::Decode(
                    xxgk_parse::decode::DecodeError::LegacyOffice
                ))
            ),
            "{name:?}"
        );
    }
    assert!(matches!(
        parse_bytes(b"plain text", Some("report.docx")),
        Err(ParseError::Docx(DocxError::NotZip(_)))
    ));
    // Malformed XML inside a good ZIP.
    let bad = zip_of(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
    assert!(matches!(read_docx(&bad), Err(DocxError::MalformedXml(_))));
    // A docx without tables is not an annual report.
    let prose = zip_of(&[(
        "word/document.xml",
        &format!(
            r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>你好</w:t></w:r></w:p></w:body></w:document>"#
        ),
    )]);
    assert!(matches!(
        parse_bytes(&prose, Some("report.docx")),
        Err(ParseError::NotAnAnnualReport(_))
    ));

    // Truncated and corrupted copies: an error or a report, never a panic.
    let bytes = synthetic_docx();
    for cut in [
        0,
        1,
        4,
        30,
        100,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let r = read_docx(&bytes[..cut]);
        assert!(r.is_err(), "cut at {cut}");
        let _ = parse_bytes(&bytes[..cut], Some("report.docx"));
        let _ = parse_bytes(&bytes[..cut], None);
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..200 {
        let mut damaged = bytes.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % damaged.len() as u64) as usize;
            damaged[at] = (seed >> 32) as u8;
        }
        let _ = parse_bytes(&damaged, Some("report.docx"));
    }
    // Damaged XML (stored, so the bytes are the XML's), cut anywhere.
    let xml = synthetic_document_xml();
    for cut in (0..xml.len()).step_by(997) {
        let cut = (cut..=xml.len())
            .find(|&i| xml.is_char_boundary(i))
            .unwrap();
        let _ = xxgk_parse::docx::read_document_xml(&xml[..cut]);
    }
}

/// A package whose main part has another name than `word/document.xml`, named by its
/// relationships (`word/document2.xml`, as some tools write), reads as the same report.
#[test]
fn the_main_part_is_found_by_the_package_relationships() {
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let document = synthetic_document_xml();
    let renamed = zip_of(&[("_rels/.rels", rels), ("word/document2.xml", &document)]);
    let report = parse_bytes(&renamed, Some("report.docx")).unwrap();
    let original = parse_bytes(&synthetic_docx(), Some("report.docx")).unwrap();
    assert_eq!(report.tables, original.tables);
    // Named by nothing, another part is no document.
    let unnamed = zip_of(&[("word/document2.xml", &document)]);
    assert!(parse_bytes(&unnamed, Some("report.docx")).is_err());
}
