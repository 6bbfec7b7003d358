"""The JSON API of the web page, as plain functions: a request's JSON in, the response's JSON out.

Each answer has the shape of the command line's ``--format json`` (docs/output.md), so a tool that
reads one reads the other; what the page needs beyond it is added under new keys, never by changing
a key. A user's error is an :class:`ApiError` carrying the CLI's message with its line and column.
Nothing here reads a file a request names or writes anything.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
from typing import Any

from pydantic import ValidationError

from ..check import find_pack, judge_loaded
from ..compare import compare, comparison_json, summary, timeline, timeline_rows
from ..configuration import (
    Configuration,
    LoadedConfiguration,
    json_schema,
    load_configuration_text,
    validation_error,
)
from ..engine import ENGINE_NAMES, Engine, EngineError, EngineUnavailable, engine_named
from ..explain import reliability_text
from ..i18n import message
from ..packs import Pack, load_all
from ..report import error_json, to_json
from ..safe_yaml import MAX_BYTES, InputError, LoadedYaml, load_text
from . import yamledit

EDITOR = "<editor>"
MAX_SWEEP_POINTS = 200  # grid points of a sweep; the exact change points are found by bisection
MAX_SWEEP_SPAN = 100_000_000
MAX_CANDIDATES = 500
MAX_EDITS = 50
MAX_REGIMES = 8


class ApiError(Exception):
    """A request the API cannot answer: the status and the same error object as the CLI's JSON."""

    def __init__(self, status: int, message: str, *, line: int | None = None, column: int | None = None,
                 file: str = EDITOR) -> None:
        super().__init__(message)
        self.status = status
        self.payload: dict[str, Any] = {"file": file, "error": {"message": message, "line": line, "column": column}}

    @classmethod
    def from_input(cls, err: InputError) -> ApiError:
        e = cls(422, err.message)
        e.payload = error_json(err)
        return e

    def localized(self, lang: str) -> dict[str, Any]:
        """The error object with its messages in the request's language (keys and places unchanged)."""
        out = copy.deepcopy(self.payload)
        for err in [out.get("error"), *out.get("errors", [])]:
            if isinstance(err, dict) and isinstance(err.get("message"), str):
                err["message"] = message(err["message"], lang)
        return out


# -- reading a request -----------------------------------------------------------------------


def _text(payload: dict[str, Any], key: str = "yaml") -> str:
    value = payload.get(key)
    if not isinstance(value, str):
        raise ApiError(400, f"`{key}` must be the text of a YAML document")
    if len(value.encode("utf-8")) > MAX_BYTES:
        raise ApiError(413, f"`{key}` is larger than {MAX_BYTES} bytes (1 MiB); the command line refuses it too")
    return value


def _lang(payload: dict[str, Any]) -> str:
    lang = payload.get("lang", "de")
    if lang not in ("de", "en"):
        raise ApiError(400, "`lang` is de or en")
    return str(lang)


def _opt_str(payload: dict[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise ApiError(400, f"`{key}` must be text")
    return value


def _date(payload: dict[str, Any], key: str) -> dt.date | None:
    value = _opt_str(payload, key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"`{key}` {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _int(payload: dict[str, Any], key: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, f"`{key}` must be a whole number")
    return value


def _bool(payload: dict[str, Any], key: str) -> bool:
    value = payload.get(key, False)
    if not isinstance(value, bool):
        raise ApiError(400, f"`{key}` must be true or false")
    return value


def _engine(payload: dict[str, Any], *, fastest: bool = False) -> Engine:
    """The engine the request names (``engine``: compiled | rete | reference), or the CLI's default
    for the command (the fastest for checks and sweeps, as `check` and `explore sweep`)."""
    name = _opt_str(payload, "engine")
    if name is not None and name not in ENGINE_NAMES:
        raise ApiError(400, f"`engine` is one of {', '.join(ENGINE_NAMES)}")
    try:
        return engine_named(name, fastest=fastest)
    except EngineUnavailable as e:
        raise ApiError(422, str(e)) from None


def _file(payload: dict[str, Any]) -> str:
    # only a label for messages ("<editor>:12:3"); never opened
    name = _opt_str(payload, "file")
    return name if name is not None and re.fullmatch(r"[\w.<>\- ]{1,80}", name) else EDITOR


def _load(payload: dict[str, Any]) -> tuple[LoadedConfiguration, str]:
    file = _file(payload)
    try:
        return load_configuration_text(_text(payload), file), file
    except InputError as e:
        raise ApiError.from_input(e) from None


def _packs() -> list[Pack]:
    packs = load_all()
    if not packs:
        raise ApiError(500, "no rule packs found (set OPTIONSMODELL_RULES)")
    return packs


# -- fixes a button can apply ----------------------------------------------------------------

_FIX = re.compile(
    r"(?P<path>(?:municipality|bodies\[\d+\])(?:\.[A-Za-z_]+|\[\d+\])*): "
    r"(?:(?P<old>-?\d+) → (?P<new>-?\d+) \([+−-]\d+\)|(?P<value>[^\s,;()]+))"
)


def _fix_value(text: str) -> Any:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    return text.strip("\"'")


def fix_actions(fix: str | None, loaded: LoadedConfiguration) -> list[dict[str, Any]]:
    """The single edits a finding's fix names, each checked to give a valid configuration (on the
    values; /api/edit then writes the chosen one into the text and validates again)."""
    if not fix:
        return []
    out: list[dict[str, Any]] = []
    for m in _FIX.finditer(fix):
        value = int(m.group("new")) if m.group("new") is not None else _fix_value(m.group("value"))
        try:
            data = _with_value(loaded.source.data, yamledit.parse_path(m.group("path")), value)
            Configuration.model_validate(data)
        except (InputError, ValidationError, KeyError, IndexError, TypeError):
            continue
        action = {"path": m.group("path"), "value": value, "label": m.group(0)}
        if action not in out:
            out.append(action)
    return out


def _with_value(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for key, nxt in itertools.pairwise(path):
        node = node[key] if isinstance(key, int) else node.setdefault(key, [] if isinstance(nxt, int) else {})
    if not isinstance(node, dict) or isinstance(path[-1], int):
        raise TypeError("not a mapping")
    node[path[-1]] = value
    return data


# -- endpoints -------------------------------------------------------------------------------


def check(payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/check: the object of ``check --format json``; each finding also has ``fix_actions``."""
    lang = _lang(payload)
    loaded, file = _load(payload)
    show_all = _bool(payload, "all")
    try:
        result = judge_loaded(loaded, file=file, regime=_opt_str(payload, "regime"), as_of=_date(payload, "as_of"),
                              lang=lang, strict=_bool(payload, "strict"), engine=_engine(payload, fastest=True))
    except InputError as e:
        raise ApiError.from_input(e) from None
    except EngineError as e:
        raise ApiError(500, f"engine error: {e}", file=file) from None
    out = to_json(result, lang, show_all)
    for finding in out["findings"]:
        finding["reliability_text"] = reliability_text(finding["reliability"], lang)
        finding["fix_actions"] = fix_actions(finding.get("fix"), loaded)
    # the values as validated, for the page's form controls
    out["configuration"] = loaded.config.model_dump(mode="json", exclude_none=True)
    return out


def _regime_ids(payload: dict[str, Any], packs: list[Pack]) -> list[str]:
    regimes = payload.get("regimes")
    known = [p.id for p in packs]
    if (not isinstance(regimes, list) or not 2 <= len(regimes) <= MAX_REGIMES
            or any(not isinstance(r, str) or r not in known for r in regimes) or len(set(regimes)) != len(regimes)):
        raise ApiError(400, f"`regimes`: name two to {MAX_REGIMES} different known regimes (known: {', '.join(known)})")
    return list(regimes)


def compare_(payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/compare: the object of ``compare --format json`` for one configuration; ``checks``
    adds each regime's full check, for a side-by-side view."""
    lang = _lang(payload)
    packs = _packs()
    regimes = _regime_ids(payload, packs)
    loaded, file = _load(payload)
    try:
        c = compare(loaded, file, regimes, lang, packs, engine=_engine(payload), strict=_bool(payload, "strict"))
    except InputError as e:
        raise ApiError.from_input(e) from None
    except EngineError as e:
        raise ApiError(500, f"engine error: {e}", file=file) from None
    return {
        "regimes": regimes,
        "configurations": [comparison_json(c)],
        "summary": summary([c], regimes, lang),
        "checks": {rid: to_json(r, lang, False) for rid, r in c.results.items()},
    }


def timeline_(payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/timeline: the object of ``timeline --format json``."""
    lang = _lang(payload)
    loaded, file = _load(payload)
    try:
        entries = timeline(loaded, file, lang, _packs(), engine=_engine(payload), strict=_bool(payload, "strict"))
    except InputError as e:
        raise ApiError.from_input(e) from None
    except EngineError as e:
        raise ApiError(500, f"engine error: {e}", file=file) from None
    return {"file": file, "municipality": loaded.config.municipality.name, "timeline": timeline_rows(entries, lang)}


def _outcome_json(o: Any, lang: str = "en") -> dict[str, Any]:
    if isinstance(o, str):
        return {"verdict": "invalid", "obligation": None, "note": message(o, lang)}
    return {"verdict": o.verdict, "obligation": o.obligation}


def sweep(payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/sweep: where along a range of one field the outcome changes (``explore sweep``)."""
    from ..explore import parse_path as sweep_path
    from ..explore import sweep as run_sweep

    lang = _lang(payload)
    field = _opt_str(payload, "field")
    if field is None:
        raise ApiError(400, "`field` names the value to vary, e.g. municipality.foreign_residents")
    lo, hi = _int(payload, "from"), _int(payload, "to")
    if lo < 0 or hi < lo or hi - lo > MAX_SWEEP_SPAN:
        raise ApiError(400, f"`from` and `to`: 0 ≤ from ≤ to, a range of at most {MAX_SWEEP_SPAN:,}")
    points = payload.get("points", MAX_SWEEP_POINTS)
    if not isinstance(points, int) or isinstance(points, bool) or not 2 <= points <= MAX_SWEEP_POINTS:
        raise ApiError(400, f"`points`: 2 to {MAX_SWEEP_POINTS}")
    loaded, file = _load(payload)
    try:
        path = sweep_path(field)
        day = loaded.config.date or _date(payload, "as_of") or dt.date.today()
        pack = find_pack(_packs(), _opt_str(payload, "regime"), loaded.config.municipality.land, day, file)
        step = max(1, -(-(hi - lo) // (points - 1)))
        engine = _engine(payload, fastest=True)
        start, changes = run_sweep(loaded, pack, path, lo, hi, step, engine=engine)
    except InputError as e:
        raise ApiError.from_input(e) from None
    except EngineError as e:
        raise ApiError(500, f"engine error: {e}", file=file) from None
    segments = []
    current, begin = start, lo
    for ch in changes:
        segments.append({"from": begin, "to": ch.before_value, **_outcome_json(current, lang)})
        current, begin = ch.after, ch.after_value
    segments.append({"from": begin, "to": hi, **_outcome_json(current, lang)})
    return {
        "file": file, "municipality": loaded.config.municipality.name, "regime": pack.id, "engine": engine.name,
        "field": field, "from": lo, "to": hi, "start": _outcome_json(start, lang),
        "changes": [{"before_value": ch.before_value, "after_value": ch.after_value,
                     "before": _outcome_json(ch.before, lang), "after": _outcome_json(ch.after, lang),
                     "lines": [line.strip() for line in ch.lines(lang)[1:]]} for ch in changes],
        "segments": segments,
    }


def _election(payload: dict[str, Any]) -> Any:
    from ..election import ElectionInput

    if isinstance(payload.get("election"), dict):
        data, loaded = payload["election"], LoadedYaml(payload["election"], "<election>")
    else:
        try:
            loaded = load_text(_text(payload), "<election>")
        except InputError as e:
            raise ApiError.from_input(e) from None
        data = loaded.data
    if not isinstance(data, dict):
        raise ApiError(422, "expected an election: a mapping with `seats` and `candidates`", file="<election>")
    if isinstance(data.get("candidates"), list) and len(data["candidates"]) > MAX_CANDIDATES:
        raise ApiError(422, f"at most {MAX_CANDIDATES} lists and candidates", file="<election>")
    try:
        return ElectionInput.model_validate(data)
    except ValidationError as e:
        raise ApiError.from_input(validation_error(e, loaded)) from None


def elect(payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/elect: the object of ``elect --format json``; with ``into: {yaml, body}`` also the
    configuration with the filled seats written in (``elect --into``, but nothing is written)."""
    from ..election import allocate

    lots = payload.get("lots", [])
    if not isinstance(lots, list) or any(not isinstance(n, str) for n in lots) or len(lots) > MAX_CANDIDATES:
        raise ApiError(400, "`lots` is a list of names")
    election = _election(payload)
    result = allocate(election, majority_clause=_bool(payload, "majority_clause"), lots=lots)
    out = result.to_json()
    into = payload.get("into")
    if into is None:
        return out
    if not isinstance(into, dict):
        raise ApiError(400, "`into` is {yaml, body}")
    if result.ties:
        raise ApiError(422, "a drawing of lots decides seats; record its outcome in `lots` first")
    body = into.get("body", 0)
    if not isinstance(body, int) or isinstance(body, bool):
        raise ApiError(400, "`into.body` is the index of the body (0 = first)")
    filled = sum(a.filled for a in result.allocations)
    out["into"] = write_election(_text(into), body, election.seats, filled, _file(into))
    return out


def write_election(text: str, body: int, seats: int, filled: int, file: str) -> dict[str, Any]:
    """Set the body's ``seats.directly_elected`` (if absent) and ``filled.directly_elected``."""
    try:
        config = load_configuration_text(text, file).config
    except InputError as e:
        raise ApiError.from_input(e) from None
    if not 0 <= body < len(config.bodies):
        raise ApiError(422, f"the configuration has no body {body} (it has {len(config.bodies)})", file=file)
    b = config.bodies[body]
    notes = []
    try:
        if b.seats is None or "directly_elected" not in b.seats.model_fields_set:
            text = yamledit.set_value(text, ("bodies", body, "seats", "directly_elected"), seats, file=file, check=False)
            notes.append(f"bodies[{body}].seats.directly_elected = {seats}")
        elif b.seats.directly_elected != seats:
            raise ApiError(422, f"the election fills {seats} seats, the body has seats.directly_elected = "
                                f"{b.seats.directly_elected}", file=file)
        text = yamledit.set_value(text, ("bodies", body, "filled", "directly_elected"), filled, file=file)
    except InputError as e:
        raise ApiError.from_input(e) from None
    notes.append(f"bodies[{body}].filled.directly_elected = {filled}")
    return {"yaml": text, "account": "; ".join(notes)}


def edit(payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/edit: set (or, with ``value: null``, remove) values of the configuration as text,
    comments and layout kept: ``{yaml, set: [{path, value, op?}]}`` → ``{yaml}``; ``op: append``
    appends ``value`` to the list at ``path`` (a new body)."""
    text = _text(payload)
    file = _file(payload)
    edits = payload.get("set")
    if not isinstance(edits, list) or not 1 <= len(edits) <= MAX_EDITS:
        raise ApiError(400, f"`set` is a list of 1 to {MAX_EDITS} {{path, value}}")
    try:
        for item in edits:
            if not isinstance(item, dict) or not isinstance(item.get("path"), str):
                raise ApiError(400, "each edit is {path, value}")
            path = yamledit.parse_path(item["path"])
            value = item.get("value")
            if item.get("op") == "append":
                if not isinstance(value, dict) or len(json.dumps(value)) > 10_000:
                    raise ApiError(400, f"{item['path']}: append takes a mapping")
                text = yamledit.append_item(text, path, value, file=file)
            elif value is None:
                text = yamledit.remove_key(text, path, file=file)
            else:
                if isinstance(value, float) or (isinstance(value, str) and len(value) > 1000):
                    raise ApiError(400, f"{item['path']}: a whole number, true/false or text")
                text = yamledit.set_value(text, path, value, file=file)
    except InputError as e:
        raise ApiError.from_input(e) from None
    return {"yaml": text}


def regimes(lang: str) -> list[dict[str, Any]]:
    """GET /api/regimes: the list of ``regimes --format json`` (built by the CLI's own function, so
    the two cannot drift apart)."""
    from ..cli import _regime_obj

    return [_regime_obj(p, lang) for p in _packs()]


def schema(of: str) -> dict[str, Any]:
    """GET /api/schema: the JSON Schema of ``optionsmodell schema`` (``?of=election`` for elections)."""
    if of == "election":
        from ..election import ElectionInput

        doc = ElectionInput.model_json_schema()
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        return doc
    if of == "configuration":
        result: dict[str, Any] = json.loads(json_schema())
        return result
    raise ApiError(400, "`of` is configuration or election")
