//! Small documents for layout variants real reports use: each checks one behaviour of the
//! matcher on its own.

use xxgk_model::cell::Value;
use xxgk_model::diagnostic::Severity;
use xxgk_model::{Edition, Report};
use xxgk_parse::{Format, parse_text};

fn v(r: &Report, table: &str, row: &str, column: &str) -> Value {
    r.tables
        .cell(table, row, column)
        .map_or(Value::Unknown, |c| c.value)
}

const APPS_2021: &str = "\
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t10\t1\t0\t0\t0\t0\t11
二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
（一）予以公开\t5\t1\t0\t0\t0\t0\t6
（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t0\t0\t0\t0\t0\t1
（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
（四）无法提供\t1.本机关不掌握相关政府信息\t3\t0\t0\t0\t0\t0\t3
2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
（五）不予处理\t1.信访举报投诉类申请\t1\t0\t0\t0\t0\t0\t1
2.重复申请\t0\t0\t0\t0\t0\t0\t0
3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
3.其他\t0\t0\t0\t0\t0\t0\t0
（七）总计\t10\t1\t0\t0\t0\t0\t11
四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1
";

fn report(before: &str, after: &str) -> Report {
    let text =
        format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{before}{APPS_2021}{after}");
    parse_text(&text, Format::Text).unwrap()
}

#[test]
fn section_four_printed_as_three_labelled_rows() {
    let r = report(
        "",
        "四、政府信息公开行政复议、行政诉讼情况\n\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n行政复议\t1\t0\t0\t0\t1\n未经复议直接起诉\t0\t1\t0\t0\t1\n复议后起诉\t0\t0\t0\t2\t2\n",
    );
    assert_eq!(r.edition(), Edition::E2021);
    assert_eq!(
        v(&r, "review_litigation", "administrative_review", "upheld"),
        Value::Count(1)
    );
    assert_eq!(
        v(&r, "review_litigation", "litigation_direct", "corrected"),
        Value::Count(1)
    );
    assert_eq!(
        v(
            &r,
            "review_litigation",
            "litigation_after_review",
            "pending"
        ),
        Value::Count(2)
    );
    assert!(r.diagnose().is_empty(), "{:?}", r.diagnose());
}

#[test]
fn arabic_section_numbers_are_headings_too() {
    let r = report(
        "",
        "4.政府信息公开行政复议、行政诉讼情况\n1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n五、存在的主要问题及改进情况\n",
    );
    assert_eq!(
        v(&r, "review_litigation", "administrative_review", "total"),
        Value::Count(1)
    );
    assert_eq!(
        v(&r, "review_litigation", "litigation_after_review", "total"),
        Value::Count(0)
    );
}

#[test]
fn a_table_without_its_heading_is_found_by_its_rows() {
    let text = format!(
        "某区住房和城乡建设局2022年政府信息公开工作年度报告\n（以下为统计表）\n{}",
        APPS_2021.split_once('\n').unwrap().1
    );
    let r = parse_text(&text, Format::Text).unwrap();
    assert_eq!(
        v(&r, "applications", "outcomes.total", "total"),
        Value::Count(11)
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "parse.section_missing"),
        "{:#?}",
        r.diagnostics
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "parse.section_missing" && d.severity == Severity::Info)
    );
}

/// （六）其他处理 is a row of the 2019 edition and a group of the 2021 one: printed as a group
/// whose rows' labels are cut short, it tells no edition, and the year decides (it took the
/// 2019 edition, and 1.'s values for the whole group).
#[test]
fn a_group_label_the_other_edition_prints_as_a_row_tells_no_edition() {
    let cut = APPS_2021
        .replace(
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公",
        )
        .replace(
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公",
        );
    assert_ne!(cut, APPS_2021);
    let r = parse_text(
        &format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{cut}"),
        Format::Text,
    )
    .unwrap();
    assert_eq!(r.edition(), Edition::E2021);
    for row in [
        "outcomes.other.overdue_correction",
        "outcomes.other.unpaid_fees",
        "outcomes.other.other",
    ] {
        assert_eq!(
            v(&r, "applications", row, "total"),
            Value::Count(0),
            "{row}"
        );
    }
}

/// Section 四's three rows as the national template prints them: a header of three rows and
/// the data row of 15 cells, with no label.
const REVIEW_TABLE: &str = "\
行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
8\t0\t14\t0\t22\t18\t24\t0\t0\t42\t38\t0\t2\t16\t56
";

/// Section 四's 15 values read from `r`, row by row.
fn review_values(r: &Report) -> Vec<Value> {
    [
        "administrative_review",
        "litigation_direct",
        "litigation_after_review",
    ]
    .iter()
    .flat_map(|row| {
        ["upheld", "corrected", "other", "pending", "total"]
            .map(|c| v(r, "review_litigation", row, c))
    })
    .collect()
}

const REVIEW_VALUES: [u64; 15] = [8, 0, 14, 0, 22, 18, 24, 0, 0, 42, 38, 0, 2, 16, 56];

/// A report that leaves out section 二 numbers the next ones 二 and 三 (real reports do), or
/// prints section 四's heading without its number: the headings are still told by their
/// wording, so section 四's values are read, not taken from the row 四、结转下年度继续办理
/// above them nor left blank.
#[test]
fn sections_renumbered_or_unnumbered_are_found_by_their_titles() {
    let apps = APPS_2021.replacen("三、收到和处理", "二、收到和处理", 1);
    for heading in [
        "三、政府信息公开行政复议、行政诉讼情况",
        "三、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        "政府信息公开行政复议、行政诉讼情况",
        "  政府信息公开行政复议及行政诉讼情况",
    ] {
        for after in ["", "四、存在的主要问题及改进情况\n占位文字。\n"] {
            let text = format!(
                "某区住房和城乡建设局2022年政府信息公开工作年度报告\n{apps}{heading}\n{REVIEW_TABLE}{after}"
            );
            let r = parse_text(&text, Format::Text).unwrap();
            let want: Vec<Value> = REVIEW_VALUES.iter().map(|&n| Value::Count(n)).collect();
            assert_eq!(review_values(&r), want, "{heading} / {after:?}");
            assert_eq!(
                v(&r, "applications", "carried_forward", "total"),
                Value::Count(1),
                "{heading}"
            );
            assert!(
                r.diagnose().iter().all(|d| d.severity != Severity::Error),
                "{heading}: {:#?}",
                r.diagnose()
            );
        }
    }
}

/// A page of bare tables, no heading at all: section 四 opens at its header row.
#[test]
fn a_review_table_without_any_heading_opens_at_its_header_row() {
    let text = format!(
        "某区住房和城乡建设局2022年政府信息公开工作年度报告\n{}{REVIEW_TABLE}",
        APPS_2021.split_once('\n').unwrap().1
    );
    let r = parse_text(&text, Format::Text).unwrap();
    let want: Vec<Value> = REVIEW_VALUES.iter().map(|&n| Value::Count(n)).collect();
    assert_eq!(review_values(&r), want);
}

#[test]
fn a_document_without_the_tables_is_not_an_annual_report() {
    let err = parse_text(
        "某局2022年政府信息公开工作年度报告\n一、总体情况\n今年我们做了很多工作。\n",
        Format::Text,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("not an annual report"), "{err}");
}

#[test]
fn a_row_the_template_lacks_is_kept_as_an_extra_row() {
    let section2 = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t2\n其他主动公开文件\t5\t0\t9\n规范性文件\t3\t1\t20\n";
    let r = report(section2, "");
    assert_eq!(
        v(&r, "active_disclosure", "normative_documents", "in_force"),
        Value::Count(20)
    );
    assert_eq!(r.extra_rows.len(), 1);
    assert_eq!(r.extra_rows[0].label, "其他主动公开文件");
    assert_eq!(r.extra_rows[0].values, ["5", "0", "9"]);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "parse.extra_row" && d.location.is_some())
    );
}

#[test]
fn labels_with_appended_explanations_and_units_in_cells() {
    let section2 = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章（设区的市、自治州人民政府应提供相关数据）\t/\t—\t无\n行政规范性文件\t3件\t1件\t20件\n第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t160.5964万元\n";
    let r = report(section2, "");
    assert_eq!(
        v(&r, "active_disclosure", "regulations", "issued"),
        Value::NotApplicable
    );
    assert_eq!(
        v(&r, "active_disclosure", "regulations", "in_force"),
        Value::NotApplicable
    );
    assert_eq!(
        v(&r, "active_disclosure", "normative_documents", "issued"),
        Value::Count(3)
    );
    let Value::Amount(a) = v(&r, "active_disclosure", "fees", "amount") else {
        panic!()
    };
    assert_eq!(a.to_string(), "160.5964 万元");
    let raw = r
        .tables
        .cell("active_disclosure", "fees", "amount")
        .unwrap()
        .source
        .as_ref()
        .unwrap()
        .raw
        .clone();
    assert_eq!(raw, "160.5964万元");
}

#[test]
fn an_unreadable_cell_is_unknown_with_an_error_at_its_position() {
    let text = APPS_2021.replace("（一）予以公开\t5\t1", "（一）予以公开\t约5\t1");
    let r = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{text}"),
        Format::Text,
    )
    .unwrap();
    assert_eq!(
        v(&r, "applications", "outcomes.disclosed", "natural_person"),
        Value::Unknown
    );
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "parse.cell_value")
        .unwrap();
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.location.map(|l| (l.line, l.column)), Some((5, 9)));
    assert_eq!(d.cells, ["applications.outcomes.disclosed.natural_person"]);
}

#[test]
fn an_ambiguous_lost_cell_is_left_unknown() {
    // 6 values for 7 columns in a row whose cells are all equal: every placement satisfies the
    // constraints but they disagree on which cell is missing.
    let text = APPS_2021.replace("2.重复申请\t0\t0\t0\t0\t0\t0\t0", "2.重复申请 0 0 0 0 0 0");
    let r = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{text}"),
        Format::Text,
    )
    .unwrap();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "parse.row_values_ambiguous")
        .expect("an error for the row");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.location.is_some_and(|l| l.line == 19), "{d:?}");
    assert!((0..7).any(|_| v(
        &r,
        "applications",
        "outcomes.not_processed.duplicate",
        "total"
    ) == Value::Unknown));
}

#[test]
fn a_lost_cell_the_constraints_pin_down_is_placed_with_a_warning() {
    // 不掌握 = (3, 1, 2, 0, 0, 0, 6) with the column sums to match; printed without the 1 of
    // 商业企业: only the alignment with the gap there keeps every column's sums.
    let text = APPS_2021
        .replace(
            "一、本年新收政府信息公开申请数量\t10\t1\t0\t0\t0\t0\t11",
            "一、本年新收政府信息公开申请数量\t10\t2\t2\t0\t0\t0\t14",
        )
        .replace(
            "1.本机关不掌握相关政府信息\t3\t0\t0\t0\t0\t0\t3",
            "1.本机关不掌握相关政府信息 3 2 0 0 0 6",
        )
        .replace(
            "（七）总计\t10\t1\t0\t0\t0\t0\t11",
            "（七）总计\t10\t2\t2\t0\t0\t0\t14",
        );
    let r = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{text}"),
        Format::Text,
    )
    .unwrap();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code.starts_with("parse.row_values"))
        .expect("a diagnostic");
    assert_eq!(
        (d.code.as_str(), d.severity),
        ("parse.row_values_resolved", Severity::Warning),
        "{d:?}"
    );
    assert!(d.message.contains("no value was printed for applications.outcomes.unavailable.not_held.commercial_enterprise"), "{}", d.message);
    assert_eq!(d.location.map(|l| l.line), Some(15));
    let row = "outcomes.unavailable.not_held";
    assert_eq!(
        v(&r, "applications", row, "natural_person"),
        Value::Count(3)
    );
    assert_eq!(
        v(&r, "applications", row, "commercial_enterprise"),
        Value::Unknown
    );
    assert_eq!(
        v(&r, "applications", row, "research_institution"),
        Value::Count(2)
    );
    assert_eq!(v(&r, "applications", row, "total"), Value::Count(6));
}

#[test]
fn a_number_split_over_two_cells_is_recognised() {
    // 10 printed as `1` and `0` in two cells: only reading them as one number fits the sums.
    let text = APPS_2021.replace(
        "一、本年新收政府信息公开申请数量\t10\t1",
        "一、本年新收政府信息公开申请数量\t1\t0\t1",
    );
    let r = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{text}"),
        Format::Text,
    )
    .unwrap();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code.starts_with("parse.row_values"))
        .expect("a diagnostic");
    assert_eq!(
        (d.code.as_str(), d.severity),
        ("parse.row_values_resolved", Severity::Warning),
        "{d:?}"
    );
    assert!(
        d.message
            .contains("`1` and `0` read as one number 10 split over two cells"),
        "{}",
        d.message
    );
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    assert_eq!(
        v(&r, "applications", "new_received", "commercial_enterprise"),
        Value::Count(1)
    );
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Count(11)
    );
}

#[test]
fn two_numbers_run_together_are_recognised() {
    // `1011` printed where `10` and `1` belong: reading it as two numbers is the one fit.
    let text = APPS_2021.replace(
        "一、本年新收政府信息公开申请数量\t10\t1",
        "一、本年新收政府信息公开申请数量 101",
    );
    let r = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{text}"),
        Format::Text,
    )
    .unwrap();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code.starts_with("parse.row_values"))
        .expect("a diagnostic");
    assert!(
        d.message
            .contains("`101` read as two numbers 10 and 1 run together"),
        "{}",
        d.message
    );
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    assert_eq!(
        v(&r, "applications", "new_received", "commercial_enterprise"),
        Value::Count(1)
    );
}

/// A tab row whose group labels take cells of their own, so its row label stands one cell
/// right of the header's stub, in the header's first column of values: with two values and
/// blanks around them, the unshifted placement also placed every value, one column off. The
/// label's cell is no column of values, so the shift is found.
#[test]
fn a_label_in_the_headers_first_column_shifts_the_row() {
    let text = "某县人民政府2024年政府信息公开工作年度报告\n\
        三、收到和处理政府信息公开申请情况\n\
        （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\t\t\t\t\t\t总计\t\n\
        \t\t自然人\t法人或其他组织\t\t\t\t\t\t\n\
        \t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t\n\
        \t\t2.重复申请\t\t\t3\t\t2\t\t\n";
    let r = parse_text(text, Format::Text).unwrap();
    let cell = |c| v(&r, "applications", "outcomes.not_processed.duplicate", c);
    assert_eq!(cell("natural_person"), Value::Blank);
    assert_eq!(cell("research_institution"), Value::Count(3));
    assert_eq!(cell("public_interest_org"), Value::Blank);
    assert_eq!(cell("legal_service_org"), Value::Count(2));
    assert_eq!(cell("other_org"), Value::Blank);
}

/// Groups printed as rows of their own with blank cells (（六）其他处理 on its own line), and a
/// trailing empty cell on every row, as Word exports leave: the group's row is no header
/// (its label holds 其他, a column's), so its rows' few values stay under the real header.
#[test]
fn a_group_printed_as_its_own_row_is_no_header() {
    let header = "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\t\n";
    let body: String = APPS_2021
        .lines()
        .skip(1)
        .map(|line| {
            let (label, rest) = line.split_once('\t').unwrap();
            match label {
                // The group on its own row, its rows printing blanks for most zeros.
                "（六）其他处理" => {
                    let (row, _) = rest.split_once('\t').unwrap();
                    format!("{label}\t\t\t\t\t\t\t\t\n{row}\t0\t\t\t\t\t\t0\t\n")
                }
                l if l.starts_with("2.申请人逾期") || l == "3.其他" => {
                    format!("{label}\t\t0\t\t\t\t\t0\t\n")
                }
                _ => format!("{line}\t\n"),
            }
        })
        .collect();
    let r = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{header}{body}"),
        Format::Text,
    )
    .unwrap();
    let cell = |row, c| v(&r, "applications", row, c);
    let first = "outcomes.other.overdue_correction";
    assert_eq!(cell(first, "natural_person"), Value::Count(0));
    assert_eq!(cell(first, "other_org"), Value::Blank);
    assert_eq!(cell(first, "total"), Value::Count(0));
    let last = "outcomes.other.other";
    assert_eq!(cell(last, "natural_person"), Value::Blank);
    assert_eq!(cell(last, "commercial_enterprise"), Value::Count(0));
    assert_eq!(cell(last, "total"), Value::Count(0));
    assert_eq!(cell("new_received", "total"), Value::Count(11));
}

/// Space-aligned text (`pdftotext -layout`) whose columns move 8 characters right after a page
/// break, with blank cells: a row printing fewer values than columns, between a full row on
/// each page, is placed by their column positions only if both place it alike; else the
/// constraints decide or it stays unknown, never one column off.
#[test]
fn aligned_rows_around_a_page_shift_must_agree_on_positions() {
    // Cells right-aligned to end at character column `at + 9k + 2`; blanks print nothing.
    let row = |label: &str, at: usize, cells: [&str; 7]| {
        let mut line = label.to_string();
        for (k, c) in cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
            let start = at + 9 * k + 2 - c.len();
            let pad = start.saturating_sub(line.chars().count()).max(1);
            line.push_str(&" ".repeat(pad));
            line.push_str(c);
        }
        line + "\n"
    };
    // The last row of page 3 is nearer to the first full row of page 4 than to the full row
    // above it; page 4's columns are 8 characters further right.
    let text = format!(
        "某县人民政府办公室2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{}{}{}\n-3-\n\x0c{}{}",
        row(
            "一、本年新收政府信息公开申请数量",
            40,
            ["40", "5", "1", "2", "3", "1", "52"]
        ),
        row(
            "二、上年结转政府信息公开申请数量",
            40,
            ["2", "1", "", "", "", "", "3"]
        ),
        row("（一）予以公开", 40, ["", "3", "", "1", "2", "1", "7"]),
        row("（二）部分公开", 48, ["4", "1", "0", "0", "0", "0", "5"]),
        row("（七）总计", 48, ["40", "6", "1", "2", "3", "1", "53"]),
    );
    let r = parse_text(&text, Format::Text).unwrap();
    // Never a value under the wrong column: each is the printed one or unknown.
    for (c, want) in [
        ("natural_person", Value::Blank),
        ("commercial_enterprise", Value::Count(3)),
        ("research_institution", Value::Blank),
        ("public_interest_org", Value::Count(1)),
        ("legal_service_org", Value::Count(2)),
        ("other_org", Value::Count(1)),
        ("total", Value::Count(7)),
    ] {
        let got = v(&r, "applications", "outcomes.disclosed", c);
        assert!(got == want || got == Value::Unknown, "{c}: {got:?}\n{text}");
    }
}

/// Space-aligned text whose columns line up by display width (an ideograph two columns wide,
/// as some extractors and hand-aligned text count), with blank cells: the character columns of
/// the values move with each label's length, the display columns do not, and the reader takes
/// the measure in which the rows line up.
#[test]
fn columns_aligned_by_display_width_are_read_by_it() {
    let width = |s: &str| {
        s.chars()
            .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
            .sum::<usize>()
    };
    // Cells right-aligned to end at display column `48 + 10k`; blanks print nothing.
    let row = |label: &str, cells: [&str; 7]| {
        let mut line = label.to_string();
        for (k, c) in cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
            let start = 48 + 10 * k - c.len();
            line.push_str(&" ".repeat(start.saturating_sub(width(&line)).max(1)));
            line.push_str(c);
        }
        line + "\n"
    };
    let text = format!(
        "某县人民政府办公室2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{}{}{}{}{}",
        row(
            "一、本年新收政府信息公开申请数量",
            ["1002", "34", "14", "16", "19", "10", "1095"]
        ),
        row(
            "二、上年结转政府信息公开申请数量",
            ["8", "3", "1", "0", "3", "1", "16"]
        ),
        row("（一）予以公开", ["500", "20", "8", "9", "10", "5", "552"]),
        row(
            "5.要求行政机关确认或重新出具已获取信息",
            ["", "0", "0", "1", "0", "1", "2"]
        ),
        row("（七）总计", ["1002", "37", "15", "16", "22", "11", "1103"]),
    );
    let r = parse_text(&text, Format::Text).unwrap();
    let confirmation = |c| v(&r, "applications", "outcomes.not_processed.confirmation", c);
    assert_eq!(
        confirmation("commercial_enterprise"),
        Value::Count(0),
        "{text}"
    );
    assert_eq!(confirmation("public_interest_org"), Value::Count(1));
    assert_eq!(confirmation("legal_service_org"), Value::Count(0));
    assert_eq!(confirmation("other_org"), Value::Count(1));
    assert_eq!(confirmation("total"), Value::Count(2));
    assert_ne!(confirmation("natural_person"), Value::Count(0));
    assert_eq!(
        v(&r, "applications", "outcomes.disclosed", "total"),
        Value::Count(552)
    );
}

/// A row printed twice (a pasted duplicate): one printing is read and the other is said, kept
/// as an extra row, wherever it stands (before the table's first matched row it went unsaid).
#[test]
fn a_row_printed_twice_is_said() {
    for (find, twice) in [
        (
            "2.重复申请\t0\t0\t0\t0\t0\t0\t0\n",
            "2.重复申请\t0\t0\t0\t0\t0\t0\t0\n2.重复申请\t7\t8\t9\t0\t0\t0\t24\n",
        ),
        (
            "一、本年新收政府信息公开申请数量\t10\t1\t0\t0\t0\t0\t11\n",
            "一、本年新收政府信息公开申请数量\t7\t8\t9\t0\t0\t0\t24\n一、本年新收政府信息公开申请数量\t10\t1\t0\t0\t0\t0\t11\n",
        ),
    ] {
        let text = APPS_2021.replacen(find, twice, 1);
        assert_ne!(text, APPS_2021);
        let r = parse_text(
            &format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{text}"),
            Format::Text,
        )
        .unwrap();
        let said: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.code == "parse.duplicate_row")
            .collect();
        assert_eq!(said.len(), 1, "{find}: {:#?}", r.diagnostics);
        assert_eq!(r.extra_rows.len(), 1, "{find}");
    }
}

/// `apps` (section 三 as tab text) with a 小计 column after the five 法人或其他组织 columns, in
/// every row and in a header row.
fn with_subtotal_column(apps: &str) -> String {
    let header = "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t小计\t总计\n";
    let body: String = apps
        .lines()
        .skip(1)
        .map(|line| {
            let mut cells: Vec<&str> = line.split('\t').collect();
            let n = cells.len();
            let orgs: u64 = cells[n - 6..n - 1]
                .iter()
                .map(|c| c.parse::<u64>().unwrap_or(0))
                .sum();
            let subtotal = orgs.to_string();
            let total = cells.pop().unwrap();
            let mut out = cells.join("\t");
            out.push('\t');
            out.push_str(&subtotal);
            out.push('\t');
            out.push_str(total);
            out + "\n"
        })
        .collect();
    format!("某局2022年政府信息公开工作年度报告\n{header}{body}")
}

/// A blank cell (zero left blank) in a row with a 小计 column: the row prints as many values as
/// the template has columns, but not in the template's order; the header places them.
#[test]
fn a_blank_cell_beside_a_subtotal_column_keeps_the_values_under_their_headers() {
    let apps = APPS_2021.replacen(
        "一、本年新收政府信息公开申请数量\t10\t1\t0\t0\t0\t0\t11",
        "一、本年新收政府信息公开申请数量\t10\t1\t\t0\t0\t0\t11",
        1,
    );
    assert_ne!(apps, APPS_2021);
    let r = parse_text(&with_subtotal_column(&apps), Format::Text).unwrap();
    let row = |c| v(&r, "applications", "new_received", c);
    assert_eq!(row("natural_person"), Value::Count(10));
    assert_eq!(row("commercial_enterprise"), Value::Count(1));
    assert_eq!(row("research_institution"), Value::Blank);
    assert_eq!(row("public_interest_org"), Value::Count(0));
    assert_eq!(row("other_org"), Value::Count(0));
    assert_eq!(row("total"), Value::Count(11));
}

#[test]
fn a_subtotal_column_the_template_lacks_is_left_out_once() {
    let r = parse_text(&with_subtotal_column(APPS_2021), Format::Text).unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    assert_eq!(
        v(&r, "applications", "new_received", "other_org"),
        Value::Count(0)
    );
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Count(11)
    );
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse.extra_column")
        .collect();
    assert_eq!(notes.len(), 1, "{:#?}", r.diagnostics);
    assert!(notes[0].message.contains("小计"));
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.code.starts_with("parse.row_values")),
        "{:#?}",
        r.diagnostics
    );
    assert!(r.diagnose().is_empty());
}

#[test]
fn a_page_laid_out_in_a_table_reads_as_the_same_report() {
    // Old portals put the whole article inside a layout table.
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/html/plain-2019.html"
    ))
    .unwrap();
    let body = page
        .find("<body")
        .and_then(|i| page[i..].find('>').map(|j| i + j + 1))
        .unwrap();
    let end = page.find("</body>").unwrap();
    let wrapped = format!(
        "{}<table width=\"100%\"><tr><td>首页 &gt; 政务公开</td></tr><tr><td>{}</td></tr></table>{}",
        &page[..body],
        &page[body..end],
        &page[end..]
    );
    let plain = parse_text(&page, Format::Html).unwrap();
    let laid_out = parse_text(&wrapped, Format::Html).unwrap();
    let values = |r: &Report| {
        let mut out = Vec::new();
        r.tables.for_each_cell(&mut |id, c| out.push((id, c.value)));
        out
    };
    assert_eq!(values(&laid_out), values(&plain));
    assert!(values(&plain).len() > 150, "the three tables are read");
    assert_eq!(laid_out.meta, plain.meta);
}

#[test]
fn one_cell_per_line_as_simple_extractors_print_it() {
    // The label on one line, each value on a line of its own.
    let text = APPS_2021.replace('\t', "\n");
    let r = parse_text(
        &format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{text}"),
        Format::Text,
    )
    .unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Count(11)
    );
    assert_eq!(
        v(
            &r,
            "applications",
            "outcomes.unavailable.not_held",
            "natural_person"
        ),
        Value::Count(3)
    );
    assert_eq!(
        v(&r, "applications", "outcomes.total", "total"),
        Value::Count(11)
    );
    assert!(
        !r.diagnostics.iter().any(|d| d.severity == Severity::Error),
        "{:#?}",
        r.diagnostics
    );
    assert!(r.diagnose().is_empty(), "{:#?}", r.diagnose());
}

/// The first group row's values by column (their sources are not written to JSON).
fn group_values(r: &Report) -> Vec<(String, Value)> {
    r.group_rows[0]
        .values
        .iter()
        .map(|(k, c)| (k.clone(), c.value))
        .collect()
}

/// Real 2021-edition reports print （六）其他处理 as one row, as the 2019 edition did: its values
/// are kept for the group, its three rows stay unknown with a warning naming them, and the
/// checks that add up the outcome rows use the group's values.
#[test]
fn a_group_printed_as_one_row_keeps_its_values_on_the_group() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/markdown/group-as-one-row-2021.md");
    let text = std::fs::read_to_string(path).unwrap();
    let r = parse_text(&text, Format::Markdown).unwrap();
    for row in [
        "outcomes.other.overdue_correction",
        "outcomes.other.unpaid_fees",
        "outcomes.other.other",
    ] {
        assert_eq!(
            v(&r, "applications", row, "natural_person"),
            Value::Unknown,
            "{row}"
        );
    }
    let [group] = r.group_rows.as_slice() else {
        panic!("one group row: {:?}", r.group_rows)
    };
    assert_eq!(
        (group.table.as_str(), group.group.as_str()),
        ("applications", "outcomes.other")
    );
    assert_eq!(group.values["natural_person"].value, Value::Count(3));
    assert_eq!(group.values["total"].value, Value::Count(3));
    assert_eq!(group.values["research_institution"].value, Value::Blank);
    let warning = r
        .diagnostics
        .iter()
        .find(|d| d.code == "parse.group_as_one_row")
        .expect("a warning says so");
    assert!(
        warning
            .cells
            .iter()
            .any(|c| c == "applications.outcomes.other.unpaid_fees.total")
    );
    assert!(
        !r.diagnostics.iter().any(|d| d.code == "parse.row_missing"),
        "{:#?}",
        r.diagnostics
    );
    // The outcome totals are checked with the group's values in place of its rows.
    let totals: Vec<_> = r
        .check()
        .into_iter()
        .filter(|c| c.constraint.id == "applications.outcomes_total")
        .collect();
    assert!(!totals.is_empty());
    for c in &totals {
        assert_eq!(c.outcome, xxgk_model::check::Outcome::Pass, "{c}");
        assert!(
            c.terms.iter().any(|t| t.cell.row == "outcomes.other"),
            "{c}"
        );
    }
    // A group value that does not add up is found.
    let wrong = text.replace("| （六）其他处理 |  | 3 |", "| （六）其他处理 |  | 4 |");
    let r = parse_text(&wrong, Format::Markdown).unwrap();
    let failed: Vec<String> = r
        .check()
        .into_iter()
        .filter(|c| c.outcome == xxgk_model::check::Outcome::Fail)
        .map(|c| c.to_string())
        .collect();
    assert!(
        failed
            .iter()
            .any(|f| f.starts_with("applications.outcomes_total[natural_person]")),
        "{failed:?}"
    );
    // The JSON keeps the group row's values and place, and reads back.
    let back = Report::from_json(&r.to_json_pretty()).unwrap();
    assert_eq!(group_values(&back), group_values(&r));
    assert_eq!(back.group_rows[0].location, r.group_rows[0].location);
}

/// A group printed as one row with a value that is not a number: the value is said to be
/// unreadable, the group keeps no value for its column (it reads as unknown, as a table cell
/// would), and the report still writes its JSON.
#[test]
fn an_unreadable_value_of_a_group_row_is_said_and_left_out() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/markdown/group-as-one-row-2021.md");
    let text = std::fs::read_to_string(path).unwrap();
    let garbled = text.replace("| （六）其他处理 |  | 3 |", "| （六）其他处理 |  | 3x |");
    assert_ne!(garbled, text);
    let r = parse_text(&garbled, Format::Markdown).unwrap();
    let [group] = r.group_rows.as_slice() else {
        panic!("one group row: {:?}", r.group_rows)
    };
    assert!(!group.values.contains_key("natural_person"), "{group:?}");
    assert_eq!(group.values["total"].value, Value::Count(3));
    let said = r
        .diagnostics
        .iter()
        .find(|d| d.code == "parse.cell_value")
        .expect("the unreadable value is said");
    assert_eq!(said.severity, Severity::Error);
    assert!(
        said.cells
            .iter()
            .any(|c| c == "applications.outcomes.other.natural_person"),
        "{said:?}"
    );
    // The JSON keeps the group's readable values (not their sources) and reads back.
    let back = Report::from_json(&r.to_json_pretty()).unwrap();
    assert_eq!(group_values(&back), group_values(&r));
}

/// A report that prints the group label on the line of its first row is not a group row.
#[test]
fn a_group_label_beside_its_first_row_is_not_a_group_row() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/markdown/converted-2021.md");
    let r = parse_text(&std::fs::read_to_string(path).unwrap(), Format::Markdown).unwrap();
    assert!(r.group_rows.is_empty());
    assert_eq!(
        v(
            &r,
            "applications",
            "outcomes.other.overdue_correction",
            "natural_person"
        ),
        Value::Count(11)
    );
}

/// Labels with characters missing or cut short by an extractor match by their numbering and
/// the characters left; every value lands where the whole labels put it.
#[test]
fn labels_with_missing_characters_or_cut_short_still_match() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/markdown/converted-2021.md");
    let text = std::fs::read_to_string(path).unwrap();
    let whole = parse_text(&text, Format::Markdown).unwrap();
    for (label, damaged) in [
        ("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"),
        ("5.属于三类内部事务信息", "5.属于三类内部事"),
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "行政机关不再处理其政府信息公",
        ),
    ] {
        assert!(text.contains(label), "{label}");
        let r = parse_text(&text.replacen(label, damaged, 1), Format::Markdown).unwrap();
        assert_eq!(
            serde_json::to_value(&r.tables).unwrap(),
            serde_json::to_value(&whole.tables).unwrap(),
            "{damaged}"
        );
        assert!(
            !r.diagnostics
                .iter()
                .any(|d| d.code == "parse.row_missing" || d.code == "parse.extra_row"),
            "{damaged}: {:#?}",
            r.diagnostics
        );
    }
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// The block of number rows of a converter's output, and the text without it.
fn number_block(text: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("| 数据1")).unwrap();
    let end = (start..lines.len()).find(|&i| lines[i].is_empty()).unwrap();
    let block = lines[start..end].join("\n");
    let rest = [&lines[..start], &lines[end..]].concat().join("\n");
    (block, rest)
}

/// The same with the report ending after section 三's numbers (section 四 left out): the label
/// line 四、结转下年度继续办理 is the table's own row, not the next section, so the numbers
/// below it are still section 三's. With no numbers at all, the table is said to be unread.
#[test]
fn detached_numbers_of_the_last_section_are_still_its_own() {
    let text = fixture("markdown/detached-labels-2021.md");
    let whole = parse_text(&text, Format::Markdown).unwrap();
    let cut = text.split("## 四、").next().unwrap();
    let r = parse_text(cut, Format::Markdown).unwrap();
    let applications =
        |r: &Report| serde_json::to_value(&r.tables).unwrap()["applications"].clone();
    assert_eq!(applications(&r), applications(&whole));
    assert!(applications(&r).is_object());
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Count(68)
    );
    // Labels only: every cell unknown, and an error says why.
    let labels_only = cut.split("\n| 数据1").next().unwrap();
    let r = parse_text(labels_only, Format::Markdown).unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Unknown
    );
    let said: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse.section_values_missing")
        .collect();
    assert_eq!(said.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(said[0].severity, Severity::Error);
    assert!(said[0].location.is_some());
}

/// PDF→Markdown converters print the labels in one place and the rows of numbers in another:
/// the rows are rebuilt by the template's order, value counts and constraints, with a warning
/// per row naming its cells — before or after the labels, a stray page number between.
#[test]
fn labels_detached_from_their_numbers_are_rebuilt_by_sequence() {
    let text = fixture("markdown/detached-labels-2021.md");
    let whole = parse_text(
        &fixture("markdown/group-as-one-row-2021.md"),
        Format::Markdown,
    )
    .unwrap();
    let r = parse_text(&text, Format::Markdown).unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Count(68)
    );
    assert_eq!(
        v(&r, "applications", "carried_forward", "natural_person"),
        Value::Count(6)
    );
    assert_eq!(
        v(
            &r,
            "applications",
            "outcomes.disclosed",
            "research_institution"
        ),
        Value::Blank
    );
    assert_eq!(
        v(
            &r,
            "applications",
            "outcomes.other.unpaid_fees",
            "natural_person"
        ),
        Value::Count(2)
    );
    let placed: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse.rows_by_sequence")
        .collect();
    assert_eq!(placed.len(), 25, "{:#?}", r.diagnostics);
    assert!(
        placed
            .iter()
            .all(|d| d.severity == Severity::Warning && d.cells.len() == 7)
    );
    assert!(
        r.check()
            .iter()
            .all(|c| c.outcome != xxgk_model::check::Outcome::Fail)
    );
    // Sections 二 and 四 are read as before.
    let section = |r: &Report, table: &str| serde_json::to_value(&r.tables).unwrap()[table].clone();
    assert_eq!(
        section(&r, "active_disclosure"),
        section(&whole, "active_disclosure")
    );
    assert_eq!(
        section(&r, "review_litigation"),
        section(&whole, "review_litigation")
    );

    // The numbers before the labels: the same cells.
    let (block, rest) = number_block(&text);
    let heading = rest.find("（本列数据的勾稽关系").unwrap();
    let before = format!("{}\n{block}\n\n{}", &rest[..heading], &rest[heading..]);
    let b = parse_text(&before, Format::Markdown).unwrap();
    assert_eq!(
        serde_json::to_value(&b.tables).unwrap(),
        serde_json::to_value(&r.tables).unwrap()
    );
}

/// When the number rows do not pin the rows down, nothing is guessed: a lost number row, or
/// numbers that no pairing makes add up, leave the rows unknown with an error.
#[test]
fn detached_numbers_that_do_not_fit_stay_unknown() {
    let text = fixture("markdown/detached-labels-2021.md");
    // One row of numbers lost: 24 rows for 25 labels. Rows the constraints cannot tell apart
    // stay unknown; what is set is right.
    let lost = text.replacen("| 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n", "", 1);
    let r = parse_text(&lost, Format::Markdown).unwrap();
    let right = parse_text(&text, Format::Markdown).unwrap();
    let mut set = 0;
    right.tables.for_each_cell(&mut |id, cell| {
        let got = r.tables.cell(id.table, id.row, id.column).map(|c| c.value);
        if id.table == "applications" && got.is_some_and(|g| g != Value::Unknown) {
            set += 1;
            assert_eq!(got, Some(cell.value), "{id} is set, so it must be right");
        }
    });
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "parse.row_values_ambiguous"),
        "{:#?}",
        r.diagnostics
    );
    eprintln!("{set} cells of section 三 set with a row lost");
    // Numbers that add up under no pairing: nothing placed.
    let wrong = text.replacen(
        "| 55 | 6 | 0 | 1 | 2 | 4 | 68 |",
        "| 55 | 6 | 0 | 1 | 2 | 4 | 69 |",
        1,
    );
    let r = parse_text(&wrong, Format::Markdown).unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "total"),
        Value::Unknown
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "parse.row_values_ambiguous")
    );
}

/// A crawler's dump: the page on one line, cells run together with no separator. Rows are cut
/// at the template's labels and each run of digits is split where the row's cell count and the
/// constraints allow one reading only; every other cell stays unknown with an error naming
/// its row. No cell is ever set to a value the table does not print.
#[test]
fn a_crawler_dump_is_split_where_the_constraints_pin_it_down() {
    let clean = parse_text(
        &format!("某局2022年政府信息公开工作年度报告\n{APPS_2021}"),
        Format::Text,
    )
    .unwrap();
    let prose = "本报告为测试用的占位文字，".repeat(25);
    let dump = format!(
        "某局2022年政府信息公开工作年度报告{prose}{}",
        APPS_2021.replace(['\t', '\n'], "")
    );
    assert!(!dump.contains('\n'));
    let r = parse_text(&dump, Format::Text).unwrap();
    let (mut right, mut unknown) = (0, 0);
    clean.tables.for_each_cell(&mut |id, cell| {
        if id.table != "applications" {
            return;
        }
        match r.tables.cell(id.table, id.row, id.column).map(|c| c.value) {
            Some(Value::Unknown) | None => unknown += 1,
            Some(got) => {
                assert_eq!(got, cell.value, "{id}");
                right += 1;
            }
        }
    });
    assert!(right >= 100, "{right} cells right, {unknown} unknown");
    // The rows the constraints could not pin down are named.
    if unknown > 0 {
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.code == "parse.row_values_ambiguous")
        );
    }
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message.contains("read as 7 cells run together"))
    );
    eprintln!("{right} cells right, {unknown} unknown");
}

#[test]
fn a_statement_in_marked_up_prose_points_at_its_words() {
    let rows: String = APPS_2021
        .lines()
        .skip(1)
        .map(|l| {
            let cells: String = l.split('\t').map(|c| format!("<td>{c}</td>")).collect();
            format!("<tr>{cells}</tr>\n")
        })
        .collect();
    let page = format!(
        "<html><body>\n<p>一、总体情况</p>\n<p>全年共<b>收到</b>政府信息公开申请<span>11</span>件，\n办结11件。</p>\n<p>三、收到和处理政府信息公开申请情况</p>\n<table>\n{rows}</table></body></html>"
    );
    let parsed = xxgk_parse::parse(
        page.as_bytes(),
        Some(std::path::Path::new("r.html")),
        &xxgk_parse::Options::default(),
    )
    .unwrap();
    let find = |id: &str| {
        parsed
            .report
            .statements
            .iter()
            .find(|s| s.statement == id)
            .unwrap()
    };
    // The quote runs through markup: its start is right, and no length is claimed for it.
    let received = find("received");
    assert_eq!(received.text, "全年共收到政府信息公开申请11件");
    let l = received.location.unwrap();
    assert_eq!((l.line, l.column, l.length), (3, 4, None));
    // The next clause, on the next line of the page, is found there, with its length.
    let handled = find("handled");
    let l = handled.location.unwrap();
    assert_eq!((l.line, l.column, l.length), (4, 1, Some(5)));
    // Both agree with the table.
    let checks = parsed.report.check_statements();
    assert_eq!(checks.len(), 2);
    assert!(
        checks
            .iter()
            .all(|c| c.outcome() == xxgk_model::check::Outcome::Pass)
    );
}

/// A Markdown table of [`APPS_2021`], one row (`（二）部分公开…`) broken as a page breaks it:
/// the start of its label with blank cells, then `continuation` in the label cells with the
/// numbers.
fn apps_broken_at_partially_disclosed(continuation: [&str; 2]) -> String {
    let mut out = String::from(
        "某区住房和城乡建设局2022年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n\
         | 项目 | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for line in APPS_2021.lines().skip(1) {
        let mut cells: Vec<&str> = line.split('\t').collect();
        if cells.len() == 8 {
            cells.insert(1, "");
        }
        if cells[0].starts_with("（二）部分公开") {
            out.push_str("| （二）部分公开（ |  |  |  |  |  |  |  |  |\n");
            cells[0] = continuation[0];
            cells[1] = continuation[1];
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// A row broken across a page, its numbers on the continuation, is one row: the label's two
/// parts together, the numbers theirs. Alone, the first part reads as the row (部分公开 is a
/// known short form), and the numbers went to an extra row, silently blank in the table.
#[test]
fn a_row_broken_across_a_page_takes_the_numbers_of_its_continuation() {
    // The group's merged cell printed again on the new page, as some producers do, or not.
    for continuation in [
        [
            "三、本年度办理结果",
            "区分处理的，只计这一情形，不计其他情形）",
        ],
        ["", "区分处理的，只计这一情形，不计其他情形）"],
    ] {
        let text = apps_broken_at_partially_disclosed(continuation);
        let r = parse_text(&text, Format::Markdown).unwrap();
        for (column, expected) in [("natural_person", 1), ("total", 1)] {
            assert_eq!(
                v(&r, "applications", "outcomes.partially_disclosed", column),
                Value::Count(expected),
                "{continuation:?}\n{text}"
            );
        }
        assert!(r.extra_rows.is_empty(), "{:?}", r.extra_rows);
        assert!(
            !r.diagnostics.iter().any(|d| d.severity == Severity::Error),
            "{:#?}",
            r.diagnostics
        );
    }
}

/// Rows reworded past recognition, standing where the template's rows are missing one for
/// one, are read as those rows with a warning naming their cells: one between rows that
/// matched, two at the table's start.
#[test]
fn rows_reworded_past_recognition_are_read_by_where_they_stand() {
    let cases = [
        (
            APPS_2021.replace("四、结转下年度继续办理", "四、留待明年办理的"),
            vec!["carried_forward"],
        ),
        (
            APPS_2021
                .replace("一、本年新收政府信息公开申请数量", "一、今年收到的")
                .replace("二、上年结转政府信息公开申请数量", "二、去年留下的"),
            vec!["new_received", "carried_over"],
        ),
    ];
    for (apps, reworded) in cases {
        let text = format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{apps}");
        let r = parse_text(&text, Format::Text).unwrap();
        let said: Vec<&xxgk_model::diagnostic::Diagnostic> = r
            .diagnostics
            .iter()
            .filter(|d| d.code == xxgk_parse::codes::ROW_BY_POSITION)
            .collect();
        assert_eq!(said.len(), reworded.len(), "{:#?}", r.diagnostics);
        for (d, row) in said.iter().zip(&reworded) {
            assert_eq!(d.severity, Severity::Warning);
            assert!(d.cells.iter().all(|c| c.to_string().contains(row)), "{d:?}");
            assert_eq!(d.cells.len(), 7);
        }
        assert_eq!(
            v(&r, "applications", "new_received", "total"),
            Value::Count(11)
        );
        assert_eq!(
            v(&r, "applications", "carried_over", "natural_person"),
            Value::Count(1)
        );
        assert_eq!(
            v(&r, "applications", "carried_forward", "total"),
            Value::Count(1)
        );
        assert!(r.extra_rows.is_empty(), "{:?}", r.extra_rows);
    }
}

/// [`APPS_2021`] as last year's table under `caption`: its first row and total doubled.
fn last_years_table(caption: &str) -> String {
    APPS_2021
        .replace("\t10\t1\t0\t0\t0\t0\t11", "\t20\t2\t0\t0\t0\t0\t22")
        .replace(
            "三、收到和处理政府信息公开申请情况\n",
            &format!("{caption}\n"),
        )
}

/// A table printed again below this year's (last year's, for comparison) is not read in its
/// place: the first printing is, and the rows printed again are said and kept aside.
#[test]
fn a_table_printed_again_below_reads_as_its_first_printing() {
    let last_year = last_years_table("附：2021年收到和处理申请情况（供对比）");
    let r = report("", &last_year);
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    assert_eq!(
        v(&r, "applications", "outcomes.total", "total"),
        Value::Count(11)
    );
    let again = r
        .diagnostics
        .iter()
        .filter(|d| d.code == xxgk_parse::codes::DUPLICATE_ROW)
        .count();
    assert!(again >= 20, "{:#?}", r.diagnostics);
    assert_eq!(r.extra_rows.len(), again);
}

/// Section 四's row of values printed twice: the first is read, the other said and kept.
#[test]
fn section_four_printed_again_reads_as_its_first_printing() {
    let r = report(
        "",
        "四、政府信息公开行政复议、行政诉讼情况\n\
         1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n\
         附：上年情况（供对比）\n\
         2\t0\t0\t0\t2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n",
    );
    assert_eq!(
        v(&r, "review_litigation", "administrative_review", "total"),
        Value::Count(1)
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == xxgk_parse::codes::DUPLICATE_ROW),
        "{:#?}",
        r.diagnostics
    );
    assert_eq!(r.extra_rows.len(), 1);
}

/// A comparison table printed before this year's, its caption saying so, is not read: this
/// year's is, wherever it stands.
#[test]
fn a_table_its_caption_calls_a_comparison_is_not_read() {
    let last_year = last_years_table("附表：2021年情况（供对比）");
    let this_year = APPS_2021.replace("三、收到和处理政府信息公开申请情况\n", "");
    let text = format!(
        "某区住房和城乡建设局2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{last_year}{this_year}"
    );
    let r = parse_text(&text, Format::Text).unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    assert_eq!(
        v(&r, "applications", "outcomes.total", "total"),
        Value::Count(11)
    );
}

/// A header that prints the columns in another order than the template's places each
/// value under its own heading, with one warning for the table.
#[test]
fn columns_printed_in_another_order_are_read_under_their_headings() {
    let text = "某区住房和城乡建设局2022年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n\
        | 第二十条第（一）项 | | | |\n|---|---|---|---|\n\
        | 信息内容 | 现行有效件数 | 本年制发件数 | 本年废止件数 |\n\
        | 规章 | 143 | 2 | 5 |\n\
        | 行政规范性文件 | 495 | 11 | 1 |\n\n";
    let r = parse_text(&format!("{text}{APPS_2021}"), Format::Markdown).unwrap();
    for (row, column, expected) in [
        ("regulations", "issued", 2),
        ("regulations", "repealed", 5),
        ("regulations", "in_force", 143),
        ("normative_documents", "in_force", 495),
    ] {
        assert_eq!(
            v(&r, "active_disclosure", row, column),
            Value::Count(expected),
            "{row} {column}"
        );
    }
    let said: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == xxgk_parse::codes::COLUMNS_REORDERED)
        .collect();
    assert_eq!(said.len(), 1, "{:#?}", r.diagnostics);
}

/// A group printed as one row with an explanation after its label (（六）其他处理（含…）) is
/// still the group: its label starts the row's, it does not name the row's group.
#[test]
fn a_group_printed_as_one_row_with_an_explanation_is_the_group() {
    let mut apps = String::new();
    for line in APPS_2021.lines() {
        if line.starts_with("（六）其他处理") {
            apps.push_str(
                "（六）其他处理（含申请人逾期不补正、逾期未缴费等情形）\t2\t0\t0\t0\t0\t0\t2\n",
            );
        } else if !line.starts_with("2.申请人逾期未按") && !line.starts_with("3.其他\t") {
            apps.push_str(line);
            apps.push('\n');
        }
    }
    let text = format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{apps}");
    let r = parse_text(&text, Format::Text).unwrap();
    assert_eq!(r.group_rows.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(r.group_rows[0].group, "outcomes.other");
    assert!(r.extra_rows.is_empty(), "{:?}", r.extra_rows);
}

/// A count with a note after it in brackets is read, and the note said at the cell.
#[test]
fn a_value_with_a_note_after_it_is_read_and_the_note_said() {
    let apps = APPS_2021.replace(
        "一、本年新收政府信息公开申请数量\t10\t",
        "一、本年新收政府信息公开申请数量\t10（其中网上申请4件）\t",
    );
    let text = format!("某区住房和城乡建设局2022年政府信息公开工作年度报告\n{apps}");
    let r = parse_text(&text, Format::Text).unwrap();
    assert_eq!(
        v(&r, "applications", "new_received", "natural_person"),
        Value::Count(10)
    );
    let said: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == xxgk_parse::codes::VALUE_WITH_NOTE)
        .collect();
    assert_eq!(said.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(said[0].severity, Severity::Warning);
    assert_eq!(said[0].cells.len(), 1);
}
