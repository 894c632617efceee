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
    /// The form's name, the schema's title (`政府信息公开工作年度报告`).
    pub report_title: &'static str,
}

impl Vocabulary {
    /// The title a report of `agency` on `year` has in the national form
    /// (`某县统计局2024年政府信息公开工作年度报告`).
    ///
    /// ```
    /// assert_eq!(
    ///     xxgk_model::VOCABULARY.title_of("某县统计局", Some(2024)),
    ///     "某县统计局2024年政府信息公开工作年度报告"
    /// );
    /// ```
    pub fn title_of(&self, agency: &str, year: Option<i32>) -> String {
        match year {
            Some(year) => format!("{agency}{year}年{}", self.report_title),
            None => format!("{agency}{}", self.report_title),
        }
    }
}

/// A section heading of the national format (`五、存在的主要问题及改进情况`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heading {
    /// The heading as the form prints it.
    pub title: &'static str,
    /// Words the heading contains however it is reworded (any one of them).
    pub keywords: &'static [&'static str],
}

impl Heading {
    /// Its numeral (`五`).
    pub fn ordinal(&self) -> &'static str {
        self.title.split_once('、').map_or(self.title, |(n, _)| n)
    }
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

    /// How a person names a cell: the section, row and column labels as the form prints
    /// them (`三（七）总计 / 自然人`; a row numbered on its own, `四、结转下年度继续办理`, needs no
    /// section in front). A group's cell (a group printed as one row) is named by the group.
    /// `None` for a cell this edition lacks.
    ///
    /// ```
    /// use xxgk_model::Edition;
    /// let t = Edition::E2021.template();
    /// let id = t.cell_id("applications.outcomes.total.natural_person").unwrap();
    /// assert_eq!(t.cell_label(id).unwrap(), "三（七）总计 / 自然人");
    /// ```
    pub fn cell_label(&self, cell: crate::cell::CellId) -> Option<String> {
        let (table, row, column) = self.parts(cell)?;
        Some(format!(
            "{} / {}",
            short_row(table, &row),
            column.label.title
        ))
    }

    /// A cell's full path of labels, every group and spanning heading included
    /// (`三、本年度办理结果 › （七）总计 / 申请人情况 › 自然人`), for a reader who sees it away
    /// from the form (a workbook's notes).
    pub fn cell_path(&self, cell: crate::cell::CellId) -> Option<String> {
        let (_, row, column) = self.parts(cell)?;
        let mut parts: Vec<&str> = row.groups.iter().map(|g| g.label.title).collect();
        parts.extend(row.captions.iter().copied());
        parts.push(row.title);
        let mut cols: Vec<&str> = column.captions.to_vec();
        cols.push(column.label.title);
        Some(format!("{} / {}", parts.join(" › "), cols.join(" › ")))
    }

    /// How a person names a row or a group (`三（七）总计`).
    pub fn row_label(&self, table: &str, path: &str) -> Option<String> {
        let t = self.table(table)?;
        let row = row_or_group(t, path)?;
        Some(short_row(t, &row))
    }

    fn parts(
        &self,
        cell: crate::cell::CellId,
    ) -> Option<(&'static Table, RowLabels, &'static Column)> {
        let table = self.table(cell.table)?;
        let row = row_or_group(table, cell.row)?;
        let column = row.columns.iter().find(|c| c.id == cell.column)?;
        Some((table, row, column))
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

/// The numerals the form numbers its sections and rows with, in order (`一` is 1).
pub const NUMERALS: &str = "一二三四五六七八九十";

/// True when `label` starts with a numeral and `、` (`四、结转下年度继续办理`): numbered
/// like a section, so it needs no section in front.
pub fn starts_with_ordinal(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| NUMERALS.contains(c))
        && chars.find(|c| !NUMERALS.contains(*c)) == Some('、')
}

/// What names a row or a group: its label, the headings printed with it, its groups.
struct RowLabels {
    title: &'static str,
    captions: &'static [&'static str],
    groups: &'static [Group],
    columns: &'static [Column],
}

/// The row at `path`, or the group at `path` (named by the group's label, its columns those
/// of its first row).
fn row_or_group(table: &'static Table, path: &str) -> Option<RowLabels> {
    if let Some(row) = table.row(path) {
        return Some(RowLabels {
            title: row.label.title,
            captions: row.captions,
            groups: row.groups,
            columns: row.columns,
        });
    }
    let depth = path.split('.').count();
    table.rows.iter().find_map(|row| {
        let rest = row.path.strip_prefix(path)?;
        if !rest.starts_with('.') {
            return None;
        }
        // The group at `path` is the row's group at this depth.
        let group = row.groups.get(depth.checked_sub(1)?)?;
        Some(RowLabels {
            title: group.label.title,
            captions: &[],
            groups: &row.groups[..depth - 1],
            columns: row.columns,
        })
    })
}

/// `三（七）总计`: the section's numeral, the captions, the row's label.
fn short_row(table: &Table, row: &RowLabels) -> String {
    let numbered = starts_with_ordinal(row.title);
    let section = if numbered { "" } else { table.section.ordinal };
    let sep = if numbered || row.title.starts_with(['（', '(']) {
        ""
    } else {
        " "
    };
    let captions: String = row.captions.iter().map(|c| format!("{c} ")).collect();
    format!("{section}{sep}{captions}{}", row.title)
}
