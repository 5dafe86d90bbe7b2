//! The planned IR: what the compiler hands the runtime.
//!
//! A [`Plan`] lists the program's relations, its facts, and its strata in evaluation
//! order. Each stratum holds rules already planned as join pipelines ([`JoinPlan`]):
//! the planner has chosen the atom order, which columns are bound at each scan (and so
//! which index serves it), and, for recursive strata, the semi-naive delta variants.
//!
//! Variables are numbered *slots*: a rule's plan writes each slot once (by a
//! [`Arg::Bind`] in a scan or by a [`Step::Let`]) before any step reads it.

use crate::lattice::{Constructor, LatticeId, LatticeTypes, Operation};
use crate::value::{ColumnType, Const};

/// Index of a relation in [`Plan::relations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelId(pub u32);

impl RelId {
    /// The index as a `usize`, for indexing `Plan::relations`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a relation is fed and how long its tuples live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationKind {
    /// Filled from outside at the start of each tick; emptied at its end.
    Input,
    /// Derived each tick and emitted; emptied at the end of the tick.
    Output,
    /// Persists across ticks; only `delete` removes tuples.
    Table,
    /// Derived each tick; emptied at the end of the tick.
    Scratch,
}

impl RelationKind {
    /// The keyword that declares the kind in Hydro source.
    pub fn keyword(self) -> &'static str {
        match self {
            RelationKind::Input => "input",
            RelationKind::Output => "output",
            RelationKind::Table => "table",
            RelationKind::Scratch => "scratch",
        }
    }

    /// Whether tuples of this kind survive the end of a tick.
    pub fn persists(self) -> bool {
        self == RelationKind::Table
    }
}

/// One column of a relation.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnSchema {
    /// The column's name, as declared.
    pub name: String,
    /// The column's type.
    pub ty: ColumnType,
}

/// A declared relation.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationSchema {
    /// The relation's name, as declared.
    pub name: String,
    /// Input, output, table or scratch.
    pub kind: RelationKind,
    /// The columns in order.
    pub columns: Vec<ColumnSchema>,
}

impl RelationSchema {
    /// The number of columns.
    pub fn arity(&self) -> usize {
        self.columns.len()
    }
}

/// A whole program, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Every declared relation; [`RelId`] indexes this.
    pub relations: Vec<RelationSchema>,
    /// The lattice types that [`ColumnType::Lattice`] names.
    pub lattices: LatticeTypes,
    /// Facts written in the program: they hold in the first tick (and, for tables,
    /// persist from there like any other tuple).
    pub facts: Vec<Fact>,
    /// Strata in evaluation order: each reads only relations completed by earlier
    /// strata or derived in itself.
    pub strata: Vec<Stratum>,
}

/// A ground tuple written in the program text.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// The relation the fact belongs to.
    pub rel: RelId,
    /// One value per column, of the column's type.
    pub values: Vec<Const>,
}

/// A set of rules evaluated together to a fixpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Stratum {
    /// The relations whose same-tick tuples this stratum derives.
    pub relations: Vec<RelId>,
    /// Whether some rule of the stratum reads a relation of the stratum, so that
    /// evaluation must iterate (semi-naively) to a fixpoint.
    pub recursive: bool,
    /// The rules whose head is in this stratum (including `@next` and `delete` heads,
    /// which are placed after the strata they read).
    pub rules: Vec<RulePlan>,
}

/// One rule, planned.
#[derive(Clone, Debug, PartialEq)]
pub struct RulePlan {
    /// The rule's source text, for logs and for comments in generated code.
    pub source: String,
    /// The type of each slot; `slots.len()` is the number of slots the plans use.
    pub slots: Vec<ColumnType>,
    /// What a satisfying assignment produces.
    pub head: Head,
    /// The plan that reads every body relation in full: run once when the stratum
    /// starts.
    pub full: JoinPlan,
    /// Semi-naive variants, one per body atom over a relation of this same recursive
    /// stratum: in variant `i` that atom reads [`Version::Delta`]. Run on every
    /// iteration after the first, until no variant derives a new tuple. Empty for
    /// rules of non-recursive strata.
    pub deltas: Vec<JoinPlan>,
}

/// A pipeline of steps; every assignment that survives all steps reaches the head.
#[derive(Clone, Debug, PartialEq)]
pub struct JoinPlan {
    /// The steps in the order they run.
    pub steps: Vec<Step>,
}

/// One step of a join pipeline.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// For each tuple of `rel` (in `version`) that matches `args`, continue.
    Scan {
        /// The relation read.
        rel: RelId,
        /// All tuples, or only those new in the previous iteration.
        version: Version,
        /// One per column.
        args: Vec<Arg>,
    },
    /// Continue only if no tuple of `rel` matches `args` (stratified negation; `rel`
    /// is complete by now). `args` never contains [`Arg::Bind`].
    Absent {
        /// The relation that must hold no match.
        rel: RelId,
        /// One per column.
        args: Vec<Arg>,
    },
    /// Continue only if the comparison holds.
    Filter {
        /// The comparison.
        op: CmpOp,
        /// The type both sides have.
        ty: ColumnType,
        /// Left side.
        lhs: Expr,
        /// Right side.
        rhs: Expr,
    },
    /// For each element of the set `set`, binds it to the unbound `slot` and
    /// continues (`x in s`).
    Unnest {
        /// The slot written.
        slot: u32,
        /// The set, a value of a `Set<T>` lattice.
        set: Expr,
    },
    /// Evaluates `expr` into the unbound `slot`; drops the assignment if the
    /// arithmetic fails (overflow, division by zero).
    Let {
        /// The slot written.
        slot: u32,
        /// The value.
        expr: Expr,
    },
}

/// Which tuples of a relation a scan reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// Every tuple derived so far.
    Full,
    /// Only the tuples first derived in the previous iteration of the stratum.
    Delta,
}

/// How a scan or negation treats one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Binds the column's value to this (so far unbound) slot.
    Bind(u32),
    /// The column must equal the expression, which reads only slots bound by earlier
    /// steps. Such columns form the key of the index that serves the scan.
    Eq(Expr),
    /// Any value (a wildcard).
    Any,
}

/// A value computed from slots and constants.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// The value bound to a slot.
    Slot(u32),
    /// A constant.
    Const(Const),
    /// Arithmetic negation (`-x`) of a signed or float value.
    Neg {
        /// The type of operand and result (`i64` or `f64`).
        ty: ColumnType,
        /// The operand.
        arg: Box<Expr>,
    },
    /// Binary arithmetic on two values of type `ty`, with a result of type `ty`. When
    /// `ty` is a `Max` or `Min` lattice, `lhs` is a value of it and `rhs` its element:
    /// the element is added to the lattice's value (`d + w`), which stays monotone.
    Binary {
        /// The operator.
        op: ArithOp,
        /// The type of both operands and of the result (numeric).
        ty: ColumnType,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// A lattice operation; drops the assignment when the result is undefined.
    Call {
        /// The operation.
        op: Operation,
        /// The arguments, of types `arg_types`.
        args: Vec<Expr>,
        /// The type of each argument.
        arg_types: Vec<ColumnType>,
        /// The result's type.
        ty: ColumnType,
    },
    /// A lattice value built from its parts (`lww(t, w, v)`).
    Construct {
        /// The constructor.
        ctor: Constructor,
        /// The arguments, typed as the constructor of `ty` takes them.
        args: Vec<Expr>,
        /// The lattice built.
        ty: LatticeId,
    },
    /// A scalar lifted into a lattice that takes it (`Max`, `Min`, `Bool`, or a `Set`
    /// of one element).
    Lift {
        /// The lattice.
        ty: LatticeId,
        /// The scalar.
        arg: Box<Expr>,
    },
}

/// Arithmetic operators. Integer arithmetic is checked: an overflow or a division by
/// zero drops the assignment rather than wrapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (integer division truncates toward zero)
    Div,
    /// `%`
    Rem,
}

/// Comparison operators. In source, `=` binds an unbound variable on one side and
/// tests equality otherwise; in the IR it only tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=` between two bound sides
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

impl ArithOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
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
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
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

/// When the head's tuples take effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Timing {
    /// In this tick (a plain head).
    Now,
    /// Inserted at the start of the next tick (`@next`).
    Next,
    /// Removed at the start of the next tick (`delete`), before `@next` inserts.
    Delete,
}

/// The head of a planned rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    /// The relation written.
    pub rel: RelId,
    /// When the tuples take effect.
    pub timing: Timing,
    /// One per column of `rel`.
    pub columns: Vec<HeadColumn>,
    /// For rules with an aggregate: the slots of every named body variable. An
    /// aggregate ranges over the distinct values of this slot vector (the distinct
    /// satisfying assignments), grouped by the [`HeadColumn::Value`] columns. Empty
    /// for rules without aggregates.
    pub distinct: Vec<u32>,
}

impl Head {
    /// Whether some column aggregates.
    pub fn is_aggregate(&self) -> bool {
        self.columns
            .iter()
            .any(|c| matches!(c, HeadColumn::Aggregate { .. }))
    }
}

/// One column of a head.
#[derive(Clone, Debug, PartialEq)]
pub enum HeadColumn {
    /// The column's value (a group key when the head aggregates).
    Value(Expr),
    /// An aggregate over the group's distinct assignments.
    Aggregate {
        /// Which aggregate.
        func: AggFunc,
        /// The type of `arg` (the column's type is `u64` for `count`, `ty` otherwise).
        ty: ColumnType,
        /// The aggregated value of each assignment.
        arg: Expr,
    },
}

/// Aggregate functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggFunc {
    /// The number of distinct assignments in the group (a `u64`).
    Count,
    /// The sum of `arg` over the group's assignments (checked; an overflowing group is
    /// dropped).
    Sum,
    /// The least `arg`.
    Min,
    /// The greatest `arg`.
    Max,
}

impl AggFunc {
    /// The aggregate's name in Hydro source.
    pub fn name(self) -> &'static str {
        match self {
            AggFunc::Count => "count",
            AggFunc::Sum => "sum",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
        }
    }

    /// Parses an aggregate's name.
    pub fn from_name(name: &str) -> Option<AggFunc> {
        Some(match name {
            "count" => AggFunc::Count,
            "sum" => AggFunc::Sum,
            "min" => AggFunc::Min,
            "max" => AggFunc::Max,
            _ => return None,
        })
    }
}
