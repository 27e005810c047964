//! The commonest filters in a form that runs without the general evaluator: presence
//! of a field (`tcp.analysis.retransmission`) and an integer or flag field against a
//! constant (`tcp.flags.syn == 1`, `tcp.port != 80`), joined by `||`, `&&` and `!`.
//! A filter on a million packets spends most of its evaluation building [`Val`]s to
//! compare two integers; here the constant is read once, when the filter compiles.
//!
//! The answers are the general evaluator's: a node whose value is not a plain integer
//! or flag leaves the packet to it ([`Fast::test`] returns `None`).

use super::program::{CmpOp, How, Operand, Test};
use super::types::FType;
use super::val::Val;
use crate::dissect::field::FieldId;
use crate::dissect::{Node, Value, ws};
use std::cmp::Ordering;

/// A test the fast path can run.
#[derive(Debug, Clone)]
pub(crate) enum Fast {
    /// Any of them.
    Or(Vec<Fast>),
    /// All of them.
    And(Vec<Fast>),
    /// Negation.
    Not(Box<Fast>),
    /// Some node of the field.
    Has(FieldId),
    /// Some node of an integer or flag field compares with `value` as `op` asks.
    Int {
        /// The field.
        id: FieldId,
        /// The comparison.
        op: CmpOp,
        /// The constant, as the field's type reads it (0 or 1 for a flag).
        value: u64,
        /// The field is a flag: a node's value counts as 0 or 1.
        flag: bool,
    },
}

impl Fast {
    /// The fast form of `test`, when every part of it has one.
    pub(crate) fn of(test: &Test) -> Option<Fast> {
        match test {
            Test::Or(v) => v.iter().map(Fast::of).collect::<Option<_>>().map(Fast::Or),
            Test::And(v) => v.iter().map(Fast::of).collect::<Option<_>>().map(Fast::And),
            Test::Not(t) => Fast::of(t).map(|f| Fast::Not(Box::new(f))),
            Test::Exists(Operand::Field {
                id, layers: None, ..
            }) if !is_expert(*id) => Some(Fast::Has(*id)),
            Test::Cmp {
                how: How::Any,
                op,
                lhs:
                    Operand::Field {
                        id,
                        ftype,
                        layers: None,
                        ..
                    },
                rhs: Operand::Const(constant),
            } if !is_expert(*id) => {
                let flag = match ftype {
                    FType::Bool => true,
                    FType::UInt(_) => false,
                    _ => return None,
                };
                let value = match constant {
                    Val::U(v) => *v,
                    Val::Bool(b) => u64::from(*b),
                    _ => return None,
                };
                Some(Fast::Int {
                    id: *id,
                    op: *op,
                    value: if flag { u64::from(value != 0) } else { value },
                    flag,
                })
            }
            _ => None,
        }
    }

    /// Whether a packet with these nodes passes; `None` when a node holds a value
    /// this path does not read.
    pub(crate) fn test(&self, nodes: &[Node<'_>]) -> Option<bool> {
        match self {
            Fast::Or(v) => {
                for f in v {
                    if f.test(nodes)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Fast::And(v) => {
                for f in v {
                    if !f.test(nodes)? {
                        return Some(false);
                    }
                }
                Some(true)
            }
            Fast::Not(f) => f.test(nodes).map(|b| !b),
            Fast::Has(id) => Some(nodes.iter().any(|n| n.field == *id)),
            Fast::Int {
                id,
                op,
                value,
                flag,
            } => {
                for n in nodes.iter().filter(|n| n.field == *id) {
                    let raw = match n.value {
                        Value::UInt(v) => v,
                        Value::Bool(b) => u64::from(b),
                        _ => return None,
                    };
                    let left = if *flag { u64::from(raw != 0) } else { raw };
                    if holds(*op, left.cmp(value)) {
                        return Some(true);
                    }
                }
                Some(false)
            }
        }
    }
}

/// Whether `ord` satisfies `op`.
pub(crate) fn holds(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
    }
}

/// The expert fields, which the evaluator reads from the expert list.
pub(crate) fn is_expert(id: FieldId) -> bool {
    id == ws::EXPERT || id == ws::EXPERT_MESSAGE
}

#[cfg(test)]
mod tests {
    use super::super::Filter;

    #[test]
    fn integer_flag_and_presence_tests_take_the_fast_path() {
        for text in [
            "tcp.flags.syn == 1 || tcp.analysis.retransmission",
            "!(tcp.port == 80) && tcp.len > 0",
            "tcp.len >= 1 && !tcp.flags.fin",
        ] {
            let f = Filter::compile(text).unwrap();
            assert!(f.has_fast_path(), "{text}");
        }
        // Others stay with the general evaluator.
        for text in [
            "ip.src == 10.0.0.1",
            "tcp.port in {80, 443}",
            "http contains \"GET\"",
        ] {
            let f = Filter::compile(text).unwrap();
            assert!(!f.has_fast_path(), "{text}");
        }
    }
}
