//! The grid builder every reader of tables with merged cells shares.
//!
//! A reader hands over a table row by row, each cell with its text, raw text, location, the
//! number of grid columns it spans and how it merges vertically ([`Merge`]); the builder puts
//! each cell at its grid column `x` and gives back the row's [`Fragment`]s, sorted by `x`,
//! with the copies of cells merged from above marked `continued`. Two ways of merging down are
//! known:
//!
//! * **implicit** ([`Merge::Down`]): the cell covers the rows below, which have no cell of
//!   their own there (HTML `rowspan`, a PDF cell spanning ruling lines). The builder adds a copy
//!   to each row below and places that row's own cells in the columns left free.
//! * **explicit** ([`Merge::Restart`], [`Merge::Continue`]): the rows below hold a placeholder
//!   cell of their own (Word `w:vMerge`). A placeholder repeats the text of the cell that
//!   started the merge at the same column; without one, it is an ordinary cell.
//!
//! Horizontal spans are capped at [`MAX_SPAN`], and copying is paid from a [`Budget`], so that
//! a hostile document (a huge `rowspan` on every row, a long text merged down thousands of rows)
//! stays linear in its size.

use std::collections::HashMap;

use xxgk_model::diagnostic::Location;

use crate::doc::Fragment;

/// Largest column or row span honoured (the HTML standard caps colspan at 1000; Word itself stops
/// at 63 columns).
pub(crate) const MAX_SPAN: u32 = 1000;

/// Widest row (fragments) whose width the next row reserves in advance.
const MAX_PRESIZED_ROW: usize = 64;

/// How a cell merges with the rows below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Merge {
    /// The cell covers its row and the next `n - 1` rows, which have no cell of their own
    /// there (`Down(1)`: an ordinary cell). Ends any explicit merge open in its columns.
    Down(u32),
    /// Starts an explicit vertical merge: the placeholder cells below repeat this cell's text.
    Restart,
    /// A placeholder continuing the explicit merge started at the same column; an ordinary cell
    /// when none is open there.
    Continue,
}

/// A cell as a reader found it.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// Normalised text ([`crate::doc::normalize`]).
    pub text: String,
    /// The text as in the source, trimmed.
    pub raw: String,
    pub location: Location,
    /// Grid columns spanned (at least 1, at most [`MAX_SPAN`]).
    pub colspan: u32,
    pub merge: Merge,
}

/// Bytes that copies of merged cells may take, shared by every table of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Budget {
    left: usize,
    per_byte: usize,
}

impl Budget {
    /// `base` bytes free; each [`earn`](Budget::earn)ed byte adds `per_byte` more.
    pub(crate) fn new(base: usize, per_byte: usize) -> Budget {
        Budget {
            left: base,
            per_byte,
        }
    }

    /// Real content of `bytes` bytes was read: copies of that much more may be made.
    pub(crate) fn earn(&mut self, bytes: usize) {
        self.left = self
            .left
            .saturating_add(self.per_byte.saturating_mul(bytes));
    }

    fn spend(&mut self, cost: usize) -> bool {
        if cost <= self.left {
            self.left -= cost;
            true
        } else {
            false
        }
    }
}

/// A cell merged down implicitly, still covering `remaining` rows.
#[derive(Debug)]
struct Carry {
    x: u32,
    span: u32,
    remaining: u32,
    text: String,
    raw: String,
    location: Location,
}

/// The cell that started an explicit merge.
#[derive(Debug)]
struct Merged {
    text: String,
    raw: String,
}

#[derive(Debug)]
struct RowBuild {
    fragments: Vec<Fragment>,
    /// Column intervals `[start, end)` taken by cells merged from above, sorted by start.
    occupied: Vec<(u32, u32)>,
    occupied_index: usize,
    col: u32,
    new_carries: Vec<Carry>,
}

/// One table being built. Rows are [`start_row`](Grid::start_row)ed, filled with
/// [`push`](Grid::push) in reading order and closed with [`finish_row`](Grid::finish_row).
#[derive(Debug, Default)]
pub(crate) struct Grid {
    /// Implicit merges, sorted by column.
    carries: Vec<Carry>,
    /// Explicit merges open, by the grid column of the cell that started them.
    merges: HashMap<u32, Merged>,
    row: Option<RowBuild>,
    /// Fragments of the last row finished: the next row is sized for as many (rows of a
    /// table are alike), capped so one wide row cannot make every later row reserve as much.
    last_width: usize,
}

impl Grid {
    /// Starts a row whose first cell may sit no further left than grid column `before` (Word's
    /// `w:gridBefore`; 0 otherwise). The copies of cells merged down implicitly are added first;
    /// one the budget cannot pay for ends its merge, and its columns are free for this row.
    pub(crate) fn start_row(&mut self, before: u32, budget: &mut Budget) {
        let mut fragments = Vec::with_capacity(self.last_width.max(self.carries.len()));
        let mut occupied = Vec::new();
        for carry in self.carries.iter_mut() {
            // A copy adds a fragment the source does not have: charged its texts and one byte.
            if !budget.spend(1 + carry.text.len() + carry.raw.len()) {
                carry.remaining = 0;
                continue;
            }
            fragments.push(Fragment {
                text: carry.text.clone(),
                raw: carry.raw.clone(),
                location: carry.location,
                x: carry.x,
                span: carry.span,
                continued: true,
            });
            occupied.push((carry.x, carry.x.saturating_add(carry.span)));
            carry.remaining = carry.remaining.saturating_sub(1);
        }
        self.row = Some(RowBuild {
            fragments,
            occupied,
            occupied_index: 0,
            col: before,
            new_carries: Vec::new(),
        });
    }

    /// Whether a row is started and not yet finished.
    pub(crate) fn in_row(&self) -> bool {
        self.row.is_some()
    }

    /// Places `cell` at the first grid column not taken by a cell merged from above. Without a
    /// started row the cell is dropped.
    pub(crate) fn push(&mut self, cell: Cell, budget: &mut Budget) {
        let Some(row) = self.row.as_mut() else {
            return;
        };
        // Skip the columns taken by cells merged from above.
        loop {
            while row.occupied_index < row.occupied.len()
                && row.occupied[row.occupied_index].1 <= row.col
            {
                row.occupied_index += 1;
            }
            match row.occupied.get(row.occupied_index) {
                Some(&(start, end)) if start <= row.col => row.col = end,
                _ => break,
            }
        }
        let x = row.col;
        let span = cell.colspan;
        row.col = row.col.saturating_add(span);
        let (text, raw, continued) = match cell.merge {
            Merge::Continue => match self.merges.get(&x) {
                // The placeholder exists anyway: charged the raw text it copies.
                Some(m) if budget.spend(m.raw.len()) => (m.text.clone(), m.raw.clone(), true),
                Some(_) => (String::new(), String::new(), true),
                None => (cell.text, cell.raw, false),
            },
            Merge::Restart => {
                clear_merges(&mut self.merges, x, span);
                self.merges.insert(
                    x,
                    Merged {
                        text: cell.text.clone(),
                        raw: cell.raw.clone(),
                    },
                );
                (cell.text, cell.raw, false)
            }
            Merge::Down(rows) => {
                clear_merges(&mut self.merges, x, span);
                if rows > 1 {
                    row.new_carries.push(Carry {
                        x,
                        span,
                        remaining: rows - 1,
                        text: cell.text.clone(),
                        raw: cell.raw.clone(),
                        location: cell.location,
                    });
                }
                (cell.text, cell.raw, false)
            }
        };
        row.fragments.push(Fragment {
            text,
            raw,
            location: cell.location,
            x,
            span,
            continued,
        });
    }

    /// Ends the row: its fragments sorted by `x` (`None` when no row was started). The row may
    /// be empty; whether to keep it is the reader's call.
    pub(crate) fn finish_row(&mut self) -> Option<Vec<Fragment>> {
        let mut row = self.row.take()?;
        self.carries.retain(|c| c.remaining > 0);
        self.carries.append(&mut row.new_carries);
        self.carries.sort_by_key(|c| c.x);
        row.fragments.sort_by_key(|f| f.x);
        self.last_width = row.fragments.len().min(MAX_PRESIZED_ROW);
        Some(row.fragments)
    }
}

/// Ends the explicit merges started in the columns `[x, x + span)`.
fn clear_merges(merges: &mut HashMap<u32, Merged>, x: u32, span: u32) {
    if merges.is_empty() {
        return;
    }
    let end = x.saturating_add(span);
    merges.retain(|&k, _| k < x || k >= end);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, colspan: u32, merge: Merge) -> Cell {
        Cell {
            text: text.to_owned(),
            raw: text.to_owned(),
            location: Location::new(1, 1),
            colspan,
            merge,
        }
    }

    fn row(
        grid: &mut Grid,
        budget: &mut Budget,
        cells: Vec<Cell>,
    ) -> Vec<(u32, u32, String, bool)> {
        grid.start_row(0, budget);
        for c in cells {
            grid.push(c, budget);
        }
        grid.finish_row()
            .unwrap()
            .into_iter()
            .map(|f| (f.x, f.span, f.text, f.continued))
            .collect()
    }

    #[test]
    fn implicit_merges_take_their_columns_in_the_rows_below() {
        let mut grid = Grid::default();
        let mut budget = Budget::new(1 << 16, 0);
        row(
            &mut grid,
            &mut budget,
            vec![cell("甲", 1, Merge::Down(2)), cell("乙", 2, Merge::Down(1))],
        );
        let second = row(&mut grid, &mut budget, vec![cell("丙", 1, Merge::Down(1))]);
        assert_eq!(
            second,
            [(0, 1, "甲".into(), true), (1, 1, "丙".into(), false)]
        );
        let third = row(&mut grid, &mut budget, vec![cell("丁", 1, Merge::Down(1))]);
        assert_eq!(third, [(0, 1, "丁".into(), false)]);
    }

    #[test]
    fn explicit_merges_repeat_the_restart_cell() {
        let mut grid = Grid::default();
        let mut budget = Budget::new(1 << 16, 0);
        row(
            &mut grid,
            &mut budget,
            vec![cell("甲", 2, Merge::Restart), cell("乙", 1, Merge::Down(1))],
        );
        let second = row(
            &mut grid,
            &mut budget,
            vec![cell("", 2, Merge::Continue), cell("", 1, Merge::Continue)],
        );
        assert_eq!(
            second,
            [(0, 2, "甲".into(), true), (2, 1, "".into(), false)]
        );
    }

    #[test]
    fn copies_stop_when_the_budget_is_spent() {
        let mut grid = Grid::default();
        // "甲" is 3 bytes: the first copy costs 7, the second cannot be paid.
        let mut budget = Budget::new(10, 0);
        row(&mut grid, &mut budget, vec![cell("甲", 1, Merge::Down(3))]);
        assert_eq!(row(&mut grid, &mut budget, vec![]).len(), 1);
        let third = row(&mut grid, &mut budget, vec![cell("乙", 1, Merge::Down(1))]);
        assert_eq!(third, [(0, 1, "乙".into(), false)]);
        budget.earn(100);
        assert!(!budget.spend(4));
    }
}
