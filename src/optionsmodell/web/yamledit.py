"""Setting one value of a configuration as text, so that a form control, a suggested fix or an
election's outcome changes the YAML a user is editing without losing the user's comments and layout.

The loader records the line and column of every key and value; an edit replaces a scalar in place
or inserts a missing key at the column of its siblings. The edited text is loaded and validated
again, and the edit is refused unless the value now reads back as intended.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from typing import Any

from ..configuration import validate
from ..safe_yaml import InputError, LoadedYaml, Location, load_text

Path_ = tuple[str | int, ...]
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def parse_path(text: str) -> Path_:
    """``bodies[0].seats.council_members`` → ("bodies", 0, "seats", "council_members")."""
    parts: list[str | int] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        if parts and text[pos] == "." and not text.startswith(".[", pos):
            pos += 1
        m = _SEGMENT.match(text, pos)
        if m is None:
            raise InputError(None, f"not a field path: {text!r} (e.g. bodies[0].seats.council_members)", file="path")
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    if not parts or not isinstance(parts[0], str):
        raise InputError(None, f"not a field path: {text!r}", file="path")
    return tuple(parts)


def scalar(value: Any) -> str:
    """A value as YAML flow text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _YAML_WORDS:
            return value
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value  # an ISO date stays a date
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    raise InputError(None, f"cannot write a value of type {type(value).__name__}", file="value")


def _get(data: Any, path: Path_) -> tuple[bool, Any]:
    node = data
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return False, None
            node = node[key]
        else:
            if not isinstance(node, dict) or key not in node:
                return False, None
            node = node[key]
    return True, node


def _nested(keys: Path_, value: Any) -> str:
    """The flow text of ``value`` under the keys still missing below the first: {b: {c: 1}}."""
    text = scalar(value)
    for key in reversed(keys):
        text = f"{{{key}: {text}}}"
    return text


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _last_line(lines: list[str], end: Location) -> int:
    """The last line (1-based) a value occupies: a block value's end mark is the next token."""
    if end.line > len(lines) or lines[end.line - 1][: end.column - 1].strip() == "":
        return end.line - 1
    return end.line


def _edit(loaded: LoadedYaml, text: str, path: Path_, value: Any) -> str:
    lines = _lines(text)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    present, node = _get(loaded.data, path)
    if present:
        start, end = loaded.locations[path], loaded.end_locations[path]
        if isinstance(node, dict | list) and not (isinstance(value, dict | list)):
            raise InputError(start, f"{where} is a mapping or list here; edit it in the text")
        if start.line != end.line:
            # a block value over several lines: replace it by one flow value after its key
            key = loaded.key_locations.get(path)
            if key is None:
                raise InputError(start, f"cannot replace {where} here; edit it in the text")
            last = _last_line(lines, end)
            head = lines[key.line - 1]
            colon = head.index(":", key.column - 1)
            new = head[: colon + 1] + " " + scalar(value) + "\n"
            lines[key.line - 1: last] = [new]
            return "".join(lines)
        line = lines[start.line - 1]
        lines[start.line - 1] = line[: start.column - 1] + scalar(value) + line[end.column - 1:]
        return "".join(lines)
    # the deepest ancestor that exists
    depth = len(path) - 1
    while depth > 0 and not _get(loaded.data, path[:depth])[0]:
        depth -= 1
    parent_path = path[:depth]
    _, parent = _get(loaded.data, parent_path)
    missing = path[depth:]
    if isinstance(missing[0], int) or any(isinstance(k, int) for k in missing):
        raise InputError(loaded.locate(parent_path), f"the configuration has no {where}")
    if not isinstance(parent, dict):
        raise InputError(loaded.locate(parent_path), f"cannot add {where}: its parent is not a mapping")
    entry = f"{missing[0]}: {_nested(missing[1:], value)}"
    if not parent_path and parent == {} and loaded.data is None:
        return entry + "\n" + text
    start_at = loaded.locations.get(parent_path)
    if start_at is None or not parent:
        raise InputError(loaded.locate(parent_path), f"cannot add {where} here; write it in the text")
    line = lines[start_at.line - 1]
    if line[start_at.column - 1] == "{":
        lines[start_at.line - 1] = line[: start_at.column] + entry + ", " + line[start_at.column:]
        return "".join(lines)
    # a block mapping: a new last entry, at the column of its keys, after the last value
    keys = list(parent)
    first = loaded.key_locations[(*parent_path, keys[0])]
    if lines[first.line - 1][: first.column - 1].strip(" -") != "":
        raise InputError(first, f"cannot add {where} here; write it in the text")
    last_end = loaded.end_locations[(*parent_path, keys[-1])]
    at = _last_line(lines, last_end)
    while at > 0 and at - 1 < len(lines) and lines[at - 1].strip() == "":
        at -= 1
    lines.insert(at, " " * (first.column - 1) + entry + "\n")
    return "".join(lines)


def _changed(old: Any, path: Path_, at: Any, *, remove: bool = False) -> Any:
    """``old`` as it must read after the edit: only the value at ``path`` is ``at`` (or gone)."""
    expected = copy.deepcopy(old) if old is not None else {}
    node = expected
    for key, nxt in itertools.pairwise(path):
        node = node[key] if isinstance(key, int) else node.setdefault(key, [] if isinstance(nxt, int) else {})
    if remove:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = at
    return expected


def _only(old: Any, new: Any, path: Path_, at: Any, file: str, *, remove: bool = False) -> None:
    # An edit changes exactly the value it names: never another body's through a shared alias.
    if new != _changed(old, path, at, remove=remove):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        raise InputError(None, f"{where} cannot be changed alone (it is shared through a YAML alias &/*, or the "
                               "text is laid out in a way the page cannot edit); edit it in the text", file=file)


def set_value(text: str, path: Path_, value: Any, *, file: str = "<editor>", check: bool = True) -> str:
    """``text`` with the value at ``path`` set; raises InputError (nothing changed) when the text
    cannot be edited there or the result would not be a valid configuration."""
    loaded = load_text(text, file)
    if loaded.data is None:
        loaded.data = {}
    new = _edit(loaded, text, path, value)
    again = load_text(new, file)
    present, got = _get(again.data, path)
    if not present or got != (value if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else got):
        raise InputError(None, "the value could not be written safely; nothing changed", file=file)
    _only(loaded.data, again.data, path, got, file)
    if check:
        validate(again)
    return new


def remove_key(text: str, path: Path_, *, file: str = "<editor>") -> str:
    """``text`` without the key at ``path`` (a key on a line of its own, or in a flow mapping)."""
    loaded = load_text(text, file)
    present, _ = _get(loaded.data, path)
    if not present:
        return text
    key = loaded.key_locations.get(path)
    if key is None:
        raise InputError(loaded.locate(path), "cannot remove this value; edit it in the text")
    end = loaded.end_locations[path]
    lines = _lines(text)
    line = lines[key.line - 1]
    if line[: key.column - 1].strip() == "":
        del lines[key.line - 1: max(key.line, _last_line(lines, end))]
    elif end.line == key.line:
        # inside a flow mapping: the entry and the comma after it (or, for the last, before it)
        before, rest = line[: key.column - 1], line[end.column - 1:]
        stripped = rest.lstrip()
        if stripped.startswith(","):
            lines[key.line - 1] = before + stripped[1:].lstrip()
        else:
            head = before.rstrip()
            lines[key.line - 1] = (head[:-1] if head.endswith(",") else before) + rest
    else:
        raise InputError(key, "cannot remove this value; edit it in the text")
    new = "".join(lines)
    again = load_text(new, file)
    _only(loaded.data, again.data, path, None, file, remove=True)
    validate(again)
    return new


def append_item(text: str, path: Path_, value: Any, *, file: str = "<editor>") -> str:
    """``text`` with ``value`` appended to the list at ``path`` (created if absent or empty)."""
    loaded = load_text(text, file)
    present, node = _get(loaded.data, path)
    key = loaded.key_locations.get(path)
    if present and node == [] and isinstance(value, dict) and value and key is not None:
        lines = _lines(text)
        head = lines[key.line - 1]
        end = loaded.end_locations[path]
        if head[: key.column - 1].strip() == "" and end.line == key.line:
            # `bodies: []` becomes a block list, as a user would write it
            indent = " " * (key.column + 1)
            items = [f"{indent}{'- ' if i == 0 else '  '}{k}: {scalar(v)}\n" for i, (k, v) in enumerate(value.items())]
            lines[key.line - 1: key.line] = [head[: key.column - 1] + f"{path[-1]}:" + head[end.column - 1:].rstrip() + "\n", *items]
            new = "".join(lines)
            again = load_text(new, file)
            if _get(again.data, path)[1] == [value]:
                _only(loaded.data, again.data, path, [value], file)
                validate(again)
                return new
    if not present or node is None or node == []:
        return set_value(text, path, [value], file=file)
    if not isinstance(node, list):
        raise InputError(loaded.locate(path), "not a list; edit it in the text")
    lines = _lines(text)
    start = loaded.locations[path]
    if lines[start.line - 1][start.column - 1] == "[":
        end = loaded.end_locations[path]
        line = lines[end.line - 1]
        close = end.column - 2  # the "]"
        lines[end.line - 1] = line[:close].rstrip() + ", " + scalar(value) + line[close:]
    else:
        first = loaded.locations[(*path, 0)]
        dash = lines[first.line - 1].rfind("-", 0, first.column - 1)
        if dash < 0:
            raise InputError(first, "cannot append here; edit it in the text")
        last = _last_line(lines, loaded.end_locations[(*path, len(node) - 1)])
        while last > 0 and lines[last - 1].strip() == "":
            last -= 1
        lines.insert(last, " " * dash + "- " + scalar(value) + "\n")
    new = "".join(lines)
    again = load_text(new, file)
    got = _get(again.data, path)[1]
    if not isinstance(got, list) or len(got) != len(node) + 1 or got[-1] != value:
        raise InputError(None, "the value could not be written safely; nothing changed", file=file)
    _only(loaded.data, again.data, path, [*node, value], file)
    validate(again)
    return new
