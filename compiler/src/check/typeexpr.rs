//! Type expressions to column types: the scalar types, the built-in lattices with their
//! parameters (`Min<u64>`, `Map<string, Max<i64>>`) and the lattices declared with
//! `extern lattice`. Lattice types are interned in the program's [`LatticeTypes`].

use std::collections::BTreeMap;

use hydro_runtime::lattice::{LatticeId, LatticeType, LatticeTypes};
use hydro_runtime::value::ColumnType;

use super::suggest;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// The scalar types, as written.
const SCALARS: [&str; 5] = ["bool", "u64", "i64", "f64", "string"];

/// The built-in lattice types, as written, with how many parameters each takes.
const LATTICES: [(&str, usize); 12] = [
    ("Max", 1),
    ("Min", 1),
    ("Bool", 0),
    ("Set", 1),
    ("Map", 2),
    ("Lww", 1),
    ("VClock", 0),
    ("Causal", 1),
    ("Pair", 2),
    ("DomPair", 2),
    ("Counter", 0),
    ("PnCounter", 0),
];

/// Whether `name` is a built-in type, scalar or lattice.
pub(super) fn is_builtin(name: &str) -> bool {
    ColumnType::from_name(name).is_some() || LATTICES.iter().any(|(n, _)| *n == name)
}

/// Resolves type expressions against the built-in types and the extern lattices.
pub(super) struct TypeResolver<'a> {
    /// The lattice types met so far.
    pub lattices: &'a mut LatticeTypes,
    /// The extern lattices by name, with their declarations' spans.
    pub externs: &'a BTreeMap<String, Span>,
}

impl TypeResolver<'_> {
    /// The column type `ty` names, or `None` after reporting why it names none.
    pub fn resolve(
        &mut self,
        ty: &ast::TypeExpr,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<ColumnType> {
        match self.try_resolve(ty) {
            Ok(t) => Some(t),
            Err(d) => {
                diagnostics.push(*d);
                None
            }
        }
    }

    fn try_resolve(&mut self, ty: &ast::TypeExpr) -> Result<ColumnType, Box<Diagnostic>> {
        let name = ty.name.name.as_str();
        if let Some(scalar) = ColumnType::from_name(name) {
            return match ty.args.is_empty() {
                true => Ok(scalar),
                false => Err(parameters(ty, 0)),
            };
        }
        if self.externs.contains_key(name) {
            if !ty.args.is_empty() {
                return Err(parameters(ty, 0));
            }
            return Ok(self.intern(LatticeType::Extern(name.to_owned())));
        }
        let Some(&(_, arity)) = LATTICES.iter().find(|(n, _)| *n == name) else {
            return Err(Box::new(unknown_type(ty, self.externs)));
        };
        if ty.args.len() != arity {
            return Err(parameters(ty, arity));
        }
        let args = &ty.args;
        let lattice = match name {
            "Max" => LatticeType::Max(self.scalar(&args[0])?),
            "Min" => LatticeType::Min(self.scalar(&args[0])?),
            "Bool" => LatticeType::Bool,
            "Set" => LatticeType::Set(self.scalar(&args[0])?),
            "Map" => LatticeType::Map(self.scalar(&args[0])?, self.lattice(&args[1])?),
            "Lww" => LatticeType::Lww(self.scalar(&args[0])?),
            "VClock" => LatticeType::VClock,
            // A causal register is built from a vector clock (`causal(clock, v)`), whose
            // type the constructor then finds in the table.
            "Causal" => {
                self.intern(LatticeType::VClock);
                LatticeType::Causal(self.scalar(&args[0])?)
            }
            "Pair" => LatticeType::Pair(self.lattice(&args[0])?, self.lattice(&args[1])?),
            "DomPair" => LatticeType::DomPair(self.ordered(&args[0])?, self.lattice(&args[1])?),
            "Counter" => LatticeType::Counter,
            _ => LatticeType::PnCounter,
        };
        Ok(self.intern(lattice))
    }

    fn intern(&mut self, lattice: LatticeType) -> ColumnType {
        ColumnType::Lattice(self.lattices.intern(lattice))
    }

    /// A parameter that must be a scalar type (an element or a key).
    fn scalar(&mut self, ty: &ast::TypeExpr) -> Result<ColumnType, Box<Diagnostic>> {
        match self.try_resolve(ty)? {
            ColumnType::Lattice(_) => Err(Box::new(
                Diagnostic::error(
                    Code::UnknownType,
                    format!(
                        "`{}` is a lattice, but a scalar type is needed here",
                        text(ty)
                    ),
                    ty.span,
                    "expected a scalar type",
                )
                .with_help("elements and keys are `bool`, `u64`, `i64`, `f64` or `string`"),
            )),
            scalar => Ok(scalar),
        }
    }

    /// The first half of a `DomPair`: a lattice whose order is total (`Max`, `Min`,
    /// `Bool`, `Lww`). With a partial order, two incomparable first halves would have
    /// to merge both halves, and the merge would stop being associative.
    fn ordered(&mut self, ty: &ast::TypeExpr) -> Result<LatticeId, Box<Diagnostic>> {
        let id = self.lattice(ty)?;
        match self.lattices.get(id) {
            LatticeType::Max(_) | LatticeType::Min(_) | LatticeType::Bool | LatticeType::Lww(_) => {
                Ok(id)
            }
            _ => Err(Box::new(
                Diagnostic::error(
                    Code::UnknownType,
                    format!(
                        "`{}` is not totally ordered, as a `DomPair`'s first half must be",
                        text(ty)
                    ),
                    ty.span,
                    "a partially ordered lattice",
                )
                .with_note(
                    "a `DomPair` keeps the second half of the larger first half; two first \
                     halves that neither dominates would break the merge's laws",
                )
                .with_help(
                    "use `Max<T>`, `Min<T>`, `Bool` or `Lww<T>` as the first half, or a `Pair`",
                ),
            )),
        }
    }

    /// A parameter that must be a lattice type (a map's values, a pair's halves).
    fn lattice(&mut self, ty: &ast::TypeExpr) -> Result<LatticeId, Box<Diagnostic>> {
        match self.try_resolve(ty)? {
            ColumnType::Lattice(id) => Ok(id),
            scalar => Err(Box::new(
                Diagnostic::error(
                    Code::UnknownType,
                    format!("`{scalar}` is not a lattice, but a lattice type is needed here"),
                    ty.span,
                    "expected a lattice type",
                )
                .with_help(format!(
                    "wrap it in a lattice, such as `Max<{scalar}>` or `Set<{scalar}>`"
                )),
            )),
        }
    }
}

/// A type expression as written, for messages.
pub(super) fn text(ty: &ast::TypeExpr) -> String {
    if ty.args.is_empty() {
        ty.name.name.clone()
    } else {
        let args: Vec<String> = ty.args.iter().map(text).collect();
        format!("{}<{}>", ty.name.name, args.join(", "))
    }
}

fn parameters(ty: &ast::TypeExpr, arity: usize) -> Box<Diagnostic> {
    let name = &ty.name.name;
    let (label, help) = match arity {
        0 => (
            "takes no parameters".to_owned(),
            format!("write `{name}` without `<...>`"),
        ),
        1 => (
            "takes one parameter".to_owned(),
            format!("write `{name}<T>`, such as `{name}<u64>`"),
        ),
        _ => (
            format!("takes {arity} parameters"),
            format!("write `{name}<A, B>`"),
        ),
    };
    Box::new(
        Diagnostic::error(
            Code::UnknownType,
            format!("unknown type `{}`: `{name}` {label}", text(ty)),
            ty.span,
            label,
        )
        .with_help(help),
    )
}

fn unknown_type(ty: &ast::TypeExpr, externs: &BTreeMap<String, Span>) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::UnknownType,
        format!("unknown type `{}`", text(ty)),
        ty.span,
        "not a column type",
    );
    let alias = match ty.name.name.as_str() {
        "int" | "i32" | "isize" | "integer" | "number" => Some("i64"),
        "uint" | "u32" | "usize" | "unsigned" => Some("u64"),
        "float" | "double" | "f32" => Some("f64"),
        "str" | "String" | "text" | "symbol" => Some("string"),
        "boolean" => Some("bool"),
        "HashSet" | "BTreeSet" => Some("Set"),
        "HashMap" | "BTreeMap" => Some("Map"),
        _ => None,
    };
    let lattices = LATTICES.iter().map(|(n, _)| *n);
    let known = SCALARS
        .into_iter()
        .chain(lattices)
        .chain(externs.keys().map(String::as_str));
    match alias.or_else(|| suggest::closest(&ty.name.name, known)) {
        Some(t) => diagnostic.with_help(format!("did you mean `{t}`?")),
        None => diagnostic.with_help(
            "the column types are `bool`, `u64`, `i64`, `f64`, `string` and the lattices \
             (`Max<T>`, `Min<T>`, `Set<T>`, `Map<K, L>`, `Lww<T>`, ...)",
        ),
    }
}
