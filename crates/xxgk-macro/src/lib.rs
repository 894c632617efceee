//! `generate!`: read a JSON Schema at compile time and expand to the typed report model.
//!
//! ```
//! mod mini {
//!     xxgk_macro::generate!(schema = "../../tests/fixtures/schemas/mini.schema.json");
//! }
//! let mut tables = mini::Tables1::default();
//! *tables.cell_mut("requests", "received", "people").unwrap() = xxgk_model::cell::Cell::count(3);
//! assert_eq!(mini::TEMPLATE_1.table("requests").unwrap().rows[0].label.title, "一、收到申请");
//! assert_eq!(mini::Edition::for_year(2024), Some(mini::Edition::E1));
//! ```
//! `schema` is relative to the invoking crate's `Cargo.toml`; `runtime` is the path of the
//! crate with the runtime types (`::xxgk_model` by default). The generated code
//! `include_str!`s the schema, so cargo rebuilds when it changes. A schema problem is a
//! compile error naming the file, the JSON pointer and the problem. All the work is done by
//! `xxgk_codegen`; this crate only reads the file and reports errors.

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Path, Token};

struct Args {
    schema: LitStr,
    runtime: Option<Path>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let (mut schema, mut runtime) = (None, None);
        while !input.is_empty() {
            let key: syn::Ident = input.call(syn::Ident::parse_any)?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "schema" => schema = Some(input.parse::<LitStr>()?),
                "runtime" => runtime = Some(input.call(Path::parse_mod_style)?),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}` (expected `schema` or `runtime`)"),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let schema =
            schema.ok_or_else(|| input.error("missing `schema = \"path/to/schema.json\"`"))?;
        Ok(Args { schema, runtime })
    }
}

use syn::ext::IdentExt;

/// Generate the report model from a schema file. See the crate documentation.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    expand(&args)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

fn expand(args: &Args) -> syn::Result<proc_macro2::TokenStream> {
    let span = args.schema.span();
    let dir = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| syn::Error::new(span, "CARGO_MANIFEST_DIR is not set; build with cargo"))?;
    let path = std::path::Path::new(&dir).join(args.schema.value());
    let text = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(span, format!("cannot read schema {}: {e}", path.display()))
    })?;
    let mut options = xxgk_codegen::Options {
        schema_path: Some(path.display().to_string()),
        ..Default::default()
    };
    if let Some(rt) = &args.runtime {
        options.runtime = quote!(#rt);
    }
    xxgk_codegen::generate(&text, &options).map_err(|e| {
        syn::Error::new(
            span,
            format!("{}#{}: {}", path.display(), e.pointer(), e.message()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    fn expand_file(tag: &str, contents: Option<&str>) -> String {
        let dir = std::env::temp_dir().join(format!("xxgk-macro-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // One file per test: tests run in parallel.
        let path = dir.join(format!("schema-{tag}.json"));
        match contents {
            Some(c) => std::fs::write(&path, c).unwrap(),
            None => drop(std::fs::remove_file(&path)),
        }
        let args = Args {
            schema: LitStr::new(&path.display().to_string(), Span::call_site()),
            runtime: None,
        };
        match expand(&args) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_broken_schema_is_a_compile_error_naming_file_pointer_and_problem() {
        let real = include_str!("../../../schema/annual-report.schema.json");
        let broken = real.replacen(
            "\"rule\": \"new_received + carried_over",
            "\"rule\": \"new_recieved + carried_over",
            1,
        );
        let message = expand_file("broken", Some(&broken));
        assert!(
            message.contains(".json#/x-xxgk-constraints/0/rule"),
            "{message}"
        );
        assert!(message.contains("no row `new_recieved`"), "{message}");
    }

    #[test]
    fn a_missing_schema_file_is_a_compile_error() {
        let message = expand_file("missing", None);
        assert!(message.contains("cannot read schema"), "{message}");
    }

    #[test]
    fn the_real_schema_expands() {
        let real = include_str!("../../../schema/annual-report.schema.json");
        assert_eq!(expand_file("real", Some(real)), "");
    }

    #[test]
    fn arguments_are_checked() {
        assert!(syn::parse_str::<Args>("schema = \"a.json\", runtime = crate").is_ok());
        let err = syn::parse_str::<Args>("schema = \"a.json\", color = red")
            .err()
            .unwrap();
        assert!(err.to_string().contains("unknown argument `color`"));
        assert!(syn::parse_str::<Args>("runtime = crate").is_err());
    }
}
