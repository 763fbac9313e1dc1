from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.revisions import Section as PlainSection
from benchmarks.revisions import mutate, policy_from_seed, write_policy
from policydiff.cli import app
from policydiff.errors import RuleFileError
from policydiff.model import Clause, ClauseKind, Document, Metadata, Section
from policydiff.readers.docx import read_docx
from policydiff.rules.checks import Context, _found, _matches, _normalise, check, title_matches
from policydiff.rules.load import load_profile
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()
SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-2.1.0-rtm.5.json").read_text())


def doc(*sections: tuple[str | None, list[str]], **meta: str) -> Document:
    built = tuple(
        Section(
            f"s{k}",
            title,
            0 if title is None else 1,
            None,
            tuple(Clause(f"s{k}c{n}", None, t, ClauseKind.PARAGRAPH) for n, t in enumerate(texts)),
        )
        for k, (title, texts) in enumerate(sections)
    )
    return Document("test.docx", Metadata(**meta), built)


def rules_of(
    document: Document, today: str = "2024-06-01", written: str = "2024-01-01"
) -> set[str]:
    result = check(
        "t", document, load_profile(), date.fromisoformat(today), date.fromisoformat(written)
    )
    return {f.rule for f in result.findings if f.severity.value == "error"}


GOOD = [
    ("Definitions", ["Social media means any online platform."]),
    ("Disciplinary action", ["Breaches may lead to disciplinary action."]),
    ("Security", ["Passwords are never shared."]),
]
STATED = {"next_review": "March 2025", "approved": "12 March 2024", "approved_by": "FGB"}


def test_a_complete_policy_has_no_error() -> None:
    assert rules_of(doc(*GOOD, **STATED)) == set()


@pytest.mark.parametrize(
    ("title", "rule"),
    [
        ("SOCIAL MEDIA DEFINITION", "definitions"),
        ("2. Key terms", "definitions"),
        ("SECURITY AND IDENTITY THEFT", "security"),
        ("Data security and storage of records", "security"),
        ("Secuirty", "security"),  # a close spelling
        ("Compliance and disciplinary action", "disciplinary-action"),
        ("Breaches of this policy", "disciplinary-action"),
        ("7.1 Disciplinery Action", "disciplinary-action"),
    ],
)
def test_section_synonyms_and_close_spellings_satisfy_the_rule(title: str, rule: str) -> None:
    sections = [s for s in GOOD if rule.split("-")[0] not in s[0].lower()]
    assert len(sections) == 2
    assert f"required-section/{rule}" not in rules_of(doc(*sections, (title, ["Text."]), **STATED))


@pytest.mark.parametrize(
    "title", ["Insecurity of tenure", "Definite plans", "Disciples", "Actions for staff"]
)
def test_titles_that_only_look_alike_do_not_count(title: str) -> None:
    for rule in ("security", "definitions", "disciplinary"):
        assert not title_matches(title, {"security": ["security"], "definitions": ["definitions"],
                                         "disciplinary": ["disciplinary action"]}[rule])  # fmt: skip


def test_a_word_in_body_text_does_not_make_a_section() -> None:
    document = doc(
        ("Definitions", ["Defined terms."]),
        ("Conduct", ["Breaches lead to disciplinary action. Security matters."]),
        **STATED,
    )
    assert rules_of(document) == {
        "required-section/disciplinary-action",
        "required-section/security",
    }


def test_an_outdated_reference_names_its_clause_and_the_replacement() -> None:
    document = doc(
        *GOOD, ("Data", ["Data is processed under the Data Protection Act 1998."]), **STATED
    )
    result = check("t", document, load_profile(), date(2024, 6, 1), date(2024, 1, 1))
    (finding,) = [f for f in result.findings if f.rule.startswith("outdated-reference/")]
    assert finding.severity.value == "error"
    assert finding.section == "Data"
    assert finding.evidence == "Data Protection Act 1998"
    assert "Data Protection Act 2018 and the UK GDPR" in finding.message
    # Judged as of the day: written before the Act was replaced, it still fails in 2024 ...
    written_before = check("t", document, load_profile(), date(2024, 6, 1), date(2016, 9, 5))
    assert [f.severity.value for f in written_before.findings if f.rule.startswith("outdated")] == [
        "error"
    ]
    # ... and passes as of a day before the replacement
    before = check("t", document, load_profile(), date(2017, 6, 1), date(2016, 9, 5))
    assert [f for f in before.findings if f.rule.startswith("outdated")] == []


def test_review_dates_missing_unreadable_passed_and_due() -> None:
    base = {k: v for k, v in STATED.items() if k != "next_review"}

    def review(**meta: str) -> list[tuple[str, str]]:
        result = check("t", doc(*GOOD, **meta), load_profile(), date(2025, 4, 1), date(2024, 1, 1))
        return [
            (f.severity.value, f.message)
            for f in result.findings
            if f.rule == "review-date/next-review"
        ]

    assert review(**base)[0][0] == "warning"
    assert review(**base, next_review="annually")[0][0] == "warning"
    assert review(**base, next_review="April 2025") == []
    assert review(**base, next_review="March 2025")[0][0] == "error"  # ran to 31 March
    assert review(**base, next_review="31 March 2025")[0][0] == "error"


def test_metadata_rule_says_what_is_missing() -> None:
    result = check(
        "t", doc(*GOOD, next_review="2030"), load_profile(), date(2024, 1, 1), date(2024, 1, 1)
    )
    (finding,) = [f for f in result.findings if f.rule == "metadata/approval"]
    assert "who approved it and the date it was approved" in finding.message


def test_profiles_extend_and_override(tmp_path: Path) -> None:
    custom = tmp_path / "trust.toml"
    custom.write_text(
        'name = "trust"\nextends = "social-media"\n\n'
        '[[rule]]\nid = "required-section/security"\ntype = "required-section"\n'
        'severity = "warning"\nnames = ["security"]\nmessage = "No security section."\n\n'
        '[[rule]]\nid = "forbidden-phrase/facebook"\ntype = "forbidden-phrase"\nseverity = "error"\n'
        'phrases = ["Facebook"]\nsection = ["definitions"]\nmessage = "Names {found}."\n'
    )
    profile = load_profile(rules_file=custom)
    ids = [r.id for r in profile.rules]
    assert "required-phrase/report-to-dsl" in ids  # from social-media
    assert "metadata/approval" in ids  # from default, through social-media
    assert ids.count("required-section/security") == 1
    security = next(r for r in profile.rules if r.id == "required-section/security")
    assert security.severity.value == "warning"
    document = doc(("Definitions", ["Such as Facebook."]), ("Other", ["Facebook again."]), **STATED)
    result = check("t", document, profile, date(2024, 6, 1), date(2024, 1, 1))
    facebook = [f for f in result.findings if f.rule == "forbidden-phrase/facebook"]
    assert [(f.section, f.evidence) for f in facebook] == [("Definitions", "Facebook")]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            '[[rule]]\nid = "x/y"\ntype = "nonsense"\nseverity = "error"\nmessage = "m"\n',
            "type must be one of",
        ),
        (
            '[[rule]]\nid = "x/y"\ntype = "required-section"\nseverity = "error"\nmessage = "m"\n',
            "missing 'names'",
        ),
        (
            '[[rule]]\nid = "x/y"\ntype = "metadata"\nseverity = "fatal"\nfields = ["version"]\nmessage = "m"\n',
            "severity must be",
        ),
        (
            '[[rule]]\nid = "x/y"\ntype = "metadata"\nseverity = "error"\nfields = ["version"]\nmessage = "m"\ncolour = 1\n',
            "unknown key 'colour'",
        ),
        (
            '[[rule]]\nid = "x/y"\ntype = "forbidden-phrase"\nseverity = "error"\npatterns = ["("]\nmessage = "m"\n',
            "not a valid regular expression",
        ),
        ('name = "x"\n[[rule\n', "not valid TOML"),
        ('extends = "nosuch"\n', "no such profile"),
    ],
)
def test_bad_rule_files_say_what_and_where(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(RuleFileError) as caught:
        load_profile(rules_file=path)
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


def _cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _bartons(today: str) -> dict[str, Any]:
    files = [str(SAMPLES / n) for n in ("2016.docx", "2019.docx", "2024.docx", "2025-draft.docx")]
    code, out, _ = _cli("check", *files, "--today", today, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["schema"] == "policydiff.check/1"
    return {Path(str(r["target"])).stem: r for r in data["results"]}


def test_the_bartons_history_as_the_issue_describes_it() -> None:
    results = _bartons("2024-06-01")
    for name in ("2019", "2024"):
        assert results[name]["passed"] is True
        errors = [f for f in results[name]["findings"] if f["severity"] == "error"]
        assert errors == []
    # 2016 cites the Data Protection Act 1998: as a policy in force in 2024, it fails on it;
    # as of 2016 it passes (#20: judged as of the day, not by the file's own dates)
    errors_2016 = {f["rule"] for f in results["2016"]["findings"] if f["severity"] == "error"}
    assert errors_2016 == {"outdated-reference/data-protection-act-1998"}
    assert _bartons("2016-10-01")["2016"]["passed"] is True
    draft = results["2025-draft"]
    assert draft["passed"] is False
    rules = {f["rule"] for f in draft["findings"] if f["severity"] == "error"}
    assert rules == {
        "required-section/disciplinary-action",
        "required-section/security",
        "outdated-reference/data-protection-act-1998",
    }
    later = _bartons("2026-11-24")["2025-draft"]
    assert "review-date/next-review" in {
        f["rule"] for f in later["findings"] if f["severity"] == "error"
    }


def test_exit_codes(tmp_path: Path, bad: Path) -> None:
    assert _cli("check", str(SAMPLES / "2024.docx"), "--today", "2024-06-01")[0] == 0
    assert _cli("check", str(SAMPLES / "2025-draft.docx"), "--today", "2024-06-01")[0] == 1
    assert _cli("check", str(bad / "pdf-renamed.docx"))[0] == 2
    assert _cli("check", str(SAMPLES / "2024.docx"), "--profile", "nosuch")[0] == 2
    assert _cli("check", str(SAMPLES / "2024.docx"), "--today", "soon")[0] == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\n")
    code, _, err = _cli("check", str(SAMPLES / "2024.docx"), "--rules", str(bad))
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_sarif_output_is_valid_sarif_2_1_0() -> None:
    code, out, _ = _cli(
        "check", str(SAMPLES / "2016.docx"), str(SAMPLES / "2025-draft.docx"),
        "--today", "2026-11-24", "--format", "sarif",
    )  # fmt: skip
    assert code == 1
    sarif = json.loads(out)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    results = sarif["runs"][0]["results"]
    assert {"error", "warning", "note"} <= {r["level"] for r in results}
    rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)


def test_junit_output_has_a_case_per_rule_and_failures_for_errors() -> None:
    code, out, _ = _cli(
        "check", str(SAMPLES / "2024.docx"), str(SAMPLES / "2025-draft.docx"),
        "--today", "2024-06-01", "--format", "junit", "--profile", "default",
    )  # fmt: skip
    assert code == 1
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert len(suites) == 2
    rule_count = len(load_profile().rules)
    assert all(int(s.get("tests", "0")) == rule_count for s in suites)
    assert [int(s.get("failures", "0")) for s in suites] == [0, 3]
    failed = {c.get("name") for c in suites[1].findall("testcase") if c.find("failure") is not None}
    assert "required-section/security" in failed


def test_text_output_says_passed_or_failed_in_plain_words() -> None:
    code, out, _ = _cli("check", str(SAMPLES / "2025-draft.docx"), "--today", "2024-06-01")
    assert code == 1
    assert "FAILED: 3 errors" in out
    assert "0 of 1 passed" in out


def test_rules_lists_ids_and_profiles() -> None:
    code, out, _ = _cli("rules", "--profile", "safeguarding")
    assert code == 0
    assert "required-phrase/kcsie" in out
    assert "required-section/definitions" in out  # inherited from default


def test_check_all_reads_every_policy_in_the_store(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert _cli("init", "--store", store)[0] == 0
    for name, slug in (("2024.docx", "social-media"), ("2025-draft.docx", "draft-policy")):
        assert (
            _cli("ingest", str(SAMPLES / name), "--policy", slug, "--new-policy", "--store", store)[
                0
            ]
            == 0
        )
    code, out, _ = _cli(
        "check", "--all", "--today", "2024-06-01", "--format", "json", "--store", store
    )
    assert code == 1
    passed = {r["target"]: r["passed"] for r in json.loads(out)["results"]}
    assert passed == {"draft-policy@4.1": False, "social-media@4.0": True}  # (as they state)


def _written(tmp_path: Path, policy: list[PlainSection], layout: str) -> Document:
    return read_docx(write_policy(policy, tmp_path / f"{layout}.docx", layout)).value


@pytest.mark.parametrize("layout", ["caps", "styled", "typed"])
def test_checks_hold_on_policies_laid_out_other_ways_and_edited(
    tmp_path: Path, layout: str
) -> None:
    seed = ROOT.parent / "shared" / "seeds" / "social-media-policy.txt"
    if not seed.exists():
        pytest.skip(f"the seed policy is not at {seed}")
    policy = policy_from_seed(seed.read_text())
    edited, _ = mutate(policy, random.Random(7))
    for section in edited:  # renamed to synonyms, numbered by the typed layout
        section.title = {
            "SOCIAL MEDIA DEFINITION": "KEY TERMS",
            "DISCIPLINARY ACTION": "BREACHES OF THIS POLICY",
            "SECURITY AND IDENTITY THEFT": "DATA SECURITY AND STORAGE OF RECORDS",
        }.get(section.title, section.title)
    document = _written(tmp_path, edited, layout)
    assert not {r for r in rules_of(document) if r.startswith("required-section/")}
    without = [s for s in edited if "SECURITY" not in s.title]
    assert "required-section/security" in rules_of(_written(tmp_path, without, layout))


def _pattern_rules() -> list[Any]:
    from policydiff.rules.load import available

    rules = {
        r.id: r
        for name in available()
        for r in load_profile(name).rules
        if r.patterns and not r.section
    }
    return list(rules.values())


@settings(max_examples=300)
@given(data=st.data())
def test_the_word_shortcut_never_hides_a_citation(data: st.DataObject) -> None:
    """Clauses are screened for the words each pattern spells out before the patterns run:
    the findings are exactly those of running every pattern on every clause."""
    rule = data.draw(st.sampled_from(_pattern_rules()))
    # Words from the rule's own patterns, in any case, among other text and odd letters.
    source = " ".join(p.pattern for p in rule.patterns)
    words = re.findall(r"[A-Za-z0-9]+", source) + ["ſ", "\u0131", "K", "\u0130", "’", "\u00a0"]
    # ... and the patterns read as plain text ("Data Protection Act 1998"), to match often.
    words += [re.sub(r"\\[sb][+*]?|[()?]", " ", p.pattern) for p in rule.patterns]
    pieces = st.lists(
        st.sampled_from(words).map(lambda w: data.draw(st.sampled_from([w, w.upper(), w.lower()])))
        | st.text(max_size=3),
        max_size=12,
    )
    text = data.draw(pieces.map(lambda ws: " ".join(ws)))
    plain = [m.group(0) for p in rule.patterns for m in p.finditer(text)]
    phrases = [p for p in rule.phrases if _normalise(p) in _normalise(text)]
    assert _matches(rule, text) == plain + phrases
    # The same through the search of a whole document (which looks for the words first).
    document = doc(("Rules", ["An unrelated clause.", text]))
    found = [
        evidence for *_, evidence in _found(rule, Context(document, date.today(), date.today()))
    ]
    assert found == (plain + phrases)[:1]
