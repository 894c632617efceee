//! A table laid out as the national form prints it: header rows with merged cells, stub
//! columns with the group labels, value cells — all from the template metadata, so every
//! renderer (HTML, Excel, Markdown) draws the same form.

use xxgk_model::Report;
use xxgk_model::cell::CellId;
use xxgk_model::template::{Column, Row, Table, TableLayout};

/// Does `report` have `table`? The model keeps a table the report lacks (its section was not
/// found, or JSON left it out) apart from a table it has whose cells are all unknown: the
/// first has no cells at all, the second has cells that read `?`. Every writer draws the
/// tables this says the report has, and only those.
///
/// ```
/// use xxgk_export::layout::table_present;
/// let report = xxgk_model::Report::from_json(r#"{ "meta": { "edition": "2021" },
///   "tables": { "review_litigation": { "administrative_review": { "upheld": 1 } } } }"#).unwrap();
/// let t = report.edition().template();
/// assert!(table_present(&report, t.table("review_litigation").unwrap()));
/// assert!(!table_present(&report, t.table("applications").unwrap()));
/// ```
pub fn table_present(report: &Report, table: &Table) -> bool {
    table
        .rows
        .iter()
        .flat_map(|r| r.columns.iter().map(move |c| (r.path, c.id)))
        .next()
        .is_some_and(|(row, column)| report.tables.cell(table.id, row, column).is_some())
}

/// What a laid-out cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A header: column captions and labels, sub-table captions, the stub header.
    Header(String),
    /// A row or group label.
    Label(String),
    /// A value cell of the report.
    Value(CellId),
    /// Nothing (padding of a row shorter than the grid).
    Empty,
}

/// A cell of the laid-out grid, at its top-left position, with its spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub content: Content,
}

/// A table laid out: cells (each once, at its top-left corner) and the grid's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub table: &'static Table,
    pub cells: Vec<Placed>,
    pub rows: usize,
    pub cols: usize,
}

impl Grid {
    fn push(&mut self, row: usize, col: usize, rowspan: usize, colspan: usize, content: Content) {
        self.rows = self.rows.max(row + rowspan);
        self.cols = self.cols.max(col + colspan);
        self.cells.push(Placed {
            row,
            col,
            rowspan,
            colspan,
            content,
        });
    }
}

/// Lay out `table` as the national form prints it.
///
/// ```
/// use xxgk_model::Edition;
/// use xxgk_export::layout::{layout, Content};
/// let t = Edition::E2021.template().table("applications").unwrap();
/// let g = layout(t);
/// // Three header rows, 25 rows of values; three stub columns and seven value columns.
/// assert_eq!((g.rows, g.cols), (28, 10));
/// assert!(g.cells.iter().any(|c| c.content == Content::Header("法人或其他组织".into()) && c.colspan == 5));
/// ```
pub fn layout(table: &'static Table) -> Grid {
    let mut grid = Grid {
        table,
        cells: Vec::new(),
        rows: 0,
        cols: 0,
    };
    match table.layout {
        TableLayout::OneRow => one_row(table, &mut grid),
        TableLayout::Rows if uniform(table) => uniform_rows(table, &mut grid),
        TableLayout::Rows => sub_tables(table, &mut grid),
    }
    grid
}

/// Do all rows share one set of columns?
fn uniform(table: &Table) -> bool {
    table
        .rows
        .windows(2)
        .all(|w| std::ptr::eq(w[0].columns, w[1].columns) || ids(w[0].columns) == ids(w[1].columns))
}

fn ids(columns: &[Column]) -> Vec<&str> {
    columns.iter().map(|c| c.id).collect()
}

/// Header rows over `columns` starting at grid column `left`, `depth` rows deep from `top`:
/// captions level by level (equal neighbours merged), each column's label down to the bottom.
fn column_headers(grid: &mut Grid, columns: &[Column], top: usize, left: usize, depth: usize) {
    for level in 0..depth {
        let mut c = 0;
        while c < columns.len() {
            match columns[c].captions.get(level) {
                Some(caption) => {
                    let mut end = c + 1;
                    while end < columns.len()
                        && columns[end].captions.get(level) == Some(caption)
                        && columns[end].captions[..level] == columns[c].captions[..level]
                    {
                        end += 1;
                    }
                    grid.push(
                        top + level,
                        left + c,
                        1,
                        end - c,
                        Content::Header((*caption).to_owned()),
                    );
                    c = end;
                }
                None => {
                    if level == columns[c].captions.len() {
                        grid.push(
                            top + level,
                            left + c,
                            depth - level,
                            1,
                            Content::Header(columns[c].label.title.to_owned()),
                        );
                    }
                    c += 1;
                }
            }
        }
    }
}

/// Section 三's shape: one header over every row, group labels merged down the stub.
fn uniform_rows(table: &'static Table, grid: &mut Grid) {
    let columns = table.rows[0].columns;
    let depth = columns.iter().map(|c| c.captions.len()).max().unwrap_or(0) + 1;
    let stub = table.rows.iter().map(|r| r.groups.len()).max().unwrap_or(0) + 1;
    grid.push(
        0,
        0,
        depth,
        stub,
        Content::Header(table.stub_header.unwrap_or("").to_owned()),
    );
    column_headers(grid, columns, 0, stub, depth);
    for (i, row) in table.rows.iter().enumerate() {
        let r = depth + i;
        // A group label starts where the group's first row is, and spans its rows.
        for (level, group) in row.groups.iter().enumerate() {
            let first = i == 0
                || table.rows[i - 1].groups.get(level).map(|g| g.id) != Some(group.id)
                || table.rows[i - 1].groups[..level] != row.groups[..level];
            if first {
                let span = table.rows[i..]
                    .iter()
                    .take_while(|o| {
                        o.groups.get(level).map(|g| g.id) == Some(group.id)
                            && o.groups[..level] == row.groups[..level]
                    })
                    .count();
                grid.push(
                    r,
                    level,
                    span,
                    1,
                    Content::Label(group.label.title.to_owned()),
                );
            }
        }
        let level = row.groups.len();
        grid.push(
            r,
            level,
            1,
            stub - level,
            Content::Label(row.label.title.to_owned()),
        );
        value_cells(grid, table, row, r, stub);
    }
}

fn value_cells(grid: &mut Grid, table: &Table, row: &Row, r: usize, left: usize) {
    for (k, c) in row.columns.iter().enumerate() {
        grid.push(
            r,
            left + k,
            1,
            1,
            Content::Value(CellId::new(table.id, row.path, c.id)),
        );
    }
}

/// Section 二's shape: sub-tables, each a caption row, a header row and its rows.
fn sub_tables(table: &'static Table, grid: &mut Grid) {
    let width = 1 + table
        .rows
        .iter()
        .map(|r| r.columns.len())
        .max()
        .unwrap_or(0);
    let mut r = 0;
    let mut i = 0;
    while i < table.rows.len() {
        let first = &table.rows[i];
        let end = i + table.rows[i..]
            .iter()
            .take_while(|o| o.captions == first.captions && ids(o.columns) == ids(first.columns))
            .count();
        if !first.captions.is_empty() {
            grid.push(r, 0, 1, width, Content::Header(first.captions.join(" ")));
            r += 1;
        }
        grid.push(
            r,
            0,
            1,
            1,
            Content::Header(table.stub_header.unwrap_or("").to_owned()),
        );
        for (k, c) in first.columns.iter().enumerate() {
            grid.push(r, 1 + k, 1, 1, Content::Header(c.label.title.to_owned()));
        }
        r += 1;
        for row in &table.rows[i..end] {
            grid.push(r, 0, 1, 1, Content::Label(row.label.title.to_owned()));
            value_cells(grid, table, row, r, 1);
            r += 1;
        }
        i = end;
    }
}

/// Section 四's shape: every row a column group under its captions, one row of values.
fn one_row(table: &'static Table, grid: &mut Grid) {
    let depth = table
        .rows
        .iter()
        .map(|r| r.captions.len())
        .max()
        .unwrap_or(0)
        + 1
        + table
            .rows
            .iter()
            .flat_map(|r| r.columns.iter())
            .map(|c| c.captions.len())
            .max()
            .unwrap_or(0)
        + 1;
    let mut left = 0;
    let mut k = 0;
    while k < table.rows.len() {
        let row = &table.rows[k];
        // Rows sharing a caption sit under one merged caption cell.
        if let Some(caption) = row.captions.first() {
            let end = k + table.rows[k..]
                .iter()
                .take_while(|o| o.captions.first() == Some(caption))
                .count();
            let width: usize = table.rows[k..end].iter().map(|o| o.columns.len()).sum();
            grid.push(0, left, 1, width, Content::Header((*caption).to_owned()));
            for o in &table.rows[k..end] {
                grid.push(
                    1,
                    left,
                    1,
                    o.columns.len(),
                    Content::Header(o.label.title.to_owned()),
                );
                column_headers(grid, o.columns, 2, left, depth - 2);
                value_cells(grid, table, o, depth, left);
                left += o.columns.len();
            }
            k = end;
        } else {
            grid.push(
                0,
                left,
                1,
                row.columns.len(),
                Content::Header(row.label.title.to_owned()),
            );
            column_headers(grid, row.columns, 1, left, depth - 1);
            value_cells(grid, table, row, depth, left);
            left += row.columns.len();
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

    fn at(g: &Grid, row: usize, col: usize) -> Option<&Placed> {
        g.cells.iter().find(|c| c.row == row && c.col == col)
    }

    #[test]
    fn every_value_cell_once_and_no_overlap() {
        for edition in Edition::ALL {
            for table in edition.template().tables {
                let g = layout(table);
                let values = g
                    .cells
                    .iter()
                    .filter(|c| matches!(c.content, Content::Value(_)))
                    .count();
                assert_eq!(values, table.cell_count(), "{}", table.id);
                let mut covered = vec![vec![0u8; g.cols]; g.rows];
                for c in &g.cells {
                    for row in &mut covered[c.row..c.row + c.rowspan] {
                        for n in &mut row[c.col..c.col + c.colspan] {
                            *n += 1;
                        }
                    }
                }
                assert!(
                    covered.iter().flatten().all(|n| *n <= 1),
                    "{}: overlapping cells",
                    table.id
                );
            }
        }
    }

    #[test]
    fn section_three_is_drawn_as_the_form() {
        let g = layout(Edition::E2021.template().table("applications").unwrap());
        let stub = at(&g, 0, 0).unwrap();
        assert_eq!((stub.rowspan, stub.colspan), (3, 3));
        assert_eq!(
            at(&g, 0, 3).unwrap().content,
            Content::Header("申请人情况".into())
        );
        assert_eq!(
            at(&g, 1, 3).unwrap().content,
            Content::Header("自然人".into())
        );
        assert_eq!(at(&g, 1, 3).unwrap().rowspan, 2);
        assert_eq!(
            at(&g, 0, 9).unwrap().content,
            Content::Header("总计".into())
        );
        assert_eq!(at(&g, 0, 9).unwrap().rowspan, 3);
        // 三、本年度办理结果 spans the 21 outcome rows and （七）总计.
        let outcomes = at(&g, 5, 0).unwrap();
        assert_eq!(
            outcomes.content,
            Content::Label("三、本年度办理结果".into())
        );
        assert_eq!(outcomes.rowspan, 22);
    }

    #[test]
    fn section_four_is_one_row_under_a_three_row_header() {
        let g = layout(
            Edition::E2021
                .template()
                .table("review_litigation")
                .unwrap(),
        );
        assert_eq!((g.rows, g.cols), (4, 15));
        assert_eq!(
            at(&g, 0, 0).unwrap().content,
            Content::Header("行政复议".into())
        );
        assert_eq!(
            at(&g, 0, 5).unwrap().content,
            Content::Header("行政诉讼".into())
        );
        assert_eq!(at(&g, 0, 5).unwrap().colspan, 10);
        assert_eq!(at(&g, 1, 0).unwrap().rowspan, 2);
    }
}
