//! Checks across reports: the same agency's consecutive years (the schema's corpus-scope
//! constraints, e.g. `continuity.carry_over`) and the same agency and year twice.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;
use xxgk_model::cell::{Cell, CellId, CellSource, Value};
use xxgk_model::check::Outcome;
use xxgk_model::diagnostic::Location;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Arg, Message};
use xxgk_model::varint::{put, take};
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

    /// The kept cell as one number, for [`Corpus`]: 0–3 the marks, then counts zigzagged
    /// (0, -1, 1, -2, … → 4, 5, 6, 7, …) so that small ones of either sign stay small.
    fn code(self) -> u128 {
        match self {
            Kept::Unknown => 0,
            Kept::Blank => 1,
            Kept::NotApplicable => 2,
            Kept::NotACount => 3,
            Kept::Number(n) => 4 + u128::from(((n << 1) ^ (n >> 63)) as u64),
        }
    }

    /// The kept cell [`Kept::code`] gave `code`.
    fn from_code(code: u128) -> Kept {
        match code {
            0 => Kept::Unknown,
            1 => Kept::Blank,
            2 => Kept::NotApplicable,
            3 => Kept::NotACount,
            _ => {
                let z = u64::try_from(code - 4).unwrap_or(u64::MAX);
                Kept::Number((z >> 1) as i64 ^ -((z & 1) as i64))
            }
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
    let mut corpus = Corpus::default();
    for (k, e) in entries.iter().enumerate() {
        corpus.push(k, e);
    }
    corpus.check(&|k| entries.get(k).map_or_else(String::new, |e| e.name.clone()))
}

/// The entries of a whole run, packed: what [`check`] needs of each report in a few dozen
/// bytes, so that a run over hundreds of thousands of reports keeps its memory small.
///
/// A report is known by the caller's number for it (its position in the run), not its name:
/// the caller already holds its files' paths, and [`Corpus::check`] asks for the names of the
/// reports it compares or names only. The kept cells and their locations are varints in
/// blocks of 64 KiB shared by the reports (blocks, not one buffer, so that growing never holds
/// twice the data). Agencies are kept once each, by the key they are compared by
/// ([`agency_key`]), in the blocks too: at the start of the bytes of the first report of each,
/// which the later ones point to (a hash table finds it by the key); the few printed otherwise
/// are kept beside their reports.
///
/// ```
/// use xxgk_model::{Edition, Tables, cell::Cell};
/// use xxgk_validate::corpus::Corpus;
/// let mut earlier = Tables::new(Edition::E2021);
/// *earlier.cell_mut("applications", "carried_forward", "natural_person").unwrap() = Cell::count(5);
/// let mut later = Tables::new(Edition::E2021);
/// *later.cell_mut("applications", "carried_over", "natural_person").unwrap() = Cell::count(4);
/// let mut corpus = Corpus::default();
/// corpus.add(0, "某局", 2023, &earlier);
/// corpus.add(1, "某 局", 2024, &later);
/// let names = ["a-2023.json", "a-2024.json"];
/// let found = corpus.check(&|k| names[k].to_owned());
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].0, "a-2024.json");
/// ```
#[derive(Debug, Default)]
pub struct Corpus {
    /// Each agency, as the report that brought it first (its place in `reports`), found by
    /// the agency's key ([`agency_key`]), which that report's bytes in `blocks` begin with.
    agencies: hashbrown::HashTable<u32>,
    hasher: std::collections::hash_map::RandomState,
    /// The agency as printed, of the reports (by their place in `reports`) where that is not
    /// its key (spaces, full-width letters…): the duplicate warning names it as printed.
    printed: Vec<(usize, Box<str>)>,
    reports: Vec<Packed>,
    /// Every report's kept cells and locations ([`Packed::start`]), one report after another,
    /// a report never split between blocks.
    blocks: Vec<Vec<u8>>,
}

/// The size of a block of [`Corpus::blocks`]: many reports' cells (a report takes a few
/// dozen bytes), little to spare.
const BLOCK: usize = 64 * 1024;

/// One report of a [`Corpus`]: 20 bytes.
#[derive(Debug, Clone, Copy)]
struct Packed {
    /// The caller's number for the report.
    report: u32,
    /// The report that brought its agency first (its place in [`Corpus::reports`]), whose
    /// bytes begin with the agency's key.
    agency: u32,
    year: i32,
    /// Its block in [`Corpus::blocks`], and where its cells start there (they are read until
    /// every cell and location is read): within the first [`BLOCK`] bytes of the block.
    block: u32,
    start: u16,
    edition: Edition,
}

impl Corpus {
    /// An empty corpus with room for `reports` reports (a run knows how many files it has).
    pub fn with_capacity(reports: usize) -> Corpus {
        Corpus {
            reports: Vec::with_capacity(reports),
            ..Corpus::default()
        }
    }

    /// How many reports were added.
    pub fn len(&self) -> usize {
        self.reports.len()
    }

    /// Whether no report was added.
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty()
    }

    /// Add report number `report` of `agency` and `year` whose tables are `tables`: as
    /// [`Entry::new`] keeps it, packed.
    pub fn add(&mut self, report: usize, agency: &str, year: i32, tables: &Tables) {
        self.push(report, &Entry::new(String::new(), agency, year, tables));
    }

    /// Add `entry` as report number `report` (its name is not kept). A corpus numbers its
    /// reports in 32 bits: a report numbered 2³² or more, or beyond the 2³² − 1st, is not
    /// added (no run has as many files: their paths alone would fill the memory).
    pub fn push(&mut self, report: usize, entry: &Entry) {
        let Ok(report) = u32::try_from(report) else {
            return;
        };
        // Positions in `reports` are kept in 32 bits too (`Packed::agency`, the sort).
        if self.reports.len() >= u32::MAX as usize {
            return;
        }
        let key = agency_key(&entry.agency);
        let printed_otherwise = key != entry.agency;
        let hash = self.hasher.hash_one(key.as_bytes());
        let this = self.reports.len() as u32;
        let found = self
            .agencies
            .find(hash, |&first| self.key(first as usize) == key.as_bytes());
        let mut bytes = Vec::with_capacity(64);
        let agency = match found {
            Some(&first) => first,
            None => {
                // The first report of its agency: its bytes begin with the key.
                put(&mut bytes, key.len() as u128);
                bytes.extend_from_slice(key.as_bytes());
                this
            }
        };
        encode(entry, &mut bytes);
        let fits = self
            .blocks
            .last()
            .is_some_and(|b| b.len() + bytes.len() <= b.capacity() && b.len() < BLOCK);
        if !fits {
            self.blocks.push(Vec::with_capacity(BLOCK.max(bytes.len())));
        }
        let block = self.blocks.len().saturating_sub(1);
        let Some(last) = self.blocks.last_mut() else {
            return;
        };
        let start = last.len();
        last.extend_from_slice(&bytes);
        if printed_otherwise {
            self.printed
                .push((self.reports.len(), entry.agency.as_str().into()));
        }
        if agency == this {
            let (reports, blocks, hasher) = (&self.reports, &self.blocks, &self.hasher);
            self.agencies.insert_unique(hash, this, |&first| {
                hasher.hash_one(key_in(reports, blocks, first as usize))
            });
        }
        self.reports.push(Packed {
            report,
            agency,
            year: entry.year,
            edition: entry.edition,
            // A block holds BLOCK bytes (a single report's more, should one be larger), and
            // there are never four billion blocks.
            block: u32::try_from(block).unwrap_or(u32::MAX),
            // A report starts within a block's first BLOCK bytes: a larger one has a block
            // of its own, starting at 0.
            start: u16::try_from(start).unwrap_or(u16::MAX),
        });
    }

    /// The key of the `k`th report's agency ([`agency_key`]), as bytes (they compare as the
    /// text does).
    fn key(&self, k: usize) -> &[u8] {
        let first = self.reports.get(k).map_or(0, |p| p.agency as usize);
        key_in(&self.reports, &self.blocks, first)
    }

    /// The tables of the `k`th report added, holding only its kept cells ([`Entry::tables`]).
    fn tables(&self, k: usize) -> Tables {
        let Some(p) = self.reports.get(k) else {
            return Tables::new(Edition::E2021);
        };
        let mut bytes = record(&self.reports, &self.blocks, k);
        if p.agency as usize == k {
            let len = take(&mut bytes).and_then(|n| usize::try_from(n).ok());
            bytes = bytes.get(len.unwrap_or(0)..).unwrap_or_default();
        }
        decode(p.year, p.edition, bytes).tables()
    }

    /// Run the corpus checks ([`check`]) over the reports added; `name` gives the name of a
    /// report by its number, for the messages and to order one agency's reports of one year.
    pub fn check(&self, name: &dyn Fn(usize) -> String) -> Vec<(String, Diagnostic)> {
        let mut out = Vec::new();
        self.for_each_warning(name, &mut |_, report, d| out.push((report, d)));
        out
    }

    /// [`Corpus::check`], each warning handed to `warning` as it is found (with the number
    /// and name of the report it is about) instead of gathered: a large corpus can have
    /// thousands.
    pub fn for_each_warning(
        &self,
        name: &dyn Fn(usize) -> String,
        warning: &mut dyn FnMut(usize, String, Diagnostic),
    ) {
        let number = |k: usize| self.reports.get(k).map_or(0, |p| p.report as usize);
        // Agencies are compared by key: several printed forms can be one agency.
        let key = |k: usize| self.key(k);
        let year = |k: usize| self.reports.get(k).map_or(0, |p| p.year);
        // Agency by agency (in the keys' order), year by year; one agency's reports of one
        // year by name. Reports equal in all three keep the order added: the position breaks
        // ties, so the sort needs no room of its own (positions in 32 bits, as `push` allows).
        let mut order: Vec<u32> = (0..self.reports.len() as u32).collect();
        let (key, year) = (|k: u32| key(k as usize), |k: u32| year(k as usize));
        order.sort_unstable_by(|&a, &b| {
            key(a)
                .cmp(key(b))
                .then(year(a).cmp(&year(b)))
                .then(a.cmp(&b))
        });
        let mut start = 0;
        while start < order.len() {
            let same = |&k: &u32| key(k) == key(order[start]) && year(k) == year(order[start]);
            let run = order[start..].iter().take_while(|k| same(k)).count();
            if run > 1 {
                let slice = &mut order[start..start + run];
                let mut named: Vec<(String, u32)> = slice
                    .iter()
                    .map(|&k| (self.name(k as usize, name), k))
                    .collect();
                named.sort_by(|a, b| a.0.cmp(&b.0));
                for (slot, (_, k)) in slice.iter_mut().zip(named) {
                    *slot = k;
                }
            }
            start += run;
        }
        for pair in order.windows(2) {
            if key(pair[0]) != key(pair[1]) {
                continue;
            }
            let (prev_year, cur_year) = (year(pair[0]), year(pair[1]));
            let (prev, cur) = (pair[0] as usize, pair[1] as usize);
            if prev_year == cur_year {
                // As printed in the later report.
                let agency = match self.printed.binary_search_by_key(&cur, |(k, _)| *k) {
                    Ok(i) => &self.printed[i].1,
                    // The key was a string's bytes.
                    Err(_) => std::str::from_utf8(key(pair[1])).unwrap_or_default(),
                };
                let cur_name = self.name(cur, name);
                warning(
                    number(cur),
                    cur_name.clone(),
                    Diagnostic::new(
                        DUPLICATE,
                        Severity::Warning,
                        Message::new("corpus.duplicate")
                            .arg("first", self.name(prev, name))
                            .arg("second", cur_name)
                            .arg("agency", agency)
                            .arg("year", i64::from(cur_year)),
                    ),
                );
                continue;
            }
            if cur_year != prev_year + 1 {
                continue;
            }
            let mut names = None;
            for r in self.tables(cur).check_continuity(&self.tables(prev)) {
                if r.outcome != Outcome::Fail {
                    continue;
                }
                if let Some(mut d) = r.to_diagnostic() {
                    let (cur_name, prev_name) =
                        names.get_or_insert_with(|| (self.name(cur, name), self.name(prev, name)));
                    let what = d
                        .text
                        .take()
                        .map_or_else(|| Arg::from(d.message.clone()), Arg::from);
                    let text = Message::new("corpus.against")
                        .arg("report", cur_name.as_str())
                        .arg("year", i64::from(cur_year))
                        .arg("previous", prev_name.as_str())
                        .arg("previous_year", i64::from(prev_year))
                        .arg("what", what);
                    d.message = text.to_string();
                    d.text = Some(text);
                    d.path = Some(prev_name.clone());
                    warning(number(cur), cur_name.clone(), d);
                }
            }
        }
    }

    /// The name of the `k`th report added.
    fn name(&self, k: usize, name: &dyn Fn(usize) -> String) -> String {
        self.reports
            .get(k)
            .map_or_else(String::new, |p| name(p.report as usize))
    }
}

/// How [`Corpus`] keeps an entry's cells and locations, appended to `bytes` as varints
/// ([`put`]; after the agency's key, for the first report of its agency): the code of each
/// kept cell ([`Kept::code`]), as many as the edition keeps; whether the locations have pages;
/// which kept cells have a location, a bit each, 64 bits to a varint; then of each location, in
/// the order of its cell, the line and the column as differences from the location before
/// (zigzagged: a row's cells are printed on one line or on lines close together), the page
/// (when there are pages) and the length (each plus one, zero for none). A cell with several
/// locations keeps its first, the one [`Entry::tables`] reads.
fn encode(entry: &Entry, bytes: &mut Vec<u8>) {
    let n = carried(entry.edition).len();
    for k in 0..n {
        put(bytes, entry.cells.get(k).map_or(0, |c| c.code()));
    }
    let located = |k: usize| {
        entry
            .locations
            .iter()
            .find(|(at, _)| usize::from(*at) == k)
            .map(|(_, l)| l)
    };
    let paged = entry.locations.iter().any(|(_, l)| l.page.is_some());
    put(bytes, u128::from(paged));
    for chunk in 0..n.div_ceil(64) {
        let mask = (0..64)
            .filter(|bit| chunk * 64 + bit < n && located(chunk * 64 + bit).is_some())
            .fold(0u64, |m, bit| m | 1 << bit);
        put(bytes, u128::from(mask));
    }
    let (mut line, mut column) = (0i64, 0i64);
    for l in (0..n).filter_map(located) {
        let zigzag = |n: i64| u128::from(((n << 1) ^ (n >> 63)) as u64);
        put(bytes, zigzag(i64::from(l.line) - line));
        put(bytes, zigzag(i64::from(l.column) - column));
        (line, column) = (i64::from(l.line), i64::from(l.column));
        if paged {
            put(bytes, l.page.map_or(0, |p| u128::from(p) + 1));
        }
        put(bytes, l.length.map_or(0, |n| u128::from(n) + 1));
    }
}

/// The bytes of report `k` of `reports` in `blocks`, from where they start.
fn record<'a>(reports: &[Packed], blocks: &'a [Vec<u8>], k: usize) -> &'a [u8] {
    reports
        .get(k)
        .and_then(|p| blocks.get(p.block as usize)?.get(usize::from(p.start)..))
        .unwrap_or_default()
}

/// The agency key that the bytes of report `first`, the first of its agency, begin with.
fn key_in<'a>(reports: &[Packed], blocks: &'a [Vec<u8>], first: usize) -> &'a [u8] {
    let mut bytes = record(reports, blocks, first);
    let len = take(&mut bytes).and_then(|n| usize::try_from(n).ok());
    bytes.get(..len.unwrap_or(0)).unwrap_or_default()
}

/// The entry of `year` and `edition` whose kept cells and locations [`encode`] wrote at the
/// front of `bytes` (its name and agency left empty).
fn decode(year: i32, edition: Edition, mut bytes: &[u8]) -> Entry {
    let n = carried(edition).len();
    let cells = (0..n)
        .map(|_| take(&mut bytes).map_or(Kept::Unknown, Kept::from_code))
        .collect();
    let paged = take(&mut bytes) == Some(1);
    let mut located = Vec::new();
    for chunk in 0..n.div_ceil(64) {
        let mask = take(&mut bytes).unwrap_or(0);
        located.extend(
            (0..64)
                .filter(|bit| mask >> bit & 1 == 1)
                .map(|bit| chunk * 64 + bit),
        );
    }
    let mut locations = Vec::with_capacity(located.len());
    let (mut line, mut column) = (0i64, 0i64);
    let unzigzag = |z: u128| {
        let z = u64::try_from(z).unwrap_or(u64::MAX);
        (z >> 1) as i64 ^ -((z & 1) as i64)
    };
    for at in located {
        let (Some(step), Some(shift)) = (take(&mut bytes), take(&mut bytes)) else {
            break;
        };
        line = line.wrapping_add(unzigzag(step));
        column = column.wrapping_add(unzigzag(shift));
        let page = if paged { take(&mut bytes) } else { Some(0) };
        let (Some(page), Some(length)) = (page, take(&mut bytes)) else {
            break;
        };
        let plus_one = |n: u128| n.checked_sub(1).and_then(|n| u32::try_from(n).ok());
        let (Ok(at), Ok(l), Ok(c)) = (
            u16::try_from(at),
            u32::try_from(line),
            u32::try_from(column),
        ) else {
            break;
        };
        let mut l = Location::new(l, c);
        l.page = plus_one(page);
        l.length = plus_one(length);
        locations.push((at, l));
    }
    Entry {
        name: String::new(),
        agency: String::new(),
        year,
        edition,
        cells,
        locations: locations.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_testkit::synth;

    #[test]
    fn kept_cells_and_varints_round_trip() {
        let kept = [
            Kept::Unknown,
            Kept::Blank,
            Kept::NotApplicable,
            Kept::NotACount,
            Kept::Number(0),
            Kept::Number(1),
            Kept::Number(-1),
            Kept::Number(63),
            Kept::Number(-64),
            Kept::Number(i64::MAX),
            Kept::Number(i64::MIN),
        ];
        let mut bytes = Vec::new();
        for k in kept {
            put(&mut bytes, k.code());
        }
        put(&mut bytes, u128::MAX);
        let mut rest = bytes.as_slice();
        for k in kept {
            assert_eq!(take(&mut rest).map(Kept::from_code), Some(k));
        }
        assert_eq!(take(&mut rest), Some(u128::MAX));
        assert_eq!(take(&mut rest), None);
        // Small counts of either sign take a byte.
        assert_eq!(kept.iter().take(9).map(|k| k.code()).max(), Some(4 + 127));
    }

    /// The check as it was before entries were packed: the reference the packed one must give
    /// word for word.
    fn reference(entries: &[Entry]) -> Vec<(String, Diagnostic)> {
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

    #[test]
    fn packed_entries_give_the_unpacked_checks_word_for_word() {
        let mut rng = synth::Rng::new(7);
        let reports = synth::corpus(&mut rng, 120);
        let mut entries = Vec::new();
        let mut line = 0;
        for (i, r) in reports.iter().enumerate() {
            let mut tables = r.tables.clone();
            // Places as a parsed document has them, some on a PDF's pages (every other report
            // has none), some lines going back (kept as differences).
            tables.for_each_cell_mut(&mut |_, c| {
                line += 1;
                let printed_on = if line % 4 == 0 { 1 + line / 9 } else { line };
                let mut at = Location::new(printed_on, 3 + line % 40);
                at.page = (i % 2 == 1 && line % 3 == 0).then_some(line / 50);
                at.length = (line % 2 == 0).then_some(line % 7);
                c.source = Some(Box::new(CellSource {
                    raw: String::new(),
                    location: Some(at),
                }));
            });
            // Names out of order, agencies printed two ways, a report twice.
            let agency = r.meta.agency.clone().unwrap_or_default();
            let agency = if i % 3 == 0 {
                agency.chars().flat_map(|c| [c, ' ']).collect()
            } else {
                agency
            };
            let year = r.meta.year.unwrap_or_default();
            entries.push(Entry::new(
                format!("r{}.txt", 997 * i % 120),
                &agency,
                year,
                &tables,
            ));
            if i % 17 == 0 {
                entries.push(Entry::new(format!("copy{i}.txt"), &agency, year, &tables));
            }
        }
        for (seed, year) in [(11, 2019), (12, 2020), (13, 2023)] {
            let (earlier, later, _) = synth::broken_pair(seed, year);
            for (name, r) in [("b-later", &later), ("a-earlier", &earlier)] {
                let agency = r.meta.agency.clone().unwrap_or_default();
                entries.push(Entry::new(
                    format!("{name}-{year}"),
                    agency,
                    r.meta.year.unwrap_or_default(),
                    &r.tables,
                ));
            }
        }
        // One agency's two reports of one year under one name: the one added last is the one
        // the next year is compared with (here only the other would fail the carry-over).
        let mut rng = synth::Rng::new(29);
        let agency = synth::agency_name(900);
        let first = synth::report(&mut rng, Edition::E2021, &agency, 2022);
        let other = synth::report(&mut rng, Edition::E2021, &agency, 2022);
        let next = synth::next_year(&mut rng, &first);
        entries.push(Entry::new("twin.txt", &agency, 2022, &other.tables));
        entries.push(Entry::new("twin.txt", &agency, 2022, &first.tables));
        entries.push(Entry::new("twin-next.txt", &agency, 2023, &next.tables));
        // An agency whose name alone is larger than a block, in two years.
        let long = "局".repeat(30_000);
        entries.push(Entry::new("long-a.txt", &long, 2022, &other.tables));
        entries.push(Entry::new("long-b.txt", &long, 2023, &next.tables));
        let expected = reference(&entries);
        assert!(
            expected.iter().any(|(n, _)| n == "long-b.txt")
                && !expected.iter().any(|(n, _)| n == "twin-next.txt"),
            "{expected:#?}"
        );
        assert!(
            expected.iter().any(|(_, d)| d.code == DUPLICATE)
                && expected.iter().any(|(_, d)| d.code != DUPLICATE),
            "{expected:#?}"
        );
        assert_eq!(format!("{:?}", check(&entries)), format!("{expected:?}"));
        // The packed tables are the entries' own, places included, over several blocks.
        let mut corpus = Corpus::default();
        let rounds = 30;
        for k in 0..rounds * entries.len() {
            corpus.push(k, &entries[k % entries.len()]);
        }
        assert_eq!(corpus.len(), rounds * entries.len());
        assert!(corpus.blocks.len() > 1, "{} blocks", corpus.blocks.len());
        for k in 0..corpus.len() {
            assert_eq!(
                corpus.tables(k),
                entries[k % entries.len()].tables(),
                "entry {k}"
            );
        }
    }
}
