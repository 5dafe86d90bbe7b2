//! Tests of the parser: the AST and spans of valid programs, and one test per class of
//! syntax error (message, position, help, recovery).

use hydro_compiler::diag::{render_plain, Code, Diagnostic};
use hydro_compiler::source::{FileId, SourceMap};
use hydro_compiler::syntax::ast::{Expr, HeadArg, Item, Lit, Literal, Module, Rule};
use hydro_compiler::syntax::{parse, MAX_NESTING};
use hydro_runtime::ir::RelationKind;

const FILE: FileId = FileId(0);

/// Parses `text`, asserting it has no diagnostic.
fn ok(text: &str) -> Module {
    let (module, diagnostics) = parse(FILE, text);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics for {text:?}: {diagnostics:#?}"
    );
    module
}

/// Parses `text`, returning the module and the diagnostics.
fn bad(text: &str) -> (Module, Vec<Diagnostic>) {
    let (module, diagnostics) = parse(FILE, text);
    assert!(!diagnostics.is_empty(), "expected diagnostics for {text:?}");
    (module, diagnostics)
}

fn rules(module: &Module) -> Vec<&Rule> {
    module
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Rule(rule) => Some(rule),
            _ => None,
        })
        .collect()
}

/// The text under a span.
fn at(text: &str, span: hydro_compiler::source::Span) -> &str {
    &text[span.range()]
}

/// An expression as an s-expression, to assert on tree shape.
fn sexpr(expr: &Expr) -> String {
    match expr {
        Expr::Var(v) => v.name.clone(),
        Expr::Wildcard(_) => "_".to_owned(),
        Expr::Lit(Lit::Int(n), _) => n.to_string(),
        Expr::Lit(Lit::Float(f), _) => format!("{f:?}"),
        Expr::Lit(Lit::Str(s), _) => format!("{s:?}"),
        Expr::Lit(Lit::Bool(b), _) => b.to_string(),
        Expr::Neg(inner, _) => format!("(neg {})", sexpr(inner)),
        Expr::Binary { op, lhs, rhs, .. } => {
            format!("({} {} {})", op.as_str(), sexpr(lhs), sexpr(rhs))
        }
        Expr::Call { func, args, .. } => {
            let args: Vec<String> = args.iter().map(sexpr).collect();
            format!("({} {})", func.name, args.join(" "))
        }
    }
}

/// The right side of the body's only comparison.
fn compared(text: &str) -> Expr {
    let module = ok(text);
    match &rules(&module)[0].body[..] {
        [_, Literal::Compare { rhs, .. }] => rhs.clone(),
        other => panic!("expected an atom and a comparison, got {other:?}"),
    }
}

#[test]
fn the_language_core_parses() {
    let text = r#"
        import "other.hydro";
        input   edge(src: u64, dst: u64);
        output  path(src: u64, dst: u64,);
        table   seen(node: u64);
        scratch frontier(node: Min<u64>);
        // line comment   /* block comment */
        edge(1, 2).
        path(x, y) :- edge(x, y).
        path(x, z) :- path(x, y), edge(y, z).
        lonely(x)  :- node(x), !edge(x, _).
        degree(x, count(y)) :- edge(x, y).
        near(x)    :- dist(x, d), d < 10, y = d * 2, y != 4.
        seen(x)@next   :- frontier(x).
        delete seen(x) :- forget(x).
        ok().
    "#;
    let module = ok(text);
    assert_eq!(module.items.len(), 14);
    let Item::Import(import) = &module.items[0] else {
        panic!("not an import: {:?}", module.items[0])
    };
    assert_eq!(import.path, "other.hydro");
    assert_eq!(at(text, import.path_span), "\"other.hydro\"");
    assert_eq!(at(text, import.span), "import \"other.hydro\";");

    let kinds: Vec<RelationKind> = module
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Decl(decl) => Some(decl.kind),
            _ => None,
        })
        .collect();
    use RelationKind::*;
    assert_eq!(kinds, [Input, Output, Table, Scratch]);
    let rules = rules(&module);
    assert_eq!(rules.len(), 9);
    assert!(rules[0].body.is_empty());
    assert!(matches!(rules[3].body[1], Literal::Negated { .. }));
    assert!(matches!(&rules[4].head.args[1], HeadArg::Aggregate(a) if a.func.name == "count"));
    assert_eq!(rules[5].body.len(), 4);
    assert!(rules[6].head.next.is_some() && rules[6].head.delete.is_none());
    assert!(rules[7].head.delete.is_some() && rules[7].head.next.is_none());
    assert!(rules[8].head.args.is_empty());
}

#[test]
fn declarations_keep_columns_types_and_spans() {
    let text = "table dist(node: u64, d: Map<string, Max<i64>>,);";
    let module = ok(text);
    let Item::Decl(decl) = &module.items[0] else {
        panic!("not a declaration")
    };
    assert_eq!(decl.kind, RelationKind::Table);
    assert_eq!(at(text, decl.kind_span), "table");
    assert_eq!(decl.name.name, "dist");
    assert_eq!(at(text, decl.span), text);
    assert_eq!(decl.columns.len(), 2);
    let d = &decl.columns[1];
    assert_eq!(at(text, d.span), "d: Map<string, Max<i64>>");
    assert_eq!(at(text, d.ty.span), "Map<string, Max<i64>>");
    assert_eq!(d.ty.args[1].name.name, "Max");
    assert_eq!(at(text, d.ty.args[1].args[0].span), "i64");
    assert!(ok("scratch done();").items.len() == 1);
}

#[test]
fn monotone_promises_and_module_items_parse_with_spans() {
    let text =
        "monotone module reach;\nmodule plain;\nmonotone output total(n: u64);\ntable t(n: u64);";
    let module = ok(text);
    let Item::Module(first) = &module.items[0] else {
        panic!("not a module item")
    };
    assert_eq!(first.name.name, "reach");
    assert_eq!(first.monotone.map(|s| at(text, s)), Some("monotone"));
    assert_eq!(at(text, first.span), "monotone module reach;");
    let Item::Module(second) = &module.items[1] else {
        panic!("not a module item")
    };
    assert!(second.monotone.is_none());
    let Item::Decl(total) = &module.items[2] else {
        panic!("not a declaration")
    };
    assert_eq!(total.monotone.map(|s| at(text, s)), Some("monotone"));
    assert_eq!(at(text, total.span), "monotone output total(n: u64);");
    assert_eq!(at(text, total.kind_span), "output");
    let Item::Decl(t) = &module.items[3] else {
        panic!("not a declaration")
    };
    assert!(t.monotone.is_none());
}

#[test]
fn monotone_before_a_rule_or_module_as_a_name_is_a_syntax_error() {
    let (_, diagnostics) = bad("monotone path(x) :- edge(x).");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "expected a relation kind or `module`, found name `path`"
    );
    let (_, diagnostics) = bad("table module(x: u64);");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("`module` is a keyword and cannot be used as a name")
    );
}

#[test]
fn rule_spans_cover_what_was_written() {
    let text = "delete  seen(x, y + 1) @next :- !gone(x), x >= 10.";
    let module = ok(text);
    let rule = rules(&module)[0];
    assert_eq!(at(text, rule.span), text);
    assert_eq!(at(text, rule.head.span), "delete  seen(x, y + 1) @next");
    assert_eq!(at(text, rule.head.delete.unwrap()), "delete");
    assert_eq!(at(text, rule.head.next.unwrap()), "@next");
    assert_eq!(at(text, rule.head.name.span), "seen");
    let HeadArg::Expr(sum) = &rule.head.args[1] else {
        panic!("not an expression")
    };
    assert_eq!(at(text, sum.span()), "y + 1");
    let Literal::Negated { bang, atom, span } = &rule.body[0] else {
        panic!("not negated")
    };
    assert_eq!(
        (at(text, *bang), at(text, atom.span), at(text, *span)),
        ("!", "gone(x)", "!gone(x)")
    );
    let Literal::Compare {
        op_span,
        lhs,
        rhs,
        span,
        ..
    } = &rule.body[1]
    else {
        panic!("not a comparison")
    };
    assert_eq!(at(text, *op_span), ">=");
    assert_eq!((at(text, lhs.span()), at(text, rhs.span())), ("x", "10"));
    assert_eq!(at(text, *span), "x >= 10");

    let text = "t(x, sum(w * 2)) :- e(x, w).";
    let module = ok(text);
    let HeadArg::Aggregate(agg) = &rules(&module)[0].head.args[1] else {
        panic!("not an aggregate")
    };
    assert_eq!(
        (at(text, agg.span), at(text, agg.arg.span())),
        ("sum(w * 2)", "w * 2")
    );
}

#[test]
fn arithmetic_precedence_and_associativity() {
    let e = |rhs: &str| sexpr(&compared(&format!("a(x) :- b(x), y = {rhs}.")));
    assert_eq!(e("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(e("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(e("8 / 4 % 3 * 2"), "(* (% (/ 8 4) 3) 2)");
    assert_eq!(e("(1 + 2) * 3"), "(* (+ 1 2) 3)");
    assert_eq!(e("-x * y"), "(* (neg x) y)");
    assert_eq!(e("- -1 - -x"), "(- (neg (neg 1)) (neg x))");
    assert_eq!(e("x-1"), "(- x 1)");
}

#[test]
fn comparisons_bind_loosest() {
    let module = ok("a(x) :- b(x), x + 1 <= y * 2.");
    let Literal::Compare { op, lhs, rhs, .. } = &rules(&module)[0].body[1] else {
        panic!("not a comparison")
    };
    assert_eq!(op.as_str(), "<=");
    assert_eq!(
        (sexpr(lhs), sexpr(rhs)),
        ("(+ x 1)".to_owned(), "(* y 2)".to_owned())
    );
    // Comparisons do not chain.
    let (_, diagnostics) = bad("a(x) :- b(x), 1 < x < 3.");
    assert_eq!(diagnostics.len(), 1);
}

#[test]
fn literals() {
    let lit = |rhs: &str| sexpr(&compared(&format!("a(x) :- b(x), x = {rhs}.")));
    assert_eq!(lit("42"), "42");
    assert_eq!(lit("18446744073709551615"), u64::MAX.to_string());
    assert_eq!(lit("-1"), "(neg 1)");
    assert_eq!(lit("1.5"), "1.5");
    assert_eq!(lit("1e3"), "1000.0");
    assert_eq!(lit("2.5e-3"), "0.0025");
    assert_eq!(lit("1E+2"), "100.0");
    assert_eq!(lit("true"), "true");
    assert_eq!(lit("false"), "false");
    assert_eq!(lit("_"), "_");
    assert_eq!(lit("_x"), "_x");
    assert_eq!(
        lit(r#""a\"b\\c\nd\te\rf""#),
        format!("{:?}", "a\"b\\c\nd\te\rf")
    );
    // `1.` is the integer 1 ending a fact.
    let module = ok("n(1).n(2.0).");
    assert_eq!(module.items.len(), 2);
}

#[test]
fn comments_are_skipped() {
    let text = "// a\n/* b\n c */ e(1). /* d */ e(2). // f";
    let module = ok(text);
    assert_eq!(module.items.len(), 2);
    assert_eq!(at(text, rules(&module)[0].span), "e(1).");
    // Block comments do not nest: the first `*/` ends the comment.
    let (_, diagnostics) = bad("/* /* */ */ e(1).");
    assert_eq!(diagnostics[0].code, Code::Syntax);
}

#[test]
fn integer_out_of_range_is_an_invalid_literal() {
    let text = "e(18446744073709551616).";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::InvalidLiteral);
    assert_eq!(
        at(text, diagnostics[0].primary.span),
        "18446744073709551616"
    );
    assert_eq!(module.items.len(), 1, "the fact is still parsed");
    let (_, diagnostics) = bad("e(12ab).");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::InvalidLiteral);
    let (_, diagnostics) = bad("e(1e999).");
    assert_eq!(diagnostics[0].code, Code::InvalidLiteral);
}

#[test]
fn unknown_escape_is_an_invalid_literal() {
    let text = r#"e("a\qb")."#;
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::InvalidLiteral);
    assert_eq!(at(text, diagnostics[0].primary.span), r"\q");
    assert_eq!(module.items.len(), 1);
}

#[test]
fn unterminated_string_is_reported_once() {
    let text = "e(\"abc).\nf(1).\ng(2).";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, Code::UnterminatedString);
    assert_eq!(at(text, diagnostics[0].primary.span), "\"abc).");
    // The string ends at the end of its line, so the rest of the file still parses.
    assert_eq!(module.items.len(), 1);
}

#[test]
fn unterminated_comment_is_reported_once() {
    let text = "e(1).\ne(2) :- /* f(x).\n g(y).";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, Code::UnterminatedComment);
    assert_eq!(at(text, diagnostics[0].primary.span), "/*");
    assert_eq!(module.items.len(), 1);
}

#[test]
fn syntax_error_says_what_was_expected_and_found() {
    let text = "e(1, 2.\nf(3).";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, Code::Syntax);
    assert_eq!(d.message, "expected `,` or `)`, found `.`");
    assert_eq!(d.primary.span.range(), 6..7);
    assert_eq!(module.items.len(), 1, "the next fact parses");
}

#[test]
fn expected_tokens_are_grouped_into_words() {
    let (_, d) = bad("e(1) :- .");
    assert_eq!(
        d[0].message,
        "expected an atom, a negated atom or a comparison, found `.`"
    );
    let (_, d) = bad("e(x) :- f(x), x.");
    assert!(
        d[0].message.contains("a comparison operator"),
        "{}",
        d[0].message
    );
    let (_, d) = bad(") .");
    assert_eq!(
        d[0].message,
        "expected a declaration, rule, fact or import, found `)`"
    );
    let (_, d) = bad("input e(x u64);");
    assert_eq!(d[0].message, "expected `:`, found name `u64`");
}

#[test]
fn missing_final_dot_is_reported_once_and_both_rules_kept() {
    let text = "p(x) :- e(x)\np(y) :- f(y).";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d.message, "expected `,` or `.`, found name `p`");
    assert_eq!(at(text, d.primary.span), "p");
    assert_eq!(at(text, d.secondary[0].span), ")");
    assert_eq!(d.help.as_deref(), Some("end a rule with `.`"));
    assert_eq!(rules(&module).len(), 2);
    assert_eq!(at(text, rules(&module)[0].span), "p(x) :- e(x)");

    // At the end of the file.
    let (module, diagnostics) = bad("e(1).\ne(2)");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "expected `@next`, `:-` or `.`, found the end of the file"
    );
    assert_eq!(diagnostics[0].help.as_deref(), Some("end a fact with `.`"));
    assert_eq!(module.items.len(), 2);
}

#[test]
fn declaration_missing_semicolon() {
    let text = "input e(x: u64)\noutput f(x: u64);";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("end a declaration with `;`")
    );
    assert_eq!(module.items.len(), 2);
}

#[test]
fn typos_get_a_help_line_and_the_item_survives() {
    let cases = [
        ("p(x) := e(x).", ":-"),
        ("p(x) :- e(x), x == 1.", "`=`"),
        ("p(x) :- e(x);", "end with `.`"),
        ("input e(x: u64).", "end with `;`"),
    ];
    for (text, hint) in cases {
        let (module, diagnostics) = bad(text);
        assert_eq!(diagnostics.len(), 1, "{text}: {diagnostics:#?}");
        let help = diagnostics[0].help.as_deref().unwrap_or("");
        assert!(help.contains(hint), "{text}: help {help:?} lacks {hint:?}");
        assert_eq!(module.items.len(), 1, "{text}: the item is repaired");
    }
}

#[test]
fn common_slips_get_a_help_line() {
    let cases = [
        ("a(x) : - b(x).", "`:-` with no space"),
        ("a(x) <- b(x).", "starts with `:-`"),
        ("a(x) :- b(x), x =< 3.", "`<=`"),
        ("a(x) :- b(x), x => 3.", "`>=`"),
        ("a(x) :- b(x), not c(x).", "negation is written `!`"),
        ("import lib.hydro;", "the path is a string"),
        ("e('a').", "double quotes"),
    ];
    for (text, hint) in cases {
        let (_, diagnostics) = bad(text);
        assert_eq!(diagnostics.len(), 1, "{text}: {diagnostics:#?}");
        let help = diagnostics[0].help.as_deref().unwrap_or("");
        assert!(help.contains(hint), "{text}: help {help:?} lacks {hint:?}");
    }
}

#[test]
fn float_without_leading_digit_is_an_invalid_literal() {
    let text = "a(x) :- b(x), x < .5.";
    let (module, diagnostics) = bad(text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, Code::InvalidLiteral);
    assert_eq!(diagnostics[0].help.as_deref(), Some("write `0.5`"));
    assert_eq!(module.items.len(), 1);
}

#[test]
fn every_error_of_a_file_is_reported() {
    let text = "e(1,).\nf(1 2).\ng(x) :- h(x), .\ninput t(a: u64)\ninput u(b u64);\nok().";
    let (module, diagnostics) = bad(text);
    let lines: Vec<usize> = diagnostics
        .iter()
        .map(|d| text[..d.primary.span.start as usize].matches('\n').count() + 1)
        .collect();
    assert_eq!(lines, [2, 3, 5, 5], "{diagnostics:#?}");
    // `e(1,).` is fine (trailing comma), `t` is repaired, `ok().` parses.
    assert_eq!(module.items.len(), 3);
}

#[test]
fn stray_characters_and_time_annotations() {
    let (_, d) = bad("e(1) # note\n.");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.ends_with("found unexpected character `#`"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].help.as_deref(), Some("comments start with `//`"));
    let (_, d) = bad("s(x)@ next :- f(x).");
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].help.as_deref(),
        Some("write `@next` with no space after `@`")
    );
    let (_, d) = bad("s(x)@later :- f(x).");
    assert_eq!(
        d[0].message,
        "expected `@next`, `:-` or `.`, found `@later`"
    );
    let (_, d) = bad("output table(x: u64);");
    assert!(d[0].help.as_deref().unwrap_or("").contains("keyword"));
}

#[test]
fn aggregates_take_one_argument() {
    // `sum(a, b)` parses as a call; the checker says an aggregate takes one argument.
    let compilation = hydro_compiler::compile_str(
        "t.hydro",
        "input e(x: u64, a: u64, b: u64); output t(x: u64, s: u64);\n\
         t(x, sum(a, b)) :- e(x, a, b).",
    );
    let d = &compilation.diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "`sum` takes one argument, found 2");
    assert_eq!(
        d[0].help.as_deref(),
        Some("an aggregate takes exactly one argument")
    );
    // Elsewhere, a `,` where only `)` fits gets no such help.
    let (_, d) = bad("t(x) :- e((x, y)).");
    assert!(d[0].message.ends_with("found `,`"), "{}", d[0].message);
    assert_eq!(d[0].help, None);
}

#[test]
fn nesting_up_to_the_limit_parses() {
    let depth = MAX_NESTING as usize - 1;
    let text = format!(
        "a(x) :- b(x), y = {}x{}.",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    ok(&text);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let n = 200_000;
    let cases = [
        format!("a(x) :- b(x), y = {}x{}.", "(".repeat(n), ")".repeat(n)),
        format!("a(x) :- b(x), y = {}x.", "-".repeat(n)),
        format!("a(x) :- b(x), y = x{}.", " + 1".repeat(n)),
        format!("a(x) :- b(x), y = {}x.", "(".repeat(n)),
    ];
    for text in &cases {
        let (_, diagnostics) = parse(FILE, text);
        assert!(!diagnostics.is_empty());
        assert!(diagnostics.iter().all(|d| d.code == Code::Syntax));
        assert!(diagnostics.len() <= 2, "{} diagnostics", diagnostics.len());
    }
}

#[test]
fn rendered_diagnostics_read_well() {
    let text = "input edge(src: u64, dst: u64)\npath(x, y) := edge(x, y).\npath(x, z) :- path(x, y), edge(y, z)\n";
    let mut sources = SourceMap::new();
    let file = sources.add("bad.hydro", text);
    let (_, diagnostics) = parse(file, text);
    insta::assert_snapshot!(render_plain(&sources, &diagnostics));
}

#[test]
fn an_unknown_declaration_kind_names_the_kinds() {
    for kind in ["relation", "channel", "edb"] {
        let (module, diagnostics) = bad(&format!("{kind} j(a: u64);\ninput e(x: u64);\n"));
        assert_eq!(diagnostics.len(), 1, "{kind}: {diagnostics:?}");
        let help = diagnostics[0].help.as_deref().unwrap_or("");
        assert!(
            help.starts_with(&format!("`{kind}` is not a declaration kind")),
            "{help}"
        );
        assert_eq!(module.items.len(), 1, "the next declaration still parses");
    }
}

#[test]
fn a_zero_column_head_without_parentheses_gets_a_hint() {
    for text in ["k :- e(x).", "k.", "input e(x: u64);\nk :- e(x)."] {
        let (_, diagnostics) = bad(text);
        assert_eq!(diagnostics.len(), 1, "{text}: {diagnostics:?}");
        let help = diagnostics[0].help.as_deref().unwrap_or("");
        assert!(help.ends_with("`k()`"), "{text}: {help}");
    }
}
