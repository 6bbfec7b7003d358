"""Benchmarks of optionsmodell (not a test): run `python benchmarks/bench.py` from the project root.

One run, ratios against peers measured in the same run on the same configurations, each peer
checked to give the same outcomes first (docs/performance.md, issue 10 point 4):

1. the same 5,000 configurations judged by the compiled evaluator, the Rete engine, the reference
   evaluator, durable-rules alone (minimal encoding: one flat fact, one rule per outcome of each
   core requirement, assert_fact + delete_state; and the same driven as the Rete engine drives
   durable-rules: its C engine directly, one session emptied by retraction), CLIPS (clipspy, a fresh
   environment every 1,000 checks) and plain Python predicates; the Rete engine against
   durable-rules alone also as the median of ratios of back-to-back rounds;
2. growth with rules (13, 23, 100, 200, 1,000 synthetic) and with bodies per configuration (1, 5, 20);
3. a Germany-sized batch: 10,800 municipalities, each with its own bodies, end to end (`optionsmodell
   batch`, loading included) with one worker and with all cores, taking turns, with the CPU time of
   the parent and of its workers (the scaling a machine shared with others cannot show in wall time);
4. memory over 100,000 checks in one process (Rete engine, a 150-rule pack, counting engine errors);
5. `explore consistency` and `explore diff` per regime against the commit issue 10 was filed on
   (EXPLORE_BASELINE, run from a `git archive` of it);
6. a single `check` against the bare imports.

Results go to benchmarks/results.json, which is not tracked: the figures in docs/performance.md are
copied by hand, with the date of the run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from optionsmodell import batch as batchmod  # noqa: E402
from optionsmodell.compiled import CompiledEngine  # noqa: E402
from optionsmodell.configuration import KNOWN_KINDS, Configuration  # noqa: E402
from optionsmodell.engine import Engine, ReferenceEngine  # noqa: E402
from optionsmodell.expressions import parse  # noqa: E402
from optionsmodell.facts import FactSet, extract  # noqa: E402
from optionsmodell.packs import ConclusionSpec, Pack, PackSpec, Rule, RuleSpec, load_all  # noqa: E402
from optionsmodell.rete import ReteEngine  # noqa: E402
from optionsmodell.safe_yaml import Location  # noqa: E402

DAY = dt.date(2021, 6, 1)
CORE = ["NRW18-IR-01", "NRW18-IR-05", "NRW18-IR-06", "NRW18-IR-09", "NRW18-IA-01", "NRW18-IA-02", "NRW18-IA-03", "NRW18-IA-04"]
DECIDED = ("violated", "satisfied")
Outcomes = frozenset[tuple[str, str]]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def walls(cmds: list[list[str]], runs: int, env: dict[str, str] | None = None) -> list[float]:
    """Median wall time of each command; the commands take turns, so that a load on the machine
    that comes and goes falls on all of them alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def _rate(run: Callable[[], int]) -> float:
    gc.collect()
    t = time.perf_counter()
    n = run()
    return n / (time.perf_counter() - t)


def rates(contenders: dict[str, Callable[[], int]], rounds: int) -> dict[str, float]:
    """Checks per second of each contender (one pass over the workload, returning its count);
    rounds take turns and the median counts."""
    seen: dict[str, list[float]] = {k: [] for k in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            seen[name].append(_rate(run))
    return {k: statistics.median(v) for k, v in seen.items()}


def ratio_rounds(subject: Callable[[], int], peer: Callable[[], int], rounds: int) -> dict[str, Any]:
    """How many times the peer's checks/s the subject's are slower, as the median of the ratios of
    rounds in which the two run back to back, taking turns at going first (a load on the shared
    machine that comes and goes then falls on both alike)."""
    ratios, subject_rates, peer_rates = [], [], []
    for i in range(rounds):
        if i % 2:
            p, s = _rate(peer), _rate(subject)
        else:
            s, p = _rate(subject), _rate(peer)
        subject_rates.append(s)
        peer_rates.append(p)
        ratios.append(p / s)
    return {"median": round(statistics.median(ratios), 2), "min": round(min(ratios), 2), "max": round(max(ratios), 2),
            "rounds": rounds, "subject_checks_per_s": round(statistics.median(subject_rates)),
            "peer_checks_per_s": round(statistics.median(peer_rates))}


# ---------------------------------------------------------------------------------------------
# 1. the same configurations, every peer


def configurations(pack: Pack, n: int, bodies: int = 1, seed: int = 1) -> list[FactSet]:
    """``n`` distinct, complete configurations (every fact the core rules test is given, so that
    every peer decides every applicable rule)."""
    rng = random.Random(seed)
    munis = batchmod.read_table(batchmod.default_table(), batchmod.parse_columns([]))
    out = []
    for i in range(n):
        m = munis[i % len(munis)]
        foreign = rng.choice([rng.randint(0, 20000), 1999, 2000, 4999, 5000, (m.foreign_residents or 0) + i])
        body_list = []
        for k in range(bodies):
            kind = ("integrationsrat", "integrationsausschuss")[(i + k) % 2]
            de = rng.randint(0, 30)
            body_list.append({
                "kind": kind, "formed_by": rng.choice(["election", "council_resolution"]),
                "in_deliberation_sequence": rng.random() < 0.7,
                "seats": {"directly_elected": de, "council_members": rng.randint(0, 20),
                          "sachkundige_buerger": rng.choice([0, 0, rng.randint(0, 8)]),
                          "sachkundige_einwohner": rng.choice([0, 0, rng.randint(0, 4)])},
                "filled": {"directly_elected": rng.randint(0, de)} if rng.random() < 0.2 else None,
                "powers": [{"matter": "M", "kind": rng.choice(["advisory", "decision"])} for _ in range(rng.randint(0, 3))],
                "election": {"with_local_election": rng.random() < 0.6},
            })
            if body_list[-1]["filled"] is None:
                del body_list[-1]["filled"]
        cfg = Configuration.model_validate({"date": DAY, "municipality": {
            "name": m.name, "land": "NW", "foreign_residents": foreign, "applicants": rng.choice([0, 150, 250])},
            "bodies": body_list})
        out.append(extract(cfg, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=DAY))
    return out


def core_pack(pack: Pack) -> Pack:
    keep = [r for r in pack.rules if r.id in CORE or r.spec.type == "conclusion"]
    return Pack(spec=pack.spec, directory=pack.directory, rules=keep, kinds=pack.kinds,
                conclusion_specs=pack.conclusion_specs)


def decided(j: Any) -> Outcomes:
    return frozenset((rid.removeprefix("NRW18-"), o) for (rid, _), o in j.outcomes.items() if o in DECIDED and rid in CORE)


def _flat(f: FactSet) -> dict[str, Any]:
    m, b = f.municipality, f.bodies[0]
    return {"fr": m["municipality.foreign_residents"], "app": m["municipality.applicants"], "kind": b["body.kind"],
            "de": b["seats.directly_elected"], "cm": b["seats.council_members"], "sb": b["seats.sachkundige_buerger"],
            "se": b["seats.sachkundige_einwohner"], "fde": b["filled.directly_elected"], "fcm": b["filled.council_members"],
            "fsb": b["filled.sachkundige_buerger"], "formed": b["body.formed_by"], "dec": b["powers.decisions"],
            "seq": b["body.in_deliberation_sequence"], "onkw": b["election.on_local_election_day"],
            "nprov": m["bodies.count_provided"], "cnt": m["bodies.count"]}


def plain_judge(f: FactSet) -> Outcomes:
    """The 8 core rules of nrw-2018 as plain Python predicates (the floor of any Python engine).
    Only what complete configurations decide: IR-09's `election.past` is never given here, so
    IR-09 is decided only where the election was on the day of the Kommunalwahl."""
    x = _flat(f)
    fr = x["fr"]
    out = []
    if fr >= 5000 and (x["cnt"] == 0 or x["nprov"] >= 1):
        out.append(("IR-01", "satisfied" if x["nprov"] >= 1 else "violated"))
    if x["kind"] == "integrationsrat":
        out.append(("IR-05", "satisfied" if x["sb"] == 0 and x["se"] == 0 else "violated"))
        out.append(("IR-06", "satisfied" if x["de"] > x["cm"] else "violated"))
    if fr >= 5000 and x["kind"] in ("integrationsrat", "integrationsausschuss") and x["onkw"]:
        out.append(("IR-09", "satisfied"))
    if x["kind"] == "integrationsausschuss":
        out.append(("IA-01", "satisfied" if x["formed"] == "council_resolution" else "violated"))
        out.append(("IA-02", "satisfied" if x["dec"] == 0 else "violated"))
        out.append(("IA-03", "satisfied" if x["fde"] > x["fcm"] + x["fsb"] else "violated"))
        out.append(("IA-04", "satisfied" if x["seq"] else "violated"))
    return frozenset(out)


_MINIMAL: dict[str, tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]] = {  # requirement: (applies, requires), in durable-rules' JSON tests on the flat fact
    "IR-01": ([{"$gte": {"fr": 5000}}, {"$or": [{"cnt": 0}, {"$gte": {"nprov": 1}}]}], {"$gte": {"nprov": 1}}, {"$lt": {"nprov": 1}}),
    "IR-05": ([{"kind": "integrationsrat"}], {"$and": [{"sb": 0}, {"se": 0}]}, {"$or": [{"$neq": {"sb": 0}}, {"$neq": {"se": 0}}]}),
    "IR-06": ([{"kind": "integrationsrat"}], {"$gt": {"de": {"$m": "cm"}}}, {"$lte": {"de": {"$m": "cm"}}}),
    "IR-09": ([{"$or": [{"kind": "integrationsrat"}, {"kind": "integrationsausschuss"}]}, {"$gte": {"fr": 5000}}],
              {"onkw": True}, {"t": "never"}),
    "IA-01": ([{"kind": "integrationsausschuss"}], {"formed": "council_resolution"}, {"$neq": {"formed": "council_resolution"}}),
    "IA-02": ([{"kind": "integrationsausschuss"}], {"dec": 0}, {"$neq": {"dec": 0}}),
    "IA-03": ([{"kind": "integrationsausschuss"}], {"$gt": {"fde": {"$add": {"$l": {"$m": "fcm"}, "$r": {"$m": "fsb"}}}}},
              {"$lte": {"fde": {"$add": {"$l": {"$m": "fcm"}, "$r": {"$m": "fsb"}}}}}),
    "IA-04": ([{"kind": "integrationsausschuss"}], {"seq": True}, {"seq": False}),
}


def durable_alone(facts: list[FactSet]) -> tuple[Callable[[], int], Callable[[FactSet], Outcomes]]:
    """durable-rules used well: one flat fact per check, one rule per decided outcome of each core
    requirement (its action records the outcome), assert_fact + delete_state, no threads."""
    from durable import engine as de

    found: list[tuple[str, str]] = []

    class Bare(de.Host):  # type: ignore[misc]
        def _run(self) -> None:
            pass

        def get_action(self, name: str) -> Any:
            rule, outcome = name.split("|")
            return lambda c: found.append((rule, outcome))

    host = Bare()
    rules: dict[str, Any] = {}
    for rid, (applies, sat, vio) in _MINIMAL.items():
        for outcome, test in (("satisfied", sat), ("violated", vio)):
            rules[f"{rid}_{outcome}"] = {"all": [{"x": {"$and": [{"t": "c"}, *applies, test]}}], "run": f"{rid}|{outcome}"}
    rules["keep"] = {"all": [{"x": {"t": "c"}}, {"n": {"t": "never"}}], "run": "keep|none"}
    rules["warm"] = {"all": [{"x": {"t": "w"}}], "run": "warm|none"}
    host.register_rulesets({"minimal": rules})
    host.assert_fact("minimal", {"sid": "w", "id": "w", "t": "w"})
    host.delete_state("minimal", "w")
    messages = [{"id": "c", "t": "c", **_flat(f)} for f in facts]
    counter = [0]

    def one(msg: dict[str, Any]) -> Outcomes:
        found.clear()
        counter[0] += 1
        sid = f"s{counter[0]}"
        host.assert_fact("minimal", {**msg, "sid": sid})
        host.delete_state("minimal", sid)
        return frozenset(o for o in found if o[0] != "keep" and o[0] != "warm")

    def run() -> int:
        for m in messages:
            one(m)
        return len(messages)

    return run, lambda f: one({"id": "c", "t": "c", **_flat(f)})


def durable_alone_direct(facts: list[FactSet]) -> tuple[Callable[[], int], Callable[[FactSet], Outcomes]]:
    """The same minimal encoding, driven the way the Rete engine drives durable-rules: its C engine
    directly (no Python host), one session reused and emptied by retraction, each firing read
    for its rule name only. Not the issue's peer (that is ``durable_alone``); the strongest use of
    durable-rules alone, so that the comparison is fair in both directions."""
    import durable_rules_engine as dre  # type: ignore[import-not-found]

    rules: dict[str, Any] = {}
    outcome_of: dict[str, tuple[str, str]] = {}
    for rid, (applies, sat, vio) in _MINIMAL.items():
        for outcome, test in (("satisfied", sat), ("violated", vio)):
            rules[f"{rid}_{outcome}"] = {"all": [{"x": {"$and": [{"t": "c"}, *applies, test]}}]}
            outcome_of[f"{rid}_{outcome}"] = (rid, outcome)
    rules["keep"] = {"all": [{"x": {"t": "c"}}, {"n": {"t": "never"}}]}
    rules["warm"] = {"all": [{"x": {"t": "w"}}]}
    outcome_of["warm"] = ("warm", "none")
    handle = dre.create_ruleset("minimal_direct", json.dumps(rules))
    _code, state = dre.assert_fact(handle, json.dumps({"sid": "w", "id": "w", "t": "w"}))
    if dre.start_action_for_state(handle, state):
        dre.complete_and_start_action(handle, state)
    dre.delete_state(handle, "w")
    texts = [json.dumps({"id": "c", "t": "c", **_flat(f)}, separators=(",", ":")) for f in facts]
    retract = '{"id":"c"}'

    def one(text: str) -> Outcomes:
        found = []
        _c, st = dre.assert_fact(handle, text)
        started = dre.start_action_for_state(handle, st)
        message = started[1] if started else None
        while message:
            found.append(outcome_of[message[2:message.index('"', 2)]])
            message = dre.complete_and_start_action(handle, st)
        dre.retract_fact(handle, retract)
        return frozenset(found)

    def run() -> int:
        for t in texts:
            one(t)
        return len(texts)

    return run, lambda f: one(json.dumps({"id": "c", "t": "c", **_flat(f)}, separators=(",", ":")))


def clips_peer(facts: list[FactSet]) -> tuple[Callable[[], int], Callable[[FactSet], Outcomes]]:
    """The core rules in CLIPS (clipspy); a fresh environment every 1,000 checks, because one
    environment gets slower with every check (measured in issue 10)."""
    import clips  # type: ignore[import-untyped]

    def fresh() -> tuple[Any, Any]:
        env = clips.Environment()
        env.build("""(deftemplate cfg (slot fr) (slot app) (slot kind) (slot de) (slot cm) (slot sb) (slot se) (slot fde)
          (slot fcm) (slot fsb) (slot formed) (slot dec) (slot seq) (slot onkw) (slot nprov) (slot cnt))""")
        env.build("(deftemplate outcome (slot rule) (slot value))")
        for r in (
            "(defrule ir01 (cfg (fr ?f&:(>= ?f 5000)) (cnt ?c) (nprov ?n)) (test (or (= ?c 0) (>= ?n 1))) => (assert (outcome (rule IR-01) (value (if (>= ?n 1) then satisfied else violated)))))",
            "(defrule ir05 (cfg (kind integrationsrat) (sb ?b) (se ?e)) => (assert (outcome (rule IR-05) (value (if (and (= ?b 0) (= ?e 0)) then satisfied else violated)))))",
            "(defrule ir06 (cfg (kind integrationsrat) (de ?d) (cm ?c)) => (assert (outcome (rule IR-06) (value (if (> ?d ?c) then satisfied else violated)))))",
            "(defrule ir09 (cfg (kind integrationsrat|integrationsausschuss) (fr ?f&:(>= ?f 5000)) (onkw TRUE)) => (assert (outcome (rule IR-09) (value satisfied))))",
            "(defrule ia01 (cfg (kind integrationsausschuss) (formed ?f)) => (assert (outcome (rule IA-01) (value (if (eq ?f council_resolution) then satisfied else violated)))))",
            "(defrule ia02 (cfg (kind integrationsausschuss) (dec ?n)) => (assert (outcome (rule IA-02) (value (if (= ?n 0) then satisfied else violated)))))",
            "(defrule ia03 (cfg (kind integrationsausschuss) (fde ?d) (fcm ?c) (fsb ?b)) => (assert (outcome (rule IA-03) (value (if (> ?d (+ ?c ?b)) then satisfied else violated)))))",
            "(defrule ia04 (cfg (kind integrationsausschuss) (seq ?s)) => (assert (outcome (rule IA-04) (value (if (eq ?s TRUE) then satisfied else violated)))))",
        ):
            env.build(r)
        return env, env.find_template("cfg")

    def row(f: FactSet) -> dict[str, Any]:
        x = _flat(f)
        for k in ("kind", "formed"):
            x[k] = clips.Symbol(str(x[k]))
        for k in ("seq", "onkw"):
            x[k] = clips.Symbol("TRUE" if x[k] else "FALSE")
        return x

    rows = [row(f) for f in facts]
    state: dict[str, Any] = {"n": 0}
    state["env"], state["tmpl"] = fresh()

    def one(r: dict[str, Any]) -> Outcomes:
        state["n"] += 1
        if state["n"] % 1000 == 0:
            state["env"], state["tmpl"] = fresh()
        env = state["env"]
        env.reset()
        state["tmpl"].assert_fact(**r)
        env.run()
        return frozenset((str(f["rule"]), str(f["value"])) for f in env.facts() if f.template.name == "outcome")

    def run() -> int:
        for r in rows:
            one(r)
        return len(rows)

    return run, lambda f: one(row(f))


def over(engine: Engine, pack: Pack, facts: list[FactSet]) -> Callable[[], int]:
    def run() -> int:
        for f in facts:
            engine.judge(pack, f)
        return len(facts)
    return run


def peers(results: dict[str, Any], full: Pack, n: int, rounds: int) -> None:
    facts = configurations(full, n)
    core = core_pack(full)
    compiled, rete, reference = CompiledEngine(), ReteEngine(), ReferenceEngine()
    alone_run, alone_one = durable_alone(facts)
    direct_run, direct_one = durable_alone_direct(facts)
    clips_run, clips_one = clips_peer(facts)
    # agreement first: every peer, every configuration, the decided outcomes of the 8 core rules
    disagreements: dict[str, int] = {}
    for f in facts:
        expected = decided(reference.judge(core, f))
        for name, got in (("compiled", decided(compiled.judge(core, f))), ("rete", decided(rete.judge(core, f))),
                          ("durable_alone", alone_one(f)), ("durable_alone_direct", direct_one(f)),
                          ("clips", clips_one(f)), ("plain_python", plain_judge(f))):
            if got != expected:
                disagreements[name] = disagreements.get(name, 0) + 1
        full_ref = reference.judge(full, f).comparable()
        for name, e in (("compiled_full", compiled), ("rete_full", rete)):
            if e.judge(full, f).comparable() != full_ref:
                disagreements[name] = disagreements.get(name, 0) + 1
    r = rates({
        "compiled_core": over(compiled, core, facts),
        "rete_core": over(rete, core, facts),
        "reference_core": over(reference, core, facts),
        "durable_alone_core": alone_run,
        "durable_alone_direct_core": direct_run,
        "clips_core": clips_run,
        "plain_python_core": lambda: sum(1 for f in facts if plain_judge(f) is not None),
        "compiled_full": over(compiled, full, facts),
        "rete_full": over(rete, full, facts),
        "reference_full": over(reference, full, facts),
    }, rounds)
    # the target of issue 10: the Rete engine against durable-rules alone, on the same
    # configurations and the same 8 rules, in back-to-back rounds
    rete_core = over(rete, core, facts)
    against_alone = ratio_rounds(rete_core, alone_run, 2 * rounds + 1)
    against_direct = ratio_rounds(rete_core, direct_run, 2 * rounds + 1)
    results["peers"] = {
        "configurations": len(facts), "rounds": rounds, "disagreements": disagreements,
        "rete_against_durable_alone": against_alone,
        "rete_against_durable_alone_direct": against_direct,
        "checks_per_s": {k: round(v) for k, v in r.items()},
        "ratios": {
            "compiled_over_durable_alone": round(r["compiled_core"] / r["durable_alone_core"], 2),
            "compiled_over_clips": round(r["compiled_core"] / r["clips_core"], 2),
            "durable_alone_over_rete": round(r["durable_alone_core"] / r["rete_core"], 2),
            "durable_alone_direct_over_rete": round(r["durable_alone_direct_core"] / r["rete_core"], 2),
            "compiled_over_reference_full": round(r["compiled_full"] / r["reference_full"], 2),
            "compiled_over_rete_full": round(r["compiled_full"] / r["rete_full"], 2),
            "plain_python_over_compiled": round(r["plain_python_core"] / r["compiled_core"], 2),
        },
    }


# ---------------------------------------------------------------------------------------------
# 2. growth with rules and with bodies


def synthetic_pack(n_rules: int) -> Pack:
    """``n_rules`` requirements over body facts, with three conclusions they rest on."""
    spec = PackSpec.model_validate({"id": f"synthetic-{n_rules}", "title": {"de": "s", "en": "s"}, "land": "NW",
                                    "law": "X", "status": "proposal"})
    pack = Pack(spec=spec, directory=Path("synthetic"), rules=[], conclusion_specs={
        "size": ConclusionSpec.model_validate({"scope": "municipality", "values": ["large", "small"], "label": {"de": "s", "en": "s"}})})

    def add(raw: dict[str, Any]) -> None:
        raw = {"title": {"de": "t", "en": "t"}, "citation": {"law": "X", "section": "1"},
               "statute": {"text": "x", "reliability": "R"}, **raw}
        pack.rules.append(Rule(spec=RuleSpec.model_validate(raw), location=Location("synthetic", 1, 1),
                               applies=parse(raw["applies"], pack.fact_type) if "applies" in raw else None,
                               requires=parse(raw["requires"], pack.fact_type) if "requires" in raw else None,
                               when=parse(raw["when"], pack.fact_type) if "when" in raw else None))

    b = {"de": "b", "en": "b"}
    add({"id": "C-1", "type": "conclusion", "scope": "municipality", "when": "municipality.foreign_residents >= 5000",
         "conclude": {"size": "large"}, "because": b})
    add({"id": "C-2", "type": "conclusion", "scope": "municipality", "when": "municipality.foreign_residents < 5000",
         "conclude": {"size": "small"}, "because": b})
    msgs = {"violated": {"de": "v", "en": "v"}, "satisfied": {"de": "s", "en": "s"}}
    for i in range(n_rules):
        kind = KNOWN_KINDS[i % 2]
        shape = i % 4
        requires = (f"seats.directly_elected > seats.council_members + {i % 5}" if shape == 0 else
                    f"powers.decisions <= {i % 3}" if shape == 1 else
                    f"body.formed_by == '{('election', 'council_resolution')[i % 2]}' or seats.total >= {i % 40}" if shape == 2 else
                    f"filled.directly_elected * 2 >= seats.directly_elected + {i % 3}")
        add({"id": f"R-{i}", "scope": "body", "modality": "muss", "messages": msgs, "requires": requires,
             "applies": f"body.kind == '{kind}'" + (" and size == 'large'" if i % 3 == 0 else "")})
    return pack


def growth(results: dict[str, Any], full: Pack, n: int, rounds: int, sizes: list[int]) -> None:
    engines: dict[str, Engine] = {"compiled": CompiledEngine(), "rete": ReteEngine(), "reference": ReferenceEngine()}
    by_rules: dict[str, Any] = {}
    for size in sizes:
        pack = full if size == len(full.requirements()) else synthetic_pack(size)
        facts = configurations(pack, n, seed=size)
        ref = [engines["reference"].judge(pack, f).comparable() for f in facts[:200]]
        agree = {k: all(e.judge(pack, f).comparable() == r for f, r in zip(facts[:200], ref, strict=True))
                 for k, e in engines.items()}
        r = rates({k: over(e, pack, facts) for k, e in engines.items()}, rounds)
        by_rules[str(size)] = {"pack": pack.id, "requirements": len(pack.requirements()), "agree_on_200": agree,
                               "checks_per_s": {k: round(v) for k, v in r.items()}}
    results["growth_with_rules"] = by_rules
    by_bodies: dict[str, Any] = {}
    for bodies in (1, 5, 20):
        facts = configurations(full, max(200, n // bodies), bodies=bodies, seed=bodies)
        r = rates({k: over(e, full, facts) for k, e in engines.items()}, rounds)
        by_bodies[str(bodies)] = {"checks_per_s": {k: round(v) for k, v in r.items()}}
    results["growth_with_bodies"] = by_bodies


# ---------------------------------------------------------------------------------------------
# 3. a Germany-sized batch, end to end


# A run of `optionsmodell batch` in a process that reports its own CPU and its workers' (user + sys,
# resource.getrusage), so that the scaling can be read on a machine whose cores others use too
_BATCH_RUN = """
import json, resource, sys
from optionsmodell.cli import main
usage_file = sys.argv[1]
sys.argv = ["optionsmodell", *sys.argv[2:]]
try:
    main()
finally:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(usage_file, "w") as f:
        json.dump({"parent_cpu_s": s.ru_utime + s.ru_stime, "workers_cpu_s": c.ru_utime + c.ru_stime}, f)
"""


def germany(results: dict[str, Any], municipalities: int, jobs_all: int, rounds: int) -> None:
    import yaml

    munis = batchmod.read_table(batchmod.default_table(), batchmod.parse_columns([]))
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "germany.csv"
        bodies_file = Path(tmp) / "bodies.yaml"
        usage = Path(tmp) / "usage.json"
        rows = [["ags", "municipality_name", "foreign_est_census22", "population_census22"]]
        bodies: dict[str, list[dict[str, Any]]] = {}
        for i in range(municipalities):
            m = munis[i % len(munis)]
            ags = f"{10000000 + i:08d}"
            rows.append([ags, f"{m.name} {i}", str(max(0, (m.foreign_residents or 0) + rng.randint(-500, 500))), str(m.population or 0)])
            bodies[ags] = [{"kind": rng.choice(["integrationsrat", "integrationsausschuss"]),
                            "formed_by": rng.choice(["election", "council_resolution"]),
                            "seats": {"directly_elected": rng.randint(2, 30), "council_members": rng.randint(1, 15)},
                            "election": {"with_local_election": rng.random() < 0.7}}
                           for _ in range(rng.randint(1, 3))]
        with table.open("w", newline="") as f:
            csv.writer(f).writerows(rows)
        bodies_file.write_text(yaml.safe_dump({"bodies": bodies}, sort_keys=False))
        regimes = [p.id for p in load_all() if p.spec.land == "NW"]
        n_rows = municipalities * len(regimes)
        base = [sys.executable, "-c", _BATCH_RUN, str(usage), "batch", str(table), "--bodies", str(bodies_file),
                "--as-of", DAY.isoformat(), "--format", "json", "--max-input", "16"]
        out: dict[str, Any] = {"municipalities": municipalities, "regimes": len(regimes), "rows": n_rows,
                               "bodies_file_mb": round(bodies_file.stat().st_size / 1e6, 1), "cpus": os.cpu_count()}

        def one_run(extra: list[str]) -> dict[str, Any]:
            load = os.getloadavg()[0]
            t = time.perf_counter()
            proc = subprocess.run(base + extra, cwd=ROOT, capture_output=True, text=True, check=False)
            secs = time.perf_counter() - t
            ok = proc.returncode == 0 and len(json.loads(proc.stdout)["rows"]) == n_rows
            cpu = json.loads(usage.read_text())
            return {"seconds": secs, "ok": ok, "error": None if ok else proc.stderr[-300:], "stdout": proc.stdout,
                    "load_before": load, **cpu}

        # one worker and all workers take turns, so that a load that comes and goes falls on both
        # alike; the issue's peer (durable-rules alone, 5,000 checks) runs right before each
        # one-worker run, and the batch's rows/s over its checks/s is taken per round: the speed of
        # this machine drifts between runs by a fifth and more
        alone_run, _ = durable_alone(configurations({p.id: p for p in load_all()}["nrw-2018"], 5000))
        runs: dict[int, list[dict[str, Any]]] = {1: [], jobs_all: []}
        against_peer: list[tuple[float, float]] = []
        for _ in range(rounds):
            for jobs in runs:
                peer = _rate(alone_run) if jobs == 1 else 0.0
                runs[jobs].append(one_run(["--jobs", str(jobs)]))
                if jobs == 1:
                    against_peer.append((n_rows / runs[1][-1]["seconds"], peer))
        outputs = {r["stdout"] for rs in runs.values() for r in rs}
        out["same_output_all_runs"] = len(outputs) == 1
        for jobs, rs in runs.items():
            secs = statistics.median(r["seconds"] for r in rs)
            parent = statistics.median(r["parent_cpu_s"] for r in rs)
            workers = statistics.median(r["workers_cpu_s"] for r in rs)
            cpu = parent + workers
            out[f"jobs_{jobs}"] = {
                "seconds": round(secs, 2), "rows_per_s": round(n_rows / secs), "ok": all(r["ok"] for r in rs),
                "error": next((r["error"] for r in rs if r["error"]), None),
                "parent_cpu_s": round(parent, 2), "workers_cpu_s": round(workers, 2),
                "cpu_s_per_1000_rows": round(cpu / n_rows * 1000, 3),
                "cpu_s_per_1000_rows_per_worker": round(cpu / n_rows * 1000 / jobs, 3),
                # the wall time if every process had a core to itself: the parent's CPU, plus the
                # workers' shared out among them
                "seconds_if_cores_free": round(parent + (workers / jobs if jobs > 1 else 0), 2),
                "load_average_before": [round(r["load_before"], 2) for r in rs],
            }
        # the most any program could gain from the cores here: pure Python work in `jobs_all`
        # processes at once against one (a virtual machine's cores share caches and more)
        out["cpu_scaling_ceiling"] = cpu_ceiling(jobs_all)
        out["one_worker_rows_per_s_over_durable_alone_checks_per_s"] = {
            "median": round(statistics.median(b / p for b, p in against_peer), 2),
            "rounds": [{"rows_per_s": round(b), "durable_alone_checks_per_s": round(p)} for b, p in against_peer]}
        one, many = out["jobs_1"], out[f"jobs_{jobs_all}"]
        out["parallel_efficiency_wall"] = round(one["seconds"] / many["seconds"], 2)
        out["parallel_efficiency_if_cores_free"] = round(one["seconds_if_cores_free"] / many["seconds_if_cores_free"], 2)
        rete = one_run(["--jobs", "1", "--engine", "rete"])
        out["jobs_1_rete"] = {"seconds": round(rete["seconds"], 2), "rows_per_s": round(n_rows / rete["seconds"]),
                              "ok": rete["ok"], "error": rete["error"]}
        results["germany_batch"] = out


def _spin(n: int) -> None:
    total = 0
    for i in range(n):
        total += i


def cpu_ceiling(jobs: int, n: int = 20_000_000, rounds: int = 3) -> float:
    """The throughput of ``jobs`` processes each doing the same pure Python work at once, over one
    process doing it alone (median of rounds): how far this machine lets any work scale."""
    import multiprocessing

    context = multiprocessing.get_context("fork")

    def timed(k: int) -> float:
        processes = [context.Process(target=_spin, args=(n,)) for _ in range(k)]
        t = time.perf_counter()
        for p in processes:
            p.start()
        for p in processes:
            p.join()
        return time.perf_counter() - t

    return round(statistics.median(jobs * timed(1) / timed(jobs) for _ in range(rounds)), 2)


# ---------------------------------------------------------------------------------------------
# 4. memory and engine errors over many checks


def memory(results: dict[str, Any], checks: int) -> None:
    pack = synthetic_pack(150)
    facts = configurations(pack, 1000, seed=150)
    rete = ReteEngine()
    errors = 0
    gc.collect()
    samples = [(0, round(rss_mb(), 1))]
    for i in range(1, checks + 1):
        try:
            rete.judge(pack, facts[i % len(facts)])
        except Exception:
            errors += 1
        if i % (checks // 10) == 0:
            samples.append((i, round(rss_mb(), 1)))
    results["memory_150_rules"] = {"checks": checks, "engine_errors": errors, "rss_mb": samples,
                                   "growth_mb_after_first_10pct": round(samples[-1][1] - samples[1][1], 1)}


# ---------------------------------------------------------------------------------------------
# 5. explore per regime; 6. a single check


# the state of main when issue 10 was filed (end of 2026-11-25): its target "explore diff and
# explore consistency >= 3x faster than today" is measured against this commit
EXPLORE_BASELINE = "dd7491d"


# explore's own work in one process, the packs loaded before the clock starts: the same call in
# this tree and in the baseline (their signatures agree: pack(s), name, land, seed, tries, most)
EXPLORE_WORK = """
import sys, time
from optionsmodell import explore
from optionsmodell.packs import load_all
packs = {p.id: p for p in load_all()}
what = sys.argv[1:]
t = time.perf_counter()
if what[0] == "consistency":
    explore.consistency(packs[what[1]])
else:
    explore.diff(packs[what[1]], packs[what[2]], name="Köln", land="NW", seed=0, tries=300, most=5)
print(time.perf_counter() - t)
"""


def _work(cmd: list[str]) -> float:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return float(proc.stdout.split()[-1])


def explore(results: dict[str, Any], runs: int) -> None:
    """`explore consistency` per regime and `explore diff` per pair of consecutive regimes, wall time
    of the command as a user runs it: this tree against the baseline commit, checked out with
    `git archive` into a temporary folder and run with the same Python and libraries
    (PYTHONPATH), both byte-compiled; they take turns in every round, and the ratio is the median
    of the rounds' ratios. Start-up (`--help` of the command: imports only) is measured the same way:
    where it is most of a command's time, no change to explore can make the command 3× faster. The packs have grown since the baseline (the
    same command judges more rules now), so the ratio understates the gain per rule. The same
    rounds also time explore's own work in one process (EXPLORE_WORK: the function, packs already
    loaded), which start-up and pack loading do not blur."""
    py = sys.executable
    regimes = [p.id for p in sorted(load_all(), key=lambda p: p.spec.valid_from or dt.date.max) if p.spec.land == "NW"]
    koeln = str(ROOT / "scenarios" / "koeln-2020.yaml")
    out: dict[str, Any] = {"baseline": EXPLORE_BASELINE, "rounds": runs}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", EXPLORE_BASELINE], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        for tree in (base / "src", ROOT / "src"):
            subprocess.run([py, "-m", "compileall", "-q", str(tree)], check=True, stdout=subprocess.DEVNULL)
        base_rules = {d.name for d in (base / "rules").iterdir() if (d / "pack.yaml").is_file()}
        old_cmd = ["env", f"PYTHONPATH={base / 'src'}", py, "-m", "optionsmodell"]
        new_cmd = [py, "-m", "optionsmodell"]
        commands: dict[str, list[str]] = {"start-up": ["explore", "diff", "--help"]}
        commands.update({f"consistency {rid}": ["explore", "consistency", "--regime", rid] for rid in regimes if rid in base_rules})
        commands.update({f"diff {a} {b}": ["explore", "diff", koeln, "--regime", a, "--regime", b]
                         for a, b in itertools.pairwise(regimes) if a in base_rules and b in base_rules})
        for label, args in commands.items():
            old_t: list[float] = []
            new_t: list[float] = []
            old_w: list[float] = []
            new_w: list[float] = []
            work = label.split() if label != "start-up" else None
            for _ in range(runs):
                new, old = walls([new_cmd + args, old_cmd + args], 1)
                new_t.append(new)
                old_t.append(old)
                if work is not None:
                    new_w.append(_work([py, "-c", EXPLORE_WORK, *work]))
                    old_w.append(_work(["env", f"PYTHONPATH={base / 'src'}", py, "-c", EXPLORE_WORK, *work]))
            ratios = [o / n for o, n in zip(old_t, new_t, strict=True)]
            out[label] = {"new_s": round(statistics.median(new_t), 2), "baseline_s": round(statistics.median(old_t), 2),
                          "ratio": round(statistics.median(ratios), 2)}
            if work is not None:
                out[label].update({"new_work_s": round(statistics.median(new_w), 3),
                                   "baseline_work_s": round(statistics.median(old_w), 3),
                                   "work_ratio": round(statistics.median(o / n for o, n in zip(old_w, new_w, strict=True)), 2)})
            print(f"explore {label}: {out[label]}", file=sys.stderr, flush=True)
        # the floor of the stack for this command line (benchmarks/typer_floor.py) and the bare
        # imports, in turns with the small packs' commands: what 3x end to end would leave to us
        small = [rid for rid in ("nrw-2009", "nrw-2013", "nrw-2025") if f"consistency {rid}" in commands]
        floor_cmds = [[py, "-c", "import pydantic, typer, yaml"],
                      [py, str(ROOT / "benchmarks" / "typer_floor.py"), "explore", "consistency", "--regime", "nrw-2013"],
                      *(new_cmd + commands[f"consistency {rid}"] for rid in small)]
        got = walls(floor_cmds, 2 * runs + 1)
        out["floor"] = {"bare_imports_s": round(got[0], 3), "typer_floor_s": round(got[1], 3),
                        **{f"consistency {rid}": {"new_s": round(t, 3), "target_s": round(out[f"consistency {rid}"]["baseline_s"] / 3, 3)}
                           for rid, t in zip(small, got[2:], strict=True)}}
        print(f"explore floor: {out['floor']}", file=sys.stderr, flush=True)
    results["explore"] = out


# The chosen stack's floor for a single check: a typer app with check's command line (the
# callback's --rules/--version, check's files and options) whose command validates one pydantic
# model. typer 0.29 builds a pydantic TypeAdapter per parameter, and pydantic's first validator
# imports its model machinery and plugin loader (importlib.metadata): no check written with these
# libraries starts faster than this.
STACK_FLOOR = """
from enum import StrEnum
from pathlib import Path
from typing import Annotated
import pydantic, typer, yaml
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
class Fmt(StrEnum):
    text = "text"
    json = "json"
@app.callback()
def _main(rules: Annotated[list[Path] | None, typer.Option("--rules")] = None,
          version: Annotated[bool, typer.Option("--version")] = False) -> None:
    pass
@app.command()
def check(files: Annotated[list[Path], typer.Argument()], regime: Annotated[str | None, typer.Option()] = None,
          as_of: Annotated[str | None, typer.Option("--as-of")] = None,
          fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.text, lang: Annotated[Fmt, typer.Option()] = Fmt.text,
          show_all: Annotated[bool, typer.Option("--all")] = False, engine: Annotated[Fmt | None, typer.Option()] = None,
          strict: Annotated[bool, typer.Option()] = False) -> None:
    class M(pydantic.BaseModel):
        name: str
    M.model_validate({"name": "x"})
    typer.echo("ok")
app(["check", *__import__("sys").argv[1:]])
"""


def single_check(results: dict[str, Any], runs: int) -> None:
    # the baseline's packages were byte-compiled when pip installed them; compile src as a
    # regular install would (this machine sets PYTHONDONTWRITEBYTECODE)
    py = sys.executable
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "src")], check=True, stdout=subprocess.DEVNULL)
    script = str(Path(py).parent / "optionsmodell")
    koeln = str(ROOT / "scenarios" / "koeln-2020.yaml")
    with tempfile.TemporaryDirectory() as cache:
        # the bundled packs are kept between runs (packcache) as byte code is; the first check after
        # an install or a change of a pack reads them from their YAML: measured on its own
        env = {**os.environ, "OPTIONSMODELL_CACHE": cache}
        t = time.perf_counter()
        subprocess.run([script, "check", koeln], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        first = time.perf_counter() - t
        bare, single, rete, floor = walls([[py, "-c", "import pydantic, typer, yaml, durable.lang"],
                                           [script, "check", koeln], [script, "check", koeln, "--engine", "rete"],
                                           [py, "-c", STACK_FLOOR, koeln]], runs, env=env)
    results["single_check"] = {"bare_imports_s": round(bare, 3), "check_s": round(single, 3), "ratio": round(single / bare, 2),
                               "engine": "compiled (check's default)",
                               "check_rete_s": round(rete, 3), "ratio_rete": round(rete / bare, 2),
                               "first_check_after_install_s": round(first, 3), "target_ratio": 2.0,
                               "stack_floor_s": round(floor, 3), "ratio_stack_floor": round(floor / bare, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a smoke run: small counts")
    ap.add_argument("--only", nargs="*", help="peers growth germany memory explore single")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = ap.parse_args()
    q = args.quick
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "date": dt.date.today().isoformat(),
                               "quick": q}
    full = {p.id: p for p in load_all()}["nrw-2018"]
    parts: dict[str, Callable[[], None]] = {
        "single": lambda: single_check(results, 3 if q else 9),
        "peers": lambda: peers(results, full, 500 if q else 5000, 3 if q else 5),
        "growth": lambda: growth(results, full, 200 if q else 500, 3, [13, 23, 100] if q else [13, 23, 100, 200, 1000]),
        "explore": lambda: explore(results, 1 if q else 5),
        "germany": lambda: germany(results, 500 if q else 10_800, os.cpu_count() or 1, 1 if q else 3),
        "memory": lambda: memory(results, 2000 if q else 100_000),
    }
    for name, part in parts.items():
        if args.only and name not in args.only:
            continue
        t = time.perf_counter()
        part()
        print(f"{name}: {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
