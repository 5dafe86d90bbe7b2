//! Checks over the parsed program: names, declarations, arity, types, range restriction
//! (safety), writes and time, aggregation, and stratification.
//!
//! [`check`] runs every check and reports every problem it finds in one go. When it
//! reports no error, its [`CheckedProgram`] is ready for lowering to the IR.
//!
//! The passes, in order, each in its own module:
//!
//! 1. `resolve`: declarations (duplicate relations and columns, unknown types), then
//!    every atom of every rule against them (unknown relations, arity).
//! 2. `safety`: range restriction, wildcards in heads, ground facts, and which
//!    relations a rule may write.
//! 3. `aggregate`: aggregate names and whether each aggregate can be grouped.
//! 4. `types`: type inference per rule and aggregate types; `values`: typed fact
//!    values.
//! 5. `stratify`: the dependency graph, cycles through negation or aggregation, and
//!    the strata in evaluation order.
//!
//! To report one diagnostic per mistake, a rule that names an unknown relation or uses
//! one with the wrong arity skips the checks that need its columns (types, writes,
//! aggregates' types, stratification), and a variable whose type is already in
//! conflict is not checked again.

mod aggregate;
mod calls;
pub(crate) mod lattice;
mod resolve;
mod safety;
mod stratify;
mod suggest;
mod typeexpr;
mod types;
mod values;

pub(crate) use calls::constructor_arguments;

use std::collections::{BTreeMap, BTreeSet};

use hydro_runtime::ir::{RelId, RelationKind};
use hydro_runtime::lattice::{LatticeTypes, Monotonicity};
use hydro_runtime::value::{ColumnType, Const};

use crate::diag::Diagnostic;
use crate::source::{FileId, Span};
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
    /// The span of `monotone`, when the declaration promises that the relation is
    /// monotone (the CALM analysis checks the promise).
    pub monotone: Option<Span>,
}

/// The module a file names with `module NAME;`.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleInfo {
    /// The module's name.
    pub name: String,
    /// The file the item is in: the module is every rule of that file.
    pub file: FileId,
    /// The span of `monotone`, when every rule of the file is promised monotone.
    pub monotone: Option<Span>,
    /// The whole item.
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
    /// For each comparison of the body (by index into `rule.body`): the type both of
    /// its sides have. Arithmetic never mixes types, so every sub-expression of either
    /// side has this type too (integer literals included).
    pub compare_types: BTreeMap<usize, ColumnType>,
    /// For each aggregate of the head (by index into `rule.head.args`): the type of the
    /// aggregated expression. It equals the column's type except for `count`, whose
    /// column is `u64` whatever it counts.
    pub aggregate_types: BTreeMap<usize, ColumnType>,
    /// The type of every expression of the rule that checking typed, by span (an
    /// expression that lifts into a lattice column has its own, scalar, type here).
    pub expr_types: BTreeMap<Span, ColumnType>,
    /// Every use of a lattice value bound from a body atom, in source order.
    pub lattice_reads: Vec<LatticeRead>,
}

/// A use of a lattice value bound from a body atom: what the CALM analysis reads to
/// decide whether the rule stays monotone as that relation grows.
#[derive(Clone, Debug, PartialEq)]
pub struct LatticeRead {
    /// The relation the value was read from.
    pub rel: RelId,
    /// The operation, threshold test or raw read.
    pub span: Span,
    /// What is done with the value, for reports (`` `size` of a `Set<string>` ``).
    pub what: String,
    /// Whether the use keeps the rule monotone.
    pub class: Monotonicity,
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
    /// The lattice types that column types and rule variables name.
    pub lattices: LatticeTypes,
    /// The names of the lattices declared `extern`, sorted.
    pub externs: Vec<String>,
    /// Every rule with a body.
    pub rules: Vec<CheckedRule>,
    /// Every fact, with values typed by their columns.
    pub facts: Vec<(RelId, Vec<Const>)>,
    /// The strata in evaluation order.
    ///
    /// Plain-head rules are grouped by strongly connected component of the dependency
    /// graph, one stratum per component, in a topological order (ties broken by
    /// declaration order). Every `@next` and `delete` rule is in one last stratum,
    /// with no relations and `recursive: false`, after every stratum it could read.
    pub strata: Vec<StratumInfo>,
    /// The files that name their module, in load order.
    pub modules: Vec<ModuleInfo>,
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
    let mut diagnostics = Vec::new();

    // Declarations first: every later check reads the relations' columns, whose types
    // may name extern lattices.
    let externs: Vec<&ast::ExternLattice> = items
        .iter()
        .filter_map(|item| match item {
            ast::Item::ExternLattice(e) => Some(e),
            _ => None,
        })
        .collect();
    let externs = resolve::declare_externs(&externs, &mut diagnostics);
    let decls: Vec<&ast::Decl> = items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Decl(d) => Some(d),
            _ => None,
        })
        .collect();
    let mut schema = resolve::declare(&decls, &externs, &mut diagnostics);

    // The files' module names: one per file.
    let modules = modules(items, &mut diagnostics);

    // Then every rule (facts included) against the declarations.
    // (A body atom naming a lattice function and no relation is a call.)
    let names: BTreeSet<&str> = decls.iter().map(|d| d.name.name.as_str()).collect();
    let rules: Vec<ast::Rule> = items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Rule(r) => Some(calls::atoms_as_calls(r, &names)),
            _ => None,
        })
        .collect();
    let resolved: Vec<resolve::ResolvedRule> = rules
        .iter()
        .map(|rule| resolve::resolve_rule(&schema, rule, &mut diagnostics))
        .collect();

    // Rule by rule: safety, writes, aggregates, types. Typing may add lattice types
    // (the type of `set(x)`), so the table is out of the schema meanwhile.
    let mut lattices = std::mem::take(&mut schema.lattices);
    let mut checked_rules = Vec::new();
    let mut facts = Vec::new();
    let mut reads = BTreeMap::new();
    for (k, r) in resolved.iter().enumerate() {
        safety::check_rule(&schema, r, &mut diagnostics);
        aggregate::check_rule(r, &mut diagnostics);
        if !r.complete() {
            continue;
        }
        if r.rule.body.is_empty() {
            if let Some(values) = values::fact_values(&schema, &lattices, r, &mut diagnostics) {
                facts.push((r.head_rel.unwrap_or(RelId(0)), values));
            }
        } else if let Some(typed) = types::check_rule(&schema, &mut lattices, r, &mut diagnostics) {
            reads.insert(k, typed.lattice_reads.clone());
            checked_rules.push(CheckedRule {
                rule: r.rule.clone(),
                head_rel: r.head_rel.unwrap_or(RelId(0)),
                var_types: typed.var_types,
                compare_types: typed.compare_types,
                aggregate_types: typed.aggregate_types,
                expr_types: typed.expr_types,
                lattice_reads: typed.lattice_reads,
            });
        }
    }

    schema.lattices = lattices;

    // Across rules: aggregate consistency per relation, then stratification.
    aggregate::check_consistency(&resolved, &mut diagnostics);
    let strata = stratify::stratify(&schema, &resolved, &reads, &mut diagnostics);
    merge_unknown_relations(&mut diagnostics);

    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, diagnostics);
    }
    let (relations, lattices) = schema.into_relation_infos();
    let strata = strata.unwrap_or_default();
    let program = CheckedProgram {
        relations,
        lattices,
        externs: externs.into_keys().collect(),
        rules: checked_rules,
        facts,
        strata,
        modules,
    };
    (Some(program), diagnostics)
}

#[cfg(test)]
mod tests;

/// The `module` items, one per file: a second one in the same file is an error.
fn modules(items: &[ast::Item], diagnostics: &mut Vec<Diagnostic>) -> Vec<ModuleInfo> {
    let mut modules: Vec<ModuleInfo> = Vec::new();
    for item in items {
        let ast::Item::Module(m) = item else { continue };
        if let Some(first) = modules.iter().find(|f| f.file == m.span.file) {
            diagnostics.push(
                Diagnostic::error(
                    crate::diag::Code::DuplicateModule,
                    format!("this file already names its module `{}`", first.name),
                    m.span,
                    "second module name",
                )
                .with_label(first.span, "the module is named here")
                .with_help("a file is one module: keep one `module` item"),
            );
            continue;
        }
        modules.push(ModuleInfo {
            name: m.name.name.clone(),
            file: m.span.file,
            monotone: m.monotone,
            span: m.span,
        });
    }
    modules
}

/// One misspelled or undeclared name is one mistake: its uses after the first become
/// labels on the first use's E0101 rather than errors of their own.
fn merge_unknown_relations(diagnostics: &mut Vec<Diagnostic>) {
    crate::diag::sort(diagnostics);
    let mut first_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut merged = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        if d.code != crate::diag::Code::UnknownRelation {
            merged.push(d);
            continue;
        }
        match first_of.get(&d.message) {
            Some(&i) => {
                let first: &mut Diagnostic = &mut merged[i];
                first.secondary.push(crate::diag::Label {
                    span: d.primary.span,
                    message: "also used here".to_owned(),
                });
            }
            None => {
                first_of.insert(d.message.clone(), merged.len());
                merged.push(d);
            }
        }
    }
    *diagnostics = merged;
}
