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
mod tests {
    use super::*;
    use hydro_runtime::ir::{ColumnSchema, RelationKind};
    use hydro_runtime::lattice::{LatticeType, Lww, Map, Max, Min};
    use hydro_runtime::value::ColumnType;

    fn relation(name: &str, columns: &[(&str, ColumnType)]) -> RelationSchema {
        RelationSchema {
            name: name.to_owned(),
            kind: RelationKind::Input,
            columns: columns
                .iter()
                .map(|(n, ty)| ColumnSchema {
                    name: (*n).to_owned(),
                    ty: *ty,
                })
                .collect(),
        }
    }

    fn edge() -> RelationSchema {
        relation(
            "edge",
            &[("src", ColumnType::U64), ("dst", ColumnType::I64)],
        )
    }

    fn parse(text: &str, rel: &RelationSchema) -> Result<Vec<Vec<Const>>, String> {
        parse_facts(
            text.as_bytes(),
            Path::new("in/edge.facts"),
            rel,
            &LatticeTypes::new(),
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn reads_tab_separated_lines_with_either_line_ending() {
        let expected = vec![
            vec![Const::U64(1), Const::I64(-2)],
            vec![Const::U64(3), Const::I64(4)],
        ];
        assert_eq!(parse("1\t-2\n3\t4\n", &edge()), Ok(expected.clone()));
        assert_eq!(parse("1\t-2\r\n3\t4", &edge()), Ok(expected.clone()));
        assert_eq!(parse("1\t-2\n\n3\t4\n\n", &edge()), Ok(expected));
        assert_eq!(parse("", &edge()), Ok(vec![]));
    }

    #[test]
    fn strings_keep_spaces_and_may_be_empty_in_a_column() {
        let rel = relation(
            "name",
            &[("id", ColumnType::U64), ("s", ColumnType::String)],
        );
        assert_eq!(
            parse("1\t a b \n2\t\n", &rel),
            Ok(vec![
                vec![Const::U64(1), Const::String(" a b ".into())],
                vec![Const::U64(2), Const::String(String::new())],
            ])
        );
    }

    #[test]
    fn zero_column_relation_holds_its_tuple_when_the_file_has_a_line() {
        let rel = relation("ok", &[]);
        assert_eq!(parse("", &rel), Ok(vec![]));
        assert_eq!(parse("\n", &rel), Ok(vec![vec![]]));
        assert_eq!(
            parse("x\n", &rel),
            Err("in/edge.facts:1: expected 0 tab-separated values for `ok`, found 1".into())
        );
    }

    #[test]
    fn wrong_arity_names_file_and_line() {
        assert_eq!(
            parse("1\t2\n3\t4\t5\n", &edge()),
            Err("in/edge.facts:2: expected 2 tab-separated values for `edge`, found 3".into())
        );
        assert_eq!(
            parse("1 2\n", &edge()),
            Err("in/edge.facts:1: expected 2 tab-separated values for `edge`, found 1".into())
        );
    }

    #[test]
    fn unparsable_value_names_line_column_and_value() {
        assert_eq!(
            parse("1\t2\n3\tx4\n", &edge()),
            Err("in/edge.facts:2: column 2 (`dst` of `edge`): cannot read `x4` as i64".into())
        );
        assert_eq!(
            parse("-1\t2\n", &edge()),
            Err("in/edge.facts:1: column 1 (`src` of `edge`): cannot read `-1` as u64".into())
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = parse_facts(
            b"1\t2\n\xff\t3\n",
            Path::new("in/edge.facts"),
            &edge(),
            &LatticeTypes::new(),
        );
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("in/edge.facts:2: the line is not valid UTF-8".into())
        );
    }

    #[test]
    fn missing_file_names_the_relation_that_needs_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = facts_path(dir.path(), "edge");
        let err = read_facts(&path, &edge(), &LatticeTypes::new()).map_err(|e| e.to_string());
        assert_eq!(
            err,
            Err(format!(
                "missing facts file `{}` for input relation `edge` \
                 (create it, empty if `edge` has no tuples)",
                path.display()
            ))
        );
    }

    #[test]
    fn unreadable_path_is_a_read_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A directory in place of the file.
        let path = facts_path(dir.path(), "edge");
        std::fs::create_dir(&path).expect("mkdir");
        let err = read_facts(&path, &edge(), &LatticeTypes::new()).map_err(|e| e.to_string());
        let text = err.expect_err("a directory is no facts file");
        assert!(
            text.starts_with(&format!("cannot read facts file `{}`: ", path.display())),
            "{text}"
        );
    }

    #[test]
    fn strings_round_trip_through_escapes() {
        let rel = relation("s", &[("text", ColumnType::String), ("n", ColumnType::U64)]);
        let tuples = vec![
            vec![Const::String("a\tb".into()), Const::U64(1)],
            vec![Const::String("line1\nline2\r".into()), Const::U64(2)],
            vec![Const::String("back\\slash".into()), Const::U64(3)],
        ];
        let text = format_tuples(&tuples);
        assert_eq!(text, "a\\tb\t1\nline1\\nline2\\r\t2\nback\\\\slash\t3\n");
        assert_eq!(parse(&text, &rel), Ok(tuples));
    }

    #[test]
    fn unknown_escape_is_an_error() {
        let rel = relation("s", &[("text", ColumnType::String)]);
        let err = parse("ok\nbad\\q\n", &rel).unwrap_err();
        assert!(
            err.starts_with(
                "in/edge.facts:2: column 1 (`text` of `s`): `bad\\q` has an unknown escape"
            ),
            "{err}"
        );
    }

    #[test]
    fn one_string_column_reads_an_empty_line_as_the_empty_string() {
        let rel = relation("s", &[("text", ColumnType::String)]);
        let tuples = vec![
            vec![Const::String(String::new())],
            vec![Const::String("x".into())],
        ];
        assert_eq!(format_tuples(&tuples), "\nx\n");
        assert_eq!(parse("\nx\n", &rel), Ok(tuples));
    }

    #[test]
    fn one_string_chain_column_reads_an_empty_line_as_the_empty_string() {
        let (types, rels) = lattice_relations(vec![LatticeType::Max(ColumnType::String)]);
        let ColumnType::Lattice(id) = rels[0].columns[1].ty else {
            unreachable!()
        };
        let rel = relation("s", &[("m", ColumnType::Lattice(id))]);
        let max = |s: &str| Const::Lattice {
            ty: id,
            value: Box::new(LatticeValue::Max(Max::new(Const::String(s.into())))),
        };
        let tuples = vec![vec![max("")], vec![max("x")]];
        assert_eq!(format_tuples(&tuples), "\nx\n");
        assert_eq!(parse_in("\nx\n", &rel, &types), Ok(tuples));
    }

    #[test]
    fn numbers_have_one_spelling_and_floats_are_finite() {
        let rel = relation("n", &[("i", ColumnType::I64), ("f", ColumnType::F64)]);
        assert!(parse("-1\t2.5\n", &rel).is_ok());
        for bad in ["+1\t2.5", "1\tinf", "1\tNaN", "1\t1e400", "1\t+2.5"] {
            assert!(parse(bad, &rel).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn one_expected_value_is_singular() {
        let rel = relation("s", &[("text", ColumnType::String)]);
        let err = parse("a\tb\n", &rel).unwrap_err();
        assert!(
            err.contains("expected 1 tab-separated value for `s`, found 2"),
            "{err}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(
            parse("\u{feff}1\t2\n", &edge()),
            Ok(vec![vec![Const::U64(1), Const::I64(2)]])
        );
    }

    /// A relation `cells(key: u64, cell: L)` for each lattice type `L` of `tys`, with
    /// the type table that holds them.
    fn lattice_relations(tys: Vec<LatticeType>) -> (LatticeTypes, Vec<RelationSchema>) {
        let mut types = LatticeTypes::new();
        let relations = tys
            .into_iter()
            .map(|ty| {
                let id = types.intern(ty);
                let columns = [("key", ColumnType::U64), ("cell", ColumnType::Lattice(id))];
                relation("cells", &columns)
            })
            .collect();
        (types, relations)
    }

    fn parse_in(
        text: &str,
        rel: &RelationSchema,
        types: &LatticeTypes,
    ) -> Result<Vec<Vec<Const>>, String> {
        parse_facts(text.as_bytes(), Path::new("in/cells.facts"), rel, types)
            .map_err(|e| e.to_string())
    }

    fn cell(rel: &RelationSchema, types: &LatticeTypes, text: &str) -> Const {
        let ColumnType::Lattice(id) = rel.columns[1].ty else {
            panic!("the second column is a lattice");
        };
        let value = LatticeValue::parse(id, types, text).expect("a lattice value");
        Const::Lattice {
            ty: id,
            value: Box::new(value),
        }
    }

    #[test]
    fn json_cells_are_read_verbatim() {
        let (types, rels) = lattice_relations(vec![LatticeType::Set(ColumnType::String)]);
        let set = &rels[0];
        for (line, json) in [
            (r#"1	["a\"b"]"#, r#"["a\"b"]"#),
            (r#"1	["\u00e9"]"#, r#"["é"]"#),
            (r#"1	["C:\\temp"]"#, r#"["C:\\temp"]"#),
            (r#"1	["tab\there"]"#, r#"["tab\there"]"#),
        ] {
            let expected = vec![vec![Const::U64(1), cell(set, &types, json)]];
            assert_eq!(parse_in(line, set, &types), Ok(expected), "{line}");
        }
    }

    #[test]
    fn lattice_cells_round_trip() {
        let (mut types, mut rels) = lattice_relations(vec![
            LatticeType::Set(ColumnType::String),
            LatticeType::Lww(ColumnType::String),
            LatticeType::Max(ColumnType::String),
            LatticeType::Min(ColumnType::String),
            LatticeType::Counter,
        ]);
        let max = types.intern(LatticeType::Max(ColumnType::String));
        let map = types.intern(LatticeType::Map(ColumnType::String, max));
        let columns = [("key", ColumnType::U64), ("cell", ColumnType::Lattice(map))];
        rels.push(relation("cells", &columns));
        let awkward = [
            "q\"uote",
            "back\\slash",
            "tab\there",
            "line\nbreak\r",
            "é€😀",
            "\\t",
        ];
        for rel in &rels {
            let ColumnType::Lattice(id) = rel.columns[1].ty else {
                unreachable!()
            };
            let values: Vec<LatticeValue> = match types.get(id) {
                LatticeType::Set(_) => vec![LatticeValue::Set(
                    awkward.iter().map(|s| Const::String((*s).into())).collect(),
                )],
                LatticeType::Lww(_) => awkward
                    .iter()
                    .map(|s| {
                        let value = Const::String(format!("v{s}"));
                        LatticeValue::Lww(Lww::new(3, (*s).to_owned(), value))
                    })
                    .collect(),
                LatticeType::Max(_) => awkward
                    .iter()
                    .map(|s| LatticeValue::Max(Max::new(Const::String((*s).into()))))
                    .collect(),
                LatticeType::Min(_) => awkward
                    .iter()
                    .map(|s| LatticeValue::Min(Min::new(Const::String((*s).into()))))
                    .collect(),
                LatticeType::Counter => {
                    vec![LatticeValue::Counter(
                        awkward.iter().map(|s| ((*s).to_owned(), 2)).collect(),
                    )]
                }
                LatticeType::Map(..) => vec![LatticeValue::Map(Map::from_map(
                    awkward
                        .iter()
                        .map(|s| {
                            let value = LatticeValue::Max(Max::new(Const::String(s.repeat(2))));
                            (Const::String((*s).into()), value)
                        })
                        .collect(),
                ))],
                other => panic!("no values for {other:?}"),
            };
            let tuples: Vec<Vec<Const>> = values
                .into_iter()
                .enumerate()
                .map(|(i, value)| {
                    let value = Box::new(value);
                    vec![Const::U64(i as u64), Const::Lattice { ty: id, value }]
                })
                .collect();
            let text = format_tuples(&tuples);
            assert_eq!(text.lines().count(), tuples.len(), "{text}");
            assert_eq!(parse_in(&text, rel, &types), Ok(tuples), "{text}");
        }
    }

    #[test]
    fn json_cells_are_written_verbatim_and_string_chains_escaped() {
        let (types, rels) = lattice_relations(vec![
            LatticeType::Set(ColumnType::String),
            LatticeType::Max(ColumnType::String),
        ]);
        let set = cell(&rels[0], &types, r#"["a\"b","c\\d","e\tf"]"#);
        assert_eq!(
            format_tuples(&[vec![Const::U64(1), set]]),
            "1\t[\"a\\\"b\",\"c\\\\d\",\"e\\tf\"]\n"
        );
        let max = cell(&rels[1], &types, "a\tb\\c");
        assert_eq!(
            format_tuples(&[vec![Const::U64(1), max]]),
            "1\ta\\tb\\\\c\n"
        );
    }

    #[test]
    fn a_bad_lattice_cell_is_reported_once_and_shortened() {
        let mut types = LatticeTypes::new();
        let max = types.intern(LatticeType::Max(ColumnType::U64));
        let map = types.intern(LatticeType::Map(ColumnType::String, max));
        let set = types.intern(LatticeType::Set(ColumnType::U64));
        let stock = relation(
            "stock",
            &[
                ("store", ColumnType::String),
                ("items", ColumnType::Lattice(map)),
            ],
        );
        assert_eq!(
            parse_in("north\t{\"a\":2,\"a\":1}\n", &stock, &types),
            Err(
                "in/cells.facts:1: column 2 (`items` of `stock`): cannot read \
                 `{\"a\":2,\"a\":1}` as Map<string, Max<u64>>: the key \"a\" appears twice"
                    .into()
            )
        );

        let ids = relation("ids", &[("s", ColumnType::Lattice(set))]);
        let items: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
        let line = format!("[{},-1]\n", items.join(","));
        let err = parse_in(&line, &ids, &types).unwrap_err();
        assert_eq!(
            err,
            "in/cells.facts:1: column 1 (`s` of `ids`): cannot read \
             `[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,...` as Set<u64>: \
             expected a u64 (a whole number from 0), found `-1`"
        );
    }

    #[test]
    fn a_long_bad_string_is_shortened() {
        let rel = relation("s", &[("text", ColumnType::String)]);
        let line = format!("{}\\q\n", "x".repeat(500));
        let err = parse(&line, &rel).unwrap_err();
        assert!(err.len() < 250, "{err}");
        assert!(err.contains("xxx..."), "{err}");
    }

    #[test]
    fn output_is_tab_separated_one_tuple_a_line() {
        let tuples = [
            vec![Const::U64(1), Const::String("z".into())],
            vec![Const::U64(2), Const::String("b c".into())],
        ];
        assert_eq!(format_tuples(&tuples), "1\tz\n2\tb c\n");
    }
}
