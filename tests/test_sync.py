"""Two clerks, one shared store (#19): a real bare repository and two clones, through the real
command. Each clerk's additions reach the other; additions to different policies (and
approvals of revisions the other did not touch) are put one after the other; additions of
revisions to the same policy on both sides stop with a clear message, and one clerk's can be
set aside (kept, not erased)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))


def pd(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLICYDIFF, *args, "--store", str(store)], capture_output=True, text=True, check=False
    )


def ok(store: Path, *args: str) -> str:
    done = pd(store, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def held(store: Path) -> list[tuple[str, str, str | None]]:
    revisions = json.loads(ok(store, "log", "--format", "json"))["revisions"]
    return sorted(
        (r["policy"], r["version"], r["approved"] and r["approved"]["date"]) for r in revisions
    )


@pytest.fixture
def clerks(tmp_path: Path) -> tuple[Path, Path, Path]:
    shared = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", str(shared)], check=True)
    a, b = tmp_path / "clerk a", tmp_path / "clerk b"  # (paths with spaces)
    ok(a, "init")
    ok(a, "add", str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"), "-p", "social-media")
    assert "sent 2 of yours" in ok(a, "sync", "--shared", str(shared))
    assert "a copy of the shared store" in ok(b, "init", "--from", str(shared))
    return shared, a, b


def test_each_clerks_additions_reach_the_other(clerks: tuple[Path, Path, Path]) -> None:
    shared, a, b = clerks
    assert held(b) == held(a)
    ok(a, "add", str(SAMPLES / "2024.docx"), "-p", "social-media")
    ok(b, "add", str(SAMPLES / "2024.docx"), "-p", "online-safety", "--new-policy")
    ok(b, "approve", "social-media@2", "--by", "FGB", "--date", "2019-03-20", "--despite-check")
    ok(a, "sync")
    assert "took 1 change other clerks made, sent 2" in ok(b, "sync")
    ok(a, "sync")
    assert (
        held(a)
        == held(b)
        == [
            ("online-safety", "4.0", None),
            ("social-media", "1", None),
            ("social-media", "2", "2019-03-20"),
            ("social-media", "4.0", None),
        ]
    )
    for store in (a, b):
        assert pd(store, "verify", "--against", str(shared)).returncode == 0
    tags = subprocess.run(["git", "-C", str(shared), "tag"], capture_output=True, text=True)
    assert tags.stdout.split() == ["social-media/v2"]


def test_two_clerks_syncing_at_once_both_land(clerks: tuple[Path, Path, Path]) -> None:
    shared, a, b = clerks
    ok(a, "add", str(SAMPLES / "2024.docx"), "-p", "online-safety", "--new-policy")
    ok(b, "add", str(SAMPLES / "2024.docx"), "-p", "acceptable-use", "--new-policy")
    procs = [
        subprocess.Popen([POLICYDIFF, "sync", "--store", str(s)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for s in (a, b)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    ok(a, "sync")
    ok(b, "sync")
    assert held(a) == held(b)
    assert {p for p, _, _ in held(a)} == {"social-media", "online-safety", "acceptable-use"}
    assert pd(a, "verify", "--against", str(shared)).returncode == 0


def test_revisions_of_one_policy_added_on_both_sides_stop_until_one_is_set_aside(
    clerks: tuple[Path, Path, Path],
) -> None:
    shared, a, b = clerks
    ok(a, "add", str(SAMPLES / "2024.docx"), "-p", "social-media")
    ok(b, "add", str(SAMPLES / "2024.docx"), "-p", "social-media", "-m", "b's copy")
    ok(a, "sync")
    refused = pd(b, "sync")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "both this store and the shared one added to social-media" in refused.stderr
    assert "version 4.0 from 2024.docx" in refused.stderr
    assert "--set-aside social-media" in refused.stderr
    out = ok(b, "sync", "--set-aside", "social-media")
    assert "Your additions to social-media are set aside, not erased" in out
    assert held(b) == held(a)
    notes = [r["note"] for r in json.loads(ok(b, "log", "--format", "json"))["revisions"]]
    assert "b's copy" not in notes
    kept = subprocess.run(["git", "-C", str(b), "for-each-ref", "--format=%(objectname)",
                           "refs/policydiff/set-aside"], capture_output=True, text=True)  # fmt: skip
    assert "Note: b's copy" in subprocess.run(
        ["git", "-C", str(b), "log", "-1", "--format=%B", kept.stdout.strip()],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert pd(b, "verify", "--against", str(shared)).returncode == 0


def test_versions_of_one_policy_added_on_each_side_are_put_one_after_the_other(
    clerks: tuple[Path, Path, Path],
) -> None:
    shared, a, b = clerks
    ok(a, "add", str(SAMPLES / "2024.docx"), "-p", "social-media")
    ok(b, "add", str(SAMPLES / "2025-draft.docx"), "-p", "social-media")
    ok(a, "sync")
    ok(b, "sync")
    ok(a, "sync")
    assert [v for p, v, _ in held(a) if p == "social-media"] == ["1", "2", "4.0", "4.1"]
    assert held(a) == held(b)


def test_a_store_not_yet_shared_says_how(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ok(store, "init")
    done = pd(store, "sync")
    assert done.returncode == 2
    assert "--shared" in done.stderr
    bad = pd(store, "sync", "--shared", "nowhere")
    assert bad.returncode == 2
    assert "not a store policydiff can reach" in bad.stderr


def test_clerks_syncing_at_once_again_and_again_never_crash_or_leave_a_false_alarm(
    clerks: tuple[Path, Path, Path],
) -> None:
    """The clerk who loses the race is told to sync again (never an internal error), and the
    commits replayed twice are accounted for: verify finds nothing."""
    shared, a, b = clerks
    for round_ in range(4):
        ok(a, "add", str(SAMPLES / "2024.docx"), "-p", f"a-policy-{round_}", "--new-policy")
        ok(b, "add", str(SAMPLES / "2024.docx"), "-p", f"b-policy-{round_}", "--new-policy")
        procs = [
            subprocess.Popen([POLICYDIFF, "sync", "--store", str(s)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for s in (a, b)
        ]  # fmt: skip
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode in (0, 2), err
            assert "internal error" not in err
        for store in (a, b):
            ok(store, "sync")
    ok(a, "sync")
    assert held(a) == held(b)
    for store in (a, b):
        assert pd(store, "verify").returncode == 0, pd(store, "verify").stderr


def test_a_store_with_no_history_in_common_is_named_and_not_remembered(
    clerks: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    shared, a, _ = clerks
    other = tmp_path / "other school"
    ok(other, "init")
    ok(other, "add", str(SAMPLES / "2024.docx"), "-p", "uniform")
    refused = pd(a, "sync", "--shared", str(other))
    assert refused.returncode == 2
    assert "another store's history" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    ok(a, "sync")  # the right shared store is still the one remembered
    against = pd(a, "verify", "--against", str(other))
    assert against.returncode == 1
    assert "another store's history" in against.stderr
    assert "internal error" not in against.stderr


def test_which_profile_checks_a_policy_is_shared(clerks: tuple[Path, Path, Path]) -> None:
    shared, a, b = clerks
    ok(a, "profile", "social-media", "default")
    ok(b, "profile", "--title", "uniform", "school-policy")
    ok(a, "sync")
    ok(b, "sync")
    ok(a, "sync")
    for store in (a, b):
        listed = ok(store, "profile")
        assert "social-media (Social Media Policy): default" in listed
        assert (store / "profiles.toml").read_text().count("school-policy") == 1
        assert pd(store, "verify", "--against", str(shared)).returncode == 0


def test_the_same_file_added_by_both_clerks_is_one_revision_not_a_clash(
    clerks: tuple[Path, Path, Path],
) -> None:
    shared, a, b = clerks
    ok(a, "add", str(SAMPLES / "2024.docx"), "-p", "social-media")
    ok(b, "add", str(SAMPLES / "2024.docx"), "-p", "social-media")
    ok(b, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-12", "--despite-check")
    ok(a, "sync")
    ok(b, "sync")  # (b's copy is a's; b's approval now names a's revision)
    ok(a, "sync")
    assert held(a) == held(b)
    assert ("social-media", "4.0", "2024-03-12") in held(a)
    assert [v for p, v, _ in held(a) if p == "social-media"].count("4.0") == 1
    for store in (a, b):
        assert pd(store, "verify", "--against", str(shared)).returncode == 0
