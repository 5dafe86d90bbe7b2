//! Column types and constant values shared by the compiler, the IR and the engine.

use std::fmt;

use crate::lattice::{LatticeId, LatticeValue};

/// The type of one column of a relation (and of every variable bound to it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ColumnType {
    /// `bool`: `true` or `false`.
    Bool,
    /// `u64`: unsigned 64-bit integer.
    U64,
    /// `i64`: signed 64-bit integer.
    I64,
    /// `f64`: 64-bit float; `-0.0` is stored as `0.0` and NaN is never produced.
    F64,
    /// `string`: UTF-8 text.
    String,
    /// A lattice type, described by the program's [`crate::lattice::LatticeTypes`].
    Lattice(LatticeId),
}

impl ColumnType {
    /// The name of the type as written in Hydro source.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Bool => "bool",
            ColumnType::U64 => "u64",
            ColumnType::I64 => "i64",
            ColumnType::F64 => "f64",
            ColumnType::String => "string",
            // The lattice's own name needs the program's table (`LatticeTypes::display`).
            ColumnType::Lattice(_) => "lattice",
        }
    }

    /// Parses a type name as written in Hydro source.
    pub fn from_name(name: &str) -> Option<ColumnType> {
        Some(match name {
            "bool" => ColumnType::Bool,
            "u64" => ColumnType::U64,
            "i64" => ColumnType::I64,
            "f64" => ColumnType::F64,
            "string" => ColumnType::String,
            _ => return None,
        })
    }

    /// Whether arithmetic (`+ - * / %`) and `sum` are defined on the type.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::U64 | ColumnType::I64 | ColumnType::F64)
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A constant value of some [`ColumnType`]: what facts, inputs and outputs hold.
///
/// Values order first by type, then by value (strings lexicographically, floats by
/// `total_cmp`), which is the order outputs are written in.
#[derive(Clone, Debug)]
pub enum Const {
    /// A `bool` value.
    Bool(bool),
    /// A `u64` value.
    U64(u64),
    /// An `i64` value.
    I64(i64),
    /// An `f64` value.
    F64(f64),
    /// A `string` value.
    String(String),
    /// A value of the lattice type `ty`.
    Lattice {
        /// The value's type.
        ty: LatticeId,
        /// The value.
        value: Box<LatticeValue>,
    },
}

impl Const {
    /// The type of the value.
    pub fn ty(&self) -> ColumnType {
        match self {
            Const::Bool(_) => ColumnType::Bool,
            Const::U64(_) => ColumnType::U64,
            Const::I64(_) => ColumnType::I64,
            Const::F64(_) => ColumnType::F64,
            Const::String(_) => ColumnType::String,
            Const::Lattice { ty, .. } => ColumnType::Lattice(*ty),
        }
    }

    /// Parses the text form of a value of type `ty`, as found in a facts file (strings
    /// are taken as they are: unescaping is the file format's business).
    pub fn parse(ty: ColumnType, text: &str) -> Option<Const> {
        // Rust's parsers also take a leading `+`, and `inf` or `NaN` for floats: the
        // format has one spelling per number and finite floats only.
        if ty.is_numeric() && text.starts_with('+') {
            return None;
        }
        Some(match ty {
            ColumnType::Bool => Const::Bool(text.parse().ok()?),
            ColumnType::U64 => Const::U64(text.parse().ok()?),
            ColumnType::I64 => Const::I64(text.parse().ok()?),
            ColumnType::F64 => {
                let f: f64 = text.parse().ok()?;
                if !f.is_finite() {
                    return None;
                }
                Const::F64(f + 0.0)
            }
            ColumnType::String => Const::String(text.to_owned()),
            // Lattice values have their own text form (`crate::lattice`).
            ColumnType::Lattice(_) => return None,
        })
    }
}

impl PartialEq for Const {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Const {}

impl PartialOrd for Const {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Const {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Const::Bool(a), Const::Bool(b)) => a.cmp(b),
            (Const::U64(a), Const::U64(b)) => a.cmp(b),
            (Const::I64(a), Const::I64(b)) => a.cmp(b),
            (Const::F64(a), Const::F64(b)) => a.total_cmp(b),
            (Const::String(a), Const::String(b)) => a.cmp(b),
            (Const::Lattice { ty: s, value: a }, Const::Lattice { ty: t, value: b }) => {
                s.cmp(t).then_with(|| a.cmp(b))
            }
            _ => self.ty().cmp(&other.ty()),
        }
    }
}

impl std::hash::Hash for Const {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Const::Bool(v) => v.hash(state),
            Const::U64(v) => v.hash(state),
            Const::I64(v) => v.hash(state),
            Const::F64(v) => v.to_bits().hash(state),
            Const::String(v) => v.hash(state),
            Const::Lattice { ty, value } => {
                ty.hash(state);
                value.hash(state);
            }
        }
    }
}

/// Writes the value as it appears in facts and output files: integers and booleans as
/// Rust prints them, floats in the shortest form that reads back as the same number
/// (in exponent notation when their magnitude is at least 1e16 or below 1e-5, so
/// 1e308 does not take 309 digits), strings as their raw text (no quotes, no
/// escaping), lattice values in their text form (see [`LatticeValue`]).
impl fmt::Display for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Bool(v) => write!(f, "{v}"),
            Const::U64(v) => write!(f, "{v}"),
            Const::I64(v) => write!(f, "{v}"),
            Const::F64(v) if *v != 0.0 && !(1e-5..1e16).contains(&v.abs()) => write!(f, "{v:e}"),
            Const::F64(v) => write!(f, "{v}"),
            Const::String(v) => f.write_str(v),
            Const::Lattice { value, .. } => write!(f, "{value}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_short_and_read_back() {
        for (value, text) in [
            (2.5, "2.5"),
            (3.0, "3"),
            (0.1, "0.1"),
            (-0.00125, "-0.00125"),
            (1e308, "1e308"),
            (5e-324, "5e-324"),
            (-1.5e16, "-1.5e16"),
            (123456789012345.0, "123456789012345"),
        ] {
            assert_eq!(Const::F64(value).to_string(), text);
            assert_eq!(Const::parse(ColumnType::F64, text), Some(Const::F64(value)));
        }
    }
}
