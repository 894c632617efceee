//! The typed model of China's government information disclosure annual reports
//! (政府信息公开工作年度报告), both editions of the national format.
//!
//! The table types, their label metadata ([`template`]), cell access and the constraint
//! checks are generated at compile time from `schema/annual-report.schema.json` by
//! `xxgk-macro`; this crate adds the few hand-written core types: [`cell::Cell`],
//! [`diagnostic::Diagnostic`], [`Report`] and the evaluation of checks ([`check`]).
//!
//! ```
//! use xxgk_model::{Report, check::Outcome};
//! let json = r#"{
//!   "meta": { "agency": "某县统计局", "year": 2024, "edition": "2021" },
//!   "tables": { "review_litigation": {
//!     "administrative_review": { "upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 3 } } }
//! }"#;
//! let report = Report::from_json(json).unwrap();
//! let failed: Vec<_> = report.check().into_iter().filter(|r| r.outcome == Outcome::Fail).collect();
//! assert_eq!(failed.len(), 1);
//! assert_eq!(failed[0].constraint.id, "review_litigation.total");
//! assert_eq!((failed[0].left, failed[0].right), (3, 2));
//! ```

pub mod cell;
pub mod check;
pub mod diagnostic;
pub mod message;
pub mod prose;
mod report;
pub mod template;
pub mod text;
pub mod varint;

pub use report::{Date, ExtraRow, Format, GroupRow, Meta, Report, Source};

mod generated {
    xxgk_macro::generate!(
        schema = "../../schema/annual-report.schema.json",
        runtime = crate
    );
}

pub use generated::*;
