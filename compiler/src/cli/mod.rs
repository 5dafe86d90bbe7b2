//! The `hydro` command line: argument parsing (clap), logging, rendering diagnostics,
//! and one module per subcommand. This is the only place that prints diagnostics and
//! the only place that uses `anyhow`.

mod check;
mod explain;
mod facts;
mod graph;
mod run;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use hydro_compiler::diag::{self, Diagnostic};
use hydro_compiler::Compilation;

/// Hydro: Datalog rules over relations, evaluated in ticks.
///
/// `hydro check prog.hydro` reports the mistakes in a program; `hydro run prog.hydro
/// -F in -D out` runs it on the facts files in `in/` and writes its outputs to `out/`;
/// `hydro check --calm prog.hydro` adds its CALM report; `hydro graph prog.hydro` draws
/// its dependency graph; `hydro explain E0101` describes a diagnostic code.
#[derive(Debug, Parser)]
#[command(name = "hydro", version, propagate_version = true)]
#[command(after_help = "Logs go to stderr; set RUST_LOG (e.g. RUST_LOG=info) to see them.")]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Check(check::CheckArgs),
    Run(run::RunArgs),
    Graph(graph::GraphArgs),
    Explain(explain::ExplainArgs),
}

/// When diagnostics are coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    /// When stderr is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Parses the arguments, runs the subcommand and turns its outcome into an exit code:
/// 0 on success, 1 when the program, its input or the environment is at fault (clap
/// itself exits with 2 on bad arguments).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.color);
    let outcome = match &cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Run(args) => run::run(args, cli.color),
        Command::Graph(args) => graph::run(args, cli.color),
        Command::Explain(args) => explain::run(args),
    };
    match outcome {
        Ok(code) => code,
        // A reader that stops early (`hydro explain --list | head`) is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Logs to stderr, filtered by `RUST_LOG` (warnings and errors only by default).
/// Colour follows `--color` as diagnostics do.
fn init_logging(color: ColorWhen) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let ansi = match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::io::stderr().is_terminal(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}

/// Renders the diagnostics of a compilation to stderr and returns the number of errors.
fn report(compilation: &Compilation, color: ColorWhen) -> anyhow::Result<usize> {
    let choice = match color {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
        ColorWhen::Auto => ColorChoice::Never,
    };
    let mut stderr = StandardStream::stderr(choice);
    diag::render(&compilation.sources, &compilation.diagnostics, &mut stderr)?;
    Ok(compilation
        .diagnostics
        .iter()
        .filter(|d| Diagnostic::is_error(d))
        .count())
}

/// `1 error`, `3 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
