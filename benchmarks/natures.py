"""Time what natures, sentences and cross-references add to one comparison (#21): prints the
seconds they take, beyond `compare`, for the pair in the folder given."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from policydiff.diffing.align import compare
from policydiff.diffing.nature import natures
from policydiff.diffing.references import references
from policydiff.readers.docx import read_docx


def main() -> None:
    pair = Path(sys.argv[1])
    comparison = compare(read_docx(pair / "old.docx").value, read_docx(pair / "new.docx").value)
    start = time.perf_counter()
    natures(comparison)
    references(comparison)
    print(f"{time.perf_counter() - start:.4f}")


if __name__ == "__main__":
    main()
