//! Stratification: the dependency graph between relations, cycles through negation or
//! aggregation, and the strata in evaluation order.
//!
//! A plain-head rule adds an edge from each relation of its body to its head relation,
//! labelled negative for a negated atom, aggregate when the head aggregates, positive
//! otherwise. `@next` and `delete` heads take effect in the next tick, so they add no
//! edge. The strongly connected components of the graph (Kosaraju's algorithm, with
//! explicit stacks) are the recursive groups: a negative or aggregate edge inside one
//! has no stratification. The components with rules become the strata, in a
//! topological order of the component graph (ties by declaration order); all `@next`
//! and `delete` rules run in one last stratum, when every relation is complete.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use hydro_runtime::ir::RelId;

use super::resolve::{ResolvedRule, Schema};
use super::{LatticeRead, StratumInfo};
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// How a rule's body relation feeds its head relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    Positive,
    Negative,
    Aggregate,
    /// A raw read of a lattice value (or another use that is not monotone).
    NonMonotone,
}

/// One edge: `from` is read by rule `rule` (an index into the resolved rules), whose
/// plain head derives `to`, at body literal `literal`.
#[derive(Clone, Copy, Debug)]
struct Edge {
    from: RelId,
    to: RelId,
    label: Label,
    rule: usize,
    literal: usize,
    /// For a non-monotone read, the read itself.
    read: Option<Span>,
}

/// Reports cycles through negation or aggregation; returns the strata when there are
/// none. Rule indices in the strata count only rules with a body, in source order.
pub(super) fn stratify(
    schema: &Schema,
    resolved: &[ResolvedRule],
    reads: &BTreeMap<usize, Vec<LatticeRead>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<StratumInfo>> {
    let edges = edges(resolved, reads);
    let component = components(schema.len(), &edges);
    let errors = report_cycles(schema, resolved, &edges, &component, diagnostics);
    (!errors).then(|| strata(schema.len(), resolved, &edges, &component))
}

/// Whether a rule's head is a plain (same-tick) head.
fn is_plain(rule: &ast::Rule) -> bool {
    rule.head.next.is_none() && rule.head.delete.is_none()
}

/// The edges of every complete plain-head rule with a body, in source order, then one
/// non-monotone edge per raw read of a lattice value.
fn edges(resolved: &[ResolvedRule], reads: &BTreeMap<usize, Vec<LatticeRead>>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (k, r) in resolved.iter().enumerate() {
        let rule = r.rule;
        if rule.body.is_empty() || !is_plain(rule) || !r.complete() {
            continue;
        }
        let Some(to) = r.head_rel else { continue };
        let aggregates = rule
            .head
            .args
            .iter()
            .any(|a| matches!(a, ast::HeadArg::Aggregate(agg) if !agg.is_merge()));
        for (i, literal) in rule.body.iter().enumerate() {
            let Some(from) = r.body_rels[i] else { continue };
            let label = match literal {
                ast::Literal::Negated { .. } => Label::Negative,
                _ if aggregates => Label::Aggregate,
                _ => Label::Positive,
            };
            edges.push(Edge {
                from,
                to,
                label,
                rule: k,
                literal: i,
                read: None,
            });
        }
        for read in reads.get(&k).into_iter().flatten() {
            if read.class.is_monotone() {
                continue;
            }
            let literal = r
                .body_rels
                .iter()
                .position(|&b| b == Some(read.rel))
                .unwrap_or(0);
            edges.push(Edge {
                from: read.rel,
                to,
                label: Label::NonMonotone,
                rule: k,
                literal,
                read: Some(read.span),
            });
        }
    }
    edges
}

/// The strongly connected component of every relation (numbered arbitrarily).
fn components(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut forward = vec![Vec::new(); n];
    let mut backward = vec![Vec::new(); n];
    for e in edges {
        forward[e.from.index()].push(e.to.index());
        backward[e.to.index()].push(e.from.index());
    }

    // First pass: relations in order of finishing a depth-first search.
    let mut finished = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&succ) = forward[*node].get(*next) {
                *next += 1;
                if !visited[succ] {
                    visited[succ] = true;
                    stack.push((succ, 0));
                }
            } else {
                finished.push(*node);
                stack.pop();
            }
        }
    }

    // Second pass: on the reversed graph, in reverse finishing order, each search
    // collects one component.
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in finished.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &pred in &backward[node] {
                if component[pred] == usize::MAX {
                    component[pred] = count;
                    stack.push(pred);
                }
            }
        }
        count += 1;
    }
    component
}

/// Reports, per component and per kind (negation, aggregation), the edges inside the
/// component. Returns whether there was any.
fn report_cycles(
    schema: &Schema,
    resolved: &[ResolvedRule],
    edges: &[Edge],
    component: &[usize],
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let inside = |e: &Edge| component[e.from.index()] == component[e.to.index()];
    let mut seen = BTreeSet::new();
    let mut any = false;
    for e in edges
        .iter()
        .filter(|e| inside(e) && e.label != Label::Positive)
    {
        if !seen.insert((component[e.to.index()], e.label)) {
            continue;
        }
        any = true;
        let same: Vec<&Edge> = edges
            .iter()
            .filter(|o| {
                inside(o)
                    && o.label == e.label
                    && component[o.to.index()] == component[e.to.index()]
            })
            .collect();
        diagnostics.push(cycle_diagnostic(schema, resolved, edges, component, &same));
    }
    any
}

/// The diagnostic for the offending edges `same` of one component (at least one).
fn cycle_diagnostic(
    schema: &Schema,
    resolved: &[ResolvedRule],
    edges: &[Edge],
    component: &[usize],
    same: &[&Edge],
) -> Diagnostic {
    let e = same[0];
    let name = |id: RelId| schema.get(id).name.as_str();
    let rule = resolved[e.rule].rule;

    // The cycle: the offending edge `from -> to`, then the shortest way back from `to`
    // to `from` inside the component.
    let path = path_back(edges, component, e.to, e.from);
    let mut cycle: Vec<&str> = vec![name(e.from)];
    cycle.extend(path.iter().map(|p| name(p.from)));
    cycle.push(name(e.from));
    let cycle = cycle.join(" -> ");

    let (code, message, primary, label, help) = match e.label {
        Label::Negative => (
            Code::NegationInCycle,
            format!("negation inside a recursive cycle: `{cycle}`"),
            rule.body[e.literal].span(),
            if e.from == e.to {
                format!("`{}` is negated by a rule that derives it", name(e.from))
            } else {
                format!(
                    "`{}` is negated while it depends on `{}`",
                    name(e.from),
                    name(e.to)
                )
            },
            format!(
                "move the negation out of the cycle, or derive `{}` with `@next` (as a \
                 table) so that the negation reads the previous tick",
                name(e.to)
            ),
        ),
        Label::NonMonotone => (
            Code::NonMonotoneInCycle,
            format!("non-monotone read of a lattice inside a recursive cycle: `{cycle}`"),
            e.read.unwrap_or(rule.head.span),
            format!(
                "reads the value of `{}` while it is still growing",
                name(e.from)
            ),
            "read it through a threshold or a monotone operation (`d < 10` on a `Min`, \
             `size(s) >= 3`), or read it in a rule outside the cycle"
                .to_owned(),
        ),
        _ => {
            let agg = rule.head.args.iter().find_map(|a| match a {
                ast::HeadArg::Aggregate(agg) => Some(agg),
                ast::HeadArg::Expr(_) => None,
            });
            (
                Code::AggregationInCycle,
                format!("aggregation inside a recursive cycle: `{cycle}`"),
                agg.map_or(rule.head.span, |a| a.span),
                if e.from == e.to {
                    format!(
                        "aggregates over `{}`, which this rule derives",
                        name(e.from)
                    )
                } else {
                    format!(
                        "aggregates over `{}`, which depends on `{}`",
                        name(e.from),
                        name(e.to)
                    )
                },
                lattice_form(schema, rule, agg).unwrap_or_else(|| {
                    format!(
                        "aggregate a relation computed before the cycle, or derive `{}` with \
                         `@next` (as a table) so that the aggregate reads the previous tick",
                        name(e.to)
                    )
                }),
            )
        }
    };
    let mut diagnostic = Diagnostic::error(code, message, primary, label)
        .with_note("`a -> b` means that a rule deriving `b` reads `a`")
        .with_help(help);

    // The literals that close the cycle, then any other offending literal of it.
    let mut labelled: BTreeSet<Span> = BTreeSet::from([primary]);
    let offending = std::iter::once(e).chain(same[1..].iter().copied());
    for p in offending.chain(path.iter()) {
        let rule = resolved[p.rule].rule;
        let span = rule.body[p.literal].span();
        if labelled.insert(span) {
            let verb = match p.label {
                Label::Positive => "reads",
                Label::Negative => "negates",
                Label::Aggregate => "aggregates over",
                Label::NonMonotone => "reads the raw value of",
            };
            let text = format!("`{}` {verb} `{}` here", name(p.to), name(p.from));
            diagnostic = diagnostic.with_label(span, text);
        }
    }
    diagnostic
}

/// For `min` or `max` in a cycle: the lattice column that does the same and may be
/// recursive, as a help line.
fn lattice_form(schema: &Schema, rule: &ast::Rule, agg: Option<&ast::Aggregate>) -> Option<String> {
    let agg = agg?;
    let lattice = match agg.func.name.as_str() {
        "min" => "Min",
        "max" => "Max",
        _ => return None,
    };
    let index = rule
        .head
        .args
        .iter()
        .position(|a| matches!(a, ast::HeadArg::Aggregate(other) if other.span == agg.span))?;
    let relation = schema.get(schema.lookup(&rule.head.name.name)?);
    let column = relation.columns.get(index)?;
    let ty = column.ty?;
    let arg = crate::lower::source::print_expr(&agg.arg);
    Some(format!(
        "use a lattice column, which may be recursive: declare `{}: {lattice}<{ty}>` in \
         `{}` and write `{arg}` in place of `{}({arg})`; the column then keeps the {} \
         value seen for each key",
        column.name,
        relation.name,
        agg.func.name,
        if lattice == "Min" {
            "least"
        } else {
            "greatest"
        },
    ))
}

/// The edges of a shortest path from `start` to `goal` inside their component
/// (breadth-first, taking edges in source order); empty when `start == goal`.
fn path_back(edges: &[Edge], component: &[usize], start: RelId, goal: RelId) -> Vec<Edge> {
    let c = component[start.index()];
    let mut came_by: Vec<Option<usize>> = vec![None; component.len()];
    let mut queue = VecDeque::from([start]);
    let mut reached = BTreeSet::from([start]);
    while let Some(node) = queue.pop_front() {
        if node == goal {
            break;
        }
        for (k, e) in edges.iter().enumerate() {
            if e.from == node && component[e.to.index()] == c && reached.insert(e.to) {
                came_by[e.to.index()] = Some(k);
                queue.push_back(e.to);
            }
        }
    }
    let mut path = Vec::new();
    let mut node = goal;
    while node != start {
        let Some(k) = came_by[node.index()] else {
            break;
        };
        path.push(edges[k]);
        node = edges[k].from;
    }
    path.reverse();
    path
}

/// The strata: one per component that holds a plain-head rule, in topological order
/// (ties by the component's first relation in declaration order), then one for every
/// `@next` and `delete` rule.
fn strata(
    n: usize,
    resolved: &[ResolvedRule],
    edges: &[Edge],
    component: &[usize],
) -> Vec<StratumInfo> {
    // Number the rules as the checked program does: rules with a body, in order.
    let mut body_index = vec![usize::MAX; resolved.len()];
    let mut next_index = 0;
    for (k, r) in resolved.iter().enumerate() {
        if !r.rule.body.is_empty() {
            body_index[k] = next_index;
            next_index += 1;
        }
    }

    // The components with plain rules, and the edges between them.
    let count = component.iter().copied().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<RelId>> = vec![Vec::new(); count];
    for rel in 0..n {
        members[component[rel]].push(RelId(rel as u32));
    }
    let mut rules: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut timed = Vec::new();
    for (k, r) in resolved.iter().enumerate() {
        if r.rule.body.is_empty() {
            continue;
        }
        match r.head_rel {
            Some(head) if is_plain(r.rule) => rules[component[head.index()]].push(body_index[k]),
            _ => timed.push(body_index[k]),
        }
    }
    let mut successors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    let mut indegree = vec![0usize; count];
    for e in edges {
        let (a, b) = (component[e.from.index()], component[e.to.index()]);
        if a != b && successors[a].insert(b) {
            indegree[b] += 1;
        }
    }

    // Kahn's algorithm, always taking the ready component declared first.
    let first = |c: usize| members[c].first().map_or(0, |r| r.0);
    let mut ready: BinaryHeap<Reverse<(u32, usize)>> = (0..count)
        .filter(|&c| indegree[c] == 0)
        .map(|c| Reverse((first(c), c)))
        .collect();
    let mut strata = Vec::new();
    while let Some(Reverse((_, c))) = ready.pop() {
        for &s in &successors[c] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                ready.push(Reverse((first(s), s)));
            }
        }
        if rules[c].is_empty() {
            continue;
        }
        let recursive = edges.iter().any(|e| {
            e.label == Label::Positive
                && component[e.from.index()] == c
                && component[e.to.index()] == c
        });
        strata.push(StratumInfo {
            relations: members[c].clone(),
            rules: rules[c].clone(),
            recursive,
        });
    }
    if !timed.is_empty() {
        strata.push(StratumInfo {
            relations: Vec::new(),
            rules: timed,
            recursive: false,
        });
    }
    strata
}
