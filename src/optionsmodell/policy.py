"""From what the engine judged to what the tool reports: the policy on unverified law.

The engines judge the conditions of a rule; they do not know how sure we are of the law's words.
A lawyer must be able to sign every hard violation, so:

- A violated ``muss``/``ist_zu`` requirement whose basis is not verified (its own statute text, or
  the text of any conclusion it relied on, is marked [S] or [R]) is reported as
  ``likely_violated``: shown first and prominently, but it does not make the verdict
  ``violations``; the verdict is ``undetermined`` (exit 3). ``--strict`` reports it as
  ``violated`` (exit 1).
- A requirement marked ``open_question`` (the text is silent, e.g. a proposal on a point it does not
  address) is never violated: where its condition fails, it is ``undetermined`` and the report shows
  both readings.

docs/rules.md ("Unverified text and open questions") states the same for pack authors.
"""

from __future__ import annotations

from .engine import Judgement, OutcomeName, PerPack, ScopeKey
from .expressions import facts_in
from .packs import Pack, Rule

RANK = {"V": 0, "V-sec": 1, "S": 2, "R": 3}
UNVERIFIED = ("S", "R")


def basis(pack: Pack, j: Judgement, rule: Rule, scope: ScopeKey) -> list[Rule]:
    """The conclusion rules a requirement relied on in this judgement, transitively."""
    out: list[Rule] = []
    seen: set[str] = set()
    todo = [n for c in (rule.applies, rule.requires, rule.when) if c is not None for n in facts_in(c)]
    while todo:
        name = todo.pop()
        if name in seen or not pack.is_conclusion(name):
            continue
        seen.add(name)
        key_scope = scope if pack.conclusion_specs[name].scope == "body" else None
        for rule_id in j.derived_by.get((name, key_scope), []):
            r = pack.rule(rule_id)
            if r is None or r in out:
                continue
            out.append(r)
            if r.when is not None:
                todo.extend(facts_in(r.when))
    return out


def weakest_reliability(pack: Pack, j: Judgement, rule: Rule, scope: ScopeKey) -> str:
    marks = [rule.spec.statute.reliability, *(r.spec.statute.reliability for r in basis(pack, j, rule, scope))]
    return max(marks, key=lambda m: RANK.get(m, 3))


def reported(pack: Pack, j: Judgement, rule: Rule, scope: ScopeKey, raw: OutcomeName, strict: bool = False) -> str:
    """The outcome the reports show (see the module's docstring)."""
    if raw != "violated":
        return raw
    if rule.spec.open_question is not None:
        return "undetermined"
    if rule.severity == "violation" and not strict and _unverified(pack, j, rule, scope):
        return "likely_violated"
    return raw


def _unverified(pack: Pack, j: Judgement, rule: Rule, scope: ScopeKey) -> bool:
    """Whether the weakest text a violation rests on is unverified; the basis is looked for only
    where some conclusion the rule could ever rest on has unverified text (a batch asks for every
    row, and most rules rest on none)."""
    if rule.spec.statute.reliability in UNVERIFIED:
        return True
    if not _MAY_REST_ON_UNVERIFIED(pack).get(rule.id, True):
        return False
    return weakest_reliability(pack, j, rule, scope) in UNVERIFIED


def _may_rest_on_unverified(pack: Pack) -> dict[str, bool]:
    """For each requirement, whether any conclusion rule it could rely on, transitively and in any
    judgement, has unverified text (a superset of what ``basis`` finds in one judgement)."""
    producers: dict[str, list[Rule]] = {}
    for r in pack.conclusions():
        for name in r.spec.conclude or {}:
            producers.setdefault(name, []).append(r)
    out: dict[str, bool] = {}
    for rule in pack.requirements():
        seen: set[str] = set()
        todo = [n for c in rule.conditions() for n in facts_in(c)]
        found = False
        while todo and not found:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for r in producers.get(name, []):
                found = found or r.spec.statute.reliability in UNVERIFIED
                if r.when is not None:
                    todo.extend(facts_in(r.when))
        out[rule.id] = found
    return out


_MAY_REST_ON_UNVERIFIED = PerPack(_may_rest_on_unverified)


# each rule by id with its severity, as ``Pack.rule`` finds it (the first of an id), read once per pack
_BY_ID = PerPack(lambda pack: {r.id: (r, r.severity) for r in reversed(pack.rules)})


def verdict(pack: Pack, j: Judgement, strict: bool = False) -> str:
    """The verdict of a judgement under this policy (batch and explore judge without findings).

    The same as ``verdict_of`` over every outcome as ``reported``, but satisfied and
    not-applicable outcomes, which can decide nothing, are passed over, and the rules are looked up
    in a table made once per pack: a batch asks this for every row."""
    undetermined = False
    by_id = _BY_ID(pack)
    for (rule_id, scope), outcome in j.outcomes.items():
        if outcome == "satisfied" or outcome == "not_applicable":
            continue
        found = by_id.get(rule_id)
        if found is None:
            continue
        rule, severity = found
        shown = reported(pack, j, rule, scope, outcome, strict)
        if shown == "violated" and severity == "violation":
            return "violations"
        if shown == "likely_violated" or (shown == "undetermined" and severity in ("violation", "warning")):
            undetermined = True
    return "undetermined" if undetermined else "compliant"
