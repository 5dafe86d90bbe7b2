//! Snapshot tests of the CALM analysis: reports as text (every program) and JSON (a
//! few), the diagnostics of broken promises, and `hydro graph` renderings.
//!
//! Every `tests/calm/*.hydro` program opens with a line `// expect: <summary>` giving
//! its summary (rules monotone n/m, ...), which is checked before the snapshot, so a
//! wrong classification cannot be blessed into a snapshot by accident. Files under
//! `tests/calm/imported/` are only imported.

use std::path::{Path, PathBuf};

use hydro_compiler::check::CheckedProgram;
use hydro_compiler::diag::{self, Diagnostic};
use hydro_compiler::source::SourceMap;
use hydro_compiler::{calm, check_loaded, graph, load};

/// Programs whose report is also snapshotted as JSON.
const JSON: &[&str] = &[
    "negation_local_facts",
    "negation_input_fed",
    "chain_two_relations",
    "deletion",
    "imported_rules",
];

/// Programs whose graph is snapshotted, as Mermaid and as dot.
const GRAPHS: &[&str] = &[
    "transitive_closure",
    "chain_two_relations",
    "aggregates_sum_min_max",
    "next_with_negation",
    "deletion",
    "negation_mixed_sources",
];

/// Loads and checks the program at `path` (its promises too).
fn compile(path: &Path) -> (SourceMap, Option<CheckedProgram>, Vec<Diagnostic>) {
    let mut sources = SourceMap::new();
    let (items, diagnostics) =
        load::load_file(&mut sources, path).expect("test programs are readable");
    let (program, diagnostics) = check_loaded(&items, diagnostics);
    (sources, program, diagnostics)
}

/// The `.hydro` files of a folder, sorted by name.
fn programs(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir} is readable: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "hydro"))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> &str {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("program")
}

/// The summary a program expects, from its first line.
fn expected_summary(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable");
    let first = text.lines().next().unwrap_or_default();
    first
        .strip_prefix("// expect: ")
        .unwrap_or_else(|| panic!("{} has no `// expect:` line", path.display()))
        .to_owned()
}

fn snapshot(name: &str, file: &Path, text: &str) {
    insta::with_settings!({
        snapshot_path => "calm/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        input_file => file,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn reports_match_their_expected_summaries_and_snapshots() {
    let files = programs("tests/calm");
    assert!(files.len() >= 20, "only {} programs", files.len());
    for file in files {
        let name = stem(&file);
        let (sources, program, diagnostics) = compile(&file);
        let program = program.unwrap_or_else(|| {
            panic!(
                "{name} does not check:\n{}",
                diag::render_plain(&sources, &diagnostics)
            )
        });
        let analysis = calm::analyze(&program);
        let report = calm::report(&program, &analysis, &sources);
        let text = calm::render_text(&report);
        let summary = format!("summary: {}\n", expected_summary(&file));
        assert!(text.ends_with(&summary), "{name}:\n{text}");

        // Broken promises show their diagnostics above the report.
        let mut shown = diag::render_plain(&sources, &diagnostics);
        if !shown.is_empty() {
            shown.push('\n');
        }
        shown.push_str(&text);
        snapshot(name, &file, &shown);
        if JSON.contains(&name) {
            let json = serde_json::to_string_pretty(&report).expect("serializable");
            snapshot(&format!("{name}.json"), &file, &json);
        }
        if GRAPHS.contains(&name) {
            let drawn = graph::build(&program, &analysis);
            snapshot(
                &format!("{name}.mermaid"),
                &file,
                &graph::mermaid::render(&drawn),
            );
            snapshot(&format!("{name}.dot"), &file, &graph::dot::render(&drawn));
        }
    }
}

#[test]
fn every_listed_program_exists() {
    for name in JSON.iter().chain(GRAPHS) {
        let path = format!("tests/calm/{name}.hydro");
        assert!(Path::new(&path).is_file(), "{path} is missing");
    }
}

#[test]
fn promises_are_errors_exactly_where_expected() {
    for file in programs("tests/calm") {
        let name = stem(&file);
        let (_, _, diagnostics) = compile(&file);
        let broken = name.contains("broken");
        assert_eq!(
            diagnostics.iter().any(Diagnostic::is_error),
            broken,
            "{name}: {diagnostics:?}"
        );
    }
}
