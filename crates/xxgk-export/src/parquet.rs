//! The long table as one Parquet file (feature `parquet`), for DuckDB, Polars, Spark or pandas.
//!
//! Written with the low-level column writer of the `parquet` crate (no arrow): ten columns,
//! Snappy-compressed, one row group per ≤ 1,000,000 rows.
//!
//! | column | Parquet type |
//! |---|---|
//! | `report`, `table`, `row`, `column`, `value`, `raw` | `required binary (STRING)` |
//! | `line` | `optional int32` (null when the source line is unknown) |
//! | `unit` | `required binary (STRING)` (empty when there is none) |
//! | `kind`, `check` | `required binary (STRING)` (`cell` or `statement`; a statement's check) |

use std::sync::Arc;

use ::parquet::basic::Compression;
use ::parquet::column::writer::ColumnWriter;
use ::parquet::data_type::ByteArray;
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use ::parquet::schema::parser::parse_message_type;

use crate::{ExportError, Item, LongRow, long_rows};

/// The schema of the long table, in column order.
const SCHEMA: &str = "message xxgk_long {
  required binary report (STRING);
  required binary table (STRING);
  required binary row (STRING);
  required binary column (STRING);
  required binary value (STRING);
  required binary raw (STRING);
  optional int32 line;
  required binary unit (STRING);
  required binary kind (STRING);
  required binary check (STRING);
}";

/// Most rows in one row group.
const ROW_GROUP_ROWS: usize = 1_000_000;

fn format_error(e: ParquetError) -> ExportError {
    ExportError::Format(format!("parquet: {e}"))
}

/// The long table of every item as one Parquet file (Snappy-compressed): columns report, table,
/// row, column, value, raw (UTF-8 strings, required), line (INT32, optional), unit, kind and
/// check (UTF-8 strings).
///
/// Rows are those of [`long_rows`], item after item. With no rows the file has the schema and
/// no row group.
pub fn long_table(items: &[Item]) -> Result<Vec<u8>, ExportError> {
    let rows: Vec<LongRow> = items.iter().flat_map(long_rows).collect();
    let schema = Arc::new(parse_message_type(SCHEMA).map_err(format_error)?);
    let properties = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build(),
    );
    let mut out = Vec::new();
    let mut writer =
        SerializedFileWriter::new(&mut out, schema, properties).map_err(format_error)?;
    for chunk in rows.chunks(ROW_GROUP_ROWS) {
        let mut group = writer.next_row_group().map_err(format_error)?;
        let mut index = 0usize;
        while let Some(mut column) = group.next_column().map_err(format_error)? {
            write_column(&mut column, index, chunk)?;
            column.close().map_err(format_error)?;
            index += 1;
        }
        group.close().map_err(format_error)?;
    }
    writer.close().map_err(format_error)?;
    Ok(out)
}

/// Write column `index` (in [`SCHEMA`] order) of `rows`.
fn write_column(
    column: &mut SerializedColumnWriter<'_>,
    index: usize,
    rows: &[LongRow],
) -> Result<(), ExportError> {
    let text: fn(&LongRow) -> &str = match index {
        0 => |r| &r.report,
        1 => |r| &r.table,
        2 => |r| &r.row,
        3 => |r| &r.column,
        4 => |r| &r.value,
        5 => |r| &r.raw,
        6 => return write_lines(column, rows),
        7 => |r| &r.unit,
        8 => |r| r.kind,
        9 => |r| r.check,
        _ => {
            return Err(ExportError::Format(format!(
                "parquet: unexpected column {index}"
            )));
        }
    };
    let ColumnWriter::ByteArrayColumnWriter(writer) = column.untyped() else {
        return Err(ExportError::Format(format!(
            "parquet: column {index} is not a byte array"
        )));
    };
    let values: Vec<ByteArray> = rows
        .iter()
        .map(|r| ByteArray::from(text(r).as_bytes().to_vec()))
        .collect();
    writer
        .write_batch(&values, None, None)
        .map_err(format_error)?;
    Ok(())
}

/// The optional `line` column: definition level 1 and a value for a known line, 0 for null.
fn write_lines(
    column: &mut SerializedColumnWriter<'_>,
    rows: &[LongRow],
) -> Result<(), ExportError> {
    let mut values = Vec::with_capacity(rows.len());
    let mut levels = Vec::with_capacity(rows.len());
    for r in rows {
        match r.line {
            Some(line) => {
                let line = i32::try_from(line).map_err(|_| {
                    ExportError::Format(format!("parquet: line {line} does not fit in INT32"))
                })?;
                values.push(line);
                levels.push(1i16);
            }
            None => levels.push(0i16),
        }
    }
    let ColumnWriter::Int32ColumnWriter(writer) = column.untyped() else {
        return Err(ExportError::Format(
            "parquet: column line is not INT32".into(),
        ));
    };
    writer
        .write_batch(&values, Some(&levels), None)
        .map_err(format_error)?;
    Ok(())
}
