from __future__ import annotations

import faulthandler
from collections.abc import Iterator
from pathlib import Path

import pytest

from optionsmodell.packs import Pack, load_all, set_user_roots

# durable-rules has a reported segfault with correlated joins: make one visible, not silent.
faulthandler.enable()

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def pack() -> Pack:
    packs = {p.id: p for p in load_all()}
    return packs["nrw-2018"]


@pytest.fixture(autouse=True)
def _no_user_rules_between_tests() -> Iterator[None]:
    # `--rules` sets process-wide folders; a test that used it must not leak them into the next
    yield
    set_user_roots([])
