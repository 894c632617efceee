//! The document model every reader produces: a sequence of rows in reading order. A line of
//! prose is a row with one fragment; a table row is a row with one fragment per cell. Template
//! matching works on this model only, whatever the input format was.

use xxgk_model::diagnostic::Location;

/// How the fragments of a row are positioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One fragment: a paragraph or a line of prose.
    Prose,
    /// Cells with known boundaries (tab-separated text, HTML, Markdown, Word): `x` is the
    /// grid column index, blank cells are present as empty fragments.
    Grid,
    /// Space-aligned text (what `pdftotext -layout` prints): `x` is the character column
    /// where the fragment starts; blank cells are simply missing.
    Aligned,
}

/// A piece of text with its position: a table cell, or a run of text in an aligned line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The text after normalisation (full-width ASCII folded to half-width, ideographic and
    /// no-break spaces to spaces, inner whitespace runs collapsed to one space, trimmed).
    pub text: String,
    /// The text as it stands in the source, trimmed.
    pub raw: String,
    /// Where `raw` starts in the source (1-based line and character column).
    pub location: Location,
    /// Grid column (for [`Layout::Grid`]) or character column (for [`Layout::Aligned`]).
    pub x: u32,
    /// Number of grid columns the cell spans (1 unless merged horizontally).
    pub span: u32,
    /// True when this fragment repeats a cell merged from the row above (HTML rowspan, Word
    /// vMerge): its text belongs to an earlier row.
    pub continued: bool,
}

impl Fragment {
    /// A fragment at column 0 spanning one column, not a merged copy: a line of prose, or a
    /// cell whose place is set later.
    pub(crate) fn plain(text: String, raw: String, location: Location) -> Fragment {
        Fragment {
            text,
            raw,
            location,
            x: 0,
            span: 1,
            continued: false,
        }
    }
}

/// A row of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// How the fragments are positioned: prose, grid cells or aligned runs.
    pub layout: Layout,
    /// The row's cells or runs, left to right.
    pub fragments: Vec<Fragment>,
    /// The source table this row belongs to, numbered from 0 in reading order; `None` for prose.
    pub table: Option<u32>,
    /// Where the row starts.
    pub location: Location,
}

impl Row {
    /// The characters of the row's text without whitespace (its fragments' texts run
    /// together), read in place.
    pub(crate) fn squeezed_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.fragments
            .iter()
            .flat_map(|f| f.text.chars())
            .filter(|c| !c.is_whitespace())
    }

    /// [`Row::squeezed_chars`] as a string.
    pub(crate) fn squeezed(&self) -> String {
        self.squeezed_chars().collect()
    }

    /// The first of [`Row::squeezed_chars`], without building the rest.
    pub(crate) fn first_squeezed(&self) -> Option<char> {
        self.squeezed_chars().next()
    }

    /// A [`Layout::Prose`] row: one [`Fragment::plain`] holding the block's text.
    pub(crate) fn prose(text: String, raw: String, location: Location) -> Row {
        Row {
            layout: Layout::Prose,
            fragments: vec![Fragment::plain(text, raw, location)],
            table: None,
            location,
        }
    }

    /// The row's text: its fragments' normalised text joined with single spaces.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    /// Appends [`Row::text`] to `out`.
    pub(crate) fn push_text(&self, out: &mut String) {
        for (n, f) in self
            .fragments
            .iter()
            .filter(|f| !f.text.is_empty())
            .enumerate()
        {
            if n > 0 {
                out.push(' ');
            }
            out.push_str(&f.text);
        }
    }
}

/// A document as read: rows in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Every row: prose lines and table rows, in reading order.
    pub rows: Vec<Row>,
}

pub use xxgk_model::text::fold_char;
use xxgk_model::text::is_invisible;

/// Whether [`normalize`] leaves `s` as it is: no character it folds, no whitespace but single
/// spaces between other characters.
fn is_normal(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    // ASCII text (most numbers) folds nothing: only its whitespace is looked at (`\t` to
    // `\r` are the ASCII whitespace of `char::is_whitespace` besides the space), in one pass
    // that hands over to the characters' pass at the first other byte.
    let mut after_space = false;
    for &b in s.as_bytes() {
        if !b.is_ascii() {
            return chars_are_normal(s);
        }
        if matches!(b, b'\t'..=b'\r') || (b == b' ' && after_space) {
            return false;
        }
        after_space = b == b' ';
    }
    true
}

/// [`is_normal`] for a text that is not all ASCII (its ends already looked at), a character
/// at a time.
fn chars_are_normal(s: &str) -> bool {
    // One pass: no two spaces running, nothing folded, no other whitespace.
    let mut after_space = false;
    s.chars().all(|c| {
        // Ideographs, most of a label, are normal: told by one range.
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            after_space = false;
            return true;
        }
        let space = c == ' ';
        let normal = !(space && after_space)
            && fold_char(c) == c
            && (space || !c.is_whitespace())
            && !is_invisible(c);
        after_space = space;
        normal
    })
}

/// Byte offset of the `n`th character of `s` (`s.char_indices().nth(n)`), counted a chunk of
/// bytes at a time.
pub(crate) fn nth_char_start(s: &str, n: usize) -> Option<usize> {
    const CHUNK: usize = 32;
    // A byte starts a character unless it is a continuation byte (0b10xx_xxxx).
    let starts = |c: u8| (c as i8) >= -0x40;
    let bytes = s.as_bytes();
    let (mut at, mut seen) = (0, 0);
    while let Some(chunk) = bytes.get(at..at + CHUNK) {
        // Counted in a byte (at most 32), branch-free: the compiler counts many at once.
        let here = usize::from(chunk.iter().fold(0u8, |sum, &c| sum + u8::from(starts(c))));
        if seen + here > n {
            break;
        }
        seen += here;
        at += CHUNK;
    }
    // `at` may stand inside a character: its continuation bytes start none.
    let mut left = n - seen;
    for (i, &c) in bytes.get(at..)?.iter().enumerate() {
        if starts(c) {
            if left == 0 {
                return Some(at + i);
            }
            left -= 1;
        }
    }
    None
}

/// [`fold_char`] over a string without its invisible characters
/// ([`is_invisible`]), then whitespace runs collapsed and the ends
/// trimmed.
pub fn normalize(s: &str) -> String {
    // Most texts are normal already (a cell's number, a label): copied, not rebuilt.
    if is_normal(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().filter(|&c| !is_invisible(c)).map(fold_char) {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_collapses_space() {
        assert_eq!(normalize("　１２３，４５６\u{00A0} 项 "), "123,456 项");
        assert_eq!(normalize("（二）部分公开"), "(二)部分公开");
        assert_eq!(fold_char('Ａ'), 'A');
        assert_eq!(normalize("3\u{200B}0\u{2060} 项\u{FEFF}"), "30 项");
        assert_eq!(normalize("﹣14"), "-14");
    }

    #[test]
    fn normal_text_is_what_normalize_leaves() {
        for s in [
            "",
            "a",
            "a b",
            " a",
            "a ",
            "a  b",
            "（一）",
            "a\u{3000}b",
            "a\nb",
            "甲 乙",
            "1 2",
            "1  2",
            "1\x0b2",
            "1\t2",
            "12\r",
            "30\u{200B}",
            "\u{FEFF}1",
            "政府\u{00AD}信息",
            "\u{200B}",
            "﹣14",
        ] {
            assert_eq!(is_normal(s), normalize_slowly(s) == s, "{s:?}");
            assert_eq!(normalize(s), normalize_slowly(s), "{s:?}");
        }
    }

    #[test]
    fn nth_char_start_is_char_indices_nth() {
        let texts = [
            String::new(),
            "<td>12</td>".repeat(20),
            "政府信息公开".repeat(30),
            format!("{}（一）予以公开 12{}", "a".repeat(31), "𠀀".repeat(20)),
        ];
        for s in &texts {
            for n in 0..=s.chars().count() + 1 {
                assert_eq!(
                    nth_char_start(s, n),
                    s.char_indices().nth(n).map(|(i, _)| i),
                    "{s:?} {n}"
                );
            }
        }
    }

    /// [`normalize`] without its shortcut for normal text.
    fn normalize_slowly(s: &str) -> String {
        s.chars()
            .filter(|&c| !is_invisible(c))
            .map(fold_char)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
