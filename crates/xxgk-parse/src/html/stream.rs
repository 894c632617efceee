//! The source's visible text, for finding fragments in it.
//!
//! html5ever reports no byte offsets (see the module doc of `html`), so this is a small
//! re-tokeniser of its own: it skips tags, comments, doctypes and the content of raw-text
//! elements (`<script>`, `<style>`, …), decodes character references, and keeps only the
//! characters a search can rely on ([`keep`]), each with its source byte offset.

/// Characters used to find text in the source: everything but whitespace and the characters
/// pages often write as entities (`&nbsp;`, `&ldquo;`, `&mdash;`, `&hellip;`, `&middot;`, …),
/// so that an entity in the source never breaks a match.
pub(super) fn keep(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '&' | '<'
                | '>'
                | '"'
                | '\''
                | '\u{A0}'..='\u{BF}'
                | '\u{D7}'
                | '\u{F7}'
                | '\u{2000}'..='\u{206F}'
                | '\u{E000}'..='\u{F8FF}'
                | '\u{FEFF}'
                | '\u{FFFD}'
        ))
}

/// The visible text of the source (outside tags, comments, scripts and styles; entities decoded)
/// reduced to [`keep`] characters, with the source byte offset of each stream byte.
pub(super) fn build_stream(src: &str) -> (String, Vec<usize>) {
    let b = src.as_bytes();
    let n = b.len();
    let mut stream = String::with_capacity(n / 2);
    let mut offsets: Vec<usize> = Vec::with_capacity(n / 2);
    let push = |c: char, at: usize, stream: &mut String, offsets: &mut Vec<usize>| {
        if keep(c) {
            stream.push(c);
            offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
    };
    let mut i = 0;
    // Inside a title/textarea (RCDATA): markup is not recognised before this offset.
    let mut rcdata_end = 0;
    while i < n {
        match b[i] {
            b'<' if i >= rcdata_end => {
                let markup = markup(src, i);
                i = markup.next.max(i + 1);
                if let Some(end) = markup.rcdata_end {
                    rcdata_end = end;
                }
            }
            b'&' => {
                let (next, c) = entity(b, i);
                if let Some(c) = c {
                    push(c, i, &mut stream, &mut offsets);
                }
                i = next.max(i + 1);
            }
            byte if byte < 0x80 => {
                push(byte as char, i, &mut stream, &mut offsets);
                i += 1;
            }
            _ => match src.get(i..).and_then(|s| s.chars().next()) {
                Some(c) => {
                    push(c, i, &mut stream, &mut offsets);
                    i += c.len_utf8();
                }
                None => i += 1,
            },
        }
    }
    (stream, offsets)
}

fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == needle)
        .map(|p| from + p)
}

/// Offset of `</name` (ASCII case-insensitive, followed by a tag-name terminator) from `from`.
fn find_close_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let lt = find_byte(b, i, b'<')?;
        if b.get(lt + 1) == Some(&b'/') {
            let start = lt + 2;
            let end = start + name.len();
            if b.get(start..end)
                .is_some_and(|s| s.eq_ignore_ascii_case(name))
                && b.get(end)
                    .is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            {
                return Some(lt);
            }
        }
        i = lt + 1;
    }
}

/// A start or end tag, as the tokeniser reads it.
pub(super) struct Tag<'a> {
    /// The tag name as written (any case).
    pub(super) name: &'a str,
    /// An end tag (`</p>`).
    pub(super) end: bool,
    /// A start tag closed by `/>` (outside an unquoted attribute value).
    pub(super) self_closing: bool,
}

/// The markup starting at `src[i] == '<'`.
pub(super) struct Markup<'a> {
    /// Where the text after it starts: past the tag, comment or doctype, and past the content
    /// of a raw-text element (`<script>`, `<style>`, …) up to its end tag.
    pub(super) next: usize,
    /// For title and textarea (whose content is text): the offset of their end tag.
    pub(super) rcdata_end: Option<usize>,
    /// The tag, when the markup is one (not a comment, doctype or processing instruction).
    pub(super) tag: Option<Tag<'a>>,
}

/// Read the markup starting at `b[i] == '<'`.
pub(super) fn markup(src: &str, i: usize) -> Markup<'_> {
    let b = src.as_bytes();
    let n = b.len();
    let after = |p: Option<usize>| p.map_or(n, |p| p + 1);
    let other = |next: usize| Markup {
        next,
        rcdata_end: None,
        tag: None,
    };
    let name_end = |from: usize| {
        let mut j = from;
        while j < n && !(b[j].is_ascii_whitespace() || b[j] == b'/' || b[j] == b'>') {
            j += 1;
        }
        j
    };
    match b.get(i + 1) {
        Some(b'!') => {
            if b.get(i + 2..i + 4) == Some(b"--") {
                let end = src
                    .get(i + 2..)
                    .and_then(|s| s.find("-->"))
                    .map_or(n, |p| i + 2 + p + 3);
                other(end)
            } else {
                other(after(find_byte(b, i + 2, b'>')))
            }
        }
        Some(b'?') => other(after(find_byte(b, i + 2, b'>'))),
        Some(b'/') => match b.get(i + 2) {
            Some(b'>') => other(i + 3),
            Some(&c) => Markup {
                next: after(find_byte(b, i + 2, b'>')),
                rcdata_end: None,
                tag: c.is_ascii_alphabetic().then(|| Tag {
                    name: src.get(i + 2..name_end(i + 2)).unwrap_or(""),
                    end: true,
                    self_closing: false,
                }),
            },
            None => other(n),
        },
        Some(c) if c.is_ascii_alphabetic() => {
            let name_start = i + 1;
            let mut j = name_end(name_start);
            let name = &b[name_start..j];
            // Attributes: quoted values may contain '>'.
            let mut prev = 0u8;
            // Inside an unquoted attribute value, where '/' is part of the value.
            let mut unquoted = false;
            let mut self_closing = false;
            while j < n {
                let c = b[j];
                if c == b'>' {
                    self_closing = !unquoted && b[j - 1] == b'/';
                    j += 1;
                    break;
                }
                if (c == b'"' || c == b'\'') && prev == b'=' {
                    j = after(find_byte(b, j + 1, c));
                    prev = c;
                    continue;
                }
                if c.is_ascii_whitespace() {
                    unquoted = false;
                } else {
                    unquoted |= prev == b'=';
                    prev = c;
                }
                j += 1;
            }
            let tag = Some(Tag {
                name: src.get(name_start..name_start + name.len()).unwrap_or(""),
                end: false,
                self_closing,
            });
            // Compared in place, not lowercased into a copy: this runs for every tag.
            let is = |known: &[u8]| name.eq_ignore_ascii_case(known);
            let raw_text = [
                b"script".as_slice(),
                b"style",
                b"xmp",
                b"iframe",
                b"noembed",
                b"noframes",
                b"noscript",
            ];
            let (next, rcdata_end) = if raw_text.iter().any(|k| is(k)) {
                (find_close_tag(b, j, name).unwrap_or(n), None)
            } else if is(b"plaintext") {
                (n, None)
            } else if is(b"title") || is(b"textarea") {
                (j, Some(find_close_tag(b, j, name).unwrap_or(n)))
            } else {
                (j, None)
            };
            Markup {
                next,
                rcdata_end,
                tag,
            }
        }
        // A lone '<' is text (and not a kept character).
        _ => other(i + 1),
    }
}

/// Decode the character reference at `b[i] == '&'`: (next offset, character if any). Unknown
/// named references with a ';' are dropped whole; without ';' the '&' alone is skipped.
fn entity(b: &[u8], i: usize) -> (usize, Option<char>) {
    let n = b.len();
    let mut j = i + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let start = j;
        let mut value: u32 = 0;
        while j < n {
            let d = match (b[j] as char).to_digit(if hex { 16 } else { 10 }) {
                Some(d) => d,
                None => break,
            };
            value = value
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            j += 1;
        }
        if j == start {
            return (i + 1, None);
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        let c = match value {
            0x80 => Some('€'),
            0x81..=0x9F => None,
            v => char::from_u32(v),
        };
        return (j, c);
    }
    let start = j;
    while j < n && j - start < 32 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j > start && b.get(j) == Some(&b';') {
        // The fast path's table: what it decodes is what html5ever decodes; [`keep`] drops
        // the characters a search cannot rely on.
        return (j + 1, super::fast::named_entity(&b[start..j]));
    }
    (i + 1, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stream and the source text at each stream character's offset.
    fn stream_of(src: &str) -> (String, Vec<&str>) {
        let (stream, offsets) = build_stream(src);
        let starts = stream
            .char_indices()
            .map(|(i, _)| &src[offsets[i]..])
            .collect();
        (stream, starts)
    }

    #[test]
    fn html_stream_decoding() {
        let (stream, offsets) = build_stream(
            "<p class=\"a>b\">x&amp;y&#x41;<!-- c -->z</p><style>q</style><title>t&lt;</title>",
        );
        assert_eq!(stream, "xyAzt");
        assert_eq!(offsets[0], 15);
        assert_eq!(entity(b"&#1234567890123;", 0).1, None);
        assert_eq!(entity(b"&#x", 0), (1, None));
        assert_eq!(entity(b"&rarr;", 0), (6, Some('→')));
        assert_eq!(entity(b"&unknownname;x", 0), (13, None));
    }

    #[test]
    fn markup_and_raw_text_are_skipped() {
        let (stream, starts) = stream_of(
            "<!DOCTYPE html><?xml x?><!-- 总计 --><script>if (a<b) '总计'</SCRIPT >甲\
             <div title='总>计' data-x=\"<td>\">乙</div><xmp><p>丙</xmp>丁",
        );
        assert_eq!(stream, "甲乙丁");
        assert!(starts[0].starts_with("甲<div"));
        assert!(starts[1].starts_with("乙</div>"));
        // An unclosed comment or script hides the rest.
        assert_eq!(build_stream("a<!-- b").0, "a");
        assert_eq!(build_stream("a<script>b").0, "a");
        assert_eq!(build_stream("a<plaintext>b</plaintext>c").0, "a");
    }

    #[test]
    fn title_and_textarea_content_is_text() {
        // RCDATA: a tag inside is not markup, entities still decode.
        let (stream, _) = build_stream("<title>a<b>c&euro;</title><textarea>d<p></textarea>e");
        assert_eq!(stream, "abc€dpe");
    }

    #[test]
    fn entities_map_to_their_ampersand() {
        let src = "&ldquo;&#x4E09;&#19977;&nbsp;&larr;&#128;&#150;x&y";
        let (stream, starts) = stream_of(src);
        // Quotes, no-break spaces and C1 controls are not kept; &#128; is the Windows-1252 euro.
        assert_eq!(stream, "三三←€xy");
        assert!(starts[0].starts_with("&#x4E09;"));
        assert!(starts[1].starts_with("&#19977;"));
        assert!(starts[3].starts_with("&#128;"));
        assert!(starts[5].starts_with("y"));
    }

    #[test]
    fn offsets_are_source_bytes_across_crlf() {
        let src = "<td>\r\n一</td>\r\n<td>2</td>";
        let (stream, offsets) = build_stream(src);
        assert_eq!(stream, "一2");
        assert_eq!(&offsets[..3], &[6, 6, 6], "every byte of a wide character");
        assert_eq!(&src[offsets[3]..offsets[3] + 1], "2");
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        for src in [
            "<",
            "</",
            "<!",
            "<!-",
            "<a b='",
            "&#",
            "&#x;",
            "<title>",
            "<a\u{0}>é",
        ] {
            let (stream, offsets) = build_stream(src);
            assert_eq!(stream.len(), offsets.len(), "{src:?}");
        }
    }
}
