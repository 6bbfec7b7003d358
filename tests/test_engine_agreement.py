"""The durable-rules engine and the plain reference evaluator judge alike, on every configuration."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsmodell.compiled import CompiledEngine
from optionsmodell.configuration import Configuration
from optionsmodell.engine import ReferenceEngine
from optionsmodell.facts import extract
from optionsmodell.packs import Pack, load_all
from optionsmodell.strategies import configurations

rete = pytest.importorskip("optionsmodell.rete", reason="durable-rules does not import on this Python")


ALL_PACKS = load_all()
# both tiers of the compiled evaluator: closures, and source generated from the first judgement
COMPILED = CompiledEngine(generate_after=None)
GENERATED = CompiledEngine(generate_after=0)
RETE = rete.ReteEngine()


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=st.sampled_from(ALL_PACKS), config=configurations())
def test_compiled_rete_and_reference_agree(pack: Pack, config: Configuration) -> None:
    facts = extract(config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=dt.date(2021, 6, 1))
    a = ReferenceEngine().judge(pack, facts)
    for other in (COMPILED, GENERATED, RETE):
        b = other.judge(pack, facts)
        assert a.comparable() == b.comparable(), other.name
        assert a.derived_by == b.derived_by, other.name


@pytest.mark.parametrize("pack_id", [p.id for p in ALL_PACKS])
def test_every_rule_compiles_within_engine_limits(pack_id: str) -> None:
    pack = next(p for p in ALL_PACKS if p.id == pack_id)
    assert all(len(part) <= rete.MAX_RULES for part in rete.compile_rulesets(pack))
    ruleset = rete.compile_pack(pack)
    # every requirement reaches the engine with each of its decided outcomes
    actions = {r["run"] for r in ruleset.values()}
    for rule in pack.requirements():
        assert f"outcome|{rule.id}|violated" in actions
        assert f"outcome|{rule.id}|satisfied" in actions


def test_many_checks_in_one_process_keep_sessions_bounded(pack: Pack) -> None:
    # more than the 1,024 live sessions durable-rules allows: each check deletes its session
    cfg = Configuration.model_validate({"municipality": {"name": "X", "land": "NW", "foreign_residents": 6000}})
    facts = extract(cfg, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=dt.date(2021, 1, 1))
    engine = rete.ReteEngine()
    for _ in range(1500):
        j = engine.judge(pack, facts)
    assert j.outcomes[("NRW18-IR-01", None)] == "violated"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=st.sampled_from(ALL_PACKS), configs=st.lists(configurations(), min_size=1, max_size=8))
def test_memoized_engine_gives_the_same_judgements(pack: Pack, configs: list[Configuration]) -> None:
    from optionsmodell.engine import MemoEngine

    memo = MemoEngine(ReferenceEngine())
    for config in configs:
        facts = extract(config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=dt.date(2021, 6, 1))
        assert memo.judge(pack, facts).comparable() == ReferenceEngine().judge(pack, facts).comparable()
