//! The generator on a small schema: the code it writes (snapshot, read by a person before
//! accepting) and the errors it gives for broken schemas (JSON pointer and message).

use serde_json::{Value, json};
use xxgk_codegen::{Options, generate, generate_pretty};

const MINI: &str = include_str!("../../../tests/fixtures/schemas/mini.schema.json");

fn mini() -> Value {
    serde_json::from_str(MINI).unwrap()
}

/// The pointer and message of the error `edit` provokes in the mini schema.
fn error_after(edit: impl FnOnce(&mut Value)) -> (String, String) {
    let mut schema = mini();
    edit(&mut schema);
    let err = generate(&schema.to_string(), &Options::default())
        .expect_err("the edited schema should be rejected");
    (err.pointer().to_owned(), err.message().to_owned())
}

#[test]
fn generated_code_for_the_mini_schema() {
    let code = generate_pretty(
        MINI,
        &Options {
            schema_path: Some("mini.schema.json".into()),
            ..Default::default()
        },
    )
    .unwrap();
    insta::assert_snapshot!(code);
}

#[test]
fn generated_code_parses_as_rust_for_the_real_schema() {
    let real = include_str!("../../../schema/annual-report.schema.json");
    let code = generate_pretty(real, &Options::default()).unwrap();
    for wanted in [
        "pub struct Tables2019",
        "pub struct Tables2021",
        "pub natural_person: ::xxgk_model::cell::Cell",
        "pub static TEMPLATE_2021",
    ] {
        assert!(code.contains(wanted), "missing {wanted}");
    }
}

#[test]
fn malformed_json_is_an_error_with_its_line() {
    let err = generate("{ \"$schema\": ", &Options::default()).unwrap_err();
    assert_eq!(err.pointer(), "");
    assert!(
        err.message().contains("not valid JSON (line 1"),
        "{}",
        err.message()
    );
}

#[test]
fn duplicate_keys_are_errors_not_silently_merged() {
    let text = MINI.replacen(
        "\"refused\": { \"$ref\": \"#/$defs/person_row\", \"title\": \"（二）不同意\" },",
        "\"refused\": { \"$ref\": \"#/$defs/person_row\", \"title\": \"（二）不同意\" },\n        \"granted\": { \"$ref\": \"#/$defs/person_row\", \"title\": \"again\" },",
        1,
    );
    assert_ne!(text, MINI);
    let err = generate(&text, &Options::default()).unwrap_err();
    assert_eq!(err.pointer(), "/$defs/handled/properties/granted");
    assert!(
        err.message().contains("duplicate key `granted`"),
        "{}",
        err.message()
    );
}

#[test]
fn unknown_ids_in_rules_name_the_rule() {
    let (ptr, msg) =
        error_after(|s| s["x-xxgk-constraints"][0]["rule"] = json!("received == handled.totl"));
    assert_eq!(ptr, "/x-xxgk-constraints/0/rule");
    assert!(msg.contains("no row `handled.totl`"), "{msg}");

    let (ptr, msg) =
        error_after(|s| s["x-xxgk-constraints"][2]["rule"] = json!("total == people + staff"));
    assert_eq!(ptr, "/x-xxgk-constraints/2/rule");
    assert!(
        msg.contains("no row of table `requests` has every column"),
        "{msg}"
    );

    let (_, msg) = error_after(|s| {
        s["x-xxgk-constraints"][1]["rule"] =
            json!("handled.total == sum(handled.** except handled.sum)")
    });
    assert!(msg.contains("except handled.sum"), "{msg}");
}

#[test]
fn rule_syntax_and_arithmetic_on_amounts_are_rejected() {
    let (ptr, msg) =
        error_after(|s| s["x-xxgk-constraints"][0]["rule"] = json!("received = handled.total"));
    assert_eq!(ptr, "/x-xxgk-constraints/0/rule");
    assert!(msg.contains("cannot read rule"), "{msg}");

    let (_, msg) = error_after(|s| {
        s["x-xxgk-constraints"][4]["rule"] = json!("fee == previous.fee");
    });
    assert!(msg.contains("is an amount"), "{msg}");
}

#[test]
fn duplicate_constraint_ids_and_unknown_tables_are_rejected() {
    let (ptr, msg) = error_after(|s| s["x-xxgk-constraints"][1]["id"] = json!("requests.balance"));
    assert_eq!(ptr, "/x-xxgk-constraints/1/id");
    assert!(msg.contains("duplicate constraint id"), "{msg}");

    let (ptr, msg) = error_after(|s| s["x-xxgk-constraints"][0]["table"] = json!("reqests"));
    assert_eq!(ptr, "/x-xxgk-constraints/0/table");
    assert!(msg.contains("no edition has a table `reqests`"), "{msg}");
}

#[test]
fn structural_mistakes_point_at_the_entry() {
    let (ptr, msg) = error_after(|s| {
        s["$defs"]["handled"]["properties"]["granted"]["$ref"] = json!("#/$defs/nope")
    });
    assert_eq!(ptr, "/$defs/handled/properties/granted/$ref");
    assert!(msg.contains("`nope` is not a table, group or row"), "{msg}");

    let (ptr, msg) = error_after(|s| {
        s["$defs"]["person_row"]["properties"]["people"]
            .as_object_mut()
            .unwrap()
            .remove("title");
    });
    assert_eq!(ptr, "/$defs/person_row/properties/people");
    assert!(msg.contains("official label"), "{msg}");

    // A blank title would leave the generated field without a doc comment.
    let (ptr, msg) =
        error_after(|s| s["$defs"]["person_row"]["properties"]["people"]["title"] = json!("  "));
    assert_eq!(ptr, "/$defs/person_row/properties/people");
    assert!(msg.contains("official label"), "{msg}");

    let (ptr, msg) = error_after(|s| {
        s["$defs"]["person_row"]["properties"]["people"]["$ref"] = json!("#/$defs/handled")
    });
    assert_eq!(ptr, "/$defs/person_row/properties/people/$ref");
    assert!(msg.contains("not a cell kind"), "{msg}");

    let (ptr, msg) = error_after(|s| {
        let p = s["$defs"]["person_row"]["properties"]
            .as_object_mut()
            .unwrap();
        let v = p.remove("firms").unwrap();
        p.insert("type".into(), v);
    });
    assert_eq!(ptr, "/$defs/person_row/properties/type");
    assert!(msg.contains("Rust keyword"), "{msg}");

    let (ptr, msg) = error_after(|s| {
        s["$defs"]["handled"]["properties"]["granted"]["$ref"] = json!("#/$defs/handled")
    });
    assert_eq!(ptr, "/$defs/handled");
    assert!(msg.contains("contains itself"), "{msg}");

    let (ptr, msg) = error_after(|s| {
        s["allOf"] = json!([]);
    });
    assert_eq!(ptr, "/allOf");
    assert!(msg.contains("edition `1` needs an `allOf` branch"), "{msg}");

    let (ptr, _) = error_after(|s| s["$schema"] = json!("http://json-schema.org/draft-07/schema#"));
    assert_eq!(ptr, "/$schema");
}
