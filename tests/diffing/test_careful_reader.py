"""Pairings a careful reader makes on real revisions (issue #15): each test holds one kind of
edit, with the same kind in other words, and its counterpart that must not be paired."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diffing.align import compare
from policydiff.diffing.changes import ChangeKind, SectionKind
from policydiff.diffing.inline import Op, inline_diff
from policydiff.model import Document, Section
from tests.diffing.test_align import doc, kinds

INTRO = ["This policy applies to every member of staff.", "Governors review it each year."]
AFTER = ["Records are kept securely for six years.", "Parents may ask to see their records."]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Since 2015 schools may hold asthma inhalers for emergency use under a protocol.",
            "The school keeps emergency salbutamol inhalers in the medical room.",
        ),
        (
            "Fire evacuation drills are carried out at least once a term and recorded.",
            "The Fire Safety Co-ordinator plans a full evacuation drill each term.",
        ),
        (
            "Physical Education will sometimes be taught in single sex groups.",
            "Where a subject is taught in single-sex groups, both groups get equal time.",
        ),
    ],
)
def test_a_clause_rewritten_in_its_slot_is_modified(old: str, new: str) -> None:
    before = doc((None, INTRO), ("CARE", ["Staff know the pupils in their care.", old, *AFTER]))
    after = doc((None, INTRO), ("CARE", ["Staff know the pupils in their care.", new, *AFTER]))
    assert kinds(compare(before, after)) == ["modified"]


def test_a_different_rule_in_the_same_slot_is_removed_and_added() -> None:
    before = doc(("RULES", ["Phones stay in bags.", "Staff must not smoke on the site.", *AFTER]))
    after = doc(("RULES", ["Phones stay in bags.", "Visitors sign in at reception.", *AFTER]))
    assert sorted(kinds(compare(before, after))) == ["added", "removed"]


@pytest.mark.parametrize(
    ("whole", "first", "reworded"),
    [
        (
            "Employees must observe safe working methods and report hazards to the site team "
            "immediately upon discovery.",
            "Employees must observe safe working methods.",
            "Any hazard or defect must be reported through the helpdesk as soon as it is found.",
        ),
        (
            "Staff should make an accurate record within 24 hours of the disclosure, of all that "
            "has happened, including what they have observed and when.",
            "Staff should make an accurate record within 24 hours of the disclosure.",
            "The record sets out what was seen and said, in the child's own words.",
        ),
    ],
)
def test_a_split_whose_second_piece_is_reworded_is_a_split(
    whole: str, first: str, reworded: str
) -> None:
    before = doc((None, INTRO), ("DUTIES", [whole, *AFTER]))
    after = doc((None, INTRO), ("DUTIES", [first, reworded, *AFTER]))
    (change,) = compare(before, after).changes
    assert change.kind is ChangeKind.SPLIT
    assert [r.text for r in change.new] == [first, reworded]
    # ... and swapping the revisions makes it a merge
    (merge,) = compare(after, before).changes
    assert merge.kind is ChangeKind.MERGED


def test_a_shortened_clause_beside_an_unrelated_new_one_is_not_a_split() -> None:
    before = doc(("DUTIES", ["Employees must observe safe working methods at all times.", *AFTER]))
    after = doc(
        ("DUTIES", ["Employees must observe safe working methods.", "Visitors sign in.", *AFTER])
    )
    assert sorted(kinds(compare(before, after))) == ["added", "modified"]


def test_a_clause_moved_and_half_reworded_is_moved() -> None:
    breach = (
        "Breaches of our equality policy are treated as misconduct under the disciplinary rules."
    )
    moved = "Breaches of this policy by staff are treated as misconduct and may lead to discipline."
    before = doc(
        ("AIMS", ["We value every pupil.", breach, "We promote respect."]),
        ("MONITORING", ["Governors review this policy.", "Data is analysed yearly."]),
    )
    after = doc(
        ("AIMS", ["We value every pupil.", "We promote respect."]),
        ("MONITORING", ["Governors review this policy.", "Data is analysed yearly.", moved]),
    )
    (change,) = compare(before, after).changes
    assert change.moved
    assert (change.old[0].text, change.new[0].text) == (breach, moved)


def _nested(parent: str, children: list[tuple[str, list[str]]]) -> Document:
    kids = tuple(
        Section(f"c{k}", title, 2, None, tuple(doc((title, texts)).sections[0].clauses))
        for k, (title, texts) in enumerate(children)
    )
    return Document("t", doc().metadata, (Section("p", parent, 1, None, (), kids),))


def test_a_heading_holding_only_sub_headings_renamed_is_renamed() -> None:
    children = [
        ("Age", ["We treat pupils of every age fairly."]),
        ("Race", ["Racism is reported."]),
    ]
    comparison = compare(
        _nested("Equal opportunity statements", children),
        _nested("Protected characteristics", children),
    )
    renamed = [s for s in comparison.sections if s.kind is SectionKind.RENAMED]
    assert [(s.old, s.new) for s in renamed] == [
        ("Equal opportunity statements", "Protected characteristics")
    ]


def test_identical_boilerplate_repeated_thousands_of_times_pairs_in_order() -> None:
    same = "Staff must report every concern the same day."
    before = doc(("RULES", [same] * 3000))
    after = doc(
        ("RULES", [same] * 1500 + ["Staff must report every concern at once."] + [same] * 1499)
    )
    comparison = compare(before, after)
    assert kinds(comparison) == ["modified"]
    assert comparison.unchanged == 2999


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=2, max_value=5))
def test_a_long_clause_edited_throughout_rebuilds_both_texts(seed: int, every: int) -> None:
    """Past LONG_TOKENS the edit is found another way: the spans still rebuild both sides."""
    rng = random.Random(seed)
    vocabulary = [
        "staff",
        "pupils",
        "report",
        "record",
        "consent",
        "data",
        "lead",
        "school",
        "policy",
        "review",
    ]
    words = [rng.choice(vocabulary) for _ in range(3000)]
    edited = [w if k % every else rng.choice(vocabulary) + "s" for k, w in enumerate(words)]
    old, new = " ".join(words), " ".join(edited)
    spans = inline_diff(old, new)
    assert "".join(s.text for s in spans if s.op is not Op.INSERT) == old
    assert "".join(s.text for s in spans if s.op is not Op.DELETE) == new
