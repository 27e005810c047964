//! Recursive-descent parser for Wireshark 4.0's display-filter grammar.
//!
//! Precedence, loosest first: `or` < `and` < `not` < relations < `&` < `+ -` <
//! `* / %` < unary `-`/`+`. Parentheses group tests, braces group arithmetic.
//! Comparison chains (`a < b < c`) become `a < b and b < c`, as in 4.0.
//! Recursion is bounded ([`MAX_DEPTH`]) so no filter can overflow the stack.

use super::ast::{ArithOp, Expr, Quant, RangeEnd, RangeNode, SetElem, Span, Term, TermKind};
use super::error::FilterError;
use super::lexer::{Tok, Token, tokenize};

/// Deepest nesting of parentheses, braces and operators accepted.
pub(crate) const MAX_DEPTH: usize = 200;

/// Parses `text`. `Ok(None)` for an empty filter (which passes every packet).
pub(crate) fn parse(text: &str) -> Result<Option<Expr>, FilterError> {
    let mut p = Parser {
        text,
        tokens: tokenize(text),
        at: 0,
        depth: 0,
    };
    if matches!(p.peek(), Tok::Eof) {
        return Ok(None);
    }
    let expr = p.or_expr()?;
    match p.peek() {
        Tok::Eof => Ok(Some(expr)),
        _ => Err(p.unexpected()),
    }
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

/// What `tcp.port` `not` … may continue with.
enum Tail {
    Relation,
    None,
}

impl Parser<'_> {
    fn token(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek(&self) -> &Tok {
        self.token().map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek2(&self) -> &Tok {
        self.tokens.get(self.at + 1).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn span(&self) -> Span {
        self.token().map_or(
            Span {
                pos: self.text.len(),
                len: 0,
            },
            |t| Span {
                pos: t.pos,
                len: t.len,
            },
        )
    }

    fn bump(&mut self) -> Token {
        let token = self.token().cloned().unwrap_or(Token {
            tok: Tok::Eof,
            pos: self.text.len(),
            len: 0,
        });
        if self.at < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    /// The error for the current token: a scan failure, the end of the text, or
    /// `"X" was unexpected in this context.`.
    fn unexpected(&self) -> FilterError {
        match self.token() {
            None | Some(Token { tok: Tok::Eof, .. }) => {
                FilterError::nowhere("Unexpected end of filter expression.")
            }
            Some(Token {
                tok: Tok::Error(e), ..
            }) => e.clone(),
            Some(t) => {
                let text = self.text.get(t.pos..t.pos + t.len).unwrap_or_default();
                FilterError::at(
                    format!("\"{text}\" was unexpected in this context."),
                    t.pos,
                    t.len,
                )
            }
        }
    }

    fn expect(&mut self, tok: &Tok) -> Result<Token, FilterError> {
        if self.peek() == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected())
        }
    }

    /// Guards recursion; every recursive rule calls it.
    fn enter(&mut self) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.span();
            return Err(FilterError::at(
                "Filter expression is nested too deeply.",
                span.pos,
                span.len.max(1),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn or_expr(&mut self) -> Result<Expr, FilterError> {
        self.enter()?;
        let mut terms = vec![self.and_expr()?];
        while matches!(self.peek(), Tok::Or) {
            self.bump();
            terms.push(self.and_expr()?);
        }
        self.leave();
        Ok(flat(terms, Expr::Or))
    }

    fn and_expr(&mut self) -> Result<Expr, FilterError> {
        let mut terms = vec![self.not_expr()?];
        while matches!(self.peek(), Tok::And) {
            self.bump();
            terms.push(self.not_expr()?);
        }
        Ok(flat(terms, Expr::And))
    }

    fn not_expr(&mut self) -> Result<Expr, FilterError> {
        self.enter()?;
        let expr = if matches!(self.peek(), Tok::Not) {
            self.bump();
            Expr::Not(Box::new(self.not_expr()?))
        } else {
            self.test()?
        };
        self.leave();
        Ok(expr)
    }

    /// A parenthesized test, a relation, or a term tested for existence.
    fn test(&mut self) -> Result<Expr, FilterError> {
        let quant = match self.peek() {
            Tok::LParen => {
                self.bump();
                let expr = self.or_expr()?;
                self.expect(&Tok::RParen)?;
                return Ok(expr);
            }
            Tok::Any => Quant::Any,
            Tok::All => Quant::All,
            _ => Quant::Default,
        };
        if quant != Quant::Default {
            self.bump();
        }
        let lhs = self.arith()?;
        match self.relation(quant, lhs)? {
            (expr, Tail::Relation) => Ok(expr),
            (expr, Tail::None) if quant == Quant::Default => Ok(expr),
            // `all tcp.port` needs a relation after it.
            (_, Tail::None) => Err(self.unexpected()),
        }
    }

    /// The relation after a left-hand term, if any.
    fn relation(&mut self, quant: Quant, lhs: Term) -> Result<(Expr, Tail), FilterError> {
        match self.peek().clone() {
            Tok::Cmp(_) => {
                let mut links = Vec::new();
                let mut left = lhs;
                while let Tok::Cmp(op) = *self.peek() {
                    let op_span = self.span();
                    self.bump();
                    let right = self.arith()?;
                    links.push(Expr::Compare {
                        quant,
                        op,
                        op_span,
                        lhs: left,
                        rhs: right.clone(),
                    });
                    left = right;
                }
                if links.is_empty() {
                    return Err(self.unexpected());
                }
                Ok((flat(links, Expr::And), Tail::Relation))
            }
            Tok::Contains => {
                let op_span = self.span();
                self.bump();
                let rhs = self.arith()?;
                Ok((
                    Expr::Contains {
                        quant,
                        op_span,
                        lhs,
                        rhs,
                    },
                    Tail::Relation,
                ))
            }
            Tok::Matches => {
                let op_span = self.span();
                self.bump();
                let rhs = self.arith()?;
                Ok((
                    Expr::Matches {
                        quant,
                        op_span,
                        lhs,
                        rhs,
                    },
                    Tail::Relation,
                ))
            }
            Tok::In => {
                self.bump();
                let set = self.set()?;
                Ok((Expr::In { quant, lhs, set }, Tail::Relation))
            }
            Tok::Not => {
                // Only `not in` may follow a term.
                self.bump();
                if !matches!(self.peek(), Tok::In) {
                    return Err(self.unexpected());
                }
                self.bump();
                let set = self.set()?;
                Ok((
                    Expr::Not(Box::new(Expr::In { quant, lhs, set })),
                    Tail::Relation,
                ))
            }
            _ => Ok((Expr::Exists(lhs), Tail::None)),
        }
    }

    /// `{ elem, elem..elem, … }`
    fn set(&mut self) -> Result<Vec<SetElem>, FilterError> {
        self.expect(&Tok::LBrace)?;
        let mut elems = Vec::new();
        loop {
            let lo = self.set_value()?;
            let hi = if matches!(self.peek(), Tok::DotDot) {
                self.bump();
                Some(self.set_value()?)
            } else {
                None
            };
            elems.push(SetElem { lo, hi });
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RBrace => {
                    self.bump();
                    return Ok(elems);
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    /// A set element: an entity, possibly negated (`{-5..5}`).
    fn set_value(&mut self) -> Result<Term, FilterError> {
        if matches!(self.peek(), Tok::Minus) {
            let op_span = self.span();
            self.bump();
            let operand = self.entity()?;
            let span = op_span.to(operand.span);
            return Ok(Term {
                kind: TermKind::Neg {
                    op_span,
                    operand: Box::new(operand),
                },
                span,
            });
        }
        self.entity()
    }

    /// Arithmetic, loosest first: `&`.
    fn arith(&mut self) -> Result<Term, FilterError> {
        let depth = self.depth;
        self.enter()?;
        let mut lhs = self.additive()?;
        while matches!(self.peek(), Tok::BitAnd) {
            lhs = self.binary(lhs, ArithOp::BitAnd, Self::additive)?;
        }
        self.depth = depth;
        Ok(lhs)
    }

    fn additive(&mut self) -> Result<Term, FilterError> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => ArithOp::Add,
                Tok::Minus => ArithOp::Sub,
                _ => return Ok(lhs),
            };
            lhs = self.binary(lhs, op, Self::multiplicative)?;
        }
    }

    fn multiplicative(&mut self) -> Result<Term, FilterError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => ArithOp::Mul,
                Tok::Slash => ArithOp::Div,
                Tok::Percent => ArithOp::Mod,
                _ => return Ok(lhs),
            };
            lhs = self.binary(lhs, op, Self::unary)?;
        }
    }

    fn binary(
        &mut self,
        lhs: Term,
        op: ArithOp,
        operand: fn(&mut Self) -> Result<Term, FilterError>,
    ) -> Result<Term, FilterError> {
        // Left-leaning chains deepen the tree without recursing here; count them.
        self.enter()?;
        let op_span = self.span();
        self.bump();
        let rhs = operand(self)?;
        let span = lhs.span.to(rhs.span);
        Ok(Term {
            kind: TermKind::Arith {
                op,
                op_span,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            span,
        })
    }

    fn unary(&mut self) -> Result<Term, FilterError> {
        self.enter()?;
        let term = match self.peek() {
            Tok::Minus => {
                let op_span = self.span();
                self.bump();
                let operand = self.unary()?;
                let span = op_span.to(operand.span);
                Term {
                    kind: TermKind::Neg {
                        op_span,
                        operand: Box::new(operand),
                    },
                    span,
                }
            }
            Tok::Plus => {
                self.bump();
                self.unary()?
            }
            _ => self.entity()?,
        };
        self.leave();
        Ok(term)
    }

    /// A field, literal, string, character, function call, reference or
    /// `{arithmetic}`, then any layer selection and slices.
    fn entity(&mut self) -> Result<Term, FilterError> {
        let span = self.span();
        let mut term = match self.peek().clone() {
            Tok::Word(name) if matches!(self.peek2(), Tok::LParen) => {
                self.bump();
                self.call(name, span)?
            }
            Tok::Word(word) => {
                self.bump();
                let mut term = Term {
                    kind: TermKind::Word(word),
                    span,
                };
                if matches!(self.peek(), Tok::Hash) {
                    term = self.layer(term)?;
                }
                term
            }
            Tok::DotField(name) => {
                self.bump();
                let mut term = Term {
                    kind: TermKind::DotField(name),
                    span,
                };
                if matches!(self.peek(), Tok::Hash) {
                    term = self.layer(term)?;
                }
                term
            }
            Tok::Str(bytes) => {
                self.bump();
                Term {
                    kind: TermKind::Str(bytes),
                    span,
                }
            }
            Tok::Char(c) => {
                self.bump();
                Term {
                    kind: TermKind::Char(c),
                    span,
                }
            }
            Tok::Dollar => {
                self.bump();
                self.expect(&Tok::LBrace)?;
                let name_span = self.span();
                let Tok::Word(name) = self.peek().clone() else {
                    return Err(self.unexpected());
                };
                self.bump();
                self.expect(&Tok::RBrace)?;
                Term {
                    kind: TermKind::Reference(name),
                    span: name_span,
                }
            }
            Tok::LBrace => {
                self.bump();
                let inner = self.arith()?;
                self.expect(&Tok::RBrace)?;
                inner
            }
            _ => return Err(self.unexpected()),
        };
        let depth = self.depth;
        while matches!(self.peek(), Tok::LBracket) {
            // Each slice nests the term once more.
            self.enter()?;
            self.bump();
            let ranges = self.ranges()?;
            // tshark reports errors about a slice without a location.
            let span = Span {
                pos: term.span.pos,
                len: 0,
            };
            term = Term {
                kind: TermKind::Slice {
                    base: Box::new(term),
                    ranges,
                },
                span,
            };
        }
        self.depth = depth;
        Ok(term)
    }

    /// `name(arg, …)`; the name token has been consumed.
    fn call(&mut self, name: String, name_span: Span) -> Result<Term, FilterError> {
        self.expect(&Tok::LParen)?;
        let mut args = Vec::new();
        if !matches!(self.peek(), Tok::RParen) {
            loop {
                args.push(self.arith()?);
                if matches!(self.peek(), Tok::Comma) {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        self.expect(&Tok::RParen)?;
        // Errors about a call point at the function's name, as in tshark.
        Ok(Term {
            kind: TermKind::Call {
                name,
                name_span,
                args,
            },
            span: name_span,
        })
    }

    /// `#n` or `#[ranges]` after a field.
    fn layer(&mut self, base: Term) -> Result<Term, FilterError> {
        self.expect(&Tok::Hash)?;
        let layers = match self.peek().clone() {
            Tok::Layer(n) => {
                self.bump();
                vec![RangeNode {
                    start: i64::from(n),
                    end: RangeEnd::Length(1),
                }]
            }
            Tok::LBracket => {
                self.bump();
                self.ranges()?
            }
            _ => return Err(self.unexpected()),
        };
        let span = base.span;
        Ok(Term {
            kind: TermKind::Layer {
                base: Box::new(base),
                layers,
            },
            span,
        })
    }

    /// Range list after `[`, through `]`.
    fn ranges(&mut self) -> Result<Vec<RangeNode>, FilterError> {
        let mut nodes = Vec::new();
        loop {
            let span = self.span();
            let Tok::Range(text) = self.peek().clone() else {
                return Err(self.unexpected());
            };
            self.bump();
            // tshark checks a range once the token after it is scanned, so a
            // missing `]` is reported before a bad range.
            if let Tok::Error(e) = self.peek() {
                return Err(e.clone());
            }
            nodes.push(range_node(&text, span)?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RBracket => {
                    self.bump();
                    return Ok(nodes);
                }
                _ => return Err(self.unexpected()),
            }
        }
    }
}

/// One term alone, or the flat `Or`/`And` of several.
fn flat(mut terms: Vec<Expr>, join: fn(Vec<Expr>) -> Expr) -> Expr {
    if terms.len() == 1
        && let Some(only) = terms.pop()
    {
        return only;
    }
    join(terms)
}

/// An integer in a range, as `strtol(s, NULL, 0)` reads it.
fn range_int(part: &str, span: Span) -> Result<i64, FilterError> {
    let t = part.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let parsed = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16)
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(digits.get(1..).unwrap_or_default(), 8)
    } else {
        digits.parse::<u64>()
    };
    let value = match parsed {
        Ok(v) => v,
        Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => {
            return Err(FilterError::at(
                format!("\"{t}\" causes an integer overflow."),
                span.pos,
                span.len,
            ));
        }
        Err(_) => {
            return Err(FilterError::at(
                format!("\"{t}\" is not a valid number."),
                span.pos,
                span.len,
            ));
        }
    };
    let value = i64::try_from(value)
        .ok()
        .filter(|v| *v <= i64::from(i32::MAX))
        .ok_or_else(|| {
            FilterError::at(
                format!("\"{t}\" causes an integer overflow."),
                span.pos,
                span.len,
            )
        })?;
    Ok(if negative { -value } else { value })
}

/// One range: `i`, `i:len`, `i-j`, `i:`, `:len`.
fn range_node(text: &str, span: Span) -> Result<RangeNode, FilterError> {
    let invalid = |why: String| {
        FilterError::at(
            format!("Range {} isn't valid because {why}", text.trim()),
            span.pos,
            span.len,
        )
    };
    if let Some((start, len)) = text.split_once(':') {
        let start = if start.trim().is_empty() {
            0
        } else {
            range_int(start, span)?
        };
        if len.trim().is_empty() {
            return Ok(RangeNode {
                start,
                end: RangeEnd::ToEnd,
            });
        }
        let len = range_int(len, span)?;
        if len <= 0 {
            return Err(invalid(format!("length {len} isn't positive")));
        }
        return Ok(RangeNode {
            start,
            end: RangeEnd::Length(len),
        });
    }
    let trimmed = text.trim();
    let dash = trimmed
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '-')
        .map(|(i, _)| i);
    if let Some(i) = dash {
        let (a, b) = trimmed.split_at(i);
        let start = range_int(a, span)?;
        let end = range_int(b.get(1..).unwrap_or_default(), span)?;
        if (start < 0) == (end < 0) && start >= end {
            return Err(invalid(format!("{start} is greater or equal than {end}")));
        }
        return Ok(RangeNode {
            start,
            end: RangeEnd::Offset(end),
        });
    }
    Ok(RangeNode {
        start: range_int(text, span)?,
        end: RangeEnd::Length(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::lexer::CmpTok;

    fn word(e: &Term) -> &str {
        match &e.kind {
            TermKind::Word(w) => w,
            other => panic!("{other:?}"),
        }
    }

    fn err(text: &str) -> (String, usize, usize) {
        let e = parse(text).unwrap_err();
        (e.message, e.position, e.len)
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let e = parse("a or b and c").unwrap().unwrap();
        let Expr::Or(terms) = e else { panic!() };
        assert!(matches!(&terms[0], Expr::Exists(t) if word(t) == "a"));
        assert!(matches!(&terms[1], Expr::And(v) if v.len() == 2));
        let e = parse("not a and b").unwrap().unwrap();
        assert!(matches!(e, Expr::And(ref v) if matches!(v[0], Expr::Not(_))));
        let e = parse("!(a or b)").unwrap().unwrap();
        assert!(matches!(e, Expr::Not(ref i) if matches!(**i, Expr::Or(..))));
        // Long chains stay flat: no depth limit for them.
        let long = vec!["frame.number == 1"; 2000].join(" or ");
        assert!(matches!(parse(&long).unwrap(), Some(Expr::Or(v)) if v.len() == 2000));
    }

    #[test]
    fn arithmetic_precedence() {
        let Some(Expr::Compare { lhs, op, .. }) = parse("a & 1 + 2 * 3 == 4").unwrap() else {
            panic!()
        };
        assert_eq!(op, CmpTok::AnyEq);
        let TermKind::Arith { op, rhs, .. } = lhs.kind else {
            panic!()
        };
        assert_eq!(op, ArithOp::BitAnd);
        let TermKind::Arith { op, rhs, .. } = rhs.kind else {
            panic!()
        };
        assert_eq!(op, ArithOp::Add);
        assert!(matches!(
            rhs.kind,
            TermKind::Arith {
                op: ArithOp::Mul,
                ..
            }
        ));
    }

    #[test]
    fn chains_sets_slices_layers() {
        let e = parse("a < b < c").unwrap().unwrap();
        assert!(matches!(e, Expr::And(..)));
        let Some(Expr::Not(inner)) = parse("a not in {1, 2..3, -4}").unwrap() else {
            panic!()
        };
        let Expr::In { set, .. } = *inner else {
            panic!()
        };
        assert_eq!(set.len(), 3);
        assert!(set[1].hi.is_some());
        let Some(Expr::Exists(t)) = parse("frame[1:2,-1,3-4,:5,6:]").unwrap() else {
            panic!()
        };
        let TermKind::Slice { ranges, .. } = t.kind else {
            panic!()
        };
        assert_eq!(
            ranges,
            vec![
                RangeNode {
                    start: 1,
                    end: RangeEnd::Length(2)
                },
                RangeNode {
                    start: -1,
                    end: RangeEnd::Length(1)
                },
                RangeNode {
                    start: 3,
                    end: RangeEnd::Offset(4)
                },
                RangeNode {
                    start: 0,
                    end: RangeEnd::Length(5)
                },
                RangeNode {
                    start: 6,
                    end: RangeEnd::ToEnd
                },
            ]
        );
        let Some(Expr::Compare { lhs, .. }) = parse("ip.src#2 == 1.2.3.4").unwrap() else {
            panic!()
        };
        assert!(matches!(lhs.kind, TermKind::Layer { .. }));
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn syntax_errors_like_tshark() {
        assert_eq!(
            err("tcp.port = 80"),
            ("\"=\" was unexpected in this context.".into(), 9, 1)
        );
        assert_eq!(err("tcp.port ==").0, "Unexpected end of filter expression.");
        assert_eq!(err("(tcp").1, 0);
        assert_eq!(
            err("tcp.port in {80 10805}"),
            ("\"10805\" was unexpected in this context.".into(), 16, 5)
        );
        assert_eq!(
            err("tcp xor udp"),
            ("\"xor\" was unexpected in this context.".into(), 4, 3)
        );
        assert_eq!(
            err("http.host == \"a\" \"b\""),
            ("\"\"b\"\" was unexpected in this context.".into(), 17, 3)
        );
        assert_eq!(
            err("all tcp.port").0,
            "Unexpected end of filter expression."
        );
        assert_eq!(err("tcp.port not 80").1, 13);
        assert_eq!(
            err("frame[2:-1] == 1"),
            (
                "Range 2:-1 isn't valid because length -1 isn't positive".into(),
                6,
                4
            )
        );
        assert_eq!(
            err("frame[5-2] == 1").0,
            "Range 5-2 isn't valid because 5 is greater or equal than 2"
        );
        assert_eq!(err("frame[a] == 1").0, "\"a\" is not a valid number.");
        assert_eq!(err("tcp.flags & (2)").1, 12);
        let deep = format!("{}tcp{}", "(".repeat(5000), ")".repeat(5000));
        assert!(err(&deep).0.contains("nested too deeply"));
        for deep in [
            format!("{}tcp.port{} == 1", "{".repeat(5000), "}".repeat(5000)),
            format!("{}tcp.port == 1", "-".repeat(5000)),
            format!("{}tcp", "!".repeat(5000)),
            format!("frame{} == 1", "[0]".repeat(5000)),
            format!("tcp.port{} == 1", " + 1".repeat(5000)),
        ] {
            assert!(err(&deep).0.contains("nested too deeply"));
        }
    }
}
