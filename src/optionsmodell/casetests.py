"""Rule tests as data: each pack ships YAML cases (configuration → expected findings) under
``src/optionsmodell/rules/<pack>/tests/``. Run by pytest and by ``optionsmodell test``, which also reports the rules
no case exercises (rule coverage): every requirement needs a violating and a satisfying case, and
every conclusion a case that draws it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .check import judge_loaded
from .configuration import Configuration, LoadedConfiguration
from .engine import Engine
from .packs import Pack
from .safe_yaml import InputError, LoadedYaml, load_file

OUTCOMES = ("violated", "likely_violated", "satisfied", "undetermined", "not_applicable")


@dataclass
class CaseResult:
    pack: str
    file: str
    name: str
    failures: list[str]


@dataclass
class Coverage:
    missing: dict[str, list[str]] = field(default_factory=dict)  # rule id -> outcomes no case asserts

    @property
    def complete(self) -> bool:
        return not self.missing


def case_files(pack: Pack) -> list[Path]:
    return sorted((pack.directory / "tests").glob("*.yaml"))


def _sub(loaded: LoadedYaml, prefix: tuple[str | int, ...]) -> LoadedYaml:
    """The case's configuration, keeping the lines of the test file for error messages."""
    out = LoadedYaml(None, loaded.file)
    for path, loc in loaded.locations.items():
        if path[: len(prefix)] == prefix:
            out.locations[path[len(prefix):]] = loc
    for path, loc in loaded.key_locations.items():
        if path[: len(prefix)] == prefix:
            out.key_locations[path[len(prefix):]] = loc
    return out


def run_pack(pack: Pack, packs: list[Pack], engine: Engine | None = None) -> tuple[list[CaseResult], Coverage]:
    results: list[CaseResult] = []
    asserted: dict[str, set[str]] = {r.id: set() for r in pack.rules}
    for path in case_files(pack):
        loaded = load_file(path)
        cases = loaded.data.get("cases") if isinstance(loaded.data, dict) else None
        if not isinstance(cases, list):
            raise InputError(loaded.locate(()), "a case file needs a `cases:` list", file=loaded.file)
        for i, case in enumerate(cases):
            results.append(_run_case(pack, packs, loaded, i, case, asserted, engine))
    coverage = Coverage()
    for rule in pack.rules:
        wanted = ("violated", "satisfied") if rule.spec.type == "requirement" else ("concluded",)
        missing = [w for w in wanted if w not in asserted[rule.id]]
        if missing:
            coverage.missing[rule.id] = missing
    return results, coverage


def _run_case(pack: Pack, packs: list[Pack], loaded: LoadedYaml, i: int, case: object,
              asserted: dict[str, set[str]], engine: Engine | None = None) -> CaseResult:
    where = loaded.locate(("cases", i))
    if not isinstance(case, dict) or "config" not in case or "expect" not in case:
        raise InputError(where, "a case needs `name`, `config` and `expect`", file=loaded.file)
    name = str(case.get("name", f"case {i + 1}"))
    sub = _sub(loaded, ("cases", i, "config"))
    sub.data = case["config"]
    try:
        config = Configuration.model_validate(case["config"])
    except ValidationError as e:
        raise InputError(where, f"{name}: configuration invalid: {e.errors(include_url=False)[0]['msg']}", file=loaded.file) from None
    result = judge_loaded(LoadedConfiguration(config=config, source=sub), file=f"{loaded.file}#{name}",
                          regime=pack.id, lang="en", packs=packs, engine=engine)
    got = {(f.rule.id, f.body): f.outcome for f in result.findings}
    judged = {(f.rule.id, f.body): f.judged_outcome for f in result.findings}
    failures: list[str] = []
    expect = case["expect"]
    if not isinstance(expect, dict):
        raise InputError(where, f"{name}: `expect` maps RULE-ID (or RULE-ID@BODY) to an outcome", file=loaded.file)
    for key, outcome in expect.items():
        rule_id, _, body_text = str(key).partition("@")
        rule = pack.rule(rule_id)
        if rule is None:
            failures.append(f"{key}: no such rule in {pack.id}")
            continue
        if rule.spec.type == "conclusion":
            fired = any(rule_id in by for by in result.derived_by.values())
            if (outcome == "concluded") != fired:
                failures.append(f"{key}: expected {outcome}, got {'concluded' if fired else 'not concluded'}")
            elif fired:
                asserted[rule_id].add("concluded")
            continue
        if outcome not in OUTCOMES:
            failures.append(f"{key}: unknown outcome {outcome!r} ({', '.join(OUTCOMES)})")
            continue
        body = int(body_text) if body_text else (0 if rule.spec.scope == "body" else None)
        actual = got.get((rule_id, body), "absent")
        if actual != outcome:
            failures.append(f"{key}: expected {outcome}, got {actual}")
        else:
            asserted[rule_id].add(outcome)
            # a likely violation (text unverified) and an open question whose condition fails are
            # the rule's violating side: the policy reports them so (policy.py)
            if judged.get((rule_id, body)) == "violated":
                asserted[rule_id].add("violated")
    verdict = case.get("verdict")
    if verdict is not None and verdict != result.verdict:
        failures.append(f"verdict: expected {verdict}, got {result.verdict}")
    return CaseResult(pack=pack.id, file=loaded.file, name=name, failures=failures)

