//! A relation: distinct tuples stored as flat rows, with a hash set that keeps them
//! distinct and the indexes that serve its scans.
//!
//! Rows are append-only between compactions; every index is kept up to date on each
//! insert, so an index never needs rebuilding except after a deletion.

use super::set::TupleSet;
use super::{hash_words, Index, Word};

/// The tuples of one relation.
#[derive(Debug)]
pub struct Relation {
    arity: usize,
    /// `len * arity` words: row `i` is `rows[i * arity..(i + 1) * arity]`.
    rows: Vec<Word>,
    /// The number of rows (kept apart so that zero-column relations work).
    len: usize,
    /// The tuples, keyed by their hash.
    set: TupleSet,
    indexes: Vec<Index>,
    /// Counts the times tuples were removed. Between two removals a relation only
    /// grows, so `(generation, len)` names its contents: see [`Relation::version`].
    generation: u64,
}

impl Relation {
    /// An empty relation of `arity` columns, without indexes.
    pub fn new(arity: usize) -> Relation {
        Relation {
            arity,
            rows: Vec::new(),
            len: 0,
            set: TupleSet::new(arity),
            indexes: Vec::new(),
            generation: 0,
        }
    }

    /// A value that changes whenever the relation's contents change: two equal
    /// versions of one relation mean equal contents.
    pub fn version(&self) -> (u64, usize) {
        (self.generation, self.len)
    }

    /// The number of columns.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// The number of tuples.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the relation holds no tuple.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The tuple in row `id`.
    #[inline]
    pub fn row(&self, id: usize) -> &[Word] {
        &self.rows[id * self.arity..][..self.arity]
    }

    /// The tuples in row order.
    pub fn tuples(&self) -> impl Iterator<Item = &[Word]> {
        (0..self.len).map(|id| self.row(id))
    }

    /// The id of an index over `columns`, creating (and filling) it if there is none.
    pub fn ensure_index(&mut self, columns: &[usize]) -> usize {
        if let Some(found) = self.indexes.iter().position(|i| i.columns() == columns) {
            return found;
        }
        let mut index = Index::new(columns.to_vec());
        for id in 0..self.len {
            index.insert(&self.rows, self.arity, id as u32);
        }
        self.indexes.push(index);
        self.indexes.len() - 1
    }

    /// The ids, in row order, of the rows whose key under index `index` is `key`
    /// (whose hash is `hash`).
    #[inline]
    pub fn lookup(&self, index: usize, hash: u64, key: &[Word]) -> &[u32] {
        self.indexes[index].get(&self.rows, self.arity, hash, key)
    }

    /// Whether the relation holds `tuple`, whose hash is `hash`.
    #[inline(always)]
    pub fn contains_hashed(&self, hash: u64, tuple: &[Word]) -> bool {
        self.set.contains(hash, tuple, &self.rows)
    }

    /// Whether the relation holds `tuple`.
    pub fn contains(&self, tuple: &[Word]) -> bool {
        self.contains_hashed(hash_words(tuple.iter().copied()), tuple)
    }

    /// Adds `tuple` (whose hash is `hash`) unless it is present; true if it was new.
    pub fn insert_hashed(&mut self, hash: u64, tuple: &[Word]) -> bool {
        debug_assert_eq!(tuple.len(), self.arity);
        let id = self.len as u32;
        if !self.set.insert(hash, tuple, id, &self.rows) {
            return false;
        }
        self.rows.extend_from_slice(tuple);
        self.len += 1;
        for index in &mut self.indexes {
            index.insert(&self.rows, self.arity, id);
        }
        true
    }

    /// Adds `tuple` unless it is present; true if it was new.
    pub fn insert(&mut self, tuple: &[Word]) -> bool {
        self.insert_hashed(hash_words(tuple.iter().copied()), tuple)
    }

    /// Removes every tuple, keeping the allocated capacity and the indexes' columns.
    pub fn clear(&mut self) {
        if self.len > 0 {
            self.generation += 1;
        }
        self.rows.clear();
        self.len = 0;
        self.set.clear();
        for index in &mut self.indexes {
            index.clear();
        }
    }

    /// Removes the tuples that `doomed` holds, compacting the rows and rebuilding the
    /// set and indexes; returns how many were removed.
    pub fn remove_all(&mut self, doomed: &Relation) -> usize {
        debug_assert_eq!(doomed.arity, self.arity);
        let kept: Vec<usize> = (0..self.len)
            .filter(|&id| !doomed.contains(self.row(id)))
            .collect();
        let removed = self.len - kept.len();
        if removed == 0 {
            return 0;
        }
        let old = std::mem::take(&mut self.rows);
        self.clear();
        let arity = self.arity;
        for id in kept {
            self.insert(&old[id * arity..][..arity]);
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_dedups_and_indexes_keep_row_order() {
        let mut rel = Relation::new(2);
        let by_first = rel.ensure_index(&[0]);
        assert!(rel.insert(&[1, 10]));
        assert!(rel.insert(&[2, 20]));
        assert!(!rel.insert(&[1, 10]));
        assert!(rel.insert(&[1, 11]));
        assert_eq!(rel.len(), 3);
        let key = [1];
        let hash = hash_words(key);
        assert_eq!(rel.lookup(by_first, hash, &key), &[0, 2]);
        assert!(rel.lookup(by_first, hash_words([3]), &[3]).is_empty());
        assert_eq!(rel.ensure_index(&[0]), by_first);
    }

    #[test]
    fn late_index_sees_existing_rows() {
        let mut rel = Relation::new(2);
        rel.insert(&[1, 10]);
        rel.insert(&[2, 10]);
        let by_second = rel.ensure_index(&[1]);
        assert_eq!(rel.lookup(by_second, hash_words([10]), &[10]), &[0, 1]);
    }

    #[test]
    fn remove_all_compacts_and_rebuilds() {
        let mut rel = Relation::new(2);
        let by_second = rel.ensure_index(&[1]);
        for t in [[1, 10], [2, 10], [3, 30]] {
            rel.insert(&t);
        }
        let mut doomed = Relation::new(2);
        doomed.insert(&[1, 10]);
        doomed.insert(&[9, 90]);
        assert_eq!(rel.remove_all(&doomed), 1);
        assert!(!rel.contains(&[1, 10]));
        assert!(rel.contains(&[3, 30]));
        assert_eq!(rel.lookup(by_second, hash_words([10]), &[10]), &[0]);
        assert_eq!(rel.row(0), &[2, 10]);
    }

    #[test]
    fn zero_columns_hold_at_most_one_tuple() {
        let mut rel = Relation::new(0);
        assert!(rel.insert(&[]));
        assert!(!rel.insert(&[]));
        assert_eq!(rel.len(), 1);
        let mut doomed = Relation::new(0);
        doomed.insert(&[]);
        assert_eq!(rel.remove_all(&doomed), 1);
        assert!(rel.is_empty());
    }
}
