//! End-to-end tests of the `hydro` binary: `check` (with `--calm`), `run` (facts in,
//! outputs out, the tick limit, every kind of bad facts file), `graph` and `explain`. Each test works in its own
//! temporary folder, with paths relative to it so that messages are exact.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use hydro_compiler::diag::Code;

const TC: &str = "\
input  edge(src: u64, dst: u64);
output path(src: u64, dst: u64);
output hop(src: u64);
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
hop(x) :- edge(x, _).
";

/// Runs `hydro` with `args` in `dir`.
fn hydro(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hydro"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("the hydro binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary folder holding `files` (path, contents).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }
    dir
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

#[test]
fn run_writes_sorted_tab_separated_outputs() {
    let dir = folder(&[
        ("tc.hydro", TC),
        ("in/edge.facts", "2\t3\r\n1\t2\n3\t1\n\n"),
    ]);
    let out = hydro(
        dir.path(),
        &["run", "tc.hydro", "-F", "in", "-D", "out/nested"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let mut expected = String::new();
    for x in 1..=3 {
        for y in 1..=3 {
            expected.push_str(&format!("{x}\t{y}\n"));
        }
    }
    assert_eq!(read(dir.path(), "out/nested/path.csv"), expected);
    assert_eq!(read(dir.path(), "out/nested/hop.csv"), "1\n2\n3\n");
}

#[test]
fn run_defaults_to_the_current_folder() {
    let dir = folder(&[("tc.hydro", TC), ("edge.facts", "5\t6\n")]);
    let out = hydro(dir.path(), &["run", "tc.hydro"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read(dir.path(), "path.csv"), "5\t6\n");
    assert_eq!(read(dir.path(), "hop.csv"), "5\n");
}

#[test]
fn run_to_stdout_prints_each_output_after_a_header_in_declaration_order() {
    let dir = folder(&[("tc.hydro", TC), ("edge.facts", "1\t2\n")]);
    let out = hydro(dir.path(), &["run", "tc.hydro", "-D", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "== path ==\n1\t2\n== hop ==\n1\n");
    assert!(!dir.path().join("path.csv").exists());
}

#[test]
fn empty_facts_file_means_no_tuples() {
    let dir = folder(&[("tc.hydro", TC), ("edge.facts", "")]);
    let out = hydro(dir.path(), &["run", "tc.hydro", "-D", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "== path ==\n== hop ==\n");
}

#[test]
fn missing_facts_file_names_the_relation() {
    let dir = folder(&[("tc.hydro", TC), ("in/other.facts", "")]);
    let out = hydro(dir.path(), &["run", "tc.hydro", "-F", "in"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: missing facts file `in/edge.facts` for input relation `edge` \
         (create it, empty if `edge` has no tuples)\n"
    );
}

#[test]
fn facts_line_with_wrong_arity_is_an_error() {
    let dir = folder(&[("tc.hydro", TC), ("in/edge.facts", "1\t2\n3\n")]);
    let out = hydro(dir.path(), &["run", "tc.hydro", "-F", "in", "-D", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: in/edge.facts:2: expected 2 tab-separated values for `edge`, found 1\n"
    );
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written on error"
    );
}

#[test]
fn facts_value_that_does_not_parse_is_an_error() {
    let dir = folder(&[("tc.hydro", TC), ("in/edge.facts", "1\t2\n\n3\t-4\n")]);
    let out = hydro(dir.path(), &["run", "tc.hydro", "-F", "in"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: in/edge.facts:3: column 2 (`dst` of `edge`): cannot read `-4` as u64\n"
    );
}

#[test]
fn lattice_cells_are_json_as_written_and_string_elements_escaped() {
    let program = "\
input  tag(id: u64, t: Set<string>);
input  best(id: u64, b: Max<string>);
output tags(id: u64, t: Set<string>);
output bests(id: u64, b: Max<string>);
tags(i, t) :- tag(i, t).
bests(i, b) :- best(i, b).
";
    // The JSON cells hold JSON escapes only; the `Max<string>` cells are string cells.
    let tag = concat!(
        r#"1	["a\"b","C:\\temp","\u00e9","x\ty"]"#,
        "\n",
        r#"1	["z"]"#,
        "\n",
    );
    let best = "1\ttab\\there\n1\tback\\\\slash\n";
    let dir = folder(&[
        ("p.hydro", program),
        ("in/tag.facts", tag),
        ("in/best.facts", best),
    ]);
    let out = hydro(dir.path(), &["run", "p.hydro", "-F", "in", "-D", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tags = read(dir.path(), "out/tags.csv");
    let bests = read(dir.path(), "out/bests.csv");
    assert_eq!(
        tags,
        "1\t[\"C:\\\\temp\",\"a\\\"b\",\"x\\ty\",\"z\",\"é\"]\n"
    );
    assert_eq!(bests, "1\ttab\\there\n");

    // What was written reads back as the same tuples.
    fs::write(dir.path().join("in/tag.facts"), &tags).expect("write");
    fs::write(dir.path().join("in/best.facts"), &bests).expect("write");
    let again = hydro(dir.path(), &["run", "p.hydro", "-F", "in", "-D", "out"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(read(dir.path(), "out/tags.csv"), tags);
    assert_eq!(read(dir.path(), "out/bests.csv"), bests);
}

#[test]
fn a_bad_lattice_cell_is_one_short_error() {
    let program = "\
input  stock(store: string, items: Map<string, Max<u64>>);
output all(store: string, items: Map<string, Max<u64>>);
all(s, i) :- stock(s, i).
";
    let dir = folder(&[
        ("p.hydro", program),
        ("in/stock.facts", "north\t{\"a\":2,\"a\":1}\n"),
    ]);
    let out = hydro(dir.path(), &["run", "p.hydro", "-F", "in"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: in/stock.facts:1: column 2 (`items` of `stock`): cannot read \
         `{\"a\":2,\"a\":1}` as Map<string, Max<u64>>: the key \"a\" appears twice\n"
    );
}

#[test]
fn tick_limit_stops_a_program_that_never_settles() {
    let counter = "\
scratch now(n: u64);
output  seen(n: u64);
now(0).
now(n + 1)@next :- now(n).
seen(n) :- now(n).
";
    let dir = folder(&[("counter.hydro", counter)]);
    let out = hydro(
        dir.path(),
        &["run", "counter.hydro", "--ticks", "3", "-D", "-"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "== seen ==\n0\n1\n2\n");
    assert_eq!(
        stderr(&out),
        "warning: stopped after 3 ticks without reaching quiescence \
         (raise the limit with --ticks N)\n"
    );
}

#[test]
fn run_refuses_a_program_with_errors() {
    let dir = folder(&[("bad.hydro", "output p(x: u64);\np(x) :- q(x).\n")]);
    let out = hydro(dir.path(), &["run", "bad.hydro", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E0101]"), "{err}");
    assert!(
        err.ends_with("error: could not compile `bad.hydro`: 1 error\n"),
        "{err}"
    );
}

#[test]
fn check_succeeds_quietly_on_a_good_program() {
    let dir = folder(&[("tc.hydro", TC)]);
    let out = hydro(dir.path(), &["check", "tc.hydro"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_reports_each_file_with_errors_and_fails() {
    let dir = folder(&[
        ("tc.hydro", TC),
        ("bad.hydro", "output p(x: u64);\np(x) :- q(x).\n"),
    ]);
    let out = hydro(
        dir.path(),
        &["check", "tc.hydro", "bad.hydro", "--color", "never"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E0101]"), "{err}");
    assert!(err.contains("bad.hydro:2:"), "the location is shown: {err}");
    assert!(
        !err.contains("\u{1b}["),
        "no colour with --color never: {err}"
    );
    assert!(
        err.ends_with("error: could not check `bad.hydro`: 1 error\n"),
        "{err}"
    );
    assert!(!err.contains("`tc.hydro`"), "{err}");
}

#[test]
fn check_colours_diagnostics_when_asked() {
    let dir = folder(&[("bad.hydro", "output p(x: u64);\np(x) :- q(x).\n")]);
    let out = hydro(dir.path(), &["--color", "always", "check", "bad.hydro"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("\u{1b}["), "{}", stderr(&out));
}

#[test]
fn check_of_a_missing_file_fails() {
    let dir = folder(&[]);
    let out = hydro(dir.path(), &["check", "nowhere.hydro"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nowhere.hydro"), "{}", stderr(&out));
}

#[test]
fn explain_prints_title_and_explanation() {
    let dir = folder(&[]);
    let out = hydro(dir.path(), &["explain", "E0101"]);
    assert!(out.status.success());
    let code = Code::UnknownRelation;
    assert_eq!(
        stdout(&out),
        format!("E0101: {}\n\n{}\n", code.title(), code.explanation())
    );
}

#[test]
fn explain_of_an_unknown_code_points_at_the_list() {
    let dir = folder(&[]);
    let out = hydro(dir.path(), &["explain", "E9999"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: unknown diagnostic code `E9999` (`hydro explain --list` lists every code)\n"
    );
}

#[test]
fn explain_list_has_a_line_per_code() {
    let dir = folder(&[]);
    let out = hydro(dir.path(), &["explain", "--list"]);
    assert!(out.status.success());
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    let expected: Vec<String> = Code::ALL
        .iter()
        .map(|c| format!("{}: {}", c.as_str(), c.title()))
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn every_subcommand_has_help_and_the_binary_a_version() {
    let dir = folder(&[]);
    for sub in ["check", "run", "graph", "explain"] {
        let out = hydro(dir.path(), &[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        assert!(
            stdout(&out).contains("Usage: hydro"),
            "{sub}: {}",
            stdout(&out)
        );
    }
    let help = stdout(&hydro(dir.path(), &["run", "--help"]));
    assert!(help.contains("== NAME =="), "{help}");
    let version = hydro(dir.path(), &["--version"]);
    assert_eq!(
        stdout(&version),
        format!("hydro {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unreadable_program_files_are_plain_errors_naming_the_file() {
    let dir = folder(&[("sub/keep.txt", "")]);
    fs::write(dir.path().join("latin1.hydro"), b"input a(x: u64);\n\xe9\n").expect("write");
    for (args, expected) in [
        (
            vec!["check", "missing.hydro"],
            "error: cannot read `missing.hydro`: ",
        ),
        (
            vec!["run", "missing.hydro"],
            "error: cannot read `missing.hydro`: ",
        ),
        (
            vec!["check", "sub"],
            "error: `sub` is a folder, not a source file",
        ),
        (
            vec!["check", "latin1.hydro"],
            "error: `latin1.hydro` is not UTF-8 text: invalid byte at line 2, column 1",
        ),
    ] {
        let out = hydro(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with(expected), "{args:?}: {err}");
        assert_eq!(
            err.matches("os error").count(),
            err.contains("os error") as usize,
            "{err}"
        );
    }
}

#[test]
fn a_missing_facts_folder_or_a_file_as_output_folder_is_one_clear_error() {
    let program = "input a(x: u64);\ninput b(x: u64);\noutput c(x: u64);\nc(x) :- a(x), b(x).\n";
    let dir = folder(&[
        ("p.hydro", program),
        ("in/a.facts", "1\n"),
        ("in/b.facts", "1\n"),
    ]);
    fs::write(dir.path().join("taken"), "").expect("write");

    let out = hydro(
        dir.path(),
        &["run", "p.hydro", "-F", "nowhere", "-D", "out"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the facts folder `nowhere` does not exist"),
        "{err}"
    );

    let out = hydro(dir.path(), &["run", "p.hydro", "-F", "in", "-D", "taken"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the output path `taken` is not a folder"),
        "{}",
        stderr(&out)
    );
}

/// A program with one point of order (the negation of an input) and a `monotone`
/// output that keeps its promise.
const ORDERS: &str = "\
input request(id: u64);
input cancel(id: u64);
monotone output requested(id: u64);
output accepted(id: u64);
requested(r) :- request(r).
accepted(r) :- requested(r), !cancel(r).
";

#[test]
fn check_calm_prints_the_report_after_the_diagnostics() {
    let dir = folder(&[("orders.hydro", ORDERS)]);
    let out = hydro(dir.path(), &["check", "--calm", "orders.hydro"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    assert!(
        text.starts_with("CALM report for `orders.hydro`\n"),
        "{text}"
    );
    assert!(
        text.contains("6:30 negation of `cancel`: point of order, `cancel` is async-fed"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "summary: rules monotone 1/2, relations monotone 3/4, outputs monotone 1/2, \
             points of order 1\n"
        ),
        "{text}"
    );

    // Without `--calm`, `check` stays quiet.
    let out = hydro(dir.path(), &["check", "orders.hydro"]);
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_calm_json_is_one_object_with_stable_keys() {
    let dir = folder(&[("orders.hydro", ORDERS)]);
    let out = hydro(
        dir.path(),
        &["check", "--calm", "--format", "json", "orders.hydro"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["file"], "orders.hydro");
    assert_eq!(json["summary"]["points_of_order"], 1);
    assert_eq!(json["relations"][3]["name"], "accepted");
    assert_eq!(
        json["relations"][3]["reason"]["construct"]["kind"],
        "negation"
    );
    assert_eq!(json["rules"][1]["constructs"][0]["at"]["line"], 6);
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim().split('"').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(keys, ["file", "relations", "rules", "summary"]);

    // `--format` only describes the report.
    let out = hydro(dir.path(), &["check", "--format", "json", "orders.hydro"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_broken_promise_fails_check_and_run_but_still_reports() {
    let broken = ORDERS.replace("output accepted", "monotone output accepted");
    let dir = folder(&[
        ("orders.hydro", &broken),
        ("request.facts", "1\n"),
        ("cancel.facts", ""),
    ]);
    let out = hydro(
        dir.path(),
        &["check", "--calm", "orders.hydro", "--color", "never"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[E0701]: negation of `cancel` reaches `accepted`"),
        "{err}"
    );
    assert!(
        err.contains("`accepted` is promised monotone here"),
        "{err}"
    );
    assert!(stdout(&out).contains("monotone output"), "{}", stdout(&out));

    let out = hydro(dir.path(), &["run", "orders.hydro", "-D", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0701"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn graph_prints_mermaid_by_default_and_dot_when_asked() {
    let dir = folder(&[("orders.hydro", ORDERS)]);
    let out = hydro(dir.path(), &["graph", "orders.hydro"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mermaid = stdout(&out);
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(
        mermaid.contains("r_cancel -.->|\"not\"| r_accepted"),
        "{mermaid}"
    );
    assert!(mermaid.contains("linkStyle 2 stroke:red"), "{mermaid}");

    let out = hydro(dir.path(), &["graph", "orders.hydro", "--format", "dot"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dot = stdout(&out);
    assert!(dot.starts_with("digraph hydro {\n"), "{dot}");
    assert!(
        dot.contains("r_cancel -> r_accepted [label=\"not\", style=dashed, color=red"),
        "{dot}"
    );

    // Same input, same output.
    let again = hydro(dir.path(), &["graph", "orders.hydro", "--format", "dot"]);
    assert_eq!(stdout(&again), dot);
}

#[test]
fn graph_of_a_program_with_errors_prints_nothing() {
    let dir = folder(&[("bad.hydro", "output a(x: u64);\na(x) :- b(x).\n")]);
    let out = hydro(dir.path(), &["graph", "bad.hydro", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("E0101"), "{}", stderr(&out));
}
