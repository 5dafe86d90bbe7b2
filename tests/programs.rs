//! The example programs of `programs/` pass `hydro check` and `hydro run` reproduces
//! their expected outputs byte for byte.
//!
//! Each folder `programs/<name>/` holds `program.hydro`, `facts/<input>.facts` (one file
//! per `input` relation) and `expected/<output>.csv` (one file per `output` relation,
//! holding every tuple the relation emitted in any tick, sorted). The expected files
//! were computed independently of the engine, so a mismatch is a bug in the engine or
//! in the program, never something to re-record blindly.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hydro_compiler::compile_file;
use hydro_runtime::ir::RelationKind;
use hydro_tests::{hydro_bin, repo_root};

/// How many lines of each side a mismatch report shows, from the first difference.
const DIFF_CONTEXT: usize = 4;

/// Every program folder, sorted by name.
fn program_dirs() -> Vec<PathBuf> {
    let root = repo_root().join("programs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("programs/ is readable")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The names of the files directly in `dir` whose name ends with `.{ext}`, without the
/// extension; empty if `dir` does not exist.
fn file_stems(dir: &Path, ext: &str) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix(&format!(".{ext}")).map(str::to_owned)
        })
        .collect()
}

/// Everything in `dir`, by file name.
fn all_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| entry.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn describe(output: &Output) -> String {
    format!(
        "exit status {}\n--- stdout\n{}--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A report of where `actual` first departs from `expected`, or `None` if they agree.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let expected_lines: Vec<&str> = expected.split_inclusive('\n').collect();
    let actual_lines: Vec<&str> = actual.split_inclusive('\n').collect();
    let first = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(e, a)| e != a)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    let mut report = format!(
        "first difference at line {} ({} expected lines, {} actual lines)\n",
        first + 1,
        expected_lines.len(),
        actual_lines.len()
    );
    let window = |lines: &[&str]| -> Vec<String> {
        let shown: Vec<String> = lines
            .iter()
            .skip(first)
            .take(DIFF_CONTEXT)
            .map(|line| format!("{line:?}"))
            .collect();
        if shown.is_empty() {
            vec!["(end of file)".to_owned()]
        } else {
            shown
        }
    };
    for line in window(&expected_lines) {
        let _ = writeln!(report, "  - {line}");
    }
    for line in window(&actual_lines) {
        let _ = writeln!(report, "  + {line}");
    }
    Some(report)
}

/// The layout of one program folder agrees with the program's declarations: one facts
/// file per `input`, one expected file per `output`, and nothing else. Returns the
/// names of the expected files that belong to an output, when the program compiles.
fn check_layout(dir: &Path, failures: &mut Vec<String>) -> Option<BTreeSet<String>> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let program = dir.join("program.hydro");
    let Ok(text) = std::fs::read_to_string(&program) else {
        failures.push(format!("{name}: program.hydro is missing"));
        return None;
    };
    if !text.starts_with("//!") {
        failures.push(format!(
            "{name}: program.hydro must open with a `//!` header"
        ));
    }

    // The declarations come from the compiler; without a plan, `hydro check` reports why.
    let compilation = compile_file(&program).expect("the program file is readable");
    let plan = compilation.plan?;
    let declared = |kind: RelationKind| -> BTreeSet<String> {
        plan.relations
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.name.clone())
            .collect()
    };
    for (kind, folder, ext) in [
        (RelationKind::Input, "facts", "facts"),
        (RelationKind::Output, "expected", "csv"),
    ] {
        let want = declared(kind);
        let have = file_stems(&dir.join(folder), ext);
        for missing in want.difference(&have) {
            failures.push(format!(
                "{name}: {kind} `{missing}` has no {folder}/{missing}.{ext}",
                kind = kind.keyword()
            ));
        }
        for extra in have.difference(&want) {
            failures.push(format!(
                "{name}: {folder}/{extra}.{ext} matches no {kind} relation",
                kind = kind.keyword()
            ));
        }
    }
    let outputs = declared(RelationKind::Output);
    Some(
        outputs
            .into_iter()
            .map(|name| format!("{name}.csv"))
            .collect(),
    )
}

/// `hydro check` accepts the program.
fn check_program(dir: &Path, name: &str, failures: &mut Vec<String>) {
    let output = Command::new(hydro_bin())
        .arg("check")
        .arg(dir.join("program.hydro"))
        .output()
        .expect("the hydro binary starts");
    if !output.status.success() {
        failures.push(format!(
            "{name}: `hydro check` failed\n{}",
            describe(&output)
        ));
    }
}

/// A fresh, empty folder under the test's scratch space.
fn scratch_dir(parts: &[&str]) -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.extend(parts);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder can be created");
    dir
}

/// `hydro run` on the facts in `facts` writes exactly the expected output files, byte
/// for byte. `expected` narrows the comparison to the expected files of declared
/// outputs (the layout check reports the others). `name` labels the failures.
fn run_program(
    dir: &Path,
    facts: &Path,
    (name, flags): (&str, &[&str]),
    expected: Option<&BTreeSet<String>>,
    failures: &mut Vec<String>,
) {
    let out_dir = scratch_dir(&["programs", name, "out"]);

    let output = Command::new(hydro_bin())
        .arg("run")
        .args(flags)
        .arg(dir.join("program.hydro"))
        .arg("-F")
        .arg(facts)
        .arg("-D")
        .arg(&out_dir)
        .output()
        .expect("the hydro binary starts");
    if !output.status.success() {
        failures.push(format!("{name}: `hydro run` failed\n{}", describe(&output)));
        return;
    }

    let expected_dir = dir.join("expected");
    let mut expected_files = all_files(&expected_dir);
    if let Some(declared) = expected {
        expected_files.retain(|file| declared.contains(file));
    }
    for file in &expected_files {
        let want = std::fs::read_to_string(expected_dir.join(file)).expect("expected file");
        let Ok(got) = std::fs::read_to_string(out_dir.join(file)) else {
            failures.push(format!("{name}: `hydro run` wrote no {file}"));
            continue;
        };
        if let Some(report) = first_difference(&want, &got) {
            failures.push(format!(
                "{name}: {file} differs from expected/{file}: {report}"
            ));
        }
    }
    let written = all_files(&out_dir);
    for file in written.difference(&expected_files) {
        if expected.is_some_and(|declared| declared.contains(file)) {
            continue; // an output without an expected file: reported by the layout check
        }
        failures.push(format!("{name}: `hydro run` wrote unexpected file {file}"));
    }
}

#[test]
fn programs_check_and_reproduce_their_expected_outputs() {
    let dirs = program_dirs();
    assert!(
        dirs.len() >= 10,
        "programs/ should hold at least ten programs"
    );

    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().expect("a folder name").to_string_lossy();
        let expected = check_layout(dir, &mut failures);
        check_program(dir, &name, &mut failures);
        run_program(
            dir,
            &dir.join("facts"),
            (&name, &[]),
            expected.as_ref(),
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) with the example programs:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Relations are sets: the order of the lines of the facts files cannot matter.
#[test]
fn outputs_do_not_depend_on_the_order_of_facts_lines() {
    let mut failures = Vec::new();
    for dir in program_dirs() {
        let name = dir.file_name().expect("a folder name").to_string_lossy();
        let label = format!("{name} (facts lines reversed)");
        let facts = scratch_dir(&["programs", &name, "reversed-facts"]);
        for file in all_files(&dir.join("facts")) {
            let text = std::fs::read_to_string(dir.join("facts").join(&file)).expect("facts");
            let reversed: String = text.lines().rev().map(|line| format!("{line}\n")).collect();
            std::fs::write(facts.join(&file), reversed).expect("a facts file can be written");
        }
        run_program(&dir, &facts, (&label, &[]), None, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn first_difference_points_at_the_first_differing_line() {
    assert_eq!(first_difference("1\t2\n", "1\t2\n"), None);
    let report = first_difference("1\t2\n3\t4\n", "1\t2\n3\t5\n").expect("a difference");
    assert!(report.contains("at line 2"), "{report}");
    assert!(report.contains(r#"- "3\t4\n""#), "{report}");
    assert!(report.contains(r#"+ "3\t5\n""#), "{report}");
    let report = first_difference("1\n", "1\n2\n").expect("a difference");
    assert!(report.contains("at line 2"), "{report}");
    assert!(report.contains("(end of file)"), "{report}");
}

/// Naive evaluation (`hydro run --naive`, every rule over whole relations in every
/// iteration) derives the same outputs as the usual semi-naive evaluation, lattice
/// programs included: both reproduce the expected files.
#[test]
fn naive_evaluation_reproduces_the_expected_outputs() {
    let mut failures = Vec::new();
    for dir in program_dirs() {
        let name = dir.file_name().expect("a folder name").to_string_lossy();
        let label = format!("{name}-naive");
        run_program(
            &dir,
            &dir.join("facts"),
            (&label, &["--naive"]),
            None,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every program's CALM report, as `hydro check --calm` prints it, is snapshotted: a
/// change in what the analysis says about a program shows up in review.
#[test]
fn calm_reports_of_the_programs() {
    for dir in program_dirs() {
        let name = dir.file_name().expect("a folder name").to_string_lossy();
        let relative = format!("programs/{name}/program.hydro");
        let output = Command::new(hydro_bin())
            .args(["check", "--calm", &relative])
            .current_dir(repo_root())
            .output()
            .expect("the hydro binary starts");
        assert!(output.status.success(), "{name}: {}", describe(&output));
        let report = String::from_utf8(output.stdout).expect("a UTF-8 report");
        insta::assert_snapshot!(format!("calm_{name}"), report);
    }
}
