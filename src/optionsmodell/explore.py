"""Exploring the law at work: where along a range the outcome changes (sweep), configurations two
regimes judge differently (diff), and what in a pack can never hold together, never apply or
never matter (consistency)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import itemgetter
from typing import Any

import yaml
from pydantic import ValidationError

from .compare import obligation_of, rule_key
from .configuration import Configuration, LoadedConfiguration
from .engine import Engine, Judgement, PerPack, fastest_engine, verdict_of
from .expressions import Cmp, Const, Fact, In, atoms, evaluate, facts_in
from .facts import CATALOG, FactSet, FactValue, extract
from .i18n import message, value
from .packs import Pack, Rule
from .policy import reported
from .safe_yaml import InputError, dotted
from .search_space import Walk, pack_constants

# ---------------------------------------------------------------------------------------------
# Judging without explanations


@dataclass(frozen=True)
class Outcome:
    verdict: str
    obligation: str
    rules: tuple[tuple[str, int | None, str], ...]

    @cached_property
    def by_rule(self) -> dict[tuple[str, int | None], str]:
        """Outcomes by the rule's id without its regime prefix, to compare regimes (``rule_key``)."""
        return {(rule_key(r), body): o for r, body, o in self.rules}

    def describe(self, lang: str = "en") -> str:
        if lang == "en":
            return f"{value(self.verdict, lang)}, obligation {value(self.obligation, lang)}"
        return f"{value(self.verdict, lang)}, Pflicht: {value(self.obligation, lang)}"


def judge(pack: Pack, config: Configuration, engine: Engine | None = None) -> tuple[Outcome, Judgement]:
    return outcome_of_facts(pack, facts_of(pack, config), engine)


def facts_of(pack: Pack, config: Configuration) -> FactSet:
    return extract(config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=config.date or dt.date.today())


def outcome_of_facts(pack: Pack, facts: FactSet, engine: Engine | None = None) -> tuple[Outcome, Judgement]:
    j = (engine or fastest_engine()).judge(pack, facts)
    # outcomes as the reports show them: a violation on unverified text is a likely violation (policy)
    rules = []
    severities = []
    for (rid, body), o in j.outcomes.items():
        rule = pack.rule(rid)
        assert rule is not None
        shown = reported(pack, j, rule, body, o)
        rules.append((rid, body, shown))
        severities.append((shown, rule.severity))
    # the verdict as policy.verdict gives it, from the outcomes just reported
    return Outcome(verdict_of(severities), obligation_of(pack, j.derived), tuple(sorted(rules))), j


class Judged:
    """Outcomes under one pack, each distinct fact set judged once: an outcome is a function of the
    facts alone (the engine judges facts; the policy reads the judgement and the pack), and many
    configurations a search or a shrink meets give the same facts."""

    def __init__(self, pack: Pack, engine: Engine) -> None:
        self.pack, self.engine = pack, engine
        self.voting = pack.default_voting()
        self.memo: dict[tuple[object, ...], Outcome] = {}

    def outcome(self, config: Configuration) -> Outcome:
        facts = extract(config, provided_kinds=self.pack.kinds, default_voting=self.voting, as_of=config.date or dt.date.today())
        key = (tuple(sorted(facts.municipality.items())), *(tuple(sorted(b.items())) for b in facts.bodies))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = outcome_of_facts(self.pack, facts, self.engine)[0]
        return found


# ---------------------------------------------------------------------------------------------
# sweep

_PATH = re.compile(r"[A-Za-z_]+|\[\d+\]|\d+")


def parse_path(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for token in _PATH.findall(text):
        if token.startswith("["):
            parts.append(int(token[1:-1]))
        elif token.isdigit():
            parts.append(int(token))
        else:
            parts.append(token)
    if not parts or "".join(str(p) for p in parts) != re.sub(r"[.\[\]]", "", text):
        raise InputError(None, f"not a field path: {text!r} (e.g. municipality.foreign_residents, bodies[0].seats.council_members)",
                         file="--vary")
    return tuple(parts)


def _set(data: Any, path: tuple[str | int, ...], value: int) -> Any:
    data = copy.deepcopy(data)
    node = data
    for i, key in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                raise InputError(None, f"the configuration has no {'.'.join(map(str, path[: i + 1]))}", file="--vary")
            node = node[key]
        else:
            if not isinstance(node, dict):
                raise InputError(None, f"cannot set {'.'.join(map(str, path))}", file="--vary")
            node = node.setdefault(key, [] if isinstance(nxt, int) else {})
    last = path[-1]
    if isinstance(last, int) or not isinstance(node, dict):
        raise InputError(None, f"cannot set {'.'.join(map(str, path))}", file="--vary")
    node[last] = value
    return data


@dataclass
class Change:
    before_value: int
    after_value: int
    before: Outcome | str
    after: Outcome | str

    def lines(self, lang: str) -> list[str]:
        out = [f"{self.before_value} → {self.after_value}:"]
        b, a = self.before, self.after
        if isinstance(b, str) or isinstance(a, str):
            out.append(f"  {message(b, lang) if isinstance(b, str) else b.describe(lang)} → "
                       f"{message(a, lang) if isinstance(a, str) else a.describe(lang)}")
            return out
        if b.verdict != a.verdict:
            out.append(f"  {'Ergebnis' if lang == 'de' else 'verdict'}: {value(b.verdict, lang)} → {value(a.verdict, lang)}")
        if b.obligation != a.obligation:
            out.append(f"  {'Pflicht' if lang == 'de' else 'obligation'}: {value(b.obligation, lang)} → {value(a.obligation, lang)}")
        before = {(r, body): o for r, body, o in b.rules}
        for r, body, o in a.rules:
            if before.get((r, body)) != o:
                where = f"@{body}" if body is not None else ""
                out.append(f"  {r}{where}: {value(before.get((r, body), '—'), lang)} → {value(o, lang)}")
        return out


_COUNT_EXAMPLES = "municipality.foreign_residents, municipality.applicants, bodies[0].seats.council_members"


def _vary_error(path: tuple[str | int, ...], err: Any) -> InputError:
    """A --vary path the format does not have, or a field that holds no count: said in the user's
    terms, with the field probably meant."""
    import difflib

    from .configuration import _KEYS

    shown = dotted(path)
    if err["type"] == "extra_forbidden":
        bad = next((str(p) for p in reversed(err["loc"]) if isinstance(p, str)), str(path[-1]))
        close = difflib.get_close_matches(bad, _KEYS, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        return InputError(None, f"{shown}: no such field; the configuration format has {_COUNT_EXAMPLES}, …{hint}", file="--vary")
    return InputError(None, f"{shown}: not a count; --vary takes a field holding a whole number ({_COUNT_EXAMPLES})",
                      file="--vary")


# what a count field says of a number outside its range: a point of the sweep, not a wrong field
_BOUNDS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of"})

# a sweep judges at most this many grid points, whatever --step asks: between two points every
# change is found exactly by bisection, so the cost grows with the changes, not with the range
MAX_GRID = 1000


def grid_step(lo: int, hi: int, step: int) -> int:
    """The step actually used: the one asked for, raised so that the grid has at most MAX_GRID points."""
    return max(1, step, -(-(hi - lo) // MAX_GRID))


def grid_points(lo: int, hi: int, step: int) -> int:
    step = grid_step(lo, hi, step)
    return (hi - lo) // step + (0 if (hi - lo) % step == 0 else 1)


def _grid(lo: int, hi: int, step: int) -> Iterator[int]:
    v = lo + step
    while v < hi:
        yield v
        v += step
    if hi > lo:
        yield hi


def sweep(loaded: LoadedConfiguration, pack: Pack, path: tuple[str | int, ...], lo: int, hi: int, step: int,
          engine: Engine | None = None, progress: Callable[[int], None] | None = None) -> tuple[Outcome | str, list[Change]]:
    base = loaded.source.data
    cache: dict[int, Outcome | str] = {}

    def at(v: int) -> Outcome | str:
        if v not in cache:
            data = _set(base, path, v)  # a path the configuration cannot have raises here
            try:
                config = Configuration.model_validate(data)
            except ValidationError as e:
                err = e.errors(include_url=False)[0]
                if (err["type"] == "extra_forbidden" or err["type"].endswith("_type")
                        or (tuple(err["loc"]) == path and err["type"] not in _BOUNDS)):
                    # the varied field itself refuses a number: it holds no count (a kind, a name)
                    raise _vary_error(path, err) from None
                # a value the format refuses at this point of the range (filled above seats, …)
                cache[v] = f"invalid ({err['msg']})"
            else:
                cache[v] = judge(pack, config, engine)[0]
        return cache[v]

    step = grid_step(lo, hi, step)
    start = at(lo)
    changes: list[Change] = []
    previous = lo
    # the grid is walked lazily and the cache holds one interval at a time: memory stays bounded
    # whatever the range; the work grows with the grid (at most MAX_GRID points) and the changes
    for b in _grid(lo, hi, step):
        a = previous
        if at(a) != at(b):
            # the exact places between two grid points where the outcome moves, by bisection
            left = a
            while left < b:
                lo_, hi_ = left, b
                while hi_ - lo_ > 1:
                    mid = (lo_ + hi_) // 2
                    if at(mid) == at(left):
                        lo_ = mid
                    else:
                        hi_ = mid
                changes.append(Change(lo_, hi_, at(lo_), at(hi_)))
                left = hi_
                if at(left) == at(b):
                    break
        kept = at(b)
        cache.clear()
        cache[b] = kept
        previous = b
        if progress is not None:
            progress(1)
    return start, changes


# ---------------------------------------------------------------------------------------------
# diff


def _difference_kinds(pa: Pack, a: Outcome, pb: Pack, b: Outcome) -> list[tuple[str, ...]]:
    kinds: list[tuple[str, ...]] = []
    if a.verdict != b.verdict:
        kinds.append(("verdict", a.verdict, b.verdict))
    if a.obligation != b.obligation:
        kinds.append(("obligation", a.obligation, b.obligation))
    left, right = a.by_rule, b.by_rule
    for key in sorted(set(left) | set(right), key=str):
        oa, ob = left.get(key, "not_applicable"), right.get(key, "not_applicable")
        if oa != ob:
            kinds.append(("rule", key[0], oa, ob))
    return kinds


@dataclass
class Witness:
    kind: tuple[str, ...]
    config: Configuration
    a: Outcome
    b: Outcome

    def yaml(self) -> str:
        data = self.config.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
        data.setdefault("municipality", {})
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)


def diff(pa: Pack, pb: Pack, *, name: str, land: str, seed: int, tries: int, most: int,
         include_undetermined: bool = False, engine: Engine | None = None, progress: Callable[[int], None] | None = None) -> list[Witness]:
    """Search configurations A and B judge differently; shrink one witness per kind of difference.
    The search judges thousands of configurations: by default with the fastest engine, which the
    property test shows to agree with the others. The configurations tried, and so the witnesses,
    depend only on the seed, the two packs and the options (``search_space``)."""
    search = engine or fastest_engine()
    judged_a, judged_b = Judged(pa, search), Judged(pb, search)
    # every configuration judged, by its data: the validated configuration (None if the format
    # refuses it) and the kinds of difference it shows; shrinking meets the same candidates often
    known: dict[str, tuple[Configuration | None, frozenset[tuple[str, ...]]]] = {}

    def differences(data: dict[str, Any]) -> tuple[Configuration | None, frozenset[tuple[str, ...]]]:
        key = repr(data)
        found = known.get(key)
        if found is None:
            try:
                c = Configuration.model_validate(data)
            except ValidationError:
                found = (None, frozenset())
            else:
                found = (c, frozenset(_difference_kinds(pa, judged_a.outcome(c), pb, judged_b.outcome(c))))
            known[key] = found
        return found

    # a first pass over the space records which kinds of difference occur at all, and for each the
    # smallest configuration that shows it (the first of equal size): where shrinking starts
    seen: dict[tuple[str, ...], tuple[int, Configuration]] = {}
    for data in itertools.islice(Walk(seed, pack_constants([pa, pb]), name, land), tries):
        if progress is not None:
            progress(1)
        c, kinds = differences(data)
        if c is not None and kinds:
            size = _size(data)
            for k in kinds:
                if k not in seen or size < seen[k][0]:
                    seen[k] = (size, c)
    decided = [k for k in seen if not (include_undetermined is False and "undetermined" in k)]
    ordered = sorted(decided, key=lambda k: ({"verdict": 0, "obligation": 1, "rule": 2}[k[0]], k))[:most]
    witnesses = []
    for kind in ordered:
        def has_kind(data: dict[str, Any], kind: tuple[str, ...] = kind) -> Configuration | None:
            c, kinds = differences(data)
            return c if kind in kinds else None

        smallest = shrink(seen[kind][1], has_kind)
        witnesses.append(Witness(kind, smallest, judged_a.outcome(smallest), judged_b.outcome(smallest)))
    return witnesses


def _size(data: Any) -> int:
    """How much a configuration says: the values and list items in it."""
    if isinstance(data, dict):
        return sum(1 + _size(v) for v in data.values())
    if isinstance(data, list):
        return sum(1 + _size(v) for v in data)
    return 0


def shrink(config: Configuration, keep: Callable[[Any], Configuration | None]) -> Configuration:
    """Greedy shrinking of a witness: drop bodies, list items and optional keys, lower numbers
    (to 0, halves, one less) as long as the difference stays. Deterministic. ``keep`` returns the
    validated candidate if it still shows the difference, else None.

    The simplifications are tried in order, biggest first; after one is taken the walk goes on from
    the same place in the new witness's list rather than from its start, and ends after a whole
    pass that takes none: the result is as minimal (no single simplification keeps the
    difference), with work that grows with the witness's size rather than with its square."""
    best = config.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    kept = config
    start = 0
    while True:
        for i, candidate in enumerate(itertools.islice(_smaller(best), start, None), start):
            c = keep(candidate)
            if c is not None:
                kept = c
                best = c.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
                start = i
                break
        else:
            if start == 0:
                return kept
            start = 0


def _smaller(data: Any, path: tuple[Any, ...] = ()) -> Iterable[Any]:
    """Every one-step simplification of a nested dict/list structure, biggest steps first."""
    def with_value(value: Any) -> Any:
        return _replace(data, path, value)

    node = _get(data, path)
    if isinstance(node, dict):
        removable = [k for k in node if not ((path == () and k in ("municipality", "date"))
                                             or (path == ("municipality",) and k in ("name", "land"))
                                             or (len(path) == 2 and path[0] == "bodies" and k == "kind"))]
        # several keys at once first (all, halves, quarters, …): most keys of a witness found by
        # the search play no part in its difference, and go in a few steps rather than one by one
        size = len(removable)
        while size >= 2:
            for i in range(0, len(removable), size):
                chunk = set(removable[i:i + size])
                if len(chunk) >= 2:
                    yield with_value({kk: vv for kk, vv in node.items() if kk not in chunk})
            size //= 2
        for k in removable:
            yield with_value({kk: vv for kk, vv in node.items() if kk != k})
        for k in list(node):
            yield from _smaller(data, (*path, k))
    elif isinstance(node, list):
        for i in range(len(node)):
            yield with_value(node[:i] + node[i + 1:])
        for i in range(len(node)):
            yield from _smaller(data, (*path, i))
    elif isinstance(node, int) and not isinstance(node, bool) and node > 0:
        # 0, half, then ever smaller steps down (n - n/4, n - n/8, …, n - 1): the least value that
        # keeps the difference is found in a logarithmic number of steps, not by counting down
        steps = [0, node // 2]
        d = node // 4
        while d >= 1:
            steps.append(node - d)
            d //= 2
        steps.append(node - 1)
        for v in dict.fromkeys(steps):
            if v < node:
                yield with_value(v)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in data.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(data)]


# ---------------------------------------------------------------------------------------------
# consistency


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


def consistency(pack: Pack, limit: int = 200_000, engine: Engine | None = None) -> Report:
    """Exact over a bounded domain per rule or pair of rules: every configuration fact a rule rests
    on takes the values that matter (each constant of the pack ±1, small counts, every enum value)."""
    rep = Report(pack=pack.id, domain_note=(
        "bounded enumeration: each fact ranges over the pack's constants ±1, counts 0-8 where facts are "
        "compared with each other, every enum value; rules or pairs needing more are skipped"))
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
    judged = {r.id: _RuleOutcome(pack, r, ref) for r in reqs}
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
    lines.append(f"({message(rep.domain_note, lang)})")
    lines.append(f"({'Engine' if de else 'judged by'}: {rep.engine})")
    return "\n".join(lines) + "\n"
