"""What in a pack can never hold together, never apply or never matter (`explore consistency`):
an exact enumeration over a bounded domain of the facts each rule, and each pair of rules, rests on.

Its own module, apart from sweep and diff, so that the command imports only what it needs: it
judges packs, not configurations (no configuration model, no verdict policy, no search).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any

from .engine import Engine, PerPack, fastest_engine
from .expressions import Cmp, Const, Fact, In, atoms, evaluate, facts_in
from .facts import CATALOG, FactSet, FactValue
from .i18n import message
from .packs import Pack, Rule


@dataclass
class Report:
    pack: str
    unused_conclusions: list[str] = field(default_factory=list)
    never_concluded_values: list[tuple[str, str, str]] = field(default_factory=list)  # rule, conclusion, value
    kinds_unspoken: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)
    never_violated: list[str] = field(default_factory=list)
    contradictions: list[tuple[str, str, str]] = field(default_factory=list)  # kind, rule, rule
    domain_note: str = ""
    engine: str = ""


def _kinds_named(rule: Rule) -> set[str] | None:
    """The kinds a rule names in `body.kind` tests; None if it names none (applies to every kind)."""
    named: set[str] = set()
    for cond in rule.conditions():
        for atom in atoms(cond):
            if isinstance(atom, In) and atom.item.name == "body.kind":
                named.update(str(v.value) for v in atom.values)
            elif isinstance(atom, Cmp) and isinstance(atom.left, Fact) and atom.left.name == "body.kind" and isinstance(atom.right, Const):
                named.add(str(atom.right.value))
    return named or None


def _dependencies(pack: Pack, names: Iterable[str], seen: set[str] | None = None) -> list[str]:
    """Configuration facts a set of names rests on, through the conclusions that derive them."""
    seen = seen if seen is not None else set()
    out: list[str] = []
    for n in names:
        if n in seen:
            continue
        seen.add(n)
        if pack.is_conclusion(n):
            for r in pack.conclusions():
                if n in (r.spec.conclude or {}) and r.when is not None:
                    out.extend(x for x in _dependencies(pack, facts_in(r.when), seen) if x not in out)
        elif n not in out:
            out.append(n)
    return out


def _comparisons(pack: Pack) -> dict[str, list[Cmp]]:
    """Each name's comparisons in the pack's rules, in the rules' order (as often as they occur)."""
    found: dict[str, list[Cmp]] = {}
    for r in pack.rules:
        for cond in r.conditions():
            for atom in atoms(cond):
                if isinstance(atom, Cmp):
                    for n in facts_in(atom):
                        found.setdefault(n, []).append(atom)
    return found


_COMPARISONS: PerPack[dict[str, list[Cmp]]] = PerPack(_comparisons)


def _domain(pack: Pack, name: str) -> list[FactValue]:
    spec = CATALOG[name]
    if spec.type == "bool":
        return [False, True]
    if spec.type == "str":
        strings: list[FactValue] = list(spec.values) or ["x"]
        if name == "body.kind":
            strings = [*pack.kinds, *[k for k in spec.values if k not in pack.kinds][:1]]
        return strings
    constants: set[int] = set()
    compared_to_facts = False
    for atom in _COMPARISONS(pack).get(name, ()):
        for side in (atom.left, atom.right):
            if isinstance(side, Const) and isinstance(side.value, int) and not isinstance(side.value, bool):
                constants.add(side.value)
            elif not (isinstance(side, Fact) and side.name == name):
                compared_to_facts = True
    if spec.type == "date":
        return [730000, 737000, 737001]
    values = {0, 1, 2} | {c + d for c in constants for d in (-1, 0, 1) if c + d >= 0}
    if compared_to_facts:
        values |= set(range(0, 9))
    return sorted(values)


def _assignments(pack: Pack, names: list[str], limit: int,
                 known: dict[str, list[FactValue]] | None = None) -> Iterable[dict[str, FactValue]]:
    found = _combos(pack, names, limit, known)
    if found is None:
        return []
    order, combos = found
    return (dict(zip(order, combo, strict=True)) for combo in combos)


Space = tuple[list[str], list[list[FactValue]]]  # facts and the values each takes


def _space(pack: Pack, names: list[str], limit: int, known: dict[str, list[FactValue]] | None = None,
           classes: _ValueClasses | None = None, among: list[str] | None = None) -> Space | None:
    """The values of ``names`` to enumerate over their bounded domains; None if there are more than
    ``limit`` combinations (the question is skipped). With ``classes``, each fact takes one value
    of each class of values its rules cannot tell apart (``_ValueClasses``): the same outcomes,
    from fewer combinations; ``limit`` still counts the whole domains, so that the same questions
    are skipped. ``among``: the facts of the whole question, when ``names`` are part of it (a side
    of a pair of rules), so that a fact takes the same values in every part."""
    known = {} if known is None else known  # each fact's domain, computed once per pack
    domains = [known[n] if n in known else known.setdefault(n, _domain(pack, n)) for n in names]
    total = 1
    for d in domains:
        total *= len(d)
    if total > limit:
        return None
    if classes is not None:
        ties = _bounds(names if among is None else among)
        role = {part: min for part, _ in ties} | {whole: max for _, whole in ties}
        domains = [classes.representatives(n, d, role.get(n)) for n, d in zip(names, domains, strict=True)]
    return names, domains


def _product(space: Space) -> tuple[list[str], Iterator[tuple[FactValue, ...]]]:
    """Every combination of a space's values that the configuration format allows (``_bounds``),
    and the order of the facts in each: each bound pair first, then the facts no bound ties, in
    their order. The pairs within their bound are listed once, not filtered out of the whole
    product combination by combination."""
    names, domains = space
    pairs = _bounds(names)
    if not pairs:
        return names, itertools.product(*domains)
    values = dict(zip(names, domains, strict=True))
    tied = [n for pair in pairs for n in pair]
    if len(set(tied)) < len(tied):  # a fact in two bounds (the format has none): filter the product
        at = {n: i for i, n in enumerate(names)}
        checks = [(at[part], at[whole]) for part, whole in pairs]
        return names, (combo for combo in itertools.product(*domains)
                       if not any(isinstance(combo[i], int) and isinstance(combo[j], int) and combo[i] > combo[j]  # type: ignore[operator]
                                  for i, j in checks))
    free = [n for n in names if n not in tied]
    within = itertools.product(*(
        [(p, w) for p in values[part] for w in values[whole]
         if not (isinstance(p, int) and isinstance(w, int) and p > w)] for part, whole in pairs))
    if len(pairs) == 1:
        bound: Iterable[tuple[FactValue, ...]] = (pw for (pw,) in within)
    else:
        bound = (tuple(v for pw in combo for v in pw) for combo in within)
    if not free:
        return tied, iter(bound)
    # the bound pairs lazily (a rule's enumeration may stop early), the free facts' values listed
    rest = list(itertools.product(*(values[n] for n in free)))
    return [*tied, *free], (b + f for b in bound for f in rest)


def _combos(pack: Pack, names: list[str], limit: int, known: dict[str, list[FactValue]] | None = None,
            classes: _ValueClasses | None = None) -> tuple[list[str], Iterator[tuple[FactValue, ...]]] | None:
    """The facts of ``names`` in the order the combinations give them, and every combination the
    format allows over their bounded domains (``_space``, ``_product``); None if skipped."""
    space = _space(pack, names, limit, known, classes)
    return None if space is None else _product(space)


# facts whose value the enumeration does not pass to the engine as is: the body's kind decides
# body.kind_provided (``_factset``), and the index is the body's place
_NOT_CLASSED = frozenset({"body.kind", "body.kind_provided", "body.index"})


class _ValueClasses:
    """Which values of a fact the rules at hand cannot tell apart.

    A judgement is a function of the truth values (true, false, unknown) of the comparisons in the
    conditions it evaluates: a requirement's ``applies`` and ``requires`` and the ``when`` of every
    conclusion rule they rest on (``_closure``). If every such comparison that mentions a fact
    mentions no other fact, two values of it that give each of those comparisons the same truth
    value give every condition, so every conclusion and the outcome, the same value, whatever the
    other facts are. One value per class then yields the same set of outcomes as the whole domain.

    The format's bounds (filled ≤ seats, part ≤ whole, ``_bounds``) are the only other tie
    between facts: a pair (p, w) with p ≤ w has p's class represented by its smallest value and
    w's by its largest, so min(class of p) ≤ p ≤ w ≤ max(class of w) and every pair of classes
    the whole domains allow together is still allowed. A fact compared with another fact (or in
    arithmetic with one) keeps its whole domain."""

    def __init__(self, atoms: Iterable[Cmp | In],
                 seen: dict[tuple[Any, ...], list[FactValue]] | None = None) -> None:
        # what was found for a fact, its comparisons, its side of a bound and its domain, shared by
        # the rules and pairs of one run (they ask about the same facts over and over); keyed by
        # ids of the pack's comparisons and of the run's domains, which live as long as the run
        self.seen = {} if seen is None else seen
        self.atoms: dict[str, list[Cmp | In]] = {}  # fact -> the comparisons that mention it
        self.tied: set[str] = set()  # facts in a comparison with another fact
        for atom in {id(a): a for a in atoms}.values():  # each once (by identity: no deep hashing)
            names = facts_in(atom)
            for n in names:
                self.atoms.setdefault(n, []).append(atom)
            if len(names) > 1:
                self.tied.update(names)

    def joined(self, other: _ValueClasses) -> _ValueClasses:
        """The classes for the rules of both (a pair of rules): the comparisons of both."""
        both = _ValueClasses((), self.seen)
        both.tied = self.tied | other.tied
        both.atoms = dict(self.atoms)
        for n, more in other.atoms.items():
            mine = both.atoms.get(n)
            both.atoms[n] = more if mine is None else [*mine, *(a for a in more if all(a is not b for b in mine))]
        return both

    def representatives(self, name: str, domain: list[FactValue],
                        pick: Callable[[list[FactValue]], FactValue] | None) -> list[FactValue]:
        if name in self.tied or name in _NOT_CLASSED or len(domain) < 2:
            return domain
        atoms_of = self.atoms.get(name, [])
        key = (name, tuple(map(id, atoms_of)), pick, id(domain))
        found = self.seen.get(key)
        if found is None:
            classes: dict[tuple[bool | None, ...], list[FactValue]] = {}
            for v in domain:
                env = {name: v}
                classes.setdefault(tuple(evaluate(a, env) for a in atoms_of), []).append(v)
            kept = {pick(members) if pick is not None else members[0] for members in classes.values()}
            found = self.seen[key] = [v for v in domain if v in kept]
        return found


def _bounds(names: Iterable[str]) -> list[tuple[str, str]]:
    """(part, whole) pairs among these facts that the configuration format keeps in order: filled
    seats never exceed seats, and the applicants of Abs. 3 Satz 1 Nr. 1 are part of all applicants."""
    return list(_bounds_among(frozenset(names)))


@functools.lru_cache(maxsize=4096)  # the same sets of facts are asked about for every pair of rules
def _bounds_among(present: frozenset[str]) -> tuple[tuple[str, str], ...]:
    pairs = [(n, "seats." + n.removeprefix("filled.")) for n in present
             if n.startswith("filled.") and n != "filled.total"]
    pairs.append(("municipality.applicants_foreign_nationals", "municipality.applicants"))
    return tuple(sorted((part, whole) for part, whole in pairs if part in present and whole in present))


def _factset(pack: Pack, values: dict[str, FactValue]) -> FactSet:
    m = {k: v for k, v in values.items() if CATALOG[k].scope == "municipality"}
    b = dict(m)
    b.update({k: v for k, v in values.items() if CATALOG[k].scope == "body"})
    b.setdefault("body.index", 0)
    if "body.kind" in b:
        b["body.kind_provided"] = b["body.kind"] in pack.kinds
    return FactSet(municipality=m, bodies=[b])


def _closure(pack: Pack, rules: Iterable[Rule]) -> tuple[list[str], list[Rule]]:
    """What the outcomes of these requirements can depend on: the configuration facts they read,
    followed through the conclusions (``_dependencies``), and the conclusion rules that may conclude
    any name they read, directly or through other conclusions."""
    names = [n for r in rules for c in (r.applies, r.requires) if c is not None for n in facts_in(c)]
    conclusions: list[Rule] = []
    seen: set[str] = set()
    todo = list(names)
    while todo:
        n = todo.pop()
        if n in seen or not pack.is_conclusion(n):
            continue
        seen.add(n)
        for r in pack.conclusions():
            if n in (r.spec.conclude or {}) and r not in conclusions:
                conclusions.append(r)
                if r.when is not None:
                    todo.extend(facts_in(r.when))
    return _dependencies(pack, names), conclusions


# the cut-down packs, one per pack object and requirement: an engine keeps what it compiled per
# pack object for the life of the process, so repeated runs must hand it the same objects
_SLICES: PerPack[dict[str, Pack]] = PerPack(lambda _: {})


def _slice(pack: Pack, rule: Rule, conclusions: list[Rule]) -> Pack:
    held = _SLICES(pack)
    found = held.get(rule.id)
    if found is None or found.rules != [*conclusions, rule]:
        found = held[rule.id] = replace(pack, rules=[*conclusions, rule])
    return found


@functools.cache
def _closures_only() -> Engine:
    from .compiled import CompiledEngine

    return CompiledEngine(generate_after=None)


def _for_slices(engine: Engine) -> Engine:
    """The compiled evaluator judges each cut-down pack with its closures only: a cut-down pack is
    judged once per distinct value of the few facts it reads (a few dozen times), where the
    second tier's generated source would cost more to build than it saves. Both tiers decide
    alike (tests/test_engine_agreement.py)."""
    return _closures_only() if engine.name == "compiled" else engine


class _RuleOutcome:
    """The outcome of one requirement, judged once per distinct value of the facts it can depend on.

    A requirement's outcome is a function of the facts its conditions read and of the conclusions
    they read, which are functions of the facts their own conditions read (``_closure``). So the
    same values of those facts give the same outcome whatever else the fact set holds, and a pair
    of rules looks up what each rule alone was judged to be. The engine judges a pack cut down to
    the requirement and the conclusion rules it can rest on (the same judgement for this rule as
    the whole pack's, without the work for the others); the Rete engine judges the whole pack,
    since each pack object would become a ruleset durable-rules keeps for the life of the process."""

    def __init__(self, pack: Pack, rule: Rule, engine: Engine) -> None:
        self.rule = rule
        self.scope: int | None = 0 if rule.spec.scope == "body" else None
        reads, conclusions = _closure(pack, [rule])
        self.kinds = set(pack.kinds)
        # the facts of the environment the rule is judged in (``_factset``): a municipality rule
        # sees the municipality's facts only; a body rule all, with the body's index and whether
        # its kind is one the pack provides
        reads = [n for n in dict.fromkeys([*reads, *(["body.kind_provided"] if "body.kind" in reads else [])])
                 if self.scope is not None or CATALOG[n].scope == "municipality"]
        self.plain = [n for n in reads if n not in ("body.kind_provided", "body.index")]
        self.provided = "body.kind_provided" in reads
        self.index = "body.index" in reads
        self.pack = pack if engine.name == "rete" else _slice(pack, rule, conclusions)
        # the configuration facts the outcome rests on, and the comparisons that decide it: those
        # of the rule and of the conclusion rules it rests on (``_ValueClasses``)
        self.names = _dependencies(pack, [n for c in (rule.applies, rule.requires) if c is not None for n in facts_in(c)])
        self.atoms = [a for r in (*conclusions, rule) for c in r.conditions() for a in atoms(c)]
        self.engine = engine
        self.memo: dict[tuple[FactValue | None, ...], str] = {}

    def reader(self, pack: Pack, names: list[str], extra: dict[str, FactValue]) -> Callable[[tuple[FactValue, ...]], str]:
        """The outcome for values of ``names`` given as a tuple (and ``extra`` fixed), with the same
        memo key as ``outcome``: the key is taken from the tuple's places, no fact set is built
        unless the engine must judge."""
        at = {n: i for i, n in enumerate(names)}

        def place(n: str, default: FactValue | None = None) -> tuple[str, Any]:
            return ("i", at[n]) if n in at else ("c", extra.get(n, default))

        parts = [place(n) for n in self.plain]
        if self.provided:
            if "body.kind" in at:
                parts.append(("k", at["body.kind"]))
            elif "body.kind" in extra:
                parts.append(("c", extra["body.kind"] in self.kinds))
            else:
                parts.append(place("body.kind_provided"))
        if self.index:
            parts.append(place("body.index", 0))
        kinds, memo = self.kinds, self.memo
        key_of: Callable[[tuple[FactValue, ...]], tuple[Any, ...]]
        if all(t == "i" for t, _ in parts) and len(parts) >= 2:
            key_of = itemgetter(*(i for _, i in parts))  # a tuple of those places, in C
        else:
            def key_of(combo: tuple[FactValue, ...]) -> tuple[Any, ...]:
                return tuple([combo[v] if t == "i" else (combo[v] in kinds) if t == "k" else v for t, v in parts])

        def read(combo: tuple[FactValue, ...]) -> str:
            key = key_of(combo)
            found = memo.get(key)
            if found is None:
                values = dict(zip(names, combo, strict=True))
                values.update(extra)
                j = self.engine.judge(self.pack, _factset(pack, values))
                found = memo[key] = j.outcomes[(self.rule.id, self.scope)]
            return found
        return read

    def outcome(self, pack: Pack, values: dict[str, FactValue]) -> str:
        key = tuple(map(values.get, self.plain))
        if self.provided:
            kind = values.get("body.kind")
            key += (values.get("body.kind_provided") if kind is None else kind in self.kinds,)
        if self.index:
            key += (values.get("body.index", 0),)
        found = self.memo.get(key)
        if found is None:
            j = self.engine.judge(self.pack, _factset(pack, values))
            found = self.memo[key] = j.outcomes[(self.rule.id, self.scope)]
        return found


def _size_over(pack: Pack, names: list[str], known: dict[str, list[FactValue]]) -> int:
    total = 1
    for n in names:
        total *= len(known[n] if n in known else known.setdefault(n, _domain(pack, n)))
    return total


def _sides(names: list[str], first: set[str], second: set[str]) -> tuple[list[str], list[str], list[str]]:
    """The facts to enumerate for each of two rules (in the order of ``names``), and those both
    enumerate: each rule's own facts, and with them the facts a bound of the format ties to
    them. A bound between the two rules' own facts makes both shared; a fact neither rule reads
    and no bound ties is left out (it cannot change either outcome, and any value of it will do)."""
    side = {n: (3 if n in first and n in second else 1 if n in first else 2 if n in second else 0) for n in names}
    changed = True
    while changed:  # once is enough while each fact has one bound at most; this does not rely on it
        changed = False
        for p, w in _bounds(names):
            a, b = side[p], side[w]
            if a == b or (0 not in (a, b) and 3 in (a, b)):
                continue  # within one side, or between a side and the shared facts
            side[p] = side[w] = a or b if 0 in (a, b) else 3
            changed = True
    return ([n for n in names if side[n] & 1], [n for n in names if side[n] & 2],
            [n for n in names if side[n] == 3])


def _pair(pack: Pack, names: list[str], r1: _RuleOutcome, r2: _RuleOutcome, extra: dict[str, FactValue],
          known: dict[str, list[FactValue]], classes: _ValueClasses,
          sides: dict[tuple[Any, ...], dict[tuple[FactValue, ...], tuple[bool, bool]]]) -> tuple[bool, bool] | None:
    """Whether two rules both apply for some values of ``names`` (the bounded domain, as
    ``_combos`` gives it), and whether they are then both met for some; None if there are no
    values at all. Each rule's outcome is a function of its own facts (``_RuleOutcome``), and the
    format's bounds tie only facts ``_sides`` puts on one side: so the values of ``names`` are
    exactly the values of the shared facts, each with any values of the first rule's side and any
    of the second's. The question is answered from each rule's outcomes over its own side, grouped
    by the shared values, not from every combination of both sides."""
    first, second, shared = _sides(names, set(r1.plain), set(r2.plain))
    found: list[dict[tuple[FactValue, ...], tuple[bool, bool]]] = []
    for rule, own in ((r1, first), (r2, second)):
        space = _space(pack, own, 1 << 62, known, classes, among=names)
        assert space is not None
        # a rule's side is the same in many of its pairs (often its own facts alone)
        key = (rule.rule.id, tuple(extra.items()), tuple(shared), tuple(own), tuple(map(tuple, space[1])))
        by = sides.get(key)
        if by is None:
            order, combos = _product(space)
            read = rule.reader(pack, order, extra)
            at = [order.index(n) for n in shared]
            by = sides[key] = {}
            for combo in combos:
                k = tuple([combo[i] for i in at])
                applies, met = by.get(k, (False, False))
                if not (applies and met):
                    o = read(combo)
                    by[k] = (applies or o != "not_applicable", met or o == "satisfied")
        found.append(by)
    common = [(found[0][k], found[1][k]) for k in found[0] if k in found[1]]
    if not common:
        return None
    return (any(a1 and a2 for (a1, _), (a2, _) in common), any(m1 and m2 for (_, m1), (_, m2) in common))


# what the enumeration ranges over, in both languages (the JSON report carries the English words);
# kept here rather than in the translation table, whose patterns a run compiles at its first
# translated message: a German `explore consistency` translates nothing else
DOMAIN_NOTE = {
    "en": "bounded enumeration: each fact ranges over the pack's constants ±1, counts 0-8 where facts are "
          "compared with each other, every enum value; rules or pairs needing more are skipped",
    "de": "beschränkte Aufzählung: jede Tatsache durchläuft die Konstanten des Pakets ±1, Anzahlen 0–8, wo Tatsachen "
          "miteinander verglichen werden, jeden Aufzählungswert; Regeln oder Paare, die mehr bräuchten, werden übersprungen",
}


def consistency(pack: Pack, limit: int = 200_000, engine: Engine | None = None) -> Report:
    """Exact over a bounded domain per rule or pair of rules: every configuration fact a rule rests
    on takes the values that matter (each constant of the pack ±1, small counts, every enum value)."""
    rep = Report(pack=pack.id, domain_note=DOMAIN_NOTE["en"])
    used = {n for r in pack.rules for c in ([r.applies, r.requires] if r.spec.type == "requirement" else [r.when])
            if c is not None for n in facts_in(c) if pack.is_conclusion(n)}
    rep.unused_conclusions = sorted(n for n in pack.conclusion_specs if n not in used)
    concluded: dict[str, set[str]] = {}
    for r in pack.conclusions():
        for n, v in (r.spec.conclude or {}).items():
            concluded.setdefault(n, set()).add(str(v).lower() if isinstance(v, bool) else str(v))
    for r in pack.rules:
        for cond in r.conditions():
            for atom in atoms(cond):
                if isinstance(atom, Cmp) and isinstance(atom.left, Fact) and pack.is_conclusion(atom.left.name) \
                        and isinstance(atom.right, Const) and atom.op == "==":
                    v = str(atom.right.value).lower() if isinstance(atom.right.value, bool) else str(atom.right.value)
                    if v not in concluded.get(atom.left.name, set()):
                        rep.never_concluded_values.append((r.id, atom.left.name, v))
    named = [k for r in pack.requirements() if (ks := _kinds_named(r)) for k in ks]
    rep.kinds_unspoken = [k for k in pack.kinds if k not in named]
    ref = engine or fastest_engine()
    rep.engine = ref.name
    reqs = pack.requirements()
    judged = {r.id: _RuleOutcome(pack, r, _for_slices(ref)) for r in reqs}
    domains: dict[str, list[FactValue]] = {}
    classed: dict[tuple[Any, ...], list[FactValue]] = {}
    sides: dict[tuple[Any, ...], dict[tuple[FactValue, ...], tuple[bool, bool]]] = {}
    classes_of = {r.id: _ValueClasses(judged[r.id].atoms, classed) for r in reqs}
    outcomes_by_rule: dict[str, set[str]] = {}
    for r in reqs:
        names = judged[r.id].names
        seen: set[str] = set()
        found = _combos(pack, names, limit, domains, classes_of[r.id])
        if found is None:
            continue
        order, combos = found
        skipped = True
        read = judged[r.id].reader(pack, order, {})
        for combo in combos:
            skipped = False
            seen.add(read(combo))
            if "violated" in seen and "satisfied" in seen:
                break  # nothing more can change what is reported of this rule
        if skipped:
            continue
        outcomes_by_rule[r.id] = seen
        if "violated" not in seen and "satisfied" not in seen:
            rep.dead.append(r.id)
        elif "violated" not in seen:
            rep.never_violated.append(r.id)
    serious = [r for r in reqs if r.severity == "violation" and r.spec.scope == "body" and r.id in outcomes_by_rule
               and "satisfied" in outcomes_by_rule[r.id]]
    for kind in pack.kinds:
        relevant = [r for r in serious if (_kinds_named(r) is None or kind in (_kinds_named(r) or set()))]
        for r1, r2 in itertools.combinations(relevant, 2):
            names = [n for n in dict.fromkeys([*judged[r1.id].names, *judged[r2.id].names]) if n != "body.kind"]
            if _size_over(pack, names, domains) > limit:
                continue
            classes = classes_of[r1.id].joined(classes_of[r2.id])
            answer = _pair(pack, names, judged[r1.id], judged[r2.id], {"body.kind": kind}, domains, classes, sides)
            if answer is not None and answer[0] and not answer[1]:
                rep.contradictions.append((kind, r1.id, r2.id))
    return rep


def render_consistency(rep: Report, pack: Pack, lang: str) -> str:
    de = lang == "de"
    lines = [f"{rep.pack}: " + ("Widerspruchsfreiheit" if de else "consistency")]

    def text(rule_id: str) -> str:
        r = pack.rule(rule_id)
        assert r is not None
        return f"{rule_id} ({r.spec.citation.render()}: {r.spec.title.get(lang)}) „{r.spec.statute.text[:160]}{'…' if len(r.spec.statute.text) > 160 else ''}“"

    def section(title: str, items: list[str]) -> None:
        lines.append(f"- {title}: " + (("keine" if de else "none") if not items else ""))
        lines.extend(f"    {i}" for i in items)

    section("Widersprüche (Regeln, die zusammen nie erfüllbar sind, wo beide gelten)" if de
            else "contradictions (rules that can never both be met where both apply)",
            [f"[{k}] {text(a)}  ⟂  {text(b)}" for k, a, b in rep.contradictions])
    section("nie anwendbare Regeln" if de else "dead rules (never apply)", [text(r) for r in rep.dead])
    section("nie verletzbare Regeln" if de else "rules that can never be violated", [text(r) for r in rep.never_violated])
    section("Schlüsse, die keine Regel verwendet" if de else "conclusions no rule uses",
            [f"{n}: {pack.conclusion_specs[n].label.get(lang)}" for n in rep.unused_conclusions])
    section("Vergleiche mit Werten, die kein Schluss liefert" if de else "tests of values no conclusion yields",
            [f"{r}: {n} == {v}" for r, n, v in rep.never_concluded_values])
    section("Arten, die keine Regel nennt" if de else "kinds no rule speaks to", rep.kinds_unspoken)
    note = DOMAIN_NOTE["de" if de else "en"] if rep.domain_note == DOMAIN_NOTE["en"] else message(rep.domain_note, lang)
    lines.append(f"({note})")
    lines.append(f"({'Engine' if de else 'judged by'}: {rep.engine})")
    return "\n".join(lines) + "\n"
