"""The store's record is tamper-evident (#18): approvals live in the hash-chained history, and
`verify` detects an approval tag forged, deleted or changed behind policydiff's back, commits it
did not make, a branch moved backwards, and (given a copy) a history rewritten whole.

Each test tampers with git itself, as someone who can write the store's folder could."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_store import REVISIONS, git, run

APPROVAL = ("--by", "Full Governing Body", "--date", "2019-03-20", "--minute", "FGB 19/4")


def approved(store: Path) -> dict[str, dict[str, str]]:
    _, out, _ = run(store, "log", "--format", "json")
    return {r["version"]: r["approved"] for r in json.loads(out)["revisions"] if r["approved"]}


def problems(store: Path, *args: str) -> list[str]:
    code, out, err = run(store, "verify", *args)
    found = [line.removeprefix("problem: ") for line in err.splitlines() if "problem: " in line]
    assert (code == 1) == bool(found), (code, out, err)
    assert code in (0, 1), err
    return found


def forge_tag(store: Path, name: str, target: str, on: str) -> None:
    text = f"Approve\n\nApproved-By: Full Governing Body\nApproved-On: {on}\n"
    git(store, "tag", "-f", "-a", "-m", text, name, target)


def revision_commit(store: Path, version: str) -> str:
    _, out, _ = run(store, "log", "--format", "json")
    return str(next(r["commit"] for r in json.loads(out)["revisions"] if r["version"] == version))


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert run(path, "init")[0] == 0
    code, _, err = run(path, "ingest", *(str(SAMPLES / n) for n in REVISIONS), "-p", "social-media")
    assert code == 0, err
    return path


@pytest.fixture
def approved_store(filled: Path) -> Path:
    assert run(filled, "approve", "social-media@2", *APPROVAL)[0] == 0
    assert problems(filled) == []
    return filled


def test_an_approval_is_a_commit_in_the_history_and_a_tag(approved_store: Path) -> None:
    subject = git(approved_store, "log", "-1", "--format=%s").strip()
    assert subject == "Approve social-media version 2"
    record = json.loads((approved_store / "social-media" / "record.json").read_text())
    assert [(r["record"], r["revision"], r["approved_on"], r["minute"]) for r in record] == [
        ("approval", "2", "2019-03-20", "FGB 19/4")
    ]
    assert git(approved_store, "cat-file", "-t", "social-media/v2").strip() == "tag"
    assert approved(approved_store)["2"]["date"] == "2019-03-20"


def test_a_forged_approval_tag_is_not_an_approval_and_verify_names_it(
    approved_store: Path,
) -> None:
    forge_tag(
        approved_store, "social-media/v4.1", revision_commit(approved_store, "4.1"), "2025-06-01"
    )
    assert "4.1" not in approved(approved_store)
    code, out, _ = run(approved_store, "show", "social-media@approved")
    assert code == 0
    found = problems(approved_store)
    assert len(found) == 1
    assert "social-media/v4.1" in found[0]
    assert "records no such" in found[0]
    code, _, err = run(approved_store, "approve", "social-media@4.1", "--by", "FGB", "--date",
                       "2025-06-02", "--despite-check")  # fmt: skip
    assert code == 2
    assert "does not record" in err


def test_a_deleted_approval_tag_is_found_and_the_approval_still_stands(
    approved_store: Path,
) -> None:
    git(approved_store, "tag", "-d", "social-media/v2")
    assert approved(approved_store)["2"]["by"] == "Full Governing Body"
    found = problems(approved_store)
    assert len(found) == 1
    assert "its tag social-media/v2 has been deleted" in found[0]


@pytest.mark.parametrize(
    "change",
    ["date", "target", "lightweight"],
)
def test_an_approval_tag_changed_by_hand_is_found(approved_store: Path, change: str) -> None:
    if change == "date":
        forge_tag(approved_store, "social-media/v2", revision_commit(approved_store, "2"),
                  "2019-01-01")  # fmt: skip
    elif change == "target":
        forge_tag(approved_store, "social-media/v2", revision_commit(approved_store, "4.0"),
                  "2019-03-20")  # fmt: skip
    else:
        git(approved_store, "tag", "-f", "social-media/v2", revision_commit(approved_store, "2"))
    assert approved(approved_store)["2"]["date"] == "2019-03-20"  # the record, not the tag
    found = problems(approved_store)
    assert len(found) == 1
    assert "does not match the approval the history records" in found[0]


def test_a_dropped_latest_revision_is_found_from_the_branch_log(approved_store: Path) -> None:
    git(approved_store, "reset", "-q", "--hard", "HEAD~1")  # drops the approval record
    found = problems(approved_store)
    assert any("history was rewritten" in p for p in found), found
    assert any("social-media/v2" in p and "records no such" in p for p in found), found


def test_a_commit_made_outside_policydiff_is_found(approved_store: Path) -> None:
    meta = approved_store / "social-media" / "meta.json"
    meta.write_text(meta.read_text().replace('"version": "4.1"', '"version": "5"'))
    (approved_store / "notes.txt").write_text("a file added by hand\n")
    git(approved_store, "add", "-A")
    git(approved_store, "commit", "-q", "-m", "Tidy up")
    found = problems(approved_store)
    assert len(found) == 1
    assert "was not made by policydiff" in found[0]
    assert "Tidy up" in found[0]


def copy_of(store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.git"
    subprocess.run(["git", "clone", "-q", "--mirror", str(store), str(copy)], check=True)
    return copy


def test_a_copy_that_agrees_verifies_clean_and_later_records_are_fine(
    approved_store: Path, tmp_path: Path
) -> None:
    copy = copy_of(approved_store, tmp_path)
    assert problems(approved_store, "--against", str(copy)) == []
    assert run(approved_store, "approve", "social-media@4.0", "--by", "FGB", "--date",
               "2024-03-12")[0] == 0  # fmt: skip
    assert problems(approved_store, "--against", str(copy)) == []  # this store is ahead
    assert problems(approved_store, "--against", f"file://{copy}") == []


def test_history_rewritten_whole_is_found_only_against_a_copy(
    approved_store: Path, tmp_path: Path
) -> None:
    """The thorough forger: drops the latest revision, re-makes the approval record and tag
    consistently, and clears the branch's log. The store alone cannot tell; the copy can."""
    copy = copy_of(approved_store, tmp_path)
    record = git(approved_store, "rev-parse", "HEAD").strip()
    git(approved_store, "reset", "-q", "--hard", "HEAD~2")  # before the draft and the approval
    git(approved_store, "cherry-pick", record)
    git(approved_store, "tag", "-d", "social-media/v2")
    # (the forger copies the tag's message exactly)
    message = (
        "Approve social-media version 2\n\nApproved-By: Full Governing Body\n"
        "Approved-On: 2019-03-20\nMinute: FGB 19/4\n"
    )
    git(approved_store, "tag", "-f", "-a", "-m", message, "social-media/v2",
        revision_commit(approved_store, "2"))  # fmt: skip
    shutil.rmtree(approved_store / ".git" / "logs")
    assert "4.1" not in _versions(approved_store)
    assert problems(approved_store) == []  # what verify cannot see without a copy
    found = problems(approved_store, "--against", str(copy))
    assert any("differ after" in p and "rewritten" in p for p in found), found


def test_a_dropped_revision_with_its_branch_log_cleared_is_found_against_a_copy(
    filled: Path, tmp_path: Path
) -> None:
    copy = copy_of(filled, tmp_path)
    git(filled, "reset", "-q", "--hard", "HEAD~1")
    shutil.rmtree(filled / ".git" / "logs")
    assert problems(filled) == []
    found = problems(filled, "--against", str(copy))
    assert len(found) == 1, found
    assert "holds 1 record this store does not" in found[0]


@pytest.mark.parametrize("copy", ["nowhere", "ext::sh -c touch% pwned", "/"])
def test_a_copy_that_cannot_be_read_is_a_one_line_refusal(
    approved_store: Path, copy: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(approved_store, "verify", "--against", copy)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "cannot read a copy of the store" in err
    assert not (tmp_path / "pwned").exists()
    assert not (approved_store / "pwned").exists()


def test_a_store_from_an_earlier_policydiff_records_its_tagged_approvals_on_first_write(
    filled: Path,
) -> None:
    """Format 1 kept approvals as tags only: they are honoured as they are, verify says they
    cannot be checked, and the first command that writes records them in the history."""
    for name, version, on in (("social-media/v2", "2", "2019-03-20"),
                              ("social-media/v4.0", "4.0", "2024-03-12")):  # fmt: skip
        forge_tag(filled, name, revision_commit(filled, version), on)
    marker = filled / "policydiff-store.json"
    marker.write_text(json.dumps({"format": 1, "created_by": "policydiff"}, indent=1) + "\n")
    git(filled, "commit", "-q", "-am", "Create the policy store")  # as an old store had it
    assert sorted(approved(filled)) == ["2", "4.0"]
    assert any("earlier policydiff" in p for p in problems(filled))
    code, _, err = run(
        filled, "approve", "social-media@4.1", "--by", "FGB", "--date", "2025-06-01",
        "--despite-check",
    )  # fmt: skip
    assert code == 0, err
    assert {v: a["date"] for v, a in approved(filled).items()} == {
        "2": "2019-03-20",
        "4.0": "2024-03-12",
        "4.1": "2025-06-01",
    }
    subjects = git(filled, "log", "--format=%s", "-4").splitlines()
    assert subjects[0] == "Approve social-media version 4.1"
    assert subjects[1] == "Record approvals in the store's history (store format 2)"
    assert json.loads(marker.read_text())["format"] == 2
    found = problems(filled)
    assert len(found) == 1
    assert "was not made by policydiff" in found[0]


def _versions(store: Path) -> list[str]:
    _, out, _ = run(store, "log", "--format", "json")
    return [r["version"] for r in json.loads(out)["revisions"]]


# -- found by a helper trying to break the record (see the #18 note) --------------------------


def test_a_replacement_object_does_not_change_what_the_store_says(approved_store: Path) -> None:
    """`git replace` lets another commit stand in for the approval record: git run by hand
    shows the impostor, policydiff reads the real one and verify names the replacement."""
    record = git(approved_store, "rev-parse", "HEAD").strip()
    fake = subprocess.run(
        ["git", "-C", str(approved_store), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=git(approved_store, "cat-file", "-p", record).replace("Full Governing Body", "M"),
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    git(approved_store, "replace", record, fake)
    assert "Approved-By: M" in git(approved_store, "log", "-1", "--format=%B")
    assert approved(approved_store)["2"]["by"] == "Full Governing Body"
    found = problems(approved_store)
    assert any("replacement" in p for p in found), found


def _hand_record(store: Path, edit: str, trailers: str) -> None:
    record = store / "social-media" / "record.json"
    if edit == "newline":
        record.write_text(record.read_text() + "\n")
    else:
        record.write_text(record.read_text().replace("Full Governing Body", "Head"))
    git(store, "commit", "-q", "-am", "Approve social-media version 2", "-m", trailers)


@pytest.mark.parametrize("edit", ["newline", "in place"])
def test_a_record_commit_whose_file_does_not_hold_it_is_found(
    approved_store: Path, edit: str
) -> None:
    revision = revision_commit(approved_store, "4.0" if edit == "newline" else "2")
    version = "4.0" if edit == "newline" else "2"
    trailers = (
        f"Policy: social-media\nRevision: {version}\nRevision-Commit: {revision}\n"
        "Record: approval\nApproved-By: Head\nApproved-On: 2024-04-01\n"
        "Recorded: 2026-12-01T03:50:00+00:00"
    )
    _hand_record(approved_store, edit, trailers)
    message = "Approve\n\nApproved-By: Head\nApproved-On: 2024-04-01\n"
    git(approved_store, "tag", "-f", "-a", "-m", message, f"social-media/v{version}", revision)
    found = problems(approved_store)
    assert any("does not append what it says" in p for p in found), found


def test_signing_and_filter_commands_in_the_settings_never_run(
    approved_store: Path, tmp_path: Path
) -> None:
    ran = tmp_path / "ran"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\necho ran >> {ran}\ncat\n")
    evil.chmod(0o755)
    included = tmp_path / "more.config"
    included.write_text(f'[filter "x"]\n\tclean = {evil}\n\tsmudge = {evil}\n')
    git(approved_store, "config", "tag.gpgSign", "true")
    git(approved_store, "config", "gpg.program", str(evil))
    code, _, err = run(approved_store, "approve", "social-media@1", "--by", "FGB", "--date",
                       "2016-10-01", "--despite-check")  # fmt: skip
    assert code == 0, err
    git(approved_store, "config", "include.path", str(included))
    (approved_store / ".git" / "info" / "attributes").write_text("* filter=x\n")
    code, _, err = run(approved_store, "withdraw", "social-media@1", "--reason", "a test")
    assert code == 2
    assert "filter command (filter.x.clean)" in err
    found = problems(approved_store)
    for key in ("tag.gpgsign", "gpg.program", "include.path", "filter.x.clean"):
        assert any(f"({key})" in p for p in found), (key, found)
    assert not ran.exists()


@pytest.mark.parametrize("option", ["--by", "--minute"])
@pytest.mark.parametrize("value", ["\udcff\udcfe", "\x1b]0;x\x07\x1b[2J"])
def test_approval_text_that_is_not_plain_text_is_refused(
    approved_store: Path, option: str, value: str
) -> None:
    args = {"--by": "FGB", "--minute": "M1"}
    args[option] = value
    code, _, err = run(approved_store, "approve", "social-media@1", "--by", args["--by"],
                       "--minute", args["--minute"], "--date", "2016-10-01", "--despite-check")  # fmt: skip
    assert code == 2, err
    assert option in err
