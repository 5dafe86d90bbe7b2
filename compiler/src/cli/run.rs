//! `hydro run FILE`: compiles a program, reads the facts of its input relations, runs
//! ticks until quiescent, and writes what its output relations emitted.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::ir::{RelId, RelationKind, RelationSchema};
use hydro_runtime::lattice::LatticeType;

use super::facts::{facts_path, format_tuples, read_facts};
use super::{plural, report, ColorWhen};

/// Run a program on facts files and write its outputs.
///
/// For each `input` relation NAME, reads FACTS_DIR/NAME.facts: one tuple a line,
/// values separated by tabs, strings unquoted with four escapes (`\t`, `\n`, `\r`, `\\`
/// for tab, newline, carriage return and backslash). The file must
/// exist (empty if the relation has no tuples). These tuples are the first tick's
/// input; ticks then run until one is quiescent (a further tick could change
/// nothing) or until the tick limit.
///
/// For each `output` relation NAME, writes OUT_DIR/NAME.csv with every tuple the
/// relation emitted in any tick: tab-separated, sorted, one a line. With `-D -`, prints
/// every output relation to stdout instead, in declaration order, each after a header
/// line `== NAME ==`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The `.hydro` program to run.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The folder holding `<input>.facts` for each input relation.
    #[arg(
        short = 'F',
        long = "facts",
        value_name = "FACTS_DIR",
        default_value = "."
    )]
    facts_dir: PathBuf,

    /// The folder for `<output>.csv` (created if needed), or `-` for stdout.
    #[arg(
        short = 'D',
        long = "output",
        value_name = "OUT_DIR",
        default_value = "."
    )]
    out_dir: PathBuf,

    /// The most ticks to run when the program does not become quiescent (a warning
    /// says when the limit stopped the run).
    #[arg(long, value_name = "N", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    ticks: u64,
}

pub fn run(args: &RunArgs, color: ColorWhen) -> anyhow::Result<ExitCode> {
    // Compile; a program with errors does not run.
    let started = std::time::Instant::now();
    let compilation = hydro_compiler::compile_file(&args.file)?;
    tracing::info!(file = %args.file.display(), elapsed = ?started.elapsed(), "compiled");
    let errors = report(&compilation, color)?;
    let plan = match compilation.plan {
        Some(plan) if errors == 0 => plan,
        _ => {
            eprintln!(
                "error: could not compile `{}`: {}",
                args.file.display(),
                plural(errors.max(1), "error")
            );
            return Ok(ExitCode::FAILURE);
        }
    };

    // An extern lattice is implemented in Rust: the interpreter behind `hydro run` has
    // none, only a program that embeds the runtime and registers one.
    let externs: Vec<String> = plan
        .lattices
        .iter()
        .filter_map(|(_, t)| match t {
            LatticeType::Extern(name) => Some(format!("`{name}`")),
            _ => None,
        })
        .collect();
    if !externs.is_empty() {
        eprintln!(
            "error: `{}` uses the extern lattice {}, which `hydro run` cannot merge: run it \
             from Rust with `Interpreter::with_externs`, registering the lattice's type",
            args.file.display(),
            externs.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }

    // Read every input relation's facts, reporting every bad file before stopping (but
    // a missing folder once, not once per file).
    let started = std::time::Instant::now();
    let has_inputs = plan.relations.iter().any(|r| r.kind == RelationKind::Input);
    if has_inputs && !args.facts_dir.is_dir() {
        anyhow::bail!(
            "the facts folder `{}` does not exist or is not a folder (pass it with -F)",
            args.facts_dir.display()
        );
    }
    let mut input = Vec::new();
    let mut bad_files = 0;
    for (index, relation) in plan.relations.iter().enumerate() {
        if relation.kind != RelationKind::Input {
            continue;
        }
        let path = facts_path(&args.facts_dir, &relation.name);
        match read_facts(&path, relation, &plan.lattices) {
            Ok(tuples) => input.push((RelId(index as u32), tuples)),
            Err(err) => {
                eprintln!("error: {err}");
                bad_files += 1;
            }
        }
    }
    if bad_files > 0 {
        return Ok(ExitCode::FAILURE);
    }
    tracing::info!(elapsed = ?started.elapsed(), "read the facts");

    // The facts are the first tick's input; run to quiescence or the limit.
    let started = std::time::Instant::now();
    let mut engine = Interpreter::new(plan);
    for (rel, tuples) in input {
        for tuple in tuples {
            engine
                .push_input(rel, tuple)
                .context("the engine refused a tuple of a facts file")?;
        }
    }
    let outcome = run_ticks(&mut engine, args.ticks);
    tracing::info!(ticks = outcome.ticks, elapsed = ?started.elapsed(), "ran");
    if !outcome.quiescent {
        eprintln!(
            "warning: stopped after {} without reaching quiescence (raise the limit with \
             --ticks N)",
            plural(outcome.ticks as usize, "tick")
        );
    }

    write_outputs(engine.relations(), &outcome.emitted, &args.out_dir)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes each output relation to `<dir>/<name>.csv`, or to stdout for `-`.
fn write_outputs(
    relations: &[RelationSchema],
    emitted: &hydro_runtime::engine::Emitted,
    dir: &Path,
) -> anyhow::Result<()> {
    let name = |rel: RelId| relations.get(rel.index()).map_or("", |r| r.name.as_str());
    if dir == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        for (rel, tuples) in emitted {
            write!(stdout, "== {} ==\n{}", name(*rel), format_tuples(tuples))
                .context("cannot write to stdout")?;
        }
        return Ok(());
    }
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!("the output path `{}` is not a folder", dir.display());
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder `{}`", dir.display()))?;
    for (rel, tuples) in emitted {
        let path = dir.join(format!("{}.csv", name(*rel)));
        std::fs::write(&path, format_tuples(tuples))
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(())
}
