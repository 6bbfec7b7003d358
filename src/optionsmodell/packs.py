"""Rule packs: one folder per regime under ``src/optionsmodell/rules/``, data only.

A pack is ``pack.yaml`` (what the regime is: id, title, Land, law, status, validity, the body
kinds it provides and their default voting rights, the conclusions its rules may derive) and any
number of rule files (``*.yaml`` with a ``rules:`` list). Adding a proposal is writing a folder;
no Python changes. Every problem is reported with file:line when the pack loads.
"""


# No `from __future__ import annotations`: pydantic would compile and evaluate every field's
# annotation from its string when the classes are made, at every start (issue 10, start-up).
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import packcache
from .bounds import out_of_range
from .configuration import GROUPS, KNOWN_KINDS, validation_error
from .expressions import Cmp, Cond, Const, ExpressionError, Fact, In, atoms, facts_in, parse
from .facts import CATALOG, FactType
from .record import Record, init
from .resources import bundled_rules
from .safe_yaml import InputError, LoadedYaml, Location, load_file

Reliability = Literal["V", "V-sec", "S", "R"]
Modality = Literal["muss", "ist_zu", "soll", "kann"]
Severity = Literal["violation", "warning", "info"]
SEVERITY: dict[str, Severity] = {"muss": "violation", "ist_zu": "violation", "soll": "warning", "kann": "info"}
RELIABILITY_TEXT = {
    "V": {"de": "wörtlich, amtlicher Text", "en": "verbatim, official text"},
    "V-sec": {"de": "wörtlich, aus einer Sekundärquelle", "en": "verbatim, quoted by a secondary source"},
    "S": {"de": "Sekundärquelle, kein Wortlaut", "en": "secondary source, not the statute's words"},
    "R": {"de": "nicht verifiziert", "en": "not verified"},
}


class _M(BaseModel):
    # validators are built when first used (a pack read from its YAML), not at import
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_M):
    de: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.de


class Citation(_M):
    law: str
    section: str
    paragraph: int | None = None
    sentence: int | None = None
    number: int | None = None
    label: str | None = None

    def render(self) -> str:
        if self.label:
            return self.label
        parts = [f"§ {self.section}"]
        if self.paragraph is not None:
            parts.append(f"Abs. {self.paragraph}")
        if self.sentence is not None:
            parts.append(f"Satz {self.sentence}")
        if self.number is not None:
            parts.append(f"Nr. {self.number}")
        parts.append(self.law)
        return " ".join(parts)


class Statute(_M):
    text: str = Field(min_length=1)
    reliability: Reliability
    source: str | None = None


class Interpretation(_M):
    de: str
    en: str
    alternative: Text

    def reading(self, lang: str) -> str:
        return self.en if lang == "en" else self.de


class Messages(_M):
    violated: Text
    satisfied: Text
    undetermined: Text | None = None
    not_applicable: Text | None = None


class RuleSpec(_M):
    id: str = Field(pattern=r"^[A-Z0-9][A-Za-z0-9._-]*$")
    type: Literal["requirement", "conclusion"] = "requirement"
    scope: Literal["municipality", "body"]
    title: Text
    citation: Citation
    statute: Statute
    also: list[Citation] = Field(default_factory=list, description="Further provisions the rule rests on.")
    modality: Modality | None = None
    applies: str | None = None
    requires: str | None = None
    when: str | None = None
    conclude: dict[str, str | bool] | None = None
    because: Text | None = None
    messages: Messages | None = None
    fix: Text | None = None
    interpretation: Interpretation | None = None
    open_question: Text | None = Field(
        default=None,
        description="The text is silent on this point (e.g. a proposal): where the condition fails the "
        "outcome is undetermined, never violated, and the report shows both readings (`interpretation`).",
    )
    example: str | None = None


class KindSpec(_M):
    label: Text
    voting: dict[str, Literal["full", "advisory", "none_on_delegated"]] = Field(default_factory=dict)
    voting_basis: Text | None = Field(
        default=None, description="Where the law gives these voting rights; shown wherever a finding relies on them."
    )


class ConclusionSpec(_M):
    scope: Literal["municipality", "body"]
    type: Literal["str", "bool"] = "str"
    values: list[str] = Field(default_factory=list)
    label: Text


class Transition(_M):
    """How this version treats bodies formed under its neighbours (transitional law). A body sits for
    the council's Wahlperiode it was elected or formed for; where the transition says so, it is judged
    by the law under which it was elected or formed, not by the law in force on the day judged."""

    elected_from: dt.date | None = Field(
        default=None,
        description="Bodies elected on or after this day (before valid_from) for the term that starts "
        "with this version are formed under this version.",
    )
    previous_until: dt.date | None = Field(
        default=None,
        description="Bodies formed under the previous version keep being judged by it until this day "
        "(the end of the term they were formed for).",
    )
    text: str = Field(min_length=1, description="The transitional provision, or what is known of it.")
    reliability: Reliability
    source: str | None = None


class PackSpec(_M):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    land: str = Field(pattern=r"^[A-Z]{2}$")
    law: str
    status: Literal["enacted", "proposal"]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str | None = None
    description: Text | None = None
    extends: str | None = Field(default=None, description="Id of the pack this one amends.")
    repeal: list[str] = Field(default_factory=list, description="Rules of the base pack this one removes.")
    kinds: dict[str, KindSpec] | None = None
    conclusions: dict[str, ConclusionSpec] = Field(default_factory=dict)
    transition: Transition | None = None

    @model_validator(mode="after")
    def _valid_to_not_before_valid_from(self) -> "PackSpec":
        if self.valid_from is not None and self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to.isoformat()} is before valid_from {self.valid_from.isoformat()}")
        return self


class Rule(Record):
    __slots__ = ("applies", "location", "requires", "spec", "when")
    spec: RuleSpec
    location: Location
    applies: Cond | None
    requires: Cond | None
    when: Cond | None

    def __init__(self, spec: RuleSpec, location: Location, applies: Cond | None, requires: Cond | None,
                 when: Cond | None) -> None:
        init(self, "spec", spec)
        init(self, "location", location)
        init(self, "applies", applies)
        init(self, "requires", requires)
        init(self, "when", when)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.spec.modality or "muss"]

    def conditions(self) -> list[Cond]:
        return [c for c in (self.applies, self.requires, self.when) if c is not None]


@dataclass
class Pack:
    spec: PackSpec
    directory: Path
    rules: list[Rule]
    problems: list[InputError] = field(default_factory=list)
    kinds: dict[str, KindSpec] = field(default_factory=dict)
    conclusion_specs: dict[str, ConclusionSpec] = field(default_factory=dict)
    base: "Pack | None" = None
    # rule id -> the pack whose text defines it (an amendment inherits the rest from its base)
    origin: "dict[str, Pack]" = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    def rule(self, rule_id: str) -> Rule | None:
        # found by id in a dict: explanations, policy and explore ask for rules thousands of times;
        # rebuilt when the list's length changes (a test may add rules to a pack it built)
        index: tuple[int, dict[str, Rule]] | None = self.__dict__.get("_by_id")
        if index is None or index[0] != len(self.rules):
            index = (len(self.rules), {r.id: r for r in reversed(self.rules)})
            self.__dict__["_by_id"] = index
        return index[1].get(rule_id)

    def inherited_from(self, rule_id: str) -> "Pack | None":
        """The pack an amendment took this rule from unchanged, or None for its own rules."""
        origin = self.origin.get(rule_id)
        return None if origin is None or origin is self else origin

    def fact_type(self, name: str) -> FactType | None:
        if name in CATALOG:
            return CATALOG[name].type
        c = self.conclusion_specs.get(name)
        if c is not None:
            return c.type
        return None

    def is_conclusion(self, name: str) -> bool:
        return name in self.conclusion_specs

    def default_voting(self) -> dict[str, dict[str, str]]:
        return {k: dict(v.voting) for k, v in self.kinds.items()}

    def in_force(self, day: dt.date) -> bool:
        if self.spec.status != "enacted" or self.spec.valid_from is None:
            return False
        return self.spec.valid_from <= day and (self.spec.valid_to is None or day <= self.spec.valid_to)

    def requirements(self) -> list[Rule]:
        return [r for r in self.rules if r.spec.type == "requirement"]

    def conclusions(self) -> list[Rule]:
        return [r for r in self.rules if r.spec.type == "conclusion"]


RULES_ENV = "OPTIONSMODELL_RULES"
_USER_ROOTS: list[Path] = []  # set by the command line's --rules


def rules_root() -> Path:
    """The folder of the bundled packs."""
    return bundled_rules()


def set_user_roots(dirs: Sequence[Path]) -> None:
    """Folders of a user's own packs (``--rules DIR``), added beside the bundled ones."""
    _USER_ROOTS[:] = list(dirs)
    _HEADERS.clear()
    _BROKEN.clear()


def user_roots() -> list[Path]:
    """The user's pack folders: OPTIONSMODELL_RULES (several separated by ``os.pathsep``), then --rules."""
    env = os.environ.get(RULES_ENV, "")
    return [*(Path(p) for p in env.split(os.pathsep) if p.strip()), *_USER_ROOTS]


def rules_roots() -> list[Path]:
    """Every folder packs are read from: the bundled one first, then the user's."""
    return [bundled_rules(), *user_roots()]


def origin(directory: Path) -> str:
    """Where a pack came from: ``bundled`` or the user's folder it was found in."""
    return "bundled" if directory.resolve().parent == bundled_rules().resolve() else str(directory.parent)


def load_pack(directory: Path, _chain: tuple[str, ...] = ()) -> Pack:
    """Load one pack. Problems in single rules are collected (``Pack.problems``); a broken
    ``pack.yaml`` raises, since nothing can be judged without it.

    A pack that ``extends`` another starts from the other's rules, drops those it ``repeal``s and
    replaces those it redefines (same id): it states only what it changes, like an amending law."""
    loaded, spec = _read_spec(directory / "pack.yaml")
    pack = Pack(spec=spec, directory=directory, rules=[])
    if spec.id != directory.name:
        pack.problems.append(InputError(loaded.locate(("id",)), f"id '{spec.id}' does not match its folder '{directory.name}'"))
    if spec.extends is not None:
        if spec.extends in _chain or spec.extends == spec.id:
            raise InputError(loaded.locate(("extends",)), f"circular extends: {' → '.join((*_chain, spec.id, spec.extends))}")
        base_dir = _find_base(directory, spec.extends)
        if base_dir is None:
            raise InputError(loaded.locate(("extends",)), f"extends unknown pack '{spec.extends}'")
        pack.base = load_pack(base_dir, (*_chain, spec.id))
        pack.problems.extend(pack.base.problems)
        pack.kinds = dict(pack.base.kinds)
        pack.conclusion_specs = dict(pack.base.conclusion_specs)
        known = {r.id for r in pack.base.rules}
        for i, rule_id in enumerate(spec.repeal):
            if rule_id not in known:
                pack.problems.append(InputError(loaded.locate(("repeal", i)), f"repeals unknown rule {rule_id} of {spec.extends}"))
        pack.rules = [r for r in pack.base.rules if r.id not in spec.repeal]
        pack.origin = {r.id: pack.base.origin.get(r.id, pack.base) for r in pack.rules}
    elif spec.repeal:
        pack.problems.append(InputError(loaded.locate(("repeal",)), "`repeal` needs `extends`"))
    if spec.kinds is not None:
        pack.kinds = dict(spec.kinds)
    elif spec.extends is None:
        pack.problems.append(InputError(loaded.locate(()), "a pack needs `kinds` (or `extends`)", file=loaded.file))
    pack.conclusion_specs.update(spec.conclusions)
    for kind in spec.kinds or {}:
        if kind not in KNOWN_KINDS:
            pack.problems.append(InputError(loaded.locate(("kinds", kind)),
                                            f"unknown body kind '{kind}' (known: {', '.join(KNOWN_KINDS)})"))
        for group in pack.kinds[kind].voting:
            if group not in GROUPS:
                pack.problems.append(InputError(loaded.locate(("kinds", kind, "voting", group)),
                                                f"unknown group '{group}'"))
    for name in pack.conclusion_specs:
        if name in CATALOG or "." in name:
            pack.problems.append(InputError(loaded.locate(("conclusions", name)),
                                            f"conclusion '{name}' must be a plain name that is not a fact"))
    own: dict[str, Location] = {}
    replaced = {r.id: i for i, r in enumerate(pack.rules)}
    for rule_file in sorted(directory.glob("*.yaml")):
        if rule_file.name == "pack.yaml":
            continue
        try:
            data = load_file(rule_file)
        except InputError as e:
            pack.problems.append(e)
            continue
        if not isinstance(data.data, dict) or not isinstance(data.data.get("rules"), list):
            pack.problems.append(InputError(data.locate(()), "a rule file needs a `rules:` list", file=data.file))
            continue
        for i, raw in enumerate(data.data["rules"]):
            rule = _load_rule(pack, data, i, raw)
            if rule is None:
                continue
            if rule.id in own:
                pack.problems.append(InputError(rule.location, f"rule id {rule.id} also defined at {own[rule.id]}"))
                continue
            own[rule.id] = rule.location
            pack.origin[rule.id] = pack
            if rule.id in spec.repeal:
                pack.problems.append(InputError(rule.location, f"rule {rule.id} is both repealed and defined"))
            if rule.id in replaced:
                pack.rules[replaced[rule.id]] = rule
            else:
                pack.rules.append(rule)
    if pack.base is not None:
        # a base rule may mention a conclusion or kind the amendment removed
        for rule in pack.rules:
            if rule.id not in own:
                for cond in rule.conditions():
                    for name in facts_in(cond):
                        if pack.fact_type(name) is None:
                            pack.problems.append(InputError(rule.location, f"{rule.id} (inherited) uses '{name}', which {spec.id} removed"))
    _check_conclusions(pack)
    return pack


def _find_base(directory: Path, pack_id: str) -> Path | None:
    """The pack a pack amends: beside it first, then in any other pack folder (a user's
    proposal amends a bundled law)."""
    for root in (directory.parent, *rules_roots()):
        if (root / pack_id / "pack.yaml").is_file():
            return root / pack_id
    return None


def _load_rule(pack: Pack, data: LoadedYaml, i: int, raw: Any) -> Rule | None:
    base: tuple[str | int, ...] = ("rules", i)
    location = data.locate(base) or Location(data.file, 1, 1)
    try:
        spec = RuleSpec.model_validate(raw)
    except ValidationError as e:
        pack.problems.append(validation_error(e, data, base))
        return None

    def problem(key: str, message: str) -> None:
        pack.problems.append(InputError(data.locate((*base, key)), f"{spec.id}: {message}", file=data.file))

    compiled: dict[str, Cond | None] = {"applies": None, "requires": None, "when": None}
    for key in compiled:
        text = getattr(spec, key)
        if text is None:
            continue
        try:
            cond = parse(text, pack.fact_type)
        except ExpressionError as e:
            col = f" (column {e.column + 1})" if e.column is not None else ""
            problem(key, f"{key}: {e.message}{col}")
            continue
        compiled[key] = cond
        _check_scope_and_values(pack, spec, key, cond, problem)
        if (beyond := out_of_range(cond, pack.fact_type)) is not None:
            problem(key, f"{key}: {beyond}")
    if spec.type == "requirement":
        if spec.requires is None:
            problem("requires", "a requirement needs `requires`")
        if spec.messages is None:
            problem("messages", "a requirement needs `messages` (violated, satisfied) in de and en")
        if spec.modality is None:
            problem("modality", "a requirement needs `modality` (muss | ist_zu | soll | kann)")
        if spec.when is not None or spec.conclude is not None:
            problem("when", "`when`/`conclude` belong to conclusions; a requirement has `applies`/`requires`")
    else:
        if spec.when is None or not spec.conclude:
            problem("when", "a conclusion needs `when` and `conclude`")
        if spec.requires is not None or spec.applies is not None:
            problem("requires", "a conclusion has `when`/`conclude`, not `applies`/`requires`")
        if spec.because is None:
            problem("because", "a conclusion needs `because` (de, en): the line it adds to a derivation")
        for name, value in (spec.conclude or {}).items():
            c = pack.conclusion_specs.get(name)
            if c is None:
                problem("conclude", f"conclusion '{name}' is not declared in pack.yaml `conclusions`")
                continue
            if c.scope == "body" and spec.scope == "municipality":
                problem("conclude", f"a municipality rule cannot conclude the body conclusion '{name}'")
            if c.scope == "municipality" and spec.scope == "body":
                # it would hold for the one body only, where municipality rules cannot see it
                problem("conclude", f"a body rule cannot conclude the municipality conclusion '{name}'")
            if c.type == "str" and (not isinstance(value, str) or (c.values and value not in c.values)):
                problem("conclude", f"'{value}' is not a declared value of '{name}' ({', '.join(c.values)})")
            if c.type == "bool" and not isinstance(value, bool):
                problem("conclude", f"'{name}' takes true or false")
    return Rule(spec=spec, location=location, applies=compiled["applies"],
                requires=compiled["requires"], when=compiled["when"])


def _check_scope_and_values(pack: Pack, spec: RuleSpec, key: str, cond: Cond, problem: Any) -> None:
    for name in facts_in(cond):
        c = pack.conclusion_specs.get(name)
        fact_spec = CATALOG.get(name)
        scope = c.scope if c else (fact_spec.scope if fact_spec else "municipality")
        if spec.scope == "municipality" and scope == "body":
            problem(key, f"'{name}' is a fact of a body; a municipality rule cannot use it")
    for atom in atoms(cond):
        literal_name, values = _atom_literals(atom)
        if literal_name is None:
            continue
        name = literal_name
        allowed: Iterable[str] = ()
        if name in pack.conclusion_specs:
            allowed = pack.conclusion_specs[name].values
        elif name in CATALOG:
            allowed = CATALOG[name].values
        allowed = tuple(allowed)
        for v in values:
            if allowed and isinstance(v, str) and v not in allowed:
                what = "kind" if name == "body.kind" else "value"
                problem(key, f"unknown {what} '{v}' for '{name}' (allowed: {', '.join(allowed)})")
        if name in pack.conclusion_specs and isinstance(atom, Cmp) and not (
            isinstance(atom.right, Const) and atom.op in ("==", "!=")
        ):
            problem(key, f"a conclusion ('{name}') may only be compared with == or != to a value, or with `in`")


def _atom_literals(atom: Cmp | In) -> tuple[str | None, list[object]]:
    if isinstance(atom, In):
        return atom.item.name, [v.value for v in atom.values]
    if isinstance(atom.left, Fact) and isinstance(atom.right, Const):
        return atom.left.name, [atom.right.value]
    if isinstance(atom.right, Fact) and isinstance(atom.left, Const):
        return atom.right.name, [atom.left.value]
    return None, []


def _check_conclusions(pack: Pack) -> None:
    concluded = {name for r in pack.conclusions() for name in (r.spec.conclude or {})}
    for name in pack.conclusion_specs:
        if name not in concluded:
            pack.problems.append(InputError(Location(str(pack.directory / "pack.yaml"), 1, 1),
                                            f"conclusion '{name}' is declared but no rule concludes it"))


PackLike = TypeVar("PackLike", "Pack", "Header")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def discover(root: Path | None = None) -> list[Path]:
    """Pack folders under ``root``, or (``None``) under the bundled folder and the user's. A user's
    pack with a bundled pack's id is left out and reported (see ``broken``): it would silently
    replace the law the tool ships."""
    if root is not None:
        return _discover_in(root)
    found: dict[str, Path] = {}
    for r in rules_roots():
        for d in _discover_in(r):
            if d.name in found:
                _BROKEN.setdefault(d.resolve(), (d, InputError(
                    Location(str(d / "pack.yaml"), 1, 1),
                    f"pack '{d.name}' is already defined in {origin(found[d.name])}; left out (give it another id)")))
                continue
            found[d.name] = d
    return list(found.values())


def _discover_in(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "pack.yaml").is_file() and _ID.match(p.name))


_CACHE: dict[Path, Pack] = {}
# packs that could not be loaded, by folder: reported once and left out; a command naming one fails
_BROKEN: dict[Path, tuple[Path, InputError]] = {}


def broken() -> list[tuple[Path, InputError]]:
    """Packs left out because they could not be loaded (folder, first problem), in folder order."""
    return sorted(_BROKEN.values(), key=lambda b: str(b[0]))


def why_missing(name: str) -> InputError | None:
    """If ``name`` is the id or folder of a pack that was left out, why."""
    for d, err in _BROKEN.values():
        if d.name == name:
            return err
    return None


class Header(Record):
    """A pack's pack.yaml alone: enough to choose a regime without parsing every rule file."""

    __slots__ = ("directory", "spec")
    spec: PackSpec
    directory: Path

    def __init__(self, spec: PackSpec, directory: Path) -> None:
        init(self, "spec", spec)
        init(self, "directory", directory)

    @property
    def id(self) -> str:
        return self.spec.id

    def in_force(self, day: dt.date) -> bool:
        s = self.spec
        if s.status != "enacted" or s.valid_from is None:
            return False
        return s.valid_from <= day and (s.valid_to is None or day <= s.valid_to)


def _order(spec: PackSpec) -> tuple[bool, bool, dt.date, str]:
    # enacted versions in date order, then proposals; NRW first
    return (spec.land != "NW", spec.status != "enacted", spec.valid_from or dt.date.max, spec.id)


_HEADERS: dict[tuple[Path, ...], list[Header]] = {}


def headers(root: Path | None = None) -> list[Header]:
    """Every pack's header, read once per process (like the packs themselves)."""
    key = tuple(r.resolve() for r in ([root] if root is not None else rules_roots()))
    if key not in _HEADERS:
        _HEADERS[key] = _read_headers(root)
    return _HEADERS[key]



def _read_spec(pack_file: Path) -> tuple[LoadedYaml, PackSpec]:
    """A pack.yaml loaded and validated; InputError (file:line) if it is broken."""
    loaded = load_file(pack_file)
    if not isinstance(loaded.data, dict):
        raise InputError(loaded.locate(()) or Location(loaded.file, 1, 1), "pack.yaml must be a mapping", file=loaded.file)
    try:
        spec = PackSpec.model_validate(loaded.data)
    except ValidationError as e:
        raise validation_error(e, loaded, ()) from None
    return loaded, spec

def read_header(d: Path) -> Header:
    """A pack's pack.yaml, validated; InputError (file:line) if it is broken."""
    loaded, spec = _read_spec(d / "pack.yaml")
    if spec.id != d.name:
        raise InputError(loaded.locate(("id",)), f"id '{spec.id}' does not match its folder '{d.name}'")
    if spec.extends is not None and _find_base(d, spec.extends) is None:
        raise InputError(loaded.locate(("extends",)), f"extends unknown pack '{spec.extends}'")
    return Header(spec, d)


def _read_headers(root: Path | None) -> list[Header]:
    out = []
    bundled = bundled_rules()
    kept = packcache.load(bundled, "headers")
    specs: dict[str, PackSpec] = kept if isinstance(kept, dict) else {}
    seen: dict[str, PackSpec] = {}
    for d in discover(root):
        try:
            spec = specs.get(str(d)) if d.parent == bundled else None
            header = (_header(d, spec) if isinstance(spec, PackSpec) else None) or read_header(d)
            if d.parent == bundled:
                seen[str(d)] = header.spec
            out.append(header)
        except InputError as e:
            _BROKEN.setdefault(d.resolve(), (d, e))
    if seen and any(specs.get(k) != v for k, v in seen.items()):
        packcache.store(bundled, "headers", {**specs, **seen})
    return sorted(out, key=lambda h: _order(h.spec))


def _header(d: Path, spec: PackSpec) -> Header | None:
    """A bundled pack's header kept from an earlier run, if it still holds here (else it is read)."""
    if spec.id != d.name or (spec.extends is not None and _find_base(d, spec.extends) is None):
        return None
    return Header(spec, d)


def load_cached(directory: Path) -> Pack:
    """A pack, read once per process; a bundled pack is kept between runs (see ``packcache``)."""
    key = directory.resolve()
    if key not in _CACHE:
        bundled = bundled_rules()
        kept = packcache.load(bundled, f"pack:{directory}") if directory.parent == bundled else None
        if isinstance(kept, Pack) and kept.directory == directory and not kept.problems:
            _CACHE[key] = kept
        else:
            _CACHE[key] = load_pack(directory)
            if directory.parent == bundled and not _CACHE[key].problems:
                packcache.store(bundled, f"pack:{directory}", _CACHE[key])
    return _CACHE[key]


def load_all(root: Path | None = None) -> list[Pack]:
    """Every pack that loads without a problem. The others are left out and kept in ``broken()``
    with their first problem, so that one broken pack never stops the rest."""
    out = [pack for d in discover(root) if (pack := load_usable(d)) is not None]
    return sorted(out, key=lambda p: _order(p.spec))


def load_usable(d: Path) -> Pack | None:
    """One pack if it loads without a problem; otherwise None, and the problem kept in ``broken()``."""
    try:
        pack = load_cached(d)
    except InputError as e:
        _BROKEN.setdefault(d.resolve(), (d, e))
        return None
    if pack.problems:
        more = f" (and {len(pack.problems) - 1} more; run `optionsmodell lint`)" if len(pack.problems) > 1 else ""
        first = pack.problems[0]
        _BROKEN.setdefault(d.resolve(), (d, InputError(first.location, first.message + more, file=first.file)))
        return None
    return pack


def select(packs: Sequence[PackLike], *, land: str, day: dt.date) -> PackLike | None:
    """The enacted pack of the Land in force on ``day``. Proposals are used only when named."""
    candidates = [p for p in packs if p.spec.land == land and p.in_force(day)]
    return candidates[0] if candidates else None
