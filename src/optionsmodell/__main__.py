"""``python -m optionsmodell`` and the ``optionsmodell`` command (pyproject.toml)."""

import gc


def main() -> None:
    # The collector's thresholds are raised before typer, click and pydantic are imported (what
    # cli.main does once they are): their thousands of long-lived objects made it run ~30 times
    # during those imports alone.
    gc.set_threshold(50_000, 500, 1000)
    from .cli import main as run

    run()


if __name__ == "__main__":
    main()
