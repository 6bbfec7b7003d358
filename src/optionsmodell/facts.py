"""The named facts rules speak about, and how they are read off a configuration.

Rules never see the configuration itself, only these facts, so that a rule pack names each fact
it needs and a missing fact can be told apart from a fact that is zero. A fact the configuration
does not give is simply absent: rules that need it are undetermined.

Dates are carried as day numbers (proleptic ordinals) so that rules may subtract them; reports
turn them back into ISO dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

from .configuration import GROUPS, KNOWN_KINDS, Body, Configuration, ElectedMembers
from .record import MutableRecord, Record, init

ELECTED_MEMBER_STATUS: tuple[str, ...] = tuple(ElectedMembers.model_fields)

FactType = Literal["int", "str", "bool", "date"]
FactValue = int | str | bool
Scope = Literal["municipality", "body"]


class FactSpec(Record):
    __slots__ = ("de", "en", "name", "scope", "type", "values")
    name: str
    type: FactType
    scope: Scope
    de: str
    en: str
    values: tuple[str, ...]

    def __init__(self, name: str, type: FactType, scope: Scope, de: str, en: str, values: tuple[str, ...] = ()) -> None:
        init(self, "name", name)
        init(self, "type", type)
        init(self, "scope", scope)
        init(self, "de", de)
        init(self, "en", en)
        init(self, "values", values)


def _specs() -> dict[str, FactSpec]:
    specs: list[FactSpec] = [
        FactSpec("check.date", "date", "municipality", "Tag der Prüfung", "day the configuration is judged at"),
        FactSpec("municipality.foreign_residents", "int", "municipality",
                 "ausländische Einwohner mit Hauptwohnung (§ 27 Abs. 6)", "foreign residents with main residence (§ 27 Abs. 6)"),
        FactSpec("municipality.applicants", "int", "municipality",
                 "Antragsteller insgesamt (§ 27 Abs. 1 Satz 2)", "applicants in total (§ 27 Abs. 1 Satz 2)"),
        FactSpec("municipality.applicants_foreign_nationals", "int", "municipality",
                 "Antragsteller nach § 27 Abs. 3 Satz 1 Nr. 1 (Nichtdeutsche)",
                 "applicants of § 27 Abs. 3 Satz 1 Nr. 1 (not German)"),
        FactSpec("municipality.population", "int", "municipality", "Einwohnerzahl", "population"),
        FactSpec("municipality.local_election_date", "date", "municipality", "Tag der Kommunalwahl", "day of the Kommunalwahl"),
        FactSpec("municipality.land", "str", "municipality", "Land", "Land"),
        FactSpec("bodies.count", "int", "municipality", "Zahl der Gremien", "number of bodies"),
        FactSpec("bodies.count_provided", "int", "municipality",
                 "Zahl der Gremien einer Art, die die Fassung vorsieht", "number of bodies of a kind this regime provides"),
        FactSpec("body.index", "int", "body", "Nummer des Gremiums", "index of the body"),
        FactSpec("body.kind", "str", "body", "Art des Gremiums", "kind of body", KNOWN_KINDS),
        FactSpec("body.kind_provided", "bool", "body", "Art von der Fassung vorgesehen", "kind provided by this regime"),
        FactSpec("body.formed_by", "str", "body", "gebildet durch", "formed by", ("election", "council_resolution")),
        FactSpec("body.chair", "str", "body", "Vorsitz aus der Gruppe", "chair from the group",
                 (*GROUPS, "mayor")),
        FactSpec("body.in_deliberation_sequence", "bool", "body", "in der Beratungsfolge des Rates",
                 "part of the council's Beratungsfolge"),
        FactSpec("powers.count", "int", "body", "Zahl der Befugnisse", "number of powers"),
        FactSpec("powers.decisions", "int", "body", "übertragene Entscheidungsbefugnisse", "delegated decision powers"),
        FactSpec("powers.council_reserved_decisions", "int", "body",
                 "übertragene Entscheidungen aus § 41 Abs. 1 Satz 2", "delegated decisions reserved to the council by § 41 Abs. 1 Satz 2"),
        FactSpec("powers.council_reserved", "str", "body",
                 "übertragene Vorbehaltsaufgaben (Angelegenheit und Buchstabe)", "delegated reserved matters (matter and letter)"),
        FactSpec("powers.decisions_beyond_budget_frame", "int", "body",
                 "übertragene Entscheidungen außerhalb des Budgetrahmens (§ 27 Abs. 10 Satz 2)",
                 "delegated decisions beyond the budget frame (§ 27 Abs. 10 Satz 2)"),
        FactSpec("election.date", "date", "body", "Wahltag", "election day"),
        FactSpec("election.past", "bool", "body", "Wahl liegt vor dem Prüfdatum", "election lies before the day judged"),
        FactSpec("election.on_local_election_day", "bool", "body", "Wahl am Tag der Kommunalwahl",
                 "election held on the day of the Kommunalwahl"),
        FactSpec("seats.total", "int", "body", "Sitze insgesamt", "seats in total"),
        # What a Satzung, Geschäftsordnung or Wahlordnung regulates (§ 27 Abs. 2, 3, 5, 7-11)
        FactSpec("appointment.from_council_members", "bool", "body",
                 "Rat bestellt aus seiner Mitte (Abs. 2 Satz 4)", "council appoints from its own members (Abs. 2 Satz 4)"),
        FactSpec("appointment.substitutes", "bool", "body",
                 "Stellvertreter der bestellten Mitglieder zulässig (Abs. 2 Satz 5)", "substitutes for appointees permitted (Abs. 2 Satz 5)"),
        FactSpec("body.rules_of_procedure", "str", "body", "Geschäftsordnung (eigene oder des Rates)",
                 "rules of procedure (own or the council's)", ("own", "council")),
        FactSpec("election.single_candidates", "bool", "body", "Einzelbewerber zugelassen", "single candidates admitted"),
        FactSpec("election.substitutes", "bool", "body", "Wahl von Stellvertretern zulässig", "election of substitutes permitted"),
        FactSpec("election.voting_age", "int", "body", "Wahlalter", "voting age"),
        FactSpec("election.eligibility_age", "int", "body", "Wählbarkeitsalter", "minimum age to stand"),
        FactSpec("election.citizens_eligible", "bool", "body", "Bürger wählbar", "Bürger may stand"),
    ]
    status_de = {
        "secrecy": "Verschwiegenheitspflicht (§ 30)", "exclusion_for_bias": "Ausschließungsgründe (§ 31)",
        "loyalty": "Treupflicht (§ 32 Abs. 2)", "expenses": "Auslagen und Verdienstausfall (§ 33)",
        "free_mandate": "freies Mandat (§ 43 Abs. 1)", "leave_from_work": "Freistellung (§ 44)",
        "compensation": "Entschädigung (§ 45)",
    }
    status_en = {
        "secrecy": "secrecy (§ 30)", "exclusion_for_bias": "exclusion for bias (§ 31)",
        "loyalty": "duty of loyalty (§ 32 Abs. 2)", "expenses": "expenses and loss of earnings (§ 33)",
        "free_mandate": "free mandate (§ 43 Abs. 1)", "leave_from_work": "leave from work (§ 44)",
        "compensation": "compensation (§ 45)",
    }
    for key in ELECTED_MEMBER_STATUS:
        specs.append(FactSpec(f"elected_members.{key}", "bool", "body", f"gewählte Mitglieder: {status_de[key]}",
                              f"elected members: {status_en[key]}"))
    rights = {
        "any_municipal_matter": ("Befassung mit allen Angelegenheiten (Abs. 8 Satz 2)", "may take up every municipal matter (Abs. 8 Satz 2)"),
        "proposals_submitted": ("Vorlage von Anregungen auf Antrag (Abs. 8 Satz 3)", "proposals put forward on request (Abs. 8 Satz 3)"),
        "chair_may_speak": ("Teilnahme- und Rederecht (Abs. 8 Satz 4)", "right to attend and speak (Abs. 8 Satz 4)"),
        "opinions_on_referrals": ("Stellungnahme zu vorgelegten Fragen (Abs. 9)", "opinions on referred questions (Abs. 9)"),
    }
    funds = {
        "necessary_funds": ("erforderliche Mittel gestellt (Abs. 10 Satz 1)", "necessary funds provided (Abs. 10 Satz 1)"),
        "budget_frame": ("Budgetrahmen festgelegt (Abs. 10 Satz 2)", "budget frame set (Abs. 10 Satz 2)"),
        "heard_before_frame": ("vor dem Budgetrahmen angehört (Abs. 10 Satz 2)", "heard before the frame was set (Abs. 10 Satz 2)"),
    }
    entitled = {
        "non_germans": ("Nichtdeutsche (Abs. 3 Satz 1 Nr. 1)", "non-Germans (Abs. 3 Satz 1 Nr. 1)"),
        "foreign_citizenship": ("ausländische Staatsangehörigkeit (Nr. 2)", "foreign citizenship (Nr. 2)"),
        "naturalised": ("Eingebürgerte (Nr. 3)", "naturalised Germans (Nr. 3)"),
        "ius_soli": ("Deutsche nach § 4 Abs. 3 StAG (Nr. 4)", "Germans under § 4 Abs. 3 StAG (Nr. 4)"),
    }
    for prefix, pre_de, pre_en, table in (("rights", "", "", rights), ("funds", "", "", funds),
                                          ("election.entitled", "wahlberechtigt: ", "entitled to vote: ", entitled)):
        for key, (de, en) in table.items():
            specs.append(FactSpec(f"{prefix}.{key}", "bool", "body", pre_de + de, pre_en + en))
    specs += [
        FactSpec("filled.total", "int", "body", "besetzte Sitze insgesamt", "filled seats in total"),
    ]
    group_de = {
        "directly_elected": "direkt gewählte Mitglieder",
        "council_members": "Ratsmitglieder",
        "sachkundige_buerger": "sachkundige Bürger",
        "sachkundige_einwohner": "sachkundige Einwohner",
        "advisory": "beratende Mitglieder",
    }
    group_en = {
        "directly_elected": "directly elected members",
        "council_members": "council members",
        "sachkundige_buerger": "sachkundige Bürger",
        "sachkundige_einwohner": "sachkundige Einwohner",
        "advisory": "advisory members",
    }
    for g in GROUPS:
        specs.append(FactSpec(f"seats.{g}", "int", "body", f"Sitze: {group_de[g]}", f"seats: {group_en[g]}"))
        specs.append(FactSpec(f"filled.{g}", "int", "body", f"besetzt: {group_de[g]}", f"filled: {group_en[g]}"))
        specs.append(FactSpec(f"voting.{g}", "str", "body", f"Stimmrecht: {group_de[g]}", f"voting right: {group_en[g]}",
                              ("full", "advisory", "none_on_delegated")))
    for k in KNOWN_KINDS:
        specs.append(FactSpec(f"bodies.count_{k.replace('-', '_')}", "int", "municipality",
                              f"Zahl der Gremien der Art {k}", f"number of bodies of kind {k}"))
    return {s.name: s for s in specs}


CATALOG: dict[str, FactSpec] = _specs()

# Values the tool supplies itself, each only where the law or the format's own statement supplies it;
# every finding that relies on one says so (issue 8, defect 2: no other fact has a default).
DEFAULT_REASONS: dict[str, dict[str, str]] = {
    "seat_group_not_listed": {
        "de": "nicht unter `seats` aufgeführt, also 0: Sitze bestehen nur, soweit Satzung oder Ratsbeschluss sie "
              "schaffen (§ 27 Abs. 1 Satz 4, § 58 Abs. 1 Satz 1 GO NRW); `seats` gilt als vollständige Zusammensetzung",
        "en": "not listed under `seats`, hence 0: seats exist only where the bylaw or council resolution creates "
              "them (§ 27 Abs. 1 Satz 4, § 58 Abs. 1 Satz 1 GO NRW); `seats` is read as the whole composition",
    },
    "filled_as_seats": {
        "de": "nicht unter `filled` aufgeführt, also alle Sitze besetzt (`filled` nennt nur Gruppen mit leeren Sitzen)",
        "en": "not listed under `filled`, hence every seat filled (`filled` lists only groups with empty seats)",
    },
    "voting_of_kind": {
        "de": "nicht unter `voting` angegeben: das Stimmrecht, das die Fassung dieser Art von Gremium gibt",
        "en": "not given under `voting`: the voting right this version gives this kind of body",
    },
}


def to_ordinal(d: dt.date) -> int:
    return d.toordinal()


def display(name: str, value: FactValue, catalog: Mapping[str, FactSpec] = CATALOG) -> str:
    spec = catalog.get(name)
    if spec is not None and spec.type == "date" and isinstance(value, int) and not isinstance(value, bool):
        return dt.date.fromordinal(value).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class FactSet(MutableRecord):
    """The facts of one configuration: the municipality's, and each body's (which include the
    municipality's, so that a body rule may compare both)."""

    __slots__ = ("bodies", "defaults", "municipality", "settled", "sources")
    municipality: dict[str, FactValue]
    bodies: list[dict[str, FactValue]]
    # (fact name, body index or None) -> path in the configuration file, to find its line
    sources: dict[tuple[str, int | None], tuple[str | int, ...]]
    # (fact name, body index) -> why the value was not read from the file but supplied (DEFAULT_REASONS)
    defaults: dict[tuple[str, int | None], str]
    # facts about events before the day judged: no change to the file can cure them, so a fix never
    # proposes to change them (a past election cannot be moved)
    settled: set[tuple[str, int | None]]

    def __init__(self, municipality: dict[str, FactValue], bodies: list[dict[str, FactValue]],
                 sources: dict[tuple[str, int | None], tuple[str | int, ...]] | None = None,
                 defaults: dict[tuple[str, int | None], str] | None = None,
                 settled: set[tuple[str, int | None]] | None = None) -> None:
        self.municipality, self.bodies = municipality, bodies
        self.sources = {} if sources is None else sources
        self.defaults = {} if defaults is None else defaults
        self.settled = set() if settled is None else settled


class Reading(MutableRecord):
    """What a configuration says, before a regime's kinds and voting defaults are applied to it:
    read once, it is judged under several regimes (``under``). The facts a regime decides stand in
    their places already, to be set or taken out, so that every regime's facts come in the same
    order as if read for it alone."""

    __slots__ = ("bodies", "defaults", "explained", "kinds", "municipality", "settled", "sources", "unvoted")
    municipality: dict[str, FactValue]
    bodies: list[dict[str, FactValue]]  # each body's own facts, without the municipality's
    kinds: list[str]
    unvoted: list[tuple[str, ...]]  # per body, the groups whose voting right the file does not give
    sources: dict[tuple[str, int | None], tuple[str | int, ...]]  # empty unless read to be explained
    defaults: dict[tuple[str, int | None], str]
    settled: set[tuple[str, int | None]]
    explained: bool

    def __init__(self, municipality: dict[str, FactValue], bodies: list[dict[str, FactValue]], kinds: list[str],
                 unvoted: list[tuple[str, ...]], sources: dict[tuple[str, int | None], tuple[str | int, ...]],
                 defaults: dict[tuple[str, int | None], str], settled: set[tuple[str, int | None]],
                 explained: bool = True) -> None:
        self.municipality, self.bodies, self.kinds, self.unvoted = municipality, bodies, kinds, unvoted
        self.sources, self.defaults, self.settled, self.explained = sources, defaults, settled, explained


def extract(
    config: Configuration,
    *,
    provided_kinds: Iterable[str],
    default_voting: Mapping[str, Mapping[str, str]],
    as_of: dt.date,
) -> FactSet:
    return under(read(config, as_of), provided_kinds, default_voting)


def under(reading: Reading, provided_kinds: Iterable[str], default_voting: Mapping[str, Mapping[str, str]],
          explained: bool = True) -> FactSet:
    """The facts of a configuration under a regime: which kinds of body it provides for, and the
    voting right it gives each kind where the file does not say. ``explained=False``: without
    where each fact stands and which were supplied (``sources``, ``defaults``), for a caller that
    only judges and never explains (batch)."""
    if explained and not reading.explained:
        raise ValueError("facts to be explained need a configuration read with its sources")
    provided = provided_kinds if isinstance(provided_kinds, set | frozenset) else set(provided_kinds)
    m = dict(reading.municipality)
    m["bodies.count_provided"] = sum(1 for k in reading.kinds if k in provided)
    sources = dict(reading.sources) if explained else {}
    defaults = dict(reading.defaults) if explained else {}
    bodies: list[dict[str, FactValue]] = []
    for i, own in enumerate(reading.bodies):
        kind = reading.kinds[i]
        merged = dict(m)
        merged.update(own)
        merged["body.kind_provided"] = kind in provided
        if reading.unvoted[i]:
            kind_defaults = default_voting.get(kind, {})
            for g in reading.unvoted[i]:
                name = _VOTING[g]
                if g in kind_defaults:
                    merged[name] = kind_defaults[g]
                else:
                    del merged[name]
                    if explained:
                        del sources[(name, i)], defaults[(name, i)]
        bodies.append(merged)
    return FactSet(municipality=m, bodies=bodies, sources=sources, defaults=defaults, settled=set(reading.settled))


_VOTING = {g: f"voting.{g}" for g in GROUPS}
_UNDECIDED: FactValue = ""  # a fact's place, until a regime decides its value


def read(config: Configuration, as_of: dt.date, explained: bool = True) -> Reading:
    """``explained=False``: without the place in the file of each fact (``under`` then makes facts
    that are judged but never explained)."""
    m: dict[str, FactValue] = {}
    sources: dict[tuple[str, int | None], tuple[str | int, ...]] = {}
    defaults: dict[tuple[str, int | None], str] = {}
    mun = config.municipality

    def put_m(name: str, value: FactValue | None, path: tuple[str | int, ...]) -> None:
        if value is not None:
            m[name] = value
            if explained:
                sources[(name, None)] = path

    put_m("check.date", to_ordinal(as_of), ("date",))
    put_m("municipality.foreign_residents", mun.foreign_residents, ("municipality", "foreign_residents"))
    # No default: an application status the file does not give is unknown (issue 8, defect 2).
    if mun.applicants is not None:
        # a plain number is the total; with both keys given, point at `total` itself
        split = mun.applicants.foreign_nationals is not None
        put_m("municipality.applicants", mun.applicants.total,
              ("municipality", "applicants", "total") if split else ("municipality", "applicants"))
        put_m("municipality.applicants_foreign_nationals", mun.applicants.foreign_nationals,
              ("municipality", "applicants", "foreign_nationals"))
    put_m("municipality.population", mun.population, ("municipality", "population"))
    if mun.local_election_date is not None:
        put_m("municipality.local_election_date", to_ordinal(mun.local_election_date),
              ("municipality", "local_election_date"))
    put_m("municipality.land", mun.land, ("municipality", "land"))
    put_m("bodies.count", len(config.bodies), ("bodies",))
    put_m("bodies.count_provided", 0, ("bodies",))  # under a regime: the bodies of kinds it provides for
    for k in KNOWN_KINDS:
        put_m(f"bodies.count_{k.replace('-', '_')}", sum(1 for b in config.bodies if b.kind == k), ("bodies",))

    bodies: list[dict[str, FactValue]] = []
    unvoted: list[tuple[str, ...]] = []
    settled: set[tuple[str, int | None]] = set()
    for i, body in enumerate(config.bodies):
        facts, body_sources, body_defaults, open_votes = _body_facts(body, i, mun.local_election_date, explained)
        bodies.append(facts)
        unvoted.append(open_votes)
        for name, path in body_sources.items():
            sources[(name, i)] = path
        if body.election is not None and body.election.date is not None:
            past = body.election.date < as_of
            facts["election.past"] = past
            if explained:
                sources[("election.past", i)] = ("bodies", i, "election", "date")
            if past:
                settled.update({("election.date", i), ("election.on_local_election_day", i), ("election.past", i)})
        for name, reason in body_defaults.items():
            defaults[(name, i)] = reason
    return Reading(municipality=m, bodies=bodies, kinds=[b.kind for b in config.bodies], unvoted=unvoted,
                   sources=sources, defaults=defaults, settled=settled, explained=explained)


def _body_facts(
    body: Body,
    i: int,
    local_election_date: dt.date | None,
    explained: bool = True,
) -> tuple[dict[str, FactValue], dict[str, tuple[str | int, ...]], dict[str, str], tuple[str, ...]]:
    f: dict[str, FactValue] = {}
    src: dict[str, tuple[str | int, ...]] = {}
    defaults: dict[str, str] = {}
    base: tuple[str | int, ...] = ("bodies", i)

    def put(name: str, value: FactValue | None, path: tuple[str | int, ...]) -> None:
        if value is not None:
            f[name] = value
            if explained:
                src[name] = base + path

    put("body.index", i, ())
    put("body.kind", body.kind, ("kind",))
    put("body.kind_provided", False, ("kind",))  # decided under a regime
    put("body.formed_by", body.formed_by, ("formed_by",))
    put("body.chair", body.chair, ("chair",))
    put("body.in_deliberation_sequence", body.in_deliberation_sequence, ("in_deliberation_sequence",))
    if body.seats is not None:
        total = 0
        filled_total = 0
        for g in GROUPS:
            seats = getattr(body.seats, g)
            put(f"seats.{g}", seats, ("seats", g))
            if g not in body.seats.model_fields_set:
                defaults[f"seats.{g}"] = "seat_group_not_listed"
            total += seats
            filled_value = getattr(body.filled, g) if body.filled is not None else None
            if filled_value is None:
                # `filled` lists only the groups with empty seats: the others are full.
                put(f"filled.{g}", seats, ("seats", g))
                defaults[f"filled.{g}"] = "filled_as_seats"
                filled_total += seats
            else:
                put(f"filled.{g}", filled_value, ("filled", g))
                filled_total += filled_value
        put("seats.total", total, ("seats",))
        put("filled.total", filled_total, ("filled",) if body.filled is not None else ("seats",))
    unvoted: list[str] = []
    for g in GROUPS:
        given = getattr(body.voting, g) if body.voting is not None else None
        if given is not None:
            put(f"voting.{g}", given, ("voting", g))
        else:
            # the voting right this kind of body has under a regime, if it gives one
            put(f"voting.{g}", _UNDECIDED, ("kind",))
            defaults[f"voting.{g}"] = "voting_of_kind"
            unvoted.append(g)
    if body.powers is not None:
        put("powers.count", len(body.powers), ("powers",))
        put("powers.decisions", sum(1 for p in body.powers if p.kind == "decision"), ("powers",))
        put(
            "powers.council_reserved_decisions",
            sum(1 for p in body.powers if p.kind == "decision" and p.council_reserved),
            ("powers",),
        )
        decisions = [p for p in body.powers if p.kind == "decision"]
        if all(p.budget_frame is not None for p in decisions):
            put("powers.decisions_beyond_budget_frame", sum(1 for p in decisions if not p.budget_frame), ("powers",))
        put(
            "powers.council_reserved",
            "; ".join(f"{p.matter} (§ 41 Abs. 1 Satz 2 lit. {p.council_reserved})"
                      for p in body.powers if p.kind == "decision" and p.council_reserved),
            ("powers",),
        )
    put("body.rules_of_procedure", body.rules_of_procedure, ("rules_of_procedure",))
    for group in ("appointment", "elected_members", "rights", "funds"):
        given = getattr(body, group)
        if given is not None:
            for key in type(given).model_fields:
                put(f"{group}.{key}", getattr(given, key), (group, key))
    if body.election is not None:
        e = body.election
        for key in ("single_candidates", "substitutes", "voting_age", "eligibility_age", "citizens_eligible"):
            put(f"election.{key}", getattr(e, key), ("election", key))
        if e.entitled is not None:
            for key in type(e.entitled).model_fields:
                put(f"election.entitled.{key}", getattr(e.entitled, key), ("election", "entitled", key))
        if e.date is not None:
            put("election.date", to_ordinal(e.date), ("election", "date"))
        # Said outright, or derivable from the two dates; otherwise unknown.
        if e.with_local_election is not None:
            put("election.on_local_election_day", e.with_local_election, ("election", "with_local_election"))
        elif e.date is not None and local_election_date is not None:
            put("election.on_local_election_day", e.date == local_election_date, ("election", "date"))
    return f, src, defaults, tuple(unvoted)
