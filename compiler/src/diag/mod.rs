//! Diagnostics as data: every pass returns them alongside its result, and only the
//! CLI (through [`render`]) turns them into text.

pub mod codes;
mod render;

pub use codes::Code;
pub use render::{render, render_plain};

use crate::source::Span;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The program is rejected.
    Error,
    /// The program runs, but something is likely wrong.
    Warning,
}

/// A span with a message, shown under the source line.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (may be empty).
    pub message: String,
}

/// One problem found in a program.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code that `hydro explain` describes.
    pub code: Code,
    /// The headline.
    pub message: String,
    /// The place the problem is.
    pub primary: Label,
    /// Related places (the other declaration, the rest of a cycle, ...).
    pub secondary: Vec<Label>,
    /// Extra facts, one line each.
    pub notes: Vec<String>,
    /// How to fix it, if there is a clear way.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with `code` and `message` at `span`, whose primary label says `label`.
    pub fn error(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Adds a label on a related span.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position (file, offset), then code, so output is
/// deterministic whatever order passes found them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span, a.code, &a.message).cmp(&(b.primary.span, b.code, &b.message))
    });
}
