"""Issue 13 defect 2: durable-rules' 64-bit arithmetic wrapped around silently, so a lint-clean rule
with a large constant was judged satisfied where it is violated. Numbers are now bounded: lint
refuses constants and arithmetic that could leave the exact range, configurations refuse absurd
counts, and the engines agree up to the bounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from optionsmodell.bounds import MAX_FACT, SAFE
from optionsmodell.configuration import Configuration
from optionsmodell.engine import ReferenceEngine
from optionsmodell.facts import extract
from optionsmodell.packs import Pack, load_pack

from .test_cli import run

PACK = (
    "id: huge\ntitle: {de: x, en: x}\nland: NW\nlaw: GO NRW\nstatus: proposal\n"
    "kinds:\n  integrationsrat: {label: {de: IR, en: IR}}\n"
)


def _rule(requires: str) -> str:
    return (
        "rules:\n"
        "  - id: H-1\n    scope: body\n    modality: muss\n    title: {de: t, en: t}\n"
        "    citation: {law: GO NRW, section: '27'}\n    statute: {text: x, reliability: R}\n"
        f"    requires: {requires}\n"
        "    messages: {violated: {de: v, en: v}, satisfied: {de: s, en: s}}\n"
    )


def _pack(tmp_path: Path, requires: str) -> Pack:
    d = tmp_path / "huge"
    d.mkdir(exist_ok=True)
    (d / "pack.yaml").write_text(PACK)
    (d / "rules.yaml").write_text(_rule(requires))
    return load_pack(d)


@pytest.mark.parametrize("requires", [
    "seats.directly_elected + 9223372036854775800 > seats.council_members",
    "seats.directly_elected < 99999999999999999999",
    "seats.directly_elected * 100000000000 > 1",
    "seats.directly_elected * seats.council_members * seats.advisory > 1",
    "seats.directly_elected - 4611686018427387000 < seats.council_members",
])
def test_lint_refuses_numbers_beyond_the_exact_range(tmp_path: Path, requires: str) -> None:
    pack = _pack(tmp_path, requires)
    assert pack.problems
    assert "2**62" in str(pack.problems[0]) and "rules.yaml:8:" in str(pack.problems[0])
    code, out, _ = run("lint", str(tmp_path))
    assert code == 1 and "the range every engine computes exactly" in out


@pytest.mark.parametrize("requires", [
    "seats.directly_elected + 1000000000000 > seats.council_members",
    "seats.directly_elected > seats.council_members * seats.advisory + 1000000000000000000",
    "seats.council_members < seats.directly_elected * 1000000000 - 5",
])
def test_engines_agree_at_the_edge_of_the_range(tmp_path: Path, requires: str) -> None:
    rete = pytest.importorskip("optionsmodell.rete", reason="durable-rules does not import on this Python")
    from optionsmodell.compiled import CompiledEngine

    pack = _pack(tmp_path, requires)
    assert not pack.problems, [str(p) for p in pack.problems]
    for de, cm in ((10**8, 10**8), (10**8, 0), (0, 10**8), (99_999_999, 10**8), (3, 2)):
        cfg = Configuration.model_validate({"municipality": {"name": "X", "land": "NW"}, "bodies": [
            {"kind": "integrationsrat", "seats": {"directly_elected": de, "council_members": cm}}]})
        facts = extract(cfg, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=dt.date(2021, 1, 1))
        expected = ReferenceEngine().judge(pack, facts).comparable()
        assert rete.ReteEngine().judge(pack, facts).comparable() == expected
        assert CompiledEngine().judge(pack, facts).comparable() == expected


def test_a_configuration_with_an_absurd_count_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "absurd.yaml"
    f.write_text("municipality:\n  name: X\n  land: NW\n  foreign_residents: 100000000000000000000\n")
    code, out, err = run("check", str(f))
    assert code == 2
    assert "absurd.yaml:4" in out + err and "100000000" in out + err
    assert "Traceback" not in out + err


def test_the_bounds_leave_room_for_every_fact() -> None:
    # the largest count of the configuration format (10**8) over five seat groups, dates; two facts multiply
    assert MAX_FACT >= 5 * 10**8 and dt.date.max.toordinal() <= MAX_FACT and MAX_FACT**2 < SAFE < MAX_FACT**3
