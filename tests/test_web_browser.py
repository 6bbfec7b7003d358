"""The web page end to end in a real browser: Debian's chromium driven by Playwright, against
`optionsmodell serve` started as a user starts it, on a free loopback port.

Screenshots of each state go to artifacts/web-e2e/ (not tracked). When no browser is installed the
tests are skipped with a loud message; .ci/run installs chromium so that CI runs them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "web-e2e"
CHROMIUM = os.environ.get("OPTIONSMODELL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def _loud_skip(why: str) -> None:
    banner = "\n" + "!" * 100 + f"\n!!! BROWSER TESTS OF THE WEB PAGE SKIPPED: {why}\n" \
             "!!! install Debian's chromium (apt-get install chromium) and `pip install -e '.[test]'`; .ci/run does both\n" \
             + "!" * 100 + "\n"
    sys.__stderr__.write(banner)
    pytest.skip(f"BROWSER TESTS SKIPPED: {why}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    pytest.importorskip("starlette", reason="the web extra is not installed")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "optionsmodell", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ARTIFACTS.parent.parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/regimes", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    _, err = proc.communicate(timeout=5)
                    raise RuntimeError(f"optionsmodell serve did not start: {err.decode()}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _loud_skip("Playwright for Python is not installed")
    if not Path(CHROMIUM).is_file():
        _loud_skip(f"no chromium at {CHROMIUM}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
    yield pg
    context.close()
    assert errors == [], errors


def shot(pg: Any, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def verdict(pg: Any, expected: str) -> str:
    pg.wait_for_selector(f"#verdict-label[data-verdict='{expected}']", timeout=20_000)
    text: str = pg.inner_text("#verdict-label")
    return text


def test_edit_check_fix_error_and_language(page: Any) -> None:
    pg = page
    # load a scenario, read the verdict
    pg.select_option("#scenario", "edge-sachkundige-buerger-tipping")
    assert verdict(pg, "violations") == "Ergebnis: VERSTÖSSE"
    card = pg.locator(".finding[data-rule='NRW18-IA-03']")
    assert "§ 27 Abs. 12 Satz 4 GO NRW" in card.inner_text()
    card.click()
    assert "Die Zahl der nach Absatz 2 Satz 1 gewählten Mitglieder" in card.inner_text()
    # the deciding facts' line (11: seats) is highlighted in the editor
    assert pg.locator("#gutter div.hl[data-line='11']").count() == 1
    shot(pg, "01-scenario-loaded")

    # change the directly elected seats in the form: the YAML is rewritten and the verdict changes
    pg.fill("#f-seats-directly_elected", "11")
    pg.press("#f-seats-directly_elected", "Tab")
    assert verdict(pg, "compliant") == "Ergebnis: RECHTMÄSSIG"
    assert "seats: {directly_elected: 11, council_members: 6" in pg.input_value("#editor")
    shot(pg, "02-seats-changed-compliant")

    # back to 10 and apply the suggested fix with its button
    pg.fill("#f-seats-directly_elected", "10")
    pg.press("#f-seats-directly_elected", "Tab")
    verdict(pg, "violations")
    pg.locator(".finding[data-rule='NRW18-IA-03']").click()
    fix = pg.locator(".finding[data-rule='NRW18-IA-03'] .fix-action[data-path='bodies[0].seats.council_members']")
    shot(pg, "03-fix-offered")
    fix.click()
    verdict(pg, "compliant")
    assert "council_members: 5" in pg.input_value("#editor")
    shot(pg, "04-fix-applied")

    # type a YAML error: the CLI's message appears at its line
    text = pg.input_value("#editor")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("chair:"))
    pg.focus("#editor")
    end = sum(len(line) + 1 for line in lines[: target + 1]) - 1
    start = end - len("council_members")
    pg.evaluate(f"() => {{ const e = document.getElementById('editor'); e.setSelectionRange({start}, {end}); }}")
    pg.keyboard.type("[kaputt")
    pg.wait_for_selector("#error:not([hidden])", timeout=20_000)
    # the page is German, so is the server's message, word for word (issue 9 point 6)
    assert "YAML-Syntaxfehler" in pg.inner_text("#error") and "Fehler: <editor>" in pg.inner_text("#error")
    assert "syntax error" not in pg.inner_text("#error") and "error:" not in pg.inner_text("#error")
    err_line = int(pg.get_attribute("#gutter div.err", "data-line"))
    assert err_line in (target + 1, target + 2)  # where the parser notices the unclosed [
    assert pg.is_visible("#error-marker")
    assert f"Zeile {err_line}" in pg.inner_text("#error-marker")
    shot(pg, "05-yaml-error-at-line")

    # undo the error, then switch the language
    for _ in range(len("[kaputt")):
        pg.keyboard.press("Backspace")
    pg.keyboard.type("council_members")
    verdict(pg, "compliant")
    pg.click("#lang")
    pg.wait_for_function("() => document.documentElement.lang === 'en'")
    pg.wait_for_function("() => document.getElementById('verdict-label').textContent === 'Verdict: COMPLIANT'")
    assert pg.inner_text("[data-tab='compare']") == "Compare"
    assert pg.get_attribute("#left", "aria-label") == "Configuration (YAML)"  # what a screen reader says too
    shot(pg, "06-english")


def test_compare_timeline_sweep_election_and_url_state(page: Any, server: str, browser: Any) -> None:
    pg = page
    pg.select_option("#scenario", "edge-sachkundige-buerger-tipping")
    verdict(pg, "violations")

    pg.click("[data-tab='compare']")
    pg.wait_for_selector("#cmp-table")
    assert "ds-17-1356" in pg.inner_text("#cmp-table")
    shot(pg, "07-compare")

    pg.click("[data-tab='timeline']")
    pg.wait_for_selector("#tl-out table")
    assert "nrw-2025" in pg.inner_text("#tl-out")
    shot(pg, "08-timeline")

    pg.click("[data-tab='sweep']")
    pg.select_option("#sw-field", "municipality.foreign_residents")
    pg.fill("#sw-from", "0")
    pg.fill("#sw-to", "10000")
    pg.click("#sw-run")
    pg.wait_for_selector("#sweep-chart .change-label")
    labels = pg.locator("#sweep-chart .change-label").all_text_contents()
    assert labels == ["2.000", "5.000"]
    assert pg.locator("#sweep-chart .change-what").all_text_contents() == ["→ Pflicht auf Antrag", "→ Pflicht"]
    shot(pg, "09-sweep")

    pg.click("[data-tab='elect']")
    pg.click("#el-run")
    pg.wait_for_selector("#el-table")
    assert "Unbesetzte Sitze" in pg.inner_text("#el-vacant")
    pg.click("#el-into")
    pg.wait_for_function("() => document.getElementById('f-filled-directly_elected').value !== ''")
    verdict(pg, "violations")
    assert "filled: {directly_elected:" in pg.input_value("#editor")
    shot(pg, "10-election-carried")

    # the state is in the URL: a new page opened on it shows the same configuration
    pg.wait_for_timeout(1500)  # the URL follows each edit after a short debounce
    assert "y=" in pg.url
    url = pg.url
    other = browser.new_page()
    other.goto(url)
    other.wait_for_selector("body[data-ready='1']")
    assert other.input_value("#editor") == pg.input_value("#editor")
    other.close()


def test_a_body_added_in_the_form(page: Any) -> None:
    pg = page
    pg.select_option("#scenario", "kaarst-no-body")
    verdict(pg, "compliant")
    assert pg.is_disabled("#f-seats-directly_elected")
    pg.select_option("#f-add-body", "integrationsrat")
    pg.wait_for_function("() => document.getElementById('editor').value.includes('- kind: integrationsrat')")
    pg.wait_for_function("() => !document.getElementById('f-seats-directly_elected').disabled")
    pg.fill("#f-seats-directly_elected", "10")
    pg.press("#f-seats-directly_elected", "Tab")
    pg.wait_for_function("() => document.getElementById('editor').value.includes('seats: {directly_elected: 10}')")
    pg.wait_for_selector("#verdict-label")
    shot(pg, "11-body-added")

    # the configuration as a file, exactly the text of the editor
    with pg.expect_download() as info:
        pg.click("#download")
    download = info.value
    assert download.suggested_filename == "kaarst.yaml"
    assert Path(download.path()).read_text(encoding="utf-8") == pg.input_value("#editor")
