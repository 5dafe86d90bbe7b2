//! The book's examples compile as the book says they do.
//!
//! Every fenced block tagged `hydro` in `book/src/**/*.md` must pass the checks;
//! a block tagged `hydro,error=E0101` must fail with exactly that code among its
//! errors; `hydro,fragment` marks an excerpt that is not a whole program (left
//! unchecked). Untagged or other-language blocks are ignored.

use std::path::{Path, PathBuf};

use hydro_compiler::compile_str;
use hydro_tests::repo_root;

/// One fenced Hydro block of the book.
struct Example {
    file: PathBuf,
    line: usize,
    info: String,
    code: String,
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("book/src is readable")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn examples() -> Vec<Example> {
    let mut files = Vec::new();
    markdown_files(&repo_root().join("book/src"), &mut files);
    let mut examples = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("book page is readable");
        let mut open: Option<Example> = None;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            match open.take() {
                None => {
                    if let Some(info) = trimmed.strip_prefix("```") {
                        if info.starts_with("hydro") {
                            let (info, code) = (info.trim().to_owned(), String::new());
                            open = Some(Example {
                                file: file.clone(),
                                line: i + 1,
                                info,
                                code,
                            });
                        }
                    }
                }
                Some(mut example) => {
                    if trimmed.starts_with("```") {
                        examples.push(example);
                    } else {
                        example.code.push_str(line);
                        example.code.push('\n');
                        open = Some(example);
                    }
                }
            }
        }
    }
    examples
}

#[test]
fn book_examples_check_as_documented() {
    let examples = examples();
    assert!(
        examples.len() >= 20,
        "the book should carry examples, found {}",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in &examples {
        let tags: Vec<&str> = example.info.split(',').map(str::trim).collect();
        if tags.contains(&"fragment") {
            continue;
        }
        let name = format!("{}:{}", example.file.display(), example.line);
        let compilation = compile_str(&name, &example.code);
        let codes: Vec<&str> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str())
            .collect();
        match tags.iter().find_map(|t| t.strip_prefix("error=")) {
            Some(expected) if !codes.contains(&expected) => {
                failures.push(format!("{name}: expected error {expected}, got {codes:?}"));
            }
            None if !codes.is_empty() => {
                let rendered = hydro_compiler::diag::render_plain(
                    &compilation.sources,
                    &compilation.diagnostics,
                );
                failures.push(format!("{name}: expected no error, got:\n{rendered}"));
            }
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "book examples disagree with the book:\n{}",
        failures.join("\n")
    );
}
