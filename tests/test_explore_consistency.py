"""`explore consistency` reports exactly what its definition says (issue 10: its shortcuts must not
change a finding).

The definition: a requirement's outcomes are those the whole pack gives it over every combination
of the bounded domains of the facts it rests on that the configuration format allows (filled ≤
seats, part ≤ whole); it is dead if it is never violated nor satisfied, never violated if it is
never violated; two body rules that can both be met contradict each other for a kind if they both
apply somewhere and are never both satisfied there; a question over more than ``limit``
combinations is skipped. consistency answers it from one value per class of values the rules
cannot tell apart, and a pair of rules from each rule's own facts grouped by the facts they
share. Both are checked here against a plain enumeration that judges the whole pack for every
combination: on random packs built to exercise both shortcuts (comparisons with constants, with
other facts and in arithmetic, the format's bounds, the body's kind, conclusions drawn from
conclusions), and on the bundled packs.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optionsmodell.compiled import CompiledEngine
from optionsmodell.consistency import _bounds, _dependencies, _domain, _factset, _kinds_named, consistency
from optionsmodell.engine import Engine, EngineError, ReferenceEngine
from optionsmodell.expressions import facts_in, parse
from optionsmodell.packs import ConclusionSpec, KindSpec, Pack, PackSpec, Rule, RuleSpec, load_all
from optionsmodell.safe_yaml import Location

COMPILED = CompiledEngine()


def _outcomes(pack: Pack, rules: list[Rule], names: list[str], fixed: dict[str, Any], engine: Engine,
              limit: int) -> list[tuple[str, ...]] | None:
    """Each allowed combination's outcomes of ``rules``, the whole pack judged every time."""
    domains = [_domain(pack, n) for n in names]
    if math.prod(len(d) for d in domains) > limit:
        return None
    bounds = _bounds(names)
    found = []
    for combo in itertools.product(*domains):
        values = dict(zip(names, combo, strict=True))
        if any(isinstance(values[p], int) and isinstance(values[w], int) and values[p] > values[w]  # type: ignore[operator]
               for p, w in bounds):
            continue
        j = engine.judge(pack, _factset(pack, {**values, **fixed}))
        found.append(tuple(j.outcomes[(r.id, 0 if r.spec.scope == "body" else None)] for r in rules))
    return found


def by_definition(pack: Pack, limit: int, engine: Engine = COMPILED) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
    """(dead, never violated, contradictions), by the definition above."""
    def reads(*rules: Rule) -> list[str]:
        return _dependencies(pack, [n for r in rules for c in (r.applies, r.requires) if c is not None for n in facts_in(c)])

    dead: list[str] = []
    never_violated: list[str] = []
    met: set[str] = set()
    for r in pack.requirements():
        found = _outcomes(pack, [r], reads(r), {}, engine, limit)
        if not found:
            continue
        seen = {o for (o,) in found}
        if "satisfied" in seen:
            met.add(r.id)
        if "violated" not in seen and "satisfied" not in seen:
            dead.append(r.id)
        elif "violated" not in seen:
            never_violated.append(r.id)
    serious = [r for r in pack.requirements() if r.severity == "violation" and r.spec.scope == "body" and r.id in met]
    contradictions = []
    for kind in pack.kinds:
        relevant = [r for r in serious if _kinds_named(r) is None or kind in (_kinds_named(r) or set())]
        for r1, r2 in itertools.combinations(relevant, 2):
            names = [n for n in reads(r1, r2) if n != "body.kind"]
            found = _outcomes(pack, [r1, r2], names, {"body.kind": kind}, engine, limit)
            if not found:
                continue
            both_apply = [(o1, o2) for o1, o2 in found if "not_applicable" not in (o1, o2)]
            if both_apply and ("satisfied", "satisfied") not in both_apply:
                contradictions.append((kind, r1.id, r2.id))
    return dead, never_violated, contradictions


def reported(pack: Pack, limit: int, engine: Engine = COMPILED) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
    rep = consistency(pack, limit=limit, engine=engine)
    return rep.dead, rep.never_violated, rep.contradictions


# ---------------------------------------------------------------------------------------------
# Random packs

KINDS = ["integrationsrat", "integrationsausschuss"]
INT_M = ["municipality.foreign_residents", "municipality.applicants", "municipality.applicants_foreign_nationals"]
INT_B = ["seats.directly_elected", "seats.council_members", "filled.directly_elected", "filled.council_members",
         "seats.sachkundige_buerger"]
BOOL_B = ["election.on_local_election_day", "body.in_deliberation_sequence"]
CONCLUSIONS = {"m_class": ("municipality", "str"), "m_flag": ("municipality", "bool"), "b_flag": ("body", "bool")}
CONSTANTS = [0, 1, 2, 3, 5, 200, 2000, 5000]
BOUNDS = [("filled.directly_elected", "seats.directly_elected"), ("filled.council_members", "seats.council_members"),
          ("municipality.applicants_foreign_nationals", "municipality.applicants"), ("seats.sachkundige_buerger",)]


@st.composite
def atom(draw: Any, scope: str, conclusions: bool, pool: list[str]) -> str:
    ints = [n for n in pool if scope == "body" or n in INT_M] or INT_M[:1]
    kinds = ["const", "const", "const", "const", "fact", "arith"] + (["kind", "kind", "bool"] if scope == "body" else [])
    kinds += ["conclusion"] if conclusions else []
    kind = draw(st.sampled_from(kinds))
    f, g = draw(st.sampled_from(ints)), draw(st.sampled_from(ints))
    op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
    c = draw(st.sampled_from(CONSTANTS))
    if kind == "const":
        return f"{f} {op} {c}"
    if kind == "fact":
        return f"{f} {op} {g}"
    if kind == "arith":
        return f"{f} + {g} {op} {c}"
    if kind == "kind":
        return draw(st.sampled_from([f"body.kind == '{KINDS[0]}'", f"body.kind != '{KINDS[1]}'", f"body.kind in {KINDS}",
                                     "body.kind_provided", f"body.kind != '{KINDS[1]}' and body.kind_provided"]))
    if kind == "bool":
        return draw(st.sampled_from(BOOL_B))
    names = [n for n, (s, _) in CONCLUSIONS.items() if s == "municipality" or scope == "body"]
    n = draw(st.sampled_from(names))
    return f"{n} == 'a'" if CONCLUSIONS[n][1] == "str" else draw(st.sampled_from([n, f"not {n}"]))


@st.composite
def condition(draw: Any, scope: str, conclusions: bool, pool: list[str]) -> str:
    items = draw(st.lists(atom(scope, conclusions, pool), min_size=1, max_size=3))
    joined = f" {draw(st.sampled_from(['and', 'or']))} ".join(f"({i})" for i in items)
    return f"not ({joined})" if draw(st.integers(0, 5)) == 0 else joined


def _rule(pack: Pack, raw: dict[str, Any]) -> Rule:
    spec = RuleSpec.model_validate({"title": {"de": "t", "en": "t"}, "citation": {"law": "X", "section": "1"},
                                    "statute": {"text": "x", "reliability": "V"}, **raw})
    compiled = {k: parse(raw[k], pack.fact_type) if k in raw else None for k in ("applies", "requires", "when")}
    return Rule(spec=spec, location=Location("synthetic.yaml", 1, 1), **compiled)


@st.composite
def packs(draw: Any) -> Pack:
    spec = PackSpec.model_validate({"id": "synthetic", "title": {"de": "s", "en": "s"}, "land": "NW", "law": "X",
                                    "status": "proposal"})
    pack = Pack(spec=spec, directory=Path("synthetic"), rules=[],
                conclusion_specs={n: ConclusionSpec(scope=s, type=t, values=["a", "b"] if t == "str" else [],  # type: ignore[arg-type]
                                                    label={"de": n, "en": n})  # type: ignore[arg-type]
                                  for n, (s, t) in CONCLUSIONS.items()})
    # a few facts per pack, so that rules share them (pairs of rules, bounds between their facts)
    pool = [*draw(st.sampled_from(BOUNDS)), *draw(st.lists(st.sampled_from(INT_M + INT_B), max_size=2, unique=True))]
    pack.kinds = {k: KindSpec(label={"de": k, "en": k}) for k in KINDS[:draw(st.integers(1, 2))]}  # type: ignore[arg-type]
    for i in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(sorted(CONCLUSIONS)))
        scope, kind = CONCLUSIONS[name]
        value: Any = draw(st.booleans()) if kind == "bool" else draw(st.sampled_from(["a", "b"]))
        pack.rules.append(_rule(pack, {"id": f"C-{i}", "type": "conclusion", "scope": scope, "when": draw(condition(scope, True, pool)),
                                       "conclude": {name: value}, "because": {"de": "b", "en": "b"}}))
    for i in range(draw(st.integers(2, 5))):
        scope = draw(st.sampled_from(["municipality", "body", "body", "body"]))
        requires = draw(condition(scope, True, pool))
        earlier = [r for r in pack.requirements() if r.spec.scope == scope]
        if earlier and draw(st.integers(0, 2)) == 0:  # at odds with an earlier rule: contradictions
            requires = f"not ({draw(st.sampled_from(earlier)).spec.requires}) and ({requires})"
        raw = {"id": f"R-{i}", "scope": scope, "modality": "muss", "requires": requires,
               "messages": {"violated": {"de": "v", "en": "v"}, "satisfied": {"de": "s", "en": "s"}}}
        if draw(st.booleans()):
            raw["applies"] = draw(condition(scope, True, pool))
        pack.rules.append(_rule(pack, raw))
    return pack


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(packs())
def test_consistency_reports_what_a_plain_enumeration_of_the_whole_pack_finds(pack: Pack) -> None:
    limit = 800
    try:
        expected = by_definition(pack, limit)
    except EngineError:
        assume(False)  # the pack's conclusions contradict each other somewhere: lint's business
    assert reported(pack, limit) == expected


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(packs())
def test_the_reference_evaluator_finds_the_same(pack: Pack) -> None:
    limit = 300
    try:
        expected = by_definition(pack, limit, ReferenceEngine())
    except EngineError:
        assume(False)
    assert reported(pack, limit, ReferenceEngine()) == expected


@pytest.mark.parametrize("pack_id", ["nrw-2009", "nrw-2025", "sl-2023"])
def test_bundled_packs_report_what_a_plain_enumeration_finds(pack_id: str) -> None:
    pack = next(p for p in load_all() if p.id == pack_id)
    assert reported(pack, 20_000) == by_definition(pack, 20_000)


def _pack_of(*requires: str) -> Pack:
    spec = PackSpec.model_validate({"id": "bounded", "title": {"de": "s", "en": "s"}, "land": "NW", "law": "X", "status": "proposal"})
    pack = Pack(spec=spec, directory=Path("synthetic"), rules=[])
    pack.kinds = {"integrationsrat": KindSpec(label={"de": "IR", "en": "IR"})}  # type: ignore[arg-type]
    for i, text in enumerate(requires):
        pack.rules.append(_rule(pack, {"id": f"R-{i}", "scope": "body", "modality": "muss", "requires": text,
                                       "messages": {"violated": {"de": "v", "en": "v"}, "satisfied": {"de": "s", "en": "s"}}}))
    return pack


@pytest.mark.parametrize(("requires", "contradiction"), [
    # each rule reads one side of a bound: 5 filled seats of at most 2 seats cannot be
    (("filled.directly_elected >= 5", "seats.directly_elected <= 2"), True),
    (("filled.directly_elected >= 2", "seats.directly_elected <= 2"), False),
    # both read the seats, one the filled seats too: the seats must take the same values for both
    (("filled.directly_elected >= 1 and seats.directly_elected <= 2", "seats.directly_elected <= 2"), False),
    (("filled.directly_elected >= 3 and seats.directly_elected <= 4", "seats.directly_elected <= 2"), True),
    (("municipality.applicants_foreign_nationals >= 200", "municipality.applicants < 200"), True),
])
def test_the_format_s_bounds_between_two_rules_facts(requires: tuple[str, str], contradiction: bool) -> None:
    pack = _pack_of(*requires)
    expected = [("integrationsrat", "R-0", "R-1")] if contradiction else []
    assert by_definition(pack, 10_000)[2] == expected
    assert reported(pack, 10_000)[2] == expected
