//! Ticks: `@next` and `delete` across ticks, what persists and what is emptied,
//! quiescence and [`run_ticks`].

use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::ir::{ArithOp, CmpOp, Fact, Plan, RelId, RelationKind, Timing};

use crate::support::*;

/// Inputs `add` 0 and `forget` 1, table `seen` 2, output `now` 3.
fn seen_plan() -> Plan {
    Plan {
        lattices: Default::default(),
        relations: vec![
            relation("add", RelationKind::Input, &[U64]),
            relation("forget", RelationKind::Input, &[U64]),
            relation("seen", RelationKind::Table, &[U64]),
            relation("now", RelationKind::Output, &[U64]),
        ],
        facts: vec![],
        strata: vec![
            stratum(
                &[3],
                false,
                vec![rule(
                    "now(x) :- seen(x).",
                    vec![U64],
                    head(3, vec![slot(0)]),
                    vec![scan(2, vec![bind(0)])],
                    vec![],
                )],
            ),
            stratum(
                &[],
                false,
                vec![
                    rule(
                        "seen(x)@next :- add(x).",
                        vec![U64],
                        head_at(2, Timing::Next, vec![slot(0)]),
                        vec![scan(0, vec![bind(0)])],
                        vec![],
                    ),
                    rule(
                        "delete seen(x) :- forget(x).",
                        vec![U64],
                        head_at(2, Timing::Delete, vec![slot(0)]),
                        vec![scan(1, vec![bind(0)])],
                        vec![],
                    ),
                ],
            ),
        ],
    }
}

#[test]
fn next_and_delete_take_effect_in_the_next_tick() {
    let mut engine = Interpreter::new(seen_plan());
    push_all(&mut engine, 0, &rows(&[&[1], &[2]]));
    let first = engine.tick();
    assert!(
        emitted(&first, 3).is_empty(),
        "@next tuples are not visible yet"
    );
    assert!(!first.quiescent);

    let second = engine.tick();
    assert_eq!(emitted(&second, 3), rows(&[&[1], &[2]]));
    assert!(!second.quiescent, "the @next inserts arrived in this tick");

    // Deleting and re-adding 1 at one boundary keeps it: deletes apply first.
    push_all(&mut engine, 1, &rows(&[&[1], &[2]]));
    push_all(&mut engine, 0, &rows(&[&[1]]));
    let third = engine.tick();
    assert_eq!(
        emitted(&third, 3),
        rows(&[&[1], &[2]]),
        "deletes wait for the boundary"
    );

    let fourth = engine.tick();
    assert_eq!(emitted(&fourth, 3), rows(&[&[1]]));
    assert!(!fourth.quiescent, "a delete took effect in this tick");
    let fifth = engine.tick();
    assert_eq!(emitted(&fifth, 3), rows(&[&[1]]));
    assert!(fifth.quiescent);
}

/// Table `t` 0 with the fact `t(1)`, output `o` 1 with `o(x) :- t(x).`, and `extra`
/// rules.
fn table_plan(extra: Vec<hydro_runtime::ir::RulePlan>) -> Plan {
    Plan {
        lattices: Default::default(),
        relations: vec![
            relation("t", RelationKind::Table, &[U64]),
            relation("o", RelationKind::Output, &[U64]),
        ],
        facts: vec![Fact {
            rel: RelId(0),
            values: vec![u(1)],
        }],
        strata: vec![
            stratum(
                &[1],
                false,
                vec![rule(
                    "o(x) :- t(x).",
                    vec![U64],
                    head(1, vec![slot(0)]),
                    vec![scan(0, vec![bind(0)])],
                    vec![],
                )],
            ),
            stratum(&[], false, extra),
        ],
    }
}

fn keep_and_delete(timing: Timing, source: &str) -> hydro_runtime::ir::RulePlan {
    rule(
        source,
        vec![U64],
        head_at(0, timing, vec![slot(0)]),
        vec![scan(0, vec![bind(0)])],
        vec![],
    )
}

#[test]
fn delete_applies_before_next_at_the_same_boundary() {
    let plan = table_plan(vec![
        keep_and_delete(Timing::Next, "t(x)@next :- t(x)."),
        keep_and_delete(Timing::Delete, "delete t(x) :- t(x)."),
    ]);
    let mut engine = Interpreter::new(plan);
    let first = engine.tick();
    assert_eq!(emitted(&first, 1), rows(&[&[1]]));
    assert!(!first.quiescent, "the first tick had facts");
    let second = engine.tick();
    assert_eq!(
        emitted(&second, 1),
        rows(&[&[1]]),
        "re-inserted after the delete"
    );
    assert!(
        second.quiescent,
        "deleting and re-inserting t(1) changes nothing"
    );
}

#[test]
fn delete_alone_empties_the_table() {
    let plan = table_plan(vec![keep_and_delete(
        Timing::Delete,
        "delete t(x) :- t(x).",
    )]);
    let report = run_ticks(&mut Interpreter::new(plan), 10);
    assert_eq!(
        report.ticks, 3,
        "facts, then the delete, then a quiescent tick"
    );
    assert!(report.quiescent);
    assert_eq!(report.emitted[0].1.len(), 1);
}

/// Input `i` 0, scratch `s` 1, table `t` 2, outputs `from_i` 3, `from_s` 4, `from_t`
/// 5; facts `s(5)` and `t(7)`; `t(x) :- i(x).`
#[test]
fn scratch_input_and_output_are_emptied_tables_persist() {
    let copy = |source: &str, from: u32, to: u32| {
        rule(
            source,
            vec![U64],
            head(to, vec![slot(0)]),
            vec![scan(from, vec![bind(0)])],
            vec![],
        )
    };
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("i", RelationKind::Input, &[U64]),
            relation("s", RelationKind::Scratch, &[U64]),
            relation("t", RelationKind::Table, &[U64]),
            relation("from_i", RelationKind::Output, &[U64]),
            relation("from_s", RelationKind::Output, &[U64]),
            relation("from_t", RelationKind::Output, &[U64]),
        ],
        facts: vec![
            Fact {
                rel: RelId(1),
                values: vec![u(5)],
            },
            Fact {
                rel: RelId(2),
                values: vec![u(7)],
            },
        ],
        strata: vec![
            stratum(&[2], false, vec![copy("t(x) :- i(x).", 0, 2)]),
            stratum(
                &[3, 4, 5],
                false,
                vec![
                    copy("from_i(x) :- i(x).", 0, 3),
                    copy("from_s(x) :- s(x).", 1, 4),
                    copy("from_t(x) :- t(x).", 2, 5),
                ],
            ),
        ],
    };
    let mut engine = Interpreter::new(plan);
    push_all(&mut engine, 0, &rows(&[&[9]]));
    let first = engine.tick();
    assert_eq!(emitted(&first, 3), rows(&[&[9]]));
    assert_eq!(emitted(&first, 4), rows(&[&[5]]));
    assert_eq!(emitted(&first, 5), rows(&[&[7], &[9]]));
    assert!(!first.quiescent);

    let second = engine.tick();
    assert!(emitted(&second, 3).is_empty(), "input is emptied");
    assert!(emitted(&second, 4).is_empty(), "scratch is emptied");
    assert_eq!(
        emitted(&second, 5),
        rows(&[&[7], &[9]]),
        "the table persists"
    );
    assert!(second.quiescent, "t(x) :- i(x) added nothing this tick");

    push_all(&mut engine, 0, &rows(&[&[9]]));
    let third = engine.tick();
    assert!(!third.quiescent, "input arrived, even a known tuple");
    assert_eq!(emitted(&third, 5), rows(&[&[7], &[9]]));
}

/// Table `n` 0 with `n(0)`, output `cur` 1: `n(y)@next :- n(x), y = x + 1, y <= limit.`
fn counter(limit: u64) -> Plan {
    let mut plan = table_plan(vec![rule(
        "n(y)@next :- n(x), y = x + 1, y <= limit.",
        vec![U64, U64],
        head_at(0, Timing::Next, vec![slot(1)]),
        vec![
            scan(0, vec![bind(0)]),
            let_(1, binary(ArithOp::Add, U64, slot(0), constant(u(1)))),
            filter(CmpOp::Le, U64, slot(1), constant(u(limit))),
        ],
        vec![],
    )]);
    plan.facts[0].values = vec![u(0)];
    plan
}

#[test]
fn run_ticks_stops_at_the_first_quiescent_tick() {
    let report = run_ticks(&mut Interpreter::new(counter(3)), 100);
    assert!(report.quiescent);
    // Ticks 1-4 each grow n (tick 4 receives n(3)); tick 5 repeats tick 4.
    assert_eq!(report.ticks, 5);
    assert_eq!(
        report.emitted,
        vec![(RelId(1), (0..=3).map(|v| vec![u(v)]).collect())]
    );

    let capped = run_ticks(&mut Interpreter::new(counter(3)), 2);
    assert!(!capped.quiescent);
    assert_eq!(capped.ticks, 2);
    assert_eq!(capped.emitted[0].1.len(), 2);
}

#[test]
fn scratch_scheduled_every_tick_never_quiesces() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![relation("s", RelationKind::Scratch, &[U64])],
        facts: vec![Fact {
            rel: RelId(0),
            values: vec![u(1)],
        }],
        strata: vec![stratum(
            &[],
            false,
            vec![rule(
                "s(x)@next :- s(x).",
                vec![U64],
                head_at(0, Timing::Next, vec![slot(0)]),
                vec![scan(0, vec![bind(0)])],
                vec![],
            )],
        )],
    };
    let report = run_ticks(&mut Interpreter::new(plan), 6);
    assert_eq!(report.ticks, 6);
    assert!(!report.quiescent);
}

#[test]
fn an_empty_program_is_quiescent_at_once() {
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![],
        facts: vec![],
        strata: vec![],
    };
    let report = run_ticks(&mut Interpreter::new(plan), 5);
    assert_eq!((report.ticks, report.quiescent), (1, true));
}

/// Table `t(k, v)` 0 with facts, inputs `q` 1 and `forget` 2, output `r` 3:
/// `r(v) :- q(k), t(k, v).` (an index on `t`'s first column) and
/// `delete t(k, v) :- forget(k), t(k, v).`
#[test]
fn indexes_follow_deletes() {
    let fact = |k: u64, v: u64| Fact {
        rel: RelId(0),
        values: vec![u(k), u(v)],
    };
    let plan = Plan {
        lattices: Default::default(),
        relations: vec![
            relation("t", RelationKind::Table, &[U64, U64]),
            relation("q", RelationKind::Input, &[U64]),
            relation("forget", RelationKind::Input, &[U64]),
            relation("r", RelationKind::Output, &[U64]),
        ],
        facts: vec![fact(1, 10), fact(1, 11), fact(2, 20), fact(3, 30)],
        strata: vec![
            stratum(
                &[3],
                false,
                vec![rule(
                    "r(v) :- q(k), t(k, v).",
                    vec![U64, U64],
                    head(3, vec![slot(1)]),
                    vec![scan(1, vec![bind(0)]), scan(0, vec![eq(0), bind(1)])],
                    vec![],
                )],
            ),
            stratum(
                &[],
                false,
                vec![rule(
                    "delete t(k, v) :- forget(k), t(k, v).",
                    vec![U64, U64],
                    head_at(0, Timing::Delete, vec![slot(0), slot(1)]),
                    vec![scan(2, vec![bind(0)]), scan(0, vec![eq(0), bind(1)])],
                    vec![],
                )],
            ),
        ],
    };
    let mut engine = Interpreter::new(plan);
    push_all(&mut engine, 1, &rows(&[&[1], &[3]]));
    push_all(&mut engine, 2, &rows(&[&[1]]));
    let first = engine.tick();
    assert_eq!(emitted(&first, 3), rows(&[&[10], &[11], &[30]]));

    push_all(&mut engine, 1, &rows(&[&[1], &[2], &[3]]));
    let second = engine.tick();
    assert_eq!(
        emitted(&second, 3),
        rows(&[&[20], &[30]]),
        "t(1, _) is gone"
    );
    let third = engine.tick();
    assert!(third.quiescent);
}
