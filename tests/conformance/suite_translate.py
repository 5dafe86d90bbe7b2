"""Translation of one datalog-conformance case into a Hydro program and its facts files.

The shape of every translated program:

- each predicate of the case becomes an `output` relation of the same name (renamed only
  where the name is a Hydro keyword), so that `expect` can name any of them;
- each predicate that has facts, or that no rule derives, also gets an `input` relation
  `<name>_in`, filled from `<name>_in.facts`, and a copy rule `p(c0, ..) :- p_in(c0, ..).`
  (facts whose arities disagree are written inline instead, so the checker sees them);
- column types come from the facts (integers `i64`, otherwise `string`); a column without
  facts takes the type of the variables that flow into it from other columns, then of the
  literals and arithmetic it meets, and `string` when nothing says more;
- the rules follow, translated: variables are named in Hydro's lowercase style, bare
  lowercase constants of Prolog-style cases become string literals, `not p(..)` becomes
  `!p(..)`, an expression inside a body atom becomes a fresh variable and an `=`.

Which bare identifiers are variables depends on the engine a case was harvested from:
Souffle and crepe treat every identifier in argument position as a variable, Nemo (as
harvested here) and the hand-written cases use Prolog's convention. Nemo also reads a
variable that occurs only in a negated atom as quantified inside the negation; Hydro
rejects such variables (E0302), so for Nemo cases they become `_`, or a helper relation
when the variable repeats inside the atom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from suite_syntax import (
    Atom,
    BinOp,
    ClassifiedRule,
    Compare,
    Const,
    Name,
    Neg,
    Negated,
    Number,
    RuleSyntaxError,
    String,
    Var,
    Wildcard,
    atoms_of,
    has_var,
    parse_rule,
    term_vars,
)
from suite_syntax import Rule as ParsedRule
from suite_types import TypeTable, column_type, fact_text, normalise

KEYWORDS = frozenset({"input", "output", "table", "scratch", "import", "delete", "true", "false"})

# The suite names expected errors by category; each maps to the Hydro codes of that category.
ERROR_CODES: dict[str, frozenset[str]] = {
    "arity_mismatch": frozenset({"E0103"}),
    "cyclic_negation": frozenset({"E0501"}),
    "unbound_variable": frozenset({"E0301", "E0302", "E0303"}),
    # Safety is range restriction: the E03xx family (unbound head, negated or compared
    # variables, a wildcard in a head, a fact with variables).
    "safety_violations": frozenset({"E0301", "E0302", "E0303", "E0304", "E0305"}),
    "SafetyViolationError": frozenset({"E0301", "E0302", "E0303", "E0304", "E0305"}),
}

# Where a case's description names the exact violation, the exact code (or codes, where
# the program breaks the rule in more than one place).
CASE_CODES: dict[str, frozenset[str]] = {
    # `Ok(_) :- Ok(_)`: a wildcard in the head.
    "crepe_underscore_in_goal": frozenset({"E0304"}),
    # `ok(X) :- person(X), not banned(X, Y).`: Y occurs only under negation.
    "unsafe_negation_variable_only_in_negative_literal": frozenset({"E0302"}),
    # `p(X) :- q(Y).`: X occurs only in the head.
    "unbound_variable": frozenset({"E0301"}),
    # `Fib(n, x + y) :- Fib(n - 1, x), Fib(n - 2, y), (n <= 25)`: n occurs in the head,
    # a comparison and arithmetic, never in an atom.
    "crepe_unbound_variable": frozenset({"E0301", "E0303"}),
}

# Engines whose cases write variables in lowercase (every bare identifier is a variable).
LOWERCASE_VARIABLE_SOURCES = ("souffle", "crepe")
# Engines whose cases write variables in uppercase and constants in lowercase.
UPPERCASE_VARIABLE_SOURCES = ("nemo", "manual")
# Engines that quantify a variable local to a negated atom inside the negation.
EXISTENTIAL_NEGATION_SOURCES = ("nemo",)

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")


class TranslationError(Exception):
    """A case that the adapter cannot express as a Hydro program."""


@dataclass(frozen=True)
class Relation:
    """A Hydro relation standing for a predicate of the case."""

    name: str
    types: tuple[str, ...]


@dataclass
class Translation:
    """A case as a Hydro program, with everything needed to run and judge it."""

    case_name: str
    program: str
    facts: dict[str, str]
    outputs: dict[str, Relation]
    expected: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict)
    expected_codes: frozenset[str] | None = None


def translate(case: Any) -> Translation:
    """Translates a `datalog_conformance.TestCase` holding a core Datalog program."""

    if case.program is None:
        raise TranslationError("not a core Datalog program (a defeasible theory)")
    try:
        parsed = [parse_rule(text) for text in case.program.rules]
    except RuleSyntaxError as error:
        raise TranslationError(f"cannot read rule: {error}") from error
    return _Translator(case, parsed).run()


def uses_lowercase_variables(source: str, rules: list[ParsedRule]) -> bool:
    """Whether every bare identifier of the case is a variable (Souffle, crepe)."""

    engine = source.split("/", 1)[0]
    if engine in LOWERCASE_VARIABLE_SOURCES:
        return True
    if engine in UPPERCASE_VARIABLE_SOURCES:
        return False

    # Unknown origin: a lowercase identifier that a rule mentions twice (a join or a
    # head variable) is used as a variable, which Prolog style would make a constant.
    for rule in rules:
        counts: dict[str, int] = {}
        for name in _names_of_rule(rule):
            counts[name] = counts.get(name, 0) + 1
        if any(n >= 2 and name[0].islower() for name, n in counts.items()):
            return True
    return False


def _names_of_rule(rule: ParsedRule) -> list[str]:
    names: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Name):
            names.append(node.text)
        elif isinstance(node, (BinOp, Compare)):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, Neg):
            walk(node.operand)
        elif isinstance(node, Atom):
            for arg in node.args:
                walk(arg)
        elif isinstance(node, Negated):
            walk(node.atom)

    walk(rule.head)
    for literal in rule.body:
        walk(literal)
    return names


class _Translator:
    def __init__(self, case: Any, parsed: list[ParsedRule]) -> None:
        self.case = case
        self.lowercase_vars = uses_lowercase_variables(case.source, parsed)
        self.rules = [self.classify(rule) for rule in parsed]
        self.helpers: set[str] = set()
        self.arity: dict[str, int] = {}
        self.order: list[str] = []
        self.types = TypeTable()
        self.fresh = 0

    # Classification and normalisation of the case's rules.

    def classify(self, rule: ParsedRule) -> ClassifiedRule:
        def term(node: Any) -> Any:
            if isinstance(node, Name):
                is_var = self.lowercase_vars or node.text[0].isupper() or node.text[0] == "_"
                return Var(node.text) if is_var else Const(node.text)
            if isinstance(node, Number):
                return Const(node.value)
            if isinstance(node, String):
                return Const(node.value)
            if isinstance(node, BinOp):
                return BinOp(node.op, term(node.left), term(node.right))
            if isinstance(node, Neg):
                inner = term(node.operand)
                if isinstance(inner, Const) and isinstance(inner.value, (int, float)):
                    return Const(-inner.value)
                return Neg(inner)
            return node

        def atom(node: Atom) -> Atom:
            return Atom(node.pred, tuple(term(arg) for arg in node.args))

        body: list[Any] = []
        for literal in rule.body:
            if isinstance(literal, Atom):
                body.append(atom(literal))
            elif isinstance(literal, Negated):
                body.append(Negated(atom(literal.atom)))
            else:
                body.append(Compare(literal.op, term(literal.left), term(literal.right)))
        return ClassifiedRule(atom(rule.head), body)

    def lift_atom_expressions(self, rule: ClassifiedRule) -> None:
        """`p(n - 1, x)` in a body becomes `p(e, x), e = n - 1`: the same filter."""

        extra: list[Compare] = []
        names = _rule_var_names(rule)

        def lift(atom: Atom) -> Atom:
            args = []
            for arg in atom.args:
                if isinstance(arg, (BinOp, Neg)):
                    fresh = self.fresh_name(names)
                    extra.append(Compare("=", Var(fresh), arg))
                    args.append(Var(fresh))
                else:
                    args.append(arg)
            return Atom(atom.pred, tuple(args))

        for i, literal in enumerate(rule.body):
            if isinstance(literal, Atom):
                rule.body[i] = lift(literal)
            elif isinstance(literal, Negated):
                rule.body[i] = Negated(lift(literal.atom))
        rule.body.extend(extra)

    def quantify_negation_locals(self, rule: ClassifiedRule) -> list[ClassifiedRule]:
        """Nemo's `not s(X, P, P)` with `P` nowhere else: `P` is quantified inside."""

        helper_rules: list[ClassifiedRule] = []
        for i, literal in enumerate(rule.body):
            if not isinstance(literal, Negated):
                continue
            outside = _vars_outside(rule, i)
            counts: dict[str, int] = {}
            for arg in literal.atom.args:
                if isinstance(arg, Var) and arg.name not in outside:
                    counts[arg.name] = counts.get(arg.name, 0) + 1
            if not counts:
                continue
            if all(n == 1 for n in counts.values()):
                args = tuple(Wildcard() if isinstance(a, Var) and a.name in counts else a
                             for a in literal.atom.args)
                rule.body[i] = Negated(Atom(literal.atom.pred, args))
                continue

            # A local variable repeats: project the atom onto its outside variables.
            kept: list[Var] = []
            for arg in literal.atom.args:
                if isinstance(arg, Var) and arg.name in outside and arg not in kept:
                    kept.append(arg)
            helper = self.unique_pred(f"{literal.atom.pred}_exists{len(self.helpers) + 1}")
            self.helpers.add(helper)
            helper_rules.append(ClassifiedRule(Atom(helper, tuple(kept)), [literal.atom]))
            rule.body[i] = Negated(Atom(helper, tuple(kept)))
        return helper_rules

    def fresh_name(self, taken: set[str]) -> str:
        while True:
            name = f"e{self.fresh}"
            self.fresh += 1
            if name not in taken:
                taken.add(name)
                return name

    def unique_pred(self, base: str) -> str:
        taken = set(self.order) | set(self.helpers) | _all_preds(self.rules)
        taken |= set(self.case.program.facts)
        name = base
        while name in taken or name in KEYWORDS:
            name += "_"
        return name

    # Predicates, arities and types.

    def note_pred(self, pred: str, arity: int) -> None:
        if pred not in self.arity:
            self.arity[pred] = arity
            self.order.append(pred)

    # The whole translation.

    def run(self) -> Translation:
        case = self.case
        facts: dict[str, list[tuple[Any, ...]]] = {
            pred: [tuple(row) for row in rows] for pred, rows in case.program.facts.items()
        }
        expect: dict[str, list[tuple[Any, ...]]] = {
            pred: [tuple(row) for row in rows] for pred, rows in (case.expect or {}).items()
        }

        # Normalise the rules; helper rules of quantified negations come after them.
        engine = case.source.split("/", 1)[0]
        helper_rules: list[ClassifiedRule] = []
        for rule in self.rules:
            self.lift_atom_expressions(rule)
            if engine in EXISTENTIAL_NEGATION_SOURCES:
                helper_rules.extend(self.quantify_negation_locals(rule))
        rules = self.rules + helper_rules

        # Every predicate in order of first appearance, with its first-seen arity.
        for pred, rows in facts.items():
            self.note_pred(pred, len(rows[0]) if rows else 0)
        for rule in rules:
            for atom in atoms_of(rule):
                self.note_pred(atom.pred, len(atom.args))
        for pred, rows in expect.items():
            if rows:
                self.note_pred(pred, len(rows[0]))

        # Column types: facts are authoritative, then the rules propagate them.
        inline = {pred for pred, rows in facts.items() if len({len(r) for r in rows}) > 1}
        for pred, rows in facts.items():
            for i in range(self.arity[pred]):
                values = [row[i] for row in rows if i < len(row)]
                if values:
                    self.types.hint(("col", pred, i), column_type(values), strong=True)
        self.types.infer(rules)
        types = {
            pred: tuple(self.types.type_of(("col", pred, i)) for i in range(self.arity[pred]))
            for pred in self.order
        }

        # Hydro names for the case's predicates, and inputs for the extensional ones.
        names = self.hydro_names()
        derived = {rule.head.pred for rule in rules}
        inputs: dict[str, str] = {}
        taken = set(names.values())
        for pred in self.order:
            if pred in self.helpers or pred in inline:
                continue
            if pred in facts or pred not in derived:
                name = f"{names[pred]}_in"
                while name in taken or name in KEYWORDS:
                    name += "_"
                taken.add(name)
                inputs[pred] = name

        program = self.emit(rules, types, names, inputs, facts, inline)
        files = {
            f"{inputs[pred]}.facts": _facts_file(facts.get(pred, []), types[pred])
            for pred in self.order
            if pred in inputs
        }
        outputs = {
            pred: Relation(names[pred], types[pred])
            for pred in self.order
            if pred not in self.helpers
        }
        expected = {
            pred: {_normalise_row(row, types.get(pred, ())) for row in rows}
            for pred, rows in expect.items()
        }
        codes = None
        if case.expect_error is not None:
            codes = CASE_CODES.get(case.name, ERROR_CODES.get(case.expect_error))
            if codes is None:
                raise TranslationError(f"no Hydro code for expected error {case.expect_error!r}")
        return Translation(case.name, program, files, outputs, expected, codes)

    def hydro_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        taken: set[str] = set()
        for pred in self.order:
            name = pred if _IDENT.match(pred) else "r_" + re.sub(r"[^A-Za-z0-9_]", "_", pred)
            while name in KEYWORDS or name in taken:
                name += "_"
            taken.add(name)
            names[pred] = name
        return names

    def emit(
        self,
        rules: list[ClassifiedRule],
        types: dict[str, tuple[str, ...]],
        names: dict[str, str],
        inputs: dict[str, str],
        facts: dict[str, list[tuple[Any, ...]]],
        inline: set[str],
    ) -> str:
        case = self.case
        header = [f"// Translated from the datalog-conformance suite: {case.source}."]

        # Declarations: inputs, then one output per predicate, then helpers.
        declarations: list[str] = []
        for pred in self.order:
            if pred in inputs:
                declarations.append(f"input {_declaration(inputs[pred], types[pred])};")
        for pred in self.order:
            kind = "scratch" if pred in self.helpers else "output"
            declarations.append(f"{kind} {_declaration(names[pred], types[pred])};")

        # The inputs flow into their outputs; inconsistent facts are written inline.
        copies: list[str] = []
        for pred in self.order:
            if pred in inputs:
                columns = ", ".join(f"c{i}" for i in range(len(types[pred])))
                copies.append(f"{names[pred]}({columns}) :- {inputs[pred]}({columns}).")
        for pred in self.order:
            if pred in inline:
                for row in facts[pred]:
                    wants = types[pred] + (None,) * len(row)
                    args = ", ".join(_literal(v, wants[i]) for i, v in enumerate(row))
                    copies.append(f"{names[pred]}({args}).")

        translated = [self.emit_rule(rule, scope, types, names) for scope, rule in enumerate(rules)]
        sections = [header, declarations, copies, translated]
        return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"

    def emit_rule(
        self,
        rule: ClassifiedRule,
        scope: int,
        types: dict[str, tuple[str, ...]],
        names: dict[str, str],
    ) -> str:
        variables = _variable_names(rule)

        def term(node: Any, want: str | None) -> str:
            if isinstance(node, Var):
                return variables[node.name]
            if isinstance(node, Wildcard):
                return "_"
            if isinstance(node, Const):
                return _literal(node.value, want)
            if isinstance(node, Neg):
                inner = term(node.operand, want)
                wrap = isinstance(node.operand, (BinOp, Neg)) or inner.startswith("-")
                return f"-({inner})" if wrap else f"-{inner}"
            assert isinstance(node, BinOp)
            prec = _PRECEDENCE[node.op]
            left = term(node.left, want)
            right = term(node.right, want)
            if isinstance(node.left, BinOp) and _PRECEDENCE[node.left.op] < prec:
                left = f"({left})"
            if isinstance(node.right, BinOp) and _PRECEDENCE[node.right.op] <= prec:
                right = f"({right})"
            return f"{left} {node.op} {right}"

        def atom(node: Atom) -> str:
            column_types = types[node.pred]
            args = ", ".join(term(arg, column_types[i]) for i, arg in enumerate(node.args))
            return f"{names[node.pred]}({args})"

        def expr_type(node: Any) -> str | None:
            return self.types.type_of(self.types.probe(node, scope)) if has_var(node) else None

        head = atom(rule.head)
        if not rule.body:
            return f"{head}."
        body: list[str] = []
        for lit in rule.body:
            if isinstance(lit, Atom):
                body.append(atom(lit))
            elif isinstance(lit, Negated):
                body.append("!" + atom(lit.atom))
            else:
                want = expr_type(lit.left) or expr_type(lit.right)
                body.append(f"{term(lit.left, want)} {lit.op} {term(lit.right, want)}")
        return f"{head} :- {', '.join(body)}."

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2}


def _literal(value: Any, want: str | None) -> str:
    """A constant as a Hydro literal, in the type its position needs when it can be.

    The suite's Souffle cases compare numeric columns with quoted literals such as
    `equal("6", "6", r)`: Souffle held those columns as symbols, and the suite's
    harvest turned their facts into integers, so the literal follows the column.
    """

    if want == "i64" and isinstance(value, str) and _CANONICAL_INT.match(value):
        return value
    if want == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _normalise_row(row: tuple[Any, ...], types: tuple[str, ...]) -> tuple[Any, ...]:
    if len(row) != len(types):
        return row
    return tuple(normalise(v, ty) for v, ty in zip(row, types, strict=True))


def _declaration(name: str, types: tuple[str, ...]) -> str:
    columns = ", ".join(f"c{i}: {ty}" for i, ty in enumerate(types))
    return f"{name}({columns})"


def _facts_file(rows: list[tuple[Any, ...]], types: tuple[str, ...]) -> str:
    lines = []
    for row in rows:
        cells = [fact_text(normalise(v, ty)) for v, ty in zip(row, types, strict=True)]
        if any("\t" in cell or "\n" in cell for cell in cells):
            raise TranslationError(f"a fact value holds a tab or newline: {row!r}")
        lines.append("\t".join(cells))
    return "".join(line + "\n" for line in lines)


def _all_preds(rules: list[ClassifiedRule]) -> set[str]:
    return {atom.pred for rule in rules for atom in atoms_of(rule)}


def _rule_var_names(rule: ClassifiedRule) -> set[str]:
    return set(term_vars(rule.head)) | {n for lit in rule.body for n in term_vars(lit)}


def _vars_outside(rule: ClassifiedRule, index: int) -> set[str]:
    names = set(term_vars(rule.head))
    for i, lit in enumerate(rule.body):
        if i != index:
            names.update(term_vars(lit))
    return names


def _variable_names(rule: ClassifiedRule) -> dict[str, str]:
    """Hydro names for the rule's variables: lowercase, no keywords, no clashes."""

    ordered: list[str] = []
    for name in term_vars(rule.head) + [n for lit in rule.body for n in term_vars(lit)]:
        if name not in ordered:
            ordered.append(name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for name in ordered:
        base = name.lower()
        if base.startswith("_"):
            base = "v" + base
        if base in KEYWORDS:
            base += "_"
        candidate = base
        n = 2
        while candidate in KEYWORDS or candidate in taken:
            candidate = f"{base}_{n}"
            n += 1
        taken.add(candidate)
        mapping[name] = candidate
    return mapping
