//! Tokens from the checked schema: types, label metadata, cell access and constraint checks.

use crate::resolve::{Binding, Instance, Operand};
use crate::schema::{Column, Constraint, DefKind, Edition, Label, Schema, Scope, TypeDef};
use crate::{Error, Options};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

/// `applications_2019` → `Applications2019`.
pub fn type_name(def: &str) -> String {
    def.split('_')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn type_ident(def: &str) -> Ident {
    Ident::new(&type_name(def), Span::call_site())
}

fn field(id: &str) -> Ident {
    Ident::new(id, Span::call_site())
}

fn edition_variant(id: &str) -> Ident {
    format_ident!("E{}", id)
}

/// The path segment of a metadata variant (`Cmp::Eq` → `Eq`): the generated code names the
/// same `xxgk-meta` enums the generator reads the schema into, so their names agree.
fn variant(value: impl std::fmt::Debug) -> Ident {
    format_ident!("{value:?}")
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

/// The first line of a generated doc comment: the schema's `title`, or `name` when it has
/// none (or a blank one), so every generated item is documented.
fn heading<'a>(title: Option<&'a str>, name: &'a str) -> &'a str {
    title.filter(|t| !t.trim().is_empty()).unwrap_or(name)
}

fn docs(lines: &[&str]) -> TokenStream {
    let lines = lines
        .iter()
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| {
            let l = format!(" {l}");
            if i == 0 {
                quote!(#[doc = #l])
            } else {
                quote!(#[doc = ""] #[doc = #l])
            }
        });
    quote!(#(#lines)*)
}

fn label_docs(label: &Label, captions: &[String], extra: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    let heading = if captions.is_empty() {
        label.title.clone()
    } else {
        format!("{} / {}", captions.join(" / "), label.title)
    };
    lines.push(heading);
    if !label.variants.is_empty() {
        lines.push(format!("Also printed as: {}.", label.variants.join("; ")));
    }
    lines.extend(extra.iter().cloned());
    docs(&lines.iter().map(String::as_str).collect::<Vec<_>>())
}

struct Gen<'a> {
    schema: &'a Schema,
    rt: TokenStream,
}

/// Generate everything for `schema`.
pub(crate) fn generate(
    schema: &Schema,
    schema_text: &str,
    options: &Options,
) -> Result<TokenStream, Error> {
    let reserved = ["Edition", "Tables"];
    for def in &schema.defs {
        let name = type_name(&def.name);
        if reserved.contains(&name.as_str()) {
            return Err(Error::new(
                format!("/$defs/{}", def.name),
                format!("`{name}` is reserved for a generated type; rename this entry"),
            ));
        }
    }
    let g = Gen {
        schema,
        rt: options.runtime.clone(),
    };
    let schema_const = match &options.schema_path {
        // `include_str!` makes cargo rebuild when the schema file changes.
        Some(path) => quote!(include_str!(#path)),
        None => quote!(#schema_text),
    };
    let types = schema.defs.iter().map(|d| g.type_def(d));
    let edition_tables = schema
        .editions
        .iter()
        .map(|e| g.edition_tables(e))
        .collect::<Result<Vec<_>, _>>()?;
    let edition_enum = g.edition_enum();
    let tables_enum = g.tables_enum()?;
    let templates = g.templates();
    let constraints = g.constraints();
    let prose = g.prose();
    Ok(quote! {
        /// The JSON Schema these types were generated from.
        pub const SCHEMA_JSON: &str = #schema_const;
        #edition_enum
        #tables_enum
        #(#edition_tables)*
        #(#types)*
        #templates
        #constraints
        #prose
    })
}

impl Gen<'_> {
    fn type_def(&self, def: &TypeDef) -> TokenStream {
        let rt = &self.rt;
        let name = type_ident(&def.name);
        let doc = docs(&[
            heading(def.title.as_deref(), &def.name),
            def.description.as_deref().unwrap_or(""),
        ]);
        let (fields, unknown): (Vec<TokenStream>, Vec<TokenStream>) = match &def.kind {
            DefKind::Row { columns } => columns.iter().map(|c| self.cell_field(c)).unzip(),
            DefKind::Group { children } => children
                .iter()
                .map(|child| {
                    let f = field(&child.id);
                    let ty = type_ident(&child.def);
                    let skip = format!("{}::is_unknown", type_name(&child.def));
                    let doc = label_docs(&child.label, &child.captions, &[]);
                    (
                        quote! {
                            #doc
                            #[serde(default, skip_serializing_if = #skip)]
                            pub #f: #ty,
                        },
                        quote!(self.#f.is_unknown()),
                    )
                })
                .unzip(),
        };
        let def = data_struct(&doc, &name, &fields);
        quote! {
            #def

            impl #name {
                /// True when no cell below is known (all absent from the report).
                pub fn is_unknown(&self) -> bool {
                    #(#unknown)&&*
                }
            }

            impl #rt::cell::Unknowable for #name {
                fn is_unknown(&self) -> bool {
                    #name::is_unknown(self)
                }
            }
        }
    }

    fn cell_field(&self, c: &Column) -> (TokenStream, TokenStream) {
        let rt = &self.rt;
        let f = field(&c.id);
        let mut extra = Vec::new();
        extra.push(match &c.unit {
            Some(unit) => format!("Kind: {}; unit: {unit}.", c.kind.keyword()),
            None => format!("Kind: {}.", c.kind.keyword()),
        });
        if let Some(d) = &c.description {
            extra.push(d.clone());
        }
        let doc = label_docs(&c.label, &c.captions, &extra);
        let rt_str = rt.to_string().replace(' ', "");
        let skip = format!("{rt_str}::cell::Cell::is_unknown");
        // Each kind has its own reader, so an amount in a count column (or a bare number in
        // an amount column) is an error rather than a cell of the wrong kind.
        let with = format!("{rt_str}::cell::deserialize_{}", c.kind.keyword());
        let reader = quote!(#[serde(deserialize_with = #with)]);
        (
            quote! {
                #doc
                #[serde(default, skip_serializing_if = #skip)]
                #reader
                pub #f: #rt::cell::Cell,
            },
            quote!(self.#f.is_unknown()),
        )
    }

    fn edition_enum(&self) -> TokenStream {
        let rt = &self.rt;
        let eds = &self.schema.editions;
        let variants: Vec<Ident> = eds.iter().map(|e| edition_variant(&e.id)).collect();
        let ids: Vec<&str> = eds.iter().map(|e| e.id.as_str()).collect();
        let years: Vec<i32> = eds.iter().map(|e| e.first_year).collect();
        let templates: Vec<Ident> = eds
            .iter()
            .map(|e| format_ident!("TEMPLATE_{}", e.id.to_uppercase()))
            .collect();
        let docs = eds.iter().map(|e| {
            let next = eds
                .iter()
                .map(|n| n.first_year)
                .filter(|y| *y > e.first_year)
                .min();
            let years = match next {
                Some(n) if n - 1 > e.first_year => format!("{}–{}", e.first_year, n - 1),
                Some(_) => e.first_year.to_string(),
                None => format!("{} and later", e.first_year),
            };
            let line = format!(
                " {} (reports on {years}).",
                heading(e.title.as_deref(), &e.id)
            );
            quote!(#[doc = #line])
        });
        let id_doc = format!(
            " The id used in JSON: {}.",
            ids.iter()
                .map(|i| format!("`\"{i}\"`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut by_year: Vec<(i32, &Ident)> = years.iter().copied().zip(&variants).collect();
        by_year.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
        let (desc_years, desc_variants): (Vec<i32>, Vec<&Ident>) = by_year.into_iter().unzip();
        quote! {
            /// An edition of the national format; reports on a year use the newest edition
            /// whose first year is not later.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
            pub enum Edition {
                #( #docs #[serde(rename = #ids)] #variants, )*
            }

            impl Edition {
                /// Every edition, oldest first.
                pub const ALL: &'static [Edition] = &[#(Edition::#variants),*];

                #[doc = #id_doc]
                pub fn id(self) -> &'static str {
                    match self { #(Edition::#variants => #ids,)* }
                }

                /// The first report year this edition applies to.
                pub fn first_year(self) -> i32 {
                    match self { #(Edition::#variants => #years,)* }
                }

                /// The edition a report on `year` must use, if the format existed then.
                pub fn for_year(year: i32) -> ::core::option::Option<Edition> {
                    #( if year >= #desc_years { return ::core::option::Option::Some(Edition::#desc_variants); } )*
                    ::core::option::Option::None
                }

                /// The edition with JSON id `id`.
                pub fn from_id(id: &str) -> ::core::option::Option<Edition> {
                    match id { #(#ids => ::core::option::Option::Some(Edition::#variants),)* _ => ::core::option::Option::None }
                }

                /// Labels and layout of this edition, for parsers and renderers.
                pub fn template(self) -> &'static #rt::template::Template {
                    match self { #(Edition::#variants => &#templates,)* }
                }
            }

            impl ::core::fmt::Display for Edition {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.id())
                }
            }
        }
    }

    fn tables_enum(&self) -> Result<TokenStream, Error> {
        let rt = &self.rt;
        let eds = &self.schema.editions;
        let variants: Vec<Ident> = eds.iter().map(|e| edition_variant(&e.id)).collect();
        let types: Vec<Ident> = eds.iter().map(|e| type_ident(&e.def)).collect();
        let variant_docs: Vec<String> = eds
            .iter()
            .map(|e| format!(" Tables of the {} edition.", e.id))
            .collect();
        // Continuity checks exist for every (current, previous) pair some corpus constraint binds.
        let mut pairs = Vec::new();
        for cur in eds {
            for prev in eds {
                let body = self.continuity_body(cur, prev)?;
                if body.is_empty() {
                    continue;
                }
                let (cv, pv) = (edition_variant(&cur.id), edition_variant(&prev.id));
                pairs.push(quote! {
                    (Tables::#cv(t), Tables::#pv(p)) => { #(#body)* }
                });
            }
        }
        Ok(quote! {
            /// The tables of one report, in the types of its edition.
            #[derive(Debug, Clone, PartialEq)]
            pub enum Tables {
                #( #[doc = #variant_docs] #variants(#types), )*
            }

            impl Tables {
                /// Empty tables (every table absent) of `edition`.
                pub fn new(edition: Edition) -> Tables {
                    match edition { #(Edition::#variants => Tables::#variants(::core::default::Default::default()),)* }
                }

                /// The edition these tables follow.
                pub fn edition(&self) -> Edition {
                    match self { #(Tables::#variants(_) => Edition::#variants,)* }
                }

                /// The cell `table.row.column`; `None` when the id is unknown or the table absent.
                pub fn cell(&self, table: &str, row: &str, column: &str) -> ::core::option::Option<&#rt::cell::Cell> {
                    match self { #(Tables::#variants(t) => t.cell(table, row, column),)* }
                }

                /// The cell `table.row.column` for writing, creating its table if absent;
                /// `None` only when the id is not in this edition.
                pub fn cell_mut(&mut self, table: &str, row: &str, column: &str) -> ::core::option::Option<&mut #rt::cell::Cell> {
                    match self { #(Tables::#variants(t) => t.cell_mut(table, row, column),)* }
                }

                /// Visit every cell of every present table, in print order.
                pub fn for_each_cell<'a>(&'a self, f: &mut dyn FnMut(#rt::cell::CellId, &'a #rt::cell::Cell)) {
                    match self { #(Tables::#variants(t) => t.for_each_cell(f),)* }
                }

                /// Visit every cell of every present table for writing, in print order.
                pub fn for_each_cell_mut(&mut self, f: &mut dyn FnMut(#rt::cell::CellId, &mut #rt::cell::Cell)) {
                    match self { #(Tables::#variants(t) => t.for_each_cell_mut(f),)* }
                }

                /// Run every report-scope constraint; every instance's outcome is returned.
                pub fn check(&self) -> ::std::vec::Vec<#rt::check::CheckResult> {
                    match self { #(Tables::#variants(t) => t.check(),)* }
                }

                /// The outcome of every report-scope instance, in the order `check` returns
                /// them, given to `f`: no result is built (most reports pass every check, and
                /// only need them counted).
                pub fn for_each_outcome(&self, f: &mut dyn FnMut(#rt::check::Outcome)) {
                    match self { #(Tables::#variants(t) => t.for_each_outcome(f),)* }
                }

                /// The cells each report-scope instance reads, in the order `check` returns
                /// the instances.
                pub fn instance_cells(&self) -> &'static [&'static [#rt::cell::CellId]] {
                    match self { #(Tables::#variants(_) => #types::INSTANCE_CELLS,)* }
                }

                /// The outcome of report-scope instance `i` alone, without recording the cells
                /// read (no allocation): for trying many values in a few cells.
                pub fn instance_outcome(&self, i: usize) -> ::core::option::Option<#rt::check::Outcome> {
                    match self { #(Tables::#variants(t) => t.instance_outcome(i),)* }
                }

                /// Run every corpus-scope constraint between these tables and the same
                /// agency's previous year.
                pub fn check_continuity(&self, previous: &Tables) -> ::std::vec::Vec<#rt::check::CheckResult> {
                    #[allow(unused_mut)]
                    let mut out = ::std::vec::Vec::new();
                    #[allow(unreachable_patterns)]
                    match (self, previous) {
                        #(#pairs)*
                        _ => {}
                    }
                    out
                }

                /// Deserialize the `tables` object of a report of `edition`.
                pub fn deserialize_edition<'de, D: ::serde::Deserializer<'de>>(edition: Edition, deserializer: D) -> ::core::result::Result<Tables, D::Error> {
                    match edition {
                        #(Edition::#variants => <#types as ::serde::Deserialize>::deserialize(deserializer).map(Tables::#variants),)*
                    }
                }
            }

            impl ::serde::Serialize for Tables {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    match self { #(Tables::#variants(t) => t.serialize(serializer),)* }
                }
            }
        })
    }

    /// Struct-level impl for one edition's tables: access, visiting, checks.
    fn edition_tables(&self, ed: &Edition) -> Result<TokenStream, Error> {
        let rt = &self.rt;
        let name = type_ident(&ed.def);
        let doc = docs(&[
            heading(ed.title.as_deref(), &ed.id),
            ed.description.as_deref().unwrap_or(""),
        ]);
        let mut fields = Vec::new();
        let mut get_arms = Vec::new();
        let mut mut_arms = Vec::new();
        let mut visit = Vec::new();
        let mut visit_mut = Vec::new();
        for t in &ed.tables {
            let f = field(&t.id);
            let ty = type_ident(&t.def);
            let tdoc = label_docs(&t.label, &[], &[]);
            // A table with no known cell is absent from the JSON, whatever provenance it holds.
            let skip = format!("{}::cell::is_absent", rt.to_string().replace(' ', ""));
            fields.push(quote! {
                #tdoc
                #[serde(default, skip_serializing_if = #skip)]
                pub #f: ::core::option::Option<#ty>,
            });
            let tid = t.id.as_str();
            let mut cells = Vec::new();
            for row in self.schema.leaf_rows(&t.def) {
                let path: Vec<Ident> = row.path.split('.').map(field).collect();
                for col in row.columns {
                    let c = field(&col.id);
                    let (rp, cid) = (row.path.as_str(), col.id.as_str());
                    get_arms.push(
                        quote!((#tid, #rp, #cid) => self.#f.as_ref().map(|t| &t.#(#path).*.#c),),
                    );
                    mut_arms.push(quote!((#tid, #rp, #cid) => ::core::option::Option::Some(&mut self.#f.get_or_insert_with(::core::default::Default::default).#(#path).*.#c),));
                    cells.push((
                        quote!(#rt::cell::CellId::new(#tid, #rp, #cid)),
                        quote!(#(#path).*.#c),
                    ));
                }
            }
            let (ids, paths): (Vec<_>, Vec<_>) = cells.into_iter().unzip();
            visit.push(quote!(if let ::core::option::Option::Some(t) = &self.#f { #( f(#ids, &t.#paths); )* }));
            visit_mut.push(quote!(if let ::core::option::Option::Some(t) = &mut self.#f { #( f(#ids, &mut t.#paths); )* }));
        }
        // One match arm per instance, so a caller can evaluate only the instances that read
        // the cells it changed; `INSTANCE_CELLS` says which cells each one reads.
        let (mut reads, mut plans) = (Vec::new(), Vec::new());
        let mut outcome_arms = Vec::new();
        // The cells the plans read, each once: `(table, row, column)`, and how to reach it.
        let mut plan_cells: Vec<((String, String, String), TokenStream)> = Vec::new();
        for (index, c) in self.schema.constraints.iter().enumerate() {
            if c.scope != Scope::Report || !applies(c, ed) {
                continue;
            }
            let Some(tid) = &c.table else { continue };
            let Some(table) = ed.tables.iter().find(|t| &t.id == tid) else {
                continue;
            };
            let instances = Binding {
                schema: self.schema,
                current: &table.def,
                previous: None,
            }
            .instances(c)?;
            let f = field(tid);
            for inst in &instances {
                plans.push(self.plan(index, inst, tid, &mut plan_cells)?);
            }
            let outcomes = self.outcome_exprs(&instances, tid);
            for (inst, outcome) in instances.iter().zip(outcomes) {
                let i = Literal::usize_unsuffixed(outcome_arms.len());
                outcome_arms.push(quote! {
                    #i => {
                        let t = self.#f.as_ref();
                        ::core::option::Option::Some(#outcome)
                    }
                });
                let cells = inst
                    .left
                    .iter()
                    .chain(&inst.right)
                    .filter_map(|(_, op)| match op {
                        Operand::Cell { row, column, .. } => {
                            Some(quote!(#rt::cell::CellId::new(#tid, #row, #column)))
                        }
                        Operand::Int(_) => None,
                    });
                reads.push(quote!(&[#(#cells),*]));
            }
        }
        let plan_count = Literal::usize_unsuffixed(plan_cells.len());
        let plan_access = plan_cells.iter().map(|(_, access)| access);
        let def = data_struct(&doc, &name, &fields);
        Ok(quote! {
            #def

            impl #name {
                /// The cell `table.row.column`; `None` when the id is unknown or the table absent.
                pub fn cell(&self, table: &str, row: &str, column: &str) -> ::core::option::Option<&#rt::cell::Cell> {
                    match (table, row, column) {
                        #(#get_arms)*
                        _ => ::core::option::Option::None,
                    }
                }

                /// The cell `table.row.column` for writing, creating its table if absent.
                pub fn cell_mut(&mut self, table: &str, row: &str, column: &str) -> ::core::option::Option<&mut #rt::cell::Cell> {
                    match (table, row, column) {
                        #(#mut_arms)*
                        _ => ::core::option::Option::None,
                    }
                }

                /// Visit every cell of every present table, in print order.
                pub fn for_each_cell<'a>(&'a self, f: &mut dyn FnMut(#rt::cell::CellId, &'a #rt::cell::Cell)) {
                    #(#visit)*
                }

                /// Visit every cell of every present table for writing, in print order.
                pub fn for_each_cell_mut(&mut self, f: &mut dyn FnMut(#rt::cell::CellId, &mut #rt::cell::Cell)) {
                    #(#visit_mut)*
                }

                /// The cells each instance of this edition's report-scope constraints reads, in
                /// the order [`Self::check`] returns the instances.
                pub const INSTANCE_CELLS: &'static [&'static [#rt::cell::CellId]] = &[#(#reads),*];

                /// The outcome of instance `i` alone, without recording the cells read or
                /// building a result.
                pub fn instance_outcome(&self, i: usize) -> ::core::option::Option<#rt::check::Outcome> {
                    #[allow(unreachable_patterns)]
                    match i {
                        #(#outcome_arms)*
                        _ => ::core::option::Option::None,
                    }
                }

                /// Run every report-scope constraint of this edition.
                pub fn check(&self) -> ::std::vec::Vec<#rt::check::CheckResult> {
                    let cells = self.plan_cells();
                    Self::PLANS.iter().map(|p| p.evaluate(&cells)).collect()
                }

                /// The outcome of every report-scope instance of this edition, in the order
                /// [`Self::check`] returns them, given to `f`.
                pub fn for_each_outcome(&self, f: &mut dyn FnMut(#rt::check::Outcome)) {
                    let cells = self.plan_cells();
                    for p in Self::PLANS {
                        f(p.outcome(&cells));
                    }
                }

                /// This edition's report-scope instances as data, in the order
                /// [`Self::check`] returns them.
                pub const PLANS: &'static [#rt::check::Plan] = &[#(#plans),*];

                /// The cells the plans read (the `at` of a plan's `Operand::Cell`); `None`
                /// where the cell's table is absent.
                pub fn plan_cells(&self) -> [::core::option::Option<&#rt::cell::Cell>; #plan_count] {
                    [#(#plan_access),*]
                }
            }
        })
    }

    fn continuity_body(&self, cur: &Edition, prev: &Edition) -> Result<Vec<TokenStream>, Error> {
        let mut body = Vec::new();
        for (index, c) in self.schema.constraints.iter().enumerate() {
            if c.scope != Scope::Corpus || !applies(c, cur) || !applies(c, prev) {
                continue;
            }
            let Some(tid) = &c.table else { continue };
            let (Some(ct), Some(pt)) = (
                cur.tables.iter().find(|t| &t.id == tid),
                prev.tables.iter().find(|t| &t.id == tid),
            ) else {
                continue;
            };
            let instances = Binding {
                schema: self.schema,
                current: &ct.def,
                previous: Some(&pt.def),
            }
            .instances(c)?;
            let f = field(tid);
            let inner = self.instances(index, &instances, tid);
            body.push(quote! {
                {
                    let (t, p) = (t.#f.as_ref(), p.#f.as_ref());
                    #(#inner)*
                }
            });
        }
        Ok(body)
    }

    /// `inst`, an instance of constraint `index` on table `table`, as a `Plan` literal; the
    /// cells it reads are added to `cells` (each once) and named by their place there.
    fn plan(
        &self,
        index: usize,
        inst: &Instance,
        table: &str,
        cells: &mut Vec<((String, String, String), TokenStream)>,
    ) -> Result<TokenStream, Error> {
        let rt = &self.rt;
        let f = field(table);
        let pointer = self
            .schema
            .constraints
            .get(index)
            .map_or("", |c| c.pointer.as_str());
        let mut side = |terms: &[(bool, Operand)]| -> Result<Vec<TokenStream>, Error> {
            terms
                .iter()
                .map(|(neg, op)| match op {
                    Operand::Int(n) => {
                        let n = Literal::i128_suffixed(if *neg { -i128::from(*n) } else { i128::from(*n) });
                        Ok(quote!(#rt::check::Operand::Constant(#n)))
                    }
                    Operand::Cell { previous: true, row, column } => Err(Error::new(
                        format!("{pointer}/rule"),
                        format!("{table}.{row}.{column}: a report-scope rule reads the previous year's report"),
                    )),
                    Operand::Cell { previous: false, row, column } => {
                        let key = (table.to_owned(), row.clone(), column.clone());
                        let at = match cells.iter().position(|(k, _)| *k == key) {
                            Some(at) => at,
                            None => {
                                let path: Vec<Ident> = row.split('.').map(field).collect();
                                let c = field(column);
                                cells.push((key, quote!(self.#f.as_ref().map(|x| &x.#(#path).*.#c))));
                                cells.len() - 1
                            }
                        };
                        let at = u16::try_from(at).map_err(|_| Error::new(pointer, "more than 65,535 cells read by report-scope rules"))?;
                        let at = Literal::u16_unsuffixed(at);
                        let coefficient = Literal::i8_unsuffixed(if *neg { -1 } else { 1 });
                        Ok(quote!(#rt::check::Operand::Cell { at: #at, cell: #rt::cell::CellId::new(#table, #row, #column), coefficient: #coefficient }))
                    }
                })
                .collect()
        };
        let (left, right) = (side(&inst.left)?, side(&inst.right)?);
        let label = opt_str(inst.label.as_deref());
        let cmp = variant(inst.cmp);
        Ok(quote!(#rt::check::Plan {
            constraint: &CONSTRAINTS[#index],
            instance: #label,
            left: &[#(#left),*],
            cmp: #rt::check::Cmp::#cmp,
            right: &[#(#right),*],
        }))
    }

    /// Each instance evaluated into an `out` vector (the continuity checks).
    fn instances(&self, index: usize, instances: &[Instance], table: &str) -> Vec<TokenStream> {
        let rt = &self.rt;
        let start =
            |label: &TokenStream| quote!(#rt::check::Evaluation::new(&CONSTRAINTS[#index], #label));
        self.instance_exprs_with(instances, table, &start)
            .into_iter()
            .map(|result| quote! { out.push(#result); })
            .collect()
    }

    /// Each instance's outcome alone, as a block (the model's `check::Verdict`: the same
    /// reads, no result built).
    fn outcome_exprs(&self, instances: &[Instance], table: &str) -> Vec<TokenStream> {
        let rt = &self.rt;
        let start = |_: &TokenStream| quote!(#rt::check::Verdict::default());
        self.instance_exprs_with(instances, table, &start)
    }

    /// Each instance as a block reading its cells into the evaluator `start` makes (given
    /// the instance's label) and ending with the evaluator's `finish`.
    fn instance_exprs_with(
        &self,
        instances: &[Instance],
        table: &str,
        start: &dyn Fn(&TokenStream) -> TokenStream,
    ) -> Vec<TokenStream> {
        let rt = &self.rt;
        instances
            .iter()
            .map(|inst| {
                let label = opt_str(inst.label.as_deref());
                let side = |terms: &[(bool, Operand)]| {
                    let terms = terms.iter().map(|(neg, op)| match op {
                        Operand::Int(n) => {
                            let n = Literal::i128_suffixed(if *neg { -i128::from(*n) } else { i128::from(*n) });
                            quote!(+ #n)
                        }
                        Operand::Cell { previous, row, column } => {
                            // The sign goes to the evaluation, which records it for localisation.
                            let path: Vec<Ident> = row.split('.').map(field).collect();
                            let c = field(column);
                            let (src, read) = if *previous { (quote!(p), quote!(read_previous)) } else { (quote!(t), quote!(read)) };
                            let coefficient = Literal::i8_unsuffixed(if *neg { -1 } else { 1 });
                            quote!(+ e.#read(#rt::cell::CellId::new(#table, #row, #column), #coefficient, #src.map(|x| &x.#(#path).*.#c)))
                        }
                    });
                    quote!(0i128 #(#terms)*)
                };
                let (left, right) = (side(&inst.left), side(&inst.right));
                let cmp = variant(inst.cmp);
                let start = start(&label);
                quote! {
                    {
                        let mut e = #start;
                        let left = #left;
                        e.end_left();
                        let right = #right;
                        e.finish(left, #rt::check::Cmp::#cmp, right)
                    }
                }
            })
            .collect()
    }

    fn label(&self, l: &Label) -> TokenStream {
        let rt = &self.rt;
        let (title, variants) = (&l.title, &l.variants);
        quote!(#rt::template::Label { title: #title, variants: &[#(#variants),*] })
    }

    fn templates(&self) -> TokenStream {
        let rt = &self.rt;
        let mut column_sets = Vec::new();
        for def in &self.schema.defs {
            let DefKind::Row { columns } = &def.kind else {
                continue;
            };
            let name = format_ident!("{}_COLUMNS", def.name.to_uppercase());
            let cols = columns.iter().map(|c| {
                let (id, label, captions) = (&c.id, self.label(&c.label), &c.captions);
                let unit = opt_str(c.unit.as_deref());
                let kind = variant(c.kind);
                quote!(#rt::template::Column { id: #id, label: #label, captions: &[#(#captions),*], kind: #rt::cell::CellKind::#kind, unit: #unit })
            });
            column_sets.push(quote!(const #name: &[#rt::template::Column] = &[#(#cols),*];));
        }
        let templates = self.schema.editions.iter().map(|ed| {
            let name = format_ident!("TEMPLATE_{}", ed.id.to_uppercase());
            let doc = format!(" Labels and layout of the {} edition.", ed.id);
            let (id, year) = (&ed.id, ed.first_year);
            let title = opt_str(ed.title.as_deref());
            let tables = ed.tables.iter().map(|t| {
                let def = self.schema.def(&t.def);
                let stub = opt_str(def.and_then(|d| d.stub_header.as_deref()));
                let layout = variant(def.map(|d| d.layout).unwrap_or_default());
                let (tid, label) = (&t.id, self.label(&t.label));
                let (ordinal, keywords) = (&t.section.ordinal, &t.section.keywords);
                let rows = self.schema.leaf_rows(&t.def).into_iter().map(|row| {
                    let (rid, path, label, captions) = (&row.child.id, &row.path, self.label(&row.child.label), &row.child.captions);
                    let groups = row.groups.iter().map(|g| {
                        let (gid, glabel) = (&g.id, self.label(&g.label));
                        quote!(#rt::template::Group { id: #gid, label: #glabel })
                    });
                    let cols = format_ident!("{}_COLUMNS", row.row_def.to_uppercase());
                    quote!(#rt::template::Row { id: #rid, path: #path, label: #label, groups: &[#(#groups),*], captions: &[#(#captions),*], columns: #cols })
                });
                quote!(#rt::template::Table {
                    id: #tid, label: #label,
                    section: #rt::template::Section { ordinal: #ordinal, keywords: &[#(#keywords),*] },
                    stub_header: #stub,
                    layout: #rt::template::TableLayout::#layout,
                    rows: &[#(#rows),*],
                })
            });
            quote! {
                #[doc = #doc]
                pub static #name: #rt::template::Template = #rt::template::Template {
                    edition: #id, first_year: #year, title: #title,
                    tables: &[#(#tables),*],
                    constraints: CONSTRAINTS,
                };
            }
        });
        let all = self
            .schema
            .editions
            .iter()
            .map(|ed| format_ident!("TEMPLATE_{}", ed.id.to_uppercase()));
        let v = &self.schema.vocabulary;
        let (na, units, titles) = (&v.not_applicable, &v.count_units, &v.title_markers);
        let report_title = self.schema.title.as_deref().unwrap_or_default();
        let outline = self.schema.outline.iter().map(|h| {
            let (title, keywords) = (&h.title, &h.keywords);
            quote!(#rt::template::Heading { title: #title, keywords: &[#(#keywords),*] })
        });
        quote! {
            /// Words of the printed form that are not labels (from `x-xxgk-text`).
            pub static VOCABULARY: #rt::template::Vocabulary = #rt::template::Vocabulary {
                not_applicable: &[#(#na),*],
                count_units: &[#(#units),*],
                title_markers: &[#(#titles),*],
                report_title: #report_title,
            };
            /// The section headings of the national format, in order (from `x-xxgk-outline`).
            pub static OUTLINE: &[#rt::template::Heading] = &[#(#outline),*];
            #(#column_sets)*
            #(#templates)*
            /// Every edition's template, oldest first.
            pub static TEMPLATES: &[&#rt::template::Template] = &[#(&#all),*];
        }
    }

    fn constraints(&self) -> TokenStream {
        let rt = &self.rt;
        let items = self.schema.constraints.iter().map(|c| {
            let id = &c.id;
            let severity = match c.severity.as_str() {
                "error" => quote!(Error),
                "warning" => quote!(Warning),
                _ => quote!(Info),
            };
            let scope = variant(c.scope);
            let table = opt_str(c.table.as_deref());
            let editions = &c.editions;
            let each = variant(c.each);
            let stated = opt_str(c.stated.as_deref());
            let description = opt_str(c.description.as_deref());
            let rule = opt_str(c.rule_text.as_deref());
            let builtin = opt_str(c.builtin.as_deref());
            quote!(#rt::check::Constraint {
                id: #id,
                severity: #rt::diagnostic::Severity::#severity,
                scope: #rt::check::Scope::#scope,
                table: #table,
                editions: &[#(#editions),*],
                each: #rt::check::Each::#each,
                stated: #stated,
                description: #description,
                rule: #rule,
                builtin: #builtin,
            })
        });
        quote! {
            /// Every constraint of the schema, in schema order.
            pub static CONSTRAINTS: &[#rt::check::Constraint] = &[#(#items),*];
        }
    }
}

impl Gen<'_> {
    /// `PROSE`: the statements of `x-xxgk-prose` with the cells they read, per edition.
    fn prose(&self) -> TokenStream {
        let rt = &self.rt;
        let p = &self.schema.prose;
        let groups = |gs: &[Vec<String>]| {
            let gs = gs.iter().map(|g| quote!(&[#(#g),*]));
            quote!(&[#(#gs),*])
        };
        let topics = p.topics.iter().map(|t| {
            let (id, keywords) = (&t.id, &t.keywords);
            quote!(#rt::prose::Topic { id: #id, keywords: &[#(#keywords),*] })
        });
        let statements = p.statements.iter().map(|s| {
            let id = &s.id;
            let table = opt_str(s.table.as_deref());
            let description = opt_str(s.description.as_deref());
            let patterns = s.patterns.iter().map(|pat| {
                let (before, after) = (groups(&pat.before), groups(&pat.after));
                quote!(#rt::prose::Pattern { before: #before, after: #after })
            });
            let says = variant(s.says);
            let sides = s.sides.iter().map(|side| {
                let tid = s.table.as_deref().unwrap_or_default();
                let operands = |cells: &[(bool, String, String)]| {
                    let ops = cells.iter().map(|(neg, row, column)| {
                        let coefficient = Literal::i8_unsuffixed(if *neg { -1 } else { 1 });
                        quote!(#rt::prose::Operand { cell: #rt::cell::CellId::new(#tid, #row, #column), coefficient: #coefficient })
                    });
                    quote!(&[#(#ops),*])
                };
                let (left, right) = (operands(&side.left), operands(&side.right));
                let (edition, amount) = (&side.edition, side.amount);
                let cmp = variant(side.cmp);
                let rule = match (s.says, &s.column) {
                    (crate::prose::Says::Restates, Some(c)) => format!("stated == {} (column {c})", side.text),
                    (crate::prose::Says::Restates, None) => format!("stated == {}", side.text),
                    _ => side.text.clone(),
                };
                quote!(#rt::prose::Sides {
                    edition: #edition,
                    constraint: #rt::check::Constraint {
                        id: #id,
                        severity: #rt::diagnostic::Severity::Warning,
                        scope: #rt::check::Scope::Report,
                        table: #table,
                        editions: &[#edition],
                        each: #rt::check::Each::Once,
                        stated: ::core::option::Option::None,
                        description: #description,
                        rule: ::core::option::Option::Some(#rule),
                        builtin: ::core::option::Option::None,
                    },
                    left: #left,
                    cmp: #rt::check::Cmp::#cmp,
                    right: #right,
                    amount: #amount,
                })
            });
            let (topic, claims, exclude, exclude_after, units) =
                (&s.topic, &s.claims, &s.exclude, &s.exclude_after, &s.units);
            quote!(#rt::prose::StatementDef {
                id: #id,
                table: #table,
                topic: #topic,
                patterns: &[#(#patterns),*],
                claims: &[#(#claims),*],
                exclude: &[#(#exclude),*],
                exclude_after: &[#(#exclude_after),*],
                units: &[#(#units),*],
                says: #rt::prose::Says::#says,
                description: #description,
                sides: &[#(#sides),*],
            })
        });
        let (ab, aa, ex) = (&p.approximate_before, &p.approximate_after, &p.exclude);
        quote! {
            /// How the narrative restates the tables (from `x-xxgk-prose`).
            pub static PROSE: #rt::prose::Prose = #rt::prose::Prose {
                approximate_before: &[#(#ab),*],
                approximate_after: &[#(#aa),*],
                exclude: &[#(#ex),*],
                topics: &[#(#topics),*],
                statements: &[#(#statements),*],
            };
        }
    }
}

/// A struct of the canonical JSON: serde and schemars derives, unknown keys rejected.
fn data_struct(doc: &TokenStream, name: &Ident, fields: &[TokenStream]) -> TokenStream {
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn applies(c: &Constraint, ed: &Edition) -> bool {
    c.editions.is_empty() || c.editions.contains(&ed.id)
}
