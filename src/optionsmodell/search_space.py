"""The space of configurations `explore diff` searches, and a seeded walk through it.

The walk depends only on the seed, the two packs and the options: every draw comes from one
``random.Random(seed)``, and only through its ``random()`` method, whose sequence Python guarantees
across versions (``choice``/``randrange`` are not). Hypothesis, which the property tests use over
the same space (``strategies``), would also draw constants from every module loaded in the
process, so that an editable install and a wheel found different witnesses for one seed.

Counts are drawn with a bias towards the places where the law changes: a third of the time a
constant that one of the two packs compares with (±1), some of the time a small count, otherwise
uniformly over the field's range.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from .configuration import GROUPS, KNOWN_KINDS, Appointment, ElectedMembers, Entitled, Funds, Rights
from .expressions import Cmp, Const, In, atoms
from .packs import Pack

# the domains of the fields; strategies.py draws from the same ones
DATES = (dt.date(2020, 9, 13), dt.date(2020, 11, 15), dt.date(2014, 5, 25), dt.date(2022, 5, 15))
THRESHOLDS = (0, 1999, 2000, 4999, 5000, 12000)
FOREIGN_RESIDENTS = (0, 20000)
APPLICANTS = (0, 400)
APPLICANT_TOTALS = (150, 199, 200, 260, 400)
POPULATION = (0, 200000)
SEATS = (0, 25)
FORMED_BY = ("election", "council_resolution")
VOTING = ("full", "advisory", "none_on_delegated")
CHAIRS = (*GROUPS, "mayor")
POWER_KINDS = ("advisory", "decision")
COUNCIL_RESERVED = ("a", "f", "h")
MAX_POWERS = 3
VOTING_AGES = (14, 16, 18)
ELIGIBILITY_AGES = (16, 18, 21)
RULES_OF_PROCEDURE = ("own", "council")
FLAG_MODELS: tuple[tuple[str, type[BaseModel]], ...] = (("appointment", Appointment), ("elected_members", ElectedMembers), ("rights", Rights), ("funds", Funds))
MAX_BODIES = 2
JUDGED_ON = dt.date(2021, 6, 1)


def pack_constants(packs: Iterable[Pack]) -> list[int]:
    """Every whole number the packs' conditions compare with, and its neighbours."""
    found: set[int] = set()
    for pack in packs:
        for rule in pack.rules:
            for cond in rule.conditions():
                for atom in atoms(cond):
                    consts = [atom.left, atom.right] if isinstance(atom, Cmp) else list(atom.values) if isinstance(atom, In) else []
                    for c in consts:
                        if isinstance(c, Const) and isinstance(c.value, int) and not isinstance(c.value, bool):
                            found.update((c.value - 1, c.value, c.value + 1))
    return sorted(found)


class Walk:
    """Complete configurations (every field given, so that no rule is undetermined for want of a
    fact), as plain data ready for ``Configuration.model_validate``."""

    def __init__(self, seed: int, constants: Sequence[int], name: str, land: str) -> None:
        self._random = random.Random(seed).random
        self._constants = list(constants)
        self._in_range: dict[tuple[int, int], list[int]] = {}
        self.name, self.land = name, land

    def _below(self, n: int) -> int:
        return min(n - 1, int(self._random() * n))

    def _flip(self) -> bool:
        return self._random() < 0.5

    def _pick(self, values: Sequence[Any]) -> Any:
        return values[self._below(len(values))]

    def _count(self, lo: int, hi: int) -> int:
        near = self._in_range.get((lo, hi))
        if near is None:
            near = self._in_range[(lo, hi)] = [c for c in self._constants if lo <= c <= hi]
        r = self._random()
        if r < 1 / 3 and near:
            return int(self._pick(near))
        if r < 1 / 2:
            return lo + self._below(min(hi - lo, 10) + 1)
        return lo + self._below(hi - lo + 1)

    def _flags(self, model: type[BaseModel]) -> dict[str, bool]:
        return {k: self._flip() for k in model.model_fields}

    def body(self) -> dict[str, Any]:
        b: dict[str, Any] = {"kind": self._pick(KNOWN_KINDS), "formed_by": self._pick(FORMED_BY)}
        seats = {g: self._count(*SEATS) for g in GROUPS if self._flip()}
        b["seats"] = seats
        if self._flip():
            b["filled"] = {g: self._count(0, seats.get(g, 0)) for g in GROUPS if self._flip()}
        b["voting"] = {g: self._pick(VOTING) for g in GROUPS if self._flip()}
        b["chair"] = self._pick(CHAIRS)
        b["in_deliberation_sequence"] = self._flip()
        if self._flip():
            powers = []
            for _ in range(self._below(MAX_POWERS + 1)):
                power = {"matter": "M", "kind": self._pick(POWER_KINDS)}
                if self._flip():
                    power["council_reserved"] = self._pick(COUNCIL_RESERVED)
                powers.append(power)
            b["powers"] = powers
        b["election"] = {
            "date": self._pick(DATES), "with_local_election": self._flip(), "single_candidates": self._flip(),
            "substitutes": self._flip(), "voting_age": self._pick(VOTING_AGES),
            "eligibility_age": self._pick(ELIGIBILITY_AGES), "citizens_eligible": self._flip(),
            "entitled": self._flags(Entitled)}
        for key, model in FLAG_MODELS[:2]:
            b[key] = self._flags(model)
        b["rules_of_procedure"] = self._pick(RULES_OF_PROCEDURE)
        for key, model in FLAG_MODELS[2:]:
            b[key] = self._flags(model)
        return b

    def applicants(self) -> int | dict[str, int]:
        if self._flip():
            return self._count(*APPLICANTS)
        total = int(self._pick(APPLICANT_TOTALS))
        out: dict[str, int] = {}
        if self._flip():
            out["total"] = total
        if self._flip():
            out["foreign_nationals"] = self._count(0, total)
        return out

    def configuration(self) -> dict[str, Any]:
        m: dict[str, Any] = {"name": self.name, "land": self.land}
        m["foreign_residents"] = self._pick(THRESHOLDS) if self._flip() else self._count(*FOREIGN_RESIDENTS)
        m["applicants"] = self.applicants()
        m["local_election_date"] = self._pick(DATES)
        m["population"] = self._count(*POPULATION)
        return {"date": JUDGED_ON, "municipality": m, "bodies": [self.body() for _ in range(self._below(MAX_BODIES + 1))]}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        while True:
            yield self.configuration()
