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
//! The generator knows no table, row or column: everything comes from the edition's template
//! (cells, kinds, units) and from the generated checks, read as linear relations
//! `Σ ±cell + constant (==, <=, >=…) 0` off the [`CheckResult`]s of an empty report. So a
//! template change is a schema change and nothing else.
//!
//! - Every cell starts unknown. A relation left with one unknown cell solves it (a total from
//!   its parts, a balance's last term); otherwise the next unknown cell is drawn at random.
//! - Draw order: *leaves* first (cells never alone on one side of an equality), in print
//!   order, except that in a balance with no single-cell side the first leaf of the side with
//!   fewer cells (its sides expanded to leaves) is left to be solved last: the side summing
//!   many random counts is the larger one, so solving the other keeps the solution a count.
//!   Totals (cells alone on a side) come last, and are normally solved, never drawn.
//! - Each draw is kept within the bounds that every relation it takes part in implies (also
//!   with its totals expanded to leaves), given that the cells still unknown are counts: so
//!   solved values stay >= 0 and inequalities such as the 2019 edition's
//!   `published <= total_published` hold. A continuity rule read with a report as its own
//!   previous year adds what the next year needs (2019: `change >= -prior_year_items`).
//!   Should a solved value still break a rule, the report is drawn again (never seen; the
//!   tests in `tests/synth.rs` run both editions over many seeds).
//! - [`next_year`]: the continuity (corpus-scope) checks against the previous report, read
//!   with this year's cells unknown, fix the carried cells before anything is drawn.
//! - Magnitudes: a per-report agency size, and per table row a share of zeros and per column
//!   a weight, drawn at random (some rows and columns dominate, as in real reports, without
//!   naming which). Amounts are drawn in their column's unit. A row that takes part in no
//!   equality (section 二) is sometimes printed `n/a` throughout.
//! - Any cell whose value is zero may be printed blank (`null`) or, rarely, `n/a`: the checks
//!   read both as zero, so every rule still holds.

use std::collections::HashMap;
use std::sync::OnceLock;
use xxgk_model::cell::{Amount, AmountUnit, Cell, CellId, CellKind, Value};
use xxgk_model::check::{CheckResult, Cmp, Reading, Scope};
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

/// How a report prints its zeros, and how large its agency is.
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

    /// A number as printed in a column of `kind`: zero may be blank or `n/a`.
    fn cell(&self, rng: &mut Rng, kind: CellKind, n: i64) -> Cell {
        if n == 0 {
            let r = rng.below(100);
            if r < self.blank_pct {
                return Value::Blank.into();
            }
            if r < self.blank_pct + self.na_pct {
                return Value::NotApplicable.into();
            }
        }
        match (kind, u64::try_from(n)) {
            (CellKind::Count, Ok(n)) => Cell::count(n),
            _ => Value::SignedCount(n).into(),
        }
    }
}

/// Overwrite a cell of the template. Panics on a cell not in `report`'s edition: callers pass
/// cells of the edition's template, so that is a bug in this module.
fn set(report: &mut Report, cell: CellId, value: Cell) {
    match report.tables.cell_mut(cell.table, cell.row, cell.column) {
        Some(c) => *c = value,
        None => panic!(
            "synth: {cell} is not a cell of the {} edition",
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

/// The cells whose values `back` (a report parsed back) reads otherwise than `expected`, each
/// as `id: expected read as found`.
pub fn differences(expected: &Report, back: &Report) -> Vec<String> {
    let mut differ = Vec::new();
    expected.tables.for_each_cell(&mut |id, c| {
        let b = back
            .tables
            .cell(id.table, id.row, id.column)
            .map(|c| c.value);
        if b != Some(c.value) {
            differ.push(format!("{id}: {:?} read as {b:?}", c.value));
        }
    });
    differ
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

// --- The checks as linear relations --------------------------------------------------------

/// One instance of a rule over one report's cells: `Σ coefficient × cell + constant` compared
/// with zero (a rule `left cmp right` as `left - right cmp 0`).
#[derive(Debug, Clone)]
struct Relation {
    /// Cell index and signed coefficient (negated on the rule's right side); no cell twice.
    terms: Vec<(usize, i128)>,
    /// `left - right` with every cell read as zero.
    constant: i128,
    cmp: Cmp,
}

impl Relation {
    /// The relation over the cells `result` read, the previous year's cells (read as numbers)
    /// folded into the constant. `None` when it reads a cell it cannot add up (an amount, an
    /// unknown previous-year cell).
    fn read(result: &CheckResult, cells: &Cells) -> Option<Relation> {
        let mut terms: Vec<(usize, i128)> = Vec::new();
        // `left - right` counts every cell read as a number (unknown, blank and n/a as zero).
        let mut constant = result.left - result.right;
        for (i, t) in result.terms.iter().enumerate() {
            let s = side(result, i);
            if t.previous {
                match t.reading {
                    Reading::Unknown | Reading::NotACount => return None,
                    _ => continue,
                }
            }
            if let Reading::Number(n) = t.reading {
                constant -= s * i128::from(n);
            }
            let index = cells.index(t.cell)?;
            if cells.kind[index] == CellKind::Amount {
                return None;
            }
            add(&mut terms, index, s);
        }
        terms.retain(|(_, k)| *k != 0);
        Some(Relation {
            terms,
            constant,
            cmp: result.cmp,
        })
    }

    /// Its value over `values` (every term known), or `None`.
    fn value(&self, values: &[Option<i64>]) -> Option<i128> {
        self.terms.iter().try_fold(self.constant, |acc, &(c, k)| {
            values[c].map(|v| acc + k * i128::from(v))
        })
    }

    /// The unknown term, when exactly one term is unknown.
    fn single_unknown(&self, values: &[Option<i64>]) -> Option<(usize, i128)> {
        let mut unknown = self.terms.iter().filter(|(c, _)| values[*c].is_none());
        let first = unknown.next().copied();
        if unknown.next().is_some() {
            None
        } else {
            first
        }
    }

    /// Replace `cell` by what `definition` (an equality with `cell` at coefficient ±1) makes
    /// it: the result is a consequence of both, so it holds whenever they do.
    fn substitute(&mut self, cell: usize, definition: &Relation) {
        let Some(at) = self.terms.iter().position(|(c, _)| *c == cell) else {
            return;
        };
        let Some(&(_, d)) = definition.terms.iter().find(|(c, _)| *c == cell) else {
            return;
        };
        let (_, k) = self.terms.remove(at);
        // cell = -(Σ others + constant) / d, and d is ±1.
        let factor = -k * d;
        self.constant += factor * definition.constant;
        for &(c, s) in definition.terms.iter().filter(|(c, _)| *c != cell) {
            add(&mut self.terms, c, factor * s);
        }
        self.terms.retain(|(_, k)| *k != 0);
    }
}

/// Term `i`'s coefficient as if moved to the left side: negated on the right.
fn side(result: &CheckResult, i: usize) -> i128 {
    let k = i128::from(result.terms[i].coefficient);
    if i < result.left_terms { k } else { -k }
}

/// Add `k × cell` to `terms`.
fn add(terms: &mut Vec<(usize, i128)>, cell: usize, k: i128) {
    match terms.iter_mut().find(|(c, _)| *c == cell) {
        Some((_, x)) => *x += k,
        None => terms.push((cell, k)),
    }
}

/// The cells of an edition, in print order, with what the template says of them.
#[derive(Debug)]
struct Cells {
    ids: Vec<CellId>,
    kind: Vec<CellKind>,
    unit: Vec<Option<&'static str>>,
    /// Index of the cell's row, and of its column, among the table's rows and columns.
    row: Vec<usize>,
    column: Vec<usize>,
    rows: usize,
    columns: usize,
    by_id: HashMap<CellId, usize>,
}

impl Cells {
    fn of(edition: Edition) -> Cells {
        let mut cells = Cells {
            ids: Vec::new(),
            kind: Vec::new(),
            unit: Vec::new(),
            row: Vec::new(),
            column: Vec::new(),
            rows: 0,
            columns: 0,
            by_id: HashMap::new(),
        };
        for table in edition.template().tables {
            let mut columns: Vec<&str> = Vec::new();
            for row in table.rows {
                for c in row.columns {
                    let id = CellId::new(table.id, row.path, c.id);
                    let column = match columns.iter().position(|x| *x == c.id) {
                        Some(j) => j,
                        None => {
                            columns.push(c.id);
                            columns.len() - 1
                        }
                    };
                    cells.by_id.insert(id, cells.ids.len());
                    cells.ids.push(id);
                    cells.kind.push(c.kind);
                    cells.unit.push(c.unit);
                    cells.row.push(cells.rows);
                    cells.column.push(cells.columns + column);
                }
                cells.rows += 1;
            }
            cells.columns += columns.len();
        }
        cells
    }

    fn index(&self, id: CellId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// What the generated checks say about one edition, read once.
#[derive(Debug)]
struct Structure {
    edition: Edition,
    cells: Cells,
    /// Every report-scope check instance.
    relations: Vec<Relation>,
    /// The relations again with every total expanded to leaves, and what the continuity rules
    /// ask of a report as the previous year: only to bound draws.
    bounds: Vec<Relation>,
    /// For each cell, the `bounds` relations it takes part in.
    bounds_of: Vec<Vec<usize>>,
    /// Cells alone on one side of an equality (totals), and the first such equality (an index
    /// in `relations`), which defines them.
    derived: Vec<bool>,
    definition: Vec<Option<usize>>,
    /// The order in which unknown cells are drawn.
    order: Vec<usize>,
    /// Rows with no cell in an equality of either scope: they may print `n/a` throughout.
    free_rows: Vec<bool>,
    /// Continuity instances with one cell of this year and one of the previous (this year's
    /// cell, the previous year's cell), read with a report as its own previous year.
    carries: Vec<(usize, usize)>,
}

impl Structure {
    fn of(edition: Edition) -> Structure {
        let cells = Cells::of(edition);
        let n = cells.len();
        let empty = Report::new(edition);
        let checks: Vec<CheckResult> = empty
            .check()
            .into_iter()
            .filter(|r| r.constraint.scope == Scope::Report)
            .collect();
        // A cell alone on one side of an equality is a total; its first such equality defines it.
        let mut relations: Vec<Relation> = Vec::new();
        let mut definition: Vec<Option<usize>> = vec![None; n];
        for r in &checks {
            let Some(rel) = Relation::read(r, &cells).filter(|x| !x.terms.is_empty()) else {
                continue;
            };
            let (left, right) = r.terms.split_at(r.left_terms.min(r.terms.len()));
            for (alone, other) in [(left, right), (right, left)] {
                if let ([t], [_, ..]) = (alone, other)
                    && r.cmp == Cmp::Eq
                    && let Some(c) = cells.index(t.cell)
                    && definition[c].is_none()
                    && rel.terms.iter().any(|&(x, k)| x == c && k.abs() == 1)
                {
                    definition[c] = Some(relations.len());
                }
            }
            relations.push(rel);
        }
        let derived: Vec<bool> = definition.iter().map(Option::is_some).collect();
        let expand = |r: &Relation| -> Relation {
            let mut r = r.clone();
            // Totals of totals expand in turn; the bound only stops a cycle of definitions.
            for _ in 0..4 * n {
                let Some((c, d)) = r
                    .terms
                    .iter()
                    .find_map(|(c, _)| definition[*c].map(|d| (*c, d)))
                else {
                    break;
                };
                r.substitute(c, &relations[d]);
            }
            r
        };

        // A report read as its own previous year by the continuity rules: their cells are in
        // equalities too, a rule with one cell each year carries it over, and a rule whose
        // cells of this year are counts on one side needs the previous year's side to allow
        // that (last year's items plus their change, which become this year's, are >= 0).
        let mut in_equality = vec![false; n];
        let mut bounds: Vec<Relation> = relations.clone();
        let mut carries = Vec::new();
        for r in empty.tables.check_continuity(&empty.tables) {
            let (mut now, mut before) = (Vec::new(), Vec::new());
            for (i, t) in r.terms.iter().enumerate() {
                let Some(c) = cells.index(t.cell) else {
                    continue;
                };
                in_equality[c] |= r.cmp == Cmp::Eq;
                if t.previous {
                    add(&mut before, c, side(&r, i));
                } else {
                    add(&mut now, c, side(&r, i));
                }
            }
            if r.cmp != Cmp::Eq {
                continue;
            }
            if let ([(c, _)], [(p, _)]) = (now.as_slice(), before.as_slice()) {
                carries.push((*c, *p));
            }
            let sign = now.first().map_or(0, |(_, k)| k.signum());
            let counts = now
                .iter()
                .all(|&(c, k)| k.signum() == sign && cells.kind[c] == CellKind::Count);
            if sign != 0
                && counts
                && before
                    .iter()
                    .all(|&(c, _)| cells.kind[c] != CellKind::Amount)
            {
                // Σ this year (sign σ, each >= 0) + Σ previous + constant == 0, every cell read
                // as zero in `left - right`.
                before.retain(|(_, k)| *k != 0);
                bounds.push(Relation {
                    terms: before,
                    constant: r.left - r.right,
                    cmp: if sign > 0 { Cmp::Le } else { Cmp::Ge },
                });
            }
        }
        let expanded: Vec<Relation> = bounds
            .iter()
            .filter(|r| r.terms.iter().any(|(c, _)| derived[*c]))
            .map(expand)
            .filter(|r| !r.terms.is_empty())
            .collect();
        bounds.extend(expanded);
        bounds.retain(|r| !r.terms.is_empty());
        let mut bounds_of = vec![Vec::new(); n];
        for (i, r) in bounds.iter().enumerate() {
            for &(c, _) in &r.terms {
                bounds_of[c].push(i);
            }
        }

        // In a balance (an equality with no single-cell side, every cell moved to the left and
        // grouped by sign), the first leaf of the side with fewer leaves once expanded is
        // solved rather than drawn.
        let mut last = vec![false; n];
        for r in relations.iter().filter(|r| r.cmp == Cmp::Eq) {
            for &(c, _) in &r.terms {
                in_equality[c] = true;
            }
            let group = |r: &Relation, sign: i128| {
                r.terms.iter().filter(|(_, k)| k.signum() == sign).count()
            };
            if group(r, 1) <= 1 || group(r, -1) <= 1 {
                continue;
            }
            let e = expand(r);
            let (plus, minus) = (group(&e, 1), group(&e, -1));
            if plus == minus {
                continue;
            }
            let lighter = if plus < minus { 1 } else { -1 };
            if let Some(&(c, _)) = e
                .terms
                .iter()
                .filter(|(c, k)| k.signum() == lighter && !derived[*c])
                .min_by_key(|(c, _)| *c)
            {
                last[c] = true;
            }
        }
        let numeric: Vec<usize> = (0..n)
            .filter(|&c| cells.kind[c] != CellKind::Amount)
            .collect();
        let order: Vec<usize> = numeric
            .iter()
            .filter(|&&c| !derived[c] && !last[c])
            .chain(numeric.iter().filter(|&&c| !derived[c] && last[c]))
            .chain(numeric.iter().filter(|&&c| derived[c]))
            .copied()
            .collect();
        let mut free_rows = vec![true; cells.rows];
        for c in 0..n {
            if in_equality[c] {
                free_rows[cells.row[c]] = false;
            }
        }
        Structure {
            edition,
            cells,
            relations,
            bounds,
            bounds_of,
            derived,
            definition,
            order,
            free_rows,
            carries,
        }
    }

    /// The structure of `edition`, read once per process.
    fn get(edition: Edition) -> &'static Structure {
        static ALL: OnceLock<Vec<Structure>> = OnceLock::new();
        let all = ALL.get_or_init(|| Edition::ALL.iter().map(|&e| Structure::of(e)).collect());
        match all.iter().find(|s| s.edition == edition) {
            Some(s) => s,
            None => unreachable!("Edition::ALL lists every edition"),
        }
    }

    /// The numbers of `report`'s cells as the checks read them (blank and `n/a` as zero).
    fn values(&self, report: &Report) -> Vec<Option<i64>> {
        self.cells
            .ids
            .iter()
            .map(|id| {
                Some(
                    report
                        .tables
                        .cell(id.table, id.row, id.column)
                        .and_then(Cell::as_i64)
                        .unwrap_or(0),
                )
            })
            .collect()
    }
}

// --- Solving -------------------------------------------------------------------------------

/// Floor of `a / b` (`b != 0`).
fn div_floor(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && (a < 0) != (b < 0) {
        q - 1
    } else {
        q
    }
}

/// `n` as a draw's range (draws are far below `u64::MAX`).
fn small(n: u128) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX - 1)
}

/// Magnitudes of one report: a share of zeros per row, a weight per column.
struct Shape {
    zero_pct: Vec<u64>,
    weight: Vec<u64>,
}

impl Shape {
    fn random(rng: &mut Rng, cells: &Cells) -> Shape {
        let zero_pct = (0..cells.rows)
            .map(|_| *rng.pick(&[30, 30, 55, 75, 75, 75]))
            .collect();
        let weight = (0..cells.columns)
            .map(|_| *rng.pick(&[1, 2, 2, 4, 6, 40]))
            .collect();
        Shape { zero_pct, weight }
    }
}

/// One attempt at filling every numeric cell: `None` when a solved value is not a count or a
/// rule fails (the caller tries again with the next draws).
struct Fill<'a> {
    s: &'a Structure,
    /// The relations that solve cells: the report's, and the continuity ones fixing cells.
    solving: Vec<&'a Relation>,
    solving_of: Vec<Vec<usize>>,
    unknown: Vec<usize>,
    values: Vec<Option<i64>>,
    queue: Vec<usize>,
}

impl<'a> Fill<'a> {
    fn new(s: &'a Structure, pinning: &'a [Relation]) -> Fill<'a> {
        let solving: Vec<&Relation> = s.relations.iter().chain(pinning).collect();
        let mut solving_of = vec![Vec::new(); s.cells.len()];
        for (i, r) in solving.iter().enumerate() {
            for &(c, _) in &r.terms {
                solving_of[c].push(i);
            }
        }
        let unknown: Vec<usize> = solving.iter().map(|r| r.terms.len()).collect();
        let queue = (0..solving.len()).filter(|&i| unknown[i] <= 1).collect();
        Fill {
            s,
            solving,
            solving_of,
            unknown,
            values: vec![None; s.cells.len()],
            queue,
        }
    }

    fn set(&mut self, c: usize, v: i64) {
        self.values[c] = Some(v);
        for &r in &self.solving_of[c] {
            self.unknown[r] -= 1;
            if self.unknown[r] <= 1 {
                self.queue.push(r);
            }
        }
    }

    /// Solve every relation left with one unknown cell, until none is. `None` on a conflict.
    fn propagate(&mut self) -> Option<()> {
        while let Some(r) = self.queue.pop() {
            let rel = self.solving[r];
            if self.unknown[r] == 0 {
                if !rel.cmp.holds(rel.value(&self.values)?, 0) {
                    return None;
                }
                continue;
            }
            if rel.cmp != Cmp::Eq {
                continue;
            }
            let Some((c, k)) = rel.single_unknown(&self.values) else {
                continue;
            };
            let rest = rel
                .terms
                .iter()
                .filter(|(x, _)| *x != c)
                .try_fold(rel.constant, |acc, &(x, s)| {
                    self.values[x].map(|v| acc + s * i128::from(v))
                })?;
            if rest % k != 0 {
                return None;
            }
            let v = i64::try_from(-rest / k).ok()?;
            if v < 0 && self.s.cells.kind[c] == CellKind::Count {
                return None;
            }
            self.set(c, v);
        }
        Some(())
    }

    /// The values `c` may take so that every relation can still hold, the cells still unknown
    /// being counts (>= 0): `(lo, hi)`, `None` for no bound.
    fn bounds(&self, c: usize) -> (Option<i128>, Option<i128>) {
        let mut lo: Option<i128> = (self.s.cells.kind[c] == CellKind::Count).then_some(0);
        let mut hi: Option<i128> = None;
        for &r in &self.s.bounds_of[c] {
            let rel = &self.s.bounds[r];
            let mut known = rel.constant;
            let (mut k, mut plus, mut minus, mut free) = (0, false, false, false);
            for &(x, s) in &rel.terms {
                if x == c {
                    k = s;
                    continue;
                }
                match self.values[x] {
                    Some(v) => known += s * i128::from(v),
                    None if self.s.cells.kind[x] != CellKind::Count => free = true,
                    None if s > 0 => plus = true,
                    None => minus = true,
                }
            }
            if k == 0 || free || (plus && minus) {
                continue;
            }
            // The rest of the unknown terms sum to >= 0 (plus), <= 0 (minus) or 0 (none); what
            // `k × c + known` must then be.
            let (at_most, at_least) = match rel.cmp {
                Cmp::Eq => (!minus, !plus),
                Cmp::Le | Cmp::Lt => (!minus, false),
                Cmp::Ge | Cmp::Gt => (false, !plus),
            };
            let (top, bottom) = match rel.cmp {
                Cmp::Lt => (-1, 0),
                Cmp::Gt => (0, 1),
                _ => (0, 0),
            };
            // k × c <= top - known, k × c >= bottom - known.
            let mut bound = |limit: i128, upper: bool| {
                if (k > 0) == upper {
                    let b = div_floor(limit, k);
                    hi = Some(hi.map_or(b, |h| h.min(b)));
                } else {
                    let b = -div_floor(-limit, k);
                    lo = Some(lo.map_or(b, |l| l.max(b)));
                }
            };
            if at_most {
                bound(top - known, true);
            }
            if at_least {
                bound(bottom - known, false);
            }
        }
        (lo, hi)
    }

    /// A random value for cell `c`, within its bounds.
    fn draw(&self, rng: &mut Rng, shape: &Shape, size: u64, c: usize) -> Option<i64> {
        let cells = &self.s.cells;
        let n = count(
            rng,
            shape.zero_pct[cells.row[c]],
            size * shape.weight[cells.column[c]],
        ) as i128;
        let n = if cells.kind[c] == CellKind::Count || rng.chance(1, 2) {
            n
        } else {
            -n
        };
        let v = match self.bounds(c) {
            (Some(lo), Some(hi)) if lo > hi => return None,
            // Below the bound (a balance's last drawn term): past it by a draw's own size.
            (Some(lo), hi) if n < lo => {
                let past = lo + i128::from(rng.below(small(n.unsigned_abs()) + 1));
                hi.map_or(past, |h| past.min(h))
            }
            // Above it (room left by cells drawn earlier): anywhere in the room.
            (lo, Some(hi)) if n > hi => {
                let lo = lo.unwrap_or(hi - n.abs());
                lo + i128::from(rng.below(small((hi - lo).unsigned_abs()) + 1))
            }
            _ => n,
        };
        i64::try_from(v).ok()
    }
}

/// Every numeric cell of a report of `s`'s edition, consistent; zero for `n/a` rows.
fn fill(
    rng: &mut Rng,
    s: &Structure,
    size: u64,
    shape: &Shape,
    pinning: &[Relation],
    na: &[bool],
) -> Option<Vec<Option<i64>>> {
    let mut f = Fill::new(s, pinning);
    for c in 0..s.cells.len() {
        if na[s.cells.row[c]] && s.cells.kind[c] != CellKind::Amount {
            f.set(c, 0);
        }
    }
    loop {
        f.propagate()?;
        let Some(&c) = s.order.iter().find(|&&c| f.values[c].is_none()) else {
            break;
        };
        let v = f.draw(rng, shape, size, c)?;
        f.set(c, v);
    }
    let holds = |r: &Relation| r.value(&f.values).is_some_and(|v| r.cmp.holds(v, 0));
    if s.relations.iter().chain(pinning).all(holds) && s.bounds.iter().all(holds) {
        Some(f.values)
    } else {
        None
    }
}

/// A random amount in `unit`: up to 5000 万元 per unit of agency size, or zero.
fn amount(rng: &mut Rng, unit: AmountUnit, size: u64) -> Cell {
    let text = if rng.chance(1, 4) {
        "0".to_owned()
    } else {
        let (wan, cents) = (rng.below(5000 * size), rng.below(100));
        match unit {
            AmountUnit::TenThousandYuan => format!("{wan}.{cents:02}"),
            AmountUnit::Yuan => (wan * 10_000 + cents * 100).to_string(),
        }
    };
    Amount::parse(&text, unit).map_or(Value::Blank.into(), |a| Value::Amount(a).into())
}

/// A consistent random report of `edition` by `agency` on `year`.
pub fn report(rng: &mut Rng, edition: Edition, agency: &str, year: i32) -> Report {
    make(rng, edition, agency, year, None)
}

/// A random year of `edition`: one of its first five years that no later edition covers
/// (2019–2020 for the 2019 edition, 2021–2025 for 2021).
pub fn random_year(rng: &mut Rng, edition: Edition) -> i32 {
    let first = edition.first_year();
    let years = (0..5)
        .take_while(|k| Edition::for_year(first + k) == Some(edition))
        .count()
        .max(1);
    first + rng.below(years as u64) as i32
}

/// The same agency's next year, consistent with `previous`: every cell a continuity rule ties
/// to the previous year (2021: `carried_over` is `previous`'s `carried_forward`; 2019 also
/// `prior_year_items` is `previous`'s plus its 本年增/减) is solved from those rules before
/// anything is drawn. The edition follows the year.
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

/// Draws for one report: tries again (with the next draws) in the unlikely case that the
/// bounds did not keep a solved value a count.
const ATTEMPTS: usize = 16;

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
    r.meta.title = Some(xxgk_model::VOCABULARY.title_of(agency, Some(year)));
    // On time: by 31 January of the next year (条例 第五十条, `meta.late`).
    r.meta.published = Date::new(year + 1, 1, 1 + rng.below(31) as u8);
    let s = Structure::get(edition);
    // The continuity rules against the previous year, with this year's cells unknown.
    let pinning: Vec<Relation> = previous
        .map(|p| {
            r.tables
                .check_continuity(&p.tables)
                .iter()
                .filter_map(|c| Relation::read(c, &s.cells))
                .filter(|c| !c.terms.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let shape = Shape::random(rng, &s.cells);
    let mut values = Vec::new();
    let mut na = vec![false; s.cells.rows];
    for _ in 0..ATTEMPTS {
        // A row in no equality is sometimes not applicable to the agency (e.g. 规章 for a
        // county office): printed n/a throughout.
        na = s
            .free_rows
            .iter()
            .map(|&f| f && rng.chance(1, 10))
            .collect();
        if let Some(v) = fill(rng, s, style.size, &shape, &pinning, &na) {
            values = v;
            break;
        }
    }
    for (c, &id) in s.cells.ids.iter().enumerate() {
        let kind = s.cells.kind[c];
        let cell = if na[s.cells.row[c]] {
            Value::NotApplicable.into()
        } else if kind == CellKind::Amount {
            let unit = s.cells.unit[c]
                .and_then(AmountUnit::parse)
                .unwrap_or(AmountUnit::TenThousandYuan);
            amount(rng, unit, style.size)
        } else {
            match values.get(c).copied().flatten() {
                Some(v) => style.cell(rng, kind, v),
                // Every attempt failed (never seen): left unknown, which the tests notice.
                None => Cell::UNKNOWN,
            }
        };
        set(&mut r, id, cell);
    }
    r
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
    set(report, cell, Cell::count(now as u64));
    Injection {
        cell,
        original,
        printed_before,
        printed: Some(now),
        delta,
        blank_total: false,
    }
}

/// Every cell of `edition` that takes part in at least one report-scope equality (the
/// section 三 and 四 counts), read off the generated checks themselves.
pub fn equality_cells(edition: Edition) -> Vec<CellId> {
    let s = Structure::get(edition);
    let mut cells = vec![false; s.cells.len()];
    for r in s.relations.iter().filter(|r| r.cmp == Cmp::Eq) {
        for &(c, _) in &r.terms {
            cells[c] = true;
        }
    }
    // In print order.
    (0..s.cells.len())
        .filter(|&c| cells[c])
        .map(|c| s.cells.ids[c])
        .collect()
}

/// Print one total (a cell alone on one side of an equality: a 总计 column, the （七）总计 row)
/// whose true value is positive as blank. `None` when every total is zero.
pub fn blank_total(rng: &mut Rng, report: &mut Report, cells: &[CellId]) -> Option<Injection> {
    let s = Structure::get(report.edition());
    let totals: Vec<CellId> = cells
        .iter()
        .copied()
        .filter(|c| s.cells.index(*c).is_some_and(|i| s.derived[i]))
        .filter(|c| printed(report, *c).is_some_and(|n| n > 0))
        .collect();
    if totals.is_empty() {
        return None;
    }
    let cell = *rng.pick(&totals);
    let original = printed(report, cell).unwrap_or(0);
    set(report, cell, Value::Blank.into());
    Some(Injection {
        cell,
        original,
        printed_before: Some(original),
        printed: None,
        delta: -original,
        blank_total: true,
    })
}

/// Two consecutive years of one agency, the later with its carry-over broken (but consistent
/// on its own): the earlier report, the later, and the column broken.
pub fn broken_pair(seed: u64, year: i32) -> (Report, Report, &'static str) {
    let mut rng = Rng::new(seed);
    let edition = Edition::for_year(year).expect("a year an edition covers");
    let earlier = report(&mut rng, edition, &agency_name(seed), year);
    let mut later = next_year(&mut rng, &earlier);
    let column = break_carry_over(&mut rng, &mut later);
    assert_consistent(&earlier, "earlier");
    assert_consistent(&later, "later");
    (earlier, later, column)
}

/// Break the carry-over between `later` and its previous year while `later` stays consistent
/// on its own. The pair comes from the continuity rules: a cell of this year equal to one of
/// the previous year (`carried_over` = previous `carried_forward`), not a total, whose two
/// cells share a report equality in which growing both by the same `d > 0` cancels out (the
/// balance). Both grow by `d`, then every total they feed is solved again. Returns the
/// column.
///
/// Panics when the edition has no such pair (a test helper: the schema has one).
pub fn break_carry_over(rng: &mut Rng, later: &mut Report) -> &'static str {
    let s = Structure::get(later.edition());
    let pairs: Vec<(usize, usize)> = s
        .carries
        .iter()
        .copied()
        .filter(|&(c, p)| !s.derived[c] && c != p)
        .filter(|&(c, p)| {
            s.relations.iter().filter(|r| r.cmp == Cmp::Eq).any(|r| {
                let k = |x: usize| r.terms.iter().find(|(y, _)| *y == x).map(|(_, k)| *k);
                matches!((k(c), k(p)), (Some(a), Some(b)) if a == -b)
            })
        })
        .collect();
    assert!(
        !pairs.is_empty(),
        "synth: the {} edition has no carry-over pair",
        later.edition()
    );
    let (c, p) = *rng.pick(&pairs);
    let d = 1 + rng.below(5) as i64;
    let mut values = s.values(later);
    let mut touched = vec![c, p];
    for x in [c, p] {
        values[x] = values[x].map(|v| v + d);
    }
    // Solve again, from its definition, every total that no longer adds up.
    for _ in 0..s.cells.len() {
        let Some((x, r)) = (0..s.cells.len()).find_map(|x| {
            let r = &s.relations[s.definition[x]?];
            r.value(&values).is_none_or(|v| v != 0).then_some((x, r))
        }) else {
            break;
        };
        let k = r.terms.iter().find(|(y, _)| *y == x).map_or(1, |(_, k)| *k);
        let rest = r.value(&values).unwrap_or(0) - k * i128::from(values[x].unwrap_or(0));
        values[x] = i64::try_from(-rest * k).ok();
        touched.push(x);
    }
    for x in touched {
        let n = values[x].and_then(|v| u64::try_from(v).ok()).unwrap_or(0);
        set(later, s.cells.ids[x], Cell::count(n));
    }
    s.cells.ids[c].column
}

/// `n` consistent reports: agencies each reporting a run of consecutive years (from the first
/// edition's first year to 2025, the edition following the year), every run consistent across
/// its years.
pub fn corpus(rng: &mut Rng, n: usize) -> Vec<Report> {
    const LAST: i32 = 2025;
    let first = Edition::ALL
        .iter()
        .map(|e| e.first_year())
        .min()
        .unwrap_or(LAST);
    let mut out = Vec::with_capacity(n);
    let mut agency = 0u64;
    while out.len() < n {
        let name = agency_name(agency);
        agency += 1;
        let start = first + rng.below(5) as i32;
        let years = (1 + rng.below(5) as usize)
            .min(n - out.len())
            .min((LAST - start + 1) as usize);
        let Some(edition) = Edition::for_year(start) else {
            continue;
        };
        let mut report = report(rng, edition, &name, start);
        for _ in 1..years {
            let next = next_year(rng, &report);
            out.push(std::mem::replace(&mut report, next));
        }
        out.push(report);
    }
    out
}
