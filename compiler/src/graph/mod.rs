//! The dependency graph of a program, for drawing: relations as nodes, strata as
//! clusters in evaluation order, and one edge per (body relation, head relation, kind),
//! marked with what the CALM analysis found about it.
//!
//! [`build`] makes the [`Graph`]; [`mermaid`] and [`dot`] write it out. Both writers
//! are deterministic: nodes in stratum order then declaration order, edges in the
//! order of the rule and literal that first gave them.

pub mod dot;
pub mod mermaid;

use hydro_runtime::ir::{RelId, RelationKind};

use crate::calm::{Analysis, ConstructKind};
use crate::check::CheckedProgram;

/// The graph of one program.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    /// Relations in no stratum (inputs, relations only `@next` rules or facts fill), in
    /// declaration order.
    pub loose: Vec<Node>,
    /// The strata with relations, in evaluation order.
    pub clusters: Vec<Cluster>,
    /// Body relation to head relation, one per kind.
    pub edges: Vec<Edge>,
}

/// One relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The relation's id.
    pub rel: RelId,
    /// The relation's name.
    pub name: String,
    /// Its kind, which gives the node's shape.
    pub kind: RelationKind,
}

/// One stratum.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The stratum's number in evaluation order.
    pub stratum: usize,
    /// Its relations, in declaration order.
    pub nodes: Vec<Node>,
}

/// When the head receives what the edge carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Time {
    /// In the same tick.
    Now,
    /// `@next`: in the next tick.
    Next,
    /// `delete`: removed at the next tick.
    Delete,
}

/// How the body relation is read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// A positive atom of a monotone rule.
    Positive,
    /// `!x(...)`.
    Negated,
    /// A positive atom of a rule whose head aggregates (the aggregates' names).
    Aggregated(String),
    /// A lattice value read non-monotonically (what is done with it).
    Read(String),
}

/// One edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The body relation.
    pub from: RelId,
    /// The head relation.
    pub to: RelId,
    /// When the head receives it.
    pub time: Time,
    /// How the body relation is read.
    pub mode: Mode,
    /// Whether a rule giving this edge has a point of order there.
    pub point_of_order: bool,
}

impl Edge {
    /// The edge's label: how and when, or empty for a plain positive edge.
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match &self.mode {
            Mode::Positive => {}
            Mode::Negated => parts.push("not".to_owned()),
            Mode::Aggregated(names) => parts.push(names.clone()),
            Mode::Read(what) => parts.push(what.replace('`', "")),
        }
        match self.time {
            Time::Now => {}
            Time::Next => parts.push("@next".to_owned()),
            Time::Delete => parts.push("delete".to_owned()),
        }
        parts.join("; ")
    }
}

/// Builds the graph of `program` from its CALM analysis.
pub fn build(program: &CheckedProgram, analysis: &Analysis) -> Graph {
    let node = |rel: RelId| {
        let info = &program.relations[rel.index()];
        Node {
            rel,
            name: info.name.clone(),
            kind: info.kind,
        }
    };

    // Strata with relations become clusters; every other relation is loose.
    let mut placed = vec![false; program.relations.len()];
    let mut clusters = Vec::new();
    for (stratum, info) in program.strata.iter().enumerate() {
        if info.relations.is_empty() {
            continue;
        }
        let mut rels = info.relations.clone();
        rels.sort();
        for r in &rels {
            placed[r.index()] = true;
        }
        clusters.push(Cluster {
            stratum,
            nodes: rels.into_iter().map(node).collect(),
        });
    }
    let loose = (0..program.relations.len())
        .filter(|&i| !placed[i])
        .map(|i| node(RelId(i as u32)))
        .collect();

    // One edge per body literal, merged per (from, to, time, mode).
    let mut edges: Vec<Edge> = Vec::new();
    for (rule, a) in program.rules.iter().zip(&analysis.rules) {
        let time = if rule.rule.head.delete.is_some() {
            Time::Delete
        } else if rule.rule.head.next.is_some() {
            Time::Next
        } else {
            Time::Now
        };
        let constructs = || a.constructs.iter().zip(&a.points_of_order);
        let aggregates: Vec<&str> = constructs()
            .filter_map(|(c, _)| c.aggregate.as_deref())
            .collect();
        let aggregate_order = constructs().any(|(c, &p)| c.kind == ConstructKind::Aggregation && p);
        let delete_order = constructs().any(|(c, &p)| c.kind == ConstructKind::Deletion && p);
        for b in &a.body {
            let negation = constructs().find(|(c, _)| c.literal == Some(b.literal));
            let read = constructs()
                .find(|(c, _)| c.kind == ConstructKind::LatticeRead && c.reads == [b.rel]);
            let (mode, order) = if let Some((_, &p)) = negation {
                (Mode::Negated, p)
            } else if let Some((c, &p)) = read {
                (Mode::Read(c.reason.clone()), p)
            } else if !aggregates.is_empty() {
                (Mode::Aggregated(aggregates.join(" ")), aggregate_order)
            } else {
                (Mode::Positive, false)
            };
            let edge = Edge {
                from: b.rel,
                to: rule.head_rel,
                time,
                mode,
                point_of_order: order || delete_order,
            };
            match edges.iter_mut().find(|e| {
                (e.from, e.to, e.time, &e.mode) == (edge.from, edge.to, edge.time, &edge.mode)
            }) {
                Some(same) => same.point_of_order |= edge.point_of_order,
                None => edges.push(edge),
            }
        }
    }
    Graph {
        loose,
        clusters,
        edges,
    }
}
