"""Stages 1 and 2: identical clauses in order (the anchors), repeated boilerplate between them,
identical clauses out of order (moves), and duplicates given partners in reading order.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict, deque
from difflib import SequenceMatcher

from policydiff.diffing import tunables
from policydiff.diffing.pairing import _increasing, _Pairing


def _exact_in_order(state: _Pairing) -> list[tuple[int, int]]:
    """Identical clauses that keep their order: the anchors.

    As git's patience diff: clauses whose text occurs once in each revision are paired, and
    the longest chain of those pairs in order on both sides is kept; between two links of the
    chain difflib pairs the rest (repeated boilerplate included). difflib over a whole
    20,000-clause handbook took a quarter of the comparison; this is n log n plus small gaps.
    """
    ka, kb = state.ka, state.kb
    count_a, count_b = Counter(ka), Counter(kb)
    for counts, texts in ((count_a, ka), (count_b, kb)):
        if len(counts) < len(texts):  # some text is there more than once
            state.repeated.update(k for k, n in counts.items() if n > 1)
    where_b = dict(zip(kb, itertools.count()))  # (the last place: the only one, if unique)
    unique = [(i, where_b[k]) for i, k in enumerate(ka) if count_a[k] == 1 == count_b[k]]
    anchors: list[tuple[int, int]] = []
    previous = (-1, -1)
    for i, j in [*_longest_chain(unique), (len(ka), len(kb))]:
        i0, j0 = previous[0] + 1, previous[1] + 1
        if i > i0 and j > j0 and not set(ka[i0:i]).isdisjoint(kb[j0:j]):
            anchors += _repeated_in_order(ka, i0, i, kb, j0, j)
        if i < len(ka):
            anchors.append((i, j))
        previous = (i, j)
    state.pair_all(anchors)
    return anchors


def _repeated_in_order(
    ka: list[str], i0: int, i1: int, kb: list[str], j0: int, j1: int
) -> list[tuple[int, int]]:
    """Identical clauses in order between two anchors, where texts repeat (boilerplate): the
    same start and end first (one walk each), then difflib on what is left between; where
    that is too long for difflib (quadratic on a text repeated thousands of times), the n-th
    copy of each text in one revision with the n-th in the other, longest chain in order."""
    pairs: list[tuple[int, int]] = []
    while i0 < i1 and j0 < j1 and ka[i0] == kb[j0]:
        pairs.append((i0, j0))
        i0, j0 = i0 + 1, j0 + 1
    tail: list[tuple[int, int]] = []
    while i1 > i0 and j1 > j0 and ka[i1 - 1] == kb[j1 - 1]:
        i1, j1 = i1 - 1, j1 - 1
        tail.append((i1, j1))
    if i1 > i0 and j1 > j0:
        if (i1 - i0) * (j1 - j0) <= tunables.MAX_GAP_PAIRS:
            matcher = SequenceMatcher(None, ka[i0:i1], kb[j0:j1], autojunk=False)
            for x, y, size in matcher.get_matching_blocks():
                pairs += [(i0 + x + k, j0 + y + k) for k in range(size)]
        else:
            copies: dict[str, deque[int]] = defaultdict(deque)
            for j in range(j0, j1):
                copies[kb[j]].append(j)
            nth = [(i, copies[ka[i]].popleft()) for i in range(i0, i1) if copies.get(ka[i])]
            pairs += _longest_chain(nth)
    return pairs + tail[::-1]


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (sorted by old position) whose new positions also
    increase: patience sorting, n log n."""
    tails: list[int] = []  # tails[k]: the least new position that ends a chain of k + 1
    ends: list[int] = []  # the index in `pairs` of that pair
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        # (In a revision most pairs keep their order and lengthen the longest chain.)
        at = len(tails) if not tails or j > tails[-1] else bisect.bisect_left(tails, j)
        back[k] = ends[at - 1] if at else -1
        if at == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[at] = j
            ends[at] = k
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _exact_moves(state: _Pairing) -> None:
    """Identical clauses left over pair up, each with the copy nearest where it would stand."""
    waiting: dict[str, list[int]] = defaultdict(list)
    for j in state.free_b(range(len(state.b))):
        waiting[state.kb[j]].append(j)
    if waiting.keys().isdisjoint(state.ka):
        return
    last_i, last_j = -1, -1
    for i in range(len(state.a)):
        if i in state.pairs:
            last_i, last_j = i, state.pairs[i]
            continue
        copies = waiting.get(state.ka[i])
        if not copies:
            continue
        expected = last_j + (i - last_i)
        at = bisect.bisect_left(copies, expected)
        nearest = min(
            (k for k in (at - 1, at) if 0 <= k < len(copies)),
            key=lambda k: (abs(copies[k] - expected), copies[k]),
        )
        state.pair(i, copies.pop(nearest))


def _uncross_duplicates(state: _Pairing) -> None:
    """Among clauses with identical text, give partners in reading order, when that leaves
    more clauses in order.

    All clauses in such a group read the same, so handing their partners round changes no text
    pair; it only removes moves that the choice of copy made up (boilerplate repeated).
    """
    repeated = state.repeated
    if not repeated:
        return
    before = dict(state.pairs)
    for texts, by_old in ((state.ka, True), (state.kb, False)):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, j in state.pairs.items():
            text = texts[i if by_old else j]
            if text in repeated:
                groups[text].append(i)
        for olds in groups.values():
            if len(olds) > 1:
                news = sorted(state.pairs[i] for i in olds)
                for i, j in zip(sorted(olds), news, strict=True):
                    state.pairs[i] = j

    def in_order(pairs: dict[int, int]) -> int:
        return len(_increasing(list(pairs.items()), weight=lambda _: 1))

    if state.pairs != before and in_order(state.pairs) < in_order(before):
        state.pairs = before
