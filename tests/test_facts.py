"""What a policy says about itself (policydiff.facts): its version, when and by whom it was
approved, and when it is next reviewed, as schools write them in control tables, footers and
text; and dates as schools write them."""

from __future__ import annotations

from datetime import date

import pytest

from policydiff.facts import find_facts, parse_date, parse_period

SEP = " | "  # how a document-control table's row reads


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Version" + SEP + "3.1"], {"version": "3.1"}),
        (["Version number: 4"], {"version": "4"}),
        (
            ["Policy version v2.0a, approved 1 May 2024"],
            {"version": "v2.0a", "approved": "1 May 2024"},
        ),
        (["Date approved" + SEP + "12 March 2024"], {"approved": "12 March 2024"}),
        (["Approved by" + SEP + "Full Governing Body"], {"approved_by": "Full Governing Body"}),
        (
            ["Approved by the Full Governing Body on 12/03/2024"],
            {"approved": "12/03/2024", "approved_by": "the Full Governing Body"},
        ),
        (["Next review date" + SEP + "March 2025"], {"next_review": "March 2025"}),
        (["To be reviewed: Autumn term 2025"], {"next_review": "Autumn term 2025"}),
        (["Review due 2026-09-01"], {"next_review": "2026-09-01"}),
        (["Next review: 09/2025"], {"next_review": "09/2025"}),
    ],
)
def test_facts_are_found_where_schools_state_them(
    texts: list[str], expected: dict[str, str]
) -> None:
    found = find_facts(texts)
    for name, value in expected.items():
        assert found.get(name) == value, name


@pytest.mark.parametrize(
    "text",
    [
        "Staff must review the guidance each term.",  # "review" without a date
        "This version of events was disputed.",  # "version" without a number
        "Pupils should be approved for trips by parents.",  # no date after "approved"
    ],
)
def test_prose_that_mentions_the_words_is_not_a_fact(text: str) -> None:
    assert find_facts([text]) == {}


def test_the_first_statement_wins_in_the_order_given() -> None:
    found = find_facts(["Version" + SEP + "5", "Version 4 (superseded)"])
    assert found["version"] == "5"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("12 March 2024", date(2024, 3, 12), date(2024, 3, 12)),
        ("March 12, 2024", date(2024, 3, 12), date(2024, 3, 12)),
        ("12th March 2024", date(2024, 3, 12), date(2024, 3, 12)),
        ("2024-03-12", date(2024, 3, 12), date(2024, 3, 12)),
        ("12/03/2024", date(2024, 3, 12), date(2024, 3, 12)),  # day first, as in the UK
        ("12.03.24", date(2024, 3, 12), date(2024, 3, 12)),
        ("March 2024", date(2024, 3, 1), date(2024, 3, 31)),
        ("Feb 2024", date(2024, 2, 1), date(2024, 2, 29)),  # a leap year's February
        ("Autumn term 2025", date(2025, 9, 1), date(2025, 12, 31)),
        ("Autumn 2025", date(2025, 9, 1), date(2025, 12, 31)),
        ("Spring 2025", date(2025, 1, 1), date(2025, 4, 17)),  # Easter Sunday 20 April 2025
        ("spring term 2027", date(2027, 1, 1), date(2027, 3, 31)),  # Easter 28 March 2027
        ("Summer term 2025", date(2025, 4, 18), date(2025, 7, 31)),
        ("09/2025", date(2025, 9, 1), date(2025, 9, 30)),
        ("9/2025", date(2025, 9, 1), date(2025, 9, 30)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_dates_as_schools_write_them(text: str, first: date, last: date) -> None:
    assert parse_period(text) == (first, last)
    assert parse_date(text) == first


@pytest.mark.parametrize(
    "text", ["", None, "soon", "31/02/2024", "Smarch 2024", "13/13/2024", "13/2025", "Winter 2025"]
)
def test_what_is_not_a_date_is_none(text: str | None) -> None:
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
     (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22))],
)  # fmt: skip
def test_easter_falls_where_the_calendar_puts_it(year: int, sunday: date) -> None:
    from policydiff.facts import easter

    assert easter(year) == sunday
