//! Aggregation: folds the distinct satisfying assignments of a rule into one head
//! tuple per group.
//!
//! "An aggregate ranges over the distinct satisfying assignments of the rule body,
//! grouped by the head's other columns": `total(x, sum(w)) :- e(x, y, w).` adds `w`
//! once per distinct `(x, y, w)`. The assignment rows are deduplicated first (a row
//! is the distinct slots followed by the group key and arguments they determine),
//! then folded per group. `sum` is checked: a group whose sum overflows is dropped.

use std::cmp::Ordering;

use hashbrown::HashTable;

use crate::ir::AggFunc;
use crate::store::word::{compare, float_word};
use crate::store::{hash_words, same_words, Interner, Relation, Word};
use crate::value::ColumnType;

use super::compile::{AggregateHead, Column};
use super::eval::Derived;

/// Folds the assignment rows in `rows` (as collected for `head`) into head tuples,
/// pushed into `out` in the order their groups first appear.
pub(crate) fn fold(head: &AggregateHead, rows: &Derived, interner: &Interner, out: &mut Derived) {
    // The distinct assignments.
    let width = head.row_width();
    let mut assignments = Relation::new(width);
    for i in 0..rows.len() {
        let (hash, row) = rows.row(i, width);
        assignments.insert_hashed(hash, row);
    }

    // Group them by key and fold each aggregate.
    let keys_at = head.distinct.len();
    let key_len = head.keys.len();
    let args_at = keys_at + key_len;
    let count = head.aggregates.len();
    let mut groups = Groups::default();
    let mut float_terms: Vec<(usize, usize, f64)> = Vec::new();
    for row in assignments.tuples() {
        let key = &row[keys_at..args_at];
        let args = &row[args_at..];
        let (group, fresh) = groups.find_or_add(key, count);
        let alive = &mut groups.alive[group];
        let accumulators = &mut groups.accumulators[group * count..][..count];
        let carries = &mut groups.carries[group * count..][..count];
        let slots = accumulators.iter_mut().zip(carries);
        for (index, ((aggregate, (acc, carry)), &arg)) in
            head.aggregates.iter().zip(slots).zip(args).enumerate()
        {
            if aggregate.func == AggFunc::Sum && aggregate.ty == ColumnType::F64 {
                float_terms.push((group, index, f64::from_bits(arg)));
            }
            if fresh {
                *acc = match aggregate.func {
                    AggFunc::Count => 1,
                    AggFunc::Sum | AggFunc::Min | AggFunc::Max => arg,
                };
                continue;
            }

            // A float sum is taken later, over the group's values in ascending order.
            if aggregate.func == AggFunc::Sum && aggregate.ty == ColumnType::F64 {
                continue;
            }

            // An i64 sum is exact: the running total may wrap as long as the wraps
            // cancel out (`carry` counts them, signed), so only a final total outside
            // i64 drops the group, whatever order the values come in.
            if aggregate.func == AggFunc::Sum && aggregate.ty == ColumnType::I64 {
                let (sum, wrapped) = (*acc as i64).overflowing_add(arg as i64);
                if wrapped {
                    *carry += if (arg as i64) < 0 { -1 } else { 1 };
                }
                *acc = sum as Word;
                continue;
            }
            match step(aggregate.func, aggregate.ty, *acc, arg, interner) {
                Some(next) => *acc = next,
                None => *alive = false,
            }
        }
    }

    // Float sums add each group's values in ascending order, so that they round the
    // same way whatever the order of rules, atoms, tuples and facts; a total that is
    // not finite drops the group.
    float_terms.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    for run in float_terms.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (group, index, _) = run[0];
        let total: f64 = run.iter().map(|t| t.2).sum();
        groups.accumulators[group * count + index] = float_word(total);
        if !total.is_finite() {
            groups.alive[group] = false;
        }
    }

    // One head tuple per surviving group.
    let mut tuple = Vec::with_capacity(head.columns.len());
    for group in 0..groups.alive.len() {
        let wrapped = groups.carries[group * count..][..count]
            .iter()
            .any(|&c| c != 0);
        if !groups.alive[group] || wrapped {
            continue;
        }
        tuple.clear();
        for column in &head.columns {
            tuple.push(match *column {
                Column::Key(i) => groups.keys[group * key_len + i],
                Column::Aggregate(i) => groups.accumulators[group * count + i],
            });
        }
        out.push(hash_words(tuple.iter().copied()), &tuple);
    }
}

/// Folds one more argument into an accumulator; `None` when a sum overflows.
fn step(func: AggFunc, ty: ColumnType, acc: Word, arg: Word, interner: &Interner) -> Option<Word> {
    match func {
        AggFunc::Count => Some(acc + 1),
        AggFunc::Sum => match ty {
            ColumnType::U64 => acc.checked_add(arg),
            ColumnType::I64 => (acc as i64).checked_add(arg as i64).map(|v| v as Word),
            // Float sums are taken in `fold`, in ascending order of their values.
            ColumnType::F64 => Some(acc),
            // `sum` needs a number; the checker rejects the rest.
            ColumnType::Bool | ColumnType::String | ColumnType::Lattice(_) => None,
        },
        AggFunc::Min => Some(match compare(ty, arg, acc, interner) {
            Ordering::Less => arg,
            Ordering::Equal | Ordering::Greater => acc,
        }),
        AggFunc::Max => Some(match compare(ty, arg, acc, interner) {
            Ordering::Greater => arg,
            Ordering::Equal | Ordering::Less => acc,
        }),
    }
}

/// The groups of one aggregation, in the order they first appear.
#[derive(Default)]
struct Groups {
    /// Group ids keyed by the hash of their key.
    table: HashTable<u32>,
    /// Each group's key, back to back.
    keys: Vec<Word>,
    /// Each group's accumulators, back to back.
    accumulators: Vec<Word>,
    /// For each accumulator of an i64 sum, how many times its running total wrapped
    /// upward minus how many times downward (the total is exact when this is 0).
    carries: Vec<i64>,
    /// Whether each group is still to be emitted (no sum overflowed).
    alive: Vec<bool>,
}

impl Groups {
    /// The id of the group of `key`, and whether it was just created (with
    /// `aggregates` accumulators, to be initialised by the caller).
    fn find_or_add(&mut self, key: &[Word], aggregates: usize) -> (usize, bool) {
        let width = key.len();
        let hash = hash_words(key.iter().copied());
        let keys = &self.keys;
        if let Some(&group) = self.table.find(hash, |&g| {
            same_words(&keys[g as usize * width..][..width], key)
        }) {
            return (group as usize, false);
        }
        let group = self.alive.len();
        self.keys.extend_from_slice(key);
        self.alive.push(true);
        self.accumulators
            .resize(self.accumulators.len() + aggregates, 0);
        self.carries.resize(self.carries.len() + aggregates, 0);
        let keys = &self.keys;
        self.table.insert_unique(hash, group as u32, |&g| {
            hash_words(keys[g as usize * width..][..width].iter().copied())
        });
        (group, true)
    }
}
