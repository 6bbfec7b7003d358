"""Every error of a file at once, each at its place; messages for the common slips; undated
configurations said plainly (issue 9 points 3, 4, 5)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from optionsmodell.check import undated_ambiguity
from optionsmodell.cli import app

runner = CliRunner()

SLIPS = (
    "date: 2021-01-01\n"
    "municipality:\n"
    "  name: X\n"
    "  land: NRW\n"
    "  foreign_residents: 7.300\n"
    "  applicants: yes\n"
    "bodies:\n"
    "  - kind: auslaenderbeirat\n"
    "    seats: {directly_elected: \"ten\"}\n"
    "    sachkundige_bürger: 3\n"
)


def test_every_error_of_a_file_with_its_place(tmp_path: Path) -> None:
    f = tmp_path / "slips.yaml"
    f.write_text(SLIPS, encoding="utf-8")
    r = runner.invoke(app, ["check", str(f), "--lang", "en"])
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 6, r.output
    expected = {
        "4:9": "'NRW' is not a two-letter Land code, e.g. NW",
        "5:22": "'7.300' is not a whole number: German thousands separators",
        "6:15": "municipality.applicants: ",  # a count or a mapping (total, foreign_nationals)
        "8:11": "'auslaenderbeirat' is not allowed here",
        "9:31": "'ten' is text",
        "10:5": "did you mean `sachkundige_buerger`?",
    }
    for where, text in expected.items():
        assert any(f"slips.yaml:{where}:" in line and text in line for line in lines), (where, r.output)
    assert "did you mean 'integrationsbeirat'?" in r.output
    r = runner.invoke(app, ["check", str(f), "--format", "json", "--lang", "en"])
    doc = json.loads(r.stdout)
    assert [(e["line"], e["column"]) for e in doc["errors"]] == [(4, 9), (5, 22), (6, 15), (8, 11), (9, 31), (10, 5)]
    r = runner.invoke(app, ["check", str(f), "--format", "sarif"])
    results = [res for run in json.loads(r.stdout)["runs"] for res in run["results"]]
    assert len([res for res in results if res["ruleId"] == "input-error"]) == 6
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 9}


def test_an_undated_configuration_is_refused_while_the_law_recently_changed(tmp_path: Path) -> None:
    f = tmp_path / "draft.yaml"
    f.write_text("municipality: {name: Neustadt, land: NW, foreign_residents: 9000}\n", encoding="utf-8")
    change = undated_ambiguity("NW", dt.date(2026, 1, 1))
    assert change is not None and change[:2] == ("nrw-2018", "nrw-2025")
    assert undated_ambiguity("NW", dt.date(2024, 1, 1)) is None  # nrw-2018 since 2018
    r = runner.invoke(app, ["check", str(f), "--lang", "en"])
    if undated_ambiguity("NW", dt.date.today()) is not None:
        assert r.exit_code == 2 and "no date" in r.output and "--as-of" in r.output
    r = runner.invoke(app, ["check", str(f), "--lang", "en", "--as-of", "2022-06-01"])
    assert r.exit_code in (0, 1, 3)
    assert r.stdout.splitlines()[1] == "The file gives no date: judged at 2022-06-01 (--as-of) under nrw-2018."
    doc = json.loads(runner.invoke(app, ["check", str(f), "--format", "json", "--as-of", "2022-06-01"]).stdout)
    assert doc["date_source"] == "as_of" and doc["date"] == "2022-06-01"


def test_an_undated_configuration_without_a_recent_change_is_judged_today_with_a_notice(tmp_path: Path) -> None:
    f = tmp_path / "merzig.yaml"
    f.write_text("municipality: {name: Merzig, land: SL, foreign_residents: 4000}\n", encoding="utf-8")
    r = runner.invoke(app, ["check", str(f), "--lang", "en", "--regime", "sl-2023"])
    assert r.exit_code in (0, 1, 3)
    assert r.stdout.splitlines()[1].startswith("NOTE: The file gives no date: judged at")
    doc = json.loads(runner.invoke(app, ["check", str(f), "--format", "json", "--regime", "sl-2023"]).stdout)
    assert doc["date_source"] == "today" and doc["date_notice"]
    f = tmp_path / "dated.yaml"
    f.write_text("date: 2024-01-01\nmunicipality: {name: Merzig, land: SL, foreign_residents: 4000}\n", encoding="utf-8")
    doc = json.loads(runner.invoke(app, ["check", str(f), "--format", "json"]).stdout)
    assert doc["date_source"] == "file" and doc["date_notice"] is None


def test_german_messages_keep_the_suggestion_and_translate_every_word() -> None:
    from optionsmodell.i18n import message

    kind = ("bodies[0].kind: 'auslaenderbeirat' is not allowed here; expected one of 'integrationsrat' or "
            "'integrationsbeirat' (did you mean 'integrationsbeirat'?)")
    de = message(kind, "de")
    assert "oder 'integrationsbeirat'" in de and "gemeint ist wohl 'integrationsbeirat'" in de and " or " not in de
    key = ("municipality.foreign_residnts: unknown key; see `optionsmodell schema` for the keys this format has "
           "(did you mean `foreign_residents`?)")
    assert "gemeint ist wohl `foreign_residents`" in message(key, "de")
    applicants = ("municipality.applicants: expected a whole number (without quotes), or a mapping with `total` "
                  "and/or `foreign_nationals`")
    assert "erwartet wird eine ganze Zahl" in message(applicants, "de")
