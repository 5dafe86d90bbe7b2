//! A hash index over some key columns of a relation.
//!
//! Each distinct key has a posting list: the ids of the rows holding that key, in
//! row order. Because rows are appended in order, the rows of a snapshot or a delta
//! are a contiguous cut of every posting list.
//!
//! An entry keeps the first [`INLINE`] words of its key next to its posting list, so
//! that a probe with a short key (the common case) touches only the hash table and the
//! list it finds; longer keys compare their remaining words against the entry's first
//! row.

use hashbrown::HashTable;

use super::{hash_words, Word, INLINE};

/// One distinct key and the rows holding it.
#[derive(Debug)]
struct Entry {
    /// The key's first words (zero-padded).
    head: [Word; INLINE],
    /// The ids of the rows with this key, in row order; never empty.
    rows: Vec<u32>,
}

/// A hash index of one relation over `columns`.
#[derive(Debug)]
pub struct Index {
    columns: Vec<usize>,
    entries: HashTable<Entry>,
}

impl Index {
    /// An empty index over `columns`.
    pub fn new(columns: Vec<usize>) -> Index {
        Index {
            columns,
            entries: HashTable::new(),
        }
    }

    /// The key columns, in the order keys list them.
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// Whether `entry` holds `key` (whose first words are `head`), reading the rest of
    /// a long key from the entry's first row.
    #[inline]
    fn matches(&self, entry: &Entry, key: &[Word], rows: &[Word], arity: usize) -> bool {
        let short = key.len().min(INLINE);
        if entry.head[..short]
            .iter()
            .zip(&key[..short])
            .any(|(a, b)| a != b)
        {
            return false;
        }
        if key.len() <= INLINE {
            return true;
        }
        let first = &rows[entry.rows[0] as usize * arity..][..arity];
        self.columns[INLINE..]
            .iter()
            .zip(&key[INLINE..])
            .all(|(&c, &k)| first[c] == k)
    }

    /// Adds row `id` (whose words are `rows[id * arity..]`) under its key.
    pub fn insert(&mut self, rows: &[Word], arity: usize, id: u32) {
        let row = &rows[id as usize * arity..][..arity];
        let hash = hash_words(self.columns.iter().map(|&c| row[c]));
        let mut head = [0; INLINE];
        for (word, &c) in head.iter_mut().zip(&self.columns) {
            *word = row[c];
        }
        let columns = &self.columns;
        let first_row = |entry: &Entry| &rows[entry.rows[0] as usize * arity..][..arity];
        let same_key = |entry: &Entry| {
            entry.head == head
                && (columns.len() <= INLINE
                    || columns[INLINE..]
                        .iter()
                        .all(|&c| first_row(entry)[c] == row[c]))
        };
        if let Some(entry) = self.entries.find_mut(hash, same_key) {
            entry.rows.push(id);
            return;
        }
        let rehash = |entry: &Entry| match columns.len() <= INLINE {
            true => hash_words(entry.head[..columns.len()].iter().copied()),
            false => hash_words(columns.iter().map(|&c| first_row(entry)[c])),
        };
        let entry = Entry {
            head,
            rows: vec![id],
        };
        self.entries.insert_unique(hash, entry, rehash);
    }

    /// The ids of the rows whose key columns equal `key` (hashed as `hash`), in row
    /// order.
    #[inline]
    pub fn get(&self, rows: &[Word], arity: usize, hash: u64, key: &[Word]) -> &[u32] {
        match self
            .entries
            .find(hash, |entry| self.matches(entry, key, rows, arity))
        {
            Some(entry) => &entry.rows,
            None => &[],
        }
    }

    /// Forgets every row.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
