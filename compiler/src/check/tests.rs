//! Unit tests of the checks on hand-built syntax trees (the snapshot tests under
//! `compiler/tests/diagnostics/` cover parsed programs and the rendered messages).

use hydro_runtime::ir::{RelId, RelationKind};
use hydro_runtime::value::{ColumnType, Const};

use super::*;
use crate::diag::Code;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;

/// Builds syntax trees with distinct, increasing spans, as a parser would.
#[derive(Default)]
struct B {
    at: std::cell::Cell<u32>,
}

impl B {
    fn span(&self) -> Span {
        let at = self.at.get() + 10;
        self.at.set(at);
        Span::new(FileId(0), at as usize, at as usize + 5)
    }

    fn ident(&self, name: &str) -> Ident {
        Ident {
            name: name.to_owned(),
            span: self.span(),
        }
    }

    fn decl(&self, kind: RelationKind, name: &str, columns: &[(&str, &str)]) -> Item {
        let kind_span = self.span();
        let name = self.ident(name);
        let columns = columns
            .iter()
            .map(|(c, t)| {
                let name = self.ident(c);
                let ty_name = self.ident(t);
                let ty = TypeExpr {
                    span: ty_name.span,
                    name: ty_name,
                    args: Vec::new(),
                };
                Column {
                    span: name.span.to(ty.span),
                    name,
                    ty,
                }
            })
            .collect();
        let span = kind_span.to(self.span());
        Item::Decl(Decl {
            monotone: None,
            kind,
            kind_span,
            name,
            columns,
            span,
        })
    }

    fn var(&self, name: &str) -> Expr {
        if name == "_" {
            Expr::Wildcard(self.span())
        } else {
            Expr::Var(self.ident(name))
        }
    }

    fn int(&self, n: u64) -> Expr {
        Expr::Lit(Lit::Int(n), self.span())
    }

    fn atom(&self, name: &str, args: &[&str]) -> Atom {
        let name = self.ident(name);
        let args = args.iter().map(|a| self.var(a)).collect();
        Atom {
            span: name.span.to(self.span()),
            name,
            args,
        }
    }

    fn pos(&self, name: &str, args: &[&str]) -> Literal {
        Literal::Atom(self.atom(name, args))
    }

    fn neg(&self, name: &str, args: &[&str]) -> Literal {
        let bang = self.span();
        let atom = self.atom(name, args);
        Literal::Negated {
            bang,
            span: bang.to(atom.span),
            atom,
        }
    }

    fn cmp(&self, lhs: Expr, op: CmpOp, rhs: Expr) -> Literal {
        Literal::Compare {
            op,
            op_span: self.span(),
            span: lhs.span().to(rhs.span()),
            lhs,
            rhs,
        }
    }

    fn head(&self, name: &str, args: Vec<HeadArg>) -> Head {
        let name = self.ident(name);
        Head {
            delete: None,
            span: name.span.to(self.span()),
            name,
            args,
            next: None,
        }
    }

    fn vars(&self, names: &[&str]) -> Vec<HeadArg> {
        names.iter().map(|n| HeadArg::Expr(self.var(n))).collect()
    }

    fn agg(&self, func: &str, arg: &str) -> HeadArg {
        let func = self.ident(func);
        let arg = self.var(arg);
        HeadArg::Aggregate(Aggregate {
            span: func.span.to(arg.span()),
            func,
            arg,
        })
    }

    fn rule(&self, head: Head, body: Vec<Literal>) -> Item {
        let span = head.span.to(self.span());
        Item::Rule(Rule { head, body, span })
    }
}

fn codes(items: &[Item]) -> Vec<Code> {
    let (_, mut diagnostics) = check(items);
    crate::diag::sort(&mut diagnostics);
    diagnostics.iter().map(|d| d.code).collect()
}

use RelationKind::{Input, Output, Scratch, Table};

/// `input edge(a: u64, b: u64); output path(a: u64, b: u64);` and the transitive
/// closure over them.
fn closure(b: &B) -> Vec<Item> {
    let mut items = vec![
        b.decl(Input, "edge", &[("a", "u64"), ("b", "u64")]),
        b.decl(Output, "path", &[("a", "u64"), ("b", "u64")]),
    ];
    let (h, body) = (
        b.head("path", b.vars(&["x", "y"])),
        vec![b.pos("edge", &["x", "y"])],
    );
    items.push(b.rule(h, body));
    let h = b.head("path", b.vars(&["x", "z"]));
    let body = vec![b.pos("path", &["x", "y"]), b.pos("edge", &["y", "z"])];
    items.push(b.rule(h, body));
    items
}

#[test]
fn closure_is_one_recursive_stratum() {
    let b = B::default();
    let (program, diagnostics) = check(&closure(&b));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let program = program.expect("checked");
    assert_eq!(program.rules.len(), 2);
    assert_eq!(program.strata.len(), 1);
    assert_eq!(program.strata[0].relations, vec![RelId(1)]);
    assert_eq!(program.strata[0].rules, vec![0, 1]);
    assert!(program.strata[0].recursive);
    assert_eq!(program.rules[1].var_types["y"], ColumnType::U64);
}

#[test]
fn negation_through_a_cycle_is_reported_once() {
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "n", &[("a", "u64")]),
        b.decl(Scratch, "p", &[("a", "u64")]),
        b.decl(Scratch, "q", &[("a", "u64")]),
    ];
    let (h, body) = (
        b.head("p", b.vars(&["x"])),
        vec![b.pos("n", &["x"]), b.neg("q", &["x"])],
    );
    items.push(b.rule(h, body));
    let (h, body) = (
        b.head("q", b.vars(&["x"])),
        vec![b.pos("n", &["x"]), b.neg("p", &["x"])],
    );
    items.push(b.rule(h, body));
    let (program, diagnostics) = check(&items);
    assert!(program.is_none());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, Code::NegationInCycle);
    assert!(
        diagnostics[0].message.contains("`q -> p -> q`"),
        "{}",
        diagnostics[0].message
    );
    // The other negation of the cycle is labelled once.
    assert_eq!(diagnostics[0].secondary.len(), 1);
}

#[test]
fn strata_follow_dependencies_then_declaration_order() {
    // c is declared first but reads a, which reads b; `lonely` negates c.
    let b = B::default();
    let mut items = vec![
        b.decl(Scratch, "c", &[("a", "u64")]),
        b.decl(Scratch, "a", &[("a", "u64")]),
        b.decl(Input, "b", &[("a", "u64")]),
        b.decl(Table, "t", &[("a", "u64")]),
        b.decl(Output, "lonely", &[("a", "u64")]),
    ];
    let (h, body) = (b.head("c", b.vars(&["x"])), vec![b.pos("a", &["x"])]);
    items.push(b.rule(h, body));
    let (h, body) = (b.head("a", b.vars(&["x"])), vec![b.pos("b", &["x"])]);
    items.push(b.rule(h, body));
    let mut h = b.head("t", b.vars(&["x"]));
    h.next = Some(b.span());
    let body = vec![b.pos("lonely", &["x"])];
    items.push(b.rule(h, body));
    let h = b.head("lonely", b.vars(&["x"]));
    let body = vec![b.pos("b", &["x"]), b.neg("c", &["x"])];
    items.push(b.rule(h, body));
    let (program, diagnostics) = check(&items);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let strata = program.expect("checked").strata;
    let relations: Vec<Vec<RelId>> = strata.iter().map(|s| s.relations.clone()).collect();
    assert_eq!(
        relations,
        vec![vec![RelId(1)], vec![RelId(0)], vec![RelId(4)], vec![]]
    );
    let rules: Vec<Vec<usize>> = strata.iter().map(|s| s.rules.clone()).collect();
    assert_eq!(rules, vec![vec![1], vec![0], vec![3], vec![2]]);
    assert!(strata.iter().all(|s| !s.recursive));
}

#[test]
fn bindings_chain_to_a_fixpoint_and_type_their_variables() {
    // out(z) :- r(x), z = y * 2, y = x + 1.
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "r", &[("a", "i64")]),
        b.decl(Output, "out", &[("a", "i64")]),
    ];
    let h = b.head("out", b.vars(&["z"]));
    let r = b.pos("r", &["x"]);
    let (z, y, two) = (b.var("z"), b.var("y"), b.int(2));
    let times = Expr::Binary {
        op: ArithOp::Mul,
        span: y.span().to(two.span()),
        lhs: Box::new(y),
        rhs: Box::new(two),
    };
    let c1 = b.cmp(z, CmpOp::Eq, times);
    let (y, x, one) = (b.var("y"), b.var("x"), b.int(1));
    let plus = Expr::Binary {
        op: ArithOp::Add,
        span: x.span().to(one.span()),
        lhs: Box::new(x),
        rhs: Box::new(one),
    };
    let c2 = b.cmp(y, CmpOp::Eq, plus);
    items.push(b.rule(h, vec![r, c1, c2]));
    let (program, diagnostics) = check(&items);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let rule = &program.expect("checked").rules[0];
    for v in ["x", "y", "z"] {
        assert_eq!(rule.var_types[v], ColumnType::I64, "{v}");
    }
    assert_eq!(rule.compare_types.len(), 2);
}

#[test]
fn unbound_variables_are_reported_where_first_used() {
    // out(x, w) :- r(x), !s(v), w > 3.
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "r", &[("a", "u64")]),
        b.decl(Input, "s", &[("a", "u64")]),
        b.decl(Output, "out", &[("a", "u64"), ("b", "u64")]),
    ];
    let h = b.head("out", b.vars(&["x", "w"]));
    let r = b.pos("r", &["x"]);
    let s = b.neg("s", &["v"]);
    let (w, three) = (b.var("w"), b.int(3));
    let c = b.cmp(w, CmpOp::Gt, three);
    items.push(b.rule(h, vec![r, s, c]));
    assert_eq!(
        codes(&items),
        vec![Code::UnboundHeadVariable, Code::UnboundNegatedVariable]
    );
}

#[test]
fn unknown_relation_is_one_diagnostic() {
    // out(x) :- edg(x, y, z).  (no arity or type errors follow)
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "edge", &[("a", "u64"), ("b", "u64")]),
        b.decl(Output, "out", &[("a", "u64")]),
    ];
    let (h, body) = (
        b.head("out", b.vars(&["x"])),
        vec![b.pos("edg", &["x", "y", "z"])],
    );
    items.push(b.rule(h, body));
    let (_, diagnostics) = check(&items);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::UnknownRelation);
    assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `edge`?"));
}

#[test]
fn variable_types_do_not_depend_on_atom_order() {
    // out(x) :- a(x), b(x).  with a: u64, b: string, in both orders: one conflict.
    for flip in [false, true] {
        let b = B::default();
        let mut items = vec![
            b.decl(Input, "a", &[("c", "u64")]),
            b.decl(Input, "b", &[("c", "string")]),
            b.decl(Output, "out", &[("c", "u64")]),
        ];
        let h = b.head("out", b.vars(&["x"]));
        let mut body = vec![b.pos("a", &["x"]), b.pos("b", &["x"])];
        if flip {
            body.reverse();
        }
        items.push(b.rule(h, body));
        assert_eq!(codes(&items), vec![Code::ConflictingVariableTypes]);
    }
}

#[test]
fn aggregates_check_names_grouping_and_types() {
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "e", &[("a", "u64"), ("b", "string")]),
        b.decl(Output, "n", &[("a", "u64"), ("b", "i64")]),
        b.decl(Output, "s", &[("a", "u64"), ("b", "string")]),
        b.decl(Output, "m", &[("a", "u64"), ("b", "u64")]),
    ];
    // n(x, count(y)) :- e(x, y).   count into an i64 column: E0603.
    let h = b.head("n", vec![HeadArg::Expr(b.var("x")), b.agg("count", "y")]);
    let body = vec![b.pos("e", &["x", "y"])];
    items.push(b.rule(h, body));
    // s(x, sum(y)) :- e(x, y).    sum of strings: E0603.
    let h = b.head("s", vec![HeadArg::Expr(b.var("x")), b.agg("sum", "y")]);
    let body = vec![b.pos("e", &["x", "y"])];
    items.push(b.rule(h, body));
    // m(x, avg(x)) :- e(x, _).    unknown aggregate: E0601.
    let h = b.head("m", vec![HeadArg::Expr(b.var("x")), b.agg("avg", "x")]);
    let body = vec![b.pos("e", &["x", "_"])];
    items.push(b.rule(h, body));
    // m(x, x) :- e(x, _).         plain rule beside... only an unknown one: no E0602.
    let h = b.head("m", b.vars(&["x", "x"]));
    let body = vec![b.pos("e", &["x", "_"])];
    items.push(b.rule(h, body));
    // m(x, max(x)) :- e(x, _).    disagrees with the plain rule above: E0602.
    let h = b.head("m", vec![HeadArg::Expr(b.var("x")), b.agg("max", "x")]);
    let body = vec![b.pos("e", &["x", "_"])];
    items.push(b.rule(h, body));
    assert_eq!(
        codes(&items),
        vec![
            Code::AggregateType,
            Code::AggregateType,
            Code::UnknownAggregate,
            Code::UngroupableAggregate
        ]
    );
}

#[test]
fn facts_get_typed_values() {
    let b = B::default();
    let mut items = vec![b.decl(Table, "t", &[("a", "i64"), ("b", "f64")])];
    let neg = {
        let one = b.int(1);
        let span = b.span().to(one.span());
        Expr::Neg(Box::new(one), span)
    };
    let h = b.head("t", vec![HeadArg::Expr(neg), HeadArg::Expr(b.int(3))]);
    items.push(b.rule(h, Vec::new()));
    let (program, diagnostics) = check(&items);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let facts = program.expect("checked").facts;
    assert_eq!(
        facts,
        vec![(RelId(0), vec![Const::I64(-1), Const::F64(3.0)])]
    );

    // The same fact into a u64 column is a type error.
    let b = B::default();
    let mut items = vec![b.decl(Table, "t", &[("a", "u64")])];
    let neg = {
        let one = b.int(1);
        let span = b.span().to(one.span());
        Expr::Neg(Box::new(one), span)
    };
    let h = b.head("t", vec![HeadArg::Expr(neg)]);
    items.push(b.rule(h, Vec::new()));
    assert_eq!(codes(&items), vec![Code::TypeMismatch]);
}

#[test]
fn writes_to_inputs_and_deletes_from_scratch_are_rejected() {
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "i", &[("a", "u64")]),
        b.decl(Scratch, "s", &[("a", "u64")]),
    ];
    let (h, body) = (b.head("i", b.vars(&["x"])), vec![b.pos("s", &["x"])]);
    items.push(b.rule(h, body));
    let mut h = b.head("s", b.vars(&["x"]));
    h.delete = Some(b.span());
    let body = vec![b.pos("i", &["x"])];
    items.push(b.rule(h, body));
    assert_eq!(
        codes(&items),
        vec![Code::WriteToInput, Code::DeleteFromNonTable]
    );
}

#[test]
fn an_unbound_variable_is_reported_once_not_through_its_bindings() {
    // out(x, d) :- r(x), d = x - cut, cut = q / 10.   Only `q` is a mistake.
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "r", &[("a", "u64")]),
        b.decl(Output, "out", &[("a", "u64"), ("b", "u64")]),
    ];
    let h = b.head("out", b.vars(&["x", "d"]));
    let r = b.pos("r", &["x"]);
    let (d, x, cut) = (b.var("d"), b.var("x"), b.var("cut"));
    let minus = Expr::Binary {
        op: ArithOp::Sub,
        span: x.span().to(cut.span()),
        lhs: Box::new(x),
        rhs: Box::new(cut),
    };
    let c1 = b.cmp(d, CmpOp::Eq, minus);
    let (cut, q, ten) = (b.var("cut"), b.var("q"), b.int(10));
    let div = Expr::Binary {
        op: ArithOp::Div,
        span: q.span().to(ten.span()),
        lhs: Box::new(q),
        rhs: Box::new(ten),
    };
    let c2 = b.cmp(cut, CmpOp::Eq, div);
    items.push(b.rule(h, vec![r, c1, c2]));
    let (_, diagnostics) = check(&items);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, Code::UnboundComparisonVariable);
    assert!(diagnostics[0].message.contains("`q`"));
}

#[test]
fn lowering_gets_the_types_of_comparisons_and_aggregates() {
    // stats(s, sum(v), count(t)) :- r(s, t, v), t > 1.   with t: i64, v: f64.
    let b = B::default();
    let mut items = vec![
        b.decl(Input, "r", &[("s", "string"), ("t", "i64"), ("v", "f64")]),
        b.decl(
            Output,
            "stats",
            &[("s", "string"), ("sum", "f64"), ("n", "u64")],
        ),
    ];
    let h = b.head(
        "stats",
        vec![
            HeadArg::Expr(b.var("s")),
            b.agg("sum", "v"),
            b.agg("count", "t"),
        ],
    );
    let r = b.pos("r", &["s", "t", "v"]);
    let c = b.cmp(b.var("t"), CmpOp::Gt, b.int(1));
    items.push(b.rule(h, vec![r, c]));
    let (program, diagnostics) = check(&items);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let rule = &program.expect("checked").rules[0];
    assert_eq!(rule.compare_types.get(&1), Some(&ColumnType::I64));
    assert_eq!(rule.aggregate_types.get(&1), Some(&ColumnType::F64));
    // `count` counts `i64` values into a `u64` column.
    assert_eq!(rule.aggregate_types.get(&2), Some(&ColumnType::I64));
    assert_eq!(rule.var_types["s"], ColumnType::String);
}
