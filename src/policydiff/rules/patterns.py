"""The patterns of rule files, run by RE2 (google-re2): the one module that imports it.

A rule file is data anyone can write, and Python's own engine backtracks: `(a+)+$` run on one
long clause does not finish. RE2 runs in time linear in the text, whatever the pattern. What it
cannot run (back-references, lookarounds) is refused when the rule file is loaded, with the
reason, rather than run under a time budget: a check that stops half-way would pass a policy it
did not finish reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import re2


class Match(Protocol):
    def group(self, index: int = 0) -> str: ...


class Pattern(Protocol):
    pattern: str

    def finditer(self, text: str) -> Iterator[Match]: ...


def compile_linear(pattern: str) -> Pattern:
    """`pattern`, case-blind, compiled by RE2. Raises ValueError (with RE2's reason) for what
    RE2 cannot run: a back-reference (\\1) or a lookaround ((?=...), (?<!...))."""
    options: Any = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # (RE2 would print its complaint on stderr itself)
    try:
        compiled: Pattern = re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from None
    return compiled
