//! Joins, recursion and negation: transitive closure in three shapes, negation across
//! strata, repeated variables, constants in scans, `Let` and filters, strings, floats.

use std::collections::BTreeSet;

use hydro_runtime::engine::{InputError, Interpreter, TickEngine};
use hydro_runtime::ir::{ArithOp, CmpOp, Plan, RelId, RelationKind, Step};
use hydro_runtime::value::ColumnType;

use crate::support::*;

/// How the recursive rule of transitive closure is written.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// `path(x, z) :- path(x, y), edge(y, z).`
    Left,
    /// `path(x, z) :- edge(x, y), path(y, z).`
    Right,
    /// `path(x, z) :- path(x, y), path(y, z).`
    Doubling,
}

/// `edge` (input, relation 0) and `path` (output, relation 1), with
/// `path(x, y) :- edge(x, y).` and the recursive rule in `shape`.
pub fn transitive_closure(shape: Shape) -> Plan {
    let slots = vec![U64, U64, U64];
    let base = rule(
        "path(x, y) :- edge(x, y).",
        slots.clone(),
        head(1, vec![slot(0), slot(1)]),
        vec![scan(0, vec![bind(0), bind(1)])],
        vec![],
    );
    let (source, full, deltas): (&str, Vec<Step>, Vec<Vec<Step>>) = match shape {
        Shape::Left => (
            "path(x, z) :- path(x, y), edge(y, z).",
            vec![
                scan(1, vec![bind(0), bind(1)]),
                scan(0, vec![eq(1), bind(2)]),
            ],
            vec![vec![
                delta(1, vec![bind(0), bind(1)]),
                scan(0, vec![eq(1), bind(2)]),
            ]],
        ),
        Shape::Right => (
            "path(x, z) :- edge(x, y), path(y, z).",
            vec![
                scan(0, vec![bind(0), bind(1)]),
                scan(1, vec![eq(1), bind(2)]),
            ],
            vec![vec![
                scan(0, vec![bind(0), bind(1)]),
                delta(1, vec![eq(1), bind(2)]),
            ]],
        ),
        Shape::Doubling => (
            "path(x, z) :- path(x, y), path(y, z).",
            vec![
                scan(1, vec![bind(0), bind(1)]),
                scan(1, vec![eq(1), bind(2)]),
            ],
            vec![
                vec![
                    delta(1, vec![bind(0), bind(1)]),
                    scan(1, vec![eq(1), bind(2)]),
                ],
                vec![
                    scan(1, vec![bind(0), bind(1)]),
                    delta(1, vec![eq(1), bind(2)]),
                ],
            ],
        ),
    };
    let step = rule(source, slots, head(1, vec![slot(0), slot(2)]), full, deltas);
    Plan {
        lattices: Default::default(),
        relations: vec![
            relation("edge", RelationKind::Input, &[U64, U64]),
            relation("path", RelationKind::Output, &[U64, U64]),
        ],
        facts: vec![],
        strata: vec![stratum(&[1], true, vec![base, step])],
    }
}

/// The transitive closure of `edges`, by naive iteration to a fixpoint.
pub fn naive_closure(edges: &[(u64, u64)]) -> BTreeSet<(u64, u64)> {
    let mut path: BTreeSet<(u64, u64)> = edges.iter().copied().collect();
    loop {
        let next: BTreeSet<(u64, u64)> = path
            .iter()
            .flat_map(|&(x, y)| {
                edges
                    .iter()
                    .filter(move |e| e.0 == y)
                    .map(move |e| (x, e.1))
            })
            .chain(path.iter().copied())
            .collect();
        if next.len() == path.len() {
            return path;
        }
        path = next;
    }
}

/// Runs transitive closure of `shape` over `edges` for one tick.
pub fn closure_of(shape: Shape, edges: &[(u64, u64)]) -> BTreeSet<(u64, u64)> {
    let input: Vec<_> = edges.iter().map(|&(a, b)| vec![u(a), u(b)]).collect();
    let out = run_once(transitive_closure(shape), &[(0, input)]);
    out[0]
        .1
        .iter()
        .map(|t| match t.as_slice() {
            [hydro_runtime::value::Const::U64(a), hydro_runtime::value::Const::U64(b)] => (*a, *b),
            other => panic!("unexpected path tuple {other:?}"),
        })
        .collect()
}

#[test]
fn transitive_closure_in_every_shape() {
    let edges = [(1, 2), (2, 3), (3, 4), (4, 2), (5, 5)];
    let expected: BTreeSet<(u64, u64)> = [
        (1, 2),
        (1, 3),
        (1, 4),
        (2, 2),
        (2, 3),
        (2, 4),
        (3, 2),
        (3, 3),
        (3, 4),
        (4, 2),
        (4, 3),
        (4, 4),
        (5, 5),
    ]
    .into_iter()
    .collect();
    assert_eq!(naive_closure(&edges), expected);
    for shape in [Shape::Left, Shape::Right, Shape::Doubling] {
        assert_eq!(closure_of(shape, &edges), expected, "{shape:?}");
    }
}

#[test]
fn long_chain_needs_many_iterations() {
    let edges: Vec<(u64, u64)> = (0..200).map(|i| (i, i + 1)).collect();
    for shape in [Shape::Left, Shape::Right, Shape::Doubling] {
        let closure = closure_of(shape, &edges);
        assert_eq!(closure.len(), 201 * 200 / 2, "{shape:?}");
        assert!(closure.contains(&(0, 200)));
        assert!(!closure.contains(&(200, 0)));
    }
}

/// `node` 0, `edge` 1 (inputs); `has_out` 2 (scratch, stratum 0); outputs `lonely` 3,
/// `lonely_direct` 4, `one_way` 5, `no_edges` 6 (zero columns).
fn negation_plan() -> Plan {
    let one = vec![U64];
    let two = vec![U64, U64];
    Plan {
        lattices: Default::default(),
        relations: vec![
            relation("node", RelationKind::Input, &[U64]),
            relation("edge", RelationKind::Input, &[U64, U64]),
            relation("has_out", RelationKind::Scratch, &[U64]),
            relation("lonely", RelationKind::Output, &[U64]),
            relation("lonely_direct", RelationKind::Output, &[U64]),
            relation("one_way", RelationKind::Output, &[U64, U64]),
            relation("no_edges", RelationKind::Output, &[]),
        ],
        facts: vec![],
        strata: vec![
            stratum(
                &[2],
                false,
                vec![rule(
                    "has_out(x) :- edge(x, _).",
                    one.clone(),
                    head(2, vec![slot(0)]),
                    vec![scan(1, vec![bind(0), any()])],
                    vec![],
                )],
            ),
            stratum(
                &[3, 4, 5, 6],
                false,
                vec![
                    rule(
                        "lonely(x) :- node(x), !has_out(x).",
                        one.clone(),
                        head(3, vec![slot(0)]),
                        vec![scan(0, vec![bind(0)]), absent(2, vec![eq(0)])],
                        vec![],
                    ),
                    rule(
                        "lonely_direct(x) :- node(x), !edge(x, _).",
                        one,
                        head(4, vec![slot(0)]),
                        vec![scan(0, vec![bind(0)]), absent(1, vec![eq(0), any()])],
                        vec![],
                    ),
                    rule(
                        "one_way(x, y) :- edge(x, y), !edge(y, x).",
                        two,
                        head(5, vec![slot(0), slot(1)]),
                        vec![
                            scan(1, vec![bind(0), bind(1)]),
                            absent(1, vec![eq(1), eq(0)]),
                        ],
                        vec![],
                    ),
                    rule(
                        "no_edges() :- !edge(_, _).",
                        vec![],
                        head(6, vec![]),
                        vec![absent(1, vec![any(), any()])],
                        vec![],
                    ),
                ],
            ),
        ],
    }
}

#[test]
fn negation_reads_completed_lower_strata() {
    let nodes = rows(&[&[1], &[2], &[3], &[4]]);
    let edges = rows(&[&[1, 2], &[2, 1], &[2, 3]]);
    let out = run_once(negation_plan(), &[(0, nodes.clone()), (1, edges)]);
    assert_eq!(out[0].1, rows(&[&[3], &[4]]), "lonely");
    assert_eq!(out[1].1, rows(&[&[3], &[4]]), "lonely_direct");
    assert_eq!(out[2].1, rows(&[&[2, 3]]), "one_way");
    assert!(out[3].1.is_empty(), "no_edges with edges present");

    let out = run_once(negation_plan(), &[(0, nodes)]);
    assert_eq!(out[3].1, vec![Vec::new()], "no_edges() holds once");
    assert_eq!(out[0].1.len(), 4);
}

/// `edge` 0 (input); `loops` 1 and `from_one` 2 (outputs).
#[test]
fn repeated_variables_and_constants_in_scans() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("edge", RelationKind::Input, &[U64, U64]),
            relation("loops", RelationKind::Output, &[U64]),
            relation("from_one", RelationKind::Output, &[U64]),
        ],
        facts: vec![],
        strata: vec![stratum(
            &[1, 2],
            false,
            vec![
                rule(
                    "loops(x) :- edge(x, x).",
                    vec![U64, U64],
                    head(1, vec![slot(0)]),
                    vec![
                        scan(0, vec![bind(0), bind(1)]),
                        filter(CmpOp::Eq, U64, slot(0), slot(1)),
                    ],
                    vec![],
                ),
                rule(
                    "from_one(y) :- edge(1, y).",
                    vec![U64],
                    head(2, vec![slot(0)]),
                    vec![scan(0, vec![eq_const(u(1)), bind(0)])],
                    vec![],
                ),
            ],
        )],
    };
    let edges = rows(&[&[1, 1], &[1, 2], &[2, 2], &[3, 1], &[1, 5]]);
    let out = run_once(plan, &[(0, edges)]);
    assert_eq!(out[0].1, rows(&[&[1], &[2]]));
    assert_eq!(out[1].1, rows(&[&[1], &[2], &[5]]));
}

/// `r(x: u64, d: u64)` 0 (input); outputs `ratio` 1, `product` 2, `shifted` 3.
#[test]
fn failed_arithmetic_drops_the_assignment() {
    let two = vec![U64, U64, U64];
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("r", RelationKind::Input, &[U64, U64]),
            relation("ratio", RelationKind::Output, &[U64, U64]),
            relation("product", RelationKind::Output, &[U64, U64]),
            relation("shifted", RelationKind::Output, &[U64]),
        ],
        facts: vec![],
        strata: vec![stratum(
            &[1, 2, 3],
            false,
            vec![
                rule(
                    "ratio(x, y) :- r(x, d), y = 100 / d.",
                    two.clone(),
                    head(1, vec![slot(0), slot(2)]),
                    vec![
                        scan(0, vec![bind(0), bind(1)]),
                        let_(2, binary(ArithOp::Div, U64, constant(u(100)), slot(1))),
                    ],
                    vec![],
                ),
                rule(
                    "product(x, z) :- r(x, d), z = x * d, z > 5.",
                    two,
                    head(2, vec![slot(0), slot(2)]),
                    vec![
                        scan(0, vec![bind(0), bind(1)]),
                        let_(2, binary(ArithOp::Mul, U64, slot(0), slot(1))),
                        filter(CmpOp::Gt, U64, slot(2), constant(u(5))),
                    ],
                    vec![],
                ),
                rule(
                    "shifted(x - d) :- r(x, d).",
                    vec![U64, U64],
                    head(3, vec![binary(ArithOp::Sub, U64, slot(0), slot(1))]),
                    vec![scan(0, vec![bind(0), bind(1)])],
                    vec![],
                ),
            ],
        )],
    };
    let input = rows(&[&[1, 0], &[2, 5], &[3, 200], &[u64::MAX, 2]]);
    let out = run_once(plan, &[(0, input)]);
    let max = u64::MAX;
    assert_eq!(
        out[0].1,
        rows(&[&[2, 20], &[3, 0], &[max, 50]]),
        "ratio: 100 / 0 dropped"
    );
    assert_eq!(
        out[1].1,
        rows(&[&[2, 10], &[3, 600]]),
        "product: overflow dropped"
    );
    assert_eq!(
        out[2].1,
        rows(&[&[1], &[max - 2]]),
        "shifted: underflow dropped"
    );
}

/// `name(s: string)` 0 (input); outputs `early` 1, `beta` 2, `pair` 3.
#[test]
fn strings_compare_by_text() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("name", RelationKind::Input, &[Str]),
            relation("early", RelationKind::Output, &[Str]),
            relation("beta", RelationKind::Output, &[Str]),
            relation("pair", RelationKind::Output, &[Str, Str]),
        ],
        facts: vec![],
        strata: vec![stratum(
            &[1, 2, 3],
            false,
            vec![
                rule(
                    "early(s) :- name(s), s < \"m\".",
                    vec![Str],
                    head(1, vec![slot(0)]),
                    vec![
                        scan(0, vec![bind(0)]),
                        filter(CmpOp::Lt, Str, slot(0), constant(s("m"))),
                    ],
                    vec![],
                ),
                rule(
                    "beta(s) :- name(s), s = \"beta\".",
                    vec![Str],
                    head(2, vec![slot(0)]),
                    vec![
                        scan(0, vec![bind(0)]),
                        filter(CmpOp::Eq, Str, slot(0), constant(s("beta"))),
                    ],
                    vec![],
                ),
                rule(
                    "pair(a, b) :- name(a), name(b), a >= b.",
                    vec![Str, Str],
                    head(3, vec![slot(0), slot(1)]),
                    vec![
                        scan(0, vec![bind(0)]),
                        scan(0, vec![bind(1)]),
                        filter(CmpOp::Ge, Str, slot(0), slot(1)),
                    ],
                    vec![],
                ),
            ],
        )],
    };
    // Interned in the order "zeta", "alpha", ...: ids disagree with the text's order.
    let names: Vec<_> = ["zeta", "alpha", "mango", "beta", "alpha"]
        .iter()
        .map(|n| vec![s(n)])
        .collect();
    let out = run_once(plan, &[(0, names)]);
    assert_eq!(out[0].1, vec![vec![s("alpha")], vec![s("beta")]]);
    assert_eq!(out[1].1, vec![vec![s("beta")]]);
    assert_eq!(
        out[2].1.len(),
        4 * 5 / 2,
        "pairs with a >= b over four names"
    );
    assert!(out[2].1.contains(&vec![s("zeta"), s("alpha")]));
    assert!(!out[2].1.contains(&vec![s("alpha"), s("zeta")]));
}

/// `m(x: f64)` 0 (input); outputs `positive` 1, `half` 2.
#[test]
fn floats_compare_and_compute() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("m", RelationKind::Input, &[F64]),
            relation("positive", RelationKind::Output, &[F64]),
            relation("half", RelationKind::Output, &[F64]),
        ],
        facts: vec![],
        strata: vec![stratum(
            &[1, 2],
            false,
            vec![
                rule(
                    "positive(x) :- m(x), x > 0.",
                    vec![F64],
                    head(1, vec![slot(0)]),
                    vec![
                        scan(0, vec![bind(0)]),
                        filter(CmpOp::Gt, F64, slot(0), constant(f(0.0))),
                    ],
                    vec![],
                ),
                rule(
                    "half(y) :- m(x), y = x / 2.",
                    vec![F64, F64],
                    head(2, vec![slot(1)]),
                    vec![
                        scan(0, vec![bind(0)]),
                        let_(1, binary(ArithOp::Div, F64, slot(0), constant(f(2.0)))),
                    ],
                    vec![],
                ),
            ],
        )],
    };
    let input: Vec<_> = [-0.0, 0.0, -3.0, 1.5, 10.0]
        .iter()
        .map(|&x| vec![f(x)])
        .collect();
    let out = run_once(plan, &[(0, input)]);
    assert_eq!(out[0].1, vec![vec![f(1.5)], vec![f(10.0)]]);
    let halves = vec![vec![f(-1.5)], vec![f(0.0)], vec![f(0.75)], vec![f(5.0)]];
    assert_eq!(out[1].1, halves, "-0.0 and 0.0 are one value");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let mut engine = Interpreter::new(transitive_closure(Shape::Left));
    let arity = engine.push_input(RelId(0), vec![u(1)]);
    assert!(matches!(
        arity,
        Err(InputError::Arity {
            expected: 2,
            found: 1,
            ..
        })
    ));
    let ty = engine.push_input(RelId(0), vec![u(1), i(2)]);
    assert_eq!(
        ty,
        Err(InputError::Type {
            rel: "edge".into(),
            column: 1,
            expected: ColumnType::U64,
            found: ColumnType::I64,
        })
    );
    let output = engine.push_input(RelId(1), vec![u(1), u(2)]);
    assert_eq!(output, Err(InputError::NotAnInput("path".into())));
    assert!(engine.push_input(RelId(7), vec![]).is_err());
    let out = engine.tick();
    assert!(out.outputs.is_empty(), "rejected tuples never arrive");
    assert!(out.quiescent);
}

/// Inputs `base` 0 and `e` 1; output `s` 2:
/// `s(x, y) :- base(x, y).` and `s(x, y) :- e(x, y), s(y, x).`, whose delta variant
/// reads `s` with every column bound.
#[test]
fn delta_scan_with_every_column_bound() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("base", RelationKind::Input, &[U64, U64]),
            relation("e", RelationKind::Input, &[U64, U64]),
            relation("s", RelationKind::Output, &[U64, U64]),
        ],
        facts: vec![],
        strata: vec![stratum(
            &[2],
            true,
            vec![
                rule(
                    "s(x, y) :- base(x, y).",
                    vec![U64, U64],
                    head(2, vec![slot(0), slot(1)]),
                    vec![scan(0, vec![bind(0), bind(1)])],
                    vec![],
                ),
                rule(
                    "s(x, y) :- e(x, y), s(y, x).",
                    vec![U64, U64],
                    head(2, vec![slot(0), slot(1)]),
                    vec![scan(1, vec![bind(0), bind(1)]), scan(2, vec![eq(1), eq(0)])],
                    vec![vec![
                        scan(1, vec![bind(0), bind(1)]),
                        delta(2, vec![eq(1), eq(0)]),
                    ]],
                ),
            ],
        )],
    };
    let base = rows(&[&[1, 2], &[5, 6]]);
    let e = rows(&[&[2, 1], &[1, 2], &[3, 4], &[4, 3], &[6, 5], &[5, 7]]);
    let out = run_once(plan, &[(0, base), (1, e)]);
    assert_eq!(out[0].1, rows(&[&[1, 2], &[2, 1], &[5, 6], &[6, 5]]));
}

/// Inputs `n` 0 and `e` 1; scratch `any_edge` 2 (no columns); output `marked` 3:
/// `any_edge() :- e(_, _).` then `marked(x) :- any_edge(), n(x).`
#[test]
fn zero_column_relations_scan_as_flags() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("n", RelationKind::Input, &[U64]),
            relation("e", RelationKind::Input, &[U64, U64]),
            relation("any_edge", RelationKind::Scratch, &[]),
            relation("marked", RelationKind::Output, &[U64]),
        ],
        facts: vec![],
        strata: vec![
            stratum(
                &[2],
                false,
                vec![rule(
                    "any_edge() :- e(_, _).",
                    vec![],
                    head(2, vec![]),
                    vec![scan(1, vec![any(), any()])],
                    vec![],
                )],
            ),
            stratum(
                &[3],
                false,
                vec![rule(
                    "marked(x) :- any_edge(), n(x).",
                    vec![U64],
                    head(3, vec![slot(0)]),
                    vec![scan(2, vec![]), scan(0, vec![bind(0)])],
                    vec![],
                )],
            ),
        ],
    };
    let nodes = rows(&[&[1], &[2]]);
    let with_edges = run_once(
        plan.clone(),
        &[(0, nodes.clone()), (1, rows(&[&[1, 2], &[2, 1]]))],
    );
    assert_eq!(with_edges[0].1, nodes);
    let without = run_once(plan, &[(0, nodes)]);
    assert!(without[0].1.is_empty());
}
