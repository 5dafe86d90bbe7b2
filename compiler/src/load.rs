//! Loading: reads a file, parses it, and follows its `import`s (each file once, paths
//! relative to the importing file), returning the items of every file in load order.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, SourceMap};
use crate::syntax::{self, ast};

/// A source file that cannot be read as program text.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Opening or reading the file failed.
    #[error("cannot read `{}`: {reason}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why (kept out of the error's source chain, as the message already says it).
        reason: std::io::Error,
    },
    /// The path names a folder.
    #[error("`{}` is a folder, not a source file", path.display())]
    Folder {
        /// The path.
        path: PathBuf,
    },
    /// The file holds bytes that are not UTF-8.
    #[error("`{}` is not UTF-8 text: invalid byte at line {line}, column {column}", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// One-based line of the first invalid byte.
        line: usize,
        /// One-based byte column of the first invalid byte.
        column: usize,
    },
}

/// Reads a source file as text.
pub fn read_source(path: &Path) -> Result<String, SourceError> {
    if path.is_dir() {
        return Err(SourceError::Folder {
            path: path.to_path_buf(),
        });
    }
    let bytes = std::fs::read(path).map_err(|reason| SourceError::Io {
        path: path.to_path_buf(),
        reason,
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        SourceError::NotUtf8 {
            path: path.to_path_buf(),
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
            column: valid.len() - line_start + 1,
        }
    })
}

/// Loads the file at `path` and everything it imports. Fails only when `path` itself
/// cannot be read; problems in imports are diagnostics at the `import`.
pub fn load_file(
    sources: &mut SourceMap,
    path: &Path,
) -> Result<(Vec<ast::Item>, Vec<Diagnostic>), SourceError> {
    let text = read_source(path)?;
    let mut loader = Loader {
        sources,
        items: Vec::new(),
        diagnostics: Vec::new(),
    };
    let id = loader
        .sources
        .add_path(path.display().to_string(), &canonical(path), text);
    loader.parse(id);
    Ok((loader.items, loader.diagnostics))
}

/// Loads source text held in memory (imports resolve against the current directory).
pub fn load_str(
    sources: &mut SourceMap,
    name: &str,
    text: &str,
) -> (Vec<ast::Item>, Vec<Diagnostic>) {
    let mut loader = Loader {
        sources,
        items: Vec::new(),
        diagnostics: Vec::new(),
    };
    let id = loader.sources.add(name, text);
    loader.parse(id);
    (loader.items, loader.diagnostics)
}

struct Loader<'a> {
    sources: &'a mut SourceMap,
    items: Vec<ast::Item>,
    diagnostics: Vec<Diagnostic>,
}

impl Loader<'_> {
    /// Parses one loaded file, then loads each of its imports not loaded before.
    fn parse(&mut self, id: FileId) {
        let (module, diagnostics) = syntax::parse(id, &self.sources.file(id).text);
        self.diagnostics.extend(diagnostics);
        let base = self
            .sources
            .file(id)
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let importer_name = self.sources.file(id).name.clone();
        for item in module.items {
            if let ast::Item::Import(import) = &item {
                self.import(import, base.as_deref(), &importer_name);
            }
            self.items.push(item);
        }
    }

    fn import(&mut self, import: &ast::Import, base: Option<&Path>, importer_name: &str) {
        let path = match base {
            Some(dir) => dir.join(&import.path),
            None => PathBuf::from(&import.path),
        };
        let canonical = canonical(&path);
        if self.sources.find_path(&canonical).is_some() {
            return;
        }

        // Name the file as the user would: relative to the importer's name, never by
        // its absolute path.
        let name = match Path::new(importer_name).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => {
                dir.join(&import.path).display().to_string()
            }
            _ => import.path.clone(),
        };
        match read_source(&path) {
            Ok(text) => {
                let id = self.sources.add_path(name, &canonical, text);
                self.parse(id);
            }
            Err(err) => self.diagnostics.push(
                Diagnostic::error(
                    Code::ImportNotFound,
                    format!("cannot import `{}`", import.path),
                    import.path_span,
                    "imported here",
                )
                .with_note(match err {
                    SourceError::Io { reason, .. } => format!("reading `{name}`: {reason}"),
                    SourceError::Folder { .. } => format!("`{name}` is a folder"),
                    SourceError::NotUtf8 { line, column, .. } => {
                        format!("`{name}` is not UTF-8 text (line {line}, column {column})")
                    }
                })
                .with_help("import paths are relative to the importing file"),
            ),
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
