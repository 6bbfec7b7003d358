"""The configuration format: strict validation, errors with file:line:column, safe YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optionsmodell.configuration import json_schema, load_configuration, load_configuration_text
from optionsmodell.safe_yaml import MAX_BYTES, InputError

GOOD = """\
municipality:
  name: Testdorf
  land: NW
  foreign_residents: 100
bodies:
  - kind: integrationsrat
    seats: {directly_elected: 4, council_members: 2}
"""


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as e:
        load_configuration_text(text, "t.yaml")
    return e.value


def test_valid_configuration_loads_with_defaults() -> None:
    c = load_configuration_text(GOOD).config
    # issue 8, defect 2: an application status the file does not give is unknown, not 0
    assert c.municipality.applicants is None
    # a seat group left out has none: `seats` is the whole composition (docs/configuration.md)
    assert c.bodies[0].seats is not None and c.bodies[0].seats.sachkundige_buerger == 0
    # the rights a Satzung regulates are unknown until the file says them
    assert c.bodies[0].rights is None and c.bodies[0].funds is None and c.bodies[0].elected_members is None


def test_unknown_key_names_line_and_column() -> None:
    e = error_of(GOOD.replace("  foreign_residents: 100", "  foreign_residents: 100\n  foreigners: 3"))
    assert e.location is not None and (e.location.line, e.location.column) == (5, 3)
    assert "municipality.foreigners" in e.message and "unknown key" in e.message


def test_count_as_text_is_refused_not_coerced() -> None:
    e = error_of(GOOD.replace("foreign_residents: 100", 'foreign_residents: "100"'))
    assert e.location is not None and e.location.line == 4
    assert "whole number" in e.message


def test_negative_count_refused() -> None:
    e = error_of(GOOD.replace("directly_elected: 4", "directly_elected: -1"))
    assert e.location is not None and e.location.line == 7
    assert "≥ 0" in e.message


def test_filled_above_seats_refused() -> None:
    e = error_of(GOOD + "    filled: {directly_elected: 5}\n")
    assert "exceeds seats.directly_elected" in e.message
    assert e.location is not None and e.location.line == 6


def test_unknown_kind_is_an_input_error() -> None:
    e = error_of(GOOD.replace("kind: integrationsrat", "kind: beirat"))
    assert "expected one of" in e.message and e.location is not None and e.location.line == 6


def test_duplicate_key_refused() -> None:
    e = error_of(GOOD.replace("  land: NW", "  land: NW\n  land: HE"))
    assert "appears twice" in e.message


def test_yaml_syntax_error_located() -> None:
    e = error_of("municipality:\n  name: [unclosed\n")
    assert e.location is not None and e.location.line >= 2
    assert "YAML syntax error" in e.message


def test_alias_bomb_refused() -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    e = error_of("\n".join(bomb) + "\n")
    assert "alias expansion" in e.message


def test_python_tags_are_not_executed() -> None:
    e = error_of("municipality: !!python/object/apply:os.system ['echo hacked']\n")
    assert "cannot read value" in e.message or "YAML" in e.message


def test_oversized_file_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (MAX_BYTES + 10) + "\n")
    with pytest.raises(InputError) as e:
        load_configuration(big)
    assert "1 MiB" in e.value.message


def test_schema_has_descriptions_and_contract_names() -> None:
    schema = json.loads(json_schema())
    body = schema["$defs"]["Body"]["properties"]
    for key in ("kind", "formed_by", "seats", "filled", "voting", "chair", "in_deliberation_sequence", "powers", "election"):
        assert key in body
    assert "description" in schema["$defs"]["Municipality"]["properties"]["foreign_residents"]
    assert schema["$defs"]["Body"]["additionalProperties"] is False


def test_misspelt_key_gets_a_suggestion() -> None:
    e = error_of(GOOD.replace("council_members: 2", "council_members: 2, sachkundige_bürger: 1"))
    assert "unknown key" in e.message and "did you mean `sachkundige_buerger`?" in e.message
