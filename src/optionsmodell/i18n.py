"""One language per run: every word a user reads (findings, errors, labels, enumerated values,
summaries) in the language of ``--lang``, or else of the environment.

The default follows POSIX: ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``; German when it starts with
``de``, English for any other language. Unset, ``C`` and ``POSIX`` mean German: the tool is written for
German municipalities. Help texts (``--help``) stay English (README, "Language").

Messages are written in English where they arise (in the modules that find the problem) and
translated here, at the edge, by pattern: one table a translator can read top to bottom.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping

LANGS = ("de", "en")


def default_lang(env: Mapping[str, str] | None = None) -> str:
    e = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = e.get(var, "").strip()
        if value:
            if value.lower().startswith("de"):
                return "de"
            if value.split(".")[0].upper() in ("C", "POSIX"):
                return "de"
            return "en"
    return "de"


def accept_language(header: str | None) -> str | None:
    """The language a browser asks for first among ours (``Accept-Language: en-GB,en;q=0.9,de;q=0.8``),
    or None when it names neither."""
    best: tuple[float, str] | None = None
    for i, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, val = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(val)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or q > best[0]):
            best = (q - i * 1e-6, primary)  # at equal weight, the one named first
    return None if best is None else best[1]


def resolve(lang: str | None) -> str:
    """The language of this run: the --lang given, else the environment's."""
    return lang if lang in LANGS else default_lang()


# enumerated values a user reads in tables and summaries (JSON keeps the English values: a contract)
VALUES: dict[str, dict[str, str]] = {
    "de": {
        "mandatory": "Pflicht", "on_application": "auf Antrag", "voluntary": "freiwillig", "none": "keine Pflicht",
        "undetermined": "unentschieden", "compliant": "rechtmäßig", "violations": "Verstöße",
        "violated": "verletzt", "satisfied": "erfüllt", "not_applicable": "nicht anwendbar",
        "expected": "erwartet", "list": "Liste", "single": "Einzelbewerber", "proposal": "Entwurf", "enacted": "in Kraft",
        "open": "offen", "likely_violated": "wahrscheinlich verletzt", "violation": "Verstoß", "warning": "Warnung",
        "info": "Hinweis", "verdict": "Ergebnis", "obligation": "Pflicht", "rule": "Regel",
    },
}


def value(v: str, lang: str) -> str:
    """An enumerated value (obligation class, verdict, outcome) in the run's language; in English
    the value as JSON and CSV spell it."""
    return v if lang == "en" else VALUES["de"].get(v, v)


# (English pattern, German template): the messages of safe_yaml, configuration, packs, election,
# batch, explore and the command line. Groups are carried over as they are (values, paths, files).
_DE: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"a tab: YAML does not allow tabs for indentation; indent with spaces",
     "ein Tabulator: YAML erlaubt keine Tabulatoren zum Einrücken; mit Leerzeichen einrücken"),
    (r"a second YAML document \(after a `---` line\); a file holds one document: split it into one file each",
     "ein zweites YAML-Dokument (nach einer Zeile `---`); eine Datei enthält ein Dokument: bitte auf je eine Datei aufteilen"),
    (r"not UTF-8 text \(byte (0x[0-9A-F]+), e\.g\. an ä saved as Latin-1/Windows-1252\); save the file as UTF-8",
     r"kein UTF-8-Text (Byte \1, z. B. ein ä, das als Latin-1/Windows-1252 gespeichert wurde); die Datei als UTF-8 speichern"),
    (r"control character (U\+[0-9A-F]+) is not allowed in YAML; remove it",
     r"Steuerzeichen \1 ist in YAML nicht erlaubt; bitte entfernen"),
    (r"nested more than (\d+) levels deep(.*); refused", r"mehr als \1 Ebenen tief verschachtelt\2; abgelehnt"),
    (r"more than (\d+) values \(alias expansion\?\); refused", r"mehr als \1 Werte (Alias-Expansion?); abgelehnt"),
    (r"file is larger than (.+); refused", r"Datei ist größer als \1; abgelehnt"),
    (r"input larger than (.+) is refused", r"Eingaben über \1 werden abgelehnt"),
    (r"a character device, not a file; refused", "ein Zeichengerät, keine Datei; abgelehnt"),
    (r"a block device, not a file; refused", "ein Blockgerät, keine Datei; abgelehnt"),
    (r"a FIFO \(named pipe\), not a file; refused", "eine benannte Pipe (FIFO), keine Datei; abgelehnt"),
    (r"a socket, not a file; refused", "ein Socket, keine Datei; abgelehnt"),
    (r"a folder, not a file; refused", "ein Ordner, keine Datei; abgelehnt"),
    (r"YAML syntax error: (.*)", r"YAML-Syntaxfehler: \1"),
    (r"cannot read value: (.*)", r"Wert nicht lesbar: \1"),
    (r"cannot read (.*) as (!!\S+): (.*)", r"\1 ist als \2 nicht lesbar: \3"),
    (r"binary values \(!!binary\) are not allowed", "binäre Werte (!!binary) sind nicht erlaubt"),
    (r"merge keys \(<<\) are not supported; write the keys out", "Merge-Schlüssel (<<) werden nicht unterstützt; die Schlüssel ausschreiben"),
    (r"a key must be a plain name", "ein Schlüssel muss ein einfacher Name sein"),
    (r"key '(.*)' appears twice", r"Schlüssel '\1' steht zweimal da"),
    (r"(.*): '(.*)' is not a two-letter Land code, e\.g\. NW \(Nordrhein-Westfalen\), SL \(Saarland\)( \(NRW → NW\))?",
     r"\1: '\2' ist kein zweistelliger Länderschlüssel, z. B. NW (Nordrhein-Westfalen), SL (Saarland)\3"),
    (r"(.*): '(.*)' is not a whole number: German thousands separators \(7\.300\) and decimal commas are not numbers in YAML; write the digits alone, e\.g\. (\d+)",
     r"\1: '\2' ist keine ganze Zahl: Tausenderpunkte (7.300) und Dezimalkommas sind in YAML keine Zahlen; nur die Ziffern schreiben, z. B. \3"),
    (r"(.*): '(.*)' is a word, not a whole number; write the count in digits \(0 for none\)",
     r"\1: '\2' ist ein Wort, keine Zahl; die Anzahl in Ziffern schreiben (0 für keine)"),
    (r"(.*): '(.*)' is text; expected a whole number \(without quotes\)",
     r"\1: '\2' ist Text; erwartet wird eine ganze Zahl (ohne Anführungszeichen)"),
    (r"(.*): (.*) is not allowed here; expected one of (.*?) or ('[^']*')( \(did you mean '(.*)'\?\))?$",
     lambda m: f"{m[1]}: {m[2]} ist hier nicht erlaubt; erwartet wird eines von {m[3]} oder {m[4]}"
     + (f" (gemeint ist wohl '{m[6]}'?)" if m[6] else "")),
    (r"(.*): (.*) is not allowed here; expected one of (.*?)( \(did you mean '(.*)'\?\))?$",
     lambda m: f"{m[1]}: {m[2]} ist hier nicht erlaubt; erwartet wird eines von {m[3]}"
     + (f" (gemeint ist wohl '{m[5]}'?)" if m[5] else "")),
    (r"(.*): unknown key; see `optionsmodell schema` for the keys this format has( \(did you mean `(.*)`\?\))?",
     lambda m: f"{m[1]}: unbekannter Schlüssel; `optionsmodell schema` zeigt die Schlüssel des Formats"
     + (f" (gemeint ist wohl `{m[3]}`?)" if m[3] else "")),
    (r"(.*): expected a whole number \(without quotes\), or a mapping with `total` and/or `foreign_nationals`",
     r"\1: erwartet wird eine ganze Zahl (ohne Anführungszeichen) oder eine Zuordnung mit `total` und/oder `foreign_nationals`"),
    (r"(.*): required key is missing", r"\1: Pflichtschlüssel fehlt"),
    (r"(.*): expected a whole number \(without quotes\)", r"\1: erwartet wird eine ganze Zahl (ohne Anführungszeichen)"),
    (r"(.*): expected a whole number ≥ (.*)", r"\1: erwartet wird eine ganze Zahl ≥ \2"),
    (r"(.*): expected a number ≤ (.*)", r"\1: erwartet wird eine Zahl ≤ \2"),
    (r"(.*): expected an ISO date such as (.*)", r"\1: erwartet wird ein ISO-Datum wie \2"),
    (r"(.*): expected true or false", r"\1: erwartet wird true oder false"),
    (r"(.*): expected text matching (.*)", r"\1: erwartet wird Text nach dem Muster \2"),
    (r"(.*): expected text", r"\1: erwartet wird Text"),
    (r"(.*): expected a mapping of keys to values", r"\1: erwartet wird eine Zuordnung von Schlüsseln zu Werten"),
    (r"(.*): expected a list", r"\1: erwartet wird eine Liste"),
    (r"(.*): expected one of (.*)", r"\1: erwartet wird eines von \2"),
    (r"expected a configuration: a mapping with `municipality` and `bodies`",
     "erwartet wird eine Konfiguration: eine Zuordnung mit `municipality` und `bodies`"),
    (r"expected an election: a mapping with `seats` and `candidates`",
     "erwartet wird eine Wahl: eine Zuordnung mit `seats` und `candidates`"),
    (r"`filled` needs `seats`: filled seats are counted against the seats",
     "`filled` braucht `seats`: besetzte Sitze werden an den Sitzen gemessen"),
    (r"(.*)filled\.(\w+) = (\d+) exceeds seats\.(\w+) = (\d+)", r"\1filled.\2 = \3 übersteigt seats.\4 = \5"),
    (r"unknown regime '(.*)' \(known: (.*)\)", r"unbekannter Rechtsstand '\1' (bekannt: \2)"),
    (r"regime (\S+) is the law of Land (\w+); this municipality is in (\w+) \(municipality\.land\)",
     r"Rechtsstand \1 ist Recht des Landes \2; diese Gemeinde liegt in \3 (municipality.land)"),
    (r"no enacted regime of Land (\w+) is in force on (\S+) \(regimes exist for (.*); name one with --regime\)",
     r"kein Rechtsstand des Landes \1 ist am \2 in Kraft (Rechtsstände gibt es für \3; mit --regime einen nennen)"),
    (r"rule pack (\S+) cannot be used: (.*)", r"Regelpaket \1 ist nicht verwendbar: \2"),
    (r"rule pack (\S+) has problems; run `optionsmodell lint`: (.*)", r"Regelpaket \1 hat Fehler; `optionsmodell lint` zeigt sie: \2"),
    (r"pack '(.*)' is already defined in (.*); left out \(give it another id\)",
     r"Paket '\1' ist schon in \2 definiert; ausgelassen (bitte eine andere id wählen)"),
    (r"id '(.*)' does not match its folder '(.*)'", r"id '\1' passt nicht zum Ordner '\2'"),
    (r"extends unknown pack '(.*)'", r"erweitert ein unbekanntes Paket '\1'"),
    (r"pack\.yaml must be a mapping", "pack.yaml muss eine Zuordnung sein"),
    (r"no rule packs found under (.*)", r"keine Regelpakete gefunden unter \1"),
    (r"not a field path: (.*) \(e\.g\. (.*)\)", r"kein Feldpfad: \1 (z. B. \2)"),
    (r"(.*): no such field; the configuration format has (.*)", r"\1: kein solches Feld; das Konfigurationsformat hat \2"),
    (r"(.*): not a count; --vary takes a field holding a whole number \((.*)\)",
     r"\1: keine Anzahl; --vary nimmt ein Feld mit einer ganzen Zahl (\2)"),
    (r"the configuration has no (.*)", r"die Konfiguration hat kein \1"),
    (r"cannot set (.*)", r"\1 kann nicht gesetzt werden"),
    (r"--as-of (.*) is not an ISO date \(YYYY-MM-DD\)", r"--as-of \1 ist kein ISO-Datum (JJJJ-MM-TT)"),
    (r"--as-of (.*) is not an ISO date", r"--as-of \1 ist kein ISO-Datum"),
    (r"--vary takes FIELD=FROM\.\.TO with whole numbers", "--vary erwartet FELD=VON..BIS mit ganzen Zahlen"),
    (r"--vary FROM must not exceed TO", "--vary: VON darf BIS nicht übersteigen"),
    (r"--lot (.*) is not in a drawing of lots; the names in the tie: (.*)",
     r"--lot \1 ist an keinem Losentscheid beteiligt; beteiligt sind: \2"),
    (r"a drawing of lots decides seats; record its outcome with --lot NAME before --into",
     "ein Losentscheid entscheidet Sitze; sein Ergebnis zuerst mit --lot NAME eintragen, dann --into"),
    (r"column (.*): (.*) is not a whole number", r"Spalte \1: \2 ist keine ganze Zahl"),
    (r"column (.*): (.*) is negative", r"Spalte \1: \2 ist negativ"),
    (r"column (.*): empty name", r"Spalte \1: leerer Name"),
    (r"no column (.*) for (.*) \(columns: (.*)\); map one with --column (.*)",
     r"keine Spalte \1 für \2 (Spalten: \3); mit --column \4 zuordnen"),
    (r"the chart is written as \.svg or \.png", "das Diagramm wird als .svg oder .png geschrieben"),
    (r"--format (\w+) is not supported by (.*); use (.*)", r"--format \1 wird von \2 nicht unterstützt; möglich: \3"),
    (r"(.*) is the law of Land (\w+) and (.*) of Land (\w+); compare regimes of one Land",
     r"\1 ist Recht des Landes \2 und \3 des Landes \4; nur Rechtsstände eines Landes vergleichen"),
    (r"Input should be ('.*') or ('[^']*')", r"erwartet wird \1 oder \2"),  # pydantic's words for a literal
    (r"Input should be ('[^']*')", r"erwartet wird \1"),
    (r"skipped: (.*) is in Land (\w+), the regimes are the law of (\w+)",
     r"übersprungen: \1 liegt im Land \2, die Rechtsstände sind Recht von \3"),
]

# (English template, German template): every other message, written as the code writes it. A
# placeholder {name} stands for a value carried over as it is; {msg…} for a message of its own,
# translated in turn; {items} for "; "-separated messages, each translated. Generic entries last.
_TEMPLATES: list[tuple[str, str]] = [
    # the operating system's words for a file that cannot be read or written (strerror)
    ("No such file or directory", "Datei oder Ordner nicht gefunden"),
    ("Permission denied", "keine Berechtigung"),
    ("Is a directory", "ist ein Ordner"),
    ("Not a directory", "ist kein Ordner"),
    ("File exists", "Datei existiert bereits"),
    ("No space left on device", "kein Platz mehr auf dem Datenträger"),
    ("Read-only file system", "schreibgeschütztes Dateisystem"),
    ("Address already in use", "Adresse wird schon verwendet"),
    ("File too large", "Datei zu groß"),
    ("Cannot assign requested address", "Adresse nicht verfügbar"),
    ("cannot read file: {msg}", "Datei nicht lesbar: {msg}"),
    # safe_yaml, limits
    ("YAML error: {detail}", "YAML-Fehler: {detail}"),
    ("cannot read {value} as {tag}: {detail}", "{value} ist als {tag} nicht lesbar: {detail}"),
    ("cannot read {value}: {detail}", "{value} ist nicht lesbar: {detail}"),
    ("{n} bodies; at most {cap} are accepted in one file", "{n} Gremien; höchstens {cap} werden in einer Datei angenommen"),
    ("{n} {what}; at most {cap} are accepted in one file", "{n} {what}; höchstens {cap} werden in einer Datei angenommen"),
    ("{what}, not a file; refused", "{what}, keine Datei; abgelehnt"),
    # rule packs (lint)
    ("{msg} (and {n} more; run `optionsmodell lint`)", "{msg} (und {n} weitere; `optionsmodell lint` zeigt sie)"),
    ("{msg} (run `optionsmodell lint`)", "{msg} (`optionsmodell lint` zeigt mehr)"),
    ("pack id '{id}' is also the id of {file}", "Paket-id '{id}' ist auch die id von {file}"),
    ("circular extends: {chain}", "zirkuläres extends: {chain}"),
    ("repeals unknown rule {rule} of {pack}", "hebt eine unbekannte Regel {rule} von {pack} auf"),
    ("`repeal` needs `extends`", "`repeal` braucht `extends`"),
    ("a pack needs `kinds` (or `extends`)", "ein Paket braucht `kinds` (oder `extends`)"),
    ("unknown body kind '{kind}' (known: {known})", "unbekannte Gremienart '{kind}' (bekannt: {known})"),
    ("unknown group '{group}'", "unbekannte Gruppe '{group}'"),
    ("conclusion '{name}' must be a plain name that is not a fact",
     "Schluss '{name}' muss ein einfacher Name sein, der keine Tatsache ist"),
    ("a rule file needs a `rules:` list", "eine Regeldatei braucht eine Liste `rules:`"),
    ("rule id {rule} also defined at {place}", "Regel-id {rule} ist auch definiert in {place}"),
    ("rule {rule} is both repealed and defined", "Regel {rule} ist zugleich aufgehoben und definiert"),
    ("{rule} (inherited) uses '{name}', which {pack} removed", "{rule} (geerbt) verwendet '{name}', das {pack} entfernt hat"),
    ("a requirement needs `requires`", "eine Anforderung braucht `requires`"),
    ("a requirement needs `messages` (violated, satisfied) in de and en",
     "eine Anforderung braucht `messages` (violated, satisfied) auf de und en"),
    ("a requirement needs `modality` (muss | ist_zu | soll | kann)", "eine Anforderung braucht `modality` (muss | ist_zu | soll | kann)"),
    ("`when`/`conclude` belong to conclusions; a requirement has `applies`/`requires`",
     "`when`/`conclude` gehören zu Schlüssen; eine Anforderung hat `applies`/`requires`"),
    ("a conclusion needs `when` and `conclude`", "ein Schluss braucht `when` und `conclude`"),
    ("a conclusion has `when`/`conclude`, not `applies`/`requires`", "ein Schluss hat `when`/`conclude`, nicht `applies`/`requires`"),
    ("a conclusion needs `because` (de, en): the line it adds to a derivation",
     "ein Schluss braucht `because` (de, en): die Zeile, die er einer Herleitung hinzufügt"),
    ("conclusion '{name}' is not declared in pack.yaml `conclusions`", "Schluss '{name}' ist in pack.yaml `conclusions` nicht erklärt"),
    ("a municipality rule cannot conclude the body conclusion '{name}'",
     "eine Gemeinderegel kann den Gremienschluss '{name}' nicht ziehen"),
    ("a body rule cannot conclude the municipality conclusion '{name}'",
     "eine Gremienregel kann den Gemeindeschluss '{name}' nicht ziehen"),
    ("'{value}' is not a declared value of '{name}' ({values})", "'{value}' ist kein erklärter Wert von '{name}' ({values})"),
    ("'{name}' takes true or false", "'{name}' nimmt true oder false"),
    ("'{name}' is a fact of a body; a municipality rule cannot use it",
     "'{name}' ist eine Tatsache eines Gremiums; eine Gemeinderegel kann sie nicht verwenden"),
    ("unknown kind '{value}' for '{name}' (allowed: {allowed})", "unbekannte Art '{value}' für '{name}' (erlaubt: {allowed})"),
    ("unknown value '{value}' for '{name}' (allowed: {allowed})", "unbekannter Wert '{value}' für '{name}' (erlaubt: {allowed})"),
    ("a conclusion ('{name}') may only be compared with == or != to a value, or with `in`",
     "ein Schluss ('{name}') darf nur mit == oder != mit einem Wert verglichen werden, oder mit `in`"),
    ("conclusion '{name}' is declared but no rule concludes it", "Schluss '{name}' ist erklärt, aber keine Regel zieht ihn"),
    ("no rule packs under {where}", "keine Regelpakete unter {where}"),
    ("{pack}: {rules} rules, ok (durable-rules not importable: engine not compiled)",
     "{pack}: {rules} Regeln, in Ordnung (durable-rules nicht importierbar: Engine nicht übersetzt)"),
    # expressions of rules (lint)
    ("expression longer than {n} characters", "Ausdruck länger als {n} Zeichen"),
    ("syntax error: {detail}", "Syntaxfehler: {detail}"),
    ("expression too deeply nested", "Ausdruck zu tief verschachtelt"),
    ("condition too complex: its normal form has more than {n} alternatives (e.g. many `(a or b)` joined by `and`); "
     "split it into several rules or conclusions",
     "Bedingung zu komplex: ihre Normalform hat mehr als {n} Alternativen (z. B. viele `(a or b)`, verbunden mit `and`); "
     "auf mehrere Regeln oder Schlüsse aufteilen"),
    ("expression has more than {n} parts; split it into several rules or conclusions",
     "Ausdruck hat mehr als {n} Teile; auf mehrere Regeln oder Schlüsse aufteilen"),
    ("expression nested more than {n} deep (a long sum or chain of operations?); split it, e.g. with a conclusion",
     "Ausdruck mehr als {n} Ebenen tief verschachtelt (eine lange Summe oder Kette von Operationen?); aufteilen, z. B. mit einem Schluss"),
    ("cannot compare {a} with {b}", "{a} ist nicht mit {b} vergleichbar"),
    ("only == and != compare {type} values", "nur == und != vergleichen Werte vom Typ {type}"),
    ("operator {op} is not allowed", "Operator {op} ist nicht erlaubt"),
    ("unknown fact '{name}'", "unbekannte Tatsache '{name}'"),
    ("fact '{name}' is {type}, not a condition; compare it", "Tatsache '{name}' ist {type}, keine Bedingung; bitte vergleichen"),
    ("not a condition: {expr}", "keine Bedingung: {expr}"),
    ("`in` needs a fact name on its left", "`in` braucht links den Namen einer Tatsache"),
    ("`in` needs a list of values on its right, e.g. ['a', 'b']", "`in` braucht rechts eine Liste von Werten, z. B. ['a', 'b']"),
    ("list value {value} is {type}, fact '{name}' is {ftype}", "Listenwert {value} ist {type}, Tatsache '{name}' ist {ftype}"),
    ("`in` needs at least one value", "`in` braucht mindestens einen Wert"),
    ("only literal values may stand in a list", "in einer Liste dürfen nur feste Werte stehen"),
    ("literal {value} is not allowed (whole numbers, text, true/false, date(...))",
     "der Wert {value} ist nicht erlaubt (ganze Zahlen, Text, true/false, date(...))"),
    ("not an ISO date: {value}", "kein ISO-Datum: {value}"),
    ('the only call allowed is date("YYYY-MM-DD")', 'der einzige erlaubte Aufruf ist date("JJJJ-MM-TT")'),
    ("not allowed in a rule: {expr}", "in einer Regel nicht erlaubt: {expr}"),
    ("cannot compute {a} {op} {b}", "{a} {op} {b} ist nicht berechenbar"),
    # the Rete engine (lint, check --engine rete)
    ("cannot compile {op} with a number on its left; write the fact first",
     "{op} mit einer Zahl links ist nicht übersetzbar; die Tatsache zuerst schreiben"),
    ("the Rete engine cannot divide (durable-rules divides whole numbers and fails on 0); "
     "multiply the other side instead, or judge with --engine compiled",
     "die Rete-Engine kann nicht teilen (durable-rules teilt ganzzahlig und scheitert an 0); "
     "stattdessen die andere Seite multiplizieren oder mit --engine compiled prüfen"),
    ("a comparison needs a fact alone on one side, or a fact first in a sum",
     "ein Vergleich braucht eine Tatsache allein auf einer Seite oder als Erstes in einer Summe"),
    ("{rule}: more than 30 tests in one conjunction", "{rule}: mehr als 30 Tests in einer Konjunktion"),
    ("{place}: {rule} cannot be compiled for the Rete engine: {msg}",
     "{place}: {rule} ist für die Rete-Engine nicht übersetzbar: {msg}"),
    ("{file}: pack {pack}: its conclusion rules compile to {n} engine rules; every part of a split pack must hold all of "
     "them and durable-rules creates at most {max} rules per ruleset (more failed, measured): write fewer alternatives "
     "(`or`) in the conclusions' `when`",
     "{file}: Paket {pack}: seine Schlussregeln ergeben {n} Engine-Regeln; jeder Teil eines geteilten Pakets muss alle "
     "enthalten, und durable-rules legt höchstens {max} Regeln je Regelsatz an (mehr scheiterte, gemessen): weniger "
     "Alternativen (`or`) im `when` der Schlüsse schreiben"),
    ("pack {pack}: durable-rules refuses its rules: {detail}", "Paket {pack}: durable-rules lehnt seine Regeln ab: {detail}"),
    ("unknown engine '{name}' (known: {known})", "unbekannte Engine '{name}' (bekannt: {known})"),
    ("engine '{name}' cannot run here: {detail}", "Engine '{name}' kann hier nicht laufen: {detail}"),
    # the detail in the run's language where the table has it (a worker's end), else as the engine said it
    ("engine error: {msg}", "Fehler der Engine: {msg}"),
    ("a worker process of the batch ended without an answer (killed, or out of memory?)",
     "ein Arbeitsprozess des Batch-Laufs endete ohne Antwort (beendet, oder ohne Speicher?)"),
    ("a worker process sent {kind} instead of {expected}", "ein Arbeitsprozess sandte {kind} statt {expected}"),
    ("a worker process sent {kind} while judging", "ein Arbeitsprozess sandte {kind} beim Prüfen"),
    # pack test cases (`test`)
    ("a case file needs a `cases:` list", "eine Falldatei braucht eine Liste `cases:`"),
    ("a case needs `name`, `config` and `expect`", "ein Fall braucht `name`, `config` und `expect`"),
    ("{case}: configuration invalid: {detail}", "{case}: Konfiguration ungültig: {detail}"),
    ("{case}: `expect` maps RULE-ID (or RULE-ID@BODY) to an outcome",
     "{case}: `expect` ordnet REGEL-ID (oder REGEL-ID@GREMIUM) ein Ergebnis zu"),
    # check
    ("no date: the file has no `date` and no --as-of was given, and the law changed on {since} ({old} → {new}); "
     "say which day to judge at: add `date: {today}` (or the draft's day) to the file, or give --as-of {today2}",
     "kein Datum: die Datei hat kein `date` und --as-of fehlt, und das Recht hat sich am {since} geändert ({old} → {new}); "
     "bitte den Prüftag angeben: `date: {today}` (oder den Tag des Entwurfs) in die Datei schreiben oder --as-of {today2} angeben"),
    ("the report would be {n} MiB, more than {max} MiB; check fewer files at once",
     "der Bericht wäre {n} MiB groß, mehr als {max} MiB; weniger Dateien auf einmal prüfen"),
    ("name two or more known regimes with --regime (known: {known})",
     "mit --regime zwei oder mehr bekannte Rechtsstände nennen (bekannt: {known})"),
    ("name exactly two known regimes with --regime (known: {known})",
     "mit --regime genau zwei bekannte Rechtsstände nennen (bekannt: {known})"),
    ("--diff needs --regime", "--diff braucht --regime"),
    ("no rule {rule}", "keine Regel {rule}"),
    ("--rules {dir}: not a folder", "--rules {dir}: kein Ordner"),
    ("--out {dir}: not a folder", "--out {dir}: kein Ordner"),
    ("--out {dir}: {files} exist(s); choose an empty folder", "--out {dir}: {files} gibt es schon; einen leeren Ordner wählen"),
    ("--out {dir}: {msg}", "--out {dir}: {msg}"),
    ("--step {asked} raised to {used}: a sweep judges at most {max} grid points; "
     "between two of them every change is found exactly by bisection",
     "--step {asked} auf {used} erhöht: ein Verlauf prüft höchstens {max} Rasterpunkte; "
     "zwischen zweien wird jede Änderung durch Bisektion genau gefunden"),
    ("--of takes configuration or election", "--of nimmt configuration oder election"),
    ("--port takes 1 to 65535", "--port nimmt 1 bis 65535"),
    ("the web page needs the extra [web] ({module} is missing): pip install 'optionsmodell[web]'",
     "die Webseite braucht das Extra [web] ({module} fehlt): pip install 'optionsmodell[web]'"),
    ("cannot listen on {address}: {msg}", "kann nicht auf {address} lauschen: {msg}"),
    ("http://{address}/  (Ctrl+C ends it)", "http://{address}/  (Strg+C beendet)"),
    ("listening beyond this computer; anyone who reaches this address can use the page",
     "lauscht über diesen Rechner hinaus; wer diese Adresse erreicht, kann die Seite benutzen"),
    # batch
    ("--column {spec}: expected FIELD=COLUMN with FIELD one of {fields}",
     "--column {spec}: erwartet wird FIELD=COLUMN mit FIELD aus {fields}"),
    ("more than {n} municipalities in one table; split it (e.g. by Land) or raise the bound with --max-input MIB",
     "mehr als {n} Gemeinden in einer Tabelle; aufteilen (z. B. nach Land) oder die Grenze mit --max-input MIB anheben"),
    ("a bodies file is `bodies:` mapping each AGS to a list of bodies",
     "eine Gremiendatei ist `bodies:` mit einer Liste von Gremien je AGS"),
    ("bodies.{ags}: expected a list of bodies (- kind: ...), got {what}",
     "bodies.{ags}: erwartet wird eine Liste von Gremien (- kind: ...), gefunden: {what}"),
    ("the table's rows have {n} bodies together; at most {max} are judged in one run: split the table",
     "die Zeilen der Tabelle haben zusammen {n} Gremien; höchstens {max} werden in einem Lauf geprüft: die Tabelle aufteilen"),
    ("a PNG chart needs matplotlib: pip install 'optionsmodell[chart]' (or write .svg)",
     "ein PNG-Diagramm braucht matplotlib: pip install 'optionsmodell[chart]' (oder .svg schreiben)"),
    # import
    ("--ags {ags}: expected the 8 digits of the Amtlicher Gemeindeschlüssel (e.g. 05315000)",
     "--ags {ags}: erwartet werden die 8 Ziffern des Amtlichen Gemeindeschlüssels (z. B. 05315000)"),
    ("--name must not be empty", "--name darf nicht leer sein"),
    ("--kind {kind}: expected one of {kinds}", "--kind {kind}: erwartet wird eines von {kinds}"),
    ("{file} exists; use --force to overwrite it (nothing written)",
     "{file} existiert; mit --force überschreiben (nichts geschrieben)"),
    ("the text does not decide the kind of body ({why}); name it with --kind ({kinds}), or write the draft without it "
     "with --partial (nothing written)",
     "der Text legt die Art des Gremiums nicht fest ({why}); mit --kind nennen ({kinds}) oder den Entwurf ohne sie mit "
     "--partial schreiben (nichts geschrieben)"),
    ("no sentence names it", "kein Satz nennt sie"),
    ("cannot write {file}: {msg} (nothing written)", "{file} nicht schreibbar: {msg} (nichts geschrieben)"),
    ("{msg} (nothing written)", "{msg} (nichts geschrieben)"),
    ("{file}: {n} value(s) from {files}; {conflicts} conflict(s), {withheld} withheld; not stated: {missing}",
     "{file}: {n} Wert(e) aus {files}; {conflicts} Widerspruch/Widersprüche, {withheld} zurückgehalten; nicht genannt: {missing}"),
    ("{key} left out: {why} (both passages are quoted in the file)",
     "{key} ausgelassen: {why} (beide Stellen sind in der Datei zitiert)"),
    ("not read: {what}", "nicht gelesen: {what}"),
    ("no kind written; the draft is not a valid configuration until you add bodies[0].kind",
     "keine Art geschrieben; der Entwurf ist erst mit bodies[0].kind eine gültige Konfiguration"),
    ("no file could be read as a bylaw: {items}", "keine Datei war als Satzung lesbar: {items}"),
    ("does not look like a bylaw on an integration body (it names no Integrationsrat, Integrationsausschuss or "
     "Ausschuss für Chancengerechtigkeit und Integration)",
     "sieht nicht nach einer Satzung über ein Integrationsgremium aus (sie nennt keinen Integrationsrat, "
     "Integrationsausschuss oder Ausschuss für Chancengerechtigkeit und Integration)"),
    ("does not look like a bylaw on an integration body (it names no Integrationsrat, Integrationsausschuss or "
     "Ausschuss für Chancengerechtigkeit und Integration); its visible text has none, and the {n} script(s) of the page "
     "were not run (a page that loads its text by script: save it after loading, or print it to PDF)",
     "sieht nicht nach einer Satzung über ein Integrationsgremium aus (sie nennt keinen Integrationsrat, "
     "Integrationsausschuss oder Ausschuss für Chancengerechtigkeit und Integration); ihr sichtbarer Text nennt keinen, "
     "und die {n} Skript(e) der Seite wurden nicht ausgeführt (eine Seite, die ihren Text per Skript lädt: nach dem Laden "
     "speichern oder als PDF drucken)"),
    ("not a text, HTML or PDF file (binary content)", "keine Text-, HTML- oder PDF-Datei (binärer Inhalt)"),
    ("not readable as text (neither UTF-8 nor Windows-1252)", "nicht als Text lesbar (weder UTF-8 noch Windows-1252)"),
    ("reading PDF needs the optional extra: pip install 'optionsmodell[pdf]' (or save the bylaw as text or HTML)",
     "PDF lesen braucht das Extra: pip install 'optionsmodell[pdf]' (oder die Satzung als Text oder HTML speichern)"),
    ("the PDF is encrypted; save it without a password", "die PDF ist verschlüsselt; ohne Passwort speichern"),
    ("not a readable PDF ({what})", "keine lesbare PDF ({what})"),
    ("the PDF has {n} pages; at most {max} are read", "die PDF hat {n} Seiten; höchstens {max} werden gelesen"),
    ("page {n}: no text layer (a scanned image?)", "Seite {n}: keine Textebene (ein gescanntes Bild?)"),
    ("the PDF has no text layer (a scan?): run OCR first (e.g. ocrmypdf) or save the bylaw as text",
     "die PDF hat keine Textebene (ein Scan?): zuerst Texterkennung (z. B. ocrmypdf) oder die Satzung als Text speichern"),
    ("{items} — use --partial to import the pages that could be read",
     "{items} — mit --partial die lesbaren Seiten importieren"),
    ("is a folder, not a file", "ist ein Ordner, keine Datei"),
    ("the file is empty", "die Datei ist leer"),
    ("the HTML page has no visible text", "die HTML-Seite hat keinen sichtbaren Text"),
    ("the HTML page has no visible text ({n} script(s) dropped, never run)",
     "die HTML-Seite hat keinen sichtbaren Text ({n} Skript(e) verworfen, nie ausgeführt)"),
    ("the file has no text", "die Datei hat keinen Text"),
    # elect --into (writeback)
    ("cannot find {path} in the file", "{path} steht nicht in der Datei"),
    ("file is larger than {n} bytes (1 MiB); refused", "Datei ist größer als {n} Bytes (1 MiB); abgelehnt"),
    ("not UTF-8 text (byte {n})", "kein UTF-8-Text (Byte {n})"),
    ("{path} is written once and shared through a YAML alias with {others}; writing into it would change {others2} too. "
     "Write {path2} out in full (no anchor/alias) to let `elect --into` edit it; nothing was written",
     "{path} ist einmal geschrieben und über einen YAML-Alias mit {others} geteilt; hineinschreiben würde auch {others2} "
     "ändern. {path2} ganz ausschreiben (ohne Anker/Alias), damit `elect --into` es bearbeiten kann; nichts geschrieben"),
    ("the configuration has no body {n} (it has {count})", "die Konfiguration hat kein Gremium {n} (sie hat {count})"),
    ("this body is written in flow style ({...}); write it in block style to let `elect --into` edit it",
     "dieses Gremium ist im Flow-Stil ({...}) geschrieben; im Block-Stil schreiben, damit `elect --into` es bearbeiten kann"),
    ("the election fills {n} seats, the body has seats.directly_elected = {m}",
     "die Wahl besetzt {n} Sitze, das Gremium hat seats.directly_elected = {m}"),
    ("{path} is empty; remove the key or write it out to let `elect --into` edit it",
     "{path} ist leer; den Schlüssel entfernen oder ausschreiben, damit `elect --into` ihn bearbeiten kann"),
    ("{path} spans several lines; write it on one line to let `elect --into` edit it",
     "{path} erstreckt sich über mehrere Zeilen; in eine Zeile schreiben, damit `elect --into` es bearbeiten kann"),
    ("{path} starts on the line of another value; put its first key on a line of its own to let `elect --into` edit it",
     "{path} beginnt in der Zeile eines anderen Werts; seinen ersten Schlüssel in eine eigene Zeile schreiben, damit "
     "`elect --into` es bearbeiten kann"),
    ("cannot edit this file safely (the edited text would not read: {msg}); nothing was written",
     "diese Datei ist nicht sicher bearbeitbar (der bearbeitete Text wäre nicht lesbar: {msg}); nichts geschrieben"),
    ("cannot edit this file safely (the edit would change more than the election's values; an unusual YAML style?); "
     "nothing was written",
     "diese Datei ist nicht sicher bearbeitbar (die Änderung beträfe mehr als die Werte der Wahl; ein ungewöhnlicher "
     "YAML-Stil?); nichts geschrieben"),
    ("cannot write: {msg}; nothing was written", "nicht schreibbar: {msg}; nichts geschrieben"),
    ("not a regular file; nothing was written", "keine gewöhnliche Datei; nichts geschrieben"),
    ("the file is read-only (mode {mode}); nothing was written", "die Datei ist schreibgeschützt (Modus {mode}); nichts geschrieben"),
    ("the file has {n} hard links; replacing it would split them; nothing was written",
     "die Datei hat {n} harte Links; sie zu ersetzen würde sie trennen; nichts geschrieben"),
    ("cannot keep the file's owner and group (not permitted); nothing was written",
     "Eigentümer und Gruppe der Datei sind nicht zu erhalten (nicht erlaubt); nichts geschrieben"),
    ("the file changed while the election was written into it; nothing was written",
     "die Datei wurde geändert, während die Wahl hineingeschrieben wurde; nichts geschrieben"),
    ("cannot write: {msg}; the file is unchanged", "nicht schreibbar: {msg}; die Datei ist unverändert"),
    # the web page's API and its editor (web/)
    ("`{key}` must be the text of a YAML document", "`{key}` muss der Text eines YAML-Dokuments sein"),
    ("`{key}` is larger than {n} bytes (1 MiB); the command line refuses it too",
     "`{key}` ist größer als {n} Bytes (1 MiB); die Kommandozeile lehnt das auch ab"),
    ("`lang` is de or en", "`lang` ist de oder en"),
    ("`{key}` must be text", "`{key}` muss Text sein"),
    ("`{key}` {value} is not an ISO date (YYYY-MM-DD)", "`{key}` {value} ist kein ISO-Datum (JJJJ-MM-TT)"),
    ("`{key}` must be a whole number", "`{key}` muss eine ganze Zahl sein"),
    ("`{key}` must be true or false", "`{key}` muss true oder false sein"),
    ("`engine` is one of {names}", "`engine` ist eines von {names}"),
    ("no rule packs found (set OPTIONSMODELL_RULES)", "keine Regelpakete gefunden (OPTIONSMODELL_RULES setzen)"),
    ("`regimes`: name two to {n} different known regimes (known: {known})",
     "`regimes`: zwei bis {n} verschiedene bekannte Rechtsstände nennen (bekannt: {known})"),
    ("`field` names the value to vary, e.g. municipality.foreign_residents",
     "`field` nennt den zu verändernden Wert, z. B. municipality.foreign_residents"),
    ("`from` and `to`: 0 ≤ from ≤ to, a range of at most {n}", "`from` und `to`: 0 ≤ from ≤ to, ein Bereich von höchstens {n}"),
    ("`points`: 2 to {n}", "`points`: 2 bis {n}"),
    ("at most {n} lists and candidates", "höchstens {n} Listen und Bewerber"),
    ("`lots` is a list of names", "`lots` ist eine Liste von Namen"),
    ("`into` is {yaml, body}", "`into` ist {yaml, body}"),
    ("a drawing of lots decides seats; record its outcome in `lots` first",
     "ein Losentscheid entscheidet Sitze; sein Ergebnis zuerst in `lots` eintragen"),
    ("`into.body` is the index of the body (0 = first)", "`into.body` ist die Nummer des Gremiums (0 = erstes)"),
    ("`set` is a list of 1 to {n} {path, value}", "`set` ist eine Liste von 1 bis {n} {path, value}"),
    ("each edit is {path, value}", "jede Änderung ist {path, value}"),
    ("{path}: append takes a mapping", "{path}: append nimmt eine Zuordnung"),
    ("{path}: a whole number, true/false or text", "{path}: eine ganze Zahl, true/false oder Text"),
    ("`of` is configuration or election", "`of` ist configuration oder election"),
    ("request larger than {n} bytes refused", "Anfrage größer als {n} Bytes abgelehnt"),
    ("the request body must be a JSON object", "der Inhalt der Anfrage muss ein JSON-Objekt sein"),
    ("the input nests too deeply (a recursive alias?); refused", "die Eingabe ist zu tief verschachtelt (ein rekursiver Alias?); abgelehnt"),
    ("no such bundled scenario", "kein solches mitgeliefertes Beispiel"),
    ("internal error: {what}", "interner Fehler: {what}"),
    ("not a field path: {value}", "kein Feldpfad: {value}"),
    ("cannot write a value of type {type}", "ein Wert vom Typ {type} ist nicht schreibbar"),
    ("{path} is a mapping or list here; edit it in the text", "{path} ist hier eine Zuordnung oder Liste; im Text bearbeiten"),
    ("cannot replace {path} here; edit it in the text", "{path} ist hier nicht ersetzbar; im Text bearbeiten"),
    ("cannot add {path}: its parent is not a mapping", "{path} ist nicht hinzufügbar: das übergeordnete Element ist keine Zuordnung"),
    ("cannot add {path} here; write it in the text", "{path} ist hier nicht hinzufügbar; im Text schreiben"),
    ("{path} cannot be changed alone (it is shared through a YAML alias &/*, or the text is laid out in a way the page "
     "cannot edit); edit it in the text",
     "{path} ist nicht allein änderbar (es ist über einen YAML-Alias &/* geteilt, oder der Text ist so angeordnet, dass "
     "die Seite ihn nicht bearbeiten kann); im Text bearbeiten"),
    ("the value could not be written safely; nothing changed", "der Wert war nicht sicher schreibbar; nichts geändert"),
    ("cannot remove this value; edit it in the text", "dieser Wert ist nicht entfernbar; im Text bearbeiten"),
    ("not a list; edit it in the text", "keine Liste; im Text bearbeiten"),
    ("cannot append here; edit it in the text", "hier ist nichts anfügbar; im Text bearbeiten"),
    # pack test cases' failures (`test`)
    ("{key}: no such rule in {pack}", "{key}: keine solche Regel in {pack}"),
    ("{key}: expected {expected}, got {actual}", "{key}: erwartet {expected}, erhalten {actual}"),
    ("{key}: unknown outcome {outcome} ({outcomes})", "{key}: unbekanntes Ergebnis {outcome} ({outcomes})"),
    # validators of the formats (shown after the value's path)
    ("applicants.foreign_nationals = {n} exceeds applicants.total = {m}",
     "applicants.foreign_nationals = {n} übersteigt applicants.total = {m}"),
    ("names must be unique: {names}", "Namen müssen eindeutig sein: {names}"),
    ("valid_to {to} is before valid_from {since}", "valid_to {to} liegt vor valid_from {since}"),
    # explore sweep: a value of the range the format refuses
    ("invalid (Value error, {msg})", "ungültig ({msg})"),
    ("invalid ({msg})", "ungültig ({msg})"),
    # the command-line parser's refusals (click, under typer)
    ("Missing argument '{name}'.", "Argument '{name}' fehlt."),
    ("Missing option '{name}'.", "Option '{name}' fehlt."),
    ("Missing option '{name}'. {msg}", "Option '{name}' fehlt. {msg}"),
    ("No such option: {name}", "keine solche Option: {name}"),
    ("No such option: {name} Did you mean {other}?", "keine solche Option: {name} Gemeint ist wohl {other}?"),
    ("No such option: {name} (Possible options: {others})", "keine solche Option: {name} (möglich: {others})"),
    ("No such command '{name}'.", "kein solcher Befehl '{name}'."),
    ("No such command '{name}'. Did you mean {other}?", "kein solcher Befehl '{name}'. Gemeint ist wohl {other}?"),
    ("Invalid value for {param}: {msg}", "ungültiger Wert für {param}: {msg}"),
    ("Value error, {msg}", "{msg}"),
    ("{value} is not one of {values}.", "{value} ist keiner der Werte {values}."),
    ("{value} is not a valid integer.", "{value} ist keine gültige ganze Zahl."),
    ("{value} is not in the range {range}.", "{value} liegt nicht im Bereich {range}."),
    ("{value} is not a valid boolean.", "{value} ist kein gültiger Wahrheitswert."),
    ("Option '{name}' requires an argument.", "Option '{name}' braucht einen Wert."),
    ("Option '{name}' does not take a value.", "Option '{name}' nimmt keinen Wert."),
    ("Got unexpected extra argument ({args})", "unerwartetes zusätzliches Argument ({args})"),
    ("Got unexpected extra arguments ({args})", "unerwartete zusätzliche Argumente ({args})"),
    ("Missing command.", "Befehl fehlt."),
    ("Input should be a valid integer, unable to parse string as an integer", "erwartet wird eine ganze Zahl"),
    ("Input should be a valid integer{detail}", "erwartet wird eine ganze Zahl"),
    ("Input should be a valid boolean{detail}", "erwartet wird ein Wahrheitswert (true oder false)"),
    ("Input should be greater than or equal to {n}", "erwartet wird ein Wert ≥ {n}"),
    ("Input should be a valid dictionary{detail}", "erwartet wird eine Zuordnung von Schlüsseln zu Werten"),
    ("Input should be a valid string{detail}", "erwartet wird Text"),
    ("Input should be a valid list{detail}", "erwartet wird eine Liste"),
    ("Input should be a valid date{detail}", "erwartet wird ein ISO-Datum wie 2020-09-13"),
    ("The file could not be read or does not fit the format", "Die Datei ist nicht lesbar oder passt nicht zum Format"),
    ("Input should be less than or equal to {n}", "erwartet wird ein Wert ≤ {n}"),
    # generic, last: a message behind an id or a key (a pack's problems), or with its column
    ("{msg} (column {n})", "{msg} (Spalte {n})"),
    ("{msg} (did you mean `{key}`?)", "{msg} (gemeint ist wohl `{key}`?)"),
]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _template_pattern(en: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(en)  # literal, name, literal, name, …
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts)), re.S)


def _fill(de: str, m: re.Match[str], lang: str) -> str:
    def value(name: str) -> str:
        v = m[name]
        if name.startswith("msg"):
            return message(v, lang)
        if name == "items":
            return "; ".join(error_line(i, lang) for i in re.split(r"; (?=\S+: )", v))
        return v

    return _PLACEHOLDER.sub(lambda p: value(p[1]), de)


_HEAD = re.compile(r"([^\s:]+): (.+)", re.S)


@functools.cache
def _compiled() -> tuple[list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]], list[tuple[re.Pattern[str], str]]]:
    # compiled at the first message, not at import: a run without errors never pays for the table
    return ([(re.compile(p, re.S), t) for p, t in _DE], [(_template_pattern(en), de) for en, de in _TEMPLATES])


def message(text: str, lang: str) -> str:
    """A message (without its file:line:column) in the run's language."""
    if lang == "en":
        return text
    translated = _translate(text, lang)
    return text if translated is None else translated


def known(text: str) -> bool:
    """Whether the table has the message (the test that no message stays English asks this)."""
    return _translate(text, "de") is not None


def _translate(text: str, lang: str) -> str | None:
    patterns, templates = _compiled()
    for pattern, template in patterns:
        m = pattern.fullmatch(text)
        if m:
            # a callable template for messages whose optional parts ("did you mean") need their own words
            return template(m) if callable(template) else m.expand(template)
    for compiled, de in templates:
        m = compiled.fullmatch(text)
        if m:
            return _fill(de, m, lang)
    # "nrw-2018: applies: unknown fact 'x'": an id or key in front of a message
    head = _HEAD.fullmatch(text)
    if head:
        rest = _translate(head[2], lang)
        if rest is not None:
            return f"{head[1]}: {rest}"
    return None


_PLACE = re.compile(r"^((?:[^:\n]*?):\d+:\d+: |(?:[^:\n]*?): )")


def error_line(rendered: str, lang: str) -> str:
    """``file:line:column: message`` with the message translated; the place stays as it is."""
    m = _PLACE.match(rendered)
    if m:
        rest = rendered[m.end():]
        translated = message(rest, lang)
        if translated != rest:
            return m.group(1) + translated
    return message(rendered, lang)


WORDS: dict[str, dict[str, str]] = {
    "error": {"de": "Fehler", "en": "error"},
    "warning": {"de": "Warnung", "en": "warning"},
    "note": {"de": "Hinweis", "en": "note"},
    "left_out": {"de": "Regelpaket {name} ausgelassen", "en": "rule pack {name} left out"},
}


def word(key: str, lang: str, **kw: object) -> str:
    return WORDS[key]["en" if lang == "en" else "de"].format(**kw)
