//! Syntax errors in words: turns a lalrpop parse error into a [`Diagnostic`] that says
//! what was found and what was expected, with a help line where the fix is clear, and
//! into the repair (a [`Fix`]) the driver can apply to go on parsing the item.

use std::convert::Infallible;

use lalrpop_util::ParseError;

use super::lexer::{Spanned, Tok};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// How the driver can repair the item's tokens after the error.
#[derive(Debug)]
pub(super) enum Fix {
    /// Nothing obvious: the item is dropped.
    None,
    /// Replace the token at this index by this one.
    Replace(usize, Tok),
    /// The item is missing its terminator: end it before the token at this index with
    /// this terminator, and parse the tokens from there on as the next item.
    EndBefore(usize, Tok),
}

/// A syntax error explained.
pub(super) struct Failure {
    pub diagnostic: Diagnostic,
    pub fix: Fix,
    /// Whether the parser ran into the end of the file.
    pub at_end: bool,
}

/// Explains `error`, met while parsing the item made of `tokens`.
pub(super) fn explain(
    file: FileId,
    text: &str,
    tokens: &[Spanned],
    error: ParseError<usize, Tok, Infallible>,
) -> Failure {
    match error {
        ParseError::UnrecognizedToken {
            token: (start, tok, end),
            expected,
        } => {
            let index = tokens.iter().position(|t| t.0 == start && t.2 == end);
            unexpected_token(file, text, tokens, index, (start, tok, end), &expected)
        }
        ParseError::UnrecognizedEof { location, expected } => {
            unexpected_end(file, tokens, location, &expected)
        }
        ParseError::ExtraToken {
            token: (start, tok, end),
        } => Failure {
            diagnostic: Diagnostic::error(
                Code::Syntax,
                format!("expected the end of the item, found {}", tok.describe()),
                Span::new(file, start, end),
                "unexpected here",
            ),
            fix: Fix::None,
            at_end: false,
        },
        ParseError::InvalidToken { location } => Failure {
            diagnostic: Diagnostic::error(
                Code::Syntax,
                "invalid token",
                Span::new(file, location, location),
                "",
            ),
            fix: Fix::None,
            at_end: false,
        },
        ParseError::User { error } => match error {},
    }
}

/// The parser met `found` where it expected one of `expected`.
fn unexpected_token(
    file: FileId,
    text: &str,
    tokens: &[Spanned],
    index: Option<usize>,
    found: Spanned,
    expected: &[String],
) -> Failure {
    let (start, tok, end) = found;
    let span = Span::new(file, start, end);
    let wanted = Expected::new(expected);
    let mut diagnostic = Diagnostic::error(
        Code::Syntax,
        format!("expected {}, found {}", wanted.describe(), tok.describe()),
        span,
        format!("expected {}", wanted.describe()),
    );
    let mut fix = Fix::None;

    // Typos with one obvious correction: say so, and parse on with the correction.
    let typo = match &tok {
        Tok::ColonEq if wanted.has(":-") => {
            Some((Tok::ColonDash, "a rule's body starts with `:-`"))
        }
        Tok::EqEq if wanted.has("=") => Some((Tok::Eq, "equality is written `=`")),
        Tok::Semi if wanted.has(".") => Some((
            Tok::Dot,
            "rules and facts end with `.`; `;` ends declarations and imports",
        )),
        Tok::Dot if wanted.has(";") => Some((
            Tok::Semi,
            "declarations and imports end with `;`; `.` ends rules and facts",
        )),
        _ => None,
    };
    if let (Some((replacement, help)), Some(index)) = (typo, index) {
        diagnostic = diagnostic.with_help(help);
        fix = Fix::Replace(index, replacement);
        return Failure {
            diagnostic,
            fix,
            at_end: false,
        };
    }

    // A missing terminator, when the unexpected token starts a new line: the item most
    // likely ended on the line before.
    if let (Some(terminator), Some(index)) = (wanted.terminator(), index) {
        if let Some(previous) = index.checked_sub(1).and_then(|i| tokens.get(i)) {
            let between = text.get(previous.2..start).unwrap_or("");
            if between.contains('\n') {
                let help = ending_help(tokens, &terminator);
                diagnostic = diagnostic
                    .with_label(
                        Span::new(file, previous.0, previous.2),
                        format!("`{}` missing after this?", terminator.text()),
                    )
                    .with_help(help);
                fix = Fix::EndBefore(index, terminator);
                return Failure {
                    diagnostic,
                    fix,
                    at_end: false,
                };
            }
        }
    }

    // Other tokens that deserve a word.
    let previous = index
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| tokens.get(i));
    let previous = previous.map(|t| &t.1);
    let first = tokens.first().map(|t| &t.1);
    let help = match &tok {
        Tok::Colon if wanted.has(":-") => Some("write `:-` with no space inside".to_owned()),
        Tok::Lt if wanted.has(":-") => Some("a rule's body starts with `:-`".to_owned()),
        Tok::Lt | Tok::Gt if previous == Some(&Tok::Eq) => {
            Some(format!("the operator is written `{}=`", tok.text()))
        }
        Tok::Ident(_) if matches!(previous, Some(Tok::Ident(word)) if word == "not") => {
            Some("negation is written `!`, as in `!edge(x, y)`".to_owned())
        }
        Tok::ColonDash | Tok::Dot if index == Some(1) && matches!(first, Some(Tok::Ident(_))) => {
            Some(format!(
                "a relation without columns is still written with parentheses: `{}()`",
                first.map(Tok::text).unwrap_or_default()
            ))
        }
        Tok::Ident(_) if index == Some(1) && matches!(first, Some(Tok::Ident(_))) => Some(format!(
            "`{}` is not a declaration kind: relations are declared with `input`, \
                 `output`, `table` or `scratch`",
            first.map(Tok::text).unwrap_or_default()
        )),
        Tok::Ident(_) if wanted.has("STR") && first == Some(&Tok::Import) => {
            Some("the path is a string: `import \"file.hydro\";`".to_owned())
        }
        Tok::AtOther(word) if word.is_empty() => {
            Some("write `@next` with no space after `@`".to_owned())
        }
        Tok::AtOther(_) => Some("the only time annotation is `@next`".to_owned()),
        Tok::Comma if wanted.names == [")"] && index.is_some_and(|i| in_aggregate(tokens, i)) => {
            Some("an aggregate takes exactly one argument".to_owned())
        }
        Tok::Unknown('\'') => Some("strings are written in double quotes: `\"text\"`".into()),
        Tok::Unknown('#') => Some("comments start with `//`".into()),
        keyword if keyword.is_keyword() && wanted.has("NAME") => Some(format!(
            "`{}` is a keyword and cannot be used as a name",
            tok.text()
        )),
        _ => None,
    };
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    Failure {
        diagnostic,
        fix,
        at_end: false,
    }
}

/// The file ended inside an item.
fn unexpected_end(
    file: FileId,
    tokens: &[Spanned],
    location: usize,
    expected: &[String],
) -> Failure {
    let wanted = Expected::new(expected);
    let message = format!("expected {}, found the end of the file", wanted.describe());

    // Point at the last token, since the end of the file has no width to show.
    let (span, label) = match tokens.last() {
        Some(last) => (
            Span::new(file, last.0, last.2),
            format!("expected {} after this", wanted.describe()),
        ),
        None => (Span::new(file, location, location), String::new()),
    };
    let mut diagnostic = Diagnostic::error(Code::Syntax, message, span, label);
    let mut fix = Fix::None;
    if let Some(terminator) = wanted.terminator() {
        diagnostic = diagnostic.with_help(ending_help(tokens, &terminator));
        fix = Fix::EndBefore(tokens.len(), terminator);
    }
    Failure {
        diagnostic,
        fix,
        at_end: true,
    }
}

/// Whether the token at `index` is inside the parentheses of a head's aggregate: in
/// the head (before any `:-`), two parentheses deep, after `name(`.
fn in_aggregate(tokens: &[Spanned], index: usize) -> bool {
    let before = &tokens[..index.min(tokens.len())];
    if before.iter().any(|t| t.1 == Tok::ColonDash) {
        return false;
    }
    let mut depth = 0usize;
    for (i, token) in before.iter().enumerate().rev() {
        match token.1 {
            Tok::RParen => depth += 1,
            Tok::LParen if depth > 0 => depth -= 1,
            Tok::LParen => {
                let after_name = i > 0 && matches!(before[i - 1].1, Tok::Ident(_));
                let outer_open = before[..i].iter().filter(|t| t.1 == Tok::LParen).count();
                let outer_close = before[..i].iter().filter(|t| t.1 == Tok::RParen).count();
                return after_name && outer_open == outer_close + 1;
            }
            _ => {}
        }
    }
    false
}

/// The help line for an item missing its terminator.
fn ending_help(tokens: &[Spanned], terminator: &Tok) -> String {
    let first = tokens.first().map(|t| &t.1);
    let what = match (terminator, first) {
        (Tok::Semi, Some(Tok::Import)) => "an import",
        (Tok::Semi, _) => "a declaration",
        _ if tokens.iter().any(|t| t.1 == Tok::ColonDash) => "a rule",
        _ => "a fact",
    };
    format!("end {what} with `{}`", terminator.text())
}

/// The set of tokens the parser would have accepted, as lalrpop names them (quoted
/// punctuation and keywords, and NAME, INT, FLOAT, STR).
struct Expected<'a> {
    names: Vec<&'a str>,
}

/// Sets of tokens that read better as one phrase, in the order they are tried.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "a declaration, rule, fact or import",
        &[
            "NAME", "import", "input", "output", "table", "scratch", "delete", "monotone",
            "module", "extern",
        ],
    ),
    (
        "an atom, a negated atom or a comparison",
        &[
            "NAME", "!", "INT", "FLOAT", "STR", "true", "false", "_", "-", "(",
        ],
    ),
    (
        "an expression",
        &[
            "NAME", "INT", "FLOAT", "STR", "true", "false", "_", "-", "(",
        ],
    ),
    ("a relation kind", &["input", "output", "table", "scratch"]),
    ("a comparison operator", &["=", "!=", "<", "<=", ">", ">="]),
    ("an arithmetic operator", &["+", "-", "*", "/", "%"]),
];

/// The order in which expected tokens are listed: roughly the order they are written
/// in, with terminators last.
const ORDER: &[&str] = &[
    "NAME", "INT", "FLOAT", "STR", "true", "false", "_", "import", "extern", "monotone", "module",
    "input", "output", "table", "scratch", "delete", "!", "(", ",", ")", ":", "<", ">", "@next",
    ":-", "=", "!=", "<=", ">=", "+", "-", "*", "/", "%", "in", ".", ";",
];

impl<'a> Expected<'a> {
    fn new(expected: &'a [String]) -> Expected<'a> {
        let mut names: Vec<&str> = expected
            .iter()
            .map(|e| {
                e.strip_prefix('"')
                    .and_then(|e| e.strip_suffix('"'))
                    .unwrap_or(e)
            })
            .collect();
        names.sort_by_key(|name| ORDER.iter().position(|o| o == name).unwrap_or(ORDER.len()));

        // After an atom, the parser cannot yet tell it from a call (`size(s) >= 3`), so
        // it would also take an operator or `in`; the atom is by far the likelier
        // reading, and the message names what ends it.
        if names.contains(&",") && names.contains(&"<=") {
            let operators = [
                "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "in",
            ];
            names.retain(|name| !operators.contains(name));
        }
        Expected { names }
    }

    fn has(&self, name: &str) -> bool {
        self.names.contains(&name)
    }

    /// The terminator the item could end with here, if any.
    fn terminator(&self) -> Option<Tok> {
        if self.has(".") {
            Some(Tok::Dot)
        } else if self.has(";") {
            Some(Tok::Semi)
        } else {
            None
        }
    }

    /// In words: "`,` or `)`", "an expression", ...
    fn describe(&self) -> String {
        let mut left: Vec<&str> = self.names.clone();
        let mut phrases = Vec::new();
        for (phrase, members) in GROUPS {
            if members.iter().all(|m| left.contains(m)) {
                left.retain(|name| !members.contains(name));
                phrases.push((*phrase).to_owned());
            }
        }
        phrases.extend(left.iter().map(|name| match *name {
            "NAME" => "a name".to_owned(),
            "INT" => "an integer".to_owned(),
            "FLOAT" => "a float".to_owned(),
            "STR" => "a string".to_owned(),
            other => format!("`{other}`"),
        }));
        match phrases.len() {
            0 => "nothing more".to_owned(),
            1 => phrases.remove(0),
            n => format!("{} or {}", phrases[..n - 1].join(", "), phrases[n - 1]),
        }
    }
}
