//! The metadata types the generator (`xxgk-codegen`) reads out of the schema and the model
//! (`xxgk-model`) carries at run time, defined once so the two cannot drift apart. Each type
//! knows its schema keyword, so parsing the schema and printing it back use the same words.
//!
//! ```
//! use xxgk_meta::{Cmp, Each};
//! assert_eq!(Each::from_keyword("column"), Some(Each::Column));
//! assert!(Cmp::Ge.holds(3, 2));
//! assert_eq!(Cmp::Le.to_string(), "<=");
//! ```

use std::fmt;

/// What a column holds (`x-xxgk-kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    /// A count, zero or more.
    Count,
    /// A count that may be negative (本年增/减).
    SignedCount,
    /// An exact decimal amount with a unit.
    Amount,
}

impl CellKind {
    /// The kind a schema keyword names (`count`, `signed_count`, `amount`).
    pub fn from_keyword(s: &str) -> Option<CellKind> {
        match s {
            "count" => Some(CellKind::Count),
            "signed_count" => Some(CellKind::SignedCount),
            "amount" => Some(CellKind::Amount),
            _ => None,
        }
    }

    /// The schema keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            CellKind::Count => "count",
            CellKind::SignedCount => "signed_count",
            CellKind::Amount => "amount",
        }
    }
}

/// How a table is printed (`x-xxgk-layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TableLayout {
    /// `rows`: one printed row per row of the table, the usual case.
    #[default]
    Rows,
    /// `one_row`: every cell in one printed row; the table's rows are column groups of a
    /// spanning header (section 四).
    OneRow,
}

impl TableLayout {
    /// The layout a schema keyword names (`rows`, `one_row`).
    pub fn from_keyword(s: &str) -> Option<TableLayout> {
        match s {
            "rows" => Some(TableLayout::Rows),
            "one_row" => Some(TableLayout::OneRow),
            _ => None,
        }
    }
}

/// What a constraint is evaluated over (`scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// One report's tables.
    Report,
    /// Two reports of one agency in consecutive years.
    Corpus,
    /// Report metadata, by a built-in check.
    Meta,
}

impl Scope {
    /// The scope a schema keyword names (`report`, `corpus`, `meta`).
    pub fn from_keyword(s: &str) -> Option<Scope> {
        match s {
            "report" => Some(Scope::Report),
            "corpus" => Some(Scope::Corpus),
            "meta" => Some(Scope::Meta),
            _ => None,
        }
    }
}

/// How a rule is instantiated over its table (`each`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Each {
    /// Once per column; the rule names rows.
    Column,
    /// Once per row; the rule names columns.
    Row,
    /// Once per cell; the rule names `self`.
    Cell,
    /// Once; the rule names `row.column` paths.
    Once,
}

impl Each {
    /// The instantiation a schema keyword names (`column`, `row`, `cell`, `once`).
    pub fn from_keyword(s: &str) -> Option<Each> {
        match s {
            "column" => Some(Each::Column),
            "row" => Some(Each::Row),
            "cell" => Some(Each::Cell),
            "once" => Some(Each::Once),
            _ => None,
        }
    }

    /// The schema keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Each::Column => "column",
            Each::Row => "row",
            Each::Cell => "cell",
            Each::Once => "once",
        }
    }
}

/// A comparison operator of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// `==`: both sides equal.
    Eq,
    /// `<=`: the left side at most the right.
    Le,
    /// `>=`: the left side at least the right.
    Ge,
    /// `<`: the left side below the right.
    Lt,
    /// `>`: the left side above the right.
    Gt,
}

impl Cmp {
    /// Does `l cmp r` hold?
    pub fn holds(self, l: i128, r: i128) -> bool {
        match self {
            Cmp::Eq => l == r,
            Cmp::Le => l <= r,
            Cmp::Ge => l >= r,
            Cmp::Lt => l < r,
            Cmp::Gt => l > r,
        }
    }

    /// The comparison an operator as written in rules names (`<=`).
    pub fn from_operator(s: &str) -> Option<Cmp> {
        [Cmp::Eq, Cmp::Le, Cmp::Ge, Cmp::Lt, Cmp::Gt]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// The operator as written in rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Le => "<=",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Gt => ">",
        }
    }
}

impl fmt::Display for Cmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_round_trip() {
        for k in [CellKind::Count, CellKind::SignedCount, CellKind::Amount] {
            assert_eq!(CellKind::from_keyword(k.keyword()), Some(k));
        }
        for e in [Each::Column, Each::Row, Each::Cell, Each::Once] {
            assert_eq!(Each::from_keyword(e.keyword()), Some(e));
        }
        assert_eq!(Scope::from_keyword("corpus"), Some(Scope::Corpus));
        assert_eq!(
            TableLayout::from_keyword("one_row"),
            Some(TableLayout::OneRow)
        );
        assert_eq!(CellKind::from_keyword("Count"), None);
    }

    #[test]
    fn comparisons() {
        assert!(Cmp::Eq.holds(2, 2) && !Cmp::Eq.holds(2, 3));
        assert!(Cmp::Lt.holds(2, 3) && !Cmp::Lt.holds(3, 3));
        assert!(Cmp::Gt.holds(4, 3) && Cmp::Ge.holds(3, 3) && Cmp::Le.holds(3, 3));
        assert_eq!(Cmp::from_operator(">="), Some(Cmp::Ge));
        assert_eq!(Cmp::from_operator("=>"), None);
    }
}
