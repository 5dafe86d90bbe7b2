//! Checkers for the lattice laws stated on [`Merge`], for given values.
//!
//! Each function checks one law on the values it is given and returns a message naming
//! the law and the values when it fails; property tests feed them generated values.
//! [`check_laws`] runs every law that takes at most three values, and
//! [`check_laws_with_bottom`] adds the bottom's.

use std::cmp::Ordering;
use std::fmt::Debug;

use super::merge::{Bottom, LatticeOrd, Merge};

/// What the checkers need of a lattice type.
pub trait Checkable: Merge + LatticeOrd + Clone + PartialEq + Debug {}

impl<L: Merge + LatticeOrd + Clone + PartialEq + Debug> Checkable for L {}

/// `a ⊔ b`, and whether `a` grew.
fn join<L: Checkable>(a: &L, b: &L) -> (L, bool) {
    let mut joined = a.clone();
    let grew = joined.merge(b.clone());
    (joined, grew)
}

/// Idempotence: `a ⊔ a = a`, and the merge reports no growth.
pub fn check_idempotent<L: Checkable>(a: &L) -> Result<(), String> {
    let (aa, grew) = join(a, a);
    if aa != *a || grew {
        return Err(format!(
            "merge is not idempotent: a = {a:?}, a ⊔ a = {aa:?} (reported growth: {grew})"
        ));
    }
    Ok(())
}

/// Commutativity: `a ⊔ b = b ⊔ a`.
pub fn check_commutative<L: Checkable>(a: &L, b: &L) -> Result<(), String> {
    let ((ab, _), (ba, _)) = (join(a, b), join(b, a));
    if ab != ba {
        return Err(format!(
            "merge is not commutative: a = {a:?}, b = {b:?}, a ⊔ b = {ab:?}, b ⊔ a = {ba:?}"
        ));
    }
    Ok(())
}

/// Associativity: `(a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)`.
pub fn check_associative<L: Checkable>(a: &L, b: &L, c: &L) -> Result<(), String> {
    let (left, _) = join(&join(a, b).0, c);
    let (right, _) = join(a, &join(b, c).0);
    if left != right {
        return Err(format!(
            "merge is not associative: a = {a:?}, b = {b:?}, c = {c:?}, \
             (a ⊔ b) ⊔ c = {left:?}, a ⊔ (b ⊔ c) = {right:?}"
        ));
    }
    Ok(())
}

/// The order and the merge agree on `a` and `b`:
///
/// - `lattice_cmp` is a partial order's comparison: `a` equals itself, swapping the
///   sides reverses the result, and `Equal` means equal values;
/// - `lattice_le` agrees with `lattice_cmp`;
/// - `a ≤ b` iff `a ⊔ b = b`;
/// - `a ⊔ b` is an upper bound of `a` and of `b`;
/// - merge reports growth iff `a ⊔ b ≠ a`.
pub fn check_order<L: Checkable>(a: &L, b: &L) -> Result<(), String> {
    let context = || format!("a = {a:?}, b = {b:?}");
    if a.lattice_cmp(a) != Some(Ordering::Equal) {
        return Err(format!(
            "a is not equal to itself in the lattice order: {}",
            context()
        ));
    }
    let (ab, ba) = (a.lattice_cmp(b), b.lattice_cmp(a));
    if ab != ba.map(Ordering::reverse) {
        return Err(format!(
            "the order is not antisymmetric: cmp(a, b) = {ab:?}, cmp(b, a) = {ba:?}: {}",
            context()
        ));
    }
    if (ab == Some(Ordering::Equal)) != (a == b) {
        return Err(format!(
            "the order calls values equal iff they are not: cmp(a, b) = {ab:?}: {}",
            context()
        ));
    }
    let le = matches!(ab, Some(Ordering::Less | Ordering::Equal));
    if a.lattice_le(b) != le {
        return Err(format!(
            "lattice_le(a, b) = {} disagrees with cmp(a, b) = {ab:?}: {}",
            a.lattice_le(b),
            context()
        ));
    }
    let (joined, grew) = join(a, b);
    if le != (joined == *b) {
        return Err(format!(
            "a ≤ b is {le} but a ⊔ b = {joined:?} {} b: {}",
            if joined == *b { "=" } else { "≠" },
            context()
        ));
    }
    if !a.lattice_le(&joined) || !b.lattice_le(&joined) {
        return Err(format!(
            "a ⊔ b = {joined:?} is not an upper bound of a and b: {}",
            context()
        ));
    }
    if grew != (joined != *a) {
        return Err(format!(
            "merge reported growth {grew}, but a ⊔ b = {joined:?}: {}",
            context()
        ));
    }
    Ok(())
}

/// Transitivity of the order: `a ≤ b` and `b ≤ c` imply `a ≤ c`.
pub fn check_transitive<L: Checkable>(a: &L, b: &L, c: &L) -> Result<(), String> {
    if a.lattice_le(b) && b.lattice_le(c) && !a.lattice_le(c) {
        return Err(format!(
            "the order is not transitive: a ≤ b ≤ c but not a ≤ c: \
             a = {a:?}, b = {b:?}, c = {c:?}"
        ));
    }
    Ok(())
}

/// The merge is the least upper bound: if `a ≤ c` and `b ≤ c` then `a ⊔ b ≤ c`.
pub fn check_least<L: Checkable>(a: &L, b: &L, c: &L) -> Result<(), String> {
    let (joined, _) = join(a, b);
    if a.lattice_le(c) && b.lattice_le(c) && !joined.lattice_le(c) {
        return Err(format!(
            "a ⊔ b = {joined:?} is not the least upper bound: c is above a and b but not \
             above a ⊔ b: a = {a:?}, b = {b:?}, c = {c:?}"
        ));
    }
    Ok(())
}

/// The bottom is the identity of merge and below every value: `⊥ ⊔ a = a ⊔ ⊥ = a`,
/// merging `⊥` into `a` reports no growth, and `⊥ ≤ a`.
pub fn check_bottom<L: Checkable + Bottom>(a: &L) -> Result<(), String> {
    check_bottom_value(&L::bottom(), a)
}

/// [`check_bottom`] with the bottom given as a value (for lattices whose bottom depends
/// on a type known at run time).
pub fn check_bottom_value<L: Checkable>(bottom: &L, a: &L) -> Result<(), String> {
    let (left, _) = join(bottom, a);
    let (right, grew) = join(a, bottom);
    if left != *a || right != *a || grew {
        return Err(format!(
            "bottom {bottom:?} is not the identity of merge: a = {a:?}, ⊥ ⊔ a = {left:?}, \
             a ⊔ ⊥ = {right:?} (reported growth: {grew})"
        ));
    }
    if !bottom.lattice_le(a) {
        return Err(format!("bottom {bottom:?} is not below a = {a:?}"));
    }
    Ok(())
}

/// Every law that takes up to three values, for each arrangement of `a`, `b` and `c`
/// that the law distinguishes.
pub fn check_laws<L: Checkable>(a: &L, b: &L, c: &L) -> Result<(), String> {
    for x in [a, b, c] {
        check_idempotent(x)?;
    }
    for (x, y) in [(a, b), (b, c), (a, c)] {
        check_commutative(x, y)?;
        check_order(x, y)?;
        check_order(y, x)?;
    }
    check_associative(a, b, c)?;
    check_associative(c, a, b)?;
    for (x, y, z) in [(a, b, c), (b, c, a), (c, a, b)] {
        check_transitive(x, y, z)?;
        check_least(x, y, z)?;
    }
    // Merged values are values too: check the order on one, since generated values are
    // rarely comparable.
    let (ab, _) = join(a, b);
    check_order(a, &ab)?;
    check_transitive(a, &ab, &join(&ab, c).0)?;
    check_least(a, b, &join(&ab, c).0)
}

/// [`check_laws`] plus [`check_bottom`] for each value.
pub fn check_laws_with_bottom<L: Checkable + Bottom>(a: &L, b: &L, c: &L) -> Result<(), String> {
    check_laws(a, b, c)?;
    for x in [a, b, c] {
        check_bottom(x)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::{Max, Set};

    /// A merge that is not idempotent: adds.
    #[derive(Clone, Debug, PartialEq)]
    struct Sum(u64);

    impl Merge for Sum {
        fn merge(&mut self, other: Self) -> bool {
            self.0 += other.0;
            other.0 != 0
        }
    }

    impl LatticeOrd for Sum {
        fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.0.cmp(&other.0))
        }
    }

    #[test]
    fn the_checkers_catch_a_broken_lattice() {
        let err = check_laws(&Sum(1), &Sum(2), &Sum(3)).unwrap_err();
        assert!(err.starts_with("merge is not idempotent"), "{err}");
        assert!(check_order(&Sum(1), &Sum(2)).is_err());
    }

    #[test]
    fn the_checkers_pass_real_lattices() {
        let sets = [
            Set::singleton(1u64),
            Set::singleton(2),
            Set::from_iter([1, 2]),
        ];
        check_laws_with_bottom(&sets[0], &sets[1], &sets[2]).unwrap();
        check_laws_with_bottom(&Max::new(3u64), &Max::new(1), &Max::new(3)).unwrap();
    }
}
