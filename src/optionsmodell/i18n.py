"""One language per run: every word a user reads (findings, errors, labels, enumerated values,
summaries) in the language of ``--lang``, or else of the environment.

The default follows POSIX: ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``; German when it starts with
``de``, English for any other language. Unset, ``C`` and ``POSIX`` mean German: the tool is written for
German municipalities. Help texts (``--help``) stay English (README, "Language").

Messages are written in English where they arise (in the modules that find the problem) and
translated here, at the edge, by pattern: one table a translator can read top to bottom.
"""

from __future__ import annotations

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
    (r"cannot read file: (.*)", r"Datei nicht lesbar: \1"),
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
    (r"skipped: (.*) is in Land (\w+), the regimes are the law of (\w+)",
     r"übersprungen: \1 liegt im Land \2, die Rechtsstände sind Recht von \3"),
]
_COMPILED = [(re.compile(p, re.S), t) for p, t in _DE]


def message(text: str, lang: str) -> str:
    """A message (without its file:line:column) in the run's language."""
    if lang == "en":
        return text
    for pattern, template in _COMPILED:
        m = pattern.fullmatch(text)
        if m:
            # a callable template for messages whose optional parts ("did you mean") need their own words
            return template(m) if callable(template) else m.expand(template)
    return text


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
    "left_out": {"de": "Regelpaket {name} ausgelassen", "en": "rule pack {name} left out"},
}


def word(key: str, lang: str, **kw: object) -> str:
    return WORDS[key]["en" if lang == "en" else "de"].format(**kw)
