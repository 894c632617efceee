//! The engine of xxgk's code generation: the national template's JSON Schema in, Rust
//! tokens out. The `xxgk-macro` crate is a thin proc-macro over [`generate`];
//! `cargo xtask codegen` prints [`generate_pretty`]'s output so a person can read it.
//!
//! From the schema it generates, per edition, typed structs for every table, group and row
//! (serde + schemars derives, doc comments from the official labels), label metadata for
//! parsers and renderers (`TEMPLATE_2019`, …), generic cell access, and the constraint checks
//! of `x-xxgk-constraints` as plain Rust code.
//!
//! ```
//! let schema = r##"{
//!   "$schema": "https://json-schema.org/draft/2020-12/schema",
//!   "allOf": [{ "if": { "properties": { "meta": { "properties": { "edition": { "const": "1" } } } } },
//!               "then": { "properties": { "tables": { "$ref": "#/$defs/tables_1" } } } }],
//!   "$defs": {
//!     "count": { "x-xxgk-cell": "count" },
//!     "tables_1": { "type": "object", "additionalProperties": false,
//!       "x-xxgk-edition": { "id": "1", "first_year": 2020 },
//!       "properties": { "t": { "$ref": "#/$defs/t", "title": "表", "x-xxgk-section": { "ordinal": "一" } } } },
//!     "t": { "x-xxgk-kind": "table", "additionalProperties": false,
//!       "properties": { "r": { "$ref": "#/$defs/r", "title": "行" } } },
//!     "r": { "x-xxgk-kind": "row", "additionalProperties": false,
//!       "properties": { "n": { "$ref": "#/$defs/count", "title": "数量" } } }
//!   }
//! }"##;
//! let code = xxgk_codegen::generate_pretty(schema, &xxgk_codegen::Options::default()).unwrap();
//! assert!(code.contains("pub struct Tables1"));
//! assert!(code.contains("pub n: ::xxgk_model::cell::Cell"));
//!
//! let broken = schema.replace("#/$defs/r\"", "#/$defs/missing\"");
//! let err = xxgk_codegen::generate(&broken, &xxgk_codegen::Options::default()).unwrap_err();
//! assert_eq!(err.pointer(), "/$defs/t/properties/r/$ref");
//! ```

mod emit;
pub mod prose;
pub mod resolve;
pub mod rule;
pub mod schema;

use proc_macro2::TokenStream;
use quote::quote;
use std::fmt;

pub use emit::type_name;
pub use schema::Schema;

/// A problem in the schema: where (a JSON pointer into the schema) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pointer: String,
    message: String,
}

impl Error {
    /// An error at `pointer` (RFC 6901, `""` for the whole document).
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// The JSON pointer of the offending value.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What is wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// How to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate the generated code uses (`Cell`, `Evaluation`, …):
    /// `::xxgk_model` by default, `crate` inside xxgk-model itself.
    pub runtime: TokenStream,
    /// Absolute path of the schema file. When set, `SCHEMA_JSON` is an `include_str!` of it,
    /// which makes cargo rebuild the crate when the file changes; otherwise the text is inlined.
    pub schema_path: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runtime: quote!(::xxgk_model),
            schema_path: None,
        }
    }
}

/// Generate the model for `schema_text` (a JSON Schema document).
pub fn generate(schema_text: &str, options: &Options) -> Result<TokenStream, Error> {
    let schema = Schema::from_json(schema_text)?;
    emit::generate(&schema, schema_text, options)
}

/// [`generate`], formatted as Rust source for people to read.
pub fn generate_pretty(schema_text: &str, options: &Options) -> Result<String, Error> {
    let tokens = generate(schema_text, options)?;
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| Error::new("", format!("generated code does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}
