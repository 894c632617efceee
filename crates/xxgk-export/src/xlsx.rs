//! Excel workbooks: one report drawn as the national form (a sheet per table, merged headers,
//! failed checks filled and annotated), or a corpus as a summary and a wide table.
//!
//! Values keep their meaning: counts are numbers; an amount is written as **text with the exact
//! digits** (`1710.15`, `96171.6`, `35.80` stay as printed), because an Excel number is a binary
//! float — 1710.15 would be stored as 1710.1500000000001 and a reader of the file (pandas,
//! calamine) would get that back, and trailing zeros would be lost. Excel's "number stored as
//! text" marker is suppressed on those cells; `VALUE()` turns them into numbers when wanted.
//! A blank cell is an empty cell, not-applicable is the text `n/a`, and an unknown cell (absent,
//! or not determinable from the source) is `?` on a grey fill (as the wide CSV writes it).
//!
//!
//! What the workbook says to people (the summary sheet's labels, the legend, the diagnostics'
//! messages, the cells' notes) is in the language the caller passes; the form's sheets are the
//! national template's, in Chinese, and the wide sheet's headers are cell ids, as in the CSV.
//!
//! ```
//! use xxgk_model::message::Lang;
//! let report = xxgk_model::Report::from_json(r#"{ "meta": { "edition": "2021", "year": 2024 },
//!   "tables": { "review_litigation": { "administrative_review": { "upheld": 1, "total": 1 } } } }"#).unwrap();
//! let item = xxgk_export::Item::new("r2024", report, Vec::new());
//! let bytes = xxgk_export::xlsx::report_workbook(&item, Lang::En).unwrap();
//! assert_eq!(&bytes[..2], b"PK");
//! ```

use crate::layout::{Content, Grid, layout, table_present};
use crate::{ExportError, Item, Medium, say, severity_word, value_text};
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, IgnoreError, Note, Url, Workbook, Worksheet,
    XlsxError,
};
use std::collections::{HashMap, HashSet};
use xxgk_model::Edition;
use xxgk_model::cell::{CellId, Value};
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Lang, Message, Naming};
use xxgk_model::template::Table;

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Format(format!("Excel: {e}"))
    }
}

/// Name of the summary sheet of both workbooks.
pub const SUMMARY_SHEET: &str = "摘要";
/// Name of the wide-table sheet of a corpus workbook.
pub const WIDE_SHEET: &str = "宽表";

/// Rows above each table's grid on its sheet (the title row).
const TITLE_ROWS: u32 = 1;
/// Largest integer an Excel number holds exactly (2^53); larger counts are written as text.
const EXACT_IN_F64: u64 = 1 << 53;

const RED: u32 = 0xFFC7CE;
/// A stronger red for the cell an error's suggestion proposes to correct.
const SUSPECT: u32 = 0xFF8F8F;
const YELLOW: u32 = 0xFFEB9C;
const GREY: u32 = 0xD9D9D9;

/// The formats of a workbook.
struct Formats {
    title: Format,
    header: Format,
    label: Format,
    number: Format,
    text_value: Format,
    centred: Format,
    bold: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let boxed = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            label: boxed.clone().set_align(FormatAlign::Left).set_text_wrap(),
            number: boxed.clone().set_align(FormatAlign::Right),
            text_value: boxed.clone().set_align(FormatAlign::Right),
            centred: boxed.set_align(FormatAlign::Center),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// How the value cell `id` is marked: by the worst failed check naming it (stronger red when
/// an error suggests correcting this very cell), else grey when unknown.
fn fill_of(id: CellId, flags: Option<&Vec<&Diagnostic>>, unknown: bool) -> Option<u32> {
    let suspect = flags.is_some_and(|ds| {
        ds.iter().any(|d| {
            d.severity == Severity::Error && d.suggestion.as_ref().is_some_and(|s| s.cell == id)
        })
    });
    match flags.and_then(|ds| ds.iter().map(|d| d.severity).max()) {
        Some(Severity::Error) if suspect => Some(SUSPECT),
        Some(Severity::Error) => Some(RED),
        Some(_) => Some(YELLOW),
        None if unknown => Some(GREY),
        None => None,
    }
}

fn with_fill(format: &Format, fill: Option<u32>) -> Format {
    match fill {
        Some(rgb) => format.clone().set_background_color(Color::RGB(rgb)),
        None => format.clone(),
    }
}

/// The text of the note on a flagged cell: each diagnostic's code and severity, its message,
/// the form's wording, the rule, the cells read as zero, the notes and the suggested correction,
/// in `lang`, cells named as `naming` says.
pub fn note_text(diagnostics: &[&Diagnostic], lang: Lang, naming: Naming) -> String {
    let mut seen = HashSet::new();
    let mut out = String::new();
    // A check failing on several instances names the cell once per instance: keep each once.
    for d in diagnostics
        .iter()
        .filter(|d| seen.insert((&d.code, &d.message)))
    {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&format!(
            "{} [{}]\n{}",
            d.code,
            severity_word(d.severity, lang),
            d.render(lang, naming)
        ));
        for line in crate::details(d, lang, naming) {
            out.push('\n');
            out.push_str(&line);
        }
        if let Some(s) = &d.suggestion {
            let fix = crate::suggestion_text(s, lang, naming);
            out.push('\n');
            out.push_str(
                &Message::new("ui.export.suggestion")
                    .arg("fix", fix)
                    .render(lang, naming),
            );
        }
    }
    out
}

fn note(text: &str) -> Note {
    let lines: u32 = text
        .lines()
        .map(|l| 1 + l.chars().count() as u32 / 28)
        .sum();
    Note::new(text)
        .set_author("xxgk")
        .add_author_prefix(false)
        .set_width(300)
        .set_height((20 + 15 * lines).min(600))
}

/// A sheet name Excel accepts: no `[]:*?/\`, no apostrophe at either end, 1–31 characters,
/// unique (case-insensitively) among `taken`.
fn sheet_name(wanted: &str, fallback: &str, taken: &mut HashSet<String>) -> String {
    let clean = |s: &str| -> String {
        let s: String = s.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
        s.trim()
            .trim_matches('\'')
            .trim()
            .chars()
            .take(31)
            .collect()
    };
    let mut base = clean(wanted);
    if base.is_empty() || base.eq_ignore_ascii_case("history") {
        base = clean(fallback);
    }
    if base.is_empty() {
        base = "sheet".to_owned();
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" {n}");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// The short name of a table's sheet: the section's ordinal and its key words, with a prefix
/// the key words share dropped (`二 主动公开`, `三 申请`, `四 复议诉讼`).
pub fn table_sheet_name(table: &Table) -> String {
    let words = table.section.keywords;
    let shared = if words.len() > 1 {
        let first: Vec<char> = words[0].chars().collect();
        let mut n = first.len();
        for w in &words[1..] {
            n = n.min(w.chars().zip(&first).take_while(|(a, b)| a == *b).count());
        }
        // Keep at least one character of every word.
        n.min(
            words
                .iter()
                .map(|w| w.chars().count())
                .min()
                .unwrap_or(0)
                .saturating_sub(1),
        )
    } else {
        0
    };
    let short: String = words
        .iter()
        .map(|w| w.chars().skip(shared).collect::<String>())
        .collect();
    let short = if short.is_empty() {
        // No key words: the heading without its numbering.
        table
            .label
            .title
            .split_once('、')
            .map_or(table.label.title, |(_, rest)| rest)
            .to_owned()
    } else {
        short
    };
    format!("{} {}", table.section.ordinal, short)
}

/// Approximate display width of `s` in Excel column units: its width in terminal columns
/// (East Asian wide and full-width characters count two).
fn width_of(s: &str) -> f64 {
    unicode_width::UnicodeWidthStr::width(s) as f64
}

fn column_letter(mut col: u16) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Write a value: counts as numbers, amounts as exact text, blank empty, `n/a`, unknown `?`.
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    base: &Formats,
    fill: Option<u32>,
) -> Result<(), ExportError> {
    write_written(ws, row, col, &Written::of(value), base, fill)
}

/// How a value is written: what [`write_value`] needs of it, kept apart so the corpus workbook
/// can spool it ([`CorpusWorkbook`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
enum Written {
    /// A count an Excel number holds exactly.
    Number(f64),
    /// An amount, or a count too large for a number: its exact digits as text.
    Digits(String),
    Blank,
    /// Not applicable or unknown: `n/a`, `?`.
    Mark(String),
}

impl Written {
    fn of(value: &Value) -> Written {
        match value {
            Value::Count(n) if *n <= EXACT_IN_F64 => Written::Number(*n as f64),
            Value::SignedCount(n) if n.unsigned_abs() <= EXACT_IN_F64 => Written::Number(*n as f64),
            Value::Count(_) | Value::SignedCount(_) | Value::Amount(_) => {
                Written::Digits(value_text(value, Medium::Data))
            }
            Value::Blank => Written::Blank,
            Value::NotApplicable | Value::Unknown => Written::Mark(value_text(value, Medium::Data)),
        }
    }
}

fn write_written(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Written,
    base: &Formats,
    fill: Option<u32>,
) -> Result<(), ExportError> {
    match value {
        Written::Number(n) => {
            ws.write_number_with_format(row, col, *n, &with_fill(&base.number, fill))?;
        }
        Written::Digits(text) => {
            ws.write_string_with_format(row, col, text, &with_fill(&base.text_value, fill))?;
            ws.ignore_error(row, col, IgnoreError::NumberStoredAsText)?;
        }
        Written::Blank => {
            ws.write_blank(row, col, &with_fill(&base.number, fill))?;
        }
        Written::Mark(text) => {
            ws.write_string_with_format(row, col, text, &with_fill(&base.centred, fill))?;
        }
    }
    Ok(())
}

/// Where each value cell of a report was written: sheet name, row, column.
type Positions = HashMap<CellId, (String, u32, u16)>;

/// One table's sheet: title row, the form's grid, extra rows printed by the report.
fn table_sheet(
    item: &Item,
    grid: &Grid,
    name: &str,
    f: &Formats,
    lang: Lang,
    flagged: &HashMap<CellId, Vec<&Diagnostic>>,
    positions: &mut Positions,
) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    let table = grid.table;
    let last_col = grid.cols.saturating_sub(1) as u16;
    if last_col > 0 {
        ws.merge_range(0, 0, 0, last_col, table.label.title, &f.title)?;
    } else {
        ws.write_string_with_format(0, 0, table.label.title, &f.title)?;
    }
    ws.set_row_height(0, 22)?;
    let mut widths = vec![8.0_f64; grid.cols.max(1)];
    for placed in &grid.cells {
        let (r, c) = (placed.row as u32 + TITLE_ROWS, placed.col as u16);
        let (r2, c2) = (
            r + placed.rowspan.max(1) as u32 - 1,
            c + placed.colspan.max(1) as u16 - 1,
        );
        let (text, format) = match &placed.content {
            Content::Header(t) => (t.as_str(), &f.header),
            Content::Label(t) => (t.as_str(), &f.label),
            Content::Empty => ("", &f.label),
            Content::Value(id) => {
                let key = *id;
                let value = item
                    .report
                    .tables
                    .cell(id.table, id.row, id.column)
                    .map_or(Value::Unknown, |cell| cell.value);
                let flags = flagged.get(&key);
                write_value(
                    &mut ws,
                    r,
                    c,
                    &value,
                    f,
                    fill_of(key, flags, value == Value::Unknown),
                )?;
                if let Some(ds) = flags {
                    ws.insert_note(r, c, &note(&note_text(ds, lang, item.naming())))?;
                } else if let Value::Amount(a) = value {
                    // Say the unit when it is not the column's.
                    let column_unit = crate::column(&item.report, *id).and_then(|col| col.unit);
                    if column_unit != Some(a.unit.as_str()) {
                        ws.insert_note(r, c, &note(&format!("{} {}", a.value, a.unit.as_str())))?;
                    }
                }
                positions.insert(key, (name.to_owned(), r, c));
                continue;
            }
        };
        if (r, c) != (r2, c2) {
            ws.merge_range(r, c, r2, c2, text, format)?;
        } else if text.is_empty() {
            ws.write_blank(r, c, format)?;
        } else {
            ws.write_string_with_format(r, c, text, format)?;
        }
        if placed.colspan <= 1 && !text.is_empty() {
            // A group label down several rows wraps in a narrow column.
            let cap = if placed.rowspan > 1 && matches!(placed.content, Content::Label(_)) {
                12.0
            } else {
                40.0
            };
            if let Some(w) = widths.get_mut(placed.col) {
                *w = w.max((width_of(text) + 2.0).min(cap));
            }
        }
    }
    for (k, w) in widths.iter().enumerate() {
        ws.set_column_width(k as u16, *w)?;
    }
    // Rows the report prints that the form lacks, kept as printed.
    let extra: Vec<_> = item
        .report
        .extra_rows
        .iter()
        .filter(|e| e.table == table.id)
        .collect();
    if !extra.is_empty() {
        let mut r = grid.rows as u32 + TITLE_ROWS + 1;
        ws.write_string_with_format(r, 0, say(lang, "ui.xlsx.extra_rows"), &f.bold)?;
        for e in extra {
            r += 1;
            ws.write_string_with_format(r, 0, &e.label, &f.label)?;
            for (k, v) in e.values.iter().enumerate() {
                ws.write_string_with_format(r, 1 + k as u16, v, &f.text_value)?;
            }
        }
    }
    Ok(ws)
}

fn count(item: &Item, severity: Severity) -> usize {
    item.diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

fn write_opt_str(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: Option<&str>,
) -> Result<(), ExportError> {
    if let Some(s) = s {
        ws.write_string(row, col, s)?;
    }
    Ok(())
}

/// The columns of the summary sheet's list of diagnostics, in order.
const DIAGNOSTIC_COLUMNS: [(&str, f64); 11] = [
    ("ui.xlsx.severity", 12.0),
    ("ui.xlsx.code", 30.0),
    ("ui.xlsx.message", 60.0),
    ("ui.xlsx.cells", 40.0),
    ("ui.xlsx.cell_labels", 40.0),
    ("ui.xlsx.suggestion", 40.0),
    ("ui.xlsx.location", 24.0),
    ("ui.xlsx.stated", 40.0),
    ("ui.xlsx.rule", 40.0),
    ("ui.xlsx.read_as_zero", 30.0),
    ("ui.xlsx.notes", 60.0),
];

/// The summary sheet of one report: metadata, counts, a legend of the fills, and one row per
/// diagnostic (linked to its first cell when that cell is on a sheet), its text in `lang`:
/// severity, code, message (cells by the form's labels), cells (ids), their full labels, the
/// suggested correction, where, the form's wording, the rule, the cells read as zero, the notes.
fn summary_sheet(
    item: &Item,
    f: &Formats,
    lang: Lang,
    positions: &Positions,
) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name(SUMMARY_SHEET)?;
    let meta = &item.report.meta;
    let template = item.report.edition().template();
    let naming = item.naming();
    ws.write_string_with_format(0, 0, meta.title.as_deref().unwrap_or(&item.name), &f.title)?;
    let mut r = 2;
    let source = item.report.source.as_ref().map(|s| {
        let mut out = s.path.clone().unwrap_or_default();
        let extra: Vec<String> = [
            s.format.map(|f| format!("{f:?}").to_lowercase()),
            s.encoding.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !extra.is_empty() {
            out.push_str(&format!(" ({})", extra.join(", ")));
        }
        out
    });
    let rows: [(&str, Option<String>); 6] = [
        ("ui.export.report", Some(item.name.clone())),
        ("ui.export.agency", meta.agency.clone()),
        (
            "ui.export.edition",
            Some(item.report.edition().id().to_owned()),
        ),
        ("ui.export.title", meta.title.clone()),
        ("ui.export.published", meta.published.map(|d| d.to_string())),
        ("ui.export.source", source),
    ];
    for (k, (key, value)) in rows.into_iter().enumerate() {
        if k == 2 {
            // The year, as a number, after the agency.
            ws.write_string_with_format(r, 0, say(lang, "ui.export.year"), &f.bold)?;
            if let Some(y) = meta.year {
                ws.write_number(r, 1, y)?;
            }
            r += 1;
        }
        ws.write_string_with_format(r, 0, say(lang, key), &f.bold)?;
        write_opt_str(&mut ws, r, 1, value.as_deref())?;
        r += 1;
    }
    if let Some(fee) = &item.report.processing_fee {
        ws.write_string_with_format(r, 0, say(lang, "ui.export.processing_fee"), &f.bold)?;
        ws.write_string(r, 1, crate::processing_fee_text(fee, lang))?;
        r += 1;
    }
    for (key, severity) in [
        ("ui.export.errors", Severity::Error),
        ("ui.export.warnings", Severity::Warning),
        ("ui.export.infos", Severity::Info),
    ] {
        ws.write_string_with_format(r, 0, say(lang, key), &f.bold)?;
        ws.write_number(r, 1, count(item, severity) as f64)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, say(lang, "ui.xlsx.legend"), &f.bold)?;
    for (rgb, text, key) in [
        (RED, "", "ui.xlsx.legend.error"),
        (SUSPECT, "", "ui.xlsx.legend.suspect"),
        (YELLOW, "", "ui.xlsx.legend.warning"),
        (GREY, "?", "ui.xlsx.legend.unknown"),
    ] {
        r += 1;
        ws.write_string_with_format(
            r,
            0,
            text,
            &f.centred.clone().set_background_color(Color::RGB(rgb)),
        )?;
        ws.write_string(r, 1, say(lang, key))?;
    }
    r += 2;
    for (k, (key, width)) in DIAGNOSTIC_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(r, k as u16, say(lang, key), &f.header)?;
        ws.set_column_width(k as u16, *width)?;
    }
    for d in &item.diagnostics {
        r += 1;
        ws.write_string(r, 0, severity_word(d.severity, lang))?;
        ws.write_string(r, 1, &d.code)?;
        ws.write_string_with_format(r, 2, d.render(lang, naming), &f.wrap)?;
        let cells = d
            .cells
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let first = d.cells.first().filter(|c| !c.previous);
        match first.and_then(|c| positions.get(&c.cell)) {
            Some((sheet, row, col)) => {
                let target = format!(
                    "internal:'{}'!{}{}",
                    sheet.replace('\'', "''"),
                    column_letter(*col),
                    row + 1
                );
                ws.write_url_with_text(r, 3, Url::new(target), &cells)?;
            }
            None if !cells.is_empty() => {
                ws.write_string(r, 3, &cells)?;
            }
            None => {}
        }
        let labels: Vec<String> = d
            .cells
            .iter()
            .map(|c| match template.cell_path(c.cell) {
                Some(path) if !c.previous => path,
                _ => crate::cell_name(*c, lang, naming),
            })
            .collect();
        if !labels.is_empty() {
            ws.write_string_with_format(r, 4, labels.join("\n"), &f.wrap)?;
        }
        if let Some(s) = &d.suggestion {
            ws.write_string_with_format(r, 5, crate::suggestion_text(s, lang, naming), &f.wrap)?;
        }
        if let Some(place) = crate::place_text(d, lang) {
            ws.write_string(r, 6, place)?;
        }
        if let Some(check) = &d.check {
            write_opt_str(&mut ws, r, 7, check.stated.as_deref())?;
            ws.write_string(r, 8, &check.rule)?;
            if !check.read_as_zero.is_empty() {
                let names: Vec<String> = check
                    .read_as_zero
                    .iter()
                    .map(|c| crate::cell_name(*c, lang, naming))
                    .collect();
                ws.write_string_with_format(r, 9, names.join("\n"), &f.wrap)?;
            }
        }
        let notes: Vec<String> = crate::notes_of(d).map(|n| n.render(lang, naming)).collect();
        if !notes.is_empty() {
            ws.write_string_with_format(r, 10, notes.join("\n"), &f.wrap)?;
        }
    }
    statements_block(&mut ws, r + 2, item, f, lang)?;
    Ok(ws)
}

/// Below the diagnostics: the narrative's statements, one per row (id, the words quoted,
/// where, the number stated, the table's value, the comparison, the cells), mismatches filled
/// as warnings are.
fn statements_block(
    ws: &mut Worksheet,
    mut r: u32,
    item: &Item,
    f: &Formats,
    lang: Lang,
) -> Result<(), ExportError> {
    let rows = crate::statement_rows(item);
    if rows.is_empty() {
        return Ok(());
    }
    ws.write_string_with_format(r, 0, say(lang, "ui.export.statements"), &f.bold)?;
    r += 1;
    for (k, key) in [
        "ui.export.statement",
        "ui.export.quote",
        "ui.xlsx.location",
        "ui.export.stated_value",
        "ui.export.tabled_value",
        "ui.export.check",
        "ui.xlsx.cells",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, k as u16, say(lang, key), &f.header)?;
    }
    let warn = f.wrap.clone().set_background_color(Color::RGB(YELLOW));
    for row in rows {
        r += 1;
        let st = row.statement;
        let format = if row.check == crate::Agreement::Disagrees {
            &warn
        } else {
            &f.wrap
        };
        ws.write_string_with_format(r, 0, &st.statement, format)?;
        ws.write_string_with_format(r, 1, &st.text, format)?;
        if let Some(l) = st.location {
            ws.write_string(r, 2, crate::location_text(l, lang))?;
        }
        match (st.count, st.amount) {
            (Some(n), _) => {
                ws.write_number(r, 3, n as f64)?;
            }
            (None, Some(a)) => {
                ws.write_string(r, 3, a.to_string())?;
            }
            (None, None) => {}
        }
        if let Ok(n) = row.tabled.parse::<f64>() {
            ws.write_number(r, 4, n)?;
        }
        ws.write_string_with_format(r, 5, row.check.words(lang), format)?;
        let cells: Vec<String> = row.cells.iter().map(ToString::to_string).collect();
        if !cells.is_empty() {
            ws.write_string_with_format(r, 6, cells.join("\n"), &f.wrap)?;
        }
    }
    Ok(())
}

/// One workbook for one report: a summary sheet, then a sheet per table the report has, laid out
/// like the national form (merged header cells, Chinese labels). Cells of failed checks are
/// filled (light red for errors, light yellow for warnings) and carry a note naming each check.
/// What it says to people is in `lang`.
pub fn report_workbook(item: &Item, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let f = Formats::new();
    let flagged = item.flagged();
    let mut taken: HashSet<String> = [SUMMARY_SHEET.to_lowercase()].into_iter().collect();
    let mut positions = Positions::new();
    let mut sheets = Vec::new();
    for table in item.report.edition().template().tables {
        if !table_present(&item.report, table) {
            continue;
        }
        let name = sheet_name(&table_sheet_name(table), table.id, &mut taken);
        sheets.push(table_sheet(
            item,
            &layout(table),
            &name,
            &f,
            lang,
            &flagged,
            &mut positions,
        )?);
    }
    let mut workbook = Workbook::new();
    workbook.push_worksheet(summary_sheet(item, &f, lang, &positions)?);
    for ws in sheets {
        workbook.push_worksheet(ws);
    }
    Ok(workbook.save_to_buffer()?)
}

/// The headers of the corpus summary, as catalogue keys.
const CORPUS_SUMMARY: [&str; 8] = [
    "ui.export.report",
    "ui.export.agency",
    "ui.export.year",
    "ui.export.edition",
    "ui.export.errors",
    "ui.export.warnings",
    "ui.export.title",
    "ui.export.published",
];

/// What the corpus workbook writes of one report: its summary row, and its wide row in its own
/// edition's cells (the schema's order), each as written, with its fill and note. A line of
/// JSON in [`CorpusWorkbook`]'s spool.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CorpusRow {
    name: String,
    agency: Option<String>,
    year: Option<i32>,
    edition: String,
    errors: usize,
    warnings: usize,
    title: Option<String>,
    published: Option<String>,
    /// The wide table's metadata after the first four ([`crate::csv_out::WIDE_META`]).
    meta_after: Vec<String>,
    cells: Vec<WideCell>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct WideCell {
    value: Written,
    fill: Option<u32>,
    note: Option<String>,
}

impl CorpusRow {
    fn of(item: &Item, lang: Lang) -> CorpusRow {
        let report = &item.report;
        let meta = &report.meta;
        let flagged = item.flagged();
        let cells = report
            .edition()
            .template()
            .cell_ids()
            .map(|cid| {
                let value = report
                    .tables
                    .cell(cid.table, cid.row, cid.column)
                    .map_or(Value::Unknown, |cell| cell.value);
                let flags = flagged.get(&cid);
                WideCell {
                    value: Written::of(&value),
                    fill: fill_of(cid, flags, value == Value::Unknown),
                    note: flags.map(|ds| note_text(ds, lang, item.naming())),
                }
            })
            .collect();
        CorpusRow {
            name: item.name.clone(),
            agency: meta.agency.clone(),
            year: meta.year,
            edition: report.edition().id().to_owned(),
            errors: count(item, Severity::Error),
            warnings: count(item, Severity::Warning),
            title: meta.title.clone(),
            published: meta.published.map(|d| d.to_string()),
            meta_after: crate::csv_out::wide_meta(item).split_off(4),
            cells,
        }
    }

    fn edition(&self) -> Option<Edition> {
        Edition::ALL
            .iter()
            .copied()
            .find(|e| e.id() == self.edition)
    }
}

/// The corpus workbook written as reports come, in memory that does not grow with the corpus:
/// each report's rows, as they will be written, go to a temporary file, since
/// the wide sheet's columns depend on the editions of every report; [`CorpusWorkbook::finish`]
/// then writes both sheets row by row in the writer's constant-memory mode (strings inline in
/// the cells, not in a shared table) straight into the output. The cells' notes are the one
/// thing the writer keeps until the end.
pub struct CorpusWorkbook {
    lang: Lang,
    spool: std::io::BufWriter<std::fs::File>,
    items: u32,
    editions: Vec<Edition>,
}

fn spool_error(e: impl std::fmt::Display) -> ExportError {
    ExportError::Format(format!("Excel: spooling rows: {e}"))
}

impl CorpusWorkbook {
    /// An empty corpus workbook, its spool created in the system's temporary folder.
    pub fn new(lang: Lang) -> Result<CorpusWorkbook, ExportError> {
        let spool = tempfile::tempfile().map_err(spool_error)?;
        Ok(CorpusWorkbook {
            lang,
            spool: std::io::BufWriter::new(spool),
            items: 0,
            editions: Vec::new(),
        })
    }

    /// Add a report: a row of each sheet.
    pub fn item(&mut self, item: &Item) -> Result<(), ExportError> {
        use std::io::Write;
        let edition = item.report.edition();
        if !self.editions.contains(&edition) {
            self.editions.push(edition);
        }
        let row = CorpusRow::of(item, self.lang);
        serde_json::to_writer(&mut self.spool, &row).map_err(spool_error)?;
        self.spool.write_all(b"\n").map_err(spool_error)?;
        self.items = self
            .items
            .checked_add(1)
            .ok_or_else(|| ExportError::Format("Excel: too many reports for a sheet".into()))?;
        Ok(())
    }

    /// Write the workbook to `out`: the summary (one row per report: name, agency, year,
    /// edition, errors, warnings, title, published) and the wide table (the wide CSV's
    /// columns: [`crate::csv_out::WIDE_META`], then one column per cell id of the editions
    /// present, each with a note giving its form labels; unknown cells `?` on grey, cells of
    /// another edition empty, cells of failed checks filled and annotated as in the form
    /// sheets).
    pub fn finish<W: std::io::Write + Send>(self, out: W) -> Result<(), ExportError> {
        use std::io::{BufRead, Seek};
        let lang = self.lang;
        let mut spool = self
            .spool
            .into_inner()
            .map_err(|e| spool_error(e.into_error()))?;
        spool
            .seek(std::io::SeekFrom::Start(0))
            .map_err(spool_error)?;
        let f = Formats::new();
        let mut workbook = Workbook::new();

        let mut summary = workbook.new_worksheet_with_constant_memory()?;
        summary.set_name(SUMMARY_SHEET)?;
        for (k, key) in CORPUS_SUMMARY.iter().enumerate() {
            summary.write_string_with_format(0, k as u16, say(lang, key), &f.header)?;
        }
        for (k, w) in [30.0, 30.0, 8.0, 8.0, 8.0, 9.0, 50.0, 12.0]
            .into_iter()
            .enumerate()
        {
            summary.set_column_width(k as u16, w)?;
        }
        summary.set_freeze_panes(1, 1)?;
        if self.items > 0 {
            summary.autofilter(0, 0, self.items, CORPUS_SUMMARY.len() as u16 - 1)?;
        }

        let mut wide = workbook.new_worksheet_with_constant_memory()?;
        wide.set_name(WIDE_SHEET)?;
        let keys = crate::csv_out::WIDE_META;
        let columns = crate::csv_out::wide_columns_of(|e| self.editions.contains(&e));
        if keys.len() + columns.len() > usize::from(u16::MAX) {
            return Err(ExportError::Format(format!(
                "{} columns do not fit a sheet",
                keys.len() + columns.len()
            )));
        }
        let first = keys.len() as u16;
        // Values without the form's borders.
        let plain = Formats {
            number: Format::new(),
            text_value: Format::new(),
            centred: Format::new().set_align(FormatAlign::Center),
            ..Formats::new()
        };
        for (k, h) in keys.iter().enumerate() {
            wide.write_string_with_format(0, k as u16, *h, &f.bold)?;
        }
        for (k, id) in columns.iter().enumerate() {
            let c = first + k as u16;
            wide.write_string_with_format(0, c, id, &f.bold)?;
            // The label from the newest edition that has the cell.
            let label = Edition::ALL.iter().rev().find_map(|e| {
                e.template()
                    .cell_id(id)
                    .and_then(|cid| e.template().cell_path(cid))
            });
            if let Some(label) = label {
                wide.insert_note(0, c, &note(&label))?;
            }
        }
        wide.set_column_width(0, 30)?;
        wide.set_column_width(1, 24)?;
        wide.set_freeze_panes(1, 1)?;
        // Per edition, where each column's cell is in its rows (None: not of the edition).
        let places = crate::csv_out::column_places(&columns);

        let mut line = String::new();
        let mut reader = std::io::BufReader::new(spool);
        for r in 1..=self.items {
            line.clear();
            reader.read_line(&mut line).map_err(spool_error)?;
            let row: CorpusRow = serde_json::from_str(&line).map_err(spool_error)?;
            write_summary_row(&mut summary, r, &row)?;
            write_opt_str(&mut wide, r, 0, Some(&row.name))?;
            write_opt_str(&mut wide, r, 1, row.agency.as_deref())?;
            if let Some(y) = row.year {
                wide.write_number(r, 2, y)?;
            }
            wide.write_string(r, 3, &row.edition)?;
            // Metadata the CSV added after the first four, as it writes them.
            for (k, text) in row.meta_after.iter().enumerate() {
                if !text.is_empty() {
                    wide.write_string(r, (4 + k) as u16, text)?;
                }
            }
            let index = row
                .edition()
                .and_then(|e| Edition::ALL.iter().position(|x| *x == e));
            let place = index.and_then(|i| places.get(i));
            for (k, at) in place.into_iter().flatten().enumerate() {
                // A cell of another edition stays empty and unmarked.
                let Some(cell) = at.and_then(|at| row.cells.get(at)) else {
                    continue;
                };
                let c = first + k as u16;
                write_written(&mut wide, r, c, &cell.value, &plain, cell.fill)?;
                if let Some(text) = &cell.note {
                    wide.insert_note(r, c, &note(text))?;
                }
            }
        }
        workbook.push_worksheet(summary);
        workbook.push_worksheet(wide);
        workbook.save_to_writer(out)?;
        Ok(())
    }
}

/// A report's row of the corpus summary.
fn write_summary_row(ws: &mut Worksheet, r: u32, row: &CorpusRow) -> Result<(), ExportError> {
    let fill = if row.errors > 0 {
        Some(RED)
    } else if row.warnings > 0 {
        Some(YELLOW)
    } else {
        None
    };
    ws.write_string_with_format(r, 0, &row.name, &with_fill(&Format::new(), fill))?;
    write_opt_str(ws, r, 1, row.agency.as_deref())?;
    if let Some(y) = row.year {
        ws.write_number(r, 2, y)?;
    }
    ws.write_string(r, 3, &row.edition)?;
    ws.write_number(r, 4, row.errors as f64)?;
    ws.write_number(r, 5, row.warnings as f64)?;
    write_opt_str(ws, r, 6, row.title.as_deref())?;
    write_opt_str(ws, r, 7, row.published.as_deref())?;
    Ok(())
}

/// One workbook for a corpus: a summary sheet (one row per report: name, agency, year, edition,
/// errors, warnings, title, published) and the wide table (one row per report; the wide CSV's
/// columns: `report`, `agency`, `year`, `edition`, `published`, then one column per cell id of
/// the editions present). The summary's headers and the cells' notes are in `lang`. The same
/// as a [`CorpusWorkbook`] given the items one by one.
pub fn corpus_workbook(items: &[Item], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut book = CorpusWorkbook::new(lang)?;
    for item in items {
        book.item(item)?;
    }
    let mut out = Vec::new();
    book.finish(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_and_valid() {
        let t = Edition::E2021.template();
        let names: Vec<String> = t.tables.iter().map(table_sheet_name).collect();
        assert_eq!(names, ["二 主动公开", "三 申请", "四 复议诉讼"]);
        let mut taken = HashSet::new();
        assert_eq!(sheet_name("a[b]:c*?/\\d", "x", &mut taken), "abcd");
        assert_eq!(sheet_name("ABCD", "x", &mut taken), "ABCD 2");
        assert_eq!(sheet_name("''", "fallback", &mut taken), "fallback");
        let long = "很".repeat(40);
        let n = sheet_name(&long, "x", &mut taken);
        assert_eq!(n.chars().count(), 31);
        let n2 = sheet_name(&long, "x", &mut taken);
        assert_eq!(n2.chars().count(), 31);
        assert!(n2.ends_with(" 2"));
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn notes_name_the_check_and_its_values() {
        use xxgk_model::check::Cmp;
        use xxgk_model::diagnostic::{CheckFailure, Suggestion};
        use xxgk_model::message::Arg;
        let total = CellId::parse("applications.outcomes.total.natural_person").unwrap();
        let term = CellId::parse("applications.new_received.natural_person").unwrap();
        let mut d = Diagnostic::new(
            "applications.outcomes_total",
            Severity::Error,
            Message::new("check.failed")
                .arg("left", total)
                .arg("left_value", 212_i64)
                .arg("op", Message::new("cmp.eq"))
                .arg("right", Arg::sum([term.into()]))
                .arg("right_value", 211_i64),
        )
        .with_cells([total, term]);
        d.check = Some(CheckFailure {
            rule: "outcomes.total == sum(outcomes.*)".into(),
            stated: Some("（七）总计＝（一）＋…＋（六）".into()),
            instance: None,
            left: 212,
            cmp: Cmp::Eq,
            right: 211,
            read_as_zero: Vec::new(),
        });
        let suggestion = Message::new("fix.cell")
            .arg("cell", total)
            .arg("printed", 212_i64)
            .arg("implied", 211_i64);
        d.notes.push(suggestion);
        d.suggestion = Some(Suggestion {
            cell: total,
            printed: Some(212),
            implied: Some(211),
        });
        let w = Diagnostic::new(
            "x.y",
            Severity::Warning,
            Message::new("input.error").arg("error", "odd"),
        );
        let naming = Naming::Labels(Some(Edition::E2021.template()));
        assert_eq!(
            note_text(&[&d, &w, &d], Lang::En, naming),
            "applications.outcomes_total [error]\n\
             三（七）总计 / 自然人 is 212, but must be equal to 一、本年新收政府信息公开申请数量 / 自然人, which is 211\n\
             The form states: （七）总计＝（一）＋…＋（六）\n\
             Rule: outcomes.total == sum(outcomes.*)\n\
             Suggested correction: 三（七）总计 / 自然人 prints 212; the other cells imply 211\n\
             \n\
             x.y [warning]\n\
             odd"
        );
        assert_eq!(
            note_text(&[&d], Lang::Zh, naming),
            "applications.outcomes_total [错误]\n\
             三（七）总计 / 自然人为 212，一、本年新收政府信息公开申请数量 / 自然人为 211，前者应等于后者\n\
             表中注明：（七）总计＝（一）＋…＋（六）\n\
             校验规则：outcomes.total == sum(outcomes.*)\n\
             建议更正：三（七）总计 / 自然人填报 212，按其他单元格推算应为 211"
        );
        assert_eq!(fill_of(total, Some(&vec![&w, &d]), false), Some(SUSPECT));
        assert_eq!(fill_of(term, Some(&vec![&w, &d]), false), Some(RED));
        assert_eq!(fill_of(total, Some(&vec![&w]), true), Some(YELLOW));
        assert_eq!(fill_of(total, None, true), Some(GREY));
        assert_eq!(fill_of(total, None, false), None);
    }

    #[test]
    fn cell_labels_follow_the_form() {
        let t = Edition::E2021.template();
        let id = t
            .cell_id("applications.outcomes.total.natural_person")
            .unwrap();
        assert_eq!(
            t.cell_path(id).unwrap(),
            "三、本年度办理结果 › （七）总计 / 申请人情况 › 自然人"
        );
    }
}
