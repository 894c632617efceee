//! Is the report complete? The national format has six sections (一 总体情况 … 六 其他需要报告的
//! 事项, the schema's `x-xxgk-outline`); each is found by a short numbered line holding one of
//! its key words, however reworded. A section without a heading, or one out of the form's
//! order, is a warning. A document with no heading at all (the tables alone, as some pages and
//! extracts hold them) is not judged: it is not the whole report.

use crate::codes;
use crate::doc::{Document, Layout, Row};
use xxgk_model::OUTLINE;
use xxgk_model::diagnostic::{Diagnostic, Severity};
use xxgk_model::message::{Arg, Message};
use xxgk_model::template::NUMERALS;

/// Headings are short lines; a narrative sentence naming a section is not one.
const MAX_HEADING_CHARS: usize = 40;

/// Does `text` open with a section's numbering (`五、`, `5、`, `5.`, `5．`)?
fn numbered(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| NUMERALS.contains(c));
    if rest.len() < text.len() {
        return rest.starts_with('、');
    }
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.len() < text.len() && rest.starts_with(['、', '.', '．'])
}

/// The outline heading `row` is, if it is one.
fn heading_of(row: &Row) -> Option<usize> {
    if row.layout != Layout::Prose && row.fragments.len() > 1 {
        return None;
    }
    // A heading opens with its numbering: most rows are refused on their first character,
    // before their text is put together.
    if !row
        .first_squeezed()
        .is_some_and(|c| c.is_ascii_digit() || NUMERALS.contains(c))
    {
        return None;
    }
    // The row's text (fragments joined by spaces) without its whitespace.
    let text = row.squeezed();
    if text.chars().count() > MAX_HEADING_CHARS || !numbered(&text) {
        return None;
    }
    OUTLINE
        .iter()
        .position(|h| h.keywords.iter().any(|k| text.contains(k)))
}

/// The positions in `seq` of a longest strictly increasing subsequence (the first such).
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    // Six sections at most: the quadratic way is the clear one.
    let mut best: Vec<Vec<usize>> = Vec::with_capacity(seq.len());
    for i in 0..seq.len() {
        let mut run = (0..i)
            .filter(|&j| seq[j] < seq[i])
            .map(|j| best[j].clone())
            .max_by_key(Vec::len)
            .unwrap_or_default();
        run.push(i);
        best.push(run);
    }
    best.into_iter().max_by_key(Vec::len).unwrap_or_default()
}

/// Warnings about the report's sections: missing ones (one warning naming them) and any found
/// out of the form's order.
pub(crate) fn check(doc: &Document) -> Vec<Diagnostic> {
    // The first heading of each section, in document order.
    let mut found: Vec<(usize, &Row)> = Vec::new();
    for row in &doc.rows {
        if let Some(k) = heading_of(row)
            && !found.iter().any(|(seen, _)| *seen == k)
        {
            found.push((k, row));
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let missing: Vec<Arg> = OUTLINE
        .iter()
        .enumerate()
        .filter(|(k, _)| !found.iter().any(|(seen, _)| seen == k))
        .map(|(_, h)| Arg::from(h.title))
        .collect();
    if !missing.is_empty() {
        out.push(Diagnostic::new(
            codes::OUTLINE_MISSING,
            Severity::Warning,
            Message::new("outline.missing").arg("sections", missing),
        ));
    }
    // The sections out of order are those outside the longest run found in the form's order
    // (one section moved is one warning, not one per section it jumped over).
    let order: Vec<usize> = found.iter().map(|(k, _)| *k).collect();
    let in_order = longest_increasing(&order);
    for (i, &(k, row)) in found.iter().enumerate() {
        if in_order.contains(&i) {
            continue;
        }
        // Named with the heading it follows in the document, if any.
        let text = match i.checked_sub(1).map(|j| found[j].0) {
            Some(before) => Message::new("outline.order").arg("after", OUTLINE[before].title),
            None => Message::new("outline.order_first"),
        };
        out.push(
            Diagnostic::new(
                codes::OUTLINE_ORDER,
                Severity::Warning,
                text.arg("section", OUTLINE[k].title),
            )
            .at(row.location),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(text: &str) -> Vec<(String, String)> {
        check(&crate::text::read_text(text))
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect()
    }

    const WHOLE: &str = "某局2024年政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n表\n三、收到和处理政府信息公开申请情况\n表\n四、政府信息公开行政复议、行政诉讼情况\n表\n五、存在的主要问题及改进情况\n正文。\n六、其他需要报告的事项\n正文。\n";

    #[test]
    fn a_whole_report_says_nothing() {
        assert_eq!(codes_of(WHOLE), vec![]);
        // Reworded headings and Arabic numbering are the same sections.
        let reworded = WHOLE
            .replace("五、存在的主要问题及改进情况", "5．存在问题及改进情况")
            .replace(
                "四、政府信息公开行政复议、行政诉讼情况",
                "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            );
        assert_eq!(codes_of(&reworded), vec![]);
    }

    #[test]
    fn missing_sections_are_named_in_one_warning() {
        let text = WHOLE
            .replace("六、其他需要报告的事项\n", "")
            .replace("一、总体情况\n", "");
        let found = codes_of(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "outline.missing");
        assert!(
            found[0].1.contains("一、总体情况, 六、其他需要报告的事项"),
            "{found:?}"
        );
    }

    #[test]
    fn a_section_out_of_order_is_pointed_at() {
        let text = WHOLE
            .replace("五、存在的主要问题及改进情况\n正文。\n", "")
            .replace(
                "一、总体情况\n",
                "一、总体情况\n五、存在的主要问题及改进情况\n",
            );
        let d = check(&crate::text::read_text(&text));
        // 五 moved up is the one out of place, named where it stands (line 3), not the
        // three sections it jumped over.
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "outline.order");
        assert_eq!(d[0].location.map(|l| l.line), Some(3));
        assert!(d[0].message.starts_with("section 五、"), "{}", d[0].message);
        assert!(
            d[0].message.ends_with("after 一、总体情况"),
            "{}",
            d[0].message
        );
        assert_eq!(longest_increasing(&[0, 4, 1, 2, 3, 5]), [0, 2, 3, 4, 5]);
    }

    #[test]
    fn table_labels_and_narrative_sentences_are_not_headings() {
        // Numbered rows of the tables, a sentence naming a section, and no heading at all.
        let text = "一、本年新收政府信息公开申请数量\t1\n四、结转下年度继续办理\t0\n本年度主动公开政府信息情况良好，收到和处理政府信息公开申请情况见下表，具体数据如下所述。\n";
        assert_eq!(codes_of(text), vec![]);
        assert!(!numbered("（三）不予公开"));
        assert!(numbered("5.其他需要报告的事项"));
        assert!(!numbered("2024年"));
    }
}
