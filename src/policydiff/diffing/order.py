"""Classification: which pairs moved (out of order within a section, or to another section),
what each change is, its words marked, and the order changes are reported in.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable
from difflib import SequenceMatcher

from policydiff.diffing.changes import (
    Change,
    ChangeKind,
    ClauseRef,
    Comparison,
    NoteChange,
)
from policydiff.diffing.inline import inline_diff
from policydiff.diffing.pairing import _increasing, _Pairing
from policydiff.diffing.sections import _section_changes
from policydiff.model import Clause, Document
from policydiff.typography import comparable


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
