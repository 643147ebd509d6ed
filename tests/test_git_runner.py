"""The git runner: failures as one line, and no git process outliving a read stopped early."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import git

from plancycle.errors import EXIT_GIT, GitError
from plancycle.git.log import ObjectPipeline, log_stream
from plancycle.git.runner import run, stream

COMMITS = 400
FILES_PER_COMMIT = 8  # enough raw diff output that git is still writing after the first read


def _children() -> dict[int, tuple[str, str]]:
    """This process's children: pid → (command name, state), read from /proc."""
    me = os.getpid()
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        # "pid (comm) state ppid …": comm may hold spaces and parentheses, so cut at the last ')'.
        comm = text[text.index("(") + 1 : text.rindex(")")]
        state, ppid = text[text.rindex(")") + 2 :].split()[:2]
        if int(ppid) == me:
            found[int(stat.parent.name)] = (comm, state)
    return found


def _new_gits(before: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    return {pid: info for pid, info in _children().items() if pid not in before and info[0].startswith("git")}


@pytest.fixture
def long_history(repo: Path) -> Path:
    """A repository with a few hundred commits, each touching several files (one fast-import)."""
    feed = []
    for number in range(1, COMMITS + 1):
        message = f"commit {number}".encode()
        feed.append(b"commit refs/heads/main\n")
        feed.append(f"committer Ada <ada@example.com> {1_700_000_000 + number} +0000\n".encode())
        feed.append(b"data %d\n%s\n" % (len(message), message))
        for file in range(FILES_PER_COMMIT):
            content = f"{number} {file}\n".encode()
            feed.append(f"M 100644 inline specs/doc-{file}.md\ndata {len(content)}\n".encode() + content + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(feed), check=True)
    assert git(repo, "rev-list", "--count", "HEAD").strip() == str(COMMITS)
    return repo


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_history_read_stopped_early_leaves_no_git_behind(long_history: Path) -> None:
    before = _children()
    with log_stream(long_history, "specs") as commits:
        first = next(commits)
        assert first.subject == f"commit {COMMITS}" and len(first.entries) == FILES_PER_COMMIT
        assert _new_gits(before), "git should still be running while the log is read"
    assert _new_gits(before) == {}

    with pytest.raises(KeyError), log_stream(long_history, "specs") as commits:
        next(commits)
        raise KeyError("stopped by a failure")
    assert _new_gits(before) == {}

    answers: list[tuple[str, bytes | None]] = []
    with pytest.raises(RuntimeError), ObjectPipeline(long_history, lambda n, d: answers.append((n, d))) as pipeline:
        pipeline.request("HEAD:specs/doc-0.md")
        assert _new_gits(before), "cat-file should be running inside the block"
        raise RuntimeError("stopped by a failure")
    assert _new_gits(before) == {}
    zombies = {pid: info for pid, info in _children().items() if info[1] == "Z"}
    assert zombies == {}


def test_a_finished_pipeline_answers_every_request_then_ends(long_history: Path) -> None:
    before = _children()
    answers: dict[str, bytes | None] = {}
    with ObjectPipeline(long_history, answers.__setitem__) as pipeline:
        pipeline.request("HEAD:specs/doc-3.md")
        pipeline.request("HEAD:specs/missing.md")
    assert answers == {"HEAD:specs/doc-3.md": f"{COMMITS} 3\n".encode(), "HEAD:specs/missing.md": None}
    if Path("/proc/self/stat").exists():
        assert _new_gits(before) == {}


def test_a_git_failure_is_one_line_naming_the_command(repo: Path) -> None:
    with pytest.raises(GitError) as caught:
        run(["rev-parse", "--verify", "no-such-branch"], repo)
    message = str(caught.value)
    assert message.startswith("git rev-parse failed: ") and "\n" not in message
    assert "no-such-branch" in message or "Needed a single revision" in message
    assert caught.value.exit_code == EXIT_GIT


def test_a_failed_stream_is_one_line_naming_the_command(repo: Path) -> None:
    with pytest.raises(GitError) as caught, stream(["cat-file", "-p", "no-such-object"], repo) as running:
        running.stdout.read()
    message = str(caught.value)
    assert message.startswith("git cat-file failed: ") and "\n" not in message


def test_git_refusing_to_start_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught:
        run(["status"], tmp_path / "gone")
    assert str(caught.value) == f"{tmp_path / 'gone'}: no such folder"
