//! The long table as one Parquet file (feature `parquet`), for DuckDB, Polars, Spark or pandas.
//!
//! Written with the low-level column writer of the `parquet` crate (no arrow): ten columns,
//! Snappy-compressed, one row group per ≤ 1,000,000 rows. Rows are spooled to temporary files
//! as the reports come ([`LongTable`]), so an export of any size holds a batch of values, not
//! the corpus.
//!
//! | column | Parquet type |
//! |---|---|
//! | `report`, `table`, `row`, `column`, `value`, `raw` | `required binary (STRING)` |
//! | `line` | `optional int32` (null when the source line is unknown) |
//! | `unit` | `required binary (STRING)` (empty when there is none) |
//! | `kind`, `check` | `required binary (STRING)` (`cell`, `statement` or `diagnostic`; a statement's check) |

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use ::parquet::basic::Compression;
use ::parquet::column::writer::ColumnWriter;
use ::parquet::data_type::ByteArray;
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use ::parquet::schema::parser::parse_message_type;

use crate::{ExportError, Item, long_rows};

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
/// no row group. The same bytes as a [`LongTable`] given the items one by one.
pub fn long_table(items: &[Item]) -> Result<Vec<u8>, ExportError> {
    let mut table = LongTable::new()?;
    for item in items {
        table.item(item)?;
    }
    table.finish(Vec::new())
}

/// Values of one column written at once: a multiple of the column writer's mini-batch (its
/// `write_batch_size`, 1024), so that pages end where one call with every value ends them and
/// the file is the same bytes.
const BATCH: usize = 8 * 1024;

/// The long table written as items come ([`long_table`] one item at a time), in memory that
/// does not grow with the corpus: each item's rows are appended to one temporary file per
/// column, and [`LongTable::finish`] writes the row groups from them, column after column as
/// Parquet lays them out, a batch of values at a time.
pub struct LongTable {
    /// One spool per column of [`SCHEMA`]: strings as a little-endian `u32` length and their
    /// bytes; lines as a byte (0 unknown, 1 known) and a little-endian `u32`.
    spools: Vec<BufWriter<File>>,
    rows: usize,
}

fn spool_error(e: std::io::Error) -> ExportError {
    ExportError::Format(format!("parquet: spooling rows: {e}"))
}

impl LongTable {
    /// An empty table, its spools created (in the system's temporary folder).
    pub fn new() -> Result<LongTable, ExportError> {
        let spools = (0..COLUMNS)
            .map(|_| tempfile::tempfile().map(BufWriter::new))
            .collect::<Result<_, _>>()
            .map_err(spool_error)?;
        Ok(LongTable { spools, rows: 0 })
    }

    /// Add the rows of `item` ([`long_rows`]).
    pub fn item(&mut self, item: &Item) -> Result<(), ExportError> {
        for row in long_rows(item) {
            let texts = [
                &row.report,
                &row.table,
                &row.row,
                &row.column,
                &row.value,
                &row.raw,
            ];
            for (spool, text) in self.spools.iter_mut().zip(texts) {
                put_text(spool, text)?;
            }
            let (known, line) = match row.line {
                Some(line) => (
                    1u8,
                    i32::try_from(line).map_err(|_| {
                        ExportError::Format(format!("parquet: line {line} does not fit in INT32"))
                    })?,
                ),
                None => (0, 0),
            };
            let lines = self.spool(6)?;
            lines.write_all(&[known]).map_err(spool_error)?;
            lines.write_all(&line.to_le_bytes()).map_err(spool_error)?;
            put_text(self.spool(7)?, &row.unit)?;
            put_text(self.spool(8)?, row.kind)?;
            put_text(self.spool(9)?, row.check)?;
            self.rows += 1;
        }
        Ok(())
    }

    fn spool(&mut self, index: usize) -> Result<&mut BufWriter<File>, ExportError> {
        self.spools
            .get_mut(index)
            .ok_or_else(|| ExportError::Format(format!("parquet: no column {index}")))
    }

    /// Write the Parquet file to `out` (one row group per 1,000,000 rows) and return
    /// it.
    pub fn finish<W: Write + Send>(self, out: W) -> Result<W, ExportError> {
        let mut readers = Vec::with_capacity(self.spools.len());
        for spool in self.spools {
            let mut file = spool
                .into_inner()
                .map_err(|e| spool_error(e.into_error()))?;
            file.seek(SeekFrom::Start(0)).map_err(spool_error)?;
            readers.push(BufReader::new(file));
        }
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(format_error)?);
        let properties = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                .build(),
        );
        let mut writer =
            SerializedFileWriter::new(out, schema, properties).map_err(format_error)?;
        let mut left = self.rows;
        while left > 0 {
            let rows = left.min(ROW_GROUP_ROWS);
            let mut group = writer.next_row_group().map_err(format_error)?;
            let mut index = 0usize;
            while let Some(mut column) = group.next_column().map_err(format_error)? {
                let reader = readers.get_mut(index).ok_or_else(|| {
                    ExportError::Format(format!("parquet: unexpected column {index}"))
                })?;
                let mut done = 0;
                while done < rows {
                    let batch = BATCH.min(rows - done);
                    write_column(&mut column, index, reader, batch)?;
                    done += batch;
                }
                column.close().map_err(format_error)?;
                index += 1;
            }
            group.close().map_err(format_error)?;
            left -= rows;
        }
        writer.into_inner().map_err(format_error)
    }
}

/// The columns of [`SCHEMA`].
const COLUMNS: usize = 10;

fn put_text(spool: &mut BufWriter<File>, text: &str) -> Result<(), ExportError> {
    let len = u32::try_from(text.len())
        .map_err(|_| ExportError::Format("parquet: a value longer than 4 GiB".into()))?;
    spool.write_all(&len.to_le_bytes()).map_err(spool_error)?;
    spool.write_all(text.as_bytes()).map_err(spool_error)
}

fn take_u32(reader: &mut impl Read) -> Result<u32, ExportError> {
    let mut bytes = [0u8; 4];
    reader.read_exact(&mut bytes).map_err(spool_error)?;
    Ok(u32::from_le_bytes(bytes))
}

/// Write the next `rows` values of column `index` (in [`SCHEMA`] order) from its spool.
fn write_column(
    column: &mut SerializedColumnWriter<'_>,
    index: usize,
    spool: &mut BufReader<File>,
    rows: usize,
) -> Result<(), ExportError> {
    if index == 6 {
        return write_lines(column, spool, rows);
    }
    let ColumnWriter::ByteArrayColumnWriter(writer) = column.untyped() else {
        return Err(ExportError::Format(format!(
            "parquet: column {index} is not a byte array"
        )));
    };
    let mut values = Vec::with_capacity(rows);
    for _ in 0..rows {
        let len = take_u32(spool)? as usize;
        let mut bytes = vec![0u8; len];
        spool.read_exact(&mut bytes).map_err(spool_error)?;
        values.push(ByteArray::from(bytes));
    }
    writer
        .write_batch(&values, None, None)
        .map_err(format_error)?;
    Ok(())
}

/// The optional `line` column: definition level 1 and a value for a known line, 0 for null.
fn write_lines(
    column: &mut SerializedColumnWriter<'_>,
    spool: &mut BufReader<File>,
    rows: usize,
) -> Result<(), ExportError> {
    let mut values = Vec::with_capacity(rows);
    let mut levels = Vec::with_capacity(rows);
    for _ in 0..rows {
        let mut known = [0u8; 1];
        spool.read_exact(&mut known).map_err(spool_error)?;
        let line = take_u32(spool)? as i32;
        if known[0] == 1 {
            values.push(line);
            levels.push(1i16);
        } else {
            levels.push(0i16);
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
