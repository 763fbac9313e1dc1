"""String likeness, from rapidfuzz (C, bit-parallel): the one module that imports it. The
names are rapidfuzz's own functions, bound here, so a call costs nothing more.

- `ratio(a, b)`: 0-100, Indel-normalised similarity of two strings (fuzz.ratio);
- `token_set_ratio(a, b)`: 0-100, likeness of their sets of words (fuzz.token_set_ratio);
- `extract(query, choices, scorer=..., limit=..., score_cutoff=...)`: the best-scoring choices
  as (choice, score, index), scored in C (process.extract);
- `lcs_similarity(a, b)`: the length of the longest common subsequence (LCSseq.similarity),
  for strings or sequences of hashables;
- `indel_opcodes(a, b)`: the insert/delete edit of `a` into `b` (Indel.opcodes);
- `osa_distance(a, b)`: optimal string alignment distance, a transposition counting as one
  edit (OSA.distance).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel, LCSseq

ratio = fuzz.ratio
token_set_ratio = fuzz.token_set_ratio
extract = process.extract
lcs_similarity = LCSseq.similarity
indel_opcodes = Indel.opcodes
osa_distance = OSA.distance

__all__ = [
    "extract",
    "indel_opcodes",
    "lcs_similarity",
    "osa_distance",
    "ratio",
    "token_set_ratio",
]
