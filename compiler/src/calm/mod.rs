//! The CALM analysis: which rules, relations and outputs are monotone, which
//! non-monotone constructs are points of order, and whether the program keeps its
//! `monotone` promises.
//!
//! By the CALM theorem, a program whose outputs are monotone in its inputs has a
//! consistent, coordination-free distributed implementation: what it derived stays
//! true however late or in whatever order the rest of its input arrives. A
//! non-monotone construct (negation, an aggregate other than `merge`, a deletion, a
//! non-monotone lattice read) breaks that for every relation downstream of it; when it
//! reads what an asynchronous source feeds, its result depends on arrival order, and
//! it is a *point of order*: a place that needs coordination (or sealing).
//!
//! The analysis runs on a [`CheckedProgram`] and returns data:
//! - [`analyze`] gives the [`Analysis`], with spans and relation ids, which the
//!   promise check ([`check_promises`]) and the graph rendering read;
//! - [`report`] turns it into a [`CalmReport`] with names, lines and columns (serde
//!   `Serialize`), which [`render_text`] prints and the CLI also prints as JSON.
//!
//! One concern per file: `constructs` finds the non-monotone constructs of a rule,
//! `flow` follows facts from sources and non-monotonicity downstream, `promise` checks
//! the promises, `report` and `text` present the result.

mod constructs;
mod flow;
mod promise;
mod report;
mod text;

use std::collections::BTreeMap;

use hydro_runtime::ir::RelId;

use crate::check::CheckedProgram;

pub use constructs::{BodyRelation, Construct, ConstructKind};
pub use flow::{is_async_source, Cause};
pub use promise::check_promises;
pub use report::{
    report, CalmReport, ConstructReport, RelationReason, RelationReport, RuleReport, Site, Summary,
};
pub use text::render_text;

/// The CALM analysis of one program.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Per rule (indexed as [`CheckedProgram::rules`]).
    pub rules: Vec<RuleAnalysis>,
    /// Per relation (indexed by [`RelId`]).
    pub relations: Vec<RelationAnalysis>,
}

/// What the analysis found about one rule.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleAnalysis {
    /// The body literals that name relations, in source order.
    pub body: Vec<BodyRelation>,
    /// The rule's non-monotone constructs, in source order; the rule is monotone when
    /// there is none.
    pub constructs: Vec<Construct>,
    /// For each construct: whether it is a point of order (it reads an async-fed
    /// relation non-monotonically).
    pub points_of_order: Vec<bool>,
}

impl RuleAnalysis {
    /// Whether the rule has no non-monotone construct.
    pub fn is_monotone(&self) -> bool {
        self.constructs.is_empty()
    }
}

/// What the analysis found about one relation.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationAnalysis {
    /// Whether the relation is an asynchronous source (an `input`).
    pub async_source: bool,
    /// Whether an asynchronous source reaches it through rules (sources included).
    pub async_fed: bool,
    /// Why it is non-monotone; `None` when it is monotone.
    pub cause: Option<Cause>,
}

impl Analysis {
    /// The way back from a non-monotone relation to the rule with the construct that
    /// makes it so: the relations from `rel` back to the one that rule derives (`rel`
    /// first), and the rule. `None` when `rel` is monotone.
    pub fn path_back(&self, rel: RelId) -> Option<(Vec<RelId>, usize)> {
        let mut path = vec![rel];
        let mut at = rel;
        loop {
            match self.relations[at.index()].cause? {
                Cause::Construct { rule } => return Some((path, rule)),
                Cause::Reads { rel: from, .. } => {
                    // Causes come from a breadth-first search, so they never loop; the
                    // check guards against a bug turning into a hang.
                    if path.contains(&from) {
                        return None;
                    }
                    path.push(from);
                    at = from;
                }
            }
        }
    }

    /// The number of points of order in the program.
    pub fn points_of_order(&self) -> usize {
        self.rules
            .iter()
            .map(|r| r.points_of_order.iter().filter(|&&p| p).count())
            .sum()
    }
}

/// Relation names to ids.
pub(crate) fn relation_ids(program: &CheckedProgram) -> BTreeMap<&str, RelId> {
    program
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), RelId(i as u32)))
        .collect()
}

/// Runs the CALM analysis over a checked program.
pub fn analyze(program: &CheckedProgram) -> Analysis {
    let names = relation_ids(program);
    let relation_name = |rel: RelId| program.relations[rel.index()].name.clone();

    // Each rule's relations and non-monotone constructs.
    let mut rules: Vec<RuleAnalysis> = program
        .rules
        .iter()
        .map(|rule| RuleAnalysis {
            body: constructs::body_relations(&names, &rule.rule),
            constructs: constructs::constructs(&names, &relation_name, rule),
            points_of_order: Vec::new(),
        })
        .collect();

    // Follow facts from the sources, and non-monotonicity from the constructs.
    let flows = rule_flows(program, &rules);
    let kinds: Vec<_> = program.relations.iter().map(|r| r.kind).collect();
    let fed = flow::async_fed(&kinds, &flows);
    let causes = flow::causes(kinds.len(), &flows);
    drop(flows);

    // A construct is a point of order when something it reads is async-fed.
    for rule in &mut rules {
        rule.points_of_order = rule
            .constructs
            .iter()
            .map(|c| c.reads.iter().any(|r| fed[r.index()]))
            .collect();
    }
    let relations = kinds
        .iter()
        .enumerate()
        .map(|(i, &kind)| RelationAnalysis {
            async_source: is_async_source(kind),
            async_fed: fed[i],
            cause: causes[i],
        })
        .collect();
    let analysis = Analysis { rules, relations };
    tracing::debug!(
        points_of_order = analysis.points_of_order(),
        "CALM analysis"
    );
    analysis
}

/// The flow view of the analysed rules, for searches downstream.
pub(crate) fn flows<'a>(
    program: &CheckedProgram,
    analysis: &'a Analysis,
) -> Vec<flow::RuleFlow<'a>> {
    rule_flows(program, &analysis.rules)
}

fn rule_flows<'a>(program: &CheckedProgram, rules: &'a [RuleAnalysis]) -> Vec<flow::RuleFlow<'a>> {
    rules
        .iter()
        .zip(&program.rules)
        .map(|(a, rule)| flow::RuleFlow {
            body: &a.body,
            head: rule.head_rel,
            non_monotone: !a.constructs.is_empty(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
