//! Constraint checks. The generated code reads the cells of each rule instance through an
//! [`Evaluation`], which decides what the rule may assume: a blank or not-applicable cell is
//! read as zero and the result says so; an unknown cell makes the instance not assessable.

use crate::cell::{Cell, CellId, CellRef, Value};
use crate::diagnostic::{CheckFailure, Diagnostic, Location, Severity};
use crate::message::{Arg, Message};
use std::fmt;

pub use xxgk_meta::{Cmp, Each, Scope};

/// A constraint as declared in the schema's `x-xxgk-constraints`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Constraint {
    /// Stable id, used as the diagnostic code (`applications.balance`).
    pub id: &'static str,
    /// How serious a failure is: an error fails the report, a warning does not.
    pub severity: Severity,
    /// What the rule is evaluated over.
    pub scope: Scope,
    /// The table the rule reads.
    pub table: Option<&'static str>,
    /// Editions it applies to; empty for all.
    pub editions: &'static [&'static str],
    /// What one instance covers: a column, a row, a cell, or the table once.
    pub each: Each,
    /// The official wording printed on the form, if any.
    pub stated: Option<&'static str>,
    /// What the rule checks, in a sentence for readers of the schema.
    pub description: Option<&'static str>,
    /// The rule as written in the schema.
    pub rule: Option<&'static str>,
    /// The built-in check a meta constraint names.
    pub builtin: Option<&'static str>,
}

/// How a rule read one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A printed number.
    Number(i64),
    /// Blank, read as zero.
    BlankAsZero,
    /// Not applicable, read as zero.
    NotApplicableAsZero,
    /// Not known: the instance cannot be assessed.
    Unknown,
    /// An amount, which rules do not add up.
    NotACount,
}

/// One cell a rule read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The cell read.
    pub cell: CellId,
    /// The sign the rule gives the cell on its side: 1, or -1 for a subtracted cell.
    pub coefficient: i8,
    /// From the previous year's report (continuity checks).
    pub previous: bool,
    /// What the rule took the cell to be.
    pub reading: Reading,
    /// Where the cell's text stands in the source, when the report was parsed.
    pub location: Option<Location>,
}

impl Term {
    /// The cell, marked when it is the previous year's.
    pub fn cell_ref(&self) -> CellRef {
        CellRef {
            cell: self.cell,
            previous: self.previous,
        }
    }

    /// The cell as `table.row.column`, prefixed `previous.` for the previous year's report.
    pub fn name(&self) -> String {
        self.cell_ref().to_string()
    }
}

/// The outcome of one instance of a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rule holds.
    Pass,
    /// The rule does not hold: the cells contradict each other.
    Fail,
    /// The cells needed are unknown or all blank: nothing to check.
    NotAssessable,
}

/// One instance of a constraint, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The constraint evaluated.
    pub constraint: &'static Constraint,
    /// The column, row or cell this instance is about.
    pub instance: Option<&'static str>,
    /// Whether the rule held, failed or could not be assessed.
    pub outcome: Outcome,
    /// The left side's value (blank and not applicable read as zero).
    pub left: i128,
    /// The comparison between the two sides.
    pub cmp: Cmp,
    /// The right side's value.
    pub right: i128,
    /// Every cell read, left side first.
    pub terms: Vec<Term>,
    /// How many of `terms` belong to the left side.
    pub left_terms: usize,
}

impl CheckResult {
    /// Cells read as zero because they were blank or not applicable.
    pub fn assumed_zero(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| {
            matches!(
                t.reading,
                Reading::BlankAsZero | Reading::NotApplicableAsZero
            )
        })
    }

    /// Cells that were not known.
    pub fn unknown(&self) -> impl Iterator<Item = &Term> {
        self.terms
            .iter()
            .filter(|t| matches!(t.reading, Reading::Unknown | Reading::NotACount))
    }

    /// A diagnostic for a failed instance; `None` when it passed or was not assessable.
    ///
    /// Its message says what each side adds up to (`total.upheld + total.corrected is 3, but
    /// must be equal to total.total, which is 4`); the rule, the form's wording and the cells
    /// read as zero go in [`Diagnostic::check`]. It names every cell read and points at the
    /// first one with a known position.
    pub fn to_diagnostic(&self) -> Option<Diagnostic> {
        if self.outcome != Outcome::Fail {
            return None;
        }
        let c = self.constraint;
        let (l, r) = self.terms.split_at(self.left_terms.min(self.terms.len()));
        let side = |terms: &[Term], value: i128| -> Arg {
            if terms.is_empty() {
                Arg::from(value)
            } else {
                Arg::sum(terms.iter().map(Term::cell_ref))
            }
        };
        let op = Message::new(match self.cmp {
            Cmp::Eq => "cmp.eq",
            Cmp::Le => "cmp.le",
            Cmp::Ge => "cmp.ge",
            Cmp::Lt => "cmp.lt",
            Cmp::Gt => "cmp.gt",
        });
        let text = if r.is_empty() {
            Message::new("check.failed_constant")
        } else {
            Message::new("check.failed").arg("right", side(r, self.right))
        }
        .arg("left", side(l, self.left))
        .arg("left_value", self.left)
        .arg("op", op)
        .arg("right_value", self.right);
        let location = self
            .terms
            .iter()
            .filter(|t| !t.previous)
            .find_map(|t| t.location);
        let mut d = Diagnostic::new(c.id, c.severity, text)
            .with_cells(self.terms.iter().map(Term::cell_ref));
        d.location = location;
        d.check = Some(CheckFailure {
            rule: c.rule.unwrap_or_default().to_owned(),
            stated: c.stated.map(str::to_owned),
            instance: self.instance.map(str::to_owned),
            left: self.left,
            cmp: self.cmp,
            right: self.right,
            read_as_zero: self.assumed_zero().map(Term::cell_ref).collect(),
        });
        Some(d)
    }
}

impl fmt::Display for CheckResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.constraint.id)?;
        if let Some(i) = self.instance {
            write!(f, "[{i}]")?;
        }
        write!(
            f,
            ": {:?} ({} {} {})",
            self.outcome,
            self.left,
            self.cmp.as_str(),
            self.right
        )
    }
}

/// One operand of a [`Plan`]'s side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A cell: the `at`th of the cells its edition's plans read (the generated `plan_cells`),
    /// times `coefficient` (1, or -1 for a subtracted cell).
    Cell {
        /// Its place among the cells the plans read.
        at: u16,
        /// Which cell it is.
        cell: CellId,
        /// The sign the rule gives it.
        coefficient: i8,
    },
    /// A number in the rule, its sign applied.
    Constant(i128),
}

/// One instance of a report-scope constraint as data, generated from the schema. An
/// edition's whole check is a table of plans run by one loop ([`Plan::evaluate`]): as code,
/// one block per instance run once per report, it was the largest function of a batch and
/// ran mostly out of the instruction cache (7% of the time for 1.3% of the instructions).
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The constraint this is an instance of.
    pub constraint: &'static Constraint,
    /// The column, row or cell this instance is about.
    pub instance: Option<&'static str>,
    /// The left side.
    pub left: &'static [Operand],
    /// How the sides compare.
    pub cmp: Cmp,
    /// The right side.
    pub right: &'static [Operand],
}

impl Plan {
    /// Evaluate the instance over `cells` (the generated `plan_cells`: `None` where the cell's
    /// table is absent).
    pub fn evaluate(&self, cells: &[Option<&Cell>]) -> CheckResult {
        let mut e = Evaluation::new(self.constraint, self.instance);
        let left = side(self.left, cells, |cell, coefficient, value| {
            e.read(cell, coefficient, value)
        });
        e.end_left();
        let right = side(self.right, cells, |cell, coefficient, value| {
            e.read(cell, coefficient, value)
        });
        e.finish(left, self.cmp, right)
    }

    /// The instance's outcome over `cells` alone: what [`Plan::evaluate`] gives, without
    /// building a result.
    pub fn outcome(&self, cells: &[Option<&Cell>]) -> Outcome {
        let mut v = Verdict::default();
        let left = side(self.left, cells, |cell, coefficient, value| {
            v.read(cell, coefficient, value)
        });
        let right = side(self.right, cells, |cell, coefficient, value| {
            v.read(cell, coefficient, value)
        });
        v.finish(left, self.cmp, right)
    }
}

/// The sum of a plan's side over `cells`, each cell read by `read` (given the cell, its sign
/// and its value).
#[inline(always)]
fn side(
    operands: &[Operand],
    cells: &[Option<&Cell>],
    mut read: impl FnMut(CellId, i8, Option<&Cell>) -> i128,
) -> i128 {
    let mut sum = 0i128;
    for op in operands {
        sum += match *op {
            Operand::Constant(n) => n,
            Operand::Cell {
                at,
                cell,
                coefficient,
            } => read(
                cell,
                coefficient,
                cells.get(usize::from(at)).copied().flatten(),
            ),
        };
    }
    sum
}

/// Reads the cells of one rule instance. Used by generated code.
#[derive(Debug)]
pub struct Evaluation {
    constraint: &'static Constraint,
    instance: Option<&'static str>,
    terms: Vec<Term>,
    left_terms: Option<usize>,
    /// Whether a cell read was unknown (or not a count), and whether one held a number.
    unknown: bool,
    number: bool,
}

impl Evaluation {
    /// Start evaluating an instance of `constraint` (an outcome alone is [`Verdict`]'s).
    pub fn new(constraint: &'static Constraint, instance: Option<&'static str>) -> Self {
        Evaluation {
            constraint,
            instance,
            terms: Vec::with_capacity(8),
            left_terms: None,
            unknown: false,
            number: false,
        }
    }

    #[inline(always)]
    fn take(
        &mut self,
        cell: CellId,
        coefficient: i8,
        previous: bool,
        value: Option<&Cell>,
    ) -> i128 {
        let (reading, n) = reading(value);
        note(reading, &mut self.unknown, &mut self.number);
        self.terms.push(Term {
            cell,
            coefficient,
            previous,
            reading,
            location: value.and_then(Cell::location),
        });
        i128::from(coefficient) * n
    }

    /// Read a cell of this report (`None`: its table is absent), times `coefficient` (1, or
    /// -1 for a subtracted cell).
    #[inline(always)]
    pub fn read(&mut self, cell: CellId, coefficient: i8, value: Option<&Cell>) -> i128 {
        self.take(cell, coefficient, false, value)
    }

    /// Read a cell of the previous year's report, times `coefficient`.
    #[inline]
    pub fn read_previous(&mut self, cell: CellId, coefficient: i8, value: Option<&Cell>) -> i128 {
        self.take(cell, coefficient, true, value)
    }

    /// Mark the end of the left side. Generated code calls it between the two sides;
    /// without it, [`Evaluation::finish`] counts every term as left.
    #[inline]
    pub fn end_left(&mut self) {
        self.left_terms = Some(self.terms.len());
    }

    /// Compare the two sides and produce the result.
    pub fn finish(self, left: i128, cmp: Cmp, right: i128) -> CheckResult {
        // The same judgement as [`outcome`] over the terms, from what `take` saw.
        let outcome = decide(self.unknown, self.number, left, cmp, right);
        let left_terms = self.left_terms.unwrap_or(self.terms.len());
        CheckResult {
            constraint: self.constraint,
            instance: self.instance,
            outcome,
            left,
            cmp,
            right,
            terms: self.terms,
            left_terms,
        }
    }
}

/// How a rule reads a cell (`None`: its table is absent), and the value it adds.
#[inline(always)]
fn reading(value: Option<&Cell>) -> (Reading, i128) {
    match value.map(|c| c.value) {
        None | Some(Value::Unknown) => (Reading::Unknown, 0),
        Some(Value::Blank) => (Reading::BlankAsZero, 0),
        Some(Value::NotApplicable) => (Reading::NotApplicableAsZero, 0),
        Some(Value::Count(n)) => match i64::try_from(n) {
            Ok(n) => (Reading::Number(n), i128::from(n)),
            Err(_) => (Reading::NotACount, 0),
        },
        Some(Value::SignedCount(n)) => (Reading::Number(n), i128::from(n)),
        Some(Value::Amount(_)) => (Reading::NotACount, 0),
    }
}

/// Note what `reading` means for the outcome: a cell not known, or one holding a number.
#[inline(always)]
fn note(reading: Reading, unknown: &mut bool, number: &mut bool) {
    match reading {
        Reading::Unknown | Reading::NotACount => *unknown = true,
        Reading::Number(_) => *number = true,
        Reading::BlankAsZero | Reading::NotApplicableAsZero => {}
    }
}

/// Reads the cells of one rule instance for its outcome alone: [`Evaluation`] keeping
/// nothing else, so that trying many values in a few cells builds no result. Used by
/// generated code, with the same calls.
#[derive(Debug, Default)]
pub struct Verdict {
    unknown: bool,
    number: bool,
}

impl Verdict {
    /// Read a cell of this report (`None`: its table is absent), times `coefficient`.
    #[inline(always)]
    pub fn read(&mut self, _cell: CellId, coefficient: i8, value: Option<&Cell>) -> i128 {
        let (reading, n) = reading(value);
        note(reading, &mut self.unknown, &mut self.number);
        i128::from(coefficient) * n
    }

    /// Read a cell of the previous year's report, times `coefficient`.
    #[inline(always)]
    pub fn read_previous(&mut self, cell: CellId, coefficient: i8, value: Option<&Cell>) -> i128 {
        self.read(cell, coefficient, value)
    }

    /// The end of the left side: nothing to mark.
    #[inline(always)]
    pub fn end_left(&mut self) {}

    /// Compare the two sides: the outcome [`Evaluation::finish`] gives.
    #[inline(always)]
    pub fn finish(self, left: i128, cmp: Cmp, right: i128) -> Outcome {
        decide(self.unknown, self.number, left, cmp, right)
    }
}

/// The outcome of comparing two sides over the cells read: not assessable when a cell is not
/// known, or when no cell holds a number (a rule on constants only, or only blanks).
pub(crate) fn outcome(terms: &[Term], left: i128, cmp: Cmp, right: i128) -> Outcome {
    let unknown = terms
        .iter()
        .any(|t| matches!(t.reading, Reading::Unknown | Reading::NotACount));
    let number = terms
        .iter()
        .any(|t| matches!(t.reading, Reading::Number(_)));
    decide(unknown, number, left, cmp, right)
}

/// The outcome, given whether a cell read was unknown and whether one held a number.
fn decide(unknown: bool, number: bool, left: i128, cmp: Cmp, right: i128) -> Outcome {
    if unknown || !number {
        Outcome::NotAssessable
    } else if cmp.holds(left, right) {
        Outcome::Pass
    } else {
        Outcome::Fail
    }
}
