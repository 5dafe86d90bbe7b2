//! Strategies for lattice values, shared by the lattice property tests.
//!
//! Elements, keys and writers come mostly from tiny domains, so that generated values
//! often share keys, tie and compare; now and then from the whole type, so that
//! extremes and odd strings show up.

#![allow(dead_code)]

use std::cmp::Ordering;
use std::sync::OnceLock;

use hydro_runtime::lattice::dynamic::{ExternValue, Externs};
use hydro_runtime::lattice::{
    Causal, Counter, DomPair, LatticeId, LatticeOrd, LatticeType, LatticeTypes, LatticeValue, Lww,
    Map, Max, Merge, Min, Pair, PnCounter, Set, VClock,
};
use hydro_runtime::value::{ColumnType, Const};
use proptest::collection::{btree_map, btree_set};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use serde::{Deserialize, Serialize};

/// A lattice as a user writes one in Rust: the smallest interval holding every point
/// seen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub lo: Min<i64>,
    pub hi: Max<i64>,
}

impl Merge for Span {
    fn merge(&mut self, other: Self) -> bool {
        let lo = self.lo.merge(other.lo);
        self.hi.merge(other.hi) | lo
    }
}

/// The extern lattices the tests register: `Ids` is the runtime's `Set<u64>`, `Span` a
/// user's [`Span`] (without a bottom).
pub fn externs() -> &'static Externs {
    static EXTERNS: OnceLock<Externs> = OnceLock::new();
    EXTERNS.get_or_init(|| {
        let mut externs = Externs::new();
        externs
            .register_with_bottom::<Set<u64>>("Ids")
            .expect("a set encodes as JSON");
        externs.register::<Span>("Span");
        externs
    })
}

pub fn small_u64() -> BoxedStrategy<u64> {
    prop_oneof![6 => 0u64..4, 1 => any::<u64>()].boxed()
}

pub fn small_i64() -> BoxedStrategy<i64> {
    prop_oneof![6 => -2i64..2, 1 => any::<i64>()].boxed()
}

/// Finite floats with `-0.0` made `0.0`, as Hydro holds them.
pub fn float() -> BoxedStrategy<f64> {
    let any_finite = any::<f64>().prop_filter("finite", |f| f.is_finite());
    prop_oneof![4 => (-2i32..2).prop_map(|n| f64::from(n) / 2.0), 1 => any_finite]
        .prop_map(|f| f + 0.0)
        .boxed()
}

pub fn text() -> BoxedStrategy<String> {
    prop_oneof![6 => select(vec!["a", "b", ""]).prop_map(String::from), 1 => any::<String>()]
        .boxed()
}

/// Writers: a few names, so that clocks and counters share them.
pub fn writer() -> BoxedStrategy<String> {
    prop_oneof![8 => select(vec!["a", "b", "c"]).prop_map(String::from), 1 => any::<String>()]
        .boxed()
}

pub fn counts() -> BoxedStrategy<Vec<(String, u64)>> {
    proptest::collection::vec(
        (writer(), prop_oneof![4 => 0u64..3, 1 => any::<u64>()]),
        0..3,
    )
    .boxed()
}

/// A scalar of type `t`.
pub fn scalar(t: ColumnType) -> BoxedStrategy<Const> {
    match t {
        ColumnType::Bool => any::<bool>().prop_map(Const::Bool).boxed(),
        ColumnType::U64 => small_u64().prop_map(Const::U64).boxed(),
        ColumnType::I64 => small_i64().prop_map(Const::I64).boxed(),
        ColumnType::F64 => float().prop_map(Const::F64).boxed(),
        ColumnType::String => text().prop_map(Const::String).boxed(),
        ColumnType::Lattice(_) => panic!("not a scalar type"),
    }
}

/// A value of the lattice type `id` of `types`.
pub fn value(id: LatticeId, types: &LatticeTypes) -> BoxedStrategy<LatticeValue> {
    match types.get(id).clone() {
        LatticeType::Max(t) => scalar(t)
            .prop_map(|c| LatticeValue::Max(Max::new(c)))
            .boxed(),
        LatticeType::Min(t) => scalar(t)
            .prop_map(|c| LatticeValue::Min(Min::new(c)))
            .boxed(),
        LatticeType::Bool => any::<bool>()
            .prop_map(|b| LatticeValue::Bool(hydro_runtime::lattice::Bool::new(b)))
            .boxed(),
        LatticeType::Set(t) => btree_set(scalar(t), 0..4)
            .prop_map(|s| LatticeValue::Set(Set::from_set(s)))
            .boxed(),
        LatticeType::Map(k, l) => btree_map(scalar(k), value(l, types), 0..3)
            .prop_map(|m| LatticeValue::Map(Map::from_map(m)))
            .boxed(),
        LatticeType::Lww(t) => (prop_oneof![0u64..3, any::<u64>()], writer(), scalar(t))
            .prop_map(|(ts, w, v)| LatticeValue::Lww(Lww::new(ts, w, v)))
            .boxed(),
        LatticeType::VClock => counts()
            .prop_map(|c| LatticeValue::VClock(c.into_iter().collect()))
            .boxed(),
        LatticeType::Causal(t) => proptest::collection::vec((counts(), scalar(t)), 0..4)
            .prop_map(|versions| {
                let versions = versions
                    .into_iter()
                    .map(|(c, v)| (c.into_iter().collect(), v));
                LatticeValue::Causal(Causal::new(versions))
            })
            .boxed(),
        LatticeType::Pair(a, b) => (value(a, types), value(b, types))
            .prop_map(|(a, b)| LatticeValue::Pair(Box::new(Pair::new(a, b))))
            .boxed(),
        LatticeType::DomPair(a, b) => (value(a, types), value(b, types))
            .prop_map(|(a, b)| LatticeValue::DomPair(Box::new(DomPair::new(a, b))))
            .boxed(),
        LatticeType::Counter => counts()
            .prop_map(|c| LatticeValue::Counter(c.into_iter().collect()))
            .boxed(),
        LatticeType::PnCounter => (counts(), counts())
            .prop_map(|(p, n)| {
                let (p, n) = (p.into_iter().collect(), n.into_iter().collect());
                LatticeValue::PnCounter(PnCounter::from_parts(p, n))
            })
            .boxed(),
        LatticeType::Extern(name) if name == "Span" => (small_i64(), small_i64())
            .prop_map(|(a, b)| {
                let span = Span {
                    lo: Min::new(a.min(b)),
                    hi: Max::new(a.max(b)),
                };
                let value = ExternValue::from_typed("Span", &span);
                LatticeValue::Extern(value.expect("a span encodes as JSON"))
            })
            .boxed(),
        LatticeType::Extern(name) => {
            assert_eq!(name, "Ids", "the tests register only `Ids` and `Span`");
            btree_set(0u64..5, 0..3)
                .prop_map(|s| {
                    let value = ExternValue::from_typed("Ids", &Set::from_set(s));
                    LatticeValue::Extern(value.expect("a set encodes as JSON"))
                })
                .boxed()
        }
    }
}

/// A dynamic value that implements the typed traits, so the law checkers take it. Both
/// sides always have one type, so the merge cannot fail.
#[derive(Clone, Debug, PartialEq)]
pub struct Dyn(pub LatticeValue);

impl Merge for Dyn {
    fn merge(&mut self, other: Self) -> bool {
        self.0
            .merge(other.0, externs())
            .expect("values of one type merge")
    }
}

impl LatticeOrd for Dyn {
    fn lattice_cmp(&self, other: &Self) -> Option<Ordering> {
        self.0
            .lattice_cmp(&other.0, externs())
            .expect("values of one type compare")
    }
}

/// Runs `check` on the cases proptest generates from `strategy` (the case count follows
/// `PROPTEST_CASES`), panicking with the smallest failing case.
pub fn run<S: Strategy>(strategy: S, check: impl Fn(S::Value) -> Result<(), String>)
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |value| check(value).map_err(TestCaseError::fail));
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// Typed strategies for the nested types of the law tests.
pub mod typed {
    use super::*;

    pub fn max() -> BoxedStrategy<Max<u64>> {
        small_u64().prop_map(Max::new).boxed()
    }

    pub fn min() -> BoxedStrategy<Min<i64>> {
        small_i64().prop_map(Min::new).boxed()
    }

    pub fn set() -> BoxedStrategy<Set<u64>> {
        btree_set(0u64..6, 0..4).prop_map(Set::from_set).boxed()
    }

    pub fn clock() -> BoxedStrategy<VClock> {
        counts().prop_map(|c| c.into_iter().collect()).boxed()
    }

    pub fn counter() -> BoxedStrategy<Counter> {
        counts().prop_map(|c| c.into_iter().collect()).boxed()
    }

    /// Writes of `0..4` at small clocks, so that versions often overwrite each other.
    pub fn versions() -> BoxedStrategy<Vec<(VClock, u64)>> {
        proptest::collection::vec((clock(), 0u64..4), 0..4).boxed()
    }

    pub fn causal() -> BoxedStrategy<Causal<u64>> {
        versions().prop_map(Causal::new).boxed()
    }

    pub fn lww() -> BoxedStrategy<Lww<u64>> {
        (0u64..3, writer(), 0u64..3)
            .prop_map(|(ts, w, v)| Lww::new(ts, w, v))
            .boxed()
    }
}
