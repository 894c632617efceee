//! Cells: what one box of a table holds, and where it came from.

use crate::diagnostic::Location;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use xxgk_meta::CellKind;

/// The unit printed with an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AmountUnit {
    /// 万元 (ten thousand yuan).
    TenThousandYuan,
    /// 元.
    Yuan,
}

impl AmountUnit {
    /// The unit as printed: `万元` or `元`.
    pub fn as_str(self) -> &'static str {
        match self {
            AmountUnit::TenThousandYuan => "万元",
            AmountUnit::Yuan => "元",
        }
    }

    /// The unit printed as `s`, if it is one (`万` alone is short for 万元).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "万元" | "万" => Some(AmountUnit::TenThousandYuan),
            "元" => Some(AmountUnit::Yuan),
            _ => None,
        }
    }
}

/// An exact decimal amount: `1710.15 万元` stays 1710.15, never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    /// The number as printed (scale kept: `96171.6` stays `96171.6`).
    pub value: Decimal,
    /// The unit it was printed in.
    pub unit: AmountUnit,
}

impl Amount {
    /// Parse the decimal text `value` (e.g. `"1710.15"`) in `unit`.
    ///
    /// ```
    /// use xxgk_model::cell::{Amount, AmountUnit};
    /// let a = Amount::parse("96171.6", AmountUnit::TenThousandYuan).unwrap();
    /// assert_eq!(a.to_string(), "96171.6 万元");
    /// assert!(Amount::parse("1e5", AmountUnit::Yuan).is_none());
    /// assert!(Amount::parse("-3", AmountUnit::Yuan).is_none());
    /// ```
    pub fn parse(value: &str, unit: AmountUnit) -> Option<Self> {
        // Amounts (fees, procurement) are never negative; the schema's pattern agrees.
        let mut parts = value.splitn(2, '.');
        let int_ok = parts
            .next()
            .is_some_and(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()));
        let frac_ok = parts
            .next()
            .is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
        if !int_ok || !frac_ok {
            return None;
        }
        Decimal::from_str_exact(value)
            .ok()
            .map(|value| Amount { value, unit })
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit.as_str())
    }
}

/// The value of a cell. Blank and not-applicable are kept apart from zero, and a cell the
/// parser could not determine is [`Value::Unknown`], never a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Value {
    /// Not known: absent from the report, or not determinable from the source.
    #[default]
    Unknown,
    /// Nothing printed in the cell.
    Blank,
    /// Printed as not applicable: `/`, `—`, `－`, `无`.
    NotApplicable,
    /// A count (zero or more).
    Count(u64),
    /// A signed count; also how a negative number in a count column is kept.
    SignedCount(i64),
    /// An exact decimal amount.
    Amount(Amount),
}

/// Where a cell's text was found: as printed, and its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellSource {
    /// The text as printed, before normalisation (`１９ 项`, `1710.15 万元`).
    pub raw: String,
    /// 1-based line and column of the text in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// One cell: its value, and (when parsed from a document) its raw text and position.
///
/// In canonical JSON a cell is its value only: an integer, `null` (blank), `"n/a"`, or
/// `{"value": "1710.15", "unit": "万元"}`; an unknown cell is left out. The raw text and
/// position travel in the report's `sources` map.
///
/// ```
/// use xxgk_model::cell::{Cell, Value};
/// let c: Cell = serde_json::from_str("null").unwrap();
/// assert_eq!(c.value, Value::Blank);
/// let c: Cell = serde_json::from_str("-8").unwrap();
/// assert_eq!(c.value, Value::SignedCount(-8));
/// assert_eq!(serde_json::to_string(&Cell::from(Value::NotApplicable)).unwrap(), "\"n/a\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// What the cell holds: blank, not applicable, a number, or unknown.
    pub value: Value,
    /// The raw text and position it was read from; `None` when none was recorded (a cell
    /// built in code, or read from JSON without a `sources` entry).
    pub source: Option<Box<CellSource>>,
}

impl From<Value> for Cell {
    fn from(value: Value) -> Self {
        Cell {
            value,
            source: None,
        }
    }
}

impl Cell {
    /// An unknown cell.
    pub const UNKNOWN: Cell = Cell {
        value: Value::Unknown,
        source: None,
    };

    /// A count cell.
    pub fn count(n: u64) -> Self {
        Value::Count(n).into()
    }

    /// True when the value is not known (serialization leaves the cell out).
    pub fn is_unknown(&self) -> bool {
        self.value == Value::Unknown
    }

    /// The value as an integer, for counts and signed counts.
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Count(n) => i64::try_from(n).ok(),
            Value::SignedCount(n) => Some(n),
            _ => None,
        }
    }

    /// Attach the raw text and position it was read from.
    pub fn with_source(mut self, raw: impl Into<String>, location: Option<Location>) -> Self {
        self.source = Some(Box::new(CellSource {
            raw: raw.into(),
            location,
        }));
        self
    }

    /// Where the cell was printed, if known.
    pub fn location(&self) -> Option<Location> {
        self.source.as_ref().and_then(|s| s.location)
    }

    /// The value as canonical text: the number, the amount with its unit, empty for blank,
    /// `n/a`, or `?` for unknown.
    pub fn value_text(&self) -> String {
        match self.value {
            Value::Unknown => "?".into(),
            Value::Blank => String::new(),
            Value::NotApplicable => "n/a".into(),
            Value::Count(n) => n.to_string(),
            Value::SignedCount(n) => n.to_string(),
            Value::Amount(a) => a.to_string(),
        }
    }
}

const NOT_APPLICABLE: &str = "n/a";

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Unknown => Err(serde::ser::Error::custom(
                "an unknown cell has no canonical JSON; leave it out (skip_serializing_if = Cell::is_unknown)",
            )),
            Value::Blank => s.serialize_none(),
            Value::NotApplicable => s.serialize_str(NOT_APPLICABLE),
            Value::Count(n) => s.serialize_u64(n),
            Value::SignedCount(n) => s.serialize_i64(n),
            Value::Amount(a) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("value", &a.value.to_string())?;
                m.serialize_entry("unit", a.unit.as_str())?;
                m.end()
            }
        }
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, null, \"n/a\" or {\"value\": \"1.5\", \"unit\": \"万元\"}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Value::Blank.into())
    }

    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Value::Blank.into())
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Cell, E> {
        Ok(Value::Count(n).into())
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Cell, E> {
        Ok(match u64::try_from(n) {
            Ok(n) => Value::Count(n),
            Err(_) => Value::SignedCount(n),
        }
        .into())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Cell, E> {
        if s == NOT_APPLICABLE {
            Ok(Value::NotApplicable.into())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(s), &self))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell, A::Error> {
        let (mut value, mut unit): (Option<String>, Option<String>) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = Some(map.next_value()?),
                "unit" => unit = Some(map.next_value()?),
                other => return Err(de::Error::unknown_field(other, &["value", "unit"])),
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        let unit = unit.ok_or_else(|| de::Error::missing_field("unit"))?;
        let unit = AmountUnit::parse(&unit)
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(&unit), &"万元 or 元"))?;
        let amount = Amount::parse(&value, unit).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Str(&value),
                &"a decimal number such as \"1710.15\"",
            )
        })?;
        Ok(Value::Amount(amount).into())
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

/// Deserialize a cell of a `count` column: an amount there is an error. (A negative integer is
/// kept, as [`Value::SignedCount`], for the non-negative constraints to report.)
/// Generated code uses it for `count` columns.
pub fn deserialize_count<'de, D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
    let cell = Cell::deserialize(d)?;
    match cell.value {
        Value::Amount(a) => Err(de::Error::custom(format!(
            "a count column holds the amount {a}"
        ))),
        _ => Ok(cell),
    }
}

/// Deserialize a cell of a `signed_count` column: integers become [`Value::SignedCount`], an
/// amount is an error. Generated code uses it for `signed_count` columns.
pub fn deserialize_signed_count<'de, D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
    let mut cell = Cell::deserialize(d)?;
    match cell.value {
        Value::Count(n) => {
            cell.value = Value::SignedCount(i64::try_from(n).map_err(de::Error::custom)?)
        }
        Value::Amount(a) => {
            return Err(de::Error::custom(format!(
                "a signed count column holds the amount {a}"
            )));
        }
        _ => {}
    }
    Ok(cell)
}

/// Deserialize a cell of an `amount` column: a bare number is an error (an amount needs its
/// unit). Generated code uses it for `amount` columns.
pub fn deserialize_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
    let cell = Cell::deserialize(d)?;
    match cell.value {
        Value::Count(_) | Value::SignedCount(_) => Err(de::Error::custom(format!(
            "an amount column holds the bare number {}; write {{\"value\": \"…\", \"unit\": \"万元\"}}",
            cell.value_text()
        ))),
        _ => Ok(cell),
    }
}

impl schemars::JsonSchema for Cell {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cell".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An integer, null (blank), \"n/a\" (not applicable) or an exact decimal amount with its unit.",
            "oneOf": [
                { "type": "integer" },
                { "type": "null" },
                { "const": "n/a" },
                {
                    "type": "object",
                    "required": ["value", "unit"],
                    "properties": { "value": { "type": "string" }, "unit": { "enum": ["万元", "元"] } }
                }
            ]
        })
    }
}

/// The id of a cell: `table.row.column`, the row a dotted path (`outcomes.withheld.state_secret`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellId {
    /// The table's id (`applications`).
    pub table: &'static str,
    /// The row's dotted path from the table (`outcomes.withheld.state_secret`).
    pub row: &'static str,
    /// The column's id (`natural_person`).
    pub column: &'static str,
}

impl CellId {
    /// A cell id from its parts (generated code passes the schema's ids).
    pub const fn new(table: &'static str, row: &'static str, column: &'static str) -> Self {
        CellId { table, row, column }
    }
}

impl CellId {
    /// The cell a dotted id names (`applications.outcomes.total.natural_person`) in any
    /// edition's template; the row may be a group's path (`outcomes.other`), whose
    /// values a report keeps when the group is printed as one row.
    ///
    /// ```
    /// use xxgk_model::cell::CellId;
    /// let id = CellId::parse("applications.outcomes.total.natural_person").unwrap();
    /// assert_eq!(id.row, "outcomes.total");
    /// assert_eq!(CellId::parse("applications.outcomes.other.natural_person").unwrap().row, "outcomes.other");
    /// assert_eq!(CellId::parse("applications.nope.natural_person"), None);
    /// ```
    pub fn parse(dotted: &str) -> Option<CellId> {
        let (table, rest) = dotted.split_once('.')?;
        let (row, column) = rest.rsplit_once('.')?;
        crate::TEMPLATES.iter().rev().find_map(|template| {
            let t = template.table(table)?;
            t.rows.iter().find_map(|r| {
                let c = r.column(column)?;
                // A leaf row, or a group above it: the group's path is a prefix of the row's.
                let path = match r.path.strip_prefix(row) {
                    Some("") => r.path,
                    Some(after) if after.starts_with('.') => &r.path[..row.len()],
                    _ => return None,
                };
                Some(CellId::new(t.id, path, c.id))
            })
        })
    }
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Piece by piece: `write!` would go through the formatting machinery for each.
        for part in self.parts() {
            f.write_str(part)?;
        }
        Ok(())
    }
}

impl CellId {
    /// The pieces of the dotted id.
    fn parts(&self) -> [&'static str; 5] {
        [self.table, ".", self.row, ".", self.column]
    }
}

/// Serialise `parts` joined, as one string: put together in a buffer on the stack when they
/// fit (a cell's id does), so the serialiser escapes one string instead of being fed each
/// piece through the formatting machinery (`collect_str`, the fallback).
fn serialize_joined<S: Serializer>(
    s: S,
    parts: &[&str],
    whole: &dyn fmt::Display,
) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 192];
    let mut len = 0;
    for part in parts {
        let end = len + part.len();
        let Some(to) = buf.get_mut(len..end) else {
            return s.collect_str(whole);
        };
        to.copy_from_slice(part.as_bytes());
        len = end;
    }
    // Whole strings joined: always UTF-8.
    match std::str::from_utf8(&buf[..len]) {
        Ok(text) => s.serialize_str(text),
        Err(_) => s.collect_str(whole),
    }
}

impl CellId {
    /// Is `dotted` this cell's dotted id?
    fn is(&self, dotted: &str) -> bool {
        dotted
            .strip_prefix(self.table)
            .and_then(|r| r.strip_prefix('.'))
            .and_then(|r| r.strip_suffix(self.column))
            .and_then(|r| r.strip_suffix('.'))
            == Some(self.row)
    }
}

/// Compares with a dotted id, without building one.
impl PartialEq<str> for CellId {
    fn eq(&self, dotted: &str) -> bool {
        self.is(dotted)
    }
}

impl PartialEq<&str> for CellId {
    fn eq(&self, dotted: &&str) -> bool {
        self.is(dotted)
    }
}

/// Compares with a dotted id (`previous.`-prefixed for the previous year's cell).
impl PartialEq<str> for CellRef {
    fn eq(&self, dotted: &str) -> bool {
        match (self.previous, dotted.strip_prefix("previous.")) {
            (true, Some(rest)) => self.cell.is(rest),
            (false, _) => self.cell.is(dotted),
            (true, None) => false,
        }
    }
}

impl PartialEq<&str> for CellRef {
    fn eq(&self, dotted: &&str) -> bool {
        *self == **dotted
    }
}

/// As its dotted id.
impl Serialize for CellId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_joined(s, &self.parts(), self)
    }
}

/// From its dotted id; an id no template has is an error.
impl<'de> Deserialize<'de> for CellId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dotted = String::deserialize(d)?;
        CellId::parse(&dotted)
            .ok_or_else(|| de::Error::custom(format!("`{dotted}` is not a cell of the template")))
    }
}

/// A cell a diagnostic names: of this report, or of the previous year's report (the
/// continuity checks). Serialised as the dotted id, prefixed `previous.` for the latter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// The cell.
    pub cell: CellId,
    /// In the previous year's report.
    pub previous: bool,
}

impl From<CellId> for CellRef {
    fn from(cell: CellId) -> Self {
        CellRef {
            cell,
            previous: false,
        }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.previous {
            f.write_str("previous.")?;
        }
        self.cell.fmt(f)
    }
}

impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let [table, dot, row, dot2, column] = self.cell.parts();
        if self.previous {
            serialize_joined(s, &["previous.", table, dot, row, dot2, column], self)
        } else {
            serialize_joined(s, &[table, dot, row, dot2, column], self)
        }
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dotted = String::deserialize(d)?;
        let (previous, id) = match dotted.strip_prefix("previous.") {
            Some(rest) => (true, rest),
            None => (false, dotted.as_str()),
        };
        let cell = CellId::parse(id).ok_or_else(|| {
            de::Error::custom(format!("`{dotted}` is not a cell of the template"))
        })?;
        Ok(CellRef { cell, previous })
    }
}

/// Tables, groups and rows that can say whether any cell below them is known. Generated types
/// implement it.
pub trait Unknowable {
    /// True when no cell below is known.
    fn is_unknown(&self) -> bool;
}

/// True when a table is absent or has no known cell: it is left out of canonical JSON.
/// Generated code uses it.
pub fn is_absent<T: Unknowable>(table: &Option<T>) -> bool {
    table.as_ref().is_none_or(Unknowable::is_unknown)
}
