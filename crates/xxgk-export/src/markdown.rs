//! Markdown: the report's tables as pipe tables under their section headings, with the title
//! and date, so the page reads as the report and parses back into it.

use crate::Item;
use crate::layout::{Content, layout};
use xxgk_model::Report;
use xxgk_model::cell::Value;

/// A cell's value as printed on a page: the number, the amount with its unit, nothing for
/// blank, `/` for not applicable, `?` for a value not determined.
pub fn printed(value: &Value) -> String {
    match value {
        Value::Unknown => "?".into(),
        Value::Blank => String::new(),
        Value::NotApplicable => "/".into(),
        Value::Count(n) => n.to_string(),
        Value::SignedCount(n) => n.to_string(),
        Value::Amount(a) => format!("{}{}", a.value, a.unit.as_str()),
    }
}

/// The title to print: the report's own, else built from agency and year.
pub fn title(report: &Report) -> String {
    report.meta.title.clone().unwrap_or_else(|| {
        format!(
            "{}{}年政府信息公开工作年度报告",
            report.meta.agency.as_deref().unwrap_or(""),
            report.meta.year.map_or(String::new(), |y| y.to_string())
        )
    })
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// The report as Markdown.
///
/// ```
/// let report = xxgk_model::Report::from_json(&std::fs::read_to_string(
///     concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2021-county-office-2024.json")).unwrap()).unwrap();
/// let md = xxgk_export::markdown::report(&xxgk_export::Item::new("r", report));
/// assert!(md.contains("## 三、收到和处理政府信息公开申请情况"));
/// assert!(md.contains("| （七）总计 |"));
/// ```
pub fn report(item: &Item) -> String {
    let r = &item.report;
    let mut out = format!("# {}\n\n", escape(&title(r)));
    for table in r.edition().template().tables {
        let present = table.rows.iter().any(|row| {
            row.columns.iter().any(|c| {
                r.tables
                    .cell(table.id, row.path, c.id)
                    .is_some_and(|cell| !cell.is_unknown())
            })
        });
        if !present {
            continue;
        }
        out.push_str(&format!("## {}\n\n", escape(table.label.title)));
        let grid = layout(table);
        let mut rows = vec![vec![String::new(); grid.cols]; grid.rows];
        for c in &grid.cells {
            rows[c.row][c.col] = match &c.content {
                Content::Header(t) | Content::Label(t) => escape(t),
                Content::Value(id) => printed(
                    &r.tables
                        .cell(id.table, id.row, id.column)
                        .map_or(Value::Unknown, |c| c.value),
                ),
                Content::Empty => String::new(),
            };
        }
        for (k, row) in rows.iter().enumerate() {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
            if k == 0 {
                out.push_str(&format!("|{}\n", "---|".repeat(grid.cols)));
            }
        }
        out.push('\n');
    }
    if let Some(d) = r.meta.published {
        out.push_str(&format!(
            "{}\n\n{}年{}月{}日\n",
            r.meta.agency.as_deref().unwrap_or(""),
            d.year,
            d.month,
            d.day
        ));
    }
    out
}
