"""Broken packs and bodies files end in a message with file:line and exit 2 (or lint's exit 1),
never a traceback (issue 13, defect 6)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.packs import rules_root

from .conftest import SCENARIOS

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # English unless a test says otherwise
KOELN = str(SCENARIOS / "koeln-2020.yaml")


def _rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(rules_root(), root)
    return root


def _no_traceback(r: object) -> None:
    exc = getattr(r, "exception", None)
    assert exc is None or isinstance(exc, SystemExit), repr(exc)


def test_lint_refuses_two_packs_with_one_id(tmp_path: Path) -> None:
    root = _rules(tmp_path)
    shutil.copytree(root / "nrw-2013", root / "nrw-2013-copy")
    r = runner.invoke(app, ["lint", str(root)])
    _no_traceback(r)
    assert r.exit_code == 1
    assert re.search(r"nrw-2013-copy/pack\.yaml:\d+:\d+: pack id 'nrw-2013' is also the id of .*nrw-2013/pack\.yaml", r.stdout)


def test_valid_to_before_valid_from_is_refused(tmp_path: Path) -> None:
    root = _rules(tmp_path)
    pack_yaml = root / "nrw-2013" / "pack.yaml"
    text = pack_yaml.read_text()
    text = re.sub(r"valid_to: \S+", "valid_to: 2001-01-01", text)
    pack_yaml.write_text(text)
    r = runner.invoke(app, ["lint", str(root)])
    _no_traceback(r)
    assert r.exit_code == 1
    assert re.search(r"nrw-2013/pack\.yaml:\d+:\d+: .*valid_to 2001-01-01 is before valid_from", r.stdout)


def test_batch_bodies_with_a_number_instead_of_a_list(tmp_path: Path) -> None:
    bodies = tmp_path / "bodies.yaml"
    bodies.write_text("bodies:\n  '05315000': 3\n")
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--bodies", str(bodies)])
    _no_traceback(r)
    assert r.exit_code == 2
    assert f"{bodies}:2:" in r.stderr and "expected a list of bodies" in r.stderr


@pytest.fixture
def rete_rejects(tmp_path: Path) -> Path:
    """A user's rules folder with one pack, nrw-2018 renamed nrw-2018-x, whose one rule is valid in
    the expression language but not a shape the Rete compiler can express."""
    pytest.importorskip("durable")
    root = tmp_path / "rules"
    root.mkdir()
    pack = root / "nrw-2018-x"
    shutil.copytree(rules_root() / "nrw-2018", pack)
    (pack / "pack.yaml").write_text(re.sub(r"(?m)^id: nrw-2018$", "id: nrw-2018-x", (pack / "pack.yaml").read_text()))
    f = pack / "20-composition.yaml"
    text = f.read_text()
    assert "requires: seats.directly_elected > seats.council_members\n" in text
    f.write_text(text.replace("requires: seats.directly_elected > seats.council_members\n",
                              "requires: 5 > seats.council_members * 2\n", 1))
    return root


@pytest.mark.parametrize("args", [
    # check and explore judge with the compiled evaluator by default, which has no such limits
    ["check", KOELN, "--regime", "nrw-2018-x", "--engine", "rete"],
    ["compare", KOELN, "--regime", "nrw-2013", "--regime", "nrw-2018-x"],
    ["timeline", KOELN],
    ["test", "nrw-2018-x"],
    ["explore", "sweep", KOELN, "--vary", "municipality.foreign_residents=1..50", "--regime", "nrw-2018-x", "--engine", "rete"],
])
def test_a_rule_the_rete_compiler_rejects_is_exit_2_with_file_and_line(rete_rejects: Path, args: list[str]) -> None:
    r = runner.invoke(app, args, env={"OPTIONSMODELL_RULES": str(rete_rejects)})
    _no_traceback(r)
    assert r.exit_code == 2, r.stdout + r.stderr
    assert re.search(r"nrw-2018-x/20-composition\.yaml:\d+:\d+: NRW18-IR-06 cannot be compiled for the Rete engine", r.stderr)


def test_lint_names_file_and_line_of_a_rule_the_rete_compiler_rejects(rete_rejects: Path) -> None:
    r = runner.invoke(app, ["lint", str(rete_rejects)])
    _no_traceback(r)
    assert r.exit_code == 1
    assert re.search(r"nrw-2018-x/20-composition\.yaml:\d+:\d+: NRW18-IR-06 cannot be compiled", r.stdout)
