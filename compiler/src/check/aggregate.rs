//! Aggregates: known names, aggregates that cannot be grouped, rules that disagree on
//! how a relation aggregates, and the types an aggregate needs.
//!
//! An aggregate in a head groups by the head's other arguments, over the distinct
//! satisfying assignments of the body. So it needs a body (not in a fact), a value to
//! aggregate (not `_`), a relation computed per tick (not a `delete`), and every rule of
//! its relation must aggregate the same columns with the same functions: a group's
//! value comes from one aggregate, never from a mix of rules.

use std::collections::BTreeMap;

use hydro_runtime::ir::{AggFunc, RelId};
use hydro_runtime::lattice::{LatticeType, LatticeTypes};
use hydro_runtime::value::ColumnType;

use super::resolve::{ColumnDef, ResolvedRule};
use super::suggest;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

const NAMES: [&str; 4] = ["count", "sum", "min", "max"];

/// Checks the aggregates of one rule's head on their own.
pub(super) fn check_rule(r: &ResolvedRule, diagnostics: &mut Vec<Diagnostic>) {
    let rule = r.rule;
    for agg in aggregates(rule) {
        // The name (`merge` is the lattice columns' own).
        if !agg.is_merge() && AggFunc::from_name(&agg.func.name).is_none() {
            let name = &agg.func.name;
            let alias = match name.as_str() {
                "maximum" | "greatest" | "largest" => Some("max"),
                "minimum" | "least" | "smallest" => Some("min"),
                "cnt" | "len" | "length" | "size" | "number" => Some("count"),
                "total" | "add" | "plus" => Some("sum"),
                _ => None,
            };
            let help = match alias.or_else(|| suggest::closest(name, NAMES)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if matches!(name.as_str(), "avg" | "mean" | "average") => {
                    "derive `sum` and `count` per group, then divide them in another rule"
                        .to_owned()
                }
                None => "the aggregates are `count`, `sum`, `min`, `max` and, for a lattice \
                         column, `merge`"
                    .to_owned(),
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownAggregate,
                    format!("unknown aggregate `{name}`"),
                    agg.func.span,
                    "not an aggregate",
                )
                .with_help(help),
            );
        }

        // Where it stands and what it aggregates.
        if rule.body.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    Code::UngroupableAggregate,
                    "aggregate in a fact",
                    agg.span,
                    "a fact has no body to aggregate over",
                )
                .with_help("write the value itself, or give the rule a body to aggregate"),
            );
        } else if let Some(delete) = rule.head.delete {
            diagnostics.push(
                Diagnostic::error(
                    Code::UngroupableAggregate,
                    "aggregate in a `delete` head",
                    agg.span,
                    "a deletion removes whole tuples; it cannot aggregate",
                )
                .with_label(delete, "this rule deletes")
                .with_help(
                    "derive the aggregate into a relation first, then delete the tuples \
                     read from it",
                ),
            );
        } else if let ast::Expr::Wildcard(span) = agg.arg {
            diagnostics.push(
                Diagnostic::error(
                    Code::UngroupableAggregate,
                    format!("`{}` over a wildcard", agg.func.name),
                    span,
                    "`_` has no value to aggregate",
                )
                .with_help(format!(
                    "aggregate a variable bound by the body, such as `{}(y)`",
                    agg.func.name
                )),
            );
        }
    }
}

/// The aggregates of a head, in order.
fn aggregates(rule: &ast::Rule) -> impl Iterator<Item = &ast::Aggregate> {
    rule.head.args.iter().filter_map(|a| match a {
        ast::HeadArg::Aggregate(agg) => Some(agg),
        ast::HeadArg::Expr(_) => None,
    })
}

/// How a rule aggregates: the function of each aggregating column.
type Shape = Vec<(usize, AggFunc)>;

/// The shape of a rule's head, or `None` when an aggregate's name is unknown (already
/// reported).
fn shape(rule: &ast::Rule) -> Option<Shape> {
    let mut shape = Vec::new();
    for (i, arg) in rule.head.args.iter().enumerate() {
        match arg {
            ast::HeadArg::Aggregate(agg) if !agg.is_merge() => {
                shape.push((i, AggFunc::from_name(&agg.func.name)?));
            }
            _ => {}
        }
    }
    Some(shape)
}

/// Describes a shape for a label: "aggregates column 2 with `count`".
fn describe(shape: &Shape, relation: &str) -> String {
    if shape.is_empty() {
        return format!("this rule derives `{relation}` without aggregating");
    }
    let parts: Vec<String> = shape
        .iter()
        .map(|(i, f)| format!("column {} with `{}`", i + 1, f.name()))
        .collect();
    format!("this rule aggregates {}", parts.join(" and "))
}

/// Every rule deriving a relation (plain or `@next`) must aggregate the same columns
/// with the same functions as the first such rule, or not aggregate at all if it
/// does not; and a relation with an aggregate is derived by one rule, since two rules
/// would each give a group its own value.
pub(super) fn check_consistency(resolved: &[ResolvedRule], diagnostics: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<RelId, (Shape, &ast::Rule)> = BTreeMap::new();
    for r in resolved {
        let rule = r.rule;
        if rule.body.is_empty() || rule.head.delete.is_some() {
            continue;
        }
        let (Some(rel), Some(shape)) = (r.head_rel, shape(rule)) else {
            continue;
        };
        let Some((first_shape, first_rule)) = first.get(&rel) else {
            first.insert(rel, (shape, rule));
            continue;
        };
        let name = &rule.head.name.name;
        if *first_shape == shape && !shape.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    Code::UngroupableAggregate,
                    format!("`{name}` is derived by more than one aggregating rule"),
                    rule.head.span,
                    "a second aggregating rule",
                )
                .with_label(first_rule.head.span, "the first aggregating rule")
                .with_note("each rule would give a group a value of its own")
                .with_help(format!(
                    "derive the bodies' tuples into one scratch relation first (one rule per \
                     body), then aggregate it in a single rule for `{name}`"
                )),
            );
            continue;
        }
        if *first_shape == shape {
            continue;
        }
        let message = if first_shape.is_empty() || shape.is_empty() {
            format!("`{name}` is derived both by an aggregate and by plain rules")
        } else {
            format!("rules for `{name}` aggregate differently")
        };
        diagnostics.push(
            Diagnostic::error(
                Code::UngroupableAggregate,
                message,
                rule.head.span,
                describe(&shape, name),
            )
            .with_label(first_rule.head.span, describe(first_shape, name))
            .with_help(
                "a relation with an aggregate is derived by that one rule; derive the other \
                 values into a relation of their own"
                    .to_string(),
            ),
        );
    }

    // A fact would give its group a second value beside the aggregate's.
    for r in resolved {
        let rule = r.rule;
        if !rule.body.is_empty() || rule.head.delete.is_some() {
            continue;
        }
        let Some((shape, aggregating)) = r.head_rel.and_then(|rel| first.get(&rel)) else {
            continue;
        };
        if shape.is_empty() {
            continue;
        }
        let name = &rule.head.name.name;
        diagnostics.push(
            Diagnostic::error(
                Code::UngroupableAggregate,
                format!("a fact of `{name}`, which an aggregate derives"),
                rule.head.span,
                "a fact of an aggregated relation",
            )
            .with_label(aggregating.head.span, describe(shape, name))
            .with_help(format!(
                "put the fact in the relation the aggregate reads, or in a relation of its \
                 own, not in `{name}`"
            )),
        );
    }
}

/// Checks the types of one aggregate: `count` fills a `u64` column, `sum` needs a
/// number, and `sum`, `min` and `max` produce their argument's type, which must be the
/// column's.
pub(super) fn check_types(
    agg: &ast::Aggregate,
    (func, arg_ty): (AggFunc, ColumnType),
    column: &ColumnDef,
    relation: &str,
    lattices: &LatticeTypes,
) -> Option<Diagnostic> {
    let declared = |_: ColumnType| {
        format!(
            "column `{}` of `{relation}` is `{}`",
            column.name, column.ty_text
        )
    };
    let wrong = |message: String, span: Span, label: String| {
        Diagnostic::error(Code::AggregateType, message, span, label)
    };
    let column_ty = column.ty?;
    let arg = crate::lower::source::print_expr(&agg.arg);
    if let ColumnType::Lattice(id) = arg_ty {
        // Counting a set's elements is `size`; anything else merges.
        let help = match lattices.get(id) {
            LatticeType::Set(_) | LatticeType::Map(..) => format!(
                "to count its elements, use `size({arg})` (a `Max<u64>`, monotone), or \
                 `value(size({arg}))` for a `u64` column"
            ),
            _ => format!(
                "to combine the values, declare the column as that lattice and write \
                 `merge({arg})`"
            ),
        };
        return Some(
            wrong(
                format!("`{}` cannot aggregate lattice values", func.name()),
                agg.span,
                "aggregates lattice values".to_owned(),
            )
            .with_help(help),
        );
    }
    if let ColumnType::Lattice(_) = column_ty {
        return Some(
            wrong(
                format!(
                    "`{}` into the lattice column `{}` of `{relation}`",
                    func.name(),
                    column.name
                ),
                agg.span,
                "a lattice column merges by itself".to_owned(),
            )
            .with_label(column.ty_span, "declared here")
            .with_help(format!(
                "write `{arg}` (or `merge({arg})`) in place of `{}({arg})`: the lattice keeps \
                 the value its merge chooses",
                func.name()
            )),
        );
    }
    match func {
        AggFunc::Count if column_ty != ColumnType::U64 => Some(
            wrong(
                format!("`count` yields `u64`, but {}", declared(column_ty)),
                agg.span,
                "a count has type `u64`".to_owned(),
            )
            .with_label(column.ty_span, "declared here")
            .with_help(format!("declare column `{}` as `u64`", column.name)),
        ),
        AggFunc::Count => None,
        AggFunc::Sum if !arg_ty.is_numeric() => Some(
            wrong(
                format!("`sum` needs a number, not `{arg_ty}`"),
                agg.arg.span(),
                format!("this has type `{arg_ty}`"),
            )
            .with_help("sum a numeric value, or use `count` to count the assignments"),
        ),
        _ if arg_ty != column_ty => Some(
            wrong(
                format!(
                    "`{}` yields `{arg_ty}`, but {}",
                    func.name(),
                    declared(column_ty)
                ),
                agg.arg.span(),
                format!("this has type `{arg_ty}`"),
            )
            .with_label(column.ty_span, "declared here")
            .with_help(format!(
                "`{}` yields its argument's type: declare column `{}` as `{arg_ty}`, or \
                 aggregate a value of type `{}`",
                func.name(),
                column.name,
                column.ty_text
            )),
        ),
        _ => None,
    }
}
