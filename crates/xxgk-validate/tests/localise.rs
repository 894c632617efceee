//! Localisation on hand-made cases: what blank cells may hide.

use xxgk_model::cell::{Cell, Value};
use xxgk_model::{Edition, Report};
use xxgk_validate::localise::{Fix, localise};

#[test]
fn a_blank_cell_is_not_suggested_when_the_correction_would_break_a_hidden_check() {
    let mut r = Report::new(Edition::E2021);
    let ids: Vec<_> = Edition::E2021
        .template()
        .cell_ids()
        .filter(|id| id.table == "applications")
        .collect();
    for id in ids {
        *r.tables.cell_mut(id.table, id.row, id.column).unwrap() = Cell::from(Value::Blank);
    }
    for (row, n) in [
        ("outcomes.disclosed", 5),
        ("outcomes.total", 5),
        ("new_received", 7),
    ] {
        for column in ["natural_person", "total"] {
            *r.tables.cell_mut("applications", row, column).unwrap() = Cell::count(n);
        }
    }
    let results = r.check();
    let findings = localise(&r, &results);
    assert!(!findings.is_empty());
    for f in &findings {
        assert!(
            !matches!(f.fix, Fix::Cell { .. }),
            "no single blank cell fixes this: {:?}",
            f.fix
        );
    }
}
