//! The traits every lattice implements: [`Merge`] (the join), [`LatticeOrd`] (the order
//! the join induces) and [`Bottom`] (the least value, where one exists), plus the bounds
//! of element types that give `Max` and `Min` their bottoms.
//!
//! The laws stated here are checked by [`super::laws`] and property-tested for every
//! lattice of the crate.

use std::cmp::Ordering;

/// A join-semilattice: values that only grow, by merging.
///
/// For all values `a`, `b`, `c` of the type, writing `a ⊔ b` for the value of `a` after
/// `a.merge(b)`:
///
/// 1. associative: `(a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)`;
/// 2. commutative: `a ⊔ b = b ⊔ a`;
/// 3. idempotent: `a ⊔ a = a`;
/// 4. `merge` agrees with the lattice order of [`LatticeOrd`]: `a ≤ b` iff `a ⊔ b = b`,
///    so `a ⊔ b` is the least upper bound of `a` and `b`;
/// 5. `merge` returns `true` iff the merged value differs from the old `self` (it grew).
///
/// Which lattices of this crate keep which laws, and where they do not, is said on each
/// type.
pub trait Merge {
    /// Merges `other` into `self`; returns whether `self` changed.
    fn merge(&mut self, other: Self) -> bool;
}

/// A lattice with a least value: `⊥ ⊔ a = a` for every `a`.
pub trait Bottom {
    /// The least value.
    fn bottom() -> Self;
}

/// The partial order of a lattice, which [`Merge`] induces.
///
/// This is deliberately not [`PartialOrd`]: the lattice types derive [`Ord`] for a
/// structural order (used to store and print values deterministically), and the lattice
/// order often differs from it (`Min`'s lattice order reverses its element's order; sets
/// are ordered by inclusion).
pub trait LatticeOrd {
    /// `Some(Less)` if `self < other` in the lattice order, `Some(Equal)` if they are
    /// equal, `Some(Greater)` if `self > other`, `None` if they are incomparable.
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering>;

    /// Whether `self ≤ other` in the lattice order (`self ⊔ other = other`).
    fn lattice_le(&self, other: &Self) -> bool {
        matches!(
            self.lattice_cmp(other),
            Some(Ordering::Less | Ordering::Equal)
        )
    }
}

/// An element type with a least value: the bottom of `Max<T>`.
pub trait Least {
    /// The least value of the type.
    fn least() -> Self;
}

/// An element type with a greatest value: the bottom of `Min<T>`.
pub trait Greatest {
    /// The greatest value of the type.
    fn greatest() -> Self;
}

impl Least for u64 {
    fn least() -> Self {
        0
    }
}

impl Greatest for u64 {
    fn greatest() -> Self {
        u64::MAX
    }
}

impl Least for i64 {
    fn least() -> Self {
        i64::MIN
    }
}

impl Greatest for i64 {
    fn greatest() -> Self {
        i64::MAX
    }
}

impl Least for bool {
    fn least() -> Self {
        false
    }
}

impl Greatest for bool {
    fn greatest() -> Self {
        true
    }
}

/// The empty string; strings have no greatest value, so `Min<String>` has no bottom.
impl Least for String {
    fn least() -> Self {
        String::new()
    }
}

/// Folds the comparison of one component into the comparison of a product so far
/// (pointwise order): equal components change nothing, and components that disagree in
/// direction make the whole incomparable.
pub(crate) fn pointwise(so_far: Option<Ordering>, next: Option<Ordering>) -> Option<Ordering> {
    match (so_far?, next?) {
        (Ordering::Equal, next) => Some(next),
        (so_far, Ordering::Equal) => Some(so_far),
        (so_far, next) if so_far == next => Some(so_far),
        _ => None,
    }
}

/// The lattice order of a set-valued lattice: inclusion.
pub(crate) fn inclusion(self_in_other: bool, other_in_self: bool) -> Option<Ordering> {
    match (self_in_other, other_in_self) {
        (true, true) => Some(Ordering::Equal),
        (true, false) => Some(Ordering::Less),
        (false, true) => Some(Ordering::Greater),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointwise_order_needs_agreeing_components() {
        use Ordering::*;
        assert_eq!(pointwise(Some(Equal), Some(Less)), Some(Less));
        assert_eq!(pointwise(Some(Less), Some(Equal)), Some(Less));
        assert_eq!(pointwise(Some(Greater), Some(Greater)), Some(Greater));
        assert_eq!(pointwise(Some(Less), Some(Greater)), None);
        assert_eq!(pointwise(None, Some(Equal)), None);
        assert_eq!(pointwise(Some(Equal), None), None);
    }
}
