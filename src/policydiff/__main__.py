"""The `policydiff` command (also `python -m policydiff`).

What only a short-lived command can afford lives here, never in the library: the process runs
without the cycle collector, and once the command is over it ends without taking its objects
apart one by one (together 20-30 ms of a typical policy's diff, 0.25 s of a 20,000-clause one).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import NoReturn


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
    from policydiff.cli import app

    try:
        code = app(standalone_mode=False)
    except BrokenPipeError:  # the reader of our output stopped reading (`| head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except Exception as error:
        usage = _usage_error(error)
        if usage is None:
            raise
        sys.stderr.write(usage + "\n")
        raise SystemExit(2) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def _usage_error(error: Exception) -> str | None:
    """A mistake on the command line (a missing option, an unknown one, a bad value) in one
    line, as every other bad input is told; None for anything else. Typer's own display of
    these is a box of several lines; its exception classes are Click's, which Typer does not
    export, so they are known by what they carry (`format_message`, `exit_code` 2, `ctx`)."""
    message = getattr(error, "format_message", None)
    if not callable(message) or getattr(error, "exit_code", None) != 2:
        return None
    if type(error).__name__ == "NoArgsIsHelpError":  # bare `policydiff COMMAND`: its help
        context = getattr(error, "ctx", None)
        return context.get_help() if context is not None else str(message())
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", "policydiff")
    return f"policydiff: {str(message()).rstrip('.')}: see '{command} --help'"


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


if __name__ == "__main__":
    main()
