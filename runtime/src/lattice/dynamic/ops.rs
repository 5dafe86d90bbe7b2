//! The operations of the language on lattice values, with their signatures and CALM
//! classes.
//!
//! | call | on | result | class |
//! |---|---|---|---|
//! | `value(x)` | `Max<T>`, `Min<T>`, `Lww<T>` | `T` | non-monotone |
//! | `value(x)` | `Bool`; `Counter`; `PnCounter` | `bool`; `u64`; `i64` | non-monotone |
//! | `value(x)` | an extern lattice | `string` (the value's JSON) | non-monotone |
//! | `size(s)` | `Set<T>`, `Map<K, L>` | `Max<u64>` | monotone |
//! | `contains(s, x)` | `Set<T>`, `T` | `Bool` | morphism |
//! | `get(m, k)` | `Map<K, L>`, `K` | `L` | morphism |
//! | `get(m, k)` | `VClock`, `string` | `Max<u64>` | morphism |
//! | `keys(m)` | `Map<K, L>` | `Set<K>` | morphism |
//! | `total(c)` | `Counter` | `Max<u64>` | monotone |
//! | `timestamp(l)` | `Lww<T>` | `Max<u64>` | morphism |
//! | `first(p)`, `second(p)` | `Pair<A, B>` | `A`, `B` | morphism |
//! | `first(p)`, `second(p)` | `DomPair<A, B>` | `A`, `B` | morphism, non-monotone |
//! | `clock(c)` | `Causal<T>` | `VClock` | morphism |
//! | `values(c)` | `Causal<T>` | `Set<T>` | non-monotone |
//! | `d + e` | `Max<T>`/`Min<T>` (numeric `T`), `T` | the same lattice | monotone |

use super::{AnyValue, Externs, LatticeValue};
use crate::lattice::{Bool, LatticeType, LatticeTypes, Max, Min, Monotonicity, Set};
use crate::value::{ColumnType, Const};

/// An operation on lattice values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// `value(x)`: the raw value of a lattice.
    Value,
    /// `size(s)`: the number of elements or keys.
    Size,
    /// `contains(s, x)`: set membership.
    Contains,
    /// `get(m, k)`: the value of a key (a map's or a vector clock's).
    Get,
    /// `keys(m)`: the keys of a map.
    Keys,
    /// `total(c)`: the sum of a counter.
    Total,
    /// `timestamp(l)`: the timestamp of a last-writer-wins register.
    Timestamp,
    /// `first(p)`: the first half of a pair.
    First,
    /// `second(p)`: the second half of a pair.
    Second,
    /// `clock(c)`: the merge of the clocks of a causal register's versions.
    Clock,
    /// `values(c)`: the values of a causal register's versions (the concurrent values
    /// no write has overwritten).
    Values,
    /// `d + e`: a `Max` or `Min` of a number, shifted by a number.
    Add,
}

/// The type and CALM class of an operation applied to arguments of given types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    /// The type of the result.
    pub result: ColumnType,
    /// How the result behaves as the (first) argument grows.
    pub class: Monotonicity,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 12] = [
        Operation::Value,
        Operation::Size,
        Operation::Contains,
        Operation::Get,
        Operation::Keys,
        Operation::Total,
        Operation::Timestamp,
        Operation::First,
        Operation::Second,
        Operation::Clock,
        Operation::Values,
        Operation::Add,
    ];

    /// The name as written in Hydro (`+` for [`Operation::Add`]).
    pub fn name(self) -> &'static str {
        match self {
            Operation::Value => "value",
            Operation::Size => "size",
            Operation::Contains => "contains",
            Operation::Get => "get",
            Operation::Keys => "keys",
            Operation::Total => "total",
            Operation::Timestamp => "timestamp",
            Operation::First => "first",
            Operation::Second => "second",
            Operation::Clock => "clock",
            Operation::Values => "values",
            Operation::Add => "+",
        }
    }

    /// The operation named `name` in Hydro.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The result type and class of the operation on arguments of types `args`, or
    /// `None` when it is not defined on them (wrong number or types of arguments).
    /// Result types that are new lattice types (`Max<u64>` of `size`) are added to
    /// `types`.
    pub fn signature(self, args: &[ColumnType], types: &mut LatticeTypes) -> Option<Signature> {
        use Monotonicity::{Monotone, Morphism, NonMonotone};

        // The first argument is the lattice operated on; look its type up once.
        let first = match args.first() {
            Some(ColumnType::Lattice(id)) => (*id, types.lookup(*id)?.clone()),
            _ => return None,
        };
        let (id, ty) = first;
        let max_u64 = |types: &mut LatticeTypes| {
            ColumnType::Lattice(types.intern(LatticeType::Max(ColumnType::U64)))
        };
        let lattice = ColumnType::Lattice;
        let (result, class) = match (self, &ty, &args[1..]) {
            (Operation::Value, LatticeType::Max(t) | LatticeType::Min(t), []) => (*t, NonMonotone),
            (Operation::Value, LatticeType::Bool, []) => (ColumnType::Bool, NonMonotone),
            (Operation::Value, LatticeType::Lww(t), []) => (*t, NonMonotone),
            (Operation::Value, LatticeType::Counter, []) => (ColumnType::U64, NonMonotone),
            (Operation::Value, LatticeType::PnCounter, []) => (ColumnType::I64, NonMonotone),
            (Operation::Value, LatticeType::Extern(_), []) => (ColumnType::String, NonMonotone),
            (Operation::Size, LatticeType::Set(_) | LatticeType::Map(_, _), []) => {
                (max_u64(types), Monotone)
            }
            (Operation::Contains, LatticeType::Set(t), [x]) if x == t => {
                (lattice(types.intern(LatticeType::Bool)), Morphism)
            }
            (Operation::Get, LatticeType::Map(k, l), [x]) if x == k => (lattice(*l), Morphism),
            (Operation::Get, LatticeType::VClock, [ColumnType::String]) => {
                (max_u64(types), Morphism)
            }
            (Operation::Keys, LatticeType::Map(k, _), []) => {
                (lattice(types.intern(LatticeType::Set(*k))), Morphism)
            }
            (Operation::Total, LatticeType::Counter, []) => (max_u64(types), Monotone),
            (Operation::Timestamp, LatticeType::Lww(_), []) => (max_u64(types), Morphism),
            (Operation::First, LatticeType::Pair(a, _), []) => (lattice(*a), Morphism),
            (Operation::Second, LatticeType::Pair(_, b), []) => (lattice(*b), Morphism),
            (Operation::First, LatticeType::DomPair(a, _), []) => (lattice(*a), Morphism),
            (Operation::Second, LatticeType::DomPair(_, b), []) => (lattice(*b), NonMonotone),
            (Operation::Clock, LatticeType::Causal(_), []) => {
                (lattice(types.intern(LatticeType::VClock)), Morphism)
            }
            (Operation::Values, LatticeType::Causal(t), []) => {
                (lattice(types.intern(LatticeType::Set(*t))), NonMonotone)
            }
            (Operation::Add, LatticeType::Max(t) | LatticeType::Min(t), [e])
                if t.is_numeric() && e == t =>
            {
                (lattice(id), Monotone)
            }
            _ => return None,
        };
        Some(Signature { result, class })
    }

    /// The operation applied to `args`, whose types have the signature
    /// [`Operation::signature`] gave, with result type `result`. `None` when the result
    /// is undefined: arguments of other types, `get` of an absent key whose lattice has
    /// no bottom, a `value`, a `total` or an addition outside its type's range (checked
    /// arithmetic; floats must stay finite). So `total` and `value` of a `Counter` whose
    /// counts sum past `u64::MAX` are undefined, as `value` of a `PnCounter` outside the
    /// `i64` range is: the engine drops the assignment, as for any overflow.
    pub fn apply(
        self,
        args: &[AnyValue],
        result: ColumnType,
        types: &LatticeTypes,
        externs: &Externs,
    ) -> Option<AnyValue> {
        let AnyValue::Lattice(first) = args.first()? else {
            return None;
        };
        let scalar = AnyValue::Scalar;
        let lattice = AnyValue::Lattice;
        let max_u64 = |n: u64| lattice(LatticeValue::Max(Max::new(Const::U64(n))));
        let length = |n: usize| u64::try_from(n).ok().map(max_u64);
        match (self, first, &args[1..]) {
            (Operation::Value, LatticeValue::Max(m), []) => Some(scalar(m.get().clone())),
            (Operation::Value, LatticeValue::Min(m), []) => Some(scalar(m.get().clone())),
            (Operation::Value, LatticeValue::Bool(b), []) => Some(scalar(Const::Bool(b.get()))),
            (Operation::Value, LatticeValue::Lww(l), []) => Some(scalar(l.value().clone())),
            (Operation::Value, LatticeValue::Counter(c), []) => {
                c.checked_total().map(|total| scalar(Const::U64(total)))
            }
            (Operation::Value, LatticeValue::PnCounter(c), []) => {
                i64::try_from(c.value()).ok().map(|v| scalar(Const::I64(v)))
            }
            (Operation::Value, LatticeValue::Extern(e), []) => {
                Some(scalar(Const::String(e.json().to_owned())))
            }
            (Operation::Size, LatticeValue::Set(s), []) => length(s.len()),
            (Operation::Size, LatticeValue::Map(m), []) => length(m.len()),
            (Operation::Contains, LatticeValue::Set(s), [AnyValue::Scalar(x)]) => {
                Some(lattice(LatticeValue::Bool(Bool::new(s.contains(x)))))
            }
            (Operation::Get, LatticeValue::Map(m), [AnyValue::Scalar(k)]) => match m.get(k) {
                Some(value) => Some(lattice(value.clone())),
                None => match result {
                    ColumnType::Lattice(id) => {
                        LatticeValue::bottom(id, types, externs).map(lattice)
                    }
                    _ => None,
                },
            },
            (Operation::Get, LatticeValue::VClock(c), [AnyValue::Scalar(Const::String(w))]) => {
                Some(max_u64(c.get(w)))
            }
            (Operation::Keys, LatticeValue::Map(m), []) => {
                let keys: Set<Const> = m.keys().cloned().collect();
                Some(lattice(LatticeValue::Set(keys)))
            }
            (Operation::Total, LatticeValue::Counter(c), []) => c.checked_total().map(max_u64),
            (Operation::Timestamp, LatticeValue::Lww(l), []) => Some(max_u64(l.ts())),
            (Operation::First, LatticeValue::Pair(p), []) => Some(lattice(p.first().clone())),
            (Operation::Second, LatticeValue::Pair(p), []) => Some(lattice(p.second().clone())),
            (Operation::First, LatticeValue::DomPair(p), []) => Some(lattice(p.first().clone())),
            (Operation::Second, LatticeValue::DomPair(p), []) => Some(lattice(p.second().clone())),
            (Operation::Clock, LatticeValue::Causal(c), []) => {
                Some(lattice(LatticeValue::VClock(c.clock())))
            }
            (Operation::Values, LatticeValue::Causal(c), []) => {
                let values: Set<Const> = c.values().into_iter().cloned().collect();
                Some(lattice(LatticeValue::Set(values)))
            }
            (Operation::Add, LatticeValue::Max(m), [AnyValue::Scalar(e)]) => {
                let sum = add(m.get(), e)?;
                Some(lattice(LatticeValue::Max(Max::new(sum))))
            }
            (Operation::Add, LatticeValue::Min(m), [AnyValue::Scalar(e)]) => {
                let sum = add(m.get(), e)?;
                Some(lattice(LatticeValue::Min(Min::new(sum))))
            }
            _ => None,
        }
    }
}

/// `a + b` for two numbers of one type: checked for integers, finite for floats (and
/// `-0.0` made `0.0`, as Hydro's floats are).
fn add(a: &Const, b: &Const) -> Option<Const> {
    match (a, b) {
        (Const::U64(a), Const::U64(b)) => a.checked_add(*b).map(Const::U64),
        (Const::I64(a), Const::I64(b)) => a.checked_add(*b).map(Const::I64),
        (Const::F64(a), Const::F64(b)) => {
            let sum = a + b;
            sum.is_finite().then_some(Const::F64(sum + 0.0))
        }
        _ => None,
    }
}
