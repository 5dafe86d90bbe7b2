//! `hydro run` agrees with the reference evaluator: the program and its first tick's
//! input go to files (`<input>.facts`), the outputs come back from `<output>.csv`, so
//! the facts reader, the tick driver and the output writer are checked too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

use crate::agreement::differences;
use crate::config;
use crate::generate::{cases, Mode};
use crate::program::{Kind, Program, TickInput, Type, Value};
use crate::reference::{self, Db};

/// The most ticks `hydro run` may take; a run stops earlier at a quiescent tick, which
/// later ticks would only repeat.
const TICKS: usize = 4;

/// Each case starts a process: fewer cases than the in-process properties.
fn cli_config() -> Config {
    let mut config = config();
    config.cases = config.cases.div_ceil(3);
    config
}

proptest! {
    #![proptest_config(cli_config())]

    /// Every tuple each output emitted over the run is the reference's, for programs
    /// with tables, `@next` and `delete` fed from facts files.
    #[test]
    fn hydro_run_agrees_with_reference(case in cases(Mode::Ticks)) {
        let text = case.program.render();
        let input = &case.inputs[0];
        let mut expected = Db::new();
        for tick in reference::run(&case.program, std::slice::from_ref(input), TICKS) {
            for (rel, tuples) in tick {
                expected.entry(rel).or_default().extend(tuples);
            }
        }
        let actual = hydro_run(&case.program, &text, input)
            .map_err(|e| TestCaseError::fail(format!("{e}\nprogram:\n{text}")))?;
        prop_assert!(actual == expected, "{}program:\n{}", differences(&expected, &actual), text);
    }
}

/// A fresh folder for one run, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("hydro-props-{}-{n}", std::process::id()));
        std::fs::create_dir_all(dir.join("facts")).expect("the temporary folder is writable");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the program and its facts files, runs `hydro run`, reads the outputs.
fn hydro_run(program: &Program, text: &str, input: &TickInput) -> Result<Db, String> {
    let scratch = Scratch::new();
    let dir = &scratch.0;
    std::fs::write(dir.join("program.hydro"), text).map_err(|e| e.to_string())?;

    // One facts file per input relation, empty when it gets no tuple; a tuple of a
    // zero-column relation is an empty line.
    for rel in program.relations.iter().filter(|r| r.kind == Kind::Input) {
        let lines: String = input
            .get(&rel.name)
            .into_iter()
            .flatten()
            .map(|t| format!("{}\n", join(program.ty, t)))
            .collect();
        let path = dir.join("facts").join(format!("{}.facts", rel.name));
        std::fs::write(path, lines).map_err(|e| e.to_string())?;
    }

    let out = Command::new(hydro_tests::hydro_bin())
        .arg("run")
        .arg(dir.join("program.hydro"))
        .arg("-F")
        .arg(dir.join("facts"))
        .arg("-D")
        .arg(dir.join("out"))
        .args(["--ticks", &TICKS.to_string()])
        .output()
        .map_err(|e| format!("cannot start hydro: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "hydro run failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    let mut outputs = Db::new();
    for rel in program.relations.iter().filter(|r| r.kind == Kind::Output) {
        let path = dir.join("out").join(format!("{}.csv", rel.name));
        let tuples = read_csv(&path, rel.arity, program.ty)?;
        outputs.insert(rel.name.clone(), tuples);
    }
    Ok(outputs)
}

fn join(ty: Type, tuple: &[Value]) -> String {
    tuple
        .iter()
        .map(|&v| ty.text(v))
        .collect::<Vec<_>>()
        .join("\t")
}

/// Reads an output file: tab-separated values, or for a zero-column relation, its one
/// tuple if the file has a line.
fn read_csv(path: &Path, arity: usize, ty: Type) -> Result<BTreeSet<Vec<Value>>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if arity == 0 {
        return Ok(if text.is_empty() {
            BTreeSet::new()
        } else {
            [vec![]].into()
        });
    }
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.split('\t')
                .map(|v| {
                    ty.parse(v)
                        .ok_or_else(|| format!("`{line}` in {}: not a value", path.display()))
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_harness_reads_back_a_known_result() {
    // path is the transitive closure of 1 -> 2 -> 3; ok() holds when 1 reaches 3.
    use crate::reference_tests::{input, pos, rel, rule, tuples};
    let program = Program {
        ty: crate::program::Type::U64,
        relations: vec![
            rel("edge", Kind::Input, 2, 0),
            rel("path", Kind::Output, 2, 1),
            rel("ok", Kind::Output, 0, 2),
        ],
        facts: vec![],
        rules: vec![
            rule("path", "x y", vec![pos("edge", "x y")]),
            rule("path", "x z", vec![pos("path", "x y"), pos("edge", "y z")]),
            rule("ok", "", vec![pos("path", "1 3")]),
        ],
    };
    let got = hydro_run(
        &program,
        &program.render(),
        &input("edge", &[&[1, 2], &[2, 3]]),
    )
    .expect("hydro run succeeds");
    assert_eq!(got["path"], tuples(&[&[1, 2], &[1, 3], &[2, 3]]));
    assert_eq!(got["ok"], tuples(&[&[]]));
}
