//! Lattices: values that only grow, by merging.
//!
//! - [`merge`] holds the traits: [`Merge`] (with the laws every lattice keeps),
//!   [`LatticeOrd`] and [`Bottom`];
//! - the typed lattices, generic Rust types used by generated code and by Rust users:
//!   [`Max`], [`Min`], [`Bool`] ([`scalar`]), [`Set`], [`Map`] ([`collection`]), [`Lww`]
//!   ([`lww`]), [`VClock`], [`Causal`] ([`clock`]), [`Counter`], [`PnCounter`]
//!   ([`counter`]), [`Pair`], [`DomPair`] ([`pair`]);
//! - [`laws`] checks the laws on given values (the property tests use it);
//! - [`types`] names lattice types for the compiler and the plan;
//! - [`dynamic`] is what the interpreter computes with: one value type for every lattice
//!   type of a program, its text form, the operations and constructors of the language,
//!   threshold tests, and lattices implemented in Rust (`extern lattice`).
//!
//! ```
//! use hydro_runtime::lattice::{LatticeOrd, Merge, Min};
//!
//! // A shortest distance: the lattice grows as the distance shrinks.
//! let mut dist = Min::new(7u64);
//! assert!(dist.merge(Min::new(3)));
//! assert!(!dist.merge(Min::new(5)));
//! assert_eq!(*dist.get(), 3);
//! assert!(Min::new(5).lattice_le(&dist));
//! ```

pub mod clock;
pub mod collection;
pub mod counter;
pub mod dynamic;
pub mod laws;
pub mod lww;
pub mod merge;
pub mod pair;
pub mod scalar;
pub mod types;

pub use clock::{Causal, VClock};
pub use collection::{Map, Set};
pub use counter::{Counter, PnCounter};
pub use dynamic::{
    AnyValue, Constructor, ExternLattice, ExternValue, Externs, LatticeError, LatticeValue,
    Operation, Signature,
};
pub use lww::Lww;
pub use merge::{Bottom, Greatest, LatticeOrd, Least, Merge};
pub use pair::{DomPair, Pair};
pub use scalar::{Bool, Max, Min};
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
