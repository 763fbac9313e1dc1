"""Splits and merges: one clause whose text is a run of clauses on the other side, and (issue
#15) a split or merge whose other piece was reworded, found from the truncation and the place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from policydiff import similarity
from policydiff.diffing import tunables
from policydiff.diffing.changes import (
    ClauseRef,
)
from policydiff.diffing.evidence import _stems
from policydiff.diffing.pairing import _Pairing, _same_kind, _Texts


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
    # then counted in C (intersecting sets took two thirds of this search). Only words found
    # on both sides can be shared, so only they get a bit: a bit for every word of 100,000
    # pieces made each mask 100,000 bits long (12 KB a piece, 900 MB in all).
    single_words = {s: set(t_single.words(s)) for s in singles}
    shared = set().union(*single_words.values()) & set().union(*piece_words.values())
    bits: dict[str, int] = {}
    piece_masks = {k: _mask(words & shared, bits) for k, words in piece_words.items()}
    needed = {k: tunables.PIECE_COVER * len(words) for k, words in piece_words.items()}
    for s in singles:
        target = t_single.text[s]
        words = single_words[s]
        mask = _mask(words & shared, bits)
        candidates = {
            k
            for word in words
            if len(index.get(word, ())) <= tunables.MAX_FITTING
            for k in index[word]
        }  # (a word filed under more pieces than that tells none of them apart)
        if len(candidates) > 4 * tunables.MAX_FITTING:
            continue
        fitting = sorted(k for k in candidates if (piece_masks[k] & mask).bit_count() >= needed[k])
        if len(fitting) < 2 or len(fitting) > tunables.MAX_FITTING:
            continue  # (past tunables.MAX_FITTING, its words are too common to tell its pieces)
        fits = set(fitting)
        best: tuple[float, tuple[int, ...]] = (0.0, ())
        for start in fitting:
            run: list[int] = []
            joined = ""
            # Consecutive among the clauses still unpaired: a clause that moved away from
            # between two pieces does not keep them from being one split or merge.
            for k in range(start, min(start + tunables.MAX_PIECES, len(pieces))):
                if k not in fits or sections[k] != sections[start]:
                    break
                run.append(pieces[k])
                text = t_piece.text[pieces[k]]
                joined = f"{joined} {text}" if joined else text
                if len(joined) > 1.5 * len(target) + 20:
                    break
                if len(run) >= 2:
                    ratio = similarity.ratio(target, joined) / 100
                    if ratio > best[0]:
                        best = (ratio, tuple(run))
        ratio, found = best
        if not found or ratio < tunables.SPLIT_RATIO:
            continue
        # ... and the pieces together read more like the clause than any one piece that fits
        # it does, wherever that piece stands.
        alone = (set(t_piece.words(p)) for p in pieces)
        best_single = max(
            similarity.ratio(target, t_piece.text[p]) / 100
            for p, piece in zip(pieces, alone, strict=True)
            if len(piece & words) >= tunables.PIECE_COVER * len(piece)
        )
        if ratio >= best_single + tunables.SPLIT_MARGIN:
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
        rarest = min(len(words), int((1 - tunables.PIECE_COVER) * len(words)) + 2)
        for word in sorted(words, key=lambda w: (frequency[w], w))[:rarest]:
            index[word].append(k)
    return index


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
    if len(whole_words) < len(piece_words) + tunables.MIN_RESIDUE or not piece_words:
        return None
    kept = similarity.lcs_similarity(whole_words, piece_words)
    if kept < tunables.TRUNCATED * len(piece_words):
        return None
    n = len(piece_words)
    head = similarity.lcs_similarity(whole_words[: n + 2], piece_words) >= tunables.TRUNCATED * n
    tail = similarity.lcs_similarity(whole_words[-n - 2 :], piece_words) >= tunables.TRUNCATED * n
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
