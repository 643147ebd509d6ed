"""The hook never loses people's edits and never writes a version that never was: unstaged
edits of stamped lines, aborted commits, amends, reverts, versions like `1.10`, short forms
and duplicate keys. Real `git commit` in real repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import PLAN, commit, edit, fields, git, run_cli, table

LATER = "2026-02-01T10:00:00+00:00"


def test_unstaged_edit_of_the_version_line_survives_the_commit(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Risks\n", "## Risks\n\nStaged risk.\n")
    git(planned, "add", PLAN)
    edit(plan, "version: 0.1.0", "version: 2.0.0")  # not staged
    edit(plan, "## Testing\n", "## Testing\n\nUnstaged note.\n")
    result = commit(planned, "-m", "Risk")
    assert fields(planned)["version"] == "0.1.1"  # the commit is stamped
    text = plan.read_text()
    assert "version: 2.0.0" in text and "Unstaged note." in text  # the working tree keeps the user's line
    assert "updated: 2026-02-01" in text  # the lines the user did not touch are stamped there too
    assert "kept your unstaged `version: 2.0.0`" in result.stderr
    assert git(planned, "diff", "--", PLAN).count("\n-version: 0.1.1") == 1


def test_consecutive_commits_keep_every_row(planned: Path) -> None:
    plan = planned / PLAN
    for n in range(3):
        edit(plan, "## Risks\n", f"## Risks\n\nRisk {n}.\n")
        commit(planned, "-am", f"Risk {n}")
    rows = table(planned)
    assert [r["Version"] for r in rows] == ["0.1.0", "0.1.1", "0.1.2", "0.1.3"]
    assert all(r["Changes"] == "Updated: Risks" for r in rows[1:])


def test_an_aborted_commit_leaves_no_false_version_behind(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Risks\n", "## Risks\n\nA risk.\n")
    git(planned, "add", PLAN)
    # An empty message: git runs pre-commit, then aborts the commit.
    aborted = subprocess.run(
        ["git", "commit", "-q"], cwd=planned, capture_output=True, text=True, env={**os.environ, "GIT_EDITOR": "true"}
    )
    assert aborted.returncode != 0 and "0.1.1" in plan.read_text()
    edit(plan, "## Open Questions\n", "## Goals\n\nShip it.\n\n## Open Questions\n")
    git(planned, "add", PLAN)
    commit(planned, "-m", "Risk and goals")
    assert fields(planned)["version"] == "0.2.0"
    rows = table(planned)
    assert [r["Version"] for r in rows] == ["0.1.0", "0.2.0"]
    assert "Added: Goals" in rows[-1]["Changes"] and "Updated: Risks" in rows[-1]["Changes"]


def test_amend_that_adds_a_heading_is_minor_against_the_parent(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Risks\n", "## Risks\n\nA risk.\n")
    commit(planned, "-am", "Risk")
    assert fields(planned)["version"] == "0.1.1"
    edit(plan, "## Open Questions\n", "## Goals\n\nShip it.\n\n## Open Questions\n")
    commit(planned, "-a", "--amend", "--no-edit")
    assert fields(planned)["version"] == "0.2.0"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.2.0"]
    assert "Added: Goals" in table(planned)[-1]["Changes"]


def test_after_a_revert_the_next_version_is_above_every_one_the_document_had(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Open Questions\n", "## Goals\n\nShip it.\n\n## Open Questions\n")
    commit(planned, "-am", "Goals")
    assert fields(planned)["version"] == "0.2.0"
    git(planned, "revert", "--no-edit", "HEAD")  # git runs no pre-commit hook here
    assert fields(planned)["version"] == "0.1.0"
    edit(plan, "## Risks\n", "## Risks\n\nA risk.\n")
    commit(planned, "-am", "Risk")
    assert fields(planned)["version"] == "0.2.1"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.2.1"]


def test_versions_are_read_as_written_everywhere(planned: Path) -> None:
    plan = planned / PLAN
    # raised by hand (kept), then a wording edit: the patch after what was written
    for written, expected in (("1.10", "1.10.1"), ('"2.0"', "2.0.1"), ("3.0.0-rc.1", "3.0.1")):
        text = plan.read_text()
        current = next(line for line in text.splitlines() if line.startswith("version:"))
        plan.write_text(text.replace(current, f"version: {written}", 1))
        commit(planned, "-am", f"set {written}")  # raised by hand: kept, normalised
        edit(plan, "## Risks\n", f"## Risks\n\nRisk after {written}.\n")
        commit(planned, "-am", f"edit after {written}")
        assert str(fields(planned)["version"]) == expected, written
    status = run_cli("status", "--json", cwd=planned).out
    assert '"version": "3.0.1"' in status
    rows = [r["Version"] for r in table(planned)]
    assert rows[1:] == ["1.10.0", "1.10.1", "2.0.0", "2.0.1", "3.0.0-rc.1", "3.0.1"]


def test_short_versions_are_normalised_with_a_note(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "version: 0.1.0", "version: v2")
    result = commit(planned, "-am", "Two")
    assert fields(planned)["version"] == "2.0.0"
    assert table(planned)[-1]["Version"] == "2.0.0"
    assert "version v2 read as 2.0.0" in result.stderr
    bumped = run_cli("bump", PLAN, "--minor", cwd=planned)
    assert "2.0.0 → 2.1.0" in bumped.out


def test_a_duplicate_or_empty_version_is_refused_by_every_command(planned: Path) -> None:
    plan = planned / PLAN
    good = plan.read_text()
    for broken, message in (("version: 0.1.0\nversion: 0.2.0", "twice"), ("version:", "empty")):
        plan.write_text(good.replace("version: 0.1.0", broken, 1))
        before = plan.read_bytes()
        result = commit(planned, "-am", "broken", expect=1)
        assert message in result.stderr and PLAN in result.stderr
        assert f"{PLAN}:" in result.stderr  # with the line
        assert plan.read_bytes() == before
        assert message in run_cli("bump", PLAN, cwd=planned, expect=5).err
        status = run_cli("status", cwd=planned, expect=None)
        assert message in status.err
        git(planned, "checkout", "--", PLAN)


def _abort(repo: Path) -> None:
    aborted = subprocess.run(
        ["git", "commit", "-q"], cwd=repo, capture_output=True, text=True, env={**os.environ, "GIT_EDITOR": "true"}
    )
    assert aborted.returncode != 0


def test_a_discarded_aborted_commit_uses_up_no_version(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Risks\n", "## Risks\n\nA risk.\n")
    git(planned, "add", PLAN)
    _abort(planned)  # stamped 0.1.1, then git gave up
    git(planned, "restore", "--staged", "--worktree", PLAN)
    edit(plan, "## Testing\n", "## Testing\n\nMore tests.\n")
    commit(planned, "-am", "Testing")
    assert fields(planned)["version"] == "0.1.1"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.1.1"]


def test_an_aborted_commit_then_an_amend_bumps_once_from_the_parent(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Risks\n", "## Risks\n\nA risk.\n")
    commit(planned, "-am", "one")
    assert fields(planned)["version"] == "0.1.1"
    edit(plan, "## Testing\n", "## Testing\n\nMore tests.\n")
    git(planned, "add", PLAN)
    _abort(planned)  # a second stamp, 0.1.2, left in the index
    commit(planned, "--amend", "--no-edit")
    assert fields(planned)["version"] == "0.1.1"
    rows = table(planned)
    assert [r["Version"] for r in rows] == ["0.1.0", "0.1.1"]
    assert rows[-1]["Changes"] == "Updated: Testing, Risks"  # measured against the parent, 0.1.0


def test_the_bump_sync_asks_for_after_a_revert_lifts_the_version_above(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "## Open Questions\n", "## Goals\n\nShip it.\n\n## Open Questions\n")
    commit(planned, "-am", "Goals")
    git(planned, "revert", "--no-edit", "HEAD")
    assert "plancycle bump" in run_cli("changelog", "sync", "--check", cwd=planned, expect=1).err
    bumped = run_cli("bump", PLAN, cwd=planned)
    assert "0.1.0 → 0.2.1" in bumped.out
