"""One check, end to end: configuration → regime → facts → judgement → findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .configuration import LoadedConfiguration, load_configuration
from .engine import Engine, default_engine
from .explain import Explainer, Finding, verdict
from .facts import FactSet, FactValue, extract
from .packs import Pack, PackLike, headers, load_cached, select, why_missing
from .safe_yaml import InputError


@dataclass
class CheckResult:
    file: str
    loaded: LoadedConfiguration
    pack: Pack
    day: dt.date
    engine: str
    findings: list[Finding]
    facts: FactSet
    derived: dict[tuple[str, int | None], FactValue]
    derived_by: dict[tuple[str, int | None], list[str]]

    @property
    def verdict(self) -> str:
        return verdict(self.findings)


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


def judge_loaded(
    loaded: LoadedConfiguration,
    *,
    file: str,
    regime: str | None = None,
    as_of: dt.date | None = None,
    lang: str = "de",
    engine: Engine | None = None,
    packs: list[Pack] | None = None,
) -> CheckResult:
    config = loaded.config
    day = config.date or as_of or dt.date.today()
    if packs is None:
        # choose by pack.yaml alone, then read only that pack's rules (and its base's)
        pack = load_cached(find_pack(headers(), regime, config.municipality.land, day, file).directory)
    else:
        pack = find_pack(packs, regime, config.municipality.land, day, file)
    if pack.problems:
        raise InputError(None, f"rule pack {pack.id} has problems; run `optionsmodell lint`: {pack.problems[0]}", file=file)
    facts = extract(config, provided_kinds=pack.kinds, default_voting=pack.default_voting(), as_of=day)
    eng = engine or default_engine()
    judgement = eng.judge(pack, facts)
    findings = Explainer(pack, facts, judgement, loaded, lang).findings()
    return CheckResult(file=file, loaded=loaded, pack=pack, day=day, engine=judgement.engine,
                       findings=findings, facts=facts, derived=dict(judgement.derived), derived_by=dict(judgement.derived_by))


def check_file(path: Path, **kwargs: object) -> CheckResult:
    loaded = load_configuration(path)
    return judge_loaded(loaded, file=str(path), **kwargs)  # type: ignore[arg-type]
