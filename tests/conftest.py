from __future__ import annotations

import faulthandler
from pathlib import Path

import pytest

from optionsmodell.packs import Pack, load_all

# durable-rules has a reported segfault with correlated joins: make one visible, not silent.
faulthandler.enable()

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def pack() -> Pack:
    packs = {p.id: p for p in load_all()}
    return packs["nrw-2018"]
