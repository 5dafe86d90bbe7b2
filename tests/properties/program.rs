//! The property tests' own representation of a Hydro program (every column of one
//! type: `u64`, `i64` or `string`), its
//! rendering to Hydro source text, and the meaning-preserving rewrites the metamorphic
//! property applies (rule and literal order, variable names).
//!
//! The generator builds values of these types, the reference evaluator reads them, and
//! the compiler reads their rendering: the three never share code with the compiler.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

/// A value of the program's column type, held in a type wide enough for both.
pub type Value = i128;

/// The strings of `string` programs, in increasing order. A `string` program has no
/// arithmetic, so it only compares values: the reference evaluates it on the strings'
/// ranks (an order isomorphism), and only the text shows the strings themselves.
pub const STRINGS: [&str; 8] = ["A", "a", "a b", "b", "ba", "z", "zz", "\u{e9}"];

/// The one column type of a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// `u64`
    U64,
    /// `i64`
    I64,
    /// `string`, with values ranks into [`STRINGS`].
    Str,
}

impl Type {
    /// The type's name in Hydro source.
    pub fn name(self) -> &'static str {
        match self {
            Type::U64 => "u64",
            Type::I64 => "i64",
            Type::Str => "string",
        }
    }

    /// `v` if the type can hold it: checked arithmetic drops what it cannot.
    pub fn check(self, v: Value) -> Option<Value> {
        let fits = match self {
            Type::U64 => u64::try_from(v).is_ok(),
            Type::I64 => i64::try_from(v).is_ok(),
            Type::Str => usize::try_from(v).is_ok_and(|i| i < STRINGS.len()),
        };
        fits.then_some(v)
    }

    /// A value as facts and output files write it.
    pub fn text(self, v: Value) -> String {
        match self {
            Type::U64 | Type::I64 => v.to_string(),
            Type::Str => STRINGS[v as usize].to_owned(),
        }
    }

    /// A value as a literal in Hydro source.
    pub fn literal(self, v: Value) -> String {
        match self {
            Type::U64 | Type::I64 => v.to_string(),
            Type::Str => format!("\"{}\"", STRINGS[v as usize]),
        }
    }

    /// The value a facts or output file's text stands for.
    pub fn parse(self, text: &str) -> Option<Value> {
        match self {
            Type::U64 | Type::I64 => text.parse().ok(),
            Type::Str => STRINGS.iter().position(|s| *s == text).map(|i| i as Value),
        }
    }
}

/// How a relation is fed and how long its tuples live (as in the brief's declarations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `input`: filled from outside each tick.
    Input,
    /// `output`: derived and reported each tick.
    Output,
    /// `scratch`: derived, emptied at the end of every tick.
    Scratch,
    /// `table`: persists across ticks.
    Table,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Input => "input",
            Kind::Output => "output",
            Kind::Scratch => "scratch",
            Kind::Table => "table",
        }
    }
}

/// A declared relation; its columns have the program's type.
#[derive(Clone, Debug)]
pub struct Relation {
    /// The relation's name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Its number of columns.
    pub arity: usize,
    /// The level that orders evaluation: inputs are level 0, and a same-tick rule whose
    /// head is at level k reads positive atoms of levels <= k and negated or aggregated
    /// relations of levels < k. Stratification holds by construction.
    pub level: usize,
}

/// An argument of a body atom.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    /// A variable.
    Var(String),
    /// A constant.
    Const(Value),
    /// `_`
    Wild,
}

/// `rel(args)`
#[derive(Clone, Debug)]
pub struct Atom {
    /// The relation read.
    pub rel: String,
    /// One term per column.
    pub args: Vec<Term>,
}

/// Arithmetic operators; arithmetic is checked (overflow or division by zero drops the
/// assignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=` (a test: both sides are bound)
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// An arithmetic expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A variable.
    Var(String),
    /// A constant.
    Const(Value),
    /// `(a op b)`
    Bin(Box<Expr>, ArithOp, Box<Expr>),
}

/// A body literal.
#[derive(Clone, Debug)]
pub enum Literal {
    /// A positive atom.
    Pos(Atom),
    /// `!atom`
    Neg(Atom),
    /// `a op b` with every variable bound elsewhere.
    Cmp(Expr, CmpOp, Expr),
    /// `v = e`: binds the fresh variable `v`.
    Assign(String, Expr),
}

/// Aggregate functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    /// `count`
    Count,
    /// `sum`
    Sum,
    /// `min`
    Min,
    /// `max`
    Max,
}

/// An argument of a head.
#[derive(Clone, Debug)]
pub enum HeadArg {
    /// A value computed from the body's variables.
    Expr(Expr),
    /// `func(e)`: ranges over the distinct satisfying assignments of the body.
    Agg(AggFunc, Expr),
}

/// When a rule's head takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// In the same tick.
    Now,
    /// `head@next`: inserted at the start of the next tick.
    Next,
    /// `delete head`: removed at the start of the next tick.
    Delete,
}

/// `head :- body.`
#[derive(Clone, Debug)]
pub struct Rule {
    /// The relation written.
    pub head_rel: String,
    /// One argument per column.
    pub head: Vec<HeadArg>,
    /// The body, in the order it is written.
    pub body: Vec<Literal>,
    /// When the head takes effect.
    pub timing: Timing,
}

/// A whole program.
#[derive(Clone, Debug)]
pub struct Program {
    /// The type of every column.
    pub ty: Type,
    /// Relations in declaration order.
    pub relations: Vec<Relation>,
    /// Facts written in the program text.
    pub facts: Vec<(String, Vec<Value>)>,
    /// Rules in the order they are written.
    pub rules: Vec<Rule>,
}

/// The tuples given to each input relation in one tick.
pub type TickInput = BTreeMap<String, BTreeSet<Vec<Value>>>;

/// A generated test case: a program and its input, tick by tick.
#[derive(Clone)]
pub struct Case {
    /// The program.
    pub program: Program,
    /// Input for the first, second, ... tick.
    pub inputs: Vec<TickInput>,
}

/// Shows the program as Hydro source and the input as facts, which is what a reader of
/// a failing case needs.
impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\n// ---- program ----")?;
        f.write_str(&self.program.render())?;
        let ty = self.program.ty;
        for (tick, input) in self.inputs.iter().enumerate() {
            writeln!(f, "// ---- input of tick {} ----", tick + 1)?;
            for (rel, tuples) in input {
                for tuple in tuples {
                    let values = tuple.iter().map(|&v| ty.literal(v));
                    writeln!(f, "{}.", atom_text(rel, values))?;
                }
            }
        }
        Ok(())
    }
}

impl Program {
    /// The relation named `name`.
    pub fn relation(&self, name: &str) -> &Relation {
        self.relations
            .iter()
            .find(|r| r.name == name)
            .expect("generated programs only name declared relations")
    }

    /// The program as Hydro source text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for rel in &self.relations {
            let columns: Vec<String> = (0..rel.arity)
                .map(|i| format!("c{i}: {}", self.ty.name()))
                .collect();
            let _ = writeln!(
                out,
                "{} {}({});",
                rel.kind.keyword(),
                rel.name,
                columns.join(", ")
            );
        }
        for (rel, values) in &self.facts {
            let _ = writeln!(
                out,
                "{}.",
                atom_text(rel, values.iter().map(|&v| self.ty.literal(v)))
            );
        }
        for rule in &self.rules {
            let _ = writeln!(out, "{}", rule.render(self.ty));
        }
        out
    }
}

impl Rule {
    /// The rule as one line of Hydro source, its constants of type `ty`.
    pub fn render(&self, ty: Type) -> String {
        let args = self.head.iter().map(|arg| match arg {
            HeadArg::Expr(e) => e.render(ty),
            HeadArg::Agg(func, e) => format!("{}({})", func.name(), e.render(ty)),
        });
        let head = atom_text(&self.head_rel, args);
        let head = match self.timing {
            Timing::Now => head,
            Timing::Next => format!("{head}@next"),
            Timing::Delete => format!("delete {head}"),
        };
        let body: Vec<String> = self.body.iter().map(|l| l.render(ty)).collect();
        format!("{head} :- {}.", body.join(", "))
    }

    /// Every variable the rule names, sorted.
    pub fn variables(&self) -> BTreeSet<String> {
        let mut vars = BTreeSet::new();
        for arg in &self.head {
            match arg {
                HeadArg::Expr(e) | HeadArg::Agg(_, e) => e.collect_vars(&mut vars),
            }
        }
        for lit in &self.body {
            match lit {
                Literal::Pos(a) | Literal::Neg(a) => {
                    for t in &a.args {
                        if let Term::Var(v) = t {
                            vars.insert(v.clone());
                        }
                    }
                }
                Literal::Cmp(l, _, r) => {
                    l.collect_vars(&mut vars);
                    r.collect_vars(&mut vars);
                }
                Literal::Assign(v, e) => {
                    vars.insert(v.clone());
                    e.collect_vars(&mut vars);
                }
            }
        }
        vars
    }

    /// The same rule with every variable renamed through `names` (which must map each
    /// of the rule's variables).
    pub fn renamed(&self, names: &BTreeMap<String, String>) -> Rule {
        let rename = |v: &String| names[v].clone();
        let term = |t: &Term| match t {
            Term::Var(v) => Term::Var(rename(v)),
            other => other.clone(),
        };
        let atom = |a: &Atom| Atom {
            rel: a.rel.clone(),
            args: a.args.iter().map(term).collect(),
        };
        Rule {
            head_rel: self.head_rel.clone(),
            head: self
                .head
                .iter()
                .map(|arg| match arg {
                    HeadArg::Expr(e) => HeadArg::Expr(e.renamed(names)),
                    HeadArg::Agg(f, e) => HeadArg::Agg(*f, e.renamed(names)),
                })
                .collect(),
            body: self
                .body
                .iter()
                .map(|lit| match lit {
                    Literal::Pos(a) => Literal::Pos(atom(a)),
                    Literal::Neg(a) => Literal::Neg(atom(a)),
                    Literal::Cmp(l, op, r) => Literal::Cmp(l.renamed(names), *op, r.renamed(names)),
                    Literal::Assign(v, e) => Literal::Assign(rename(v), e.renamed(names)),
                })
                .collect(),
            timing: self.timing,
        }
    }
}

impl Literal {
    fn render(&self, ty: Type) -> String {
        match self {
            Literal::Pos(a) => a.render(ty),
            Literal::Neg(a) => format!("!{}", a.render(ty)),
            Literal::Cmp(l, op, r) => {
                format!("{} {} {}", l.render(ty), op.symbol(), r.render(ty))
            }
            Literal::Assign(v, e) => format!("{v} = {}", e.render(ty)),
        }
    }
}

impl Atom {
    fn render(&self, ty: Type) -> String {
        atom_text(
            &self.rel,
            self.args.iter().map(|t| match t {
                Term::Var(v) => v.clone(),
                Term::Const(c) => ty.literal(*c),
                Term::Wild => "_".to_owned(),
            }),
        )
    }
}

impl Expr {
    /// The expression as Hydro source; operands that are operations or negative
    /// constants are parenthesised, so the text never relies on precedence.
    pub fn render(&self, ty: Type) -> String {
        match self {
            Expr::Var(v) => v.clone(),
            Expr::Const(c) => ty.literal(*c),
            Expr::Bin(l, op, r) => {
                let side = |e: &Expr| match e {
                    Expr::Bin(..) => format!("({})", e.render(ty)),
                    Expr::Const(c) if *c < 0 => format!("({c})"),
                    _ => e.render(ty),
                };
                format!("{} {} {}", side(l), op.symbol(), side(r))
            }
        }
    }

    /// Adds the expression's variables to `out`.
    pub fn collect_vars(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Var(v) => {
                out.insert(v.clone());
            }
            Expr::Const(_) => {}
            Expr::Bin(l, _, r) => {
                l.collect_vars(out);
                r.collect_vars(out);
            }
        }
    }

    fn renamed(&self, names: &BTreeMap<String, String>) -> Expr {
        match self {
            Expr::Var(v) => Expr::Var(names[v].clone()),
            Expr::Const(c) => Expr::Const(*c),
            Expr::Bin(l, op, r) => {
                Expr::Bin(Box::new(l.renamed(names)), *op, Box::new(r.renamed(names)))
            }
        }
    }
}

impl ArithOp {
    fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Rem => "%",
        }
    }
}

impl CmpOp {
    fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

impl AggFunc {
    fn name(self) -> &'static str {
        match self {
            AggFunc::Count => "count",
            AggFunc::Sum => "sum",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
        }
    }
}

fn atom_text(rel: &str, args: impl Iterator<Item = String>) -> String {
    format!("{rel}({})", args.collect::<Vec<_>>().join(", "))
}
