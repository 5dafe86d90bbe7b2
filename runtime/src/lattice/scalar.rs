//! The lattices over one totally ordered element: [`Max`], [`Min`] and [`Bool`].
//!
//! Each is a chain (any two values are comparable), which also makes them safe as the
//! dominating half of a [`DomPair`](super::DomPair).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::merge::{Bottom, Greatest, LatticeOrd, Least, Merge};

/// The greatest value seen.
///
/// - merge: the larger element (`max`);
/// - order: the element's order (`Max(1) < Max(2)`);
/// - bottom: the element's least value, for elements that have one ([`Least`]: `0u64`,
///   `i64::MIN`, `false`, `""`). In Hydro programs `Max<T>` has no bottom: a relation
///   stores no value for a key until one arrives;
/// - laws: all of [`Merge`]'s (a chain).
///
/// Serialized as the bare element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Max<T>(T);

impl<T> Max<T> {
    /// The lattice value holding `value`.
    pub fn new(value: T) -> Self {
        Max(value)
    }

    /// The element.
    pub fn get(&self) -> &T {
        &self.0
    }

    /// The element, by value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: Ord> Merge for Max<T> {
    fn merge(&mut self, other: Self) -> bool {
        if other.0 > self.0 {
            self.0 = other.0;
            true
        } else {
            false
        }
    }
}

impl<T: Ord> LatticeOrd for Max<T> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.0.cmp(&other.0))
    }
}

impl<T: Least> Bottom for Max<T> {
    fn bottom() -> Self {
        Max(T::least())
    }
}

/// The least value seen.
///
/// - merge: the smaller element (`min`);
/// - order: the reverse of the element's order (`Min(2) < Min(1)`: the lattice grows
///   as the element shrinks). The derived [`Ord`] is the element's order, not this one;
/// - bottom: the element's greatest value, for elements that have one ([`Greatest`]:
///   `u64::MAX`, `i64::MAX`, `true`). In Hydro programs `Min<T>` has no bottom;
/// - laws: all of [`Merge`]'s (a chain).
///
/// Serialized as the bare element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Min<T>(T);

impl<T> Min<T> {
    /// The lattice value holding `value`.
    pub fn new(value: T) -> Self {
        Min(value)
    }

    /// The element.
    pub fn get(&self) -> &T {
        &self.0
    }

    /// The element, by value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: Ord> Merge for Min<T> {
    fn merge(&mut self, other: Self) -> bool {
        if other.0 < self.0 {
            self.0 = other.0;
            true
        } else {
            false
        }
    }
}

impl<T: Ord> LatticeOrd for Min<T> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(other.0.cmp(&self.0))
    }
}

impl<T: Greatest> Bottom for Min<T> {
    fn bottom() -> Self {
        Min(T::greatest())
    }
}

/// The or-lattice: false until it becomes true, then true forever.
///
/// - merge: `or`;
/// - order: `false < true`;
/// - bottom: `false`;
/// - laws: all of [`Merge`]'s (a chain).
///
/// Serialized as the bare `bool`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Bool(bool);

impl Bool {
    /// The lattice value holding `value`.
    pub fn new(value: bool) -> Self {
        Bool(value)
    }

    /// The element.
    pub fn get(&self) -> bool {
        self.0
    }
}

impl Merge for Bool {
    fn merge(&mut self, other: Self) -> bool {
        let grew = other.0 && !self.0;
        self.0 |= other.0;
        grew
    }
}

impl LatticeOrd for Bool {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.0.cmp(&other.0))
    }
}

impl Bottom for Bool {
    fn bottom() -> Self {
        Bool(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_grows_as_its_element_shrinks() {
        let mut d = Min::new(7u64);
        assert!(d.merge(Min::new(3)));
        assert!(!d.merge(Min::new(5)));
        assert_eq!(*d.get(), 3);
        assert!(Min::new(5u64).lattice_le(&d));
        assert_eq!(Min::<u64>::bottom(), Min::new(u64::MAX));
    }

    #[test]
    fn max_and_bool_keep_the_larger() {
        let mut m = Max::new(-2i64);
        assert!(m.merge(Max::new(4)));
        assert!(!m.merge(Max::new(4)));
        assert_eq!(m.into_inner(), 4);
        let mut b = Bool::bottom();
        assert!(b.merge(Bool::new(true)));
        assert!(!b.merge(Bool::new(false)));
        assert!(b.get());
    }
}
