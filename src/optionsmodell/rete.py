"""The Rete engine: a rule pack compiled to durable-rules rulesets. The only module that imports
durable-rules (see shared/notes/durable-rules.md for the behaviour this design answers to).

Each rule becomes durable-rules rules, one per conjunction of the disjunctive normal form of
"definitely violated" and "definitely not applicable" (requirements) or "definitely true"
(conclusions). A conclusion's action asserts a derived fact into the session, which other rules
join on: that is the forward chaining.

The encoding is lean, because the cost of a check follows the number of actions durable-rules
runs in Python and the bytes it moves as JSON:
- each fact carries only the fields some rule of its scope tests;
- no catch-all firings: a fact is kept by a rule that waits for a fact that never comes;
- "satisfied" needs no firing where the three-valued logic allows: when every fact a
  requirement tests is known, its applies and requires conditions are definite, so a requirement
  that was neither violated nor not applicable is satisfied. Only a fact that lacks some tested
  field (flag ``u``) activates the "definitely satisfied" rules, and what none of them decides is
  undetermined. Where a requirement tests a conclusion no rule drew, the check runs once more with
  every flag set;
- rules are found by id in a dict, and durable-rules' background threads are never started.

Facts, not events (events are consumed by the first matching rule). One session per check,
deleted afterwards; rulesets registered once per process and pack. durable-rules cannot create a
ruleset of 512 rules or more, so a larger pack is split: each part holds every conclusion rule
(so that each part draws the conclusions its requirements need) and a share of the requirements.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from durable import engine as durable_engine

from .bounds import MAX_FACT
from .engine import EngineError, Judgement, ScopeKey, record_conclusion, register
from .expressions import (
    FLIP,
    NEGATE,
    And,
    Arith,
    Cmp,
    Cond,
    Const,
    Fact,
    In,
    Literal_,
    Not,
    Op,
    Or,
    Truth,
    Value,
    dnf,
    facts_in,
)
from .facts import FactSet, FactValue
from .packs import Pack, Rule

# per ruleset: a ruleset of 512 or more rules hangs at creation, and one of 500 failed with error 303
# (ERR_MAX_STACK_SIZE) where one fact matched a few hundred of them; 400 worked (measured)
MAX_RULES = 250
_DURABLE_OP: dict[Op, str] = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
# no "$div": durable-rules divides whole numbers (5 / 2 == 2, where the rules mean 2.5) and a zero
# divisor kills the process with SIGFPE, where the rules say "unknown"
_ARITH_OP = {"+": "$add", "-": "$sub", "*": "$mul"}
SELF = "x"
ENGINE_NAME = "durable-rules (Rete)"


class CompileError(Exception):
    pass


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
    if v.op == "/":
        raise CompileError("the Rete engine cannot divide (durable-rules divides whole numbers and fails on 0); "
                           "multiply the other side instead, or judge with --engine compiled")
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


def compile_clause(pack: Pack, rule: Rule, clause: list[Literal_], action: str, gated: bool = False) -> dict[str, Any]:
    self_type = "m" if rule.spec.scope == "municipality" else "b"
    self_tests: list[dict[str, Any]] = [{"t": self_type}]
    if gated:
        self_tests.append({"u": 1})
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


# A fact that passes no rule's tests makes durable-rules raise MessageNotHandledException, and its
# session is then left half made (deleting it crashed the process, measured). These rules keep every
# fact of ours without ever firing: the second fact they wait for never exists.
_KEEP: dict[str, Any] = {
    f"keep_{t}": {"all": [{SELF: {"t": t}}, {"never": {"t": "never"}}], "run": "noop||"} for t in ("m", "b", "d")
}
# durable-rules crashes (SIGSEGV) deleting a session in which no action ran, unless some action has
# run in that ruleset before (measured). Each ruleset runs this rule once when it is registered.
_KEEP["warm_up"] = {"all": [{SELF: {"t": "w"}}], "run": "noop||"}


def _divides(c: Cond | Value) -> bool:
    if isinstance(c, Arith):
        return c.op == "/" or _divides(c.left) or _divides(c.right)
    if isinstance(c, Cmp):
        return _divides(c.left) or _divides(c.right)
    if isinstance(c, (And, Or)):
        return any(_divides(i) for i in c.items)
    if isinstance(c, Not):
        return _divides(c.item)
    return False


def _clauses(pack: Pack) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The engine rules of a pack: (conclusion rules, requirement rules)."""
    conclusions: list[dict[str, Any]] = []
    requirements: list[dict[str, Any]] = []
    for rule in pack.rules:
        try:
            if rule.spec.type == "conclusion":
                assert rule.when is not None
                conclusions.extend(compile_clause(pack, rule, c, f"conclude|{rule.id}|") for c in dnf(rule.when, True))
                continue
            applies: Cond = rule.applies if rule.applies is not None else Truth(True)
            assert rule.requires is not None
            a_true = dnf(applies, True)
            requirements.extend(compile_clause(pack, rule, a + r, f"outcome|{rule.id}|violated")
                                for a in a_true for r in dnf(rule.requires, False))
            requirements.extend(compile_clause(pack, rule, c, f"outcome|{rule.id}|not_applicable")
                                for c in dnf(applies, False))
            requirements.extend(compile_clause(pack, rule, a + r, f"outcome|{rule.id}|satisfied", gated=True)
                                for a in a_true for r in dnf(rule.requires, True))
        except CompileError as e:
            raise CompileError(f"{rule.id}: {e}") from None
    return conclusions, requirements


def compile_rulesets(pack: Pack) -> list[dict[str, Any]]:
    """The durable-rules JSON rulesets of a pack, each within ``MAX_RULES``. Raises CompileError
    where a rule cannot be expressed, or the conclusions alone exceed one ruleset (``optionsmodell
    lint`` reports it)."""
    conclusions, requirements = _clauses(pack)
    room = MAX_RULES - len(_KEEP) - len(conclusions)
    if room < 1 or (not requirements and len(conclusions) > MAX_RULES):
        raise CompileError(
            f"pack {pack.id}: its conclusion rules compile to {len(conclusions)} engine rules; every part of a split "
            f"pack must hold all of them and durable-rules creates at most {MAX_RULES} rules per ruleset "
            f"(more failed, measured): write fewer alternatives (`or`) in the conclusions' `when`")
    parts = [requirements[i:i + room] for i in range(0, len(requirements), room)] or [[]]
    return [{**_KEEP, **{f"r{i}": r for i, r in enumerate([*conclusions, *part])}} for part in parts]


def compile_pack(pack: Pack) -> dict[str, Any]:
    """All engine rules of a pack in one definition (for counting and inspection)."""
    conclusions, requirements = _clauses(pack)
    return {f"r{i}": r for i, r in enumerate([*conclusions, *requirements])}


@dataclass
class _Compiled:
    pack: Pack
    names: list[str]
    rules: dict[str, Rule]
    m_fields: list[tuple[str, str]]  # (fact name, engine field) the municipality rules test
    b_fields: list[tuple[str, str]]  # the same for body rules
    # requirement id -> the conclusions it tests, and whether it can be settled from what did not fire
    tests_conclusions: dict[str, list[str]] = dc_field(default_factory=dict)
    settles: dict[str, bool] = dc_field(default_factory=dict)
    m_rules: list[str] = dc_field(default_factory=list)
    b_rules: list[str] = dc_field(default_factory=list)


class _Run:
    def __init__(self, compiled: _Compiled) -> None:
        self.compiled = compiled
        self.judgement = Judgement(engine=ENGINE_NAME)
        self.errors: list[str] = []
        self.asserted: set[str] = set()


class _Host(durable_engine.Host):  # type: ignore[misc]
    """A host without durable-rules' two background threads.

    ``durable.engine.Host.__init__`` calls ``_run``, which starts two self-renewing
    ``threading.Timer`` chains: one calls ``Ruleset.dispatch()`` every 0.2 s, which takes the next
    *pending action of any session* from the C engine (``start_action``) and runs it on the timer
    thread; the other asserts due timers. Our checks run every action synchronously inside
    ``assert_fact`` under ``_LOCK``; the dispatch thread does not take that lock. When it fired
    between two steps of a check it ran one of the check's actions itself: the action found no
    run registered any more (the result was lost, the requirement shown as undetermined), or it
    ran while the check deleted its session (engine error 307, "node deleted"). We use neither
    asynchronous actions nor timers, so the threads are never started.
    """

    def __init__(self) -> None:
        self.runs: dict[str, _Run] = {}
        super().__init__()

    def _run(self) -> None:
        pass

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        kind, rule_id, outcome = action_name.split("|")
        if kind == "noop":
            return lambda c: None
        if kind == "outcome":
            def record(c: Any) -> None:
                run = self.runs.get(c.s.sid)
                if run is None:
                    return
                try:
                    body = c.x.body if run.compiled.rules[rule_id].spec.scope == "body" else None
                    run.judgement.outcomes[(rule_id, body)] = outcome  # type: ignore[assignment]
                except Exception as e:  # durable-rules swallows exceptions raised in actions
                    run.errors.append(f"{rule_id}: {type(e).__name__}: {e}")
            return record

        def conclude(c: Any) -> None:
            run = self.runs.get(c.s.sid)
            if run is None:
                return
            try:
                rule = run.compiled.rules[rule_id]
                body = int(c.x.body) if rule.spec.scope == "body" else None
                record_conclusion(run.judgement, rule, body)
                for name, value in (rule.spec.conclude or {}).items():
                    scope = body if run.compiled.pack.conclusion_specs[name].scope == "body" else -1
                    fact_id = f"d|{name}|{scope}|{value}"
                    if fact_id in run.asserted:
                        continue  # the same fact twice would raise MessageObservedException
                    run.asserted.add(fact_id)
                    c.assert_fact({"id": fact_id, "t": "d", "n": name, "body": scope, "v": value})
            except EngineError as e:
                run.errors.append(str(e))
            except Exception as e:  # durable-rules swallows exceptions raised in actions
                run.errors.append(f"{rule_id}: {type(e).__name__}: {e}")

        return conclude


_HOST: _Host | None = None
_REGISTERED: dict[str, str] = {}
_LOCK = threading.Lock()
_SIDS = itertools.count(1)


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    return _HOST


def _register(pack: Pack, definitions: list[dict[str, Any]]) -> list[str]:
    """Rulesets cannot be removed once registered, so each name carries its content: a changed
    pack (a test's variant) gets its own rulesets instead of stale ones."""
    names = []
    with _LOCK:
        for definition in definitions:
            text = json.dumps(definition, sort_keys=True, default=str)
            name = f"{pack.id}_{hashlib.sha256(text.encode()).hexdigest()[:12]}"
            if name not in _REGISTERED:
                # a copy: durable-rules takes the "run" key out of each rule it is given
                _host().register_rulesets({name: json.loads(text)})
                _host().assert_fact(name, {"sid": "warm-up", "id": "w", "t": "w"})
                _host().delete_state(name, "warm-up")
                _REGISTERED[name] = pack.id
            names.append(name)
    return names


def ruleset_name(pack: Pack) -> str:
    """The first (usually only) ruleset of a pack."""
    return _register(pack, compile_rulesets(pack))[0]


def _tested(pack: Pack, rules: list[Rule]) -> list[tuple[str, str]]:
    names: dict[str, None] = {}
    for r in rules:
        for c in r.conditions():
            for n in facts_in(c):
                if not pack.is_conclusion(n):
                    names[n] = None
    return [(n, field(n)) for n in names]


def _compile(pack: Pack) -> _Compiled:
    names = _register(pack, compile_rulesets(pack))
    m_rules = [r for r in pack.rules if r.spec.scope == "municipality"]
    b_rules = [r for r in pack.rules if r.spec.scope == "body"]
    compiled = _Compiled(pack=pack, names=names, rules={r.id: r for r in pack.rules},
                         m_fields=_tested(pack, m_rules), b_fields=_tested(pack, b_rules))
    for rule in pack.requirements():
        tested = [n for c in rule.conditions() for n in facts_in(c)]
        compiled.tests_conclusions[rule.id] = sorted({n for n in tested if pack.is_conclusion(n)})
        # a quotient by zero is unknown although every fact is known: such a rule is never settled
        # from what did not fire (the Rete compiler refuses division anyway)
        compiled.settles[rule.id] = not any(_divides(c) for c in rule.conditions())
        (compiled.b_rules if rule.spec.scope == "body" else compiled.m_rules).append(rule.id)
    return compiled


def _message(kind: str, ident: str, values: dict[str, FactValue], fields: list[tuple[str, str]],
             gate: bool, **extra: Any) -> tuple[dict[str, Any], bool]:
    """A fact with only the tested fields, and whether one of them is missing (flag ``u``)."""
    msg: dict[str, Any] = {"id": ident, "t": kind, **extra}
    missing = False
    for name, key in fields:
        value = values.get(name)
        if value is None:
            missing = True
            continue
        if isinstance(value, int) and not isinstance(value, bool) and not -MAX_FACT <= value <= MAX_FACT:
            raise EngineError(f"{name} = {value} is beyond ±{MAX_FACT:,}, the range the engines compute exactly")
        msg[key] = value
    if missing or gate:
        msg["u"] = 1
    return msg, missing


class ReteEngine:
    name = ENGINE_NAME

    def __init__(self) -> None:
        # keyed by the pack object's id; the pack is kept with its rulesets so that its id is never reused
        self._compiled: dict[int, _Compiled] = {}

    def compiled(self, pack: Pack) -> _Compiled:
        found = self._compiled.get(id(pack))
        if found is None or found.pack is not pack:
            found = self._compiled[id(pack)] = _compile(pack)
        return found

    def judge(self, pack: Pack, facts: FactSet) -> Judgement:
        compiled = self.compiled(pack)
        judgement = self._judge(compiled, facts, gate_all=False)
        if judgement is None:
            # a requirement tests a conclusion no rule drew: decide it with every "satisfied" rule on
            judgement = self._judge(compiled, facts, gate_all=True)
            assert judgement is not None
        return judgement

    def _judge(self, compiled: _Compiled, facts: FactSet, gate_all: bool) -> Judgement | None:
        m_msg, m_incomplete = _message("m", "m", facts.municipality, compiled.m_fields, gate_all)
        b_msgs: list[dict[str, Any]] = []
        b_incomplete: list[bool] = []
        for i, body in enumerate(facts.bodies):
            msg, incomplete = _message("b", f"b{i}", body, compiled.b_fields, gate_all, body=i)
            b_msgs.append(msg)
            b_incomplete.append(incomplete)
        run = _Run(compiled)
        host = _host()
        for name in compiled.names:
            run.asserted.clear()
            with _LOCK:
                sid = f"c{next(_SIDS)}"
                host.runs[sid] = run
                try:
                    for msg in (m_msg, *b_msgs):
                        host.assert_fact(name, {"sid": sid, **msg})
                except Exception as e:  # durable-rules' own errors are plain Exceptions with a code
                    raise EngineError(f"durable-rules failed on pack {compiled.pack.id}: {e}") from None
                finally:
                    del host.runs[sid]
                    # the state may not exist if the first assert failed
                    with contextlib.suppress(Exception):
                        host.delete_state(name, sid)
        if run.errors:
            raise EngineError("; ".join(run.errors))
        j = run.judgement
        if not self._settle(compiled, j, None, m_incomplete or gate_all):
            return None
        for i, incomplete in enumerate(b_incomplete):
            if not self._settle(compiled, j, i, incomplete or gate_all):
                return None
        return j

    @staticmethod
    def _settle(compiled: _Compiled, j: Judgement, scope: ScopeKey, gated: bool) -> bool:
        """Outcomes of the requirements no rule fired for; False where that needs the
        "satisfied" rules and they were off."""
        outcomes, derived = j.outcomes, j.derived
        for rule_id in (compiled.m_rules if scope is None else compiled.b_rules):
            key = (rule_id, scope)
            if key in outcomes:
                continue
            if gated:
                outcomes[key] = "undetermined"  # every decided outcome had its rules on
                continue
            known = compiled.settles[rule_id] and all(
                (name, None) in derived or (scope is not None and (name, scope) in derived)
                for name in compiled.tests_conclusions[rule_id])
            if not known:
                return False
            outcomes[key] = "satisfied"
        return True


register("rete", ReteEngine)
