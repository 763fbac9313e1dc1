"""Pair the clauses of two revisions and classify every difference.

The order of work keeps long documents linear in practice and the pairing faithful:
1. identical clauses in order (difflib, autojunk off, on hashed texts): the anchors;
2. identical clauses out of order: moves;
3. between two anchors ("a gap"), splits, merges and edited clauses, by similarity;
4. what is left anywhere, paired only when very similar: moved and edited;
5. sections are mapped by title, then by where their clauses went (renames), and a pair whose
   sections do not correspond, or that is out of order within its section, is moved.
"""

from __future__ import annotations

import bisect
import itertools
import re
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from policydiff.diffing.changes import (
    Change,
    ChangeKind,
    ClauseRef,
    Comparison,
    NoteChange,
    SectionChange,
    SectionKind,
)
from policydiff.diffing.inline import inline_diff
from policydiff.model import Clause, ClauseKind, Document
from policydiff.typography import comparable

# -- tunables: ratios from 0 to 1, counts of words or clauses; each explained in the README's
# table, and varied one at a time by `make thresholds` (benchmarks/thresholds.py) --------------
LOCAL_WORD_DICE = 0.5  # in a gap: half the words shared (in order) makes an edit
LOCAL_CHAR_RATIO = 0.7  # in a gap: or most characters shared (short clauses, typo fixes)
SHORT_CHAR_RATIO = 0.6  # ... and for clauses of three words or fewer
LOCAL_COVER = 0.8  # in a gap: or the shorter clause is nearly all inside the longer one
GLOBAL_WORD_DICE = 0.7  # anywhere (moved and edited): a stricter bar
GLOBAL_CHAR_RATIO = 0.8
ANYWHERE_PREFILTER = 0.5  # character ratio below which a pair cannot meet either bar
SPLIT_RATIO = 0.8  # pieces joined must read like the whole
SPLIT_MARGIN = 0.03  # ... and better than any single piece alone
SIMILAR_TITLE = 0.85  # title likeness (token set): the same title with words added or dropped
SHARED_WORD_TITLE = 0.5  # ... and for a lone section replaced in the same place
PIECE_COVER = 0.6  # a piece of a split has most of its words in the whole
MAX_PIECES = 8  # a split or merge of more pieces than this is a rewrite
LONE_WORD_DICE = 0.4  # a gap with one clause on one side: the place itself is evidence
MAX_GAP_PAIRS = 250_000  # above this many candidate pairs in one gap, pair by section only
MAX_ANYWHERE_PAIRS = 1_000_000  # above this many pairs left over, score only those sharing ...
ANYWHERE_FEW = 8  # ... a word that at most this many of the new clauses left over have
MAX_FITTING = 64  # a clause that this many pieces fit has words too common to tell a split
# Evidence that survives rewording (issue #15): content words, places, truncations.
TRUNCATED = 0.9  # a piece kept from a clause: this much of its words in order in the clause
MIN_RESIDUE = 4  # ... and the clause had at least this many more words, which went elsewhere
MOVED_COVER = 0.8  # moved and edited: the shorter clause nearly all inside the longer ...
MOVED_COVER_WORDS = 4  # ... and at least this long,
MOVED_COVER_STEMS = 0.6  # (a pair sharing fewer of its content words cannot be that covered)
MOVED_FEW = 3  # candidates share a content word that at most this many left-over clauses have
MOVED_RARE = 2  # or this many content words shared that no other clause left over has ...
MOVED_DICE = 0.4  # ... with this much of the words shared in order
MAX_LEFT_OVER = 250_000  # above this many candidate pairs of clauses left over, no search
STEM = 5  # letters that make a stem: "hazard" and "hazards", "report" and "reported" agree
RARE_IN_SECTIONS = 2  # a stem in at most this many clauses of each side's section is rare
MAX_SLOT = 4  # a slot with one clause left on one side looks at up to this many on the other


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


def note_changes(old: Clause, new: Clause) -> tuple[NoteChange, ...]:
    """How the notes of `old` became those of `new`: matched in order by their folded text,
    then what is left paired in place (modified), added or removed."""
    a = [f"{comparable(n.text)}\0{n.digest or ''}" for n in old.notes]
    b = [f"{comparable(n.text)}\0{n.digest or ''}" for n in new.notes]
    if a == b:
        return ()
    out: list[NoteChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = old.notes[i1:i2], new.notes[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None:
                out.append(NoteChange(ChangeKind.MODIFIED, o, n, inline_diff(o.text, n.text)))
            elif o is not None:
                out.append(NoteChange(ChangeKind.REMOVED, o, None))
            elif n is not None:
                out.append(NoteChange(ChangeKind.ADDED, None, n))
    return tuple(out)


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
        if self.dice >= (LONE_WORD_DICE if lone else LOCAL_WORD_DICE):
            return True
        if self.char >= LOCAL_CHAR_RATIO:
            return True
        if self.shorter <= 3:
            return self.char >= SHORT_CHAR_RATIO
        return self.cover >= LOCAL_COVER

    def anywhere(self) -> bool:
        return self.dice >= GLOBAL_WORD_DICE or self.char >= GLOBAL_CHAR_RATIO


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
    char = fuzz.ratio(a.text[i], b.text[j]) / 100
    wa, wb = a.words(i), b.words(j)
    if not wa or not wb:
        return _Similarity(char, 0.0, 0.0, 0)
    common = LCSseq.similarity(wa, wb)
    return _Similarity(
        char,
        2 * common / (len(wa) + len(wb)),
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


def compare(old: Document, new: Document) -> Comparison:
    """Every difference between two revisions, clause by clause and section by section."""
    a, b = flatten(old), flatten(new)
    ta, tb = _Texts(a), _Texts(b)
    state = _Pairing(a, b, _keys(a), _keys(b))
    anchors = _exact_in_order(state)
    _exact_moves(state)
    for olds, news in _gaps(anchors, len(a), len(b)):
        _pair_gap(state, ta, tb, state.free_a(olds), state.free_b(news))
    # Splits and merges whose pieces lie in different gaps (a section moved, say); not where
    # almost nothing was paired (two unrelated documents): no piece could be told apart.
    free_a, free_b = state.free_a(range(len(a))), state.free_b(range(len(b)))
    if len(free_a) * len(free_b) <= MAX_ANYWHERE_PAIRS:
        _find_splits(state, ta, tb, free_a, free_b)
    _pair_anywhere(state, ta, tb)
    _uncross_duplicates(state)
    _reworded_pieces(state, ta, tb)
    section_map = _map_sections(old, new, state)
    _pair_slots(state, section_map)  # (within sections already mapped: the map stands)
    moved = _pair_moved_by_evidence(state, ta, tb)
    mapped_new = set(section_map.values())
    if any(
        a[i].section_id not in section_map or b[j].section_id not in mapped_new for i, j in moved
    ):
        section_map = _map_sections(old, new, state)  # a move may show where a section went
    return _classify(old, new, state, section_map)


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
        if (i1 - i0) * (j1 - j0) <= MAX_GAP_PAIRS:
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


def _gaps(anchors: list[tuple[int, int]], n_old: int, n_new: int) -> Iterable[tuple[range, range]]:
    prev_i, prev_j = -1, -1
    for i, j in [*anchors, (n_old, n_new)]:
        if i - prev_i > 1 or j - prev_j > 1:
            yield range(prev_i + 1, i), range(prev_j + 1, j)
        prev_i, prev_j = i, j


def _pair_gap(state: _Pairing, ta: _Texts, tb: _Texts, olds: list[int], news: list[int]) -> None:
    if not olds or not news:
        return
    if len(olds) * len(news) > MAX_GAP_PAIRS:
        by_section: dict[str | None, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i in olds:
            by_section[state.a[i].section][0].append(i)
        for j in news:
            by_section[state.b[j].section][1].append(j)
        for sub_olds, sub_news in by_section.values():
            if sub_olds and sub_news and len(sub_olds) * len(sub_news) <= MAX_GAP_PAIRS:
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


_TEXT_KINDS = (ClauseKind.PARAGRAPH, ClauseKind.LIST_ITEM, ClauseKind.TEXT_BOX)


def _same_kind(a: ClauseRef, b: ClauseRef) -> bool:
    """Whether two clauses could be one clause rewritten: the same kind, or text of any kind
    (a paragraph that became a list item)."""
    return a.kind is b.kind or (a.kind in _TEXT_KINDS and b.kind in _TEXT_KINDS)


def _reworded_pieces(state: _Pairing, ta: _Texts, tb: _Texts) -> None:
    """Splits and merges whose other piece was reworded: a clause paired as edited, whose new
    text is one end of the old (nearly word for word, the rest gone), with a new clause beside
    it, in its section and paired with nothing, that carries on with the rest: that is the
    clause split in two, the second piece reworded. The same the other way round is a merge.
    The evidence is the truncation, the place, and a content word the rest and the added clause
    share (content words survive rewording where sentences do not)."""
    ka, kb = state.ka, state.kb
    edited = [(i, j) for i, j in state.pairs.items() if ka[i] != kb[j]]
    if not edited:
        return
    free_b, free_a = _free_b(state), _free_a(state)
    for i, j in sorted(edited):
        longer_old = len(ka[i]) > len(kb[j])
        found = _piece_beside(state, ta, i, tb, j, state.b, free_b) if longer_old else None
        if found is not None:
            del state.pairs[i]
            state.groups.append(((i,), tuple(sorted((j, found)))))
            state.used_b.add(found)
            continue
        found = None if longer_old else _piece_beside(state, tb, j, ta, i, state.a, free_a)
        if found is not None:
            del state.pairs[i]
            state.groups.append((tuple(sorted((i, found))), (j,)))


def _free_b(state: _Pairing) -> Callable[[int], bool]:
    return lambda j: j not in state.used_b


def _free_a(state: _Pairing) -> Callable[[int], bool]:
    return lambda i: i not in state.pairs and all(i not in olds for olds, _ in state.groups)


def _piece_beside(
    state: _Pairing,
    t_whole: _Texts,
    whole: int,
    t_piece: _Texts,
    piece: int,
    piece_refs: list[ClauseRef],
    free: Callable[[int], bool],
) -> int | None:
    """The clause beside `piece` (on its side) that holds the rest of `whole`, or None."""
    whole_words, piece_words = t_whole.words(whole), t_piece.words(piece)
    if len(whole_words) < len(piece_words) + MIN_RESIDUE or not piece_words:
        return None
    kept = LCSseq.similarity(whole_words, piece_words)
    if kept < TRUNCATED * len(piece_words):
        return None
    n = len(piece_words)
    head = LCSseq.similarity(whole_words[: n + 2], piece_words) >= TRUNCATED * n
    tail = LCSseq.similarity(whole_words[-n - 2 :], piece_words) >= TRUNCATED * n
    if head == tail:  # the piece is neither end, or the whole is barely longer
        return None
    beside = piece + 1 if head else piece - 1
    if not 0 <= beside < len(piece_refs) or not free(beside):
        return None
    if piece_refs[beside].section_id != piece_refs[piece].section_id:
        return None
    if not _same_kind(piece_refs[beside], piece_refs[piece]):
        return None
    # The added piece carries on with the clause: with its rest, or with its subject ("the
    # record" of "Staff should make an accurate record ..."): a content word in common.
    if not _stems(t_whole.text[whole]) & _stems(piece_refs[beside].text):
        return None
    return beside


def _pair_moved_by_evidence(state: _Pairing, ta: _Texts, tb: _Texts) -> list[tuple[int, int]]:
    """Clauses moved and edited, whose words changed too much for a similarity bar alone: among
    the clauses still unpaired, a pair is taken when the shorter is nearly all inside the
    longer (a sentence added to it), or when they share content words that no other unpaired
    clause has (names, numbers, rare terms survive rewording) and a good part of their words
    in order. The best supported pairs are taken first. Returns the pairs made."""
    olds = state.free_a(range(len(state.a)))
    news = state.free_b(range(len(state.b)))
    if not olds or not news or len(olds) * len(news) > MAX_LEFT_OVER:
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
            if count_b[stem] <= MOVED_FEW:
                by_stem[stem].append(j)
    candidates = []
    for i in olds:
        near = {
            j for stem in stems_a[i] if count_a[stem] <= MOVED_FEW for j in by_stem.get(stem, ())
        }
        for j in near:
            if not _same_kind(state.a[i], state.b[j]):
                continue
            shared = stems_a[i] & stems_b[j]
            rare = sum(1 for stem in shared if count_a[stem] == 1 == count_b[stem])
            fewer = min(len(stems_a[i]), len(stems_b[j]))
            if rare < MOVED_RARE and len(shared) < MOVED_COVER_STEMS * fewer:
                continue  # (neither test can pass: the words are not measured)
            sim = _similarity(ta, i, tb, j)
            covered = sim.cover >= MOVED_COVER and sim.shorter >= MOVED_COVER_WORDS
            if covered or (rare >= MOVED_RARE and sim.dice >= MOVED_DICE):
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
        if min(i1 - i0, j1 - j0) - 1 > MAX_SLOT or max(i1 - i0, j1 - j0) - 1 > 4 * MAX_SLOT:
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
        elif (len(olds) == 1 and 1 < len(news) <= MAX_SLOT) or (
            len(news) == 1 and 1 < len(olds) <= MAX_SLOT
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
    return {w[:STEM] for w in _CONTENT_WORD.findall(text.lower()) if w not in _STOPWORDS}


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
    for texts in (_section_clauses(state.a, i), _section_clauses(state.b, j)):
        counts = Counter(stem for text in texts for stem in _stems(text) & shared)
        shared = {stem for stem in shared if counts[stem] <= RARE_IN_SECTIONS}
    return len(shared)


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


def _find_splits(state: _Pairing, ta: _Texts, tb: _Texts, olds: list[int], news: list[int]) -> None:
    """Splits and merges: one clause on one side whose text is a run of consecutive clauses on
    the other. Both directions are searched together and the best found are taken first, so
    that swapping the revisions swaps splits and merges."""
    old_sections = [state.a[i].section_id for i in olds]
    new_sections = [state.b[j].section_id for j in news]
    splits = _runs(ta, olds, tb, news, new_sections)
    merges = _runs(tb, news, ta, olds, old_sections)
    found = [(-ratio, single, run, False) for single, run, ratio in splits]
    found += [(-ratio, single, run, True) for single, run, ratio in merges]
    found.sort(key=lambda f: (f[0], min(f[1], f[2][0]), max(f[1], f[2][0])))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, single, run, merged in found:
        old_side, new_side = (run, (single,)) if merged else ((single,), run)
        if taken_old.intersection(old_side) or taken_new.intersection(new_side):
            continue
        taken_old.update(old_side)
        taken_new.update(new_side)
        state.groups.append((tuple(old_side), tuple(new_side)))
        state.used_b.update(new_side)


def _runs(
    t_single: _Texts, singles: list[int], t_piece: _Texts, pieces: list[int], sections: list[str]
) -> Iterable[tuple[int, tuple[int, ...], float]]:
    """For each single clause, the best run of consecutive pieces that reads like it.

    `sections[k]` is the section of `pieces[k]`: a run stays inside one section. Only pieces
    whose words are mostly in the single clause are tried, which keeps this cheap.
    """
    # Only a piece with a neighbour in its own section can be in a run of two or more: the
    # others (most of what is left over across a whole document, each alone in its section)
    # are not searched, and only looked at to see that no one piece reads better.
    runnable = [
        k
        for k in range(len(pieces))
        if (k > 0 and sections[k - 1] == sections[k])
        or (k + 1 < len(pieces) and sections[k + 1] == sections[k])
    ]
    if len(runnable) < 2:
        return
    piece_words = {k: set(t_piece.words(pieces[k])) for k in runnable}
    index = _rare_words(piece_words)
    # Word sets as bit masks, one bit per word: the words a piece shares with a clause are
    # then counted in C (intersecting sets took two thirds of this search).
    bits: dict[str, int] = {}
    piece_masks = {k: _mask(words, bits) for k, words in piece_words.items()}
    needed = {k: PIECE_COVER * len(words) for k, words in piece_words.items()}
    for s in singles:
        target = t_single.text[s]
        words = set(t_single.words(s))
        mask = _mask(words, bits)
        candidates = {
            k for word in words if len(index.get(word, ())) <= MAX_FITTING for k in index[word]
        }  # (a word filed under more pieces than that tells none of them apart)
        if len(candidates) > 4 * MAX_FITTING:
            continue
        fitting = sorted(k for k in candidates if (piece_masks[k] & mask).bit_count() >= needed[k])
        if len(fitting) < 2 or len(fitting) > MAX_FITTING:
            continue  # (past MAX_FITTING, its words are too common to tell its pieces)
        fits = set(fitting)
        best: tuple[float, tuple[int, ...]] = (0.0, ())
        for start in fitting:
            run: list[int] = []
            joined = ""
            # Consecutive among the clauses still unpaired: a clause that moved away from
            # between two pieces does not keep them from being one split or merge.
            for k in range(start, min(start + MAX_PIECES, len(pieces))):
                if k not in fits or sections[k] != sections[start]:
                    break
                run.append(pieces[k])
                text = t_piece.text[pieces[k]]
                joined = f"{joined} {text}" if joined else text
                if len(joined) > 1.5 * len(target) + 20:
                    break
                if len(run) >= 2:
                    ratio = fuzz.ratio(target, joined) / 100
                    if ratio > best[0]:
                        best = (ratio, tuple(run))
        ratio, found = best
        if not found or ratio < SPLIT_RATIO:
            continue
        # ... and the pieces together read more like the clause than any one piece that fits
        # it does, wherever that piece stands.
        alone = (set(t_piece.words(p)) for p in pieces)
        best_single = max(
            fuzz.ratio(target, t_piece.text[p]) / 100
            for p, piece in zip(pieces, alone, strict=True)
            if len(piece & words) >= PIECE_COVER * len(piece)
        )
        if ratio >= best_single + SPLIT_MARGIN:
            yield s, found, ratio


def _mask(words: Iterable[str], bits: dict[str, int]) -> int:
    """`words` as a bit mask; a word not yet in `bits` is given the next bit."""
    mask = 0
    for word in words:
        mask |= 1 << bits.setdefault(word, len(bits))
    return mask


def _rare_words(piece_words: dict[int, set[str]]) -> dict[str, list[int]]:
    """Word -> the pieces filed under it: each piece under its rarest words, enough of them
    that a clause holding PIECE_COVER of the piece's words must hold one. A clause then looks
    only at the pieces filed under its own words, not at every piece (exactly the same
    pieces fit; far fewer are tried)."""
    frequency = Counter(word for words in piece_words.values() for word in words)
    index: dict[str, list[int]] = defaultdict(list)
    for k, words in piece_words.items():
        # A piece fits when at least PIECE_COVER of its words are in the clause, so a clause
        # that misses `rarest` of them cannot fit (one spare for rounding).
        rarest = min(len(words), int((1 - PIECE_COVER) * len(words)) + 2)
        for word in sorted(words, key=lambda w: (frequency[w], w))[:rarest]:
            index[word].append(k)
    return index


def _pair_anywhere(state: _Pairing, ta: _Texts, tb: _Texts) -> None:
    olds = state.free_a(range(len(state.a)))
    news = state.free_b(range(len(state.b)))
    candidates = []
    if len(olds) * len(news) <= MAX_ANYWHERE_PAIRS:
        choices = [tb.text[j] for j in news]
        rows = [(i, news) for i in olds]
    else:
        # Too many left over to score every pair (two unrelated documents): each clause is
        # scored against the clauses that share one of its rarer words.
        rows = list(_sharing_rare_words(ta, olds, tb, news))
    for i, near in rows:
        choices = [tb.text[j] for j in near]
        # rapidfuzz scores the whole row in C; only plausible pairs get the full measure.
        for _, _, k in process.extract(
            ta.text[i],
            choices,
            scorer=fuzz.ratio,
            score_cutoff=100 * ANYWHERE_PREFILTER,
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
    rare = {word: js for word, js in holders.items() if len(js) <= ANYWHERE_FEW}
    for i in olds:
        near = sorted({j for word in set(ta.words(i)) for j in rare.get(word, ())})
        if near:
            yield i, near[:MAX_FITTING]


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


# -- sections ---------------------------------------------------------------------------------


def _title_key(title: str | None) -> str:
    return " ".join(title.split()).casefold() if title is not None else "\0untitled"


def _map_sections(old: Document, new: Document, state: _Pairing) -> dict[str, str]:
    """Old section id -> new section id: same title first, then where the clauses went."""
    olds, news = list(old.walk()), list(new.walk())
    mapping: dict[str, str] = {}
    matcher = SequenceMatcher(
        None, [_title_key(s.title) for s in olds], [_title_key(s.title) for s in news], False
    )
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            mapping[olds[i + k].id] = news[j + k].id
    taken = set(mapping.values())
    waiting: dict[str, deque[str]] = defaultdict(deque)
    for s in news:
        if s.id not in taken:
            waiting[_title_key(s.title)].append(s.id)
    for s in olds:
        queue = waiting.get(_title_key(s.title))
        if s.id not in mapping and queue:
            mapping[s.id] = queue.popleft()
            taken.add(mapping[s.id])

    votes = Counter(
        zip(
            [state.a[i].section_id for i in state.pairs],
            [state.b[j].section_id for j in state.pairs.values()],
            strict=True,
        )
    )
    for old_idx, new_idx in state.groups:
        for i in old_idx:
            for j in new_idx:
                votes[state.a[i].section_id, state.b[j].section_id] += 1
    for (o, n), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        if o in mapping or n in taken:
            continue
        # Reciprocal: the new section is where most of this section's clauses went, and most of
        # the new section's clauses came from here.
        best_for_o = max((c, nn) for (oo, nn), c in votes.items() if oo == o)
        best_for_n = max((c, oo) for (oo, nn), c in votes.items() if nn == n)
        if best_for_o[1] == n and best_for_n[1] == o:
            mapping[o] = n
            taken.add(n)

    # A heading that holds only sub-headings, renamed: its sub-sections went under one new
    # heading, which holds most of them and took nothing from elsewhere.
    _map_parents(old, new, mapping, taken)

    # Titles alike (words added or dropped): "SECURITY" and "SECURITY AND IDENTITY THEFT".
    titled_old = [s for s in olds if s.id not in mapping and s.title]
    titled_new = [s for s in news if s.id not in taken and s.title]
    choices = [_title_key(n.title) for n in titled_new]
    scored = sorted(
        (-score, k, o.id, titled_new[index].id)
        for k, o in enumerate(titled_old)
        for _, score, index in process.extract(
            _title_key(o.title),
            choices,
            scorer=fuzz.token_set_ratio,
            score_cutoff=100 * SIMILAR_TITLE,
            limit=None,
        )  # fmt: skip
    )
    for score, _, o_id, n_id in scored:
        if -score >= 100 * SIMILAR_TITLE and o_id not in mapping and n_id not in taken:
            mapping[o_id] = n_id
            taken.add(n_id)

    # One section gone and one new in the same place, with titles that share a word: renamed.
    position = {s.id: k for k, s in enumerate(news)}
    bounds = sorted((k, position[mapping[s.id]]) for k, s in enumerate(olds) if s.id in mapping)
    previous = (-1, -1)
    for k, j in [*bounds, (len(olds), len(news))]:
        if k > previous[0] and j > previous[1]:
            gap_old = [s for s in olds[previous[0] + 1 : k] if s.id not in mapping]
            gap_new = [s for s in news[previous[1] + 1 : j] if s.id not in taken]
            if len(gap_old) == 1 and len(gap_new) == 1:
                gone, came = gap_old[0], gap_new[0]
                if _title_likeness(gone.title, came.title) >= 100 * SHARED_WORD_TITLE:
                    mapping[gone.id] = came.id
                    taken.add(came.id)
            previous = (k, j)
    return mapping


def _map_parents(old: Document, new: Document, mapping: dict[str, str], taken: set[str]) -> None:
    """Map each unmapped section without clauses of its own to the new section that holds
    most of its mapped sub-sections, when that new section is unmapped, holds no clauses of
    its own either, and most of its own sub-sections came from here (deepest first, so that
    a renamed grandparent follows its renamed parent)."""
    parent_of: dict[str, str] = {}
    for section in new.walk():
        for child in section.children:
            parent_of[child.id] = section.id
    new_by_id = {s.id: s for s in new.walk()}
    holders = [s for s in old.walk() if s.children and not s.clauses]
    for section in sorted(holders, key=lambda s: -s.level):
        if section.id in mapping:
            continue
        votes = Counter(
            parent_of[mapping[c.id]]
            for c in section.children
            if c.id in mapping and mapping[c.id] in parent_of
        )
        if not votes:
            continue
        target, count = votes.most_common(1)[0]
        candidate = new_by_id[target]
        if target in taken or candidate.clauses:
            continue
        if count * 2 >= len(section.children) and count * 2 >= len(candidate.children):
            mapping[section.id] = target
            taken.add(target)


def _title_likeness(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(fuzz.token_set_ratio(_title_key(a), _title_key(b)))


def _section_changes(
    old: Document, new: Document, mapping: dict[str, str]
) -> tuple[SectionChange, ...]:
    olds, news = list(old.walk()), list(new.walk())
    new_pos = {s.id: k for k, s in enumerate(news)}
    old_pos = {s.id: k for k, s in enumerate(olds)}
    old_by_id = {s.id: s for s in olds}
    mapped = [(k, new_pos[mapping[s.id]]) for k, s in enumerate(olds) if s.id in mapping]
    in_order = _increasing(mapped, weight=lambda _: 1)
    reverse = {n: o for o, n in mapping.items()}
    rows: list[tuple[float, SectionChange]] = []
    for k, s in enumerate(news):
        o_id = reverse.get(s.id)
        if o_id is None:
            rows.append((k, SectionChange(SectionKind.ADDED, None, s.title, None, s.id)))
            continue
        o = old_by_id[o_id]
        if (old_pos[o.id], k) not in in_order:
            kind = SectionKind.MOVED
        elif " ".join((o.title or "").split()) != " ".join((s.title or "").split()):
            kind = SectionKind.RENAMED
        else:
            kind = SectionKind.UNCHANGED
        rows.append((k, SectionChange(kind, o.title, s.title, o.id, s.id)))
    last_new = -1.0
    for s in olds:
        if s.id in mapping:
            last_new = new_pos[mapping[s.id]]
        else:
            rows.append(
                (last_new + 0.5, SectionChange(SectionKind.REMOVED, s.title, None, s.id, None))
            )
    rows.sort(key=lambda row: row[0])
    return tuple(row for _, row in rows)


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


def _stay_weight(old_text: str, new_text: str) -> int:
    """How much keeping a pair in place is worth when choosing which clauses moved.

    As many clauses as possible stay; among equal counts, the least text moves (as a person
    moving one short paragraph past a longer one would); a checksum of the texts settles exact
    ties the same way whichever revision is called old.
    """
    texts = "\0".join(sorted((old_text, new_text)))
    return (
        (1 << 48) + ((len(old_text) + len(new_text)) << 16) + (zlib.crc32(texts.encode()) & 0xFFFF)
    )


# -- classification ---------------------------------------------------------------------------


def _classify(old: Document, new: Document, state: _Pairing, mapping: dict[str, str]) -> Comparison:
    a, b = state.a, state.b
    changes: list[Change] = []
    kept: list[tuple[ClauseRef, ClauseRef]] = []
    unchanged = renumbered = 0

    # A clause has moved when it went from one section to another that both revisions have,
    # or when it is out of order among the clauses of its section. A clause whose heading was
    # added or taken away has not moved unless it is out of order in the whole document.
    mapped_new = set(mapping.values())
    by_section: dict[str, list[tuple[int, int]]] = defaultdict(list)
    loose: list[tuple[int, int]] = []
    crossed: set[int] = set()
    for i, j in state.pairs.items():
        old_section, new_section = a[i].section_id, b[j].section_id
        if mapping.get(old_section) == new_section:
            by_section[new_section].append((i, j))
        elif old_section in mapping and new_section in mapped_new:
            crossed.add(i)
        else:
            loose.append((i, j))

    def stay(p: tuple[int, int]) -> int:
        return _stay_weight(a[p[0]].text, b[p[1]].text)

    out_of_order: set[int] = set()
    for pairs in by_section.values():
        keep = _increasing(pairs, weight=stay)
        if len(keep) < len(pairs):
            out_of_order.update(i for i, j in pairs if (i, j) not in keep)
    if loose:
        in_place = [p for pairs in by_section.values() for p in pairs if p[0] not in out_of_order]
        keep = _increasing(in_place + loose, weight=stay)
        out_of_order.update(i for i, j in loose if (i, j) not in keep)

    for i, j in sorted(state.pairs.items()):
        moved = i in crossed or i in out_of_order
        same = state.ka[i] == state.kb[j]
        if same and not moved:
            unchanged += 1
            renumbered += a[i].label != b[j].label
            kept.append((a[i], b[j]))
        elif same:
            changes.append(Change(ChangeKind.MOVED, (a[i],), (b[j],), moved=True))
        else:
            old_ref, new_ref = a[i], b[j]
            changes.append(
                Change(
                    ChangeKind.MODIFIED,
                    (old_ref,),
                    (new_ref,),
                    moved,
                    inline_diff(old_ref.text, new_ref.text),
                    note_changes(old_ref.clause, new_ref.clause)
                    if old_ref.clause.notes or new_ref.clause.notes
                    else (),
                )
            )
    for old_idx, new_idx in state.groups:
        olds = tuple(a[i] for i in old_idx)
        news = tuple(b[j] for j in new_idx)
        moved = any(mapping.get(o.section_id) != n.section_id for o in olds for n in news)
        kind = ChangeKind.SPLIT if len(olds) == 1 else ChangeKind.MERGED
        inline = inline_diff(" ".join(o.text for o in olds), " ".join(n.text for n in news))
        changes.append(Change(kind, olds, news, moved, inline))
    changes += [Change(ChangeKind.REMOVED, (a[i],), ()) for i in state.free_a(range(len(a)))]
    changes += [Change(ChangeKind.ADDED, (), (b[j],)) for j in state.free_b(range(len(b)))]

    changes.sort(key=_position(state))
    sections = _section_changes(old, new, mapping)
    return Comparison(old, new, tuple(changes), sections, unchanged, renumbered, tuple(kept))


def _position(state: _Pairing) -> Callable[[Change], tuple[float, int]]:
    """Sort key: where a change stands in the new revision (removals where they stood)."""
    new_of_old: dict[int, float] = {i: float(j) for i, j in state.pairs.items()}
    for old_idx, new_idx in state.groups:
        for i in old_idx:
            new_of_old[i] = float(min(new_idx))
    before: list[float] = []
    last = -1.0
    for i in range(len(state.a)):
        before.append(last)
        if i in new_of_old:
            last = new_of_old[i]

    def sort_key(change: Change) -> tuple[float, int]:
        if change.new:
            return (float(min(r.position for r in change.new)), 1)
        first = min(r.position for r in change.old)
        return (before[first] + 0.5, first)

    return sort_key
