"""From a judgement to findings a reader can follow: the statute's words, the facts that decided
and where they stand in the file, the chain of conclusions, the single conditions that decided,
and the smallest change that would cure a violation.

The engine decides each outcome; this module re-reads the same compiled conditions to say *why*,
so the explanation can never describe a rule other than the one that was judged.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .bylaws.provenance import sources_by_line, sources_for
from .configuration import LoadedConfiguration
from .engine import Judgement, OutcomeName, ScopeKey, scopes, verdict_of
from .expressions import (
    Arith,
    Cmp,
    Cond,
    Const,
    Fact,
    In,
    Truth,
    Value,
    decisive_atoms,
    evaluate,
    facts_in,
    render,
    value_of,
)
from .facts import CATALOG, DEFAULT_REASONS, FactSet, FactValue, display
from .packs import RELIABILITY_TEXT, Pack, Rule, Severity
from .policy import reported, weakest_reliability
from .record import MutableRecord
from .safe_yaml import dotted

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


class Finding(MutableRecord):
    __slots__ = ("assumed", "basis_reliability", "body", "body_name", "bylaw", "decided_by", "derivation", "facts",
                 "fix", "inherited_from", "judged_outcome", "locations", "message", "missing", "outcome", "rule")
    rule: Rule
    # the reported outcome (policy.reported): violated | likely_violated | undetermined | satisfied | not_applicable
    outcome: str
    body: int | None
    message: str
    facts: dict[str, Any]
    locations: dict[str, str]
    derivation: list[str]
    decided_by: list[str]
    missing: list[str]
    fix: str | None
    body_name: str | None
    # the weakest reliability mark of the rule's text and of the conclusions it relied on
    basis_reliability: str
    inherited_from: Pack | None
    judged_outcome: str | None
    # fact name -> the bylaw sentences it was imported from (`optionsmodell import` comments)
    bylaw: dict[str, list[str]]
    # facts the tool supplied rather than read (facts.DEFAULT_REASONS), with the reason, in the report's language
    assumed: dict[str, str]

    def __init__(self, rule: Rule, outcome: str, body: int | None, message: str, facts: dict[str, Any],
                 locations: dict[str, str], derivation: list[str], decided_by: list[str], missing: list[str],
                 fix: str | None, body_name: str | None = None, basis_reliability: str = "V",
                 inherited_from: Pack | None = None, judged_outcome: str | None = None,
                 bylaw: dict[str, list[str]] | None = None, assumed: dict[str, str] | None = None) -> None:
        self.rule, self.outcome, self.body, self.message, self.facts = rule, outcome, body, message, facts
        self.locations, self.derivation, self.decided_by, self.missing, self.fix = locations, derivation, decided_by, missing, fix
        self.body_name, self.basis_reliability = body_name, basis_reliability
        self.inherited_from, self.judged_outcome = inherited_from, judged_outcome
        self.bylaw = {} if bylaw is None else bylaw
        self.assumed = {} if assumed is None else assumed

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def to_json(self, lang: str) -> dict[str, Any]:
        spec = self.rule.spec
        c = spec.citation
        out: dict[str, Any] = {
            "rule": spec.id,
            "title": spec.title.get(lang),
            "outcome": self.outcome,
            "severity": self.severity,
            "modality": spec.modality,
            "body": self.body,
            "body_name": self.body_name,
            "citation": {
                "law": c.law, "section": c.section, "paragraph": c.paragraph, "sentence": c.sentence,
                "label": c.render(),
            },
            "also": [a.render() for a in spec.also],
            "statute_text": spec.statute.text,
            "reliability": spec.statute.reliability,
            "statute_source": spec.statute.source,
            "basis_reliability": self.basis_reliability,
            "inherited_from": None if self.inherited_from is None else {
                "regime": self.inherited_from.id, "title": self.inherited_from.spec.title.get(lang)},
            "open_question": spec.open_question is not None,
            "message": self.message,
            "facts": self.facts,
            "fact_locations": self.locations,
            "fact_sources": self.bylaw,
            "derivation": self.derivation,
            "decided_by": self.decided_by,
            "missing_facts": self.missing,
            "assumed_facts": self.assumed,
            "fix": self.fix,
            "interpretation": None,
            "caveat": caveat(self.basis_reliability, lang, spec.statute.reliability),
        }
        if spec.interpretation is not None:
            out["interpretation"] = {
                "reading": spec.interpretation.reading(lang),
                "alternative": spec.interpretation.alternative.get(lang),
            }
        return out


def fill(template: str, env: Mapping[str, FactValue]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in env:
            return display(name, env[name])
        return "?"

    return _PLACEHOLDER.sub(sub, template)


def _json_value(name: str, value: FactValue) -> Any:
    spec = CATALOG.get(name)
    if spec is not None and spec.type == "date" and isinstance(value, int):
        return dt.date.fromordinal(value).isoformat()
    return value


class Explainer:
    def __init__(self, pack: Pack, facts: FactSet, judgement: Judgement, loaded: LoadedConfiguration, lang: str,
                 strict: bool = False) -> None:
        self.pack = pack
        self.facts = facts
        self.j = judgement
        self.loaded = loaded
        self.lang = lang
        self.strict = strict
        # each scope's environment built once, from the conclusions grouped by scope once: the
        # explanation of n bodies costs O(n), not O(n²) (every finding used to rescan all conclusions)
        self._derived: dict[ScopeKey, dict[str, FactValue]] = {}
        for (name, s), value in judgement.derived.items():
            self._derived.setdefault(s, {})[name] = value
        self._envs: dict[ScopeKey, dict[str, FactValue]] = {}
        text = loaded.source.text
        # only an imported file carries bylaw sentences; others skip the scan
        self._by_line = sources_by_line(text) if "# Quelle:" in text else {}

    def _bylaw(self, name: str, scope: ScopeKey) -> list[str]:
        if not self._by_line or (name, scope) in self.facts.defaults:
            return []
        path = self.facts.sources.get((name, scope)) or self.facts.sources.get((name, None))
        if path is None:
            return []
        return [src.render() for src in sources_for(self.loaded.source, path, self._by_line)]

    def env(self, scope: ScopeKey) -> dict[str, FactValue]:
        """The facts and conclusions a rule sees in ``scope`` (a copy: callers may change it)."""
        found = self._envs.get(scope)
        if found is None:
            found = dict(self.facts.municipality if scope is None else self.facts.bodies[scope])
            found.update(self._derived.get(None, {}))
            if scope is not None:
                found.update(self._derived.get(scope, {}))
            self._envs[scope] = found
        return dict(found)

    def findings(self) -> list[Finding]:
        out = []
        for rule in self.pack.requirements():
            for scope in scopes(rule, self.facts):
                judged = self.j.outcomes[(rule.id, scope)]
                shown = reported(self.pack, self.j, rule, scope, judged, self.strict)
                f = self.finding(rule, scope, judged)
                f.outcome = shown
                f.judged_outcome = judged
                f.basis_reliability = weakest_reliability(self.pack, self.j, rule, scope)
                f.inherited_from = self.pack.inherited_from(rule.id)
                if shown != judged:
                    f.message = self._policy_message(f, judged)
                out.append(f)
        return out

    def _policy_message(self, f: Finding, judged: str) -> str:
        de = self.lang != "en"
        if f.outcome == "likely_violated":
            return f.message + (
                f" — Wahrscheinlicher Verstoß: Der Wortlaut, auf dem er beruht, ist nicht verifiziert [{f.basis_reliability}];"
                " er entscheidet das Ergebnis nicht (mit --strict als Verstoß)." if de else
                f" — Likely violation: the text it rests on is not verified [{f.basis_reliability}]; it does not decide"
                " the verdict (with --strict it is a violation).")
        spec = f.rule.spec
        if f.outcome == "undetermined" and spec.open_question is not None:
            head = "Offen: " if de else "Open: "
            return head + fill(spec.open_question.get(self.lang), self.env(f.body)) + (
                f" (Nach der strengeren Lesart: {f.message})" if de else f" (Under the stricter reading: {f.message})")
        return f.message

    # -- pieces ----------------------------------------------------------------------------

    def _show(self, env: Mapping[str, FactValue]) -> Any:
        def show(f: Fact) -> str:
            if f.name in env:
                return f"{f.name} ({display(f.name, env[f.name])})"
            return f"{f.name} (?)"

        return show

    def _truth(self, v: bool | None) -> str:
        words = {"de": {True: "wahr", False: "falsch", None: "unbekannt"},
                 "en": {True: "true", False: "false", None: "unknown"}}
        return words["en" if self.lang == "en" else "de"][v]

    def conclusion_chain(self, names: list[str], scope: ScopeKey, seen: set[str] | None = None) -> list[str]:
        """The ``because`` lines of the conclusions a rule relied on, the earliest first."""
        seen = seen if seen is not None else set()
        lines: list[str] = []
        for name in names:
            if not self.pack.is_conclusion(name) or name in seen:
                continue
            seen.add(name)
            conc_scope = scope if self.pack.conclusion_specs[name].scope == "body" else None
            key = (name, conc_scope)
            for rule_id in self.j.derived_by.get(key, []):
                rule = self.pack.rule(rule_id)
                if rule is None or rule.when is None:
                    continue
                lines.extend(self.conclusion_chain(facts_in(rule.when), scope, seen))
                line = fill(rule.spec.because.get(self.lang), self.env(scope)) if rule.spec.because else rule_id
                entry = f"{line} [{rule_id}]"
                if entry not in lines:
                    lines.append(entry)
        return lines

    def missing_inputs(self, cond: Cond, scope: ScopeKey, seen: set[str] | None = None) -> list[str]:
        """Facts of the configuration whose absence leaves ``cond`` unknown."""
        seen = seen if seen is not None else set()
        env = self.env(scope)
        out: list[str] = []
        for name in facts_in(cond):
            if name in env or name in seen:
                continue
            seen.add(name)
            if self.pack.is_conclusion(name):
                for rule in self.pack.conclusions():
                    if name in (rule.spec.conclude or {}) and rule.when is not None:
                        for m in self.missing_inputs(rule.when, scope, seen):
                            if m not in out:
                                out.append(m)
            elif name not in out:
                out.append(name)
        return out

    def _location(self, name: str, scope: ScopeKey) -> str | None:
        path = self.facts.sources.get((name, scope)) or self.facts.sources.get((name, None))
        if path is None:
            return None
        loc = self.loaded.source.locate(path)
        return str(loc) if loc else None

    def fix_for(self, rule: Rule, env: dict[str, FactValue], scope: ScopeKey) -> str | None:
        assert rule.requires is not None
        parts: list[str] = []
        for atom in decisive_atoms(rule.requires, env, False):
            parts.extend(self._atom_fixes(atom, env, scope))
        text = rule.spec.fix.get(self.lang) if rule.spec.fix else None
        joiner = " oder " if self.lang == "de" else " or "
        computed = joiner.join(dict.fromkeys(parts)) if parts else None
        if computed and text:
            return f"{computed}. {text}"
        return computed or text

    def _atom_fixes(self, atom: Cmp | In, env: dict[str, FactValue], scope: ScopeKey) -> list[str]:
        names = facts_in(atom)
        if any((n, scope) in self.facts.settled for n in names):
            return []  # a fact about a past event: nothing the municipality can still change
        if any(not self._settable(n, scope) for n in names if not n.startswith(("seats.", "filled.", "municipality."))):
            return []  # derived from other keys (body.kind_provided): the rule's own fix text says what to do
        if isinstance(atom, In):
            if atom.negated:
                return []
            values = ", ".join(display(atom.item.name, v.value) for v in atom.values)
            return [f"{self._path(atom.item.name, scope)}: {values.split(', ')[0]}" if len(atom.values) == 1
                    else f"{self._path(atom.item.name, scope)} ∈ {{{values}}}"]
        if (atom.op == "==" and isinstance(atom.left, Fact) and isinstance(atom.right, Const)
                and atom.left.name in CATALOG and CATALOG[atom.left.name].type != "int"):
                return [f"{self._path(atom.left.name, scope)}: {display(atom.left.name, atom.right.value)}"]
        out = []
        for name in facts_in(atom):
            spec = CATALOG.get(name)
            if spec is None or spec.type != "int" or not name.startswith(("seats.", "filled.", "municipality.")):
                continue
            current = env.get(name)
            if not isinstance(current, int) or isinstance(current, bool):
                continue
            delta = self._smallest_change(atom, env, name, current)
            if delta is None:
                continue
            sign = "+" if delta > 0 else "−"
            out.append(f"{self._path(name, scope)}: {current} → {current + delta} ({sign}{abs(delta)})")
        return out

    @staticmethod
    def _smallest_change(atom: Cmp, env: dict[str, FactValue], name: str, current: int) -> int | None:
        """The change of ``name`` nearest to zero (the larger first at equal distance, never
        below 0, at most ±2000) that makes ``atom`` true."""
        solved = solve_affine(atom, env, name, current)
        return scan_change(atom, env, name, current) if solved is UNSOLVED else solved

    def _missing_hint(self, name: str, scope: ScopeKey) -> str:
        """A missing fact, with the key of the configuration that would give it."""
        body = f"bodies[{scope}]." if scope is not None else "bodies[…]."
        prefix, _, rest = name.partition(".")
        if name == "municipality.applicants_foreign_nationals":
            return f"{name} (municipality.applicants.foreign_nationals)"
        if prefix in ("appointment", "elected_members", "rights", "funds") or (
                prefix == "election" and name not in ("election.on_local_election_day", "election.date")):
            return f"{name} ({body}{name})"
        key = {
            "municipality": f"municipality.{rest}",
            "powers": f"{body}powers ([] = {'keine' if self.lang == 'de' else 'none'})",
            "body": f"{body}{rest}",
            "seats": f"{body}seats",
            "filled": f"{body}seats",
            "voting": f"{body}voting.{rest}",
            "election": f"{body}election.with_local_election / {body}election.date + municipality.local_election_date",
        }.get(prefix)
        return f"{name} ({key})" if key else name

    def _settable(self, name: str, scope: ScopeKey) -> bool:
        """Whether the fact is read from one key of the file, so that a fix may name that key."""
        path = self.facts.sources.get((name, scope)) or self.facts.sources.get((name, None))
        return path is not None and bool(path) and str(path[-1]) == name.rsplit(".", 1)[-1]

    def _path(self, name: str, scope: ScopeKey) -> str:
        path = self.facts.sources.get((name, scope)) or self.facts.sources.get((name, None))
        return name if path is None else dotted(path)

    def finding(self, rule: Rule, scope: ScopeKey, outcome: OutcomeName) -> Finding:
        env = self.env(scope)
        assert rule.requires is not None
        names = [n for c in (rule.applies, rule.requires) if c is not None for n in facts_in(c)]
        facts = {n: _json_value(n, env[n]) for n in names if n in env}
        locations = {n: loc for n in names if (loc := self._location(n, scope)) is not None}
        bylaw = {n: src for n in names if n in env and (src := self._bylaw(n, scope))}
        derivation = self.conclusion_chain(names, scope)
        show = self._show(env)
        decided: list[str] = []
        applies_value = True if rule.applies is None else evaluate(rule.applies, env)
        requires_value = evaluate(rule.requires, env)
        label_applies = "Anwendbar, weil" if self.lang == "de" else "Applies because"
        label_not = "Nicht anwendbar, weil" if self.lang == "de" else "Does not apply because"
        label_req = "Gefordert" if self.lang == "de" else "Required"
        if rule.applies is not None and not isinstance(rule.applies, Truth):
            line = f"{render(rule.applies, show)} → {self._truth(applies_value)}"
            if applies_value is None:
                label = "Ob anwendbar, ist offen" if self.lang == "de" else "Whether it applies is unknown"
            else:
                label = label_applies if applies_value else label_not
            derivation.append(f"{label}: {line}")
        if applies_value is not False:
            derivation.append(f"{label_req}: {render(rule.requires, show)} → {self._truth(requires_value)}")
        target = rule.requires if applies_value is not False else rule.applies
        if target is not None:
            want = requires_value if applies_value is not False else False
            for atom in decisive_atoms(target, env, want):
                v = evaluate(atom, env)
                decided.append(f"{render(atom, show)} → {self._truth(v)}")
        missing: list[str] = []
        if outcome == "undetermined":
            for c in (rule.applies, rule.requires):
                if c is not None:
                    for m in self.missing_inputs(c, scope):
                        hinted = self._missing_hint(m, scope)
                        if hinted not in missing:
                            missing.append(hinted)
        message = self._message(rule, outcome, env, missing)
        fix = self.fix_for(rule, env, scope) if outcome == "violated" else None
        body_name = None
        if scope is not None:
            body = self.loaded.config.bodies[scope]
            body_name = body.name or body.kind
        return Finding(rule=rule, outcome=outcome, body=scope, message=message, facts=facts,
                       locations=locations, derivation=derivation, decided_by=decided, missing=missing,
                       fix=fix, body_name=body_name, bylaw=bylaw, assumed=self.assumed(names, scope))

    def assumed(self, names: list[str], scope: ScopeKey) -> dict[str, str]:
        """The facts of ``names`` that the tool supplied, each with the reason the report shows."""
        out: dict[str, str] = {}
        for name in names:
            reason = self.facts.defaults.get((name, scope)) or self.facts.defaults.get((name, None))
            if reason is None or name in out:
                continue
            text = DEFAULT_REASONS[reason]["en" if self.lang == "en" else "de"]
            if reason == "voting_of_kind" and scope is not None:
                kind = self.pack.kinds.get(self.loaded.config.bodies[scope].kind)
                if kind is not None and kind.voting_basis is not None:
                    text += f" ({kind.voting_basis.get(self.lang)})"
            out[name] = text
        return out

    def _message(self, rule: Rule, outcome: OutcomeName, env: dict[str, FactValue], missing: list[str]) -> str:
        msgs = rule.spec.messages
        assert msgs is not None
        if outcome == "violated":
            return fill(msgs.violated.get(self.lang), env)
        if outcome == "satisfied":
            return fill(msgs.satisfied.get(self.lang), env)
        if outcome == "not_applicable":
            if msgs.not_applicable:
                return fill(msgs.not_applicable.get(self.lang), env)
            return "Nicht anwendbar." if self.lang == "de" else "Does not apply."
        if msgs.undetermined:
            return fill(msgs.undetermined.get(self.lang), env)
        names = ", ".join(missing) or "?"
        if self.lang == "de":
            return f"Nicht entscheidbar: Die Konfiguration nennt nicht {names}."
        return f"Undetermined: the configuration does not give {names}."


def caveat(mark: str, lang: str, own: str | None = None) -> str | None:
    """Unverified law is never silently treated as verified: say so beside the finding. ``mark`` is the
    weakest mark of the finding's basis; ``own`` the mark of the rule's own text, when it is stronger
    (the finding then rests on an unverified conclusion)."""
    if mark not in ("S", "R"):
        return None
    if own is not None and own not in ("S", "R"):
        if lang == "en":
            return (f"Caveat: this rule's text is {own}, but it applies because of a conclusion whose wording is not "
                    f"verified [{mark}].")
        return (f"Vorbehalt: Der Wortlaut dieser Vorschrift ist {own}, sie greift aber wegen einer Schlussfolgerung, "
                f"deren Wortlaut nicht verifiziert ist [{mark}].")
    if lang == "en":
        return (f"Caveat: the statute's wording is not verified [{mark}]; this finding rests on "
                + ("a secondary source." if mark == "S" else "an unverified assumption."))
    return (f"Vorbehalt: Der Gesetzeswortlaut ist nicht verifiziert [{mark}]; der Befund beruht auf "
            + ("einer Sekundärquelle." if mark == "S" else "einer nicht belegten Annahme."))


def reliability_text(mark: str, lang: str) -> str:
    return RELIABILITY_TEXT.get(mark, {}).get(lang, mark)


def verdict(findings: list[Finding]) -> str:
    return verdict_of((f.outcome, f.severity) for f in findings)


# ---------------------------------------------------------------------------------------------
# The smallest fix. The plain search tries ±1, ±2, … ±2000: up to 4,000 evaluations per fact of a
# violated comparison, seconds for a configuration of many violating bodies. Where the comparison
# is affine in the fact (sums, multiples, a division by what does not contain it: every condition
# of the law so far), the answer is solved for and then checked at the answer and its neighbour
# nearer to zero; anything else, or a check that fails, falls back to the search.

MAX_CHANGE = 2000
UNSOLVED: Any = object()


def scan_change(atom: Cmp, env: dict[str, FactValue], name: str, current: int) -> int | None:
    trial = dict(env)
    for step in range(1, MAX_CHANGE + 1):
        for delta in (step, -step):
            if current + delta < 0:
                continue
            trial[name] = current + delta
            if evaluate(atom, trial) is True:
                return delta
    return None


def _contains(v: Value, name: str) -> bool:
    if isinstance(v, Fact):
        return v.name == name
    if isinstance(v, Arith):
        return _contains(v.left, name) or _contains(v.right, name)
    return False


def _affine(v: Value, name: str) -> bool:
    if not isinstance(v, Arith):
        return True
    if v.op in ("+", "-"):
        return _affine(v.left, name) and _affine(v.right, name)
    if v.op == "*":
        return not (_contains(v.left, name) and _contains(v.right, name)) and _affine(v.left, name) and _affine(v.right, name)
    return not _contains(v.right, name) and _affine(v.left, name)


def solve_affine(atom: Cmp, env: dict[str, FactValue], name: str, current: int) -> int | Any | None:
    """The smallest change by solving ``left − right op 0`` for the fact, or UNSOLVED."""
    if atom.op not in ("<", "<=", ">", ">=", "==") or not (_affine(atom.left, name) and _affine(atom.right, name)):
        return UNSOLVED
    trial = dict(env)

    def gap(delta: int) -> Fraction | None:
        trial[name] = current + delta
        a, b = value_of(atom.left, trial), value_of(atom.right, trial)
        if not isinstance(a, int | float) or not isinstance(b, int | float) or isinstance(a, bool) or isinstance(b, bool):
            return None
        try:
            return Fraction(a) - Fraction(b)
        except (ValueError, OverflowError):  # inf or nan from a float division
            return None

    g0, g1 = gap(0), gap(1)
    if g0 is None or g1 is None or g1 == g0:
        return UNSOLVED
    slope = g1 - g0
    root = -g0 / slope  # where left − right crosses zero
    up = slope > 0
    op = atom.op
    if op == "==":
        if root.denominator != 1:
            return None if _confirmed_none(atom, trial, name, current, root) else UNSOLVED
        delta = int(root)
    elif op == ">":
        delta = math.floor(root) + 1 if up else math.ceil(root) - 1
    elif op == ">=":
        delta = math.ceil(root) if up else math.floor(root)
    elif op == "<":
        delta = math.ceil(root) - 1 if up else math.floor(root) + 1
    else:
        delta = math.floor(root) if up else math.ceil(root)
    if delta == 0:
        return UNSOLVED
    if abs(delta) > MAX_CHANGE or current + delta < 0:
        # no change in reach: confirm at the edge of the reach that the comparison stays false
        return None if _confirmed_none(atom, trial, name, current, Fraction(delta)) else UNSOLVED
    trial[name] = current + delta
    if evaluate(atom, trial) is not True:
        return UNSOLVED
    nearer = delta - (1 if delta > 0 else -1)
    if nearer != 0:
        trial[name] = current + nearer
        if evaluate(atom, trial) is True:
            return UNSOLVED
    return delta


def _confirmed_none(atom: Cmp, trial: dict[str, FactValue], name: str, current: int, root: Fraction) -> bool:
    """No change in reach helps: true at neither end of the reach nor around the root."""
    candidates = {MAX_CHANGE, -min(MAX_CHANGE, current), math.floor(root), math.ceil(root)}
    for delta in candidates:
        if delta == 0 or abs(delta) > MAX_CHANGE or current + delta < 0:
            continue
        trial[name] = current + delta
        if evaluate(atom, trial) is True:
            return False
    return True
