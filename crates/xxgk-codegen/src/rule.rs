//! The small rule language of `x-xxgk-constraints`.
//!
//! ```text
//! rule     := expr cmp expr                      cmp: == <= >= < >
//! expr     := ["-"] term (("+" | "-") term)*
//! term     := integer | ref | "sum(" selector ["except" ref ("," ref)*] ")"
//! ref      := ["previous."] id ("." id)* | "self"
//! selector := ["previous."] (id ".")* ("*" | "**")   * children, ** all leaves below
//! ```
//! What an id names depends on the constraint's `each`: rows for `column`, columns for
//! `row`, `row.path.column` for `once`; `self` is the cell for `each: cell`.

use std::fmt;

pub use xxgk_meta::Cmp;

/// A reference to a cell, row or column, in this report or the previous year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// Prefixed `previous.`: read from the previous year's report.
    pub previous: bool,
    /// Dotted path segments; empty for `self`.
    pub path: Vec<String>,
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.previous {
            f.write_str("previous.")?;
        }
        if self.path.is_empty() {
            f.write_str("self")
        } else {
            f.write_str(&self.path.join("."))
        }
    }
}

/// `*` (direct children) or `**` (every leaf below).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// `*`: the direct children.
    Children,
    /// `**`: every leaf below.
    Leaves,
}

/// One summand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// An integer literal.
    Int(i64),
    /// A cell, row or column.
    Ref(Ref),
    /// `sum(base.* except …)`: the cells selected below `base`, less those excepted.
    Sum {
        /// The path the selector starts below (empty for a bare `*` or `**`).
        base: Ref,
        /// Direct children or every leaf below.
        depth: Depth,
        /// What the `except` clause leaves out.
        except: Vec<Ref>,
    },
}

/// A signed sum of terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// `(negated, term)` pairs.
    pub terms: Vec<(bool, Term)>,
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The left side.
    pub left: Expr,
    /// How the sides compare.
    pub cmp: Cmp,
    /// The right side.
    pub right: Expr,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Plus,
    Minus,
    Open,
    Close,
    Comma,
    Dot,
    Star,
    StarStar,
    Cmp(Cmp),
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' => {}
            '+' => out.push(Tok::Plus),
            '-' => out.push(Tok::Minus),
            '(' => out.push(Tok::Open),
            ')' => out.push(Tok::Close),
            ',' => out.push(Tok::Comma),
            '.' => out.push(Tok::Dot),
            '*' if next == Some('*') => {
                out.push(Tok::StarStar);
                i += 1;
            }
            '*' => out.push(Tok::Star),
            '=' if next == Some('=') => {
                out.push(Tok::Cmp(Cmp::Eq));
                i += 1;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                out.push(Tok::Cmp(match (c, eq) {
                    ('<', true) => Cmp::Le,
                    ('<', false) => Cmp::Lt,
                    ('>', true) => Cmp::Ge,
                    _ => Cmp::Gt,
                }));
                if eq {
                    i += 1;
                }
            }
            '0'..='9' => {
                let start = i;
                while chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                let digits: String = chars[start..=i].iter().collect();
                out.push(Tok::Int(
                    digits
                        .parse()
                        .map_err(|_| format!("number `{digits}` is too large"))?,
                ));
            }
            'a'..='z' | '_' => {
                let start = i;
                while chars
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..=i].iter().collect()));
            }
            other => return Err(format!("unexpected character `{other}`")),
        }
        i += 1;
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn bump(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, want: &Tok, what: &str) -> Result<(), String> {
        match self.bump() {
            Some(t) if &t == want => Ok(()),
            Some(t) => Err(format!("expected {what}, found {t:?}")),
            None => Err(format!("expected {what}, found the end")),
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let mut terms = Vec::new();
        let mut negated = if self.peek() == Some(&Tok::Minus) {
            self.bump();
            true
        } else {
            false
        };
        loop {
            terms.push((negated, self.term()?));
            match self.peek() {
                Some(Tok::Plus) => negated = false,
                Some(Tok::Minus) => negated = true,
                _ => return Ok(Expr { terms }),
            }
            self.bump();
        }
    }

    fn term(&mut self) -> Result<Term, String> {
        match self.bump() {
            Some(Tok::Int(n)) => Ok(Term::Int(n)),
            Some(Tok::Ident(id)) if id == "sum" && self.peek() == Some(&Tok::Open) => {
                self.bump();
                let (base, depth) = self.selector()?;
                let mut except = Vec::new();
                if matches!(self.peek(), Some(Tok::Ident(w)) if w == "except") {
                    self.bump();
                    loop {
                        let first = self.ident()?;
                        except.push(self.reference(first)?);
                        if self.peek() != Some(&Tok::Comma) {
                            break;
                        }
                        self.bump();
                    }
                }
                self.expect(&Tok::Close, "`)`")?;
                Ok(Term::Sum {
                    base,
                    depth,
                    except,
                })
            }
            Some(Tok::Ident(id)) => Ok(Term::Ref(self.reference(id)?)),
            Some(t) => Err(format!(
                "expected a number, a reference or sum(...), found {t:?}"
            )),
            None => Err("expected a term, found the end".into()),
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        match self.bump() {
            Some(Tok::Ident(id)) => Ok(id),
            other => Err(format!("expected an id, found {other:?}")),
        }
    }

    fn reference(&mut self, first: String) -> Result<Ref, String> {
        if first == "self" {
            return Ok(Ref {
                previous: false,
                path: Vec::new(),
            });
        }
        let mut path = vec![first];
        while self.peek() == Some(&Tok::Dot) {
            self.bump();
            path.push(self.ident()?);
        }
        let previous = path[0] == "previous";
        if previous {
            path.remove(0);
            if path.is_empty() {
                return Err("`previous` must be followed by a path".into());
            }
        }
        Ok(Ref { previous, path })
    }

    fn selector(&mut self) -> Result<(Ref, Depth), String> {
        let mut path = Vec::new();
        loop {
            match self.bump() {
                Some(Tok::Star) => break Ok((Self::base(path)?, Depth::Children)),
                Some(Tok::StarStar) => break Ok((Self::base(path)?, Depth::Leaves)),
                Some(Tok::Ident(id)) => {
                    path.push(id);
                    self.expect(&Tok::Dot, "`.` in a selector (e.g. `outcomes.**`)")?;
                }
                other => {
                    break Err(format!(
                        "expected a selector such as `*` or `outcomes.**`, found {other:?}"
                    ));
                }
            }
        }
    }

    fn base(mut path: Vec<String>) -> Result<Ref, String> {
        let previous = path.first().is_some_and(|p| p == "previous");
        if previous {
            path.remove(0);
        }
        Ok(Ref { previous, path })
    }
}

/// Parse a rule such as `new_received + carried_over == outcomes.total + carried_forward`.
pub fn parse(text: &str) -> Result<Rule, String> {
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
    };
    let left = p.expr()?;
    let cmp = match p.bump() {
        Some(Tok::Cmp(c)) => c,
        other => {
            return Err(format!(
                "expected a comparison (==, <=, >=, <, >), found {other:?}"
            ));
        }
    };
    let right = p.expr()?;
    if let Some(t) = p.peek() {
        return Err(format!("unexpected {t:?} after the rule"));
    }
    Ok(Rule { left, cmp, right })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str) -> Ref {
        Ref {
            previous: false,
            path: path.split('.').map(str::to_owned).collect(),
        }
    }

    #[test]
    fn parses_balance() {
        let rule =
            parse("new_received + carried_over == outcomes.total + carried_forward").unwrap();
        assert_eq!(rule.cmp, Cmp::Eq);
        assert_eq!(
            rule.left.terms,
            vec![
                (false, Term::Ref(r("new_received"))),
                (false, Term::Ref(r("carried_over")))
            ]
        );
        assert_eq!(rule.right.terms[0], (false, Term::Ref(r("outcomes.total"))));
    }

    #[test]
    fn parses_sum_with_except_and_previous() {
        let rule = parse("outcomes.total == sum(outcomes.** except outcomes.total)").unwrap();
        assert_eq!(
            rule.right.terms,
            vec![(
                false,
                Term::Sum {
                    base: r("outcomes"),
                    depth: Depth::Leaves,
                    except: vec![r("outcomes.total")]
                }
            )]
        );
        let rule =
            parse("prior_year_items == previous.prior_year_items + previous.change").unwrap();
        assert!(
            matches!(&rule.right.terms[1].1, Term::Ref(Ref { previous: true, path }) if path == &["change"])
        );
        let rule = parse("self >= 0").unwrap();
        assert_eq!(
            rule.left.terms,
            vec![(
                false,
                Term::Ref(Ref {
                    previous: false,
                    path: vec![]
                })
            )]
        );
        assert_eq!(rule.right.terms, vec![(false, Term::Int(0))]);
    }

    #[test]
    fn parses_subtraction_and_children() {
        let rule = parse("-a + b - 3 <= sum(*)").unwrap();
        assert_eq!(rule.left.terms.len(), 3);
        assert!(rule.left.terms[0].0 && !rule.left.terms[1].0 && rule.left.terms[2].0);
        let none = Ref {
            previous: false,
            path: vec![],
        };
        assert_eq!(
            rule.right.terms,
            vec![(
                false,
                Term::Sum {
                    base: none,
                    depth: Depth::Children,
                    except: vec![]
                }
            )]
        );
    }

    #[test]
    fn rejects_malformed_rules() {
        for bad in [
            "a +",
            "a = b",
            "a == b c",
            "sum(a) == b",
            "a == 中",
            "previous == a",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }
}
