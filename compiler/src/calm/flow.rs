//! How facts flow between relations: which relations asynchronous sources reach, and
//! how non-monotonicity spreads from the rules that have a non-monotone construct to
//! every relation downstream of them.
//!
//! Both follow the same edges: a rule (plain, `@next` or `delete`) leads from each
//! relation of its body, negated or not, to its head relation.

use std::collections::VecDeque;

use hydro_runtime::ir::{RelId, RelationKind};

use super::constructs::BodyRelation;

/// Whether tuples of a relation of this kind arrive from outside the program, at times
/// and in an order it does not control. A point of order is a non-monotone construct
/// that reads what such a source feeds.
pub fn is_async_source(kind: RelationKind) -> bool {
    match kind {
        RelationKind::Input => true,
        RelationKind::Output | RelationKind::Table | RelationKind::Scratch => false,
    }
}

/// One rule as the flow sees it: the relations it reads and the one it derives.
pub struct RuleFlow<'a> {
    /// The relations of the body.
    pub body: &'a [BodyRelation],
    /// The head relation.
    pub head: RelId,
    /// Whether the rule has a non-monotone construct.
    pub non_monotone: bool,
}

/// Why a relation is non-monotone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Rule `rule` (an index into the program's rules) derives the relation and has
    /// a non-monotone construct.
    Construct {
        /// The rule.
        rule: usize,
    },
    /// Rule `rule` derives the relation and reads the non-monotone relation `rel` at
    /// body literal `literal`.
    Reads {
        /// The rule.
        rule: usize,
        /// The body literal (an index into the rule's body).
        literal: usize,
        /// The relation read.
        rel: RelId,
    },
}

/// Which relations asynchronous sources reach through rules (the sources included).
pub fn async_fed(kinds: &[RelationKind], rules: &[RuleFlow]) -> Vec<bool> {
    let mut fed: Vec<bool> = kinds.iter().map(|&k| is_async_source(k)).collect();
    let mut queue: VecDeque<RelId> = (0..kinds.len())
        .filter(|&i| fed[i])
        .map(|i| RelId(i as u32))
        .collect();
    while let Some(rel) = queue.pop_front() {
        for rule in rules {
            if !fed[rule.head.index()] && rule.body.iter().any(|b| b.rel == rel) {
                fed[rule.head.index()] = true;
                queue.push_back(rule.head);
            }
        }
    }
    fed
}

/// Why each relation is non-monotone (`None`: it is monotone).
///
/// A relation is non-monotone if a rule deriving it has a non-monotone construct, or
/// reads a non-monotone relation. The causes are found breadth first from the
/// relations with a construct, so that following them from any relation gives a
/// shortest path back to a construct; ties go to the first rule and the first literal
/// in source order, and relations are visited in declaration order.
pub fn causes(relations: usize, rules: &[RuleFlow]) -> Vec<Option<Cause>> {
    let mut cause: Vec<Option<Cause>> = vec![None; relations];
    let mut queue = VecDeque::new();

    // Distance zero: relations derived by a rule with a construct.
    for (index, rule) in rules.iter().enumerate() {
        if rule.non_monotone && cause[rule.head.index()].is_none() {
            cause[rule.head.index()] = Some(Cause::Construct { rule: index });
        }
    }
    queue.extend(
        (0..relations)
            .filter(|&i| cause[i].is_some())
            .map(|i| RelId(i as u32)),
    );

    // Then every relation derived by a rule that reads one already found.
    while let Some(rel) = queue.pop_front() {
        for (index, rule) in rules.iter().enumerate() {
            if cause[rule.head.index()].is_some() {
                continue;
            }
            if let Some(b) = rule.body.iter().find(|b| b.rel == rel) {
                cause[rule.head.index()] = Some(Cause::Reads {
                    rule: index,
                    literal: b.literal,
                    rel,
                });
                queue.push_back(rule.head);
            }
        }
    }
    cause
}

/// One step downstream: rule `rule` reads `from` at body literal `literal` and derives
/// `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The relation read.
    pub from: RelId,
    /// The rule that reads it.
    pub rule: usize,
    /// The body literal that reads it.
    pub literal: usize,
    /// The relation the rule derives.
    pub to: RelId,
}

/// A shortest way downstream from `start` to every relation it reaches: for each
/// relation reached (other than `start`), the hop that first reached it. Ties go to
/// the first rule and literal in source order.
pub fn downstream(relations: usize, rules: &[RuleFlow], start: RelId) -> Vec<Option<Hop>> {
    let mut came_by: Vec<Option<Hop>> = vec![None; relations];
    let mut reached = vec![false; relations];
    reached[start.index()] = true;
    let mut queue = VecDeque::from([start]);
    while let Some(rel) = queue.pop_front() {
        for (index, rule) in rules.iter().enumerate() {
            if reached[rule.head.index()] {
                continue;
            }
            if let Some(b) = rule.body.iter().find(|b| b.rel == rel) {
                reached[rule.head.index()] = true;
                came_by[rule.head.index()] = Some(Hop {
                    from: rel,
                    rule: index,
                    literal: b.literal,
                    to: rule.head,
                });
                queue.push_back(rule.head);
            }
        }
    }
    came_by
}

/// The hops from the start of a [`downstream`] search to `goal`, in order (empty when
/// `goal` is the start or was not reached).
pub fn hops_to(came_by: &[Option<Hop>], goal: RelId) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut at = goal;
    while let Some(hop) = came_by[at.index()] {
        hops.push(hop);
        at = hop.from;
    }
    hops.reverse();
    hops
}
