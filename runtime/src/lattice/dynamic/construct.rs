//! The constructors of lattice values in Hydro expressions.
//!
//! | call | arguments | result |
//! |---|---|---|
//! | `set(x)` | `T` | `Set<T>` |
//! | `map(k, v)` | `K`, `L` | `Map<K, L>` |
//! | `lww(ts, writer, v)` | `u64`, `string`, `T` | `Lww<T>` |
//! | `vclock(writer, n)` | `string`, `u64` | `VClock` |
//! | `causal(clock, v)` | `VClock`, `T` | `Causal<T>` |
//! | `counter(writer, n)` | `string`, `u64` | `Counter` |
//! | `pncounter(writer, p, n)` | `string`, `u64`, `u64` | `PnCounter` |
//! | `pair(a, b)`, `dompair(a, b)` | `A`, `B` | `Pair<A, B>`, `DomPair<A, B>` |
//!
//! `T` and `K` are scalars. Where a lattice `L`, `A` or `B` is expected, a scalar that
//! lifts into it may stand for it (`map("k", 3)` for `Map<string, Max<u64>>`). A scalar
//! alone does not say which lattice it lifts into (`3` fits `Max<u64>`, `Min<u64>` and
//! `Set<u64>`), so the type of such a call comes from the type the context expects.

use super::{AnyValue, LatticeValue};
use crate::lattice::{
    Causal, Counter, DomPair, LatticeId, LatticeType, LatticeTypes, Lww, Map, Pair, PnCounter, Set,
    VClock,
};
use crate::value::{ColumnType, Const};

/// A constructor of lattice values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constructor {
    /// `set(x)`: the singleton set.
    Set,
    /// `map(k, v)`: the map of one key.
    Map,
    /// `lww(ts, writer, v)`: a write.
    Lww,
    /// `vclock(writer, n)`: the clock of one writer.
    VClock,
    /// `causal(clock, v)`: a value written at a clock.
    Causal,
    /// `counter(writer, n)`: the count of one writer.
    Counter,
    /// `pncounter(writer, p, n)`: the increments and decrements of one writer.
    PnCounter,
    /// `pair(a, b)`: a product.
    Pair,
    /// `dompair(a, b)`: a dominating pair.
    DomPair,
}

impl Constructor {
    /// Every constructor.
    pub const ALL: [Constructor; 9] = [
        Constructor::Set,
        Constructor::Map,
        Constructor::Lww,
        Constructor::VClock,
        Constructor::Causal,
        Constructor::Counter,
        Constructor::PnCounter,
        Constructor::Pair,
        Constructor::DomPair,
    ];

    /// The name as written in Hydro.
    pub fn name(self) -> &'static str {
        match self {
            Constructor::Set => "set",
            Constructor::Map => "map",
            Constructor::Lww => "lww",
            Constructor::VClock => "vclock",
            Constructor::Causal => "causal",
            Constructor::Counter => "counter",
            Constructor::PnCounter => "pncounter",
            Constructor::Pair => "pair",
            Constructor::DomPair => "dompair",
        }
    }

    /// The constructor named `name` in Hydro.
    pub fn from_name(name: &str) -> Option<Constructor> {
        Constructor::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The type of the value built from arguments of types `args`, or `None` when the
    /// arguments do not fit (wrong number or types) or do not determine the type.
    ///
    /// `expected` is the lattice type the context expects, if it knows one (a head
    /// column, a fact). It decides the type when a scalar stands for a lattice argument
    /// (`map`, `pair`, `dompair`): the call then has type `expected` if `expected` is of
    /// the constructor's kind and every argument fits it. Otherwise `expected` is ignored
    /// and the type comes from the arguments alone, so that the caller can report a
    /// mismatch against `expected` with both types. New types are added to `types`.
    pub fn signature(
        self,
        args: &[ColumnType],
        expected: Option<LatticeId>,
        types: &mut LatticeTypes,
    ) -> Option<ColumnType> {
        use ColumnType::{String as Str, U64};

        let scalar = |t: &ColumnType| !matches!(t, ColumnType::Lattice(_));
        let expected_ty = expected.and_then(|id| Some((id, types.lookup(id)?.clone())));
        let ty = match (self, args) {
            (Constructor::Set, [t]) if scalar(t) => LatticeType::Set(*t),
            (Constructor::Map, [k, v]) if scalar(k) => {
                if let Some((id, LatticeType::Map(key, l))) = expected_ty {
                    if key == *k && fits(*v, l, types) {
                        return Some(ColumnType::Lattice(id));
                    }
                }
                LatticeType::Map(*k, lattice_id(*v)?)
            }
            (Constructor::Lww, [U64, Str, t]) if scalar(t) => LatticeType::Lww(*t),
            (Constructor::VClock, [Str, U64]) => LatticeType::VClock,
            (Constructor::Causal, [ColumnType::Lattice(clock), t]) if scalar(t) => {
                if types.lookup(*clock)? != &LatticeType::VClock {
                    return None;
                }
                LatticeType::Causal(*t)
            }
            (Constructor::Counter, [Str, U64]) => LatticeType::Counter,
            (Constructor::PnCounter, [Str, U64, U64]) => LatticeType::PnCounter,
            (Constructor::Pair | Constructor::DomPair, [a, b]) => {
                if let Some((id, LatticeType::Pair(x, y) | LatticeType::DomPair(x, y))) =
                    expected_ty.filter(|(_, ty)| self.builds(ty))
                {
                    if fits(*a, x, types) && fits(*b, y, types) {
                        return Some(ColumnType::Lattice(id));
                    }
                }
                let (a, b) = (lattice_id(*a)?, lattice_id(*b)?);
                match self {
                    Constructor::Pair => LatticeType::Pair(a, b),
                    _ => LatticeType::DomPair(a, b),
                }
            }
            _ => return None,
        };
        Some(ColumnType::Lattice(types.intern(ty)))
    }

    /// Whether the constructor builds values of the kind of `ty`.
    fn builds(self, ty: &LatticeType) -> bool {
        matches!(
            (self, ty),
            (Constructor::Set, LatticeType::Set(_))
                | (Constructor::Map, LatticeType::Map(_, _))
                | (Constructor::Lww, LatticeType::Lww(_))
                | (Constructor::VClock, LatticeType::VClock)
                | (Constructor::Causal, LatticeType::Causal(_))
                | (Constructor::Counter, LatticeType::Counter)
                | (Constructor::PnCounter, LatticeType::PnCounter)
                | (Constructor::Pair, LatticeType::Pair(_, _))
                | (Constructor::DomPair, LatticeType::DomPair(_, _))
        )
    }

    /// The value of type `result` (the type [`Constructor::signature`] gave) built from
    /// `args`, or `None` if the arguments do not fit it.
    pub fn apply(
        self,
        args: &[AnyValue],
        result: LatticeId,
        types: &LatticeTypes,
    ) -> Option<LatticeValue> {
        use AnyValue::Scalar;
        use Const::{String as Str, U64};

        let ty = types.lookup(result)?;
        if !self.builds(ty) {
            return None;
        }
        let element = |t: ColumnType, value: &Const| (value.ty() == t).then(|| value.clone());
        let lift = |id: LatticeId, value: &AnyValue| LatticeValue::lift(id, types, value.clone());
        Some(match (ty, args) {
            (LatticeType::Set(t), [Scalar(x)]) => {
                LatticeValue::Set(Set::singleton(element(*t, x)?))
            }
            (LatticeType::Map(k, l), [Scalar(key), value]) => {
                LatticeValue::Map(Map::singleton(element(*k, key)?, lift(*l, value)?))
            }
            (LatticeType::Lww(t), [Scalar(U64(ts)), Scalar(Str(writer)), Scalar(value)]) => {
                LatticeValue::Lww(Lww::new(*ts, writer.clone(), element(*t, value)?))
            }
            (LatticeType::VClock, [Scalar(Str(writer)), Scalar(U64(n))]) => {
                LatticeValue::VClock(VClock::singleton(writer.clone(), *n))
            }
            (LatticeType::Causal(t), [AnyValue::Lattice(LatticeValue::VClock(c)), Scalar(v)]) => {
                LatticeValue::Causal(Causal::single(c.clone(), element(*t, v)?))
            }
            (LatticeType::Counter, [Scalar(Str(writer)), Scalar(U64(n))]) => {
                LatticeValue::Counter(Counter::singleton(writer.clone(), *n))
            }
            (LatticeType::PnCounter, [Scalar(Str(writer)), Scalar(U64(p)), Scalar(U64(n))]) => {
                LatticeValue::PnCounter(PnCounter::singleton(writer.clone(), *p, *n))
            }
            (LatticeType::Pair(x, y), [a, b]) => {
                LatticeValue::Pair(Box::new(Pair::new(lift(*x, a)?, lift(*y, b)?)))
            }
            (LatticeType::DomPair(x, y), [a, b]) => {
                LatticeValue::DomPair(Box::new(DomPair::new(lift(*x, a)?, lift(*y, b)?)))
            }
            _ => return None,
        })
    }
}

/// The lattice id of a lattice-typed argument.
fn lattice_id(t: ColumnType) -> Option<LatticeId> {
    match t {
        ColumnType::Lattice(id) => Some(id),
        _ => None,
    }
}

/// Whether an argument of type `arg` fits where the lattice `want` is expected: it is
/// that lattice, or a scalar that lifts into it.
fn fits(arg: ColumnType, want: LatticeId, types: &LatticeTypes) -> bool {
    match (arg, types.lookup(want)) {
        (ColumnType::Lattice(id), _) => id == want,
        (t, Some(LatticeType::Max(e) | LatticeType::Min(e) | LatticeType::Set(e))) => t == *e,
        (ColumnType::Bool, Some(LatticeType::Bool)) => true,
        _ => false,
    }
}
