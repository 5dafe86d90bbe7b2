//! Words: every value the engine handles is one `u64`, typed by its column.
//!
//! `u64` is stored as is, `i64` bit-cast, `f64` as its bits (with `-0.0` stored as
//! `0.0`, so that equal floats have equal words), `bool` as 0 or 1, and a string as
//! its id in the [`Interner`]. Equality of two words of one type is equality of the
//! values; ordering needs the type, and for strings the interned text.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::value::{ColumnType, Const};

/// One value, as the engine stores it.
pub type Word = u64;

/// The strings seen by one engine, each stored once and named by a dense id.
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
}

impl Interner {
    /// The id of `text`, assigning a new one the first time the text is seen.
    pub fn intern(&mut self, text: &str) -> Word {
        if let Some(&id) = self.ids.get(text) {
            return Word::from(id);
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.into());
        self.ids.insert(text.into(), id);
        Word::from(id)
    }

    /// The id of `text` if it was interned.
    pub fn lookup(&self, text: &str) -> Option<Word> {
        self.ids.get(text).map(|&id| Word::from(id))
    }

    /// The text of an interned string.
    pub fn text(&self, id: Word) -> &str {
        &self.texts[id as usize]
    }
}

/// Normalises a float before it becomes a word: `-0.0` becomes `0.0`.
pub fn float_word(value: f64) -> Word {
    (value + 0.0).to_bits()
}

/// The word of a scalar constant (interning strings). Lattice values are words of the
/// engine's lattice heap, which encodes them itself; here they get no word.
pub fn encode(value: &Const, interner: &mut Interner) -> Option<Word> {
    if let Const::String(s) = value {
        return Some(interner.intern(s));
    }
    encode_existing(value, interner)
}

/// The word of a scalar constant whose string, if it is one, is interned already.
pub fn encode_existing(value: &Const, interner: &Interner) -> Option<Word> {
    Some(match value {
        Const::Bool(b) => Word::from(*b),
        Const::U64(v) => *v,
        Const::I64(v) => *v as Word,
        Const::F64(v) => float_word(*v),
        Const::String(s) => interner.lookup(s)?,
        Const::Lattice { .. } => return None,
    })
}

/// The constant a word of scalar type `ty` stands for (a lattice word reads as its
/// number: the lattice heap decodes those).
pub fn decode_scalar(ty: ColumnType, word: Word, interner: &Interner) -> Const {
    match ty {
        ColumnType::Bool => Const::Bool(word != 0),
        ColumnType::U64 | ColumnType::Lattice(_) => Const::U64(word),
        ColumnType::I64 => Const::I64(word as i64),
        ColumnType::F64 => Const::F64(f64::from_bits(word)),
        ColumnType::String => Const::String(interner.text(word).to_owned()),
    }
}

/// Orders two words of type `ty` as their values order (strings by their text).
pub fn compare(ty: ColumnType, a: Word, b: Word, interner: &Interner) -> Ordering {
    match ty {
        ColumnType::Bool | ColumnType::U64 => a.cmp(&b),
        ColumnType::I64 => (a as i64).cmp(&(b as i64)),
        ColumnType::F64 => f64::from_bits(a).total_cmp(&f64::from_bits(b)),
        ColumnType::String if a == b => Ordering::Equal,
        ColumnType::String => interner.text(a).cmp(interner.text(b)),
        // Lattice values are ordered by the lattice arena; words only tell equality.
        ColumnType::Lattice(_) => a.cmp(&b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_type() {
        let mut interner = Interner::default();
        let values = [
            Const::Bool(true),
            Const::U64(u64::MAX),
            Const::I64(-7),
            Const::F64(2.5),
            Const::String("héllo".into()),
        ];
        for value in values {
            let word = encode(&value, &mut interner).expect("a scalar");
            assert_eq!(decode_scalar(value.ty(), word, &interner), value);
        }
    }

    #[test]
    fn negative_zero_is_zero() {
        assert_eq!(float_word(-0.0), float_word(0.0));
    }

    #[test]
    fn strings_order_by_text_not_by_id() {
        let mut interner = Interner::default();
        let b = interner.intern("b");
        let a = interner.intern("a");
        assert_eq!(interner.intern("b"), b);
        assert_eq!(compare(ColumnType::String, a, b, &interner), Ordering::Less);
        assert!(a > b, "ids follow first sight, not the text");
    }

    #[test]
    fn signed_words_order_by_value() {
        let interner = Interner::default();
        let minus = encode(&Const::I64(-1), &mut Interner::default()).expect("a scalar");
        assert_eq!(
            compare(ColumnType::I64, minus, 1, &interner),
            Ordering::Less
        );
        assert_eq!(
            compare(ColumnType::U64, minus, 1, &interner),
            Ordering::Greater
        );
    }
}
