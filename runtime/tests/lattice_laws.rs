//! The lattice laws, property-tested for every lattice of the runtime: the typed
//! lattices (alone and nested) and the interpreter's dynamic values of several types.
//!
//! `Causal` gets the law checks as every other lattice does, plus the agreement of its
//! merge with the maximal versions of all writes and the morphism law of its `clock`.
//! The test at the end shows why a `DomPair`'s first lattice must be a chain.

mod lattice_support;

use std::collections::BTreeSet;

use hydro_runtime::lattice::laws::{
    check_associative, check_bottom_value, check_laws, check_laws_with_bottom,
};
use hydro_runtime::lattice::{
    Bool, Causal, Counter, DomPair, LatticeId, LatticeType, LatticeTypes, LatticeValue, Map, Max,
    Merge as _, Min, Pair, PnCounter, Set, VClock,
};
use hydro_runtime::value::ColumnType::{Bool as B, String as S, F64, I64, U64};
use lattice_support::{externs, run, small_u64, text, typed, value, writer, Dyn};
use proptest::collection::btree_map;
use proptest::prelude::*;

/// A test that checks [`check_laws`] (and the bottom's laws, `with bottom`) on triples
/// drawn from a strategy of typed values.
macro_rules! laws {
    ($name:ident: $strategy:expr) => {
        #[test]
        fn $name() {
            let s = $strategy;
            run((s.clone(), s.clone(), s), |(a, b, c)| {
                check_laws(&a, &b, &c)
            });
        }
    };
    ($name:ident: $strategy:expr, with bottom) => {
        #[test]
        fn $name() {
            let s = $strategy;
            run((s.clone(), s.clone(), s), |(a, b, c)| {
                check_laws_with_bottom(&a, &b, &c)
            });
        }
    };
}

laws!(max_u64: typed::max(), with bottom);
laws!(max_string: text().prop_map(Max::new), with bottom);
laws!(max_bool: any::<bool>().prop_map(Max::new), with bottom);
laws!(min_i64: typed::min(), with bottom);
laws!(min_u64: small_u64().prop_map(Min::new), with bottom);
laws!(bool: any::<bool>().prop_map(Bool::new), with bottom);
laws!(set_u64: typed::set(), with bottom);
laws!(lww_u64: typed::lww());
laws!(vclock: typed::clock(), with bottom);
laws!(counter: typed::counter(), with bottom);
laws!(pn_counter: (typed::counter(), typed::counter())
    .prop_map(|(p, n)| PnCounter::from_parts(p, n)), with bottom);
laws!(map_of_max: btree_map(writer(), typed::max(), 0..3)
    .prop_map(Map::from_map), with bottom);
laws!(pair_of_set_and_min: (typed::set(), typed::min())
    .prop_map(|(a, b)| Pair::new(a, b)), with bottom);
laws!(dompair_of_max_and_set: (typed::max(), typed::set())
    .prop_map(|(a, b)| DomPair::new(a, b)), with bottom);
laws!(dompair_of_lww_and_map: (typed::lww(), btree_map(writer(), typed::max(), 0..3))
    .prop_map(|(a, b)| DomPair::new(a, Map::from_map(b))));
laws!(map_of_pairs: btree_map(writer(), (typed::max(), typed::set())
    .prop_map(|(a, b)| Pair::new(a, b)), 0..3).prop_map(Map::from_map), with bottom);
laws!(causal: typed::causal(), with bottom);
laws!(map_of_causal: btree_map(writer(), typed::causal(), 0..3)
    .prop_map(Map::from_map), with bottom);
laws!(pair_of_counter_and_clock: (typed::counter(), typed::clock())
    .prop_map(|(a, b)| Pair::<Counter, VClock>::new(a, b)), with bottom);

/// Checks the laws on triples of dynamic values of the type `build` interns, with the
/// bottom's laws where the type has a bottom, and checks that merged values keep the
/// type.
fn dynamic(build: impl FnOnce(&mut LatticeTypes) -> LatticeId) {
    let mut types = LatticeTypes::new();
    let id = build(&mut types);
    let s = value(id, &types).prop_map(Dyn);
    let bottom = LatticeValue::bottom(id, &types, externs()).map(Dyn);
    run((s.clone(), s.clone(), s), |(a, b, c)| {
        check_laws(&a, &b, &c)?;
        if let Some(bottom) = &bottom {
            for x in [&a, &b, &c] {
                check_bottom_value(bottom, x)?;
            }
        }
        let mut merged = a.0.clone();
        merged.merge(b.0, externs()).map_err(|e| e.to_string())?;
        match merged.has_type(id, &types) {
            true => Ok(()),
            false => Err(format!("the merge {merged:?} lost the type")),
        }
    });
}

/// A test of [`dynamic`] for a type built in the table `t`.
macro_rules! dynamic_laws {
    ($name:ident: |$t:ident| $build:expr) => {
        #[test]
        fn $name() {
            dynamic(|$t: &mut LatticeTypes| $build);
        }
    };
}

fn intern(t: &mut LatticeTypes, ty: LatticeType) -> LatticeId {
    t.intern(ty)
}

dynamic_laws!(dynamic_max_u64: |t| intern(t, LatticeType::Max(U64)));
dynamic_laws!(dynamic_max_f64: |t| intern(t, LatticeType::Max(F64)));
dynamic_laws!(dynamic_min_string: |t| intern(t, LatticeType::Min(S)));
dynamic_laws!(dynamic_bool: |t| intern(t, LatticeType::Bool));
dynamic_laws!(dynamic_set_string: |t| intern(t, LatticeType::Set(S)));
dynamic_laws!(dynamic_lww: |t| intern(t, LatticeType::Lww(I64)));
dynamic_laws!(dynamic_vclock: |t| intern(t, LatticeType::VClock));
dynamic_laws!(dynamic_causal_u64: |t| intern(t, LatticeType::Causal(U64)));
dynamic_laws!(dynamic_causal_string: |t| intern(t, LatticeType::Causal(S)));
dynamic_laws!(dynamic_map_of_causal: |t| {
    let causal = intern(t, LatticeType::Causal(I64));
    intern(t, LatticeType::Map(S, causal))
});
dynamic_laws!(dynamic_counter: |t| intern(t, LatticeType::Counter));
dynamic_laws!(dynamic_pn_counter: |t| intern(t, LatticeType::PnCounter));
dynamic_laws!(dynamic_map_of_max: |t| {
    let max = intern(t, LatticeType::Max(U64));
    intern(t, LatticeType::Map(S, max))
});
dynamic_laws!(dynamic_map_of_sets: |t| {
    let set = intern(t, LatticeType::Set(B));
    intern(t, LatticeType::Map(U64, set))
});
dynamic_laws!(dynamic_pair_of_set_and_min: |t| {
    let (set, min) = (intern(t, LatticeType::Set(U64)), intern(t, LatticeType::Min(I64)));
    intern(t, LatticeType::Pair(set, min))
});
dynamic_laws!(dynamic_dompair_of_max_and_set: |t| {
    let (max, set) = (intern(t, LatticeType::Max(U64)), intern(t, LatticeType::Set(U64)));
    intern(t, LatticeType::DomPair(max, set))
});
dynamic_laws!(dynamic_dompair_of_lww_and_map: |t| {
    let lww = intern(t, LatticeType::Lww(U64));
    let max = intern(t, LatticeType::Max(I64));
    let map = intern(t, LatticeType::Map(S, max));
    intern(t, LatticeType::DomPair(lww, map))
});
dynamic_laws!(dynamic_map_of_pairs: |t| {
    let (max, flag) = (intern(t, LatticeType::Max(U64)), intern(t, LatticeType::Bool));
    let pair = intern(t, LatticeType::Pair(max, flag));
    intern(t, LatticeType::Map(S, pair))
});
dynamic_laws!(dynamic_extern: |t| intern(t, LatticeType::Extern("Ids".into())));
dynamic_laws!(dynamic_user_lattice: |t| intern(t, LatticeType::Extern("Span".into())));
dynamic_laws!(dynamic_pair_of_extern_and_counter: |t| {
    let ids = intern(t, LatticeType::Extern("Ids".into()));
    let counter = intern(t, LatticeType::Counter);
    intern(t, LatticeType::Pair(ids, counter))
});

#[test]
fn a_user_lattice_merges_through_the_dynamic_layer() {
    let externs = externs();
    let mut types = LatticeTypes::new();
    let id = types.intern(LatticeType::Extern("Span".into()));
    let parse = |text| LatticeValue::parse(id, &types, text).unwrap();
    let (mut span, wider) = (
        parse(r#"{"lo":3,"hi":5}"#),
        parse(r#"{ "hi": 9, "lo": 4 }"#),
    );
    assert_eq!(span.merge(wider.clone(), externs), Ok(true));
    assert_eq!(span.to_text(), r#"{"hi":9,"lo":3}"#);
    assert_eq!(wider.lattice_le(&span, externs), Ok(true));
    assert_eq!(span.merge(wider, externs), Ok(false));
    assert_eq!(LatticeValue::bottom(id, &types, externs), None);

    // A value the user's type does not read is an error, never a panic.
    let bad = parse(r#"{"lo":"x"}"#);
    assert!(bad.check_externs(externs).is_err());
    let err = span.merge(bad, externs).unwrap_err().to_string();
    assert!(err.starts_with("extern lattice `Span`: "), "{err}");
}

fn clock(entries: &[(&str, u64)]) -> VClock {
    entries.iter().map(|(w, n)| (w.to_string(), *n)).collect()
}

/// The versions of `writes` whose clock no other write's clock strictly dominates.
fn maximal(writes: &[(VClock, u64)]) -> BTreeSet<(VClock, u64)> {
    let overwritten = |c: &VClock| writes.iter().any(|(other, _)| other.dominates(c));
    writes
        .iter()
        .filter(|(c, _)| !overwritten(c))
        .cloned()
        .collect()
}

#[test]
fn causal_holds_the_maximal_versions_of_its_writes_in_any_order() {
    run(typed::versions(), |writes| {
        let expected = maximal(&writes);
        let mut forward = Causal::default();
        let mut backward = Causal::default();
        for (c, v) in &writes {
            forward.merge(Causal::single(c.clone(), *v));
        }
        for (c, v) in writes.iter().rev() {
            backward.merge(Causal::single(c.clone(), *v));
        }
        for (name, reg) in [
            ("new", Causal::new(writes.clone())),
            ("forward", forward),
            ("backward", backward),
        ] {
            let held: BTreeSet<_> = reg.into_versions().collect();
            if held != expected {
                return Err(format!(
                    "{name}: {writes:?} gives {held:?}, not {expected:?}"
                ));
            }
        }
        Ok(())
    });
}

#[test]
fn causal_clock_is_a_morphism() {
    let s = typed::causal();
    run((s.clone(), s), |(a, b)| {
        let mut joined = a.clone();
        joined.merge(b.clone());
        let mut clocks = a.clock();
        clocks.merge(b.clock());
        let of_join = joined.clock();
        match of_join == clocks {
            true => Ok(()),
            false => Err(format!(
                "clock(a ⊔ b) = {of_join:?}, clock(a) ⊔ clock(b) = {clocks:?}: a = {a:?}, b = {b:?}"
            )),
        }
    });
    assert_eq!(Causal::<u64>::default().clock(), VClock::new());
}

/// A write that saw an earlier one overwrites it however the merges are grouped (the
/// old register, one clock for all its values, kept `e` when `a` and `e` merged first).
#[test]
fn causal_drops_an_overwritten_value_in_any_grouping() {
    // `x` writes `a`; `z` writes `e`; `y` sees `e` and overwrites it with `b`.
    let a = Causal::single(clock(&[("x", 1)]), "a");
    let e = Causal::single(clock(&[("z", 1)]), "e");
    let b = Causal::single(clock(&[("y", 1), ("z", 1)]), "b");
    check_associative(&a, &e, &b).unwrap();

    let mut left = a.clone();
    left.merge(e.clone());
    left.merge(b.clone());
    let mut eb = e;
    eb.merge(b);
    let mut right = a;
    right.merge(eb);
    assert_eq!(left, right);
    assert_eq!(left.values(), BTreeSet::from([&"a", &"b"]));
    assert_eq!(left.clock(), clock(&[("x", 1), ("y", 1), ("z", 1)]));
}

/// The same, through the interpreter's values and their text form.
#[test]
fn dynamic_causal_drops_an_overwritten_value_in_any_grouping() {
    let mut types = LatticeTypes::new();
    let id = types.intern(LatticeType::Causal(S));
    let parse = |text: &str| Dyn(LatticeValue::parse(id, &types, text).unwrap());
    let a = parse(r#"[{"clock":{"x":1},"value":"a"}]"#);
    let e = parse(r#"[{"clock":{"z":1},"value":"e"}]"#);
    let b = parse(r#"[{"clock":{"y":1,"z":1},"value":"b"}]"#);
    check_associative(&a, &e, &b).unwrap();
    let mut merged = a;
    merged.merge(e);
    merged.merge(b);
    assert_eq!(
        merged.0.to_text(),
        r#"[{"clock":{"x":1},"value":"a"},{"clock":{"y":1,"z":1},"value":"b"}]"#
    );
}

// `DomPair` merges both halves when the first halves are incomparable, which is
// associative only when the first lattice is a chain: why the compiler accepts only
// `Max`, `Min`, `Bool` and `Lww` there (E0201), and this test shows what it prevents.
#[test]
fn dompair_over_a_partial_order_is_not_associative() {
    let pair = |first: &[u64], second: &'static str| {
        DomPair::new(
            Set::from_iter(first.iter().copied()),
            Set::singleton(second),
        )
    };
    let (a, e, b) = (pair(&[1], "a"), pair(&[2], "e"), pair(&[1, 2], "b"));
    assert!(check_associative(&a, &e, &b).is_err());
}
