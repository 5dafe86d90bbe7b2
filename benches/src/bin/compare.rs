//! `compare`: runs transitive closure and same generation with `hydro run`, Hydro's
//! engine in process, ascent and crepe on the same generated tuples, and prints a table
//! of times, ratios and peak memory.
//!
//! Each (workload, engine) measurement runs in its own child process (this binary's
//! hidden `worker` subcommand), so peak memory is that engine's alone and no engine
//! inherits another's heap. A worker repeats its evaluation `--reps` times and reports
//! the best and the median.
//!
//! ```text
//! cargo build --release -p hydro-compiler
//! cargo run --release -p hydro-benches --bin compare -- [--nodes N --edges M --reps R]
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use clap::{Args, Parser, Subcommand};
use hydro_benches::graph::{self, Shape};
use hydro_benches::{facts, hydro, peers, Engine, Outcome, Pair, Workload};
use nix::sys::resource::{getrusage, UsageWho};

#[derive(Parser)]
#[command(about = "Compare hydro with ascent and crepe on generated graphs")]
struct Cli {
    #[command(subcommand)]
    worker: Option<WorkerCommand>,
    #[command(flatten)]
    compare: CompareArgs,
}

#[derive(Args)]
struct CompareArgs {
    /// Nodes of each generated graph.
    #[arg(long, default_value_t = 10_000)]
    nodes: u64,
    /// Edges (tuples of the input relation) of each generated graph.
    #[arg(long, default_value_t = 50_000)]
    edges: u64,
    /// Seed of the graph generator.
    #[arg(long, default_value_t = 2)]
    seed: u64,
    /// Transitive closure: nodes per cluster.
    #[arg(long, default_value_t = 400)]
    cluster: u64,
    /// Transitive closure: how far ahead an edge may reach.
    #[arg(long, default_value_t = 16)]
    tc_window: u64,
    /// Same generation: nodes per layer.
    #[arg(long, default_value_t = 100)]
    width: u64,
    /// Same generation: how far from its own position a node's parents may be.
    #[arg(long, default_value_t = 4)]
    sg_window: u64,
    /// Timed repetitions per measurement (the table shows the best).
    #[arg(long, default_value_t = 5)]
    reps: u32,
    /// Workloads to run (default: all).
    #[arg(long, value_enum)]
    workload: Vec<Workload>,
    /// Engines to run (default: all).
    #[arg(long, value_enum)]
    engine: Vec<Engine>,
    /// The `hydro` binary (default: the release build beside this one, built if missing).
    #[arg(long)]
    hydro: Option<PathBuf>,
    /// Keep the generated facts and programs in this folder instead of a temporary one.
    #[arg(long)]
    dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum WorkerCommand {
    /// Measures one engine on one workload (run by `compare` itself).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Args)]
struct WorkerArgs {
    #[arg(long, value_enum)]
    engine: Engine,
    #[arg(long, value_enum)]
    workload: Workload,
    /// The folder holding the workload's facts file and `program.hydro`.
    #[arg(long)]
    dir: PathBuf,
    #[arg(long)]
    reps: u32,
    #[arg(long)]
    hydro: Option<PathBuf>,
}

/// What a worker measured.
#[derive(Clone, Copy, Debug)]
struct Measurement {
    tuples: u64,
    /// Wall-clock time: best and median repetition.
    best: Duration,
    median: Duration,
    /// CPU time (user + system) of the best-by-CPU repetition: steadier than wall time
    /// when other processes share the machine.
    cpu: Duration,
    /// Peak resident memory in KiB.
    peak_kib: u64,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.worker {
        Some(WorkerCommand::Worker(args)) => {
            let m = work(&args)?;
            println!(
                "tuples={} best_ns={} median_ns={} cpu_ns={} peak_kib={}",
                m.tuples,
                m.best.as_nanos(),
                m.median.as_nanos(),
                m.cpu.as_nanos(),
                m.peak_kib
            );
            Ok(())
        }
        None => compare(cli.compare),
    }
}

/// Generates the inputs, runs one worker per (workload, engine), prints the tables.
fn compare(args: CompareArgs) -> Result<()> {
    let workloads = if args.workload.is_empty() {
        Workload::ALL.to_vec()
    } else {
        args.workload.clone()
    };
    let engines = if args.engine.is_empty() {
        Engine::ALL.to_vec()
    } else {
        args.engine.clone()
    };
    ensure!(args.reps >= 1, "--reps must be at least 1");

    // The binary is located (and built) before anything is timed.
    let hydro_bin = if engines.contains(&Engine::HydroCli) {
        Some(hydro::locate_binary(args.hydro.clone())?)
    } else {
        None
    };
    let temp;
    let root = match &args.dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir().context("creating a temporary folder")?;
            temp.path().to_path_buf()
        }
    };

    let mut rows = Vec::new();
    for &workload in &workloads {
        // One facts file per workload, read by every engine: the same input tuples.
        let dir = root.join(workload.output());
        let input = generate(&args, workload)?;
        std::fs::create_dir_all(&dir)?;
        facts::write_pairs(&dir.join(format!("{}.facts", workload.input())), &input)?;
        std::fs::write(dir.join("program.hydro"), hydro::source(workload))?;

        let mut measured = Vec::new();
        for &engine in &engines {
            eprintln!("measuring {engine} on {workload} ({} runs)", args.reps);
            let m = spawn_worker(engine, workload, &dir, args.reps, hydro_bin.as_deref())?;
            eprintln!(
                "  {} tuples, CPU {}, wall {}",
                m.tuples,
                ms(m.cpu),
                ms(m.best)
            );
            measured.push((engine, m));
        }
        rows.push(Row {
            workload,
            input: input.len() as u64,
            measured,
        });
    }

    print!("{}", render(&args, &rows));

    // The cross-check: every engine derived as many tuples as every other.
    for row in &rows {
        let first = row.measured.first().map(|(_, m)| m.tuples);
        if row.measured.iter().any(|(_, m)| Some(m.tuples) != first) {
            let sizes: Vec<String> = row
                .measured
                .iter()
                .map(|(e, m)| format!("{e}: {}", m.tuples))
                .collect();
            bail!(
                "the engines disagree on {}: {}",
                row.workload,
                sizes.join(", ")
            );
        }
    }
    Ok(())
}

/// The input tuples of a workload.
fn generate(args: &CompareArgs, workload: Workload) -> Result<Vec<Pair>> {
    let (group, window) = match workload {
        Workload::Tc => (args.cluster, args.tc_window),
        Workload::Sg => (args.width, args.sg_window),
    };
    let shape = Shape {
        nodes: args.nodes,
        edges: args.edges,
        group,
        window,
        seed: args.seed,
    };
    match workload {
        Workload::Tc => graph::closure_graph(shape),
        Workload::Sg => graph::generation_graph(shape),
    }
}

/// Runs this binary's `worker` subcommand and parses its report.
fn spawn_worker(
    engine: Engine,
    workload: Workload,
    dir: &Path,
    reps: u32,
    hydro_bin: Option<&Path>,
) -> Result<Measurement> {
    let exe = std::env::current_exe().context("locating this binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("worker")
        .args(["--engine", &name(engine)])
        .args(["--workload", &name(workload)])
        .arg("--dir")
        .arg(dir)
        .args(["--reps", &reps.to_string()]);
    if let Some(bin) = hydro_bin {
        cmd.arg("--hydro").arg(bin);
    }
    let out = cmd.output().context("running a worker")?;
    ensure!(
        out.status.success(),
        "the {engine} worker on {workload} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    parse_report(&String::from_utf8_lossy(&out.stdout))
}

/// The name clap gives a value-enum variant on the command line.
fn name(value: impl clap::ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

fn parse_report(text: &str) -> Result<Measurement> {
    let field = |key: &str| -> Result<u64> {
        let value = text
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .with_context(|| format!("the worker's report has no `{key}`: {text}"))?;
        value
            .parse()
            .with_context(|| format!("`{key}={value}` is not a number"))
    };
    Ok(Measurement {
        tuples: field("tuples")?,
        best: Duration::from_nanos(field("best_ns")?),
        median: Duration::from_nanos(field("median_ns")?),
        cpu: Duration::from_nanos(field("cpu_ns")?),
        peak_kib: field("peak_kib")?,
    })
}

/// The worker: reads the facts, evaluates `reps` times, reports times and peak memory.
fn work(args: &WorkerArgs) -> Result<Measurement> {
    let facts_file = args.dir.join(format!("{}.facts", args.workload.input()));
    let input = facts::read_pairs(&facts_file)?;
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut sizes = Vec::new();

    // A process's CPU time is its own; `hydro run`'s is its parent's children's.
    let who = match args.engine {
        Engine::HydroCli => UsageWho::RUSAGE_CHILDREN,
        _ => UsageWho::RUSAGE_SELF,
    };

    // Each repetition is timed around the evaluation only; results are freed after.
    let mut record = |start: Clock, outcome: Outcome| -> Result<()> {
        times.push(start.wall.elapsed());
        cpu_times.push(cpu_time(who)?.saturating_sub(start.cpu));
        sizes.push(outcome.tuples);
        drop(outcome.results);
        Ok(())
    };
    let clock = || -> Result<Clock> {
        Ok(Clock {
            wall: Instant::now(),
            cpu: cpu_time(who)?,
        })
    };
    match args.engine {
        Engine::HydroCli => {
            let bin = hydro::locate_binary(args.hydro.clone())?;
            let program = args.dir.join("program.hydro");
            let out = args.dir.join(format!("out-{}", std::process::id()));
            for _ in 0..args.reps {
                let start = clock()?;
                let tuples = hydro::run_cli(&bin, &program, &args.dir, &out, args.workload)?;
                record(start, Outcome::new(tuples as usize, ()))?;
            }
            std::fs::remove_dir_all(&out).ok();
        }
        Engine::HydroEngine => {
            let compiled = hydro::compile(args.workload)?;
            for _ in 0..args.reps {
                let mut engine = compiled.load(&input)?;
                let start = clock()?;
                let outcome = compiled.run(&mut engine)?;
                record(start, outcome)?;
            }
        }
        Engine::Ascent | Engine::Crepe => {
            let run = match (args.engine, args.workload) {
                (Engine::Ascent, Workload::Tc) => peers::ascent_closure,
                (Engine::Ascent, Workload::Sg) => peers::ascent_generation,
                (Engine::Crepe, Workload::Tc) => peers::crepe_closure,
                _ => peers::crepe_generation,
            };
            for _ in 0..args.reps {
                let tuples = input.clone();
                let start = clock()?;
                let outcome = run(tuples);
                record(start, outcome)?;
            }
        }
    }

    // A process measures its own peak; `hydro run` is this worker's only kind of child.
    let peak_kib = getrusage(who).context("getrusage")?.max_rss().max(0) as u64;

    ensure!(
        sizes.windows(2).all(|w| w[0] == w[1]),
        "repetitions derived different sizes: {sizes:?}"
    );
    times.sort();
    cpu_times.sort();
    Ok(Measurement {
        tuples: sizes.first().copied().unwrap_or_default(),
        best: times.first().copied().unwrap_or_default(),
        median: times.get(times.len() / 2).copied().unwrap_or_default(),
        cpu: cpu_times.first().copied().unwrap_or_default(),
        peak_kib,
    })
}

/// One workload's line of the tables.
struct Row {
    workload: Workload,
    /// Input tuples.
    input: u64,
    /// What each engine measured, in table order.
    measured: Vec<(Engine, Measurement)>,
}

/// When a repetition started, by the wall clock and by CPU time used so far.
struct Clock {
    wall: Instant,
    cpu: Duration,
}

/// User plus system CPU time of this process (`RUSAGE_SELF`) or of its waited-for
/// children (`RUSAGE_CHILDREN`).
fn cpu_time(who: UsageWho) -> Result<Duration> {
    let usage = getrusage(who).context("getrusage")?;
    let micros = |tv: nix::sys::time::TimeVal| {
        Duration::from_secs(tv.tv_sec().max(0) as u64)
            + Duration::from_micros(tv.tv_usec().max(0) as u64)
    };
    Ok(micros(usage.user_time()) + micros(usage.system_time()))
}

/// The Markdown tables: times, ratios of Hydro to the peers, and peak memory.
fn render(args: &CompareArgs, rows: &[Row]) -> String {
    let mut s = String::new();
    let engines: Vec<Engine> = rows
        .first()
        .map(|row| row.measured.iter().map(|(e, _)| *e).collect())
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "\nnodes {}, edges {}, seed {}, {} runs each; CPU = user + system time of the best \
         run, wall = best (median) elapsed time\n",
        args.nodes, args.edges, args.seed, args.reps
    );
    let header = |s: &mut String, first: &str, cells: &[String]| {
        let _ = writeln!(s, "| {first} | {} |", cells.join(" | "));
        let _ = writeln!(s, "|---|{}", "--:|".repeat(cells.len()));
    };
    let names: Vec<String> = engines.iter().map(ToString::to_string).collect();

    // Output sizes and times.
    let mut cells = vec!["input tuples".to_owned(), "output tuples".to_owned()];
    for e in &names {
        cells.push(format!("{e} CPU"));
        cells.push(format!("{e} wall"));
    }
    header(&mut s, "workload", &cells);
    for Row {
        workload,
        input,
        measured,
    } in rows
    {
        let out = measured.first().map_or(0, |(_, m)| m.tuples);
        let _ = write!(s, "| {workload} | {input} | {out} |");
        for (_, m) in measured {
            let _ = write!(s, " {} | {} ({}) |", ms(m.cpu), ms(m.best), ms(m.median));
        }
        let _ = writeln!(s);
    }

    // Ratios of each Hydro measurement to each peer: CPU time, wall time in parentheses.
    let pairs: Vec<(Engine, Engine)> = [Engine::HydroEngine, Engine::HydroCli]
        .into_iter()
        .flat_map(|h| [Engine::Ascent, Engine::Crepe].map(|p| (h, p)))
        .filter(|(h, p)| engines.contains(h) && engines.contains(p))
        .collect();
    if !pairs.is_empty() {
        let _ = writeln!(s);
        let cells: Vec<String> = pairs.iter().map(|(h, p)| format!("{h} / {p}")).collect();
        header(&mut s, "ratio: CPU (wall)", &cells);
        for Row {
            workload, measured, ..
        } in rows
        {
            let get = |e: Engine| measured.iter().find(|(x, _)| *x == e).map(|(_, m)| *m);
            let _ = write!(s, "| {workload} |");
            for (h, p) in &pairs {
                if let (Some(h), Some(p)) = (get(*h), get(*p)) {
                    let cpu = h.cpu.as_secs_f64() / p.cpu.as_secs_f64();
                    let wall = h.best.as_secs_f64() / p.best.as_secs_f64();
                    let _ = write!(s, " {cpu:.2}x ({wall:.2}x) |");
                }
            }
            let _ = writeln!(s);
        }
    }

    // Peak resident memory of each engine's process.
    let _ = writeln!(s);
    header(&mut s, "peak RSS (MiB)", &names);
    for Row {
        workload, measured, ..
    } in rows
    {
        let _ = write!(s, "| {workload} |");
        for (_, m) in measured {
            let _ = write!(s, " {:.0} |", m.peak_kib as f64 / 1024.0);
        }
        let _ = writeln!(s);
    }
    s
}

/// A duration in milliseconds, for the table.
fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_report_parses_back() {
        let m = parse_report("tuples=12 best_ns=3000000 median_ns=4000000 cpu_ns=2 peak_kib=7\n")
            .expect("a complete report");
        assert_eq!(m.tuples, 12);
        assert_eq!(m.best, Duration::from_millis(3));
        assert_eq!(m.median, Duration::from_millis(4));
        assert_eq!(m.cpu, Duration::from_nanos(2));
        assert_eq!(m.peak_kib, 7);
        assert!(parse_report("tuples=12 best_ns=3").is_err());
    }
}
