//! Snapshots of the plans the compiler makes for small programs, rendered as text by
//! `lower::render_plan`: the join order, index keys, filters and delta variants are
//! all visible, so a change of planner shows up in review.

use hydro_compiler::diag::render_plain;
use hydro_compiler::lower::render_plan;

/// Compiles `text` and renders its plan (failing with the diagnostics if any).
fn plan(text: &str) -> String {
    let compilation = hydro_compiler::compile_str("test.hydro", text);
    let Some(plan) = &compilation.plan else {
        panic!(
            "the program does not compile:\n{}",
            render_plain(&compilation.sources, &compilation.diagnostics)
        );
    };
    render_plan(plan)
}

#[test]
fn transitive_closure() {
    insta::assert_snapshot!(plan(
        "
        input  edge(src: u64, dst: u64);
        output path(src: u64, dst: u64);
        edge(1, 2).
        path(x, y) :- edge(x, y).
        path(x, z) :- path(x, y), edge(y, z).
        "
    ));
}

#[test]
fn mutual_recursion_gets_a_delta_variant_per_atom_of_the_stratum() {
    insta::assert_snapshot!(plan(
        "
        input  edge(src: u64, dst: u64);
        output even(src: u64, dst: u64);
        output odd(src: u64, dst: u64);
        odd(x, y) :- edge(x, y).
        even(x, z) :- odd(x, y), edge(y, z).
        odd(x, z) :- even(x, y), edge(y, z).
        both(x) :- even(x, y), odd(x, y), even(y, x).
        scratch both(x: u64);
        "
    ));
}

#[test]
fn negation_with_wildcards() {
    insta::assert_snapshot!(plan(
        "
        input   node(n: u64);
        input   edge(src: u64, dst: u64);
        scratch reach(n: u64);
        output  lonely(n: u64);
        reach(y) :- edge(_, y).
        lonely(x) :- node(x), !edge(x, _), !reach(x).
        "
    ));
}

#[test]
fn aggregates_over_distinct_assignments() {
    insta::assert_snapshot!(plan(
        "
        input  e(src: u64, dst: u64, w: i64);
        output total(src: u64, s: i64);
        output degree(src: u64, n: u64);
        output shortest(src: u64, d: i64);
        total(x, sum(w)) :- e(x, y, w).
        degree(x, count(y)) :- e(x, y, _).
        shortest(x, min(w * 2 - 1)) :- e(x, _, w), w > -5.
        "
    ));
}

#[test]
fn next_and_delete() {
    insta::assert_snapshot!(plan(
        "
        input   add(n: u64);
        input   forget(n: u64);
        table   seen(n: u64);
        scratch frontier(n: u64);
        output  now(n: u64);
        frontier(n) :- add(n), !seen(n).
        seen(n)@next :- frontier(n).
        delete seen(n) :- forget(n).
        now(n) :- seen(n).
        "
    ));
}

#[test]
fn arithmetic_bindings_and_constants() {
    insta::assert_snapshot!(plan(
        "
        input  dist(n: u64, d: u64);
        input  pair(a: u64, b: u64);
        output near(n: u64, y: u64);
        output ok();
        output pos(x: f64);
        near(x, y) :- dist(x, d), d < 10, y = d * 2, y != 4.
        near(a, b) :- pair(a, a + 1), dist(b, 3), pair(b, b).
        ok() :- 1 < 2.
        pos(x) :- x = -2.5 * 2.
        "
    ));
}
