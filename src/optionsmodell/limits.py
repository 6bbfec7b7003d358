"""Bounds on what one run may be asked to do, so that every input costs little time and memory
and a hostile or mistaken file is refused with a message instead of exhausting the machine.

Each bound lies far beyond any real case: a municipality has one or two integration bodies, an
Integrationsrat election a few dozen lists and single candidates. (The bounds of an election are
in ``election``, those of a rule's condition in ``expressions``, those of a YAML file in
``safe_yaml``.)
"""

from __future__ import annotations

from typing import Any

from .safe_yaml import InputError, LoadedYaml

MAX_BODIES = 100  # per configuration, and per municipality of a batch's bodies file
MAX_OUTPUT_BYTES = 64 * 1024 * 1024  # one run's report
# a batch table: the largest Land has about 2,300 municipalities (NRW 396); the work grows linearly
# with the rows, and this many take a few seconds. A table of all Germany is split by Land.
MAX_TABLE_ROWS = 5_000
# the bodies judged in one batch, over all rows (NRW's 396 municipalities with five bodies each)
MAX_BATCH_BODIES = 2_000
# a batch's bodies file is YAML like a configuration, read at the same speed: the same bound
BODIES_MAX_BYTES = 1024 * 1024


def check_bodies(loaded: LoadedYaml, bodies: Any, path: tuple[str | int, ...] = ("bodies",)) -> None:
    """Refuse more than MAX_BODIES bodies before anything validates or judges them."""
    if isinstance(bodies, list) and len(bodies) > MAX_BODIES:
        raise InputError(
            loaded.locate((*path, MAX_BODIES)),
            f"{len(bodies)} bodies; at most {MAX_BODIES} are accepted in one file",
            file=loaded.file,
        )
