//! The front end: the lexer (`lexer.rs`), the lalrpop grammar of one item
//! (`grammar.lalrpop`), the driver that parses a file item by item and recovers from
//! errors (`parse.rs`), syntax errors in words (`errors.rs`), and the AST (`ast.rs`).
//!
//! [`parse`] never panics: on bad input it returns what it could parse plus
//! diagnostics with spans.

pub mod ast;
mod errors;
mod lexer;
mod parse;

pub use parse::{parse, MAX_NESTING};
