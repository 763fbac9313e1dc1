"""The least a clause diff must do, timed beside policydiff in the same run (issue #6).

Unzip and parse both files with lxml, take each paragraph's text, pair identical clauses by
hash, order them with an LCS (difflib), fuzzy-match only the leftovers (rapidfuzz), and
word-diff the pairs (diff-match-patch). No reader niceties, no sections, no output worth
reading: a floor to measure against, not a product.
"""

from __future__ import annotations

import json
import sys
import zipfile
from difflib import SequenceMatcher

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


def main(old_path: str, new_path: str) -> None:
    a, b = clauses(old_path), clauses(new_path)
    ids: dict[str, int] = {}
    ka = [ids.setdefault(t, len(ids)) for t in a]
    kb = [ids.setdefault(t, len(ids)) for t in b]
    matched_a: set[int] = set()
    matched_b: set[int] = set()
    for i, j, n in SequenceMatcher(None, ka, kb, autojunk=False).get_matching_blocks():
        matched_a.update(range(i, i + n))
        matched_b.update(range(j, j + n))
    left_a = [i for i in range(len(a)) if i not in matched_a]
    left_b = [j for j in range(len(b)) if j not in matched_b]
    choices = [b[j] for j in left_b]
    engine = diff_match_patch()
    changes = []
    taken: set[int] = set()
    for i in left_a:
        best = process.extractOne(a[i], choices, scorer=fuzz.ratio, score_cutoff=75)
        if best is None or best[2] in taken:
            changes.append({"kind": "removed", "old": a[i]})
            continue
        taken.add(best[2])
        diffs = engine.diff_main(a[i], best[0])
        engine.diff_cleanupSemantic(diffs)
        changes.append({"kind": "modified", "old": a[i], "new": best[0], "inline": diffs})
    changes += [{"kind": "added", "new": choices[k]} for k in range(len(choices)) if k not in taken]
    json.dump({"changes": changes}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
