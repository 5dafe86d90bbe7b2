//! Range restriction (safety), ground facts, wildcards, and which relations a rule may
//! write.
//!
//! A rule is safe when every variable it uses is bound: by occurring as an argument of
//! a positive body atom, or by a binding `v = expr` whose other side is bound. Bindings
//! may chain (`y = x + 1, z = y * 2`), so the bound set grows to a fixpoint. Negated
//! atoms, comparisons and arithmetic only test values; they never bind.

use std::collections::BTreeSet;

use hydro_runtime::ir::RelationKind;

use super::resolve::{ResolvedRule, Schema};
use super::suggest;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// Checks one rule or fact: what it writes, its wildcards and its variables.
pub(super) fn check_rule(schema: &Schema, r: &ResolvedRule, diagnostics: &mut Vec<Diagnostic>) {
    check_writes(schema, r, diagnostics);
    check_wildcards(r.rule, diagnostics);
    if r.rule.body.is_empty() {
        check_fact(r.rule, diagnostics);
    } else {
        check_range_restriction(r.rule, diagnostics);
    }
}

/// Rules may not write inputs, only tables can be deleted from, and facts hold in the
/// first tick (so they take neither `@next` nor `delete`).
fn check_writes(schema: &Schema, r: &ResolvedRule, diagnostics: &mut Vec<Diagnostic>) {
    let head = &r.rule.head;
    if r.rule.body.is_empty() {
        if let Some(span) = head.next.or(head.delete) {
            let what = if head.next.is_some() {
                "@next"
            } else {
                "delete"
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::TimedFact,
                    format!("a fact cannot use `{what}`"),
                    span,
                    "facts hold from the first tick",
                )
                .with_help(format!(
                    "remove `{what}`, or give the rule a body that says when it applies"
                )),
            );
        }
        return;
    }
    let Some(id) = r.head_rel else { return };
    let relation = schema.get(id);
    let declared = format!(
        "`{}` is declared as `{}` here",
        relation.name,
        relation.kind.keyword()
    );
    if relation.kind == RelationKind::Input {
        let how = match (head.delete, head.next) {
            (Some(_), _) => "delete from",
            (None, Some(_)) => "write (with `@next`)",
            (None, None) => "write",
        };
        diagnostics.push(
            Diagnostic::error(
                Code::WriteToInput,
                format!("rules cannot {how} the input relation `{}`", relation.name),
                head.delete.map_or(head.name.span, |d| d.to(head.name.span)),
                "an input is filled from outside only",
            )
            .with_label(relation.name_span, declared)
            .with_help(format!(
                "derive into another relation, or declare `{}` as a `table` or `scratch`",
                relation.name
            )),
        );
    } else if let Some(delete) = head.delete {
        if relation.kind != RelationKind::Table {
            diagnostics.push(
                Diagnostic::error(
                    Code::DeleteFromNonTable,
                    format!(
                        "cannot delete from `{}`, which is not a table",
                        relation.name
                    ),
                    delete.to(head.name.span),
                    format!("`{}` is emptied at every tick's end", relation.name),
                )
                .with_label(relation.name_span, declared)
                .with_help(format!(
                    "declare `{}` as a `table` to keep its tuples across ticks and delete them",
                    relation.name
                )),
            );
        }
    }
}

/// `_` means "any value" in a body atom; anywhere else it has no value to give.
fn check_wildcards(rule: &ast::Rule, diagnostics: &mut Vec<Diagnostic>) {
    // In the head (aggregate arguments are the aggregate check's business).
    for arg in &rule.head.args {
        if let ast::HeadArg::Expr(e) = arg {
            for span in wildcards(e) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::WildcardInHead,
                        "wildcard `_` in the head",
                        span,
                        "a derived tuple needs a value here",
                    )
                    .with_help("use a variable bound in the body, or a constant"),
                );
            }
        }
    }

    // In a body atom's argument, only as the whole argument; in comparisons, nowhere.
    for literal in &rule.body {
        let exprs: Vec<&ast::Expr> = match literal {
            ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } => atom
                .args
                .iter()
                .filter(|a| !matches!(a, ast::Expr::Wildcard(_)))
                .collect(),
            ast::Literal::Compare { lhs, rhs, .. } => vec![lhs, rhs],
            ast::Literal::In { elem, set, .. } => vec![elem, set],
        };
        for span in exprs.into_iter().flat_map(wildcards) {
            diagnostics.push(
                Diagnostic::error(
                    Code::WildcardInExpression,
                    "wildcard `_` in an expression",
                    span,
                    "`_` has no value to compute with",
                )
                .with_help("use a variable bound by a positive atom"),
            );
        }
    }
}

/// The spans of every `_` in an expression.
fn wildcards(expr: &ast::Expr) -> Vec<Span> {
    match expr {
        ast::Expr::Wildcard(span) => vec![*span],
        ast::Expr::Var(_) | ast::Expr::Lit(..) => Vec::new(),
        ast::Expr::Neg(e, _) => wildcards(e),
        ast::Expr::Binary { lhs, rhs, .. } => {
            let mut spans = wildcards(lhs);
            spans.extend(wildcards(rhs));
            spans
        }
        ast::Expr::Call { args, .. } => args.iter().flat_map(wildcards).collect(),
    }
}

/// A fact holds as written, so it can name no variable.
fn check_fact(rule: &ast::Rule, diagnostics: &mut Vec<Diagnostic>) {
    let mut vars: Vec<&ast::Ident> = Vec::new();
    for arg in &rule.head.args {
        let expr = match arg {
            ast::HeadArg::Expr(e) => e,
            ast::HeadArg::Aggregate(agg) => &agg.arg,
        };
        expr.for_each_var(&mut |v| vars.push(v));
    }
    let Some(first) = vars.first() else { return };
    let mut diagnostic = Diagnostic::error(
        Code::NonGroundFact,
        format!("fact `{}` contains a variable", rule.head.name.name),
        first.span,
        format!("`{}` is a variable", first.name),
    );
    for v in &vars[1..] {
        diagnostic = diagnostic.with_label(v.span, format!("`{}` is a variable too", v.name));
    }
    let help = format!(
        "a fact holds only constants: replace `{}` with a value, or add a body (`:- ...`) \
         that binds it",
        first.name
    );
    diagnostics.push(diagnostic.with_help(help));
}

/// Where a variable occurs, for choosing the diagnostic of an unbound one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Head,
    Negated,
    Expression,
}

/// Every variable of the head, of negated atoms and of expressions must be bound.
fn check_range_restriction(rule: &ast::Rule, diagnostics: &mut Vec<Diagnostic>) {
    let bound = bound_variables(rule);

    // Collect every occurrence that needs a binding, with its place.
    let mut uses: Vec<(&ast::Ident, Place)> = Vec::new();
    for arg in &rule.head.args {
        let expr = match arg {
            ast::HeadArg::Expr(e) => e,
            ast::HeadArg::Aggregate(agg) => &agg.arg,
        };
        expr.for_each_var(&mut |v| uses.push((v, Place::Head)));
    }
    for literal in &rule.body {
        match literal {
            ast::Literal::Atom(atom) => {
                for arg in atom.args.iter().filter(|a| !matches!(a, ast::Expr::Var(_))) {
                    arg.for_each_var(&mut |v| uses.push((v, Place::Expression)));
                }
            }
            ast::Literal::Negated { atom, .. } => {
                for arg in &atom.args {
                    let place = match arg {
                        ast::Expr::Var(_) => Place::Negated,
                        _ => Place::Expression,
                    };
                    arg.for_each_var(&mut |v| uses.push((v, place)));
                }
            }
            ast::Literal::Compare { lhs, rhs, .. } => {
                lhs.for_each_var(&mut |v| uses.push((v, Place::Expression)));
                rhs.for_each_var(&mut |v| uses.push((v, Place::Expression)));
            }
            ast::Literal::In { elem, set, .. } => {
                elem.for_each_var(&mut |v| uses.push((v, Place::Expression)));
                set.for_each_var(&mut |v| uses.push((v, Place::Expression)));
            }
        }
    }
    uses.sort_by_key(|(v, _)| v.span);

    // One diagnostic per mistake: an unbound variable makes every variable bound from
    // it (`d = p - cut`) unbound too, so report only root causes. A root is the first
    // unbound variable (by first use) that no `=` could bind, or else the first one;
    // assume it bound, close under bindings again, and repeat.
    let mut assumed = bound.clone();
    let mut roots: Vec<&str> = Vec::new();
    loop {
        let unbound: Vec<&str> = uses
            .iter()
            .map(|(v, _)| v.name.as_str())
            .filter(|name| !assumed.contains(name))
            .collect();
        let Some(&first) = unbound.first() else { break };
        let root = unbound
            .iter()
            .copied()
            .find(|name| !bound_by_some_equation(rule, name))
            .unwrap_or(first);
        roots.push(root);
        assumed.insert(root);
        close_under_bindings(rule, &mut assumed);
    }

    // Report each root at its first use, naming its other uses.
    for root in roots {
        let Some((var, place)) = uses.iter().find(|(v, _)| v.name == root) else {
            continue;
        };
        let others: Vec<Span> = uses
            .iter()
            .filter(|(v, _)| v.name == var.name && v.span != var.span)
            .map(|(v, _)| v.span)
            .collect();
        diagnostics.push(unbound(rule, var, *place, &others, &bound));
    }
}

/// Whether `name` stands alone on one side of some `=` of the body, or is the element
/// of an `in`.
fn bound_by_some_equation(rule: &ast::Rule, name: &str) -> bool {
    rule.body.iter().any(|literal| match literal {
        ast::Literal::In {
            elem: ast::Expr::Var(v),
            ..
        } => v.name == name,
        ast::Literal::Compare {
            op: ast::CmpOp::Eq,
            lhs,
            rhs,
            ..
        } => [lhs, rhs]
            .iter()
            .any(|side| matches!(side, ast::Expr::Var(v) if v.name == name)),
        _ => false,
    })
}

/// The variables bound by positive atoms and, to a fixpoint, by `=` bindings.
pub(super) fn bound_variables(rule: &ast::Rule) -> BTreeSet<&str> {
    let mut bound = BTreeSet::new();
    for literal in &rule.body {
        if let ast::Literal::Atom(atom) = literal {
            for arg in &atom.args {
                if let ast::Expr::Var(v) = arg {
                    bound.insert(v.name.as_str());
                }
            }
        }
    }
    close_under_bindings(rule, &mut bound);
    bound
}

/// Adds to `bound`, to a fixpoint, every variable that a binding `v = expr` (or
/// `expr = v`, or `v in expr`) binds because all of `expr`'s variables are bound.
fn close_under_bindings<'a>(rule: &'a ast::Rule, bound: &mut BTreeSet<&'a str>) {
    loop {
        let mut grew = false;
        for literal in &rule.body {
            if let ast::Literal::In {
                elem: ast::Expr::Var(v),
                set,
                ..
            } = literal
            {
                if !bound.contains(v.name.as_str()) && all_bound(set, bound) {
                    bound.insert(v.name.as_str());
                    grew = true;
                }
                continue;
            }
            let Some(sides) = literal.equation() else {
                continue;
            };
            for (target, source) in sides {
                if let ast::Expr::Var(v) = target {
                    if !bound.contains(v.name.as_str()) && all_bound(source, bound) {
                        bound.insert(v.name.as_str());
                        grew = true;
                    }
                }
            }
        }
        if !grew {
            return;
        }
    }
}

/// Whether every variable of `expr` is bound (and it holds no wildcard).
fn all_bound(expr: &ast::Expr, bound: &BTreeSet<&str>) -> bool {
    let mut all = wildcards(expr).is_empty();
    expr.for_each_var(&mut |v| all &= bound.contains(v.name.as_str()));
    all
}

/// The diagnostic for an unbound variable first used at `var`.
fn unbound(
    rule: &ast::Rule,
    var: &ast::Ident,
    place: Place,
    others: &[Span],
    bound: &BTreeSet<&str>,
) -> Diagnostic {
    let name = &var.name;
    let (code, message, label) = match place {
        Place::Head => (
            Code::UnboundHeadVariable,
            format!("variable `{name}` in the head is not bound by the body"),
            "not bound by any positive atom of the body",
        ),
        Place::Negated => (
            Code::UnboundNegatedVariable,
            format!("variable `{name}` under negation is not bound"),
            "negation cannot bind a variable",
        ),
        Place::Expression => (
            Code::UnboundComparisonVariable,
            format!("variable `{name}` in an expression is not bound"),
            "comparisons and arithmetic cannot bind a variable",
        ),
    };
    let mut diagnostic = Diagnostic::error(code, message, var.span, label);
    for span in others {
        diagnostic = diagnostic.with_label(*span, "also used here");
    }

    // A misspelling of a bound variable is the likeliest cause; otherwise say how to
    // bind it, naming a positive atom of the rule as the example.
    let close = if name.chars().count() >= 3 {
        suggest::closest(name, bound.iter().copied())
    } else {
        None
    };
    let example = rule.body.iter().find_map(|l| match l {
        ast::Literal::Atom(atom) => Some(atom.name.name.as_str()),
        _ => None,
    });
    let help = match (close, place, example) {
        (Some(close), _, _) => format!("did you mean `{close}`?"),
        (None, Place::Negated, _) => format!(
            "bind `{name}` in a positive atom of the body, or write `_` if any value will do"
        ),
        (None, _, Some(atom)) => format!(
            "bind `{name}` in a positive atom such as `{atom}(.., {name}, ..)`, or with \
             `{name} = <expression>` over bound variables"
        ),
        (None, _, None) => format!(
            "add a positive atom that binds `{name}`, or bind it with `{name} = <expression>`"
        ),
    };
    diagnostic.with_help(help)
}
