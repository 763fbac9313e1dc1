"""The command's way in and out (policydiff.__main__): leaving without the teardown keeps
what a normal exit gives: the status, every byte of output, what was to run at exit."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_LEAVE = """
import atexit, sys
from policydiff.__main__ import leave
atexit.register(lambda: sys.stderr.write("ran at exit\\n"))
sys.stdout.write("x" * 200_000 + "end")
leave({code})
"""


@pytest.mark.parametrize(
    ("code", "status"), [("None", 0), ("0", 0), ("2", 2), ("'No such file'", 1)]
)
def test_leaving_keeps_the_status_the_output_and_what_runs_at_exit(code: str, status: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _LEAVE.format(code=code)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == status
    assert proc.stdout == "x" * 200_000 + "end"  # written in full, the last of it at the flush
    assert "ran at exit\n" in proc.stderr
    if status == 1:
        assert "No such file" in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_output_that_cannot_be_written_fails_the_process() -> None:
    script = "import sys; from policydiff.__main__ import leave; sys.stdout.write('x'); leave(0)"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:  # every write fails: no space left
        proc = subprocess.run(
            [sys.executable, "-c", script], stdout=full, env=environment, check=False
        )
    assert proc.returncode == 120


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["approve", "x@1", "--date", "2024-01-01"], "Missing option '--by'"),
        (["add"], "Missing argument 'FILES...'"),
        (["nonesuch"], "No such command 'nonesuch'"),
        (["check", "--format", "xml", "a.docx"], "Invalid value for '--format'"),
        (["log", "--no-such-option"], "No such option: --no-such-option"),
    ],
)
def test_a_mistake_on_the_command_line_is_one_line_and_exit_2(args: list[str], said: str) -> None:
    from pathlib import Path

    done = subprocess.run(
        [str(Path(sys.executable).with_name("policydiff")), *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"policydiff: {said}")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--help'" in done.stderr
