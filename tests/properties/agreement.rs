//! The engine agrees with the reference evaluator on every output relation.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::generate::{cases, Mode};
use crate::reference::Db;
use crate::{config, engine, reference};

proptest! {
    #![proptest_config(config())]

    /// One tick of a program without tables: the tuples every output relation emits
    /// until quiescence are exactly the reference's.
    #[test]
    fn engine_agrees_with_reference_in_one_tick(case in cases(Mode::SingleTick)) {
        let text = case.program.render();
        let expected = reference::run(&case.program, &case.inputs, 1).remove(0);
        let actual = engine::run_to_quiescence(&text, &case.inputs[0])
            .map_err(|e| TestCaseError::fail(format!("{e}\nprogram:\n{text}")))?;
        prop_assert!(actual == expected, "{}program:\n{}", differences(&expected, &actual), text);
    }

    /// Several ticks with tables, `@next` and `delete`: every tick's outputs are the
    /// reference's. Two ticks past the last input show what was scheduled. A tick the
    /// engine calls quiescent, with no input after it, must be one that the next tick
    /// repeats.
    #[test]
    fn engine_agrees_with_reference_over_ticks(case in cases(Mode::Ticks)) {
        let text = case.program.render();
        let ticks = case.inputs.len() + 2;
        let expected = reference::run(&case.program, &case.inputs, ticks + 1);
        let actual = engine::run_ticks_one_by_one(&text, &case.inputs, ticks)
            .map_err(|e| TestCaseError::fail(format!("{e}\nprogram:\n{text}")))?;
        for (tick, actual) in actual.iter().enumerate() {
            prop_assert!(
                actual.outputs == expected[tick],
                "tick {}:\n{}program:\n{}",
                tick + 1,
                differences(&expected[tick], &actual.outputs),
                text
            );
            let no_more_input = tick + 1 >= case.inputs.len();
            prop_assert!(
                !(actual.quiescent && no_more_input) || expected[tick + 1] == expected[tick],
                "the engine called tick {} quiescent, but tick {} differs:\n{}program:\n{}",
                tick + 1,
                tick + 2,
                differences(&expected[tick], &expected[tick + 1]),
                text
            );
        }
    }
}

/// Per relation that differs: the expected tuples, and those missing or extra in the
/// engine's result.
pub fn differences(expected: &Db, actual: &Db) -> String {
    let mut out = String::new();
    let names: std::collections::BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    for name in names {
        let (e, a) = (expected.get(name), actual.get(name));
        if e == a {
            continue;
        }
        let empty = Default::default();
        let (e, a) = (e.unwrap_or(&empty), a.unwrap_or(&empty));
        let missing: Vec<_> = e.difference(a).collect();
        let extra: Vec<_> = a.difference(e).collect();
        out.push_str(&format!(
            "{name}: expected {e:?}\n  missing from the engine: {missing:?}\n  \
             extra in the engine: {extra:?}\n"
        ));
    }
    out
}
