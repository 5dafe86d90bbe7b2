//! The Hydro side: the two programs, run in process by the interpreter and end to end
//! by the `hydro` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};
use hydro_compiler::diag::render_plain;
use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::ir::{Plan, RelId};
use hydro_runtime::value::Const;

use crate::{facts, Outcome, Pair, Workload};

/// A bound on ticks far above what the workloads need (they quiesce after two).
const MAX_TICKS: u64 = 1_000;

/// The Hydro source of a workload: the same rules as the ascent and crepe programs.
pub fn source(workload: Workload) -> &'static str {
    match workload {
        Workload::Tc => {
            "input  edge(src: u64, dst: u64);\n\
             output path(src: u64, dst: u64);\n\
             path(x, y) :- edge(x, y).\n\
             path(x, z) :- path(x, y), edge(y, z).\n"
        }
        Workload::Sg => {
            "input  parent(child: u64, parent: u64);\n\
             output sg(x: u64, y: u64);\n\
             sg(x, y) :- parent(x, p), parent(y, p), x != y.\n\
             sg(x, y) :- parent(x, a), sg(a, b), parent(y, b).\n"
        }
    }
}

/// A workload's compiled plan with its input and output relations found.
pub struct Compiled {
    plan: Plan,
    input: RelId,
    output: RelId,
}

/// Compiles a workload's program with `hydro_compiler::compile_str`.
pub fn compile(workload: Workload) -> Result<Compiled> {
    let compilation = hydro_compiler::compile_str("bench.hydro", source(workload));
    let Some(plan) = compilation.plan else {
        let text = render_plain(&compilation.sources, &compilation.diagnostics);
        bail!("the {workload} program does not compile:\n{text}");
    };
    let find = |name: &str| -> Result<RelId> {
        let index = plan
            .relations
            .iter()
            .position(|r| r.name == name)
            .with_context(|| format!("the plan has no relation `{name}`"))?;
        Ok(RelId(index as u32))
    };
    let (input, output) = (find(workload.input())?, find(workload.output())?);
    Ok(Compiled {
        plan,
        input,
        output,
    })
}

impl Compiled {
    /// A fresh interpreter with `pairs` pushed as the first tick's input.
    pub fn load(&self, pairs: &[Pair]) -> Result<Interpreter> {
        let mut engine = Interpreter::new(self.plan.clone());
        for &(a, b) in pairs {
            engine.push_input(self.input, vec![Const::U64(a), Const::U64(b)])?;
        }
        Ok(engine)
    }

    /// Runs the interpreter to quiescence with `run_ticks`; returns the output tuples.
    pub fn run(&self, engine: &mut Interpreter) -> Result<Outcome> {
        let report = run_ticks(engine, MAX_TICKS);
        ensure!(
            report.quiescent,
            "no quiescent tick within {MAX_TICKS} ticks"
        );
        let tuples = report
            .emitted
            .iter()
            .find(|(rel, _)| *rel == self.output)
            .map_or(0, |(_, set)| set.len());
        Ok(Outcome::new(tuples, report))
    }
}

/// The `hydro` binary: `explicit` if given, else the release build beside this
/// executable, built first (`cargo build --release -p hydro-compiler`) when missing.
pub fn locate_binary(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        ensure!(path.exists(), "no hydro binary at {}", path.display());
        return Ok(path);
    }

    // This binary lives in `<target>/<profile>/`, beside the workspace's other binaries.
    let exe = std::env::current_exe().context("locating the benchmark's own binary")?;
    let dir = exe.parent().context("the benchmark binary has a folder")?;
    let bin = dir.join(format!("hydro{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("benches/ sits in the repository")?;
        eprintln!("building the hydro binary: cargo build --release -p hydro-compiler");
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--release",
                "-p",
                "hydro-compiler",
                "--bin",
                "hydro",
            ])
            .current_dir(root)
            .status()
            .context("running cargo")?;
        ensure!(status.success(), "building the hydro binary failed");
    }
    Ok(bin)
}

/// One end-to-end run of `hydro run PROGRAM -F FACTS -D OUT`; returns the number of
/// tuples in the output relation's CSV file.
pub fn run_cli(bin: &Path, program: &Path, facts: &Path, out: &Path, w: Workload) -> Result<u64> {
    // A fresh output folder each run, so a stale file can never be counted.
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("clearing {}", out.display()))?;
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;

    let output = Command::new(bin)
        .arg("run")
        .arg(program)
        .arg("-F")
        .arg(facts)
        .arg("-D")
        .arg(out)
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    ensure!(
        output.status.success(),
        "hydro run failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    facts::count_lines(&out.join(format!("{}.csv", w.output())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{closure_graph, generation_graph, Shape};
    use crate::peers;

    /// A peer's entry point.
    type Peer = fn(Vec<Pair>) -> Outcome;

    fn shape(seed: u64, group: u64, window: u64) -> Shape {
        Shape {
            nodes: 600,
            edges: 2_000,
            group,
            window,
            seed,
        }
    }

    #[test]
    fn the_engine_derives_as_many_tuples_as_the_peers() {
        for seed in 0..3 {
            let edges = closure_graph(shape(seed, 60, 8)).expect("fits");
            let parents = generation_graph(shape(seed, 30, 3)).expect("fits");
            for (workload, input) in [(Workload::Tc, edges), (Workload::Sg, parents)] {
                let compiled = compile(workload).expect("the program compiles");
                let mut engine = compiled.load(&input).expect("inputs fit the relation");
                let hydro = compiled.run(&mut engine).expect("quiescent").tuples;
                let (ascent, crepe): (Peer, Peer) = match workload {
                    Workload::Tc => (peers::ascent_closure, peers::crepe_closure),
                    Workload::Sg => (peers::ascent_generation, peers::crepe_generation),
                };
                assert!(
                    hydro > input.len() as u64,
                    "{workload}: recursion derived little"
                );
                assert_eq!(
                    hydro,
                    ascent(input.clone()).tuples,
                    "{workload}, seed {seed}"
                );
                assert_eq!(hydro, crepe(input).tuples, "{workload}, seed {seed}");
            }
        }
    }
}
