//! Promises: `monotone` before a declaration (the relation is monotone) and
//! `monotone module NAME;` (every rule of the file is monotone). A broken promise is
//! an error at the non-monotone construct that breaks it.
//!
//! One diagnostic per construct: E0702 when the construct's rule is in a file
//! promised monotone, otherwise E0701 for the nearest relation promised monotone that
//! the construct reaches. The labels walk the path from the construct to the promise:
//! the rule that derives the first relation, each literal that reads one relation to
//! derive the next, and the promise last.

use hydro_runtime::ir::RelId;

use super::flow::{self, Hop};
use super::{Analysis, Construct, ConstructKind};
use crate::check::{CheckedProgram, ModuleInfo};
use crate::diag::{Code, Diagnostic};
use crate::source::Span;

/// The diagnostics of every broken promise, in source order of the constructs.
pub fn check_promises(program: &CheckedProgram, analysis: &Analysis) -> Vec<Diagnostic> {
    let flows = super::flows(program, analysis);
    let name = |rel: RelId| program.relations[rel.index()].name.as_str();
    let promised = |rel: RelId| program.relations[rel.index()].monotone;
    let mut diagnostics = Vec::new();
    for (k, rule) in analysis.rules.iter().enumerate() {
        if rule.constructs.is_empty() {
            continue;
        }
        let checked = &program.rules[k];
        let head = checked.head_rel;

        // The relations promised monotone that the rule's head reaches, nearest first.
        let came_by = flow::downstream(program.relations.len(), &flows, head);
        let mut reached: Vec<(usize, RelId)> = (0..program.relations.len())
            .map(|i| RelId(i as u32))
            .filter(|&r| promised(r).is_some() && (r == head || came_by[r.index()].is_some()))
            .map(|r| (flow::hops_to(&came_by, r).len(), r))
            .collect();
        reached.sort();
        let module = program
            .modules
            .iter()
            .find(|m| m.file == checked.rule.span.file && m.monotone.is_some());

        for (j, construct) in rule.constructs.iter().enumerate() {
            let point_of_order = rule.points_of_order[j];
            let mut diagnostic = if let Some(module) = module {
                let mut d = module_diagnostic(module, construct, checked.rule.head.span);
                d = d.with_label(
                    module.monotone.unwrap_or(module.span),
                    format!("module `{}` is promised monotone here", module.name),
                );
                if !reached.is_empty() {
                    let names: Vec<String> = reached
                        .iter()
                        .map(|(_, r)| format!("`{}`", name(*r)))
                        .collect();
                    d = d.with_note(format!(
                        "it also reaches {}, promised monotone",
                        names.join(", ")
                    ));
                }
                d
            } else if let Some(&(_, target)) = reached.first() {
                let hops = flow::hops_to(&came_by, target);
                let mut d = relation_diagnostic(program, construct, k, target, &hops);
                if reached.len() > 1 {
                    let names: Vec<String> = reached[1..]
                        .iter()
                        .map(|(_, r)| format!("`{}`", name(*r)))
                        .collect();
                    d = d.with_note(format!(
                        "it also reaches {}, promised monotone too",
                        names.join(", ")
                    ));
                }
                d
            } else {
                continue;
            };
            if point_of_order {
                let fed: Vec<String> = construct
                    .reads
                    .iter()
                    .filter(|r| analysis.relations[r.index()].async_fed)
                    .map(|r| format!("`{}`", name(*r)))
                    .collect();
                diagnostic = diagnostic.with_note(format!(
                    "it is also a point of order: inputs reach what it reads ({}), so its \
                     result depends on the order they arrive in",
                    fed.join(", ")
                ));
            }
            diagnostics.push(diagnostic);
        }
    }
    diagnostics
}

/// E0701 for `construct`, in rule `rule`, which reaches `target` (promised monotone)
/// through `hops`.
fn relation_diagnostic(
    program: &CheckedProgram,
    construct: &Construct,
    rule: usize,
    target: RelId,
    hops: &[Hop],
) -> Diagnostic {
    let head = program.rules[rule].head_rel;
    let name = |rel: RelId| program.relations[rel.index()].name.as_str();
    let target_name = name(target);
    let mut d = Diagnostic::error(
        Code::BrokenMonotonePromise,
        format!(
            "{} reaches `{target_name}`, which is promised monotone",
            subject(construct)
        ),
        construct.span,
        construct_label(program, construct),
    );

    // The path: the rule's head (unless the rule derives the promised relation itself,
    // or the construct is the head), each literal that reads on, and the promise.
    let head_span = program.rules[rule].rule.head.span;
    if !hops.is_empty() && head_span != construct.span {
        d = d.with_label(head_span, format!("this rule derives `{}`", name(head)));
    }
    for hop in hops {
        let rule = &program.rules[hop.rule].rule;
        d = d.with_label(
            rule.body[hop.literal].span(),
            format!("`{}` reads `{}` here", name(hop.to), name(hop.from)),
        );
    }
    let info = &program.relations[target.index()];
    d = d.with_label(
        info.monotone.unwrap_or(info.span),
        format!("`{target_name}` is promised monotone here"),
    );
    let mover = format!("move the {} downstream of `{target_name}`", noun(construct));
    let dropper = format!("drop `monotone` from the declaration of `{target_name}`");
    d.with_help(help(construct, &mover, &dropper))
}

/// E0702 for `construct`, in a rule (whose head is at `head_span`) of a file promised
/// monotone.
fn module_diagnostic(module: &ModuleInfo, construct: &Construct, head_span: Span) -> Diagnostic {
    let mut d = Diagnostic::error(
        Code::BrokenMonotoneModule,
        format!(
            "{} in module `{}`, which is promised monotone",
            subject(construct),
            module.name
        ),
        construct.span,
        kind_label(construct),
    );
    if head_span != construct.span {
        d = d.with_label(head_span, "in this rule");
    }
    let mover = "move the rule to a file without the promise".to_owned();
    let dropper = format!("drop `monotone` from `module {};`", module.name);
    d.with_help(help(construct, &mover, &dropper))
}

/// The primary label: why the construct is not monotone.
fn construct_label(program: &CheckedProgram, construct: &Construct) -> String {
    match construct.kind {
        ConstructKind::Negation => {
            let negated = construct
                .reads
                .first()
                .map_or("", |r| program.relations[r.index()].name.as_str());
            format!("holds for fewer tuples as `{negated}` grows")
        }
        _ => kind_label(construct),
    }
}

/// A label that needs no relation names.
fn kind_label(construct: &Construct) -> String {
    match construct.kind {
        ConstructKind::Negation => "a negation is not monotone".to_owned(),
        ConstructKind::Aggregation => "changes as the tuples it aggregates grow".to_owned(),
        ConstructKind::Deletion => "a deletion is not monotone".to_owned(),
        ConstructKind::LatticeRead => "not monotone in the lattice's order".to_owned(),
    }
}

/// The construct as a noun, for "move the ... downstream".
/// The construct as the subject of a sentence: a lattice read's reason is a clause
/// ("`value(d)` reads the raw value of `d`"), so it is wrapped.
fn subject(construct: &Construct) -> String {
    match construct.kind {
        ConstructKind::LatticeRead => format!("a non-monotone read ({})", construct.reason),
        _ => construct.reason.clone(),
    }
}

fn noun(construct: &Construct) -> &'static str {
    match construct.kind {
        ConstructKind::Negation => "negation",
        ConstructKind::Aggregation => "aggregate",
        ConstructKind::Deletion => "deletion",
        ConstructKind::LatticeRead => "read",
    }
}

/// The help line: a monotone form where one exists, moving the construct, dropping the
/// promise.
fn help(construct: &Construct, mover: &str, dropper: &str) -> String {
    let lattice = match (construct.kind, construct.aggregate.as_deref()) {
        (ConstructKind::Aggregation, Some("count")) => {
            Some("count with a lattice (a `Set<T>` column and `size(s) >= n`)")
        }
        (ConstructKind::Aggregation, Some("sum")) => {
            Some("sum with a lattice (a `Counter` column and `total(c)`)")
        }
        (ConstructKind::Aggregation, Some("min")) => {
            Some("keep the least value in a `Min<T>` column, merged as values arrive")
        }
        (ConstructKind::Aggregation, Some("max")) => {
            Some("keep the greatest value in a `Max<T>` column, merged as values arrive")
        }
        (ConstructKind::LatticeRead, _) => Some(
            "read the value through a threshold test in the lattice's order (`d >= c` on a \
             `Max`, `d <= c` on a `Min`) or a morphism",
        ),
        _ => None,
    };
    match lattice {
        Some(lattice) => format!("{lattice}, {mover}, or {dropper}"),
        None => format!("{mover}, or {dropper}"),
    }
}
