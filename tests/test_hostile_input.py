"""Hostile and clumsy input ends in exit 2 with file:line:column and what to do, never a traceback
(issue 9 points 5, 8 and 12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.safe_yaml import MAX_BYTES, InputError, load_file

runner = CliRunner()


def check(path: Path) -> tuple[int, str]:
    r = runner.invoke(app, ["check", str(path)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.output


CASES = {
    "tab": (b"municipality:\n\tname: x\n", "2:1", "YAML does not allow tabs"),
    "two-documents": (b"municipality: {name: x, land: NW}\n---\nbodies: []\n", "2:1", "second YAML document"),
    "latin-1": (b"municipality:\n  name: K\xf6ln\n  land: NW\n", "2:10", "save the file as UTF-8"),
    "control": (b"municipality:\n  name: a\x07b\n", "2:10", "control character U+0007"),
    "recursive-anchor": (b"a: &a [*a]\n", "1:", "nested more than"),
    "deep-flow": (b"a: " + b"[" * 500 + b"]" * 500 + b"\n", "1:", "nested more than"),
    "bool-tag": (b"a: !!bool maybe\n", "1:4", "!!bool"),
    "int-tag": (b"a: !!int x\n", "1:4", "!!int"),
    "timestamp-tag": (b"date: !!timestamp 2020-13-45\n", "1:7", "!!timestamp"),
    "tag-on-key": (b"? !!timestamp 2020-99-99\n: 1\n", "1:3", "!!timestamp"),
    "python-tag": (b"a: !!python/object/apply:os.system ['true']\n", "1:4", "cannot read"),
    "binary": (b"a: !!binary AAAA\n", "1:4", "binary"),
}


@pytest.mark.parametrize("name", CASES)
def test_clumsy_and_hostile_yaml(tmp_path: Path, name: str) -> None:
    data, where, message = CASES[name]
    f = tmp_path / "input.yaml"
    f.write_bytes(data)
    code, out = check(f)
    assert code == 2
    assert f"input.yaml:{where}" in out and message in out, out


def test_special_files_are_refused_before_reading(tmp_path: Path) -> None:
    code, out = check(Path("/dev/zero"))
    assert code == 2 and "character device" in out
    code, out = check(tmp_path)
    assert code == 2 and "folder" in out
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, out = check(fifo)  # would block forever if it were opened
    assert code == 2 and "FIFO" in out


def test_size_is_read_not_trusted(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_bytes(b"#" * (MAX_BYTES + 10))
    with pytest.raises(InputError, match="larger than 1 MiB"):
        load_file(f)


def test_a_pack_with_a_malformed_timestamp(tmp_path: Path) -> None:
    d = tmp_path / "p"
    d.mkdir()
    (d / "pack.yaml").write_text("id: p\ntitle: {de: x, en: x}\nland: NW\nlaw: x\nstatus: enacted\n"
                                 "valid_from: !!timestamp 2020-13-01\nkinds: {}\n")
    r = runner.invoke(app, ["lint", str(tmp_path)])
    assert r.exit_code == 1 and "pack.yaml:6:13" in r.output, r.output
    r = runner.invoke(app, ["--rules", str(tmp_path), "regimes"])
    assert r.exit_code == 0 and "rule pack p left out" in r.output
