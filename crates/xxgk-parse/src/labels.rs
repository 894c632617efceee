//! Matching printed labels against the template's: reports reword, wrap, number and annotate
//! labels, so matching is by the characters the label keeps, not by equality.

use crate::doc::fold_char;
use crate::tuning::TUNING;
use unicode_normalization::UnicodeNormalization;
use xxgk_model::template::Label;

fn is_numeral(c: char) -> bool {
    // `NUMERALS.contains(c)` searches the string for the character's UTF-8 bytes: a tenth of
    // the batch's time once. The test below keeps the two in step.
    matches!(
        c,
        '0'..='9' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Whether NFKC and [`fold_char`] leave `s` as it is, by a fast test that holds for most
/// labels: ASCII, CJK unified ideographs and the punctuation labels print (`、。《》【】“”‘’—`),
/// none of which decomposes, composes or folds. `false` says nothing.
fn plainly_nfkc(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii()
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || matches!(
                c,
                '\u{3001}' | '\u{3002}' | '\u{300A}'
                    ..='\u{3011}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
            )
    })
}

/// A numbering token at the start of `rest` (`（一）`, `(1)`, `一、`, `1.`, `1、`, `1．`), `prev`
/// being the character before it: its numeral and its length in bytes. `rest` is folded
/// ([`fold_char`]), so `（` and `．` stand for themselves only in unfolded text.
fn numbering_at(rest: &str, prev: Option<char>) -> Option<(&str, usize)> {
    let first = rest.chars().next()?;
    let open = matches!(first, '(' | '（');
    // Nearly every character starts no numbering: told at once.
    if !open && (!is_numeral(first) || prev.is_some_and(is_numeral)) {
        return None;
    }
    let start = if open { first.len_utf8() } else { 0 };
    let digits: usize = rest[start..]
        .chars()
        .take_while(|&c| is_numeral(c))
        .map(char::len_utf8)
        .sum();
    if digits == 0 {
        return None;
    }
    let end = start + digits;
    let numeral = &rest[start..end];
    let mut after = rest[end..].chars();
    let next = after.next();
    let with_marker = end + next.map_or(0, char::len_utf8);
    if open {
        return matches!(next, Some(')' | '）')).then_some((numeral, with_marker));
    }
    let after_is_digit = after.next().is_some_and(|c| c.is_ascii_digit());
    let marker = matches!(next, Some('、' | '．')) || (next == Some('.') && !after_is_digit);
    marker.then_some((numeral, with_marker))
}

/// `s` with [`fold_char`] applied, borrowed when that changes nothing (ASCII and CJK, most
/// labels).
fn folded(s: &str) -> std::borrow::Cow<'_, str> {
    if plainly_nfkc(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().map(fold_char).collect())
    }
}

/// The numbering tokens in `s` (`（一）`, `一、`, `1.`, `1、`, `(1)`), as their bare numerals.
pub(crate) fn numberings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_numbering(s, |n| out.push(n.to_owned()));
    out
}

/// Calls `f` with each of [`numberings`] of `s`, without collecting them.
pub(crate) fn each_numbering(s: &str, mut f: impl FnMut(&str)) {
    let s = folded(s);
    let mut prev = None;
    let mut rest: &str = &s;
    while let Some(c) = rest.chars().next() {
        match numbering_at(rest, prev) {
            Some((n, len)) => {
                f(n);
                prev = rest[..len].chars().next_back();
                rest = &rest[len..];
            }
            None => {
                prev = Some(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

/// `char::is_alphanumeric`, answering ASCII and CJK unified ideographs (nearly every character
/// of a label) without the Unicode tables.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
    }
}

/// The characters of a label that carry its meaning: NFKC-folded, numbering and everything
/// but letters, digits and ideographs removed.
pub(crate) fn core(s: &str) -> Vec<char> {
    let mut out = Vec::new();
    push_core(s, &mut out);
    out
}

/// Whether `s` is its own core: ASCII letters and digits only (a cell's number, most often),
/// with no numbering without a bracket or a marker, and nothing to fold.
pub(crate) fn is_own_core(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Appends [`core()`] of `s` to `out` as text (the core of a text joined with spaces is the
/// cores of its parts one after another: a space is no numeral, no numbering marker, and
/// composes with nothing).
pub(crate) fn push_core_str(s: &str, out: &mut String) {
    // Told without the cache.
    if is_own_core(s) {
        out.push_str(s);
        return;
    }
    if with_cached_core(s, |core| out.push_str(&core.text)).is_none() {
        compute_core(s, |c| out.push(c));
    }
}

/// Appends [`core()`] of `s` to `out` (as [`push_core_str`] would, as characters).
pub(crate) fn push_core(s: &str, out: &mut Vec<char>) {
    if is_own_core(s) {
        out.extend(s.bytes().map(char::from));
        return;
    }
    if with_cached_core(s, |core| out.extend_from_slice(&core.chars)).is_none() {
        compute_core(s, |c| out.push(c));
    }
}

/// Texts longer than this (prose) are not kept in the cache of cores.
const CACHED_BYTES: usize = 96;
/// The cache is emptied when it holds this many texts, so that its memory stays bounded. The
/// texts that repeat are few: 1,024 does as well as 8,192 (0.2% more instructions over 2,000
/// reports) and keeps a thread's caches under a megabyte, full from the first few hundred
/// reports, so that memory does not grow with the corpus.
const CACHED_TEXTS: usize = 1024;

thread_local! {
    /// Cores of short texts: labels and values repeat from row to row, from report to
    /// report, and each is looked at by several stages of matching.
    static CORES: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Core>> =
        std::cell::RefCell::default();
}

/// A text's core, kept both ways its readers take it: as characters (for comparing) and as
/// text (for searching).
struct Core {
    chars: Box<[char]>,
    text: Box<str>,
}

/// `g` of the core of `s` from the cache (computed and kept on a miss), read in place; `None`
/// for a long text, or when the cache is in use (`g` then is not called).
fn with_cached_core<R>(s: &str, g: impl FnOnce(&Core) -> R) -> Option<R> {
    if s.len() > CACHED_BYTES {
        return None;
    }
    CORES.with(|cache| {
        let mut cache = cache.try_borrow_mut().ok()?;
        if let Some(core) = cache.get(s) {
            return Some(g(core));
        }
        if cache.len() >= CACHED_TEXTS {
            cache.clear();
        }
        let mut chars = Vec::with_capacity(s.len() / 3 + 1);
        compute_core(s, |c| chars.push(c));
        let core = Core {
            text: chars.iter().collect::<String>().into_boxed_str(),
            chars: chars.into_boxed_slice(),
        };
        let core = cache.entry(s.into()).or_insert(core);
        Some(g(core))
    })
}

/// The core of `s`, computed: each of its characters to `f` in turn.
fn compute_core(s: &str, mut f: impl FnMut(char)) {
    let normal: std::borrow::Cow<'_, str> = if plainly_nfkc(s) {
        // ASCII and CJK: NFKC and fold_char leave them as they are.
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfkc().map(fold_char).collect())
    };
    let mut prev = None;
    let mut rest: &str = &normal;
    while let Some(c) = rest.chars().next() {
        if let Some((_, len)) = numbering_at(rest, prev) {
            prev = rest[..len].chars().next_back();
            rest = &rest[len..];
            continue;
        }
        if is_alphanumeric(c) {
            f(c);
        }
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
}

/// Length of the longest common subsequence.
pub(crate) fn lcs(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    // Symmetric: the shorter side in the bit vector.
    let (a, b) = if b.len() <= a.len() { (a, b) } else { (b, a) };
    if b.len() <= 128 {
        lcs_bits(a, b)
    } else {
        lcs_table(a, b)
    }
}

/// [`lcs`] by the bit-parallel recurrence (Hyyrö): one bit per character of `b` (at most 128),
/// a zero bit for each character of `b` in the common subsequence so far. No allocation.
fn lcs_bits(a: &[char], b: &[char]) -> usize {
    debug_assert!(b.len() <= 128);
    let mut v = u128::MAX;
    for x in a {
        let mut m = 0u128;
        for (j, y) in b.iter().enumerate() {
            m |= u128::from(x == y) << j;
        }
        let u = v & m;
        v = v.wrapping_add(u) | (v & !m);
    }
    let used = if b.len() == 128 {
        u128::MAX
    } else {
        (1u128 << b.len()) - 1
    };
    b.len() - (v & used).count_ones() as usize
}

/// [`lcs`] by the textbook table, two rows of it.
fn lcs_table(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Length of the longest run of characters `a` and `b` share unbroken.
pub(crate) fn longest_common_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { 0 };
            best = best.max(cur[j + 1]);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    best
}

/// The longest text (core characters) scored as a label.
const MAX_LABEL_CHARS: usize = 1000;

/// A template label prepared for matching.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    spellings: Vec<Vec<char>>,
    numbering: Option<String>,
}

impl Pattern {
    /// Prepare `label` (its title and every variant).
    pub(crate) fn new(label: &Label) -> Pattern {
        let mut spellings: Vec<Vec<char>> = label
            .spellings()
            .map(core)
            .filter(|c| !c.is_empty())
            .collect();
        spellings.dedup();
        Pattern {
            spellings,
            numbering: numberings(label.title).into_iter().next(),
        }
    }

    /// [`Pattern::score_found`] computing the text's core and numberings itself: what the
    /// tests call (the matcher computes a printed label's once for every label).
    #[cfg(test)]
    fn score(&self, text: &str) -> Option<f32> {
        self.score_found(&core(text), &numberings(text))
    }

    /// [`Pattern::score_with`] each spelling's [`lcs`] computed alone: what [`Patterns`] is
    /// tested against.
    #[cfg(test)]
    fn score_found(&self, t: &[char], found: &[String]) -> Option<f32> {
        self.score_with(t, found, |_, s| lcs(s, t))
    }

    /// How well a text whose [`core()`] is `t` and whose [`numberings`] are `found` reads as
    /// this label, `common(k, spelling)` giving the [`lcs`] of `t` with spelling `k`: 0 (not
    /// at all) to about 1.1; `None` below the threshold. Coverage of the label's characters
    /// counts most, then how little else the text holds; a matching number (`3.`) adds a
    /// little, a different one takes some off. The text counts by its core and numberings
    /// only, so that a score can be kept for texts alike.
    fn score_with(
        &self,
        t: &[char],
        found: &[String],
        common: impl Fn(usize, &[char]) -> usize,
    ) -> Option<f32> {
        // A text this long is a paragraph, not a label: not scored (its subsequences would
        // cover any label, at a cost growing with its length for every pattern).
        if t.is_empty() || t.len() > MAX_LABEL_CHARS {
            return None;
        }
        let numbered_alike = self.numbering.as_ref().is_some_and(|n| found.contains(n));
        let mut best: Option<f32> = None;
        for (k, s) in self.spellings.iter().enumerate() {
            let common = common(k, s) as f32;
            let coverage = common / s.len() as f32;
            let precision = common / t.len() as f32;
            // Short labels must be matched whole; long ones survive a lost character or two.
            let needed = if s.len() <= TUNING.short_label {
                1.0
            } else {
                TUNING.label_coverage
            };
            let score = if coverage + f32::EPSILON >= needed {
                0.8 * coverage + 0.2 * precision
            } else {
                // A label cut short by an extractor (`5.属于三类内部事`, or only the end of a
                // wrapped label, `行政机关不再处理其政府信息公`): a long unbroken run of the
                // label's characters, with its numbering when one is printed, reads as the
                // label, weakly, so that a whole label elsewhere always wins.
                // A numbering of another level (a group's `（六）` before a row's `1.`) is no
                // contradiction; one of the same level that differs is.
                let arabic = |n: &str| n.starts_with(|c: char| c.is_ascii_digit());
                let numbering_fits = numbered_alike
                    || self
                        .numbering
                        .as_ref()
                        .is_none_or(|n| !found.iter().any(|f| arabic(f) == arabic(n)));
                let long_enough = |run: usize| {
                    run >= TUNING.cut_label_run
                        && run as f32 >= TUNING.cut_label_share * s.len() as f32
                };
                // A run is a common subsequence, so no run is longer than `common`: when that
                // is too short, so is every run (most texts against most labels), and the
                // run, which costs the product of the lengths, is not looked for.
                if !(numbering_fits && long_enough(common as usize)) {
                    continue;
                }
                let run = longest_common_run(s, t);
                if !long_enough(run) {
                    continue;
                }
                0.5 * run as f32 / s.len() as f32 + 0.1 * (run as f32 / t.len() as f32)
            };
            best = Some(best.map_or(score, |b: f32| b.max(score)));
        }
        let mut score = best?;
        if self.numbering.is_some() {
            if numbered_alike {
                score += 0.1;
            } else if !found.is_empty() && found.len() == 1 {
                score -= 0.1;
            }
        }
        Some(score)
    }
}

/// Patterns scored together, each text against all of them: their characters are numbered,
/// so that a text's characters are looked up once, and its [`lcs`] with a spelling costs one
/// read per character of the spelling (not a comparison per pair of characters).
#[derive(Debug, Clone)]
pub(crate) struct Patterns {
    patterns: Vec<Pattern>,
    /// Every character of the spellings, numbered.
    alphabet: rustc_hash::FxHashMap<char, usize>,
    /// Each pattern's spellings, as the numbers of their characters.
    numbered: Vec<Vec<Vec<usize>>>,
}

impl Patterns {
    pub(crate) fn new(patterns: Vec<Pattern>) -> Patterns {
        let mut alphabet = rustc_hash::FxHashMap::default();
        let numbered = patterns
            .iter()
            .map(|p| {
                p.spellings
                    .iter()
                    .map(|s| {
                        s.iter()
                            .map(|c| {
                                let next = alphabet.len();
                                *alphabet.entry(*c).or_insert(next)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Patterns {
            patterns,
            alphabet,
            numbered,
        }
    }

    /// The score of `t` (its [`core()`]) with numberings `found` against each pattern, in
    /// order ([`Pattern::score_with`]).
    pub(crate) fn scores(&self, t: &[char], found: &[String]) -> Vec<Option<f32>> {
        // The characters of `t` no spelling has take no part in a common subsequence: the
        // others, at most 128 of them, are the bits of a bit-parallel LCS (Hyyrö), each
        // character's mask (the bits where it stands) read by its number.
        let mut masks = Vec::new();
        let mut kept = 0usize;
        if !t.is_empty() && t.len() <= MAX_LABEL_CHARS {
            masks = vec![0u128; self.alphabet.len()];
            for c in t {
                if let Some(mask) = self.alphabet.get(c).and_then(|&k| masks.get_mut(k)) {
                    if kept == 128 {
                        // Too many: compared character by character ([`lcs`]).
                        masks.clear();
                        break;
                    }
                    *mask |= 1u128 << kept;
                    kept += 1;
                }
            }
        }
        self.patterns
            .iter()
            .zip(&self.numbered)
            .map(|(p, numbered)| {
                p.score_with(t, found, |k, s| match numbered.get(k) {
                    Some(ids) if !masks.is_empty() => lcs_masked(ids, &masks, kept),
                    _ => lcs(s, t),
                })
            })
            .collect()
    }
}

/// [`lcs`] of a spelling (its characters' numbers `ids`) with a text of which `kept`
/// characters (at most 128) are in the alphabet, `masks` holding the bits where each stands.
fn lcs_masked(ids: &[usize], masks: &[u128], kept: usize) -> usize {
    let mut v = u128::MAX;
    for &id in ids {
        let m = masks.get(id).copied().unwrap_or(0);
        let u = v & m;
        v = v.wrapping_add(u) | (v & !m);
    }
    let used = if kept >= 128 {
        u128::MAX
    } else {
        (1u128 << kept) - 1
    };
    kept - (v & used).count_ones() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::template::NUMERALS;

    fn label(title: &'static str) -> Label {
        Label {
            title,
            variants: &[],
        }
    }

    #[test]
    fn numerals_are_the_templates() {
        for c in ('\0'..='\u{FFFF}').chain(['\u{1F600}']) {
            assert_eq!(
                is_numeral(c),
                c.is_ascii_digit() || NUMERALS.contains(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn plain_text_is_its_own_nfkc() {
        for c in ('\0'..='\u{FFFF}').filter(|c| plainly_nfkc(&c.to_string())) {
            let s = format!("{c}a{c}");
            assert_eq!(s.nfkc().collect::<String>(), s, "{c:?}");
            assert_eq!(fold_char(c), c, "{c:?}");
        }
    }

    #[test]
    fn lcs_bits_is_the_table() {
        let mut seed = 12345u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let alphabet: Vec<char> = "一二三公开ab申请".chars().collect();
        for _ in 0..3000 {
            let mut word = |max: u64| -> Vec<char> {
                let n = next(max);
                (0..n)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect()
            };
            let (a, b) = (word(150), word(150));
            let table = if a.is_empty() || b.is_empty() {
                0
            } else {
                lcs_table(&a, &b)
            };
            assert_eq!(lcs(&a, &b), table, "{a:?} {b:?}");
            if !a.is_empty() && !b.is_empty() && b.len() <= 128 {
                assert_eq!(lcs_bits(&a, &b), table, "{a:?} {b:?}");
            }
        }
    }

    /// The character-vector implementation of [`numberings`] and [`core()`] that the
    /// string-walking one replaced, kept to show the two agree.
    mod reference {
        use super::super::{fold_char, is_numeral, plainly_nfkc};
        use unicode_normalization::UnicodeNormalization;

        fn numbering_at(chars: &[char], i: usize) -> Option<(String, usize)> {
            let open = matches!(chars.get(i), Some('(' | '（'));
            let start = if open { i + 1 } else { i };
            if !open && i > 0 && is_numeral(chars[i - 1]) {
                return None;
            }
            let mut j = start;
            while j < chars.len() && is_numeral(chars[j]) {
                j += 1;
            }
            if j == start {
                return None;
            }
            let numeral: String = chars[start..j].iter().collect();
            let next = chars.get(j).copied();
            if open {
                return matches!(next, Some(')' | '）')).then(|| (numeral, j + 1 - i));
            }
            let after_is_digit = chars.get(j + 1).is_some_and(char::is_ascii_digit);
            let marker =
                matches!(next, Some('、' | '．')) || (next == Some('.') && !after_is_digit);
            marker.then(|| (numeral, j + 1 - i))
        }

        pub(super) fn numberings(s: &str) -> Vec<String> {
            let chars: Vec<char> = s.chars().map(fold_char).collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                match numbering_at(&chars, i) {
                    Some((n, len)) => {
                        out.push(n);
                        i += len;
                    }
                    None => i += 1,
                }
            }
            out
        }

        pub(super) fn core(s: &str) -> Vec<char> {
            let chars: Vec<char> = if plainly_nfkc(s) {
                s.chars().map(fold_char).collect()
            } else {
                s.nfkc().map(fold_char).collect()
            };
            let mut out = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                if let Some((_, len)) = numbering_at(&chars, i) {
                    i += len;
                    continue;
                }
                if chars[i].is_alphanumeric() {
                    out.push(chars[i]);
                }
                i += 1;
            }
            out
        }
    }

    #[test]
    fn core_and_numberings_are_the_reference() {
        let alphabet: Vec<char> =
            "一二三十1209()（）.．、，,申请公开a Ｂ１\u{3000}\u{00B4}\u{0301}ｶﾞ①⑵㈠"
                .chars()
                .collect();
        let mut seed = 987_654_321u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize;
            let s: String = (0..len)
                .map(|k| alphabet[((seed >> (4 * k + 8)) % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(core(&s), reference::core(&s), "{s:?}");
            // Again, from the cache this time, and as `push_core_str` gives it.
            assert_eq!(core(&s), reference::core(&s), "{s:?}");
            let mut text = String::new();
            push_core_str(&s, &mut text);
            assert_eq!(
                text.chars().collect::<Vec<_>>(),
                reference::core(&s),
                "{s:?}"
            );
            let mut pushed = Vec::new();
            push_core(&s, &mut pushed);
            assert_eq!(pushed, reference::core(&s), "{s:?}");
            assert_eq!(numberings(&s), reference::numberings(&s), "{s:?}");
            // The core of a text joined with spaces is its parts' cores in turn.
            let (a, b) = s.split_at(s.char_indices().nth(len / 2).map_or(s.len(), |(i, _)| i));
            let mut parts = core(a);
            parts.extend(core(b));
            assert_eq!(core(&format!("{a} {b}")), parts, "{a:?} {b:?}");
        }
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert!(c.is_alphanumeric(), "{c:?}");
        }
        // ASCII letters and digits, told without the cache.
        for s in [
            "0",
            "2024",
            "12a",
            "a1",
            "Z",
            "9z9",
            "123456789012345678901234567890",
        ] {
            let mut text = String::from("x");
            push_core_str(s, &mut text);
            assert_eq!(
                text[1..].chars().collect::<Vec<_>>(),
                reference::core(s),
                "{s:?}"
            );
            let mut pushed = vec!['x'];
            push_core(s, &mut pushed);
            assert_eq!(pushed[1..], reference::core(s), "{s:?}");
        }
    }

    #[test]
    fn the_cache_of_cores_stays_bounded_and_skips_long_texts() {
        for i in 0..CACHED_TEXTS + 10 {
            assert_eq!(core(&format!("（{i}）申请")), vec!['申', '请']);
        }
        assert!(CORES.with_borrow(|c| c.len()) <= CACHED_TEXTS);
        let long = "申请".repeat(CACHED_BYTES);
        assert_eq!(core(&long).len(), 2 * CACHED_BYTES);
        assert!(CORES.with_borrow(|c| !c.contains_key(long.as_str())));
    }

    #[test]
    fn patterns_score_as_each_pattern_alone() {
        let labels = [
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "4.保护第三方合法权益",
            "3.其他",
            "规章",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ];
        let patterns: Vec<Pattern> = labels.iter().map(|l| Pattern::new(&label(l))).collect();
        let set = Patterns::new(patterns.clone());
        let alphabet: Vec<char> = "部分公开处理其他规章申请政府信息第三方x1".chars().collect();
        let mut seed = 42u64;
        for round in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Short texts, and texts with more than 128 characters of the patterns.
            let len = if round % 10 == 0 {
                100 + seed % 200
            } else {
                seed % 40
            };
            let mut x = seed;
            let t: Vec<char> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                    alphabet[((x >> 33) % alphabet.len() as u64) as usize]
                })
                .collect();
            let found = numberings(&t.iter().collect::<String>());
            let alone: Vec<Option<f32>> =
                patterns.iter().map(|p| p.score_found(&t, &found)).collect();
            assert_eq!(set.scores(&t, &found), alone, "{t:?}");
        }
        for label in labels {
            let t = core(label);
            let alone: Vec<Option<f32>> = patterns.iter().map(|p| p.score_found(&t, &[])).collect();
            assert_eq!(set.scores(&t, &[]), alone, "{label}");
        }
    }

    #[test]
    fn numbering_and_core() {
        assert_eq!(numberings("（三）不予公开 1.属于国家秘密"), ["三", "1"]);
        assert_eq!(numberings("3、其他"), ["3"]);
        assert_eq!(numberings("96171.6"), Vec::<String>::new());
        assert_eq!(
            core("（二）部分公开").iter().collect::<String>(),
            "部分公开"
        );
        assert_eq!(
            core("3.危及“三安全一稳定”").iter().collect::<String>(),
            "危及三安全一稳定"
        );
        assert_eq!(core("商业 企业").iter().collect::<String>(), "商业企业");
    }

    #[test]
    fn scores() {
        let p = Pattern::new(&label(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ));
        assert!(
            p.score("（二）部分公开（区分处理的，只计这一情 形，不计其他情形）")
                .unwrap()
                > 1.0
        );
        let p = Pattern::new(&label("4.保护第三方合法权益"));
        // A paragraph holding the label is no label (and is not scored: it would cost its
        // length for every pattern).
        let paragraph = format!("保护第三方合法权益{}", "的政府信息".repeat(200));
        let half: String = paragraph.chars().take(500).collect();
        assert!(p.score(&half).is_some());
        assert_eq!(p.score(&paragraph), None);
        assert!(
            p.score("4. 保护第三方合法").is_some(),
            "a label cut by a page break still matches"
        );
        let p = Pattern::new(&label("3.其他"));
        assert!(p.score("3、其他").is_some());
        assert!(p.score("他处理").is_none());
        let p = Pattern::new(&label("2.其他法律行政法规禁止公开"));
        assert!(p.score("本 2.其他法律行政法规禁止公开").unwrap() > 0.9);
        let p = Pattern::new(&label("规章"));
        assert!(p.score("行政规范性文件").is_none());
    }
}
