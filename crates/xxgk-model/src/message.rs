//! What diagnostics say, in the users' language.
//!
//! A diagnostic carries its wording as a [`Message`]: a key into the catalogues and the
//! values it names ([`Arg`]: numbers, text, cells, rows, tables, nested phrases). Each
//! language has one catalogue (`message/en.rs`, `message/zh.rs`) mapping every key to a
//! template with `{name}` placeholders; nothing else assembles a sentence. A message is
//! rendered with a [`Naming`]: ids (`applications.outcomes.total.natural_person`, for JSON
//! and CSV, where they stay stable) or the form's own labels (`三（七）总计 / 自然人`, for
//! people).
//!
//! ```
//! use xxgk_model::message::{Arg, Lang, Message, Naming};
//! use xxgk_model::cell::CellId;
//! let cell = CellId::parse("review_litigation.administrative_review.total").unwrap();
//! let m = Message::new("parse.cell_value")
//!     .arg("cell", cell)
//!     .arg("why", Message::new("value.not_a_number").arg("text", "十二"));
//! assert_eq!(
//!     m.render(Lang::En, Naming::Ids),
//!     "review_litigation.administrative_review.total: `十二` is not a number; the cell is left unknown"
//! );
//! assert_eq!(
//!     m.render(Lang::Zh, Naming::labels()),
//!     "四 行政复议 / 总计：“十二”不是数字；该单元格记为未知"
//! );
//! ```

mod en;
mod zh;

use crate::cell::{CellId, CellRef};
use crate::template::Template;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

/// A language xxgk speaks to people in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// `zh…` → Chinese, `en…` → English (`zh_CN.UTF-8`, `zh-Hans`, `en_GB`); else `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s == "posix" || s.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of a locale given by the POSIX variables, in their order of precedence
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`): the first one set and not empty decides; a locale
    /// neither Chinese nor English, or none, gives English.
    ///
    /// ```
    /// use xxgk_model::message::Lang;
    /// let env = |k: &str| (k == "LANG").then(|| "zh_CN.UTF-8".to_owned());
    /// assert_eq!(Lang::from_locale(env), Lang::Zh);
    /// assert_eq!(Lang::from_locale(|_| None), Lang::En);
    /// ```
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| var(k).filter(|v| !v.is_empty()))
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }

    /// [`Lang::from_locale`] over this process's environment.
    pub fn from_env() -> Lang {
        Lang::from_locale(|k| std::env::var(k).ok())
    }

    /// The catalogue of this language: key → template.
    fn catalogue(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => en::CATALOGUE,
            Lang::Zh => zh::CATALOGUE,
        }
    }

    /// The template of `key`, falling back to English when this language lacks it.
    fn template(self, key: &str) -> Option<&'static str> {
        let find = |c: &'static [(&'static str, &'static str)]| {
            c.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
        };
        find(self.catalogue()).or_else(|| find(en::CATALOGUE))
    }

    /// The separator of a list's items (`, ` or `、`).
    fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::Zh => "、",
        }
    }

    /// The separator of a sentence's clauses (`; ` or `；`).
    fn clause_separator(self) -> &'static str {
        match self {
            Lang::En => "; ",
            Lang::Zh => "；",
        }
    }
}

/// How a rendered message names cells, rows and tables.
#[derive(Debug, Clone, Copy)]
pub enum Naming {
    /// By id (`applications.outcomes.total.natural_person`, table `` `applications` ``): what
    /// JSON and CSV carry.
    Ids,
    /// By the form's labels (`三（七）总计 / 自然人`), from this edition's template (or, when
    /// `None`, from the newest template that has the cell).
    Labels(Option<&'static Template>),
}

impl Naming {
    /// Labels from whichever template has the cell.
    pub fn labels() -> Naming {
        Naming::Labels(None)
    }

    fn templates(self) -> impl Iterator<Item = &'static Template> {
        let preferred = match self {
            Naming::Labels(t) => t,
            Naming::Ids => None,
        };
        preferred
            .into_iter()
            .chain(crate::TEMPLATES.iter().rev().copied())
    }
}

/// What a message says: a catalogue key and the values its template names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The catalogue key (`parse.cell_value`).
    pub key: String,
    /// The values, by placeholder name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

/// A value a message names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A number.
    Int(i64),
    /// Text shown as it is (a printed label, a value as printed, a library's error).
    Text(String),
    /// Items shown as a list (`a, b` or `a、b`).
    List(Vec<Arg>),
    /// A cell, named by id or by label.
    Cell {
        /// The cell.
        cell: CellRef,
    },
    /// Cells added up (`a + b`; more than four: "the sum of N cells"). By id, a term is
    /// named without its table, which the diagnostic's code names.
    Sum {
        /// The cells, in the rule's order.
        sum: Vec<CellRef>,
    },
    /// A row or a group of a table (`applications.outcomes.total` or `三（七）总计`).
    Row {
        /// The table's id.
        table: String,
        /// The row's dotted path.
        row: String,
    },
    /// A table (`` `applications` `` or its section heading).
    Table {
        /// The table's id.
        table: String,
    },
    /// Clauses of one sentence, each a phrase (`a; b` or `a；b`).
    Clauses {
        /// The clauses, in order.
        clauses: Vec<Arg>,
    },
    /// A phrase of its own from the catalogue.
    Phrase(Message),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        i64::try_from(n).map_or_else(|_| Arg::Text(n.to_string()), Arg::Int)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Int(i64::from(n))
    }
}

/// A sum beyond `i64` is shown in full as text rather than cut.
impl From<i128> for Arg {
    fn from(n: i128) -> Arg {
        i64::try_from(n).map_or_else(|_| Arg::Text(n.to_string()), Arg::Int)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<CellId> for Arg {
    fn from(cell: CellId) -> Arg {
        Arg::Cell { cell: cell.into() }
    }
}

impl From<CellRef> for Arg {
    fn from(cell: CellRef) -> Arg {
        Arg::Cell { cell }
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Phrase(m)
    }
}

impl<T: Into<Arg>> From<Vec<T>> for Arg {
    fn from(items: Vec<T>) -> Arg {
        Arg::List(items.into_iter().map(Into::into).collect())
    }
}

impl Arg {
    /// A row or group of a table.
    pub fn row(table: &str, row: &str) -> Arg {
        Arg::Row {
            table: table.to_owned(),
            row: row.to_owned(),
        }
    }

    /// A table.
    pub fn table(table: &str) -> Arg {
        Arg::Table {
            table: table.to_owned(),
        }
    }

    /// Clauses of one sentence.
    pub fn clauses(clauses: impl IntoIterator<Item = Arg>) -> Arg {
        Arg::Clauses {
            clauses: clauses.into_iter().collect(),
        }
    }

    /// Cells added up.
    pub fn sum(cells: impl IntoIterator<Item = CellRef>) -> Arg {
        Arg::Sum {
            sum: cells.into_iter().collect(),
        }
    }

    fn render(&self, lang: Lang, naming: Naming, out: &mut String) {
        match self {
            Arg::Int(n) => {
                // Written in place: no string of its own.
                let _ = write!(out, "{n}");
            }
            Arg::Text(s) => out.push_str(s),
            Arg::List(items) => join(items, lang.list_separator(), lang, naming, out),
            Arg::Clauses { clauses } => join(clauses, lang.clause_separator(), lang, naming, out),
            Arg::Cell { cell } => push_cell_name(*cell, lang, naming, false, out),
            Arg::Sum { sum } if sum.len() > 4 => {
                Message::new("sum_of")
                    .arg("n", sum.len())
                    .render_onto(lang, naming, out);
            }
            Arg::Sum { sum } => {
                for (i, c) in sum.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" + ");
                    }
                    push_cell_name(*c, lang, naming, true, out);
                }
            }
            Arg::Row { table, row } => match naming {
                Naming::Ids => out.push_str(&format!("{table}.{row}")),
                Naming::Labels(_) => out.push_str(
                    &naming
                        .templates()
                        .find_map(|t| t.row_label(table, row))
                        .unwrap_or_else(|| format!("{table}.{row}")),
                ),
            },
            Arg::Table { table } => match naming {
                Naming::Ids => out.push_str(&format!("`{table}`")),
                Naming::Labels(_) => out.push_str(
                    naming
                        .templates()
                        .find_map(|t| t.table(table))
                        .map_or(table.as_str(), |t| t.label.title),
                ),
            },
            Arg::Phrase(m) => m.render_onto(lang, naming, out),
        }
    }
}

fn join(items: &[Arg], separator: &str, lang: Lang, naming: Naming, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        item.render(lang, naming, out);
    }
}

/// [`cell_name`] written onto `out`: in place when by id and of this year, the common case.
fn push_cell_name(cell: CellRef, lang: Lang, naming: Naming, short: bool, out: &mut String) {
    match naming {
        Naming::Ids if !cell.previous => {
            let id = cell.cell;
            if !short {
                out.push_str(id.table);
                out.push('.');
            }
            out.push_str(id.row);
            out.push('.');
            out.push_str(id.column);
        }
        _ => out.push_str(&cell_name(cell, lang, naming, short)),
    }
}

/// A cell by id (`short`: without its table) or by label, `previous` ones marked so.
fn cell_name(cell: CellRef, lang: Lang, naming: Naming, short: bool) -> String {
    let name = match naming {
        Naming::Ids if short => format!("{}.{}", cell.cell.row, cell.cell.column),
        Naming::Ids => cell.cell.to_string(),
        Naming::Labels(_) => naming
            .templates()
            .find_map(|t| t.cell_label(cell.cell))
            .unwrap_or_else(|| cell.cell.to_string()),
    };
    if !cell.previous {
        return name;
    }
    match naming {
        Naming::Ids if !short => format!("previous.{name}"),
        _ => Message::new("previous_year")
            .arg("cell", name)
            .render(lang, naming),
    }
}

impl Message {
    /// A message with no values yet.
    pub fn new(key: &str) -> Message {
        Message {
            key: key.to_owned(),
            args: BTreeMap::new(),
        }
    }

    /// With the value `name`.
    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Message {
        self.args.insert(name.to_owned(), value.into());
        self
    }

    /// The message in `lang`, naming cells as `naming` says. A key no catalogue has shows the
    /// key and its values, so nothing is lost; a placeholder without a value shows as written.
    pub fn render(&self, lang: Lang, naming: Naming) -> String {
        let mut out = String::new();
        self.render_onto(lang, naming, &mut out);
        out
    }

    /// [`Message::render`] appended to `out`: a phrase inside a message is written in place,
    /// not into a string of its own copied after.
    fn render_onto(&self, lang: Lang, naming: Naming, out: &mut String) {
        let Some(template) = lang.template(&self.key) else {
            out.push_str(&self.key);
            for (name, value) in &self.args {
                out.push_str(&format!(" {name}="));
                value.render(lang, naming, out);
            }
            return;
        };
        out.reserve(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match self.args.get(name) {
                        Some(value) => value.render(lang, naming, out),
                        None => out.push_str(&rest[open..open + close + 2]),
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
    }
}

/// The English text, cells by id.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En, Naming::Ids))
    }
}

/// The placeholders of a template, in order.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_have_the_same_keys_and_chinese_fills_only_english_values() {
        let (en, zh) = (en::CATALOGUE, zh::CATALOGUE);
        for (key, template) in en {
            let Some((_, other)) = zh.iter().find(|(k, _)| k == key) else {
                panic!("the Chinese catalogue lacks `{key}`");
            };
            // The English text names every value (it is what JSON carries); the Chinese one
            // may leave out what its labels already say (a column's id), never add one.
            let english = placeholders(template);
            assert!(
                placeholders(other).iter().all(|p| english.contains(p)),
                "`{key}`: {template} / {other}"
            );
        }
        for (key, _) in zh {
            assert!(
                en.iter().any(|(k, _)| k == key),
                "the English catalogue lacks `{key}`"
            );
        }
        let mut keys: Vec<&str> = en.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is listed twice");
    }

    #[test]
    fn rendering_fills_names_lists_and_phrases() {
        let total = CellId::parse("applications.outcomes.total.natural_person").unwrap();
        let other = CellId::parse("applications.outcomes.total.total").unwrap();
        let m = Message::new("parse.row_missing")
            .arg("table", Arg::table("applications"))
            .arg("rows", vec!["outcomes.total", "carried_forward"]);
        assert_eq!(
            m.render(Lang::En, Naming::Ids),
            "table `applications`: no printed row matches outcomes.total, carried_forward; their cells are unknown"
        );
        assert!(
            m.render(Lang::Zh, Naming::labels())
                .contains("outcomes.total、carried_forward"),
            "{}",
            m.render(Lang::Zh, Naming::labels())
        );
        let sum = Arg::sum([total.into(), other.into()]);
        let mut s = String::new();
        sum.render(Lang::En, Naming::Ids, &mut s);
        assert_eq!(s, "outcomes.total.natural_person + outcomes.total.total");
        let mut s = String::new();
        sum.render(Lang::Zh, Naming::labels(), &mut s);
        assert_eq!(s, "三（七）总计 / 自然人 + 三（七）总计 / 总计");
        let many = Arg::sum(vec![CellRef::from(total); 5]);
        let mut s = String::new();
        many.render(Lang::Zh, Naming::labels(), &mut s);
        assert_eq!(s, "5 个单元格之和");
        let previous = CellRef {
            cell: total,
            previous: true,
        };
        let mut s = String::new();
        Arg::from(previous).render(Lang::En, Naming::Ids, &mut s);
        assert_eq!(s, "previous.applications.outcomes.total.natural_person");
    }

    #[test]
    fn unknown_keys_and_missing_values_lose_nothing() {
        let m = Message::new("no.such.key").arg("n", 3_i64);
        assert_eq!(m.render(Lang::Zh, Naming::Ids), "no.such.key n=3");
        let m = Message::new("parse.cell_value");
        assert_eq!(
            m.render(Lang::En, Naming::Ids),
            "{cell}: {why}; the cell is left unknown"
        );
    }

    #[test]
    fn messages_round_trip_through_json() {
        let cell = CellId::parse("review_litigation.litigation_direct.total").unwrap();
        let m = Message::new("check.failed")
            .arg("left", Arg::sum([cell.into()]))
            .arg("left_value", 3_i64)
            .arg("op", Message::new("cmp.eq"))
            .arg("right", Arg::table("review_litigation"))
            .arg("row", Arg::row("applications", "outcomes.total"))
            .arg("cells", vec![cell])
            .arg("text", "x")
            .arg(
                "clauses",
                Arg::clauses([Arg::from("a"), Message::new("cmp.le").into()]),
            );
        let json = serde_json::to_string(&m).unwrap();
        let back: Message = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m, "{json}");
    }

    #[test]
    fn locales() {
        assert_eq!(Lang::parse("zh_TW.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr_FR"), None);
        let env = |k: &str| match k {
            "LC_ALL" => Some(String::new()),
            "LC_MESSAGES" => Some("en_US".to_owned()),
            "LANG" => Some("zh_CN".to_owned()),
            _ => None,
        };
        assert_eq!(Lang::from_locale(env), Lang::En);
    }
}
