//! The interpreter: evaluates a plan directly.

use super::{InputError, TickEngine, TickOutput};
use crate::ir::{Plan, RelId, RelationSchema};
use crate::value::Const;

/// Runs a [`Plan`] by interpreting it.
pub struct Interpreter {
    plan: Plan,
}

impl Interpreter {
    /// Prepares a plan to run.
    pub fn new(plan: Plan) -> Interpreter {
        Interpreter { plan }
    }
}

impl TickEngine for Interpreter {
    fn relations(&self) -> &[RelationSchema] {
        &self.plan.relations
    }

    fn push_input(&mut self, rel: RelId, tuple: Vec<Const>) -> Result<(), InputError> {
        let _ = (rel, tuple);
        unimplemented!("interpreter")
    }

    fn tick(&mut self) -> TickOutput {
        unimplemented!("interpreter")
    }
}
