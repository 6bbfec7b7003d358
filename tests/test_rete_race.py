"""Issue 13 defect 1: durable-rules' background dispatch threads took over actions of a running
check, so that a result was lost (shown as undetermined) or the engine failed with error 307."""

from __future__ import annotations

import datetime as dt
import gc
import sys
import threading
from typing import Any

import pytest

from optionsmodell.configuration import Configuration
from optionsmodell.engine import ReferenceEngine
from optionsmodell.facts import extract
from optionsmodell.packs import Pack

rete = pytest.importorskip("optionsmodell.rete", reason="durable-rules does not import on this Python")


def _durable_threads() -> list[threading.Thread]:
    # durable.engine.Host._run starts threading.Timer chains whose target is a closure defined in _run
    out = []
    for t in threading.enumerate():
        target: Any = getattr(t, "function", None)
        if target is not None and getattr(target, "__qualname__", "").startswith("Host._run"):
            out.append(t)
    return out


def test_the_host_runs_no_background_dispatch_threads(pack: Pack) -> None:
    cfg = Configuration.model_validate({"municipality": {"name": "X", "land": "NW", "foreign_residents": 6000}})
    facts = extract(cfg, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=dt.date(2021, 1, 1))
    rete.ReteEngine().judge(pack, facts)
    assert _durable_threads() == []
    # the engine drives durable-rules' C engine itself: its Python host, which starts the
    # threads, is never created (nor imported)
    assert "durable.engine" not in sys.modules or not any(
        type(o).__name__ == "Host" for o in gc.get_objects() if type(o).__module__ == "durable.engine")


def _large(pack: Pack, bodies: int, powers: int) -> Any:
    kinds = list(pack.kinds) or ["integrationsrat"]
    body_list = [
        {"kind": kinds[i % len(kinds)], "formed_by": ("election", "council_resolution")[i % 2],
         "seats": {"directly_elected": 8 + i % 5, "council_members": 4 + i % 3, "sachkundige_buerger": i % 2},
         "in_deliberation_sequence": bool(i % 3),
         "powers": [{"matter": f"M{k}", "kind": ("advisory", "decision")[k % 2]} for k in range(powers)],
         "election": {"with_local_election": bool(i % 2)}}
        for i in range(bodies)
    ]
    cfg = Configuration.model_validate({"date": dt.date(2021, 6, 1), "municipality": {
        "name": "X", "land": "NW", "foreign_residents": 6000, "applicants": 250}, "bodies": body_list})
    return extract(cfg, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=dt.date(2021, 6, 1))


def test_repeated_judgements_of_a_large_configuration_are_identical(pack: Pack) -> None:
    facts = _large(pack, bodies=4, powers=2000)
    expected = ReferenceEngine().judge(pack, facts).comparable()
    engine = rete.ReteEngine()
    differing = 0
    # a few thousand judgements (a few seconds); before the fix about 1 in 2,000 differed
    for _ in range(2000):
        if engine.judge(pack, facts).comparable() != expected:
            differing += 1
    assert differing == 0


def test_a_check_that_fails_midway_leaves_nothing_in_the_reused_session(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    # every check runs in its ruleset's one session and empties it; a check that fails between
    # asserting its facts and retracting them must not leave them for the next check
    facts = _large(pack, bodies=3, powers=2)
    expected = ReferenceEngine().judge(pack, facts).comparable()
    engine = rete.ReteEngine()
    assert engine.judge(pack, facts).comparable() == expected
    real = rete._dre

    class FailingMidway:
        error = real.error

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def complete_and_start_action(self, *args: Any) -> Any:
            raise real.error("simulated failure")

    monkeypatch.setattr(rete, "_dre", FailingMidway())
    with pytest.raises(rete.EngineError, match="durable-rules failed on pack nrw-2018: simulated"):
        engine.judge(pack, facts)
    monkeypatch.setattr(rete, "_dre", real)
    for _ in range(3):
        assert engine.judge(pack, facts).comparable() == expected
