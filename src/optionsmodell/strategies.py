"""Hypothesis strategies built from the configuration model: every field, present or absent.
Used by the property tests and by `explore diff` to search for configurations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from optionsmodell.configuration import (
    GROUPS,
    KNOWN_KINDS,
    Appointment,
    Configuration,
    ElectedMembers,
    Entitled,
    Funds,
    Rights,
)

DATES = st.sampled_from([dt.date(2020, 9, 13), dt.date(2020, 11, 15), dt.date(2014, 5, 25), dt.date(2022, 5, 15)])
THRESHOLDY = st.sampled_from([0, 1999, 2000, 4999, 5000, 12000]) | st.integers(0, 20000)


def _maybe(d: dict[str, Any], draw: Any, key: str, strategy: st.SearchStrategy[Any], always: bool = False) -> None:
    if always or draw(st.booleans()):
        d[key] = draw(strategy)


@st.composite
def bodies(draw: Any, complete: bool = False) -> dict[str, Any]:
    """A body; with ``complete`` every field is given, so that no rule is undetermined."""
    b: dict[str, Any] = {"kind": draw(st.sampled_from(KNOWN_KINDS))}
    _maybe(b, draw, "formed_by", st.sampled_from(["election", "council_resolution"]), complete)
    if complete or draw(st.integers(0, 4)) > 0:
        seats = {g: draw(st.integers(0, 25)) for g in GROUPS if draw(st.booleans())}
        b["seats"] = seats
        if draw(st.booleans()):
            b["filled"] = {g: draw(st.integers(0, seats.get(g, 0))) for g in GROUPS if draw(st.booleans())}
    _maybe(b, draw, "voting", st.dictionaries(st.sampled_from(GROUPS), st.sampled_from(["full", "advisory", "none_on_delegated"])), complete)
    _maybe(b, draw, "chair", st.sampled_from([*GROUPS, "mayor"]), complete)
    _maybe(b, draw, "in_deliberation_sequence", st.booleans(), complete)
    _maybe(b, draw, "powers", st.lists(st.fixed_dictionaries(
        {"matter": st.just("M"), "kind": st.sampled_from(["advisory", "decision"])},
        optional={"council_reserved": st.sampled_from(["a", "f", "h"])}), max_size=3))
    election = {
        "date": DATES, "with_local_election": st.booleans(), "single_candidates": st.booleans(),
        "substitutes": st.booleans(), "voting_age": st.sampled_from([14, 16, 18]),
        "eligibility_age": st.sampled_from([16, 18, 21]), "citizens_eligible": st.booleans(),
        "entitled": _flags(Entitled, complete)}
    _maybe(b, draw, "election", st.fixed_dictionaries(election) if complete
           else st.fixed_dictionaries({}, optional=election), complete)
    # what a Satzung regulates (§ 27 Abs. 2, 7-10): each group and each key in it present or absent
    _maybe(b, draw, "appointment", _flags(Appointment, complete), complete)
    _maybe(b, draw, "elected_members", _flags(ElectedMembers, complete), complete)
    _maybe(b, draw, "rules_of_procedure", st.sampled_from(["own", "council"]), complete)
    _maybe(b, draw, "rights", _flags(Rights, complete), complete)
    _maybe(b, draw, "funds", _flags(Funds, complete), complete)
    return b


def _flags(model: type[BaseModel], complete: bool = False) -> st.SearchStrategy[dict[str, bool]]:
    """A mapping of some (or, for a complete body, all) of a model's yes/no keys."""
    keys = {k: st.booleans() for k in model.model_fields}
    return st.fixed_dictionaries(keys) if complete else st.fixed_dictionaries({}, optional=keys)


@st.composite
def _applicants(draw: Any) -> dict[str, int]:
    total = draw(st.sampled_from([150, 199, 200, 260, 400]))
    out: dict[str, int] = {}
    if draw(st.booleans()):
        out["total"] = total
    if draw(st.booleans()):
        out["foreign_nationals"] = draw(st.integers(0, total))
    return out


@st.composite
def configurations(draw: Any, name: str = "Hypothesia", land: str = "NW", complete: bool = False) -> Configuration:
    m: dict[str, Any] = {"name": name, "land": land}
    _maybe(m, draw, "foreign_residents", THRESHOLDY, complete)
    _maybe(m, draw, "applicants", st.integers(0, 400) | _applicants(), complete)
    _maybe(m, draw, "local_election_date", DATES, complete)
    _maybe(m, draw, "population", st.integers(0, 200000), complete)
    data = {"date": dt.date(2021, 6, 1), "municipality": m, "bodies": draw(st.lists(bodies(complete), max_size=2 if complete else 3))}
    return Configuration.model_validate(data)
