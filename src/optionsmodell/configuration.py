"""The configuration a user writes (format ``optionsmodell/v1``, docs/configuration.md).

The field names are a contract with users and their editors: never rename them. Validation is
strict (an unknown key, a count given as text, ``filled`` above ``seats``: all refused), because a
silently coerced value would be judged as if the user had written it.
"""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from its
# string when the classes are made, at every start (issue 10, start-up).

import datetime as dt
import difflib
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import core_schema

from .limits import MAX_BODIES, check_bodies
from .record import Record, init
from .safe_yaml import InputError, LoadedYaml, dotted, load_file, load_text

FORMAT = "optionsmodell/v1"

# Every kind any regime of the tool knows. A kind outside this set is an input error; a kind a
# particular regime does not provide is a finding of that regime's rules (spec, "Semantics").
KNOWN_KINDS: tuple[str, ...] = (
    "integrationsrat",
    "integrationsausschuss",
    "ausschuss-chancengerechtigkeit-integration",
    "integrationsbeirat",  # Saarland, § 50 KSVG
)
BodyKind = Literal[
    "integrationsrat",
    "integrationsausschuss",
    "ausschuss-chancengerechtigkeit-integration",
    "integrationsbeirat",
]
GROUPS: tuple[str, ...] = (
    "directly_elected",
    "council_members",
    "sachkundige_buerger",
    "sachkundige_einwohner",
    "advisory",
)
Count = Annotated[int, Field(ge=0, le=100_000_000)]
VotingRight = Literal["full", "advisory", "none_on_delegated"]


class _Strict(BaseModel):
    # defer_build: a model's validator is built when it is first used, and then once for the whole
    # configuration, instead of one per class at import (most of a single check's start-up)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Applicants(_Strict):
    """Who applied for a body (§ 27 Abs. 1 Satz 2), by the group of § 27 Abs. 3 Satz 1 they belong to."""

    total: Count | None = Field(
        default=None,
        description="Every applicant entitled to vote under § 27 Abs. 3 Satz 1 (Nr. 1–4) of the version applied.",
    )
    foreign_nationals: Count | None = Field(
        default=None,
        description="Of them, the persons of § 27 Abs. 3 Satz 1 Nr. 1: not Germans within Art. 116 Abs. 1 GG "
        "(foreign nationals and stateless persons). Under the 2009 text only they count.",
    )

    @model_validator(mode="after")
    def _part_within_total(self) -> "Applicants":
        if self.total is not None and self.foreign_nationals is not None and self.foreign_nationals > self.total:
            raise ValueError(
                f"applicants.foreign_nationals = {self.foreign_nationals} exceeds applicants.total = {self.total}"
            )
        return self


def _applicants_in(value: Any) -> Any:
    """A plain number (the only form format optionsmodell/v1 had at first) is the total."""
    if isinstance(value, bool) or (not isinstance(value, int | dict | Applicants) and value is not None):
        raise ValueError(
            "expected a whole number (without quotes), or a mapping with `total` and/or `foreign_nationals`"
        )
    if isinstance(value, int):
        if not 0 <= value <= 100_000_000:
            raise ValueError("expected a whole number ≥ 0")
        return {"total": value}
    return value


def _applicants_out(value: Applicants | None) -> int | dict[str, int] | None:
    """Written back as the user would write it: a total alone is the plain number."""
    if value is None:
        return None
    if value.foreign_nationals is None and value.total is not None:
        return value.total
    return {k: v for k, v in (("total", value.total), ("foreign_nationals", value.foreign_nationals)) if v is not None}


class _ApplicantsSchema:
    """How `applicants` is written out (``_applicants_out``) and its JSON Schema (a plain number, or
    the mapping), the schema made when it is asked for rather than when the class is defined. The
    serializer is set here rather than with pydantic's ``field_serializer``, whose module a single
    check would otherwise import for this one field (issue 10, start-up)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["serialization"] = core_schema.plain_serializer_function_ser_schema(_applicants_out)
        return schema

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"anyOf": [
            {"type": "integer", "minimum": 0, "maximum": 100_000_000, "description": "the total"},
            Applicants.model_json_schema(),
            {"type": "null"},
        ]}


class Municipality(_Strict):
    name: str = Field(min_length=1, description="Name of the municipality (required).")
    ags: str | None = Field(
        default=None,
        pattern=r"^\d{8}$",
        description="Amtlicher Gemeindeschlüssel, 8 digits, as text (quote it: \"05114000\").",
    )
    land: str = Field(
        pattern=r"^[A-Z]{2}$",
        description="The Land whose law applies, as its two-letter code (NW = Nordrhein-Westfalen, HE, SL …).",
    )
    foreign_residents: Count | None = Field(
        default=None,
        description="Ausländische Einwohner mit Hauptwohnung, counted as the version of the law applied "
        "prescribes (GO NRW 2018: § 27 Abs. 6, without the persons of Abs. 4 and without Germans holding a "
        "second citizenship). Absent: every rule that needs it is undetermined.",
    )
    applicants: Annotated[
        Applicants | None,
        BeforeValidator(_applicants_in),
        _ApplicantsSchema(),
    ] = Field(
        default=None,
        description="Persons who applied for a body (§ 27 Abs. 1 Satz 2 GO NRW). Who counts depends on the "
        "version: since 2013 every person entitled to vote under Abs. 3 Satz 1 (Nr. 1–4); in the 2009 text "
        "only persons of Abs. 3 Satz 1 Nr. 1 (not Germans within Art. 116 Abs. 1 GG). A plain number is the "
        "`total`; give `foreign_nationals` as well where the 2009 law applies. Absent: unknown, and every "
        "rule that needs it is undetermined (there is no default).",
    )
    population: Count | None = Field(default=None, description="Population (optional).")
    local_election_date: dt.date | None = Field(
        default=None, description="Day of the Kommunalwahl of the current council term (ISO date)."
    )


class Seats(_Strict):
    directly_elected: Count = Field(
        default=0, description="Elected directly by the residents entitled to vote (GO NRW: § 27 Abs. 2 Satz 1)."
    )
    council_members: Count = Field(
        default=0,
        description="Council members appointed by the council (GO NRW 2013-2025: § 27 Abs. 2 Satz 4; 2009: "
        "Abs. 2 Satz 3; Saarland: § 50 Abs. 2 KSVG).",
    )
    sachkundige_buerger: Count = Field(default=0, description="Sachkundige Bürger (§ 58 Abs. 3 GO NRW).")
    sachkundige_einwohner: Count = Field(default=0, description="Sachkundige Einwohner (§ 58 Abs. 4 GO NRW).")
    advisory: Count = Field(default=0, description="Any other member with an advisory voice only.")


class Filled(_Strict):
    directly_elected: Count | None = None
    council_members: Count | None = None
    sachkundige_buerger: Count | None = None
    sachkundige_einwohner: Count | None = None
    advisory: Count | None = None


class Voting(_Strict):
    directly_elected: VotingRight | None = None
    council_members: VotingRight | None = None
    sachkundige_buerger: VotingRight | None = None
    sachkundige_einwohner: VotingRight | None = None
    advisory: VotingRight | None = None


class Power(_Strict):
    matter: str = Field(min_length=1, description="The matter, in the words of the council resolution.")
    kind: Literal["advisory", "decision"] = Field(
        description="advisory, or decision: a binding decision delegated by the council."
    )
    council_reserved: str | None = Field(
        default=None,
        pattern=r"^[a-u]$",
        description="The letter of § 41 Abs. 1 Satz 2 GO NRW if the matter is one the council may not delegate.",
    )
    budget_frame: bool | None = Field(
        default=None,
        description="For a decision: true if it is a decision on budget funds the council allocated, within the "
        "frame the council set after hearing the body (§ 27 Abs. 10 Satz 2 GO NRW), the one decision an "
        "Integrationsrat may take; false if it is any other decision. Absent: unknown.",
    )


# What a Satzung, Geschäftsordnung or Wahlordnung regulates (§ 27 Abs. 2, 3, 5, 7-11 GO NRW, 2018
# text). Every key is optional and unknown when left out: a right the file does not speak to is
# never assumed to be granted. `false` means the bylaw curtails or excludes it.


def _yes(description: str) -> Any:
    return Field(default=None, description=description + " Absent: unknown.")


class Entitled(_Strict):
    """Who the Wahlordnung lets vote, by the numbers of § 27 Abs. 3 Satz 1 GO NRW (2013/2018 text)."""

    non_germans: bool | None = _yes("Nr. 1: persons who are not Germans within Art. 116 Abs. 1 GG.")
    foreign_citizenship: bool | None = _yes("Nr. 2: persons with a foreign citizenship, Germans with a second one included.")
    naturalised: bool | None = _yes("Nr. 3: Germans by naturalisation (Einbürgerung).")
    ius_soli: bool | None = _yes("Nr. 4: Germans by birth in Germany under § 4 Abs. 3 StAG.")


class Election(_Strict):
    date: dt.date | None = Field(default=None, description="Election day of the directly elected members.")
    with_local_election: bool | None = Field(default=None, description="Held on the day of the Kommunalwahl.")
    single_candidates: bool | None = _yes(
        "The Wahlordnung admits single candidates (Einzelbewerber) beside lists (§ 27 Abs. 2 Satz 1)."
    )
    substitutes: bool | None = _yes("Substitutes (Stellvertreter) may be elected with lists and single candidates (§ 27 Abs. 2 Satz 2).")
    voting_age: Annotated[int, Field(ge=0, le=150)] | None = _yes(
        "The minimum age on election day to vote, as the Wahlordnung sets it (§ 27 Abs. 3 Satz 2 Nr. 1 GO NRW: 16)."
    )
    eligibility_age: Annotated[int, Field(ge=0, le=150)] | None = _yes(
        "The minimum age to stand for election (§ 27 Abs. 5 Satz 1 GO NRW: 18)."
    )
    entitled: Entitled | None = Field(default=None, description="Who may vote, by § 27 Abs. 3 Satz 1 Nr. 1-4.")
    citizens_eligible: bool | None = _yes(
        "Every Bürger (§ 21 Abs. 2: entitled to vote in municipal elections) may stand (§ 27 Abs. 5 Satz 1 \"sowie alle Bürger\")."
    )


class Appointment(_Strict):
    """The members the council appoints (§ 27 Abs. 2 Satz 4-5 GO NRW)."""

    from_council_members: bool | None = _yes(
        "The council appoints them from among its own members (\"aus seiner Mitte\", § 27 Abs. 2 Satz 4); "
        "false: the bylaw lets it appoint others to these seats."
    )
    substitutes: bool | None = _yes("Substitutes (Stellvertreter) may be appointed (§ 27 Abs. 2 Satz 5).")


class ElectedMembers(_Strict):
    """The legal status of the directly elected members (§ 27 Abs. 7 Satz 1 GO NRW): each key says
    whether the bylaw leaves the provision applying to them as it applies to council members."""

    secrecy: bool | None = _yes("§ 30 GO NRW (Verschwiegenheitspflicht) applies.")
    exclusion_for_bias: bool | None = _yes("§ 31 GO NRW (Ausschließungsgründe) applies.")
    loyalty: bool | None = _yes("§ 32 Abs. 2 GO NRW (Treupflicht) applies.")
    expenses: bool | None = _yes("§ 33 GO NRW: expenses and loss of earnings are reimbursed.")
    free_mandate: bool | None = _yes("§ 43 Abs. 1 GO NRW: they act on their free conviction, bound by no instructions.")
    leave_from_work: bool | None = _yes("§ 44 GO NRW (Freistellung): leave from work, no disadvantage at work.")
    compensation: bool | None = _yes("§ 45 GO NRW: Aufwandsentschädigung and Verdienstausfall as for council members.")


class Rights(_Strict):
    """What the body may do towards the council (§ 27 Abs. 8 Satz 2-4, Abs. 9 GO NRW)."""

    any_municipal_matter: bool | None = _yes(
        "It may take up every matter of the municipality (§ 27 Abs. 8 Satz 2); false: the bylaw limits it, "
        "e.g. to integration matters."
    )
    proposals_submitted: bool | None = _yes(
        "On its request, its proposals and opinions are put to the council, a Bezirksvertretung or a committee "
        "(§ 27 Abs. 8 Satz 3); false: the bylaw limits the addressees or makes it depend on someone's consent."
    )
    chair_may_speak: bool | None = _yes(
        "Its chair or another member it names may attend the deliberation of such a proposal and gets the floor "
        "on request (§ 27 Abs. 8 Satz 4)."
    )
    opinions_on_referrals: bool | None = _yes(
        "It gives opinions on questions the council, a committee, a Bezirksvertretung or the mayor refer to it "
        "(§ 27 Abs. 9); false: the bylaw excludes or narrows this."
    )


class Funds(_Strict):
    """The body's means (§ 27 Abs. 10 GO NRW)."""

    necessary_funds: bool | None = _yes("The funds its tasks need are provided (§ 27 Abs. 10 Satz 1).")
    budget_frame: bool | None = _yes(
        "The council set a frame within which the body decides on budget funds allocated to it (§ 27 Abs. 10 Satz 2)."
    )
    heard_before_frame: bool | None = _yes("The body was heard before the frame was set (§ 27 Abs. 10 Satz 2).")


class Body(_Strict):
    kind: BodyKind = Field(
        description="integrationsrat | integrationsausschuss | ausschuss-chancengerechtigkeit-integration "
        "(NRW) | integrationsbeirat (Saarland); each regime provides its own kinds"
    )
    name: str | None = None
    formed_by: Literal["election", "council_resolution"] | None = Field(
        default=None, description="election | council_resolution"
    )
    seats: Seats | None = Field(
        default=None,
        description="Seats per group of members, as the bylaw or council resolution creates them. A group left "
        "out has none: a seat exists only where the bylaw creates it (§ 27 Abs. 1 Satz 4, § 58 Abs. 1 Satz 1 "
        "GO NRW), so `seats` is read as the whole composition. Absent: unknown.",
    )
    filled: Filled | None = Field(default=None, description="Seats actually filled where fewer than `seats`.")
    voting: Voting | None = Field(default=None, description="Voting rights where they differ from the regime's default.")
    chair: Literal[
        "directly_elected", "council_members", "sachkundige_buerger", "sachkundige_einwohner", "advisory", "mayor"
    ] | None = Field(default=None, description="The group the chair comes from, or mayor.")
    in_deliberation_sequence: bool | None = Field(default=None, description="Part of the council's Beratungsfolge.")
    powers: list[Power] | None = Field(
        default=None, description="What the body may do. Absent: unknown; write `powers: []` for none."
    )
    election: Election | None = None
    appointment: Appointment | None = Field(
        default=None, description="The council's appointees (§ 27 Abs. 2 Satz 4-5). Absent: unknown."
    )
    elected_members: ElectedMembers | None = Field(
        default=None, description="Status of the directly elected members (§ 27 Abs. 7 Satz 1). Absent: unknown."
    )
    rules_of_procedure: Literal["own", "council"] | None = Field(
        default=None,
        description="own: the body adopts its own Geschäftsordnung (§ 27 Abs. 7 Satz 3); council: the council "
        "sets its rules of procedure. Absent: unknown.",
    )
    rights: Rights | None = Field(default=None, description="§ 27 Abs. 8 Satz 2-4, Abs. 9. Absent: unknown.")
    funds: Funds | None = Field(default=None, description="§ 27 Abs. 10. Absent: unknown.")

    @model_validator(mode="after")
    def _filled_within_seats(self) -> "Body":
        if self.filled is not None:
            for group in GROUPS:
                value = getattr(self.filled, group)
                if value is None:
                    continue
                if self.seats is None:
                    raise ValueError("`filled` needs `seats`: filled seats are counted against the seats")
                if value > getattr(self.seats, group):
                    raise ValueError(
                        f"filled.{group} = {value} exceeds seats.{group} = {getattr(self.seats, group)}"
                    )
        return self


class Configuration(_Strict):
    """One municipality and its integration bodies, as they are or as a bylaw would make them."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, title="optionsmodell configuration (optionsmodell/v1)"
    )
    format: Literal["optionsmodell/v1"] | None = Field(default=None, description="optional; only optionsmodell/v1")
    date: dt.date | None = Field(
        default=None,
        description="The day the configuration is judged at (default: today). Picks the version of the "
        "law in force that day unless the command line names a regime.",
    )
    municipality: Municipality
    # a lambda, not `list`: pydantic reads the factory's signature, and a builtin's is parsed from
    # text by the tokenizer, whose regular expressions cost a single check ~2 ms to compile
    bodies: list[Body] = Field(default_factory=lambda: [], description="The integration bodies; empty or absent: none.")


class LoadedConfiguration(Record):
    """A validated configuration and the YAML it was read from (for lines, comments, write-back)."""

    __slots__ = ("config", "source")
    config: Configuration
    source: LoadedYaml

    def __init__(self, config: Configuration, source: LoadedYaml) -> None:
        init(self, "config", config)
        init(self, "source", source)


def _expected(err: Any) -> str:
    t = err.get("type", "")
    ctx = err.get("ctx") or {}
    if t == "extra_forbidden":
        return "unknown key; see `optionsmodell schema` for the keys this format has"
    if t == "missing":
        return "required key is missing"
    if t == "literal_error":
        return f"expected one of {ctx.get('expected', '')}"
    if t in ("int_type", "int_parsing"):
        return "expected a whole number (without quotes)"
    if t in ("greater_than_equal",):
        return f"expected a whole number ≥ {ctx.get('ge')}"
    if t == "less_than_equal":
        return f"expected a number ≤ {ctx.get('le')}"
    if t in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return "expected an ISO date such as 2020-09-13"
    if t == "bool_type":
        return "expected true or false"
    if t in ("string_type",):
        return "expected text"
    if t == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern')}"
    if t in ("model_type", "dict_type"):
        return "expected a mapping of keys to values"
    if t == "list_type":
        return "expected a list"
    return str(err.get("msg", "invalid value"))


def _all_keys(*models: type[BaseModel]) -> list[str]:
    keys: set[str] = set()
    for model in models:
        keys.update(model.model_fields)
    return sorted(keys)


# every key of the format, to suggest the one a misspelt key probably meant ("sachkundige_bürger")
_KEYS = _all_keys(Configuration, Municipality, Applicants, Body, Seats, Filled, Voting, Power, Election,
                  Entitled, Appointment, ElectedMembers, Rights, Funds)


def validation_error(e: ValidationError, loaded: LoadedYaml, base: tuple[str | int, ...] = ()) -> InputError:
    """Every pydantic error of a file as a user's error: the place in the file (the key itself for an
    unknown key) and what was expected; the first is the error, the others ride in ``more``.
    ``base`` is where the validated value stands in the file."""
    out: list[InputError] = []
    seen: set[tuple[str | int, ...]] = set()
    for err in e.errors(include_url=False):
        # pydantic puts validator names into the path ("function-after[…]"); the user wrote keys
        path = base + tuple(p for p in err["loc"] if isinstance(p, int) or (isinstance(p, str) and "[" not in p))
        if path in seen:
            continue
        seen.add(path)
        loc = loaded.key_locations.get(path) if err["type"] == "extra_forbidden" else loaded.locate(path)
        msg = _message(err, path, loaded)
        out.append(InputError(loc or loaded.locate(path), f"{dotted(path) or '(top level)'}: {msg}", file=loaded.file))
    out.sort(key=lambda x: (x.location.line, x.location.column) if x.location else (0, 0))
    return InputError(out[0].location, out[0].message, file=loaded.file, more=out[1:])


_WORDS = {"yes", "no", "ja", "nein", "true", "false", "on", "off", "viele", "many", "keine", "none"}


def _message(err: Any, path: tuple[str | int, ...], loaded: LoadedYaml) -> str:
    t = err["type"]
    if t == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    raw = loaded.scalars.get(path)
    value = err.get("input")
    field_name = path[-1] if path else ""
    if t == "extra_forbidden" and isinstance(field_name, str):
        msg = _expected(err)
        # a key of another part of the format ("total" under seats) is no misspelling: no suggestion
        close = [k for k in difflib.get_close_matches(field_name, _KEYS, n=2, cutoff=0.75) if k != field_name][:1]
        return msg + (f" (did you mean `{close[0]}`?)" if close else "")
    if field_name == "land" and t in ("string_pattern_mismatch", "string_type"):
        hint = " (NRW → NW)" if str(value).strip().upper() in ("NRW", "NORDRHEIN-WESTFALEN") else ""
        return f"{value!r} is not a two-letter Land code, e.g. NW (Nordrhein-Westfalen), SL (Saarland){hint}"
    if t in ("int_type", "int_parsing", "int_from_float"):
        shown = raw if raw is not None else str(value)
        if isinstance(value, float) or (isinstance(value, str) and any(c in value for c in ".,")):
            return (f"'{shown}' is not a whole number: German thousands separators (7.300) and decimal "
                    f"commas are not numbers in YAML; write the digits alone, e.g. {_digits(shown)}")
        if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in _WORDS):
            return f"'{shown}' is a word, not a whole number; write the count in digits (0 for none)"
        if isinstance(value, str):
            return f"'{shown}' is text; expected a whole number (without quotes)"
    if t == "literal_error":
        expected = str((err.get("ctx") or {}).get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5) if isinstance(value, str) else []
        return (f"{value!r} is not allowed here; expected one of {expected}" + (f" (did you mean '{close[0]}'?)" if close else ""))
    if t in ("date_type", "date_parsing", "date_from_datetime_inexact") and value is not None:
        return f"{(raw or str(value))!r}: {_expected(err)}"
    return _expected(err)


def _digits(text: str) -> str:
    whole = re.split(r",", text)[0]
    digits = re.sub(r"\D", "", whole)
    return digits or "7300"


def validate(loaded: LoadedYaml) -> Configuration:
    data = loaded.data
    if not isinstance(data, dict):
        raise InputError(loaded.locate(()) , "expected a configuration: a mapping with `municipality` and `bodies`", file=loaded.file)
    check_bodies(loaded, data.get("bodies"))
    try:
        return Configuration.model_validate(data)
    except ValidationError as e:
        raise validation_error(e, loaded) from None


def load_configuration(path: Path) -> LoadedConfiguration:
    loaded = load_file(path, max_items={("bodies",): MAX_BODIES})
    return LoadedConfiguration(config=validate(loaded), source=loaded)


def load_configuration_text(text: str, file: str = "<text>") -> LoadedConfiguration:
    loaded = load_text(text, file, max_items={("bodies",): MAX_BODIES})
    return LoadedConfiguration(config=validate(loaded), source=loaded)


def json_schema() -> str:
    schema = Configuration.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://optionsmodell.invalid/schema/optionsmodell-v1.json"
    return json.dumps(schema, indent=2, ensure_ascii=False)
