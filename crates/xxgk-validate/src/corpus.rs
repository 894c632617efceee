//! Checks across reports: the same agency's consecutive years (the schema's corpus-scope
//! constraints, e.g. `continuity.carry_over`) and the same agency and year twice.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use xxgk_model::cell::{Cell, CellId, CellSource, Value};
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::Location;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Arg, Message};
use xxgk_model::{Edition, Tables};

/// Code of the warning for two reports of one agency and year.
pub const DUPLICATE: &str = "corpus.duplicate";

/// What the corpus checks need of one report: its name, agency, year and edition, and only
/// what the corpus-scope constraints read of its cells ([`carried_cells`]), so a run over many
/// reports keeps a few hundred bytes per report, not its tables.
#[derive(Debug, Clone)]
pub struct Entry {
    /// How the report is named in messages (its path).
    pub name: String,
    /// The reporting agency, as printed.
    pub agency: String,
    /// The year reported on.
    pub year: i32,
    /// The report's edition of the form.
    pub edition: Edition,
    /// How the checks read the report's cells at [`carried_cells`]`(edition)`, position for
    /// position.
    pub cells: Box<[Kept]>,
    /// Where the cells read as this year's side of a check were printed (their position in
    /// `cells`), for the diagnostics to point at; empty for canonical JSON.
    pub locations: Box<[(u16, Location)]>,
}

/// How a check reads a kept cell: all the continuity checks need of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Not known (or its table absent).
    Unknown,
    /// Blank: read as zero.
    Blank,
    /// Not applicable: read as zero.
    NotApplicable,
    /// Not a count (an amount, or a count too large): not assessable.
    NotACount,
    /// A count or signed count.
    Number(i64),
}

impl Kept {
    fn of(cell: Option<&Cell>) -> Kept {
        match cell.map(|c| c.value) {
            None | Some(Value::Unknown) => Kept::Unknown,
            Some(Value::Blank) => Kept::Blank,
            Some(Value::NotApplicable) => Kept::NotApplicable,
            Some(Value::Count(n)) => i64::try_from(n).map_or(Kept::NotACount, Kept::Number),
            Some(Value::SignedCount(n)) => Kept::Number(n),
            Some(Value::Amount(_)) => Kept::NotACount,
        }
    }

    /// A value the checks read the same way.
    fn value(self) -> Value {
        match self {
            Kept::Unknown => Value::Unknown,
            Kept::Blank => Value::Blank,
            Kept::NotApplicable => Value::NotApplicable,
            Kept::NotACount => Value::Count(u64::MAX),
            Kept::Number(n) => u64::try_from(n).map_or(Value::SignedCount(n), Value::Count),
        }
    }
}

impl Entry {
    /// The entry of a report named `name` of `agency` and `year` whose tables are `tables`:
    /// how the carried cells read, and where the ones read as this year's were printed;
    /// nothing else.
    pub fn new(
        name: impl Into<String>,
        agency: impl Into<String>,
        year: i32,
        tables: &Tables,
    ) -> Entry {
        let edition = tables.edition();
        let carried = carried(edition);
        let mut locations = Vec::new();
        let cells = carried
            .iter()
            .enumerate()
            .map(|(k, (id, current))| {
                let cell = tables.cell(id.table, id.row, id.column);
                if *current && let Some(l) = cell.and_then(Cell::location) {
                    locations.push((k as u16, l));
                }
                Kept::of(cell)
            })
            .collect();
        Entry {
            name: name.into(),
            agency: agency.into(),
            year,
            edition,
            cells,
            locations: locations.into(),
        }
    }

    /// Tables of the entry's edition holding only the kept cells: what the continuity checks
    /// read, rebuilt (they give those checks the report's results and diagnostics).
    pub fn tables(&self) -> Tables {
        let mut tables = Tables::new(self.edition);
        for (k, ((id, _), kept)) in carried(self.edition)
            .iter()
            .zip(self.cells.iter())
            .enumerate()
        {
            if *kept == Kept::Unknown {
                continue;
            }
            if let Some(slot) = tables.cell_mut(id.table, id.row, id.column) {
                slot.value = kept.value();
                slot.source = self
                    .locations
                    .iter()
                    .find(|(at, _)| usize::from(*at) == k)
                    .map(|(_, l)| {
                        Box::new(CellSource {
                            raw: String::new(),
                            location: Some(*l),
                        })
                    });
            }
        }
        tables
    }
}

/// The cells of a report of `edition` that the corpus-scope constraints read, as this year's
/// report or as the previous year's, in id order. Found from the generated checks themselves:
/// the continuity checks run over empty tables of every pair of editions record every cell
/// they read, so a corpus constraint added to the schema brings its cells here by itself.
///
/// ```
/// use xxgk_model::Edition;
/// let cells = xxgk_validate::corpus::carried_cells(Edition::E2021);
/// assert!(cells.iter().any(|c| c.to_string() == "applications.carried_over.natural_person"));
/// assert!(cells.iter().any(|c| c.to_string() == "applications.carried_forward.natural_person"));
/// assert!(cells.iter().all(|c| c.table == "applications"));
/// ```
pub fn carried_cells(edition: Edition) -> &'static [CellId] {
    &carried_tables(edition).0
}

/// [`carried_cells`], each with whether a check reads it as this year's side (whose locations
/// diagnostics point at).
fn carried(edition: Edition) -> &'static [(CellId, bool)] {
    &carried_tables(edition).1
}

type Carried = (Vec<CellId>, Vec<(CellId, bool)>);

fn carried_tables(edition: Edition) -> &'static Carried {
    static CELLS: OnceLock<Vec<Carried>> = OnceLock::new();
    let all = CELLS.get_or_init(|| {
        Edition::ALL
            .iter()
            .map(|&e| {
                let mut ids: BTreeMap<CellId, bool> = BTreeMap::new();
                for &other in Edition::ALL {
                    // `e` as this year's report, then as the previous year's.
                    let now = Tables::new(e).check_continuity(&Tables::new(other));
                    let before = Tables::new(other).check_continuity(&Tables::new(e));
                    for t in now
                        .iter()
                        .flat_map(|r| r.terms.iter().filter(|t| !t.previous))
                    {
                        ids.insert(t.cell, true);
                    }
                    for t in before
                        .iter()
                        .flat_map(|r| r.terms.iter().filter(|t| t.previous))
                    {
                        ids.entry(t.cell).or_insert(false);
                    }
                }
                (ids.keys().copied().collect(), ids.into_iter().collect())
            })
            .collect()
    });
    let index = Edition::ALL.iter().position(|&e| e == edition).unwrap_or(0);
    &all[index]
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
///     Entry::new("a-2023.json", "某局", 2023, &earlier),
///     Entry::new("a-2024.json", "某 局", 2024, &later),
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
            for r in cur.tables().check_continuity(&prev.tables()) {
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
