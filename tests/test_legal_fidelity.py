"""Issue 8: judgements a lawyer can sign. Each test states the legal expectation and where it comes
from; the statute texts are those quoted in the packs (RECHT.NRW, GO NRW Fassung 2023,
https://recht.nrw.de/system/files/BH/6784-25912.htm, for the 2018 version)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from optionsmodell.check import check_file
from optionsmodell.cli import app
from optionsmodell.packs import load_all

from .conftest import SCENARIOS

runner = CliRunner()
PACKS = load_all()


def run(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout


def finding(doc: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(f for f in doc["findings"] if f["rule"] == rule)


# -- Defect 1: the grounding sentence is the cited sentence ------------------------------------------

@pytest.mark.parametrize(("regime", "rule"), [("nrw-2009", "NRW09-IR-02"), ("nrw-2013", "NRW13-IR-02"),
                                              ("nrw-2018", "NRW18-IR-02"), ("nrw-2025", "NRW25-ACI-01b")])
def test_the_application_route_cites_satz_2_in_every_nrw_version(regime: str, rule: str) -> None:
    """§ 27 Abs. 1 Satz 2 GO NRW (2,000 foreign residents and 200 applications) grounds the duty here,
    not Satz 1 (5,000): JSON citation.sentence, text, markdown and SARIF all say Satz 2."""
    f = str(SCENARIOS / "legal-01-satz2-route.yaml")
    _, out = run("check", f, "--regime", regime, "--format", "json", "--lang", "en")
    doc = json.loads(out)
    cited = finding(doc, rule)
    assert cited["citation"]["paragraph"] == 1 and cited["citation"]["sentence"] == 2
    assert all(x["citation"]["sentence"] != 1 for x in doc["findings"] if x["outcome"] in ("violated", "likely_violated"))
    _, text = run("check", f, "--regime", regime, "--lang", "en")
    assert f"§ 27 Abs. 1 Satz 2 GO NRW  [{rule}]" in text
    _, md = run("check", f, "--regime", regime, "--format", "markdown", "--lang", "en")
    assert "§ 27 Abs. 1 Satz 2 GO NRW" in md and "§ 27 Abs. 1 Satz 1 GO NRW" not in md
    _, sarif = run("check", f, "--regime", regime, "--format", "sarif")
    results = json.loads(sarif)["runs"][0]["results"]
    assert [r["properties"]["citation"] for r in results if r["ruleId"] == rule] == ["§ 27 Abs. 1 Satz 2 GO NRW"]


# -- Defect 3: council members are a constituent part -----------------------------------------------

@pytest.mark.parametrize(("regime", "rule"), [("nrw-2013", "NRW13-IR-05b"), ("nrw-2018", "NRW18-IR-05b"),
                                              ("nrw-2009", "NRW09-IR-05")])
def test_an_integrationsrat_without_council_members_violates_abs_1_satz_4(regime: str, rule: str) -> None:
    """Abs. 1 Satz 4: "… und die vom Rat nach Absatz 2 Satz 4 bestellten Ratsmitglieder hinzutreten";
    Abs. 2 Satz 4: "Für den Integrationsrat bestellt der Rat aus seiner Mitte die weiteren Mitglieder"
    (2013: Stadt Duisburg [V-sec]; 2018: RECHT.NRW [V]; 2009: Abs. 2 Satz 3, umwelt-online [V-sec])."""
    r = check_file(SCENARIOS / "legal-03-integrationsrat-without-council-members.yaml", regime=regime, packs=PACKS)
    assert {f.rule.id: f.outcome for f in r.findings}[rule] == "violated"
    assert r.verdict == "violations"


def test_a_2009_committee_without_elected_members_is_a_likely_violation() -> None:
    """Both 2009 bodies had directly elected members and council members (Gesetzentwurf 2013 about the
    2009 law; StGB NRW 229/2009 [S]): the wording is unverified, so a likely violation."""
    cfg = ("date: 2011-06-01\nmunicipality: {name: A, land: NW, foreign_residents: 6000}\n"
           "bodies: [{kind: integrationsausschuss, formed_by: council_resolution, seats: {council_members: 9}, powers: []}]\n")
    from optionsmodell.check import judge_loaded
    from optionsmodell.configuration import load_configuration_text

    r = judge_loaded(load_configuration_text(cfg), file="x.yaml", packs=PACKS)
    assert {f.rule.id: f.outcome for f in r.findings}["NRW09-IA-05"] == "likely_violated"


# -- Defect 4: a proposal amends the law in force when it was made ----------------------------------

def test_the_motion_amends_the_2013_law_and_says_what_it_inherits() -> None:
    """LT-Drs. 17/1356 (November 2017) addressed § 27 in the version of 2013; a rule it leaves alone is
    shown as inherited from nrw-2013, never as 2018 text."""
    pack = next(p for p in PACKS if p.id == "ds-17-1356")
    assert pack.spec.extends == "nrw-2013"
    assert not any(r.id.startswith("NRW18") for r in pack.rules)
    _, out = run("check", str(SCENARIOS / "legal-03-integrationsrat-without-council-members.yaml"),
                    "--regime", "ds-17-1356", "--format", "json", "--lang", "en", "--all")
    doc = json.loads(out)
    assert finding(doc, "NRW13-IR-05b")["inherited_from"]["regime"] == "nrw-2013"
    assert finding(doc, "NRW13-IR-01")["inherited_from"] is None  # redefined by the motion
    assert "„… die Kommunen von der Pflicht zu entbinden, Integrationsräte vor Ort einzurichten." in \
        finding(doc, "NRW13-IR-01")["statute_text"]
    _, text = run("check", str(SCENARIOS / "legal-03-integrationsrat-without-council-members.yaml"),
                  "--regime", "ds-17-1356", "--lang", "en")
    assert "(inherited unchanged from nrw-2013" in text


def test_where_the_motion_is_silent_the_outcome_is_open_with_both_readings() -> None:
    """The motion speaks of "von der Pflicht zu entbinden" and of "keine Abschaffung … der kommunalen
    Mitwirkung", and says nothing on the committee's composition: undetermined, both readings."""
    code, out = run("check", str(SCENARIOS / "legal-04-motion-committee-2017.yaml"), "--regime", "ds-17-1356",
                    "--format", "json", "--lang", "en")
    assert code == 3
    f = finding(json.loads(out), "DS1356-IA-03")
    assert f["outcome"] == "undetermined" and f["open_question"] is True
    assert f["interpretation"]["reading"] and f["interpretation"]["alternative"]
    code, out = run("check", str(SCENARIOS / "edge-5000-no-body.yaml"), "--regime", "ds-17-1356", "--format", "json")
    assert code == 3 and finding(json.loads(out), "NRW13-IR-01")["outcome"] == "undetermined"


def test_the_draft_bill_of_2018_amends_the_2013_law_too() -> None:
    pack = next(p for p in PACKS if p.id == "refe-2018")
    assert pack.spec.extends == "nrw-2013"
    assert not any(r.id.startswith("NRW18") for r in pack.rules)


# -- Defect 5: unverified text never decides a hard violation ---------------------------------------

def test_unverified_text_is_a_likely_violation_everywhere_and_strict_makes_it_one() -> None:
    """NRW09-IA-03 rests on the 2009 bill [S]: exit 3 and `likely_violated`; --strict: exit 1."""
    f = str(SCENARIOS / "legal-05-unverified-text.yaml")
    code, out = run("check", f, "--format", "json", "--lang", "en")
    doc = json.loads(out)
    assert code == 3 and doc["verdict"] == "undetermined" and doc["summary"]["likely_violations"] == 1
    assert finding(doc, "NRW09-IA-03")["outcome"] == "likely_violated"
    assert finding(doc, "NRW09-IA-03")["basis_reliability"] == "S"
    code, out = run("check", f, "--format", "json", "--strict")
    assert code == 1 and json.loads(out)["verdict"] == "violations"
    _, sarif = run("check", f, "--format", "sarif")
    result = next(r for r in json.loads(sarif)["runs"][0]["results"] if r["ruleId"] == "NRW09-IA-03")
    assert result["level"] == "warning" and result["properties"]["outcome"] == "likely_violated"
    _, text = run("check", f, "--lang", "en")
    assert "LIKELY VIOLATION (text unverified)" in text and "likely violations: 1" in text
    code, out = run("timeline", f, "--format", "json")
    row = next(r for r in json.loads(out)["timeline"] if r["regime"] == "nrw-2009")
    assert row["verdict"] == "undetermined" and row["likely_violated"] and not row["violated"]
    code, out = run("compare", f, "--regime", "nrw-2009", "--regime", "nrw-2013", "--format", "json", "--strict")
    assert json.loads(out)["configurations"][0]["regimes"]["nrw-2009"]["verdict"] == "violations"


def test_a_verbatim_rule_that_applies_through_an_unverified_conclusion_is_unverified_too() -> None:
    """nrw-2025: NRW25-ACI-01 applies only because NRW25-C-01 [S] concluded the duty."""
    r = check_file(SCENARIOS / "edge-5000-no-body.yaml", regime="nrw-2025", packs=PACKS)
    f = next(f for f in r.findings if f.rule.id == "NRW25-ACI-01")
    assert f.outcome == "likely_violated" and f.basis_reliability in ("S", "R")


# -- Defect 6: over-reaching readings become warnings; fixes never change the past ------------------

def test_a_past_election_after_a_mid_term_crossing_is_a_warning_with_both_readings() -> None:
    """§ 27 Abs. 2 Satz 3 fixes no day for counting the foreign residents; a later election is
    permitted "in den Fällen des Absatz 1 Satz 2 und 3"."""
    r = check_file(SCENARIOS / "legal-06-mid-term-crossing.yaml", lang="en", packs=PACKS)
    f = next(f for f in r.findings if f.rule.id == "NRW18-IR-09a")
    assert (f.outcome, f.severity, r.verdict) == ("violated", "warning", "compliant")
    assert f.rule.spec.interpretation is not None
    assert f.fix is not None and "cannot be moved" in f.fix and "with_local_election" not in f.fix


def test_a_directly_elected_chair_of_a_committee_is_only_a_note() -> None:
    """Abs. 12 Satz 2 applies Abs. 7 Satz 2 ("aus seiner Mitte"); § 58 only "ergänzend" (Satz 3)."""
    r = check_file(SCENARIOS / "legal-07-elected-chair-of-committee.yaml", lang="en", packs=PACKS)
    f = next(f for f in r.findings if f.rule.id == "NRW18-IA-07")
    assert (f.outcome, f.severity, r.verdict) == ("violated", "info", "compliant")


# -- Defect 7: no decisions delegated to an Integrationsrat -----------------------------------------

def test_a_decision_delegated_to_an_integrationsrat_is_caught_citing_section_41_abs_2() -> None:
    """§ 41 Abs. 2 Satz 1 GO NRW: "auf Ausschüsse oder den Bürgermeister"; § 27 Abs. 10 Satz 2: the
    Integrationsrat decides on allocated funds within the frame only."""
    r = check_file(SCENARIOS / "legal-08-delegation-to-integrationsrat.yaml", lang="en", packs=PACKS)
    f = next(f for f in r.findings if f.rule.id == "NRW18-IR-DELEG")
    assert f.outcome == "violated" and f.rule.spec.citation.render() == "§ 41 Abs. 2 Satz 1 GO NRW"
    assert [a.render() for a in f.rule.spec.also] == ["§ 27 Abs. 10 Satz 2 GO NRW"]


# -- Defect 9: transitions --------------------------------------------------------------------------

def test_a_body_elected_for_the_next_term_is_judged_by_its_law_and_the_report_says_why() -> None:
    code, out = run("check", str(SCENARIOS / "legal-10-transition-2025.yaml"), "--format", "json", "--lang", "en")
    doc = json.loads(out)
    assert code == 3 and doc["regime"]["id"] == "nrw-2025"
    t = doc["transition"]
    assert (t["in_force"], t["applied"], t["reason"], t["reliability"], t["open"]) == (
        "nrw-2018", "nrw-2025", "elected_for_next_term", "S", True)
    assert t["verdicts"] == {"nrw-2025": "compliant", "nrw-2018": "violations"}
    _, text = run("check", str(SCENARIOS / "legal-10-transition-2025.yaml"), "--lang", "en")
    assert "Law applied: nrw-2025, not nrw-2018 (in force on 2025-10-01)" in text


def test_a_2009_committee_sitting_in_early_2014_is_judged_by_the_2009_law() -> None:
    r = check_file(SCENARIOS / "legal-10b-transition-2009-committee.yaml", packs=PACKS)
    assert r.pack.id == "nrw-2009" and r.transition is not None and r.transition.reason == "formed_under_previous"
    assert r.verdict == "undetermined"  # the 2013 transitional provision is not verified [R]
    assert any("NRW13-KIND" in x for x in r.transition.in_force_findings)


@pytest.mark.parametrize("reliability", ["V", "S"])
def test_a_transition_says_the_same_in_both_languages(reliability: str) -> None:
    import datetime as dt

    from optionsmodell.check import TransitionNote

    note = TransitionNote(in_force="nrw-2025", governing="nrw-2018", formed=dt.date(2020, 9, 13),
                          day=dt.date(2025, 11, 2), reason="formed_under_previous", text="…",
                          reliability=reliability, source=None, verdict_in_force="violations",
                          verdict_governing="compliant", in_force_findings=["violated: § 27 Abs. 1 [X-01]"])
    en, de = note.lines("en"), note.lines("de")
    assert len(en) == len(de) == (4 if note.open else 3)
    assert en[-1] == "  under nrw-2025: violated: § 27 Abs. 1 [X-01]"
    assert de[-1] == "  nach nrw-2025: violated: § 27 Abs. 1 [X-01]"


def test_a_named_regime_is_judged_by_that_regime_alone() -> None:
    r = check_file(SCENARIOS / "legal-10-transition-2025.yaml", regime="nrw-2018", packs=PACKS)
    assert r.transition is None and r.verdict == "violations"


# -- Defect 10 and 11 ------------------------------------------------------------------------------

def test_one_missing_body_one_finding_with_a_readable_fix() -> None:
    r = check_file(SCENARIOS / "edge-kind-not-provided.yaml", lang="en", packs=PACKS)
    violated = [f for f in r.findings if f.outcome == "violated"]
    assert [f.rule.id for f in violated] == ["NRW18-KIND"]
    assert violated[0].fix is not None and "kind: true" not in violated[0].fix
    assert violated[0].fix.startswith("Form the body as an Integrationsrat")


def test_the_2018_to_2022_wording_of_abs_12_satz_3_is_quoted() -> None:
    """Until 25.04.2022 Abs. 12 Satz 3 read "§ 57 Absatz 4 Satz 1 und § 58" (Drs. 17/3601 via Bergkamen
    Vorlage 11/1363 [V-sec]); "§ 58a" came with the law of 13.04.2022 (GV. NRW. S. 490)."""
    rule = next(p for p in PACKS if p.id == "nrw-2018").rule("NRW18-IA-06")
    assert rule is not None
    assert "„Ergänzend sind auf den Integrationsausschuss § 57 Absatz 4 Satz 1 und § 58 anzuwenden.“" in rule.spec.statute.text


def test_the_2013_pack_warns_of_empty_elected_seats_like_2018() -> None:
    """Brühl 2014 (politik-bei-uns.de [S]): filled seats below the council members."""
    rule = next(p for p in PACKS if p.id == "nrw-2013").rule("NRW13-IR-06a")
    assert rule is not None and rule.severity == "warning"


# -- with satzung-rights (defects 2 and 8): the two scenarios that need their keys -------------------

def test_unknown_applications_leave_the_satz_2_duty_undetermined_naming_the_key() -> None:
    """§ 27 Abs. 1 Satz 2: whether 200 applied decides the duty; a file that does not say is undetermined."""
    code, out = run("check", str(SCENARIOS / "legal-02-unknown-applications.yaml"), "--format", "json")
    f = finding(json.loads(out), "NRW18-IR-02")
    assert code == 3 and f["outcome"] == "undetermined"
    assert any(m.startswith("municipality.applicants") for m in f["missing_facts"])


def test_in_2009_only_applicants_of_abs_3_satz_1_nr_1_count() -> None:
    """2009: "wenn mindestens 200 Wahlberechtigte gemäß Absatz 3 Satz 1 Nummer 1 es beantragen"
    (umwelt-online z13_0878 [V-sec]); 2013: "gemäß Absatz 3 Satz 1" (Stadt Duisburg [V-sec])."""
    f = SCENARIOS / "legal-09-2009-applicants.yaml"
    assert check_file(f, regime="nrw-2009", packs=PACKS).verdict == "compliant"
    r13 = check_file(f, regime="nrw-2013", packs=PACKS)
    assert {x.rule.id: x.outcome for x in r13.findings}["NRW13-IR-02"] == "violated"
