"""Facts a policy states about itself: version, approval, next review. Pure; no I/O.

Read from document-control tables, footers, headers and the text, in that order of trust.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DATE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+\d{4}"  # 12 March 2024
    r"|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"  # March 12, 2024
    r"|\d{4}-\d{2}-\d{2}"  # 2024-03-12
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"  # 12/03/2024
    r"|(?:Spring|Summer|Autumn|Winter|[A-Z][a-z]+)\s+(?:[Tt]erm\s+)?\d{4}"  # March 2024
    r"|\d{4})"
)
_SEP = r"\s*(?:[:|\-–]\s*)?"

_VERSION = re.compile(
    r"\bversion(?:\s+(?:no\.?|number))?" + _SEP + r"(v?\d+(?:\.\d+)*[a-z]?)", re.I
)
_APPROVED_DATE = re.compile(
    r"\b(?:date\s+(?:of\s+)?approv(?:ed|al)|approv(?:ed|al)\s+date|approved(?:\s+on)?)"
    + _SEP
    + r"(?:by\s+[^|,·]*?\s+on\s+)?("
    + _DATE
    + r")",
    re.I,
)
_APPROVED_BY = re.compile(
    r"\bapproved\s+by" + _SEP + r"([A-Za-z][^|·\n]*?)\s*(?:$|[|·]|\s+on\s)", re.I
)
_NEXT_REVIEW = re.compile(
    r"\b(?:(?:date\s+of\s+)?next\s+review(?:\s+date)?(?:\s+due)?|review\s+date|review\s+due"
    r"|to\s+be\s+reviewed(?:\s+(?:by|in|on))?|reviewed?\s+by)" + _SEP + r"(" + _DATE + r")",
    re.I,
)


def find_facts(texts: Iterable[str]) -> dict[str, str]:
    """The first version, approval date, approving body and next review date stated."""
    found: dict[str, str] = {}
    patterns = {
        "version": _VERSION,
        "approved": _APPROVED_DATE,
        "approved_by": _APPROVED_BY,
        "next_review": _NEXT_REVIEW,
    }
    for text in texts:
        for name, pattern in patterns.items():
            if name in found:
                continue
            match = pattern.search(text)
            if match and match.group(1).strip():
                found[name] = match.group(1).strip()
        if len(found) == len(patterns):
            break
    return found
