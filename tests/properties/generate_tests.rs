//! Tests of the generator: its programs are well formed (checked here independently of
//! how they were built), the reference evaluates them, and over a few hundred cases
//! every feature the properties are meant to cover shows up.

use std::collections::BTreeSet;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use crate::generate::{cases, Mode};
use crate::program::{Case, Expr, HeadArg, Kind, Literal, Program, Rule, Term, Timing, Value};
use crate::reference;

/// `count` cases of the mode, from a fixed seed.
fn sample(mode: Mode, count: usize) -> Vec<Case> {
    let mut runner = TestRunner::deterministic();
    let strategy = cases(mode);
    (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("generation cannot fail")
                .current()
        })
        .collect()
}

/// Why a rule is not well formed, if it is not.
fn problem(program: &Program, rule: &Rule) -> Option<String> {
    let head = program.relation(&rule.head_rel);
    if head.kind == Kind::Input || head.arity != rule.head.len() {
        return Some("bad head".to_owned());
    }
    if rule.timing == Timing::Delete && head.kind != Kind::Table {
        return Some("delete from a non-table".to_owned());
    }
    let aggregate = rule.head.iter().any(|a| matches!(a, HeadArg::Agg(..)));

    // Levels: positive atoms <= head (< for aggregates), negations < head.
    for lit in &rule.body {
        let (atom, limit) = match lit {
            Literal::Pos(a) if aggregate => (a, head.level - 1),
            Literal::Pos(a) => (a, head.level),
            Literal::Neg(a) => (a, head.level - 1),
            _ => continue,
        };
        let rel = program.relation(&atom.rel);
        if rel.arity != atom.args.len() {
            return Some(format!("arity of {}", atom.rel));
        }
        if rule.timing == Timing::Now && rel.level > limit {
            return Some(format!("{} read above its level", atom.rel));
        }
    }

    // Range restriction: bind from positive atoms, then `=` until nothing changes.
    let mut bound: BTreeSet<String> = BTreeSet::new();
    for lit in &rule.body {
        if let Literal::Pos(a) = lit {
            bound.extend(a.args.iter().filter_map(|t| match t {
                Term::Var(v) => Some(v.clone()),
                _ => None,
            }));
        }
    }
    let vars = |e: &Expr| {
        let mut s = BTreeSet::new();
        e.collect_vars(&mut s);
        s
    };
    loop {
        let before = bound.len();
        for lit in &rule.body {
            if let Literal::Assign(v, e) = lit {
                if vars(e).is_subset(&bound) {
                    bound.insert(v.clone());
                }
            }
        }
        if bound.len() == before {
            break;
        }
    }
    if rule.variables().is_subset(&bound) {
        None
    } else {
        Some("a variable is not range-restricted".to_owned())
    }
}

#[test]
fn generated_programs_are_well_formed_and_evaluate() {
    for mode in [Mode::SingleTick, Mode::Ticks] {
        for case in sample(mode, 300) {
            for rule in &case.program.rules {
                let problem = problem(&case.program, rule);
                assert!(
                    problem.is_none(),
                    "{problem:?} in `{}` of {case:?}",
                    rule.render(case.program.ty)
                );
            }
            // Every non-delete rule of a relation aggregates the same way, and an
            // aggregating relation has one such rule.
            let mut shapes = std::collections::BTreeMap::new();
            let mut aggregating = BTreeSet::new();
            for rule in case
                .program
                .rules
                .iter()
                .filter(|r| r.timing != Timing::Delete)
            {
                let shape: Vec<String> = rule
                    .head
                    .iter()
                    .map(|a| match a {
                        HeadArg::Agg(f, _) => format!("{f:?}"),
                        HeadArg::Expr(_) => String::new(),
                    })
                    .collect();
                if shape.iter().any(|f| !f.is_empty()) {
                    let one = aggregating.insert(rule.head_rel.clone());
                    assert!(
                        one,
                        "two rules aggregate into {} in {case:?}",
                        rule.head_rel
                    );
                }
                let first = shapes.entry(rule.head_rel.clone()).or_insert(shape.clone());
                assert_eq!(*first, shape, "aggregates of {} in {case:?}", rule.head_rel);
            }
            let reports = reference::run(&case.program, &case.inputs, case.inputs.len() + 2);
            assert_eq!(reports.len(), case.inputs.len() + 2);
        }
    }
}

#[test]
fn generated_programs_cover_every_feature() {
    let mut seen = BTreeSet::new();
    for mode in [Mode::SingleTick, Mode::Ticks] {
        for case in sample(mode, 300) {
            let p = &case.program;
            for rule in &p.rules {
                let level = p.relation(&rule.head_rel).level;
                let mut vars_in_atoms = BTreeSet::new();
                for lit in &rule.body {
                    match lit {
                        Literal::Pos(a) => {
                            if a.rel == rule.head_rel {
                                seen.insert("recursion");
                            }
                            let vars: Vec<_> = a
                                .args
                                .iter()
                                .filter(|t| matches!(t, Term::Var(_)))
                                .collect();
                            if vars.len() > vars.iter().collect::<BTreeSet<_>>().len() {
                                seen.insert("repeated variable in an atom");
                            }
                            for t in &a.args {
                                match t {
                                    Term::Const(c) if *c < 0 => {
                                        seen.insert("negative constant in an atom")
                                    }
                                    Term::Const(_) => seen.insert("constant in an atom"),
                                    Term::Wild => seen.insert("wildcard"),
                                    Term::Var(v) if !vars_in_atoms.insert(v) => {
                                        seen.insert("join on a shared variable")
                                    }
                                    Term::Var(_) => false,
                                };
                            }
                            if a.args.is_empty() {
                                seen.insert("zero-column relation");
                            }
                        }
                        Literal::Neg(_) => {
                            seen.insert("negation");
                        }
                        Literal::Cmp(..) => {
                            seen.insert("comparison");
                        }
                        Literal::Assign(..) => {
                            seen.insert("= binding");
                        }
                    }
                }
                let recursive_atoms = rule
                    .body
                    .iter()
                    .filter(|l| matches!(l, Literal::Pos(a) if a.rel == rule.head_rel))
                    .count();
                if recursive_atoms >= 2 {
                    seen.insert("non-linear recursion");
                }
                if rule.timing == Timing::Now && level >= 2 {
                    seen.insert("rule above level 1");
                }
                for arg in &rule.head {
                    if let HeadArg::Agg(_, Expr::Bin(..)) = arg {
                        seen.insert("aggregate over an operation");
                    }
                    match arg {
                        HeadArg::Agg(f, _) => seen.insert(match f {
                            crate::program::AggFunc::Count => "count",
                            crate::program::AggFunc::Sum => "sum",
                            crate::program::AggFunc::Min => "min",
                            crate::program::AggFunc::Max => "max",
                        }),
                        HeadArg::Expr(Expr::Bin(..)) => seen.insert("head expression"),
                        HeadArg::Expr(_) => false,
                    };
                }
                if rule
                    .head
                    .iter()
                    .filter(|a| matches!(a, HeadArg::Agg(..)))
                    .count()
                    >= 2
                {
                    seen.insert("two aggregates in a head");
                }
                seen.insert(match rule.timing {
                    Timing::Now => "same-tick rule",
                    Timing::Next => "@next",
                    Timing::Delete => "delete",
                });
            }
            seen.insert(match p.ty {
                crate::program::Type::U64 => "u64 program",
                crate::program::Type::I64 => "i64 program",
                crate::program::Type::Str => "string program",
            });
            let values = case
                .inputs
                .iter()
                .flat_map(|i| i.values())
                .flatten()
                .flatten();
            for v in values {
                if *v < 0 {
                    seen.insert("negative input value");
                }
                if *v == Value::from(u64::MAX) || *v == Value::from(i64::MIN) {
                    seen.insert("extreme input value");
                }
            }
            if p.relations.iter().any(|r| r.kind == Kind::Table) {
                seen.insert("table");
            }
            if p.relations.iter().any(|r| r.kind == Kind::Scratch) {
                seen.insert("scratch");
            }
        }
    }
    let wanted = [
        "recursion",
        "non-linear recursion",
        "repeated variable in an atom",
        "constant in an atom",
        "wildcard",
        "join on a shared variable",
        "zero-column relation",
        "negation",
        "comparison",
        "= binding",
        "rule above level 1",
        "count",
        "sum",
        "min",
        "max",
        "head expression",
        "two aggregates in a head",
        "aggregate over an operation",
        "u64 program",
        "i64 program",
        "string program",
        "negative input value",
        "extreme input value",
        "negative constant in an atom",
        "same-tick rule",
        "@next",
        "delete",
        "table",
        "scratch",
    ];
    let missing: Vec<_> = wanted.iter().filter(|w| !seen.contains(*w)).collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
}

#[test]
fn most_generated_programs_derive_something() {
    // Rules over relations that stay empty, or whose filters reject everything, test
    // little: a generator drifting that way should fail here, not pass silently.
    let cases = sample(Mode::SingleTick, 300);
    let productive = cases
        .iter()
        .filter(|case| {
            let mut db = reference::Db::new();
            for (rel, tuples) in &case.inputs[0] {
                db.entry(rel.clone())
                    .or_default()
                    .extend(tuples.iter().cloned());
            }
            for (rel, values) in &case.program.facts {
                db.entry(rel.clone()).or_default().insert(values.clone());
            }
            reference::evaluate_levels(&case.program, &mut db);
            case.program
                .rules
                .iter()
                .any(|rule| !reference::derive(rule, &db, case.program.ty).is_empty())
        })
        .count();
    assert!(
        productive * 2 > cases.len(),
        "only {productive} of {} derive a tuple",
        cases.len()
    );
}
