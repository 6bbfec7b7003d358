"""Import the bylaw files of one municipality into a draft configuration."""


from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ..safe_yaml import InputError
from .draft import Draft, Fact, Issue, resolve, validate_body
from .extract import read_all
from .reading import ReadFile, read_bylaw
from .sentences import Sentence, split

# a file is about an integration body if it names one, or the paragraph that governs it
_ABOUT = re.compile(
    r"integrationsrat|integrationsausschu(ss|ß)|chancengerechtigkeit|migrantenvertret|§\s*27\b|ausländerbeirat",
    re.I,
)


def import_bylaws(
    paths: list[Path], *, name: str, ags: str | None = None, kind: str | None = None, partial: bool = False,
) -> Draft:
    """Read the files of one municipality and draft its configuration. Raises InputError when a file
    cannot be read (or, with ``partial``, records it and goes on) and when nothing usable remains."""
    unread: list[str] = []
    read: list[ReadFile] = []
    for path in paths:
        try:
            rf = read_bylaw(path, partial=partial)
        except InputError as e:
            if not partial:
                raise
            unread.append(f"{e.file}: {e.message}")
            continue
        if not _ABOUT.search(rf.text):
            what = ("does not look like a bylaw on an integration body (it names no Integrationsrat, "
                    "Integrationsausschuss or Ausschuss für Chancengerechtigkeit und Integration)")
            if rf.scripts:
                what += (f"; its visible text has none, and the {rf.scripts} script(s) of the page were not run "
                         "(a page that loads its text by script: save it after loading, or print it to PDF)")
            err = InputError(None, what, file=rf.name)
            if not partial:
                raise err
            unread.append(f"{rf.name}: {err.message}")
            continue
        unread.extend(f"{rf.name}: {u}" for u in rf.unread)
        read.append(rf)
    if not read:
        raise InputError(None, "no file could be read as a bylaw: " + "; ".join(unread), file=", ".join(map(str, paths)))
    sentences: list[Sentence] = []
    for rf in read:
        sentences.extend(split(rf.text, Path(rf.name).name))
    readings, uncertain = read_all(sentences)
    alternatives = {s.alternative for s in sentences if s.alternative is not None}
    text_kinds = [r for r in readings if r.key == "kind"]
    if kind is not None:
        readings = [r for r in readings if r.key != "kind"]
    facts, conflicts, withheld = resolve(readings, uncertain, alternatives)
    if kind is not None:
        facts["kind"] = Fact("kind", kind, [])
        other = [r for r in text_kinds if r.value != kind]
        if other:
            withheld.append(Issue("kind", f"--kind {kind} was given; the text reads otherwise", other))

    def make() -> Draft:
        return Draft(name=name, ags=ags, files=[Path(rf.name).name for rf in read], facts=facts,
                     conflicts=conflicts, withheld=withheld, unread=unread, kind_given=kind is not None)

    placeholder = "kind" not in facts
    if placeholder:  # validate the other keys as if the kind were known; the kind stays out
        facts["kind"] = Fact("kind", "integrationsrat", [])
    withheld.extend(validate_body(facts, make))
    if placeholder:
        facts.pop("kind", None)
    return make()



def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then one rename."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
