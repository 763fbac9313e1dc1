"""`make thresholds [SETS="DIR/*/ ..."]`: each tunable of the aligner moved down and up by a fifth, one at a time,
and the mean precision and recall on the shared sets measured again (the real annual-review
pairs, the corpus pairs and the sample policy's history), so that every threshold in the
README's table is justified by a figure anyone can rerun. Scoring is the shared scorer's own
(`../shared/tools/score_diff.py`), run in this process on the diff's JSON.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from policydiff.diffing import align, tunables
from policydiff.diffing.export import to_json
from policydiff.readers.docx import read_docx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TUNABLES = [
    "LOCAL_WORD_DICE", "LOCAL_CHAR_RATIO", "LOCAL_COVER", "GLOBAL_WORD_DICE", "GLOBAL_CHAR_RATIO",
    "SPLIT_RATIO", "PIECE_COVER", "LONE_WORD_DICE", "TRUNCATED", "MIN_RESIDUE", "MOVED_COVER",
    "MOVED_RARE", "MOVED_DICE", "STEM", "RARE_IN_SECTIONS", "MAX_SLOT",
]  # fmt: skip


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_diff", SHARED / "tools" / "score_diff.py")
    if spec is None or spec.loader is None:
        raise SystemExit("the shared scorer is not at ../shared/tools/score_diff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pairs(scorer: Any, extra: list[str]) -> list[tuple[str, Any, Any, dict[str, Any]]]:
    folders = [SHARED / "corpus" / "bartons", *sorted((SHARED / "corpus" / "real").glob("*/"))]
    folders += sorted((SHARED / "corpus" / "pairs").glob("*/"))
    folders += [Path(f) for f in extra]  # more pair folders, as the scorer takes them
    out = []
    for name, old, new, truth in scorer.pairs([str(f) for f in folders if f.is_dir()]):
        if Path(truth).exists():
            data = json.loads(Path(truth).read_text())
            out.append((name, read_docx(old).value, read_docx(new).value, data))
    return out


def _score(scorer: Any, pairs: list[tuple[str, Any, Any, dict[str, Any]]]) -> tuple[float, float]:
    precisions, recalls = [], []
    for _, old, new, truth in pairs:
        report = to_json(align.compare(old, new), "old", "new")
        want = [
            scorer.key_truth(t) for t in truth["changes"] if not t["kind"].startswith("section-")
        ]
        got = [scorer.key_report(c) for c in report["changes"]]
        left, hit = list(got), 0
        for w in want:
            if w in left:
                left.remove(w)
                hit += 1
        recalls.append(hit / len(want) if want else 1.0)
        precisions.append(hit / len(got) if got else (1.0 if not want else 0.0))
    return sum(precisions) / len(precisions), sum(recalls) / len(recalls)


def main() -> None:
    scorer = _scorer()
    pairs = _pairs(scorer, sys.argv[1:])
    base = _score(scorer, pairs)
    print(f"{len(pairs)} pairs (clause changes; section renames not counted here)")
    print(f"{'as set':<22} precision {base[0]:.3f} recall {base[1]:.3f}")
    for name in TUNABLES:
        value = getattr(tunables, name)
        cells = []
        for factor in (0.8, 1.2):
            moved = type(value)(round(value * factor)) if isinstance(value, int) else value * factor
            if moved == value:
                moved = value + (-1 if factor < 1 else 1)
            setattr(tunables, name, moved)
            precision, recall = _score(scorer, pairs)
            cells.append(f"{moved:>6g}: {precision:.3f}/{recall:.3f}")
        setattr(tunables, name, value)
        print(f"{name:<22} {value:>6g} | " + " | ".join(cells))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
