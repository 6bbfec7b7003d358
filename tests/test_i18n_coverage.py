"""No message can silently stay English in a German run (issue 9 point 6).

The source is walked (ast) for every message given to a user-error type or written to the user as an
error, warning or note; each is rendered with sample values and must come out German through the one
translation table (optionsmodell/i18n.py). A message added later without its German entry fails here,
naming its file and line.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import optionsmodell
from optionsmodell.i18n import known

SRC = Path(optionsmodell.__file__).parent

# callable name -> index of the positional argument that is the message
MESSAGE_ARG = {
    "InputError": 1,      # a user's file or option is wrong
    "ApiError": 1,        # the web API's answer to a bad request
    "ExpressionError": 0,  # a rule's condition, reported by `lint` and for a user's own packs
    "CompileError": 0,
    "EngineUnavailable": 0,
    "problem": 1,         # a pack's problem (packs.py), reported by `lint`
    "_err": 0,            # the command line's error:, warning: and note: lines, and its summaries
}
# functions whose returned text is a message shown after a value's path ("bodies[0].kind: …")
MESSAGE_RETURNS = {("configuration.py", "_expected"), ("configuration.py", "_message")}
_RETURNS: dict[str, list[list[str | None]]] = {}  # their shapes, where another message calls them
# validators of the file formats: pydantic shows their ValueError after the value's path
VALIDATING_MODULES = {"configuration.py", "election.py", "packs.py"}
# what stays as it is in every language: file names, ids, numbers, and lines made only of them
SAMPLES = ("x", "1")


@dataclass
class Template:
    where: str
    parts: list[str | None]  # literal text, or None where a value is filled in

    def renderings(self) -> Iterator[str]:
        holes = sum(p is None for p in self.parts)
        for values in itertools.product(SAMPLES, repeat=min(holes, 4)):
            filled = list(values) + [values[-1] if values else "x"] * (holes - len(values))
            it = iter(filled)
            yield "".join(p if p is not None else next(it) for p in self.parts)

    @property
    def words(self) -> str:
        return "".join(p for p in self.parts if p is not None)


def _parts(node: ast.expr, scope: ast.AST) -> list[list[str | None]]:
    """The shapes a message expression can take (each a list of literal parts and holes)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [[node.value]]
    if isinstance(node, ast.JoinedStr):
        shapes: list[list[str | None]] = [[]]
        for v in node.values:
            if isinstance(v, ast.Constant):
                options: list[list[str | None]] = [[str(v.value)]]
            elif isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name) and v.conversion == -1:
                # {more}, {hint}: a part of the message built beforehand, each of its shapes
                options = _parts(v.value, scope)
            elif isinstance(v, ast.FormattedValue) and v.conversion == ord("r"):
                options = [["'", None, "'"]]  # {value!r}: a value in quotes
            else:
                options = [[None]]
            shapes = [s + o for s in shapes for o in options]
        return shapes
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _parts(node.left, scope) for b in _parts(node.right, scope)]
    if isinstance(node, ast.IfExp):
        return _parts(node.body, scope) + _parts(node.orelse, scope)
    if isinstance(node, ast.Name):
        # a message built beforehand in the same function: every value assigned to the name
        found = [a.value for a in ast.walk(scope) if isinstance(a, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
        shapes = [s for v in found for s in _parts(v, scope)]
        return shapes or [[None]]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _RETURNS:
        return _RETURNS[node.func.id]
    return [[None]]  # computed elsewhere (a forwarded message): checked where it is made


def templates() -> Iterator[tuple[str, Template]]:
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        _RETURNS.clear()
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and (path.name, fn.name) in MESSAGE_RETURNS:
                _RETURNS[fn.name] = [p for r in ast.walk(fn) if isinstance(r, ast.Return) and r.value is not None
                                     for p in _parts(r.value, fn)]
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            for call in ast.walk(fn):
                if not isinstance(call, ast.Call):
                    continue
                name = call.func.id if isinstance(call.func, ast.Name) else \
                    call.func.attr if isinstance(call.func, ast.Attribute) else None
                if name == "ValueError" and path.name in VALIDATING_MODULES and call.args:
                    for parts in _parts(call.args[0], fn):
                        yield name, Template(f"{path.relative_to(SRC)}:{call.lineno}", [None, ": ", *parts])
                if name not in MESSAGE_ARG or len(call.args) <= MESSAGE_ARG[name]:
                    continue
                for parts in _parts(call.args[MESSAGE_ARG[name]], fn):
                    yield name, Template(f"{path.relative_to(SRC)}:{call.lineno}", parts)
            if isinstance(fn, ast.FunctionDef) and (path.name, fn.name) in MESSAGE_RETURNS:
                for ret in ast.walk(fn):
                    if isinstance(ret, ast.Return) and ret.value is not None:
                        for parts in _parts(ret.value, fn):
                            yield fn.name, Template(f"{path.relative_to(SRC)}:{ret.lineno}", [None, ": ", *parts])


def _german(kind: str, t: Template) -> bool:
    for text in t.renderings():
        if kind == "_err":
            head, _, rest = text.partition(": ")
            if head in ("error", "warning", "note"):
                text = rest
            _, _, after = text.partition(": ")
            if known(text) or (after and known(after)):
                return True
        elif known(text):
            return True
    return False


def untranslated() -> list[str]:
    seen: set[tuple[str, str]] = set()
    missing = []
    for kind, t in templates():
        if not any(c.isalpha() for c in t.words.replace("error: ", "").replace("warning: ", "")):
            continue  # only values and punctuation: the message it forwards is checked where it is made
        if (t.where, t.words) in seen:
            continue
        seen.add((t.where, t.words))
        if not _german(kind, t):
            missing.append(f"{t.where}: {next(t.renderings())}")
    return missing


def test_the_walk_finds_the_messages() -> None:
    found = [t.words for _, t in templates()]
    assert len(found) > 150
    assert any("is not a two-letter Land code" in w for w in found)  # built beforehand, then raised


def test_every_message_has_its_german() -> None:
    missing = untranslated()
    assert not missing, "add these to i18n._DE (English template → German):\n" + "\n".join(missing)


def test_every_english_line_the_cli_echoes_has_its_german_branch() -> None:
    """Text the command line writes itself (typer.echo) is written beside its German: an English word in
    a literal must stand under an `if` on the language (messages of errors go through the table above).
    A line added later in English only fails here."""
    from .test_one_language import ENGLISH

    tree = ast.parse((SRC / "cli.py").read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def under_language_test(node: ast.AST) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.If | ast.IfExp) and re.search(r"\blang\b|\bL\b|\bde\b|Lang\.", ast.unparse(node.test)):
                return True
        return False

    english = [f"cli.py:{lit.lineno}: {lit.value!r}" for call in ast.walk(tree)
               if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "echo"
               for lit in ast.walk(call)
               if isinstance(lit, ast.Constant) and isinstance(lit.value, str) and ENGLISH.search(lit.value)
               and not under_language_test(lit)]
    assert not english, "English without its German:\n" + "\n".join(english)
