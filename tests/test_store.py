from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policydiff.cli import app
from tests.conftest import SAMPLES

runner = CliRunner()
REVISIONS = ["2016.docx", "2019.docx", "2024.docx", "2025-draft.docx"]
POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--store", str(store)])
    return result.exit_code, result.stdout, result.stderr


def git(store: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(store), *args], capture_output=True, text=True, check=True
    ).stdout


def head(store: Path) -> str:
    return git(store, "rev-parse", "HEAD").strip()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert run(path, "init")[0] == 0
    return path


@pytest.fixture
def filled(store: Path) -> Path:
    code, out, err = run(
        store, "ingest", *(str(SAMPLES / n) for n in REVISIONS), "--policy", "social-media"
    )
    assert code == 0, err
    return store


def test_init_twice_is_harmless(store: Path) -> None:
    before = head(store)
    code, out, _ = run(store, "init")
    assert code == 0
    assert "already a policy store" in out
    assert head(store) == before


def test_four_revisions_ingested_give_a_log_of_four_newest_first(filled: Path) -> None:
    code, out, _ = run(filled, "log", "social-media", "--format", "json")
    assert code == 0
    revisions = json.loads(out)["revisions"]
    assert [r["source"] for r in revisions] == list(reversed(REVISIONS))
    assert [r["version"] for r in revisions] == ["4.1", "4.0", "2", "1"]
    assert revisions[1]["effective"] == "2024-03-12"  # the date the document states
    assert all(r["approved"] is None for r in revisions)
    trailers = git(filled, "log", "-1", "--format=%B")
    assert "Policy: social-media" in trailers
    assert "Version: 4" in trailers
    assert "Source-SHA256: " in trailers


def test_the_same_bytes_again_add_no_commit(filled: Path) -> None:
    before = head(filled)
    code, out, _ = run(
        filled, "ingest", str(SAMPLES / "2025-draft.docx"), "--policy", "social-media"
    )
    assert code == 0
    assert "nothing added" in out
    assert head(filled) == before


def test_diffing_stored_revisions_equals_diffing_their_files(filled: Path) -> None:
    _, by_ref, _ = run(filled, "diff", "social-media@2016", "social-media@2019", "--format", "json")
    _, by_file, _ = run(
        filled, "diff", str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"), "--format", "json"
    )
    a, b = json.loads(by_ref), json.loads(by_file)
    for key in ("summary", "sections", "changes"):
        assert a[key] == b[key]


def test_show_source_gives_back_the_bytes_ingested(filled: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "back.docx"
    code, _, err = run(filled, "show", "social-media@2", "--original", "-o", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes() == (SAMPLES / "2019.docx").read_bytes()


def test_show_prints_the_model_as_text_markdown_and_json(filled: Path) -> None:
    _, text, _ = run(filled, "show", "social-media@latest")
    assert "Social Media Policy: version 4" in text
    _, md, _ = run(filled, "show", "social-media@latest", "--format", "md")
    assert md.startswith("# Social Media Policy")
    assert "\n## PURPOSE AND SCOPE\n" in md
    _, js, _ = run(filled, "show", "social-media@latest", "--format", "json")
    data = json.loads(js)
    assert data["revision"]["version"] == "4.1"
    assert data["sections"][0]["title"] == "PURPOSE AND SCOPE"


def test_refs_name_revisions_every_documented_way(filled: Path) -> None:
    def version(ref: str) -> str:
        code, out, err = run(filled, "show", ref, "--format", "json")
        assert code == 0, err
        return str(json.loads(out)["revision"]["version"])

    assert version("social-media@latest") == "4.1"
    assert version("social-media@latest~3") == "1"
    assert version("social-media@2024") == "4.0"  # by source file name
    assert version("social-media@2") == "2"
    commit = git(filled, "log", "--format=%H", "-1", "HEAD~1").strip()
    assert version(f"social-media@{commit[:10]}") == "4.0"
    assert run(filled, "show", "social-media@approved")[0] == 2
    code, _, _ = run(filled, "approve", "social-media@2019", "--by", "FGB", "--date", "2019-03-20")
    assert code == 0
    assert version("social-media@approved") == "2"
    assert version("social-media@2024-01-01") == "2"  # in force: the latest approved by then
    for bad in ("social-media@99", "nosuch@latest", "social-media@latest~9", "social-media"):
        code, _, err = run(filled, "show", bad)
        assert code == 2
        assert len(err.strip().splitlines()) == 1


def test_an_approval_is_an_annotated_tag_shown_in_the_log(filled: Path) -> None:
    code, out, _ = run(
        filled, "approve", "social-media@4.0", "--by", "Full Governing Body",
        "--date", "2024-03-12", "--minute", "FGB 24/17",
    )  # fmt: skip
    assert code == 0
    assert "approved by Full Governing Body on 12 March 2024" in out
    assert git(filled, "cat-file", "-t", "social-media/v4.0").strip() == "tag"
    _, log, _ = run(filled, "log", "--format", "json")
    approved = [r for r in json.loads(log)["revisions"] if r["approved"]]
    assert approved[0]["approved"] == {
        "by": "Full Governing Body",
        "date": "2024-03-12",
        "minute": "FGB 24/17",
        "despite_check": None,
        "corrected": None,
    }
    code, _, err = run(filled, "approve", "social-media@4.0", "--by", "Someone", "--today")
    assert code == 2
    assert "already approved" in err


def test_blame_names_the_first_revision_for_clauses_nobody_touched(filled: Path) -> None:
    code, out, _ = run(filled, "clauses", "social-media@2024", "--format", "json")
    assert code == 0
    rows = json.loads(out)["clauses"]
    by_text = {r["text"]: r for r in rows}
    untouched = by_text["Staff should only access social media sites in their own time."]
    assert untouched["introduced_in"]["source"] == "2016.docx"
    assert untouched["changed"] == untouched["introduced"] == "1"
    edited = next(r for r in rows if r["text"].startswith("If necessary, action will be taken"))
    assert (edited["introduced"], edited["changed"]) == ("1", "4.0")
    added = next(r for r in rows if r["text"].startswith("Artificial intelligence tools"))
    assert added["introduced"] == "4.0"
    moved = by_text["Staff should use the privacy settings available."]  # moved twice
    assert moved["introduced"] == moved["changed"] == "1"
    split = next(r for r in rows if r["text"].startswith("If a member of staff feels aggrieved"))
    assert (split["introduced"], split["changed"]) == ("1", "2")


def test_verify_passes_and_git_fsck_is_clean(filled: Path) -> None:
    code, out, _ = run(filled, "verify")
    assert code == 0
    assert "All 4 revisions check out" in out
    subprocess.run(["git", "-C", str(filled), "fsck", "--strict"], check=True, capture_output=True)


def test_verify_finds_a_source_changed_behind_its_back(filled: Path) -> None:
    source = filled / "social-media" / "source.docx"
    source.write_bytes(source.read_bytes() + b"tampered")
    message = git(filled, "log", "-1", "--format=%B")
    git(filled, "commit", "-q", "-am", message)
    code, _, err = run(filled, "verify")
    assert code == 1
    assert "social-media@4.1: the stored source file does not match its SHA-256" in err


def test_a_bad_file_in_a_batch_stops_it_before_anything_is_written(store: Path, bad: Path) -> None:
    before = head(store)
    code, _, err = run(
        store, "ingest", str(SAMPLES / "2016.docx"), str(bad / "encrypted.docx"),
        "--policy", "social-media",
    )  # fmt: skip
    assert code == 2
    assert "password-protected" in err
    assert head(store) == before


def test_a_store_edited_by_hand_is_refused_not_overwritten(filled: Path) -> None:
    model = filled / "social-media" / "policy.txt"
    model.write_text(model.read_text() + "clause\tcx\tparagraph\t\tAdded by hand.\n")
    code, _, err = run(filled, "ingest", str(SAMPLES / "2016.docx"), "--policy", "social-media")
    assert code == 2
    assert "has 1 file (social-media/policy.txt) that policydiff did not write" in err
    assert "Added by hand." in model.read_text()
    code, _, err = run(filled, "verify")  # (verify says so too)
    assert code == 1
    assert "social-media/policy.txt" in err


@pytest.mark.parametrize(
    "slug", ["../escape", "-rf", "a/b", "Social Media", "x..y", "HEAD", "a--b"]
)
def test_unsafe_policy_names_are_refused(store: Path, slug: str) -> None:
    before = head(store)
    code, _, err = run(store, "ingest", str(SAMPLES / "2016.docx"), "--policy", slug)
    assert code == 2
    assert "not a usable policy name" in err
    assert head(store) == before


def test_unsafe_version_labels_are_refused(store: Path) -> None:
    for label in ("../x", "v1.lock", "a b", "-x"):
        code, _, err = run(
            store, "ingest", str(SAMPLES / "2016.docx"), "--policy", "p", "--version", label
        )
        assert code == 2
        assert "not a usable version label" in err


def test_no_store_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "none", "log")
    assert code == 2
    assert "there is no policy store" in err


def _ingest_argv(store: Path, name: str) -> list[str]:
    return [
        POLICYDIFF,
        "ingest",
        str(SAMPLES / name),
        "--policy",
        "social-media",
        "--older",
        "--store",
        str(store),
    ]


def _ingest(store: Path, name: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _ingest_argv(store, name),
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


@pytest.mark.parametrize(
    "stage", ["before-objects", "after-objects", "after-commit", "after-ref", "after-checkout"]
)
def test_a_kill_at_any_point_of_an_ingest_leaves_the_store_whole(store: Path, stage: str) -> None:
    assert _ingest(store, "2016.docx").returncode == 0
    killed = _ingest(store, "2019.docx", POLICYDIFF_KILL_AT=stage)
    assert killed.returncode == -9
    code, out, _ = run(store, "log", "--format", "json")
    assert code == 0
    count = len(json.loads(out)["revisions"])
    assert count == (2 if stage in ("after-ref", "after-checkout") else 1)
    assert run(store, "verify")[0] == 0
    again = _ingest(store, "2019.docx")  # the next writer recovers and carries on
    assert again.returncode == 0, again.stderr
    assert git(store, "status", "--porcelain") == ""
    assert len(json.loads(run(store, "log", "--format", "json")[1])["revisions"]) == 2
    subprocess.run(["git", "-C", str(store), "fsck"], check=True, capture_output=True)


def test_two_ingests_at_once_both_land(store: Path) -> None:
    procs = [
        subprocess.Popen(
            _ingest_argv(store, name),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("2016.docx", "2019.docx")
    ]  # (each --older: whichever lands second may be the earlier one)
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    _, out, _ = run(store, "log", "--format", "json")
    revisions = json.loads(out)["revisions"]
    assert sorted(r["source"] for r in revisions) == ["2016.docx", "2019.docx"]
    versions = sorted(r["version"] for r in revisions)
    # (the second to land is version 2, or, if it is the earlier file, named by its date)
    assert versions in (["1", "2"], ["1", "2016-09-05"])
    subprocess.run(["git", "-C", str(store), "fsck"], check=True, capture_output=True)


@pytest.mark.parametrize("stage", ["after-commit", "before-tag", "after-tag"])
def test_a_kill_during_an_approval_leaves_it_done_or_not_done(filled: Path, stage: str) -> None:
    """The approval is its record in the history: killed before main moves, it is not done;
    after, it is done, and the next command that writes makes its tag if the kill came first."""
    proc = subprocess.run(
        [POLICYDIFF, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-12",
         "--store", str(filled)],
        capture_output=True, text=True, env={**os.environ, "POLICYDIFF_KILL_AT": stage}, check=False,
    )  # fmt: skip
    assert proc.returncode == -9
    _, out, _ = run(filled, "log", "--format", "json")
    approved = [r["version"] for r in json.loads(out)["revisions"] if r["approved"]]
    assert approved == ([] if stage == "after-commit" else ["4.0"])
    assert run(filled, "verify")[0] == 0
    assert run(filled, "approve", "social-media@2", "--by", "FGB", "--date", "2019-03-20")[0] == 0
    tags = git(filled, "tag", "--list").split()
    assert tags == (["social-media/v2"] if stage == "after-commit" else
                    ["social-media/v2", "social-media/v4.0"])  # fmt: skip
    assert run(filled, "verify")[0] == 0


def test_verify_finds_a_model_that_no_longer_matches_its_source(filled: Path) -> None:
    model = filled / "social-media" / "policy.txt"
    model.write_text(model.read_text().replace("Bartons Primary School", "Another School", 1))
    git(filled, "commit", "-q", "-am", git(filled, "log", "-1", "--format=%B"))
    code, _, err = run(filled, "verify")
    assert code == 1
    assert "social-media@4.1: the stored model no longer matches its source" in err


def test_verify_finds_a_missing_object(filled: Path) -> None:
    blob = git(filled, "rev-parse", "HEAD~2:social-media/source.docx").strip()
    loose = filled / ".git" / "objects" / blob[:2] / blob[2:]
    assert loose.exists()
    loose.unlink()
    code, _, err = run(filled, "verify")
    assert code == 1
    assert "history is damaged" in err
    assert "social-media@2: a stored file is missing or unreadable" in err


def test_a_model_stored_by_an_earlier_policydiff_still_reads_and_verifies(filled: Path) -> None:
    """Format 1 (before notes, pictures, headers and footers were read) is kept as it was read:
    it loads, shows and diffs, and verify does not call it damaged."""
    model = filled / "social-media" / "policy.txt"
    lines = []
    for line in model.read_text().splitlines():
        parts = line.split("\t")
        if parts[0] == "policydiff-model":
            lines.append("policydiff-model\t1")
        elif parts[0] == "section":
            if parts[5] == "body":
                lines.append("\t".join(parts[:5]))
            else:
                break  # the page headers and footers come last; format 1 had none
        elif parts[0] == "clause":
            lines.append("\t".join(parts[:4] + parts[8:]))
        elif parts[0] not in ("note", "left-out"):
            lines.append(line)
    model.write_text("\n".join(lines) + "\n")
    git(filled, "commit", "-q", "-am", git(filled, "log", "-1", "--format=%B"))
    assert run(filled, "verify")[0] == 0
    code, out, _ = run(filled, "show", "social-media@4.1")
    assert code == 0
    assert "Bartons Primary School" in out
    assert run(filled, "diff", "social-media@4.0", "social-media@4.1")[0] == 0
