"""docs/configuration.md is the user's page on the format: its example is a valid configuration that
the 2018 law finds compliant, and every key of the format appears on the page."""

from __future__ import annotations

import re
from pathlib import Path

from optionsmodell.check import judge_loaded
from optionsmodell.configuration import _KEYS, load_configuration_text

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_the_example_loads_and_is_compliant_under_the_2018_law() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
    loaded = load_configuration_text(example, "docs/configuration.md")
    result = judge_loaded(loaded, file="docs/configuration.md", regime="nrw-2018", lang="en")
    assert result.verdict == "compliant", [(f.rule.id, f.outcome) for f in result.findings if f.outcome != "satisfied"]


def test_every_key_of_the_format_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [k for k in _KEYS if not re.search(rf"\b{re.escape(k)}\b", text)]
    assert not missing


def test_the_page_cites_no_internal_notes() -> None:
    text = DOC.read_text(encoding="utf-8") + (DOC.parent / "coverage.md").read_text(encoding="utf-8")
    assert "shared/" not in text and "../shared" not in text
