"""The chosen stack's floor for `optionsmodell explore consistency --regime R` (benchmarks/bench.py,
docs/performance.md "`explore` per regime"): a typer app with the same command line (the
callback's --rules and --version, an `explore` sub-app, the command's --regime, --format, --lang
with a callback and --engine) that does nothing but print its options. No start-up of a command
with this command line on this stack can be shorter: typer builds a pydantic TypeAdapter per
parameter to coerce it."""
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)
explore = typer.Typer(no_args_is_help=True)
app.add_typer(explore, name="explore")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    de = "de"
    en = "en"


class EngineName(StrEnum):
    compiled = "compiled"
    rete = "rete"
    reference = "reference"


def _set_lang(value: Lang | None) -> Lang:
    return value or Lang.de


def _version(value: bool) -> None:
    if value:
        raise typer.Exit()


@app.callback()
def _main(rules_dirs: Annotated[list[Path] | None, typer.Option("--rules")] = None,
          version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False) -> None:
    pass


@explore.command("consistency")
def consistency(regime: Annotated[str, typer.Option()],
                fmt: Annotated[Format, typer.Option("--format")] = Format.text,
                lang: Annotated[Lang, typer.Option(callback=_set_lang)] = Lang.de,
                engine: Annotated[EngineName | None, typer.Option("--engine")] = None) -> None:
    typer.echo(f"{regime} {fmt} {lang} {engine}")


if __name__ == "__main__":
    app()
