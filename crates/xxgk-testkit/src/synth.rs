//! Synthetic reports: consistent random reports for tests and benchmarks.
//!
//! A small deterministic generator (an xorshift PRNG, no `rand`) of *consistent* random
//! reports of both editions, and helpers that break them in known ways: one wrong cell
//! ([`inject`]), a total printed blank ([`blank_total`]), a broken carry-over between two
//! consecutive years ([`break_carry_over`]). The tests of `xxgk-validate` and `xxgk-export`,
//! [`crate::degrade`] and `cargo xtask bench-corpus` share it. The same seed gives the same
//! report on every platform.
//!
//! What "consistent" means: every report-scope check passes (`Outcome::Fail` never occurs),
//! the metadata agree (`meta.year_matches`), amounts are printed in their column's unit, and a
//! report made by [`next_year`] passes the continuity checks against its previous year.
//!
//! - Section 三 is built bottom up: random outcome leaf rows per applicant column, every total
//!   a sum, `carried_forward` random, `carried_over` chosen (or carried from the previous
//!   year) and `new_received` solved so that the balance holds.
//! - Section 四: random results, each group's total their sum.
//! - Section 二: random counts (2019: `published <= total_published`, `change >= -prior`),
//!   amounts in their column's unit; the 规章 row is sometimes `n/a`.
//! - Any cell whose value is zero may be printed blank (`null`) or, rarely, `n/a`: the checks
//!   read both as zero, so every rule still holds.

use xxgk_model::cell::{Amount, AmountUnit, Cell, CellId, CellKind, Value};
use xxgk_model::check::{Cmp, Scope};
use xxgk_model::{Date, Edition, Report};

/// xorshift64* seeded through splitmix64 (so that seeds 0, 1, 2… give unrelated streams).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose stream is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    /// One of `items`, uniformly (`items` must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The seed of case `i` of `edition` (what a failing test prints, to regenerate the case).
pub fn case_seed(edition: Edition, i: u64) -> u64 {
    (u64::from(edition.first_year() as u32) << 32) | i
}

/// A count skewed towards small values: zero with probability `zero_pct`%, else `1..=scale`
/// with small values more likely.
fn count(rng: &mut Rng, zero_pct: u64, scale: u64) -> u64 {
    if rng.chance(zero_pct, 100) {
        0
    } else {
        let top = rng.below(scale.max(1));
        1 + rng.below(top + 1)
    }
}

/// How a report prints its zeros.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// Percent of zero cells printed blank.
    blank_pct: u64,
    /// Percent of zero cells printed `n/a`.
    na_pct: u64,
    /// Size of the agency: scales every count.
    size: u64,
}

impl Style {
    fn random(rng: &mut Rng) -> Style {
        let blank_pct = *rng.pick(&[0, 0, 10, 30, 80]);
        let na_pct = *rng.pick(&[0, 0, 0, 2]);
        let size = *rng.pick(&[1, 1, 2, 3, 5, 10, 40]);
        Style {
            blank_pct,
            na_pct,
            size,
        }
    }

    /// A count as printed: zero may be blank or `n/a`.
    fn cell(&self, rng: &mut Rng, n: u64) -> Cell {
        if n == 0 {
            let r = rng.below(100);
            if r < self.blank_pct {
                return Value::Blank.into();
            }
            if r < self.blank_pct + self.na_pct {
                return Value::NotApplicable.into();
            }
        }
        Cell::count(n)
    }
}

fn set(report: &mut Report, table: &str, row: &str, column: &str, cell: Cell) {
    match report.tables.cell_mut(table, row, column) {
        Some(c) => *c = cell,
        None => panic!(
            "synth: {table}.{row}.{column} is not a cell of the {} edition",
            report.edition()
        ),
    }
}

/// A cell's value as the checks read it: blank and `n/a` as zero.
pub fn value(report: &Report, table: &str, row: &str, column: &str) -> i64 {
    report
        .tables
        .cell(table, row, column)
        .and_then(Cell::as_i64)
        .unwrap_or(0)
}

/// The number a cell prints (`None` for blank, `n/a`, unknown or an amount).
pub fn printed(report: &Report, cell: CellId) -> Option<i64> {
    report
        .tables
        .cell(cell.table, cell.row, cell.column)
        .and_then(Cell::as_i64)
}

/// Panics, naming `what`, when a generated report fails a check or its metadata disagree: the
/// generator's reports must be consistent for tests built on them to mean anything.
pub fn assert_consistent(report: &Report, what: &str) {
    let failed: Vec<String> = report
        .check()
        .iter()
        .filter(|r| r.outcome == xxgk_model::check::Outcome::Fail)
        .map(ToString::to_string)
        .collect();
    assert!(
        failed.is_empty(),
        "{what}: the generated report fails {failed:?}"
    );
    let meta: Vec<String> = report
        .meta_diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        meta.is_empty(),
        "{what}: the generated report's metadata disagree: {meta:?}"
    );
}

/// A name like `某市甲乙区交通运输局`: agency `k`, written without digits (a digit run in
/// the title would be read as a year).
pub fn agency_name(k: u64) -> String {
    const DIGITS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    const BUREAUS: [&str; 6] = [
        "交通运输局",
        "人民政府办公室",
        "自然资源局",
        "市场监督管理局",
        "公安局",
        "住房和城乡建设局",
    ];
    let mut code = String::new();
    let mut n = k / BUREAUS.len() as u64;
    loop {
        code.insert(0, DIGITS[(n % 10) as usize]);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    format!(
        "某市{code}区{}",
        BUREAUS[(k % BUREAUS.len() as u64) as usize]
    )
}

/// A consistent random report of `edition` by `agency` on `year`.
pub fn report(rng: &mut Rng, edition: Edition, agency: &str, year: i32) -> Report {
    make(rng, edition, agency, year, None)
}

/// A random year of `edition` (2019–2020 for the 2019 edition, 2021–2025 for 2021).
pub fn random_year(rng: &mut Rng, edition: Edition) -> i32 {
    match edition {
        Edition::E2019 => 2019 + rng.below(2) as i32,
        _ => edition.first_year() + rng.below(5) as i32,
    }
}

/// The same agency's next year, consistent with `previous` (its `carried_over` is `previous`'s
/// `carried_forward`; in the 2019 edition, its `prior_year_items` is `previous`'s `prior_year_items`
/// plus 本年增/减). The edition follows the year.
pub fn next_year(rng: &mut Rng, previous: &Report) -> Report {
    let year = previous
        .meta
        .year
        .unwrap_or(previous.edition().first_year())
        + 1;
    let edition = Edition::for_year(year).unwrap_or(previous.edition());
    let agency = previous.meta.agency.clone().unwrap_or_default();
    make(rng, edition, &agency, year, Some(previous))
}

fn make(
    rng: &mut Rng,
    edition: Edition,
    agency: &str,
    year: i32,
    previous: Option<&Report>,
) -> Report {
    let style = Style::random(rng);
    let mut r = Report::new(edition);
    r.meta.agency = Some(agency.to_owned());
    r.meta.year = Some(year);
    r.meta.title = Some(format!("{agency}{year}年政府信息公开工作年度报告"));
    r.meta.published = Date::new(year + 1, 1 + rng.below(3) as u8, 1 + rng.below(28) as u8);
    active_disclosure(rng, &mut r, style, previous);
    applications(rng, &mut r, style, previous);
    review_litigation(rng, &mut r, style);
    r
}

fn active_disclosure(rng: &mut Rng, r: &mut Report, style: Style, previous: Option<&Report>) {
    const T: &str = "active_disclosure";
    let Some(table) = r.edition().template().table(T) else {
        return;
    };
    let s = style.size;
    for row in table.rows {
        // County-level offices do not make 规章: the row is printed "n/a".
        if row.path == "regulations" && rng.chance(1, 3) {
            for c in row.columns {
                set(r, T, row.path, c.id, Value::NotApplicable.into());
            }
            continue;
        }
        let mut total_published = 0;
        let mut prior = 0i64;
        for c in row.columns {
            let cell = match (c.kind, c.id) {
                (CellKind::Amount, _) => {
                    let unit = c
                        .unit
                        .and_then(AmountUnit::parse)
                        .unwrap_or(AmountUnit::TenThousandYuan);
                    let text = if rng.chance(1, 4) {
                        "0".to_owned()
                    } else {
                        format!("{}.{:02}", rng.below(5000 * s), rng.below(100))
                    };
                    Amount::parse(&text, unit)
                        .map_or(Value::Blank.into(), |a| Value::Amount(a).into())
                }
                (CellKind::SignedCount, _) => {
                    // 本年增/减: never below minus last year's items.
                    let up = rng.below(6) as i64;
                    let down = rng.below(prior.min(6) as u64 + 1) as i64;
                    let change = if rng.chance(1, 2) { up } else { -down };
                    Value::SignedCount(change).into()
                }
                (_, "total_published") => {
                    total_published = count(rng, 10, 60 * s);
                    style.cell(rng, total_published)
                }
                (_, "published") => {
                    let n = rng.below(total_published + 1);
                    style.cell(rng, n)
                }
                (_, "prior_year_items") => {
                    // Continuity: last year's items plus last year's change.
                    let carried = previous.filter(|p| p.edition() == Edition::E2019).map(|p| {
                        value(p, T, row.path, "prior_year_items")
                            + p.tables
                                .cell(T, row.path, "change")
                                .and_then(Cell::as_i64)
                                .unwrap_or(0)
                    });
                    prior = carried
                        .unwrap_or_else(|| count(rng, 10, 30 * s) as i64)
                        .max(0);
                    Cell::count(prior as u64)
                }
                _ => {
                    let n = count(rng, 30, 40 * s);
                    style.cell(rng, n)
                }
            };
            set(r, T, row.path, c.id, cell);
        }
    }
}

fn applications(rng: &mut Rng, r: &mut Report, style: Style, previous: Option<&Report>) {
    const T: &str = "applications";
    let Some(table) = r.edition().template().table(T) else {
        return;
    };
    let Some(first) = table.row("new_received") else {
        return;
    };
    let columns: Vec<&'static str> = first
        .columns
        .iter()
        .map(|c| c.id)
        .filter(|c| *c != "total")
        .collect();
    // Typical sizes per applicant column: natural persons dominate.
    let scale = |c: &str| -> u64 {
        match c {
            "natural_person" => 40,
            "commercial_enterprise" => 6,
            "legal_service_org" => 4,
            "other_org" => 4,
            _ => 2,
        }
    };
    let leaves: Vec<&'static str> = table
        .rows
        .iter()
        .map(|row| row.path)
        .filter(|p| p.starts_with("outcomes.") && *p != "outcomes.total")
        .collect();
    let mut rows: Vec<(&'static str, Vec<u64>)> = Vec::new();
    let mut outcome_total = vec![0u64; columns.len()];
    for &leaf in &leaves {
        let common = matches!(
            leaf,
            "outcomes.disclosed" | "outcomes.partially_disclosed" | "outcomes.unavailable.not_held"
        );
        let zero_pct = if common { 30 } else { 75 };
        let values: Vec<u64> = columns
            .iter()
            .map(|c| count(rng, zero_pct, scale(c) * style.size))
            .collect();
        for (t, v) in outcome_total.iter_mut().zip(&values) {
            *t += v;
        }
        rows.push((leaf, values));
    }
    let mut carried_forward: Vec<u64> = columns
        .iter()
        .map(|c| count(rng, 60, scale(c) * style.size / 2 + 1))
        .collect();
    let carried_over: Vec<u64> =
        match previous.filter(|p| p.tables.cell(T, "carried_forward", "total").is_some()) {
            Some(p) => columns
                .iter()
                .map(|c| value(p, T, "carried_forward", c).max(0) as u64)
                .collect(),
            None => columns
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    count(rng, 60, scale(c) * style.size / 2 + 1)
                        .min(outcome_total[j] + carried_forward[j])
                })
                .collect(),
        };
    for j in 0..columns.len() {
        // A carried-over count larger than everything handled stays carried forward.
        let room = outcome_total[j] + carried_forward[j];
        if carried_over[j] > room {
            carried_forward[j] += carried_over[j] - room;
        }
    }
    let new_received: Vec<u64> = (0..columns.len())
        .map(|j| outcome_total[j] + carried_forward[j] - carried_over[j])
        .collect();
    rows.push(("new_received", new_received));
    rows.push(("carried_over", carried_over));
    rows.push(("outcomes.total", outcome_total));
    rows.push(("carried_forward", carried_forward));
    for (row, values) in rows {
        for (c, v) in columns.iter().zip(&values) {
            let cell = style.cell(rng, *v);
            set(r, T, row, c, cell);
        }
        let total = style.cell(rng, values.iter().sum());
        set(r, T, row, "total", total);
    }
}

fn review_litigation(rng: &mut Rng, r: &mut Report, style: Style) {
    const T: &str = "review_litigation";
    let Some(table) = r.edition().template().table(T) else {
        return;
    };
    for row in table.rows {
        let mut total = 0;
        for c in row.columns.iter().filter(|c| c.id != "total") {
            let n = count(rng, 55, 2 + style.size);
            total += n;
            let cell = style.cell(rng, n);
            set(r, T, row.path, c.id, cell);
        }
        let cell = style.cell(rng, total);
        set(r, T, row.path, "total", cell);
    }
}

/// Every cell of `edition` that takes part in at least one report-scope equality (the
/// section 三 and 四 counts), read off the generated checks themselves.
pub fn equality_cells(edition: Edition) -> Vec<CellId> {
    let mut full = Report::new(edition);
    for id in edition.template().cell_ids() {
        set(&mut full, id.table, id.row, id.column, Cell::count(1));
    }
    let mut cells: Vec<CellId> = Vec::new();
    for r in full.check() {
        if r.constraint.scope != Scope::Report || r.cmp != Cmp::Eq {
            continue;
        }
        for t in r.terms.iter().filter(|t| !t.previous) {
            if !cells.contains(&t.cell) {
                cells.push(t.cell);
            }
        }
    }
    // In print order.
    edition
        .template()
        .cell_ids()
        .filter(|id| cells.contains(id))
        .collect()
}

/// What was broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    /// The cell whose printed value was changed.
    pub cell: CellId,
    /// The true value (blank and `n/a` count as zero).
    pub original: i64,
    /// What the cell printed before the injection (`None`: blank or `n/a`).
    pub printed_before: Option<i64>,
    /// What it prints now (`None`: blank).
    pub printed: Option<i64>,
    /// `printed - original` (for a blanked total, `-original`).
    pub delta: i64,
    /// A total printed blank rather than a number changed.
    pub blank_total: bool,
}

/// Change one cell of `cells` (see [`equality_cells`]) by a random non-zero delta, keeping it
/// at zero or more. A blank or `n/a` cell (zero) becomes a positive count.
pub fn inject(rng: &mut Rng, report: &mut Report, cells: &[CellId]) -> Injection {
    let cell = *rng.pick(cells);
    let printed_before = printed(report, cell);
    let original = printed_before.unwrap_or(0);
    let magnitude = match rng.below(4) {
        0 | 1 => 1,
        2 => 1 + rng.below(10) as i64,
        _ => 1 + rng.below(100) as i64,
    };
    let delta = if original >= magnitude && rng.chance(1, 2) {
        -magnitude
    } else {
        magnitude
    };
    let now = original + delta;
    set(
        report,
        cell.table,
        cell.row,
        cell.column,
        Cell::count(now as u64),
    );
    Injection {
        cell,
        original,
        printed_before,
        printed: Some(now),
        delta,
        blank_total: false,
    }
}

/// Print one total (a `total` column or the （七）总计 row) whose true value is positive as
/// blank. `None` when every total is zero.
pub fn blank_total(rng: &mut Rng, report: &mut Report, cells: &[CellId]) -> Option<Injection> {
    let totals: Vec<CellId> = cells
        .iter()
        .copied()
        .filter(|c| c.column == "total" || c.row == "outcomes.total")
        .filter(|c| printed(report, *c).is_some_and(|n| n > 0))
        .collect();
    if totals.is_empty() {
        return None;
    }
    let cell = *rng.pick(&totals);
    let original = printed(report, cell).unwrap_or(0);
    set(
        report,
        cell.table,
        cell.row,
        cell.column,
        Value::Blank.into(),
    );
    Some(Injection {
        cell,
        original,
        printed_before: Some(original),
        printed: None,
        delta: -original,
        blank_total: true,
    })
}

/// Break the carry-over between `later` and its previous year while `later` stays consistent
/// on its own: one applicant column's `carried_over` and `carried_forward` (and their totals) both
/// grow by the same `d > 0`. Returns the column.
pub fn break_carry_over(rng: &mut Rng, later: &mut Report) -> &'static str {
    const T: &str = "applications";
    let columns: Vec<&'static str> = later
        .edition()
        .template()
        .table(T)
        .and_then(|t| t.row("carried_over"))
        .map(|r| {
            r.columns
                .iter()
                .map(|c| c.id)
                .filter(|c| *c != "total")
                .collect()
        })
        .unwrap_or_default();
    let column = *rng.pick(&columns);
    let d = 1 + rng.below(5) as i64;
    for row in ["carried_over", "carried_forward"] {
        for c in [column, "total"] {
            let n = value(later, T, row, c) + d;
            set(later, T, row, c, Cell::count(n as u64));
        }
    }
    column
}

/// `n` consistent reports: agencies each reporting a run of consecutive years (2019–2025,
/// the edition following the year), every run consistent across its years.
pub fn corpus(rng: &mut Rng, n: usize) -> Vec<Report> {
    let mut out = Vec::with_capacity(n);
    let mut agency = 0u64;
    while out.len() < n {
        let name = agency_name(agency);
        agency += 1;
        let start = 2019 + rng.below(5) as i32;
        let years = (1 + rng.below(5) as usize)
            .min(n - out.len())
            .min((2025 - start + 1) as usize);
        let edition = Edition::for_year(start).unwrap_or(Edition::E2021);
        let mut report = report(rng, edition, &name, start);
        for _ in 1..years {
            let next = next_year(rng, &report);
            out.push(std::mem::replace(&mut report, next));
        }
        out.push(report);
    }
    out
}
