from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("POLICYDIFF_CORPUS", ROOT.parent / "shared" / "corpus"))
SAMPLES = ROOT / "policies" / "social-media"
# Every file in the corpus's bad/ folder, and the words its one-line refusal must contain.
BAD_FILES = [
    ("empty.docx", "is empty"),
    ("plain-text.docx", "is not a Word document"),
    ("pdf-renamed.docx", "is a PDF"),
    ("legacy-word97.doc", "Word 97-2003"),
    ("encrypted.docx", "password-protected"),
    ("truncated.docx", "damaged or incomplete"),
    ("no-document-part.docx", "holds no Word document"),
    ("broken-xml.docx", "is damaged"),
    ("billion-laughs.docx", "unsafe"),
    ("external-entity.docx", "unsafe"),
    ("zip-bomb.docx", "zip bomb"),
]


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (set POLICYDIFF_CORPUS)")
    return CORPUS


# CI runs the same examples every time (a red run means a real regression, not a new seed);
# `HYPOTHESIS_PROFILE=explore pytest` searches afresh.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files from the output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
