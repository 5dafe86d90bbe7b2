//! Counters as lattices: the grow-only [`Counter`] and the up-and-down [`PnCounter`].
//!
//! A counter cannot merge by adding (merge must be idempotent), so each writer keeps its
//! own count, which only grows, and the merge takes the larger count per writer. The
//! total is the sum over writers.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::clock::{advance, cmp_max, merge_max, nonzero};
use super::merge::{pointwise, Bottom, LatticeOrd, Merge};

/// A grow-only counter: writer to that writer's count.
///
/// - merge: pointwise max;
/// - order: pointwise, an absent writer counting 0;
/// - bottom: no writers (total 0);
/// - laws: all of [`Merge`]'s.
///
/// Serialized as a map from writer to count in ascending writer order (JSON `{"w":3}`);
/// zero entries are dropped when reading.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[serde(bound(deserialize = "W: Deserialize<'de> + Ord"))]
pub struct Counter<W = String>(#[serde(deserialize_with = "nonzero")] BTreeMap<W, u64>);

impl<W: Ord> Counter<W> {
    /// The counter at 0.
    pub fn new() -> Self {
        Counter(BTreeMap::new())
    }

    /// The counter where `writer` has counted `count`.
    pub fn singleton(writer: W, count: u64) -> Self {
        let mut counter = Counter::new();
        advance(&mut counter.0, writer, count);
        counter
    }

    /// The count of `writer` (0 if absent).
    pub fn get(&self, writer: &W) -> u64 {
        self.0.get(writer).copied().unwrap_or(0)
    }

    /// Adds `by` to the count of `writer` (saturating); returns whether it grew.
    pub fn add(&mut self, writer: W, by: u64) -> bool {
        let count = self.get(&writer).saturating_add(by);
        advance(&mut self.0, writer, count)
    }

    /// The sum of the counts, or `None` when it exceeds `u64::MAX`. This is the total
    /// Hydro's `total(c)` and `value(c)` read: a sum that overflows has no value.
    pub fn checked_total(&self) -> Option<u64> {
        self.0
            .values()
            .try_fold(0u64, |sum, count| sum.checked_add(*count))
    }

    /// The sum of the counts, saturating at `u64::MAX`: monotone, but a saturated total
    /// no longer tells counters apart. See [`Counter::checked_total`] for the exact sum.
    pub fn total(&self) -> u64 {
        self.checked_total().unwrap_or(u64::MAX)
    }

    /// The sum of the counts, exactly.
    fn wide_total(&self) -> u128 {
        self.0.values().map(|count| u128::from(*count)).sum()
    }

    /// The nonzero counts in ascending writer order.
    pub fn iter(&self) -> impl Iterator<Item = (&W, u64)> {
        self.0.iter().map(|(writer, count)| (writer, *count))
    }

    /// The nonzero counts as a standard map.
    pub fn as_map(&self) -> &BTreeMap<W, u64> {
        &self.0
    }
}

impl<W: Ord> Default for Counter<W> {
    fn default() -> Self {
        Counter::new()
    }
}

impl<W: Ord> FromIterator<(W, u64)> for Counter<W> {
    /// Collects counts, keeping the largest count of a repeated writer.
    fn from_iter<I: IntoIterator<Item = (W, u64)>>(iter: I) -> Self {
        let mut counter = Counter::new();
        for (writer, count) in iter {
            advance(&mut counter.0, writer, count);
        }
        counter
    }
}

impl<W: Ord> Merge for Counter<W> {
    fn merge(&mut self, other: Self) -> bool {
        merge_max(&mut self.0, other.0)
    }
}

impl<W: Ord> LatticeOrd for Counter<W> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        cmp_max(&self.0, &other.0)
    }
}

impl<W: Ord> Bottom for Counter<W> {
    fn bottom() -> Self {
        Counter::new()
    }
}

/// A counter that counts up and down: a [`Counter`] of increments `p` and one of
/// decrements `n`; its value is `total(p) - total(n)`.
///
/// - merge: pointwise on `p` and `n`;
/// - order: pointwise (the value itself is not monotone: it falls as `n` grows);
/// - bottom: both counters at 0;
/// - laws: all of [`Merge`]'s.
///
/// Serialized as a struct (JSON `{"p":{"w":3},"n":{"w":1}}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(serialize = "W: Serialize", deserialize = "W: Deserialize<'de> + Ord"))]
pub struct PnCounter<W = String> {
    p: Counter<W>,
    n: Counter<W>,
}

impl<W: Ord> PnCounter<W> {
    /// The counter at 0.
    pub fn new() -> Self {
        PnCounter::from_parts(Counter::new(), Counter::new())
    }

    /// The counter with increments `p` and decrements `n`.
    pub fn from_parts(p: Counter<W>, n: Counter<W>) -> Self {
        PnCounter { p, n }
    }

    /// The counter where `writer` has counted `up` increments and `down` decrements.
    pub fn singleton(writer: W, up: u64, down: u64) -> Self
    where
        W: Clone,
    {
        let p = Counter::singleton(writer.clone(), up);
        PnCounter::from_parts(p, Counter::singleton(writer, down))
    }

    /// The increments.
    pub fn increments(&self) -> &Counter<W> {
        &self.p
    }

    /// The decrements.
    pub fn decrements(&self) -> &Counter<W> {
        &self.n
    }

    /// Increments minus decrements, exactly.
    pub fn value(&self) -> i128 {
        // Each total is below 2^64 times the number of writers, far inside i128.
        let total = |counter: &Counter<W>| i128::try_from(counter.wide_total());
        let (p, n) = (total(&self.p), total(&self.n));
        p.unwrap_or(i128::MAX)
            .saturating_sub(n.unwrap_or(i128::MAX))
    }
}

impl<W: Ord> Default for PnCounter<W> {
    fn default() -> Self {
        PnCounter::new()
    }
}

impl<W: Ord> Merge for PnCounter<W> {
    fn merge(&mut self, other: Self) -> bool {
        let up = self.p.merge(other.p);
        self.n.merge(other.n) | up
    }
}

impl<W: Ord> LatticeOrd for PnCounter<W> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        pointwise(self.p.lattice_cmp(&other.p), self.n.lattice_cmp(&other.n))
    }
}

impl<W: Ord> Bottom for PnCounter<W> {
    fn bottom() -> Self {
        PnCounter::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_merge_per_writer_and_sum() {
        let mut c = Counter::singleton("a", 3);
        assert!(c.merge(Counter::singleton("b", 2)));
        assert!(!c.merge(Counter::singleton("a", 1)));
        assert_eq!(c.total(), 5);
        assert!(c.add("a", 4));
        assert_eq!(c.get(&"a"), 7);
        let big: Counter<_> = [("a", u64::MAX), ("b", 1)].into_iter().collect();
        assert_eq!(big.total(), u64::MAX);
        assert_eq!(big.checked_total(), None);
        let full: Counter<_> = [("a", u64::MAX - 1), ("b", 1)].into_iter().collect();
        assert_eq!(full.checked_total(), Some(u64::MAX));
    }

    #[test]
    fn pn_counters_count_down() {
        let mut c = PnCounter::singleton("a", 2, 0);
        assert!(c.merge(PnCounter::singleton("b", 0, 5)));
        assert_eq!(c.value(), -3);
        let big: Counter<_> = [("a", u64::MAX), ("b", u64::MAX)].into_iter().collect();
        let wide = PnCounter::from_parts(big, Counter::new());
        assert_eq!(wide.value(), 2 * i128::from(u64::MAX));
    }
}
