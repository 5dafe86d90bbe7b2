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
