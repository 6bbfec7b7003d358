"""A seeded mutator of the bundled scenarios, elections and rule packs, and a harness that runs the
real commands on each mutant: none may end in a traceback, and no code may ever run.

The suite runs a few hundred documents (tests/test_fuzz.py); for a long run:

    python -m tests.fuzzing --count 12000 --seed 1

prints the counts per target and exit code, and every document that ended in a traceback.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from optionsmodell import packs as packs_module
from optionsmodell.cli import app
from optionsmodell.resources import bundled_rules

ROOT = Path(__file__).resolve().parents[1]
SENTINEL = "optionsmodell-fuzz-code-ran"

NASTY = [
    "7.300", "yes", "no", "~", "-1", "1e400", "99999999999999999999999999", "[", "]", "{a: [b", "&a [*a]", "*a",
    "'", '"\\x"', "2020-02-30", "!!bool maybe", "!!int x", "!!float y", "!!timestamp 2020-13-45", "!!timestamp x",
    "!!null q", "!!binary AAAA", "!!set {a}", "!!omap [a]", "!!str", "? [a]", "0o17", "0x1F", ".inf", ".nan",
    "x" * 3000, "[" * 300 + "]" * 300, "{a: " * 200 + "1" + "}" * 200, "<<: *a", "&b {c: *b}",
    f"!!python/object/apply:os.system ['touch {SENTINEL}']", "!!python/name:os.system", "!<tag:x> 1",
    "|", ">-", "---", "...", "%YAML 1.1", "\t", "- \t- x", "\x00", "\x07", "\ufeff", "\u2028", "ä", "é€",
    "null", "true", "", " ", "#", ": :", "- - - -", "NW", "NRW", "integrationsrat", "auslaenderbeirat",
]
INSERT_BYTES = [b"\x00", b"\xff", b"\xe4", b"\t", b"\r", b"\n", b"\x1b", b"\xc3", b"\xa0", b"---\n", b"&a ", b"*a ", b"!!"]


def mutate(text: str, rng: random.Random) -> bytes:
    """One to three mutations: scalar replacements, line edits, token and byte insertions."""
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(7)
        i = rng.randrange(len(lines))
        if op == 0 and ":" in lines[i]:  # replace a value
            key, _, _ = lines[i].partition(":")
            lines[i] = f"{key}: {rng.choice(NASTY)}\n"
        elif op == 1:
            lines.insert(i, rng.choice(NASTY) + "\n")
        elif op == 2 and len(lines) > 1:
            del lines[i]
        elif op == 3:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 4:
            lines[i] = rng.choice(["  ", "\t", "- ", ""]) + lines[i].lstrip() if rng.random() < 0.5 else lines[i][2:]
        elif op == 5:  # a token inside a line
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(NASTY) + lines[i][j:]
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:
        j = rng.randrange(len(data) + 1)
        data = data[:j] + rng.choice(INSERT_BYTES) + data[j:]
    if rng.random() < 0.03:
        data = "".join(lines).encode("latin-1", "replace")
    return data


@dataclass
class Tally:
    counts: Counter[tuple[str, int]] = field(default_factory=Counter)
    crashes: list[tuple[str, bytes, str]] = field(default_factory=list)

    def total(self) -> int:
        return sum(self.counts.values())


def _seeds() -> dict[str, list[Path]]:
    return {
        "check": sorted((ROOT / "scenarios").glob("*.yaml")),
        "elect": sorted((ROOT / "scenarios" / "elections").glob("*.yaml")),
        "pack": sorted(p for p in bundled_rules().glob("*/*.yaml")),
    }


def run(count: int, seed: int, workdir: Path | None = None) -> Tally:
    rng = random.Random(seed)
    seeds = _seeds()
    runner = CliRunner()
    tally = Tally()
    own = workdir is None
    work = (Path(tempfile.mkdtemp(prefix="om-fuzz-")) if workdir is None else workdir).resolve()
    try:
        for n in range(count):
            target = ("check", "check", "elect", "pack")[n % 4]
            source = rng.choice(seeds[target])
            data = mutate(source.read_text(encoding="utf-8"), rng)
            case = work / str(n)
            case.mkdir()
            if target == "pack":
                # a user's copy under another id, so that it is not left out as a duplicate
                pack_id = f"fz-{source.parent.name}"
                pack_dir = case / pack_id
                shutil.copytree(source.parent, pack_dir)
                header = (pack_dir / "pack.yaml").read_text(encoding="utf-8")
                (pack_dir / "pack.yaml").write_text(header.replace(f"id: {source.parent.name}", f"id: {pack_id}", 1),
                                                    encoding="utf-8")
                if source.name == "pack.yaml":
                    data = data.replace(f"id: {source.parent.name}".encode(), f"id: {pack_id}".encode(), 1)
                (pack_dir / source.name).write_bytes(data)
                scenario = str(rng.choice(seeds["check"]))
                args = rng.choice([["lint", str(case)], ["--rules", str(case), "regimes"],
                                   ["--rules", str(case), "check", scenario, "--regime", pack_id],
                                   ["--rules", str(case), "explain", "NRW18-IA-03", "--regime", pack_id]])
            else:
                f = case / "input.yaml"
                f.write_bytes(data)
                fmt = rng.choice(["text", "json", "sarif", "markdown"])
                args = ["check", str(f), "--format", fmt, "--lang", rng.choice(["de", "en"])] if target == "check" \
                    else ["elect", str(f)]
            for key in [k for k in packs_module._CACHE if work in k.parents]:
                del packs_module._CACHE[key]
            packs_module._HEADERS.clear()
            packs_module._BROKEN.clear()
            result = runner.invoke(app, args)
            code = result.exit_code
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                tb = "".join(traceback.format_exception(result.exception))
                tally.crashes.append((" ".join(args), data, tb))
                code = -1
            tally.counts[(target, code)] += 1
            shutil.rmtree(case, ignore_errors=True)
    finally:
        packs_module.set_user_roots([])
        if own:
            shutil.rmtree(work, ignore_errors=True)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args()
    tally = run(a.count, a.seed)
    print(f"{tally.total()} documents, seed {a.seed}")
    for (target, code), n in sorted(tally.counts.items()):
        print(f"  {target:<6} exit {code:>2}: {n}" if code >= 0 else f"  {target:<6} TRACEBACK: {n}")
    print(f"tracebacks: {len(tally.crashes)}; code ran: {'yes' if Path(SENTINEL).exists() else 'no'}")
    for args, data, tb in tally.crashes[:20]:
        print("----", args, repr(data[:300]))
        print(tb)
    raise SystemExit(1 if tally.crashes or Path(SENTINEL).exists() else 0)


if __name__ == "__main__":
    main()
