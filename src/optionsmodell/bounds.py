"""The range of numbers every engine computes exactly.

The reference and compiled evaluators compute with Python's unbounded integers. durable-rules'
C engine does not: its ``$add``/``$sub``/``$mul`` work on 64-bit integers and wrap around silently
beyond them (a rule with ``+ 9223372036854775800`` was judged satisfied where it is violated).
Within 64 bits it computes and compares exactly (measured: 2**60 + 1 > 2**60 and 10**9 * 10**9
are right). So every number a rule may compute is kept within ``SAFE``, half the 64-bit range, so
that moving a term across a comparison (as the Rete compiler does) cannot wrap either:

- a fact of a configuration is at most ``MAX_FACT`` in magnitude (the configuration format bounds
  each count by 10**8, sums of seat groups stay below 10**9, dates are day numbers below 4 million);
- a rule pack's constants and arithmetic must stay within ``SAFE`` for any facts in that range,
  or ``lint`` refuses the rule and says which part of the expression leaves the range.
"""

from __future__ import annotations

from collections.abc import Callable

from .expressions import Arith, Cmp, Cond, Const, Fact, Value, atoms
from .facts import FactSet, FactType

SAFE = 2**62
MAX_FACT = 10**9

Interval = tuple[int, int]


def _fact_interval(kind: FactType | None) -> Interval:
    if kind in ("int", "date"):
        return (-MAX_FACT, MAX_FACT)
    return (0, 1)  # bool, str: never in arithmetic (the parser refuses it)


def interval(v: Value, type_of: Callable[[str], FactType | None]) -> Interval:
    """The smallest and largest value ``v`` can take for facts within ``MAX_FACT``."""
    if isinstance(v, Const):
        n = v.value if isinstance(v.value, int) and not isinstance(v.value, bool) else 0
        return (n, n)
    if isinstance(v, Fact):
        return _fact_interval(type_of(v.name))
    a, b = interval(v.left, type_of), interval(v.right, type_of)
    if v.op == "+":
        return (a[0] + b[0], a[1] + b[1])
    if v.op == "-":
        return (a[0] - b[1], a[1] - b[0])
    if v.op == "*":
        products = [x * y for x in a for y in b]
        return (min(products), max(products))
    # a quotient is no larger than its dividend (|divisor| >= 1 among whole numbers, or unknown at 0)
    m = max(abs(a[0]), abs(a[1]))
    return (-m, m)


def _parts(v: Value) -> list[Value]:
    if isinstance(v, Arith):
        return [v, *_parts(v.left), *_parts(v.right)]
    return [v]


def out_of_range(cond: Cond, type_of: Callable[[str], FactType | None]) -> str | None:
    """Why a condition could leave the exactly computed range, or None if it cannot."""
    from .expressions import render_value

    for atom in atoms(cond):
        if not isinstance(atom, Cmp):
            continue
        sides = 0
        for side in (atom.left, atom.right):
            for part in _parts(side):
                lo, hi = interval(part, type_of)
                if max(abs(lo), abs(hi)) > SAFE:
                    what = "the number" if isinstance(part, Const) else "the value of"
                    return (f"{what} {render_value(part)} can reach {max(abs(lo), abs(hi)):,}, beyond ±{SAFE:,} "
                            f"(2**62), the range every engine computes exactly (facts are at most {MAX_FACT:,})")
            lo, hi = interval(side, type_of)
            sides += max(abs(lo), abs(hi))
        if sides > SAFE:
            # the Rete engine moves terms across the comparison: their sum must stay exact too
            return (f"the two sides of this comparison together can reach {sides:,}, beyond ±{SAFE:,} (2**62), "
                    f"the range every engine computes exactly (facts are at most {MAX_FACT:,})")
    return None


def facts_out_of_range(facts: FactSet) -> list[tuple[str, int | None, int]]:
    """Numbers of a fact set beyond ``MAX_FACT``: (fact, body index or None, value)."""
    out: list[tuple[str, int | None, int]] = []
    scopes: list[tuple[int | None, dict[str, object]]] = [(None, dict(facts.municipality))]
    scopes.extend(enumerate(facts.bodies))  # type: ignore[arg-type]
    for scope, values in scopes:
        for name, value in values.items():
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_FACT:
                if scope is not None and name in facts.municipality:
                    continue  # reported once, for the municipality
                out.append((name, scope, value))
    return out
