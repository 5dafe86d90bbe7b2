//! The reference evaluator: the brief's semantics written as plainly as possible, to
//! be trusted by reading. Naive bottom-up evaluation: within a tick, each level of
//! relations is evaluated by applying all its rules to the whole database until
//! nothing new appears; a rule's satisfying assignments are enumerated by joining its
//! positive atoms left to right, then firing its `=` bindings, then testing its
//! comparisons and negations. No deltas, no indexes, no planning.

use std::collections::{BTreeMap, BTreeSet};

use crate::program::{
    AggFunc, ArithOp, Atom, CmpOp, Expr, HeadArg, Kind, Literal, Program, Rule, Term, TickInput,
    Timing, Type, Value,
};

/// The tuples of each relation, by name.
pub type Db = BTreeMap<String, BTreeSet<Vec<Value>>>;

/// Values of a rule's named variables.
type Binding = BTreeMap<String, Value>;

/// A bound on the size of a database, far above what generated programs reach: a
/// generator bug that made a program diverge fails loudly instead of hanging.
const MAX_TUPLES: usize = 200_000;

/// Runs `ticks` ticks of `program`, the first ones fed with `inputs` (later ticks get
/// no input), and returns for each tick the tuples of every `output` relation.
pub fn run(program: &Program, inputs: &[TickInput], ticks: usize) -> Vec<Db> {
    let mut tables = Db::new();
    let mut pending_deletes = Db::new();
    let mut pending_inserts = Db::new();
    let mut reports = Vec::new();
    for tick in 0..ticks {
        // (1) Start from the tables; apply pending deletes, then pending `@next` inserts,
        // then this tick's input, and in the first tick the program's facts.
        let mut db: Db = program
            .relations
            .iter()
            .map(|r| (r.name.clone(), BTreeSet::new()))
            .collect();
        for (rel, tuples) in &tables {
            db.insert(rel.clone(), tuples.clone());
        }
        for (rel, tuples) in std::mem::take(&mut pending_deletes) {
            let set = db.entry(rel).or_default();
            for t in tuples {
                set.remove(&t);
            }
        }
        for (rel, tuples) in std::mem::take(&mut pending_inserts) {
            db.entry(rel).or_default().extend(tuples);
        }
        if let Some(input) = inputs.get(tick) {
            for (rel, tuples) in input {
                db.entry(rel.clone())
                    .or_default()
                    .extend(tuples.iter().cloned());
            }
        }
        if tick == 0 {
            for (rel, values) in &program.facts {
                db.entry(rel.clone()).or_default().insert(values.clone());
            }
        }

        // (2) Run the levels in order, each to its fixpoint.
        evaluate_levels(program, &mut db);

        // (3) Report the outputs.
        reports.push(of_kind(program, &db, Kind::Output));

        // `@next` and `delete` heads read the completed tick and take effect in the next.
        for rule in &program.rules {
            let pending = match rule.timing {
                Timing::Now => continue,
                Timing::Next => &mut pending_inserts,
                Timing::Delete => &mut pending_deletes,
            };
            let derived = derive(rule, &db, program.ty);
            pending
                .entry(rule.head_rel.clone())
                .or_default()
                .extend(derived);
        }

        // (4) Only tables survive the tick.
        tables = of_kind(program, &db, Kind::Table);
    }
    reports
}

/// Evaluates the same-tick rules level by level, each level to its fixpoint, on top of
/// the tuples already in `db`.
pub fn evaluate_levels(program: &Program, db: &mut Db) {
    let top = program.relations.iter().map(|r| r.level).max().unwrap_or(0);
    for level in 1..=top {
        let rules: Vec<&Rule> = program
            .rules
            .iter()
            .filter(|r| r.timing == Timing::Now && program.relation(&r.head_rel).level == level)
            .collect();
        loop {
            let mut changed = false;
            for rule in &rules {
                for tuple in derive(rule, db, program.ty) {
                    changed |= db.entry(rule.head_rel.clone()).or_default().insert(tuple);
                }
            }
            let size: usize = db.values().map(BTreeSet::len).sum();
            assert!(size < MAX_TUPLES, "the reference diverged: a generator bug");
            if !changed {
                break;
            }
        }
    }
}

fn of_kind(program: &Program, db: &Db, kind: Kind) -> Db {
    program
        .relations
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| (r.name.clone(), db.get(&r.name).cloned().unwrap_or_default()))
        .collect()
}

/// The head tuples a rule derives from `db`.
pub fn derive(rule: &Rule, db: &Db, ty: Type) -> BTreeSet<Vec<Value>> {
    let assignments = satisfying_assignments(rule, db, ty);
    let has_aggregate = rule.head.iter().any(|a| matches!(a, HeadArg::Agg(..)));
    if !has_aggregate {
        // One tuple per assignment whose head expressions all evaluate.
        return assignments
            .iter()
            .filter_map(|b| {
                rule.head
                    .iter()
                    .map(|arg| match arg {
                        HeadArg::Expr(e) => eval(e, b, ty),
                        HeadArg::Agg(..) => unreachable!("no aggregate in this head"),
                    })
                    .collect::<Option<Vec<Value>>>()
            })
            .collect();
    }

    // Group the distinct assignments by the values of the non-aggregate head arguments,
    // keeping for each the values of the aggregates' arguments; an assignment whose key
    // or arguments do not evaluate (checked arithmetic) is dropped, joining no group.
    let mut groups: BTreeMap<Vec<Value>, Vec<Vec<Value>>> = BTreeMap::new();
    for b in &assignments {
        let mut key = Vec::new();
        let mut args = Vec::new();
        for arg in &rule.head {
            let (into, e) = match arg {
                HeadArg::Expr(e) => (&mut key, e),
                HeadArg::Agg(_, e) => (&mut args, e),
            };
            match eval(e, b, ty) {
                Some(v) => into.push(v),
                None => break,
            }
        }
        if key.len() + args.len() == rule.head.len() {
            groups.entry(key).or_default().push(args);
        }
    }

    // Each group yields one tuple: its key with each aggregate computed over the group's
    // assignments (one value per distinct assignment, not per distinct value).
    let mut out = BTreeSet::new();
    'groups: for (key, members) in groups {
        let (mut key, mut aggregate) = (key.into_iter(), 0);
        let mut tuple = Vec::new();
        for arg in &rule.head {
            match arg {
                HeadArg::Expr(_) => tuple.push(key.next().expect("one key value per column")),
                HeadArg::Agg(func, _) => {
                    let at = aggregate;
                    aggregate += 1;
                    let values = members.iter().map(|args| args[at]);
                    let value = match func {
                        AggFunc::Count => Some(members.len() as Value),
                        // Exact: only a total outside the type drops the group.
                        AggFunc::Sum => ty.check(values.sum()),
                        AggFunc::Min => values.min(),
                        AggFunc::Max => values.max(),
                    };
                    match value {
                        Some(v) => tuple.push(v),
                        None => continue 'groups,
                    }
                }
            }
        }
        out.insert(tuple);
    }
    out
}

/// Every distinct assignment of the rule's named variables that satisfies its body.
pub fn satisfying_assignments(rule: &Rule, db: &Db, ty: Type) -> BTreeSet<Binding> {
    // Join the positive atoms, left to right.
    let mut bindings = vec![Binding::new()];
    for lit in &rule.body {
        if let Literal::Pos(atom) = lit {
            let tuples = db.get(&atom.rel).cloned().unwrap_or_default();
            bindings = bindings
                .iter()
                .flat_map(|b| tuples.iter().filter_map(move |t| unify(atom, t, b)))
                .collect();
        }
    }

    // Fire the `=` bindings (each once its expression's variables are bound), then keep
    // the assignments that pass every comparison and negation.
    bindings
        .into_iter()
        .filter_map(|b| bind_assignments(rule, b, ty))
        .filter(|b| {
            rule.body.iter().all(|lit| match lit {
                Literal::Pos(_) | Literal::Assign(..) => true,
                Literal::Cmp(l, op, r) => match (eval(l, b, ty), eval(r, b, ty)) {
                    (Some(l), Some(r)) => compare(l, *op, r),
                    _ => false,
                },
                Literal::Neg(atom) => {
                    let tuples = db.get(&atom.rel).cloned().unwrap_or_default();
                    !tuples.iter().any(|t| unify(atom, t, b).is_some())
                }
            })
        })
        .collect()
}

/// Extends `b` so that `atom` matches `tuple`, if it can: constants must be equal,
/// bound variables must agree, unbound variables take the tuple's value.
fn unify(atom: &Atom, tuple: &[Value], b: &Binding) -> Option<Binding> {
    assert_eq!(atom.args.len(), tuple.len(), "arity of {}", atom.rel);
    let mut b = b.clone();
    for (term, &value) in atom.args.iter().zip(tuple) {
        match term {
            Term::Wild => {}
            Term::Const(c) if *c == value => {}
            Term::Const(_) => return None,
            Term::Var(v) => match b.get(v) {
                Some(&bound) if bound != value => return None,
                Some(_) => {}
                None => {
                    b.insert(v.clone(), value);
                }
            },
        }
    }
    Some(b)
}

/// Fires the rule's `v = e` literals on `b`; `None` when one of them fails (its
/// expression overflows or divides by zero, or `v` was already bound to another value).
fn bind_assignments(rule: &Rule, mut b: Binding, ty: Type) -> Option<Binding> {
    let mut pending: Vec<(&String, &Expr)> = rule
        .body
        .iter()
        .filter_map(|lit| match lit {
            Literal::Assign(v, e) => Some((v, e)),
            _ => None,
        })
        .collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|(_, e)| {
            let mut vars = BTreeSet::new();
            e.collect_vars(&mut vars);
            vars.iter().all(|v| b.contains_key(v))
        });
        let (var, expr) = pending.remove(ready.expect("generated rules are range-restricted"));
        let value = eval(expr, &b, ty)?;
        match b.get(var) {
            Some(&bound) if bound != value => return None,
            Some(_) => {}
            None => {
                b.insert(var.clone(), value);
            }
        }
    }
    Some(b)
}

/// Evaluates an expression with checked arithmetic in `ty`: `None` when a result falls
/// outside the type (overflow, a negative u64) or on division by zero. The operands
/// are exact in `Value`, where `/` truncates toward zero and `%` takes the sign of the
/// dividend, as Rust's integer operators do.
pub fn eval(e: &Expr, b: &Binding, ty: Type) -> Option<Value> {
    match e {
        Expr::Var(v) => Some(*b.get(v).expect("generated rules are range-restricted")),
        Expr::Const(c) => Some(*c),
        Expr::Bin(l, op, r) => {
            let (l, r) = (eval(l, b, ty)?, eval(r, b, ty)?);
            let exact = match op {
                ArithOp::Add => l + r,
                ArithOp::Sub => l - r,
                ArithOp::Mul => l.checked_mul(r)?,
                ArithOp::Div => l.checked_div(r)?,
                ArithOp::Rem => l.checked_rem(r)?,
            };
            ty.check(exact)
        }
    }
}

fn compare(l: Value, op: CmpOp, r: Value) -> bool {
    match op {
        CmpOp::Eq => l == r,
        CmpOp::Ne => l != r,
        CmpOp::Lt => l < r,
        CmpOp::Le => l <= r,
        CmpOp::Gt => l > r,
        CmpOp::Ge => l >= r,
    }
}
