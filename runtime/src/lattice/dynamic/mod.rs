//! Lattice values as the interpreter holds them: one Rust type, [`LatticeValue`], for
//! every lattice type a program can declare.
//!
//! Each variant holds a typed lattice of this crate instantiated at [`Const`] (elements
//! and keys) and at [`LatticeValue`] itself (nested lattices), so the merge, the order
//! and the laws are the typed lattices'. A value does not carry its [`LatticeId`]:
//! functions that need the type (reading text, lifting a scalar, a bottom) take it with
//! the program's [`LatticeTypes`].
//!
//! - [`text`]: the text form of facts files and outputs;
//! - [`ops`]: the operations of the language (`value`, `size`, `get`, ...) with their
//!   signatures and CALM classes;
//! - [`construct`]: the constructors (`set(x)`, `map(k, v)`, ...);
//! - [`threshold`](mod@threshold): which comparisons of a lattice value are monotone
//!   threshold tests;
//! - [`externs`]: lattices implemented in Rust (`extern lattice NAME;`).
//!
//! Nothing here panics on a value of the wrong type: merging or comparing values of
//! different lattices is a [`LatticeError`], and functions that take a type check the
//! values they are given against it.
//!
//! ```
//! use hydro_runtime::lattice::dynamic::Externs;
//! use hydro_runtime::lattice::{LatticeType, LatticeTypes, LatticeValue};
//! use hydro_runtime::value::ColumnType;
//!
//! let mut types = LatticeTypes::new();
//! let max = types.intern(LatticeType::Max(ColumnType::U64));
//! let map = types.intern(LatticeType::Map(ColumnType::String, max));
//! let mut seen = LatticeValue::parse(map, &types, r#"{"a":1}"#)?;
//! let more = LatticeValue::parse(map, &types, r#"{"a":3,"b":2}"#)?;
//! assert!(seen.merge(more, &Externs::new())?);
//! assert_eq!(seen.to_text(), r#"{"a":3,"b":2}"#);
//! # Ok::<(), hydro_runtime::lattice::LatticeError>(())
//! ```

pub mod construct;
pub mod externs;
pub mod ops;
pub mod text;
pub mod threshold;
mod walk;

use std::cmp::Ordering;
use std::fmt;

pub use construct::Constructor;
pub use externs::{ExternLattice, ExternValue, Externs};
pub use ops::{Operation, Signature};
pub use threshold::{is_upward_closed, threshold};

use super::merge::pointwise;
use super::{
    Bool, Causal, Counter, DomPair, LatticeId, LatticeOrd, LatticeType, LatticeTypes, Lww, Map,
    Max, Merge, Min, Pair, PnCounter, Set, VClock,
};
use crate::value::{ColumnType, Const};

/// A value of any lattice type of a program.
///
/// The derived order is structural (variant, then contents), for storing and printing
/// values deterministically; the lattice order is [`LatticeValue::lattice_cmp`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LatticeValue {
    /// `Max<T>`.
    Max(Max<Const>),
    /// `Min<T>`.
    Min(Min<Const>),
    /// `Bool`.
    Bool(Bool),
    /// `Set<T>`.
    Set(Set<Const>),
    /// `Map<K, L>`.
    Map(Map<Const, LatticeValue>),
    /// `Lww<T>`.
    Lww(Lww<Const>),
    /// `VClock`.
    VClock(VClock),
    /// `Causal<T>`.
    Causal(Causal<Const>),
    /// `Pair<A, B>`.
    Pair(Box<Pair<LatticeValue, LatticeValue>>),
    /// `DomPair<A, B>`.
    DomPair(Box<DomPair<LatticeValue, LatticeValue>>),
    /// `Counter`.
    Counter(Counter),
    /// `PnCounter`.
    PnCounter(PnCounter),
    /// A value of an `extern lattice`.
    Extern(ExternValue),
}

/// Any value a Hydro expression computes: a scalar or a lattice value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnyValue {
    /// A value of a scalar type.
    Scalar(Const),
    /// A value of a lattice type.
    Lattice(LatticeValue),
}

/// A constant as a value: a lattice constant is a lattice value, anything else a scalar.
impl From<Const> for AnyValue {
    fn from(value: Const) -> Self {
        match value {
            Const::Lattice { value, .. } => AnyValue::Lattice(*value),
            scalar => AnyValue::Scalar(scalar),
        }
    }
}

impl From<LatticeValue> for AnyValue {
    fn from(value: LatticeValue) -> Self {
        AnyValue::Lattice(value)
    }
}

/// Writes the value's text form: a scalar as [`Const`] writes it, a lattice value as
/// [`LatticeValue`] does.
impl fmt::Display for AnyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyValue::Scalar(value) => value.fmt(f),
            AnyValue::Lattice(value) => value.fmt(f),
        }
    }
}

/// Why lattice values could not be read, merged or compared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LatticeError {
    /// Values of two different lattice types met.
    #[error("cannot merge or compare a {from} value with a {into} value")]
    Mismatch {
        /// The value merged into (or compared first).
        into: String,
        /// The other value.
        from: String,
    },
    /// A lattice id that the program's table does not hold.
    #[error("lattice type #{} is not in the program's type table", .0.0)]
    UnknownType(LatticeId),
    /// An extern lattice with no implementation registered.
    #[error(
        "extern lattice `{0}` has no implementation: register one with the interpreter \
         (`Externs::register`)"
    )]
    UnregisteredExtern(String),
    /// An extern lattice's implementation rejected a value.
    #[error("extern lattice `{lattice}`: {message}")]
    Extern {
        /// The extern lattice.
        lattice: String,
        /// What went wrong.
        message: String,
    },
    /// Text that is not a value of the expected type.
    #[error("cannot read `{text}` as a {ty} value: {detail}")]
    Parse {
        /// The expected type, as written in Hydro.
        ty: String,
        /// The text (shortened when long).
        text: String,
        /// What was expected where the text went wrong.
        detail: String,
    },
}

/// The scalar `true` and `false`, for [`LatticeValue::element`] of a `Bool`.
static TRUE: Const = Const::Bool(true);
static FALSE: Const = Const::Bool(false);

impl LatticeValue {
    /// The name of the value's lattice, with the element type where it is known
    /// (`Max<u64>`, `Set`, `extern Name`), for messages.
    pub fn describe(&self) -> String {
        let with_element = |kind: &str, element: &Const| format!("{kind}<{}>", element.ty());
        match self {
            LatticeValue::Max(m) => with_element("Max", m.get()),
            LatticeValue::Min(m) => with_element("Min", m.get()),
            LatticeValue::Bool(_) => "Bool".into(),
            LatticeValue::Set(_) => "Set".into(),
            LatticeValue::Map(_) => "Map".into(),
            LatticeValue::Lww(l) => with_element("Lww", l.value()),
            LatticeValue::VClock(_) => "VClock".into(),
            LatticeValue::Causal(_) => "Causal".into(),
            LatticeValue::Pair(_) => "Pair".into(),
            LatticeValue::DomPair(_) => "DomPair".into(),
            LatticeValue::Counter(_) => "Counter".into(),
            LatticeValue::PnCounter(_) => "PnCounter".into(),
            LatticeValue::Extern(e) => format!("extern {}", e.lattice()),
        }
    }

    /// The element of a `Max`, `Min` or `Bool` value, which threshold tests compare.
    pub fn element(&self) -> Option<&Const> {
        match self {
            LatticeValue::Max(m) => Some(m.get()),
            LatticeValue::Min(m) => Some(m.get()),
            LatticeValue::Bool(b) if b.get() => Some(&TRUE),
            LatticeValue::Bool(_) => Some(&FALSE),
            _ => None,
        }
    }

    /// Merges `other` into `self`; returns whether `self` grew.
    ///
    /// Values of different kinds of lattice (or `Max`, `Min` and `Lww` values of
    /// different element types) are an error, as is an extern value whose lattice is not
    /// registered in `externs` or rejects it. Values are otherwise taken to be of one
    /// type: [`LatticeValue::has_type`] checks a value whole. An error in a nested value stops the
    /// merge part way: the value is then merged with part of `other`, which only made it
    /// grow.
    pub fn merge(&mut self, other: LatticeValue, externs: &Externs) -> Result<bool, LatticeError> {
        let mismatch = |mine: &LatticeValue, theirs: &LatticeValue| LatticeError::Mismatch {
            into: mine.describe(),
            from: theirs.describe(),
        };
        let merge = |mine: &mut LatticeValue, theirs| mine.merge(theirs, externs);
        match (self, other) {
            (LatticeValue::Max(mine), LatticeValue::Max(theirs))
                if same_type(mine.get(), theirs.get()) =>
            {
                Ok(mine.merge(theirs))
            }
            (LatticeValue::Min(mine), LatticeValue::Min(theirs))
                if same_type(mine.get(), theirs.get()) =>
            {
                Ok(mine.merge(theirs))
            }
            (LatticeValue::Bool(mine), LatticeValue::Bool(theirs)) => Ok(mine.merge(theirs)),
            (LatticeValue::Set(mine), LatticeValue::Set(theirs)) => Ok(mine.merge(theirs)),
            (LatticeValue::Map(mine), LatticeValue::Map(theirs)) => mine.merge_with(theirs, merge),
            (LatticeValue::Lww(mine), LatticeValue::Lww(theirs))
                if same_type(mine.value(), theirs.value()) =>
            {
                Ok(mine.merge(theirs))
            }
            (LatticeValue::VClock(mine), LatticeValue::VClock(theirs)) => Ok(mine.merge(theirs)),
            (LatticeValue::Causal(mine), LatticeValue::Causal(theirs)) => Ok(mine.merge(theirs)),
            (LatticeValue::Pair(mine), LatticeValue::Pair(theirs)) => {
                mine.merge_with(*theirs, merge, merge)
            }
            (LatticeValue::DomPair(mine), LatticeValue::DomPair(theirs)) => mine.merge_with(
                *theirs,
                |mine, theirs| mine.lattice_cmp(theirs, externs),
                merge,
                merge,
            ),
            (LatticeValue::Counter(mine), LatticeValue::Counter(theirs)) => Ok(mine.merge(theirs)),
            (LatticeValue::PnCounter(mine), LatticeValue::PnCounter(theirs)) => {
                Ok(mine.merge(theirs))
            }
            (LatticeValue::Extern(mine), LatticeValue::Extern(theirs)) => {
                mine.merge(theirs, externs)
            }
            (mine, theirs) => Err(mismatch(mine, &theirs)),
        }
    }

    /// The lattice order of `self` and `other` (`None`: incomparable). An extern value is
    /// below another when merging it in changes nothing.
    pub fn lattice_cmp(
        &self,
        other: &LatticeValue,
        externs: &Externs,
    ) -> Result<Option<Ordering>, LatticeError> {
        let cmp = |mine: &LatticeValue, theirs: &LatticeValue| mine.lattice_cmp(theirs, externs);
        match (self, other) {
            (LatticeValue::Max(mine), LatticeValue::Max(theirs))
                if same_type(mine.get(), theirs.get()) =>
            {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::Min(mine), LatticeValue::Min(theirs))
                if same_type(mine.get(), theirs.get()) =>
            {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::Bool(mine), LatticeValue::Bool(theirs)) => Ok(mine.lattice_cmp(theirs)),
            (LatticeValue::Set(mine), LatticeValue::Set(theirs)) => Ok(mine.lattice_cmp(theirs)),
            (LatticeValue::Map(mine), LatticeValue::Map(theirs)) => mine.cmp_with(theirs, cmp),
            (LatticeValue::Lww(mine), LatticeValue::Lww(theirs))
                if same_type(mine.value(), theirs.value()) =>
            {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::VClock(mine), LatticeValue::VClock(theirs)) => {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::Causal(mine), LatticeValue::Causal(theirs)) => {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::Pair(mine), LatticeValue::Pair(theirs)) => {
                let first = cmp(mine.first(), theirs.first())?;
                Ok(pointwise(first, cmp(mine.second(), theirs.second())?))
            }
            (LatticeValue::DomPair(mine), LatticeValue::DomPair(theirs)) => {
                mine.cmp_with(theirs, cmp, cmp)
            }
            (LatticeValue::Counter(mine), LatticeValue::Counter(theirs)) => {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::PnCounter(mine), LatticeValue::PnCounter(theirs)) => {
                Ok(mine.lattice_cmp(theirs))
            }
            (LatticeValue::Extern(mine), LatticeValue::Extern(theirs)) => {
                let below = |a: &ExternValue, b: &ExternValue| {
                    let mut merged = b.clone();
                    merged.merge(a.clone(), externs).map(|grew| !grew)
                };
                let (le, ge) = (below(mine, theirs)?, below(theirs, mine)?);
                Ok(super::merge::inclusion(le, ge))
            }
            (mine, theirs) => Err(LatticeError::Mismatch {
                into: mine.describe(),
                from: theirs.describe(),
            }),
        }
    }

    /// Whether `self ≤ other` in the lattice order.
    pub fn lattice_le(
        &self,
        other: &LatticeValue,
        externs: &Externs,
    ) -> Result<bool, LatticeError> {
        let order = self.lattice_cmp(other, externs)?;
        Ok(matches!(order, Some(Ordering::Less | Ordering::Equal)))
    }

    /// The least value of the lattice type `id`, if it has one.
    ///
    /// As in Hydro programs, `Max`, `Min` and `Lww` have none (a relation holds no value
    /// for a key until one arrives); `Bool` is `false`; sets, maps, clocks and counters
    /// are empty, and causal registers hold no version; a pair has `(⊥, ⊥)` when both
    /// halves have a bottom; an extern lattice has the bottom its registration gives.
    pub fn bottom(id: LatticeId, types: &LatticeTypes, externs: &Externs) -> Option<LatticeValue> {
        Some(match types.lookup(id)? {
            LatticeType::Max(_) | LatticeType::Min(_) | LatticeType::Lww(_) => return None,
            LatticeType::Bool => LatticeValue::Bool(Bool::new(false)),
            LatticeType::Set(_) => LatticeValue::Set(Set::new()),
            LatticeType::Map(_, _) => LatticeValue::Map(Map::new()),
            LatticeType::VClock => LatticeValue::VClock(VClock::new()),
            LatticeType::Causal(_) => LatticeValue::Causal(Causal::default()),
            LatticeType::Pair(a, b) => {
                let (a, b) = (
                    Self::bottom(*a, types, externs)?,
                    Self::bottom(*b, types, externs)?,
                );
                LatticeValue::Pair(Box::new(Pair::new(a, b)))
            }
            LatticeType::DomPair(a, b) => {
                let (a, b) = (
                    Self::bottom(*a, types, externs)?,
                    Self::bottom(*b, types, externs)?,
                );
                LatticeValue::DomPair(Box::new(DomPair::new(a, b)))
            }
            LatticeType::Counter => LatticeValue::Counter(Counter::new()),
            LatticeType::PnCounter => LatticeValue::PnCounter(PnCounter::new()),
            LatticeType::Extern(name) => {
                let bottom = externs.get(name)?.bottom()?;
                LatticeValue::Extern(ExternValue::new(name.clone(), &bottom))
            }
        })
    }

    /// `value` as a value of the lattice type `id`, where a lattice value is expected:
    /// a lattice value of that type as it is; a scalar lifted into `Max<T>` or `Min<T>`
    /// (a `T`), `Bool` (a `bool`) or `Set<T>` (a singleton of a `T`). `None` for a
    /// value of another type.
    ///
    /// A lattice value is checked whole, in time linear in its size.
    pub fn lift(id: LatticeId, types: &LatticeTypes, value: AnyValue) -> Option<LatticeValue> {
        match value {
            AnyValue::Lattice(value) => value.has_type(id, types).then_some(value),
            AnyValue::Scalar(value) => match types.lookup(id)? {
                LatticeType::Max(t) if value.ty() == *t => Some(LatticeValue::Max(Max::new(value))),
                LatticeType::Min(t) if value.ty() == *t => Some(LatticeValue::Min(Min::new(value))),
                LatticeType::Bool => match value {
                    Const::Bool(b) => Some(LatticeValue::Bool(Bool::new(b))),
                    _ => None,
                },
                LatticeType::Set(t) if value.ty() == *t => {
                    Some(LatticeValue::Set(Set::singleton(value)))
                }
                _ => None,
            },
        }
    }

    /// Whether `self` is a value of the lattice type `id`, nested values and elements
    /// included.
    pub fn has_type(&self, id: LatticeId, types: &LatticeTypes) -> bool {
        let Some(ty) = types.lookup(id) else {
            return false;
        };
        let all_of = |t: ColumnType, mut values: std::collections::btree_set::Iter<'_, Const>| {
            values.all(|v| v.ty() == t)
        };
        match (ty, self) {
            (LatticeType::Max(t), LatticeValue::Max(m)) => m.get().ty() == *t,
            (LatticeType::Min(t), LatticeValue::Min(m)) => m.get().ty() == *t,
            (LatticeType::Bool, LatticeValue::Bool(_)) => true,
            (LatticeType::Set(t), LatticeValue::Set(s)) => all_of(*t, s.as_set().iter()),
            (LatticeType::Map(k, l), LatticeValue::Map(m)) => m
                .iter()
                .all(|(key, value)| key.ty() == *k && value.has_type(*l, types)),
            (LatticeType::Lww(t), LatticeValue::Lww(l)) => l.value().ty() == *t,
            (LatticeType::VClock, LatticeValue::VClock(_)) => true,
            (LatticeType::Causal(t), LatticeValue::Causal(c)) => {
                c.versions().all(|(_, value)| value.ty() == *t)
            }
            (LatticeType::Pair(a, b), LatticeValue::Pair(p)) => {
                p.first().has_type(*a, types) && p.second().has_type(*b, types)
            }
            (LatticeType::DomPair(a, b), LatticeValue::DomPair(p)) => {
                p.first().has_type(*a, types) && p.second().has_type(*b, types)
            }
            (LatticeType::Counter, LatticeValue::Counter(_)) => true,
            (LatticeType::PnCounter, LatticeValue::PnCounter(_)) => true,
            (LatticeType::Extern(name), LatticeValue::Extern(e)) => e.lattice() == name,
            _ => false,
        }
    }

    /// Checks every extern value inside `self` against its lattice in `externs` (text
    /// only checks that an extern value is JSON).
    pub fn check_externs(&self, externs: &Externs) -> Result<(), LatticeError> {
        match self {
            LatticeValue::Extern(e) => e.check(externs),
            LatticeValue::Map(m) => m.iter().try_for_each(|(_, v)| v.check_externs(externs)),
            LatticeValue::Pair(p) => {
                p.first().check_externs(externs)?;
                p.second().check_externs(externs)
            }
            LatticeValue::DomPair(p) => {
                p.first().check_externs(externs)?;
                p.second().check_externs(externs)
            }
            _ => Ok(()),
        }
    }
}

/// Whether two scalars have the same type (the elements of two values of one lattice).
fn same_type(a: &Const, b: &Const) -> bool {
    a.ty() == b.ty()
}

#[cfg(test)]
mod tests;
