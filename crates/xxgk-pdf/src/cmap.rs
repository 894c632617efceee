//! Character codes → Unicode: `/ToUnicode` CMaps and the predefined CJK CMaps named by a
//! composite font's `/Encoding`.
//!
//! The ToUnicode parser is our own (lopdf's expands every range into a reverse map, which a
//! crafted `<00000000> <FFFFFFFF>` range turns into a hang): ranges are stored as ranges and
//! looked up by binary search.

use encoding_rs::{BIG5, Encoding, GB18030};

/// A `/ToUnicode` CMap: code spaces and code → text mappings.
#[derive(Debug, Default, Clone)]
pub(crate) struct ToUnicode {
    /// `(low, high, byte length)` of each code space range.
    spaces: Vec<(u32, u32, u8)>,
    /// Sorted, non-overlapping after [`ToUnicode::finish`]: `(first, last, byte length, target)`.
    ranges: Vec<(u32, u32, u8, Target)>,
}

#[derive(Debug, Clone)]
enum Target {
    /// The first code maps to this text; the following codes increment its last character.
    Offset(Vec<u16>),
    /// One text per code of the range.
    Each(Vec<Vec<u16>>),
}

/// Largest number of mappings kept from one CMap (a real CJK subset has a few thousand).
const MAX_MAPPINGS: usize = 200_000;

impl ToUnicode {
    /// Parse the CMap's text. Unknown operators are skipped; a damaged CMap gives what could
    /// be read.
    pub(crate) fn parse(data: &[u8]) -> ToUnicode {
        let mut cmap = ToUnicode::default();
        let mut tokens = Tokens { data, pos: 0 };
        let mut pending: Vec<Token> = Vec::new();
        while let Some(token) = tokens.next() {
            match token {
                Token::Keyword(k) if k == b"endcodespacerange" => {
                    for pair in pending.chunks_exact(2) {
                        if let [Token::Hex(lo), Token::Hex(hi)] = pair
                            && let (Some(l), Some(h)) = (code(lo), code(hi))
                        {
                            cmap.spaces.push((l, h, lo.len() as u8));
                        }
                    }
                    pending.clear();
                }
                Token::Keyword(k) if k == b"endbfchar" => {
                    for pair in pending.chunks_exact(2) {
                        if let [Token::Hex(src), Token::Hex(dst)] = pair
                            && let Some(c) = code(src)
                        {
                            cmap.push(c, c, src.len() as u8, Target::Offset(utf16(dst)));
                        }
                    }
                    pending.clear();
                }
                Token::Keyword(k) if k == b"endbfrange" => {
                    for triple in pending.chunks_exact(3) {
                        if let [Token::Hex(lo), Token::Hex(hi), target] = triple
                            && let (Some(l), Some(h)) = (code(lo), code(hi))
                            && l <= h
                        {
                            let target = match target {
                                Token::Hex(dst) => Target::Offset(utf16(dst)),
                                Token::Array(items) => {
                                    Target::Each(items.iter().map(|d| utf16(d)).collect())
                                }
                                Token::Keyword(_) => continue,
                            };
                            cmap.push(l, h, lo.len() as u8, target);
                        }
                    }
                    pending.clear();
                }
                Token::Keyword(k)
                    if k == b"begincodespacerange"
                        || k == b"beginbfchar"
                        || k == b"beginbfrange" =>
                {
                    pending.clear();
                }
                Token::Keyword(_) => {}
                other => {
                    if pending.len() < 3 * MAX_MAPPINGS {
                        pending.push(other);
                    }
                }
            }
        }
        cmap.finish();
        cmap
    }

    fn push(&mut self, first: u32, last: u32, len: u8, target: Target) {
        if self.ranges.len() < MAX_MAPPINGS && (1..=4).contains(&len) {
            self.ranges.push((first, last, len, target));
        }
    }

    fn finish(&mut self) {
        // Later mappings win in a CMap; a stable sort keeps their order among equal starts.
        self.ranges.sort_by_key(|r| (r.2, r.0));
    }

    /// The byte lengths the code spaces allow, shortest first (empty when none are declared).
    pub(crate) fn code_lengths(&self) -> Vec<u8> {
        let mut lens: Vec<u8> = self.spaces.iter().map(|s| s.2).collect();
        lens.sort_unstable();
        lens.dedup();
        lens
    }

    /// Whether `code` of `len` bytes lies in a declared code space.
    pub(crate) fn in_space(&self, code: u32, len: u8) -> bool {
        self.spaces.iter().any(|&(lo, hi, l)| {
            l == len
                && (0..len).all(|i| {
                    let shift = 8 * u32::from(i);
                    let b = (code >> shift) & 0xFF;
                    (lo >> shift) & 0xFF <= b && b <= (hi >> shift) & 0xFF
                })
        })
    }

    /// Whether any mapping uses codes of `len` bytes.
    pub(crate) fn has_length(&self, len: u8) -> bool {
        self.ranges.iter().any(|r| r.2 == len)
    }

    /// The text a code maps to, if the CMap maps it.
    pub(crate) fn lookup(&self, code: u32, len: u8) -> Option<String> {
        // The last range (by start) that starts at or before `code` among those of `len`.
        let end = self.ranges.partition_point(|r| (r.2, r.0) <= (len, code));
        let found = self.ranges[..end]
            .iter()
            .rev()
            .take_while(|r| r.2 == len)
            // Ranges rarely overlap: a few neighbours are enough, and keep a miss cheap.
            .take(8)
            .find(|r| r.0 <= code && code <= r.1)?;
        let index = (code - found.0) as usize;
        let units: Vec<u16> = match &found.3 {
            Target::Offset(units) => {
                let mut units = units.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add(index as u16);
                }
                units
            }
            Target::Each(items) => items.get(index)?.clone(),
        };
        Some(String::from_utf16_lossy(&units))
    }
}

/// A hex string's bytes as a big-endian code (at most 4 bytes).
fn code(bytes: &[u8]) -> Option<u32> {
    (1..=4)
        .contains(&bytes.len())
        .then(|| bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// A hex string's bytes as UTF-16BE code units.
fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| match c {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            [b] => u16::from(*b),
            _ => 0xFFFD,
        })
        .collect()
}

enum Token {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Keyword(Vec<u8>),
}

/// Just enough of PostScript's syntax for CMaps: hex strings, arrays of them, keywords;
/// names, numbers, dictionaries and literal strings are read as keywords or skipped.
struct Tokens<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Tokens<'_> {
    fn next(&mut self) -> Option<Token> {
        loop {
            let b = *self.data.get(self.pos)?;
            match b {
                b'%' => {
                    while self.pos < self.data.len()
                        && !matches!(self.data[self.pos], b'\n' | b'\r')
                    {
                        self.pos += 1;
                    }
                }
                b if b.is_ascii_whitespace() || b == 0 => self.pos += 1,
                b'<' if self.data.get(self.pos + 1) == Some(&b'<') => self.pos += 2,
                b'>' => self.pos += 1,
                b'<' => return Some(Token::Hex(self.hex())),
                b'[' => {
                    self.pos += 1;
                    let mut items = Vec::new();
                    loop {
                        match self.data.get(self.pos) {
                            None => break,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b'<') => items.push(self.hex()),
                            Some(_) => self.pos += 1,
                        }
                    }
                    return Some(Token::Array(items));
                }
                b'(' => {
                    // A literal string (CMap names): skipped, with nesting and escapes.
                    let mut depth = 0usize;
                    while let Some(&c) = self.data.get(self.pos) {
                        self.pos += 1;
                        match c {
                            b'\\' => self.pos += 1,
                            b'(' => depth += 1,
                            b')' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {
                    let start = self.pos;
                    while let Some(&c) = self.data.get(self.pos) {
                        if c.is_ascii_whitespace() || b"<>[]()%/{}".contains(&c) && self.pos > start
                        {
                            break;
                        }
                        self.pos += 1;
                    }
                    return Some(Token::Keyword(self.data[start..self.pos].to_vec()));
                }
            }
        }
    }

    fn hex(&mut self) -> Vec<u8> {
        self.pos += 1; // '<'
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }
}

/// How a predefined CMap named by a composite font's `/Encoding` turns codes into text, for
/// fonts without `/ToUnicode`. The CJK CMaps real reports use are keyed by Unicode or by a
/// national character set, so the code itself gives the text; no CID table is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Predefined {
    /// `Identity-H` / `Identity-V`: 2-byte codes that are CIDs, no text without ToUnicode.
    Identity,
    /// `Uni…-UCS2-…`: 2-byte UCS-2 codes.
    Ucs2,
    /// `Uni…-UTF16-…`: UTF-16BE, 2 or 4 bytes.
    Utf16,
    /// `GB-EUC`, `GBpc-EUC`, `GBK-EUC`, `GBKp-EUC`, `GBK2K`: GB 2312 / GBK / GB 18030 bytes.
    Gb,
    /// `B5pc`, `ETen-B5`, `HKscs-B5`, `B5`: Big5 bytes.
    Big5,
    /// A CMap this reader does not know: 2-byte codes, no text.
    Unknown,
}

impl Predefined {
    /// The CMap a name stands for; the `-H`/`-V` suffix is the writing mode, read elsewhere.
    pub(crate) fn from_name(name: &[u8]) -> Predefined {
        let name = String::from_utf8_lossy(name);
        if name.starts_with("Identity") {
            Predefined::Identity
        } else if name.starts_with("Uni") && name.contains("UCS2") {
            Predefined::Ucs2
        } else if name.starts_with("Uni") && (name.contains("UTF16") || name.contains("UTF-16")) {
            Predefined::Utf16
        } else if name.starts_with("GB") {
            Predefined::Gb
        } else if name.contains("B5") {
            Predefined::Big5
        } else {
            Predefined::Unknown
        }
    }

    /// The byte length of the code starting at `bytes[0]`.
    pub(crate) fn code_length(self, bytes: &[u8]) -> usize {
        let first = bytes.first().copied().unwrap_or(0);
        let len = match self {
            Predefined::Identity | Predefined::Ucs2 | Predefined::Unknown => 2,
            Predefined::Utf16 => {
                if (0xD8..=0xDB).contains(&first) {
                    4
                } else {
                    2
                }
            }
            Predefined::Gb => match (first, bytes.get(1)) {
                (0x00..=0x80, _) => 1,
                (_, Some(0x30..=0x39)) => 4,
                _ => 2,
            },
            Predefined::Big5 => {
                if first <= 0x80 {
                    1
                } else {
                    2
                }
            }
        };
        len.min(bytes.len()).max(1)
    }

    /// The text of one code, if the CMap gives it.
    pub(crate) fn text(self, code: &[u8]) -> Option<String> {
        let decode = |encoding: &'static Encoding| {
            let (text, had_errors) = encoding.decode_without_bom_handling(code);
            (!had_errors).then(|| text.into_owned())
        };
        match self {
            Predefined::Ucs2 | Predefined::Utf16 => {
                let units: Vec<u16> = code
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).ok()
            }
            Predefined::Gb => decode(GB18030),
            Predefined::Big5 => decode(BIG5),
            Predefined::Identity | Predefined::Unknown => None,
        }
    }

    /// The Adobe CID of a code, where it matters for widths: the printable ASCII range maps
    /// to CIDs 1–95 (proportional Latin) in every Adobe CJK ordering; other codes are
    /// full-width ideographs and take the font's default width.
    pub(crate) fn cid(self, code: &[u8]) -> Option<u32> {
        let unicode = match self {
            Predefined::Ucs2 | Predefined::Utf16 if code.len() == 2 => {
                u32::from(u16::from_be_bytes([code[0], code[1]]))
            }
            Predefined::Gb | Predefined::Big5 if code.len() == 1 => u32::from(code[0]),
            _ => return None,
        };
        (0x20..=0x7E).contains(&unicode).then(|| unicode - 0x1F)
    }
}

/// Radical characters some fonts' ToUnicode maps give for ordinary ideographs (the glyphs
/// are shared): Kangxi radicals through their compatibility decomposition, the CJK radicals
/// supplement through this table of the forms used as simplified characters.
const RADICALS: &[(char, char)] = &[
    ('⺁', '厂'),
    ('⺇', '几'),
    ('⺊', '卜'),
    ('⺌', '小'),
    ('⺎', '兀'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺝', '月'),
    ('⺟', '母'),
    ('⺠', '民'),
    ('⺡', '氵'),
    ('⺣', '灬'),
    ('⺩', '王'),
    ('⺫', '罒'),
    ('⺬', '示'),
    ('⺮', '竹'),
    ('⺶', '羊'),
    ('⺼', '月'),
    ('⺾', '艹'),
    ('⻁', '虎'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻉', '贝'),
    ('⻊', '足'),
    ('⻋', '车'),
    ('⻑', '長'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// Fold radical characters into the ideographs they stand for; other text is returned as is.
pub(crate) fn fold_radicals(text: String) -> String {
    if !text.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)) {
        return text;
    }
    text.chars()
        .map(|c| match c {
            '\u{2F00}'..='\u{2FD5}' => {
                use unicode_normalization::char::decompose_compatible;
                let mut out = c;
                decompose_compatible(c, |d| out = d);
                out
            }
            _ => RADICALS
                .iter()
                .find(|(r, _)| *r == c)
                .map_or(c, |(_, i)| *i),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar
<0003> <0020>
<01F4> <4E09>
endbfchar
2 beginbfrange
<0010> <0019> <0030>
<0100> <0101> [<5E74> <0066006C>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn reads_chars_ranges_and_arrays() {
        let cmap = ToUnicode::parse(CMAP);
        assert_eq!(cmap.code_lengths(), vec![2]);
        assert_eq!(cmap.lookup(0x01F4, 2).as_deref(), Some("三"));
        assert_eq!(cmap.lookup(0x0003, 2).as_deref(), Some(" "));
        assert_eq!(cmap.lookup(0x0015, 2).as_deref(), Some("5"));
        assert_eq!(cmap.lookup(0x0100, 2).as_deref(), Some("年"));
        assert_eq!(cmap.lookup(0x0101, 2).as_deref(), Some("fl"));
        assert_eq!(cmap.lookup(0x001A, 2), None);
        assert_eq!(cmap.lookup(0x0015, 1), None);
        assert!(cmap.in_space(0x1234, 2));
        assert!(!cmap.in_space(0x12, 1));
    }

    #[test]
    fn a_huge_range_is_not_expanded() {
        let cmap = ToUnicode::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.lookup(0x0000_0001, 4).as_deref(), Some("B"));
    }

    #[test]
    fn damaged_cmaps_give_what_they_can() {
        let cmap = ToUnicode::parse(b"beginbfchar <01> <0041> <02> endbfchar (unclosed <zz");
        assert_eq!(cmap.lookup(1, 1).as_deref(), Some("A"));
        assert_eq!(cmap.lookup(2, 1), None);
    }

    #[test]
    fn predefined_cjk_cmaps() {
        let ucs2 = Predefined::from_name(b"UniGB-UCS2-H");
        assert_eq!(ucs2, Predefined::Ucs2);
        assert_eq!(ucs2.text(&[0x4E, 0x09]).as_deref(), Some("三"));
        assert_eq!(ucs2.cid(&[0x00, 0x33]), Some(20));
        let gbk = Predefined::from_name(b"GBK-EUC-H");
        assert_eq!(gbk.code_length(&[0xC8, 0xFD, 0x31]), 2);
        assert_eq!(gbk.code_length(&[0x31, 0xC8]), 1);
        assert_eq!(gbk.text(&[0xC8, 0xFD]).as_deref(), Some("三"));
        let utf16 = Predefined::from_name(b"UniGB-UTF16-V");
        assert_eq!(utf16.code_length(&[0xD8, 0x40, 0xDC, 0x00]), 4);
        assert_eq!(
            utf16.text(&[0xD8, 0x40, 0xDC, 0x00]).as_deref(),
            Some("\u{20000}")
        );
        assert_eq!(Predefined::from_name(b"Identity-V"), Predefined::Identity);
    }

    #[test]
    fn radicals_fold_into_ideographs() {
        assert_eq!(
            fold_radicals("淮安市\u{2F08}\u{2EA0}政府".to_owned()),
            "淮安市人民政府"
        );
        assert_eq!(fold_radicals("⼯作".to_owned()), "工作");
    }
}
