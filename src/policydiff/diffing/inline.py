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
    """The edits that turn `old` into `new`, word by word."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    tokens = list(dict.fromkeys(old_tokens + new_tokens))  # each once, in order of appearance
    codes = [chr(0x100 + k) for k in range(len(tokens))]  # clear of control characters
    encoding = dict(zip(tokens, codes, strict=True))
    decoding = dict(zip(codes, tokens, strict=True))

    def encode(words: list[str]) -> str:
        return "".join(map(encoding.__getitem__, words))

    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # pairs are short; never trade accuracy for time
    diffs = engine.diff_main(encode(old_tokens), encode(new_tokens), False)
    engine.diff_cleanupSemantic(diffs)
    ops = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
    spans: list[Span] = []
    for code, chars in diffs:
        text = "".join(map(decoding.__getitem__, chars))
        if spans and spans[-1].op is ops[code]:
            spans[-1] = Span(ops[code], spans[-1].text + text)
        elif text:
            spans.append(Span(ops[code], text))
    return tuple(spans)
