"""The importer over the corpus of real NRW bylaw passages: precision and recall per fact may not drop
below the figures docs/import.md publishes; the corpus itself is complete (source, date, facts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .bylaw_measure import CORPUS, HELDOUT, measure, passages

DOC = Path(__file__).resolve().parents[1] / "docs" / "import.md"


def published(marker: str) -> dict[str, tuple[float, float]]:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"<!-- enforced: {marker} ")
    rows: dict[str, tuple[float, float]] = {}
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if re.fullmatch(r"\d\.\d\d", cells[1]):
            rows[cells[0]] = (float(cells[1]), float(cells[2]))
    return rows


@pytest.mark.parametrize(("marker", "folder"), [("development", CORPUS), ("heldout", HELDOUT)])
def test_precision_and_recall_do_not_drop(marker: str, folder: Path) -> None:
    scores, misses = measure(folder)
    figures = published(marker)
    assert "all facts" in figures
    for name, (precision, recall) in figures.items():
        assert name in scores, name
        s = scores[name]
        assert round(s.precision, 2) >= precision, (name, s, misses)
        assert round(s.recall, 2) >= recall, (name, s, misses)


def test_corpus_is_complete() -> None:
    all_passages = [(CORPUS, p) for p in passages(CORPUS)] + [(HELDOUT, p) for p in passages(HELDOUT)]
    assert len(all_passages) >= 15
    for folder, p in all_passages:
        assert (folder / p["file"]).is_file(), p["file"]
        assert p["source"].startswith(("http://", "https://")), p["file"]
        assert p["date"] and p["retrieved"], p["file"]
        assert re.fullmatch(r"05\d{6}", p["ags"]), p["file"]
        assert "kind" in p["expected"] or p["file"].startswith("kleve"), p["file"]
    files = {f.name for f in CORPUS.glob("*.txt")} | {f.name for f in HELDOUT.glob("*.txt")}
    assert files == {p["file"] for _, p in all_passages}  # every passage is annotated, none unlisted
    assert all(row["file"] in DOC.read_text(encoding="utf-8") for _, row in all_passages)
