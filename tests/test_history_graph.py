"""History on the commit graph: branches, merges, reverts and commits the hook did not see,
in real repositories committed through the real hook."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import git, run_cli

DOC = "specs/042-auth/spec.md"
HEADER = "| Version | Date | Author | Changes |\n|---------|------|--------|---------|\n"


def commit(repo: Path, *args: str, author: str | None = None) -> str:
    """`git commit` as a user types it (the hook runs unless --no-verify); returns the new sha."""
    extra = [f"--author={author}"] if author else []
    proc = subprocess.run(["git", "commit", "-q", *extra, *args], cwd=repo, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"git commit {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return git(repo, "rev-parse", "HEAD").strip()


def edit(repo: Path, old: str, new: str, path: str = DOC) -> None:
    text = (repo / path).read_text()
    assert old in text, old
    (repo / path).write_text(text.replace(old, new, 1))


def version(repo: Path, rev: str = "HEAD", path: str = DOC) -> str:
    return re.search(r"^version: (.*)$", git(repo, "show", f"{rev}:{path}"), re.M).group(1)


def rows(repo: Path, path: str = DOC) -> list[str]:
    table = (repo / path).read_text().split("## Change Log\n\n", 1)[1]
    return [line.split("|")[1].strip() for line in table.splitlines()[2:]]


def keep_both(text: str, frontmatter_side: int) -> str:
    """Resolve conflicts as a person does: both sides' Change Log rows kept (ours first), one
    side's frontmatter lines (two `version:` lines cannot both stay)."""

    def resolve(match: re.Match[str]) -> str:
        ours, theirs = match.group(1), match.group(2)
        if "version:" in ours:
            return (ours, theirs)[frontmatter_side]
        return ours + theirs

    return re.sub(r"<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n", resolve, text, flags=re.S)


@pytest.fixture
def hooked(repo: Path) -> Path:
    """Hooks installed and a document committed through them (0.1.0). Every commit in these
    tests shares one timestamp (conftest pins GIT_AUTHOR_DATE and GIT_COMMITTER_DATE)."""
    run_cli("hooks", "install", cwd=repo)
    # These merges are resolved by hand, as in a clone without the merge driver (its config is
    # per clone): the history must read right either way; the driver has its own tests.
    git(repo, "config", "--remove-section", "merge.plancycle")
    path = repo / DOC
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\ntitle: Auth\nstatus: draft\nversion: 0.1.0\n---\n\n# Auth\n\n## Goals\n\nFewer logins.\n\n"
        "## Change Log\n\n" + HEADER
    )
    git(repo, "add", "-A")
    commit(repo, "-m", "Draft the auth spec")
    assert version(repo) == "0.1.0"
    return repo


def merge(repo: Path, branch: str, frontmatter_side: int) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", "merge", "-q", branch], cwd=repo, capture_output=True, text=True)
    assert proc.returncode != 0, "expected the Change Log rows to conflict"
    (repo / DOC).write_text(keep_both((repo / DOC).read_text(), frontmatter_side))
    git(repo, "add", DOC)
    commit(repo, "--no-edit")
    return proc


def history_json(repo: Path, path: str = DOC) -> list[dict]:
    return json.loads(run_cli("history", path, "--json", cwd=repo).out)["revisions"]


def follow(repo: Path, path: str = DOC) -> set[str]:
    return set(git(repo, "log", "--follow", "--format=%H", "--", path).split())


def merges(repo: Path) -> set[str]:
    return set(git(repo, "log", "--merges", "--format=%H").split())


def assert_parents_first(repo: Path, revisions: list[dict]) -> None:
    """Every revision comes after the revisions it descends from."""
    position = {r["commit"]: i for i, r in enumerate(revisions)}
    for revision in revisions:
        for ancestor in git(repo, "rev-list", f"{revision['commit']}^@", "--", ".").split():
            if ancestor in position:
                assert position[ancestor] < position[revision["commit"]]


def test_a_merge_of_same_second_branches_is_in_step_and_history_follows_both(hooked: Path) -> None:
    repo = hooked
    git(repo, "checkout", "-q", "-b", "topic")
    edit(repo, "## Change Log", "## Risks\n\nPhishing.\n\n## Change Log")
    commit(repo, "-am", "Add risks", author="Grace Hopper <grace@example.com>")
    edit(repo, "Phishing.", "Phishing and SIM swaps.")
    commit(repo, "-am", "Reword the risks", author="Grace Hopper <grace@example.com>")
    assert version(repo) == "0.2.1"
    git(repo, "checkout", "-q", "main")
    edit(repo, "Fewer logins.", "Fewer password prompts.")
    commit(repo, "-am", "Reword the goals")
    assert version(repo) == "0.1.1"
    merge(repo, "topic", frontmatter_side=1)
    assert version(repo) == "0.3.0"  # the hook bumps once, from the higher parent
    assert rows(repo) == ["0.1.0", "0.1.1", "0.2.0", "0.2.1", "0.3.0"]

    check = run_cli("changelog", "sync", "--check", cwd=repo)
    assert "1 document(s) in step with history" in check.out
    assert "version" not in check.err and "bump" not in check.err

    revisions = history_json(repo)
    merge_commit = git(repo, "rev-parse", "HEAD").strip()
    # `git log --follow` lists no merge commits; the merge that made 0.3.0 is a revision here.
    assert {r["commit"] for r in revisions} - {merge_commit} == follow(repo)
    assert merge_commit in {r["commit"] for r in revisions} and merge_commit in merges(repo)
    assert_parents_first(repo, revisions)
    by_subject = {r["subject"]: r for r in revisions}
    assert by_subject["Add risks"]["changes"] == "Added: Risks"
    assert by_subject["Reword the risks"]["changes"] == "Updated: Risks"
    assert by_subject["Reword the goals"]["changes"] == "Updated: Goals"
    assert by_subject["Merge branch 'topic'"]["changes"] == "Added: Risks"  # against its first parent
    assert by_subject["Merge branch 'topic'"]["version"] == "0.3.0"


def test_rows_from_two_branches_are_put_in_version_order(hooked: Path) -> None:
    repo = hooked
    git(repo, "checkout", "-q", "-b", "topic")
    edit(repo, "Fewer logins.", "Fewer password prompts.")
    commit(repo, "-am", "Reword the goals")
    git(repo, "checkout", "-q", "main")
    edit(repo, "## Change Log", "## Risks\n\nPhishing.\n\n## Change Log")
    commit(repo, "-am", "Add risks")
    merge(repo, "topic", frontmatter_side=0)
    # Ours (0.2.0) came first in the conflict, theirs (0.1.1) after it, as a person keeps them.
    assert rows(repo) == ["0.1.0", "0.2.0", "0.1.1", "0.2.1"]
    check = run_cli("changelog", "sync", "--check", cwd=repo, expect=1)
    assert f"{DOC}: rows reordered" in check.out
    run_cli("changelog", "sync", cwd=repo)
    assert rows(repo) == ["0.1.0", "0.1.1", "0.2.0", "0.2.1"]
    assert run_cli("changelog", "sync", "--check", cwd=repo).code == 0
    revisions = history_json(repo)
    assert {r["commit"] for r in revisions} - merges(repo) == follow(repo)
    assert_parents_first(repo, revisions)


def test_a_document_added_and_renamed_on_a_side_branch_keeps_that_branchs_history(repo: Path) -> None:
    (repo / "README.md").write_text("x\n")
    git(repo, "add", "-A")
    commit(repo, "--no-verify", "-m", "Start")
    git(repo, "checkout", "-q", "-b", "topic")
    old = "specs/001-x/draft.md"
    (repo / old).parent.mkdir(parents=True)
    (repo / old).write_text("---\nstatus: draft\nversion: 0.1.0\n---\n\n# X\n\nText.\n")
    git(repo, "add", "-A")
    commit(repo, "--no-verify", "-m", "Draft")
    git(repo, "mv", old, "specs/001-x/spec.md")
    commit(repo, "--no-verify", "-m", "Rename")
    edit(repo, "version: 0.1.0", "version: 0.2.0\nowner: ada", path="specs/001-x/spec.md")
    commit(repo, "--no-verify", "-am", "More")
    for n in range(3):  # main gets further ahead: the date order would list "Start" too early
        (repo / "README.md").write_text(f"{n}\n")
        git(repo, "checkout", "-q", "main")
        commit(repo, "--no-verify", "-am", f"Main {n}")
    git(repo, "merge", "-q", "--no-ff", "--no-verify", "-m", "Merge topic", "topic")
    revisions = history_json(repo, "specs/001-x/spec.md")
    assert [r["subject"] for r in revisions] == ["Draft", "Rename", "More"]
    assert {r["commit"] for r in revisions} == follow(repo, "specs/001-x/spec.md")
    assert [r["path"] for r in revisions] == [old, "specs/001-x/spec.md", "specs/001-x/spec.md"]
    assert [r["changes"] for r in revisions] == ["Created", "(no content change)", "Updated: frontmatter"]
    run_cli("changelog", "sync", cwd=repo)
    assert rows(repo, "specs/001-x/spec.md") == ["0.1.0", "0.2.0"]


def test_a_revert_below_a_version_the_document_had_is_named_and_recorded(hooked: Path) -> None:
    repo = hooked
    edit(repo, "## Change Log", "## Risks\n\nPhishing.\n\n## Change Log")
    commit(repo, "-am", "Add risks")
    assert version(repo) == "0.2.0"
    git(repo, "revert", "--no-edit", "HEAD")  # git runs no pre-commit hook for a revert
    revert = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert version(repo) == "0.1.0"
    record = repo / ".git/plancycle/versions.json"
    record.unlink(missing_ok=True)  # as in a fresh clone: history alone knows 0.2.0
    check = run_cli("changelog", "sync", "--check", cwd=repo, expect=1)
    said = check.out + check.err
    assert revert in said and f"run `plancycle bump {DOC}`" in said
    assert "went back to 0.1.0" in check.err and "below 0.2.0" in check.err
    assert json.loads(record.read_text())["data"]["refs/heads/main"] == {DOC: "0.2.0"}
    # Restoring the table does not answer for the version: the warning stays until a bump.
    run_cli("changelog", "sync", cwd=repo)
    assert rows(repo) == ["0.1.0", "0.2.0"]
    assert revert in run_cli("changelog", "sync", "--check", cwd=repo, expect=None).err
    edit(repo, "version: 0.1.0", "version: 0.2.1")  # what a bump writes, not committed yet
    assert "went back" not in run_cli("changelog", "sync", "--check", cwd=repo, expect=None).err


def test_the_record_of_versions_is_never_lowered(hooked: Path) -> None:
    record = hooked / ".git/plancycle/versions.json"
    other = {"refs/heads/topic": {DOC: "3.0.0"}}
    mine = {DOC: "0.9.0", "other.md": "1.0.0"}
    record.write_text(json.dumps({"format": 1, "data": {**other, "refs/heads/main": mine}}))
    run_cli("changelog", "sync", "--check", cwd=hooked)
    assert json.loads(record.read_text())["data"] == {**other, "refs/heads/main": mine}
    record.write_text(json.dumps({"format": 1, "data": {**other, "refs/heads/main": {DOC: "0.0.9"}}}))
    run_cli("changelog", "sync", "--dry-run", cwd=hooked)
    assert json.loads(record.read_text())["data"] == {**other, "refs/heads/main": {DOC: "0.1.0"}}


def test_content_committed_past_the_hook_is_named_until_a_bump(hooked: Path) -> None:
    repo = hooked
    edit(repo, "Fewer logins.", "Fewer password prompts.")
    commit(repo, "--no-verify", "-am", "Quick fix")
    quiet = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    edit(repo, "| Created |", "| First draft |")  # the Change Log is not content
    commit(repo, "--no-verify", "-am", "Reword a row")
    check = run_cli("changelog", "sync", "--check", cwd=repo)  # the table is right: a warning only
    assert check.err.count("content changed without a version bump (committed with --no-verify?)") == 1
    assert DOC in check.err and quiet in check.err
    assert git(repo, "rev-parse", "--short=7", "HEAD").strip() not in check.err
    edit(repo, "password prompts", "password prompts at all")
    commit(repo, "-am", "Reword again")  # through the hook: bumped, and the bump answers for both
    assert version(repo) == "0.1.1"
    assert "content changed" not in run_cli("changelog", "sync", "--check", cwd=repo).err


def test_versions_of_old_revisions_are_read_as_written(repo: Path) -> None:
    path = repo / DOC
    path.parent.mkdir(parents=True)
    # A flow list makes the block one that only the YAML parser can vouch for.
    text = "---\ntitle: Auth\ntags: [auth, login]\nstatus: draft\nversion: 1.9\n---\n\n# Auth\n\nText.\n"
    path.write_text(text)
    git(repo, "add", "-A")
    commit(repo, "--no-verify", "-m", "Start")
    path.write_text(text.replace("version: 1.9", "version: 1.10").replace("Text.", "More text."))
    commit(repo, "--no-verify", "-am", "Next")
    path.write_text(text.replace("version: 1.9", "version: 1.10\nversion: 1.11").replace("Text.", "Again."))
    commit(repo, "--no-verify", "-am", "Twice")
    path.write_text(text.replace("version: 1.9", "version: 1.11").replace("Text.", "Again."))
    commit(repo, "--no-verify", "-am", "Once")
    data = json.loads(run_cli("history", DOC, "--json", cwd=repo).out)
    assert [r["version"] for r in data["revisions"]] == ["1.9", "1.10", "1.11"]
    assert data["notes"] == [f"{DOC}: skipped 1 revision(s) whose frontmatter did not parse"]
    check = run_cli("changelog", "sync", "--check", cwd=repo, expect=1)
    assert "went back" not in check.err
    run_cli("changelog", "sync", cwd=repo)
    assert rows(repo) == ["1.9", "1.10", "1.11"]


def test_a_shallow_clones_worktree_knows_history_is_incomplete(hooked: Path, tmp_path: Path) -> None:
    edit(hooked, "Fewer logins.", "Fewer password prompts.")
    commit(hooked, "-am", "Reword")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{hooked}", str(shallow))
    git(shallow, "worktree", "add", "-q", str(tmp_path / "tree"), "-b", "work")
    for where in (shallow, tmp_path / "tree"):
        result = run_cli("changelog", "sync", "--check", cwd=where, env={**os.environ})
        assert "shallow clone" in result.err
