//! Vector clocks ([`VClock`]) and the causal register built on them ([`Causal`]).
//!
//! A vector clock maps each writer to the number of its writes seen. An absent writer
//! counts 0, and zero entries are never stored, so that equal clocks are equal values.
//! [`Counter`](super::Counter) shares the representation and the pointwise-max helpers
//! of this file.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};

use super::merge::{inclusion, pointwise, Bottom, LatticeOrd, Merge};

/// A vector clock: writer to counter.
///
/// - merge: pointwise max;
/// - order: pointwise (`{a: 1} < {a: 2, b: 1}`; `{a: 1}` and `{b: 1}` are concurrent);
/// - bottom: the empty clock (every writer at 0);
/// - laws: all of [`Merge`]'s.
///
/// Serialized as a map from writer to counter in ascending writer order (JSON
/// `{"w":3}`); zero entries are dropped when reading.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[serde(bound(deserialize = "W: Deserialize<'de> + Ord"))]
pub struct VClock<W = String>(#[serde(deserialize_with = "nonzero")] BTreeMap<W, u64>);

impl<W: Ord> VClock<W> {
    /// The empty clock.
    pub fn new() -> Self {
        VClock(BTreeMap::new())
    }

    /// The clock where `writer` is at `count` and every other writer at 0.
    pub fn singleton(writer: W, count: u64) -> Self {
        let mut clock = VClock::new();
        clock.advance(writer, count);
        clock
    }

    /// The counter of `writer` (0 if absent).
    pub fn get(&self, writer: &W) -> u64 {
        self.0.get(writer).copied().unwrap_or(0)
    }

    /// Raises the counter of `writer` to at least `count`; returns whether it grew.
    pub fn advance(&mut self, writer: W, count: u64) -> bool {
        advance(&mut self.0, writer, count)
    }

    /// Adds one to the counter of `writer` (saturating) and returns the new counter.
    pub fn increment(&mut self, writer: W) -> u64 {
        let entry = self.0.entry(writer).or_insert(0);
        *entry = entry.saturating_add(1);
        *entry
    }

    /// Whether `self` is strictly after `other`: no writer behind, at least one ahead.
    pub fn dominates(&self, other: &Self) -> bool {
        self.lattice_cmp(other) == Some(Ordering::Greater)
    }

    /// Whether neither clock is at or after the other.
    pub fn concurrent(&self, other: &Self) -> bool {
        self.lattice_cmp(other).is_none()
    }

    /// The number of writers with a nonzero counter.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether every writer is at 0 (the bottom).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The nonzero entries in ascending writer order.
    pub fn iter(&self) -> impl Iterator<Item = (&W, u64)> {
        self.0.iter().map(|(writer, count)| (writer, *count))
    }

    /// The nonzero entries as a standard map.
    pub fn as_map(&self) -> &BTreeMap<W, u64> {
        &self.0
    }
}

impl<W: Ord> Default for VClock<W> {
    fn default() -> Self {
        VClock::new()
    }
}

impl<W: Ord> FromIterator<(W, u64)> for VClock<W> {
    /// Collects entries, keeping the largest counter of a repeated writer.
    fn from_iter<I: IntoIterator<Item = (W, u64)>>(iter: I) -> Self {
        let mut clock = VClock::new();
        for (writer, count) in iter {
            clock.advance(writer, count);
        }
        clock
    }
}

impl<W: Ord> Merge for VClock<W> {
    fn merge(&mut self, other: Self) -> bool {
        merge_max(&mut self.0, other.0)
    }
}

impl<W: Ord> LatticeOrd for VClock<W> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        cmp_max(&self.0, &other.0)
    }
}

impl<W: Ord> Bottom for VClock<W> {
    fn bottom() -> Self {
        VClock::new()
    }
}

/// Raises the entry of `writer` to at least `count`, storing no zeros.
pub(crate) fn advance<W: Ord>(entries: &mut BTreeMap<W, u64>, writer: W, count: u64) -> bool {
    if count == 0 {
        return false;
    }
    let entry = entries.entry(writer).or_insert(0);
    let grew = count > *entry;
    *entry = (*entry).max(count);
    grew
}

/// Pointwise max of writer counters.
pub(crate) fn merge_max<W: Ord>(entries: &mut BTreeMap<W, u64>, other: BTreeMap<W, u64>) -> bool {
    let mut grew = false;
    for (writer, count) in other {
        grew |= advance(entries, writer, count);
    }
    grew
}

/// The pointwise order of writer counters, an absent writer counting 0.
pub(crate) fn cmp_max<W: Ord>(
    entries: &BTreeMap<W, u64>,
    other: &BTreeMap<W, u64>,
) -> Option<Ordering> {
    let mut order = Some(Ordering::Equal);
    for (writer, count) in entries {
        let theirs = other.get(writer).copied().unwrap_or(0);
        order = pointwise(order, Some(count.cmp(&theirs)));
    }
    for (writer, count) in other {
        if !entries.contains_key(writer) {
            order = pointwise(order, Some(0.cmp(count)));
        }
    }
    order
}

/// Reads writer counters, dropping zero entries so that equal clocks are equal values.
pub(crate) fn nonzero<'de, D, W>(deserializer: D) -> Result<BTreeMap<W, u64>, D::Error>
where
    D: Deserializer<'de>,
    W: Deserialize<'de> + Ord,
{
    let mut entries = BTreeMap::<W, u64>::deserialize(deserializer)?;
    entries.retain(|_, count| *count != 0);
    Ok(entries)
}

/// A causal register: a vector clock with the set of values written concurrently at it.
///
/// - merge: if one side's clock strictly dominates the other's, that side; if the clocks
///   are equal, the clock with the union of the values; if they are concurrent, the
///   merged clock with the union of the values;
/// - order: lexicographic: a strictly dominated clock is below, equal clocks order by
///   inclusion of the values, concurrent clocks are incomparable;
/// - bottom: the empty clock with no values;
/// - laws: commutative, idempotent, and `a ≤ b` iff `a ⊔ b = b`; the merge is an upper
///   bound of both sides. It is **not associative** in general: with
///   `a = ({x: 1}, {a})`, `e = ({z: 1}, {e})` and `b = ({y: 1, z: 1}, {b})` (a write
///   that saw `e`), `(a ⊔ e) ⊔ b` keeps the overwritten `e` while `a ⊔ (e ⊔ b)` does not.
///   The clock alone cannot tell which values a concurrent merge has overwritten; a
///   register that keeps the clock of each value would be a lattice.
///
/// Serialized as a struct (JSON `{"clock":{"w":1},"values":["a"]}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(
    serialize = "T: Serialize, W: Serialize",
    deserialize = "T: Deserialize<'de> + Ord, W: Deserialize<'de> + Ord"
))]
pub struct Causal<T, W = String> {
    clock: VClock<W>,
    values: BTreeSet<T>,
}

impl<T: Ord, W: Ord> Causal<T, W> {
    /// The values `values` at clock `clock`.
    pub fn new(clock: VClock<W>, values: BTreeSet<T>) -> Self {
        Causal { clock, values }
    }

    /// The single value `value` written at clock `clock`.
    pub fn single(clock: VClock<W>, value: T) -> Self {
        Causal::new(clock, BTreeSet::from([value]))
    }

    /// The clock.
    pub fn clock(&self) -> &VClock<W> {
        &self.clock
    }

    /// The concurrent values.
    pub fn values(&self) -> &BTreeSet<T> {
        &self.values
    }

    /// The clock and the values, by value.
    pub fn into_parts(self) -> (VClock<W>, BTreeSet<T>) {
        (self.clock, self.values)
    }
}

impl<T: Ord, W: Ord> Merge for Causal<T, W> {
    fn merge(&mut self, other: Self) -> bool {
        match self.clock.lattice_cmp(&other.clock) {
            Some(Ordering::Greater) => false,
            Some(Ordering::Less) => {
                *self = other;
                true
            }
            Some(Ordering::Equal) => {
                let before = self.values.len();
                self.values.extend(other.values);
                self.values.len() != before
            }
            None => {
                self.clock.merge(other.clock);
                self.values.extend(other.values);
                true
            }
        }
    }
}

impl<T: Ord, W: Ord> LatticeOrd for Causal<T, W> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        match self.clock.lattice_cmp(&other.clock)? {
            Ordering::Equal => inclusion(
                self.values.is_subset(&other.values),
                other.values.is_subset(&self.values),
            ),
            strict => Some(strict),
        }
    }
}

impl<T: Ord, W: Ord> Bottom for Causal<T, W> {
    fn bottom() -> Self {
        Causal::new(VClock::new(), BTreeSet::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(entries: &[(&'static str, u64)]) -> VClock<&'static str> {
        entries.iter().copied().collect()
    }

    #[test]
    fn clocks_merge_pointwise_and_store_no_zeros() {
        let mut a = clock(&[("x", 1)]);
        assert!(!a.merge(clock(&[("y", 0)])));
        assert_eq!(a, clock(&[("x", 1), ("y", 0)]));
        let b = clock(&[("y", 2)]);
        assert!(a.concurrent(&b));
        assert!(a.merge(b.clone()));
        assert!(a.dominates(&b));
        assert!(!b.dominates(&b));
        assert_eq!((a.get(&"x"), a.get(&"z")), (1, 0));
    }

    #[test]
    fn causal_keeps_concurrent_values_and_drops_dominated_ones() {
        let mut reg = Causal::single(clock(&[("x", 1)]), "a");
        assert!(reg.merge(Causal::single(clock(&[("y", 1)]), "b")));
        assert_eq!(reg.values().len(), 2);
        assert!(reg.merge(Causal::single(clock(&[("x", 2), ("y", 1)]), "c")));
        assert_eq!(reg.values(), &BTreeSet::from(["c"]));
        assert!(!reg.merge(Causal::single(clock(&[("x", 1)]), "a")));
    }
}
