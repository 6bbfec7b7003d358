"""The packs' own YAML test cases (src/optionsmodell/rules/<pack>/tests/*.yaml), with complete rule coverage."""

from __future__ import annotations

import itertools

import pytest

from optionsmodell.casetests import run_pack
from optionsmodell.packs import load_all

PACKS = load_all()


@pytest.mark.parametrize("pack_id", [p.id for p in PACKS])
def test_pack_cases_pass_and_cover_every_rule(pack_id: str) -> None:
    pack = next(p for p in PACKS if p.id == pack_id)
    assert not pack.problems, [str(e) for e in pack.problems]
    results, coverage = run_pack(pack, PACKS)
    assert results, f"{pack_id} ships no test cases"
    failures = [f"{r.name}: {m}" for r in results for m in r.failures]
    assert not failures
    assert coverage.complete, coverage.missing


def test_regimes_are_the_six_nrw_ones_and_another_land() -> None:
    ids = {p.id for p in PACKS}
    assert {"nrw-2009", "nrw-2013", "nrw-2018", "nrw-2025", "ds-17-1356", "refe-2018"} <= ids
    assert any(p.spec.land != "NW" for p in PACKS)
    proposals = [p for p in PACKS if p.spec.status == "proposal"]
    assert all(p.spec.valid_from is None for p in proposals)


def test_enacted_nrw_versions_cover_time_without_gaps_or_overlaps() -> None:
    import datetime as dt

    nrw = sorted((p for p in PACKS if p.spec.land == "NW" and p.spec.status == "enacted"),
                 key=lambda p: p.spec.valid_from or dt.date.min)
    for a, b in itertools.pairwise(nrw):
        assert a.spec.valid_to is not None and b.spec.valid_from is not None
        assert a.spec.valid_to + dt.timedelta(days=1) == b.spec.valid_from, (a.id, b.id)
    assert nrw[-1].spec.valid_to is None
