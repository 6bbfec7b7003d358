"""The compiled evaluator: a rule pack turned once into Python closures and, once it has judged
enough configurations, into generated Python source (one function judging every requirement of a
scope, one drawing the conclusions), then judged without re-reading the rules.

It has exactly the three-valued semantics of the reference evaluator (``engine.ReferenceEngine``,
``expressions.evaluate``): a fact the configuration does not give is unknown, and unknown
propagates unless the other side of ``and``/``or`` decides. Conclusions are drawn in dependency
order: a conclusion rule runs after every rule that concludes a name it tests. Kleene logic is
monotone (a condition true with some facts unknown stays true when they become known), so one
pass in that order reaches the same fixpoint as the reference's repeated passes; a pack whose
conclusions depend on each other in a cycle is judged by repeated passes, as the reference does.
Explanations are built from the judgement exactly as for every other engine.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from .engine import Judgement, OutcomeName, PerPack, ScopeKey, record_conclusion, register
from .expressions import MISSING, And, Cmp, Cond, Const, Fact, In, Not, Or, Truth, Value, facts_in
from .facts import FactSet, FactValue
from .packs import Pack, Rule

Env = dict[str, Any]
ValueFn = Callable[[Env], Any]
CondFn = Callable[[Env], "bool | None"]


# ---------------------------------------------------------------------------------------------
# First tier: closures, cheap to build

_M = MISSING
_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def compile_value(v: Value) -> ValueFn:
    """A value as a closure: the first tier (see ``CompiledPack``)."""
    if isinstance(v, Const):
        c = v.value
        return lambda env: c
    if isinstance(v, Fact):
        name = v.name
        return lambda env: env.get(name, _M)
    left, right = compile_value(v.left), compile_value(v.right)
    if v.op == "/":
        def div(env: Env) -> Any:
            a = left(env)
            if a is _M:
                return _M
            b = right(env)
            if b is _M or b == 0:
                return _M
            return a / b
        return div
    op = {"+": operator.add, "-": operator.sub, "*": operator.mul}[v.op]

    def arith(env: Env) -> Any:
        a = left(env)
        if a is _M:
            return _M
        b = right(env)
        if b is _M:
            return _M
        return op(a, b)

    return arith


def compile_cond(c: Cond) -> CondFn:
    if isinstance(c, Truth):
        t = c.value
        return lambda env: t
    if isinstance(c, Cmp):
        op = _CMP[c.op]
        if isinstance(c.left, Fact) and isinstance(c.right, Const):
            name, const = c.left.name, c.right.value

            def fact_const(env: Env) -> bool | None:
                x = env.get(name, _M)
                return None if x is _M else op(x, const)
            return fact_const
        if isinstance(c.left, Fact) and isinstance(c.right, Fact):
            ln, rn = c.left.name, c.right.name

            def fact_fact(env: Env) -> bool | None:
                a = env.get(ln, _M)
                if a is _M:
                    return None
                b = env.get(rn, _M)
                return None if b is _M else op(a, b)
            return fact_fact
        left, right = compile_value(c.left), compile_value(c.right)

        def general(env: Env) -> bool | None:
            a = left(env)
            b = right(env)
            if a is _M or b is _M:
                return None
            return op(a, b)
        return general
    if isinstance(c, In):
        name, negated = c.item.name, c.negated
        values = tuple(v.value for v in c.values)

        def member(env: Env) -> bool | None:
            x = env.get(name, _M)
            if x is _M:
                return None
            found = any(x == v for v in values)
            return not found if negated else found
        return member
    if isinstance(c, Not):
        inner = compile_cond(c.item)

        def negation(env: Env) -> bool | None:
            r = inner(env)
            return None if r is None else not r
        return negation
    items = tuple(compile_cond(i) for i in c.items)
    if isinstance(c, And):
        def conjunction(env: Env) -> bool | None:
            result: bool | None = True
            for f in items:
                r = f(env)
                if r is False:
                    return False
                if r is None:
                    result = None
            return result
        return conjunction
    assert isinstance(c, Or)

    def disjunction(env: Env) -> bool | None:
        result: bool | None = False
        for f in items:
            r = f(env)
            if r is True:
                return True
            if r is None:
                result = None
        return result
    return disjunction


def compile_outcome(rule: Rule) -> Callable[[Env], OutcomeName]:
    """The same decision as ``engine.outcome_of``."""
    assert rule.requires is not None
    requires = compile_cond(rule.requires)
    if rule.applies is None:
        def unconditional(env: Env) -> OutcomeName:
            h = requires(env)
            if h is None:
                return "undetermined"
            return "satisfied" if h else "violated"
        return unconditional
    applies = compile_cond(rule.applies)

    def conditional(env: Env) -> OutcomeName:
        a = applies(env)
        if a is False:
            return "not_applicable"
        h = requires(env)
        if a is None or h is None:
            return "undetermined"
        return "satisfied" if h else "violated"
    return conditional


# ---------------------------------------------------------------------------------------------
# Second tier: generated source, cheaper to run


class _Source:
    """Python source for the conditions of one function: each fact read once into a local, each
    constant a name in the function's globals (no text from a pack ever becomes source), every
    intermediate result a fresh local. Three-valued: a condition is True, False or None (unknown),
    a value is the value or ``M`` (missing), exactly as ``expressions.evaluate``."""

    def __init__(self, names: dict[str, Any]) -> None:
        self.names = names  # shared by every function of a pack: f<i> fact names, c<i> constants
        self.facts: dict[str, str] = {}  # fact name -> its local in this function
        self.temps = 0

    def _global(self, prefix: str, value: Any) -> str:
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def constant(self, value: Any) -> str:
        return self._global("c", value)

    def _temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def fact(self, name: str) -> str:
        if name not in self.facts:
            self.facts[name] = f"v{len(self.facts)}"
        return self.facts[name]

    def preamble(self, indent: str) -> list[str]:
        return [f"{indent}{local} = _get({self._global('f', name)}, M)" for name, local in self.facts.items()]

    def value(self, v: Value) -> tuple[str, bool]:
        """The code of a value, and whether it may be missing."""
        if isinstance(v, Const):
            return self.constant(v.value), False
        if isinstance(v, Fact):
            return self.fact(v.name), True
        (a, b), tests = self.operands(v.left, v.right)
        if v.op == "/":
            tests.append(f"{b} == 0")
        if not tests:
            return f"({a} {v.op} {b})", False
        return f"(M if {' or '.join(tests)} else {a} {v.op} {b})", True

    def operands(self, *values: Value) -> tuple[list[str], list[str]]:
        """Each value as a name to use, and the tests that any of them is missing (a computed value
        is bound to a local by its test, so that it is computed once)."""
        uses: list[str] = []
        tests: list[str] = []
        for v in values:
            code, missing = self.value(v)
            if code.isidentifier():
                uses.append(code)
                if missing:
                    tests.append(f"{code} is M")
            else:
                t = self._temp()
                uses.append(t)
                tests.append(f"({t} := {code}) is M")
        return uses, tests

    def cond(self, c: Cond) -> str:
        if isinstance(c, Truth):
            return "True" if c.value else "False"
        if isinstance(c, Cmp):
            (a, b), tests = self.operands(c.left, c.right)
            if not tests:
                return f"({a} {c.op} {b})"
            return f"(None if {' or '.join(tests)} else {a} {c.op} {b})"
        if isinstance(c, In):
            x = self.fact(c.item.name)
            found = " or ".join(f"{x} == {self.constant(v.value)}" for v in c.values) or "False"
            return f"(None if {x} is M else {'not ' if c.negated else ''}({found}))"
        if isinstance(c, Not):
            t = self._temp()
            return f"(None if ({t} := {self.cond(c.item)}) is None else not {t})"
        temps = [self._temp() for _ in c.items]
        codes = [self.cond(i) for i in c.items]
        # and: False if any is False, else unknown if any is unknown; or: the mirror image. The
        # first test stops at the deciding item, as the reference evaluator does.
        decide, other = ("False", "True") if isinstance(c, And) else ("True", "False")
        first = " or ".join(f"({t} := {code}) is {decide}" for t, code in zip(temps, codes, strict=True))
        unknown = " or ".join(f"{t} is None" for t in temps)
        return f"({decide} if {first} else (None if {unknown} else {other}))"


_OUTCOME_NAMES = {"S": "satisfied", "V": "violated", "NA": "not_applicable", "U": "undetermined"}


def _function(name: str, src: _Source, body: list[str]) -> str:
    return "\n".join([f"def {name}(env):", "    _get = env.get", *src.preamble("    "), *body])


def _outcomes_source(name: str, rules: list[Rule], names: dict[str, Any]) -> str:
    """One function judging every rule of a scope on one environment: a tuple of outcome names,
    in the rules' order. The same decision as ``engine.outcome_of``; rules with the same
    ``applies`` condition (most of a pack's rules apply to one kind of body) share its value, and
    where it is false none of their ``requires`` is evaluated."""
    src = _Source(names)
    groups: dict[Cond | None, list[int]] = {}
    for n, rule in enumerate(rules):
        groups.setdefault(rule.applies, []).append(n)
    body: list[str] = []
    for applies, members in groups.items():
        decide = []
        for n in members:
            requires = rules[n].requires
            assert requires is not None
            decide += [f"h = {src.cond(requires)}",
                       f"o{n} = U if h is None else (S if h else V)" if applies is None
                       else f"o{n} = U if a is None or h is None else (S if h else V)"]
        if applies is None:
            body += [f"    {line}" for line in decide]
        else:
            body += [f"    a = {src.cond(applies)}", "    if a is False:",
                     f"        {' = '.join(f'o{n}' for n in members)} = NA", "    else:",
                     *(f"        {line}" for line in decide)]
    body.append(f"    return ({''.join(f'o{n}, ' for n in range(len(rules)))})")
    return _function(name, src, body)


def _conclusions_source(name: str, rules: list[Rule], names: dict[str, Any]) -> str:
    """One function drawing every conclusion in dependency order, each rule once per scope (an
    acyclic pack): what a rule concludes goes into the judgement as ``record_conclusion`` stores
    it (which is asked where a name was concluded before: the same value again, or a
    contradiction), and into the environments of the rules after it."""
    lines = [f"def {name}(j, m_env, b_envs):", "    derived = j.derived", "    derived_by = j.derived_by"]
    for rule in rules:
        assert rule.when is not None
        src = _Source(names)
        when = src.cond(rule.when)
        rule_ref, rule_id = src.constant(rule), src.constant(rule.id)
        concluded = [(n, src.constant(n), src.constant(v)) for n, v in (rule.spec.conclude or {}).items()]
        body = rule.spec.scope == "body"
        if body:
            indent, scope = "        ", "i"
            lines += ["    for i, env in enumerate(b_envs):", "        _get = env.get"]
            keys = [f"({n}, i)" for _, n, _ in concluded]
        else:
            indent, scope = "    ", "None"
            lines += ["    _get = m_env.get"]
            keys = [src.constant((text, None)) for text, _, _ in concluded]
        lines += src.preamble(indent)
        lines += [f"{indent}if {when} is True:",
                  f"{indent}    if {' or '.join(f'{k} in derived' for k in keys) or 'False'}:",
                  f"{indent}        record(j, {rule_ref}, {scope})",
                  f"{indent}    else:"]
        lines += [f"{indent}        derived[{k}] = {c}" for k, (_, _, c) in zip(keys, concluded, strict=True)]
        lines += [f"{indent}        derived_by[{k}] = [{rule_id}]" for k in keys]
        lines += [f"{indent}        pass"]
        if body:
            lines += [f"{indent}    env[{n}] = {c}" for _, n, c in concluded]
        else:
            lines += [f"{indent}    m_env[{n}] = {c}" for _, n, c in concluded]
            if concluded:
                lines += [f"{indent}    for b in b_envs:"]
                lines += [f"{indent}        b[{n}] = {c}" for _, n, c in concluded]
    return "\n".join(lines)


def conclusion_order(pack: Pack) -> tuple[list[Rule], bool]:
    """Conclusion rules so that each comes after the rules concluding what it tests, and whether
    that order exists (False: a cycle, judged by repeated passes)."""
    rules = pack.conclusions()
    producers: dict[str, list[int]] = {}
    for i, r in enumerate(rules):
        for name in r.spec.conclude or {}:
            producers.setdefault(name, []).append(i)
    needs = [sorted({p for n in (facts_in(r.when) if r.when is not None else []) for p in producers.get(n, [])})
             for r in rules]
    order: list[int] = []
    state = [0] * len(rules)  # 0 new, 1 on the path, 2 placed

    def visit(i: int) -> bool:
        if state[i] == 2:
            return True
        if state[i] == 1:
            return False
        state[i] = 1
        for j in needs[i]:
            if not visit(j):
                return False
        state[i] = 2
        order.append(i)
        return True

    for i in range(len(rules)):
        if not visit(i):
            return rules, False
    return [rules[i] for i in order], True


class CompiledPack:
    """A pack ready to judge, in two tiers as a JIT compiler has them: closures, built in a fraction of
    a millisecond, judge its first judgements (a single check judges one); once it has judged
    ``generate_after`` of them (a batch, explore), Python source is generated for the whole pack and
    compiled (a few milliseconds), which then judges in about half the time. Both tiers decide
    alike (tests/test_engine_agreement.py, tests/test_synthetic_agreement.py judge with each)."""

    def __init__(self, pack: Pack, generate_after: int | None = 32) -> None:
        self.pack = pack
        ordered, acyclic = conclusion_order(pack)
        self.acyclic = acyclic
        self.ordered = ordered
        self.conclusions: list[tuple[Rule, bool, CondFn, tuple[tuple[str, FactValue], ...]]] = [
            (rule, rule.spec.scope == "body", compile_cond(rule.when), tuple((rule.spec.conclude or {}).items()))
            for rule in ordered if rule.when is not None]
        self.municipality = [r for r in pack.requirements() if r.spec.scope != "body"]
        self.body = [r for r in pack.requirements() if r.spec.scope == "body"]
        self.municipality_rules = [(r.id, compile_outcome(r)) for r in self.municipality]
        self.body_rules = [(r.id, compile_outcome(r)) for r in self.body]
        self.municipality_keys: list[tuple[str, ScopeKey]] = [(r.id, None) for r in self.municipality]
        self.body_keys: list[list[tuple[str, ScopeKey]]] = []  # per body index
        self.left = generate_after  # judgements until the second tier; None: never
        self.generated: _Generated | None = None
        if generate_after == 0:
            self._second_tier()

    def _second_tier(self) -> _Generated | None:
        try:
            self.generated = _Generated(self)
        except (SyntaxError, RecursionError, MemoryError):
            # beyond what Python's compiler takes (the bounds on a condition keep every pack far
            # from it): the closures go on judging, alike
            self.left = None
        return self.generated

    def _keys_of_body(self, i: int) -> list[tuple[str, ScopeKey]]:
        while len(self.body_keys) <= i:
            n = len(self.body_keys)
            self.body_keys.append([(r.id, n) for r in self.body])
        return self.body_keys[i]

    def judge(self, facts: FactSet, engine_name: str) -> Judgement:
        j = Judgement(engine=engine_name)
        m_env: Env = dict(facts.municipality)
        b_envs: list[Env] = [dict(b) for b in facts.bodies]
        generated = self.generated
        if generated is None and self.left is not None:
            self.left -= 1
            if self.left < 0:
                generated = self._second_tier()
        outcomes = j.outcomes
        if generated is not None:
            if generated.conclude is not None:
                generated.conclude(j, m_env, b_envs)
            elif self.conclusions:
                self._conclude(j, m_env, b_envs)
            outcomes.update(zip(self.municipality_keys, generated.municipality_outcomes(m_env), strict=True))
            if self.body:
                for i, env in enumerate(b_envs):
                    outcomes.update(zip(self._keys_of_body(i), generated.body_outcomes(env), strict=True))
            return j
        if self.conclusions:
            self._conclude(j, m_env, b_envs)
        for rule_id, decide in self.municipality_rules:
            outcomes[(rule_id, None)] = decide(m_env)
        if self.body_rules:
            for i, env in enumerate(b_envs):
                for rule_id, decide in self.body_rules:
                    outcomes[(rule_id, i)] = decide(env)
        return j

    def _conclude(self, j: Judgement, m_env: Env, b_envs: list[Env]) -> None:
        """In dependency order, each rule once per scope; repeated passes where the conclusions
        depend on each other in a cycle, as the reference evaluator does."""
        fired: set[tuple[str, ScopeKey]] = set()
        changed = True
        while changed:
            changed = False
            for rule, body, when, concluded in self.conclusions:
                for scope in (range(len(b_envs)) if body else (None,)):
                    if (rule.id, scope) in fired:
                        continue
                    if when(m_env if scope is None else b_envs[scope]) is True:
                        fired.add((rule.id, scope))
                        changed = True
                        _record(j, rule, scope, concluded, m_env, b_envs)
            if self.acyclic:
                return


class _Generated:
    """The second tier: the pack as generated Python source, compiled."""

    def __init__(self, compiled: CompiledPack) -> None:
        names: dict[str, Any] = {"M": MISSING, "record": record_conclusion, **_OUTCOME_NAMES}
        sources = [_outcomes_source("municipality_outcomes", compiled.municipality, names),
                   _outcomes_source("body_outcomes", compiled.body, names)]
        if compiled.acyclic:
            sources.append(_conclusions_source("conclude", compiled.ordered, names))
        code = compile("\n\n".join(sources), f"<compiled pack {compiled.pack.id}>", "exec")
        # our own source: a pack's text is only ever a value in `names`, never code
        exec(code, names)
        self.municipality_outcomes: Callable[[Env], tuple[OutcomeName, ...]] = names["municipality_outcomes"]
        self.body_outcomes: Callable[[Env], tuple[OutcomeName, ...]] = names["body_outcomes"]
        # None where the conclusions depend on each other in a cycle (judged by repeated passes)
        self.conclude: Callable[[Judgement, Env, list[Env]], None] | None = names.get("conclude")


def _record(j: Judgement, rule: Rule, scope: ScopeKey, concluded: tuple[tuple[str, FactValue], ...],
            m_env: Env, b_envs: list[Env]) -> None:
    """What a rule concluded, into the judgement and into the environments of the rules after it."""
    record_conclusion(j, rule, scope)
    for name, value in concluded:
        if scope is not None:
            b_envs[scope][name] = value
        else:
            m_env[name] = value
            for b in b_envs:
                b[name] = value


class CompiledEngine:
    """Judges with functions compiled once per pack object (kept, so that its id is never reused).
    ``generate_after``: judgements of a pack before its source is generated (0: at once; None:
    never), see ``CompiledPack``."""

    name = "compiled"

    def __init__(self, generate_after: int | None = 32) -> None:
        self.compiled = PerPack(lambda pack: CompiledPack(pack, generate_after))

    def judge(self, pack: Pack, facts: FactSet) -> Judgement:
        return self.compiled(pack).judge(facts, self.name)


register("compiled", CompiledEngine)
