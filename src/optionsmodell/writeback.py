"""Writing an election's outcome into a configuration, keeping the user's file as it was.

PyYAML cannot write comments back, so the file is edited as text at the places the loader
recorded (line and column of each key and value), then loaded and validated again before it is
written: a user's comments and layout survive, and a broken edit never reaches the disk.
"""

from __future__ import annotations

from pathlib import Path

from .configuration import validate
from .safe_yaml import InputError, LoadedYaml, Location, load_text, read_text


def _loc(loaded: LoadedYaml, table: dict[tuple[str | int, ...], Location], path: tuple[str | int, ...]) -> Location:
    loc = table.get(path)
    if loc is None:
        raise InputError(loaded.locate(path), f"cannot find {'.'.join(map(str, path))} in the file")
    return loc


def write_directly_elected(path: Path, body: int, seats: int, filled: int) -> tuple[str, str]:
    """Set ``bodies[body].seats.directly_elected`` (if absent) and ``filled.directly_elected``.
    Returns the new text and a one-line account of the change; writes nothing."""
    text = read_text(path)
    loaded = load_text(text, str(path))
    config = validate(loaded)
    if not 0 <= body < len(config.bodies):
        raise InputError(loaded.locate(("bodies",)), f"the configuration has no body {body} (it has {len(config.bodies)})", file=str(path))
    b = config.bodies[body]
    base: tuple[str | int, ...] = ("bodies", body)
    body_loc = _loc(loaded, loaded.locations, base)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if lines[body_loc.line - 1][body_loc.column - 1] == "{":
        raise InputError(body_loc, "this body is written in flow style ({...}); write it in block style to let `elect --into` edit it")
    kind_key = _loc(loaded, loaded.key_locations, (*base, "kind"))
    indent = " " * (kind_key.column - 1)

    if b.seats is not None and b.seats.directly_elected != seats and "directly_elected" in b.seats.model_fields_set:
        raise InputError(loaded.locate((*base, "seats", "directly_elected")),
                         f"the election fills {seats} seats, the body has seats.directly_elected = {b.seats.directly_elected}")

    if b.seats is None:
        lines.insert(kind_key.line, f"{indent}seats: {{directly_elected: {seats}}}\n")
        note = f"bodies[{body}].seats.directly_elected = {seats}; "
        new_text = "".join(lines)
        return write_directly_elected_text(new_text, path, body, seats, filled, note)
    if "directly_elected" not in b.seats.model_fields_set:
        _insert_into_mapping(loaded, lines, (*base, "seats"), "directly_elected", seats)
        return write_directly_elected_text("".join(lines), path, body, seats, filled,
                                           f"bodies[{body}].seats.directly_elected = {seats}; ")
    return write_directly_elected_text(text, path, body, seats, filled, "")


def write_directly_elected_text(text: str, path: Path, body: int, seats: int, filled: int, note: str) -> tuple[str, str]:
    loaded = load_text(text, str(path))
    config = validate(loaded)
    b = config.bodies[body]
    base: tuple[str | int, ...] = ("bodies", body)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if b.filled is not None and b.filled.directly_elected is not None:
        loc = _loc(loaded, loaded.locations, (*base, "filled", "directly_elected"))
        end = _loc(loaded, loaded.end_locations, (*base, "filled", "directly_elected"))
        line = lines[loc.line - 1]
        lines[loc.line - 1] = line[: loc.column - 1] + str(filled) + line[end.column - 1:]
    elif b.filled is not None:
        _insert_into_mapping(loaded, lines, (*base, "filled"), "directly_elected", filled)
    else:
        seats_key = _loc(loaded, loaded.key_locations, (*base, "seats"))
        seats_end = _loc(loaded, loaded.end_locations, (*base, "seats"))
        before = lines[seats_end.line - 1][: seats_end.column - 1] if seats_end.line - 1 < len(lines) else ""
        at = seats_end.line - 1 if before.strip() == "" else seats_end.line
        lines.insert(at, f"{' ' * (seats_key.column - 1)}filled: {{directly_elected: {filled}}}\n")
    new_text = "".join(lines)
    check = validate(load_text(new_text, str(path)))
    got = check.bodies[body].filled
    if got is None or got.directly_elected != filled:
        raise InputError(None, "could not edit the file safely; nothing was written", file=str(path))
    return new_text, f"{note}bodies[{body}].filled.directly_elected = {filled}"


def _insert_into_mapping(loaded: LoadedYaml, lines: list[str], path: tuple[str | int, ...], key: str, value: int) -> None:
    start = _loc(loaded, loaded.locations, path)
    line = lines[start.line - 1]
    if line[start.column - 1] == "{":
        lines[start.line - 1] = line[: start.column] + f"{key}: {value}, " + line[start.column:]
        return
    # a block mapping: a new first entry at the column of its present first key
    lines.insert(start.line - 1, f"{' ' * (start.column - 1)}{key}: {value}\n")
