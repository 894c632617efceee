//! Bytes → text.
//!
//! Reports arrive as UTF-8, GBK/GB2312/GB18030, UTF-16 (with or without a BOM, typically from
//! Windows tools), occasionally Big5, and sometimes as files that are not text at all (PDF,
//! `.docx`). [`decode`] turns the bytes of one file into a `String` and says which encoding it
//! used. The steps, in order:
//!
//! 1. **Containers**: `%PDF-` and `PK\x03\x04` are refused with an error that says what to do.
//!    (Format detection has already given Word documents, and any format a registered reader
//!    recognises, to their own readers; what reaches this step is meant to be text.)
//! 2. **BOM**: UTF-8, UTF-16LE and UTF-16BE byte order marks decide the encoding.
//! 3. **UTF-16 without BOM**: chardetng never answers UTF-16, so the first 4 KiB are decoded as
//!    UTF-16LE and as UTF-16BE and the reading with more plausible characters (ASCII, CJK,
//!    CJK/full-width punctuation) wins if it is plausible enough. ASCII-heavy UTF-16 shows up
//!    by its NUL high bytes; CJK-only UTF-16 (no NULs at all) is accepted only when the bytes
//!    are not UTF-8, the length is even, and nearly every character is plausible and most are
//!    CJK ideographs (GBK read as UTF-16 gives no ideographs at all, Big5 few).
//! 4. **Binary**: more than 1% NUL or other C0 control bytes (other than `\t \n \x0c \r`) in
//!    the first 8 KiB.
//! 5. **Valid UTF-8**, or UTF-8 with a few malformed sequences (at most one per 20 non-ASCII
//!    characters): a UTF-8 page with one corrupt byte stays UTF-8 even if an outdated `<meta>`
//!    says GBK, and chardetng, which rejects UTF-8 at the first malformed sequence, is not asked.
//!    GBK or Big5 read as UTF-8 is malformed almost everywhere.
//! 6. **HTML `<meta>` prescan** of the first 1024 bytes (`<meta charset=…>`,
//!    `<meta http-equiv="Content-Type" content="…; charset=…">`, and an XML declaration's
//!    `encoding=`).
//! 7. **chardetng** on an 8 KiB prefix with no TLD hint (a `cn` hint forces GBK and silently
//!    mis-decodes Big5). chardetng disqualifies an encoding on a single malformed sequence, so a
//!    GBK page with one corrupt byte would come back as windows-1252; when GBK (or Big5) decodes
//!    the prefix with only a few errors, the errors are dropped and chardetng is asked again.
//!
//! GBK and GB2312 are always decoded with the GB18030 decoder (a superset) and reported as
//! `"gb18030"`. The text never starts with a BOM and its line ends are `\n`.

use std::borrow::Cow;
use std::fmt;
use xxgk_model::message::{Lang, Message, Naming};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    BIG5, Encoding, GB18030, GBK, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252,
    X_USER_DEFINED,
};

/// How much of the input the detectors and the binary check look at.
const SNIFF_LEN: usize = 8 * 1024;
/// How much of the input the BOM-less UTF-16 check looks at.
const UTF16_SNIFF_LEN: usize = 4 * 1024;
/// How much of the input the `<meta charset>` prescan looks at (as in the HTML standard).
const META_PRESCAN_LEN: usize = 1024;

/// The result of decoding.
///
/// ```
/// use xxgk_parse::decode::{decode, Decoded};
///
/// let d = decode(b"\xef\xbb\xbfhello\r\nworld").unwrap();
/// assert_eq!(
///     d,
///     Decoded { text: "hello\nworld".to_string(), encoding: "utf-8", lossy: false }
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM, with "\r\n" and lone "\r" turned into "\n".
    pub text: String,
    /// Canonical lowercase encoding name: "utf-8", "gb18030" (used for GBK/GB2312/GB18030
    /// input alike), "utf-16le", "utf-16be", "big5", or another `encoding_rs` name lowercased.
    pub encoding: &'static str,
    /// True when some bytes were invalid in that encoding and replaced by U+FFFD.
    pub lossy: bool,
}

/// Why bytes are not a text document.
///
/// ```
/// use xxgk_parse::decode::{decode, DecodeError};
///
/// assert_eq!(decode(b""), Err(DecodeError::Empty));
/// let err = decode(b"%PDF-1.7\n...").unwrap_err();
/// assert_eq!(err, DecodeError::Pdf);
/// assert!(err.to_string().contains("PDF"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Zero bytes.
    Empty,
    /// A PDF file (starts with `%PDF-`).
    Pdf,
    /// A ZIP container such as `.docx` or `.xlsx` (starts with `PK\x03\x04`).
    Zip,
    /// A binary Office document, an OLE compound file (starts with `D0 CF 11 E0 A1 B1 1A E1`):
    /// Word 97–2003 `.doc`, WPS `.wps`, Excel 97–2003 `.xls`. xxgk does not read them.
    LegacyOffice,
    /// Not text: too many NUL or other control bytes.
    Binary,
}

impl DecodeError {
    /// What it says, as a catalogue message (see [`crate::ParseError::message`]).
    pub fn message(&self) -> Message {
        Message::new(match self {
            DecodeError::Empty => "input.empty",
            // The PDF reader takes PDFs before decoding; this is for callers of `decode` alone.
            DecodeError::Pdf => "input.pdf_not_text",
            DecodeError::Zip => "input.zip",
            DecodeError::LegacyOffice => "input.legacy_office",
            DecodeError::Binary => "input.binary",
        })
    }
}

/// In English: what [`DecodeError::message`] says.
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().render(Lang::En, Naming::Ids))
    }
}

impl std::error::Error for DecodeError {}

/// Decodes the bytes of one file into text, detecting the encoding.
///
/// See the [module documentation](self) for the detection order. Never panics; invalid bytes
/// in the detected encoding become U+FFFD and set [`Decoded::lossy`].
///
/// # Errors
///
/// [`DecodeError`] when the bytes are empty, a PDF, a ZIP container, or binary.
///
/// ```
/// use xxgk_parse::decode::decode;
///
/// // "政府信息公开工作年度报告\r\n" in GBK.
/// let gbk = b"\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa\xb9\xa4\xd7\xf7\
///             \xc4\xea\xb6\xc8\xb1\xa8\xb8\xe6\r\n";
/// let d = decode(gbk).unwrap();
/// assert_eq!(d.text, "政府信息公开工作年度报告\n");
/// assert_eq!(d.encoding, "gb18030");
/// assert!(!d.lossy);
///
/// // UTF-16LE without a BOM.
/// let utf16: Vec<u8> = "一、总体情况\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
/// assert_eq!(decode(&utf16).unwrap().encoding, "utf-16le");
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    sniff_container(bytes)?;
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]));
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    if (utf8.is_none() || memchr::memchr(0, head).is_some())
        && let Some(encoding) = sniff_utf16(bytes)
    {
        return Ok(decode_with(encoding, bytes));
    }
    if looks_binary(head) {
        return Err(DecodeError::Binary);
    }
    if let Some(text) = utf8 {
        return Ok(finish(Cow::Borrowed(text), UTF_8, false));
    }
    if mostly_utf8(bytes) {
        return Ok(decode_with(UTF_8, bytes));
    }
    // A declared Western single-byte encoding (`iso-8859-1`, `us-ascii`: both windows-1252)
    // cannot hold a Chinese report: a template's default left in place, so the bytes decide.
    if let Some(encoding) =
        prescan_charset(&bytes[..bytes.len().min(META_PRESCAN_LEN)]).filter(|e| *e != WINDOWS_1252)
    {
        return Ok(decode_with(encoding, bytes));
    }
    Ok(decode_with(detect(bytes), bytes))
}

/// Decodes `bytes` (BOM already removed) with `encoding`, GBK mapped to GB18030.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let encoding = if encoding == GBK { GB18030 } else { encoding };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    finish(text, encoding, had_errors)
}

fn finish(text: Cow<'_, str>, encoding: &'static Encoding, lossy: bool) -> Decoded {
    // A BOM `Encoding::for_bom` does not know (GB18030's `84 31 95 33`) or a doubled BOM
    // decodes to a leading U+FEFF: drop it too.
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim_start_matches('\u{feff}')),
        Cow::Owned(s) if s.starts_with('\u{feff}') => {
            Cow::Owned(s.trim_start_matches('\u{feff}').to_owned())
        }
        owned @ Cow::Owned(_) => owned,
    };
    Decoded {
        text: normalize_newlines(text),
        encoding: canonical_name(encoding),
        lossy,
    }
}

/// `"\r\n"` and lone `"\r"` → `"\n"`.
fn normalize_newlines(text: Cow<'_, str>) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split('\r');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        out.push('\n');
        out.push_str(part.strip_prefix('\n').unwrap_or(part));
    }
    out
}

/// The lowercase name reported in [`Decoded::encoding`].
fn canonical_name(encoding: &'static Encoding) -> &'static str {
    match encoding.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "GBK" | "gb18030" => "gb18030",
        "Big5" => "big5",
        "EUC-JP" => "euc-jp",
        "EUC-KR" => "euc-kr",
        "Shift_JIS" => "shift_jis",
        "ISO-2022-JP" => "iso-2022-jp",
        "IBM866" => "ibm866",
        "KOI8-R" => "koi8-r",
        "KOI8-U" => "koi8-u",
        "ISO-8859-2" => "iso-8859-2",
        "ISO-8859-3" => "iso-8859-3",
        "ISO-8859-4" => "iso-8859-4",
        "ISO-8859-5" => "iso-8859-5",
        "ISO-8859-6" => "iso-8859-6",
        "ISO-8859-7" => "iso-8859-7",
        "ISO-8859-8" => "iso-8859-8",
        "ISO-8859-8-I" => "iso-8859-8-i",
        "ISO-8859-10" => "iso-8859-10",
        "ISO-8859-13" => "iso-8859-13",
        "ISO-8859-14" => "iso-8859-14",
        "ISO-8859-15" => "iso-8859-15",
        "ISO-8859-16" => "iso-8859-16",
        // The remaining encoding_rs names (windows-125x, windows-874, macintosh,
        // x-mac-cyrillic, x-user-defined, replacement) are already lowercase.
        other => other,
    }
}

/// Refuses PDF and ZIP containers.
fn sniff_container(bytes: &[u8]) -> Result<(), DecodeError> {
    let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = start.trim_ascii_start();
    if start.starts_with(b"%PDF-") {
        return Err(DecodeError::Pdf);
    }
    // Local file header, empty archive, spanned archive.
    if [&b"PK\x03\x04"[..], b"PK\x05\x06", b"PK\x07\x08"]
        .iter()
        .any(|m| bytes.starts_with(m))
    {
        return Err(DecodeError::Zip);
    }
    if is_legacy_office(bytes) {
        return Err(DecodeError::LegacyOffice);
    }
    Ok(())
}

/// Whether `bytes` start as an OLE compound file: a binary Office document
/// ([`DecodeError::LegacyOffice`]).
pub(crate) fn is_legacy_office(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
}

/// More than 1% of `head` is NUL or a C0 control other than tab, LF, FF and CR.
fn looks_binary(head: &[u8]) -> bool {
    // Branch-free and counted in bytes, a chunk at a time, so that the compiler counts 32
    // bytes an instruction (a `usize` sum widens every byte first).
    let control = |b: u8| u8::from(b < 0x20 && b != b'\t' && b != b'\n' && b != 0x0c && b != b'\r');
    let controls: usize = head
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + control(b))))
        .sum();
    controls * 100 > head.len()
}

/// Not valid UTF-8, but at most one malformed sequence per 20 well-formed non-ASCII characters.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut errors, mut non_ascii) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        errors += usize::from(!chunk.invalid().is_empty());
    }
    errors > 0 && errors * 20 <= non_ascii
}

// ---------------------------------------------------------------------------------------------
// UTF-16 without BOM

#[derive(Default, Debug, Clone, Copy)]
struct Utf16Score {
    chars: usize,
    plausible: usize,
    cjk: usize,
}

impl Utf16Score {
    /// `self` is a strictly better reading than `other`.
    fn beats(&self, other: &Utf16Score) -> bool {
        // plausible/chars > other.plausible/other.chars, without division.
        self.plausible * other.chars > other.plausible * self.chars
    }
}

/// Reads `sample` as UTF-16; `None` if it has an unpaired surrogate. A high surrogate at the
/// very end is ignored when the sample was cut from a longer input.
fn utf16_score(sample: &[u8], big_endian: bool, cut: bool) -> Option<Utf16Score> {
    let unit = |pair: &[u8]| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    };
    let mut count = sample.len() / 2;
    if cut && count > 0 && (0xd800..0xdc00).contains(&unit(&sample[2 * count - 2..])) {
        count -= 1;
    }
    let mut score = Utf16Score::default();
    for c in char::decode_utf16(sample.chunks_exact(2).take(count).map(unit)) {
        let c = c.ok()?;
        score.chars += 1;
        score.plausible += usize::from(is_plausible(c));
        score.cjk += usize::from(is_cjk_ideograph(c));
    }
    Some(score)
}

fn is_cjk_ideograph(c: char) -> bool {
    matches!(c as u32, 0x4e00..=0x9fff | 0x20000..=0x3134f)
}

/// Characters expected in a Chinese report. Deliberately excludes the code points that ASCII
/// read with the wrong byte order turns into (U+2000 for a space, U+0A00 for a newline, U+3100
/// for '1', …), except U+3000, which is '0' swapped but also the ideographic space.
fn is_plausible(c: char) -> bool {
    is_cjk_ideograph(c)
        || matches!(
            c as u32,
            0x09 | 0x0a | 0x0c | 0x0d
                | 0x20..=0x7e
                | 0xa0..=0x24f // Latin-1 (×, ÷, ·) and Latin Extended
                | 0x2010..=0x2027 // dashes, quotes, ellipsis
                | 0x2030..=0x203b // ‰, ※
                | 0x2103 | 0x2116 // ℃, №
                | 0x2160..=0x217f // Roman numerals
                | 0x2460..=0x24ff // ①, ⑴, ⒈
                | 0x25a0..=0x25ff // ■, ●, △
                | 0x3000..=0x303f // CJK punctuation
                | 0x3220..=0x3243 // ㈠
                | 0x3280..=0x32b0 // ㊀
                | 0x338e..=0x33d5 // ㎡, ㎏
                | 0xfe30..=0xfe4f // CJK compatibility forms
                | 0xff01..=0xff5e // full-width ASCII
                | 0xffe0..=0xffe6 // full-width signs
        )
}

/// Recognises UTF-16 without a BOM (see the module documentation).
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let end = bytes.len().min(UTF16_SNIFF_LEN) & !1;
    let sample = &bytes[..end];
    let has_nul = sample.contains(&0);
    // Without NULs only CJK-only text qualifies: it has an even length.
    if sample.is_empty() || (!has_nul && !bytes.len().is_multiple_of(2)) {
        return None;
    }
    let cut = end < bytes.len();
    let (encoding, best) = match (
        utf16_score(sample, false, cut),
        utf16_score(sample, true, cut),
    ) {
        (Some(le), Some(be)) if be.beats(&le) => (UTF_16BE, be),
        (Some(le), _) => (UTF_16LE, le),
        (None, Some(be)) => (UTF_16BE, be),
        (None, None) => return None,
    };
    let plausible = if has_nul {
        best.plausible * 10 >= best.chars * 9
    } else {
        best.chars >= 4 && best.plausible * 20 >= best.chars * 19 && best.cjk * 2 >= best.chars
    };
    plausible.then_some(encoding)
}

// ---------------------------------------------------------------------------------------------
// <meta charset> prescan

/// Finds the encoding declared by a `<meta>` tag (or an XML declaration) in `head`.
///
/// Simplified from the HTML standard's prescan: comments are skipped, attribute values may be
/// quoted or not, names are case-insensitive. Declarations of UTF-8 and UTF-16 are ignored:
/// this runs only after the bytes turned out to be neither.
fn prescan_charset(head: &[u8]) -> Option<&'static Encoding> {
    if let Some(label) = head.strip_prefix(b"<?xml").and_then(xml_declared_encoding) {
        return usable_label(label);
    }
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            i += 4 + find(&rest[4..], b"-->")? + 3;
        } else if starts_with_ignore_case(rest, b"<meta")
            && rest
                .get(5)
                .is_some_and(|&b| b.is_ascii_whitespace() || b == b'/')
        {
            let mut j = i + 5;
            let (mut charset, mut content, mut pragma) = (None, None, false);
            while let Some((name, value)) = next_attribute(head, &mut j) {
                match name.as_slice() {
                    b"charset" if charset.is_none() => charset = Some(value),
                    b"content" if content.is_none() => content = Some(value),
                    b"http-equiv" => pragma |= value.eq_ignore_ascii_case(b"content-type"),
                    _ => {}
                }
            }
            let label = charset.or_else(|| {
                content
                    .filter(|_| pragma)
                    .and_then(|c| charset_from_content(&c).map(<[u8]>::to_vec))
            });
            if let Some(encoding) = label.and_then(|l| usable_label(&l)) {
                return Some(encoding);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// A declared label as a decoder to use, or `None` if it should be ignored.
fn usable_label(label: &[u8]) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label)?;
    if [UTF_8, UTF_16LE, UTF_16BE, REPLACEMENT].contains(&encoding) {
        None
    } else if encoding == X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else if encoding == GBK {
        Some(GB18030)
    } else {
        Some(encoding)
    }
}

fn xml_declared_encoding(decl: &[u8]) -> Option<&[u8]> {
    let decl = &decl[..find(decl, b"?>")?];
    let at = find(decl, b"encoding")?;
    let rest = decl[at + 8..]
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first().filter(|&&q| q == b'"' || q == b'\'')?;
    let value = &rest[1..];
    Some(&value[..value.iter().position(|&b| b == quote)?])
}

/// The value after `charset=` in a `content` attribute.
fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    loop {
        let at = from + find_ignore_case(&content[from..], b"charset")?;
        from = at + 7;
        let Some(rest) = content[from..].trim_ascii_start().strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        return match rest.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let value = &rest[1..];
                value.iter().position(|&b| b == q).map(|end| &value[..end])
            }
            Some(_) => {
                let end = rest
                    .iter()
                    .position(|&b| b == b';' || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            }
            None => None,
        };
    }
}

/// Reads one attribute of a tag starting at `*pos`; `None` at `>` or the end of the buffer.
/// The name is lowercased.
fn next_attribute(buf: &[u8], pos: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    let at = |p: usize| buf.get(p).copied();
    while at(*pos).is_some_and(|b| b.is_ascii_whitespace() || b == b'/') {
        *pos += 1;
    }
    if at(*pos).is_none_or(|b| b == b'>') {
        return None;
    }
    let mut name = Vec::new();
    while let Some(b) = at(*pos) {
        if b.is_ascii_whitespace() || b == b'/' || b == b'>' || (b == b'=' && !name.is_empty()) {
            break;
        }
        name.push(b.to_ascii_lowercase());
        *pos += 1;
    }
    while at(*pos).is_some_and(|b| b.is_ascii_whitespace()) {
        *pos += 1;
    }
    if at(*pos) != Some(b'=') {
        return Some((name, Vec::new()));
    }
    *pos += 1;
    while at(*pos).is_some_and(|b| b.is_ascii_whitespace()) {
        *pos += 1;
    }
    let mut value = Vec::new();
    match at(*pos) {
        Some(q @ (b'"' | b'\'')) => {
            *pos += 1;
            while let Some(b) = at(*pos) {
                *pos += 1;
                if b == q {
                    break;
                }
                value.push(b);
            }
        }
        _ => {
            while let Some(b) = at(*pos) {
                if b.is_ascii_whitespace() || b == b'>' {
                    break;
                }
                value.push(b);
                *pos += 1;
            }
        }
    }
    Some((name, value))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

// ---------------------------------------------------------------------------------------------
// chardetng

/// Guesses the encoding of bytes that are not UTF-8, UTF-16 or declared.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let prefix = &bytes[..bytes.len().min(SNIFF_LEN)];
    let last = prefix.len() == bytes.len();
    let guess = chardetng_guess(prefix, last);
    if guess == UTF_8 {
        return guess;
    }
    // chardetng drops a candidate at its first malformed sequence: a GBK page with one
    // corrupt byte or a stray fragment comes back as windows-1252. If GBK or Big5 read the
    // prefix with only a few errors, drop the errors and ask again.
    for candidate in [GBK, BIG5] {
        if guess == candidate {
            break;
        }
        let text = decode_prefix(candidate, prefix, last);
        let errors = text.chars().filter(|&c| c == '\u{fffd}').count();
        let non_ascii = text
            .chars()
            .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
            .count();
        if errors == 0 || errors * 10 > non_ascii {
            continue;
        }
        let cleaned: String = text.chars().filter(|&c| c != '\u{fffd}').collect();
        let (cleaned, _, _) = candidate.encode(&cleaned);
        if chardetng_guess(&cleaned, last) == candidate {
            return candidate;
        }
    }
    guess
}

fn chardetng_guess(bytes: &[u8], last: bool) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, last);
    detector.guess(None, Utf8Detection::Allow)
}

/// Decodes a prefix, not reporting an incomplete sequence at its end when `last` is false.
fn decode_prefix(encoding: &'static Encoding, prefix: &[u8], last: bool) -> String {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length(prefix.len())
        .unwrap_or(prefix.len() * 3 + 16);
    let mut text = String::with_capacity(capacity);
    let _ = decoder.decode_to_string(prefix, &mut text, last);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An invented report excerpt: title, prose, table rows with tabs, full-width digits and
    /// brackets, ideographic-space indentation.
    const SAMPLE: &str = "\
某县人民政府2024年政府信息公开工作年度报告

　　本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告格式的要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。

一、总体情况
　　2024年，县人民政府认真贯彻落实关于全面推进政务公开工作的决策部署，紧紧围绕全县经济社会发展中心任务，不断加大政府信息公开力度，切实保障人民群众的知情权、参与权、表达权和监督权。全年主动公开政府信息１２３４条，办理依申请公开４５件。
（二）部分公开\t12\t0
（二）部分公开\t3\t1
（三）不予公开\t\t2
二、存在的主要问题及改进情况
　　一是公开内容的全面性和及时性有待进一步提高；二是政策解读形式较为单一，图文、音视频解读数量偏少。下一步，我们将加强业务培训，完善工作机制，推动政务公开工作提质增效。
";

    /// The same kind of text in traditional characters.
    const TRADITIONAL: &str = "\
某縣人民政府2024年政府資訊公開工作年度報告

本報告依據《政府資訊公開條例》和相關規定編製。全文包括總體情況、主動公開政府資訊情況、收到和處理政府資訊公開申請情況、行政複議及行政訴訟情況、存在的主要問題及改進情況。本報告中所列數據的統計期限自2024年1月1日起至2024年12月31日止。

一、總體情況
2024年，縣政府認真貫徹落實關於全面推進政務公開工作的決策部署，緊緊圍繞全縣經濟社會發展中心任務，不斷加大政府資訊公開力度，切實保障人民群眾的知情權、參與權、表達權和監督權。
二、存在的主要問題及改進情況
一是公開內容的全面性和及時性有待進一步提高；二是政策解讀形式較為單一，圖文、影音解讀數量偏少。下一步，我們將加強業務培訓，完善工作機制，推動政務公開工作提質增效。
";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, used, unmappable) = encoding.encode(text);
        assert_eq!(used, encoding);
        assert!(!unmappable, "{} cannot encode the sample", encoding.name());
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    fn assert_decodes(bytes: &[u8], text: &str, encoding: &str) {
        let d = decode(bytes).unwrap_or_else(|e| panic!("{encoding}: {e}"));
        assert_eq!(d.encoding, encoding);
        assert!(!d.lossy, "{encoding}: lossy");
        assert_eq!(d.text, text, "{encoding}: text differs");
    }

    #[test]
    fn utf8() {
        assert_decodes(SAMPLE.as_bytes(), SAMPLE, "utf-8");
    }

    #[test]
    fn utf8_with_bom() {
        let bytes = [b"\xef\xbb\xbf", SAMPLE.as_bytes()].concat();
        assert_decodes(&bytes, SAMPLE, "utf-8");
    }

    #[test]
    fn gbk() {
        assert_decodes(&encode(GBK, SAMPLE), SAMPLE, "gb18030");
    }

    #[test]
    fn gb18030_with_four_byte_sequences() {
        // U+20BB7 𠮷 and U+00E9 é need GB18030's four-byte form (GBK cannot encode them).
        let text = format!("{SAMPLE}𠮷é\n");
        let bytes = encode(GB18030, &text);
        assert!(
            GBK.encode(&text).2,
            "GBK should not be able to encode the test text"
        );
        assert_decodes(&bytes, &text, "gb18030");
    }

    #[test]
    fn gb18030_bom_is_dropped() {
        let bytes = [b"\x84\x31\x95\x33", &encode(GBK, SAMPLE)[..]].concat();
        assert_decodes(&bytes, SAMPLE, "gb18030");
    }

    #[test]
    fn utf16_with_bom() {
        assert_decodes(
            &[b"\xff\xfe", &utf16(SAMPLE, false)[..]].concat(),
            SAMPLE,
            "utf-16le",
        );
        assert_decodes(
            &[b"\xfe\xff", &utf16(SAMPLE, true)[..]].concat(),
            SAMPLE,
            "utf-16be",
        );
    }

    #[test]
    fn utf16_without_bom() {
        assert_decodes(&utf16(SAMPLE, false), SAMPLE, "utf-16le");
        assert_decodes(&utf16(SAMPLE, true), SAMPLE, "utf-16be");
    }

    #[test]
    fn utf16_without_bom_ascii_only() {
        let text = "Annual report 2024\r\nreceived\t45\r\n";
        assert_decodes(
            &utf16(text, false),
            "Annual report 2024\nreceived\t45\n",
            "utf-16le",
        );
        assert_decodes(
            &utf16(text, true),
            "Annual report 2024\nreceived\t45\n",
            "utf-16be",
        );
        assert_decodes(&utf16("a", false), "a", "utf-16le");
    }

    #[test]
    fn utf16_without_bom_longer_than_the_sniffed_prefix() {
        // The 4 KiB sample ends inside a surrogate pair at some repetition.
        let text = format!("𠮷{}", SAMPLE.repeat(4));
        assert_decodes(&utf16(&text, false), &text, "utf-16le");
        assert_decodes(&utf16(&text, true), &text, "utf-16be");
    }

    /// Ideographs and punctuation only: no NUL byte anywhere.
    fn cjk_only() -> String {
        let text: String = SAMPLE
            .chars()
            .filter(|&c| !c.is_ascii() && (c as u32) & 0xff != 0 && (c as u32) >> 8 != 0)
            .collect();
        assert!(text.chars().count() > 300);
        text
    }

    #[test]
    fn utf16_without_bom_or_nul_bytes() {
        let text = cjk_only();
        for big_endian in [false, true] {
            let bytes = utf16(&text, big_endian);
            assert!(!bytes.contains(&0));
            assert_decodes(
                &bytes,
                &text,
                if big_endian { "utf-16be" } else { "utf-16le" },
            );
        }
        // Short, too.
        let short: String = text.chars().take(6).collect();
        assert_decodes(&utf16(&short, false), &short, "utf-16le");
    }

    #[test]
    fn cjk_only_gbk_and_big5_are_not_utf16() {
        assert_decodes(&encode(GBK, &cjk_only()), &cjk_only(), "gb18030");
        let traditional: String = TRADITIONAL.chars().filter(|c| !c.is_ascii()).collect();
        assert_decodes(&encode(BIG5, &traditional), &traditional, "big5");
        for n in [2, 3, 4, 5, 8, 13] {
            let short: String = cjk_only().chars().take(n).collect();
            assert_ne!(
                decode(&encode(GBK, &short)).unwrap().encoding,
                "utf-16le",
                "{short}"
            );
            assert_ne!(
                decode(&encode(GBK, &short)).unwrap().encoding,
                "utf-16be",
                "{short}"
            );
        }
    }

    #[test]
    fn big5_is_not_mistaken_for_gbk() {
        assert_decodes(&encode(BIG5, TRADITIONAL), TRADITIONAL, "big5");
        // GBK can encode traditional characters too: that stays GBK.
        assert_decodes(&encode(GBK, TRADITIONAL), TRADITIONAL, "gb18030");
    }

    #[test]
    fn short_gbk_and_big5_lines() {
        for line in SAMPLE.lines().filter(|l| l.chars().count() >= 6) {
            assert_decodes(&encode(GBK, line), line, "gb18030");
        }
        for line in TRADITIONAL.lines().filter(|l| l.chars().count() >= 20) {
            assert_decodes(&encode(BIG5, line), line, "big5");
        }
    }

    fn html(meta: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n{meta}\r\n<title>年度报告</title>\r\n</head>\r\n\
             <body><div class=\"content\"><p>{body}</p></div></body>\r\n</html>\r\n"
        )
    }

    #[test]
    fn html_meta_charset() {
        let page = html(r#"<meta charset="gb2312">"#, SAMPLE);
        assert_decodes(&encode(GBK, &page), &page.replace("\r\n", "\n"), "gb18030");
    }

    /// A page declaring a Western encoding a Chinese report cannot be in is read by its bytes.
    #[test]
    fn a_western_charset_declared_over_gbk_bytes_is_not_believed() {
        for meta in [
            r#"<meta charset="iso-8859-1">"#,
            r#"<meta charset="us-ascii">"#,
        ] {
            let page = html(meta, SAMPLE);
            assert_decodes(&encode(GBK, &page), &page.replace("\r\n", "\n"), "gb18030");
        }
    }

    #[test]
    fn html_meta_http_equiv() {
        let page = html(
            r#"<META http-equiv="Content-Type" content="text/html; charset=GBK" />"#,
            SAMPLE,
        );
        assert_decodes(&encode(GBK, &page), &page.replace("\r\n", "\n"), "gb18030");
    }

    #[test]
    fn html_meta_declaration_beats_chardetng() {
        // Two characters are too little for chardetng; the declaration decides.
        let page = "<html><head><meta http-equiv=content-type content='text/html;charset=big5'>\
                    </head><body>年度</body></html>";
        let bytes = encode(BIG5, page);
        assert_ne!(
            detect(&bytes),
            BIG5,
            "chardetng alone gets this right: pick another text"
        );
        assert_decodes(&bytes, page, "big5");
    }

    #[test]
    fn html_meta_is_ignored_for_valid_utf8() {
        let page = html(r#"<meta charset="gb2312">"#, SAMPLE);
        assert_decodes(page.as_bytes(), &page.replace("\r\n", "\n"), "utf-8");
    }

    #[test]
    fn prescan_forms() {
        let cases: &[(&str, Option<&'static Encoding>)] = &[
            (r#"<meta charset="gb2312">"#, Some(GB18030)),
            ("<META CHARSET=GBK>", Some(GB18030)),
            ("<meta charset='x-gbk'/>", Some(GB18030)),
            ("<meta  charset = \"gb18030\" >", Some(GB18030)),
            ("<meta charset=big5>", Some(BIG5)),
            (
                "<meta content=\"text/html; charset=gbk\" http-equiv=\"Content-Type\">",
                Some(GB18030),
            ),
            (
                "<meta http-equiv=Content-Type content=\"text/html; charset = 'big5'\">",
                Some(BIG5),
            ),
            ("<meta content=\"text/html; charset=gbk\">", None), // no http-equiv
            (
                "<!-- <meta charset=big5> --><meta charset=gbk>",
                Some(GB18030),
            ),
            ("<!-- <meta charset=big5> unterminated", None),
            ("<meta charset=utf-8>", None),
            ("<meta charset=utf-16le>", None),
            ("<meta charset=iso-2022-kr>", None), // the replacement encoding
            (
                "<meta charset=no-such-thing><meta charset=gbk>",
                Some(GB18030),
            ),
            (
                "<meta name=\"keywords\" content=\"charset=big5\"><meta charset=gbk>",
                Some(GB18030),
            ),
            ("<metadata charset=big5>", None),
            ("<meta charset=\"gbk", Some(GB18030)),
            (
                "<?xml version=\"1.0\" encoding=\"GB2312\"?><html>",
                Some(GB18030),
            ),
            ("<?xml version='1.0' encoding='big5' ?>", Some(BIG5)),
            ("<p>charset=gbk</p>", None),
            ("", None),
        ];
        for &(head, expected) in cases {
            assert_eq!(prescan_charset(head.as_bytes()), expected, "{head}");
        }
    }

    #[test]
    fn meta_beyond_1024_bytes_is_not_used() {
        let head = format!("{}<meta charset=big5>", " ".repeat(1024));
        assert_eq!(prescan_charset(&head.as_bytes()[..META_PRESCAN_LEN]), None);
        // chardetng still finds GBK.
        let page = html("", SAMPLE);
        let bytes = encode(
            GBK,
            &format!("{}<meta charset=big5>{page}", " ".repeat(1024)),
        );
        assert_eq!(decode(&bytes).unwrap().encoding, "gb18030");
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        let d = decode(b"a\r\nb\rc\n\r\r\nd\r").unwrap();
        assert_eq!(d.text, "a\nb\nc\n\n\nd\n");
        let crlf = SAMPLE.replace('\n', "\r\n");
        assert_decodes(crlf.as_bytes(), SAMPLE, "utf-8");
        assert_decodes(&encode(GBK, &crlf), SAMPLE, "gb18030");
        assert_decodes(&utf16(&crlf, false), SAMPLE, "utf-16le");
        assert_decodes(
            &[b"\xfe\xff", &utf16(&crlf, true)[..]].concat(),
            SAMPLE,
            "utf-16be",
        );
    }

    #[test]
    fn form_feeds_and_a_stray_control_are_text() {
        let text = format!("{SAMPLE}\x0c{SAMPLE}\x07{SAMPLE}");
        assert_decodes(text.as_bytes(), &text, "utf-8");
    }

    #[test]
    fn invalid_utf8_after_the_prefix_is_lossy_utf8() {
        let text = SAMPLE.repeat(8);
        assert!(text.len() > SNIFF_LEN);
        let bytes = [text.as_bytes(), b"\xff\n"].concat();
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "utf-8");
        assert!(d.lossy);
        assert_eq!(d.text, format!("{text}\u{fffd}\n"));
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8() {
        // One corrupt byte early on (chardetng alone would reject UTF-8) and a stale
        // declaration.
        let page = html(r#"<meta charset="gbk">"#, SAMPLE).replace("\r\n", "\n");
        let at = page.find("一、").unwrap();
        let bytes = [&page.as_bytes()[..at], b"\xff\xfe", &page.as_bytes()[at..]].concat();
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "utf-8");
        assert!(d.lossy);
        assert_eq!(
            d.text,
            format!("{}\u{fffd}\u{fffd}{}", &page[..at], &page[at..])
        );
        // Without the declaration too.
        let at = SAMPLE.find("本报告").unwrap();
        let text = format!("{}\u{fffd}{}", &SAMPLE[..at], &SAMPLE[at..]);
        let bytes = [&SAMPLE.as_bytes()[..at], b"\x80", &SAMPLE.as_bytes()[at..]].concat();
        let d = decode(&bytes).unwrap();
        assert_eq!(
            (d.encoding, d.lossy, d.text.as_str()),
            ("utf-8", true, text.as_str())
        );
    }

    #[test]
    fn gbk_with_stray_bytes_stays_gbk() {
        let gbk = encode(GBK, SAMPLE);
        let line_ends: Vec<usize> = gbk
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let insertions: &[&[u8]] = &[
            b"\xff",                     // never valid in GB18030
            b"\xa1 ",                    // a lead byte followed by a space
            b"\xfe\x30",                 // a lead byte followed by a digit
            "（来源：网站）".as_bytes(), // a UTF-8 fragment
            b"\xe6\x9f\x90\xe5\x8e\xbf", // a UTF-8 fragment without ASCII around
            b"\xc0\xc0\xff\xff\x20\x80", // a mess
        ];
        for insertion in insertions {
            for &at in &[0, 1, line_ends[2], line_ends[4] + 1] {
                let mut bytes = gbk.clone();
                bytes.splice(at..at, insertion.iter().copied());
                let (expected, errors) = GB18030.decode_without_bom_handling(&bytes);
                let d = decode(&bytes).unwrap();
                assert_eq!(d.encoding, "gb18030", "{insertion:x?} at {at}");
                assert_eq!(d.lossy, errors, "{insertion:x?} at {at}");
                assert_eq!(d.text, expected, "{insertion:x?} at {at}");
            }
        }
    }

    #[test]
    fn big5_with_a_stray_byte_stays_big5() {
        let mut bytes = encode(BIG5, TRADITIONAL);
        bytes.splice(10..10, *b"\xa1 ");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "big5");
        assert!(d.lossy);
    }

    #[test]
    fn latin1_text_is_not_forced_into_gbk() {
        let text = "Le rapport annuel de la préfecture: données publiées, réponses données à \
                    temps, procédures évaluées. Dépenses: 1 234 €. Fin.\n"
            .repeat(3);
        let d = decode(&encode(WINDOWS_1252, &text)).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, text);
    }

    #[test]
    fn containers_and_binary() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            Err(DecodeError::Pdf)
        );
        assert_eq!(decode(b"\r\n  %PDF-1.4"), Err(DecodeError::Pdf));
        assert_eq!(decode(b"\xef\xbb\xbf%PDF-1.4"), Err(DecodeError::Pdf));
        assert_eq!(
            decode(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"),
            Err(DecodeError::Zip)
        );
        assert_eq!(
            decode(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            Err(DecodeError::Zip)
        );
        // An OLE2 header (.doc/.wps/.xls) is named; a text that merely holds those bytes later
        // is not one.
        let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        ole.resize(512, 0);
        assert_eq!(decode(&ole), Err(DecodeError::LegacyOffice));
        assert_eq!(decode(&ole[..8]), Err(DecodeError::LegacyOffice));
        assert_eq!(
            decode(&[b"  ", &ole[..]].concat()),
            Err(DecodeError::Binary)
        );
        // A PNG, zeros, random-looking controls.
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66";
        assert_eq!(decode(png), Err(DecodeError::Binary));
        assert_eq!(decode(&[0; 100]), Err(DecodeError::Binary));
        assert_eq!(decode(b"\0"), Err(DecodeError::Binary));
        let controls: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8).collect();
        assert_eq!(decode(&controls), Err(DecodeError::Binary));
        // Valid UTF-8 with many controls is still binary.
        let text = format!("{SAMPLE}{}", "\x01".repeat(SAMPLE.len() / 50));
        assert_eq!(decode(text.as_bytes()), Err(DecodeError::Binary));
        // A lone BOM is an empty text, not an empty file.
        assert_decodes(b"\xef\xbb\xbf", "", "utf-8");
    }

    #[test]
    fn binary_is_more_than_one_percent_controls_counted_across_chunks() {
        // Around the 255-byte chunks the count is kept in, and at the 1% line itself.
        for len in [1, 99, 100, 101, 254, 255, 256, 510, 511, 8192] {
            for controls in [0, len / 100, len / 100 + 1, len / 2, len] {
                let mut head = vec![b'a'; len];
                for i in 0..controls {
                    head[i * len / controls.max(1)] = if i % 2 == 0 { 0 } else { 0x1b };
                }
                // Tab, LF, FF and CR are text.
                head.extend_from_slice(b"\t\n\x0c\r");
                let counted = head
                    .iter()
                    .filter(|&&b| b < 0x20 && !b"\t\n\x0c\r".contains(&b))
                    .count();
                assert_eq!(
                    looks_binary(&head),
                    counted * 100 > head.len(),
                    "{len} bytes, {controls} controls"
                );
            }
        }
        assert!(looks_binary(&[0; 255 * 3 + 1]));
    }

    #[test]
    fn error_messages() {
        assert_eq!(DecodeError::Empty.to_string(), "the file is empty");
        assert_eq!(
            DecodeError::Pdf.to_string(),
            "a PDF file, not a text document: read it with `xxgk_parse::parse`"
        );
        assert!(
            DecodeError::Zip
                .to_string()
                .starts_with("a ZIP container (.docx/.xlsx)")
        );
        assert_eq!(DecodeError::Binary.to_string(), "binary data, not text");
        assert!(
            DecodeError::LegacyOffice
                .to_string()
                .contains("Word 97-2003 .doc")
        );
        let boxed: Box<dyn std::error::Error> = Box::new(DecodeError::Binary);
        assert_eq!(boxed.to_string(), "binary data, not text");
    }

    #[test]
    fn canonical_names_are_lowercase_encoding_rs_names() {
        let labels = [
            "utf-8",
            "utf-16le",
            "utf-16be",
            "gbk",
            "gb18030",
            "big5",
            "euc-jp",
            "euc-kr",
            "shift_jis",
            "iso-2022-jp",
            "ibm866",
            "koi8-r",
            "koi8-u",
            "iso-8859-2",
            "iso-8859-3",
            "iso-8859-4",
            "iso-8859-5",
            "iso-8859-6",
            "iso-8859-7",
            "iso-8859-8",
            "iso-8859-8-i",
            "iso-8859-10",
            "iso-8859-13",
            "iso-8859-14",
            "iso-8859-15",
            "iso-8859-16",
            "windows-874",
            "windows-1250",
            "windows-1251",
            "windows-1252",
            "windows-1253",
            "windows-1254",
            "windows-1255",
            "windows-1256",
            "windows-1257",
            "windows-1258",
            "macintosh",
            "x-mac-cyrillic",
            "x-user-defined",
            "iso-2022-kr",
        ];
        for label in labels {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let expected = if encoding == GBK {
                "gb18030".to_string()
            } else {
                encoding.name().to_lowercase()
            };
            assert_eq!(canonical_name(encoding), expected);
        }
    }

    /// xorshift64*: deterministic, no dependencies.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let seeds: Vec<Vec<u8>> = vec![
            SAMPLE.as_bytes().to_vec(),
            encode(GBK, SAMPLE),
            encode(BIG5, TRADITIONAL),
            utf16(SAMPLE, false),
            utf16(SAMPLE, true),
            encode(GBK, &html(r#"<meta charset="gb2312">"#, SAMPLE)),
        ];
        let magic: &[&[u8]] = &[
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
            b"%PDF-",
            b"PK\x03\x04",
            b"<meta charset=",
            b"<!--",
            b"<?xml encoding=",
            b"\r",
            b"\0",
        ];
        for round in 0..2000 {
            let len = match rng.below(10) {
                0 => rng.below(4),
                1..=6 => rng.below(300),
                7 | 8 => rng.below(3000),
                _ => SNIFF_LEN - 64 + rng.below(128),
            };
            let bytes: Vec<u8> = match round % 5 {
                // Uniform bytes.
                0 => (0..len).map(|_| rng.next() as u8).collect(),
                // Mostly printable ASCII and high bytes, few controls.
                1 => (0..len)
                    .map(|_| match rng.below(20) {
                        0 => rng.below(32) as u8,
                        1..=9 => 0x20 + rng.below(95) as u8,
                        _ => 0x80 + rng.below(128) as u8,
                    })
                    .collect(),
                // UTF-16-like: every other byte NUL or a CJK high byte.
                2 => (0..len)
                    .map(|i| match (i % 2, rng.below(3)) {
                        (0, _) => rng.next() as u8,
                        (_, 0) => 0,
                        _ => 0x4e + rng.below(0x52) as u8,
                    })
                    .collect(),
                // A mutated real encoding.
                3 => {
                    let mut b = seeds[rng.below(seeds.len())].clone();
                    for _ in 0..rng.below(8) {
                        let at = rng.below(b.len() + 1);
                        match rng.below(3) {
                            0 => b.insert(at, rng.next() as u8),
                            1 if at < b.len() => {
                                b.remove(at);
                            }
                            _ => b.truncate(at),
                        }
                    }
                    b
                }
                // Magic numbers and markup glued to random bytes.
                _ => {
                    let mut b = magic[rng.below(magic.len())].to_vec();
                    b.extend((0..len).map(|_| rng.next() as u8));
                    if rng.below(2) == 0 {
                        b.extend_from_slice(magic[rng.below(magic.len())]);
                    }
                    b
                }
            };
            match decode(&bytes) {
                Ok(d) => {
                    assert!(!d.text.contains('\r'), "{bytes:x?}");
                    assert!(!d.text.starts_with('\u{feff}'), "{bytes:x?}");
                    assert_eq!(d.encoding, d.encoding.to_lowercase());
                }
                Err(DecodeError::Empty) => assert!(bytes.is_empty()),
                Err(_) => {}
            }
        }
    }
}
