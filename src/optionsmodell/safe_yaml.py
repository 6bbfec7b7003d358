"""Safe loading of untrusted YAML, keeping the line and column of every value.

Configurations and rule packs are written by hand and may come from anyone, so loading is
safe-only, size-limited and alias-limited, and every value remembers where it stood so that an
error or a finding can point at the line a user has to change.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
# Aliases let a few lines expand into billions of nodes ("billion laughs"); a configuration
# has a few hundred values, so a generous cap costs honest users nothing.
MAX_NODES = 50_000

# libyaml's parser where PyYAML was built with it: the same safe constructors, several times faster.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def dotted(path: Path_) -> str:
    """A value's path as a user writes it: bodies[0].seats.council_members."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


class InputError(Exception):
    """A user's file is wrong: says where and what was expected. Never a traceback."""

    def __init__(self, location: Location | None, message: str, file: str | None = None) -> None:
        self.location = location
        self.message = message
        self.file = file or (location.file if location else "<input>")
        super().__init__(self.render())

    def render(self) -> str:
        where = str(self.location) if self.location else self.file
        return f"{where}: {self.message}"


@dataclass
class LoadedYaml:
    data: Any
    file: str
    locations: dict[Path_, Location] = field(default_factory=dict)
    key_locations: dict[Path_, Location] = field(default_factory=dict)
    end_locations: dict[Path_, Location] = field(default_factory=dict)
    text: str = ""  # the source, for what only its comments carry (an imported file's bylaw sentences)
    # a path reached through an alias (``*f``) -> the path of its anchor (``&f``); an editor that
    # writes at one must not silently change the other
    aliases: dict[Path_, Path_] = field(default_factory=dict)
    max_items: dict[Path_, int] = field(default_factory=dict, repr=False)

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
    # an honest file has far fewer values than bytes; aliases expand beyond that
    max_nodes = max(MAX_NODES, size // 8)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            raise _syntax_error(e, text, file) from None
        except yaml.YAMLError as e:
            raise InputError(None, f"YAML error: {e}", file=file) from None
        except RecursionError:
            raise InputError(None, f"nested more than {MAX_DEPTH} levels deep; refused", file=file) from None
        result = LoadedYaml(None, file, text=text)
        result.max_items = max_items or {}
        if node is None:
            return result
        try:
            result.data = _build(loader, node, (), result, [0, max_nodes], 0, {})
        except RecursionError:
            raise InputError(None, f"nested more than {MAX_DEPTH} levels deep; refused", file=file) from None
        return result
    finally:
        loader.dispose()


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


def _build(loader: Any, node: yaml.Node, path: Path_, out: LoadedYaml, counter: list[int], depth: int,
           seen: dict[int, Path_]) -> Any:
    counter[0] += 1
    if counter[0] > counter[1]:
        raise InputError(_loc(out, node), f"more than {counter[1]} values (alias expansion?); refused")
    if depth > MAX_DEPTH:
        raise InputError(_loc(out, node), f"nested more than {MAX_DEPTH} levels deep (a recursive alias?); refused")
    # the composer hands out the anchored node itself for every alias of it
    first = seen.setdefault(id(node), path)
    if first != path:
        out.aliases[path] = first
    out.locations[path] = Location(out.file, node.start_mark.line + 1, node.start_mark.column + 1)
    out.end_locations[path] = Location(out.file, node.end_mark.line + 1, node.end_mark.column + 1)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        loc = Location(out.file, node.start_mark.line + 1, node.start_mark.column + 1)
        raise InputError(loc, f"cannot read value: tag {node.tag} is not allowed")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                loc = Location(out.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise InputError(loc, "merge keys (<<) are not supported; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                loc = Location(out.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise InputError(loc, "a key must be a plain name")
            key = _construct(loader, key_node, out)
            if not isinstance(key, str):  # 2020-01-01:, 05315000:, yes: are keys as written
                key = str(key_node.value)
            if key in result:
                loc = Location(out.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise InputError(loc, f"key '{key}' appears twice")
            out.key_locations[(*path, key)] = Location(
                out.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1
            )
            result[key] = _build(loader, value_node, (*path, key), out, counter, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        cap = out.max_items.get(path)
        if cap is not None and len(node.value) > cap:
            raise InputError(_loc(out, node.value[cap]),
                             f"{len(node.value)} {path[-1]}; at most {cap} are accepted in one file")
        return [_build(loader, item, (*path, i), out, counter, depth + 1, seen) for i, item in enumerate(node.value)]
    return _construct(loader, node, out)
