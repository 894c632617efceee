//! Adding a row and a constraint to a schema needs no hand-written Rust: the generated
//! struct gains the field, sums over `handled.**` take the row in, and the new rule is
//! checked. Two small schemas differ by exactly one row and one constraint.

use xxgk_model::cell::Cell;
use xxgk_model::check::Outcome;

mod before {
    xxgk_macro::generate!(schema = "../../tests/fixtures/schemas/mini.schema.json");
}

mod after {
    xxgk_macro::generate!(schema = "../../tests/fixtures/schemas/mini-extended.schema.json");
}

/// Fill `requests` so that every constraint of the mini schema holds, with 1 withdrawn
/// request per column where the table has that row.
fn fill(set: &mut dyn FnMut(&str, &str, u64) -> bool) {
    for (row, people, firms) in [
        ("received", 4, 1),
        ("handled.granted", 3, 1),
        ("handled.refused", 1, 0),
        ("handled.total", 4, 1),
    ] {
        assert!(
            set(row, "people", people)
                && set(row, "firms", firms)
                && set(row, "total", people + firms)
        );
    }
    set("handled.withdrawn", "people", 1);
    set("handled.withdrawn", "firms", 1);
    set("handled.withdrawn", "total", 2);
}

fn outcome(
    results: &[xxgk_model::check::CheckResult],
    id: &str,
    instance: &str,
) -> Option<Outcome> {
    results
        .iter()
        .find(|r| r.constraint.id == id && r.instance == Some(instance))
        .map(|r| r.outcome)
}

#[test]
fn the_new_row_is_a_field_and_joins_the_sums() {
    let mut old = before::Tables1::default();
    fill(&mut |row, col, n| {
        old.cell_mut("requests", row, col)
            .map(|c| *c = Cell::count(n))
            .is_some()
    });
    let mut new = after::Tables1::default();
    fill(&mut |row, col, n| {
        new.cell_mut("requests", row, col)
            .map(|c| *c = Cell::count(n))
            .is_some()
    });

    // The field exists in the new types (this line would not compile against `before`).
    assert_eq!(
        new.requests.as_ref().unwrap().handled.withdrawn.people,
        Cell::count(1)
    );
    assert!(
        before::TEMPLATE_1
            .table("requests")
            .unwrap()
            .row("handled.withdrawn")
            .is_none()
    );
    assert!(
        after::TEMPLATE_1
            .table("requests")
            .unwrap()
            .row("handled.withdrawn")
            .is_some()
    );

    // Before, the totals hold; after, `handled.**` includes the withdrawn row and they do not.
    let (old_results, new_results) = (old.check(), new.check());
    assert_eq!(
        outcome(&old_results, "requests.handled_total", "people"),
        Some(Outcome::Pass)
    );
    assert_eq!(
        outcome(&new_results, "requests.handled_total", "people"),
        Some(Outcome::Fail)
    );
    // The row total rule covers the new row too.
    assert_eq!(
        outcome(&new_results, "requests.row_total", "handled.withdrawn"),
        Some(Outcome::Pass)
    );
    assert_eq!(
        outcome(&old_results, "requests.row_total", "handled.withdrawn"),
        None
    );
}

#[test]
fn the_new_constraint_is_checked() {
    assert!(
        before::CONSTRAINTS
            .iter()
            .all(|c| c.id != "requests.granted_le_received")
    );
    let mut t = after::Tables1::default();
    fill(&mut |row, col, n| {
        t.cell_mut("requests", row, col)
            .map(|c| *c = Cell::count(n))
            .is_some()
    });
    assert_eq!(
        outcome(&t.check(), "requests.granted_le_received", "firms"),
        Some(Outcome::Pass)
    );
    *t.cell_mut("requests", "handled.granted", "firms").unwrap() = Cell::count(7);
    let results = t.check();
    let failed = results
        .iter()
        .find(|r| r.constraint.id == "requests.granted_le_received" && r.instance == Some("firms"))
        .unwrap();
    assert_eq!(failed.outcome, Outcome::Fail);
    assert_eq!((failed.left, failed.right), (7, 1));
    let d = failed.to_diagnostic().unwrap();
    let cells: Vec<String> = d.cells.iter().map(ToString::to_string).collect();
    assert_eq!(
        cells,
        ["requests.handled.granted.firms", "requests.received.firms"]
    );
}

#[test]
fn corpus_constraints_of_a_new_schema_are_generated_too() {
    let mut prev = after::Tables::new(after::Edition::E1);
    let mut cur = after::Tables::new(after::Edition::E1);
    for (t, prior, change) in [(&mut prev, 10, -2i64), (&mut cur, 9, 0)] {
        *t.cell_mut("items", "licences", "prior").unwrap() = Cell::count(prior);
        *t.cell_mut("items", "licences", "change").unwrap() =
            xxgk_model::cell::Value::SignedCount(change).into();
    }
    let r = cur.check_continuity(&prev);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].outcome, Outcome::Fail, "9 != 10 - 2");
    assert_eq!((r[0].left, r[0].right), (9, 8));
}
