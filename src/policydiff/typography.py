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

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-",
}  # fmt: skip
# The Unicode format characters (general category Cf) of Unicode 14.0, Python 3.11's: listed,
# not found by scanning every code point, which cost a short comparison a fifth of its time.
# tests/readers/test_reading_kinds.py checks the list against the running Python's unicodedata.
FORMAT_CHARACTERS = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
_TABLE: dict[int, str | None] = {ord(k): v for k, v in _QUOTES.items()}
_TABLE.update({c: None for a, b in FORMAT_CHARACTERS for c in range(a, b + 1)})
_FORMAT = frozenset(chr(c) for a, b in FORMAT_CHARACTERS for c in range(a, b + 1))


def comparable(text: str) -> str:
    """`text` as compared: quotes straightened, invisible format characters removed, white
    space folded to single spaces. ASCII text is returned as it is (str -> str)."""
    if text.isascii():
        return text
    folded = text.translate(_TABLE)
    if folded is text or folded == text:
        return text
    return " ".join(folded.split())


def is_format_character(char: str) -> bool:
    """Whether `char` (one character) prints as nothing: Unicode general category Cf."""
    return char in _FORMAT


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` with `noun` in the number it agrees with: counted(1, "policy", "policies") ->
    "1 policy", counted(3, "revision") -> "3 revisions" (an "s" added unless `plural` is given)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
