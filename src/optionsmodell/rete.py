"""The Rete engine: a rule pack compiled to durable-rules rulesets. The only module that imports
durable-rules 2.0.28, whose measured behaviour (timer threads, session limits, error 307) this design
answers to: see docs/performance.md.

Each rule becomes durable-rules rules, one per conjunction of the disjunctive normal form of
"definitely violated" and "definitely not applicable" (requirements) or "definitely true"
(conclusions). A conclusion's action asserts a derived fact into the session, which other rules
join on: that is the forward chaining.

The encoding is lean, because the cost of a check follows the number of actions durable-rules
runs in Python, the bytes it moves as JSON, and the sessions it creates:
- each fact carries only the fields some rule of its scope tests; a check's facts go in in one
  batch, and each round of derived facts in one more;
- no catch-all firings: a fact is kept by a rule that waits for a fact that never comes;
- "satisfied" and "not applicable" need no firing where the three-valued logic allows: when every
  fact a requirement tests is known, its conditions are definite, so a requirement that was not
  violated is satisfied where its `applies` holds and not applicable where it does not; one firing
  per group of requirements sharing an `applies` condition says where it holds. The rules for
  "definitely satisfied" and "definitely not applicable" are on only where a fact the requirement
  tests is missing (the fact then carries the requirement's flag), and what none of them decides
  is undetermined. Where a requirement
  tests a conclusion no rule drew, the check runs once more with them all on (flag ``u``);
- durable-rules' C engine (``durable_rules_engine``) is driven directly, without its Python host:
  no background threads, no JSON decoding of a firing (only its rule name and body index are
  read), no write-back of the session state per firing;
- each ruleset has one session, which every check leaves empty by retracting its facts, instead
  of creating and deleting a session per check (a new session allocates and clears several KB
  per engine rule).

Facts, not events (events are consumed by the first matching rule). Rulesets are registered once
per process and pack. durable-rules cannot create a
ruleset of 512 rules or more, so a larger pack is split: each part holds every conclusion rule
(so that each part draws the conclusions its requirements need) and a share of the requirements.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import durable_rules_engine as _dre  # type: ignore[import-not-found]

from .bounds import MAX_FACT
from .engine import EngineError, Judgement, PerPack, ScopeKey, record_conclusion, register
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


# what a firing of an engine rule does: (kind, whether it needs the body index, what it concerns)
_NOOP, _APPLIES, _OUTCOME, _CONCLUDE = range(4)
_Action = tuple[int, bool, Any]


@dataclass
class _Part:
    """One registered ruleset: its C handle and the "run" text (kind|key|outcome) of each of its
    engine rules."""

    name: str
    handle: int
    runs: dict[str, str]
    joined: frozenset[str]  # the conclusions some rule of this ruleset joins on


@dataclass
class _Compiled:
    pack: Pack
    parts: list[_Part]
    rules: dict[str, Rule]
    # (fact name, its engine field as JSON: ``,"f_…":``) the municipality rules test
    m_fields: list[tuple[str, str]]
    b_fields: list[tuple[str, str]]  # the same for body rules
    # per part: engine rule name -> what its firing does, resolved against this pack
    actions: list[dict[str, _Action]] = dc_field(default_factory=list)
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
    # per scope, for settling: (requirement id, configuration facts it tests, conclusions it
    # tests, whether it settles from what did not fire, its applies group)
    m_settle: list[tuple[str, frozenset[str], tuple[str, ...], bool, int | None]] = dc_field(default_factory=list)
    b_settle: list[tuple[str, frozenset[str], tuple[str, ...], bool, int | None]] = dc_field(default_factory=list)
    # the missing facts of a scope -> the flags its fact carries (see _message)
    m_flags: dict[frozenset[str], list[str]] = dc_field(default_factory=dict)
    b_flags: dict[frozenset[str], list[str]] = dc_field(default_factory=dict)
    # a derived fact's id -> (its JSON, the JSON that retracts it)
    derived_texts: dict[str, tuple[str, str]] = dc_field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [part.name for part in self.parts]


class _Run:
    __slots__ = ("applies", "asserted", "compiled", "errors", "judgement")

    def __init__(self, compiled: _Compiled) -> None:
        self.compiled = compiled
        self.judgement = Judgement(engine=ENGINE_NAME)
        self.applies: set[tuple[int, ScopeKey]] = set()
        self.errors: list[str] = []
        # the derived facts asserted in the current session: id -> the JSON that retracts it
        self.asserted: dict[str, str] = {}


# Facts are written with their id first, so that the body index of the fact a firing matched as
# "x" is read from the firing's message without decoding it: durable-rules hands back the text of
# each matched fact as it was asserted, and inside that text every quote of a value is escaped.
_SELF_BODY = '"x":{"id":"b'
_COMPACT = (",", ":")
# letters beyond ASCII stay as they are, as in the rules (durable-rules compares the bytes)
_json_string = json.encoder.encode_basestring
# Every check runs in its ruleset's one session, durable-rules' default (facts without a "sid"),
# and leaves it empty: see _check.
_SESSION = "0"


def _body_of(message: str) -> int:
    start = message.find(_SELF_BODY)
    if start < 0:  # not our layout: decode it
        return int(json.loads(message)[message[2:message.index('"', 2)]][SELF]["body"])
    start += len(_SELF_BODY)
    return int(message[start:message.index('"', start)])


def _engine_error(pack: Pack, e: Exception) -> EngineError:
    return EngineError(f"durable-rules failed on pack {pack.id}: {e}")


def _derived_texts(compiled: _Compiled, fact_id: str, name: str, at: ScopeKey, value: FactValue) -> tuple[str, str]:
    texts = compiled.derived_texts[fact_id] = (
        json.dumps({"id": fact_id, "t": "d", "n": name, "body": at, "v": value}, separators=_COMPACT, ensure_ascii=False),
        json.dumps({"id": fact_id}, separators=_COMPACT, ensure_ascii=False))
    return texts


def _session(compiled: _Compiled, part: int, facts_text: str, run: _Run) -> None:
    """Assert a check's facts in one batch and run every action that fires, through
    durable-rules' C engine directly: each firing's message is read only for its rule's name and
    (for body rules) the body index. A conclusion's derived facts are collected while actions are
    pending and asserted together when none is left, which starts the next round of firings,
    until no conclusion adds a fact (the forward chaining)."""
    handle = compiled.parts[part].handle
    actions = compiled.actions[part]
    texts = compiled.derived_texts
    judgement = run.judgement
    outcomes = judgement.outcomes
    asserted = run.asserted
    pending: list[str] = []
    text = facts_text
    while True:
        code, state = _dre.assert_facts(handle, text)
        if code:  # 1: a fact no rule keeps, 2: the same fact twice; neither may happen
            raise EngineError(f"durable-rules failed on pack {compiled.pack.id}: code {code} asserting {text[:200]}")
        started = _dre.start_action_for_state(handle, state)
        message: str | None = started[1] if started else None
        while message:
            kind, needs_body, what = actions[message[2:message.index('"', 2)]]
            body = _body_of(message) if needs_body else None
            if kind == _OUTCOME:
                outcomes[(what[0], body)] = what[1]
            elif kind == _APPLIES:
                run.applies.add((what, body))
            elif kind == _CONCLUDE:
                try:
                    record_conclusion(judgement, what[0], body)
                except EngineError as e:
                    run.errors.append(str(e))
                for name, value, body_scoped in what[1]:
                    at = body if body_scoped else -1
                    fact_id = f"d|{name}|{at}|{value}"
                    if fact_id not in asserted:  # the same fact twice: durable-rules refuses it
                        fact, retract = texts.get(fact_id) or _derived_texts(compiled, fact_id, name, at, value)
                        asserted[fact_id] = retract
                        pending.append(fact)
            message = _dre.complete_and_start_action(handle, state)
        if not pending:
            return
        text = f"[{','.join(pending)}]"
        pending.clear()


def _check(compiled: _Compiled, part: int, facts_text: str, retract_text: str, run: _Run) -> None:
    """One check in one ruleset's session, which is emptied afterwards by retracting every fact
    the check asserted. Creating and deleting a session per check cost more than the rest of the
    check (durable-rules allocates and clears several KB per rule for every new session,
    measured); an emptied session holds nothing of the check before it (the agreement tests
    judge thousands of configurations in a row). On any failure the session is deleted, and
    durable-rules starts a new one with the next fact."""
    handle = compiled.parts[part].handle
    run.asserted.clear()
    with _LOCK:
        try:
            _session(compiled, part, facts_text, run)
            derived = run.asserted.values()
            text = f"[{retract_text},{','.join(derived)}]" if derived else f"[{retract_text}]"
            code, _state = _dre.retract_facts(handle, text)
            if code:
                raise EngineError(f"durable-rules failed on pack {compiled.pack.id}: code {code} emptying its session")
        except BaseException as e:
            with contextlib.suppress(Exception):  # the state may not exist if the first assert failed
                _dre.delete_state(handle, _SESSION)
            if isinstance(e, _dre.error):
                raise _engine_error(compiled.pack, e) from None
            raise


_REGISTERED: dict[str, _Part] = {}
_LOCK = threading.Lock()


def _register(pack: Pack, definitions: list[dict[str, Any]]) -> list[_Part]:
    """Rulesets cannot be removed once registered, so each name carries its content: a changed
    pack (a test's variant) gets its own rulesets instead of stale ones.

    The rulesets are created in durable-rules' C engine directly, without its Python ``Host``:
    that host starts two self-renewing ``threading.Timer`` chains, one of which took the next
    pending action of *any* session every 0.2 s and ran it on its own thread, outside our lock.
    When it fired between two steps of a check it ran one of the check's actions itself (the
    result was lost, the requirement shown as undetermined) or ran while the check deleted its
    session (engine error 307, "node deleted"). Here every action runs in the check that caused
    it, under ``_LOCK``, and nothing runs in the background."""
    parts = []
    with _LOCK:
        for definition in definitions:
            text = json.dumps(definition, sort_keys=True, default=str)
            name = f"{pack.id}_{hashlib.sha256(text.encode()).hexdigest()[:12]}"
            part = _REGISTERED.get(name)
            if part is None:
                rules = json.loads(text)
                runs = {rule_name: rule.pop("run") for rule_name, rule in rules.items()}
                joined = frozenset(test["n"] for rule in rules.values() for binding in rule["all"]
                                   for pattern in binding.values() for test in pattern.get("$and", ())
                                   if isinstance(test, dict) and "n" in test)
                try:
                    handle = _dre.create_ruleset(name, json.dumps(rules, ensure_ascii=False))
                except Exception as e:  # durable-rules' limits, e.g. error 107: too many existence tests
                    raise CompileError(f"pack {pack.id}: durable-rules refuses its rules: {e}") from None
                # durable-rules crashes (SIGSEGV) deleting a session in a ruleset that has never
                # run an action (measured): run one now
                _code, state = _dre.assert_fact(handle, json.dumps({"id": "w", "sid": "warm-up", "t": "w"}))
                if _dre.start_action_for_state(handle, state):
                    _dre.complete_and_start_action(handle, state)
                _dre.delete_state(handle, "warm-up")
                part = _REGISTERED[name] = _Part(name=name, handle=handle, runs=runs, joined=joined)
            parts.append(part)
    return parts


def _actions(pack: Pack, part: _Part, rules: dict[str, Rule]) -> dict[str, _Action]:
    scope_of_group = {group: scope for (scope, _), group in applies_groups(pack).items()}
    out: dict[str, _Action] = {}
    for rule_name, run in part.runs.items():
        kind, key, outcome = run.split("|")
        if kind == "noop":
            out[rule_name] = (_NOOP, False, None)
        elif kind == "applies":
            out[rule_name] = (_APPLIES, scope_of_group[int(key)] == "body", int(key))
        elif kind == "outcome":
            out[rule_name] = (_OUTCOME, rules[key].spec.scope == "body", (key, outcome))
        else:
            rule = rules[key]
            # a conclusion no rule joins on is recorded, not asserted: nothing would match it
            derived = tuple((name, value, pack.conclusion_specs[name].scope == "body")
                            for name, value in (rule.spec.conclude or {}).items() if name in part.joined)
            out[rule_name] = (_CONCLUDE, rule.spec.scope == "body", (rule, derived))
    return out


def ruleset_name(pack: Pack) -> str:
    """The first (usually only) ruleset of a pack."""
    return _register(pack, compile_rulesets(pack))[0].name


def _tested(pack: Pack, rules: list[Rule]) -> list[tuple[str, str]]:
    names: dict[str, None] = {}
    for r in rules:
        for c in r.conditions():
            for n in facts_in(c):
                if not pack.is_conclusion(n):
                    names[n] = None
    return [(n, f",{json.dumps(field(n), ensure_ascii=False)}:") for n in names]


def _compile(pack: Pack) -> _Compiled:
    parts = _register(pack, compile_rulesets(pack))
    m_rules = [r for r in pack.rules if r.spec.scope == "municipality"]
    b_rules = [r for r in pack.rules if r.spec.scope == "body"]
    rules = {r.id: r for r in pack.rules}
    compiled = _Compiled(pack=pack, parts=parts, rules=rules, actions=[_actions(pack, part, rules) for part in parts],
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
        (compiled.b_settle if rule.spec.scope == "body" else compiled.m_settle).append((
            rule.id, frozenset(compiled.config_facts[rule.id]), tuple(compiled.tests_conclusions[rule.id]),
            compiled.settles[rule.id], compiled.group[rule.id]))
    return compiled


MAX_FLAGS = 100  # a fact holds at most 255 fields; beyond this many flags, all gated rules go on
_FLAG_MEMO = 4096  # distinct sets of missing facts remembered per scope


def _message(head: str, values: dict[str, FactValue], fields: list[tuple[str, str]],
             gates: list[tuple[str, str, list[str]]], flags_of: dict[frozenset[str], list[str]],
             gate: bool) -> tuple[str, bool]:
    """A fact as JSON (written here: a check's facts are encoded on every check, and the json
    module cost more than the rest of building them), with only the tested fields, flags for the
    requirements that test a missing one; and whether any is missing. ``head``: its first fields,
    the id first (see _SELF_BODY)."""
    parts = [head]
    missing: list[str] = []
    for name, key in fields:
        value = values.get(name)
        if value is None:
            missing.append(name)
        elif value is True:
            parts.append(key + "true")
        elif value is False:
            parts.append(key + "false")
        elif type(value) is int:
            if not -MAX_FACT <= value <= MAX_FACT:
                raise EngineError(f"{name} = {value} is beyond ±{MAX_FACT:,}, the range the engines compute exactly")
            parts.append(f"{key}{value}")
        elif type(value) is str:
            parts.append(key + _json_string(value))
        else:
            parts.append(key + json.dumps(value, ensure_ascii=False))
    if missing and not gate:
        absent = frozenset(missing)
        flags = flags_of.get(absent)
        if flags is None:
            flags = [flag for _, flag, names in gates if not absent.isdisjoint(names)]
            if len(flags_of) < _FLAG_MEMO:
                flags_of[absent] = flags
        if len(flags) > MAX_FLAGS:
            gate = True
        else:
            parts.extend(f',"{flag}":1' for flag in flags)
    if gate:
        parts.append(',"u":1')
    parts.append("}")
    return "".join(parts), bool(missing)


class ReteEngine:
    name = ENGINE_NAME

    def __init__(self) -> None:
        self.compiled = PerPack(_compile)

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
        m_msg, m_incomplete = _message('{"id":"m","t":"m"', facts.municipality, compiled.m_fields, compiled.m_gates,
                                       compiled.m_flags, gate_all)
        msgs = [m_msg]
        b_incomplete: list[bool] = []
        b_fields, b_gates, b_flags = compiled.b_fields, compiled.b_gates, compiled.b_flags
        for i, body in enumerate(facts.bodies):
            msg, incomplete = _message(f'{{"id":"b{i}","t":"b","body":{i}', body, b_fields, b_gates, b_flags, gate_all)
            msgs.append(msg)
            b_incomplete.append(incomplete)
        facts_text = f"[{','.join(msgs)}]"
        retract_text = '{"id":"m"}' + "".join(f',{{"id":"b{i}"}}' for i in range(len(facts.bodies)))
        run = _Run(compiled)
        for part in range(len(compiled.parts)):
            _check(compiled, part, facts_text, retract_text, run)
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
        outcomes, derived, applies = j.outcomes, j.derived, run.applies
        given = incomplete.keys() if incomplete is not None else None
        for rule_id, tested, conclusions, settles, group in (compiled.m_settle if scope is None else compiled.b_settle):
            key = (rule_id, scope)
            if key in outcomes:
                continue
            if gate_all or (given is not None and not tested <= given):
                outcomes[key] = "undetermined"  # every decided outcome had its rules on
                continue
            # every fact the rule tests is known, so its conditions are definite: not violated,
            # it is satisfied where its group applies and not applicable where it does not
            if not settles:
                return False
            for name in conclusions:
                if (name, None) not in derived and (scope is None or (name, scope) not in derived):
                    return False
            outcomes[key] = "satisfied" if group is None or (group, scope) in applies else "not_applicable"
        return True


register("rete", ReteEngine)
