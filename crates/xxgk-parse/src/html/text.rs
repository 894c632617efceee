//! The text of one prose block or table cell, gathered from its text nodes.
//!
//! HTML whitespace is not the report's whitespace: Word's export wraps long lines in the middle
//! of Chinese words, and `<br>` or a nested block inside a cell reads as a space. [`TextBuf`]
//! decides that as the text arrives, keeping the source text (for locating) beside it.

use super::stream::keep;
use crate::doc::normalize;

/// East Asian wide characters: a line break between two of them in the source is not a space
/// (Word wraps long lines of its HTML export in the middle of words).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// Where a text's first searchable character ([`keep`]) came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Origin {
    /// No searchable character yet.
    #[default]
    None,
    /// Byte `index` of the text node read from the source at byte `node` (the fast path
    /// knows where its text nodes are).
    At { node: usize, index: usize },
    /// A text node of unknown place (html5ever's): the text has to be searched for.
    Unknown,
}

/// Text of one prose block or one cell, accumulated from text nodes.
#[derive(Default)]
pub(super) struct TextBuf {
    /// The source text (breaks from `<br>`/blocks as one space).
    raw: String,
    /// The text for reading: whitespace decided, not yet normalised.
    text: String,
    pending_space: bool,
    pending_newline: bool,
    pending_break: bool,
    last: Option<char>,
    origin: Origin,
}

impl TextBuf {
    /// A text node's text, read from the source at byte `at` when that is known.
    pub(super) fn push_str(&mut self, s: &str, at: Option<usize>) {
        if self.origin == Origin::None
            && let Some((index, _)) = s.char_indices().find(|&(_, c)| keep(c))
        {
            self.origin = match at {
                Some(node) => Origin::At { node, index },
                None => Origin::Unknown,
            };
        }
        self.raw.push_str(s);
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if c.is_whitespace() {
                self.pending_space = true;
                if c == '\n' || c == '\r' {
                    self.pending_newline = true;
                }
                rest = &rest[c.len_utf8()..];
                continue;
            }
            // A run of characters up to the next whitespace: only its first is affected by
            // what came before, the rest is copied whole.
            let run_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (run, after) = rest.split_at(run_end);
            if !self.text.is_empty() {
                let joined = self.pending_newline
                    && !self.pending_break
                    && self.last.is_some_and(is_wide)
                    && is_wide(c);
                if self.pending_break || (self.pending_space && !joined) {
                    self.text.push(' ');
                }
            }
            self.pending_space = false;
            self.pending_newline = false;
            self.pending_break = false;
            self.text.push_str(run);
            self.last = run.chars().next_back();
            rest = after;
        }
    }

    /// A `<br>` or block boundary inside the text: reads as one space.
    pub(super) fn soft_break(&mut self) {
        if !self.raw.is_empty() && !self.raw.ends_with(' ') {
            self.raw.push(' ');
        }
        self.pending_break = true;
    }

    /// Whether nothing has been gathered since the buffer was last taken: taking it would give
    /// two empty strings (a break pending before any text has no effect).
    pub(super) fn is_empty(&self) -> bool {
        self.raw.is_empty() && self.text.is_empty()
    }

    /// Where the first searchable character came from.
    pub(super) fn origin(&self) -> Origin {
        self.origin
    }

    /// (trimmed raw, normalised text), leaving the buffer empty. The buffer keeps its
    /// capacity: one buffer serves every cell of a page, and the strings handed over are
    /// allocated once at their size (most cells are short, and their blank text nodes between
    /// tags cost nothing).
    pub(super) fn take(&mut self) -> (String, String) {
        let taken = (self.raw.trim().to_owned(), normalize(&self.text));
        let (mut raw, mut text) = (
            std::mem::take(&mut self.raw),
            std::mem::take(&mut self.text),
        );
        raw.clear();
        text.clear();
        *self = TextBuf {
            raw,
            text,
            ..TextBuf::default()
        };
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::read_html;
    use crate::html::tests::texts;

    /// (raw, text) of the pieces pushed in turn, `None` standing for a soft break.
    fn buf(pieces: &[Option<&str>]) -> (String, String) {
        let mut b = TextBuf::default();
        for p in pieces {
            match p {
                Some(s) => b.push_str(s, None),
                None => b.soft_break(),
            }
        }
        b.take()
    }

    #[test]
    fn html_whitespace_rules() {
        // Word wraps lines inside CJK words: no space; between Latin words: a space.
        let doc = read_html("<p>政府信息\r\n  公开 2021\n年 annual\nreport&nbsp;&nbsp;ok</p>");
        assert_eq!(texts(&doc), vec!["政府信息公开 2021 年 annual report ok"]);
        // html5ever turns CRLF into LF.
        assert_eq!(
            doc.rows[0].fragments[0].raw,
            "政府信息\n  公开 2021\n年 annual\nreport\u{a0}\u{a0}ok"
        );
        // Full-width folding through normalize.
        let doc = read_html("<p>（一）予以公开　１２</p>");
        assert_eq!(texts(&doc), vec!["(一)予以公开 12"]);
        assert_eq!(doc.rows[0].fragments[0].raw, "（一）予以公开　１２");
    }

    #[test]
    fn a_line_break_joins_wide_characters_only() {
        assert_eq!(buf(&[Some("本年\n新收")]).1, "本年新收");
        assert_eq!(buf(&[Some("本年"), Some("\r\n  新收")]).1, "本年新收");
        // A plain space, or a break next to a narrow character, stays a space.
        assert_eq!(buf(&[Some("本年 新收")]).1, "本年 新收");
        assert_eq!(buf(&[Some("2021\n年")]).1, "2021 年");
        assert_eq!(
            buf(&[Some("（一）\n１２")]).1,
            "(一)12",
            "full-width forms are wide"
        );
    }

    #[test]
    fn a_soft_break_is_one_space_in_raw_and_text() {
        assert_eq!(
            buf(&[Some("商业"), None, Some("企业")]),
            ("商业 企业".to_string(), "商业 企业".to_string())
        );
        // Even between wide characters split by a newline; never doubled, never leading.
        assert_eq!(
            buf(&[None, Some("a"), None, Some(" "), None, Some("\nb")]),
            ("a  \nb".to_string(), "a b".to_string())
        );
        assert_eq!(buf(&[Some("甲"), None, Some("\n乙")]).1, "甲 乙");
    }

    #[test]
    fn take_trims_and_empties_the_buffer() {
        let mut b = TextBuf::default();
        b.push_str("  \u{a0}x\u{3000}y  ", None);
        // No-break spaces are whitespace to `trim` too.
        assert_eq!(b.take(), ("x\u{3000}y".to_string(), "x y".to_string()));
        assert_eq!(b.take(), (String::new(), String::new()));
        b.push_str("\n", None);
        b.soft_break();
        assert_eq!(b.take(), (String::new(), String::new()));
    }
}
