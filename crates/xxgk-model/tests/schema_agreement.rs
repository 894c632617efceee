//! The schemars schema of the generated types and the source schema describe the same
//! tree: the same tables, groups, rows and columns, in the same order, none required, and no
//! other keys allowed. So the Rust types and the JSON Schema cannot drift apart.

use serde_json::Value;
use xxgk_model::{SCHEMA_JSON, Tables2019, Tables2021};

/// Follow `$ref` (and the `anyOf [T, null]` schemars writes for `Option<T>`) to the node.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    loop {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let pointer = r.strip_prefix('#').unwrap_or(r);
            node = root
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
        } else if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
            node = any
                .iter()
                .find(|n| n.get("type") != Some(&Value::from("null")))
                .expect("a non-null branch");
        } else {
            return node;
        }
    }
}

fn is_cell(root: &Value, node: &Value) -> bool {
    resolve(root, node).get("x-xxgk-cell").is_some()
}

/// Compare source node `s` with generated node `g`, reporting differences with their path.
fn compare(
    src_root: &Value,
    s: &Value,
    gen_root: &Value,
    g: &Value,
    path: &str,
    diffs: &mut Vec<String>,
) {
    let (sn, gn) = (resolve(src_root, s), resolve(gen_root, g));
    if is_cell(src_root, s) {
        let cell_ref = g.get("$ref").and_then(Value::as_str);
        if cell_ref != Some("#/$defs/Cell") {
            diffs.push(format!(
                "{path}: a cell in the source, {g} in the generated schema"
            ));
        }
        return;
    }
    let props = |n: &Value| -> Vec<String> {
        n.get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (sp, gp) = (props(sn), props(gn));
    if sp != gp {
        diffs.push(format!(
            "{path}: properties {sp:?} in the source, {gp:?} generated"
        ));
        return;
    }
    if sn.get("additionalProperties") != Some(&Value::Bool(false))
        || gn.get("additionalProperties") != Some(&Value::Bool(false))
    {
        diffs.push(format!(
            "{path}: unknown keys must be rejected on both sides"
        ));
    }
    let required = |n: &Value| {
        n.get("required")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    if required(sn) != 0 || required(gn) != 0 {
        diffs.push(format!(
            "{path}: nothing below the tables is required, but some key is"
        ));
    }
    for key in sp {
        let (sc, gc) = (&sn["properties"][&key], &gn["properties"][&key]);
        // The field's doc comment carries the official label.
        let title = sc.get("title").and_then(Value::as_str).unwrap_or("");
        let gdoc = format!(
            "{} {}",
            gc.get("title").and_then(Value::as_str).unwrap_or(""),
            gc.get("description").and_then(Value::as_str).unwrap_or("")
        );
        if !gdoc.contains(title) {
            diffs.push(format!(
                "{path}.{key}: label `{title}` missing from the generated docs `{gdoc}`"
            ));
        }
        compare(src_root, sc, gen_root, gc, &format!("{path}.{key}"), diffs);
    }
}

fn check_edition(def: &str, generated: schemars::Schema) {
    let src: Value = serde_json::from_str(SCHEMA_JSON).unwrap();
    let generated = serde_json::to_value(generated).unwrap();
    let mut diffs = Vec::new();
    compare(
        &src,
        &src["$defs"][def],
        &generated,
        &generated,
        def,
        &mut diffs,
    );
    assert!(
        diffs.is_empty(),
        "schema and generated types disagree:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn edition_2019_types_agree_with_the_schema() {
    check_edition("tables_2019", schemars::schema_for!(Tables2019));
}

#[test]
fn edition_2021_types_agree_with_the_schema() {
    check_edition("tables_2021", schemars::schema_for!(Tables2021));
}

#[test]
fn the_comparison_notices_a_difference() {
    // Guard against a comparison that passes vacuously: 2019 and 2021 differ.
    let src: Value = serde_json::from_str(SCHEMA_JSON).unwrap();
    let generated = serde_json::to_value(schemars::schema_for!(Tables2019)).unwrap();
    let mut diffs = Vec::new();
    compare(
        &src,
        &src["$defs"]["tables_2021"],
        &generated,
        &generated,
        "tables",
        &mut diffs,
    );
    assert!(
        diffs
            .iter()
            .any(|d| d.contains("outcomes.other") || d.contains("active_disclosure")),
        "{diffs:?}"
    );
}
