//! The narrative's statements. The schema's `x-xxgk-prose` defines which sentences restate the
//! tables (generated as [`PROSE`](crate::PROSE)); the parser finds them in a report
//! ([`Statement`], kept in canonical JSON); [`Report::check_statements`](crate::Report) compares
//! each with the cells it restates.

use crate::cell::{Amount, AmountUnit, Cell, CellId, Value};
use crate::check::{CheckResult, Cmp, Constraint, Evaluation, Outcome, Reading, Term};
use crate::diagnostic::{CheckFailure, Diagnostic, Location, Severity};
use crate::message::{Arg, Message};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Code of the warning for a statement the tables contradict.
pub const MISMATCH: &str = "prose.mismatch";

/// The statement ids of section 六's processing fee (data: no cell restates them).
pub mod processing_fee {
    /// The amount charged.
    pub const AMOUNT: &str = "processing_fee.amount";
    /// How many charges.
    pub const COUNT: &str = "processing_fee.count";
    /// None was charged.
    pub const NONE: &str = "processing_fee.none";
}

/// The words and statements of `x-xxgk-prose`.
#[derive(Debug)]
pub struct Prose {
    /// Words before a number that make it approximate (约, 近).
    pub approximate_before: &'static [&'static str],
    /// Words after a number that make it approximate (余, 多).
    pub approximate_after: &'static [&'static str],
    /// Words that make any number of their cue a change or a rate (同比, 增长).
    pub exclude: &'static [&'static str],
    /// What a sentence can be about.
    pub topics: &'static [Topic],
    /// The statements, in schema order.
    pub statements: &'static [StatementDef],
}

impl Prose {
    /// The statement `id`.
    pub fn statement(&'static self, id: &str) -> Option<&'static StatementDef> {
        self.statements.iter().find(|s| s.id == id)
    }
}

/// A topic of the narrative and the words that name it.
#[derive(Debug)]
pub struct Topic {
    /// Its id (`applications`).
    pub id: &'static str,
    /// Words that name it (`申请`).
    pub keywords: &'static [&'static str],
}

/// One way a number is cued: every group needs one of its words.
#[derive(Debug)]
pub struct Pattern {
    /// Groups of words before the number (since the previous number).
    pub before: &'static [&'static [&'static str]],
    /// Groups of words after it (up to the next comma or number).
    pub after: &'static [&'static [&'static str]],
}

/// What a statement says of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Says {
    /// The number stated is a sum of cells.
    Restates,
    /// A claim: a rule holds in the tables.
    Asserts,
    /// Data only: nothing in the tables to compare with.
    Nothing,
}

/// A cell a statement reads, with its sign.
#[derive(Debug, Clone, Copy)]
pub struct Operand {
    /// The cell.
    pub cell: CellId,
    /// 1, or -1 for a subtracted cell.
    pub coefficient: i8,
}

/// The cells a statement reads in one edition.
#[derive(Debug)]
pub struct Sides {
    /// The edition's id.
    pub edition: &'static str,
    /// The check as a constraint: its id is the statement's, its rule what it compares.
    pub constraint: Constraint,
    /// The restated cells, or a claim's left side.
    pub left: &'static [Operand],
    /// How a claim's sides compare (`==` for a restatement).
    pub cmp: Cmp,
    /// A claim's right side; empty for a restatement.
    pub right: &'static [Operand],
    /// The restated cell is an amount, compared as an exact decimal.
    pub amount: bool,
}

/// One statement of `x-xxgk-prose`.
#[derive(Debug)]
pub struct StatementDef {
    /// Stable id (`received`, `review.upheld`).
    pub id: &'static str,
    /// The table its cells are in.
    pub table: Option<&'static str>,
    /// The topic a number must be about.
    pub topic: &'static str,
    /// Ways a number is cued; any one.
    pub patterns: &'static [Pattern],
    /// Phrases that make the statement without a number (均维持).
    pub claims: &'static [&'static str],
    /// Words that must not be in the cue (for a claim: the sentence before it).
    pub exclude: &'static [&'static str],
    /// Words that must not follow the number before the next one.
    pub exclude_after: &'static [&'static str],
    /// Units the number may carry.
    pub units: &'static [&'static str],
    /// What it says of the tables.
    pub says: Says,
    /// What it states, in a sentence.
    pub description: Option<&'static str>,
    /// The cells it reads, per edition it applies to.
    pub sides: &'static [Sides],
}

impl StatementDef {
    /// The cells it reads in `edition`; `None` when it says nothing of that edition's tables.
    pub fn sides(&self, edition: &str) -> Option<&'static Sides> {
        let sides: &'static [Sides] = self.sides;
        sides.iter().find(|s| s.edition == edition)
    }
}

/// A statement found in a report's narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The id of its definition in `x-xxgk-prose`.
    pub statement: String,
    /// The number stated, when it counts something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// The amount stated, when it is money.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount_json")]
    pub amount: Option<Amount>,
    /// The words that state it, quoted.
    pub text: String,
    /// Where they stand in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Statement {
    /// Its definition; `None` for an id the schema does not know.
    pub fn def(&self) -> Option<&'static StatementDef> {
        crate::PROSE.statement(&self.statement)
    }

    /// The value stated, as printed for people (`95`, `3940 元`); empty for a claim.
    pub fn value_text(&self) -> String {
        match (self.count, self.amount) {
            (Some(n), _) => n.to_string(),
            (None, Some(a)) => a.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// What the narrative says of 信息处理费 (section 六 of the 2021 edition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessingFee {
    /// Whether any was charged.
    pub charged: bool,
    /// The amount charged, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount_json")]
    pub amount: Option<Amount>,
    /// How many charges, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Where it is stated (the first statement about it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl ProcessingFee {
    /// What `statements` say of the processing fee; `None` when they say nothing. A stated
    /// amount or count above zero means charged, even beside a sentence saying none was.
    pub fn from_statements(statements: &[Statement]) -> Option<ProcessingFee> {
        let of = |id: &str| statements.iter().find(|s| s.statement == id);
        let amount = of(processing_fee::AMOUNT);
        let count = of(processing_fee::COUNT);
        let none = of(processing_fee::NONE);
        let first = [amount, count, none]
            .into_iter()
            .flatten()
            .min_by_key(|s| s.location.map(|l| (l.line, l.column)))?;
        let amount_value = amount.and_then(|s| s.amount);
        let count_value = count.and_then(|s| s.count);
        let charged =
            amount_value.is_some_and(|a| !a.value.is_zero()) || count_value.is_some_and(|n| n > 0);
        Some(ProcessingFee {
            charged,
            amount: amount_value,
            count: count_value,
            location: first.location,
        })
    }
}

impl ProcessingFee {
    /// What it says, for people: `none charged`, `charged: 3940 元, 2 times`.
    pub fn message(&self) -> Message {
        if !self.charged && self.amount.is_none() && self.count.is_none() {
            return Message::new("fee.none");
        }
        let mut parts = Vec::new();
        if let Some(a) = self.amount {
            parts.push(Arg::from(a.to_string()));
        }
        if let Some(n) = self.count {
            parts.push(Message::new("fee.count").arg("n", i128::from(n)).into());
        }
        Message::new(if self.charged {
            "fee.charged"
        } else {
            "fee.none"
        })
        .arg("what", Arg::List(parts))
    }
}

/// Canonical JSON of an amount: `{"value": "3940", "unit": "元"}`, as cells print theirs.
mod amount_json {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Json {
        value: String,
        unit: String,
    }

    pub(super) fn serialize<S: Serializer>(a: &Option<Amount>, s: S) -> Result<S::Ok, S::Error> {
        match a {
            Some(a) => Json {
                value: a.value.to_string(),
                unit: a.unit.as_str().to_owned(),
            }
            .serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
        let Some(j) = Option::<Json>::deserialize(d)? else {
            return Ok(None);
        };
        let unit = AmountUnit::parse(&j.unit)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown unit `{}`", j.unit)))?;
        Amount::parse(&j.value, unit)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("`{}` is not an amount", j.value)))
    }
}

/// One statement of a report compared with its tables.
#[derive(Debug, Clone)]
pub struct StatementCheck {
    /// Its position in the report's statements.
    pub index: usize,
    /// Its definition.
    pub def: &'static StatementDef,
    /// The comparison: the stated number on the left (no cells), the restated cells on the
    /// right; a claim's rule as it stands. For an amount, both sides in 0.0001 元.
    pub result: CheckResult,
}

impl StatementCheck {
    /// Whether the statement agrees with the tables.
    pub fn outcome(&self) -> Outcome {
        self.result.outcome
    }
}

/// An amount in 0.0001 元 (exact for the four decimals of 万元 amounts in 元); `None` beyond.
fn ten_thousandths_of_yuan(a: Amount) -> Option<i128> {
    let factor = match a.unit {
        AmountUnit::Yuan => Decimal::from(10_000),
        AmountUnit::TenThousandYuan => Decimal::from(100_000_000),
    };
    let v = a.value.checked_mul(factor)?;
    v.fract()
        .is_zero()
        .then(|| v.mantissa() / 10i128.pow(v.scale()))
}

/// The stated amount and the cell's, in 0.0001 元; the cell's rounded as the narrative
/// rounds (a narrative saying 12.35 万元 for 12.3456 agrees).
fn amounts(stated: Amount, cell: Amount) -> Option<(i128, i128)> {
    let in_unit = |a: Amount, unit: AmountUnit| -> Option<Decimal> {
        match (a.unit, unit) {
            (x, y) if x == y => Some(a.value),
            (AmountUnit::Yuan, AmountUnit::TenThousandYuan) => {
                a.value.checked_div(Decimal::from(10_000))
            }
            _ => a.value.checked_mul(Decimal::from(10_000)),
        }
    };
    let cell_in_stated = in_unit(cell, stated.unit)?;
    let rounded = cell_in_stated.round_dp(stated.value.scale());
    let rounded = Amount {
        value: rounded,
        unit: stated.unit,
    };
    Some((
        ten_thousandths_of_yuan(stated)?,
        ten_thousandths_of_yuan(rounded)?,
    ))
}

/// Compare `statement` (at `index`) with `tables`; `None` when it says nothing of them (data,
/// an unknown id, an edition it does not apply to, no value).
pub(crate) fn check_one(
    index: usize,
    statement: &Statement,
    edition: &str,
    cell: &dyn Fn(CellId) -> Option<Cell>,
) -> Option<StatementCheck> {
    let def = statement.def()?;
    let sides = def.sides(edition)?;
    let mut e = Evaluation::new(&sides.constraint, Some(def.id));
    let result = match def.says {
        Says::Nothing => return None,
        Says::Restates if sides.amount => {
            let op = sides.left.first()?;
            let value = cell(op.cell);
            let stated = statement.amount?;
            e.end_left();
            let (left, right) = match value.as_ref().map(|c| c.value) {
                Some(Value::Amount(a)) => amounts(stated, a)?,
                _ => (0, 0),
            };
            // Read for its reading and location; the value is compared as money above.
            e.read(op.cell, op.coefficient, value.as_ref());
            let mut r = e.finish(left, Cmp::Eq, right);
            if let (Some(Value::Amount(_)), Some(t)) =
                (value.as_ref().map(|c| c.value), r.terms.first_mut())
            {
                t.reading = Reading::Number(i64::try_from(right).unwrap_or(i64::MAX));
                r.outcome = crate::check::outcome(&r.terms, left, Cmp::Eq, right);
            }
            r
        }
        Says::Restates => {
            let stated = i128::from(statement.count?);
            e.end_left();
            let mut right = 0;
            for op in sides.left {
                right += e.read(op.cell, op.coefficient, cell(op.cell).as_ref());
            }
            e.finish(stated, Cmp::Eq, right)
        }
        Says::Asserts => {
            let mut left = 0;
            for op in sides.left {
                left += e.read(op.cell, op.coefficient, cell(op.cell).as_ref());
            }
            e.end_left();
            let mut right = 0;
            for op in sides.right {
                right += e.read(op.cell, op.coefficient, cell(op.cell).as_ref());
            }
            e.finish(left, sides.cmp, right)
        }
    };
    Some(StatementCheck { index, def, result })
}

impl StatementCheck {
    /// The `prose.mismatch` warning for a statement the tables contradict; `None` otherwise.
    /// It points at the sentence and names the cells; the stated and tabled values are in
    /// the message and in [`Diagnostic::check`].
    pub fn to_diagnostic(&self, statement: &Statement) -> Option<Diagnostic> {
        let r = &self.result;
        if r.outcome != Outcome::Fail {
            return None;
        }
        let cells = || Arg::sum(r.terms.iter().map(Term::cell_ref));
        let text = match self.def.says {
            Says::Asserts => {
                let (l, rt) = r.terms.split_at(r.left_terms.min(r.terms.len()));
                Message::new("prose.claim_mismatch")
                    .arg("quote", statement.text.as_str())
                    .arg("left", Arg::sum(l.iter().map(Term::cell_ref)))
                    .arg("left_value", r.left)
                    .arg("right", Arg::sum(rt.iter().map(Term::cell_ref)))
                    .arg("right_value", r.right)
            }
            _ => {
                let tabled = match statement.amount {
                    Some(a) => Arg::from(format!(
                        "{} {}",
                        Decimal::from_i128_with_scale(r.right, 4)
                            .checked_div(match a.unit {
                                AmountUnit::Yuan => Decimal::ONE,
                                AmountUnit::TenThousandYuan => Decimal::from(10_000),
                            })
                            .unwrap_or_default()
                            .normalize(),
                        a.unit.as_str()
                    )),
                    None => Arg::from(r.right),
                };
                Message::new("prose.mismatch")
                    .arg("quote", statement.text.as_str())
                    .arg("stated", statement.value_text())
                    .arg("cells", cells())
                    .arg("tabled", tabled)
            }
        };
        let mut d = Diagnostic::new(MISMATCH, Severity::Warning, text)
            .with_cells(r.terms.iter().map(Term::cell_ref));
        d.location = statement.location;
        d.check = Some(CheckFailure {
            rule: r.constraint.rule.unwrap_or_default().to_owned(),
            stated: None,
            instance: Some(self.def.id.to_owned()),
            left: r.left,
            cmp: r.cmp,
            right: r.right,
            read_as_zero: r.assumed_zero().map(Term::cell_ref).collect(),
        });
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_compare_in_the_narrative_precision() {
        let a = |v: &str, u| Amount::parse(v, u).unwrap();
        use AmountUnit::*;
        let same = |s, c| {
            let (l, r) = amounts(s, c).unwrap();
            l == r
        };
        assert!(same(
            a("12.35", TenThousandYuan),
            a("12.3456", TenThousandYuan)
        ));
        assert!(!same(
            a("12.34", TenThousandYuan),
            a("12.3456", TenThousandYuan)
        ));
        assert!(same(a("3940", Yuan), a("0.394", TenThousandYuan)));
        assert!(!same(a("3940", Yuan), a("0.3941", TenThousandYuan)));
        assert!(same(a("12", TenThousandYuan), a("120000", Yuan)));
    }

    #[test]
    fn processing_fee_from_statements() {
        let st = |id: &str, count: Option<u64>, amount: Option<&str>| Statement {
            statement: id.to_owned(),
            count,
            amount: amount.and_then(|v| Amount::parse(v, AmountUnit::Yuan)),
            text: String::new(),
            location: None,
        };
        assert_eq!(ProcessingFee::from_statements(&[]), None);
        let none = ProcessingFee::from_statements(&[st(processing_fee::NONE, None, None)]).unwrap();
        assert!(!none.charged);
        let some = ProcessingFee::from_statements(&[
            st("received", Some(3), None),
            st(processing_fee::AMOUNT, None, Some("3940")),
        ])
        .unwrap();
        assert!(some.charged);
        assert_eq!(some.amount.unwrap().to_string(), "3940 元");
        let json = serde_json::to_string(&some).unwrap();
        assert_eq!(
            json,
            r#"{"charged":true,"amount":{"value":"3940","unit":"元"}}"#
        );
        assert_eq!(serde_json::from_str::<ProcessingFee>(&json).unwrap(), some);
    }
}
