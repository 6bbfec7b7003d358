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
    if rule.severity == "violation" and not strict and weakest_reliability(pack, j, rule, scope) in UNVERIFIED:
        return "likely_violated"
    return raw


def _rules_by_id(pack: Pack) -> dict[str, tuple[Rule, str, bool, bool, bool]]:
    """For each requirement, what the verdict asks of it, read once per pack: the rule, its
    severity, whether it is an open question, whether its own text is unverified, and whether any
    conclusion rule it could ever rely on (transitively, in any judgement) has unverified text;
    where none has, the basis of a violation need not be looked for."""
    producers: dict[str, list[Rule]] = {}
    for r in pack.conclusions():
        for name in r.spec.conclude or {}:
            producers.setdefault(name, []).append(r)
    out: dict[str, tuple[Rule, str, bool, bool, bool]] = {}
    for requirement in pack.requirements():
        rule = pack.rule(requirement.id)  # the rule a lookup by id finds, as reported() is given
        if rule is None or rule.id in out:
            continue
        seen: set[str] = set()
        todo = [n for c in (rule.applies, rule.requires, rule.when) if c is not None for n in facts_in(c)]
        basis_unverified = False
        while todo and not basis_unverified:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for r in producers.get(name, []):
                basis_unverified = basis_unverified or RANK.get(r.spec.statute.reliability, 3) >= RANK["S"]
                if r.when is not None:
                    todo.extend(facts_in(r.when))
        own_unverified = RANK.get(rule.spec.statute.reliability, 3) >= RANK["S"]
        out[rule.id] = (rule, rule.severity, rule.spec.open_question is not None, own_unverified, basis_unverified)
    return out


_RULES_BY_ID = PerPack(_rules_by_id)


def verdict(pack: Pack, j: Judgement, strict: bool = False) -> str:
    """The verdict of a judgement under this policy (batch and explore judge without findings).

    The same as ``verdict_of`` over every outcome as ``reported``, but satisfied and
    not-applicable outcomes, which can decide nothing, are passed over, what each rule contributes
    is read once per pack, and the basis of a violation is looked for only where it could be
    unverified: a batch asks this for every row."""
    undetermined = False
    rules = _RULES_BY_ID(pack)
    for (rule_id, scope), outcome in j.outcomes.items():
        if outcome == "satisfied" or outcome == "not_applicable":
            continue
        entry = rules.get(rule_id)
        severity: str
        if entry is None:
            shown_rule = pack.rule(rule_id)  # not a requirement of this pack: as reported() would
            if shown_rule is None:
                continue
            shown = reported(pack, j, shown_rule, scope, outcome, strict)
            severity = shown_rule.severity
        else:
            rule, severity, open_question, own_unverified, basis_unverified = entry
            shown = outcome
            if outcome == "violated":
                if open_question:
                    shown = "undetermined"
                elif severity == "violation" and not strict and (
                        own_unverified or (basis_unverified and weakest_reliability(pack, j, rule, scope) in UNVERIFIED)):
                    shown = "likely_violated"
        if shown == "violated" and severity == "violation":
            return "violations"
        if shown == "likely_violated" or (shown == "undetermined" and severity in ("violation", "warning")):
            undetermined = True
    return "undetermined" if undetermined else "compliant"
