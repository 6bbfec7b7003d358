"""`elect --into`: the file is always the old or the new content (atomic replacement), never edited
through a YAML alias, every YAML style either edited exactly or refused, line endings and
byte-order mark kept (issue 13, defects 3 and 4)."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optionsmodell.check import check_file
from optionsmodell.cli import app

runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # English unless a test says otherwise

ELECTION = ("seats: 15\ncandidates:\n  - {name: A, kind: list, votes: 910, candidates: 5}\n"
            "  - {name: B, kind: list, votes: 600, candidates: 4}\n  - {name: C, kind: single, votes: 290}\n")
FILLED = 10  # 5 + 4 + 1

HEAD = ("# Hauptsatzung der Beispielstadt\n"
        "municipality:\n  name: Beispielstadt\n  land: NW\n  foreign_residents: 20000\n"
        "date: 2021-01-01\n")
CONFIG = HEAD + (
    "bodies:\n"
    "  - kind: integrationsrat   # seit 2014\n"
    "    seats:\n      directly_elected: 15   # § 9 Abs. 1\n      council_members: 8\n"
    "    chair: directly_elected\n"
)


def _election(tmp_path: Path) -> Path:
    el = tmp_path / "election.yaml"
    el.write_text(ELECTION)
    return el


def _data(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8-sig"))


def _tmp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".optionsmodell-tmp")]


# ---------------------------------------------------------------------------------------------
# defect 3: atomic write-back

def _cli(*args: str, limit: int | None = None, prelude: str = "") -> subprocess.Popen[bytes]:
    code = textwrap.dedent(f"""
        import sys
        {prelude}
        from optionsmodell.cli import main
        sys.argv = ["optionsmodell", *{list(args)!r}]
        main()
    """)

    def limits() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=limits, env=env)


def test_kill_9_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(CONFIG)
    before = cfg.read_bytes()
    marker = tmp_path / "writing"
    # the moment the new content is being made durable: the slowest step of a real write
    prelude = textwrap.dedent(f"""
        import os, time
        def _slow_fsync(fd):
            open({str(marker)!r}, "w").close()
            time.sleep(60)
        os.fsync = _slow_fsync
    """).replace("\n", "\n        ")
    proc = _cli("elect", str(_election(tmp_path)), "--into", str(cfg), prelude=prelude)
    deadline = time.monotonic() + 60
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert marker.exists(), "the write never reached a durable temporary file"
    assert cfg.read_bytes() == before


def test_file_size_limit_is_exit_2_and_the_file_untouched(tmp_path: Path) -> None:
    # RLIMIT_FSIZE stands for a full disk: the write fails part-way
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(CONFIG)
    before = cfg.read_bytes()
    proc = _cli("elect", str(_election(tmp_path)), "--into", str(cfg), limit=64)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err.decode()
    assert b"Traceback" not in err and b"the file is unchanged" in err
    assert cfg.read_bytes() == before
    assert _tmp_files(tmp_path) == []


def test_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(CONFIG)
    cfg.chmod(0o444)
    before = cfg.read_bytes()
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
    assert r.exit_code == 2 and "read-only" in r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert cfg.read_bytes() == before
    assert _tmp_files(tmp_path) == []


def test_folder_not_writable_is_exit_2(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into any folder")
    folder = tmp_path / "ro"
    folder.mkdir()
    cfg = folder / "cfg.yaml"
    cfg.write_text(CONFIG)
    folder.chmod(0o555)
    try:
        r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
        assert r.exit_code == 2 and "unchanged" in r.stderr
        assert cfg.read_text() == CONFIG
    finally:
        folder.chmod(0o755)


def test_mode_owner_and_symlink_kept(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(CONFIG)
    cfg.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(cfg.name)
    owner = (cfg.stat().st_uid, cfg.stat().st_gid)
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(link)])
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink()
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o640
    assert (cfg.stat().st_uid, cfg.stat().st_gid) == owner
    assert "filled: {directly_elected: 10}" in cfg.read_text()
    assert _tmp_files(tmp_path) == []


# ---------------------------------------------------------------------------------------------
# defect 4: aliases, styles, line endings, encoding

SHARED = HEAD + (
    "bodies:\n"
    "  - kind: integrationsrat\n"
    "    name: Integrationsrat\n"
    "    seats: {directly_elected: 15, council_members: 8}\n"
    "    filled: &f {directly_elected: 12}\n"
    "  - kind: integrationsrat\n"
    "    name: Zweiter Integrationsrat\n"
    "    seats: {directly_elected: 15, council_members: 8}\n"
    "    filled: *f\n"
)


@pytest.mark.parametrize(("body", "other"), [(1, "bodies[0].filled"), (0, "bodies[1].filled")])
def test_refuses_to_edit_through_an_alias_and_names_the_sharer(tmp_path: Path, body: int, other: str) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(SHARED)
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg), "--body", str(body)])
    assert r.exit_code == 2
    assert "alias" in r.stderr and other in r.stderr
    assert cfg.read_text() == SHARED


def test_alias_of_a_scalar_is_refused(tmp_path: Path) -> None:
    text = HEAD + ("bodies:\n  - kind: integrationsrat\n    seats: {directly_elected: 15, council_members: &n 8}\n"
                   "    filled:\n      directly_elected: &d 12\n"
                   "  - kind: integrationsrat\n    seats: {directly_elected: 15, council_members: 12}\n"
                   "    filled: {directly_elected: *d}\n")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(text)
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
    assert r.exit_code == 2 and "bodies[1].filled.directly_elected" in r.stderr
    assert cfg.read_text() == text


def test_folded_kind_is_edited(tmp_path: Path) -> None:
    text = HEAD + "bodies:\n  - kind: >-\n      integrationsrat\n    chair: directly_elected\n"
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(text)
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
    assert r.exit_code == 0, r.stderr
    body = _data(cfg)["bodies"][0]  # type: ignore[index]
    assert body == {"kind": "integrationsrat", "chair": "directly_elected",
                    "seats": {"directly_elected": 15}, "filled": {"directly_elected": FILLED}}


def test_crlf_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    original = b"\xef\xbb\xbf" + CONFIG.replace("\n", "\r\n").encode()
    cfg.write_bytes(original)
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
    assert r.exit_code == 0, r.stderr
    raw = cfg.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") == original.count(b"\r\n") + 1
    assert b"filled: {directly_elected: 10}\r\n" in raw
    assert "# seit 2014" in raw.decode("utf-8-sig")
    result = check_file(cfg, lang="en")
    assert result.loaded.config.bodies[0].filled is not None
    assert result.loaded.config.bodies[0].filled.directly_elected == FILLED


def test_no_final_newline_and_non_ascii_text(tmp_path: Path) -> None:
    text = HEAD.replace("Beispielstadt", "Mönchengladbach – Süd") + (
        "bodies:\n  - kind: integrationsrat  # Integrationsrat „Vielfalt“\n"
        "    filled:\n      council_members: 8\n    seats:\n      council_members: 8")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
    assert r.exit_code == 0, r.stderr
    new = cfg.read_text(encoding="utf-8")
    assert "„Vielfalt“" in new and "Mönchengladbach – Süd" in new
    body = _data(cfg)["bodies"][0]  # type: ignore[index]
    assert body["seats"] == {"council_members": 8, "directly_elected": 15}
    assert body["filled"] == {"council_members": 8, "directly_elected": FILLED}


BODY_STYLES = [
    # no seats at all
    "  - kind: integrationsrat\n",
    # block seats, no filled
    "  - kind: integrationsrat\n    seats:\n      council_members: 8\n",
    # flow seats without directly_elected, block filled
    "  - kind: integrationsrat\n    seats: {council_members: 8}\n    filled:\n      council_members: 7\n",
    # an empty flow mapping
    "  - kind: integrationsrat\n    seats: {council_members: 8}\n    filled: {}\n",
    # filled value to replace, written in hex
    "  - kind: integrationsrat\n    seats: {directly_elected: 15}\n    filled: {directly_elected: 0x3}\n",
    # explicit keys
    "  - kind: integrationsrat\n    seats:\n      ? council_members\n      : 8\n",
    # a quoted, multi-line kind
    '  - kind: "integrations\\\n      rat"\n    chair: mayor\n',
    # a literal block kind with keep chomping and a blank line after it
    "  - kind: |-\n      integrationsrat\n\n    chair: mayor\n",
    # seats in a multi-line flow mapping
    "  - kind: integrationsrat\n    seats: {council_members: 8,\n      sachkundige_buerger: 2}\n",
    # a document marker and an anchored, unshared body
    "  - &b kind: integrationsrat\n    seats: {council_members: 8}\n",
    # comments between the keys
    "  - kind: integrationsrat\n    # seats per § 9\n    seats:\n      # elected\n      council_members: 8\n",
    # the body is a flow mapping: refused
    "  - {kind: integrationsrat, seats: {council_members: 8}}\n",
    # the body's keys start on a line of their own
    "  -\n    kind: integrationsrat\n    seats: {council_members: 8}\n",
    # filled null: refused
    "  - kind: integrationsrat\n    seats: {council_members: 8}\n    filled:\n",
]


@pytest.mark.parametrize("style", BODY_STYLES)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_style_is_edited_exactly_or_refused(tmp_path: Path, style: str, newline: str) -> None:
    text = (HEAD + "bodies:\n" + style + "  - kind: integrationsrat\n    seats: {council_members: 3}\n").replace("\n", newline)
    cfg = tmp_path / "cfg.yaml"
    cfg.write_bytes(text.encode())
    before = yaml.safe_load(text)
    r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    if r.exit_code != 0:
        assert r.exit_code == 2 and "Traceback" not in r.stderr
        assert cfg.read_bytes() == text.encode()
        return
    after = _data(cfg)
    body = before["bodies"][0]
    body.setdefault("seats", {})["directly_elected"] = 15
    if not body.get("filled"):
        body["filled"] = {}
    body["filled"]["directly_elected"] = FILLED
    assert after == before
    raw = cfg.read_bytes()
    if newline == "\r\n":
        assert raw.count(b"\n") == raw.count(b"\r\n")
    else:
        assert b"\r" not in raw


def test_style_outcomes_are_the_expected_ones(tmp_path: Path) -> None:
    refused = []
    for i, style in enumerate(BODY_STYLES):
        cfg = tmp_path / f"c{i}.yaml"
        cfg.write_text(HEAD + "bodies:\n" + style)
        r = runner.invoke(app, ["elect", str(_election(tmp_path)), "--into", str(cfg)])
        if r.exit_code != 0:
            refused.append(i)
    # only the flow-style body and the empty `filled:` are refused
    assert refused == [11, 13]
