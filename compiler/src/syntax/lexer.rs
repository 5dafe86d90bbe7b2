//! The lexer: turns source text into tokens with byte offsets, for the lalrpop grammar.
//!
//! The lexer never fails. A problem inside a token (an integer too large, an unknown
//! string escape, a string or block comment without its end) becomes a diagnostic and
//! a best-effort token, so that parsing goes on. A character that starts no token
//! becomes [`Tok::Unknown`], which no grammar rule accepts: the parser reports it as
//! what it found, in the context of what it expected, so one stray character gives
//! one error.
//!
//! Lexical rules:
//! - whitespace is any Unicode whitespace; `//` starts a comment to the end of the
//!   line; `/*` starts a comment to the next `*/` (block comments do not nest);
//! - identifiers are `[A-Za-z_][A-Za-z0-9_]*`; `_` alone is the wildcard; the keywords
//!   are `import input output table scratch delete true false monotone module`;
//! - `@next` is one token: `@` immediately followed by `next`;
//! - integers are `[0-9]+` (at most `u64::MAX`); floats are digits with a fraction
//!   (`1.5`), an exponent (`1e3`, `2.5e-3`) or both; a number glued to letters
//!   (`12ab`) is an invalid literal; there is no sign: `-1` is `-` applied to `1`;
//! - strings are `"..."` on one line, with the escapes `\" \\ \n \t \r`.

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// A token. The spelled-out tokens are what the grammar matches; the last four are
/// never accepted and exist to give better errors.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A name: relation, variable, column, type or aggregate.
    Ident(String),
    /// An unsigned integer literal.
    Int(u64),
    /// A floating-point literal.
    Float(f64),
    /// A string literal, escapes decoded.
    Str(String),
    /// `import`
    Import,
    /// `input`
    Input,
    /// `output`
    Output,
    /// `table`
    Table,
    /// `scratch`
    Scratch,
    /// `delete`
    Delete,
    /// `extern`
    Extern,
    /// `in`
    In,
    /// `monotone`
    Monotone,
    /// `module`
    Module,
    /// `true`
    True,
    /// `false`
    False,
    /// `_`
    Underscore,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `;`
    Semi,
    /// `.`
    Dot,
    /// `:`
    Colon,
    /// `:-`
    ColonDash,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `!`
    Bang,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `@next`
    AtNext,
    /// `:=`, a likely typo for `:-`.
    ColonEq,
    /// `==`, a likely typo for `=`.
    EqEq,
    /// `@` followed by something other than `next` (the text after `@`, maybe empty).
    AtOther(String),
    /// A character that starts no token.
    Unknown(char),
}

/// A token with its byte range, as lalrpop wants it.
pub type Spanned = (usize, Tok, usize);

/// The lexer's result.
#[derive(Debug, Default)]
pub struct Lexed {
    /// The tokens in order.
    pub tokens: Vec<Spanned>,
    /// Problems inside tokens, comments and strings.
    pub diagnostics: Vec<Diagnostic>,
    /// Indices into `tokens` of string literals that had no closing quote: the parser
    /// stays silent about the item around them, whose error is already reported.
    pub unterminated_strings: Vec<usize>,
    /// Whether the text ended inside a block comment (likewise: no second error at the
    /// end of the file).
    pub ends_in_comment: bool,
}

/// Splits `text` into tokens.
pub fn lex(file: FileId, text: &str) -> Lexed {
    let mut lexer = Lexer {
        file,
        text,
        pos: 0,
        out: Lexed::default(),
    };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    file: FileId,
    text: &'a str,
    pos: usize,
    out: Lexed,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(ahead)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn push(&mut self, start: usize, tok: Tok) {
        self.out.tokens.push((start, tok, self.pos));
    }

    fn error(&mut self, code: Code, message: String, span: Span, label: &str) -> &mut Diagnostic {
        self.out
            .diagnostics
            .push(Diagnostic::error(code, message, span, label));
        let last = self.out.diagnostics.len() - 1;
        &mut self.out.diagnostics[last]
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            let start = self.pos;

            // Whitespace and comments produce no token.
            if c.is_whitespace() || c == '\u{feff}' {
                self.bump();
                continue;
            }
            if c == '/' && self.peek_at(1) == Some('/') {
                self.skip_line_comment();
                continue;
            }
            if c == '/' && self.peek_at(1) == Some('*') {
                if !self.skip_block_comment() {
                    return;
                }
                continue;
            }

            // Names, keywords and the wildcard.
            if c.is_ascii_alphabetic() || c == '_' {
                let word = self.take_word();
                let tok = keyword(word).unwrap_or_else(|| Tok::Ident(word.to_owned()));
                self.push(start, tok);
                continue;
            }
            if c.is_ascii_digit() {
                self.number(start);
                continue;
            }
            if c == '"' {
                self.string(start);
                continue;
            }
            if c == '@' {
                self.bump();
                let word = self.take_word();
                let tok = if word == "next" {
                    Tok::AtNext
                } else {
                    Tok::AtOther(word.to_owned())
                };
                self.push(start, tok);
                continue;
            }

            // `.5`: a float without its leading digit.
            if c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) {
                self.bump();
                self.digits();
                let fixed = format!("0{}", &self.text[start..self.pos]);
                self.push(start, Tok::Float(fixed.parse().unwrap_or(0.0)));
                let span = self.span(start, self.pos);
                self.error(
                    Code::InvalidLiteral,
                    "a float needs a digit before its `.`".to_owned(),
                    span,
                    "missing leading digit",
                )
                .help = Some(format!("write `{fixed}`"));
                continue;
            }

            // Punctuation: the two-character operators first.
            self.bump();
            let next = self.peek();
            let two = match (c, next) {
                (':', Some('-')) => Some(Tok::ColonDash),
                (':', Some('=')) => Some(Tok::ColonEq),
                ('<', Some('=')) => Some(Tok::Le),
                ('>', Some('=')) => Some(Tok::Ge),
                ('!', Some('=')) => Some(Tok::Ne),
                ('=', Some('=')) => Some(Tok::EqEq),
                _ => None,
            };
            if let Some(tok) = two {
                self.bump();
                self.push(start, tok);
                continue;
            }
            let tok = match c {
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                ';' => Tok::Semi,
                '.' => Tok::Dot,
                ':' => Tok::Colon,
                '<' => Tok::Lt,
                '>' => Tok::Gt,
                '=' => Tok::Eq,
                '!' => Tok::Bang,
                '+' => Tok::Plus,
                '-' => Tok::Minus,
                '*' => Tok::Star,
                '/' => Tok::Slash,
                '%' => Tok::Percent,
                other => Tok::Unknown(other),
            };
            self.push(start, tok);
        }
    }

    /// Consumes `[A-Za-z0-9_]*` and returns it.
    fn take_word(&mut self) -> &str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.bump();
        }
        &self.text[start..self.pos]
    }

    fn skip_line_comment(&mut self) {
        while let Some(c) = self.bump() {
            if c == '\n' {
                break;
            }
        }
    }

    /// Skips a block comment; returns false (after reporting it) if it never ends.
    fn skip_block_comment(&mut self) -> bool {
        let start = self.pos;
        self.pos += 2;
        match self.text[self.pos..].find("*/") {
            Some(offset) => {
                self.pos += offset + 2;
                true
            }
            None => {
                self.pos = self.text.len();
                let span = self.span(start, start + 2);
                self.error(
                    Code::UnterminatedComment,
                    "unterminated block comment".to_owned(),
                    span,
                    "this comment is never closed",
                )
                .help = Some("close the comment with `*/`".to_owned());
                self.out.ends_in_comment = true;
                false
            }
        }
    }

    /// Lexes an integer or a float starting at `start`.
    fn number(&mut self, start: usize) {
        let mut is_float = false;
        self.digits();

        // A fraction needs a digit after the dot: `1.` is the integer 1 ending a rule.
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            is_float = true;
            self.bump();
            self.digits();
        }

        // An exponent: `e`, an optional sign, digits.
        let sign = matches!(self.peek_at(1), Some('+' | '-'));
        let digit_at = if sign { 2 } else { 1 };
        if matches!(self.peek(), Some('e' | 'E'))
            && self.peek_at(digit_at).is_some_and(|c| c.is_ascii_digit())
        {
            is_float = true;
            self.bump();
            if sign {
                self.bump();
            }
            self.digits();
        }

        // Letters glued to a number make no token we know.
        let number_end = self.pos;
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.take_word();
            let text = &self.text[start..self.pos];
            let message = format!("invalid number `{text}`");
            let span = self.span(start, self.pos);
            self.error(Code::InvalidLiteral, message, span, "not a number")
                .help = Some("separate the number from the name after it".to_owned());
            self.push(start, Tok::Int(0));
            return;
        }
        let text = &self.text[start..number_end];
        let tok = if is_float {
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Tok::Float(value),
                _ => {
                    let message = format!("float literal `{text}` is out of range");
                    let span = self.span(start, number_end);
                    self.error(Code::InvalidLiteral, message, span, "too large for f64");
                    Tok::Float(0.0)
                }
            }
        } else {
            match text.parse::<u64>() {
                Ok(value) => Tok::Int(value),
                Err(_) => {
                    let message = format!("integer literal `{text}` does not fit in 64 bits");
                    let span = self.span(start, number_end);
                    self.error(Code::InvalidLiteral, message, span, "too large")
                        .help = Some(format!("the largest integer literal is {}", u64::MAX));
                    Tok::Int(0)
                }
            }
        };
        self.push(start, tok);
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
    }

    /// Lexes a string literal; the opening quote is at `start`.
    fn string(&mut self, start: usize) {
        self.bump();
        let mut value = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' || c == '\r' {
                break;
            }
            self.bump();
            match c {
                '"' => {
                    self.push(start, Tok::Str(value));
                    return;
                }
                '\\' => self.escape(&mut value),
                other => value.push(other),
            }
        }

        // No closing quote on this line: report it and keep what was read.
        let span = self.span(start, self.pos);
        self.error(
            Code::UnterminatedString,
            "unterminated string literal".to_owned(),
            span,
            "this string has no closing `\"`",
        )
        .help = Some("a string ends on the line it starts: add `\"`, or write `\\n`".into());
        self.out.unterminated_strings.push(self.out.tokens.len());
        self.push(start, Tok::Str(value));
    }

    /// Decodes the escape after a backslash (already consumed).
    fn escape(&mut self, value: &mut String) {
        let backslash = self.pos - 1;
        let decoded = match self.peek() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            // A backslash at the end of the line: the string is unterminated anyway.
            None | Some('\n' | '\r') => return,
            Some(other) => {
                self.bump();
                let span = self.span(backslash, self.pos);
                self.error(
                    Code::InvalidLiteral,
                    format!("unknown escape `\\{other}` in string literal"),
                    span,
                    "unknown escape",
                )
                .help = Some("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\r`".into());
                value.push(other);
                return;
            }
        };
        self.bump();
        value.push(decoded);
    }
}

fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "import" => Tok::Import,
        "input" => Tok::Input,
        "output" => Tok::Output,
        "table" => Tok::Table,
        "scratch" => Tok::Scratch,
        "delete" => Tok::Delete,
        "extern" => Tok::Extern,
        "in" => Tok::In,
        "monotone" => Tok::Monotone,
        "module" => Tok::Module,
        "true" => Tok::True,
        "false" => Tok::False,
        "_" => Tok::Underscore,
        _ => return None,
    })
}

impl Tok {
    /// Whether the token is a keyword (which cannot serve as a name).
    pub fn is_keyword(&self) -> bool {
        matches!(
            self,
            Tok::Import
                | Tok::Input
                | Tok::Output
                | Tok::Table
                | Tok::Scratch
                | Tok::Delete
                | Tok::Extern
                | Tok::In
                | Tok::Monotone
                | Tok::Module
                | Tok::True
                | Tok::False
        )
    }

    /// How the token is named in "found ..." of an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("name `{name}`"),
            Tok::Int(_) | Tok::Float(_) => "a number".to_owned(),
            Tok::Str(_) => "a string".to_owned(),
            keyword if keyword.is_keyword() => format!("keyword `{}`", self.text()),
            Tok::Unknown(c) if c.is_control() => format!("character {c:?}"),
            Tok::Unknown(c) => format!("unexpected character `{c}`"),
            _ => format!("`{}`", self.text()),
        }
    }

    /// The token's fixed spelling (for names and literals, a placeholder).
    pub fn text(&self) -> String {
        let fixed = match self {
            Tok::Ident(name) => return name.clone(),
            Tok::Int(n) => return n.to_string(),
            Tok::Float(f) => return f.to_string(),
            Tok::Str(s) => return format!("{s:?}"),
            Tok::AtOther(word) => return format!("@{word}"),
            Tok::Unknown(c) => return c.to_string(),
            Tok::Import => "import",
            Tok::Input => "input",
            Tok::Output => "output",
            Tok::Table => "table",
            Tok::Scratch => "scratch",
            Tok::Delete => "delete",
            Tok::Extern => "extern",
            Tok::In => "in",
            Tok::Monotone => "monotone",
            Tok::Module => "module",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Underscore => "_",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Semi => ";",
            Tok::Dot => ".",
            Tok::Colon => ":",
            Tok::ColonDash => ":-",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Eq => "=",
            Tok::Ne => "!=",
            Tok::Bang => "!",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::AtNext => "@next",
            Tok::ColonEq => ":=",
            Tok::EqEq => "==",
        };
        fixed.to_owned()
    }
}
