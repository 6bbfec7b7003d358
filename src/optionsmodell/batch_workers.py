"""A batch with a bodies file on several cores: each worker process reads its own part of the file and
judges the municipalities whose bodies are in that part, then writes their rows.

When the parent read the bodies, sent each chunk's bodies to a worker and got the rows back, a third
of a Germany-sized batch stayed serial or went into transfers: two workers did 1.36–1.50× the rows of
one (docs/performance.md). Here the parent only cuts the file's text at entries (``batch.cut_bodies``; each worker checks
that its own piece is of the plain shape), starts the workers, and puts their rows in table order.

What a user sees is what one process gives, byte for byte:

- where the file is not of the plain shape (``batch.plain_head``: anchors and aliases included), or
  the pieces do not read as the whole file does (``batch.read_piece``, ``batch.pieces_agree``: an
  error in one, a Gemeindeschlüssel in two, more values than the whole file may build), the file is
  read whole before anything is judged, so that an error names the same line as with one process;
- the bound on the bodies judged in one run (``batch.check_total``) is applied to the counts of all
  parts before any worker judges;
- rows come in the table's order, whichever worker judged them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from . import batch as b
from .engine import EngineError

Piece = tuple[int, str]  # as batch.cut_bodies gives it: the index of its first line in the file, its text


class Judged:
    """What a batch gives: its rows in table order (unless only their JSON is wanted), each
    municipality's rows as JSON (if asked for), and their Tally."""

    __slots__ = ("rendered", "rows", "tally")

    def __init__(self, rows: list[b.Row] | None, rendered: list[str] | None, tally: b.Tally) -> None:
        self.rows = rows
        self.rendered = rendered
        self.tally = tally


def judge_file(path: Path, text: str, munis: list[b.Municipality], regimes: list[str], day: dt.date, jobs: int,
               progress: Callable[[int], None] | None = None, memo: bool = False, engine: str | None = None,
               strict: bool = False, json_rows: bool = False, rows: bool = True) -> Judged:
    """Every row of ``munis`` judged with its bodies from the file ``path`` (read as ``text``), on
    ``jobs`` processes; ``json_rows``: written as JSON too; ``rows``: the rows themselves wanted (with
    JSON alone, workers send only its text and their Tally: rebuilding 64,800 rows in the parent took
    a tenth of a second while the workers were judging). Raises InputError for a problem in the file
    or too many bodies, before any row is judged."""
    worth_it = jobs > 1 and len(text) >= b.SPLIT_FROM and len(munis) * len(regimes) >= b.PARALLEL_FROM
    head = b.plain_head(text) if worth_it else None
    pieces = b.cut_bodies(text, head, jobs) if head is not None else []
    if len(pieces) > 1 and head is not None:
        judged = _Workers(path, text, pieces, head[2], munis, regimes, day,
                          (memo, engine, strict, json_rows, rows or not json_rows)).run(progress)
        if judged is not None:
            return judged
        jobs = 1  # a part could not be read alone: read whole, as one process reads it
    bodies = b.bodies_from_text(text, path, jobs)
    b.check_work(munis, bodies, path)
    all_rows = b.run(munis, regimes, bodies, day, jobs, progress=progress, memo=memo, engine=engine, strict=strict)
    return Judged(all_rows, None, b.Tally.of(all_rows))


class _Workers:
    """One process per piece, talking with the parent over a pipe: it reads its piece and says how many
    bodies each of its municipalities has; it is told which rows of the table to judge (or is ended),
    and sends their rows as it judges them, fifty municipalities at a time."""

    def __init__(self, path: Path, text: str, pieces: list[Piece], indent: int, munis: list[b.Municipality],
                 regimes: list[str], day: dt.date, options: tuple[bool, str | None, bool, bool, bool]) -> None:
        self.path, self.text, self.pieces, self.indent, self.munis = path, text, pieces, indent, munis
        self.regimes, self.day, self.options = regimes, day, options

    def run(self, progress: Callable[[int], None] | None) -> Judged | None:
        context = _context()
        processes, pipes = [], []
        try:
            with _interrupts_held():
                for line, text in self.pieces:
                    mine, theirs = context.Pipe()
                    p = context.Process(target=_work, daemon=True,
                                        args=(theirs, str(self.path), line, text, self.indent, b._SCALE[0],
                                              self.munis, self.regimes, self.day, self.options))
                    p.start()
                    theirs.close()
                    processes.append(p)
                    pipes.append(mine)
            read: list[tuple[dict[str, int], int]] = []  # per piece: bodies per AGS, values built
            for pipe in pipes:
                part = self._receive(pipe, "read")
                if part is None:
                    return None
                read.append(part)
            if not b.pieces_agree(self.text, read):
                return None
            counts = [part for part, _ in read]
            where = {ags: n for n, part in enumerate(counts) for ags in part}
            shares = _shares(self.munis, where, len(pipes))
            b.check_total(sum(counts[where[m.ags]][m.ags] for m in self.munis if m.ags in where), self.path)
            for pipe, share in zip(pipes, shares, strict=True):
                pipe.send(("judge", share))
            return self._collect(pipes, shares, progress)
        finally:
            with _interrupts_held():
                for pipe in pipes:
                    pipe.close()
                for p in processes:
                    if p.is_alive():
                        p.terminate()
                    p.join()

    def _collect(self, pipes: list[Connection], shares: list[list[int]],
                 progress: Callable[[int], None] | None) -> Judged:
        # rows come in with each chunk's progress, and are put in place while the workers go on
        width = len(self.regimes)
        _, _, _, json_rows, want_rows = self.options
        rows: list[Any] = [None] * (len(self.munis) * width) if want_rows else []
        rendered: list[str] = [""] * len(self.munis) if json_rows else []
        obligations: Counter[tuple[str, str]] = Counter()
        verdicts: Counter[tuple[str, str | None]] = Counter()
        first: dict[tuple[str, str | None], int] = {}  # the table index of each verdict's first row
        make = b.Row._make
        waiting = {pipe: (share, [0]) for pipe, share in zip(pipes, shares, strict=True)}
        while waiting:
            for pipe in wait(list(waiting)):
                assert isinstance(pipe, Connection)
                kind, payload = self._message(pipe)
                share, done = waiting[pipe]
                if kind == "done" and done[0] == len(share):
                    del waiting[pipe]
                    continue
                if kind != "rows":
                    raise EngineError(f"a worker process sent {kind!r} while judging")
                judged, tuples, texts, (counted, seen, firsts) = payload
                chunk = share[done[0]:done[0] + judged]
                for k, i in enumerate(chunk):
                    if want_rows:
                        rows[i * width:(i + 1) * width] = map(make, tuples[k * width:(k + 1) * width])
                    if json_rows:
                        rendered[i] = texts[k]
                obligations.update(counted)
                verdicts.update(seen)
                for key, at in firsts.items():
                    first[key] = min(at, first.get(key, at))
                done[0] += len(chunk)
                if progress:
                    progress(len(chunk))
        in_order = Counter({key: verdicts[key] for key in sorted(verdicts, key=first.__getitem__)})
        return Judged(rows if want_rows else None, rendered if json_rows else None, b.Tally(obligations, in_order))

    def _receive(self, pipe: Connection, expected: str) -> Any:
        kind, payload = self._message(pipe)
        if kind == "unread":
            return None
        if kind != expected:
            raise EngineError(f"a worker process sent {kind!r} instead of {expected!r}")
        return payload

    @staticmethod
    def _message(pipe: Connection) -> tuple[str, Any]:
        try:
            kind, payload = pipe.recv()
        except EOFError:
            raise EngineError("a worker process of the batch ended without an answer (killed, or out of memory?)") from None
        if kind == "error":
            raise payload
        return kind, payload


def _shares(munis: list[b.Municipality], where: dict[str, int], workers: int) -> list[list[int]]:
    """Which worker judges which municipality (by index in the table): the one that read its bodies;
    those without bodies in the file go to the workers with least to do. (A table of a few
    municipalities whose bodies are all in one part is judged by one worker: correct, not faster.)"""
    shares: list[list[int]] = [[] for _ in range(workers)]
    loose: list[int] = []
    for i, m in enumerate(munis):
        n = where.get(m.ags or "")
        (loose if n is None else shares[n]).append(i)
    for i in loose:
        min(shares, key=len).append(i)
    return shares


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back (not lost) while workers are started or ended: one that came between a fork
    and the worker's own handler printed a traceback from the new process, and one in the middle of
    starting a worker could leave it running, unknown to the parent, holding the output open."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _context() -> Any:
    # fork where there is one: a worker then starts with the packs already read and the table and
    # its piece in its memory, none of it pickled (the parent holds no threads of its own here but
    # a progress bar's, which the child does not need)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _work(pipe: Connection, file: str, line: int, text: str, indent: int, scale: int,
          munis: list[b.Municipality], regimes: list[str], day: dt.date,
          options: tuple[bool, str | None, bool, bool, bool]) -> None:
    # the parent ends the workers on Ctrl-C; a worker's own KeyboardInterrupt would only print its
    # traceback. It was started with Ctrl-C held back (_interrupts_held): ignored from here on, a Ctrl-C
    # that came meanwhile is dropped
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    memo, engine, strict, json_rows, want_rows = options
    try:
        read = b.read_piece(file, line, text, indent, scale)
        if read is None:
            pipe.send(("unread", None))
            return
        bodies, nodes = read
        pipe.send(("read", ({ags: len(of) for ags, of in bodies.items()}, nodes)))
        order, share = pipe.recv()
        if order != "judge":
            return
        width = len(regimes)
        for at in range(0, len(share), 50):
            indices = share[at:at + 50]
            rows = b.judge_rows([munis[i] for i in indices], regimes, bodies, day, memo=memo, engine=engine, strict=strict)
            texts = [",\n".join(map(b.row_json, rows[k:k + width])) for k in range(0, len(rows), width)] if json_rows else []
            tally = b.Tally.of(rows)
            firsts: dict[tuple[str, str | None], int] = {}
            for k, r in enumerate(rows):
                key = (r.regime, r.verdict)
                firsts[key] = min(indices[k // width], firsts.get(key, indices[k // width]))
            pipe.send(("rows", (len(indices), [tuple(r) for r in rows] if want_rows else None, texts,
                                (tally.obligations, tally.verdicts, firsts))))
        pipe.send(("done", None))
    except (EOFError, BrokenPipeError):
        pass  # the parent has gone or stopped listening: nothing to tell
    except Exception as e:  # sent to the parent, which raises it as one process would have
        try:
            pipe.send(("error", e))
        except Exception:
            pipe.send(("error", EngineError(f"{type(e).__name__}: {e}")))
    finally:
        pipe.close()
