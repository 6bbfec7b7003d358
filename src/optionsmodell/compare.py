"""One configuration judged under several regimes, side by side; one configuration through every
enacted version (timeline); and two packs compared rule by rule.

Rules correspond across regimes when their ids agree after the regime prefix (``NRW13-IR-06`` and
``NRW18-IR-06`` are both ``IR-06``; a proposal that amends a pack keeps the pack's ids).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .check import CheckResult, judge_loaded
from .configuration import LoadedConfiguration
from .engine import Engine, PerPack
from .expressions import facts_in, render
from .i18n import value
from .packs import Pack, Rule

ABSENT = "—"


def rule_key(rule_id: str) -> str:
    _, sep, rest = rule_id.partition("-")
    return rest if sep and rest else rule_id


def obligation(result: CheckResult) -> str:
    return obligation_of(result.pack, result.derived)


def obligation_of(pack: Pack, derived_facts: dict[tuple[str, int | None], Any]) -> str:
    """mandatory | on_application | voluntary | none | undetermined, from the conclusions drawn:
    on_application is the class of 2 000-4 999 without enough applicants; with them it is mandatory."""
    derived = {name: value for (name, scope), value in derived_facts.items() if scope is None}
    cls = derived.get("threshold_class")
    required = derived.get("body_required")
    if cls is None and required is None:
        return "undetermined" if "threshold_class" in pack.conclusion_specs else "none"
    if cls in ("mandatory", "expected") or (cls is None and required is True) or (cls == "on_application" and required is True):
        # a proposal that leaves the duty itself open (an open question, with both readings)
        return "open" if _DUTY(pack)[0] else "mandatory"
    if cls == "on_application":
        return "on_application"
    if cls == "voluntary" and required is False and _DUTY(pack)[1]:
        return "none"
    return "voluntary"


def _duty_open(pack: Pack) -> bool:
    duty = [r for r in pack.requirements() if r.applies is not None
            and {"threshold_class", "body_required"} & set(facts_in(r.applies))]
    return bool(duty) and all(r.spec.open_question is not None for r in duty)


def _no_duty_pack(pack: Pack) -> bool:
    # A regime with no requirement to form a body at all (the 2017 motion) has no obligation class.
    return not any(r.applies is not None and "body_required" in facts_in(r.applies) for r in pack.requirements())


# what a pack says of the duty, read once per pack: a batch asks for every row
_DUTY = PerPack(lambda pack: (_duty_open(pack), _no_duty_pack(pack)))


@dataclass
class Row:
    key: str
    body: int | None
    title: str
    citation: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)


@dataclass
class Comparison:
    file: str
    municipality: str
    results: dict[str, CheckResult]
    rows: list[Row]

    def verdicts(self) -> dict[str, str]:
        return {rid: r.verdict for rid, r in self.results.items()}

    def obligations(self) -> dict[str, str]:
        return {rid: obligation(r) for rid, r in self.results.items()}


def _outcome_label(result: CheckResult, rule_id: str, body: int | None) -> str:
    for f in result.findings:
        if f.rule.id == rule_id and f.body == body:
            if f.outcome == "violated" and f.severity != "violation":
                return f"violated ({f.severity})"
            return f.outcome
    return ABSENT


def compare(loaded: LoadedConfiguration, file: str, regimes: list[str], lang: str, packs: list[Pack],
            engine: Engine | None = None, strict: bool = False) -> Comparison:
    results = {rid: judge_loaded(loaded, file=file, regime=rid, lang=lang, packs=packs, engine=engine, strict=strict)
               for rid in regimes}
    index: dict[tuple[str, int | None], Row] = {}
    for rid, result in results.items():
        for f in result.findings:
            key = (rule_key(f.rule.id), f.body)
            row = index.setdefault(key, Row(key=key[0], body=f.body, title=f.rule.spec.title.get(lang)))
            row.citation[rid] = f.rule.spec.citation.render()
            row.outcomes[rid] = _outcome_label(result, f.rule.id, f.body)
    rows = []
    for row in index.values():
        for rid in regimes:
            row.outcomes.setdefault(rid, ABSENT)
        normalized = {("not_applicable" if v == ABSENT else v) for v in row.outcomes.values()}
        if len(normalized) > 1:
            rows.append(row)
    rows.sort(key=lambda r: (r.body if r.body is not None else -1, r.key))
    name = loaded.config.municipality.name
    return Comparison(file=file, municipality=name, results=results, rows=rows)


def summary(comparisons: list[Comparison], regimes: list[str], lang: str) -> list[str]:
    """Across many files, how each regime after the first differs from the first."""
    lines = []
    base = regimes[0]
    n = len(comparisons)
    for rid in regimes[1:]:
        differ = sum(1 for c in comparisons if c.verdicts()[rid] != c.verdicts()[base])
        lose = sum(1 for c in comparisons if c.obligations()[base] == "mandatory"
                   and c.obligations()[rid] not in ("mandatory", "open"))
        opened = sum(1 for c in comparisons if c.obligations()[base] == "mandatory" and c.obligations()[rid] == "open")
        gain = sum(1 for c in comparisons if c.obligations()[base] != "mandatory" and c.obligations()[rid] == "mandatory")
        if lang == "de":
            lines.append(f"{rid} gegenüber {base}: {differ} von {n} Konfigurationen anders beurteilt; "
                         f"{lose} von {n} verlieren die Pflicht, ein Gremium zu bilden, {gain} gewinnen sie"
                         + (f"; bei {opened} ist sie offen (zwei Lesarten)." if opened else "."))
        else:
            lines.append(f"under {rid} against {base}: {differ} of {n} configurations judged differently; "
                         f"{lose} of {n} lose the duty to form a body, {gain} gain it"
                         + (f"; for {opened} it is open (two readings)." if opened else "."))
    return lines


def comparison_json(c: Comparison) -> dict[str, Any]:
    return {
        "file": c.file,
        "municipality": c.municipality,
        "regimes": {rid: {"verdict": r.verdict, "obligation": obligation(r), "engine": r.engine}
                    for rid, r in c.results.items()},
        "differences": [
            {"rule": row.key, "body": row.body, "title": row.title, "citation": row.citation, "outcomes": row.outcomes}
            for row in c.rows
        ],
    }


def render_comparison(c: Comparison, regimes: list[str], lang: str, markdown: bool) -> str:
    head = ["Prüfung" if lang == "de" else "Requirement", *regimes]
    table: list[list[str]] = [
        ["Ergebnis" if lang == "de" else "verdict", *(value(c.results[r].verdict, lang) for r in regimes)],
        ["Pflicht" if lang == "de" else "obligation", *(value(obligation(c.results[r]), lang) for r in regimes)],
    ]
    for row in c.rows:
        label = f"{row.key}{f' [{row.body + 1}]' if row.body is not None else ''} {row.title}"
        table.append([label, *(value(row.outcomes[r], lang) for r in regimes)])
    engines = ", ".join(dict.fromkeys(c.results[r].engine for r in regimes))
    title = f"{c.municipality} — {c.file} ({'Engine' if lang == 'de' else 'judged by'}: {engines})"
    return _table(title, head, table, markdown)


def _table(title: str, head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out) + "\n"
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    widths[0] = min(widths[0], 60)
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        first = r[0] if len(r[0]) <= widths[0] else r[0][: widths[0] - 1] + "…"
        lines.append("  ".join(c.ljust(w) for c, w in zip([first, *r[1:]], widths, strict=True)))
    return "\n".join(lines) + "\n"


@dataclass
class TimelineEntry:
    pack: Pack
    result: CheckResult


def timeline(loaded: LoadedConfiguration, file: str, lang: str, packs: list[Pack],
             engine: Engine | None = None, strict: bool = False) -> list[TimelineEntry]:
    land = loaded.config.municipality.land
    enacted = sorted(
        (p for p in packs if p.spec.land == land and p.spec.status == "enacted" and p.spec.valid_from),
        key=lambda p: p.spec.valid_from or dt.date.min,
    )
    entries = []
    for p in enacted:
        day = p.spec.valid_to or p.spec.valid_from or dt.date.today()
        result = judge_loaded(loaded, file=file, regime=p.id, as_of=day, lang=lang, packs=packs, engine=engine, strict=strict)
        entries.append(TimelineEntry(pack=p, result=result))
    return entries


def timeline_rows(entries: list[TimelineEntry], lang: str) -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        s = e.pack.spec
        violated = [f for f in e.result.findings if f.outcome == "violated"]
        likely = [f for f in e.result.findings if f.outcome == "likely_violated"]
        rows.append({
            "regime": s.id,
            "valid_from": s.valid_from.isoformat() if s.valid_from else None,
            "valid_to": s.valid_to.isoformat() if s.valid_to else None,
            "verdict": e.result.verdict,
            "obligation": obligation(e.result),
            "violated": [f"{f.rule.spec.citation.render()}: {f.rule.spec.title.get(lang)}" for f in violated],
            "likely_violated": [f"{f.rule.spec.citation.render()}: {f.rule.spec.title.get(lang)}" for f in likely],
            "undetermined": sum(1 for f in e.result.findings if f.outcome == "undetermined"),
            "engine": e.result.engine,
        })
    return rows


def render_timeline(entries: list[TimelineEntry], file: str, lang: str, markdown: bool) -> str:
    rows = timeline_rows(entries, lang)
    head = (["Fassung", "in Kraft", "Ergebnis", "Pflicht", "Verstöße / Warnungen"] if lang == "de"
            else ["Regime", "in force", "verdict", "obligation", "violations / warnings"])
    table = [[r["regime"], f"{r['valid_from']} – {r['valid_to'] or '…'}", value(r["verdict"], lang), value(r["obligation"], lang),
              "; ".join([*r["violated"], *(f"({x}) ⚠" for x in r["likely_violated"])]) or "—"] for r in rows]
    name = entries[0].result.loaded.config.municipality.name if entries else file
    engines = ", ".join(dict.fromkeys(e.result.engine for e in entries))
    return _table(f"{name} — {file} ({'Engine' if lang == 'de' else 'judged by'}: {engines})", head, table, markdown)


# ---------------------------------------------------------------------------------------------
# Rule by rule

@dataclass
class RuleDiff:
    key: str
    status: str  # only_a | only_b | changed | same
    a: Rule | None
    b: Rule | None
    changes: list[str]


def _signature(rule: Rule) -> dict[str, str]:
    s = rule.spec
    return {
        "statute": s.statute.text,
        "reliability": s.statute.reliability,
        "citation": s.citation.render(),
        "modality": s.modality or "",
        "applies": render(rule.applies) if rule.applies is not None else "",
        "requires": render(rule.requires) if rule.requires is not None else "",
        "when": render(rule.when) if rule.when is not None else "",
        "conclude": str(s.conclude or ""),
    }


def diff_packs(a: Pack, b: Pack) -> list[RuleDiff]:
    left = {rule_key(r.id): r for r in a.rules}
    right = {rule_key(r.id): r for r in b.rules}
    out = []
    for key in sorted(set(left) | set(right)):
        ra, rb = left.get(key), right.get(key)
        if ra is None:
            out.append(RuleDiff(key, "only_b", None, rb, []))
        elif rb is None:
            out.append(RuleDiff(key, "only_a", ra, None, []))
        else:
            sa, sb = _signature(ra), _signature(rb)
            changes = [k for k in sa if sa[k] != sb[k]]
            out.append(RuleDiff(key, "changed" if changes else "same", ra, rb, changes))
    return out


def render_diff(a: Pack, b: Pack, diffs: list[RuleDiff], lang: str) -> str:
    lines = [f"{a.id} → {b.id}"]
    for d in diffs:
        if d.status == "same":
            continue
        rule = d.a or d.b
        assert rule is not None
        mark = {"only_a": "−", "only_b": "+", "changed": "~"}[d.status]
        ids = " → ".join(r.id for r in (d.a, d.b) if r is not None)
        lines.append(f"{mark} {d.key}  [{ids}]  {rule.spec.title.get(lang)}")
        if d.status == "changed":
            lines.append(f"    {'geändert' if lang == 'de' else 'changed'}: {', '.join(d.changes)}")
        for label, r in ((a.id, d.a), (b.id, d.b)):
            if r is None:
                continue
            sig = _signature(r)
            lines.append(f"    {label}: {sig['citation']} [{sig['reliability']}] „{r.spec.statute.text}“")
            cond = sig["when"] or (f"{sig['applies']} ⇒ {sig['requires']}" if sig["applies"] else sig["requires"])
            lines.append(f"    {' ' * len(label)}  {cond}")
    same = sum(1 for d in diffs if d.status == "same")
    lines.append(f"({same} {'Regeln unverändert' if lang == 'de' else 'rules unchanged'})")
    return "\n".join(lines) + "\n"


def diff_json(a: Pack, b: Pack, diffs: list[RuleDiff]) -> dict[str, Any]:
    def side(r: Rule | None) -> dict[str, Any] | None:
        return None if r is None else {"id": r.id, **_signature(r)}

    return {"a": a.id, "b": b.id, "rules": [
        {"key": d.key, "status": d.status, "changes": d.changes, "a": side(d.a), "b": side(d.b)}
        for d in diffs
    ]}
