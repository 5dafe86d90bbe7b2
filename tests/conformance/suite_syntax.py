"""Parser for the rule text of the datalog-conformance suite.

The suite stores each rule as one string in the syntax of the engine it was harvested
from: Prolog style (`grandmother(X, Z) :- parent(X, Y), not female(Y).`, uppercase
variables, lowercase constants), Souffle style (`A(a, b, a+b) :- R(a,b).`, every bare
identifier a variable, constants quoted) or crepe style (`Fib(n - 1, x)`, `(n <= 25)`).
The grammar is the union of the three; which bare identifiers are variables is decided
later, per case, by the translator. This module only builds the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Union


class RuleSyntaxError(ValueError):
    """A rule of the suite that this parser cannot read."""


@dataclass(frozen=True)
class Name:
    """A bare identifier in argument position: a variable or a constant, by style."""

    text: str


@dataclass(frozen=True)
class Wildcard:
    """The anonymous variable `_`."""


@dataclass(frozen=True)
class Number:
    """An integer or decimal literal."""

    value: int | float


@dataclass(frozen=True)
class String:
    """A quoted string literal, unescaped."""

    value: str


@dataclass(frozen=True)
class BinOp:
    """Arithmetic `left op right` with op one of `+ - * / %`."""

    op: str
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: "Expr"


@dataclass(frozen=True)
class Compare:
    """A comparison `left op right` with op one of `= != < <= > >=`."""

    op: str
    left: "Expr"
    right: "Expr"


Expr = Union[Name, Wildcard, Number, String, BinOp, Neg]


@dataclass(frozen=True)
class Atom:
    """`pred(arg, ...)`; zero arguments are allowed (`Ok()`)."""

    pred: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Negated:
    """A negated body atom, written `not p(...)` or `!p(...)` in the suite."""

    atom: Atom


Literal = Union[Atom, Negated, Compare]


@dataclass(frozen=True)
class Rule:
    """A rule `head :- body`; a rule without body is a fact."""

    head: Atom
    body: tuple[Literal, ...]


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+\.\d+|\d+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>:-|<=|>=|!=|[=<>(),.+\-*/%!])
    """,
    re.VERBOSE,
)

_COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise RuleSyntaxError(f"unexpected character {text[pos]!r} in {text!r}")
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append((kind, match.group()))
        pos = match.end()
    tokens.append(("end", ""))
    return tokens


def _unescape(quoted: str) -> str:
    body = quoted[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def next(self) -> tuple[str, str]:
        token = self.peek()
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        kind, text = self.next()
        if text != value or kind == "string":
            raise RuleSyntaxError(f"expected {value!r}, found {text or 'end'!r} in {self.text!r}")

    def at(self, value: str) -> bool:
        kind, text = self.peek()
        return kind in ("punct", "ident") and text == value

    def rule(self) -> Rule:
        head = self.atom()
        body: list[Literal] = []
        if self.at(":-"):
            self.next()
            body.append(self.literal())
            while self.at(","):
                self.next()
                body.append(self.literal())
        if self.at("."):
            self.next()
        if self.peek()[0] != "end":
            raise RuleSyntaxError(f"unexpected {self.peek()[1]!r} in {self.text!r}")
        return Rule(head, tuple(body))

    def atom(self) -> Atom:
        kind, pred = self.next()
        if kind != "ident":
            raise RuleSyntaxError(f"expected a predicate name, found {pred!r} in {self.text!r}")
        self.expect("(")
        args: list[Expr] = []
        if not self.at(")"):
            args.append(self.value(self.expr()))
            while self.at(","):
                self.next()
                args.append(self.value(self.expr()))
        self.expect(")")
        return Atom(pred, tuple(args))

    def literal(self) -> Literal:
        # `not p(...)` and `!p(...)` negate an atom; `not` alone could be a variable.
        if self.at("!") or (self.at("not") and self.peek(1)[0] == "ident"):
            self.next()
            return Negated(self.atom())
        if self.peek()[0] == "ident" and self.peek(1)[1] == "(":
            return self.atom()

        # Otherwise a comparison, possibly parenthesised as crepe writes `(n <= 25)`.
        found = self.expr()
        if self.peek()[0] == "punct" and self.peek()[1] in _COMPARISONS:
            op = self.next()[1]
            found = Compare(op, self.value(found), self.value(self.expr()))
        if not isinstance(found, Compare):
            raise RuleSyntaxError(f"a body literal is not an atom or comparison: {self.text!r}")
        return found

    def value(self, found: Expr | Compare) -> Expr:
        """Rejects a parenthesised comparison where a value is needed."""

        if isinstance(found, Compare):
            raise RuleSyntaxError(f"comparison used as a value in {self.text!r}")
        return found

    def expr(self) -> Expr | Compare:
        left = self.term()
        while self.at("+") or self.at("-"):
            op = self.next()[1]
            left = BinOp(op, self.value(left), self.value(self.term()))
        return left

    def term(self) -> Expr | Compare:
        left = self.unary()
        while self.at("*") or self.at("/") or self.at("%"):
            op = self.next()[1]
            left = BinOp(op, self.value(left), self.value(self.unary()))
        return left

    def unary(self) -> Expr | Compare:
        if self.at("-"):
            self.next()
            return Neg(self.value(self.unary()))
        return self.primary()

    def primary(self) -> Expr | Compare:
        kind, text = self.next()
        if kind == "number":
            return Number(float(text) if "." in text else int(text))
        if kind == "string":
            return String(_unescape(text))
        if kind == "ident":
            return Wildcard() if text == "_" else Name(text)
        if text == "(":
            inner = self.expr()
            if self.peek()[0] == "punct" and self.peek()[1] in _COMPARISONS:
                op = self.next()[1]
                inner = Compare(op, self.value(inner), self.value(self.expr()))
            self.expect(")")
            return inner
        raise RuleSyntaxError(f"unexpected {text or 'end'!r} in {self.text!r}")


def parse_rule(text: str) -> Rule:
    """Parses one rule string of the suite."""

    return _Parser(text).rule()


# The tree after classification, as the translator rewrites it.


@dataclass(frozen=True)
class Var:
    """A variable, by its name in the case."""

    name: str


@dataclass(frozen=True)
class Const:
    """A constant: int, float, bool or str."""

    value: int | float | bool | str


@dataclass
class ClassifiedRule:
    """A rule after classification: `Name`s resolved to variables or constants."""

    head: Atom
    body: list[Any]


def atoms_of(rule: ClassifiedRule) -> list[Atom]:
    """The head and every body atom, negated or not."""

    atoms = [rule.head]
    for lit in rule.body:
        if isinstance(lit, Atom):
            atoms.append(lit)
        elif isinstance(lit, Negated):
            atoms.append(lit.atom)
    return atoms


def term_vars(node: Any) -> list[str]:
    """The variables of a term, atom or literal, in order, with repeats."""

    if isinstance(node, Var):
        return [node.name]
    if isinstance(node, (BinOp, Compare)):
        return term_vars(node.left) + term_vars(node.right)
    if isinstance(node, Neg):
        return term_vars(node.operand)
    if isinstance(node, Atom):
        return [name for arg in node.args for name in term_vars(arg)]
    if isinstance(node, Negated):
        return term_vars(node.atom)
    return []


def has_var(node: Any) -> bool:
    """Whether a term holds a variable."""

    if isinstance(node, Var):
        return True
    if isinstance(node, BinOp):
        return has_var(node.left) or has_var(node.right)
    if isinstance(node, Neg):
        return has_var(node.operand)
    return False
