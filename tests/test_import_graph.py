"""What a single `check` imports (issue 10, start-up): only check's path. A test of the import
graph, never of time: docs/performance.md has the measured start-up."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KOELN = ROOT / "scenarios" / "koeln-2020.yaml"

# libraries no check needs: scenario search, charts, the web page, progress bars
NEVER = ("hypothesis", "matplotlib", "starlette", "uvicorn", "rich.progress", "pypdf")
# pydantic's serializer decorators: the configuration sets its one custom writer in a core schema
# (configuration._ApplicantsSchema), so that a check does not import them for it
CHECK_NEVER = ("pydantic.functional_serializers",)
# our modules of other commands
OTHER_COMMANDS = ("optionsmodell.compare", "optionsmodell.explore", "optionsmodell.consistency", "optionsmodell.batch",
                  "optionsmodell.election",
                  "optionsmodell.writeback", "optionsmodell.casetests", "optionsmodell.strategies",
                  "optionsmodell.web", "optionsmodell.bylaws.importer")

_RUN = """
import contextlib, io, json, sys
sys.argv = ["optionsmodell", *json.loads(sys.argv[1])]
from optionsmodell.cli import main
code = 0
try:
    with contextlib.redirect_stdout(io.StringIO()):
        main()
except SystemExit as e:
    code = e.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def modules_after(*args: str) -> tuple[int, set[str]]:
    proc = subprocess.run([sys.executable, "-c", _RUN, json.dumps(list(args))], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["code"], set(out["modules"])


def loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("engine", ["compiled", "rete", "reference", None])
def test_check_loads_only_its_path(engine: str | None) -> None:
    args = ["check", str(KOELN)] + (["--engine", engine] if engine else [])
    code, modules = modules_after(*args)
    assert code in (0, 1, 3)  # judged (Köln 2020 is undetermined: exit 3)
    assert "optionsmodell.check" in modules and "optionsmodell.report" in modules
    for name in NEVER + OTHER_COMMANDS + CHECK_NEVER:
        assert not loaded(modules, name), f"`check` imported {name}"
    uses_rete = engine == "rete"
    durable = loaded(modules, "durable") or loaded(modules, "durable_rules_engine")
    assert durable == uses_rete, "durable-rules is imported exactly when the Rete engine judges"
    assert loaded(modules, "optionsmodell.rete") == uses_rete


def test_help_loads_no_engine_and_no_models() -> None:
    code, modules = modules_after("--help")
    assert code == 0
    for name in (*NEVER, *OTHER_COMMANDS, "durable", "durable_rules_engine", "optionsmodell.configuration", "optionsmodell.packs",
                 "optionsmodell.check"):
        assert not loaded(modules, name), f"`--help` imported {name}"


def test_explore_consistency_loads_only_its_path() -> None:
    """It judges packs, not configurations: no search, no verdict policy, no explanations."""
    code, modules = modules_after("explore", "consistency", "--regime", "nrw-2013", "--lang", "de")
    assert code == 0
    assert "optionsmodell.consistency" in modules and "optionsmodell.compiled" in modules
    for name in (*NEVER, "optionsmodell.explore", "optionsmodell.compare", "optionsmodell.check", "optionsmodell.policy",
                 "optionsmodell.explain", "optionsmodell.search_space", "optionsmodell.report", "durable"):
        assert not loaded(modules, name), f"`explore consistency` imported {name}"


def test_command_starts_in_main_module() -> None:
    """The `optionsmodell` command starts in __main__.main, which tunes the garbage collector before
    typer and pydantic are imported; `python -m optionsmodell` takes the same path."""
    import tomllib

    # read from pyproject.toml, not from an installation's metadata (an older editable install keeps its own)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["optionsmodell"] == "optionsmodell.__main__:main"
    proc = subprocess.run([sys.executable, "-c", "import gc, optionsmodell.__main__ as m, sys; sys.argv = ['optionsmodell', '--version']\n"
                           "try:\n    m.main()\nexcept SystemExit:\n    pass\nprint(gc.get_threshold())"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip().endswith("(50000, 500, 1000)")
