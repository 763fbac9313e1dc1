"""The least a clause diff must do, timed beside policydiff in the same run (issue #6).

Unzip and parse both files with lxml and take each paragraph's text; pair identical clauses by
hash; keep the longest run of those pairs that stays in order (an LCS over the pairs, by
patience sorting) and call the rest moved; fuzzy-match (rapidfuzz) only the clauses left over,
between the same two in-order pairs; word-diff the fuzzy pairs (diff-match-patch). No reader
niceties (numbering, tracked changes, sections), no splits or merges, no clause moved and
edited: a floor to measure against, not a product.
"""

from __future__ import annotations

import bisect
import json
import sys
import zipfile
from collections import defaultdict, deque

from diff_match_patch import diff_match_patch
from lxml import etree
from rapidfuzz import fuzz, process

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def clauses(path: str) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if text.strip():
            out.append(" ".join(text.split()))
    return out


def in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (i, j) pairs, sorted by i, whose j also increase."""
    tails: list[int] = []  # tails[k]: smallest j ending an increasing run of length k + 1
    tail_at: list[int] = []  # index into pairs of that j
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tails, j)
        back[k] = tail_at[at - 1] if at else -1
        if at == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[at] = j
            tail_at[at] = k
    out = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def main(old_path: str, new_path: str) -> None:
    a, b = clauses(old_path), clauses(new_path)
    where: dict[str, deque[int]] = defaultdict(deque)
    for j, text in enumerate(b):
        where[text].append(j)
    pairs = [(i, where[text].popleft()) for i, text in enumerate(a) if where.get(text)]
    anchors = in_order(pairs)
    kept = set(anchors)
    changes: list[dict[str, object]] = [
        {"kind": "moved", "old": a[i], "new": b[j]} for i, j in pairs if (i, j) not in kept
    ]
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    engine = diff_match_patch()
    previous = (-1, -1)
    for i1, j1 in [*anchors, (len(a), len(b))]:
        left_a = [i for i in range(previous[0] + 1, i1) if i not in paired_a]
        left_b = [j for j in range(previous[1] + 1, j1) if j not in paired_b]
        choices = [b[j] for j in left_b]
        taken: set[int] = set()
        for i in left_a:
            best = process.extractOne(a[i], choices, scorer=fuzz.ratio, score_cutoff=60)
            if best is None or best[2] in taken:
                changes.append({"kind": "removed", "old": a[i]})
                continue
            taken.add(best[2])
            diffs = engine.diff_main(a[i], best[0])
            engine.diff_cleanupSemantic(diffs)
            changes.append({"kind": "modified", "old": a[i], "new": best[0], "inline": diffs})
        changes += [
            {"kind": "added", "new": choices[k]} for k in range(len(choices)) if k not in taken
        ]
        previous = (i1, j1)
    json.dump({"changes": changes}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
