"""Hostile and broken input: one clear line, exit 2, quickly, in bounded memory, for every
command that reads documents (issue #7)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import BAD_FILES, SAMPLES

POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))
MEMORY_LIMIT = 500 * 1024 * 1024


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _commands(bad: Path, store: Path) -> dict[str, list[str]]:
    good = str(SAMPLES / "2016.docx")
    return {
        "diff": ["diff", good, str(bad)],
        "diff, old side": ["diff", str(bad), good],
        "check": ["check", str(bad)],
        "ingest": ["ingest", str(bad), "--policy", "p", "--store", str(store)],
        "report": ["report", good, str(bad), "-o", str(store.parent / "r.html")],
    }


@pytest.mark.slow
@pytest.mark.parametrize(("name", "problem"), BAD_FILES)
def test_every_command_refuses_a_bad_file_in_one_line(
    bad: Path, tmp_path: Path, name: str, problem: str
) -> None:
    store = tmp_path / "store"
    subprocess.run([POLICYDIFF, "init", "--store", str(store)], check=True, capture_output=True)
    head = subprocess.run(
        ["git", "-C", str(store), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout
    for command, args in _commands(bad / name, store).items():
        start = time.monotonic()
        proc = subprocess.run(
            [POLICYDIFF, *args],
            capture_output=True,
            text=True,
            timeout=5,
            preexec_fn=_limited,
            check=False,
        )
        assert time.monotonic() - start < 5, command
        assert proc.returncode == 2, (command, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, (command, proc.stderr)
        assert name in lines[0], (command, lines[0])
        assert problem in lines[0], (command, lines[0])
        assert "Traceback" not in proc.stderr
    after = subprocess.run(
        ["git", "-C", str(store), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout
    assert after == head  # nothing written


def test_debug_shows_the_traceback(bad: Path) -> None:
    proc = subprocess.run(
        [POLICYDIFF, "--debug", "diff", str(bad / "pdf-renamed.docx"), str(SAMPLES / "2016.docx")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "Traceback" in proc.stderr
    assert "ReadError" in proc.stderr


@pytest.mark.parametrize(
    "body",
    [
        "<w:tbl><w:tr><w:tc>" * 200 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 200,
        "<w:p><w:r><w:t>" + "x" * 11_000_000 + "</w:t></w:r></w:p>",
    ],
    ids=["nested 600 deep", "one text of 11 MB"],
)
def test_a_file_past_the_xml_parsers_limits_is_refused_as_such_not_as_damaged(
    tmp_path: Path, body: str
) -> None:
    from tests.builders import write_docx

    path = write_docx(tmp_path / "limits.docx", body)
    proc = subprocess.run(
        [POLICYDIFF, "show", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 2
    assert "nest deeper than 256 levels" in proc.stderr
    assert "damaged" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "{a}", "{b}", "-o", "{out}.txt"],
        ["report", "{a}", "{b}", "-o", "{out}.html"],
        ["report", "{a}", "{b}", "-f", "docx", "-o", "{out}.docx"],
        ["show", "{a}", "-o", "{out}.txt"],
        ["check", "{a}", "-o", "{out}.json", "-f", "json"],
    ],
)
def test_writing_into_a_folder_that_does_not_exist_says_so(args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "Reports" / "x"
    filled = [a.format(a=SAMPLES / "2016.docx", b=SAMPLES / "2019.docx", out=out) for a in args]
    done = subprocess.run([POLICYDIFF, *filled], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert f"the folder {out.parent} does not exist" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_nothing_is_written_inside_a_policy_store(tmp_path: Path) -> None:
    """A report written into the store's folder would overwrite a stored file there, or block
    the next `add`: refused, for every command that writes."""
    store = tmp_path / "store"
    subprocess.run([POLICYDIFF, "init", "--store", str(store)], check=True, capture_output=True)
    a, b = str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx")
    for args in (
        ["report", a, b, "-o", str(store / "report.html")],
        ["report", a, b, "-f", "docx", "-o", str(store / "x.docx")],
        ["diff", a, b, "-o", str(store / "diff.txt")],
        ["publish", "--out", str(store / "site"), "--store", str(store)],
    ):
        done = subprocess.run([POLICYDIFF, *args], capture_output=True, text=True, check=False)
        assert done.returncode == 2, args
        assert "inside the policy store" in done.stderr
    assert sorted(p.name for p in store.iterdir()) == [".git", "policydiff-store.json"]
