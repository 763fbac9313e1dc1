from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policydiff.cli import app
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()


def _commands() -> list[str]:
    """Every command the application registers (read from Typer, not listed by hand)."""
    names = [
        c.name or (c.callback.__name__ if c.callback else "")
        for c in app.registered_commands
        if not c.hidden
    ]
    return sorted(name.replace("_", "-") for name in names)


def test_every_command_has_help_in_plain_words() -> None:
    commands = _commands()
    assert len(commands) >= 13  # (the list is read from the app: it cannot silently empty)
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in commands:
        assert command in result.output, command
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, command
        assert "Usage" in sub.output, command
        lines = [line.strip() for line in sub.output.splitlines()]
        usage = next(k for k, line in enumerate(lines) if line.startswith("Usage"))
        summary = next((line for line in lines[usage + 1 :] if line), "")
        assert summary[:1].isupper(), f"{command}: its help has no sentence"


def test_diff_prints_counts_then_changes_section_by_section_without_colour() -> None:
    result = runner.invoke(app, ["diff", str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx")])
    assert result.exit_code == 0
    out = result.stdout
    assert "4 changed, 4 added, 1 removed, 1 moved, 1 split, 0 merged; 28 clauses unchanged." in out
    assert 'Section renamed: "PERSONAL USE OF THE INTERNET" is now' in out
    assert "Data Protection Act [-1998-]{+2018" in out
    assert out.index("SOCIAL MEDIA DEFINITION") < out.index("IMPORTANT CONSIDERATIONS")


def test_diff_json_follows_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    result = runner.invoke(
        app,
        [
            "diff",
            str(SAMPLES / "2019.docx"),
            str(SAMPLES / "2024.docx"),
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["schema"] == "policydiff.diff/1"
    assert data["old"]["clauses"] == 39
    assert data["new"]["title"] == "Social Media Policy"
    assert set(data["summary"]) >= {
        "added",
        "removed",
        "modified",
        "moved",
        "split",
        "merged",
        "unchanged",
    }
    total_changes = sum(
        data["summary"][k] for k in ("added", "removed", "modified", "moved", "split", "merged")
    )
    assert total_changes == len(data["changes"])
    for change in data["changes"]:
        assert change["kind"] in {"added", "removed", "modified", "moved", "split", "merged"}
        assert isinstance(change["moved"], bool)
        for ref in change["old"] + change["new"]:
            assert set(ref) >= {"id", "label", "section", "text"}
        if change["kind"] == "modified":
            assert {span["op"] for span in change["inline"]} <= {"equal", "insert", "delete"}
    kinds = {(s["kind"], s["old"], s["new"]) for s in data["sections"]}
    assert ("renamed", "SOCIAL MEDIA DEFINITION", "DEFINITIONS") in kinds
    assert ("added", None, "Document control") in kinds


@pytest.mark.parametrize("name", ["pdf-renamed.docx", "encrypted.docx", "zip-bomb.docx"])
def test_bad_input_is_one_line_and_exit_2(bad: Path, name: str) -> None:
    result = runner.invoke(app, ["diff", str(bad / name), str(SAMPLES / "2016.docx")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]
    assert "Traceback" not in result.output


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", str(tmp_path / "nope.docx"), str(SAMPLES / "2016.docx")])
    assert result.exit_code == 2
    assert "nope.docx does not exist" in result.stderr


def _policydiff() -> str:
    return str(Path(sys.executable).with_name("policydiff"))


def test_the_installed_command_runs_as_a_process() -> None:
    proc = subprocess.run(
        [_policydiff(), "diff", str(SAMPLES / "2024.docx"), str(SAMPLES / "2025-draft.docx")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert 'Section removed: "DISCIPLINARY ACTION"' in proc.stdout


# The corpus's truth files were written when only the body was compared: the scorer sees the
# body's changes through this filter, and the page headers' and footers' changes are checked
# on their own below.
_BODY_ONLY = """
import json, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True)
if out.returncode != 0:
    sys.stderr.write(out.stderr)
    sys.exit(out.returncode)
data = json.loads(out.stdout)
page = {"header", "footer"}
data["changes"] = [c for c in data["changes"]
                   if not any(r["kind"] in page for r in c["old"] + c["new"])]
print(json.dumps(data))
"""


@pytest.mark.slow
def test_the_scorer_finds_every_truth_change_in_the_corpus(corpus: Path, tmp_path: Path) -> None:
    scorer = ROOT.parent / "shared" / "tools" / "score_diff.py"
    if not scorer.exists():
        pytest.skip("the shared scorer is not here")
    body_only = tmp_path / "policydiff"
    head = f"#!{sys.executable}\nimport sys\nsys.argv.insert(1, {_policydiff()!r})\n"
    body_only.write_text(head + _BODY_ONLY)
    body_only.chmod(0o755)
    pairs = sorted(str(p) for p in (corpus / "pairs").iterdir() if (p / "truth.json").exists())
    for folders, floor in (([str(corpus / "bartons")], "1.0"), (pairs, "0.95")):
        proc = subprocess.run(
            [sys.executable, str(scorer), str(body_only), *folders, "--min", floor],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        assert proc.returncode == 0, proc.stdout[-3000:]


def test_a_changed_page_footer_is_a_change_and_an_unchanged_one_is_not() -> None:
    """The sample policy gained a footer in 2024 ("Version 4.0 · Approved March 2024") and its
    2025 draft changed it ("DRAFT 4.1"): both are reported, in the footer's own section."""
    bartons = SAMPLES

    def footer_changes(old: str, new: str) -> list[dict[str, Any]]:
        result = runner.invoke(
            app, ["diff", str(bartons / old), str(bartons / new), "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        changes = json.loads(result.stdout)["changes"]
        return [c for c in changes if any(r["kind"] == "footer" for r in c["old"] + c["new"])]

    assert footer_changes("2016.docx", "2019.docx") == []
    (added,) = footer_changes("2019.docx", "2024.docx")
    assert added["kind"] == "added"
    assert added["new"][0]["section"] == "Page footer"
    (changed,) = footer_changes("2024.docx", "2025-draft.docx")
    assert changed["kind"] == "modified"
    assert "Approved March 2024" in changed["old"][0]["text"]
    assert "DRAFT 4.1" in changed["new"][0]["text"]


_MODULES_AFTER = """
import sys
from policydiff.__main__ import run
sys.argv = ["policydiff", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
sys.stderr.write(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


@pytest.mark.parametrize(
    ("argv", "unwanted"),
    [
        (["--help"], {"git", "jinja2", "docx", "lxml", "rapidfuzz", "pydantic"}),
        (
            ["diff", str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"), "--format", "json"],
            {"git", "jinja2", "docx", "pydantic"},
        ),
    ],
)
def test_commands_import_only_what_they_use(argv: list[str], unwanted: set[str]) -> None:
    """Start-up is most of a small diff's time: --help and diff never load git, the
    templates, python-docx or pydantic (issue #6)."""
    proc = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *argv], capture_output=True, text=True, check=True
    )
    loaded = set(proc.stderr.split())
    assert "policydiff" in loaded
    assert not loaded & unwanted, sorted(loaded & unwanted)


def test_diff_piped_to_a_file_keeps_each_change_on_one_line(tmp_path: Path) -> None:
    """Output that is not a terminal (a pipe, a file, an email) is not wrapped at 80 columns:
    each change is one line, its marks as [-gone-] and {+new+}, however long the clause."""
    from tests.builders import p, write_docx

    long = "Staff must keep their passwords private and " + "never share them " * 12
    old = write_docx(tmp_path / "old.docx", p("Title", style="Title") + p(long + "with anyone."))
    new = write_docx(tmp_path / "new.docx", p("Title", style="Title") + p(long + "with others."))
    command = str(Path(sys.executable).with_name("policydiff"))
    piped = subprocess.run(
        [command, "diff", str(old), str(new)], capture_output=True, text=True, check=True
    ).stdout
    changed = [line for line in piped.splitlines() if "Changed:" in line]
    assert len(changed) == 1
    assert changed[0].endswith("with [-anyone-]{+others+}.")
    assert len(changed[0]) > 200
