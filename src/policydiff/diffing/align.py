"""Pair the clauses of two revisions and classify every difference: the stages, in order.

The order of work keeps long documents linear in practice and the pairing faithful; each stage
has its module (shared state and measures in `pairing`, tunables in `tunables`):
1. `anchors`: identical clauses in order, then identical clauses out of order (moves);
2. `gaps`: between two anchors, splits, merges (`splits`) and edited clauses, by similarity;
   then what is left anywhere, paired only when very similar: moved and edited;
3. `splits`: splits and merges whose other piece was reworded;
4. `sections`: sections mapped by title, by where their clauses and sub-sections went;
5. `evidence`: a clause rewritten in its slot; a clause moved and heavily edited;
6. `order`: which pairs moved (to another section, or out of order in their own), and every
   change classified, its words marked.
"""

from __future__ import annotations

from policydiff.diffing import tunables
from policydiff.diffing.anchors import _exact_in_order, _exact_moves, _uncross_duplicates
from policydiff.diffing.changes import Comparison
from policydiff.diffing.evidence import _pair_moved_by_evidence, _pair_slots
from policydiff.diffing.gaps import _gaps, _pair_anywhere, _pair_gap
from policydiff.diffing.order import _classify, note_changes
from policydiff.diffing.pairing import _keys, _Pairing, _Texts, comparison_key, flatten
from policydiff.diffing.sections import _map_sections
from policydiff.diffing.splits import _find_splits, _reworded_pieces
from policydiff.model import Document

__all__ = ["compare", "comparison_key", "flatten", "note_changes"]


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
    if len(free_a) * len(free_b) <= tunables.MAX_ANYWHERE_PAIRS:
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
