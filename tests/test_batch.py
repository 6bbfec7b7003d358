"""batch over the bundled NRW table: the counts per obligation class, outputs, chart, bodies."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from optionsmodell.cli import app

runner = CliRunner()


def test_bundled_table_counts_under_nrw_2018_and_the_motion(tmp_path: Path) -> None:
    svg = tmp_path / "chart.svg"
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--regime", "ds-17-1356", "--format", "json", "--chart", str(svg)])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["summary"]["nrw-2018"] == {"mandatory": 97, "on_application": 101, "voluntary": 198}
    # the motion leaves the duty open where the 2013 law imposed it (issue 8, defect 4)
    assert doc["summary"]["ds-17-1356"] == {"mandatory": 0, "open": 97, "on_application": 101, "voluntary": 198}
    koeln = next(row for row in doc["rows"] if row["ags"] == "05315000" and row["regime"] == "nrw-2018")
    assert koeln == {"ags": "05315000", "name": "Köln, Stadt", "regime": "nrw-2018", "foreign_residents": 189228,
                     "obligation": "mandatory", "verdict": None}
    text = svg.read_text()
    assert text.startswith("<svg") and ">97<" in text and "nrw-2018" in text


def test_png_chart(tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--chart", str(png)])
    assert r.exit_code == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_other_table_with_column_mapping_bodies_and_verdicts(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("gs,gemeinde,auslaender,antraege\n05000001,Adorf,6000,0\n05000002,Bedorf,3000,250\n05000003,Cedorf,100,0\n")
    bodies = tmp_path / "bodies.yaml"
    bodies.write_text('bodies:\n  "05000001":\n    - {kind: integrationsrat, seats: {directly_elected: 4, council_members: 4}}\n')
    r = runner.invoke(app, ["batch", str(table), "--regime", "nrw-2018", "--column", "ags=gs", "--column", "name=gemeinde",
                            "--column", "foreign_residents=auslaender", "--column", "applicants=antraege",
                            "--bodies", str(bodies), "--format", "csv", "--jobs", "1"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["name"], x["obligation"], x["verdict"]) for x in rows] == [
        ("Adorf", "mandatory", "violations"), ("Bedorf", "mandatory", "violations"), ("Cedorf", "voluntary", "compliant")]


def test_bad_table_is_located(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("ags,municipality_name,foreign_est_census22\n05000001,Adorf,viele\n")
    r = runner.invoke(app, ["batch", str(table)])
    assert r.exit_code == 2 and "t.csv:2:1" in r.stderr and "not a whole number" in r.stderr
    r = runner.invoke(app, ["batch", str(table), "--column", "nonsense=x"])
    assert r.exit_code == 2 and "FIELD=COLUMN" in r.stderr
