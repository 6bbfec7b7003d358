"""One check, end to end: configuration → regime → facts → judgement → findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .configuration import LoadedConfiguration, load_configuration
from .engine import Engine, default_engine
from .explain import Explainer, Finding, verdict
from .facts import FactSet, FactValue, extract
from .packs import Header, Pack, PackLike, headers, load_cached, select, why_missing
from .record import MutableRecord
from .safe_yaml import InputError


class CheckResult(MutableRecord):
    __slots__ = ("date_source", "day", "derived", "derived_by", "engine", "facts", "file", "findings", "loaded",
                 "pack", "strict", "transition", "verdict_override")
    file: str
    loaded: LoadedConfiguration
    pack: Pack
    day: dt.date
    engine: str
    findings: list[Finding]
    facts: FactSet
    derived: dict[tuple[str, int | None], FactValue]
    derived_by: dict[tuple[str, int | None], list[str]]
    strict: bool
    transition: TransitionNote | None
    # set when the transitional law is unverified and the two readings lead to different verdicts
    verdict_override: str | None
    # where the day judged at came from: the file's `date`, --as-of, or today (nothing given)
    date_source: str

    def __init__(self, file: str, loaded: LoadedConfiguration, pack: Pack, day: dt.date, engine: str,
                 findings: list[Finding], facts: FactSet, derived: dict[tuple[str, int | None], FactValue],
                 derived_by: dict[tuple[str, int | None], list[str]], strict: bool = False,
                 transition: TransitionNote | None = None, verdict_override: str | None = None,
                 date_source: str = "file") -> None:
        self.file, self.loaded, self.pack, self.day, self.engine = file, loaded, pack, day, engine
        self.findings, self.facts, self.derived, self.derived_by = findings, facts, derived, derived_by
        self.strict, self.transition, self.verdict_override, self.date_source = strict, transition, verdict_override, date_source

    @property
    def verdict(self) -> str:
        return self.verdict_override or verdict(self.findings)


class TransitionNote(MutableRecord):
    """Why a configuration is judged by a law other than the one in force on its date: its bodies
    were elected or formed for a council term under that law, and the transition keeps them there."""

    __slots__ = ("day", "formed", "governing", "in_force", "in_force_findings", "reason", "reliability", "source",
                 "text", "verdict_governing", "verdict_in_force")
    in_force: str
    governing: str
    formed: dt.date
    day: dt.date
    reason: str  # "elected_for_next_term" | "formed_under_previous"
    text: str
    reliability: str
    source: str | None
    verdict_in_force: str
    verdict_governing: str
    # what the law in force on the day would have found (the other reading), as "citation: title"
    in_force_findings: list[str]

    def __init__(self, in_force: str, governing: str, formed: dt.date, day: dt.date, reason: str, text: str,
                 reliability: str, source: str | None, verdict_in_force: str, verdict_governing: str,
                 in_force_findings: list[str] | None = None) -> None:
        self.in_force, self.governing, self.formed, self.day, self.reason = in_force, governing, formed, day, reason
        self.text, self.reliability, self.source = text, reliability, source
        self.verdict_in_force, self.verdict_governing = verdict_in_force, verdict_governing
        self.in_force_findings = [] if in_force_findings is None else in_force_findings

    @property
    def unverified(self) -> bool:
        return self.reliability in ("S", "R")

    @property
    def open(self) -> bool:
        return self.unverified and self.verdict_in_force != self.verdict_governing

    def lines(self, lang: str) -> list[str]:
        f, d = self.formed.isoformat(), self.day.isoformat()
        next_term = self.reason == "elected_for_next_term"
        if lang == "en":
            why = (f"its body was elected on {f} for the council term that begins under {self.governing}" if next_term
                   else f"its body was elected or formed on {f} under {self.governing} and still sits for that term")
            out = [f"Law applied: {self.governing}, not {self.in_force} (in force on {d}): {why}.",
                   f"Transitional law [{self.reliability}]: {self.text}"]
            readings = (f"The transitional law is not verified and the readings differ: under {self.governing} "
                        f"{self.verdict_governing}, under {self.in_force} {self.verdict_in_force}; hence undetermined.")
            under = "under"
        else:
            why = (f"das Gremium wurde am {f} für die Wahlperiode gewählt, die unter {self.governing} beginnt"
                   if next_term else
                   f"das Gremium wurde am {f} unter {self.governing} gewählt oder gebildet und sitzt noch für diese Wahlperiode")
            out = [f"Angewandtes Recht: {self.governing}, nicht {self.in_force} (am {d} in Kraft): {why}.",
                   f"Übergangsrecht [{self.reliability}]: {self.text}"]
            readings = (f"Das Übergangsrecht ist nicht verifiziert und die Lesarten führen zu verschiedenen Ergebnissen: "
                        f"nach {self.governing} {self.verdict_governing}, nach {self.in_force} {self.verdict_in_force}; "
                        "daher nicht entscheidbar.")
            under = "nach"
        if self.open:
            out.append(readings)
        # what the law in force would have found, in both languages (the JSON always has it too)
        out.extend(f"  {under} {self.in_force}: {x}" for x in self.in_force_findings)
        return out
        why = (f"das Gremium wurde am {f} für die Wahlperiode gewählt, die unter {self.governing} beginnt"
               if self.reason == "elected_for_next_term" else
               f"das Gremium wurde am {f} unter {self.governing} gewählt oder gebildet und sitzt noch für diese Wahlperiode")
        out = [f"Angewandtes Recht: {self.governing}, nicht {self.in_force} (am {d} in Kraft): {why}.",
               f"Übergangsrecht [{self.reliability}]: {self.text}"]
        if self.open:
            out.append(f"Das Übergangsrecht ist nicht verifiziert und die Lesarten führen zu verschiedenen Ergebnissen: "
                       f"nach {self.governing} {self.verdict_governing}, nach {self.in_force} {self.verdict_in_force}; "
                       "daher nicht entscheidbar.")
            out.extend(f"  nach {self.in_force}: {x}" for x in self.in_force_findings)
        return out

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "in_force": self.in_force, "applied": self.governing, "formed": self.formed.isoformat(),
            "reason": self.reason, "text": self.text, "reliability": self.reliability, "source": self.source,
            "verdicts": {self.governing: self.verdict_governing, self.in_force: self.verdict_in_force},
            "in_force_findings": self.in_force_findings,
            "open": self.open, "explanation": self.lines(lang),
        }


def find_pack(packs: Sequence[PackLike], regime: str | None, land: str, day: dt.date, file: str) -> PackLike:
    if regime is not None:
        for p in packs:
            if p.id == regime:
                if p.spec.land != land:
                    raise InputError(
                        None,
                        f"regime {p.id} is the law of Land {p.spec.land}; this municipality is in {land} "
                        f"(municipality.land)",
                        file=file,
                    )
                return p
        why = why_missing(regime)
        if why is not None:
            raise InputError(None, f"rule pack {regime} cannot be used: {why.render()}", file=file)
        raise InputError(None, f"unknown regime '{regime}' (known: {', '.join(p.id for p in packs)})", file=file)
    pack = select(packs, land=land, day=day)
    if pack is None:
        lands = sorted({p.spec.land for p in packs})
        raise InputError(
            None,
            f"no enacted regime of Land {land} is in force on {day.isoformat()} "
            f"(regimes exist for {', '.join(lands)}; name one with --regime)",
            file=file,
        )
    return pack


# An undated configuration is judged at today's date only if the law of its Land has not changed
# within this many years: a draft written under the old law must not be judged by the new one's
# words unnoticed (issue 9 point 3; README "Undated configurations").
UNDATED_WINDOW_YEARS = 2


def undated_ambiguity(land: str, today: dt.date, packs: Sequence[PackLike] | None = None) -> tuple[str, str, dt.date] | None:
    """If the enacted law of ``land`` changed within the window before ``today``: the old and the
    new regime and the day of the change."""
    ps: Sequence[PackLike] = packs if packs is not None else headers()  # type: ignore[assignment]
    now = select(ps, land=land, day=today)
    try:
        then_day = today.replace(year=today.year - UNDATED_WINDOW_YEARS)
    except ValueError:  # 29 February
        then_day = today.replace(year=today.year - UNDATED_WINDOW_YEARS, day=28)
    then = select(ps, land=land, day=then_day)
    if now is None or then is None or now.id == then.id:
        return None
    assert now.spec.valid_from is not None
    return then.id, now.id, now.spec.valid_from


def judge_loaded(
    loaded: LoadedConfiguration,
    *,
    file: str,
    regime: str | None = None,
    as_of: dt.date | None = None,
    lang: str = "de",
    engine: Engine | None = None,
    packs: list[Pack] | None = None,
    strict: bool = False,
    transitions: bool = True,
) -> CheckResult:
    """Judge one configuration. Without ``regime`` the law is the one in force on the file's date,
    unless a transition keeps its bodies under the law they were elected or formed under
    (``transitions=False`` turns that off, as when a regime is named)."""
    config = loaded.config
    day = config.date or as_of or dt.date.today()
    date_source = "file" if config.date else "as_of" if as_of else "today"
    # choose by pack.yaml alone, then read only that pack's rules (and its base's)
    choices = headers() if packs is None else [Header(p.spec, p.directory) for p in packs]
    by_id = {p.id: p for p in packs or []}

    def pack_of(h: Header) -> Pack:
        return by_id[h.id] if h.id in by_id else load_cached(h.directory)

    chosen = find_pack(choices, regime, config.municipality.land, day, file)
    pack = pack_of(chosen)
    if regime is None and transitions:
        governed = _transition(choices, chosen, loaded, day)
        if governed is not None:
            gov, reason, formed = governed
            gov_pack = pack_of(gov)
            kwargs: dict[str, Any] = {"file": file, "as_of": as_of, "lang": lang, "engine": engine, "packs": packs,
                                      "strict": strict, "transitions": False}
            in_force = judge_loaded(loaded, regime=pack.id, **kwargs)
            result = judge_loaded(loaded, regime=gov_pack.id, **kwargs)
            result.day = day
            t = (gov if reason == "elected_for_next_term" else chosen).spec.transition
            assert t is not None
            result.transition = TransitionNote(
                in_force=pack.id, governing=gov_pack.id, formed=formed, day=day, reason=reason, text=t.text,
                reliability=t.reliability, source=t.source, verdict_in_force=in_force.verdict,
                verdict_governing=result.verdict,
                in_force_findings=[f"{f.outcome}: {f.rule.spec.citation.render()} {f.rule.spec.title.get(lang)} [{f.rule.id}]"
                                   for f in in_force.findings if f.outcome in ("violated", "likely_violated")])
            if result.transition.open:
                result.verdict_override = "undetermined"
            result.date_source = date_source
            return result
    result = _judge(loaded, pack, file=file, day=day, lang=lang, engine=engine, strict=strict)
    result.date_source = date_source
    return result


def _transition(choices: Sequence[Header], chosen: Header, loaded: LoadedConfiguration,
                day: dt.date) -> tuple[Header, str, dt.date] | None:
    """The version the configuration's bodies are governed by, if a transition says it is not the one
    in force: (version, reason, day the bodies were elected or formed)."""
    elected = {b.election.date for b in loaded.config.bodies if b.election is not None and b.election.date is not None}
    if len(elected) != 1:
        return None  # no dated body, or bodies of different terms: judged by the law in force
    formed = elected.pop()
    land = [p for p in choices if p.spec.land == chosen.spec.land and p.spec.status == "enacted" and p.spec.valid_from]
    land.sort(key=lambda p: p.spec.valid_from or dt.date.min)
    i = next(k for k, p in enumerate(land) if p.id == chosen.id)
    nxt = land[i + 1] if i + 1 < len(land) else None
    prev = land[i - 1] if i > 0 else None
    if nxt is not None and nxt.spec.transition is not None and nxt.spec.transition.elected_from is not None:
        start = nxt.spec.valid_from
        assert start is not None
        if nxt.spec.transition.elected_from <= formed < start and day < start:
            return nxt, "elected_for_next_term", formed
    t = chosen.spec.transition
    if (prev is not None and t is not None and t.previous_until is not None and chosen.spec.valid_from is not None
            and (prev.spec.valid_from or dt.date.min) <= formed < chosen.spec.valid_from and day <= t.previous_until):
        return prev, "formed_under_previous", formed
    return None


def _judge(loaded: LoadedConfiguration, pack: Pack, *, file: str, day: dt.date, lang: str,
           engine: Engine | None, strict: bool) -> CheckResult:
    if pack.problems:
        raise InputError(None, f"rule pack {pack.id} has problems; run `optionsmodell lint`: {pack.problems[0]}", file=file)
    facts = extract(loaded.config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=day)
    eng = engine or default_engine()
    judgement = eng.judge(pack, facts)
    findings = Explainer(pack, facts, judgement, loaded, lang, strict).findings()
    return CheckResult(file=file, loaded=loaded, pack=pack, day=day, engine=judgement.engine,
                       findings=findings, facts=facts, derived=dict(judgement.derived), derived_by=dict(judgement.derived_by),
                       strict=strict)


def check_file(path: Path, **kwargs: object) -> CheckResult:
    loaded = load_configuration(path)
    return judge_loaded(loaded, file=str(path), **kwargs)  # type: ignore[arg-type]
