"""The law ships inside the package and is found from any folder; a user's packs are added
beside the bundled ones; a broken pack is reported once and left out (issue 9 points 1, 2, 11)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optionsmodell.packs import discover
from optionsmodell.resources import bundled_data, bundled_rules

from .conftest import SCENARIOS

BUNDLED = sorted(d.name for d in discover(bundled_rules()))


def om(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("OPTIONSMODELL_")}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "optionsmodell", *args], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=300)


def test_the_law_is_inside_the_package() -> None:
    assert bundled_rules().parent.name == "optionsmodell"
    assert (bundled_data() / "nrw-gemeinden-zensus2022.csv").is_file()
    assert (bundled_data() / "README.md").is_file()
    assert "nrw-2018" in BUNDLED and all((bundled_rules() / d / "tests").is_dir() for d in BUNDLED)


def test_found_from_an_empty_folder_without_environment(tmp_path: Path) -> None:
    shutil.copy(SCENARIOS / "koeln-2020.yaml", tmp_path)
    r = om("regimes", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert '"origin": "bundled"' in r.stdout
    assert om("check", "koeln-2020.yaml", cwd=tmp_path).returncode == 3


def test_version(tmp_path: Path) -> None:
    r = om("--version", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("optionsmodell ")


def _user_pack(root: Path, pack_id: str, base: str = "ds-17-1356") -> Path:
    d = root / pack_id
    shutil.copytree(bundled_rules() / base, d)
    text = (d / "pack.yaml").read_text(encoding="utf-8")
    (d / "pack.yaml").write_text(text.replace(f"id: {base}", f"id: {pack_id}", 1), encoding="utf-8")
    return d


def test_user_packs_beside_the_bundled_ones(tmp_path: Path) -> None:
    _user_pack(tmp_path / "mine", "my-proposal")
    _user_pack(tmp_path / "other", "their-proposal")
    r = om("--rules", str(tmp_path / "mine"), "regimes", "--format", "json", cwd=tmp_path,
           env={"OPTIONSMODELL_RULES": str(tmp_path / "other")})
    assert r.returncode == 0, r.stderr
    import json

    doc = {o["id"]: o["origin"] for o in json.loads(r.stdout)}
    assert set(BUNDLED) <= set(doc)
    assert doc["my-proposal"] == str(tmp_path / "mine") and doc["their-proposal"] == str(tmp_path / "other")
    assert doc["nrw-2018"] == "bundled"


def test_a_user_pack_never_replaces_a_bundled_one(tmp_path: Path) -> None:
    _user_pack(tmp_path, "nrw-2018", base="nrw-2018")
    r = om("--rules", str(tmp_path), "regimes", cwd=tmp_path)
    assert r.returncode == 0
    assert "already defined in bundled" in r.stderr
    assert "[bundled]" in next(line for line in r.stdout.splitlines() if line.startswith("nrw-2018"))


def test_batch_finds_its_table_with_a_user_rules_folder(tmp_path: Path) -> None:
    _user_pack(tmp_path / "mine", "my-proposal")
    r = om("--rules", str(tmp_path / "mine"), "batch", "--regime", "nrw-2018", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "nrw-2018: mandatory 97, on_application 101, voluntary 198" in r.stderr


BROKEN = {
    "syntax": "id: [broken\n",
    "empty": "",
    "notitle": "id: notitle\nland: NW\nlaw: x\nstatus: proposal\nextends: nrw-2018\n",
    "future": "id: future\ntitle: {de: x, en: x}\nland: NW\nlaw: x\nstatus: proposal\nextends: nrw-2099\n",
    "wrong-id": "id: other-id\ntitle: {de: x, en: x}\nland: NW\nlaw: x\nstatus: proposal\nextends: nrw-2018\n",
}


@pytest.fixture(scope="module")
def broken_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    for name, text in BROKEN.items():
        (root / name).mkdir()
        (root / name / "pack.yaml").write_text(text)
    return root


@pytest.mark.parametrize("args", [
    ["regimes"], ["rules", "--regime", "nrw-2018"], ["test", "sl-2023"], ["timeline", "koeln-2020.yaml"],
    ["explain", "NRW18-IA-03"], ["explore", "consistency", "--regime", "sl-2023"],
    ["compare", "koeln-2020.yaml", "--regime", "nrw-2018", "--regime", "ds-17-1356"],
    ["check", "koeln-2020.yaml"], ["check", "merzig.yaml"],
])
def test_a_broken_pack_is_reported_once_and_left_out(broken_root: Path, tmp_path: Path, args: list[str]) -> None:
    shutil.copy(SCENARIOS / "koeln-2020.yaml", tmp_path)
    shutil.copy(SCENARIOS / "merzig-2024-integrationsbeirat.yaml", tmp_path / "merzig.yaml")
    r = om("--rules", str(broken_root), *args, cwd=tmp_path)
    assert "Traceback" not in r.stderr
    assert r.returncode in (0, 1, 3), r.stderr
    for name in BROKEN:
        assert r.stderr.count(f"rule pack {name} left out") == 1, r.stderr
    assert f"{broken_root / 'syntax' / 'pack.yaml'}:2:1" in r.stderr
    assert "extends unknown pack 'nrw-2099'" in r.stderr
    assert "does not match its folder" in r.stderr


@pytest.mark.parametrize("args", [
    ["rules", "--regime", "future"], ["test", "syntax"], ["check", "koeln-2020.yaml", "--regime", "future"],
    ["compare", "koeln-2020.yaml", "--regime", "nrw-2018", "--regime", "future"],
    ["explore", "consistency", "--regime", "empty"],
])
def test_only_a_command_naming_a_broken_pack_fails(broken_root: Path, tmp_path: Path, args: list[str]) -> None:
    shutil.copy(SCENARIOS / "koeln-2020.yaml", tmp_path)
    r = om("--rules", str(broken_root), *args, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "cannot be used" in r.stderr


def test_lint_checks_the_id_against_the_folder(broken_root: Path, tmp_path: Path) -> None:
    r = om("lint", str(broken_root), cwd=tmp_path)
    assert r.returncode == 1
    assert "id 'other-id' does not match its folder 'wrong-id'" in r.stdout
