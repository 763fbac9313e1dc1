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


FIXTURES = ROOT / "tests" / "fixtures"
FEATURES = FIXTURES / "features"


@pytest.fixture(scope="session")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bad files of tests/fixtures/bad, with a zip bomb built beside them: a 1 MB .docx
    whose document part unpacks to 80 MiB, past the reader's 64 MiB limit."""
    import shutil
    import zipfile

    folder = tmp_path_factory.mktemp("bad")
    for path in (FIXTURES / "bad").iterdir():
        shutil.copy(path, folder / path.name)
    with zipfile.ZipFile(folder / "zip-bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        with archive.open("word/document.xml", "w") as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(80):
                part.write(chunk)
    return folder


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
