"""Hostile input, round two (issue #18): small files that used to hang policydiff, take
gigabytes or end in a traceback. Each is built here and run as a whole process under a 4 GB
address-space limit: it ends with a correct reading or a one-line refusal (exit 2)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import W, p, write_docx

LIMIT = 4 * 1024**3


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def policydiff(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The command as a whole process, under the address-space limit."""
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=_limit, env=env,
    )  # fmt: skip


def show(path: Path) -> subprocess.CompletedProcess[str]:
    return policydiff("show", str(path))


def numbering(fmt: str, start: int, text: str = "%1.") -> str:
    return (
        f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )


def _replace_document(path: Path, xml: bytes, twice: bool = False) -> Path:
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if name == "word/document.xml" and not twice:
                data = xml
            out.writestr(name, data)
        if twice:
            with pytest.warns(UserWarning, match="Duplicate name"):
                out.writestr("word/document.xml", xml)
    return path


def _utf16_dtd(path: Path, doctype: str) -> Path:
    write_docx(path, p("x"))
    xml = (
        f'<?xml version="1.0" encoding="UTF-16"?>{doctype}<w:document xmlns:w="{W}"><w:body>'
        f"{p('Staff must &a; never share passwords')}</w:body></w:document>"
    )
    return _replace_document(path, xml.encode("utf-16"))


def _styles_chain(n: int) -> str:
    first = '<w:style w:type="paragraph" w:styleId="S0"><w:name w:val="S0"/></w:style>'
    return first + "".join(
        f'<w:style w:type="paragraph" w:styleId="S{k}"><w:name w:val="S{k}"/>'
        f'<w:basedOn w:val="S{k - 1}"/></w:style>'
        for k in range(1, n)
    )


# name -> (build the file, what the output must hold, or None for a refusal with these words)
Build = Callable[[Path], Path]
READ: dict[str, tuple[Build, str]] = {
    "a line repeating 'approved by x ' 10,000 times": (
        lambda f: write_docx(f, p("approved by x " * 10_000)),
        "approved by x approved by x",
    ),
    "letter numbering from 2^31": (
        lambda f: write_docx(f, p("Item", num=(1, 0)), numbering=numbering("lowerLetter", 2**31)),
        "Item",
    ),
    "letter numbering from 10^18": (
        lambda f: write_docx(f, p("Item", num=(1, 0)), numbering=numbering("lowerLetter", 10**18)),
        "Item",
    ),
    "roman numbering from 2^31": (
        lambda f: write_docx(f, p("Item", num=(1, 0)), numbering=numbering("upperRoman", 2**31)),
        "Item",
    ),
    "a level text of 10,000 %1": (
        lambda f: write_docx(
            f, p("Item", num=(1, 0)), numbering=numbering("decimal", 1, "%1" * 10_000)
        ),
        "Item",
    ),
    "a chain of 3,000 styles": (
        lambda f: write_docx(
            f, p("Text in a deep style", style="S2999"), styles=_styles_chain(3000)
        ),
        "Text in a deep style",
    ),
}
REFUSED: dict[str, tuple[Build, str]] = {
    "two word/document.xml parts": (
        lambda f: _replace_document(
            write_docx(f, p("What Word shows")),
            f'<w:document xmlns:w="{W}"><w:body>{p("Something else")}</w:body></w:document>'.encode(),
            twice=True,
        ),
        "holds two parts named word/document.xml",
    ),
    "a DTD in UTF-16": (
        lambda f: _utf16_dtd(f, '<!DOCTYPE d [<!ENTITY a "x">]>'),
        "document type declaration",
    ),
    "an external DTD in UTF-16": (
        lambda f: _utf16_dtd(f, '<!DOCTYPE d SYSTEM "http://example.org/d.dtd">'),
        "document type declaration",
    ),
    "63 MiB of empty paragraphs": (
        lambda f: write_docx(f, "<w:p/>" * (63 * 1024 * 1024 // 6)),
        "more markup",
    ),
    # (under the tag bound, over the reader's: small files that would be slow to compare)
    "250,001 short paragraphs": (
        lambda f: write_docx(f, "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 250_001),
        "more than 250,000 paragraphs",
    ),
    "100,001 table cells without paragraphs": (
        lambda f: write_docx(
            f, "<w:tbl>" + ("<w:tr>" + "<w:tc/>" * 101 + "</w:tr>") * 991 + "</w:tbl>" + p("x")
        ),
        "more than 100,000 table cells",
    ),
}


@pytest.mark.parametrize("name", list(READ))
def test_a_hostile_file_that_word_reads_is_read(tmp_path: Path, name: str) -> None:
    build, shown = READ[name]
    result = show(build(tmp_path / "hostile.docx"))
    assert result.returncode == 0, result.stderr[-500:]
    assert shown in result.stdout
    assert len(result.stdout) < 200_000  # (a label is bounded as Word bounds it)


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_file_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    build, words = REFUSED[name]
    result = show(build(tmp_path / "hostile.docx"))
    assert result.returncode == 2, result.stderr[-500:]
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


RULE = """
[[rule]]
id = "required-section/definitions"
type = "required-section"
severity = "error"
names = ["definitions"]
message = "{message}"
"""


PATTERN_RULE = """
[[rule]]
id = "forbidden-phrase/runaway"
type = "forbidden-phrase"
severity = "error"
patterns = ["{pattern}"]
message = "Found {found}"
"""


def rules(path: Path) -> subprocess.CompletedProcess[str]:
    return policydiff("rules", "--rules", str(path))


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _chain(folder: Path, n: int) -> Path:
    for k in range(n):
        _write(folder / f"p{k}.toml", f'extends = "p{k + 1}"\n' if k < n - 1 else "")
    return folder / "p0.toml"


RULE_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "not UTF-8": (
        lambda d: _write(d / "r.toml", RULE.replace("{message}", "Défini").encode("latin-1")),
        "not UTF-8",
    ),
    "extends itself by another name": (
        lambda d: _write(d / "r.toml", 'extends = "../' + d.name + '/r"\n'),
        "extends itself",
    ),
    "a chain of 30 profiles": (lambda d: _chain(d, 30), "chain of more than"),
    "arrays nested 5,000 deep": (
        lambda d: _write(d / "r.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n"),
        "deeper",
    ),
    "a numbered blank": (
        lambda d: _write(d / "r.toml", RULE.replace("{message}", "Missing {0}")),
        "cannot fill",
    ),
    "a blank 900 million wide": (
        lambda d: _write(d / "r.toml", RULE.replace("{message}", "Missing {found:>900000000}")),
        "cannot fill",
    ),
    "a blank reaching into an object": (
        lambda d: _write(d / "r.toml", RULE.replace("{message}", "{found.__class__}")),
        "cannot fill",
    ),
    "a pattern with a back-reference": (
        lambda d: _write(d / "r.toml", PATTERN_RULE.replace("{pattern}", "(staff)\\\\s+\\\\1")),
        "does not run",
    ),
    "a pattern with a lookahead": (
        lambda d: _write(d / "r.toml", PATTERN_RULE.replace("{pattern}", "staff(?=\\\\s+must)")),
        "does not run",
    ),
    "an unmatched brace": (
        lambda d: _write(d / "r.toml", RULE.replace("{message}", "Missing {found")),
        "unmatched braces",
    ),
}


@pytest.mark.parametrize("name", list(RULE_FILES))
def test_a_hostile_rule_file_is_refused_with_its_file(tmp_path: Path, name: str) -> None:
    build, words = RULE_FILES[name]
    path = build(tmp_path)
    result = rules(path)
    assert result.returncode == 2, result.stderr[-500:]
    assert words in result.stderr
    assert path.name in result.stderr or "p" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_five_thousand_rules_load(tmp_path: Path) -> None:
    text = "".join(
        RULE.replace("definitions", f"section{k}").replace("{message}", "Add it: {found}")
        for k in range(5000)
    )
    result = rules(_write(tmp_path / "big.toml", text))
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.count("required-section/section") == 5000


def test_a_pattern_that_would_backtrack_runs_in_linear_time(tmp_path: Path) -> None:
    """'(a+)+$' on a clause of 100,000 letters: Python's engine would not finish; RE2 does."""
    rule_file = _write(tmp_path / "r.toml", PATTERN_RULE.replace("{pattern}", "(a+)+$"))
    document = write_docx(tmp_path / "long.docx", p("a" * 100_000 + "b"))
    result = policydiff("check", str(document), "--rules", str(rule_file), timeout=60)
    assert result.returncode in (0, 1), result.stderr[-500:]
    assert "runaway" in result.stdout or "passed" in result.stdout.lower()


@pytest.mark.parametrize("label", ["latest", "approved", "HEAD", "Latest"])
def test_a_version_label_that_names_something_else_is_refused(tmp_path: Path, label: str) -> None:
    """policy@latest, @approved and HEAD already name other revisions (issue #18)."""
    store = tmp_path / "store"
    source = write_docx(tmp_path / "policy.docx", p("Staff must report concerns."))
    for args in (["init"], ["ingest", str(source), "--policy", "p", "--version", label]):
        result = policydiff(*args, "--store", str(store))
    assert result.returncode == 2, result.stderr
    assert "already means something" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "setting",
    [
        ("core", "fsmonitor"),
        ("core", "hooksPath"),
        ("core", "pager"),
    ],
)
def test_a_store_whose_settings_name_a_command_never_runs_it(
    tmp_path: Path, setting: tuple[str, str]
) -> None:
    """A store's .git/config can name a command git runs (issue #18): ingest and verify run
    none, and verify says the setting is there."""
    store, marker = tmp_path / "store", tmp_path / "ran"
    source = write_docx(tmp_path / "policy.docx", p("Staff must report concerns."))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return policydiff(*args, "--store", str(store))

    assert run("init").returncode == 0
    command = tmp_path / "evil.sh"
    command.write_text(f"#!/bin/sh\ntouch {marker}\n")
    command.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-commit", "reference-transaction", "post-checkout"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / hook).chmod(0o755)
    section, key = setting
    value = str(hooks) if key == "hooksPath" else str(command)
    subprocess.run(["git", "-C", str(store), "config", f"{section}.{key}", value], check=True)
    assert run("ingest", str(source), "--policy", "p").returncode == 0
    checked = run("verify")
    assert not marker.exists(), "a command named in the store's settings was run"
    assert checked.returncode == 1
    assert f"{section}.{key}".lower() in checked.stderr


def test_a_killed_writers_temporary_index_is_cleared_by_the_next_write(tmp_path: Path) -> None:
    """A writer killed while it built a commit leaves .git/policydiff-index-<pid> (#18): the
    next writer, holding the store's lock, clears it."""
    store = tmp_path / "store"
    source = write_docx(tmp_path / "policy.docx", p("Staff must report concerns."))
    env = {**os.environ, "POLICYDIFF_KILL_AT": "before-objects"}
    assert policydiff("init", "--store", str(store)).returncode == 0
    stale = store / ".git" / "policydiff-index-99999"
    stale.write_bytes(b"DIRC")  # as a writer killed after reading the tree leaves it
    ingest = ("ingest", str(source), "--policy", "p", "--store", str(store))
    killed = policydiff(*ingest, env=env)
    assert killed.returncode != 0
    again = policydiff(*ingest)
    assert again.returncode == 0, again.stderr
    assert list((store / ".git").glob("policydiff-index-*")) == []
