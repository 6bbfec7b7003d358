"""No traceback on hostile input, ever (issue 9 point 12): a seeded fuzz run over configurations,
election files and rule packs through the real commands; python tags never run code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .fuzzing import SENTINEL, run


def test_no_traceback_on_mutated_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    tally = run(count=int(os.environ.get("OPTIONSMODELL_FUZZ_COUNT", "240")), seed=20261128, workdir=tmp_path)
    assert not tally.crashes, "\n\n".join(f"{a}\n{d[:300]!r}\n{tb}" for a, d, tb in tally.crashes[:5])
    assert not (tmp_path / SENTINEL).exists()
    assert sum(n for (_, code), n in tally.counts.items() if code == 2) > 0
