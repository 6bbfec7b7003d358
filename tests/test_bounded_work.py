"""Bounded work for every input (issue 13, defect 5): seat allocation with a heap, exactly as the
highest-averages table; explanations linear in bodies; caps with a clear exit 2 on bodies,
candidates, a condition's size, nesting and normal form, and a report's size. Speed itself is
measured in benchmarks/soak.py, never here: these tests count work, not seconds."""

from __future__ import annotations

import datetime as dt
import fractions
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from optionsmodell import election as election_mod
from optionsmodell.cli import app
from optionsmodell.configuration import load_configuration_text
from optionsmodell.election import MAX_CANDIDATES, Allocation, Candidate, ElectionInput, Result, Tie, allocate
from optionsmodell.engine import ReferenceEngine
from optionsmodell.explain import Explainer
from optionsmodell.expressions import MAX_DNF, ExpressionError, parse
from optionsmodell.facts import CATALOG, extract
from optionsmodell.limits import MAX_BODIES
from optionsmodell.packs import Pack

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # English unless a test says otherwise


# ---------------------------------------------------------------------------------------------
# seat allocation: the heap gives exactly what the full table of quotients gives

def table_allocate(election: ElectionInput, lots: list[str]) -> Result:
    """The former allocation, every quotient of every candidate sorted: the reference."""
    seats = election.seats
    allocations = [Allocation(c.name, c.kind, c.votes) for c in election.candidates]
    quotients = sorted(
        ((Fraction(c.votes) / Fraction(2 * j + 1, 2), i) for i, c in enumerate(election.candidates) for j in range(seats)),
        key=lambda q: q[0], reverse=True)
    cutoff = quotients[seats - 1][0]
    above = [i for q, i in quotients if q > cutoff]
    at = [i for q, i in quotients if q == cutoff]
    for i in above:
        allocations[i].entitled += 1
    remaining = seats - len(above)
    result = Result(seats=seats, allocations=allocations, lots=list(lots))
    if len(at) == remaining:
        for i in at:
            allocations[i].entitled += 1
    else:
        names = sorted({allocations[i].name for i in at})
        drawn = [n for n in lots if n in names][:remaining]
        for n in drawn:
            next(a for a in allocations if a.name == n).entitled += 1
        if len(drawn) < remaining:
            result.ties.append(Tie(names=names, seats=remaining - len(drawn)))
    return result


elections = st.builds(
    lambda seats, rows: ElectionInput(seats=seats, candidates=[
        Candidate(name=f"C{i}", kind=k, votes=v, candidates=c) for i, (k, v, c) in enumerate(rows)]),
    st.integers(1, 30),
    st.lists(st.tuples(st.sampled_from(["list", "single"]),
                       st.one_of(st.integers(0, 12), st.sampled_from([0, 100, 300, 500, 700, 900]), st.integers(0, 100_000)),
                       st.none() | st.integers(0, 20)), min_size=1, max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(elections, st.lists(st.sampled_from([f"C{i}" for i in range(12)]), max_size=4))
def test_heap_allocation_equals_the_table_of_quotients(e: ElectionInput, lots: list[str]) -> None:
    got = allocate(e, lots=lots)
    want = table_allocate(e, lots)
    assert [a.entitled for a in got.allocations] == [a.entitled for a in want.allocations]
    assert [(t.names, t.seats) for t in got.ties] == [(t.names, t.seats) for t in want.ties]


def test_allocation_work_grows_with_seats_not_seats_times_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    made = [0]

    class Counting(fractions.Fraction):
        def __new__(cls, *args: Any, **kwargs: Any) -> Counting:
            made[0] += 1
            return super().__new__(cls, *args, **kwargs)

    monkeypatch.setattr(election_mod, "Fraction", Counting)
    n = seats = 1000
    e = ElectionInput(seats=seats, candidates=[Candidate(name=f"C{i}", kind="list", votes=1000 + 7 * i) for i in range(n)])
    result = allocate(e)
    assert sum(a.entitled for a in result.allocations) + sum(t.seats for t in result.ties) == seats
    # the table of quotients made two fractions for each of seats × candidates = 1,000,000 quotients
    assert made[0] <= 5 * (n + seats)


def test_too_many_candidates_is_exit_2(tmp_path: Path) -> None:
    el = tmp_path / "el.yaml"
    el.write_text("seats: 10\ncandidates:\n" + "".join(
        f"  - {{name: C{i}, kind: single, votes: {i}}}\n" for i in range(MAX_CANDIDATES + 1)))
    r = runner.invoke(app, ["elect", str(el)])
    assert r.exit_code == 2
    assert f"at most {MAX_CANDIDATES}" in r.stderr and "Traceback" not in r.stderr


def test_absurd_vote_count_is_exit_2(tmp_path: Path) -> None:
    el = tmp_path / "el.yaml"
    el.write_text("seats: 10\ncandidates:\n  - {name: A, kind: list, votes: " + "9" * 4000 + "}\n")
    r = runner.invoke(app, ["elect", str(el)])
    assert r.exit_code == 2 and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------------------------
# caps on configurations and reports

HEAD = "date: 2021-06-01\nmunicipality:\n  name: Capstadt\n  land: NW\n  foreign_residents: 20000\n"


def _bodies(n: int) -> str:
    return "bodies:\n" + "".join(
        f"  - kind: integrationsrat\n    seats: {{directly_elected: {10 + i % 5}, council_members: 8}}\n" for i in range(n))


def test_more_bodies_than_the_cap_is_exit_2_at_the_first_body_too_many(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(HEAD + _bodies(MAX_BODIES + 1))
    r = runner.invoke(app, ["check", str(cfg)])
    assert r.exit_code == 2
    line = HEAD.count("\n") + 1 + 2 * MAX_BODIES + 1
    assert f"{cfg}:{line}:" in r.stderr and f"at most {MAX_BODIES}" in r.stderr


def test_batch_bodies_file_is_capped_per_municipality(tmp_path: Path) -> None:
    bodies = tmp_path / "bodies.yaml"
    bodies.write_text("bodies:\n  '05315000':\n" + "".join(
        "    - {kind: integrationsrat}\n" for _ in range(MAX_BODIES + 1)))
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--bodies", str(bodies)])
    assert r.exit_code == 2 and f"at most {MAX_BODIES}" in r.stderr


def test_the_cap_itself_is_judged(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(HEAD + _bodies(MAX_BODIES))
    r = runner.invoke(app, ["check", str(cfg), "--format", "json"])
    assert r.exit_code in (0, 1, 3), r.stderr


def test_a_report_larger_than_the_cap_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from optionsmodell import limits  # `check` reads the cap when it runs (cli imports lazily)

    monkeypatch.setattr(limits, "MAX_OUTPUT_BYTES", 10_000)
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(HEAD + _bodies(20))
    r = runner.invoke(app, ["check", str(cfg), "--all"])
    assert r.exit_code == 2 and "report would be" in r.stderr
    assert r.stdout == ""


def test_explanations_read_the_conclusions_once_not_once_per_finding(pack: Pack) -> None:
    loaded = load_configuration_text(HEAD + _bodies(40))
    facts = extract(loaded.config, provided_kinds=pack.kinds, default_voting=pack.default_voting(),
                    as_of=dt.date(2021, 6, 1))
    judgement = ReferenceEngine().judge(pack, facts)
    reads = [0]

    class Counted(dict):  # type: ignore[type-arg]
        def items(self) -> Any:
            reads[0] += 1
            return super().items()

    judgement.derived = Counted(judgement.derived)
    findings = Explainer(pack, facts, judgement, loaded, "en").findings()
    assert len(findings) > 40 * 5
    assert reads[0] <= 2


# ---------------------------------------------------------------------------------------------
# caps on a rule's condition

def _type_of(name: str) -> Any:
    spec = CATALOG.get(name)
    return spec.type if spec else None


def test_24_or_terms_are_refused_without_building_the_normal_form() -> None:
    text = " and ".join(f"(seats.directly_elected > {i} or seats.council_members > {i})" for i in range(24))
    with pytest.raises(ExpressionError, match=f"more than {MAX_DNF} alternatives"):
        parse(text, _type_of)


def test_a_990_term_sum_is_refused_not_a_recursion_error() -> None:
    text = "seats.council_members > " + "+".join(["1"] * 985)
    with pytest.raises(ExpressionError, match="nested more than"):
        parse(text, _type_of)


def test_many_parts_are_refused() -> None:
    text = "seats.council_members in [" + ",".join(str(i % 10) for i in range(450)) + "]"
    with pytest.raises(ExpressionError, match=r"more than \d+ parts"):
        parse(text, _type_of)


def test_ordinary_conditions_still_parse() -> None:
    parse("seats.directly_elected > seats.council_members + seats.sachkundige_buerger", _type_of)
    parse(" and ".join(f"(seats.directly_elected > {i} or seats.council_members > {i})" for i in range(6)), _type_of)


def test_batch_table_larger_than_the_row_cap_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from optionsmodell import batch

    monkeypatch.setattr(batch, "MAX_TABLE_ROWS", 50)
    table = tmp_path / "t.csv"
    table.write_text("municipality_name,foreign_est_census22\n" + "".join(f"Gemeinde {i},{i * 100}\n" for i in range(51)))
    r = runner.invoke(app, ["batch", str(table), "--regime", "nrw-2018"])
    assert r.exit_code == 2 and f"{table}:52:" in r.stderr and "more than 50 municipalities" in r.stderr


def test_batch_bodies_file_has_the_yaml_size_limit(tmp_path: Path) -> None:
    bodies = tmp_path / "bodies.yaml"
    bodies.write_text("bodies: {}\n" + "#" * (1024 * 1024))
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--bodies", str(bodies)])
    assert r.exit_code == 2 and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------------------------
# the smallest fix: solved where the comparison is affine, always the answer of the plain search

_TERMS = ["seats.directly_elected", "seats.council_members", "seats.sachkundige_buerger",
          "seats.directly_elected + seats.council_members", "seats.council_members - 3", "seats.directly_elected * 2",
          "3 * seats.council_members", "seats.directly_elected / 3", "(seats.council_members + seats.sachkundige_buerger) / 2",
          "seats.directly_elected * seats.council_members", "seats.council_members * 0", "7", "0", "2500"]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_TERMS), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), st.sampled_from(_TERMS),
       st.tuples(st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 40)))
def test_the_solved_smallest_fix_is_the_searched_one(left: str, op: str, right: str, values: tuple[int, int, int]) -> None:
    from optionsmodell.explain import scan_change
    from optionsmodell.expressions import Cmp, evaluate, facts_in

    cond = parse(f"{left} {op} {right}", _type_of)
    if not isinstance(cond, Cmp):
        return
    env: dict[str, Any] = dict(zip(["seats.directly_elected", "seats.council_members", "seats.sachkundige_buerger"],
                                   values, strict=True))
    if evaluate(cond, env) is not False:
        return
    for name in facts_in(cond):
        assert Explainer._smallest_change(cond, env, name, env[name]) == scan_change(cond, env, name, env[name])


def test_batch_bounds_the_bodies_judged_over_all_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from optionsmodell import batch

    monkeypatch.setattr(batch, "MAX_BATCH_BODIES", 3)
    table = tmp_path / "t.csv"
    # one municipality listed twice: its bodies are judged twice
    table.write_text("ags,municipality_name,foreign_est_census22\n05315000,Köln,189228\n05315000,Köln,189228\n")
    bodies = tmp_path / "bodies.yaml"
    bodies.write_text("bodies:\n  '05315000':\n    - {kind: integrationsrat}\n    - {kind: integrationsausschuss}\n")
    r = runner.invoke(app, ["batch", str(table), "--regime", "nrw-2018", "--bodies", str(bodies)])
    assert r.exit_code == 2 and "4 bodies together; at most 3" in r.stderr
