//! Hydro's runtime: the values programs compute with, the planned IR that the compiler
//! hands over, relations with their hash indexes, and the tick engine that evaluates a
//! plan with Bloom's tick semantics.
//!
//! The runtime never depends on the compiler: the compiler lowers a checked program to
//! [`ir::Plan`], and anything that implements [`engine::TickEngine`] can run it.

#![warn(missing_docs)]

pub mod engine;
pub mod ir;
pub mod lattice;
mod store;
pub mod value;
