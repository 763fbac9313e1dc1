"""Evidence that survives rewording (issue #15): content words, rare in their sections or among
what is left; a clause rewritten in its slot, and a clause moved and heavily edited.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from policydiff.diffing import tunables
from policydiff.diffing.changes import (
    ClauseRef,
)
from policydiff.diffing.pairing import _Pairing, _same_kind, _similarity, _Texts


def _pair_moved_by_evidence(state: _Pairing, ta: _Texts, tb: _Texts) -> list[tuple[int, int]]:
    """Clauses moved and edited, whose words changed too much for a similarity bar alone: among
    the clauses still unpaired, a pair is taken when the shorter is nearly all inside the
    longer (a sentence added to it), or when they share content words that no other unpaired
    clause has (names, numbers, rare terms survive rewording) and a good part of their words
    in order. The best supported pairs are taken first. Returns the pairs made."""
    olds = state.free_a(range(len(state.a)))
    news = state.free_b(range(len(state.b)))
    if not olds or not news or len(olds) * len(news) > tunables.MAX_LEFT_OVER:
        return []
    stems_a = {i: _stems(state.a[i].text) for i in olds}
    stems_b = {j: _stems(state.b[j].text) for j in news}
    count_a = Counter(stem for stems in stems_a.values() for stem in stems)
    count_b = Counter(stem for stems in stems_b.values() for stem in stems)
    # Candidates share a stem that few left-over clauses have: a moved clause keeps some word
    # of its own, and clauses sharing only common words are not worth measuring.
    by_stem: dict[str, list[int]] = defaultdict(list)
    for j, stems in stems_b.items():
        for stem in stems:
            if count_b[stem] <= tunables.MOVED_FEW:
                by_stem[stem].append(j)
    candidates = []
    for i in olds:
        near = {
            j
            for stem in stems_a[i]
            if count_a[stem] <= tunables.MOVED_FEW
            for j in by_stem.get(stem, ())
        }
        for j in near:
            if not _same_kind(state.a[i], state.b[j]):
                continue
            shared = stems_a[i] & stems_b[j]
            rare = sum(1 for stem in shared if count_a[stem] == 1 == count_b[stem])
            fewer = min(len(stems_a[i]), len(stems_b[j]))
            if rare < tunables.MOVED_RARE and len(shared) < tunables.MOVED_COVER_STEMS * fewer:
                continue  # (neither test can pass: the words are not measured)
            sim = _similarity(ta, i, tb, j)
            covered = (
                sim.cover >= tunables.MOVED_COVER and sim.shorter >= tunables.MOVED_COVER_WORDS
            )
            if covered or (rare >= tunables.MOVED_RARE and sim.dice >= tunables.MOVED_DICE):
                candidates.append((-(rare + sim.dice), min(i, j), max(i, j), i, j))
    candidates.sort()
    paired: list[tuple[int, int]] = []
    for *_, i, j in candidates:
        if i not in state.pairs and j not in state.used_b:
            state.pair(i, j)
            paired.append((i, j))
    return paired


def _pair_slots(state: _Pairing, mapping: dict[str, str]) -> int:
    """Clauses rewritten in place, once everything with evidence in its words is paired: where
    the clauses paired so far leave exactly one clause unpaired on each side between the same
    two paired neighbours (in that order on both sides), and both stand in sections that correspond,
    they are one clause rewritten, however few words survive. A careful reader takes the slot
    as the evidence. Returns how many were paired."""
    a, b = state.a, state.b
    free_old = state.free_a(range(len(a)))
    if not free_old or len(state.used_b) == len(b):
        return 0
    grouped_a = {i for olds, _ in state.groups for i in olds}
    # Each free clause's stretch: from the paired clause before it to the paired clause after
    # it, when their partners keep that order (a neighbour that moved makes no slot).
    bounds = [(-1, -1), *sorted(state.pairs.items()), (len(a), len(b))]
    starts = [i for i, _ in bounds]
    stretches = sorted({bisect.bisect_left(starts, i) for i in free_old})
    paired = 0
    for (i0, j0), (i1, j1) in ((bounds[k - 1], bounds[k]) for k in stretches):
        if j1 <= j0:
            continue
        if i1 - i0 < 2 or j1 - j0 < 2:
            continue
        if (
            min(i1 - i0, j1 - j0) - 1 > tunables.MAX_SLOT
            or max(i1 - i0, j1 - j0) - 1 > 4 * tunables.MAX_SLOT
        ):
            continue  # (a long stretch: what is left there is not one clause's slot)
        olds = [i for i in range(i0 + 1, i1) if i not in state.pairs and i not in grouped_a]
        news = [j for j in range(j0 + 1, j1) if j not in state.used_b]
        if len(olds) == 1 and len(news) == 1:
            i, j = olds[0], news[0]
            if not _same_kind(a[i], b[j]) or mapping.get(a[i].section_id) != b[j].section_id:
                continue
            alone = _alone_in_section(a, i) and _alone_in_section(b, j)
            if alone and _stems(a[i].text) & _stems(b[j].text) or _rare_shared(state, i, j):
                state.pair(i, j)
                paired += 1
        elif (len(olds) == 1 and 1 < len(news) <= tunables.MAX_SLOT) or (
            len(news) == 1 and 1 < len(olds) <= tunables.MAX_SLOT
        ):
            # One clause left on one side, a few on the other: the one whose rare words it
            # shares, when exactly one does best.
            ranked = sorted(
                ((_rare_shared(state, i, j), i, j) for i in olds for j in news
                 if _same_kind(a[i], b[j]) and mapping.get(a[i].section_id) == b[j].section_id),
                reverse=True,
            )  # fmt: skip
            if ranked and ranked[0][0] and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
                state.pair(ranked[0][1], ranked[0][2])
                paired += 1
    return paired


# Stopwords are not evidence that two clauses say the same thing (a school policy's commonest).
_STOPWORDS = frozenset(
    (  # noqa: SIM905  (sixty words read better as prose than as a list)
        "about after also been before being both could does each from have into more most must "
        "only other over same should such than that their them then there these they this "
        "those through under upon very were what when where which while will with within would "
        "your school schools staff policy"
    ).split()
)


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def _stems(text: str) -> set[str]:
    """The content words of `text`, cut to their first STEM letters, without stopwords."""
    return {w[: tunables.STEM] for w in _CONTENT_WORD.findall(text.lower()) if w not in _STOPWORDS}


def _alone_in_section(refs: list[ClauseRef], k: int) -> bool:
    """Whether the clause at `k` is the only one of its section."""
    section = refs[k].section_id
    return (k == 0 or refs[k - 1].section_id != section) and (
        k + 1 == len(refs) or refs[k + 1].section_id != section
    )


def _section_clauses(refs: list[ClauseRef], k: int) -> list[str]:
    """The texts of the clauses of the section the clause at `k` stands in."""
    section = refs[k].section_id
    lo = k
    while lo > 0 and refs[lo - 1].section_id == section:
        lo -= 1
    hi = k
    while hi + 1 < len(refs) and refs[hi + 1].section_id == section:
        hi += 1
    return [refs[x].text for x in range(lo, hi + 1)]


def _rare_shared(state: _Pairing, i: int, j: int) -> int:
    """Content evidence for a rewrite in place: how many stems the two clauses share that are
    rare in their sections (in at most RARE_IN_SECTIONS clauses of each), not ones the whole
    section keeps using ("child" in a child protection policy)."""
    shared = _stems(state.a[i].text) & _stems(state.b[j].text)
    if not shared:
        return 0
    for side, refs, k in (("old", state.a, i), ("new", state.b, j)):
        key = (side, refs[k].section_id)
        counts = state.section_stems.get(key)
        if counts is None:  # once per section: a long section's slots are many
            texts = _section_clauses(refs, k)
            counts = state.section_stems[key] = Counter(s for t in texts for s in _stems(t))
        shared = {stem for stem in shared if counts[stem] <= tunables.RARE_IN_SECTIONS}
    return len(shared)
