//! Amount columns whose unit the report's own header prints. The template gives each amount
//! column a unit its bare values take (万元); a report that heads the column `采购总金额（元）`
//! or `本年收费金额（单位：元）` prints its bare values in 元, and reading them in 万元 would be
//! off by 10⁴ without a word.

use super::*;
use crate::doc::normalize;
use xxgk_model::cell::{AmountUnit, CellKind};

/// The unit a header text prints for `column`: the text opens with the column's label (up to
/// its own bracket) and a bracket after it holds a unit, `（元）`, `（单位：万元）`.
fn printed_unit(text: &str, column: &Column) -> Option<&'static str> {
    let stem = column.label.title.split(['（', '(']).next()?;
    let stem = core(stem);
    if stem.is_empty() || !core(text).starts_with(&stem) {
        return None;
    }
    // Normalised text: brackets are half-width.
    let inside = text.split_once('(')?.1.split(')').next()?;
    let unit: String = inside
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：'))
        .collect();
    let unit = unit.strip_prefix("单位").unwrap_or(&unit);
    AmountUnit::parse(unit).map(AmountUnit::as_str)
}

/// Re-reads the bare amounts of `table`'s amount columns whose header in `rows` prints
/// another unit than the template's, in the printed unit. An amount printed with its own
/// unit (`251000元`) keeps it.
pub(super) fn apply_printed_units(table: &'static Table, rows: &[Row], tables: &mut Tables) {
    if !table
        .rows
        .iter()
        .any(|r| r.columns.iter().any(|c| c.kind == CellKind::Amount))
    {
        return;
    }
    // Texts that may print a unit, found in one pass (a few at most).
    let with_unit: Vec<&str> = rows
        .iter()
        .flat_map(|r| &r.fragments)
        .map(|f| f.text.as_str())
        .filter(|t| memchr::memchr(b'(', t.as_bytes()).is_some() && t.contains('元'))
        .collect();
    if with_unit.is_empty() {
        return;
    }
    let amount_columns = table
        .rows
        .iter()
        .flat_map(|r| r.columns.iter().map(move |c| (r, c)))
        .filter(|(_, c)| c.kind == CellKind::Amount);
    for (row, column) in amount_columns {
        let Some(unit) = with_unit.iter().find_map(|t| printed_unit(t, column)) else {
            continue;
        };
        if Some(unit) == column.unit {
            continue;
        }
        let Some(cell) = tables.cell_mut(table.id, row.path, column.id) else {
            continue;
        };
        let Some(raw) = cell.source.as_ref().map(|s| normalize(&s.raw)) else {
            continue;
        };
        if let (Value::Amount(_), Ok(value)) = (
            cell.value,
            crate::value::parse_value(&raw, column.kind, Some(unit)),
        ) {
            cell.value = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

    #[test]
    fn units_printed_in_a_header() {
        let t = Edition::E2019.template();
        let column = t
            .table("active_disclosure")
            .and_then(|t| t.row("procurement"))
            .and_then(|r| r.column("amount"))
            .unwrap();
        for (text, unit) in [
            ("采购总金额(元)", Some("元")),
            ("采购总金额 (单位:万元)", Some("万元")),
            ("采购总金额(单位: 元)", Some("元")),
            ("采购总金额", None),
            ("采购项目数量(元)", None),
            ("采购总金额(亿元)", None),
        ] {
            assert_eq!(printed_unit(text, column), unit, "{text}");
        }
    }
}
