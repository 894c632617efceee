//! The edition a document's own labels point to.

use super::*;

/// The edition the document's own labels point to: the one with more of its distinctive
/// labels printed (labels only one edition has). `None` when no distinctive label is found.
pub(crate) fn edition_from_labels(doc: &Document) -> Option<(xxgk_model::Edition, usize)> {
    // The core of each row's text, the fragments' cores in turn (see `push_core_str`).
    let ascii_free = distinctive_searcher().2;
    let mut text = String::new();
    for f in doc.rows.iter().flat_map(|r| &r.fragments) {
        let t = f.text.as_str();
        if !t.is_empty() && crate::labels::is_own_core(t) {
            // Its own core (a number, most often). No label has an ASCII character, so any
            // run of them breaks every label alike: one stands for the run.
            if !ascii_free {
                text.push_str(t);
            } else if !text.ends_with(|c: char| c.is_ascii()) {
                text.push('0');
            }
            continue;
        }
        crate::labels::push_core_str(t, &mut text);
    }
    let mut scores = label_counts(&text);
    scores.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    match scores.as_slice() {
        [(e, s), rest @ ..] if *s > 0 && rest.iter().all(|(_, o)| o < s) => Some((*e, *s)),
        _ => None,
    }
}

/// Per edition, how many of its distinctive labels `text` (a document's core) holds: all
/// labels found in one pass (overlapping matches, so a label inside another counts too, as a
/// search for each would find it).
fn label_counts(text: &str) -> Vec<(xxgk_model::Edition, usize)> {
    let (searcher, editions, _) = distinctive_searcher();
    let mut found = vec![false; editions.len()];
    if let Some(searcher) = searcher {
        for m in searcher.find_overlapping_iter(text) {
            found[m.pattern().as_usize()] = true;
        }
    }
    distinctive()
        .iter()
        .map(|(e, _)| {
            let n = editions
                .iter()
                .zip(&found)
                .filter(|(o, f)| *o == e && **f)
                .count();
            (*e, n)
        })
        .collect()
}

/// One searcher for every edition's distinctive labels, the edition of each of its patterns
/// (`None`: the searcher could not be built, and no label is found), and whether no label
/// has an ASCII character.
type Searcher = (
    Option<aho_corasick::AhoCorasick>,
    Vec<xxgk_model::Edition>,
    bool,
);

fn distinctive_searcher() -> &'static Searcher {
    static SEARCHER: std::sync::OnceLock<Searcher> = std::sync::OnceLock::new();
    SEARCHER.get_or_init(|| {
        let (editions, labels): (Vec<xxgk_model::Edition>, Vec<&str>) = distinctive()
            .iter()
            .flat_map(|(e, labels)| labels.iter().map(move |l| (*e, l.as_str())))
            .unzip();
        let ascii_free = labels.iter().all(|l| !l.bytes().any(|b| b.is_ascii()));
        (
            aho_corasick::AhoCorasick::new(labels).ok(),
            editions,
            ascii_free,
        )
    })
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
        // Everything an edition prints: its labels, and the group labels and captions around
        // them (（六）其他处理 is a row of the 2019 edition and a group of the 2021 one: no
        // sign of either).
        let printed_of = |t: &Template| -> Vec<Vec<char>> {
            let mut out = labels_of(t);
            for row in t.tables.iter().flat_map(|table| table.rows) {
                out.extend(
                    row.groups
                        .iter()
                        .flat_map(|g| g.label.spellings())
                        .chain(row.captions.iter().copied())
                        .map(core),
                );
            }
            out
        };
        // Per edition: its labels, and all it prints.
        type Cores = Vec<Vec<char>>;
        let all: Vec<(xxgk_model::Edition, Cores, Cores)> = xxgk_model::Edition::ALL
            .iter()
            .map(|e| (*e, labels_of(e.template()), printed_of(e.template())))
            .collect();
        all.iter()
            .map(|(e, labels, _)| {
                let distinctive = labels.iter().filter(|l| {
                    l.len() >= 4
                        && all
                            .iter()
                            .filter(|(o, _, _)| o != e)
                            .all(|(_, _, other)| !other.contains(l))
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
    fn one_pass_counts_what_a_search_for_each_label_counts() {
        let naive = |text: &str| -> Vec<(Edition, usize)> {
            distinctive()
                .iter()
                .map(|(e, labels)| {
                    (
                        *e,
                        labels.iter().filter(|l| text.contains(l.as_str())).count(),
                    )
                })
                .collect()
        };
        // Every label, alone, in pairs run together, and all of them at once.
        let all: Vec<&str> = distinctive()
            .iter()
            .flat_map(|(_, l)| l.iter().map(String::as_str))
            .collect();
        assert!(all.len() > 10, "{}", all.len());
        for (i, a) in all.iter().enumerate() {
            assert_eq!(label_counts(a), naive(a), "{a}");
            let b = all[(i * 7 + 3) % all.len()];
            let pair = format!("{a}{b}");
            assert_eq!(label_counts(&pair), naive(&pair), "{pair}");
        }
        let everything: String = all.concat();
        assert_eq!(label_counts(&everything), naive(&everything));
        assert_eq!(label_counts(""), naive(""));
    }

    #[test]
    fn numbers_between_labels_break_them_as_printed() {
        assert!(distinctive_searcher().2, "no label has an ASCII character");
        let doc = |text: &str| edition_from_labels(&crate::text::read_text(text));
        // A label split by a number is no label; one cut by an empty cell still is.
        assert_eq!(doc("本年新制作\t12\t数量\n"), None);
        assert_eq!(
            doc("本年新制作\t\t数量\n").map(|(e, _)| e),
            Some(Edition::E2019)
        );
        assert_eq!(
            doc("12\t34\t本年新制作数量\t5\n").map(|(e, _)| e),
            Some(Edition::E2019)
        );
    }

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
