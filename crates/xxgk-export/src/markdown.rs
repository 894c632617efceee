//! Markdown: the report's tables as pipe tables under their section headings, with the title
//! and date, so the page reads as the report and parses back into it.

use crate::layout::{Content, layout, table_present};
use crate::{Item, printed_cell, title};

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// The report as Markdown: the title, each table the report has (cells it does not determine
/// read `?`), the agency and the date. Diagnostics are not shown: Markdown is the report
/// itself, for reading and diffing.
///
/// ```
/// let report = xxgk_model::Report::from_json(&std::fs::read_to_string(
///     concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2021-county-office-2024.json")).unwrap()).unwrap();
/// let md = xxgk_export::markdown::report(&xxgk_export::Item::new("r", report, Vec::new()));
/// assert!(md.contains("## 三、收到和处理政府信息公开申请情况"));
/// assert!(md.contains("| （七）总计 |"));
/// ```
pub fn report(item: &Item) -> String {
    let r = &item.report;
    let mut out = format!("# {}\n\n", escape(&title(r)));
    for table in r.edition().template().tables {
        if !table_present(r, table) {
            continue;
        }
        out.push_str(&format!("## {}\n\n", escape(table.label.title)));
        let grid = layout(table);
        let mut rows = vec![vec![String::new(); grid.cols]; grid.rows];
        for c in &grid.cells {
            rows[c.row][c.col] = match &c.content {
                Content::Header(t) | Content::Label(t) => escape(t),
                Content::Value(id) => printed_cell(r, *id),
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
