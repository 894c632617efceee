//! Resolution: a row whose values do not fit its columns is placed by every order-keeping
//! alignment (and reading of extraction slips and digit runs) the table's constraints accept;
//! a cell is set only when every accepted placement agrees.

use super::*;
use crate::tuning::TUNING;

/// A cell to set: where, from which fragment.
pub(super) struct Pending<'a> {
    pub(super) table: &'static str,
    pub(super) row: &'static str,
    pub(super) columns: &'static [Column],
    pub(super) location: Location,
    pub(super) label: String,
    pub(super) values: Vec<&'a Fragment>,
}

/// A candidate placement of a row's values: an alignment (for each target, the value put
/// there, if any), or a reading of them as a slip, as the cells it gives.
enum Candidate<'c> {
    Aligned(&'c [Option<usize>]),
    Read(Vec<Cell>),
}

/// The (row, column) of every cell a pending placement covers.
pub(super) fn targets(
    p: &Pending<'_>,
    template: &Template,
) -> Vec<(&'static str, &'static Column)> {
    if !p.row.is_empty() {
        return p.columns.iter().map(|c| (p.row, c)).collect();
    }
    let Some(t) = template.table(p.table) else {
        return Vec::new();
    };
    t.rows
        .iter()
        .flat_map(|r| r.columns.iter().map(move |c| (r.path, c)))
        .collect()
}

/// Every order-keeping way to put `k` values into `n` slots (k < n: some slots empty; k > n:
/// some values dropped), at most `limit` of them.
pub(super) fn alignments(k: usize, n: usize, limit: usize) -> Option<Vec<Vec<Option<usize>>>> {
    let mut out = Vec::new();
    pub(super) fn choose(
        start: usize,
        total: usize,
        want: usize,
        acc: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
        limit: usize,
    ) -> bool {
        if acc.len() == want {
            out.push(acc.clone());
            return out.len() <= limit;
        }
        for i in start..total {
            if total - i < want - acc.len() {
                break;
            }
            acc.push(i);
            if !choose(i + 1, total, want, acc, out, limit) {
                return false;
            }
            acc.pop();
        }
        true
    }
    let mut picks = Vec::new();
    if k <= n {
        // Choose which slots get the values.
        if !choose(0, n, k, &mut Vec::new(), &mut picks, limit) {
            return None;
        }
        for slots in picks {
            let mut a = vec![None; n];
            for (v, s) in slots.into_iter().enumerate() {
                a[s] = Some(v);
            }
            out.push(a);
        }
    } else {
        // Choose which values to keep.
        if !choose(0, k, n, &mut Vec::new(), &mut picks, limit) {
            return None;
        }
        for keep in picks {
            out.push(keep.into_iter().map(Some).collect());
        }
    }
    Some(out)
}

/// The common extraction slips, as alternative readings of a row's values: with one value too
/// many, two neighbours that are one number split in two (`12` `88` → 1288); with one too
/// few, a value that is two numbers run together (`2112` → 21 12). Each reading is `n` texts
/// with their raw text and position, and a note saying what it assumes.
/// A reading of a row's values: each value's text, raw text and position, and what it assumes.
pub(super) type Reading = (Vec<(String, String, Location)>, Message);

pub(super) fn slips(values: &[&Fragment], n: usize) -> Vec<Reading> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let plain: Vec<(String, String, Location)> = values
        .iter()
        .map(|f| (f.text.clone(), f.raw.clone(), f.location))
        .collect();
    let mut out = Vec::new();
    if values.len() == n + 1 {
        for i in 0..values.len() - 1 {
            let (a, b) = (&values[i].text, &values[i + 1].text);
            if digits(a) && digits(b) && !a.starts_with('0') {
                let mut texts = plain.clone();
                texts[i] = (
                    format!("{a}{b}"),
                    format!("{} {}", values[i].raw, values[i + 1].raw),
                    values[i].location,
                );
                texts.remove(i + 1);
                out.push((
                    texts,
                    Message::new("slip.split_number")
                        .arg("a", a.as_str())
                        .arg("b", b.as_str())
                        .arg("joined", format!("{a}{b}")),
                ));
            }
        }
    } else if values.len() + 1 == n {
        for i in 0..values.len() {
            let t = &values[i].text;
            if !digits(t) || t.len() < 2 || t.len() > 12 {
                continue;
            }
            for cut in 1..t.len() {
                let (a, b) = t.split_at(cut);
                if b.starts_with('0') && b.len() > 1 {
                    continue;
                }
                let mut texts = plain.clone();
                texts[i] = (a.to_owned(), values[i].raw.clone(), values[i].location);
                texts.insert(
                    i + 1,
                    (b.to_owned(), values[i].raw.clone(), values[i].location),
                );
                out.push((
                    texts,
                    Message::new("slip.run_together")
                        .arg("text", t.as_str())
                        .arg("a", a)
                        .arg("b", b),
                ));
            }
        }
    }
    out
}

/// Readings of a row whose values are two or more fewer than its columns and one of which is a
/// run of digits with at least as many digits as the cells it must hold (a crawler dump): the
/// run cut into numbers (no leading zeros) for every way of leaving some of those cells blank,
/// since a dump leaves no trace of a blank cell. Empty when the run is too short for that, or
/// when the readings would be more than [`Tuning::max_digit_splits`]: only a complete set
/// can be trusted.
///
/// [`Tuning::max_digit_splits`]: crate::tuning::Tuning::max_digit_splits
pub(super) fn digit_run_splits(values: &[&Fragment], n: usize) -> Vec<Reading> {
    let k = values.len();
    // One cell missing is the common slip `slips` reads; a dump misses more.
    if k == 0 || k + 1 >= n {
        return Vec::new();
    }
    let Some(r) = values
        .iter()
        .enumerate()
        .filter(|(_, f)| f.text.len() >= 2 && f.text.bytes().all(|b| b.is_ascii_digit()))
        .max_by_key(|(_, f)| f.text.len())
        .map(|(i, _)| i)
    else {
        return Vec::new();
    };
    let run = values[r].text.as_str();
    let parts = n - k + 1;
    if run.len() < parts {
        return Vec::new();
    }
    let mut out: Vec<Reading> = Vec::new();
    for pieces in (1..=parts).rev() {
        let cuts = compositions(run, pieces, TUNING.max_digit_splits + 1);
        for cut in cuts {
            // The blank cells: every choice of `parts - pieces` of the `parts` places.
            for blanks in choices(parts, parts - pieces) {
                let mut numbers = cut.iter();
                let split: Vec<String> = (0..parts)
                    .map(|slot| {
                        if blanks.contains(&slot) {
                            String::new()
                        } else {
                            numbers.next().cloned().unwrap_or_default()
                        }
                    })
                    .collect();
                let mut texts: Vec<(String, String, Location)> = Vec::with_capacity(n);
                for (i, f) in values.iter().enumerate() {
                    if i == r {
                        texts.extend(split.iter().map(|t| (t.clone(), f.raw.clone(), f.location)));
                    } else {
                        texts.push((f.text.clone(), f.raw.clone(), f.location));
                    }
                }
                out.push((
                    texts,
                    Message::new("slip.digit_run")
                        .arg("run", run)
                        .arg("parts", parts),
                ));
                if out.len() > TUNING.max_digit_splits {
                    return Vec::new();
                }
            }
        }
    }
    out
}

/// Every choice of `k` of the numbers `0..n`, in increasing order.
pub(super) fn choices(n: usize, k: usize) -> Vec<Vec<usize>> {
    pub(super) fn go(
        start: usize,
        n: usize,
        k: usize,
        acc: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if acc.len() == k {
            out.push(acc.clone());
            return;
        }
        for i in start..n {
            acc.push(i);
            go(i + 1, n, k, acc, out);
            acc.pop();
        }
    }
    let mut out = Vec::new();
    go(0, n, k, &mut Vec::new(), &mut out);
    out
}

/// The ways to cut `digits` into `pieces` numbers without leading zeros, at most `limit`.
pub(super) fn compositions(digits: &str, pieces: usize, limit: usize) -> Vec<Vec<String>> {
    pub(super) fn go(
        rest: &str,
        pieces: usize,
        acc: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        if pieces == 1 {
            if rest.len() == 1 || !rest.starts_with('0') {
                acc.push(rest.to_owned());
                out.push(acc.clone());
                acc.pop();
            }
            return;
        }
        let max = rest.len() - (pieces - 1);
        for len in 1..=max {
            let head = &rest[..len];
            if len > 1 && head.starts_with('0') {
                break;
            }
            acc.push(head.to_owned());
            go(&rest[len..], pieces - 1, acc, out, limit);
            acc.pop();
        }
    }
    let mut out = Vec::new();
    if !digits.is_empty() && digits.len() >= pieces {
        go(digits, pieces, &mut Vec::new(), &mut out, limit);
    }
    out
}

/// The report-scope check instances of `tables`' edition that read a cell `wanted` accepts.
fn instances_reading(tables: &Tables, wanted: impl Fn(&CellId) -> bool) -> Vec<usize> {
    tables
        .instance_cells()
        .iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(&wanted))
        .map(|(i, _)| i)
        .collect()
}

/// The check instances reading a cell of `targets` (those of `p`), kept per thread: they
/// depend on the edition and the pending row only, and the same rows are pending report
/// after report.
fn relevant_instances(
    p: &Pending<'_>,
    tables: &Tables,
    targets: &[(&'static str, &'static Column)],
) -> std::rc::Rc<[usize]> {
    /// Edition (its instances' address), table, row, columns (address, length).
    type Key = (usize, &'static str, &'static str, usize, usize);
    thread_local! {
        static READING: std::cell::RefCell<rustc_hash::FxHashMap<Key, std::rc::Rc<[usize]>>> =
            std::cell::RefCell::default();
    }
    let key: Key = (
        tables.instance_cells().as_ptr() as usize,
        p.table,
        p.row,
        p.columns.as_ptr() as usize,
        p.columns.len(),
    );
    if let Some(known) = READING.with_borrow(|m| m.get(&key).cloned()) {
        return known;
    }
    let found: std::rc::Rc<[usize]> = instances_reading(tables, |cell| {
        cell.table == p.table
            && targets
                .iter()
                .any(|(row, col)| cell.row == *row && cell.column == col.id)
    })
    .into();
    READING.with_borrow_mut(|m| {
        // The templates' rows are few; bounded all the same.
        if m.len() >= 1024 {
            m.clear();
        }
        m.insert(key, found.clone());
    });
    found
}

/// Whether one of the check instances `which` fails on `tables`.
fn fails(tables: &Tables, which: &[usize]) -> bool {
    which
        .iter()
        .any(|&i| tables.instance_outcome(i) == Some(Outcome::Fail))
}

/// Place a row whose values do not fit its columns by trying every alignment against the
/// table's constraints.
/// Returns whether every cell was settled (placed, or said to be lost); `false` when some
/// stay undetermined, so that another pass may settle them with more of the table known.
pub(super) fn resolve(
    p: &Pending<'_>,
    tables: &mut Tables,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let template = tables.edition().template();
    let targets = targets(p, template);
    let what = if p.row.is_empty() {
        Arg::table(p.table)
    } else {
        Arg::row(p.table, p.row)
    };
    let ids: Vec<CellId> = targets
        .iter()
        .map(|(r, c)| CellId::new(p.table, r, c.id))
        .collect();
    let (k, n) = (p.values.len(), targets.len());
    let head = if p.label.is_empty() {
        Message::new("resolve.head_unlabelled")
    } else {
        Message::new("resolve.head").arg("label", p.label.as_str())
    }
    .arg("row", what)
    .arg("values", k)
    .arg("columns", n);
    // The message: clauses after the head, in the reader's language.
    let say = |clauses: Vec<Arg>| {
        Message::new("clauses").arg(
            "clauses",
            Arg::clauses(std::iter::once(Arg::from(head.clone())).chain(clauses)),
        )
    };
    let Some(candidates) = alignments(k, n, TUNING.max_alignments) else {
        diagnostics.push(
            Diagnostic::new(
                codes::ROW_VALUES_AMBIGUOUS,
                Severity::Error,
                say(vec![Message::new("resolve.too_many").into()]),
            )
            .at(p.location)
            .with_cells(ids),
        );
        return true;
    };
    // Every candidate placement, as the cells it gives; a note says when it reads the values
    // as an extraction slip (one number split over two cells, or two numbers run together).
    // Each value is read under each column once: a candidate's cells are among those. Only
    // the value is kept: the trials read nothing else, and the cell with its source is made
    // for the placement written (`under[i * k + v]` is value `v` under target `i`).
    let mut scratch = Vec::new();
    let under: Vec<Value> = targets
        .iter()
        .flat_map(|(_, col)| {
            p.values
                .iter()
                .map(|f| parse_value(&f.text, col.kind, col.unit).unwrap_or(Value::Unknown))
        })
        .collect();
    // The cell `cell_of` gives for `under[index]`, its source included.
    let under_cell = |index: usize| -> Option<Cell> {
        // `under` holds `k` values per target: index `i * k + v` is value `v`.
        let value = *under.get(index)?;
        let f = p.values.get(index.checked_rem(k)?)?;
        Some(Cell::from(value).with_source(f.raw.clone(), Some(f.location)))
    };
    let mut placements: Vec<(Candidate<'_>, Option<Message>)> = candidates
        .iter()
        .map(|cand| (Candidate::Aligned(cand), None))
        .collect();
    // A reading (values re-cut as an extraction slip or a digit run) as the cells it gives.
    let mut read = |(texts, note): Reading| -> (Candidate<'_>, Option<Message>) {
        let cells = targets
            .iter()
            .zip(texts)
            .map(|((row, col), (text, raw, location))| {
                let f = Fragment::plain(text, raw, location);
                cell_of(&f, col, &mut scratch, CellId::new(p.table, row, col.id))
            })
            .collect();
        (Candidate::Read(cells), Some(note))
    };
    placements.extend(slips(&p.values, n).into_iter().map(&mut read));
    // A run of digits holding several cells (a crawler dump): if some ways of splitting it
    // satisfy the constraints, only those are read; otherwise the values are placed as printed.
    let splits: Vec<(Candidate<'_>, Option<Message>)> = digit_run_splits(&p.values, n)
        .into_iter()
        .map(&mut read)
        .collect();
    // The cell a placement gives target `i`, if it has one.
    let cell = |placement: &Candidate<'_>, i: usize| -> Option<Cell> {
        match placement {
            Candidate::Aligned(cand) => cand.get(i).map(|v| match v {
                Some(v) => under_cell(i * k + v).unwrap_or_else(|| Cell::from(Value::Unknown)),
                None => Cell::from(Value::Unknown),
            }),
            Candidate::Read(cells) => cells.get(i).cloned(),
        }
    };
    // Its value, without the cell's source.
    let value = |placement: &Candidate<'_>, i: usize| -> Option<Value> {
        match placement {
            Candidate::Aligned(cand) => cand.get(i).map(|v| match v {
                Some(v) => under.get(i * k + v).copied().unwrap_or(Value::Unknown),
                None => Value::Unknown,
            }),
            Candidate::Read(cells) => cells.get(i).map(|c| c.value),
        }
    };
    // A placement is rejected when an instance reading one of its cells fails; only those
    // instances are evaluated, and only values written (the checks read nothing else).
    let relevant = relevant_instances(p, tables, &targets);
    let mut trial = tables.clone();
    let mut holds = |placement: &Candidate<'_>| {
        for (i, (row, col)) in targets.iter().enumerate() {
            let Some(v) = value(placement, i) else {
                break;
            };
            if let Some(slot) = trial.cell_mut(p.table, row, col.id) {
                slot.value = v;
            }
        }
        !fails(&trial, &relevant)
    };
    let fitting_splits: Vec<(Candidate<'_>, Option<Message>)> = splits
        .into_iter()
        .filter(|(cells, _)| holds(cells))
        .collect();
    if !fitting_splits.is_empty() {
        placements = fitting_splits;
    }
    let mut consistent: Vec<Candidate<'_>> = Vec::new();
    let mut slip_notes: Vec<Message> = Vec::new();
    for (cells, note) in placements {
        if holds(&cells) {
            if let Some(note) = note
                && !slip_notes.contains(&note)
            {
                slip_notes.push(note);
            }
            consistent.push(cells);
        }
    }
    let mut clauses: Vec<Arg> = slip_notes.into_iter().map(Arg::from).collect();
    let location = p.location;
    match consistent.len() {
        0 => {
            clauses.push(Message::new("resolve.none").into());
            diagnostics.push(
                Diagnostic::new(codes::ROW_VALUES_AMBIGUOUS, Severity::Error, say(clauses))
                    .at(location)
                    .with_cells(ids),
            );
            true
        }
        count => {
            // A cell is known when every acceptable placement gives it the same known value;
            // a cell no placement gives a value was lost, one they disagree on is undetermined.
            let (mut lost, mut undetermined) = (Vec::new(), Vec::new());
            for (i, (row, col)) in targets.iter().enumerate() {
                let first = value(&consistent[0], i);
                let agreed = consistent.iter().all(|c| value(c, i) == first);
                if let Some(slot) = tables.cell_mut(p.table, row, col.id) {
                    *slot = match cell(&consistent[0], i) {
                        Some(first) if agreed => first,
                        _ => Cell::from(Value::Unknown),
                    };
                }
                if !agreed {
                    undetermined.push(ids[i]);
                } else if first.is_none_or(|v| v == Value::Unknown) {
                    lost.push(ids[i]);
                }
            }
            let how = if count == 1 {
                Message::new("resolve.one")
            } else {
                Message::new("resolve.many").arg("n", count)
            };
            let lost_clause = (!lost.is_empty())
                .then(|| Arg::from(Message::new("resolve.lost").arg("cells", lost.clone())));
            if undetermined.is_empty() {
                let placed = if count == 1 {
                    "resolve.placed_by_one"
                } else {
                    "resolve.placed_alike"
                };
                clauses.extend([how.into(), Message::new(placed).into()]);
                clauses.extend(lost_clause);
                diagnostics.push(
                    Diagnostic::new(codes::ROW_VALUES_RESOLVED, Severity::Warning, say(clauses))
                        .at(location)
                        .with_cells(ids),
                );
                true
            } else {
                let disagree = Message::new("resolve.disagree")
                    .arg("how", how)
                    .arg("cells", undetermined.clone());
                clauses.push(disagree.into());
                clauses.extend(lost_clause);
                diagnostics.push(
                    Diagnostic::new(codes::ROW_VALUES_AMBIGUOUS, Severity::Error, say(clauses))
                        .at(location)
                        .with_cells(undetermined.into_iter().chain(lost)),
                );
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(text: &str) -> Fragment {
        Fragment {
            text: text.to_owned(),
            raw: text.to_owned(),
            location: Location::new(1, 1),
            x: 0,
            span: 1,
            continued: false,
        }
    }

    #[test]
    fn digit_runs_are_cut_every_way_with_blank_cells_anywhere() {
        // No number with a leading zero: `1|2|01` is no reading.
        assert_eq!(
            compositions("1201", 3, 100),
            [["1", "20", "1"], ["12", "0", "1"]]
        );
        assert_eq!(choices(3, 1), [[0], [1], [2]]);
        let run = fragment("13201117");
        let readings = digit_run_splits(&[&run], 7);
        // Every reading has seven cells and uses every digit in order.
        assert!(!readings.is_empty());
        for (texts, _) in &readings {
            assert_eq!(texts.len(), 7);
            assert_eq!(
                texts.iter().map(|t| t.0.as_str()).collect::<String>(),
                "13201117"
            );
        }
        assert!(readings.iter().any(|(t, _)| {
            t.iter()
                .map(|x| x.0.as_str())
                .eq(["1", "3", "2", "0", "1", "1", "17"])
        }));
        // Too short a run, or one cell missing (a slip, read elsewhere): no reading.
        assert!(digit_run_splits(&[&fragment("19")], 3).is_empty());
        assert!(digit_run_splits(&[&fragment("1"), &fragment("23")], 3).is_empty());
    }

    #[test]
    fn alignments_keep_the_order() {
        let a = alignments(2, 3, 100).unwrap();
        assert_eq!(a.len(), 3);
        assert!(a.contains(&vec![Some(0), None, Some(1)]));
        assert!(alignments(10, 40, 5).is_none(), "over the limit");
    }
}
