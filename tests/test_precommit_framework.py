"""The `.pre-commit-hooks.yaml` path, with the real pre-commit framework."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, run_cli

PROJECT = Path(__file__).resolve().parent.parent
PLAN = "specs/042-auth/plan.md"


@pytest.fixture
def framework_repo(tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The hook repository: this project's current files, committed, as pre-commit wants a rev.
    source = tmp_path / "plancycle-src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(PROJECT / name, source / name)
    for name in ("plancycle", "templates", "hooks"):
        shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "plancycle")
    rev = git(source, "rev-parse", "HEAD").strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {source}\n  rev: {rev}\n  hooks:\n  - id: plancycle\n"
    )
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, check=True, capture_output=True)
    run_cli("feature", "new", "042-auth", "--title", "Auth", cwd=repo)
    run_cli("plan", "new", "042-auth", cwd=repo)
    git(repo, "add", "-A")
    _commit(repo, "init")
    return repo


def _commit(repo: Path, message: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["git", "commit", "-m", message],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_COMMITTER_DATE": "2026-02-01T10:00:00+00:00"},
    )
    assert proc.returncode == expect, proc.stdout + proc.stderr
    return proc


def test_framework_stamps_and_keeps_unstaged_edits(framework_repo: Path) -> None:
    repo = framework_repo
    plan = repo / PLAN
    text = plan.read_text()
    staged = text.replace("[Two or three sentences: the approach in plain words and why it fits the spec.]", "Staged.")
    plan.write_text(staged)
    git(repo, "add", PLAN)
    plan.write_text(staged.replace("- **Unit**: [focus and coverage target]", "- **Unit**: unstaged"))
    _commit(repo, "partial")
    committed = git(repo, "show", f"HEAD:{PLAN}")
    assert "version: 0.1.1" in committed and "Staged." in committed and "unstaged" not in committed
    working = plan.read_text()
    assert "version: 0.1.1" in working and "- **Unit**: unstaged" in working
    assert git(repo, "diff", "--cached") == ""
    assert [
        line
        for line in git(repo, "diff", "-U0", PLAN).splitlines()
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ] == [
        "-- **Unit**: [focus and coverage target]",
        "+- **Unit**: unstaged",
    ]


def test_framework_never_loses_an_unstaged_edit_next_to_version(framework_repo: Path) -> None:
    repo = framework_repo
    plan = repo / PLAN
    staged = plan.read_text().replace("## Risks\n", "## Risks\n\nStaged risk.\n")
    plan.write_text(staged)
    git(repo, "add", PLAN)
    unstaged = staged.replace("title: Auth\n", "title: Auth, retitled\n")
    plan.write_text(unstaged)
    index_before = git(repo, "ls-files", "-s", PLAN)
    head_before = git(repo, "rev-parse", "HEAD")
    result = _commit(repo, "near version", expect=1)
    assert "unstaged edits sit next to the lines plancycle stamps" in result.stdout + result.stderr
    assert "exit code: 7" in result.stdout + result.stderr  # refused to protect work, not "already exists"
    assert plan.read_text() == unstaged
    assert git(repo, "ls-files", "-s", PLAN) == index_before
    assert git(repo, "rev-parse", "HEAD") == head_before
    git(repo, "add", PLAN)
    _commit(repo, "all staged")
    assert "version: 0.1.1" in git(repo, "show", f"HEAD:{PLAN}")
    assert plan.read_text() == git(repo, "show", f"HEAD:{PLAN}")
