"""Stages 3 and 4: between two anchors, edited clauses paired by similarity; then what is left
anywhere, paired only when very similar (bounded when too much is left to score every pair).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from policydiff import similarity
from policydiff.diffing import tunables
from policydiff.diffing.pairing import _Pairing, _similarity, _Texts
from policydiff.diffing.splits import _find_splits


def _gaps(anchors: list[tuple[int, int]], n_old: int, n_new: int) -> Iterable[tuple[range, range]]:
    prev_i, prev_j = -1, -1
    for i, j in [*anchors, (n_old, n_new)]:
        if i - prev_i > 1 or j - prev_j > 1:
            yield range(prev_i + 1, i), range(prev_j + 1, j)
        prev_i, prev_j = i, j


def _pair_gap(state: _Pairing, ta: _Texts, tb: _Texts, olds: list[int], news: list[int]) -> None:
    if not olds or not news:
        return
    if len(olds) * len(news) > tunables.MAX_GAP_PAIRS:
        by_section: dict[str | None, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i in olds:
            by_section[state.a[i].section][0].append(i)
        for j in news:
            by_section[state.b[j].section][1].append(j)
        for sub_olds, sub_news in by_section.values():
            if sub_olds and sub_news and len(sub_olds) * len(sub_news) <= tunables.MAX_GAP_PAIRS:
                _pair_gap(state, ta, tb, sub_olds, sub_news)
        return
    if len(olds) > 1 or len(news) > 1:  # a split or merge has two pieces or more
        _find_splits(state, ta, tb, olds, news)
        olds, news = state.free_a(olds), state.free_b(news)
        if not olds or not news:
            return
    lone = min(len(olds), len(news)) == 1
    _pair_similar(state, ta, tb, olds, news, lone)
    if lone:
        return  # (a second look would try the same pairs by the same measure)
    # Second look: a clause left alone between two pairs made above is paired more readily.
    for sub_olds, sub_news in _sub_gaps(state, olds, news):
        if min(len(sub_olds), len(sub_news)) == 1:
            _pair_similar(state, ta, tb, sub_olds, sub_news, lone=True)


def _pair_similar(
    state: _Pairing, ta: _Texts, tb: _Texts, olds: list[int], news: list[int], lone: bool
) -> None:
    candidates = []
    for i in olds:
        for j in news:
            sim = _similarity(ta, i, tb, j)
            if sim.local(lone):
                # Best first; among equals, the pair nearest in relative position, then the
                # earliest (by a key that does not depend on which revision is "old").
                di, dj = i - olds[0], j - news[0]
                candidates.append((-sim.score, abs(di - dj), min(di, dj), max(di, dj), i, j))
    candidates.sort()
    for *_, i, j in candidates:
        if i not in state.pairs and j not in state.used_b:
            state.pair(i, j)


def _sub_gaps(
    state: _Pairing, olds: list[int], news: list[int]
) -> Iterable[tuple[list[int], list[int]]]:
    """The unpaired clauses of a gap, cut at the (in order) pairs made inside it."""
    inside = set(news)
    bounds = [(i, state.pairs[i]) for i in olds if state.pairs.get(i) in inside]
    cuts = [(olds[0] - 1, news[0] - 1)]
    for i, j in sorted(bounds):
        if j > cuts[-1][1]:
            cuts.append((i, j))
    cuts.append((olds[-1] + 1, news[-1] + 1))
    for (i0, j0), (i1, j1) in itertools.pairwise(cuts):
        sub_olds = state.free_a(i for i in olds if i0 < i < i1)
        sub_news = state.free_b(j for j in news if j0 < j < j1)
        if sub_olds and sub_news:
            yield sub_olds, sub_news


def _pair_anywhere(state: _Pairing, ta: _Texts, tb: _Texts) -> None:
    olds = state.free_a(range(len(state.a)))
    news = state.free_b(range(len(state.b)))
    candidates = []
    # The work of scoring every pair grows with the pairs and with the clauses' length.
    work = len(olds) * sum(len(tb.text[j]) for j in news) + len(news) * sum(
        len(ta.text[i]) for i in olds
    )
    if work <= tunables.MAX_ANYWHERE_WORK:
        choices = [tb.text[j] for j in news]
        rows = [(i, news) for i in olds]
    else:
        # Too many left over to score every pair (two unrelated documents): each clause is
        # scored against the clauses that share one of its rarer words.
        rows = list(_sharing_rare_words(ta, olds, tb, news))
    for i, near in rows:
        choices = [tb.text[j] for j in near]
        # rapidfuzz scores the whole row in C; only plausible pairs get the full measure.
        for _, _, k in similarity.extract(
            ta.text[i],
            choices,
            scorer=similarity.ratio,
            score_cutoff=100 * tunables.ANYWHERE_PREFILTER,
            limit=None,
        ):
            j = near[k]
            sim = _similarity(ta, i, tb, j)
            if sim.anywhere():
                candidates.append((-sim.score, min(i, j), max(i, j), i, j))
    candidates.sort()
    for *_, i, j in candidates:
        if i not in state.pairs and j not in state.used_b:
            state.pair(i, j)


def _sharing_rare_words(
    ta: _Texts, olds: list[int], tb: _Texts, news: list[int]
) -> Iterable[tuple[int, list[int]]]:
    """For each old clause, the new clauses that share a word with it that at most
    ANYWHERE_FEW of the new clauses have (at most MAX_FITTING of them)."""
    holders: dict[str, list[int]] = defaultdict(list)
    for j in news:
        for word in set(tb.words(j)):
            holders[word].append(j)
    rare = {word: js for word, js in holders.items() if len(js) <= tunables.ANYWHERE_FEW}
    for i in olds:
        near = sorted({j for word in set(ta.words(i)) for j in rare.get(word, ())})
        if near:
            yield i, near[: tunables.MAX_FITTING]
