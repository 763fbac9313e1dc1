from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diffing.align import compare
from policydiff.diffing.changes import ChangeKind, Comparison, SectionKind
from policydiff.diffing.inline import Op
from policydiff.model import Clause, ClauseKind, Document, Metadata, Section


def doc(*sections: tuple[str | None, list[str]], labels: bool = False) -> Document:
    """A document from (title, [clause texts]); labels number the clauses 1, 2, 3..."""
    built = []
    count = 0
    for k, (title, clauses) in enumerate(sections):
        items = []
        for text in clauses:
            count += 1
            items.append(
                Clause(f"c{count}", str(count) if labels else None, text, ClauseKind.PARAGRAPH)
            )
        built.append(Section(f"s{k}", title, 0 if title is None else 1, None, tuple(items)))
    return Document("test", Metadata(), tuple(built))


def kinds(comparison: Comparison) -> list[str]:
    return [c.kind.value + ("+moved" if c.moved else "") for c in comparison.changes]


POLICY = [
    (None, ["This policy applies to all staff.", "It is reviewed every year by governors."]),
    (
        "SAFEGUARDING",
        [
            "Concerns are reported to the Designated Safeguarding Lead.",
            "Staff must not contact pupils through personal accounts.",
            "Records are kept securely for six years.",
        ],
    ),
    ("DATA PROTECTION", ["Personal data is processed under the Data Protection Act 1998."]),
]


def test_a_document_compared_with_itself_has_no_changes() -> None:
    comparison = compare(doc(*POLICY), doc(*POLICY))
    assert comparison.changes == ()
    assert comparison.unchanged == 6
    assert {s.kind for s in comparison.sections} == {SectionKind.UNCHANGED}


def test_renumbering_alone_is_not_a_change() -> None:
    old = doc(*POLICY, labels=True)
    new_sections = [(None, ["A new opening sentence for everyone."] + POLICY[0][1]), *POLICY[1:]]
    comparison = compare(old, doc(*new_sections, labels=True))
    assert kinds(comparison) == ["added"]
    assert comparison.renumbered == 6


def test_a_word_edit_is_modified_with_an_inline_diff() -> None:
    new = [*POLICY[:2], ("DATA PROTECTION", [POLICY[2][1][0].replace("1998", "2018")])]
    comparison = compare(doc(*POLICY), doc(*new))
    (change,) = comparison.changes
    assert change.kind is ChangeKind.MODIFIED
    assert not change.moved
    assert [(s.op, s.text) for s in change.inline if s.op is not Op.EQUAL] == [
        (Op.DELETE, "1998"),
        (Op.INSERT, "2018"),
    ]


def test_a_clause_moved_to_another_section_is_moved_and_an_edited_one_too() -> None:
    moved = POLICY[1][1][2]
    new = [
        POLICY[0],
        ("SAFEGUARDING", POLICY[1][1][:2]),
        ("DATA PROTECTION", [*POLICY[2][1], moved]),
    ]
    assert kinds(compare(doc(*POLICY), doc(*new))) == ["moved+moved"]
    edited = [*new[:2], ("DATA PROTECTION", [*POLICY[2][1], moved.replace("six", "seven")])]
    assert kinds(compare(doc(*POLICY), doc(*edited))) == ["modified+moved"]


def test_a_split_and_a_merge_are_recognised() -> None:
    whole = "Staff must lock their screens. Passwords are never shared with anyone."
    old = doc(("SECURITY", [whole, "Visitors sign in at the office."]))
    new = doc(
        (
            "SECURITY",
            [
                "Staff must lock their screens.",
                "Passwords are never shared with anyone.",
                "Visitors sign in at the office.",
            ],
        )
    )
    assert kinds(compare(old, new)) == ["split"]
    assert kinds(compare(new, old)) == ["merged"]


def test_a_renamed_section_is_renamed_not_removed_and_added() -> None:
    new = [POLICY[0], ("SAFEGUARDING AND CHILD PROTECTION", POLICY[1][1]), POLICY[2]]
    comparison = compare(doc(*POLICY), doc(*new))
    assert comparison.changes == ()
    renamed = [s for s in comparison.sections if s.kind is SectionKind.RENAMED]
    assert [(s.old, s.new) for s in renamed] == [
        ("SAFEGUARDING", "SAFEGUARDING AND CHILD PROTECTION")
    ]


def test_an_unrelated_replacement_is_removed_and_added_not_modified() -> None:
    old = doc(("RULES", ["Staff should not choose the school as their place of employment."]))
    new = doc(("RULES", ["Staff should not post images of pupils on personal accounts."]))
    assert sorted(kinds(compare(old, new))) == ["added", "removed"]


# -- invariants, on random documents and random edits ------------------------------------------

WORDS = st.sampled_from(
    [
        "staff",
        "pupils",
        "governors",
        "must",
        "should",
        "not",
        "data",
        "policy",
        "school",
        "review",
        "report",
        "safe",
        "the",
        "a",
        "of",
        "and",
        "to",
        "in",
        "with",
        "records",
        "parents",
        "online",
        "devices",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
TITLES = ["SCOPE", "DATA", "SAFETY", "REVIEW", "ROLES", "TRAINING"]


@st.composite
def policy_sections(draw: st.DrawFn) -> list[tuple[str | None, list[str]]]:
    """An untitled opening (perhaps empty), then sections with distinct titles."""
    titles = draw(st.lists(st.sampled_from(TITLES), unique=True, max_size=5))
    return [(title, draw(st.lists(SENTENCE, max_size=6))) for title in [None, *titles]]


SECTIONS = policy_sections()


def _numbered(sections: list[tuple[str | None, list[str]]]) -> list[tuple[str | None, list[str]]]:
    """Every clause made distinct, as in a real policy (repeated boilerplate aside)."""
    counter = iter(range(10_000))
    return [(t, [f"{text[:-1]} rule{next(counter)}." for text in cs]) for t, cs in sections]


@st.composite
def edited(draw: st.DrawFn, distinct: bool = False) -> tuple[Document, Document]:
    sections = draw(SECTIONS)
    if distinct:
        sections = _numbered(sections)
    new_sections: list[tuple[str | None, list[str]]] = []
    for title, clauses in sections:
        out = []
        for text in clauses:
            action = draw(st.sampled_from(["keep", "keep", "edit", "drop", "split", "add"]))
            if action == "keep":
                out.append(text)
            elif action == "edit":
                out.append(text[:-1] + " " + draw(WORDS) + ".")
            elif action == "split":
                out.extend([text, draw(SENTENCE)[:-1] + f" new{len(out)}."])
            elif action == "add":
                out.extend([draw(SENTENCE)[:-1] + f" added{len(out)}.", text])
        if draw(st.booleans()) and out:
            out.insert(draw(st.integers(0, len(out) - 1)), out.pop())
        new_sections.append((title, out))
    if draw(st.booleans()):
        new_sections[1:] = reversed(new_sections[1:])  # the opening stays first
    return doc(*sections), doc(*new_sections)


def _appearances(comparison: Comparison) -> tuple[Counter[str], Counter[str]]:
    old_seen: Counter[str] = Counter()
    new_seen: Counter[str] = Counter()
    for change in comparison.changes:
        old_seen.update(r.id for r in change.old)
        new_seen.update(r.id for r in change.new)
    return old_seen, new_seen


@settings(max_examples=150, deadline=None)
@given(edited())
def test_every_clause_appears_once_either_changed_or_unchanged(
    pair: tuple[Document, Document],
) -> None:
    old, new = pair
    comparison = compare(old, new)
    old_seen, new_seen = _appearances(comparison)
    assert all(n == 1 for n in old_seen.values())
    assert all(n == 1 for n in new_seen.values())
    n_old = sum(1 for _ in old.clauses())
    n_new = sum(1 for _ in new.clauses())
    # Unchanged pairs are the clauses no change mentions, the same number on both sides.
    assert n_old - len(old_seen) == comparison.unchanged == n_new - len(new_seen)


@settings(max_examples=150, deadline=None)
@given(SECTIONS)
def test_a_document_against_itself_is_all_unchanged(
    sections: list[tuple[str | None, list[str]]],
) -> None:
    comparison = compare(doc(*sections), doc(*sections))
    assert comparison.changes == ()
    assert comparison.unchanged == sum(len(c) for _, c in sections)


@settings(max_examples=150, deadline=None)
@given(edited(distinct=True))
def test_swapping_old_and_new_swaps_added_removed_and_split_merged(
    pair: tuple[Document, Document],
) -> None:
    old, new = pair
    forward = Counter(c.kind for c in compare(old, new).changes)
    backward = Counter(c.kind for c in compare(new, old).changes)
    swap = {
        ChangeKind.ADDED: ChangeKind.REMOVED,
        ChangeKind.REMOVED: ChangeKind.ADDED,
        ChangeKind.SPLIT: ChangeKind.MERGED,
        ChangeKind.MERGED: ChangeKind.SPLIT,
    }
    assert Counter({swap.get(k, k): n for k, n in forward.items()}) == backward


@settings(max_examples=100, deadline=None)
@given(edited())
def test_inline_diffs_rebuild_both_texts(pair: tuple[Document, Document]) -> None:
    for change in compare(*pair).changes:
        if change.kind is ChangeKind.MODIFIED:
            old_text = "".join(s.text for s in change.inline if s.op is not Op.INSERT)
            new_text = "".join(s.text for s in change.inline if s.op is not Op.DELETE)
            assert (old_text, new_text) == (change.old[0].text, change.new[0].text)
