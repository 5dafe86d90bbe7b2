//! Regression tests, each named after what broke, run through the whole pipeline
//! (compile from source, interpret, collect outputs).

use hydro_compiler::compile_str;
use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::value::Const;

/// Compiles `source`, feeds `input` (relation name, tuples) into the first tick, runs to
/// quiescence and returns the tuples of the output relation `output`.
fn run(source: &str, input: &[(&str, Vec<Vec<Const>>)], output: &str) -> Vec<Vec<Const>> {
    let compilation = compile_str("regression.hydro", source);
    let Some(plan) = compilation.plan else {
        let rendered =
            hydro_compiler::diag::render_plain(&compilation.sources, &compilation.diagnostics);
        panic!("the program does not compile:\n{rendered}");
    };
    let mut engine = Interpreter::new(plan);
    for (name, tuples) in input {
        let rel = engine
            .relations()
            .iter()
            .position(|r| r.name == *name)
            .expect("relation");
        for tuple in tuples {
            let rel = hydro_runtime::ir::RelId(rel as u32);
            engine
                .push_input(rel, tuple.clone())
                .expect("well-typed input");
        }
    }
    let report = run_ticks(&mut engine, 100);
    let rel = engine
        .relations()
        .iter()
        .position(|r| r.name == output)
        .expect("output");
    let (_, tuples) = report
        .emitted
        .into_iter()
        .find(|(r, _)| r.index() == rel)
        .expect("emitted");
    tuples
}

fn i64s(values: &[i64]) -> Vec<Vec<Const>> {
    values.iter().map(|&v| vec![Const::I64(v)]).collect()
}

#[test]
fn i64_sum_is_exact_when_only_the_running_total_overflows() {
    let program = "input v(x: i64);\noutput s(t: i64);\ns(sum(x)) :- v(x).\n";
    for (values, expected) in [
        (vec![i64::MAX, 1, -1], Some(i64::MAX)),
        (vec![i64::MAX, -2, 1], Some(i64::MAX - 1)),
        (vec![i64::MIN, 2, -1], Some(i64::MIN + 1)),
        (vec![i64::MAX, 1], None),
        (vec![i64::MIN, -1], None),
    ] {
        let got = run(program, &[("v", i64s(&values))], "s");
        let expected: Vec<Vec<Const>> = expected.into_iter().map(|v| vec![Const::I64(v)]).collect();
        assert_eq!(got, expected, "sum of {values:?}");
    }
}

#[test]
fn i64_min_remainder_minus_one_is_zero() {
    let program = "input v(x: i64);\noutput r(x: i64, m: i64);\nr(x, m) :- v(x), m = x % -1.\n";
    let got = run(program, &[("v", i64s(&[i64::MIN, 7]))], "r");
    assert_eq!(
        got,
        vec![
            vec![Const::I64(i64::MIN), Const::I64(0)],
            vec![Const::I64(7), Const::I64(0)]
        ]
    );

    // The same arithmetic folded in a fact.
    let fact = "output o(x: i64);\no((-9223372036854775807 - 1) % -1).\n";
    assert_eq!(run(fact, &[], "o"), i64s(&[0]));
}

#[test]
fn float_arithmetic_that_leaves_the_finite_range_derives_nothing() {
    let program = "input v(x: f64);\noutput r(x: f64, y: f64);\nr(x, y) :- v(x), y = x * x.\n";
    let got = run(
        program,
        &[("v", vec![vec![Const::F64(1e300)], vec![Const::F64(3.0)]])],
        "r",
    );
    assert_eq!(got, vec![vec![Const::F64(3.0), Const::F64(9.0)]]);

    let sum = "input v(x: f64);\noutput s(t: f64);\ns(sum(x)) :- v(x).\n";
    let huge = vec![vec![Const::F64(f64::MAX)], vec![Const::F64(f64::MAX / 2.0)]];
    assert_eq!(run(sum, &[("v", huge)], "s"), Vec::<Vec<Const>>::new());
}

#[test]
fn float_sums_do_not_depend_on_the_order_of_facts() {
    let program = |facts: &str| {
        format!("table e(name: string, w: f64);\n{facts}\noutput total(s: f64);\ntotal(sum(w)) :- e(n, w).\n")
    };
    let orders = [
        "e(\"a\", 1e16). e(\"c\", -1e16). e(\"b\", 1.0).",
        "e(\"b\", 1.0). e(\"a\", 1e16). e(\"c\", -1e16).",
        "e(\"c\", -1e16). e(\"b\", 1.0). e(\"a\", 1e16).",
    ];
    let results: Vec<_> = orders
        .iter()
        .map(|facts| run(&program(facts), &[], "total"))
        .collect();
    assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:?}");

    // Ascending order keeps a finite total from overflowing on the way.
    let wide = "e(\"a\", 1e308). e(\"b\", 1.5e308). e(\"c\", -1e308).";
    assert_eq!(
        run(&program(wide), &[], "total"),
        vec![vec![Const::F64(1.5e308)]]
    );
}

/// Strata that write only tables are skipped in ticks where nothing they read changed;
/// every change (new input, `delete`, `@next`) must still reach them.
#[test]
fn table_strata_see_every_change_across_ticks() {
    let source = "\
input edge(src: u64, dst: u64);
input cut(src: u64, dst: u64);
table link(src: u64, dst: u64);
table path(src: u64, dst: u64);
output reach(src: u64, dst: u64);
link(x, y) :- edge(x, y).
delete link(x, y) :- cut(x, y).
path(x, y) :- link(x, y).
path(x, z) :- path(x, y), link(y, z).
reach(x, y) :- path(x, y).
";
    let plan = compile_str("ticks.hydro", source)
        .plan
        .expect("the program compiles");
    let mut engine = Interpreter::new(plan);
    let rel = |engine: &Interpreter, name: &str| {
        let index = engine
            .relations()
            .iter()
            .position(|r| r.name == name)
            .expect("relation");
        hydro_runtime::ir::RelId(index as u32)
    };
    let pair = |a: u64, b: u64| vec![Const::U64(a), Const::U64(b)];
    let reach_after = |engine: &mut Interpreter, edges: &[(u64, u64)], cuts: &[(u64, u64)]| {
        for &(a, b) in edges {
            engine
                .push_input(rel(engine, "edge"), pair(a, b))
                .expect("input");
        }
        for &(a, b) in cuts {
            engine
                .push_input(rel(engine, "cut"), pair(a, b))
                .expect("input");
        }
        let reach = rel(engine, "reach");
        let mut tuples = engine
            .tick()
            .outputs
            .into_iter()
            .find(|(r, _)| *r == reach)
            .map(|(_, t)| t)
            .unwrap_or_default();
        tuples.sort();
        tuples
    };

    assert_eq!(reach_after(&mut engine, &[(1, 2)], &[]), vec![pair(1, 2)]);
    // Nothing changes: the same closure (possibly without re-deriving it).
    assert_eq!(reach_after(&mut engine, &[], &[]), vec![pair(1, 2)]);
    assert_eq!(reach_after(&mut engine, &[], &[]), vec![pair(1, 2)]);
    // New input after quiet ticks extends the closure.
    assert_eq!(
        reach_after(&mut engine, &[(2, 3)], &[]),
        vec![pair(1, 2), pair(1, 3), pair(2, 3)]
    );
    // A delete scheduled now takes effect next tick; `path` is a table and keeps what
    // it derived, but `link` loses the edge.
    assert_eq!(reach_after(&mut engine, &[], &[(1, 2)]).len(), 3);
    assert_eq!(reach_after(&mut engine, &[(3, 4)], &[]).len(), 6);
}

/// A constructor in a fact took a lattice argument given as a scalar (`map("a", 3)`
/// into a `Map<string, Max<u64>>`) as a scalar, and built no value; and `_` in a
/// `Map` or `Pair` column of a body atom was taken for a value that must lift.
#[test]
fn constructors_in_facts_lift_nested_values() {
    let source = "table m(k: u64, v: Map<string, Max<u64>>);
        table p(k: u64, v: Pair<Max<u64>, Min<u64>>);
        output shown(k: u64, m: string, p: string);
        m(1, map(\"a\", 3)).
        m(1, map(\"a\", 5)).
        m(1, map(\"b\", 1)).
        p(1, pair(1, 2)).
        p(1, pair(0, 1)).
        shown(k, \"m\", \"p\") :- m(k, _), p(k, _).";
    assert_eq!(run(source, &[], "shown").len(), 1);
    let text = |relation: &str| {
        let source = format!(
            "{source}\noutput all(k: u64, v: {ty});\nall(k, v) :- {relation}(k, v).",
            ty = if relation == "m" {
                "Map<string, Max<u64>>"
            } else {
                "Pair<Max<u64>, Min<u64>>"
            }
        );
        run(&source, &[], "all")[0][1].to_string()
    };
    assert_eq!(text("m"), r#"{"a":5,"b":1}"#);
    assert_eq!(text("p"), "[1,1]");
}

/// A `causal(...)` fact found no `VClock` type to build its clock argument with when
/// the program named no `VClock` itself.
#[test]
fn causal_facts_build_their_clock() {
    let source = "table e(k: u64, s: Causal<string>);
        output o(k: u64, v: string);
        e(1, causal(vclock(\"a\", 1), \"x\")).
        e(1, causal(vclock(\"b\", 1), \"y\")).
        e(1, causal(vclock(\"a\", 2), \"z\")).
        o(k, v) :- e(k, s), v in values(s).";
    let values: Vec<String> = run(source, &[], "o")
        .iter()
        .map(|t| t[1].to_string())
        .collect();
    assert_eq!(values, ["y", "z"]);
}

/// A constructor of integer literals only (`set(5)`) had no type: `x in set(5)` and
/// `size(set(5))` were rejected.
#[test]
fn constructors_of_integer_literals_have_a_type() {
    let source = "input i(k: u64, v: u64);
        output a(k: u64);
        output b(k: u64);
        a(k) :- i(k, v), v in set(5).
        b(k) :- i(k, _), size(set(5)) >= 1.";
    let input = [(
        "i",
        vec![
            vec![Const::U64(1), Const::U64(5)],
            vec![Const::U64(2), Const::U64(6)],
        ],
    )];
    assert_eq!(run(source, &input, "a"), [vec![Const::U64(1)]]);
    assert_eq!(run(source, &input, "b").len(), 2);
}

/// A variable bound to a call (`n = value(a)`, `z = size(v)`) was typed as an integer
/// constant (`i64`) instead of taking the call's type.
#[test]
fn variables_bound_to_calls_take_the_call_type() {
    let source = "input e(k: string, n: u64);
        table mx(k: string, v: Max<u64>);
        table s(k: string, v: Set<u64>);
        output o(k: string);
        output p(k: string);
        mx(k, n) :- e(k, n).
        s(k, n) :- e(k, n).
        o(k) :- mx(k, a), n = value(a), n > 3.
        p(k) :- s(k, v), z = size(v), z >= 2.";
    let input = [(
        "e",
        vec![
            vec![Const::String("a".into()), Const::U64(5)],
            vec![Const::String("a".into()), Const::U64(3)],
            vec![Const::String("b".into()), Const::U64(1)],
        ],
    )];
    assert_eq!(run(source, &input, "o"), [vec![Const::String("a".into())]]);
    assert_eq!(run(source, &input, "p"), [vec![Const::String("a".into())]]);
}
