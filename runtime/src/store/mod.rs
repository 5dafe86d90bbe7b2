//! The engine's storage: relations as flat rows of words, each with a hash set that
//! keeps its tuples distinct and the hash indexes its scans need.
//!
//! Values are [`Word`]s (see [`word`]); a tuple is `arity` consecutive words, and a row
//! id is the tuple's position in insertion order. Rows are only appended during a
//! tick, so "the rows before n" is a snapshot and "the rows from m to n" is a delta;
//! deletions happen between ticks, by compaction.

pub mod index;
pub mod relation;
mod set;
pub mod word;

pub use index::Index;
pub use relation::Relation;
pub use word::{Interner, Word};

/// How many leading words of a tuple (in a relation's set) or of a key (in an index)
/// are kept inline in the hash table, so that comparing them needs no other memory.
pub const INLINE: usize = 2;

/// The seed of every tuple and key hash.
const SEED: u64 = 0x243F_6A88_85A3_08D3;

/// The odd multiplier that mixes each word in.
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Hashes a sequence of words. A key hashed from its values and the same key read
/// from a row's columns hash alike, which is what lets a scan probe an index.
#[inline]
pub fn hash_words(words: impl IntoIterator<Item = Word>) -> u64 {
    let mut hash = SEED;
    for word in words {
        // A folded 64x64->128 multiply spreads every input bit over both halves, so
        // both hashbrown's bucket bits (low) and tag bits (high) are well mixed.
        let product = u128::from(hash ^ word) * u128::from(MULTIPLIER);
        hash = (product as u64) ^ ((product >> 64) as u64);
    }
    hash
}

/// Whether two tuples (or keys) of the same width are equal. A plain loop: tuples are
/// a few words long, where a call to `memcmp` (what slice equality becomes) costs more
/// than the comparison itself.
#[inline]
pub fn same_words(a: &[Word], b: &[Word]) -> bool {
    debug_assert_eq!(a.len(), b.len());
    a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_order_and_values() {
        assert_ne!(hash_words([1, 2]), hash_words([2, 1]));
        assert_ne!(hash_words([0]), hash_words([0, 0]));
        assert_eq!(hash_words([3, 4]), hash_words(vec![3, 4]));
    }
}
