"""Unit tests of the adapter itself: the rule parser, the translation of cases into
Hydro programs and facts files, and the reading of `hydro run`'s output files. They
need no `hydro` binary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from datalog_conformance import TestCase as SuiteCase

from hydro_cli import CaseFailure, read_relation
from suite_syntax import Atom, BinOp, Compare, Name, Negated, Number, RuleSyntaxError, parse_rule
from suite_translate import Relation, TranslationError, translate, uses_lowercase_variables


def case(source: str, rules: list[str], facts: dict | None = None, **extra) -> SuiteCase:
    raw = {
        "name": "unit",
        "description": "unit test",
        "source": source,
        "program": {"facts": facts or {}, "rules": rules},
    }
    raw.update(extra)
    if "expect" not in raw and "expect_error" not in raw:
        raw["expect"] = {}
    return SuiteCase.from_dict(raw)


def body_lines(program: str) -> list[str]:
    return [line for line in program.splitlines() if line and not line.startswith("//")]


# The parser.


def test_subtraction_chains_parse_left_associative() -> None:
    rule = parse_rule("result(1-2-3) :- seed(x).")
    assert rule.head.args == (BinOp("-", BinOp("-", Number(1), Number(2)), Number(3)),)


def test_parenthesised_comparison_and_spaced_atom() -> None:
    rule = parse_rule("T (n) :- Fib(n - 1, x), (n <= 25)")
    assert rule.head == Atom("T", (Name("n"),))
    assert rule.body[1] == Compare("<=", Name("n"), Number(25))


def test_both_negation_spellings() -> None:
    assert parse_rule("a(X) :- b(X), not c(X).").body[1] == Negated(Atom("c", (Name("X"),)))
    assert parse_rule("a(X) :- b(X), !c(X).").body[1] == Negated(Atom("c", (Name("X"),)))


def test_unreadable_rule_is_reported() -> None:
    with pytest.raises(RuleSyntaxError):
        parse_rule("a(X) :- b(X) c(X).")
    with pytest.raises(TranslationError, match="cannot read rule"):
        translate(case("manual/x", ["a(X) :- b(X) c(X)."]))


# Variable styles.


def test_style_follows_the_source_engine() -> None:
    rules = [parse_rule("Y(a,c) :- X(a,b), Y(b,c).")]
    assert uses_lowercase_variables("souffle/evaluation/neg1", rules)
    assert uses_lowercase_variables("crepe/tests/ui/x.rs", rules)
    assert not uses_lowercase_variables("nemo/testcases/basic/join.rls", rules)
    # Unknown origin: `a` joins two atoms, so lowercase identifiers are variables.
    assert uses_lowercase_variables("elsewhere/x", rules)
    assert not uses_lowercase_variables("elsewhere/x", [parse_rule("p(X) :- q(X, ada).")])


def test_prolog_style_join_translates_with_inputs_and_copy_rules() -> None:
    translation = translate(
        case(
            "manual/scaffold",
            ["grandmother(X, Z) :- parent(X, Y), parent(Y, Z), female(X)."],
            facts={"parent": [["ada", "bob"], ["bob", "cora"]], "female": [["ada"]]},
            expect={"grandmother": [["ada", "cora"]]},
        )
    )
    assert body_lines(translation.program) == [
        "input parent_in(c0: string, c1: string);",
        "input female_in(c0: string);",
        "output parent(c0: string, c1: string);",
        "output female(c0: string);",
        "output grandmother(c0: string, c1: string);",
        "parent(c0, c1) :- parent_in(c0, c1).",
        "female(c0) :- female_in(c0).",
        "grandmother(x, z) :- parent(x, y), parent(y, z), female(x).",
    ]
    assert translation.facts == {
        "parent_in.facts": "ada\tbob\nbob\tcora\n",
        "female_in.facts": "ada\n",
    }
    assert translation.expected == {"grandmother": {("ada", "cora")}}
    assert translation.outputs["grandmother"] == Relation("grandmother", ("string", "string"))


def test_prolog_constants_become_strings_and_arithmetic_types_i64() -> None:
    translation = translate(
        case("manual/review_v2", ["result(1-2-3) :- seed(x)."], facts={"seed": [["x"]]},
             expect={"result": [[-4]]})
    )
    assert "output result(c0: i64);" in translation.program
    assert 'result(1 - 2 - 3) :- seed("x").' in translation.program
    assert translation.expected == {"result": {(-4,)}}


def test_souffle_head_arithmetic_and_types_from_facts() -> None:
    translation = translate(
        case("souffle/evaluation/plus", ["A(a, b, a+b) :- R(a,b)."], facts={"R": [[1, 2]]})
    )
    assert "output A(c0: i64, c1: i64, c2: i64);" in translation.program
    assert "A(a, b, a + b) :- R(a, b)." in translation.program


def test_right_nested_subtraction_keeps_its_parentheses() -> None:
    rules = ["A(a - (b - 1)) :- R(a, b)."]
    translation = translate(case("souffle/x", rules, facts={"R": [[5, 2]]}))
    assert "A(a - (b - 1)) :- R(a, b)." in translation.program


def test_column_types_flow_through_rules_and_quoted_numbers_follow_them() -> None:
    translation = translate(
        case(
            "souffle/evaluation/minmax",
            [
                "equal(m, n, r) :- succ(pm, m), succ(pn, n), equal(pm, pn, r).",
                'Is_min_max_eq(r) :- equal("6", "6", r).',
            ],
            facts={"succ": [[0, 1]]},
        )
    )
    # m and n come from succ's columns; r from nowhere typed, so string.
    assert "output equal(c0: i64, c1: i64, c2: string);" in translation.program
    assert "Is_min_max_eq(r) :- equal(6, 6, r)." in translation.program


def test_quoted_numeric_strings_stay_strings_in_string_columns() -> None:
    translation = translate(
        case("manual/review_v2", [], facts={"token": [["1"], ["01"], ["true"]]},
             expect={"token": [["1"], ["01"], ["true"]]})
    )
    assert "output token(c0: string);" in translation.program
    assert translation.facts["token_in.facts"] == "1\n01\ntrue\n"
    assert translation.expected == {"token": {("1",), ("01",), ("true",)}}


def test_predicates_without_facts_or_rules_become_empty_inputs() -> None:
    translation = translate(
        case("souffle/x", ["High(s) :- In(s), not Low(s)."], facts={"In": [[1]]})
    )
    assert "input Low_in(c0: i64);" in translation.program
    assert "High(s) :- In(s), !Low(s)." in translation.program
    assert translation.facts["Low_in.facts"] == ""


def test_facts_of_a_derived_predicate_feed_it_through_its_input() -> None:
    translation = translate(
        case("souffle/x", ["orbits(X,Y) :- orbits(X,Z), orbits(Z,Y)."],
             facts={"orbits": [["earth", "sun"]]})
    )
    assert "orbits(c0, c1) :- orbits_in(c0, c1)." in translation.program
    assert "orbits(x, y) :- orbits(x, z), orbits(z, y)." in translation.program


def test_nemo_negation_locals_are_quantified_inside_the_negation() -> None:
    translation = translate(
        case(
            "nemo/testcases/basic/negation.rls",
            [
                "pXY(X, Y) :- main(X, Y, Z), not s3(X, 5, P).",
                "pX(X) :- main(X, Y, Z), not s3(X, P, P).",
            ],
            facts={"main": [[1, 2, 3]], "s3": [[1, 5, 5]]},
        )
    )
    lines = body_lines(translation.program)
    assert "pXY(x, y) :- main(x, y, z), !s3(x, 5, _)." in lines
    assert "pX(x) :- main(x, y, z), !s3_exists1(x)." in lines
    assert "s3_exists1(x) :- s3(x, p, p)." in lines
    assert "scratch s3_exists1(c0: i64);" in lines
    assert "s3_exists1" not in translation.outputs


def test_other_engines_keep_negation_locals_for_the_checker() -> None:
    translation = translate(
        case("manual/review_v2", ["ok(X) :- person(X), not banned(X, Y)."],
             facts={"person": [["alice"]]}, expect_error="SafetyViolationError")
    )
    assert "ok(x) :- person(x), !banned(x, y)." in translation.program
    # The suite's category is safety (E03xx); the case of that name is exactly E0302.
    assert translation.expected_codes == frozenset({"E0301", "E0302", "E0303", "E0304", "E0305"})
    named = case("manual/review_v2", ["ok(X) :- person(X), not banned(X, Y)."],
                 expect_error="SafetyViolationError")
    named.name = "unsafe_negation_variable_only_in_negative_literal"
    assert translate(named).expected_codes == frozenset({"E0302"})


def test_expressions_in_body_atoms_become_bindings() -> None:
    translation = translate(
        case(
            "crepe/tests/ui/unbound_variable.rs",
            ["Fib(n, x + y) :- Fib(n - 1, x), Fib(n - 2, y), (n <= 25)"],
            facts={"Fib": [[0, 0], [1, 1]]},
            expect_error="unbound_variable",
        )
    )
    assert (
        "Fib(n, x + y) :- Fib(e0, x), Fib(e1, y), n <= 25, e0 = n - 1, e1 = n - 2."
        in translation.program
    )


def test_facts_of_inconsistent_arity_are_written_inline() -> None:
    translation = translate(
        case("crepe/tests/ui/invalid_arity.rs", [], facts={"Fib": [[0, 0, 2], [1, 1]]},
             expect_error="arity_mismatch")
    )
    assert body_lines(translation.program) == [
        "output Fib(c0: i64, c1: i64, c2: i64);",
        "Fib(0, 0, 2).",
        "Fib(1, 1).",
    ]
    assert translation.facts == {}
    assert translation.expected_codes == frozenset({"E0103"})


def test_keywords_are_renamed() -> None:
    translation = translate(
        case("manual/x", ["output(Input, True) :- table(Input, True)."],
             facts={"table": [["a", "b"]]}, expect={"output": [["a", "b"]]})
    )
    assert "output output_(c0: string, c1: string);" in translation.program
    assert "output_(input_, true_) :- table_(input_, true_)." in translation.program
    assert translation.outputs["output"].name == "output_"


def test_clashing_variable_names_stay_distinct() -> None:
    translation = translate(case("souffle/x", ["p(X, x) :- q(X, x)."], facts={"q": [[1, 2]]}))
    assert "p(x, x_2) :- q(x, x_2)." in translation.program


def test_unknown_expected_error_is_a_translation_error() -> None:
    with pytest.raises(TranslationError, match="no Hydro code"):
        translate(case("manual/x", ["p(X) :- q(X)."], expect_error="mystery"))


# Reading `hydro run`'s output.


def test_output_files_are_read_by_column_type(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("1\tada\n-4\t01\n", encoding="utf-8")
    assert read_relation(path, Relation("r", ("i64", "string"))) == {(1, "ada"), (-4, "01")}


def test_zero_column_outputs_hold_the_empty_tuple_or_nothing(tmp_path: Path) -> None:
    full, empty = tmp_path / "ok.csv", tmp_path / "none.csv"
    full.write_text("\n", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    assert read_relation(full, Relation("ok", ())) == {()}
    assert read_relation(empty, Relation("none", ())) == set()


def test_malformed_output_lines_are_failures(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("1\n", encoding="utf-8")
    with pytest.raises(CaseFailure, match="1 columns"):
        read_relation(path, Relation("r", ("i64", "i64")))
    with pytest.raises(CaseFailure, match="wrote no"):
        read_relation(tmp_path / "missing.csv", Relation("m", ("i64",)))
