//! Builders for hand-written plans, and helpers to run them.

use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::ir::{
    Arg, ArithOp, CmpOp, ColumnSchema, Expr, Head, HeadColumn, JoinPlan, Plan, RelId, RelationKind,
    RelationSchema, RulePlan, Step, Stratum, Timing, Version,
};
use hydro_runtime::value::{ColumnType, Const};

pub use ColumnType::{String as Str, F64, I64, U64};

/// A relation named `name` with one column per type.
pub fn relation(name: &str, kind: RelationKind, types: &[ColumnType]) -> RelationSchema {
    RelationSchema {
        name: name.to_owned(),
        kind,
        columns: types
            .iter()
            .enumerate()
            .map(|(i, &ty)| ColumnSchema {
                name: format!("c{i}"),
                ty,
            })
            .collect(),
    }
}

/// Reads every tuple of `rel` in full.
pub fn scan(rel: u32, args: Vec<Arg>) -> Step {
    Step::Scan {
        rel: RelId(rel),
        version: Version::Full,
        args,
    }
}

/// Reads the delta of `rel`.
pub fn delta(rel: u32, args: Vec<Arg>) -> Step {
    Step::Scan {
        rel: RelId(rel),
        version: Version::Delta,
        args,
    }
}

/// `!rel(args)`.
pub fn absent(rel: u32, args: Vec<Arg>) -> Step {
    Step::Absent {
        rel: RelId(rel),
        args,
    }
}

/// `lhs op rhs` on values of type `ty`.
pub fn filter(op: CmpOp, ty: ColumnType, lhs: Expr, rhs: Expr) -> Step {
    Step::Filter { op, ty, lhs, rhs }
}

/// `slot = expr`.
pub fn let_(slot: u32, expr: Expr) -> Step {
    Step::Let { slot, expr }
}

/// Binds a column to a slot.
pub fn bind(slot: u32) -> Arg {
    Arg::Bind(slot)
}

/// A column equal to a bound slot.
pub fn eq(slot: u32) -> Arg {
    Arg::Eq(Expr::Slot(slot))
}

/// A column equal to a constant.
pub fn eq_const(value: Const) -> Arg {
    Arg::Eq(Expr::Const(value))
}

/// A wildcard column.
pub fn any() -> Arg {
    Arg::Any
}

/// The value of a slot.
pub fn slot(slot: u32) -> Expr {
    Expr::Slot(slot)
}

/// A constant expression.
pub fn constant(value: Const) -> Expr {
    Expr::Const(value)
}

/// `lhs op rhs` of type `ty`.
pub fn binary(op: ArithOp, ty: ColumnType, lhs: Expr, rhs: Expr) -> Expr {
    Expr::Binary {
        op,
        ty,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    }
}

/// A plain head `rel(columns)` with the given timing.
pub fn head_at(rel: u32, timing: Timing, columns: Vec<Expr>) -> Head {
    Head {
        rel: RelId(rel),
        timing,
        columns: columns.into_iter().map(HeadColumn::Value).collect(),
        distinct: Vec::new(),
    }
}

/// A plain head that takes effect in this tick.
pub fn head(rel: u32, columns: Vec<Expr>) -> Head {
    head_at(rel, Timing::Now, columns)
}

/// A rule with its full plan and delta variants.
pub fn rule(
    source: &str,
    slots: Vec<ColumnType>,
    head: Head,
    full: Vec<Step>,
    deltas: Vec<Vec<Step>>,
) -> RulePlan {
    RulePlan {
        source: source.to_owned(),
        slots,
        head,
        full: JoinPlan { steps: full },
        deltas: deltas.into_iter().map(|steps| JoinPlan { steps }).collect(),
    }
}

/// A stratum deriving `relations`.
pub fn stratum(relations: &[u32], recursive: bool, rules: Vec<RulePlan>) -> Stratum {
    Stratum {
        relations: relations.iter().map(|&r| RelId(r)).collect(),
        recursive,
        rules,
    }
}

/// A `u64` constant.
pub fn u(value: u64) -> Const {
    Const::U64(value)
}

/// An `i64` constant.
pub fn i(value: i64) -> Const {
    Const::I64(value)
}

/// A `string` constant.
pub fn s(value: &str) -> Const {
    Const::String(value.to_owned())
}

/// An `f64` constant.
pub fn f(value: f64) -> Const {
    Const::F64(value)
}

/// Pushes every tuple as input of `rel`.
pub fn push_all(engine: &mut Interpreter, rel: u32, tuples: &[Vec<Const>]) {
    for tuple in tuples {
        engine
            .push_input(RelId(rel), tuple.clone())
            .expect("the test's input matches its relation");
    }
}

/// Runs `plan` for one tick with `input` (relation, tuples) and returns every
/// output relation's tuples, sorted, by relation id.
pub fn run_once(plan: Plan, input: &[(u32, Vec<Vec<Const>>)]) -> Vec<(u32, Vec<Vec<Const>>)> {
    let mut engine = Interpreter::new(plan);
    for (rel, tuples) in input {
        push_all(&mut engine, *rel, tuples);
    }
    let report = run_ticks(&mut engine, 1);
    report
        .emitted
        .into_iter()
        .map(|(rel, tuples)| (rel.0, tuples.into_iter().collect()))
        .collect()
}

/// The sorted tuples `rel` emitted in a tick's output.
pub fn emitted(output: &hydro_runtime::engine::TickOutput, rel: u32) -> Vec<Vec<Const>> {
    let mut tuples: Vec<Vec<Const>> = output
        .outputs
        .iter()
        .filter(|(r, _)| r.0 == rel)
        .flat_map(|(_, tuples)| tuples.iter().cloned())
        .collect();
    tuples.sort();
    tuples
}

/// Rows of `u64` values as constants.
pub fn rows(rows: &[&[u64]]) -> Vec<Vec<Const>> {
    rows.iter()
        .map(|row| row.iter().map(|&v| u(v)).collect())
        .collect()
}
