"""The web page's JSON API, in process: every endpoint, good and bad input, with real outcomes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web,test]'")
pytest.importorskip("httpx", reason="httpx is needed by starlette's TestClient")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from optionsmodell.configuration import load_configuration_text
from optionsmodell.report import to_json
from optionsmodell.safe_yaml import MAX_BYTES
from optionsmodell.web import yamledit
from optionsmodell.web.app import MAX_REQUEST, create_app

ROOT = Path(__file__).resolve().parents[1]
TIPPING = (ROOT / "scenarios" / "edge-sachkundige-buerger-tipping.yaml").read_text(encoding="utf-8")
KOELN = (ROOT / "scenarios" / "koeln-2020.yaml").read_text(encoding="utf-8")
LIST_RUNS_OUT = (ROOT / "scenarios" / "elections" / "list-runs-out.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # English messages unless a request says otherwise (a German browser gets German ones)
        yield TestClient(create_app(), headers={"Accept-Language": "en"})


def post(client: Any, path: str, body: Any) -> tuple[int, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = client.post(path, json=body)
    return r.status_code, r.json()


# -- check ---------------------------------------------------------------------------------------


def test_check_matches_the_cli_json_contract(client: Any) -> None:
    status, d = post(client, "/api/check", {"yaml": TIPPING, "lang": "en"})
    assert status == 200
    assert d["verdict"] == "violations"
    assert d["regime"]["id"] == "nrw-2018"
    # the same keys and values as `check --format json`, with the page's additions beside them
    from optionsmodell.check import judge_loaded

    loaded = load_configuration_text(TIPPING, "<editor>")
    cli = to_json(judge_loaded(loaded, file="<editor>", lang="en"), "en", False)
    for k in ("municipality", "date", "regime", "verdict", "summary"):
        assert d[k] == cli[k]
    f = d["findings"][0]
    assert f["rule"] == "NRW18-IA-03" and f["outcome"] == "violated"
    assert f["citation"]["label"] == "§ 27 Abs. 12 Satz 4 GO NRW"
    assert f["statute_text"].startswith("Die Zahl der nach Absatz 2 Satz 1 gewählten Mitglieder")
    assert f["reliability"] == "V" and f["reliability_text"]
    assert f["fact_locations"]["filled.directly_elected"] == "<editor>:11:31"
    assert f["interpretation"]["alternative"]
    assert {k: v for k, v in f.items() if k not in ("reliability_text", "fix_actions")} == cli["findings"][0]
    assert d["configuration"]["bodies"][0]["seats"]["directly_elected"] == 10


def test_check_fix_actions_apply_and_cure(client: Any) -> None:
    _, d = post(client, "/api/check", {"yaml": TIPPING})
    actions = d["findings"][0]["fix_actions"]
    assert [a["path"] for a in actions] == ["bodies[0].seats.directly_elected", "bodies[0].seats.council_members",
                                            "bodies[0].seats.sachkundige_buerger"]
    assert actions[0]["value"] == 11
    for a in actions:
        status, edited = post(client, "/api/edit", {"yaml": TIPPING, "set": [{"path": a["path"], "value": a["value"]}]})
        assert status == 200
        assert "# Named edge case" in edited["yaml"]  # comments kept
        _, again = post(client, "/api/check", {"yaml": edited["yaml"]})
        assert again["verdict"] == "compliant", a


def test_check_all_lists_satisfied_and_regime_and_date_are_honoured(client: Any) -> None:
    _, d = post(client, "/api/check", {"yaml": TIPPING, "all": True})
    assert any(f["outcome"] == "satisfied" for f in d["findings"])
    _, d = post(client, "/api/check", {"yaml": TIPPING, "regime": "ds-17-1356"})
    assert d["regime"]["id"] == "ds-17-1356" and d["regime"]["status"] == "proposal"
    undated = "\n".join(line for line in TIPPING.splitlines() if not line.startswith("date:"))
    _, d = post(client, "/api/check", {"yaml": undated, "as_of": "2016-01-01"})
    assert d["regime"]["id"] == "nrw-2013" and d["date"] == "2016-01-01"


def test_check_strict_counts_a_likely_violation_as_a_violation(client: Any) -> None:
    unverified = (ROOT / "scenarios" / "legal-05-unverified-text.yaml").read_text(encoding="utf-8")
    _, d = post(client, "/api/check", {"yaml": unverified})
    assert d["verdict"] == "undetermined" and d["summary"]["likely_violations"] == 1
    assert any(f["outcome"] == "likely_violated" for f in d["findings"])
    _, d = post(client, "/api/check", {"yaml": unverified, "strict": True})
    assert d["verdict"] == "violations"


def test_the_engine_can_be_named_and_all_engines_agree(client: Any) -> None:
    from optionsmodell.engine import ENGINE_NAMES, EngineUnavailable, get_engine

    verdicts = {}
    for name in ENGINE_NAMES:
        try:
            get_engine(name)
        except EngineUnavailable:
            continue
        status, d = post(client, "/api/check", {"yaml": TIPPING, "engine": name})
        assert status == 200
        verdicts[d["engine"]] = (d["verdict"], tuple(f["rule"] for f in d["findings"]))
    assert len(verdicts) >= 2 and len(set(verdicts.values())) == 1, verdicts
    status, d = post(client, "/api/check", {"yaml": TIPPING, "engine": "clips"})
    assert status == 400 and "`engine`" in d["error"]["message"]
    _, d = post(client, "/api/sweep", {"yaml": TIPPING, "field": "municipality.foreign_residents", "from": 0, "to": 6000,
                                       "engine": "reference"})
    assert [c["after_value"] for c in d["changes"]] == [2000, 5000]


def test_check_bad_yaml_gives_the_cli_message_at_its_line(client: Any) -> None:
    broken = TIPPING.replace("chair: council_members", "chair: [council_members")
    status, d = post(client, "/api/check", {"yaml": broken})
    assert status == 422
    assert d["file"] == "<editor>"
    assert d["error"]["message"].startswith("YAML syntax error")
    assert d["error"]["line"] == 13
    # the same words the command line prints for the same text
    from optionsmodell.configuration import load_configuration_text
    from optionsmodell.safe_yaml import InputError

    with pytest.raises(InputError) as e:
        load_configuration_text(broken, "<editor>")
    assert e.value.message == d["error"]["message"]


def test_check_invalid_values_unknown_key_and_regime(client: Any) -> None:
    status, d = post(client, "/api/check", {"yaml": TIPPING.replace("foreign_residents: 12000", "foreign_residents: viele")})
    assert status == 422 and d["error"]["line"] == 6 and "whole number" in d["error"]["message"]
    status, d = post(client, "/api/check", {"yaml": TIPPING.replace("chair:", "vorsitz:")})
    assert status == 422 and d["error"]["line"] == 12 and "unknown key" in d["error"]["message"]
    status, d = post(client, "/api/check", {"yaml": TIPPING, "regime": "nrw-2099"})
    assert status == 422 and "unknown regime 'nrw-2099'" in d["error"]["message"]
    status, d = post(client, "/api/check", {"yaml": TIPPING, "regime": "sl-2023"})
    assert status == 422 and "Land SL" in d["error"]["message"]


@pytest.mark.parametrize("body, status, words", [
    ({}, 400, "`yaml` must be the text"),
    ({"yaml": 5}, 400, "`yaml` must be the text"),
    ({"yaml": TIPPING, "lang": "fr"}, 400, "`lang` is de or en"),
    ({"yaml": TIPPING, "as_of": "morgen"}, 400, "not an ISO date"),
    ({"yaml": TIPPING, "all": "yes"}, 400, "true or false"),
    ({"yaml": "x" * (MAX_BYTES + 1)}, 413, "1 MiB"),
    ({"yaml": "a: &a [*a, *a]\n" + "b: [" * 10 + "]" * 10}, 422, ""),
])
def test_check_refuses_bad_requests(client: Any, body: Any, status: int, words: str) -> None:
    got, d = post(client, "/api/check", body)
    assert got == status, d
    assert words in d["error"]["message"]


def test_request_body_cap_and_non_json(client: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = client.post("/api/check", content=b"{" + b" " * (MAX_REQUEST + 10) + b"}",
                        headers={"content-type": "application/json"})
        assert r.status_code == 413 and "larger than" in r.json()["error"]["message"]
        r = client.post("/api/check", content=b"not json", headers={"content-type": "application/json"})
        assert r.status_code == 400
        r = client.post("/api/check", content=b"[1, 2]", headers={"content-type": "application/json"})
        assert r.status_code == 400 and "JSON object" in r.json()["error"]["message"]
        r = client.get("/api/check")
        assert r.status_code == 405


def test_alias_bomb_is_refused_like_the_cli(client: Any) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, prev in zip("bcdefg", "abcdef", strict=True):
        bomb += f"{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    status, d = post(client, "/api/check", {"yaml": bomb})
    assert status == 422 and "alias expansion" in d["error"]["message"]


def test_messages_speak_the_language_of_the_request(client: Any) -> None:
    """One language per request (issue 9 point 6): the body's `lang`, else `?lang=`, else the browser's
    Accept-Language, else German; findings and errors alike."""
    bad = TIPPING.replace("foreign_residents: 12000", "foreign_residents: 7.300")
    status, d = post(client, "/api/check", {"yaml": bad, "lang": "de"})
    assert status == 422 and "Tausenderpunkte" in d["error"]["message"] and d["error"]["line"] == 6
    assert all("Tausenderpunkte" in e["message"] or "ist" in e["message"] for e in d["errors"])
    status, d = post(client, "/api/check", {"yaml": bad, "lang": "en"})
    assert "thousands separators" in d["error"]["message"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for headers, words in (({"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}, "Tausenderpunkte"),
                               ({"Accept-Language": "fr-FR,en;q=0.5,de;q=0.4"}, "thousands separators"),
                               ({"Accept-Language": "fr"}, "Tausenderpunkte")):  # neither: German, as the CLI
            r = client.post("/api/check", json={"yaml": bad}, headers=headers)
            assert words in r.json()["error"]["message"], headers
        # errors before the body is read follow the header too; the findings follow the same choice
        r = client.post("/api/check", content=b"[1]", headers={"content-type": "application/json", "Accept-Language": "de"})
        assert r.status_code == 400 and "JSON-Objekt" in r.json()["error"]["message"]
        r = client.post("/api/check", json={"yaml": TIPPING}, headers={"Accept-Language": "de"})
        german, english = (post(client, "/api/check", {"yaml": TIPPING, "lang": lang})[1]["findings"] for lang in ("de", "en"))
        assert r.status_code == 200 and r.json()["findings"] == german != english
        r = client.get("/api/regimes?lang=de")
        assert "Fassung" in json.dumps(r.json(), ensure_ascii=False)
    for path, body in (("/api/sweep", {"yaml": TIPPING, "field": "municipality.foreign_residents", "from": 5, "to": 1}),
                       ("/api/elect", {"text": "x", "lang": "de"}),
                       ("/api/edit", {"yaml": TIPPING, "set": [{"path": "bodies[0]..x", "value": 1}], "lang": "de"}),
                       ("/api/compare", {"yaml": TIPPING, "regimes": ["nrw-2018"], "lang": "de"})):
        status, d = post(client, path, {**body, "lang": "de"})
        assert status in (400, 422) and d["error"]["message"], (path, d)
        from optionsmodell.i18n import known

        assert not known(d["error"]["message"]), (path, d)  # German, so not an English message of the table
        assert d["error"]["message"] != post(client, path, {**body, "lang": "en"})[1]["error"]["message"], path


# -- compare, timeline -------------------------------------------------------------------------------


def test_compare_is_the_cli_contract_plus_each_check(client: Any) -> None:
    status, d = post(client, "/api/compare", {"yaml": TIPPING, "regimes": ["nrw-2018", "ds-17-1356"], "lang": "en"})
    assert status == 200
    assert d["regimes"] == ["nrw-2018", "ds-17-1356"]
    conf = d["configurations"][0]
    assert conf["regimes"]["nrw-2018"]["obligation"] == "mandatory"
    assert conf["regimes"]["ds-17-1356"]["obligation"] == "open"  # the motion leaves the duty open (issue 8)
    # the motion is silent on the committee's composition: undetermined (issue 8, defect 4)
    assert any(row["rule"] == "IA-03" and row["outcomes"]["ds-17-1356"] == "undetermined" for row in conf["differences"])
    assert "for 1 it is open (two readings)" in d["summary"][0]
    assert d["checks"]["nrw-2018"]["verdict"] == "violations"


@pytest.mark.parametrize("regimes", [["nrw-2018"], ["nrw-2018", "nrw-2018"], ["nrw-2018", "nope"], "nrw-2018"])
def test_compare_refuses_bad_regimes(client: Any, regimes: Any) -> None:
    status, d = post(client, "/api/compare", {"yaml": TIPPING, "regimes": regimes})
    assert status == 400 and "regimes" in d["error"]["message"]


def test_timeline_lists_every_enacted_version_in_date_order(client: Any) -> None:
    status, d = post(client, "/api/timeline", {"yaml": TIPPING})
    assert status == 200
    assert [r["regime"] for r in d["timeline"]] == ["nrw-2009", "nrw-2013", "nrw-2018", "nrw-2025"]
    row = next(r for r in d["timeline"] if r["regime"] == "nrw-2018")
    assert row["verdict"] == "violations" and any("Abs. 12 Satz 4" in v for v in row["violated"])
    status, d = post(client, "/api/timeline", {"yaml": "municipality: {name: X}\n"})
    assert status == 422 and "municipality.land" in d["error"]["message"]


# -- sweep -------------------------------------------------------------------------------------------


def test_sweep_finds_the_thresholds(client: Any) -> None:
    status, d = post(client, "/api/sweep", {"yaml": TIPPING, "field": "municipality.foreign_residents",
                                            "from": 0, "to": 10000, "lang": "en"})
    assert status == 200
    assert [(c["before_value"], c["after_value"]) for c in d["changes"]] == [(1999, 2000), (4999, 5000)]
    assert d["changes"][1]["after"]["obligation"] == "mandatory"
    assert [(s["from"], s["to"], s["obligation"]) for s in d["segments"]] == [
        (0, 1999, "voluntary"), (2000, 4999, "on_application"), (5000, 10000, "mandatory")]


def test_sweep_of_seats_finds_the_tipping_seat(client: Any) -> None:
    _, d = post(client, "/api/sweep", {"yaml": TIPPING, "field": "bodies[0].seats.directly_elected", "from": 0, "to": 30})
    assert any(c["before_value"] == 10 and c["after_value"] == 11 and c["after"]["verdict"] == "compliant" for c in d["changes"])


@pytest.mark.parametrize("body, words", [
    ({"field": "municipality.foreign_residents", "from": 10, "to": 5}, "from ≤ to"),
    ({"field": "municipality.foreign_residents", "from": 0, "to": 10**12}, "at most"),
    ({"field": "municipality.foreign_residents", "from": 0, "to": 10, "points": 100000}, "points"),
    ({"field": "municipality.foreign_residents", "from": "0", "to": 10}, "whole number"),
    ({"from": 0, "to": 10}, "`field`"),
])
def test_sweep_is_bounded(client: Any, body: Any, words: str) -> None:
    status, d = post(client, "/api/sweep", {"yaml": TIPPING, **body})
    assert status == 400 and words in d["error"]["message"]


def test_sweep_of_a_field_the_format_lacks_is_a_user_error(client: Any) -> None:
    status, d = post(client, "/api/sweep", {"yaml": TIPPING, "field": "municipality.nonsense", "from": 0, "to": 3})
    assert status == 422 and "municipality.nonsense" in d["error"]["message"]


# -- elect -------------------------------------------------------------------------------------------


def test_elect_matches_the_cli(client: Any) -> None:
    status, d = post(client, "/api/elect", {"yaml": LIST_RUNS_OUT})
    assert status == 200
    cli = subprocess.run([sys.executable, "-m", "optionsmodell", "elect", str(ROOT / "scenarios/elections/list-runs-out.yaml"),
                          "--format", "json"], capture_output=True, text=True, check=True)
    assert d == json.loads(cli.stdout)
    assert d["vacant"] > 0


def test_elect_from_a_form_reports_ties_and_takes_lots(client: Any) -> None:
    election = {"seats": 3, "candidates": [{"name": "A", "kind": "list", "votes": 100},
                                           {"name": "B", "kind": "list", "votes": 100},
                                           {"name": "C", "kind": "list", "votes": 100},
                                           {"name": "D", "kind": "list", "votes": 100}]}
    _, d = post(client, "/api/elect", {"election": election})
    assert d["ties"] == [{"names": ["A", "B", "C", "D"], "seats": 3, "decides": "seat"}]
    status, d = post(client, "/api/elect", {"election": election, "into": {"yaml": TIPPING, "body": 0}})
    assert status == 422 and "drawing of lots" in d["error"]["message"]
    _, d = post(client, "/api/elect", {"election": election, "lots": ["A", "C", "D"]})
    assert d["ties"] == [] and [c["filled"] for c in d["candidates"]] == [1, 0, 1, 1]


def test_elect_carries_filled_seats_into_the_configuration(client: Any) -> None:
    election = {"seats": 10, "candidates": [{"name": "A", "kind": "list", "votes": 900, "candidates": 4},
                                            {"name": "B", "kind": "single", "votes": 400}]}
    status, d = post(client, "/api/elect", {"election": election, "into": {"yaml": TIPPING, "body": 0}})
    assert status == 200
    assert d["vacant"] == 5
    text = d["into"]["yaml"]
    assert "filled: {directly_elected: 5}" in text and text.startswith("# Named edge case")
    _, checked = post(client, "/api/check", {"yaml": text})
    assert checked["configuration"]["bodies"][0]["filled"]["directly_elected"] == 5
    # the body's seats differ from the election's: refused, as `elect --into` refuses
    status, d = post(client, "/api/elect", {"yaml": LIST_RUNS_OUT, "into": {"yaml": TIPPING, "body": 0}})
    assert status == 422 and "fills 18 seats" in d["error"]["message"]
    status, d = post(client, "/api/elect", {"election": election, "into": {"yaml": TIPPING, "body": 3}})
    assert status == 422 and "no body 3" in d["error"]["message"]


@pytest.mark.parametrize("body, status, words", [
    ({"election": {"seats": 0, "candidates": [{"name": "A", "kind": "list", "votes": 1}]}}, 422, "seats"),
    ({"election": {"seats": 2, "candidates": [{"name": "A", "kind": "party", "votes": 1}]}}, 422, "expected one of"),
    ({"election": {"seats": 2, "candidates": [{"name": f"L{i}", "kind": "list", "votes": 1} for i in range(501)]}}, 422, "at most 500"),
    ({"yaml": "seats: [\n"}, 422, "YAML syntax error"),
    ({"yaml": LIST_RUNS_OUT, "lots": "A"}, 400, "`lots`"),
    ({"yaml": LIST_RUNS_OUT, "majority_clause": 1}, 400, "true or false"),
])
def test_elect_refuses_bad_input(client: Any, body: Any, status: int, words: str) -> None:
    got, d = post(client, "/api/elect", body)
    assert got == status, d
    assert words in d["error"]["message"]


# -- edit, regimes, schema, scenarios, page ------------------------------------------------------------


def test_edit_sets_inserts_and_removes_keeping_comments(client: Any) -> None:
    status, d = post(client, "/api/edit", {"yaml": KOELN, "set": [
        {"path": "municipality.applicants", "value": 250},
        {"path": "bodies[0].chair", "value": "directly_elected"},
        {"path": "bodies[0].powers", "value": [{"matter": "Integration", "kind": "advisory"}]},
        {"path": "bodies[0].filled.directly_elected", "value": 20},
        {"path": "date", "value": "2024-02-29"},
        {"path": "bodies[0].election", "value": None},
    ]})
    assert status == 200
    text = d["yaml"]
    assert text.splitlines()[:6] == KOELN.splitlines()[:6]  # the source comments stay
    config = load_text_config(text)
    body = config["bodies"][0]
    assert config["municipality"]["applicants"] == 250 and config["date"] == "2024-02-29"
    assert body["chair"] == "directly_elected" and body["filled"] == {"directly_elected": 20}
    assert body["powers"] == [{"matter": "Integration", "kind": "advisory"}] and "election" not in body


def load_text_config(text: str) -> dict[str, Any]:
    from optionsmodell.configuration import load_configuration_text

    return load_configuration_text(text).config.model_dump(mode="json", exclude_none=True)


@pytest.mark.parametrize("edit, words", [
    ({"path": "bodies[0].filled.directly_elected", "value": 99}, "exceeds seats"),
    ({"path": "bodies[5].chair", "value": "mayor"}, "no bodies[5]"),
    ({"path": "bodies[0].chair", "value": "president"}, "expected one of"),
    ({"path": "../etc/passwd", "value": 1}, "not a field path"),
    ({"path": "municipality.foreign_residents", "value": 1.5}, "whole number"),
])
def test_edit_refuses_what_would_break_the_configuration(client: Any, edit: Any, words: str) -> None:
    status, d = post(client, "/api/edit", {"yaml": KOELN, "set": [edit]})
    assert status in (400, 422), d
    assert words in d["error"]["message"]


def test_edit_of_broken_yaml_points_at_the_line(client: Any) -> None:
    status, d = post(client, "/api/edit", {"yaml": "municipality:\n  name: [X\n", "set": [{"path": "date", "value": "2020-01-01"}]})
    assert status == 422 and d["error"]["line"] is not None


def test_edit_appends_a_body(client: Any) -> None:
    kaarst = (ROOT / "scenarios" / "kaarst-no-body.yaml").read_text(encoding="utf-8")
    status, d = post(client, "/api/edit", {"yaml": kaarst, "set": [
        {"path": "bodies", "op": "append", "value": {"kind": "integrationsrat"}},
        {"path": "bodies[0].seats.directly_elected", "value": 10},
        {"path": "bodies", "op": "append", "value": {"kind": "integrationsausschuss"}},
    ]})
    assert status == 200
    assert "bodies:\n  - kind: integrationsrat\n" in d["yaml"]
    body = load_text_config(d["yaml"])["bodies"]
    assert [b["kind"] for b in body] == ["integrationsrat", "integrationsausschuss"]
    assert body[0]["seats"]["directly_elected"] == 10
    status, d = post(client, "/api/edit", {"yaml": kaarst, "set": [{"path": "bodies", "op": "append", "value": {"kind": "beirat"}}]})
    assert status == 422 and "expected one of" in d["error"]["message"]


def test_edit_never_changes_another_body_through_an_alias(client: Any) -> None:
    shared = ("municipality: {name: X, land: NW, foreign_residents: 6000}\nbodies:\n"
              "  - kind: integrationsrat\n    seats: &s {directly_elected: 10, council_members: 5}\n"
              "  - kind: integrationsausschuss\n    seats: *s\n")
    status, d = post(client, "/api/edit", {"yaml": shared, "set": [{"path": "bodies[1].seats.directly_elected", "value": 12}]})
    assert status == 422 and "alias" in d["error"]["message"]
    status, d = post(client, "/api/edit", {"yaml": shared, "set": [{"path": "bodies[0].seats.council_members", "value": None}]})
    assert status == 422 and "alias" in d["error"]["message"]
    status, d = post(client, "/api/edit", {"yaml": shared, "set": [{"path": "municipality.applicants", "value": 3}]})
    assert status == 200 and "&s" in d["yaml"]


def test_yamledit_flow_and_block_styles() -> None:
    text = "municipality: {name: X, land: NW}\nbodies:\n  - kind: integrationsrat\n    seats: {directly_elected: 3}\n"
    out = yamledit.set_value(text, ("municipality", "foreign_residents"), 5000)
    assert out.splitlines()[0] == "municipality: {foreign_residents: 5000, name: X, land: NW}"
    out = yamledit.set_value(out, ("bodies", 0, "seats", "council_members"), 2)
    assert "seats: {council_members: 2, directly_elected: 3}" in out
    out = yamledit.set_value(out, ("bodies", 0, "filled", "directly_elected"), 1)
    assert "    filled: {directly_elected: 1}" in out
    out = yamledit.remove_key(out, ("bodies", 0, "seats", "council_members"))
    assert "seats: {directly_elected: 3}" in out
    assert yamledit.parse_path("bodies[0].seats.advisory") == ("bodies", 0, "seats", "advisory")


def test_regimes_and_schema(client: Any) -> None:
    regimes = client.get("/api/regimes?lang=en").json()
    ids = [r["id"] for r in regimes]
    assert {"nrw-2018", "ds-17-1356", "sl-2023"} <= set(ids)
    cli = subprocess.run([sys.executable, "-m", "optionsmodell", "regimes", "--format", "json", "--lang", "en"],
                         capture_output=True, text=True, check=True)
    assert regimes == json.loads(cli.stdout)
    assert client.get("/api/regimes?lang=xx").status_code == 400
    schema = client.get("/api/schema").json()
    assert "municipality" in schema["properties"]
    assert "candidates" in client.get("/api/schema?of=election").json()["properties"]
    assert client.get("/api/schema?of=secrets").status_code == 400


def test_scenarios_are_served_by_name_only(client: Any) -> None:
    listing = client.get("/api/scenarios").json()
    ids = {s["id"] for s in listing}
    assert "koeln-2020" in ids and "elections/list-runs-out" in ids
    d = client.get("/api/scenarios/koeln-2020").json()
    assert d["yaml"] == KOELN
    assert client.get("/api/scenarios/elections/list-runs-out").json()["data"]["seats"] == 18
    for name in ("../pyproject.toml", "..%2Fpyproject.toml", "/etc/passwd", "koeln-2020.yaml"):
        assert client.get(f"/api/scenarios/{name}").status_code == 404


def test_page_and_assets(client: Any) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "optionsmodell" in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    for asset in ("app.js", "style.css", "template.yaml"):
        assert client.get(f"/static/{asset}").status_code == 200
    assert "http://" not in client.get("/").text.replace("http://www.w3.org", "")  # no CDN
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/nope.js").status_code == 404
    status, d = post(client, "/api/check", {"yaml": client.get("/static/template.yaml").text})
    assert status == 200 and d["municipality"] == "Musterstadt"


def test_loopback_server_refuses_foreign_host_names() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = TestClient(create_app(allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1:8765")
        assert c.get("/api/regimes").status_code == 200
        assert c.get("/api/regimes", headers={"host": "evil.example"}).status_code == 400


def test_serve_without_the_extra_or_on_a_taken_port_is_exit_2(tmp_path: Path) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    try:
        r = subprocess.run([sys.executable, "-m", "optionsmodell", "serve", "--port", str(port)],
                           capture_output=True, text=True, timeout=60, env={**os.environ, "LANG": "en_US.UTF-8"})
    finally:
        sock.close()
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_slow_request_does_not_hold_up_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep that cannot finish until a check has been answered: only if judgements run off the
    event loop does the check come back (no timing involved: the sweep waits for the check)."""
    import asyncio
    import threading

    import httpx

    from optionsmodell.web import api

    answered = threading.Event()
    real_sweep = api.sweep

    def slow_sweep(payload: dict[str, Any]) -> dict[str, Any]:
        assert answered.wait(timeout=60), "the check was not answered while the sweep ran"
        return real_sweep(payload)

    monkeypatch.setattr(api, "sweep", slow_sweep)
    app = create_app()

    async def scenario() -> tuple[int, int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            sweep = asyncio.create_task(http.post("/api/sweep", json={
                "yaml": TIPPING, "field": "municipality.foreign_residents", "from": 0, "to": 10000}, timeout=120))
            await asyncio.sleep(0)
            check = await http.post("/api/check", json={"yaml": TIPPING}, timeout=120)
            answered.set()
            return check.status_code, (await sweep).status_code

    assert asyncio.run(scenario()) == (200, 200)


def test_the_core_never_imports_the_web_code() -> None:
    code = ("import sys, optionsmodell.cli, optionsmodell.check, optionsmodell.report, optionsmodell.compare; "
            "print(sorted(m for m in sys.modules if m.startswith(('starlette', 'uvicorn', 'optionsmodell.web'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_serve_without_the_web_extra_says_how_to_install_it() -> None:
    # starlette made unimportable, as in an install without [web]
    code = ("import sys; sys.modules['starlette'] = None; sys.argv = ['optionsmodell', 'serve']; "
            "from optionsmodell.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "pip install 'optionsmodell[web]'" in r.stderr and "Traceback" not in r.stderr
