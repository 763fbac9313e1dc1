"""Sections: mapped by title, by where their clauses went, by where their sub-sections went, by
like titles and by place; and the section changes (renamed, added, removed, moved).
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque

from policydiff import similarity
from policydiff.diffing import tunables
from policydiff.diffing.anchors import _repeated_in_order
from policydiff.diffing.changes import (
    SectionChange,
    SectionKind,
)
from policydiff.diffing.pairing import _increasing, _Pairing
from policydiff.model import Document


def _title_key(title: str | None) -> str:
    return " ".join(title.split()).casefold() if title is not None else "\0untitled"


def _map_sections(old: Document, new: Document, state: _Pairing) -> dict[str, str]:
    """Old section id -> new section id: same title first, then where the clauses went."""
    olds, news = list(old.walk()), list(new.walk())
    mapping: dict[str, str] = {}
    keys_old, keys_new = [_title_key(s.title) for s in olds], [_title_key(s.title) for s in news]
    # (As identical clauses are: same start and end, then difflib, or n-th copy to n-th copy
    # where thousands of sections share a title: difflib is quadratic on repeats.)
    for i, j in _repeated_in_order(keys_old, 0, len(olds), keys_new, 0, len(news)):
        mapping[olds[i].id] = news[j].id
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
    # Reciprocal: the new section is where most of this section's clauses went, and most of the
    # new section's clauses came from here (each side's best found in one pass over the votes).
    best_for_old: dict[str, tuple[int, str]] = {}
    best_for_new: dict[str, tuple[int, str]] = {}
    for (o, n), c in votes.items():
        best_for_old[o] = max(best_for_old.get(o, (0, "")), (c, n))
        best_for_new[n] = max(best_for_new.get(n, (0, "")), (c, o))
    for (o, n), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        if o in mapping or n in taken:
            continue
        if best_for_old[o][1] == n and best_for_new[n][1] == o:
            mapping[o] = n
            taken.add(n)

    # A heading that holds only sub-headings, renamed: its sub-sections went under one new
    # heading, which holds most of them and took nothing from elsewhere.
    _map_parents(old, new, mapping, taken)

    # Titles alike (words added or dropped): "SECURITY" and "SECURITY AND IDENTITY THEFT".
    titled_old = [s for s in olds if s.id not in mapping and s.title]
    titled_new = [s for s in news if s.id not in taken and s.title]
    if len(titled_old) * len(titled_new) > tunables.MAX_ANYWHERE_PAIRS:
        titled_old = titled_new = []  # (thousands of headings renamed: no title tells)
    choices = [_title_key(n.title) for n in titled_new]
    scored = sorted(
        (-score, k, o.id, titled_new[index].id)
        for k, o in enumerate(titled_old)
        for _, score, index in similarity.extract(
            _title_key(o.title),
            choices,
            scorer=similarity.token_set_ratio,
            score_cutoff=100 * tunables.SIMILAR_TITLE,
            limit=None,
        )  # fmt: skip
    )
    for score, _, o_id, n_id in scored:
        if -score >= 100 * tunables.SIMILAR_TITLE and o_id not in mapping and n_id not in taken:
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
                if _title_likeness(gone.title, came.title) >= 100 * tunables.SHARED_WORD_TITLE:
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
    return float(similarity.token_set_ratio(_title_key(a), _title_key(b)))


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
