//! Constants: literals at the type of their position, the values of facts (constant
//! expressions folded with checked arithmetic), and the diagnostics both share.

use hydro_runtime::lattice::{AnyValue, Constructor, LatticeTypes, LatticeValue};
use hydro_runtime::value::{ColumnType, Const};

use super::resolve::{ResolvedRule, Schema};
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// What kind of value a literal is, for messages.
fn describe(lit: &ast::Lit) -> &'static str {
    match lit {
        ast::Lit::Int(_) => "an integer",
        ast::Lit::Float(_) => "a float",
        ast::Lit::Str(_) => "a string",
        ast::Lit::Bool(_) => "a boolean",
    }
}

/// Checks that a literal (negated when `negated`) can be a value of type `ty`: integer
/// literals fit `u64`, `i64` (in range) and `f64`; the others only their own type.
pub(super) fn literal_fits(
    lit: &ast::Lit,
    span: Span,
    ty: ColumnType,
    negated: bool,
) -> Result<(), Box<Diagnostic>> {
    let fits = match (lit, ty) {
        (ast::Lit::Int(_), ColumnType::U64 | ColumnType::F64) => true,
        (ast::Lit::Int(n), ColumnType::I64) => {
            let limit = if negated { 1u64 << 63 } else { i64::MAX as u64 };
            if *n > limit {
                return Err(Box::new(
                    Diagnostic::error(
                        Code::InvalidLiteral,
                        format!("integer `{n}` does not fit in an `i64`"),
                        span,
                        format!("the largest `i64` is {}", i64::MAX),
                    )
                    .with_help("declare the column as `u64` or `f64` to hold larger numbers"),
                ));
            }
            true
        }
        (ast::Lit::Float(_), ColumnType::F64)
        | (ast::Lit::Str(_), ColumnType::String)
        | (ast::Lit::Bool(_), ColumnType::Bool) => true,
        _ => false,
    };
    if fits {
        return Ok(());
    }
    let found = describe(lit);
    let help = match (lit, ty) {
        (ast::Lit::Float(_), ColumnType::U64 | ColumnType::I64) => {
            "an integer column takes integer literals only; declare it `f64` for fractions"
                .to_owned()
        }
        (ast::Lit::Str(_) | ast::Lit::Bool(_), ColumnType::U64 | ColumnType::I64) => {
            format!("a `{ty}` is a number: write one without quotes, such as `0`")
        }
        (_, ColumnType::String) => "write text in double quotes: `\"...\"`".to_owned(),
        (_, ColumnType::Bool) => "write `true` or `false`".to_owned(),
        _ => format!("write a value of type `{ty}` here"),
    };
    Err(Box::new(
        Diagnostic::error(
            Code::TypeMismatch,
            format!("expected `{ty}`, found {found}"),
            span,
            format!("expected `{ty}`"),
        )
        .with_help(help),
    ))
}

/// `-e` where `e` has type `ty`, which is not signed.
pub(super) fn negation_undefined(inner: &ast::Expr, span: Span, ty: ColumnType) -> Diagnostic {
    if let (ColumnType::U64, ast::Expr::Lit(ast::Lit::Int(n), _)) = (ty, inner) {
        return Diagnostic::error(
            Code::TypeMismatch,
            format!("`-{n}` is not a `u64`"),
            span,
            "a `u64` cannot be negative",
        )
        .with_help("declare the column as `i64` to hold negative numbers");
    }
    Diagnostic::error(
        Code::InvalidOperator,
        format!("unary `-` is not defined on `{ty}`"),
        span,
        format!("negates a value of type `{ty}`"),
    )
    .with_help("only `i64` and `f64` values can be negated")
}

/// `a op b` on values of the non-numeric type `ty`.
pub(super) fn operator_undefined(op: &str, span: Span, ty: ColumnType) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidOperator,
        format!("`{op}` is not defined on `{ty}`"),
        span,
        format!("arithmetic on `{ty}` values"),
    )
    .with_help("arithmetic works on `u64`, `i64` and `f64` values only")
}

/// The typed values of a fact whose relation resolved, or `None` after reporting why
/// there are none (variables, aggregates and wildcards were reported by other checks).
pub(super) fn fact_values(
    schema: &Schema,
    lattices: &LatticeTypes,
    r: &ResolvedRule,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Const>> {
    let relation = schema.get(r.head_rel?);
    let mut values = Vec::new();
    let mut ok = true;
    for (arg, column) in r.rule.head.args.iter().zip(&relation.columns) {
        let ast::HeadArg::Expr(expr) = arg else {
            ok = false;
            continue;
        };
        let mut ground = true;
        expr.for_each_var(&mut |_| ground = false);
        let (true, Some(ty)) = (ground, column.ty) else {
            ok = false;
            continue;
        };
        match eval_any(lattices, expr, ty) {
            Ok(Some(value)) => values.push(value),
            Ok(None) => ok = false,
            Err(d) => {
                let label = format!(
                    "column `{}` of `{}` is declared `{}` here",
                    column.name, relation.name, column.ty_text
                );
                diagnostics.push(d.with_label(column.ty_span, label));
                ok = false;
            }
        }
    }
    ok.then_some(values)
}

/// Folds a ground expression into a value of type `ty`, a lattice type included: a
/// scalar lifts into its lattice, and a constructor builds a value from constants.
fn eval_any(
    lattices: &LatticeTypes,
    expr: &ast::Expr,
    ty: ColumnType,
) -> Result<Option<Const>, Box<Diagnostic>> {
    let ColumnType::Lattice(id) = ty else {
        return eval(expr, ty);
    };
    let name = lattices.display(ty).to_string();
    let invalid = |label: &str| {
        Box::new(
            Diagnostic::error(
                Code::TypeMismatch,
                format!("this is not a `{name}`"),
                expr.span(),
                label.to_owned(),
            )
            .with_help(super::calls::construct_help(lattices, ty)),
        )
    };
    let value = match expr {
        ast::Expr::Call { func, args, .. } => {
            let Some(ctor) = Constructor::from_name(&func.name) else {
                return Err(invalid("a fact holds constants and constructors only"));
            };
            let wanted = super::calls::constructor_arguments(lattices, &func.name, id)
                .filter(|w| w.len() == args.len())
                .ok_or_else(|| invalid("this constructor builds another lattice"))?;
            let mut parts = Vec::new();
            for (arg, ty) in args.iter().zip(wanted) {
                match eval_any(lattices, arg, ty)? {
                    Some(value) => parts.push(AnyValue::from(value)),
                    None => return Ok(None),
                }
            }
            ctor.apply(&parts, id, lattices)
                .ok_or_else(|| invalid("these values build no lattice value"))?
        }
        _ => {
            let Some(source) = super::lattice::lift_source(lattices, ty) else {
                return Err(invalid("a value of this lattice needs a constructor"));
            };
            let Some(scalar) = eval(expr, source)? else {
                return Ok(None);
            };
            LatticeValue::lift(id, lattices, AnyValue::Scalar(scalar))
                .ok_or_else(|| invalid("this value does not lift into the lattice"))?
        }
    };
    Ok(Some(Const::Lattice {
        ty: id,
        value: Box::new(value),
    }))
}

/// Folds a ground expression into a value of scalar type `ty`; `Ok(None)` for a
/// wildcard (reported elsewhere).
fn eval(expr: &ast::Expr, ty: ColumnType) -> Result<Option<Const>, Box<Diagnostic>> {
    Ok(Some(match expr {
        ast::Expr::Var(_) | ast::Expr::Wildcard(_) => return Ok(None),
        ast::Expr::Call { span, .. } => {
            return Err(Box::new(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!("expected `{ty}`, found a call"),
                    *span,
                    "a call builds a lattice value",
                )
                .with_help("write the value itself"),
            ))
        }
        ast::Expr::Lit(lit, span) => {
            literal_fits(lit, *span, ty, false)?;
            match lit {
                ast::Lit::Int(n) => int_const(*n as i128, ty),
                ast::Lit::Float(f) => Const::F64(*f + 0.0),
                ast::Lit::Str(s) => Const::String(s.clone()),
                ast::Lit::Bool(b) => Const::Bool(*b),
            }
        }
        ast::Expr::Neg(inner, span) => match (ty, &**inner) {
            (ColumnType::I64, ast::Expr::Lit(lit @ ast::Lit::Int(n), lit_span)) => {
                literal_fits(lit, *lit_span, ty, true)?;
                int_const(-(*n as i128), ty)
            }
            (ColumnType::I64, _) => match eval(inner, ty)? {
                Some(Const::I64(v)) => Const::I64(
                    v.checked_neg()
                        .ok_or_else(|| overflow(*span, "the negation overflows an `i64`"))?,
                ),
                other => return Ok(other),
            },
            (ColumnType::F64, _) => match eval(inner, ty)? {
                Some(Const::F64(v)) => Const::F64(-v + 0.0),
                other => return Ok(other),
            },
            (_, inner) => return Err(Box::new(negation_undefined(inner, *span, ty))),
        },
        ast::Expr::Binary { op, lhs, rhs, span } => {
            if !ty.is_numeric() {
                return Err(Box::new(operator_undefined(op.as_str(), *span, ty)));
            }
            let (Some(a), Some(b)) = (eval(lhs, ty)?, eval(rhs, ty)?) else {
                return Ok(None);
            };
            let by_zero = matches!(op, ast::ArithOp::Div | ast::ArithOp::Rem)
                && matches!(b, Const::U64(0) | Const::I64(0));
            let label = if by_zero {
                "division by zero".to_owned()
            } else if ty == ColumnType::U64 && *op == ast::ArithOp::Sub {
                "the result is below zero, which a `u64` cannot hold".to_owned()
            } else if ty == ColumnType::F64 {
                "the result is not a finite number".to_owned()
            } else {
                format!("the result does not fit in `{ty}`")
            };
            arithmetic(*op, a, b).ok_or_else(|| overflow(*span, &label))?
        }
    }))
}

/// An integer literal's value at an integer or float type (range already checked).
fn int_const(n: i128, ty: ColumnType) -> Const {
    match ty {
        ColumnType::I64 => Const::I64(n as i64),
        ColumnType::F64 => Const::F64(n as f64 + 0.0),
        _ => Const::U64(n as u64),
    }
}

/// Checked arithmetic on two constants of one type, as the engine computes it.
fn arithmetic(op: ast::ArithOp, a: Const, b: Const) -> Option<Const> {
    use ast::ArithOp::*;
    Some(match (a, b) {
        (Const::U64(a), Const::U64(b)) => Const::U64(match op {
            Add => a.checked_add(b)?,
            Sub => a.checked_sub(b)?,
            Mul => a.checked_mul(b)?,
            Div => a.checked_div(b)?,
            Rem => a.checked_rem(b)?,
        }),
        (Const::I64(a), Const::I64(b)) => Const::I64(match op {
            Add => a.checked_add(b)?,
            Sub => a.checked_sub(b)?,
            Mul => a.checked_mul(b)?,
            Div => a.checked_div(b)?,
            // `i64::MIN % -1` is 0, though `checked_rem` calls it an overflow.
            Rem => (b != 0).then(|| a.wrapping_rem(b))?,
        }),
        (Const::F64(a), Const::F64(b)) => {
            let v = match op {
                Add => a + b,
                Sub => a - b,
                Mul => a * b,
                Div => a / b,
                Rem => a % b,
            };
            if !v.is_finite() {
                return None;
            }
            Const::F64(v + 0.0)
        }
        _ => return None,
    })
}

/// A constant expression that cannot be computed.
fn overflow(span: Span, label: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            Code::ConstantArithmetic,
            "constant arithmetic fails",
            span,
            label.to_owned(),
        )
        .with_help("write the value itself, within the range of the column's type"),
    )
}
