//! Renders diagnostics with codespan-reporting: file, line, column, carets, labels on
//! related spans, notes and the help line.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};

use super::{Diagnostic, Severity};
use crate::source::SourceMap;

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels =
        vec![
            cs::Label::primary(d.primary.span.file.0 as usize, d.primary.span.range())
                .with_message(&d.primary.message),
        ];
    for l in &d.secondary {
        labels.push(
            cs::Label::secondary(l.span.file.0 as usize, l.span.range()).with_message(&l.message),
        );
    }
    let mut notes = d.notes.clone();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn files(sources: &SourceMap) -> SimpleFiles<&str, &str> {
    let mut files = SimpleFiles::new();
    for (_, f) in sources.files() {
        files.add(f.name.as_str(), f.text.as_str());
    }
    files
}

/// Writes every diagnostic to `out` (colour as `out` supports).
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let files = files(sources);
    let config = term::Config::default();
    for d in diagnostics {
        term::emit(out, &config, &files, &to_codespan(d)).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Renders every diagnostic to a plain string without colour (for snapshots and the
/// macro).
pub fn render_plain(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut buf = term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail, and every span comes from `sources`.
    render(sources, diagnostics, &mut buf).expect("rendering into memory");
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}
