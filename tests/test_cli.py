"""The command line as a user meets it: exit codes, formats, languages, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.packs import load_all

from .conftest import SCENARIOS

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # English unless a test says otherwise


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_exit_codes() -> None:
    assert run("check", str(SCENARIOS / "edge-vacant-elected-seats.yaml"))[0] == 0
    # Bonn's sources do not say what its Satzung grants (§ 27 Abs. 7-10): undetermined, exit 3
    assert run("check", str(SCENARIOS / "bonn-2020.yaml"))[0] == 3
    assert run("check", str(SCENARIOS / "edge-5000-no-body.yaml"))[0] == 1
    assert run("check", str(SCENARIOS / "edge-missing-foreign-residents.yaml"))[0] == 3


def test_json_contract() -> None:
    code, out, _ = run("check", str(SCENARIOS / "edge-elected-equals-council.yaml"), "--format", "json", "--lang", "en")
    assert code == 1
    doc = json.loads(out)
    assert doc["municipality"] == "Beispielstadt Gleichstand"
    assert doc["regime"] == {"id": "nrw-2018", "title": doc["regime"]["title"], "status": "enacted",
                             "valid_from": "2018-12-29", "valid_to": "2025-10-31"}
    assert doc["verdict"] == "violations"
    f = next(f for f in doc["findings"] if f["rule"] == "NRW18-IR-06")
    assert f["outcome"] == "violated" and f["severity"] == "violation" and f["body"] == 0
    assert f["citation"] == {"law": "GO NRW", "section": "27", "paragraph": 1, "sentence": 5,
                             "label": "§ 27 Abs. 1 Satz 5 GO NRW"}
    assert f["reliability"] == "V"
    assert f["statute_text"].startswith("Die Zahl der nach Absatz 2 Satz 1 zu wählenden Mitglieder")
    assert f["facts"]["seats.directly_elected"] == 9
    assert "seats.directly_elected: 9 → 10 (+1)" in f["fix"]
    assert isinstance(f["derivation"], list) and f["derivation"]


def test_several_files_one_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("municipality:\n  name: X\n  land: NW\n  foreign_residents: many\n")
    code, out, err = run("check", str(bad), str(SCENARIOS / "edge-vacant-elected-seats.yaml"), "--format", "json")
    assert code == 2
    docs = json.loads(out)
    assert docs[0]["error"]["line"] == 4 and docs[0]["error"]["column"] == 22
    assert docs[1]["verdict"] == "compliant"
    assert "bad.yaml:4:22" in err and "Traceback" not in err


def test_markdown_and_english() -> None:
    code, out, _ = run("check", str(SCENARIOS / "edge-committee-with-decision-power.yaml"), "--format", "markdown", "--lang", "en")
    assert code == 1
    assert out.startswith("## Check under § 27 GO NRW: Beispielstadt Befugnis")
    assert "| VIOLATION | § 27 Abs. 12 Satz 1 GO NRW |" in out
    assert "> Anstelle eines Integrationsrates" in out


def test_all_lists_satisfied() -> None:
    _, out, _ = run("check", str(SCENARIOS / "bonn-2020.yaml"), "--all", "--lang", "de")
    assert "ERFÜLLT" in out and "§ 27 Abs. 1 Satz 5 GO NRW" in out


def test_regimes_rules_explain_lint_schema() -> None:
    code, out, _ = run("regimes", "--format", "json")
    assert code == 0 and any(r["id"] == "nrw-2018" for r in json.loads(out))
    code, out, _ = run("rules", "--regime", "nrw-2018")
    assert code == 0 and "NRW18-IA-03" in out
    code, out, _ = run("explain", "NRW18-IA-03", "--lang", "en")
    assert code == 0 and "requires: filled.directly_elected > filled.council_members + filled.sachkundige_buerger" in out
    code, out, _ = run("lint", "--lang", "en")
    assert code == 0 and "nrw-2018" in out and "ok" in out
    code, out, _ = run("schema")
    assert code == 0 and json.loads(out)["title"].startswith("optionsmodell configuration")


def test_lint_reports_broken_pack_with_line(tmp_path: Path) -> None:
    d = tmp_path / "broken"
    d.mkdir()
    (d / "pack.yaml").write_text(
        "id: broken\ntitle: {de: x, en: x}\nland: NW\nlaw: GO NRW\nstatus: proposal\n"
        "kinds:\n  integrationsrat: {label: {de: IR, en: IR}}\n"
    )
    (d / "rules.yaml").write_text(
        "rules:\n"
        "  - id: B-1\n    scope: body\n    modality: muss\n    title: {de: t, en: t}\n"
        "    citation: {law: GO NRW, section: '27'}\n    statute: {text: x, reliability: R}\n"
        "    applies: body.kind == 'beirat'\n"
        "    requires: seats.directly_eleted > 1\n"
        "    messages: {violated: {de: v, en: v}, satisfied: {de: s, en: s}}\n"
    )
    code, out, _ = run("lint", str(tmp_path))
    assert code == 1
    assert "rules.yaml:8:" in out and "unknown kind 'beirat'" in out
    assert "rules.yaml:9:" in out and "unknown fact 'seats.directly_eleted'" in out


def test_python_dash_m_entry_point() -> None:
    r = subprocess.run([sys.executable, "-m", "optionsmodell", "check", str(SCENARIOS / "edge-5000-no-body.yaml"), "--lang", "en"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 1
    assert "VIOLATION  § 27 Abs. 1 Satz 1 GO NRW  [NRW18-IR-01]" in r.stdout


def test_compare_table_and_summary() -> None:
    files = [str(SCENARIOS / n) for n in ("edge-5000-no-body.yaml", "kaarst-no-body.yaml", "koeln-2020.yaml")]
    code, out, _ = run("compare", *files, "--regime", "nrw-2018", "--regime", "ds-17-1356", "--lang", "en")
    assert code == 0
    assert "IR-01 An Integrationsrat (or Integrationsausschuss) must be" in out
    # the motion leaves the duty open (issue 8, defect 4): both readings, no verdict of "lost"
    assert ("under ds-17-1356 against nrw-2018: 1 of 3 configurations judged differently; 0 of 3 lose the duty to "
            "form a body, 0 gain it; for 2 it is open (two readings).") in out
    code, out, _ = run("compare", files[0], "--regime", "nrw-2018", "--regime", "nrw-2013", "--format", "json")
    doc = json.loads(out)
    assert doc["configurations"][0]["regimes"]["nrw-2018"]["obligation"] == "mandatory"
    assert run("compare", files[0], "--regime", "nrw-2018")[0] == 2


def test_timeline_in_date_order() -> None:
    code, out, _ = run("timeline", str(SCENARIOS / "edge-elected-equals-council.yaml"), "--format", "json")
    assert code == 0
    rows = json.loads(out)["timeline"]
    assert [r["regime"] for r in rows] == ["nrw-2009", "nrw-2013", "nrw-2018", "nrw-2025"]
    # nrw-2025 rests on unverified text: a likely violation, verdict undetermined (issue 8, defect 5)
    assert [r["verdict"] for r in rows] == ["compliant", "violations", "violations", "undetermined"]
    assert rows[3]["likely_violated"] and not rows[3]["violated"]


def test_rules_diff_lists_what_a_proposal_changes() -> None:
    # both proposals amend the law in force when they were made, the 2013 text (issue 8, defect 4)
    code, out, _ = run("rules", "--regime", "nrw-2013", "--diff", "refe-2018", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    status = {r["key"]: r["status"] for r in doc["rules"]}
    assert status["IA-03"] == "only_b" and status["IA-09"] == "only_b" and status["KIND"] == "changed"
    assert status["IR-06"] == "same"
    added = next(r for r in doc["rules"] if r["key"] == "IA-03")
    assert added["b"]["reliability"] == "S"
    code, out, _ = run("rules", "--regime", "nrw-2013", "--diff", "ds-17-1356")
    assert "~ IR-01" in out and "+ C-FORM" in out and "+ IA-03" in out


def test_pack_tests_command() -> None:
    code, out, _ = run("test")
    assert code == 0
    bundled = len(load_all())  # derived from what is bundled: adding a pack must not break this test
    assert f"{bundled} pack(s): 0 failed case(s), 0 rule(s) not fully exercised" in out


def test_regime_of_another_land_is_refused() -> None:
    code, _, err = run("check", str(SCENARIOS / "koeln-2020.yaml"), "--regime", "sl-2023", "--lang", "en")
    assert code == 2 and "is the law of Land SL" in err


def test_sarif_points_at_the_line() -> None:
    code, out, _ = run("check", str(SCENARIOS / "edge-elected-equals-council.yaml"), "--format", "sarif", "--lang", "en")
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    res = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "NRW18-IR-06")
    assert res["level"] == "error" and res["kind"] == "fail"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("edge-elected-equals-council.yaml")
    assert loc["region"]["startLine"] == 11  # seats: {directly_elected: 9, council_members: 9}
    assert "seats.directly_elected: 9 → 10 (+1)" in res["message"]["text"]
