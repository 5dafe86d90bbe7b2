//! Lattices: values that only grow, by merging.
//!
//! [`types`] names lattice types for the compiler and the plan.

pub mod types;

pub use types::{LatticeId, LatticeType, LatticeTypes};
