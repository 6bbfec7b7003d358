"""The bundled rule packs as read and checked, kept between runs as Python keeps byte code.

Reading a pack's YAML, validating it and parsing its conditions was the largest part of a single
check's start-up after the imports (issue 10). Only the packs that ship with the tool are kept: a
user's own packs (``--rules``, OPTIONSMODELL_RULES) are read every time, since they are edited.
Every file kept is keyed by the size and modification time of every bundled pack file and of the
modules that shape a pack, as Python's own ``.pyc`` files are, so an edited pack or a new version is
read afresh. A cache that is not the user's own, is writable by others, or cannot be read is
ignored, and only the classes of a pack are accepted from it.

``OPTIONSMODELL_CACHE=off`` turns it off; ``OPTIONSMODELL_CACHE=DIR`` keeps it in DIR; by default it is
``$XDG_CACHE_HOME/optionsmodell`` (``~/.cache/optionsmodell``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

ENV = "OPTIONSMODELL_CACHE"
_OFF = frozenset({"0", "off", "no", "false", "none"})
# the modules whose code decides what a loaded pack is
_CODE = ("packs.py", "expressions.py", "facts.py", "bounds.py", "configuration.py", "safe_yaml.py", "packcache.py")
_ALLOWED = frozenset({("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"),
                      ("pathlib", "PureWindowsPath"), ("datetime", "date"), ("datetime", "datetime"),
                      ("copyreg", "_reconstructor"), ("builtins", "set"), ("builtins", "frozenset"),
                      ("builtins", "object")})
_FOLDERS: dict[Path, Path | None] = {}  # bundled root -> its cache folder, once per process


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("optionsmodell.") or (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a rule pack")


def _base() -> Path | None:
    setting = os.environ.get(ENV, "").strip()
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        return (Path(xdg) if xdg else Path.home() / ".cache") / "optionsmodell"
    except RuntimeError:  # no home folder
        return None


def _stamp(root: Path) -> str | None:
    """The bundled packs and the code that reads them, as they are now."""
    h = hashlib.blake2b(digest_size=10)
    h.update(f"{sys.version}|{pickle.HIGHEST_PROTOCOL}|{root}".encode())
    here = Path(__file__).parent
    try:
        for name in _CODE:
            st = os.stat(here / name)
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns};".encode())
        for pack in sorted(os.scandir(root), key=lambda e: e.name):
            if pack.is_dir():
                for f in sorted(os.scandir(pack.path), key=lambda e: e.name):
                    if f.name.endswith(".yaml") and f.is_file():
                        st = f.stat()
                        h.update(f"{pack.name}/{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    except OSError:
        return None
    return h.hexdigest()


def _folder(root: Path) -> Path | None:
    if root not in _FOLDERS:
        base, stamp = _base(), _stamp(root)
        # one folder per installation (its packs' folder) and state: two installations side by side
        # keep their own, and a new state of one replaces only that installation's earlier one
        _FOLDERS[root] = None if base is None or stamp is None else base / f"packs-{_install(root)}-{stamp}"
    return _FOLDERS[root]


def _install(root: Path) -> str:
    return hashlib.blake2b(str(root).encode(), digest_size=4).hexdigest()


def _own(path: Path) -> bool:
    """The user's own, and nobody else may write to it."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    return (getuid is None or st.st_uid == getuid()) and not st.st_mode & 0o022


def _name(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=10).hexdigest() + ".pickle"


def load(root: Path, key: str) -> Any | None:
    """What was kept under ``key`` for the bundled packs under ``root``, or None."""
    folder = _folder(root)
    if folder is None:
        return None
    path = folder / _name(key)
    if not (_own(folder.parent) and _own(folder) and _own(path)):
        return None
    try:
        with open(path, "rb") as f:
            return _Unpickler(f).load()
    except Exception:  # damaged, cut short or foreign: the packs are read again
        return None


def store(root: Path, key: str, value: Any) -> None:
    """Keep ``value``; any failure (read-only home, full disk) only means it is read again next time."""
    folder = _folder(root)
    if folder is None:
        return
    tmp: str | None = None
    try:
        fresh = not folder.exists()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not (_own(folder.parent) and _own(folder)):
            return
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / _name(key))  # whole or not at all, also beside a concurrent run
        tmp = None
        if fresh:
            _prune(folder)
    except Exception:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(keep: Path) -> None:
    """Packs this installation kept for an earlier state of its packs or code are not read again."""
    import shutil

    prefix = keep.name.rsplit("-", 1)[0]
    for other in keep.parent.glob(f"{prefix}-*"):
        if other != keep and other.is_dir() and _own(other):
            shutil.rmtree(other, ignore_errors=True)
