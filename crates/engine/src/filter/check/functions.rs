//! `check_function`: the display-filter functions (`len`, `count`, `upper`,
//! `lower`, `string`, `max`, `min`, `abs`), their arity and argument types.

use super::{Checker, Resolved};
use crate::dissect::registry;
use crate::filter::ast::{Term, TermKind};
use crate::filter::error::FilterError;
use crate::filter::literal;
use crate::filter::program::{Func, Operand};
use crate::filter::types::FType;

impl Checker<'_> {
    /// Checks a function call: its operand and return type.
    pub(super) fn function(
        &mut self,
        t: &Term,
        lhs_type: Option<FType>,
    ) -> Result<(Operand, FType), FilterError> {
        let TermKind::Call {
            name,
            name_span,
            args,
        } = &t.kind
        else {
            return self.arith_entity(t, lhs_type);
        };
        let (func, min, max) = match name.as_str() {
            "len" => (Func::Len(0), 1, 1),
            "count" => (Func::Count, 1, 1),
            "upper" => (Func::Upper, 1, 1),
            "lower" => (Func::Lower, 1, 1),
            "string" => (Func::String, 1, 1),
            "max" => (Func::Max, 1, usize::MAX),
            "min" => (Func::Min, 1, usize::MAX),
            "abs" => (Func::Abs, 1, 1),
            _ => return self.fail(format!("Function '{name}' does not exist"), *name_span),
        };
        if args.len() < min {
            return self.fail(
                format!("Function {name} needs at least {min} arguments."),
                *name_span,
            );
        }
        if args.len() > max {
            return self.fail(
                format!("Function {name} can only accept {max} arguments."),
                *name_span,
            );
        }
        match func {
            Func::Len(_) | Func::Count => {
                let arg = first(args, t)?;
                let Resolved::Field(id, layers) = self.resolve(arg)? else {
                    return self.fail(
                        format!("Only fields can be used as parameter for {name}()"),
                        arg.span,
                    );
                };
                let width = match FType::of(&registry::def(id).kind) {
                    FType::UInt(bits) | FType::Int(bits) => bits.div_ceil(8),
                    FType::FrameNum => 4,
                    _ => 0,
                };
                let func = if func == Func::Count {
                    func
                } else {
                    Func::Len(width)
                };
                let operand = self.field(id, layers);
                Ok((
                    Operand::Call {
                        func,
                        args: vec![operand],
                    },
                    FType::UInt(32),
                ))
            }
            Func::Upper | Func::Lower => {
                let arg = first(args, t)?;
                match self.resolve(arg)? {
                    Resolved::Field(id, layers)
                        if FType::of(&registry::def(id).kind) == FType::Str =>
                    {
                        let operand = self.field(id, layers);
                        Ok(call(func, operand, FType::Str))
                    }
                    _ => self.fail(
                        format!("Only string type fields can be used as parameter for {name}()"),
                        arg.span,
                    ),
                }
            }
            Func::String => {
                let arg = first(args, t)?;
                let Resolved::Field(id, layers) = self.resolve(arg)? else {
                    return self.fail(
                        format!("Only fields can be used as parameter for {name}()"),
                        arg.span,
                    );
                };
                let def = registry::def(id);
                let ft = FType::of(&def.kind);
                let supported = ft.is_integer()
                    || matches!(ft, FType::Ipv4 | FType::Ipv6 | FType::Double | FType::Ether);
                if !supported {
                    return self.fail(
                        format!(
                            "String conversion for field \"{}\" is not supported",
                            def.abbrev
                        ),
                        arg.span,
                    );
                }
                let operand = self.field(id, layers);
                Ok(call(func, operand, FType::Str))
            }
            Func::Abs => {
                let arg = first(args, t)?;
                let (operand, ft) = match self.resolve(arg)? {
                    Resolved::Literal(s) => match lhs_type {
                        Some(ft) => match literal::from_literal(ft, s, false) {
                            Ok(v) => (Operand::Const(v), ft),
                            Err(m) => return self.fail(m, arg.span),
                        },
                        None => {
                            return self
                                .fail("Need a field or field-like value on the LHS.", arg.span);
                        }
                    },
                    _ => self.arith(arg, lhs_type)?,
                };
                if !ft.can_negate() {
                    return self.fail(
                        format!(
                            "'{}' is not a valid argument to '{name}'()",
                            self.show(arg.span)
                        ),
                        arg.span,
                    );
                }
                Ok((
                    Operand::Call {
                        func,
                        args: vec![operand],
                    },
                    ft,
                ))
            }
            Func::Max | Func::Min => {
                let mut ftype: Option<FType> = None;
                let mut operands = Vec::new();
                for arg in args {
                    let (operand, ft) = match self.resolve(arg)? {
                        Resolved::Arith => self.arith(arg, lhs_type.or(ftype))?,
                        Resolved::Literal(s) => match lhs_type.or(ftype) {
                            Some(ft) => match literal::from_literal(ft, s, false) {
                                Ok(v) => (Operand::Const(v), ft),
                                Err(m) => return self.fail(m, arg.span),
                            },
                            None => {
                                return self.fail(
                                    format!(
                                        "Argument '{}' is not valid for {name}()",
                                        self.show(arg.span)
                                    ),
                                    arg.span,
                                );
                            }
                        },
                        Resolved::Call(..) => self.function(arg, lhs_type)?,
                        Resolved::Field(id, layers) => {
                            let ft = FType::of(&registry::def(id).kind);
                            (self.field(id, layers), ft)
                        }
                        _ => {
                            return self.fail(
                                format!(
                                    "Argument '{}' is not valid for {name}()",
                                    self.show(arg.span)
                                ),
                                arg.span,
                            );
                        }
                    };
                    let expected = *ftype.get_or_insert(ft);
                    if ft != expected {
                        return self.fail(
                            format!(
                                "Arguments to '{name}' must have the same type (expected {}, got {})",
                                expected.name(),
                                ft.name()
                            ),
                            arg.span,
                        );
                    }
                    operands.push(operand);
                }
                let ft = ftype.unwrap_or(FType::None);
                Ok((
                    Operand::Call {
                        func,
                        args: operands,
                    },
                    ft,
                ))
            }
        }
    }
}

fn first<'e>(args: &'e [Term], call: &Term) -> Result<&'e Term, FilterError> {
    args.first()
        .ok_or_else(|| FilterError::at("Function needs an argument.", call.span.pos, call.span.len))
}

/// A call of `func` on one operand, returning `ft`.
fn call(func: Func, operand: Operand, ft: FType) -> (Operand, FType) {
    (
        Operand::Call {
            func,
            args: vec![operand],
        },
        ft,
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::err;

    #[test]
    fn names_arity_and_types() {
        assert_eq!(err("foo(tcp.port) == 1").0, "Function 'foo' does not exist");
        assert_eq!(
            err("len(tcp.port, tcp.port) == 1").0,
            "Function len can only accept 1 arguments."
        );
        assert_eq!(
            err("upper(tcp.port) == \"A\"").0,
            "Only string type fields can be used as parameter for upper()"
        );
        assert_eq!(
            err("max(tcp.srcport, frame.number) > 0").0,
            "Arguments to 'max' must have the same type (expected FT_UINT16, got FT_UINT32)"
        );
    }
}
