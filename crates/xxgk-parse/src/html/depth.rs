//! A cap on how deep a page nests its elements.
//!
//! html5ever's tree builder looks down its stack of open elements for every block start tag
//! (`<div>` closes a `<p>` open "in button scope", `<li>` an open `<li>`), so a page of N
//! nested `<div>`s costs N² steps: 20,000 levels took 2.6 s, 50,000 took 51 s. Browsers cap
//! the depth for the same reason (Chromium at 512). Before the page is parsed, this pass
//! follows its nesting the way the tree builder will — an end tag closes the nearest open
//! element of its name; elements whose end tag may be left out (`p`, `li`, `td`, `tr`, …) are
//! closed by the tags that close them; void and raw-text elements never stay open — and drops
//! the tags of elements opened deeper than [`MAX_DEPTH`]. Their text stays, read as if the
//! markup around it were not there; a block's tags become line breaks (`<br>`), so the
//! flattened text still breaks where its blocks did. A page nesting no deeper is parsed as
//! it is, and a flattened one is named by a warning (see the reader).
//!
//! The pass is linear: each search of the stack is skipped unless an element of the name
//! sought is open (counts per name), and looks at most [`MAX_DEPTH`] entries down.

use std::collections::HashMap;

use super::stream::{Tag, markup};
use super::walk::is_block;

/// Elements nested deeper than this are read as plain text.
pub(crate) const MAX_DEPTH: usize = 256;

/// Elements that never have content: no end tag, never on the stack.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose content is text, up to their end tag (the scanner skips it): they never
/// stay open, and their tags are never dropped (the text would become visible).
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
            | "title"
            | "textarea"
    )
}

/// Start tags that close an open `<p>` (in button scope): the blocks but the parts of tables,
/// forms and framesets and the page's own elements.
fn closes_p(name: &str) -> bool {
    let table_part = matches!(
        name,
        "caption" | "colgroup" | "col" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
    );
    let form_part = matches!(
        name,
        "select" | "optgroup" | "option" | "textarea" | "legend"
    );
    let page = matches!(
        name,
        "html" | "body" | "frameset" | "frame" | "iframe" | "br"
    );
    is_block(name) && !(table_part || form_part || page)
}

/// Elements a search for an open `<p>`, `<a>` or `<button>` does not look past.
fn is_scope_boundary(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "table"
            | "td"
            | "th"
            | "caption"
            | "marquee"
            | "object"
            | "applet"
            | "template"
            | "button"
    )
}

/// Elements a search for an open `<li>`, `<dd>` or `<dt>` does not look past.
fn is_list_boundary(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "body"
            | "table"
            | "td"
            | "th"
            | "caption"
            | "ul"
            | "ol"
            | "dl"
            | "menu"
            | "template"
    )
}

/// `<h1>` … `<h6>`.
pub(super) fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// An open element: its lower-case name, and whether it is inside `<svg>` or `<math>` (where
/// `/>` closes any element).
struct Open {
    name: String,
    foreign: bool,
}

/// The open elements as the tree builder will have them (approximately).
#[derive(Default)]
struct Stack {
    open: Vec<Open>,
    /// Open elements per name, so that a search for a name not open costs nothing.
    count: HashMap<String, usize>,
}

impl Stack {
    /// Index of the nearest open element `name` satisfies, not looking past one `stop`
    /// satisfies nor further than [`MAX_DEPTH`] entries down.
    fn find(&self, name: impl Fn(&str) -> bool, stop: impl Fn(&str) -> bool) -> Option<usize> {
        for (k, open) in self.open.iter().enumerate().rev().take(MAX_DEPTH) {
            if name(&open.name) {
                return Some(k);
            }
            if stop(&open.name) {
                return None;
            }
        }
        None
    }

    fn is_open(&self, name: &str) -> bool {
        self.count.get(name).is_some_and(|&c| c > 0)
    }

    /// Close the nearest open `name` (and what is open inside it), searching as
    /// [`find`](Stack::find) does.
    fn close(&mut self, name: &str, stop: impl Fn(&str) -> bool) {
        if self.is_open(name)
            && let Some(k) = self.find(|n| n == name, stop)
        {
            self.truncate(k);
        }
    }

    fn truncate(&mut self, len: usize) {
        while self.open.len() > len {
            if let Some(open) = self.open.pop()
                && let Some(c) = self.count.get_mut(&open.name)
            {
                *c = c.saturating_sub(1);
            }
        }
    }

    fn push(&mut self, name: String, foreign: bool) {
        *self.count.entry(name.clone()).or_default() += 1;
        self.open.push(Open { name, foreign });
    }

    /// Close the current element if `is` says so (an element closed by its next sibling).
    fn pop_if(&mut self, is: impl Fn(&str) -> bool) {
        if self.open.last().is_some_and(|o| is(&o.name)) {
            self.truncate(self.open.len() - 1);
        }
    }

    /// A start tag: returns whether to keep it.
    fn start(&mut self, name: String, self_closing: bool) -> bool {
        let name_is = |n: &str| name == n;
        if matches!(
            name.as_str(),
            "html" | "body" | "head" | "frameset" | "form"
        ) && self.is_open(&name)
        {
            // Ignored by the tree builder (a second `<body>`, a form inside a form).
            return true;
        }
        if closes_p(&name) {
            self.close("p", is_scope_boundary);
        }
        match name.as_str() {
            "li" => self.close("li", is_list_boundary),
            "dd" | "dt" => {
                for n in ["dd", "dt"] {
                    self.close(n, is_list_boundary);
                }
            }
            "td" | "th" => {
                for n in ["td", "th"] {
                    self.close(n, |n| matches!(n, "table" | "tr"));
                }
            }
            "tr" => self.close("tr", name_is_table),
            "thead" | "tbody" | "tfoot" => {
                for n in ["thead", "tbody", "tfoot"] {
                    self.close(n, name_is_table);
                }
            }
            // A table opened in a table (not in one of its cells) closes it.
            "table" => {
                if self.is_open("table")
                    && let Some(k) = self.find(
                        |n| matches!(n, "table" | "td" | "th" | "caption"),
                        |_| false,
                    )
                    && self.open[k].name == "table"
                {
                    self.truncate(k);
                }
            }
            "a" | "nobr" | "button" => self.close(&name, is_scope_boundary),
            "option" => self.pop_if(|n| n == "option"),
            "optgroup" => {
                for n in ["option", "optgroup"] {
                    self.pop_if(|t| t == n);
                }
            }
            _ if is_heading(&name) => self.pop_if(is_heading),
            _ => {}
        }
        let foreign =
            self.open.last().is_some_and(|o| o.foreign) || name_is("svg") || name_is("math");
        if is_void(&name) || is_raw_text(&name) || (self_closing && foreign) {
            return true;
        }
        let keep = self.open.len() < MAX_DEPTH;
        self.push(name, foreign);
        keep
    }

    /// An end tag: returns whether to keep it.
    fn end(&mut self, name: &str) -> bool {
        if !self.is_open(name) {
            return true;
        }
        match self.find(|n| n == name, |_| false) {
            Some(k) => {
                self.truncate(k);
                k < MAX_DEPTH
            }
            None => true,
        }
    }
}

fn name_is_table(name: &str) -> bool {
    name == "table"
}

/// `src` with the tags of elements nested deeper than [`MAX_DEPTH`] dropped (a block's
/// replaced by `<br>`); `None` when the page nests no deeper.
pub(super) fn flatten(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut stack = Stack::default();
    let mut out: Option<String> = None;
    // Source copied to `out` up to here.
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|&c| c == b'<'))
    {
        let at = i + p;
        let markup = markup(src, at);
        i = markup.next.max(at + 1);
        if let Some(end) = markup.rcdata_end {
            i = i.max(end);
        }
        let Some(Tag {
            name,
            end,
            self_closing,
        }) = markup.tag
        else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        let keep = if end {
            stack.end(&name)
        } else {
            stack.start(name.clone(), self_closing)
        };
        if !keep {
            // Raw-text tags are always kept, so `i` is the end of this tag.
            let out = out.get_or_insert_with(|| String::with_capacity(src.len()));
            out.push_str(src.get(copied..at).unwrap_or(""));
            if is_block(&name) {
                out.push_str("<br>");
            }
            copied = i;
        }
    }
    let mut out = out?;
    out.push_str(src.get(copied..).unwrap_or(""));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::read_html;
    use crate::html::tests::{Rng, cells, grid, mutate, texts};

    fn nested(open: &str, middle: &str, close: &str, n: usize) -> String {
        open.repeat(n) + middle + &close.repeat(n)
    }

    #[test]
    fn a_page_within_the_cap_is_untouched() {
        for src in [
            "",
            "<p>a<p>b",
            &nested("<div>", "x", "</div>", MAX_DEPTH),
            // Implied end tags keep the stack shallow however many siblings.
            &format!("<table>{}</table>", "<tr><td>a<td>b".repeat(5000)),
            &format!("<ul>{}</ul>", "<li>a".repeat(5000)),
            &format!("<dl>{}</dl>", "<dt>a<dd>b".repeat(5000)),
            &format!("<select>{}</select>", "<option>a".repeat(5000)),
            &"<p>a".repeat(5000),
            &"<a href=1>a".repeat(5000),
            &"<h1>a<h2>b".repeat(5000),
            &"<div><span>a</div>".repeat(5000),
            &"<svg><path/><path d=x/></svg>".repeat(5000),
            &"<body><form>".repeat(5000),
            &"<br><img src=x><hr/><script>a<div></script><title><div></title>".repeat(5000),
        ] {
            assert_eq!(flatten(src), None, "{}", &src[..src.len().min(60)]);
        }
    }

    #[test]
    fn real_pages_and_their_mutations_are_never_flattened() {
        let pages = [
            include_str!("../../tests/fixtures/html/word-export-2021.html"),
            include_str!("../../tests/fixtures/html/word-section3.html"),
            include_str!("../../tests/fixtures/html/plain-2019.html"),
            include_str!("../../tests/fixtures/html/portal-page.html"),
        ];
        let snippets = [
            "<td>", "</td>", "<tr>", "<table>", "</table>", "<p>", "<div>", "<!--", "<li>", "<",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for page in pages {
            assert_eq!(flatten(page), None);
            for _ in 0..50 {
                let s = mutate(&mut rng, page, &snippets);
                assert_eq!(flatten(&s), None);
            }
        }
    }

    #[test]
    fn deep_nesting_is_flattened_past_the_cap() {
        let n = 5 * MAX_DEPTH;
        let src = nested("<div>", "深", "</div>", n);
        let flat = flatten(&src).unwrap();
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("<br>").count(), 2 * (n - MAX_DEPTH));
        assert_eq!(texts(&read_html(&src)), vec!["深"]);
        // Inline elements vanish; the text stays.
        let src = nested("<span>", "深", "</span>", n);
        assert_eq!(flatten(&src).unwrap().matches("<span>").count(), MAX_DEPTH);
        assert!(!flatten(&src).unwrap().contains("<br>"));
        // `<div/>` opens a div in HTML; in SVG `/>` closes, but not after an unquoted value.
        let src = nested("<div/>", "", "", n);
        assert_eq!(flatten(&src).unwrap().matches("<div/>").count(), MAX_DEPTH);
        assert_eq!(flatten(&format!("<svg>{}</svg>", "<g/>".repeat(n))), None);
        let src = format!("<svg>{}</svg>", "<g a=/>".repeat(n));
        assert_eq!(
            flatten(&src).unwrap().matches("<g a=/>").count(),
            MAX_DEPTH - 1
        );
    }

    #[test]
    fn flattened_blocks_still_break_and_tables_within_the_cap_are_read() {
        let deep = nested("<div>", "", "", MAX_DEPTH);
        let src = format!(
            "<table><tr><td>a</td><td>1</td></tr></table>{deep}<p>甲</p><p>乙</p><table><tr><td>b</td></tr></table>"
        );
        let doc = read_html(&src);
        assert_eq!(texts(&doc), vec!["a 1", "甲", "乙", "b"]);
        let rows = grid(&doc);
        assert_eq!(cells(rows[0]), vec![(0, 1, false, "a"), (1, 1, false, "1")]);
        // The table past the cap is text; its location is still in the source.
        assert_eq!(rows.len(), 1);
        let b = doc.rows.last().unwrap();
        assert_eq!(
            b.location.column as usize,
            src[..src.find(">b<").unwrap()].chars().count() + 2
        );
    }

    #[test]
    fn script_text_stays_hidden_past_the_cap() {
        let src = nested(
            "<div>",
            "<script>var 脚本;</script><style>p{}</style>正文",
            "</div>",
            2 * MAX_DEPTH,
        );
        let flat = flatten(&src).unwrap();
        assert!(flat.contains("<script>var 脚本;</script><style>p{}</style>正文"));
        assert_eq!(texts(&read_html(&src)), vec!["正文"]);
    }
}
