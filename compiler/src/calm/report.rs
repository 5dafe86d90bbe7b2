//! The CALM report: the analysis with names, lines and columns, ready to print as text
//! ([`super::render_text`]) or to serialize (the CLI's `--format json`).
//!
//! Every list is in a defined order (relations in declaration order, rules in source
//! order, constructs in source order, relation names sorted by id), and every struct
//! serializes its fields in declaration order, so the JSON is stable.

use hydro_runtime::ir::{RelId, RelationKind};
use serde::Serialize;

use super::{Analysis, Construct, ConstructKind};
use crate::check::CheckedProgram;
use crate::source::{FileId, SourceMap, Span};

/// The CALM report of one program.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalmReport {
    /// The program's file, as named on the command line.
    pub file: String,
    /// Every relation, in declaration order.
    pub relations: Vec<RelationReport>,
    /// Every rule with a body, in source order.
    pub rules: Vec<RuleReport>,
    /// The counts.
    pub summary: Summary,
}

/// Where something is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The file, as named on the command line or relative to the importing file.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column, in characters.
    pub column: usize,
}

/// One relation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelationReport {
    /// The name.
    pub name: String,
    /// `input`, `output`, `table` or `scratch`.
    pub kind: String,
    /// Whether the relation is monotone in the program's inputs.
    pub monotone: bool,
    /// Whether it is an asynchronous source.
    pub async_source: bool,
    /// Whether an asynchronous source reaches it.
    pub async_fed: bool,
    /// Whether its declaration promises that it is monotone.
    pub promised_monotone: bool,
    /// Why it is not monotone.
    pub reason: Option<RelationReason>,
}

/// Why a relation is not monotone: a construct, and the path from it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelationReason {
    /// The relations from the one the construct's rule derives to this one (both
    /// included; just this one when its own rule has the construct).
    pub path: Vec<String>,
    /// The rule with the construct.
    pub rule: Site,
    /// The construct (the rule's first, when it has several).
    pub construct: ConstructReport,
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleReport {
    /// Where the rule starts.
    pub at: Site,
    /// The rule's text, with runs of whitespace as one space.
    pub text: String,
    /// The relation it derives.
    pub head: String,
    /// Whether the rule has no non-monotone construct.
    pub monotone: bool,
    /// Its non-monotone constructs, in source order.
    pub constructs: Vec<ConstructReport>,
    /// The non-monotone relations its positive body atoms read (the rule may be
    /// monotone in them, but what it derives inherits their non-monotonicity).
    pub reads_non_monotone: Vec<String>,
}

/// One non-monotone construct.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConstructReport {
    /// Negation, aggregation, deletion or lattice read.
    pub kind: ConstructKind,
    /// In words: "negation of `edge`".
    pub reason: String,
    /// Where it is written.
    pub at: Site,
    /// The relations it reads non-monotonically.
    pub reads: Vec<String>,
    /// Whether one of them is async-fed, which makes the construct a point of order.
    pub point_of_order: bool,
}

/// The counts of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Rules with a body.
    pub rules: usize,
    /// Of those, the monotone ones.
    pub monotone_rules: usize,
    /// Relations.
    pub relations: usize,
    /// Of those, the monotone ones.
    pub monotone_relations: usize,
    /// Output relations.
    pub outputs: usize,
    /// Of those, the monotone ones.
    pub monotone_outputs: usize,
    /// Non-monotone constructs that read async-fed relations.
    pub points_of_order: usize,
}

/// Builds the report of `program` from its analysis; `sources` gives names, lines and
/// columns.
pub fn report(program: &CheckedProgram, analysis: &Analysis, sources: &SourceMap) -> CalmReport {
    let name = |rel: RelId| program.relations[rel.index()].name.clone();
    let site = |span: Span| {
        let (line, column) = sources.line_column(span);
        Site {
            file: sources.file(span.file).name.clone(),
            line,
            column,
        }
    };
    let construct = |c: &Construct, point_of_order: bool| ConstructReport {
        kind: c.kind,
        reason: c.reason.clone(),
        at: site(c.span),
        reads: c.reads.iter().map(|&r| name(r)).collect(),
        point_of_order,
    };

    // Rules, in source order.
    let rules: Vec<RuleReport> = program
        .rules
        .iter()
        .zip(&analysis.rules)
        .map(|(rule, a)| {
            let mut reads: Vec<RelId> = a
                .body
                .iter()
                .filter(|b| !b.negated)
                .map(|b| b.rel)
                .filter(|r| analysis.relations[r.index()].cause.is_some())
                .collect();
            reads.sort();
            reads.dedup();
            RuleReport {
                at: site(rule.rule.span),
                text: one_line(sources.snippet(rule.rule.span)),
                head: name(rule.head_rel),
                monotone: a.is_monotone(),
                constructs: a
                    .constructs
                    .iter()
                    .zip(&a.points_of_order)
                    .map(|(c, &p)| construct(c, p))
                    .collect(),
                reads_non_monotone: reads.into_iter().map(name).collect(),
            }
        })
        .collect();

    // Relations, in declaration order, each with the path back to its construct.
    let relations: Vec<RelationReport> = program
        .relations
        .iter()
        .zip(&analysis.relations)
        .enumerate()
        .map(|(i, (info, a))| {
            let reason = analysis.path_back(RelId(i as u32)).and_then(|(path, k)| {
                let rule = &analysis.rules[k];
                let first = rule.constructs.first()?;
                Some(RelationReason {
                    path: path.iter().rev().map(|&r| name(r)).collect(),
                    rule: site(program.rules[k].rule.span),
                    construct: construct(first, rule.points_of_order[0]),
                })
            });
            RelationReport {
                name: info.name.clone(),
                kind: info.kind.keyword().to_owned(),
                monotone: a.cause.is_none(),
                async_source: a.async_source,
                async_fed: a.async_fed,
                promised_monotone: info.monotone.is_some(),
                reason,
            }
        })
        .collect();

    let outputs = || {
        relations
            .iter()
            .filter(|r| r.kind == RelationKind::Output.keyword())
    };
    let summary = Summary {
        rules: rules.len(),
        monotone_rules: rules.iter().filter(|r| r.monotone).count(),
        relations: relations.len(),
        monotone_relations: relations.iter().filter(|r| r.monotone).count(),
        outputs: outputs().count(),
        monotone_outputs: outputs().filter(|r| r.monotone).count(),
        points_of_order: analysis.points_of_order(),
    };
    let file = if sources.files().next().is_some() {
        sources.file(FileId(0)).name.clone()
    } else {
        String::new()
    };
    CalmReport {
        file,
        relations,
        rules,
        summary,
    }
}

/// `text` on one line: every run of whitespace becomes one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
