//! Runs program text through the real pipeline: `hydro_compiler::compile_str`, then the
//! runtime's [`Interpreter`], with the results in the reference's shape.
//!
//! Each run happens on its own thread with a time limit, so that an engine that loops
//! forever or panics fails the property (with the program printed) instead of hanging
//! the suite.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::Duration;

use hydro_compiler::{compile_str, diag::render_plain};
use hydro_runtime::engine::{run_ticks, Interpreter, TickEngine};
use hydro_runtime::ir::{RelId, RelationKind};
use hydro_runtime::value::{ColumnType, Const};

use crate::program::{TickInput, Value, STRINGS};
use crate::reference::Db;

/// How long one run may take; generated programs run in milliseconds.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Compiles `text`, feeds it `input` and runs ticks to quiescence (at most a few, for a
/// single-tick program: the second tick has nothing to do), returning every tuple each
/// output relation emitted.
pub fn run_to_quiescence(text: &str, input: &TickInput) -> Result<Db, String> {
    let (text, input) = (text.to_owned(), input.clone());
    with_time_limit(move || {
        let mut engine = Interpreter::new(compile(&text)?);
        push(&mut engine, &input)?;
        let report = run_ticks(&mut engine, 4);
        if !report.quiescent || report.ticks > 2 {
            return Err(format!(
                "a program without tables should be quiescent by its second tick, \
                 but ran {} ticks (quiescent: {})",
                report.ticks, report.quiescent
            ));
        }
        let mut outputs = Db::new();
        for (rel, tuples) in report.emitted {
            let name = engine.relations()[rel.index()].name.clone();
            outputs.insert(name, to_values(tuples.into_iter())?);
        }
        Ok(outputs)
    })
}

/// What the engine reported for one tick.
#[derive(Debug, PartialEq)]
pub struct Tick {
    /// The tuples of every output relation (possibly empty).
    pub outputs: Db,
    /// Whether the engine called the tick quiescent.
    pub quiescent: bool,
}

/// Compiles `text` and runs `ticks` ticks, feeding `inputs[t]` before tick `t`;
/// returns what each tick reported.
pub fn run_ticks_one_by_one(
    text: &str,
    inputs: &[TickInput],
    ticks: usize,
) -> Result<Vec<Tick>, String> {
    let (text, inputs) = (text.to_owned(), inputs.to_vec());
    with_time_limit(move || {
        let mut engine = Interpreter::new(compile(&text)?);
        let mut reports = Vec::new();
        for tick in 0..ticks {
            if let Some(input) = inputs.get(tick) {
                push(&mut engine, input)?;
            }
            let out = engine.tick();
            let mut outputs: Db = engine
                .relations()
                .iter()
                .filter(|r| r.kind == RelationKind::Output)
                .map(|r| (r.name.clone(), BTreeSet::new()))
                .collect();
            for (rel, tuples) in out.outputs {
                let name = engine.relations()[rel.index()].name.clone();
                let set = to_values(tuples.into_iter())?;
                outputs.entry(name).or_default().extend(set);
            }
            reports.push(Tick {
                outputs,
                quiescent: out.quiescent,
            });
        }
        Ok(reports)
    })
}

fn compile(text: &str) -> Result<hydro_runtime::ir::Plan, String> {
    let compilation = compile_str("generated.hydro", text);
    match compilation.plan {
        Some(plan) if !compilation.has_errors() => Ok(plan),
        _ => Err(format!(
            "the compiler rejected the program:\n{}",
            render_plain(&compilation.sources, &compilation.diagnostics)
        )),
    }
}

/// Queues `input`, each value as a constant of its column's type in the plan.
fn push(engine: &mut Interpreter, input: &TickInput) -> Result<(), String> {
    let relations: BTreeMap<String, (RelId, Vec<ColumnType>)> = engine
        .relations()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let types = r.columns.iter().map(|c| c.ty).collect();
            (r.name.clone(), (RelId(i as u32), types))
        })
        .collect();
    for (rel, tuples) in input {
        let (id, types) = relations
            .get(rel)
            .ok_or_else(|| format!("no relation `{rel}` in the plan"))?;
        for t in tuples {
            let tuple = t
                .iter()
                .zip(types)
                .map(|(&v, ty)| match ty {
                    ColumnType::U64 => u64::try_from(v).map(Const::U64).map_err(|e| e.to_string()),
                    ColumnType::I64 => i64::try_from(v).map(Const::I64).map_err(|e| e.to_string()),
                    ColumnType::String => usize::try_from(v)
                        .ok()
                        .and_then(|i| STRINGS.get(i))
                        .map(|s| Const::String((*s).to_owned()))
                        .ok_or_else(|| format!("no string of rank {v}")),
                    other => Err(format!("the plan gives `{rel}` a column of type {other}")),
                })
                .collect::<Result<Vec<Const>, String>>()?;
            engine
                .push_input(*id, tuple)
                .map_err(|e| format!("push_input: {e}"))?;
        }
    }
    Ok(())
}

fn to_values(tuples: impl Iterator<Item = Vec<Const>>) -> Result<BTreeSet<Vec<Value>>, String> {
    tuples
        .map(|t| {
            t.iter()
                .map(|c| match c {
                    Const::U64(v) => Ok(Value::from(*v)),
                    Const::I64(v) => Ok(Value::from(*v)),
                    Const::String(s) => match STRINGS.iter().position(|t| t == s) {
                        Some(rank) => Ok(rank as Value),
                        None => Err(format!("the program produced the string {s:?}")),
                    },
                    other => Err(format!("the program produced the value {other:?}")),
                })
                .collect()
        })
        .collect()
}

/// Runs `f` on its own thread; an error if it panics or does not finish in time.
fn with_time_limit<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(TIME_LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "no result within {TIME_LIMIT:?} (the thread is left running)"
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the compiler or the engine panicked (message above)".to_owned())
        }
    }
}
