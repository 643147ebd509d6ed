"""Real git repositories in tmp_path, the real CLI in a subprocess, the user's git config shut out."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest

from plancycle.documents import changelog
from plancycle.documents.document import Document

# PLANCYCLE_UPDATE_GOLDEN=1 pytest … accepts new output as the expected files after a deliberate change.
UPDATE_GOLDEN = os.environ.get("PLANCYCLE_UPDATE_GOLDEN") == "1"
AUTHOR = "Ada Lovelace"
EMAIL = "ada@example.com"
DATE = "2026-01-15T12:00:00+00:00"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        f"[user]\n\tname = {AUTHOR}\n\temail = {EMAIL}\n"
        "[init]\n\tdefaultBranch = main\n"
        "[commit]\n\tgpgsign = false\n"
        "[core]\n\tautocrlf = false\n"
    )
    for name in list(os.environ):
        if name.startswith(("GIT_", "PLANCYCLE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_DATE", DATE)
    monkeypatch.setenv("GIT_COMMITTER_DATE", DATE)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    return path


def commit_all(repo: Path, message: str = "work") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path, expect: int | None = 0, env: dict[str, str] | None = None) -> Result:
    """Run `python -m plancycle` for real; fail loudly with its output on a surprise exit code."""
    proc = subprocess.run(
        [sys.executable, "-m", "plancycle", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    if expect is not None and proc.returncode != expect:
        raise AssertionError(
            f"plancycle {' '.join(args)} exited {proc.returncode}, expected {expect}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    return result


@pytest.fixture
def cli(repo: Path):
    def invoke(
        *args: str, cwd: Path | None = None, expect: int | None = 0, env: dict[str, str] | None = None
    ) -> Result:
        return run_cli(*args, cwd=cwd or repo, expect=expect, env=env)

    return invoke


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` outside .git, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def golden(expected_file: Path, actual: str) -> None:
    """Compare with an expected file; PLANCYCLE_UPDATE_GOLDEN=1 rewrites it instead."""
    if UPDATE_GOLDEN or not expected_file.exists():
        expected_file.write_bytes(actual.encode("utf-8"))
        if not UPDATE_GOLDEN:
            raise AssertionError(f"{expected_file} did not exist; wrote it, review it and run again")
        return
    assert actual == expected_file.read_bytes().decode("utf-8")


# -- a committed feature with the hook installed, and helpers to look at what was committed

PLAN = "specs/042-auth/plan.md"
LATER = "2026-02-01T10:00:00+00:00"


def commit(repo: Path, *args: str, date: str = LATER, env: dict[str, str] | None = None, expect: int = 0):
    proc = subprocess.run(
        ["git", "commit", "-q", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date, **(env or {})},
    )
    if proc.returncode != expect:
        raise AssertionError(f"git commit {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def fields(repo: Path, rev: str = "HEAD", path: str = PLAN) -> dict:
    return dict(frontmatter.loads(git(repo, "show", f"{rev}:{path}")).metadata)


def table(repo: Path, rev: str = "HEAD", path: str = PLAN) -> list[dict[str, str]]:
    return changelog.rows(Document(git(repo, "show", f"{rev}:{path}")))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode()
    assert old in text, old
    path.write_bytes(text.replace(old, new, 1).encode())


@pytest.fixture
def planned(repo: Path) -> Path:
    """A repository with the hooks installed and a committed feature with spec and plan."""
    return plan_and_commit(repo)


def plan_and_commit(repo: Path) -> Path:
    """Install the hooks, create 042-auth with spec and plan, commit (the `planned` fixture)."""
    run_cli("hooks", "install", cwd=repo)
    run_cli("feature", "new", "042-auth", "--title", "Auth", cwd=repo)
    run_cli("plan", "new", "042-auth", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Plan auth", date="2026-01-15T12:00:00+00:00")
    return repo
