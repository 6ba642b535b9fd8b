"""A small, safe expression language for `relevant`, calculated answers, checks and rules.

Grammar (a hand-written recursive-descent parser; nothing is ever passed to ``eval``)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum)?
    sum     := atom (("+" | "-") atom)*
    atom    := INTEGER | STRING | "true" | "false" | NAME | NAME "(" args ")"
             | "[" (literal ("," literal)*)? "]" | "(" expr ")"

Names are question ids or ``age``. Only whitelisted functions may be called, and the caller
supplies them at evaluation time. An unanswered name is ``None``: every comparison with it is false
(so ``not`` of it is true) and arithmetic with it gives ``None``.
"""

from __future__ import annotations

import inspect
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from screening_app.errors import ExpressionError

MAX_LENGTH = 2000
MAX_DEPTH = 40
KNOWN_FUNCTIONS = frozenset({"section_score"})

Value = Any
Functions = Mapping[str, Callable[..., Value]]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<int>\d{1,9}(?![\w]))
      | (?P<str>"[^"\\\n]*"|'[^'\\\n]*')
      | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})


@dataclass(frozen=True)
class Token:
    kind: str  # "int", "str", "op", "name", "kw", "end"
    text: str
    pos: int


@dataclass(frozen=True)
class Literal:
    value: int | str | bool | tuple[int | str | bool, ...]


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" / "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Arith:
    op: str  # "+" / "-"
    left: Node
    right: Node


Node = Literal | Name | Call | Not | BoolOp | Compare | Arith


@dataclass(frozen=True)
class Expression:
    """A parsed expression and the text it came from."""

    source: str
    tree: Node

    def names(self) -> set[str]:
        """Every name the expression refers to."""
        found: set[str] = set()
        _walk_names(self.tree, found)
        return found

    def string_comparisons(self) -> list[tuple[str, str]]:
        """Pairs (name, string literal) compared directly, for checking option codes."""
        pairs: list[tuple[str, str]] = []
        _walk_comparisons(self.tree, pairs)
        return pairs

    def evaluate(self, values: Mapping[str, Value], functions: Functions | None = None) -> Value:
        return _Evaluator(values, functions or {}).eval(self.tree)

    def holds(self, values: Mapping[str, Value], functions: Functions | None = None) -> bool:
        """Evaluate as a condition: ``None`` and false values do not hold."""
        return bool(self.evaluate(values, functions))


def parse(source: str) -> Expression:
    """Parse ``source`` or raise :class:`ExpressionError` saying where and why."""
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
    parser = _Parser(_tokenize(source))
    tree = parser.parse_expr(0)
    parser.expect_end()
    return Expression(source, tree)


def _tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            start = pos + len(source[pos:]) - len(source[pos:].lstrip())
            raise ExpressionError(f"unexpected character {source[start]!r} at position {start + 1}")
        kind = match.lastgroup or ""
        text, start = match.group(kind), match.start(kind)
        if kind == "name" and text in _KEYWORDS:
            kind = "kw"
        tokens.append(Token(kind, text, start))
        pos = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, kind: str, text: str) -> bool:
        if self.tok.kind == kind and self.tok.text == text:
            self.i += 1
            return True
        return False

    def fail(self, expected: str) -> ExpressionError:
        tok = self.tok
        found = "the end" if tok.kind == "end" else repr(tok.text)
        return ExpressionError(f"expected {expected} but found {found} at position {tok.pos + 1}")

    def expect(self, kind: str, text: str) -> None:
        if not self.accept(kind, text):
            raise self.fail(repr(text))

    def expect_end(self) -> None:
        if self.tok.kind != "end":
            raise self.fail("an operator or the end")

    def parse_expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep")
        return self.parse_bool("or", depth)

    def parse_bool(self, op: str, depth: int) -> Node:
        operands = [self.parse_bool_part(op, depth)]
        while self.accept("kw", op):
            operands.append(self.parse_bool_part(op, depth))
        return operands[0] if len(operands) == 1 else BoolOp(op, tuple(operands))

    def parse_bool_part(self, op: str, depth: int) -> Node:
        return self.parse_bool("and", depth) if op == "or" else self.parse_not(depth)

    def parse_not(self, depth: int) -> Node:
        if self.accept("kw", "not"):
            if depth > MAX_DEPTH:
                raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep")
            return Not(self.parse_not(depth + 1))
        return self.parse_compare(depth)

    def parse_compare(self, depth: int) -> Node:
        left = self.parse_sum(depth)
        tok = self.tok
        if tok.kind == "op" and tok.text in {"==", "!=", "<", "<=", ">", ">="}:
            self.advance()
            return Compare(tok.text, left, self.parse_sum(depth))
        if self.accept("kw", "in"):
            return Compare("in", left, self.parse_sum(depth))
        if tok.kind == "kw" and tok.text == "not" and self.tokens[self.i + 1].text == "in":
            self.i += 2
            return Compare("not in", left, self.parse_sum(depth))
        return left

    def parse_sum(self, depth: int) -> Node:
        left = self.parse_atom(depth)
        while self.tok.kind == "op" and self.tok.text in {"+", "-"}:
            op = self.advance().text
            left = Arith(op, left, self.parse_atom(depth))
        return left

    def parse_atom(self, depth: int) -> Node:
        tok = self.tok
        if tok.kind == "int":
            self.advance()
            return Literal(int(tok.text))
        if tok.kind == "str":
            self.advance()
            return Literal(tok.text[1:-1])
        if tok.kind == "kw" and tok.text in {"true", "false"}:
            self.advance()
            return Literal(tok.text == "true")
        if tok.kind == "name":
            self.advance()
            if self.accept("op", "("):
                return self.parse_call(tok, depth)
            return Name(tok.text)
        if self.accept("op", "["):
            return self.parse_list()
        if self.accept("op", "("):
            inner = self.parse_expr(depth + 1)
            self.expect("op", ")")
            return inner
        raise self.fail("a value, a question id or '('")

    def parse_call(self, name: Token, depth: int) -> Node:
        if name.text not in KNOWN_FUNCTIONS:
            raise ExpressionError(
                f"unknown function {name.text!r} at position {name.pos + 1}; "
                f"allowed: {', '.join(sorted(KNOWN_FUNCTIONS))}"
            )
        args: list[Node] = []
        if not self.accept("op", ")"):
            args.append(self.parse_expr(depth + 1))
            while self.accept("op", ","):
                args.append(self.parse_expr(depth + 1))
            self.expect("op", ")")
        return Call(name.text, tuple(args))

    def parse_list(self) -> Node:
        items: list[int | str | bool] = []
        if self.accept("op", "]"):
            return Literal(())
        while True:
            node = self.parse_atom(MAX_DEPTH)
            if not isinstance(node, Literal) or isinstance(node.value, tuple):
                raise ExpressionError("a list may hold only numbers and quoted text")
            items.append(node.value)
            if self.accept("op", "]"):
                return Literal(tuple(items))
            self.expect("op", ",")


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class _Evaluator:
    def __init__(self, values: Mapping[str, Value], functions: Functions) -> None:
        self.values = values
        self.functions = functions

    def eval(self, node: Node) -> Value:
        match node:
            case Literal(value=value):
                return value
            case Name(name=name):
                return self.values.get(name)
            case Not(operand=operand):
                return not self.eval(operand)
            case BoolOp(op="and", operands=operands):
                return all(self.eval(o) for o in operands)
            case BoolOp(operands=operands):
                return any(self.eval(o) for o in operands)
            case Compare(op=op, left=left, right=right):
                return self.compare(op, self.eval(left), self.eval(right))
            case Arith(op=op, left=left, right=right):
                return self.arith(op, self.eval(left), self.eval(right))
            case Call(function=function, args=args):
                if function not in self.functions:
                    raise ExpressionError(f"function {function!r} is not available here")
                values = [self.eval(a) for a in args]
                fn = self.functions[function]
                try:
                    inspect.signature(fn).bind(*values)
                except TypeError:
                    raise ExpressionError(
                        f"{function}() was given {len(values)} argument(s); check the form file"
                    ) from None
                return fn(*values)
        raise ExpressionError("unknown expression node")  # pragma: no cover

    @staticmethod
    def compare(op: str, left: Value, right: Value) -> bool:
        if left is None or right is None:
            return False
        if op in {"in", "not in"}:
            if not isinstance(right, tuple | list):
                return False
            found = (
                any(item in right for item in left)
                if isinstance(left, list | tuple)
                else left in right
            )
            return found if op == "in" else not found
        if op in {"==", "!="}:
            return _COMPARE[op](left, right)
        if type(left) is not type(right) or isinstance(left, tuple | list):
            return False
        return _COMPARE[op](left, right)

    @staticmethod
    def arith(op: str, left: Value, right: Value) -> Value:
        if not (isinstance(left, int) and isinstance(right, int)):
            return None
        if isinstance(left, bool) or isinstance(right, bool):
            return None
        return left + right if op == "+" else left - right


def _walk_names(node: Node, found: set[str]) -> None:
    match node:
        case Name(name=name):
            found.add(name)
        case Not(operand=operand):
            _walk_names(operand, found)
        case BoolOp(operands=operands):
            for o in operands:
                _walk_names(o, found)
        case Compare(left=left, right=right) | Arith(left=left, right=right):
            _walk_names(left, found)
            _walk_names(right, found)
        case Call(args=args):
            for a in args:
                _walk_names(a, found)


def _walk_comparisons(node: Node, pairs: list[tuple[str, str]]) -> None:
    match node:
        case Compare(left=Name(name=name), right=Literal(value=value)):
            values = value if isinstance(value, tuple) else (value,)
            pairs.extend((name, v) for v in values if isinstance(v, str))
        case Not(operand=operand):
            _walk_comparisons(operand, pairs)
        case BoolOp(operands=operands):
            for o in operands:
                _walk_comparisons(o, pairs)
