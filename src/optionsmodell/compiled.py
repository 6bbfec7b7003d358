"""The compiled evaluator: a rule pack turned once into Python closures, then judged without
re-reading the rules.

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

_M = MISSING
_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def compile_value(v: Value) -> ValueFn:
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
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        ordered, acyclic = conclusion_order(pack)
        self.acyclic = acyclic
        self.conclusions: list[tuple[Rule, bool, CondFn, tuple[tuple[str, FactValue, bool], ...]]] = []
        for rule in ordered:
            assert rule.when is not None
            body = rule.spec.scope == "body"
            # (name, value, stored per body): where record_conclusion keys what it concluded
            concluded = tuple((n, v, body) for n, v in (rule.spec.conclude or {}).items())
            self.conclusions.append((rule, body, compile_cond(rule.when), concluded))
        self.municipality_rules: list[tuple[str, Callable[[Env], OutcomeName]]] = []
        self.body_rules: list[tuple[str, Callable[[Env], OutcomeName]]] = []
        for rule in pack.requirements():
            target = self.body_rules if rule.spec.scope == "body" else self.municipality_rules
            target.append((rule.id, compile_outcome(rule)))

    def judge(self, facts: FactSet, engine_name: str) -> Judgement:
        j = Judgement(engine=engine_name)
        m_env: Env = dict(facts.municipality)
        b_envs: list[Env] = [dict(b) for b in facts.bodies]
        if self.conclusions:
            self._conclude(j, m_env, b_envs)
        outcomes = j.outcomes
        for rule_id, decide in self.municipality_rules:
            outcomes[(rule_id, None)] = decide(m_env)
        if self.body_rules:
            for i, env in enumerate(b_envs):
                for rule_id, decide in self.body_rules:
                    outcomes[(rule_id, i)] = decide(env)
        return j

    def _conclude(self, j: Judgement, m_env: Env, b_envs: list[Env]) -> None:
        fired: set[tuple[str, ScopeKey]] = set()
        changed = True
        while changed:
            changed = False
            for rule, body, when, concluded in self.conclusions:
                for scope in (range(len(b_envs)) if body else (None,)):
                    if (rule.id, scope) in fired:
                        continue
                    env = m_env if scope is None else b_envs[scope]
                    if when(env) is True:
                        fired.add((rule.id, scope))
                        changed = True
                        record_conclusion(j, rule, scope)
                        for name, value, per_body in concluded:
                            if per_body:
                                b_envs[scope][name] = value  # type: ignore[index]
                            else:
                                m_env[name] = value
                                for b in b_envs:
                                    b[name] = value
            if self.acyclic:
                return


class CompiledEngine:
    """Judges with closures compiled once per pack object (kept, so that its id is never reused)."""

    name = "compiled"

    def __init__(self) -> None:
        self.compiled = PerPack(CompiledPack)

    def judge(self, pack: Pack, facts: FactSet) -> Judgement:
        return self.compiled(pack).judge(facts, self.name)


register("compiled", CompiledEngine)
