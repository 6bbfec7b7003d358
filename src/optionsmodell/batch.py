"""Many municipalities × several regimes in one run: the obligation class of each, and the verdict
where a bodies file says what bodies they have.

Only the engine runs per row (no explanations): a batch asks what, not why; `check` explains a
single row. Large tables are spread over the machine's cores.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from json.encoder import encode_basestring as _encode_str
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from .compare import obligation_of
from .configuration import Body, Configuration, validation_error
from .engine import Engine, MemoEngine, engine_named, judgement_verdict
from .facts import read, under
from .i18n import value
from .limits import BODIES_MAX_BYTES, MAX_BATCH_BODIES, MAX_TABLE_ROWS, check_bodies
from .packs import Pack, load_all
from .resources import bundled_data
from .safe_yaml import (
    BATCH_MAX_BYTES,
    InputError,
    LoadedYaml,
    Location,
    collector_paused,
    load_text,
    max_values,
    printable,
    read_text,
)

FIELDS = ("ags", "name", "foreign_residents", "applicants", "population", "land")
DEFAULT_COLUMNS = {
    "ags": "ags",
    "name": "municipality_name",
    "foreign_residents": "foreign_est_census22",
    "population": "population_census22",
}
OBLIGATIONS = ("mandatory", "open", "on_application", "voluntary", "none", "undetermined")
PARALLEL_FROM = 2000  # municipality × regime checks; below that, starting workers costs more than it saves


def default_table() -> Path:
    env = os.environ.get("OPTIONSMODELL_DATA")
    base = Path(env) if env else bundled_data()
    return base / "nrw-gemeinden-zensus2022.csv"


class Municipality(NamedTuple):
    """A row of the table. A tuple: 10,800 frozen dataclasses took a Germany-sized batch 0.02 s to
    build, serially, before any worker could start."""

    line: int
    ags: str | None
    name: str
    land: str
    foreign_residents: int | None
    applicants: int | None  # None: the table does not say; never taken as 0 (issue 8, defect 2)
    population: int | None


class Row(NamedTuple):
    """A row of the output. A tuple, so that rows cross from the workers as they are: the parent
    took 1 µs to rebuild each as a frozen dataclass, a tenth of a second of a Germany-sized batch."""

    ags: str | None
    name: str
    regime: str
    foreign_residents: int | None
    obligation: str
    verdict: str | None


def parse_columns(specs: list[str]) -> dict[str, str]:
    columns = dict(DEFAULT_COLUMNS)
    for spec in specs:
        field_name, sep, column = spec.partition("=")
        if not sep or field_name not in FIELDS or not column:
            raise InputError(None, f"--column {spec!r}: expected FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}", file="--column")
        columns[field_name] = column
    return columns


_GERMAN_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,0+)?$|^-?\d+(,0+)?$")


# --max-input MiB: a batch input larger than the default bounds is accepted when asked for
# (issue 9 point 8: all German municipalities' bodies are 6.5 MB); rows and bodies grow with it
_SCALE = [1]


def set_max_input(mib: int | None) -> None:
    """Raise the bounds of batch inputs to ``mib`` MiB (rows and bodies in proportion)."""
    _SCALE[0] = max(1, (mib or 0) * 1024 * 1024 // BODIES_MAX_BYTES) if mib else 1


def _bodies_bytes() -> int:
    return BODIES_MAX_BYTES * _SCALE[0]


def _rows() -> int:
    return MAX_TABLE_ROWS * _SCALE[0]


def _int(value: str, path: Path, line: int, column: str, german: bool = False) -> int | None:
    if value.isdigit() and value.isascii():
        return int(value)  # the common case, without the steps below
    where = Location(str(path), line, 1)
    text = value.strip().replace("\u202f", "").replace(" ", "").replace("\xa0", "")
    if text == "":
        return None
    if german and _GERMAN_NUMBER.match(text):
        # German Excel: 4.575 is four thousand five hundred seventy-five; 4575,0 is a whole number
        text = text.split(",")[0].replace(".", "")
    try:
        n = int(text)
    except ValueError:
        raise InputError(where, f"column {column}: {value!r} is not a whole number") from None
    if n < 0:
        raise InputError(where, f"column {column}: {n} is negative")
    return n


def read_table(path: Path, columns: dict[str, str], land: str = "NW") -> list[Municipality]:
    text = read_text(path, max(BATCH_MAX_BYTES, _bodies_bytes()))
    first = text.split("\n", 1)[0]
    # German Excel saves "CSV" with semicolons (the comma is its decimal sign); a tab-separated export too
    delimiter = max((";", ",", "\t"), key=first.count) if any(c in first for c in ";,\t") else ","
    german = delimiter == ";"
    # rows as lists, read by column index (csv.DictReader built a dict per row: half the table's time)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    for field_name in ("name", "foreign_residents"):
        if columns[field_name] not in header:
            raise InputError(Location(str(path), 1, 1),
                             f"no column {columns[field_name]!r} for {field_name} (columns: {', '.join(header)}); map one with --column {field_name}=COLUMN")
    out: list[Municipality] = []
    # each field's column index, once (the last of equal names, as csv.DictReader's dict kept it); -1:
    # no column, or one the table lacks
    last = {column: i for i, column in enumerate(header)}
    index = [last.get(columns.get(f) or "", -1)
             for f in ("ags", "name", "land", "foreign_residents", "applicants", "population")]
    ags_at, name_at, land_at, foreign_at, applicants_at, population_at = index
    foreign_column = columns["foreign_residents"]
    applicants_column = columns.get("applicants", "applicants")
    population_column = columns.get("population", "population")
    limit = _rows()
    for row in reader:
        if not row:
            continue  # a blank line, which csv.DictReader skipped too
        line = reader.line_num
        width = len(row)
        if len(out) >= limit:
            raise InputError(Location(str(path), line, 1), f"more than {limit} municipalities in one table; split it "
                             "(e.g. by Land) or raise the bound with --max-input MIB")
        name = row[name_at].strip() if name_at < width else ""
        if not name:
            raise InputError(Location(str(path), line, 1), f"column {columns['name']}: empty name")
        out.append(Municipality(
            line,
            (row[ags_at].strip() or None) if 0 <= ags_at < width else None,
            name,
            (row[land_at].strip() or land) if 0 <= land_at < width and row[land_at] else land.strip() or land,
            _int(row[foreign_at], path, line, foreign_column, german) if foreign_at < width else None,
            _int(row[applicants_at], path, line, applicants_column, german) if 0 <= applicants_at < width else None,
            _int(row[population_at], path, line, population_column, german) if 0 <= population_at < width else None,
        ))
    return out


# each municipality's bodies, by Gemeindeschlüssel, as read from a bodies file and validated
Bodies = dict[str, list[dict[str, Any]]]


def read_bodies(path: Path, jobs: int = 1) -> Bodies:
    """``bodies: {AGS: [body, ...]}``: the bodies of each municipality, by Gemeindeschlüssel. With
    ``jobs`` > 1 a large file of the plain shape is read in parts by as many processes."""
    return bodies_from_text(bodies_text(path), path, jobs)


def bodies_text(path: Path) -> str:
    """The text of a bodies file, within the bound of the file's size."""
    return read_text(path, _bodies_bytes())


def bodies_from_text(text: str, path: Path, jobs: int = 1) -> Bodies:
    """``read_bodies`` of a file already read as ``text``."""
    head = plain_head(text) if jobs > 1 and len(text) >= SPLIT_FROM else None
    pieces = cut_bodies(text, head, jobs) if head is not None else []
    if len(pieces) > 1 and head is not None:
        n = len(pieces)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(read_piece, [str(path)] * n, [line for line, _ in pieces], [piece for _, piece in pieces],
                                  [head[2]] * n, [_SCALE[0]] * n))
        read = [part for part in parts if part is not None]
        if len(read) == n and pieces_agree(text, read):
            return {ags: bodies for part, _ in read for ags, bodies in part.items()}
    with collector_paused():  # until the document's nodes are freed (see there)
        return _bodies_in(load_text(text, str(path), _bodies_bytes()))


# A bodies file of all German municipalities is several MB of YAML: read by the parent alone, it
# was a quarter of a Germany-sized batch while the workers waited (two workers were no faster than
# one). A file of the plain shape (`bodies:`, then one `AGS:` line per municipality, no anchors or
# aliases) is cut into parts, one per worker; any other shape, or parts that do not read as the whole
# file does (`pieces_agree`), is read whole as before, so that an error names the same line either way.
# The pool here (a table too small for batch_workers) and batch_workers cut and check alike.
SPLIT_FROM = 256 * 1024  # characters; a smaller file is read faster by one process
_BODIES_LINE = re.compile(r"bodies:[ \t]*(?:#.*)?\r?")
# `&name` or `*name` where YAML could read an anchor or an alias (after a space, a flow indicator or
# at the start of a line); in a quoted text too, which only costs the split
_ANCHOR_OR_ALIAS = re.compile(r"(?<![^\s\[\]{},])[&*][^\s\[\]{},]")
_ENTRY_LINE = re.compile(r"( +)(?:'([\w.-]+)'|\"([\w.-]+)\"|([\w.-]+)):[ \t]*(?:#.*)?\r?", re.ASCII)


def cut_bodies(text: str, head: tuple[int, int, int], parts: int) -> list[tuple[int, str]]:
    """The entries of a plain bodies file (``head``: where they begin, see ``plain_head``) cut into
    ``parts`` pieces of about equal size, each beginning at an entry's line: (the index of its first
    line, its text). Only the cuts are looked for here: each reader checks that its own piece is of
    the plain shape (``read_piece``), so that the whole file is not scanned serially."""
    at, line_no, indent = head
    entry_line = re.compile(f"^ {{{indent}}}(?![ #]|- )", re.MULTILINE)
    cuts = [at]
    for k in range(1, parts):
        pos = at + (len(text) - at) * k // parts
        while (m := entry_line.search(text, pos)) is not None:
            end = text.find("\n", m.start())
            end = len(text) if end < 0 else end
            if _ENTRY_LINE.fullmatch(text, m.start(), end):
                break
            pos = end
        if m is None:
            break
        if m.start() > cuts[-1]:
            cuts.append(m.start())
    pieces = []
    for n, cut in enumerate(cuts):
        line_no += text.count("\n", cuts[n - 1], cut) if n else 0
        pieces.append((line_no, text[cut:cuts[n + 1] - 1] if n + 1 < len(cuts) else text[cut:]))
    return pieces


def plain_head(text: str) -> tuple[int, int, int] | None:
    """Where the entries of a bodies file of the plain shape begin: (character offset, line index,
    their indentation); None where the file is not of that shape."""
    if "\r" in text.replace("\r\n", "") or any(c in text for c in "\x85\u2028\u2029"):
        return None  # line breaks that YAML counts and a split at "\n" would not
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text):
        # an anchor named again in another piece is an error of the whole document only, and the
        # values an alias expands to count against the whole document's bound
        return None
    # the lines up to the first under `bodies:`, one by one (they are few)
    at, line_no, top = 0, 0, None
    indent = -1
    while at <= len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[at:end]
        if top is None:
            if line.strip() and not line.lstrip().startswith("#"):
                if not _BODIES_LINE.fullmatch(line):
                    return None
                top = line_no
        else:
            stripped = line.lstrip(" ")
            if stripped.strip() and not stripped.startswith("#"):
                indent = len(line) - len(stripped)
                break
        at, line_no = end + 1, line_no + 1
    if top is None or indent <= 0 or not printable(text[:at]):
        return None  # (what comes before the entries is in no piece: the whole file's reading checks it)
    return at, line_no, indent


def entries(text: str, at: int, line_no: int, indent: int) -> list[tuple[int, int, str]] | None:
    """The entries of a plain bodies file from the line starting at ``at`` (index ``line_no``), whose
    entries are indented by ``indent``: (line index, character offset, AGS) each; None where a line
    indented no deeper than the entries is neither an entry nor an item of a list of bodies."""
    # only the lines indented no deeper than the entries matter: a regular expression finds them,
    # instead of a loop over every line of a file of several MB
    starts: list[tuple[int, int, str]] = []
    counted_to, counted = at, line_no
    for m in re.compile(f"^(?! {{{indent + 1}}}).*$", re.MULTILINE).finditer(text, at):
        line = m.group()
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        depth = len(line) - len(stripped)
        if depth < indent or depth == 0:
            return None
        if stripped.startswith("- ") and starts:
            continue  # a municipality's list of bodies, written without indentation (as PyYAML writes it)
        entry = _ENTRY_LINE.fullmatch(line)
        if entry is None:
            return None
        offset = m.start()
        counted += text.count("\n", counted_to, offset)
        counted_to = offset
        starts.append((counted, offset, entry.group(2) or entry.group(3) or entry.group(4)))
    return starts


def read_piece(file: str, begin: int, piece: str, indent: int, scale: int) -> tuple[Bodies, int] | None:
    """A piece of a bodies file (``cut_bodies``), read in a worker at its own lines (blank lines stand
    in for what comes before it): its municipalities' bodies and the number of values it built; None
    where it is not of the plain shape (entries indented by ``indent``) or has a problem: the whole
    file is then read to report it."""
    _SCALE[0] = scale
    found = entries(piece, 0, 0, indent)
    if not found or found[0][1] != 0:
        return None
    try:
        with collector_paused():
            loaded = load_text("bodies:\n" + "\n" * (begin - 1) + piece, file, _bodies_bytes())
            read = _bodies_in(loaded), loaded.nodes
            # the document's nodes freed before the collector resumes: alive then, the next
            # collection walks them all (a third more time to read a piece)
            del loaded
    except InputError:
        return None
    # exactly the municipalities whose lines the piece has, in the same order
    return read if list(read[0]) == [key for _, _, key in found] else None


def pieces_agree(text: str, parts: Sequence[tuple[Mapping[str, object], int]]) -> bool:
    """Whether the pieces of ``text``, each read as (its municipalities, the values it built), read as
    the whole file does: no Gemeindeschlüssel in two of them (the whole file's reading reports it, at
    its line), and together within the bound on values the whole file is read under
    (``safe_yaml.max_values``; each piece counted its own document and `bodies:` mapping, the whole
    file counts them once)."""
    keys = [ags for municipalities, _ in parts for ags in municipalities]
    nodes = sum(n for _, n in parts) - 2 * (len(parts) - 1)
    return len(keys) == len(set(keys)) and nodes <= max_values(len(text.encode("utf-8", "surrogatepass")))


def _bodies_in(loaded: LoadedYaml) -> Bodies:
    data = loaded.data.get("bodies") if isinstance(loaded.data, dict) else None
    if not isinstance(data, dict):
        raise InputError(loaded.locate(()), "a bodies file is `bodies:` mapping each AGS to a list of bodies", file=loaded.file)
    out: Bodies = {}
    for ags, bodies in data.items():
        out[str(ags)] = []
        if bodies is not None and not isinstance(bodies, list):
            raise InputError(loaded.locate(("bodies", ags)),
                             f"bodies.{ags}: expected a list of bodies (- kind: ...), got {type(bodies).__name__} {bodies!r}"[:300],
                             file=loaded.file)
        check_bodies(loaded, bodies, ("bodies", ags))
        for i, b in enumerate(bodies or []):
            try:
                Body.model_validate(b)
            except ValidationError as e:
                raise validation_error(e, loaded, ("bodies", ags, i)) from None
            # kept as read: plain data crosses to the worker processes several times faster than
            # models do, and each configuration validates it again with its municipality
            out[str(ags)].append(b)
    return out


def check_work(munis: list[Municipality], bodies: Bodies, path: Path) -> None:
    """Every row is judged with its municipality's bodies: bound the bodies judged in one run (a
    table that repeats a Gemeindeschlüssel repeats its bodies)."""
    check_total(sum(len(bodies.get(m.ags or "", [])) for m in munis), path)


def check_total(total: int, path: Path) -> None:
    """``check_work`` of a count of bodies (the workers count their own parts)."""
    if total > MAX_BATCH_BODIES * _SCALE[0]:
        raise InputError(None, f"the table's rows have {total} bodies together; at most {MAX_BATCH_BODIES * _SCALE[0]} "
                               "are judged in one run: split the table", file=str(path))


def _configuration(m: Municipality, bodies: list[dict[str, Any]] | None, day: dt.date) -> Configuration:
    municipality: dict[str, Any] = {"name": m.name, "land": m.land}
    if m.applicants is not None:
        municipality["applicants"] = m.applicants
    if m.ags and len(m.ags) == 8 and m.ags.isdigit():
        municipality["ags"] = m.ags
    if m.foreign_residents is not None:
        municipality["foreign_residents"] = m.foreign_residents
    if m.population is not None:
        municipality["population"] = m.population
    return Configuration.model_validate({"date": day, "municipality": municipality, "bodies": bodies or []})


_MEMO: dict[str, MemoEngine] = {}


def batch_engine(memo: bool, engine: str | None = None) -> Engine:
    """The engine of a batch: the fastest unless one is named; memoized by condition values if
    asked (worth it for a slow engine on a table of few distinct cases)."""
    inner = engine_named(engine, fastest=True)
    if not memo:
        return inner
    if inner.name not in _MEMO:
        _MEMO[inner.name] = MemoEngine(inner)
    return _MEMO[inner.name]


def judge_rows(munis: list[Municipality], regimes: list[str], bodies: Bodies | None,
               day: dt.date, packs: list[Pack] | None = None, memo: bool = False,
               engine: str | None = None, strict: bool = False) -> list[Row]:
    packs = packs if packs is not None else load_all()
    by_id = {p.id: p for p in packs}
    judge = batch_engine(memo, engine)
    # A row's configuration is read once, and its facts are made once for each distinct pair of
    # kinds provided for and voting defaults (the six NW regimes have four), which the regimes
    # sharing it judge alike (no engine changes the facts it is given)
    variants: list[tuple[frozenset[str], dict[str, dict[str, str]]]] = []
    under_regime: list[tuple[str, Pack, int]] = []
    for rid in regimes:
        variant = (frozenset(by_id[rid].kinds), by_id[rid].default_voting())
        if variant not in variants:
            variants.append(variant)
        under_regime.append((rid, by_id[rid], variants.index(variant)))
    rows = []
    for m in munis:
        config = _configuration(m, bodies.get(m.ags or "", []) if bodies is not None else None, day)
        reading = read(config, day, explained=False)
        facts_of = [under(reading, kinds, voting, explained=False) for kinds, voting in variants]
        for rid, pack, variant_index in under_regime:
            j = judge.judge(pack, facts_of[variant_index])
            rows.append(Row(ags=m.ags, name=m.name, regime=rid, foreign_residents=m.foreign_residents,
                            obligation=obligation_of(pack, j.derived),
                            verdict=judgement_verdict(pack, j, strict) if bodies is not None else None))
    return rows


def _worker(args: tuple[list[Municipality], list[str], Bodies | None, dt.date, bool, str | None, bool]
            ) -> list[tuple[Any, ...]]:
    munis, regimes, bodies, day, memo, engine, strict = args
    # rows go back as tuples: unpickling 64,800 Row objects took the parent, alone, a fifth of a
    # second of a Germany-sized batch; tuples take it a sixth of that
    return [tuple(r) for r in judge_rows(munis, regimes, bodies, day, memo=memo, engine=engine, strict=strict)]


def run(munis: list[Municipality], regimes: list[str], bodies: Bodies | None, day: dt.date,
        jobs: int, progress: Callable[[int], None] | None = None, memo: bool = False,
        engine: str | None = None, strict: bool = False) -> list[Row]:
    """All rows, in table order. With more than one job and a large table, chunks go to worker
    processes (each registers its own durable-rules rulesets)."""
    total = len(munis) * len(regimes)
    if jobs <= 1 or total < PARALLEL_FROM:
        rows: list[Row] = []
        for chunk in _chunks(munis, 50):
            rows.extend(judge_rows(chunk, regimes, bodies, day, memo=memo, engine=engine, strict=strict))
            if progress:
                progress(len(chunk))
        return rows
    chunks = list(_chunks(munis, max(10, len(munis) // (jobs * 4))))
    rows = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk, result in zip(chunks, pool.map(_worker, [(c, regimes, _bodies_of(c, bodies), day, memo, engine, strict) for c in chunks]), strict=True):
            rows.extend(map(Row._make, result))
            if progress:
                progress(len(chunk))
    return rows


def _bodies_of(munis: list[Municipality], bodies: Bodies | None) -> Bodies | None:
    """Only the bodies of a chunk's municipalities go to its worker: sending the whole bodies file
    with every chunk made two workers slower than one (measured, 10,800 municipalities)."""
    if bodies is None:
        return None
    return {m.ags or "": bodies[m.ags or ""] for m in munis if (m.ags or "") in bodies}


def _chunks(items: list[Municipality], size: int) -> Iterator[list[Municipality]]:
    for i in range(0, len(items), size):
        yield items[i: i + size]


# counted by collections.Counter over (regime, value) pairs, in C: each of the three passes over a
# Germany-sized batch's 64,800 rows took 10 ms in a Python loop, serially after the workers were done
_REGIME_OBLIGATION = itemgetter(2, 4)
_REGIME_VERDICT = itemgetter(2, 5)


class Tally:
    """How many rows of each regime fall in each obligation class and have each verdict, the verdicts
    in the order of their first row in the table: what the summaries, the chart and the JSON's
    summary need. Workers count their own rows, so that the rows need not cross to the parent where
    only these are wanted."""

    __slots__ = ("obligations", "verdicts")

    def __init__(self, obligations: Counter[tuple[str, str]], verdicts: Counter[tuple[str, str | None]]) -> None:
        self.obligations = obligations
        self.verdicts = verdicts

    @classmethod
    def of(cls, rows: list[Row]) -> Tally:
        return cls(Counter(map(_REGIME_OBLIGATION, rows)), Counter(map(_REGIME_VERDICT, rows)))


def summary(rows: list[Row] | Tally, regimes: list[str]) -> dict[str, dict[str, int]]:
    counted = (rows if isinstance(rows, Tally) else Tally.of(rows)).obligations
    return {rid: {k: counted[rid, k] for k in OBLIGATIONS
                  if counted[rid, k] or k in ("mandatory", "on_application", "voluntary")} for rid in regimes}


def verdict_summary(rows: list[Row] | Tally, regimes: list[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {rid: {} for rid in regimes}
    # a Counter keeps its keys in the order first seen: each regime's verdicts in the order of their first row
    for (rid, verdict), n in (rows if isinstance(rows, Tally) else Tally.of(rows)).verdicts.items():
        if verdict is not None and rid in out:
            out[rid][verdict] = n
    return out


def to_json(rows: list[Row], regimes: list[str], engine: str | None = None) -> dict[str, Any]:
    doc = _json_doc(Tally.of(rows), regimes, engine)
    doc["rows"] = [r._asdict() for r in rows]
    return doc


def _json_doc(tally: Tally, regimes: list[str], engine: str | None) -> dict[str, Any]:
    """``to_json`` with its rows left empty."""
    doc: dict[str, Any] = {"rows": [], "summary": summary(tally, regimes)}
    if engine is not None:
        doc["engine"] = engine
    verdicts = verdict_summary(tally, regimes)
    if any(verdicts.values()):
        doc["verdicts"] = verdicts
    return doc


def to_json_text(rows: list[Row] | None, regimes: list[str], engine: str | None = None,
                 rendered: list[str] | None = None, tally: Tally | None = None) -> str:
    """``to_json`` as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it, byte for byte, with
    the rows written here: the json module's indenting encoder is pure Python, and on a Germany-sized
    batch it was the largest part of the work left to the parent process. ``rendered``: the rows
    already written, by ``row_json`` joined with ",\\n" (in any grouping), as the workers write them;
    ``tally``: the rows' Tally, where the caller has it. With both, the rows themselves are not needed."""
    if tally is None or rendered is None:
        assert rows is not None
        tally = Tally.of(rows) if tally is None else tally
        rendered = list(map(row_json, rows)) if rendered is None else rendered
    text = json.dumps(_json_doc(tally, regimes, engine), indent=2, ensure_ascii=False)
    if not rendered:
        return text
    head = '{\n  "rows": [],\n'
    assert text.startswith(head)
    return '{\n  "rows": [\n' + ",\n".join(rendered) + "\n  ],\n" + text[len(head):]


def _scalar(v: str | int | None) -> str:
    return "null" if v is None else _encode_str(v) if isinstance(v, str) else repr(v)


def row_json(r: Row) -> str:
    return (f'    {{\n      "ags": {_scalar(r.ags)},\n      "name": {_scalar(r.name)},\n      "regime": {_scalar(r.regime)},\n'
            f'      "foreign_residents": {_scalar(r.foreign_residents)},\n      "obligation": {_scalar(r.obligation)},\n'
            f'      "verdict": {_scalar(r.verdict)}\n    }}')


def to_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ags", "name", "regime", "foreign_residents", "obligation", "verdict"])
    for r in rows:
        w.writerow([r.ags or "", r.name, r.regime, "" if r.foreign_residents is None else r.foreign_residents,
                    r.obligation, r.verdict or ""])
    return buf.getvalue()


def to_markdown(rows: list[Row], regimes: list[str], lang: str, engine: str | None = None) -> str:
    s = summary(rows, regimes)
    classes = [o for o in OBLIGATIONS if any(o in s[r] for r in regimes)]
    head = "Rechtsstand" if lang == "de" else "Regime"
    out = [f"| {head} | " + " | ".join(value(c, lang) for c in classes) + " |", "|---|" + "---:|" * len(classes)]
    for rid in regimes:
        out.append(f"| {rid} | " + " | ".join(str(s[rid].get(c, 0)) for c in classes) + " |")
    out.append("")
    out.append("| AGS | Gemeinde | " + " | ".join(regimes) + " |" if lang == "de" else "| AGS | Municipality | " + " | ".join(regimes) + " |")
    out.append("|---|---|" + "---|" * len(regimes))
    by_muni: dict[tuple[str | None, str], dict[str, Row]] = {}
    for r in rows:
        by_muni.setdefault((r.ags, r.name), {})[r.regime] = r
    for (ags, name), per in by_muni.items():
        cells = [value(per[rid].obligation, lang) + (f" / {value(per[rid].verdict or '', lang)}" if per[rid].verdict else "")
                 for rid in regimes]
        out.append(f"| {ags or ''} | {name} | " + " | ".join(cells) + " |")
    if engine is not None:
        out.extend(["", f"{'Entscheidende Engine' if lang == 'de' else 'Judged by'}: {engine}"])
    return "\n".join(out) + "\n"


COLORS = {"mandatory": "#b2182b", "open": "#fddbc7", "on_application": "#ef8a62", "voluntary": "#67a9cf",
          "none": "#999999", "undetermined": "#f7f7f7"}
LABELS = {
    "de": {"mandatory": "Pflicht", "open": "offen (zwei Lesarten)", "on_application": "auf Antrag", "voluntary": "freiwillig", "none": "keine Pflicht",
           "undetermined": "unentschieden"},
    "en": {"mandatory": "mandatory", "open": "open (two readings)", "on_application": "on application", "voluntary": "voluntary", "none": "no duty",
           "undetermined": "undetermined"},
}


def chart_svg(rows: list[Row] | Tally, regimes: list[str], lang: str, title: str) -> str:
    """Municipalities per obligation class, one stacked bar per regime."""
    s = summary(rows, regimes)
    labels = LABELS["en" if lang == "en" else "de"]
    n_max = max((sum(s[r].values()) for r in regimes), default=1) or 1
    bar_w, gap, left, top, height = 90, 40, 60, 60, 320
    width = left + len(regimes) * (bar_w + gap) + 200
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 80}" '
             f'font-family="sans-serif" font-size="13">',
             f'<text x="{left}" y="28" font-size="16" font-weight="bold">{_esc(title)}</text>',
             f'<line x1="{left - 5}" y1="{top + height}" x2="{left + len(regimes) * (bar_w + gap)}" y2="{top + height}" stroke="#333"/>']
    for i, rid in enumerate(regimes):
        x = left + i * (bar_w + gap)
        y: float = top + height
        for cls in OBLIGATIONS:
            n = s[rid].get(cls, 0)
            if not n:
                continue
            h = height * n / n_max
            y -= h
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" fill="{COLORS[cls]}" stroke="#333">'
                         f'<title>{_esc(rid)}: {labels[cls]} {n}</title></rect>')
            if h >= 16:
                parts.append(f'<text x="{x + bar_w / 2}" y="{y + h / 2 + 5:.1f}" text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + bar_w / 2}" y="{top + height + 20}" text-anchor="middle">{_esc(rid)}</text>')
    lx = left + len(regimes) * (bar_w + gap) + 10
    for k, cls in enumerate(c for c in OBLIGATIONS if any(s[r].get(c) for r in regimes)):
        parts.append(f'<rect x="{lx}" y="{top + k * 24}" width="16" height="16" fill="{COLORS[cls]}" stroke="#333"/>')
        parts.append(f'<text x="{lx + 24}" y="{top + k * 24 + 13}">{labels[cls]}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def chart_png(rows: list[Row] | Tally, regimes: list[str], lang: str, title: str, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError(None, "a PNG chart needs matplotlib: pip install 'optionsmodell[chart]' (or write .svg)",
                         file=str(path)) from None
    s = summary(rows, regimes)
    labels = LABELS["en" if lang == "en" else "de"]
    fig, ax = plt.subplots(figsize=(2 + 1.4 * len(regimes), 4.5))
    bottom = [0] * len(regimes)
    for cls in OBLIGATIONS:
        values = [s[r].get(cls, 0) for r in regimes]
        if not any(values):
            continue
        bars = ax.bar(regimes, values, bottom=bottom, color=COLORS[cls], edgecolor="#333", label=labels[cls])
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], label_type="center")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title)
    ax.set_ylabel("Gemeinden" if lang != "en" else "municipalities")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
