"""Column types of a translated case.

The facts decide a column's type: integers make `i64`, anything else `string`. Columns
without facts take their type by unification: a variable ties together every column it
occurs in and every expression it is compared or computed with, and a class of tied
columns, variables and expressions takes the type of the facts in it. Where no facts
reach a class, arithmetic makes it `i64`, else the first literal in it decides, else it is
`string`.
"""

from __future__ import annotations

import re
from typing import Any

from suite_syntax import Atom, BinOp, ClassifiedRule, Compare, Const, Neg, Negated, Var, has_var

_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")


def column_type(values: list[Any]) -> str:
    """The Hydro type of a column holding these fact values."""

    if not values:
        return "string"
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "i64"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "f64"
    return "string"


def normalise(value: Any, ty: str) -> Any:
    """A suite value as the Python value of a Hydro column of type `ty`."""

    if ty == "i64" and isinstance(value, str) and _CANONICAL_INT.match(value):
        return int(value)
    if ty == "f64" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if ty == "string" and not isinstance(value, str):
        return fact_text(value)
    return value


def fact_text(value: Any) -> str:
    """A value as written in a tab-separated facts file."""

    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def literal_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "i64"
    if isinstance(value, float):
        return "f64"
    return "string"


class TypeTable:
    """Union-find over columns `("col", pred, i)`, variables `("var", rule, name)` and
    expressions, each class carrying the types the facts (strong) and the literals and
    arithmetic (weak) give it."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}
        self.strong: dict[Any, list[str]] = {}
        self.weak: dict[Any, list[str]] = {}
        self.nodes = 0

    def find(self, node: Any) -> Any:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: Any, b: Any) -> None:
        if a is None or b is None:
            return
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.strong.setdefault(ra, []).extend(self.strong.pop(rb, []))
            self.weak.setdefault(ra, []).extend(self.weak.pop(rb, []))

    def hint(self, node: Any, ty: str, strong: bool) -> None:
        table = self.strong if strong else self.weak
        table.setdefault(self.find(node), []).append(ty)

    def type_of(self, node: Any) -> str:
        root = self.find(node)
        strong = self.strong.get(root, [])
        if strong:
            return strong[0]
        weak = self.weak.get(root, [])
        if "arith" in weak:
            return "f64" if "f64" in weak else "i64"
        return weak[0] if weak else "string"

    def infer_term(self, term: Any, scope: int) -> Any:
        if isinstance(term, Var):
            return ("var", scope, term.name)
        if isinstance(term, Const):
            node = ("const", scope, self.next_node())
            self.hint(node, literal_type(term.value), strong=False)
            return node
        if isinstance(term, (BinOp, Neg)):
            node = ("expr", scope, self.next_node())
            self.hint(node, "arith", strong=False)
            parts = [term.left, term.right] if isinstance(term, BinOp) else [term.operand]
            for part in parts:
                self.union(node, self.infer_term(part, scope))
            return node
        return None

    def next_node(self) -> int:
        self.nodes += 1
        return self.nodes

    def infer(self, rules: list[ClassifiedRule]) -> None:
        for scope, rule in enumerate(rules):
            atoms = [rule.head] + [
                lit.atom if isinstance(lit, Negated) else lit
                for lit in rule.body
                if isinstance(lit, (Atom, Negated))
            ]
            for atom in atoms:
                for i, arg in enumerate(atom.args):
                    self.union(("col", atom.pred, i), self.infer_term(arg, scope))
            for lit in rule.body:
                if isinstance(lit, Compare):
                    self.union(self.infer_term(lit.left, scope), self.infer_term(lit.right, scope))

    def probe(self, node: Any, scope: int) -> Any:
        """The type node of the first variable inside `node`."""

        if isinstance(node, Var):
            return ("var", scope, node.name)
        parts = [node.left, node.right] if isinstance(node, BinOp) else [node.operand]
        for part in parts:
            if has_var(part):
                return self.probe(part, scope)
        raise AssertionError("a probed expression holds a variable")
