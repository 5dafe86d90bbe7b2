//! Aggregates: each function, grouping, the distinct-assignment rule and checked sums.

use hydro_runtime::ir::{AggFunc, Expr, Head, HeadColumn, Plan, RelId, RelationKind, Timing};
use hydro_runtime::value::ColumnType;

use crate::support::*;

/// A head `rel(key slots..., func(arg slot))` aggregating over `distinct`.
fn aggregate(
    rel: u32,
    keys: &[u32],
    func: AggFunc,
    ty: ColumnType,
    arg: u32,
    distinct: &[u32],
) -> Head {
    let mut columns: Vec<HeadColumn> = keys
        .iter()
        .map(|&k| HeadColumn::Value(Expr::Slot(k)))
        .collect();
    columns.push(HeadColumn::Aggregate {
        func,
        ty,
        arg: Expr::Slot(arg),
    });
    Head {
        rel: RelId(rel),
        timing: Timing::Now,
        columns,
        distinct: distinct.to_vec(),
    }
}

/// Inputs `e(x, y, w)` 0 and `f(y, z)` 1; one output per aggregate from 2 on.
fn plan() -> Plan {
    let xyw = vec![U64, U64, U64];
    let e_xyw = || scan(0, vec![bind(0), bind(1), bind(2)]);
    let rules = vec![
        rule(
            "total(x, sum(w)) :- e(x, y, w).",
            xyw.clone(),
            aggregate(2, &[0], AggFunc::Sum, U64, 2, &[0, 1, 2]),
            vec![e_xyw()],
            vec![],
        ),
        rule(
            "fanout(x, count(y)) :- e(x, y, _).",
            vec![U64, U64],
            aggregate(3, &[0], AggFunc::Count, U64, 1, &[0, 1]),
            vec![scan(0, vec![bind(0), bind(1), any()])],
            vec![],
        ),
        rule(
            "rows(x, count(w)) :- e(x, y, w).",
            xyw.clone(),
            aggregate(4, &[0], AggFunc::Count, U64, 2, &[0, 1, 2]),
            vec![e_xyw()],
            vec![],
        ),
        rule(
            "lightest(x, min(w)) :- e(x, y, w).",
            xyw.clone(),
            aggregate(5, &[0], AggFunc::Min, U64, 2, &[0, 1, 2]),
            vec![e_xyw()],
            vec![],
        ),
        rule(
            "heaviest(x, max(w)) :- e(x, y, w).",
            xyw.clone(),
            aggregate(6, &[0], AggFunc::Max, U64, 2, &[0, 1, 2]),
            vec![e_xyw()],
            vec![],
        ),
        rule(
            "spread(x, sum(w)) :- e(x, y, w), f(y, z).",
            vec![U64, U64, U64, U64],
            aggregate(7, &[0], AggFunc::Sum, U64, 2, &[0, 1, 2, 3]),
            vec![e_xyw(), scan(1, vec![eq(1), bind(3)])],
            vec![],
        ),
        rule(
            "sources(count(x)) :- e(x, _, _).",
            vec![U64],
            aggregate(8, &[], AggFunc::Count, U64, 0, &[0]),
            vec![scan(0, vec![bind(0), any(), any()])],
            vec![],
        ),
    ];
    Plan {
        lattices: Default::default(),
        relations: vec![
            relation("e", RelationKind::Input, &[U64, U64, U64]),
            relation("f", RelationKind::Input, &[U64, U64]),
            relation("total", RelationKind::Output, &[U64, U64]),
            relation("fanout", RelationKind::Output, &[U64, U64]),
            relation("rows", RelationKind::Output, &[U64, U64]),
            relation("lightest", RelationKind::Output, &[U64, U64]),
            relation("heaviest", RelationKind::Output, &[U64, U64]),
            relation("spread", RelationKind::Output, &[U64, U64]),
            relation("sources", RelationKind::Output, &[U64]),
        ],
        facts: vec![],
        strata: vec![stratum(&[2, 3, 4, 5, 6, 7, 8], false, rules)],
    }
}

#[test]
fn aggregates_range_over_distinct_assignments() {
    let e = rows(&[
        &[1, 10, 5],
        &[1, 11, 5],
        &[1, 12, 7],
        &[2, 10, 1],
        &[2, 10, 1],
    ]);
    let f = rows(&[&[10, 100], &[10, 101], &[11, 100]]);
    let out = run_once(plan(), &[(0, e), (1, f)]);
    let by_name = |rel: u32| out.iter().find(|(r, _)| *r == rel).map(|(_, t)| t.clone());

    // w = 5 counts twice for x = 1: (y, w) = (10, 5) and (11, 5) are two assignments.
    assert_eq!(by_name(2), Some(rows(&[&[1, 17], &[2, 1]])), "total");
    assert_eq!(by_name(3), Some(rows(&[&[1, 3], &[2, 1]])), "fanout");
    assert_eq!(by_name(4), Some(rows(&[&[1, 3], &[2, 1]])), "rows");
    assert_eq!(by_name(5), Some(rows(&[&[1, 5], &[2, 1]])), "lightest");
    assert_eq!(by_name(6), Some(rows(&[&[1, 7], &[2, 1]])), "heaviest");
    // z is a body variable too: (10, 5) joins two f tuples and counts twice.
    assert_eq!(by_name(7), Some(rows(&[&[1, 15], &[2, 2]])), "spread");
    assert_eq!(by_name(8), Some(rows(&[&[2]])), "sources");
}

#[test]
fn no_assignment_means_no_group() {
    let out = run_once(plan(), &[]);
    assert!(out.iter().all(|(_, tuples)| tuples.is_empty()));
}

/// Input `g(k: u64, v: i64, s: string, x: f64)` 0; outputs 1..=4.
#[test]
fn typed_aggregates_and_overflowing_sums() {
    let slots = vec![U64, I64, Str, F64];
    let g = || scan(0, vec![bind(0), bind(1), bind(2), bind(3)]);
    let all = [0, 1, 2, 3];
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("g", RelationKind::Input, &[U64, I64, Str, F64]),
            relation("signed", RelationKind::Output, &[U64, I64]),
            relation("first", RelationKind::Output, &[U64, Str]),
            relation("last", RelationKind::Output, &[U64, Str]),
            relation("mass", RelationKind::Output, &[U64, F64]),
        ],
        facts: vec![],
        strata: vec![stratum(
            &[1, 2, 3, 4],
            false,
            vec![
                rule(
                    "signed",
                    slots.clone(),
                    aggregate(1, &[0], AggFunc::Sum, I64, 1, &all),
                    vec![g()],
                    vec![],
                ),
                rule(
                    "first",
                    slots.clone(),
                    aggregate(2, &[0], AggFunc::Min, Str, 2, &all),
                    vec![g()],
                    vec![],
                ),
                rule(
                    "last",
                    slots.clone(),
                    aggregate(3, &[0], AggFunc::Max, Str, 2, &all),
                    vec![g()],
                    vec![],
                ),
                rule(
                    "mass",
                    slots,
                    aggregate(4, &[0], AggFunc::Sum, F64, 3, &all),
                    vec![g()],
                    vec![],
                ),
            ],
        )],
    };
    let input = vec![
        vec![u(1), i(i64::MAX), s("pear"), f(0.5)],
        vec![u(1), i(1), s("apple"), f(0.25)],
        vec![u(2), i(-5), s("zucchini"), f(-1.0)],
        vec![u(2), i(3), s("banana"), f(-1.0)],
    ];
    let out = run_once(plan, &[(0, input)]);
    assert_eq!(
        out[0].1,
        vec![vec![u(2), i(-2)]],
        "the group of k = 1 overflows and is dropped"
    );
    assert_eq!(
        out[1].1,
        vec![vec![u(1), s("apple")], vec![u(2), s("banana")]]
    );
    assert_eq!(
        out[2].1,
        vec![vec![u(1), s("pear")], vec![u(2), s("zucchini")]]
    );
    assert_eq!(out[3].1, vec![vec![u(1), f(0.75)], vec![u(2), f(-2.0)]]);
}
