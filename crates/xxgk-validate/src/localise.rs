//! Which cell is wrong? When checks fail, find the single cell whose correction makes every
//! failing check of its group hold without breaking a passing one, and say what the other
//! cells imply for it. When several cells fit equally, say so and suggest none. Nothing in the
//! report is changed: a suggestion is a diagnostic.

use std::collections::BTreeMap;
use xxgk_model::Report;
use xxgk_model::cell::{CellId, CellKind, Value};
use xxgk_model::check::{CheckResult, Cmp, Outcome, Reading, Scope};
use xxgk_model::diagnostic::Suggestion;
use xxgk_model::message::{Arg, Message};

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

/// The sign `cell` carries in a result's `left - right` (its coefficient, negated on the
/// right side); `None` when the cell is not in it.
fn coefficient(r: &CheckResult, cell: CellId) -> Option<i128> {
    let (i, t) = r
        .terms
        .iter()
        .enumerate()
        .find(|(_, t)| t.cell == cell && !t.previous)?;
    Some(i128::from(t.coefficient) * if i < r.left_terms { 1 } else { -1 })
}

/// How one result would change if `cell` moved by `delta`: `Some(holds)`, or `None` when the
/// cell is not in it.
fn after_change(r: &CheckResult, cell: CellId, delta: i128) -> Option<bool> {
    let k = coefficient(r, cell)?;
    Some(r.cmp.holds(r.left - r.right + k * delta, 0))
}

/// The change of `cell` an equality result asks for, if `cell` is in it.
fn needed_delta(r: &CheckResult, cell: CellId) -> Option<i128> {
    if r.cmp != Cmp::Eq {
        return None;
    }
    // left - right + k * delta == 0, k = ±1.
    Some(-(r.left - r.right) * coefficient(r, cell)?)
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
    // Union-find over failing results that share a cell.
    let mut parent: Vec<usize> = (0..failing.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: BTreeMap<CellId, usize> = BTreeMap::new();
    for (k, &i) in failing.iter().enumerate() {
        for t in results[i].terms.iter().filter(|t| !t.previous) {
            match owner.get(&t.cell) {
                Some(&other) => {
                    let (a, b) = (root(&mut parent, k), root(&mut parent, other));
                    parent[a] = b;
                }
                None => {
                    owner.insert(t.cell, k);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, &i) in failing.iter().enumerate() {
        let r = root(&mut parent, k);
        groups.entry(r).or_default().push(i);
    }
    let mut findings: Vec<Finding> = groups
        .into_values()
        .map(|group| Finding {
            fix: explain(report, results, &group),
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
        let fix = match explain_pair(report, results, &failing) {
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
fn explain_pair(report: &Report, results: &[CheckResult], failing: &[usize]) -> Pairs {
    const MAX_CELLS: usize = 80;
    let mut cells: Vec<CellId> = Vec::new();
    for &i in failing {
        for t in results[i]
            .terms
            .iter()
            .filter(|t| !t.previous && t.reading != Reading::Unknown)
        {
            if !cells.contains(&t.cell) {
                cells.push(t.cell);
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
        .map(|&i| cells.iter().map(|&c| coefficient(&results[i], c)).collect())
        .collect();
    // For each cell, the results (all of them, in order) it is in, with its coefficient.
    let mut mentions: Vec<Vec<(usize, i128)>> = vec![Vec::new(); cells.len()];
    for (i, r) in results.iter().enumerate() {
        for (x, &c) in cells.iter().enumerate() {
            if let Some(k) = coefficient(r, c) {
                mentions[x].push((i, k));
            }
        }
    }
    let mut found: Vec<[(CellId, Option<i64>, i64); 2]> = Vec::new();
    for (x, &a) in cells.iter().enumerate() {
        for (y, &b) in cells.iter().enumerate().skip(x + 1) {
            // Equalities with one of the two cells fix its change.
            let (mut da, mut db) = (None::<i128>, None::<i128>);
            let mut consistent = true;
            for (f, &i) in failing.iter().enumerate() {
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
            let (ma, mb) = (&mentions[x], &mentions[y]);
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
            if !fixes_table(report, &[(a, ia), (b, ib)]) {
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

fn explain(report: &Report, results: &[CheckResult], group: &[usize]) -> Fix {
    // Candidates: cells in every failing result of the group.
    let first = &results[group[0]];
    let candidates: Vec<CellId> = first
        .terms
        .iter()
        .filter(|t| !t.previous && t.reading != Reading::Unknown)
        .map(|t| t.cell)
        .filter(|c| {
            group
                .iter()
                .all(|&i| results[i].terms.iter().any(|t| t.cell == *c && !t.previous))
        })
        .collect();
    let mut fits: Vec<(CellId, i64)> = Vec::new();
    for cell in candidates {
        // The equalities fix the change; all must agree. (Inequalities alone fix none.)
        let deltas: Vec<i128> = group
            .iter()
            .filter_map(|&i| needed_delta(&results[i], cell))
            .collect();
        let Some(&delta) = deltas.first() else {
            continue;
        };
        if delta == 0 || deltas.iter().any(|d| *d != delta) {
            continue;
        }
        if group
            .iter()
            .any(|&i| after_change(&results[i], cell, delta) != Some(true))
        {
            continue;
        }
        // Checks that hold now must still hold.
        let breaks = results
            .iter()
            .any(|r| r.outcome == Outcome::Pass && after_change(r, cell, delta) == Some(false));
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
    fits.retain(|(cell, implied)| fixes_table(report, &[(*cell, *implied)]));
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

/// Does setting `changes` make every check of their table pass or stay not assessable?
fn fixes_table(report: &Report, changes: &[(CellId, i64)]) -> bool {
    let mut tables = report.tables.clone();
    for (cell, value) in changes {
        let Some(slot) = tables.cell_mut(cell.table, cell.row, cell.column) else {
            return false;
        };
        slot.value = match u64::try_from(*value) {
            Ok(n) if !matches!(slot.value, Value::SignedCount(_)) => Value::Count(n),
            _ => Value::SignedCount(*value),
        };
    }
    let table = changes.first().map(|(c, _)| c.table);
    tables.check().iter().all(|r| {
        r.outcome != Outcome::Fail
            || r.constraint.table != table
            || r.constraint.scope != Scope::Report
    })
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
