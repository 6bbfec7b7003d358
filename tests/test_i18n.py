"""One language per run (issue 9 point 6): --lang, else LC_ALL / LC_MESSAGES / LANG, governs findings,
errors, labels and enumerated values."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.i18n import default_lang, error_line

from .conftest import SCENARIOS


def test_default_language_from_the_environment() -> None:
    assert default_lang({}) == "de"
    assert default_lang({"LANG": "de_DE.UTF-8"}) == "de"
    assert default_lang({"LANG": "en_GB.UTF-8"}) == "en"
    assert default_lang({"LANG": "C.UTF-8"}) == "de"
    assert default_lang({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR"}) == "en"
    assert default_lang({"LANG": "en_US", "LC_ALL": "de_AT"}) == "de"


def _run(args: list[str], lang_env: str) -> tuple[int, str, str]:
    r = CliRunner(env={"LANG": lang_env, "LC_ALL": "", "LC_MESSAGES": ""}).invoke(app, args)
    return r.exit_code, r.stdout, r.stderr


def test_errors_follow_the_language(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_text("date: 2021-01-01\nmunicipality:\n  name: X\n  land: NRW\n  foreign_residents: 7.300\n", encoding="utf-8")
    code, _, err = _run(["check", str(f)], "de_DE.UTF-8")
    assert code == 2
    assert "Fehler: " in err and "kein zweistelliger Länderschlüssel" in err and "Tausenderpunkte" in err
    assert "error: " not in err
    code, _, err = _run(["check", str(f)], "en_US.UTF-8")
    assert "error: " in err and "two-letter Land code" in err
    code, _, err = _run(["check", str(f), "--lang", "en"], "de_DE.UTF-8")
    assert "two-letter Land code" in err


def test_labels_and_values_in_one_language() -> None:
    args = ["compare", str(SCENARIOS / "koeln-2020.yaml"), "--regime", "nrw-2018", "--regime", "ds-17-1356"]
    _, out, _ = _run(args, "de_DE.UTF-8")
    assert "Pflicht" in out and "voluntary" not in out and "mandatory" not in out
    _, out, _ = _run([*args, "--lang", "en"], "de_DE.UTF-8")
    assert "obligation" in out and "Pflicht" not in out
    _, out, _ = _run(["timeline", str(SCENARIOS / "koeln-2020.yaml")], "de_DE.UTF-8")
    assert "Fassung" in out and "compliant" not in out and "undetermined" not in out


def test_a_place_is_never_translated() -> None:
    assert error_line("a/b.yaml:3:4: municipality.land: required key is missing", "de") == \
        "a/b.yaml:3:4: municipality.land: Pflichtschlüssel fehlt"


def test_a_key_of_another_part_is_not_suggested_as_itself(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_text("date: 2021-01-01\nmunicipality: {name: X, land: NW, foreign_residents: 100}\n"
                 "bodies:\n  - kind: integrationsrat\n    seats: {total: 5}\n", encoding="utf-8")
    code, _, err = _run(["check", str(f), "--lang", "de"], "de_DE.UTF-8")
    assert code == 2 and "bodies[0].seats.total: unbekannter Schlüssel" in err and "gemeint ist wohl `total`" not in err


def test_sarif_of_a_file_that_failed_speaks_the_language(tmp_path: Path) -> None:
    import json

    f = tmp_path / "x.yaml"
    f.write_text("municipality: {name: X, land: NRW}\n", encoding="utf-8")
    _, out, _ = _run(["check", str(f), "--format", "sarif", "--lang", "de"], "en_US.UTF-8")
    run = json.loads(out)["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["shortDescription"]["text"].startswith("Die Datei ist nicht lesbar")
    assert "Länderschlüssel" in run["results"][0]["message"]["text"] and run["results"][0]["ruleId"] == "input-error"
