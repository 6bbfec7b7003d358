"""The command line: ``optionsmodell`` and ``python -m optionsmodell``.

Exit codes of ``check``: 0 no violation, 1 at least one violation, 2 bad input or usage,
3 no violation but some requirement undetermined or only likely violated (text unverified; with
``--strict`` a likely violation is a violation, exit 1).
"""

# No `from __future__ import annotations` here: typer reads every command's annotations when the
# command line is parsed, and string annotations would have to be evaluated (twice) on each start.
import contextlib
import datetime as dt
import gc
import json
import re
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from .i18n import default_lang, error_line, message, value, word
from .progress import above_bar, bar, ticking

if TYPE_CHECKING:  # each command imports what it needs when it runs: a `check` loads only check's path
    from .configuration import LoadedConfiguration
    from .engine import Engine
    from .packs import Pack
    from .safe_yaml import InputError

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="optionsmodell: judge a municipality's integration bodies against § 27 GO NRW and explain why.",
)


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


class Lang(StrEnum):
    de = "de"
    en = "en"


def _set_lang(value: Lang | None) -> Lang:
    # every --lang of every command passes here, given or not: the run's language for its errors too
    chosen = value or Lang(default_lang())
    _RUN["lang"] = chosen.value
    return chosen


# "not given": the callback turns it into the environment's language when the command runs
DEFAULT_LANG: Lang = cast(Lang, None)
_RUN = {"lang": default_lang()}
LangOpt = Annotated[Lang, typer.Option(
    help="de | en; default: the language of LC_ALL / LC_MESSAGES / LANG (German if unset, C or POSIX).",
    callback=_set_lang)]


class EngineName(StrEnum):
    compiled = "compiled"
    rete = "rete"
    reference = "reference"


EngineOpt = Annotated[EngineName | None, typer.Option(
    "--engine", help="compiled | rete | reference; default: compiled (the fastest) for check, batch and "
                     "explore; rete (durable-rules) for compare, timeline and test.")]


def _engine(name: EngineName | None, fastest: bool = False) -> "Engine":
    from .engine import EngineUnavailable, engine_named
    try:
        return engine_named(None if name is None else name.value, fastest=fastest)
    except EngineUnavailable as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None


def _err(msg: str) -> None:
    """A message to stderr in the run's language (``error: `` and ``warning: `` lines are translated)."""
    lang = _RUN["lang"]
    for prefix in ("error", "warning", "note"):
        if msg.startswith(f"{prefix}: "):
            msg = f"{word(prefix, lang)}: {error_line(msg[len(prefix) + 2:], lang)}"
            break
    else:
        msg = error_line(msg, lang)  # a summary or notice line
    _say(msg)


def _say(msg: str) -> None:
    """A line to stderr that is in the run's language already (batch's summary): the translation
    table, compiled at its first use, cost every batch 15 ms for lines it could not translate."""
    if not above_bar(msg):
        typer.echo(msg, err=True)


_REPORTED: set[Path] = set()


def _report_broken() -> None:
    """Each pack left out is reported once per run, with the file and line of its first problem."""
    from .packs import broken
    for d, e in broken():
        if d not in _REPORTED:
            _REPORTED.add(d)
            _err(f"warning: {word('left_out', _RUN['lang'], name=d.name)}: {error_line(e.render(), _RUN['lang'])}")


def _only(fmt: StrEnum, allowed: tuple[str, ...], command: str) -> None:
    """A --format a command cannot write is refused, never silently ignored."""
    if fmt.value not in allowed:
        _err(f"error: --format {fmt.value} is not supported by {command}; use {' | '.join(allowed)}")
        raise typer.Exit(2)


def _one_land(packs: "list[Pack]") -> str:
    """The Land of the regimes compared: comparing one Land's law with another's is refused (exit 2)."""
    lands = {p.spec.land for p in packs}
    if len(lands) > 1:
        a, b = packs[0], next(p for p in packs if p.spec.land != packs[0].spec.land)
        _err(f"error: {a.id} is the law of Land {a.spec.land} and {b.id} of Land {b.spec.land}; compare regimes of one Land")
        raise typer.Exit(2)
    return lands.pop()


def _input_error(e: "InputError") -> None:
    """Every problem of a file, one line each: file:line:column, what was expected."""
    for one in e.all():
        _err(f"error: {one.render_one()}")


@contextlib.contextmanager
def _or_exit(where: object) -> Iterator[None]:
    """An input or engine error ends the command: every problem said, exit 2, never a traceback."""
    from .engine import EngineError
    from .safe_yaml import InputError
    try:
        yield
    except InputError as e:
        _input_error(e)
        raise typer.Exit(2) from None
    except EngineError as e:
        _err(f"error: {where}: engine error: {e}")
        raise typer.Exit(2) from None


def _packs() -> "list[Pack]":
    from .packs import load_all, rules_roots
    packs = load_all()
    _report_broken()
    if not packs:
        _err(f"error: no rule packs found under {', '.join(map(str, rules_roots()))}")
        raise typer.Exit(2)
    return packs


def _named_packs(names: list[str]) -> "dict[str, Pack]":
    """Only the packs a command names, loaded (with what they extend); every pack.yaml is read, so
    that a broken one is reported as for every command. Loading all seven packs would cost a short
    command (explore consistency of a small pack) more than its own work."""
    from .packs import headers, load_usable

    found = {h.id: h for h in headers()}
    _report_broken()
    out: dict[str, Pack] = {}
    for name in names:
        h = found.get(name)
        pack = load_usable(h.directory) if h is not None else None
        if pack is None:
            _unknown_regime(name, found)
        else:
            out[name] = pack
    _report_broken()
    return out


def _unknown_regime(name: str, known: Any) -> None:
    """Exit 2: the regime is not known, or it is a pack that was left out (and why)."""
    from .packs import why_missing
    why = why_missing(name)
    if why is not None:
        _err(f"error: rule pack {name} cannot be used: {why.render()}")
    else:
        _err(f"error: unknown regime '{name}' (known: {', '.join(sorted(known))})")
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"optionsmodell {version('optionsmodell')}")
        except PackageNotFoundError:
            typer.echo("optionsmodell (not installed)")
        raise typer.Exit()


@app.callback()
def _main(
    rules_dirs: Annotated[list[Path] | None, typer.Option(
        "--rules", help="A folder of your own rule packs, added beside the bundled ones (repeatable; "
        "also OPTIONSMODELL_RULES, several separated by ':').")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """optionsmodell: judge a municipality's integration bodies against § 27 GO NRW and explain why."""
    from .packs import set_user_roots
    _RUN["lang"] = default_lang()  # until a command's --lang says otherwise
    for d in rules_dirs or []:
        if not d.is_dir():
            _err(f"error: --rules {d}: not a folder")
            raise typer.Exit(2)
    set_user_roots(rules_dirs or [])


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Configuration files (YAML, format optionsmodell/v1).")],
    regime: Annotated[str | None, typer.Option(help="Regime id (see `regimes`); default: the one in force on the date.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge at this ISO date if the file gives no `date`.")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="text | json | markdown | sarif")] = CheckFormat.text,
    lang: LangOpt = DEFAULT_LANG,
    show_all: Annotated[bool, typer.Option("--all", help="List satisfied checks too.")] = False,
    engine: EngineOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="A likely violation (text unverified [S]/[R]) counts as a violation.")] = False,
) -> None:
    """Check configurations against the law in force on their date (or the named regime)."""
    from .check import CheckResult, judge_loaded
    from .configuration import load_configuration
    from .engine import EngineError
    from .limits import MAX_OUTPUT_BYTES
    from .packs import discover
    from .report import render_json, render_markdown, render_sarif, render_text
    from .safe_yaml import InputError
    judge_with = _engine(engine, fastest=True)  # a single check starts fast: no durable-rules to load
    day: dt.date | None = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            _err(f"error: --as-of {as_of!r} is not an ISO date (YYYY-MM-DD)")
            raise typer.Exit(2) from None
    if not discover():
        _packs()  # says where no packs were found, exit 2
    items: list[CheckResult | InputError] = []
    for f in ticking(files, "check"):
        try:
            loaded = load_configuration(f)
            _refuse_undated(loaded, str(f), regime, day, lang.value)
            items.append(judge_loaded(loaded, file=str(f), regime=regime, as_of=day, lang=lang.value,
                                       engine=judge_with, strict=strict))
        except InputError as e:
            items.append(e)
            _input_error(e)
        except EngineError as e:
            items.append(InputError(None, f"engine error: {e}", file=str(f)))
            _err(f"error: {f}: engine error: {e}")
    _report_broken()
    results = [i for i in items if isinstance(i, CheckResult)]
    if fmt is CheckFormat.json:
        out = render_json(items, lang.value, show_all) + "\n"
    elif fmt is CheckFormat.sarif:
        out = render_sarif(items, lang.value) + "\n"
    else:
        render = render_markdown if fmt is CheckFormat.markdown else render_text
        out = "\n".join(render(r, lang.value, show_all) for r in results)
    if len(out) > MAX_OUTPUT_BYTES:
        _err(f"error: the report would be {len(out) // (1024 * 1024)} MiB, more than {MAX_OUTPUT_BYTES // (1024 * 1024)} MiB; "
             "check fewer files at once")
        raise typer.Exit(2)
    typer.echo(out, nl=False)
    if any(isinstance(i, InputError) for i in items):
        raise typer.Exit(2)
    verdicts = {r.verdict for r in results}
    if "violations" in verdicts:
        raise typer.Exit(1)
    if "undetermined" in verdicts:
        raise typer.Exit(3)


def _refuse_undated(loaded: "LoadedConfiguration", file: str, regime: str | None, as_of: dt.date | None, lang: str) -> None:
    """Neither `date` nor --as-of nor --regime, and the Land's law changed recently: which law
    applies depends on a day the user has not said, so ask instead of guessing (exit 2)."""
    from .check import undated_ambiguity
    from .safe_yaml import InputError

    config = loaded.config
    if config.date is not None or as_of is not None or regime is not None:
        return
    today = dt.date.today()
    change = undated_ambiguity(config.municipality.land, today)
    if change is None:
        return
    old, new, since = change
    msg = (f"no date: the file has no `date` and no --as-of was given, and the law changed on {since.isoformat()} "
           f"({old} → {new}); say which day to judge at: add `date: {today.isoformat()}` (or the draft's day) "
           f"to the file, or give --as-of {today.isoformat()}")  # German: i18n, where the message is shown
    raise InputError(loaded.source.locate(()) or None, msg, file=file)


def _regime_obj(p: "Pack", lang: str) -> dict[str, Any]:
    from .packs import origin

    s = p.spec
    return {
        "id": s.id, "title": s.title.get(lang), "land": s.land, "law": s.law, "status": s.status,
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        "kinds": list(p.kinds), "rules": len(p.rules), "extends": s.extends,
        "origin": origin(p.directory),
    }


@app.command()
def regimes(
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """List the regimes (versions of the law and proposals) the tool knows."""
    _only(fmt, ("text", "json"), "regimes")
    packs = _packs()
    if fmt is Format.json:
        typer.echo(json.dumps([_regime_obj(p, lang.value) for p in packs], indent=2, ensure_ascii=False))
        return
    for p in packs:
        o = _regime_obj(p, lang.value)
        valid = f"{o['valid_from'] or '…'} – {o['valid_to'] or '…'}" if p.spec.status == "enacted" else value("proposal", lang.value)
        origin = "mitgeliefert" if lang is Lang.de and o["origin"] == "bundled" else o["origin"]
        typer.echo(f"{o['id']:<14} {o['land']}  {valid:<25} {o['rules']:>3} {'Regeln' if lang is Lang.de else 'rules'}  "
                   f"{o['title']}  [{origin}]")


@app.command()
def rules(
    regime: Annotated[str | None, typer.Option(help="Regime id; default: all.")] = None,
    diff: Annotated[str | None, typer.Option(help="Compare the regime with this one, rule by rule.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """List the rules of a regime with their citations, or (--diff) what differs between two."""
    from .compare import diff_json, diff_packs, render_diff
    _only(fmt, ("text", "json"), "rules")
    packs = {p.id: p for p in _packs()}
    for name in (regime, diff):
        if name is not None and name not in packs:
            _unknown_regime(name, packs)
    if diff is not None:
        if regime is None:
            _err("error: --diff needs --regime")
            raise typer.Exit(2)
        a, b = packs[regime], packs[diff]
        diffs = diff_packs(a, b)
        if fmt is Format.json:
            typer.echo(json.dumps(diff_json(a, b, diffs), indent=2, ensure_ascii=False))
        else:
            typer.echo(render_diff(a, b, diffs, lang.value), nl=False)
        return
    if fmt is Format.json:
        typer.echo(json.dumps([{
            "id": p.id, "title": p.spec.title.get(lang.value),
            "rules": [{"id": r.id, "type": r.spec.type, "modality": r.spec.modality, "reliability": r.spec.statute.reliability,
                       "citation": r.spec.citation.render(), "title": r.spec.title.get(lang.value)} for r in p.rules],
        } for p in packs.values() if regime is None or p.id == regime], indent=2, ensure_ascii=False))
        return
    for p in packs.values():
        if regime is not None and p.id != regime:
            continue
        typer.echo(f"# {p.id}: {p.spec.title.get(lang.value)}")
        for r in p.rules:
            kind = r.spec.modality or "⇒"
            typer.echo(f"  {r.id:<14} {kind:<7} [{r.spec.statute.reliability:<5}] {r.spec.citation.render():<28} {r.spec.title.get(lang.value)}")


def _load_many(files: list[Path]) -> "list[tuple[Path, LoadedConfiguration | InputError]]":
    from .configuration import LoadedConfiguration, load_configuration
    from .safe_yaml import InputError
    out: list[tuple[Path, LoadedConfiguration | InputError]] = []
    for f in files:
        try:
            out.append((f, load_configuration(f)))
        except InputError as e:
            _input_error(e)
            out.append((f, e))
    return out


@app.command(name="compare")
def compare_cmd(
    files: Annotated[list[Path], typer.Argument(help="Configuration files.")],
    regime: Annotated[list[str], typer.Option(help="Two or more regimes, in order; the first is the baseline.")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json | markdown")] = Format.text,
    lang: LangOpt = DEFAULT_LANG,
    engine: EngineOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="A likely violation (text unverified [S]/[R]) counts as a violation.")] = False,
) -> None:
    """Judge configurations under several regimes: every requirement judged differently, and a summary."""
    from .compare import Comparison, compare, comparison_json, render_comparison, summary
    from .engine import EngineError
    from .safe_yaml import InputError
    judge_with = _engine(engine)
    packs = _packs()
    known = {p.id for p in packs}
    for r in regime:
        if r not in known:
            _unknown_regime(r, known)
    if len(regime) < 2:
        _err(f"error: name two or more known regimes with --regime (known: {', '.join(sorted(known))})")
        raise typer.Exit(2)
    by_id = {p.id: p for p in packs}
    land = _one_land([by_id[r] for r in regime])
    comparisons: list[Comparison] = []
    errors = 0
    skipped = 0
    for f, loaded in ticking(_load_many(files), "compare"):
        if isinstance(loaded, InputError):
            errors += 1
            continue
        if loaded.config.municipality.land != land:
            # a glob such as scenarios/*.yaml takes in other Länder: say so, judge the rest
            _err(f"warning: skipped: {f} is in Land {loaded.config.municipality.land}, the regimes are the law of {land}")
            skipped += 1
            continue
        try:
            comparisons.append(compare(loaded, str(f), regime, lang.value, packs, engine=judge_with, strict=strict))
        except InputError as e:
            _input_error(e)
            errors += 1
        except EngineError as e:
            _err(f"error: {f}: engine error: {e}")
            errors += 1
    lines = summary(comparisons, regime, lang.value) if comparisons else []
    if fmt is Format.json:
        typer.echo(json.dumps({"regimes": regime, "configurations": [comparison_json(c) for c in comparisons],
                               "summary": lines}, indent=2, ensure_ascii=False))
    else:
        md = fmt is Format.markdown
        for c in comparisons:
            typer.echo(render_comparison(c, regime, lang.value, md))
        for line in lines:
            typer.echo(f"- {line}" if md else line)
    if errors or (skipped and not comparisons):
        raise typer.Exit(2)


@app.command(name="timeline")
def timeline_cmd(
    file: Annotated[Path, typer.Argument(help="A configuration file.")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json | markdown")] = Format.text,
    lang: LangOpt = DEFAULT_LANG,
    engine: EngineOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="A likely violation (text unverified [S]/[R]) counts as a violation.")] = False,
) -> None:
    """One configuration judged under every enacted version of its Land's law, in date order."""
    from .compare import render_timeline, timeline, timeline_rows
    from .configuration import load_configuration
    judge_with = _engine(engine)
    packs = _packs()
    with _or_exit(file):
        loaded = load_configuration(file)
        entries = timeline(loaded, str(file), lang.value, packs, engine=judge_with, strict=strict)
    if fmt is Format.json:
        typer.echo(json.dumps({"file": str(file), "municipality": loaded.config.municipality.name,
                               "timeline": timeline_rows(entries, lang.value)}, indent=2, ensure_ascii=False))
    else:
        typer.echo(render_timeline(entries, str(file), lang.value, fmt is Format.markdown), nl=False)


@app.command(name="test")
def test_cmd(pack_id: Annotated[str | None, typer.Argument(metavar="[PACK]", help="Pack id; default: all.")] = None,
             engine: EngineOpt = None, lang: LangOpt = DEFAULT_LANG) -> None:
    """Run the packs' YAML test cases and report rule coverage."""
    from .casetests import run_pack

    judge_with = _engine(engine)
    packs = _packs()
    selected = [p for p in packs if pack_id is None or p.id == pack_id]
    if not selected:
        _unknown_regime(str(pack_id), [p.id for p in packs])
    failed = 0
    incomplete = 0
    runs = []
    with bar("test", len(selected), worth_it=len(selected) > 1) as advance:
        for p in selected:
            with _or_exit(p.id):
                runs.append((p, *run_pack(p, packs, engine=judge_with)))
            if advance is not None:
                advance(1)
    for p, results, coverage in runs:
        bad = [r for r in results if r.failures]
        failed += len(bad)
        de = lang is Lang.de
        for r in bad:
            for msg in r.failures:
                typer.echo(f"{'FEHLER' if de else 'FAIL'} {p.id} {r.file} [{r.name}]: {error_line(msg, lang.value)}")
        if de:
            status = "vollständig" if coverage.complete else f"{len(coverage.missing)} Regel(n) nicht geprüft"
            typer.echo(f"{p.id}: {len(results) - len(bad)} von {len(results)} Fällen bestanden; Abdeckung {status}")
        else:
            status = "complete" if coverage.complete else f"{len(coverage.missing)} rule(s) not exercised"
            typer.echo(f"{p.id}: {len(results) - len(bad)} of {len(results)} cases pass; coverage {status}")
        for rule_id, missing in coverage.missing.items():
            typer.echo(f"  {rule_id}: {'kein Fall prüft' if de else 'no case asserts'} {' / '.join(missing)}")
        incomplete += len(coverage.missing)
    if lang is Lang.de:
        typer.echo(f"{len(selected)} Paket(e): {failed} Fall/Fälle fehlgeschlagen, {incomplete} Regel(n) nicht vollständig "
                   f"geprüft (Engine: {judge_with.name})")
    else:
        typer.echo(f"{len(selected)} pack(s): {failed} failed case(s), {incomplete} rule(s) not fully exercised"
                   f" (engine: {judge_with.name})")
    if failed or incomplete:
        raise typer.Exit(1)


# the labels of `explain`; the rule's own keys (when, applies, …) stay beside the German words
_EXPLAIN = {
    "en": {"when": "when:     ", "conclude": "conclude: ", "modality": "modality: ",
           "open": "open question (never violated, undetermined with both readings): ",
           "unverified": "unverified text: a violation is reported as a likely violation (docs/rules.md)",
           "applies": "applies:  ", "requires": "requires: ", "inherited": "inherited unchanged from",
           "interpretation": "interpretation: ", "alternative": "alternative:    ", "example": "example:  ",
           "defined": "defined at"},
    "de": {"when": "wenn (when):          ", "conclude": "folgert (conclude):   ", "modality": "Modalität:            ",
           "open": "offene Frage (nie verletzt, unentschieden mit beiden Lesarten): ",
           "unverified": "Wortlaut nicht verifiziert: ein Verstoß wird als wahrscheinlicher Verstoß gemeldet (docs/rules.md)",
           "applies": "gilt, wenn (applies): ", "requires": "verlangt (requires):  ", "inherited": "unverändert geerbt von",
           "interpretation": "Auslegung: ", "alternative": "andere Lesart: ", "example": "Beispiel:             ",
           "defined": "definiert in"},
}


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE-ID")],
    regime: Annotated[str | None, typer.Option(help="Regime id, where the id exists in several.")] = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Show a rule: its statute text, its conditions and an example."""
    from .expressions import render
    all_packs = _packs()
    if regime is not None and regime not in {p.id for p in all_packs}:
        _unknown_regime(regime, [p.id for p in all_packs])
    found = [(p, r) for p in all_packs for r in p.rules if r.id == rule_id and (regime is None or p.id == regime)]
    if not found:
        _err(f"error: no rule {rule_id}")
        raise typer.Exit(2)
    for p, r in found:
        s = r.spec
        L = lang.value
        typer.echo(f"{s.id} ({p.id}) — {s.title.get(L)}")
        typer.echo(f"  {s.citation.render()}" + (f"; {'; '.join(a.render() for a in s.also)}" if s.also else ""))
        typer.echo(f"  [{s.statute.reliability}] „{s.statute.text}“")
        if s.statute.source:
            typer.echo(f"  ({'Quelle' if L == 'de' else 'Source'}: {s.statute.source})")
        t = _EXPLAIN["de" if L == "de" else "en"]
        if s.type == "conclusion":
            assert r.when is not None
            typer.echo(f"  {t['when']}{render(r.when)}")
            typer.echo(f"  {t['conclude']}{s.conclude}")
        else:
            typer.echo(f"  {t['modality']}{s.modality} → {value(r.severity, L)}")
            if s.open_question is not None:
                typer.echo(f"  {t['open']}{s.open_question.get(L)}")
            elif r.severity == "violation" and s.statute.reliability in ("S", "R"):
                typer.echo(f"  {t['unverified']}")
            if r.applies is not None:
                typer.echo(f"  {t['applies']}{render(r.applies)}")
            if r.requires is not None:
                typer.echo(f"  {t['requires']}{render(r.requires)}")
        origin = p.inherited_from(r.id)
        if origin is not None:
            typer.echo(f"  {t['inherited']} {origin.id} ({origin.spec.title.get(L)})")
        if s.interpretation is not None:
            typer.echo(f"  {t['interpretation']}{s.interpretation.reading(L)}")
            typer.echo(f"  {t['alternative']}{s.interpretation.alternative.get(L)}")
        if s.example:
            typer.echo(f"  {t['example']}{s.example}")
        typer.echo(f"  {t['defined']} {r.location}")


@app.command()
def lint(directory: Annotated[Path | None, typer.Argument(help="Rules folder or pack folder (default: the bundled packs and --rules folders).")] = None,
         lang: LangOpt = DEFAULT_LANG) -> None:
    """Check rule packs: syntax, unknown facts and kinds, declared conclusions, engine limits."""
    from .packs import broken, discover, load_pack, rules_roots
    from .safe_yaml import InputError, load_file

    dirs = discover(directory)
    if directory is not None and (directory / "pack.yaml").is_file():
        dirs = [directory]
    if not dirs:
        _err(f"error: no rule packs under {directory or ', '.join(map(str, rules_roots()))}")
        raise typer.Exit(2)
    problems = 0
    ids: dict[str, Path] = {}

    def say(text: str) -> None:  # problems, one a line at its place, in the run's language
        for line in text.splitlines():
            typer.echo(error_line(line, lang.value))

    for d in dirs:
        try:
            pack = load_pack(d)
        except InputError as load_error:
            for one in load_error.all():
                say(one.render_one())
            problems += 1
            continue
        if pack.id in ids:
            # two packs with one id: a configuration would be shown under one and judged by the other
            where = load_file(d / "pack.yaml").locate(("id",)) or f"{d / 'pack.yaml'}"
            say(f"{where}: pack id '{pack.id}' is also the id of {ids[pack.id] / 'pack.yaml'}")
            problems += 1
        ids.setdefault(pack.id, d)
        for e in pack.problems:
            say(e.render())
        problems += len(pack.problems)
        if not pack.problems:
            try:
                from .rete import CompileError, compile_pack, compile_rulesets

                try:
                    n = len(compile_pack(pack))
                    parts = len(compile_rulesets(pack))
                    if lang is Lang.de:
                        split = f" in {parts} Regelsätzen" if parts > 1 else ""
                        typer.echo(f"{pack.id}: {len(pack.rules)} Regeln, {n} Engine-Regeln{split}, in Ordnung")
                    else:
                        split = f" in {parts} rulesets" if parts > 1 else ""
                        typer.echo(f"{pack.id}: {len(pack.rules)} rules, {n} engine rules{split}, ok")
                except CompileError as ce:
                    say(str(ce))
                    problems += 1
            except ImportError:
                say(f"{pack.id}: {len(pack.rules)} rules, ok (durable-rules not importable: engine not compiled)")
    for d, e in broken():
        if d not in dirs:  # a user's pack with a bundled pack's id
            say(e.render())
            problems += 1
    if problems:
        raise typer.Exit(1)


@app.command()
def elect(
    file: Annotated[Path, typer.Argument(help="An election (format optionsmodell/election-v1).")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json | markdown")] = Format.text,
    lang: LangOpt = DEFAULT_LANG,
    majority_clause: Annotated[bool, typer.Option("--majority-clause", help="Apply § 33 Abs. 4 KWahlG (its application to this election is not verified).")] = False,
    lot: Annotated[list[str] | None, typer.Option("--lot", help="The name the returning officer's lot drew, once per drawn seat.")] = None,
    into: Annotated[Path | None, typer.Option("--into", help="Write the filled seats into this configuration.")] = None,
    body: Annotated[int, typer.Option(help="With --into: the index of the body (0 = first).")] = 0,
) -> None:
    """Allocate the directly elected seats (Sainte-Laguë/Schepers) and show empty seats and ties."""
    from .election import allocate, load_election
    from .election import render_markdown as election_md
    from .election import render_text as election_text
    from .safe_yaml import InputError
    from .writeback import atomic_replace, plan_directly_elected

    try:
        election, _ = load_election(file)
    except InputError as e:
        _input_error(e)
        raise typer.Exit(2) from None
    result = allocate(election, majority_clause=majority_clause, lots=lot or [])
    if lot:
        # a lot can only be drawn among the names of a tie (before or after the earlier lots)
        tied = {n for r in (allocate(election, majority_clause=majority_clause, lots=[]), result) for t in r.ties for n in t.names}
        for name in lot:
            if name not in tied:
                names = ", ".join(sorted(tied)) if tied else "—"
                _err(f"error: --lot {name} is not in a drawing of lots; the names in the tie: {names}")
                raise typer.Exit(2)
    if fmt is Format.json:
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif fmt is Format.markdown:
        typer.echo(election_md(result, lang.value), nl=False)
    else:
        typer.echo(election_text(result, lang.value), nl=False)
    if into is None:
        return
    if result.ties:
        _err("error: a drawing of lots decides seats; record its outcome with --lot NAME before --into")
        raise typer.Exit(2)
    filled = sum(a.filled for a in result.allocations)
    try:
        edit = plan_directly_elected(into, body, election.seats, filled)
        atomic_replace(into, edit.new, expected=edit.original)
    except InputError as e:
        _input_error(e)
        raise typer.Exit(2) from None
    _err(f"{into}: {edit.account}")


explore_app = typer.Typer(help="Explore the law at work: sweeps, witnesses between regimes, consistency of a pack.",
                          no_args_is_help=True)
app.add_typer(explore_app, name="explore")


@explore_app.command("sweep")
def explore_sweep(
    file: Annotated[Path, typer.Argument(help="A configuration file.")],
    vary: Annotated[str, typer.Option(help="FIELD=FROM..TO, e.g. municipality.foreign_residents=4000..6000")],
    step: Annotated[int, typer.Option(help="Grid step; changes between grid points are found exactly.")] = 0,
    regime: Annotated[str | None, typer.Option(help="Regime id; default: the one in force on the file's date.")] = None,
    lang: LangOpt = DEFAULT_LANG,
    engine: EngineOpt = None,
) -> None:
    """Where along a range of one field the outcome changes, and what it changes to."""
    from .configuration import load_configuration
    judge_with = _engine(engine, fastest=True)
    from .check import find_pack
    from .explore import MAX_GRID, grid_points, grid_step, parse_path, sweep

    match = re.fullmatch(r"\s*([^=]+?)\s*=\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*", vary)
    if match is None:
        _err("error: --vary takes FIELD=FROM..TO with whole numbers")
        raise typer.Exit(2)
    lo, hi = int(match.group(2)), int(match.group(3))
    if hi < lo:
        _err("error: --vary FROM must not exceed TO")
        raise typer.Exit(2)
    with _or_exit(file):
        path = parse_path(match.group(1))
        loaded = load_configuration(file)
        day = loaded.config.date or dt.date.today()
        pack = find_pack(_packs(), regime, loaded.config.municipality.land, day, str(file))
        asked = step or max(1, (hi - lo) // 200)
        used = grid_step(lo, hi, asked)
        if used != asked:
            _err(f"note: --step {asked} raised to {used}: a sweep judges at most {MAX_GRID} grid points; "
                 "between two of them every change is found exactly by bisection")
        n = grid_points(lo, hi, used)
        with bar("sweep", n, worth_it=n > 50) as advance:  # on a terminal only, never in a pipe or a file
            start, changes = sweep(loaded, pack, path, lo, hi, used, engine=judge_with, progress=advance)
    field_name = match.group(1).strip()
    typer.echo(f"{loaded.config.municipality.name} — {pack.id} — {field_name} {lo}..{hi} "
               f"({'Engine' if lang is Lang.de else 'judged by'}: {judge_with.name})")
    typer.echo(f"{field_name} = {lo}: {message(start, lang.value) if isinstance(start, str) else start.describe(lang.value)}")
    if not changes:
        typer.echo("keine Änderung im Bereich" if lang is Lang.de else "no change in the range")
    for ch in changes:
        for line in ch.lines(lang.value):
            typer.echo(f"{field_name} {line}" if line.endswith(":") else line)


@explore_app.command("diff")
def explore_diff(
    file: Annotated[Path, typer.Argument(help="A configuration; its municipality's name and Land seed the search.")],
    regime: Annotated[list[str], typer.Option(help="Exactly two regimes.")],
    seed: Annotated[int, typer.Option(help="Seed: the same seed, the same witnesses.")] = 0,
    tries: Annotated[int, typer.Option(help="Configurations tried per search.")] = 300,
    most: Annotated[int, typer.Option(help="At most this many witnesses.")] = 5,
    include_undetermined: Annotated[bool, typer.Option("--include-undetermined", help="Also differences where one side is undetermined.")] = False,
    engine: EngineOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write each witness to its own file DIR/witness-N.yaml, ready to check.")] = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Search for configurations that two regimes judge differently; print each, shrunk, as YAML."""
    from .configuration import load_configuration
    from .safe_yaml import InputError
    judge_with = _engine(engine, fastest=True)
    from .explore import diff

    packs = _named_packs(regime)
    if len(regime) != 2:
        _err(f"error: name exactly two known regimes with --regime (known: {', '.join(packs)})")
        raise typer.Exit(2)
    try:
        loaded = load_configuration(file)
    except InputError as e:
        _input_error(e)
        raise typer.Exit(2) from None
    a, b = packs[regime[0]], packs[regime[1]]
    land = _one_land([a, b])
    if loaded.config.municipality.land != land:
        _err(f"error: regime {a.id} is the law of Land {land}; this municipality is in "
             f"{loaded.config.municipality.land} (municipality.land)")
        raise typer.Exit(2)
    if out is not None and out.exists() and not out.is_dir():
        _err(f"error: --out {out}: not a folder")
        raise typer.Exit(2)
    with bar("diff", tries, worth_it=tries >= 100) as advance:  # a search of several seconds, on a terminal
        witnesses = diff(a, b, name=loaded.config.municipality.name, land=loaded.config.municipality.land,
                         seed=seed, tries=tries, most=most, include_undetermined=include_undetermined, engine=judge_with,
                         progress=advance)
    L = lang.value
    if not witnesses:
        typer.echo(f"# keine Konfiguration gefunden, die {a.id} und {b.id} verschieden beurteilen ({tries} versucht, "
                   f"Seed {seed}, Engine: {judge_with.name})" if L == "de" else
                   f"# no configuration found that {a.id} and {b.id} judge differently ({tries} tried, seed {seed}, "
                   f"engine: {judge_with.name})")
        return
    title = "Beispiel" if L == "de" else "witness"

    def what(w: Any) -> str:
        return " / ".join(value(str(k), L) for k in w.kind)

    if out is not None:
        targets = [out / f"witness-{i}.yaml" for i in range(1, len(witnesses) + 1)]
        existing = [str(t) for t in targets if t.exists()]
        if existing:  # a user's file is never overwritten
            _err(f"error: --out {out}: {', '.join(existing)} exist(s); choose an empty folder")
            raise typer.Exit(2)
        try:
            out.mkdir(parents=True, exist_ok=True)
            for i, (w, target) in enumerate(zip(witnesses, targets, strict=True), 1):
                with open(target, "x", encoding="utf-8") as fh:
                    fh.write(f"# {title} {i}: {what(w)}\n# {a.id}: {w.a.describe(L)}\n"
                             f"# {b.id}: {w.b.describe(L)}\n{w.yaml()}")
                typer.echo(str(target))
        except OSError as e:
            _err(f"error: --out {out}: {e.strerror or e}")
            raise typer.Exit(2) from None
        return
    typer.echo(f"# {'Engine' if L == 'de' else 'judged by'}: {judge_with.name}")
    for i, w in enumerate(witnesses, 1):
        typer.echo(f"# {title} {i}: {what(w)}")
        typer.echo(f"#   {a.id}: {w.a.describe(L)}")
        typer.echo(f"#   {b.id}: {w.b.describe(L)}")
        typer.echo(w.yaml().rstrip())
        typer.echo("---" if i < len(witnesses) else "")


@explore_app.command("consistency")
def explore_consistency(
    regime: Annotated[str, typer.Option(help="The regime (pack) to examine.")],
    fmt: Annotated[Format, typer.Option("--format", help="text | json")] = Format.text,
    lang: LangOpt = DEFAULT_LANG,
    engine: EngineOpt = None,
) -> None:
    """Contradictions, dead and never-violated rules, unused conclusions, kinds no rule speaks to."""
    judge_with = _engine(engine, fastest=True)
    from dataclasses import asdict

    from .consistency import consistency, render_consistency

    _only(fmt, ("text", "json"), "explore consistency")
    packs = _named_packs([regime])
    with bar("consistency", None):  # seconds of enumeration; its size is not known beforehand
        rep = consistency(packs[regime], engine=judge_with)
    if fmt is Format.json:
        typer.echo(json.dumps(asdict(rep), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_consistency(rep, packs[regime], lang.value), nl=False)


class TableFormat(StrEnum):
    csv = "csv"
    json = "json"
    markdown = "markdown"


@app.command()
def batch(
    table: Annotated[Path | None, typer.Argument(help="CSV table of municipalities; default: the bundled NRW table (Zensus 2022).")] = None,
    regime: Annotated[list[str] | None, typer.Option(help="Regimes (repeat); default: every NW regime.")] = None,
    column: Annotated[list[str] | None, typer.Option(help="FIELD=COLUMN: ags, name, foreign_residents, applicants, population, land.")] = None,
    bodies: Annotated[Path | None, typer.Option(help="YAML `bodies: {AGS: [body, ...]}`; with it each row gets a verdict.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="csv | json | markdown")] = TableFormat.csv,
    chart: Annotated[Path | None, typer.Option(help="Write a chart of municipalities per obligation class (.svg or .png).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date the rows are judged at; default today.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes; default: all cores.")] = 0,
    memo: Annotated[bool, typer.Option(help="Judge each distinct case once (worth it only with a slow engine; default: every row by the engine).")] = False,
    engine: EngineOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    strict: Annotated[bool, typer.Option("--strict", help="A likely violation (text unverified [S]/[R]) counts as a violation.")] = False,
    max_input: Annotated[int | None, typer.Option("--max-input", min=1, max=256, help="Accept a table and bodies file up to MIB "
                         "MiB (default 1 MiB of bodies, 5,000 rows); rows and bodies bounds grow in proportion.")] = None,
) -> None:
    """Every municipality of a table under one or more regimes: obligation class (and verdict)."""
    from . import batch as b
    from .engine import EngineError
    from .safe_yaml import InputError

    b.set_max_input(max_input)

    packs = _packs()
    known = {p.id: p for p in packs}
    regimes = regime or [p.id for p in packs if p.spec.land == "NW"]
    for r in regimes:
        if r not in known:
            _unknown_regime(r, known)
    judge_with = b.batch_engine(memo, None if engine is None else engine.value)
    path = table or b.default_table()
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        _err(f"error: --as-of {as_of!r} is not an ISO date")
        raise typer.Exit(2) from None
    try:
        munis = b.read_table(path, b.parse_columns(column or []))
        text = b.bodies_text(bodies) if bodies is not None else None
    except InputError as e:
        _input_error(e)
        raise typer.Exit(2) from None
    except OSError as e:
        _err(f"error: {path}: {e.strerror}")
        raise typer.Exit(2) from None
    total = len(munis) * len(regimes)
    workers = jobs or b.default_jobs()
    engine_name = None if engine is None else engine.value
    rendered = None
    try:
        with bar("batch", len(munis), worth_it=total >= 500) as advance:
            if bodies is not None and text is not None:
                from .batch_workers import judge_file

                # the bodies file is read (in parts, by the workers, where it can be) before any row is judged
                judged = judge_file(bodies, text, munis, regimes, day, workers, progress=advance, memo=memo,
                                    engine=engine_name, strict=strict, json_rows=fmt is TableFormat.json,
                                    rows=fmt is not TableFormat.json)
                rows, rendered, tally = judged.rows, judged.rendered, judged.tally
            else:
                rows = b.run(munis, regimes, None, day, workers, progress=advance, memo=memo,
                             engine=engine_name, strict=strict)
                tally = b.Tally.of(rows)
    except InputError as e:
        _input_error(e)
        raise typer.Exit(2) from None
    except EngineError as e:
        # translated whole: "engine error" would otherwise be taken for the place of the message
        _err("error: " + message(f"engine error: {e}", lang.value))
        raise typer.Exit(2) from None
    if fmt is TableFormat.json:
        typer.echo(b.to_json_text(rows, regimes, judge_with.name, rendered, tally))
    elif fmt is TableFormat.markdown:
        assert rows is not None  # asked for, for every format but JSON
        typer.echo(b.to_markdown(rows, regimes, lang.value, judge_with.name), nl=False)
    else:
        assert rows is not None
        typer.echo(b.to_csv(rows), nl=False)
    for rid, counts in b.summary(tally, regimes).items():
        _say(f"{rid}: " + ", ".join(f"{value(k, lang.value)} {v}" for k, v in counts.items()))
    _say(f"{'Engine' if lang is Lang.de else 'engine'}: {judge_with.name}")
    if chart is not None:
        title = (f"Gemeinden nach Pflicht zur Bildung eines Gremiums ({path.name})" if lang is Lang.de
                 else f"Municipalities by duty to form a body ({path.name})")
        try:
            if chart.suffix.lower() == ".png":
                b.chart_png(tally, regimes, lang.value, title, chart)
            elif chart.suffix.lower() == ".svg":
                chart.write_text(b.chart_svg(tally, regimes, lang.value, title), encoding="utf-8")
            else:
                raise InputError(None, "the chart is written as .svg or .png", file=str(chart))
        except InputError as e:
            _input_error(e)
            raise typer.Exit(2) from None


class ImportFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@app.command(name="import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="The bylaw's files: text, HTML or PDF; several files of one municipality combine.")],
    name: Annotated[str, typer.Option("--name", help="Name of the municipality.")],
    ags: Annotated[str | None, typer.Option("--ags", help="Amtlicher Gemeindeschlüssel, 8 digits.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: standard output).")] = None,
    fmt: Annotated[ImportFormat, typer.Option("--format", help="yaml (the configuration, each value above its quoted sentence) | json (provenance as data)")] = ImportFormat.yaml,
    kind: Annotated[str | None, typer.Option("--kind", help="The kind of body, where the text does not decide it.")] = None,
    partial: Annotated[bool, typer.Option("--partial", help="Write what could be read, and say what could not.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Draft a configuration from a bylaw's text (Hauptsatzung, Satzung, Wahlordnung, council resolution)."""
    from .bylaws.importer import import_bylaws, write_atomically  # only this command needs the importer
    from .configuration import KNOWN_KINDS
    from .safe_yaml import InputError

    if ags is not None and not re.fullmatch(r"\d{8}", ags):
        _err(f"error: --ags {ags!r}: expected the 8 digits of the Amtlicher Gemeindeschlüssel (e.g. 05315000)")
        raise typer.Exit(2)
    if kind is not None and kind not in KNOWN_KINDS:
        _err(f"error: --kind {kind!r}: expected one of {', '.join(KNOWN_KINDS)}")
        raise typer.Exit(2)
    if not name.strip():
        _err("error: --name must not be empty")
        raise typer.Exit(2)
    if output is not None and output.exists() and not force:
        _err(f"error: {output} exists; use --force to overwrite it (nothing written)")
        raise typer.Exit(2)
    try:
        draft = import_bylaws(files, name=name.strip(), ags=ags, kind=kind, partial=partial)
    except InputError as e:
        _err(f"error: {e.render()} (nothing written)")
        raise typer.Exit(2) from None
    if "kind" not in draft.facts and not partial:
        why = "; ".join(f"{c.key}: {c.reason}" for c in draft.conflicts if c.key == "kind") or "no sentence names it"
        _err(f"error: the text does not decide the kind of body ({why}); name it with --kind "
             f"({', '.join(KNOWN_KINDS[:3])}), or write the draft without it with --partial (nothing written)")
        raise typer.Exit(2)
    text = draft.to_json() + "\n" if fmt is ImportFormat.json else draft.to_yaml(dt.date.today().isoformat())
    if output is None:
        typer.echo(text, nl=False)
    else:
        try:
            write_atomically(output, text)
        except OSError as e:
            _err(f"error: cannot write {output}: {e.strerror} (nothing written)")
            raise typer.Exit(2) from None
    values = len([k for k in draft.facts if k != "seats.total"])
    _err(f"{output or 'stdout'}: {values} value(s) from {', '.join(draft.files)}; "
         f"{len(draft.conflicts)} conflict(s), {len(draft.withheld)} withheld; "
         f"not stated: {', '.join(draft.not_stated()) or '—'}")
    for c in draft.conflicts:
        _err(f"warning: {c.key} left out: {c.reason} (both passages are quoted in the file)")
    for u in draft.unread:
        _err(f"warning: not read: {u}")
    if "kind" not in draft.facts:
        _err("warning: no kind written; the draft is not a valid configuration until you add bodies[0].kind")


@app.command()
def schema(
    of: Annotated[str, typer.Option("--of", help="configuration | election")] = "configuration",
) -> None:
    """Print the JSON Schema of the configuration (or election) format, for editors."""
    from .configuration import json_schema
    if of == "election":
        from .election import ElectionInput

        doc = ElectionInput.model_json_schema()
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif of == "configuration":
        typer.echo(json_schema())
    else:
        _err("error: --of takes configuration or election")
        raise typer.Exit(2)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; loopback only unless you name another.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
) -> None:
    """Serve the web page (edit a configuration, see the findings live) at http://HOST:PORT/."""
    try:
        from .web.server import bind, is_loopback
        from .web.server import serve as run_server
    except ImportError as e:
        _err(f"error: the web page needs the extra [web] ({e.name} is missing): pip install 'optionsmodell[web]'")
        raise typer.Exit(2) from None
    if not 0 < port < 65536:
        _err("error: --port takes 1 to 65535")
        raise typer.Exit(2)
    try:
        sock = bind(host, port)
    except OSError as e:
        _err(f"error: cannot listen on {host}:{port}: {e.strerror or e}")
        raise typer.Exit(2) from None
    shown = f"[{host}]" if ":" in host else host
    _err(f"optionsmodell: http://{shown}:{sock.getsockname()[1]}/  (Ctrl+C ends it)")
    if not is_loopback(host):
        _err("warning: listening beyond this computer; anyone who reaches this address can use the page")
    run_server(sock, host)


def _usage_error(e: Any) -> None:
    """A command line the parser refuses (a missing argument, an unknown option, a bad value), shown
    as typer shows it, in the run's language."""
    lang = _RUN["lang"]  # the environment's, unless the refused command line names one
    for arg, after in zip(sys.argv, [*sys.argv[1:], ""], strict=True):
        given = after if arg == "--lang" else arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        lang = given if given in ("de", "en") else lang
    try:
        from typer import rich_utils
    except ImportError:  # typer without rich: click's plain form
        e.show()
        return
    if lang == "en" or e.__class__.__name__ == "NoArgsIsHelpError":
        rich_utils.rich_format_error(e)
        return
    translated = message(e.format_message(), lang)
    e.format_message = lambda: translated  # the panel shows this instance's message
    title, hint = rich_utils.ERRORS_PANEL_TITLE, rich_utils.RICH_HELP
    rich_utils.ERRORS_PANEL_TITLE, rich_utils.RICH_HELP = "Fehler", "Hilfe: [blue]'{command_path} {help_option}'[/]"
    try:
        rich_utils.rich_format_error(e)
    finally:
        rich_utils.ERRORS_PANEL_TITLE, rich_utils.RICH_HELP = title, hint


def _command_asked(argv: list[str]) -> str | None:
    """The command the command line names (skipping the main options before it), or None."""
    args = iter(argv)
    for arg in args:
        if arg == "--rules":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
        elif arg in ("--help", "--version"):
            return None
    return None


def main() -> None:
    # The cyclic garbage collector: what is imported by now (typer, click, this module) lives as
    # long as the process, and a command's own imports and pydantic's validators add thousands of
    # long-lived objects more; with the default thresholds the collector ran ~90 times in a single
    # check, walking them again and again (4 % of its instructions). Frozen, they are never walked,
    # and the collector runs every 50,000 allocations instead of 700 (as freqtrade does,
    # freqtrade/util/gc_setup.py); garbage with reference cycles is still collected.
    gc.freeze()
    gc.set_threshold(50_000, 500, 1000)
    # typer builds the options of every command before it runs one; only the command asked for is
    # built (the full set for --help, a misspelt command or none): part of a single check's start-up
    name = _command_asked(sys.argv[1:])
    commands, groups = app.registered_commands, app.registered_groups
    chosen = [c for c in commands if (c.name or (c.callback.__name__ if c.callback else "")).replace("_", "-") == name]
    chosen_groups = [g for g in groups if g.name == name]
    # not standalone: the parser's refusals come here, to be worded in the run's language (typer
    # carries its own copy of click, so they are known by what they can do, not by their class)
    try:
        if chosen or chosen_groups:
            app.registered_commands, app.registered_groups = chosen, chosen_groups
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:
        if type(e).__name__ == "Abort":
            typer.echo("Abgebrochen." if _RUN["lang"] == "de" else "Aborted!", err=True)
            sys.exit(1)
        if not (hasattr(e, "format_message") and isinstance(getattr(e, "exit_code", None), int)):
            raise
        _usage_error(e)
        sys.exit(cast(int, e.exit_code))  # type: ignore[attr-defined]
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    sys.exit(code if isinstance(code, int) else 0)
