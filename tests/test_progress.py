"""Long work has limits and shows progress on a terminal only (issue 9 point 7)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.explore import MAX_GRID, grid_points, grid_step

from .conftest import SCENARIOS

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
WIDE = ["explore", "sweep", str(SCENARIOS / "edge-4999-no-body.yaml"), "--vary",
        "municipality.foreign_residents=0..100000000", "--step", "1", "--lang", "en"]


def test_the_grid_is_bounded_whatever_the_range() -> None:
    assert grid_points(0, 100_000_000, 1) <= MAX_GRID
    assert grid_step(0, 10_000, 50) == 50 and grid_points(0, 10_000, 50) == 200


def test_a_sweep_over_a_hundred_million_finds_the_exact_change_points() -> None:
    r = runner.invoke(app, WIDE)
    assert r.exit_code == 0, r.output
    assert "municipality.foreign_residents 1999 → 2000:" in r.stdout
    assert "municipality.foreign_residents 4999 → 5000:" in r.stdout
    assert "--step 1 raised to 100000" in r.stderr
    assert "sweep [" not in r.stderr and "%" not in r.stderr  # no bar in a pipe


@pytest.mark.skipif(shutil.which("script") is None, reason="util-linux `script` gives the command a terminal")
def test_a_bar_on_a_terminal(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "optionsmodell"
    cmd = " ".join([str(exe), *(f"'{a}'" for a in WIDE[:-2])]) + " > /dev/null"
    r = subprocess.run(["script", "-qc", cmd, "/dev/null"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "LANG": "en_US.UTF-8"})
    assert "sweep" in r.stdout and "100%" in r.stdout
