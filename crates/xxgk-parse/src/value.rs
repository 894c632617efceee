//! Cell text → cell value: integers (`1,234`, `+1036`, `-8`), exact decimal amounts with their
//! unit (`1710.15 万元`, `251000元`), counts with a unit (`19 项`), blank, not applicable.
//! The words for units and not-applicable marks come from the schema's vocabulary.

use xxgk_model::VOCABULARY;
use xxgk_model::cell::{Amount, AmountUnit, CellKind, Value};
use xxgk_model::message::Message;

/// A number as printed: sign, digits (thousands separators removed), optional fraction,
/// optional unit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Number<'a> {
    negative: bool,
    explicit_plus: bool,
    /// Borrowed unless it had separators (most numbers have none).
    int: std::borrow::Cow<'a, str>,
    frac: Option<&'a str>,
    unit: Option<&'a str>,
}

fn is_not_applicable(t: &str) -> bool {
    VOCABULARY.not_applicable.contains(&t)
}

/// A count unit or an amount unit (`项`, `件`, `万元`, `元`).
pub fn is_unit(t: &str) -> bool {
    VOCABULARY.count_units.contains(&t) || AmountUnit::parse(t).is_some()
}

/// A minus sign as printed: the hyphen-minus and the minus sign, and the dashes and hyphens
/// editors put in their place (Word turns `-` into `–`); not the em dash, which marks none.
fn is_minus(c: char) -> bool {
    matches!(c, '-' | '−' | '‐' | '‑' | '‒' | '–')
}

fn number(t: &str) -> Option<Number<'_>> {
    // Most cells are bare digits: read at once.
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Number {
            negative: false,
            explicit_plus: false,
            int: t.into(),
            frac: None,
            unit: None,
        });
    }
    // A text opening with anything but space, a sign or a digit is no number (most texts
    // asked about are labels): told before trimming.
    let first = t.chars().next()?;
    if !first.is_whitespace()
        && !matches!(first, '+' | '0'..='9' | ',' | '.' | '￥' | '¥')
        && !is_minus(first)
    {
        return None;
    }
    // A currency sign before an amount says nothing its column does not (`￥1710.15`).
    let t = t.trim();
    let t = t.strip_prefix(['￥', '¥']).map_or(t, str::trim_start);
    let (negative, explicit_plus, rest) = match t.chars().next()? {
        c if is_minus(c) => (true, false, &t[c.len_utf8()..]),
        '+' => (false, true, &t[1..]),
        _ => (false, false, t),
    };
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(rest.len());
    let (digits, unit) = rest.split_at(end);
    // No digits: no number, whatever follows (told before the unit is looked at: most texts
    // asked about are labels).
    if digits.is_empty() {
        return None;
    }
    let unit = unit.trim();
    // A unit in brackets: `126.5（万元）`.
    let unit = unit
        .strip_prefix('(')
        .and_then(|u| u.strip_suffix(')'))
        .map_or(unit, str::trim);
    let unit = if unit.is_empty() {
        None
    } else if is_unit(unit) {
        Some(unit)
    } else {
        return None;
    };
    let (int_part, frac) = match digits.split_once('.') {
        // `.85` is 0.85.
        Some(("", f)) if !f.is_empty() => ("0", Some(f)),
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if int_part.is_empty()
        || int_part.starts_with(',')
        || int_part.ends_with(',')
        || int_part.contains(",,")
    {
        return None;
    }
    // Thousands separators only in groups of three.
    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or("");
    if int_part.contains(',') && (first.len() > 3 || groups.any(|g| g.len() != 3)) {
        return None;
    }
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(Number {
        negative,
        explicit_plus,
        int: if int_part.contains(',') {
            int_part.replace(',', "").into()
        } else {
            int_part.into()
        },
        frac,
        unit,
    })
}

/// True when `t` (normalised) reads as a cell value: a number (with an optional unit) or a
/// not-applicable mark. Labels such as `2.重复申请` are not values.
pub fn looks_like_value(t: &str) -> bool {
    // A number first: most values are, and bare digits are told at once.
    number(t).is_some() || is_not_applicable(t)
}

/// True when `t` (normalised) is not a value but was meant as one: a number (a decimal, or
/// digits followed by a bracket or a unit character) with something unreadable after it
/// (`3.2亿元`, `126.5(万元 )`), or an approximation (`约126万元`). Such a cell is a value
/// that cannot be read (an error at its place), not label text. Numbered labels (`3.属于…`)
/// are not.
pub fn looks_like_broken_value(t: &str) -> bool {
    let t = t.strip_prefix('约').unwrap_or(t).trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let rest = &t[digits..];
    if let Some(decimals) = rest.strip_prefix('.') {
        return decimals.starts_with(|c: char| c.is_ascii_digit());
    }
    rest.trim_start()
        .starts_with(['(', '万', '亿', '元', '项', '件', '个', '条', '次'])
}

/// A value with a note after it in brackets (`12（含转办3件）`, `9(含2)`, `25 （其中4件为网上申
/// 请）`): the text of the value and the note. `None` when the text has no such note (a unit
/// in brackets, `126.5（万元）`, is no note: [`parse_value`] reads it).
pub fn with_note(t: &str) -> Option<(&str, &str)> {
    let open = t.find('(')?;
    let (value, note) = t.split_at(open);
    let value = value.trim_end();
    (!value.is_empty() && note.ends_with(')') && !is_unit(note[1..note.len() - 1].trim()))
        .then_some((value, note))
}

/// Read normalised cell text as a value of `kind`; `unit` is the column's unit, used for an
/// amount printed without one. `Err` says why the text is not such a value (a message of the
/// catalogues, `value.*`).
///
/// ```
/// use xxgk_model::cell::{CellKind, Value};
/// use xxgk_parse::value::parse_value;
/// assert_eq!(parse_value("1,234", CellKind::Count, None), Ok(Value::Count(1234)));
/// assert_eq!(parse_value("-8", CellKind::SignedCount, None), Ok(Value::SignedCount(-8)));
/// assert_eq!(parse_value("19 项", CellKind::Count, None), Ok(Value::Count(19)));
/// assert_eq!(parse_value("", CellKind::Count, None), Ok(Value::Blank));
/// assert_eq!(parse_value("/", CellKind::Count, None), Ok(Value::NotApplicable));
/// assert_eq!(parse_value("1710.15 万元", CellKind::Amount, None).unwrap().to_owned(),
///            parse_value("1710.15", CellKind::Amount, Some("万元")).unwrap());
/// assert!(parse_value("2.5", CellKind::Count, None).is_err());
/// ```
pub fn parse_value(t: &str, kind: CellKind, unit: Option<&str>) -> Result<Value, Message> {
    // Most cells are counts printed as bare digits (no not-applicable mark is digits): read at
    // once, as below. Eighteen digits at most always fit an `i64`.
    if matches!(kind, CellKind::Count | CellKind::SignedCount)
        && (1..=18).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_digit())
    {
        let magnitude = t.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        return Ok(if kind == CellKind::SignedCount {
            Value::SignedCount(magnitude)
        } else {
            Value::Count(magnitude.unsigned_abs())
        });
    }
    let why = |key: &str| Message::new(key).arg("text", t.trim());
    let t = t.trim();
    if t.is_empty() {
        return Ok(Value::Blank);
    }
    if is_not_applicable(t) {
        return Ok(Value::NotApplicable);
    }
    let n = number(t).ok_or_else(|| why("value.not_a_number"))?;
    match kind {
        CellKind::Count | CellKind::SignedCount => {
            if n.frac.is_some_and(|f| f.bytes().any(|b| b != b'0')) {
                return Err(why("value.not_whole"));
            }
            if let Some(u) = n.unit.filter(|u| AmountUnit::parse(u).is_some()) {
                return Err(why("value.amount_not_count").arg("unit", u));
            }
            let magnitude: i64 = n.int.parse().map_err(|_| why("value.too_large"))?;
            if n.negative {
                Ok(Value::SignedCount(-magnitude))
            } else if kind == CellKind::SignedCount || n.explicit_plus {
                Ok(Value::SignedCount(magnitude))
            } else {
                Ok(Value::Count(magnitude as u64))
            }
        }
        CellKind::Amount => {
            if n.negative {
                return Err(why("value.negative_amount"));
            }
            let unit_text = n.unit.or(unit).ok_or_else(|| why("value.no_unit"))?;
            let unit = AmountUnit::parse(unit_text)
                .ok_or_else(|| why("value.not_money").arg("unit", unit_text))?;
            let digits = match n.frac {
                Some(f) => format!("{}.{f}", n.int),
                None => n.int.into_owned(),
            };
            Amount::parse(&digits, unit)
                .map(Value::Amount)
                .ok_or_else(|| why("value.not_exact"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_values_are_told_from_numbered_labels() {
        for t in [
            "3.2亿元",
            "约126万元",
            "126.5(万元 ) ",
            "12 亿元",
            "5(估)",
            "1.5e3",
        ] {
            assert!(looks_like_broken_value(t), "{t}");
        }
        for t in [
            "3.属于国家秘密",
            "1 属于国家秘密",
            "2021年",
            "126",
            "(一)予以公开",
            "1、本机关",
        ] {
            assert!(!looks_like_broken_value(t), "{t}");
        }
        assert_eq!(
            parse_value("126.5(万元)", CellKind::Amount, None),
            parse_value("126.5 万元", CellKind::Amount, None)
        );
        assert!(parse_value("126.5 万元", CellKind::Amount, None).is_ok());
    }

    #[test]
    fn values_and_labels_are_told_apart() {
        for v in [
            "0",
            "3119",
            "1,234",
            "+1036",
            "-8",
            "19 项",
            "19项",
            "96171.6",
            "251000元",
            "1710.15 万元",
            " 12 ",
            "\u{3000}7",
            "−3",
            "/",
            "—",
            "无",
            "-",
        ] {
            assert!(looks_like_value(v), "{v}");
        }
        for l in [
            "2.重复申请",
            "1.",
            "（七）总计",
            "其他",
            "100%",
            "1,23",
            "12,3456",
            "3、其他",
            "2024年",
            "",
            "约5",
            ",12",
        ] {
            assert!(!looks_like_value(l), "{l}");
        }
    }

    #[test]
    fn bare_digits_read_at_once_as_by_the_general_path() {
        assert!(
            VOCABULARY
                .not_applicable
                .iter()
                .all(|m| !m.bytes().all(|b| b.is_ascii_digit()))
        );
        for t in ["0", "7", "007", "1234", "999999999999999999"] {
            let n: i64 = t.parse().unwrap();
            assert_eq!(
                parse_value(t, CellKind::Count, None),
                Ok(Value::Count(n as u64))
            );
            assert_eq!(
                parse_value(t, CellKind::SignedCount, None),
                Ok(Value::SignedCount(n))
            );
        }
        // Longer: by the general path.
        assert_eq!(
            parse_value("1000000000000000000", CellKind::Count, None),
            Ok(Value::Count(1_000_000_000_000_000_000))
        );
        assert!(parse_value("99999999999999999999", CellKind::Count, None).is_err());
    }

    #[test]
    fn counts_and_amounts() {
        assert_eq!(
            parse_value("+1036", CellKind::SignedCount, None),
            Ok(Value::SignedCount(1036))
        );
        assert_eq!(
            parse_value("+5", CellKind::Count, None),
            Ok(Value::SignedCount(5))
        );
        assert_eq!(
            parse_value("12.0", CellKind::Count, None),
            Ok(Value::Count(12))
        );
        let v = parse_value("251000元", CellKind::Amount, Some("万元")).unwrap();
        assert_eq!(
            v,
            Value::Amount(Amount::parse("251000", AmountUnit::Yuan).unwrap())
        );
        let v = parse_value("96171.6", CellKind::Amount, Some("万元")).unwrap();
        let Value::Amount(a) = v else { panic!() };
        assert_eq!(a.to_string(), "96171.6 万元");
        assert!(parse_value("5 万元", CellKind::Count, None).is_err());
        assert!(parse_value("约5", CellKind::Count, None).is_err());
        assert!(parse_value("99999999999999999999", CellKind::Count, None).is_err());
    }

    #[test]
    fn a_note_after_a_value_is_told_from_a_unit() {
        assert_eq!(with_note("12(含转办3件)"), Some(("12", "(含转办3件)")));
        assert_eq!(
            with_note("25 (其中4件为网上申请)"),
            Some(("25", "(其中4件为网上申请)"))
        );
        assert_eq!(with_note("126.5(万元)"), None);
        assert_eq!(with_note("(含2)"), None);
        assert_eq!(with_note("12(含"), None);
    }

    /// What editors and writers put for a sign, a unit or a zero: dashes a word processor
    /// makes of `-`, a currency sign, `万` for 万元, `.85`. The em dash still marks none.
    #[test]
    fn signs_units_and_decimals_as_written() {
        for minus in ["–13", "‐13", "‑13", "‒13", "−13", "-13"] {
            assert_eq!(
                parse_value(minus, CellKind::SignedCount, None),
                Ok(Value::SignedCount(-13)),
                "{minus}"
            );
        }
        assert!(parse_value("—13", CellKind::SignedCount, None).is_err());
        let amount = |t: &str| parse_value(t, CellKind::Amount, Some("万元")).unwrap();
        let wan = |v: &str| Value::Amount(Amount::parse(v, AmountUnit::TenThousandYuan).unwrap());
        assert_eq!(amount("￥1710.15"), wan("1710.15"));
        assert_eq!(amount("¥ 1710.15"), wan("1710.15"));
        assert_eq!(amount("25.1万"), wan("25.1"));
        assert_eq!(amount(".85"), wan("0.85"));
        assert!(parse_value(".", CellKind::Amount, Some("万元")).is_err());
    }
}
