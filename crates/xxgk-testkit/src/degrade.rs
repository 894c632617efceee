//! Damaged renderings: a consistent report (from [`crate::synth`]) printed as text in the
//! national layout, clean or damaged the way real extractions damage it, with the truth of
//! every cell.
//!
//! The layout comes from the template metadata the model generates (section headings, column
//! captions and labels, group and row labels, in print order), never from a hand-written list
//! of labels: a template change is rendered with no change here. The damage kinds imitate the
//! phenomena of `shared/spec/real-world-layouts.md`; each [`Damage`] variant says which.
//!
//! [`render`] returns the text, the file name to parse it under (`report.txt` or `report.md`)
//! and, for every cell of the edition, a [`CellTruth`]: the value and whether the text still
//! prints it ([`Truth::Printed`]), prints it in a way that loses it (a dropped or merged cell, a
//! blank whose position vanished: [`Truth::Lost`]), or does not print it at all so that unknown
//! is the only right reading ([`Truth::Unknowable`]: the rows of a group printed as one row), with
//! the lines (and, on a one-line dump, the columns) where the cell's row is printed.
//!
//! ```
//! use xxgk_model::Edition;
//! use xxgk_testkit::{degrade::{Damage, render}, synth};
//! let mut rng = synth::Rng::new(7);
//! let report = synth::report(&mut rng, Edition::E2021, "某市甲区交通运输局", 2023);
//! let r = render(&report, Damage::Clean, &mut rng);
//! assert_eq!(r.name, "report.txt");
//! assert!(r.text.contains("三、收到和处理政府信息公开申请情况"));
//! assert_eq!(r.cells.len(), Edition::E2021.template().cell_ids().count());
//! ```

use crate::synth::Rng;
use xxgk_model::cell::{CellId, Value};
use xxgk_model::template::{Row, Table, TableLayout};
use xxgk_model::{Edition, Report};

/// A kind of damage, each imitating what real extractions do to the national layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Damage {
    /// No damage: the tables as tab-separated cells, one printed row a line, merged cells
    /// printed in their first row and empty below (a good text extraction of a Word or WPS
    /// PDF). The baseline: it must parse back exactly.
    Clean,
    /// A PDF→Markdown converter that detaches labels from numbers: a table's label lines
    /// (headers, sub-table captions, group and row labels) gathered in one place and its rows
    /// of bare numbers in another, as pipe rows without a label or as lines of numbers separated
    /// by spaces (where blank cells vanish); the number block sometimes before, sometimes after
    /// its labels, with a stray page number `1` on a line of its own between. Saved as `.md`.
    DetachedLabels,
    /// Markdown pipe tables broken into several small tables: generic numbered headers
    /// (`数据1 | 数据2 …`, `列1 …`) instead of the column labels, sometimes a "header" row that
    /// is really the last data row of the previous block's run (no generic header at all);
    /// the form's own header rows sometimes kept, sometimes lost. Saved as `.md` or, as OCR and
    /// converter output often is, as `.txt`.
    SplitTables,
    /// A crawler's text dump: the whole page on one line, table cells run together with no
    /// separator (`（一）予以公开7000007`); in some dumps a stray single space where an empty
    /// cell was, in others nothing.
    NoSeparators,
    /// An extractor lost one cell: one row prints one value too few (the values after it
    /// shift left). Tab-separated otherwise.
    DroppedCell,
    /// An extractor merged two neighbouring cells: one row prints two values run together
    /// (`12` and `3` as `123`). Tab-separated otherwise.
    MergedCells,
    /// Page breaks inside tables: stray page numbers and footers (`-3-`, `— 3 —`, a bare `3`)
    /// on lines of their own between rows, and one inside a row whose label is wrapped over
    /// two lines. Tab-separated otherwise.
    PageNumbers,
    /// A group printed as one row holding the sum of its rows, without its numbered sub-rows:
    /// 2021-edition reports printing （六）其他处理 as the 2019 edition did, and other samples
    /// doing so for another group (（三）不予公开, （四）无法提供, （五）不予处理). The sub-rows'
    /// cells are not recoverable: unknown is right.
    GroupAsOneRow,
    /// Labels damaged by an extractor: a character missing (`2.其他法律行政止公开`) or the
    /// label cut short (`行政机关不再处理其政府信息公`). Tab-separated otherwise.
    LabelTypo,
}

impl Damage {
    /// Every kind, `Clean` first.
    pub const ALL: [Damage; 9] = [
        Damage::Clean,
        Damage::DetachedLabels,
        Damage::SplitTables,
        Damage::NoSeparators,
        Damage::DroppedCell,
        Damage::MergedCells,
        Damage::PageNumbers,
        Damage::GroupAsOneRow,
        Damage::LabelTypo,
    ];

    /// The variant's name, for tables and messages.
    pub fn name(self) -> &'static str {
        match self {
            Damage::Clean => "Clean",
            Damage::DetachedLabels => "DetachedLabels",
            Damage::SplitTables => "SplitTables",
            Damage::NoSeparators => "NoSeparators",
            Damage::DroppedCell => "DroppedCell",
            Damage::MergedCells => "MergedCells",
            Damage::PageNumbers => "PageNumbers",
            Damage::GroupAsOneRow => "GroupAsOneRow",
            Damage::LabelTypo => "LabelTypo",
        }
    }
}

/// What the text says about one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// The text prints the value in a cell of its own (or, in a one-line dump, run together
    /// with its neighbours but complete): reading it back is right, unknown is flagged.
    Printed(Value),
    /// The cell's value is this but the text lost it (a dropped cell, two cells merged, a blank
    /// whose position vanished): recovering it from the constraints is right, unknown is
    /// flagged. A lost blank read as zero is right too.
    Lost(Value),
    /// The text does not print the cell and nothing determines it (a sub-row of a group printed
    /// as one row): unknown is right, any value is wrong.
    Unknowable,
}

impl Truth {
    /// Is `parsed` a right reading of the cell? (`Unknown` is right only for `Unknowable`.)
    pub fn accepts(&self, parsed: &Value) -> bool {
        match self {
            Truth::Printed(v) => v == parsed,
            Truth::Lost(v) => {
                v == parsed
                    || (matches!(v, Value::Blank) && matches!(parsed, Value::Count(0)))
                    || (matches!(v, Value::Count(0)) && matches!(parsed, Value::Blank))
            }
            Truth::Unknowable => *parsed == Value::Unknown,
        }
    }
}

/// Where a cell's row is printed: a line and, when several rows share the line (a one-line
/// dump), the row's 1-based character columns (first and last, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The 1-based line.
    pub line: u32,
    /// The row's first and last character columns, when it shares the line; `None`: the
    /// whole line.
    pub columns: Option<(u32, u32)>,
}

impl Span {
    /// Does a diagnostic at `line:column` point into this span?
    pub fn contains(&self, line: u32, column: u32) -> bool {
        line == self.line && self.columns.is_none_or(|(a, b)| (a..=b).contains(&column))
    }
}

/// The truth of one cell of a rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellTruth {
    /// The cell.
    pub cell: CellId,
    /// What a parser may rightly read for it.
    pub truth: Truth,
    /// The text of the cell as printed (`""` for blank; for a merged cell, the merged text;
    /// `None` when not printed).
    pub printed: Option<String>,
    /// Where its row's label and values are printed (empty when not printed).
    pub spans: Vec<Span>,
}

/// A group printed as one row ([`Damage::GroupAsOneRow`]): what the row prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTruth {
    /// The id of the table the group belongs to.
    pub table: &'static str,
    /// The group's dotted path (`outcomes.other`).
    pub path: String,
    /// The group's label as printed.
    pub label: &'static str,
    /// Per column id, the sum of the group's rows as printed (blank when every row is blank or
    /// not applicable).
    pub values: Vec<(&'static str, Value)>,
}

/// A report rendered as (damaged) text, with the truth of every cell.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The damage done to the text.
    pub damage: Damage,
    /// The file name to parse the text under: `report.txt` or `report.md`.
    pub name: &'static str,
    /// The text to parse.
    pub text: String,
    /// Every cell of the edition, in print order.
    pub cells: Vec<CellTruth>,
    /// Groups printed as one row.
    pub groups: Vec<GroupTruth>,
    /// What was damaged, in a few words (which row, which cell), for messages.
    pub note: String,
}

impl Rendered {
    /// The truth of `cell`.
    pub fn truth(&self, cell: CellId) -> Option<&CellTruth> {
        self.cells.iter().find(|t| t.cell == cell)
    }
}

/// Render `report` in the national layout with `damage`; `rng` chooses where and how.
pub fn render(report: &Report, damage: Damage, rng: &mut Rng) -> Rendered {
    let mut form = form(report);
    let mut out = Out::new(report);
    let mut note = String::new();
    let mut groups = Vec::new();
    let name = match damage {
        Damage::Clean => {
            write_tabs(&form, &mut out);
            "report.txt"
        }
        Damage::DetachedLabels => {
            write_detached(&form, rng, &mut out);
            "report.md"
        }
        Damage::SplitTables => {
            write_split(&form, rng, &mut out);
            if rng.chance(1, 2) {
                "report.md"
            } else {
                "report.txt"
            }
        }
        Damage::NoSeparators => {
            write_one_line(&form, rng.chance(1, 2), &mut out);
            "report.txt"
        }
        Damage::DroppedCell => {
            note = drop_cell(&mut form, rng, &mut out);
            write_tabs(&form, &mut out);
            "report.txt"
        }
        Damage::MergedCells => {
            note = merge_cells(&mut form, rng, &mut out);
            write_tabs(&form, &mut out);
            "report.txt"
        }
        Damage::PageNumbers => {
            note = page_numbers(&mut form, rng);
            write_tabs(&form, &mut out);
            "report.txt"
        }
        Damage::GroupAsOneRow => {
            if let Some(g) = group_as_one_row(&mut form, report.edition(), rng, &mut out) {
                note = format!("{} printed as one row", g.path);
                groups.push(g);
            }
            write_tabs(&form, &mut out);
            "report.txt"
        }
        Damage::LabelTypo => {
            note = label_typos(&mut form, rng);
            write_tabs(&form, &mut out);
            "report.txt"
        }
    };
    Rendered {
        damage,
        name,
        text: out.text,
        cells: out.cells,
        groups,
        note,
    }
}

/// `report` in the national layout as a web page: the title, the prose and each section's
/// heading as elements, each table an HTML table (header rows of `<th>`, data rows of `<td>`,
/// a merged cell printed in its first row and empty cells below, as in the clean text).
/// Undamaged: it parses back exactly (the benchmark's HTML corpus, `cargo xtask bench-batch`).
pub fn render_html(report: &Report) -> String {
    render_page(report, Markup::Plain)
}

/// `report` as most reports are published (real-world-layouts.md): inside a portal's page,
/// with its stylesheet, script, menu, breadcrumb and footer, the prose and the tables as Word
/// exports them (every paragraph and cell a `<p class=MsoNormal>` holding a styled `<span>`,
/// widths and borders on every cell, blank cells `<o:p>&nbsp;</o:p>`). The same rows and
/// numbers as [`render_html`], in some twenty times the bytes (146 KB a page against 7):
/// undamaged, it parses back exactly (the benchmark's portal corpus).
pub fn render_portal_html(report: &Report) -> String {
    render_page(report, Markup::Portal)
}

/// How [`render_page`] writes a page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// The elements and nothing else.
    Plain,
    /// A portal's page, the report as Word exports it.
    Portal,
}

/// A portal page's head after its title: stylesheets and scripts, which no reader reads.
const PORTAL_HEAD: &str = r#"<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="某市人民政府门户网站">
<meta name="ColumnName" content="政府信息公开年度报告">
<link rel="stylesheet" type="text/css" href="/css/common.css">
<link rel="stylesheet" type="text/css" href="/css/article.css">
<style type="text/css">
body{margin:0;padding:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px;color:#333;background:#f5f5f5}
a{color:#333;text-decoration:none}a:hover{color:#c00}
.header{width:1200px;margin:0 auto;height:120px;background:url(/images/banner.jpg) no-repeat}
.nav{width:1200px;margin:0 auto;height:48px;background:#b30000}
.nav ul{margin:0;padding:0;list-style:none}.nav li{float:left;width:120px;text-align:center;line-height:48px}
.nav li a{color:#fff;font-size:16px}.location{width:1160px;margin:10px auto;padding:0 20px;line-height:36px}
.article{width:1100px;margin:0 auto;padding:30px 50px;background:#fff;min-height:600px}
.article h1{font-size:24px;text-align:center;line-height:40px;color:#000}
.article .info{text-align:center;color:#999;border-bottom:1px dashed #ccc;padding-bottom:10px}
.article table{margin:0 auto;border-collapse:collapse}.article td{border:1px solid #000}
.footer{width:1200px;margin:20px auto 0;padding:20px 0;text-align:center;color:#666;border-top:3px solid #b30000}
</style>
<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>
<script type="text/javascript">
var pageConfig = {siteId: 1, columnId: 1024, articleId: 20210128, share: true};
function setFontSize(size) { var body = document.getElementById("zoom"); if (body) { body.style.fontSize = size + "px"; } }
$(function () { $(".nav li").hover(function () { $(this).addClass("on"); }, function () { $(this).removeClass("on"); }); });
</script>
"#;

/// A portal page's masthead, menu and breadcrumb, before the article.
const PORTAL_TOP: &str = r#"<div class="header"><a href="/"><img src="/images/logo.png" alt="某市人民政府" width="520" height="90"></a></div>
<div class="nav">
<ul>
<li><a href="/">首页</a></li>
<li><a href="/zjxx/">走进本市</a></li>
<li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li>
<li><a href="/ztzl/">专题专栏</a></li>
</ul>
</div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年度报告</a></div>
"#;

/// A portal page's footer, after the article.
const PORTAL_FOOTER: &str = r#"<div class="footer">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/sybz/">使用帮助</a></p>
<p>主办：某市人民政府办公室　承办：某市大数据中心</p>
<p>网站标识码：0000000000　某ICP备00000000号</p>
</div>
"#;

/// [`render_html`] and [`render_portal_html`]: the form's lines, written as `markup` says.
fn render_page(report: &Report, markup: Markup) -> String {
    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    let portal = markup == Markup::Portal;
    let form = form(report);
    let title = form.first().map_or(String::new(), |l| escape(&l.stub[0]));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n"
    );
    if portal {
        out.push_str(PORTAL_HEAD);
        out.push_str("</head>\n<body>\n");
        out.push_str(PORTAL_TOP);
        out.push_str(&format!(
            "<div class=\"article\">\n<h1>{title}</h1>\n<div class=\"info\">来源：办公室　\
             字号：<a href=\"javascript:setFontSize(16)\">大</a> \
             <a href=\"javascript:setFontSize(14)\">中</a></div>\n<div id=\"zoom\">\n"
        ));
    } else {
        out.push_str(&format!("</head>\n<body>\n<article>\n<h1>{title}</h1>\n"));
    }
    // Word's paragraph and cell markup around a text.
    let paragraph = |text: &str, out: &mut String| {
        out.push_str(&format!(
            "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;\
             mso-line-height-rule:exactly'><span style='font-size:16.0pt;\
             font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>{text}</span></p>\n"
        ));
    };
    // As in the Word export the fixtures reproduce (some 350 bytes a cell).
    let cell = |text: &str, width: usize, out: &mut String| {
        let content = if text.is_empty() {
            "<span lang=EN-US style='font-size:10.0pt'><o:p>&nbsp;</o:p></span>".to_owned()
        } else {
            format!(
                "<span style='font-size:10.0pt;font-family:宋体;mso-ascii-font-family:\
                 \"Times New Roman\"'>{text}</span>"
            )
        };
        out.push_str(&format!(
            "  <td width={width} valign=top style='width:{}.00pt;border:solid windowtext 1.0pt;\
             border-top:none;mso-border-top-alt:solid windowtext .5pt;mso-border-alt:solid \
             windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>\n  <p class=MsoNormal align=center \
             style='text-align:center'>{content}</p>\n  </td>\n",
            width * 3 / 4
        ));
    };
    let mut in_table = false;
    for line in form.iter().skip(1) {
        let row = matches!(line.kind, Kind::Header | Kind::Data | Kind::LabelPart);
        if !row && in_table {
            out.push_str("</table>\n");
            in_table = false;
        }
        match line.kind {
            Kind::Prose | Kind::Footer if line.stub[0].is_empty() => {}
            Kind::Prose | Kind::Footer if portal => paragraph(&escape(&line.stub[0]), &mut out),
            Kind::Prose | Kind::Footer => {
                out.push_str(&format!("<p>{}</p>\n", escape(&line.stub[0])));
            }
            Kind::Heading if portal => out.push_str(&format!(
                "<h2 style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;\
                 font-family:黑体'>{}</span></h2>\n",
                escape(&line.stub[0])
            )),
            Kind::Heading => out.push_str(&format!("<h2>{}</h2>\n", escape(&line.stub[0]))),
            Kind::Header | Kind::Data | Kind::LabelPart => {
                if !in_table {
                    out.push_str(if portal {
                        "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 \
                         width=605 style='width:453.6pt;border-collapse:collapse;border:none;\
                         mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184'>\n"
                    } else {
                        "<table class=\"report\">\n"
                    });
                    in_table = true;
                }
                let texts = line.stub.iter().chain(line.cells.iter().map(|c| &c.text));
                if portal {
                    out.push_str(" <tr style='mso-yfti-irow:1;height:20.0pt'>\n");
                    for (i, text) in texts.enumerate() {
                        cell(&escape(text), if i == 0 { 160 } else { 64 }, &mut out);
                    }
                    out.push_str(" </tr>\n");
                    continue;
                }
                let tag = if line.kind == Kind::Header {
                    "th"
                } else {
                    "td"
                };
                out.push_str("  <tr>");
                for text in texts {
                    out.push_str(&format!("<{tag}>{}</{tag}>", escape(text)));
                }
                out.push_str("</tr>\n");
            }
        }
    }
    if in_table {
        out.push_str("</table>\n");
    }
    if portal {
        out.push_str("</div>\n</div>\n");
        out.push_str(PORTAL_FOOTER);
        out.push_str("</body>\n</html>\n");
    } else {
        out.push_str("</article>\n</body>\n</html>\n");
    }
    out
}

// --- The form: the report laid out as printed lines -----------------------------------------

/// What a printed line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Prose or a heading: one text.
    Prose,
    /// A section heading of a table.
    Heading,
    /// A sub-table caption or a header row of a table.
    Header,
    /// A row of values with its label cells.
    Data,
    /// A stray page number or footer.
    Footer,
    /// The first part of a wrapped label (no values).
    LabelPart,
}

/// A value cell as printed.
#[derive(Debug, Clone)]
struct FormCell {
    /// The cells this printed cell stands for (two when merged).
    ids: Vec<CellId>,
    text: String,
}

/// A printed line of the form.
#[derive(Debug, Clone)]
struct Line {
    kind: Kind,
    table: Option<&'static str>,
    /// Label or header cells (for prose, one text).
    stub: Vec<String>,
    cells: Vec<FormCell>,
    /// For a [`Kind::LabelPart`]: the cells of the row it is part of (spans recorded here too).
    part_of: Vec<CellId>,
}

impl Line {
    fn prose(kind: Kind, text: impl Into<String>) -> Line {
        Line {
            kind,
            table: None,
            stub: vec![text.into()],
            cells: Vec::new(),
            part_of: Vec::new(),
        }
    }
}

/// A value as the national form prints it.
fn printed(value: &Value) -> String {
    match value {
        Value::Unknown | Value::Blank => String::new(),
        Value::NotApplicable => "/".into(),
        Value::Count(n) => n.to_string(),
        Value::SignedCount(n) => n.to_string(),
        Value::Amount(a) => format!("{}{}", a.value, a.unit.as_str()),
    }
}

fn value_of(report: &Report, id: CellId) -> Value {
    report
        .tables
        .cell(id.table, id.row, id.column)
        .map_or(Value::Unknown, |c| c.value)
}

/// The report laid out from the template: title, prose, each table's heading, header rows and
/// data rows, signature and date.
fn form(report: &Report) -> Vec<Line> {
    let edition = report.edition();
    let title = report.meta.title.clone().unwrap_or_else(|| {
        format!(
            "{}{}年{}",
            report.meta.agency.as_deref().unwrap_or(""),
            report.meta.year.unwrap_or(edition.first_year()),
            edition.template().title.unwrap_or("")
        )
    });
    let mut lines = vec![
        Line::prose(Kind::Prose, title),
        Line::prose(Kind::Prose, ""),
        Line::prose(
            Kind::Prose,
            "本报告为测试生成的占位文字，不描述任何真实机关的工作情况。",
        ),
        Line::prose(Kind::Prose, ""),
    ];
    for table in edition.template().tables {
        lines.push(Line::prose(Kind::Heading, table.label.title));
        let mut t = match table.layout {
            TableLayout::OneRow => one_row(report, table),
            TableLayout::Rows if uniform(table) => uniform_rows(report, table),
            TableLayout::Rows => sub_tables(report, table),
        };
        for l in &mut t {
            l.table = Some(table.id);
        }
        lines.extend(t);
        lines.push(Line::prose(Kind::Prose, ""));
    }
    lines.push(Line::prose(
        Kind::Prose,
        report.meta.agency.clone().unwrap_or_default(),
    ));
    if let Some(d) = report.meta.published {
        lines.push(Line::prose(
            Kind::Prose,
            format!("{}年{}月{}日", d.year, d.month, d.day),
        ));
    }
    lines
}

fn uniform(table: &Table) -> bool {
    table.rows.windows(2).all(|w| {
        w[0].columns
            .iter()
            .map(|c| c.id)
            .eq(w[1].columns.iter().map(|c| c.id))
    })
}

fn data_line(report: &Report, table: &Table, row: &Row, stub: Vec<String>) -> Line {
    Line {
        kind: Kind::Data,
        table: Some(table.id),
        stub,
        cells: row
            .columns
            .iter()
            .map(|c| {
                let id = CellId::new(table.id, row.path, c.id);
                FormCell {
                    ids: vec![id],
                    text: printed(&value_of(report, id)),
                }
            })
            .collect(),
        part_of: Vec::new(),
    }
}

fn header(stub: Vec<String>) -> Line {
    Line {
        kind: Kind::Header,
        table: None,
        stub,
        cells: Vec::new(),
        part_of: Vec::new(),
    }
}

/// Header rows over columns whose header paths (outermost first) are `paths`: each text
/// printed in the first column of its run, the rows below a merged cell left empty.
fn header_rows(paths: &[Vec<&'static str>], left: usize) -> Vec<Vec<String>> {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    (0..depth)
        .map(|level| {
            let mut cells = vec![String::new(); left];
            for (j, p) in paths.iter().enumerate() {
                let first = j == 0 || paths[j - 1].get(..=level) != p.get(..=level);
                cells.push(match p.get(level) {
                    Some(t) if first => (*t).to_owned(),
                    _ => String::new(),
                });
            }
            cells
        })
        .collect()
}

/// Section 三's shape: one header over every row, group labels in the stub.
fn uniform_rows(report: &Report, table: &'static Table) -> Vec<Line> {
    let columns = table.rows[0].columns;
    let stub = table.rows.iter().map(|r| r.groups.len()).max().unwrap_or(0) + 1;
    let paths: Vec<Vec<&'static str>> = columns
        .iter()
        .map(|c| c.captions.iter().copied().chain([c.label.title]).collect())
        .collect();
    let mut lines: Vec<Line> = header_rows(&paths, stub).into_iter().map(header).collect();
    if let (Some(first), Some(text)) = (lines.first_mut(), table.stub_header) {
        first.stub[0] = text.to_owned();
    }
    for (i, row) in table.rows.iter().enumerate() {
        let mut cells = vec![String::new(); stub];
        for (level, group) in row.groups.iter().enumerate() {
            let first = i == 0
                || table.rows[i - 1].groups.get(level).map(|g| g.id) != Some(group.id)
                || table.rows[i - 1].groups[..level] != row.groups[..level];
            if first {
                cells[level] = group.label.title.to_owned();
            }
        }
        cells[row.groups.len()] = row.label.title.to_owned();
        lines.push(data_line(report, table, row, cells));
    }
    lines
}

/// Section 二's shape: sub-tables, each a caption row, a header row and its rows.
fn sub_tables(report: &Report, table: &'static Table) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < table.rows.len() {
        let first = &table.rows[i];
        let same = |o: &Row| {
            o.captions == first.captions
                && o.columns
                    .iter()
                    .map(|c| c.id)
                    .eq(first.columns.iter().map(|c| c.id))
        };
        let end = i + table.rows[i..].iter().take_while(|o| same(o)).count();
        if !first.captions.is_empty() {
            let mut caption = vec![first.captions.join(" ")];
            caption.extend(first.columns.iter().map(|_| String::new()));
            lines.push(header(caption));
        }
        let mut h = vec![table.stub_header.unwrap_or("").to_owned()];
        h.extend(first.columns.iter().map(|c| c.label.title.to_owned()));
        lines.push(header(h));
        for row in &table.rows[i..end] {
            lines.push(data_line(
                report,
                table,
                row,
                vec![row.label.title.to_owned()],
            ));
        }
        i = end;
    }
    lines
}

/// Section 四's shape: every row a column group under its captions, one row of values.
fn one_row(report: &Report, table: &'static Table) -> Vec<Line> {
    let paths: Vec<Vec<&'static str>> = table
        .rows
        .iter()
        .flat_map(|r| {
            r.columns.iter().map(move |c| {
                r.captions
                    .iter()
                    .copied()
                    .chain([r.label.title])
                    .chain(c.captions.iter().copied())
                    .chain([c.label.title])
                    .collect()
            })
        })
        .collect();
    let mut lines: Vec<Line> = header_rows(&paths, 0).into_iter().map(header).collect();
    let mut values = Line {
        kind: Kind::Data,
        table: Some(table.id),
        stub: Vec::new(),
        cells: Vec::new(),
        part_of: Vec::new(),
    };
    for row in table.rows {
        values
            .cells
            .extend(data_line(report, table, row, Vec::new()).cells);
    }
    lines.push(values);
    lines
}

// --- Writing, with the truth of every cell ----------------------------------------------------

/// The text being written, its position, and the truth of every cell.
struct Out {
    text: String,
    line: u32,
    column: u32,
    /// Several rows share a line: spans carry columns.
    one_line: bool,
    cells: Vec<CellTruth>,
}

impl Out {
    fn new(report: &Report) -> Out {
        let cells = report
            .edition()
            .template()
            .cell_ids()
            .map(|id| {
                let value = value_of(report, id);
                CellTruth {
                    cell: id,
                    truth: Truth::Printed(value),
                    printed: Some(printed(&value)),
                    spans: Vec::new(),
                }
            })
            .collect();
        Out {
            text: String::new(),
            line: 1,
            column: 1,
            one_line: false,
            cells,
        }
    }

    fn truth_mut(&mut self, id: CellId) -> &mut CellTruth {
        self.cells
            .iter_mut()
            .find(|t| t.cell == id)
            .expect("a cell of the edition")
    }

    fn push(&mut self, s: &str) {
        for ch in s.chars() {
            if ch == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.text.push_str(s);
    }

    fn newline(&mut self) {
        self.push("\n");
    }

    /// Record that `ids`' row is printed on the current line, from column `start` to the
    /// current position.
    fn mark(&mut self, ids: &[CellId], start: u32) {
        let span = Span {
            line: self.line,
            columns: self
                .one_line
                .then(|| (start, self.column.max(start + 1) - 1)),
        };
        for id in ids {
            let t = self.truth_mut(*id);
            if !t.spans.contains(&span) {
                t.spans.push(span);
            }
        }
    }

    /// Set the truth of `id` to lost (the text no longer holds it as printed).
    fn lose(&mut self, id: CellId, printed: Option<String>) {
        let t = self.truth_mut(id);
        if let Truth::Printed(v) = t.truth {
            t.truth = Truth::Lost(v);
        }
        t.printed = printed;
    }
}

fn ids(line: &Line) -> Vec<CellId> {
    line.cells
        .iter()
        .flat_map(|c| c.ids.iter().copied())
        .chain(line.part_of.iter().copied())
        .collect()
}

/// Tab-separated: stub and value cells of a line joined by tabs.
fn write_tabs(form: &[Line], out: &mut Out) {
    for line in form {
        let start = out.column;
        let cells: Vec<&str> = line
            .stub
            .iter()
            .map(String::as_str)
            .chain(line.cells.iter().map(|c| c.text.as_str()))
            .collect();
        out.push(&cells.join("\t"));
        out.mark(&ids(line), start);
        out.newline();
    }
}

/// A pipe row.
fn pipe_row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

fn pipe_rule(n: usize) -> String {
    format!("|{}", "---|".repeat(n))
}

/// Lines outside tables (and headings) as they are; each table's block of lines to `write`.
fn for_each_table(form: &[Line], out: &mut Out, mut write: impl FnMut(&[Line], &mut Out)) {
    let mut i = 0;
    while i < form.len() {
        let Some(table) = form[i].table.filter(|_| form[i].kind != Kind::Heading) else {
            out.push(&form[i].stub.join(""));
            out.newline();
            i += 1;
            continue;
        };
        let end = i + form[i..]
            .iter()
            .take_while(|l| l.table == Some(table) && l.kind != Kind::Heading)
            .count();
        write(&form[i..end], out);
        i = end;
    }
}

/// [`Damage::DetachedLabels`]: per table, a block of label lines and a block of number rows.
fn write_detached(form: &[Line], rng: &mut Rng, out: &mut Out) {
    for_each_table(form, out, |block, out| {
        let pipes = rng.chance(1, 2);
        let numbers_first = rng.chance(1, 2);
        let write_labels = |out: &mut Out| {
            for l in block {
                let text: Vec<&str> = l
                    .stub
                    .iter()
                    .map(String::as_str)
                    .filter(|s| !s.is_empty())
                    .collect();
                if text.is_empty() {
                    continue;
                }
                let start = out.column;
                out.push(&text.join(" "));
                out.mark(&ids(l), start);
                out.newline();
            }
        };
        let write_numbers = |out: &mut Out| {
            for l in block.iter().filter(|l| l.kind == Kind::Data) {
                let start = out.column;
                if pipes {
                    let cells: Vec<String> = l.cells.iter().map(|c| c.text.clone()).collect();
                    out.push(&pipe_row(&cells));
                } else {
                    let cells: Vec<&str> = l
                        .cells
                        .iter()
                        .map(|c| c.text.as_str())
                        .filter(|t| !t.is_empty())
                        .collect();
                    out.push(&cells.join(" "));
                    for c in l.cells.iter().filter(|c| c.text.is_empty()) {
                        for id in &c.ids {
                            out.lose(*id, None);
                        }
                    }
                }
                out.mark(&ids(l), start);
                out.newline();
            }
        };
        if numbers_first {
            write_numbers(out);
            out.newline();
            out.push("1");
            out.newline();
            out.newline();
            write_labels(out);
        } else {
            write_labels(out);
            out.newline();
            out.push("1");
            out.newline();
            out.newline();
            write_numbers(out);
        }
    });
}

/// [`Damage::SplitTables`]: pipe tables of a few rows each, with generic or borrowed headers.
fn write_split(form: &[Line], rng: &mut Rng, out: &mut Out) {
    for_each_table(form, out, |block, out| {
        let keep_headers = rng.chance(1, 2);
        let rows: Vec<&Line> = block
            .iter()
            .filter(|l| keep_headers || l.kind == Kind::Data)
            .collect();
        let generic = if rng.chance(1, 2) { "数据" } else { "列" };
        let mut k = 0;
        while k < rows.len() {
            let n = (2 + rng.below(5) as usize).min(rows.len() - k);
            let chunk = &rows[k..k + n];
            let width = chunk
                .iter()
                .map(|l| l.stub.len() + l.cells.len())
                .max()
                .unwrap_or(1);
            // A generic header, or none: the chunk's first row stands where a header would.
            let borrowed = k > 0 && rng.chance(1, 3);
            let mut first = true;
            if !borrowed {
                let h: Vec<String> = (1..=width).map(|j| format!("{generic}{j}")).collect();
                out.push(&pipe_row(&h));
                out.newline();
                out.push(&pipe_rule(width));
                out.newline();
                first = false;
            }
            for l in chunk {
                let mut cells: Vec<String> = l.stub.clone();
                cells.extend(l.cells.iter().map(|c| c.text.clone()));
                cells.resize(width, String::new());
                let start = out.column;
                out.push(&pipe_row(&cells));
                out.mark(&ids(l), start);
                out.newline();
                if first {
                    out.push(&pipe_rule(width));
                    out.newline();
                    first = false;
                }
            }
            out.newline();
            k += n;
        }
    });
}

/// [`Damage::NoSeparators`]: the whole page on one line, cells run together.
fn write_one_line(form: &[Line], spaces: bool, out: &mut Out) {
    out.one_line = true;
    for line in form {
        let start = out.column;
        for s in &line.stub {
            out.push(s);
        }
        for c in &line.cells {
            if c.text.is_empty() {
                if spaces {
                    out.push(" ");
                }
                for id in &c.ids {
                    out.lose(*id, None);
                }
            } else {
                out.push(&c.text);
            }
        }
        out.mark(&ids(line), start);
    }
    out.newline();
}

/// Data rows with at least `min` value cells: their indices in `form`.
fn data_rows(form: &[Line], min: usize) -> Vec<usize> {
    form.iter()
        .enumerate()
        .filter(|(_, l)| l.kind == Kind::Data && l.cells.len() >= min)
        .map(|(i, _)| i)
        .collect()
}

/// [`Damage::DroppedCell`]: one value cell of one row removed.
fn drop_cell(form: &mut [Line], rng: &mut Rng, out: &mut Out) -> String {
    let rows = data_rows(form, 2);
    let i = *rng.pick(&rows);
    // Prefer a printed value: dropping a blank is the same as dropping nothing visible.
    let filled: Vec<usize> = (0..form[i].cells.len())
        .filter(|&k| !form[i].cells[k].text.is_empty())
        .collect();
    let k = if filled.is_empty() {
        rng.below(form[i].cells.len() as u64) as usize
    } else {
        *rng.pick(&filled)
    };
    let cell = form[i].cells.remove(k);
    for id in &cell.ids {
        out.lose(*id, None);
    }
    // The row's spans still cover the lost cell.
    form[i].part_of.extend(cell.ids.iter().copied());
    format!("{} dropped (printed {:?})", cell.ids[0], cell.text)
}

/// [`Damage::MergedCells`]: two neighbouring values of one row run together.
fn merge_cells(form: &mut [Line], rng: &mut Rng, out: &mut Out) -> String {
    let numeric = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut pairs = Vec::new();
    for i in data_rows(form, 2) {
        for k in 0..form[i].cells.len() - 1 {
            if numeric(&form[i].cells[k].text) && numeric(&form[i].cells[k + 1].text) {
                pairs.push((i, k));
            }
        }
    }
    let Some(&(i, k)) = (!pairs.is_empty()).then(|| rng.pick(&pairs)) else {
        return drop_cell(form, rng, out);
    };
    let second = form[i].cells.remove(k + 1);
    let first = &mut form[i].cells[k];
    let was = format!("{} and {}", first.text, second.text);
    first.text.push_str(&second.text);
    first.ids.extend(second.ids);
    let (ids, text) = (first.ids.clone(), first.text.clone());
    for id in &ids {
        out.lose(*id, Some(text.clone()));
    }
    format!("{} and {} merged: {was} printed as {text}", ids[0], ids[1])
}

/// A page footer with page number `n`, in one of the shapes real reports print.
fn footer(rng: &mut Rng, n: u64) -> String {
    match rng.below(3) {
        0 => format!("-{n}-"),
        1 => format!("— {n} —"),
        _ => n.to_string(),
    }
}

/// [`Damage::PageNumbers`]: footers between rows, and one inside a wrapped label.
fn page_numbers(form: &mut Vec<Line>, rng: &mut Rng) -> String {
    let mut page = 1 + rng.below(3);
    let mut notes = Vec::new();
    // A wrapped label with the page break inside: a long row label of a table with rows.
    let long: Vec<usize> = form
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.kind == Kind::Data
                && !l.stub.is_empty()
                && l.stub.last().is_some_and(|s| s.chars().count() >= 8)
        })
        .map(|(i, _)| i)
        .collect();
    if !long.is_empty() {
        let i = *rng.pick(&long);
        let label = form[i].stub.last().cloned().unwrap_or_default();
        let chars: Vec<char> = label.chars().collect();
        let cut = chars.len() / 2;
        let head: String = chars[..cut].iter().collect();
        let tail: String = chars[cut..].iter().collect();
        let mut part = form[i].clone();
        part.kind = Kind::LabelPart;
        part.part_of = ids(&form[i]);
        part.cells.clear();
        *part.stub.last_mut().expect("a label") = head;
        // The group labels stand on the first line; the second holds the label's rest.
        for s in &mut form[i].stub {
            s.clear();
        }
        *form[i].stub.last_mut().expect("a label") = tail;
        page += 1;
        let f = footer(rng, page);
        notes.push(format!("{f:?} inside the label of line {}", i + 1));
        form.insert(i, Line::prose(Kind::Footer, f));
        form.insert(i, part);
    }
    // Footers between rows (after a data row, before the next row).
    for _ in 0..2 + rng.below(3) {
        let rows: Vec<usize> = form
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                l.kind == Kind::Data && form.get(i + 1).is_some_and(|n| n.table.is_some())
            })
            .map(|(i, _)| i)
            .collect();
        let i = *rng.pick(&rows);
        page += 1;
        let f = footer(rng, page);
        notes.push(format!("{f:?} after a row"));
        let mut l = Line::prose(Kind::Footer, f);
        l.table = form[i].table;
        form.insert(i + 1, l);
    }
    notes.join(", ")
}

/// [`Damage::GroupAsOneRow`]: one group of rows printed as one row holding their sum.
fn group_as_one_row(
    form: &mut Vec<Line>,
    edition: Edition,
    rng: &mut Rng,
    out: &mut Out,
) -> Option<GroupTruth> {
    // Groups nested in another group (（三）…（六）, not 三、本年度办理结果 itself), with their
    // table, path and rows.
    let mut candidates: Vec<(&'static Table, usize, String)> = Vec::new();
    for table in edition.template().tables {
        for row in table.rows {
            for level in 1..row.groups.len() {
                let path = row
                    .path
                    .split('.')
                    .take(level + 1)
                    .collect::<Vec<_>>()
                    .join(".");
                if !candidates
                    .iter()
                    .any(|(t, _, p)| t.id == table.id && *p == path)
                {
                    candidates.push((table, level, path));
                }
            }
        }
    }
    if candidates.is_empty() {
        return None;
    }
    // Mostly the last group (（六）其他处理 in the 2021 edition), else another.
    let (table, level, path) = if rng.chance(1, 2) {
        candidates.last().cloned()?
    } else {
        rng.pick(&candidates).clone()
    };
    let prefix = format!("{path}.");
    let rows: Vec<usize> = form
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.kind == Kind::Data
                && l.table == Some(table.id)
                && l.cells
                    .first()
                    .is_some_and(|c| c.ids[0].row.starts_with(&prefix))
        })
        .map(|(i, _)| i)
        .collect();
    let (&first, &last) = (rows.first()?, rows.last()?);
    let template_row = table.row(form[first].cells[0].ids[0].row)?;
    let group = template_row.groups[level];
    let mut values = Vec::new();
    let mut cells = Vec::new();
    for (k, c) in template_row.columns.iter().enumerate() {
        let mut sum = 0i64;
        let mut any = false;
        for &i in &rows {
            let id = form[i].cells[k].ids[0];
            let t = out.truth_mut(id);
            if let Truth::Printed(Value::Count(n)) = t.truth {
                sum += n as i64;
                any = true;
            }
            t.truth = Truth::Unknowable;
            t.printed = None;
        }
        let v = if any {
            Value::Count(sum as u64)
        } else {
            Value::Blank
        };
        values.push((c.id, v));
        cells.push(FormCell {
            ids: Vec::new(),
            text: printed(&v),
        });
    }
    // The group's row: the enclosing group labels its first row printed, then the group label.
    let mut stub = form[first].stub.clone();
    for s in &mut stub[level + 1..] {
        s.clear();
    }
    stub[level] = group.label.title.to_owned();
    let line = Line {
        kind: Kind::Data,
        table: Some(table.id),
        stub,
        cells,
        part_of: Vec::new(),
    };
    form.splice(first..=last, [line]);
    Some(GroupTruth {
        table: table.id,
        path,
        label: group.label.title,
        values,
    })
}

/// Where a label's numbering (`（三）`, `2.`, `一、`) ends, in chars.
fn numbering_end(chars: &[char]) -> usize {
    chars
        .iter()
        .take_while(|&&c| {
            c.is_ascii_digit()
                || xxgk_model::template::NUMERALS.contains(c)
                || "（）()、.． ".contains(c)
        })
        .count()
}

/// [`Damage::LabelTypo`]: one or two row labels with a character missing or cut short.
fn label_typos(form: &mut [Line], rng: &mut Rng) -> String {
    let rows: Vec<usize> = form
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.kind == Kind::Data
                && l.stub.last().is_some_and(|s| {
                    let c: Vec<char> = s.chars().collect();
                    c.len() >= numbering_end(&c) + 5
                })
        })
        .map(|(i, _)| i)
        .collect();
    let mut notes = Vec::new();
    for _ in 0..1 + rng.below(2) {
        let i = *rng.pick(&rows);
        let Some(label) = form[i].stub.last_mut() else {
            continue;
        };
        let chars: Vec<char> = label.chars().collect();
        let start = numbering_end(&chars);
        let damaged: String = if rng.chance(1, 2) {
            // A character missing inside the label.
            let k = start + 1 + rng.below((chars.len() - start - 2) as u64) as usize;
            chars[..k].iter().chain(&chars[k + 1..]).collect()
        } else {
            // Cut short: the label's end lost.
            let keep = start + (chars.len() - start) * 3 / 5;
            chars[..keep.max(start + 3)].iter().collect()
        };
        notes.push(format!("{label} printed as {damaged}"));
        *label = damaged;
    }
    notes.join(", ")
}
