//! The narrative's statements: sentences that state a figure of the tables (全年共收到政府信息
//! 公开申请95件) or a fact they show (均维持). What counts as one is the schema's
//! (`x-xxgk-prose`, generated as [`PROSE`]); this module reads the prose with it.
//!
//! The prose rows are joined into one stream (a paragraph wrapped over lines reads as one),
//! cut into sentences at 。；！？ and at numbered headings, and read number by number: a
//! number's topic is the last topic word before it in its sentence (else the first right
//! after it), its cue the words of its own clause since the previous number, its after-words
//! those up to the next comma or number. Precision comes
//! before recall: an approximate number (5500 余条), a change (同比增加), a number two
//! statements could claim, is left alone.

use crate::doc::{Document, Layout, Row, fold_char};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;
use xxgk_model::PROSE;
use xxgk_model::cell::{Amount, AmountUnit};
use xxgk_model::diagnostic::Location;
use xxgk_model::prose::{Prose, Statement, StatementDef};
use xxgk_model::template::NUMERALS;

/// Characters that end a sentence.
const SENTENCE_ENDS: &[char] = &['。', '；', ';', '！', '!', '？', '?'];
/// Characters that end a clause inside a sentence.
const CLAUSE_ENDS: &[char] = &['，', ',', '、', '：', ':', '（', '(', '）', ')'];
/// Chinese numerals a count may be written in (二十三件, 两件).
const CHINESE_DIGITS: &[char] = &[
    '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九',
];
const CHINESE_MULTIPLIERS: &[char] = &['十', '百', '千', '万'];
/// Characters that end a number's after-words (an opening bracket does not: 46件（含上年结转）).
const AFTER_ENDS: &[char] = &['，', ',', '、', '：', ':', '）', ')'];
/// A numbered line this short without a sentence end is a heading.
const MAX_HEADING_CHARS: usize = 25;
/// The longest quote kept: a clause, not a page.
const MAX_QUOTE_CHARS: usize = 120;
/// A longer run without a sentence end is not a sentence (a dump, a hostile file): skipped,
/// which also keeps the reading linear.
const MAX_SENTENCE_CHARS: usize = 2_000;
/// A longer row is a dump of a page, not a paragraph: not read as prose.
const MAX_ROW_BYTES: usize = 64 * 1024;

/// Prose as a stream of characters, a paragraph or a few at a time: whitespace dropped,
/// full-width folded, each character knowing where it stands.
#[derive(Default)]
struct Stream {
    chars: Vec<char>,
    /// Each character as printed (before folding), and whether whitespace of its own row
    /// stood before it.
    printed: Vec<(char, bool)>,
    /// For each character: the row it comes from and its character index in the row's raw text.
    origin: Vec<(usize, usize)>,
}

impl Stream {
    fn drain(&mut self, n: usize) {
        self.chars.drain(..n);
        self.printed.drain(..n);
        self.origin.drain(..n);
    }
}

/// What the reader looks for, indexed once: units longest first, topic words and claims by
/// their first character.
struct Lexicon {
    units: Vec<&'static str>,
    topic_words: FxHashMap<char, Vec<(Vec<char>, usize)>>,
    claim_firsts: Vec<char>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
        let prose: &Prose = &PROSE;
        let mut units: Vec<&'static str> = prose
            .statements
            .iter()
            .flat_map(|d| d.units.iter().copied())
            .collect();
        units.sort_by_key(|u| (std::cmp::Reverse(u.chars().count()), *u));
        units.dedup();
        let mut topic_words: FxHashMap<char, Vec<(Vec<char>, usize)>> = FxHashMap::default();
        for (t, topic) in prose.topics.iter().enumerate() {
            for k in topic.keywords {
                let w: Vec<char> = k.chars().collect();
                if let Some(&first) = w.first() {
                    topic_words.entry(first).or_default().push((w, t));
                }
            }
        }
        let mut claim_firsts: Vec<char> = prose
            .statements
            .iter()
            .flat_map(|d| d.claims.iter().filter_map(|c| c.chars().next()))
            .collect();
        claim_firsts.sort_unstable();
        claim_firsts.dedup();
        Lexicon {
            units,
            topic_words,
            claim_firsts,
        }
    });
    &LEXICON
}

/// Does the row open with a heading's numbering (`一、`, `（二）`, `3.`)?
fn numbered(text: &str) -> bool {
    let mut cs = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .skip_while(|c| *c == '#')
        .take(6);
    match cs.next() {
        Some('（' | '(') => cs
            .next()
            .is_some_and(|c| NUMERALS.contains(c) || c.is_ascii_digit()),
        Some(c) if NUMERALS.contains(c) => cs.find(|c| !NUMERALS.contains(*c)) == Some('、'),
        Some(c) if c.is_ascii_digit() => {
            matches!(cs.find(|c| !c.is_ascii_digit()), Some('、' | '．' | '.'))
        }
        _ => false,
    }
}

/// A number written in the prose, with its unit when one follows.
#[derive(Debug, Clone)]
struct Number {
    start: usize,
    /// Where the unit ends (`digits_end` when there is none).
    end: usize,
    /// The digits as written (ASCII, no separators), or the Chinese numeral's value.
    text: String,
    /// The integer value, when the number is a whole count.
    count: Option<u64>,
    unit: Option<&'static str>,
    /// Written with 余/多 between number and unit, or as a Chinese numeral preceded by 第.
    approximate: bool,
}

fn chinese_value(cs: &[char]) -> Option<u64> {
    let (mut total, mut section, mut current) = (0u64, 0u64, None::<u64>);
    for &c in cs {
        let digit = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = digit {
            current = Some(d);
            continue;
        }
        let m = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                section += current.take().unwrap_or(0);
                total = total.checked_add(section.checked_mul(10_000)?)?;
                section = 0;
                continue;
            }
            _ => return None,
        };
        section += current.take().unwrap_or(1) * m;
    }
    Some(total + section + current.unwrap_or(0))
}

/// Every number in `chars[from..to]`, units read with `units` (longest first).
fn numbers(chars: &[char], from: usize, to: usize, units: &[&'static str]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let c = chars[i];
        let arabic = c.is_ascii_digit();
        let chinese = CHINESE_DIGITS.contains(&c) || (c == '十' && i + 1 < to);
        if !arabic && !chinese {
            i += 1;
            continue;
        }
        let start = i;
        let (text, count, mut end) = if arabic {
            let mut digits = String::new();
            let mut j = i;
            let mut decimal = false;
            while j < to {
                let d = chars[j];
                if d.is_ascii_digit() {
                    digits.push(d);
                } else if d == ','
                    && j + 3 < to + 1
                    && chars[j + 1..(j + 4).min(to)]
                        .iter()
                        .filter(|c| c.is_ascii_digit())
                        .count()
                        == 3
                {
                    // A thousands separator.
                } else if d == '.' && !decimal && j + 1 < to && chars[j + 1].is_ascii_digit() {
                    decimal = true;
                    digits.push('.');
                } else {
                    break;
                }
                j += 1;
            }
            let count = if decimal { None } else { digits.parse().ok() };
            (digits, count, j)
        } else {
            let mut j = i;
            while j < to
                && (CHINESE_DIGITS.contains(&chars[j]) || CHINESE_MULTIPLIERS.contains(&chars[j]))
            {
                j += 1;
            }
            // A lone 万 or trailing multiplier run like 万元 belongs to the unit.
            while j > i && chars[j - 1] == '万' && units.iter().any(|u| u.starts_with('万')) {
                j -= 1;
            }
            let value = chinese_value(&chars[i..j]);
            (value.map(|v| v.to_string()).unwrap_or_default(), value, j)
        };
        if end == start {
            i += 1;
            continue;
        }
        let digits_end = end;
        let mut approximate = chinese && start > 0 && chars[start - 1] == '第';
        // 5500 余条, 20 多件: approximate, though a unit follows.
        if end < to && matches!(chars[end], '余' | '多') {
            approximate = true;
            end += 1;
        }
        let unit = units.iter().copied().find(|u| {
            let n = u.chars().count();
            end + n <= to && chars[end..end + n].iter().copied().eq(u.chars())
        });
        if let Some(u) = unit {
            end += u.chars().count();
        }
        // A Chinese numeral counts only with a unit: 一 is also a word (统一, 进一步).
        if chinese && unit.is_none() {
            i = digits_end.max(i + 1);
            continue;
        }
        out.push(Number {
            start,
            end,
            text,
            count,
            unit,
            approximate,
        });
        i = end.max(start + 1);
    }
    out
}

fn contains(hay: &[char], word: &str) -> bool {
    // At each place holding the word's first character, the rest compared char by char
    // (no collected word, no slice comparison call at every place).
    let mut w = word.chars();
    let Some(first) = w.next() else {
        return false;
    };
    let rest = w.as_str();
    hay.iter().enumerate().any(|(i, &c)| {
        c == first && {
            let mut h = hay[i + 1..].iter();
            rest.chars().all(|r| h.next() == Some(&r))
        }
    })
}

fn any(hay: &[char], words: &[&str]) -> bool {
    words.iter().any(|w| contains(hay, w))
}

/// Every occurrence of a topic word in `chars[from..to]`: `(start, end, topic index)`.
fn topic_marks(
    lex: &Lexicon,
    chars: &[char],
    from: usize,
    to: usize,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for i in from..to {
        for (w, t) in lex.topic_words.get(&chars[i]).into_iter().flatten() {
            // The first character is the key: the rest compared char by char.
            if i + w.len() <= to && chars[i + 1..i + w.len()].iter().eq(&w[1..]) {
                out.push((i, i + w.len(), *t));
            }
        }
    }
    out
}

/// The topic of what stands at `at`: the last topic word ending at or before it (the longer
/// word when two end together: 行政复议 over 复议).
fn topic_before(marks: &[(usize, usize, usize)], at: usize) -> Option<usize> {
    marks
        .iter()
        .filter(|m| m.1 <= at)
        .max_by_key(|m| (m.1, m.1 - m.0))
        .map(|m| m.2)
}

fn is_clause_end(c: char) -> bool {
    CLAUSE_ENDS.contains(&c) || SENTENCE_ENDS.contains(&c)
}

/// Find the statements of the narrative in `doc`. The prose is read a few paragraphs at a
/// time (up to a sentence end at a row's end, a table, a heading), so memory follows the
/// longest paragraph, not the document.
pub(crate) fn statements(doc: &Document) -> Vec<Statement> {
    let (prose, lex): (&Prose, &Lexicon) = (&PROSE, lexicon());
    let mut out = Vec::new();
    let mut s = Stream::default();
    for (r, row) in doc.rows.iter().enumerate() {
        let raw = row.fragments.first().map_or("", |f| f.raw.as_str());
        let prose_row = row.table.is_none()
            && row.fragments.len() == 1
            && matches!(row.layout, Layout::Prose | Layout::Aligned)
            // A dump of a whole page on one line is no paragraph.
            && raw.len() <= MAX_ROW_BYTES;
        let numbered = prose_row && numbered(raw);
        // A heading line alone (一、总体情况) ends what stands before and after it; a numbered
        // paragraph (（二）依申请公开情况。全年共收到……) only what stands before.
        let heading = numbered
            && raw.chars().filter(|c| !c.is_whitespace()).count() <= MAX_HEADING_CHARS
            && !raw.chars().any(|c| SENTENCE_ENDS.contains(&c));
        if !prose_row || numbered {
            read(prose, lex, doc, &mut s, None, &mut out);
        }
        if !prose_row {
            continue;
        }
        let mut space = false;
        for (k, raw) in raw.chars().enumerate() {
            let c = fold_char(raw);
            if c.is_whitespace() {
                space = true;
            } else {
                s.chars.push(c);
                s.printed.push((raw, space));
                s.origin.push((r, k));
                space = false;
            }
        }
        if heading {
            read(prose, lex, doc, &mut s, None, &mut out);
        } else if s.chars.last().is_some_and(|c| SENTENCE_ENDS.contains(c)) {
            // A paragraph that ends its sentence: nothing after it belongs to it.
            read(prose, lex, doc, &mut s, None, &mut out);
        } else if s.chars.len() > MAX_SENTENCE_CHARS {
            // A long run without an end: read what has ended; a sentence this long is none.
            let ended = s
                .chars
                .iter()
                .rposition(|c| SENTENCE_ENDS.contains(c))
                .map_or(s.chars.len() - MAX_SENTENCE_CHARS, |i| i + 1);
            read(prose, lex, doc, &mut s, Some(ended), &mut out);
        }
    }
    read(prose, lex, doc, &mut s, None, &mut out);
    out
}

/// Read the sentences of `s.chars[..end]` (all of it for `None`) and drop them from the stream.
fn read(
    prose: &Prose,
    lex: &Lexicon,
    doc: &Document,
    s: &mut Stream,
    end: Option<usize>,
    out: &mut Vec<Statement>,
) {
    let end = end.unwrap_or(s.chars.len());
    let mut from = 0;
    while from < end {
        let to = (from..end)
            .find(|&i| SENTENCE_ENDS.contains(&s.chars[i]))
            .unwrap_or(end);
        if to > from {
            sentence(prose, lex, doc, s, from, to, out);
        }
        from = to + 1;
    }
    s.drain(end);
}

#[allow(clippy::too_many_arguments)]
fn sentence(
    prose: &Prose,
    lex: &Lexicon,
    doc: &Document,
    s: &Stream,
    from: usize,
    to: usize,
    out: &mut Vec<Statement>,
) {
    let chars = &s.chars;
    if to - from > MAX_SENTENCE_CHARS {
        return;
    }
    let nums = numbers(chars, from, to, &lex.units);
    let claim_start = |c: &char| lex.claim_firsts.binary_search(c).is_ok();
    if nums.iter().all(|n| n.unit.is_none()) && !chars[from..to].iter().any(claim_start) {
        return;
    }
    let marks = topic_marks(lex, chars, from, to);
    if marks.is_empty() {
        return;
    }
    let clause_start = |at: usize| {
        (from..at)
            .rev()
            .find(|&i| is_clause_end(chars[i]))
            .map_or(from, |i| i + 1)
    };
    let clause_end = |at: usize| (at..to).find(|&i| is_clause_end(chars[i])).unwrap_or(to);
    for (k, n) in nums.iter().enumerate() {
        let (Some(unit), false) = (n.unit, n.approximate) else {
            continue;
        };
        // The cue: the number's own clause, since the previous number.
        let cue_from = if k == 0 { from } else { nums[k - 1].end };
        let cue = &chars[clause_start(n.start).max(cue_from)..n.start];
        let next = nums.get(k + 1).map_or(to, |m| m.start);
        let after_to = (n.end..next)
            .find(|&i| AFTER_ENDS.contains(&chars[i]) || SENTENCE_ENDS.contains(&chars[i]))
            .unwrap_or(next);
        let after = &chars[n.end..after_to];
        let sequel = &chars[n.end..next];
        // The topic named before the number, else right after it (8件申请结转下一年度).
        let topic = topic_before(&marks, n.start).or_else(|| {
            marks
                .iter()
                .filter(|m| m.0 >= n.end && m.1 <= after_to)
                .min_by_key(|m| (m.0, std::cmp::Reverse(m.1 - m.0)))
                .map(|m| m.2)
        });
        let Some(topic) = topic else {
            continue;
        };
        if any(cue, prose.exclude)
            || prose.approximate_before.iter().any(|w| {
                cue.len() >= w.chars().count()
                    && cue[cue.len() - w.chars().count()..]
                        .iter()
                        .copied()
                        .eq(w.chars())
            })
            || prose.approximate_after.iter().any(|w| {
                after.len() >= w.chars().count()
                    && after[..w.chars().count()].iter().copied().eq(w.chars())
            })
        {
            continue;
        }
        let topic_id = prose.topics[topic].id;
        let matched: Vec<&StatementDef> = prose
            .statements
            .iter()
            .filter(|d| d.topic == topic_id && d.claims.is_empty() && d.units.contains(&unit))
            .filter(|d| {
                d.patterns.iter().any(|p| {
                    p.before.iter().all(|g| any(cue, g)) && p.after.iter().all(|g| any(after, g))
                })
            })
            .filter(|d| !any(cue, d.exclude) && !any(sequel, d.exclude_after))
            .collect();
        let [def] = matched.as_slice() else {
            // None, or two statements could claim it: not checked.
            continue;
        };
        let amount = match AmountUnit::parse(unit) {
            Some(u) => match Amount::parse(&n.text, u) {
                Some(a) => Some(a),
                None => continue,
            },
            None => None,
        };
        let count = if amount.is_some() {
            None
        } else {
            match n.count {
                Some(c) => Some(c),
                None => continue,
            }
        };
        let quote_from = clause_start(n.start);
        let quote_to = if def.patterns.iter().any(|p| !p.after.is_empty()) {
            after_to
        } else {
            n.end
        };
        out.push(statement(
            doc, s, def.id, count, amount, quote_from, quote_to,
        ));
    }
    // Claims: phrases without a number (均维持, 未收取).
    for def in prose.statements.iter().filter(|d| !d.claims.is_empty()) {
        for claim in def.claims {
            let w: Vec<char> = claim.chars().collect();
            let Some(at) = (from..to.saturating_sub(w.len() - 1).max(from)).find(|&i| {
                i + w.len() <= to && w.first() == chars.get(i) && chars[i..i + w.len()] == w[..]
            }) else {
                continue;
            };
            let (cs, ce) = (clause_start(at), clause_end(at + w.len()));
            let own = marks
                .iter()
                .filter(|m| m.0 >= cs && m.1 <= ce)
                .max_by_key(|m| m.1 - m.0);
            let topic = own.map(|m| m.2).or_else(|| topic_before(&marks, at));
            if topic.map(|t| prose.topics[t].id) != Some(def.topic)
                || any(&chars[from..at], def.exclude)
            {
                continue;
            }
            // Quote from the clause naming the topic to the claim's clause end.
            let topic_at = own
                .or_else(|| {
                    marks
                        .iter()
                        .filter(|m| m.1 <= at)
                        .max_by_key(|m| (m.1, m.1 - m.0))
                })
                .map_or(cs, |m| clause_start(m.0));
            out.push(statement(doc, s, def.id, None, None, topic_at.min(cs), ce));
            break;
        }
    }
}

/// A statement quoting `s.chars[from..to]` as printed (spaces kept), located at its start.
fn statement(
    doc: &Document,
    s: &Stream,
    id: &str,
    count: Option<u64>,
    amount: Option<Amount>,
    from: usize,
    to: usize,
) -> Statement {
    let to = to.min(from + MAX_QUOTE_CHARS).max(from + 1);
    let first = s.origin[from];
    let mut text = String::new();
    for i in from..to {
        let (printed, space) = s.printed[i];
        if space && i > from && s.origin[i - 1].0 == s.origin[i].0 {
            text.push(' ');
        }
        text.push(printed);
    }
    let text = text.trim().to_owned();
    let location = location_of(&doc.rows[first.0], first.1, &text, s, from, to);
    Statement {
        statement: id.to_owned(),
        count,
        amount,
        text,
        location,
    }
}

/// Where the quote starts: the row's position moved along its line; spanning the quote when
/// it stays on one line.
fn location_of(
    row: &Row,
    column: usize,
    text: &str,
    s: &Stream,
    from: usize,
    to: usize,
) -> Option<Location> {
    let f = &row.fragments[0];
    let mut l = f.location;
    // A fragment's raw text is one line of the source in text formats; an HTML paragraph's may
    // not be (markup, entities), which the parser's measure step corrects or leaves as is.
    l.column = l.column.checked_add(u32::try_from(column).ok()?)?;
    let one_row = s.origin[from].0 == s.origin[to.saturating_sub(1).max(from)].0;
    if one_row {
        l = l.spanning(u32::try_from(text.chars().count()).ok()?);
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Document, Row};

    fn doc(lines: &[&str]) -> Document {
        Document {
            rows: lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    Row::prose(
                        crate::doc::normalize(l),
                        (*l).to_owned(),
                        Location::new(i as u32 + 1, 1),
                    )
                })
                .collect(),
        }
    }

    fn found(lines: &[&str]) -> Vec<(String, String)> {
        statements(&doc(lines))
            .into_iter()
            .map(|s| (s.statement.clone(), s.value_text()))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn chinese_numerals() {
        let v = |s: &str| chinese_value(&s.chars().collect::<Vec<_>>());
        assert_eq!(v("二十三"), Some(23));
        assert_eq!(v("十二"), Some(12));
        assert_eq!(v("一百零五"), Some(105));
        assert_eq!(v("两"), Some(2));
        assert_eq!(v("三千二百"), Some(3200));
        assert_eq!(v("一万二千"), Some(12000));
        assert_eq!(v("零"), Some(0));
    }

    #[test]
    fn received_handled_and_carried() {
        assert_eq!(
            found(&[
                "2024年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。"
            ]),
            pairs(&[
                ("received", "3119"),
                ("handled", "3050"),
                ("carried_over", "34"),
                ("carried_forward", "103")
            ])
        );
        assert_eq!(
            found(&["全年共收到政府信息公开申请二十三件。"]),
            pairs(&[("received", "23")])
        );
        // Received including last year's, when the sentence says so.
        assert_eq!(
            found(&["本年度共收到政府信息公开申请46件（含上年结转2件）。"]),
            pairs(&[("received_with_carried_over", "46"), ("carried_over", "2")])
        );
    }

    #[test]
    fn near_misses_are_left_alone() {
        // Approximate, a change, counted elsewhere, a rate, a breakdown without a cue.
        for line in [
            "全年主动公开政府信息 5500 余条。",
            "收到政府信息公开申请约95件。",
            "较上年增加 12 件。",
            "受理网络问政 300 件。",
            "全年共收到申请95件，同比增长 15%。",
            "其中自然人申请 40 件，法人或其他组织申请 6 件。",
            "全年发布信息 1200 条。",
            "进一步统一规范办理流程。",
        ] {
            let f = found(&[line]);
            assert!(
                f.iter().all(|(id, v)| !(id == "received" && v != "95")) && f.len() <= 1,
                "{line}: {f:?}"
            );
        }
        assert!(found(&["全年主动公开政府信息 5500 余条。"]).is_empty());
        assert!(found(&["受理网络问政 300 件。"]).is_empty());
        assert!(found(&["较上年增加 12 件。"]).is_empty());
        // Both received and answered in one breath: either could be meant.
        assert!(found(&["共收到并答复政府信息公开申请 95 件。"]).is_empty());
    }

    #[test]
    fn outcomes_reviews_and_lawsuits() {
        assert_eq!(
            found(&[
                "其中予以公开30件，部分公开5件，不予公开2件，无法提供10件，不予处理1件，其他处理3件。"
            ]),
            pairs(&[])
        );
        assert_eq!(
            found(&[
                "办结政府信息公开申请95件，其中予以公开30件，部分公开5件，不予公开2件，无法提供10件，不予处理1件，其他处理3件。"
            ]),
            pairs(&[
                ("handled", "95"),
                ("outcome.disclosed", "30"),
                ("outcome.partially_disclosed", "5"),
                ("outcome.withheld", "2"),
                ("outcome.unavailable", "10"),
                ("outcome.not_processed", "1"),
                ("outcome.other", "3"),
            ])
        );
        assert_eq!(
            found(&["申请答复中，予以公开及部分公开 35 件。"]),
            pairs(&[("outcome.disclosed_or_partially", "35")])
        );
        assert_eq!(
            found(&[
                "政府信息公开行政复议 351",
                "件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚",
                "未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25 件。"
            ]),
            pairs(&[
                ("review.total", "351"),
                ("review.upheld", "72"),
                ("review.corrected", "64"),
                ("review.other", "178"),
                ("review.pending", "37"),
                ("litigation.total", "46"),
                ("litigation.upheld", "25"),
            ])
        );
        assert_eq!(
            found(&["本年度被申请行政复议2件，均维持原行政行为。"]),
            pairs(&[("review.total", "2"), ("review.all_upheld", "")])
        );
        // 均 over reviews and lawsuits together: neither claim is checked.
        assert_eq!(
            found(&["行政复议1件、行政诉讼2件，均维持。"]),
            pairs(&[("review.total", "1"), ("litigation.total", "2")])
        );
    }

    #[test]
    fn documents_and_fees() {
        assert_eq!(
            found(&["本年度制发规范性文件5件，废止3件，现行有效规范性文件66件。"]),
            pairs(&[
                ("normative_documents.issued", "5"),
                ("normative_documents.repealed", "3"),
                ("normative_documents.in_force", "66"),
            ])
        );
        assert_eq!(
            found(&["全年收取政府信息公开信息处理费 3940 元。"]),
            pairs(&[("processing_fee.amount", "3940 元")])
        );
        assert_eq!(
            found(&["本年度未收取信息处理费。"]),
            pairs(&[("processing_fee.none", "")])
        );
    }

    /// Precision and recall over `tests/fixtures/prose/phrasings.tsv`: sentences in real
    /// reports' phrasing, each with what a careful reader finds. Run with `--nocapture` for
    /// the figures and the misses.
    #[test]
    fn precision_and_recall_on_real_phrasings() {
        let table = include_str!("../tests/fixtures/prose/phrasings.tsv");
        let (mut found_n, mut expected_n, mut right) = (0, 0, 0);
        let mut wrong = Vec::new();
        let mut missed = Vec::new();
        let mut stated: std::collections::HashSet<String> = Default::default();
        let mut near_missed: std::collections::HashSet<String> = Default::default();
        for line in table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut columns = line.split('\t');
            let (Some(sentence), Some(want)) = (columns.next(), columns.next()) else {
                panic!("sentence<TAB>expected: {line}");
            };
            let near: Vec<&str> = columns
                .next()
                .and_then(|c| c.strip_prefix("near:"))
                .map(|c| c.split(',').collect())
                .unwrap_or_default();
            let want: Vec<(String, String)> = want
                .split(';')
                .map(str::trim)
                .filter(|w| *w != "-" && !w.is_empty())
                .map(|w| {
                    let (id, v) = w.split_once('=').expect("id=value");
                    (id.to_owned(), v.to_owned())
                })
                .collect();
            let got: Vec<(String, String)> = statements(&doc(&[sentence]))
                .into_iter()
                .map(|s| {
                    let v = match (s.count, s.amount) {
                        (Some(n), _) => n.to_string(),
                        (None, Some(a)) => a.value.to_string(),
                        (None, None) => String::new(),
                    };
                    (s.statement, v)
                })
                .collect();
            found_n += got.len();
            expected_n += want.len();
            for g in &got {
                if want.contains(g) {
                    right += 1;
                } else {
                    wrong.push(format!("{sentence} → {}={}", g.0, g.1));
                }
            }
            for w in want.iter().filter(|w| !got.contains(w)) {
                missed.push(format!("{sentence} → {}={}", w.0, w.1));
            }
            stated.extend(want.iter().map(|w| w.0.clone()));
            near_missed.extend(near.iter().map(|n| (*n).to_owned()));
            for n in &near {
                assert!(
                    !got.iter().any(|g| g.0 == *n),
                    "{sentence}: a near miss of `{n}` read as one: {got:?}"
                );
            }
        }
        // Every statement of the schema has a sentence stating it and one nearly stating it.
        for def in PROSE.statements {
            assert!(stated.contains(def.id), "no sentence states `{}`", def.id);
            assert!(near_missed.contains(def.id), "no near miss of `{}`", def.id);
        }
        let precision = right as f64 / found_n.max(1) as f64;
        let recall = right as f64 / expected_n.max(1) as f64;
        println!(
            "phrasings: {found_n} found, {expected_n} expected, {right} right: precision {:.1} %, recall {:.1} %",
            precision * 100.0,
            recall * 100.0
        );
        for m in &missed {
            println!("missed: {m}");
        }
        // Precision first: no statement may be read wrongly.
        assert!(wrong.is_empty(), "false positives: {wrong:#?}");
        // Recall is measured, not the goal; this floor only catches a pattern broken by an edit.
        assert!(recall > 0.8, "recall {recall:.3}: {missed:#?}");
    }

    #[test]
    fn quotes_and_locations() {
        let st = statements(&doc(&[
            "一、总体情况",
            "  全年共收到政府信息公开申请 95 件，办结 95 件。",
        ]));
        assert_eq!(st[0].text, "全年共收到政府信息公开申请 95 件");
        let l = st[0].location.unwrap();
        assert_eq!((l.line, l.column, l.length), (2, 3, Some(18)));
        assert_eq!(st[1].text, "办结 95 件");
    }
}
