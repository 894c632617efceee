#![cfg(feature = "parquet")]
//! The Parquet long table, read back with the parquet crate's own reader.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::basic::{Compression, LogicalType, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;
use xxgk_export::{Item, LongRow, long_rows};

const COLUMNS: [&str; 10] = [
    "report", "table", "row", "column", "value", "raw", "line", "unit", "kind", "check",
];

fn example(name: &str) -> Item {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report =
        xxgk_model::Report::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Item::new(name, report, Vec::new())
}

fn examples() -> Vec<Item> {
    vec![
        example("2021-county-office-2024"),
        example("2019-transport-bureau-2020"),
    ]
}

/// A temporary file removed on drop.
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Write `bytes` to a temporary file and open it with the parquet reader.
fn read_back(bytes: &[u8], tag: &str) -> (Temp, SerializedFileReader<File>) {
    let path =
        std::env::temp_dir().join(format!("xxgk-export-{}-{tag}.parquet", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let temp = Temp(path);
    let reader = SerializedFileReader::new(File::open(&temp.0).unwrap())
        .expect("parquet reader opens the file");
    (temp, reader)
}

/// `s` as the one of `among` it equals (the row's static words); a panic names an unknown one.
fn known(s: String, among: &[&'static str]) -> &'static str {
    among
        .iter()
        .find(|w| **w == s)
        .unwrap_or_else(|| panic!("unexpected `{s}`"))
}

/// Every row of the file as `LongRow`s.
fn rows_of(reader: &SerializedFileReader<File>) -> Vec<LongRow> {
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            let row = row.unwrap();
            let s = |i: usize| row.get_string(i).unwrap().clone();
            LongRow {
                report: s(0),
                table: s(1),
                row: s(2),
                column: s(3),
                value: s(4),
                raw: s(5),
                line: if row.is_null(6).unwrap() {
                    None
                } else {
                    Some(row.get_int(6).unwrap() as u32)
                },
                unit: s(7),
                kind: known(s(8), &["cell", "statement", "diagnostic"]),
                check: known(s(9), &["", "agrees", "disagrees", "not_checked", "data"]),
            }
        })
        .collect()
}

#[test]
fn schema_names_types_and_snappy() {
    let items = examples();
    let bytes = xxgk_export::parquet::long_table(&items).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    let (_temp, reader) = read_back(&bytes, "schema");
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, COLUMNS);
    for c in schema.columns() {
        if c.name() == "line" {
            assert_eq!(c.physical_type(), PhysicalType::INT32);
            assert!(c.self_type().is_optional());
            assert_eq!(c.logical_type_ref(), None);
        } else {
            assert_eq!(c.physical_type(), PhysicalType::BYTE_ARRAY, "{}", c.name());
            assert!(!c.self_type().is_optional(), "{}", c.name());
            assert_eq!(
                c.logical_type_ref(),
                Some(&LogicalType::String),
                "{}",
                c.name()
            );
        }
    }
    assert_eq!(meta.num_row_groups(), 1);
    for chunk in meta.row_group(0).columns() {
        assert_eq!(chunk.compression(), Compression::SNAPPY);
    }
}

#[test]
fn rows_match_long_rows() {
    let items = examples();
    let expected: Vec<LongRow> = items.iter().flat_map(long_rows).collect();
    assert!(expected.len() > 100, "{} rows", expected.len());
    let bytes = xxgk_export::parquet::long_table(&items).unwrap();
    let (_temp, reader) = read_back(&bytes, "rows");
    assert_eq!(
        reader.metadata().file_metadata().num_rows() as usize,
        expected.len()
    );
    let got = rows_of(&reader);
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);

    let find = |report: &str, table: &str, row: &str, column: &str| {
        got.iter()
            .find(|r| r.report == report && r.table == table && r.row == row && r.column == column)
            .unwrap_or_else(|| panic!("no row {report} {table}.{row}.{column}"))
    };
    let total = find(
        "2021-county-office-2024",
        "applications",
        "new_received",
        "total",
    );
    assert_eq!(total.value, "68");
    assert_eq!(total.line, None);
    let total = find(
        "2019-transport-bureau-2020",
        "applications",
        "new_received",
        "total",
    );
    assert_eq!(total.value, "224");
    let amount = find(
        "2019-transport-bureau-2020",
        "active_disclosure",
        "procurement",
        "amount",
    );
    assert_eq!(
        (amount.value.as_str(), amount.unit.as_str()),
        ("968.40", "万元")
    );
    let change = find(
        "2019-transport-bureau-2020",
        "active_disclosure",
        "licensing",
        "change",
    );
    assert_eq!(change.value, "-2");
    let na = find(
        "2019-transport-bureau-2020",
        "active_disclosure",
        "regulations",
        "produced",
    );
    assert_eq!(na.value, "n/a");
    let blank = find(
        "2019-transport-bureau-2020",
        "active_disclosure",
        "coercion",
        "decisions",
    );
    assert_eq!(blank.value, "");
}

#[test]
fn parsed_report_keeps_raw_text_and_lines() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../xxgk-parse/tests/fixtures/text/layout-2021.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let report = xxgk_parse::parse_text(&text, xxgk_parse::Format::Text).unwrap();
    let items = vec![
        Item::new("layout", report, Vec::new()),
        example("2021-county-office-2024"),
    ];
    let expected: Vec<LongRow> = items.iter().flat_map(long_rows).collect();
    assert!(
        expected.iter().any(|r| r.line.is_some()),
        "the parsed fixture has source lines"
    );
    assert!(
        expected.iter().any(|r| r.line.is_none()),
        "the JSON example has none"
    );
    let bytes = xxgk_export::parquet::long_table(&items).unwrap();
    let (_temp, reader) = read_back(&bytes, "lines");
    assert_eq!(rows_of(&reader), expected);
}

#[test]
fn no_items_is_a_valid_empty_file() {
    let bytes = xxgk_export::parquet::long_table(&[]).unwrap();
    let (_temp, reader) = read_back(&bytes, "empty");
    assert_eq!(reader.metadata().file_metadata().num_rows(), 0);
    assert_eq!(reader.metadata().num_row_groups(), 0);
    let names: Vec<&str> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name())
        .collect();
    assert_eq!(names, COLUMNS);
    assert!(rows_of(&reader).is_empty());
}

#[test]
fn same_input_same_bytes() {
    let items = examples();
    let a = xxgk_export::parquet::long_table(&items).unwrap();
    let b = xxgk_export::parquet::long_table(&items).unwrap();
    assert_eq!(a, b);
}

/// The long table as it was written before rows were spooled: every row in memory, each
/// column of a row group in one `write_batch` call.
fn written_at_once(items: &[Item]) -> Vec<u8> {
    use parquet::column::writer::ColumnWriter;
    use parquet::data_type::ByteArray;
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let rows: Vec<LongRow> = items.iter().flat_map(long_rows).collect();
    let schema = Arc::new(
        parquet::schema::parser::parse_message_type(
            "message xxgk_long {
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
}",
        )
        .unwrap(),
    );
    let properties = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(1_000_000))
            .build(),
    );
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, schema, properties).unwrap();
    for chunk in rows.chunks(1_000_000) {
        let mut group = writer.next_row_group().unwrap();
        let mut index = 0;
        while let Some(mut column) = group.next_column().unwrap() {
            match column.untyped() {
                ColumnWriter::Int32ColumnWriter(w) => {
                    let values: Vec<i32> = chunk
                        .iter()
                        .filter_map(|r| r.line)
                        .map(|l| l as i32)
                        .collect();
                    let levels: Vec<i16> =
                        chunk.iter().map(|r| i16::from(r.line.is_some())).collect();
                    w.write_batch(&values, Some(&levels), None).unwrap();
                }
                ColumnWriter::ByteArrayColumnWriter(w) => {
                    let text = |r: &LongRow| -> String {
                        match index {
                            0 => r.report.clone(),
                            1 => r.table.clone(),
                            2 => r.row.clone(),
                            3 => r.column.clone(),
                            4 => r.value.clone(),
                            5 => r.raw.clone(),
                            7 => r.unit.clone(),
                            8 => r.kind.to_owned(),
                            _ => r.check.to_owned(),
                        }
                    };
                    let values: Vec<ByteArray> = chunk
                        .iter()
                        .map(|r| ByteArray::from(text(r).into_bytes()))
                        .collect();
                    w.write_batch(&values, None, None).unwrap();
                }
                _ => panic!("unexpected column {index}"),
            }
            column.close().unwrap();
            index += 1;
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
    out
}

/// Rows spooled as the items come and written a batch at a time at the end make the very bytes
/// the whole table in memory made, over more rows than a batch, lines known and unknown.
#[test]
fn spooled_table_is_the_table_written_at_once() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../xxgk-parse/tests/fixtures/text/layout-2021.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = xxgk_parse::parse_text(&text, xxgk_parse::Format::Text).unwrap();
    let mut items = Vec::new();
    for k in 0..40 {
        items.push(Item::new(format!("layout-{k}"), parsed.clone(), Vec::new()));
        for mut item in examples() {
            item.name = format!("{}-{k}", item.name);
            items.push(item);
        }
    }
    let rows: usize = items.iter().map(|i| long_rows(i).len()).sum();
    assert!(rows > 2 * 8192, "{rows} rows");
    let streamed = {
        let mut table = xxgk_export::parquet::LongTable::new().unwrap();
        for item in &items {
            table.item(item).unwrap();
        }
        table.finish(Vec::new()).unwrap()
    };
    assert!(streamed == written_at_once(&items), "the bytes differ");
    assert_eq!(xxgk_export::parquet::long_table(&items).unwrap(), streamed);
}
