//! The text form of lattice values: it reads back as the same value for every lattice
//! type, agrees with the typed lattices' `serde_json` encoding, keeps JSON forms on one
//! line without tabs, reading any text fails cleanly instead of panicking, and a JSON
//! object that repeats a key is rejected.

mod lattice_support;

use hydro_runtime::lattice::{
    Causal, Counter, DomPair, LatticeId, LatticeType, LatticeTypes, LatticeValue, Lww, Map, Max,
    Min, Pair, PnCounter, Set, VClock,
};
use hydro_runtime::value::ColumnType::{Bool as B, String as S, F64, I64, U64};
use lattice_support::{run, value};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Every lattice type of the tests, in one table: each kind, each scalar as an element,
/// and nestings of each compound.
fn all_types() -> (LatticeTypes, Vec<LatticeId>) {
    let mut t = LatticeTypes::new();
    let mut ids = Vec::new();
    for scalar in [B, U64, I64, F64, S] {
        for ty in [
            LatticeType::Max(scalar),
            LatticeType::Min(scalar),
            LatticeType::Set(scalar),
            LatticeType::Lww(scalar),
            LatticeType::Causal(scalar),
        ] {
            ids.push(t.intern(ty));
        }
    }
    for ty in [
        LatticeType::Bool,
        LatticeType::VClock,
        LatticeType::Counter,
        LatticeType::PnCounter,
        LatticeType::Extern("Ids".into()),
    ] {
        ids.push(t.intern(ty));
    }
    let (max, set, flag) = (
        t.intern(LatticeType::Max(F64)),
        t.intern(LatticeType::Set(S)),
        t.intern(LatticeType::Bool),
    );
    let pair = t.intern(LatticeType::Pair(max, set));
    for ty in [
        LatticeType::Map(S, max),
        LatticeType::Map(F64, set),
        LatticeType::Map(B, flag),
        LatticeType::Map(I64, pair),
        LatticeType::DomPair(pair, set),
        LatticeType::Pair(flag, pair),
    ] {
        ids.push(t.intern(ty));
    }
    (t, ids)
}

#[test]
fn text_reads_back_as_the_same_value_for_every_type() {
    let (types, ids) = all_types();
    for id in ids {
        let name = types.display(hydro_runtime::value::ColumnType::Lattice(id));
        run(value(id, &types), |v| {
            let text = v.to_text();
            match LatticeValue::parse(id, &types, &text) {
                Ok(back) if back == v => Ok(()),
                Ok(back) => Err(format!(
                    "{name}: `{text}` reads back as {back:?}, not {v:?}"
                )),
                Err(err) => Err(format!("{name}: {err}")),
            }
        });
    }
}

#[test]
fn json_forms_stay_on_one_line() {
    let (types, ids) = all_types();
    for id in ids {
        let chain = matches!(
            types.get(id),
            LatticeType::Max(_) | LatticeType::Min(_) | LatticeType::Bool
        );
        if chain {
            continue;
        }
        run(value(id, &types), |v| {
            let text = v.to_text();
            match text.contains(['\t', '\n', '\r']) {
                false => Ok(()),
                true => Err(format!("`{text}` holds a tab or a line break")),
            }
        });
    }
}

/// Checks that the dynamic text of values of type `id` is what `serde_json` writes for
/// the typed lattice `T`, and that `T` reads it.
fn agrees_with_serde<T: Serialize + DeserializeOwned>(types: &LatticeTypes, id: LatticeId) {
    run(value(id, types), |v| {
        let text = v.to_text();
        let typed: T = serde_json::from_str(&text).map_err(|e| format!("`{text}`: {e}"))?;
        let json = serde_json::to_string(&typed).map_err(|e| e.to_string())?;
        match json == text {
            true => Ok(()),
            false => Err(format!(
                "serde_json writes `{json}`, the text form is `{text}`"
            )),
        }
    });
}

#[test]
fn json_forms_agree_with_the_typed_lattices() {
    let mut t = LatticeTypes::new();
    let max = t.intern(LatticeType::Max(U64));
    let min = t.intern(LatticeType::Min(I64));
    let set = t.intern(LatticeType::Set(S));
    let sets = t.intern(LatticeType::Set(U64));
    let flag = t.intern(LatticeType::Bool);
    let map = t.intern(LatticeType::Map(S, max));
    let numbered = t.intern(LatticeType::Map(U64, flag));
    let lww = t.intern(LatticeType::Lww(S));
    let clock = t.intern(LatticeType::VClock);
    let causal = t.intern(LatticeType::Causal(S));
    let counter = t.intern(LatticeType::Counter);
    let pn = t.intern(LatticeType::PnCounter);
    let pair = t.intern(LatticeType::Pair(sets, min));
    let dom = t.intern(LatticeType::DomPair(max, set));
    agrees_with_serde::<Set<String>>(&t, set);
    agrees_with_serde::<Map<String, Max<u64>>>(&t, map);
    agrees_with_serde::<Map<u64, hydro_runtime::lattice::Bool>>(&t, numbered);
    agrees_with_serde::<Lww<String>>(&t, lww);
    agrees_with_serde::<VClock>(&t, clock);
    agrees_with_serde::<Causal<String>>(&t, causal);
    agrees_with_serde::<Counter>(&t, counter);
    agrees_with_serde::<PnCounter>(&t, pn);
    agrees_with_serde::<Pair<Set<u64>, Min<i64>>>(&t, pair);
    agrees_with_serde::<DomPair<Max<u64>, Set<String>>>(&t, dom);
}

/// Text that is almost a value: bits of JSON and of the lattices' shapes, shuffled.
fn near_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "\"",
        "1",
        "-1",
        "1.5",
        "1e999",
        "true",
        "null",
        "\"ts\"",
        "\"writer\"",
        "\"value\"",
        "\"p\"",
        "\"n\"",
        "\"clock\"",
        "\"values\"",
        "\"w\"",
        " ",
        "+",
        "é",
    ]);
    prop_oneof![
        proptest::collection::vec(pieces, 0..12).prop_map(|p| p.concat()),
        any::<String>(),
    ]
}

#[test]
fn reading_any_text_fails_cleanly() {
    let (types, ids) = all_types();
    run((near_text(), prop::sample::select(ids)), |(text, id)| {
        // Reading must not panic; what it reads must print as text that reads back.
        if let Ok(v) = LatticeValue::parse(id, &types, &text) {
            let again = LatticeValue::parse(id, &types, &v.to_text());
            if again.as_ref() != Ok(&v) {
                return Err(format!(
                    "`{text}` reads as {v:?}, which reads back as {again:?}"
                ));
            }
        }
        Ok(())
    });
}

#[test]
fn an_object_entry_written_twice_is_an_error() {
    let (types, ids) = all_types();
    for id in ids {
        let ty = types.get(id);
        let keyed = matches!(
            ty,
            LatticeType::Map(..) | LatticeType::VClock | LatticeType::Counter
        );
        if !keyed {
            continue;
        }
        run(value(id, &types), |v| {
            // Write the first entry of the object again, in front of the others.
            let text = v.to_text();
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).map_err(|e| format!("`{text}`: {e}"))?;
            let Some((key, entry)) = object.iter().next() else {
                return Ok(());
            };
            let key = serde_json::to_string(key).map_err(|e| e.to_string())?;
            let twice = format!("{{{key}:{entry},{}", &text[1..]);
            match LatticeValue::parse(id, &types, &twice) {
                Err(err) if err.to_string().contains("appears twice") => Ok(()),
                other => Err(format!("`{twice}` reads as {other:?}")),
            }
        });
    }
}
