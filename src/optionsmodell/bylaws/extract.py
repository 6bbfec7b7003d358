"""From sentences to facts: which body, how many seats per group, who votes and chairs, whether it
sits in the council's Beratungsfolge, what was delegated to it, when it is elected, and the rights of
§ 27 Abs. 7–10 — each fact with the sentences it was read from.

The reading is rules over sentences (patterns.yaml). A value the text does not state is not produced;
a bound ("bis zu zehn") is no count; a fraction needs the total it is a share of; where passages
disagree, both are kept and the value is left out (see `resolve`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .numbers import Quantity, quantities
from .sentences import Sentence

GROUP_ORDER = ("directly_elected", "council_members", "sachkundige_buerger", "sachkundige_einwohner", "advisory")


@dataclass(frozen=True)
class Reading:
    """One value read from one sentence."""

    key: str  # "kind", "seats.council_members", "voting.directly_elected", "rights.any_municipal_matter" …
    value: Any
    sentence: Sentence
    how: str = ""  # e.g. "2/3 of 33"


@dataclass
class Patterns:
    kinds: list[tuple[str, re.Pattern[str]]]
    kind_not_described: re.Pattern[str]
    composition: re.Pattern[str]
    member_noun: re.Pattern[str]
    not_members: re.Pattern[str]
    groups: list[tuple[str, list[re.Pattern[str]]]]
    total_before: re.Pattern[str]
    total_after: re.Pattern[str]
    voting: dict[str, re.Pattern[str]]
    chair: list[tuple[str, re.Pattern[str]]]
    deliberation: dict[bool, re.Pattern[str]]
    local_election: dict[bool, re.Pattern[str]]
    formed_by: dict[str, re.Pattern[str]]
    powers: dict[str, re.Pattern[str]]
    flags: list[dict[str, Any]] = field(default_factory=list)


def _c(p: str) -> re.Pattern[str]:
    return re.compile(p)


@cache
def patterns() -> Patterns:
    raw = yaml.safe_load(resources.files("optionsmodell.bylaws").joinpath("patterns.yaml").read_text(encoding="utf-8"))
    flags = []
    for f in raw["flags"]:
        flags.append({
            "key": f["key"], "value": f["value"], "pattern": _c(f["pattern"]),
            "block_context": _c(f["block_context"]) if f.get("block_context") else None,
        })
    return Patterns(
        kinds=[(k["kind"], _c(k["pattern"])) for k in raw["kinds"]],
        kind_not_described=_c(raw["kind_not_described"]),
        composition=_c(raw["composition"]),
        member_noun=_c(raw["member_noun"]),
        not_members=_c(raw["not_members"]),
        groups=[(g["group"], [_c(p) for p in g["cues"]]) for g in raw["groups"]],
        total_before=_c(raw["total_before"]),
        total_after=_c(raw["total_after"]),
        voting={k: _c(v) for k, v in raw["voting"].items()},
        chair=[(c["value"], _c(c["pattern"])) for c in raw["chair"]],
        deliberation={k == "true": _c(v) for k, v in raw["in_deliberation_sequence"].items()},
        local_election={k == "true": _c(v) for k, v in raw["with_local_election"].items()},
        formed_by={k: _c(v) for k, v in raw["formed_by"].items()},
        powers={k: _c(v) for k, v in raw["powers"].items()},
        flags=flags,
    )


# -- the kind ------------------------------------------------------------------------------------

def kind_mentions(s: Sentence) -> list[tuple[int, str]]:
    """(position, kind) of every mention of a body that the sentence may describe."""
    p = patterns()
    out: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in p.kinds:
        for m in pattern.finditer(s.folded):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if p.kind_not_described.search(s.folded[max(0, m.start() - 40):m.start()]):
                continue
            out.append((m.start(), kind))
    return sorted(out)


def read_kind(sentences: list[Sentence]) -> list[Reading]:
    """The kind: from the sentences that say what the body consists of, where its subject names it;
    else from the kinds the text names (a kind named half as often as another is not the body)."""
    p = patterns()
    subject: list[Reading] = []
    counts: dict[str, list[Sentence]] = {}
    for s in sentences:
        if s.statute:
            continue
        mentions = kind_mentions(s)
        for _, kind in mentions:
            counts.setdefault(kind, []).append(s)
        verb = re.search(r"\b(besteht|bestehen|setzt\s+sich|setzen\s+sich|gehoeren)\b", s.folded)
        if verb and mentions:
            before = [k for pos, k in mentions if pos < verb.start()]
            if before and (p.member_noun.search(s.folded) or quantities(s.folded)):
                subject.append(Reading("kind", before[-1], s))
    if subject:
        return subject
    if not counts:
        return []
    ranked = sorted(counts.items(), key=lambda kv: -len(kv[1]))
    best = len(ranked[0][1])
    return [Reading("kind", kind, ss[0]) for kind, ss in ranked if len(ss) * 2 > best]


# -- seats -----------------------------------------------------------------------------------------

@dataclass
class _Seat:
    group: str | None
    q: Quantity
    segment: str


def _group_of(segment: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for rank, (group, cues) in enumerate(patterns().groups):
        for cue in cues:
            m = cue.search(segment)
            if m and (best is None or rank < best[1]):
                best = (m.start(), rank, group)
    return best[2] if best else None


def _segments(s: Sentence) -> list[tuple[Quantity, str]]:
    qs = quantities(s.folded)
    out = []
    for i, q in enumerate(qs):
        end = qs[i + 1].start if i + 1 < len(qs) else len(s.folded)
        out.append((q, s.folded[q.end:end]))
    return out


def read_seats(sentences: list[Sentence]) -> tuple[list[Reading], list[Reading]]:
    """Seat counts per group and totals; and the groups the text names only with a bound
    ("bis zu zwei", "mindestens …"), which make their counts unknown."""
    p = patterns()
    readings: list[Reading] = []
    uncertain: list[Reading] = []
    last_total: dict[tuple[int, str | None], tuple[int, Sentence]] = {}
    # in a Hauptsatzung, only the sections that name the body speak of its members ("§ 2 Der Rat
    # besteht aus 52 Ratsmitgliedern" is the council's size)
    body_sections = {(x.file, x.section) for x in sentences if x.section and kind_mentions(x)}
    for s in sentences:
        if s.statute or not p.composition.search(s.folded):
            continue
        if _COUNCIL_SUBJECT.match(s.folded) or (s.section and (s.file, s.section) not in body_sections):
            continue
        segs = _segments(s)
        if not segs:
            continue
        # "Der Integrationsrat hat 21 Mitglieder. Davon werden 14 direkt gewählt …": the total's noun carries on
        has_member_noun = bool(p.member_noun.search(s.folded)) or (s.block, s.alternative) in last_total
        pending_fractions: list[tuple[Quantity, str]] = []
        parts_of: dict[int, int] = {}  # "15 der 25 Mitglieder": 15 takes its group from after 25
        for i, (q, seg) in enumerate(segs):
            if i + 1 < len(segs) and re.fullmatch(r"\s*(der|von\s+den|von)\s*", seg) and q.value is not None:
                parts_of[i] = i + 1
        for i, (q, seg) in enumerate(segs):
            if i in parts_of:
                seg = segs[parts_of[i]][1]
            elif p.not_members.search(seg):
                continue
            near = seg[:70]
            noun = p.member_noun.search(near)
            group = _group_of(seg)
            # a fraction followed by its count in brackets: "zwei Drittel (18 Personen)" — the count decides
            if q.fraction is not None and re.match(r"^\s*\(\s*$", seg) and i + 1 < len(segs):
                continue
            before = s.folded[max(0, q.start - 60):q.start]
            named = _ZAHL_DER.search(s.folded[max(0, q.start - 160):q.start])
            if group is None and named and q.value is not None:
                # "Die Zahl der direkt zu wählenden Mitglieder beträgt 12."
                group = _group_of(named.group("grp"))
                noun = p.member_noun.search(named.group("grp"))
                if group is not None and noun and q.bound is None:
                    readings.append(Reading(f"seats.{group}", q.value, s))
                    continue
            is_total = p.total_before.search(before) or p.total_after.match(seg) or re.search(r"\b(der|von\s+den)\s*$", before)
            if i in parts_of.values() and q.value is not None and noun and q.bound is None:
                readings.append(Reading("seats.total", q.value, s))
                last_total[(s.block, s.alternative)] = (q.value, s)
                last_total[(-1, s.alternative)] = (q.value, s)
                continue
            if q.value is not None and group is None and is_total and noun:
                if q.bound is None:
                    readings.append(Reading("seats.total", q.value, s))
                    last_total[(s.block, s.alternative)] = (q.value, s)
                    last_total[(-1, s.alternative)] = (q.value, s)
                    if p.voting["full"].match(seg.strip()) or re.match(r"^\s*stimmberechtigt", seg):
                        readings.append(Reading("voting.__total_full", q.value, s))
                continue
            if group is None:
                continue
            if not noun and not has_member_noun:
                continue
            if q.bound is not None:
                uncertain.append(Reading(f"seats.{group}", f"{q.bound} {q.text}", s))
                continue
            if q.fraction is not None:
                pending_fractions.append((q, group))
                continue
            if q.value is None or q.value > 1000:
                continue
            readings.append(Reading(f"seats.{group}", q.value, s))
            vote = _voting_of(seg)
            if vote:
                readings.append(Reading(f"voting.{group}", vote, s))
        for q, group in pending_fractions:
            total = last_total.get((s.block, s.alternative)) or last_total.get((-1, s.alternative))
            assert q.fraction is not None
            if total is None:
                uncertain.append(Reading(f"seats.{group}", f"{q.text} of a total the text does not state", s))
                continue
            value = q.fraction * total[0]
            if value.denominator != 1:
                uncertain.append(Reading(f"seats.{group}", f"{q.text} of {total[0]} is not a whole number", s))
                continue
            readings.append(Reading(f"seats.{group}", int(value), s, how=f"{_frac(q.fraction)} × {total[0]}"))
        if p.voting["every_group"].search(s.folded):
            for r in [r for r in readings if r.sentence is s and r.key.startswith("seats.") and r.key != "seats.total"]:
                readings.append(Reading("voting." + r.key.split(".", 1)[1], "full", s))
    # "27 stimmberechtigten Mitgliedern (18 …, neun …)": the groups that make up the voting total vote
    for marker in [r for r in readings if r.key == "voting.__total_full"]:
        parts = [r for r in readings if r.sentence is marker.sentence and r.key.startswith("seats.") and r.key != "seats.total"]
        if parts and sum(int(r.value) for r in parts) == marker.value:
            for r in parts:
                readings.append(Reading("voting." + r.key.split(".", 1)[1], "full", marker.sentence))
    readings = [r for r in readings if r.key != "voting.__total_full"]
    # "Alle Mitglieder sind stimmberechtigt." on its own: every group the text counts votes
    groups = {r.key.split(".", 1)[1] for r in readings if r.key.startswith("seats.") and r.key != "seats.total"}
    for s in sentences:
        if not s.statute and p.voting["every_group"].search(s.folded) and not any(r.sentence is s for r in readings):
            readings.extend(Reading(f"voting.{g}", "full", s) for g in sorted(groups))
    return readings, uncertain


_COUNCIL_SUBJECT = re.compile(r"^(der|die)\s+(stadt|gemeinde)?(rat|vertretung|ratsversammlung)\b(\s+der\s+(stadt|gemeinde)\s+\S+)?\s+(besteht|hat|umfasst|setzt\s+sich)")
_ZAHL_DER = re.compile(r"\b(an)?zahl\s+der\s+(?P<grp>[^.]{3,140}?)\s+(betraegt|wird\s+auf|ist\s+auf|liegt\s+bei)\s+$")
_SUBJECT_GROUPS = {"sachkundigen buerger": "sachkundige_buerger", "sachkundigen einwohner": "sachkundige_einwohner",
                   "direkt gewaehlten": "directly_elected", "beratenden": "advisory"}


def _frac(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def _voting_of(segment: str) -> str | None:
    v = patterns().voting
    if v["none_on_delegated"].search(segment):
        return "none_on_delegated"
    if v["advisory"].search(segment):
        return "advisory"
    if v["full"].search(segment) and not re.search(r"\bebenso\b", segment):
        return "full"
    return None


# -- everything else -------------------------------------------------------------------------------

def read_others(sentences: list[Sentence]) -> list[Reading]:
    p = patterns()
    out: list[Reading] = []
    blocks: dict[tuple[str, int], str] = {}
    for s in sentences:
        blocks[(s.file, s.block)] = blocks.get((s.file, s.block), "") + " " + s.folded
    for s in sentences:
        if s.statute:
            continue
        f = s.folded
        if re.search(r"\bvorsitz", f):
            for group, pattern in p.chair:
                if pattern.search(f):
                    out.append(Reading("chair", group, s))
                    break
        for truth in (False, True):  # a negated phrase contains the positive one: test it first
            if p.deliberation[truth].search(f):
                out.append(Reading("in_deliberation_sequence", truth, s))
                break
        for truth in (False, True):
            if p.local_election[truth].search(f):
                out.append(Reading("election.with_local_election", truth, s))
                break
        for value_name, pattern in p.formed_by.items():
            if pattern.search(f):
                out.append(Reading("formed_by", value_name, s))
                break
        subject = p.voting["group_subject"].search(f)
        if subject:
            named = next((g for k, g in _SUBJECT_GROUPS.items() if subject.group("group").startswith(k)), None)
            vote = _voting_of(f[subject.end("group"):])
            if named and vote:
                out.append(Reading(f"voting.{named}", vote, s))
        if p.powers["decision"].search(f) and not p.powers["not_a_delegation"].search(f):
            m = p.powers["matter"].search(f)
            matter = _matter(s, m.group("matter") or m.group("matter2")) if m else None
            if matter is None and ":" in s.text:
                matter = s.text.split(":", 1)[1].strip(" .;")  # "folgende Angelegenheiten zur Entscheidung: …"
            out.append(Reading("powers", {"matter": matter or s.text, "kind": "decision"}, s))
        for flag in p.flags:
            if flag["pattern"].search(f):
                ctx = flag["block_context"]
                if ctx is not None and not ctx.search(blocks[(s.file, s.block)]):
                    continue
                out.append(Reading(flag["key"], flag["value"], s))
    return out


def _matter(s: Sentence, folded_matter: str | None) -> str | None:
    """The matter in the bylaw's own spelling: the original words at the folded match's place."""
    if not folded_matter:
        return None
    words = [w.strip(".,;:") for w in folded_matter.split()]
    orig = s.text.split()
    folded_words = [w.strip(".,;:") for w in s.folded.split()]
    for i in range(len(folded_words) - len(words) + 1):
        if folded_words[i:i + len(words)] == words and len(folded_words) == len(orig):
            return " ".join(orig[i:i + len(words)]).strip(" ,;.:")
    return folded_matter


def read_all(sentences: Iterable[Sentence]) -> tuple[list[Reading], list[Reading]]:
    ss = list(sentences)
    seats, uncertain = read_seats(ss)
    return [*read_kind(ss), *seats, *read_others(ss)], uncertain
