//! Checks across reports: the same agency's consecutive years (the schema's corpus-scope
//! constraints, e.g. `continuity.carry_over`) and the same agency and year twice.

use std::collections::BTreeMap;
use xxgk_model::Tables;
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Arg, Message};

/// Code of the warning for two reports of one agency and year.
pub const DUPLICATE: &str = "corpus.duplicate";

/// What the corpus checks need of one report.
#[derive(Debug, Clone)]
pub struct Entry {
    /// How the report is named in messages (its path).
    pub name: String,
    pub agency: String,
    pub year: i32,
    pub tables: Tables,
}

/// An agency's name as compared across reports: full-width folded, spaces and punctuation
/// dropped (`宝鸡市 公安局` and `宝鸡市公安局` are one agency).
pub fn agency_key(agency: &str) -> String {
    agency
        .chars()
        .map(xxgk_model::text::fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Run the corpus checks; each diagnostic is returned with the name of the report it is about
/// (the later year's, for continuity).
///
/// ```
/// use xxgk_model::{Edition, Tables, cell::Cell};
/// use xxgk_validate::corpus::{Entry, check};
/// let mut earlier = Tables::new(Edition::E2021);
/// *earlier.cell_mut("applications", "carried_forward", "natural_person").unwrap() = Cell::count(5);
/// let mut later = Tables::new(Edition::E2021);
/// *later.cell_mut("applications", "carried_over", "natural_person").unwrap() = Cell::count(4);
/// let found = check(&[
///     Entry { name: "a-2023.json".into(), agency: "某局".into(), year: 2023, tables: earlier },
///     Entry { name: "a-2024.json".into(), agency: "某 局".into(), year: 2024, tables: later },
/// ]);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].0, "a-2024.json");
/// assert_eq!(found[0].1.code, "continuity.carry_over");
/// assert!(found[0].1.message.contains("a-2023.json"));
/// ```
pub fn check(entries: &[Entry]) -> Vec<(String, Diagnostic)> {
    let mut by_agency: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        by_agency.entry(agency_key(&e.agency)).or_default().push(e);
    }
    let mut out = Vec::new();
    for (_, mut list) in by_agency {
        list.sort_by(|a, b| (a.year, &a.name).cmp(&(b.year, &b.name)));
        for pair in list.windows(2) {
            let (prev, cur) = (pair[0], pair[1]);
            if prev.year == cur.year {
                out.push((
                    cur.name.clone(),
                    Diagnostic::new(
                        DUPLICATE,
                        Severity::Warning,
                        Message::new("corpus.duplicate")
                            .arg("first", prev.name.as_str())
                            .arg("second", cur.name.as_str())
                            .arg("agency", cur.agency.as_str())
                            .arg("year", i64::from(cur.year)),
                    ),
                ));
                continue;
            }
            if cur.year != prev.year + 1 {
                continue;
            }
            for r in cur.tables.check_continuity(&prev.tables) {
                if r.outcome != Outcome::Fail {
                    continue;
                }
                if let Some(mut d) = r.to_diagnostic() {
                    let what = d
                        .text
                        .take()
                        .map_or_else(|| Arg::from(d.message.clone()), Arg::from);
                    let text = Message::new("corpus.against")
                        .arg("report", cur.name.as_str())
                        .arg("year", i64::from(cur.year))
                        .arg("previous", prev.name.as_str())
                        .arg("previous_year", i64::from(prev.year))
                        .arg("what", what);
                    d.message = text.to_string();
                    d.text = Some(text);
                    d.path = Some(prev.name.clone());
                    out.push((cur.name.clone(), d));
                }
            }
        }
    }
    out
}
