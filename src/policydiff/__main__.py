"""The `policydiff` command (also `python -m policydiff`).

This module loads nothing but the standard library before it has looked at the command line:
a comparison of two Word files starts reading them (policydiff.prefetch) while the rest of the
program, Typer and all, is still loading. Once the command is over, the process ends
without taking its objects apart one by one.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import NoReturn

_COMPARING = {"diff", "report"}  # the commands whose two files are read by services.load_both


def main() -> NoReturn:
    """Run the command, then end the process (see `leave`)."""
    try:
        run()
    except SystemExit as done:  # how Typer ends every command, successful or not
        leave(done.code)
    leave(0)


def run() -> None:
    """Run the command named on the command line; Typer ends it with SystemExit."""
    # A long policy is tens of thousands of small objects that live as long as the command
    # and hold no reference cycles: reference counting frees all of it, and CPython's cycle
    # collector would only scan it while it is made (by default a fifth of a 20,000-clause
    # diff; at mypy's rarer setting still 70-100 ms, each scan a walk over memory long out of
    # the cache). A command is one short process: it runs without the collector.
    gc.disable()
    files = files_to_compare(sys.argv[1:])
    if files is not None:
        from policydiff import prefetch

        prefetch.start(files)
    from policydiff.cli import app

    app()


def leave(code: object) -> NoReturn:
    """End the process with `code`, as SystemExit does, without the interpreter's teardown.

    The command's work is done and its files are closed; what is left is freeing a long
    policy's tens of thousands of objects one by one, and the modules', for a process that is
    ending anyway (0.1 s of a 20,000-clause diff). As mypy does, flush and leave; what was
    asked to run at exit still runs.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # a message instead of a number: printed, and the process fails
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the output could not be written (a full disk, a closed pipe)
        status = status or 120  # as Python's own exit does
    os._exit(status)


def files_to_compare(args: list[str]) -> list[str] | None:
    """For `diff` or `report` of two .docx files, the two files (old, new).

    A guess from the raw arguments, made before Typer has loaded to parse them: options before
    the command are flags (--debug), options after it take a value (--format json). A wrong
    guess costs only the time spent reading files nobody asks for.
    """
    command: str | None = None
    files: list[str] = []
    value_next = False
    for arg in args:
        if value_next:
            value_next = False
        elif arg.startswith("-"):
            value_next = command is not None and "=" not in arg
        elif command is None:
            command = arg
        else:
            files.append(arg)
    if command not in _COMPARING or len(files) != 2:
        return None
    if not all(f.lower().endswith(".docx") and os.path.isfile(f) for f in files):
        return None
    return files


if __name__ == "__main__":
    main()
