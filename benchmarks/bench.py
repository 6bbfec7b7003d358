"""Benchmarks of optionsmodell (not a test): run `python benchmarks/bench.py` from the project root.

Every figure is reported as a ratio from one run on one machine, against a baseline measured in the
same run: a single `check` against the bare imports; batch throughput; the engine against
durable-rules alone asserting the same facts; the same core rules in CLIPS (clipspy) and as plain
Python predicates; memory over 100,000 checks in one process. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from optionsmodell import batch as batchmod  # noqa: E402
from optionsmodell.configuration import Configuration  # noqa: E402
from optionsmodell.engine import MemoEngine, ReferenceEngine  # noqa: E402
from optionsmodell.facts import FactSet, extract  # noqa: E402
from optionsmodell.packs import Pack, load_all  # noqa: E402
from optionsmodell.rete import ReteEngine, _message, compile_pack  # noqa: E402

DAY = dt.date(2021, 6, 1)
CORE = ["NRW18-IR-01", "NRW18-IR-05", "NRW18-IR-06", "NRW18-IR-09", "NRW18-IA-01", "NRW18-IA-02", "NRW18-IA-03", "NRW18-IA-04"]


def walls(cmds: list[list[str]], runs: int) -> list[float]:
    """Median wall time of each command; the commands take turns, so that a load on the machine
    that comes and goes falls on all of them alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workload(pack: Pack) -> list[FactSet]:
    """The 396 NRW municipalities, each with a body of alternating kind, so body rules fire too."""
    munis = batchmod.read_table(batchmod.default_table(), batchmod.parse_columns([]))
    out = []
    for i, m in enumerate(munis):
        kind = "integrationsrat" if i % 2 else "integrationsausschuss"
        body: dict[str, Any] = {"kind": kind, "formed_by": "council_resolution", "in_deliberation_sequence": bool(i % 3),
                                "seats": {"directly_elected": 8 + i % 7, "council_members": 4 + i % 5, "sachkundige_buerger": i % 3},
                                "powers": [] if i % 4 else [{"matter": "M", "kind": "decision"}],
                                "election": {"with_local_election": bool(i % 5)}}
        cfg = Configuration.model_validate({"date": DAY, "municipality": {"name": m.name, "land": "NW",
                                            "foreign_residents": m.foreign_residents or 0}, "bodies": [body]})
        out.append(extract(cfg, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=DAY))
    return out


def core_pack(pack: Pack) -> Pack:
    keep = [r for r in pack.rules if r.id in CORE or r.spec.type == "conclusion"]
    return Pack(spec=pack.spec, directory=pack.directory, rules=keep, kinds=pack.kinds,
                conclusion_specs=pack.conclusion_specs)


def over(items: list[Any], one: Any) -> Any:
    """One pass of ``one`` over the workload, returning how many checks it made."""
    def run() -> int:
        for x in items:
            one(x)
        return len(items)
    return run


def rates(contenders: dict[str, Any], rounds: int) -> dict[str, float]:
    """Checks per second of each contender (a function running one pass over the workload and
    returning its count); rounds take turns and the median counts, as with `walls`."""
    seen: dict[str, list[float]] = {k: [] for k in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            t = time.perf_counter()
            n = run()
            seen[name].append(n / (time.perf_counter() - t))
    return {k: statistics.median(v) for k, v in seen.items()}


def durable_alone_runner(pack: Pack, facts: list[FactSet]) -> Any:
    """The same compiled ruleset and the same messages, on a bare durable-rules host whose actions do
    nothing: what durable-rules itself costs for these checks."""
    from durable import engine as de

    class Bare(de.Host):  # type: ignore[misc]
        def get_action(self, name: str) -> Any:
            return lambda c: None

    host = Bare()
    name = f"bare_{pack.id}_{len(pack.rules)}"
    host.register_rulesets({name: compile_pack(pack)})
    messages = [[{"sid": "", **_message("m", "m", f.municipality)}]
                + [{"sid": "", **_message("b", f"b{i}", b, body=i)} for i, b in enumerate(f.bodies)] for f in facts]
    counter = [0]

    def one(msgs: list[dict[str, Any]]) -> None:
        counter[0] += 1
        sid = f"s{counter[0]}"
        for m in msgs:
            host.assert_fact(name, {**m, "sid": sid})
        host.delete_state(name, sid)

    return over(messages, one)


def clips_runner(facts: list[FactSet]) -> Any:
    import clips

    env = clips.Environment()
    env.build("""(deftemplate cfg (slot fr (default -1)) (slot app (default 0)) (slot kind) (slot de) (slot cm) (slot sb)
      (slot se) (slot adv) (slot formed) (slot dec) (slot seq) (slot onkw) (slot nprov))""")
    env.build("(deftemplate outcome (slot rule) (slot value))")
    env.build("(deftemplate concl (slot name) (slot value))")
    rules = [
        "(defrule c1 (cfg (fr ?f&:(>= ?f 5000))) => (assert (concl (name required) (value yes))) (assert (concl (name later) (value no))))",
        "(defrule c3 (cfg (fr ?f&:(>= ?f 2000)&:(< ?f 5000)) (app ?a&:(>= ?a 200))) => (assert (concl (name required) (value yes))))",
        "(defrule ir01v (concl (name required) (value yes)) (cfg (nprov 0)) => (assert (outcome (rule IR-01) (value violated))))",
        "(defrule ir01s (concl (name required) (value yes)) (cfg (nprov ?n&:(>= ?n 1))) => (assert (outcome (rule IR-01) (value satisfied))))",
        "(defrule ir05 (cfg (kind integrationsrat) (sb ?b) (se ?e)) => (assert (outcome (rule IR-05) (value (if (and (= ?b 0) (= ?e 0)) then satisfied else violated)))))",
        "(defrule ir06 (cfg (kind integrationsrat) (de ?d) (cm ?c)) => (assert (outcome (rule IR-06) (value (if (> ?d ?c) then satisfied else violated)))))",
        "(defrule ir09 (cfg (onkw ?k)) (concl (name later) (value no)) => (assert (outcome (rule IR-09) (value (if (eq ?k TRUE) then satisfied else violated)))))",
        "(defrule ia01 (cfg (kind integrationsausschuss) (formed ?f)) => (assert (outcome (rule IA-01) (value (if (eq ?f council_resolution) then satisfied else violated)))))",
        "(defrule ia02 (cfg (kind integrationsausschuss) (dec ?n)) => (assert (outcome (rule IA-02) (value (if (= ?n 0) then satisfied else violated)))))",
        "(defrule ia03 (cfg (kind integrationsausschuss) (de ?d) (cm ?c) (sb ?b)) => (assert (outcome (rule IA-03) (value (if (> ?d (+ ?c ?b)) then satisfied else violated)))))",
        "(defrule ia04 (cfg (kind integrationsausschuss) (seq ?s)) => (assert (outcome (rule IA-04) (value (if (eq ?s TRUE) then satisfied else violated)))))",
    ]
    for r in rules:
        env.build(r)
    tmpl = env.find_template("cfg")
    rows = []
    for f in facts:
        b = f.bodies[0]
        rows.append({"fr": f.municipality.get("municipality.foreign_residents", -1), "app": f.municipality.get("municipality.applicants", 0),
                     "kind": clips.Symbol(str(b["body.kind"])), "de": b["seats.directly_elected"], "cm": b["seats.council_members"],
                     "sb": b["seats.sachkundige_buerger"], "se": b["seats.sachkundige_einwohner"], "adv": b["seats.advisory"],
                     "formed": clips.Symbol(str(b["body.formed_by"])), "dec": b["powers.decisions"],
                     "seq": clips.Symbol("TRUE" if b["body.in_deliberation_sequence"] else "FALSE"),
                     "onkw": clips.Symbol("TRUE" if b["election.on_local_election_day"] else "FALSE"),
                     "nprov": f.municipality["bodies.count_provided"]})

    def one(row: dict[str, Any]) -> None:
        env.reset()
        tmpl.assert_fact(**row)
        env.run()
        [(f["rule"], f["value"]) for f in env.facts() if f.template.name == "outcome"]

    return over(rows, one)


def plain_runner(facts: list[FactSet]) -> Any:
    def one(f: FactSet) -> list[tuple[str, str]]:
        m, b = f.municipality, f.bodies[0]
        fr, app = m["municipality.foreign_residents"], m["municipality.applicants"]
        required = fr >= 5000 or (2000 <= fr < 5000 and app >= 200)
        out = []
        if required:
            out.append(("IR-01", "satisfied" if m["bodies.count_provided"] >= 1 else "violated"))
        if b["body.kind"] == "integrationsrat":
            out.append(("IR-05", "satisfied" if b["seats.sachkundige_buerger"] == 0 and b["seats.sachkundige_einwohner"] == 0 else "violated"))
            out.append(("IR-06", "satisfied" if b["seats.directly_elected"] > b["seats.council_members"] else "violated"))
        if fr >= 5000:
            out.append(("IR-09", "satisfied" if b["election.on_local_election_day"] else "violated"))
        if b["body.kind"] == "integrationsausschuss":
            out.append(("IA-01", "satisfied" if b["body.formed_by"] == "council_resolution" else "violated"))
            out.append(("IA-02", "satisfied" if b["powers.decisions"] == 0 else "violated"))
            out.append(("IA-03", "satisfied" if b["filled.directly_elected"] > b["filled.council_members"] + b["filled.sachkundige_buerger"] else "violated"))
            out.append(("IA-04", "satisfied" if b["body.in_deliberation_sequence"] else "violated"))
        return out

    return over(facts, one)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--memory-checks", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="smaller repeats (a smoke run)")
    args = ap.parse_args()
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "date": dt.date.today().isoformat()}

    # 1. a single check as a user runs it, against the bare imports. The baseline's packages were
    # byte-compiled when pip installed them; an editable install of this project is not, and this
    # machine sets PYTHONDONTWRITEBYTECODE, so compile it as a regular install would.
    runs = 3 if args.quick else 9
    py = sys.executable
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "src")], check=True, stdout=subprocess.DEVNULL)
    script = str(Path(py).parent / "optionsmodell")
    bare, single, single_m = walls([[py, "-c", "import pydantic, typer, yaml, durable.lang"],
                                    [script, "check", "scenarios/koeln-2020.yaml"],
                                    [py, "-m", "optionsmodell", "check", "scenarios/koeln-2020.yaml"]], runs)
    results["single_check"] = {"bare_imports_s": round(bare, 3), "check_s": round(single, 3), "ratio": round(single / bare, 2),
                               "python_dash_m_check_s": round(single_m, 3), "python_dash_m_ratio": round(single_m / bare, 2),
                               "target_ratio": 2.5}

    packs = {p.id: p for p in load_all()}
    nrw = [p for p in packs.values() if p.spec.land == "NW"]

    # 2. batch of all municipalities × all NRW regimes, in this process on one core
    munis = batchmod.read_table(batchmod.default_table(), batchmod.parse_columns([]))
    ids = [p.id for p in nrw]
    for memo in (True, False):
        batchmod._MEMO = None
        t = time.perf_counter()
        rows = batchmod.run(munis, ids, None, DAY, jobs=1, memo=memo)
        secs = time.perf_counter() - t
        results[f"batch_{'memo' if memo else 'engine_per_row'}"] = {"checks": len(rows), "seconds": round(secs, 3),
                                                                    "checks_per_s": round(len(rows) / secs), "target_checks_per_s": 10_000}

    # 3. the engine against durable-rules alone on the same facts; 4. the 8 core rules: durable, ours, CLIPS, plain Python
    full = packs["nrw-2018"]
    facts = workload(full)
    core = core_pack(full)
    memo = MemoEngine(RETE)
    rounds = 3 if args.quick else 7

    def loop(fn: Any) -> Any:
        return over(facts, fn)

    alone_full_run = durable_alone_runner(full, facts)
    alone_core_run = durable_alone_runner(core, facts)
    clips_run = clips_runner(facts)
    plain_run = plain_runner(facts)
    r = rates({
        "ours_full": loop(lambda f: RETE.judge(full, f)),
        "alone_full": alone_full_run,
        "ours_core": loop(lambda f: RETE.judge(core, f)),
        "alone_core": alone_core_run,
        "clips_core": clips_run,
        "plain_core": plain_run,
        "memo_full": loop(lambda f: memo.judge(full, f)),
        "reference_full": loop(lambda f: REFERENCE.judge(full, f)),
    }, rounds)
    results["engine_nrw_2018_all_rules"] = {"ours_checks_per_s": round(r["ours_full"]), "durable_alone_checks_per_s": round(r["alone_full"]),
                                            "ratio_durable_over_ours": round(r["alone_full"] / r["ours_full"], 2), "target_ratio": 2.5,
                                            "ours_memoized_checks_per_s": round(r["memo_full"]),
                                            "reference_evaluator_checks_per_s": round(r["reference_full"]),
                                            "rules": len(full.rules), "engine_rules": len(compile_pack(full))}
    results["engine_core_8_rules"] = {"ours_checks_per_s": round(r["ours_core"]), "durable_alone_checks_per_s": round(r["alone_core"]),
                                      "ratio_durable_over_ours": round(r["alone_core"] / r["ours_core"], 2), "target_ratio": 2.5,
                                      "clips_checks_per_s": round(r["clips_core"]), "plain_python_checks_per_s": round(r["plain_core"]),
                                      "engine_rules": len(compile_pack(core))}

    # 5. memory over many checks in one process (engine per check, no memo)
    gc.collect()
    samples = [(0, round(rss_mb(), 1))]
    n = args.memory_checks
    for i in range(1, n + 1):
        RETE.judge(full, facts[i % len(facts)])
        if i % (n // 10) == 0:
            samples.append((i, round(rss_mb(), 1)))
    results["memory"] = {"checks": n, "rss_mb": samples, "growth_mb_after_first_10pct": round(samples[-1][1] - samples[1][1], 1)}

    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")


RETE = ReteEngine()
REFERENCE = ReferenceEngine()

if __name__ == "__main__":
    main()
