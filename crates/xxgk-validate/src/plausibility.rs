//! Plausibility warnings beyond the schema's constraints: amounts printed in a unit other than
//! their column's (an amount in 元 under a 万元 header is off by 10⁴).

use xxgk_model::Report;
use xxgk_model::cell::{AmountUnit, Value};
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::Message;

/// Diagnostic code of an amount printed in another unit than its column's.
pub const AMOUNT_UNIT: &str = "plausibility.amount_unit";

/// Every plausibility warning of `report`.
///
/// ```
/// use xxgk_model::{Report, Edition, cell::{Amount, AmountUnit, Cell, Value}};
/// let mut r = Report::new(Edition::E2021);
/// let yuan = Amount::parse("251000", AmountUnit::Yuan).unwrap();
/// *r.tables.cell_mut("active_disclosure", "fees", "amount").unwrap() = Cell::from(Value::Amount(yuan));
/// let w = xxgk_validate::plausibility::check(&r);
/// assert_eq!(w[0].code, "plausibility.amount_unit");
/// assert!(w[0].message.contains("25.1 万元"));
///
/// // 采购总金额 prints no unit in the form: 元 there is no slip.
/// let mut r = Report::new(Edition::E2019);
/// *r.tables.cell_mut("active_disclosure", "procurement", "amount").unwrap() = Cell::from(Value::Amount(yuan));
/// assert!(xxgk_validate::plausibility::check(&r).is_empty());
/// ```
pub fn check(report: &Report) -> Vec<Diagnostic> {
    let template = report.edition().template();
    let mut out = Vec::new();
    report.tables.for_each_cell(&mut |id, cell| {
        let Value::Amount(amount) = cell.value else {
            return;
        };
        let Some(column) = template
            .table(id.table)
            .and_then(|t| t.row(id.row))
            .and_then(|r| r.column(id.column))
        else {
            return;
        };
        let Some(expected) = column.unit.and_then(AmountUnit::parse) else {
            return;
        };
        // Only where the form prints the unit in the column's heading (本年收费金额（单位：万元）):
        // under 采购总金额, which prints none, reports write 元 or 万元 as they please.
        if !column
            .label
            .spellings()
            .any(|s| s.contains(expected.as_str()))
        {
            return;
        }
        if amount.unit == expected {
            return;
        }
        let converted = match (amount.unit, expected) {
            (AmountUnit::Yuan, AmountUnit::TenThousandYuan) => {
                (amount.value / rust_decimal::Decimal::from(10_000)).normalize()
            }
            (AmountUnit::TenThousandYuan, AmountUnit::Yuan) => {
                (amount.value * rust_decimal::Decimal::from(10_000)).normalize()
            }
            _ => return,
        };
        let mut d = Diagnostic::new(
            AMOUNT_UNIT,
            Severity::Warning,
            Message::new("plausibility.amount_unit")
                .arg("cell", id)
                .arg("amount", amount.to_string())
                .arg("unit", amount.unit.as_str())
                .arg("expected", expected.as_str())
                .arg("converted", converted.to_string()),
        )
        .with_cells([id]);
        d.location = cell.location();
        out.push(d);
    });
    out
}
