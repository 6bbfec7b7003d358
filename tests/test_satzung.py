"""Issue 8: no unknown fact passes (defect 2), who may apply per version (defect 8), and what a
Satzung regulates. Each test states the legal expectation and its source."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from optionsmodell.check import judge_loaded
from optionsmodell.cli import app
from optionsmodell.configuration import load_configuration_text
from optionsmodell.packs import load_all
from optionsmodell.safe_yaml import InputError

PACKS = load_all()
runner = CliRunner()

ON_APPLICATION = """\
date: 2021-06-01
municipality:
  name: Antragsdorf
  land: NW
  foreign_residents: 3000
bodies: []
"""


def verdict(text: str, regime: str) -> str:
    loaded = load_configuration_text(text, "t.yaml")
    return judge_loaded(loaded, file="t.yaml", regime=regime, packs=PACKS).verdict


@pytest.mark.parametrize("regime", ["nrw-2009", "nrw-2013", "nrw-2018", "nrw-2025"])
def test_unknown_applications_are_undetermined_not_compliant(regime: str) -> None:
    # § 27 Abs. 1 Satz 2 GO NRW (every version): 2,000-4,999 foreign residents, a body only "wenn
    # mindestens 200 Wahlberechtigte ... es beantragen". A file that does not say is not compliant.
    assert verdict(ON_APPLICATION, regime) == "undetermined"


def test_unknown_applications_exit_3_and_name_the_key(tmp_path: object) -> None:
    from pathlib import Path

    f = Path(str(tmp_path)) / "a.yaml"
    f.write_text(ON_APPLICATION, encoding="utf-8")
    r = runner.invoke(app, ["check", str(f), "--regime", "nrw-2018", "--format", "json"])
    assert r.exit_code == 3, r.stdout
    doc = json.loads(r.stdout)
    files = doc.get("files", [doc])
    finding = next(x for x in files[0]["findings"] if x["rule"] == "NRW18-IR-02")
    assert finding["outcome"] == "undetermined"
    assert any("municipality.applicants" in m for m in finding["missing_facts"])


def with_applicants(value: str) -> str:
    return ON_APPLICATION.replace("  foreign_residents: 3000\n", f"  foreign_residents: 3000\n  applicants: {value}\n")


def test_2009_counts_only_abs_3_satz_1_nr_1_persons() -> None:
    # § 27 Abs. 1 Satz 2 GO NRW 2009: "wenn mindestens 200 Wahlberechtigte gemäß Absatz 3 Satz 1
    # Nummer 1 es beantragen" (umwelt-online z13_0878, old column [V-sec]); since 2013 "gemäß Absatz 3
    # Satz 1" (Stadt Duisburg [V-sec]; RECHT.NRW 2023 [V]).
    mixed = with_applicants("{total: 260, foreign_nationals: 150}")
    assert verdict(mixed, "nrw-2009") == "compliant"
    assert verdict(mixed, "nrw-2013") == "violations"
    assert verdict(mixed, "nrw-2018") == "violations"
    assert verdict(with_applicants("{total: 260, foreign_nationals: 200}"), "nrw-2009") == "violations"
    # a plain number is the total: under 2009 it does not say how many were of Nr. 1
    assert verdict(with_applicants("260"), "nrw-2009") == "undetermined"
    assert verdict(with_applicants("260"), "nrw-2018") == "violations"
    # fewer than 200 in total are fewer than 200 of Nr. 1
    assert verdict(with_applicants("150"), "nrw-2009") == "compliant"


def test_applicants_part_may_not_exceed_total() -> None:
    with pytest.raises(InputError) as e:
        load_configuration_text(with_applicants("{total: 100, foreign_nationals: 150}"), "t.yaml")
    assert e.value.location is not None and e.value.location.line == 6
    assert "foreign_nationals = 150 exceeds" in e.value.message


@pytest.mark.parametrize("bad", ["yes", '"250"', "-3", "[200]"])
def test_applicants_refuses_what_is_not_a_count(bad: str) -> None:
    with pytest.raises(InputError) as e:
        load_configuration_text(with_applicants(bad), "t.yaml")
    assert "municipality.applicants" in e.value.message


def test_schema_describes_applicants_per_version() -> None:
    from optionsmodell.configuration import json_schema

    schema = json.loads(json_schema())
    text = schema["$defs"]["Municipality"]["properties"]["applicants"]["description"]
    assert "2009" in text and "since 2013" in text and "no default" in text


def test_a_finding_says_which_facts_the_tool_supplied() -> None:
    text = """\
date: 2021-06-01
municipality: {name: Gutstadt, land: NW, foreign_residents: 12000}
bodies:
  - kind: integrationsrat
    seats: {directly_elected: 10, council_members: 5}
"""
    loaded = load_configuration_text(text, "t.yaml")
    r = judge_loaded(loaded, file="t.yaml", regime="nrw-2018", packs=PACKS, lang="en")
    f = next(f for f in r.findings if f.rule.id == "NRW18-IR-05")
    assert f.outcome == "satisfied"
    assert "seats.sachkundige_buerger" in f.assumed and "whole composition" in f.assumed["seats.sachkundige_buerger"]
    assert "seats.directly_elected" not in f.assumed
    assert f.to_json("en")["assumed_facts"] == f.assumed
