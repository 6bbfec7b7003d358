"""Long work has limits and shows progress on a terminal only (issue 9 point 7)."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading
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


def _on_a_terminal(args: list[str]) -> tuple[int, str, bytes]:
    """Run the installed command with stderr on a pseudo-terminal (as in a user's shell) and stdout
    on a pipe: the exit code, stdout, and every byte the terminal received."""
    exe = Path(sys.executable).parent / "optionsmodell"
    master, slave = pty.openpty()
    env = {**os.environ, "LANG": "en_US.UTF-8", "TERM": "xterm-256color", "COLUMNS": "100"}
    proc = subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    seen = bytearray()

    def drain() -> None:  # the terminal must be read while the command writes, or it blocks
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the command closed its end
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, out.decode("utf-8"), bytes(seen)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_a_rich_bar_on_a_terminal_and_none_in_the_output(tmp_path: Path) -> None:
    code, out, tty = _on_a_terminal(WIDE)
    assert code == 0
    assert b"sweep" in tty and "━".encode() in tty and b"%" in tty  # rich's bar, its percentage
    assert "━" not in out and "%" not in out  # stdout (a pipe) carries the result only
    # many files checked at once, one of them broken: its errors are written above the bar, never into it
    broken = tmp_path / "broken.yaml"
    broken.write_text("municipality: {name: X, land: NRW}\n", encoding="utf-8")
    files = [*map(str, sorted(SCENARIOS.glob("edge-*.yaml"))), str(broken)]
    code, out, tty = _on_a_terminal(["check", *files, "--format", "json"])
    assert code == 2 and b"check" in tty and "━".encode() in tty
    assert len(json.loads(out)) == len(files)
    assert re.search(rb"(\r\x1b\[2K|\n)error: .*broken\.yaml:1:", tty)
    assert not re.search(rb"%[^\r\n]*error: ", tty)
    # work of unknown size (consistency) still shows that it runs
    code, out, tty = _on_a_terminal(["explore", "consistency", "--regime", "sl-2023", "--format", "json"])
    assert code == 0 and b"consistency" in tty
    assert json.loads(out)["contradictions"] == []


def test_no_bar_in_a_pipe(tmp_path: Path) -> None:
    runs = [
        ["explore", "diff", str(SCENARIOS / "koeln-2020.yaml"), "--regime", "nrw-2018", "--regime", "ds-17-1356",
         "--tries", "100", "--most", "1"],
        ["explore", "consistency", "--regime", "sl-2023", "--format", "json"],
        ["test"],
    ]
    for args in runs:
        r = subprocess.run([str(Path(sys.executable).parent / "optionsmodell"), *args], capture_output=True, text=True,
                           timeout=300, env={**os.environ, "LANG": "en_US.UTF-8", "TERM": "xterm-256color"})
        assert r.returncode in (0, 1), r.stderr
        assert "━" not in r.stderr + r.stdout and "\x1b[" not in r.stderr + r.stdout, args
