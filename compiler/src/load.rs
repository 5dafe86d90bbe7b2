//! Loading: reads a file, parses it, and follows its `import`s (each file once, paths
//! relative to the importing file), returning the items of every file in load order.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, SourceMap};
use crate::syntax::{self, ast};

/// Loads the file at `path` and everything it imports.
pub fn load_file(sources: &mut SourceMap, path: &Path) -> (Vec<ast::Item>, Vec<Diagnostic>) {
    let mut loader = Loader {
        sources,
        items: Vec::new(),
        diagnostics: Vec::new(),
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let canonical = canonical(path);
            let id = loader
                .sources
                .add_path(path.display().to_string(), &canonical, text);
            loader.parse(id);
        }
        Err(err) => {
            // There is no source to point into: report against an empty file named
            // after the path, so the diagnostic still renders with the name.
            let id = loader.sources.add(path.display().to_string(), "");
            loader.diagnostics.push(
                Diagnostic::error(
                    Code::ImportNotFound,
                    format!("cannot read `{}`: {err}", path.display()),
                    crate::source::Span::new(id, 0, 0),
                    "",
                )
                .with_help("check the path"),
            );
        }
    }
    (loader.items, loader.diagnostics)
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
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let id = self.sources.add_path(name, &canonical, text);
                self.parse(id);
            }
            Err(err) => self.diagnostics.push(
                Diagnostic::error(
                    Code::ImportNotFound,
                    format!("cannot read imported file `{}`: {err}", import.path),
                    import.path_span,
                    "imported here",
                )
                .with_note(format!("looked for `{name}`"))
                .with_help("import paths are relative to the importing file"),
            ),
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
