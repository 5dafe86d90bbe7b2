//! The front end: the lalrpop grammar and the AST it builds.
//!
//! [`parse`] never panics: on bad input it returns what it could parse plus
//! diagnostics with spans.

pub mod ast;
mod parse;

pub use parse::parse;
