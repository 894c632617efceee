//! xxgk: China's government information disclosure annual reports (政府信息公开工作年度报告)
//! as typed, checked data.
//!
//! This package gathers the workspace's crates under one name and builds the `xxgk` command:
//! - [`model`]: the report model generated from the national template's JSON Schema
//!   (tables of both editions, label metadata, constraint checks);
//! - [`parse`]: text, PDF-extracted text, HTML, Markdown and Word reports into the model;
//! - [`validate`]: the engine: structural validation of canonical JSON, the constraint
//!   checks, localisation of failures, checks across reports;
//! - [`print`](mod@print): printing checked reports (text with source snippets, JSON lines) behind a sink
//!   interface;
//! - [`driver`]: walking folders, reading and checking files, feeding sinks (printing, export);
//! - [`export`]: JSON, CSV, Excel, HTML, Markdown and Parquet outputs.
//!
//! ```
//! let report = xxgk::Report::from_json(r#"{
//!     "meta": { "edition": "2019", "year": 2020 },
//!     "tables": { "review_litigation": { "administrative_review":
//!         { "upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0 } } } }"#).unwrap();
//! assert_eq!(report.edition(), xxgk::Edition::E2019);
//! assert!(report.diagnose().is_empty());
//! ```

pub use xxgk_driver as driver;
pub use xxgk_export as export;
pub use xxgk_model as model;
pub use xxgk_model::{Edition, Report, Tables};
pub use xxgk_parse as parse;
pub use xxgk_print as print;
pub use xxgk_validate as validate;
