"""Splits a condition into tokens.

Lexing stops at the first character it cannot read and ends the token list with an
`error` token carrying the issue; the parser reports it only if it gets that far, so the
first mistake in reading order is the one reported.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple, cast

from .issues import ConditionIssue

KEYWORDS = ("AND", "OR", "NOT")
SYNTAX = "condition.syntax"

# Operators borrowed from other languages, and the word this language uses instead.
_FOREIGN_OPERATORS = {
    "===": "==",
    "&&": "AND",
    "||": "OR",
    "&": "AND",
    "|": "OR",
    "!": "NOT",
    "=": "==",
}
# Longest first, so `<=` is not read as `<` followed by `=`.
_OPERATORS = ("<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]")


class Token(NamedTuple):
    """Immutable; a named tuple, the fastest to build, as a condition has hundreds."""

    # "number", "name", a keyword ("AND", "OR", "NOT"), the operator itself, "end" or "error".
    kind: str
    text: str
    start: int
    issue: ConditionIssue | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


# A well-formed token and the white space after it, in one match (`\s` is exactly
# `str.isspace`): a name, a number not running into a `.` it would need digits after, or
# an operator other than a `==` that starts `===`. Names are ASCII only: `[A-Za-z]` is a
# range of code points, where `char.lower()` would let the Kelvin sign pass for a `k`.
_SPACE = re.compile(r"\s*")
_TOKEN = re.compile(
    r"(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?)(?![.0-9])"
    r"|(?P<operator><=|>=|==(?!=)|!=|[<>+\-*/()\[\]]))\s*"
)


# Every spelling of a keyword (they are case-insensitive), to its kind.
_KEYWORD_KINDS = {
    "".join(spelling): keyword
    for keyword in KEYWORDS
    for spelling in itertools.product(*((char, char.lower()) for char in keyword))
}
# `_TOKEN` with its white space as a group of its own, or any other character: a
# mistake, read by the character rules below.
_TOKENS = re.compile(_TOKEN.pattern[: -len(r"\s*")] + r"(\s*)|([\s\S])")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    # Half the time of calling Token(): the named tuple's __new__ is Python code.
    new = tuple.__new__
    # `\s*` matches the empty string too, so it matches wherever it is tried.
    at = cast(re.Match[str], _SPACE.match(text)).end()
    # One scan of the text in C, which lists each token's parts: tokens follow each other
    # with no gap, since each one takes the white space after it, so each one's offset is
    # the sum of the lengths before it. A character no token starts with is a mistake.
    for name, number, operator, space, _ in _TOKENS.findall(text, at):
        if name:
            append(new(Token, (_KEYWORD_KINDS.get(name, "name"), name, at, None)))
            at += len(name) + len(space)
        elif number:
            append(new(Token, ("number", number, at, None)))
            at += len(number) + len(space)
        elif operator:
            append(new(Token, (operator, operator, at, None)))
            at += len(operator) + len(space)
        else:
            _mistake(text, at, tokens)
            return tokens
    tokens.append(Token("end", "", len(text)))
    return tokens


def _mistake(text: str, i: int, tokens: list[Token]) -> None:
    """Ends `tokens` with the error token for the mistake at `i`."""
    # A number that runs into a `.` is one itself (`1.`), or is a token followed by an
    # unexpected `.` (`1.5.`).
    if _is_digit(text[i]):
        number, error = _number(text, i)
        if error is not None:
            tokens.append(error)
            return
        tokens.append(number)
        i = number.end
    tokens.append(_operator(text, i))


def _is_digit(char: str) -> bool:
    # str.isdigit() accepts other scripts' digits, which Decimal would then misread.
    return "0" <= char <= "9"


def _number(text: str, i: int) -> tuple[Token, Token | None]:
    j = i
    while j < len(text) and _is_digit(text[j]):
        j += 1
    if j < len(text) and text[j] == ".":
        if j + 1 < len(text) and _is_digit(text[j + 1]):
            j += 1
            while j < len(text) and _is_digit(text[j]):
                j += 1
        else:
            issue = ConditionIssue(
                SYNTAX,
                f"The number '{text[i : j + 1]}' needs digits after the decimal point.",
                j,
                hint=f"write {text[i:j]} or {text[i:j]}.0",
            )
            return Token("number", text[i:j], i), Token("error", ".", j, issue)
    return Token("number", text[i:j], i), None


def _operator(text: str, i: int) -> Token:
    for foreign, replacement in _FOREIGN_OPERATORS.items():
        if text.startswith(foreign, i) and not _is_real_operator(text, i, foreign):
            issue = ConditionIssue(
                SYNTAX,
                f"'{foreign}' is not an operator here; write {replacement}.",
                i,
                hint=f"use {replacement} instead of {foreign}",
            )
            return Token("error", foreign, i, issue)
    for operator in _OPERATORS:
        if text.startswith(operator, i):
            return Token(operator, operator, i)
    char = text[i]
    hint = None
    if char == "." and i + 1 < len(text) and _is_digit(text[i + 1]):
        hint = "write a digit before the decimal point, e.g. 0.5"
    issue = ConditionIssue(SYNTAX, f"Unexpected character '{char}'.", i, hint=hint)
    return Token("error", char, i, issue)


def _is_real_operator(text: str, i: int, foreign: str) -> bool:
    """`!=` and `==` start like `!` and `=` but are fine; `===` is checked before `==`."""
    if foreign in ("!", "="):
        return text.startswith(foreign + "=", i) and not text.startswith("===", i)
    return False
