//! No input makes the front end panic: property tests over random bytes and over
//! mutations of valid programs (characters and tokens deleted, inserted, duplicated and
//! swapped). 256 cases per strategy by default; `PROPTEST_CASES` overrides.

use hydro_compiler::compile_str;
use hydro_compiler::diag::render_plain;
use hydro_compiler::source::FileId;
use hydro_compiler::syntax;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Runs the whole front end (load, parse, check, lower) on `text`. Every span of every
/// diagnostic must lie inside its file, on character boundaries, the diagnostics must
/// render, and a plan exists exactly when there is no error.
fn run_front_end(text: &str) {
    let compilation = compile_str("fuzz.hydro", text);
    for d in &compilation.diagnostics {
        for span in std::iter::once(d.primary.span).chain(d.secondary.iter().map(|l| l.span)) {
            let file_text = &compilation.sources.file(span.file).text;
            assert!(span.start <= span.end, "inverted span {span:?} in {d:?}");
            assert!(
                file_text.get(span.range()).is_some(),
                "span {span:?} is not inside its file or splits a character: {d:?}"
            );
        }
    }
    let rendered = render_plain(&compilation.sources, &compilation.diagnostics);
    assert_eq!(compilation.diagnostics.is_empty(), rendered.is_empty());
    assert_eq!(compilation.plan.is_some(), !compilation.has_errors());
}

/// Valid programs covering the whole core, the seeds of the mutations.
const SEEDS: &[&str] = &[
    r#"import "lib.hydro";
input edge(src: u64, dst: u64);
output path(src: u64, dst: u64);
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
"#,
    r#"input node(n: u64); input edge(a: u64, b: u64,);
output lonely(n: u64); output degree(n: u64, d: u64);
/* block */ lonely(x) :- node(x), !edge(x, _). // line
degree(x, count(y)) :- edge(x, y).
"#,
    r#"table seen(node: u64); scratch frontier(node: u64); input forget(n: u64);
seen(x)@next :- frontier(x).
delete seen(x) :- forget(x).
frontier(1). ok().
"#,
    r#"input dist(x: i64, d: f64, s: string, b: bool);
output near(x: i64, m: Min<f64>);
near(x, min(d * 2.5e-3)) :- dist(x, d, s, true), d < 10, y = -(d - 1) % 3, y != 4, s = "a\"\n".
"#,
];

/// Tokens worth inserting: every kind of token, some typos, and comment/string openers.
const TOKENS: &[&str] = &[
    "(",
    ")",
    ",",
    ";",
    ".",
    ":",
    ":-",
    ":=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "==",
    "!=",
    "!",
    "+",
    "-",
    "*",
    "/",
    "%",
    "@next",
    "@",
    "_",
    "x",
    "input",
    "delete",
    "import",
    "count",
    "42",
    "1.5",
    "1e",
    "99999999999999999999",
    "\"",
    "\"s\"",
    "\\",
    "/*",
    "*/",
    "//",
    "\n",
    "é",
    "((((",
    "))))",
    "#",
];

fn config() -> Config {
    // `Config::default()` reads PROPTEST_CASES; without it, 256 cases keep CI fast.
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    config.failure_persistence = None;
    config
}

/// One edit of a program, positions given as fractions of its length.
#[derive(Clone, Debug)]
enum Edit {
    DeleteChar(f64),
    InsertChar(f64, char),
    DeleteRange(f64, f64),
    DuplicateRange(f64, f64),
    SwapChars(f64, f64),
    InsertToken(f64, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    prop_oneof![
        at.clone().prop_map(Edit::DeleteChar),
        (at.clone(), any::<char>()).prop_map(|(a, c)| Edit::InsertChar(a, c)),
        (at.clone(), at.clone()).prop_map(|(a, b)| Edit::DeleteRange(a, b)),
        (at.clone(), at.clone()).prop_map(|(a, b)| Edit::DuplicateRange(a, b)),
        (at.clone(), at.clone()).prop_map(|(a, b)| Edit::SwapChars(a, b)),
        (at, 0..TOKENS.len()).prop_map(|(a, t)| Edit::InsertToken(a, t)),
    ]
}

/// Applies `edit` to the characters of a program.
fn apply(chars: &mut Vec<char>, edit: &Edit) {
    let index = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
    let len = chars.len();
    match *edit {
        Edit::DeleteChar(a) if len > 0 => {
            chars.remove(index(a, len - 1));
        }
        Edit::InsertChar(a, c) => chars.insert(index(a, len), c),
        Edit::DeleteRange(a, b) => {
            let (a, b) = (index(a.min(b), len), index(a.max(b), len));
            chars.drain(a..b);
        }
        Edit::DuplicateRange(a, b) => {
            let (a, b) = (index(a.min(b), len), index(a.max(b), len));
            let copy: Vec<char> = chars[a..b].to_vec();
            let at = b;
            chars.splice(at..at, copy);
        }
        Edit::SwapChars(a, b) if len > 0 => chars.swap(index(a, len - 1), index(b, len - 1)),
        Edit::InsertToken(a, t) => {
            let at = index(a, len);
            chars.splice(at..at, TOKENS[t].chars());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_front_end(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_token_soup_does_not_panic(
        tokens in proptest::collection::vec(0..TOKENS.len(), 0..64)
    ) {
        let text: Vec<&str> = tokens.iter().map(|&t| TOKENS[t]).collect();
        run_front_end(&text.join(" "));
    }

    #[test]
    fn mutated_programs_do_not_panic(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec(edit(), 1..8)
    ) {
        let mut chars: Vec<char> = SEEDS[seed].chars().collect();
        for edit in &edits {
            apply(&mut chars, edit);
        }
        run_front_end(&chars.into_iter().collect::<String>());
    }
}

#[test]
fn the_seeds_are_valid_programs() {
    // The mutations start from programs without errors, or they would test less.
    for seed in SEEDS {
        let (module, diagnostics) = syntax::parse(FileId(0), seed);
        assert!(diagnostics.is_empty(), "{seed}: {diagnostics:#?}");
        assert!(!module.items.is_empty());
    }
}
