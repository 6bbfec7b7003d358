"""Judging a configuration's facts by a pack's rules: the common interface of both engines.

The Rete engine (``rete``, durable-rules) does the inference wherever it can be imported. The
reference evaluator here is a plain reading of the same compiled rules: it judges where
durable-rules cannot run (Python 3.13+), and a property test shows that both agree.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, Literal, Protocol, TypeVar

from .expressions import Cmp, In, atoms, evaluate, facts_in
from .facts import FactSet, FactValue
from .packs import Pack, Rule
from .record import MutableRecord

OutcomeName = Literal["violated", "satisfied", "not_applicable", "undetermined"]
ScopeKey = int | None  # body index, or None for the municipality


class EngineError(Exception):
    pass


class Judgement(MutableRecord):
    __slots__ = ("derived", "derived_by", "engine", "outcomes")
    engine: str
    outcomes: dict[tuple[str, ScopeKey], OutcomeName]
    # (conclusion name, scope) -> value; municipality conclusions have scope None
    derived: dict[tuple[str, ScopeKey], FactValue]
    # (conclusion name, scope) -> the rules that concluded it
    derived_by: dict[tuple[str, ScopeKey], list[str]]

    def __init__(self, engine: str, outcomes: dict[tuple[str, ScopeKey], OutcomeName] | None = None,
                 derived: dict[tuple[str, ScopeKey], FactValue] | None = None,
                 derived_by: dict[tuple[str, ScopeKey], list[str]] | None = None) -> None:
        self.engine = engine
        self.outcomes = {} if outcomes is None else outcomes
        self.derived = {} if derived is None else derived
        self.derived_by = {} if derived_by is None else derived_by

    def comparable(self) -> tuple[dict[tuple[str, ScopeKey], OutcomeName], dict[tuple[str, ScopeKey], FactValue]]:
        return dict(self.outcomes), dict(self.derived)


class Engine(Protocol):
    name: str

    def judge(self, pack: Pack, facts: FactSet) -> Judgement: ...


def scopes(rule: Rule, facts: FactSet) -> Iterator[ScopeKey]:
    if rule.spec.scope == "municipality":
        yield None
    else:
        yield from range(len(facts.bodies))


def environment(pack: Pack, facts: FactSet, scope: ScopeKey, derived: dict[tuple[str, ScopeKey], FactValue]) -> dict[str, FactValue]:
    env: dict[str, FactValue] = dict(facts.municipality if scope is None else facts.bodies[scope])
    for (name, s), value in derived.items():
        if s is None or s == scope:
            env[name] = value
    return env


def record_conclusion(j: Judgement, rule: Rule, scope: ScopeKey) -> bool:
    """Store what a conclusion rule concluded; True if anything was new."""
    changed = False
    for name, value in (rule.spec.conclude or {}).items():
        key_scope = scope if rule.spec.scope == "body" else None
        key = (name, key_scope)
        if key in j.derived and j.derived[key] != value:
            raise EngineError(
                f"{rule.id} concludes {name} = {value!r}, but {', '.join(j.derived_by[key])} "
                f"concluded {j.derived[key]!r}: the pack contradicts itself"
            )
        if key not in j.derived:
            j.derived[key] = value
            changed = True
        by = j.derived_by.setdefault(key, [])
        if rule.id not in by:
            by.append(rule.id)
            by.sort()
    return changed


class ReferenceEngine:
    """Forward chaining to a fixpoint, then every requirement, by three-valued evaluation."""

    name = "reference"

    def judge(self, pack: Pack, facts: FactSet) -> Judgement:
        j = Judgement(engine=self.name)
        fired: set[tuple[str, ScopeKey]] = set()
        changed = True
        while changed:
            changed = False
            for rule in pack.conclusions():
                assert rule.when is not None
                for scope in scopes(rule, facts):
                    if (rule.id, scope) in fired:
                        continue
                    if evaluate(rule.when, environment(pack, facts, scope, j.derived)) is True:
                        fired.add((rule.id, scope))
                        record_conclusion(j, rule, scope)
                        changed = True
        for rule in pack.requirements():
            for scope in scopes(rule, facts):
                j.outcomes[(rule.id, scope)] = outcome_of(rule, environment(pack, facts, scope, j.derived))
        return j


def outcome_of(rule: Rule, env: dict[str, FactValue]) -> OutcomeName:
    applies = True if rule.applies is None else evaluate(rule.applies, env)
    if applies is False:
        return "not_applicable"
    assert rule.requires is not None
    holds = evaluate(rule.requires, env)
    if applies is None or holds is None:
        return "undetermined"
    return "satisfied" if holds else "violated"


def fill_undetermined(pack: Pack, facts: FactSet, j: Judgement) -> None:
    """An engine that only reports what it could decide leaves the rest undetermined."""
    for rule in pack.requirements():
        for scope in scopes(rule, facts):
            j.outcomes.setdefault((rule.id, scope), "undetermined")


def verdict_of(outcomes: Iterable[tuple[str, str]]) -> str:
    """compliant | violations | undetermined, from (outcome, severity) pairs: a violated soll-rule
    is a warning and leaves the verdict compliant; a likely violation (text unverified, see
    ``policy``) leaves it undetermined."""
    pairs = list(outcomes)
    if any(o == "violated" and s == "violation" for o, s in pairs):
        return "violations"
    if any(o == "likely_violated" or (o == "undetermined" and s in ("violation", "warning")) for o, s in pairs):
        return "undetermined"
    return "compliant"


def judgement_verdict(pack: Pack, j: Judgement, strict: bool = False) -> str:
    from .policy import verdict

    return verdict(pack, j, strict)


T = TypeVar("T")


class PerPack(Generic[T]):
    """What is built once per pack object and kept for the life of the process (compiled closures,
    rulesets, the comparisons a memo keys on). Keyed by the object's id, with the pack kept beside
    what was built, so that its id is never reused for another pack while the entry lives."""

    def __init__(self, build: Callable[[Pack], T]) -> None:
        self._build = build
        self._held: dict[int, tuple[Pack, T]] = {}

    def __call__(self, pack: Pack) -> T:
        held = self._held.get(id(pack))
        if held is None or held[0] is not pack:
            held = self._held[id(pack)] = (pack, self._build(pack))
        return held[1]


def _atoms_of(pack: Pack) -> tuple[list[Cmp | In], list[Cmp | In]]:
    """The comparisons of a pack's rules over facts (not conclusions), by scope: what a case is."""
    scoped: dict[str, list[Cmp | In]] = {"municipality": [], "body": []}
    for rule in pack.rules:
        for cond in rule.conditions():
            for atom in atoms(cond):
                if any(pack.is_conclusion(n) for n in facts_in(atom)):
                    continue  # decided by the other comparisons
                if atom not in scoped[rule.spec.scope]:
                    scoped[rule.spec.scope].append(atom)
    return scoped["municipality"], scoped["body"]


class MemoEngine:
    """Judges each distinct case once. Every outcome and conclusion of a pack is a function of the
    truth values (true, false, unknown) of its single comparisons over the configuration's facts,
    so two fact sets that give every comparison the same value get the same judgement. A batch of
    hundreds of municipalities has a handful of such cases per regime; the inner engine (the Rete
    engine) judges each case, the rest is looked up."""

    MAX_CASES = 50_000  # a bound, so that memory stays flat however long the run

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.name = f"{inner.name}, memoized by condition values"
        self._cases: dict[tuple[object, ...], Judgement] = {}
        self._atoms_of = PerPack(_atoms_of)
        self.hits = 0

    def judge(self, pack: Pack, facts: FactSet) -> Judgement:
        m_atoms, b_atoms = self._atoms_of(pack)
        case = (
            id(pack),
            tuple(evaluate(a, facts.municipality) for a in m_atoms),
            tuple(tuple(evaluate(a, b) for a in b_atoms) for b in facts.bodies),
        )
        found = self._cases.get(case)
        if found is not None:
            self.hits += 1
            return found
        if len(self._cases) >= self.MAX_CASES:
            self._cases.clear()
        judgement = self.inner.judge(pack, facts)
        judgement.engine = self.name
        self._cases[case] = judgement
        return judgement


# ---------------------------------------------------------------------------------------------
# The engines: each registers itself when its module is imported. This module names only where
# they live, so that importing it costs nothing, and a command imports only the engine it uses.

ENGINE_MODULES: dict[str, str] = {  # fastest first (docs/performance.md)
    "compiled": "optionsmodell.compiled",
    "rete": "optionsmodell.rete",
    "reference": "optionsmodell.engine",
}
ENGINE_NAMES = tuple(ENGINE_MODULES)


class EngineUnavailable(Exception):
    """An engine that cannot run here (durable-rules does not import on Python 3.13+)."""


_REGISTRY: dict[str, Callable[[], Engine]] = {}
_INSTANCES: dict[str, Engine] = {}


def register(name: str, factory: Callable[[], Engine]) -> None:
    _REGISTRY[name] = factory


register("reference", ReferenceEngine)


def get_engine(name: str) -> Engine:
    """The engine of that name (one instance per process)."""
    if name not in _INSTANCES:
        if name not in ENGINE_MODULES:
            raise EngineUnavailable(f"unknown engine '{name}' (known: {', '.join(ENGINE_NAMES)})")
        if name not in _REGISTRY:
            try:
                importlib.import_module(ENGINE_MODULES[name])
            except ImportError as e:
                raise EngineUnavailable(f"engine '{name}' cannot run here: {e}") from None
        _INSTANCES[name] = _REGISTRY[name]()
    return _INSTANCES[name]


def available_engine(preferred: Iterable[str]) -> Engine:
    for name in preferred:
        try:
            return get_engine(name)
        except EngineUnavailable:
            continue
    return get_engine("reference")


def default_engine() -> Engine:
    """For compare, timeline and the packs' test cases: the Rete engine, which draws the
    conclusions by forward chaining; where durable-rules cannot run, the compiled evaluator (shown
    to judge alike)."""
    return available_engine(("rete", "compiled"))


def fastest_engine() -> Engine:
    """For check (a single check starts without loading durable-rules), batch and explore (which
    judge thousands of configurations)."""
    return available_engine(("compiled", "rete"))


def engine_named(name: str | None, *, fastest: bool = False) -> Engine:
    """The engine a command was asked for with --engine, or its default."""
    if name is None:
        return fastest_engine() if fastest else default_engine()
    return get_engine(name)
