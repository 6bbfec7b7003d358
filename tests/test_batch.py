"""batch over the bundled NRW table: the counts per obligation class, outputs, chart, bodies."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from optionsmodell.cli import app

runner = CliRunner()


def test_bundled_table_counts_under_nrw_2018_and_the_motion(tmp_path: Path) -> None:
    svg = tmp_path / "chart.svg"
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--regime", "ds-17-1356", "--format", "json", "--chart", str(svg)])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["summary"]["nrw-2018"] == {"mandatory": 97, "on_application": 101, "voluntary": 198}
    # the motion leaves the duty open where the 2013 law imposed it (issue 8, defect 4)
    assert doc["summary"]["ds-17-1356"] == {"mandatory": 0, "open": 97, "on_application": 101, "voluntary": 198}
    koeln = next(row for row in doc["rows"] if row["ags"] == "05315000" and row["regime"] == "nrw-2018")
    assert koeln == {"ags": "05315000", "name": "Köln, Stadt", "regime": "nrw-2018", "foreign_residents": 189228,
                     "obligation": "mandatory", "verdict": None}
    text = svg.read_text()
    assert text.startswith("<svg") and ">97<" in text and "nrw-2018" in text


def test_png_chart(tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    r = runner.invoke(app, ["batch", "--regime", "nrw-2018", "--chart", str(png)])
    assert r.exit_code == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_other_table_with_column_mapping_bodies_and_verdicts(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("gs,gemeinde,auslaender,antraege\n05000001,Adorf,6000,0\n05000002,Bedorf,3000,250\n05000003,Cedorf,100,0\n")
    bodies = tmp_path / "bodies.yaml"
    bodies.write_text('bodies:\n  "05000001":\n    - {kind: integrationsrat, seats: {directly_elected: 4, council_members: 4}}\n')
    r = runner.invoke(app, ["batch", str(table), "--regime", "nrw-2018", "--column", "ags=gs", "--column", "name=gemeinde",
                            "--column", "foreign_residents=auslaender", "--column", "applicants=antraege",
                            "--bodies", str(bodies), "--format", "csv", "--jobs", "1"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["name"], x["obligation"], x["verdict"]) for x in rows] == [
        ("Adorf", "mandatory", "violations"), ("Bedorf", "mandatory", "violations"), ("Cedorf", "voluntary", "compliant")]


def test_bad_table_is_located(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("ags,municipality_name,foreign_est_census22\n05000001,Adorf,viele\n")
    r = runner.invoke(app, ["batch", str(table), "--lang", "en"])
    assert r.exit_code == 2 and "t.csv:2:1" in r.stderr and "not a whole number" in r.stderr
    r = runner.invoke(app, ["batch", str(table), "--column", "nonsense=x"])
    assert r.exit_code == 2 and "FIELD=COLUMN" in r.stderr


# --- the table as csv.DictReader read it (the reader now goes by column index: half the time) ---

def _dict_reader_table(path: Path, columns: dict[str, str], land: str = "NW") -> list[tuple[object, ...]]:
    """read_table as it was written with csv.DictReader (before issue 10), without its bounds."""
    from optionsmodell.batch import _GERMAN_NUMBER
    from optionsmodell.safe_yaml import InputError, Location

    def number(value: str, where: Location, column: str, german: bool) -> int | None:
        text = value.strip().replace("\u202f", "").replace(" ", "").replace("\xa0", "")
        if text == "":
            return None
        if german and _GERMAN_NUMBER.match(text):
            text = text.split(",")[0].replace(".", "")
        try:
            n = int(text)
        except ValueError:
            raise InputError(where, f"column {column}: {value!r} is not a whole number") from None
        if n < 0:
            raise InputError(where, f"column {column}: {n} is negative")
        return n

    text = path.read_text()
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count) if any(c in first for c in ";,\t") else ","
    german = delimiter == ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = reader.fieldnames or []
    for field_name in ("name", "foreign_residents"):
        if columns[field_name] not in header:
            raise InputError(Location(str(path), 1, 1), f"no column {columns[field_name]!r} for {field_name} "
                             f"(columns: {', '.join(header)}); map one with --column {field_name}=COLUMN")
    out = []
    for row in reader:
        where = Location(str(path), reader.line_num, 1)

        def get(field_name: str, row: dict[str, str] = row) -> str | None:
            column = columns.get(field_name)
            return row.get(column) if column and column in row else None

        name = (get("name") or "").strip()
        if not name:
            raise InputError(where, f"column {columns['name']}: empty name")
        out.append((reader.line_num, (get("ags") or "").strip() or None, name, (get("land") or land).strip() or land,
                    number(get("foreign_residents") or "", where, columns["foreign_residents"], german),
                    number(get("applicants") or "", where, columns.get("applicants", "applicants"), german),
                    number(get("population") or "", where, columns.get("population", "population"), german)))
    return out


_SEEN: list[bool] = []
_GOOD = ["12", "0012", " 7 ", "05315000", "4575", "Köln"]
_COLUMNS = ["ags", "municipality_name", "foreign_est_census22", "population_census22", "land", "applicants", "other"]
_CELLS = ["", " ", "12", "0012", " 7 ", "05315000", "4575", "-3", "4.575", "4575,0", "1 234", "abc", "²", "12\u202f000",
          "Köln", " NW ", '"a,b"', '"x;y"']


def test_the_table_reads_as_csv_dict_reader_read_it(tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from optionsmodell import batch
    from optionsmodell.safe_yaml import InputError

    path = tmp_path / "t.csv"

    @settings(max_examples=400, deadline=None)
    @given(delimiter=st.sampled_from([",", ";", "\t"]),
           header=st.lists(st.sampled_from(_COLUMNS), max_size=6).flatmap(
               lambda h: st.permutations([*h, "municipality_name", "foreign_est_census22"])),
           rows=st.lists(st.lists(st.sampled_from(_GOOD * 6 + _CELLS), max_size=9), max_size=4),
           land=st.booleans(), applicants=st.booleans(), end=st.sampled_from(["", "\n"]))
    def same(delimiter: str, header: list[str], rows: list[list[str]], land: bool, applicants: bool, end: str) -> None:
        path.write_text("\n".join(delimiter.join(r) for r in [header, *rows]) + end)
        columns = batch.parse_columns([f"land={'land' if land else 'missing'}"] + (["applicants=applicants"] if applicants else []))

        def read(how: object) -> object:
            try:
                return [tuple(m) for m in how(path, dict(columns))] if how is batch.read_table else how(path, dict(columns))  # type: ignore[operator]
            except InputError as e:
                return e.render()

        got = read(batch.read_table)
        _SEEN.append(isinstance(got, list) and len(got) > 0)
        assert got == read(_dict_reader_table)

    same()
    assert sum(_SEEN) > 20  # rows were read, not only refused
