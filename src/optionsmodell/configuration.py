"""The configuration a user writes (format ``optionsmodell/v1``, shared/spec/configuration.md).

The field names are a contract with users and their editors: never rename them. Validation is
strict (an unknown key, a count given as text, ``filled`` above ``seats``: all refused), because a
silently coerced value would be judged as if the user had written it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .limits import MAX_BODIES, check_bodies
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
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


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
        description="Ausländische Einwohner mit Hauptwohnung, counted as § 27 Abs. 6 GO NRW says "
        "(without the persons of Abs. 4 and without dual nationals). Absent: every rule that needs it "
        "is undetermined.",
    )
    applicants: Count = Field(
        default=0,
        description="Persons entitled to vote (§ 27 Abs. 3 Satz 1) who applied for a body "
        "(§ 27 Abs. 1 Satz 2). Default 0.",
    )
    population: Count | None = Field(default=None, description="Population (optional).")
    local_election_date: dt.date | None = Field(
        default=None, description="Day of the Kommunalwahl of the current council term (ISO date)."
    )


class Seats(_Strict):
    directly_elected: Count = Field(default=0, description="Elected by the residents entitled to vote (§ 27 Abs. 2 Satz 1).")
    council_members: Count = Field(default=0, description="Appointed by the council from its own members (§ 27 Abs. 2 Satz 4).")
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


class Election(_Strict):
    date: dt.date | None = Field(default=None, description="Election day of the directly elected members.")
    with_local_election: bool | None = Field(default=None, description="Held on the day of the Kommunalwahl.")


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
        default=None, description="Seats per group of members; a group left out has none. Absent: unknown."
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

    @model_validator(mode="after")
    def _filled_within_seats(self) -> Body:
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
    bodies: list[Body] = Field(default_factory=list, description="The integration bodies; empty or absent: none.")


class LoadedConfiguration(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)
    config: Configuration
    source: LoadedYaml


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
_KEYS = _all_keys(Configuration, Municipality, Body, Seats, Filled, Voting, Power, Election)


def validation_error(e: ValidationError, loaded: LoadedYaml, base: tuple[str | int, ...] = ()) -> InputError:
    """A pydantic error as a user's error: the place in the file (the key itself for an unknown key)
    and what was expected. ``base`` is where the validated value stands in the file."""
    errors = e.errors(include_url=False)
    first = errors[0]
    # pydantic puts validator names into the path ("function-after[…]"); the user wrote keys
    path = base + tuple(p for p in first["loc"] if isinstance(p, int) or (isinstance(p, str) and "[" not in p))
    loc = loaded.key_locations.get(path) if first["type"] == "extra_forbidden" else loaded.locate(path)
    msg = _expected(first) if first["type"] != "value_error" else str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden" and path and isinstance(path[-1], str):
        close = difflib.get_close_matches(path[-1], _KEYS, n=1, cutoff=0.75)
        if close:
            msg += f" (did you mean `{close[0]}`?)"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return InputError(loc or loaded.locate(path), f"{dotted(path) or '(top level)'}: {msg}{more}", file=loaded.file)


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
