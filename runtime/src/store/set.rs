//! The hash set that keeps a relation's tuples distinct.
//!
//! Membership is probed once per derived tuple, so it is the engine's hottest memory
//! access: short tuples (at most [`INLINE`] words, the common case) are stored whole in
//! the table and never read from the rows; longer ones keep their first words (which
//! settle most comparisons) and their row id.

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;

use super::{hash_words, same_words, Word, INLINE};

/// A long tuple in the set: its first words and its row id.
#[derive(Debug)]
pub(super) struct Wide {
    head: [Word; INLINE],
    id: u32,
}

/// The tuples of a relation, keyed by the hash of the whole tuple.
#[derive(Debug)]
pub(super) enum TupleSet {
    /// Tuples of at most [`INLINE`] words, stored whole (zero-padded).
    Narrow(HashTable<[Word; INLINE]>),
    /// Longer tuples.
    Wide(HashTable<Wide>),
}

/// The first [`INLINE`] words of a tuple, zero-padded.
#[inline(always)]
fn head_of(tuple: &[Word]) -> [Word; INLINE] {
    let mut head = [0; INLINE];
    for (word, &value) in head.iter_mut().zip(tuple) {
        *word = value;
    }
    head
}

/// The row `id` of `rows`, for tuples of `arity` words.
#[inline(always)]
fn row(rows: &[Word], arity: usize, id: u32) -> &[Word] {
    &rows[id as usize * arity..][..arity]
}

impl TupleSet {
    /// An empty set for tuples of `arity` words.
    pub(super) fn new(arity: usize) -> TupleSet {
        match arity <= INLINE {
            true => TupleSet::Narrow(HashTable::new()),
            false => TupleSet::Wide(HashTable::new()),
        }
    }

    /// Whether the set holds `tuple` (hashed as `hash`); `rows` are the relation's.
    #[inline(always)]
    pub(super) fn contains(&self, hash: u64, tuple: &[Word], rows: &[Word]) -> bool {
        let arity = tuple.len();
        match self {
            TupleSet::Narrow(table) => table
                .find(hash, |member| same_words(&member[..arity], tuple))
                .is_some(),
            TupleSet::Wide(table) => table
                .find(hash, |member| {
                    member.head == head_of(tuple)
                        && same_words(&row(rows, arity, member.id)[INLINE..], &tuple[INLINE..])
                })
                .is_some(),
        }
    }

    /// Adds `tuple` (hashed as `hash`), which is to become row `id` of `rows`, unless
    /// the set holds it; true if it was new.
    #[inline]
    pub(super) fn insert(&mut self, hash: u64, tuple: &[Word], id: u32, rows: &[Word]) -> bool {
        let arity = tuple.len();
        match self {
            TupleSet::Narrow(table) => {
                let same = |member: &[Word; INLINE]| same_words(&member[..arity], tuple);
                let rehash = |member: &[Word; INLINE]| hash_words(member[..arity].iter().copied());
                match table.entry(hash, same, rehash) {
                    Entry::Occupied(_) => false,
                    Entry::Vacant(slot) => {
                        slot.insert(head_of(tuple));
                        true
                    }
                }
            }
            TupleSet::Wide(table) => {
                let head = head_of(tuple);
                let same = |member: &Wide| {
                    member.head == head
                        && same_words(&row(rows, arity, member.id)[INLINE..], &tuple[INLINE..])
                };
                let rehash =
                    |member: &Wide| hash_words(row(rows, arity, member.id).iter().copied());
                match table.entry(hash, same, rehash) {
                    Entry::Occupied(_) => false,
                    Entry::Vacant(slot) => {
                        slot.insert(Wide { head, id });
                        true
                    }
                }
            }
        }
    }

    /// Forgets every tuple, keeping the capacity.
    pub(super) fn clear(&mut self) {
        match self {
            TupleSet::Narrow(table) => table.clear(),
            TupleSet::Wide(table) => table.clear(),
        }
    }
}
