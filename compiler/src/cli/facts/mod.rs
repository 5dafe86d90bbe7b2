//! Facts files in and output files out, in Soufflé's text format: one tuple a line,
//! values separated by tabs, each written as [`Const`]'s `Display` writes it, except
//! that strings escape the four characters the format itself uses: a tab as `\t`, a
//! newline as `\n`, a carriage return as `\r` and a backslash as `\\`.
//!
//! A lattice value is written in its text form ([`hydro_runtime::lattice::dynamic::text`]).
//! That of a `Max<T>`, `Min<T>` or `Bool` is the element's, so the cell is read and
//! written exactly as a `T` column (escaped when `T` is `string`). Every other lattice's
//! text is JSON, which never holds a raw tab or line break: its cell is the JSON as it
//! is, without escapes, so `["a\"b"]` in a file is the set holding `a"b`.
//!
//! Reading: `\n` or `\r\n` ends a line; empty lines are skipped (so a final newline, or
//! none, both work), except that a relation with one `string` column reads an empty
//! line as the empty string, and a zero-column relation holds its one tuple if the file
//! has any line. Every error names the file and the line, and a bad value its column;
//! a long value is quoted only in part.

use std::io;
use std::path::{Path, PathBuf};

use hydro_runtime::ir::RelationSchema;
use hydro_runtime::lattice::dynamic::text::shorten;
use hydro_runtime::lattice::{LatticeError, LatticeType, LatticeTypes, LatticeValue};
use hydro_runtime::value::{ColumnType, Const};

/// A facts file that cannot be read as tuples of its relation.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// The file does not exist.
    #[error(
        "missing facts file `{}` for input relation `{relation}` \
         (create it, empty if `{relation}` has no tuples)",
        path.display()
    )]
    Missing {
        /// The file looked for.
        path: PathBuf,
        /// The input relation it would fill.
        relation: String,
    },
    /// The file exists but reading it failed.
    #[error("cannot read facts file `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A line is not UTF-8 text.
    #[error("{}:{line}: the line is not valid UTF-8", path.display())]
    Utf8 {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
    },
    /// A line has the wrong number of values.
    #[error(
        "{}:{line}: expected {expected} tab-separated value{} for `{relation}`, found {found}",
        path.display(),
        if *expected == 1 { "" } else { "s" }
    )]
    Arity {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
        /// The relation.
        relation: String,
        /// Its number of columns.
        expected: usize,
        /// The number of values on the line.
        found: usize,
    },
    /// A string value holds a backslash that starts no known escape.
    #[error(
        "{}:{line}: column {column} (`{name}` of `{relation}`): `{}` has an unknown \
         escape (a backslash starts `\\t`, `\\n`, `\\r` or `\\\\`)",
        path.display(),
        shorten(value)
    )]
    Escape {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
        /// One-based column number.
        column: usize,
        /// The column's name.
        name: String,
        /// The relation.
        relation: String,
        /// The text found.
        value: String,
    },
    /// A value does not parse as its column's type.
    #[error(
        "{}:{line}: column {column} (`{name}` of `{relation}`): cannot read `{}` as {expected}",
        path.display(),
        shorten(value)
    )]
    Value {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
        /// One-based column number.
        column: usize,
        /// The column's name.
        name: String,
        /// The relation.
        relation: String,
        /// The text found, as written in the file (the message quotes it shortened).
        value: Box<str>,
        /// The column's type as written in source, and why the text is no value of
        /// it when there is more to say (`Set<u64>: expected a u64 ..., found ...`).
        expected: Box<str>,
    },
}

/// The path of the facts file of relation `name` in `dir`.
pub fn facts_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.facts"))
}

/// Reads the tuples of `relation` from the file at `path`.
pub fn read_facts(
    path: &Path,
    relation: &RelationSchema,
    lattices: &LatticeTypes,
) -> Result<Vec<Vec<Const>>, FactsError> {
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => FactsError::Missing {
            path: path.to_path_buf(),
            relation: relation.name.clone(),
        },
        _ => FactsError::Read {
            path: path.to_path_buf(),
            source,
        },
    })?;
    parse_facts(&bytes, path, relation, lattices)
}

/// Parses the contents of a facts file (`path` only names it in errors).
pub fn parse_facts(
    bytes: &[u8],
    path: &Path,
    relation: &RelationSchema,
    lattices: &LatticeTypes,
) -> Result<Vec<Vec<Const>>, FactsError> {
    let mut tuples = Vec::new();
    // A byte-order mark is no part of the first value (program files skip it too).
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    // What follows a final newline (or the whole of an empty file) is not a line.
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    for (index, raw) in lines.into_iter().enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // A zero-column relation's tuple is an empty line, and so is the empty string
        // of a relation with one string column (or one `Max<string>`, `Min<string>`);
        // other relations skip empty lines.
        let one_string = relation.arity() == 1 && is_escaped(relation.columns[0].ty, lattices);
        if raw.is_empty() && relation.arity() > 0 && !one_string {
            continue;
        }
        let text = std::str::from_utf8(raw).map_err(|_| FactsError::Utf8 {
            path: path.to_path_buf(),
            line,
        })?;
        if relation.arity() == 0 {
            if !text.is_empty() {
                return Err(FactsError::Arity {
                    path: path.to_path_buf(),
                    line,
                    relation: relation.name.clone(),
                    expected: 0,
                    found: text.split('\t').count(),
                });
            }
            tuples.push(Vec::new());
            continue;
        }
        let values: Vec<&str> = text.split('\t').collect();
        if values.len() != relation.arity() {
            return Err(FactsError::Arity {
                path: path.to_path_buf(),
                line,
                relation: relation.name.clone(),
                expected: relation.arity(),
                found: values.len(),
            });
        }
        let tuple = values
            .iter()
            .zip(&relation.columns)
            .enumerate()
            .map(|(column, (value, schema))| {
                let bad_value = |reason: Option<String>| {
                    let ty = lattices.display(schema.ty);
                    let expected = match reason {
                        Some(reason) => format!("{ty}: {reason}"),
                        None => ty.to_string(),
                    };
                    FactsError::Value {
                        path: path.to_path_buf(),
                        line,
                        column: column + 1,
                        name: schema.name.clone(),
                        relation: relation.name.clone(),
                        value: (*value).into(),
                        expected: expected.into(),
                    }
                };

                // A cell whose text is a raw string is escaped; any other is read as it
                // is (the module docs say which).
                let text = match is_escaped(schema.ty, lattices) {
                    true => unescape(value).ok_or_else(|| FactsError::Escape {
                        path: path.to_path_buf(),
                        line,
                        column: column + 1,
                        name: schema.name.clone(),
                        relation: relation.name.clone(),
                        value: (*value).to_owned(),
                    })?,
                    false => (*value).to_owned(),
                };
                match schema.ty {
                    ColumnType::String => Ok(Const::String(text)),
                    ColumnType::Lattice(id) => match LatticeValue::parse(id, lattices, &text) {
                        Ok(parsed) => Ok(Const::Lattice {
                            ty: id,
                            value: Box::new(parsed),
                        }),
                        // The message quotes the cell and names the type itself.
                        Err(LatticeError::Parse { detail, .. }) => Err(bad_value(Some(detail))),
                        Err(other) => Err(bad_value(Some(other.to_string()))),
                    },
                    ty => Const::parse(ty, &text).ok_or_else(|| bad_value(None)),
                }
            })
            .collect::<Result<Vec<Const>, FactsError>>()?;
        tuples.push(tuple);
    }
    Ok(tuples)
}

/// Whether a cell of type `ty` holds a raw string, and so is escaped: a `string`, or
/// the element of a `Max<string>` or `Min<string>`.
fn is_escaped(ty: ColumnType, lattices: &LatticeTypes) -> bool {
    let text_scalar = match ty {
        ColumnType::Lattice(id) => lattices.lookup(id).and_then(LatticeType::text_scalar),
        scalar => Some(scalar),
    };
    text_scalar == Some(ColumnType::String)
}

/// The text of an output file: one tuple a line, tab-separated, in the set's order.
pub fn format_tuples(tuples: &[Vec<Const>]) -> String {
    let mut out = String::new();
    for tuple in tuples {
        for (i, value) in tuple.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            write_cell(value, &mut out);
        }
        out.push('\n');
    }
    out
}

/// Appends the cell of `value`: a string escaped, a `Max`, `Min` or `Bool` value as its
/// element, any other lattice value as its JSON text, unescaped.
fn write_cell(value: &Const, out: &mut String) {
    use std::fmt::Write as _;

    match value {
        Const::String(text) => escape_into(text, out),
        Const::Lattice { value, .. } => match value.element() {
            Some(element) => write_cell(element, out),
            // Writing into a String cannot fail.
            None => drop(write!(out, "{value}")),
        },
        other => drop(write!(out, "{other}")),
    }
}

/// Appends `text` with tabs, newlines, carriage returns and backslashes escaped.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
}

/// The string a facts-file value denotes, or `None` for an unknown escape.
fn unescape(value: &str) -> Option<String> {
    if !value.contains('\\') {
        return Some(value.to_owned());
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            '\\' => '\\',
            _ => return None,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests;
