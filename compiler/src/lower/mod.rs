//! Lowering and planning: turns a [`CheckedProgram`] into the runtime's
//! [`Plan`](hydro_runtime::ir::Plan): slots for variables, a join order per rule, the
//! index each scan uses, and semi-naive delta variants for recursive strata.

use hydro_runtime::ir::Plan;

use crate::check::CheckedProgram;

/// Plans a checked program.
pub fn lower(program: &CheckedProgram) -> Plan {
    let _ = program;
    unimplemented!("lowering")
}
