"""`optionsmodell import` as a user meets it: real bylaw text in, a valid configuration out with each
value's sentence above it; `check` of the result shows those sentences; bad input is refused with
exit code 2 and nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optionsmodell.cli import app
from optionsmodell.configuration import load_configuration

from .pdfmaker import make_pdf

BYLAWS = Path(__file__).parent / "data" / "bylaws"
KOELN = BYLAWS / "koeln-hauptsatzung-22.txt"
runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # English unless a test says otherwise


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def run_apart(*args: str) -> tuple[int, str, str]:
    """`check` in its own process, as a user runs it after importing (and so that the engine's
    process-wide state is not shared with other tests)."""
    p = subprocess.run([sys.executable, "-m", "optionsmodell", *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_import_then_check_shows_the_bylaw_sentence(tmp_path: Path) -> None:
    out = tmp_path / "koeln.yaml"
    code, _, err = run("import", str(KOELN), "--name", "Köln", "--ags", "05315000", "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    loaded = load_configuration(out)  # a valid optionsmodell/v1 configuration
    body = loaded.config.bodies[0]
    assert body.kind == "integrationsrat"
    assert body.seats is not None and (body.seats.directly_elected, body.seats.council_members) == (22, 11)
    assert body.chair is None and body.powers is None  # not stated: left out, never guessed
    # the value's comment quotes the sentence, the file and its place, and how the count was derived
    assert ("# Quelle: „Die Mitglieder werden vom Rat zu einem Drittel nach dem für die Ausschüsse geltenden "
            "Verfahren aus seiner Mitte bestellt") in text
    assert "— koeln-hauptsatzung-22.txt, § 22 Abs. 1 Satz 2 (Zeile 7) [2/3 × 33]\n      directly_elected: 22" in text
    code, report, _ = run_apart("check", str(out), "--as-of", "2020-11-01", "--all", "--lang", "en")
    assert code == 3  # foreign residents and chair are not in the bylaw: undetermined
    block = report.split("NRW18-IR-06")[1].split("\n\n")[0]
    assert "filled.directly_elected = 22" in block or "seats.directly_elected = 22" in block
    assert "↳ from the bylaw: „Die Mitglieder werden vom Rat zu einem Drittel" in block
    code, js, _ = run_apart("check", str(out), "--as-of", "2020-11-01", "--all", "--format", "json")
    finding = next(f for f in json.loads(js)["findings"] if f["rule"] == "NRW18-IR-06")
    sources = [s for k, v in finding["fact_sources"].items() if k.endswith("directly_elected") for s in v]
    assert sources and "koeln-hauptsatzung-22.txt, § 22 Abs. 1 Satz 2" in sources[0]
    # a default of the regime is not attributed to the bylaw
    assert all(not k.startswith("voting.") for f in json.loads(js)["findings"] for k in f["fact_sources"])


def test_json_carries_provenance_as_data(tmp_path: Path) -> None:
    code, out, _ = run("import", str(KOELN), "--name", "Köln", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["configuration"]["bodies"][0]["seats"] == {"directly_elected": 22, "council_members": 11}
    entry = next(p for p in doc["provenance"] if p["path"] == "bodies[0].seats.council_members")
    assert entry["value"] == 11 and entry["derived"] == "1/3 × 33"
    src = entry["sources"][0]
    assert src["file"] == "koeln-hauptsatzung-22.txt" and src["section"] == "§ 22" and src["absatz"] == "1"
    assert src["sentence"] == 2 and src["line"] == 7 and src["quote"].startswith("Die Mitglieder werden vom Rat")
    assert "chair" in doc["not_stated"] and "powers" in doc["not_stated"]


def test_several_files_combine(tmp_path: Path) -> None:
    page = tmp_path / "wahlordnung.html"
    page.write_text(
        "<html><head><title>Wahlordnung</title><script>var t='Der Integrationsrat besteht aus 99 Mitgliedern.';</script>"
        "<style>p{color:red}</style></head><body><h1>Wahlordnung für die Wahl des Integrationsrates</h1>"
        "<p>§ 1 Wahltag</p><p>Die Wahl des Integrationsrates findet am Tag der Kommunalwahl statt.</p>"
        "</body></html>", encoding="utf-8")
    out = tmp_path / "k.yaml"
    code, _, err = run("import", str(KOELN), str(page), "--name", "Köln", "-o", str(out))
    assert code == 0, err
    config = load_configuration(out).config
    assert config.bodies[0].election is not None and config.bodies[0].election.with_local_election is True
    assert config.bodies[0].seats is not None and config.bodies[0].seats.directly_elected == 22  # never 99
    text = out.read_text(encoding="utf-8")
    assert "— wahlordnung.html, § 1 Satz 1" in text and "99" not in text


def test_disagreeing_passages_are_both_quoted_and_left_out(tmp_path: Path) -> None:
    a = tmp_path / "hauptsatzung.txt"
    b = tmp_path / "seite.txt"
    a.write_text("Der Integrationsrat besteht aus 14 gewählten Mitgliedern und aus sieben vom Rat bestellten Ratsmitgliedern.\n",
                 encoding="utf-8")
    b.write_text("Der Integrationsrat besteht aus zwölf gewählten Mitgliedern und sechs Ratsmitgliedern.\n", encoding="utf-8")
    out = tmp_path / "x.yaml"
    code, _, err = run("import", str(a), str(b), "--name", "X", "-o", str(out))
    assert code == 0
    assert "seats.directly_elected left out: passages disagree" in err
    text = out.read_text(encoding="utf-8")
    assert "WIDERSPRUCH / CONFLICT — seats.directly_elected" in text
    assert "hauptsatzung.txt, Absatz 1 Satz 1" in text and "seite.txt, Absatz 1 Satz 1" in text
    assert load_configuration(out).config.bodies[0].seats is None


def test_alternatives_do_not_decide_the_kind(tmp_path: Path) -> None:
    kleve = BYLAWS / "kleve-vorlage-1237-x.txt"
    out = tmp_path / "kleve.yaml"
    code, _, err = run("import", str(kleve), "--name", "Kleve", "-o", str(out))
    assert code == 2 and "does not decide the kind" in err and not out.exists()
    code, _, _ = run("import", str(kleve), "--name", "Kleve", "--kind", "integrationsausschuss", "-o", str(out))
    assert code == 0
    config = load_configuration(out).config
    assert config.bodies[0].kind == "integrationsausschuss" and config.bodies[0].seats is None
    out.unlink()
    code, _, err = run("import", str(kleve), "--name", "Kleve", "--partial", "-o", str(out))
    assert code == 0 and "no kind written" in err
    assert "kind:" not in out.read_text(encoding="utf-8").split("bodies:")[1]


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    pdf = tmp_path / "hauptsatzung.pdf"
    pdf.write_bytes(make_pdf([
        "§ 22 Integrationsrat\n(1) Der Integrationsrat der Stadt Köln besteht aus 33 Mitgliedern. Die Mitglieder werden\n"
        "vom Rat zu einem Drittel aus seiner Mitte bestellt, zu zwei Dritteln gewählt."]))
    out = tmp_path / "p.yaml"
    code, _, err = run("import", str(pdf), "--name", "Köln", "-o", str(out))
    assert code == 0, err
    seats = load_configuration(out).config.bodies[0].seats
    assert seats is not None and (seats.directly_elected, seats.council_members) == (22, 11)
    assert "hauptsatzung.pdf, § 22 Abs. 1 Satz 2" in out.read_text(encoding="utf-8")


def test_scanned_pdf_is_refused(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(make_pdf([None, None]))
    out = tmp_path / "s.yaml"
    code, _, err = run("import", str(pdf), "--name", "X", "-o", str(out))
    assert code == 2 and "no text layer" in err and "OCR" in err and not out.exists()


def test_partial_pdf_only_with_partial(tmp_path: Path) -> None:
    pdf = tmp_path / "teils.pdf"
    pdf.write_bytes(make_pdf(["Der Integrationsrat besteht aus 14 gewählten Mitgliedern und aus sieben Ratsmitgliedern.", None]))
    out = tmp_path / "t.yaml"
    code, _, err = run("import", str(pdf), "--name", "X", "-o", str(out))
    assert code == 2 and "page 2: no text layer" in err and "--partial" in err and not out.exists()
    code, _, err = run("import", str(pdf), "--name", "X", "--partial", "-o", str(out))
    assert code == 0 and "not read: teils.pdf: page 2: no text layer" in err.replace(str(tmp_path) + "/", "")
    text = out.read_text(encoding="utf-8")
    assert "# NICHT GELESEN / NOT READ:" in text and "page 2: no text layer" in text
    assert load_configuration(out).config.bodies[0].seats is not None


def test_pdf_needs_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(make_pdf(["Der Integrationsrat besteht aus 14 gewählten Mitgliedern."]))
    monkeypatch.setitem(sys.modules, "pypdf", None)  # as if the extra were not installed
    code, _, err = run("import", str(pdf), "--name", "X")
    assert code == 2 and "optionsmodell[pdf]" in err


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", b"", "the file is empty"),
    ("nichts.txt", b"Die Stadt saniert im Sommer das Hallenbad und die Turnhalle.\n", "does not look like a bylaw"),
    ("binary.txt", b"\x00\x01\x02binary", "binary content"),
    ("script.html", (b"<html><body><h1>Ratsinformationssystem</h1><div id='app'></div><script>document.write('Der Integrationsrat besteht aus 27 "
                     b"Mitgliedern.')</script></body></html>"), "script(s) of the page were not run"),
    ("only-script.html", b"<html><head><script>alert(1)</script></head><body></body></html>", "no visible text"),
])
def test_bad_input_exit_2_nothing_written(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    out = tmp_path / "out.yaml"
    code, stdout, err = run("import", str(f), "--name", "X", "-o", str(out))
    assert code == 2 and message in err and "nothing written" in err
    assert not out.exists() and "Traceback" not in err + stdout


def test_a_50_mb_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    code, _, err = run("import", str(big), "--name", "X", "-o", str(tmp_path / "o.yaml"))
    assert code == 2 and "52.428.800 bytes" in err and not (tmp_path / "o.yaml").exists()


def test_partial_skips_an_unreadable_file_and_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "leer.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "o.yaml"
    code, _, err = run("import", str(KOELN), str(empty), "--name", "Köln", "-o", str(out))
    assert code == 2 and not out.exists()
    code, _, err = run("import", str(KOELN), str(empty), "--name", "Köln", "--partial", "-o", str(out))
    assert code == 0 and "the file is empty" in err
    assert "NICHT GELESEN / NOT READ" in out.read_text(encoding="utf-8")


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my own file\n", encoding="utf-8")
    code, _, err = run("import", str(KOELN), "--name", "Köln", "-o", str(out))
    assert code == 2 and "--force" in err and out.read_text(encoding="utf-8") == "my own file\n"
    code, _, _ = run("import", str(KOELN), "--name", "Köln", "-o", str(out), "--force")
    assert code == 0 and out.read_text(encoding="utf-8").startswith("# Entwurf")


@pytest.mark.parametrize("args", [["--ags", "5315000"], ["--kind", "beirat"], ["--name", " "]])
def test_bad_options(args: list[str]) -> None:
    base = ["import", str(KOELN), "--name", "Köln"]
    code, _, err = run(*base, *args)
    assert code == 2 and ("error:" in err or "Fehler:" in err)  # the run's language (LANG)


def test_output_to_stdout_is_yaml() -> None:
    code, out, _ = run("import", str(KOELN), "--name", "Köln")
    assert code == 0
    assert yaml.safe_load(out)["bodies"][0]["seats"] == {"directly_elected": 22, "council_members": 11}
