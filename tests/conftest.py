"""Real git repositories in tmp_path, the real CLI in a subprocess, the user's git config shut out."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

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
