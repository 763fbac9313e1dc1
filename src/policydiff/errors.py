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
