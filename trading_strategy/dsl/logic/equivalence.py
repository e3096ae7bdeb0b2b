"""Exit or stop conditions that repeat the entry, or that hold whenever it does (DSL.md §6).

Both mean the position is closed on the bar it opens. `logic.entry_equals_exit` compares
canonical forms (see `terms`). `logic.exit_implied_by_entry` looks at each OR branch
of the exit: a branch that is a conjunction of comparisons fires with the entry when each
comparison is one of the entry's top-level AND terms, or follows from what the entry says
about a quantity (entry `rsi_14 < 30` makes `rsi_14 < 50` true). A comparison that is
always true by itself counts as following but is not enough on its own: it has its own
warning, and a branch made only of such comparisons is that warning's business.
"""

from __future__ import annotations

from ..conditions import Compare, Node
from .bounds import MAYBE, Bounds, Verdict
from .terms import Finding, Terms, branches_of, comparisons_of, quote


def check_against_entry(
    terms: Terms, entry: Node, entry_verdict: Verdict, role: str, other: Node, text: str
) -> list[Finding]:
    """Findings for `other`, the condition of `role` "exit" or "stop", written as `text`."""
    what = role
    if terms.canonical(entry) == terms.canonical(other):
        return [
            Finding(
                "logic.entry_equals_exit",
                f"the {what} condition is the same as the entry condition, so every position "
                "would be closed on the bar it opens",
                len(text) - len(text.lstrip()),
                f"write a {what} condition that describes when to leave the trade",
            )
        ]
    # An entry that is never true has its own warning, and one that always is says
    # nothing about the quantities: neither leaves anything to imply.
    if entry_verdict.status != MAYBE:
        return []
    entry_terms = {terms.canonical(term) for term in comparisons_of(entry)}
    bounds = Bounds(terms, text)
    findings = []
    for branch in branches_of(other):
        if _fires_with_entry(bounds, entry_terms, entry_verdict, branch):
            findings.append(
                Finding(
                    "logic.exit_implied_by_entry",
                    f"'{quote(text, branch)}' is true whenever the entry condition is, so the "
                    f"{what} fires on the bar the position opens",
                    branch.start,
                    f"make the {what} condition require something the entry rules out",
                )
            )
    return findings


def _fires_with_entry(bounds: Bounds, entry_terms: set[int], entry_verdict: Verdict, branch: Node) -> bool:
    terms = comparisons_of(branch)
    comparisons = [term for term in terms if isinstance(term, Compare)]
    if len(comparisons) != len(terms):
        return False
    implied_by_entry = False
    for compare in comparisons:
        if bounds.terms.canonical(compare) in entry_terms:
            implied_by_entry = True
            continue
        constraint = bounds.constraint(compare)
        if constraint is None:
            return False
        quantity, allowed = constraint
        if bounds.domain(quantity).within(allowed):
            continue
        known = entry_verdict.necessary.get(quantity)
        if known is None or not known.within(allowed):
            return False
        implied_by_entry = True
    return implied_by_entry
