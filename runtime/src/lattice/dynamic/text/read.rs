//! Reading the JSON text form of lattice values in one pass, driven by the lattice type.
//!
//! [`Value`] is a serde [`DeserializeSeed`] that knows the lattice type it reads, so
//! `serde_json` streams the text straight into a [`LatticeValue`], with no JSON tree in
//! between. Two things follow from reading this way rather than through
//! `serde_json::Value`:
//!
//! 1. A JSON object's entries arrive one by one, so a key that appears twice is an
//!    error (a map key, a writer of a clock or counter, a field, a key anywhere in an
//!    extern value) instead of the last one silently winning.
//! 2. Every scalar is taken as the text written (a [`RawValue`]) and then read with
//!    [`Const::parse`], so an error quotes a number as written (`1e2`,
//!    `100000000000000000000000`), not as `serde_json` would have rounded it.
//!
//! Where a JSON array or object is expected and something else is found, the error says
//! what kind of JSON value was found; a number there is only called "a number", since
//! its text is no longer at hand.
//!
//! The messages travel inside `serde_json` errors; [`read`] takes them back out, without
//! the position `serde_json` appends (the whole text is quoted by the caller instead).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::value::RawValue;
use serde_json::Value as Json;

use super::{describe_scalar, quote, shorten};
use crate::lattice::dynamic::{ExternValue, LatticeValue};
use crate::lattice::{
    Bool, Causal, Counter, DomPair, LatticeId, LatticeType, LatticeTypes, Lww, Map, Max, Min, Pair,
    PnCounter, Set, VClock,
};
use crate::value::{ColumnType, Const};

/// Implements a [`Visitor`]'s visits of JSON scalars as errors (for visitors that expect
/// an array or an object), saying what the visitor expected and what was found.
macro_rules! reject_scalars {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(wrong(&expected(&self), &format!("`{v}`")))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(wrong(&expected(&self), &format!("`{v}`")))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(wrong(&expected(&self), &format!("`{v}`")))
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(wrong(&expected(&self), "a number"))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Err(wrong(&expected(&self), &format!("`{}`", quote(v))))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(wrong(&expected(&self), "`null`"))
        }
    };
}

/// Reads `text`, the JSON form of a value of the lattice type `id`; the error says what
/// was expected where.
pub(super) fn read(
    id: LatticeId,
    types: &LatticeTypes,
    text: &str,
) -> Result<LatticeValue, String> {
    let mut json = serde_json::Deserializer::from_str(text);
    let value = Value { id, types }
        .deserialize(&mut json)
        .and_then(|value| json.end().map(|()| value));
    value.map_err(|err| match err.classify() {
        Category::Data => message(&err),
        Category::Syntax | Category::Eof | Category::Io => format!("expected JSON ({err})"),
    })
}

/// The message of an error raised here, without the position `serde_json` appends.
fn message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// A value of the lattice type `id`.
#[derive(Clone, Copy)]
struct Value<'t> {
    id: LatticeId,
    types: &'t LatticeTypes,
}

impl<'de> DeserializeSeed<'de> for Value<'_> {
    type Value = LatticeValue;

    fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<LatticeValue, D::Error> {
        let Some(ty) = self.types.lookup(self.id) else {
            let message = format!("lattice type #{} is not in the type table", self.id.0);
            return Err(de::Error::custom(message));
        };
        let element = |t: ColumnType, json: D| {
            let raw = Raw.deserialize(json)?;
            scalar(t, raw).map_err(de::Error::custom)
        };
        match ty {
            LatticeType::Max(t) => element(*t, json).map(|c| LatticeValue::Max(Max::new(c))),
            LatticeType::Min(t) => element(*t, json).map(|c| LatticeValue::Min(Min::new(c))),
            LatticeType::Bool => match element(ColumnType::Bool, json)? {
                Const::Bool(b) => Ok(LatticeValue::Bool(Bool::new(b))),
                other => Err(de::Error::custom(format!(
                    "expected a bool, found `{other}`"
                ))),
            },
            LatticeType::Extern(name) => {
                let json = Strict.deserialize(json)?;
                Ok(LatticeValue::Extern(ExternValue::new(name.clone(), &json)))
            }
            ty => json.deserialize_any(Compound {
                ty,
                id: self.id,
                types: self.types,
            }),
        }
    }
}

/// A value of a lattice type written as a JSON array or object.
struct Compound<'t> {
    ty: &'t LatticeType,
    id: LatticeId,
    types: &'t LatticeTypes,
}

impl Compound<'_> {
    /// The type as written in Hydro.
    fn name(&self) -> String {
        self.types.display(ColumnType::Lattice(self.id)).to_string()
    }

    /// What the text should have been, for messages.
    fn shape(&self) -> String {
        match self.ty {
            LatticeType::Set(t) => format!("a JSON array of {} elements", t.name()),
            LatticeType::Map(..) => format!("a JSON object for {}", self.name()),
            LatticeType::Lww(_) => lww_shape(&self.name()),
            LatticeType::VClock | LatticeType::Counter => COUNTS.to_owned(),
            LatticeType::Causal(_) => format!("{} as a JSON array of versions", self.name()),
            LatticeType::Pair(..) | LatticeType::DomPair(..) => {
                format!("{} as a JSON array of two values", self.name())
            }
            LatticeType::PnCounter => PN_SHAPE.to_owned(),
            // `Value` reads the chains and extern values itself: they never get here.
            other => format!("{other:?}"),
        }
    }

    /// The two halves of a pair.
    fn two<'de, A: SeqAccess<'de>>(
        &self,
        mut seq: A,
        a: LatticeId,
        b: LatticeId,
    ) -> Result<(LatticeValue, LatticeValue), A::Error> {
        let types = self.types;
        let short = |n: &str| wrong(&self.shape(), &format!("a JSON array of {n}"));
        let first = seq.next_element_seed(Value { id: a, types })?;
        let first = first.ok_or_else(|| short("no values"))?;
        let second = seq.next_element_seed(Value { id: b, types })?;
        let second = second.ok_or_else(|| short("one value"))?;
        match seq.next_element::<IgnoredAny>()? {
            Some(_) => Err(short("more than two values")),
            None => Ok((first, second)),
        }
    }
}

impl<'de> Visitor<'de> for Compound<'_> {
    type Value = LatticeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shape())
    }

    reject_scalars!();

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LatticeValue, A::Error> {
        match self.ty {
            LatticeType::Set(t) => {
                let mut elements = Vec::new();
                while let Some(raw) = seq.next_element_seed(Raw)? {
                    elements.push(scalar(*t, raw).map_err(de::Error::custom)?);
                }
                Ok(LatticeValue::Set(
                    elements.into_iter().collect::<Set<Const>>(),
                ))
            }
            LatticeType::Causal(t) => {
                let shape = format!(
                    r#"a version of {} as {{"clock":..,"value":..}}"#,
                    self.name()
                );
                let version = Version {
                    element: *t,
                    shape: &shape,
                };
                let mut versions = Vec::new();
                while let Some(v) = seq.next_element_seed(version)? {
                    versions.push(v);
                }
                Ok(LatticeValue::Causal(Causal::new(versions)))
            }
            LatticeType::Pair(a, b) => {
                let (a, b) = self.two(seq, *a, *b)?;
                Ok(LatticeValue::Pair(Box::new(Pair::new(a, b))))
            }
            LatticeType::DomPair(a, b) => {
                let (a, b) = self.two(seq, *a, *b)?;
                Ok(LatticeValue::DomPair(Box::new(DomPair::new(a, b))))
            }
            _ => Err(wrong(&self.shape(), "a JSON array")),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LatticeValue, A::Error> {
        match self.ty {
            LatticeType::Map(k, l) => {
                let mut entries = BTreeMap::new();
                while let Some(text) = map.next_key::<String>()? {
                    let Some(key) = Const::parse(*k, &text) else {
                        let expected = describe_scalar(*k);
                        let message = format!("the key {} is not {expected}", quote(&text));
                        return Err(de::Error::custom(message));
                    };
                    // A key read twice is an error, even when spelled two ways (`1`
                    // and `01` for a u64).
                    if entries.contains_key(&key) {
                        let message = match key.to_string() == text {
                            true => format!("the key {} appears twice", quote(&text)),
                            false => format!("the key {} is the {k} {key} again", quote(&text)),
                        };
                        return Err(de::Error::custom(message));
                    }
                    let value = map.next_value_seed(Value {
                        id: *l,
                        types: self.types,
                    })?;
                    entries.insert(key, value);
                }
                Ok(LatticeValue::Map(Map::from_map(entries)))
            }
            LatticeType::Lww(t) => {
                let shape = lww_shape(&self.name());
                let (mut ts, mut writer, mut value) = (None, None, None);
                while let Some(name) = map.next_key::<String>()? {
                    let slot = match name.as_str() {
                        "ts" => &mut ts,
                        "writer" => &mut writer,
                        "value" => &mut value,
                        _ => return Err(unexpected_field(&name, &shape)),
                    };
                    once(slot, &name, &shape)?;
                    *slot = Some(map.next_value_seed(Raw)?);
                }
                let ts = present(ts, "ts", &shape)?;
                let ts = match Const::parse(ColumnType::U64, ts) {
                    Some(Const::U64(ts)) => ts,
                    _ => return Err(found("a u64 timestamp", ts)),
                };
                let writer = present(writer, "writer", &shape)?;
                let Ok(writer) = serde_json::from_str::<String>(writer) else {
                    return Err(found("a JSON string for the writer", writer));
                };
                let value = scalar(*t, present(value, "value", &shape)?);
                Ok(LatticeValue::Lww(Lww::new(
                    ts,
                    writer,
                    value.map_err(de::Error::custom)?,
                )))
            }
            LatticeType::VClock => {
                let counts = counts(map)?;
                Ok(LatticeValue::VClock(counts.into_iter().collect::<VClock>()))
            }
            LatticeType::Counter => {
                let counts = counts(map)?;
                Ok(LatticeValue::Counter(
                    counts.into_iter().collect::<Counter>(),
                ))
            }
            LatticeType::PnCounter => {
                let (mut p, mut n) = (None, None);
                while let Some(name) = map.next_key::<String>()? {
                    let slot = match name.as_str() {
                        "p" => &mut p,
                        "n" => &mut n,
                        _ => return Err(unexpected_field(&name, PN_SHAPE)),
                    };
                    once(slot, &name, PN_SHAPE)?;
                    *slot = Some(map.next_value_seed(Counts)?);
                }
                let p = present(p, "p", PN_SHAPE)?.into_iter().collect::<Counter>();
                let n = present(n, "n", PN_SHAPE)?.into_iter().collect::<Counter>();
                Ok(LatticeValue::PnCounter(PnCounter::from_parts(p, n)))
            }
            _ => Err(wrong(&self.shape(), "a JSON object")),
        }
    }
}

/// One version of a causal register: `{"clock":..,"value":..}`.
#[derive(Clone, Copy)]
struct Version<'s> {
    element: ColumnType,
    shape: &'s str,
}

impl<'de> DeserializeSeed<'de> for Version<'_> {
    type Value = (VClock, Const);

    fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<Self::Value, D::Error> {
        json.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Version<'_> {
    type Value = (VClock, Const);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shape)
    }

    reject_scalars!();

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(wrong(self.shape, "a JSON array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut clock, mut value) = (None, None);
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "clock" => {
                    once(&clock, &name, self.shape)?;
                    clock = Some(map.next_value_seed(Counts)?);
                }
                "value" => {
                    once(&value, &name, self.shape)?;
                    value = Some(map.next_value_seed(Raw)?);
                }
                _ => return Err(unexpected_field(&name, self.shape)),
            }
        }
        let clock = present(clock, "clock", self.shape)?;
        let value = present(value, "value", self.shape)?;
        let value = scalar(self.element, value).map_err(de::Error::custom)?;
        Ok((clock.into_iter().collect(), value))
    }
}

/// What a vector clock or a counter is written as.
const COUNTS: &str = "a JSON object from writer to u64 count";

/// What a `PnCounter` is written as.
const PN_SHAPE: &str = r#"a PnCounter as {"p":..,"n":..}"#;

/// What an `Lww` value of the type `name` is written as.
fn lww_shape(name: &str) -> String {
    format!(r#"{name} as {{"ts":..,"writer":..,"value":..}}"#)
}

/// Writer counts (of a vector clock or a counter): a JSON object from writer to u64,
/// each writer once.
struct Counts;

impl<'de> DeserializeSeed<'de> for Counts {
    type Value = BTreeMap<String, u64>;

    fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<Self::Value, D::Error> {
        json.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counts {
    type Value = BTreeMap<String, u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(COUNTS)
    }

    reject_scalars!();

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(wrong(COUNTS, "a JSON array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        counts(map)
    }
}

/// The entries of a JSON object from writer to u64 count.
fn counts<'de, A: MapAccess<'de>>(mut map: A) -> Result<BTreeMap<String, u64>, A::Error> {
    let mut counts = BTreeMap::new();
    while let Some(writer) = map.next_key::<String>()? {
        if counts.contains_key(&writer) {
            let message = format!("the writer {} appears twice", quote(&writer));
            return Err(de::Error::custom(message));
        }
        let raw = map.next_value_seed(Raw)?;
        let Some(Const::U64(count)) = Const::parse(ColumnType::U64, raw) else {
            let expected = format!("a u64 count for the writer {}", quote(&writer));
            return Err(found(&expected, raw));
        };
        counts.insert(writer, count);
    }
    Ok(counts)
}

/// Any JSON value, as an extern lattice's value: a `serde_json::Value`, except that a
/// key that appears twice in an object is an error.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<Json, D::Error> {
        json.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        // JSON text holds finite numbers only, so this always succeeds.
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("expected a finite number"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict)? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.contains_key(&key) {
                let message = format!("the key {} appears twice", quote(&key));
                return Err(de::Error::custom(message));
            }
            let value = map.next_value_seed(Strict)?;
            entries.insert(key, value);
        }
        Ok(Json::Object(entries))
    }
}

/// The text of one JSON value, exactly as written.
struct Raw;

impl<'de> DeserializeSeed<'de> for Raw {
    type Value = &'de str;

    fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<&'de str, D::Error> {
        <&'de RawValue as serde::Deserialize>::deserialize(json).map(RawValue::get)
    }
}

/// A scalar of type `t` from its JSON text `raw`: numbers and bools as [`Const::parse`]
/// reads them (every JSON number is in a form it takes), strings as JSON strings.
fn scalar(t: ColumnType, raw: &str) -> Result<Const, String> {
    let value = match t {
        ColumnType::String => serde_json::from_str(raw).ok().map(Const::String),
        ColumnType::Bool | ColumnType::U64 | ColumnType::I64 | ColumnType::F64 => {
            Const::parse(t, raw)
        }
        ColumnType::Lattice(_) => None,
    };
    value.ok_or_else(|| format!("expected {}, found `{}`", describe_scalar(t), shorten(raw)))
}

/// What a visitor expects, as its `expecting` writes it.
fn expected<'de, V: Visitor<'de>>(visitor: &V) -> String {
    let expected: &dyn de::Expected = visitor;
    expected.to_string()
}

/// "expected X, found Y".
fn wrong<E: de::Error>(expected: &str, found: &str) -> E {
    E::custom(format!("expected {expected}, found {found}"))
}

/// "expected X, found `raw`", quoting the JSON text `raw`.
fn found<E: de::Error>(expected: &str, raw: &str) -> E {
    wrong(expected, &format!("`{}`", shorten(raw)))
}

/// An error unless the field read into `slot` is read for the first time.
fn once<T, E: de::Error>(slot: &Option<T>, name: &str, shape: &str) -> Result<(), E> {
    match slot {
        Some(_) => Err(E::custom(format!(
            "the field {} appears twice in {shape}",
            quote(name)
        ))),
        None => Ok(()),
    }
}

/// The field read into `slot`, or the error that says it is missing.
fn present<T, E: de::Error>(slot: Option<T>, name: &str, shape: &str) -> Result<T, E> {
    slot.ok_or_else(|| E::custom(format!("missing field \"{name}\" in {shape}")))
}

fn unexpected_field<E: de::Error>(name: &str, shape: &str) -> E {
    E::custom(format!("unexpected field {} in {shape}", quote(name)))
}
