//! Small facts about the text of reports that several crates need: full-width folding and
//! where a report names its year. One definition each, here.

/// Fold a character for reading: full-width ASCII (U+FF01–U+FF5E) to ASCII, U+3000, U+00A0 and
/// the other fixed-width spaces to a space. One character in, one out, so character columns
/// stay valid.
///
/// ```
/// use xxgk_model::text::fold_char;
/// let folded: String = "２０２１（一）　".chars().map(fold_char).collect();
/// assert_eq!(folded, "2021(一) ");
/// ```
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // Small form variants some PDF producers print in signed changes (﹣14).
        '\u{FE62}' => '+',
        '\u{FE63}' => '-',
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => ' ',
        _ => c,
    }
}

/// Characters that show nothing and mean nothing in a report's text: zero-width spaces and
/// joiners, the word joiner, a byte order mark inside the text, the soft hyphen. Editors and
/// web pages leave them inside numbers (`30\u{200B}`); normalisation drops them.
///
/// ```
/// assert!(xxgk_model::text::is_invisible('\u{200B}'));
/// assert!(!xxgk_model::text::is_invisible(' '));
/// ```
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The first year (19xx/20xx) written as digits (ASCII or full-width) in `s`, followed by
/// `年`: the year and the character index where its digits start.
pub fn year_span(s: &str) -> Option<(i32, usize)> {
    // No 年, no year (nothing folds to it).
    if !s.contains('年') {
        return None;
    }
    let chars: Vec<char> = s.chars().map(fold_char).collect();
    for i in 0..chars.len() {
        let Some(four) = chars.get(i..i + 4) else {
            break;
        };
        if (i > 0 && chars[i - 1].is_ascii_digit())
            || !four.iter().all(char::is_ascii_digit)
            || chars.get(i + 4).is_some_and(char::is_ascii_digit)
        {
            continue;
        }
        let y = four
            .iter()
            .fold(0, |y, c| y * 10 + c.to_digit(10).map_or(0, |d| d as i32));
        let after = chars[i + 4..].iter().find(|c| !c.is_whitespace());
        if after == Some(&'年') && (1990..=2100).contains(&y) {
            return Some((y, i));
        }
    }
    None
}

/// The first year (19xx/20xx) written as digits in `s`, followed by `年`.
pub fn year_in(s: &str) -> Option<i32> {
    year_span(s).map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits_before_nian() {
        assert_eq!(
            year_in("宝鸡市公安局 2020 年政府信息公开工作年报"),
            Some(2020)
        );
        assert_eq!(year_in("某局２０２１年度报告"), Some(2021));
        assert_eq!(year_span("某局２０２１年度报告"), Some((2021, 2)));
        assert_eq!(year_in("电话 0517-83605210"), None);
        assert_eq!(year_in("12021年"), None);
        assert_eq!(year_in("1890年"), None);
        assert_eq!(year_in("no year"), None);
    }
}
