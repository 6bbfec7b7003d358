"""The Rete engine: a rule pack compiled to a durable-rules ruleset. The only module that imports
durable-rules (see shared/notes/durable-rules.md for the behaviour this design answers to).

Each rule becomes a few durable-rules rules, one per conjunction of the disjunctive normal form
of "definitely violated", "definitely satisfied", "definitely not applicable" (requirements) or
"definitely true" (conclusions). A conclusion's action asserts a derived fact into the session,
which other rules join on: that is the forward chaining. What no rule decides stays undetermined.

Facts, not events (events are consumed by the first matching rule). One session per check,
deleted afterwards; one ruleset per pack, registered once per process; a catch-all rule per
fact type; rule names carry our own rule ids back through a ``Host`` subclass.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

from durable import engine as durable_engine

from .engine import EngineError, Judgement, OutcomeName, fill_undetermined, record_conclusion
from .expressions import FLIP, NEGATE, Arith, Cmp, Cond, Const, Fact, In, Literal_, Op, Truth, Value, dnf
from .facts import FactSet, FactValue
from .packs import Pack, Rule

MAX_RULES = 500  # a ruleset of 512 or more rules hangs at creation (measured)
_DURABLE_OP: dict[Op, str] = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_ARITH_OP = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div"}
SELF = "x"


class CompileError(EngineError):
    """A rule the Rete engine cannot express: every command reports it (file:line) instead of
    crashing, and ``lint`` names it."""


def field(name: str) -> str:
    return "f_" + name.replace(".", "__")


def _rhs(v: Value) -> Any:
    if isinstance(v, Const):
        return v.value
    if isinstance(v, Fact):
        return {"$m": field(v.name)}
    if isinstance(v.left, Const) and not isinstance(v.right, Const) and v.op in ("+", "*"):
        v = Arith(v.op, v.right, v.left)
    if isinstance(v.left, Const):
        raise CompileError(f"cannot compile {v.op} with a number on its left; write the fact first")
    return {_ARITH_OP[v.op]: {"$l": _rhs(v.left), "$r": _rhs(v.right)}}


def _isolate(op: Op, left: Value, right: Value) -> tuple[Op, str, Value]:
    """Rewrite ``left op right`` so that a single fact stands on the left, as durable-rules
    compares an attribute with an expression."""
    if isinstance(left, Fact):
        return op, left.name, right
    if isinstance(right, Fact):
        return FLIP[op], right.name, left
    for a, b, o in ((left, right, op), (right, left, FLIP[op])):
        if isinstance(a, Arith) and a.op in ("+", "-"):
            if isinstance(a.left, Fact):
                moved = Arith("-" if a.op == "+" else "+", b, a.right)
                return o, a.left.name, moved
            if a.op == "+" and isinstance(a.right, Fact):
                return o, a.right.name, Arith("-", b, a.left)
    raise CompileError("a comparison needs a fact alone on one side, or a fact first in a sum")



def _facts_of(v: Value) -> list[str]:
    if isinstance(v, Fact):
        return [v.name]
    if isinstance(v, Arith):
        return _facts_of(v.left) + _facts_of(v.right)
    return []


def _self_test(lit: Literal_) -> list[dict[str, Any]]:
    atom = lit.atom
    if isinstance(atom, In):
        name = field(atom.item.name)
        wanted_in = lit.want != atom.negated
        tests: list[dict[str, Any]] = [{"$ex": {name: 1}}]
        if wanted_in:
            tests.append({"$or": [{name: v.value} for v in atom.values]})
        else:
            tests.extend({"$neq": {name: v.value}} for v in atom.values)
        return tests
    op: Op = atom.op if lit.want else NEGATE[atom.op]
    exists = [{"$ex": {field(n): 1}} for n in dict.fromkeys(_facts_of(atom.left) + _facts_of(atom.right))]
    op, name, rhs = _isolate(op, atom.left, atom.right)
    compiled = _rhs(rhs)
    test = {field(name): compiled} if op == "==" else {_DURABLE_OP[op]: {field(name): compiled}}
    return [*exists, test]


def _derived_test(lit: Literal_) -> list[dict[str, Any]]:
    atom = lit.atom
    if isinstance(atom, In):
        wanted_in = lit.want != atom.negated
        if wanted_in:
            return [{"$or": [{"v": v.value} for v in atom.values]}]
        return [{"$neq": {"v": v.value}} for v in atom.values]
    assert isinstance(atom, Cmp) and isinstance(atom.right, Const)
    op = atom.op if lit.want else NEGATE[atom.op]
    return [{"v": atom.right.value}] if op == "==" else [{"$neq": {"v": atom.right.value}}]


def _derived_name(lit: Literal_, pack: Pack) -> str | None:
    atom = lit.atom
    name = atom.item.name if isinstance(atom, In) else (atom.left.name if isinstance(atom.left, Fact) else None)
    return name if name is not None and pack.is_conclusion(name) else None


def compile_clause(pack: Pack, rule: Rule, clause: list[Literal_], action: str) -> dict[str, Any]:
    self_type = "m" if rule.spec.scope == "municipality" else "b"
    self_tests: list[dict[str, Any]] = [{"t": self_type}]
    derived: dict[str, list[dict[str, Any]]] = {}
    for lit in clause:
        name = _derived_name(lit, pack)
        if name is None:
            self_tests.extend(_self_test(lit))
        else:
            derived.setdefault(name, []).extend(_derived_test(lit))
    if len(self_tests) > 30:
        raise CompileError(f"{rule.id}: more than 30 tests in one conjunction")
    bindings: list[dict[str, Any]] = [{SELF: {"$and": self_tests}}]
    for i, (name, tests) in enumerate(sorted(derived.items())):
        conc = pack.conclusion_specs[name]
        scope_test = {"body": {SELF: "body"}} if conc.scope == "body" else {"body": -1}
        bindings.append({f"d{i}": {"$and": [{"t": "d"}, {"n": name}, scope_test, *tests]}})
    return {"all": bindings, "run": action}


def compile_pack(pack: Pack) -> dict[str, Any]:
    """The durable-rules JSON ruleset of a pack. Raises CompileError where a rule cannot be
    expressed (``optionsmodell lint`` reports it with the rule)."""
    ruleset: dict[str, Any] = {}
    counter = itertools.count()

    def add(rule: Rule, clauses: list[list[Literal_]], action: str) -> None:
        for clause in clauses:
            ruleset[f"r{next(counter)}"] = compile_clause(pack, rule, clause, action)

    for rule in pack.rules:
        try:
            if rule.spec.type == "conclusion":
                assert rule.when is not None
                add(rule, dnf(rule.when, True), f"conclude|{rule.id}|")
                continue
            applies: Cond = rule.applies if rule.applies is not None else Truth(True)
            assert rule.requires is not None
            a_true = dnf(applies, True)
            outcomes: dict[OutcomeName, list[list[Literal_]]] = {
                "violated": [a + r for a in a_true for r in dnf(rule.requires, False)],
                "satisfied": [a + r for a in a_true for r in dnf(rule.requires, True)],
                "not_applicable": dnf(applies, False),
            }
            for outcome, clauses in outcomes.items():
                add(rule, clauses, f"outcome|{rule.id}|{outcome}")
        except CompileError as e:
            raise CompileError(f"{rule.location}: {rule.id} cannot be compiled for the Rete engine: {e}") from None
    for t in ("m", "b", "d"):
        ruleset[f"catch_{t}"] = {"all": [{"any_fact": {"t": t}}], "run": "noop||"}
    if len(ruleset) > MAX_RULES:
        raise CompileError(f"{pack.directory / 'pack.yaml'}: pack {pack.id} compiles to {len(ruleset)} engine rules; "
                           f"at most {MAX_RULES} work")
    return ruleset


class _Run:
    def __init__(self, pack: Pack, facts: FactSet) -> None:
        self.pack = pack
        self.facts = facts
        self.judgement = Judgement(engine="durable-rules (Rete)")
        self.errors: list[str] = []
        self.asserted: set[str] = set()


class _Host(durable_engine.Host):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.runs: dict[str, _Run] = {}

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        kind, rule_id, outcome = action_name.split("|")

        def act(c: Any) -> None:
            run = self.runs.get(str(c.s.sid))
            if run is None or kind == "noop":
                return
            try:
                rule = run.pack.rule(rule_id)
                assert rule is not None
                body = int(c.x.body) if rule.spec.scope == "body" else None
                if kind == "outcome":
                    run.judgement.outcomes[(rule_id, body)] = outcome  # type: ignore[assignment]
                    return
                record_conclusion(run.judgement, rule, body)
                for name, value in (rule.spec.conclude or {}).items():
                    scope = body if run.pack.conclusion_specs[name].scope == "body" else -1
                    fact_id = f"d|{name}|{scope}|{value}"
                    if fact_id in run.asserted:
                        continue  # the same fact twice would raise MessageObservedException
                    run.asserted.add(fact_id)
                    c.assert_fact({"id": fact_id, "t": "d", "n": name, "body": scope, "v": value})
            except EngineError as e:
                run.errors.append(str(e))
            except Exception as e:  # durable-rules swallows exceptions raised in actions
                run.errors.append(f"{rule_id}: {type(e).__name__}: {e}")

        return act


_HOST: _Host | None = None
_REGISTERED: dict[str, str] = {}
_LOCK = threading.Lock()
_SIDS = itertools.count(1)


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    return _HOST


def ruleset_name(pack: Pack) -> str:
    """Rulesets cannot be removed once registered, so the name carries the pack's content: a
    changed pack (a test's variant) gets its own ruleset instead of the stale one."""
    with _LOCK:
        definition = compile_pack(pack)
        digest = hashlib.sha256(json.dumps(definition, sort_keys=True, default=str).encode()).hexdigest()[:12]
        name = f"{pack.id}_{digest}"
        if name not in _REGISTERED:
            _host().register_rulesets({name: definition})
            _REGISTERED[name] = pack.id
        return name


def _message(kind: str, ident: str, values: dict[str, FactValue], **extra: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {"id": ident, "t": kind, **extra}
    for name, value in values.items():
        msg[field(name)] = value
    return msg


class ReteEngine:
    name = "durable-rules (Rete)"

    def __init__(self) -> None:
        # keyed by the pack object's id; the pack is kept with its name so that its id is never reused
        self._names: dict[int, tuple[Pack, str]] = {}

    def judge(self, pack: Pack, facts: FactSet) -> Judgement:
        key = id(pack)
        if key not in self._names:
            try:
                self._names[key] = (pack, ruleset_name(pack))
            except CompileError as e:
                raise CompileError(f"{e} (run `optionsmodell lint`)") from None
        name = self._names[key][1]
        host = _host()
        with _LOCK:
            sid = f"c{next(_SIDS)}"
            run = _Run(pack, facts)
            host.runs[sid] = run
            try:
                host.assert_fact(name, {"sid": sid, **_message("m", "m", facts.municipality)})
                for i, body in enumerate(facts.bodies):
                    host.assert_fact(name, {"sid": sid, **_message("b", f"b{i}", body, body=i)})
            finally:
                del host.runs[sid]
                # the state may not exist if the first assert failed
                with contextlib.suppress(Exception):
                    host.delete_state(name, sid)
        if run.errors:
            raise EngineError("; ".join(run.errors))
        fill_undetermined(pack, facts, run.judgement)
        return run.judgement
