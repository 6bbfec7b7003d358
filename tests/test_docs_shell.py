"""The README and docs are the user's, and they are tested (issue 9 point 10): every shell example
(a fenced ``sh`` block, or a transcript whose lines start with ``$ ``) in README.md and docs/ runs
here, in a temporary copy of the scenarios, with the installed ``optionsmodell``, and its exit code is
asserted. Set-up steps (venv, pip) and the test command itself are what .ci/run does; ``serve`` is a
server, tested by test_web_*."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SETUP = re.compile(r"^\s*(python3? -m venv\b|\. \.venv/bin/activate|source \.venv/bin/activate|pip install\b)")
NOT_HERE = re.compile(r"python -m pytest|\bruff\b|\bmypy\b|optionsmodell serve\b")

# files a doc's example takes from the reader (their own bylaw), not from the project: such examples
# are shown, not run (docs/import.md's example bylaws; its own tests run the import on a corpus)
READERS_FILES = ("hauptsatzung.pdf", "satzung-integrationsrat.html", "musterstadt.yaml")

# exit codes other than 0, each with the reason a reader can check in the doc
EXPECTED = {
    "optionsmodell check scenarios/koeln-2020.yaml": 3,  # README: chair and powers undetermined
    "optionsmodell check scenarios/edge-sachkundige-buerger-tipping.yaml --lang en": 1,  # README: the violation shown  # README: 11 of 18 elected seats filled, not more than the council members
}


def commands(doc: Path) -> list[tuple[int, str]]:
    """(line, command) of every shell example of a document."""
    out: list[tuple[int, str]] = []
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i + 1
        j = start
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        block = lines[start:j]
        if lang == "sh":
            pending = ""
            for k, line in enumerate(block):
                if line.rstrip().endswith("\\"):
                    pending += line.rstrip()[:-1] + " "
                    continue
                text = (pending + line).strip()
                pending = ""
                if text and not text.startswith("#"):
                    out.append((start + k + 1, text))
        elif lang in ("", "console", "text", "shell") and any(line.startswith("$ ") for line in block):
            out.extend((start + k + 1, line[2:].strip()) for k, line in enumerate(block) if line.startswith("$ "))
        i = j + 1
    return out


def runnable(command: str) -> str | None:
    """The part of a documented command this test runs: set-up segments dropped; None if nothing is left."""
    parts = [p for p in command.split(" && ") if not SETUP.match(p)]
    if not parts or any(NOT_HERE.search(p) for p in parts):
        return None
    return " && ".join(parts)


CASES = [(doc, line, cmd) for doc in DOCS for line, cmd in commands(doc)]


def test_the_docs_have_shell_examples() -> None:
    assert sum(1 for d, _, c in CASES if d.name == "README.md" and runnable(c)) >= 8
    assert any(d.name == "explore.md" for d, _, _ in CASES) and any(d.name == "rules.md" for d, _, _ in CASES)


def _setup_rules_doc(work: Path) -> None:
    """docs/rules.md has the reader write a proposal pack from its YAML blocks first."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    pack = next(b for b in blocks if b.startswith("id: proposal-4000"))
    rules = next(b for b in blocks if "[Entwurf] In einer Gemeinde" in b)
    d = work / "my-rules" / "proposal-4000"
    d.mkdir(parents=True)
    (d / "pack.yaml").write_text(pack, encoding="utf-8")
    (d / "rules.yaml").write_text(rules, encoding="utf-8")
    cases = next((b for b in blocks if b.lstrip().startswith("cases:") and "proposal-4000" in text), None)
    if cases is not None:
        (d / "tests").mkdir()
        (d / "tests" / "cases.yaml").write_text(cases, encoding="utf-8")


@pytest.mark.parametrize(("doc", "line", "command"), CASES, ids=[f"{d.name}:{n}" for d, n, _ in CASES])
def test_shell_example_runs(tmp_path: Path, doc: Path, line: int, command: str) -> None:
    run = runnable(command)
    if run is None:
        pytest.skip("set-up, the test command itself, or the web server: run by .ci/run and test_web_*")
    if any(f in run for f in READERS_FILES):
        pytest.skip("the reader's own files")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    if doc.name == "rules.md":
        _setup_rules_doc(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTIONSMODELL_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {run}"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=600)
    want = next((code for key, code in EXPECTED.items() if run.endswith(key)), 0)
    assert r.returncode == want, f"{doc.name}:{line}: `{run}` exited {r.returncode}, expected {want}\n{r.stderr[-2000:]}"
    assert "Traceback" not in r.stderr
