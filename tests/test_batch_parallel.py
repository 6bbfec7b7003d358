"""`batch` with several worker processes writes exactly what one process writes, byte for byte
(issue 10: all cores scale the Germany batch); a large bodies file is read in parts by the workers,
and a problem in any part is reported at the same line as by one process."""

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis.strategies import SearchStrategy
from typer.testing import CliRunner

from optionsmodell import batch
from optionsmodell.cli import app

runner = CliRunner()
MUNICIPALITIES = 350  # × 6 NW regimes: above batch.PARALLEL_FROM, so that workers are used


@pytest.fixture
def germany(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A table of municipalities, each with its own bodies; the bodies file is read in parts."""
    monkeypatch.setattr(batch, "SPLIT_FROM", 1000)
    rng = random.Random(11)
    rows = [["ags", "municipality_name", "foreign_est_census22", "population_census22"]]
    bodies: dict[str, list[dict[str, object]]] = {}
    for i in range(MUNICIPALITIES):
        ags = f"{10000000 + i:08d}"
        rows.append([ags, f"Gemeinde {i} – Ä", str(rng.choice([0, 1999, 2000, 4999, 5000, 5001, 12000])), str(rng.randint(1000, 90000))])
        if i % 9:  # some municipalities have no bodies
            bodies[ags] = [{"kind": rng.choice(["integrationsrat", "integrationsausschuss"]),
                            "formed_by": rng.choice(["election", "council_resolution"]),
                            "seats": {"directly_elected": rng.randint(2, 30), "council_members": rng.randint(1, 15)},
                            "election": {"with_local_election": rng.random() < 0.7}}
                           for _ in range(rng.randint(1, 3))]
    table = tmp_path / "germany.csv"
    with table.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    bodies_file = tmp_path / "bodies.yaml"
    bodies_file.write_text("# bodies of every municipality\n" + yaml.safe_dump({"bodies": bodies}, sort_keys=False,
                                                                               allow_unicode=True))
    return table, bodies_file


def run(table: Path, bodies: Path, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["batch", str(table), "--bodies", str(bodies), "--as-of", "2021-06-01", *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_one_and_several_workers_write_the_same_bytes(germany: tuple[Path, Path], fmt: str, tmp_path: Path) -> None:
    table, bodies = germany
    text = bodies.read_text()
    head = batch.plain_head(text)
    assert head is not None and len(batch.cut_bodies(text, head, 2)) == 2  # the file is read in parts
    one = run(table, bodies, "--format", fmt, "--jobs", "1", "--chart", str(tmp_path / "one.svg"))
    assert one[0] == 0, one[2]
    assert run(table, bodies, "--format", fmt, "--jobs", "2", "--chart", str(tmp_path / "two.svg")) == one
    assert (tmp_path / "one.svg").read_text() == (tmp_path / "two.svg").read_text()
    if fmt == "json":
        doc = json.loads(one[1])
        assert len(doc["rows"]) == MUNICIPALITIES * 6 and doc["engine"] == "compiled"


def test_read_in_parts_equals_read_whole(germany: tuple[Path, Path]) -> None:
    _, bodies = germany
    whole = batch.read_bodies(bodies, 1)
    for jobs in (2, 3, 5):
        parts = batch.read_bodies(bodies, jobs)
        assert parts == whole and list(parts) == list(whole)


def test_the_json_writer_equals_json_dumps() -> None:
    rows = [batch.Row(ags=None if i % 4 == 0 else f"{i:08d}", name=f'Gemeinde "{i}" \\ Ä\t\u2028😀', regime=r,
                      foreign_residents=None if i % 3 == 0 else i * 1000, obligation=batch.OBLIGATIONS[i % 6],
                      verdict=None if i % 5 == 0 else "violations")
            for i in range(40) for r in ("nrw-2013", "nrw-2018")]
    for some in (rows, rows[:1], []):
        for engine in ("compiled", None):
            expected = json.dumps(batch.to_json(some, ["nrw-2013", "nrw-2018"], engine), indent=2, ensure_ascii=False)
            assert batch.to_json_text(some, ["nrw-2013", "nrw-2018"], engine) == expected


@pytest.mark.parametrize("damage", ["bad value", "repeated AGS", "alias across parts"])
def test_a_problem_in_a_part_is_reported_where_one_process_reports_it(germany: tuple[Path, Path], damage: str) -> None:
    table, bodies = germany
    lines = bodies.read_text().split("\n")
    late = max(i for i, line in enumerate(lines) if "directly_elected:" in line)
    if damage == "bad value":
        lines[late] = lines[late].split(":")[0] + ": viele"
    elif damage == "repeated AGS":
        first = next(line for line in lines if line.startswith("  '1"))
        lines.insert(len(lines) - 1, first)
        lines.insert(len(lines) - 1, "  - kind: integrationsrat")
    else:  # valid YAML that the parts cannot read alone: read whole, the same output
        first = next(i for i, line in enumerate(lines) if "directly_elected:" in line)
        lines[first] = lines[first].split(":")[0] + ": &early 7"
        lines[late] = lines[late].split(":")[0] + ": *early"
    bodies.write_text("\n".join(lines))
    one = run(table, bodies, "--jobs", "1")
    assert one[0] == (0 if damage == "alias across parts" else 2), one[2]
    if one[0]:
        assert str(bodies) in one[2]
    assert run(table, bodies, "--jobs", "2") == one


def test_the_workers_read_their_own_parts_and_judge_them(germany: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """With two jobs, the rows come from workers that each read a part of the bodies file (the
    parent never reads the bodies), in the table's order although the table is shuffled."""
    from optionsmodell import batch_workers

    table, bodies = germany
    lines = table.read_text().split("\n")
    rows = [line for line in lines[1:] if line]
    random.Random(5).shuffle(rows)
    table.write_text("\n".join([lines[0], *rows]) + "\n")
    one = run(table, bodies, "--format", "json", "--jobs", "1")
    assert one[0] == 0, one[2]

    def whole(*args: object, **kwargs: object) -> object:
        raise AssertionError("the parent read the bodies file")

    started: list[int] = []
    real = batch_workers._Workers.run

    def counted(self: batch_workers._Workers, progress: object) -> object:
        started.append(len(self.pieces))
        return real(self, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "bodies_from_text", whole)
    monkeypatch.setattr(batch_workers._Workers, "run", counted)
    assert run(table, bodies, "--format", "json", "--jobs", "2") == one
    assert run(table, bodies, "--format", "json", "--jobs", "3") == one
    assert started == [2, 3]


def test_the_bound_on_bodies_holds_before_the_workers_judge(germany: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    table, bodies = germany
    whole = batch.read_bodies(bodies, 1)
    total = sum(len(v) for v in whole.values())
    monkeypatch.setattr(batch, "MAX_BATCH_BODIES", total - 1)
    judged: list[object] = []
    real = batch.judge_rows
    monkeypatch.setattr(batch, "judge_rows", lambda *a, **k: judged.append(1) or real(*a, **k))
    for jobs in ("1", "2"):
        code, out, err = run(table, bodies, "--jobs", jobs, "--lang", "en")
        assert code == 2 and f"{total} bodies together; at most {total - 1}" in err and out == ""
    assert judged == []


def test_a_worker_that_fails_or_dies_ends_the_batch_with_a_message(germany: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from optionsmodell.engine import EngineError

    table, bodies = germany
    real = batch.judge_rows

    def failing(munis: list[batch.Municipality], *a: object, **k: object) -> object:
        if any(m.ags == "10000300" for m in munis):
            raise EngineError("planted failure")
        return real(munis, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "judge_rows", failing)
    code, _out, err = run(table, bodies, "--jobs", "2", "--lang", "en")
    assert code == 2 and "engine error: planted failure" in err and "Traceback" not in err

    def dying(munis: list[batch.Municipality], *a: object, **k: object) -> object:
        if any(m.ags == "10000300" for m in munis):
            os._exit(9)
        return real(munis, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "judge_rows", dying)
    code, _out, err = run(table, bodies, "--jobs", "2", "--lang", "en")
    assert code == 2 and "worker process of the batch ended without an answer" in err and "Traceback" not in err
    code, _out, err = run(table, bodies, "--jobs", "2", "--lang", "de")
    assert code == 2 and "Fehler der Engine: ein Arbeitsprozess des Batch-Laufs endete ohne Antwort" in err


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers in /proc (Linux)")
def test_ctrl_c_ends_the_batch_and_its_workers_without_a_traceback(germany: tuple[Path, Path]) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    table, bodies = germany
    rows = table.read_text().split("\n")
    # a larger table of the same municipalities, so that the workers are still at work when interrupted
    table.write_text("\n".join([rows[0], *(line for _ in range(12) for line in rows[1:] if line)]) + "\n")
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from optionsmodell import batch; batch.SPLIT_FROM = 1000; "
                             "from optionsmodell.__main__ import main; sys.argv[0] = 'optionsmodell'; main()",
                             "batch", str(table), "--bodies", str(bodies), "--as-of", "2021-06-01", "--jobs", "2",
                             "--max-input", "4"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline and len(children.read_text().split()) < 2:
        time.sleep(0.002)
    workers = [int(pid) for pid in children.read_text().split()]
    assert len(workers) == 2, "the workers were not seen at work"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: to the whole process group
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # leave no process behind, whatever failed
        raise AssertionError("the batch hung after Ctrl-C") from None
    assert proc.returncode == 130 and out == b"" and b"Traceback" not in err, err.decode()
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_workers_started_by_spawn_judge_alike(germany: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no fork (Windows; macOS defaults to spawn), the workers get their piece and the
    table pickled, and give the same rows."""
    import datetime as dt
    import multiprocessing

    from optionsmodell import batch_workers
    from optionsmodell.packs import load_all

    table, bodies = germany
    monkeypatch.setattr(batch_workers, "_context", lambda: multiprocessing.get_context("spawn"))
    regimes = [p.id for p in load_all() if p.spec.land == "NW"]
    munis = batch.read_table(table, batch.parse_columns([]))
    day = dt.date(2021, 6, 1)
    for fmt_json in (True, False):
        judged = batch_workers.judge_file(bodies, bodies.read_text(), munis, regimes, day, 2, json_rows=fmt_json, rows=not fmt_json)
        alone = batch.judge_rows(munis, regimes, batch.read_bodies(bodies, 1), day)
        if fmt_json:
            assert judged.rendered is not None and judged.rows is None
            assert batch.to_json_text(None, regimes, "compiled", judged.rendered, judged.tally) == batch.to_json_text(alone, regimes, "compiled")
        else:
            assert judged.rows == alone


# --- the cut: whatever the workers accept is exactly what one process reads ---

_BODIES = [
    "{kind: integrationsrat, seats: {directly_elected: 5, council_members: 3}}",
    "{kind: integrationsausschuss, formed_by: council_resolution}",
    "{kind: integrationsrat, seats: {directly_elected: viele}}",  # refused by validation
    "{kind: integrationsrat, election: {with_local_election: true}",  # broken flow: a syntax error
    "&shared {kind: integrationsrat}",
    "*shared",  # an alias: across pieces it cannot be read alone
]


def _bodies_file(draw: Callable[[SearchStrategy[Any]], Any]) -> str:
    """A bodies file in one of the styles writers use, now and then with something a piece read
    alone would read otherwise (a repeated AGS, an alias, an error, a key after the entries, a
    character YAML refuses in what comes before the entries)."""
    from hypothesis import strategies as st

    indent = " " * draw(st.sampled_from([2, 4]))
    flush = draw(st.booleans())
    quote = draw(st.sampled_from(["", "'", '"']))
    keys = draw(st.lists(st.integers(0, 99).map(lambda n: f"053150{n:02d}"), min_size=2, max_size=9, unique=True))
    if draw(st.integers(0, 9)) == 0:
        keys.append(keys[0])
    hazards = draw(st.integers(0, 4)) == 0
    choices = _BODIES[:2] * 6 + (_BODIES[2:] if hazards else [])
    lines = [*draw(st.sampled_from([[], ["# Gremien"], ["---"], ["# Gremien \x07"]])), "bodies:"]
    for key in keys:
        lines.append(f"{indent}{quote}{key}{quote}:" + draw(st.sampled_from(["", "  # a comment"])))
        for body in draw(st.lists(st.sampled_from(choices), max_size=3)):
            lines.append(f"{indent}{'' if flush else '  '}- {body}")
        lines.extend(draw(st.sampled_from([[], [""], ["# between"], [f"{indent}# between, indented"]])))
    lines.extend(draw(st.sampled_from([[], [], [], ["other: 1"], ["..."]])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


def test_the_pieces_the_workers_accept_are_the_file_read_whole(tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from optionsmodell.safe_yaml import InputError

    path = tmp_path / "bodies.yaml"
    seen = {"accepted": 0, "refused": 0}

    @settings(max_examples=500, deadline=None)
    @given(data=st.data(), parts=st.integers(2, 4))
    def same(data: st.DataObject, parts: int) -> None:
        text = _bodies_file(data.draw)
        path.write_text(text)
        try:
            whole: object = batch.bodies_from_text(text, path, 1)
        except InputError as e:
            whole = e
        head = batch.plain_head(text)
        if head is None:
            return
        pieces = batch.cut_bodies(text, head, parts)
        read = [batch.read_piece(str(path), line, piece, head[2], 1) for line, piece in pieces]
        parts = [part for part in read if part is not None]
        if len(parts) < len(read) or not batch.pieces_agree(text, parts):
            seen["refused"] += 1
            return  # the parent reads the file whole, as one process does
        seen["accepted"] += 1
        assert not isinstance(whole, InputError), f"the pieces were read, the whole file is refused: {whole.render()}"
        joined = {k: v for bodies, _ in parts for k, v in bodies.items()}
        assert joined == whole and list(joined) == list(whole)  # type: ignore[call-overload]
        # the values the pieces built are those the whole file builds, counted as the parent counts them
        from optionsmodell.safe_yaml import load_text

        assert sum(n for _, n in parts) - 2 * (len(parts) - 1) == load_text(text, str(path), 1 << 24).nodes

    same()
    assert seen["accepted"] > 60 and seen["refused"] > 30, seen


def test_an_anchor_named_in_two_pieces_is_refused_as_by_one_process(germany: tuple[Path, Path]) -> None:
    """Found by the property test above: each piece alone defined `&shared` once and was read, while
    the whole file defines it twice, which YAML refuses."""
    table, bodies = germany
    lines = bodies.read_text().split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("  - kind:"))
    last = max(i for i, line in enumerate(lines) if line.startswith("  - kind:"))
    for i in (first, last):
        lines[i] = lines[i].replace("  - kind:", "  - &shared\n    kind:", 1)
    bodies.write_text("\n".join(lines))
    one = run(table, bodies, "--jobs", "1", "--lang", "en")
    assert one[0] == 2 and "second occurrence" in one[2], one[2]
    assert run(table, bodies, "--jobs", "2", "--lang", "en") == one
    assert batch.plain_head(bodies.read_text()) is None  # a file with anchors is read whole
