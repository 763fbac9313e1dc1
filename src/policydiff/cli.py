"""The `policydiff` command line: arguments in, services called, results printed, exit codes.

Exit codes: 0 done (differences are not an error), 2 bad input (one line on stderr),
3 an internal error (a bug: run again with --debug for the traceback).
Heavy modules are imported inside the commands that need them, so `--help` stays quick.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from policydiff import __version__

app = typer.Typer(
    name="policydiff",
    help="Keep written policies under version control and see exactly what changed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")
_debug = False


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"policydiff: {message}\n")
    return typer.Exit(code)


def _run(action: Callable[[], T]) -> T:
    """Run a service; turn our errors into one line and exit 2, anything else into exit 3."""
    from policydiff.errors import PolicydiffError

    try:
        return action()
    except PolicydiffError as error:
        if _debug:
            raise
        raise _fail(str(error), 2) from None
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as error:  # a bug: say so in one line, not a traceback
        if _debug:
            raise
        raise _fail(
            f"internal error ({type(error).__name__}: {error}); run again with --debug "
            "and report it",
            3,
        ) from None


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for developers).")
    ] = False,
    version: Annotated[bool, typer.Option("--version", help="Show the version and stop.")] = False,
) -> None:
    global _debug
    _debug = debug
    if version:
        typer.echo(f"policydiff {__version__}")
        raise typer.Exit(0)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier revision (.docx).")],
    new: Annotated[Path, typer.Argument(help="The later revision (.docx).")],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text for a person, json for a program.")
    ] = DiffFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """Compare two revisions of a policy clause by clause."""
    from policydiff import services

    result = _run(lambda: services.diff(old, new))
    for message in result.messages:
        sys.stderr.write(f"note: {message}\n")
    if output_format is DiffFormat.JSON:
        from policydiff.diffing.export import to_json

        text = json.dumps(to_json(result.value, str(old), str(new)), ensure_ascii=False, indent=1)
        _write(text + "\n", output)
    else:
        from policydiff.terminal import print_comparison

        if output is None:
            print_comparison(result.value, None)
        else:
            with _open_output(output) as handle:
                print_comparison(result.value, handle)


def _open_output(path: Path):  # type: ignore[no-untyped-def]
    try:
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise _fail(f"cannot write {path}: {error.strerror}", 2) from None


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    with _open_output(output) as handle:
        handle.write(text)


def main() -> None:
    app()
