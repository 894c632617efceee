//! Degradation: generated consistent reports of both editions rendered as damaged text (each
//! kind of [`Damage`]), parsed back, and every cell counted: right, flagged (left unknown, or
//! blank with a diagnostic naming it), wrong with a diagnostic naming it, or **silently wrong**
//! (the parsed value differs from the truth and no diagnostic names the cell, by id or by a
//! location on the cell's row). A file that fails to parse counts all its cells as flagged.
//!
//! Diagnostics that name a cell are the parser's and the checks' (`Report::diagnose`, what
//! `xxgk check` prints); the table shows how many wrong cells only the checks name.
//!
//! `cargo test -p xxgk-testkit --test degradation -- --nocapture` prints the table.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;
use xxgk_model::cell::{CellId, Value};
use xxgk_model::diagnostic::Diagnostic;
use xxgk_model::{Edition, Report};
use xxgk_parse::{Options, parse};
use xxgk_testkit::degrade::{CellTruth, Damage, Rendered, Truth, render};
use xxgk_testkit::synth::{self, Rng};

/// Reports per kind and edition (`XXGK_DEGRADE_N` overrides it), an eighth of it for crawler
/// dumps, whose digit runs are split every possible way (about 5 s a report in the debug
/// profile, 1 s in release): 40 keeps the run near a minute and a half on two cores.
const N: u64 = 40;

fn n() -> u64 {
    std::env::var("XXGK_DEGRADE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(N)
}

/// The generated report of case `i`.
fn report(edition: Edition, i: u64) -> Report {
    let mut rng = Rng::new(synth::case_seed(edition, i));
    let year = synth::random_year(&mut rng, edition);
    synth::report(&mut rng, edition, &synth::agency_name(i), year)
}

/// The damage of case `i` of `damage`: its own stream, so every kind damages the same reports.
fn damage_rng(edition: Edition, i: u64, damage: Damage) -> Rng {
    let k = Damage::ALL.iter().position(|d| *d == damage).unwrap_or(0) as u64;
    Rng::new(synth::case_seed(edition, i) ^ ((k + 1) << 40))
}

fn rendered(edition: Edition, i: u64, damage: Damage) -> (Report, Rendered) {
    let r = report(edition, i);
    let out = render(&r, damage, &mut damage_rng(edition, i, damage));
    (r, out)
}

#[derive(Debug, Default, Clone)]
struct Counts {
    reports: usize,
    failed: usize,
    cells: usize,
    right: usize,
    flagged: usize,
    wrong_parse_diag: usize,
    wrong_check_diag: usize,
    silent: usize,
    seconds: f64,
}

impl Counts {
    fn pct(&self, n: usize) -> f64 {
        if self.cells == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.cells as f64
        }
    }
}

/// A silent wrong value, to list.
#[derive(Debug, Clone)]
struct Silent {
    damage: Damage,
    edition: Edition,
    case: u64,
    cell: CellId,
    printed: Option<String>,
    truth: Truth,
    parsed: Value,
    note: String,
}

fn names(d: &Diagnostic, t: &CellTruth) -> bool {
    d.cells.iter().any(|c| !c.previous && c.cell == t.cell)
        || d.location
            .is_some_and(|l| t.spans.iter().any(|s| s.contains(l.line, l.column)))
}

/// Parse one rendering and count its cells.
fn measure(
    edition: Edition,
    case: u64,
    out: &Rendered,
    counts: &mut Counts,
    silent: &mut Vec<Silent>,
) {
    counts.reports += 1;
    counts.cells += out.cells.len();
    let parsed = match parse(
        out.text.as_bytes(),
        Some(Path::new(out.name)),
        &Options::default(),
    ) {
        Ok(p) => p.report,
        Err(_) => {
            counts.failed += 1;
            counts.flagged += out.cells.len();
            return;
        }
    };
    let checks = parsed.diagnose();
    for t in &out.cells {
        let value = parsed
            .tables
            .cell(t.cell.table, t.cell.row, t.cell.column)
            .map_or(Value::Unknown, |c| c.value);
        if t.truth.accepts(&value) {
            counts.right += 1;
            continue;
        }
        let by_parser = parsed.diagnostics.iter().any(|d| names(d, t));
        let by_checks = checks.iter().any(|d| names(d, t));
        if value == Value::Unknown || (value == Value::Blank && (by_parser || by_checks)) {
            counts.flagged += 1;
        } else if by_parser {
            counts.wrong_parse_diag += 1;
        } else if by_checks {
            counts.wrong_check_diag += 1;
        } else {
            counts.silent += 1;
            silent.push(Silent {
                damage: out.damage,
                edition,
                case,
                cell: t.cell,
                printed: t.printed.clone(),
                truth: t.truth,
                parsed: value,
                note: out.note.clone(),
            });
        }
    }
}

/// Right % floors per kind: the lower edition's figure as last measured (N = 40 per kind and
/// edition, 5 for dumps) minus a margin; raise them as the parser improves. Clean must parse
/// back exactly.
fn floor(damage: Damage) -> f64 {
    match damage {
        Damage::Clean => 100.0,
        // Measured 1.60 / 1.73 when the test was written; 80.66 / 71.49 once number rows were
        // placed by sequence.
        Damage::DetachedLabels => 70.0,
        // Measured 94.57 / 95.86, then 97.68 / 97.76 with generic headers read as no rows.
        Damage::SplitTables => 96.5,
        // Measured 0 (every file refused), then 15.76 / 28.70 on 5 reports each with dumps cut
        // at labels and digit runs split by the constraints.
        Damage::NoSeparators => 12.0,
        // Measured 98.57 / 98.58, then 98.67 / 98.56.
        Damage::DroppedCell => 97.5,
        // Measured 98.00 / 98.19, then 97.99 / 98.16.
        Damage::MergedCells => 97.0,
        // Measured 100 / 100.
        Damage::PageNumbers => 99.5,
        // Measured 100 / 100.
        Damage::GroupAsOneRow => 99.5,
        // Measured 97.78 / 98.00, then 99.46 / 99.31 with cut-short labels matched.
        Damage::LabelTypo => 98.5,
    }
}

/// Counts by (kind, edition) index, and the silent wrong values.
type Measured = (BTreeMap<(usize, usize), Counts>, Vec<Silent>);

fn run_edition(edition: Edition) -> Measured {
    let mut table = BTreeMap::new();
    let mut silent = Vec::new();
    for (k, damage) in Damage::ALL.into_iter().enumerate() {
        let e = Edition::ALL.iter().position(|x| *x == edition).unwrap_or(0);
        let counts: &mut Counts = table.entry((k, e)).or_default();
        let start = Instant::now();
        let cases = if damage == Damage::NoSeparators {
            (n() / 8).max(2)
        } else {
            n()
        };
        for i in 0..cases {
            let (_, out) = rendered(edition, i, damage);
            measure(edition, i, &out, counts, &mut silent);
        }
        counts.seconds = start.elapsed().as_secs_f64();
    }
    (table, silent)
}

#[test]
fn degraded_reports_have_no_silent_wrong_values() {
    let start = Instant::now();
    // One thread per edition (2 cores).
    let results: Vec<Measured> = std::thread::scope(|s| {
        let handles: Vec<_> = Edition::ALL
            .iter()
            .map(|&e| s.spawn(move || run_edition(e)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a measuring thread"))
            .collect()
    });
    let mut table = BTreeMap::new();
    let mut silent = Vec::new();
    for (t, s) in results {
        table.extend(t);
        silent.extend(s);
    }
    println!(
        "\n{:<15} {:>7} {:>7} {:>6} {:>7} {:>8} {:>9} {:>10} {:>10} {:>7} {:>6}",
        "kind",
        "edition",
        "reports",
        "failed",
        "cells",
        "right %",
        "flagged %",
        "wrong+diag",
        "wrong+chk",
        "silent",
        "secs"
    );
    for ((k, e), c) in &table {
        let edition = Edition::ALL[*e];
        println!(
            "{:<15} {:>7} {:>7} {:>6} {:>7} {:>8.2} {:>9.2} {:>10} {:>10} {:>7} {:>6.1}",
            Damage::ALL[*k].name(),
            edition.to_string(),
            c.reports,
            c.failed,
            c.cells,
            c.pct(c.right),
            c.pct(c.flagged),
            c.wrong_parse_diag,
            c.wrong_check_diag,
            c.silent,
            c.seconds
        );
    }
    println!(
        "(failed: files that did not parse at all, all their cells counted as flagged; \
         wrong+diag: a parser diagnostic names the cell or its row; wrong+chk: only a check \
         names it)"
    );
    println!("{} silent wrong values", silent.len());
    let mut by_row: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for s in &silent {
        *by_row
            .entry((s.damage.name(), s.cell.table, s.cell.row))
            .or_default() += 1;
    }
    for ((damage, table, row), n) in &by_row {
        println!("  {damage}: {n} in {table}.{row}");
    }
    // The first few of each kind and edition.
    let mut shown: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for s in &silent {
        let n = shown
            .entry((s.damage.name(), s.edition.to_string()))
            .or_default();
        *n += 1;
        if *n > 8 {
            continue;
        }
        println!(
            "  {} {} case {}: {} printed {:?}, truth {:?}, parsed {:?} ({})",
            s.damage.name(),
            s.edition,
            s.case,
            s.cell,
            s.printed,
            s.truth,
            s.parsed,
            s.note
        );
    }
    println!("measured in {:.1} s", start.elapsed().as_secs_f64());
    let mut failures = Vec::new();
    for ((k, e), c) in &table {
        let (damage, edition) = (Damage::ALL[*k], Edition::ALL[*e]);
        if c.silent > 0 {
            failures.push(format!(
                "{} {edition}: {} silent wrong values",
                damage.name(),
                c.silent
            ));
        }
        if c.pct(c.right) < floor(damage) {
            failures.push(format!(
                "{} {edition}: {:.2}% right, below the floor {:.2}%",
                damage.name(),
                c.pct(c.right),
                floor(damage)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// --- Each kind's rendering really holds its damage ------------------------------------------

const CASES: u64 = 20;

fn each(damage: Damage, f: impl Fn(&Report, &Rendered, &Rendered)) {
    for edition in Edition::ALL.iter().copied() {
        for i in 0..CASES {
            let (r, out) = rendered(edition, i, damage);
            let clean = render(&r, Damage::Clean, &mut Rng::new(0));
            f(&r, &out, &clean);
        }
    }
}

fn row_labels(r: &Report) -> Vec<&'static str> {
    r.edition()
        .template()
        .tables
        .iter()
        .flat_map(|t| t.rows.iter())
        .filter(|row| !row.label.title.is_empty())
        .map(|row| row.label.title)
        .collect()
}

fn is_footer(line: &str) -> bool {
    let t = line.trim();
    let inner = t
        .trim_start_matches(['-', '—', ' '])
        .trim_end_matches(['-', '—', ' ']);
    !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn clean_is_tab_separated_and_prints_every_cell() {
    each(Damage::Clean, |r, out, _| {
        assert_eq!(out.name, "report.txt");
        assert!(!out.text.contains('|'));
        assert!(out.text.lines().filter(|l| l.contains('\t')).count() > 30);
        assert!(
            out.cells
                .iter()
                .all(|t| matches!(t.truth, Truth::Printed(_)) && t.spans.len() == 1)
        );
        for label in row_labels(r) {
            assert!(out.text.contains(label), "{label}");
        }
    });
}

#[test]
fn clean_parses_back_exactly() {
    for edition in Edition::ALL.iter().copied() {
        for i in 0..10 {
            let (r, out) = rendered(edition, i, Damage::Clean);
            let back = parse(
                out.text.as_bytes(),
                Some(Path::new(out.name)),
                &Options::default(),
            )
            .unwrap_or_else(|e| panic!("{edition} {i}: {e}\n{}", out.text))
            .report;
            let differ = synth::differences(&r, &back);
            assert!(
                differ.is_empty(),
                "{edition} {i}: {differ:#?}\n{}",
                out.text
            );
        }
    }
}

#[test]
fn detached_labels_put_numbers_and_labels_apart() {
    each(Damage::DetachedLabels, |_, out, _| {
        assert_eq!(out.name, "report.md");
        let lines: Vec<&str> = out.text.lines().collect();
        assert!(lines.iter().filter(|l| l.trim() == "1").count() >= 3);
        // A section 三 cell: its label and its numbers on two different lines, neither holding
        // both.
        let t = out
            .cells
            .iter()
            .find(|t| t.cell.table == "applications")
            .unwrap();
        assert_eq!(t.spans.len(), 2, "{:?}", t.spans);
        for s in &t.spans {
            let line = lines[s.line as usize - 1];
            let digits = line.chars().any(|c| c.is_ascii_digit());
            let han = line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(digits != han || !digits, "{line}");
        }
    });
}

#[test]
fn split_tables_have_generic_headers() {
    each(Damage::SplitTables, |_, out, _| {
        let rules = out.text.lines().filter(|l| l.starts_with("|---")).count();
        assert!(rules >= 8, "{rules} tables");
        assert!(out.text.contains("| 数据1 |") || out.text.contains("| 列1 |"));
        assert!(!out.text.contains('\t'));
    });
}

#[test]
fn no_separators_is_one_line_with_cells_run_together() {
    each(Damage::NoSeparators, |r, out, _| {
        assert_eq!(out.text.trim_end().lines().count(), 1);
        // The row label of outcomes.total, followed by its digits with no separator.
        let label = r
            .edition()
            .template()
            .table("applications")
            .and_then(|t| t.row("outcomes.total"))
            .unwrap()
            .label
            .title;
        let at = out.text.find(label).unwrap() + label.len();
        let next = out.text[at..].chars().next().unwrap();
        assert!(
            next.is_ascii_digit() || next == ' ' || next == '/',
            "{next:?}"
        );
        // Spans are columns of the one line.
        assert!(out.cells.iter().all(|t| t.spans[0].columns.is_some()));
    });
}

/// The lines of `out` that `clean` lacks, and the other way round.
fn changed<'a>(out: &'a Rendered, clean: &'a Rendered) -> (Vec<&'a str>, Vec<&'a str>) {
    let a: Vec<&str> = out.text.lines().collect();
    let b: Vec<&str> = clean.text.lines().collect();
    (
        a.iter().filter(|l| !b.contains(l)).copied().collect(),
        b.iter().filter(|l| !a.contains(l)).copied().collect(),
    )
}

#[test]
fn dropped_cell_prints_one_value_too_few() {
    each(Damage::DroppedCell, |_, out, clean| {
        let lost: Vec<&CellTruth> = out
            .cells
            .iter()
            .filter(|t| matches!(t.truth, Truth::Lost(_)))
            .collect();
        assert_eq!(lost.len(), 1, "{}", out.note);
        let (new, old) = changed(out, clean);
        assert_eq!((new.len(), old.len()), (1, 1), "{}", out.note);
        assert_eq!(
            new[0].split('\t').count() + 1,
            old[0].split('\t').count(),
            "{}",
            out.note
        );
    });
}

#[test]
fn merged_cells_run_two_values_together() {
    each(Damage::MergedCells, |r, out, clean| {
        let lost: Vec<&CellTruth> = out
            .cells
            .iter()
            .filter(|t| matches!(t.truth, Truth::Lost(_)))
            .collect();
        assert_eq!(lost.len(), 2, "{}", out.note);
        let text = |id: CellId| {
            r.tables
                .cell(id.table, id.row, id.column)
                .unwrap()
                .value_text()
        };
        let merged = format!("{}{}", text(lost[0].cell), text(lost[1].cell));
        assert_eq!(lost[0].printed.as_deref(), Some(merged.as_str()));
        let (new, old) = changed(out, clean);
        assert_eq!((new.len(), old.len()), (1, 1), "{}", out.note);
        assert!(new[0].split('\t').any(|c| c == merged), "{}", new[0]);
    });
}

#[test]
fn page_numbers_stand_between_rows_and_inside_a_label() {
    each(Damage::PageNumbers, |r, out, clean| {
        let (new, old) = changed(out, clean);
        assert!(new.iter().filter(|l| is_footer(l)).count() >= 3, "{new:?}");
        // One row's label is wrapped: the whole label is no longer on any line.
        assert_eq!(old.len(), 1, "{old:?}");
        let missing = row_labels(r)
            .into_iter()
            .filter(|l| !out.text.contains(l))
            .count();
        assert_eq!(missing, 1, "{}", out.note);
    });
}

#[test]
fn group_as_one_row_prints_the_group_and_not_its_rows() {
    each(Damage::GroupAsOneRow, |r, out, _| {
        assert_eq!(out.groups.len(), 1);
        let g = &out.groups[0];
        assert!(out.text.contains(g.label));
        let unknowable: Vec<&CellTruth> = out
            .cells
            .iter()
            .filter(|t| t.truth == Truth::Unknowable)
            .collect();
        assert!(!unknowable.is_empty());
        let prefix = format!("{}.", g.path);
        assert!(unknowable.iter().all(|t| t.cell.row.starts_with(&prefix)));
        let table = r.edition().template().table(g.table).unwrap();
        for row in table
            .rows
            .iter()
            .filter(|row| row.path.starts_with(&prefix))
        {
            assert!(!out.text.contains(row.label.title), "{}", row.label.title);
        }
        // The printed values are the sums of the rows.
        for (column, v) in &g.values {
            let sum: i64 = unknowable
                .iter()
                .filter(|t| t.cell.column == *column)
                .map(|t| synth::value(r, t.cell.table, t.cell.row, column))
                .sum();
            match v {
                Value::Count(n) => assert_eq!(*n as i64, sum),
                _ => assert_eq!(sum, 0),
            }
        }
    });
}

#[test]
fn label_typos_change_labels() {
    each(Damage::LabelTypo, |r, out, clean| {
        let missing: Vec<&str> = row_labels(r)
            .into_iter()
            .filter(|l| !out.text.contains(l))
            .collect();
        assert!(!missing.is_empty() && missing.len() <= 2, "{}", out.note);
        let (new, _) = changed(out, clean);
        assert_eq!(new.len(), missing.len());
    });
}
