//! Lattice values in the engine: the heap that names each value by a word, the terms
//! that compute with lattice values, and how a lattice relation merges what rules
//! derive into the one value it keeps per key.
//!
//! A lattice column holds a word naming a value in the [`Heap`]; equal values get the
//! same word, so tuples stay comparable word by word. A relation whose last column is a
//! lattice keeps one *current* row per key: a derived value is merged into the current
//! one, and when that grows it, the merged value is appended as a new row and the old
//! row becomes *stale*. Appending keeps the semi-naive machinery as it is: the delta of
//! an iteration is the rows it appended, that is the keys whose value grew, each with
//! its merged value. Stale rows are harmless to monotone readers (a smaller value
//! derives nothing a larger one does not) and are compacted away when the stratum
//! ends, before any non-monotone reader runs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::lattice::Operation;
use crate::lattice::{AnyValue, Constructor, Externs, LatticeId, LatticeTypes, LatticeValue};
use crate::store::word::{decode_scalar, encode_existing, Interner};
use crate::store::{hash_words, Relation, Word};
use crate::value::{ColumnType, Const};

use super::expr::Term;

/// The lattice values of one engine, each stored once and named by a word.
///
/// Every merge that grows a value stores the grown value, so the heap would keep every
/// value a lattice ever had; [`Heap::collect`] frees those no relation holds any more,
/// between ticks. A freed word is reused only for a later value, and never while a row
/// still names it (the collection marks every row).
#[derive(Debug, Default)]
pub(crate) struct Heap {
    /// The value of each word; `None` for a freed one.
    values: RefCell<Vec<Option<Rc<LatticeValue>>>>,
    ids: RefCell<HashMap<Rc<LatticeValue>, Word>>,
    /// Freed words, reused first.
    free: RefCell<Vec<Word>>,
    /// The words of the program's constants, which live as long as the engine.
    pinned: RefCell<Vec<Word>>,
}

impl Heap {
    /// The word of `value`, storing it the first time it is seen.
    pub(crate) fn intern(&self, value: LatticeValue) -> Word {
        if let Some(&id) = self.ids.borrow().get(&value) {
            return id;
        }
        let value = Rc::new(value);
        let mut values = self.values.borrow_mut();
        let id = match self.free.borrow_mut().pop() {
            Some(id) => {
                values[id as usize] = Some(Rc::clone(&value));
                id
            }
            None => {
                values.push(Some(Rc::clone(&value)));
                values.len() as Word - 1
            }
        };
        self.ids.borrow_mut().insert(value, id);
        id
    }

    /// The word of a constant of the program, which is never freed.
    pub(crate) fn intern_pinned(&self, value: LatticeValue) -> Word {
        let id = self.intern(value);
        self.pinned.borrow_mut().push(id);
        id
    }

    /// The value a word names.
    ///
    /// # Panics
    ///
    /// If the word was freed: the engine only reads words that rows or frames hold.
    pub(crate) fn get(&self, word: Word) -> Rc<LatticeValue> {
        let values = self.values.borrow();
        let value = values[word as usize].as_ref();
        Rc::clone(value.expect("a lattice word that a row holds is live"))
    }

    /// Frees every value whose word is neither in `live` nor pinned. Returns how many
    /// values were freed.
    pub(crate) fn collect(&self, live: impl IntoIterator<Item = Word>) -> usize {
        let mut values = self.values.borrow_mut();
        let mut marked = vec![false; values.len()];
        for word in live.into_iter().chain(self.pinned.borrow().iter().copied()) {
            if let Some(mark) = marked.get_mut(word as usize) {
                *mark = true;
            }
        }
        let (mut ids, mut free) = (self.ids.borrow_mut(), self.free.borrow_mut());
        let mut freed = 0;
        for (word, slot) in values.iter_mut().enumerate() {
            if marked[word] {
                continue;
            }
            if let Some(value) = slot.take() {
                ids.remove(&value);
                free.push(word as Word);
                freed += 1;
            }
        }
        freed
    }

    /// The number of values held.
    pub(crate) fn len(&self) -> usize {
        self.ids.borrow().len()
    }
}

/// What evaluating lattice terms reads: the strings, the lattice values and types.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub(crate) interner: &'a Interner,
    pub(crate) heap: &'a Heap,
    pub(crate) types: &'a LatticeTypes,
    pub(crate) externs: &'a Externs,
}

impl Cx<'_> {
    /// The value a word of type `ty` stands for.
    pub(crate) fn value(&self, ty: ColumnType, word: Word) -> AnyValue {
        match ty {
            ColumnType::Lattice(_) => AnyValue::Lattice((*self.heap.get(word)).clone()),
            scalar => AnyValue::Scalar(decode_scalar(scalar, word, self.interner)),
        }
    }

    /// The word of a value. Every string a rule can compute already has a word, since
    /// every string inside a lattice value was interned when the value entered the
    /// engine; `None` otherwise.
    pub(crate) fn word(&self, value: AnyValue) -> Option<Word> {
        match value {
            AnyValue::Lattice(value) => Some(self.heap.intern(value)),
            AnyValue::Scalar(value) => encode_existing(&value, self.interner),
        }
    }
}

/// A term that computes with lattice values.
#[derive(Clone, Debug)]
pub(crate) enum LatticeTerm {
    /// A lattice operation.
    Call {
        op: Operation,
        args: Vec<Term>,
        arg_types: Vec<ColumnType>,
        ty: ColumnType,
    },
    /// A constructor.
    Construct {
        ctor: Constructor,
        args: Vec<Term>,
        arg_types: Vec<ColumnType>,
        ty: LatticeId,
    },
    /// A scalar of type `scalar` lifted into lattice `ty`.
    Lift {
        ty: LatticeId,
        scalar: ColumnType,
        arg: Term,
    },
    /// `lhs + rhs`, a `Max` or `Min` of a number plus a number of its element type.
    Add {
        ty: LatticeId,
        element: ColumnType,
        lhs: Term,
        rhs: Term,
    },
}

impl LatticeTerm {
    /// The term's value, or `None` when it is undefined (the assignment is dropped).
    pub(crate) fn eval(&self, frame: &[Word], cx: &Cx) -> Option<Word> {
        let args = |terms: &[Term], types: &[ColumnType]| -> Option<Vec<AnyValue>> {
            terms
                .iter()
                .zip(types)
                .map(|(t, ty)| Some(cx.value(*ty, t.eval(frame, cx)?)))
                .collect()
        };
        let value = match self {
            LatticeTerm::Call {
                op,
                args: terms,
                arg_types,
                ty,
            } => op.apply(&args(terms, arg_types)?, *ty, cx.types, cx.externs)?,
            LatticeTerm::Construct {
                ctor,
                args: terms,
                arg_types,
                ty,
            } => AnyValue::Lattice(ctor.apply(&args(terms, arg_types)?, *ty, cx.types)?),
            LatticeTerm::Lift { ty, scalar, arg } => {
                let value = cx.value(*scalar, arg.eval(frame, cx)?);
                AnyValue::Lattice(LatticeValue::lift(*ty, cx.types, value)?)
            }
            LatticeTerm::Add {
                ty,
                element,
                lhs,
                rhs,
            } => {
                let lattice = cx.value(ColumnType::Lattice(*ty), lhs.eval(frame, cx)?);
                let scalar = cx.value(*element, rhs.eval(frame, cx)?);
                let ty = ColumnType::Lattice(*ty);
                Operation::Add.apply(&[lattice, scalar], ty, cx.types, cx.externs)?
            }
        };
        cx.word(value)
    }
}

/// Merges derived tuples into a lattice relation (last column a lattice): per key,
/// the derived values are merged together, then into the key's current value; each
/// key whose value grows gets a new row. Returns the number of new rows; the rows they
/// supersede are added to `stale`.
pub(crate) fn merge_into(
    rel: &mut Relation,
    key_index: usize,
    stale: &mut Relation,
    tuples: impl Iterator<Item = Vec<Word>>,
    cx: &Cx,
) -> usize {
    let width = rel.arity();
    let key_len = width - 1;

    // Merge what was derived, key by key, in first-seen order.
    let mut order: Vec<Vec<Word>> = Vec::new();
    let mut pending: HashMap<Vec<Word>, LatticeValue> = HashMap::new();
    for tuple in tuples {
        let (key, word) = (tuple[..key_len].to_vec(), tuple[key_len]);
        let value = (*cx.heap.get(word)).clone();
        match pending.get_mut(&key) {
            Some(merged) => {
                if let Err(error) = merged.merge(value, cx.externs) {
                    tracing::warn!(%error, "lattice merge failed; value dropped");
                }
            }
            None => {
                order.push(key.clone());
                pending.insert(key, value);
            }
        }
    }

    // Then into the current value of each key: a row only when it grows.
    let mut new = 0;
    let mut row = Vec::with_capacity(width);
    for key in order {
        let Some(mut value) = pending.remove(&key) else {
            continue;
        };
        let current = rel
            .lookup(key_index, hash_words(key.iter().copied()), &key)
            .last()
            .map(|&id| rel.row(id as usize).to_vec());
        if let Some(current) = &current {
            let mut merged = (*cx.heap.get(current[key_len])).clone();
            match merged.merge(value, cx.externs) {
                Ok(true) => value = merged,
                Ok(false) => continue,
                Err(error) => {
                    tracing::warn!(%error, "lattice merge failed; value dropped");
                    continue;
                }
            }
        }
        row.clear();
        row.extend_from_slice(&key);
        row.push(cx.heap.intern(value));
        if rel.insert(&row) {
            new += 1;
            if let Some(current) = current {
                stale.insert(&current);
            }
        }
    }
    new
}

/// Interns every string inside a lattice value, so that operations on it never meet a
/// string without a word.
pub(crate) fn intern_strings(value: &LatticeValue, interner: &mut Interner) {
    value.for_each_scalar(&mut |c: &Const| {
        if let Const::String(s) = c {
            interner.intern(s);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::Max;

    fn max(n: u64) -> LatticeValue {
        LatticeValue::Max(Max::new(Const::U64(n)))
    }

    #[test]
    fn collection_frees_what_is_not_live_and_reuses_its_words() {
        let heap = Heap::default();
        let pinned = heap.intern_pinned(max(0));
        let (a, b, c) = (
            heap.intern(max(1)),
            heap.intern(max(2)),
            heap.intern(max(3)),
        );
        assert_eq!(heap.intern(max(2)), b, "equal values share a word");

        assert_eq!(heap.collect([b]), 2);
        assert_eq!(heap.len(), 2);
        assert_eq!(*heap.get(pinned), max(0), "constants stay");
        assert_eq!(*heap.get(b), max(2));

        // A freed word names the next new value; a value seen before gets a word again.
        let d = heap.intern(max(4));
        assert!(d == a || d == c);
        assert_eq!(*heap.get(d), max(4));
        assert_ne!(heap.intern(max(1)), b);
    }
}
