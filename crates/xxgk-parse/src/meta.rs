//! Report metadata from the text around the tables: title, agency, year, publication date.

use crate::doc::{Document, Layout, Row};
pub use xxgk_model::text::{year_in, year_span};
use xxgk_model::{Date, Meta, VOCABULARY};

/// Digits of `s` as ASCII, Chinese numerals (〇一二…, 十) as digits where they write a date.
fn numeral(s: &str) -> Option<u32> {
    let t = s.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse().ok();
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or_else(|| (c == '零' || c == 'O' || c == '○').then_some(0))
    };
    let chars: Vec<char> = t.chars().collect();
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', d] => digit(*d).map(|d| 10 + d as u32),
        [a, '十'] => digit(*a).map(|a| a as u32 * 10),
        [a, '十', b] => Some(digit(*a)? as u32 * 10 + digit(*b)? as u32),
        _ => chars
            .iter()
            .try_fold(0u32, |acc, c| Some(acc * 10 + digit(*c)? as u32)),
    }
}

/// What portals print before a page's publication date (`发布日期：2025-01-20`).
/// Lines looked at for the title and the year, from the top.
const HEAD_LINES: usize = 60;

const PUBLISHED_LABELS: [&str; 4] = ["发布日期", "公开日期", "发布时间", "发文日期"];

/// A date written with digits and `-`, `/` or `.` (`2025-01-20`, `2025/1/20`), as portals print
/// them; the first one in `s`.
///
/// ```
/// use xxgk_parse::meta::find_numeric_date;
/// assert_eq!(find_numeric_date("发布日期：2025-01-20 10:30").unwrap().to_string(), "2025-01-20");
/// assert_eq!(find_numeric_date("2025/1/8").unwrap().to_string(), "2025-01-08");
/// assert_eq!(find_numeric_date("电话 0517-83605210"), None);
/// ```
pub fn find_numeric_date(s: &str) -> Option<Date> {
    let chars: Vec<char> = s.chars().map(xxgk_model::text::fold_char).collect();
    let number = |from: usize| {
        let digits: String = chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        (!digits.is_empty()).then(|| (digits.parse::<u32>().ok(), from + digits.len()))
    };
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let Some((Some(y), after_y)) = number(i) else {
            i += 1;
            continue;
        };
        let sep = chars.get(after_y).copied();
        if after_y - i == 4
            && matches!(sep, Some('-' | '/' | '.'))
            && let Some((Some(m), after_m)) = number(after_y + 1)
            && chars.get(after_m).copied() == sep
            && let Some((Some(d), after_d)) = number(after_m + 1)
            && after_d - after_m <= 3
            && !chars.get(after_d).is_some_and(char::is_ascii_digit)
            && let Some(date) = Date::new(
                i32::try_from(y).ok()?,
                u8::try_from(m).ok()?,
                u8::try_from(d).ok()?,
            )
        {
            return Some(date);
        }
        i = after_y;
    }
    None
}

/// Searchers for [`PUBLISHED_LABELS`], in their order.
fn portal_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            PUBLISHED_LABELS
                .iter()
                .map(memchr::memmem::Finder::new)
                .collect()
        });
    &FINDERS
}

/// The publication date a portal prints near the top of a page (`发布日期：2025-01-20`,
/// `公开日期：2025年1月20日`), from the text after its label.
fn portal_date(text: &str) -> Option<Date> {
    let at = portal_finders()
        .iter()
        .find_map(|f| f.find(text.as_bytes()).map(|i| i + f.needle().len()))?;
    let after = &text[at..];
    find_numeric_date(after).or_else(|| find_date(after))
}

/// A date written `2021 年 1 月 29 日`, `2021年01月29日` or `二〇二一年一月二十九日`.
pub fn find_date(s: &str) -> Option<Date> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, _) = rest.split_once('日')?;
    let y_digits: String = y
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let year = numeral(&y_digits)?;
    Date::new(
        i32::try_from(year).ok()?,
        u8::try_from(numeral(m)?).ok()?,
        u8::try_from(numeral(d)?).ok()?,
    )
}

/// A page title carries the site's name after a separator (`…年度报告_某区人民政府`,
/// `… - 某市政府网`): keep the part with the title marker.
fn strip_site_name(title: &str) -> String {
    let parts: Vec<&str> = title
        .split(['_', '|', '｜'])
        .flat_map(|p| p.split(" - "))
        .collect();
    let with_marker: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| VOCABULARY.title_markers.iter().any(|m| p.contains(m)))
        .collect();
    match with_marker.as_slice() {
        [one] if parts.len() > 1 => one.trim().to_owned(),
        _ => title.trim().to_owned(),
    }
}

/// Title, agency, year and publication date of a document.
///
/// ```
/// use xxgk_parse::{meta::extract, text::read_text};
/// let doc = read_text("宝鸡市公安局 2020 年政府信息公开工作年报\n一、总体情况\n……\n宝鸡市公安局\n2021 年 1 月 29 日\n");
/// let meta = extract(&doc);
/// assert_eq!(meta.agency.as_deref(), Some("宝鸡市公安局"));
/// assert_eq!(meta.year, Some(2020));
/// assert_eq!(meta.published.unwrap().to_string(), "2021-01-29");
/// ```
pub fn extract(doc: &Document) -> Meta {
    // Detection reads the normalised text; what is kept is the text as printed. Only the
    // first lines (title, year) and the last (date, signature) are looked at, and a line's
    // text is made only when it is looked at (the title is most often among the first).
    let prose_rows: Vec<&Row> = doc
        .rows
        .iter()
        .filter(|r| r.layout == Layout::Prose)
        .collect();
    let mut head = Texts::new(&prose_rows[..prose_rows.len().min(HEAD_LINES)]);
    // The title: an early short line with a year and a title marker; a line before it that
    // names the agency joins it when the title starts with the year.
    let mut title: Option<String> = None;
    for k in 0..40 {
        let Some(text) = head.get(k) else {
            break;
        };
        let short = text.chars().count() <= 80;
        if short
            && year_in(text).is_some()
            && VOCABULARY.title_markers.iter().any(|m| text.contains(m))
        {
            let starts_with_year = text
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit());
            let raw = head.raw(k);
            let joined = match k.checked_sub(1) {
                Some(p)
                    if starts_with_year
                        && head.made[p].chars().count() <= 30
                        && year_in(&head.made[p]).is_none() =>
                {
                    format!("{} {raw}", head.raw(p))
                }
                _ => raw,
            };
            title = Some(strip_site_name(&joined));
            break;
        }
    }
    // Without a year in the title, the first year written in the text that is not a date.
    let mut year = title.as_deref().and_then(year_in);
    if year.is_none() {
        let mut k = 0;
        while let Some(t) = head.get(k) {
            if find_date(t).is_none()
                && let Some(y) = year_in(t)
            {
                year = Some(y);
                break;
            }
            k += 1;
        }
    }
    let agency_from_title = title.as_deref().and_then(|t| {
        let (_, at) = year_span(t)?;
        let before: String = t.chars().take(at).collect();
        let a = before.trim();
        let a = a.strip_prefix("关于").unwrap_or(a).trim();
        (!a.is_empty()).then(|| a.to_owned())
    });
    // The publication date: the portal's (`发布日期：…`, near the top), else the date printed
    // at the end; the signature line before the latter names the agency.
    // (A portal's line often holds more fields apart: any row, not only prose.)
    let portal = first_portal_date(&doc.rows[..doc.rows.len().min(40)]);
    let tail: Vec<&Row> = prose_rows.iter().rev().take(8).copied().collect();
    let mut tail = Texts::new(&tail);
    let mut published = None;
    let mut signature = None;
    let mut k = 0;
    while let Some(text) = tail.get(k) {
        if text.chars().count() <= 20
            && let Some(d) = find_date(text)
        {
            published = Some(d);
            signature = tail
                .get(k + 1)
                .is_some_and(|s| s.chars().count() <= 30 && find_date(s).is_none())
                .then(|| tail.raw(k + 1).trim().to_owned());
            break;
        }
        k += 1;
    }
    Meta {
        agency: agency_from_title.or(signature),
        year,
        published: portal.or(published),
        title,
    }
}

/// The texts of some rows ([`Row::text`]), each made the first time it is asked for.
struct Texts<'a> {
    rows: &'a [&'a Row],
    /// The texts of the first rows, as far as asked.
    made: Vec<String>,
}

impl<'a> Texts<'a> {
    fn new(rows: &'a [&'a Row]) -> Self {
        Texts {
            rows,
            made: Vec::new(),
        }
    }

    /// Row `k`'s text (and every earlier row's made too); `None` past the last row.
    fn get(&mut self, k: usize) -> Option<&str> {
        while self.made.len() <= k {
            let row = self.rows.get(self.made.len())?;
            self.made.push(row.text());
        }
        self.made.get(k).map(String::as_str)
    }

    /// Row `k`'s text as printed, unless the reader stripped markup from it (`# ` of
    /// Markdown): then its text. Row `k`'s text must have been made.
    fn raw(&self, k: usize) -> String {
        let (Some(row), Some(text)) = (self.rows.get(k), self.made.get(k)) else {
            return String::new();
        };
        let raw = row
            .fragments
            .iter()
            .map(|f| f.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if crate::doc::normalize(&raw) == *text {
            raw
        } else {
            text.clone()
        }
    }
}

/// The first of `rows` whose text has a portal's publication date ([`portal_date`]). Their
/// texts are put one after the other, each ended by a line break (which no label holds),
/// and searched for the labels at once: only a row holding a label is read.
fn first_portal_date(rows: &[Row]) -> Option<Date> {
    let mut all = String::new();
    let mut ends: Vec<usize> = Vec::with_capacity(rows.len());
    for r in rows {
        r.push_text(&mut all);
        ends.push(all.len());
        all.push('\n');
    }
    let mut labelled: Vec<usize> = portal_finders()
        .iter()
        .flat_map(|f| f.find_iter(all.as_bytes()))
        .map(|at| ends.partition_point(|&end| end <= at))
        .collect();
    labelled.sort_unstable();
    labelled.dedup();
    labelled.into_iter().find_map(|k| {
        let start = match k.checked_sub(1) {
            Some(p) => ends.get(p)? + 1,
            None => 0,
        };
        portal_date(all.get(start..*ends.get(k)?)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_portals_publication_date_wins_over_the_date_at_the_end() {
        let doc = crate::text::read_text(
            "某县统计局2024年政府信息公开工作年度报告\n发布日期：2025-02-03 09:12  来源：某县统计局\n一、总体情况\n……\n某县统计局\n2025年1月20日\n",
        );
        let meta = extract(&doc);
        assert_eq!(meta.published.unwrap().to_string(), "2025-02-03");
        assert_eq!(meta.agency.as_deref(), Some("某县统计局"));
        // Without it, the date at the end.
        let doc = crate::text::read_text(
            "某县统计局2024年政府信息公开工作年度报告\n一、总体情况\n……\n某县统计局\n2025年1月20日\n",
        );
        assert_eq!(extract(&doc).published.unwrap().to_string(), "2025-01-20");
        // A label without a date after it, or a date that does not exist, is no date.
        assert_eq!(portal_date("发布日期：不详"), None);
        assert_eq!(portal_date("公开日期：2025-02-30"), None);
        assert_eq!(
            portal_date("公开日期：2025年1月8日").unwrap().to_string(),
            "2025-01-08"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            find_date("2021 年 1 月 29 日").unwrap().to_string(),
            "2021-01-29"
        );
        assert_eq!(
            find_date("二〇二一年一月二十九日").unwrap().to_string(),
            "2021-01-29"
        );
        assert_eq!(
            find_date("2024年12月31日").unwrap().to_string(),
            "2024-12-31"
        );
        assert!(find_date("2021 年 2 月 30 日").is_none());
        assert!(find_date("全年").is_none());
    }

    #[test]
    fn years() {
        assert_eq!(
            year_in("淮安市人民政府 2024 年政府信息公开工作年度报告"),
            Some(2024)
        );
        assert_eq!(year_in("电话：0517-83605210"), None);
        assert_eq!(year_in("12024年"), None);
    }

    #[test]
    fn site_names_are_cut_from_page_titles() {
        assert_eq!(
            strip_site_name("某局2022年政府信息公开工作年度报告_某区人民政府"),
            "某局2022年政府信息公开工作年度报告"
        );
        assert_eq!(
            strip_site_name("某局2022年政府信息公开工作年度报告 - 某市政府网"),
            "某局2022年政府信息公开工作年度报告"
        );
        assert_eq!(
            strip_site_name("某局_2022年度报告_年度报告汇编"),
            "某局_2022年度报告_年度报告汇编"
        );
    }

    #[test]
    fn a_title_on_two_lines() {
        let doc = crate::text::read_text(
            "            淮安市人民政府\n     2024 年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室编制。\n",
        );
        let m = extract(&doc);
        assert_eq!(
            m.title.as_deref(),
            Some("淮安市人民政府 2024 年政府信息公开工作年度报告")
        );
        assert_eq!(m.agency.as_deref(), Some("淮安市人民政府"));
        assert_eq!(m.year, Some(2024));
    }
}
