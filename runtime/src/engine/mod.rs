//! The tick engine: Bloom's tick semantics over a [`Plan`](crate::ir::Plan).
//!
//! A tick (1) takes the tuples scheduled for it (`@next` inserts, `delete`s, new input
//! and, in the first tick, the program's facts), (2) runs the strata in order, each to
//! its fixpoint, (3) reports the tuples of every `output` relation, and (4) empties
//! `input`, `output` and `scratch` relations, keeping `table`s.
//!
//! [`TickEngine`] is the interface every backend implements (this crate's
//! [`Interpreter`] and, later, generated code); [`run_ticks`] drives one to
//! quiescence.

mod aggregate;
mod compile;
mod eval;
mod expr;
mod interpreter;
mod lattice;

pub use interpreter::Interpreter;

use crate::ir::{RelId, RelationSchema};
use crate::value::Const;

/// A tuple given to the engine whose shape does not match its relation.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InputError {
    /// The relation is not an `input`.
    #[error("relation `{0}` is not an input")]
    NotAnInput(String),
    /// Wrong number of values.
    #[error("relation `{rel}` has {expected} columns, the tuple has {found} values")]
    Arity {
        /// The relation.
        rel: String,
        /// Its arity.
        expected: usize,
        /// The tuple's length.
        found: usize,
    },
    /// A value of the wrong type.
    #[error("column {column} of `{rel}` is {expected}, the value is {found}")]
    Type {
        /// The relation.
        rel: String,
        /// Zero-based column.
        column: usize,
        /// The column's type.
        expected: crate::value::ColumnType,
        /// The value's type.
        found: crate::value::ColumnType,
    },
}

/// What one tick produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickOutput {
    /// For each `output` relation that emitted tuples this tick, its tuples (any order).
    pub outputs: Vec<(RelId, Vec<Vec<Const>>)>,
    /// True when the next tick would repeat this one exactly: no input arrived, no
    /// table changed, and nothing is scheduled for the next tick. Running further
    /// ticks can then produce nothing new.
    pub quiescent: bool,
}

/// The interface shared by every backend that runs a plan.
pub trait TickEngine {
    /// The relations of the program, indexed by [`RelId`].
    fn relations(&self) -> &[RelationSchema];

    /// Queues a tuple for an `input` relation; it is visible in the next tick run.
    fn push_input(&mut self, rel: RelId, tuple: Vec<Const>) -> Result<(), InputError>;

    /// Runs one tick.
    fn tick(&mut self) -> TickOutput;
}

/// Every tuple each `output` relation emitted, over all ticks run: sorted, without
/// duplicates.
pub type Emitted = Vec<(RelId, Vec<Vec<Const>>)>;

/// How a run of ticks ended.
#[derive(Clone, Debug, PartialEq)]
pub struct RunReport {
    /// The number of ticks run.
    pub ticks: u64,
    /// Whether the last tick was quiescent (otherwise the tick limit stopped the run).
    pub quiescent: bool,
    /// One entry per `output` relation, in declaration order, with every tuple it
    /// emitted in any tick.
    pub emitted: Emitted,
}

/// Runs ticks until one is quiescent or `max_ticks` have run, collecting outputs.
pub fn run_ticks(engine: &mut dyn TickEngine, max_ticks: u64) -> RunReport {
    let mut emitted: Emitted = engine
        .relations()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == crate::ir::RelationKind::Output)
        .map(|(i, _)| (RelId(i as u32), Vec::new()))
        .collect();
    let mut report = RunReport {
        ticks: 0,
        quiescent: false,
        emitted: Vec::new(),
    };
    while report.ticks < max_ticks {
        let out = engine.tick();
        report.ticks += 1;
        for (rel, tuples) in out.outputs {
            if let Some((_, set)) = emitted.iter_mut().find(|(r, _)| *r == rel) {
                set.extend(tuples);
            }
        }
        tracing::debug!(tick = report.ticks, quiescent = out.quiescent, "tick done");
        if out.quiescent {
            report.quiescent = true;
            break;
        }
    }

    // Sorting once at the end is far cheaper than keeping an ordered set while ticks
    // run; a tuple emitted in several ticks appears once.
    for (_, tuples) in &mut emitted {
        tuples.sort_unstable();
        tuples.dedup();
    }
    report.emitted = emitted;
    report
}
