//! Snapshot tests of the checks' diagnostics, as users see them.
//!
//! Every `tests/diagnostics/*.hydro` file is a bad program; its rendered diagnostics are
//! snapshotted in `tests/diagnostics/snapshots/`. Files under
//! `tests/diagnostics/imported/` are only imported by them. Paths are relative to the
//! crate, so no machine path appears in a snapshot.
//!
//! The tests load and check programs directly (not through `compile_file`), so that
//! they do not depend on lowering.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hydro_compiler::check::{check, CheckedProgram};
use hydro_compiler::check_loaded;
use hydro_compiler::diag::{self, Code, Diagnostic};
use hydro_compiler::load;
use hydro_compiler::source::SourceMap;
use hydro_compiler::syntax::ast;

/// Loads and checks a program (its promises too), as `compile` does up to lowering.
fn diagnose(
    (items, diagnostics): (Vec<ast::Item>, Vec<Diagnostic>),
) -> (Option<CheckedProgram>, Vec<Diagnostic>) {
    check_loaded(&items, diagnostics)
}

/// Checks the file at `path`; returns its diagnostics.
fn diagnose_file(sources: &mut SourceMap, path: &Path) -> Vec<Diagnostic> {
    diagnose(load::load_file(sources, path).expect("test programs are readable")).1
}

/// Checks source text held in memory.
fn diagnose_str(text: &str) -> (SourceMap, Option<CheckedProgram>, Vec<Diagnostic>) {
    let mut sources = SourceMap::new();
    let loaded = load::load_str(&mut sources, "example.hydro", text);
    let (program, diagnostics) = diagnose(loaded);
    (sources, program, diagnostics)
}

/// The bad programs, sorted by name.
fn bad_programs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/diagnostics")
        .expect("tests/diagnostics is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "hydro"))
        .collect();
    files.sort();
    files
}

#[test]
fn bad_programs_render_as_snapshotted() {
    let files = bad_programs();
    assert!(files.len() >= 32, "only {} bad programs", files.len());
    for file in files {
        let mut sources = SourceMap::new();
        let diagnostics = diagnose_file(&mut sources, &file);
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("program");
        assert!(
            diagnostics.iter().any(Diagnostic::is_error),
            "{name} should have an error"
        );
        let rendered = diag::render_plain(&sources, &diagnostics);
        insta::with_settings!({
            snapshot_path => "diagnostics/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            input_file => &file,
        }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

#[test]
fn bad_programs_are_named_after_their_first_code() {
    // `E0203_head_column_type.hydro` must report E0203 (among others, perhaps).
    for file in bad_programs() {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let Some(code) = name.split('_').next().and_then(Code::parse) else {
            continue;
        };
        let mut sources = SourceMap::new();
        let codes: Vec<Code> = diagnose_file(&mut sources, &file)
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&code), "{name} reports {codes:?}");
    }
}

#[test]
fn every_code_has_a_bad_program() {
    let mut seen = BTreeSet::new();
    for file in bad_programs() {
        let mut sources = SourceMap::new();
        seen.extend(diagnose_file(&mut sources, &file).iter().map(|d| d.code));
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !seen.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "no bad program reports {missing:?}");
}

/// The indented code block that follows `heading` in an explanation.
fn example_after(explanation: &str, heading: &str) -> Option<String> {
    let start = explanation.find(heading)?;
    let mut lines = explanation[start..].lines().skip(1);
    let mut code = String::new();
    for line in lines.by_ref() {
        if line.trim().is_empty() && code.is_empty() {
            continue;
        }
        match line.strip_prefix("    ") {
            Some(text) => {
                code.push_str(text);
                code.push('\n');
            }
            None if line.trim().is_empty() => code.push('\n'),
            None => break,
        }
    }
    Some(code)
}

#[test]
fn explanations_show_an_error_and_its_fix() {
    for &code in Code::ALL {
        let text = code.explanation();
        assert!(text.lines().count() >= 8, "{} is too short", code.as_str());
        let bad = example_after(text, "Erroneous example").expect("an erroneous example");
        let fixed = example_after(text, "Fixed").expect("a fixed example");

        // Imports resolve against the current directory here: skip the import code.
        if code == Code::ImportNotFound {
            continue;
        }
        let (_, _, diagnostics) = diagnose_str(&bad);
        let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&code),
            "{}'s example reports {codes:?}:\n{bad}",
            code.as_str()
        );
        let (sources_fixed, program, diagnostics) = diagnose_str(&fixed);
        assert!(
            diagnostics.is_empty() && program.is_some(),
            "{}'s fixed example:\n{fixed}\n{}",
            code.as_str(),
            diag::render_plain(&sources_fixed, &diagnostics)
        );
    }
}

#[test]
fn good_programs_have_no_diagnostics() {
    let programs = [
        // Transitive closure, negation, an aggregate, time.
        r#"
        input edge(src: u64, dst: u64);
        input forget(node: u64);
        output path(src: u64, dst: u64);
        output lonely(node: u64);
        output degree(node: u64, n: u64);
        scratch node(id: u64);
        table seen(node: u64);

        edge(1, 2).
        node(x) :- edge(x, _).
        node(y) :- edge(_, y).
        path(x, y) :- edge(x, y).
        path(x, z) :- path(x, y), edge(y, z).
        lonely(x) :- node(x), !edge(x, _).
        degree(x, count(y)) :- edge(x, y).
        seen(x)@next :- node(x), !seen(x).
        delete seen(x) :- forget(x).
        "#,
        // Arithmetic, bindings that chain, every type, literals that adapt.
        r#"
        input reading(sensor: string, at: i64, value: f64, ok: bool);
        output scaled(sensor: string, at: i64, value: f64);
        output stats(sensor: string, total: f64, low: f64, n: u64);
        output late(sensor: string, shift: i64);

        scaled(s, t, w) :- reading(s, t, v, true), w = u * 2, u = v + 1, w < 1000.
        stats(s, sum(v), min(v), count(t)) :- reading(s, t, v, _).
        late(s, -d) :- reading(s, t, _, _), d = t % 60 - 3, d != -1.
        "#,
    ];
    for text in programs {
        let (sources, program, diagnostics) = diagnose_str(text);
        assert!(
            diagnostics.is_empty(),
            "{}",
            diag::render_plain(&sources, &diagnostics)
        );
        let program = program.expect("a checked program");
        assert!(!program.strata.is_empty());
    }
}

/// Small edits that turn a valid or invalid program into another one.
#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, &'static str),
    Delete(usize, usize),
}

const TOKENS: &[&str] = &[
    "x",
    "y",
    "_",
    "!",
    "-",
    "1",
    "-1",
    "2.5",
    "\"s\"",
    "true",
    "count(",
    "sum(",
    "min(",
    ")",
    "(",
    ",",
    ".",
    ":-",
    "@next",
    "delete ",
    "u64",
    "i64",
    "string",
    "edge",
    "path",
    "=",
    "<",
    "!=",
    "+",
    "*",
    "/",
    " ",
    "table t(a: u64);",
    "input e(a: u64, b: string);",
];

fn edit() -> impl proptest::strategy::Strategy<Value = Edit> {
    use proptest::prelude::*;
    prop_oneof![
        (any::<usize>(), proptest::sample::select(TOKENS)).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), 1usize..12).prop_map(|(at, n)| Edit::Delete(at, n)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 256, ..Default::default() })]

    /// Checking never panics, and every diagnostic points inside its file.
    #[test]
    fn checking_mutated_programs_does_not_panic(
        seed in proptest::sample::select(bad_programs()),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let mut chars: Vec<char> = std::fs::read_to_string(&seed)
            .expect("a bad program is readable")
            .chars()
            .collect();
        for e in &edits {
            match e {
                Edit::Insert(at, token) => {
                    let at = at % (chars.len() + 1);
                    chars.splice(at..at, token.chars());
                }
                Edit::Delete(at, n) => {
                    let at = at % (chars.len() + 1);
                    let end = (at + n).min(chars.len());
                    chars.drain(at..end);
                }
            }
        }
        let text: String = chars.into_iter().collect();
        // Check whatever parsed, even after syntax errors, to reach more of the checks.
        let mut sources = SourceMap::new();
        let (items, mut diagnostics) = load::load_str(&mut sources, "mutant.hydro", &text);
        diagnostics.extend(check(&items).1);
        for d in &diagnostics {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                let file = sources.file(label.span.file);
                proptest::prop_assert!(label.span.start <= label.span.end);
                proptest::prop_assert!(label.span.end as usize <= file.text.len());
            }
        }
        let _ = diag::render_plain(&sources, &diagnostics);
    }
}
