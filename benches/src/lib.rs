//! Hydro's comparison benchmark: the same Datalog workloads on the same tuples, run by
//! `hydro run` (the release binary, as a process), by Hydro's engine in process, and
//! by the `ascent` and `crepe` crates.
//!
//! [`graph`] generates the inputs deterministically, [`facts`] writes and reads them as
//! Soufflé-style facts files (so every engine reads the very same tuples), [`peers`]
//! holds the ascent and crepe programs, and [`hydro`] runs the Hydro ones. The
//! `compare` binary drives the measurements and prints the table.

#![warn(missing_docs)]

pub mod facts;
pub mod graph;
pub mod hydro;
pub mod peers;

use std::any::Any;
use std::fmt;

/// A pair of node ids: an edge, or a derived pair.
pub type Pair = (u64, u64);

/// What a timed evaluation returns: the number of derived tuples, and the engine's
/// results kept alive so that freeing them happens after the clock stops, for every
/// engine alike.
pub struct Outcome {
    /// The number of tuples in the output relation.
    pub tuples: u64,
    /// The results, dropped by the caller once the time is taken.
    pub results: Box<dyn Any>,
}

impl Outcome {
    /// An outcome of `tuples` tuples holding `results`.
    pub fn new(tuples: usize, results: impl Any) -> Outcome {
        Outcome {
            tuples: tuples as u64,
            results: Box::new(results),
        }
    }
}

/// A benchmarked computation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    /// Transitive closure: `path(x, z) :- path(x, y), edge(y, z).`
    Tc,
    /// Same generation: `sg(x, y) :- parent(x, a), sg(a, b), parent(y, b).`
    Sg,
}

impl Workload {
    /// Every workload, in table order.
    pub const ALL: [Workload; 2] = [Workload::Tc, Workload::Sg];

    /// The input relation's name (and its facts file's stem).
    pub fn input(self) -> &'static str {
        match self {
            Workload::Tc => "edge",
            Workload::Sg => "parent",
        }
    }

    /// The output relation's name (and its CSV file's stem).
    pub fn output(self) -> &'static str {
        match self {
            Workload::Tc => "path",
            Workload::Sg => "sg",
        }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Workload::Tc => "transitive closure",
            Workload::Sg => "same generation",
        })
    }
}

/// Who evaluates a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// `hydro run` as a process: reads facts files, writes sorted CSV (end to end).
    HydroCli,
    /// Hydro's interpreter in process: `run_ticks` on inputs already pushed.
    HydroEngine,
    /// The `ascent` crate, single-threaded.
    Ascent,
    /// The `crepe` crate.
    Crepe,
}

impl Engine {
    /// Every engine, in table order.
    pub const ALL: [Engine; 4] = [
        Engine::HydroCli,
        Engine::HydroEngine,
        Engine::Ascent,
        Engine::Crepe,
    ];
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::HydroCli => "hydro run",
            Engine::HydroEngine => "hydro engine",
            Engine::Ascent => "ascent",
            Engine::Crepe => "crepe",
        })
    }
}
