"""Every bundled scenario with its expected findings (nrw-2018)."""

from __future__ import annotations

from pathlib import Path

import pytest

from optionsmodell.check import CheckResult, check_file
from optionsmodell.engine import ReferenceEngine

from .conftest import SCENARIOS

# scenario -> (verdict, {(rule, body): outcome} that must hold)
EXPECTED: dict[str, tuple[str, dict[tuple[str, int | None], str]]] = {
    "koeln-2020.yaml": ("undetermined", {
        ("NRW18-IR-01", None): "satisfied", ("NRW18-IR-06", 0): "satisfied", ("NRW18-IR-09", 0): "satisfied",
        ("NRW18-IR-15", 0): "undetermined", ("NRW18-GO41", 0): "undetermined"}),
    "wuppertal-2020-integrationsausschuss.yaml": ("undetermined", {
        ("NRW18-IA-03", 0): "satisfied", ("NRW18-IA-01", 0): "satisfied", ("NRW18-IA-04", 0): "undetermined",
        ("NRW18-IA-02", 0): "undetermined", ("NRW18-IR-09", 0): "satisfied"}),
    # Bonn's sources give the composition, not what its Satzung grants (§ 27 Abs. 7-10): undetermined
    "bonn-2020.yaml": ("undetermined", {("NRW18-IR-06", 0): "satisfied", ("NRW18-IR-15", 0): "satisfied",
                                        ("NRW18-IR-17", 0): "undetermined"}),
    "kaarst-no-body.yaml": ("compliant", {("NRW18-IR-01", None): "not_applicable"}),
    "wetter-2022-on-application.yaml": ("undetermined", {
        ("NRW18-IR-01", None): "not_applicable", ("NRW18-IR-02", None): "satisfied", ("NRW18-IR-09", 0): "not_applicable", ("NRW18-IR-06", 0): "undetermined"}),
    "edge-5000-no-body.yaml": ("violations", {("NRW18-IR-01", None): "violated"}),
    "edge-4999-no-body.yaml": ("compliant", {("NRW18-IR-01", None): "not_applicable"}),
    # issue 8, defect 1: the duty arises from Satz 2 and the finding cites Satz 2
    "edge-2000-with-200-applicants.yaml": ("violations", {("NRW18-IR-01", None): "not_applicable",
                                                          ("NRW18-IR-02", None): "violated"}),
    "edge-2000-with-199-applicants.yaml": ("compliant", {("NRW18-IR-01", None): "not_applicable"}),
    "edge-elected-equals-council.yaml": ("violations", {("NRW18-IR-06", 0): "violated"}),
    "edge-sachkundige-buerger-tipping.yaml": ("violations", {
        ("NRW18-IA-03", 0): "violated", ("NRW18-IA-06", 0): "satisfied"}),
    "edge-committee-with-decision-power.yaml": ("violations", {
        ("NRW18-IA-02", 0): "violated", ("NRW18-GO41", 0): "violated", ("NRW18-IA-03", 0): "satisfied"}),
    # issue 8, defect 6: a past election; the statute fixes no day for the count: a warning
    "edge-mandatory-elected-later.yaml": ("compliant", {("NRW18-IR-09", 0): "not_applicable",
                                                        ("NRW18-IR-09a", 0): "violated"}),
    "edge-missing-foreign-residents.yaml": ("undetermined", {("NRW18-IR-01", None): "undetermined"}),
    "edge-vacant-elected-seats.yaml": ("compliant", {("NRW18-IR-06", 0): "satisfied", ("NRW18-IR-06a", 0): "violated"}),
    "merzig-2024-integrationsbeirat.yaml": ("undetermined", {
        ("SL50-01", None): "undetermined", ("SL50-KIND", 0): "satisfied", ("SL50-02", 0): "satisfied"}),
    # issue 8, defect 10: one missing body, one finding
    # The ten situations of issue 8 (legal source in each file)
    "legal-01-satz2-route.yaml": ("violations", {("NRW18-IR-01", None): "not_applicable", ("NRW18-IR-02", None): "violated"}),
    "legal-02-unknown-applications.yaml": ("undetermined", {("NRW18-IR-02", None): "undetermined",
                                                            ("NRW18-IR-01", None): "not_applicable"}),
    "legal-09-2009-applicants.yaml": ("compliant", {("NRW09-IR-02", None): "not_applicable", ("NRW09-IR-01", None): "not_applicable"}),
    "legal-03-integrationsrat-without-council-members.yaml": ("violations", {
        ("NRW18-IR-05b", 0): "violated", ("NRW18-IR-06", 0): "satisfied"}),
    "legal-04-motion-committee-2017.yaml": ("violations", {("NRW13-KIND", 0): "violated", ("NRW13-IR-01", None): "not_applicable"}),
    "legal-05-unverified-text.yaml": ("undetermined", {("NRW09-IA-03", 0): "likely_violated", ("NRW09-IA-05", 0): "satisfied"}),
    "legal-06-mid-term-crossing.yaml": ("compliant", {("NRW18-IR-09", 0): "not_applicable", ("NRW18-IR-09a", 0): "violated"}),
    "legal-07-elected-chair-of-committee.yaml": ("compliant", {("NRW18-IA-07", 0): "violated"}),
    "legal-08-delegation-to-integrationsrat.yaml": ("violations", {("NRW18-IR-DELEG", 0): "violated", ("NRW18-GO41", 0): "satisfied"}),
    "legal-10-transition-2025.yaml": ("undetermined", {("NRW25-KIND", 0): "satisfied", ("NRW25-ACI-03", 0): "satisfied"}),
    "legal-10b-transition-2009-committee.yaml": ("undetermined", {("NRW09-KIND", 0): "satisfied", ("NRW09-IA-03", 0): "satisfied"}),
    "edge-kind-not-provided.yaml": ("violations", {("NRW18-KIND", 0): "violated", ("NRW18-IR-01", None): "not_applicable"}),
}


PACK = {"merzig-2024-integrationsbeirat.yaml": "sl-2023", "legal-04-motion-committee-2017.yaml": "nrw-2013",
        "legal-05-unverified-text.yaml": "nrw-2009", "legal-09-2009-applicants.yaml": "nrw-2009", "legal-10-transition-2025.yaml": "nrw-2025",
        "legal-10b-transition-2009-committee.yaml": "nrw-2009"}


def outcomes(r: CheckResult) -> dict[tuple[str, int | None], str]:
    return {(f.rule.id, f.body): f.outcome for f in r.findings}


def test_every_scenario_has_expectations() -> None:
    assert sorted(p.name for p in SCENARIOS.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario(name: str) -> None:
    verdict, expected = EXPECTED[name]
    result = check_file(SCENARIOS / name, lang="en")
    got = outcomes(result)
    for key, outcome in expected.items():
        assert got[key] == outcome, key
    assert result.verdict == verdict
    assert result.pack.id == PACK.get(name, "nrw-2018")
    # the reference evaluator reaches the same findings
    ref = check_file(SCENARIOS / name, lang="en", engine=ReferenceEngine())
    assert outcomes(ref) == got


def test_real_scenarios_cite_their_source() -> None:
    for p in SCENARIOS.glob("*.yaml"):
        text = p.read_text()
        assert "Source" in text or "Named edge case" in text, p.name


def test_violation_is_explained_down_to_the_line_and_the_fix() -> None:
    r = check_file(SCENARIOS / "edge-sachkundige-buerger-tipping.yaml", lang="en")
    f = next(f for f in r.findings if f.rule.id == "NRW18-IA-03")
    assert f.rule.spec.citation.render() == "§ 27 Abs. 12 Satz 4 GO NRW"
    assert f.facts == {"body.kind": "integrationsausschuss", "filled.directly_elected": 10,
                       "filled.council_members": 6, "filled.sachkundige_buerger": 4}
    assert f.locations["filled.sachkundige_buerger"].endswith("edge-sachkundige-buerger-tipping.yaml:11:76")
    assert f.fix is not None
    assert "bodies[0].seats.directly_elected: 10 → 11 (+1)" in f.fix
    assert "bodies[0].seats.sachkundige_buerger: 4 → 3 (−1)" in f.fix
    assert f.derivation[0] == "Applies because: body.kind (integrationsausschuss) == 'integrationsausschuss' → true"
    assert f.decided_by == ["filled.directly_elected (10) > filled.council_members (6) + filled.sachkundige_buerger (4) → false"]


def test_derivation_shows_the_chain_of_conclusions() -> None:
    r = check_file(SCENARIOS / "edge-2000-with-200-applicants.yaml", lang="de")
    f = next(f for f in r.findings if f.rule.id == "NRW18-IR-02")
    assert f.rule.spec.citation.render() == "§ 27 Abs. 1 Satz 2 GO NRW"
    assert f.derivation[0].startswith("2 000 ≤ 2000 < 5 000 ausländische Einwohner")
    assert f.derivation[0].endswith("[NRW18-C-02]")
    assert f.derivation[1].endswith("[NRW18-C-03]")
    assert f.fix is not None and "integrationsrat" in f.fix


def test_undetermined_names_the_deciding_facts() -> None:
    r = check_file(SCENARIOS / "edge-missing-foreign-residents.yaml", lang="en")
    f = next(f for f in r.findings if f.rule.id == "NRW18-IR-01")
    assert f.missing == ["municipality.foreign_residents (municipality.foreign_residents)"]
    # the Satz-2 route needs the applications as well (issue 8, defect 2: no default)
    g = next(f for f in r.findings if f.rule.id == "NRW18-IR-02")
    assert g.missing[0] == "municipality.foreign_residents (municipality.foreign_residents)"
    assert "municipality.applicants (municipality.applicants)" in g.missing


def test_date_picks_regime_and_out_of_range_is_an_error(tmp_path: Path) -> None:
    from optionsmodell.safe_yaml import InputError

    cfg = tmp_path / "old.yaml"
    cfg.write_text("date: 2005-01-01\nmunicipality: {name: A, land: NW, foreign_residents: 10}\n")
    with pytest.raises(InputError) as e:
        check_file(cfg)
    assert "no enacted regime of Land NW" in e.value.message
    assert check_file(cfg, regime="nrw-2018").pack.id == "nrw-2018"
