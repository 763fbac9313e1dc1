"""The HTML report in a real browser: Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policydiff.cli import app
from tests.conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = CliRunner().invoke(
        app,
        ["report", str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"), "-o", str(out),
         "--today", "2024-06-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def test_the_report_opens_in_chromium_quietly_and_shows_its_parts(
    report_file: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1024, "height": 900})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report_file.as_uri())
        page.wait_for_load_state("load")
        assert errors == []
        assert requests == [report_file.as_uri()]  # nothing fetched from anywhere else
        assert page.locator("h1").inner_text() == "Social Media Policy: what changed"
        assert page.locator("#summary li").count() == 5  # (the last: what is of substance)
        assert "of substance" in page.locator("#summary li").last.inner_text()
        assert page.locator("p.sentence").count() >= 3  # (each substantive change, in a sentence)
        assert page.locator("ins").count() >= 8
        assert page.locator("del").count() >= 6
        assert page.locator("#signoff th").count() == 3
        screenshot = tmp_path / "report.png"
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.stat().st_size > 20_000
        # Read on a phone: nothing wider than the screen.
        page.set_viewport_size({"width": 360, "height": 740})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Printed on A4.
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        browser.close()


def test_a_printed_report_flows_its_sections_and_breaks_only_before_the_sign_off(
    report_file: Path,
) -> None:
    """Printed on A4, changed sections follow one another (each used to start a page: eight
    pages for this report); the sign-off starts its own page, for the signatures."""
    import re

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(report_file.as_uri())
        page.emulate_media(media="print")
        breaks = page.evaluate(
            "[...document.querySelectorAll('section.changed, #signoff')]"
            ".map(e => e.id === 'signoff' ? 'signoff:' + getComputedStyle(e).breakBefore"
            " : getComputedStyle(e).breakBefore)"
        )
        pdf = page.pdf(format="A4")
        browser.close()
    assert len(breaks) >= 5
    assert breaks[-1] == "signoff:page"
    assert set(breaks[:-1]) == {"auto"}
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages < len(breaks), pages  # fewer pages than sections
