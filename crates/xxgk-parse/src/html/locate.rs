//! Source locations for the fragments of a page.
//!
//! The fast path knows where each fragment starts and hands over the byte offset
//! ([`Locator::at`], [`Locator::at_tag`]). For a page read from html5ever's DOM the walk hands
//! over each fragment's text in document order; the [`Locator`] finds it in the visible-text
//! stream of the source (`stream`) from where the previous fragment was found. Either way the
//! byte offset becomes a 1-based line and character column. Searches are windowed and budgeted
//! so that the whole page stays roughly linear however badly the text matches.

use xxgk_model::diagnostic::Location;

use super::stream::{build_stream, keep};

/// How far ahead (stream bytes) a location search looks before searching the whole rest.
const WINDOW: usize = 64 * 1024;
/// Window used once the budget for failed whole-rest searches is spent.
const SMALL_WINDOW: usize = 256;
/// Characters of a fragment's text used to find it in the source.
const NEEDLE_CHARS: usize = 8;

/// Finds fragments in the source, in order, and turns byte offsets into (line, column).
pub(super) struct Locator<'a> {
    src: &'a str,
    /// The visible-text stream and each of its bytes' source offsets: built at the first
    /// search (a page the fast path reads never needs it).
    stream: Option<(String, Vec<usize>)>,
    cursor: usize,
    /// Location of the last fragment found.
    last: Location,
    /// Source byte offset from which the next blank cell's tag is looked for.
    tag_cursor: usize,
    /// Bytes that failed searches of the whole rest may still scan (keeps the total linear).
    budget: usize,
    line_starts: Vec<usize>,
    /// (line index, byte offset, 0-based char column) of the last conversion.
    cache: (usize, usize, usize),
}

/// The largest char boundary of `s` at or below `i`.
pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The first [`NEEDLE_CHARS`] searchable characters of a fragment's text.
fn needle(raw: &str) -> String {
    raw.chars()
        .filter(|&c| keep(c))
        .take(NEEDLE_CHARS)
        .collect()
}

impl<'a> Locator<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        Locator {
            src,
            stream: None,
            cursor: 0,
            last: Location::new(1, 1),
            tag_cursor: 0,
            budget: 0,
            line_starts,
            cache: (0, 0, 0),
        }
    }

    /// Location of the last fragment found (1:1 before any).
    pub(super) fn last(&self) -> Location {
        self.last
    }

    /// The stream, built when first needed (with the search budget, which depends on it).
    fn stream(&mut self) -> &(String, Vec<usize>) {
        let (src, budget) = (self.src, &mut self.budget);
        self.stream.get_or_insert_with(|| {
            let built = build_stream(src);
            *budget = built.0.len().saturating_mul(4).saturating_add(1 << 20);
            built
        })
    }

    /// The fragment whose text starts at source byte `offset` (known, not searched for).
    pub(super) fn at(&mut self, offset: usize) -> Location {
        let location = self.location_at(offset);
        self.tag_cursor = self.tag_cursor.max(offset);
        self.last = location;
        location
    }

    /// The blank cell whose tag starts at source byte `tag`.
    pub(super) fn at_tag(&mut self, tag: usize) -> Location {
        let location = self.location_at(tag);
        self.tag_cursor = tag.saturating_add(3);
        self.last = location;
        location
    }

    fn location_at(&mut self, offset: usize) -> Location {
        let offset = floor_boundary(self.src, offset);
        let (cached_line, cached_offset, cached_col) = self.cache;
        // Fragments come in order: the line is the last one's or a few after it.
        let starts = &self.line_starts;
        let line =
            if cached_offset <= offset && starts.get(cached_line).is_some_and(|&s| s <= offset) {
                let mut line = cached_line;
                while starts.get(line + 1).is_some_and(|&s| s <= offset) && line < cached_line + 8 {
                    line += 1;
                }
                if starts.get(line + 1).is_some_and(|&s| s <= offset) {
                    starts.partition_point(|&s| s <= offset).saturating_sub(1)
                } else {
                    line
                }
            } else {
                starts.partition_point(|&s| s <= offset).saturating_sub(1)
            };
        let (from, base) = if cached_line == line && cached_offset <= offset {
            (cached_offset, cached_col)
        } else {
            (self.line_starts.get(line).copied().unwrap_or(0), 0)
        };
        let col = base + self.src.get(from..offset).map_or(0, |s| s.chars().count());
        self.cache = (line, offset, col);
        Location::new(to_u32(line + 1), to_u32(col + 1))
    }

    /// Search `needle` from the cursor; the whole rest is searched only while the budget lasts.
    fn search(&mut self, needle: &str, whole: bool) -> Option<usize> {
        let cursor = self.cursor;
        self.stream();
        let budget = self.budget;
        let hay = self.stream.as_ref()?.0.get(cursor..)?;
        let window = if budget > 0 { WINDOW } else { SMALL_WINDOW };
        let end = floor_boundary(hay, window);
        if let Some(p) = hay[..end].find(needle) {
            return Some(cursor + p);
        }
        let rest = hay.len();
        if end < rest && whole && budget > 0 {
            let found = hay.find(needle);
            if found.is_none() {
                self.budget = budget.saturating_sub(rest);
            }
            return found.map(|p| cursor + p);
        }
        self.budget = budget.saturating_sub(end);
        None
    }

    /// Location of the next occurrence of `raw`; the last known location when not found.
    pub(super) fn locate(&mut self, raw: &str) -> Location {
        let needle = needle(raw);
        if needle.is_empty() {
            return self.locate_blank_cell();
        }
        let found = self.search(&needle, true).or_else(|| {
            // The longest prefix that is present: try a short one nearby.
            let short: String = needle.chars().take(2).collect();
            if short.len() < needle.len() {
                self.search(&short, false)
            } else {
                None
            }
        });
        let (Some(p), Some((stream, offsets))) = (found, self.stream.as_ref()) else {
            return self.last;
        };
        let offset = offsets.get(p).copied().unwrap_or(0);
        // Consume the whole fragment text so that repeated texts map to successive occurrences.
        let mut cur = p;
        for c in raw.chars().filter(|&c| keep(c)) {
            match stream.get(cur..) {
                Some(rest) if rest.starts_with(c) => cur += c.len_utf8(),
                _ => break,
            }
        }
        self.cursor = cur;
        self.at(offset)
    }

    /// A blank cell has no text to find: point at its `<td>`/`<th>` tag, the next one after
    /// the last text or tag found (within a short window, else the last location).
    fn locate_blank_cell(&mut self) -> Location {
        const TAG_WINDOW: usize = 4096;
        let start = self.tag_cursor.min(self.src.len());
        let end = floor_boundary(self.src, start.saturating_add(TAG_WINDOW));
        let window = self.src.as_bytes().get(start..end).unwrap_or_default();
        let found = window.windows(3).position(|w| {
            w[0] == b'<' && (w[1] | 0x20) == b't' && matches!(w[2] | 0x20, b'd' | b'h')
        });
        match found {
            Some(i) => self.at_tag(start + i),
            None => self.last,
        }
    }

    /// Location of the first occurrence of `raw` (the title), without moving the cursor.
    pub(super) fn locate_from_start(&mut self, raw: &str) -> Location {
        let needle = needle(raw);
        if needle.is_empty() {
            return Location::new(1, 1);
        }
        let (stream, offsets) = self.stream();
        match stream.find(&needle).and_then(|p| offsets.get(p).copied()) {
            Some(offset) => self.location_at(offset),
            None => Location::new(1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::read_html;
    use crate::html::tests::texts;

    /// (line, column) of each text in turn.
    fn locate_all(src: &str, texts: &[&str]) -> Vec<(u32, u32)> {
        let mut locator = Locator::new(src);
        texts
            .iter()
            .map(|t| {
                let l = locator.locate(t);
                (l.line, l.column)
            })
            .collect()
    }

    #[test]
    fn html_repeated_texts_map_to_successive_lines() {
        let src = "<table>\n<tr><td>0</td>\n<td>0</td>\n<td>&nbsp;</td>\n<td>0</td></tr>\n</table>\n<p>0</p>";
        let doc = read_html(src);
        let row = &doc.rows[0];
        assert_eq!(
            row.fragments
                .iter()
                .map(|f| f.location.line)
                .collect::<Vec<_>>(),
            vec![2, 3, 4, 5],
            "a blank cell points at its own tag"
        );
        assert_eq!(row.fragments[0].location.column, 9);
        assert_eq!(doc.rows[1].location, Location::new(7, 4));
    }

    #[test]
    fn html_locations_skip_scripts_and_attributes() {
        let src = "<html><head><script>var s = '总计';</script></head>\n<body><div title=\"总计\">\n<p>总计</p></div>";
        let doc = read_html(src);
        assert_eq!(doc.rows[0].location, Location::new(3, 4));
        // Entities and numeric references in front of the text.
        let src = "<p>&ldquo;&#x4E09;安全&rdquo;</p>\n<p>&#19977;安全</p>";
        let doc = read_html(src);
        assert_eq!(texts(&doc), vec!["“三安全”", "三安全"]);
        // Located at the first character that can be found (the quote entity is skipped).
        assert_eq!(doc.rows[0].location, Location::new(1, 11));
        assert_eq!(doc.rows[1].location, Location::new(2, 4));
    }

    #[test]
    fn columns_count_characters_after_entities_comments_and_crlf() {
        // Columns are characters, not bytes: the wide text before counts one each.
        let src = "<td>总计</td><!-- 12 --><td>&nbsp;&amp;12</td>\r\n<td>一二</td><td>12</td>";
        assert_eq!(
            locate_all(src, &["总计", "&12", "一二", "12"]),
            vec![(1, 5), (1, 38), (2, 5), (2, 16)]
        );
    }

    #[test]
    fn a_fragment_split_by_markup_is_found_at_its_first_piece() {
        let src = "<p><span>本年</span>\n<span>新收</span></p><p>本年新收</p>";
        assert_eq!(
            locate_all(src, &["本年\n新收", "本年新收"]),
            vec![(1, 10), (2, 23)]
        );
    }

    #[test]
    fn blank_cells_point_at_their_tag() {
        let src = "<tr><td>a</td>\n  <TD>&nbsp;</TD><th></th></tr>";
        assert_eq!(
            locate_all(src, &["a", "", ""]),
            vec![(1, 9), (2, 3), (2, 18)]
        );
        // No tag left: the last location.
        let mut locator = Locator::new("<p>x</p>");
        assert_eq!(locator.locate("x"), Location::new(1, 4));
        assert_eq!(locator.locate(""), Location::new(1, 4));
    }

    #[test]
    fn missing_text_keeps_the_last_location() {
        let mut locator = Locator::new("<p>甲</p>\n<p>乙丙丁</p>");
        assert_eq!(locator.last(), Location::new(1, 1));
        assert_eq!(locator.locate("乙"), Location::new(2, 4));
        assert_eq!(locator.locate("不在"), Location::new(2, 4));
        // Only a prefix is present: found by its first two characters.
        assert_eq!(locator.locate("丙丁戊"), Location::new(2, 5));
        // Repeated text moves on; the title search starts from the top.
        assert_eq!(locator.locate_from_start("甲"), Location::new(1, 4));
        assert_eq!(locator.locate_from_start(" "), Location::new(1, 1));
    }
}
