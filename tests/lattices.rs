//! Lattice programs through the whole pipeline: semi-naive evaluation agrees with naive
//! evaluation on every lattice program, and with an independent computation where one
//! is easy to write (shortest paths by Bellman-Ford, reachable sets by search).
//!
//! Each case is one of a handful of program shapes (recursion through `Min`, `Max`,
//! `Set`, `Bool`, `Map` and `Counter` columns, thresholds, `in`, `size`) run over a
//! random weighted graph with cycles. Last, lattices written in Rust (`extern lattice`).

use std::collections::{BTreeMap, BTreeSet};

use hydro_compiler::{compile_str, diag::render_plain};
use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::ir::{Plan, RelationKind};
use hydro_runtime::lattice::{ExternValue, Externs, LatticeType, LatticeValue, Merge};
use hydro_runtime::value::Const;
use proptest::prelude::*;

/// The program shapes, each reading `edge(src, dst, w)`.
const PROGRAMS: [&str; 6] = [
    // Shortest paths from node 0: recursion through a `Min`.
    "input edge(src: u64, dst: u64, w: u64);
     table dist(node: u64, d: Min<u64>);
     output shortest(node: u64, d: Min<u64>);
     output near(node: u64);
     dist(0, 0).
     dist(y, d + w) :- dist(x, d), edge(x, y, w).
     shortest(n, d) :- dist(n, d).
     near(n) :- dist(n, d), d <= 6.",
    // The greatest weight on an edge reachable from each node: through a `Max`.
    "input edge(src: u64, dst: u64, w: u64);
     table best(node: u64, m: Max<u64>);
     output heaviest(node: u64, m: u64);
     best(x, w) :- edge(x, _, w).
     best(x, m) :- edge(x, y, _), best(y, m).
     heaviest(n, value(m)) :- best(n, m).",
    // The set of nodes reachable from each node: through a `Set`, read with `in`,
    // `size` and `contains`.
    "input edge(src: u64, dst: u64, w: u64);
     table reach(node: u64, s: Set<u64>);
     output reachable(node: u64, other: u64);
     output hub(node: u64);
     output loop(node: u64);
     reach(x, y) :- edge(x, y, _).
     reach(x, s) :- edge(x, y, _), reach(y, s).
     reachable(x, y) :- reach(x, s), y in s.
     hub(x) :- reach(x, s), size(s) >= 4.
     loop(x) :- reach(x, s), contains(s, x).",
    // Whether node 0 reaches each node: through a `Bool`.
    "input edge(src: u64, dst: u64, w: u64);
     table on(node: u64, b: Bool);
     output lit(node: u64);
     on(0, true).
     on(y, b) :- on(x, b), edge(x, y, _).
     lit(n) :- on(n, b), b = true.",
    // Per node, the greatest weight entering it from each source, merged through
    // paths: a `Map` of `Max`, read with `get` and `keys`.
    "input edge(src: u64, dst: u64, w: u64);
     table seen(node: u64, m: Map<u64, Max<u64>>);
     output via(node: u64, src: u64);
     output heavy(node: u64, src: u64);
     seen(y, map(x, w)) :- edge(x, y, w).
     seen(z, m) :- seen(y, m), edge(y, z, _).
     via(n, s) :- seen(n, m), s in keys(m).
     heavy(n, s) :- seen(n, m), s in keys(m), get(m, s) >= 7.",
    // A grow-only counter per node, one writer per source node: through a `Counter`.
    "input edge(src: u64, dst: u64, w: u64);
     input name(node: u64, writer: string);
     table count(node: u64, c: Counter);
     output totals(node: u64, t: u64);
     count(y, counter(n, w)) :- edge(x, y, w), name(x, n).
     count(z, c) :- count(y, c), edge(y, z, _).
     totals(n, value(c)) :- count(n, c).",
];

/// A random weighted graph over nodes `0..8`, cycles and self-loops included.
fn graphs() -> impl Strategy<Value = Vec<(u64, u64, u64)>> {
    prop::collection::vec((0u64..8, 0u64..8, 0u64..10), 0..20)
}

/// Compiles a program or fails with its rendered diagnostics.
fn compile(text: &str) -> Plan {
    let compilation = compile_str("lattices.hydro", text);
    let rendered = render_plain(&compilation.sources, &compilation.diagnostics);
    compilation
        .plan
        .unwrap_or_else(|| panic!("the program compiles:\n{text}\n{rendered}"))
}

/// Every output tuple of a run to quiescence, by relation name, as text.
type Outputs = BTreeMap<String, BTreeSet<Vec<String>>>;

/// Runs `plan` (naively when `naive`) over `edges` to quiescence.
fn run(plan: Plan, edges: &[(u64, u64, u64)], naive: bool) -> Outputs {
    let mut engine = Interpreter::new(plan);
    if naive {
        engine = engine.naive();
    }
    let relation = |name: &str| {
        let rels = engine.relations();
        rels.iter()
            .position(|r| r.name == name && r.kind == RelationKind::Input)
            .map(|i| hydro_runtime::ir::RelId(i as u32))
    };
    let (edge, name) = (relation("edge"), relation("name"));
    for &(src, dst, w) in edges {
        let tuple = vec![Const::U64(src), Const::U64(dst), Const::U64(w)];
        engine
            .push_input(edge.expect("edge"), tuple)
            .expect("an edge");
    }
    if let Some(name) = name {
        for node in 0..8u64 {
            let tuple = vec![Const::U64(node), Const::String(format!("w{node}"))];
            engine.push_input(name, tuple).expect("a name");
        }
    }
    let report = run_ticks(&mut engine, 10);
    assert!(report.quiescent, "lattice programs over fixed input settle");
    let mut outputs = Outputs::new();
    for (rel, tuples) in report.emitted {
        let name = engine.relations()[rel.index()].name.clone();
        let rows = tuples
            .into_iter()
            .map(|t| t.iter().map(ToString::to_string).collect())
            .collect();
        outputs.insert(name, rows);
    }
    outputs
}

/// Shortest distances from node 0 (Bellman-Ford).
fn bellman_ford(edges: &[(u64, u64, u64)]) -> BTreeMap<u64, u64> {
    let mut dist = BTreeMap::from([(0u64, 0u64)]);
    for _ in 0..8 {
        for &(src, dst, w) in edges {
            if let Some(&d) = dist.get(&src) {
                let entry = dist.entry(dst).or_insert(u64::MAX);
                *entry = (*entry).min(d + w);
            }
        }
    }
    dist
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Semi-naive and naive evaluation derive the same outputs on every lattice
    /// program.
    #[test]
    fn semi_naive_agrees_with_naive(program in 0..PROGRAMS.len(), edges in graphs()) {
        let plan = compile(PROGRAMS[program]);
        let semi = run(plan.clone(), &edges, false);
        let naive = run(plan, &edges, true);
        prop_assert_eq!(semi, naive, "program:\n{}\nedges: {:?}", PROGRAMS[program], edges);
    }

    /// Shortest paths through a `Min` column are Bellman-Ford's, on cyclic graphs.
    #[test]
    fn min_lattice_computes_shortest_paths(edges in graphs()) {
        let outputs = run(compile(PROGRAMS[0]), &edges, false);
        let expected: BTreeSet<Vec<String>> = bellman_ford(&edges)
            .into_iter()
            .map(|(n, d)| vec![n.to_string(), d.to_string()])
            .collect();
        let actual = outputs.get("shortest").cloned().unwrap_or_default();
        prop_assert_eq!(actual, expected, "edges: {:?}", edges);
    }

    /// Reachable sets through a `Set` column are a graph search's.
    #[test]
    fn set_lattice_computes_reachability(edges in graphs()) {
        let outputs = run(compile(PROGRAMS[2]), &edges, false);
        let mut expected = BTreeSet::new();
        for start in 0..8u64 {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<u64> = edges.iter().filter(|e| e.0 == start).map(|e| e.1).collect();
            while let Some(n) = stack.pop() {
                if seen.insert(n) {
                    stack.extend(edges.iter().filter(|e| e.0 == n).map(|e| e.1));
                }
            }
            for n in seen {
                expected.insert(vec![start.to_string(), n.to_string()]);
            }
        }
        let actual = outputs.get("reachable").cloned().unwrap_or_default();
        prop_assert_eq!(actual, expected, "edges: {:?}", edges);
    }
}

/// The acceptance case: shortest paths on a cyclic graph through a `Min` lattice are
/// accepted and converge in one tick.
#[test]
fn shortest_paths_on_a_cycle_converge() {
    let edges = [
        (0, 1, 4),
        (1, 2, 1),
        (2, 0, 1),
        (0, 2, 7),
        (2, 3, 2),
        (3, 1, 1),
    ];
    let outputs = run(compile(PROGRAMS[0]), &edges, false);
    let shortest: Vec<String> = outputs["shortest"].iter().map(|r| r.join(" ")).collect();
    assert_eq!(shortest, ["0 0", "1 4", "2 5", "3 7"]);
    let near: Vec<String> = outputs["near"].iter().map(|r| r.join(" ")).collect();
    assert_eq!(near, ["0", "1", "2"]);
}

/// A lattice written in Rust: the smallest interval holding every value seen.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Hull {
    lo: u64,
    hi: u64,
}

impl Merge for Hull {
    fn merge(&mut self, other: Hull) -> bool {
        let grown = Hull {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        };
        let changed = grown != *self;
        *self = grown;
        changed
    }
}

/// An `extern lattice` bound to a Rust type: values merge with the type's own merge,
/// and `value(x)` reads their JSON text.
#[test]
fn extern_lattices_merge_with_their_rust_type() {
    let text = "extern lattice Hull;
        input sample(k: string, h: Hull);
        table hull(k: string, h: Hull);
        output shown(k: string, text: string);
        hull(k, h) :- sample(k, h).
        shown(k, value(h)) :- hull(k, h).";
    let plan = compile(text);
    let hull_type = plan
        .lattices
        .iter()
        .find(|(_, t)| matches!(t, LatticeType::Extern(name) if name == "Hull"))
        .map(|(id, _)| id)
        .expect("the program names `Hull`");
    let mut externs = Externs::new();
    externs.register::<Hull>("Hull");
    let mut engine = Interpreter::with_externs(plan, externs);
    let sample = hydro_runtime::ir::RelId(0);
    for (k, lo, hi) in [("a", 5, 7), ("a", 2, 3), ("b", 1, 1), ("a", 6, 9)] {
        let hull = ExternValue::from_typed("Hull", &Hull { lo, hi }).expect("encodes");
        let value = Const::Lattice {
            ty: hull_type,
            value: Box::new(LatticeValue::Extern(hull)),
        };
        engine
            .push_input(sample, vec![Const::String(k.into()), value])
            .expect("a sample");
    }
    let report = run_ticks(&mut engine, 10);
    let shown: Vec<String> = report.emitted[0]
        .1
        .iter()
        .map(|t| format!("{} {}", t[0], t[1]))
        .collect();
    assert_eq!(shown, [r#"a {"hi":9,"lo":2}"#, r#"b {"hi":1,"lo":1}"#]);
}

/// Without the Rust type, `hydro run` refuses a program with an extern lattice.
#[test]
fn hydro_run_refuses_extern_lattices() {
    let dir = std::env::temp_dir().join(format!("hydro-extern-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let program = dir.join("p.hydro");
    std::fs::write(
        &program,
        "extern lattice Hull;\ntable t(k: u64, h: Hull);\n",
    )
    .expect("written");
    let output = std::process::Command::new(hydro_tests::hydro_bin())
        .arg("run")
        .arg(&program)
        .output()
        .expect("hydro runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("extern lattice `Hull`"), "{stderr}");
}

/// An `@next` value that the lattice already covers changes nothing, so the run
/// settles; so does deleting a value and putting it back at the same boundary.
#[test]
fn covered_next_values_leave_the_run_quiescent() {
    for rules in [
        "m(\"a\", 3)@next :- m(\"a\", _).",
        "delete m(\"a\", x) :- m(\"a\", x).\n m(\"a\", x)@next :- m(\"a\", x).",
        "s(\"a\", 2)@next :- s(\"a\", _).",
    ] {
        let text = format!(
            "table m(k: string, v: Max<u64>);
             table s(k: string, v: Set<u64>);
             output o(k: string, v: Max<u64>);
             m(\"a\", 5).
             s(\"a\", 2).
             {rules}
             o(k, v) :- m(k, v)."
        );
        let mut engine = Interpreter::new(compile(&text));
        let report = run_ticks(&mut engine, 20);
        assert!(
            report.quiescent && report.ticks <= 3,
            "{rules}: {} ticks",
            report.ticks
        );
    }
    // A value that grows the lattice is a change, and the next tick sees it.
    let text = "table m(k: string, v: Max<u64>);
        output o(k: string, v: Max<u64>);
        m(\"a\", 5).
        m(\"a\", 7)@next :- m(\"a\", _).
        o(k, v) :- m(k, v).";
    let mut engine = Interpreter::new(compile(text));
    let report = run_ticks(&mut engine, 20);
    let shown: Vec<String> = report.emitted[0]
        .1
        .iter()
        .map(|t| t[1].to_string())
        .collect();
    assert_eq!(shown, ["5", "7"]);
    assert!(report.quiescent);
}

/// A lattice that grows every tick stores a new value each time; the values nothing
/// holds any more are freed between ticks and their words reused, which must never
/// change a result.
#[test]
fn long_runs_free_old_lattice_values_without_changing_results() {
    let text = "table n(k: u64, v: Max<u64>);
        table seen(k: u64, s: Set<u64>);
        output last(k: u64, v: u64, size: u64);
        n(1, 0).
        n(k, value(v) + 1)@next :- n(k, v), v < 3000.
        seen(k, value(v)) :- n(k, v).
        last(k, value(v), value(size(s))) :- n(k, v), seen(k, s), v >= 3000.";
    let mut engine = Interpreter::new(compile(text));
    let report = run_ticks(&mut engine, 5000);
    assert!(report.quiescent);
    let last: Vec<String> = report.emitted[0]
        .1
        .iter()
        .map(|t| format!("{} {}", t[1], t[2]))
        .collect();
    assert_eq!(last, ["3000 3001"]);
}

/// A lattice constant whose value does not have its type's shape is refused at input,
/// like a value of the wrong type.
#[test]
fn input_lattice_values_must_have_their_type_shape() {
    let plan = compile("input i(k: u64, v: Max<u64>);\noutput o(k: u64);\no(k) :- i(k, _).");
    let max = plan
        .lattices
        .iter()
        .next()
        .map(|(id, _)| id)
        .expect("the Max type");
    let mut engine = Interpreter::new(plan);
    let set = LatticeValue::Set(hydro_runtime::lattice::Set::singleton(Const::U64(1)));
    let tuple = vec![
        Const::U64(1),
        Const::Lattice {
            ty: max,
            value: Box::new(set),
        },
    ];
    let refused = engine.push_input(hydro_runtime::ir::RelId(0), tuple);
    assert!(refused.is_err(), "{refused:?}");
}
