//! Reports with one injected wrong cell: every injected error is detected, and the single-cell
//! suggestion names the injected cell whenever the constraints determine it.
//!
//! Each case is a consistent random report from `xxgk_testkit::synth` (seeded per case, both
//! editions) with exactly one cell broken: a section 三 or 四 count moved by a non-zero delta
//! (kept >= 0), or — every sixth case — a positive total printed blank. Those are the cells
//! that take part in an equality constraint (`synth::equality_cells`, read off the generated
//! checks). Section 二 is left out by construction: its only rule is an inequality
//! (`published <= total_published`, a warning) and most of its cells are in no rule at all,
//! so a wrong value there is not detectable by the rules.
//!
//! "The constraints determine the cell" is decided independently of `localise`: a cell fits
//! when some count >= 0 in it makes *every* check of the report pass, found by correcting a
//! copy and re-running the generated checks. When exactly one cell fits, `localise` must name
//! it (the injected one) with the original value; when several fit, it must list exactly
//! those. Run with `--nocapture` to see the rates.

use xxgk_model::cell::{Cell, CellId};
use xxgk_model::check::{CheckResult, Outcome, Scope};
use xxgk_model::diagnostic::{Severity, Suggestion};
use xxgk_model::{Edition, Report};
use xxgk_testkit::synth::{self, Injection, Rng, assert_consistent};
use xxgk_validate::localise::{Fix, localise};
use xxgk_validate::{Validator, check_report, corpus};

/// Cases per edition (`XXGK_INJECTED_CASES` overrides, for a longer run).
fn cases() -> u64 {
    std::env::var("XXGK_INJECTED_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1200)
}

/// The single cells whose correction to some count >= 0 makes every check of `report` pass,
/// with that count. Independent of `localise`: each candidate is tried on a copy and the
/// generated checks are run again.
fn single_cell_fixes(report: &Report, results: &[CheckResult]) -> Vec<(CellId, i64)> {
    let failing: Vec<&CheckResult> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail && r.constraint.scope == Scope::Report)
        .collect();
    let Some(first) = failing.first() else {
        return Vec::new();
    };
    let mut fits = Vec::new();
    for t in first.terms.iter().filter(|t| !t.previous) {
        let cell = t.cell;
        // A cell that some failing check does not read cannot make it hold.
        if !failing
            .iter()
            .all(|r| r.terms.iter().any(|u| u.cell == cell && !u.previous))
        {
            continue;
        }
        // An equality with the cell gives the only value that can fit: left - right must
        // become 0, and the cell enters it with coefficient ±1.
        let Some((r, i)) = failing
            .iter()
            .filter(|r| r.cmp == xxgk_model::check::Cmp::Eq)
            .find_map(|r| {
                r.terms
                    .iter()
                    .position(|u| u.cell == cell && !u.previous)
                    .map(|i| (*r, i))
            })
        else {
            continue;
        };
        let side: i128 = if i < r.left_terms { 1 } else { -1 };
        let k = i128::from(r.terms[i].coefficient) * side;
        let now = i128::from(synth::printed(report, cell).unwrap_or(0));
        let value = now - (r.left - r.right) * k;
        if value < 0 {
            continue;
        }
        let mut copy = report.clone();
        *copy
            .tables
            .cell_mut(cell.table, cell.row, cell.column)
            .unwrap() = Cell::count(value as u64);
        if copy.check().iter().all(|r| r.outcome != Outcome::Fail) {
            fits.push((cell, value as i64));
        }
    }
    fits.sort();
    fits
}

#[derive(Default, Debug)]
struct Tally {
    cases: u64,
    /// Injected into a cell printed blank or `n/a`.
    into_blank: u64,
    detected: u64,
    /// The oracle finds exactly one fitting cell.
    determined: u64,
    cell: u64,
    ambiguous: u64,
    /// Candidates listed by ambiguous findings, summed.
    ambiguous_candidates: u64,
    pair: u64,
    several_pairs: u64,
    unexplained: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.into_blank += other.into_blank;
        self.detected += other.detected;
        self.determined += other.determined;
        self.cell += other.cell;
        self.ambiguous += other.ambiguous;
        self.ambiguous_candidates += other.ambiguous_candidates;
        self.pair += other.pair;
        self.several_pairs += other.several_pairs;
        self.unexplained += other.unexplained;
    }

    fn line(&self, name: &str) -> String {
        let pct = |n: u64| {
            if self.cases == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.cases as f64
            }
        };
        format!(
            "{name:<34} {:>6} {:>6} {:>8.1}% {:>8.1}% {:>8.1}% {:>8.1}% {:>6.1} {:>5} {:>5} {:>5}",
            self.cases,
            self.into_blank,
            pct(self.detected),
            pct(self.determined),
            pct(self.cell),
            pct(self.ambiguous),
            if self.ambiguous == 0 {
                0.0
            } else {
                self.ambiguous_candidates as f64 / self.ambiguous as f64
            },
            self.pair,
            self.several_pairs,
            self.unexplained,
        )
    }
}

/// Generate, break and check case `i` of `edition`; panics on any wrong answer.
fn run_case(edition: Edition, i: u64, cells: &[CellId], tally: &mut [Tally; 3]) {
    let seed = synth::case_seed(edition, i);
    let mut rng = Rng::new(seed);
    let year = synth::random_year(&mut rng, edition);
    let mut report = synth::report(&mut rng, edition, &synth::agency_name(i), year);
    let case = format!("{edition} edition, seed {seed:#x}");
    assert_consistent(&report, &case);

    let injection: Injection = match i % 6 {
        5 => synth::blank_total(&mut rng, &mut report, cells)
            .unwrap_or_else(|| synth::inject(&mut rng, &mut report, cells)),
        _ => synth::inject(&mut rng, &mut report, cells),
    };
    let case = format!("{case}, {injection:?}");
    let kind = match (injection.blank_total, injection.cell.table) {
        (true, _) => 2,
        (false, "applications") => 0,
        _ => 1,
    };
    let tally = &mut tally[kind];
    tally.cases += 1;
    if injection.printed_before.is_none() {
        tally.into_blank += 1;
    }

    let results = report.check();
    let findings = localise(&report, &results);
    let fits = single_cell_fixes(&report, &results);
    let checked = check_report(report);

    // Detection: at least one error, and it is a constraint violation reading the cell.
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        !errors.is_empty(),
        "{case}: the injected error is not detected"
    );
    let name = injection.cell.to_string();
    assert!(
        errors
            .iter()
            .all(|d| d.cells.iter().any(|c| *c == name.as_str())),
        "{case}: an error does not read the injected cell: {errors:#?}"
    );
    tally.detected += 1;

    // The injected cell, back at its true value, always fits: the oracle must find it.
    assert!(
        fits.contains(&(injection.cell, injection.original)),
        "{case}: the oracle does not find the injected cell: {fits:?}"
    );
    // One wrong cell: every failing check reads it, so they form one group.
    assert_eq!(
        findings.len(),
        1,
        "{case}: expected one finding, got {findings:#?}"
    );
    let finding = &findings[0];
    if fits.len() == 1 {
        tally.determined += 1;
    }
    match &finding.fix {
        Fix::Cell {
            cell,
            printed,
            implied,
        } => {
            tally.cell += 1;
            // A suggestion must always be right.
            assert_eq!(
                (*cell, *printed, *implied),
                (injection.cell, injection.printed, injection.original),
                "{case}: WRONG SUGGESTION (oracle: {fits:?})"
            );
            let expected = Suggestion {
                cell: injection.cell,
                printed: injection.printed,
                implied: Some(injection.original),
            };
            for d in &errors {
                assert_eq!(
                    d.suggestion.as_ref(),
                    Some(&expected),
                    "{case}: the diagnostic does not carry the suggestion: {d:#?}"
                );
            }
        }
        Fix::Ambiguous(list) => {
            tally.ambiguous += 1;
            tally.ambiguous_candidates += list.len() as u64;
            let mut list = list.clone();
            list.sort();
            assert_eq!(
                list, fits,
                "{case}: the ambiguous candidates differ from the cells that fit"
            );
            assert!(
                errors.iter().all(|d| d.suggestion.is_none()),
                "{case}: a suggestion although several cells fit"
            );
        }
        Fix::Pair(_) => tally.pair += 1,
        Fix::SeveralPairs => tally.several_pairs += 1,
        Fix::Unexplained => tally.unexplained += 1,
    }
    // Whenever the constraints determine the cell, the suggestion names it.
    if fits.len() == 1 {
        assert!(
            matches!(finding.fix, Fix::Cell { .. }),
            "{case}: one cell fits ({fits:?}) but localise says {:?}",
            finding.fix
        );
    } else {
        assert!(
            matches!(finding.fix, Fix::Ambiguous(_)),
            "{case}: {} cells fit but localise says {:?}",
            fits.len(),
            finding.fix
        );
    }
}

#[test]
fn every_injected_error_is_detected_and_determined_suggestions_are_right() {
    let start = std::time::Instant::now();
    let mut all = Tally::default();
    let mut lines = Vec::new();
    for edition in [Edition::E2019, Edition::E2021] {
        let cells = synth::equality_cells(edition);
        // The cells of sections 三 and 四, all of them and nothing else.
        let template = edition.template();
        let expected: Vec<CellId> = template
            .cell_ids()
            .filter(|c| c.table == "applications" || c.table == "review_litigation")
            .collect();
        assert_eq!(
            cells, expected,
            "{edition}: the equality cells are not sections 三 and 四"
        );
        let mut tally: [Tally; 3] = Default::default();
        for i in 0..cases() {
            run_case(edition, i, &cells, &mut tally);
        }
        let mut total = Tally::default();
        for (t, name) in tally.iter().zip([
            "三 count ± delta",
            "四 count ± delta",
            "total printed blank",
        ]) {
            lines.push(t.line(&format!("{edition} {name}")));
            total.add(t);
        }
        lines.push(total.line(&format!("{edition} all")));
        all.add(&total);
    }
    lines.push(all.line("both editions"));
    eprintln!(
        "\n{:<34} {:>6} {:>6} {:>9} {:>9} {:>9} {:>9} {:>6} {:>5} {:>5} {:>5}",
        "injected into",
        "cases",
        "blank",
        "detected",
        "determin.",
        "Fix::Cell",
        "Ambig.",
        "cands",
        "pair",
        "pairs",
        "unexp"
    );
    for l in &lines {
        eprintln!("{l}");
    }
    eprintln!("{} cases in {:.2?}", all.cases, start.elapsed());
    assert!(all.cases >= 2000);
    assert_eq!(all.detected, all.cases);
}

#[test]
fn generated_reports_are_consistent_across_years_and_valid_json() {
    let validator = Validator::new().unwrap();
    let mut rng = Rng::new(7);
    let reports = synth::corpus(&mut rng, 300);
    let mut entries = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        assert_consistent(r, &format!("corpus report {i}"));
        let json = r.to_json_pretty();
        assert_eq!(
            &Report::from_json(&json).unwrap(),
            r,
            "corpus report {i} does not round-trip"
        );
        if i % 10 == 0 {
            let checked = validator.check_json(&json);
            assert_eq!(
                checked.status(),
                xxgk_validate::Status::Passed,
                "corpus report {i}: {:#?}",
                checked.diagnostics
            );
        }
        entries.push(corpus::Entry::new(
            format!("r{i}.json"),
            r.meta.agency.clone().unwrap(),
            r.meta.year.unwrap(),
            &r.tables,
        ));
    }
    // Both editions and the 2020 → 2021 change of edition occur.
    assert!(
        reports.iter().any(|r| r.edition() == Edition::E2019)
            && reports.iter().any(|r| r.edition() == Edition::E2021)
    );
    let found = corpus::check(&entries);
    assert!(
        found.is_empty(),
        "consistent runs of years give corpus warnings: {found:#?}"
    );
}

#[test]
fn broken_carry_over_is_a_corpus_warning_naming_both_reports() {
    // 2019 edition, the change of edition, 2021 edition.
    for (seed, year) in [(11, 2019), (12, 2020), (13, 2023)] {
        let (earlier, later, column) = synth::broken_pair(seed, year);
        let entry = |name: &str, r: &Report| {
            corpus::Entry::new(
                name,
                r.meta.agency.clone().unwrap(),
                r.meta.year.unwrap(),
                &r.tables,
            )
        };
        let (a, b) = (format!("a-{year}.json"), format!("a-{}.json", year + 1));
        let found = corpus::check(&[entry(&b, &later), entry(&a, &earlier)]);
        // The column and the total column.
        let mut instances: Vec<&str> = Vec::new();
        for (name, d) in &found {
            assert_eq!(d.code, "continuity.carry_over", "{d}");
            assert_eq!(d.severity, Severity::Warning);
            assert_eq!(name, &b, "reported against the later year");
            assert_eq!(
                d.path.as_deref(),
                Some(a.as_str()),
                "points at the earlier year"
            );
            assert!(d.message.contains(&a) && d.message.contains(&b), "{d}");
            instances.extend(["total", column].into_iter().filter(|c| {
                d.cells
                    .iter()
                    .any(|x| x.to_string() == format!("applications.carried_over.{c}"))
            }));
            assert!(
                d.cells
                    .iter()
                    .any(|c| c.previous && c.cell.row == "carried_forward"),
                "{d:?}"
            );
        }
        instances.sort();
        let mut expected = vec![column, "total"];
        expected.sort();
        assert_eq!(instances, expected, "{found:#?}");
    }
}

/// A corpus entry keeps the cells the continuity checks read and nothing else of the report,
/// and the tables rebuilt from it give those checks what the whole report gives them.
#[test]
fn corpus_entries_keep_only_the_carried_cells() {
    for (seed, year) in [(31u64, 2019), (32, 2020), (33, 2023)] {
        let edition = Edition::for_year(year).unwrap();
        let carried = corpus::carried_cells(edition);
        let all = edition.template().cell_ids().count();
        // The carry-over columns (and the 2019 edition's item counts), not the form.
        assert!(
            !carried.is_empty() && carried.len() * 8 < all,
            "{edition}: {} of {all} cells kept",
            carried.len()
        );
        let (mut earlier, mut later, _) = synth::broken_pair(seed, year);
        // Printed text and places, as a parsed document has them: only the places of the cells
        // read as this year's are kept.
        let mut line = 0;
        for r in [&mut earlier, &mut later] {
            r.tables.for_each_cell_mut(&mut |_, c| {
                line += 1;
                c.source = Some(Box::new(xxgk_model::cell::CellSource {
                    raw: "x".repeat(50),
                    location: Some(xxgk_model::diagnostic::Location::new(line, 3)),
                }));
            });
        }
        let (a, b) = (
            corpus::Entry::new("a.json", "某局", year, &earlier.tables),
            corpus::Entry::new("b.json", "某局", year + 1, &later.tables),
        );
        assert_eq!(
            a.cells.len(),
            corpus::carried_cells(earlier.edition()).len()
        );
        assert_eq!(b.cells.len(), corpus::carried_cells(later.edition()).len());
        let heap = |e: &corpus::Entry| {
            e.name.len()
                + e.agency.len()
                + std::mem::size_of_val(&*e.cells)
                + std::mem::size_of_val(&*e.locations)
        };
        let bytes = std::mem::size_of::<corpus::Entry>() + heap(&b);
        assert!(bytes < 1024, "{edition}: {bytes} bytes per entry");
        eprintln!(
            "{edition}: {} of {all} cells kept, {bytes} bytes per entry",
            carried.len()
        );
        // Every cell the continuity checks read, on both sides, is kept.
        let full = later.tables.check_continuity(&earlier.tables);
        let rebuilt = b.tables().check_continuity(&a.tables());
        assert_eq!(full.len(), rebuilt.len());
        for (x, y) in full.iter().zip(&rebuilt) {
            assert_eq!(
                (x.outcome, x.left, x.right, x.instance),
                (y.outcome, y.left, y.right, y.instance)
            );
            let cells = |r: &xxgk_model::check::CheckResult| {
                r.terms
                    .iter()
                    .map(|t| (t.cell, t.previous, t.reading))
                    .collect::<Vec<_>>()
            };
            assert_eq!(cells(x), cells(y));
            // The same diagnostic, pointing at the same place.
            let d = |r: &xxgk_model::check::CheckResult| {
                serde_json::to_string(&r.to_diagnostic()).unwrap()
            };
            assert_eq!(d(x), d(y));
            for t in &x.terms {
                let kept = corpus::carried_cells(if t.previous {
                    earlier.edition()
                } else {
                    later.edition()
                });
                assert!(kept.contains(&t.cell), "{} not kept", t.cell);
            }
        }
    }
}
