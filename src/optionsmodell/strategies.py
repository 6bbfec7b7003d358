"""Hypothesis strategies built from the configuration model: every field, present or absent.
Used by the property tests; `explore diff` walks the same domains with its own seeded generator
(``search_space``), so that its witnesses depend only on the seed."""

from __future__ import annotations

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
from optionsmodell.search_space import (
    APPLICANT_TOTALS,
    APPLICANTS,
    CHAIRS,
    COUNCIL_RESERVED,
    ELIGIBILITY_AGES,
    FOREIGN_RESIDENTS,
    FORMED_BY,
    JUDGED_ON,
    MAX_BODIES,
    MAX_POWERS,
    POPULATION,
    POWER_KINDS,
    RULES_OF_PROCEDURE,
    SEATS,
    THRESHOLDS,
    VOTING,
    VOTING_AGES,
)
from optionsmodell.search_space import DATES as _DATES

DATES = st.sampled_from(_DATES)
THRESHOLDY = st.sampled_from(THRESHOLDS) | st.integers(*FOREIGN_RESIDENTS)


def _maybe(d: dict[str, Any], draw: Any, key: str, strategy: st.SearchStrategy[Any], always: bool = False) -> None:
    if always or draw(st.booleans()):
        d[key] = draw(strategy)


@st.composite
def bodies(draw: Any, complete: bool = False) -> dict[str, Any]:
    """A body; with ``complete`` every field is given, so that no rule is undetermined."""
    b: dict[str, Any] = {"kind": draw(st.sampled_from(KNOWN_KINDS))}
    _maybe(b, draw, "formed_by", st.sampled_from(FORMED_BY), complete)
    if complete or draw(st.integers(0, 4)) > 0:
        seats = {g: draw(st.integers(*SEATS)) for g in GROUPS if draw(st.booleans())}
        b["seats"] = seats
        if draw(st.booleans()):
            b["filled"] = {g: draw(st.integers(0, seats.get(g, 0))) for g in GROUPS if draw(st.booleans())}
    _maybe(b, draw, "voting", st.dictionaries(st.sampled_from(GROUPS), st.sampled_from(VOTING)), complete)
    _maybe(b, draw, "chair", st.sampled_from(CHAIRS), complete)
    _maybe(b, draw, "in_deliberation_sequence", st.booleans(), complete)
    _maybe(b, draw, "powers", st.lists(st.fixed_dictionaries(
        {"matter": st.just("M"), "kind": st.sampled_from(POWER_KINDS)},
        optional={"council_reserved": st.sampled_from(COUNCIL_RESERVED)}), max_size=MAX_POWERS))
    election = {
        "date": DATES, "with_local_election": st.booleans(), "single_candidates": st.booleans(),
        "substitutes": st.booleans(), "voting_age": st.sampled_from(VOTING_AGES),
        "eligibility_age": st.sampled_from(ELIGIBILITY_AGES), "citizens_eligible": st.booleans(),
        "entitled": _flags(Entitled, complete)}
    _maybe(b, draw, "election", st.fixed_dictionaries(election) if complete
           else st.fixed_dictionaries({}, optional=election), complete)
    # what a Satzung regulates (§ 27 Abs. 2, 7-10): each group and each key in it present or absent
    _maybe(b, draw, "appointment", _flags(Appointment, complete), complete)
    _maybe(b, draw, "elected_members", _flags(ElectedMembers, complete), complete)
    _maybe(b, draw, "rules_of_procedure", st.sampled_from(RULES_OF_PROCEDURE), complete)
    _maybe(b, draw, "rights", _flags(Rights, complete), complete)
    _maybe(b, draw, "funds", _flags(Funds, complete), complete)
    return b


def _flags(model: type[BaseModel], complete: bool = False) -> st.SearchStrategy[dict[str, bool]]:
    """A mapping of some (or, for a complete body, all) of a model's yes/no keys."""
    keys = {k: st.booleans() for k in model.model_fields}
    return st.fixed_dictionaries(keys) if complete else st.fixed_dictionaries({}, optional=keys)


@st.composite
def _applicants(draw: Any) -> dict[str, int]:
    total = draw(st.sampled_from(APPLICANT_TOTALS))
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
    _maybe(m, draw, "applicants", st.integers(*APPLICANTS) | _applicants(), complete)
    _maybe(m, draw, "local_election_date", DATES, complete)
    _maybe(m, draw, "population", st.integers(*POPULATION), complete)
    data = {"date": JUDGED_ON, "municipality": m, "bodies": draw(st.lists(bodies(complete), max_size=MAX_BODIES if complete else MAX_BODIES + 1))}
    return Configuration.model_validate(data)
