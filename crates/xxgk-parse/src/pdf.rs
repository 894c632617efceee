//! PDF reader: [`xxgk_pdf`] reads the glyphs and ruling lines and lays them out in blocks;
//! this module turns the blocks into the document model and writes the text diagnostics
//! point into.
//!
//! * A ruled table is a run of [`Layout::Grid`] rows, one per grid row, built by the shared
//!   [`grid`](crate::grid) builder (a cell spanning ruling lines is merged as HTML's rowspan
//!   and colspan are), so a blank cell is a blank fragment. A table continued on the next page
//!   is one table.
//! * A line outside tables is a [`Layout::Prose`] row, or an [`Layout::Aligned`] row when it
//!   has runs separated by wide gaps (a table drawn without lines); `x` is then the run's
//!   character column, its left edge in half-width characters of the document's lines.
//! * The reconstructed text has one line per row: a table row's cells joined by ` | ` (a blank
//!   cell stays empty between its bars), each page opened by a line `[第 N 页]`. A fragment's
//!   location is its line and character column there, so `xxgk check report.pdf` shows the row
//!   with a marker under the cell, and the page is the nearest `[第 N 页]` line above it.
//! * A PDF whose pages hold images and no text is a scan: [`ParseError::NoTextLayer`].

use crate::doc::{Document, Fragment, Layout, Row, normalize};
use crate::grid::{Budget, Cell, Grid, Merge};
use crate::input::{Input, Options, ReadDoc, Reader, Sniff};
use crate::{Format, ParseError};
use xxgk_model::diagnostic::Location;
use xxgk_pdf::layout::{Block, Line, Table, blocks};

/// The PDF reader.
pub(crate) struct PdfReader;

/// How far into the file the `%PDF-` header may stand (the standard allows junk before it).
const HEADER_WINDOW: usize = 1024;
/// Characters a PDF needs to have a text layer at all (a scan may carry a stray page number).
const MIN_TEXT_CHARS: usize = 20;

impl Reader for PdfReader {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn sniff(&self, input: &Input<'_>) -> Option<Sniff> {
        let head = &input.bytes()[..input.bytes().len().min(HEADER_WINDOW)];
        memchr::memmem::find(head, b"%PDF-").map(|_| Sniff::Certain)
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["pdf"]
    }

    fn read(&self, input: Input<'_>, options: &Options) -> Result<ReadDoc, ParseError> {
        let limits = xxgk_pdf::Limits {
            max_stream_bytes: usize::try_from(options.limits.max_unpacked_bytes)
                .unwrap_or(usize::MAX),
            ..xxgk_pdf::Limits::default()
        };
        let pdf = xxgk_pdf::read(input.bytes(), &limits).map_err(ParseError::Pdf)?;
        let chars: usize = pdf
            .pages
            .iter()
            .flat_map(|p| &p.glyphs)
            .filter(|g| !g.text.trim().is_empty())
            .count();
        if chars < MIN_TEXT_CHARS && pdf.unread_pages > 0 {
            // Not a scan: the pages that would hold the text could not be read.
            let read = u32::try_from(pdf.pages.len()).unwrap_or(u32::MAX);
            return Err(ParseError::PdfDamaged {
                unread: pdf.unread_pages,
                pages: read.max(pdf.unread_pages),
            });
        }
        if chars < MIN_TEXT_CHARS {
            let pages = u32::try_from(pdf.pages.len()).unwrap_or(u32::MAX);
            let images: u32 = pdf.pages.iter().map(|p| p.images).sum();
            return Err(ParseError::NoTextLayer { pages, images });
        }
        let unknown: u32 = pdf.pages.iter().map(|p| p.unknown_codes).sum();
        if unknown as usize * 2 > chars {
            return Err(ParseError::PdfUnknownCharacters {
                unknown,
                chars: u32::try_from(chars).unwrap_or(u32::MAX),
            });
        }
        let (document, text) = document(&blocks(&pdf.pages));
        // Pages the file declares but could not give: what they held is missing, and the
        // report may lack whole sections for that reason, not its author's.
        let diagnostics = (pdf.unread_pages > 0)
            .then(|| {
                xxgk_model::diagnostic::Diagnostic::new(
                    crate::codes::PDF_PAGES_UNREAD,
                    xxgk_model::diagnostic::Severity::Error,
                    xxgk_model::message::Message::new("parse.pdf_pages_unread")
                        .arg("unread", pdf.unread_pages),
                )
            })
            .into_iter()
            .collect();
        Ok(ReadDoc {
            document,
            text: Some(text),
            encoding: None,
            diagnostics,
        })
    }
}

/// The rows of the blocks and the text their locations point into.
fn document(blocks: &[Block]) -> (Document, String) {
    let mut out = Writer::default();
    let mut budget = Budget::new(16 * 1024 * 1024, 0);
    let mut table_index = 0u32;
    let unit = document_unit(blocks);
    for block in blocks {
        match block {
            Block::Line(line) => {
                out.page(line.page);
                line_row(line, unit, &mut out);
            }
            Block::Table(table) => {
                table_rows(table, table_index, &mut budget, &mut out);
                table_index += 1;
            }
        }
    }
    (Document { rows: out.rows }, out.text)
}

#[derive(Default)]
struct Writer {
    rows: Vec<Row>,
    text: String,
    /// Lines written so far.
    lines: u32,
    page: u32,
}

impl Writer {
    /// Open page `page` with its marker line, unless it is open already.
    fn page(&mut self, page: u32) {
        if page != self.page {
            self.page = page;
            self.line(&format!("[第 {page} 页]"));
        }
    }

    /// Write a line; its number.
    fn line(&mut self, line: &str) -> u32 {
        self.text.push_str(line);
        self.text.push('\n');
        self.lines += 1;
        self.lines
    }
}

fn line_row(line: &Line, unit: f32, out: &mut Writer) {
    let mut text = String::new();
    let mut columns = Vec::new();
    for span in &line.spans {
        if !text.is_empty() {
            text.push_str("  ");
        }
        columns.push(text.chars().count() as u32 + 1);
        text.push_str(&span.text);
    }
    let line_no = out.line(&text);
    let fragments: Vec<Fragment> = line
        .spans
        .iter()
        .zip(columns)
        .map(|(span, column)| Fragment {
            text: normalize(&span.text),
            raw: span.text.clone(),
            location: Location::new(line_no, column).on_page(line.page),
            // Character columns from the page's left edge keep runs of different lines comparable.
            x: (span.x0.max(0.0) / unit).round() as u32,
            span: 1,
            continued: false,
        })
        .collect();
    let layout = if fragments.len() > 1 {
        Layout::Aligned
    } else {
        Layout::Prose
    };
    out.rows.push(Row {
        layout,
        location: Location::new(line_no, 1).on_page(line.page),
        fragments,
        table: None,
    });
}

/// The width of a half-width character in the document's lines of several runs, in points:
/// the median of their own. One measure for every line, so that a column is at the same `x`
/// in every row whatever its label holds (a line's own measure moved with its characters:
/// curly quotes, drawn full width but counted narrow, put a row's values a column off).
fn document_unit(blocks: &[Block]) -> f32 {
    let mut units: Vec<f32> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Line(line) if line.spans.len() > 1 => Some(line_unit(line)),
            _ => None,
        })
        .collect();
    if units.is_empty() {
        return 5.0;
    }
    units.sort_by(f32::total_cmp);
    units[units.len() / 2]
}

/// The width of a half-width character on this line, in points.
fn line_unit(line: &Line) -> f32 {
    let chars: usize = line.spans.iter().map(|s| s.text.chars().count()).sum();
    let width: f32 = line.spans.iter().map(|s| s.x1 - s.x0).sum();
    let wide: usize = line
        .spans
        .iter()
        .flat_map(|s| s.text.chars())
        .filter(|c| *c as u32 >= 0x2E80)
        .count();
    // A Chinese character is two columns wide, as in a terminal.
    let columns = chars + wide;
    if columns == 0 || width <= 0.0 {
        5.0
    } else {
        (width / columns as f32).max(1.0)
    }
}

fn table_rows(table: &Table, index: u32, budget: &mut Budget, out: &mut Writer) {
    let mut grid = Grid::default();
    for row in &table.rows {
        out.page(row.page);
        let mut text = String::new();
        let mut columns = Vec::with_capacity(row.cells.len());
        for (i, cell) in row.cells.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            columns.push(text.chars().count() as u32 + 1);
            text.push_str(&cell.text);
        }
        let line_no = out.line(&text);
        grid.start_row(0, budget);
        for (cell, column) in row.cells.iter().zip(columns) {
            budget.earn(cell.text.len());
            grid.push(
                Cell {
                    text: normalize(&cell.text),
                    raw: cell.text.clone(),
                    location: Location::new(line_no, column).on_page(row.page),
                    colspan: u32::try_from(cell.colspan).unwrap_or(1).max(1),
                    merge: Merge::Down(u32::try_from(cell.rowspan).unwrap_or(1).max(1)),
                },
                budget,
            );
        }
        let fragments = grid.finish_row().unwrap_or_default();
        out.rows.push(Row {
            layout: Layout::Grid,
            location: Location::new(line_no, 1).on_page(row.page),
            fragments,
            table: Some(index),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_pdf::layout::Span;

    fn line(spans: &[(&str, f32, f32)]) -> Block {
        Block::Line(Line {
            page: 1,
            y: 0.0,
            spans: spans
                .iter()
                .map(|&(text, x0, x1)| Span {
                    text: text.to_owned(),
                    x0,
                    x1,
                })
                .collect(),
        })
    }

    /// A table drawn without lines: a value under the same column is at the same `x` in every
    /// row, whatever the row's label holds (curly quotes drawn full width, counted narrow).
    #[test]
    fn a_column_has_one_x_in_every_row() {
        let blocks = [
            line(&[
                ("（一）予以公开", 50.0, 120.0),
                ("12", 200.0, 210.0),
                ("7", 252.0, 257.0),
            ]),
            line(&[("3.危及“三安全一稳定”", 50.0, 160.0), ("7", 252.0, 257.0)]),
            line(&[
                ("（七）总计", 50.0, 100.0),
                ("9", 202.0, 207.0),
                ("30", 250.0, 260.0),
            ]),
        ];
        let (doc, _) = document(&blocks);
        let x_of = |row: usize, text: &str| {
            doc.rows[row]
                .fragments
                .iter()
                .find(|f| f.text == text)
                .map(|f| f.x)
                .unwrap()
        };
        assert_eq!(x_of(0, "7"), x_of(1, "7"));
        assert!(x_of(2, "30").abs_diff(x_of(1, "7")) <= 1);
    }
}
