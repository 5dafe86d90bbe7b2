//! Checks over the parsed program: names, declarations, arity, types, range restriction
//! (safety), writes and time, aggregation, and stratification.
//!
//! [`check`] runs every check and reports every problem it finds in one go. When it
//! reports no error, its [`CheckedProgram`] is ready for lowering to the IR.

use std::collections::BTreeMap;

use hydro_runtime::ir::{RelId, RelationKind};
use hydro_runtime::value::{ColumnType, Const};

use crate::diag::Diagnostic;
use crate::source::Span;
use crate::syntax::ast;

/// A declared relation, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationInfo {
    /// The name.
    pub name: String,
    /// Input, output, table or scratch.
    pub kind: RelationKind,
    /// Column names and types, in order.
    pub columns: Vec<(String, ColumnType)>,
    /// The declaration's span.
    pub span: Span,
}

/// A rule that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRule {
    /// The rule as parsed.
    pub rule: ast::Rule,
    /// The relation of the head.
    pub head_rel: RelId,
    /// The type of every named variable of the rule.
    pub var_types: BTreeMap<String, ColumnType>,
}

/// A stratum: relations that are derived together, in evaluation order.
#[derive(Clone, Debug, PartialEq)]
pub struct StratumInfo {
    /// The relations whose same-tick (plain head) rules are in this stratum.
    pub relations: Vec<RelId>,
    /// Indices into [`CheckedProgram::rules`] of the rules evaluated in this stratum.
    pub rules: Vec<usize>,
    /// Whether a rule of the stratum reads (positively) a relation of the stratum.
    pub recursive: bool,
}

/// A program that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedProgram {
    /// Every relation, in declaration order; a [`RelId`] indexes this.
    pub relations: Vec<RelationInfo>,
    /// Every rule with a body.
    pub rules: Vec<CheckedRule>,
    /// Every fact, with values typed by their columns.
    pub facts: Vec<(RelId, Vec<Const>)>,
    /// The strata in evaluation order.
    pub strata: Vec<StratumInfo>,
}

impl CheckedProgram {
    /// The relation with this name.
    pub fn relation(&self, name: &str) -> Option<RelId> {
        self.relations
            .iter()
            .position(|r| r.name == name)
            .map(|i| RelId(i as u32))
    }
}

/// Checks the items of every loaded file (in load order). Returns the checked program
/// when there is no error, and every diagnostic found.
pub fn check(items: &[ast::Item]) -> (Option<CheckedProgram>, Vec<Diagnostic>) {
    let _ = items;
    unimplemented!("checks")
}
