"""Seat allocation (Sainte-Laguë/Schepers), empty seats, ties, the majority clause, and --into."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from optionsmodell.check import check_file
from optionsmodell.cli import app
from optionsmodell.election import Candidate, ElectionInput, allocate, load_election

from .conftest import SCENARIOS

ELECTIONS = SCENARIOS / "elections"
runner = CliRunner()


def seats_of(result) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    return {a.name: (a.entitled, a.filled) for a in result.allocations}


def election(seats: int, *cands: tuple[str, str, int, int | None]) -> ElectionInput:
    return ElectionInput(seats=seats, candidates=[
        Candidate(name=n, kind=k, votes=v, candidates=c) for n, k, v, c in cands])  # type: ignore[arg-type]


def test_bochum_2014_seat_for_seat() -> None:
    # WAZ report of the Bochum Integrationsrat election, 25 May 2014 (source in the scenario file)
    e, _ = load_election(ELECTIONS / "bochum-2014.yaml")
    r = allocate(e)
    assert {n: s[0] for n, s in seats_of(r).items()} == {
        "SPD Internationale Liste": 4, "CDU Forum Integration": 2, "Grüne Liste Vielfalt": 2,
        "Internationale Liste Bochum (ILBO)": 1, "Allgemeine aktive ausländische Arbeitnehmerliste (AAAA)": 1}
    assert r.vacant == 0 and not r.ties


def test_luedenscheid_2020_seat_for_seat() -> None:
    # Stadt Lüdenscheid press release of 15 Sep 2020 (source in the scenario file)
    e, _ = load_election(ELECTIONS / "luedenscheid-2020.yaml")
    r = allocate(e)
    assert {n: s[1] for n, s in seats_of(r).items()} == {
        "Internationale Liste der SPD": 4, "CDU-Internationale Liste": 2, "Isik, Zeki": 0, "Benli, Ugur": 0}


def test_hand_computed_list_runs_out_and_single_candidate_entitled_to_several() -> None:
    # quotients v/0.5, v/1.5, …: 3220 D, 2220 A, 1800 V, 1400 I, 1073.3 D, 740 A, 644 D, 600 V,
    # 466.7 I, 460 D, 444 A, 360 V, 357.8 D, 317.1 A, 292.7 D, 280 I, 257.1 V, 247.7 D → D 7, A 4, V 4, I 3
    e, _ = load_election(ELECTIONS / "list-runs-out.yaml")
    r = allocate(e)
    assert seats_of(r) == {"Demokratische Liste": (7, 3), "Athen, Norbert": (4, 1),
                           "Liste Vielfalt": (4, 4), "Internationale Liste": (3, 3)}
    assert r.vacant == 7


def test_tie_is_a_drawing_of_lots_never_silent() -> None:
    e = election(3, ("A", "list", 100, None), ("B", "list", 100, None), ("C", "list", 100, None), ("D", "list", 10, None))
    r = allocate(e)
    assert [a.entitled for a in r.allocations] == [1, 1, 1, 0] and not r.ties  # equal, but nothing to decide
    e2 = election(2, ("A", "list", 100, None), ("B", "list", 100, None), ("C", "list", 100, None))
    r2 = allocate(e2)
    assert r2.ties[0].names == ["A", "B", "C"] and r2.ties[0].seats == 2
    assert r2.vacant == 0
    drawn = allocate(e2, lots=["C", "A"])
    assert not drawn.ties and seats_of(drawn) == {"A": (1, 1), "B": (0, 0), "C": (1, 1)}


def test_majority_clause_tie_for_the_seat_given_up_is_a_lot() -> None:
    # 50.4 % of the votes win 4 of 8 seats; B and C, equal in votes, gave their last seats at the same quotient
    e = election(8, ("Mehrheit", "list", 504, None), ("B", "list", 248, None), ("C", "list", 248, None))
    assert seats_of(allocate(e)) == {"Mehrheit": (4, 4), "B": (2, 2), "C": (2, 2)}
    r = allocate(e, majority_clause=True)
    assert [(t.names, t.seats, t.decides) for t in r.ties] == [(["B", "C"], 1, "majority_clause_loss")]
    assert not r.majority_clause_applied and r.vacant == 0
    drawn = allocate(e, majority_clause=True, lots=["C"])
    assert drawn.majority_clause_applied and not drawn.ties
    assert seats_of(drawn) == {"Mehrheit": (5, 5), "B": (2, 2), "C": (1, 1)}


def test_majority_clause_off_by_default_and_applied_on_request() -> None:
    # 51 % of the votes: Sainte-Laguë gives 5 of 10; § 33 Abs. 4 adds one, taken from the weakest other list
    e = election(10, ("Mehrheit", "list", 510, None), ("B", "list", 260, None), ("C", "list", 230, None))
    assert seats_of(allocate(e))["Mehrheit"] == (5, 5)
    r = allocate(e, majority_clause=True)
    assert r.majority_clause_applied
    assert sum(a.entitled for a in r.allocations) == 10
    assert seats_of(r)["Mehrheit"] == (6, 6)


votes = st.integers(min_value=0, max_value=5000)


@st.composite
def elections(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(1, 6))
    cands = [(f"C{i}", draw(st.sampled_from(["list", "single"])), draw(votes), draw(st.none() | st.integers(0, 10)))
             for i in range(n)]
    return election(draw(st.integers(1, 30)), *cands)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_seats_add_up(e: ElectionInput) -> None:
    r = allocate(e)
    assert sum(a.entitled for a in r.allocations) + sum(t.seats for t in r.ties) == e.seats
    assert r.vacant >= 0
    for a, c in zip(r.allocations, e.candidates, strict=True):
        assert a.filled <= a.entitled
        assert a.filled <= (1 if c.kind == "single" else (c.candidates if c.candidates is not None else e.seats))


@settings(max_examples=400, deadline=None)
@given(elections(), st.data())
def test_more_votes_never_fewer_seats(e: ElectionInput, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(e.candidates) - 1))
    extra = data.draw(st.integers(1, 2000))
    before = allocate(e)
    cands = list(e.candidates)
    cands[i] = cands[i].model_copy(update={"votes": cands[i].votes + extra})
    after = allocate(ElectionInput(seats=e.seats, candidates=cands))
    if not before.ties and not after.ties:
        assert after.allocations[i].entitled >= before.allocations[i].entitled


def test_cli_json_contract_and_into_then_check(tmp_path: Path) -> None:
    r = runner.invoke(app, ["elect", str(ELECTIONS / "list-runs-out.yaml"), "--format", "json"])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert set(doc) >= {"seats", "candidates", "vacant", "ties"}
    assert doc["candidates"][0] == {"name": "Demokratische Liste", "kind": "list", "votes": 1610, "entitled": 7, "filled": 3}
    assert doc["vacant"] == 7

    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(
        "# our Hauptsatzung, § 9\n"
        "municipality:\n  name: Beispielstadt\n  land: NW\n  foreign_residents: 20000\n"
        "date: 2021-01-01\n"
        "bodies:\n"
        "  - kind: integrationsrat   # since 2014\n"
        "    seats:\n      directly_elected: 18   # § 9 Abs. 1\n      council_members: 12\n"
        "    chair: directly_elected\n"
    )
    r = runner.invoke(app, ["elect", str(ELECTIONS / "list-runs-out.yaml"), "--into", str(cfg)])
    assert r.exit_code == 0
    text = cfg.read_text()
    assert "# our Hauptsatzung, § 9" in text and "# since 2014" in text and "# § 9 Abs. 1" in text
    assert "filled: {directly_elected: 11}" in text
    result = check_file(cfg, lang="en")
    f = next(f for f in result.findings if f.rule.id == "NRW18-IR-06a")
    assert f.outcome == "violated"  # 11 filled elected seats no longer exceed 12 council members
    assert "Only 11 of 18 elected seats are filled" in f.message
    # a second run replaces the value in place
    r = runner.invoke(app, ["elect", str(ELECTIONS / "bochum-2014.yaml"), "--into", str(cfg)])
    assert r.exit_code == 2  # 10 seats elected, the body has 18


def test_into_an_integrationsausschuss_breaks_abs_12_satz_4(tmp_path: Path) -> None:
    cfg = tmp_path / "ia.yaml"
    shutil.copy(SCENARIOS / "wuppertal-2020-integrationsausschuss.yaml", cfg)
    el = tmp_path / "el.yaml"
    el.write_text("seats: 15\ncandidates:\n  - {name: A, kind: list, votes: 910, candidates: 5}\n"
                  "  - {name: B, kind: list, votes: 600, candidates: 4}\n  - {name: C, kind: single, votes: 290}\n")
    r = runner.invoke(app, ["elect", str(el), "--into", str(cfg)])
    assert r.exit_code == 0, r.stderr
    result = check_file(cfg, lang="en")
    f = next(f for f in result.findings if f.rule.id == "NRW18-IA-03")
    assert f.outcome == "violated"  # 5 + 4 + 1 = 10 filled, not more than 10 council members
    assert "Source" in cfg.read_text()


def test_unresolved_tie_blocks_into(tmp_path: Path) -> None:
    el = tmp_path / "tie.yaml"
    el.write_text("seats: 1\ncandidates:\n  - {name: A, kind: single, votes: 5}\n  - {name: B, kind: single, votes: 5}\n")
    cfg = tmp_path / "c.yaml"
    shutil.copy(SCENARIOS / "bonn-2020.yaml", cfg)
    r = runner.invoke(app, ["elect", str(el), "--into", str(cfg)])
    assert r.exit_code == 2 and "--lot" in r.stderr
    assert cfg.read_text() == (SCENARIOS / "bonn-2020.yaml").read_text()


def test_election_schema() -> None:
    r = runner.invoke(app, ["schema", "--of", "election"])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["properties"]["seats"]["description"].startswith("Directly elected seats")
    assert runner.invoke(app, ["schema", "--of", "nonsense"]).exit_code == 2
