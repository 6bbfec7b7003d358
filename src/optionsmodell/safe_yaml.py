"""Safe loading of untrusted YAML, keeping the line and column of every value.

Configurations and rule packs are written by hand and may come from anyone, so loading is
safe-only, size-limited and alias-limited, and every value remembers where it stood so that an
error or a finding can point at the line a user has to change.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from .record import MutableRecord, Record, init

MAX_BYTES = 1024 * 1024
# Aliases let a few lines expand into billions of nodes ("billion laughs"); a configuration
# has a few hundred values, so a generous cap costs honest users nothing.
MAX_NODES = 50_000

# libyaml's parser where PyYAML was built with it: the same safe constructors, several times faster.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type, misc]
    """The safe loader, remembering the tag it resolved for each plain scalar: the resolver's
    regular expressions ran for every one of the hundreds of thousands of values of a large bodies
    file, most of them repeated ("integrationsrat", true, 5). The tag of a scalar depends only on
    its text and how it was quoted (the safe loader has no path resolvers), so this is exact; the
    memo lives as long as one file's loading."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            if self.yaml_path_resolvers:
                return str(super().resolve(kind, value, implicit))
            return self.DEFAULT_MAPPING_TAG if kind is yaml.MappingNode else self.DEFAULT_SEQUENCE_TAG  # type: ignore[no-any-return]
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = str(super().resolve(kind, value, implicit))
        return tag


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
Path_ = tuple[str | int, ...]


class Location(Record):
    __slots__ = ("column", "file", "line")
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __init__(self, file: str, line: int, column: int) -> None:
        init(self, "file", file)
        init(self, "line", line)
        init(self, "column", column)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def dotted(path: Path_) -> str:
    """A value's path as a user writes it: bodies[0].seats.council_members."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


class InputError(Exception):
    """A user's file is wrong: says where and what was expected. Never a traceback.

    ``more`` holds the file's further problems, so that a clerk fixes them all in one run."""

    def __init__(self, location: Location | None, message: str, file: str | None = None,
                 more: list[InputError] | None = None) -> None:
        self.location = location
        self.message = message
        self.file = file or (location.file if location else "<input>")
        self.more = list(more or [])
        super().__init__(self.render())

    def render_one(self) -> str:
        where = str(self.location) if self.location else self.file
        return f"{where}: {self.message}"

    def all(self) -> list[InputError]:
        """This problem and the file's further ones, each on its own."""
        if not self.more:
            return [self]
        return [InputError(self.location, self.message, self.file), *self.more]

    def render(self) -> str:
        return "\n".join([self.render_one(), *(e.render_one() for e in self.more)])


class Positions(MutableRecord):
    """Where each value of a loaded file stands, by its path in the data."""

    __slots__ = ("aliases", "end_locations", "key_locations", "locations", "scalars")
    locations: dict[Path_, Location]
    key_locations: dict[Path_, Location]
    end_locations: dict[Path_, Location]
    # a scalar's text as written (7.300 is read as the float 7.3; the message quotes what was typed)
    scalars: dict[Path_, str]
    # a path reached through an alias (``*f``) -> the path of its anchor (``&f``); an editor that
    # writes at one must not silently change the other
    aliases: dict[Path_, Path_]

    def __init__(self, locations: dict[Path_, Location] | None = None,
                 key_locations: dict[Path_, Location] | None = None,
                 end_locations: dict[Path_, Location] | None = None, scalars: dict[Path_, str] | None = None,
                 aliases: dict[Path_, Path_] | None = None) -> None:
        self.locations = {} if locations is None else locations
        self.key_locations = {} if key_locations is None else key_locations
        self.end_locations = {} if end_locations is None else end_locations
        self.scalars = {} if scalars is None else scalars
        self.aliases = {} if aliases is None else aliases


class LoadedYaml(MutableRecord):
    __slots__ = ("_positions", "data", "file", "max_items", "node", "nodes", "text")
    data: Any
    file: str
    text: str  # the source, for what only its comments carry (an imported file's bylaw sentences)
    max_items: dict[Path_, int]
    # the composed document: the positions are read from it when first asked for. A bodies file of
    # every German municipality has hundreds of thousands of values, and a batch needs the
    # position of one of them only to report an error.
    node: yaml.Node | None
    nodes: int  # the values built, aliases expanded: what the bound on values (max_nodes) counted
    _positions: Positions | None

    def __init__(self, data: Any, file: str, text: str = "", max_items: dict[Path_, int] | None = None,
                 node: yaml.Node | None = None, nodes: int = 0, _positions: Positions | None = None) -> None:
        self.data, self.file, self.text = data, file, text
        self.max_items = {} if max_items is None else max_items
        self.node, self.nodes, self._positions = node, nodes, _positions

    def positions(self) -> Positions:
        if self._positions is None:
            self._positions = Positions()
            if self.node is not None:
                _index(self.node, (), self.file, self._positions, {})
            self.node = None
        return self._positions

    @property
    def locations(self) -> dict[Path_, Location]:
        return self.positions().locations

    @property
    def key_locations(self) -> dict[Path_, Location]:
        return self.positions().key_locations

    @property
    def end_locations(self) -> dict[Path_, Location]:
        return self.positions().end_locations

    @property
    def scalars(self) -> dict[Path_, str]:
        return self.positions().scalars

    @property
    def aliases(self) -> dict[Path_, Path_]:
        return self.positions().aliases

    def sharing(self, path: Path_) -> tuple[Path_, list[Path_]] | None:
        """Whether ``path`` or a value enclosing it is one YAML node written once and used at
        several places (an anchor and its aliases): the shared prefix and the other places."""
        for n in range(1, len(path) + 1):
            prefix = tuple(path[:n])
            anchor = self.aliases.get(prefix, prefix)
            users = [p for p, a in self.aliases.items() if a == anchor]
            if users:
                others = [q for q in [anchor, *users] if q != prefix]
                return prefix, others
        return None

    def locate(self, path: Path_) -> Location | None:
        """The location of a value, or of its nearest enclosing value that has one."""
        p = tuple(path)
        while True:
            if p in self.locations:
                return self.locations[p]
            if not p:
                return None
            p = p[:-1]


# A batch input (a table of municipalities, the bodies of every German municipality) is larger
# than one configuration: its own cap, and a node limit that grows with the file but stays far
# below what an alias bomb of that size would expand to.
BATCH_MAX_BYTES = 64 * 1024 * 1024
# Deeper than any honest file; a recursive anchor (&a [*a]) or 500 nested brackets stop here
# instead of in a RecursionError.
MAX_DEPTH = 64
# YAML's printable set (YAML 1.1 §5.1): anything else is refused with its line and column.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def printable(text: str) -> bool:
    """Whether ``text`` has only characters YAML accepts (``load_text`` refuses any other)."""
    return _NOT_PRINTABLE.search(text) is None


_KIND = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO (named pipe)",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """A user's file as text: only a regular file (a device such as /dev/zero, a FIFO or a folder
    is refused before reading), at most ``max_bytes`` (read, not trusted from the size), UTF-8."""
    name = str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None
    if not stat.S_ISREG(mode):
        what = _KIND.get(stat.S_IFMT(mode), "not a regular file")
        raise InputError(None, f"{what}, not a file; refused", file=name)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None
    if len(data) > max_bytes:
        raise InputError(None, f"file is larger than {_size(max_bytes)}; refused", file=name)
    return decode(data, name)


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (a byte-order mark is dropped); the first byte that is not UTF-8 is named by line and
    column, with the advice a clerk needs (Excel and old editors save Latin-1 / Windows-1252)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        prefix = data[: e.start].decode("utf-8")
        line, col = position(prefix + "x", len(prefix))
        raise InputError(Location(name, line, col),
                         f"not UTF-8 text (byte 0x{data[e.start]:02X}, e.g. an ä saved as Latin-1/Windows-1252); "
                         "save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is read. It ran over every YAML node and mark
    made so far, again and again while a large file was composed, and over the whole document
    while a batch validated it: two thirds of reading a bodies file of 3.8 MB. A document's nodes
    hold no cycles (a recursive alias is refused when built) and are freed when the data is built."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def _disposing(loader: Any) -> Iterator[None]:
    try:
        yield
    finally:
        loader.dispose()


def load_file(path: Path, max_bytes: int = MAX_BYTES, max_items: dict[Path_, int] | None = None) -> LoadedYaml:
    return load_text(read_text(path, max_bytes), str(path), max_bytes, max_items)


def load_text(text: str, file: str, max_bytes: int = MAX_BYTES, max_items: dict[Path_, int] | None = None) -> LoadedYaml:
    """``max_items``: the most items a list at a path may have (``{("bodies",): 100}``), refused
    before any of them is read, so that an oversized file costs little."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(None, f"input larger than {_size(max_bytes)} is refused", file=file)
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, col = position(text, bad.start())
        raise InputError(Location(file, line, col),
                         f"control character U+{ord(bad.group()):04X} is not allowed in YAML; remove it")
    max_nodes = max_values(size)
    loader = _Loader(text)
    with collector_paused(), _disposing(loader):
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            raise _syntax_error(e, text, file) from None
        except yaml.YAMLError as e:
            raise InputError(None, f"YAML error: {e}", file=file) from None
        except RecursionError:
            raise InputError(None, f"nested more than {MAX_DEPTH} levels deep; refused", file=file) from None
        result = LoadedYaml(None, file, text=text, max_items=max_items or {})
        if node is None:
            return result
        try:
            counter = [0, max_nodes]
            result.data = _build(loader, node, (), result, counter, 0)
            result.node, result.nodes = node, counter[0]
        except RecursionError:
            raise InputError(None, f"nested more than {MAX_DEPTH} levels deep; refused", file=file) from None
        return result


def max_values(size: int) -> int:
    """The most values a document of ``size`` bytes (UTF-8) may build: an honest file has far fewer
    values than bytes; aliases expand beyond that."""
    return max(MAX_NODES, size // 8)


def _syntax_error(e: yaml.MarkedYAMLError, text: str, file: str) -> InputError:
    mark = e.problem_mark or e.context_mark
    loc = Location(file, mark.line + 1, mark.column + 1) if mark else None
    problem = str(e.problem or e.context)
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in problem or "'\\t'" in problem or (mark and line_text[: mark.column + 1].lstrip(" ").startswith("\t")):
        return InputError(loc, "a tab: YAML does not allow tabs for indentation; indent with spaces")
    if "expected a single document" in problem or (e.context and "single document" in str(e.context)):
        return InputError(loc, "a second YAML document (after a `---` line); a file holds one document: "
                               "split it into one file each")
    return InputError(loc, f"YAML syntax error: {problem}")


def _loc(out: LoadedYaml, node: yaml.Node) -> Location:
    return Location(out.file, node.start_mark.line + 1, node.start_mark.column + 1)


_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp"))


def _construct(loader: Any, node: yaml.Node, out: LoadedYaml) -> Any:
    """A scalar through the safe constructors; any failure of a tag's constructor (`!!int x`,
    `!!bool maybe`, a malformed `!!timestamp`) is the user's error at that place."""
    try:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            value = node.value  # what the safe str constructor returns, without its bookkeeping
        elif node.tag in _SCALAR_TAGS and isinstance(node, yaml.ScalarNode):
            # the same safe constructor, called directly: a file of 1 MiB loads in half the time
            value = loader.yaml_constructors[node.tag](loader, node)
        else:
            value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as e:
        raise InputError(_loc(out, node), f"cannot read value: {e.problem}") from None
    except (ValueError, TypeError, AttributeError, OverflowError, IndexError, KeyError) as e:
        tag = f" as {node.tag.replace('tag:yaml.org,2002:', '!!')}" if node.tag != "tag:yaml.org,2002:str" else ""
        raise InputError(_loc(out, node), f"cannot read {str(node.value)[:40]!r}{tag}: {e}") from None
    if isinstance(value, bytes | bytearray):
        raise InputError(_loc(out, node), "binary values (!!binary) are not allowed")
    return value


def _build(loader: Any, node: yaml.Node, path: Path_, out: LoadedYaml, counter: list[int], depth: int) -> Any:
    """The data of a node, refusing what a user's file must not do (alias bombs, deep nesting,
    tags, merge keys, repeated keys) at the place where it stands."""
    counter[0] += 1
    if counter[0] > counter[1]:
        raise InputError(_loc(out, node), f"more than {counter[1]} values (alias expansion?); refused")
    if depth > MAX_DEPTH:
        raise InputError(_loc(out, node), f"nested more than {MAX_DEPTH} levels deep (a recursive alias?); refused")
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value  # what the safe str constructor returns (see _construct)
        return _construct(loader, node, out)
    if node.tag not in _PLAIN_TAGS:
        raise InputError(_loc(out, node), f"cannot read value: tag {node.tag} is not allowed")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError(_loc(out, key_node), "merge keys (<<) are not supported; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(_loc(out, key_node), "a key must be a plain name")
            key = _construct(loader, key_node, out)
            if not isinstance(key, str):  # 2020-01-01:, 05315000:, yes: are keys as written
                key = str(key_node.value)  # (a key that is a str is its text too: `_index` relies on it)
            if key in result:
                raise InputError(_loc(out, key_node), f"key '{key}' appears twice")
            result[key] = _build(loader, value_node, (*path, key), out, counter, depth + 1)
        return result
    cap = out.max_items.get(path)
    if cap is not None and len(node.value) > cap:
        raise InputError(_loc(out, node.value[cap]), f"{len(node.value)} {path[-1]}; at most {cap} are accepted in one file")
    return [_build(loader, item, (*path, i), out, counter, depth + 1) for i, item in enumerate(node.value)]


def _index(node: yaml.Node, path: Path_, file: str, out: Positions, seen: dict[int, Path_]) -> None:
    """The positions of a node and everything in it, at the paths of the data ``_build`` made of
    it (a key is always its text as written: see there)."""
    # the composer hands out the anchored node itself for every alias of it
    first = seen.setdefault(id(node), path)
    if first != path:
        out.aliases[path] = first
    out.locations[path] = Location(file, node.start_mark.line + 1, node.start_mark.column + 1)
    out.end_locations[path] = Location(file, node.end_mark.line + 1, node.end_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, str(key_node.value))
            out.key_locations[key_path] = Location(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _index(value_node, key_path, file, out, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), file, out, seen)
    else:
        out.scalars[path] = str(node.value)
