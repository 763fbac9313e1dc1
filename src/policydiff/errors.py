"""Errors a person can act on. Each carries a one-line message in plain English."""

from __future__ import annotations


class PolicydiffError(Exception):
    """Base class: the CLI prints `str(error)` on one line and exits with code 2."""


class ReadError(PolicydiffError):
    """A file could not be read as a Word document."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path} {problem}")


class RuleFileError(PolicydiffError):
    """A rule profile could not be loaded; says which file and, where known, which line."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")
