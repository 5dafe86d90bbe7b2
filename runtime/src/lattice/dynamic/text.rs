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
//! typed lattices serialize in, so `serde_json` writes the same text for them.
//!
//! Reading accepts the fields in any order, spaces between tokens, and any JSON number
//! that is a value of a float element. A key that appears twice in a JSON object is an
//! error, wherever the object is (a map's keys, a clock's or a counter's writers, a
//! struct-like object's fields, an extern value): no entry silently overrides another.
//! So is a key spelled differently but read as the same key (`"1"` and `"01"` in a
//! `Map<u64, L>`). A `Causal` value is read as the register that has seen each version
//! listed: versions another one overwrites are dropped, and the rest are written in
//! order. An error quotes the text shortened to [`QUOTE_LIMIT`] characters, and a bad
//! scalar as it is written.
//!
//! The text form is the text itself, with no escaping beyond JSON's own: a facts file
//! stores a JSON form as it is (JSON text never holds a raw tab or line break), while
//! the raw string element of a `Max<string>` or `Min<string>` value gets the file's
//! string escapes, as a `string` column does.

use std::fmt::{self, Write as _};

mod read;

use super::{LatticeError, LatticeValue};
use crate::lattice::{Bool, LatticeId, LatticeType, LatticeTypes, Max, Min};
use crate::value::{ColumnType, Const};

/// The longest stretch of text quoted in an error message.
pub const QUOTE_LIMIT: usize = 60;

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

        // The chains are written as their element; everything else is JSON.
        let Some(t) = ty.text_scalar() else {
            return read::read(id, types, text).map_err(error);
        };
        let element = Const::parse(t, text)
            .ok_or_else(|| error(format!("expected {}", describe_scalar(t))))?;
        match (ty, element) {
            (LatticeType::Max(_), element) => Ok(LatticeValue::Max(Max::new(element))),
            (LatticeType::Min(_), element) => Ok(LatticeValue::Min(Min::new(element))),
            (_, Const::Bool(b)) => Ok(LatticeValue::Bool(Bool::new(b))),
            (_, _) => Err(error("expected `true` or `false`".into())),
        }
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

/// A text in a message, quoted as a JSON string.
fn quote(text: &str) -> String {
    let mut out = String::new();
    write_string(&shorten(text), &mut out);
    out
}

/// `text`, cut to [`QUOTE_LIMIT`] characters with `...` when longer: how a message
/// quotes text that may be long (a whole facts cell).
pub fn shorten(text: &str) -> String {
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
