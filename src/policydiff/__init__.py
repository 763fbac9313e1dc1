"""policydiff: keep written policies under version control and say exactly what changed.

Use from Python (each documented in `policydiff.api`):

- `read(source) -> Document`: a Word file (path, bytes or binary file) as policydiff's model;
- `compare(old, new) -> Comparison`: clause by clause; `.changes`, `.summary`, `.to_dict()`;
- `check(document, profile="default", today=None) -> CheckResult`: `.passed`, `.findings`;
- `report(comparison, format="html") -> str`: the governors' report, HTML or Markdown;
- `redline(old, new) -> bytes`: the new Word file with every change as a tracked change;
- `Store(path)`: a policy store, with its operations as methods.

Errors are `PolicydiffError` and its kinds (`ReadError`, `RuleFileError`, `StoreError`).
Importing the package loads none of this until it is used: the command starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policydiff.errors import PolicydiffError, ReadError, RuleFileError

if TYPE_CHECKING:
    from policydiff.api import Store, check, compare, read, redline, report
    from policydiff.store import StoreError

__version__ = "0.1.0"
__all__ = [
    "PolicydiffError",
    "ReadError",
    "RuleFileError",
    "Store",
    "StoreError",
    "__version__",
    "check",
    "compare",
    "read",
    "redline",
    "report",
]
_API = {"Store", "check", "compare", "read", "redline", "report"}


def __getattr__(name: str) -> Any:
    """The API's functions and the store's error, loaded on first use."""
    if name in _API:
        from policydiff import api

        return getattr(api, name)
    if name == "StoreError":
        from policydiff.store import StoreError

        return StoreError
    raise AttributeError(f"module 'policydiff' has no attribute {name!r}")
