//! The abstract syntax tree. Every node carries the [`Span`] of the source it came from;
//! nothing is resolved or checked yet.

pub use hydro_runtime::ir::{ArithOp, CmpOp, RelationKind};

use crate::source::Span;

/// A name with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Module {
    /// Top-level items in source order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `import "path.hydro";`
    Import(Import),
    /// `input edge(src: u64, dst: u64);`
    Decl(Decl),
    /// A rule, or a fact (a rule with an empty body): `edge(1, 2).`
    Rule(Rule),
    /// `extern lattice Name;`
    ExternLattice(ExternLattice),
    /// `module kvs;` or `monotone module kvs;`: names the file's module.
    Module(ModuleDecl),
}

/// `module NAME;`, with an optional `monotone` promise: every rule of the file is
/// monotone.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleDecl {
    /// The span of `monotone`, when the module is promised monotone.
    pub monotone: Option<Span>,
    /// The module's name.
    pub name: Ident,
    /// The whole item.
    pub span: Span,
}

/// `extern lattice Name;`: a lattice type implemented in Rust.
#[derive(Clone, Debug, PartialEq)]
pub struct ExternLattice {
    /// The word after `extern` (the checker wants `lattice`).
    pub word: Ident,
    /// The type's name.
    pub name: Ident,
    /// The whole item.
    pub span: Span,
}

/// The names of the lattice functions (operations and constructors). In a head,
/// `name(expr)` with any other name is an aggregate.
pub const LATTICE_FUNCTIONS: &[&str] = &[
    "value",
    "size",
    "contains",
    "get",
    "keys",
    "total",
    "timestamp",
    "first",
    "second",
    "clock",
    "values",
    "set",
    "map",
    "lww",
    "vclock",
    "causal",
    "counter",
    "pncounter",
    "pair",
    "dompair",
];

/// `import "path.hydro";`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The path as written (without quotes), relative to the importing file.
    pub path: String,
    /// The span of the string literal.
    pub path_span: Span,
    /// The whole item.
    pub span: Span,
}

/// A relation declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    /// The span of `monotone`, when the relation is promised monotone.
    pub monotone: Option<Span>,
    /// Input, output, table or scratch.
    pub kind: RelationKind,
    /// The span of the kind keyword.
    pub kind_span: Span,
    /// The relation's name.
    pub name: Ident,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The whole declaration.
    pub span: Span,
}

/// `name: type`
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The column's name.
    pub name: Ident,
    /// The column's type.
    pub ty: TypeExpr,
    /// The whole column.
    pub span: Span,
}

/// A type as written: `u64`, or `Min<u64>` (lattice types come with a later issue).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// The type's name.
    pub name: Ident,
    /// Type arguments, if any.
    pub args: Vec<TypeExpr>,
    /// The whole type.
    pub span: Span,
}

/// `head :- body.` or a fact `head.`
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The head.
    pub head: Head,
    /// The body literals in source order; empty for a fact.
    pub body: Vec<Literal>,
    /// The whole rule, up to and including the final `.`.
    pub span: Span,
}

impl Rule {
    /// Calls `f` on every argument of the head (an aggregate's argument included) and
    /// every expression of the body, in source order.
    pub fn for_each_expr<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        for arg in &self.head.args {
            match arg {
                HeadArg::Expr(e) => f(e),
                HeadArg::Aggregate(agg) => f(&agg.arg),
            }
        }
        for literal in &self.body {
            match literal {
                Literal::Atom(atom) | Literal::Negated { atom, .. } => {
                    atom.args.iter().for_each(&mut *f)
                }
                Literal::Compare { lhs, rhs, .. } => {
                    f(lhs);
                    f(rhs);
                }
                Literal::In { elem, set, .. } => {
                    f(elem);
                    f(set);
                }
            }
        }
    }
}

/// The head of a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    /// The span of the `delete` keyword, for a deletion rule.
    pub delete: Option<Span>,
    /// The relation written.
    pub name: Ident,
    /// The head's arguments.
    pub args: Vec<HeadArg>,
    /// The span of `@next`, for a rule that writes the next tick.
    pub next: Option<Span>,
    /// The whole head.
    pub span: Span,
}

/// An argument of a head.
#[derive(Clone, Debug, PartialEq)]
pub enum HeadArg {
    /// A plain value.
    Expr(Expr),
    /// `count(y)`, `sum(w)`, `min(d)`, `max(d)`: any `name(expr)` in a head.
    Aggregate(Aggregate),
}

impl HeadArg {
    /// A head argument from a parsed expression: a one-argument call of a name that is
    /// not a lattice function is an aggregate.
    pub fn from_expr(expr: Expr) -> HeadArg {
        match expr {
            Expr::Call {
                func,
                mut args,
                span,
            } if args.len() == 1 && !LATTICE_FUNCTIONS.contains(&func.name.as_str()) => {
                let arg = args.pop().unwrap_or(Expr::Wildcard(span));
                HeadArg::Aggregate(Aggregate { func, arg, span })
            }
            expr => HeadArg::Expr(expr),
        }
    }
}

impl Aggregate {
    /// Whether this is `merge(e)`: the monotone "aggregate" of a lattice column, which
    /// merges every value into the group's one.
    pub fn is_merge(&self) -> bool {
        self.func.name == "merge"
    }
}

/// An aggregate call in a head.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    /// The aggregate's name as written (checked against the known aggregates later).
    pub func: Ident,
    /// The aggregated expression.
    pub arg: Expr,
    /// The whole call.
    pub span: Span,
}

/// A body literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `edge(x, y)`
    Atom(Atom),
    /// `!edge(x, _)`
    Negated {
        /// The span of `!`.
        bang: Span,
        /// The atom that must not hold.
        atom: Atom,
        /// The whole literal.
        span: Span,
    },
    /// `x < 10`, `y = x * 2`, `x != y`
    Compare {
        /// The operator.
        op: CmpOp,
        /// The span of the operator.
        op_span: Span,
        /// Left side.
        lhs: Expr,
        /// Right side.
        rhs: Expr,
        /// The whole literal.
        span: Span,
    },
    /// `x in s`: `x` is (or ranges over) an element of the set `s`.
    In {
        /// The element.
        elem: Expr,
        /// The set.
        set: Expr,
        /// The whole literal.
        span: Span,
    },
}

impl Literal {
    /// For an equation `lhs = rhs`, its two readings as (target, source): `lhs` from
    /// `rhs`, then `rhs` from `lhs`. `None` for any other literal.
    pub fn equation(&self) -> Option<[(&Expr, &Expr); 2]> {
        match self {
            Literal::Compare {
                op: CmpOp::Eq,
                lhs,
                rhs,
                ..
            } => Some([(lhs, rhs), (rhs, lhs)]),
            _ => None,
        }
    }

    /// The literal's span.
    pub fn span(&self) -> Span {
        match self {
            Literal::Atom(a) => a.span,
            Literal::Negated { span, .. }
            | Literal::Compare { span, .. }
            | Literal::In { span, .. } => *span,
        }
    }
}

/// `name(args)`
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    /// The relation.
    pub name: Ident,
    /// The arguments.
    pub args: Vec<Expr>,
    /// The whole atom.
    pub span: Span,
}

/// A literal constant. Integer literals are untyped until checking gives them the type
/// of their position (`u64`, `i64` or `f64`).
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    /// `42` (a leading `-` is an [`Expr::Neg`]).
    Int(u64),
    /// `4.5`, `1e3`
    Float(f64),
    /// `"text"`, with escapes already decoded.
    Str(String),
    /// `true`, `false`
    Bool(bool),
}

/// An expression in an argument or comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A variable (any identifier in argument position).
    Var(Ident),
    /// `_`
    Wildcard(Span),
    /// A constant.
    Lit(Lit, Span),
    /// `-e`
    Neg(Box<Expr>, Span),
    /// `a + b` and friends.
    Binary {
        /// The operator.
        op: ArithOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// The whole expression.
        span: Span,
    },
    /// `size(s)`, `lww(t, w, v)`: a lattice operation or constructor.
    Call {
        /// The function's name.
        func: Ident,
        /// The arguments.
        args: Vec<Expr>,
        /// The whole call.
        span: Span,
    },
}

impl Expr {
    /// The expression's span.
    pub fn span(&self) -> Span {
        match self {
            Expr::Var(v) => v.span,
            Expr::Wildcard(s) | Expr::Lit(_, s) | Expr::Neg(_, s) => *s,
            Expr::Binary { span, .. } | Expr::Call { span, .. } => *span,
        }
    }

    /// Calls `f` on every variable in the expression, left to right.
    pub fn for_each_var<'a>(&'a self, f: &mut dyn FnMut(&'a Ident)) {
        match self {
            Expr::Var(v) => f(v),
            Expr::Wildcard(_) | Expr::Lit(..) => {}
            Expr::Neg(e, _) => e.for_each_var(f),
            Expr::Binary { lhs, rhs, .. } => {
                lhs.for_each_var(f);
                rhs.for_each_var(f);
            }
            Expr::Call { args, .. } => {
                for arg in args {
                    arg.for_each_var(f);
                }
            }
        }
    }
}
