"""Every quoted statute says where its words were read, so a lawyer can look them up.

Words that are not the official text (V-sec, S, R) are only as good as their source: a finding
that rests on them must name the public page it came from, and never an internal note.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.packs import load_all, rules_root

runner = CliRunner()

INTERNAL = ("shared/legal", "addendum", "/work/")


def test_every_unofficial_text_names_its_source() -> None:
    missing = [
        f"{p.id}:{r.id}"
        for p in load_all()
        for r in p.rules
        if r.spec.statute.reliability != "V" and not (r.spec.statute.source or "").strip()
    ]
    assert missing == []


def test_no_pack_cites_an_internal_note() -> None:
    # Pack files are read by users; a source they cannot open is no source.
    offenders = [
        f"{path.relative_to(rules_root())}:{n}"
        for path in sorted(rules_root().rglob("*.yaml"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(mark in line for mark in INTERNAL)
    ]
    assert offenders == []


def _nrw2025_config(tmp_path: Path) -> Path:
    cfg = tmp_path / "aci.yaml"
    cfg.write_text(
        "format: optionsmodell/v1\ndate: 2026-01-15\n"
        "municipality: {name: Neustadt, land: NW, foreign_residents: 9000}\n",
        encoding="utf-8",
    )
    return cfg


def test_json_finding_carries_the_source(tmp_path: Path) -> None:
    r = runner.invoke(app, ["check", str(_nrw2025_config(tmp_path)), "--format", "json", "--lang", "en"])
    doc = json.loads(r.stdout)
    assert doc["regime"]["id"] == "nrw-2025"
    f = next(f for f in doc["findings"] if f["rule"] == "NRW25-ACI-01")
    assert f["reliability"] == "S"
    assert "stadt-bad-salzuflen.de" in f["statute_source"]


def test_text_and_explain_show_the_source(tmp_path: Path) -> None:
    r = runner.invoke(app, ["check", str(_nrw2025_config(tmp_path)), "--lang", "de"])
    assert "(Quelle: umwelt-online" in r.stdout
    # a URL is never broken across lines
    assert "https://www.stadt-bad-salzuflen.de/stadt-und-rathaus/politik-und-wahlen/ortsrecht/" in r.stdout
    r = runner.invoke(app, ["explain", "NRW09-IA-03", "--lang", "en"])
    assert "(Source: StGB NRW-Mitteilung 229/2009" in r.stdout
