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

/// Text that reads as (part of) a label: not a value, and at least two characters that are
/// not digits once numbering is set aside — so a garbled cell such as `约5` stays a cell.
pub(super) fn is_label_text(t: &str) -> bool {
    !t.is_empty()
        && !looks_like_value(t)
        && core(t).iter().filter(|c| !c.is_ascii_digit()).count() >= 2
}

pub(super) fn printed(row: &Row) -> Printed<'_> {
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

/// Align template rows with printed rows: a monotone matching that maximises the summed label
/// scores, each template row taking a run of 1..=MAX_SPAN printed rows of which at most one
/// has values.
pub(super) fn align_rows(rows: &[Printed<'_>], table: &Table) -> Vec<Matched> {
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
            for k in 1..=TUNING.max_span.min(m - i) {
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
                let total =
                    here + score + TUNING.match_bonus - TUNING.span_line_cost * (k as f32 - 1.0);
                if total > best[i + k][j + 1] {
                    best[i + k][j + 1] = total;
                    back[i + k][j + 1] = (3, k);
                }
            }
            // The group starting at this template row, printed as one row with values.
            for (g, pattern) in groups.iter().filter(|(g, _)| g.first == j) {
                for k in 1..=TUNING.max_span.min(m - i) {
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
                    let total = here + score + TUNING.match_bonus
                        - TUNING.span_line_cost * (k as f32 - 1.0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

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
}
