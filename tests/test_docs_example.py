"""The worked example of docs/rules.md works as written: a proposal pack that amends nrw-2018."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from optionsmodell.check import check_file
from optionsmodell.packs import load_all
from optionsmodell.resources import bundled_rules

from .conftest import ROOT, SCENARIOS


def test_docs_worked_example(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "rules.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    pack = next(b for b in blocks if b.startswith("id: proposal-4000"))
    rules = next(b for b in blocks if "[Entwurf] In einer Gemeinde" in b)
    shutil.copytree(bundled_rules() / "nrw-2018", tmp_path / "nrw-2018")
    (tmp_path / "proposal-4000").mkdir()
    (tmp_path / "proposal-4000" / "pack.yaml").write_text(pack)
    (tmp_path / "proposal-4000" / "rules.yaml").write_text(rules)
    packs = load_all(tmp_path)
    proposal = next(p for p in packs if p.id == "proposal-4000")
    assert not proposal.problems, [str(e) for e in proposal.problems]
    kaarst = SCENARIOS / "kaarst-no-body.yaml"
    assert check_file(kaarst, regime="nrw-2018", packs=packs).verdict == "compliant"
    # the invented bill text is marked R: a likely violation, undetermined unless strict (docs/rules.md)
    assert check_file(kaarst, regime="proposal-4000", packs=packs).verdict == "undetermined"
    assert check_file(kaarst, regime="proposal-4000", packs=packs, strict=True).verdict == "violations"
