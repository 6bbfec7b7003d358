"""Soak run of optionsmodell (not a test): run `python benchmarks/soak.py` from the project root.

Three checks of issue 13, each printing its counts:

1. race: one large configuration judged many thousand times by the Rete engine (durable-rules),
   every judgement compared with the first and with the reference evaluator; prints the number of
   differing verdicts (must be 0).
2. kill: `optionsmodell elect --into` killed with SIGKILL at a random moment, hundreds of times;
   afterwards the configuration must read as exactly the old or the new content; prints the
   number of damaged files (must be 0).
3. worst: the worst inputs the issue names (a configuration of 10,000 bodies, one at the bodies
   cap, an election of 12,000 candidates for 1,000 seats and one at the caps, a condition of 24
   `(a or b)` terms, a 990-term sum, a 1 MiB file, an alias bomb), each run as a fresh
   `optionsmodell` process; prints its wall time, peak memory (max RSS of the process) and exit
   code; each must finish within 10 s and 500 MB, or be refused with exit 2.

Options: --quick (fewer repetitions), --only race|kill|worst.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from optionsmodell.configuration import load_configuration_text  # noqa: E402
from optionsmodell.engine import ReferenceEngine, judgement_verdict  # noqa: E402
from optionsmodell.facts import extract  # noqa: E402
from optionsmodell.packs import Pack, load_all, rules_root  # noqa: E402

LIMIT_S = 10.0
LIMIT_MB = 500.0
DAY = dt.date(2021, 6, 1)
CLI = [sys.executable, "-m", "optionsmodell"]

HEAD = ("format: optionsmodell/v1\ndate: 2021-06-01\nmunicipality:\n  name: Soakstadt\n  land: NW\n"
        "  foreign_residents: 20000\n  applicants: 0\n  population: 200000\n  local_election_date: 2020-09-13\n")


def body_yaml(i: int) -> str:
    """A body that exercises most rules: kinds alternate, counts vary, some facts left out."""
    kind = ("integrationsrat", "integrationsausschuss")[i % 2]
    lines = [f"  - kind: {kind}", f"    name: Gremium {i}", "    seats:",
             f"      directly_elected: {10 + i % 7}", f"      council_members: {5 + i % 9}"]
    if i % 3 == 0:
        lines.append(f"      sachkundige_buerger: {i % 4}")
    if i % 5 == 0:
        lines += ["    filled:", f"      directly_elected: {8 + i % 3}"]
    if i % 4 != 3:
        lines.append(f"    chair: {('directly_elected', 'council_members', 'mayor')[i % 3]}")
    if i % 2 == 0:
        lines += ["    powers:", f"      - {{matter: Angelegenheit {i}, kind: {('advisory', 'decision')[i % 4 // 2]}}}"]
    return "\n".join(lines) + "\n"


def config_text(bodies: int) -> str:
    return HEAD + "bodies:\n" + "".join(body_yaml(i) for i in range(bodies))


def election_text(candidates: int, seats: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    rows = [f"  - {{name: C{i}, kind: {'list' if i % 3 else 'single'}, votes: {rng.randint(0, 100000)}}}"
            for i in range(candidates)]
    return f"seats: {seats}\ncandidates:\n" + "\n".join(rows) + "\n"


def table_text(rows: int) -> str:
    rng = random.Random(3)
    return "ags,municipality_name,foreign_est_census22,population_census22\n" + "".join(
        f"{5100000 + i:08d},Gemeinde {i},{rng.randint(0, 200_000)},{rng.randint(1000, 1_000_000)}\n" for i in range(rows))


def bodies_text(per: int) -> str:
    """A bodies file for the bundled NRW table: ``per`` bodies for each of its municipalities."""
    from optionsmodell.batch import default_table

    ags = [line.split(",")[0] for line in default_table().read_text().splitlines()[1:]]
    line = "    - {kind: integrationsrat, seats: {directly_elected: 12, council_members: 8}}\n"
    return "bodies:\n" + "".join(f"  '{a}':\n" + line * per for a in ags)


def powers_text(bodies: int, powers: int) -> str:
    """Few bodies with thousands of delegated powers: the shape on which the race showed."""
    out = [HEAD, "bodies:\n"]
    for i in range(bodies):
        out.append(body_yaml(i).split("    powers:")[0])
        out.append("    powers:\n" + "".join(
            f"      - {{matter: M{k}, kind: {('advisory', 'decision')[k % 2]}}}\n" for k in range(powers)))
    return "".join(out)


def race(repeats: int) -> int:
    """Judge large configurations over and over with the Rete engine; every judgement must equal
    the reference evaluator's (outcomes, conclusions and verdict)."""
    try:
        from optionsmodell.rete import ReteEngine
    except ImportError:
        print("race: durable-rules not importable; skipped")
        return 0
    packs = {p.id: p for p in load_all()}
    cases = [("60 bodies", config_text(60), ("nrw-2018", "nrw-2013", "nrw-2025"), repeats // 3),
             ("4 bodies × 2,000 powers", powers_text(4, 2000), ("nrw-2018",), repeats)]
    differing = total = 0
    t0 = time.perf_counter()
    for label, text, pack_ids, n in cases:
        loaded = load_configuration_text(text, "<soak>")
        for pid in pack_ids:
            pack: Pack | None = packs.get(pid)
            if pack is None:
                continue
            facts = extract(loaded.config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=DAY)
            reference = ReferenceEngine().judge(pack, facts)
            want = (reference.comparable(), judgement_verdict(pack, reference))
            engine = ReteEngine()
            last = ""
            bad = failed = 0
            for _ in range(n):
                try:
                    j = engine.judge(pack, facts)
                except Exception as e:  # an engine failure (durable-rules' error 307) is a differing verdict too
                    failed += 1
                    last = f"{type(e).__name__}: {str(e)[:120]}"
                    continue
                if (j.comparable(), judgement_verdict(pack, j)) != want:
                    bad += 1
            total += n
            differing += bad + failed
            print(f"  race {label}, {pid}: {bad} of {n} judgements differ from the reference evaluator, "
                  f"{failed} failed" + (f" (last: {last})" if failed else ""))
    print(f"race: {differing} differing verdicts of {total} Rete judgements in {time.perf_counter() - t0:.0f} s")
    return differing


# ---------------------------------------------------------------------------------------------
# 2. kill -9 during write-back

KILL_CONFIG = HEAD + ("bodies:\n  - kind: integrationsrat   # Kommentar\n    seats:\n      directly_elected: 15\n"
                      "      council_members: 8\n    chair: directly_elected\n")
KILL_ELECTION = election_text(40, 15, seed=7)


def _kill_files(folder: Path) -> tuple[Path, Path, bytes]:
    """The election and configuration of a kill run, and the new content from one undisturbed run."""
    el = folder / "election.yaml"
    el.write_text(KILL_ELECTION)
    cfg = folder / "cfg.yaml"
    cfg.write_text(KILL_CONFIG)
    subprocess.run([*CLI, "elect", str(el), "--into", str(cfg)], capture_output=True, check=False)
    return el, cfg, cfg.read_bytes()


def kill(rounds: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="soak-kill-"))
    try:
        el, cfg, new = _kill_files(folder)
        old = KILL_CONFIG.encode()
        if new == old:
            print("kill: the undisturbed run did not change the file; cannot judge damage")
            return 1
        # calibrate: how long a whole run takes, so that kills fall all over it
        cfg.write_text(KILL_CONFIG)
        t0 = time.perf_counter()
        subprocess.run([*CLI, "elect", str(el), "--into", str(cfg)], capture_output=True, check=False)
        span = time.perf_counter() - t0
        damaged = old_count = new_count = 0
        rng = random.Random(13)
        for k in range(rounds):
            cfg.write_text(KILL_CONFIG)
            proc = subprocess.Popen([*CLI, "elect", str(el), "--into", str(cfg)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # most kills in the last fifth, where the write happens; the rest anywhere
            at = span * (rng.uniform(0.8, 1.05) if k % 4 else rng.uniform(0.0, 1.0))
            time.sleep(at)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            got = cfg.read_bytes()
            if got == old:
                old_count += 1
            elif got == new:
                new_count += 1
            else:
                damaged += 1
            for stale in folder.glob(".cfg.yaml.*"):
                stale.unlink()
        print(f"kill: {damaged} damaged files of {rounds} kill -9 runs ({old_count} old content, "
              f"{new_count} new content; a run takes {span:.2f} s)")
        return damaged
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# the CLI with a kill -9 of itself at a chosen point of the write (the unlucky moments a random
# kill rarely hits)
_KILL_AT = """
import os, signal, sys
point = os.environ["SOAK_KILL_POINT"]
def die():
    os.kill(os.getpid(), signal.SIGKILL)
if point == "mid-write":
    real_fdopen = os.fdopen
    class Half:
        def __init__(self, f): self.f = f
        def __enter__(self): return self
        def __exit__(self, *a): return self.f.__exit__(*a)
        def write(self, b): self.f.write(b[: len(b) // 2]); self.f.flush(); die()
        def __getattr__(self, name): return getattr(self.f, name)
    os.fdopen = lambda fd, mode="r", *a, **k: Half(real_fdopen(fd, mode, *a, **k)) if "w" in mode else real_fdopen(fd, mode, *a, **k)
elif point == "fsync":
    os.fsync = lambda fd: die()
elif point == "replace":
    os.replace = lambda a, b: die()
elif point == "after-replace":
    real_replace = os.replace
    def replace(a, b):
        real_replace(a, b)
        die()
    os.replace = replace
from optionsmodell.cli import main
sys.argv = ["optionsmodell", *sys.argv[1:]]
main()
"""


def kill_at_write(rounds: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="soak-killw-"))
    try:
        el, cfg, new = _kill_files(folder)
        old = KILL_CONFIG.encode()
        damaged = 0
        seen: dict[str, int] = {}
        points = ("mid-write", "fsync", "replace", "after-replace")
        for k in range(rounds):
            point = points[k % len(points)]
            cfg.write_text(KILL_CONFIG)
            proc = subprocess.run([sys.executable, "-c", _KILL_AT, "elect", str(el), "--into", str(cfg)],
                                  capture_output=True, env={**os.environ, "SOAK_KILL_POINT": point}, check=False)
            got = cfg.read_bytes()
            state = "old" if got == old else "new" if got == new else "DAMAGED"
            damaged += state == "DAMAGED"
            seen[f"{point}: {state} (exit {proc.returncode})"] = seen.get(f"{point}: {state} (exit {proc.returncode})", 0) + 1
            for stale in folder.glob(".cfg.yaml.*"):
                stale.unlink()
        print(f"kill at write: {damaged} damaged files of {rounds} kill -9 runs at the moment of writing; "
              + ", ".join(f"{n}× {what}" for what, n in sorted(seen.items())))
        return damaged
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# 3. worst-case inputs

@dataclass
class Case:
    name: str
    args: list[str]
    files: dict[str, str]
    env: dict[str, str] | None = None


def _rules_with(folder: Path, condition: str) -> Path:
    """A user's rules folder with one pack: nrw-2018 as nrw-2018-x, one condition replaced by a
    hostile one."""
    root = folder / "rules"
    pack = root / "nrw-2018-x"
    shutil.copytree(rules_root() / "nrw-2018", pack)
    (pack / "pack.yaml").write_text(re.sub(r"(?m)^id: nrw-2018$", "id: nrw-2018-x", (pack / "pack.yaml").read_text()))
    f = pack / "20-composition.yaml"
    text = f.read_text()
    f.write_text(text.replace("requires: seats.directly_elected > seats.council_members\n",
                              f"requires: {condition}\n", 1))
    return root


def worst_cases(folder: Path) -> list[Case]:
    from optionsmodell.election import MAX_CANDIDATES, MAX_SEATS
    from optionsmodell.limits import MAX_BATCH_BODIES, MAX_BODIES, MAX_TABLE_ROWS

    ors = " and ".join(f"(seats.directly_elected > {i} or seats.council_members > {i})" for i in range(24))
    long_sum = "seats.council_members > " + "+".join(["1"] * 985)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    big = config_text(MAX_BODIES)
    hostile = HEAD + "bodies:\n" + "".join(
        f"  - kind: {('integrationsrat', 'integrationsausschuss')[i % 2]}\n    seats: {{directly_elected: 0, "
        "council_members: 1999, sachkundige_buerger: 1999}\n    filled: {directly_elected: 0}\n    chair: mayor\n"
        "    powers: [{matter: x, kind: decision}]\n" for i in range(MAX_BODIES))
    return [
        Case("check: 10,000 bodies", ["check", "{cfg}", "--format", "json", "--all"], {"cfg": config_text(10_000)[:1_040_000]}),
        Case(f"check: {MAX_BODIES} bodies (the cap), text", ["check", "{cfg}", "--all"], {"cfg": big}),
        Case(f"check: {MAX_BODIES} bodies (the cap), json", ["check", "{cfg}", "--format", "json", "--all"], {"cfg": big}),
        Case(f"check: {MAX_BODIES} bodies (the cap), sarif", ["check", "{cfg}", "--format", "sarif"], {"cfg": big}),
        Case(f"check: {MAX_BODIES} bodies (the cap), Rete engine", ["check", "{cfg}", "--all", "--engine", "rete"], {"cfg": big}),
        Case(f"compare: {MAX_BODIES} bodies, 3 regimes",
             ["compare", "{cfg}", "--regime", "nrw-2013", "--regime", "nrw-2018", "--regime", "nrw-2025"], {"cfg": big}),
        Case(f"timeline: {MAX_BODIES} bodies", ["timeline", "{cfg}"], {"cfg": big}),
        Case("elect: 12,000 candidates, 1,000 seats", ["elect", "{el}"], {"el": election_text(12_000, 1000)}),
        Case(f"elect: {MAX_CANDIDATES} candidates, {MAX_SEATS} seats (the caps)", ["elect", "{el}", "--format", "json"],
             {"el": election_text(MAX_CANDIDATES, MAX_SEATS)}),
        Case("elect: 1,000 tied candidates, 999 seats", ["elect", "{el}"],
             {"el": "seats: 999\ncandidates:\n" + "".join(f"  - {{name: T{i}, kind: single, votes: 7}}\n" for i in range(1000))}),
        Case(f"batch: {MAX_TABLE_ROWS} municipalities (the cap), 7 regimes", ["batch", "{table}"],
             {"table": table_text(MAX_TABLE_ROWS)}),
        Case(f"batch: {MAX_TABLE_ROWS + 1} municipalities", ["batch", "{table}"], {"table": table_text(MAX_TABLE_ROWS + 1)}),
        Case("batch: 396 municipalities × 30 bodies (1 MiB)", ["batch", "--bodies", "{bodies}"], {"bodies": bodies_text(30)}),
        Case(f"batch: 396 municipalities × 5 bodies (the cap is {MAX_BATCH_BODIES})", ["batch", "--bodies", "{bodies}"],
             {"bodies": bodies_text(5)}),
        Case("check: 100 bodies, every body far from compliant", ["check", "{cfg}", "--all"], {"cfg": hostile}),
        Case("lint: 24 `(a or b)` terms", ["lint", "{rules}"], {}, {"rules": ors}),
        Case("check: 24 `(a or b)` terms", ["check", str(ROOT / "scenarios" / "koeln-2020.yaml"), "--regime", "nrw-2018-x"],
             {}, {"rules": ors}),
        Case("lint: a 990-term sum", ["lint", "{rules}"], {}, {"rules": long_sum}),
        Case("check: 1 MiB + 1 byte", ["check", "{cfg}"], {"cfg": HEAD + "#" * (1024 * 1024)}),
        Case("check: alias bomb", ["check", "{cfg}"], {"cfg": bomb}),
    ]


def _run_case(case: Case, folder: Path, n: int) -> tuple[float, float, int, str]:
    """Wall time, peak memory (MB, the process's max RSS), exit code and last stderr line."""
    paths: dict[str, str] = {}
    for key, text in case.files.items():
        p = folder / f"{key}-{n}.yaml"
        p.write_text(text)
        paths[key] = str(p)
    env = dict(os.environ)
    if case.env:
        sub = folder / f"rules-{n}"
        sub.mkdir()
        rules = _rules_with(sub, case.env["rules"])
        env["OPTIONSMODELL_RULES"] = str(rules)
        paths["rules"] = str(rules)
    args = [a.format(**paths) for a in case.args]
    out = folder / f"out-{n}"
    # the peak of the command itself: a child forked from this (large) process would count this
    # process's pages in its own maximum, so GNU time forks it from a small process where present
    rss_file = folder / f"rss-{n}"
    timer_cmd = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] if Path("/usr/bin/time").exists() else []
    t0 = time.perf_counter()
    with open(out, "wb") as sink:
        proc = subprocess.Popen([*timer_cmd, *CLI, *args], stdout=sink, stderr=subprocess.PIPE, env=env)
        timer = threading.Timer(120, proc.kill)
        timer.start()
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    lines = err.decode("utf-8", "replace").strip().splitlines()
    size = out.stat().st_size
    out.unlink()
    peak = usage.ru_maxrss / 1024
    if timer_cmd and rss_file.exists():
        peak = int(rss_file.read_text().split()[-1]) / 1024
    return wall, peak, proc.returncode, (lines[-1] if lines else "") + f" [{size} bytes out]"


def worst() -> int:
    folder = Path(tempfile.mkdtemp(prefix="soak-worst-"))
    bad = 0
    try:
        print(f"worst: each case must finish within {LIMIT_S:.0f} s and {LIMIT_MB:.0f} MB, or be refused (exit 2)")
        for n, case in enumerate(worst_cases(folder)):
            wall, peak, code, msg = _run_case(case, folder, n)
            ok = wall <= LIMIT_S and peak <= LIMIT_MB and code in (0, 1, 2, 3)
            verdict = "refused" if code == 2 else f"exit {code}"
            bad += 0 if ok else 1
            print(f"  {'ok ' if ok else 'BAD'} {case.name:<45} {wall:6.2f} s {peak:7.1f} MB  {verdict}: {msg[:160]}")
        print(f"worst: {bad} case(s) over the limits")
        return bad
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--only", choices=("race", "kill", "worst"))
    args = ap.parse_args()
    results = {}
    if args.only in (None, "race"):
        results["differing verdicts"] = race(repeats=300 if args.quick else 6000)
    if args.only in (None, "kill"):
        results["damaged files"] = kill(rounds=40 if args.quick else 300) + kill_at_write(20 if args.quick else 100)
    if args.only in (None, "worst"):
        results["worst cases over the limits"] = worst()
    print("summary: " + ", ".join(f"{k} {v}" for k, v in results.items()))
    sys.exit(1 if any(results.values()) else 0)


if __name__ == "__main__":
    main()
