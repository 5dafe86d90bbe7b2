//! Engine tests: hand-written plans run through the [`Interpreter`], one module per
//! concern (joins and negation, aggregates, ticks, and a property test of semi-naive
//! evaluation against a naive fixpoint).
//!
//! [`Interpreter`]: hydro_runtime::engine::Interpreter

mod aggregates;
mod joins;
mod proptests;
mod support;
mod ticks;
mod timing;
