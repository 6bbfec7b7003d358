"""Writing an election's outcome into a configuration, keeping the user's file as it was.

PyYAML cannot write comments back, so the file is edited as text at the places the loader
recorded (line and column of each key and value), then loaded again and compared with what the
edit meant to change: a user's comments, layout, line endings and byte-order mark survive, and an
edit that would change anything else (a value shared through a YAML alias, a style the text edit
does not understand) is refused before anything reaches the disk.

The new content replaces the file atomically (a temporary file in the same folder, flushed to
disk, renamed over the original with its mode and owner): a crash, a kill or a full disk leaves
either the old file or the new one, never a mix or an empty file.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .configuration import validate
from .safe_yaml import MAX_BYTES, InputError, LoadedYaml, Location, dotted, load_text

Path_ = tuple[str | int, ...]

# the line breaks YAML (and so the loader's line numbers) count; str.splitlines knows more
_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")


@dataclass
class Edit:
    """What ``elect --into`` would write: the new bytes, the bytes it read, and an account."""

    path: Path
    original: bytes
    new: bytes
    account: str


class _Lines:
    """A text as lines with their own endings, edited in place."""

    def __init__(self, text: str) -> None:
        self.lines: list[list[str]] = []
        pos = 0
        for m in _BREAK.finditer(text):
            self.lines.append([text[pos:m.start()], m.group()])
            pos = m.end()
        if pos < len(text):
            self.lines.append([text[pos:], ""])
        endings = [e for _, e in self.lines if e]
        # new lines take the file's own line ending (CRLF stays CRLF)
        self.newline = max(set(endings), key=endings.count) if endings else "\n"

    def content(self, line: int) -> str:
        """Line ``line`` (1-based) without its ending; '' past the end."""
        return self.lines[line - 1][0] if 0 < line <= len(self.lines) else ""

    def insert(self, index: int, content: str) -> None:
        """A new line before the 0-based ``index`` (``len`` appends)."""
        if index >= len(self.lines) and self.lines and not self.lines[-1][1]:
            self.lines[-1][1] = self.newline
        self.lines.insert(index, [content, self.newline])

    def set_content(self, line: int, content: str) -> None:
        self.lines[line - 1][0] = content

    def text(self) -> str:
        return "".join(c + e for c, e in self.lines)


def _loc(loaded: LoadedYaml, table: dict[Path_, Location], path: Path_) -> Location:
    loc = table.get(path)
    if loc is None:
        raise InputError(loaded.locate(path), f"cannot find {dotted(path)} in the file")
    return loc


def _after(lines: _Lines, end: Location) -> int:
    """The 0-based line index at which a new line goes right after a value that ends at ``end``.
    A block value (a mapping, a folded scalar) ends at the start of the next line's content."""
    before = lines.content(end.line)[: end.column - 1]
    return end.line - 1 if before.strip() == "" else end.line


def read_for_edit(path: Path) -> tuple[bytes, str, bool]:
    """The file's bytes, its text without a byte-order mark, and whether it had one."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(None, f"file is larger than {MAX_BYTES} bytes (1 MiB); refused", file=name)
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        text = raw[len(codecs.BOM_UTF8) if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(None, f"not UTF-8 text (byte {e.start})", file=name) from None
    return raw, text, bom


def _refuse_shared(loaded: LoadedYaml, paths: list[Path_]) -> None:
    for p in paths:
        shared = loaded.sharing(p)
        if shared is None:
            continue
        prefix, others = shared
        where = ", ".join(dotted(o) for o in others)
        raise InputError(
            loaded.locate(prefix),
            f"{dotted(prefix)} is written once and shared through a YAML alias with {where}; "
            f"writing into it would change {where} too. Write {dotted(prefix)} out in full (no anchor/alias) "
            "to let `elect --into` edit it; nothing was written",
        )


def plan_directly_elected(path: Path, body: int, seats: int, filled: int) -> Edit:
    """Set ``bodies[body].seats.directly_elected`` (if absent) and ``filled.directly_elected``.
    Returns what would be written; writes nothing."""
    name = str(path)
    raw, text, bom = read_for_edit(path)
    loaded = load_text(text, name)
    config = validate(loaded)
    if not 0 <= body < len(config.bodies):
        raise InputError(loaded.locate(("bodies",)), f"the configuration has no body {body} (it has {len(config.bodies)})", file=name)
    b = config.bodies[body]
    base: Path_ = ("bodies", body)
    _refuse_shared(loaded, [(*base, "seats", "directly_elected"), (*base, "filled", "directly_elected")])
    body_loc = _loc(loaded, loaded.locations, base)
    lines = _Lines(text)
    if lines.content(body_loc.line)[body_loc.column - 1: body_loc.column] == "{":
        raise InputError(body_loc, "this body is written in flow style ({...}); write it in block style to let `elect --into` edit it")
    if b.seats is not None and b.seats.directly_elected != seats and "directly_elected" in b.seats.model_fields_set:
        raise InputError(loaded.locate((*base, "seats", "directly_elected")),
                         f"the election fills {seats} seats, the body has seats.directly_elected = {b.seats.directly_elected}")
    for key, value in (("seats", b.seats), ("filled", b.filled)):
        if value is None and (*base, key) in loaded.key_locations:
            raise InputError(loaded.key_locations[(*base, key)],
                             f"{dotted((*base, key))} is empty; remove the key or write it out to let `elect --into` edit it")

    # edits as (sort key, action); applied bottom-up so that earlier positions stay valid
    edits: list[tuple[tuple[int, int, int], Any]] = []
    notes: list[str] = []
    indent = " " * (_loc(loaded, loaded.key_locations, (*base, "kind")).column - 1)
    if b.seats is None:
        at = _after(lines, _loc(loaded, loaded.end_locations, (*base, "kind")))
        # both new lines at one place, in this order
        edits.append(((at, 0, 1), lambda at=at: lines.insert(at, f"{indent}filled: {{directly_elected: {filled}}}")))
        edits.append(((at, 0, 0), lambda at=at: lines.insert(at, f"{indent}seats: {{directly_elected: {seats}}}")))
        notes.append(f"bodies[{body}].seats.directly_elected = {seats}")
    else:
        if "directly_elected" not in b.seats.model_fields_set:
            edits.append(_insert_into_mapping(loaded, lines, (*base, "seats"), "directly_elected", seats))
            notes.append(f"bodies[{body}].seats.directly_elected = {seats}")
        if b.filled is None:
            seats_key = _loc(loaded, loaded.key_locations, (*base, "seats"))
            at = _after(lines, _loc(loaded, loaded.end_locations, (*base, "seats")))
            pad = " " * (seats_key.column - 1)
            edits.append(((at, 0, 0), lambda at=at: lines.insert(at, f"{pad}filled: {{directly_elected: {filled}}}")))
    if b.filled is not None and b.filled.directly_elected is not None:
        edits.append(_replace_scalar(loaded, lines, (*base, "filled", "directly_elected"), str(filled)))
    elif b.filled is not None:
        edits.append(_insert_into_mapping(loaded, lines, (*base, "filled"), "directly_elected", filled))
    notes.append(f"bodies[{body}].filled.directly_elected = {filled}")

    for _, apply in sorted(edits, key=lambda e: e[0], reverse=True):
        apply()
    new_text = lines.text()
    _verify(loaded, new_text, name, base, seats, filled)
    new = (codecs.BOM_UTF8 if bom else b"") + new_text.encode("utf-8")
    return Edit(path=path, original=raw, new=new, account="; ".join(notes))


def _replace_scalar(loaded: LoadedYaml, lines: _Lines, path: Path_, new: str) -> tuple[tuple[int, int, int], Any]:
    start = _loc(loaded, loaded.locations, path)
    end = _loc(loaded, loaded.end_locations, path)
    if start.line != end.line:
        raise InputError(start, f"{dotted(path)} spans several lines; write it on one line to let `elect --into` edit it")

    def apply() -> None:
        line = lines.content(start.line)
        lines.set_content(start.line, line[: start.column - 1] + new + line[end.column - 1:])

    return (start.line - 1, 1, start.column), apply


def _insert_into_mapping(loaded: LoadedYaml, lines: _Lines, path: Path_, key: str, value: int) -> tuple[tuple[int, int, int], Any]:
    start = _loc(loaded, loaded.locations, path)
    line = lines.content(start.line)
    if line[start.column - 1: start.column] == "{":
        def apply_flow() -> None:
            current = lines.content(start.line)
            rest = current[start.column:]
            sep = "" if rest.lstrip().startswith("}") else ", "
            lines.set_content(start.line, current[: start.column] + f"{key}: {value}{sep}" + rest)

        return (start.line - 1, 1, start.column), apply_flow
    if line[: start.column - 1].strip():
        raise InputError(start, f"{dotted(path)} starts on the line of another value; "
                                "put its first key on a line of its own to let `elect --into` edit it")

    # a block mapping: a new first entry at the column of its present first key
    def apply_block() -> None:
        lines.insert(start.line - 1, f"{' ' * (start.column - 1)}{key}: {value}")

    return (start.line - 1, 0, 0), apply_block


def _verify(loaded: LoadedYaml, new_text: str, name: str, base: Path_, seats: int, filled: int) -> None:
    """The edited file must read as the old one with exactly the two values set."""
    expected = copy.deepcopy(loaded.data)
    body = expected["bodies"][base[1]]
    if not isinstance(body.get("seats"), dict):
        body["seats"] = {}
    body["seats"]["directly_elected"] = seats
    if not isinstance(body.get("filled"), dict):
        body["filled"] = {}
    body["filled"]["directly_elected"] = filled
    try:
        got = load_text(new_text, name)
        validate(got)
    except InputError as e:
        raise InputError(None, f"cannot edit this file safely (the edited text would not read: {e.message}); "
                               "nothing was written", file=name) from None
    if got.data != expected:
        raise InputError(None, "cannot edit this file safely (the edit would change more than the election's "
                               "values; an unusual YAML style?); nothing was written", file=name)


def write_directly_elected(path: Path, body: int, seats: int, filled: int) -> tuple[str, str]:
    """The new text and a one-line account of the change; writes nothing (kept for callers that
    want the text)."""
    edit = plan_directly_elected(path, body, seats, filled)
    return edit.new.decode("utf-8-sig"), edit.account


# ---------------------------------------------------------------------------------------------
# Atomic replacement

def atomic_replace(path: Path, new: bytes, expected: bytes | None = None) -> None:
    """Replace ``path`` by ``new`` so that it is always either the old or the new content.

    ``expected``: the bytes the edit was computed from; if the file changed meanwhile, refuse.
    Any failure is an InputError and leaves the original untouched."""
    name = str(path)
    target = Path(os.path.realpath(path))  # through a symlink: replace its target, keep the link
    try:
        st = target.stat()
    except OSError as e:
        raise InputError(None, f"cannot write: {e.strerror}; nothing was written", file=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(None, "not a regular file; nothing was written", file=name)
    # a read-only file is a user's decision, even for root, who could write it anyway
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise InputError(None, f"the file is read-only (mode {stat.S_IMODE(st.st_mode):o}); nothing was written", file=name)
    if st.st_nlink > 1:
        raise InputError(None, f"the file has {st.st_nlink} hard links; replacing it would split them; nothing was written",
                         file=name)
    folder = target.parent
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".optionsmodell-tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(new)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if (st.st_uid, st.st_gid) != (os.stat(tmp).st_uid, os.stat(tmp).st_gid):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                raise InputError(None, "cannot keep the file's owner and group (not permitted); nothing was written",
                                 file=name) from None
        if expected is not None and target.read_bytes() != expected:
            raise InputError(None, "the file changed while the election was written into it; nothing was written",
                             file=name)
        os.replace(tmp, target)
        tmp = None
        _fsync_folder(folder)
    except OSError as e:
        raise InputError(None, f"cannot write: {e.strerror or e}; the file is unchanged", file=name) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fsync_folder(folder: Path) -> None:
    # the rename itself must survive a power cut; not every file system lets a folder be opened
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
