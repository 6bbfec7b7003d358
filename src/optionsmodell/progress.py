"""A progress bar for long work (sweeps, witness searches, batches, consistency, pack tests), drawn by
rich (typer's own dependency) on stderr, and only when stderr is a terminal: a pipe, a file or a
test's captured output never gets a single byte of it, so JSON and CSV on stdout stay clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

Advance = Callable[[int], None]
T = TypeVar("T")


def on_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr is no terminal
        return False


@contextmanager
def bar(label: str, total: int | None, *, worth_it: bool = True) -> Iterator[Advance | None]:
    """Yields ``advance(n)`` while a bar is drawn, or None when none is drawn (not a terminal, or the
    work too small to be worth one). ``total`` None draws a bar without an end: work whose size is not
    known beforehand still shows that it runs and for how long."""
    if not worth_it or not on_terminal():
        yield None
        return
    # imported here, not at the top: rich costs start-up time every other command would pay
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn()] if total else [TextColumn("{task.description}"), BarColumn(),
                                                                          TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total or None)

        def advance(n: int) -> None:
            progress.advance(task, n)

        _LIVE.append(progress)
        try:
            yield advance
        finally:
            _LIVE.remove(progress)


_LIVE: list[object] = []  # the bar being drawn, if any


def above_bar(text: str) -> bool:
    """Write a line of stderr above a bar being drawn (never into it); False when no bar is drawn."""
    if not _LIVE:
        return False
    from rich.progress import Progress

    live = _LIVE[-1]
    assert isinstance(live, Progress)
    live.console.print(text, markup=False, highlight=False, soft_wrap=True)
    return True


def ticking(items: Sequence[T], label: str, *, at_least: int = 10) -> Iterator[T]:
    """The items one by one, with a bar while they are worked on (many files checked or compared)."""
    with bar(label, len(items), worth_it=len(items) >= at_least) as advance:
        for item in items:
            yield item
            if advance is not None:
                advance(1)
