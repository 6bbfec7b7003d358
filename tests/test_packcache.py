"""The bundled packs kept between runs (packcache): the same packs as read from their YAML, read
afresh when a pack file changes, and never taken from a cache that is damaged, foreign or writable
by others."""

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from optionsmodell import packcache, packs
from optionsmodell.resources import bundled_rules

ROOT = Path(__file__).resolve().parents[1]
KOELN = ROOT / "scenarios" / "koeln-2020.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(packcache.ENV, str(folder))
    monkeypatch.setattr(packcache, "_FOLDERS", {})
    monkeypatch.setattr(packs, "_CACHE", {})
    monkeypatch.setattr(packs, "_HEADERS", {})
    return folder


def same(a: packs.Pack | None, b: packs.Pack | None) -> bool:
    """Two packs alike in all they hold (a pack's `origin` names itself, so not by ==)."""
    if a is None or b is None:
        return a is b
    return (a.spec == b.spec and a.directory == b.directory and a.rules == b.rules and a.problems == b.problems
            and a.kinds == b.kinds and a.conclusion_specs == b.conclusion_specs and same(a.base, b.base)
            and {k: (v.id, v.directory) for k, v in a.origin.items()} == {k: (v.id, v.directory) for k, v in b.origin.items()})


def _fresh() -> None:
    packs._CACHE.clear()
    packs._HEADERS.clear()


def test_a_kept_pack_is_the_pack_read_from_its_yaml(cache: Path) -> None:
    directory = bundled_rules() / "ds-17-1356"  # an amendment: its base is kept inside it
    first = packs.load_cached(directory)
    headers = packs.headers()
    kept = list(cache.glob("packs-*/*.pickle"))
    assert len(kept) == 2  # the pack and the headers
    for f in [*kept, kept[0].parent]:
        assert not f.stat().st_mode & 0o077  # the user's alone
    _fresh()
    again = packs.load_cached(directory)
    assert again is not first and same(again, first) and same(again, packs.load_pack(directory))
    assert again.base is not None and again.base.id == "nrw-2013"
    assert packs.headers() == headers


def test_check_says_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    def check(setting: str) -> str:
        env = {**os.environ, packcache.ENV: setting}
        return subprocess.run([sys.executable, "-m", "optionsmodell", "check", str(KOELN), "--lang", "en", "--all"],
                              capture_output=True, text=True, env=env, cwd=ROOT).stdout

    off = check("off")
    assert "Judged by" in off
    assert check(str(tmp_path / "c")) == off  # stores
    assert check(str(tmp_path / "c")) == off  # reads
    assert list((tmp_path / "c").glob("packs-*/*.pickle"))


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(packcache.ENV, "off")
    monkeypatch.setattr(packcache, "_FOLDERS", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    packcache.store(bundled_rules(), "k", 1)
    assert packcache.load(bundled_rules(), "k") is None
    assert not list(tmp_path.iterdir())


def test_a_changed_pack_file_is_read_afresh(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules() / "nrw-2018", root / "nrw-2018")
    packcache.store(root, "k", "kept")
    assert packcache.load(root, "k") == "kept"
    rule_file = next((root / "nrw-2018").glob("1*.yaml"))
    rule_file.write_text(rule_file.read_text() + "\n# amended\n")
    monkeypatch.setattr(packcache, "_FOLDERS", {})  # a new run
    assert packcache.load(root, "k") is None
    packcache.store(root, "k", "new")
    assert packcache.load(root, "k") == "new"
    assert len(list(cache.glob("packs-*"))) == 1  # the earlier state is removed
    other = tmp_path / "other-install" / "rules"
    shutil.copytree(root, other)
    packcache.store(other, "k", "theirs")
    assert packcache.load(root, "k") == "new"  # another installation keeps its own
    assert len(list(cache.glob("packs-*"))) == 2


class _Trap:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("touch trapped",))


@pytest.mark.parametrize("damage", ["garbage", "cut short", "foreign class", "writable by others"])
def test_a_damaged_or_foreign_cache_is_ignored(cache: Path, tmp_path: Path, damage: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    directory = bundled_rules() / "nrw-2018"
    expected = packs.load_pack(directory)
    packs.load_cached(directory)
    [kept] = [f for f in cache.glob("packs-*/*.pickle") if f.stat().st_size > 20_000]
    data = kept.read_bytes()
    if damage == "garbage":
        kept.write_bytes(b"not a pickle")
    elif damage == "cut short":
        kept.write_bytes(data[: len(data) // 2])
    elif damage == "foreign class":
        kept.write_bytes(pickle.dumps(_Trap()))
    else:
        kept.parent.chmod(0o777)
    _fresh()
    assert same(packs.load_cached(directory), expected)
    assert not (tmp_path / "trapped").exists()
