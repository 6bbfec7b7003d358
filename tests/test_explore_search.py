"""explore's search and its shortcuts (issue 10: explore ≥ 3× faster; issue 9: a seed reproduces
the witnesses whatever else is loaded).

- consistency judges each rule once per value of the facts it can depend on, on a pack cut down to
  the rule and its conclusions: the outcome must be the whole pack's, as the reference evaluator
  judges it;
- diff's witnesses, shrunk with memoized candidates, still show their difference when the
  reference evaluator judges them, are recorded with the outcomes it gives, and no single
  simplification keeps the difference;
- the witnesses of a seed are the same bytes in processes that loaded different modules.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsmodell.compiled import CompiledEngine
from optionsmodell.configuration import Configuration
from optionsmodell.consistency import _assignments, _dependencies, _domain, _factset, _RuleOutcome
from optionsmodell.engine import ReferenceEngine
from optionsmodell.explore import _difference_kinds, _smaller, diff, judge
from optionsmodell.expressions import facts_in
from optionsmodell.facts import FactValue
from optionsmodell.packs import Pack, load_all
from optionsmodell.search_space import Walk, pack_constants

from .conftest import SCENARIOS

PACKS = {p.id: p for p in load_all()}
NW = [p for p in PACKS.values() if p.spec.land == "NW"]
REFERENCE = ReferenceEngine()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@st.composite
def rule_and_values(draw: st.DrawFn) -> tuple[Pack, str, list[dict[str, FactValue]]]:
    """A requirement of a bundled pack and a few assignments of the facts it rests on, drawn from
    the bounded domain consistency enumerates (some facts left out, as consistency's pair loop
    leaves out what the other rule does not read)."""
    pack = draw(st.sampled_from(NW))
    rule = draw(st.sampled_from(pack.requirements()))
    names = _dependencies(pack, [n for c in (rule.applies, rule.requires) if c is not None for n in facts_in(c)])
    if rule.spec.scope == "body":
        names = list(dict.fromkeys([*names, "body.kind"]))
    assignments = []
    for _ in range(draw(st.integers(1, 6))):
        values = {n: draw(st.sampled_from(_domain(pack, n))) for n in names if draw(st.integers(0, 5)) > 0}
        assignments.append(values)
    return pack, rule.id, assignments


@SETTINGS
@given(rule_and_values())
def test_a_rule_judged_alone_and_memoized_is_judged_as_the_whole_pack_judges_it(
        case: tuple[Pack, str, list[dict[str, FactValue]]]) -> None:
    pack, rule_id, assignments = case
    rule = pack.rule(rule_id)
    assert rule is not None
    alone = _RuleOutcome(pack, rule, CompiledEngine())
    scope = 0 if rule.spec.scope == "body" else None
    for values in assignments * 2:  # the second round is answered from the memo
        expected = REFERENCE.judge(pack, _factset(pack, values)).outcomes[(rule.id, scope)]
        assert alone.outcome(pack, values) == expected, (rule.id, values)
        # as the enumeration asks: values by their place in a tuple, some fixed (as the pair loop
        # fixes the body's kind), with the same memo
        names = [n for n in values if n != "body.kind"]
        extra = {"body.kind": values["body.kind"]} if "body.kind" in values else {}
        read = alone.reader(pack, names, extra)
        assert read(tuple(values[n] for n in names)) == expected, (rule.id, values)
        fresh = _RuleOutcome(pack, rule, CompiledEngine()).reader(pack, list(values), {})
        assert fresh(tuple(values.values())) == expected, (rule.id, values)


def test_the_bounded_domain_keeps_filled_within_seats_and_part_within_whole() -> None:
    pack = PACKS["nrw-2018"]
    names = ["seats.directly_elected", "filled.directly_elected"]
    combos = list(_assignments(pack, names, 10_000))
    assert combos and all(v["filled.directly_elected"] <= v["seats.directly_elected"] for v in combos)  # type: ignore[operator]
    everything = list(itertools.product(_domain(pack, names[0]), _domain(pack, names[1])))
    assert len(combos) < len(everything)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.sampled_from(list(itertools.pairwise(sorted(NW, key=lambda p: p.spec.valid_from or dt.date.max)))),
       st.integers(0, 2**16))
def test_shrunk_witnesses_still_differ_for_the_reference_evaluator_and_are_minimal(pair: tuple[Pack, Pack], seed: int) -> None:
    pa, pb = pair
    for w in diff(pa, pb, name="Köln", land="NW", seed=seed, tries=60, most=3):
        ra, rb = judge(pa, w.config, REFERENCE)[0], judge(pb, w.config, REFERENCE)[0]
        assert (ra, rb) == (w.a, w.b)
        assert w.kind in _difference_kinds(pa, ra, pb, rb)
        data = w.config.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
        for candidate in _smaller(data):
            try:
                c = Configuration.model_validate(candidate)
            except ValueError:
                continue
            assert w.kind not in _difference_kinds(pa, judge(pa, c, REFERENCE)[0], pb, judge(pb, c, REFERENCE)[0]), candidate


def test_the_walk_depends_only_on_the_seed_and_the_packs() -> None:
    constants = pack_constants([PACKS["nrw-2018"], PACKS["nrw-2025"]])
    first = list(itertools.islice(Walk(5, constants, "Köln", "NW"), 50))
    assert first == list(itertools.islice(Walk(5, constants, "Köln", "NW"), 50))
    assert first != list(itertools.islice(Walk(6, constants, "Köln", "NW"), 50))
    for data in first:
        Configuration.model_validate(data)  # every configuration walked is a valid one


DIFF = ["explore", "diff", str(SCENARIOS / "koeln-2020.yaml"), "--regime", "nrw-2018", "--regime", "nrw-2025",
        "--seed", "11", "--tries", "200", "--most", "20", "--lang", "en"]


def test_a_seed_gives_the_same_witnesses_whatever_modules_are_loaded(tmp_path: Path) -> None:
    # a local module full of whole numbers: Hypothesis would have drawn them as constants into the
    # search, so that the witnesses of a seed depended on what else the process had imported
    (tmp_path / "numbers_elsewhere.py").write_text(
        "VALUES = [" + ", ".join(str(n) for n in range(0, 20000, 37)) + "]\n", encoding="utf-8")
    run = ("import sys; sys.argv = ['optionsmodell', *sys.argv[1:]]\n"
           "{imports}\n"
           "from optionsmodell.cli import main\n"
           "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
           # the search draws nothing from Hypothesis (whose pool of constants is process-wide)
           "assert 'hypothesis' not in sys.modules or 'numbers_elsewhere' in sys.modules\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    outputs = []
    for imports in ("pass", "import numbers_elsewhere, json, csv, tests.fuzzing  # noqa"):
        proc = subprocess.run([sys.executable, "-c", run.format(imports=imports), *DIFF], capture_output=True,
                              env=env, cwd=Path(__file__).resolve().parents[1], check=False)
        assert proc.returncode == 0, proc.stderr.decode()
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    assert b"# witness 1:" in outputs[0]
