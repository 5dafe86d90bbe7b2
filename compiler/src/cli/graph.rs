//! `hydro graph FILE`: the program's dependency graph, as Mermaid or Graphviz dot.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use hydro_compiler::{calm, graph};

use super::{plural, report, ColorWhen};

/// Draw a program's dependency graph.
///
/// Relations are nodes, shaped by kind (input, output, table, scratch), grouped by
/// stratum in evaluation order. An edge leads from a relation a rule reads to the
/// relation it derives, one per kind of use: negation is dashed and labelled `not`,
/// aggregates, non-monotone lattice reads, `@next` and `delete` are labelled, and
/// points of order are red. Prints to stdout.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The `.hydro` program (with the files it imports).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    format: GraphFormat,
}

/// How the graph is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum GraphFormat {
    /// A Mermaid flowchart.
    Mermaid,
    /// A Graphviz digraph.
    Dot,
}

pub fn run(args: &GraphArgs, color: ColorWhen) -> anyhow::Result<ExitCode> {
    let compilation = hydro_compiler::compile_file(&args.file)?;
    let errors = report(&compilation, color)?;
    if errors > 0 {
        eprintln!(
            "error: could not check `{}`: {}",
            args.file.display(),
            plural(errors, "error")
        );
    }

    // A broken promise still leaves a program to draw; other errors do not.
    let Some(program) = &compilation.program else {
        return Ok(ExitCode::FAILURE);
    };
    let analysis = calm::analyze(program);
    let drawn = graph::build(program, &analysis);
    let text = match args.format {
        GraphFormat::Mermaid => graph::mermaid::render(&drawn),
        GraphFormat::Dot => graph::dot::render(&drawn),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("cannot write to stdout")?;
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
