//! Lattice types as the compiler, the IR and the engine name them.
//!
//! A column's [`ColumnType`] stays a small `Copy` value: a lattice column holds
//! `ColumnType::Lattice(id)`, and `id` indexes a [`LatticeTypes`] table that the compiler
//! fills (one entry per distinct lattice type, nested types first) and hands over in the
//! plan.

use std::fmt;

use crate::value::ColumnType;

/// Index of a lattice type in a [`LatticeTypes`] table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LatticeId(pub u32);

/// One lattice type. Element and key types are scalar [`ColumnType`]s; nested lattices
/// are [`LatticeId`]s of the same table.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LatticeType {
    /// `Max<T>`: the greatest value seen.
    Max(ColumnType),
    /// `Min<T>`: the least value seen.
    Min(ColumnType),
    /// `Bool`: false, then true forever.
    Bool,
    /// `Set<T>`: a grow-only set.
    Set(ColumnType),
    /// `Map<K, L>`: keys to lattice values, merged pointwise.
    Map(ColumnType, LatticeId),
    /// `Lww<T>`: the value of the last writer, by (timestamp, writer).
    Lww(ColumnType),
    /// `VClock`: a vector clock, writer to counter.
    VClock,
    /// `Causal<T>`: a multi-value register, the latest concurrent values written, each
    /// with its vector clock.
    Causal(ColumnType),
    /// `Pair<A, B>`: the product of two lattices.
    Pair(LatticeId, LatticeId),
    /// `DomPair<A, B>`: the lexicographic pair, where the first lattice dominates.
    DomPair(LatticeId, LatticeId),
    /// `Counter`: a grow-only counter with one count per writer.
    Counter,
    /// `PnCounter`: a counter that counts up and down, as two grow-only counters.
    PnCounter,
    /// A lattice declared with `extern lattice NAME;` and implemented in Rust.
    Extern(String),
}

impl LatticeType {
    /// The scalar type whose text form is this lattice's text form: `T` for `Max<T>`
    /// and `Min<T>`, `bool` for `Bool`. `None` for the other lattices, whose text form
    /// is JSON (see [`text`](super::dynamic::text)).
    pub fn text_scalar(&self) -> Option<ColumnType> {
        match self {
            LatticeType::Max(t) | LatticeType::Min(t) => Some(*t),
            LatticeType::Bool => Some(ColumnType::Bool),
            _ => None,
        }
    }
}

/// The lattice types of one program, each stored once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LatticeTypes {
    types: Vec<LatticeType>,
}

impl LatticeTypes {
    /// An empty table.
    pub fn new() -> LatticeTypes {
        LatticeTypes::default()
    }

    /// The id of `ty`, adding it if the table does not hold it yet.
    pub fn intern(&mut self, ty: LatticeType) -> LatticeId {
        if let Some(found) = self.types.iter().position(|t| *t == ty) {
            return LatticeId(found as u32);
        }
        self.types.push(ty);
        LatticeId(self.types.len() as u32 - 1)
    }

    /// The type with id `id`.
    ///
    /// # Panics
    ///
    /// If `id` was not handed out by this table.
    pub fn get(&self, id: LatticeId) -> &LatticeType {
        &self.types[id.0 as usize]
    }

    /// The type with id `id`, or `None` if `id` was not handed out by this table.
    pub fn lookup(&self, id: LatticeId) -> Option<&LatticeType> {
        self.types.get(id.0 as usize)
    }

    /// Whether the type with id `id` is, or holds, an extern lattice.
    pub fn contains_extern(&self, id: LatticeId) -> bool {
        match self.lookup(id) {
            Some(LatticeType::Extern(_)) => true,
            Some(LatticeType::Map(_, v)) => self.contains_extern(*v),
            Some(LatticeType::Pair(a, b) | LatticeType::DomPair(a, b)) => {
                self.contains_extern(*a) || self.contains_extern(*b)
            }
            _ => false,
        }
    }

    /// Every type with its id, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (LatticeId, &LatticeType)> {
        (0..).map(|i| LatticeId(i as u32)).zip(&self.types)
    }

    /// A displayable form of a column type as written in Hydro source (`Min<u64>`,
    /// `Map<string, Max<i64>>`).
    pub fn display(&self, ty: ColumnType) -> TypeName<'_> {
        TypeName { table: self, ty }
    }
}

/// A column type written as in source; see [`LatticeTypes::display`].
pub struct TypeName<'a> {
    table: &'a LatticeTypes,
    ty: ColumnType,
}

impl fmt::Display for TypeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ColumnType::Lattice(id) = self.ty else {
            return f.write_str(self.ty.name());
        };
        let name = |ty| self.table.display(ty);
        let lattice = |id| self.table.display(ColumnType::Lattice(id));
        match self.table.get(id) {
            LatticeType::Max(t) => write!(f, "Max<{}>", name(*t)),
            LatticeType::Min(t) => write!(f, "Min<{}>", name(*t)),
            LatticeType::Bool => f.write_str("Bool"),
            LatticeType::Set(t) => write!(f, "Set<{}>", name(*t)),
            LatticeType::Map(k, v) => write!(f, "Map<{}, {}>", name(*k), lattice(*v)),
            LatticeType::Lww(t) => write!(f, "Lww<{}>", name(*t)),
            LatticeType::VClock => f.write_str("VClock"),
            LatticeType::Causal(t) => write!(f, "Causal<{}>", name(*t)),
            LatticeType::Pair(a, b) => write!(f, "Pair<{}, {}>", lattice(*a), lattice(*b)),
            LatticeType::DomPair(a, b) => write!(f, "DomPair<{}, {}>", lattice(*a), lattice(*b)),
            LatticeType::Counter => f.write_str("Counter"),
            LatticeType::PnCounter => f.write_str("PnCounter"),
            LatticeType::Extern(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_types_print_as_written() {
        let mut table = LatticeTypes::new();
        let max = table.intern(LatticeType::Max(ColumnType::I64));
        let map = table.intern(LatticeType::Map(ColumnType::String, max));
        assert_eq!(table.intern(LatticeType::Max(ColumnType::I64)), max);
        let text = table.display(ColumnType::Lattice(map)).to_string();
        assert_eq!(text, "Map<string, Max<i64>>");
    }
}
