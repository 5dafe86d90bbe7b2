//! Parsing entry point: lexes a file, cuts its tokens into items, parses each item with
//! the lalrpop grammar, and turns parse failures into diagnostics.
//!
//! Recovery works item by item. Every `.` and `;` ends an item (neither appears inside
//! one: floats are single tokens), so the token stream is cut after each of them and
//! each piece is parsed on its own; a syntax error costs the item it is in and nothing
//! else. Three repairs keep an item alive after its error is reported, so that later
//! mistakes in it are still found and the checker does not report the item missing:
//! - a likely typo is replaced and the item parsed again (`:=` for `:-`, `==` for `=`,
//!   `;` ending a rule, `.` ending a declaration);
//! - when an item is missing its final `.` or `;` and the next token starts a new line
//!   (or the file ends), the terminator is inserted there and the rest parsed as the
//!   next item;
//! - an expression nested deeper than [`MAX_NESTING`] is reported and replaced by `_`,
//!   so that no later pass can overflow the stack walking it.

use std::collections::{BTreeSet, VecDeque};

use lalrpop_util::lalrpop_mod;

use super::ast::{self, ArithOp, Expr};
use super::errors::{self, Fix};
use super::lexer::{self, Spanned, Tok};
use crate::diag::{self, Code, Diagnostic};
use crate::source::{FileId, Span};

lalrpop_mod!(
    #[allow(clippy::all, missing_docs, unused_parens)]
    grammar,
    "/syntax/grammar.rs"
);

/// How deeply expressions may nest: each binary operator, unary `-` and pair of
/// parentheses is one level.
pub const MAX_NESTING: u32 = 128;

/// Parses one file. Never panics; on bad input it returns every item it could parse and
/// a diagnostic for each problem.
pub fn parse(file: FileId, text: &str) -> (ast::Module, Vec<Diagnostic>) {
    let lexed = lexer::lex(file, text);
    let mut driver = Driver {
        text,
        parser: grammar::ItemParser::new(),
        builder: Builder {
            file,
            too_deep: Vec::new(),
        },
        items: Vec::new(),
        diagnostics: lexed.diagnostics,
        unterminated: lexed
            .unterminated_strings
            .iter()
            .filter_map(|&i| lexed.tokens.get(i).map(|t| t.0))
            .collect(),
        ends_in_comment: lexed.ends_in_comment,
        repairs_left: lexed.tokens.len() + 1,
    };

    // Cut the tokens after each terminator and parse the pieces in order.
    let mut piece = Vec::new();
    let mut tokens = lexed.tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends_item = ends_item(&piece, &token, tokens.peek());
        piece.push(token);
        if ends_item {
            driver.item(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        driver.item(piece);
    }

    // Report expressions that were too deep, then sort everything by position.
    let mut diagnostics = driver.diagnostics;
    for span in driver.builder.too_deep {
        diagnostics.push(
            Diagnostic::error(
                Code::Syntax,
                format!(
                    "expression nested too deeply (at most {} levels)",
                    MAX_NESTING - 1
                ),
                span,
                "too deeply nested",
            )
            .with_help("compute parts of it in separate comparisons, such as `t = a + b`"),
        );
    }
    diag::sort(&mut diagnostics);
    (
        ast::Module {
            items: driver.items,
        },
        diagnostics,
    )
}

/// Whether `token`, added to the item's `piece` so far and followed by `next`, ends the
/// item: every `;` does, and every `.` except one inside an import's path written without
/// quotes (`import lib.hydro;`), which is reported once, at the path, not as two items.
fn ends_item(piece: &[Spanned], token: &Spanned, next: Option<&Spanned>) -> bool {
    match token.1 {
        Tok::Semi => true,
        Tok::Dot => {
            let in_import = piece.first().is_some_and(|t| t.1 == Tok::Import);
            let glued_to_name =
                next.is_some_and(|n| n.0 == token.2 && matches!(n.1, Tok::Ident(_)));
            !(in_import && glued_to_name)
        }
        _ => false,
    }
}

struct Driver<'a> {
    text: &'a str,
    parser: grammar::ItemParser,
    builder: Builder,
    items: Vec<ast::Item>,
    diagnostics: Vec<Diagnostic>,
    /// Start offsets of string literals without closing quote: the item around one is
    /// already reported by the lexer.
    unterminated: BTreeSet<usize>,
    /// Whether the file ends inside a block comment (an item cut off by it is already
    /// reported by the lexer).
    ends_in_comment: bool,
    /// Repairs are bounded by the number of tokens, so recovery always ends.
    repairs_left: usize,
}

impl Driver<'_> {
    /// Parses the tokens of one item, repairing and parsing again where a repair exists.
    fn item(&mut self, tokens: Vec<Spanned>) {
        let mut queue = VecDeque::from([tokens]);
        while let Some(mut tokens) = queue.pop_front() {
            let result = self
                .parser
                .parse(&mut self.builder, tokens.iter().cloned().map(Ok));
            let error = match result {
                Ok(item) => {
                    self.items.push(item);
                    continue;
                }
                Err(error) => error,
            };

            // Report the error, unless the lexer already reported what caused it.
            let failure = errors::explain(self.builder.file, self.text, &tokens, error);
            let caused_by_lexer = tokens.iter().any(|t| self.unterminated.contains(&t.0))
                || (failure.at_end && self.ends_in_comment);
            if !caused_by_lexer {
                self.diagnostics.push(failure.diagnostic);
            }

            // Repair the item if the error says how, and parse what results.
            if self.repairs_left == 0 {
                continue;
            }
            self.repairs_left -= 1;
            match failure.fix {
                Fix::None => {}
                Fix::Replace(index, tok) => {
                    tokens[index].1 = tok;
                    queue.push_front(tokens);
                }
                Fix::EndBefore(index, terminator) => {
                    let rest = tokens.split_off(index);
                    let at = tokens.last().map_or(0, |t| t.2);
                    tokens.push((at, terminator, at));
                    if !rest.is_empty() {
                        queue.push_front(rest);
                    }
                    queue.push_front(tokens);
                }
            }
        }
    }
}

/// What the grammar's actions need: the file for spans, and the record of expressions
/// nested too deeply.
pub struct Builder {
    file: FileId,
    too_deep: Vec<Span>,
}

/// An expression with its nesting depth (a leaf is 1).
pub struct Nested {
    /// The expression.
    pub expr: Expr,
    depth: u32,
}

impl Nested {
    /// A name, wildcard or literal.
    pub fn leaf(expr: Expr) -> Nested {
        Nested { expr, depth: 1 }
    }
}

impl Builder {
    /// The span of bytes `start..end` of the file being parsed.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// `lhs op rhs`, written from `start` to `end`.
    pub fn binary(
        &mut self,
        op: ArithOp,
        lhs: Nested,
        rhs: Nested,
        start: usize,
        end: usize,
    ) -> Nested {
        let span = self.span(start, end);
        let depth = lhs.depth.max(rhs.depth) + 1;
        let expr = Expr::Binary {
            op,
            lhs: Box::new(lhs.expr),
            rhs: Box::new(rhs.expr),
            span,
        };
        self.limit(expr, depth, span)
    }

    /// `-inner`, written from `start` to `end`.
    pub fn neg(&mut self, inner: Nested, start: usize, end: usize) -> Nested {
        let span = self.span(start, end);
        self.limit(Expr::Neg(Box::new(inner.expr), span), inner.depth + 1, span)
    }

    /// `func(args)`, a call of a lattice function (or, in a head, an aggregate).
    pub fn call(
        &mut self,
        func: ast::Ident,
        args: Vec<Nested>,
        start: usize,
        end: usize,
    ) -> Nested {
        let span = self.span(start, end);
        let depth = args.iter().map(|a| a.depth).max().unwrap_or(0) + 1;
        let args = args.into_iter().map(|a| a.expr).collect();
        self.limit(Expr::Call { func, args, span }, depth, span)
    }

    /// `(inner)`: no node of its own, but one more level of nesting.
    pub fn paren(&mut self, inner: Nested, start: usize, end: usize) -> Nested {
        let span = self.span(start, end);
        self.limit(inner.expr, inner.depth + 1, span)
    }

    /// Keeps `expr` if it is shallow enough; otherwise records the error (once for the
    /// outermost of nested offenders) and stands a wildcard in its place.
    fn limit(&mut self, expr: Expr, depth: u32, span: Span) -> Nested {
        if depth <= MAX_NESTING {
            return Nested { expr, depth };
        }
        let inside_reported = self
            .too_deep
            .iter()
            .any(|s| span.start <= s.start && s.end <= span.end);
        if !inside_reported {
            self.too_deep.push(span);
        }
        Nested::leaf(Expr::Wildcard(span))
    }
}
