//! Type inference and checking, one rule at a time.
//!
//! A variable has one type, the type of the columns it occupies. Inference is
//! deterministic and does not depend on the order of atoms:
//!
//! 1. every variable that is an argument of a positive body atom takes that column's
//!    type (then, for variables not typed so far, negated atoms); two such columns of
//!    different types are a conflict;
//! 2. arithmetic never mixes types, so all variables of one expression, of the two
//!    sides of one comparison, or of one head or atom argument share a type: untyped
//!    variables take it, to a fixpoint (`y = x + 1, z = y * 2`);
//! 3. a variable still untyped holds only integer constants (`n = 3`) and defaults to
//!    `i64`.
//!
//! Then every expression is checked against the type its position requires. Integer
//! literals take the type of their position (`u64`, `i64` or `f64`); float literals
//! only `f64`; unary minus needs `i64` or `f64`, arithmetic any number.

use std::collections::{BTreeMap, BTreeSet};

use hydro_runtime::ir::AggFunc;
use hydro_runtime::lattice::LatticeTypes;
use hydro_runtime::value::ColumnType;

use crate::check::calls;
use crate::check::lattice::lift_source;
use crate::check::resolve::{ColumnDef, ResolvedRule, Schema};
use crate::check::{aggregate, values, LatticeRead};
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use lattice::calls_in;

/// The types found for one rule.
pub(super) struct TypedRule {
    pub var_types: BTreeMap<String, ColumnType>,
    pub compare_types: BTreeMap<usize, ColumnType>,
    pub aggregate_types: BTreeMap<usize, ColumnType>,
    pub expr_types: BTreeMap<Span, ColumnType>,
    pub lattice_reads: Vec<LatticeRead>,
}

/// Where a variable's type comes from, for labels.
#[derive(Clone)]
struct Origin {
    ty: ColumnType,
    /// The occurrence that gave the type.
    span: Span,
    /// What gave it: "column `src` of `edge`".
    what: String,
    /// The column's type in its declaration, if a column gave it.
    column: Option<Span>,
}

struct Typer<'a> {
    schema: &'a Schema,
    /// The program's lattice types, which calls may add to (`set(x)` of a new type).
    lattices: &'a mut LatticeTypes,
    r: &'a ResolvedRule<'a>,
    /// The type of every expression checked so far, by span.
    expr_types: BTreeMap<Span, ColumnType>,
    vars: BTreeMap<String, Origin>,
    /// Variables already reported in a conflict: not checked again.
    poisoned: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Infers and checks the types of a rule with a body whose atoms all resolved.
/// Returns the types when the rule has no type error.
pub(super) fn check_rule(
    schema: &Schema,
    lattices: &mut LatticeTypes,
    r: &ResolvedRule,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TypedRule> {
    let mut typer = Typer {
        schema,
        lattices,
        r,
        expr_types: BTreeMap::new(),
        vars: BTreeMap::new(),
        poisoned: BTreeSet::new(),
        diagnostics: Vec::new(),
    };
    typer.anchor(false);
    typer.anchor(true);
    typer.propagate();
    let mut typed = typer.check();
    typer.check_lattice_keys();
    typed.lattice_reads = typer.lattice_reads(&typed);
    let ok = typer.diagnostics.is_empty();
    diagnostics.append(&mut typer.diagnostics);
    ok.then_some(typed)
}

impl<'a> Typer<'a> {
    /// The column a body literal's argument occupies.
    fn column(&self, literal: usize, arg: usize) -> Option<(&'a ColumnDef, &'a str)> {
        let schema: &'a Schema = self.schema;
        let relation = schema.get(self.r.body_rels[literal]?);
        Some((relation.columns.get(arg)?, relation.name.as_str()))
    }

    /// The column a head argument fills.
    fn head_column(&self, arg: usize) -> Option<(&'a ColumnDef, &'a str)> {
        let schema: &'a Schema = self.schema;
        let relation = schema.get(self.r.head_rel?);
        Some((relation.columns.get(arg)?, relation.name.as_str()))
    }

    /// Step 1: variables that are arguments of (positive, or else negated) atoms take
    /// their columns' types.
    fn anchor(&mut self, negated: bool) {
        let rule = self.r.rule;
        for (i, literal) in rule.body.iter().enumerate() {
            let atom = match (literal, negated) {
                (ast::Literal::Atom(atom), false) => atom,
                (ast::Literal::Negated { atom, .. }, true) => atom,
                _ => continue,
            };
            for (j, arg) in atom.args.iter().enumerate() {
                let ast::Expr::Var(v) = arg else { continue };
                let Some((column, relation)) = self.column(i, j) else {
                    continue;
                };
                let Some(ty) = column.ty else { continue };
                let origin = Origin {
                    ty,
                    span: v.span,
                    what: format!("column `{}` of `{relation}`", column.name),
                    column: Some(column.ty_span),
                };
                self.unify(v, origin);
            }
        }
    }

    /// Gives `v` the type of `origin`, or reports the conflict with its type so far.
    fn unify(&mut self, v: &ast::Ident, origin: Origin) {
        if self.poisoned.contains(&v.name) {
            return;
        }
        let Some(first) = self.vars.get(&v.name) else {
            self.vars.insert(v.name.clone(), origin);
            return;
        };
        if first.ty == origin.ty {
            return;
        }
        let mut diagnostic = Diagnostic::error(
            Code::ConflictingVariableTypes,
            format!(
                "variable `{}` is used at two types, `{}` and `{}`",
                v.name,
                self.lattices.display(first.ty),
                self.lattices.display(origin.ty)
            ),
            origin.span,
            format!(
                "`{}` has type `{}` here, from {}",
                v.name,
                self.lattices.display(origin.ty),
                origin.what
            ),
        )
        .with_label(
            first.span,
            format!(
                "`{}` has type `{}` here, from {}",
                v.name,
                self.lattices.display(first.ty),
                first.what
            ),
        );
        for span in [first.column, origin.column].into_iter().flatten() {
            diagnostic = diagnostic.with_label(span, "declared here");
        }
        let lattice = [first.ty, origin.ty]
            .into_iter()
            .any(|t| matches!(t, ColumnType::Lattice(_)));
        let help = match lattice {
            true => format!(
                "a lattice value is not its raw value: read it with `value({})` in a rule \
                 that may be non-monotone, or declare both columns with the lattice type",
                v.name
            ),
            false => "a variable has one type: use different variables, or change a \
                      declaration so that the types agree"
                .to_owned(),
        };
        self.diagnostics.push(diagnostic.with_help(help));
        self.poisoned.insert(v.name.clone());
    }

    /// Step 2 and 3: the variables of one expression (or comparison) share its type (the
    /// element type, where a `Max`, `Min`, `Set` or `Bool` value is among them); the
    /// element of `x in s` and the key of `get(m, k)` take the set's or map's.
    fn propagate(&mut self) {
        let groups = self.groups();
        loop {
            let mut grew = false;
            for (v, origin) in self.hints() {
                if !self.vars.contains_key(&v.name) && !self.poisoned.contains(&v.name) {
                    self.vars.insert(v.name.clone(), origin);
                    grew = true;
                }
            }
            for (vars, column) in &groups {
                let known = column.clone().or_else(|| {
                    let typed = vars.iter().find_map(|v| self.vars.get(&v.name))?;
                    Some(Origin {
                        ty: lift_source(self.lattices, typed.ty).unwrap_or(typed.ty),
                        what: "the values it is computed or compared with".to_owned(),
                        column: None,
                        ..typed.clone()
                    })
                });
                let Some(origin) = known else { continue };
                for v in vars {
                    if !self.vars.contains_key(&v.name) && !self.poisoned.contains(&v.name) {
                        let origin = Origin {
                            span: v.span,
                            ..origin.clone()
                        };
                        self.vars.insert(v.name.clone(), origin);
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        for (vars, _) in &groups {
            for v in vars {
                if !self.vars.contains_key(&v.name) && self.bound_by_constant(&v.name) {
                    let origin = Origin {
                        ty: ColumnType::I64,
                        span: v.span,
                        what: "an integer constant".to_owned(),
                        column: None,
                    };
                    self.vars.insert(v.name.clone(), origin);
                }
            }
        }
    }

    /// Whether `name` is bound (safety's fixpoint), so that an untyped one holds
    /// integer constants only and can take the default type.
    fn bound_by_constant(&self, name: &str) -> bool {
        crate::check::safety::bound_variables(self.r.rule).contains(name)
    }

    /// The groups of variables that share a type, each with the column type that
    /// fixes it, if any.
    fn groups(&self) -> Vec<(Vec<&'a ast::Ident>, Option<Origin>)> {
        let rule: &'a ast::Rule = self.r.rule;
        let mut groups = Vec::new();
        let lattices: &LatticeTypes = self.lattices;
        let column_origin = |column: &ColumnDef, relation: &str, span: Span| {
            column.ty.map(|ty| Origin {
                ty: lift_source(lattices, ty).unwrap_or(ty),
                span,
                what: format!("column `{}` of `{relation}`", column.name),
                column: Some(column.ty_span),
            })
        };
        for (i, literal) in rule.body.iter().enumerate() {
            match literal {
                ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } => {
                    for (j, arg) in atom.args.iter().enumerate() {
                        let origin = self
                            .column(i, j)
                            .and_then(|(c, rel)| column_origin(c, rel, arg.span()));
                        groups.push((vars_of(&[arg]), origin));
                    }
                }
                ast::Literal::Compare { lhs, rhs, .. } => {
                    groups.push((vars_of(&[lhs, rhs]), None));
                }
                ast::Literal::In { elem, set, .. } => {
                    groups.push((vars_of(&[elem]), None));
                    groups.push((vars_of(&[set]), None));
                }
            }
        }
        for (j, arg) in rule.head.args.iter().enumerate() {
            let column = self.head_column(j);
            match arg {
                ast::HeadArg::Expr(e) => {
                    let origin = column.and_then(|(c, rel)| column_origin(c, rel, e.span()));
                    groups.push((vars_of(&[e]), origin));
                }
                ast::HeadArg::Aggregate(agg) => {
                    let origin = match AggFunc::from_name(&agg.func.name) {
                        Some(AggFunc::Count) | None => None,
                        Some(_) => {
                            column.and_then(|(c, rel)| column_origin(c, rel, agg.arg.span()))
                        }
                    };
                    groups.push((vars_of(&[&agg.arg]), origin));
                }
            }
        }
        // Each argument of a call is a group of its own: a call's type is not its
        // arguments' type.
        let mut calls = Vec::new();
        rule.for_each_expr(&mut |e| calls_in(e, &mut calls));
        for args in calls {
            for arg in args {
                groups.push((vars_of(&[arg]), None));
            }
        }
        groups
    }
}

/// The variables of some expressions that share their type, left to right: those
/// outside calls.
fn vars_of<'e>(exprs: &[&'e ast::Expr]) -> Vec<&'e ast::Ident> {
    fn walk<'e>(expr: &'e ast::Expr, vars: &mut Vec<&'e ast::Ident>) {
        match expr {
            ast::Expr::Var(v) => vars.push(v),
            ast::Expr::Neg(inner, _) => walk(inner, vars),
            ast::Expr::Binary { lhs, rhs, .. } => {
                walk(lhs, vars);
                walk(rhs, vars);
            }
            ast::Expr::Wildcard(_) | ast::Expr::Lit(..) | ast::Expr::Call { .. } => {}
        }
    }
    let mut vars = Vec::new();
    for e in exprs {
        walk(e, &mut vars);
    }
    vars
}

/// Why an expression must have a type, shown as a secondary label.
type Why = Option<(Span, String)>;

impl<'a> Typer<'a> {
    /// Checks every expression of the rule against the type its position requires.
    fn check(&mut self) -> TypedRule {
        let rule = self.r.rule;
        let mut compare_types = BTreeMap::new();
        let mut aggregate_types = BTreeMap::new();

        // Body: atom arguments that are expressions take their column's type (plain
        // variables were typed from their columns already); comparisons need one type
        // on both sides; `x in s` a set and its element.
        for (i, literal) in rule.body.iter().enumerate() {
            match literal {
                ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } => {
                    for (j, arg) in atom.args.iter().enumerate() {
                        let Some((column, relation)) = self.column(i, j) else {
                            continue;
                        };
                        let Some(ty) = column.ty else { continue };
                        if let ast::Expr::Var(v) = arg {
                            self.expr_types.insert(v.span, ty);
                            continue;
                        }
                        let why = declared_here(column, relation);
                        self.expect(arg, ty, &why);
                    }
                }
                ast::Literal::Compare { lhs, rhs, .. } => {
                    if let Some(ty) = self.check_compare(lhs, rhs) {
                        compare_types.insert(i, ty);
                    }
                }
                ast::Literal::In { elem, set, .. } => self.check_in(elem, set),
            }
        }

        // Head: each argument takes its column's type (a scalar lifts into a lattice
        // column); an aggregate its own.
        for (j, arg) in rule.head.args.iter().enumerate() {
            let Some((column, relation)) = self.head_column(j) else {
                continue;
            };
            let Some(column_ty) = column.ty else { continue };
            let why = declared_here(column, relation);
            match arg {
                // A variable in a scalar column has the column's type (a conflict is a
                // variable used at two types); a lattice column also takes a scalar
                // that lifts into it.
                ast::HeadArg::Expr(ast::Expr::Var(v))
                    if !matches!(column_ty, ColumnType::Lattice(_)) =>
                {
                    let origin = Origin {
                        ty: column_ty,
                        span: v.span,
                        what: format!("column `{}` of `{relation}`", column.name),
                        column: Some(column.ty_span),
                    };
                    self.unify(v, origin);
                    self.expr_types.insert(v.span, column_ty);
                }
                ast::HeadArg::Expr(e) => {
                    self.expect(e, column_ty, &why);
                }
                ast::HeadArg::Aggregate(agg) if agg.is_merge() => {
                    if self.merge_into(agg, column_ty, column, relation) {
                        aggregate_types.insert(j, column_ty);
                    }
                }
                ast::HeadArg::Aggregate(agg) => {
                    let Some(func) = AggFunc::from_name(&agg.func.name) else {
                        continue;
                    };
                    if matches!(agg.arg, ast::Expr::Wildcard(_)) {
                        continue;
                    }
                    let arg_ty = self.infer(&agg.arg).unwrap_or(match func {
                        AggFunc::Count => ColumnType::U64,
                        _ => column_ty,
                    });
                    let numeric = arg_ty.is_numeric() || func != AggFunc::Sum;
                    if numeric && !self.expect(&agg.arg, arg_ty, &None) {
                        continue;
                    }
                    if let Some(d) =
                        aggregate::check_types(agg, (func, arg_ty), column, relation, self.lattices)
                    {
                        self.diagnostics.push(d);
                        continue;
                    }
                    aggregate_types.insert(j, arg_ty);
                }
            }
        }

        let var_types = self
            .vars
            .iter()
            .map(|(name, origin)| (name.clone(), origin.ty))
            .collect();
        TypedRule {
            var_types,
            compare_types,
            aggregate_types,
            expr_types: std::mem::take(&mut self.expr_types),
            lattice_reads: Vec::new(),
        }
    }

    /// The type of an expression from its variables, calls and non-integer literals;
    /// `None` when it holds only integer literals (which adapt) or untyped variables.
    fn infer(&mut self, expr: &ast::Expr) -> Option<ColumnType> {
        match expr {
            ast::Expr::Var(v) => self.vars.get(&v.name).map(|o| o.ty),
            ast::Expr::Wildcard(_) | ast::Expr::Lit(ast::Lit::Int(_), _) => None,
            ast::Expr::Lit(ast::Lit::Float(_), _) => Some(ColumnType::F64),
            ast::Expr::Lit(ast::Lit::Str(_), _) => Some(ColumnType::String),
            ast::Expr::Lit(ast::Lit::Bool(_), _) => Some(ColumnType::Bool),
            ast::Expr::Neg(e, _) => self.infer(e),
            // A `Max` or `Min` plus a scalar is that lattice.
            ast::Expr::Binary { lhs, rhs, .. } => {
                let (l, r) = (self.infer(lhs), self.infer(rhs));
                match (l, r) {
                    (Some(ColumnType::Lattice(_)), _) => l,
                    (_, Some(ColumnType::Lattice(_))) => r,
                    _ => l.or(r),
                }
            }
            ast::Expr::Call { func, args, .. } => {
                let types: Vec<Option<ColumnType>> = args.iter().map(|a| self.infer(a)).collect();
                calls::infer(self.lattices, &func.name, &types)
            }
        }
    }

    /// Checks a comparison: both sides must have one type, or one side is a `Max`,
    /// `Min` or `Bool` and the other its element. Returns the scalar type compared.
    fn check_compare(&mut self, lhs: &ast::Expr, rhs: &ast::Expr) -> Option<ColumnType> {
        let (left, right) = (self.infer(lhs), self.infer(rhs));
        let lattice_side = [(left, lhs), (right, rhs)]
            .into_iter()
            .find(|(t, _)| matches!(t, Some(ColumnType::Lattice(_))));
        if let Some((Some(lattice), side)) = lattice_side {
            return self.check_lattice_compare(lattice, side, lhs, rhs, left, right);
        }
        if let (Some(l), Some(r)) = (left, right) {
            if l != r {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("cannot compare `{l}` with `{r}`"),
                        rhs.span(),
                        format!("this has type `{r}`"),
                    )
                    .with_label(lhs.span(), format!("this has type `{l}`"))
                    .with_help("both sides of a comparison must have the same type"),
                );
                return None;
            }
        }
        let ty = left.or(right).unwrap_or(ColumnType::I64);
        let left_ok = self.expect(
            lhs,
            ty,
            &Some((rhs.span(), format!("this side has type `{ty}`"))),
        );
        let right_ok = left_ok
            && self.expect(
                rhs,
                ty,
                &Some((lhs.span(), format!("this side has type `{ty}`"))),
            );
        right_ok.then_some(ty)
    }

    /// Checks that `expr` has type `ty`, reporting the first mismatch inside it. A
    /// scalar where a `Max`, `Min`, `Set` or `Bool` is expected lifts into it.
    fn expect(&mut self, expr: &ast::Expr, ty: ColumnType, why: &Why) -> bool {
        // `_` stands for any value of any type.
        if let ast::Expr::Wildcard(_) = expr {
            return true;
        }
        if let ColumnType::Lattice(_) = ty {
            return self.expect_lattice(expr, ty, why);
        }
        let ok = self.expect_scalar(expr, ty, why);
        if ok {
            self.expr_types.insert(expr.span(), ty);
        }
        ok
    }

    /// `expect` at a scalar type.
    fn expect_scalar(&mut self, expr: &ast::Expr, ty: ColumnType, why: &Why) -> bool {
        let diagnostic = match expr {
            ast::Expr::Wildcard(_) => return true,
            ast::Expr::Var(v) => {
                if self.poisoned.contains(&v.name) {
                    return false;
                }
                match self.vars.get(&v.name) {
                    Some(origin) if origin.ty != ty => {
                        let found = self.lattices.display(origin.ty).to_string();
                        let mut d = Diagnostic::error(
                            Code::TypeMismatch,
                            format!("expected `{ty}`, found `{found}`"),
                            v.span,
                            format!("`{}` has type `{found}`", v.name),
                        );
                        if origin.span != v.span {
                            let from =
                                format!("`{}` has type `{found}` from {}", v.name, origin.what);
                            d = d.with_label(origin.span, from);
                        }
                        match origin.ty {
                            ColumnType::Lattice(_) => d.with_help(format!(
                                "`{}` is a lattice value: read it through an operation, or its \
                                 raw value with `value({})` (which is not monotone)",
                                v.name, v.name
                            )),
                            _ => d.with_help("values of different types never mix: a column, a function's argument and both sides of arithmetic or a comparison each take one type"),
                        }
                    }
                    _ => return true,
                }
            }
            ast::Expr::Lit(lit, span) => match values::literal_fits(lit, *span, ty, false) {
                Ok(()) => return true,
                Err(d) => *d,
            },
            ast::Expr::Neg(inner, span) => match (ty, &**inner) {
                (ColumnType::I64, ast::Expr::Lit(lit @ ast::Lit::Int(_), lit_span)) => {
                    match values::literal_fits(lit, *lit_span, ty, true) {
                        Ok(()) => return true,
                        Err(d) => *d,
                    }
                }
                (ColumnType::I64 | ColumnType::F64, inner) => return self.expect(inner, ty, why),
                (_, inner) => values::negation_undefined(inner, *span, ty),
            },
            ast::Expr::Binary { op, lhs, rhs, span } => {
                if ty.is_numeric() {
                    return self.expect(lhs, ty, why) && self.expect(rhs, ty, why);
                }
                values::operator_undefined(op.as_str(), *span, ty)
            }
            ast::Expr::Call { func, args, span } => {
                let found = self.infer(expr);
                if found == Some(ty) || found.is_none() {
                    return self.check_call(func, args, Some(ty), *span);
                }
                let found_ty = found.unwrap_or(ty);
                let found = self.lattices.display(found_ty).to_string();
                let mut d = Diagnostic::error(
                    Code::TypeMismatch,
                    format!("expected `{ty}`, found `{found}`"),
                    *span,
                    format!("`{}` returns `{found}`", func.name),
                );
                if let Some(test) = calls::threshold_example(self.lattices, found_ty) {
                    let text = crate::lower::source::print_expr(expr);
                    d = d.with_help(format!(
                        "compare it with a threshold (`{text} {test}`), or read its raw value \
                         with `value({text})` (which is not monotone)"
                    ));
                }
                d
            }
        };
        let diagnostic = match why {
            Some((span, label)) => diagnostic.with_label(*span, label.clone()),
            None => diagnostic,
        };
        self.diagnostics.push(diagnostic);
        false
    }
}

/// "column `d` of `dist` is declared `u64` here".
fn declared_here(column: &ColumnDef, relation: &str) -> Why {
    column.ty?;
    Some((
        column.ty_span,
        format!(
            "column `{}` of `{relation}` is declared `{}` here",
            column.name, column.ty_text
        ),
    ))
}

mod lattice;
