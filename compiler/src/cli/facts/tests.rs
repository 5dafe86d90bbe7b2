//! Tests of reading facts files and writing output files.

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
    parse_facts(text.as_bytes(), Path::new("in/cells.facts"), rel, types).map_err(|e| e.to_string())
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
