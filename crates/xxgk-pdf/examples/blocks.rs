//! Print what the PDF reader sees: lines of text and tables cell by cell.
//!
//! `cargo run -p xxgk-pdf --example blocks -- report.pdf`

use xxgk_pdf::layout::{Block, blocks};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: blocks FILE.pdf");
        std::process::exit(2);
    };
    let pdf = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            xxgk_pdf::read(&bytes, &xxgk_pdf::Limits::default()).map_err(|e| e.to_string())
        });
    let pdf = match pdf {
        Ok(pdf) => pdf,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    for block in blocks(&pdf.pages) {
        match block {
            Block::Line(line) => {
                let spans: Vec<&str> = line.spans.iter().map(|s| s.text.as_str()).collect();
                println!("p{} {}", line.page, spans.join(" ‖ "));
            }
            Block::Table(table) => {
                println!("table, {} columns", table.columns);
                for row in &table.rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| format!("[{}+{}x{}]{}", c.col, c.colspan, c.rowspan, c.text))
                        .collect();
                    println!("  p{} {}", row.page, cells.join(" | "));
                }
            }
        }
    }
}
