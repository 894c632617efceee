//! Binding a constraint's rule to the cells of one edition's table: every `sum(...)`
//! expanded, every id checked, one [`Instance`] per column, row or cell.

use crate::Error;
use crate::rule::{Cmp, Depth, Expr, Ref, Term};
use crate::schema::{CellKind, Constraint, Each, LeafRow, Schema};

/// A cell operand: `previous` marks the previous year's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// An integer literal.
    Int(i64),
    /// One cell of the table.
    Cell {
        /// The cell is in the previous year's report.
        previous: bool,
        /// The row's dotted path from the table.
        row: String,
        /// The column's id.
        column: String,
    },
}

/// One concrete comparison: what a generated check evaluates.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The column id, row path or `row.column` this instance is about.
    pub label: Option<String>,
    /// The left side as `(negated, operand)` pairs.
    pub left: Vec<(bool, Operand)>,
    /// How the sides compare.
    pub cmp: Cmp,
    /// The right side as `(negated, operand)` pairs.
    pub right: Vec<(bool, Operand)>,
}

/// The table definitions a rule is bound to.
pub struct Binding<'a> {
    /// The schema the types come from.
    pub schema: &'a Schema,
    /// The `$defs` name of the table type in this year's report.
    pub current: &'a str,
    /// The `$defs` name of the table type in the previous year's report, for corpus rules.
    pub previous: Option<&'a str>,
}

fn rows_of<'a>(schema: &'a Schema, def: &str) -> Vec<LeafRow<'a>> {
    schema.leaf_rows(def)
}

impl Binding<'_> {
    /// Every instance of `c`'s rule over this binding.
    pub fn instances(&self, c: &Constraint) -> Result<Vec<Instance>, Error> {
        let Some(rule) = &c.rule else {
            return Ok(Vec::new());
        };
        let fail = |m: String| Error::new(format!("{}/rule", c.pointer), m);
        let cur = rows_of(self.schema, self.current);
        let prev = self
            .previous
            .map(|p| rows_of(self.schema, p))
            .unwrap_or_default();
        let rows_for = |previous: bool| if previous { &prev } else { &cur };
        let find_row = |previous: bool, path: &str| -> Result<&LeafRow<'_>, String> {
            rows_for(previous)
                .iter()
                .find(|r| r.path == path)
                .ok_or_else(|| {
                    let known: Vec<&str> =
                        rows_for(previous).iter().map(|r| r.path.as_str()).collect();
                    format!(
                        "no row `{path}` in table `{}` (rows: {})",
                        c.table.as_deref().unwrap_or(""),
                        known.join(", ")
                    )
                })
        };
        let check_kind = |row: &LeafRow<'_>, column: &str| -> Result<(), String> {
            match row.column(column) {
                None => Err(format!("row `{}` has no column `{column}`", row.path)),
                Some(col) if col.kind == CellKind::Amount => Err(format!(
                    "`{}.{column}` is an amount; rules do integer arithmetic on counts only",
                    row.path
                )),
                Some(_) => Ok(()),
            }
        };
        let mut out = Vec::new();
        match c.each {
            Each::Column => {
                // Rows named by the rule; columns are those of the first row, shared by all.
                let rows = expand_all(rule_refs(&rule.left, &rule.right), |r, depth, except| {
                    select(
                        rows_for(r.previous).iter().map(|x| x.path.as_str()),
                        r,
                        depth,
                        except,
                    )
                })
                .map_err(&fail)?;
                let first = rows
                    .first()
                    .ok_or_else(|| fail("the rule names no row".into()))?;
                let first_row = find_row(first.previous, &first.path.join(".")).map_err(&fail)?;
                for col in first_row.columns {
                    let bind = |r: &Ref| -> Result<Operand, String> {
                        let row = find_row(r.previous, &r.path.join("."))?;
                        check_kind(row, &col.id)?;
                        Ok(Operand::Cell {
                            previous: r.previous,
                            row: row.path.clone(),
                            column: col.id.clone(),
                        })
                    };
                    let expand = |r: &Ref, d: Depth, ex: &[Ref]| {
                        select(
                            rows_for(r.previous).iter().map(|x| x.path.as_str()),
                            r,
                            d,
                            ex,
                        )
                    };
                    out.push(Instance {
                        label: Some(col.id.clone()),
                        left: bind_expr(&rule.left, &expand, &bind).map_err(&fail)?,
                        cmp: rule.cmp,
                        right: bind_expr(&rule.right, &expand, &bind).map_err(&fail)?,
                    });
                }
            }
            Each::Row => {
                let named: Vec<&Ref> = rule_refs(&rule.left, &rule.right)
                    .filter_map(|t| match t {
                        RefOrSel::Ref(r) => Some(r),
                        RefOrSel::Sel(..) => None,
                    })
                    .collect();
                let targets: Vec<&LeafRow<'_>> = if c.rows.is_empty() {
                    cur.iter()
                        .filter(|row| {
                            named
                                .iter()
                                .all(|r| r.path.len() == 1 && row.column(&r.path[0]).is_some())
                        })
                        .collect()
                } else {
                    c.rows
                        .iter()
                        .map(|p| find_row(false, p))
                        .collect::<Result<_, _>>()
                        .map_err(&fail)?
                };
                if targets.is_empty() {
                    return Err(fail(format!(
                        "no row of table `{}` has every column the rule names",
                        c.table.as_deref().unwrap_or("")
                    )));
                }
                for row in targets {
                    let bind = |r: &Ref| -> Result<Operand, String> {
                        let [column] = r.path.as_slice() else {
                            return Err(format!(
                                "`{r}`: with `each: row` a rule names columns, not paths"
                            ));
                        };
                        let on = if r.previous {
                            find_row(true, &row.path)?
                        } else {
                            row
                        };
                        check_kind(on, column)?;
                        Ok(Operand::Cell {
                            previous: r.previous,
                            row: row.path.clone(),
                            column: column.clone(),
                        })
                    };
                    let expand = |r: &Ref, d: Depth, ex: &[Ref]| {
                        let on = if r.previous {
                            find_row(true, &row.path)?
                        } else {
                            row
                        };
                        select(on.columns.iter().map(|c| c.id.as_str()), r, d, ex)
                    };
                    out.push(Instance {
                        label: Some(row.path.clone()),
                        left: bind_expr(&rule.left, &expand, &bind).map_err(&fail)?,
                        cmp: rule.cmp,
                        right: bind_expr(&rule.right, &expand, &bind).map_err(&fail)?,
                    });
                }
            }
            Each::Cell => {
                for row in &cur {
                    for col in row.columns {
                        let wanted = if c.kinds.is_empty() {
                            col.kind != CellKind::Amount
                        } else {
                            c.kinds.contains(&col.kind)
                        };
                        if !wanted {
                            continue;
                        }
                        let bind = |r: &Ref| -> Result<Operand, String> {
                            if !r.path.is_empty() {
                                return Err(format!(
                                    "`{r}`: with `each: cell` a rule names `self` only"
                                ));
                            }
                            let on = if r.previous {
                                find_row(true, &row.path)?
                            } else {
                                row
                            };
                            check_kind(on, &col.id)?;
                            Ok(Operand::Cell {
                                previous: r.previous,
                                row: row.path.clone(),
                                column: col.id.clone(),
                            })
                        };
                        let expand = |_: &Ref, _: Depth, _: &[Ref]| {
                            Err("`sum(...)` has no meaning with `each: cell`".to_owned())
                        };
                        out.push(Instance {
                            label: Some(format!("{}.{}", row.path, col.id)),
                            left: bind_expr(&rule.left, &expand, &bind).map_err(&fail)?,
                            cmp: rule.cmp,
                            right: bind_expr(&rule.right, &expand, &bind).map_err(&fail)?,
                        });
                    }
                }
            }
            Each::Once => {
                let bind = |r: &Ref| -> Result<Operand, String> {
                    let Some((column, row)) =
                        r.path.split_last().filter(|(_, row)| !row.is_empty())
                    else {
                        return Err(format!(
                            "`{r}`: with no `each` a rule names `row.column` paths"
                        ));
                    };
                    let row = find_row(r.previous, &row.join("."))?;
                    check_kind(row, column)?;
                    Ok(Operand::Cell {
                        previous: r.previous,
                        row: row.path.clone(),
                        column: column.clone(),
                    })
                };
                let expand = |_: &Ref, _: Depth, _: &[Ref]| {
                    Err("`sum(...)` needs `each: column` or `each: row`".to_owned())
                };
                out.push(Instance {
                    label: None,
                    left: bind_expr(&rule.left, &expand, &bind).map_err(&fail)?,
                    cmp: rule.cmp,
                    right: bind_expr(&rule.right, &expand, &bind).map_err(&fail)?,
                });
            }
        }
        if out.is_empty() {
            return Err(fail("the rule applies to no cell".into()));
        }
        Ok(out)
    }
}

enum RefOrSel<'a> {
    Ref(&'a Ref),
    Sel(&'a Ref, Depth, &'a [Ref]),
}

fn rule_refs<'a>(left: &'a Expr, right: &'a Expr) -> impl Iterator<Item = RefOrSel<'a>> {
    left.terms
        .iter()
        .chain(&right.terms)
        .filter_map(|(_, t)| match t {
            Term::Int(_) => None,
            Term::Ref(r) => Some(RefOrSel::Ref(r)),
            Term::Sum {
                base,
                depth,
                except,
            } => Some(RefOrSel::Sel(base, *depth, except)),
        })
}

/// Every reference a rule makes, with sums expanded, in order.
fn expand_all<'a>(
    refs: impl Iterator<Item = RefOrSel<'a>>,
    expand: impl Fn(&Ref, Depth, &[Ref]) -> Result<Vec<Ref>, String>,
) -> Result<Vec<Ref>, String> {
    let mut out = Vec::new();
    for r in refs {
        match r {
            RefOrSel::Ref(r) => out.push(r.clone()),
            RefOrSel::Sel(base, depth, except) => out.extend(expand(base, depth, except)?),
        }
    }
    Ok(out)
}

/// The ids among `candidates` (dotted paths) that a selector picks.
fn select<'c>(
    candidates: impl Iterator<Item = &'c str>,
    base: &Ref,
    depth: Depth,
    except: &[Ref],
) -> Result<Vec<Ref>, String> {
    let prefix = base.path.join(".");
    let all: Vec<&str> = candidates.collect();
    for ex in except {
        let p = ex.path.join(".");
        if ex.previous != base.previous || !all.contains(&p.as_str()) {
            return Err(format!(
                "`except {ex}` names nothing the selector could pick"
            ));
        }
    }
    let picked: Vec<Ref> = all
        .iter()
        .filter_map(|id| {
            let rest = if prefix.is_empty() {
                Some(*id)
            } else {
                id.strip_prefix(&prefix).and_then(|r| r.strip_prefix('.'))
            }?;
            let fits = match depth {
                Depth::Children => !rest.contains('.'),
                Depth::Leaves => true,
            };
            let excluded = except.iter().any(|e| e.path.join(".") == *id);
            (fits && !excluded).then(|| Ref {
                previous: base.previous,
                path: id.split('.').map(str::to_owned).collect(),
            })
        })
        .collect();
    if picked.is_empty() {
        let star = if depth == Depth::Children { "*" } else { "**" };
        return Err(format!(
            "`{}{star}` selects nothing",
            if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}.")
            }
        ));
    }
    Ok(picked)
}

/// Expands a `sum(...)` selector into the references it picks.
type Expand<'a> = dyn Fn(&Ref, Depth, &[Ref]) -> Result<Vec<Ref>, String> + 'a;

fn bind_expr(
    expr: &Expr,
    expand: &Expand<'_>,
    bind: &dyn Fn(&Ref) -> Result<Operand, String>,
) -> Result<Vec<(bool, Operand)>, String> {
    let mut out = Vec::new();
    for (neg, term) in &expr.terms {
        match term {
            Term::Int(n) => out.push((*neg, Operand::Int(*n))),
            Term::Ref(r) => out.push((*neg, bind(r)?)),
            Term::Sum {
                base,
                depth,
                except,
            } => {
                for r in expand(base, *depth, except)? {
                    out.push((*neg, bind(&r)?));
                }
            }
        }
    }
    Ok(out)
}
