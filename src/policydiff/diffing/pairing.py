"""What every stage of the aligner shares: the clauses as the diff sees them, the keys that
decide which are the same, the measures of how alike two are, and the pairing made so far.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from policydiff import similarity
from policydiff.diffing import tunables
from policydiff.diffing.changes import (
    ClauseRef,
)
from policydiff.model import Clause, ClauseKind, Document
from policydiff.typography import comparable


def flatten(document: Document) -> list[ClauseRef]:
    refs: list[ClauseRef] = []
    make = ClauseRef._make
    for s in document.walk():
        section_id, title = s.id, s.title
        for c in s.clauses:
            refs.append(make((len(refs), c.id, c.label, section_id, title, c.text, c.kind, c)))
    return refs


# (A tuple: `in` compares by identity, where a set would hash through Enum.__hash__.)
_SEPARATE_KINDS = (ClauseKind.HEADER, ClauseKind.FOOTER, ClauseKind.IMAGE)


def comparison_key(clause: Clause) -> str:
    """What decides whether two clauses say the same: the text folded for typography (see
    `policydiff.typography`), the notes it cites, and for an image the picture's bytes. A
    header or footer is only ever the same as a header or footer; a paragraph that became a
    list item or a text box is the same clause."""
    key = comparable(clause.text)
    if clause.kind in _SEPARATE_KINDS:
        key = f"\x01{clause.kind.value}\x01{key}\x01{clause.digest or ''}"
    for note in clause.notes:
        key += f"\x02{note.kind.value}\x02{comparable(note.text)}\x02{note.digest or ''}"
    return key


def _keys(refs: list[ClauseRef]) -> list[str]:
    """Each clause's comparison key; a plain ASCII paragraph's is its text (most clauses)."""
    image, header, footer = ClauseKind.IMAGE, ClauseKind.HEADER, ClauseKind.FOOTER
    return [
        r.text
        if r.clause.extras is None
        and r.kind is not image
        and r.kind is not header
        and r.kind is not footer
        and r.text.isascii()
        else comparison_key(r.clause)
        for r in refs
    ]


_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Similarity:
    char: float
    dice: float
    cover: float
    shorter: int  # words in the shorter clause

    @property
    def score(self) -> float:
        return max(self.char, self.dice)

    def local(self, lone: bool) -> bool:
        if self.dice >= (tunables.LONE_WORD_DICE if lone else tunables.LOCAL_WORD_DICE):
            return True
        if self.char >= tunables.LOCAL_CHAR_RATIO:
            return True
        if self.shorter <= 3:
            return self.char >= tunables.SHORT_CHAR_RATIO
        return self.cover >= tunables.LOCAL_COVER

    def anywhere(self) -> bool:
        return self.dice >= tunables.GLOBAL_WORD_DICE or self.char >= tunables.GLOBAL_CHAR_RATIO


class _Texts:
    """Clause texts, with their word lists computed when first needed (only the clauses left
    over after exact pairing are ever compared by words)."""

    def __init__(self, refs: list[ClauseRef]) -> None:
        self.text = [r.text for r in refs]  # white space folded (the model's texts are)
        self._words: dict[int, list[str]] = {}

    def words(self, index: int) -> list[str]:
        found = self._words.get(index)
        if found is None:
            found = self._words[index] = _WORD.findall(self.text[index].lower())
        return found


def _similarity(a: _Texts, i: int, b: _Texts, j: int) -> _Similarity:
    """How alike two clauses are: by characters (typo fixes in short clauses) and by words in
    order. Past LONG_CLAUSE_CHARS together, the words alone say it: comparing characters
    costs the product of the lengths (two 2,000-word clauses took 6 ms a pair)."""
    wa, wb = a.words(i), b.words(j)
    long = len(a.text[i]) + len(b.text[j]) > tunables.LONG_CLAUSE_CHARS
    char = -1.0 if long else similarity.ratio(a.text[i], b.text[j]) / 100
    if not wa or not wb:
        return _Similarity(max(char, 0.0), 0.0, 0.0, 0)
    common = similarity.lcs_similarity(wa, wb)
    dice = 2 * common / (len(wa) + len(wb))
    return _Similarity(
        dice if long else char,
        dice,
        common / min(len(wa), len(wb)),
        min(len(wa), len(wb)),
    )


@dataclass(slots=True)
class _Pairing:
    a: list[ClauseRef]
    b: list[ClauseRef]
    ka: list[str]  # the texts as compared: equal texts are the same clause
    kb: list[str]
    pairs: dict[int, int] = field(default_factory=dict)  # old index -> new index (1:1)
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)
    used_b: set[int] = field(default_factory=set)
    repeated: set[str] = field(default_factory=set)  # texts found more than once on a side
    # (side, section id) -> how many of the section's clauses hold each content stem
    section_stems: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)

    def pair(self, i: int, j: int) -> None:
        self.pairs[i] = j
        self.used_b.add(j)

    def pair_all(self, pairs: list[tuple[int, int]]) -> None:
        """`pair` for each, in one step (the anchors are most of a long document)."""
        self.pairs.update(pairs)
        self.used_b.update(j for _, j in pairs)

    def free_a(self, indexes: Iterable[int]) -> list[int]:
        """Of the old clauses at `indexes`, those not paired or grouped yet, in order."""
        grouped = {i for old, _ in self.groups for i in old}
        return sorted(set(indexes).difference(self.pairs, grouped))

    def free_b(self, indexes: Iterable[int]) -> list[int]:
        """Of the new clauses at `indexes`, those not paired or grouped yet, in order."""
        return sorted(set(indexes).difference(self.used_b))


_TEXT_KINDS = (ClauseKind.PARAGRAPH, ClauseKind.LIST_ITEM, ClauseKind.TEXT_BOX)


def _same_kind(a: ClauseRef, b: ClauseRef) -> bool:
    """Whether two clauses could be one clause rewritten: the same kind, or text of any kind
    (a paragraph that became a list item)."""
    return a.kind is b.kind or (a.kind in _TEXT_KINDS and b.kind in _TEXT_KINDS)


def _increasing(
    pairs: list[tuple[int, int]], weight: Callable[[tuple[int, int]], int]
) -> set[tuple[int, int]]:
    """The heaviest subsequence of one-to-one (old, new) pairs that keeps its order on both
    sides.

    Pairs that follow one another on both sides (a run) are kept or dropped together: no other
    pair can stand between them on either side. So the search runs over runs, which in a long
    policy are a few hundred where the pairs are tens of thousands.
    """
    ordered = sorted(pairs)
    if all(ordered[k][1] < ordered[k + 1][1] for k in range(len(ordered) - 1)):
        return set(ordered)
    runs: list[list[tuple[int, int]]] = []
    for i, j in ordered:
        if runs and runs[-1][-1] == (i - 1, j - 1):
            runs[-1].append((i, j))
        else:
            runs.append([(i, j)])
    ranks = {j: r for r, j in enumerate(sorted(run[0][1] for run in runs))}
    size = len(ranks)
    tree = [(0, -1)] * (size + 1)  # Fenwick tree of (best total, index into runs)
    back = [-1] * len(runs)

    def query(r: int) -> tuple[int, int]:
        best = (0, -1)
        while r > 0:
            best = max(best, tree[r])
            r -= r & -r
        return best

    def update(r: int, value: tuple[int, int]) -> None:
        while r <= size:
            tree[r] = max(tree[r], value)
            r += r & -r

    best_end = (0, -1)
    for k, run in enumerate(runs):
        r = ranks[run[0][1]]
        total, prev = query(r)  # runs that end before this one on both sides
        back[k] = prev
        value = (total + sum(weight(p) for p in run), k)
        update(r + 1, value)
        best_end = max(best_end, value)
    keep: set[tuple[int, int]] = set()
    k = best_end[1]
    while k >= 0:
        keep.update(runs[k])
        k = back[k]
    return keep
