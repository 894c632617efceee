//! `generate!`: read a JSON Schema at compile time and expand to the typed report model.
//!
//! ```ignore
//! xxgk_macro::generate!(schema = "../../schema/annual-report.schema.json", runtime = crate);
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
                other => return Err(syn::Error::new(key.span(), format!("unknown argument `{other}` (expected `schema` or `runtime`)"))),
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let schema = schema.ok_or_else(|| input.error("missing `schema = \"path/to/schema.json\"`"))?;
        Ok(Args { schema, runtime })
    }
}

use syn::ext::IdentExt;

/// Generate the report model from a schema file. See the crate documentation.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    expand(&args).unwrap_or_else(|e| e.to_compile_error()).into()
}

fn expand(args: &Args) -> syn::Result<proc_macro2::TokenStream> {
    let span = args.schema.span();
    let dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| syn::Error::new(span, "CARGO_MANIFEST_DIR is not set; build with cargo"))?;
    let path = std::path::Path::new(&dir).join(args.schema.value());
    let text = std::fs::read_to_string(&path)
        .map_err(|e| syn::Error::new(span, format!("cannot read schema {}: {e}", path.display())))?;
    let mut options = xxgk_codegen::Options { schema_path: Some(path.display().to_string()), ..Default::default() };
    if let Some(rt) = &args.runtime {
        options.runtime = quote!(#rt);
    }
    xxgk_codegen::generate(&text, &options)
        .map_err(|e| syn::Error::new(span, format!("{}#{}: {}", path.display(), e.pointer(), e.message())))
}
