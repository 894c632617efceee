//! Fonts as far as text extraction needs them: how a string splits into character codes,
//! each code's text and advance width, and the writing direction.

use crate::cmap::{Predefined, ToUnicode};
use crate::content::number;
use lopdf::{Dictionary, Document, Object};

/// Bytes of a font's `/ToUnicode` or embedded CMap stream decompressed at the most.
const MAX_CMAP_BYTES: usize = 8 * 1024 * 1024;
/// Entries of a `/W` or `/Widths` array read at the most.
const MAX_WIDTH_ENTRIES: usize = 100_000;

/// One character code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Code {
    /// The text the code stands for; `None` when the font gives no way to know it.
    pub text: Option<String>,
    /// Horizontal advance in text space units (before the font size).
    pub width: f32,
    /// Word spacing applies: a single-byte code 32.
    pub is_space: bool,
}

#[derive(Debug, Clone)]
enum Codes {
    /// One byte a code; the text of each of the 256 codes from the font's encoding.
    Simple {
        widths: Vec<f32>,
        texts: Vec<Option<String>>,
    },
    /// Codes of one to four bytes through a CMap; widths by CID.
    Composite {
        cmap: CompositeCMap,
        widths: CidWidths,
    },
}

#[derive(Debug, Clone)]
enum CompositeCMap {
    Predefined(Predefined),
    /// A CMap stream embedded as `/Encoding`: its code spaces split the codes, which are read
    /// as CIDs.
    Embedded(ToUnicode),
}

/// `/W` of a CIDFont: widths by CID, `/DW` for the rest.
#[derive(Debug, Clone, Default)]
struct CidWidths {
    /// `(first, last, widths)`, sorted by `first`; one width serves the whole range.
    ranges: Vec<(u32, u32, Vec<f32>)>,
    default: f32,
}

impl CidWidths {
    fn get(&self, cid: u32) -> f32 {
        let i = self.ranges.partition_point(|r| r.0 <= cid);
        if i > 0 {
            let (first, last, widths) = &self.ranges[i - 1];
            if cid <= *last {
                let index = (cid - first) as usize;
                return widths
                    .get(index)
                    .or(widths.last().filter(|_| widths.len() == 1))
                    .copied()
                    .unwrap_or(self.default);
            }
        }
        self.default
    }
}

/// A font of a page's resources, ready to decode shown strings.
#[derive(Debug, Clone)]
pub(crate) struct Font {
    codes: Codes,
    to_unicode: Option<ToUnicode>,
    /// Height of the em square in text space units (1 but for odd Type 3 matrices).
    pub em: f32,
    /// Vertical writing (`Identity-V`, `…-V` CMaps): glyphs advance downward.
    pub vertical: bool,
}

impl Font {
    /// A font that shows nothing readable: used when a font is missing or unreadable, so
    /// that positions still advance and the text is reported as unknown.
    pub(crate) fn unknown() -> Font {
        Font {
            codes: Codes::Simple {
                widths: vec![0.5; 256],
                texts: vec![None; 256],
            },
            to_unicode: None,
            em: 1.0,
            vertical: false,
        }
    }

    /// Read a font dictionary.
    pub(crate) fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = name(doc, dict, b"Subtype").unwrap_or_default();
        let to_unicode = deref(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| {
                s.decompressed_content_with_limit(MAX_CMAP_BYTES)
                    .ok()
                    .or_else(|| Some(s.content.clone()))
            })
            .map(|data| ToUnicode::parse(&data));
        if subtype == b"Type0" {
            return Font::composite(doc, dict, to_unicode);
        }
        let mut scale = 0.001;
        let mut em = 1.0;
        if subtype == b"Type3"
            && let Some(m) = numbers(doc, dict.get(b"FontMatrix").ok())
            && m.len() == 6
            && m[0] != 0.0
        {
            scale = m[0].abs();
            em = (m[3].abs() * 1000.0).clamp(0.01, 100.0);
        }
        let first = deref(doc, dict.get(b"FirstChar").ok())
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0)
            .clamp(0, 255) as usize;
        let missing = descriptor_number(doc, dict, b"MissingWidth");
        let listed = numbers(doc, dict.get(b"Widths").ok()).unwrap_or_default();
        let mut widths =
            vec![missing.unwrap_or(if listed.is_empty() { 500.0 } else { 0.0 }) * scale; 256];
        if listed.is_empty() {
            // A standard 14 font without metrics: an average width, narrower for the space.
            widths[32] = 250.0 * scale;
        }
        for (i, w) in listed.iter().take(256).enumerate() {
            if let Some(slot) = widths.get_mut(first + i) {
                *slot = w * scale;
            }
        }
        let encoding = dict.get_font_encoding_with_limit(doc, MAX_CMAP_BYTES).ok();
        let texts = (0..=255u8)
            .map(|code| {
                encoding
                    .as_ref()
                    .and_then(|e| e.bytes_to_string(&[code]).ok())
                    .filter(|t| !t.is_empty() && !t.contains('\u{FFFD}'))
                    // No readable encoding: printable ASCII is ASCII in every base encoding.
                    .or_else(|| {
                        (encoding.is_none() && (0x20..0x7F).contains(&code))
                            .then(|| char::from(code).to_string())
                    })
            })
            .collect();
        Font {
            codes: Codes::Simple { widths, texts },
            to_unicode,
            em,
            vertical: false,
        }
    }

    fn composite(doc: &Document, dict: &Dictionary, to_unicode: Option<ToUnicode>) -> Font {
        let encoding = deref(doc, dict.get(b"Encoding").ok());
        let (cmap, vertical) = match encoding {
            Some(Object::Name(n)) => (
                CompositeCMap::Predefined(Predefined::from_name(n)),
                n.ends_with(b"-V"),
            ),
            Some(Object::Stream(s)) => {
                let data = s
                    .decompressed_content_with_limit(MAX_CMAP_BYTES)
                    .unwrap_or_default();
                let wmode = s.dict.get(b"WMode").and_then(Object::as_i64).unwrap_or(0);
                (CompositeCMap::Embedded(ToUnicode::parse(&data)), wmode == 1)
            }
            _ => (CompositeCMap::Predefined(Predefined::Identity), false),
        };
        let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| deref(doc, a.first()))
            .and_then(|o| o.as_dict().ok());
        let mut widths = CidWidths {
            ranges: Vec::new(),
            default: 1.0,
        };
        if let Some(cid_font) = descendant {
            if let Some(dw) = deref(doc, cid_font.get(b"DW").ok()).and_then(number) {
                widths.default = dw / 1000.0;
            }
            if let Some(Object::Array(w)) = deref(doc, cid_font.get(b"W").ok()) {
                widths.ranges = cid_width_ranges(doc, w);
            }
        }
        Font {
            codes: Codes::Composite { cmap, widths },
            to_unicode,
            em: 1.0,
            vertical,
        }
    }

    /// Split a shown string into codes.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        let mut out = Vec::with_capacity(bytes.len());
        match &self.codes {
            Codes::Simple { widths, texts } => {
                for &b in bytes {
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|t| t.lookup(u32::from(b), 1))
                        .or_else(|| texts[usize::from(b)].clone());
                    out.push(Code {
                        text,
                        width: widths[usize::from(b)],
                        is_space: b == 32,
                    });
                }
            }
            Codes::Composite { cmap, widths } => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let len = match cmap {
                        CompositeCMap::Predefined(p) => self
                            .tounicode_length(rest)
                            .unwrap_or_else(|| p.code_length(rest)),
                        CompositeCMap::Embedded(c) => embedded_length(c, rest),
                    };
                    let code_bytes = &rest[..len];
                    let code = code_bytes
                        .iter()
                        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
                    let (cid, predefined_text) = match cmap {
                        CompositeCMap::Predefined(Predefined::Identity)
                        | CompositeCMap::Embedded(_) => (Some(code), None),
                        CompositeCMap::Predefined(p) => (p.cid(code_bytes), p.text(code_bytes)),
                    };
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|t| t.lookup(code, len as u8))
                        .or(predefined_text);
                    out.push(Code {
                        text,
                        width: cid.map_or(widths.default, |c| widths.get(c)),
                        is_space: len == 1 && code == 32,
                    });
                    i += len;
                }
            }
        }
        out
    }

    /// For Identity and unknown CMaps, the code length the ToUnicode CMap uses (some writers
    /// pair one-byte codes with Identity-H).
    fn tounicode_length(&self, rest: &[u8]) -> Option<usize> {
        let Codes::Composite {
            cmap: CompositeCMap::Predefined(Predefined::Identity | Predefined::Unknown),
            ..
        } = &self.codes
        else {
            return None;
        };
        let t = self.to_unicode.as_ref()?;
        if t.has_length(2) || !t.has_length(1) {
            return None;
        }
        Some(1.min(rest.len()))
    }
}

/// The code length an embedded CMap's code spaces give the bytes at the start of `rest`.
fn embedded_length(cmap: &ToUnicode, rest: &[u8]) -> usize {
    for len in cmap.code_lengths() {
        let len = usize::from(len);
        if len <= rest.len() {
            let code = rest[..len]
                .iter()
                .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
            if cmap.in_space(code, len as u8) {
                return len;
            }
        }
    }
    2.min(rest.len()).max(1)
}

/// `/W`: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_width_ranges(doc: &Document, w: &[Object]) -> Vec<(u32, u32, Vec<f32>)> {
    let mut ranges = Vec::new();
    let mut i = 0;
    let mut entries = 0usize;
    while i < w.len() && entries < MAX_WIDTH_ENTRIES {
        let Some(first) = deref(doc, w.get(i)).and_then(number) else {
            break;
        };
        let first = first.max(0.0) as u32;
        match deref(doc, w.get(i + 1)) {
            Some(Object::Array(list)) => {
                let widths: Vec<f32> = list
                    .iter()
                    .take(MAX_WIDTH_ENTRIES)
                    .map(|o| deref(doc, Some(o)).and_then(number).unwrap_or(1000.0) / 1000.0)
                    .collect();
                entries += widths.len();
                if !widths.is_empty() {
                    let last = first.saturating_add(widths.len() as u32 - 1);
                    ranges.push((first, last, widths));
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(width)) =
                    (number(o), deref(doc, w.get(i + 2)).and_then(number))
                else {
                    break;
                };
                let last = (last.max(0.0) as u32).max(first);
                ranges.push((first, last, vec![width / 1000.0]));
                entries += 1;
                i += 3;
            }
            None => break,
        }
    }
    ranges.sort_by_key(|r| r.0);
    ranges
}

fn deref<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(object?).ok().map(|(_, o)| o)
}

fn name(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    deref(doc, dict.get(key).ok())?
        .as_name()
        .ok()
        .map(<[u8]>::to_vec)
}

fn numbers(doc: &Document, o: Option<&Object>) -> Option<Vec<f32>> {
    let array = deref(doc, o)?.as_array().ok()?;
    Some(
        array
            .iter()
            .take(MAX_WIDTH_ENTRIES)
            .map(|o| deref(doc, Some(o)).and_then(number).unwrap_or(0.0))
            .collect(),
    )
}

fn descriptor_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    let descriptor = deref(doc, dict.get(b"FontDescriptor").ok())?
        .as_dict()
        .ok()?;
    deref(doc, descriptor.get(key).ok()).and_then(number)
}
