//! Vector clocks ([`VClock`]) and the causal register built on them ([`Causal`]), which
//! keeps one clock per value.
//!
//! A vector clock maps each writer to the number of its writes seen. An absent writer
//! counts 0, and zero entries are never stored, so that equal clocks are equal values.
//! [`Counter`](super::Counter) shares the representation and the pointwise-max helpers
//! of this file.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// A causal register (a multi-value register): the latest values written, each with the
/// vector clock it was written at.
///
/// A *version* is a pair (clock, value). A register holds the maximal versions of every
/// write it has seen: those whose clock no other version's clock strictly dominates. A
/// write that saw another (its clock dominates the other's) overwrites it; concurrent
/// writes are all kept, until a later write that saw them overwrites them. Two versions
/// with equal clocks are both kept.
///
/// - merge: the union of both sides' versions, keeping only the maximal ones;
/// - order: `a ≤ b` iff every version of `a` is a version of `b` or has its clock
///   strictly dominated by the clock of a version of `b`;
/// - bottom: no versions;
/// - laws: all of [`Merge`]'s. The maximal elements of a union do not depend on how the
///   union was grouped, so merge is associative as well as commutative and idempotent,
///   and it is the least upper bound of the order above;
/// - [`Causal::clock`], the merge of all versions' clocks, is a morphism:
///   `clock(a ⊔ b) = clock(a) ⊔ clock(b)`, since a dropped version's clock is below a kept
///   one's. [`Causal::values`] is not monotone: values disappear when overwritten.
///
/// Serialized as a sequence of versions, ascending by clock and then by value (JSON
/// `[{"clock":{"w":1},"value":"a"}]`). Reading keeps only the maximal versions of the
/// sequence, as [`Causal::new`] does.
///
/// ```
/// use hydro_runtime::lattice::{Causal, Merge, VClock};
///
/// // `x` writes `a`; `z` writes `e`; `y` sees `e` and overwrites it with `b`.
/// let at = |entries: &[(&str, u64)]| -> VClock {
///     entries.iter().map(|(w, n)| (w.to_string(), *n)).collect()
/// };
/// let mut reg = Causal::single(at(&[("x", 1)]), "a");
/// assert!(reg.merge(Causal::single(at(&[("z", 1)]), "e")));
/// assert!(reg.merge(Causal::single(at(&[("y", 1), ("z", 1)]), "b")));
/// assert_eq!(reg.values().into_iter().copied().collect::<Vec<_>>(), ["a", "b"]);
/// assert_eq!(reg.clock(), at(&[("x", 1), ("y", 1), ("z", 1)]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Causal<T, W = String> {
    /// The maximal versions: no version's clock strictly dominates another's.
    versions: BTreeSet<(VClock<W>, T)>,
}

impl<T: Ord, W: Ord> Causal<T, W> {
    /// The register that has seen the writes `versions`: it keeps the maximal ones.
    pub fn new(versions: impl IntoIterator<Item = (VClock<W>, T)>) -> Self {
        let mut reg = Causal::default();
        for (clock, value) in versions {
            reg.insert(clock, value);
        }
        reg
    }

    /// The single value `value` written at clock `clock`.
    pub fn single(clock: VClock<W>, value: T) -> Self {
        Causal {
            versions: BTreeSet::from([(clock, value)]),
        }
    }

    /// The maximal versions, ascending by clock and then by value.
    pub fn versions(&self) -> impl Iterator<Item = (&VClock<W>, &T)> {
        self.versions.iter().map(|(clock, value)| (clock, value))
    }

    /// The maximal versions, by value.
    pub fn into_versions(self) -> impl Iterator<Item = (VClock<W>, T)> {
        self.versions.into_iter()
    }

    /// The values of the maximal versions: the values written concurrently that no later
    /// write has overwritten.
    pub fn values(&self) -> BTreeSet<&T> {
        self.versions.iter().map(|(_, value)| value).collect()
    }

    /// The number of maximal versions.
    pub fn len(&self) -> usize {
        self.versions.len()
    }

    /// Whether the register holds no version (the bottom).
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// Adds the version (`clock`, `value`) unless a version already held is it or
    /// overwrites it, dropping the versions it overwrites; returns whether it was added.
    ///
    /// When the held versions are maximal, so are they after the insertion: they are the
    /// maximal versions of the held ones and the new one.
    fn insert(&mut self, clock: VClock<W>, value: T) -> bool {
        let version = (clock, value);
        if self.versions.contains(&version)
            || self
                .versions
                .iter()
                .any(|(held, _)| held.dominates(&version.0))
        {
            return false;
        }
        self.versions.retain(|(held, _)| !version.0.dominates(held));
        self.versions.insert(version);
        true
    }

    /// Whether every version of `self` is a version of `other` or is overwritten by one.
    fn below(&self, other: &Self) -> bool {
        self.versions.iter().all(|(clock, value)| {
            other
                .versions
                .iter()
                .any(|(theirs, their_value)| match clock.lattice_cmp(theirs) {
                    Some(Ordering::Less) => true,
                    Some(Ordering::Equal) => value == their_value,
                    _ => false,
                })
        })
    }
}

impl<T: Ord, W: Ord + Clone> Causal<T, W> {
    /// The merge of all versions' clocks: every write the register has seen, whether it
    /// holds the written value or a later one. The empty clock for the bottom.
    pub fn clock(&self) -> VClock<W> {
        let mut clock = VClock::new();
        for (version, _) in &self.versions {
            clock.merge(version.clone());
        }
        clock
    }
}

impl<T: Ord, W: Ord> Default for Causal<T, W> {
    /// The register with no versions (the bottom).
    fn default() -> Self {
        Causal {
            versions: BTreeSet::new(),
        }
    }
}

impl<T: Ord, W: Ord> Merge for Causal<T, W> {
    fn merge(&mut self, other: Self) -> bool {
        // Inserting the other side's versions one at a time keeps the maximal versions of
        // the union at every step.
        let mut grew = false;
        for (clock, value) in other.versions {
            grew |= self.insert(clock, value);
        }
        grew
    }
}

impl<T: Ord, W: Ord> LatticeOrd for Causal<T, W> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        inclusion(self.below(other), other.below(self))
    }
}

impl<T: Ord, W: Ord> Bottom for Causal<T, W> {
    fn bottom() -> Self {
        Causal::default()
    }
}

/// One version as serialized: `{"clock":..,"value":..}`.
#[derive(Serialize)]
struct VersionRef<'a, T, W> {
    clock: &'a VClock<W>,
    value: &'a T,
}

/// One version as deserialized.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(deserialize = "T: Deserialize<'de>, W: Deserialize<'de> + Ord"))]
struct Version<T, W> {
    clock: VClock<W>,
    value: T,
}

impl<T: Serialize, W: Serialize> Serialize for Causal<T, W> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let versions = self
            .versions
            .iter()
            .map(|(clock, value)| VersionRef { clock, value });
        serializer.collect_seq(versions)
    }
}

impl<'de, T, W> Deserialize<'de> for Causal<T, W>
where
    T: Deserialize<'de> + Ord,
    W: Deserialize<'de> + Ord,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let versions = Vec::<Version<T, W>>::deserialize(deserializer)?;
        Ok(Causal::new(
            versions.into_iter().map(|v| (v.clock, v.value)),
        ))
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
    fn causal_keeps_concurrent_values_and_drops_overwritten_ones() {
        let mut reg = Causal::single(clock(&[("x", 1)]), "a");
        assert!(reg.merge(Causal::single(clock(&[("y", 1)]), "b")));
        assert_eq!(reg.values(), BTreeSet::from([&"a", &"b"]));

        // A write that saw `a` but not `b` overwrites `a` alone.
        assert!(reg.merge(Causal::single(clock(&[("x", 1), ("z", 1)]), "c")));
        assert_eq!(reg.values(), BTreeSet::from([&"b", &"c"]));
        assert!(!reg.merge(Causal::single(clock(&[("x", 1)]), "a")));
        assert!(!reg.merge(Causal::single(clock(&[("y", 1)]), "b")));
        assert_eq!(reg.clock(), clock(&[("x", 1), ("y", 1), ("z", 1)]));

        // A write that saw everything overwrites everything.
        assert!(reg.merge(Causal::single(clock(&[("x", 2), ("y", 1), ("z", 1)]), "d")));
        assert_eq!(reg.values(), BTreeSet::from([&"d"]));
        assert_eq!(reg.len(), 1);
    }

    #[test]
    fn causal_keeps_both_values_written_at_one_clock() {
        let mut reg = Causal::single(clock(&[("x", 1)]), "a");
        assert!(reg.merge(Causal::single(clock(&[("x", 1)]), "b")));
        let versions: Vec<_> = reg.versions().map(|(_, v)| *v).collect();
        assert_eq!(versions, ["a", "b"]);
        assert_eq!(reg.clock(), clock(&[("x", 1)]));
    }

    #[test]
    fn causal_order_is_overwriting_or_holding() {
        let a = Causal::single(clock(&[("x", 1)]), "a");
        let b = Causal::single(clock(&[("y", 1)]), "b");
        let both = Causal::new([(clock(&[("x", 1)]), "a"), (clock(&[("y", 1)]), "b")]);
        let later = Causal::single(clock(&[("x", 1), ("y", 1)]), "c");
        let same_clock = Causal::single(clock(&[("x", 1)]), "z");
        assert_eq!(a.lattice_cmp(&b), None);
        assert_eq!(a.lattice_cmp(&both), Some(Ordering::Less));
        assert_eq!(both.lattice_cmp(&later), Some(Ordering::Less));
        assert_eq!(a.lattice_cmp(&same_clock), None);
        assert_eq!(Causal::bottom().lattice_cmp(&a), Some(Ordering::Less));
        assert!(Causal::<&str, &str>::bottom().is_empty());
    }

    #[test]
    fn causal_new_keeps_the_maximal_versions() {
        let reg = Causal::new([
            (clock(&[("x", 2)]), "new"),
            (clock(&[("x", 1)]), "old"),
            (clock(&[("y", 1)]), "other"),
            (clock(&[("x", 2)]), "new"),
        ]);
        let versions: Vec<_> = reg.versions().map(|(c, v)| (c.clone(), *v)).collect();
        assert_eq!(
            versions,
            [(clock(&[("x", 2)]), "new"), (clock(&[("y", 1)]), "other")]
        );
    }

    #[test]
    fn causal_serializes_its_versions_in_order() {
        let reg: Causal<u64> = serde_json::from_str(
            r#"[{"value":2,"clock":{"w":2}},{"clock":{"v":1},"value":1},
                {"clock":{"w":1,"u":0},"value":3}]"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&reg).unwrap(),
            r#"[{"clock":{"v":1},"value":1},{"clock":{"w":2},"value":2}]"#
        );
        let extra = serde_json::from_str::<Causal<u64>>(r#"[{"clock":{},"value":1,"x":0}]"#);
        assert!(extra.is_err());
    }
}
