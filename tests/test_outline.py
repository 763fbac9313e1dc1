"""The outline's text helpers: folding white space has a fast path that must agree with the
plain definition for every text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policydiff.outline import (
    _TYPED_BULLET,
    _TYPED_LABEL,
    fold,
    split_typed_label,
    strip_typed_bullet,
    words,
)

SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000"
TEXTS = st.text(alphabet=st.sampled_from(SPACES) | st.characters(), max_size=60)
ASCII_TEXTS = st.text(
    alphabet=st.sampled_from(SPACES[:10]) | st.characters(max_codepoint=127), max_size=60
)


@given(TEXTS | ASCII_TEXTS)
def test_fold_is_split_and_join(text: str) -> None:
    assert fold(text) == " ".join(text.split())


@given(TEXTS)
def test_words_of_folded_text_is_split(text: str) -> None:
    folded = fold(text)
    assert words(folded) == len(folded.split())


LABELISH = st.text(alphabet="0123456789.()ivxIVXabAB \t\u00a0-•*Staff must", max_size=14)


@given(LABELISH | TEXTS)
def test_label_and_bullet_shortcuts_agree_with_the_patterns(text: str) -> None:
    match = _TYPED_LABEL.match(text)
    expected = (None, text) if match is None else (match.group("label"), text[match.end() :])
    assert split_typed_label(text) == expected
    bullet = _TYPED_BULLET.match(text)
    assert strip_typed_bullet(text) == (
        (False, text) if bullet is None else (True, text[bullet.end() :])
    )
