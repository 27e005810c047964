//! The checked program a filter runs: tests, operands and functions, with every
//! name resolved and every literal converted (what [`super::check`] builds and
//! [`super::eval`] evaluates).

use super::ast::RangeNode;
use super::types::FType;
use super::val::{Op, Val};
use crate::dissect::FieldSet;
use crate::dissect::field::FieldId;
use regex::bytes::Regex;

/// A compiled test.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// Any of them.
    Or(Vec<Test>),
    /// All of them.
    And(Vec<Test>),
    /// Negation.
    Not(Box<Test>),
    /// The operand yields a value (fields, slices) or a non-zero value (arithmetic).
    Exists(Operand),
    /// A comparison over every pair of values.
    Cmp {
        /// How pairs combine.
        how: How,
        /// The comparison applied to each pair.
        op: CmpOp,
        /// Left side.
        lhs: Operand,
        /// Right side.
        rhs: Operand,
    },
    /// `contains`.
    Contains {
        /// Every left value must contain the right one.
        all: bool,
        /// Left side.
        lhs: Operand,
        /// Right side.
        rhs: Operand,
    },
    /// `matches`, with the regex compiled once.
    Matches {
        /// Every left value must match.
        all: bool,
        /// Left side.
        lhs: Operand,
        /// The pattern.
        regex: Regex,
    },
    /// `in {…}`.
    In {
        /// Every left value must be in the set.
        all: bool,
        /// Left side.
        lhs: Operand,
        /// Values and inclusive ranges.
        set: Vec<(Operand, Option<Operand>)>,
    },
}

/// How the pairs of a comparison combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    /// Some pair satisfies it (`==`, `>`, `!==`).
    Any,
    /// Every pair satisfies it (`===`, `all x > y`).
    All,
    /// Both sides have values and no pair satisfies it (`!=` is `!(a == b)`,
    /// but false when a side is absent).
    NoneOf,
}

/// The comparison applied to one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Greater.
    Gt,
    /// Greater or equal.
    Ge,
    /// Less.
    Lt,
    /// Less or equal.
    Le,
}

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    /// `len()`; the width in bytes of an integer argument.
    Len(u8),
    /// `count()`.
    Count,
    /// `upper()`.
    Upper,
    /// `lower()`.
    Lower,
    /// `string()`.
    String,
    /// `max()`.
    Max,
    /// `min()`.
    Min,
    /// `abs()`.
    Abs,
}

/// Something that yields values for a packet.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    /// Every occurrence of a field (of the selected layers).
    Field {
        /// The field.
        id: FieldId,
        /// Its type.
        ftype: FType,
        /// Its protocol (layers are counted per protocol).
        proto: FieldId,
        /// `#` layer selection.
        layers: Option<Vec<RangeNode>>,
    },
    /// `${field}`: the reference packet's field; a batch run has none.
    Reference,
    /// A constant.
    Const(Val<'static>),
    /// Byte ranges of each value.
    Slice {
        /// What is sliced.
        base: Box<Operand>,
        /// Ranges, concatenated.
        ranges: Vec<RangeNode>,
    },
    /// Arithmetic over every pair of values.
    Arith {
        /// Operator.
        op: Op,
        /// Left operand.
        lhs: Box<Operand>,
        /// Right operand.
        rhs: Box<Operand>,
    },
    /// Unary minus.
    Neg(Box<Operand>),
    /// A function call.
    Call {
        /// Which function.
        func: Func,
        /// Arguments.
        args: Vec<Operand>,
    },
}

/// The checked program and the fields it reads.
pub(crate) struct Checked {
    /// The test (`None`: the empty filter, which passes everything).
    pub test: Option<Test>,
    /// Every field and protocol the test reads.
    pub fields: FieldSet,
    /// Some field is read by layer (`ip.src#2`): dissections must number layers.
    pub uses_layers: bool,
}
