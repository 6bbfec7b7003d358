"""Exploring the law at work: where along a range the outcome changes (sweep), configurations two
regimes judge differently (diff), and what in a pack can never hold together, never apply or
never matter (consistency, in its own module ``consistency``)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml
from pydantic import ValidationError

from .compare import obligation_of, rule_key
from .configuration import Configuration, LoadedConfiguration

# consistency has its own module (`explore consistency` imports only it); its names stay here too
from .consistency import DOMAIN_NOTE, Report, consistency, render_consistency  # noqa: F401
from .engine import Engine, Judgement, fastest_engine, verdict_of
from .facts import FactSet, extract
from .i18n import message, value
from .packs import Pack
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

