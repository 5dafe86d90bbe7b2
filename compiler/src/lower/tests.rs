//! Unit tests of lowering on checked programs built by hand (the end-to-end snapshots
//! in `tests/lower.rs` start from source text).

use std::collections::BTreeMap;

use hydro_runtime::ir::{Arg, CmpOp, Expr, RelId, RelationKind, Step, Timing, Version};
use hydro_runtime::value::{ColumnType, Const};

use super::{lower, print_rule, render_plan};
use crate::check::{CheckedProgram, CheckedRule, RelationInfo, StratumInfo};
use crate::source::Span;
use crate::syntax::ast::{self, ArithOp, CmpOp as Op, Expr as E};

use ColumnType::{I64, U64};

fn ident(name: &str) -> ast::Ident {
    ast::Ident {
        name: name.to_owned(),
        span: Span::default(),
    }
}

fn v(name: &str) -> E {
    E::Var(ident(name))
}

fn int(n: u64) -> E {
    E::Lit(ast::Lit::Int(n), Span::default())
}

fn wild() -> E {
    E::Wildcard(Span::default())
}

fn neg(e: E) -> E {
    E::Neg(Box::new(e), Span::default())
}

fn bin(op: ArithOp, lhs: E, rhs: E) -> E {
    E::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        span: Span::default(),
    }
}

fn atom(name: &str, args: Vec<E>) -> ast::Atom {
    ast::Atom {
        name: ident(name),
        args,
        span: Span::default(),
    }
}

fn pos(name: &str, args: Vec<E>) -> ast::Literal {
    ast::Literal::Atom(atom(name, args))
}

fn not(name: &str, args: Vec<E>) -> ast::Literal {
    ast::Literal::Negated {
        bang: Span::default(),
        atom: atom(name, args),
        span: Span::default(),
    }
}

fn cmp(op: Op, lhs: E, rhs: E) -> ast::Literal {
    ast::Literal::Compare {
        op,
        op_span: Span::default(),
        lhs,
        rhs,
        span: Span::default(),
    }
}

fn agg(func: &str, arg: E) -> ast::HeadArg {
    ast::HeadArg::Aggregate(ast::Aggregate {
        func: ident(func),
        arg,
        span: Span::default(),
    })
}

fn rule(head: &str, args: Vec<ast::HeadArg>, body: Vec<ast::Literal>) -> ast::Rule {
    ast::Rule {
        head: ast::Head {
            delete: None,
            name: ident(head),
            args,
            next: None,
            span: Span::default(),
        },
        body,
        span: Span::default(),
    }
}

fn vals(args: Vec<E>) -> Vec<ast::HeadArg> {
    args.into_iter().map(ast::HeadArg::Expr).collect()
}

/// A program with `relations` (kind, name, column types), `rules` and strata given as
/// lists of rule indices (a stratum is recursive when `true`). Variable types are taken
/// from the columns of positive atoms, then from `extra`.
struct Builder {
    program: CheckedProgram,
}

impl Builder {
    fn new(relations: &[(RelationKind, &str, &[ColumnType])]) -> Builder {
        let relations = relations
            .iter()
            .map(|(kind, name, columns)| RelationInfo {
                name: (*name).to_owned(),
                kind: *kind,
                columns: columns
                    .iter()
                    .enumerate()
                    .map(|(i, ty)| (format!("c{i}"), *ty))
                    .collect(),
                span: Span::default(),
                monotone: None,
            })
            .collect();
        Builder {
            program: CheckedProgram {
                lattices: Default::default(),
                externs: Vec::new(),
                relations,
                rules: Vec::new(),
                facts: Vec::new(),
                strata: Vec::new(),
                modules: Vec::new(),
            },
        }
    }

    fn rule(mut self, rule: ast::Rule, extra: &[(&str, ColumnType)]) -> Builder {
        let mut var_types = BTreeMap::new();
        for literal in &rule.body {
            if let ast::Literal::Atom(a) | ast::Literal::Negated { atom: a, .. } = literal {
                let rel = self.program.relation(&a.name.name).expect("declared");
                for (i, arg) in a.args.iter().enumerate() {
                    if let E::Var(x) = arg {
                        let ty = self.program.relations[rel.index()].columns[i].1;
                        var_types.insert(x.name.clone(), ty);
                    }
                }
            }
        }
        for (name, ty) in extra {
            var_types.insert((*name).to_owned(), *ty);
        }
        let head_rel = self
            .program
            .relation(&rule.head.name.name)
            .expect("declared");
        // Comparisons and aggregates are left for lowering to type from variables.
        self.program.rules.push(CheckedRule {
            rule,
            head_rel,
            var_types,
            compare_types: BTreeMap::new(),
            aggregate_types: BTreeMap::new(),
            expr_types: BTreeMap::new(),
            lattice_reads: Vec::new(),
        });
        self
    }

    fn stratum(mut self, relations: &[&str], rules: &[usize], recursive: bool) -> Builder {
        let relations = relations
            .iter()
            .map(|r| self.program.relation(r).expect("declared"))
            .collect();
        self.program.strata.push(StratumInfo {
            relations,
            rules: rules.to_vec(),
            recursive,
        });
        self
    }
}

/// The steps of the full plan of the only rule.
fn full_steps(program: &CheckedProgram) -> Vec<Step> {
    lower(program).strata[0].rules[0].full.steps.clone()
}

#[test]
fn transitive_closure_gets_one_delta_variant_per_recursive_atom() {
    use RelationKind::*;
    let program = Builder::new(&[(Input, "edge", &[U64, U64]), (Output, "path", &[U64, U64])])
        .rule(
            rule(
                "path",
                vals(vec![v("x"), v("y")]),
                vec![pos("edge", vec![v("x"), v("y")])],
            ),
            &[],
        )
        .rule(
            rule(
                "path",
                vals(vec![v("x"), v("z")]),
                vec![
                    pos("path", vec![v("x"), v("y")]),
                    pos("edge", vec![v("y"), v("z")]),
                ],
            ),
            &[],
        )
        .stratum(&["path"], &[0, 1], true)
        .program;
    let plan = lower(&program);
    let expected = "\
relation r0 input edge(c0: u64, c1: u64)
relation r1 output path(c0: u64, c1: u64)
stratum 0 recursive [path]
  rule path(x, y) :- edge(x, y).
    slots $0: u64, $1: u64
    head path($0, $1)
    full:
      scan edge($0=, $1=)
  rule path(x, z) :- path(x, y), edge(y, z).
    slots $0: u64, $1: u64, $2: u64
    head path($0, $2)
    full:
      scan path($0=, $1=)
      scan edge($1, $2=)
    delta 0:
      scan delta path($0=, $1=)
      scan edge($1, $2=)
";
    assert_eq!(render_plan(&plan), expected);
}

#[test]
fn atom_with_constants_goes_first_and_shared_variables_become_index_keys() {
    use RelationKind::*;
    let program = Builder::new(&[
        (Input, "a", &[U64, U64]),
        (Input, "b", &[U64, U64]),
        (Output, "r", &[U64]),
    ])
    .rule(
        rule(
            "r",
            vals(vec![v("y")]),
            vec![
                pos("a", vec![v("x"), v("y")]),
                pos("b", vec![int(1), v("x")]),
            ],
        ),
        &[],
    )
    .stratum(&["r"], &[0], false)
    .program;
    let steps = full_steps(&program);
    // Slots by first occurrence: x = $0, y = $1.
    assert_eq!(
        steps,
        vec![
            Step::Scan {
                rel: RelId(1),
                version: Version::Full,
                args: vec![Arg::Eq(Expr::Const(Const::U64(1))), Arg::Bind(0)],
            },
            Step::Scan {
                rel: RelId(0),
                version: Version::Full,
                args: vec![Arg::Eq(Expr::Slot(0)), Arg::Bind(1)],
            },
        ]
    );
    assert!(lower(&program).strata[0].rules[0].deltas.is_empty());
}

#[test]
fn repeated_variable_binds_a_fresh_slot_then_filters() {
    use RelationKind::*;
    let program = Builder::new(&[(Input, "e", &[U64, U64]), (Output, "r", &[U64])])
        .rule(
            rule(
                "r",
                vals(vec![v("x")]),
                vec![pos("e", vec![v("x"), v("x")])],
            ),
            &[],
        )
        .stratum(&["r"], &[0], false)
        .program;
    let plan = lower(&program);
    let rule = &plan.strata[0].rules[0];
    assert_eq!(rule.slots, vec![U64, U64]);
    assert_eq!(
        rule.full.steps,
        vec![
            Step::Scan {
                rel: RelId(0),
                version: Version::Full,
                args: vec![Arg::Bind(0), Arg::Bind(1)],
            },
            Step::Filter {
                op: CmpOp::Eq,
                ty: U64,
                lhs: Expr::Slot(1),
                rhs: Expr::Slot(0),
            },
        ]
    );
}

#[test]
fn expression_arguments_are_keys_when_bound_and_filters_otherwise() {
    use RelationKind::*;
    let plus_one = || bin(ArithOp::Add, v("x"), int(1));
    let program = Builder::new(&[
        (Input, "a", &[U64]),
        (Input, "b", &[U64]),
        (Input, "c", &[U64, U64]),
        (Output, "r", &[U64]),
    ])
    .rule(
        rule(
            "r",
            vals(vec![v("x")]),
            vec![pos("a", vec![v("x")]), pos("b", vec![plus_one()])],
        ),
        &[],
    )
    .rule(
        rule(
            "r",
            vals(vec![v("x")]),
            vec![pos("c", vec![v("x"), plus_one()])],
        ),
        &[],
    )
    .stratum(&["r"], &[0, 1], false)
    .program;
    let plan = render_plan(&lower(&program));
    assert!(
        plan.contains("      scan a($0=)\n      scan b(($0 +.u64 1u64))\n"),
        "{plan}"
    );
    assert!(
        plan.contains("      scan c($0=, $1=)\n      filter $1 = ($0 +.u64 1u64) : u64\n"),
        "{plan}"
    );
}

#[test]
fn equality_with_an_unbound_side_binds_and_comparisons_follow_it() {
    use RelationKind::*;
    let program = Builder::new(&[(Input, "d", &[U64]), (Output, "r", &[U64])])
        .rule(
            rule(
                "r",
                vals(vec![v("y")]),
                vec![
                    cmp(Op::Ne, v("y"), int(4)),
                    cmp(Op::Eq, v("y"), bin(ArithOp::Mul, v("x"), int(2))),
                    pos("d", vec![v("x")]),
                    cmp(Op::Eq, v("x"), v("x")),
                ],
            ),
            &[("y", U64)],
        )
        .stratum(&["r"], &[0], false)
        .program;
    let plan = render_plan(&lower(&program));
    let expected = "\
    full:
      scan d($1=)
      let $0 = ($1 *.u64 2u64)
      filter $0 != 4u64 : u64
      filter $1 = $1 : u64
";
    assert!(plan.ends_with(expected), "{plan}");
}

#[test]
fn bodies_without_positive_atoms_are_plain_steps() {
    use RelationKind::*;
    let program = Builder::new(&[(Output, "ok", &[]), (Output, "three", &[I64])])
        .rule(rule("ok", vec![], vec![cmp(Op::Lt, int(1), int(2))]), &[])
        .rule(
            rule(
                "three",
                vals(vec![v("x")]),
                vec![cmp(Op::Eq, v("x"), neg(int(3)))],
            ),
            &[("x", I64)],
        )
        .stratum(&["ok", "three"], &[0, 1], false)
        .program;
    let plan = lower(&program);
    assert_eq!(
        plan.strata[0].rules[0].full.steps,
        vec![Step::Filter {
            op: CmpOp::Lt,
            ty: I64,
            lhs: Expr::Const(Const::I64(1)),
            rhs: Expr::Const(Const::I64(2)),
        }]
    );
    assert_eq!(
        plan.strata[0].rules[1].full.steps,
        vec![Step::Let {
            slot: 0,
            expr: Expr::Const(Const::I64(-3)),
        }]
    );
}

#[test]
fn negative_literals_fold_including_the_least_i64() {
    use RelationKind::*;
    let program = Builder::new(&[(Input, "s", &[I64]), (Output, "r", &[I64])])
        .rule(
            rule(
                "r",
                vals(vec![v("x")]),
                vec![
                    pos("s", vec![v("x")]),
                    cmp(Op::Gt, v("x"), neg(int(9_223_372_036_854_775_808))),
                ],
            ),
            &[],
        )
        .stratum(&["r"], &[0], false)
        .program;
    let steps = full_steps(&program);
    assert_eq!(
        steps[1],
        Step::Filter {
            op: CmpOp::Gt,
            ty: I64,
            lhs: Expr::Slot(0),
            rhs: Expr::Const(Const::I64(i64::MIN)),
        }
    );
}

#[test]
fn negation_waits_for_its_variables_and_wildcards_match_anything() {
    use RelationKind::*;
    let program = Builder::new(&[
        (Input, "node", &[U64]),
        (Input, "edge", &[U64, U64]),
        (Output, "lonely", &[U64]),
    ])
    .rule(
        rule(
            "lonely",
            vals(vec![v("x")]),
            vec![not("edge", vec![v("x"), wild()]), pos("node", vec![v("x")])],
        ),
        &[],
    )
    .stratum(&["lonely"], &[0], false)
    .program;
    assert_eq!(
        full_steps(&program),
        vec![
            Step::Scan {
                rel: RelId(0),
                version: Version::Full,
                args: vec![Arg::Bind(0)],
            },
            Step::Absent {
                rel: RelId(1),
                args: vec![Arg::Eq(Expr::Slot(0)), Arg::Any],
            },
        ]
    );
}

#[test]
fn aggregates_range_over_every_named_body_variable() {
    use RelationKind::*;
    let program = Builder::new(&[
        (Input, "e", &[U64, U64, I64]),
        (Output, "total", &[U64, I64]),
    ])
    .rule(
        rule(
            "total",
            vec![ast::HeadArg::Expr(v("x")), agg("sum", v("w"))],
            vec![pos("e", vec![v("x"), v("y"), v("w")])],
        ),
        &[],
    )
    .stratum(&["total"], &[0], false)
    .program;
    let plan = lower(&program);
    let head = &plan.strata[0].rules[0].head;
    assert_eq!(head.distinct, vec![0, 1, 2]);
    assert!(render_plan(&plan).contains("head total($0, sum($2 : i64)) distinct [$0, $1, $2]"));
}

#[test]
fn next_and_delete_heads_keep_their_timing() {
    use RelationKind::*;
    let mut next = rule("seen", vals(vec![v("x")]), vec![pos("f", vec![v("x")])]);
    next.head.next = Some(Span::default());
    let mut delete = rule("seen", vals(vec![v("x")]), vec![pos("g", vec![v("x")])]);
    delete.head.delete = Some(Span::default());
    let program = Builder::new(&[
        (Input, "f", &[U64]),
        (Input, "g", &[U64]),
        (Table, "seen", &[U64]),
    ])
    .rule(next, &[])
    .rule(delete, &[])
    .stratum(&[], &[0, 1], false)
    .program;
    let plan = lower(&program);
    let rules = &plan.strata[0].rules;
    assert_eq!(rules[0].head.timing, Timing::Next);
    assert_eq!(rules[0].source, "seen(x)@next :- f(x).");
    assert_eq!(rules[1].head.timing, Timing::Delete);
    assert_eq!(rules[1].source, "delete seen(x) :- g(x).");
}

#[test]
fn plans_do_not_depend_on_variable_names() {
    use RelationKind::*;
    let body = |a: &str, b: &str, c: &str| {
        rule(
            "p",
            vals(vec![v(a), v(c)]),
            vec![
                pos("e", vec![v(a), v(b)]),
                pos("p", vec![v(b), v(c)]),
                cmp(Op::Ne, v(a), v(c)),
            ],
        )
    };
    let build = |r: ast::Rule| {
        Builder::new(&[(Input, "e", &[U64, U64]), (Output, "p", &[U64, U64])])
            .rule(r, &[])
            .stratum(&["p"], &[0], true)
            .program
    };
    let mut one = lower(&build(body("x", "y", "z"))).strata[0].rules[0].clone();
    let mut two = lower(&build(body("zz", "b", "a"))).strata[0].rules[0].clone();
    one.source.clear();
    two.source.clear();
    assert_eq!(one, two);
    assert_eq!(one.deltas.len(), 1);
}

#[test]
fn printed_expressions_keep_needed_parentheses_only() {
    let e = bin(
        ArithOp::Sub,
        bin(ArithOp::Sub, v("a"), v("b")),
        bin(ArithOp::Sub, v("c"), bin(ArithOp::Mul, v("d"), v("e"))),
    );
    let r = rule(
        "r",
        vals(vec![
            e,
            neg(bin(ArithOp::Add, v("a"), int(1))),
            neg(neg(v("a"))),
        ]),
        vec![cmp(
            Op::Eq,
            v("s"),
            E::Lit(ast::Lit::Str("q\"\\".into()), Span::default()),
        )],
    );
    assert_eq!(
        print_rule(&r),
        "r(a - b - (c - d * e), -(a + 1), -(-a)) :- s = \"q\\\"\\\\\"."
    );
}
