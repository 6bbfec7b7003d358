"""The expression language: safe subset, type checks, three-valued logic."""

from __future__ import annotations

import pytest

from optionsmodell.expressions import ExpressionError, evaluate, parse, render
from optionsmodell.facts import CATALOG


def t(name: str):  # type: ignore[no-untyped-def]
    spec = CATALOG.get(name)
    return spec.type if spec else None


def test_arithmetic_comparison() -> None:
    c = parse("seats.directly_elected > seats.council_members + seats.sachkundige_buerger", t)
    env = {"seats.directly_elected": 10, "seats.council_members": 7, "seats.sachkundige_buerger": 3}
    assert evaluate(c, env) is False
    assert evaluate(c, {**env, "seats.directly_elected": 11}) is True


def test_unknown_propagates_unless_decided() -> None:
    c = parse("municipality.foreign_residents >= 5000 or municipality.applicants >= 200", t)
    assert evaluate(c, {"municipality.applicants": 300}) is True
    assert evaluate(c, {"municipality.applicants": 10}) is None
    d = parse("municipality.foreign_residents >= 5000 and municipality.applicants >= 200", t)
    assert evaluate(d, {"municipality.applicants": 10}) is False
    assert evaluate(parse("not (municipality.applicants >= 200)", t), {}) is None


def test_in_dates_and_booleans() -> None:
    assert evaluate(parse("body.kind in ['integrationsrat', 'integrationsausschuss']", t), {"body.kind": "integrationsrat"})
    c = parse("election.date - municipality.local_election_date <= 112", t)
    assert evaluate(c, {"election.date": 738000, "municipality.local_election_date": 737900}) is True
    assert evaluate(parse("check.date >= date('2018-12-29')", t), {"check.date": 737000}) is False
    assert evaluate(parse("body.in_deliberation_sequence", t), {"body.in_deliberation_sequence": True}) is True


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os').system('x')", "not a condition"),
        ("seats.total > __import__('os').getpid()", "only call allowed"),
        ("seats.nonexistent > 1", "unknown fact"),
        ("body.kind > 3", "cannot compare"),
        ("body.kind < 'a'", "only == and !="),
        ("seats.directly_elected >", "syntax error"),
        ("[x for x in y]", "not a condition"),
        ("seats.directly_elected ** 2 > 1", "not allowed"),
        ("seats.total", "not a condition"),
    ],
)
def test_refused(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as e:
        parse(text, t)
    assert fragment in e.value.message


def test_render_round_trip() -> None:
    text = "seats.directly_elected > seats.council_members + seats.sachkundige_buerger"
    assert render(parse(text, t)) == text
