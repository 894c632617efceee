//! Every constraint of the data dictionary, passing and failing, in both editions; what a
//! blank, not-applicable or unknown cell does to a check; continuity across reports and
//! editions; the canonical JSON round trip; and the verdict on every bundled example.

use std::collections::BTreeSet;

use serde_json::json;
use xxgk_model::cell::{Amount, AmountUnit, Cell, Value};
use xxgk_model::check::{CheckResult, Cmp, Outcome, Reading, Scope, Term};
use xxgk_model::diagnostic::{Location, Severity};
use xxgk_model::{CONSTRAINTS, Date, Edition, Meta, Report};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const TRANSPORT_2019: &str = include_str!("../../../examples/2019-transport-bureau-2019.json");
const TRANSPORT_2020: &str = include_str!("../../../examples/2019-transport-bureau-2020.json");
const COUNTY_2023: &str = include_str!("../../../examples/2021-county-office-2023.json");
const COUNTY_2024: &str = include_str!("../../../examples/2021-county-office-2024.json");

/// The correct examples: `(file, text)`.
const CORRECT: &[(&str, &str)] = &[
    ("2019-transport-bureau-2019.json", TRANSPORT_2019),
    ("2019-transport-bureau-2020.json", TRANSPORT_2020),
    ("2021-county-office-2023.json", COUNTY_2023),
    ("2021-county-office-2024.json", COUNTY_2024),
];

/// The broken examples: `(constraint id = file stem, text)`.
const BROKEN: &[(&str, &str)] = &[
    (
        "applications.balance",
        include_str!("../../../examples/broken/applications.balance.json"),
    ),
    (
        "applications.outcomes_total",
        include_str!("../../../examples/broken/applications.outcomes_total.json"),
    ),
    (
        "applications.row_total",
        include_str!("../../../examples/broken/applications.row_total.json"),
    ),
    (
        "applications.non_negative",
        include_str!("../../../examples/broken/applications.non_negative.json"),
    ),
    (
        "review_litigation.total",
        include_str!("../../../examples/broken/review_litigation.total.json"),
    ),
    (
        "review_litigation.non_negative",
        include_str!("../../../examples/broken/review_litigation.non_negative.json"),
    ),
    (
        "active_disclosure.2019.published_le_total",
        include_str!("../../../examples/broken/active_disclosure.2019.published_le_total.json"),
    ),
    (
        "meta.year_matches",
        include_str!("../../../examples/broken/meta.year_matches.json"),
    ),
];

/// Structurally invalid examples: `(file, text, what the error must mention)`.
const STRUCTURE: &[(&str, &str, &str)] = &[
    (
        "structure-unknown-row.json",
        include_str!("../../../examples/broken/structure-unknown-row.json"),
        "trade_secret",
    ),
    (
        "structure-string-count.json",
        include_str!("../../../examples/broken/structure-string-count.json"),
        "12件",
    ),
];

/// The constraint ids of the data dictionary, with their severity and scope.
const DICTIONARY: &[(&str, Severity, Scope)] = &[
    ("applications.balance", Severity::Error, Scope::Report),
    (
        "applications.outcomes_total",
        Severity::Error,
        Scope::Report,
    ),
    ("applications.row_total", Severity::Error, Scope::Report),
    ("applications.non_negative", Severity::Error, Scope::Report),
    ("review_litigation.total", Severity::Error, Scope::Report),
    (
        "review_litigation.non_negative",
        Severity::Error,
        Scope::Report,
    ),
    (
        "active_disclosure.2019.published_le_total",
        Severity::Warning,
        Scope::Report,
    ),
    ("continuity.carry_over", Severity::Warning, Scope::Corpus),
    ("continuity.items_2019", Severity::Warning, Scope::Corpus),
    ("meta.year_matches", Severity::Warning, Scope::Meta),
];

const APPLICANTS: [&str; 6] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
];
const COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
    "total",
];
const REVIEW_GROUPS: [&str; 3] = [
    "administrative_review",
    "litigation_direct",
    "litigation_after_review",
];
const REVIEW_COLUMNS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// The outcome rows (every leaf of 三、本年度办理结果 but （七）总计), as the dictionary lists them.
fn outcome_leaves(edition: Edition) -> Vec<&'static str> {
    let mut rows = vec![
        "outcomes.disclosed",
        "outcomes.partially_disclosed",
        "outcomes.withheld.state_secret",
        "outcomes.withheld.prohibited_by_law",
        "outcomes.withheld.security_stability",
        "outcomes.withheld.third_party_rights",
        "outcomes.withheld.internal_affairs",
        "outcomes.withheld.process_information",
        "outcomes.withheld.enforcement_files",
        "outcomes.withheld.administrative_queries",
        "outcomes.unavailable.not_held",
        "outcomes.unavailable.needs_creation",
        "outcomes.unavailable.unclear_after_correction",
        "outcomes.not_processed.complaints",
        "outcomes.not_processed.duplicate",
        "outcomes.not_processed.publications",
        "outcomes.not_processed.excessive",
        "outcomes.not_processed.confirmation",
    ];
    match edition {
        Edition::E2019 => rows.push("outcomes.other"),
        Edition::E2021 => rows.extend([
            "outcomes.other.overdue_correction",
            "outcomes.other.unpaid_fees",
            "outcomes.other.other",
        ]),
    }
    rows
}

/// Every row of section 三, in print order.
fn application_rows(edition: Edition) -> Vec<&'static str> {
    let mut rows = vec!["new_received", "carried_over"];
    rows.extend(outcome_leaves(edition));
    rows.extend(["outcomes.total", "carried_forward"]);
    rows
}

fn load(text: &str) -> Report {
    Report::from_json(text).unwrap_or_else(|e| panic!("example does not parse: {e}"))
}

#[track_caller]
fn set(r: &mut Report, table: &str, row: &str, column: &str, value: Value) {
    let edition = r.edition();
    *r.tables
        .cell_mut(table, row, column)
        .unwrap_or_else(|| panic!("no cell {table}.{row}.{column} in the {edition} edition")) =
        Cell::from(value);
}

#[track_caller]
fn value(r: &Report, table: &str, row: &str, column: &str) -> Value {
    r.tables
        .cell(table, row, column)
        .unwrap_or_else(|| panic!("no cell {table}.{row}.{column}"))
        .value
}

/// A cell as a rule reads it: blank and not applicable are zero.
#[track_caller]
fn num(r: &Report, table: &str, row: &str, column: &str) -> i128 {
    match value(r, table, row, column) {
        Value::Count(n) => i128::from(n),
        Value::SignedCount(n) => i128::from(n),
        Value::Blank | Value::NotApplicable => 0,
        other => panic!("{table}.{row}.{column} is {other:?}"),
    }
}

fn int(n: i128) -> Value {
    if n >= 0 {
        Value::Count(n as u64)
    } else {
        Value::SignedCount(n as i64)
    }
}

#[track_caller]
fn add(r: &mut Report, table: &str, row: &str, column: &str, by: i128) {
    let n = num(r, table, row, column) + by;
    set(r, table, row, column, int(n));
}

fn app(r: &Report, row: &str, column: &str) -> i128 {
    num(r, "applications", row, column)
}

/// A report of `edition` with every cell of the three tables filled and every constraint holding.
fn consistent(edition: Edition) -> Report {
    let mut r = Report::new(edition);
    let year = match edition {
        Edition::E2019 => 2020,
        Edition::E2021 => 2022,
    };
    r.meta = Meta {
        agency: Some("某县统计局".into()),
        year: Some(year),
        published: Date::new(year + 1, 1, 20),
        title: Some(format!("某县统计局{year}年政府信息公开工作年度报告")),
    };
    let mut totals = [0u64; 6];
    for (i, row) in outcome_leaves(edition).into_iter().enumerate() {
        for (j, column) in APPLICANTS.iter().enumerate() {
            let v = ((i * 7 + j * 3) % 5) as u64;
            totals[j] += v;
            set(&mut r, "applications", row, column, Value::Count(v));
        }
    }
    for (j, column) in APPLICANTS.iter().enumerate() {
        let (carried_over, carried_forward) = (j as u64 + 1, (2 * j % 3) as u64);
        set(
            &mut r,
            "applications",
            "outcomes.total",
            column,
            Value::Count(totals[j]),
        );
        set(
            &mut r,
            "applications",
            "carried_over",
            column,
            Value::Count(carried_over),
        );
        set(
            &mut r,
            "applications",
            "carried_forward",
            column,
            Value::Count(carried_forward),
        );
        set(
            &mut r,
            "applications",
            "new_received",
            column,
            Value::Count(totals[j] + carried_forward - carried_over),
        );
    }
    for row in application_rows(edition) {
        let total: i128 = APPLICANTS.iter().map(|c| app(&r, row, c)).sum();
        set(&mut r, "applications", row, "total", int(total));
    }
    for (g, group) in REVIEW_GROUPS.iter().enumerate() {
        let g = g as u64;
        let parts = [g + 1, g, 1, 0];
        for (column, n) in REVIEW_COLUMNS.iter().zip(parts) {
            set(&mut r, "review_litigation", group, column, Value::Count(n));
        }
        set(
            &mut r,
            "review_litigation",
            group,
            "total",
            Value::Count(parts.iter().sum()),
        );
    }
    // Active disclosure: count columns numbered 1, 2, 3 in print order (so published 2 <=
    // total_published 3), signed columns -1, amounts 12.50 万元.
    let table = edition
        .template()
        .table("active_disclosure")
        .expect("active_disclosure");
    for row in table.rows {
        for (k, column) in row.columns.iter().enumerate() {
            let v = match column.kind {
                xxgk_model::cell::CellKind::Count => Value::Count(k as u64 + 1),
                xxgk_model::cell::CellKind::SignedCount => Value::SignedCount(-1),
                xxgk_model::cell::CellKind::Amount => Value::Amount(
                    Amount::parse("12.50", AmountUnit::TenThousandYuan).expect("amount"),
                ),
            };
            set(&mut r, "active_disclosure", row.path, column.id, v);
        }
    }
    r
}

/// The single result of constraint `id` for `instance`.
#[track_caller]
fn one<'a>(results: &'a [CheckResult], id: &str, instance: &str) -> &'a CheckResult {
    let found: Vec<&CheckResult> = results
        .iter()
        .filter(|r| r.constraint.id == id && r.instance == Some(instance))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{id}[{instance}]: expected one result, found {}",
        found.len()
    );
    found[0]
}

fn of<'a>(results: &'a [CheckResult], id: &str) -> Vec<&'a CheckResult> {
    results.iter().filter(|r| r.constraint.id == id).collect()
}

fn failed(results: &[CheckResult]) -> Vec<String> {
    results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .map(ToString::to_string)
        .collect()
}

fn names(terms: &[Term]) -> Vec<String> {
    terms.iter().map(Term::name).collect()
}

fn cells(table: &str, row: &str, columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|c| format!("{table}.{row}.{c}"))
        .collect()
}

fn rows_cells(table: &str, rows: &[&str], column: &str) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{table}.{r}.{column}"))
        .collect()
}

#[track_caller]
fn assert_pass(res: &CheckResult, left: i128, right: i128) {
    assert_eq!(res.outcome, Outcome::Pass, "{res}");
    assert_eq!((res.left, res.right), (left, right), "{res}");
    assert!(
        res.to_diagnostic().is_none(),
        "a passing instance has no diagnostic: {res}"
    );
}

/// A failed instance: its outcome, both sides, the cells read (left side first) and the
/// diagnostic it turns into (code, severity, cells, and a message naming instance, values,
/// cells and rule).
#[track_caller]
fn assert_fail(
    res: &CheckResult,
    left: i128,
    cmp: Cmp,
    right: i128,
    left_cells: &[String],
    right_cells: &[String],
) {
    assert_eq!(res.outcome, Outcome::Fail, "{res}");
    assert_eq!((res.left, res.cmp, res.right), (left, cmp, right), "{res}");
    let expected: Vec<String> = left_cells.iter().chain(right_cells).cloned().collect();
    assert_eq!(names(&res.terms), expected, "cells read by {res}");
    assert_eq!(res.left_terms, left_cells.len(), "left side of {res}");
    let d = res
        .to_diagnostic()
        .expect("a failed instance has a diagnostic");
    assert_eq!(d.code, res.constraint.id);
    assert_eq!(d.severity, res.constraint.severity);
    let cells: Vec<String> = d.cells.iter().map(ToString::to_string).collect();
    assert_eq!(cells, expected, "diagnostic cells of {res}");
    let check = d
        .check
        .as_ref()
        .expect("a failed check's diagnostic says so");
    assert_eq!(check.instance.as_deref(), res.instance);
    assert_eq!((check.left, check.cmp, check.right), (left, cmp, right));
    // Both sides' values appear as numbers in the message.
    let numbers: Vec<&str> = d
        .message
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .collect();
    for n in [left, right] {
        assert!(
            numbers.contains(&n.to_string().as_str()),
            "value {n} not in: {}",
            d.message
        );
    }
    // A side of a few cells is spelled out (as `row.column`; the code names the table).
    for side in [left_cells, right_cells] {
        if (1..=4).contains(&side.len()) {
            for cell in side {
                let short = cell
                    .trim_start_matches("previous.")
                    .split_once('.')
                    .unwrap()
                    .1;
                assert!(
                    d.message.contains(short),
                    "`{short}` not named in: {}",
                    d.message
                );
            }
        }
    }
    assert_eq!(Some(check.rule.as_str()), res.constraint.rule);
    // The message is one sentence: the rule and the notes are fields of their own.
    assert!(
        !d.message.contains("rule") && !d.message.contains(';'),
        "{}",
        d.message
    );
}

// ---------------------------------------------------------------------------------------------
// The constraint table itself
// ---------------------------------------------------------------------------------------------

#[test]
fn schema_declares_every_dictionary_constraint() {
    // A subset, in order: the schema may grow without this test changing.
    let ids: Vec<&str> = CONSTRAINTS.iter().map(|c| c.id).collect();
    let expected: Vec<&str> = DICTIONARY.iter().map(|(id, _, _)| *id).collect();
    assert!(
        is_subsequence(&expected, &ids),
        "{expected:?} not all in {ids:?}"
    );
    for (id, severity, scope) in DICTIONARY {
        let c = CONSTRAINTS.iter().find(|c| c.id == *id).unwrap();
        assert_eq!((c.severity, c.scope), (*severity, *scope), "{id}");
    }
    let published = CONSTRAINTS
        .iter()
        .find(|c| c.id == "active_disclosure.2019.published_le_total")
        .unwrap();
    assert_eq!(published.editions, ["2019"]);
    let items = CONSTRAINTS
        .iter()
        .find(|c| c.id == "continuity.items_2019")
        .unwrap();
    assert_eq!(items.editions, ["2019"]);
}

/// `part` appears in `whole` in the same order (other items may stand between).
fn is_subsequence(part: &[&str], whole: &[&str]) -> bool {
    let mut it = whole.iter();
    part.iter().all(|p| it.any(|w| w == p))
}

#[test]
fn template_rows_match_the_dictionary() {
    for edition in [Edition::E2019, Edition::E2021] {
        let t = edition.template().table("applications").unwrap();
        // Every dictionary row, in print order (the schema may add rows).
        let rows: Vec<&str> = t.rows.iter().map(|r| r.path).collect();
        assert!(
            is_subsequence(&application_rows(edition), &rows),
            "{edition}: {rows:?}"
        );
        for row in t.rows {
            let columns: Vec<&str> = row.columns.iter().map(|c| c.id).collect();
            assert!(is_subsequence(&COLUMNS, &columns), "{edition} {}", row.path);
        }
    }
    // 2019: （六）其他处理 is a single row; 2021: a group of three.
    let mut r19 = Report::new(Edition::E2019);
    assert!(
        r19.tables
            .cell_mut("applications", "outcomes.other", "natural_person")
            .is_some()
    );
    assert!(
        r19.tables
            .cell_mut("applications", "outcomes.other.other", "natural_person")
            .is_none()
    );
    let mut r21 = Report::new(Edition::E2021);
    assert!(
        r21.tables
            .cell_mut("applications", "outcomes.other", "natural_person")
            .is_none()
    );
    assert!(
        r21.tables
            .cell_mut(
                "applications",
                "outcomes.other.unpaid_fees",
                "natural_person"
            )
            .is_some()
    );
}

#[test]
fn a_consistent_report_passes_every_instance_of_every_check() {
    // (edition, applications rows, active disclosure rows checked by published_le_total)
    for (edition, rows, published_rows) in [(Edition::E2019, 23, 2), (Edition::E2021, 25, 0)] {
        let r = consistent(edition);
        let results = r.check();
        assert!(
            results.iter().all(|x| x.outcome == Outcome::Pass),
            "{edition}: {:?}",
            results.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
        let count = |id: &str| of(&results, id).len();
        assert_eq!(count("applications.balance"), 7, "{edition}");
        assert_eq!(count("applications.outcomes_total"), 7, "{edition}");
        assert_eq!(count("applications.row_total"), rows, "{edition}");
        assert_eq!(count("applications.non_negative"), rows * 7, "{edition}");
        assert_eq!(count("review_litigation.total"), 3, "{edition}");
        assert_eq!(count("review_litigation.non_negative"), 15, "{edition}");
        assert_eq!(
            count("active_disclosure.2019.published_le_total"),
            published_rows,
            "{edition}"
        );
        assert!(results.iter().all(|x| x.constraint.scope == Scope::Report));
        assert_eq!(r.diagnose(), vec![], "{edition}");
    }
}

#[test]
fn instances_evaluated_alone_or_for_outcomes_agree_with_the_whole_check() {
    for edition in [Edition::E2019, Edition::E2021] {
        // Failing, passing, blank and unknown instances alike.
        let mut r = consistent(edition);
        add(&mut r, "applications", "new_received", "natural_person", 3);
        set(
            &mut r,
            "review_litigation",
            "administrative_review",
            "upheld",
            Value::Blank,
        );
        set(
            &mut r,
            "applications",
            "carried_over",
            "other_org",
            Value::Unknown,
        );
        let whole = r.tables.check();
        let cells = r.tables.instance_cells();
        assert_eq!(whole.len(), cells.len(), "{edition}");
        assert!(whole.iter().any(|x| x.outcome == Outcome::Fail));
        for (i, result) in whole.iter().enumerate() {
            assert_eq!(
                r.tables.instance_outcome(i),
                Some(result.outcome),
                "{edition} {i}"
            );
            let read: Vec<_> = result.terms.iter().map(|t| t.cell).collect();
            assert_eq!(read, cells[i], "{edition}: the cells of {result}");
        }
        assert_eq!(r.tables.instance_outcome(cells.len()), None);
        let mut outcomes = Vec::new();
        r.tables.for_each_outcome(&mut |o| outcomes.push(o));
        let expected: Vec<_> = whole.iter().map(|x| x.outcome).collect();
        assert_eq!(outcomes, expected, "{edition}");
    }
}

// ---------------------------------------------------------------------------------------------
// applications.balance
// ---------------------------------------------------------------------------------------------

fn balance_cells(column: &str) -> (Vec<String>, Vec<String>) {
    (
        rows_cells("applications", &["new_received", "carried_over"], column),
        rows_cells(
            "applications",
            &["outcomes.total", "carried_forward"],
            column,
        ),
    )
}

#[test]
fn balance_passes_per_column_in_both_editions() {
    for text in [TRANSPORT_2019, COUNTY_2024] {
        let r = load(text);
        let results = r.check();
        for column in COLUMNS {
            let left = app(&r, "new_received", column) + app(&r, "carried_over", column);
            let right = app(&r, "outcomes.total", column) + app(&r, "carried_forward", column);
            assert_eq!(left, right);
            assert_pass(one(&results, "applications.balance", column), left, right);
        }
    }
    // Concrete values of the 2019 example, natural persons: 173 + 3 == 163 + 13.
    let r = load(TRANSPORT_2019);
    assert_pass(
        one(&r.check(), "applications.balance", "natural_person"),
        176,
        176,
    );
}

#[test]
fn balance_fails_in_the_column_that_does_not_add_up() {
    for edition in [Edition::E2019, Edition::E2021] {
        let mut r = consistent(edition);
        add(
            &mut r,
            "applications",
            "carried_forward",
            "legal_service_org",
            2,
        );
        let results = r.check();
        let left = app(&r, "new_received", "legal_service_org")
            + app(&r, "carried_over", "legal_service_org");
        let (l, rt) = balance_cells("legal_service_org");
        assert_fail(
            one(&results, "applications.balance", "legal_service_org"),
            left,
            Cmp::Eq,
            left + 2,
            &l,
            &rt,
        );
        let d = one(&results, "applications.balance", "legal_service_org")
            .to_diagnostic()
            .unwrap();
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.check.unwrap().stated.as_deref(),
            Some("第一项加第二项之和，等于第三项加第四项之和")
        );
        // The row total of carried_forward now fails too; every other balance column holds.
        assert_eq!(
            failed(&results)
                .into_iter()
                .filter(|f| f.starts_with("applications.balance"))
                .count(),
            1,
            "{edition}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// applications.outcomes_total
// ---------------------------------------------------------------------------------------------

fn outcomes_total_cells(edition: Edition, column: &str) -> (Vec<String>, Vec<String>) {
    (
        rows_cells("applications", &["outcomes.total"], column),
        rows_cells("applications", &outcome_leaves(edition), column),
    )
}

#[test]
fn outcomes_total_passes_per_column_in_both_editions() {
    for text in [TRANSPORT_2020, COUNTY_2023] {
        let r = load(text);
        let edition = r.edition();
        let results = r.check();
        for column in COLUMNS {
            let sum: i128 = outcome_leaves(edition)
                .iter()
                .map(|row| app(&r, row, column))
                .sum();
            let res = one(&results, "applications.outcomes_total", column);
            assert_pass(res, app(&r, "outcomes.total", column), sum);
            let (l, rt) = outcomes_total_cells(edition, column);
            assert_eq!(names(&res.terms), [l, rt].concat(), "{edition} {column}");
        }
    }
}

#[test]
fn outcomes_total_2019_counts_the_single_other_row() {
    let mut r = consistent(Edition::E2019);
    let printed = app(&r, "outcomes.total", "natural_person");
    add(
        &mut r,
        "applications",
        "outcomes.other",
        "natural_person",
        1,
    );
    let results = r.check();
    let res = one(&results, "applications.outcomes_total", "natural_person");
    let (l, rt) = outcomes_total_cells(Edition::E2019, "natural_person");
    assert_eq!(rt.len(), 19);
    assert!(rt.contains(&"applications.outcomes.other.natural_person".to_owned()));
    assert_fail(res, printed, Cmp::Eq, printed + 1, &l, &rt);
}

#[test]
fn outcomes_total_2021_sums_the_three_other_rows() {
    for row in [
        "outcomes.other.overdue_correction",
        "outcomes.other.unpaid_fees",
        "outcomes.other.other",
    ] {
        let mut r = consistent(Edition::E2021);
        let printed = app(&r, "outcomes.total", "commercial_enterprise");
        add(&mut r, "applications", row, "commercial_enterprise", 3);
        let results = r.check();
        let res = one(
            &results,
            "applications.outcomes_total",
            "commercial_enterprise",
        );
        let (l, rt) = outcomes_total_cells(Edition::E2021, "commercial_enterprise");
        assert_eq!(rt.len(), 21);
        assert!(rt.contains(&format!("applications.{row}.commercial_enterprise")));
        assert_fail(res, printed, Cmp::Eq, printed + 3, &l, &rt);
        // Raising （七）总计 by the same amount restores the column.
        add(
            &mut r,
            "applications",
            "outcomes.total",
            "commercial_enterprise",
            3,
        );
        assert_pass(
            one(
                &r.check(),
                "applications.outcomes_total",
                "commercial_enterprise",
            ),
            printed + 3,
            printed + 3,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// applications.row_total
// ---------------------------------------------------------------------------------------------

#[test]
fn row_total_passes_per_row_in_both_editions() {
    for text in [TRANSPORT_2019, COUNTY_2024] {
        let r = load(text);
        let edition = r.edition();
        let results = r.check();
        for row in application_rows(edition) {
            let sum: i128 = APPLICANTS.iter().map(|c| app(&r, row, c)).sum();
            let res = one(&results, "applications.row_total", row);
            assert_pass(res, app(&r, row, "total"), sum);
            assert_eq!(
                names(&res.terms),
                cells("applications", row, &COLUMNS[6..=6])
                    .into_iter()
                    .chain(cells("applications", row, &APPLICANTS))
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn row_total_fails_in_the_row_whose_total_is_wrong() {
    for (edition, row) in [
        (Edition::E2019, "outcomes.withheld.state_secret"),
        (Edition::E2021, "outcomes.other.unpaid_fees"),
    ] {
        let mut r = consistent(edition);
        let sum: i128 = APPLICANTS.iter().map(|c| app(&r, row, c)).sum();
        add(&mut r, "applications", row, "total", 2);
        let results = r.check();
        assert_fail(
            one(&results, "applications.row_total", row),
            sum + 2,
            Cmp::Eq,
            sum,
            &cells("applications", row, &["total"]),
            &cells("applications", row, &APPLICANTS),
        );
        let rows_failing: Vec<&str> = of(&results, "applications.row_total")
            .into_iter()
            .filter(|x| x.outcome == Outcome::Fail)
            .filter_map(|x| x.instance)
            .collect();
        assert_eq!(rows_failing, [row], "{edition}");
    }
}

// ---------------------------------------------------------------------------------------------
// applications.non_negative and review_litigation.non_negative
// ---------------------------------------------------------------------------------------------

#[test]
fn non_negative_passes_on_zero_and_positive_counts() {
    let r = load(COUNTY_2024);
    let results = r.check();
    // 1 and 0 as printed.
    assert_eq!(
        value(
            &r,
            "applications",
            "outcomes.not_processed.complaints",
            "natural_person"
        ),
        Value::Count(1)
    );
    assert_pass(
        one(
            &results,
            "applications.non_negative",
            "outcomes.not_processed.complaints.natural_person",
        ),
        1,
        0,
    );
    assert_eq!(
        value(
            &r,
            "applications",
            "outcomes.withheld.internal_affairs",
            "total"
        ),
        Value::Count(0)
    );
    assert_pass(
        one(
            &results,
            "applications.non_negative",
            "outcomes.withheld.internal_affairs.total",
        ),
        0,
        0,
    );
    assert_pass(
        one(
            &results,
            "review_litigation.non_negative",
            "administrative_review.upheld",
        ),
        3,
        0,
    );
    assert_pass(
        one(
            &results,
            "review_litigation.non_negative",
            "litigation_after_review.upheld",
        ),
        0,
        0,
    );
}

#[test]
fn applications_non_negative_fails_on_a_negative_count_in_both_editions() {
    for edition in [Edition::E2019, Edition::E2021] {
        let mut r = consistent(edition);
        set(
            &mut r,
            "applications",
            "outcomes.disclosed",
            "natural_person",
            Value::SignedCount(-1),
        );
        let results = r.check();
        let res = one(
            &results,
            "applications.non_negative",
            "outcomes.disclosed.natural_person",
        );
        assert_fail(
            res,
            -1,
            Cmp::Ge,
            0,
            &cells("applications", "outcomes.disclosed", &["natural_person"]),
            &[],
        );
        assert_eq!(res.terms[0].reading, Reading::Number(-1));
        let negatives: Vec<&str> = of(&results, "applications.non_negative")
            .into_iter()
            .filter(|x| x.outcome == Outcome::Fail)
            .filter_map(|x| x.instance)
            .collect();
        assert_eq!(
            negatives,
            ["outcomes.disclosed.natural_person"],
            "{edition}"
        );
    }
}

#[test]
fn review_non_negative_fails_on_a_negative_count() {
    let mut r = consistent(Edition::E2021);
    set(
        &mut r,
        "review_litigation",
        "litigation_direct",
        "pending",
        Value::SignedCount(-2),
    );
    let results = r.check();
    let res = one(
        &results,
        "review_litigation.non_negative",
        "litigation_direct.pending",
    );
    assert_fail(
        res,
        -2,
        Cmp::Ge,
        0,
        &cells("review_litigation", "litigation_direct", &["pending"]),
        &[],
    );
    assert_eq!(res.to_diagnostic().unwrap().severity, Severity::Error);
}

#[test]
fn a_negative_count_read_from_json_is_kept_and_reported() {
    let json = r#"{ "meta": { "edition": "2019" },
        "tables": { "review_litigation": { "litigation_direct": { "upheld": -1, "corrected": 2, "other": 0, "pending": 0, "total": 1 } } } }"#;
    let r = Report::from_json(json).unwrap();
    assert_eq!(
        value(&r, "review_litigation", "litigation_direct", "upheld"),
        Value::SignedCount(-1)
    );
    let results = r.check();
    assert_fail(
        one(
            &results,
            "review_litigation.non_negative",
            "litigation_direct.upheld",
        ),
        -1,
        Cmp::Ge,
        0,
        &cells("review_litigation", "litigation_direct", &["upheld"]),
        &[],
    );
    assert_pass(
        one(&results, "review_litigation.total", "litigation_direct"),
        1,
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// review_litigation.total
// ---------------------------------------------------------------------------------------------

#[test]
fn review_total_passes_per_group() {
    let r = load(TRANSPORT_2020);
    let results = r.check();
    assert_pass(
        one(&results, "review_litigation.total", "administrative_review"),
        6,
        6,
    );
    assert_pass(
        one(&results, "review_litigation.total", "litigation_direct"),
        4,
        4,
    );
    assert_pass(
        one(
            &results,
            "review_litigation.total",
            "litigation_after_review",
        ),
        1,
        1,
    );
}

#[test]
fn review_total_fails_in_the_group_that_does_not_add_up() {
    for edition in [Edition::E2019, Edition::E2021] {
        let mut r = consistent(edition);
        // litigation_after_review: 3 + 2 + 1 + 0 = 6, printed 5.
        set(
            &mut r,
            "review_litigation",
            "litigation_after_review",
            "total",
            Value::Count(5),
        );
        let results = r.check();
        assert_fail(
            one(
                &results,
                "review_litigation.total",
                "litigation_after_review",
            ),
            5,
            Cmp::Eq,
            6,
            &cells("review_litigation", "litigation_after_review", &["total"]),
            &cells(
                "review_litigation",
                "litigation_after_review",
                &["upheld", "corrected", "other", "pending"],
            ),
        );
        assert_eq!(
            failed(&results),
            ["review_litigation.total[litigation_after_review]: Fail (5 == 6)"],
            "{edition}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// active_disclosure.2019.published_le_total
// ---------------------------------------------------------------------------------------------

#[test]
fn published_le_total_passes_including_equality() {
    let mut r = load(TRANSPORT_2019);
    let results = r.check();
    assert_pass(
        one(
            &results,
            "active_disclosure.2019.published_le_total",
            "normative_documents",
        ),
        7,
        63,
    );
    // 规章 printed "/" in every column: nothing to assess.
    assert_eq!(
        one(
            &results,
            "active_disclosure.2019.published_le_total",
            "regulations"
        )
        .outcome,
        Outcome::NotAssessable
    );
    set(
        &mut r,
        "active_disclosure",
        "regulations",
        "published",
        Value::Count(4),
    );
    set(
        &mut r,
        "active_disclosure",
        "regulations",
        "total_published",
        Value::Count(4),
    );
    assert_pass(
        one(
            &r.check(),
            "active_disclosure.2019.published_le_total",
            "regulations",
        ),
        4,
        4,
    );
}

#[test]
fn published_le_total_fails_as_a_warning_in_2019_only() {
    let mut r = consistent(Edition::E2019);
    set(
        &mut r,
        "active_disclosure",
        "regulations",
        "published",
        Value::Count(9),
    );
    set(
        &mut r,
        "active_disclosure",
        "regulations",
        "total_published",
        Value::Count(8),
    );
    let results = r.check();
    let res = one(
        &results,
        "active_disclosure.2019.published_le_total",
        "regulations",
    );
    assert_fail(
        res,
        9,
        Cmp::Le,
        8,
        &cells("active_disclosure", "regulations", &["published"]),
        &cells("active_disclosure", "regulations", &["total_published"]),
    );
    assert_eq!(res.to_diagnostic().unwrap().severity, Severity::Warning);
    assert_pass(
        one(
            &results,
            "active_disclosure.2019.published_le_total",
            "normative_documents",
        ),
        2,
        3,
    );
    // The 2021 edition has no such columns and no such check.
    assert!(
        of(
            &consistent(Edition::E2021).check(),
            "active_disclosure.2019.published_le_total"
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// continuity.carry_over and continuity.items_2019
// ---------------------------------------------------------------------------------------------

fn carry_over_cells(column: &str) -> (Vec<String>, Vec<String>) {
    (
        vec![format!("applications.carried_over.{column}")],
        vec![format!("previous.applications.carried_forward.{column}")],
    )
}

#[test]
fn carry_over_passes_between_consecutive_examples() {
    for (previous, current) in [(TRANSPORT_2019, TRANSPORT_2020), (COUNTY_2023, COUNTY_2024)] {
        let (p, c) = (load(previous), load(current));
        let results = c.tables.check_continuity(&p.tables);
        for column in COLUMNS {
            let res = one(&results, "continuity.carry_over", column);
            assert_pass(
                res,
                app(&c, "carried_over", column),
                app(&p, "carried_forward", column),
            );
            let (l, r) = carry_over_cells(column);
            assert_eq!(names(&res.terms), [l, r].concat());
            assert!(res.terms[1].previous && !res.terms[0].previous);
        }
        assert!(
            results.iter().all(|x| x.outcome == Outcome::Pass),
            "{:?}",
            failed(&results)
        );
    }
}

#[test]
fn carry_over_fails_column_by_column_as_a_warning() {
    let (p, mut c) = (load(TRANSPORT_2019), load(TRANSPORT_2020));
    // 2019 carried forward 3 for commercial enterprises; 2020 prints 5.
    set(
        &mut c,
        "applications",
        "carried_over",
        "commercial_enterprise",
        Value::Count(5),
    );
    let results = c.tables.check_continuity(&p.tables);
    let res = one(&results, "continuity.carry_over", "commercial_enterprise");
    let (l, r) = carry_over_cells("commercial_enterprise");
    assert_fail(res, 5, Cmp::Eq, 3, &l, &r);
    assert_eq!(res.to_diagnostic().unwrap().severity, Severity::Warning);
    assert_eq!(
        failed(&results),
        ["continuity.carry_over[commercial_enterprise]: Fail (5 == 3)"]
    );
}

#[test]
fn carry_over_is_checked_across_editions() {
    // 2020 (2019 edition) followed by 2021 (2021 edition).
    let previous = load(TRANSPORT_2020);
    let mut current = consistent(Edition::E2021);
    for column in COLUMNS {
        let carried = previous
            .tables
            .cell("applications", "carried_forward", column)
            .unwrap()
            .clone();
        *current
            .tables
            .cell_mut("applications", "carried_over", column)
            .unwrap() = carried;
    }
    let results = current.tables.check_continuity(&previous.tables);
    assert_eq!(of(&results, "continuity.carry_over").len(), 7);
    for column in COLUMNS {
        let n = app(&previous, "carried_forward", column);
        assert_pass(one(&results, "continuity.carry_over", column), n, n);
    }
    // items_2019 needs the 2019 edition on both sides: not checked across editions.
    assert!(of(&results, "continuity.items_2019").is_empty());

    add(
        &mut current,
        "applications",
        "carried_over",
        "natural_person",
        -1,
    );
    let results = current.tables.check_continuity(&previous.tables);
    let (l, r) = carry_over_cells("natural_person");
    assert_fail(
        one(&results, "continuity.carry_over", "natural_person"),
        11,
        Cmp::Eq,
        12,
        &l,
        &r,
    );
    assert_eq!(failed(&results).len(), 1);
}

fn items_cells(row: &str) -> (Vec<String>, Vec<String>) {
    (
        vec![format!("active_disclosure.{row}.prior_year_items")],
        vec![
            format!("previous.active_disclosure.{row}.prior_year_items"),
            format!("previous.active_disclosure.{row}.change"),
        ],
    )
}

#[test]
fn items_2019_passes_row_by_row() {
    let (p, c) = (load(TRANSPORT_2019), load(TRANSPORT_2020));
    let results = c.tables.check_continuity(&p.tables);
    let rows: Vec<&str> = of(&results, "continuity.items_2019")
        .into_iter()
        .filter_map(|x| x.instance)
        .collect();
    assert_eq!(
        rows,
        [
            "licensing",
            "other_services",
            "penalties",
            "coercion",
            "fees"
        ]
    );
    // 行政处罚: 138 items, change -11 ⇒ 127 in 2020.
    assert_pass(
        one(&results, "continuity.items_2019", "penalties"),
        127,
        127,
    );
    assert_eq!(
        value(&p, "active_disclosure", "penalties", "change"),
        Value::SignedCount(-11)
    );
    for row in rows {
        let res = one(&results, "continuity.items_2019", row);
        let (l, r) = items_cells(row);
        assert_eq!(names(&res.terms), [l, r].concat());
        assert_eq!(res.outcome, Outcome::Pass, "{res}");
    }
}

#[test]
fn items_2019_fails_when_the_change_does_not_carry() {
    let (p, mut c) = (load(TRANSPORT_2019), load(TRANSPORT_2020));
    // 行政许可: 46 items, change -3, so 2020 should print 43.
    set(
        &mut c,
        "active_disclosure",
        "licensing",
        "prior_year_items",
        Value::Count(46),
    );
    let results = c.tables.check_continuity(&p.tables);
    let res = one(&results, "continuity.items_2019", "licensing");
    let (l, r) = items_cells("licensing");
    assert_fail(res, 46, Cmp::Eq, 43, &l, &r);
    assert_eq!(res.to_diagnostic().unwrap().severity, Severity::Warning);
    assert_eq!(
        failed(&results),
        ["continuity.items_2019[licensing]: Fail (46 == 43)"]
    );
}

#[test]
fn continuity_checks_do_not_run_within_one_report() {
    let r = load(TRANSPORT_2020);
    assert!(
        r.check()
            .iter()
            .all(|x| x.constraint.scope == Scope::Report)
    );
}

// ---------------------------------------------------------------------------------------------
// meta.year_matches
// ---------------------------------------------------------------------------------------------

fn year_matches(r: &Report) -> Vec<xxgk_model::diagnostic::Diagnostic> {
    r.diagnose()
        .into_iter()
        .filter(|d| d.code == "meta.year_matches")
        .collect()
}

#[test]
fn year_matches_passes_when_title_year_and_edition_agree() {
    for (_, text) in CORRECT {
        assert_eq!(year_matches(&load(text)), vec![]);
    }
    let mut r = load(COUNTY_2024);
    r.meta.title = Some("某县人民政府办公室２０２４年政府信息公开工作年度报告".into());
    assert_eq!(year_matches(&r), vec![]);
}

#[test]
fn year_matches_fails_when_the_title_names_another_year() {
    let mut r = load(COUNTY_2024);
    r.meta.title = Some("某县人民政府办公室2023年政府信息公开工作年度报告".into());
    let d = year_matches(&r);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message.contains("2023") && d[0].message.contains("2024"),
        "{}",
        d[0].message
    );
}

#[test]
fn year_matches_fails_when_the_edition_does_not_fit_the_year() {
    let mut r = consistent(Edition::E2019);
    r.meta.year = Some(2022);
    r.meta.title = Some("某县统计局2022年政府信息公开工作年度报告".into());
    let d = year_matches(&r);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message.contains("2022")
            && d[0].message.contains("the 2021 edition")
            && d[0].message.contains("the 2019 edition"),
        "{}",
        d[0].message
    );
    // Both wrong: two diagnostics.
    r.meta.title = Some("某县统计局2020年政府信息公开工作年度报告".into());
    assert_eq!(year_matches(&r).len(), 2);
}

#[test]
fn a_report_published_after_31_january_of_the_next_year_is_late() {
    let late = |r: &Report| -> Vec<xxgk_model::diagnostic::Diagnostic> {
        r.diagnose()
            .into_iter()
            .filter(|d| d.code == "meta.late")
            .collect()
    };
    let mut r = load(COUNTY_2024);
    assert_eq!(r.meta.year, Some(2024));
    for (date, is_late) in [
        (Date::new(2025, 1, 20), false),
        (Date::new(2025, 1, 31), false),
        (Date::new(2025, 2, 1), true),
        (Date::new(2026, 1, 10), true),
    ] {
        r.meta.published = date;
        let d = late(&r);
        assert_eq!(d.len(), usize::from(is_late), "{date:?}: {d:?}");
        if let Some(d) = d.first() {
            assert_eq!(d.severity, Severity::Warning);
            assert!(d.message.contains("2025-01-31"), "{}", d.message);
            assert!(
                !d.notes.is_empty(),
                "the rule of 条例 第五十条 goes with it"
            );
        }
    }
    // Without a publication date or a year, nothing to say.
    r.meta.published = None;
    assert_eq!(late(&r), vec![]);
}

// ---------------------------------------------------------------------------------------------
// Blank, not applicable, unknown
// ---------------------------------------------------------------------------------------------

#[test]
fn a_blank_cell_read_as_zero_is_named_when_the_rule_fails() {
    let mut r = consistent(Edition::E2021);
    let row = "outcomes.disclosed";
    let total = app(&r, row, "total");
    let rest: i128 = APPLICANTS[2..].iter().map(|c| app(&r, row, c)).sum();
    set(&mut r, "applications", row, "natural_person", Value::Blank);
    set(
        &mut r,
        "applications",
        row,
        "commercial_enterprise",
        Value::NotApplicable,
    );
    let results = r.check();
    let res = one(&results, "applications.row_total", row);
    assert_ne!(total, rest, "the fixture must make the rule fail");
    assert_fail(
        res,
        total,
        Cmp::Eq,
        rest,
        &cells("applications", row, &["total"]),
        &cells("applications", row, &APPLICANTS),
    );
    let zero: Vec<String> = res.assumed_zero().map(Term::name).collect();
    assert_eq!(
        zero,
        cells(
            "applications",
            row,
            &["natural_person", "commercial_enterprise"]
        )
    );
    assert_eq!(res.terms[1].reading, Reading::BlankAsZero);
    assert_eq!(res.terms[2].reading, Reading::NotApplicableAsZero);
    let d = res.to_diagnostic().unwrap();
    let zeros = read_as_zero(&d);
    assert_eq!(
        zeros,
        [
            "applications.outcomes.disclosed.natural_person",
            "applications.outcomes.disclosed.commercial_enterprise"
        ]
    );
}

/// The cells a failed check's diagnostic says it read as zero, as dotted ids.
fn read_as_zero(d: &xxgk_model::diagnostic::Diagnostic) -> Vec<String> {
    let check = d.check.as_ref().expect("a failed check says what it read");
    check.read_as_zero.iter().map(ToString::to_string).collect()
}

#[test]
fn a_blank_cell_in_a_column_rule_is_named_too() {
    // The 2023 example prints 上年结转 / 社会公益组织 blank.
    let mut r = load(COUNTY_2023);
    assert_eq!(
        value(&r, "applications", "carried_over", "public_interest_org"),
        Value::Blank
    );
    let ok = r.check();
    let res = one(&ok, "applications.balance", "public_interest_org");
    assert_pass(res, 2, 2);
    assert_eq!(
        res.assumed_zero().map(Term::name).collect::<Vec<_>>(),
        ["applications.carried_over.public_interest_org"]
    );

    add(
        &mut r,
        "applications",
        "new_received",
        "public_interest_org",
        1,
    );
    let results = r.check();
    let res = one(&results, "applications.balance", "public_interest_org");
    let (l, rt) = balance_cells("public_interest_org");
    assert_fail(res, 3, Cmp::Eq, 2, &l, &rt);
    let d = res.to_diagnostic().unwrap();
    let zeros = read_as_zero(&d);
    assert_eq!(zeros, ["applications.carried_over.public_interest_org"]);
}

#[test]
fn a_failure_without_blank_cells_does_not_mention_zero_readings() {
    let mut r = consistent(Edition::E2019);
    add(
        &mut r,
        "review_litigation",
        "administrative_review",
        "total",
        1,
    );
    let results = r.check();
    let res = one(&results, "review_litigation.total", "administrative_review");
    assert_eq!(res.outcome, Outcome::Fail);
    assert_eq!(res.assumed_zero().count(), 0);
    assert!(
        !res.to_diagnostic()
            .unwrap()
            .message
            .contains("read as zero")
    );
}

#[test]
fn an_instance_whose_cells_are_all_blank_is_not_assessable() {
    // The 2019 example prints 复议后起诉 blank throughout.
    let r = load(TRANSPORT_2019);
    let results = r.check();
    let res = one(
        &results,
        "review_litigation.total",
        "litigation_after_review",
    );
    assert_eq!(res.outcome, Outcome::NotAssessable);
    assert!(res.to_diagnostic().is_none());
    for column in REVIEW_COLUMNS {
        let res = one(
            &results,
            "review_litigation.non_negative",
            &format!("litigation_after_review.{column}"),
        );
        assert_eq!(res.outcome, Outcome::NotAssessable, "{res}");
    }
    // Not applicable throughout (规章 "/" in 2021): not assessable either.
    let r = load(COUNTY_2024);
    assert_eq!(
        value(&r, "active_disclosure", "regulations", "issued"),
        Value::NotApplicable
    );
    let mut r = consistent(Edition::E2021);
    for column in COLUMNS {
        set(
            &mut r,
            "applications",
            "outcomes.withheld.state_secret",
            column,
            Value::NotApplicable,
        );
    }
    let res = one(
        &r.check(),
        "applications.row_total",
        "outcomes.withheld.state_secret",
    )
    .clone();
    assert_eq!(res.outcome, Outcome::NotAssessable);
}

#[test]
fn an_instance_with_an_unknown_cell_is_not_assessable_even_if_it_would_fail() {
    let mut r = consistent(Edition::E2021);
    let row = "outcomes.unavailable.not_held";
    add(&mut r, "applications", row, "total", 5); // would fail
    *r.tables.cell_mut("applications", row, "other_org").unwrap() = Cell::UNKNOWN;
    let results = r.check();
    let res = one(&results, "applications.row_total", row);
    assert_eq!(res.outcome, Outcome::NotAssessable, "{res}");
    assert_eq!(
        res.unknown().map(Term::name).collect::<Vec<_>>(),
        [format!("applications.{row}.other_org")]
    );
    assert!(res.to_diagnostic().is_none());
    // The column rules reading that cell cannot be assessed either; the others still can.
    assert_eq!(
        one(&results, "applications.outcomes_total", "other_org").outcome,
        Outcome::NotAssessable
    );
    assert_eq!(
        one(
            &results,
            "applications.non_negative",
            &format!("{row}.other_org")
        )
        .outcome,
        Outcome::NotAssessable
    );
    assert_eq!(
        one(&results, "applications.outcomes_total", "natural_person").outcome,
        Outcome::Pass
    );
    // The unknown cell is left out of the JSON.
    let v = serde_json::to_value(&r).unwrap();
    assert!(
        v["tables"]["applications"]["outcomes"]["unavailable"]["not_held"]
            .get("other_org")
            .is_none()
    );
    assert_eq!(
        v["tables"]["applications"]["outcomes"]["unavailable"]["not_held"]["natural_person"],
        json!(app(&r, row, "natural_person") as u64)
    );
}

#[test]
fn absent_tables_make_every_instance_not_assessable() {
    for edition in [Edition::E2019, Edition::E2021] {
        let results = Report::new(edition).check();
        assert!(!results.is_empty());
        assert!(
            results.iter().all(|x| x.outcome == Outcome::NotAssessable),
            "{edition}"
        );
        assert_eq!(
            results.len(),
            consistent(edition).check().len(),
            "{edition}"
        );
        assert_eq!(Report::new(edition).diagnose(), vec![]);
    }
    // Continuity against a report without the table: nothing to assess.
    let results = load(COUNTY_2024)
        .tables
        .check_continuity(&Report::new(Edition::E2021).tables);
    assert_eq!(results.len(), 7);
    assert!(results.iter().all(|x| x.outcome == Outcome::NotAssessable));
}

// ---------------------------------------------------------------------------------------------
// Sources and locations
// ---------------------------------------------------------------------------------------------

#[test]
fn a_diagnostic_points_at_the_first_located_cell() {
    let mut r = consistent(Edition::E2021);
    let at = Location::new(60, 3);
    let n = app(&r, "new_received", "natural_person");
    *r.tables
        .cell_mut("applications", "new_received", "natural_person")
        .unwrap() = Cell::count(n as u64).with_source(n.to_string(), Some(at));
    add(&mut r, "applications", "new_received", "total", 1);
    let results = r.check();
    let d = one(&results, "applications.row_total", "new_received")
        .to_diagnostic()
        .unwrap();
    assert_eq!(d.location, Some(at));
    let d = one(&results, "applications.balance", "total")
        .to_diagnostic()
        .unwrap();
    assert_eq!(d.location, None);
}

/// A group row built with an unknown value (a library user's, or a parser's that read a value
/// it could not) still serializes: the unknown value is left out, as an unknown table cell is.
#[test]
fn a_group_row_with_an_unknown_value_serializes_without_it() {
    let mut r = consistent(Edition::E2021);
    r.group_rows.push(xxgk_model::GroupRow {
        table: "applications".into(),
        group: "outcomes.other".into(),
        label: "（六）其他处理".into(),
        values: [
            ("natural_person".to_string(), Cell::count(3)),
            ("other_org".to_string(), Cell::from(Value::Unknown)),
        ]
        .into_iter()
        .collect(),
        location: None,
    });
    let v: serde_json::Value = serde_json::from_str(&r.to_json_pretty()).unwrap();
    assert_eq!(v["group_rows"][0]["values"], json!({ "natural_person": 3 }));
}

#[test]
fn sources_survive_a_round_trip() {
    let mut r = consistent(Edition::E2021);
    let at = Location::new(60, 3);
    *r.tables
        .cell_mut("applications", "new_received", "natural_person")
        .unwrap() = Cell::count(12).with_source("１２", Some(at));
    let fees = Amount::parse("1710.15", AmountUnit::TenThousandYuan).unwrap();
    *r.tables
        .cell_mut("active_disclosure", "fees", "amount")
        .unwrap() = Cell::from(Value::Amount(fees)).with_source("1710.15万元", None);
    *r.tables
        .cell_mut("applications", "carried_forward", "other_org")
        .unwrap() = Cell::from(Value::Blank).with_source("", Some(Location::new(71, 9)));

    let text = r.to_json_pretty();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["sources"],
        json!({
            "active_disclosure.fees.amount": { "raw": "1710.15万元" },
            "applications.new_received.natural_person": { "raw": "１２", "location": { "line": 60, "column": 3 } },
            "applications.carried_forward.other_org": { "raw": "", "location": { "line": 71, "column": 9 } }
        })
    );
    assert_eq!(
        v["tables"]["applications"]["new_received"]["natural_person"],
        json!(12)
    );
    assert_eq!(
        v["tables"]["active_disclosure"]["fees"]["amount"],
        json!({ "value": "1710.15", "unit": "万元" })
    );
    assert_eq!(
        v["tables"]["applications"]["carried_forward"]["other_org"],
        json!(null)
    );

    let back = Report::from_json(&text).unwrap();
    assert_eq!(back, r);
    let cell = back
        .tables
        .cell("applications", "new_received", "natural_person")
        .unwrap();
    assert_eq!(cell.source.as_deref().map(|s| s.raw.as_str()), Some("１２"));
    assert_eq!(cell.location(), Some(at));
    let ids: Vec<String> = back
        .sources()
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "active_disclosure.fees.amount",
            "applications.new_received.natural_person",
            "applications.carried_forward.other_org"
        ]
    );
    assert_eq!(serde_json::to_value(&back).unwrap(), v);
}

#[test]
fn a_source_for_a_cell_the_edition_lacks_is_rejected() {
    let json = r#"{ "meta": { "edition": "2021" }, "tables": {},
        "sources": { "applications.outcomes.other.natural_person": { "raw": "3" } } }"#;
    let err = Report::from_json(json).unwrap_err().to_string();
    assert!(
        err.contains("applications.outcomes.other.natural_person"),
        "{err}"
    );
    // In 2019 the row exists: provenance without a value is kept on an unknown cell (the raw
    // text of a cell the parser could not read), and the JSON round-trips.
    let json = json.replace("\"2021\"", "\"2019\"");
    let r = Report::from_json(&json).unwrap();
    let cell = r
        .tables
        .cell("applications", "outcomes.other", "natural_person")
        .unwrap();
    assert!(cell.is_unknown());
    assert_eq!(cell.source.as_ref().unwrap().raw, "3");
    let again = r.to_json_pretty();
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(
        v["tables"],
        serde_json::json!({}),
        "a table with no known cell is absent"
    );
    assert_eq!(Report::from_json(&again).unwrap(), r);
}

#[test]
fn a_cell_of_the_wrong_kind_is_rejected() {
    let amount_in_count = r#"{ "meta": { "edition": "2021" }, "tables": { "review_litigation": { "administrative_review":
        { "upheld": { "value": "1", "unit": "元" } } } } }"#;
    let err = Report::from_json(amount_in_count).unwrap_err().to_string();
    assert!(
        err.contains("a count column holds the amount 1 元"),
        "{err}"
    );
    let count_in_amount = r#"{ "meta": { "edition": "2021" }, "tables": { "active_disclosure": { "fees": { "amount": 5 } } } }"#;
    let err = Report::from_json(count_in_amount).unwrap_err().to_string();
    assert!(
        err.contains("an amount column holds the bare number 5"),
        "{err}"
    );
    let amount_in_signed = r#"{ "meta": { "edition": "2019" }, "tables": { "active_disclosure": { "fees": { "change": { "value": "2", "unit": "元" } } } } }"#;
    assert!(Report::from_json(amount_in_signed).is_err());
}

#[test]
fn the_title_year_is_checked_against_the_edition_when_the_year_is_missing() {
    let json = r#"{ "meta": { "edition": "2021", "title": "某局2019年政府信息公开工作年度报告" }, "tables": {} }"#;
    let d = Report::from_json(json).unwrap().diagnose();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "meta.year_matches");
    assert!(d[0].message.contains("covers 2019"), "{}", d[0].message);
}

// ---------------------------------------------------------------------------------------------
// Serde round trip of every example
// ---------------------------------------------------------------------------------------------

#[test]
fn every_example_round_trips() {
    for (name, text) in CORRECT.iter().chain(BROKEN) {
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        let report = Report::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let value = serde_json::to_value(&report).unwrap();
        assert_eq!(value, original, "{name}: JSON after a round trip");
        let again = Report::from_json(&serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(again, report, "{name}: report after a round trip");
        // The files are in canonical form: exactly what xxgk writes.
        assert_eq!(
            report.to_json_pretty() + "\n",
            *text,
            "{name}: not in canonical form"
        );
    }
}

#[test]
fn example_cells_keep_their_kinds() {
    let r = load(TRANSPORT_2019);
    assert_eq!(
        value(&r, "active_disclosure", "licensing", "change"),
        Value::SignedCount(-3)
    );
    assert_eq!(
        value(&r, "active_disclosure", "other_services", "change"),
        Value::SignedCount(2)
    );
    assert_eq!(
        value(&r, "active_disclosure", "regulations", "produced"),
        Value::NotApplicable
    );
    assert_eq!(
        value(&r, "applications", "carried_over", "research_institution"),
        Value::Blank
    );
    let amount = Amount::parse("1710.15", AmountUnit::TenThousandYuan).unwrap();
    assert_eq!(
        value(&r, "active_disclosure", "procurement", "amount"),
        Value::Amount(amount)
    );
    let r = load(TRANSPORT_2020);
    match value(&r, "active_disclosure", "procurement", "amount") {
        Value::Amount(a) => assert_eq!(a.to_string(), "968.40 万元"),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Verdicts on the bundled examples
// ---------------------------------------------------------------------------------------------

#[test]
fn correct_examples_pass_every_check() {
    for (name, text) in CORRECT {
        let r = load(text);
        let results = r.check();
        assert_eq!(failed(&results), Vec::<String>::new(), "{name}");
        assert_eq!(r.diagnose(), vec![], "{name}");
        let passed = results
            .iter()
            .filter(|x| x.outcome == Outcome::Pass)
            .count();
        assert!(passed > 150, "{name}: only {passed} instances passed");
        for id in ["applications.balance", "applications.outcomes_total"] {
            assert!(
                of(&results, id).iter().all(|x| x.outcome == Outcome::Pass),
                "{name} {id}"
            );
        }
        assert_eq!(
            r.meta.year.map(Edition::for_year),
            Some(Some(r.edition())),
            "{name}"
        );
    }
}

#[test]
fn broken_examples_fail_exactly_their_constraint() {
    for (id, text) in BROKEN {
        let r = load(text);
        let diagnostics = r.diagnose();
        let codes: BTreeSet<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, BTreeSet::from([*id]), "{id}: {diagnostics:#?}");
        let c = CONSTRAINTS.iter().find(|c| c.id == *id).unwrap();
        assert!(diagnostics.iter().all(|d| d.severity == c.severity), "{id}");
    }
}

#[test]
fn broken_examples_fail_in_the_documented_instances() {
    let expect: &[(&str, &[&str])] = &[
        (
            "applications.balance",
            &[
                "applications.balance[public_interest_org]: Fail (5 == 6)",
                "applications.balance[total]: Fail (240 == 241)",
            ],
        ),
        (
            "applications.outcomes_total",
            &[
                "applications.outcomes_total[natural_person]: Fail (52 == 53)",
                "applications.outcomes_total[total]: Fail (64 == 65)",
            ],
        ),
        (
            "applications.row_total",
            &[
                "applications.row_total[outcomes.disclosed]: Fail (6 == 83)",
                "applications.row_total[outcomes.partially_disclosed]: Fail (83 == 6)",
            ],
        ),
        (
            "applications.non_negative",
            &[
                "applications.non_negative[outcomes.not_processed.duplicate.other_org]: Fail (-1 >= 0)",
            ],
        ),
        (
            "review_litigation.total",
            &["review_litigation.total[administrative_review]: Fail (6 == 5)"],
        ),
        (
            "review_litigation.non_negative",
            &["review_litigation.non_negative[litigation_direct.upheld]: Fail (-1 >= 0)"],
        ),
        (
            "active_disclosure.2019.published_le_total",
            &["active_disclosure.2019.published_le_total[normative_documents]: Fail (9 <= 6)"],
        ),
        ("meta.year_matches", &[]),
    ];
    assert_eq!(expect.len(), BROKEN.len());
    for ((id, text), (expected_id, instances)) in BROKEN.iter().zip(expect) {
        assert_eq!(id, expected_id);
        assert_eq!(failed(&load(text).check()), *instances, "{id}");
    }
    // The warnings: the report still has no error.
    for id in [
        "active_disclosure.2019.published_le_total",
        "meta.year_matches",
    ] {
        let (_, text) = BROKEN.iter().find(|(b, _)| b == &id).unwrap();
        assert!(
            load(text)
                .diagnose()
                .iter()
                .all(|d| d.severity == Severity::Warning),
            "{id}"
        );
    }
}

#[test]
fn structurally_invalid_examples_are_rejected() {
    for (name, text, mention) in STRUCTURE {
        let err = Report::from_json(text).expect_err(name).to_string();
        assert!(err.contains(mention), "{name}: {err}");
    }
}
