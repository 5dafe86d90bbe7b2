//! Results never depend on rule order, body literal order or variable names: the
//! engine's outputs on a generated program and on a rewritten copy are identical.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::agreement::differences;
use crate::generate::{cases, Mode};
use crate::program::Program;
use crate::{config, engine};

/// The keywords, which cannot be variable names. (Aggregate, type and `next` are not
/// keywords: the rewrites use them as variable names on purpose.)
const RESERVED: &[&str] = &[
    "input", "output", "table", "scratch", "delete", "import", "true", "false",
];

/// A rewrite of a program that keeps its meaning: sort keys for the declarations, the
/// facts, the rules and each rule's body literals (a stable sort, so all-zero keys,
/// where shrinking ends, keep the order), and candidate variable names.
#[derive(Clone)]
struct Rewrite {
    declaration_keys: Vec<u32>,
    fact_keys: Vec<u32>,
    rule_keys: Vec<u32>,
    literal_keys: Vec<Vec<u32>>,
    names: Vec<String>,
}

/// The failure message shows the rewritten program; the sort keys add nothing to it.
impl std::fmt::Debug for Rewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "(the rewritten program above; names drawn: {:?})",
            self.names
        )
    }
}

fn rewrites() -> impl Strategy<Value = Rewrite> {
    let keys = || prop::collection::vec(any::<u32>(), 16);
    (
        keys(),
        keys(),
        keys(),
        prop::collection::vec(keys(), 16),
        prop::collection::vec(name(), 16),
    )
        .prop_map(
            |(declaration_keys, fact_keys, rule_keys, literal_keys, names)| Rewrite {
                declaration_keys,
                fact_keys,
                rule_keys,
                literal_keys,
                names,
            },
        )
}

/// A fresh identifier, one of the generator's own variable names (so that a rewrite
/// can also swap the names of two variables), or a word that is a name in the language
/// but not a keyword.
fn name() -> impl Strategy<Value = String> {
    const OWN: [&str; 6] = ["x", "y", "z", "w", "v0", "v1"];
    const WORDS: [&str; 7] = ["count", "sum", "min", "max", "next", "u64", "string"];
    prop_oneof![
        6 => "[a-z][a-z0-9_]{0,5}",
        2 => prop::sample::select(&OWN[..]).prop_map(str::to_owned),
        1 => prop::sample::select(&WORDS[..]).prop_map(str::to_owned),
    ]
}

/// Sorts `items` by `keys[i]` (0 past the end of `keys`), stably.
fn shuffled<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| keys.get(i).copied().unwrap_or(0));
    order.into_iter().map(|i| items[i].clone()).collect()
}

/// The program with its declarations, facts, rules and literals reordered and every
/// variable renamed by one bijection (names are made distinct, and kept off keywords
/// and relation names).
fn rewrite(program: &Program, how: &Rewrite) -> Program {
    let variables: BTreeSet<String> = program.rules.iter().flat_map(|r| r.variables()).collect();
    let relations: BTreeSet<&str> = program.relations.iter().map(|r| r.name.as_str()).collect();
    let mut taken = BTreeSet::new();
    let mut names = BTreeMap::new();
    for (i, var) in variables.iter().enumerate() {
        let mut name = how.names[i % how.names.len()].clone();
        while RESERVED.contains(&name.as_str())
            || relations.contains(name.as_str())
            || taken.contains(&name)
        {
            name = format!("{name}_{i}");
        }
        taken.insert(name.clone());
        names.insert(var.clone(), name);
    }
    let rules = program
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let mut rule = rule.renamed(&names);
            let keys = how.literal_keys.get(i).map(Vec::as_slice).unwrap_or(&[]);
            rule.body = shuffled(&rule.body, keys);
            rule
        })
        .collect::<Vec<_>>();
    Program {
        ty: program.ty,
        relations: shuffled(&program.relations, &how.declaration_keys),
        facts: shuffled(&program.facts, &how.fact_keys),
        rules: shuffled(&rules, &how.rule_keys),
    }
}

proptest! {
    #![proptest_config(config())]

    /// Rewriting a one-tick program does not change what its outputs emit.
    #[test]
    fn rule_order_literal_order_and_names_do_not_matter(
        case in cases(Mode::SingleTick),
        how in rewrites(),
    ) {
        let original = case.program.render();
        let rewritten = rewrite(&case.program, &how).render();
        let fail = |e: String| TestCaseError::fail(format!(
            "{e}\noriginal program:\n{original}\nrewritten program:\n{rewritten}"
        ));
        let expected = engine::run_to_quiescence(&original, &case.inputs[0]).map_err(fail)?;
        let actual = engine::run_to_quiescence(&rewritten, &case.inputs[0]).map_err(fail)?;
        prop_assert!(
            actual == expected,
            "{}original program:\n{}\nrewritten program:\n{}",
            differences(&expected, &actual),
            original,
            rewritten
        );
    }

    /// The same over several ticks with tables, `@next` and `delete`.
    #[test]
    fn rewriting_does_not_matter_over_ticks(case in cases(Mode::Ticks), how in rewrites()) {
        let original = case.program.render();
        let rewritten = rewrite(&case.program, &how).render();
        let ticks = case.inputs.len() + 2;
        let fail = |e: String| TestCaseError::fail(format!(
            "{e}\noriginal program:\n{original}\nrewritten program:\n{rewritten}"
        ));
        let expected =
            engine::run_ticks_one_by_one(&original, &case.inputs, ticks).map_err(fail)?;
        let actual =
            engine::run_ticks_one_by_one(&rewritten, &case.inputs, ticks).map_err(fail)?;
        for (tick, (expected, actual)) in expected.iter().zip(&actual).enumerate() {
            prop_assert!(
                actual == expected,
                "tick {} (quiescent: {} vs {}):\n{}original program:\n{}\nrewritten program:\n{}",
                tick + 1,
                expected.quiescent,
                actual.quiescent,
                differences(&expected.outputs, &actual.outputs),
                original,
                rewritten
            );
        }
    }
}

#[test]
fn rewriting_renames_bijectively_and_reorders() {
    use crate::program::{Atom, Expr, HeadArg, Literal, Rule, Term, Timing};
    let rule = Rule {
        head_rel: "r0".to_owned(),
        head: vec![HeadArg::Expr(Expr::Var("x".to_owned()))],
        body: vec![
            Literal::Pos(Atom {
                rel: "e0".to_owned(),
                args: vec![Term::Var("x".to_owned()), Term::Var("y".to_owned())],
            }),
            Literal::Cmp(
                Expr::Var("x".to_owned()),
                crate::program::CmpOp::Lt,
                Expr::Var("y".to_owned()),
            ),
        ],
        timing: Timing::Now,
    };
    let program = Program {
        ty: crate::program::Type::U64,
        relations: vec![],
        facts: vec![],
        rules: vec![rule],
    };
    // x and y would both become `table`: a keyword, so each gets a distinct suffix.
    let how = Rewrite {
        declaration_keys: vec![],
        fact_keys: vec![],
        rule_keys: vec![],
        literal_keys: vec![vec![1, 0]],
        names: vec!["table".to_owned()],
    };
    let text = rewrite(&program, &how).render();
    assert_eq!(
        text,
        "r0(table_0) :- table_0 < table_1, e0(table_0, table_1).\n"
    );
}
