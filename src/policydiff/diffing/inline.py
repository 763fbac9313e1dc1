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

from policydiff.typography import comparable, is_format_character

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


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
    if old.isascii() and new.isascii():  # (nothing to fold: most clauses)
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
    engine.Diff_Timeout = 0  # pairs are short; never trade accuracy for time
    diffs = engine.diff_main(encode(keys_old), encode(keys_new), False)
    engine.diff_cleanupSemantic(diffs)
    ops = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
    spans: list[Span] = []
    i = j = 0  # where each side's tokens have been read to
    for code, chars in diffs:
        n = len(chars)
        if code == 0:
            text = "".join(new_tokens[j : j + n])
            i, j = i + n, j + n
        elif code == 1:
            text = "".join(new_tokens[j : j + n])
            j += n
        else:
            text = "".join(old_tokens[i : i + n])
            i += n
        if spans and spans[-1].op is ops[code]:
            spans[-1] = Span(ops[code], spans[-1].text + text)
        elif text:
            spans.append(Span(ops[code], text))
    return tuple(spans)


def _visible(text: str) -> str:
    """`text` without the characters that print as nothing (Unicode format characters)."""
    if text.isascii():
        return text
    return "".join(c for c in text if not (c > "\x7f" and is_format_character(c)))
