"""Where the bundled law lives: the rule packs and the NRW table ship inside the package.

Found beside this module, so a wheel, an sdist, an editable install and pipx all find them from any
working directory, without an environment variable.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).parent


def _package_dir(name: str) -> Path:
    # pip and pipx install packages as plain files (a zipped install is not supported), so the
    # package's folder is the module's; importlib.resources cost a single check start-up time
    return _PACKAGE / name


def bundled_rules() -> Path:
    """The folder of the bundled rule packs (one folder per regime)."""
    return _package_dir("rules")


def bundled_data() -> Path:
    """The folder of the bundled data (the NRW municipalities table and its provenance)."""
    return _package_dir("data")
