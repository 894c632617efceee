//! Rows: printed rows split into label and cells, aligned with the template's rows by a
//! monotone dynamic programme over label scores; a group of rows may be printed as one row.

use super::*;
use crate::tuning::TUNING;

/// A printed row split into label text and value cells.
#[derive(Debug, Clone)]
pub(super) struct Printed<'a> {
    pub(super) row: &'a Row,
    pub(super) label: String,
    /// The label's [`core()`], computed once.
    pub(super) label_core: Vec<char>,
    /// Cells after the label: values and (for grids) blank cells.
    pub(super) data: Vec<&'a Fragment>,
}

impl<'a> Printed<'a> {
    pub(super) fn values(&self) -> impl Iterator<Item = &'a Fragment> + '_ {
        self.data.iter().copied().filter(|f| !f.text.is_empty())
    }

    pub(super) fn has_values(&self) -> bool {
        self.values().next().is_some()
    }
}

/// Whether `t` reads as (part of) a label: not a value, and at least two characters that are
/// not digits once numbering is set aside — so a garbled cell such as `约5` stays a cell. Its
/// core is appended to `core` when it does.
fn label_text_core(t: &str, core: &mut Vec<char>) -> bool {
    if t.is_empty() || looks_like_value(t) || crate::value::looks_like_broken_value(t) {
        return false;
    }
    let before = core.len();
    if core.capacity() == 0 {
        // Allocated once at its size (a text's core has no more characters than it has
        // bytes, as a rule), not through the growth path of an empty vector.
        *core = Vec::with_capacity(t.len());
    }
    crate::labels::push_core(t, core);
    let letters = core.get(before..).map_or(0, |added| {
        added.iter().filter(|c| !c.is_ascii_digit()).count()
    });
    if letters < 2 {
        core.truncate(before);
        return false;
    }
    true
}

pub(super) fn printed(row: &Row) -> Printed<'_> {
    // Which fragments are label text, decided once each (it takes the text's core). The
    // label's core is its fragments' cores in turn (the core of texts joined with spaces).
    let mut label = String::new();
    let mut label_core = Vec::new();
    let mut last_label = None;
    for (i, f) in row.fragments.iter().enumerate() {
        if !f.continued && label_text_core(&f.text, &mut label_core) {
            if last_label.is_some() {
                label.push(' ');
            } else {
                // Sized for every fragment from here on, joined with spaces: allocated once,
                // not through the growth path of an empty string.
                let rest = row.fragments.get(i..).unwrap_or_default();
                label = String::with_capacity(rest.iter().map(|f| f.text.len() + 1).sum());
            }
            label.push_str(&f.text);
            last_label = Some(i);
        }
    }
    // Sized for every fragment after the label at once: a filtered collect starts at four
    // and grows, and rows of five to eight values are common.
    let after = row
        .fragments
        .get(last_label.map_or(0, |l| l + 1)..)
        .unwrap_or_default();
    let data: Vec<&Fragment> = match row.layout {
        Layout::Prose => Vec::new(),
        Layout::Grid => {
            let mut data = Vec::with_capacity(after.len());
            data.extend(after.iter().filter(|f| !f.continued));
            data
        }
        Layout::Aligned => after.iter().collect(),
    };
    // A grid row of only blank cells is still a row; a prose line has no cells at all.
    Printed {
        row,
        label,
        label_core,
        data,
    }
}

/// One template row matched to printed rows.
#[derive(Debug, Clone)]
pub(super) struct Matched {
    pub(super) template_row: usize,
    /// Indices into the region's printed rows.
    pub(super) span: std::ops::Range<usize>,
    /// The printed row whose cells are the values (the one with values, else the first with cells).
    pub(super) cells_from: usize,
    /// Set when the printed row is a whole group printed as one row: the group's rows are
    /// `template_row..template_row + group.rows`.
    pub(super) group: Option<GroupRun>,
}

/// Which of `len` printed rows the matches cover, marked span by span (not every span asked
/// about every row).
pub(super) fn covered_rows(len: usize, matches: &[Matched]) -> Vec<bool> {
    let mut covered = vec![false; len];
    for m in matches {
        for c in covered
            .get_mut(m.span.start.min(len)..m.span.end.min(len))
            .into_iter()
            .flatten()
        {
            *c = true;
        }
    }
    covered
}

/// A group whose rows are leaves, contiguous in print order: it may be printed as one row.
#[derive(Debug, Clone, Copy)]
pub(super) struct GroupRun {
    /// The group's dotted path (`outcomes.other`).
    pub(super) path: &'static str,
    pub(super) label: xxgk_model::template::Label,
    /// Its first template row.
    pub(super) first: usize,
    pub(super) rows: usize,
}

/// The groups of `table` that hold only rows (no group inside), two rows or more.
pub(super) fn group_runs(table: &Table) -> Vec<GroupRun> {
    let mut runs: Vec<GroupRun> = Vec::new();
    for (j, row) in table.rows.iter().enumerate() {
        let Some(group) = row.groups.last() else {
            continue;
        };
        // The group's path is the row's path without the row's own id.
        let Some(path) = row
            .path
            .strip_suffix(row.id)
            .and_then(|p| p.strip_suffix('.'))
        else {
            continue;
        };
        if !path.ends_with(group.id) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.path == path && run.first + run.rows == j => run.rows += 1,
            _ => runs.push(GroupRun {
                path,
                label: group.label,
                first: j,
                rows: 1,
            }),
        }
    }
    // A group is a run only if every row under its path is in the run (no nested group).
    runs.retain(|run| {
        run.rows >= 2
            && table
                .rows
                .iter()
                .filter(|r| {
                    r.path.starts_with(run.path) && r.path[run.path.len()..].starts_with('.')
                })
                .count()
                == run.rows
    });
    runs
}

/// Whether a span's row of values belongs to the span's label: it carries part of the label
/// itself, or stands between label lines (a label wrapped around its numbers). A row of bare
/// numbers after a label is not enough: converters print blocks of number rows after the
/// labels, and the first of them is not the last label's (see `sequence`).
pub(super) fn values_belong(span: &[Printed<'_>]) -> bool {
    let Some(v) = span.iter().position(Printed::has_values) else {
        return true;
    };
    !span[v].label_core.is_empty()
        || (span[..v].iter().any(|p| !p.label_core.is_empty())
            && span[v + 1..].iter().any(|p| !p.label_core.is_empty()))
}

/// A table's label patterns: one per template row, one per group that may be printed as one
/// row.
struct Patterns {
    /// The rows' patterns, then the groups'.
    all: crate::labels::Patterns,
    rows: usize,
}

/// A printed label's scores against a table's [`Patterns`], in their order.
pub(super) struct Scores {
    pub(super) rows: Vec<Option<f32>>,
    pub(super) groups: Vec<Option<f32>>,
    /// The rows with a score, in order (a label reads as few rows).
    pub(super) hits: Vec<usize>,
}

/// Labels scored, per thread: reports print the same labels, so each distinct label is
/// scored against a table's patterns once. A score depends on the label's core and numberings
/// only ([`crate::labels::Patterns::scores`]). Emptied when it holds [`SCORED_MAX`] labels, so
/// that a batch of unusual labels cannot grow it without bound.
#[derive(Default)]
struct Scored {
    /// Keyed by the table's address: templates are static.
    patterns: rustc_hash::FxHashMap<usize, std::rc::Rc<Patterns>>,
    scores: rustc_hash::FxHashMap<(usize, Vec<char>, Vec<String>), std::rc::Rc<Scores>>,
    /// The same scores by table and the printed labels of a span of rows ([`span_key`]): a
    /// span seen before costs a lookup, not its core and numberings.
    /// One map for every table: the key ends with the table's address (one lookup, not two).
    by_span: rustc_hash::FxHashMap<Box<[u8]>, std::rc::Rc<Scores>>,
    /// The key being looked up (a buffer kept from call to call).
    key: Vec<u8>,
}

/// Writes into `key` the labels of `span`, each after its length: the same key for the same
/// labels only, whatever bytes they hold.
fn span_key(key: &mut Vec<u8>, span: &[Printed<'_>]) {
    key.clear();
    for p in span {
        key.extend_from_slice(&(p.label.len() as u64).to_le_bytes());
        key.extend_from_slice(p.label.as_bytes());
    }
}

/// The scores of the label a span of printed rows spells ([`span_label`]) against `table`'s
/// patterns.
pub(super) fn span_scores(table: &'static Table, span: &[Printed<'_>]) -> std::rc::Rc<Scores> {
    let address = std::ptr::from_ref(table) as usize;
    let known = SCORED.with_borrow_mut(|scored| {
        let Scored { by_span, key, .. } = scored;
        span_key(key, span);
        // Last, so that it is told apart by position: every key ends with eight such bytes.
        key.extend_from_slice(&(address as u64).to_le_bytes());
        by_span.get(key.as_slice()).cloned()
    });
    if let Some(known) = known {
        return known;
    }
    let (label, label_core) = span_label(table, span);
    let numberings = crate::labels::numberings(&label);
    let full: Vec<char> = span
        .iter()
        .flat_map(|p| p.label_core.iter().copied())
        .collect();
    let computed = if full == label_core {
        scores(table, label_core, numberings)
    } else {
        // The labels of groups a row starts with may be its own after all (（六）其他处理
        // with an explanation after it, printed as one row): each label scores as the
        // better of the two readings.
        let own = scores(table, label_core, numberings.clone());
        let whole = scores(table, full, numberings);
        let better = |a: &[Option<f32>], b: &[Option<f32>]| -> Vec<Option<f32>> {
            a.iter()
                .zip(b)
                .map(|(x, y)| match (x, y) {
                    (Some(x), Some(y)) => Some(x.max(*y)),
                    _ => x.or(*y),
                })
                .collect()
        };
        let rows = better(&own.rows, &whole.rows);
        let hits = (0..rows.len()).filter(|&j| rows[j].is_some()).collect();
        std::rc::Rc::new(Scores {
            groups: better(&own.groups, &whole.groups),
            rows,
            hits,
        })
    };
    SCORED.with_borrow_mut(|scored| {
        let Scored { by_span, key, .. } = scored;
        if by_span.len() >= SCORED_MAX {
            by_span.clear();
        }
        by_span.insert(key.as_slice().into(), computed.clone());
    });
    computed
}

/// A printed row's label core without the labels of the table's groups it starts with: a
/// group's merged cell starts on a row's line (三、本年度办理结果 before （一）予以公开), and
/// again on the first line of each page the group runs on to. It names the row's group, not
/// the row, so it counts neither for nor against the row's own label. What is left is never
/// empty: a group printed as one row keeps its own label.
fn own_core<'c>(table: &'static Table, core: &'c [char]) -> &'c [char] {
    let groups = &super::table_cores(table).groups;
    let mut rest = core;
    while let Some(group) = groups
        .iter()
        .find(|g| g.len() >= 2 && g.len() < rest.len() && rest.starts_with(g))
    {
        rest = &rest[group.len()..];
    }
    rest
}

/// As small as the cache of cores ([`crate::labels`]), for the same reason.
const SCORED_MAX: usize = 1024;

thread_local! {
    static SCORED: std::cell::RefCell<Scored> = std::cell::RefCell::default();
}

/// The scores of a printed label (core `t`, numberings `found`) against `table`'s patterns.
pub(super) fn scores(
    table: &'static Table,
    t: Vec<char>,
    found: Vec<String>,
) -> std::rc::Rc<Scores> {
    let key = std::ptr::from_ref(table) as usize;
    SCORED.with_borrow_mut(|scored| {
        let key = (key, t, found);
        if let Some(s) = scored.scores.get(&key) {
            return s.clone();
        }
        let patterns = scored
            .patterns
            .entry(key.0)
            .or_insert_with(|| {
                let all = table
                    .rows
                    .iter()
                    .map(|r| Pattern::new(&r.label))
                    .chain(group_runs(table).iter().map(|g| Pattern::new(&g.label)))
                    .collect();
                std::rc::Rc::new(Patterns {
                    all: crate::labels::Patterns::new(all),
                    rows: table.rows.len(),
                })
            })
            .clone();
        let (_, t, found) = &key;
        let mut rows = patterns.all.scores(t, found);
        let groups = rows.split_off(patterns.rows.min(rows.len()));
        let hits = (0..rows.len()).filter(|&j| rows[j].is_some()).collect();
        let s = std::rc::Rc::new(Scores { rows, groups, hits });
        if scored.scores.len() >= SCORED_MAX {
            scored.scores.clear();
        }
        scored.scores.insert(key, s.clone());
        s
    })
}

/// Align template rows with printed rows: a monotone matching that maximises the summed label
/// scores, each template row taking a run of 1..=MAX_SPAN printed rows of which at most one
/// has values.
pub(super) fn align_rows(rows: &[Printed<'_>], table: &'static Table) -> Vec<Matched> {
    // A group printed as one row takes all its template rows at once.
    let groups = group_runs(table);
    // The steps that may start at each printed row: one per span of rows from it and template
    // row its label reads as, one per group it reads as when it has one row of values.
    let steps: Vec<Vec<(usize, Step<Option<GroupRun>>)>> = (0..rows.len())
        .map(|i| {
            let mut out = Vec::new();
            for k in 1..=TUNING.max_span.min(rows.len() - i) {
                let span = &rows[i..i + k];
                let with_values = span.iter().filter(|p| p.has_values()).count();
                if with_values > 1 {
                    break;
                }
                // A span without cells takes no step: its label is not scored.
                if span.iter().all(|p| p.data.is_empty()) {
                    continue;
                }
                let scores = span_scores(table, span);
                let taken = if with_values == 1 {
                    TUNING.values_bonus
                } else {
                    0.0
                };
                if !scores.hits.is_empty() && values_belong(span) {
                    for &j in &scores.hits {
                        if let Some(Some(score)) = scores.rows.get(j) {
                            out.push((
                                j,
                                Step {
                                    rows: k,
                                    template: 1,
                                    score: *score + taken,
                                    tag: None,
                                },
                            ));
                        }
                    }
                }
                // A group, printed as one row with values.
                if with_values == 1 {
                    for (g, score) in groups.iter().zip(&scores.groups) {
                        if let Some(score) = score {
                            out.push((
                                g.first,
                                Step {
                                    rows: k,
                                    template: g.rows,
                                    score: *score + taken,
                                    tag: Some(*g),
                                },
                            ));
                        }
                    }
                }
            }
            // By template row; at one row, in the order above (stable).
            out.sort_by_key(|(j, _)| *j);
            out
        })
        .collect();
    let mut matches: Vec<Matched> = best_alignment(rows.len(), table.rows.len(), &steps)
        .into_iter()
        .filter_map(|(i, j, step)| {
            let span = i..i + step.rows;
            let with_values = span.clone().find(|&r| rows[r].has_values());
            let cells_from = match step.tag {
                Some(_) => with_values.or(Some(i)),
                None => with_values.or_else(|| span.clone().find(|&r| !rows[r].data.is_empty())),
            }?;
            Some(Matched {
                template_row: j,
                span,
                cells_from,
                group: step.tag,
            })
        })
        .collect();
    prefer_this_years_printing(rows, &mut matches);
    matches
}

/// A table printed twice reads as this year's printing: the same table printed again (last
/// year's, for comparison) matches as well, and the other printing is then said as
/// duplicates and kept aside. The printing a caption calls a comparison (`附表：2019年…（供
/// 对比）`) is not read; without one, the first printing is. Only when several rows are
/// printed again (a row printed twice alone is left to the alignment, and said either way);
/// rows matched alone only, the matches kept in print order.
fn prefer_this_years_printing(rows: &[Printed<'_>], matches: &mut [Matched]) {
    let covered = covered_rows(rows.len(), matches);
    // Most tables leave no rows of values aside, let alone a table's worth.
    let aside = (0..rows.len())
        .filter(|&i| !covered[i] && rows[i].has_values())
        .count();
    if aside < MIN_ROWS_PRINTED_AGAIN {
        return;
    }
    let comparison = comparison_blocks(rows);
    // Printed row `k`, left aside, is another printing of the row matched at `i`.
    let alike = |i: usize, k: usize| {
        !covered[k]
            && rows[k].label_core == rows[i].label_core
            && rows[k].has_values()
            && rows[k].row.layout == rows[i].row.layout
    };
    let alone = |m: &Matched| {
        m.group.is_none() && m.span.len() == 1 && !rows[m.cells_from].label_core.is_empty()
    };
    // An earlier printing: the first, unless it is the comparison and the one matched is not.
    let mut moves = Vec::with_capacity(matches.len());
    let mut free_from = 0;
    for m in matches.iter() {
        let i = m.cells_from;
        let first = (free_from..i)
            .find(|&k| alone(m) && alike(i, k))
            .filter(|&k| !comparison[k] || comparison[i]);
        free_from = first.map_or(m.span.end, |k| k + 1);
        moves.push(first);
    }
    if move_to(matches, &moves) {
        return;
    }
    // A comparison matched while this year's printing follows it: the later printing, taken
    // from the last row back so that the matches stay in print order.
    let mut free_to = rows.len();
    for (n, m) in matches.iter().enumerate().rev() {
        let i = m.cells_from;
        let next =
            (i + 1..free_to).find(|&k| comparison[i] && alone(m) && !comparison[k] && alike(i, k));
        free_to = next.unwrap_or(m.span.start);
        moves[n] = next;
    }
    move_to(matches, &moves);
}

/// Each match to the printed row `moves` gives it, when a table's worth of rows move
/// ([`MIN_ROWS_PRINTED_AGAIN`]); whether they did.
fn move_to(matches: &mut [Matched], moves: &[Option<usize>]) -> bool {
    if moves.iter().flatten().count() < MIN_ROWS_PRINTED_AGAIN {
        return false;
    }
    for (m, k) in matches.iter_mut().zip(moves) {
        if let Some(k) = *k {
            m.span = k..k + 1;
            m.cells_from = k;
        }
    }
    true
}

/// For each printed row, whether it is in a block of rows (a table, or lines of cells) whose
/// caption, the prose line just before it, calls it a comparison with another year.
fn comparison_blocks(rows: &[Printed<'_>]) -> Vec<bool> {
    let caption = |p: &Printed<'_>| {
        p.row.layout == Layout::Prose
            && ["对比", "去年", "上一年", "上年度"]
                .iter()
                .any(|w| p.row.text().contains(w))
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut current = false;
    // The labels of the block so far: one printed again starts a block (tables printed one
    // after the other in text, with nothing between them).
    let mut seen: Vec<&[char]> = Vec::new();
    for (i, p) in rows.iter().enumerate() {
        let before = i.checked_sub(1).map(|k| &rows[k]);
        if p.row.layout == Layout::Prose {
            current = false;
            seen.clear();
        } else if before.is_none_or(|b| b.row.layout == Layout::Prose || b.row.table != p.row.table)
            || (!p.label_core.is_empty() && seen.contains(&p.label_core.as_slice()))
        {
            current = before.is_some_and(caption);
            seen.clear();
        }
        if !p.label_core.is_empty() {
            seen.push(&p.label_core);
        }
        out.push(current);
    }
    out
}

/// Rows printed again that make a table printed again.
const MIN_ROWS_PRINTED_AGAIN: usize = 3;

/// The label a run of printed rows spells, and its core: the rows' labels joined, each core
/// without the labels of `table`'s groups it starts with ([`own_core`]).
pub(super) fn span_label(table: &'static Table, span: &[Printed<'_>]) -> (String, Vec<char>) {
    let label: String = span.iter().map(|p| p.label.as_str()).collect();
    let core = span
        .iter()
        .flat_map(|p| own_core(table, &p.label_core).iter().copied())
        .collect();
    (label, core)
}

/// One step of an alignment of printed rows with template rows: `rows` printed rows taken for
/// `template` template rows, with a label score and what the step stands for.
#[derive(Clone)]
pub(super) struct Step<T> {
    pub(super) rows: usize,
    pub(super) template: usize,
    pub(super) score: f32,
    pub(super) tag: T,
}

/// The monotone alignment of `m` printed rows with `n` template rows that maximises the summed
/// scores of its steps (each step also gains [`Tuning::match_bonus`] and loses
/// [`Tuning::span_line_cost`] per printed row beyond its first); rows of either side may be
/// left out. `steps[i]` lists the steps that may start at printed row `i`, each with the
/// template row `j` it starts at, by `j` (most cells start no step: each row lists only its
/// own); of steps reaching a cell with equal totals, the first listed wins. A step takes one
/// printed row or more (one of none is not taken). Returns the steps taken, in order, with
/// where each starts.
///
/// [`Tuning::match_bonus`]: crate::tuning::Tuning::match_bonus
/// [`Tuning::span_line_cost`]: crate::tuning::Tuning::span_line_cost
pub(super) fn best_alignment<T: Clone>(
    m: usize,
    n: usize,
    steps: &[Vec<(usize, Step<T>)>],
) -> Vec<(usize, usize, Step<T>)> {
    const NONE: f32 = f32::NEG_INFINITY;
    // How each cell was reached: from its start, by skipping a printed row or a template row,
    // or by the step of that index in `taken` (a table row per cell, not a step: the table
    // grows with printed rows times template rows).
    const START: u32 = u32::MAX;
    const SKIP_PRINTED: u32 = u32::MAX - 1;
    const SKIP_TEMPLATE: u32 = u32::MAX - 2;
    let width = n + 1;
    let cells = (m + 1).saturating_mul(width);
    let mut best = vec![NONE; cells];
    let mut back = vec![START; cells];
    // Steps taken somewhere: (printed row, index in its list).
    // Each listed step is tried once, so they bound its length: allocated once, never grown.
    let mut taken: Vec<(usize, usize)> = Vec::with_capacity(steps.iter().map(Vec::len).sum());
    best[0] = 0.0;
    for i in 0..=m {
        let listed = steps.get(i).map_or(&[][..], Vec::as_slice);
        // This row, and the rows below it (which skips and steps from it reach).
        let (above, below) = best.split_at_mut((i + 1) * width);
        let (back_above, back_below) = back.split_at_mut((i + 1) * width);
        let row = &mut above[i * width..];
        let back_row = &mut back_above[i * width..];
        // The first of `listed` at template row `j` or after (most cells start no step: told
        // by one comparison).
        let mut at = 0;
        for j in 0..=n {
            let here = row[j];
            if here == NONE {
                continue;
            }
            if let Some(down) = below.get_mut(j)
                && here > *down
            {
                *down = here;
                back_below[j] = SKIP_PRINTED;
            }
            if let Some(right) = row.get_mut(j + 1)
                && here > *right
            {
                *right = here;
                back_row[j + 1] = SKIP_TEMPLATE;
            }
            if i == m || j == n {
                continue;
            }
            while listed.get(at).is_some_and(|(sj, _)| *sj < j) {
                at += 1;
            }
            if listed.get(at).is_none_or(|(sj, _)| *sj != j) {
                continue;
            }
            for (k, (_, step)) in listed
                .iter()
                .enumerate()
                .skip(at)
                .take_while(|(_, (sj, _))| *sj == j)
            {
                let (a, b) = (i + step.rows, j + step.template);
                if a > m || b > n {
                    continue;
                }
                let total = here + step.score + TUNING.match_bonus
                    - TUNING.span_line_cost * (step.rows as f32 - 1.0);
                let Ok(index) = u32::try_from(taken.len()) else {
                    continue;
                };
                // Row `a` is below this one (a step takes a printed row at least).
                let Some(cell) = step.rows.checked_sub(1).map(|r| r * width + b) else {
                    continue;
                };
                if let (Some(to), Some(how)) = (below.get_mut(cell), back_below.get_mut(cell))
                    && total > *to
                    && index < SKIP_TEMPLATE
                {
                    *to = total;
                    *how = index;
                    taken.push((i, k));
                }
            }
        }
    }
    // Each step taken takes a printed row at least.
    let mut out = Vec::with_capacity(m);
    let (mut i, mut j) = (m, n);
    while i > 0 || j > 0 {
        match back[i * width + j] {
            SKIP_PRINTED => i -= 1,
            SKIP_TEMPLATE => j -= 1,
            START => break,
            k => {
                let Some((_, step)) = taken
                    .get(k as usize)
                    .and_then(|&(si, sk)| steps.get(si)?.get(sk))
                else {
                    break;
                };
                let Some((a, b)) = i.checked_sub(step.rows).zip(j.checked_sub(step.template))
                else {
                    break;
                };
                (i, j) = (a, b);
                out.push((i, j, step.clone()));
            }
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

    #[test]
    fn spans_are_keyed_by_their_labels_and_their_cuts() {
        let rows = crate::text::read_text("ab\na\nb\n1:ab\n");
        let printed: Vec<Printed<'_>> = rows.rows.iter().map(printed).collect();
        let key = |span: &[Printed<'_>]| {
            let mut k = Vec::new();
            span_key(&mut k, span);
            k
        };
        // `ab` is not `a` then `b`, nor is `a`, `b` the one label `1:ab`.
        assert_ne!(key(&printed[0..1]), key(&printed[1..3]));
        assert_ne!(key(&printed[1..3]), key(&printed[3..4]));
        assert_eq!(key(&printed[1..3]), key(&printed[1..3]));
        // Scores by span are the scores of the span's label.
        let apps = Edition::E2021.template().table("applications").unwrap();
        let (label, core) = span_label(apps, &printed[1..3]);
        let direct = scores(apps, core, crate::labels::numberings(&label));
        let by_span = span_scores(apps, &printed[1..3]);
        assert_eq!(direct.rows, by_span.rows);
        assert_eq!(direct.groups, by_span.groups);
    }

    #[test]
    fn leaf_groups_of_the_template_may_be_printed_as_one_row() {
        let apps = Edition::E2021.template().table("applications").unwrap();
        let runs: Vec<(&str, usize)> = group_runs(apps).iter().map(|g| (g.path, g.rows)).collect();
        assert_eq!(
            runs,
            [
                ("outcomes.withheld", 8),
                ("outcomes.unavailable", 3),
                ("outcomes.not_processed", 5),
                ("outcomes.other", 3)
            ]
        );
    }

    #[test]
    fn a_row_of_bare_numbers_belongs_to_a_label_only_when_wrapped_by_it() {
        let doc = crate::text::read_text(
            "1.申请人无正当理由\n3  0  0  0  0  0  3\n逾期不补正\n四、结转下年度继续办理\n",
        );
        let rows: Vec<Printed<'_>> = doc.rows.iter().map(printed).collect();
        assert!(
            values_belong(&rows[0..3]),
            "label wrapped around its numbers"
        );
        assert!(
            !values_belong(&rows[0..2]),
            "numbers after a label line only"
        );
        assert!(values_belong(&rows[3..4]));
    }

    #[test]
    fn a_label_wrapped_around_its_numbers_is_one_row() {
        let doc = crate::text::read_text(
            "4.无正当理由大量反复申请   0  0  0  0  0  1  1\n\
             5.要求行政机关确认或重新出\n\
             \u{20}         3  0  0  0  0  0  3\n\
             具已获取信息\n",
        );
        let rows = super::super::tests::printed_rows(&doc);
        let apps = Edition::E2021.template().table("applications").unwrap();
        let found: Vec<(&str, std::ops::Range<usize>, usize)> = align_rows(&rows, apps)
            .into_iter()
            .map(|m| {
                assert!(m.group.is_none());
                (apps.rows[m.template_row].path, m.span, m.cells_from)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("outcomes.not_processed.excessive", 0..1, 0),
                ("outcomes.not_processed.confirmation", 1..4, 2)
            ]
        );
    }

    #[test]
    fn the_best_alignment_takes_a_wrapped_label_over_its_pieces() {
        // Printed rows 0 and 1 are one label wrapped; row 1 alone reads weakly as template
        // row 1, which row 2 reads as well.
        let step = |i: usize, j: usize, rows, score| {
            (
                j,
                Step {
                    rows,
                    template: 1,
                    score,
                    tag: (i, j),
                },
            )
        };
        let steps = vec![
            vec![step(0, 0, 1, 0.4), step(0, 0, 2, 1.0)],
            vec![step(1, 1, 1, 0.6)],
            vec![step(2, 1, 1, 1.0)],
        ];
        let taken: Vec<(usize, usize, usize)> = best_alignment(3, 2, &steps)
            .into_iter()
            .map(|(i, j, step)| {
                assert_eq!(step.tag, (i, j));
                (i, j, step.rows)
            })
            .collect();
        assert_eq!(taken, [(0, 0, 2), (2, 1, 1)]);
        // Nothing reads as any row: nothing is taken.
        assert!(best_alignment::<()>(3, 2, &[]).is_empty());
    }
}
