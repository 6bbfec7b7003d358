"""The bylaw sentences of an imported configuration, read back from its comments, so that `check`
can show beside each deciding fact the sentence it came from.

An imported file keeps `optionsmodell/v1` unchanged: the provenance lives in comment lines of the
form ``# Quelle: „<sentence>“ — <file>, <place>`` directly above the key they support. A user who
edits a value by hand should delete or correct its comment; a comment without a key below it is ignored.
"""

from __future__ import annotations

import re

from ..record import Record, init
from ..safe_yaml import LoadedYaml, Path_

_SOURCE = re.compile(r"^\s*#\s*Quelle:\s*„(?P<quote>.*)“\s+—\s+(?P<file>[^,]+),\s+(?P<where>.+?)(\s+\[(?P<how>[^\]]*)\])?\s*$")


class BylawSource(Record):
    __slots__ = ("file", "how", "quote", "where")
    quote: str
    file: str
    where: str
    how: str | None

    def __init__(self, quote: str, file: str, where: str, how: str | None = None) -> None:
        init(self, "quote", quote)
        init(self, "file", file)
        init(self, "where", where)
        init(self, "how", how)

    def render(self) -> str:
        how = f" [{self.how}]" if self.how else ""
        return f"„{self.quote}“ — {self.file}, {self.where}{how}"


def sources_by_line(text: str) -> dict[int, list[BylawSource]]:
    """1-based line of a key → the bylaw sentences in the comment lines directly above it."""
    out: dict[int, list[BylawSource]] = {}
    pending: list[BylawSource] = []
    for i, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            m = _SOURCE.match(line)
            if m:
                pending.append(BylawSource(m.group("quote"), m.group("file").strip(), m.group("where"), m.group("how")))
            continue
        if pending and stripped:
            out[i] = pending
        pending = []
    return out


def sources_for(loaded: LoadedYaml, path: Path_, by_line: dict[int, list[BylawSource]]) -> list[BylawSource]:
    """The bylaw sentences of the key at ``path``: only its own comments, never an enclosing key's
    (a default the regime supplies must not appear to come from the bylaw)."""
    p = tuple(path)
    loc = loaded.key_locations.get(p) if p and not isinstance(p[-1], int) else loaded.locations.get(p)
    if loc is None:
        return []
    return by_line.get(loc.line, [])
