"""Recursive-descent parser for the condition grammar of DSL.md section 3.

The first syntax error stops parsing (one per condition is enough, and anything after it
would likely be a follow-on). Lookback mistakes do not stop it: they are independent of
the rest, and the tree is still useful for finding other mistakes.

Recursion is bounded: only parentheses, NOT and unary minus recurse, and each of them
counts towards the nesting limit of 32, checked before descending, so even 300 nested
parentheses are rejected after 33 of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, NoReturn

from .ast import COMPARE_OPS, And, Arith, Compare, Neg, Node, Not, Number, Or, Series, _Chain
from .issues import ConditionIssue
from .lexer import SYNTAX, Token, tokenize
from .types import wrong_operands

MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_LOOKBACK = 1000
_SUM_OPS = frozenset(("+", "-"))
_PRODUCT_OPS = frozenset(("*", "/"))
_ARITH_OPS = _SUM_OPS | _PRODUCT_OPS


@dataclass(frozen=True)
class ParseResult:
    ast: Node | None
    issues: list[ConditionIssue] = field(default_factory=list)
    # Every Series node of the tree, in the order they are written.
    series: list[Series] = field(default_factory=list)
    # Operands of the wrong type (types.wrong_operands), children's before parents'.
    type_issues: list[ConditionIssue] = field(default_factory=list)


def parse(text: str) -> ParseResult:
    if len(text) > MAX_LENGTH:
        return ParseResult(
            None,
            [
                ConditionIssue(
                    "condition.too_long",
                    f"The condition is {len(text)} characters long; the limit is {MAX_LENGTH}.",
                    MAX_LENGTH,
                    hint="split the logic into fewer, simpler comparisons",
                )
            ],
        )
    if not text.strip():
        return ParseResult(
            None,
            [
                ConditionIssue(
                    "condition.empty",
                    "The condition is empty.",
                    0,
                    hint="write a comparison such as close > open",
                )
            ],
        )
    parser = _Parser(text, tokenize(text))
    try:
        ast = parser.condition()
    except _Stop as stop:
        return ParseResult(None, [stop.issue])
    return ParseResult(ast, parser.issues, parser.series_found, parser.type_issues)


class _Stop(Exception):
    def __init__(self, issue: ConditionIssue):
        super().__init__(issue.message)
        self.issue = issue


class _Part(NamedTuple):
    """A parsed node and the text it spans, including the parentheses around a group.

    A named tuple: every step of the parse builds one, and it is the fastest to build,
    the more so through `_new(_Part, (node, start, end))`, which skips the named tuple's
    __new__ (Python code)."""

    node: Node
    start: int
    end: int


_new = tuple.__new__


class _Parser:
    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.issues: list[ConditionIssue] = []
        self.series_found: list[Series] = []
        self.type_issues: list[ConditionIssue] = []

    # -- grammar rules, loosest first ---------------------------------------------------
    # The binary levels loop instead of recursing, and read the next token's kind straight
    # from the list: a 2,000-character condition has hundreds of operands, and every call
    # per operand counts.

    def condition(self) -> Node:
        part = self.or_()
        token = self.tokens[self.index]
        if token.kind == ")":
            self.fail(token, "There is a ')' without a matching '('.", hint="remove it")
        if token.kind != "end":
            self.fail(
                token,
                f"Unexpected '{token.text}' after a complete condition.",
                hint="join two conditions with AND or OR",
            )
        return part.node

    def or_(self) -> _Part:
        part = self.and_()
        if self.tokens[self.index].kind != "OR":
            return part
        parts = [part]
        while self.tokens[self.index].kind == "OR":
            self.index += 1
            parts.append(self.and_())
        return self.chain(Or, parts)

    def and_(self) -> _Part:
        tokens = self.tokens
        part = self.not_() if tokens[self.index].kind == "NOT" else self.comparison()
        if tokens[self.index].kind != "AND":
            return part
        parts = [part]
        while tokens[self.index].kind == "AND":
            self.index += 1
            parts.append(self.not_() if tokens[self.index].kind == "NOT" else self.comparison())
        return self.chain(And, parts)

    def chain(self, node_class: type[_Chain], parts: list[_Part]) -> _Part:
        # Flattened, so `a AND (b AND c)` and `a AND b AND c` are the same tree. The
        # operands taken over were type-checked when their own chain was built.
        operands: list[Node] = []
        fresh: list[Node] = []
        for part in parts:
            if isinstance(part.node, node_class):
                operands.extend(part.node.operands)
            else:
                operands.append(part.node)
                fresh.append(part.node)
        first, last = parts[0].start, parts[-1].end
        node = node_class(tuple(operands), first, last)
        if not all(operand.boolean for operand in fresh):
            self.type_issues += wrong_operands(node, self.text, fresh)
        return _new(_Part, (node, first, last))

    def not_(self) -> _Part:
        token = self.tokens[self.index]
        if token.kind != "NOT":
            return self.comparison()
        self.index += 1
        self.enter(token)
        operand = self.not_()
        self.depth -= 1
        node = Not(operand.node, token.start, operand.end)
        if not operand.node.boolean:
            self.type_issues += wrong_operands(node, self.text)
        return _new(_Part, (node, token.start, operand.end))

    def comparison(self) -> _Part:
        left = self.sum_()
        operator = self.tokens[self.index]
        if operator.kind not in COMPARE_OPS:
            return left
        self.index += 1
        right = self.sum_()
        second = self.tokens[self.index]
        if second.kind in COMPARE_OPS:
            first_pair = f"{self.slice(left)} {operator.text} {self.slice(right)}"
            self.fail(
                second,
                f"Comparisons do not chain: '{second.text}' follows '{first_pair}'.",
                hint=f"join two comparisons with AND: {first_pair} AND {self.slice(right)} {second.text} ...",
            )
        return self.binary(Compare, operator, left, right)

    def sum_(self) -> _Part:
        # Most operands are a lone name or number: they return here, without a call for
        # each of the two arithmetic levels.
        token = self.tokens[self.index]
        left = self.atom(token) if token.kind != "-" else self.unary()
        if self.tokens[self.index].kind not in _ARITH_OPS:
            return left
        left = self.product(left)
        tokens = self.tokens
        while tokens[self.index].kind in _SUM_OPS:
            operator = tokens[self.index]
            self.index += 1
            left = self.binary(Arith, operator, left, self.product(self.unary()))
        return left

    def product(self, left: _Part) -> _Part:
        """The `* /` chain that starts with the operand `left`."""
        tokens = self.tokens
        while tokens[self.index].kind in _PRODUCT_OPS:
            operator = tokens[self.index]
            self.index += 1
            left = self.binary(Arith, operator, left, self.unary())
        return left

    def binary(
        self, node_class: type[Arith] | type[Compare], operator: Token, left: _Part, right: _Part
    ) -> _Part:
        """A comparison or arithmetic: both take numbers."""
        node = node_class(operator.text, left.node, right.node, left.start, right.end)
        if left.node.boolean or right.node.boolean:
            self.type_issues += wrong_operands(node, self.text)
        return _new(_Part, (node, left.start, right.end))

    def unary(self) -> _Part:
        token = self.tokens[self.index]
        if token.kind != "-":
            return self.atom(token)
        self.index += 1
        self.enter(token)
        operand = self.unary()
        self.depth -= 1
        node = Neg(operand.node, token.start, operand.end)
        if operand.node.boolean:
            self.type_issues += wrong_operands(node, self.text)
        return _new(_Part, (node, token.start, operand.end))

    def atom(self, token: Token) -> _Part:
        kind = token.kind
        if kind == "name":
            self.index += 1
            return self.series(token)
        if kind == "number":
            self.index += 1
            if self.tokens[self.index].kind == "[":
                self.lookback_on_number(token)
            number = Number(Decimal(token.text), token.start, token.end)
            return _new(_Part, (number, token.start, token.end))
        if kind == "(":
            return self.group(token)
        self.fail_missing_operand(token)

    def group(self, opening: Token) -> _Part:
        self.index += 1
        self.enter(opening)
        inner = self.or_()
        closing = self.tokens[self.index]
        if closing.kind == "end":
            self.fail(opening, "This '(' is never closed.", hint="add a ')'")
        if closing.kind != ")":
            self.fail(closing, f"Expected ')' but found '{closing.text}'.")
        self.index += 1
        self.depth -= 1
        return _new(_Part, (inner.node, opening.start, closing.end))

    def series(self, name: Token) -> _Part:
        bracket = self.tokens[self.index]
        if bracket.kind != "[":
            node = Series(name.text, 0, name.start, name.start + len(name.text))
            self.series_found.append(node)
            return _new(_Part, (node, node.start, node.end))
        lookback, end = self.lookback()
        node = Series(name.text, lookback, name.start, end, bracket.start)
        self.series_found.append(node)
        return _new(_Part, (node, name.start, end))

    # -- lookbacks ------------------------------------------------------------------------

    def lookback(self) -> tuple[int, int]:
        """Reads `[n]`; returns n (0 when unusable, after reporting it) and the end offset."""
        tokens, at = self.tokens, self.index
        if tokens[at + 1].kind == "number" and tokens[at + 2].kind == "]":
            # The usual `[1]`, read at once; anything else takes the way below.
            text = tokens[at + 1].text
            bars = int(text) if "." not in text else MAX_LOOKBACK + 1
            if bars <= MAX_LOOKBACK:
                self.index = at + 3
                return bars, tokens[at + 2].start + 1
        bracket = self.advance()
        sign = self.advance() if self.peek().kind == "-" else None
        number = self.peek()
        if number.kind == "end":
            self.fail(bracket, "This '[' is never closed.", hint="write e.g. close[1]")
        if number.kind != "number":
            self.fail(
                number,
                f"Expected a whole number of bars after '[' but found '{number.text}'.",
                hint="write e.g. close[1]",
            )
        self.advance()
        closing = self.peek()
        if closing.kind != "]":
            self.fail(
                closing if closing.kind != "end" else bracket,
                "This '[' is never closed."
                if closing.kind == "end"
                else f"Expected ']' but found '{closing.text}'.",
                hint="add a ']'",
            )
        self.advance()
        if sign is not None:
            self.report_lookback(sign, "A lookback cannot be negative: it counts bars ago.")
            return 0, closing.end
        if "." in number.text:
            self.report_lookback(number, f"A lookback is a whole number of bars, not {number.text}.")
            return 0, closing.end
        bars = int(number.text)
        if bars > MAX_LOOKBACK:
            self.report_lookback(number, f"A lookback of {bars} bars is beyond the limit of {MAX_LOOKBACK}.")
        return bars, closing.end

    def lookback_on_number(self, number: Token) -> None:
        bracket = self.peek()
        reported = len(self.issues)
        self.lookback()
        # Only this issue: a range complaint about the bars would be a follow-on.
        del self.issues[reported:]
        self.issues.append(
            ConditionIssue(
                "condition.lookback",
                f"A lookback applies to a series, not to the number {number.text}.",
                bracket.start,
                hint=f"write {number.text}",
            )
        )

    def report_lookback(self, token: Token, message: str) -> None:
        self.issues.append(
            ConditionIssue(
                "condition.lookback",
                message,
                token.start,
                hint=f"write a whole number of bars from 0 to {MAX_LOOKBACK}",
            )
        )

    # -- helpers --------------------------------------------------------------------------

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Stop(
                ConditionIssue(
                    "condition.too_deep",
                    f"The condition nests more than {MAX_DEPTH} levels deep "
                    "(parentheses, NOT and unary minus).",
                    token.start,
                    hint="remove redundant parentheses or split the condition",
                )
            )

    def slice(self, part: _Part) -> str:
        return self.text[part.start : part.end]

    def fail_missing_operand(self, token: Token) -> NoReturn:
        if token.kind == "end":
            previous = self.tokens[self.index - 1]
            self.fail(
                previous,
                f"The condition ends after '{previous.text}'; a number, a name or '(' should follow.",
            )
        self.fail(token, f"Expected a number, a name or '(' but found '{token.text}'.")

    def fail(self, token: Token, message: str, hint: str | None = None) -> NoReturn:
        # The lexer gives an issue to its `error` tokens, and to no other token.
        if token.issue is not None:
            raise _Stop(token.issue)
        raise _Stop(ConditionIssue(SYNTAX, message, token.start, hint=hint))
