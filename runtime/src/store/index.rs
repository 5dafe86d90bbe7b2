//! A hash index over some key columns of a relation.
//!
//! Each distinct key has a posting list: the ids of the rows holding that key, in
//! row order. Because rows are appended in order, the rows of a snapshot or a delta
//! are a contiguous cut of every posting list. Keys are not stored: an entry is
//! compared with a probe by reading the key columns of its first row.

use hashbrown::HashTable;

use super::{hash_words, Word};

/// A hash index of one relation over `columns`.
#[derive(Debug)]
pub struct Index {
    columns: Vec<usize>,
    /// Posting-list ids, keyed by the hash of their key.
    keys: HashTable<u32>,
    postings: Vec<Vec<u32>>,
}

impl Index {
    /// An empty index over `columns`.
    pub fn new(columns: Vec<usize>) -> Index {
        Index {
            columns,
            keys: HashTable::new(),
            postings: Vec::new(),
        }
    }

    /// The key columns, in the order keys list them.
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// The hash of the key that `row` holds.
    fn key_hash(&self, row: &[Word]) -> u64 {
        hash_words(self.columns.iter().map(|&c| row[c]))
    }

    /// Adds row `id` (whose words are `rows[id * arity..]`) under its key.
    pub fn insert(&mut self, rows: &[Word], arity: usize, id: u32) {
        let row = &rows[id as usize * arity..][..arity];
        let hash = self.key_hash(row);
        let columns = &self.columns;
        let postings = &mut self.postings;
        let same_key = |&posting: &u32| {
            let first = &rows[postings[posting as usize][0] as usize * arity..];
            columns.iter().all(|&c| first[c] == row[c])
        };
        if let Some(&posting) = self.keys.find(hash, same_key) {
            postings[posting as usize].push(id);
            return;
        }
        let posting = postings.len() as u32;
        postings.push(vec![id]);
        let first_row = |&posting: &u32| {
            let first = &rows[postings[posting as usize][0] as usize * arity..];
            hash_words(columns.iter().map(|&c| first[c]))
        };
        self.keys.insert_unique(hash, posting, first_row);
    }

    /// The ids of the rows whose key columns equal `key` (hashed as `hash`), in row
    /// order.
    #[inline]
    pub fn get(&self, rows: &[Word], arity: usize, hash: u64, key: &[Word]) -> &[u32] {
        let same_key = |&posting: &u32| {
            let first = &rows[self.postings[posting as usize][0] as usize * arity..];
            self.columns.iter().zip(key).all(|(&c, &k)| first[c] == k)
        };
        match self.keys.find(hash, same_key) {
            Some(&posting) => &self.postings[posting as usize],
            None => &[],
        }
    }

    /// Forgets every row.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.postings.clear();
    }
}
