//! Lattices: values that only grow, by merging.
//!
//! [`types`] names lattice types for the compiler and the plan.

pub mod ops;
pub mod types;

pub use ops::{Constructor, Operation, Signature};
pub use types::{LatticeId, LatticeType, LatticeTypes};

/// How an operation on lattice values behaves as its argument grows, which is what the
/// CALM analysis needs to know about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Monotonicity {
    /// `f(a ⊔ b) = f(a) ⊔ f(b)`: the operation distributes over merge, so it can be
    /// applied to increments alone.
    Morphism,
    /// `a ≤ b` implies `f(a) ≤ f(b)`: the result only grows, but it must be computed from
    /// the whole merged value.
    Monotone,
    /// Neither: the result can shrink or change as the argument grows (a raw read).
    NonMonotone,
}

impl Monotonicity {
    /// Whether results stay valid as the argument grows (morphisms included).
    pub fn is_monotone(self) -> bool {
        self != Monotonicity::NonMonotone
    }
}
