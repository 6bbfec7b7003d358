"""Every bundled scenario under every regime: the expected verdict. A change to a pack that moves
any of these is a change in what the tool tells its users, and must be made on purpose."""

from __future__ import annotations

import pytest

from optionsmodell.check import check_file
from optionsmodell.packs import load_all
from optionsmodell.safe_yaml import InputError

from .conftest import SCENARIOS

PACKS = load_all()
C, V, U = "compliant", "violations", "undetermined"
OTHER_LAND = "other-land"
NRW = ("nrw-2009", "nrw-2013", "nrw-2018", "nrw-2025", "ds-17-1356", "refe-2018", "sl-2023")

# scenario: verdicts in the order of NRW
MATRIX: dict[str, tuple[str, ...]] = {
    "bonn-2020.yaml":                            (C, C, C, V, C, C, OTHER_LAND),
    "edge-2000-with-199-applicants.yaml":        (C, C, C, C, C, C, OTHER_LAND),
    # 2009: only applicants of Abs. 3 Satz 1 Nr. 1 counted; a plain 200 does not say how many (defect 8)
    "edge-2000-with-200-applicants.yaml":        (U, V, V, V, C, V, OTHER_LAND),
    "edge-4999-no-body.yaml":                    (C, C, C, C, C, C, OTHER_LAND),
    "edge-5000-no-body.yaml":                    (V, V, V, V, C, V, OTHER_LAND),
    "edge-committee-with-decision-power.yaml":   (V, V, V, V, V, V, OTHER_LAND),
    "edge-elected-equals-council.yaml":          (C, V, V, V, V, V, OTHER_LAND),
    "edge-kind-not-provided.yaml":               (V, V, V, U, V, V, OTHER_LAND),
    "edge-mandatory-elected-later.yaml":         (C, V, V, V, C, V, OTHER_LAND),
    "edge-missing-foreign-residents.yaml":       (U, U, U, U, C, U, OTHER_LAND),
    "edge-sachkundige-buerger-tipping.yaml":     (V, V, V, V, V, V, OTHER_LAND),
    "edge-vacant-elected-seats.yaml":            (C, C, C, V, C, C, OTHER_LAND),
    "kaarst-no-body.yaml":                       (C, C, C, C, C, C, OTHER_LAND),
    "koeln-2020.yaml":                           (C, U, U, V, U, U, OTHER_LAND),
    "wetter-2022-on-application.yaml":           (U, U, U, V, U, U, OTHER_LAND),
    "wuppertal-2020-integrationsausschuss.yaml": (V, V, U, V, U, V, OTHER_LAND),
    "merzig-2024-integrationsbeirat.yaml":       (*(OTHER_LAND,) * 6, U),
}


def test_matrix_covers_every_scenario_and_regime() -> None:
    assert sorted(MATRIX) == sorted(p.name for p in SCENARIOS.glob("*.yaml"))
    assert set(NRW) == {p.id for p in PACKS}


@pytest.mark.parametrize("scenario", sorted(MATRIX))
def test_golden_verdicts(scenario: str) -> None:
    got = []
    for regime in NRW:
        try:
            got.append(check_file(SCENARIOS / scenario, regime=regime, packs=PACKS).verdict)
        except InputError as e:
            assert "is the law of Land" in e.message
            got.append(OTHER_LAND)
    assert tuple(got) == MATRIX[scenario]
