//! The raw programs proptest generates and shrinks: plain numbers and small trees with
//! no constraints between them, which [`super::build`] turns into valid programs. Sizes
//! and weights here decide what the generated programs look like.

use proptest::prelude::*;

use super::{Mode, DOMAIN, VARS};
use crate::program::{AggFunc, ArithOp, CmpOp, Type};

/// A raw program: see the module documentation.
#[derive(Clone, Debug)]
pub(super) struct RawProgram {
    pub(super) ty: Type,
    /// Whether input values include the type's extremes.
    pub(super) extremes: bool,
    /// Whether the first tick also feeds a chain `0 -> 1 -> ... -> 7` to the first
    /// binary input, so that recursion takes several rounds to converge.
    pub(super) chain: bool,
    pub(super) inputs: Vec<usize>,
    pub(super) derived: Vec<RawRelation>,
    pub(super) rules: Vec<RawRule>,
    pub(super) facts: Vec<RawTuple>,
    pub(super) ticks: Vec<Vec<RawTuple>>,
}

#[derive(Clone, Debug)]
pub(super) struct RawRelation {
    pub(super) arity: usize,
    pub(super) level: usize,
    pub(super) kind: usize,
    /// The aggregate every rule for the relation uses, its column, and a second
    /// aggregate in the next column (for relations of three columns).
    pub(super) aggregate: Option<(AggFunc, usize, Option<AggFunc>)>,
}

#[derive(Clone, Debug)]
pub(super) struct RawTuple {
    pub(super) rel: usize,
    pub(super) values: [u64; 3],
}

#[derive(Clone, Debug)]
pub(super) struct RawRule {
    pub(super) head: usize,
    pub(super) timing: usize,
    pub(super) atoms: Vec<RawAtom>,
    pub(super) negation: Option<RawAtom>,
    pub(super) bindings: Vec<RawExpr>,
    pub(super) comparisons: Vec<(CmpOp, RawExpr, RawExpr)>,
    pub(super) head_args: [RawExpr; 3],
}

#[derive(Clone, Debug)]
pub(super) struct RawAtom {
    pub(super) rel: usize,
    pub(super) args: [RawTerm; 3],
}

#[derive(Clone, Debug)]
pub(super) enum RawTerm {
    Var(usize),
    Const(u64),
    Wild,
}

#[derive(Clone, Debug)]
pub(super) enum RawExpr {
    Var(usize),
    Const(u64),
    Bin(Box<RawExpr>, ArithOp, Box<RawExpr>),
}

/// Raw programs of the given mode.
pub(super) fn raw_program(mode: Mode) -> impl Strategy<Value = RawProgram> {
    // Over ticks, fewer relations make `@next`, `delete` and same-tick rules meet on
    // the same table more often.
    let (ticks, derived) = match mode {
        Mode::SingleTick => (1..=1usize, 1..=4usize),
        Mode::Ticks => (1..=3usize, 1..=3usize),
    };
    let tick_input = prop::collection::vec(raw_tuple(), 0..=20);
    (
        (
            column_type(),
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.2),
        ),
        prop::collection::vec(arity(), 1..=3),
        prop::collection::vec(raw_relation(), derived),
        prop::collection::vec(raw_rule(), 1..=6),
        prop::collection::vec(raw_tuple(), 0..=3),
        prop::collection::vec(tick_input, ticks),
    )
        .prop_map(
            |((ty, chain, extremes), inputs, derived, rules, facts, ticks)| RawProgram {
                ty,
                extremes,
                chain,
                inputs,
                derived,
                rules,
                facts,
                ticks,
            },
        )
}

fn column_type() -> impl Strategy<Value = Type> {
    prop_oneof![5 => Just(Type::U64), 3 => Just(Type::I64), 2 => Just(Type::Str)]
}

pub(super) fn raw_relation() -> impl Strategy<Value = RawRelation> {
    (
        arity(),
        0..3usize,
        0..8usize,
        prop::option::weighted(
            0.25,
            (
                agg_func(),
                0..3usize,
                prop::option::weighted(0.3, agg_func()),
            ),
        ),
    )
        .prop_map(|(arity, level, kind, aggregate)| RawRelation {
            arity,
            level,
            kind,
            aggregate,
        })
}

/// Mostly binary relations, where joins are most interesting.
pub(super) fn arity() -> impl Strategy<Value = usize> {
    prop_oneof![4 => Just(2usize), 2 => Just(1), 1 => Just(3), 1 => Just(0)]
}

pub(super) fn raw_tuple() -> impl Strategy<Value = RawTuple> {
    (0..4usize, prop::array::uniform3(0..DOMAIN)).prop_map(|(rel, values)| RawTuple { rel, values })
}

pub(super) fn raw_term() -> impl Strategy<Value = RawTerm> {
    prop_oneof![
        7 => (0..VARS.len()).prop_map(RawTerm::Var),
        1 => (0..DOMAIN).prop_map(RawTerm::Const),
        1 => Just(RawTerm::Wild),
    ]
}

pub(super) fn arith_op() -> impl Strategy<Value = ArithOp> {
    prop_oneof![
        3 => Just(ArithOp::Add),
        2 => Just(ArithOp::Sub),
        2 => Just(ArithOp::Mul),
        1 => Just(ArithOp::Div),
        1 => Just(ArithOp::Rem),
    ]
}

pub(super) fn cmp_op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Lt),
        Just(CmpOp::Ne),
        Just(CmpOp::Eq),
        Just(CmpOp::Le),
        Just(CmpOp::Gt),
        Just(CmpOp::Ge),
    ]
}

pub(super) fn agg_func() -> impl Strategy<Value = AggFunc> {
    prop_oneof![
        Just(AggFunc::Count),
        Just(AggFunc::Sum),
        Just(AggFunc::Min),
        Just(AggFunc::Max),
    ]
}

/// A variable (mostly) or a constant.
pub(super) fn raw_leaf() -> impl Strategy<Value = RawExpr> {
    prop_oneof![
        3 => (0..8usize).prop_map(RawExpr::Var),
        1 => (0..DOMAIN).prop_map(RawExpr::Const),
    ]
}

pub(super) fn raw_bin(
    l: impl Strategy<Value = RawExpr>,
    r: impl Strategy<Value = RawExpr>,
) -> impl Strategy<Value = RawExpr> {
    (l, arith_op(), r).prop_map(|(l, op, r)| RawExpr::Bin(Box::new(l), op, Box::new(r)))
}

/// The expression of a `=` binding: mostly one operation, sometimes two or none.
pub(super) fn raw_binding() -> impl Strategy<Value = RawExpr> {
    prop_oneof![
        4 => raw_bin(raw_leaf(), raw_leaf()),
        1 => raw_leaf(),
        1 => raw_bin(raw_bin(raw_leaf(), raw_leaf()), raw_leaf()),
    ]
}

/// A side of a comparison: mostly a variable or constant, sometimes one operation.
pub(super) fn raw_operand() -> impl Strategy<Value = RawExpr> {
    prop_oneof![4 => raw_leaf(), 1 => raw_bin(raw_leaf(), raw_leaf())]
}

/// Head arguments: mostly plain variables, sometimes a constant or an operation.
pub(super) fn raw_head_arg() -> impl Strategy<Value = RawExpr> {
    prop_oneof![
        6 => (0..8usize).prop_map(RawExpr::Var),
        1 => (0..DOMAIN).prop_map(RawExpr::Const),
        1 => raw_bin(raw_leaf(), raw_leaf()),
    ]
}

pub(super) fn raw_atom() -> impl Strategy<Value = RawAtom> {
    (0..8usize, prop::array::uniform3(raw_term())).prop_map(|(rel, args)| RawAtom { rel, args })
}

pub(super) fn raw_rule() -> impl Strategy<Value = RawRule> {
    (
        (0..4usize, 0..4usize),
        // Plain sizes (not unions of sizes), so that shrinking can drop literals.
        prop::collection::vec(raw_atom(), 1..=3),
        prop::option::weighted(0.35, raw_atom()),
        prop::collection::vec(raw_binding(), 0..=2),
        prop::collection::vec((cmp_op(), raw_operand(), raw_operand()), 0..=2),
        prop::array::uniform3(raw_head_arg()),
    )
        .prop_map(
            |((head, timing), atoms, negation, bindings, comparisons, head_args)| RawRule {
                head,
                timing,
                atoms,
                negation,
                bindings,
                comparisons,
                head_args,
            },
        )
}
