"""Word-level inline differences inside one aligned pair of clauses (diff-match-patch).

Words are encoded as single characters (the `diff_linesToChars` trick, on words) so that the
diff and its semantic clean-up work on whole words, and each pair is small enough that
diff-match-patch's time limit never coarsens the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from diff_match_patch import diff_match_patch

from policydiff.similarity import indel_opcodes
from policydiff.typography import comparable, is_format_character

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
LONG_TOKENS = 4_000  # words, spaces and marks of both texts, above which rapidfuzz finds the edit


class Op(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Span:
    op: Op
    text: str


def inline_diff(old: str, new: str) -> tuple[Span, ...]:
    """The edits that turn `old` into `new`, word by word.

    Words are compared as `policydiff.typography.comparable` folds them (a curly quote is the
    same as a straight one); characters that print as nothing (a soft hyphen, a zero-width
    space) are not shown at all. Unchanged words are shown as the new text writes them.
    """
    old_tokens = _TOKEN.findall(_visible(old))
    new_tokens = _TOKEN.findall(_visible(new))
    ops = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
    spans: list[Span] = []
    for code, i, j, n in _token_edits(old_tokens, new_tokens, old.isascii() and new.isascii()):
        text = "".join(old_tokens[i : i + n] if code == -1 else new_tokens[j : j + n])
        if spans and spans[-1].op is ops[code]:
            spans[-1] = Span(ops[code], spans[-1].text + text)
        elif text:
            spans.append(Span(ops[code], text))
    return tuple(spans)


def aligned_edits(old: str, new: str) -> list[tuple[Op, int, int]]:
    """The word-by-word edits that turn `old` into `new` as (op, characters of `old`,
    characters of `new`) in order, covering both texts whole, every character counted
    (nothing is hidden): what the Word redline needs to mark changes inside the runs of a
    paragraph. An EQUAL edit's two lengths can differ where words are the same as
    `comparable` folds them but not character for character."""
    old_tokens = _TOKEN.findall(old)
    new_tokens = _TOKEN.findall(new)
    ops = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
    out: list[tuple[Op, int, int]] = []
    for code, i, j, n in _token_edits(old_tokens, new_tokens, old.isascii() and new.isascii()):
        a = sum(map(len, old_tokens[i : i + n])) if code != 1 else 0
        b = sum(map(len, new_tokens[j : j + n])) if code != -1 else 0
        op = ops[code]
        if out and out[-1][0] is op:
            out[-1] = (op, out[-1][1] + a, out[-1][2] + b)
        elif a or b:
            out.append((op, a, b))
    return out


def _token_edits(
    old_tokens: list[str], new_tokens: list[str], plain: bool
) -> list[tuple[int, int, int, int]]:
    """(code, first old token, first new token, how many) for each run of kept (0), inserted
    (1) or deleted (-1) tokens, in order. `plain`: nothing to fold (ASCII on both sides)."""
    if plain:  # (nothing to fold: most clauses)
        keys_old, keys_new = old_tokens, new_tokens
    else:
        keys_old = [comparable(t) for t in old_tokens]
        keys_new = [comparable(t) for t in new_tokens]
    distinct = list(dict.fromkeys(keys_old + keys_new))  # each once, in order of appearance
    codes = [chr(0x100 + k) for k in range(len(distinct))]  # clear of control characters
    encoding = dict(zip(distinct, codes, strict=True))

    def encode(keys: list[str]) -> str:
        return "".join(map(encoding.__getitem__, keys))

    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # never trade accuracy for time: the result is the same every run
    a, b = encode(keys_old), encode(keys_new)
    # A clause of thousands of words edited throughout: diff-match-patch's search grows with
    # the square of the edits (a 16,000-word clause with every third word changed took 25 s).
    # rapidfuzz finds the same kind of shortest edit bit-parallel, in C.
    diffs = engine.diff_main(a, b, False) if len(a) + len(b) <= LONG_TOKENS else _indel_diffs(a, b)
    engine.diff_cleanupSemantic(diffs)
    out: list[tuple[int, int, int, int]] = []
    i = j = 0  # where each side's tokens have been read to
    for code, chars in diffs:
        n = len(chars)
        out.append((code, i, j, n))
        if code != 1:
            i += n
        if code != -1:
            j += n
    return out


def _indel_diffs(a: str, b: str) -> list[tuple[int, str]]:
    """diff-match-patch's diff tuples (-1 deleted, 0 kept, 1 inserted) from rapidfuzz's
    insert-and-delete edit of `a` into `b` (a longest common subsequence)."""
    diffs: list[tuple[int, str]] = []
    for op in indel_opcodes(a, b):
        if op.tag == "equal":
            diffs.append((0, a[op.src_start : op.src_end]))
            continue
        if op.src_end > op.src_start:
            diffs.append((-1, a[op.src_start : op.src_end]))
        if op.dest_end > op.dest_start:
            diffs.append((1, b[op.dest_start : op.dest_end]))
    return diffs


def _visible(text: str) -> str:
    """`text` without the characters that print as nothing (Unicode format characters)."""
    if text.isascii():
        return text
    return "".join(c for c in text if not (c > "\x7f" and is_format_character(c)))
