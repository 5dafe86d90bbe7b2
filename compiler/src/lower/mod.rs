//! Lowering and planning: turns a [`CheckedProgram`] into the runtime's
//! [`Plan`](hydro_runtime::ir::Plan): slots for variables, a join order per rule, the
//! index each scan uses, and semi-naive delta variants for recursive strata.
//!
//! The work is split by concern: this file maps the program's declarations, facts and
//! strata one to one; [`rule`] lowers one rule (slots, expressions, head); [`order`]
//! is the planner that chooses the join order; [`source`] prints a rule back as
//! canonical source text (kept in the plan for logs); [`display`] renders a plan as
//! text for snapshots and debugging.
//!
//! Lowering is deterministic: the plan depends only on the checked program, never on
//! hash order. It never fails on a program the checker accepted.

mod display;
mod order;
mod rule;
pub(crate) mod source;
#[cfg(test)]
mod tests;

pub use display::render_plan;
pub use source::{print_expr, print_rule};

use hydro_runtime::ir::{ColumnSchema, Fact, Plan, RelationSchema, Stratum};

use crate::check::CheckedProgram;

/// Plans a checked program.
pub fn lower(program: &CheckedProgram) -> Plan {
    let started = std::time::Instant::now();

    // Relations keep their declaration order, so a `RelId` means the same relation in
    // the checked program and in the plan.
    let relations = program
        .relations
        .iter()
        .map(|r| RelationSchema {
            name: r.name.clone(),
            kind: r.kind,
            columns: r
                .columns
                .iter()
                .map(|(name, ty)| ColumnSchema {
                    name: name.clone(),
                    ty: *ty,
                })
                .collect(),
        })
        .collect();

    let facts = program
        .facts
        .iter()
        .map(|(rel, values)| Fact {
            rel: *rel,
            values: values.clone(),
        })
        .collect();

    // Strata keep the checker's evaluation order; each rule is planned against the
    // relations of its own stratum (those are the ones that get delta variants).
    let strata = program
        .strata
        .iter()
        .map(|stratum| Stratum {
            relations: stratum.relations.clone(),
            recursive: stratum.recursive,
            rules: stratum
                .rules
                .iter()
                .filter_map(|&index| program.rules.get(index))
                .map(|checked| rule::lower_rule(program, stratum, checked))
                .collect(),
        })
        .collect();

    let plan = Plan {
        lattices: program.lattices.clone(),
        relations,
        facts,
        strata,
    };
    tracing::debug!(
        elapsed = ?started.elapsed(),
        strata = plan.strata.len(),
        "lowered the program"
    );
    plan
}
