//! The schema as the generator sees it: editions, tables, groups, rows, columns and
//! constraints, read from the JSON Schema's `$defs` and `x-xxgk-*` keywords.
//!
//! Every problem is reported with the JSON pointer of the offending value, so a malformed
//! schema becomes a compile error that says where to look.

use crate::Error;
use crate::rule::{self, Rule};
use serde_json::{Map, Value};
pub use xxgk_meta::{CellKind, Each, Scope, TableLayout};

/// An official label and the variants real reports print instead.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Label {
    /// The official label, the property's `title` (`（二）部分公开`).
    pub title: String,
    /// Other spellings real reports print, from `x-xxgk-variants`.
    pub variants: Vec<String>,
}

/// One column of a row type.
#[derive(Debug, Clone)]
pub struct Column {
    /// The property name: the cell's key in JSON and the generated field's name.
    pub id: String,
    /// The kind of the cell type it refers to (`x-xxgk-cell`).
    pub kind: CellKind,
    /// The column heading as printed.
    pub label: Label,
    /// Spanning headings above the column, outermost first (`x-xxgk-captions`).
    pub captions: Vec<String>,
    /// The unit the form prints the column in (`x-xxgk-unit`).
    pub unit: Option<String>,
    /// The property's `description`, added to the field's doc comment.
    pub description: Option<String>,
}

/// A property of a table or group: a row or a nested group, by type name.
#[derive(Debug, Clone)]
pub struct Child {
    /// The property name: the key in JSON and the generated field's name.
    pub id: String,
    /// The `$defs` name of the row or group type it refers to.
    pub def: String,
    /// The row's or group's label as printed.
    pub label: Label,
    /// Sub-table captions or spanning headings printed with it (`x-xxgk-captions`).
    pub captions: Vec<String>,
}

/// What a `$defs` entry is.
#[derive(Debug, Clone)]
pub enum DefKind {
    /// A table or a group: its children are rows or groups.
    Group {
        /// The properties, in schema order (the order the form prints them).
        children: Vec<Child>,
    },
    /// A row: its properties are cells.
    Row {
        /// The cells, left to right.
        columns: Vec<Column>,
    },
}

/// A `$defs` entry that becomes a Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The `$defs` name (`applications_2019`); the Rust type is its [`type_name`](crate::type_name).
    pub name: String,
    /// The entry's `title`, the first line of the type's doc comment.
    pub title: Option<String>,
    /// The entry's `description`, the rest of the type's doc comment.
    pub description: Option<String>,
    /// Declared a table (`x-xxgk-kind: table`) rather than a group or row.
    pub is_table: bool,
    /// The text over a table's row labels, if the form prints one (`x-xxgk-stub-header`).
    pub stub_header: Option<String>,
    /// How a table is printed: `rows` (one printed row per row) or `one_row` (every cell in
    /// one printed row, rows as column groups).
    pub layout: TableLayout,
    /// A group of children, or a row of cells.
    pub kind: DefKind,
}

/// Words of the printed form that are not labels: from the root's `x-xxgk-text`.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// How a not-applicable cell is printed.
    pub not_applicable: Vec<String>,
    /// Units printed after counts (`19 项`).
    pub count_units: Vec<String>,
    /// Words that mark a report's title line.
    pub title_markers: Vec<String>,
}

/// A section heading of the national format, from the root's `x-xxgk-outline`.
#[derive(Debug, Clone)]
pub struct Heading {
    /// The heading as the form prints it (`五、存在的主要问题及改进情况`).
    pub title: String,
    /// Words the heading contains however it is reworded (any one of them).
    pub keywords: Vec<String>,
}

/// Where a table is found in a report: its section heading.
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading's ordinal (`二`, `三`, `四`).
    pub ordinal: String,
    /// Words the heading contains however it is reworded.
    pub keywords: Vec<String>,
}

/// A table of one edition.
#[derive(Debug, Clone)]
pub struct TableUse {
    /// The table's id: its key in the edition's `tables` (`applications`).
    pub id: String,
    /// The `$defs` name of the table type this edition uses (`applications_2021`).
    pub def: String,
    /// The section heading as printed.
    pub label: Label,
    /// How the section heading is recognised (`x-xxgk-section`).
    pub section: Section,
}

/// One edition of the national format.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The edition id used in JSON (`"2021"`).
    pub id: String,
    /// The first report year the edition applies to.
    pub first_year: i32,
    /// The `$defs` name of the edition's tables type (`tables_2021`).
    pub def: String,
    /// The edition's name (`2021 年版格式`).
    pub title: Option<String>,
    /// What the edition covers, from the tables type's `description`.
    pub description: Option<String>,
    /// The edition's tables, in print order.
    pub tables: Vec<TableUse>,
}

/// A cross-field constraint from `x-xxgk-constraints`.
#[derive(Debug, Clone)]
pub struct Constraint {
    /// Stable dotted id, the code of the diagnostics it gives (`applications.balance`).
    pub id: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// What the rule is evaluated over.
    pub scope: Scope,
    /// The table the rule reads; required with a rule.
    pub table: Option<String>,
    /// Ids of the editions it applies to; empty for all.
    pub editions: Vec<String>,
    /// How the rule is instantiated over the table.
    pub each: Each,
    /// With `each: row`, the row paths it applies to; empty for every row that has the
    /// columns the rule names.
    pub rows: Vec<String>,
    /// With `each: cell`, the cell kinds it applies to; empty for all.
    pub kinds: Vec<CellKind>,
    /// The official wording printed on the form, if any.
    pub stated: Option<String>,
    /// What the rule checks, in a sentence.
    pub description: Option<String>,
    /// The rule as written in the schema.
    pub rule_text: Option<String>,
    /// The rule parsed; `None` for a built-in (meta) check.
    pub rule: Option<Rule>,
    /// The built-in check a meta constraint names (`year_matches`).
    pub builtin: Option<String>,
    /// JSON pointer of the constraint in the schema, for errors about it.
    pub pointer: String,
}

/// The whole schema, checked.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The root's `title` (`政府信息公开工作年度报告`).
    pub title: Option<String>,
    /// The editions (`$defs` entries with `x-xxgk-edition`), in `$defs` order.
    pub editions: Vec<Edition>,
    /// Types in `$defs` order.
    pub defs: Vec<TypeDef>,
    /// The constraints of `x-xxgk-constraints`, in schema order.
    pub constraints: Vec<Constraint>,
    /// The six section headings of the form, in order (`x-xxgk-outline`).
    pub outline: Vec<Heading>,
    /// Words of the form that are not labels (`x-xxgk-text`).
    pub vocabulary: Vocabulary,
    /// How the narrative restates the tables (`x-xxgk-prose`).
    pub prose: crate::prose::Prose,
}

const DEFS_PREFIX: &str = "#/$defs/";

pub(crate) fn err(pointer: impl Into<String>, message: impl Into<String>) -> Error {
    Error::new(pointer, message)
}

/// Escape one JSON pointer token (RFC 6901).
pub(crate) fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn get_str(
    obj: &Map<String, Value>,
    key: &str,
    ptr: &str,
) -> Result<Option<String>, Error> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(err(
            format!("{ptr}/{}", token(key)),
            format!("`{key}` must be a string"),
        )),
    }
}

pub(crate) fn get_str_list(
    obj: &Map<String, Value>,
    key: &str,
    ptr: &str,
) -> Result<Vec<String>, Error> {
    let here = format!("{ptr}/{}", token(key));
    match obj.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| err(format!("{here}/{i}"), format!("`{key}` must list strings")))
            })
            .collect(),
        Some(_) => Err(err(here, format!("`{key}` must be an array of strings"))),
    }
}

/// Check that `id` (of a constraint or a statement at `ptr`) is dotted snake_case.
pub(crate) fn dotted_id(id: &str, ptr: &str, what: &str) -> Result<(), Error> {
    let fine = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    if fine {
        Ok(())
    } else {
        Err(err(
            format!("{ptr}/id"),
            format!("{what} id `{id}` must be dotted snake_case"),
        ))
    }
}

/// The `editions` an object at `ptr` lists, each checked to exist.
pub(crate) fn editions_of(
    obj: &Map<String, Value>,
    ptr: &str,
    schema: &Schema,
) -> Result<Vec<String>, Error> {
    let editions = get_str_list(obj, "editions", ptr)?;
    for (j, e) in editions.iter().enumerate() {
        if schema.edition(e).is_none() {
            return Err(err(
                format!("{ptr}/editions/{j}"),
                format!("unknown edition `{e}`"),
            ));
        }
    }
    Ok(editions)
}

pub(crate) fn as_object<'a>(
    v: &'a Value,
    ptr: &str,
    what: &str,
) -> Result<&'a Map<String, Value>, Error> {
    v.as_object()
        .ok_or_else(|| err(ptr, format!("{what} must be an object")))
}

/// Rust keywords (strict, reserved and weak where they matter) and the rule language's words.
const RESERVED: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "previous", "sum",
    "except",
];

fn is_rust_ident(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&id)
}

fn check_id(id: &str, ptr: &str) -> Result<(), Error> {
    if is_rust_ident(id) {
        Ok(())
    } else {
        Err(err(
            ptr,
            format!(
                "id `{id}` must be snake_case ASCII (a-z, 0-9, _), start with a letter and not be a Rust keyword"
            ),
        ))
    }
}

fn label(obj: &Map<String, Value>, ptr: &str) -> Result<Label, Error> {
    // The label is also the generated field's doc comment: a blank one is no label.
    let title = get_str(obj, "title", ptr)?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            err(
                ptr,
                "every table, group, row and column needs its official label as `title`",
            )
        })?;
    Ok(Label {
        title,
        variants: get_str_list(obj, "x-xxgk-variants", ptr)?,
    })
}

/// The `$defs` name a `$ref` points at, if it is a local `#/$defs/...` reference.
fn ref_target(obj: &Map<String, Value>, ptr: &str) -> Result<Option<String>, Error> {
    match get_str(obj, "$ref", ptr)? {
        None => Ok(None),
        Some(r) => match r.strip_prefix(DEFS_PREFIX) {
            Some(name) if !name.contains('/') => {
                Ok(Some(name.replace("~1", "/").replace("~0", "~")))
            }
            _ => Err(err(
                format!("{ptr}/$ref"),
                format!("`{r}` is not a reference of the form `#/$defs/NAME`"),
            )),
        },
    }
}

impl Schema {
    /// Read and check a schema given as JSON text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Self::from_value(&parse_json(text)?)
    }

    /// Read and check a schema given as a JSON value.
    pub fn from_value(root: &Value) -> Result<Self, Error> {
        let root = as_object(root, "", "the schema")?;
        match root.get("$schema").and_then(Value::as_str) {
            Some("https://json-schema.org/draft/2020-12/schema") => {}
            _ => {
                return Err(err(
                    "/$schema",
                    "the schema must declare draft 2020-12 (`https://json-schema.org/draft/2020-12/schema`)",
                ));
            }
        }
        let defs = as_object(
            root.get("$defs").unwrap_or(&Value::Null),
            "/$defs",
            "`$defs`",
        )?;

        // Cell kinds first: rows refer to them.
        let mut cell_kinds: Vec<(String, CellKind)> = Vec::new();
        for (name, def) in defs {
            let ptr = format!("/$defs/{}", token(name));
            let obj = as_object(def, &ptr, "a `$defs` entry")?;
            if let Some(kind) = get_str(obj, "x-xxgk-cell", &ptr)? {
                let kind = CellKind::from_keyword(&kind).ok_or_else(|| {
                    err(
                        format!("{ptr}/x-xxgk-cell"),
                        format!(
                            "unknown cell kind `{kind}` (expected count, signed_count or amount)"
                        ),
                    )
                })?;
                cell_kinds.push((name.clone(), kind));
            }
        }
        let cell_kind = |name: &str| cell_kinds.iter().find(|(n, _)| n == name).map(|(_, k)| *k);

        let mut types = Vec::new();
        let mut editions = Vec::new();
        for (name, def) in defs {
            let ptr = format!("/$defs/{}", token(name));
            let obj = as_object(def, &ptr, "a `$defs` entry")?;
            if let Some(edition) = obj.get("x-xxgk-edition") {
                check_id(name, &ptr)?;
                editions.push(read_edition(name, obj, edition, &ptr)?);
                continue;
            }
            let Some(kind) = get_str(obj, "x-xxgk-kind", &ptr)? else {
                continue;
            };
            check_id(name, &ptr)?;
            let props = as_object(
                obj.get("properties").unwrap_or(&Value::Null),
                &format!("{ptr}/properties"),
                "`properties`",
            )?;
            if props.is_empty() {
                return Err(err(
                    format!("{ptr}/properties"),
                    "a table, group or row needs at least one property",
                ));
            }
            let def_kind = match kind.as_str() {
                "table" | "group" => {
                    let mut children = Vec::new();
                    for (id, p) in props {
                        let pptr = format!("{ptr}/properties/{}", token(id));
                        check_id(id, &pptr)?;
                        let pobj = as_object(p, &pptr, "a property")?;
                        let target = ref_target(pobj, &pptr)?
                            .ok_or_else(|| err(&pptr, "a child of a table or group must be a `$ref` to a group or row in `$defs`"))?;
                        children.push(Child {
                            id: id.clone(),
                            def: target,
                            label: label(pobj, &pptr)?,
                            captions: get_str_list(pobj, "x-xxgk-captions", &pptr)?,
                        });
                    }
                    DefKind::Group { children }
                }
                "row" => {
                    let mut columns = Vec::new();
                    for (id, p) in props {
                        let pptr = format!("{ptr}/properties/{}", token(id));
                        check_id(id, &pptr)?;
                        let pobj = as_object(p, &pptr, "a property")?;
                        let target = ref_target(pobj, &pptr)?
                            .ok_or_else(|| err(&pptr, "a column must be a `$ref` to a cell kind (a `$defs` entry with `x-xxgk-cell`)"))?;
                        let kind = cell_kind(&target).ok_or_else(|| {
                            err(format!("{pptr}/$ref"), format!("`{target}` is not a cell kind (a `$defs` entry with `x-xxgk-cell`)"))
                        })?;
                        columns.push(Column {
                            id: id.clone(),
                            kind,
                            label: label(pobj, &pptr)?,
                            captions: get_str_list(pobj, "x-xxgk-captions", &pptr)?,
                            unit: get_str(pobj, "x-xxgk-unit", &pptr)?,
                            description: get_str(pobj, "description", &pptr)?,
                        });
                    }
                    DefKind::Row { columns }
                }
                other => {
                    return Err(err(
                        format!("{ptr}/x-xxgk-kind"),
                        format!("unknown kind `{other}` (expected table, group or row)"),
                    ));
                }
            };
            if obj.get("additionalProperties") != Some(&Value::Bool(false)) {
                return Err(err(
                    &ptr,
                    "tables, groups and rows must set `additionalProperties: false` so that unknown ids are rejected",
                ));
            }
            let keyword = get_str(obj, "x-xxgk-layout", &ptr)?;
            let layout = match keyword
                .as_deref()
                .map(|k| (k, TableLayout::from_keyword(k)))
            {
                None => TableLayout::Rows,
                Some((_, Some(TableLayout::Rows))) => TableLayout::Rows,
                Some((_, Some(layout))) if kind == "table" => layout,
                Some((other, _)) => {
                    return Err(err(
                        format!("{ptr}/x-xxgk-layout"),
                        format!("unknown table layout `{other}` (rows or one_row, on tables only)"),
                    ));
                }
            };
            types.push(TypeDef {
                name: name.clone(),
                title: get_str(obj, "title", &ptr)?,
                description: get_str(obj, "description", &ptr)?,
                is_table: kind == "table",
                stub_header: get_str(obj, "x-xxgk-stub-header", &ptr)?,
                layout,
                kind: def_kind,
            });
        }

        let vocabulary = match root.get("x-xxgk-text") {
            None => Vocabulary::default(),
            Some(v) => {
                let ptr = "/x-xxgk-text";
                let obj = as_object(v, ptr, "`x-xxgk-text`")?;
                if let Some(unknown) = obj.keys().find(|k| {
                    !["not_applicable", "count_units", "title_markers"].contains(&k.as_str())
                }) {
                    return Err(err(
                        format!("{ptr}/{}", token(unknown)),
                        format!("unknown vocabulary `{unknown}`"),
                    ));
                }
                Vocabulary {
                    not_applicable: get_str_list(obj, "not_applicable", ptr)?,
                    count_units: get_str_list(obj, "count_units", ptr)?,
                    title_markers: get_str_list(obj, "title_markers", ptr)?,
                }
            }
        };
        let mut outline = Vec::new();
        if let Some(v) = root.get("x-xxgk-outline") {
            let Value::Array(items) = v else {
                return Err(err("/x-xxgk-outline", "`x-xxgk-outline` must be an array"));
            };
            for (i, item) in items.iter().enumerate() {
                let ptr = format!("/x-xxgk-outline/{i}");
                let obj = as_object(item, &ptr, "a heading")?;
                let title = get_str(obj, "title", &ptr)?
                    .ok_or_else(|| err(&ptr, "a heading needs a `title`"))?;
                let keywords = get_str_list(obj, "keywords", &ptr)?;
                if keywords.is_empty() {
                    return Err(err(&ptr, "a heading needs `keywords` to be found by"));
                }
                outline.push(Heading { title, keywords });
            }
        }
        let schema = Schema {
            title: get_str(root, "title", "")?,
            outline,
            editions,
            defs: types,
            constraints: Vec::new(),
            vocabulary,
            prose: crate::prose::Prose::default(),
        };
        schema.check_structure(root)?;
        let constraints = read_constraints(root, &schema)?;
        let prose = crate::prose::read(root, &schema)?;
        Ok(Schema {
            constraints,
            prose,
            ..schema
        })
    }

    /// The type named `name`.
    pub fn def(&self, name: &str) -> Option<&TypeDef> {
        self.defs.iter().find(|d| d.name == name)
    }

    /// The leaf rows below a table or group type, in print order.
    pub fn leaf_rows<'a>(&'a self, def: &str) -> Vec<LeafRow<'a>> {
        let mut out = Vec::new();
        self.collect_rows(def, &mut Vec::new(), &mut Vec::new(), &mut out);
        out
    }

    fn collect_rows<'a>(
        &'a self,
        def: &str,
        path: &mut Vec<&'a str>,
        groups: &mut Vec<&'a Child>,
        out: &mut Vec<LeafRow<'a>>,
    ) {
        let Some(DefKind::Group { children }) = self.def(def).map(|d| &d.kind) else {
            return;
        };
        for child in children {
            path.push(&child.id);
            match self.def(&child.def).map(|d| &d.kind) {
                Some(DefKind::Row { columns }) => out.push(LeafRow {
                    path: path.join("."),
                    child,
                    groups: groups.clone(),
                    row_def: &child.def,
                    columns,
                }),
                Some(DefKind::Group { .. }) => {
                    groups.push(child);
                    self.collect_rows(&child.def, path, groups, out);
                    groups.pop();
                }
                None => {}
            }
            path.pop();
        }
    }

    /// Checks that need every type: references resolve, tables are tables, no cycles,
    /// editions are consistent with the `allOf` dispatch on `meta.edition`.
    fn check_structure(&self, root: &Map<String, Value>) -> Result<(), Error> {
        for def in &self.defs {
            if let DefKind::Group { children } = &def.kind {
                for child in children {
                    let ptr = format!(
                        "/$defs/{}/properties/{}/$ref",
                        token(&def.name),
                        token(&child.id)
                    );
                    match self.def(&child.def) {
                        None => {
                            return Err(err(
                                ptr,
                                format!("`{}` is not a table, group or row in `$defs`", child.def),
                            ));
                        }
                        Some(t) if t.is_table => {
                            return Err(err(
                                ptr,
                                format!("`{}` is a table; a table cannot be nested", child.def),
                            ));
                        }
                        Some(_) => {}
                    }
                }
            }
            self.check_acyclic(&def.name, &mut Vec::new())?;
        }
        if self.editions.is_empty() {
            return Err(err(
                "/$defs",
                "no edition: at least one `$defs` entry needs `x-xxgk-edition`",
            ));
        }
        let mut ids: Vec<&str> = Vec::new();
        for ed in &self.editions {
            let ptr = format!("/$defs/{}/x-xxgk-edition/id", token(&ed.def));
            if ids.contains(&ed.id.as_str()) {
                return Err(err(ptr, format!("duplicate edition id `{}`", ed.id)));
            }
            ids.push(&ed.id);
            for t in &ed.tables {
                let tptr = format!("/$defs/{}/properties/{}/$ref", token(&ed.def), token(&t.id));
                match self.def(&t.def) {
                    Some(d) if d.is_table => {}
                    _ => {
                        return Err(err(
                            tptr,
                            format!("`{}` is not a table (`x-xxgk-kind: table`)", t.def),
                        ));
                    }
                }
            }
            // The root must dispatch `tables` to this edition's definition on `meta.edition`.
            let wanted = format!("{DEFS_PREFIX}{}", ed.def);
            let dispatched = root
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|all| {
                    all.iter().any(|branch| {
                        branch
                            .pointer("/if/properties/meta/properties/edition/const")
                            .and_then(Value::as_str)
                            == Some(&ed.id)
                            && branch
                                .pointer("/then/properties/tables/$ref")
                                .and_then(Value::as_str)
                                == Some(&wanted)
                    })
                });
            if !dispatched {
                return Err(err(
                    "/allOf",
                    format!(
                        "edition `{}` needs an `allOf` branch: if meta.edition is \"{}\" then tables is `{wanted}`",
                        ed.id, ed.id
                    ),
                ));
            }
        }
        let mut years: Vec<i32> = self.editions.iter().map(|e| e.first_year).collect();
        years.sort_unstable();
        if years.windows(2).any(|w| w[0] == w[1]) {
            return Err(err("/$defs", "two editions share a `first_year`"));
        }
        Ok(())
    }

    fn check_acyclic(&self, name: &str, stack: &mut Vec<String>) -> Result<(), Error> {
        if stack.iter().any(|s| s == name) {
            return Err(err(
                format!("/$defs/{}", token(name)),
                format!("`{name}` contains itself ({})", stack.join(" → ")),
            ));
        }
        if let Some(DefKind::Group { children }) = self.def(name).map(|d| &d.kind) {
            stack.push(name.to_owned());
            for child in children {
                self.check_acyclic(&child.def, stack)?;
            }
            stack.pop();
        }
        Ok(())
    }

    /// The edition with id `id`.
    pub fn edition(&self, id: &str) -> Option<&Edition> {
        self.editions.iter().find(|e| e.id == id)
    }
}

/// Parse JSON text, rejecting duplicate object keys (which plain parsing would silently
/// resolve to the last one: a duplicate row id would vanish).
pub fn parse_json(text: &str) -> Result<Value, Error> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;

    struct Seed<'a> {
        pointer: String,
        duplicate: &'a RefCell<Option<(String, String)>>,
    }

    impl<'de> DeserializeSeed<'de> for Seed<'_> {
        type Value = Value;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Seed<'_> {
        type Value = Value;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(Seed {
                pointer: format!("{}/{}", self.pointer, out.len()),
                duplicate: self.duplicate,
            })? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                let pointer = format!("{}/{}", self.pointer, token(&key));
                if out.contains_key(&key) {
                    *self.duplicate.borrow_mut() = Some((pointer, key.clone()));
                    return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                }
                let v = map.next_value_seed(Seed {
                    pointer,
                    duplicate: self.duplicate,
                })?;
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
    }

    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Seed {
        pointer: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| match duplicate.into_inner() {
        Some((pointer, key)) => err(
            pointer,
            format!(
                "duplicate key `{key}` (line {}): every id must be unique",
                e.line()
            ),
        ),
        None => err(
            "",
            format!(
                "not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        ),
    })
}

/// A row with its full dotted path inside a table.
#[derive(Debug, Clone)]
pub struct LeafRow<'a> {
    /// The dotted path from the table (`outcomes.withheld.state_secret`).
    pub path: String,
    /// The property that holds the row.
    pub child: &'a Child,
    /// Enclosing groups, outermost first.
    pub groups: Vec<&'a Child>,
    /// The `$defs` name of the row type.
    pub row_def: &'a str,
    /// The row's cells, left to right.
    pub columns: &'a [Column],
}

impl LeafRow<'_> {
    /// The column with id `id`.
    pub fn column(&self, id: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }
}

fn read_edition(
    name: &str,
    obj: &Map<String, Value>,
    edition: &Value,
    ptr: &str,
) -> Result<Edition, Error> {
    let eptr = format!("{ptr}/x-xxgk-edition");
    let e = as_object(edition, &eptr, "`x-xxgk-edition`")?;
    let id =
        get_str(e, "id", &eptr)?.ok_or_else(|| err(&eptr, "`x-xxgk-edition` needs an `id`"))?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(err(
            format!("{eptr}/id"),
            "an edition id is ASCII letters and digits, e.g. \"2021\"",
        ));
    }
    let first_year = e
        .get("first_year")
        .and_then(Value::as_i64)
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| {
            err(
                format!("{eptr}/first_year"),
                "`first_year` must be an integer year",
            )
        })?;
    let props = as_object(
        obj.get("properties").unwrap_or(&Value::Null),
        &format!("{ptr}/properties"),
        "`properties`",
    )?;
    let mut tables = Vec::new();
    for (tid, p) in props {
        let pptr = format!("{ptr}/properties/{}", token(tid));
        check_id(tid, &pptr)?;
        let pobj = as_object(p, &pptr, "a table property")?;
        let def = ref_target(pobj, &pptr)?
            .ok_or_else(|| err(&pptr, "a table must be a `$ref` to a table in `$defs`"))?;
        let sptr = format!("{pptr}/x-xxgk-section");
        let s = as_object(
            pobj.get("x-xxgk-section").unwrap_or(&Value::Null),
            &sptr,
            "`x-xxgk-section`",
        )?;
        let ordinal = get_str(s, "ordinal", &sptr)?.ok_or_else(|| {
            err(
                &sptr,
                "`x-xxgk-section` needs the section's `ordinal` (e.g. \"三\")",
            )
        })?;
        tables.push(TableUse {
            id: tid.clone(),
            def,
            label: label(pobj, &pptr)?,
            section: Section {
                ordinal,
                keywords: get_str_list(s, "keywords", &sptr)?,
            },
        });
    }
    if obj.get("additionalProperties") != Some(&Value::Bool(false)) {
        return Err(err(
            ptr,
            "an edition's tables must set `additionalProperties: false`",
        ));
    }
    Ok(Edition {
        id,
        first_year,
        def: name.to_owned(),
        title: get_str(obj, "title", ptr)?,
        description: get_str(obj, "description", ptr)?,
        tables,
    })
}

fn read_constraints(root: &Map<String, Value>, schema: &Schema) -> Result<Vec<Constraint>, Error> {
    let base = "/x-xxgk-constraints";
    let Some(list) = root.get("x-xxgk-constraints") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| err(base, "`x-xxgk-constraints` must be an array"))?;
    let mut out: Vec<Constraint> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let ptr = format!("{base}/{i}");
        let obj = as_object(c, &ptr, "a constraint")?;
        let id =
            get_str(obj, "id", &ptr)?.ok_or_else(|| err(&ptr, "a constraint needs an `id`"))?;
        dotted_id(&id, &ptr, "constraint")?;
        if out.iter().any(|o| o.id == id) {
            return Err(err(
                format!("{ptr}/id"),
                format!("duplicate constraint id `{id}`"),
            ));
        }
        let severity = get_str(obj, "severity", &ptr)?.unwrap_or_default();
        if !matches!(severity.as_str(), "error" | "warning" | "info") {
            return Err(err(
                format!("{ptr}/severity"),
                "`severity` must be error, warning or info",
            ));
        }
        let keyword = get_str(obj, "scope", &ptr)?;
        let scope = match keyword.as_deref().map(|s| (s, Scope::from_keyword(s))) {
            None => Scope::Report,
            Some((_, Some(scope))) => scope,
            Some((s, None)) => {
                return Err(err(
                    format!("{ptr}/scope"),
                    format!("unknown scope `{s}` (report, corpus or meta)"),
                ));
            }
        };
        let keyword = get_str(obj, "each", &ptr)?;
        let each = match keyword.as_deref().map(|s| (s, Each::from_keyword(s))) {
            None => Each::Once,
            Some((_, Some(each))) => each,
            Some((s, None)) => {
                return Err(err(
                    format!("{ptr}/each"),
                    format!("unknown `each` `{s}` (column, row, cell or once)"),
                ));
            }
        };
        let editions = editions_of(obj, &ptr, schema)?;
        let mut kinds = Vec::new();
        for (j, k) in get_str_list(obj, "kinds", &ptr)?.iter().enumerate() {
            kinds.push(CellKind::from_keyword(k).ok_or_else(|| {
                err(
                    format!("{ptr}/kinds/{j}"),
                    format!("unknown cell kind `{k}`"),
                )
            })?);
        }
        let rule_text = get_str(obj, "rule", &ptr)?;
        let builtin = get_str(obj, "builtin", &ptr)?;
        let table = get_str(obj, "table", &ptr)?;
        let rule = match (&rule_text, &builtin, scope) {
            (Some(text), None, Scope::Report | Scope::Corpus) => {
                Some(rule::parse(text).map_err(|m| {
                    err(
                        format!("{ptr}/rule"),
                        format!("cannot read rule `{text}`: {m}"),
                    )
                })?)
            }
            (None, Some(_), Scope::Meta) => None,
            (_, _, Scope::Meta) => {
                return Err(err(
                    &ptr,
                    "a meta constraint names a `builtin` check and has no `rule`",
                ));
            }
            _ => {
                return Err(err(
                    &ptr,
                    "a report or corpus constraint needs a `rule` and no `builtin`",
                ));
            }
        };
        if rule.is_some() {
            let Some(t) = &table else {
                return Err(err(
                    &ptr,
                    "a constraint with a rule needs the `table` it applies to",
                ));
            };
            if !schema
                .editions
                .iter()
                .any(|e| e.tables.iter().any(|u| &u.id == t))
            {
                return Err(err(
                    format!("{ptr}/table"),
                    format!("no edition has a table `{t}`"),
                ));
            }
        }
        out.push(Constraint {
            id,
            severity,
            scope,
            table,
            editions,
            each,
            rows: get_str_list(obj, "rows", &ptr)?,
            kinds,
            stated: get_str(obj, "stated", &ptr)?,
            description: get_str(obj, "description", &ptr)?,
            rule_text,
            rule,
            builtin,
            pointer: ptr,
        });
    }
    Ok(out)
}
