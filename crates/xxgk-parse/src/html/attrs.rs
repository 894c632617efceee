//! Table attributes the grid needs: cell spans and hidden rows.
//!
//! Spans come from pages as they are written (`colspan=abc`, `rowspan=" 2px"`,
//! `rowspan=99999`), so they are read leniently, as browsers do, and capped at
//! [`MAX_SPAN`] before the grid expands them.

use crate::grid::MAX_SPAN;

/// An element's attributes, by (lowercase) name: the first of that name, as html5ever keeps.
pub(crate) trait Attributes {
    fn attr(&self, name: &str) -> Option<&str>;
}

impl Attributes for scraper::node::Element {
    fn attr(&self, name: &str) -> Option<&str> {
        scraper::node::Element::attr(self, name)
    }
}

/// HTML "rules for parsing non-negative integers", leniently: leading digits count, anything
/// else is ignored; no digits → `None`.
fn parse_span(value: Option<&str>) -> Option<u64> {
    let v = value?.trim_start();
    let v = v.strip_prefix('+').unwrap_or(v);
    let digits: &str = &v[..v.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    // Saturate instead of overflowing on absurd values.
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

/// The cell's `colspan`: 1 when absent, zero or unreadable.
pub(super) fn colspan_of(el: &dyn Attributes) -> u32 {
    match parse_span(el.attr("colspan")) {
        Some(0) | None => 1,
        Some(n) => n.min(u64::from(MAX_SPAN)) as u32,
    }
}

/// The cell's `rowspan`: 1 when absent or unreadable, [`MAX_SPAN`] (to the end of the table)
/// when zero.
pub(super) fn rowspan_of(el: &dyn Attributes) -> u32 {
    match parse_span(el.attr("rowspan")) {
        // rowspan=0: to the end of the table.
        Some(0) => MAX_SPAN,
        None => 1,
        Some(n) => n.min(u64::from(MAX_SPAN)) as u32,
    }
}

/// A row that is not shown: Word's layout row (`<tr height=0>`, or `height:0` in its style) or
/// one styled away ([`style_hides`]).
pub(super) fn is_hidden_row(el: &dyn Attributes) -> bool {
    let style = el.attr("style").unwrap_or("");
    el.attr("height").is_some_and(|h| h.trim() == "0")
        || style_hides(style)
        || declarations(style)
            .filter(|d| d.first().is_some_and(|c| c | 0x20 == b'h'))
            .filter_map(name_and_value)
            .any(|(name, value)| name.eq_ignore_ascii_case(b"height") && value == b"0")
}

/// The declarations of an inline style, trimmed at their start, read without allocating: Word
/// pages style nearly every element.
fn declarations(style: &str) -> impl Iterator<Item = &[u8]> {
    let b = style.as_bytes();
    let mut start = 0;
    memchr::memchr_iter(b';', b)
        .chain(std::iter::once(b.len()))
        .map(move |end| {
            let declaration = b.get(start..end).unwrap_or_default();
            start = end + 1;
            declaration.trim_ascii_start()
        })
}

/// A declaration's property name and value, trimmed, `!important` left out.
fn name_and_value(declaration: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = memchr::memchr(b':', declaration)?;
    let value = declaration[colon + 1..].trim_ascii();
    let value = value
        .strip_suffix(b"!important")
        .map_or(value, <[u8]>::trim_ascii_end);
    Some((declaration[..colon].trim_ascii(), value))
}

/// Whether an inline `style` hides the element's text from a cell's value: `display:none`,
/// `visibility:hidden`, Word's `mso-hide:all` (its hidden text), and Word's footnote and
/// endnote references (`mso-footnote-id`, `mso-endnote-id`: the `[1]` after `1327` is a mark,
/// not digits).
pub(super) fn style_hides(style: &str) -> bool {
    declarations(style)
        // Most declarations are told by their first letter (font-…, text-…, line-…).
        .filter(|d| {
            d.first()
                .is_some_and(|c| matches!(c | 0x20, b'd' | b'v' | b'm'))
        })
        .filter_map(name_and_value)
        .any(|(name, value)| {
            let is =
                |n: &[u8], v: &[u8]| name.eq_ignore_ascii_case(n) && value.eq_ignore_ascii_case(v);
            name.eq_ignore_ascii_case(b"mso-footnote-id")
                || name.eq_ignore_ascii_case(b"mso-endnote-id")
                || is(b"display", b"none")
                || is(b"visibility", b"hidden")
                || is(b"mso-hide", b"all")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::read_html;
    use crate::html::tests::{cells, grid};
    use scraper::node::Element;
    use scraper::{Html, Node};

    /// The first `name` element of `html`, parsed as a page.
    fn first(html: &str, name: &str) -> Element {
        Html::parse_document(html)
            .tree
            .values()
            .find_map(|n| match n {
                Node::Element(e) if e.name() == name => Some(e.clone()),
                _ => None,
            })
            .unwrap()
    }

    fn spans(attrs: &str) -> (u32, u32) {
        let td = first(&format!("<table><tr><td {attrs}>x</td></tr></table>"), "td");
        (colspan_of(&td), rowspan_of(&td))
    }

    fn hidden(attrs: &str) -> bool {
        is_hidden_row(&first(
            &format!("<table><tr {attrs}><td>x</td></tr></table>"),
            "tr",
        ))
    }

    #[test]
    fn html_span_attributes() {
        let doc = read_html(
            "<table><tr><td colspan=abc>a</td><td colspan=0>b</td><td colspan=99999 rowspan=-3>c</td><td>d</td></tr>\
             <tr><td rowspan=\" 2px\">e</td><td>f</td></tr><tr><td>g</td></tr></table>",
        );
        let rows = grid(&doc);
        assert_eq!(
            cells(rows[0]),
            vec![
                (0, 1, false, "a"),
                (1, 1, false, "b"),
                (2, 1000, false, "c"),
                (1002, 1, false, "d")
            ]
        );
        assert_eq!(cells(rows[1]), vec![(0, 1, false, "e"), (1, 1, false, "f")]);
        assert_eq!(cells(rows[2]), vec![(0, 1, true, "e"), (1, 1, false, "g")]);
    }

    #[test]
    fn span_values_are_read_leniently() {
        assert_eq!(parse_span(None), None);
        assert_eq!(parse_span(Some("")), None);
        assert_eq!(parse_span(Some("abc")), None);
        assert_eq!(parse_span(Some("-3")), None);
        assert_eq!(parse_span(Some(" +2px")), Some(2));
        assert_eq!(parse_span(Some("3.9")), Some(3));
        assert_eq!(parse_span(Some("99999999999999999999999")), Some(u64::MAX));
        assert_eq!(
            parse_span(Some("２")),
            None,
            "full-width digits are not digits"
        );
    }

    #[test]
    fn hostile_spans_are_capped() {
        assert_eq!(spans(""), (1, 1));
        assert_eq!(
            spans("rowspan=\"99999\" colspan=\"99999\""),
            (MAX_SPAN, MAX_SPAN)
        );
        assert_eq!(
            spans("rowspan=4294967296 colspan=18446744073709551616"),
            (MAX_SPAN, MAX_SPAN)
        );
        assert_eq!(spans("rowspan=0 colspan=0"), (1, MAX_SPAN));
        assert_eq!(spans("rowspan=x colspan=-1"), (1, 1));
        assert_eq!(spans("ROWSPAN=3 COLSPAN=' 2'"), (2, 3));
    }

    #[test]
    fn styles_that_hide() {
        for style in [
            "display:none",
            "DISPLAY: NONE",
            "font-size:10pt;display:none;mso-hide:all",
            "mso-hide:all",
            "visibility: hidden !important",
            "mso-footnote-id:ftn1",
            "mso-endnote-id: edn2",
        ] {
            assert!(style_hides(style), "{style}");
        }
        for style in [
            "",
            "display:block",
            "font-family:none",
            "mso-hide:screen",
            "display",
        ] {
            assert!(!style_hides(style), "{style}");
        }
    }

    #[test]
    fn hidden_rows() {
        assert!(hidden("height=0"));
        assert!(hidden("height=' 0 '"));
        assert!(hidden("style='DISPLAY: none'"));
        assert!(hidden("style='height:0;border:none'"));
        assert!(hidden("style='mso-yfti-irow:3; height: 0'"));
        assert!(!hidden(""));
        assert!(!hidden("height=0.5"));
        assert!(!hidden("style='height:0.5pt'"));
        assert!(!hidden("style='height:20'"));
    }
}
