"""Reading a bylaw file as text: plain text, HTML (an RIS or Ortsrecht page saved from the browser)
and PDF (its text layer, with the optional `pdf` extra).

Every refusal is a user's error with the file named and exit code 2: an empty file, a file too large
to be a bylaw, a scanned PDF without a text layer, a PDF without the extra installed, bytes that are
no text. Scripts, styles and other non-content elements of HTML are dropped, never executed or kept.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..safe_yaml import InputError

# The longest Hauptsatzung with all its annexes runs to a few hundred kilobytes of text; a PDF with
# images may be larger. Anything above this is refused before it is read.
MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 500


@dataclass
class ReadFile:
    """A file's text, or the part of it that could be read, and what could not."""

    name: str
    text: str
    kind: str  # text | html | pdf
    unread: list[str] = field(default_factory=list)
    scripts: int = 0  # scripts dropped from an HTML page (never run)


_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "dd", "dt", "dl", "blockquote", "pre", "hr", "td", "th", "main", "nav",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "head", "title", "button", "select", "textarea"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source", "track", "param"}


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one line per block element; script and style content is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            if tag == "script":
                self.scripts += 1
            if tag not in _VOID:
                self.skip_depth += 1
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip_depth == 0:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, int]:
    """The visible text of an HTML document and the number of scripts that were dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip(), parser.scripts


def _looks_html(head: str) -> bool:
    h = head.lstrip().lower()
    return h.startswith(("<!doctype html", "<html", "<?xml")) or bool(re.search(r"<(body|div|p|h[1-6]|table)\b", h[:4000]))


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise InputError(None, "not a text, HTML or PDF file (binary content)", file=name)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(None, "not readable as text (neither UTF-8 nor Windows-1252)", file=name)


def _pdf_text(raw: bytes, name: str, partial: bool) -> ReadFile:
    try:
        import pypdf
    except ImportError:
        raise InputError(
            None,
            "reading PDF needs the optional extra: pip install 'optionsmodell[pdf]' "
            "(or save the bylaw as text or HTML)",
            file=name,
        ) from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are ours to word
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise InputError(None, "the PDF is encrypted; save it without a password", file=name) from None
        pages = list(reader.pages)
    except InputError:
        raise
    except Exception as e:  # pypdf raises many types on a broken file
        raise InputError(None, f"not a readable PDF ({type(e).__name__})", file=name) from None
    if len(pages) > MAX_PDF_PAGES:
        raise InputError(None, f"the PDF has {len(pages)} pages; at most {MAX_PDF_PAGES} are read", file=name)
    texts: list[str] = []
    unread: list[str] = []
    for i, page in enumerate(pages, start=1):
        try:
            t = page.extract_text() or ""
        except Exception as e:
            t = ""
            unread.append(f"page {i}: its text could not be extracted ({type(e).__name__})")
            texts.append("")
            continue
        if not t.strip():
            unread.append(f"page {i}: no text layer (a scanned image?)")
        texts.append(t)
    if not any(t.strip() for t in texts):
        raise InputError(
            None,
            "the PDF has no text layer (a scan?): run OCR first (e.g. ocrmypdf) or save the bylaw as text",
            file=name,
        )
    if unread and not partial:
        raise InputError(None, "; ".join(unread) + " — use --partial to import the pages that could be read", file=name)
    return ReadFile(name, "\n\n".join(texts), "pdf", unread)


def read_bylaw(path: Path, *, partial: bool = False) -> ReadFile:
    """The text of one bylaw file; an InputError says why a file cannot be read."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None
    if path.is_dir():
        raise InputError(None, "is a folder, not a file", file=name)
    if size == 0:
        raise InputError(None, "the file is empty", file=name)
    with path.open("rb") as fh:
        head = fh.read(8)
    limit = MAX_PDF_BYTES if head.startswith(b"%PDF") else MAX_TEXT_BYTES
    if size > limit:
        raise InputError(
            None, f"the file is {size:,} bytes; a bylaw file of at most {limit:,} bytes is read".replace(",", "."),
            file=name,
        )
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(None, f"cannot read file: {e.strerror}", file=name) from None
    if raw.startswith(b"%PDF"):
        return _pdf_text(raw, name, partial)
    text = _decode(raw, name)
    if _looks_html(text[:4096]) or path.suffix.lower() in (".html", ".htm", ".xhtml"):
        visible, scripts = html_to_text(text)
        if not visible.strip():
            more = f" ({scripts} script(s) dropped, never run)" if scripts else ""
            raise InputError(None, f"the HTML page has no visible text{more}", file=name)
        return ReadFile(name, visible, "html", scripts=scripts)
    if not text.strip():
        raise InputError(None, "the file has no text", file=name)
    return ReadFile(name, text, "text")
