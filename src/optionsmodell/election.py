"""Seat allocation of an Integrationsrat election: the divisor method with standard rounding
(Sainte-Laguë/Schepers) over lists and single candidates together, as § 33 Abs. 2 KWahlG NRW
describes it, in exact arithmetic.

§ 27 Abs. 11 GO NRW does not name § 33 KWahlG; that published results agree with this method is a
secondary finding (the published Bochum 2014 and Lüdenscheid 2020 results in scenarios/elections/
reproduce it seat for seat). A single candidate takes at most one seat and a list
at most as many as it has candidates: the seats beyond stay empty (§ 33 Abs. 6 Satz 3 applied
correspondingly), never passed on. A tie that decides a seat is reported as a drawing of lots.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .configuration import validation_error
from .safe_yaml import InputError, LoadedYaml, load_file

# Bounds far beyond any real Integrationsrat election (a few dozen lists and single candidates,
# NRW has 18 million residents) that keep every election's cost small.
MAX_SEATS = 1000
MAX_CANDIDATES = 1000
MAX_VOTES = 1_000_000_000


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: str = Field(min_length=1)
    kind: Literal["list", "single"]
    votes: Annotated[int, Field(ge=0, le=MAX_VOTES)]
    candidates: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Persons on the list; absent: enough for every seat. A single candidate is one."
    )


class ElectionInput(BaseModel):
    """An Integrationsrat election (format optionsmodell/election-v1)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="optionsmodell election (election-v1)")
    format: Literal["optionsmodell/election-v1"] | None = None
    seats: Annotated[int, Field(ge=1, le=MAX_SEATS)] = Field(description="Directly elected seats to fill.")
    candidates: list[Candidate] = Field(min_length=1, max_length=MAX_CANDIDATES)

    @model_validator(mode="after")
    def _unique_names(self) -> ElectionInput:
        counts = Counter(c.name for c in self.candidates)
        dupes = sorted(n for n, k in counts.items() if k > 1)
        if dupes:
            raise ValueError(f"names must be unique: {', '.join(dupes)}")
        return self


@dataclass
class Allocation:
    name: str
    kind: str
    votes: int
    entitled: int = 0
    filled: int = 0
    majority_seat: bool = False


@dataclass
class Tie:
    names: list[str]
    seats: int  # seats the lot decides among these names
    decides: Literal["seat", "majority_clause_loss"] = "seat"  # a seat to win, or (§ 33 Abs. 4) a seat to give up


@dataclass
class Result:
    seats: int
    allocations: list[Allocation]
    ties: list[Tie] = field(default_factory=list)
    majority_clause_applied: bool = False
    lots: list[str] = field(default_factory=list)

    @property
    def vacant(self) -> int:
        return self.seats - sum(a.filled for a in self.allocations) - sum(t.seats for t in self.ties if t.decides == "seat")

    def to_json(self) -> dict[str, Any]:
        return {
            "seats": self.seats,
            "candidates": [
                {"name": a.name, "kind": a.kind, "votes": a.votes, "entitled": a.entitled, "filled": a.filled}
                for a in self.allocations
            ],
            "vacant": self.vacant,
            "ties": [{"names": t.names, "seats": t.seats, "decides": t.decides} for t in self.ties],
            "majority_clause_applied": self.majority_clause_applied,
            "lots": self.lots,
        }


def _cap(c: Candidate, seats: int) -> int:
    if c.kind == "single":
        return 1
    return seats if c.candidates is None else c.candidates


def _cutoff(votes: list[int], seats: int) -> Fraction:
    """The ``seats``-th highest of the quotients v/½, v/1½, v/2½, … of all candidates (each
    candidate's first ``seats`` quotients): a heap holds each candidate's next quotient, so the
    work is O(candidates + seats · log candidates), exact in fractions."""
    heap = [(-Fraction(2 * v), 0, i) for i, v in enumerate(votes)]
    heapq.heapify(heap)
    q = Fraction(0)
    for _ in range(seats):
        neg, j, i = heapq.heappop(heap)
        q = -neg
        if j + 1 < seats:
            heapq.heappush(heap, (-Fraction(2 * votes[i], 2 * j + 3), j + 1, i))
    return q


def _counts(v: int, seats: int, cutoff: Fraction) -> tuple[int, int]:
    """How many of a candidate's first ``seats`` quotients 2v/(2j+1) lie above the cutoff, and
    how many equal it."""
    if cutoff == 0:
        return (seats, 0) if v > 0 else (0, seats)
    x = Fraction(2 * v) / cutoff  # quotient j is above the cutoff iff 2j + 1 < x
    above = min(seats, max(0, math.ceil((x - 1) / 2)))
    at = 1 if x.denominator == 1 and x.numerator % 2 == 1 and (x.numerator - 1) // 2 < seats else 0
    return above, at


def allocate(election: ElectionInput, *, majority_clause: bool = False, lots: list[str] | None = None) -> Result:
    """Entitlements by Sainte-Laguë (highest averages with divisors ½, 1½, 2½, …, the same as the
    divisor method with standard rounding), exact; then each candidate fills what it can."""
    seats = election.seats
    allocations = [Allocation(c.name, c.kind, c.votes) for c in election.candidates]
    # entitlement ignores the caps, as § 33 allots seats to a list before filling them from its
    # candidates; every quotient above the seats-th highest wins a seat, those equal to it tie
    cutoff = _cutoff([c.votes for c in election.candidates], seats)
    at: list[int] = []
    for i, c in enumerate(election.candidates):
        above, tied = _counts(c.votes, seats, cutoff)
        allocations[i].entitled += above
        at.extend([i] * tied)
    remaining = seats - sum(a.entitled for a in allocations)
    result = Result(seats=seats, allocations=allocations, lots=list(lots or []))
    if len(at) == remaining:
        for i in at:
            allocations[i].entitled += 1
    else:
        names = sorted({allocations[i].name for i in at})
        tied_names = set(names)
        drawn = [n for n in result.lots if n in tied_names][:remaining]
        by_name = {a.name: a for a in allocations}
        for n in drawn:
            by_name[n].entitled += 1
        if len(drawn) < remaining:
            result.ties.append(Tie(names=names, seats=remaining - len(drawn)))
    if majority_clause:
        _majority_clause(election, result)
    for a, c in zip(allocations, election.candidates, strict=True):
        a.filled = min(a.entitled, _cap(c, seats))
    return result


def _majority_clause(election: ElectionInput, result: Result) -> None:
    """§ 33 Abs. 4 KWahlG: a list with more than half of the valid votes but not more than half of
    the seats gets one more seat; of the other lists ("Parteien oder Wählergruppen") the one whose
    last seat was weakest (the lowest fraction from 0.5 in the divisor form) gives one up."""
    total = sum(c.votes for c in election.candidates)
    for i, c in enumerate(election.candidates):
        a = result.allocations[i]
        if c.kind != "list" or 2 * c.votes <= total or 2 * a.entitled > result.seats:
            continue
        last_seats = {
            j: Fraction(election.candidates[j].votes) / Fraction(2 * other.entitled - 1, 2)
            for j, other in enumerate(result.allocations)
            if j != i and other.entitled > 0 and election.candidates[j].kind == "list"
        }
        if not last_seats:
            return
        lowest = min(last_seats.values())
        weakest = [j for j, q in last_seats.items() if q == lowest]
        if len(weakest) > 1:
            names = sorted(result.allocations[j].name for j in weakest)
            drawn = [n for n in result.lots if n in names]
            if not drawn:
                # who gives up the seat is for the lot to say; until it is drawn, the clause waits
                result.ties.append(Tie(names=names, seats=1, decides="majority_clause_loss"))
                return
            weakest = [next(j for j in weakest if result.allocations[j].name == drawn[0])]
        a.entitled += 1
        a.majority_seat = True
        result.allocations[weakest[0]].entitled -= 1
        result.majority_clause_applied = True
        return


def load_election(path: Path) -> tuple[ElectionInput, LoadedYaml]:
    loaded = load_file(path, max_items={("candidates",): MAX_CANDIDATES})
    if not isinstance(loaded.data, dict):
        raise InputError(loaded.locate(()), "expected an election: a mapping with `seats` and `candidates`", file=loaded.file)
    try:
        return ElectionInput.model_validate(loaded.data), loaded
    except ValidationError as e:
        raise validation_error(e, loaded) from None


def render_text(result: Result, lang: str) -> str:
    de = lang != "en"
    head = ("Wahlvorschlag", "Art", "Stimmen", "Anspruch", "besetzt") if de else ("Candidate", "kind", "votes", "entitled", "filled")
    rows = [[a.name, ("Liste" if a.kind == "list" else "Einzelbewerber") if de else a.kind, str(a.votes),
             str(a.entitled) + (" (+Zusatzmandat)" if a.majority_seat and de else " (+majority seat)" if a.majority_seat else ""),
             str(a.filled)] for a in result.allocations]
    widths = [max(len(r[i]) for r in [list(head), *rows]) for i in range(5)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.append("")
    lines.append((f"Sitze: {result.seats}, besetzt: {result.seats - result.vacant - sum(t.seats for t in result.ties)}, "
                  f"unbesetzt: {result.vacant}") if de else
                 (f"Seats: {result.seats}, filled: {result.seats - result.vacant - sum(t.seats for t in result.ties)}, "
                  f"empty: {result.vacant}"))
    for t in result.ties:
        if t.decides == "majority_clause_loss":
            lines.append((f"LOSENTSCHEID (§ 33 Abs. 4): welche Liste einen Sitz abgibt: {', '.join(t.names)} (mit --lot NAME eintragen)")
                         if de else
                         (f"DRAWING OF LOTS (§ 33 Abs. 4): which list gives up a seat: {', '.join(t.names)} (record it with --lot NAME)"))
            continue
        lines.append((f"LOSENTSCHEID: {t.seats} Sitz(e) zwischen {', '.join(t.names)} (Los des Wahlleiters; mit --lot NAME eintragen)")
                     if de else
                     (f"DRAWING OF LOTS: {t.seats} seat(s) among {', '.join(t.names)} (the returning officer's lot; record it with --lot NAME)"))
    if result.majority_clause_applied:
        lines.append("§ 33 Abs. 4 KWahlG (Zusatzmandat) angewandt." if de else "§ 33 Abs. 4 KWahlG (majority seat) applied.")
    return "\n".join(lines) + "\n"


def render_markdown(result: Result, lang: str) -> str:
    de = lang != "en"
    out = ["| " + " | ".join(("Wahlvorschlag", "Art", "Stimmen", "Anspruch", "besetzt") if de
                             else ("Candidate", "kind", "votes", "entitled", "filled")) + " |", "|---|---|---:|---:|---:|"]
    for a in result.allocations:
        out.append(f"| {a.name} | {a.kind} | {a.votes} | {a.entitled} | {a.filled} |")
    out.append("")
    out.append(f"**{'Unbesetzt' if de else 'Empty seats'}:** {result.vacant}")
    for t in result.ties:
        out.append(f"**{'Losentscheid' if de else 'Drawing of lots'}:** {t.seats} × {', '.join(t.names)}")
    return "\n".join(out) + "\n"
