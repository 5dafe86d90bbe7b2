//! The collection lattices: the grow-only [`Set`] and the pointwise [`Map`].

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::merge::{inclusion, pointwise, Bottom, LatticeOrd, Merge};

/// A grow-only set.
///
/// - merge: union;
/// - order: inclusion (`{1} < {1, 2}`; `{1}` and `{2}` are incomparable);
/// - bottom: the empty set;
/// - laws: all of [`Merge`]'s.
///
/// Serialized as a sequence in ascending order (JSON `[1,2]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[serde(bound(deserialize = "T: Deserialize<'de> + Ord"))]
pub struct Set<T>(BTreeSet<T>);

impl<T: Ord> Set<T> {
    /// The empty set.
    pub fn new() -> Self {
        Set(BTreeSet::new())
    }

    /// The set holding `value` alone.
    pub fn singleton(value: T) -> Self {
        Set(BTreeSet::from([value]))
    }

    /// The set holding the elements of `set`.
    pub fn from_set(set: BTreeSet<T>) -> Self {
        Set(set)
    }

    /// Adds `value`; returns whether the set grew (a merge with a singleton).
    pub fn insert(&mut self, value: T) -> bool {
        self.0.insert(value)
    }

    /// Whether `value` is an element.
    pub fn contains(&self, value: &T) -> bool {
        self.0.contains(value)
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty (the bottom).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The elements in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    /// The elements as a standard set.
    pub fn as_set(&self) -> &BTreeSet<T> {
        &self.0
    }

    /// The elements, by value.
    pub fn into_set(self) -> BTreeSet<T> {
        self.0
    }
}

impl<T: Ord> Default for Set<T> {
    fn default() -> Self {
        Set::new()
    }
}

impl<T: Ord> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Set(iter.into_iter().collect())
    }
}

impl<T: Ord> Merge for Set<T> {
    fn merge(&mut self, other: Self) -> bool {
        let before = self.0.len();
        if before == 0 {
            self.0 = other.0;
        } else {
            self.0.extend(other.0);
        }
        self.0.len() != before
    }
}

impl<T: Ord> LatticeOrd for Set<T> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        inclusion(self.0.is_subset(&other.0), other.0.is_subset(&self.0))
    }
}

impl<T: Ord> Bottom for Set<T> {
    fn bottom() -> Self {
        Set::new()
    }
}

/// Keys mapped to lattice values, merged pointwise.
///
/// - merge: the union of the keys; a key present on both sides holds the merge of its
///   two values;
/// - order: pointwise, where an absent key is below every value (even the value type's
///   bottom: merging a present bottom into an absent key adds the key);
/// - bottom: the empty map;
/// - laws: all of [`Merge`]'s when the value lattice keeps them.
///
/// Serialized as a map in ascending key order (JSON `{"k":v}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[serde(bound(deserialize = "K: Deserialize<'de> + Ord, V: Deserialize<'de>"))]
pub struct Map<K, V>(BTreeMap<K, V>);

impl<K: Ord, V> Map<K, V> {
    /// The empty map.
    pub fn new() -> Self {
        Map(BTreeMap::new())
    }

    /// The map holding `key` with `value` alone.
    pub fn singleton(key: K, value: V) -> Self {
        Map(BTreeMap::from([(key, value)]))
    }

    /// The map holding the entries of `map`.
    pub fn from_map(map: BTreeMap<K, V>) -> Self {
        Map(map)
    }

    /// The value of `key`, if the key is present.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.0.get(key)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map is empty (the bottom).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.keys()
    }

    /// The entries in ascending key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter()
    }

    /// The entries as a standard map.
    pub fn as_map(&self) -> &BTreeMap<K, V> {
        &self.0
    }

    /// The entries, by value.
    pub fn into_map(self) -> BTreeMap<K, V> {
        self.0
    }

    /// Merges `other` into `self` pointwise with `merge_value` as the values' merge;
    /// returns whether `self` changed. This is [`Merge::merge`] for value lattices whose
    /// merge needs context or can fail (the runtime's dynamic values); the first error
    /// stops the merge, leaving the keys merged so far merged.
    pub fn merge_with<E>(
        &mut self,
        other: Self,
        mut merge_value: impl FnMut(&mut V, V) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let mut grew = false;
        for (key, value) in other.0 {
            match self.0.get_mut(&key) {
                Some(mine) => grew |= merge_value(mine, value)?,
                None => {
                    self.0.insert(key, value);
                    grew = true;
                }
            }
        }
        Ok(grew)
    }

    /// The lattice order of `self` and `other` with `cmp_value` as the values' order; see
    /// [`Map::merge_with`].
    pub fn cmp_with<E>(
        &self,
        other: &Self,
        mut cmp_value: impl FnMut(&V, &V) -> Result<Option<Ordering>, E>,
    ) -> Result<Option<Ordering>, E> {
        // Keys on one side only order the maps that way; shared keys by their values.
        let mut order = Some(Ordering::Equal);
        for (key, mine) in &self.0 {
            let next = match other.0.get(key) {
                Some(theirs) => cmp_value(mine, theirs)?,
                None => Some(Ordering::Greater),
            };
            order = pointwise(order, next);
            if order.is_none() {
                return Ok(None);
            }
        }
        if other.0.keys().any(|key| !self.0.contains_key(key)) {
            order = pointwise(order, Some(Ordering::Less));
        }
        Ok(order)
    }
}

impl<K: Ord, V: Merge> Map<K, V> {
    /// Merges `value` into the value of `key` (adding the key if absent); returns whether
    /// the map grew.
    pub fn insert_merge(&mut self, key: K, value: V) -> bool {
        match self.0.get_mut(&key) {
            Some(mine) => mine.merge(value),
            None => {
                self.0.insert(key, value);
                true
            }
        }
    }
}

impl<K: Ord, V> Default for Map<K, V> {
    fn default() -> Self {
        Map::new()
    }
}

impl<K: Ord, V: Merge> FromIterator<(K, V)> for Map<K, V> {
    /// Collects entries, merging the values of repeated keys.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (key, value) in iter {
            map.insert_merge(key, value);
        }
        map
    }
}

impl<K: Ord, V: Merge> Merge for Map<K, V> {
    fn merge(&mut self, other: Self) -> bool {
        let merged = self.merge_with(other, |mine, theirs| {
            Ok::<_, std::convert::Infallible>(mine.merge(theirs))
        });
        match merged {
            Ok(grew) => grew,
            Err(never) => match never {},
        }
    }
}

impl<K: Ord, V: LatticeOrd> LatticeOrd for Map<K, V> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        let order = self.cmp_with(other, |mine, theirs| {
            Ok::<_, std::convert::Infallible>(mine.lattice_cmp(theirs))
        });
        match order {
            Ok(order) => order,
            Err(never) => match never {},
        }
    }
}

impl<K: Ord, V> Bottom for Map<K, V> {
    fn bottom() -> Self {
        Map::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::Max;

    #[test]
    fn sets_order_by_inclusion() {
        let a: Set<u64> = [1, 2].into_iter().collect();
        let b = Set::singleton(3);
        assert_eq!(a.lattice_cmp(&b), None);
        let mut c = a.clone();
        assert!(c.merge(b));
        assert_eq!(a.lattice_cmp(&c), Some(Ordering::Less));
        assert!(!c.merge(a));
    }

    #[test]
    fn maps_merge_pointwise_and_absent_keys_are_lowest() {
        let mut m = Map::singleton("a", Max::new(1u64));
        assert!(m.merge(Map::singleton("a", Max::new(3))));
        assert!(!m.merge(Map::singleton("a", Max::new(2))));
        assert!(m.merge(Map::singleton("b", Max::new(0))));
        assert_eq!(m.get(&"a"), Some(&Max::new(3)));
        let smaller = Map::singleton("a", Max::new(3));
        assert_eq!(smaller.lattice_cmp(&m), Some(Ordering::Less));
        let other = Map::singleton("c", Max::new(9));
        assert_eq!(other.lattice_cmp(&m), None);
    }
}
