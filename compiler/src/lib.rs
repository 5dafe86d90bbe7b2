//! Hydro's compiler: from `.hydro` source to the runtime's planned IR.
//!
//! The pipeline, one module per phase:
//! [`load`] reads a file and its imports and parses them ([`syntax`]); [`check`]
//! resolves names and checks types, safety and stratification; [`calm`] classifies
//! rules and relations as monotone or not and checks the `monotone` promises; [`lower`]
//! plans the rules into [`hydro_runtime::ir::Plan`]. Every phase returns its
//! diagnostics as data ([`diag`]); only the CLI renders them. [`graph`] draws the
//! program's dependency graph.

#![warn(missing_docs)]

pub mod calm;
pub mod check;
pub mod diag;
pub mod graph;
pub mod load;
pub mod lower;
pub mod source;
pub mod syntax;

use std::path::Path;

use hydro_runtime::ir::Plan;

use crate::check::CheckedProgram;
use crate::diag::Diagnostic;
use crate::source::SourceMap;

/// The result of compiling a program: its sources (for rendering diagnostics), the plan
/// if there was no error, and every diagnostic.
#[derive(Debug)]
pub struct Compilation {
    /// Every file read.
    pub sources: SourceMap,
    /// The checked program, when checking found no error (a broken `monotone` promise
    /// still leaves it here, for the CALM report and the graph).
    pub program: Option<CheckedProgram>,
    /// The plan, when no error was found.
    pub plan: Option<Plan>,
    /// Errors and warnings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    /// Whether some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compiles the file at `path` with its imports. Fails only when `path` itself cannot
/// be read as text; every problem in the program is a diagnostic of the compilation.
pub fn compile_file(path: &Path) -> Result<Compilation, load::SourceError> {
    let mut sources = SourceMap::new();
    let (items, diagnostics) = load::load_file(&mut sources, path)?;
    Ok(finish(sources, items, diagnostics))
}

/// Compiles source text held in memory; `import`s resolve relative to the current
/// directory.
pub fn compile_str(name: &str, text: &str) -> Compilation {
    let mut sources = SourceMap::new();
    let (items, diagnostics) = load::load_str(&mut sources, name, text);
    finish(sources, items, diagnostics)
}

fn finish(
    sources: SourceMap,
    items: Vec<syntax::ast::Item>,
    diagnostics: Vec<Diagnostic>,
) -> Compilation {
    let (checked, diagnostics) = check_loaded(&items, diagnostics);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    let plan = match &checked {
        Some(program) if !has_errors => Some(lower::lower(program)),
        _ => None,
    };
    Compilation {
        sources,
        program: checked,
        plan,
        diagnostics,
    }
}

/// Checks what loading a program gave (its items and the loading's diagnostics), up to
/// lowering: the returned diagnostics are the loading's and the checks', sorted.
/// Checking a file that did not parse would report the missing pieces again (an unknown
/// relation whose declaration had a syntax error), so syntax errors stop before it.
pub fn check_loaded(
    items: &[syntax::ast::Item],
    mut diagnostics: Vec<Diagnostic>,
) -> (Option<CheckedProgram>, Vec<Diagnostic>) {
    let mut checked = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let (program, check_diagnostics) = check_items(items);
        checked = program;
        diagnostics.extend(check_diagnostics);
    }
    diag::sort(&mut diagnostics);
    (checked, diagnostics)
}

/// Checks parsed items ([`check::check`]), then, when they pass, the program's
/// `monotone` promises ([`calm::check_promises`]). The program is returned whenever
/// [`check::check`] accepted it, even if a promise is broken.
pub fn check_items(items: &[syntax::ast::Item]) -> (Option<CheckedProgram>, Vec<Diagnostic>) {
    let (program, mut diagnostics) = check::check(items);
    if let Some(program) = &program {
        let analysis = calm::analyze(program);
        diagnostics.extend(calm::check_promises(program, &analysis));
    }
    (program, diagnostics)
}
