//! Tests of the reference evaluator itself (and of the renderer) on tiny hand-written
//! programs whose results are worked out by hand in the comments.

use std::collections::BTreeSet;

use crate::program::{
    AggFunc, ArithOp, Atom, CmpOp, Expr, HeadArg, Kind, Literal, Program, Relation, Rule, Term,
    TickInput, Timing, Type, Value,
};
use crate::reference;

pub(crate) fn rel(name: &str, kind: Kind, arity: usize, level: usize) -> Relation {
    Relation {
        name: name.to_owned(),
        kind,
        arity,
        level,
    }
}

/// `atom("e", "x _ 3")` is `e(x, _, 3)`.
pub(crate) fn atom(rel: &str, args: &str) -> Atom {
    let args = args
        .split_whitespace()
        .map(|a| match (a, a.parse::<Value>()) {
            ("_", _) => Term::Wild,
            (_, Ok(c)) => Term::Const(c),
            (v, Err(_)) => Term::Var(v.to_owned()),
        })
        .collect();
    Atom {
        rel: rel.to_owned(),
        args,
    }
}

pub(crate) fn pos(rel: &str, args: &str) -> Literal {
    Literal::Pos(atom(rel, args))
}

fn neg(rel: &str, args: &str) -> Literal {
    Literal::Neg(atom(rel, args))
}

fn var(v: &str) -> Expr {
    Expr::Var(v.to_owned())
}

fn bin(l: Expr, op: ArithOp, r: Expr) -> Expr {
    Expr::Bin(Box::new(l), op, Box::new(r))
}

/// A same-tick rule whose head arguments are variables or constants.
pub(crate) fn rule(head_rel: &str, head: &str, body: Vec<Literal>) -> Rule {
    let head = atom(head_rel, head)
        .args
        .into_iter()
        .map(|t| match t {
            Term::Var(v) => HeadArg::Expr(Expr::Var(v)),
            Term::Const(c) => HeadArg::Expr(Expr::Const(c)),
            Term::Wild => panic!("no wildcard in a head"),
        })
        .collect();
    Rule {
        head_rel: head_rel.to_owned(),
        head,
        body,
        timing: Timing::Now,
    }
}

pub(crate) fn tuples(rows: &[&[Value]]) -> BTreeSet<Vec<Value>> {
    rows.iter().map(|r| r.to_vec()).collect()
}

pub(crate) fn input(rel: &str, rows: &[&[Value]]) -> TickInput {
    [(rel.to_owned(), tuples(rows))].into_iter().collect()
}

/// Runs one tick and returns the tuples of output `name`.
fn one_tick(program: &Program, input: TickInput, name: &str) -> BTreeSet<Vec<Value>> {
    reference::run(program, &[input], 1)[0][name].clone()
}

fn edge_path(rules: Vec<Rule>) -> Program {
    Program {
        ty: Type::U64,
        relations: vec![
            rel("edge", Kind::Input, 2, 0),
            rel("path", Kind::Output, 2, 1),
        ],
        facts: vec![],
        rules,
    }
}

#[test]
fn linear_transitive_closure_of_a_three_node_chain_has_three_pairs() {
    let program = edge_path(vec![
        rule("path", "x y", vec![pos("edge", "x y")]),
        rule("path", "x z", vec![pos("path", "x y"), pos("edge", "y z")]),
    ]);
    let got = one_tick(&program, input("edge", &[&[1, 2], &[2, 3]]), "path");
    assert_eq!(got, tuples(&[&[1, 2], &[1, 3], &[2, 3]]));
}

#[test]
fn non_linear_transitive_closure_of_a_four_node_chain_has_six_pairs() {
    let program = edge_path(vec![
        rule("path", "x y", vec![pos("edge", "x y")]),
        rule("path", "x z", vec![pos("path", "x y"), pos("path", "y z")]),
    ]);
    let got = one_tick(
        &program,
        input("edge", &[&[1, 2], &[2, 3], &[3, 4]]),
        "path",
    );
    assert_eq!(
        got,
        tuples(&[&[1, 2], &[1, 3], &[1, 4], &[2, 3], &[2, 4], &[3, 4]])
    );
}

#[test]
fn repeated_variables_and_constants_filter_tuples() {
    let program = Program {
        ty: Type::U64,
        relations: vec![
            rel("edge", Kind::Input, 2, 0),
            rel("loop", Kind::Output, 1, 1),
            rel("into3", Kind::Output, 1, 1),
        ],
        facts: vec![],
        rules: vec![
            rule("loop", "x", vec![pos("edge", "x x")]),
            rule("into3", "x", vec![pos("edge", "x 3")]),
        ],
    };
    let edges = input("edge", &[&[1, 1], &[1, 3], &[2, 3], &[3, 2]]);
    let out = &reference::run(&program, &[edges], 1)[0];
    assert_eq!(out["loop"], tuples(&[&[1]]));
    assert_eq!(out["into3"], tuples(&[&[1], &[2]]));
}

#[test]
fn negation_reads_the_completed_lower_level() {
    // reach is level 1 (recursive), unreached level 2: nodes 1..4, edges 1->2->3.
    let program = Program {
        ty: Type::U64,
        relations: vec![
            rel("node", Kind::Input, 1, 0),
            rel("edge", Kind::Input, 2, 0),
            rel("reach", Kind::Scratch, 1, 1),
            rel("unreached", Kind::Output, 1, 2),
        ],
        facts: vec![("reach".to_owned(), vec![1])],
        rules: vec![
            rule("reach", "y", vec![pos("reach", "x"), pos("edge", "x y")]),
            rule("unreached", "x", vec![pos("node", "x"), neg("reach", "x")]),
        ],
    };
    let mut tick = input("node", &[&[1], &[2], &[3], &[4]]);
    tick.extend(input("edge", &[&[1, 2], &[2, 3]]));
    assert_eq!(one_tick(&program, tick, "unreached"), tuples(&[&[4]]));
}

#[test]
fn negation_with_a_wildcard_means_no_tuple_at_all() {
    let program = Program {
        ty: Type::U64,
        relations: vec![
            rel("node", Kind::Input, 1, 0),
            rel("edge", Kind::Input, 2, 0),
            rel("lonely", Kind::Output, 1, 1),
        ],
        facts: vec![],
        rules: vec![rule(
            "lonely",
            "x",
            vec![pos("node", "x"), neg("edge", "x _")],
        )],
    };
    let mut tick = input("node", &[&[1], &[2], &[3]]);
    tick.extend(input("edge", &[&[1, 2]]));
    assert_eq!(one_tick(&program, tick, "lonely"), tuples(&[&[2], &[3]]));
}

#[test]
fn aggregates_range_over_distinct_assignments() {
    // e = (1,1,5), (1,2,5), (2,1,7): the sum for x=1 adds 5 twice (two distinct y).
    let agg = |name: &str, func: AggFunc, v: &str| Rule {
        head_rel: name.to_owned(),
        head: vec![HeadArg::Expr(var("x")), HeadArg::Agg(func, var(v))],
        body: vec![pos("e", "x y w")],
        timing: Timing::Now,
    };
    let program = Program {
        ty: Type::U64,
        relations: vec![
            rel("e", Kind::Input, 3, 0),
            rel("total", Kind::Output, 2, 1),
            rel("n", Kind::Output, 2, 1),
            rel("lo", Kind::Output, 2, 1),
            rel("hi", Kind::Output, 2, 1),
        ],
        facts: vec![],
        rules: vec![
            agg("total", AggFunc::Sum, "w"),
            agg("n", AggFunc::Count, "w"),
            agg("lo", AggFunc::Min, "y"),
            agg("hi", AggFunc::Max, "y"),
        ],
    };
    let e = input("e", &[&[1, 1, 5], &[1, 2, 5], &[2, 1, 7]]);
    let out = &reference::run(&program, &[e], 1)[0];
    assert_eq!(out["total"], tuples(&[&[1, 10], &[2, 7]]));
    assert_eq!(out["n"], tuples(&[&[1, 2], &[2, 1]]));
    assert_eq!(out["lo"], tuples(&[&[1, 1], &[2, 1]]));
    assert_eq!(out["hi"], tuples(&[&[1, 2], &[2, 1]]));
}

#[test]
fn checked_arithmetic_drops_the_assignment() {
    // d(x, v) :- n(x), v = x - 2, q = 6 / x.  x=0 divides by zero, x=1 underflows.
    let program = Program {
        ty: Type::U64,
        relations: vec![rel("n", Kind::Input, 1, 0), rel("d", Kind::Output, 2, 1)],
        facts: vec![],
        rules: vec![rule(
            "d",
            "x v",
            vec![
                pos("n", "x"),
                Literal::Assign("v".to_owned(), bin(var("x"), ArithOp::Sub, Expr::Const(2))),
                Literal::Assign("q".to_owned(), bin(Expr::Const(6), ArithOp::Div, var("x"))),
            ],
        )],
    };
    let got = one_tick(&program, input("n", &[&[0], &[1], &[3]]), "d");
    assert_eq!(got, tuples(&[&[3, 1]]));
}

#[test]
fn comparisons_and_chained_bindings_filter() {
    // p(x, y) :- e(x, y), b = a + 1, a = x * y, b != 3, x < y.
    let program = Program {
        ty: Type::U64,
        relations: vec![rel("e", Kind::Input, 2, 0), rel("p", Kind::Output, 2, 1)],
        facts: vec![],
        rules: vec![rule(
            "p",
            "x y",
            vec![
                pos("e", "x y"),
                Literal::Assign("b".to_owned(), bin(var("a"), ArithOp::Add, Expr::Const(1))),
                Literal::Assign("a".to_owned(), bin(var("x"), ArithOp::Mul, var("y"))),
                Literal::Cmp(var("b"), CmpOp::Ne, Expr::Const(3)),
                Literal::Cmp(var("x"), CmpOp::Lt, var("y")),
            ],
        )],
    };
    let e = input("e", &[&[1, 2], &[1, 3], &[2, 1], &[2, 2]]);
    assert_eq!(one_tick(&program, e, "p"), tuples(&[&[1, 3]]));
}

#[test]
fn tables_next_and_delete_follow_the_tick_order() {
    // seen persists; add(x) schedules seen(x)@next; drop(x) deletes seen(x) next tick.
    // out(x) :- seen(x) reports seen as it stands in each tick.
    let mut next = rule("seen", "x", vec![pos("add", "x")]);
    next.timing = Timing::Next;
    let mut delete = rule("seen", "x", vec![pos("drop", "x")]);
    delete.timing = Timing::Delete;
    let program = Program {
        ty: Type::U64,
        relations: vec![
            rel("add", Kind::Input, 1, 0),
            rel("drop", Kind::Input, 1, 0),
            rel("seen", Kind::Table, 1, 1),
            rel("out", Kind::Output, 1, 2),
        ],
        facts: vec![("seen".to_owned(), vec![9])],
        rules: vec![next, delete, rule("out", "x", vec![pos("seen", "x")])],
    };
    let tick1 = input("add", &[&[1], &[2]]);
    let mut tick2 = input("drop", &[&[1], &[9]]);
    // Deleted and re-added in the same tick: deletes apply first, so 2 stays.
    tick2.extend(input("add", &[&[2]]));
    tick2.get_mut("drop").expect("just added").insert(vec![2]);
    let reports = reference::run(&program, &[tick1, tick2], 4);
    let seen: Vec<_> = reports.iter().map(|r| r["out"].clone()).collect();
    assert_eq!(
        seen,
        vec![
            tuples(&[&[9]]),
            tuples(&[&[1], &[2], &[9]]),
            tuples(&[&[2]]),
            tuples(&[&[2]])
        ]
    );
}

#[test]
fn scratch_and_outputs_are_empty_in_later_ticks() {
    let program = edge_path(vec![rule("path", "x y", vec![pos("edge", "x y")])]);
    let reports = reference::run(&program, &[input("edge", &[&[1, 2]])], 2);
    assert_eq!(reports[0]["path"], tuples(&[&[1, 2]]));
    assert!(reports[1]["path"].is_empty());
}

#[test]
fn rendering_writes_hydro_syntax() {
    let mut next = rule("t", "x", vec![pos("e", "x _"), neg("t", "3")]);
    next.timing = Timing::Next;
    let program = Program {
        ty: Type::U64,
        relations: vec![
            rel("e", Kind::Input, 2, 0),
            rel("t", Kind::Table, 1, 1),
            rel("ok", Kind::Scratch, 0, 1),
            rel("s", Kind::Output, 2, 2),
        ],
        facts: vec![("e".to_owned(), vec![1, 2]), ("ok".to_owned(), vec![])],
        rules: vec![
            next,
            Rule {
                head_rel: "s".to_owned(),
                head: vec![
                    HeadArg::Expr(bin(
                        bin(var("x"), ArithOp::Add, var("y")),
                        ArithOp::Rem,
                        Expr::Const(8),
                    )),
                    HeadArg::Agg(AggFunc::Count, var("y")),
                ],
                body: vec![
                    pos("e", "x y"),
                    pos("ok", ""),
                    Literal::Assign("v".to_owned(), bin(var("x"), ArithOp::Mul, Expr::Const(2))),
                    Literal::Cmp(var("v"), CmpOp::Ge, var("y")),
                ],
                timing: Timing::Now,
            },
        ],
    };
    let expected = "\
input e(c0: u64, c1: u64);
table t(c0: u64);
scratch ok();
output s(c0: u64, c1: u64);
e(1, 2).
ok().
t(x)@next :- e(x, _), !t(3).
s((x + y) % 8, count(y)) :- e(x, y), ok(), v = x * 2, v >= y.
";
    assert_eq!(program.render(), expected);
}

#[test]
fn i64_arithmetic_truncates_toward_zero_and_drops_overflow() {
    // d(x, v, q, r) :- n(x), v = x - 2, q = x / 2, r = x % 2, s = x * x.
    let assign =
        |v: &str, op: ArithOp, r: Expr| Literal::Assign(v.to_owned(), bin(var("x"), op, r));
    let program = Program {
        ty: Type::I64,
        relations: vec![rel("n", Kind::Input, 1, 0), rel("d", Kind::Output, 4, 1)],
        facts: vec![],
        rules: vec![rule(
            "d",
            "x v q r",
            vec![
                pos("n", "x"),
                assign("v", ArithOp::Sub, Expr::Const(2)),
                assign("q", ArithOp::Div, Expr::Const(2)),
                assign("r", ArithOp::Rem, Expr::Const(2)),
                assign("s", ArithOp::Mul, var("x")),
            ],
        )],
    };
    // 4e9 squared is past i64::MAX: that assignment is dropped.
    let got = one_tick(&program, input("n", &[&[-7], &[1], &[4_000_000_000]]), "d");
    assert_eq!(got, tuples(&[&[-7, -9, -3, -1], &[1, -1, 0, 1]]));
}

#[test]
fn negative_constants_render_as_literals_and_parenthesised_operands() {
    let program = Program {
        ty: Type::I64,
        relations: vec![rel("e", Kind::Input, 2, 0), rel("p", Kind::Output, 1, 1)],
        facts: vec![("e".to_owned(), vec![-1, 2])],
        rules: vec![Rule {
            head_rel: "p".to_owned(),
            head: vec![HeadArg::Expr(bin(var("x"), ArithOp::Sub, Expr::Const(-1)))],
            body: vec![pos("e", "x -2")],
            timing: Timing::Now,
        }],
    };
    let expected = "\
input e(c0: i64, c1: i64);
output p(c0: i64);
e(-1, 2).
p(x - (-1)) :- e(x, -2).
";
    assert_eq!(program.render(), expected);
}

#[test]
fn string_programs_compare_ranks_and_render_the_strings() {
    // p(x) :- e(x, "a b"), x < "zz".  Ranks: "A" 0, "a" 1, "a b" 2, "zz" 6, "é" 7.
    let program = Program {
        ty: Type::Str,
        relations: vec![rel("e", Kind::Input, 2, 0), rel("p", Kind::Output, 1, 1)],
        facts: vec![("e".to_owned(), vec![7, 2])],
        rules: vec![rule(
            "p",
            "x",
            vec![
                pos("e", "x 2"),
                Literal::Cmp(var("x"), CmpOp::Lt, Expr::Const(6)),
            ],
        )],
    };
    let expected = "\
input e(c0: string, c1: string);
output p(c0: string);
e(\"\u{e9}\", \"a b\").
p(x) :- e(x, \"a b\"), x < \"zz\".
";
    assert_eq!(program.render(), expected);
    let got = one_tick(&program, input("e", &[&[0, 2], &[1, 3]]), "p");
    assert_eq!(got, tuples(&[&[0]]));
}

#[test]
fn an_aggregate_argument_that_does_not_evaluate_drops_its_assignment() {
    // t(x, sum(w - 2)) :- e(x, y, w).  (1,2,1) underflows: group 1 sums 3 alone, and
    // group 2, whose only assignment underflows, yields nothing.
    let program = Program {
        ty: Type::U64,
        relations: vec![rel("e", Kind::Input, 3, 0), rel("t", Kind::Output, 2, 1)],
        facts: vec![],
        rules: vec![Rule {
            head_rel: "t".to_owned(),
            head: vec![
                HeadArg::Expr(var("x")),
                HeadArg::Agg(AggFunc::Sum, bin(var("w"), ArithOp::Sub, Expr::Const(2))),
            ],
            body: vec![pos("e", "x y w")],
            timing: Timing::Now,
        }],
    };
    let e = input("e", &[&[1, 1, 5], &[1, 2, 1], &[2, 1, 0]]);
    assert_eq!(one_tick(&program, e, "t"), tuples(&[&[1, 3]]));
}

#[test]
fn sums_are_exact_and_only_a_total_outside_the_type_drops_the_group() {
    // s(k, sum(x)) :- v(k, x).  Group 1's running total passes i64::MAX on the way
    // (in one order) but ends inside; group 2's total is outside.
    let program = Program {
        ty: Type::I64,
        relations: vec![rel("v", Kind::Input, 2, 0), rel("s", Kind::Output, 2, 1)],
        facts: vec![],
        rules: vec![Rule {
            head_rel: "s".to_owned(),
            head: vec![
                HeadArg::Expr(var("k")),
                HeadArg::Agg(AggFunc::Sum, var("x")),
            ],
            body: vec![pos("v", "k x")],
            timing: Timing::Now,
        }],
    };
    let max = Value::from(i64::MAX);
    let v = input("v", &[&[1, max], &[1, 1], &[1, -1], &[2, max], &[2, 1]]);
    assert_eq!(one_tick(&program, v, "s"), tuples(&[&[1, max]]));
}
