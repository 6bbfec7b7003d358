"""German numbers as bylaws write them: digits, number words up to the thousands (old and new
spellings), and fractions of a total ("zu zwei Dritteln", "die Hälfte").

Only exact quantities are returned as such; "mindestens", "höchstens", "bis zu" mark a bound, which
is no seat count (a configuration needs the number itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_UNITS = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eines": 1,
    "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
}
_TEENS = {
    "zehn": 10, "elf": 11, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14, "fuenfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}
_TENS = {
    "zwanzig": 20, "dreissig": 30, "vierzig": 40, "fuenfzig": 50, "sechzig": 60, "siebzig": 70,
    "achtzig": 80, "neunzig": 90,
}
# the unit of a compound ("ein-und-zwanzig") is written without inflection
_COMPOUND_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_DENOMINATORS = {"halb": 2, "dritt": 3, "viert": 4, "fuenft": 5, "sechst": 6, "siebt": 7, "acht": 8, "neunt": 9, "zehnt": 10}


def fold(text: str) -> str:
    """Lower case without umlauts and ß, so that old and new spellings (and ASCII transliterations:
    "fuenf", "dreissig") match one pattern."""
    t = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        t = t.replace(a, b)
    return t


def _below_hundred(w: str) -> int | None:
    if w in _UNITS:
        return _UNITS[w]
    if w in _TEENS:
        return _TEENS[w]
    if w in _TENS:
        return _TENS[w]
    m = re.fullmatch(r"(ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)und(" + "|".join(_TENS) + ")", w)
    if m:
        return _COMPOUND_UNITS[m.group(1)] + _TENS[m.group(2)]
    return None


def word_value(word: str) -> int | None:
    """The value of a German number word (folded or not), up to 9,999; None if it is none.

    >>> word_value("einundzwanzig"), word_value("Zwölf"), word_value("hundertdrei"), word_value("dreißig")
    (21, 12, 103, 30)
    """
    w = fold(word).replace("-", "")
    w = re.sub(r"(e|en|n|s)$", lambda m: m.group(0), w)
    if not w:
        return None
    direct = _below_hundred(w)
    if direct is not None:
        return direct
    # inflected forms: "zweien", "dreien", "sechsen", "zwölfen" (dative, rare in bylaws)
    if w.endswith("en") and _below_hundred(w[:-2]) is not None and w[:-2] not in ("ein",):
        return _below_hundred(w[:-2])
    total = 0
    rest = w
    m = re.match(r"(ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)?tausend(und)?", rest)
    if m:
        total += (_COMPOUND_UNITS[m.group(1)] if m.group(1) else 1) * 1000
        rest = rest[m.end():]
    m = re.match(r"(ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)?hundert(und)?", rest)
    if m:
        total += (_COMPOUND_UNITS[m.group(1)] if m.group(1) else 1) * 100
        rest = rest[m.end():]
    if total == 0:
        return None
    if not rest:
        return total
    tail = _below_hundred(rest)
    return None if tail is None else total + tail


def parse_int(token: str) -> int | None:
    """Digits (with a thousands dot: 5.000) or a number word."""
    t = token.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
        return int(t.replace(".", ""))
    if t.isdigit():
        return int(t)
    return word_value(t)


_WORD_ALT = (
    r"(?:(?:ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)?tausend(?:und)?)?"
    r"(?:(?:ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)?hundert(?:und)?)?"
    r"(?:(?:ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)und(?:zwanzig|dreissig|vierzig|fuenfzig|sechzig|siebzig|achtzig|neunzig)"
    r"|zwanzig|dreissig|vierzig|fuenfzig|sechzig|siebzig|achtzig|neunzig"
    r"|zehn|elf|zwoelf|dreizehn|vierzehn|fuenfzehn|sechzehn|siebzehn|achtzehn|neunzehn"
    r"|zwei|zwo|drei|vier|fuenf|sechs|sieben|acht|neun|eins|einer|einem|einen|eine|ein)?"
)
# a number in folded text: digits not part of a date, a paragraph or a decimal, or a number word
NUMBER = re.compile(
    r"(?<![\d.,/§])(?P<digits>\d{1,3}(?:\.\d{3})+|\d+)(?![\d,]|\.\d)"
    r"|\b(?P<word>(?=[a-z])" + _WORD_ALT + r")\b"
)
FRACTION = re.compile(
    r"\b(?:(?:zu|mit)\s+)?(?P<num>einem|einer|ein|eine|zwei|drei|vier|fuenf|die|der|zur|zum)?\s*"
    r"(?P<den>haelfte|halb|dritt|viert|fuenft|sechst|siebt|acht|neunt|zehnt)(?:el|eln|e|en)?\b"
)


@dataclass(frozen=True)
class Quantity:
    """A number or a fraction found in a sentence (positions in the folded text)."""

    start: int
    end: int
    value: int | None = None  # an exact count
    fraction: Fraction | None = None  # a share of a total
    bound: str | None = None  # "min" | "max" where the text gives a bound only
    text: str = ""


_BOUND_BEFORE = re.compile(
    r"(mindestens|wenigstens|nicht weniger als|mehr als|hoechstens|maximal|bis zu|nicht mehr als|weniger als|bis auf|ueber|unter|ca\.|circa|etwa|rund|zurzeit|derzeit|aktuell|momentan)\s*(aus\s+)?(insgesamt\s+)?$"
)


_REFERENCE_BEFORE = re.compile(
    r"(§+|\babs\.|\babsatz|\bsatz|\bnr\.|\bnummer|\bart\.|\bartikel|\bs\.|\bziffer|\bbuchstabe|\blit\.|\bdrucksache|\bvorlage)\s*$"
)


_DATE_AFTER = re.compile(r"\.?\s*(januar|februar|maerz|april|mai|juni|juli|august|september|oktober|november|dezember)\b")


def _bound(before: str) -> str | None:
    m = _BOUND_BEFORE.search(before[-40:])
    if not m:
        return None
    word = m.group(1)
    if word in ("mindestens", "wenigstens", "nicht weniger als", "ueber", "mehr als"):
        return "min"
    if word in ("zurzeit", "derzeit", "aktuell", "momentan"):
        return "current"
    if word in ("ca.", "circa", "etwa", "rund"):
        return "approx"
    return "max"


def quantities(folded: str) -> list[Quantity]:
    """Every number and fraction of a folded sentence, in order."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in FRACTION.finditer(folded):
        den_word = m.group("den")
        den = 2 if den_word in ("haelfte", "halb") else _DENOMINATORS[den_word]
        if den_word == "acht" and not folded[m.end("den"):m.end("den") + 2].startswith("el"):
            continue  # "acht" is a number, "Achtel" a fraction
        if den_word in ("dritt", "viert", "fuenft", "sechst", "siebt", "neunt", "zehnt") and not re.match(r"el", folded[m.end("den"):]):
            continue  # "dritte Lesung", "vierten" are ordinals
        num_word = m.group("num") or ""
        num = 1 if num_word in ("", "einem", "einer", "ein", "eine", "die", "der", "zur", "zum") else (word_value(num_word) or 1)
        if den_word in ("halb",):
            continue
        found.append(Quantity(m.start(), m.end(), fraction=Fraction(num, den), text=m.group(0),
                              bound=_bound(folded[:m.start()])))
        taken.append((m.start(), m.end()))
    for m in re.finditer(r"(?<![\d./])(?P<n>[1-9])\s*/\s*(?P<d>[2-9])(?![\d./])", folded):
        # "2/3 von gewählten Migrantenvertretern"
        found.append(Quantity(m.start(), m.end(), fraction=Fraction(int(m.group("n")), int(m.group("d"))),
                              text=m.group(0), bound=_bound(folded[:m.start()])))
        taken.append((m.start(), m.end()))
    for m in NUMBER.finditer(folded):
        if not m.group(0):
            continue
        if any(s <= m.start() < e for s, e in taken):
            continue
        token = m.group("digits") or m.group("word")
        # the article "ein" is a number only before a member noun ("ein Mitglied")
        if m.group("word") in ("ein", "eine", "einen", "einem", "einer") and not re.match(
                r"\s+(weiteres\s+|stimmberechtigtes\s+|beratendes\s+)?(mitglied\b|ratsmitglied\b|vertreter)", folded[m.end():]):
            continue
        value = parse_int(token)
        if value is None:
            continue
        if m.group("digits") and _DATE_AFTER.match(folded[m.end():]):
            continue  # "14. September"
        if _REFERENCE_BEFORE.search(folded[max(0, m.start() - 20):m.start()]):
            continue  # "§ 27", "Abs. 2", "Satz 1": a citation, not a quantity
        found.append(Quantity(m.start(), m.end(), value=value, text=m.group(0), bound=_bound(folded[:m.start()])))
    found.sort(key=lambda q: q.start)
    return found
