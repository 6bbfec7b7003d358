"""What the page offers without reading a file a request names: the bundled scenarios and elections,
the blank template and the page's own assets, all read once when the app is made and served from
memory by name."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..safe_yaml import InputError, load_text

STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".yaml": "text/plain; charset=utf-8",
    ".png": "image/png",
}


@dataclass(frozen=True)
class Scenario:
    id: str
    kind: str  # configuration | election
    title: str  # the first comment line, or the file name
    text: str
    data: Any = None  # an election's values, for the page's form (JSON types only)


def scenarios_root() -> Path | None:
    """The scenarios folder: $OPTIONSMODELL_SCENARIOS, one shipped in the package, or the project's."""
    env = os.environ.get("OPTIONSMODELL_SCENARIOS")
    if env:
        return Path(env)
    # in the wheel a copy; in the source tree a link to the project's scenarios/
    shipped = Path(str(resources.files("optionsmodell.web"))) / "scenarios"
    if shipped.is_dir():
        return shipped
    for parent in Path(__file__).resolve().parents:
        if (parent / "scenarios").is_dir() and (parent / "pyproject.toml").is_file():
            return parent / "scenarios"
    return None


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("# ").strip()
            title = re.sub(r"^Named edge case:\s*", "", title)
            return title[:140]
        if line.strip():
            break
    return fallback


def load_scenarios(root: Path | None = None) -> dict[str, Scenario]:
    root = root if root is not None else scenarios_root()
    out: dict[str, Scenario] = {}
    if root is None or not root.is_dir():
        return out
    for kind, folder in (("configuration", root), ("election", root / "elections")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if path.stat().st_size > 1024 * 1024:
                continue
            text = path.read_text(encoding="utf-8")
            sid = path.stem if kind == "configuration" else f"elections/{path.stem}"
            data = None
            if kind == "election":
                try:
                    data = json.loads(json.dumps(load_text(text, str(path)).data, default=str))
                except InputError:
                    continue
            out[sid] = Scenario(id=sid, kind=kind, title=_title(text, path.stem), text=text, data=data)
    return out


def load_static() -> dict[str, tuple[bytes, str]]:
    """Every asset of web/static by its name."""
    out: dict[str, tuple[bytes, str]] = {}
    base = resources.files("optionsmodell.web") / "static"

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            else:
                suffix = "." + child.name.rsplit(".", 1)[-1] if "." in child.name else ""
                out[name] = (child.read_bytes(), STATIC_TYPES.get(suffix, "application/octet-stream"))

    walk(base, "")
    return out
