//! The non-monotone constructs of one rule, found on its syntax tree and in the lattice
//! reads the type checker recorded.
//!
//! A construct is non-monotone when a tuple it derives can stop being derived as the
//! relations it reads grow: a negation (`!x(...)`), an aggregate other than `merge`
//! (`count`, `sum`, `min`, `max`), a `delete` head, and a lattice read the checker
//! classed as non-monotone (a raw read such as `value(d)`, a threshold in the wrong
//! direction). `@next` is not one: it delays a derivation, it never retracts one.

use std::collections::BTreeMap;

use hydro_runtime::ir::RelId;

use crate::check::CheckedRule;
use crate::source::Span;
use crate::syntax::ast;

/// The aggregate that merges lattice values, the one that keeps a rule monotone.
const MERGE: &str = "merge";

/// What makes a construct non-monotone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstructKind {
    /// `!x(...)`: holds less as `x` grows.
    Negation,
    /// `count`, `sum`, `min` or `max` in a head: changes as its group grows.
    Aggregation,
    /// `delete x(...) :- ...`: removes tuples.
    Deletion,
    /// A raw read of a lattice value, a non-monotone operation, or a threshold in the
    /// wrong direction.
    LatticeRead,
}

/// One non-monotone construct of a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Construct {
    /// What kind of construct.
    pub kind: ConstructKind,
    /// The negated literal, the aggregate, the `delete` head or the lattice read.
    pub span: Span,
    /// In words, for reports: "negation of `edge`", "aggregate `count`".
    pub reason: String,
    /// The aggregate's name, for an aggregation.
    pub aggregate: Option<String>,
    /// The body literal, for a negation (an index into the rule's body).
    pub literal: Option<usize>,
    /// The relations the construct reads non-monotonically (sorted): the negated
    /// relation; the relations of an aggregated body; the deleted relation and the
    /// deleting rule's body; the relation a lattice value was read from.
    pub reads: Vec<RelId>,
}

/// A body literal that names a relation: its index in the body, the relation, and
/// whether it is negated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyRelation {
    /// The index into the rule's body.
    pub literal: usize,
    /// The relation.
    pub rel: RelId,
    /// Whether the literal is `!x(...)`.
    pub negated: bool,
}

/// The literals of a rule's body that name relations, in source order. A call of a
/// lattice operation written as a literal names no relation and is left out.
pub fn body_relations(names: &BTreeMap<&str, RelId>, rule: &ast::Rule) -> Vec<BodyRelation> {
    rule.body
        .iter()
        .enumerate()
        .filter_map(|(literal, l)| {
            let (atom, negated) = match l {
                ast::Literal::Atom(atom) => (atom, false),
                ast::Literal::Negated { atom, .. } => (atom, true),
                _ => return None,
            };
            let rel = *names.get(atom.name.name.as_str())?;
            Some(BodyRelation {
                literal,
                rel,
                negated,
            })
        })
        .collect()
}

/// The non-monotone constructs of `rule`, in source order.
pub fn constructs(
    names: &BTreeMap<&str, RelId>,
    relation_name: &dyn Fn(RelId) -> String,
    rule: &CheckedRule,
) -> Vec<Construct> {
    let body = body_relations(names, &rule.rule);
    let mut all_body: Vec<RelId> = body.iter().map(|b| b.rel).collect();
    all_body.sort();
    all_body.dedup();
    let mut found = Vec::new();

    // A negation reads its relation: it holds less as that relation grows.
    for b in body.iter().filter(|b| b.negated) {
        found.push(Construct {
            kind: ConstructKind::Negation,
            span: rule.rule.body[b.literal].span(),
            reason: format!("negation of `{}`", relation_name(b.rel)),
            aggregate: None,
            literal: Some(b.literal),
            reads: vec![b.rel],
        });
    }

    // An aggregate other than `merge` reads the whole body: a group's count, sum,
    // least or greatest value changes as the group grows.
    for arg in &rule.rule.head.args {
        let ast::HeadArg::Aggregate(agg) = arg else {
            continue;
        };
        if agg.func.name == MERGE {
            continue;
        }
        found.push(Construct {
            kind: ConstructKind::Aggregation,
            span: agg.span,
            reason: format!("aggregate `{}`", agg.func.name),
            aggregate: Some(agg.func.name.clone()),
            literal: None,
            reads: all_body.clone(),
        });
    }

    // A deletion reads the relation it deletes from and the body that says when.
    if rule.rule.head.delete.is_some() {
        let mut reads = all_body.clone();
        reads.push(rule.head_rel);
        reads.sort();
        reads.dedup();
        found.push(Construct {
            kind: ConstructKind::Deletion,
            span: rule.rule.head.span,
            reason: format!("deletion from `{}`", relation_name(rule.head_rel)),
            aggregate: None,
            literal: None,
            reads,
        });
    }

    // A lattice read the checker classed as non-monotone reads the relation the value
    // came from.
    for read in &rule.lattice_reads {
        if read.class.is_monotone() {
            continue;
        }
        found.push(Construct {
            kind: ConstructKind::LatticeRead,
            span: read.span,
            reason: read.what.clone(),
            aggregate: None,
            literal: None,
            reads: vec![read.rel],
        });
    }

    found.sort_by_key(|c| (c.span, c.kind));
    found
}
