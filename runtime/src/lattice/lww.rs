//! The last-writer-wins register, [`Lww`].

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::merge::{LatticeOrd, Merge};

/// A last-writer-wins register: a value written at a timestamp by a writer.
///
/// - merge: the side with the larger `(timestamp, writer)`; when both are equal, the
///   larger value, so that merge stays commutative even if one writer writes twice at
///   the same timestamp;
/// - order: lexicographic on `(timestamp, writer, value)`, which is also the derived
///   [`Ord`] (fields are declared in that order);
/// - bottom: none (Hydro programs store no value until one is written);
/// - laws: all of [`Merge`]'s (a chain).
///
/// Serialized as a struct with the fields in that order (JSON
/// `{"ts":3,"writer":"w","value":"v"}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lww<T, W = String> {
    ts: u64,
    writer: W,
    value: T,
}

impl<T, W> Lww<T, W> {
    /// `value`, written at timestamp `ts` by `writer`.
    pub fn new(ts: u64, writer: W, value: T) -> Self {
        Lww { ts, writer, value }
    }

    /// The timestamp of the write.
    pub fn ts(&self) -> u64 {
        self.ts
    }

    /// The writer.
    pub fn writer(&self) -> &W {
        &self.writer
    }

    /// The value written.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value written, by value.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T: Ord, W: Ord> Merge for Lww<T, W> {
    fn merge(&mut self, other: Self) -> bool {
        if other > *self {
            *self = other;
            true
        } else {
            false
        }
    }
}

impl<T: Ord, W: Ord> LatticeOrd for Lww<T, W> {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_writes_win_and_ties_go_to_the_larger_value() {
        let mut reg = Lww::new(3, "b".to_owned(), "x");
        assert!(!reg.merge(Lww::new(2, "z".to_owned(), "y")));
        assert!(reg.merge(Lww::new(3, "c".to_owned(), "a")));
        assert_eq!(*reg.value(), "a");
        assert!(reg.merge(Lww::new(3, "c".to_owned(), "b")));
        assert!(!reg.merge(Lww::new(3, "c".to_owned(), "a")));
        assert_eq!((reg.ts(), reg.writer().as_str()), (3, "c"));
        assert_eq!(reg.into_value(), "b");
    }
}
