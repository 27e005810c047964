//! The syntax tree the parser builds: logical tests over relations between
//! terms (fields, literals, slices, function calls, arithmetic). Nothing here is
//! resolved against the field registry yet; that is the checker's job.

use super::lexer::CmpTok;

/// A byte range of the filter text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte offset.
    pub pos: usize,
    /// Length in bytes.
    pub len: usize,
}

impl Span {
    /// The span from the start of `self` to the end of `other`.
    pub(crate) fn to(self, other: Span) -> Span {
        let end = (other.pos + other.len).max(self.pos + self.len);
        Span {
            pos: self.pos,
            len: end - self.pos,
        }
    }
}

/// `any` or `all` before a relation; `Default` is what the operator implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quant {
    /// No quantifier written.
    Default,
    /// `any`
    Any,
    /// `all`
    All,
}

/// A test: the boolean level of the language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// `a or b or …`, kept flat so long chains do not nest.
    Or(Vec<Expr>),
    /// `a and b and …`, kept flat.
    And(Vec<Expr>),
    /// `not a`
    Not(Box<Expr>),
    /// A term alone: a field or protocol is present, a slice exists, or an
    /// arithmetic result is non-zero.
    Exists(Term),
    /// `lhs op rhs` (one link of a chain such as `a < b < c`).
    Compare {
        /// Quantifier.
        quant: Quant,
        /// Operator.
        op: CmpTok,
        /// Where the operator is (its text appears in messages).
        op_span: Span,
        /// Left side.
        lhs: Term,
        /// Right side.
        rhs: Term,
    },
    /// `lhs contains rhs`
    Contains {
        /// Quantifier.
        quant: Quant,
        /// Where the operator is.
        op_span: Span,
        /// Left side.
        lhs: Term,
        /// Right side.
        rhs: Term,
    },
    /// `lhs matches rhs` or `lhs ~ rhs`
    Matches {
        /// Quantifier.
        quant: Quant,
        /// Where the operator is.
        op_span: Span,
        /// Left side.
        lhs: Term,
        /// Right side (must be a string).
        rhs: Term,
    },
    /// `lhs in {…}`; `not in` is written as `Not(In)` by the parser.
    In {
        /// Quantifier.
        quant: Quant,
        /// Left side.
        lhs: Term,
        /// The set.
        set: Vec<SetElem>,
    },
}

/// One element of a set: a value or an inclusive range `lo..hi`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SetElem {
    /// The value, or the low end of the range.
    pub lo: Term,
    /// The high end of a range.
    pub hi: Option<Term>,
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `&`
    BitAnd,
}

/// A value-producing expression and where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    /// What it is.
    pub kind: TermKind,
    /// Its text span (for messages).
    pub span: Span,
}

/// The kinds of terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TermKind {
    /// An unquoted word: a field if the registry knows it, otherwise a literal.
    Word(String),
    /// `.name`: must be a field.
    DotField(String),
    /// A quoted string.
    Str(Vec<u8>),
    /// A character constant.
    Char(u8),
    /// `${field}`: a field of the reference packet (none in a batch run).
    Reference(String),
    /// `base#n` or `base#[ranges]`.
    Layer {
        /// The field.
        base: Box<Term>,
        /// Which layers.
        layers: Vec<RangeNode>,
    },
    /// `base[ranges]`
    Slice {
        /// What is sliced.
        base: Box<Term>,
        /// The ranges, concatenated.
        ranges: Vec<RangeNode>,
    },
    /// `name(args)`
    Call {
        /// Function name.
        name: String,
        /// Where the name is (function errors point there).
        name_span: Span,
        /// Arguments.
        args: Vec<Term>,
    },
    /// `lhs op rhs`
    Arith {
        /// Operator.
        op: ArithOp,
        /// Where the operator is (its text appears in messages).
        op_span: Span,
        /// Left operand.
        lhs: Box<Term>,
        /// Right operand.
        rhs: Box<Term>,
    },
    /// `-operand`
    Neg {
        /// Where the minus is.
        op_span: Span,
        /// The operand.
        operand: Box<Term>,
    },
}

/// One range of a slice or a layer selection, in drange's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RangeNode {
    /// First byte (negative: from the end).
    pub start: i64,
    /// Where it ends.
    pub end: RangeEnd,
}

/// How a range ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeEnd {
    /// `i:len`, `i` alone (length 1) and `:len`.
    Length(i64),
    /// `i-j`: inclusive end offset (negative: from the end).
    Offset(i64),
    /// `i:`: to the end.
    ToEnd,
}
