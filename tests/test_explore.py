"""explore: sweep finds the exact change points, diff finds shrunk witnesses deterministically,
consistency finds contradictions, dead rules and unused conclusions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.consistency import consistency
from optionsmodell.packs import load_all
from optionsmodell.resources import bundled_rules

from .conftest import SCENARIOS

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # English unless a test says otherwise


def test_sweep_threshold() -> None:
    r = runner.invoke(app, ["explore", "sweep", str(SCENARIOS / "edge-4999-no-body.yaml"),
                            "--vary", "municipality.foreign_residents=0..10000", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    assert "municipality.foreign_residents 1999 → 2000:\n  obligation: voluntary → on_application" in r.stdout
    assert "municipality.foreign_residents 4999 → 5000:\n  verdict: compliant → violations" in r.stdout
    assert "NRW18-IR-01: not_applicable → violated" in r.stdout


def test_sweep_sachkundige_buerger_tip_the_committee() -> None:
    r = runner.invoke(app, ["explore", "sweep", str(SCENARIOS / "edge-sachkundige-buerger-tipping.yaml"),
                            "--vary", "bodies[0].seats.sachkundige_buerger=0..8", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    assert "sachkundige_buerger 3 → 4:\n  verdict: compliant → violations\n  NRW18-IA-03@0: satisfied → violated" in r.stdout
    assert "sachkundige_buerger 5 → 6:\n  NRW18-IA-06@0: satisfied → violated" in r.stdout


def test_sweep_refuses_a_bad_field() -> None:
    r = runner.invoke(app, ["explore", "sweep", str(SCENARIOS / "bonn-2020.yaml"), "--vary", "bodies[3].seats.x=0..3"])
    assert r.exit_code == 2


def test_diff_witness_is_minimal_and_deterministic() -> None:
    args = ["explore", "diff", str(SCENARIOS / "koeln-2020.yaml"), "--regime", "nrw-2018", "--regime", "ds-17-1356",
            "--seed", "1", "--most", "3"]
    first = runner.invoke(app, args)
    again = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == again.stdout
    docs = [d for d in yaml.safe_load_all(first.stdout) if d]
    # the motion (rebased on the 2013 law) leaves the duty open: no body after 200 applications is
    # undetermined under it, a violation under the 2018 law
    # each witness is minimal: no bodies, and the one that shows the open duty has only the count
    # that makes the body mandatory
    heads = [line for line in first.stdout.splitlines() if line.startswith("# witness ")]
    n = next(i for i, h in enumerate(heads) if "obligation / mandatory / open" in h)
    assert "bodies" not in docs[n] and docs[n]["municipality"].get("foreign_residents", 0) >= 2000


def test_diff_witness_can_be_saved_and_checked(tmp_path: Path) -> None:
    r = runner.invoke(app, ["explore", "diff", str(SCENARIOS / "wuppertal-2020-integrationsausschuss.yaml"),
                            "--regime", "nrw-2013", "--regime", "refe-2018", "--seed", "3", "--most", "1"])
    assert r.exit_code == 0, r.stderr
    witness = tmp_path / "w.yaml"
    witness.write_text(r.stdout)
    # the 2013 law had no committee (a violation); the draft's own words are unverified [S]: its
    # verdict is undetermined (exit 3), and --strict makes its likely violations count.
    # What must hold whatever witness the seed finds (the packs may change): the saved witness,
    # checked again, reproduces the verdicts its header records.
    code = {"compliant": 0, "violations": 1, "undetermined": 3}
    for regime in ("nrw-2013", "refe-2018"):
        recorded = re.search(rf"^#\s+{regime}: (\w+)", r.stdout, re.M)
        assert recorded is not None, r.stdout
        result = runner.invoke(app, ["check", str(witness), "--regime", regime])
        assert result.exit_code == code[recorded.group(1)], (regime, r.stdout)


def test_consistency_of_the_motion_rebased_on_2013() -> None:
    pack = next(p for p in load_all() if p.id == "ds-17-1356")
    rep = consistency(pack)
    assert rep.unused_conclusions == []
    assert rep.contradictions == [] and rep.dead == []


def test_consistency_finds_a_contradiction_and_a_dead_rule(tmp_path: Path) -> None:
    shutil.copytree(bundled_rules() / "nrw-2018", tmp_path / "nrw-2018")
    d = tmp_path / "broken-proposal"
    d.mkdir()
    (d / "pack.yaml").write_text("id: broken-proposal\ntitle: {de: x, en: x}\nland: NW\nlaw: GO NRW\nstatus: proposal\nextends: nrw-2018\n")
    (d / "rules.yaml").write_text(
        "rules:\n"
        "  - id: BP-1\n    scope: body\n    modality: muss\n    title: {de: Ratsmehrheit, en: council majority}\n"
        "    citation: {law: Entwurf, section: '27'}\n    statute: {text: 'erfunden für den Test', reliability: R}\n"
        "    applies: body.kind == 'integrationsrat'\n    requires: seats.council_members > seats.directly_elected\n"
        "    messages: {violated: {de: v, en: v}, satisfied: {de: s, en: s}}\n"
        "  - id: BP-2\n    scope: body\n    modality: muss\n    title: {de: tot, en: dead}\n"
        "    citation: {law: Entwurf, section: '27'}\n    statute: {text: 'erfunden für den Test', reliability: R}\n"
        "    applies: threshold_class == 'mandatory' and threshold_class == 'voluntary'\n    requires: seats.total > 0\n"
        "    messages: {violated: {de: v, en: v}, satisfied: {de: s, en: s}}\n"
    )
    pack = next(p for p in load_all(tmp_path) if p.id == "broken-proposal")
    rep = consistency(pack)
    assert ("integrationsrat", "NRW18-IR-06", "BP-1") in rep.contradictions
    assert "BP-2" in rep.dead
