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
use hydro_runtime::value::ColumnType;

use super::resolve::{ColumnDef, ResolvedRule, Schema};
use super::{aggregate, values};
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// The types found for one rule.
pub(super) struct TypedRule {
    pub var_types: BTreeMap<String, ColumnType>,
    pub compare_types: BTreeMap<usize, ColumnType>,
    pub aggregate_types: BTreeMap<usize, ColumnType>,
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
    r: &'a ResolvedRule<'a>,
    vars: BTreeMap<String, Origin>,
    /// Variables already reported in a conflict: not checked again.
    poisoned: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Infers and checks the types of a rule with a body whose atoms all resolved.
/// Returns the types when the rule has no type error.
pub(super) fn check_rule(
    schema: &Schema,
    r: &ResolvedRule,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TypedRule> {
    let mut typer = Typer {
        schema,
        r,
        vars: BTreeMap::new(),
        poisoned: BTreeSet::new(),
        diagnostics: Vec::new(),
    };
    typer.anchor(false);
    typer.anchor(true);
    typer.propagate();
    let typed = typer.check();
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
                v.name, first.ty, origin.ty
            ),
            origin.span,
            format!(
                "`{}` has type `{}` here, from {}",
                v.name, origin.ty, origin.what
            ),
        )
        .with_label(
            first.span,
            format!(
                "`{}` has type `{}` here, from {}",
                v.name, first.ty, first.what
            ),
        );
        for span in [first.column, origin.column].into_iter().flatten() {
            diagnostic = diagnostic.with_label(span, "declared here");
        }
        self.diagnostics.push(diagnostic.with_help(
            "a variable has one type: use different variables, or change a declaration so \
             that the types agree",
        ));
        self.poisoned.insert(v.name.clone());
    }

    /// Step 2 and 3: the variables of one expression (or comparison) share its type.
    fn propagate(&mut self) {
        let groups = self.groups();
        loop {
            let mut grew = false;
            for (vars, column) in &groups {
                let known = column.clone().or_else(|| {
                    let typed = vars.iter().find_map(|v| self.vars.get(&v.name))?;
                    Some(Origin {
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
        super::safety::bound_variables(self.r.rule).contains(name)
    }

    /// The groups of variables that share a type, each with the column type that
    /// fixes it, if any.
    fn groups(&self) -> Vec<(Vec<&'a ast::Ident>, Option<Origin>)> {
        let rule: &'a ast::Rule = self.r.rule;
        let mut groups = Vec::new();
        let column_origin = |column: &ColumnDef, relation: &str, span: Span| {
            column.ty.map(|ty| Origin {
                ty,
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
        groups
    }
}

/// The variables of some expressions, left to right.
fn vars_of<'e>(exprs: &[&'e ast::Expr]) -> Vec<&'e ast::Ident> {
    let mut vars: Vec<&ast::Ident> = Vec::new();
    for e in exprs {
        e.for_each_var(&mut |v| vars.push(v));
    }
    vars
}

impl Typer<'_> {
    /// The type of an expression from its variables and non-integer literals; `None`
    /// when it holds only integer literals (which adapt) or untyped variables.
    fn infer(&self, expr: &ast::Expr) -> Option<ColumnType> {
        match expr {
            ast::Expr::Var(v) => self.vars.get(&v.name).map(|o| o.ty),
            ast::Expr::Wildcard(_) | ast::Expr::Lit(ast::Lit::Int(_), _) => None,
            ast::Expr::Lit(ast::Lit::Float(_), _) => Some(ColumnType::F64),
            ast::Expr::Lit(ast::Lit::Str(_), _) => Some(ColumnType::String),
            ast::Expr::Lit(ast::Lit::Bool(_), _) => Some(ColumnType::Bool),
            ast::Expr::Neg(e, _) => self.infer(e),
            ast::Expr::Binary { lhs, rhs, .. } => self.infer(lhs).or_else(|| self.infer(rhs)),
        }
    }
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
        // on both sides.
        for (i, literal) in rule.body.iter().enumerate() {
            match literal {
                ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } => {
                    for (j, arg) in atom.args.iter().enumerate() {
                        if matches!(arg, ast::Expr::Var(_)) {
                            continue;
                        }
                        let Some((column, relation)) = self.column(i, j) else {
                            continue;
                        };
                        let Some(ty) = column.ty else { continue };
                        let why = declared_here(column, relation);
                        self.expect(arg, ty, &why);
                    }
                }
                ast::Literal::Compare { lhs, rhs, .. } => {
                    if let Some(ty) = self.check_compare(lhs, rhs) {
                        compare_types.insert(i, ty);
                    }
                }
            }
        }

        // Head: each argument takes its column's type; an aggregate its own.
        for (j, arg) in rule.head.args.iter().enumerate() {
            let Some((column, relation)) = self.head_column(j) else {
                continue;
            };
            let Some(column_ty) = column.ty else { continue };
            let why = declared_here(column, relation);
            match arg {
                ast::HeadArg::Expr(ast::Expr::Var(v)) => {
                    let origin = Origin {
                        ty: column_ty,
                        span: v.span,
                        what: format!("column `{}` of `{relation}`", column.name),
                        column: Some(column.ty_span),
                    };
                    self.unify(v, origin);
                }
                ast::HeadArg::Expr(e) => {
                    self.expect(e, column_ty, &why);
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
                    if let Some(d) = aggregate::check_types(agg, func, arg_ty, column, relation) {
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
        }
    }

    /// Checks a comparison: both sides must have one type. Returns that type.
    fn check_compare(&mut self, lhs: &ast::Expr, rhs: &ast::Expr) -> Option<ColumnType> {
        let (left, right) = (self.infer(lhs), self.infer(rhs));
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

    /// Checks that `expr` has type `ty`, reporting the first mismatch inside it.
    fn expect(&mut self, expr: &ast::Expr, ty: ColumnType, why: &Why) -> bool {
        let diagnostic = match expr {
            ast::Expr::Wildcard(_) => return true,
            ast::Expr::Var(v) => {
                if self.poisoned.contains(&v.name) {
                    return false;
                }
                match self.vars.get(&v.name) {
                    Some(origin) if origin.ty != ty => {
                        let mut d = Diagnostic::error(
                            Code::TypeMismatch,
                            format!("expected `{ty}`, found `{}`", origin.ty),
                            v.span,
                            format!("`{}` has type `{}`", v.name, origin.ty),
                        );
                        if origin.span != v.span {
                            let from = format!(
                                "`{}` has type `{}` from {}",
                                v.name, origin.ty, origin.what
                            );
                            d = d.with_label(origin.span, from);
                        }
                        d.with_help("values of different types never mix: arithmetic and comparisons need one type")
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
    let ty = column.ty?;
    Some((
        column.ty_span,
        format!(
            "column `{}` of `{relation}` is declared `{ty}` here",
            column.name
        ),
    ))
}
