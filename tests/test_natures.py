"""The nature of each change (#21): substantive or editorial, with a sentence from the diff.

A table of clause pairs, each with the nature a governor must be told and words its sentence
must hold; the subtle ones stay substantive. Then added and removed clauses, cross-references
renumbered to follow their targets, names the policy defines, and whole comparisons.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diffing.align import compare
from policydiff.diffing.nature import EDITORIAL, SUBSTANTIVE, Context, _compare, natures
from policydiff.model import Clause, ClauseKind, Document, Metadata, Section

S, E = SUBSTANTIVE, EDITORIAL
NONE = Context(frozenset(), {})

# (old, new, nature, words the sentence must hold)
TABLE = [
    # duties
    ("Staff should report concerns to the DSL.", "Staff must report concerns to the DSL.", S,
     "this is now a requirement"),
    ("Staff must report concerns to the DSL.", "Staff should report concerns to the DSL.", S,
     "no longer a requirement"),
    ("Parents may request a meeting.", "Parents will be offered a meeting.", S, "becomes"),
    ("Governors are expected to attend training.", "Governors are required to attend training.",
     S, "a requirement"),
    ("Pupils can bring phones to school.", "Pupils may bring phones to school.", S, ""),
    ("The school will inform parents.", "The school may inform parents.", S, "a permission"),
    ("Staff are encouraged to use school email.", "Staff must use school email.", S,
     "a requirement"),
    ("Visitors shall sign in.", "Visitors must sign in.", E, ""),
    # negation
    ("Staff should share passwords with IT support.", "Staff should not share passwords.", S,
     "turned around"),
    ("Phones may be used in classrooms.", "Phones may not be used in classrooms.", S,
     "turned around"),
    ("Pupils must never leave the site.", "Pupils must leave the site only with permission.", S,
     ""),
    # numbers, deadlines, ages, amounts, frequencies, units
    ("A response will be sent within 10 school days.", "A response will be sent within 15 school days.",
     S, "'within 10 school days' becomes 'within 15 school days'"),
    ("within 10 school days", "within ten school days", E, ""),
    ("within 10 school days", "within 10 working days", S, "working"),
    ("Pupils aged 11 and over may use the library.", "Pupils aged 12 and over may use the library.",
     S, "12"),
    ("The fee is £5 per session.", "The fee is £7.50 per session.", S, "£7.50"),
    ("The policy is reviewed annually.", "The policy is reviewed every two years.", S, ""),
    ("The policy is reviewed annually.", "The policy is reviewed every year.", E, ""),
    ("Records are kept for 6 years.", "Records are kept for 6 months.", S, "months"),
    ("Attendance below 90% is persistent absence.", "Attendance below 90 per cent is persistent absence.",
     E, ""),
    ("Complaints must be made within 3 months.", "Complaints must be made within 3 months of the incident.",
     S, "of the incident"),
    ("The deadline is 31 March 2024.", "The deadline is 30 April 2024.", S, "30 April"),
    ("Report immediately.", "Report within 24 hours.", S, "24 hours"),
    ("Checks are made termly.", "Checks are made each term.", E, ""),
    # who: roles, bodies, people
    ("Concerns go to the headteacher.", "Concerns go to the deputy headteacher.", S, "deputy"),
    ("The DSL will refer to children's social care.", "The DSL will refer to the police.", S,
     ""),
    ("Appeals are heard by the governing board.", "Appeals are heard by a panel of governors.",
     S, ""),
    ("Contact Mrs Smith, the school business manager.", "Contact Mr Jones, the school business manager.",
     S, ""),
    ("The head teacher will decide.", "The headteacher will decide.", E, ""),
    # scope
    ("Staff must complete training.", "All staff must complete training.", S, "All staff"),
    ("Parents will be informed.", "Parents and carers will be informed.", S, "carers"),
    ("Any pupil may apply.", "Only year 11 pupils may apply.", S, ""),
    ("Every visitor must sign in.", "Some visitors must sign in.", S, ""),
    ("This applies to pupils.", "This applies to pupils and visitors.", S, "visitors"),
    # laws, guidance, documents
    ("Data is processed under the Data Protection Act 1998.",
     "Data is processed under the Data Protection Act 2018.", S,
     "The reference to the Data Protection Act 1998 is updated to the Data Protection Act 2018"),
    ("Staff follow KCSIE 2023.", "Staff follow KCSIE 2024.", S, ""),
    ("See the Behaviour Policy.", "See the Anti-Bullying Policy.", S, "Anti-Bullying Policy"),
    ("as set out in Working Together to Safeguard Children 2018",
     "as set out in Working Together to Safeguard Children 2023", S, "2023"),
    ("Follow the Equality Act 2010.", "Follow the Equality Act 2010 and the Human Rights Act 1998.",
     S, "Human Rights Act 1998"),
    # editorial: punctuation, capitals, spacing, spelling, order
    ("Staff must report concerns.", "Staff must report concerns", E, "punctuation"),
    ("staff must report concerns to the dsl", "Staff must report concerns to the DSL.", E,
     "capitals"),
    ("The school will recieve complaints.", "The school will receive complaints.", E, "spelling"),
    ("We will organise training.", "We will organize training.", E, "spelling"),
    ("Pupils must behave respectfuly.", "Pupils must behave respectfully.", E, "spelling"),
    ("In an emergency, staff must call 999.", "Staff must call 999 in an emergency.", E, "moved"),
    # two words swapped change what it says, whatever words they are
    ("Hand phones in at the start of the day and collect them at the end.",
     "Hand phones in at the end of the day and collect them at the start.", S, ""),
    ("Energy drinks are banned and water bottles allowed.",
     "Energy drinks are allowed and water bottles banned.", S, ""),
    # a name is not a respelling
    ("Contact Mrs Smyth, the DSL.", "Contact Mrs Smith, the DSL.", S, "Mrs Smith"),
    ("Staff  must   report.", "Staff must report.", E, ""),
    ("It is the DSL’s role.", "It is the DSL's role.", E, ""),
    ("Records are stored securely, in line with GDPR.", "Records are stored securely in line with GDPR.",
     E, ""),
    # order that changes meaning stays substantive
    ("Staff must inform parents.", "Parents must inform staff.", S, ""),
    ("Pupils report to teachers.", "Teachers report to pupils.", S, ""),
    ("Within 10 days, 5 copies are sent.", "Within 5 days, 10 copies are sent.", S, ""),
    # a respelling that is a different word stays substantive
    ("Staff may leave early.", "Staff may leave earlier.", S, ""),
    ("The form must be signed.", "The form must be sighted.", S, ""),
    ("Staff must be trained.", "Staff must be retrained.", S, ""),
    ("The risk is low.", "The risk is lower.", S, ""),
    # the same words written another way (second trial, #21)
    ("Pupils must not bring phones into examinations.",
     "Pupils mustn't bring phones into examinations.", E, ""),
    ("Staff will not share passwords.", "Staff won't share passwords.", E, ""),
    ("Staff cannot leave pupils alone.", "Staff can't leave pupils alone.", E, ""),
    ("Staff must not share passwords.", "Staff mustn't share passwords or log-ins.", S, "log-ins"),
    ("Resits are arranged by the exams officer.", "Re-sits are arranged by the exams officer.",
     E, ""),
    ("The SENCO will co-ordinate support.", "The SENCO will coordinate support.", E, ""),
    ("Drinks are sold in the café.", "Drinks are sold in the cafe.", E, ""),
    ("The trip costs £5.", "The trip costs £5.00.", E, ""),
    ("The trip costs £5.", "The trip costs £5.50.", S, "£5.50"),
    ("Term starts on 1 September.", "Term starts on 1st September.", E, ""),
    ("Term starts on 1 September.", "Term starts on 2nd September.", S, ""),
    ("Registers are checked fortnightly.", "Registers are checked every two weeks.", E, ""),
    ("Report concerns as soon as posible.", "Report concerns as soon as possible.", E, "spelling"),
    ("Staff must follow safegaurding procedures.", "Staff must follow safeguarding procedures.",
     E, "spelling"),
    ("Long hair must be tied back at all times for health and safety reasons.",
     "For health and safety reasons, long hair must be tied back at all times.", E, "moved"),
    ("Staff follow KCSIE 2023 and Working Together to Safeguard Children 2018.",
     "Staff follow KCSIE 2024 and Working Together to Safeguard Children 2023.", S,
     "The references to the KCSIE 2023 and the Working Together to Safeguard Children 2018 are "
     "updated to the KCSIE 2024 and the Working Together to Safeguard Children 2023"),
    ("Pupils may be absent for 1-2 days.", "Pupils may be absent for 12 days.", S, "12 days"),
    ("Staff are required to complete training.", "Staff must complete training.", E, ""),
    ("The fee is £7.50.", "The fee is £750.", S, "£750"),
    ("Pupils are non-uniform on Fridays.", "Pupils are uniform on Fridays.", S, ""),
    # spurious reasons: a review cycle is not who a clause applies to
    ("The policy is reviewed every two years.", "The policy is reviewed every year.", S, ""),
    # wording changes that no rule reads: substantive, said in words
    ("Incidents are logged on CPOMS.", "Incidents are logged on MyConcern.", S, "MyConcern"),
    ("Bullying will be challenged.", "Bullying will be challenged and recorded.", S, "recorded"),
    ("Lessons include online safety.", "Lessons include online safety and AI.", S, "AI"),
    ("Pupils are supervised at lunch.", "Pupils are supervised at lunch and break.", S, "break"),
    ("The school keeps a log.", "The school keeps a central log.", S, "central"),
    ("Photos are taken for the website.", "Photos are taken for the website and social media.", S,
     "social media"),
    ("Meetings are minuted.", "Meetings are minuted and the minutes published.", S, "published"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "nature", "said"), TABLE)
def test_each_change_has_its_nature_and_a_sentence_from_the_diff(
    old: str, new: str, nature: str, said: str
) -> None:
    found = _compare(old, new, NONE)
    assert found.nature == nature, (old, new, found)
    assert said in found.sentence, found.sentence
    assert found.reasons


def test_the_table_is_large_and_mixed() -> None:
    assert len(TABLE) >= 60
    assert sum(n == E for _, _, n, _ in TABLE) >= 15


def _doc(*clauses: tuple[str | None, str], defines: str = "") -> Document:
    items = tuple(
        Clause(f"c{k}", label, text, ClauseKind.PARAGRAPH)
        for k, (label, text) in enumerate(clauses)
    )
    opening = (Clause("d", None, defines, ClauseKind.PARAGRAPH),) if defines else ()
    return Document("t.docx", Metadata(), (Section("s", "Procedure", 1, "1", opening + items),))


def test_a_name_the_policy_defines_as_the_same_is_editorial() -> None:
    defines = "The Designated Safeguarding Lead (DSL) leads on safeguarding."
    old = _doc(("1.1", "Staff report to the Designated Safeguarding Lead."), defines=defines)
    new = _doc(("1.1", "Staff report to the DSL."), defines=defines)
    (nature,) = natures(compare(old, new))
    assert nature.nature == E
    assert "defines as the same" in nature.reasons[0]
    undefined = natures(compare(_doc(("1.1", "Staff report to the Designated Safeguarding Lead.")),
                                _doc(("1.1", "Staff report to the DSL."))))  # fmt: skip
    assert [n.nature for n in undefined] == [S]  # (not defined: not known to be the same)


def test_an_added_clause_is_said_as_what_it_requires() -> None:
    old = _doc(("1.1", "Staff follow this policy."))
    new = _doc(("1.1", "Staff follow this policy."),
               ("1.2", "Staff must report concerns to the Designated Safeguarding Lead without delay."))  # fmt: skip
    (nature,) = natures(compare(old, new))
    assert nature.nature == S
    assert nature.sentence == (
        "A new clause requires staff to report concerns to the Designated Safeguarding Lead "
        "without delay."
    )


def test_a_removed_clause_is_substantive() -> None:
    old = _doc(("1.1", "Staff follow this policy."), ("1.2", "Pupils may use phones at break."))
    (nature,) = natures(compare(old, _doc(("1.1", "Staff follow this policy."))))
    assert nature.nature == S
    assert "Pupils may use phones at break" in nature.sentence


def test_a_cross_reference_renumbered_with_its_target_is_editorial() -> None:
    """A clause inserted early renumbers the rest; a reference that follows its target is
    wording, one that does not is not."""
    old = _doc(("1.1", "Staff follow this policy."), ("1.2", "Report concerns as in 1.3."),
               ("1.3", "Concerns go to the DSL."), ("1.4", "See paragraph 1.3 above."))  # fmt: skip
    new = _doc(("1.1", "Staff follow this policy."), ("1.2", "A new first step."),
               ("1.3", "Report concerns as in 1.3."), ("1.4", "Concerns go to the DSL."),
               ("1.5", "See paragraph 1.4 above."))  # fmt: skip
    comparison = compare(old, new)
    by_text = {
        " ".join(r.text for r in c.new): n
        for c, n in zip(comparison.changes, natures(comparison), strict=True)
    }
    followed = by_text["See paragraph 1.4 above."]
    assert followed.nature == E
    assert "renumbered to follow its target" in followed.reasons[0]


def _policy(*sections: tuple[str, str, list[tuple[str, str]]]) -> Document:
    return Document("t.docx", Metadata(), tuple(
        Section(f"s{k}", title, 1, label, tuple(
            Clause(f"s{k}c{n}", cl, text, ClauseKind.PARAGRAPH)
            for n, (cl, text) in enumerate(clauses)))
        for k, (label, title, clauses) in enumerate(sections)))  # fmt: skip


def test_a_reference_left_behind_when_clauses_were_inserted_early_is_reported_alone() -> None:
    """A section inserted early renumbers the rest: the references updated to follow their
    targets are right (and editorial); the one left as it was is reported, with what it
    should read."""
    from policydiff.diffing.references import references

    old = _policy(
        ("1", "Aims", [("1.1", "This policy protects pupils.")]),
        ("2", "Reporting", [("2.1", "Staff report concerns to the DSL."),
                            ("2.2", "The DSL decides on referral, as set out in paragraph 3.1.")]),
        ("3", "Referral", [("3.1", "Referrals are made to children's social care."),
                           ("3.2", "See section 2 for how concerns are reported."),
                           ("3.3", "Records follow paragraph 2.1.")]),
    )  # fmt: skip
    new = _policy(
        ("1", "Aims", [("1.1", "This policy protects pupils.")]),
        ("2", "Definitions", [("2.1", "A concern is any worry about a pupil's welfare.")]),
        ("3", "Reporting", [("3.1", "Staff report concerns to the DSL."),
                            ("3.2", "The DSL decides on referral, as set out in paragraph 4.1.")]),
        ("4", "Referral", [("4.1", "Referrals are made to children's social care."),
                           ("4.2", "See section 3 for how concerns are reported."),
                           ("4.3", "Records follow paragraph 2.1.")]),
    )  # fmt: skip
    comparison = compare(old, new)
    (found,) = references(comparison)
    assert (found.label, found.text, found.should_read) == ("4.3", "paragraph 2.1", "3.1")
    followed = {
        " ".join(r.text for r in c.new): n
        for c, n in zip(comparison.changes, natures(comparison), strict=True)
    }
    assert followed["The DSL decides on referral, as set out in paragraph 4.1."].nature == E
    assert followed["See section 3 for how concerns are reported."].nature == E


def test_another_documents_sections_are_not_this_policys() -> None:
    from policydiff.diffing.references import dangling

    document = _policy(("1", "Duty", [("1.1", "We meet section 149 of the Equality Act 2010."),
                                      ("1.2", "See section 7 for complaints.")]))  # fmt: skip
    assert [r.text for r in dangling(document)] == ["section 7"]


def test_the_json_contract_carries_natures_and_references() -> None:
    old = _policy(("1", "A", [("1.1", "Staff should report."), ("1.2", "See paragraph 1.1.")]))
    new = _policy(("1", "A", [("1.1", "New first clause."), ("1.2", "Staff must report."),
                              ("1.3", "See paragraph 1.1.")]))  # fmt: skip
    data = compare(old, new).to_dict()
    for change in data["changes"]:
        assert change["nature"] in (S, E)
        assert change["reasons"]
        assert change["sentence"]
    assert [r["reference"] for r in data["references"]] == ["paragraph 1.1"]
    assert data["references"][0]["should_read"] == "1.2"


def test_check_names_a_stale_reference_against_the_revision_before() -> None:
    from datetime import date

    from policydiff.rules.checks import check
    from policydiff.rules.load import load_profile

    old = _policy(("1", "A", [("1.1", "Staff should report."), ("1.2", "See paragraph 1.1.")]))
    new = _policy(("1", "A", [("1.1", "New first clause."), ("1.2", "Staff must report."),
                              ("1.3", "See paragraph 1.1.")]))  # fmt: skip
    day = date(2024, 6, 1)
    result = check("t", new, load_profile(), day, day, previous=old)
    (finding,) = [f for f in result.findings if f.rule.startswith("cross-reference/")]
    assert "should probably read 1.2" in finding.message
    alone = check("t", new, load_profile(), day, day)  # (alone: 1.1 exists, nothing to say)
    assert not [f for f in alone.findings if f.rule.startswith("cross-reference/")]


def test_a_policy_named_that_the_store_does_not_hold_is_reported() -> None:
    from policydiff.diffing.references import other_policies

    document = _policy(("1", "Links", [
        ("1.1", "Read this with the Behaviour Policy and the Staff Code of Conduct."),
        ("1.2", "Concerns follow the Complaints Procedure."),
    ]))  # fmt: skip
    held = ["Behaviour Policy", "Complaints Procedure 2024"]
    assert [r.text for r in other_policies(document, held)] == ["Staff Code of Conduct"]


def test_a_reference_changed_to_the_wrong_number_is_reported() -> None:
    """Updated, but not to its target's new number: "paragraph 2.1" made "2.2" when 2.1 stayed
    2.1 (or made "4.2" when its target became 4.1)."""
    from policydiff.diffing.references import references

    old = _policy(("1", "A", [("1.1", "Report as in paragraph 2.1.")]),
                  ("2", "B", [("2.1", "Concerns go to the DSL."), ("2.2", "Records are kept.")]))  # fmt: skip
    new = _policy(("1", "A", [("1.1", "Report as in paragraph 2.2.")]),
                  ("2", "B", [("2.1", "Concerns go to the DSL."), ("2.2", "Records are kept.")]))  # fmt: skip
    (found,) = references(compare(old, new))
    assert (found.text, found.should_read) == ("paragraph 2.2", "2.1")


def test_an_appendix_relettered_is_followed_and_a_reference_left_behind_is_reported() -> None:
    """A new Appendix B put before the old one makes it Appendix C: a reference updated to C
    is editorial; one left at B now points at the new appendix, and is reported (second
    trial, #21)."""
    from policydiff.diffing.references import references

    body = ("1", "Use", [("1.1", "Staff sign the agreement in Appendix B."),
                         ("1.2", "Visitors sign the agreement in Appendix B.")])  # fmt: skip
    old = _policy(body, ("", "Appendix A: filtering", [("", "Filtering is reviewed.")]),
                  ("", "Appendix B: staff agreement", [("", "I will use school devices safely.")]))  # fmt: skip
    new = _policy(
        ("1", "Use", [("1.1", "Staff sign the agreement in Appendix C."),
                      ("1.2", "Visitors sign the agreement in Appendix B.")]),
        ("", "Appendix A: filtering", [("", "Filtering is reviewed.")]),
        ("", "Appendix B: parents' agreement", [("", "I will support my child online.")]),
        ("", "Appendix C: staff agreement", [("", "I will use school devices safely.")]),
    )  # fmt: skip
    comparison = compare(old, new)
    (found,) = references(comparison)
    assert (found.label, found.text, found.should_read) == ("1.2", "Appendix B", "Appendix C")
    followed = {
        " ".join(r.text for r in c.new): n
        for c, n in zip(comparison.changes, natures(comparison), strict=True)
    }
    assert followed["Staff sign the agreement in Appendix C."].nature == E


def test_laws_added_are_said_as_added_and_named_whole() -> None:
    added = _compare(
        "This policy follows the Education Act 1996.",
        "This policy follows the Education Act 1996 and the School Attendance (Pupil "
        "Registration) (England) Regulations 2024.",
        NONE,
    )
    assert added.sentence == (
        "A reference to the School Attendance (Pupil Registration) (England) Regulations 2024 "
        "is added."
    )
    guidance = _compare(
        "It follows Preventing and Tackling Bullying (2017).",
        "It follows Preventing and Tackling Bullying (2017) and Keeping Children Safe in "
        "Education (2024).",
        NONE,
    )
    assert guidance.sentence.count("(") == guidance.sentence.count(")")
    assert "Keeping Children Safe in Education (2024) is added" in guidance.sentence


def test_a_policy_named_with_and_in_its_title_is_named_whole() -> None:
    from policydiff.diffing.references import other_policies

    document = _policy(("1", "Links", [("1.1", "See the Behaviour and Relationships Policy.")]))
    assert [r.text for r in other_policies(document, [])] == ["Behaviour and Relationships Policy"]
    assert other_policies(document, ["Behaviour and Relationships Policy"]) == ()


@settings(max_examples=200)
@given(
    digits=st.text(alphabet="0123456789", min_size=2, max_size=5),
    cut=st.integers(1, 4),
    mark=st.sampled_from(["-", ".", "/", " to ", ":", "–"]),
)
def test_figures_joined_or_cut_apart_are_never_wording_only(
    digits: str, cut: int, mark: str
) -> None:
    """ "1-2 days" is not "12 days", nor "£7.50" "£750": figures run together or cut apart
    change what a clause says, whatever the mark between them (second trial, #21)."""
    cut = min(cut, len(digits) - 1)
    apart = digits[:cut] + mark + digits[cut:]
    found = _compare(
        f"Pupils may be absent for {apart} days.", f"Pupils may be absent for {digits} days.", NONE
    )
    assert found.nature == S, (apart, digits, found)


def test_the_markdown_report_shows_the_words_of_each_wording_only_change() -> None:
    """An unnumbered policy's "Wording only" list says where and shows the words, so that a
    governor can check the call (second trial, #21)."""
    from policydiff.api import report

    old = _policy(("", "Uniform", [("", "Long hair must be tied back for safty reasons."),
                                   ("", "Pupils should wear black shoes.")]))  # fmt: skip
    new = _policy(("", "Uniform", [("", "Long hair must be tied back for safety reasons."),
                                   ("", "Pupils must wear black shoes.")]))  # fmt: skip
    text = report(compare(old, new), "md")
    wording = text.split("## Wording only", 1)[1]
    assert "~~safty~~" in wording
    assert "**safety**" in wording
    substance = text.split("## Wording only", 1)[0]
    assert "this is now a requirement" in substance.lower()
