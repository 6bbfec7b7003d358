"""The Rete engine: a rule pack compiled to durable-rules rulesets. The only module that imports
durable-rules 2.0.28, whose measured behaviour (timer threads, session limits, error 307) this design
answers to: see docs/performance.md.

Each rule becomes durable-rules rules, one per conjunction of the disjunctive normal form of
"definitely violated" and "definitely not applicable" (requirements) or "definitely true"
(conclusions). A conclusion's action asserts a derived fact into the session, which other rules
join on: that is the forward chaining.

The encoding is lean, because the cost of a check follows the number of actions durable-rules
runs in Python and the bytes it moves as JSON:
- each fact carries only the fields some rule of its scope tests;
- no catch-all firings: a fact is kept by a rule that waits for a fact that never comes;
- "satisfied" and "not applicable" need no firing where the three-valued logic allows: when every
  fact a requirement tests is known, its conditions are definite, so a requirement that was not
  violated is satisfied where its `applies` holds and not applicable where it does not; one firing
  per group of requirements sharing an `applies` condition says where it holds. The rules for
  "definitely satisfied" and "definitely not applicable" are on only where a fact the requirement
  tests is missing (the fact then carries the requirement's flag), and what none of them decides
  is undetermined. Where a requirement
  tests a conclusion no rule drew, the check runs once more with them all on (flag ``u``);
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
import types
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import durable_rules_engine  # type: ignore[import-not-found]
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

# per ruleset: a ruleset of 512 or more rules hangs at creation, and with a few hundred one fact can
# match more rules than durable-rules holds for one assert (error 303, ERR_MAX_STACK_SIZE: the check
# is then refused with an error, never misjudged); 130 held for the split test's pack (measured)
MAX_RULES = 130
_DURABLE_OP: dict[Op, str] = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
# no "$div": durable-rules divides whole numbers (5 / 2 == 2, where the rules mean 2.5) and a zero
# divisor kills the process with SIGFPE, where the rules say "unknown"
_ARITH_OP = {"+": "$add", "-": "$sub", "*": "$mul"}
SELF = "x"
ENGINE_NAME = "durable-rules (Rete)"


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


def compile_clause(pack: Pack, rule: Rule, clause: list[Literal_], action: str,
                   gate: dict[str, Any] | None = None) -> dict[str, Any]:
    self_type = "m" if rule.spec.scope == "municipality" else "b"
    self_tests: list[dict[str, Any]] = [{"t": self_type}]
    if gate is not None:
        self_tests.append(gate)
    derived: dict[str, list[dict[str, Any]]] = {}
    for lit in clause:
        name = _derived_name(lit, pack)
        if name is None:
            self_tests.extend(_self_test(lit))
        else:
            derived.setdefault(name, []).extend(_derived_test(lit))
    # the same existence test once: durable-rules allows few per rule (error 107)
    self_tests = list({json.dumps(t, sort_keys=True): t for t in self_tests}.values())
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


def _config_facts(pack: Pack, conds: list[Cond]) -> list[str]:
    return list(dict.fromkeys(n for c in conds for n in facts_in(c) if not pack.is_conclusion(n)))


def gate_field(pack: Pack, rule: Rule) -> str:
    return f"g{next(i for i, r in enumerate(pack.requirements()) if r.id == rule.id)}"


def _gated(pack: Pack, rule: Rule, clause: list[Literal_], action: str) -> list[dict[str, Any]]:
    """A "satisfied" or "not applicable" conjunction, on only where the rule cannot be settled
    from what did not fire: where a fact the rule tests is missing (the fact carries the rule's
    flag), or where every such rule is switched on (``u``)."""
    return [compile_clause(pack, rule, clause, action, {"u": 1}),
            compile_clause(pack, rule, clause, action, {gate_field(pack, rule): 1})]


def applies_groups(pack: Pack) -> dict[tuple[str, Cond], int]:
    """Requirements that share their scope and `applies` condition form a group: one firing says
    the group applies, for all of them."""
    groups: dict[tuple[str, Cond], int] = {}
    for rule in pack.requirements():
        if rule.applies is not None:
            groups.setdefault((rule.spec.scope, rule.applies), len(groups))
    return groups


def _clauses(pack: Pack) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The engine rules of a pack: (conclusion rules, requirement rules)."""
    conclusions: list[dict[str, Any]] = []
    requirements: list[dict[str, Any]] = []
    for (scope, cond), group in applies_groups(pack).items():
        carrier = next(r for r in pack.requirements() if r.spec.scope == scope and r.applies == cond)
        try:
            requirements.extend(compile_clause(pack, carrier, c, f"applies|{group}|") for c in dnf(cond, True))
        except CompileError as e:
            raise CompileError(f"{carrier.id}: {e}") from None
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
            for c in dnf(applies, False):
                requirements.extend(_gated(pack, rule, c, f"outcome|{rule.id}|not_applicable"))
            for a in a_true:
                for r in dnf(rule.requires, True):
                    requirements.extend(_gated(pack, rule, a + r, f"outcome|{rule.id}|satisfied"))
        except CompileError as e:
            raise CompileError(f"{rule.location}: {rule.id} cannot be compiled for the Rete engine: {e}") from None
    return conclusions, requirements


def compile_rulesets(pack: Pack) -> list[dict[str, Any]]:
    """The durable-rules JSON rulesets of a pack, each within ``MAX_RULES``. Raises CompileError
    where a rule cannot be expressed, or the conclusions alone exceed one ruleset (``optionsmodell
    lint`` reports it)."""
    conclusions, requirements = _clauses(pack)
    room = MAX_RULES - len(_KEEP) - len(conclusions)
    if room < 1 or (not requirements and len(conclusions) > MAX_RULES):
        raise CompileError(
            f"{pack.directory / 'pack.yaml'}: pack {pack.id}: its conclusion rules compile to {len(conclusions)} engine rules; every part of a split "
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
    # requirement id -> its applies group (None: it always applies), the conclusions it tests,
    # and whether it can be settled from what did not fire
    group: dict[str, int | None] = dc_field(default_factory=dict)
    config_facts: dict[str, list[str]] = dc_field(default_factory=dict)
    # per scope: (requirement id, its flag, the configuration facts it tests)
    m_gates: list[tuple[str, str, list[str]]] = dc_field(default_factory=list)
    b_gates: list[tuple[str, str, list[str]]] = dc_field(default_factory=list)
    tests_conclusions: dict[str, list[str]] = dc_field(default_factory=dict)
    settles: dict[str, bool] = dc_field(default_factory=dict)
    m_rules: list[str] = dc_field(default_factory=list)
    b_rules: list[str] = dc_field(default_factory=list)


class _Run:
    def __init__(self, compiled: _Compiled) -> None:
        self.compiled = compiled
        self.judgement = Judgement(engine=ENGINE_NAME)
        self.applies: set[tuple[int, ScopeKey]] = set()
        self.errors: list[str] = []
        self.asserted: set[str] = set()


class _Context:
    """What an action of ours needs of a firing: the session, the matched facts, and asserting a
    derived fact into the same session."""

    __slots__ = ("m", "ruleset", "sid")

    def __init__(self, ruleset: Any, sid: str, m: dict[str, Any]) -> None:
        self.ruleset = ruleset
        self.sid = sid
        self.m = m

    def assert_fact(self, fact: dict[str, Any]) -> None:
        fact["sid"] = self.sid
        self.ruleset.assert_fact(fact)


Action = Callable[[_Context], None]


def _flush_actions(ruleset: Any, state: dict[str, Any], result_container: dict[str, Any], state_offset: Any,
                   complete: Callable[[Any, Any], None]) -> None:
    """durable-rules' ``Ruleset._flush_actions`` for our synchronous actions. The original wraps
    every firing in a Closure and a Promise, skips an action that ran over 10 s (a verdict that
    would depend on timing), and writes the session state back as JSON after each firing; our
    actions never change that state, so this runs each action and takes the next one."""
    sid = state["sid"]
    actions = ruleset._actions
    handle = ruleset._handle
    while "message" in result_container:
        action_name, message = next(iter(result_container.pop("message").items()))
        actions[action_name]._func(_Context(ruleset, sid, message))
        new_result = durable_rules_engine.complete_and_start_action(handle, state_offset)
        if new_result:
            result_container["message"] = json.loads(new_result)
        else:
            complete(None, state)


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

    def get_action(self, action_name: str) -> Action:
        kind, key, outcome = action_name.split("|")
        if kind == "noop":
            return lambda c: None
        if kind == "applies":
            group = int(key)

            def applies(c: _Context) -> None:
                run = self.runs.get(c.sid)
                if run is not None:
                    x = c.m["x"]
                    run.applies.add((group, x.get("body")))
            return applies
        rule_id = key
        if kind == "outcome":
            def record(c: _Context) -> None:
                run = self.runs.get(c.sid)
                if run is None:
                    return
                try:
                    body = c.m["x"]["body"] if run.compiled.rules[rule_id].spec.scope == "body" else None
                    run.judgement.outcomes[(rule_id, body)] = outcome  # type: ignore[assignment]
                except Exception as e:  # record it: durable-rules would swallow it
                    run.errors.append(f"{rule_id}: {type(e).__name__}: {e}")
            return record

        def conclude(c: _Context) -> None:
            run = self.runs.get(c.sid)
            if run is None:
                return
            try:
                rule = run.compiled.rules[rule_id]
                body = int(c.m["x"]["body"]) if rule.spec.scope == "body" else None
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
            except durable_rules_engine.error as e:
                run.errors.append(f"durable-rules failed on pack {run.compiled.pack.id}: {e}")
            except Exception as e:  # record it: durable-rules would swallow it
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
                try:
                    _host().register_rulesets({name: json.loads(text)})
                except Exception as e:  # durable-rules' limits, e.g. error 107: too many existence tests
                    raise CompileError(f"pack {pack.id}: durable-rules refuses its rules: {e}") from None
                ruleset = _host().get_ruleset(name)
                ruleset._flush_actions = types.MethodType(_flush_actions, ruleset)
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
    groups = applies_groups(pack)
    for rule in pack.requirements():
        compiled.group[rule.id] = None if rule.applies is None else groups[(rule.spec.scope, rule.applies)]
        tested = [n for c in rule.conditions() for n in facts_in(c)]
        compiled.config_facts[rule.id] = _config_facts(pack, rule.conditions())
        gates = compiled.b_gates if rule.spec.scope == "body" else compiled.m_gates
        gates.append((rule.id, gate_field(pack, rule), compiled.config_facts[rule.id]))
        compiled.tests_conclusions[rule.id] = sorted({n for n in tested if pack.is_conclusion(n)})
        # a quotient by zero is unknown although every fact is known: such a rule is never settled
        # from what did not fire (the Rete compiler refuses division anyway)
        compiled.settles[rule.id] = not any(_divides(c) for c in rule.conditions())
        (compiled.b_rules if rule.spec.scope == "body" else compiled.m_rules).append(rule.id)
    return compiled


MAX_FLAGS = 100  # a fact holds at most 255 fields; beyond this many flags, all gated rules go on


def _message(kind: str, ident: str, values: dict[str, FactValue], fields: list[tuple[str, str]],
             gates: list[tuple[str, str, list[str]]], gate: bool, **extra: Any) -> tuple[dict[str, Any], bool]:
    """A fact with only the tested fields, flags for the requirements that test a missing one,
    and whether any is missing."""
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
    if missing and not gate:
        flags = [flag for _, flag, names in gates if any(n not in values for n in names)]
        if len(flags) > MAX_FLAGS:
            gate = True
        else:
            msg.update(dict.fromkeys(flags, 1))
    if gate:
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
        try:
            compiled = self.compiled(pack)
        except CompileError as e:
            raise CompileError(f"{e} (run `optionsmodell lint`)") from None
        judgement = self._judge(compiled, facts, gate_all=False)
        if judgement is None:
            # a requirement tests a conclusion no rule drew: decide it with every gated rule on
            judgement = self._judge(compiled, facts, gate_all=True)
            assert judgement is not None
        return judgement

    def _judge(self, compiled: _Compiled, facts: FactSet, gate_all: bool) -> Judgement | None:
        m_msg, m_incomplete = _message("m", "m", facts.municipality, compiled.m_fields, compiled.m_gates, gate_all)
        b_msgs: list[dict[str, Any]] = []
        b_incomplete: list[bool] = []
        for i, body in enumerate(facts.bodies):
            msg, incomplete = _message("b", f"b{i}", body, compiled.b_fields, compiled.b_gates, gate_all, body=i)
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
        if not self._settle(run, None, facts.municipality if m_incomplete else None, gate_all):
            return None
        for i, incomplete in enumerate(b_incomplete):
            if not self._settle(run, i, facts.bodies[i] if incomplete else None, gate_all):
                return None
        return run.judgement

    @staticmethod
    def _settle(run: _Run, scope: ScopeKey, incomplete: dict[str, FactValue] | None, gate_all: bool) -> bool:
        """Outcomes of the requirements that fired nothing; False where that needs the gated
        rules ("satisfied", "not applicable") and they were off. ``incomplete``: the facts of the
        scope, given where some tested fact is missing."""
        compiled, j = run.compiled, run.judgement
        outcomes, derived = j.outcomes, j.derived
        for rule_id in (compiled.m_rules if scope is None else compiled.b_rules):
            key = (rule_id, scope)
            if key in outcomes:
                continue
            if gate_all or (incomplete is not None and any(n not in incomplete for n in compiled.config_facts[rule_id])):
                outcomes[key] = "undetermined"  # every decided outcome had its rules on
                continue
            # every fact the rule tests is known, so its conditions are definite: not violated,
            # it is satisfied where its group applies and not applicable where it does not
            known = compiled.settles[rule_id] and all(
                (name, None) in derived or (scope is not None and (name, scope) in derived)
                for name in compiled.tests_conclusions[rule_id])
            if not known:
                return False
            group = compiled.group[rule_id]
            outcomes[key] = "satisfied" if group is None or (group, scope) in run.applies else "not_applicable"
        return True


register("rete", ReteEngine)
