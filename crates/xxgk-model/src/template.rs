//! Label metadata generated from the schema: what parsers match and renderers print.
//! No crate writes a Chinese template label by hand; they all read these.

use crate::cell::CellKind;
use crate::check::Constraint;

/// An official label and the variants real reports print instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// The label as the national template prints it, numbering included (`（二）部分公开`).
    pub title: &'static str,
    /// Other spellings seen in real reports.
    pub variants: &'static [&'static str],
}

impl Label {
    /// The title, then every variant.
    pub fn spellings(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.title).chain(self.variants.iter().copied())
    }
}

/// Where a table is found: the ordinal of its section heading and key words of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// `二`, `三`, `四`.
    pub ordinal: &'static str,
    /// Words the heading contains however it is reworded.
    pub keywords: &'static [&'static str],
}

/// A column of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's id (`natural_person`).
    pub id: &'static str,
    /// The column's heading as printed (`自然人`).
    pub label: Label,
    /// Spanning headings above the column, outermost first (`申请人情况`, `法人或其他组织`).
    pub captions: &'static [&'static str],
    /// What the column's cells hold: counts, signed counts or amounts.
    pub kind: CellKind,
    /// The unit the template prints the column in (`万元`), if any.
    pub unit: Option<&'static str>,
}

/// A group a row belongs to (`三、本年度办理结果`, `（三）不予公开`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The group's own id (`withheld`).
    pub id: &'static str,
    /// The group's label as printed.
    pub label: Label,
}

/// A row of a table, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The row's own id (`state_secret`).
    pub id: &'static str,
    /// The dotted path from the table (`outcomes.withheld.state_secret`).
    pub path: &'static str,
    /// The row's label as printed (`1.属于国家秘密`).
    pub label: Label,
    /// Enclosing groups, outermost first.
    pub groups: &'static [Group],
    /// Sub-table captions or spanning headings printed with the row (`第二十条第（一）项`).
    pub captions: &'static [&'static str],
    /// The row's columns, left to right.
    pub columns: &'static [Column],
}

impl Row {
    /// The column with id `id`.
    pub fn column(&self, id: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.id == id)
    }
}

pub use xxgk_meta::TableLayout;

/// Words of the printed form that are not labels: how not-applicable cells and units are
/// printed, what marks a title. Parsers read them here rather than writing them by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocabulary {
    /// How a not-applicable cell is printed (`/`, `—`, `无`, `不适用`).
    pub not_applicable: &'static [&'static str],
    /// Units printed after counts (`19 项`, `3 件`).
    pub count_units: &'static [&'static str],
    /// Words that mark a report's title line (`年度报告`, `年报`).
    pub title_markers: &'static [&'static str],
}

/// A table of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// The table's id (`applications`).
    pub id: &'static str,
    /// The section heading (`三、收到和处理政府信息公开申请情况`).
    pub label: Label,
    /// How its section heading is recognised.
    pub section: Section,
    /// The text over the row labels, if the template prints one (`信息内容`).
    pub stub_header: Option<&'static str>,
    /// How the table is printed.
    pub layout: TableLayout,
    /// The rows that hold cells, in print order (the groups they belong to are in
    /// [`Row::groups`]).
    pub rows: &'static [Row],
}

impl Table {
    /// The row at dotted path `path`.
    pub fn row(&self, path: &str) -> Option<&'static Row> {
        self.rows.iter().find(|r| r.path == path)
    }

    /// Number of cells in the table.
    pub fn cell_count(&self) -> usize {
        self.rows.iter().map(|r| r.columns.len()).sum()
    }
}

/// Everything generated about one edition.
///
/// ```
/// use xxgk_model::Edition;
/// let t = Edition::E2021.template();
/// let apps = t.table("applications").unwrap();
/// assert_eq!(apps.rows.len(), 25);
/// assert_eq!(apps.cell_count(), 175);
/// assert_eq!(apps.row("outcomes.total").unwrap().columns[0].id, "natural_person");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// The edition id (`"2021"`).
    pub edition: &'static str,
    /// The first year whose reports use this edition.
    pub first_year: i32,
    /// The edition's name in the schema (`2021 年版格式`).
    pub title: Option<&'static str>,
    /// The edition's tables, in the order the form prints them.
    pub tables: &'static [Table],
    /// Every constraint of the schema (each names the editions it applies to).
    pub constraints: &'static [Constraint],
}

impl Template {
    /// The table with id `id`.
    pub fn table(&self, id: &str) -> Option<&'static Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// Every cell id of the edition, in print order.
    pub fn cell_ids(&self) -> impl Iterator<Item = crate::cell::CellId> + '_ {
        self.tables.iter().flat_map(|t| {
            t.rows.iter().flat_map(move |r| {
                r.columns
                    .iter()
                    .map(move |c| crate::cell::CellId::new(t.id, r.path, c.id))
            })
        })
    }

    /// Parse `table.row.column` into a cell id of this edition.
    pub fn cell_id(&self, dotted: &str) -> Option<crate::cell::CellId> {
        let (table, rest) = dotted.split_once('.')?;
        let (row, column) = rest.rsplit_once('.')?;
        let t = self.table(table)?;
        let r = t.row(row)?;
        let c = r.column(column)?;
        Some(crate::cell::CellId::new(t.id, r.path, c.id))
    }
}
