//! The text form of lattice values, as one cell of a facts file or an output.
//!
//! `Max`, `Min` and `Bool` values are written as their element, exactly as scalars are
//! ([`Const`]'s `Display` and [`Const::parse`]). Every other lattice value is compact
//! JSON:
//!
//! | lattice | text |
//! |---|---|
//! | `Set<T>` | `[1,2]`, elements ascending |
//! | `Map<K, L>` | `{"k":v}`, keys in their text form, ascending by key |
//! | `Lww<T>` | `{"ts":3,"writer":"w","value":"v"}` |
//! | `VClock`, `Counter` | `{"w":3}`, writers ascending, no zero entries |
//! | `Causal<T>` | `[{"clock":{"w":1},"value":"a"}]`, versions ascending by clock, then value |
//! | `PnCounter` | `{"p":{"w":3},"n":{"w":1}}` |
//! | `Pair`, `DomPair` | `[a,b]` |
//! | extern | its canonical JSON (object keys ascending) |
//!
//! Inside JSON, `Max`, `Min` and `Bool` values and elements are JSON scalars: numbers
//! are written as [`Const`] writes them (all valid JSON numbers), strings as JSON
//! strings. Struct-like objects keep the field order above, which is also the order the
//! typed lattices serialize in, so `serde_json` writes the same text for them. Reading
//! accepts the fields in any order, and any JSON number that is a value of a float
//! element. A `Causal` value is read as the register that has seen each version listed:
//! versions another one overwrites are dropped, and the rest are written in order.

use std::fmt::{self, Write as _};

use serde_json::Value as Json;

use super::{ExternValue, LatticeError, LatticeValue};
use crate::lattice::{
    Bool, Causal, Counter, DomPair, LatticeId, LatticeType, LatticeTypes, Lww, Map, Max, Min, Pair,
    PnCounter, Set, VClock,
};
use crate::value::{ColumnType, Const};

/// The longest stretch of text quoted in an error message.
const QUOTE_LIMIT: usize = 60;

impl LatticeValue {
    /// The text form of the value (see the [module docs](self)).
    pub fn to_text(&self) -> String {
        self.to_string()
    }

    /// Reads the text form of a value of the lattice type `id`.
    pub fn parse(id: LatticeId, types: &LatticeTypes, text: &str) -> Result<Self, LatticeError> {
        let ty = types.lookup(id).ok_or(LatticeError::UnknownType(id))?;
        let error = |detail: String| LatticeError::Parse {
            ty: types.display(ColumnType::Lattice(id)).to_string(),
            text: shorten(text),
            detail,
        };

        // The chains are written as their element.
        let element = |t: ColumnType| {
            Const::parse(t, text).ok_or_else(|| error(format!("expected {}", describe_scalar(t))))
        };
        match ty {
            LatticeType::Max(t) => return element(*t).map(|c| LatticeValue::Max(Max::new(c))),
            LatticeType::Min(t) => return element(*t).map(|c| LatticeValue::Min(Min::new(c))),
            LatticeType::Bool => {
                return match element(ColumnType::Bool)? {
                    Const::Bool(b) => Ok(LatticeValue::Bool(Bool::new(b))),
                    _ => Err(error("expected `true` or `false`".into())),
                };
            }
            _ => {}
        }
        let json: Json =
            serde_json::from_str(text).map_err(|err| error(format!("expected JSON ({err})")))?;
        from_json(id, types, &json).map_err(error)
    }
}

/// Writes the text form (see the [module docs](self)).
impl fmt::Display for LatticeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LatticeValue::Max(m) => m.get().fmt(f),
            LatticeValue::Min(m) => m.get().fmt(f),
            LatticeValue::Bool(b) => b.get().fmt(f),
            _ => {
                let mut out = String::new();
                write_json(self, &mut out);
                f.write_str(&out)
            }
        }
    }
}

/// Appends the JSON form of `value` to `out`.
fn write_json(value: &LatticeValue, out: &mut String) {
    match value {
        LatticeValue::Max(m) => write_scalar(m.get(), out),
        LatticeValue::Min(m) => write_scalar(m.get(), out),
        LatticeValue::Bool(b) => out.push_str(if b.get() { "true" } else { "false" }),
        LatticeValue::Set(s) => write_array(s.iter(), out, write_scalar),
        LatticeValue::Map(m) => {
            out.push('{');
            for (i, (key, value)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(&key.to_string(), out);
                out.push(':');
                write_json(value, out);
            }
            out.push('}');
        }
        LatticeValue::Lww(l) => {
            let _ = write!(out, "{{\"ts\":{},\"writer\":", l.ts());
            write_string(l.writer(), out);
            out.push_str(",\"value\":");
            write_scalar(l.value(), out);
            out.push('}');
        }
        LatticeValue::VClock(c) => write_counts(c.iter(), out),
        LatticeValue::Causal(c) => {
            out.push('[');
            for (i, (clock, value)) in c.versions().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"clock\":");
                write_counts(clock.iter(), out);
                out.push_str(",\"value\":");
                write_scalar(value, out);
                out.push('}');
            }
            out.push(']');
        }
        LatticeValue::Pair(p) => write_array([p.first(), p.second()].into_iter(), out, write_json),
        LatticeValue::DomPair(p) => {
            write_array([p.first(), p.second()].into_iter(), out, write_json)
        }
        LatticeValue::Counter(c) => write_counts(c.iter(), out),
        LatticeValue::PnCounter(c) => {
            out.push_str("{\"p\":");
            write_counts(c.increments().iter(), out);
            out.push_str(",\"n\":");
            write_counts(c.decrements().iter(), out);
            out.push('}');
        }
        LatticeValue::Extern(e) => out.push_str(e.json()),
    }
}

/// Appends `[item,item]`.
fn write_array<'a, T: 'a + ?Sized>(
    items: impl Iterator<Item = &'a T>,
    out: &mut String,
    write_item: impl Fn(&T, &mut String),
) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_item(item, out);
    }
    out.push(']');
}

/// Appends `{"writer":count}` for each entry.
fn write_counts<'a>(entries: impl Iterator<Item = (&'a String, u64)>, out: &mut String) {
    out.push('{');
    for (i, (writer, count)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(writer, out);
        let _ = write!(out, ":{count}");
    }
    out.push('}');
}

/// Appends a scalar as a JSON scalar. `Const` writes numbers in forms JSON accepts
/// (`3`, `-0.5`, `1e308`; floats are finite).
fn write_scalar(value: &Const, out: &mut String) {
    match value {
        Const::String(s) => write_string(s, out),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Appends a JSON string literal, escaped as `serde_json` escapes it.
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Reads the JSON form of a value of type `id`; the error says what was expected where.
fn from_json(id: LatticeId, types: &LatticeTypes, json: &Json) -> Result<LatticeValue, String> {
    let ty = types
        .lookup(id)
        .ok_or_else(|| format!("lattice type #{} is not in the type table", id.0))?;
    let name = || types.display(ColumnType::Lattice(id)).to_string();
    Ok(match ty {
        LatticeType::Max(t) => LatticeValue::Max(Max::new(scalar(*t, json)?)),
        LatticeType::Min(t) => LatticeValue::Min(Min::new(scalar(*t, json)?)),
        LatticeType::Bool => LatticeValue::Bool(Bool::new(bool_of(json)?)),
        LatticeType::Set(t) => {
            let items = array(json, || format!("a JSON array of {} elements", t.name()))?;
            let elements: Result<Set<Const>, String> =
                items.iter().map(|item| scalar(*t, item)).collect();
            LatticeValue::Set(elements?)
        }
        LatticeType::Map(k, l) => {
            let entries = object(json, || format!("a JSON object for {}", name()))?;
            let mut map = std::collections::BTreeMap::new();
            for (text, value) in entries {
                let key = Const::parse(*k, text).ok_or_else(|| {
                    format!("the key {} is not {}", quote(text), describe_scalar(*k))
                })?;
                if map.insert(key, from_json(*l, types, value)?).is_some() {
                    return Err(format!("the key {} appears twice", quote(text)));
                }
            }
            LatticeValue::Map(Map::from_map(map))
        }
        LatticeType::Lww(t) => {
            let shape = || format!(r#"{} as {{"ts":..,"writer":..,"value":..}}"#, name());
            let [ts, writer, value] = fields(json, ["ts", "writer", "value"], shape)?;
            let ts = ts
                .as_u64()
                .ok_or_else(|| format!("expected a u64 timestamp, found {}", snippet(ts)))?;
            let writer = string_of(writer)?;
            LatticeValue::Lww(Lww::new(ts, writer, scalar(*t, value)?))
        }
        LatticeType::VClock => LatticeValue::VClock(counts(json)?.into_iter().collect()),
        LatticeType::Causal(t) => {
            let shape = || format!(r#"a version of {} as {{"clock":..,"value":..}}"#, name());
            let items = array(json, || format!("{} as a JSON array of versions", name()))?;
            let mut versions = Vec::with_capacity(items.len());
            for item in items {
                let [clock, value] = fields(item, ["clock", "value"], shape)?;
                let clock: VClock = counts(clock)?.into_iter().collect();
                versions.push((clock, scalar(*t, value)?));
            }
            LatticeValue::Causal(Causal::new(versions))
        }
        LatticeType::Pair(a, b) => {
            let (a, b) = two(json, *a, *b, types, name)?;
            LatticeValue::Pair(Box::new(Pair::new(a, b)))
        }
        LatticeType::DomPair(a, b) => {
            let (a, b) = two(json, *a, *b, types, name)?;
            LatticeValue::DomPair(Box::new(DomPair::new(a, b)))
        }
        LatticeType::Counter => LatticeValue::Counter(counts(json)?.into_iter().collect()),
        LatticeType::PnCounter => {
            let shape = || r#"a PnCounter as {"p":..,"n":..}"#.to_owned();
            let [p, n] = fields(json, ["p", "n"], shape)?;
            let p: Counter = counts(p)?.into_iter().collect();
            let n: Counter = counts(n)?.into_iter().collect();
            LatticeValue::PnCounter(PnCounter::from_parts(p, n))
        }
        LatticeType::Extern(name) => LatticeValue::Extern(ExternValue::new(name.clone(), json)),
    })
}

/// A scalar of type `t` from its JSON form.
fn scalar(t: ColumnType, json: &Json) -> Result<Const, String> {
    let value = match (t, json) {
        (ColumnType::Bool, Json::Bool(b)) => Some(Const::Bool(*b)),
        (ColumnType::U64, Json::Number(n)) => n.as_u64().map(Const::U64),
        (ColumnType::I64, Json::Number(n)) => n.as_i64().map(Const::I64),
        // `+ 0.0` turns `-0.0` into `0.0`, as everywhere in Hydro.
        (ColumnType::F64, Json::Number(n)) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(|f| Const::F64(f + 0.0)),
        (ColumnType::String, Json::String(s)) => Some(Const::String(s.clone())),
        _ => None,
    };
    value.ok_or_else(|| format!("expected {}, found {}", describe_scalar(t), snippet(json)))
}

fn bool_of(json: &Json) -> Result<bool, String> {
    json.as_bool()
        .ok_or_else(|| format!("expected `true` or `false`, found {}", snippet(json)))
}

fn string_of(json: &Json) -> Result<String, String> {
    json.as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("expected a JSON string, found {}", snippet(json)))
}

fn array(json: &Json, what: impl Fn() -> String) -> Result<&Vec<Json>, String> {
    json.as_array()
        .ok_or_else(|| format!("expected {}, found {}", what(), snippet(json)))
}

fn object(
    json: &Json,
    what: impl Fn() -> String,
) -> Result<&serde_json::Map<String, Json>, String> {
    json.as_object()
        .ok_or_else(|| format!("expected {}, found {}", what(), snippet(json)))
}

/// The fields `names` of a JSON object that has exactly those fields.
fn fields<'a, const N: usize>(
    json: &'a Json,
    names: [&str; N],
    shape: impl Fn() -> String,
) -> Result<[&'a Json; N], String> {
    let entries = object(json, &shape)?;
    if let Some(extra) = entries.keys().find(|key| !names.contains(&key.as_str())) {
        return Err(format!("unexpected field {} in {}", quote(extra), shape()));
    }
    let mut found = [&Json::Null; N];
    for (slot, name) in found.iter_mut().zip(names) {
        *slot = entries
            .get(name)
            .ok_or_else(|| format!("missing field \"{name}\" in {}", shape()))?;
    }
    Ok(found)
}

/// Writer counters: a JSON object from writer to u64.
fn counts(json: &Json) -> Result<Vec<(String, u64)>, String> {
    let entries = object(json, || "a JSON object from writer to u64 count".into())?;
    entries
        .iter()
        .map(|(writer, count)| match count.as_u64() {
            Some(count) => Ok((writer.clone(), count)),
            None => Err(format!(
                "expected a u64 count for the writer {}, found {}",
                quote(writer),
                snippet(count)
            )),
        })
        .collect()
}

/// The two halves of a pair: a JSON array of two values.
fn two(
    json: &Json,
    a: LatticeId,
    b: LatticeId,
    types: &LatticeTypes,
    name: impl Fn() -> String,
) -> Result<(LatticeValue, LatticeValue), String> {
    match json.as_array().map(Vec::as_slice) {
        Some([first, second]) => Ok((from_json(a, types, first)?, from_json(b, types, second)?)),
        _ => Err(format!(
            "expected {} as a JSON array of two values, found {}",
            name(),
            snippet(json)
        )),
    }
}

/// `a u64`, `a string`, ...: what a scalar type's value looks like, for messages.
fn describe_scalar(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Bool => "a bool (`true` or `false`)",
        ColumnType::U64 => "a u64 (a whole number from 0)",
        ColumnType::I64 => "an i64 (a whole number)",
        ColumnType::F64 => "an f64 (a finite number)",
        ColumnType::String => "a string",
        ColumnType::Lattice(_) => "a lattice value",
    }
}

/// A JSON value in a message.
fn snippet(json: &Json) -> String {
    format!("`{}`", shorten(&json.to_string()))
}

/// A text in a message, quoted as a JSON string.
fn quote(text: &str) -> String {
    let mut out = String::new();
    write_string(&shorten(text), &mut out);
    out
}

/// `text`, cut to [`QUOTE_LIMIT`] characters with `...` when longer.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_serde_json() {
        for s in [
            "plain",
            "q\"uote\\",
            "tab\tnl\n\r",
            "\u{1}\u{1f}\u{7f}é€😀",
            "\u{8}\u{c}",
        ] {
            let mut out = String::new();
            write_string(s, &mut out);
            assert_eq!(out, serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn long_text_is_shortened_in_messages() {
        let long = "é".repeat(100);
        assert_eq!(shorten(&long).chars().count(), QUOTE_LIMIT + 3);
        assert_eq!(shorten("short"), "short");
    }
}
