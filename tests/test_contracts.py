"""Output contracts without gaps, batch inputs of their own size, and the remaining common slips
(issue 9 points 5, 8, 9, 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optionsmodell.cli import app

from .conftest import SCENARIOS

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
ELECTIONS = SCENARIOS / "elections"


@pytest.mark.parametrize("args", [["regimes", "--format", "markdown"], ["rules", "--format", "markdown"],
                                  ["explore", "consistency", "--regime", "sl-2023", "--format", "markdown"]])
def test_a_format_is_supported_or_refused(args: list[str]) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "--format markdown is not supported" in r.stderr


def test_rules_as_json() -> None:
    r = runner.invoke(app, ["rules", "--regime", "sl-2023", "--format", "json"])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert [p["id"] for p in doc] == ["sl-2023"] and doc[0]["rules"][0]["citation"]


def test_compare_skips_files_of_another_land() -> None:
    files = sorted(str(p) for p in SCENARIOS.glob("*.yaml"))
    r = runner.invoke(app, ["compare", *files, "--regime", "nrw-2018", "--regime", "ds-17-1356", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    assert "skipped: " in r.stderr and "merzig-2024-integrationsbeirat.yaml is in Land SL" in r.stderr
    assert all("merzig" not in c["file"] for c in json.loads(r.stdout)["configurations"])
    r = runner.invoke(app, ["compare", str(SCENARIOS / "merzig-2024-integrationsbeirat.yaml"),
                            "--regime", "nrw-2018", "--regime", "ds-17-1356"])
    assert r.exit_code == 2  # nothing left to compare


def test_explore_diff_refuses_another_lands_law_like_compare() -> None:
    koeln = str(SCENARIOS / "koeln-2020.yaml")
    r = runner.invoke(app, ["explore", "diff", koeln, "--regime", "nrw-2018", "--regime", "sl-2023"])
    assert r.exit_code == 2 and "compare regimes of one Land" in r.stderr
    r = runner.invoke(app, ["compare", koeln, "--regime", "nrw-2018", "--regime", "sl-2023"])
    assert r.exit_code == 2 and "compare regimes of one Land" in r.stderr
    merzig = str(SCENARIOS / "merzig-2024-integrationsbeirat.yaml")
    r = runner.invoke(app, ["explore", "diff", merzig, "--regime", "nrw-2018", "--regime", "ds-17-1356"])
    assert r.exit_code == 2 and "this municipality is in SL" in r.stderr


def test_explore_diff_writes_each_witness_ready_to_check(tmp_path: Path) -> None:
    out = tmp_path / "witnesses"
    args = ["explore", "diff", str(SCENARIOS / "koeln-2020.yaml"), "--regime", "nrw-2018", "--regime", "ds-17-1356",
            "--seed", "1", "--most", "2", "--tries", "150", "--out", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.stderr
    files = sorted(out.glob("witness-*.yaml"))
    assert len(files) == 2
    r = runner.invoke(app, ["check", *map(str, files)])
    assert r.exit_code in (0, 1, 3), r.output  # every witness is a valid configuration
    before = files[0].read_bytes()
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and files[0].read_bytes() == before  # never overwritten


def test_elect_lot_must_name_someone_in_the_tie(tmp_path: Path) -> None:
    e = tmp_path / "tie.yaml"
    e.write_text("format: optionsmodell/election-v1\nseats: 1\ncandidates:\n"
                 "  - {name: A, kind: single, votes: 100}\n  - {name: B, kind: single, votes: 100}\n", encoding="utf-8")
    r = runner.invoke(app, ["elect", str(e), "--lot", "C"])
    assert r.exit_code == 2 and "--lot C is not in a drawing of lots" in r.stderr and "A, B" in r.stderr
    assert runner.invoke(app, ["elect", str(e), "--lot", "B"]).exit_code == 0
    r = runner.invoke(app, ["elect", str(ELECTIONS / "list-runs-out.yaml"), "--lot", "Nobody"])
    assert r.exit_code == 2


def test_vary_path_is_said_in_the_users_terms() -> None:
    r = runner.invoke(app, ["explore", "sweep", str(SCENARIOS / "koeln-2020.yaml"), "--vary",
                            "municipality.foreign_resident=0..10"])
    assert r.exit_code == 2 and "no such field" in r.stderr and "foreign_residents" in r.stderr
    assert "Extra inputs" not in r.stderr


def test_vary_of_a_field_that_holds_no_count_is_refused() -> None:
    # a kind or a name refuses every number: one message, not every point of the range "invalid"
    r = runner.invoke(app, ["explore", "sweep", str(SCENARIOS / "koeln-2020.yaml"), "--vary", "bodies[0].kind=1..2"])
    assert r.exit_code == 2 and "bodies[0].kind: not a count" in r.stderr


def test_batch_reports_a_bad_as_of_only_for_a_bad_as_of(tmp_path: Path) -> None:
    t = tmp_path / "t.csv"
    t.write_text("ags,municipality_name,foreign_est_census22\n05000001,Adorf,x\n", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(t), "--regime", "nrw-2018", "--as-of", "2021-06-01"])
    assert r.exit_code == 2 and "--as-of" not in r.stderr
    r = runner.invoke(app, ["batch", str(t), "--regime", "nrw-2018", "--as-of", "1.6.2021"])
    assert r.exit_code == 2 and "--as-of '1.6.2021' is not an ISO date" in r.stderr


def test_semicolon_csv_with_german_numbers(tmp_path: Path) -> None:
    t = tmp_path / "excel.csv"
    t.write_text("ags;municipality_name;foreign_est_census22;population_census22\n"
                 "05000001;Adorf;4.575;12.345\n05000002;Bdorf;5000,0;20000\n05000003;Cdorf;1999;3000\n", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(t), "--regime", "nrw-2018", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)["rows"]
    assert [(x["foreign_residents"], x["obligation"]) for x in rows] == [
        (4575, "on_application"), (5000, "mandatory"), (1999, "voluntary")]


def test_a_bodies_file_larger_than_a_configuration_is_accepted(tmp_path: Path) -> None:
    # the 1 MiB cap is for one configuration; a bodies file for every municipality is larger
    lines = ["bodies:"]
    n = 0
    while sum(map(len, lines)) < 1_300_000:
        lines.append(f"  '{n:08d}': [{{kind: integrationsrat, seats: {{directly_elected: 10, council_members: 5}}}}]"
                     "   # a comment long enough to make the file large, as real exports are")
        n += 1
    b = tmp_path / "bodies.yaml"
    b.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert b.stat().st_size > 1024 * 1024
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--bodies", str(b), "--format", "json"])
    assert r.exit_code == 2 and "larger than 1 MiB" in r.stderr  # the default bound
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--bodies", str(b), "--format", "json", "--max-input", "8"])
    assert r.exit_code == 0, r.stderr
