//! The type checker: resolves names against the field registry, converts
//! literals to the type of the other side, and rejects what tshark 4.0's
//! `semcheck.c` rejects, with its messages. The result is the program
//! [`super::eval`] runs.

use super::ast::{ArithOp, Expr, Quant, RangeEnd, RangeNode, SetElem, Span, Term, TermKind};
use super::error::FilterError;
use super::lexer::CmpTok;
use super::literal::{self, LiteralError};
use super::program::{Checked, CmpOp, How, Operand, Test};
use super::types::FType;
use super::val::{Op, negate};
use crate::dissect::field::{FieldDef, FieldId};
use crate::dissect::{FieldSet, registry};
use pattern::compile_regex;

mod functions;
mod pattern;

/// Checks a parsed filter.
pub(crate) fn check(text: &str, expr: Option<&Expr>) -> Result<Checked, FilterError> {
    let mut checker = Checker {
        text,
        fields: FieldSet::new(),
        uses_layers: false,
    };
    let test = match expr {
        Some(e) => Some(checker.expr(e)?),
        None => None,
    };
    Ok(Checked {
        test,
        fields: checker.fields,
        uses_layers: checker.uses_layers,
    })
}

/// Which relation is being checked (for `can_*` and messages).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    Eq,
    Order,
    Contains,
}

impl Rel {
    fn allows(self, ft: FType) -> bool {
        match self {
            Rel::Eq => ft.can_eq(),
            Rel::Order => ft.can_cmp(),
            Rel::Contains => ft.can_contains(),
        }
    }
}

/// A term after name resolution.
enum Resolved<'e> {
    Field(FieldId, Option<&'e [RangeNode]>),
    Reference(FieldId),
    Literal(&'e str),
    Str(&'e [u8]),
    Char(u8),
    Slice,
    Call(&'e str, Span),
    Arith,
}

struct Checker<'t> {
    text: &'t str,
    fields: FieldSet,
    uses_layers: bool,
}

/// The relation being checked: its kind and how the operator is spelled.
#[derive(Clone, Copy)]
struct RelCtx<'a> {
    rel: Rel,
    op: &'a str,
    partial: bool,
}

/// How tshark refuses an entity of the wrong type, by kind: a field, a function,
/// anything else. In each message `{name}` stands for the field's abbreviation,
/// the function's name or the entity's text, and `{type}` for its type.
struct Refusal<'m> {
    field: &'m str,
    call: &'m str,
    other: &'m str,
}

impl Refusal<'_> {
    /// The message for `template` about `name` of type `ft`.
    fn say(template: &str, name: &str, ft: Option<FType>) -> String {
        let text = template.replace("{name}", name);
        match ft {
            Some(ft) => text.replace("{type}", &ft.pretty()),
            None => text,
        }
    }
}

impl<'t> Checker<'t> {
    fn show(&self, span: Span) -> &'t str {
        self.text
            .get(span.pos..span.pos + span.len)
            .unwrap_or_default()
    }

    fn fail<T>(&self, message: impl ToString, span: Span) -> Result<T, FilterError> {
        Err(FilterError::at(message.to_string(), span.pos, span.len))
    }

    fn expr(&mut self, e: &Expr) -> Result<Test, FilterError> {
        Ok(match e {
            Expr::Or(v) => Test::Or(v.iter().map(|e| self.expr(e)).collect::<Result<_, _>>()?),
            Expr::And(v) => Test::And(v.iter().map(|e| self.expr(e)).collect::<Result<_, _>>()?),
            Expr::Not(a) => Test::Not(Box::new(self.expr(a)?)),
            Expr::Exists(t) => self.exists(t)?,
            Expr::Compare {
                quant,
                op,
                op_span,
                lhs,
                rhs,
            } => {
                let rel = match op {
                    CmpTok::AnyEq | CmpTok::AllNe | CmpTok::AllEq | CmpTok::AnyNe => Rel::Eq,
                    _ => Rel::Order,
                };
                let ctx = RelCtx {
                    rel,
                    op: self.show(*op_span),
                    partial: false,
                };
                let (lhs, rhs) = self.relation(ctx, lhs, rhs)?;
                let (how, op) = quantify(*quant, *op);
                Test::Cmp { how, op, lhs, rhs }
            }
            Expr::Contains {
                quant,
                op_span,
                lhs,
                rhs,
            } => {
                let ctx = RelCtx {
                    rel: Rel::Contains,
                    op: self.show(*op_span),
                    partial: true,
                };
                let (lhs, rhs) = self.relation(ctx, lhs, rhs)?;
                Test::Contains {
                    all: *quant == Quant::All,
                    lhs,
                    rhs,
                }
            }
            Expr::Matches {
                quant,
                op_span,
                lhs,
                rhs,
            } => self.matches(*quant, self.show(*op_span), lhs, rhs)?,
            Expr::In { quant, lhs, set } => self.membership(*quant, lhs, set)?,
        })
    }

    /// Resolves words and `.names` against the registry.
    fn resolve<'e>(&self, t: &'e Term) -> Result<Resolved<'e>, FilterError> {
        Ok(match &t.kind {
            TermKind::Word(w) => match registry::lookup(w) {
                Some(id) => Resolved::Field(id, None),
                None => Resolved::Literal(w),
            },
            TermKind::DotField(name) => match registry::lookup(name) {
                Some(id) => Resolved::Field(id, None),
                None => {
                    return self.fail(
                        format!("\"{name}\" is not a valid protocol or protocol field."),
                        t.span,
                    );
                }
            },
            TermKind::Layer { base, layers } => match self.resolve(base)? {
                Resolved::Field(id, _) => Resolved::Field(id, Some(layers)),
                _ => {
                    return self.fail(
                        format!("{} is not a valid field", self.show(base.span)),
                        base.span,
                    );
                }
            },
            TermKind::Reference(name) => match registry::lookup(name) {
                Some(id) => Resolved::Reference(id),
                None => {
                    return self.fail(
                        format!("\"{name}\" is not a valid protocol or protocol field."),
                        t.span,
                    );
                }
            },
            TermKind::Str(b) => Resolved::Str(b),
            TermKind::Char(c) => Resolved::Char(*c),
            TermKind::Slice { .. } => Resolved::Slice,
            TermKind::Call {
                name, name_span, ..
            } => Resolved::Call(name, *name_span),
            TermKind::Arith { .. } | TermKind::Neg { .. } => Resolved::Arith,
        })
    }

    fn field(&mut self, id: FieldId, layers: Option<&[RangeNode]>) -> Operand {
        self.fields.insert(id);
        let proto = registry::protocol_of(id);
        if layers.is_some() {
            // Negative layer numbers count the protocol's layers.
            self.fields.insert(proto);
            self.uses_layers = true;
        }
        Operand::Field {
            id,
            ftype: FType::of(&registry::def(id).kind),
            proto,
            layers: layers.map(<[RangeNode]>::to_vec),
        }
    }

    fn exists(&mut self, t: &Term) -> Result<Test, FilterError> {
        Ok(match self.resolve(t)? {
            Resolved::Field(id, layers) => Test::Exists(self.field(id, layers)),
            Resolved::Reference(id) => {
                let def = registry::def(id);
                return self.fail(
                    format!(
                        "{} <{}> is neither a field nor a protocol name.",
                        def.abbrev,
                        FType::of(&def.kind).name()
                    ),
                    t.span,
                );
            }
            Resolved::Literal(_) | Resolved::Str(_) | Resolved::Char(_) => {
                return self.fail(
                    format!(
                        "{} is neither a field nor a protocol name.",
                        self.show(t.span)
                    ),
                    t.span,
                );
            }
            Resolved::Call(_, name_span) => {
                return self.fail("You cannot test whether a function is present.", name_span);
            }
            Resolved::Slice => Test::Exists(self.slice(t, None)?),
            Resolved::Arith => Test::Exists(self.arith(t, None)?.0),
        })
    }

    /// `check_slice_sanity`: what is sliced must be bytes-like.
    fn slice(&mut self, t: &Term, lhs_type: Option<FType>) -> Result<Operand, FilterError> {
        let TermKind::Slice { base, ranges } = &t.kind else {
            return self.fail(
                format!("Range is not supported for entity {}", self.show(t.span)),
                t.span,
            );
        };
        let operand = self.typed_entity(
            base,
            lhs_type,
            FType::can_slice,
            Refusal {
                field: "\"{name}\" is a {type} and cannot be sliced into a sequence of bytes.",
                call: "Return value of function \"{name}\" is a {type} and cannot be converted into a sequence of bytes.",
                other: "Range is not supported for entity {name}",
            },
        )?;
        Ok(Operand::Slice {
            base: Box::new(operand),
            ranges: ranges.clone(),
        })
    }

    /// A field, function result or slice whose type `allowed` accepts, as an
    /// operand; otherwise the refusal tshark words for that kind of entity (the
    /// checks `check_slice_sanity` and `check_relation_matches` share).
    fn typed_entity(
        &mut self,
        t: &Term,
        lhs_type: Option<FType>,
        allowed: fn(FType) -> bool,
        refusal: Refusal<'_>,
    ) -> Result<Operand, FilterError> {
        match self.resolve(t)? {
            Resolved::Field(id, layers) => {
                let def = registry::def(id);
                let ft = FType::of(&def.kind);
                if !allowed(ft) {
                    return self.fail(Refusal::say(refusal.field, def.abbrev, Some(ft)), t.span);
                }
                Ok(self.field(id, layers))
            }
            Resolved::Call(name, name_span) => {
                let (operand, ft) = self.function(t, lhs_type)?;
                if !allowed(ft) {
                    return self.fail(Refusal::say(refusal.call, name, Some(ft)), name_span);
                }
                Ok(operand)
            }
            Resolved::Slice => self.slice(t, lhs_type),
            _ => self.fail(Refusal::say(refusal.other, self.show(t.span), None), t.span),
        }
    }

    /// `convert_to_bytes`: the whole value as bytes (`[0:]`).
    fn to_bytes(operand: Operand) -> Operand {
        Operand::Slice {
            base: Box::new(operand),
            ranges: vec![RangeNode {
                start: 0,
                end: RangeEnd::ToEnd,
            }],
        }
    }

    /// `check_arithmetic_expr`: the operand and its type. `lhs_type` is the
    /// type constants take (`None` on the left side of a relation).
    fn arith(
        &mut self,
        t: &Term,
        lhs_type: Option<FType>,
    ) -> Result<(Operand, FType), FilterError> {
        match &t.kind {
            TermKind::Neg { operand, .. } => {
                if lhs_type.is_none() && is_constant(operand) {
                    return self.fail(
                        "Constant arithmetic expression on the LHS is invalid.",
                        operand.span,
                    );
                }
                let (inner, ft) = self.arith(operand, lhs_type)?;
                if !ft.can_negate() {
                    return self.fail(format!("{} cannot -.", ft.name()), operand.span);
                }
                if let Operand::Const(v) = &inner {
                    // Fold the minus of a constant now, as 4.0 does.
                    let Some(folded) = negate(v) else {
                        return self.fail(format!("{} cannot -.", ft.name()), operand.span);
                    };
                    return Ok((Operand::Const(folded), ft));
                }
                Ok((Operand::Neg(Box::new(inner)), ft))
            }
            TermKind::Arith {
                op,
                op_span,
                lhs,
                rhs,
            } => {
                if lhs_type.is_none() && is_constant(lhs) {
                    return self.fail(
                        "Constant arithmetic expression on the LHS is invalid.",
                        lhs.span,
                    );
                }
                let op_text = self.show(*op_span);
                let allowed = |ft: FType| match op {
                    ArithOp::Add | ArithOp::Sub => ft.can_add(),
                    ArithOp::Mul | ArithOp::Div | ArithOp::Mod => ft.can_multiply(),
                    ArithOp::BitAnd => ft.can_bitwise_and(),
                };
                let (a, fa) = self.arith(lhs, lhs_type)?;
                if !allowed(fa) {
                    return self.fail(format!("{} cannot {op_text}.", fa.name()), lhs.span);
                }
                let (b, fb) = self.arith(rhs, Some(fa))?;
                if !allowed(fb) {
                    return self.fail(format!("{} cannot {op_text}.", fb.name()), rhs.span);
                }
                if !fa.compatible(fb) {
                    return self.fail(
                        format!(
                            "{} and {} are not type compatible.",
                            self.show(lhs.span),
                            self.show(rhs.span)
                        ),
                        rhs.span,
                    );
                }
                let op = match op {
                    ArithOp::Add => Op::Add,
                    ArithOp::Sub => Op::Sub,
                    ArithOp::Mul => Op::Mul,
                    ArithOp::Div => Op::Div,
                    ArithOp::Mod => Op::Mod,
                    ArithOp::BitAnd => Op::And,
                };
                Ok((
                    Operand::Arith {
                        op,
                        lhs: Box::new(a),
                        rhs: Box::new(b),
                    },
                    fa,
                ))
            }
            _ => self.arith_entity(t, lhs_type),
        }
    }

    /// `check_arithmetic_entity`: an operand of arithmetic.
    fn arith_entity(
        &mut self,
        t: &Term,
        lhs_type: Option<FType>,
    ) -> Result<(Operand, FType), FilterError> {
        match self.resolve(t)? {
            Resolved::Field(id, layers) => {
                let ft = FType::of(&registry::def(id).kind);
                Ok((self.field(id, layers), ft))
            }
            Resolved::Reference(id) => Ok((Operand::Reference, FType::of(&registry::def(id).kind))),
            Resolved::Literal(s) => match lhs_type {
                Some(ft) => match literal::from_literal(ft, s, false) {
                    Ok(v) => Ok((Operand::Const(v), ft)),
                    Err(m) => self.fail(m, t.span),
                },
                None => self.fail(
                    "Constant arithmetic expression on the LHS is invalid.",
                    t.span,
                ),
            },
            Resolved::Call(..) => self.function(t, lhs_type),
            Resolved::Slice => Ok((self.slice(t, lhs_type)?, FType::Bytes)),
            Resolved::Arith => self.arith(t, lhs_type),
            Resolved::Str(_) | Resolved::Char(_) => self.fail(
                format!("{} is not a valid arithmetic operand.", self.show(t.span)),
                t.span,
            ),
        }
    }

    /// Checks `lhs op rhs` and returns both operands.
    fn relation(
        &mut self,
        ctx: RelCtx<'_>,
        lhs: &Term,
        rhs: &Term,
    ) -> Result<(Operand, Operand), FilterError> {
        match self.resolve(lhs)? {
            Resolved::Field(id, layers) => {
                let def = registry::def(id);
                let operand = self.field(id, layers);
                self.lhs_field(ctx, def, operand, lhs, rhs)
            }
            Resolved::Reference(id) => {
                let def = registry::def(id);
                self.lhs_field(ctx, def, Operand::Reference, lhs, rhs)
            }
            Resolved::Slice => {
                let operand = self.slice(lhs, None)?;
                let rhs = self.rhs_for_slice(ctx, rhs)?;
                Ok((operand, rhs))
            }
            Resolved::Call(name, name_span) => {
                let (operand, ft) = self.function(lhs, None)?;
                if !ctx.rel.allows(ft) {
                    return self.fail(
                        format!(
                            "Function {name} (type={}) cannot participate in {} comparison.",
                            ft.pretty(),
                            ctx.op
                        ),
                        name_span,
                    );
                }
                self.rhs_for_value(ctx, ft, None, operand, lhs, rhs)
            }
            Resolved::Arith if matches!(ctx.rel, Rel::Eq | Rel::Order) => {
                let (operand, _) = self.arith(lhs, None)?;
                // The right side takes the type of the leftmost operand.
                let entity = leftmost(lhs);
                let (_, rhs) = self.relation(ctx, entity, rhs)?;
                Ok((operand, rhs))
            }
            _ => {
                let shown = self.show(lhs.span);
                let message = match ctx.rel {
                    Rel::Contains => format!(
                        "Left side of {} expression must be a field or function, not {shown}.",
                        ctx.op
                    ),
                    _ => format!(
                        "Left side of \"{}\" expression must be a field or function, not {shown}.",
                        ctx.op
                    ),
                };
                self.fail(message, lhs.span)
            }
        }
    }

    /// `check_relation_LHS_FIELD`.
    fn lhs_field(
        &mut self,
        ctx: RelCtx<'_>,
        def: &'static FieldDef,
        operand: Operand,
        lhs: &Term,
        rhs: &Term,
    ) -> Result<(Operand, Operand), FilterError> {
        let ft = FType::of(&def.kind);
        if !ctx.rel.allows(ft) {
            return self.fail(
                format!(
                    "{} (type={}) cannot participate in {} comparison.",
                    def.abbrev,
                    ft.pretty(),
                    ctx.op
                ),
                lhs.span,
            );
        }
        self.rhs_for_value(ctx, ft, Some(def), operand, lhs, rhs)
    }

    /// The right side of a relation whose left side has type `ft` (a field
    /// `def`, or a function result when `def` is `None`).
    fn rhs_for_value(
        &mut self,
        ctx: RelCtx<'_>,
        ft: FType,
        def: Option<&'static FieldDef>,
        lhs_operand: Operand,
        lhs: &Term,
        rhs: &Term,
    ) -> Result<(Operand, Operand), FilterError> {
        let lhs_name = match def {
            Some(d) => d.abbrev.to_string(),
            None => self.show(lhs.span).to_string(),
        };
        let value_strings = |s: &str, first: LiteralError| match def
            .and_then(|d| literal::from_value_string(d, s))
        {
            Some(result) => result,
            None => Err(first),
        };
        let rhs_operand = match self.resolve(rhs)? {
            Resolved::Field(id, layers) => {
                let def2 = registry::def(id);
                let ft2 = FType::of(&def2.kind);
                if !ft.compatible(ft2) {
                    return self.fail(
                        format!(
                            "{lhs_name} and {} are not of compatible types.",
                            self.show(rhs.span)
                        ),
                        rhs.span,
                    );
                }
                if !ctx.rel.allows(ft2) {
                    return self.fail(
                        format!(
                            "{} (type={}) cannot participate in specified comparison.",
                            self.show(rhs.span),
                            ft2.pretty()
                        ),
                        rhs.span,
                    );
                }
                self.field(id, layers)
            }
            Resolved::Reference(_) => Operand::Reference,
            Resolved::Literal(s) => {
                let value = match literal::from_literal(ft, s, ctx.partial) {
                    Ok(v) => Ok(v),
                    Err(first) => value_strings(s, first),
                };
                match value {
                    Ok(v) => Operand::Const(v),
                    Err(m) => return self.fail(m, rhs.span),
                }
            }
            Resolved::Str(bytes) => {
                let value = match literal::from_string(ft, bytes) {
                    Ok(v) => Ok(v),
                    Err(first) => value_strings(&String::from_utf8_lossy(bytes), first),
                };
                match value {
                    Ok(v) => Operand::Const(v),
                    Err(m) => return self.fail(m, rhs.span),
                }
            }
            Resolved::Char(c) => match literal::from_char(ft, c, self.show(rhs.span)) {
                Ok(v) => Operand::Const(v),
                Err(m) => return self.fail(m, rhs.span),
            },
            Resolved::Slice => {
                let operand = self.slice(rhs, Some(ft))?;
                if !ft.is_bytes_type() {
                    if !ft.can_slice() {
                        let what = match def {
                            Some(d) => format!("\"{}\"", d.abbrev),
                            None => format!("Function \"{}\"", self.show(lhs.span)),
                        };
                        return self.fail(
                            format!(
                                "{what} is a {} and cannot be converted into a sequence of bytes.",
                                ft.pretty()
                            ),
                            lhs.span,
                        );
                    }
                    return Ok((Self::to_bytes(lhs_operand), operand));
                }
                operand
            }
            Resolved::Call(name, _) => {
                let (operand, ft2) = self.function(rhs, Some(ft))?;
                if !ft.compatible(ft2) {
                    return self.fail(
                        format!(
                            "{lhs_name} (type={}) and return value of {name}() (type={}) are not of compatible types.",
                            ft.pretty(),
                            ft2.pretty()
                        ),
                        rhs.span,
                    );
                }
                if !ctx.rel.allows(ft2) {
                    return self.fail(
                        format!(
                            "return value of {name}() (type={}) cannot participate in specified comparison.",
                            ft2.pretty()
                        ),
                        rhs.span,
                    );
                }
                operand
            }
            Resolved::Arith => {
                let (operand, ft2) = self.arith(rhs, Some(ft))?;
                if !ft.compatible(ft2) {
                    return self.fail(
                        format!(
                            "{} and {} are not of compatible types.",
                            self.show(lhs.span),
                            self.show(rhs.span)
                        ),
                        rhs.span,
                    );
                }
                operand
            }
        };
        Ok((lhs_operand, rhs_operand))
    }

    /// `check_relation_LHS_SLICE`: the right side of a slice comparison.
    fn rhs_for_slice(&mut self, ctx: RelCtx<'_>, rhs: &Term) -> Result<Operand, FilterError> {
        Ok(match self.resolve(rhs)? {
            Resolved::Field(id, layers) => {
                let def = registry::def(id);
                let ft = FType::of(&def.kind);
                let operand = self.field(id, layers);
                if ft.is_bytes_type() {
                    operand
                } else if ft.can_slice() {
                    Self::to_bytes(operand)
                } else {
                    return self.fail(
                        format!(
                            "\"{}\" is a {} and cannot be converted into a sequence of bytes.",
                            def.abbrev,
                            ft.pretty()
                        ),
                        rhs.span,
                    );
                }
            }
            Resolved::Reference(_) => Operand::Reference,
            Resolved::Str(bytes) => match literal::from_string(FType::Bytes, bytes) {
                Ok(v) => Operand::Const(v),
                Err(m) => return self.fail(m, rhs.span),
            },
            Resolved::Literal(s) => match literal::from_literal(FType::Bytes, s, ctx.partial) {
                Ok(v) => Operand::Const(v),
                Err(m) => return self.fail(m, rhs.span),
            },
            Resolved::Char(c) => match literal::from_char(FType::Bytes, c, self.show(rhs.span)) {
                Ok(v) => Operand::Const(v),
                Err(m) => return self.fail(m, rhs.span),
            },
            Resolved::Slice => self.slice(rhs, Some(FType::Bytes))?,
            Resolved::Call(name, _) => {
                let (operand, ft) = self.function(rhs, Some(FType::Bytes))?;
                if ft.is_bytes_type() {
                    operand
                } else if ft.can_slice() {
                    Self::to_bytes(operand)
                } else {
                    return self.fail(
                        format!(
                            "Return value of function \"{name}\" is a {} and cannot be converted into a sequence of bytes.",
                            ft.pretty()
                        ),
                        rhs.span,
                    );
                }
            }
            Resolved::Arith => {
                let (operand, ft) = self.arith(rhs, Some(FType::Bytes))?;
                if !FType::Bytes.compatible(ft) {
                    return self.fail(
                        format!("{} is not of a compatible type.", self.show(rhs.span)),
                        rhs.span,
                    );
                }
                operand
            }
        })
    }

    fn matches(
        &mut self,
        quant: Quant,
        op: &str,
        lhs: &Term,
        rhs: &Term,
    ) -> Result<Test, FilterError> {
        let TermKind::Str(pattern) = &rhs.kind else {
            return self.fail(
                "Matches requires a double quoted string on the right side.",
                rhs.span,
            );
        };
        let regex = compile_regex(pattern)?;
        let lhs = self.typed_entity(
            lhs,
            None,
            FType::can_matches,
            Refusal {
                field: &format!("{{name}} (type={{type}}) cannot participate in {op} comparison."),
                call: &format!(
                    "Function {{name}} (type={{type}}) cannot participate in {op} comparison."
                ),
                other: &format!(
                    "Left side of {op} expression must be a field or function, not {{name}}."
                ),
            },
        )?;
        Ok(Test::Matches {
            all: quant == Quant::All,
            lhs,
            regex,
        })
    }

    fn membership(
        &mut self,
        quant: Quant,
        lhs: &Term,
        set: &[SetElem],
    ) -> Result<Test, FilterError> {
        let Resolved::Field(id, layers) = self.resolve(lhs)? else {
            return self.fail(
                "Only a field may be tested for membership in a set.",
                lhs.span,
            );
        };
        let def = registry::def(id);
        let operand = self.field(id, layers);
        let mut elems = Vec::with_capacity(set.len());
        for elem in set {
            if matches!(elem.lo.kind, TermKind::Slice { .. }) {
                return Err(FilterError::nowhere("A slice may not appear inside a set."));
            }
            let element = match &elem.hi {
                Some(hi) => {
                    let ctx = RelCtx {
                        rel: Rel::Order,
                        op: "in",
                        partial: false,
                    };
                    let (_, lo) = self.lhs_field(ctx, def, Operand::Reference, lhs, &elem.lo)?;
                    let (_, hi) = self.lhs_field(ctx, def, Operand::Reference, lhs, hi)?;
                    (lo, Some(hi))
                }
                None => {
                    let ctx = RelCtx {
                        rel: Rel::Eq,
                        op: "in",
                        partial: false,
                    };
                    let (_, lo) = self.lhs_field(ctx, def, Operand::Reference, lhs, &elem.lo)?;
                    (lo, None)
                }
            };
            elems.push(element);
        }
        Ok(Test::In {
            all: quant == Quant::All,
            lhs: operand,
            set: elems,
        })
    }
}

/// Literals, strings and characters (not fields, even when a word names one).
fn is_constant(t: &Term) -> bool {
    match &t.kind {
        TermKind::Word(w) => registry::lookup(w).is_none(),
        TermKind::Str(_) | TermKind::Char(_) => true,
        _ => false,
    }
}

/// The first operand of an arithmetic expression.
fn leftmost(t: &Term) -> &Term {
    match &t.kind {
        TermKind::Arith { lhs, .. } => leftmost(lhs),
        TermKind::Neg { operand, .. } => leftmost(operand),
        _ => t,
    }
}

/// What a comparison operator (and an `any`/`all` before it) means for pairs.
fn quantify(quant: Quant, op: CmpTok) -> (How, CmpOp) {
    let ordered = |op| match quant {
        Quant::All => (How::All, op),
        _ => (How::Any, op),
    };
    match op {
        CmpTok::AnyEq => ordered(CmpOp::Eq),
        CmpTok::AllEq => match quant {
            Quant::Any => (How::Any, CmpOp::Eq),
            _ => (How::All, CmpOp::Eq),
        },
        CmpTok::AnyNe => ordered(CmpOp::Ne),
        CmpTok::AllNe => match quant {
            Quant::Any => (How::Any, CmpOp::Ne),
            _ => (How::NoneOf, CmpOp::Eq),
        },
        CmpTok::Gt => ordered(CmpOp::Gt),
        CmpTok::Ge => ordered(CmpOp::Ge),
        CmpTok::Lt => ordered(CmpOp::Lt),
        CmpTok::Le => ordered(CmpOp::Le),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use crate::filter::Filter;

    /// (message, position, len) of a rejected filter.
    pub(crate) fn err(text: &str) -> (String, usize, usize) {
        let e = Filter::compile(text).unwrap_err();
        (e.message, e.position, e.len)
    }

    // Messages and positions are tshark 4.0.17's (see tests/filters-rejected.txt).
    #[test]
    fn names_and_sides() {
        assert_eq!(
            err("tcp.flg"),
            (
                "tcp.flg is neither a field nor a protocol name.".into(),
                0,
                7
            )
        );
        assert_eq!(
            err("tcp.foo == 1"),
            (
                "Left side of \"==\" expression must be a field or function, not tcp.foo.".into(),
                0,
                7
            )
        );
        assert_eq!(
            err("\"a\" contains \"b\"").0,
            "Left side of contains expression must be a field or function, not \"a\"."
        );
        assert_eq!(
            err("ip.proto == tcp"),
            (
                "ip.proto and tcp are not of compatible types.".into(),
                12,
                3
            )
        );
        assert_eq!(
            err(".foo").0,
            "\"foo\" is not a valid protocol or protocol field."
        );
        assert_eq!(
            err("len(tcp.payload)"),
            (
                "You cannot test whether a function is present.".into(),
                0,
                3
            )
        );
    }

    #[test]
    fn literal_conversions() {
        assert_eq!(
            err("tcp.port == 70000"),
            (
                "\"70000\" too big for this field, maximum 65535.".into(),
                12,
                5
            )
        );
        assert_eq!(
            err("tcp.flags.syn == true"),
            (
                "\"true\" cannot be found among the possible values for tcp.flags.syn.".into(),
                17,
                4
            )
        );
        assert_eq!(
            err("tcp.port == \"abc\"").0,
            "Unsigned integer (2 bytes) cannot be converted from a string (\"abc\")."
        );
        assert_eq!(
            err("ip.addr == 1.2.3").0,
            "\"1.2.3\" is not a valid hostname or IPv4 address."
        );
        assert_eq!(
            err("ip.addr == 10.10.0.0/255.255.255.0"),
            (
                "\"5.255.255.0\" was unexpected in this context.".into(),
                23,
                11
            )
        );
        assert_eq!(
            err("tcp.analysis.ack_rtt > 1ms").0,
            "\"1ms\" is not a valid time."
        );
        assert_eq!(
            err("tcp.payload contains GET").0,
            "\"GET\" is not a valid byte string."
        );
        assert_eq!(
            err("eth.addr == 46:8a:89").0,
            "\"46:8a:89\" contains too few bytes to be a valid Ethernet address."
        );
    }

    #[test]
    fn operators_and_functions() {
        assert_eq!(
            err("tcp.srcport * 2 > 100000"),
            (
                "\"100000\" too big for this field, maximum 65535.".into(),
                18,
                6
            )
        );
        assert_eq!(err("ip.src + 1 == 1"), ("FT_IPv4 cannot +.".into(), 0, 6));
        assert_eq!(
            err("1 + tcp.port == 1").0,
            "Constant arithmetic expression on the LHS is invalid."
        );
        assert_eq!(
            err("tcp.port contains 80").0,
            "tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison."
        );
        assert_eq!(
            err("tcp.analysis == 1").0,
            "tcp.analysis (type=Label) cannot participate in == comparison."
        );
        assert_eq!(
            err("http.host matches GET").0,
            "Matches requires a double quoted string on the right side."
        );
        assert_eq!(
            err("tcp.port[0]").0,
            "\"tcp.port\" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes."
        );
        assert_eq!(
            err("foo in {1}").0,
            "Only a field may be tested for membership in a set."
        );
    }
}
