"""--engine on every command that judges; each output names the engine that judged."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import SCENARIOS
from .test_cli import run

KOELN = str(SCENARIOS / "koeln-2020.yaml")


@pytest.mark.parametrize("engine", ["compiled", "rete", "reference"])
def test_check_names_the_engine_it_was_asked_for(engine: str) -> None:
    if engine == "rete":
        pytest.importorskip("optionsmodell.rete", reason="durable-rules does not import on this Python")
    code, out, _ = run("check", KOELN, "--engine", engine, "--format", "json")
    doc = json.loads(out)
    expected = {"compiled": "compiled", "rete": "durable-rules (Rete)", "reference": "reference"}[engine]
    assert f'"engine": "{expected}"' in json.dumps(doc)
    code_default, _, _ = run("check", KOELN)
    assert code == code_default


def test_every_judging_command_takes_engine() -> None:
    five = str(SCENARIOS / "edge-5000-no-body.yaml")
    code, out, _ = run("compare", five, "--regime", "nrw-2018", "--regime", "nrw-2013", "--engine", "compiled", "--format", "json")
    assert code == 0 and {r["engine"] for r in json.loads(out)["configurations"][0]["regimes"].values()} == {"compiled"}
    code, out, _ = run("timeline", five, "--engine", "reference", "--format", "json")
    assert code == 0 and {r["engine"] for r in json.loads(out)["timeline"]} == {"reference"}
    code, out, _ = run("test", "nrw-2018", "--engine", "compiled")
    assert code == 0 and "(engine: compiled)" in out
    code, out, _ = run("explore", "consistency", "--regime", "sl-2023", "--lang", "en")
    assert code == 0 and "(judged by: compiled)" in out
    code, out, _ = run("explore", "sweep", five, "--vary", "municipality.foreign_residents=4990..5010", "--lang", "en")
    assert code == 0 and "judged by: compiled" in out
    code, out, _ = run("batch", "--regime", "nrw-2018", "--format", "json", "--jobs", "1")
    assert code == 0 and json.loads(out)["engine"] == "compiled"
    code, out, err = run("check", five, "--engine", "warp")
    assert code == 2 and "Traceback" not in out + err


def test_engine_module_imports_no_concrete_engine() -> None:
    code = ("import sys, optionsmodell.engine as e; "
            "print('optionsmodell.rete' in sys.modules, 'optionsmodell.compiled' in sys.modules, "
            "'durable' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["False", "False", "False"]
