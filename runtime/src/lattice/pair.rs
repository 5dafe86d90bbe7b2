//! Lattices of two lattices: the product [`Pair`] and the lexicographic [`DomPair`].

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::merge::{pointwise, Bottom, LatticeOrd, Merge};

/// The product of two lattices.
///
/// - merge: pointwise (`(a1, b1) ⊔ (a2, b2) = (a1 ⊔ a2, b1 ⊔ b2)`);
/// - order: pointwise;
/// - bottom: `(⊥, ⊥)` when both halves have one;
/// - laws: all of [`Merge`]'s when both halves keep them.
///
/// Serialized as a two-element sequence (JSON `[a,b]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pair<A, B>(A, B);

impl<A, B> Pair<A, B> {
    /// The pair of `first` and `second`.
    pub fn new(first: A, second: B) -> Self {
        Pair(first, second)
    }

    /// The first half.
    pub fn first(&self) -> &A {
        &self.0
    }

    /// The second half.
    pub fn second(&self) -> &B {
        &self.1
    }

    /// Both halves, by value.
    pub fn into_parts(self) -> (A, B) {
        (self.0, self.1)
    }

    /// Merges `other` into `self` with the given merges of the halves (for halves whose
    /// merge needs context or can fail); returns whether `self` changed. The first error
    /// stops the merge.
    pub fn merge_with<E>(
        &mut self,
        other: Self,
        merge_first: impl FnOnce(&mut A, A) -> Result<bool, E>,
        merge_second: impl FnOnce(&mut B, B) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let first = merge_first(&mut self.0, other.0)?;
        Ok(merge_second(&mut self.1, other.1)? | first)
    }
}

impl<A: Merge, B: Merge> Merge for Pair<A, B> {
    fn merge(&mut self, other: Self) -> bool {
        let first = self.0.merge(other.0);
        self.1.merge(other.1) | first
    }
}

impl<A: LatticeOrd, B: LatticeOrd> LatticeOrd for Pair<A, B> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        pointwise(self.0.lattice_cmp(&other.0), self.1.lattice_cmp(&other.1))
    }
}

impl<A: Bottom, B: Bottom> Bottom for Pair<A, B> {
    fn bottom() -> Self {
        Pair(A::bottom(), B::bottom())
    }
}

/// A dominating pair: lexicographic, the first lattice dominating (typically a
/// timestamp or version, with the data it stamps).
///
/// - merge: if one first half is strictly greater, that side; if the first halves are
///   equal, the first half with the merge of the second halves; if they are
///   incomparable, both halves merged;
/// - order: lexicographic: by the first halves, and by the second halves where the first
///   halves are equal; incomparable first halves make the pair incomparable;
/// - bottom: `(⊥, ⊥)` when both halves have one;
/// - laws: all of [`Merge`]'s **only when the first lattice is totally ordered** (a
///   chain: [`Max`](super::Max), [`Min`](super::Min), [`Bool`](super::Bool),
///   [`Lww`](super::Lww)), so that first halves are never incomparable. With a first
///   lattice that has incomparable values (a set, a vector clock), merge is commutative
///   and idempotent but not associative: with `a = ({1}, {a})`, `e = ({2}, {e})` and
///   `b = ({1, 2}, {b})`, `(a ⊔ e) ⊔ b` keeps `a` and `e` in the second half while
///   `a ⊔ (e ⊔ b)` does not. `DomPair` does not check its first lattice: whoever
///   builds the type (the compiler, for programs) must keep it to a chain.
///
/// Serialized as a two-element sequence (JSON `[a,b]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DomPair<A, B>(A, B);

impl<A, B> DomPair<A, B> {
    /// The pair of the dominating `first` and `second`.
    pub fn new(first: A, second: B) -> Self {
        DomPair(first, second)
    }

    /// The dominating half.
    pub fn first(&self) -> &A {
        &self.0
    }

    /// The dominated half.
    pub fn second(&self) -> &B {
        &self.1
    }

    /// Both halves, by value.
    pub fn into_parts(self) -> (A, B) {
        (self.0, self.1)
    }

    /// Merges `other` into `self` with the given order of the first halves and merges
    /// of the halves (for halves whose merge needs context or can fail); returns whether
    /// `self` changed. The first error stops the merge.
    pub fn merge_with<E>(
        &mut self,
        other: Self,
        cmp_first: impl FnOnce(&A, &A) -> Result<Option<Ordering>, E>,
        merge_first: impl FnOnce(&mut A, A) -> Result<bool, E>,
        merge_second: impl FnOnce(&mut B, B) -> Result<bool, E>,
    ) -> Result<bool, E> {
        match cmp_first(&self.0, &other.0)? {
            Some(Ordering::Greater) => Ok(false),
            Some(Ordering::Less) => {
                *self = other;
                Ok(true)
            }
            Some(Ordering::Equal) => merge_second(&mut self.1, other.1),
            None => {
                merge_first(&mut self.0, other.0)?;
                merge_second(&mut self.1, other.1)?;
                Ok(true)
            }
        }
    }

    /// The lattice order of `self` and `other` with the given orders of the halves; see
    /// [`DomPair::merge_with`].
    pub fn cmp_with<E>(
        &self,
        other: &Self,
        cmp_first: impl FnOnce(&A, &A) -> Result<Option<Ordering>, E>,
        cmp_second: impl FnOnce(&B, &B) -> Result<Option<Ordering>, E>,
    ) -> Result<Option<Ordering>, E> {
        match cmp_first(&self.0, &other.0)? {
            Some(Ordering::Equal) => cmp_second(&self.1, &other.1),
            strict => Ok(strict),
        }
    }
}

impl<A: Merge + LatticeOrd, B: Merge> Merge for DomPair<A, B> {
    fn merge(&mut self, other: Self) -> bool {
        let merged = self.merge_with(
            other,
            |mine, theirs| Ok::<_, std::convert::Infallible>(mine.lattice_cmp(theirs)),
            |mine, theirs| Ok(mine.merge(theirs)),
            |mine, theirs| Ok(mine.merge(theirs)),
        );
        match merged {
            Ok(grew) => grew,
            Err(never) => match never {},
        }
    }
}

impl<A: LatticeOrd, B: LatticeOrd> LatticeOrd for DomPair<A, B> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        match self.0.lattice_cmp(&other.0)? {
            Ordering::Equal => self.1.lattice_cmp(&other.1),
            strict => Some(strict),
        }
    }
}

impl<A: Bottom, B: Bottom> Bottom for DomPair<A, B> {
    fn bottom() -> Self {
        DomPair(A::bottom(), B::bottom())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::{Max, Set};

    #[test]
    fn pairs_merge_pointwise() {
        let mut p = Pair::new(Max::new(1u64), Set::singleton("a"));
        assert!(p.merge(Pair::new(Max::new(0), Set::singleton("b"))));
        assert_eq!((*p.first().get(), p.second().len()), (1, 2));
        assert_eq!(
            Pair::new(Max::new(2u64), Set::new()).lattice_cmp(&p),
            None,
            "(2, {{}}) and (1, {{a, b}}) are incomparable"
        );
    }

    #[test]
    fn dominating_half_decides() {
        let mut p = DomPair::new(Max::new(1u64), Set::singleton("a"));
        assert!(p.merge(DomPair::new(Max::new(1), Set::singleton("b"))));
        assert!(!p.merge(DomPair::new(Max::new(0), Set::singleton("c"))));
        assert!(p.merge(DomPair::new(Max::new(2), Set::singleton("d"))));
        assert_eq!(p.into_parts(), (Max::new(2), Set::singleton("d")));
    }
}
