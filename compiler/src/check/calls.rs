//! Typing of calls: the lattice operations (whose signatures the runtime declares, with
//! their CALM class) and the constructors (typed here by the lattice they build).

use std::collections::BTreeSet;

use hydro_runtime::lattice::{LatticeId, LatticeType, LatticeTypes, Operation};
use hydro_runtime::value::ColumnType;

use super::suggest;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// The constructors, with the lattice each builds and its arguments, as help text.
const CONSTRUCTORS: [(&str, &str); 9] = [
    ("set", "`set(x)` builds a `Set<T>` holding `x`"),
    (
        "map",
        "`map(k, v)` builds a `Map<K, L>` holding `k` with value `v`",
    ),
    ("lww", "`lww(timestamp, writer, value)` builds an `Lww<T>`"),
    (
        "vclock",
        "`vclock(writer, n)` builds a `VClock` with `writer` at `n`",
    ),
    ("causal", "`causal(clock, value)` builds a `Causal<T>`"),
    (
        "counter",
        "`counter(writer, n)` builds a `Counter` where `writer` counted `n`",
    ),
    (
        "pncounter",
        "`pncounter(writer, p, n)` builds a `PnCounter` with `p` up and `n` down",
    ),
    ("pair", "`pair(a, b)` builds a `Pair<A, B>`"),
    ("dompair", "`dompair(a, b)` builds a `DomPair<A, B>`"),
];

/// What argument `i` of function `name` is, for labels: "the timestamp".
pub(super) fn parameter(name: &str, i: usize) -> &'static str {
    let roles: &[&str] = match name {
        "set" => &["the element"],
        "map" => &["the key", "the value"],
        "lww" => &["the timestamp", "the writer", "the value"],
        "vclock" | "counter" => &["the writer", "the count"],
        "pncounter" => &["the writer", "the count up", "the count down"],
        "causal" => &["the clock", "the value"],
        "pair" | "dompair" => &["the first half", "the second half"],
        "contains" => &["the set", "the element"],
        "get" => &["the map or clock", "the key or writer"],
        _ => &["the lattice value"],
    };
    roles.get(i).copied().unwrap_or("an argument")
}

/// Whether `name` is a constructor.
pub(super) fn is_constructor(name: &str) -> bool {
    CONSTRUCTORS.iter().any(|(n, _)| *n == name)
}

/// A copy of `rule` in which every body atom that names no declared relation but a
/// lattice function (`contains(s, x)`) is a test that the call's `Bool` is true (under
/// `!`, false).
pub(super) fn atoms_as_calls(rule: &ast::Rule, relations: &BTreeSet<&str>) -> ast::Rule {
    let mut rule = rule.clone();
    for literal in &mut rule.body {
        let span = literal.span();
        let (atom, negated) = match literal {
            ast::Literal::Atom(atom) => (atom, false),
            ast::Literal::Negated { atom, .. } => (atom, true),
            _ => continue,
        };
        let name = atom.name.name.as_str();
        if relations.contains(name) || !ast::LATTICE_FUNCTIONS.contains(&name) {
            continue;
        }
        // The implied `= true` takes the empty span after the call: spans name
        // expressions (the checker types expressions by span).
        let end = Span::new(span.file, span.end as usize, span.end as usize);
        let call = ast::Expr::Call {
            func: atom.name.clone(),
            args: std::mem::take(&mut atom.args),
            span: atom.span,
        };
        *literal = ast::Literal::Compare {
            op: ast::CmpOp::Eq,
            op_span: end,
            lhs: call,
            rhs: ast::Expr::Lit(ast::Lit::Bool(!negated), end),
            span,
        };
    }
    rule
}

/// Why a call does not type.
pub(super) enum Problem {
    /// No function has this name.
    Unknown,
    /// The function exists but takes other arguments (or builds another type).
    Arguments,
}

/// The type of a call from its arguments' types, if they determine it.
pub(super) fn infer(
    lattices: &mut LatticeTypes,
    name: &str,
    args: &[Option<ColumnType>],
) -> Option<ColumnType> {
    if let Some(op) = Operation::from_name(name) {
        let args = fill_literals(lattices, args)?;
        return op.signature(&args, lattices).map(|s| s.result);
    }
    let lattice = |lattices: &mut LatticeTypes, t| ColumnType::Lattice(lattices.intern(t));
    let lattice_arg = |i: usize| match args.get(i).copied().flatten() {
        Some(ColumnType::Lattice(id)) => Some(id),
        _ => None,
    };
    // An element given only as integer literals (`set(5)`) is an `i64`, the type
    // integer constants default to.
    let scalar_arg = |i: usize| match args.get(i).copied()? {
        None => Some(ColumnType::I64),
        Some(ColumnType::Lattice(_)) => None,
        scalar => scalar,
    };
    let ty = match (name, args.len()) {
        ("set", 1) => LatticeType::Set(scalar_arg(0)?),
        ("map", 2) => LatticeType::Map(scalar_arg(0)?, lattice_arg(1)?),
        ("lww", 3) => LatticeType::Lww(scalar_arg(2)?),
        ("vclock", 2) => LatticeType::VClock,
        ("causal", 2) => LatticeType::Causal(scalar_arg(1)?),
        ("counter", 2) => LatticeType::Counter,
        ("pncounter", 3) => LatticeType::PnCounter,
        ("pair", 2) => LatticeType::Pair(lattice_arg(0)?, lattice_arg(1)?),
        ("dompair", 2) => LatticeType::DomPair(lattice_arg(0)?, lattice_arg(1)?),
        _ => return None,
    };
    Some(lattice(lattices, ty))
}

/// Integer literals (`None`) among an operation's arguments take the element type of
/// its first argument (`contains(s, 3)`, `get(m, 1)`), else `u64`.
fn fill_literals(lattices: &LatticeTypes, args: &[Option<ColumnType>]) -> Option<Vec<ColumnType>> {
    let first = args.first().copied().flatten()?;
    let element = super::lattice::element(lattices, first).unwrap_or(ColumnType::U64);
    Some(args.iter().map(|a| a.unwrap_or(element)).collect())
}

/// The types the arguments of a call must have, given what they seem to have and the
/// type the call's position expects.
pub(super) fn arguments(
    lattices: &mut LatticeTypes,
    name: &str,
    args: &[Option<ColumnType>],
    expected: Option<ColumnType>,
) -> Result<Vec<ColumnType>, Problem> {
    if let Some(op) = Operation::from_name(name) {
        let filled = fill_literals(lattices, args).ok_or(Problem::Arguments)?;
        let signature = op.signature(&filled, lattices).ok_or(Problem::Arguments)?;
        if expected.is_some_and(|e| e != signature.result) {
            return Err(Problem::Arguments);
        }
        return Ok(filled);
    }
    if !is_constructor(name) {
        return Err(Problem::Unknown);
    }
    let built = match expected {
        Some(ColumnType::Lattice(id)) => id,
        _ => match infer(lattices, name, args) {
            Some(ColumnType::Lattice(id)) => id,
            _ => return Err(Problem::Arguments),
        },
    };
    let wanted = constructor_arguments(lattices, name, built).ok_or(Problem::Arguments)?;
    match wanted.len() == args.len() {
        true => Ok(wanted),
        false => Err(Problem::Arguments),
    }
}

/// The argument types of constructor `name` building a value of lattice `built`.
pub(crate) fn constructor_arguments(
    lattices: &LatticeTypes,
    name: &str,
    built: LatticeId,
) -> Option<Vec<ColumnType>> {
    use ColumnType::{String, U64};
    let lattice = ColumnType::Lattice;
    Some(match (name, lattices.get(built)) {
        ("set", LatticeType::Set(t)) => vec![*t],
        ("map", LatticeType::Map(k, v)) => vec![*k, lattice(*v)],
        ("lww", LatticeType::Lww(t)) => vec![U64, String, *t],
        ("vclock", LatticeType::VClock) => vec![String, U64],
        ("causal", LatticeType::Causal(t)) => {
            let clock = lattices.iter().find(|(_, l)| **l == LatticeType::VClock)?.0;
            vec![lattice(clock), *t]
        }
        ("counter", LatticeType::Counter) => vec![String, U64],
        ("pncounter", LatticeType::PnCounter) => vec![String, U64, U64],
        ("pair", LatticeType::Pair(a, b)) | ("dompair", LatticeType::DomPair(a, b)) => {
            vec![lattice(*a), lattice(*b)]
        }
        _ => return None,
    })
}

/// How to write a value of lattice type `ty`, for help lines.
pub(super) fn construct_help(lattices: &LatticeTypes, ty: ColumnType) -> String {
    let name = lattices.display(ty).to_string();
    let ColumnType::Lattice(id) = ty else {
        return format!("write a `{name}`");
    };
    let constructor = match lattices.get(id) {
        LatticeType::Max(t) | LatticeType::Min(t) => {
            return format!("a `{t}` lifts into a `{name}`")
        }
        LatticeType::Bool => return format!("a `bool` lifts into a `{name}`"),
        LatticeType::Set(_) => "set",
        LatticeType::Map(..) => "map",
        LatticeType::Lww(_) => "lww",
        LatticeType::VClock => "vclock",
        LatticeType::Causal(_) => "causal",
        LatticeType::Counter => "counter",
        LatticeType::PnCounter => "pncounter",
        LatticeType::Pair(..) => "pair",
        LatticeType::DomPair(..) => "dompair",
        LatticeType::Extern(_) => return format!("a `{name}` comes from a relation of that type"),
    };
    let usage = CONSTRUCTORS
        .iter()
        .find(|(n, _)| *n == constructor)
        .map_or("", |(_, u)| u);
    format!("a `{name}` is built with a constructor: {usage}")
}

/// The diagnostic for a call that does not type.
pub(super) fn diagnostic(
    lattices: &LatticeTypes,
    func: &ast::Ident,
    args: &[ast::Expr],
    types: &[Option<ColumnType>],
    span: Span,
    problem: Problem,
) -> Diagnostic {
    let name = func.name.as_str();
    let aggregate = hydro_runtime::ir::AggFunc::from_name(name).is_some() || name == "merge";
    if let (Problem::Unknown, true, 1) = (&problem, aggregate, args.len()) {
        return Diagnostic::error(
            Code::UnknownFunction,
            format!("`{name}` is an aggregate, which only a rule's head can use"),
            func.span,
            "an aggregate in an expression",
        )
        .with_help(format!(
            "aggregate in a head (`total(k, {name}(x)) :- ...`), then read the result from \
             that relation"
        ));
    }
    if let (Problem::Unknown, true) = (&problem, aggregate) {
        return Diagnostic::error(
            Code::FunctionArguments,
            format!("`{name}` takes one argument, found {}", args.len()),
            span,
            "an aggregate of several arguments",
        )
        .with_help("an aggregate takes exactly one argument");
    }
    if let Problem::Unknown = problem {
        let known = ast::LATTICE_FUNCTIONS.iter().copied();
        let d = Diagnostic::error(
            Code::UnknownFunction,
            format!("unknown function `{name}`"),
            func.span,
            "not a lattice operation or constructor",
        );
        return match suggest::closest(name, known) {
            Some(close) => d.with_help(format!("did you mean `{close}`?")),
            None => d.with_help(format!(
                "the lattice functions are {}",
                ast::LATTICE_FUNCTIONS
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
    }
    let given: Vec<String> = types
        .iter()
        .zip(args)
        .map(|(t, a)| match t {
            Some(t) => format!("`{}`", lattices.display(*t)),
            None => format!("`{}`", crate::lower::source::print_expr(a)),
        })
        .collect();
    let usage = match Operation::from_name(name) {
        Some(op) => usage(op).to_owned(),
        None => CONSTRUCTORS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(String::new(), |(_, u)| (*u).to_owned()),
    };
    Diagnostic::error(
        Code::FunctionArguments,
        format!("`{name}` does not take ({})", given.join(", ")),
        span,
        "wrong arguments",
    )
    .with_help(usage)
}

/// A threshold test on a value of type `ty`, in the direction that stays monotone, for
/// help lines: `>= 3` on a `Max`, `<= 3` on a `Min`, `= true` on a `Bool`.
pub(super) fn threshold_example(lattices: &LatticeTypes, ty: ColumnType) -> Option<&'static str> {
    let ColumnType::Lattice(id) = ty else {
        return None;
    };
    Some(match lattices.get(id) {
        LatticeType::Max(_) => ">= 3",
        LatticeType::Min(_) => "<= 3",
        LatticeType::Bool => "= true",
        _ => return None,
    })
}

/// How to call an operation, for help lines.
fn usage(op: Operation) -> &'static str {
    match op {
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
        Operation::Add => "`d + e` adds a number to a `Max` or `Min` of numbers",
    }
}
