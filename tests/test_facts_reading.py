"""A configuration read once and judged under several regimes (batch) has, under each regime, the
facts it has when read for that regime alone; a batch reads it without the facts' places in the
file, which it never explains."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsmodell.configuration import Configuration
from optionsmodell.facts import extract, read, under
from optionsmodell.packs import Pack, load_all
from optionsmodell.strategies import configurations

ALL_PACKS = load_all()
DAY = dt.date(2021, 6, 1)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=configurations(), packs=st.lists(st.sampled_from(ALL_PACKS), min_size=1, max_size=4))
def test_read_once_judged_under_each_regime(config: Configuration, packs: list[Pack]) -> None:
    explained = read(config, DAY)
    unexplained = read(config, DAY, explained=False)
    for pack in packs:
        alone = extract(config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=DAY)
        shared = under(explained, pack.kinds, pack.default_voting())
        for got in (shared, under(unexplained, frozenset(pack.kinds), pack.default_voting(), explained=False)):
            assert list(got.municipality.items()) == list(alone.municipality.items())
            assert [list(b.items()) for b in got.bodies] == [list(b.items()) for b in alone.bodies]
            assert got.settled == alone.settled
        assert shared.sources == alone.sources and shared.defaults == alone.defaults


def test_facts_to_explain_need_their_sources() -> None:
    config = Configuration.model_validate({"municipality": {"name": "A", "land": "NW"}, "bodies": []})
    with pytest.raises(ValueError):
        under(read(config, DAY, explained=False), [], {})
