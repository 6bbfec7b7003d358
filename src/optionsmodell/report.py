"""Reports of checks: text for a council member at a terminal, markdown for a Vorlage, JSON as a
contract other tools build on."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from .check import CheckResult
from .explain import Finding, caveat, reliability_text
from .expressions import facts_in
from .i18n import message
from .safe_yaml import InputError

LONG_STATUTE = 500
ORDER = {"violated": 0, "likely_violated": 1, "undetermined": 2, "satisfied": 3, "not_applicable": 4}
SEV_ORDER = {"violation": 0, "warning": 1, "info": 2}

T = {
    "de": {
        "regime": "Rechtsstand", "engine": "Entscheidende Engine", "date": "Prüfdatum",
        "verdict": "Ergebnis", "compliant": "RECHTMÄSSIG", "violations": "VERSTÖSSE",
        "undetermined": "NICHT ENTSCHEIDBAR",
        "violated.violation": "VERSTOSS", "violated.warning": "WARNUNG", "violated.info": "HINWEIS",
        "undetermined.x": "UNENTSCHIEDEN", "satisfied.x": "ERFÜLLT", "not_applicable.x": "NICHT ANWENDBAR",
        "likely_violated.x": "WAHRSCHEINLICHER VERSTOSS (Wortlaut nicht verifiziert)",
        "inherited": "unverändert übernommen aus {id} ({title})",
        "likely": "wahrscheinliche Verstöße: {n} (Wortlaut nicht verifiziert; mit --strict Verstöße)",
        "statute": "Gesetz", "facts": "Tatsachen", "derivation": "Herleitung", "decided": "Entscheidend",
        "fix": "Abhilfe", "missing": "Es fehlen", "assumed": "ergänzt", "interpretation": "Auslegung", "alternative": "Andere Lesart",
        "body": "Gremium", "municipality": "Gemeinde", "counts": "{v} Verstöße, {w} Warnungen, {u} unentschieden, {s} erfüllt",
        "none": "Keine Befunde.", "proposal": "Entwurf", "enacted": "in Kraft",
        "also": "auch", "error": "FEHLER", "bylaw": "aus der Satzung", "hidden": "{n} erfüllte Prüfungen ausgeblendet (--all zeigt sie).",
    },
    "en": {
        "regime": "Regime", "engine": "Judged by", "date": "Judged at",
        "verdict": "Verdict", "compliant": "COMPLIANT", "violations": "VIOLATIONS",
        "undetermined": "UNDETERMINED",
        "violated.violation": "VIOLATION", "violated.warning": "WARNING", "violated.info": "NOTE",
        "undetermined.x": "UNDETERMINED", "satisfied.x": "SATISFIED", "not_applicable.x": "NOT APPLICABLE",
        "likely_violated.x": "LIKELY VIOLATION (text unverified)",
        "inherited": "inherited unchanged from {id} ({title})",
        "likely": "likely violations: {n} (text unverified; violations with --strict)",
        "statute": "Statute", "facts": "Facts", "derivation": "Derivation", "decided": "Decided by",
        "fix": "Fix", "missing": "Missing", "assumed": "supplied", "interpretation": "Interpretation", "alternative": "Alternative reading",
        "body": "Body", "municipality": "Municipality", "counts": "{v} violations, {w} warnings, {u} undetermined, {s} satisfied",
        "none": "No findings.", "proposal": "proposal", "enacted": "enacted",
        "also": "also", "error": "ERROR", "bylaw": "from the bylaw", "hidden": "{n} satisfied checks hidden (--all shows them).",
    },
}


def _t(lang: str, key: str) -> str:
    return T["en" if lang == "en" else "de"][key]


def shown(result: CheckResult, show_all: bool) -> list[Finding]:
    fs = [f for f in result.findings if f.outcome != "not_applicable"]
    if not show_all:
        fs = [f for f in fs if f.outcome in ("violated", "likely_violated", "undetermined")]
    return sorted(fs, key=lambda f: (ORDER[f.outcome], SEV_ORDER[f.severity], f.body if f.body is not None else -1, f.rule.id))


def counts(result: CheckResult) -> dict[str, int]:
    fs = result.findings
    return {
        "violations": sum(1 for f in fs if f.outcome == "violated" and f.severity == "violation"),
        "warnings": sum(1 for f in fs if f.outcome == "violated" and f.severity != "violation"),
        "likely_violations": sum(1 for f in fs if f.outcome == "likely_violated"),
        "undetermined": sum(1 for f in fs if f.outcome == "undetermined"),
        "satisfied": sum(1 for f in fs if f.outcome == "satisfied"),
        "not_applicable": sum(1 for f in fs if f.outcome == "not_applicable"),
    }


def _counts_line(lang: str, n: dict[str, int]) -> str:
    line = _t(lang, "counts").format(v=n["violations"], w=n["warnings"], u=n["undetermined"], s=n["satisfied"])
    if n["likely_violations"]:
        line += "; " + _t(lang, "likely").format(n=n["likely_violations"])
    return line


def _inherited(f: Finding, lang: str) -> str | None:
    if f.inherited_from is None:
        return None
    return _t(lang, "inherited").format(id=f.inherited_from.id, title=f.inherited_from.spec.title.get(lang))


def _label(f: Finding, lang: str) -> str:
    key = f"{f.outcome}.{f.severity}" if f.outcome == "violated" else f"{f.outcome}.x"
    return _t(lang, key)


def _regime_json(result: CheckResult, lang: str) -> dict[str, Any]:
    s = result.pack.spec
    return {
        "id": s.id, "title": s.title.get(lang), "status": s.status,
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
    }


def date_notice(result: CheckResult, lang: str) -> str | None:
    """Said at the top when the file gives no date: which day and regime were used, and how to choose."""
    if result.date_source == "file":
        return None
    day, rid = result.day.isoformat(), result.pack.id
    if result.date_source == "as_of":
        return (f"Die Datei nennt kein Datum: geprüft am {day} (--as-of) nach {rid}." if lang != "en"
                else f"The file gives no date: judged at {day} (--as-of) under {rid}.")
    return (f"ACHTUNG: Die Datei nennt kein Datum: geprüft am {day} (heute) nach {rid}. Für einen anderen Tag "
            f"`date:` in die Datei schreiben oder --as-of DATUM angeben." if lang != "en"
            else f"NOTE: The file gives no date: judged at {day} (today) under {rid}. For another day, add "
            f"`date:` to the file or give --as-of DATE.")


def to_json(result: CheckResult, lang: str, show_all: bool) -> dict[str, Any]:
    c = result.loaded.config
    findings = [f.to_json(lang) for f in shown(result, show_all)]
    return {
        "file": result.file,
        "municipality": c.municipality.name,
        "date": result.day.isoformat(),
        "date_source": result.date_source,
        "date_notice": date_notice(result, lang),
        "regime": _regime_json(result, lang),
        "engine": result.engine,
        "verdict": result.verdict,
        "strict": result.strict,
        "summary": counts(result),
        "transition": result.transition.to_json(lang) if result.transition is not None else None,
        "findings": findings,
    }


def _one_error(err: InputError, lang: str) -> dict[str, Any]:
    return {
        "message": message(err.message, lang),  # words for a reader, in the run's language; keys stay
        "line": err.location.line if err.location else None,
        "column": err.location.column if err.location else None,
    }


def error_json(err: InputError, lang: str = "en") -> dict[str, Any]:
    # "error" is the first problem (kept for tools that read one); "errors" has every problem
    return {"file": err.file, "error": _one_error(err, lang), "errors": [_one_error(e, lang) for e in err.all()]}


def render_json(items: list[CheckResult | InputError], lang: str, show_all: bool) -> str:
    objs = [error_json(i, lang) if isinstance(i, InputError) else to_json(i, lang, show_all) for i in items]
    payload: Any = objs[0] if len(objs) == 1 else objs
    return json.dumps(payload, indent=2, ensure_ascii=False)


# the whitespace other than " " that textwrap turns into spaces before it wraps
_OTHER_SPACE = re.compile("[\t\n\x0b\x0c\r]")


class _Wrapper(textwrap.TextWrapper):
    """textwrap's wrapping, line for line, without its two slowest steps where they change nothing
    (most of a text report's rendering time went there, issue 10): the translation of tabs and line
    breaks into spaces when there are none, and the splitting at hyphens when there are none (its
    regular expression then finds the same words as the one that splits at whitespace alone)."""

    def _munge_whitespace(self, text: str) -> str:
        return super()._munge_whitespace(text) if _OTHER_SPACE.search(text) else text

    def _split(self, text: str) -> list[str]:
        if "-" in text:
            return super()._split(text)
        return [c for c in self.wordsep_simple_re.split(text) if c]


_WRAPPERS: dict[tuple[str, int], _Wrapper] = {}


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    """``textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent) or [indent]``."""
    if len(indent) + len(text) <= width and text and text == text.strip() and not _OTHER_SPACE.search(text):
        return [indent + text]  # fits on one line, and textwrap would keep every character of it
    wrapper = _WRAPPERS.get((indent, width))
    if wrapper is None:
        wrapper = _WRAPPERS[(indent, width)] = _Wrapper(width=width, initial_indent=indent, subsequent_indent=indent)
    return wrapper.wrap(text) or [indent]


def render_text(result: CheckResult, lang: str, show_all: bool) -> str:
    c = result.loaded.config
    s = result.pack.spec
    n = counts(result)
    notice = date_notice(result, lang)
    lines = [
        f"{c.municipality.name} — {result.file}",
        *([notice] if notice else []),
        f"{_t(lang, 'regime')}: {s.id} — {s.title.get(lang)} ({_t(lang, s.status)})",
        f"{_t(lang, 'date')}: {result.day.isoformat()}   {_t(lang, 'engine')}: {result.engine}",
        f"{_t(lang, 'verdict')}: {_t(lang, result.verdict)} — " + _counts_line(lang, n),
        *_transition_lines(result, lang),
        "",
    ]
    fs = shown(result, show_all)
    if not fs:
        lines.append(_t(lang, "none"))
    for f in fs:
        lines.extend(_finding_text(f, lang, show_all))
    if not show_all and n["satisfied"]:
        lines.append(_t(lang, "hidden").format(n=n["satisfied"]))
    return "\n".join(lines).rstrip() + "\n"


def _source_label(lang: str) -> str:
    return "Quelle" if lang == "de" else "Source"


def _finding_text(f: Finding, lang: str, verbose: bool) -> list[str]:
    spec = f.rule.spec
    mark = {"violated": "✗", "likely_violated": "⚠", "undetermined": "?", "satisfied": "✓"}.get(f.outcome, "·")
    where = f"   {_t(lang, 'body')} {f.body + 1}: {f.body_name}" if f.body is not None else ""
    lines = [f"{mark} {_label(f, lang)}  {spec.citation.render()}  [{spec.id}]{where}"]
    lines.append(f"  {spec.title.get(lang)}")
    lines.extend(_wrap(f.message, "  "))
    warn = caveat(f.basis_reliability, lang, spec.statute.reliability)
    if warn:
        lines.extend(_wrap(f"⚠ {warn}", "  "))
    inherited = _inherited(f, lang)
    if inherited:
        lines.extend(_wrap(f"({inherited})", "  "))
    if f.outcome == "satisfied" and not verbose:
        return [*lines, ""]
    rel = spec.statute.reliability
    lines.append(f"  {_t(lang, 'statute')} [{rel}: {reliability_text(rel, lang)}]:")
    statute = spec.statute.text
    if len(statute) > LONG_STATUTE:
        # The full text stays in the JSON and markdown reports and in `explain`; a terminal
        # reader needs the opening and where to find the rest.
        more = "vollständig: optionsmodell explain" if lang == "de" else "in full: optionsmodell explain"
        statute = statute[:LONG_STATUTE].rsplit(" ", 1)[0] + f" […] ({more} {spec.id})"
    lines.extend(_wrap(f"„{statute}“", "    "))
    if spec.statute.source:
        # Unverified words are only as good as where they were read: a lawyer must be able to look.
        # Addresses must survive copy and paste: never break inside a URL.
        lines.extend(textwrap.wrap(f"({_source_label(lang)}: {spec.statute.source})", width=100,
                                   initial_indent="    ", subsequent_indent="    ",
                                   break_on_hyphens=False, break_long_words=False))
    if spec.also:
        lines.append(f"  ({_t(lang, 'also')}: {'; '.join(a.render() for a in spec.also)})")
    if f.facts:
        lines.append(f"  {_t(lang, 'facts')}:")
        for name, value in f.facts.items():
            loc = f.locations.get(name)
            shown_value = json.dumps(value, ensure_ascii=False) if isinstance(value, bool | str) else str(value)
            lines.append(f"    {name} = {shown_value}" + (f"   ({loc})" if loc else ""))
            for src in f.bylaw.get(name, []):
                lines.extend(_wrap(f"↳ {_t(lang, 'bylaw')}: {src}", "      "))
    # the facts the tool supplied, once per reason (a finding may rest on several of the same kind)
    by_reason: dict[str, list[str]] = {}
    for name, reason in f.assumed.items():
        by_reason.setdefault(reason, []).append(name)
    for reason, names in by_reason.items():
        lines.extend(_wrap(f"{_t(lang, 'assumed')}: {', '.join(names)}: {reason}", "    "))
    if f.missing:
        lines.append(f"  {_t(lang, 'missing')}: {', '.join(f.missing)}")
    if f.derivation:
        lines.append(f"  {_t(lang, 'derivation')}:")
        for d in f.derivation:
            lines.extend(_wrap(d, "    "))
    if f.decided_by and f.outcome != "undetermined":
        lines.append(f"  {_t(lang, 'decided')}: {'; '.join(f.decided_by)}")
    if spec.interpretation is not None:
        reading = spec.interpretation.reading(lang)
        lines.extend(_wrap(f"{_t(lang, 'interpretation')}: {reading}", "  "))
        lines.extend(_wrap(f"{_t(lang, 'alternative')}: {spec.interpretation.alternative.get(lang)}", "  "))
    if f.fix:
        lines.extend(_wrap(f"{_t(lang, 'fix')}: {f.fix}", "  "))
    lines.append("")
    return lines


def _transition_lines(result: CheckResult, lang: str) -> list[str]:
    t = result.transition
    return [] if t is None else t.lines(lang)


def render_markdown(result: CheckResult, lang: str, show_all: bool) -> str:
    c = result.loaded.config
    s = result.pack.spec
    n = counts(result)
    title = "Prüfung nach § 27 GO NRW" if lang == "de" else "Check under § 27 GO NRW"
    out = [
        f"## {title}: {c.municipality.name}",
        "",
        *([f"> **{date_notice(result, lang)}**", ""] if date_notice(result, lang) else []),
        f"- **{_t(lang, 'regime')}:** {s.title.get(lang)} (`{s.id}`, {_t(lang, s.status)})",
        f"- **{_t(lang, 'date')}:** {result.day.isoformat()}",
        f"- **{_t(lang, 'verdict')}:** {_t(lang, result.verdict)} — " + _counts_line(lang, n),
        *(f"- {line}" for line in _transition_lines(result, lang)),
        f"- **{_t(lang, 'engine')}:** {result.engine}",
        "",
    ]
    fs = shown(result, show_all)
    if fs:
        head = ("| | Vorschrift | Prüfung | Gremium |" if lang == "de" else "| | Provision | Check | Body |")
        out += [head, "|---|---|---|---|"]
        for f in fs:
            body = f.body_name or "—"
            out.append(f"| {_label(f, lang)} | {f.rule.spec.citation.render()} | {f.rule.spec.title.get(lang)} | {body} |")
        out.append("")
    for f in fs:
        spec = f.rule.spec
        out.append(f"### {_label(f, lang)}: {spec.citation.render()} — {spec.title.get(lang)}")
        out.append("")
        out.append(f.message)
        out.append("")
        warn = caveat(f.basis_reliability, lang, spec.statute.reliability)
        if warn:
            out.append(f"**⚠ {warn}**")
            out.append("")
        inherited = _inherited(f, lang)
        if inherited:
            out.append(f"*{inherited}*")
            out.append("")
        rel = spec.statute.reliability
        out.append(f"> {spec.statute.text}")
        out.append(">")
        out.append(f"> — {spec.citation.render()} [{rel}: {reliability_text(rel, lang)}]")
        if spec.statute.source:
            out.append(">")
            out.append(f"> {_source_label(lang)}: {spec.statute.source}")
        out.append("")
        if f.facts:
            out.append(f"**{_t(lang, 'facts')}:** " + ", ".join(f"`{k}` = {v}" for k, v in f.facts.items()))
            out.append("")
            for k, srcs in f.bylaw.items():
                out.extend(f"> `{k}` — {_t(lang, 'bylaw')}: {src}" for src in srcs)
                out.append("")
        if f.assumed:
            out.append(f"**{_t(lang, 'assumed')}:** " + "; ".join(f"`{k}`: {v}" for k, v in f.assumed.items()))
            out.append("")
        if f.missing:
            out.append(f"**{_t(lang, 'missing')}:** " + ", ".join(f"`{m}`" for m in f.missing))
            out.append("")
        if f.derivation:
            out.append(f"**{_t(lang, 'derivation')}:**")
            out.append("")
            out.extend(f"1. {d}" for d in f.derivation)
            out.append("")
        if spec.interpretation is not None:
            reading = spec.interpretation.reading(lang)
            out.append(f"**{_t(lang, 'interpretation')}:** {reading} *{_t(lang, 'alternative')}:* "
                       f"{spec.interpretation.alternative.get(lang)}")
            out.append("")
        if f.fix:
            out.append(f"**{_t(lang, 'fix')}:** {f.fix}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}


def render_sarif(items: list[CheckResult | InputError], lang: str) -> str:
    """SARIF 2.1.0, so that code-scanning tools show each violated or undetermined requirement at the
    line of the file that decided it."""
    runs: dict[str, dict[str, Any]] = {}
    failures: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, InputError):
            # a file that could not be read or validated is a result too, at its line
            for e in item.all():
                at = {"startLine": e.location.line, "startColumn": e.location.column} if e.location else {}
                failures.append({
                    "ruleId": "input-error", "level": "error", "kind": "fail", "message": {"text": message(e.message, lang)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": e.file},
                                                        **({"region": at} if at else {})}}],
                })
            continue
        run = runs.setdefault(item.pack.id, {
            "tool": {"driver": {"name": "optionsmodell", "informationUri": "https://optionsmodell.invalid/",
                                "semanticVersion": "0.1.0", "rules": []}},
            "results": [],
            "properties": {"regime": item.pack.id, "engine": item.engine},
        })
        known = {r["id"] for r in run["tool"]["driver"]["rules"]}
        for f in shown(item, False):
            spec = f.rule.spec
            if spec.id not in known:
                known.add(spec.id)
                run["tool"]["driver"]["rules"].append({
                    "id": spec.id,
                    "name": spec.title.get(lang),
                    "shortDescription": {"text": f"{spec.citation.render()}: {spec.title.get(lang)}"},
                    "fullDescription": {"text": spec.statute.text},
                    "properties": {"reliability": spec.statute.reliability, "modality": spec.modality},
                })
            # the line of a fact the requirement itself tests, before the facts that make it apply
            wanted = facts_in(f.rule.requires) if f.rule.requires is not None else []
            loc = next((f.locations[n] for n in wanted if n in f.locations), next(iter(f.locations.values()), None))
            region: dict[str, Any] = {}
            uri = item.file
            if loc is not None:
                path, line, column = loc.rsplit(":", 2)
                uri, region = path, {"startLine": int(line), "startColumn": int(column)}
            # a likely violation (text unverified) is shown, but never as an error
            level = (SARIF_LEVEL[f.severity] if f.outcome == "violated"
                     else "warning" if f.outcome == "likely_violated" else "note")
            text = f.message + (f" {f.fix}" if f.fix else "")
            run["results"].append({
                "ruleId": spec.id,
                "level": level,
                "kind": "fail" if f.outcome == "violated" else "review",
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, **({"region": region} if region else {})}}],
                "properties": {"outcome": f.outcome, "citation": spec.citation.render(), "body": f.body,
                               "reliability": f.basis_reliability,
                               "inherited_from": f.inherited_from.id if f.inherited_from is not None else None},
            })
    if failures:
        runs["(input)"] = {
            "tool": {"driver": {"name": "optionsmodell", "informationUri": "https://optionsmodell.invalid/",
                                "semanticVersion": "0.1.0", "rules": [{
                                    "id": "input-error", "name": "input error",
                                    "shortDescription": {"text": message("The file could not be read or does not fit the format", lang)}}]}},
            "results": failures,
            "properties": {"regime": None},
        }
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": list(runs.values())}
    return json.dumps(doc, indent=2, ensure_ascii=False)
