from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from policydiff.cli import app
from tests.conftest import SAMPLES

runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "store")
    assert cli("init", "--store", path)[0] == 0
    files = [str(SAMPLES / n) for n in ("2016.docx", "2019.docx", "2024.docx", "2025-draft.docx")]
    assert cli("ingest", *files, "--policy", "social-media", "--store", path)[0] == 0
    assert (
        cli(
            "ingest",
            str(SAMPLES / "2024.docx"),
            "--policy",
            "online-safety",
            "--new-policy",
            "--store",
            path,
        )[0]
        == 0
    )
    assert (
        cli("approve", "social-media@2024", "--by", "FGB", "--date", "2024-03-12", "--store", path)[
            0
        ]
        == 0
    )
    return path


def test_the_annual_update_lists_changes_approvals_and_reviews_due(store: str) -> None:
    code, out, _ = cli(
        "changelog", "--since", "2023-09-01", "--until", "2025-08-31", "--store", store
    )
    assert code == 0
    assert "### Social Media Policy (social-media)" in out  # (two policies of one title)
    assert "### Social Media Policy (online-safety)" in out
    assert "- Version 4.0 (12 March 2024, from 2024.docx), approved by FGB on 12 March 2024:" in out
    assert out.count("approved by FGB on 12 March 2024") == 1  # (once, on its revision's line)
    assert (
        "- Version 4.1 (1 February 2025, from 2025-draft.docx), a draft, not yet approved:" in out
    )
    assert "Version 2 (" not in out  # 2019: outside the period
    assert "**overdue** (was due by 31 March 2025)" in out
    code, early, _ = cli(
        "changelog", "--since", "2016-01-01", "--until", "2016-12-31", "--store", store
    )
    assert "Version 1 (5 September 2016" in early
    assert "Version 4.0" not in early


def test_the_annual_update_as_html_is_self_contained(store: str) -> None:
    code, out, _ = cli("changelog", "--until", "2025-08-31", "--format", "html", "--store", store)
    assert code == 0
    page = lxml_html.fromstring(out)
    assert not page.xpath("//script | //link | //img")
    assert (page.findtext(".//h1") or "").startswith(
        "Policy changes from 31 August 2024 to 31 August 2025"
    )


def _page(path: Path) -> Any:
    return lxml_html.fromstring(path.read_text())


def test_publish_writes_the_approved_versions_with_their_history(
    store: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    code, out, _ = cli("publish", "--out", str(site), "--store", store)
    assert code == 0
    assert out.count("has no approved revision yet") == 1  # online-safety
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "social-media.html"]
    rows = [
        [td.text_content() for td in tr.findall("td")]
        for tr in _page(site / "index.html").xpath("//tbody/tr")
    ]
    assert rows == [["Social Media Policy", "4.0", "2024-03-12 by FGB", "March 2025"]]
    page = _page(site / "social-media.html")
    assert not list(page.xpath("//script | //link | //img"))
    assert (
        "Version 4.0, approved by FGB on 12 March 2024"
        in page.xpath("//p[@class='meta']")[0].text_content()
    )
    assert "PURPOSE AND SCOPE" in [h.text_content() for h in page.xpath("//article/h2")]
    history = [li.text_content() for li in page.xpath("//section[@id='history']//li")]
    assert [h.split(" (")[0] for h in history] == [
        "Version 4.0",
        "Version 2",
        "Version 1",
    ]  # not the draft
