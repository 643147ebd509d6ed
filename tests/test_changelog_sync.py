"""Change logs and timelines rebuilt from real git history."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import git, run_cli

DOC = "specs/042-auth/specification.md"


def commit(
    repo: Path, message: str, *, day: int, author: str = "Ada Lovelace <ada@example.com>", paths=("-A",)
) -> None:
    date = f"2026-01-{day:02d}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "add", *paths], cwd=repo, check=True)
    subprocess.run(
        ["git", "commit", "-q", "--no-verify", f"--author={author}", "-m", message],
        cwd=repo,
        check=True,
        env=env,
        capture_output=True,
    )


def write(path: Path, version: str, body: str, status: str = "draft", table: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: Auth\nstatus: {status}\nversion: {version}\n---\n\n# Auth\n\n{body}\n"
        + (f"\n## Change Log\n\n{table}" if table else "")
    )


HEADER = "| Version | Date | Author | Changes |\n|---------|------|--------|---------|\n"


@pytest.fixture
def history_repo(repo: Path) -> Path:
    spec = repo / "specs/042-auth/spec.md"
    write(spec, "0.1.0", "## Goals\n\nFewer logins.\n", table=HEADER)
    commit(repo, "Draft the auth spec", day=1)
    write(spec, "0.1.1", "## Goals\n\nFewer password prompts.\n", table=HEADER)
    commit(repo, "Reword the goals", day=2, author="Grace Hopper <grace@example.com>")
    (repo / "README.md").write_text("unrelated\n")
    commit(repo, "Unrelated change", day=3, author="José Núñez <>")
    git(repo, "mv", "specs/042-auth/spec.md", DOC)
    commit(repo, "Rename the spec", day=4)
    write(repo / DOC, "0.1.1", "## Goals\n\nFewer password prompts, everywhere.\n", table=HEADER)
    commit(repo, "Wording only, no bump", day=5, author="Grace Hopper <grace@example.com>")
    write(
        repo / DOC, "0.2.0", "## Goals\n\nFewer password prompts, everywhere.\n\n## Risks\n\nPhishing.\n", table=HEADER
    )
    commit(repo, "Add risks", day=6, author="José Núñez <>")
    write(
        repo / DOC,
        "1.0.0",
        "## Goals\n\nFewer password prompts, everywhere.\n\n## Risks\n\nPhishing.\n",
        status="approved",
        table=HEADER + "| 0.1.1 | 1999-09-09 | someone | Our own words |\n| note | | | reviewed by legal |\n",
    )
    commit(repo, "Approve", day=7)
    return repo


def table_of(path: Path) -> str:
    return path.read_text().split("## Change Log\n\n", 1)[1]


def test_sync_rebuilds_the_rows_from_history(history_repo: Path) -> None:
    repo = history_repo
    assert run_cli("changelog", "sync", "--check", cwd=repo, expect=1).out.startswith(f"{DOC}: ")
    result = run_cli("changelog", "sync", cwd=repo)
    assert DOC in result.out
    assert table_of(repo / DOC) == HEADER + (
        "| 0.1.0 | 2026-01-01 | Ada Lovelace | Draft the auth spec |\n"
        "| 0.1.1 | 2026-01-02 | Grace Hopper | Our own words |\n"
        "| note | | | reviewed by legal |\n"
        "| 0.2.0 | 2026-01-06 | José Núñez | Add risks |\n"
        "| 1.0.0 | 2026-01-07 | Ada Lovelace | Approve |\n"
    )
    before = (repo / DOC).read_bytes()
    assert "in step with history" in run_cli("changelog", "sync", cwd=repo).out
    assert (repo / DOC).read_bytes() == before
    assert run_cli("changelog", "sync", "--check", cwd=repo).code == 0


def test_hand_edited_cells_and_uncommitted_rows_survive(history_repo: Path) -> None:
    repo = history_repo
    run_cli("changelog", "sync", cwd=repo)
    commit(repo, "Synced change log", day=8)
    text = (repo / DOC).read_text().replace("| Draft the auth spec |", "| First draft, by hand |")
    text = (
        text.replace("version: 1.0.0", "version: 1.1.0") + "| 1.1.0 | 2026-01-09 | Ada Lovelace | Work in progress |\n"
    )
    (repo / DOC).write_text(text)
    assert run_cli("changelog", "sync", "--check", cwd=repo).code == 0
    run_cli("changelog", "sync", cwd=repo)
    assert (repo / DOC).read_text() == text


def test_check_fails_after_a_history_changing_commit_without_the_hook(history_repo: Path) -> None:
    repo = history_repo
    run_cli("changelog", "sync", cwd=repo)
    commit(repo, "Synced change log", day=8)
    assert run_cli("changelog", "sync", "--check", cwd=repo).code == 0
    (repo / DOC).write_text(
        (repo / DOC)
        .read_text()
        .replace("version: 1.0.0", "version: 1.0.1")
        .replace("Phishing.", "Phishing and SIM swaps.")
    )
    commit(repo, "Risks, bumped by hand", day=9)
    failed = run_cli("changelog", "sync", "--check", cwd=repo, expect=1)
    assert f"{DOC}: 1 row(s) added (1.0.1)" in failed.out
    dry = run_cli("changelog", "sync", "--dry-run", cwd=repo).out
    assert "+| 1.0.1 | 2026-01-09 | Ada Lovelace | Risks, bumped by hand |" in dry
    assert "1.0.1 |" not in table_of(repo / DOC)


def test_history_shows_what_git_log_shows(history_repo: Path) -> None:
    repo = history_repo
    data = json.loads(run_cli("history", DOC, "--json", cwd=repo).out)
    ours = [(r["commit"], r["date"], r["author"], r["subject"]) for r in data["revisions"]]
    # (`--follow` ignores `--reverse`, so turn the list round here)
    theirs = [
        tuple(line.split("\x1f"))
        for line in git(repo, "log", "--follow", "--format=%H\x1f%as\x1f%an\x1f%s", "--", DOC).splitlines()
    ][::-1]
    assert ours == theirs
    assert [r["version"] for r in data["revisions"]] == ["0.1.0", "0.1.1", "0.1.1", "0.1.1", "0.2.0", "1.0.0"]
    assert data["revisions"][3]["path"] == DOC and data["revisions"][0]["path"] == "specs/042-auth/spec.md"
    assert data["revisions"][-1]["status_from"] == "draft" and data["revisions"][-1]["status"] == "approved"
    assert data["revisions"][5]["changes"] == "Status: draft → approved"
    assert data["revisions"][4]["changes"] == "Added: Risks"
    assert data["revisions"][3]["changes"] == "Updated: Goals"
    assert data["revisions"][2]["changes"] == "(no content change)"  # the rename
    table = run_cli("history", DOC, cwd=repo).out
    assert "Reword" not in table and "Grace Hopper" in table


def test_log_interleaves_a_features_documents(history_repo: Path) -> None:
    repo = history_repo
    (repo / "specs/042-auth/plan.md").write_text("---\nstatus: draft\nversion: 0.1.0\n---\n# Plan\n")
    commit(repo, "Plan", day=8)
    data = json.loads(run_cli("log", "042-auth", "--json", cwd=repo).out)
    assert data["feature"] == "042-auth"
    assert [r["subject"] for r in data["revisions"]][-2:] == ["Approve", "Plan"]
    theirs = git(repo, "log", "--reverse", "--format=%s", "--", "specs/042-auth").splitlines()
    assert [r["subject"] for r in data["revisions"]] == theirs


def test_merge_commits_and_unusual_authors(repo: Path) -> None:
    doc = repo / "specs/001-x/spec.md"
    write(doc, "0.1.0", "Text.", table=HEADER)
    commit(repo, "Start", day=1, author="Zoë 🚀 Ørsted <>")
    git(repo, "checkout", "-q", "-b", "topic")
    write(doc, "0.2.0", "Text.\n\n## More\n\nx", table=HEADER)
    commit(repo, "Topic work", day=2, author="李雷 <li@example.com>")
    git(repo, "checkout", "-q", "main")
    (repo / "other.md").write_text("x\n")
    commit(repo, "Main work", day=3)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-01-04T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-01-04T12:00:00+00:00",
    }
    subprocess.run(
        ["git", "merge", "-q", "--no-ff", "--no-verify", "-m", "Merge topic", "topic"], cwd=repo, check=True, env=env
    )
    run_cli("changelog", "sync", cwd=repo)
    assert table_of(doc) == HEADER + (
        "| 0.1.0 | 2026-01-01 | Zoë 🚀 Ørsted | Start |\n| 0.2.0 | 2026-01-02 | 李雷 | Topic work |\n"
    )


def test_broken_frontmatter_in_an_old_revision_is_skipped_and_said_once(repo: Path) -> None:
    doc = repo / "specs/001-x/spec.md"
    write(doc, "0.1.0", "Text.", table=HEADER)
    commit(repo, "Start", day=1)
    doc.write_text(doc.read_text().replace("status: draft", "status: [draft"))
    commit(repo, "Broken", day=2)
    doc.write_text(doc.read_text().replace("status: [draft", "status: draft").replace("0.1.0", "0.1.1"))
    commit(repo, "Fixed", day=3)
    result = run_cli("changelog", "sync", cwd=repo)
    assert result.err.count("skipped 1 revision(s) whose frontmatter did not parse") == 1
    assert [line.split(" | ")[0] for line in table_of(doc).splitlines()[2:]] == ["| 0.1.0", "| 0.1.1"]


def test_never_committed_documents_and_empty_repositories(repo: Path) -> None:
    assert "0 document(s)" in run_cli("changelog", "sync", "--check", cwd=repo).out
    write(repo / "specs/001-x/spec.md", "0.1.0", "Text.")
    (repo / "README.md").write_text("x\n")
    commit(repo, "Readme only", day=1, paths=("README.md",))
    assert run_cli("changelog", "sync", "--check", cwd=repo).code == 0
    assert "## Change Log" not in (repo / "specs/001-x/spec.md").read_text()


def test_other_and_extra_columns_are_kept(repo: Path) -> None:
    doc = repo / "specs/001-x/spec.md"
    header = "| Version | Date | Author | Changes | Reviewer |\n|---|---|---|---|---|\n"
    write(doc, "0.1.0", "Text.", table=header + "| 0.1.0 | 2026-01-01 | Ada Lovelace | Start | Grace |\n")
    commit(repo, "Start", day=1)
    write(doc, "0.2.0", "Text.\n\n## More", table=header + "| 0.1.0 | 2026-01-01 | Ada Lovelace | Start | Grace |\n")
    commit(repo, "More", day=2)
    run_cli("changelog", "sync", cwd=repo)
    assert (
        table_of(doc)
        == header
        + "| 0.1.0 | 2026-01-01 | Ada Lovelace | Start | Grace |\n| 0.2.0 | 2026-01-02 | Ada Lovelace | More |  |\n"
    )


def test_missing_table_is_created(repo: Path) -> None:
    doc = repo / "specs/001-x/spec.md"
    write(doc, "0.1.0", "Text.")
    commit(repo, "Start", day=1)
    run_cli("changelog", "sync", cwd=repo)
    assert table_of(doc).endswith("| 0.1.0 | 2026-01-01 | Ada Lovelace | Start |\n")


def test_shallow_clone_says_history_is_incomplete_and_keeps_old_rows(history_repo: Path, tmp_path: Path) -> None:
    run_cli("changelog", "sync", cwd=history_repo)
    commit(history_repo, "Synced", day=8)
    (history_repo / DOC).write_text((history_repo / DOC).read_text().replace("version: 1.0.0", "version: 1.0.1"))
    commit(history_repo, "Bump without a row", day=9)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{history_repo}", str(shallow))
    before = table_of(shallow / DOC)
    result = run_cli("changelog", "sync", cwd=shallow)
    assert "shallow clone" in result.err and "incomplete" in result.err
    after = table_of(shallow / DOC)
    assert after == before + "| 1.0.1 | 2026-01-09 | Ada Lovelace | Bump without a row |\n"
