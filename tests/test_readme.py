"""The README's clerk's year runs as written, in a fresh folder, through the installed command
(#19): every command exits 0 and leaves what it says it writes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES

POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))


def walkthrough() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    block = re.search(
        r"<!-- walkthrough.*?```sh\n(.*?)```\n<!-- end of walkthrough -->", text, re.S
    )
    assert block is not None, "the README's walkthrough is marked <!-- walkthrough ... -->"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line]


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "social-media")
    commands = walkthrough()
    assert len(commands) >= 10
    env = {k: v for k, v in os.environ.items() if k != "POLICYDIFF_STORE"}
    for command in commands:
        assert command[0] == "policydiff"
        done = subprocess.run([POLICYDIFF, *command[1:]], cwd=tmp_path, capture_output=True,
                              text=True, env=env, check=False)  # fmt: skip
        allowed = (0, 1) if command[1] == "check" else (0,)  # (check: 1 when a rule fails)
        assert done.returncode in allowed, (command, done.stderr)
    for written in ("report.html", "redline.docx", "annual-update.md", "website/index.html"):
        assert (tmp_path / written).stat().st_size > 500, written
    assert "Why it changed" in (tmp_path / "report.html").read_text()
