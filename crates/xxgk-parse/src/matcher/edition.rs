//! The edition a document's own labels point to.

use super::*;

/// The edition the document's own labels point to: the one with more of its distinctive
/// labels printed (labels only one edition has). `None` when no distinctive label is found.
pub(crate) fn edition_from_labels(doc: &Document) -> Option<(xxgk_model::Edition, usize)> {
    // The core of each row's text, the fragments' cores in turn (see `each_core_char`).
    let mut text = String::new();
    for f in doc.rows.iter().flat_map(|r| &r.fragments) {
        crate::labels::each_core_char(&f.text, |c| text.push(c));
    }
    let contains = |n: &String| text.contains(n.as_str());
    let mut scores: Vec<(xxgk_model::Edition, usize)> = distinctive()
        .iter()
        .map(|(e, labels)| (*e, labels.iter().filter(|l| contains(l)).count()))
        .collect();
    scores.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    match scores.as_slice() {
        [(e, s), rest @ ..] if *s > 0 && rest.iter().all(|(_, o)| o < s) => Some((*e, *s)),
        _ => None,
    }
}

/// Per edition, the cores of its distinctive labels (those no other edition has), four
/// characters or more, as strings: computed once from the templates.
fn distinctive() -> &'static [(xxgk_model::Edition, Vec<String>)] {
    static DISTINCTIVE: std::sync::OnceLock<Vec<(xxgk_model::Edition, Vec<String>)>> =
        std::sync::OnceLock::new();
    DISTINCTIVE.get_or_init(|| {
        let labels_of = |t: &Template| -> Vec<Vec<char>> {
            let mut out = Vec::new();
            for table in t.tables {
                for row in table.rows {
                    out.extend(row.label.spellings().map(core));
                    out.extend(
                        row.columns
                            .iter()
                            .flat_map(|c| c.label.spellings().map(core)),
                    );
                }
            }
            out
        };
        let all: Vec<(xxgk_model::Edition, Vec<Vec<char>>)> = xxgk_model::Edition::ALL
            .iter()
            .map(|e| (*e, labels_of(e.template())))
            .collect();
        all.iter()
            .map(|(e, labels)| {
                let distinctive = labels.iter().filter(|l| {
                    l.len() >= 4
                        && all
                            .iter()
                            .filter(|(o, _)| o != e)
                            .all(|(_, other)| !other.contains(l))
                });
                (*e, distinctive.map(|l| l.iter().collect()).collect())
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Edition;

    #[test]
    fn labels_only_one_edition_has_tell_it() {
        let doc = crate::text::read_text(
            "行政事业性收费\n本年新制作数量\n本年新公开数量\n对外公开总数量\n",
        );
        assert_eq!(
            edition_from_labels(&doc).map(|(e, _)| e),
            Some(Edition::E2019)
        );
        let doc = crate::text::read_text("本年制发件数\n本年废止件数\n现行有效件数\n");
        assert_eq!(
            edition_from_labels(&doc).map(|(e, _)| e),
            Some(Edition::E2021)
        );
        assert_eq!(
            edition_from_labels(&crate::text::read_text("一、总体情况\n")),
            None
        );
    }

    #[test]
    fn one_label_of_one_edition_is_enough_and_a_tie_tells_nothing() {
        let read = |text: &str| edition_from_labels(&crate::text::read_text(text));
        // A row only the 2019 form has, printed with numbers; labels both have count for
        // neither.
        assert_eq!(
            read("规章  1  0  4\n其他对外管理服务事项  3  1  20\n"),
            Some((Edition::E2019, 1))
        );
        // A column label counts once for each row it heads (本年制发件数: two rows).
        assert_eq!(read("本年制发件数\n"), Some((Edition::E2021, 2)));
        assert_eq!(
            read("其他对外管理服务事项\n本年制发件数\n"),
            Some((Edition::E2021, 2))
        );
        // One label of each: no edition.
        assert_eq!(
            read(
                "其他对外管理服务事项\n1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\n"
            ),
            None
        );
    }
}
