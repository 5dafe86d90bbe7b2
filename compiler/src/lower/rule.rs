//! Lowering of one rule: slots for its variables, typed expressions, the head, and the
//! full and delta join plans (whose order [`super::order`] chooses).

use std::collections::BTreeMap;

use hydro_runtime::ir::{self, AggFunc, HeadColumn, RelId, RulePlan, Timing};
use hydro_runtime::lattice::{Constructor, LatticeTypes, Operation};
use hydro_runtime::value::{ColumnType, Const};

use super::order::{self, Body};
use crate::check::lattice::{element, lift_source};
use crate::check::{CheckedProgram, CheckedRule, StratumInfo};
use crate::syntax::ast;

/// Plans one rule of `stratum`.
pub(super) fn lower_rule(
    program: &CheckedProgram,
    stratum: &StratumInfo,
    checked: &CheckedRule,
) -> RulePlan {
    let rule = &checked.rule;
    let mut cx = RuleCx::new(program, checked);
    let body = Body::new(program, rule);

    // Semi-naive evaluation: a rule of a recursive stratum derives something new in an
    // iteration only if one of its atoms over the stratum's own relations matches a
    // tuple new in the previous iteration. So each such atom gets a variant that reads
    // the delta of its relation and runs first.
    let full = order::plan_join(&mut cx, &body, None);
    let deltas = if stratum.recursive {
        body.atoms
            .iter()
            .enumerate()
            .filter(|(_, (rel, _))| stratum.relations.contains(rel))
            .map(|(i, _)| order::plan_join(&mut cx, &body, Some(i)))
            .collect()
    } else {
        Vec::new()
    };

    let head = cx.lower_head(checked);
    RulePlan {
        source: super::source::print_rule(rule),
        slots: cx.slots,
        head,
        full,
        deltas,
    }
}

/// What lowering a rule keeps track of: the type of every slot, and the slot of every
/// named variable.
pub(super) struct RuleCx<'a> {
    program: &'a CheckedProgram,
    /// The type of each slot allocated so far.
    pub(super) slots: Vec<ColumnType>,
    /// The slot of each named variable.
    var_slots: BTreeMap<&'a str, u32>,
    /// The rule, with the types the checker inferred.
    checked: &'a CheckedRule,
}

impl<'a> RuleCx<'a> {
    /// Gives every named variable a slot, numbered by first occurrence in the rule
    /// (body literals left to right, then the head), so that slot numbers do not
    /// depend on variable names.
    fn new(program: &'a CheckedProgram, checked: &'a CheckedRule) -> RuleCx<'a> {
        let mut cx = RuleCx {
            program,
            slots: Vec::new(),
            var_slots: BTreeMap::new(),
            checked,
        };
        let mut names = Vec::new();
        for literal in &checked.rule.body {
            for_each_literal_var(literal, &mut |v| names.push(v.name.as_str()));
        }
        for arg in &checked.rule.head.args {
            match arg {
                ast::HeadArg::Expr(e) => e.for_each_var(&mut |v| names.push(v.name.as_str())),
                ast::HeadArg::Aggregate(a) => {
                    a.arg.for_each_var(&mut |v| names.push(v.name.as_str()))
                }
            }
        }
        for name in names {
            if !cx.var_slots.contains_key(name) {
                // The checker types every variable; `u64` only keeps lowering total.
                let ty = checked
                    .var_types
                    .get(name)
                    .copied()
                    .unwrap_or(ColumnType::U64);
                let slot = cx.fresh_slot(ty);
                cx.var_slots.insert(name, slot);
            }
        }
        cx
    }

    /// Allocates a new slot of type `ty`.
    pub(super) fn fresh_slot(&mut self, ty: ColumnType) -> u32 {
        self.slots.push(ty);
        self.slots.len() as u32 - 1
    }

    /// The slot of a named variable.
    pub(super) fn var_slot(&self, name: &str) -> u32 {
        // Every variable of the rule got a slot in `new`.
        self.var_slots[name]
    }

    /// The type of a named variable.
    pub(super) fn var_type(&self, name: &str) -> ColumnType {
        self.slots[self.var_slot(name) as usize]
    }

    /// The type of column `column` of `rel`.
    pub(super) fn column_type(&self, rel: RelId, column: usize) -> ColumnType {
        self.program
            .relations
            .get(rel.index())
            .and_then(|r| r.columns.get(column))
            .map_or(ColumnType::U64, |(_, ty)| *ty)
    }

    /// The type an expression has by itself, or `None` when it is made of integer
    /// literals only and so takes the type its position needs.
    pub(super) fn expr_type(&self, expr: &ast::Expr) -> Option<ColumnType> {
        match expr {
            ast::Expr::Var(v) => Some(self.var_type(&v.name)),
            ast::Expr::Wildcard(_) | ast::Expr::Lit(ast::Lit::Int(_), _) => None,
            ast::Expr::Lit(ast::Lit::Float(_), _) => Some(ColumnType::F64),
            ast::Expr::Lit(ast::Lit::Str(_), _) => Some(ColumnType::String),
            ast::Expr::Lit(ast::Lit::Bool(_), _) => Some(ColumnType::Bool),
            ast::Expr::Neg(e, _) => self.expr_type(e),
            ast::Expr::Binary { lhs, rhs, span, .. } => self
                .checked
                .expr_types
                .get(span)
                .copied()
                .or_else(|| self.expr_type(lhs))
                .or_else(|| self.expr_type(rhs)),
            ast::Expr::Call { span, .. } => self.checked.expr_types.get(span).copied(),
        }
    }

    /// The lattice types of the program.
    fn lattices(&self) -> &LatticeTypes {
        &self.program.lattices
    }

    /// The type at which the two sides of the comparison `body[literal]` are compared,
    /// as the checker inferred it.
    pub(super) fn compare_type(
        &self,
        literal: usize,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
    ) -> ColumnType {
        // The checker types every comparison; inferring again (with its default for
        // integer literals, `i64`) only keeps lowering total.
        self.checked
            .compare_types
            .get(&literal)
            .copied()
            .or_else(|| self.expr_type(lhs))
            .or_else(|| self.expr_type(rhs))
            .unwrap_or(ColumnType::I64)
    }

    /// Lowers an expression whose value has type `ty`.
    ///
    /// Integer literals take `ty`; `-literal` folds into one constant, so that
    /// `-9223372036854775808` is the least `i64` rather than an overflow.
    ///
    /// Where the position and the expression disagree, the checker allowed one of two
    /// coercions: a scalar lifts into a lattice (`Max`, `Min`, `Bool`, `Set`), and a
    /// `Max`, `Min` or `Bool` compared with a scalar reads its value.
    pub(super) fn lower_expr(&self, expr: &ast::Expr, ty: ColumnType) -> ir::Expr {
        let own = self.expr_type(expr);
        match (own, ty) {
            (Some(own @ ColumnType::Lattice(_)), ColumnType::Lattice(_)) if own != ty => {}
            (Some(own @ ColumnType::Lattice(_)), scalar) if own != scalar => {
                return ir::Expr::Call {
                    op: Operation::Value,
                    args: vec![self.lower_expr(expr, own)],
                    arg_types: vec![own],
                    ty: scalar,
                };
            }
            (own, ColumnType::Lattice(id)) if !matches!(own, Some(ColumnType::Lattice(_))) => {
                let is_constructor = matches!(expr, ast::Expr::Call { func, .. }
                    if Constructor::from_name(&func.name).is_some());
                if !is_constructor {
                    let source = lift_source(self.lattices(), ty).unwrap_or(ColumnType::U64);
                    return ir::Expr::Lift {
                        ty: id,
                        arg: Box::new(self.lower_expr(expr, source)),
                    };
                }
            }
            _ => {}
        }
        match expr {
            ast::Expr::Var(v) => ir::Expr::Slot(self.var_slot(&v.name)),
            ast::Expr::Lit(lit, _) => ir::Expr::Const(lit_const(lit, false, ty)),
            ast::Expr::Neg(inner, _) => match &**inner {
                ast::Expr::Lit(lit @ (ast::Lit::Int(_) | ast::Lit::Float(_)), _) => {
                    ir::Expr::Const(lit_const(lit, true, ty))
                }
                _ => ir::Expr::Neg {
                    ty,
                    arg: Box::new(self.lower_expr(inner, ty)),
                },
            },
            // `d + w` on a `Max` or `Min`: the lattice side goes left.
            ast::Expr::Binary { op, lhs, rhs, .. } if matches!(ty, ColumnType::Lattice(_)) => {
                let (lattice, scalar) = match self.expr_type(lhs) == Some(ty) {
                    true => (lhs, rhs),
                    false => (rhs, lhs),
                };
                let element = lift_source(self.lattices(), ty).unwrap_or(ColumnType::U64);
                ir::Expr::Binary {
                    op: *op,
                    ty,
                    lhs: Box::new(self.lower_expr(lattice, ty)),
                    rhs: Box::new(self.lower_expr(scalar, element)),
                }
            }
            ast::Expr::Binary { op, lhs, rhs, .. } => ir::Expr::Binary {
                op: *op,
                ty,
                lhs: Box::new(self.lower_expr(lhs, ty)),
                rhs: Box::new(self.lower_expr(rhs, ty)),
            },
            ast::Expr::Call { func, args, .. } => self.lower_call(func, args, ty),
            // The checker allows `_` only as an atom argument, which `order` lowers to
            // `Arg::Any` before getting here; a default value keeps lowering total.
            ast::Expr::Wildcard(_) => ir::Expr::Const(default_const(ty)),
        }
    }

    /// The step that keeps an assignment when the set `set` holds `elem`:
    /// `value(contains(set, elem)) = true`.
    pub(super) fn membership(
        &mut self,
        set: ir::Expr,
        set_ty: ColumnType,
        elem: ir::Expr,
        elem_ty: ColumnType,
    ) -> ir::Step {
        let mut lattices = self.program.lattices.clone();
        let bool_ty = Operation::Contains
            .signature(&[set_ty, elem_ty], &mut lattices)
            .map_or(ColumnType::Bool, |s| s.result);
        let contains = ir::Expr::Call {
            op: Operation::Contains,
            args: vec![set, elem],
            arg_types: vec![set_ty, elem_ty],
            ty: bool_ty,
        };
        ir::Step::Filter {
            op: ir::CmpOp::Eq,
            ty: ColumnType::Bool,
            lhs: ir::Expr::Call {
                op: Operation::Value,
                args: vec![contains],
                arg_types: vec![bool_ty],
                ty: ColumnType::Bool,
            },
            rhs: ir::Expr::Const(Const::Bool(true)),
        }
    }

    /// Lowers a call whose result has type `ty`.
    fn lower_call(&self, func: &ast::Ident, args: &[ast::Expr], ty: ColumnType) -> ir::Expr {
        if let (Some(ctor), ColumnType::Lattice(id)) = (Constructor::from_name(&func.name), ty) {
            let wanted = crate::check::constructor_arguments(self.lattices(), &func.name, id)
                .unwrap_or_default();
            return ir::Expr::Construct {
                ctor,
                args: args
                    .iter()
                    .zip(wanted)
                    .map(|(a, t)| self.lower_expr(a, t))
                    .collect(),
                ty: id,
            };
        }
        // The checker typed every argument; an integer literal took the element type
        // of the first argument.
        let first = args.first().and_then(|a| self.expr_type(a));
        let element = first.and_then(|t| element(self.lattices(), t));
        let arg_types: Vec<ColumnType> = args
            .iter()
            .map(|a| self.expr_type(a).or(element).unwrap_or(ColumnType::U64))
            .collect();
        ir::Expr::Call {
            op: Operation::from_name(&func.name).unwrap_or(Operation::Value),
            args: args
                .iter()
                .zip(&arg_types)
                .map(|(a, t)| self.lower_expr(a, *t))
                .collect(),
            arg_types,
            ty,
        }
    }

    /// Lowers the head: one column per head argument, and for aggregates the slots of
    /// the body's named variables.
    fn lower_head(&self, checked: &CheckedRule) -> ir::Head {
        let head = &checked.rule.head;
        let rel = checked.head_rel;
        let columns: Vec<HeadColumn> = head
            .args
            .iter()
            .enumerate()
            .map(|(column, arg)| {
                let column_ty = self.column_type(rel, column);
                match arg {
                    ast::HeadArg::Expr(e) => HeadColumn::Value(self.lower_expr(e, column_ty)),
                    // `merge(e)` is what a lattice column does with every value.
                    ast::HeadArg::Aggregate(agg) if agg.is_merge() => {
                        HeadColumn::Value(self.lower_expr(&agg.arg, column_ty))
                    }
                    ast::HeadArg::Aggregate(agg) => {
                        // The checker accepts only the four known aggregates.
                        let func = AggFunc::from_name(&agg.func.name).unwrap_or(AggFunc::Count);
                        // `count(x)` has a `u64` column whatever `x` is; the others
                        // have the type of their argument, which is the column's.
                        let ty = self
                            .checked
                            .aggregate_types
                            .get(&column)
                            .copied()
                            .or_else(|| self.expr_type(&agg.arg))
                            .unwrap_or(column_ty);
                        HeadColumn::Aggregate {
                            func,
                            ty,
                            arg: self.lower_expr(&agg.arg, ty),
                        }
                    }
                }
            })
            .collect();

        // "An aggregate ranges over the distinct satisfying assignments of the rule
        // body": the assignment is the vector of every named body variable.
        let mut distinct = Vec::new();
        if columns
            .iter()
            .any(|c| matches!(c, HeadColumn::Aggregate { .. }))
        {
            for literal in &checked.rule.body {
                for_each_literal_var(literal, &mut |v| distinct.push(self.var_slot(&v.name)));
            }
            distinct.sort_unstable();
            distinct.dedup();
        }

        let timing = if head.delete.is_some() {
            Timing::Delete
        } else if head.next.is_some() {
            Timing::Next
        } else {
            Timing::Now
        };
        ir::Head {
            rel,
            timing,
            columns,
            distinct,
        }
    }
}

/// Calls `f` on every named variable of a body literal, left to right.
fn for_each_literal_var<'a>(literal: &'a ast::Literal, f: &mut dyn FnMut(&'a ast::Ident)) {
    match literal {
        ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } => {
            for arg in &atom.args {
                arg.for_each_var(f);
            }
        }
        ast::Literal::Compare { lhs, rhs, .. } => {
            lhs.for_each_var(f);
            rhs.for_each_var(f);
        }
        ast::Literal::In { elem, set, .. } => {
            elem.for_each_var(f);
            set.for_each_var(f);
        }
    }
}

/// The constant a literal denotes at type `ty` (negated when `negate`).
fn lit_const(lit: &ast::Lit, negate: bool, ty: ColumnType) -> Const {
    match lit {
        ast::Lit::Int(v) => {
            let v = if negate {
                -i128::from(*v)
            } else {
                i128::from(*v)
            };
            int_const(v, ty)
        }
        // `+ 0.0` turns `-0.0` into `0.0`, as the runtime stores floats.
        ast::Lit::Float(f) => Const::F64(if negate { -f + 0.0 } else { *f + 0.0 }),
        ast::Lit::Str(s) => Const::String(s.clone()),
        ast::Lit::Bool(b) => Const::Bool(*b),
    }
}

/// An integer literal's value at type `ty`. The checker rejects literals that do not fit
/// their type; for those the nearest representable value keeps lowering total.
fn int_const(v: i128, ty: ColumnType) -> Const {
    match ty {
        ColumnType::F64 => Const::F64(v as f64 + 0.0),
        ColumnType::I64 => Const::I64(v.clamp(i64::MIN.into(), i64::MAX.into()) as i64),
        _ => match u64::try_from(v) {
            Ok(u) => Const::U64(u),
            Err(_) => Const::I64(v.clamp(i64::MIN.into(), i64::MAX.into()) as i64),
        },
    }
}

fn default_const(ty: ColumnType) -> Const {
    match ty {
        ColumnType::Bool => Const::Bool(false),
        ColumnType::U64 => Const::U64(0),
        ColumnType::I64 => Const::I64(0),
        ColumnType::F64 => Const::F64(0.0),
        ColumnType::String | ColumnType::Lattice(_) => Const::String(String::new()),
    }
}
