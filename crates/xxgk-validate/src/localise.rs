//! Which cell is wrong? When checks fail, find the single cell whose correction makes every
//! failing check of its group hold without breaking a passing one, and say what the other
//! cells imply for it. When several cells fit equally, say so and suggest none. Nothing in the
//! report is changed: a suggestion is a diagnostic.

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use xxgk_model::cell::{CellId, CellKind, Value};
use xxgk_model::check::{CheckResult, Cmp, Outcome, Reading, Scope};
use xxgk_model::diagnostic::Suggestion;
use xxgk_model::message::{Arg, Message};
use xxgk_model::{Report, Tables};

/// What the failures of one group point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// One cell explains every failure: correcting it to `implied` makes all of them hold.
    Cell {
        cell: CellId,
        printed: Option<i64>,
        implied: i64,
    },
    /// Several single cells would each explain the failures: no suggestion.
    Ambiguous(Vec<(CellId, i64)>),
    /// No single cell explains the failures of the table, but exactly one pair of cells does
    /// (a row printed consistently wrong, a number moved to the next cell).
    Pair([(CellId, Option<i64>, i64); 2]),
    /// No single cell explains the failures, and several pairs of cells would: no suggestion.
    SeveralPairs,
    /// No single cell explains the failures (two or more cells are wrong, or a value is
    /// undetermined).
    Unexplained,
}

/// A group of failing checks that share cells, and what they point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Indices of the failing results (into the slice given to [`localise`]).
    pub failing: Vec<usize>,
    pub fix: Fix,
}

/// The cells the failing results read, numbered, and where each stands in each result:
/// built once per report with failures, so that "is this cell in that result, with which
/// sign" is a look-up in a short list, not a search through the terms comparing names.
struct Index {
    /// A cell's number.
    number: FxHashMap<Key, u32>,
    /// Each result's cells (the first time each is read, previous year's cells left out), in
    /// the order read, with the sign each carries in `left - right`: result `i`'s are
    /// `cells[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    cells: Vec<(u32, i128)>,
    /// The same by cell: the results (in order) each cell is in, with its sign; cell `c`'s
    /// are `results[by_cell[c]..by_cell[c + 1]]`.
    by_cell: Vec<usize>,
    results: Vec<(usize, i128)>,
}

impl Index {
    /// The index of the cells of the `failing` results (the only cells asked about), in
    /// all `results`.
    fn new(results: &[CheckResult], failing: &[usize]) -> Index {
        let mut number: FxHashMap<Key, u32> = FxHashMap::default();
        for &i in failing {
            for t in results[i].terms.iter().filter(|t| !t.previous) {
                let next = number.len() as u32;
                number.entry(Key(t.cell)).or_insert(next);
            }
        }
        let mut starts = Vec::with_capacity(results.len() + 1);
        let mut cells: Vec<(u32, i128)> = Vec::new();
        starts.push(0);
        for r in results {
            let start = cells.len();
            for (i, t) in r.terms.iter().enumerate().filter(|(_, t)| !t.previous) {
                let Some(&c) = number.get(&Key(t.cell)) else {
                    continue;
                };
                // Only the first reading of a cell gives its sign.
                if cells[start..].iter().all(|&(d, _)| d != c) {
                    let sign = if i < r.left_terms { 1 } else { -1 };
                    cells.push((c, i128::from(t.coefficient) * sign));
                }
            }
            starts.push(cells.len());
        }
        // Counting sort of the same entries by cell, results kept in order.
        let mut by_cell = vec![0usize; number.len() + 1];
        for &(c, _) in &cells {
            by_cell[c as usize + 1] += 1;
        }
        for c in 1..by_cell.len() {
            by_cell[c] += by_cell[c - 1];
        }
        let mut fill = by_cell.clone();
        let mut by_result = vec![(0usize, 0i128); cells.len()];
        for (i, w) in starts.windows(2).enumerate() {
            for &(c, k) in &cells[w[0]..w[1]] {
                by_result[fill[c as usize]] = (i, k);
                fill[c as usize] += 1;
            }
        }
        Index {
            number,
            starts,
            cells,
            by_cell,
            results: by_result,
        }
    }

    /// Result `i`'s cells and their signs.
    fn cells_of(&self, i: usize) -> &[(u32, i128)] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => self.cells.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The number of `cell`, when a failing result reads it.
    fn of(&self, cell: CellId) -> Option<u32> {
        self.number.get(&Key(cell)).copied()
    }

    /// The sign cell `c` carries in result `i`'s `left - right` (its coefficient, negated on
    /// the right side); `None` when the cell is not in it.
    fn coefficient(&self, i: usize, c: Option<u32>) -> Option<i128> {
        let c = c?;
        self.cells_of(i)
            .iter()
            .find(|&&(d, _)| d == c)
            .map(|&(_, k)| k)
    }

    /// The results cell `c` is in, in order, with its sign.
    fn mentions(&self, c: Option<u32>) -> &[(usize, i128)] {
        c.and_then(|c| {
            let c = c as usize;
            self.results
                .get(*self.by_cell.get(c)?..*self.by_cell.get(c + 1)?)
        })
        .unwrap_or(&[])
    }
}

/// A cell as a hash key, hashed by a few bytes instead of its whole name (the lengths of
/// its parts and the ends of the row and column, which tell the template's cells apart
/// well), and compared by address first: the checks' cells are the generated code's strings.
#[derive(Clone, Copy)]
struct Key(CellId);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
        let (a, b) = (self.0, other.0);
        same(a.row, b.row) && same(a.column, b.column) && same(a.table, b.table)
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The last eight bytes (or fewer) of a name, as a number.
        fn end(s: &str) -> u64 {
            let b = s.as_bytes();
            match b.last_chunk::<8>() {
                Some(last) => u64::from_le_bytes(*last),
                None => b.iter().fold(0, |n, &x| n << 8 | u64::from(x)),
            }
        }
        let CellId { table, row, column } = self.0;
        state.write_usize(table.len() << 16 | row.len() << 8 | column.len());
        state.write_u64(end(row));
        state.write_u64(end(column));
    }
}

/// How result `i` would change if cell `c` moved by `delta`: `Some(holds)`, or `None` when
/// the cell is not in it.
fn after_change(
    index: &Index,
    r: &CheckResult,
    i: usize,
    c: Option<u32>,
    delta: i128,
) -> Option<bool> {
    let k = index.coefficient(i, c)?;
    Some(r.cmp.holds(r.left - r.right + k * delta, 0))
}

/// The change of cell `c` equality result `i` asks for, if `c` is in it.
fn needed_delta(index: &Index, r: &CheckResult, i: usize, c: Option<u32>) -> Option<i128> {
    if r.cmp != Cmp::Eq {
        return None;
    }
    // left - right + k * delta == 0, k = ±1.
    Some(-(r.left - r.right) * index.coefficient(i, c)?)
}

/// Group the failing report-scope results of `results` by shared cells and find, for each
/// group, the single cell that explains it.
///
/// ```
/// use xxgk_model::{Report, Edition, cell::Cell};
/// use xxgk_validate::localise::{localise, Fix};
/// let mut r = Report::new(Edition::E2021);
/// for (column, n) in [("upheld", 2), ("corrected", 1), ("other", 0), ("pending", 0), ("total", 4)] {
///     *r.tables.cell_mut("review_litigation", "administrative_review", column).unwrap() = Cell::count(n);
/// }
/// let results = r.check();
/// let findings = localise(&r, &results);
/// // Any of the five cells could be the wrong one: 2+1+0+0 = 4 fails whichever moves.
/// assert!(matches!(findings[0].fix, Fix::Ambiguous(ref c) if c.len() == 5));
/// ```
pub fn localise(report: &Report, results: &[CheckResult]) -> Vec<Finding> {
    let failing: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.outcome == Outcome::Fail && r.constraint.scope == Scope::Report)
        .map(|(i, _)| i)
        .collect();
    if failing.is_empty() {
        return Vec::new();
    }
    let index = Index::new(results, &failing);
    // Union-find over failing results that share a cell.
    let mut parent: Vec<usize> = (0..failing.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // The first failing result each cell is in, by the cell's number.
    let mut owner: Vec<Option<usize>> = vec![None; index.number.len()];
    for (k, &i) in failing.iter().enumerate() {
        for &(c, _) in index.cells_of(i) {
            let Some(slot) = owner.get_mut(c as usize) else {
                continue;
            };
            match *slot {
                Some(other) => {
                    let (a, b) = (root(&mut parent, k), root(&mut parent, other));
                    parent[a] = b;
                }
                None => *slot = Some(k),
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, &i) in failing.iter().enumerate() {
        let r = root(&mut parent, k);
        groups.entry(r).or_default().push(i);
    }
    let mut trial = Trial::new(report, results);
    let mut findings: Vec<Finding> = groups
        .into_values()
        .map(|group| Finding {
            fix: explain(report, results, &index, &mut trial, &group),
            failing: group,
        })
        .collect();
    // Groups no single cell explains, table by table: is there exactly one pair of cells?
    let mut tables: Vec<&str> = findings
        .iter()
        .filter(|f| f.fix == Fix::Unexplained)
        .filter_map(|f| results[f.failing[0]].constraint.table)
        .collect();
    tables.dedup();
    for table in tables {
        let members: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.fix == Fix::Unexplained && results[f.failing[0]].constraint.table == Some(table)
            })
            .map(|(k, _)| k)
            .collect();
        let failing: Vec<usize> = members
            .iter()
            .flat_map(|&k| findings[k].failing.clone())
            .collect();
        let fix = match explain_pair(report, results, &index, &mut trial, &failing) {
            Pairs::One(pair) => Fix::Pair(pair),
            Pairs::Several => Fix::SeveralPairs,
            Pairs::None => continue,
        };
        // One finding for the table's unexplained failures.
        for &k in members.iter().rev() {
            findings.remove(k);
        }
        findings.push(Finding { failing, fix });
    }
    findings
}

enum Pairs {
    One([(CellId, Option<i64>, i64); 2]),
    Several,
    None,
}

/// The pairs of cells whose correction makes every `failing` result hold and keeps every
/// passing one.
fn explain_pair(
    report: &Report,
    results: &[CheckResult],
    index: &Index,
    trial: &mut Trial,
    failing: &[usize],
) -> Pairs {
    const MAX_CELLS: usize = 80;
    let mut cells: Vec<CellId> = Vec::new();
    let mut numbers: Vec<Option<u32>> = Vec::new();
    for &i in failing {
        for t in results[i]
            .terms
            .iter()
            .filter(|t| !t.previous && t.reading != Reading::Unknown)
        {
            let n = index.of(t.cell);
            if !numbers.contains(&n) {
                cells.push(t.cell);
                numbers.push(n);
            }
        }
    }
    if cells.len() > MAX_CELLS {
        return Pairs::None;
    }
    // Each cell's coefficient in each result's (left - right), where present: found once
    // here, not for every pair (there are up to 80 × 79 / 2 of them).
    let in_failing: Vec<Vec<Option<i128>>> = failing
        .iter()
        .map(|&i| numbers.iter().map(|&c| index.coefficient(i, c)).collect())
        .collect();
    // For each cell, the results (all of them, in order) it is in, with its coefficient.
    let mentions: Vec<&[(usize, i128)]> = numbers.iter().map(|&c| index.mentions(c)).collect();
    let mut found: Vec<[(CellId, Option<i64>, i64); 2]> = Vec::new();
    for (x, &a) in cells.iter().enumerate() {
        for (y, &b) in cells.iter().enumerate().skip(x + 1) {
            // Equalities with one of the two cells fix its change.
            let (mut da, mut db) = (None::<i128>, None::<i128>);
            let mut consistent = true;
            for (f, &i) in failing.iter().enumerate() {
                if !consistent {
                    break;
                }
                let r = &results[i];
                let d = r.left - r.right;
                match (in_failing[f][x], in_failing[f][y]) {
                    (None, None) => consistent = false,
                    (Some(ka), None) if r.cmp == Cmp::Eq => {
                        consistent &= *da.get_or_insert(-d * ka) == -d * ka
                    }
                    (None, Some(kb)) if r.cmp == Cmp::Eq => {
                        consistent &= *db.get_or_insert(-d * kb) == -d * kb
                    }
                    _ => {}
                }
            }
            if !consistent {
                continue;
            }
            // A result with both cells can give the other change.
            for (f, &i) in failing.iter().enumerate() {
                let r = &results[i];
                if r.cmp != Cmp::Eq {
                    continue;
                }
                let d = r.left - r.right;
                match (in_failing[f][x], in_failing[f][y], da, db) {
                    (Some(ka), Some(kb), Some(ca), None) => db = Some((-d - ka * ca) * kb),
                    (Some(ka), Some(kb), None, Some(cb)) => da = Some((-d - kb * cb) * ka),
                    _ => {}
                }
            }
            let (Some(da), Some(db)) = (da, db) else {
                continue;
            };
            if da == 0 || db == 0 {
                continue;
            }
            // Every result with either cell must hold after both changes (the others do not
            // move); the two cells' lists of results are walked together.
            let holds = |i: usize, ka: Option<i128>, kb: Option<i128>| {
                let r = &results[i];
                r.outcome == Outcome::NotAssessable
                    || r.cmp.holds(
                        r.left - r.right + ka.unwrap_or(0) * da + kb.unwrap_or(0) * db,
                        0,
                    )
            };
            let (ma, mb) = (mentions[x], mentions[y]);
            let (mut p, mut q) = (0, 0);
            let mut ok = true;
            while ok && (p < ma.len() || q < mb.len()) {
                match (ma.get(p), mb.get(q)) {
                    (Some(&(i, ka)), Some(&(j, kb))) if i == j => {
                        ok = holds(i, Some(ka), Some(kb));
                        p += 1;
                        q += 1;
                    }
                    (Some(&(i, ka)), Some(&(j, _))) if i < j => {
                        ok = holds(i, Some(ka), None);
                        p += 1;
                    }
                    (Some(&(i, ka)), None) => {
                        ok = holds(i, Some(ka), None);
                        p += 1;
                    }
                    (_, Some(&(j, kb))) => {
                        ok = holds(j, None, Some(kb));
                        q += 1;
                    }
                    (None, None) => break,
                }
            }
            if !ok {
                continue;
            }
            let (pa, pb) = (printed(report, a), printed(report, b));
            let (ia, ib) = (
                i128::from(pa.unwrap_or(0)) + da,
                i128::from(pb.unwrap_or(0)) + db,
            );
            if ia < 0 || ib < 0 {
                continue;
            }
            let (Ok(ia), Ok(ib)) = (i64::try_from(ia), i64::try_from(ib)) else {
                continue;
            };
            if !trial.fixes_table(&[(a, ia), (b, ib)]) {
                continue;
            }
            found.push([(a, pa, ia), (b, pb, ib)]);
            if found.len() > 1 {
                return Pairs::Several;
            }
        }
    }
    found.pop().map_or(Pairs::None, Pairs::One)
}

fn explain(
    report: &Report,
    results: &[CheckResult],
    index: &Index,
    trial: &mut Trial,
    group: &[usize],
) -> Fix {
    // Candidates: cells in every failing result of the group.
    let first = &results[group[0]];
    let candidates: Vec<CellId> = first
        .terms
        .iter()
        .filter(|t| !t.previous && t.reading != Reading::Unknown)
        .map(|t| t.cell)
        .filter(|c| {
            let c = index.of(*c);
            group.iter().all(|&i| index.coefficient(i, c).is_some())
        })
        .collect();
    let mut fits: Vec<(CellId, i64)> = Vec::new();
    for cell in candidates {
        let c = index.of(cell);
        // The equalities fix the change; all must agree. (Inequalities alone fix none.)
        let deltas: Vec<i128> = group
            .iter()
            .filter_map(|&i| needed_delta(index, &results[i], i, c))
            .collect();
        let Some(&delta) = deltas.first() else {
            continue;
        };
        if delta == 0 || deltas.iter().any(|d| *d != delta) {
            continue;
        }
        if group
            .iter()
            .any(|&i| after_change(index, &results[i], i, c, delta) != Some(true))
        {
            continue;
        }
        // Checks that hold now must still hold (the others with the cell).
        let breaks = index.mentions(c).iter().any(|&(i, k)| {
            let r = &results[i];
            r.outcome == Outcome::Pass && !r.cmp.holds(r.left - r.right + k * delta, 0)
        });
        if breaks {
            continue;
        }
        let printed = printed(report, cell);
        let implied = i128::from(printed.unwrap_or(0)) + delta;
        let kind = report
            .edition()
            .template()
            .table(cell.table)
            .and_then(|t| t.row(cell.row))
            .and_then(|r| r.column(cell.column))
            .map(|c| c.kind);
        if kind == Some(CellKind::Count) && implied < 0 {
            continue;
        }
        if let Ok(implied) = i64::try_from(implied) {
            fits.push((cell, implied));
        }
    }
    // The algebra above sees only checks that were assessable; confirm on a corrected copy
    // that no check of the table fails (a blank cell may have hidden one).
    fits.retain(|(cell, implied)| trial.fixes_table(&[(*cell, *implied)]));
    match fits.len() {
        0 => Fix::Unexplained,
        1 => {
            let (cell, implied) = fits[0];
            Fix::Cell {
                cell,
                printed: printed(report, cell),
                implied,
            }
        }
        _ => Fix::Ambiguous(fits),
    }
}

/// Corrections tried on a copy of the report's tables, made the first time one is tried and
/// put back after each, so a report's tables are copied once however many are tried.
struct Trial<'a> {
    report: &'a Report,
    results: &'a [CheckResult],
    copy: Option<Tables>,
}

impl<'a> Trial<'a> {
    fn new(report: &'a Report, results: &'a [CheckResult]) -> Self {
        Trial {
            report,
            results,
            copy: None,
        }
    }

    /// Does setting `changes` make every check of their table pass or stay not assessable?
    fn fixes_table(&mut self, changes: &[(CellId, i64)]) -> bool {
        let tables = self.copy.get_or_insert_with(|| self.report.tables.clone());
        let mut before: Vec<(CellId, Value)> = Vec::with_capacity(changes.len());
        let mut set = true;
        for (cell, value) in changes {
            let Some(slot) = tables.cell_mut(cell.table, cell.row, cell.column) else {
                set = false;
                break;
            };
            before.push((*cell, slot.value));
            slot.value = match u64::try_from(*value) {
                Ok(n) if !matches!(slot.value, Value::SignedCount(_)) => Value::Count(n),
                _ => Value::SignedCount(*value),
            };
        }
        let table = changes.first().map(|(c, _)| c.table);
        let holds = set && {
            let of_table = |r: &CheckResult| {
                r.constraint.table == table && r.constraint.scope == Scope::Report
            };
            if self.results.len() == tables.instance_cells().len() {
                // The results are the report's `check` (instance `i` is the `i`th): only the
                // instances of the table's constraints are evaluated again.
                self.results
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| of_table(r))
                    .all(|(i, _)| tables.instance_outcome(i) != Some(Outcome::Fail))
            } else {
                tables
                    .check()
                    .iter()
                    .all(|r| r.outcome != Outcome::Fail || !of_table(r))
            }
        };
        for (cell, value) in before.into_iter().rev() {
            if let Some(slot) = tables.cell_mut(cell.table, cell.row, cell.column) {
                slot.value = value;
            }
        }
        holds
    }
}

/// What a finding says, as a note for its diagnostics, and the suggested correction when one
/// cell explains it; `None` when nothing does.
pub fn note(report: &Report, fix: &Fix) -> Option<(Message, Option<Suggestion>)> {
    let said = |key: &str, cell: CellId, implied: i64| {
        Message::new(key)
            .arg("cell", cell)
            .arg("printed", printed_arg(report, cell))
            .arg("implied", implied)
    };
    Some(match fix {
        Fix::Cell {
            cell,
            printed,
            implied,
        } => (
            said("fix.cell", *cell, *implied),
            Some(Suggestion {
                cell: *cell,
                printed: *printed,
                implied: Some(*implied),
            }),
        ),
        Fix::Ambiguous(fits) => {
            let list: Vec<Message> = fits
                .iter()
                .map(|(c, v)| {
                    Message::new("fix.candidate")
                        .arg("cell", *c)
                        .arg("implied", *v)
                })
                .collect();
            let note = Message::new("fix.ambiguous")
                .arg("n", fits.len())
                .arg("fits", Arg::clauses(list.into_iter().map(Arg::from)));
            (note, None)
        }
        Fix::Pair([a, b]) => {
            let note = Message::new("fix.pair")
                .arg("first", said("fix.pair_cell", a.0, a.2))
                .arg("second", said("fix.pair_cell", b.0, b.2));
            (note, None)
        }
        Fix::SeveralPairs => (Message::new("fix.several_pairs"), None),
        Fix::Unexplained => return None,
    })
}

/// How a cell's printed content reads in a message: its number, `n/a` or `a blank`.
pub fn printed_arg(report: &Report, cell: CellId) -> Arg {
    match report
        .tables
        .cell(cell.table, cell.row, cell.column)
        .map(|c| c.value)
    {
        Some(Value::NotApplicable) => Message::new("printed.not_applicable").into(),
        Some(Value::Blank) | None => Message::new("printed.blank").into(),
        _ => printed(report, cell).map_or(Arg::from("?"), Arg::from),
    }
}

/// The number printed in a cell (`None` for blank or not applicable).
fn printed(report: &Report, cell: CellId) -> Option<i64> {
    match report
        .tables
        .cell(cell.table, cell.row, cell.column)
        .map(|c| c.value)
    {
        Some(Value::Count(n)) => i64::try_from(n).ok(),
        Some(Value::SignedCount(n)) => Some(n),
        _ => None,
    }
}
