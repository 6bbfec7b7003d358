"""A bylaw's text as numbered sentences, each knowing where it stands: the file, the § and Absatz
(or the paragraph of a page), the sentence and the line, so that every extracted value can quote its
sentence and say where to find it.

Two kinds of passage are marked rather than read as the bylaw's own word: a quotation of § 27 GO NRW
itself (its thresholds are no seat counts of the body), and the alternatives of a draft resolution
("a) … oder b) …"), which do not say which one the council chose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import fold, word_value


@dataclass(frozen=True)
class Sentence:
    text: str  # as written, whitespace normalised
    folded: str  # fold(text), gender forms reduced: what patterns match
    file: str
    line: int  # 1-based line of the file where the sentence starts
    block: int  # index of its paragraph in the file (0-based)
    section: str | None  # "§ 22"
    absatz: str | None  # "1" for "(1)", "Nr. 2" for a numbered item
    number: int  # sentence number within its Absatz/paragraph (1-based)
    statute: bool = False  # a quotation of § 27 GO NRW, not the bylaw
    alternative: str | None = None  # "a", "b" in a resolution with alternatives

    def where(self) -> str:
        parts: list[str] = []
        if self.section:
            parts.append(self.section)
        if self.absatz:
            parts.append(self.absatz if self.absatz.startswith(("Nr.", "Buchst.")) else f"Abs. {self.absatz}")
        if not parts:
            parts.append(f"Absatz {self.block + 1}")
        parts.append(f"Satz {self.number}")
        return " ".join(parts) + f" (Zeile {self.line})"


# abbreviations after which a full stop does not end a sentence
_ABBREV = {
    "abs", "nr", "art", "s", "z", "b", "zb", "u", "a", "ua", "bzw", "ggf", "gem", "vgl", "d", "h", "dh", "i", "v", "m",
    "ivm", "dr", "prof", "str", "ca", "evtl", "inkl", "einschl", "sog", "lit", "buchst", "ziff", "gv", "sgv", "bgbl",
    "amtsbl", "nrw", "e", "usw", "etc", "o", "ä", "oä", "rd", "tel", "st", "abschn", "anl", "kap", "hs", "halbs",
    "bzgl", "max", "min", "mind", "jan", "feb", "febr", "aug", "sept", "okt", "nov", "dez", "ff", "f",
}
# words after which "13." is an ordinal ("der 13. Satzung", "am 5. Mai")
_ORDINAL_BEFORE = {"der", "die", "das", "den", "dem", "des", "am", "vom", "zum", "zur", "im", "bis", "ab", "seit",
                   "zu", "mit", "nach", "vor", "fuer", "durch", "und", "oder", "bzw", "sowie", "ihre", "seine", "ihrer",
                   "seiner", "jeder", "jede", "jedes"}
_MONTHS = ("januar", "februar", "maerz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember")
_GENDER = [
    (re.compile(r"(\w)[*:_/]in(nen)?\b"), r"\1"),  # Vertreter*innen, Bürger/innen
    (re.compile(r"(\w)/-?(innen|in)\b"), r"\1"),
    (re.compile(r"([a-zäöüß])In(nen)?\b"), r"\1"),  # VertreterInnen (before folding)
    (re.compile(r"\b(\w+?)innen und \1(n)?\b"), r"\1\2"),  # Vertreterinnen und Vertreter
    (re.compile(r"\b(\w+?)in oder \1\b"), r"\1"),
    (re.compile(r"\b(der|die)/(der|die)\b"), r"\1"),
]


def match_form(text: str) -> str:
    """The text patterns match against: gender forms reduced to one, folded (old and new spelling)."""
    # "12 (zwölf) Mitglieder": the number once
    t = re.sub(r"\b(\d+)\s*\(\s*([A-Za-zÄÖÜäöüß]+)\s*\)",
               lambda m: m.group(1) if word_value(m.group(2)) == int(m.group(1)) else m.group(0), text)
    for pattern, repl in _GENDER[:3]:
        t = pattern.sub(repl, t)
    t = fold(t)
    for pattern, repl in _GENDER[3:]:
        t = pattern.sub(repl, t)
    return re.sub(r"\s+", " ", t)


def _normalise(text: str) -> str:
    t = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "").replace("\u00a0", " ")
    t = t.replace("\u2009", " ").replace("\u202f", " ").replace("\t", " ")
    # a word broken at the end of a PDF line: "Mit-\nglieder"
    t = re.sub(r"([a-zäöüß])-\n[ ]*([a-zäöüß])", r"\1\2", t)
    return t


_HEADING_PARA = re.compile(r"^§+\s*(\d+[a-z]?)\b")
_ABSATZ = re.compile(r"^\((\d+[a-z]?)\)\s*")
_ITEM = re.compile(r"^(\d{1,2})\.\s+(?=\S)")
_ALT = re.compile(r"^([a-h])\)\s+")
_SUPERSCRIPT_SENTENCE = re.compile(r"^(\d{1,2})(?=[A-ZÄÖÜ„\"])")
_STATUTE_HEADING = re.compile(r"§\s*27\b[^.]{0,60}\b(gemeindeordnung|go\b|go nrw)", re.I)
_BYLAW_HEADING = re.compile(r"(hauptsatzung|satzung|geschaeftsordnung|wahlordnung|beschluss|richtlinie)", re.I)
_STATUTE_SENTENCE = re.compile(
    r"(\bnach absatz \d+ satz \d+|\bgemaess absatz \d+ satz \d+|^in einer gemeinde, in der mindestens|"
    r"\bin den faellen des absatz(es)? \d+)"
)


def _split_sentences(block: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of one paragraph."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in re.finditer(r"[.!?](?=[\s\"“”»]+[\"„“»(]?[A-ZÄÖÜ0-9])", block):
        end = m.end()
        before = block[start:m.start()]
        token = re.search(r"([\wäöüÄÖÜß]+)$", before)
        word = token.group(1) if token else ""
        follow = block[end:end + 20].strip()
        if word.lower() in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        prev = re.search(r"([\wäöüÄÖÜß]+)\s+\d+$", before)
        if word.isdigit() and (fold(follow.split(" ")[0].strip(",")) in _MONTHS or (
                len(word) <= 2 and (prev is None or fold(prev.group(1)) in _ORDINAL_BEFORE))):
            continue  # "14. September", "der 13. Satzung", "1. Änderung" — but "beträgt 12. Die …" ends
        out.append((start, block[start:end].strip()))
        start = end
        while start < len(block) and block[start].isspace():
            start += 1
    tail = block[start:].strip()
    if tail:
        out.append((start, tail))
    return out


@dataclass
class _Block:
    text: str
    line: int
    line_offsets: list[tuple[int, int]]  # (char offset in text, line number)
    after_blank: bool = True


def _blocks(text: str) -> list[_Block]:
    """Paragraphs: separated by blank lines, by a new Absatz "(2)", a § heading, a list item or a
    heading line; a long line without a full stop continues on the next (a wrapped PDF line)."""
    blocks: list[_Block] = []
    cur: list[str] = []
    cur_line = 0
    offsets: list[tuple[int, int]] = []

    blank = True

    def flush() -> None:
        nonlocal cur, offsets, blank
        if cur:
            blocks.append(_Block("\n".join(cur), cur_line, offsets, blank))
            blank = False
        cur, offsets = [], []

    for i, raw in enumerate(text.split("\n"), start=1):
        line = re.sub(r"[ ]+", " ", raw).strip()
        if not line:
            flush()
            blank = True
            continue
        starts_new = bool(
            _HEADING_PARA.match(line) or _ABSATZ.match(line) or _ITEM.match(line) or _ALT.match(line)
            or re.match(r"^[•\-–*·]\s", line)
        )
        if cur:
            prev = cur[-1]
            ends_sentence = bool(re.search(r"[.!?:;]$", prev))
            wrapped = not ends_sentence and len(prev) >= 60 and not prev.endswith("|")
            continuation = (not ends_sentence and line[:1].islower()) or wrapped or prev.endswith((",", "-"))
            if starts_new or not continuation:
                flush()
        if not cur:
            cur_line = i
        offsets.append((sum(len(c) + 1 for c in cur), i))
        cur.append(line)
    flush()
    return blocks


def split(text: str, file: str) -> list[Sentence]:
    """The sentences of one file, with their places."""
    text = _normalise(text)
    has_alternatives = bool(re.search(r"^\s*oder\s*$", text, re.M | re.I))
    sentences: list[Sentence] = []
    section: str | None = None
    absatz: str | None = None
    statute = False
    alternative: str | None = None
    counters: dict[tuple[str | None, str | None, int], int] = {}
    for bi, block in enumerate(_blocks(text)):
        body = block.text
        first_line = body.split("\n", 1)[0]
        heading_like = len(first_line) < 90 and not re.search(r"[.!?]$", first_line)
        if _STATUTE_HEADING.search(first_line) and heading_like and not _BYLAW_HEADING.search(fold(first_line)):
            statute = True
        elif heading_like and (_BYLAW_HEADING.search(fold(first_line)) or (
                _HEADING_PARA.match(first_line) and not re.match(r"^§+\s*27\b", first_line))):
            statute = False
        m = _HEADING_PARA.match(body)
        if m:
            section = f"§ {m.group(1)}"
            absatz = None
            rest = body[m.end():]
            # "§ 22 Integrationsrat (§§ 27 i.V.m. 126 GO)": a heading, no sentence of its own
            if "\n" not in body and not re.search(r"[.!?]$", body):
                continue
            body = rest.lstrip(" .")
            body = re.sub(r"^[^\n]*\n", "", body) if heading_like and "\n" in body else body
        m = _ABSATZ.match(body)
        if m:
            absatz = m.group(1)
            body = body[m.end():]
        elif _ITEM.match(body) and not section:
            absatz = f"Nr. {_ITEM.match(body).group(1)}"  # type: ignore[union-attr]
            body = body[_ITEM.match(body).end():]  # type: ignore[union-attr]
        elif not section and block.after_blank:
            absatz = None
        m = _ALT.match(body)
        if has_alternatives and m:
            alternative = m.group(1)
            body = body[m.end():]
        elif has_alternatives and re.fullmatch(r"\s*oder\s*", body, re.I):
            continue
        key = (section, absatz, bi if absatz is None else -1)
        for offset, sent in _split_sentences(body):
            flat = re.sub(r"\s+", " ", sent).strip()
            if not flat:
                continue
            number = counters.get(key, 0) + 1
            sm = _SUPERSCRIPT_SENTENCE.match(flat)
            if sm and section:
                number = int(sm.group(1))
                flat = flat[sm.end():]
            counters[key] = number
            line = block.line
            delta = len(block.text) - len(body)
            for off, ln in block.line_offsets:
                if off <= offset + delta:
                    line = ln
            folded = match_form(flat)
            sentences.append(Sentence(
                text=flat, folded=folded, file=file, line=line, block=bi, section=section, absatz=absatz,
                number=number, statute=statute or bool(_STATUTE_SENTENCE.search(folded)),
                alternative=alternative if has_alternatives else None,
            ))
    return sentences
