//! Unit tests of the dynamic layer: merge and order across variants, bottoms, lifting,
//! the text form of each lattice, operations and constructors.

use std::cmp::Ordering;

use super::*;
use crate::ir::CmpOp;
use crate::lattice::Monotonicity;
use crate::value::ColumnType::{self, Bool as B, String as S, I64, U64};

/// A type table with the types the tests use, by name.
struct Types {
    table: LatticeTypes,
}

impl Types {
    fn new() -> Types {
        Types {
            table: LatticeTypes::new(),
        }
    }

    fn id(&mut self, ty: LatticeType) -> LatticeId {
        self.table.intern(ty)
    }

    fn parse(&mut self, ty: LatticeType, text: &str) -> Result<LatticeValue, LatticeError> {
        let id = self.id(ty);
        LatticeValue::parse(id, &self.table, text)
    }

    /// Parses `text` and checks that it prints back unchanged.
    fn canonical(&mut self, ty: LatticeType, text: &str) -> LatticeValue {
        let value = self.parse(ty, text).unwrap();
        assert_eq!(value.to_text(), text);
        value
    }
}

fn max(c: Const) -> LatticeValue {
    LatticeValue::Max(Max::new(c))
}

#[test]
fn merging_values_of_different_lattices_is_an_error() {
    let externs = Externs::new();
    let mut m = max(Const::U64(1));
    let err = m
        .merge(LatticeValue::Set(Set::new()), &externs)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot merge or compare a Set value with a Max<u64> value"
    );
    assert!(m.merge(max(Const::String("x".into())), &externs).is_err());
    assert!(m.lattice_cmp(&max(Const::I64(1)), &externs).is_err());
    assert_eq!(m, max(Const::U64(1)));

    // A mismatch deep inside a map is found too.
    let mut map = LatticeValue::Map(Map::singleton(Const::U64(1), max(Const::U64(1))));
    let bad = LatticeValue::Map(Map::singleton(
        Const::U64(1),
        LatticeValue::Bool(Bool::new(true)),
    ));
    assert!(map.merge(bad, &externs).is_err());
}

#[test]
fn nested_values_merge_and_order_like_the_typed_lattices() {
    let externs = Externs::new();
    let mut t = Types::new();
    let ty = {
        let inner = t.id(LatticeType::Max(U64));
        LatticeType::Map(S, inner)
    };
    let mut a = t.canonical(ty.clone(), r#"{"a":1,"b":5}"#);
    let b = t.canonical(ty.clone(), r#"{"a":3}"#);
    assert_eq!(b.lattice_cmp(&a, &externs), Ok(None));
    assert_eq!(a.merge(b.clone(), &externs), Ok(true));
    assert_eq!(a.to_text(), r#"{"a":3,"b":5}"#);
    assert_eq!(b.lattice_le(&a, &externs), Ok(true));
    assert_eq!(a.merge(b, &externs), Ok(false));

    let (hi, set) = (t.id(LatticeType::Max(U64)), t.id(LatticeType::Set(S)));
    let dom = LatticeType::DomPair(hi, set);
    let mut d = t.canonical(dom.clone(), r#"[2,["x"]]"#);
    let same = t.canonical(dom.clone(), r#"[2,["y"]]"#);
    let older = t.canonical(dom.clone(), r#"[1,["z"]]"#);
    assert_eq!(d.merge(same, &externs), Ok(true));
    assert_eq!(d.merge(older.clone(), &externs), Ok(false));
    assert_eq!(d.to_text(), r#"[2,["x","y"]]"#);
    assert_eq!(older.lattice_cmp(&d, &externs), Ok(Some(Ordering::Less)));
}

#[test]
fn bottoms_follow_the_language() {
    let externs = Externs::new();
    let mut t = Types::new();
    let cases = [
        (LatticeType::Max(U64), None),
        (LatticeType::Min(I64), None),
        (LatticeType::Lww(S), None),
        (LatticeType::Bool, Some("false")),
        (LatticeType::Set(U64), Some("[]")),
        (LatticeType::VClock, Some("{}")),
        (LatticeType::Causal(S), Some("[]")),
        (LatticeType::Counter, Some("{}")),
        (LatticeType::PnCounter, Some(r#"{"p":{},"n":{}}"#)),
    ];
    for (ty, text) in cases {
        let id = t.id(ty);
        let bottom = LatticeValue::bottom(id, &t.table, &externs);
        assert_eq!(bottom.map(|b| b.to_text()).as_deref(), text);
    }
    let (set, bool, hi) = (
        t.id(LatticeType::Set(U64)),
        t.id(LatticeType::Bool),
        t.id(LatticeType::Max(U64)),
    );
    let pair = t.id(LatticeType::Pair(set, bool));
    let bottom = LatticeValue::bottom(pair, &t.table, &externs).unwrap();
    assert_eq!(bottom.to_text(), "[[],false]");
    let no_bottom = t.id(LatticeType::DomPair(hi, set));
    assert_eq!(LatticeValue::bottom(no_bottom, &t.table, &externs), None);
    assert_eq!(
        LatticeValue::bottom(LatticeId(99), &t.table, &externs),
        None
    );
}

#[test]
fn scalars_lift_where_the_language_lets_them() {
    let mut t = Types::new();
    let hi = t.id(LatticeType::Max(U64));
    let lo = t.id(LatticeType::Min(U64));
    let set = t.id(LatticeType::Set(U64));
    let flag = t.id(LatticeType::Bool);
    let clock = t.id(LatticeType::VClock);
    let three = || AnyValue::Scalar(Const::U64(3));
    let lift = |id, v| LatticeValue::lift(id, &t.table, v).map(|v| v.to_text());
    assert_eq!(lift(hi, three()).as_deref(), Some("3"));
    assert_eq!(lift(lo, three()).as_deref(), Some("3"));
    assert_eq!(lift(set, three()).as_deref(), Some("[3]"));
    assert_eq!(
        lift(flag, AnyValue::Scalar(Const::Bool(true))).as_deref(),
        Some("true")
    );
    assert_eq!(lift(flag, three()), None);
    assert_eq!(lift(clock, three()), None);
    assert_eq!(lift(hi, AnyValue::Scalar(Const::I64(3))), None);

    // Lattice values pass through when they have the type, elements included.
    let value = AnyValue::Lattice(LatticeValue::Set(Set::singleton(Const::U64(1))));
    assert_eq!(lift(set, value.clone()).as_deref(), Some("[1]"));
    assert_eq!(lift(hi, value), None);
    let strings = LatticeValue::Set(Set::singleton(Const::String("1".into())));
    assert_eq!(lift(set, AnyValue::Lattice(strings)), None);
}

#[test]
fn elements_are_what_thresholds_compare() {
    assert_eq!(max(Const::U64(4)).element(), Some(&Const::U64(4)));
    let yes = LatticeValue::Bool(Bool::new(true));
    assert_eq!(yes.element(), Some(&Const::Bool(true)));
    assert_eq!(LatticeValue::Set(Set::new()).element(), None);
    let ty = LatticeType::Min(U64);
    assert_eq!(
        threshold(&ty, CmpOp::Lt, true, None),
        Monotonicity::Monotone
    );
}

#[test]
fn text_forms_match_the_spec() {
    let mut t = Types::new();
    let inner = t.id(LatticeType::Max(U64));
    let min = t.id(LatticeType::Min(I64));
    let set = t.id(LatticeType::Set(U64));
    for (ty, text) in [
        (LatticeType::Max(S), "plain text, \"quoted\""),
        (LatticeType::Min(I64), "-3"),
        (LatticeType::Max(ColumnType::F64), "1e308"),
        (LatticeType::Bool, "true"),
        (LatticeType::Set(U64), "[1,2]"),
        (LatticeType::Set(S), r#"["a","b\"c"]"#),
        (LatticeType::Map(S, inner), r#"{"k":3}"#),
        (LatticeType::Map(U64, inner), r#"{"2":1,"10":1}"#),
        (LatticeType::Lww(S), r#"{"ts":3,"writer":"w","value":"v"}"#),
        (LatticeType::VClock, r#"{"a":1,"w":3}"#),
        (LatticeType::Counter, r#"{"w":3}"#),
        (LatticeType::Causal(S), r#"[{"clock":{"w":1},"value":"a"}]"#),
        (
            LatticeType::Causal(U64),
            concat!(
                r#"[{"clock":{"v":1},"value":2},"#,
                r#"{"clock":{"w":1},"value":1},{"clock":{"w":1},"value":3}]"#
            ),
        ),
        (LatticeType::Causal(S), "[]"),
        (LatticeType::PnCounter, r#"{"p":{"w":3},"n":{"w":1}}"#),
        (LatticeType::Pair(set, min), "[[1],-2]"),
        (LatticeType::DomPair(inner, set), "[4,[]]"),
        (LatticeType::Max(ColumnType::F64), "-0.5"),
    ] {
        t.canonical(ty, text);
    }

    // Reading is lenient where JSON is: field order, spacing, zero clock entries.
    let lww = t.parse(
        LatticeType::Lww(U64),
        r#"{ "value": 7, "writer": "w", "ts": 1 }"#,
    );
    assert_eq!(lww.unwrap().to_text(), r#"{"ts":1,"writer":"w","value":7}"#);
    let clock = t.parse(LatticeType::VClock, r#"{"a":0,"b":2}"#).unwrap();
    assert_eq!(clock.to_text(), r#"{"b":2}"#);
    let float = t
        .parse(LatticeType::Set(ColumnType::F64), "[3, 2.5, -0.0]")
        .unwrap();
    assert_eq!(float.to_text(), "[0,2.5,3]");

    // A causal register reads as the merge of the versions listed.
    let causal = t.parse(
        LatticeType::Causal(U64),
        r#"[{"value":1,"clock":{"w":2}}, {"clock":{"w":1,"v":0},"value":0},
            {"clock":{"a":1},"value":5}, {"clock":{"a":1},"value":5}]"#,
    );
    assert_eq!(
        causal.unwrap().to_text(),
        r#"[{"clock":{"a":1},"value":5},{"clock":{"w":2},"value":1}]"#
    );
}

#[test]
fn unreadable_text_says_what_was_expected() {
    let mut t = Types::new();
    let inner = t.id(LatticeType::Max(U64));
    let errors = [
        (
            LatticeType::Max(U64),
            "+3",
            "expected a u64 (a whole number from 0)",
        ),
        (
            LatticeType::Max(ColumnType::F64),
            "inf",
            "expected an f64 (a finite number)",
        ),
        (LatticeType::Bool, "yes", "expected a bool"),
        (LatticeType::Set(U64), "[1,", "expected JSON"),
        (
            LatticeType::Set(U64),
            r#"{"a":1}"#,
            "expected a JSON array of u64 elements, found a JSON object",
        ),
        (LatticeType::Set(U64), r#"[1,"2"]"#, "found `\"2\"`"),
        (
            LatticeType::Map(U64, inner),
            r#"{"x":1}"#,
            r#"the key "x" is not a u64"#,
        ),
        (
            LatticeType::Map(U64, inner),
            r#"{"1":1,"01":2}"#,
            "is the u64 1 again",
        ),
        (
            LatticeType::Lww(S),
            r#"{"ts":1,"writer":"w"}"#,
            r#"missing field "value""#,
        ),
        (
            LatticeType::Lww(S),
            r#"{"ts":-1,"writer":"w","value":"v"}"#,
            "u64 timestamp",
        ),
        (
            LatticeType::VClock,
            r#"{"w":1.5}"#,
            r#"a u64 count for the writer "w""#,
        ),
        (
            LatticeType::PnCounter,
            r#"{"p":{},"n":{},"z":{}}"#,
            r#"unexpected field "z""#,
        ),
        (
            LatticeType::Pair(inner, inner),
            "[1]",
            "a JSON array of two values",
        ),
        (
            LatticeType::Causal(S),
            r#"{"clock":{"w":1},"values":["a"]}"#,
            "expected Causal<string> as a JSON array of versions",
        ),
        (
            LatticeType::Causal(S),
            r#"[{"clock":{"w":1}}]"#,
            r#"missing field "value" in a version of Causal<string>"#,
        ),
        (
            LatticeType::Causal(S),
            r#"[{"clock":{"w":1},"value":1}]"#,
            "expected a string, found `1`",
        ),
    ];
    for (ty, text, expected) in errors {
        let err = t.parse(ty, text).unwrap_err().to_string();
        assert!(err.contains(expected), "{text}: {err}");
        assert!(err.starts_with("cannot read `"), "{err}");
    }
    let err = LatticeValue::parse(LatticeId(99), &t.table, "1").unwrap_err();
    assert_eq!(err, LatticeError::UnknownType(LatticeId(99)));
}

#[test]
fn operation_signatures_follow_the_table() {
    use Monotonicity::*;
    let mut t = Types::new();
    let hi = t.id(LatticeType::Max(U64));
    let lo = t.id(LatticeType::Min(I64));
    let set = t.id(LatticeType::Set(S));
    let map = t.id(LatticeType::Map(S, hi));
    let lww = t.id(LatticeType::Lww(B));
    let clock = t.id(LatticeType::VClock);
    let causal = t.id(LatticeType::Causal(S));
    let pair = t.id(LatticeType::Pair(set, hi));
    let dom = t.id(LatticeType::DomPair(hi, set));
    let counter = t.id(LatticeType::Counter);
    let pn = t.id(LatticeType::PnCounter);
    let flag = t.id(LatticeType::Bool);
    let l = ColumnType::Lattice;
    let cases = [
        ("value", vec![l(lo)], Some((I64, NonMonotone))),
        ("value", vec![l(lww)], Some((B, NonMonotone))),
        ("value", vec![l(pn)], Some((I64, NonMonotone))),
        ("value", vec![l(set)], None),
        ("size", vec![l(map)], Some((l(hi), Monotone))),
        ("contains", vec![l(set), S], Some((l(flag), Morphism))),
        ("contains", vec![l(set), U64], None),
        ("get", vec![l(map), S], Some((l(hi), Morphism))),
        ("get", vec![l(clock), S], Some((l(hi), Morphism))),
        ("get", vec![l(map)], None),
        ("keys", vec![l(map)], Some((l(set), Morphism))),
        ("total", vec![l(counter)], Some((l(hi), Monotone))),
        ("timestamp", vec![l(lww)], Some((l(hi), Morphism))),
        ("first", vec![l(pair)], Some((l(set), Morphism))),
        ("second", vec![l(pair)], Some((l(hi), Morphism))),
        ("first", vec![l(dom)], Some((l(hi), Morphism))),
        ("second", vec![l(dom)], Some((l(set), NonMonotone))),
        ("clock", vec![l(causal)], Some((l(clock), Morphism))),
        ("values", vec![l(causal)], Some((l(set), NonMonotone))),
        ("+", vec![l(lo), I64], Some((l(lo), Monotone))),
        ("+", vec![l(lo), U64], None),
        ("+", vec![I64, l(lo)], None),
        ("total", vec![U64], None),
    ];
    for (name, args, expected) in cases {
        let op = Operation::from_name(name).unwrap();
        assert_eq!(op.name(), name);
        let sig = op.signature(&args, &mut t.table);
        let found = sig.map(|s| (s.result, s.class));
        assert_eq!(found, expected, "{name}({args:?})");
    }
    assert_eq!(Operation::from_name("merge"), None);
}

#[test]
fn operations_apply_and_are_undefined_off_their_domain() {
    let externs = Externs::new();
    let mut t = Types::new();
    let hi = t.id(LatticeType::Max(U64));
    let lo = t.id(LatticeType::Min(I64));
    let set = t.id(LatticeType::Set(U64));
    let map_of_max = t.id(LatticeType::Map(S, hi));
    let map_of_set = t.id(LatticeType::Map(S, set));
    let l = ColumnType::Lattice;
    let parse = |t: &Types, id, text: &str| {
        AnyValue::Lattice(LatticeValue::parse(id, &t.table, text).unwrap())
    };
    let apply = |op: Operation, args: &[AnyValue], result: ColumnType, t: &Types| {
        op.apply(args, result, &t.table, &externs)
            .map(|v| v.to_string())
    };
    let key = |k: &str| AnyValue::Scalar(Const::String(k.into()));

    let m = parse(&t, map_of_max, r#"{"a":3}"#);
    assert_eq!(
        apply(Operation::Get, &[m.clone(), key("a")], l(hi), &t).as_deref(),
        Some("3")
    );
    assert_eq!(
        apply(Operation::Get, &[m.clone(), key("b")], l(hi), &t),
        None
    );
    assert_eq!(
        apply(Operation::Size, std::slice::from_ref(&m), l(hi), &t).as_deref(),
        Some("1")
    );
    assert_eq!(
        apply(Operation::Keys, std::slice::from_ref(&m), l(set), &t).as_deref(),
        Some(r#"["a"]"#)
    );
    let s = parse(&t, map_of_set, r#"{"a":[1]}"#);
    let empty = apply(Operation::Get, &[s, key("b")], l(set), &t);
    assert_eq!(
        empty.as_deref(),
        Some("[]"),
        "a missing key reads as the bottom"
    );

    let d = parse(&t, lo, "-5");
    let add = |e: Const| apply(Operation::Add, &[d.clone(), AnyValue::Scalar(e)], l(lo), &t);
    assert_eq!(add(Const::I64(2)).as_deref(), Some("-3"));
    assert_eq!(add(Const::I64(i64::MIN)), None, "overflow is undefined");
    assert_eq!(add(Const::U64(2)), None);
    let f = t.id(LatticeType::Max(ColumnType::F64));
    let x = parse(&t, f, "1e308");
    let sum = Operation::Add.apply(
        &[x, AnyValue::Scalar(Const::F64(1e308))],
        l(f),
        &t.table,
        &externs,
    );
    assert_eq!(sum, None, "floats stay finite");

    let pn = t.id(LatticeType::PnCounter);
    let c = parse(&t, pn, r#"{"p":{"a":2},"n":{"b":5}}"#);
    assert_eq!(
        apply(Operation::Value, &[c], I64, &t).as_deref(),
        Some("-3")
    );
    let big = parse(
        &t,
        pn,
        &format!(r#"{{"p":{{"a":{0},"b":{0}}},"n":{{}}}}"#, u64::MAX),
    );
    assert_eq!(apply(Operation::Value, &[big], I64, &t), None);

    let clock = t.id(LatticeType::VClock);
    let vc = parse(&t, clock, r#"{"w":2}"#);
    assert_eq!(
        apply(Operation::Get, &[vc.clone(), key("w")], l(hi), &t).as_deref(),
        Some("2")
    );
    assert_eq!(
        apply(Operation::Get, &[vc.clone(), key("v")], l(hi), &t).as_deref(),
        Some("0")
    );
    assert_eq!(apply(Operation::Total, &[vc], l(hi), &t), None);

    // A causal register's clock is the merge of its versions' clocks.
    let causal = t.id(LatticeType::Causal(U64));
    let reg = parse(
        &t,
        causal,
        r#"[{"clock":{"v":1},"value":2},{"clock":{"w":2},"value":1},{"clock":{"w":2},"value":2}]"#,
    );
    assert_eq!(
        apply(Operation::Clock, std::slice::from_ref(&reg), l(clock), &t).as_deref(),
        Some(r#"{"v":1,"w":2}"#)
    );
    assert_eq!(
        apply(Operation::Values, &[reg], l(set), &t).as_deref(),
        Some("[1,2]")
    );
    assert_eq!(apply(Operation::Value, &[key("scalar")], S, &t), None);
    assert_eq!(apply(Operation::Value, &[], S, &t), None);
}

#[test]
fn constructors_type_check_and_build() {
    let mut t = Types::new();
    let hi = t.id(LatticeType::Max(U64));
    let lo = t.id(LatticeType::Min(U64));
    let set = t.id(LatticeType::Set(U64));
    let clock = t.id(LatticeType::VClock);
    let map_of_max = t.id(LatticeType::Map(S, hi));
    let map_of_min = t.id(LatticeType::Map(S, lo));
    let pair = t.id(LatticeType::Pair(hi, set));
    let l = ColumnType::Lattice;
    let mut sig = |c: &str, args: &[ColumnType], expected| {
        let c = Constructor::from_name(c).unwrap();
        c.signature(args, expected, &mut t.table)
    };

    // Scalars in lattice positions need the expected type.
    assert_eq!(sig("map", &[S, U64], Some(map_of_max)), Some(l(map_of_max)));
    assert_eq!(sig("map", &[S, U64], Some(map_of_min)), Some(l(map_of_min)));
    assert_eq!(sig("map", &[S, U64], None), None);
    assert_eq!(sig("map", &[S, l(hi)], None), Some(l(map_of_max)));
    assert_eq!(sig("map", &[S, l(hi)], Some(set)), Some(l(map_of_max)));
    assert_eq!(sig("pair", &[U64, U64], Some(pair)), Some(l(pair)));
    assert_eq!(sig("dompair", &[U64, U64], Some(pair)), None);
    assert_eq!(sig("set", &[U64], None), Some(l(set)));
    assert_eq!(sig("set", &[l(set)], None), None);
    assert_eq!(sig("vclock", &[S, U64], None), Some(l(clock)));
    assert_eq!(sig("vclock", &[U64, S], None), None);
    assert_eq!(sig("causal", &[l(set), S], None), None);
    assert!(sig("causal", &[l(clock), S], None).is_some());
    assert!(sig("lww", &[U64, S, ColumnType::F64], None).is_some());
    assert!(sig("pncounter", &[S, U64, U64], None).is_some());
    assert!(sig("counter", &[S, U64, U64], None).is_none());

    let s = |v: &str| AnyValue::Scalar(Const::String(v.into()));
    let n = |v: u64| AnyValue::Scalar(Const::U64(v));
    let build =
        |c: Constructor, args: &[AnyValue], id| c.apply(args, id, &t.table).map(|v| v.to_text());
    assert_eq!(
        build(Constructor::Map, &[s("k"), n(3)], map_of_max).as_deref(),
        Some(r#"{"k":3}"#)
    );
    assert_eq!(build(Constructor::Map, &[n(1), n(3)], map_of_max), None);
    assert_eq!(
        build(Constructor::Pair, &[n(1), n(2)], pair).as_deref(),
        Some("[1,[2]]")
    );
    assert_eq!(build(Constructor::Set, &[n(1)], pair), None);
    let vc = build(Constructor::VClock, &[s("w"), n(2)], clock).unwrap();
    assert_eq!(vc, r#"{"w":2}"#);
    let causal = t.id(LatticeType::Causal(U64));
    let clock_value = AnyValue::Lattice(LatticeValue::parse(clock, &t.table, &vc).unwrap());
    let c = Constructor::Causal.apply(&[clock_value, n(7)], causal, &t.table);
    assert_eq!(c.unwrap().to_text(), r#"[{"clock":{"w":2},"value":7}]"#);
    let pn = t.id(LatticeType::PnCounter);
    let c = Constructor::PnCounter.apply(&[s("w"), n(2), n(0)], pn, &t.table);
    assert_eq!(c.unwrap().to_text(), r#"{"p":{"w":2},"n":{}}"#);
}

#[test]
fn extern_values_merge_through_the_registry() {
    let mut externs = Externs::new();
    externs
        .register_with_bottom::<crate::lattice::Counter>("Hits")
        .unwrap();
    let mut t = Types::new();
    let hits = t.id(LatticeType::Extern("Hits".into()));
    let bottom = LatticeValue::bottom(hits, &t.table, &externs).unwrap();
    assert_eq!(bottom.to_text(), "{}");
    let mut a = t.canonical(LatticeType::Extern("Hits".into()), r#"{"a":1}"#);
    let b = t
        .parse(LatticeType::Extern("Hits".into()), r#"{ "b": 2, "a": 0 }"#)
        .unwrap();
    assert_eq!(a.merge(b.clone(), &externs), Ok(true));
    assert_eq!(a.to_text(), r#"{"a":1,"b":2}"#);
    assert_eq!(b.lattice_le(&a, &externs), Ok(true));
    assert_eq!(a.merge(b, &externs), Ok(false));
    let value = Operation::Value.apply(&[AnyValue::Lattice(a)], S, &t.table, &externs);
    assert_eq!(value.unwrap().to_string(), r#"{"a":1,"b":2}"#);

    let bad = t
        .parse(LatticeType::Extern("Hits".into()), r#"[1]"#)
        .unwrap();
    assert!(bad.check_externs(&externs).is_err());
    let missing = t.parse(LatticeType::Extern("Other".into()), "1").unwrap();
    assert_eq!(
        missing.check_externs(&externs),
        Err(LatticeError::UnregisteredExtern("Other".into()))
    );
}

#[test]
fn a_repeated_json_object_key_is_an_error() {
    let mut t = Types::new();
    let hi = t.id(LatticeType::Max(U64));
    let flag = t.id(LatticeType::Bool);
    let cases = [
        (
            LatticeType::Map(S, hi),
            r#"{"a":2,"a":1}"#,
            r#"the key "a" appears twice"#,
        ),
        (
            LatticeType::Map(U64, hi),
            r#"{"1":1,"01":2}"#,
            r#"the key "01" is the u64 1 again"#,
        ),
        (
            LatticeType::Map(U64, hi),
            r#"{"1":1,"1":2}"#,
            r#"the key "1" appears twice"#,
        ),
        (
            LatticeType::Map(S, flag),
            r#"{"b":true,"a":false,"b":false}"#,
            r#"the key "b" appears twice"#,
        ),
        (
            LatticeType::VClock,
            r#"{"w":1,"w":2}"#,
            r#"the writer "w" appears twice"#,
        ),
        (
            LatticeType::Counter,
            r#"{"w":0,"w":0}"#,
            r#"the writer "w" appears twice"#,
        ),
        (
            LatticeType::PnCounter,
            r#"{"p":{"a":1,"a":2},"n":{}}"#,
            r#"the writer "a" appears twice"#,
        ),
        (
            LatticeType::PnCounter,
            r#"{"p":{},"n":{},"p":{"a":1}}"#,
            r#"the field "p" appears twice"#,
        ),
        (
            LatticeType::Lww(S),
            r#"{"ts":1,"writer":"w","value":"v","ts":2}"#,
            r#"the field "ts" appears twice"#,
        ),
        (
            LatticeType::Causal(S),
            r#"[{"clock":{"w":1,"w":1},"value":"a"}]"#,
            r#"the writer "w" appears twice"#,
        ),
        (
            LatticeType::Extern("Doc".into()),
            r#"[{"x":{"k":1,"k":2}}]"#,
            r#"the key "k" appears twice"#,
        ),
    ];
    for (ty, text, expected) in cases {
        let err = t.parse(ty, text).unwrap_err().to_string();
        assert!(err.contains(expected), "{text}: {err}");
    }
}

#[test]
fn numbers_in_errors_are_quoted_as_written() {
    let mut t = Types::new();
    for (ty, text, found) in [
        (
            LatticeType::Set(U64),
            "[1,100000000000000000000000]",
            "found `100000000000000000000000`",
        ),
        (LatticeType::Set(U64), "[1e2]", "found `1e2`"),
        (LatticeType::Set(I64), "[-1.50]", "found `-1.50`"),
        (LatticeType::Counter, r#"{"w":2E1}"#, "found `2E1`"),
        (
            LatticeType::Lww(S),
            r#"{"ts":1.0,"writer":"w","value":"v"}"#,
            "found `1.0`",
        ),
    ] {
        let err = t.parse(ty, text).unwrap_err().to_string();
        assert!(err.contains(found), "{text}: {err}");
    }
}

#[test]
fn parse_errors_quote_a_long_text_once_and_shortened() {
    let mut t = Types::new();
    let items: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    let text = format!("[{},\"x\"]", items.join(","));
    let err = t.parse(LatticeType::Set(U64), &text).unwrap_err();
    let LatticeError::Parse {
        text: quoted,
        detail,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert!(quoted.ends_with("..."), "{quoted}");
    assert!(quoted.chars().count() <= 63, "{quoted}");
    assert!(detail.contains("found `\"x\"`"), "{detail}");
    assert!(err.to_string().len() < 250, "{err}");
}

#[test]
fn counter_sums_that_overflow_have_no_value() {
    let externs = Externs::new();
    let mut t = Types::new();
    let hi = t.id(LatticeType::Max(U64));
    let counter = t.id(LatticeType::Counter);
    let l = ColumnType::Lattice;
    let parse = |t: &Types, text: &str| {
        AnyValue::Lattice(LatticeValue::parse(counter, &t.table, text).unwrap())
    };
    let big = parse(&t, &format!(r#"{{"a":{},"b":1}}"#, u64::MAX));
    let apply = |op: Operation, arg: &AnyValue, result| {
        op.apply(std::slice::from_ref(arg), result, &t.table, &externs)
    };
    assert_eq!(apply(Operation::Total, &big, l(hi)), None);
    assert_eq!(apply(Operation::Value, &big, U64), None);
    let full = parse(&t, &format!(r#"{{"a":{},"b":0}}"#, u64::MAX));
    let max = u64::MAX.to_string();
    assert_eq!(
        apply(Operation::Total, &full, l(hi)).unwrap().to_string(),
        max
    );
    assert_eq!(
        apply(Operation::Value, &full, U64).unwrap().to_string(),
        max
    );
}
