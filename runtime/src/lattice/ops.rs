//! The operations a rule may apply to lattice values, with their types and their CALM
//! class: a morphism distributes over merge, a monotone function grows with its
//! argument, and a raw read does neither.

use super::{LatticeType, LatticeTypes, Monotonicity};
use crate::value::ColumnType;

/// An operation on lattice values, called by name in Hydro source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// `value(x)`: the raw value of a `Max`, `Min`, `Bool`, `Lww`, `Counter`,
    /// `PnCounter` or extern lattice.
    Value,
    /// `size(s)`: the number of elements of a `Set` or keys of a `Map`, as a `Max<u64>`.
    Size,
    /// `contains(s, x)`: whether a `Set` holds `x`, as a `Bool`.
    Contains,
    /// `get(m, k)`: a `Map`'s value at `k` (bottom when absent), or a `VClock`'s counter
    /// of writer `k` as a `Max<u64>`.
    Get,
    /// `keys(m)`: a `Map`'s keys as a `Set`.
    Keys,
    /// `total(c)`: the sum of a `Counter`'s per-writer counts, as a `Max<u64>`.
    Total,
    /// `timestamp(l)`: an `Lww`'s timestamp, as a `Max<u64>`.
    Timestamp,
    /// `first(p)`: the first half of a `Pair` or `DomPair`.
    First,
    /// `second(p)`: the second half of a `Pair` or `DomPair`.
    Second,
    /// `clock(c)`: a `Causal`'s vector clock.
    Clock,
    /// `values(c)`: a `Causal`'s concurrent values, as a `Set`.
    Values,
}

/// A constructor of lattice values, called by name in Hydro source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constructor {
    /// `set(x)`: a `Set` holding `x`.
    Set,
    /// `map(k, v)`: a `Map` holding `k` with value `v`.
    Map,
    /// `lww(timestamp, writer, value)`.
    Lww,
    /// `vclock(writer, n)`: a `VClock` with `writer` at `n`.
    VClock,
    /// `causal(clock, value)`.
    Causal,
    /// `counter(writer, n)`: a `Counter` where `writer` counted `n`.
    Counter,
    /// `pncounter(writer, p, n)`: a `PnCounter` where `writer` counted `p` up and `n`
    /// down.
    PnCounter,
    /// `pair(a, b)`.
    Pair,
    /// `dompair(a, b)`.
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

    /// The constructor's name in Hydro source.
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

    /// The constructor with this name.
    pub fn from_name(name: &str) -> Option<Constructor> {
        Constructor::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What an operation returns and how it behaves as its argument grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The result's type.
    pub result: ColumnType,
    /// The operation's class for the CALM analysis.
    pub class: Monotonicity,
}

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: [Operation; 11] = [
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
    ];

    /// The operation's name in Hydro source.
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
        }
    }

    /// The operation with this name.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// How to call the operation, for help lines.
    pub fn usage(self) -> &'static str {
        match self {
            Operation::Value => {
                "`value(x)` reads the raw value of a `Max`, `Min`, `Bool`, `Lww`, `Counter` or \
                 `PnCounter` (not monotone)"
            }
            Operation::Size => "`size(s)` counts a `Set`'s elements or a `Map`'s keys",
            Operation::Contains => "`contains(s, x)` tests whether the `Set<T>` `s` holds the `T` `x`",
            Operation::Get => {
                "`get(m, k)` reads a `Map<K, L>` at the `K` `k`, or a `VClock` at a writer"
            }
            Operation::Keys => "`keys(m)` gives a `Map`'s keys as a `Set`",
            Operation::Total => "`total(c)` sums a `Counter`",
            Operation::Timestamp => "`timestamp(l)` reads an `Lww`'s timestamp",
            Operation::First => "`first(p)` reads the first half of a `Pair` or `DomPair`",
            Operation::Second => "`second(p)` reads the second half of a `Pair` or `DomPair`",
            Operation::Clock => "`clock(c)` reads a `Causal`'s vector clock",
            Operation::Values => "`values(c)` reads a `Causal`'s concurrent values (not monotone)",
        }
    }

    /// The signature of the operation applied to arguments of types `args`, or `None`
    /// when it does not take them. Result types are added to `types` as needed.
    pub fn signature(self, args: &[ColumnType], types: &mut LatticeTypes) -> Option<Signature> {
        use Monotonicity::{Monotone, Morphism, NonMonotone};
        let ColumnType::Lattice(id) = *args.first()? else {
            return None;
        };
        let lattice = types.get(id).clone();
        let unary = args.len() == 1;
        let binary_with = |t: ColumnType| args.len() == 2 && args[1] == t;
        let max_u64 = |types: &mut LatticeTypes| {
            ColumnType::Lattice(types.intern(LatticeType::Max(ColumnType::U64)))
        };
        let (result, class) = match (self, &lattice) {
            (Operation::Value, LatticeType::Max(t) | LatticeType::Min(t)) if unary => {
                (*t, NonMonotone)
            }
            (Operation::Value, LatticeType::Bool) if unary => (ColumnType::Bool, NonMonotone),
            (Operation::Value, LatticeType::Lww(t)) if unary => (*t, NonMonotone),
            (Operation::Value, LatticeType::Counter) if unary => (ColumnType::U64, NonMonotone),
            (Operation::Value, LatticeType::PnCounter) if unary => (ColumnType::I64, NonMonotone),
            (Operation::Size, LatticeType::Set(_) | LatticeType::Map(..)) if unary => {
                (max_u64(types), Monotone)
            }
            (Operation::Contains, LatticeType::Set(t)) if binary_with(*t) => {
                (ColumnType::Lattice(types.intern(LatticeType::Bool)), Morphism)
            }
            (Operation::Get, LatticeType::Map(k, v)) if binary_with(*k) => {
                (ColumnType::Lattice(*v), Morphism)
            }
            (Operation::Get, LatticeType::VClock) if binary_with(ColumnType::String) => {
                (max_u64(types), Morphism)
            }
            (Operation::Keys, LatticeType::Map(k, _)) if unary => {
                (ColumnType::Lattice(types.intern(LatticeType::Set(*k))), Morphism)
            }
            (Operation::Total, LatticeType::Counter) if unary => (max_u64(types), Monotone),
            (Operation::Timestamp, LatticeType::Lww(_)) if unary => (max_u64(types), Morphism),
            (Operation::First, LatticeType::Pair(a, _) | LatticeType::DomPair(a, _)) if unary => {
                (ColumnType::Lattice(*a), Morphism)
            }
            (Operation::Second, LatticeType::Pair(_, b)) if unary => {
                (ColumnType::Lattice(*b), Morphism)
            }
            // A `DomPair`'s second half is replaced whenever the first grows.
            (Operation::Second, LatticeType::DomPair(_, b)) if unary => {
                (ColumnType::Lattice(*b), NonMonotone)
            }
            (Operation::Clock, LatticeType::Causal(_)) if unary => {
                (ColumnType::Lattice(types.intern(LatticeType::VClock)), Morphism)
            }
            // Concurrent values are dropped once a later write dominates them.
            (Operation::Values, LatticeType::Causal(t)) if unary => {
                (ColumnType::Lattice(types.intern(LatticeType::Set(*t))), NonMonotone)
            }
            _ => return None,
        };
        Some(Signature { result, class })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_the_table() {
        let mut types = LatticeTypes::new();
        let set = ColumnType::Lattice(types.intern(LatticeType::Set(ColumnType::String)));
        let size = Operation::Size.signature(&[set], &mut types).expect("size of a set");
        assert_eq!(size.class, Monotonicity::Monotone);
        assert_eq!(types.display(size.result).to_string(), "Max<u64>");
        let contains = Operation::Contains.signature(&[set, ColumnType::String], &mut types);
        assert_eq!(contains.map(|s| s.class), Some(Monotonicity::Morphism));
        assert_eq!(Operation::Contains.signature(&[set, ColumnType::U64], &mut types), None);
        assert_eq!(Operation::Value.signature(&[set], &mut types), None);
        for op in Operation::ALL {
            assert_eq!(Operation::from_name(op.name()), Some(op));
        }
    }
}
