//! Unit tests of the CALM analysis on small parsed programs (the snapshot tests under
//! `compiler/tests/calm/` cover the rendered reports).

use super::*;
use crate::source::SourceMap;

/// Loads and checks `text`, then analyses it.
fn analysed(text: &str) -> (CheckedProgram, Analysis) {
    let mut sources = SourceMap::new();
    let (items, diagnostics) = crate::load::load_str(&mut sources, "t.hydro", text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let (program, diagnostics) = crate::check::check(&items);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let program = program.expect("checked");
    let analysis = analyze(&program);
    (program, analysis)
}

fn rel(program: &CheckedProgram, name: &str) -> RelId {
    program.relation(name).expect("declared")
}

#[test]
fn negation_of_local_facts_is_not_a_point_of_order() {
    let (program, a) = analysed(
        "table banned(u: u64);
         input user(u: u64);
         output ok(u: u64);
         banned(3).
         ok(u) :- user(u), !banned(u).",
    );
    assert!(!a.rules[0].is_monotone());
    assert_eq!(a.rules[0].points_of_order, [false]);
    assert!(!a.relations[rel(&program, "banned").index()].async_fed);
    assert!(a.relations[rel(&program, "ok").index()].async_fed);
    assert_eq!(a.points_of_order(), 0);
}

#[test]
fn non_monotonicity_follows_the_shortest_path() {
    let (program, a) = analysed(
        "input e(x: u64);
         scratch a(x: u64);
         scratch b(x: u64);
         output c(x: u64);
         a(x) :- e(x), !e(x).
         b(x) :- a(x).
         c(x) :- b(x).
         c(x) :- a(x).",
    );
    let (path, rule) = a.path_back(rel(&program, "c")).expect("non-monotone");
    let names: Vec<&str> = path
        .iter()
        .map(|r| program.relations[r.index()].name.as_str())
        .collect();
    assert_eq!(names, ["c", "a"]);
    assert_eq!(rule, 0);
    assert!(a.path_back(rel(&program, "e")).is_none());
}

#[test]
fn delete_reads_the_deleted_relation_and_the_body() {
    let (program, a) = analysed(
        "table seen(x: u64);
         table gone(x: u64);
         seen(1).
         gone(1).
         delete seen(x) :- gone(x).",
    );
    let c = &a.rules[0].constructs[0];
    assert_eq!(c.kind, ConstructKind::Deletion);
    assert_eq!(c.reads, [rel(&program, "seen"), rel(&program, "gone")]);
    assert_eq!(a.rules[0].points_of_order, [false]);
}

#[test]
fn next_is_not_a_construct_but_carries_async_facts() {
    let (program, a) = analysed(
        "input e(x: u64);
         table seen(x: u64);
         seen(x)@next :- e(x).",
    );
    assert!(a.rules[0].is_monotone());
    assert!(a.relations[rel(&program, "seen").index()].async_fed);
}

/// `program` with a lattice read of `rel` at `span` recorded on rule `rule`, as the type
/// checker records one.
fn with_read(
    mut program: CheckedProgram,
    rule: usize,
    rel: RelId,
    class: hydro_runtime::lattice::Monotonicity,
) -> CheckedProgram {
    let span = program.rules[rule].rule.body[0].span();
    program.rules[rule]
        .lattice_reads
        .push(crate::check::LatticeRead {
            rel,
            span,
            what: "`value` of a `Max<u64>`".to_owned(),
            class,
        });
    program
}

const PEAK: &str = "input reading(s: u64, v: u64);
     table peak(s: u64, v: u64);
     monotone output price(s: u64, v: u64);
     peak(s, v) :- reading(s, v).
     price(s, v) :- peak(s, v).";

#[test]
fn a_non_monotone_lattice_read_is_a_construct_on_its_relation() {
    use hydro_runtime::lattice::Monotonicity;
    let (program, _) = analysed(PEAK);
    let peak = rel(&program, "peak");
    let program = with_read(program, 1, peak, Monotonicity::NonMonotone);
    let a = analyze(&program);
    let c = &a.rules[1].constructs[0];
    assert_eq!(c.kind, ConstructKind::LatticeRead);
    assert_eq!(c.reads, [peak]);
    assert_eq!(c.reason, "`value` of a `Max<u64>`");
    assert_eq!(a.rules[1].points_of_order, [true]);
    assert!(a.relations[rel(&program, "price").index()].cause.is_some());

    // The output was promised monotone: the read breaks the promise.
    let diagnostics = check_promises(&program, &a);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].code,
        crate::diag::Code::BrokenMonotonePromise
    );
    assert_eq!(diagnostics[0].primary.span, c.span);
}

#[test]
fn morphisms_and_monotone_reads_keep_a_rule_monotone() {
    use hydro_runtime::lattice::Monotonicity;
    for class in [Monotonicity::Morphism, Monotonicity::Monotone] {
        let (program, _) = analysed(PEAK);
        let peak = rel(&program, "peak");
        let program = with_read(program, 1, peak, class);
        let a = analyze(&program);
        assert!(a.rules.iter().all(RuleAnalysis::is_monotone), "{class:?}");
        assert!(check_promises(&program, &a).is_empty());
    }
}

#[test]
fn a_lattice_read_labels_its_graph_edge() {
    use hydro_runtime::lattice::Monotonicity;
    let (program, _) = analysed(PEAK);
    let peak = rel(&program, "peak");
    let program = with_read(program, 1, peak, Monotonicity::NonMonotone);
    let drawn = crate::graph::build(&program, &analyze(&program));
    let mermaid = crate::graph::mermaid::render(&drawn);
    assert!(
        mermaid.contains("r_peak -->|\"value of a Max#lt;u64#gt;\"| r_price"),
        "{mermaid}"
    );
    let dot = crate::graph::dot::render(&drawn);
    assert!(
        dot.contains("r_peak -> r_price [label=\"value of a Max<u64>\", color=red"),
        "{dot}"
    );
}
