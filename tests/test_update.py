"""`policydiff update`: a model policy's revision carried into a school's adapted copy (#22).

Each case is a triple of small real .docx files (base: the model's revision the school's copy
was made from; model: its new revision; school: the school's copy) built here, and the merged
document is read back through an independent Accept All / Reject All (`tests.revision_views`):
Accept All must read as the merged policy a careful clerk would write, Reject All as the
school's policy unchanged. The merge's symmetries are tested with hypothesis: no model change
lists nothing; a school that kept the model takes all of it; a school that already made the
model's changes has nothing to do.
"""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from policydiff.cli import app
from policydiff.errors import PolicydiffError
from policydiff.readers.docx import read_docx
from policydiff.redlining.update import write_update
from tests.builders import heading_styles, p, table, write_docx
from tests.revision_views import accept_all, reject_all

Body = list[str]


def h(text: str) -> str:
    return p(text, "Heading1")


def _write(folder: Path, name: str, body: Body) -> Path:
    return write_docx(folder / f"{name}.docx", "".join(body), styles=heading_styles())


def _texts(path: Path) -> list[str]:
    """A document's headings and clauses in reading order, as "label text"."""
    document = read_docx(path).value
    out: list[str] = []
    for section in document.walk():
        if section.title is not None and section.level > 0:
            out.append(" ".join(x for x in (section.label, section.title) if x))
        out.extend(" ".join(x for x in (c.label, c.text) if x) for c in section.clauses)
    return out


def _run(folder: Path, base: Body, model: Body, school: Body) -> tuple[dict[str, Any], Path]:
    output = folder / "merged.docx"
    result = write_update(
        _write(folder, "base", base),
        _write(folder, "model", model),
        _write(folder, "school", school),
        output,
    )
    return result.value.merge.to_dict(), output


def _accepted(tmp_path: Path, output: Path) -> list[str]:
    return _texts(accept_all(output, tmp_path / "accepted.docx"))


def _rejected(tmp_path: Path, output: Path) -> list[str]:
    return _texts(reject_all(output, tmp_path / "rejected.docx"))


def _model_texts(items: object) -> list[str]:
    assert isinstance(items, list)
    return [str(item["model"]["text"]) if item["model"] else "" for item in items]


BASE = [
    h("1. Purpose"),
    p("1.1 This policy sets out how [School name] keeps children safe."),
    p("1.2 Staff should report concerns within 24 hours."),
    h("2. Roles"),
    p("2.1 The governing body must ensure that the policy is reviewed every year."),
    p("2.2 The headteacher will appoint a designated safeguarding lead."),
    p("2.3 Visitors must sign in at reception."),
    h("3. Training"),
    p("3.1 All staff will receive training every three years."),
    p("3.2 Records of training are kept for six years."),
]


def test_a_change_to_a_clause_the_school_kept_is_applied_as_a_tracked_change(
    tmp_path: Path,
) -> None:
    model = list(BASE)
    model[2] = p("1.2 Staff must report concerns immediately.")
    school = list(BASE)
    school[1] = p("1.1 This policy sets out how Oakfield Primary keeps children safe.")
    data, output = _run(tmp_path, BASE, model, school)
    assert _model_texts(data["applied"]) == ["Staff must report concerns immediately."]
    assert data["conflicts"] == []
    assert data["left"] == []
    accepted = _accepted(tmp_path, output)
    assert "1.2 Staff must report concerns immediately." in accepted
    assert "1.1 This policy sets out how Oakfield Primary keeps children safe." in accepted
    assert _rejected(tmp_path, output) == _texts(tmp_path / "school.docx")


def test_a_change_to_a_clause_the_school_reworded_is_a_conflict_with_a_comment(
    tmp_path: Path,
) -> None:
    model = list(BASE)
    model[6] = p("2.3 Visitors must sign in at reception and wear a lanyard.")
    school = list(BASE)
    school[6] = p("2.3 Visitors must sign in at reception and show photo identification.")
    data, output = _run(tmp_path, BASE, model, school)
    assert data["applied"] == []
    conflicts = data["conflicts"]
    assert isinstance(conflicts, list)
    assert len(conflicts) == 1
    assert conflicts[0]["school"]["text"].endswith("show photo identification.")
    assert conflicts[0]["model"]["text"].endswith("wear a lanyard.")
    assert conflicts[0]["base"]["text"] == "Visitors must sign in at reception."
    assert _accepted(tmp_path, output) == _texts(tmp_path / "school.docx")
    import zipfile

    with zipfile.ZipFile(output) as package:
        comments = package.read("word/comments.xml").decode()
    assert "wear a lanyard" in comments  # the model's new text, for the clerk to decide


def test_a_change_to_a_clause_the_school_removed_is_left_and_listed(tmp_path: Path) -> None:
    model = list(BASE)
    model[9] = p("3.2 Records of training are kept for ten years.")
    school = BASE[:9]
    data, output = _run(tmp_path, BASE, model, school)
    assert data["applied"] == []
    assert data["conflicts"] == []
    assert _model_texts(data["left"]) == ["Records of training are kept for ten years."]
    assert _accepted(tmp_path, output) == _texts(tmp_path / "school.docx")


def test_the_same_change_on_both_sides_is_no_conflict(tmp_path: Path) -> None:
    model = list(BASE)
    model[8] = p("3.1 All staff will receive training every year.")
    model.insert(7, p("2.4 Contractors must sign in at reception."))
    school = list(model)
    school[1] = p("1.1 This policy sets out how Oakfield Primary keeps children safe.")
    data, output = _run(tmp_path, BASE, model, school)
    assert data["applied"] == data["conflicts"] == data["left"] == []
    assert len(data["already_made"]) == 2
    assert _accepted(tmp_path, output) == _texts(tmp_path / "school.docx")


def test_an_added_clause_lands_after_the_schools_copy_of_the_clause_before_it(
    tmp_path: Path,
) -> None:
    """The school inserted its own section first (its numbers differ from the model's) and
    reworded the clause the new one follows: the new clause still lands after it."""
    model = list(BASE)
    model.insert(6, p("2.3 The designated safeguarding lead will attend partnership meetings."))
    model[7] = p("2.4 Visitors must sign in at reception.")
    school = [
        h("1. About Oakfield"),
        p("1.1 Oakfield Primary is a community school for pupils aged 4 to 11."),
        h("2. Purpose"),
        p("2.1 This policy sets out how Oakfield Primary keeps children safe."),
        p("2.2 Staff should report concerns within 24 hours."),
        h("3. Roles"),
        p("3.1 The governing body must ensure that the policy is reviewed every year."),
        p("3.2 The headteacher will appoint Mrs Patel as designated safeguarding lead."),
        p("3.3 Visitors must sign in at reception."),
        h("4. Training"),
        p("4.1 All staff will receive training every three years."),
        p("4.2 Records of training are kept for six years."),
    ]
    data, output = _run(tmp_path, BASE, model, school)
    assert [item["kind"] for item in data["applied"]] == ["added"]
    accepted = _accepted(tmp_path, output)
    at = accepted.index(
        "3.2 The headteacher will appoint Mrs Patel as designated safeguarding lead."
    )
    # numbered as the school numbers that section; the school's next clause renumbered
    new = "3.3 The designated safeguarding lead will attend partnership meetings."
    assert accepted[at + 1 : at + 3] == [new, "3.4 Visitors must sign in at reception."]
    assert _rejected(tmp_path, output) == _texts(tmp_path / "school.docx")


def test_a_removed_clause_is_removed_where_kept_and_a_conflict_where_reworded(
    tmp_path: Path,
) -> None:
    model = [x for k, x in enumerate(BASE) if k not in (6, 9)]
    school = list(BASE)
    school[6] = p("2.3 Visitors must sign in at the school office.")
    data, output = _run(tmp_path, BASE, model, school)
    applied = data["applied"]
    conflicts = data["conflicts"]
    assert isinstance(applied, list)
    assert isinstance(conflicts, list)
    assert [(i["kind"], i["base"]["text"]) for i in applied] == [
        ("removed", "Records of training are kept for six years.")
    ]
    assert [(i["kind"], i["school"]["text"]) for i in conflicts] == [
        ("removed", "Visitors must sign in at the school office.")
    ]
    accepted = _accepted(tmp_path, output)
    assert "3.2 Records of training are kept for six years." not in accepted
    assert "2.3 Visitors must sign in at the school office." in accepted


def test_typed_numbers_the_model_renumbered_follow_where_the_school_kept_them(
    tmp_path: Path,
) -> None:
    model = list(BASE)
    model.insert(5, p("2.2 The governing body will name a link governor for safeguarding."))
    model[6] = p("2.3 The headteacher will appoint a designated safeguarding lead.")
    model[7] = p("2.4 Visitors must sign in at reception.")
    data, output = _run(tmp_path, BASE, model, list(BASE))
    assert _accepted(tmp_path, output) == _texts(tmp_path / "model.docx")
    assert len(data["applied"]) == 1  # renumbering is not a change


def test_headings_renamed_and_sections_added_are_carried(tmp_path: Path) -> None:
    model = list(BASE)
    model[7] = h("3. Training and induction")
    model += [h("4. Online safety"), p("4.1 Filtering and monitoring are reviewed every year.")]
    school = list(BASE) + [p("3.3 Our training lead is Mr Jones.")]
    data, output = _run(tmp_path, BASE, model, school)
    kinds = sorted(i["kind"] for i in data["applied"])
    assert kinds == ["added", "heading added", "heading renamed"]
    accepted = _accepted(tmp_path, output)
    assert "3. Training and induction" in accepted
    assert accepted.index("4. Online safety") < accepted.index(
        "4.1 Filtering and monitoring are reviewed every year."
    )


def test_a_table_row_the_model_added_goes_into_the_schools_table(tmp_path: Path) -> None:
    base = [h("Contacts"), table(("Role", "Name"), ("DSL", "[Name]"), ("Chair", "[Name]"))]
    model = [
        h("Contacts"),
        table(("Role", "Name"), ("DSL", "[Name]"), ("Deputy DSL", "[Name]"), ("Chair", "[Name]")),
    ]
    school = [h("Contacts"), table(("Role", "Name"), ("DSL", "Mrs Patel"), ("Chair", "Mr Khan"))]
    data, output = _run(tmp_path, base, model, school)
    assert _model_texts(data["applied"]) == ["Deputy DSL | [Name]"]
    accepted = _accepted(tmp_path, output)
    assert accepted[1:] == [
        "Role | Name",
        "DSL | Mrs Patel",
        "Deputy DSL | [Name]",
        "Chair | Mr Khan",
    ]


def test_the_command_writes_the_document_and_lists_json_and_refuses_bad_input(
    tmp_path: Path,
) -> None:
    model = list(BASE)
    model[2] = p("1.2 Staff must report concerns immediately.")
    for name, body in (("base", BASE), ("model", model), ("school", BASE)):
        _write(tmp_path, name, body)
    runner = CliRunner()
    args = ["update", str(tmp_path / "school.docx"), "--base", str(tmp_path / "base.docx")]
    args += ["--model", str(tmp_path / "model.docx"), "-o", str(tmp_path / "out.docx")]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"applied", "conflicts", "left"}
    assert (tmp_path / "out.docx").is_file()
    text = runner.invoke(app, args)
    assert "1 model change applied" in text.stdout
    same = runner.invoke(app, [*args[:-1], str(tmp_path / "school.docx")])
    assert same.exit_code == 2
    assert "overwrite" in same.stderr
    (tmp_path / "bad.docx").write_bytes(b"not a word file")
    bad = runner.invoke(app, [*args[:2], "--base", str(tmp_path / "bad.docx"), *args[4:]])
    assert bad.exit_code == 2
    assert "Traceback" not in bad.output
    for wrong in (str(tmp_path), str(tmp_path / "out.pdf")):  # a folder; not a Word file
        refused = runner.invoke(app, [*args[:-1], wrong])
        assert refused.exit_code == 2
        assert ".docx" in refused.stderr


def test_a_section_the_model_moved_carries_its_clauses(tmp_path: Path) -> None:
    """Heading and clauses move together: the section's text is not left behind under the
    heading before it (a clerk's trial found only the heading moved)."""
    base = [h("Aims"), p("We support every pupil."), h("Complaints"),
            p("Complaints go to the class teacher first."), h("Monitoring"),
            p("The policy is reviewed every year.")]  # fmt: skip
    model = [base[0], base[1], base[4], base[5], base[2], base[3]]
    school = list(base)
    school[1] = p("We support every pupil at Oakfield.")
    data, output = _run(tmp_path, base, model, school)
    assert data["conflicts"] == []
    assert _accepted(tmp_path, output) == [
        "Aims", "We support every pupil at Oakfield.", "Monitoring",
        "The policy is reviewed every year.", "Complaints",
        "Complaints go to the class teacher first.",
    ]  # fmt: skip


def test_the_schools_own_numbers_move_on_after_a_model_clause_placed_before_them(
    tmp_path: Path,
) -> None:
    model = list(BASE)
    model.insert(7, p("2.4 Contractors must sign in at reception."))
    school = list(BASE)
    school.insert(7, p("2.4 Our DSL is Mrs Patel."))  # the school's own clause
    school.insert(8, p("2.5 Our deputy DSL is Mr Khan."))
    _, output = _run(tmp_path, BASE, model, school)
    accepted = _accepted(tmp_path, output)
    numbers = [t.split()[0] for t in accepted if t.startswith("2.") and t[2].isdigit()]
    assert numbers == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert "2.4 Contractors must sign in at reception." in accepted


def test_files_that_cannot_be_a_model_and_its_copy_are_refused_or_questioned(
    tmp_path: Path,
) -> None:
    unrelated = [h("Lettings"), p("Halls may be hired in the evening."),
                 p("Hirers must hold insurance."), p("Keys are returned the next day."),
                 p("Fees are paid in advance.")]  # fmt: skip
    for name, body in (("base", BASE), ("model", BASE[:3] + BASE[3:]), ("lettings", unrelated),
                       ("empty", [h("Safeguarding")])):  # fmt: skip
        _write(tmp_path, name, body)
    runner = CliRunner()

    def update(school: str, base: str, model: str) -> Any:
        return runner.invoke(app, ["update", str(tmp_path / f"{school}.docx"), "--base",
                                   str(tmp_path / f"{base}.docx"), "--model",
                                   str(tmp_path / f"{model}.docx"), "-o",
                                   str(tmp_path / "out.docx")])  # fmt: skip

    for school, base, model in (("lettings", "base", "model"), ("empty", "base", "model"),
                                ("base", "base", "empty")):  # fmt: skip
        refused = update(school, base, model)
        assert refused.exit_code == 2, refused.output
        assert "almost none of the model's old revision" in refused.stderr
        assert "Traceback" not in refused.output


def test_a_school_file_still_holding_tracked_changes_is_refused(tmp_path: Path) -> None:
    """Updating the output of an earlier update before it was reviewed would take its
    changes as accepted and add the model's again."""
    model = list(BASE)
    model[2] = p("1.2 Staff must report concerns immediately.")
    data, first = _run(tmp_path, BASE, model, list(BASE))
    assert data["applied"]
    with pytest.raises(PolicydiffError, match="tracked changes"):
        write_update(tmp_path / "base.docx", tmp_path / "model.docx", first,
                     tmp_path / "again.docx")  # fmt: skip


# -- symmetry, with hypothesis --------------------------------------------------------------

WORDS = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=8)
SENTENCE = st.lists(WORDS, min_size=4, max_size=10).map(lambda ws: " ".join(ws).capitalize() + ".")


@st.composite
def revision(draw: st.DrawFn, clauses: list[str]) -> list[str]:
    """`clauses` with some reworded, removed or added."""
    out: list[str] = []
    for clause in clauses:
        what = draw(st.sampled_from(["keep", "keep", "keep", "reword", "remove", "add"]))
        if what == "keep":
            out.append(clause)
        elif what == "reword":
            words = clause.rstrip(".").split()
            at = draw(st.integers(0, len(words) - 1))
            was = words[at]
            words[at] = draw(WORDS.filter(was.__ne__))
            out.append(" ".join(words) + ".")
        elif what == "add":
            out += [clause, draw(SENTENCE)]
    if len(out) > 2 and draw(st.booleans()):  # one clause moved elsewhere
        clause = out.pop(draw(st.integers(0, len(out) - 1)))
        out.insert(draw(st.integers(0, len(out))), clause)
    return out


def _unique(clauses: list[str]) -> bool:
    return len(set(clauses)) == len(clauses)


BASES = st.lists(SENTENCE, min_size=3, max_size=8).filter(_unique)
SLOW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _numbered(clauses: list[str], numbered: bool) -> list[str]:
    """The clauses as paragraphs, each with a typed number ("1.3 ...") when `numbered`."""
    return [f"1.{k + 1} {x}" if numbered else x for k, x in enumerate(clauses)]


def _merge_texts(
    tmp_path: Path, base: list[str], model: list[str], school: list[str], numbered: bool
) -> tuple[dict[str, Any], list[str]]:
    """Merge the three revisions (typed numbers in each when `numbered`, as a clerk renumbers
    after every edit); the listed changes and the Accept All text."""
    folder = tmp_path / str(abs(hash((tuple(base), tuple(model), tuple(school), numbered))))
    folder.mkdir(exist_ok=True)
    sides = [[p(x) for x in _numbered(side, numbered)] for side in (base, model, school)]
    data, output = _run(folder, *sides)
    return data, _texts(accept_all(output, folder / "accepted.docx"))


@SLOW
@given(data=st.data(), base=BASES, numbered=st.booleans())
def test_no_model_change_lists_nothing_and_changes_nothing(
    tmp_path: Path, data: st.DataObject, base: list[str], numbered: bool
) -> None:
    school = data.draw(revision(base))
    listed, accepted = _merge_texts(tmp_path, base, base, school, numbered)
    assert listed["applied"] == listed["conflicts"] == listed["left"] == []
    assert accepted == _numbered(school, numbered)


@SLOW
@given(data=st.data(), base=BASES, numbered=st.booleans())
def test_a_school_that_kept_the_model_takes_every_change(
    tmp_path: Path, data: st.DataObject, base: list[str], numbered: bool
) -> None:
    model = data.draw(revision(base))
    listed, accepted = _merge_texts(tmp_path, base, model, base, numbered)
    assert listed["conflicts"] == listed["left"] == []
    assert accepted == _numbered(model, numbered)


@SLOW
@given(data=st.data(), base=BASES, numbered=st.booleans())
def test_a_school_that_made_the_models_changes_has_nothing_to_do(
    tmp_path: Path, data: st.DataObject, base: list[str], numbered: bool
) -> None:
    model = data.draw(revision(base))
    listed, accepted = _merge_texts(tmp_path, base, model, model, numbered)
    assert listed["applied"] == listed["conflicts"] == listed["left"] == []
    assert accepted == _numbered(model, numbered)


# -- in the store: a policy names its model; status says when the model moved on -----------

POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))


def _pd(store: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLICYDIFF, *args, "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def _ok(store: Path, *args: str) -> str:
    done = _pd(store, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_policy_follows_its_model_and_takes_the_models_approved_revision(
    tmp_path: Path,
) -> None:
    model = list(BASE)
    model[2] = p("1.2 Staff must report concerns immediately.")
    school = list(BASE)
    school[1] = p("1.1 This policy sets out how Oakfield Primary keeps children safe.")
    files = {n: _write(tmp_path, n, b) for n, b in (("v1", BASE), ("v2", model), ("ours", school))}
    store = tmp_path / "store"
    _ok(store, "init")
    add = ("add", "--policy", "trust-safeguarding")
    _ok(store, *add, str(files["v1"]), "--version", "1", "--date", "2024-01-01")
    _ok(store, "approve", "trust-safeguarding@1", "--by", "Trust board", "--date", "2024-01-10",
        "--despite-check")  # fmt: skip
    _ok(store, "add", str(files["ours"]), "--policy", "safeguarding", "--date", "2024-02-01")
    out = tmp_path / "updated.docx"
    nameless = _pd(store, "update", "safeguarding", "-o", str(out))
    assert nameless.returncode == 2
    assert "does not name its model" in nameless.stderr
    assert "follows the model" in _ok(store, "follow", "safeguarding", "trust-safeguarding@1")
    own = _pd(store, "follow", "safeguarding", "safeguarding@latest")
    assert own.returncode == 2
    assert "own model" in own.stderr
    up_to_date = _pd(store, "update", "safeguarding", "-o", str(out))
    assert up_to_date.returncode == 2
    assert "up to date" in up_to_date.stderr
    _ok(store, *add, str(files["v2"]), "--version", "2", "--date", "2025-01-01")
    before = json.loads(_ok(store, "status", "--format", "json", "--today", "2025-02-01"))
    ours = next(x for x in before["policies"] if x["policy"] == "safeguarding")
    assert ours["model"] == {"policy": "trust-safeguarding", "follows": "1", "newer": None}
    _ok(store, "approve", "trust-safeguarding@2", "--by", "Trust board", "--date", "2025-01-10",
        "--despite-check")  # fmt: skip
    after = json.loads(_ok(store, "status", "--format", "json", "--today", "2025-02-01"))
    ours = next(x for x in after["policies"] if x["policy"] == "safeguarding")
    assert ours["model"]["newer"]["version"] == "2"
    assert "policydiff update safeguarding" in _ok(store, "status", "--today", "2025-02-01")
    said = _ok(store, "update", "safeguarding", "-o", str(out), "--format", "json")
    applied = json.loads(said)["applied"]
    assert [a["model"]["text"] for a in applied] == ["Staff must report concerns immediately."]
    accepted = _accepted(tmp_path, out)
    assert "1.1 This policy sets out how Oakfield Primary keeps children safe." in accepted
    assert "1.2 Staff must report concerns immediately." in accepted
    assert _pd(store, "verify").returncode == 0
    drift = json.loads(_ok(store, "drift", "safeguarding", "trust-safeguarding", "-f", "json"))
    assert drift["counts"]["reworded"] == 2  # its own 1.1, and 1.2 the model changed since


def test_the_model_a_policy_follows_reaches_the_other_clerk(tmp_path: Path) -> None:
    """Both clerks record the same model: one record; one clerk's approval of the revision
    does not clash with the other's record of its model."""
    shared = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", str(shared)], check=True)
    a, b = tmp_path / "clerk a", tmp_path / "clerk b"
    _ok(a, "init")
    _ok(a, "add", str(_write(tmp_path, "v1", BASE)), "--policy", "trust-safeguarding")
    _ok(a, "add", str(_write(tmp_path, "ours", BASE[:6])), "--policy", "safeguarding")
    _ok(a, "sync", "--shared", str(shared))
    _ok(b, "init", "--from", str(shared))
    _ok(b, "follow", "safeguarding", "trust-safeguarding@1")
    _ok(a, "follow", "safeguarding", "trust-safeguarding@1")  # the same, made by both
    _ok(a, "approve", "safeguarding@1", "--by", "FGB", "--today", "--despite-check")
    _ok(b, "sync")
    _ok(a, "sync")
    for store in (a, b):
        status = json.loads(_ok(store, "status", "--format", "json"))
        ours = next(x for x in status["policies"] if x["policy"] == "safeguarding")
        assert ours["model"]["policy"] == "trust-safeguarding"
        assert _pd(store, "verify").returncode == 0


# -- drift: how the school's policy departs from its model -------------------------------------


def test_drift_counts_and_lists_each_local_departure_in_every_format(tmp_path: Path) -> None:
    school = list(BASE)
    school[1] = p("1.1 This policy sets out how Oakfield Primary keeps children safe.")
    del school[9]  # removed locally
    school.insert(7, p("2.4 Our designated safeguarding lead is Mrs Patel."))  # added locally
    _write(tmp_path, "model", BASE)
    _write(tmp_path, "school", school)
    runner = CliRunner()
    args = ["drift", str(tmp_path / "school.docx"), str(tmp_path / "model.docx")]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["counts"] == {"kept": 5, "reworded": 1, "added": 1, "removed": 1, "moved": 0}
    kinds = [(c["kind"], c["section"]) for c in data["clauses"]]
    assert kinds == [
        ("reworded locally", "Purpose"),
        ("added locally", "Roles"),
        ("removed locally", "Training"),
    ]
    words = data["clauses"][0]["inline"]
    assert {"op": "delete", "text": "[School name]"} in words
    assert {"op": "insert", "text": "Oakfield Primary"} in words
    text = runner.invoke(app, args).stdout
    assert "keeps 5 as the model says, rewords 1 and has removed 1" in text
    assert "[-[School name]][+Oakfield Primary]" in text
    markdown = runner.invoke(app, [*args, "--format", "md"]).stdout
    assert "~~\\[School name\\]~~" in markdown
    page = tmp_path / "drift.html"
    assert runner.invoke(app, [*args, "--format", "html", "-o", str(page)]).exit_code == 0
    html = page.read_text()
    assert "<del>" in html and "Mrs Patel" in html  # noqa: PT018
    same = json.loads(runner.invoke(app, ["drift", *args[2:] * 2, "-f", "json"]).stdout)
    assert same["clauses"] == []
    assert same["counts"]["kept"] == 7  # every clause of the model, headings aside
