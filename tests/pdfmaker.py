"""A minimal PDF writer for tests: pages with a text layer (Helvetica, WinAnsi) or without one
(a page that only paints a rectangle, as a scan without OCR would only carry an image)."""

from __future__ import annotations


def _escape(line: str) -> str:
    out = []
    for ch in line:
        if ch in "()\\":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(f"\\{ch.encode('cp1252')[0]:03o}")
    return "".join(out)


def make_pdf(pages: list[str | None]) -> bytes:
    """One page per item: its lines as text, or None for a page without any text."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    next_id = 4
    page_objs: list[tuple[int, bytes]] = []
    for content in pages:
        if content is None:
            stream = b"0.5 g 50 50 500 700 re f"
        else:
            parts = ["BT /F1 11 Tf 14 TL 50 780 Td"]
            for line in content.split("\n"):
                parts.append(f"({_escape(line)}) Tj T*")
            parts.append("ET")
            stream = "\n".join(parts).encode("latin-1")
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        kids.append(page_id)
        page_objs.append((page_id, (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {content_id} 0 R >>").encode()))
        page_objs.append((content_id, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for _, body in page_objs:
        objects.append(body)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
