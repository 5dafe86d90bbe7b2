//! Snapshots of the plans the compiler makes for small programs, rendered as text by
//! `lower::render_plan`: the join order, index keys, filters and delta variants are
//! all visible, so a change of planner shows up in review.

use hydro_compiler::diag::render_plain;
use hydro_compiler::lower::render_plan;
use hydro_runtime::ir::{Arg, Expr, HeadColumn, Plan, Step, Version};

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

/// Checks the IR's contract on every join plan of `plan`: each slot is written once
/// (by a `Bind` or a `Let`) before any step or the head reads it, binds match the
/// column's type, negations bind nothing, and each delta variant starts with the one
/// scan that reads a delta.
fn assert_well_formed(plan: &Plan) {
    for rule in plan.strata.iter().flat_map(|s| &s.rules) {
        let joins = std::iter::once(&rule.full).chain(&rule.deltas);
        for (variant, join) in joins.enumerate() {
            let context = format!("{} (variant {variant})", rule.source);
            let mut written = vec![false; rule.slots.len()];
            let write = |slot: u32, written: &mut Vec<bool>| {
                let slot = slot as usize;
                assert!(slot < written.len(), "{context}: slot {slot} out of range");
                assert!(!written[slot], "{context}: slot {slot} written twice");
                written[slot] = true;
            };
            let deltas = join
                .steps
                .iter()
                .filter(|s| {
                    matches!(
                        s,
                        Step::Scan {
                            version: Version::Delta,
                            ..
                        }
                    )
                })
                .count();
            assert_eq!(deltas, usize::from(variant > 0), "{context}: delta scans");
            if variant > 0 {
                assert!(
                    matches!(
                        join.steps[0],
                        Step::Scan {
                            version: Version::Delta,
                            ..
                        }
                    ),
                    "{context}: the delta scan runs first"
                );
            }
            for step in &join.steps {
                match step {
                    Step::Scan { rel, args, .. } | Step::Absent { rel, args } => {
                        let columns = &plan.relations[rel.index()].columns;
                        assert_eq!(args.len(), columns.len(), "{context}: arity");
                        for (arg, column) in args.iter().zip(columns) {
                            match arg {
                                Arg::Bind(slot) => {
                                    assert!(matches!(step, Step::Scan { .. }), "{context}");
                                    assert_eq!(rule.slots[*slot as usize], column.ty, "{context}");
                                    write(*slot, &mut written);
                                }
                                Arg::Eq(e) => assert_reads_written(e, &written, &context),
                                Arg::Any => {}
                            }
                        }
                    }
                    Step::Filter { lhs, rhs, .. } => {
                        assert_reads_written(lhs, &written, &context);
                        assert_reads_written(rhs, &written, &context);
                    }
                    Step::Let { slot, expr } | Step::Unnest { slot, set: expr } => {
                        assert_reads_written(expr, &written, &context);
                        write(*slot, &mut written);
                    }
                }
            }
            for column in &rule.head.columns {
                match column {
                    HeadColumn::Value(e) | HeadColumn::Aggregate { arg: e, .. } => {
                        assert_reads_written(e, &written, &context)
                    }
                }
            }
            for slot in &rule.head.distinct {
                assert!(written[*slot as usize], "{context}: distinct slot {slot}");
            }
        }
    }
}

fn assert_reads_written(expr: &Expr, written: &[bool], context: &str) {
    match expr {
        Expr::Slot(slot) => assert!(
            written.get(*slot as usize) == Some(&true),
            "{context}: slot {slot} read before it is written"
        ),
        Expr::Const(_) => {}
        Expr::Neg { arg, .. } => assert_reads_written(arg, written, context),
        Expr::Binary { lhs, rhs, .. } => {
            assert_reads_written(lhs, written, context);
            assert_reads_written(rhs, written, context);
        }
        Expr::Call { args, .. } | Expr::Construct { args, .. } => {
            for arg in args {
                assert_reads_written(arg, written, context);
            }
        }
        Expr::Lift { arg, .. } => assert_reads_written(arg, written, context),
    }
}

#[test]
fn every_plan_writes_each_slot_once_before_reading_it() {
    let programs = [
        // Bindings chained in any order, through `=` on either side.
        "input a(x: u64, y: u64);
         output r(x: u64, y: u64, z: u64);
         r(x, y, z) :- w = z + 1, a(x, y), z = v, y * 2 = v, w != x.",
        // Repeated variables and expressions in a recursive atom and its delta.
        "input e(a: i64, b: i64);
         output p(a: i64, b: i64);
         p(x, y) :- e(x, y).
         p(x, y) :- p(x, x), p(y, -x), e(y, y + 1).
         p(x, z) :- p(x, y), p(y, z), !e(z, y - 1), x < z.",
        // Constants only, bindings only, zero columns.
        "output ok();
         output k(n: i64);
         ok() :- 1 < 2.
         k(n) :- n = -3, m = n * n, m > 0.",
        // Aggregates whose argument is an expression, next to negation.
        "input e(a: u64, b: u64, w: f64);
         scratch s(a: u64);
         output t(a: u64, s: f64, c: u64);
         s(a) :- e(a, _, _), !e(_, a, _).
         t(a, sum(w * 2.0), 7) :- e(a, b, w), s(b).",
    ];
    for text in programs {
        let compilation = hydro_compiler::compile_str("test.hydro", text);
        let Some(plan) = &compilation.plan else {
            panic!(
                "the program does not compile:\n{}",
                render_plain(&compilation.sources, &compilation.diagnostics)
            );
        };
        assert_well_formed(plan);
    }
}

#[test]
#[should_panic(expected = "read before it is written")]
fn the_well_formedness_check_catches_a_slot_read_too_early() {
    let compilation = hydro_compiler::compile_str(
        "test.hydro",
        "input a(x: u64); output r(x: u64); r(x) :- a(x), x > 1.",
    );
    let mut plan = compilation.plan.expect("compiles");
    // Move the filter before the scan that binds its slot.
    plan.strata[0].rules[0].full.steps.reverse();
    assert_well_formed(&plan);
}
