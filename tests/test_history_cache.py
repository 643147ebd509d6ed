"""The history cache: what a read learnt answers the next one, which reads only the commits
since, and gives exactly what a whole read gives (or falls back to one)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from plancycle.history import revisions
from plancycle.history.cache import differences
from plancycle.history.revisions import History, read_history
from tests.conftest import git


def _document(name: str, version: str, status: str, note: int) -> bytes:
    return (
        f"---\ntitle: {name}\nstatus: {status}\nversion: {version}\n---\n\n# {name}\n\n"
        f"Note {note}: the body changes with every edit, so renames stay recognisable.\n" + "Context line.\n" * 6
    ).encode()


class _Builder:
    """A random history written with `git fast-import`: documents edited, added, renamed
    and deleted on main and on branches forked anywhere, merged back with either side's
    version of each file (an evil merge now and then), and unrelated files in between."""

    def __init__(self, repo: Path, seed: int) -> None:
        self.repo = repo
        self.rng = random.Random(seed)
        self.trees: dict[int, dict[str, bytes]] = {}  # mark -> files
        self.parents: dict[int, tuple[int, ...]] = {}
        self.out: list[bytes] = []
        self.mark = 0
        self.stamp = 1_700_000_000
        self.names = 0

    def _commit(self, branch: str, parents: tuple[int, ...], files: dict[str, bytes]) -> int:
        self.mark += 1
        self.stamp += 60
        before = self.trees[parents[0]] if parents else {}
        lines = [
            f"commit refs/heads/{branch}\nmark :{self.mark}\n".encode(),
            f"author A <a@example.com> {self.stamp} +0000\ncommitter A <a@example.com> {self.stamp} +0000\n".encode(),
            b"data 5\nwork\n",
        ]
        if parents:
            lines.append(f"from :{parents[0]}\n".encode())
            lines += [f"merge :{p}\n".encode() for p in parents[1:]]
        for path in before:
            if path not in files:
                lines.append(f"D {path}\n".encode())
        for path, data in files.items():
            if before.get(path) != data:
                lines.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        self.out.append(b"".join(lines) + b"\n")
        self.trees[self.mark] = files
        self.parents[self.mark] = parents
        return self.mark

    def _change(self, files: dict[str, bytes]) -> dict[str, bytes]:
        files = dict(files)
        docs = [p for p in files if p.startswith("specs/")]
        roll = self.rng.random()
        if not docs or roll < 0.15:
            self.names += 1
            files[f"specs/{self.names:03d}/plan.md"] = _document(f"d{self.names}", "0.1.0", "draft", self.mark)
        elif roll < 0.55:
            path = self.rng.choice(docs)
            minor = self.rng.randrange(1, 9)
            status = self.rng.choice(["draft", "draft", "review", "approved"])
            broken = self.rng.random() < 0.05
            files[path] = (
                b"---\ntitle: [unclosed\n---\n" if broken else _document(path, f"0.{minor}.0", status, self.mark)
            )
        elif roll < 0.7:
            path = self.rng.choice(docs)
            self.names += 1
            data = files.pop(path)
            files[f"specs/{self.names:03d}/moved.md"] = data
        elif roll < 0.78:
            files.pop(self.rng.choice(docs))
        elif roll < 0.82:
            # A record kept outside the documents' folder, later moved in (as adopt --move does).
            outside = [p for p in files if p.startswith("doc/")]
            self.names += 1
            if outside and self.rng.random() < 0.5:
                files[f"specs/{self.names:03d}/adr/0001-moved-in.md"] = files.pop(self.rng.choice(outside))
            else:
                files[f"doc/{self.names:03d}.md"] = _document(f"o{self.names}", "1.0.0", "accepted", self.mark)
        else:
            files[f"src/file{self.rng.randrange(5)}.py"] = f"VALUE = {self.mark}\n".encode()
        return files

    def build(self, commits: int) -> list[int]:
        main = self._commit("main", (), self._change({}))
        branches: list[int] = []
        for _ in range(commits):
            roll = self.rng.random()
            if roll < 0.2:
                fork = self.rng.choice(list(self.trees))
                side = self._commit("side", (fork,), self._change(self.trees[fork]))
                branches.append(side)
            elif roll < 0.35 and branches:
                side = branches.pop(self.rng.randrange(len(branches)))
                ours, theirs = self.trees[main], self.trees[side]
                merged = {}
                for path in sorted(set(ours) | set(theirs)):
                    pick = ours if self.rng.random() < 0.5 else theirs
                    if path in pick:
                        merged[path] = pick[path]
                if self.rng.random() < 0.1:
                    merged = self._change(merged)  # an evil merge
                main = self._commit("main", (main, side), merged)
            elif roll < 0.45 and branches:
                index = self.rng.randrange(len(branches))
                branches[index] = self._commit("side", (branches[index],), self._change(self.trees[branches[index]]))
            else:
                main = self._commit("main", (main,), self._change(self.trees[main]))
        subprocess.run(["git", "fast-import", "--quiet"], cwd=self.repo, input=b"".join(self.out), check=True)
        git(self.repo, "checkout", "-q", "-f", "main")
        return list(self.trees)


def _documents(repo: Path, commit: str) -> list[str]:
    return [p for p in git(repo, "ls-tree", "-r", "--name-only", commit, "--", "specs").split("\n") if p]


def _read(
    repo: Path, commit: str, *, cache: bool = True, paths: list[str] | None = None, root: str | None = None
) -> History:
    common = Path(git(repo, "rev-parse", "--path-format=absolute", "--git-common-dir").strip())
    wanted = paths if paths is not None else _documents(repo, commit)
    return read_history(repo, common, wanted, head=commit, cache=cache, root=root)


def _commits(repo: Path) -> list[str]:
    return git(repo, "rev-list", "--all", "--topo-order").split()


def _cache(repo: Path) -> Path:
    return repo / ".git" / "plancycle" / "history.cache"


@pytest.mark.parametrize("seed", range(12))
def test_a_cached_read_gives_what_a_whole_read_gives(repo: Path, seed: int) -> None:
    _Builder(repo, seed).build(45)
    rng = random.Random(seed)
    commits = _commits(repo)
    answered = 0
    for turn in range(8):
        head = rng.choice(commits)
        # Mostly an ancestor of head, as the cache finds it after commits, pulls and merges;
        # now and then any commit, as after a rebase or a switch of branches.
        last = rng.choice(git(repo, "rev-list", head).split() if turn % 4 else commits)
        _cache(repo).unlink(missing_ok=True)
        # A cache grown read by read along the way (each one from the one before), then last.
        chain = git(repo, "rev-list", head).split()
        for step in sorted(rng.sample(range(len(chain)), min(3, len(chain))), reverse=True):
            _read(repo, chain[step])
        _read(repo, last)
        assert _cache(repo).exists()
        cached = _read(repo, head)
        whole = _read(repo, head, cache=False)
        assert differences(cached.documents, whole.documents) == [], (seed, last, head)
        answered += cached.read < whole.read
        for history in cached.documents.values():
            seen: set[str] = set()
            for revision in history.revisions:
                assert all(parent in seen for parent in revision.parents), "parents come before children"
                seen.add(revision.commit)
    assert answered, "the cache answered none of the reads: nothing was compared"


@pytest.mark.parametrize("seed", range(12, 20))
def test_reading_only_the_documents_folder_gives_what_the_whole_log_gives(
    repo: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read limited to `specs/` (parents rewritten, every merge listed, put in order in
    memory) against the whole log, on histories where records also move in from outside."""
    monkeypatch.setattr(revisions, "NARROW_BELOW", 2.0)  # always limited, however much of history it is
    _Builder(repo, seed).build(45)
    rng = random.Random(seed)
    commits = _commits(repo)
    for _ in range(4):
        head = rng.choice(commits)
        narrow = _read(repo, head, cache=False, root="specs")
        whole = _read(repo, head, cache=False)
        assert differences(narrow.documents, whole.documents) == [], (seed, head)
        # and grown from a cache made by a limited read
        last = rng.choice(git(repo, "rev-list", head).split())
        _cache(repo).unlink(missing_ok=True)
        _read(repo, last, root="specs")
        cached = _read(repo, head, root="specs")
        assert differences(cached.documents, whole.documents) == [], (seed, last, head)
