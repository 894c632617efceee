//! The root's `x-xxgk-prose`: how the narrative restates the tables. Each statement names the
//! words that find it and the cells it restates; here they are read, checked against the
//! tables of every edition they apply to (a typo is a compile error, not a silent miss), and
//! bound to cell ids.

use crate::Error;
use crate::resolve::{Binding, Operand};
use crate::rule::{self, Cmp, Term};
use crate::schema::{
    CellKind, Constraint, Each, Schema, Scope, as_object, dotted_id, editions_of, err, get_str,
    get_str_list, token,
};
use serde_json::{Map, Value};

/// The words and statements of `x-xxgk-prose`.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    /// Words before a number that make it approximate (约, 近): such a number is not checked.
    pub approximate_before: Vec<String>,
    /// Words after a number that make it approximate (余, 多).
    pub approximate_after: Vec<String>,
    /// Words that make any number of their cue a change or a rate, not a restatement (同比).
    pub exclude: Vec<String>,
    /// What a sentence can be about, each found by its key words.
    pub topics: Vec<Topic>,
    /// The statements, in schema order.
    pub statements: Vec<Statement>,
}

/// A topic of the narrative (`applications`, `review`) and the words that name it.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Its id, named by statements.
    pub id: String,
    /// Words that name it.
    pub keywords: Vec<String>,
}

/// One way a number is cued: every group needs one of its words.
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    /// Groups of words before the number (since the previous number).
    pub before: Vec<Vec<String>>,
    /// Groups of words after it (up to the next comma or number).
    pub after: Vec<Vec<String>>,
}

/// What a statement says of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Says {
    /// The number stated is a sum of cells (`restates`).
    Restates,
    /// A claim: a rule holds in the tables (`asserts`).
    Asserts,
    /// Data only: nothing in the tables to compare with.
    Nothing,
}

/// The cells a statement reads in one edition.
#[derive(Debug, Clone)]
pub struct Sides {
    /// The edition's id.
    pub edition: String,
    /// The expression or rule as written for this edition.
    pub text: String,
    /// The restated cells, or the claim's left side: `(negated, row path, column)`.
    pub left: Vec<(bool, String, String)>,
    /// How a claim's sides compare (`==` for a restatement).
    pub cmp: Cmp,
    /// A claim's right side; empty for a restatement.
    pub right: Vec<(bool, String, String)>,
    /// The restated cell is an amount (money): compared as an exact decimal, alone.
    pub amount: bool,
}

/// One statement of `x-xxgk-prose/statements`.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Stable id (`received`, `review.upheld`).
    pub id: String,
    /// The table its cells are in.
    pub table: Option<String>,
    /// Editions it applies to; empty for all that have the table.
    pub editions: Vec<String>,
    /// The topic a number must be about.
    pub topic: String,
    /// Ways a number is cued; any one.
    pub patterns: Vec<Pattern>,
    /// Phrases that make the statement without a number (均维持); then `patterns` is empty.
    pub claims: Vec<String>,
    /// Words that must not be in the cue (for a claim: the sentence before it).
    pub exclude: Vec<String>,
    /// Words that must not follow the number before the next one.
    pub exclude_after: Vec<String>,
    /// Units the number may carry (件, 起, 万元).
    pub units: Vec<String>,
    /// What it says of the tables.
    pub says: Says,
    /// With `each: column` binding, the column read (`total`).
    pub column: Option<String>,
    /// What it states, in a sentence.
    pub description: Option<String>,
    /// The cells it reads, per edition it applies to.
    pub sides: Vec<Sides>,
}

fn groups(obj: &Map<String, Value>, key: &str, ptr: &str) -> Result<Vec<Vec<String>>, Error> {
    let here = format!("{ptr}/{key}");
    let Some(v) = obj.get(key) else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = v else {
        return Err(err(here, format!("`{key}` must be an array of word lists")));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let words = g.as_array().and_then(|ws| {
                ws.iter()
                    .map(|w| w.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
            });
            match words {
                Some(ws) if !ws.is_empty() && ws.iter().all(|w| !w.is_empty()) => Ok(ws),
                _ => Err(err(
                    format!("{here}/{i}"),
                    "a group is a non-empty list of non-empty words",
                )),
            }
        })
        .collect()
}

/// Read and bind `x-xxgk-prose`; an absent keyword is no statements.
pub(crate) fn read(root: &Map<String, Value>, schema: &Schema) -> Result<Prose, Error> {
    let base = "/x-xxgk-prose";
    let Some(v) = root.get("x-xxgk-prose") else {
        return Ok(Prose::default());
    };
    let obj = as_object(v, base, "`x-xxgk-prose`")?;
    let known = [
        "description",
        "approximate",
        "exclude",
        "topics",
        "statements",
    ];
    if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(err(
            format!("{base}/{}", token(k)),
            format!("unknown key `{k}`"),
        ));
    }
    let (approximate_before, approximate_after) = match obj.get("approximate") {
        None => (Vec::new(), Vec::new()),
        Some(a) => {
            let ptr = format!("{base}/approximate");
            let a = as_object(a, &ptr, "`approximate`")?;
            (
                get_str_list(a, "before", &ptr)?,
                get_str_list(a, "after", &ptr)?,
            )
        }
    };
    let mut topics: Vec<Topic> = Vec::new();
    if let Some(list) = obj.get("topics") {
        let ptr = format!("{base}/topics");
        let list = list
            .as_array()
            .ok_or_else(|| err(&ptr, "`topics` must be an array"))?;
        for (i, t) in list.iter().enumerate() {
            let ptr = format!("{ptr}/{i}");
            let t = as_object(t, &ptr, "a topic")?;
            let id = get_str(t, "id", &ptr)?.ok_or_else(|| err(&ptr, "a topic needs an `id`"))?;
            if topics.iter().any(|o| o.id == id) {
                return Err(err(format!("{ptr}/id"), format!("duplicate topic `{id}`")));
            }
            let keywords = get_str_list(t, "keywords", &ptr)?;
            if keywords.is_empty() || keywords.iter().any(String::is_empty) {
                return Err(err(&ptr, "a topic needs non-empty `keywords`"));
            }
            topics.push(Topic { id, keywords });
        }
    }
    let mut statements: Vec<Statement> = Vec::new();
    if let Some(list) = obj.get("statements") {
        let ptr = format!("{base}/statements");
        let list = list
            .as_array()
            .ok_or_else(|| err(&ptr, "`statements` must be an array"))?;
        for (i, s) in list.iter().enumerate() {
            let s = statement(s, &format!("{ptr}/{i}"), schema, &topics)?;
            if statements.iter().any(|o| o.id == s.id) {
                return Err(err(
                    format!("{ptr}/{i}/id"),
                    format!("duplicate statement `{}`", s.id),
                ));
            }
            statements.push(s);
        }
    }
    Ok(Prose {
        approximate_before,
        approximate_after,
        exclude: get_str_list(obj, "exclude", base)?,
        topics,
        statements,
    })
}

fn statement(v: &Value, ptr: &str, schema: &Schema, topics: &[Topic]) -> Result<Statement, Error> {
    let obj = as_object(v, ptr, "a statement")?;
    let known = [
        "id",
        "table",
        "editions",
        "topic",
        "patterns",
        "claims",
        "exclude",
        "exclude_after",
        "units",
        "column",
        "restates",
        "asserts",
        "description",
    ];
    if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(err(
            format!("{ptr}/{}", token(k)),
            format!("unknown key `{k}`"),
        ));
    }
    let id = get_str(obj, "id", ptr)?.ok_or_else(|| err(ptr, "a statement needs an `id`"))?;
    dotted_id(&id, ptr, "statement")?;
    let topic =
        get_str(obj, "topic", ptr)?.ok_or_else(|| err(ptr, "a statement needs a `topic`"))?;
    if !topics.iter().any(|t| t.id == topic) {
        return Err(err(
            format!("{ptr}/topic"),
            format!("unknown topic `{topic}`"),
        ));
    }
    let mut patterns = Vec::new();
    if let Some(list) = obj.get("patterns") {
        let list = list
            .as_array()
            .ok_or_else(|| err(format!("{ptr}/patterns"), "`patterns` must be an array"))?;
        for (i, p) in list.iter().enumerate() {
            let here = format!("{ptr}/patterns/{i}");
            let p = as_object(p, &here, "a pattern")?;
            if let Some(k) = p
                .keys()
                .find(|k| !["before", "after"].contains(&k.as_str()))
            {
                return Err(err(
                    format!("{here}/{}", token(k)),
                    format!("unknown key `{k}`"),
                ));
            }
            patterns.push(Pattern {
                before: groups(p, "before", &here)?,
                after: groups(p, "after", &here)?,
            });
        }
    }
    let claims = get_str_list(obj, "claims", ptr)?;
    let units = get_str_list(obj, "units", ptr)?;
    match (patterns.is_empty(), claims.is_empty()) {
        (false, true) if units.is_empty() => {
            return Err(err(
                ptr,
                "a statement of a number needs the `units` it carries",
            ));
        }
        (false, true) | (true, false) => {}
        _ => {
            return Err(err(
                ptr,
                "a statement has `patterns` (it states a number) or `claims` (a phrase), one of them",
            ));
        }
    }
    let editions = editions_of(obj, ptr, schema)?;
    let table = get_str(obj, "table", ptr)?;
    let column = get_str(obj, "column", ptr)?;
    let (says, key) = match (obj.contains_key("restates"), obj.contains_key("asserts")) {
        (true, false) if claims.is_empty() => (Says::Restates, "restates"),
        (false, true) if !claims.is_empty() => (Says::Asserts, "asserts"),
        (false, false) => (Says::Nothing, ""),
        _ => {
            return Err(err(
                ptr,
                "a number `restates` cells, a claim `asserts` a rule; not the other way, not both",
            ));
        }
    };
    let texts = match obj.get(key) {
        None => Vec::new(),
        Some(Value::String(s)) => vec![(None, s.clone())],
        // Editions that print the cells differently say so one by one.
        Some(Value::Object(by)) => {
            let mut out = Vec::new();
            for (e, v) in by {
                if schema.edition(e).is_none() {
                    return Err(err(
                        format!("{ptr}/{key}/{}", token(e)),
                        format!("unknown edition `{e}`"),
                    ));
                }
                let s = v.as_str().ok_or_else(|| {
                    err(
                        format!("{ptr}/{key}/{}", token(e)),
                        format!("`{key}` of an edition is a string"),
                    )
                })?;
                out.push((Some(e.clone()), s.to_owned()));
            }
            out
        }
        Some(_) => {
            return Err(err(
                format!("{ptr}/{key}"),
                format!("`{key}` is a string, or an object of strings by edition"),
            ));
        }
    };
    let sides = bind(
        says,
        &texts,
        table.as_deref(),
        column.as_deref(),
        &editions,
        schema,
        &format!("{ptr}/{key}"),
    )?;
    Ok(Statement {
        id,
        table,
        editions,
        topic,
        patterns,
        claims,
        exclude: get_str_list(obj, "exclude", ptr)?,
        exclude_after: get_str_list(obj, "exclude_after", ptr)?,
        units,
        says,
        column,
        description: get_str(obj, "description", ptr)?,
        sides,
    })
}

/// The cells a statement reads in every edition it applies to, bound as a constraint's rule is
/// (`each: column` when it names a `column`, else `row.column` paths), so the same mistakes
/// are caught the same way.
fn bind(
    says: Says,
    texts: &[(Option<String>, String)],
    table: Option<&str>,
    column: Option<&str>,
    editions: &[String],
    schema: &Schema,
    here: &str,
) -> Result<Vec<Sides>, Error> {
    if says == Says::Nothing {
        return Ok(Vec::new());
    }
    let table =
        table.ok_or_else(|| err(here, "a statement that reads cells needs their `table`"))?;
    let mut out = Vec::new();
    for edition in &schema.editions {
        if !editions.is_empty() && !editions.contains(&edition.id) {
            continue;
        }
        let text = texts
            .iter()
            .find(|(e, _)| e.as_deref() == Some(edition.id.as_str()))
            .or_else(|| texts.iter().find(|(e, _)| e.is_none()));
        let (Some(t), Some((_, text))) = (edition.tables.iter().find(|t| t.id == table), text)
        else {
            if editions.is_empty() {
                continue;
            }
            return Err(err(
                here,
                format!(
                    "nothing to read in edition {}: no table `{table}` or no expression for it",
                    edition.id
                ),
            ));
        };
        let pointer = match texts.iter().any(|(e, _)| e.is_some()) {
            true => format!("{here}/{}", token(&edition.id)),
            false => here.to_owned(),
        };
        let mut sides = bind_one(says, text, t, column, schema, &pointer)?;
        sides.edition = edition.id.clone();
        out.push(sides);
    }
    if out.is_empty() {
        return Err(err(here, format!("no edition has the table `{table}`")));
    }
    Ok(out)
}

fn bind_one(
    says: Says,
    text: &str,
    table: &crate::schema::TableUse,
    column: Option<&str>,
    schema: &Schema,
    here: &str,
) -> Result<Sides, Error> {
    // A restatement is read as the rule `expression == 0`, whose left side is the expression.
    let rule_text = match says {
        Says::Restates => format!("{text} == 0"),
        _ => text.to_owned(),
    };
    let rule =
        rule::parse(&rule_text).map_err(|m| err(here, format!("cannot read `{text}`: {m}")))?;
    // One amount cell alone is compared as money; rules do integer arithmetic on counts.
    if let (Says::Restates, None, [(false, Term::Ref(r))]) =
        (says, column, rule.left.terms.as_slice())
        && let Some((col, row)) = r.path.split_last()
        && let Some(leaf) = schema
            .leaf_rows(&table.def)
            .into_iter()
            .find(|l| l.path == row.join("."))
        && leaf.column(col).is_some_and(|c| c.kind == CellKind::Amount)
    {
        return Ok(Sides {
            edition: String::new(),
            text: text.to_owned(),
            left: vec![(false, leaf.path.clone(), col.clone())],
            cmp: Cmp::Eq,
            right: Vec::new(),
            amount: true,
        });
    }
    let constraint = Constraint {
        id: String::new(),
        severity: "warning".into(),
        scope: Scope::Report,
        table: Some(table.id.clone()),
        editions: Vec::new(),
        each: if column.is_some() {
            Each::Column
        } else {
            Each::Once
        },
        rows: Vec::new(),
        kinds: Vec::new(),
        stated: None,
        description: None,
        rule_text: Some(rule_text.clone()),
        rule: Some(rule),
        builtin: None,
        pointer: here.to_owned(),
    };
    let instances = Binding {
        schema,
        current: &table.def,
        previous: None,
    }
    .instances(&constraint)
    .map_err(|e| err(here, e.message().to_owned()))?;
    let inst = match column {
        None => instances.into_iter().next(),
        Some(c) => instances
            .into_iter()
            .find(|i| i.label.as_deref() == Some(c)),
    }
    .ok_or_else(|| {
        err(
            here,
            format!(
                "no column `{}` in what `{text}` names",
                column.unwrap_or("")
            ),
        )
    })?;
    let cells = |side: &[(bool, Operand)]| -> Result<Vec<(bool, String, String)>, Error> {
        side.iter()
            .map(|(neg, op)| match op {
                Operand::Cell {
                    previous: false,
                    row,
                    column,
                } => Ok((*neg, row.clone(), column.clone())),
                Operand::Cell { previous: true, .. } => Err(err(
                    here,
                    "a statement is about this year's report: no `previous.`",
                )),
                Operand::Int(_) => Err(err(here, "a statement reads cells, not numbers")),
            })
            .collect()
    };
    Ok(Sides {
        edition: String::new(),
        text: text.to_owned(),
        left: cells(&inst.left)?,
        cmp: inst.cmp,
        right: if says == Says::Restates {
            Vec::new()
        } else {
            cells(&inst.right)?
        },
        amount: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_with(prose: &str) -> Result<Schema, Error> {
        let text = format!(
            r##"{{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-xxgk-prose": {prose},
  "allOf": [{{ "if": {{ "properties": {{ "meta": {{ "properties": {{ "edition": {{ "const": "1" }} }} }} }} }},
              "then": {{ "properties": {{ "tables": {{ "$ref": "#/$defs/tables_1" }} }} }} }}],
  "$defs": {{
    "count": {{ "x-xxgk-cell": "count" }},
    "amount": {{ "x-xxgk-cell": "amount" }},
    "tables_1": {{ "type": "object", "additionalProperties": false,
      "x-xxgk-edition": {{ "id": "1", "first_year": 2020 }},
      "properties": {{ "t": {{ "$ref": "#/$defs/t", "title": "表", "x-xxgk-section": {{ "ordinal": "一" }} }} }} }},
    "t": {{ "x-xxgk-kind": "table", "additionalProperties": false,
      "properties": {{ "r": {{ "$ref": "#/$defs/r", "title": "行" }} }} }},
    "r": {{ "x-xxgk-kind": "row", "additionalProperties": false,
      "properties": {{ "n": {{ "$ref": "#/$defs/count", "title": "数量" }},
                       "m": {{ "$ref": "#/$defs/count", "title": "其他" }},
                       "fee": {{ "$ref": "#/$defs/amount", "title": "金额" }} }} }}
  }}
}}"##
        );
        Schema::from_json(&text)
    }

    const TOPICS: &str = r#""topics": [{ "id": "a", "keywords": ["申请"] }]"#;

    #[test]
    fn binds_restated_cells_and_amounts() {
        let s = schema_with(&format!(
            r#"{{ {TOPICS}, "statements": [
              {{ "id": "x", "table": "t", "topic": "a", "patterns": [{{ "before": [["收到"]] }}], "units": ["件"], "restates": "r.n + r.m" }},
              {{ "id": "y", "table": "t", "topic": "a", "patterns": [{{}}], "units": ["元"], "restates": "r.fee" }},
              {{ "id": "z", "table": "t", "topic": "a", "claims": ["均维持"], "asserts": "r.n == r.m" }}
            ] }}"#
        ))
        .unwrap();
        let st = &s.prose.statements;
        assert_eq!(st[0].sides[0].left.len(), 2);
        assert!(!st[0].sides[0].amount);
        assert!(st[1].sides[0].amount);
        assert_eq!(
            st[2].sides[0].right,
            [(false, "r".to_owned(), "m".to_owned())]
        );
    }

    #[test]
    fn rejects_unknown_cells_topics_and_mixed_kinds() {
        let bad = [
            (r#""restates": "r.nope""#, "no column"),
            (r#""restates": "r.n + r.fee""#, "amount"),
            (r#""restates": "previous.r.n""#, "no row"),
        ];
        for (says, want) in bad {
            let e = schema_with(&format!(
                r#"{{ {TOPICS}, "statements": [{{ "id": "x", "table": "t", "topic": "a", "patterns": [{{}}], "units": ["件"], {says} }}] }}"#
            ))
            .unwrap_err();
            assert!(e.message().contains(want), "{says}: {e}");
            assert_eq!(e.pointer(), "/x-xxgk-prose/statements/0/restates");
        }
        let e = schema_with(&format!(
            r#"{{ {TOPICS}, "statements": [{{ "id": "x", "table": "t", "topic": "b", "patterns": [{{}}], "units": ["件"] }}] }}"#
        ))
        .unwrap_err();
        assert_eq!(e.pointer(), "/x-xxgk-prose/statements/0/topic");
        let e = schema_with(&format!(
            r#"{{ {TOPICS}, "statements": [{{ "id": "x", "table": "t", "topic": "a", "patterns": [{{}}] }}] }}"#
        ))
        .unwrap_err();
        assert!(e.message().contains("units"), "{e}");
        let e = schema_with(&format!(
            r#"{{ {TOPICS}, "statements": [{{ "id": "x", "table": "t", "topic": "a", "claims": ["均"], "restates": "r.n" }}] }}"#
        ))
        .unwrap_err();
        assert!(e.message().contains("asserts"), "{e}");
    }
}
