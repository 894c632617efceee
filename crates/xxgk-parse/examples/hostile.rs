//! Hostile inputs, generated and timed: how parse time grows with nesting depth, table count,
//! spans, line length and file size.
//!
//! ```text
//! cargo run --release -p xxgk-parse --example hostile -- KIND N [KIND N …]   generate and time
//! cargo run --release -p xxgk-parse --example hostile -- gen KIND N FILE     write the input
//! cargo run --release -p xxgk-parse --example hostile -- file FILE…          time files
//! cargo run --release -p xxgk-parse --example hostile -- debug FILE…         print results
//! ```
//!
//! Times are the parsing thread's CPU time (wall time where Linux's schedstat is missing).
//!
//! Kinds (N is the size): `div`, `span`, `b`, `a`, `font`, `table`, `li` (HTML nesting N deep),
//! `tables` (N small tables), `spans` (N rows with `rowspan`/`colspan` of 1,000,000),
//! `line` (one line of N MB of prose), `dump` (one line of N MB of table labels and digits),
//! `text` (N MB of report lines), `md-quote` (Markdown `>` nested N deep), `md-table` (a
//! Markdown table of N rows), `docx` (a Word document nesting `w:tbl` N deep), `docx-p`
//! (`w:p` elements nested N deep).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use xxgk_parse::{Options, parse};

const REPORT: &str = include_str!("../tests/fixtures/text/tab-2019.txt");

fn nested(open: &str, middle: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + 64);
    s.push_str("<html><body>");
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..n {
        s.push_str(close);
    }
    s.push_str("</body></html>");
    s
}

fn mb(n: usize) -> usize {
    n * 1024 * 1024
}

/// `head`, `item(i)` for each `i` below `n`, and `tail`.
fn repeated(head: &str, n: usize, tail: &str, item: impl Fn(usize) -> String) -> String {
    let mut s = String::from(head);
    for i in 0..n {
        s.push_str(&item(i));
    }
    s.push_str(tail);
    s
}

/// `head`, then `unit` repeated to at least `bytes` bytes.
fn filled(head: &str, unit: &str, bytes: usize) -> Vec<u8> {
    let mut s = String::with_capacity(bytes + unit.len());
    s.push_str(head);
    while s.len() < bytes {
        s.push_str(unit);
    }
    s.into_bytes()
}

/// The input of `kind` at size `n`, and the file name it is read under.
fn generate(kind: &str, n: usize) -> (Vec<u8>, &'static str) {
    let html = |s: String| (s.into_bytes(), "hostile.html");
    match kind {
        "div" => html(nested("<div>", "深", "</div>", n)),
        "span" => html(nested("<span>", "深", "</span>", n)),
        "b" => html(nested("<b>", "深", "</b>", n)),
        "a" => html(nested("<a href=#>", "深", "</a>", n)),
        "font" => html(nested("<font>", "深", "</font>", n)),
        "li" => html(nested("<ul><li>", "深", "</li></ul>", n)),
        "table" => html(nested("<table><tr><td>", "深", "</td></tr></table>", n)),
        "tables" => html(repeated("<html><body>", n, "</body></html>", |i| {
            format!("<table><tr><td>项目{i}</td><td>{i}</td></tr></table>")
        })),
        "spans" => html(repeated(
            "<html><body><table>",
            n,
            "</table></body></html>",
            |i| {
                format!(
                    "<tr><td rowspan=\"1000000\" colspan=\"1000000\">格{i}</td><td colspan=\"1000000\">{i}</td></tr>"
                )
            },
        )),
        "line" => (
            filled(
                "",
                "本年度我局通过门户网站主动公开各类信息若干条，此处为占位说明文字，内容均为虚构。",
                mb(n),
            ),
            "hostile.txt",
        ),
        "dump" => (
            filled(
                "某县2021年政府信息公开工作年度报告三、收到和处理政府信息公开申请情况",
                "（一）予以公开0110002（二）部分公开（区分处理的，只计这一情形，不计其他情形）0211419（三）不予公开1.属于国家秘密132011172.其他法律行政法规禁止公开2000103",
                mb(n),
            ),
            "hostile.txt",
        ),
        "text" => (filled("", REPORT, mb(n)), "hostile.txt"),
        "md-quote" => {
            let s = format!("# 报告\n\n{} 深\n", ">".repeat(n));
            (s.into_bytes(), "hostile.md")
        }
        "md-table" => {
            let mut s = String::from("| 项目 | 数量 |\n|---|---|\n");
            for i in 0..n {
                s.push_str(&format!("| 项目{i} | {i} |\n"));
            }
            (s.into_bytes(), "hostile.md")
        }
        "docx" => (
            docx(&nested_xml(
                "<w:tbl><w:tr><w:tc>",
                "</w:tc></w:tr></w:tbl>",
                n,
            )),
            "hostile.docx",
        ),
        "docx-p" => (
            docx(&nested_xml("<w:p><w:r>", "</w:r></w:p>", n)),
            "hostile.docx",
        ),
        _ => panic!("unknown kind {kind}"),
    }
}

fn nested_xml(open: &str, close: &str, n: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
    );
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str("<w:p><w:r><w:t>深</w:t></w:r></w:p>");
    for _ in 0..n {
        s.push_str(close);
    }
    s.push_str("</w:body></w:document>");
    s
}

/// A Word document whose `word/document.xml` is `xml` (stored, not compressed).
fn docx(xml: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// Seconds this thread has run on a CPU (Linux), so that timings hold on a busy machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn time(label: &str, bytes: &[u8], name: &Path) {
    let start = Instant::now();
    let cpu = cpu_seconds();
    let result = parse(bytes, Some(name), &Options::default());
    let wall = start.elapsed().as_secs_f64();
    let secs = cpu.zip(cpu_seconds()).map_or(wall, |(a, b)| b - a);
    let outcome = match &result {
        Ok(p) => format!("ok, {} diagnostics", p.report.diagnostics.len()),
        Err(e) => {
            let msg: String = e.to_string().chars().take(80).collect();
            format!("{}: {msg}", e.code())
        }
    };
    println!(
        "{label:<24} {:>12} bytes {secs:>9.3} s cpu  {outcome}",
        bytes.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") => {
            let [_, kind, n, file] = args.as_slice() else {
                panic!("gen KIND N FILE");
            };
            let (bytes, _) = generate(kind, n.parse().unwrap());
            std::fs::write(file, bytes).unwrap();
        }
        Some("debug") => {
            // Every result in full, to compare two builds' readings of the same files.
            for file in &args[1..] {
                let bytes = std::fs::read(file).unwrap();
                let result = parse(&bytes, Some(Path::new(file)), &Options::default());
                println!("== {file}\n{result:#?}");
            }
        }
        Some("read-text") => {
            // The text reader alone, and the peak memory it took (Linux).
            let text = std::fs::read_to_string(&args[1]).unwrap();
            let doc = xxgk_parse::text::read_text(&text);
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM"))
                        .map(str::to_owned)
                });
            println!("{} rows; {}", doc.rows.len(), peak.unwrap_or_default());
        }
        Some("file") => {
            for file in &args[1..] {
                let bytes = std::fs::read(file).unwrap();
                time(file, &bytes, Path::new(file));
            }
        }
        _ => {
            for pair in args.chunks(2) {
                let [kind, n] = pair else {
                    panic!("KIND N pairs");
                };
                let (bytes, name) = generate(kind, n.parse().unwrap());
                time(&format!("{kind} {n}"), &bytes, Path::new(name));
            }
        }
    }
}
