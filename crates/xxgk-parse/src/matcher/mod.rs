//! Template matching: find each table's section, map printed rows and columns to the
//! schema's ids with the generated label metadata, and place every value — or say why not.
//!
//! No value is guessed: a row whose values do not fit its columns is placed by the cell
//! boundaries the source gives, else by the one alignment the table's constraints accept, and
//! otherwise its cells stay unknown with an error.

mod sequence;

use crate::codes;
use crate::doc::{Document, Fragment, Layout, Row};
use crate::labels::{Pattern, core};
use crate::value::{looks_like_value, parse_value};
use std::collections::HashMap;
use xxgk_model::Tables;
use xxgk_model::cell::{Cell, Value};
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::{Diagnostic, Location, Severity};
use xxgk_model::template::{Column, Table, TableLayout, Template};

/// The longest run of printed rows one template row may span (a label wrapped over lines,
/// with vertical merged labels and group labels interleaved).
const MAX_SPAN: usize = 5;

/// The rows of a section: from after its heading to before the next section.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub heading: Option<usize>,
    pub start: usize,
    pub end: usize,
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

const ORDINALS: &str = "一二三四五六七八九十";

/// The ordinal written in Arabic digits (`三` → `3`), which some reports number sections with.
fn arabic(ordinal: &str) -> Option<String> {
    let mut chars = ordinal.chars();
    let (c, None) = (chars.next()?, chars.next()) else {
        return None;
    };
    ORDINALS
        .chars()
        .position(|o| o == c)
        .map(|i| (i + 1).to_string())
}

/// Is `row` the heading of `table`: its ordinal first (`三、`, `3.`, `（三）`), then one of its
/// key words?
fn is_heading(row: &Row, table: &Table) -> bool {
    // A heading carries no values (which tells `3.补正后申请…  0  0` from `3.收到…情况`).
    if row
        .fragments
        .iter()
        .skip(1)
        .any(|f| looks_like_value(&f.text))
    {
        return false;
    }
    let text = squeeze(&row.text());
    if text.chars().count() > 60 || !table.section.keywords.iter().any(|k| text.contains(k)) {
        return false;
    }
    let ordinal = table.section.ordinal;
    let bracketed = [format!("({ordinal})"), format!("（{ordinal}）")];
    if bracketed.iter().any(|b| text.starts_with(b.as_str())) {
        return true;
    }
    let spellings = std::iter::once(ordinal.to_owned()).chain(arabic(ordinal));
    spellings.into_iter().any(|o| {
        text.strip_prefix(o.as_str()).is_some_and(|rest| {
            rest.starts_with(['、', '.', '．', ',', '，', ' '])
                || (!o.chars().all(|c| c.is_ascii_digit())
                    && !rest.starts_with(|c: char| c.is_ascii_digit()))
        })
    })
}

/// The section of each table of `template`, in the template's order.
pub fn regions(doc: &Document, template: &Template) -> Vec<Option<Region>> {
    let mut headings: Vec<Option<usize>> = Vec::new();
    let mut from = 0;
    for table in template.tables {
        let found = (from..doc.rows.len()).find(|&i| is_heading(&doc.rows[i], table));
        if let Some(i) = found {
            from = i + 1;
        }
        headings.push(found);
    }
    let ends: Vec<usize> = (0..headings.len())
        .map(|k| {
            let next = headings[k + 1..].iter().flatten().next().copied();
            let start = headings[k].map_or(0, |h| h + 1);
            next.unwrap_or_else(|| {
                end_of_last_section(doc, start, template.tables[k].section.ordinal)
            })
        })
        .collect();
    // A table whose heading is missing is looked for between its neighbours' sections; the
    // matcher accepts it only if enough of its rows are found there.
    (0..headings.len())
        .map(|k| match headings[k] {
            Some(h) => Some(Region {
                heading: Some(h),
                start: h + 1,
                end: ends[k],
            }),
            None => {
                let start = headings[..k].iter().flatten().last().map_or(0, |h| h + 1);
                let end = headings[k + 1..]
                    .iter()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(doc.rows.len());
                (start < end).then_some(Region {
                    heading: None,
                    start,
                    end,
                })
            }
        })
        .collect()
}

/// The last table's section ends at the next prose heading numbered after its ordinal
/// (`五、…`), or at the end of the document.
fn end_of_last_section(doc: &Document, start: usize, ordinal: &str) -> usize {
    let after: Vec<char> = ORDINALS
        .chars()
        .skip_while(|c| !ordinal.starts_with(*c))
        .skip(1)
        .collect();
    (start..doc.rows.len())
        .find(|&i| {
            let row = &doc.rows[i];
            let t = squeeze(&row.text());
            row.layout == Layout::Prose
                && t.chars().next().is_some_and(|c| after.contains(&c))
                && t.chars().nth(1) == Some('、')
        })
        .unwrap_or(doc.rows.len())
}

/// A printed row split into label text and value cells.
#[derive(Debug, Clone)]
struct Printed<'a> {
    row: &'a Row,
    label: String,
    /// The label's [`core()`], computed once.
    label_core: Vec<char>,
    /// Cells after the label: values and (for grids) blank cells.
    data: Vec<&'a Fragment>,
}

impl<'a> Printed<'a> {
    fn values(&self) -> impl Iterator<Item = &'a Fragment> + '_ {
        self.data.iter().copied().filter(|f| !f.text.is_empty())
    }

    fn has_values(&self) -> bool {
        self.values().next().is_some()
    }
}

/// Text that reads as (part of) a label: not a value, and at least two characters that are
/// not digits once numbering is set aside — so a garbled cell such as `约5` stays a cell.
fn is_label_text(t: &str) -> bool {
    !t.is_empty()
        && !looks_like_value(t)
        && core(t).iter().filter(|c| !c.is_ascii_digit()).count() >= 2
}

fn printed(row: &Row) -> Printed<'_> {
    let is_label = |f: &Fragment| !f.continued && is_label_text(&f.text);
    let last_label = row.fragments.iter().rposition(is_label);
    let label_parts: Vec<&str> = row
        .fragments
        .iter()
        .filter(|f| is_label(f))
        .map(|f| f.text.as_str())
        .collect();
    let data: Vec<&Fragment> = match row.layout {
        Layout::Prose => Vec::new(),
        Layout::Grid => row
            .fragments
            .iter()
            .skip(last_label.map_or(0, |l| l + 1))
            .filter(|f| !f.continued)
            .collect(),
        Layout::Aligned => row
            .fragments
            .iter()
            .skip(last_label.map_or(0, |l| l + 1))
            .collect(),
    };
    // A grid row of only blank cells is still a row; a prose line has no cells at all.
    let label = label_parts.join(" ");
    Printed {
        row,
        label_core: core(&label),
        label,
        data,
    }
}

/// One template row matched to printed rows.
#[derive(Debug, Clone)]
struct Matched {
    template_row: usize,
    /// Indices into the region's printed rows.
    span: std::ops::Range<usize>,
    /// The printed row whose cells are the values (the one with values, else the first with cells).
    cells_from: usize,
    /// Set when the printed row is a whole group printed as one row: the group's rows are
    /// `template_row..template_row + group.rows`.
    group: Option<GroupRun>,
}

/// A group whose rows are leaves, contiguous in print order: it may be printed as one row.
#[derive(Debug, Clone, Copy)]
struct GroupRun {
    /// The group's dotted path (`outcomes.other`).
    path: &'static str,
    label: xxgk_model::template::Label,
    /// Its first template row.
    first: usize,
    rows: usize,
}

/// The groups of `table` that hold only rows (no group inside), two rows or more.
fn group_runs(table: &Table) -> Vec<GroupRun> {
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
fn values_belong(span: &[Printed<'_>]) -> bool {
    let Some(v) = span.iter().position(Printed::has_values) else {
        return true;
    };
    !span[v].label_core.is_empty()
        || (span[..v].iter().any(|p| !p.label_core.is_empty())
            && span[v + 1..].iter().any(|p| !p.label_core.is_empty()))
}

/// Align template rows with printed rows: a monotone matching that maximises the summed label
/// scores, each template row taking a run of 1..=MAX_SPAN printed rows of which at most one
/// has values.
fn align_rows(rows: &[Printed<'_>], table: &Table) -> Vec<Matched> {
    let patterns: Vec<Pattern> = table.rows.iter().map(|r| Pattern::new(&r.label)).collect();
    // A group printed as one row takes all its template rows at once.
    let groups: Vec<(GroupRun, Pattern)> = group_runs(table)
        .into_iter()
        .map(|g| (g, Pattern::new(&g.label)))
        .collect();
    let (m, n) = (rows.len(), table.rows.len());
    const NONE: f32 = f32::NEG_INFINITY;
    let mut best = vec![vec![NONE; n + 1]; m + 1];
    let mut back: Vec<Vec<(u8, usize)>> = vec![vec![(0, 0); n + 1]; m + 1];
    best[0][0] = 0.0;
    for i in 0..=m {
        for j in 0..=n {
            let here = best[i][j];
            if here == NONE {
                continue;
            }
            if i < m && here > best[i + 1][j] {
                best[i + 1][j] = here;
                back[i + 1][j] = (1, 0);
            }
            if j < n && here > best[i][j + 1] {
                best[i][j + 1] = here;
                back[i][j + 1] = (2, 0);
            }
            if j == n {
                continue;
            }
            for k in 1..=MAX_SPAN.min(m - i) {
                let span = &rows[i..i + k];
                let with_values = span.iter().filter(|p| p.has_values()).count();
                if with_values > 1 {
                    break;
                }
                let has_cells = span.iter().any(|p| !p.data.is_empty());
                if !has_cells || !values_belong(span) {
                    continue;
                }
                let label: Vec<&str> = span.iter().map(|p| p.label.as_str()).collect();
                let label_core: Vec<char> = span
                    .iter()
                    .flat_map(|p| p.label_core.iter().copied())
                    .collect();
                let Some(score) = patterns[j].score_core(&label_core, &label.join("")) else {
                    continue;
                };
                // Prefer spans that do not swallow label lines of their neighbours.
                let total = here + score + 0.5 - 0.02 * (k as f32 - 1.0);
                if total > best[i + k][j + 1] {
                    best[i + k][j + 1] = total;
                    back[i + k][j + 1] = (3, k);
                }
            }
            // The group starting at this template row, printed as one row with values.
            for (g, pattern) in groups.iter().filter(|(g, _)| g.first == j) {
                for k in 1..=MAX_SPAN.min(m - i) {
                    let span = &rows[i..i + k];
                    if span.iter().filter(|p| p.has_values()).count() != 1 {
                        continue;
                    }
                    let label: Vec<&str> = span.iter().map(|p| p.label.as_str()).collect();
                    let label_core: Vec<char> = span
                        .iter()
                        .flat_map(|p| p.label_core.iter().copied())
                        .collect();
                    let Some(score) = pattern.score_core(&label_core, &label.join("")) else {
                        continue;
                    };
                    let total = here + score + 0.5 - 0.02 * (k as f32 - 1.0);
                    if total > best[i + k][j + g.rows] {
                        best[i + k][j + g.rows] = total;
                        back[i + k][j + g.rows] = (4, k);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (m, n);
    while i > 0 || j > 0 {
        match back[i][j] {
            (1, _) => i -= 1,
            (2, _) => j -= 1,
            (3, k) => {
                let span = i - k..i;
                let cells_from = span
                    .clone()
                    .find(|&r| rows[r].has_values())
                    .or_else(|| span.clone().find(|&r| !rows[r].data.is_empty()));
                if let Some(cells_from) = cells_from {
                    out.push(Matched {
                        template_row: j - 1,
                        span,
                        cells_from,
                        group: None,
                    });
                }
                i -= k;
                j -= 1;
            }
            (4, k) => {
                let Some((g, _)) = groups.iter().find(|(g, _)| g.first + g.rows == j) else {
                    break;
                };
                let span = i - k..i;
                let cells_from = span
                    .clone()
                    .find(|&r| rows[r].has_values())
                    .unwrap_or(i - k);
                out.push(Matched {
                    template_row: g.first,
                    span,
                    cells_from,
                    group: Some(*g),
                });
                i -= k;
                j -= g.rows;
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

/// Where each column's cells sit in a grid, read from header rows: column id → grid x.
/// Header cells of a row: those naming a template column (column id → grid x), and, in grids,
/// those naming a column the template lacks (a 小计 column): x → its text.
struct HeaderCells {
    columns: Vec<(&'static str, u32)>,
    extra: Vec<(u32, String)>,
}

fn header_columns(row: &Row, columns: &[&'static Column], stub: Option<&str>) -> HeaderCells {
    let known = |text_core: &[char]| {
        columns
            .iter()
            .flat_map(|c| c.captions.iter().copied())
            .chain(stub)
            .any(|s| {
                let k = core(s);
                !k.is_empty()
                    && (k.as_slice() == text_core
                        || crate::labels::lcs(&k, text_core) == text_core.len())
            })
    };
    let mut extra = Vec::new();
    let mut out = Vec::new();
    for f in &row.fragments {
        if f.text.is_empty() || looks_like_value(&f.text) {
            continue;
        }
        let text_core = core(&f.text);
        for c in columns {
            let hit = c.label.spellings().any(|s| {
                let label_core = core(s);
                let common = crate::labels::lcs(&label_core, &text_core) as f32;
                // The whole label, and not much else (a caption such as 法人或其他组织 holds
                // 其他) — unless the label starts the text, as with appended explanations.
                !label_core.is_empty()
                    && common / label_core.len() as f32 >= 0.99
                    && (common / text_core.len() as f32 >= 0.5
                        || text_core.starts_with(&label_core))
            });
            if hit && !out.iter().any(|(id, _)| *id == c.id) {
                out.push((c.id, f.x));
            }
        }
        let matched = out.iter().any(|(_, x)| *x == f.x);
        if row.layout == Layout::Grid && f.x > 0 && !matched && !f.continued && !known(&text_core) {
            extra.push((f.x, f.text.clone()));
        }
    }
    HeaderCells {
        columns: out,
        extra,
    }
}

/// Whether values stand in columns (laid out with wider gaps, as `pdftotext -layout` prints
/// them), rather than one space apart, where their positions say nothing about columns.
fn spaced(values: &[&Fragment]) -> bool {
    values.windows(2).any(|w| {
        let end = w[0].x as usize + w[0].text.chars().count();
        (w[1].x as usize).saturating_sub(end) > 1
    })
}

/// A placement of a row's values: one entry per column, the fragment placed there (if any).
type Placement<'a> = Vec<Option<&'a Fragment>>;

/// How a row's values were placed.
enum Placed<'a> {
    /// The row printed no value at all: every cell is blank.
    AllBlank,
    /// As many cells as columns, in order: certain.
    InOrder(Placement<'a>),
    /// Under the header, leaving out cells under columns the template lacks (named).
    SkippingExtra(Placement<'a>, Vec<String>),
    /// By the cell boundaries or positions the source gives.
    ByPosition(Placement<'a>, String),
    /// Not determined: resolve against the constraints.
    Ambiguous(Vec<&'a Fragment>),
}

fn place<'a>(
    p: &Printed<'a>,
    columns: &[Column],
    header: &HashMap<&'static str, u32>,
    extra: &HashMap<u32, String>,
    centres: Option<&[f32]>,
) -> Placed<'a> {
    let n = columns.len();
    let values: Vec<&Fragment> = p.values().collect();
    if values.is_empty() {
        return Placed::AllBlank;
    }
    // A grid row with one cell per column is certain, unless it opens with a blank cell the
    // header does not put under the first column: that cell may be a label column, and a
    // value lost further on (tab text keeps no positions to tell).
    let opens_off_header = || {
        p.data.first().is_some_and(|f| f.text.is_empty())
            && columns
                .first()
                .and_then(|c| header.get(c.id))
                .is_some_and(|x| *x != p.data[0].x)
    };
    if p.row.layout == Layout::Grid && p.data.len() == n && !opens_off_header() {
        return Placed::InOrder(p.data.iter().map(|f| Some(*f)).collect());
    }
    if values.len() == n {
        return Placed::InOrder(values.iter().map(|f| Some(*f)).collect());
    }
    let describe =
        |how: &str| format!("{} values for {} columns; placed by {how}", values.len(), n);
    match p.row.layout {
        Layout::Grid => {
            // Under the header; a row with one label cell more or fewer than the header row
            // (a group label in its own cell) is shifted: the nearest shift that places every
            // value wins, none if two equally near do.
            let distinct = p.data.windows(2).all(|w| w[0].x < w[1].x);
            let all_known = columns.iter().all(|c| header.contains_key(c.id));
            if distinct && all_known {
                let attempt = |shift: i64| -> Option<(Placement<'a>, Vec<String>)> {
                    let at = |x: u32| u32::try_from(i64::from(x) + shift).ok();
                    let placement: Placement<'a> = columns
                        .iter()
                        .map(|c| {
                            header
                                .get(c.id)
                                .and_then(|x| at(*x))
                                .and_then(|x| p.data.iter().find(|f| f.x == x).copied())
                        })
                        .collect();
                    let placed = placement
                        .iter()
                        .flatten()
                        .filter(|f| !f.text.is_empty())
                        .count();
                    // Values under columns the template lacks (a 小计 column) are left out.
                    let extra_at: HashMap<u32, &String> = extra
                        .iter()
                        .filter_map(|(x, t)| at(*x).map(|x| (x, t)))
                        .collect();
                    let skipped: Vec<String> = values
                        .iter()
                        .filter_map(|v| extra_at.get(&v.x).map(|t| (*t).clone()))
                        .collect();
                    (placed + skipped.len() == values.len()).then_some((placement, skipped))
                };
                let mut found = None;
                for distance in 0..=2i64 {
                    let fits: Vec<(Placement<'a>, Vec<String>)> = [distance, -distance]
                        .into_iter()
                        .take(if distance == 0 { 1 } else { 2 })
                        .filter_map(attempt)
                        .collect();
                    match fits.len() {
                        0 => continue,
                        1 => found = fits.into_iter().next(),
                        _ => {}
                    }
                    break;
                }
                if let Some((placement, mut skipped)) = found {
                    if !skipped.is_empty() {
                        skipped.dedup();
                        return Placed::SkippingExtra(placement, skipped);
                    }
                    return Placed::ByPosition(
                        placement,
                        describe("the cell boundaries under the header"),
                    );
                }
            }
        }
        Layout::Aligned => {
            if let Some(centres) = centres.filter(|c| c.len() == n && n > 1 && spaced(&values)) {
                let gap = centres
                    .windows(2)
                    .map(|w| w[1] - w[0])
                    .fold(f32::INFINITY, f32::min);
                let mut placement: Placement<'_> = vec![None; n];
                let mut ok = gap.is_finite() && gap > 0.0;
                let mut last: Option<usize> = None;
                for v in &values {
                    let centre = v.x as f32 + v.text.chars().count() as f32 / 2.0;
                    let (k, d) = centres
                        .iter()
                        .enumerate()
                        .map(|(k, c)| (k, (c - centre).abs()))
                        .fold((0, f32::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
                    if d > gap / 2.0 || last.is_some_and(|l| k <= l) {
                        ok = false;
                        break;
                    }
                    placement[k] = Some(*v);
                    last = Some(k);
                }
                if ok {
                    return Placed::ByPosition(placement, describe("their column positions"));
                }
            }
        }
        Layout::Prose => {}
    }
    Placed::Ambiguous(values)
}

/// Everything the matcher found, before metadata.
pub struct Matches {
    pub tables: Tables,
    pub diagnostics: Vec<Diagnostic>,
    pub extra_rows: Vec<xxgk_model::ExtraRow>,
    /// Groups printed as one row.
    pub group_rows: Vec<xxgk_model::GroupRow>,
    /// Template rows matched, per table id.
    pub matched: HashMap<&'static str, usize>,
}

/// A cell to set: where, from which fragment.
struct Pending<'a> {
    table: &'static str,
    row: &'static str,
    columns: &'static [Column],
    location: Location,
    label: String,
    values: Vec<&'a Fragment>,
}

fn cell_of(f: &Fragment, column: &Column, diagnostics: &mut Vec<Diagnostic>, id: &str) -> Cell {
    match parse_value(&f.text, column.kind, column.unit) {
        Ok(v) => Cell::from(v).with_source(f.raw.clone(), Some(f.location)),
        Err(why) => {
            diagnostics.push(
                Diagnostic::new(
                    codes::CELL_VALUE,
                    Severity::Error,
                    format!("{id}: {why}; the cell is left unknown"),
                )
                .at(f.location)
                .with_cells([id.to_owned()]),
            );
            Cell::from(Value::Unknown).with_source(f.raw.clone(), Some(f.location))
        }
    }
}

fn set_row(
    tables: &mut Tables,
    table: &'static str,
    row: &'static str,
    columns: &[Column],
    placement: &Placement<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (column, fragment) in columns.iter().zip(placement) {
        let id = format!("{table}.{row}.{}", column.id);
        let cell = match fragment {
            Some(f) => cell_of(f, column, diagnostics, &id),
            None => Cell::from(Value::Unknown),
        };
        if let Some(slot) = tables.cell_mut(table, row, column.id) {
            *slot = cell;
        }
    }
}

/// Match every table of `template` in `doc`.
pub fn match_tables(
    doc: &Document,
    template: &'static Template,
    edition: xxgk_model::Edition,
) -> Matches {
    let mut tables = Tables::new(edition);
    let mut diagnostics = Vec::new();
    let mut extra_rows = Vec::new();
    let mut group_rows = Vec::new();
    let mut matched_count = HashMap::new();
    let mut pending: Vec<Pending<'_>> = Vec::new();
    for (table, region) in template.tables.iter().zip(regions(doc, template)) {
        let Some(region) = region else {
            diagnostics.push(Diagnostic::new(
                codes::SECTION_MISSING,
                Severity::Warning,
                format!(
                    "no heading of section {} ({}) was found: table `{}` is absent",
                    table.section.ordinal, table.label.title, table.id
                ),
            ));
            continue;
        };
        let rows: Vec<Printed<'_>> = doc.rows[region.start..region.end]
            .iter()
            .map(printed)
            .collect();
        if table.layout == TableLayout::OneRow
            && region.heading.is_some()
            && one_row(table, &rows, &mut tables, &mut diagnostics, &mut pending)
        {
            matched_count.insert(table.id, table.rows.len());
            continue;
        }
        // Rows printed with their own labels (also a one-row table printed transposed), then
        // rows of numbers printed apart from their labels.
        let mut matches = align_rows(&rows, table);
        let detached = sequence::detached(table, &rows, &matches, &tables, &mut diagnostics);
        if !detached.placed.is_empty() {
            matches.extend(detached.placed);
            matches.sort_by_key(|m| m.cells_from);
        }
        if matches.is_empty() && region.heading.is_some() && detached.labels * 2 >= table.rows.len()
        {
            // The table is there, its labels printed, but its numbers could not be placed
            // (said above): every cell stays unknown.
            matched_count.insert(table.id, detached.labels);
            continue;
        }
        let enough = region.heading.is_some() || matches.len() * 2 >= table.rows.len().max(2);
        if !enough || matches.is_empty() {
            diagnostics.push(Diagnostic::new(
                codes::SECTION_MISSING,
                Severity::Warning,
                match region.heading {
                    Some(_) => format!("section {} was found but none of its rows: table `{}` is absent", table.section.ordinal, table.id),
                    None => format!("no heading of section {} ({}) was found, nor its rows: table `{}` is absent", table.section.ordinal, table.label.title, table.id),
                },
            ));
            continue;
        }
        if region.heading.is_none() {
            diagnostics.push(Diagnostic::new(
                codes::SECTION_MISSING,
                Severity::Info,
                format!(
                    "no heading of section {} was found; table `{}` was recognised by its rows",
                    table.section.ordinal, table.id
                ),
            ));
        }
        matched_count.insert(table.id, matches.len());
        rows_table(
            table,
            &rows,
            &matches,
            &mut tables,
            &mut diagnostics,
            &mut Kept {
                extra_rows: &mut extra_rows,
                group_rows: &mut group_rows,
            },
            &mut pending,
        );
    }
    // Rows resolved later pin down rows resolved earlier (a column's sum needs every row of
    // it): rows left undetermined are tried again while another pass settles some row.
    loop {
        let mut again = Vec::new();
        let mut held = Vec::new();
        let before = pending.len();
        for p in pending {
            let mut said = Vec::new();
            if resolve(&p, &mut tables, &mut said) {
                diagnostics.extend(said);
            } else {
                held.push(said);
                again.push(p);
            }
        }
        if again.is_empty() || again.len() == before {
            diagnostics.extend(held.into_iter().flatten());
            break;
        }
        pending = again;
    }
    Matches {
        tables,
        diagnostics,
        extra_rows,
        group_rows,
        matched: matched_count,
    }
}

/// Rows kept beside the tables: rows the template lacks, groups printed as one row.
struct Kept<'f> {
    extra_rows: &'f mut Vec<xxgk_model::ExtraRow>,
    group_rows: &'f mut Vec<xxgk_model::GroupRow>,
}

fn rows_table<'a>(
    table: &'static Table,
    rows: &[Printed<'a>],
    matches: &[Matched],
    tables: &mut Tables,
    diagnostics: &mut Vec<Diagnostic>,
    kept: &mut Kept<'_>,
    pending: &mut Vec<Pending<'a>>,
) {
    let all_columns: Vec<&'static Column> = {
        let mut v: Vec<&'static Column> = Vec::new();
        for r in table.rows {
            for c in r.columns {
                if !v.iter().any(|x| x.id == c.id) {
                    v.push(c);
                }
            }
        }
        v
    };
    // Header positions, refreshed by each run of header rows (sub-tables have their own).
    let mut header: HashMap<&'static str, u32> = HashMap::new();
    let mut extra: HashMap<u32, String> = HashMap::new();
    let mut skipped_columns: Vec<String> = Vec::new();
    let mut last_was_data = true;
    let mut next_match = 0;
    let covered: Vec<bool> = (0..rows.len())
        .map(|i| matches.iter().any(|m| m.span.contains(&i)))
        .collect();
    // Column centres of aligned rows that had every value, for rows that do not.
    let centres = aligned_centres(rows, matches, table);
    for (i, p) in rows.iter().enumerate() {
        if !covered[i] {
            let found = header_columns(p.row, &all_columns, table.stub_header);
            if !found.columns.is_empty() && !p.has_values() {
                if last_was_data {
                    header.clear();
                    extra.clear();
                }
                header.extend(found.columns);
                extra.extend(found.extra);
                last_was_data = false;
            } else if p.has_values()
                && p.row.layout != Layout::Prose
                && !p.label.is_empty()
                && i > matches[0].span.start
            {
                // A row the template lacks: keep it, say so.
                let values: Vec<String> = p.data.iter().map(|f| f.raw.clone()).collect();
                diagnostics.push(
                    Diagnostic::new(
                        codes::EXTRA_ROW,
                        Severity::Warning,
                        format!(
                            "row `{}` is not in the template of table `{}`; kept as an extra row",
                            p.label, table.id
                        ),
                    )
                    .at(p.row.location),
                );
                kept.extra_rows.push(xxgk_model::ExtraRow {
                    table: table.id.to_owned(),
                    label: p.label.clone(),
                    values,
                    location: Some(p.row.location),
                });
            }
            continue;
        }
        let Some(m) = matches.get(next_match).filter(|m| m.cells_from == i) else {
            continue;
        };
        next_match += 1;
        last_was_data = true;
        let t_row = &table.rows[m.template_row];
        let p = &rows[m.cells_from];
        let label: Vec<&str> = m.span.clone().map(|k| rows[k].label.as_str()).collect();
        let label = label.join("");
        let centre = centres.get(&m.cells_from).map(Vec::as_slice);
        if let Some(group) = m.group {
            let placed = place(p, t_row.columns, &header, &extra, centre);
            kept.group_rows
                .extend(group_row(table, group, p, &label, placed, diagnostics));
            continue;
        }
        match place(p, t_row.columns, &header, &extra, centre) {
            Placed::AllBlank => {
                for c in t_row.columns {
                    if let Some(slot) = tables.cell_mut(table.id, t_row.path, c.id) {
                        *slot = Cell::from(Value::Blank).with_source("", Some(p.row.location));
                    }
                }
                // Fewer cells than columns: a value may have been lost with a cell, not only
                // blanks trimmed at the end of a line.
                if p.data.len() < t_row.columns.len() {
                    diagnostics.push(
                        Diagnostic::new(
                            codes::ROW_VALUES_PLACED,
                            Severity::Warning,
                            format!(
                                "{}.{} (`{label}`): no value printed and {} cells for {} columns; every cell is read as blank",
                                table.id,
                                t_row.path,
                                p.data.len(),
                                t_row.columns.len()
                            ),
                        )
                        .at(p.row.location)
                        .with_cells(
                            t_row
                                .columns
                                .iter()
                                .map(|c| format!("{}.{}.{}", table.id, t_row.path, c.id)),
                        ),
                    );
                }
            }
            Placed::InOrder(placement) => set_row(
                tables,
                table.id,
                t_row.path,
                t_row.columns,
                &placement,
                diagnostics,
            ),
            Placed::SkippingExtra(placement, names) => {
                set_row(
                    tables,
                    table.id,
                    t_row.path,
                    t_row.columns,
                    &placement,
                    diagnostics,
                );
                for name in names {
                    if !skipped_columns.contains(&name) {
                        skipped_columns.push(name);
                    }
                }
            }
            Placed::ByPosition(placement, how) => {
                set_row(
                    tables,
                    table.id,
                    t_row.path,
                    t_row.columns,
                    &placement,
                    diagnostics,
                );
                let empty: Vec<String> = t_row
                    .columns
                    .iter()
                    .zip(&placement)
                    .filter_map(|(c, f)| match f {
                        Some(f) if !f.text.is_empty() => None,
                        Some(_) => Some(format!("{} ({}) is blank", c.label.title, c.id)),
                        None => Some(format!("{} ({}) is unknown", c.label.title, c.id)),
                    })
                    .collect();
                let how = if empty.is_empty() {
                    how
                } else {
                    format!("{how}: {}", empty.join(", "))
                };
                diagnostics.push(
                    Diagnostic::new(
                        codes::ROW_VALUES_PLACED,
                        Severity::Warning,
                        format!("{}.{} (`{label}`): {how}", table.id, t_row.path),
                    )
                    .at(p.row.location)
                    .with_cells(
                        t_row
                            .columns
                            .iter()
                            .map(|c| format!("{}.{}.{}", table.id, t_row.path, c.id)),
                    ),
                );
            }
            Placed::Ambiguous(values) => pending.push(Pending {
                table: table.id,
                row: t_row.path,
                columns: t_row.columns,
                location: p.row.location,
                label,
                values,
            }),
        }
    }
    if !skipped_columns.is_empty() {
        diagnostics.push(Diagnostic::new(
            codes::EXTRA_COLUMN,
            Severity::Info,
            format!(
                "table `{}`: column(s) {} are not in the template; their cells were left out",
                table.id,
                skipped_columns.join(", ")
            ),
        ));
    }
    // Rows of the template not printed at all (a group's rows printed as one row are said).
    let in_group = |k: usize| {
        matches
            .iter()
            .filter_map(|m| m.group)
            .any(|g| (g.first..g.first + g.rows).contains(&k))
    };
    let missing: Vec<&str> = table
        .rows
        .iter()
        .enumerate()
        .filter(|(k, _)| !matches.iter().any(|m| m.template_row == *k) && !in_group(*k))
        .map(|(_, r)| r.path)
        .collect();
    if !missing.is_empty() {
        diagnostics.push(Diagnostic::new(
            codes::ROW_MISSING,
            Severity::Warning,
            format!(
                "table `{}`: no printed row matches {}; their cells are unknown",
                table.id,
                missing.join(", ")
            ),
        ));
    }
}

/// A group printed as one row: its values kept for the group (the group's rows stay
/// unknown), with a warning naming the rows.
fn group_row(
    table: &'static Table,
    group: GroupRun,
    p: &Printed<'_>,
    label: &str,
    placed: Placed<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<xxgk_model::GroupRow> {
    let columns = table.rows[group.first].columns;
    let rows = &table.rows[group.first..group.first + group.rows];
    let row_cells: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.columns
                .iter()
                .map(move |c| format!("{}.{}.{}", table.id, r.path, c.id))
        })
        .collect();
    let group_cells = || {
        columns
            .iter()
            .map(|c| format!("{}.{}.{}", table.id, group.path, c.id))
    };
    let placement: Placement<'_> = match placed {
        Placed::AllBlank => p
            .data
            .iter()
            .map(|f| Some(*f))
            .chain(std::iter::repeat(None))
            .take(columns.len())
            .collect(),
        Placed::InOrder(placement) | Placed::SkippingExtra(placement, _) => placement,
        Placed::ByPosition(placement, how) => {
            diagnostics.push(
                Diagnostic::new(
                    codes::ROW_VALUES_PLACED,
                    Severity::Warning,
                    format!("{}.{} (`{label}`): {how}", table.id, group.path),
                )
                .at(p.row.location)
                .with_cells(group_cells()),
            );
            placement
        }
        Placed::Ambiguous(values) => {
            diagnostics.push(
                Diagnostic::new(
                    codes::ROW_VALUES_AMBIGUOUS,
                    Severity::Error,
                    format!(
                        "{}.{} (`{label}`, a group printed as one row): {} values for {} columns; the group's values are left unknown",
                        table.id,
                        group.path,
                        values.len(),
                        columns.len()
                    ),
                )
                .at(p.row.location)
                .with_cells(group_cells()),
            );
            return None;
        }
    };
    let mut values = std::collections::BTreeMap::new();
    for (column, fragment) in columns.iter().zip(&placement) {
        if let Some(f) = fragment {
            let id = format!("{}.{}.{}", table.id, group.path, column.id);
            let cell = if f.text.is_empty() {
                Cell::from(Value::Blank).with_source("", Some(f.location))
            } else {
                cell_of(f, column, diagnostics, &id)
            };
            values.insert(column.id.to_owned(), cell);
        }
    }
    let row_names: Vec<&str> = rows.iter().map(|r| r.label.title).collect();
    diagnostics.push(
        Diagnostic::new(
            codes::GROUP_AS_ONE_ROW,
            Severity::Warning,
            format!(
                "`{label}` prints group {}.{} ({}) as one row: its values are kept for the group, where checks that add up its rows use them; its rows {} are unknown",
                table.id,
                group.path,
                group.label.title,
                row_names.join(", ")
            ),
        )
        .at(p.row.location)
        .with_cells(row_cells),
    );
    Some(xxgk_model::GroupRow {
        table: table.id.to_owned(),
        group: group.path.to_owned(),
        label: label.to_owned(),
        values,
        location: Some(p.row.location),
    })
}

/// For aligned rows, the column centres of the nearest row of the same table that printed
/// every value.
fn aligned_centres(
    rows: &[Printed<'_>],
    matches: &[Matched],
    table: &Table,
) -> HashMap<usize, Vec<f32>> {
    let full: Vec<(usize, Vec<f32>)> = matches
        .iter()
        .filter(|m| rows[m.cells_from].row.layout == Layout::Aligned)
        .filter(|m| spaced(&rows[m.cells_from].values().collect::<Vec<_>>()))
        .filter_map(|m| {
            let p = &rows[m.cells_from];
            let values: Vec<&Fragment> = p.values().collect();
            (values.len() == table.rows[m.template_row].columns.len()).then(|| {
                (
                    m.cells_from,
                    values
                        .iter()
                        .map(|f| f.x as f32 + f.text.chars().count() as f32 / 2.0)
                        .collect(),
                )
            })
        })
        .collect();
    let mut out = HashMap::new();
    for m in matches {
        let n = table.rows[m.template_row].columns.len();
        let nearest = full
            .iter()
            .filter(|(_, c)| c.len() == n)
            .min_by_key(|(i, _)| i.abs_diff(m.cells_from));
        if let Some((_, c)) = nearest {
            out.insert(m.cells_from, c.clone());
        }
    }
    out
}

/// A table printed as one row of cells (section 四): the row with the most values.
fn one_row<'a>(
    table: &'static Table,
    rows: &[Printed<'a>],
    tables: &mut Tables,
    diagnostics: &mut Vec<Diagnostic>,
    pending: &mut Vec<Pending<'a>>,
) -> bool {
    let n = table.cell_count();
    // A row with exactly as many cells as the table (blank cells counted in grids) is the row;
    // else the one with the most values, if it has at least half of them.
    let exact = |p: &Printed<'_>| {
        p.values().count() == n || (p.row.layout == Layout::Grid && p.data.len() == n)
    };
    let best = rows
        .iter()
        .filter(|p| p.row.layout != Layout::Prose && (p.has_values() || exact(p)))
        .max_by_key(|p| {
            let k = p.values().count();
            (exact(p), k.min(n), std::cmp::Reverse(k))
        });
    let Some(p) = best.filter(|p| exact(p) || p.values().count() * 2 >= n) else {
        return false;
    };
    // All cells of the table as one list of columns, rows in order.
    let values: Vec<&Fragment> = p.values().collect();
    let grid_all = p.row.layout == Layout::Grid && p.data.len() == n;
    if values.len() == n || grid_all {
        let cells: Vec<&Fragment> = if grid_all { p.data.clone() } else { values };
        let mut k = 0;
        for r in table.rows {
            let placement: Placement<'_> = cells[k..k + r.columns.len()]
                .iter()
                .map(|f| Some(*f))
                .collect();
            set_row(tables, table.id, r.path, r.columns, &placement, diagnostics);
            k += r.columns.len();
        }
    } else {
        pending.push(Pending {
            table: table.id,
            row: "",
            columns: &[],
            location: p.row.location,
            label: String::new(),
            values,
        });
    }
    true
}

/// The (row, column) of every cell a pending placement covers.
fn targets(p: &Pending<'_>, template: &Template) -> Vec<(&'static str, &'static Column)> {
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
fn alignments(k: usize, n: usize, limit: usize) -> Option<Vec<Vec<Option<usize>>>> {
    let mut out = Vec::new();
    fn choose(
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
type Reading = (Vec<(String, String, Location)>, String);

fn slips(values: &[&Fragment], n: usize) -> Vec<Reading> {
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
                    format!("`{a}` and `{b}` read as one number {a}{b} split over two cells"),
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
                    format!("`{t}` read as two numbers {a} and {b} run together"),
                ));
            }
        }
    }
    out
}

/// Ways of splitting a run of digits run together (`13201117`) into the cells a row is missing,
/// at most this many.
const MAX_SPLITS: usize = 5_000;

/// Readings of a row whose values are two or more fewer than its columns and one of which is a
/// run of digits with at least as many digits as the cells it must hold (a crawler dump): the
/// run cut into numbers (no leading zeros) for every way of leaving some of those cells blank,
/// since a dump leaves no trace of a blank cell. Empty when the run is too short for that, or
/// when the readings would be more than [`MAX_SPLITS`]: only a complete set can be trusted.
fn digit_run_splits(values: &[&Fragment], n: usize) -> Vec<Reading> {
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
        let cuts = compositions(run, pieces, MAX_SPLITS + 1);
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
                out.push((texts, format!("the digits `{run}` read as {parts} cells run together")));
                if out.len() > MAX_SPLITS {
                    return Vec::new();
                }
            }
        }
    }
    out
}

/// Every choice of `k` of the numbers `0..n`, in increasing order.
fn choices(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, acc: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
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
fn compositions(digits: &str, pieces: usize, limit: usize) -> Vec<Vec<String>> {
    fn go(
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

/// Place a row whose values do not fit its columns by trying every alignment against the
/// table's constraints.
/// Returns whether every cell was settled (placed, or said to be lost); `false` when some
/// stay undetermined, so that another pass may settle them with more of the table known.
fn resolve(p: &Pending<'_>, tables: &mut Tables, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let template = tables.edition().template();
    let targets = targets(p, template);
    let what = if p.row.is_empty() {
        p.table.to_owned()
    } else {
        format!("{}.{}", p.table, p.row)
    };
    let ids: Vec<String> = targets
        .iter()
        .map(|(r, c)| format!("{}.{r}.{}", p.table, c.id))
        .collect();
    let (k, n) = (p.values.len(), targets.len());
    let head = format!(
        "{what}{}: {k} values for {n} columns",
        if p.label.is_empty() {
            String::new()
        } else {
            format!(" (`{}`)", p.label)
        }
    );
    let Some(candidates) = alignments(k, n, 512) else {
        diagnostics.push(
            Diagnostic::new(
                codes::ROW_VALUES_AMBIGUOUS,
                Severity::Error,
                format!("{head}; too many ways to place them, the cells are left unknown"),
            )
            .at(p.location)
            .with_cells(ids),
        );
        return true;
    };
    // Every candidate placement, as the cells it gives; a note says when it reads the values
    // as an extraction slip (one number split over two cells, or two numbers run together).
    let mut scratch = Vec::new();
    let mut placements: Vec<(Vec<Cell>, Option<String>)> = candidates
        .iter()
        .map(|cand| {
            let cells = targets
                .iter()
                .zip(cand)
                .map(|((_, col), v)| {
                    v.map_or(Cell::from(Value::Unknown), |v| {
                        cell_of(p.values[v], col, &mut scratch, "")
                    })
                })
                .collect();
            (cells, None)
        })
        .collect();
    placements.extend(slips(&p.values, n).into_iter().map(|(texts, note)| {
        let cells = targets
            .iter()
            .zip(&texts)
            .map(|((_, col), (text, raw, at))| {
                let f = Fragment {
                    text: text.clone(),
                    raw: raw.clone(),
                    location: *at,
                    x: 0,
                    span: 1,
                    continued: false,
                };
                cell_of(&f, col, &mut scratch, "")
            });
        (cells.collect(), Some(note))
    }));
    // A run of digits holding several cells (a crawler dump): if some ways of splitting it
    // satisfy the constraints, only those are read; otherwise the values are placed as printed.
    let splits: Vec<(Vec<Cell>, Option<String>)> = digit_run_splits(&p.values, n)
        .into_iter()
        .map(|(texts, note)| {
            let cells = targets
                .iter()
                .zip(&texts)
                .map(|((_, col), (text, raw, at))| {
                    let f = Fragment {
                        text: text.clone(),
                        raw: raw.clone(),
                        location: *at,
                        x: 0,
                        span: 1,
                        continued: false,
                    };
                    cell_of(&f, col, &mut scratch, "")
                });
            (cells.collect(), Some(note))
        })
        .collect();
    let mut trial = tables.clone();
    let mut holds = |cells: &[Cell]| {
        for ((row, col), cell) in targets.iter().zip(cells) {
            if let Some(slot) = trial.cell_mut(p.table, row, col.id) {
                *slot = cell.clone();
            }
        }
        !trial.check().into_iter().any(|r| {
            r.outcome == Outcome::Fail
                && r.terms.iter().any(|t| {
                    t.cell.table == p.table
                        && targets
                            .iter()
                            .any(|(row, col)| t.cell.row == *row && t.cell.column == col.id)
                })
        })
    };
    let fitting_splits: Vec<(Vec<Cell>, Option<String>)> = splits
        .into_iter()
        .filter(|(cells, _)| holds(cells))
        .collect();
    if !fitting_splits.is_empty() {
        placements = fitting_splits;
    }
    let mut consistent: Vec<Vec<Cell>> = Vec::new();
    let mut slip_notes: Vec<String> = Vec::new();
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
    let slip_text = if slip_notes.is_empty() {
        String::new()
    } else {
        format!("; {}", slip_notes.join("; "))
    };
    let head = format!("{head}{slip_text}");
    let location = p.location;
    match consistent.len() {
        0 => {
            diagnostics.push(Diagnostic::new(codes::ROW_VALUES_AMBIGUOUS, Severity::Error, format!("{head}; no placement satisfies the table's constraints, the cells are left unknown")).at(location).with_cells(ids));
            true
        }
        count => {
            // A cell is known when every acceptable placement gives it the same known value;
            // a cell no placement gives a value was lost, one they disagree on is undetermined.
            let (mut lost, mut undetermined) = (Vec::new(), Vec::new());
            for (i, (row, col)) in targets.iter().enumerate() {
                let first = &consistent[0][i];
                let agreed = consistent.iter().all(|c| c[i].value == first.value);
                if let Some(slot) = tables.cell_mut(p.table, row, col.id) {
                    *slot = if agreed {
                        first.clone()
                    } else {
                        Cell::from(Value::Unknown)
                    };
                }
                if !agreed {
                    undetermined.push(ids[i].clone());
                } else if first.is_unknown() {
                    lost.push(ids[i].clone());
                }
            }
            let how = if count == 1 {
                "one alignment satisfies the table's constraints".to_owned()
            } else {
                format!("{count} alignments satisfy the table's constraints")
            };
            let lost_text = if lost.is_empty() {
                String::new()
            } else {
                format!(
                    "; no value was printed for {}, which stays unknown",
                    lost.join(", ")
                )
            };
            if undetermined.is_empty() {
                let placed = if count == 1 {
                    "; placed by it"
                } else {
                    "; all place the values alike"
                };
                diagnostics.push(
                    Diagnostic::new(
                        codes::ROW_VALUES_RESOLVED,
                        Severity::Warning,
                        format!("{head}; {how}{placed}{lost_text}"),
                    )
                    .at(location)
                    .with_cells(ids),
                );
                true
            } else {
                diagnostics.push(
                    Diagnostic::new(
                        codes::ROW_VALUES_AMBIGUOUS,
                        Severity::Error,
                        format!(
                            "{head}; {how}, which disagree: left unknown: {}{lost_text}",
                            undetermined.join(", ")
                        ),
                    )
                    .at(location)
                    .with_cells(undetermined.into_iter().chain(lost)),
                );
                false
            }
        }
    }
}

/// The edition the document's own labels point to: the one with more of its distinctive
/// labels printed (labels only one edition has). `None` when no distinctive label is found.
pub fn edition_from_labels(doc: &Document) -> Option<(xxgk_model::Edition, usize)> {
    let text: String = doc.rows.iter().flat_map(|r| core(&r.text())).collect();
    let labels_of = |t: &Template| -> Vec<Vec<char>> {
        let mut out = Vec::new();
        for table in t.tables {
            for row in table.rows {
                out.extend(row.label.spellings().map(core));
                out.extend(
                    row.columns
                        .iter()
                        .flat_map(|c| c.label.spellings().map(core)),
                );
            }
        }
        out
    };
    let all: Vec<(xxgk_model::Edition, Vec<Vec<char>>)> = xxgk_model::Edition::ALL
        .iter()
        .map(|e| (*e, labels_of(e.template())))
        .collect();
    let contains = |needle: &[char]| {
        let n: String = needle.iter().collect();
        !n.is_empty() && text.contains(&n)
    };
    let mut scores: Vec<(xxgk_model::Edition, usize)> = all
        .iter()
        .map(|(e, labels)| {
            let distinctive = labels.iter().filter(|l| {
                l.len() >= 4
                    && all
                        .iter()
                        .filter(|(o, _)| o != e)
                        .all(|(_, other)| !other.contains(l))
            });
            (*e, distinctive.filter(|l| contains(l)).count())
        })
        .collect();
    scores.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    match scores.as_slice() {
        [(e, s), rest @ ..] if *s > 0 && rest.iter().all(|(_, o)| o < s) => Some((*e, *s)),
        _ => None,
    }
}
