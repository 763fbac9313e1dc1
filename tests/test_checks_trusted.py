"""Checks an auditor can trust (#20): section names matched as phrases, evidence for every
pass, the profile for each kind of policy, laws judged as of the day, the statutory list."""

from __future__ import annotations

import json
import subprocess
import tomllib
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from policydiff.errors import RuleFileError
from policydiff.model import Clause, ClauseKind, Document, Metadata, Section
from policydiff.rules.checks import TITLE_TYPOS, check, title_match
from policydiff.rules.kinds import choose, list_file, parse
from policydiff.rules.load import load_profile
from tests.conftest import ROOT
from tests.test_checks import SARIF_SCHEMA, doc

POLICYDIFF = str(ROOT / ".venv" / "bin" / "policydiff")
BARTONS = ROOT.parent / "shared" / "corpus" / "bartons"
STATED = {"next_review": "March 2030", "approved": "1 March 2024", "approved_by": "FGB"}


def _names(rule_id: str, profile: str = "default") -> tuple[tuple[str, ...], tuple[str, ...]]:
    rule = next(r for r in load_profile(profile).rules if r.id == rule_id)
    return rule.names, rule.unless


def matches(title: str, rule: str, profile: str = "default") -> bool:
    names, unless = _names(f"required-section/{rule}", profile)
    return title_match(title, names, unless) is not None


# Titles that must be, and must not be, each default section. The must-nots include the two
# false passes auditors found ("Personal data breaches" for disciplinary action, "Data
# protection principles" for security), other kinds of section that share a word, and words
# that are one letter from a name.
MUST = {
    "definitions": [
        "Definitions", "3. Definitions", "DEFINITIONS", "5. Definitions used in this policy",
        "Appendix A: Glossary of terms", "Key terms", "Terms used in this policy",
        "Interpretation", "Defintions", "1.2 Terminology", "Social media definition",
        "Meaning of terms",
    ],
    "disciplinary-action": [
        "Disciplinary action", "7.1 Disciplinery Action", "Breaches of this policy",
        "Breach of this policy", "Sanctions", "Compliance and disciplinary action",
        "Consequences of breaching this policy", "Failure to comply", "Non-compliance",
        "Discipline",
    ],
    "security": [
        "Security", "Data security", "14. Data security and storage of records",
        "Information security", "Cyber security", "SECURITY AND IDENTITY THEFT", "Secuirty",
        "Keeping data safe", "Keeping information secure", "Storing data securely",
        "Data protection and security",
    ],
}  # fmt: skip
MUST_NOT = {
    "definitions": [
        "Definite plans", "Defined benefit pensions", "Definitions of abuse",
        "Terms and conditions", "Determination", "Key stage 2", "Aims",
    ],
    "disciplinary-action": [
        "Personal data breaches", "Reporting a data breach", "Breaches of confidentiality law",
        "Disciples", "Actions for staff", "Allegations of misconduct against staff",
        "Roles and responsibilities", "Compliance with the law",
    ],
    "security": [
        "Data protection principles", "Protecting children", "Insecurity of tenure",
        "Site security", "Security of the premises", "Social security benefits",
        "Safeguarding", "Health and safety", "Secure attachments in early years",
    ],
}  # fmt: skip


@pytest.mark.parametrize(("rule", "title"), [(r, t) for r, ts in MUST.items() for t in ts])
def test_each_default_section_is_found_under_its_names(rule: str, title: str) -> None:
    assert matches(title, rule), f"{title!r} should be the {rule} section"


@pytest.mark.parametrize(("rule", "title"), [(r, t) for r, ts in MUST_NOT.items() for t in ts])
def test_sections_of_another_kind_are_not_taken_for_a_default_section(
    rule: str, title: str
) -> None:
    assert not matches(title, rule), f"{title!r} is not the {rule} section"


def test_a_name_is_a_phrase_its_words_in_order() -> None:
    assert title_match("Protecting data", ["protecting data"]) == "protecting data"
    assert title_match("Data: protecting it", ["protecting data"]) is None
    # one other word may stand between two of its words; two may not
    assert title_match("Allegations against members of staff", ["allegations against staff"])
    assert not title_match(
        "Allegations against pupils and not staff", ["allegations against staff"]
    )


def test_a_typo_is_allowed_after_the_first_letter_in_words_of_five_letters_or_more() -> None:
    assert title_match("Secuirty", ["security"])
    assert not title_match("Health and safety", ["esafety"])  # (a first letter differs)
    assert not title_match("Aimz", ["aims"])  # (too short to allow a typo)


def test_a_word_only_in_body_text_does_not_make_a_section() -> None:
    document = doc(
        ("Definitions", ["Defined terms."]),
        ("Roles", ["Breaches lead to disciplinary action. Security matters to us all."]),
        **STATED,
    )
    result = check("t", document, load_profile(), date(2024, 6, 1), date(2024, 1, 1))
    assert {f.rule for f in result.findings if f.severity.value == "error"} == {
        "required-section/disciplinary-action",
        "required-section/security",
    }


def _numbered(*sections: tuple[str, str | None, list[str]], **meta: str) -> Document:
    built = tuple(
        Section(
            f"s{k}", title, 1, label,
            tuple(Clause(f"s{k}c{n}", None, t, ClauseKind.PARAGRAPH) for n, t in enumerate(texts)),
        )
        for k, (title, label, texts) in enumerate(sections)
    )  # fmt: skip
    return Document("t.docx", Metadata(**meta), built)


def test_every_pass_names_the_section_that_satisfied_it() -> None:
    document = _numbered(
        ("Definitions", "1", ["Terms."]),
        ("Staff conduct", "2", ["Be kind."]),
        ("Breaches of this policy", "3", ["May lead to disciplinary action."]),
        ("Data security", None, ["Lock screens."]),
        **STATED,
    )
    result = check("t", document, load_profile(), date(2024, 6, 1), date(2024, 1, 1))
    assert [p.message for p in result.passes] == [
        "definitions: section 1 'Definitions'",
        "disciplinary action: section 3 'Breaches of this policy'",
        "security: the section 'Data security'",
        "next review: 'March 2030', due by 31 March 2030",
        "the policy states who approved it: 'FGB'; the date it was approved: '1 March 2024'",
    ]
    assert result.passed


def _run(*args: str, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    where = ["--store", str(store)] if store is not None and args[0] != "init" else []
    return subprocess.run(
        [POLICYDIFF, *args, *where], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four bartons revisions and three other kinds of policy, built by python-docx."""
    from docx import Document as Word

    path = tmp_path_factory.mktemp("trusted") / "store"
    assert _run("init", "--store", str(path)).returncode == 0
    files = [str(BARTONS / f) for f in ("2016.docx", "2019.docx", "2024.docx", "2025-draft.docx")]
    assert _run("add", *files, "--policy", "social-media", store=path).returncode == 0
    folder = path.parent
    for slug, title, sections in [
        ("admissions", "Admissions Policy 2025/26", ["Oversubscription criteria", "Appeals"]),
        ("safeguarding", "Child Protection and Safeguarding Policy",
         ["Definitions", "Designated Safeguarding Lead", "Managing allegations against staff"]),
        ("data-protection", "Data Protection Policy",
         ["Definitions", "Personal data breaches", "Data protection principles"]),
    ]:  # fmt: skip
        word = Word()
        word.add_heading(title, 0)
        for heading in sections:
            word.add_heading(heading, 1)
            word.add_paragraph(
                "Staff follow Keeping Children Safe in Education and report to the DSL."
            )
        word.add_paragraph("Next review: March 2027")
        file = folder / f"{slug}.docx"
        word.save(str(file))
        added = _run("add", str(file), "--policy", slug, "--date", "2024-09-01", store=path)
        assert added.returncode == 0, added.stderr
    return path


def _json(store: Path, *args: str) -> dict[str, Any]:
    done = _run("check", *args, "--format", "json", "--today", "2024-10-01", store=store)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_each_policy_is_checked_by_the_profile_for_its_kind_and_says_why(store: Path) -> None:
    results = {r["target"]: r for r in _json(store, "--all")["results"]}
    assert results["admissions@1"]["profile"] == "school-policy"
    assert results["admissions@1"]["passed"]  # no security section asked of admissions
    assert results["safeguarding@1"]["profile"] == "safeguarding"
    assert results["data-protection@1"]["profile"] == "data-protection"
    assert results["social-media@4.1"]["profile"] == "social-media"
    assert "data protection" in results["data-protection@1"]["profile_chosen"]
    # the two false passes of old: no disciplinary action and no security section here
    failed = {f["rule"] for f in results["data-protection@1"]["findings"]}
    assert {"required-section/disciplinary-action", "required-section/security"} <= failed


def test_profile_chosen_with_the_option_applies_to_every_policy(store: Path) -> None:
    report = _json(store, "--all", "--profile", "default")
    assert report["profile"] == "default"
    assert {r["profile"] for r in report["results"]} == {"default"}
    admissions = next(r for r in report["results"] if r["target"] == "admissions@1")
    assert not admissions["passed"]


def test_the_store_can_say_which_profile_checks_a_policy(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    subprocess.run(["git", "clone", "-q", str(store), str(copy)], check=True)
    done = _run("profile", "admissions", "default", store=copy)
    assert done.returncode == 0, done.stderr
    assert "admissions" in done.stdout
    results = {r["target"]: r for r in _json(copy, "--all")["results"]}
    assert results["admissions@1"]["profile"] == "default"
    assert "profiles.toml" in results["admissions@1"]["profile_chosen"]
    mapping = tomllib.loads((copy / "profiles.toml").read_text())
    assert mapping["policies"] == {"admissions": "default"}
    # by title, for every policy whose title has the phrase
    assert _run("profile", "--title", "child protection", "default", store=copy).returncode == 0
    results = {r["target"]: r for r in _json(copy, "--all")["results"]}
    assert results["safeguarding@1"]["profile"] == "default"
    listed = _run("profile", store=copy)
    assert "safeguarding" in listed.stdout
    assert "default" in listed.stdout
    assert _run("verify", store=copy).returncode == 0
    # refused in one line: a profile that does not exist, a policy the store does not hold
    for wrong in (["admissions", "nonesuch"], ["admisions", "default"]):
        refused = _run("profile", *wrong, store=copy)
        assert refused.returncode == 2
        assert len(refused.stderr.strip().splitlines()) == 1


def test_evidence_in_json_sarif_and_junit(store: Path) -> None:
    report = _json(store, "safeguarding@1")
    (result,) = report["results"]
    assert "designated safeguarding lead: the section 'Designated Safeguarding Lead'" in [
        p["message"] for p in result["passes"]
    ]
    sarif = json.loads(
        _run("check", "safeguarding@1", "--format", "sarif", "--today", "2024-10-01",
             store=store).stdout
    )  # fmt: skip
    jsonschema.validate(sarif, SARIF_SCHEMA)
    passes = [r for r in sarif["runs"][0]["results"] if r.get("kind") == "pass"]
    assert passes
    assert all(r["level"] == "none" for r in passes)
    junit = ET.fromstring(
        _run("check", "safeguarding@1", "--format", "junit", "--today", "2024-10-01",
             store=store).stdout
    )  # fmt: skip
    case = next(
        c for c in junit.iter("testcase")
        if c.get("name") == "required-section/designated-safeguarding-lead"
    )  # fmt: skip
    assert case.find("failure") is None
    assert "passed: designated safeguarding lead" in (case.findtext("system-out") or "")


def test_a_replaced_law_is_judged_as_of_the_day(store: Path) -> None:
    file = str(BARTONS / "2016.docx")
    before = _run("check", file, "--today", "2016-10-01", store=store)
    after = _run("check", file, "--today", "2024-06-01", store=store)
    assert before.returncode == 0, before.stdout
    assert after.returncode == 1
    assert "Data Protection Act 1998" in after.stdout
    # in the store, the 2016 revision was replaced in 2019: history, said as information
    stored = _json(store, "social-media@1")
    (result,) = stored["results"]
    (finding,) = {
        f["message"]: f for f in result["findings"] if f["rule"].startswith("outdated")
    }.values()
    assert finding["severity"] == "info"
    assert (
        "out of date from 25 May 2018 until it was replaced on 11 March 2019" in finding["message"]
    )


@pytest.mark.parametrize(("version", "expected"), [("2", 0), ("4.0", 0)])
def test_the_approved_bartons_revisions_pass_as_of_2024(
    store: Path, version: str, expected: int
) -> None:
    done = _run("check", f"social-media@{version}", "--today", "2024-06-01", store=store)
    assert done.returncode == expected, done.stdout


def test_the_bartons_draft_fails_on_what_it_lacks(store: Path) -> None:
    done = _run("check", "social-media@4.1", "--today", "2026-11-24", "--format", "json",
                store=store)  # fmt: skip
    (result,) = json.loads(done.stdout)["results"]
    errors = {f["rule"] for f in result["findings"] if f["severity"] == "error"}
    assert errors == {
        "required-section/disciplinary-action",
        "required-section/security",
        "outdated-reference/data-protection-act-1998",
        "review-date/next-review",
    }


@pytest.mark.parametrize("version", ["1", "2", "4.0"])
def test_the_default_profiles_evidence_for_the_bartons_files(store: Path, version: str) -> None:
    report = _json(store, f"social-media@{version}", "--profile", "default")
    (result,) = report["results"]
    said = {p["rule"].split("/")[1]: p["section"] for p in result["passes"]}
    assert (
        said["definitions"].casefold().endswith("definition" if version != "4.0" else "definitions")
    )
    assert said["disciplinary-action"] == "DISCIPLINARY ACTION"
    assert said["security"] == "SECURITY AND IDENTITY THEFT"


def test_the_statutory_policies_a_store_lacks(store: Path) -> None:
    done = _run("check", "--all", "--statutory", "--school-type", "maintained", "--format",
                "json", "--today", "2024-10-01", store=store)  # fmt: skip
    assert done.returncode == 1
    listed = json.loads(done.stdout)["results"][-1]
    assert listed["profile"] == "statutory"
    missing = {f["rule"] for f in listed["findings"] if f["severity"] == "error"}
    assert "statutory/school-uniform" in missing
    assert "statutory/teachers-pay" in missing  # (maintained schools only)
    held = {p["rule"] for p in listed["passes"]} | {
        f["rule"] for f in listed["findings"] if f["severity"] != "error"
    }
    assert {"statutory/admission-arrangements", "statutory/safeguarding-and-child-protection",
            "statutory/data-protection-with-the-privacy-notices"} <= held  # fmt: skip
    academy = _run("check", "--all", "--statutory", "--school-type", "academy", "--format",
                   "json", "--today", "2024-10-01", store=store)  # fmt: skip
    rules = {f["rule"] for f in json.loads(academy.stdout)["results"][-1]["findings"]}
    assert "statutory/teachers-pay" not in rules


def test_a_statutory_policy_past_its_review_cycle_is_named(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    subprocess.run(["git", "clone", "-q", str(store), str(copy)], check=True)
    approved = _run("approve", "admissions@1", "--by", "FGB", "--date", "2024-09-10", store=copy)
    assert approved.returncode == 0, approved.stderr
    later = _run("check", "--all", "--statutory", "--today", "2026-01-05", store=copy)
    assert "Admission arrangements: admissions" in later.stdout
    assert "a review was due by 10 September 2025" in later.stdout


def test_the_statutory_list_cites_its_source_and_date() -> None:
    data = tomllib.loads(list_file("statutory.toml").read_text())
    assert data["source"].startswith("https://www.gov.uk/guidance/")
    assert isinstance(data["read"], date)
    for entry in data["policy"]:
        assert entry["names"]
        assert entry["schools"]
        assert entry["guidance"]
        assert entry["approved_by"]
        assert 1 <= entry["review_months"] <= 120


def test_kinds_are_chosen_from_the_title_and_the_store_mapping_comes_first() -> None:
    assert choose(None, "Data Protection Policy").profile == "data-protection"
    assert choose(None, "Online Safety Policy").profile == "social-media"
    assert choose(None, "Health and Safety Policy").profile == "school-policy"
    assert choose(None, "Staff Wellbeing Policy").profile == "default"
    mapping = parse(
        '[policies]\n"x" = "safeguarding"\n[titles]\n"wellbeing" = "social-media"\n', "t"
    )
    assert choose("x", "Data Protection Policy", mapping).profile == "safeguarding"
    assert choose("y", "Staff Wellbeing Policy", mapping).profile == "social-media"
    with pytest.raises(RuleFileError, match="does not exist"):
        parse('[policies]\n"x" = "nonesuch"\n', "t")


def test_a_profile_may_omit_only_rules_it_inherits(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text('name = "mine"\nextends = "default"\nomit = ["required-section/security"]\n')
    assert "required-section/security" not in {r.id for r in load_profile(rules_file=rules).rules}
    rules.write_text('name = "mine"\nextends = "default"\nomit = ["required-section/nonesuch"]\n')
    with pytest.raises(RuleFileError, match="does not inherit"):
        load_profile(rules_file=rules)


@pytest.mark.parametrize(
    "listing", ["Related policies", "Links with other policies", "Related documents and guidance"]
)
def test_headings_under_a_list_of_other_documents_are_not_this_policys_sections(
    listing: str,
) -> None:
    """ "Disciplinary procedure" under "Related policies" names another policy: it does not
    give this one a disciplinary-action section."""
    under = tuple(
        Section(f"r{k}", title, 2, None, (Clause(f"r{k}c", None, "See the policy.",
                                                  ClauseKind.PARAGRAPH),))
        for k, title in enumerate(["Disciplinary procedure", "Information security policy"])
    )  # fmt: skip
    sections = (
        Section("d", "Definitions", 1, "1", (Clause("dc", None, "Terms.", ClauseKind.PARAGRAPH),)),
        Section("l", listing, 1, "9", (), under),
    )
    document = Document("t.docx", Metadata(**STATED), sections)
    result = check("t", document, load_profile(), date(2024, 6, 1), date(2024, 1, 1))
    failed = {f.rule for f in result.findings if f.severity.value == "error"}
    assert failed == {"required-section/disciplinary-action", "required-section/security"}


def test_a_list_of_documents_written_as_bold_lines_is_not_sections() -> None:
    """Without heading styles, each document under "3. Related policies" is read as a heading
    of its own, beside it: they are the list, not sections of this policy."""

    def section(k: int, title: str, label: str | None, text: str) -> Section:
        return Section(f"s{k}", title, 1, label,
                       (Clause(f"s{k}c", None, text, ClauseKind.PARAGRAPH),))  # fmt: skip

    document = Document(
        "t.docx",
        Metadata(**STATED),
        (
            section(0, "Definitions", "1", "Terms."),
            section(1, "Related policies", "3", "Read this policy with:"),
            section(2, "Disciplinary Procedure", None, "How staff conduct is handled."),
            section(3, "Information Security Policy", None, "How data is kept safe."),
            section(4, "Monitoring", "4", "The policy is reviewed each year."),
        ),
    )
    result = check("t", document, load_profile(), date(2024, 6, 1), date(2024, 1, 1))
    failed = {f.rule for f in result.findings if f.severity.value == "error"}
    assert failed == {"required-section/disciplinary-action", "required-section/security"}


@pytest.mark.parametrize(
    ("title", "rule", "profile"),
    [
        ("Lockdown and security procedures", "security", "default"),
        ("Pre-employment security checks", "security", "default"),
        ("Security of pupils on school trips", "security", "default"),
        ("Classroom discipline", "disciplinary-action", "default"),
        ("Interpretation of assessment data", "definitions", "default"),
        ("Abuse and neglect: definitions and signs", "definitions", "default"),
        ("Right of access to the school site", "subject-access", "data-protection"),
        ("Reporting a breach of the staff code of conduct", "data-breaches", "data-protection"),
        ("Managing allegations of child-on-child abuse", "allegations-against-staff",
         "safeguarding"),
    ],
)  # fmt: skip
def test_headings_an_auditor_found_passing_wrongly(title: str, rule: str, profile: str) -> None:
    assert not matches(title, rule, profile)


def test_a_generic_heading_counts_for_a_named_role_only_if_it_names_it() -> None:
    profile = load_profile("safeguarding")
    text = "The headteacher leads on safeguarding."
    roles = Section("r", "Roles and responsibilities", 1, "2",
                    (Clause("rc", None, text, ClauseKind.PARAGRAPH),))  # fmt: skip
    document = Document("t.docx", Metadata(**STATED), (roles,))
    result = check("t", document, profile, date(2024, 6, 1), date(2024, 1, 1))
    (finding,) = [f for f in result.findings if f.rule.endswith("designated-safeguarding-lead")]
    assert "does not name" in finding.message
    named = Section("r", "Roles and responsibilities", 1, "2", (Clause(
        "rc", None, "Ms Smith is the Designated Safeguarding Lead (DSL).", ClauseKind.PARAGRAPH),))  # fmt: skip
    result = check("t", Document("t.docx", Metadata(**STATED), (named,)), profile,
                   date(2024, 6, 1), date(2024, 1, 1))  # fmt: skip
    assert "required-section/designated-safeguarding-lead" in {p.rule for p in result.passes}


def test_an_empty_required_section_does_not_pass() -> None:
    empty = Section("d", "Definitions", 1, "1", ())
    result = check("t", Document("t.docx", Metadata(**STATED), (empty,)), load_profile(),
                   date(2024, 6, 1), date(2024, 1, 1))  # fmt: skip
    (finding,) = [f for f in result.findings if f.rule == "required-section/definitions"]
    assert "is empty" in finding.message


@pytest.mark.parametrize(
    ("text", "today", "rule"),
    [
        ("the Data Protection Act (1998)", "2024-01-01", "data-protection-act-1998"),
        ("the Data Protection Act of 1998", "2024-01-01", "data-protection-act-1998"),
        ("the DPA 98", "2024-01-01", "data-protection-act-1998"),
        ("the EU General Data Protection Regulation", "2022-01-01", "eu-gdpr"),
        ("the Disability Discrimination Act", "2012-01-01", "disability-discrimination-act"),
        ("staff are CRB checked", "2013-01-01", "criminal-records-bureau"),
        ("an enhanced CRB", "2013-01-01", "criminal-records-bureau"),
        ("Keeping Children Safe in Education (KCSIE) 2021", "2022-10-01", "kcsie-2021"),
        ("Keeping Children Safe in Education, September 2021", "2022-10-01", "kcsie-2021"),
        ("KCSIE 2022", "2023-10-01", "kcsie-2022"),
        ("Keeping Children Safe in Education 2024", "2025-09-02", "kcsie-2024"),
        (
            "Working Together to Safeguard Children (July 2018)",
            "2024-01-01",
            "working-together-2018",
        ),
        ("Working Together to Safeguard Children 2015", "2020-01-01", "working-together-2015"),
        ("a statement of SEN", "2015-01-01", "sen-code-of-practice-2001"),
    ],
)
def test_replaced_laws_and_editions_as_schools_write_them(text: str, today: str, rule: str) -> None:
    document = doc(("Scope", [f"This policy follows {text}."]), **STATED)
    result = check("t", document, load_profile(), date.fromisoformat(today), date(2010, 1, 1))
    assert f"outdated-reference/{rule}" in {f.rule for f in result.findings}


def test_an_edition_is_current_until_the_next_takes_effect() -> None:
    document = doc(("Scope", ["Staff follow Keeping Children Safe in Education 2024."]), **STATED)
    for today, found in (("2025-08-31", False), ("2025-09-01", True)):
        result = check("t", document, load_profile(), date.fromisoformat(today), date(2024, 9, 1))
        assert ("outdated-reference/kcsie-2024" in {f.rule for f in result.findings}) is found


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Young Carers Policy", None), ("Intimate Care and Changing Policy", None),
        ("Staff Attendance and Absence Management Policy", None),
        ("Website Accessibility Statement", None), ("Lettings and Hire of Premises Policy", None),
        ("Staff Expenses and Allowances Policy", None), ("Pupil Code of Conduct", None),
        ("Careers Guidance Policy", "statutory/careers-guidance-provider-access-policy-statement"),
        ("Charging and Remissions Policy", "statutory/charging-and-remissions"),
        ("Attendance Policy", "statutory/school-attendance"),
    ],
)  # fmt: skip
def test_a_look_alike_title_is_not_a_statutory_policy(title: str, kind: str | None) -> None:
    from policydiff.rules.statutory import load

    found = [
        s.id for s in load().policies
        if title_match(title, s.names, s.unless, typos=TITLE_TYPOS) is not None
    ]  # fmt: skip
    assert found == ([kind] if kind else [])


def test_a_staff_code_of_conduct_is_checked_as_binding_staff() -> None:
    assert choose(None, "Staff Behaviour Policy (Code of Conduct)").profile == "default"
    assert choose(None, "Behaviour Policy").profile == "school-policy"


# -- a second auditor's trial -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "rule", "profile"),
    [
        ("Consequences of data breach", "disciplinary-action", "default"),
        ("Failure to comply with a request on time", "disciplinary-action", "default"),
        ("Retention of disciplinary records", "disciplinary-action", "default"),
        ("Fines and sanctions from the ICO", "disciplinary-action", "default"),
        ("Discipline and sanctions for pupils", "disciplinary-action", "default"),
        ("Rewards and sanctions for pupils", "disciplinary-action", "default"),
        ("Protecting data subjects' rights", "security", "default"),
        ("Forms of abuse and their definitions", "definitions", "default"),
        ("Abuse: definitions", "definitions", "default"),
        ("What is abuse? Definitions", "definitions", "default"),
        ("Staff recruitment and retention", "retention", "data-protection"),
    ],
)
def test_more_headings_an_auditor_found_passing_wrongly(
    title: str, rule: str, profile: str
) -> None:
    assert not matches(title, rule, profile)


@pytest.mark.parametrize(
    "title",
    [
        "Lettings and Charges Policy", "Policy for Managing Unreasonable Complaints",
        "Exclusion Periods for Infectious Diseases", "Governors' Code of Conduct",
        "Behaviour Expectations for Parents and Visitors", "Support Staff Pay Policy",
        "Staff Code of Conduct and Safeguarding Guidance",
    ],
)  # fmt: skip
def test_more_look_alike_titles_are_not_the_statutory_policy_they_resemble(title: str) -> None:
    from policydiff.rules.statutory import load

    wrongly = {
        "Staff Code of Conduct and Safeguarding Guidance": "statutory/safeguarding-and-child-protection",
        "Governors' Code of Conduct": "statutory/staff-discipline-conduct-and-grievance",
    }  # fmt: skip
    found = [
        s.id for s in load().policies
        if title_match(title, s.names, s.unless, typos=TITLE_TYPOS) is not None
    ]  # fmt: skip
    assert wrongly.get(title) not in found
    if title not in wrongly:
        assert found == []


@pytest.mark.parametrize(
    ("text", "today", "rule"),
    [
        ("the Data Protection Act, 1998", "2024-01-01", "data-protection-act-1998"),
        ("the 1998 Data Protection Act", "2024-01-01", "data-protection-act-1998"),
        ("the EU-GDPR", "2022-01-01", "eu-gdpr"),
        ("GDPR (EU) 2016/679", "2022-01-01", "eu-gdpr"),
        ("the Local Safeguarding Children's Board", "2020-01-01", "local-safeguarding-children-board"),
        ("the Hampshire Safeguarding Children Board (HSCB)", "2020-01-01", "local-safeguarding-children-board"),
        ("the Department for Children, Schools & Families", "2011-01-01", "dcsf-dfes"),
        ("the DfEE", "2011-01-01", "dcsf-dfes"),
        ("Keeping Children Safe in Education – September 2022", "2023-10-01", "kcsie-2022"),
        ("Keeping Children Safe in Education (DfE, 2022)", "2023-10-01", "kcsie-2022"),
        ("KCSIE Sept 2022", "2023-10-01", "kcsie-2022"),
        ("Working Together 2018", "2024-01-01", "working-together-2018"),
        ("Working Together to Safeguard Children (DfE, 2018)", "2024-01-01", "working-together-2018"),
        ("pupils with SEN statements", "2015-01-01", "sen-code-of-practice-2001"),
    ],
)  # fmt: skip
def test_more_ways_schools_cite_replaced_laws(text: str, today: str, rule: str) -> None:
    document = doc(("Scope", [f"This policy follows {text}."]), **STATED)
    result = check("t", document, load_profile(), date.fromisoformat(today), date(2010, 1, 1))
    assert f"outdated-reference/{rule}" in {f.rule for f in result.findings}


@pytest.mark.parametrize(
    ("stated", "due"),
    [("Sept 24", date(2024, 9, 30)), ("Sep-24", date(2024, 9, 30)),
     ("2024/25", date(2025, 8, 31)), ("Academic year 2024-25", date(2025, 8, 31))],
)  # fmt: skip
def test_review_dates_as_schools_write_them(stated: str, due: date) -> None:
    from policydiff.facts import find_facts
    from policydiff.rules.checks import review_due

    assert find_facts([f"Next review: {stated}"])["next_review"] == stated
    assert review_due(stated) == due


@pytest.mark.parametrize("text", ["[To be completed]", "TBC", "Insert details here", "..."])
def test_a_placeholder_is_not_a_sections_text(text: str) -> None:
    placeholder = Section(
        "d", "Definitions", 1, "1", (Clause("c", None, text, ClauseKind.PARAGRAPH),)
    )
    result = check("t", Document("t.docx", Metadata(**STATED), (placeholder,)), load_profile(),
                   date(2024, 6, 1), date(2024, 1, 1))  # fmt: skip
    assert "required-section/definitions" in {f.rule for f in result.findings}


def test_a_section_after_a_list_of_documents_still_counts() -> None:
    def section(k: int, title: str, label: str | None, text: str) -> Section:
        return Section(f"s{k}", title, 1, label, (Clause(f"s{k}c", None, text,
                                                         ClauseKind.PARAGRAPH),))  # fmt: skip

    document = Document("t.docx", Metadata(**STATED), (
        section(0, "Related policies", "8", "Read this policy with the Behaviour Policy."),
        section(1, "Glossary", None, "DSL: the Designated Safeguarding Lead."),
        section(2, "Data security", None, "Laptops are encrypted."),
        section(3, "Disciplinary action", None, "Breaches may lead to disciplinary action."),
    ))  # fmt: skip
    result = check("t", document, load_profile(), date(2024, 6, 1), date(2024, 1, 1))
    assert not [f for f in result.findings if f.rule.startswith("required-section/")]


def test_a_draft_never_approved_does_not_replace_the_revision_in_force(tmp_path: Path) -> None:
    """The approved revision in force is judged as current (its replaced law an error, its
    passed review date an error) while the later revision is only a draft; `check --all`
    checks both."""
    path = tmp_path / "store"
    assert _run("init", "--store", str(path)).returncode == 0
    files = [str(BARTONS / "2016.docx"), str(BARTONS / "2019.docx")]
    assert _run("add", *files, "--policy", "social-media", store=path).returncode == 0
    approved = _run("approve", "social-media@1", "--by", "FGB", "--date", "2016-09-10",
                    "--despite-check", store=path)  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    in_force = _json(path, "social-media@1")
    (result,) = in_force["results"]
    outdated = [f for f in result["findings"] if f["rule"].startswith("outdated-reference/")]
    assert {f["severity"] for f in outdated} == {"error"}
    both = _json(path, "--all")
    assert {r["target"] for r in both["results"]} == {"social-media@2", "social-media@1"}
