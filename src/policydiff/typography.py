"""Typographic folding for comparison: what prints the same compares the same.

The reader already folds white space (no-break spaces included). For comparison, and only for
comparison (reports show the text as written), this also folds:
- curly quotes and primes to straight ones (Word's AutoFormat turns one into the other);
- Unicode format characters (general category Cf: the soft hyphen U+00AD, zero-width space,
  non-joiner and joiner U+200B-U+200D, word joiner U+2060, the byte order mark U+FEFF used as a
  zero-width no-break space, direction marks ...), which print as nothing;
- the non-breaking hyphen U+2011 and the hyphen U+2010 to "-" (Word's w:noBreakHyphen is
  read as "-" already).
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-",
}  # fmt: skip
# Planes beyond the first where Unicode puts format characters (scanned once, on first use).
_ASTRAL_FORMAT_RANGES = ((0x110BD, 0x110CE), (0x13430, 0x13440), (0x1BCA0, 0x1BCA4),
                         (0x1D173, 0x1D17B), (0xE0001, 0xE0080))  # fmt: skip


@cache
def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in _QUOTES.items()}
    ranges = [(0x80, 0x10000), *_ASTRAL_FORMAT_RANGES]
    for start, end in ranges:
        for code in range(start, min(end, sys.maxunicode + 1)):
            if unicodedata.category(chr(code)) == "Cf":
                table[code] = None
    return table


def comparable(text: str) -> str:
    """`text` as compared: quotes straightened, invisible format characters removed, white
    space folded to single spaces. ASCII text is returned as it is (str -> str)."""
    if text.isascii():
        return text
    folded = text.translate(_table())
    if folded is text or folded == text:
        return text
    return " ".join(folded.split())


def is_format_character(char: str) -> bool:
    """Whether `char` (one character) prints as nothing: Unicode general category Cf."""
    return unicodedata.category(char) == "Cf"
