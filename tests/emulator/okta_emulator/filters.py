# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SCIM-style expressions of Okta's ``search`` and ``filter`` query parameters.

``profile.name eq "Finance" or (type eq "OKTA_GROUP" and profile.name sw "Eng")``: operators eq, ne, sw,
co, ew, gt, ge, lt, le, pr; ``and`` binds tighter than ``or``; parentheses group. String comparisons are
case-insensitive, as Okta's search is.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any, Union

from .errors import invalid_search

_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_COMPARISONS = ("eq", "ne", "sw", "co", "ew", "gt", "ge", "lt", "le")

Lookup = Callable[[str], Any]


@dataclasses.dataclass(frozen=True)
class Comparison:
    """``attribute op value`` (or ``attribute pr``)."""

    attribute: str
    operator: str
    value: Any = None

    def matches(self, lookup: Lookup) -> bool:
        """Evaluate against one object; a list-valued attribute matches if any element does."""
        actual = lookup(self.attribute)
        if self.operator == "pr":
            return actual not in (None, "", [])
        return any(self._matches_value(value) for value in (actual if isinstance(actual, list) else [actual]))

    def _matches_value(self, actual: Any) -> bool:
        if isinstance(actual, str) and isinstance(self.value, str):
            return _compare_text(actual.lower(), self.operator, self.value.lower())
        if self.operator == "eq":
            return actual == self.value
        if self.operator == "ne":
            return actual != self.value
        return False

    def attributes(self) -> set[str]:
        """The attributes the expression reads."""
        return {self.attribute}


def _compare_text(actual: str, operator: str, expected: str) -> bool:
    tests: dict[str, Callable[[], bool]] = {
        "eq": lambda: actual == expected, "ne": lambda: actual != expected,
        "sw": lambda: actual.startswith(expected), "co": lambda: expected in actual, "ew": lambda: actual.endswith(expected),
        "gt": lambda: actual > expected, "ge": lambda: actual >= expected,
        "lt": lambda: actual < expected, "le": lambda: actual <= expected,
    }
    return tests[operator]()


@dataclasses.dataclass(frozen=True)
class Logical:
    """``left and right`` / ``left or right``."""

    operator: str
    operands: tuple[Expression, ...]

    def matches(self, lookup: Lookup) -> bool:
        """Evaluate against one object."""
        results = (operand.matches(lookup) for operand in self.operands)
        return all(results) if self.operator == "and" else any(results)

    def attributes(self) -> set[str]:
        """The attributes the expression reads."""
        return set().union(*(operand.attributes() for operand in self.operands))


Expression = Union[Comparison, Logical]


def equality_values(expression: Expression, attribute: str) -> list[Any] | None:
    """The values if the expression is only ``attribute eq X [or attribute eq Y ...]`` (an index can answer)."""
    if isinstance(expression, Comparison):
        return [expression.value] if expression.attribute == attribute and expression.operator == "eq" else None
    if expression.operator != "or":
        return None
    values: list[Any] = []
    for operand in expression.operands:
        found = equality_values(operand, attribute)
        if found is None:
            return None
        values.extend(found)
    return values


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = self._tokenize(text)
        self.position = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            found = _TOKEN.match(text, position)
            if found is None or found.end() == position:
                raise invalid_search()
            kind = found.lastgroup or ""
            tokens.append((kind, found.group(kind)))
            position = found.end()
        return tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid_search()
        self.position += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "word" and token[1].lower() == word:
            self.position += 1
            return True
        return False

    def parse(self) -> Expression:
        expression = self.disjunction()
        if self.peek() is not None:
            raise invalid_search()
        return expression

    def disjunction(self) -> Expression:
        operands = [self.conjunction()]
        while self.keyword("or"):
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Logical("or", tuple(operands))

    def conjunction(self) -> Expression:
        operands = [self.primary()]
        while self.keyword("and"):
            operands.append(self.primary())
        return operands[0] if len(operands) == 1 else Logical("and", tuple(operands))

    def primary(self) -> Expression:
        kind, text = self.take()
        if kind == "paren" and text == "(":
            expression = self.disjunction()
            if self.take() != ("paren", ")"):
                raise invalid_search()
            return expression
        if kind != "word":
            raise invalid_search()
        operator = self.take()
        if operator[0] != "word":
            raise invalid_search()
        name = operator[1].lower()
        if name == "pr":
            return Comparison(text, "pr")
        if name not in _COMPARISONS:
            raise invalid_search()
        return Comparison(text, name, self.value())

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return json.loads(text)
        if kind == "word":
            literals = {"true": True, "false": False, "null": None}
            if text.lower() in literals:
                return literals[text.lower()]
            try:
                return float(text) if "." in text else int(text)
            except ValueError:
                pass
        raise invalid_search()


def parse(text: str, allowed_attributes: frozenset[str] | None = None) -> Expression:
    """Parse an expression; E0000031 (400) if it is malformed or reads an attribute outside ``allowed_attributes``."""
    expression = _Parser(text).parse()
    if allowed_attributes is not None and not expression.attributes() <= allowed_attributes:
        raise invalid_search()
    return expression


def dotted_lookup(document: dict[str, Any]) -> Lookup:
    """Resolve ``profile.name``-style attribute paths in a JSON document."""
    def lookup(attribute: str) -> Any:
        value: Any = document
        for part in attribute.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value
    return lookup
