"""Precision and recall of `optionsmodell import` per fact over the corpus of real bylaw passages
(tests/data/bylaws/index.yaml). Run `python -m tests.bylaw_measure` for the table in docs/import.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from optionsmodell.bylaws.importer import import_bylaws

CORPUS = Path(__file__).parent / "data" / "bylaws"


def fact_class(key: str) -> str:
    """Facts are measured in classes a reader cares about: every seat group is a seat count."""
    if key.startswith("seats."):
        return "seats (per group)"
    if key.startswith("voting."):
        return "voting (per group)"
    if key.startswith(("rights.", "funds.", "appointment.", "rules_of_procedure", "elected_members.")):
        return "§ 27 Abs. 2, 7–10 keys"
    if key.startswith("election.") and key != "election.with_local_election":
        return "Wahlordnung keys"
    return key


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


HELDOUT = CORPUS / "heldout"


def passages(folder: Path = CORPUS) -> list[dict[str, Any]]:
    data = yaml.safe_load((folder / "index.yaml").read_text(encoding="utf-8"))
    return list(data["passages"])


def measure(folder: Path = CORPUS) -> tuple[dict[str, Score], list[str]]:
    scores: dict[str, Score] = defaultdict(Score)
    errors: list[str] = []
    for p in passages(folder):
        draft = import_bylaws([folder / p["file"]], name=p["municipality"], ags=p.get("ags"))
        got = draft.stated()
        want = p.get("expected") or {}
        for key in sorted(set(got) | set(want)):
            s = scores[fact_class(key)]
            if key in got and key in want and got[key] == want[key]:
                s.tp += 1
                continue
            if key in got:
                s.fp += 1
            if key in want:
                s.fn += 1
            errors.append(f"{p['file']}: {key}: got {got.get(key, '—')!r}, expected {want.get(key, '—')!r}")
    total = Score(sum(s.tp for s in scores.values()), sum(s.fp for s in scores.values()),
                  sum(s.fn for s in scores.values()))
    scores["all facts"] = total
    return dict(scores), errors


def table(scores: dict[str, Score]) -> str:
    rows = ["| fact | precision | recall | right | invented or wrong | missed |", "|---|---|---|---|---|---|"]
    for name in sorted(scores, key=lambda n: (n == "all facts", n)):
        s = scores[name]
        rows.append(f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.tp} | {s.fp} | {s.fn} |")
    return "\n".join(rows)


if __name__ == "__main__":
    for title, folder in (("development set", CORPUS), ("held-out set", HELDOUT)):
        sc, errs = measure(folder)
        print(f"## {title}\n")
        print(table(sc))
        for e in errs:
            print("  ", e)
        print()
