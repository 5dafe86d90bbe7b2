//! The planner: chooses the order in which a rule's body is evaluated.
//!
//! A join plan scans the positive atoms one after the other, greedily: first the delta
//! atom (in a semi-naive variant) or else the atom with the most columns known in
//! advance, then each time the atom with the most columns bound by earlier steps, so
//! that every scan after the first is an index lookup on those columns whenever the
//! body allows. After each step, every comparison, binding and negation whose
//! variables are now bound runs at once, to drop assignments as early as possible.
//!
//! Ties are broken by the atom's position in the body, so a plan never depends on
//! variable names (and results never depend on the order chosen).

use std::cmp::Reverse;
use std::collections::BTreeSet;

use hydro_runtime::ir::{Arg, CmpOp, JoinPlan, RelId, Step, Version};
use hydro_runtime::value::ColumnType;

use super::rule::RuleCx;
use crate::check::CheckedProgram;
use crate::syntax::ast;

/// A rule body sorted by kind of literal, with relations resolved.
pub(super) struct Body<'a> {
    /// The positive atoms, in body order.
    pub(super) atoms: Vec<(RelId, &'a ast::Atom)>,
    /// The negated atoms, in body order.
    negated: Vec<(RelId, &'a ast::Atom)>,
    /// The comparisons and `=` bindings with their index in the body, in body order.
    compares: Vec<Compare<'a>>,
    /// The `x in s` literals, in body order.
    members: Vec<(&'a ast::Expr, &'a ast::Expr)>,
}

impl<'a> Body<'a> {
    /// Sorts the literals of `rule`'s body.
    pub(super) fn new(program: &CheckedProgram, rule: &'a ast::Rule) -> Body<'a> {
        let mut body = Body {
            atoms: Vec::new(),
            negated: Vec::new(),
            compares: Vec::new(),
            members: Vec::new(),
        };
        for (index, literal) in rule.body.iter().enumerate() {
            // The checker resolved every relation name, so `relation` finds each one.
            match literal {
                ast::Literal::Atom(atom) => {
                    if let Some(rel) = program.relation(&atom.name.name) {
                        body.atoms.push((rel, atom));
                    }
                }
                ast::Literal::Negated { atom, .. } => {
                    if let Some(rel) = program.relation(&atom.name.name) {
                        body.negated.push((rel, atom));
                    }
                }
                ast::Literal::Compare { op, lhs, rhs, .. } => body.compares.push(Compare {
                    index,
                    op: *op,
                    lhs,
                    rhs,
                }),
                ast::Literal::In { elem, set, .. } => body.members.push((elem, set)),
            }
        }
        body
    }
}

/// A comparison, or an `=` that binds or tests.
#[derive(Clone, Copy)]
struct Compare<'a> {
    /// The literal's index in the body.
    index: usize,
    op: ast::CmpOp,
    lhs: &'a ast::Expr,
    rhs: &'a ast::Expr,
}

/// A body literal (or a check a scan left behind) not yet placed in the plan.
enum Pending<'a> {
    /// A comparison, or an `=` that binds or tests.
    Compare(Compare<'a>),
    /// A negated atom.
    Negated(RelId, &'a ast::Atom),
    /// `elem in set`: binds `elem` to each element, or tests membership.
    In(&'a ast::Expr, &'a ast::Expr),
    /// A scan bound a column to the fresh `slot` because its argument `expr` (a
    /// variable repeated in the atom, or an expression) could not be computed before
    /// the scan; the column must equal `expr`.
    SlotEq {
        slot: u32,
        ty: ColumnType,
        expr: &'a ast::Expr,
    },
}

/// Plans the body once: the full plan when `delta` is `None`, else the semi-naive
/// variant in which `body.atoms[delta]` reads the delta of its relation.
pub(super) fn plan_join<'a>(
    cx: &mut RuleCx<'a>,
    body: &Body<'a>,
    delta: Option<usize>,
) -> JoinPlan {
    let mut planner = Planner {
        cx,
        bound: BTreeSet::new(),
        steps: Vec::new(),
        pending: body
            .compares
            .iter()
            .map(|&compare| Pending::Compare(compare))
            .chain(
                body.negated
                    .iter()
                    .map(|&(rel, atom)| Pending::Negated(rel, atom)),
            )
            .chain(
                body.members
                    .iter()
                    .map(|&(elem, set)| Pending::In(elem, set)),
            )
            .collect(),
    };

    // Checks on constants and bindings of constants (`x = 3`) need no scan.
    planner.place_ready();

    // Semi-naive: the delta atom runs first, so every assignment of the variant uses a
    // tuple new in the previous iteration.
    let mut remaining: Vec<usize> = (0..body.atoms.len()).collect();
    if let Some(first) = delta {
        remaining.retain(|&i| i != first);
        if let Some(&(rel, atom)) = body.atoms.get(first) {
            planner.scan(rel, atom, Version::Delta);
            planner.place_ready();
        }
    }

    // Greedy join order: the atom with the most columns bound so far next.
    while let Some(position) = planner.best_atom(body, &remaining) {
        let index = remaining.remove(position);
        let (rel, atom) = body.atoms[index];
        planner.scan(rel, atom, Version::Full);
        planner.place_ready();
    }

    // The checker guarantees that every variable is bound by now (range restriction),
    // so nothing is left; should something be, it runs last rather than vanishing.
    if !planner.pending.is_empty() {
        tracing::error!(
            left = planner.pending.len(),
            "literals with unbound variables after the last scan"
        );
        for item in std::mem::take(&mut planner.pending) {
            planner.place(item);
        }
    }
    JoinPlan {
        steps: planner.steps,
    }
}

struct Planner<'p, 'a> {
    cx: &'p mut RuleCx<'a>,
    /// The named variables bound by the steps so far.
    bound: BTreeSet<&'a str>,
    steps: Vec<Step>,
    /// Literals not placed yet, in the order they are tried.
    pending: Vec<Pending<'a>>,
}

impl<'a> Planner<'_, 'a> {
    /// Whether every variable of `expr` is bound (true for constants).
    fn is_bound(&self, expr: &ast::Expr) -> bool {
        let mut all = true;
        expr.for_each_var(&mut |v| all &= self.bound.contains(v.name.as_str()));
        all
    }

    /// The position in `remaining` of the atom to scan next, if any is left.
    ///
    /// Preference: an atom sharing a bound variable (over a cross product), then the
    /// most bound columns (variables or constants: the longest index key), then the
    /// fewest free columns, then the first in the body.
    fn best_atom(&self, body: &Body<'a>, remaining: &[usize]) -> Option<usize> {
        remaining
            .iter()
            .enumerate()
            .max_by_key(|&(_, &index)| {
                let atom = body.atoms[index].1;
                let mut shares = false;
                let mut bound_columns = 0usize;
                let mut free_columns = 0usize;
                for arg in &atom.args {
                    if matches!(arg, ast::Expr::Wildcard(_)) {
                        continue;
                    }
                    if self.is_bound(arg) {
                        bound_columns += 1;
                        arg.for_each_var(&mut |_| shares = true);
                    } else {
                        free_columns += 1;
                    }
                }
                (shares, bound_columns, Reverse(free_columns), Reverse(index))
            })
            .map(|(position, _)| position)
    }

    /// Adds a scan of `atom`, binding its unbound variables.
    fn scan(&mut self, rel: RelId, atom: &'a ast::Atom, version: Version) {
        let mut in_atom: BTreeSet<&'a str> = BTreeSet::new();
        let mut checks = Vec::new();
        let mut args = Vec::with_capacity(atom.args.len());
        for (column, arg) in atom.args.iter().enumerate() {
            let ty = self.cx.column_type(rel, column);
            let lowered = match arg {
                ast::Expr::Wildcard(_) => Arg::Any,

                // The first occurrence of an unbound variable binds its slot.
                ast::Expr::Var(v)
                    if !self.bound.contains(v.name.as_str())
                        && !in_atom.contains(v.name.as_str()) =>
                {
                    in_atom.insert(v.name.as_str());
                    Arg::Bind(self.cx.var_slot(&v.name))
                }

                // A variable or expression bound before the scan is part of the index
                // key; constants fold into `Arg::Eq(Const)`.
                _ if self.is_bound(arg) => Arg::Eq(self.cx.lower_expr(arg, ty)),

                // A variable repeated in this atom, or an expression over variables
                // this scan binds: bind a fresh slot and check equality afterwards.
                _ => {
                    let slot = self.cx.fresh_slot(ty);
                    checks.push(Pending::SlotEq {
                        slot,
                        ty,
                        expr: arg,
                    });
                    Arg::Bind(slot)
                }
            };
            args.push(lowered);
        }
        self.bound.extend(in_atom);
        self.steps.push(Step::Scan { rel, version, args });

        // The scan's own checks are tried first: they are cheap and usually ready.
        self.pending.splice(0..0, checks);
    }

    /// Places every pending literal whose variables are bound, repeating until none
    /// is ready (a `Let` can make others ready).
    fn place_ready(&mut self) {
        while let Some(position) = self.pending.iter().position(|p| self.is_ready(p)) {
            let item = self.pending.remove(position);
            self.place(item);
        }
    }

    fn is_ready(&self, item: &Pending<'a>) -> bool {
        match item {
            Pending::Compare(Compare { op, lhs, rhs, .. }) => {
                let both = self.is_bound(lhs) && self.is_bound(rhs);
                both || (*op == ast::CmpOp::Eq && self.binding(lhs, rhs).is_some())
            }
            Pending::Negated(_, atom) => atom.args.iter().all(|a| self.is_bound(a)),
            Pending::In(elem, set) => {
                self.is_bound(set) && (self.is_bound(elem) || matches!(elem, ast::Expr::Var(_)))
            }
            Pending::SlotEq { expr, .. } => self.is_bound(expr),
        }
    }

    /// For `x = e` or `e = x` with `x` unbound and `e` bound: `x` and `e`.
    fn binding(
        &self,
        lhs: &'a ast::Expr,
        rhs: &'a ast::Expr,
    ) -> Option<(&'a ast::Ident, &'a ast::Expr)> {
        let unbound_var = |e: &'a ast::Expr| match e {
            ast::Expr::Var(v) if !self.bound.contains(v.name.as_str()) => Some(v),
            _ => None,
        };
        match (unbound_var(lhs), unbound_var(rhs)) {
            (Some(v), None) if self.is_bound(rhs) => Some((v, rhs)),
            (None, Some(v)) if self.is_bound(lhs) => Some((v, lhs)),
            _ => None,
        }
    }

    /// "`x in s` binds `x` to each element of `s` when `x` is unbound; otherwise it
    /// tests membership."
    fn member(&mut self, elem: &'a ast::Expr, set: &'a ast::Expr) -> Step {
        let set_ty = self.cx.expr_type(set).unwrap_or(ColumnType::U64);
        let set_ir = self.cx.lower_expr(set, set_ty);
        if let ast::Expr::Var(v) = elem {
            if !self.bound.contains(v.name.as_str()) {
                self.bound.insert(v.name.as_str());
                return Step::Unnest {
                    slot: self.cx.var_slot(&v.name),
                    set: set_ir,
                };
            }
        }
        let elem_ty = self.cx.expr_type(elem).unwrap_or(ColumnType::U64);
        let elem_ir = self.cx.lower_expr(elem, elem_ty);
        self.cx.membership(set_ir, set_ty, elem_ir, elem_ty)
    }

    /// Adds the step for one literal.
    fn place(&mut self, item: Pending<'a>) {
        // "`y = expr` binds `y` when `y` is unbound and `expr`'s variables are bound;
        // otherwise `=` tests equality."
        if let Pending::Compare(Compare {
            op: ast::CmpOp::Eq,
            lhs,
            rhs,
            ..
        }) = item
        {
            if let Some((var, value)) = self.binding(lhs, rhs) {
                let ty = self.cx.var_type(&var.name);
                self.bound.insert(var.name.as_str());
                self.steps.push(Step::Let {
                    slot: self.cx.var_slot(&var.name),
                    expr: self.cx.lower_expr(value, ty),
                });
                return;
            }
        }

        let step = match item {
            Pending::Compare(Compare {
                index,
                op,
                lhs,
                rhs,
            }) => {
                let ty = self.cx.compare_type(index, lhs, rhs);
                Step::Filter {
                    op,
                    ty,
                    lhs: self.cx.lower_expr(lhs, ty),
                    rhs: self.cx.lower_expr(rhs, ty),
                }
            }

            // Stratified negation: the relation is complete, so absence is decided.
            Pending::Negated(rel, atom) => Step::Absent {
                rel,
                args: atom
                    .args
                    .iter()
                    .enumerate()
                    .map(|(column, arg)| match arg {
                        ast::Expr::Wildcard(_) => Arg::Any,
                        _ => Arg::Eq(self.cx.lower_expr(arg, self.cx.column_type(rel, column))),
                    })
                    .collect(),
            },
            Pending::In(elem, set) => self.member(elem, set),
            Pending::SlotEq { slot, ty, expr } => Step::Filter {
                op: CmpOp::Eq,
                ty,
                lhs: hydro_runtime::ir::Expr::Slot(slot),
                rhs: self.cx.lower_expr(expr, ty),
            },
        };
        self.steps.push(step);
    }
}
