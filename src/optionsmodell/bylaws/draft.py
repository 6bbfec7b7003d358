"""The draft configuration: the readings of all files resolved into one body, with every value's
sentences, the conflicts left open, the values withheld and why — rendered as `optionsmodell/v1`
YAML with a comment quoting each value's sentence, or as JSON with the provenance as data.

Resolution never guesses: passages that disagree are both quoted and the value is left out; a value
stated in only one alternative of a draft resolution is left out; `seats` is written only when both
core groups are stated exactly (a seats mapping counts a group it leaves out as none).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..configuration import FORMAT, Configuration
from .extract import GROUP_ORDER, Reading

MARK = "Quelle:"  # the comment marker that `check` reads back (provenance.py)


@dataclass
class Fact:
    key: str
    value: Any
    readings: list[Reading]

    @property
    def how(self) -> str:
        return next((r.how for r in self.readings if r.how), "")


@dataclass
class Issue:
    """A value left out: passages disagree, a bound instead of a count, a format that lacks the key."""

    key: str
    reason: str
    readings: list[Reading] = field(default_factory=list)


@dataclass
class Draft:
    name: str
    ags: str | None
    files: list[str]
    facts: dict[str, Fact]
    conflicts: list[Issue]
    withheld: list[Issue]
    unread: list[str]
    kind_given: bool = False

    # -- the configuration --------------------------------------------------------------------

    def body(self) -> dict[str, Any]:
        f = self.facts
        body: dict[str, Any] = {}
        if "kind" in f:
            body["kind"] = f["kind"].value
        if "formed_by" in f:
            body["formed_by"] = f["formed_by"].value
        seats = {g: f[f"seats.{g}"].value for g in GROUP_ORDER if f"seats.{g}" in f}
        if seats:
            body["seats"] = seats
        voting = {g: f[f"voting.{g}"].value for g in GROUP_ORDER if f"voting.{g}" in f}
        if voting:
            body["voting"] = voting
        for key in ("chair", "in_deliberation_sequence"):
            if key in f:
                body[key] = f[key].value
        if "powers" in f:
            body["powers"] = f["powers"].value
        for key in sorted(f):
            if "." in key and key.split(".", 1)[0] not in ("seats", "voting", "election"):
                head, tail = key.split(".", 1)
                body.setdefault(head, {})[tail] = f[key].value
            elif key == "rules_of_procedure":
                body[key] = f[key].value
        election = {k.split(".", 1)[1]: f[k].value for k in sorted(f) if k.startswith("election.")}
        if election:
            body["election"] = election
        return body

    def configuration(self) -> dict[str, Any]:
        mun: dict[str, Any] = {"name": self.name}
        if self.ags:
            mun["ags"] = self.ags
        mun["land"] = "NW"
        return {"format": FORMAT, "municipality": mun, "bodies": [self.body()]}

    def stated(self) -> dict[str, Any]:
        """Every value the text states, as dotted keys — those the installed format lacks included."""
        out = {k: f.value for k, f in self.facts.items() if k != "seats.total"}
        for issue in self.withheld:
            if issue.reason.startswith("not a key of the installed") and issue.readings:
                out[issue.key] = issue.readings[0].value
        return out

    def not_stated(self) -> list[str]:
        wanted = ["kind", "formed_by", "seats", "voting", "chair", "in_deliberation_sequence", "powers",
                  "election.with_local_election"]
        out = []
        for key in wanted:
            if key == "seats" and any(k.startswith("seats.") and k != "seats.total" for k in self.facts):
                continue
            if key == "voting" and any(k.startswith("voting.") for k in self.facts):
                continue
            if (key not in self.facts and key not in ("seats", "voting")) or (key in ("seats", "voting") and not any(k.startswith(key + ".") for k in self.facts)):
                out.append(key)
        return out

    # -- rendering ------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT,
            "configuration": self.configuration(),
            "provenance": [
                {"path": _config_path(k), "value": fact.value, "derived": fact.how or None,
                 "sources": [_source_json(r) for r in fact.readings]}
                for k, fact in self.facts.items() if _config_path(k) is not None
            ],
            "conflicts": [_issue_json(i) for i in self.conflicts],
            "withheld": [_issue_json(i) for i in self.withheld],
            "not_stated": self.not_stated(),
            "unread": self.unread,
            "files": self.files,
        }, indent=2, ensure_ascii=False)

    def to_yaml(self, today: str) -> str:
        lines = [
            f"# Entwurf, aus dem Satzungstext importiert (optionsmodell import, {today}). Jeder Wert nennt darüber",
            "# den Satz, aus dem er stammt. Was der Text nicht sagt, fehlt: `check` nennt es als unentschieden.",
            f"# Draft imported from the bylaw's text ({today}). Above each value, the sentence it was read from;",
            "# what the text does not state is left out, and `check` names it as undetermined.",
            f"# Dateien / files: {', '.join(self.files)}",
        ]
        for item in self.unread:
            lines.append(f"# NICHT GELESEN / NOT READ: {item}")
        for issue in self.conflicts:
            lines.append(f"# WIDERSPRUCH / CONFLICT — {issue.key} left out: {issue.reason}")
            for r in issue.readings:
                lines.append(f"#   {_quote_line(r)}  → {_shown(r.value)}")
        for issue in self.withheld:
            lines.append(f"# NICHT ÜBERNOMMEN / WITHHELD — {issue.key}: {issue.reason}")
            for r in issue.readings:
                lines.append(f"#   {_quote_line(r)}")
        missing = self.not_stated()
        if missing:
            lines.append(f"# Nicht im Text / not stated: {', '.join(missing)}")
        lines.append(f"format: {FORMAT}")
        lines.append("municipality:")
        lines.append(f"  name: {_scalar(self.name)}")
        if self.ags:
            lines.append(f'  ags: "{self.ags}"')
        lines.append("  land: NW")
        body = self.body()
        lines.append("bodies:")
        first = True
        for key, value in body.items():
            prefix = "  - " if first else "    "
            self._emit(lines, key, value, prefix, "    ", (key,), comment_indent="  " if first else "    ")
            first = False
        if not body:
            lines.append("  []")
        return "\n".join(lines) + "\n"

    def _comments(self, path: tuple[str, ...], indent: str) -> list[str]:
        key = _fact_key(path)
        fact = self.facts.get(key) if key else None
        if fact is None:
            return []
        out = []
        for r in _unique(fact.readings):
            how = f" [{r.how}]" if r.how else ""
            out.append(f"{indent}# {_quote_line(r)}{how}")
        return out

    def _emit(self, lines: list[str], key: str, value: Any, prefix: str, indent: str, path: tuple[str, ...],
              comment_indent: str | None = None) -> None:
        lines.extend(self._comments(path, indent if comment_indent is None else comment_indent))
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            for k, v in value.items():
                self._emit(lines, k, v, indent + "  ", indent + "  ", (*path, k))
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}:")
            for item in value:
                lines.append(f"{indent}  - matter: {_scalar(item['matter'])}")
                lines.append(f"{indent}    kind: {item['kind']}")
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")


def _unique(readings: list[Reading]) -> list[Reading]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for r in readings:
        k = (r.sentence.file, r.sentence.line, r.sentence.number)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _fact_key(path: tuple[str, ...]) -> str | None:
    if len(path) == 1:
        return {"seats": "seats.total"}.get(path[0], path[0])
    if path[0] in ("seats", "voting", "election"):
        return ".".join(path)
    return ".".join(path)


def _config_path(key: str) -> str | None:
    if key == "seats.total":
        return None
    return f"bodies[0].{key}"


def _quote_line(r: Reading) -> str:
    s = r.sentence
    return f"{MARK} „{s.text}“ — {s.file}, {s.where()}"


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _source_json(r: Reading) -> dict[str, Any]:
    s = r.sentence
    return {"quote": s.text, "file": s.file, "where": s.where(), "line": s.line, "section": s.section,
            "absatz": s.absatz, "sentence": s.number, "derived": r.how or None}


def _issue_json(i: Issue) -> dict[str, Any]:
    return {"key": i.key, "reason": i.reason,
            "sources": [{**_source_json(r), "value": r.value} for r in i.readings]}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[a-z][a-z_-]*", text) and text not in _YAML_WORDS:
        return text  # an enum value of the format: integrationsrat, council_members
    return json.dumps(text, ensure_ascii=False)


_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


# -- resolution ------------------------------------------------------------------------------------

def _same(a: Any, b: Any) -> bool:
    return bool(a == b)


def resolve(readings: list[Reading], uncertain: list[Reading], alternatives: set[str]) -> tuple[dict[str, Fact], list[Issue], list[Issue]]:
    facts: dict[str, Fact] = {}
    conflicts: list[Issue] = []
    withheld: list[Issue] = []
    by_key: dict[str, list[Reading]] = {}
    for r in readings:
        by_key.setdefault(r.key, []).append(r)
    for key, rs in by_key.items():
        if key == "powers":
            matters: dict[str, Reading] = {}
            for r in rs:
                matters.setdefault(r.value["matter"], r)
            facts[key] = Fact(key, [r.value for r in matters.values()], list(matters.values()))
            continue
        plain = [r for r in rs if r.sentence.alternative is None]
        alt = [r for r in rs if r.sentence.alternative is not None]
        if alt:
            letters = {r.sentence.alternative for r in alt}
            values = {json.dumps(r.value, sort_keys=True) for r in alt}
            if letters != alternatives and len(values) == 1:
                withheld.append(Issue(key, "stated in only some of the alternatives the text offers", alt))
                continue
            if len(values) > 1:
                conflicts.append(Issue(key, "the alternatives of the text differ; the text does not say which was chosen", alt))
                continue
        values_seen: list[Any] = []
        for r in [*plain, *alt]:
            if not any(_same(r.value, v) for v in values_seen):
                values_seen.append(r.value)
        if len(values_seen) > 1:
            conflicts.append(Issue(key, "passages disagree", rs))
            continue
        facts[key] = Fact(key, values_seen[0], rs)
    # a group named only with a bound, or as a share of an unstated total: its count is unknown
    for u in uncertain:
        if u.key not in facts:
            withheld.append(Issue(u.key, f"not stated exactly ({u.value})", [u]))
    _seats_policy(facts, withheld, uncertain)
    # voting of a group without seats says nothing a check could use; kept only with seats
    return facts, conflicts, withheld


def _seats_policy(facts: dict[str, Fact], withheld: list[Issue], uncertain: list[Reading]) -> None:
    groups = [g for g in GROUP_ORDER if f"seats.{g}" in facts]
    unsure = {u.key.split(".", 1)[1] for u in uncertain if u.key.startswith("seats.")} - set(groups)
    core = {"directly_elected", "council_members"}
    reason = None
    if groups and not core <= set(groups):
        reason = ("only " + ", ".join(groups) + " stated; a seats mapping would count "
                  + ", ".join(sorted(core - set(groups))) + " as none")
    elif groups and unsure:
        reason = "the text leaves " + ", ".join(sorted(unsure)) + " open, so the other counts may change"
    total = facts.get("seats.total")
    if reason is None and groups and total is not None:
        s = sum(int(facts[f"seats.{g}"].value) for g in groups)
        if s != total.value:
            reason = f"the groups add up to {s}, the text says {total.value} members in all"
    if reason is not None:
        for g in groups:
            f = facts.pop(f"seats.{g}")
            withheld.append(Issue(f"seats.{g}", f"{reason} ({g} = {f.value})", f.readings))


def validate_body(facts: dict[str, Fact], draft_factory: Any) -> list[Issue]:
    """Drop the keys the installed format does not have yet (keys other branches add), each named."""
    dropped: list[Issue] = []
    for _ in range(50):
        draft = draft_factory()
        try:
            Configuration.model_validate(draft.configuration())
            return dropped
        except ValidationError as e:
            err = e.errors(include_url=False)[0]
            loc = [p for p in err["loc"] if isinstance(p, str) and "[" not in p]
            # loc: bodies, 0, <key>, <sub> …
            keys = [k for k in loc if k not in ("bodies",)]
            candidates = [k for k in facts if _matches(k, keys)]
            if not candidates:
                return dropped
            for k in candidates:
                fact = facts.pop(k)
                reason = ("not a key of the installed configuration format" if err["type"] == "extra_forbidden"
                          else f"not accepted by the format: {err['msg']}")
                dropped.append(Issue(k, reason, fact.readings))
    return dropped


def _matches(fact_key: str, loc: list[str]) -> bool:
    if not loc:
        return False
    head = loc[0]
    if fact_key == head or fact_key.startswith(head + "."):
        if len(loc) > 1 and "." in fact_key:
            return fact_key.split(".", 1)[1].startswith(loc[1]) or fact_key == ".".join(loc[:2])
        return True
    return False
