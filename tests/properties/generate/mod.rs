//! Random stratified programs and inputs.
//!
//! Proptest generates a *raw* program ([`raw`]): plain numbers and small trees with no
//! constraints between them. [`build`] then turns it into a well-formed [`Program`]:
//! every index is taken modulo the choices valid at that point, so that any raw value,
//! and in particular any value proptest shrinks to, builds a valid program, and the
//! raw value 0 always picks the simplest choice. Validity by construction:
//!
//! - Stratification: relations sit in levels (inputs 0, derived 1..=3). A same-tick
//!   rule for a level-k head reads positive atoms of levels <= k, and negated atoms
//!   of levels < k; an aggregate rule reads only levels < k. `@next` and `delete`
//!   rules read anything.
//! - Aggregation: a derived relation either aggregates (the same functions in the same
//!   columns in every rule for it, `delete` rules aside, and then in one rule only,
//!   with no facts) or never does, as the checker requires.
//! - Range restriction: variables in negations, comparisons, `=` expressions and the
//!   head are drawn from the variables already bound by the positive atoms or by an
//!   earlier `=` binding, whose variable is fresh.
//! - Finiteness: recursion cannot build ever larger numbers, because every computed
//!   head value is bounded: head expressions are taken `% 8`, and a `=`-bound variable
//!   that reaches the head is guarded by `v < 8` (and `v > -8` in i64 programs).
//! - Typing: every column of a program is `u64`, or every one `i64`, or every one
//!   `string`; `=` bindings and comparisons name a variable, so their type comes from
//!   the atoms. String programs have no arithmetic (an operation becomes its left
//!   operand) and aggregate with `min` and `max` only.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

mod raw;

use raw::{RawAtom, RawExpr, RawProgram, RawRule, RawTerm, RawTuple};

use crate::program::{
    AggFunc, ArithOp, Atom, Case, CmpOp, Expr, HeadArg, Kind, Literal, Program, Relation, Rule,
    Term, TickInput, Timing, Type, Value,
};

/// Raw values of input tuples and of constants are below this; see [`constant`].
const DOMAIN: u64 = 4;

/// The value of a raw input or fact value: a [`constant`], except that in cases with
/// extremes the largest raw value stands for the type's maximum (and in i64 programs
/// the smallest for its minimum), where arithmetic and sums overflow.
fn input_value(raw: u64, ty: Type, extremes: bool) -> Value {
    let (top, bottom) = (raw == DOMAIN - 1, raw == 0);
    match (ty, extremes) {
        (Type::U64, true) if top => Value::from(u64::MAX),
        (Type::I64, true) if top => Value::from(i64::MAX),
        (Type::I64, true) if bottom => Value::from(i64::MIN),
        _ => constant(raw, ty),
    }
}

/// The length of the chain some cases feed to a binary input (values 0..=7).
const CHAIN: u64 = 7;

/// Computed head values are taken modulo this (and `=`-bound ones kept below it), so
/// they stay in a finite domain.
const HEAD_MODULUS: Value = 8;

/// The value of a raw constant: itself in a u64 program (and the rank of a string in
/// a string program), shifted to straddle zero in an i64 program.
fn constant(raw: u64, ty: Type) -> Value {
    match ty {
        Type::U64 | Type::Str => Value::from(raw),
        Type::I64 => Value::from(raw) - 2,
    }
}

/// The variables positive atoms use; `=` bindings use `v0`, `v1`, ...
const VARS: [&str; 4] = ["x", "y", "z", "w"];

/// How a relation aggregates: the function of each aggregating column.
type Shape = Vec<(AggFunc, usize)>;

/// Which kind of program to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Same-tick rules over `input`, `output` and `scratch` relations, one tick.
    SingleTick,
    /// Also `table`s, `@next` and `delete` rules, and input over a few ticks.
    Ticks,
}

/// Generated cases of the given mode.
pub fn cases(mode: Mode) -> impl Strategy<Value = Case> {
    raw::raw_program(mode).prop_map(move |raw| build(&raw, mode))
}

/// Builds a valid program (and its input) from a raw one.
fn build(raw: &RawProgram, mode: Mode) -> Case {
    let ty = raw.ty;

    // Inputs `e0, e1, ...` at level 0, derived relations `r0, r1, ...` at levels 1..=3.
    let mut relations: Vec<Relation> = raw
        .inputs
        .iter()
        .enumerate()
        .map(|(i, &arity)| Relation {
            name: format!("e{i}"),
            kind: Kind::Input,
            arity,
            level: 0,
        })
        .collect();
    let kinds: &[Kind] = match mode {
        Mode::SingleTick => &[Kind::Output, Kind::Output, Kind::Output, Kind::Scratch],
        Mode::Ticks => &[
            Kind::Output,
            Kind::Table,
            Kind::Output,
            Kind::Scratch,
            Kind::Table,
        ],
    };
    // Over ticks, `r0` is always a table, so that every case has one to keep, insert
    // into and delete from.
    relations.extend(raw.derived.iter().enumerate().map(|(i, r)| Relation {
        name: format!("r{i}"),
        kind: match (mode, i) {
            (Mode::Ticks, 0) => Kind::Table,
            _ => kinds[r.kind % kinds.len()],
        },
        arity: r.arity,
        level: r.level + 1,
    }));

    // Which derived relations aggregate, with which function in which column: the
    // same in every rule for the relation (as the checker requires).
    // At least one column stays a group key.
    let shapes: BTreeMap<String, Shape> = raw
        .derived
        .iter()
        .enumerate()
        .filter(|(_, r)| r.arity >= 2)
        .filter_map(|(i, r)| {
            // `count` yields a u64, which an i64 column cannot hold; strings have no
            // sum either.
            let typed = |func| match (func, ty) {
                (AggFunc::Count, Type::I64) => AggFunc::Sum,
                (AggFunc::Count, Type::Str) => AggFunc::Min,
                (AggFunc::Sum, Type::Str) => AggFunc::Max,
                _ => func,
            };
            let (func, column, second) = r.aggregate?;
            let mut shape = vec![(typed(func), column % r.arity)];
            if let Some(second) = second.filter(|_| r.arity >= 3).map(typed) {
                shape.push((second, (column + 1) % r.arity));
            }
            Some((format!("r{i}"), shape))
        })
        .collect();
    // Facts of any relation, input tuples of input relations.
    let tuple = |t: &RawTuple, among: &[&Relation]| {
        let rel = among[t.rel % among.len()];
        let values: Vec<Value> = t.values[..rel.arity]
            .iter()
            .map(|&v| input_value(v, ty, raw.extremes))
            .collect();
        (rel.name.clone(), values)
    };
    let all: Vec<&Relation> = relations.iter().collect();
    let inputs: Vec<&Relation> = relations.iter().filter(|r| r.kind == Kind::Input).collect();
    let mut facts: Vec<(String, Vec<Value>)> = raw.facts.iter().map(|t| tuple(t, &all)).collect();

    // Bodies read only relations that can hold tuples (inputs, relations with facts or
    // rules): atoms over relations that are always empty would make most rules vacuous.
    let derived: Vec<&Relation> = relations.iter().filter(|r| r.kind != Kind::Input).collect();
    let populated: BTreeSet<&str> = inputs
        .iter()
        .map(|r| r.name.as_str())
        .chain(facts.iter().map(|(rel, _)| rel.as_str()))
        .chain(
            raw.rules
                .iter()
                .map(|r| derived[r.head % derived.len()].name.as_str()),
        )
        .collect();
    let readable: Vec<&Relation> = relations
        .iter()
        .filter(|r| populated.contains(r.name.as_str()))
        .collect();
    let mut rules: Vec<Rule> = raw
        .rules
        .iter()
        .filter_map(|r| build_rule(r, &derived, &readable, &shapes, mode, ty))
        .collect();

    // A relation that aggregates is derived by one rule (its `delete` rules aside) and
    // holds no facts, as the checker requires: later rules and its facts are dropped.
    let mut aggregated = BTreeSet::new();
    rules.retain(|r| {
        let aggregates = r.head.iter().any(|a| matches!(a, HeadArg::Agg(..)));
        !aggregates || aggregated.insert(r.head_rel.clone())
    });
    facts.retain(|(rel, _)| !aggregated.contains(rel));

    let mut ticks: Vec<TickInput> = raw
        .ticks
        .iter()
        .map(|tick| {
            let mut input = TickInput::new();
            for t in tick {
                let (rel, values) = tuple(t, &inputs);
                input.entry(rel).or_default().insert(values);
            }
            input
        })
        .collect();
    let binary = inputs.iter().find(|r| r.arity == 2);
    if let (true, Some(rel), Some(first)) = (raw.chain, binary, ticks.first_mut()) {
        let chain = (0..CHAIN).map(|i| vec![constant(i, ty), constant(i + 1, ty)]);
        first.entry(rel.name.clone()).or_default().extend(chain);
    }
    // Every table and scratch relation gets an output that copies it, so that the
    // properties compare its contents in every tick, not only what reaches an output.
    let mut observers = Vec::new();
    for rel in relations
        .iter()
        .filter(|r| matches!(r.kind, Kind::Table | Kind::Scratch))
    {
        let name = format!("seen_{}", rel.name);
        let vars: Vec<String> = VARS[..rel.arity].iter().map(|v| (*v).to_owned()).collect();
        rules.push(Rule {
            head_rel: name.clone(),
            head: vars
                .iter()
                .map(|v| HeadArg::Expr(Expr::Var(v.clone())))
                .collect(),
            body: vec![Literal::Pos(Atom {
                rel: rel.name.clone(),
                args: vars.iter().map(|v| Term::Var(v.clone())).collect(),
            })],
            timing: Timing::Now,
        });
        observers.push(Relation {
            name,
            kind: Kind::Output,
            arity: rel.arity,
            level: rel.level,
        });
    }
    relations.extend(observers);
    Case {
        program: Program {
            ty,
            relations,
            facts,
            rules,
        },
        inputs: ticks,
    }
}

/// A rule for the raw rule's head, or `None` when the head aggregates but the body
/// binds no variable to aggregate.
fn build_rule(
    raw: &RawRule,
    derived: &[&Relation],
    readable: &[&Relation],
    shapes: &BTreeMap<String, Shape>,
    mode: Mode,
    ty: Type,
) -> Option<Rule> {
    // The head, its timing, and so the levels the body may read.
    // A `delete` rule picks its head among the tables (when there are any),
    let tables: Vec<&Relation> = derived
        .iter()
        .copied()
        .filter(|r| r.kind == Kind::Table)
        .collect();
    let timing = match (mode, raw.timing) {
        (Mode::SingleTick, _) | (Mode::Ticks, 0 | 1) => Timing::Now,
        (Mode::Ticks, 3) if !tables.is_empty() => Timing::Delete,
        (Mode::Ticks, _) => Timing::Next,
    };
    // and half the `@next` rules too, so that inserts and deletes meet on one table.
    let head = match timing {
        Timing::Delete => tables[raw.head % tables.len()],
        Timing::Next if raw.head % 2 == 1 && !tables.is_empty() => {
            tables[raw.head / 2 % tables.len()]
        }
        Timing::Now | Timing::Next => derived[raw.head % derived.len()],
    };
    let aggregate = shapes.get(&head.name).filter(|_| timing != Timing::Delete);
    let (max_positive, max_negated) = match timing {
        Timing::Next | Timing::Delete => (usize::MAX, usize::MAX),
        Timing::Now if aggregate.is_some() => (head.level - 1, head.level - 1),
        Timing::Now => (head.level, head.level - 1),
    };
    let readable = |max: usize| -> Vec<&Relation> {
        readable
            .iter()
            .copied()
            .filter(|r| r.level <= max)
            .collect()
    };

    // Positive atoms bind the variables they name.
    let mut body = Vec::new();
    let mut atom_vars: Vec<String> = Vec::new();
    for a in &raw.atoms {
        let atom = build_atom(a, &readable(max_positive), ty, |i| {
            RawTermChoice::Var(VARS[i % VARS.len()].to_owned())
        });
        for t in &atom.args {
            if let Term::Var(v) = t {
                if !atom_vars.contains(v) {
                    atom_vars.push(v.clone());
                }
            }
        }
        body.push(Literal::Pos(atom));
    }

    // `v_j = e` over the variables bound so far; each binding is a fresh variable.
    let mut bound = atom_vars.clone();
    let mut binding_vars = BTreeSet::new();
    // Each names a variable, so that its type is the atoms' u64 (an expression of
    // integer constants alone has no position to take a type from, and the checker
    // gives it the default i64).
    for (j, e) in raw
        .bindings
        .iter()
        .enumerate()
        .filter(|_| !atom_vars.is_empty())
    {
        let expr = with_variable(build_expr(e, &bound, ty), &bound);
        let var = format!("v{j}");
        body.push(Literal::Assign(var.clone(), expr));
        binding_vars.insert(var.clone());
        bound.push(var);
    }

    // Negations and comparisons over bound variables only.
    if let Some(a) = &raw.negation {
        let atom = build_atom(a, &readable(max_negated), ty, |i| match bound.len() {
            0 => RawTermChoice::Wild,
            n => RawTermChoice::Var(bound[i % n].clone()),
        });
        body.push(Literal::Neg(atom));
    }
    for (op, l, r) in raw.comparisons.iter().filter(|_| !atom_vars.is_empty()) {
        let (l, r) = (build_expr(l, &bound, ty), build_expr(r, &bound, ty));
        let l = if has_variable(&r) {
            l
        } else {
            with_variable(l, &bound)
        };
        body.push(Literal::Cmp(l, *op, r));
    }

    // The head: plain variables as they are, operations bounded by `% 8`, bound
    // variables of `=` guarded by `v < 8`; an aggregate over a bound variable
    // replaces one argument.
    let mut guarded = BTreeSet::new();
    let mut head_args: Vec<HeadArg> = raw.head_args[..head.arity]
        .iter()
        .map(|e| {
            let expr = build_expr(e, &bound, ty);
            match expr {
                Expr::Var(ref v) => {
                    let computed = binding_vars.contains(v) && ty != Type::Str;
                    if computed && guarded.insert(v.clone()) {
                        body.push(Literal::Cmp(
                            expr.clone(),
                            CmpOp::Lt,
                            Expr::Const(HEAD_MODULUS),
                        ));
                        if ty == Type::I64 {
                            body.push(Literal::Cmp(
                                expr.clone(),
                                CmpOp::Gt,
                                Expr::Const(-HEAD_MODULUS),
                            ));
                        }
                    }
                    HeadArg::Expr(expr)
                }
                Expr::Const(_) => HeadArg::Expr(expr),
                Expr::Bin(..) => HeadArg::Expr(Expr::Bin(
                    Box::new(expr),
                    ArithOp::Rem,
                    Box::new(Expr::Const(HEAD_MODULUS)),
                )),
            }
        })
        .collect();
    if let Some(shape) = aggregate {
        if atom_vars.is_empty() {
            return None;
        }
        // The argument: the raw head argument of the column, with a variable in it.
        for &(func, column) in shape {
            let arg = with_variable(build_expr(&raw.head_args[column], &bound, ty), &bound);
            head_args[column] = HeadArg::Agg(func, arg);
        }
    }
    Some(Rule {
        head_rel: head.name.clone(),
        head: head_args,
        body,
        timing,
    })
}

/// What a raw variable term becomes where it is used.
enum RawTermChoice {
    Var(String),
    Wild,
}

fn build_atom(
    raw: &RawAtom,
    among: &[&Relation],
    ty: Type,
    var: impl Fn(usize) -> RawTermChoice,
) -> Atom {
    let rel = among[raw.rel % among.len()];
    let args = raw.args[..rel.arity]
        .iter()
        .map(|t| match t {
            RawTerm::Var(i) => match var(*i) {
                RawTermChoice::Var(v) => Term::Var(v),
                RawTermChoice::Wild => Term::Wild,
            },
            RawTerm::Const(c) => Term::Const(constant(c % DOMAIN, ty)),
            RawTerm::Wild => Term::Wild,
        })
        .collect();
    Atom {
        rel: rel.name.clone(),
        args,
    }
}

fn has_variable(e: &Expr) -> bool {
    let mut vars = BTreeSet::new();
    e.collect_vars(&mut vars);
    !vars.is_empty()
}

/// `e`, or when it names no variable, `e` with its leftmost constant replaced by the
/// first of `bound` (which is not empty).
fn with_variable(e: Expr, bound: &[String]) -> Expr {
    if has_variable(&e) {
        return e;
    }
    match e {
        Expr::Bin(l, op, r) => Expr::Bin(Box::new(with_variable(*l, bound)), op, r),
        _ => Expr::Var(bound[0].clone()),
    }
}

/// An expression over `bound` (a constant where no variable is bound); in a string
/// program, which has no arithmetic, an operation is replaced by its left operand.
fn build_expr(raw: &RawExpr, bound: &[String], ty: Type) -> Expr {
    match raw {
        RawExpr::Bin(l, _, _) if ty == Type::Str => build_expr(l, bound, ty),
        RawExpr::Var(i) if bound.is_empty() => Expr::Const(constant(*i as u64 % DOMAIN, ty)),
        RawExpr::Var(i) => Expr::Var(bound[i % bound.len()].clone()),
        RawExpr::Const(c) => Expr::Const(constant(*c, ty)),
        RawExpr::Bin(l, op, r) => Expr::Bin(
            Box::new(build_expr(l, bound, ty)),
            *op,
            Box::new(build_expr(r, bound, ty)),
        ),
    }
}
