"""Check results as JSON (the policydiff.check/1 contract), SARIF 2.1.0 and JUnit XML."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from policydiff import __version__
from policydiff.rules.checks import CheckResult, Finding, Passed
from policydiff.rules.load import Profile, Severity

SCHEMA = "policydiff.check/1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "section": f.section,
        "label": f.label,
        "evidence": f.evidence,
    }


def _passed(p: Passed) -> dict[str, Any]:
    return {"rule": p.rule, "message": p.message, "section": p.section, "label": p.label}


def result_json(result: CheckResult) -> dict[str, Any]:
    """One document's result, as the `policydiff.check/1` contract lists it: `passes` (each
    required section found, with the section) and `profile` were added, keeping the rest."""
    return {
        "target": result.target,
        "title": result.title,
        "passed": result.passed,
        "profile": result.profile,
        "profile_chosen": result.chosen_by,
        "findings": [_finding(f) for f in result.findings],
        "passes": [_passed(p) for p in result.passes],
    }


def profile_name(profiles: list[Profile]) -> str:
    """The profile results were checked against: its name, or "chosen for each policy"."""
    return profiles[0].name if len(profiles) == 1 else "chosen for each policy"


def _rules(profiles: list[Profile]) -> list[Any]:
    """Every rule of the profiles, once each by id (the first profile's, where two share an
    id)."""
    seen: dict[str, Any] = {}
    for profile in profiles:
        for rule in profile.rules:
            seen.setdefault(rule.id, rule)
    return list(seen.values())


def to_json(results: list[CheckResult], profiles: list[Profile]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "profile": profile_name(profiles),
        "profiles": [p.name for p in profiles],
        "results": [result_json(r) for r in results],
    }


def to_sarif(results: list[CheckResult], profiles: list[Profile]) -> dict[str, Any]:
    """SARIF 2.1.0: a finding is a result of its level; a required section found is a result
    of kind "pass" (SARIF 2.1.0 section 3.27.9), whose level is then "none" (3.27.10)."""
    every = _rules(profiles)
    index = {rule.id: k for k, rule in enumerate(every)}
    rules = [
        {
            "id": rule.id,
            "name": rule.id.replace("/", "-"),
            "shortDescription": {"text": rule.message.split("{")[0].strip() or rule.id},
            "fullDescription": {"text": rule.description or rule.message},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            **({"helpUri": rule.source} if rule.source else {}),
            "properties": {"type": rule.type.value},
        }
        for rule in every
    ]
    sarif_results = []
    for result in results:
        for p in result.passes:
            where = " / ".join(x for x in (p.section, p.label) if x) or "the whole policy"
            sarif_results.append(
                {
                    "ruleId": p.rule,
                    "ruleIndex": index[p.rule],
                    "kind": "pass",
                    "level": "none",
                    "message": {"text": p.message},
                    "properties": {"profile": result.profile},
                    "locations": [
                        {
                            "physicalLocation": {"artifactLocation": {"uri": _uri(result.target)}},
                            "logicalLocations": [{"name": where, "kind": "section"}],
                        }
                    ],
                }
            )
        for f in result.findings:
            where = " / ".join(x for x in (f.section, f.label) if x) or "the whole policy"
            sarif_results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": index[f.rule],
                    "level": _SARIF_LEVEL[f.severity],
                    "message": {"text": f.message},
                    "locations": [
                        {
                            "physicalLocation": {"artifactLocation": {"uri": _uri(result.target)}},
                            "logicalLocations": [{"name": where, "kind": "section"}],
                        }
                    ],
                    "properties": {
                        "profile": result.profile,
                        **({"evidence": f.evidence} if f.evidence else {}),
                    },
                }
            )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policydiff",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": sarif_results,
                "properties": {"profile": profile_name(profiles)},
            }
        ],
    }


def to_junit(results: list[CheckResult], profiles: list[Profile]) -> str:
    """One test suite per policy, one test case per rule of its profile; error findings are
    failures; a passed case says what satisfied it (the section found) in its system-out."""
    suites = ET.Element("testsuites", name=f"policydiff check ({profile_name(profiles)})")
    by_name = {p.name: p for p in profiles}
    total = failed = 0
    for result in results:
        profile = by_name.get(result.profile, profiles[0])
        suite = ET.SubElement(suites, "testsuite", name=result.target)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="profile", value=result.profile)
        if result.chosen_by:
            ET.SubElement(properties, "property", name="profile_chosen", value=result.chosen_by)
        suite_failures = 0
        for rule in profile.rules:
            case = ET.SubElement(suite, "testcase", classname=result.target, name=rule.id)
            mine = [f for f in result.findings if f.rule == rule.id]
            errors = [f for f in mine if f.severity is Severity.ERROR]
            if errors:
                suite_failures += 1
                failure = ET.SubElement(
                    case, "failure", message=errors[0].message, type=rule.type.value
                )
                failure.text = "\n".join(_line(f) for f in errors)
            others = [_line(f) for f in mine if f.severity is not Severity.ERROR]
            others += [f"passed: {p.message}" for p in result.passes if p.rule == rule.id]
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(others)
        suite.set("tests", str(len(profile.rules)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += len(profile.rules)
        failed += suite_failures
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    for element in suites.iter():  # (XML 1.0 cannot hold control characters, even escaped)
        if element.text:
            element.text = _xml_safe(element.text)
        for key, value in element.attrib.items():
            element.set(key, _xml_safe(value))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


# What XML 1.0 cannot hold (W3C XML 1.0, section 2.2, Char): control characters but the tab,
# new line and carriage return, and the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """`text` with what XML cannot hold shown as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _line(f: Finding) -> str:
    where = " / ".join(x for x in (f.section, f.label) if x)
    return f"{f.severity.value}: {f.message}" + (f" [{where}]" if where else "")


def _uri(target: str) -> str:
    """A checked document's name as a SARIF artifact URI (a relative reference: spaces and
    brackets percent-encoded, RFC 3986)."""
    from urllib.parse import quote

    return quote(target, safe="/@:._-~")
