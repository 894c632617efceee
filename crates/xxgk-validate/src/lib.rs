//! Validate annual reports exchanged as canonical JSON: structure against the JSON Schema
//! (with the `jsonschema` crate, every error with its JSON pointer), then the arithmetic by
//! the constraint checks generated from the same schema.
//!
//! ```
//! use xxgk_validate::{Validator, Status};
//! let validator = Validator::new().unwrap();
//! let json = r#"{ "meta": { "edition": "2021", "year": 2024 },
//!   "tables": { "review_litigation": { "litigation_direct": {
//!     "upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2 } } } }"#;
//! let checked = validator.check_json(json);
//! assert_eq!(checked.status(), Status::Passed);
//!
//! let wrong = json.replace("\"total\": 2", "\"total\": 3");
//! let checked = validator.check_json(&wrong);
//! assert_eq!(checked.status(), Status::Failed);
//! assert_eq!(checked.diagnostics[0].code, "review_litigation.total");
//! ```

pub mod corpus;
pub mod localise;
pub mod plausibility;

use serde_json::Value;
use std::sync::OnceLock;
use xxgk_model::Report;
use xxgk_model::cell::CellId;
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::{Diagnostic, Location, Severity};
use xxgk_model::message::Message;

/// Codes of the diagnostics this crate adds itself.
pub mod codes {
    /// The input is not JSON.
    pub const JSON_SYNTAX: &str = "json.syntax";
    /// The JSON does not match the schema (one diagnostic per error, at its JSON pointer).
    pub const SCHEMA: &str = "schema.invalid";
    /// The JSON matches the schema but cannot be read into the model.
    pub const MODEL: &str = "schema.model";
    /// The file cannot be read (missing, unreadable, not UTF-8 JSON); the parser's
    /// [`xxgk_parse::codes::INPUT_UNREADABLE`] too.
    pub const UNREADABLE: &str = "input.unreadable";
    // A file the parser cannot read as a report at all carries the parser's code
    // ([`xxgk_parse::codes`]: `input.decode`, `input.docx`, `input.not_annual_report`, …).
}

/// The compiled JSON Schema of canonical reports.
pub struct Validator {
    /// Compiled on first use by [`Validator::lazy`]; a run that checks no canonical JSON
    /// never compiles it (some 9 M instructions, as much as parsing a few reports).
    schema: OnceLock<Result<jsonschema::Validator, SchemaError>>,
}

/// Could not build the validator (the bundled schema is broken: a bug in xxgk).
#[derive(Debug, thiserror::Error)]
#[error("the bundled schema does not compile: {0}")]
pub struct SchemaError(String);

pub use xxgk_model::diagnostic::Status;

/// One checked report: the report if it could be read, and everything found.
#[derive(Debug, Clone)]
pub struct Checked {
    pub report: Option<Report>,
    /// The report's own diagnostics (e.g. from parsing), then structural errors, then
    /// constraint violations.
    pub diagnostics: Vec<Diagnostic>,
    /// How the constraint instances fared; kept apart, since a check whose cells are unknown
    /// or all blank is not assessable, which is not a pass.
    pub checks: CheckCounts,
}

/// Numbers of constraint instances by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckCounts {
    pub passed: usize,
    pub failed: usize,
    pub not_assessable: usize,
}

impl CheckCounts {
    /// Count one instance's outcome.
    pub fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail => self.failed += 1,
            Outcome::NotAssessable => self.not_assessable += 1,
        }
    }
}

impl Checked {
    /// The worst severity found.
    pub fn status(&self) -> Status {
        // A file that could not be read as a report failed, whatever it says.
        match Status::of(&self.diagnostics) {
            Status::Passed | Status::Warnings if self.report.is_none() => Status::Failed,
            status => status,
        }
    }

    /// Diagnostics of severity `s`.
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

impl Validator {
    /// Compile the schema the model was generated from.
    pub fn new() -> Result<Self, SchemaError> {
        let schema = compile()?;
        Ok(Validator {
            schema: OnceLock::from(Ok(schema)),
        })
    }

    /// A validator that compiles the schema when it first checks canonical JSON: for runs
    /// that mostly parse documents. Should the bundled schema not compile (a bug in xxgk),
    /// every canonical JSON report checked gets a `schema.invalid` error saying so.
    pub fn lazy() -> Self {
        Validator {
            schema: OnceLock::new(),
        }
    }

    /// Structural errors of a JSON value, each as a diagnostic with its JSON pointer.
    pub fn structure(&self, instance: &Value) -> Vec<Diagnostic> {
        let schema = match self.schema.get_or_init(compile) {
            Ok(schema) => schema,
            Err(e) => {
                let text = Message::new("schema.invalid")
                    .arg("pointer", "/")
                    .arg("error", e.to_string());
                return vec![Diagnostic::new(codes::SCHEMA, Severity::Error, text)];
            }
        };
        schema
            .iter_errors(instance)
            .map(|e| {
                let pointer = e.instance_path().to_string();
                let text = Message::new("schema.invalid")
                    .arg("pointer", if pointer.is_empty() { "/" } else { &pointer })
                    .arg("error", e.to_string());
                Diagnostic::new(codes::SCHEMA, Severity::Error, text)
                    .with_cells(pointer_to_cell(&pointer))
            })
            .collect()
    }

    /// Check a report given as canonical JSON text: syntax, structure, then constraints.
    pub fn check_json(&self, text: &str) -> Checked {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let d = Diagnostic::new(
                    codes::JSON_SYNTAX,
                    Severity::Error,
                    Message::new("json.syntax").arg("error", e.to_string()),
                )
                .at(Location::new(
                    e.line().max(1) as u32,
                    e.column().max(1) as u32,
                ));
                return Checked {
                    report: None,
                    diagnostics: vec![d],
                    checks: CheckCounts::default(),
                };
            }
        };
        let structural = self.structure(&value);
        if !structural.is_empty() {
            return Checked {
                report: None,
                diagnostics: structural,
                checks: CheckCounts::default(),
            };
        }
        match serde_json::from_value::<Report>(value) {
            Ok(report) => check_report(report),
            Err(e) => Checked {
                report: None,
                diagnostics: vec![Diagnostic::new(
                    codes::MODEL,
                    Severity::Error,
                    Message::new("schema.model").arg("error", e.to_string()),
                )],
                checks: CheckCounts::default(),
            },
        }
    }
}

/// The schema the model was generated from, compiled.
fn compile() -> Result<jsonschema::Validator, SchemaError> {
    let schema: Value =
        serde_json::from_str(xxgk_model::SCHEMA_JSON).map_err(|e| SchemaError(e.to_string()))?;
    jsonschema::validator_for(&schema).map_err(|e| SchemaError(e.to_string()))
}

/// Run the constraint checks of a report already in the model (e.g. just parsed): its own
/// diagnostics, then every failed constraint — with the cell most likely wrong when the
/// failures point to one — then the metadata and plausibility checks.
pub fn check_report(report: Report) -> Checked {
    let (diagnostics, checks) = diagnose(&report);
    Checked {
        report: Some(report),
        diagnostics,
        checks,
    }
}

/// [`check_report`] without taking the report: its diagnostics and check counts.
pub fn diagnose(report: &Report) -> (Vec<Diagnostic>, CheckCounts) {
    let mut diagnostics = report.diagnostics.clone();
    // Most reports pass every check: their outcomes are counted without recording the cells
    // each instance read. Those are needed only to describe and localise a failure, and to
    // read a group printed as one row (`Report::check`): then the checks run again in full.
    let mut checks = CheckCounts::default();
    if report.group_rows.is_empty() {
        report.tables.for_each_outcome(&mut |o| checks.count(o));
    }
    // In full only for a failure, or a group printed as one row: most reports have neither.
    if checks.failed > 0 || !report.group_rows.is_empty() {
        let results = report.check();
        checks = CheckCounts::default();
        for r in &results {
            checks.count(r.outcome);
        }
        let mut of_result: Vec<Option<usize>> = vec![None; results.len()];
        for (i, r) in results.iter().enumerate() {
            if let Some(d) = r.to_diagnostic() {
                of_result[i] = Some(diagnostics.len());
                diagnostics.push(d);
            }
        }
        for finding in localise::localise(report, &results) {
            let Some((note, suggestion)) = localise::note(report, &finding.fix) else {
                continue;
            };
            for i in &finding.failing {
                if let Some(d) = of_result
                    .get(*i)
                    .copied()
                    .flatten()
                    .and_then(|k| diagnostics.get_mut(k))
                {
                    d.notes.push(note.clone());
                    d.suggestion = suggestion.clone();
                }
            }
        }
    }
    diagnostics.extend(report.meta_diagnostics());
    // The narrative's statements count as checks: one that agrees with the table passes.
    for c in report.check_statements() {
        checks.count(c.outcome());
        if let Some(d) = report
            .statements
            .get(c.index)
            .and_then(|s| c.to_diagnostic(s))
        {
            diagnostics.push(d);
        }
    }
    diagnostics.extend(plausibility::check(report));
    (diagnostics, checks)
}

/// `/tables/applications/outcomes/total/natural_person` → that cell.
fn pointer_to_cell(pointer: &str) -> Option<CellId> {
    let rest = pointer.strip_prefix("/tables/")?;
    CellId::parse(&rest.replace('/', "."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lazy_validator_checks_as_an_eager_one() {
        let json = r#"{ "meta": { "edition": "2021", "year": 2024 },
          "tables": { "review_litigation": { "litigation_direct": {
            "upheld": 1, "corrected": 1, "other": "x", "pending": 0, "total": 2 } } } }"#;
        let eager = Validator::new().unwrap().check_json(json).diagnostics;
        let lazy = Validator::lazy();
        assert!(lazy.schema.get().is_none());
        assert_eq!(lazy.check_json(json).diagnostics, eager);
        assert!(matches!(lazy.schema.get(), Some(Ok(_))));
        assert_eq!(eager[0].code, codes::SCHEMA);
    }
}
