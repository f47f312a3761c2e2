"""Formulas in edit operations ("Revenue * 1.1", "Sales < 10 and Region = 'North'").

A formula comes from the model, so it is untrusted text. It is read by a tokenizer and a
precedence-climbing parser of our own into a small tree, and the tree is evaluated row by row;
nothing is ever handed to eval/exec/compile. The work is bounded: the text's length, the
tree's depth and size, exponents, and the evaluations one edit may spend (`Budget`).

Grammar (lowest precedence first):

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "=" | "==" | "!=" | "<>") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | power
    power   := atom (("^" | "**") unary)?
    atom    := NUMBER | STRING | COLUMN | FUNCTION "(" [expr ("," expr)*] ")" | "(" expr ")"

A column is a name from the table: a bare word, a name with spaces or symbols in [brackets]
or `backticks`, or any column name written out as it is ("Unit Price * 2"). Functions:
round(x[, digits]), abs(x), min/max(a, b, ...) across values, sum/mean/min/max(x) of one
argument over all rows, count(x), prev(x) (the row before's value), empty(x).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.tables.table import Cell, cell_number, format_number

MAX_FORMULA_CHARS = 300
MAX_DEPTH = 24
MAX_NODES = 120
MAX_EXPONENT = 64.0
MAX_NUMBER_CHARS = 24
MAX_TEXT_CHARS = 120

Value = float | str | bool | None

_KEYWORDS = {"and", "or", "not"}
_COMPARISONS = {"<", "<=", ">", ">=", "=", "==", "!=", "<>"}
_ROW_FUNCTIONS = {"round", "abs", "prev", "empty", "min", "max"}
_COLUMN_FUNCTIONS = {"sum", "mean", "average", "avg", "count"}
FUNCTIONS = frozenset(_ROW_FUNCTIONS | _COLUMN_FUNCTIONS)
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»"}


class FormulaError(ValueError):
    """A formula that cannot be read or computed; the message names the bad part (English,
    for the model that wrote it)."""


@dataclass(frozen=True)
class _Token:
    kind: str  # number, text, column, word, op, "(", ")", ",", end
    text: str
    at: int
    value: Value = None
    end: int = -1

    @property
    def stop(self) -> int:
        return self.end if self.end >= 0 else self.at + len(self.text)


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def tokenize(source: str, columns: Sequence[str]) -> list[_Token]:
    """The formula's tokens; column names written out in full are one token each."""
    if len(source) > MAX_FORMULA_CHARS:
        raise FormulaError(f"the formula is longer than {MAX_FORMULA_CHARS} characters")
    # Longest names first, so "Sales 2024" wins over "Sales".
    by_length = sorted(columns, key=len, reverse=True)
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "[`":
            close = "]" if ch == "[" else "`"
            end = source.find(close, i + 1)
            if end < 0:
                raise FormulaError(f"“{ch}” at position {i + 1} is never closed")
            tokens.append(_Token("column", source[i + 1:end].strip(), i, end=end + 1))
            i = end + 1
            continue
        if ch in _QUOTES:
            end = source.find(_QUOTES[ch], i + 1)
            if end < 0:
                raise FormulaError(f"the text starting at position {i + 1} is never closed")
            text = source[i + 1:end]
            if len(text) > MAX_TEXT_CHARS:
                raise FormulaError(f"the text at position {i + 1} is too long")
            tokens.append(_Token("text", text, i, text, end=end + 1))
            i = end + 1
            continue
        named = _column_at(source, i, by_length)
        if named is not None:
            tokens.append(_Token("column", named, i))
            i += len(named)
            continue
        number = re.compile(r"\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?").match(
            source, i)
        if number:
            text = number.group()
            if len(text) > MAX_NUMBER_CHARS:
                raise FormulaError(f"the number at position {i + 1} is too long")
            value = float(text)
            if not math.isfinite(value):
                raise FormulaError(f"the number {text} is too large")
            tokens.append(_Token("number", text, i, value))
            i = number.end()
            continue
        word = re.compile(r"[^\W\d]\w*").match(source, i)
        if word:
            tokens.append(_Token("word", word.group(), i))
            i = word.end()
            continue
        two = source[i:i + 2]
        if two in ("<=", ">=", "==", "!=", "<>", "**"):
            tokens.append(_Token("op", two, i))
            i += 2
            continue
        if ch in "+-*/^<>=":
            tokens.append(_Token("op", ch, i))
        elif ch in "(),":
            tokens.append(_Token(ch, ch, i))
        elif ch in "−×÷≤≥≠":
            tokens.append(_Token("op", {"−": "-", "×": "*", "÷": "/", "≤": "<=", "≥": ">=",
                                        "≠": "!="}[ch], i))
        else:
            raise FormulaError(f"“{ch}” at position {i + 1} is not allowed in a formula")
        i += 1
    tokens.append(_Token("end", "", n))
    return tokens


def _column_at(source: str, i: int, names: Sequence[str]) -> str | None:
    """A column name written out at position i (ending at a word boundary, in any case), if
    any."""
    before = source[i - 1] if i > 0 else " "
    if before.isalnum() or before == "_":
        return None
    for name in names:
        if not name or source[i:i + len(name)].lower() != name.lower():
            continue
        end = i + len(name)
        after = source[end] if end < len(source) else " "
        if name[-1].isalnum() and (after.isalnum() or after == "_"):
            continue
        if re.fullmatch(r"[\d.]+", name):  # a column named "2024" is written [2024]
            continue
        return name
    return None


# --- the tree ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Node:
    """One node of a parsed formula; `text` is the source it came from, for messages."""

    kind: str  # number, text, column, unary, binary, compare, and, or, not, call
    text: str
    value: Value = None
    name: str = ""
    args: tuple[Node, ...] = ()


@dataclass
class _Parser:
    tokens: list[_Token]
    source: str
    columns: Sequence[str]
    at: int = 0
    nodes: int = 0
    depth: int = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def node(self, kind: str, start: int, **fields: object) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"the formula has more than {MAX_NODES} parts")
        text = self.source[start:self.tokens[self.at - 1].stop].strip()
        return Node(kind, text, **fields)  # type: ignore[arg-type]

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested more than {MAX_DEPTH} levels deep")
        try:
            return parse()
        finally:
            self.depth -= 1

    def shown(self, token: _Token) -> str:
        return self.source[token.at:token.stop]

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text.lower() == word

    def expr(self) -> Node:
        return self.nested(self.or_)

    def or_(self) -> Node:
        start = self.peek().at
        left = self.and_()
        while self.is_word("or"):
            self.take()
            left = self.node("or", start, args=(left, self.and_()))
        return left

    def and_(self) -> Node:
        start = self.peek().at
        left = self.not_()
        while self.is_word("and"):
            self.take()
            left = self.node("and", start, args=(left, self.not_()))
        return left

    def not_(self) -> Node:
        start = self.peek().at
        if self.is_word("not"):
            self.take()
            operand = self.nested(self.not_)
            return self.node("not", start, args=(operand,))
        return self.compare()

    def compare(self) -> Node:
        start = self.peek().at
        left = self.sum()
        token = self.peek()
        if token.kind == "op" and token.text in _COMPARISONS:
            self.take()
            op = {"==": "=", "<>": "!="}.get(token.text, token.text)
            left = self.node("compare", start, name=op, args=(left, self.sum()))
            after = self.peek()
            if after.kind == "op" and after.text in _COMPARISONS:
                raise FormulaError(f"“{after.text}” at position {after.at + 1}: join two "
                                   "comparisons with and/or")
        return left

    def sum(self) -> Node:
        start = self.peek().at
        left = self.product()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            left = self.node("binary", start, name=op, args=(left, self.product()))
        return left

    def product(self) -> Node:
        start = self.peek().at
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in ("*", "/"):
            op = self.take().text
            left = self.node("binary", start, name=op, args=(left, self.unary()))
        return left

    def unary(self) -> Node:
        start = self.peek().at
        token = self.peek()
        if token.kind == "op" and token.text in "+-":
            self.take()
            operand = self.nested(self.unary)
            return self.node("unary", start, name=token.text, args=(operand,))
        return self.power()

    def power(self) -> Node:
        start = self.peek().at
        base = self.atom()
        token = self.peek()
        if token.kind == "op" and token.text in ("^", "**"):
            self.take()
            exponent = self.nested(self.unary)
            return self.node("binary", start, name="^", args=(base, exponent))
        return base

    def atom(self) -> Node:
        token = self.take()
        start = token.at
        if token.kind == "number":
            return self.node("number", start, value=token.value)
        if token.kind == "text":
            return self.node("text", start, value=token.value)
        if token.kind == "column":
            return self.node("column", start, name=self.column(token))
        if token.kind == "(":
            inner = self.expr()
            self.expect(")", "“(” at position {at} is never closed", token)
            return inner
        if token.kind == "word":
            if self.peek().kind == "(":
                return self.call(token)
            if token.text.lower() in _KEYWORDS:
                raise FormulaError(f"“{token.text}” at position {start + 1} needs a value "
                                   "on each side")
            return self.node("column", start, name=self.column(token))
        if token.kind == "end":
            raise FormulaError("the formula ends too early" if self.at > 1
                               else "the formula is empty")
        raise FormulaError(f"“{self.shown(token)}” at position {start + 1} is not expected "
                           "there")

    def call(self, token: _Token) -> Node:
        name = token.text.lower()
        if name not in FUNCTIONS:
            raise FormulaError(f"there is no function called “{token.text}” (functions: "
                               f"{', '.join(sorted(FUNCTIONS))})")
        opened = self.take()
        args: list[Node] = []
        if self.peek().kind != ")":
            args.append(self.expr())
            while self.peek().kind == ",":
                self.take()
                args.append(self.expr())
        self.expect(")", "“(” at position {at} is never closed", opened)
        name = {"average": "mean", "avg": "mean"}.get(name, name)
        _check_arity(name, len(args), token.text)
        return self.node("call", token.at, name=name, args=tuple(args))

    def expect(self, kind: str, message: str, opened: _Token) -> None:
        token = self.peek()
        if token.kind != kind:
            if token.kind == "end":
                raise FormulaError(message.format(at=opened.at + 1))
            raise FormulaError(f"“{self.shown(token)}” at position {token.at + 1} is not expected "
                               "there")
        self.take()

    def column(self, token: _Token) -> str:
        if token.text in self.columns:
            return token.text
        key = _key(token.text)
        for name in self.columns:
            if _key(name) == key:
                return name
        if token.kind == "word" and token.text.startswith("_"):
            raise FormulaError(f"“{token.text}” is not allowed in a formula")
        shown = ", ".join(f"[{c}]" if not re.fullmatch(r"[^\W\d]\w*", c) else c
                          for c in self.columns[:20])
        raise FormulaError(f"there is no column called “{token.text}” (columns: {shown})")


def _check_arity(name: str, count: int, written: str) -> None:
    wanted = {"round": (1, 2), "abs": (1, 1), "prev": (1, 1), "empty": (1, 1),
              "sum": (1, 1), "mean": (1, 1), "count": (1, 1), "min": (1, 40),
              "max": (1, 40)}[name]
    if not wanted[0] <= count <= wanted[1]:
        need = (str(wanted[0]) if wanted[0] == wanted[1]
                else f"{wanted[0]} or {wanted[1]}" if wanted[1] == wanted[0] + 1
                else f"at least {wanted[0]}")
        raise FormulaError(f"{written}() takes {need} argument{'s' if wanted[1] > 1 else ''}, "
                           f"not {count}")


@dataclass(frozen=True)
class Formula:
    """A parsed formula, ready to evaluate on the rows of a table with the same columns."""

    source: str
    root: Node

    @property
    def is_condition(self) -> bool:
        return self.root.kind in ("compare", "and", "or", "not") or (
            self.root.kind == "call" and self.root.name == "empty")


def parse_formula(source: object, columns: Sequence[str]) -> Formula:
    """Parse formula text against the table's column names; FormulaError names what is wrong."""
    if not isinstance(source, str):
        raise FormulaError("a formula must be a string such as \"Sales * 1.1\"")
    source = source.strip()
    if source.startswith("="):
        source = source[1:]  # written the spreadsheet way
    parser = _Parser(tokenize(source, columns), source, columns)
    root = parser.expr()
    rest = parser.peek()
    if rest.kind != "end":
        raise FormulaError(f"“{source[rest.at:rest.stop]}” at position {rest.at + 1} is not "
                           "expected there")
    return Formula(source, root)


# --- evaluation ----------------------------------------------------------------------------


@dataclass
class Budget:
    """How many node evaluations one edit may spend (rows × formula size, summed)."""

    left: int = 400_000

    def spend(self, amount: int = 1) -> None:
        self.left -= amount
        if self.left < 0:
            raise FormulaError("the edit needs too much computation; make it simpler")


class Grid(Protocol):
    """What a formula reads: column names and rows of cells (a Table, or an edit's work)."""

    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[Sequence[Cell]]: ...


@dataclass
class _Evaluation:
    table: Grid
    budget: Budget
    index: dict[str, int]
    aggregates: dict[int, Value] = field(default_factory=dict)

    def at(self, node: Node, row: int) -> Value:
        self.budget.spend()
        kind = node.kind
        if kind in ("number", "text"):
            return node.value
        if kind == "column":
            if row < 0:
                return None
            return _from_cell(self.table.rows[row][self.index[node.name]])
        if kind == "unary":
            value = _number(self.at(node.args[0], row), node.args[0])
            return None if value is None else (-value if node.name == "-" else value)
        if kind == "binary":
            return _arithmetic(node, _number(self.at(node.args[0], row), node.args[0]),
                               _number(self.at(node.args[1], row), node.args[1]))
        if kind == "compare":
            return _compare(node.name, self.at(node.args[0], row), self.at(node.args[1], row))
        if kind == "not":
            return not _truth(self.at(node.args[0], row))
        if kind == "and":
            return _truth(self.at(node.args[0], row)) and _truth(self.at(node.args[1], row))
        if kind == "or":
            return _truth(self.at(node.args[0], row)) or _truth(self.at(node.args[1], row))
        return self.call(node, row)

    def call(self, node: Node, row: int) -> Value:
        name, args = node.name, node.args
        if name == "prev":
            return self.at(args[0], row - 1) if row > 0 else None
        if name == "empty":
            value = self.at(args[0], row)
            return value is None or value == ""
        if name in ("min", "max") and len(args) > 1:
            values = [_number(self.at(a, row), a) for a in args]
            present = [v for v in values if v is not None]
            if not present:
                return None
            return min(present) if name == "min" else max(present)
        if name in ("sum", "mean", "count", "min", "max"):
            return self.aggregate(node)
        value = _number(self.at(args[0], row), args[0])
        if value is None:
            return None
        if name == "abs":
            return abs(value)
        digits = 0.0
        if len(args) == 2:
            digits = _number(self.at(args[1], row), args[1]) or 0.0
        if not -12 <= digits <= 12:
            raise FormulaError(f"round() keeps between -12 and 12 digits, not {digits:g}")
        return _finite(round(value, int(digits)), node)

    def aggregate(self, node: Node) -> Value:
        """sum/mean/count/min/max of one argument over all rows, computed once per edit."""
        if id(node) in self.aggregates:
            return self.aggregates[id(node)]
        arg = node.args[0]
        values = [self.at(arg, i) for i in range(len(self.table.rows))]
        if node.name == "count":
            result: Value = float(sum(1 for v in values if v is not None and v != ""))
        else:
            numbers = [n for v in values if (n := _number(v, arg)) is not None]
            if not numbers:
                result = None
            elif node.name == "sum":
                result = _finite(math.fsum(numbers), node)
            elif node.name == "mean":
                result = _finite(math.fsum(numbers) / len(numbers), node)
            else:
                result = min(numbers) if node.name == "min" else max(numbers)
        self.aggregates[id(node)] = result
        return result


def _from_cell(cell: Cell) -> Value:
    return cell


def _number(value: Value, node: Node) -> float | None:
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if value == "":
        return None
    number = cell_number(value)
    if number is None:
        raise FormulaError(f"“{node.text}” is text (“{value[:40]}”), not a number")
    return number


def _finite(value: float, node: Node) -> float:
    if not math.isfinite(value):
        raise FormulaError(f"“{node.text}” gives a number too large to keep")
    return value


def _arithmetic(node: Node, a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None  # an empty cell makes an empty result, as in a spreadsheet's blank
    op = node.name
    if op == "+":
        return _finite(a + b, node)
    if op == "-":
        return _finite(a - b, node)
    if op == "*":
        return _finite(a * b, node)
    if op == "/":
        return None if b == 0 else _finite(a / b, node)
    if abs(b) > MAX_EXPONENT:
        raise FormulaError(f"the exponent in “{node.text}” is {format_number(b)}; "
                           f"at most {MAX_EXPONENT:g} is allowed")
    if a < 0 and b != int(b):
        return None
    try:
        return _finite(math.pow(a, b), node)
    except (OverflowError, ValueError, ZeroDivisionError):
        raise FormulaError(f"“{node.text}” gives a number too large to keep") from None


def _compare(op: str, a: Value, b: Value) -> bool:
    if a is None or b is None or a == "" or b == "":
        empty_a, empty_b = a is None or a == "", b is None or b == ""
        if op == "=":
            return empty_a and empty_b
        if op == "!=":
            return empty_a != empty_b
        return False
    left, right = _comparable(a), _comparable(b)
    if type(left) is not type(right):
        left, right = str(a).casefold(), str(b).casefold()
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def _comparable(value: Value) -> float | str:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    assert isinstance(value, str)
    number = cell_number(value)
    return number if number is not None else _key(value)


def _truth(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return False
    if isinstance(value, float):
        return value != 0
    return True


def evaluate(formula: Formula, table: Grid, budget: Budget | None = None) -> list[Value]:
    """The formula's value on every row of the table, in order."""
    evaluation = _Evaluation(table, budget or Budget(),
                             {name: j for j, name in enumerate(table.columns)})
    return [evaluation.at(formula.root, i) for i in range(len(table.rows))]


def matches(formula: Formula, table: Grid, budget: Budget | None = None) -> list[bool]:
    """Which rows a condition holds for; FormulaError when the formula is no condition."""
    if not formula.is_condition:
        raise FormulaError(f"“{formula.source}” is not a condition; write a comparison such "
                           "as “Sales < 10”")
    return [_truth(v) for v in evaluate(formula, table, budget)]
