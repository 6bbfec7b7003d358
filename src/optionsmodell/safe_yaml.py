"""Safe loading of untrusted YAML, keeping the line and column of every value.

Configurations and rule packs are written by hand and may come from anyone, so loading is
safe-only, size-limited and alias-limited, and every value remembers where it stood so that an
error or a finding can point at the line a user has to change.
"""

from __future__ import annotations

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

    def locate(self, path: Path_) -> Location | None:
        """The location of a value, or of its nearest enclosing value that has one."""
        p = tuple(path)
        while True:
            if p in self.locations:
                return self.locations[p]
            if not p:
                return None
            p = p[:-1]


def read_text(path: Path) -> str:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None
    if size > MAX_BYTES:
        raise InputError(
            None, f"file is {size} bytes; at most {MAX_BYTES} bytes (1 MiB) are accepted", file=name
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(None, f"not UTF-8 text (byte {e.start})", file=name) from None
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None


def load_file(path: Path) -> LoadedYaml:
    return load_text(read_text(path), str(path))


def load_text(text: str, file: str) -> LoadedYaml:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(None, "input larger than 1 MiB is refused", file=file)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            loc = Location(file, mark.line + 1, mark.column + 1) if mark else None
            raise InputError(loc, f"YAML syntax error: {e.problem or e.context}") from None
        except yaml.YAMLError as e:
            raise InputError(None, f"YAML error: {e}", file=file) from None
        result = LoadedYaml(None, file, text=text)
        if node is None:
            return result
        counter = [0]
        result.data = _build(loader, node, (), result, counter)
        return result
    finally:
        loader.dispose()


def _build(loader: Any, node: yaml.Node, path: Path_, out: LoadedYaml, counter: list[int]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        loc = Location(out.file, node.start_mark.line + 1, node.start_mark.column + 1)
        raise InputError(loc, f"more than {MAX_NODES} values (alias expansion?); refused")
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
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, bool | int | float) or key is None:
                key = str(key_node.value)
            if key in result:
                loc = Location(out.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise InputError(loc, f"key '{key}' appears twice")
            out.key_locations[(*path, key)] = Location(
                out.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1
            )
            result[key] = _build(loader, value_node, (*path, key), out, counter)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), out, counter) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as e:
        loc = Location(out.file, node.start_mark.line + 1, node.start_mark.column + 1)
        raise InputError(loc, f"cannot read value: {e.problem}") from None
    except ValueError as e:
        loc = Location(out.file, node.start_mark.line + 1, node.start_mark.column + 1)
        raise InputError(loc, f"cannot read value: {e}") from None
