"""The history cache: what a read learnt answers the next one, which reads only the commits
since, and gives exactly what a whole read gives (or falls back to one)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import PLAN, commit, edit, git, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from plancycle.history import revisions
from plancycle.history.cache import differences
from plancycle.history.revisions import History, read_history


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

    def _finish(self) -> list[int]:
        subprocess.run(["git", "fast-import", "--quiet"], cwd=self.repo, input=b"".join(self.out), check=True)
        git(self.repo, "checkout", "-q", "-f", "main")
        return list(self.trees)

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
        return self._finish()


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


@pytest.mark.parametrize("seed", range(20, 26))
def test_reads_at_commits_in_any_order_give_what_whole_reads_give(repo: Path, seed: int) -> None:
    """Worktrees on branches apart, checkouts back and forth, merges: each read grows the
    cache from whichever of its states can answer (the last, or one before it)."""
    _Builder(repo, seed).build(45)
    rng = random.Random(seed)
    commits = _commits(repo)
    for _ in range(12):
        head = rng.choice(commits)
        cached = _read(repo, head)
        whole = _read(repo, head, cache=False)
        assert differences(cached.documents, whole.documents) == [], (seed, head)


class _WildBuilder(_Builder):
    """Wilder histories: five names reused, shared by branches and renamed onto each other,
    documents moved out of specs/ and back, octopus merges, merges whose first parent is the
    branch, each file taken from any parent."""

    NAMES = ("specs/a.md", "specs/b.md", "specs/c/plan.md", "specs/d.md", "specs/e.md")

    def _change(self, files: dict[str, bytes]) -> dict[str, bytes]:
        files = dict(files)
        roll = self.rng.random()
        docs = [p for p in files if p.startswith("specs/")]
        free = [p for p in self.NAMES if p not in files]
        if roll < 0.3 and free:
            files[self.rng.choice(free)] = _document("n", "0.1.0", "draft", self.mark)
        elif roll < 0.5 and docs:
            path = self.rng.choice(docs)
            files[path] = _document(path, f"0.{self.rng.randrange(1, 9)}.0", "draft", self.mark)
        elif roll < 0.62 and docs and free:
            files[self.rng.choice(free)] = files.pop(self.rng.choice(docs))
        elif roll < 0.72 and docs:
            files.pop(self.rng.choice(docs))
        elif roll < 0.8 and docs:
            path = self.rng.choice(docs)
            files["doc/" + path.split("/")[-1] + str(self.mark)] = files.pop(path)
        elif roll < 0.88:
            out = [p for p in files if p.startswith("doc/")]
            if out and free:
                files[self.rng.choice(free)] = files.pop(self.rng.choice(out))
            else:
                files[f"doc/o{self.mark}.md"] = _document("o", "1.0.0", "accepted", self.mark)
        else:
            files[f"src/f{self.rng.randrange(3)}.py"] = f"V={self.mark}\n".encode()
        return files

    def build(self, commits: int) -> list[int]:
        main = self._commit("main", (), self._change({}))
        branches: list[int] = []
        for _ in range(commits):
            roll = self.rng.random()
            if roll < 0.22:
                fork = self.rng.choice(list(self.trees))
                branches.append(self._commit("side", (fork,), self._change(self.trees[fork])))
            elif roll < 0.4 and branches:
                count = 1 + (self.rng.random() < 0.25 and len(branches) > 1)
                sides = [branches.pop(self.rng.randrange(len(branches))) for _ in range(count)]
                trees = [self.trees[main]] + [self.trees[side] for side in sides]
                merged = {}
                for path in sorted(set().union(*trees)):
                    pick = self.rng.choice(trees)
                    if path in pick:
                        merged[path] = pick[path]
                if self.rng.random() < 0.15:
                    merged = self._change(merged)
                parents = (sides[0], main, *sides[1:]) if self.rng.random() < 0.2 else (main, *sides)
                main = self._commit("main", parents, merged)
            elif roll < 0.5 and branches:
                at = self.rng.randrange(len(branches))
                branches[at] = self._commit("side", (branches[at],), self._change(self.trees[branches[at]]))
            else:
                main = self._commit("main", (main,), self._change(self.trees[main]))
        return self._finish()


@pytest.mark.parametrize(
    "seed",
    # 429: a merge's own map, also held by its first parent from another child, was joined
    # in place before its second parent read it, so one document's line depended on which
    # others were followed (and a cached read differed from a whole one).
    [429, *range(430, 436)],
)
def test_wild_histories_read_through_the_cache_give_what_whole_reads_give(
    repo: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    _WildBuilder(repo, seed).build(rng.randrange(15, 45))
    monkeypatch.setattr(revisions, "NARROW_BELOW", rng.choice([0.5, 2.0, -1.0]))
    commits = _commits(repo)
    root = rng.choice(["specs", None])
    for _ in range(10):
        head = rng.choice(commits)
        if rng.random() < 0.3:
            _cache(repo).unlink(missing_ok=True)
        if rng.random() < 0.5:
            _read(repo, rng.choice(git(repo, "rev-list", head).split()), root=root)
        cached = _read(repo, head, root=root)
        whole = _read(repo, head, cache=False)
        assert differences(cached.documents, whole.documents) == [], (seed, head)


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


# -- the cache as people meet it: through `changelog sync`, in real repositories


def _edit_plan(repo: Path, words: str) -> None:
    """Edit the plan and commit through the hook (which bumps it and adds its row)."""
    edit(repo / PLAN, "## Summary", f"## Summary\n\n{words}\n")
    git(repo, "add", "-A")
    commit(repo, "-m", words)


def _sync(repo: Path, *args: str, expect: int = 0) -> str:
    found = run_cli("changelog", "sync", "--check", *args, cwd=repo, expect=expect)
    return found.out + found.err


def _header(repo: Path) -> list[str]:
    """The fields of the cache's trailer, its last line."""
    return _cache(repo).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1].decode().split("\t")


def _sealed(data: bytes, fields: list[bytes]) -> bytes:
    """``data`` (the file before its trailer) with a trailer of ``fields`` and their CRC made
    good, as a careful hand (or a bug of ours) would leave them."""
    trailer = b"\t".join(fields[:-1]) + b"\t"
    return data + trailer + b"%08x\n" % zlib.crc32(trailer, zlib.crc32(data))


def _parts(repo: Path) -> tuple[bytes, list[bytes]]:
    """The file before its trailer, and the trailer's fields."""
    data = _cache(repo).read_bytes()
    end = data.rstrip(b"\n").rfind(b"\n") + 1
    return data[:end], data[end:].rstrip(b"\n").split(b"\t")


def _answer(repo: Path) -> History:
    """The history of every document at HEAD, read through the cache as `changelog sync` does."""
    head = git(repo, "rev-parse", "HEAD").strip()
    return _read(repo, head, root="specs")


def test_the_next_sync_reads_only_the_commits_since_the_last(planned: Path) -> None:
    _sync(planned)
    assert _header(planned)[3] == git(planned, "rev-parse", "HEAD").strip()
    _edit_plan(planned, "Tokens expire after an hour.")
    answer = _answer(planned)
    assert answer.read == 1, "one new commit, one commit read"
    assert answer.commits_read == 2
    plan = answer.documents[PLAN]
    assert [r.version for r in plan.revisions] == ["0.1.0", "0.1.1"]
    assert plan.revisions[1].parents == (plan.revisions[0].commit,)
    assert "2 document(s) in step" in _sync(planned)
    assert "agrees" in _sync(planned, "--verify")


def test_after_a_rebase_of_the_synced_commits_the_whole_history_is_read(planned: Path) -> None:
    _edit_plan(planned, "Tokens expire after an hour.")
    _sync(planned)
    synced = git(planned, "rev-parse", "HEAD").strip()
    git(planned, "reset", "-q", "--hard", "HEAD~1")
    _edit_plan(planned, "Tokens expire after a day.")  # the same version, another commit
    assert git(planned, "merge-base", "--is-ancestor", synced, "HEAD", check=False) == ""
    answer = _answer(planned)
    assert answer.read == answer.commits_read == 2, "the cache's commit is gone from history: all of it read"
    assert synced not in {r.commit for r in answer.documents[PLAN].revisions}
    assert differences(answer.documents, _read(planned, "HEAD", cache=False).documents) == []
    assert "agrees" in _sync(planned, "--verify")


def test_a_run_after_a_commit_appends_to_the_cache_and_rewrites_nothing(planned: Path) -> None:
    _sync(planned)
    before = _cache(planned).read_bytes()
    _edit_plan(planned, "Tokens expire after an hour.")
    _sync(planned)
    after = _cache(planned).read_bytes()
    assert after.startswith(before) and len(after) > len(before), "one chunk appended"
    assert _answer(planned).read == 0
    assert "agrees" in _sync(planned, "--verify")


def test_the_cache_is_laid_out_afresh_once_too_much_of_it_is_dead(
    planned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plancycle.history import cache

    monkeypatch.setattr(cache, "KEEP_DEAD", 0)  # a small project's cache, as a large one's
    _answer(planned)
    relaid = 0
    for n in range(6):
        before = _cache(planned).read_bytes()
        _edit_plan(planned, f"Change {n}.")
        assert _answer(planned).read == 1
        after = _cache(planned).read_bytes()
        relaid += not after.startswith(before)
        dead = int(_header(planned)[8])
        assert dead * 2 <= len(after), "never more dead than alive"
    assert relaid, "six appends of a whole index each: at least one layout afresh"
    assert _answer(planned).read == 0
    assert "agrees" in _sync(planned, "--verify")


def test_an_append_cut_short_is_no_cache(planned: Path) -> None:
    _sync(planned)
    whole = len(_cache(planned).read_bytes())
    _edit_plan(planned, "Tokens expire after an hour.")
    _sync(planned)
    data = _cache(planned).read_bytes()
    for cut in (whole + 1, (whole + len(data)) // 2, len(data) - 2):
        _cache(planned).write_bytes(data[:cut])  # a crash, or a full disk, in the middle
        answer = _answer(planned)
        assert answer.read == answer.commits_read, "nothing trusted from a cache that ends mid-chunk"
        assert differences(answer.documents, _read(planned, "HEAD", cache=False).documents) == []


def test_a_damaged_cache_is_no_cache(planned: Path) -> None:
    _sync(planned)
    data = bytearray(_cache(planned).read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = b"\x00garbage"
    _cache(planned).write_bytes(bytes(data))
    answer = _answer(planned)
    assert answer.read == answer.commits_read, "nothing trusted from a damaged cache"
    assert differences(answer.documents, _read(planned, "HEAD", cache=False).documents) == []
    _cache(planned).write_bytes(b"plancycle-history-cache\t1\t")  # cut short
    assert "2 document(s) in step" in _sync(planned)
    assert _answer(planned).read == 0, "made anew, whole, by the run that found it damaged"


@pytest.mark.parametrize("field, value", [(1, "0"), (2, "0.0.1")])
def test_a_cache_of_another_format_or_plancycle_version_is_not_read(planned: Path, field: int, value: str) -> None:
    _sync(planned)
    data, parts = _parts(planned)
    parts[field] = value.encode()
    _cache(planned).write_bytes(_sealed(data, parts))
    _edit_plan(planned, "Tokens expire after an hour.")
    answer = _answer(planned)
    assert answer.read == answer.commits_read == 2
    assert _header(planned)[field] != value, "written anew in this version's format"


def test_two_syncs_at_once_leave_one_whole_cache(planned: Path) -> None:
    for n in range(3):
        _edit_plan(planned, f"Change {n}.")
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "plancycle", "changelog", "sync", "--check"],
                cwd=planned,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0, err
            assert "2 document(s) in step" in out
        answer = _answer(planned)
        assert answer.read == 0, "a whole cache for HEAD was left"
        assert not [p.name for p in _cache(planned).parent.iterdir() if p.name.endswith(".tmp")]


def _edit_spec(repo: Path, words: str) -> None:
    spec = repo / "specs/042-auth/spec.md"
    text = spec.read_text()
    spec.write_text(text.replace("\n## ", f"\n{words}\n\n## ", 1))
    git(repo, "add", "-A")
    commit(repo, "-m", words)


def test_worktrees_on_branches_apart_each_find_their_own_state(planned: Path, tmp_path: Path) -> None:
    _sync(planned)
    tree = tmp_path / "tree"
    git(planned, "worktree", "add", "-q", "-b", "tokens", str(tree))
    _edit_plan(tree, "Tokens expire after an hour.")
    _sync(tree)
    _edit_spec(planned, "Sessions last a day.")
    assert _answer(planned).read == 1, "main grows from its own state, kept beside the branch's"
    answer = _answer(tree)
    assert answer.read == 0, "and the branch finds its own again: nothing read"
    assert differences(answer.documents, _read(tree, "HEAD", cache=False).documents) == []
    assert "agrees" in _sync(tree, "--verify") and "agrees" in _sync(planned, "--verify")


def test_going_back_to_a_synced_commit_reads_nothing(planned: Path) -> None:
    _sync(planned)
    _edit_plan(planned, "Tokens expire after an hour.")
    _sync(planned)
    git(planned, "reset", "-q", "--hard", "HEAD~1")
    answer = _answer(planned)
    assert answer.read == 0
    assert differences(answer.documents, _read(planned, "HEAD", cache=False).documents) == []


def test_a_branch_merged_with_a_merge_commit_grows_from_its_fork_point(planned: Path) -> None:
    _sync(planned)  # the fork point, synced (as CI syncs the main branch)
    git(planned, "checkout", "-q", "-b", "tokens")
    _edit_plan(planned, "Tokens expire after an hour.")
    git(planned, "checkout", "-q", "main")
    _edit_spec(planned, "Sessions last a day.")
    _sync(planned)
    git(planned, "checkout", "-q", "tokens")
    assert _answer(planned).read == 1, "the branch, as its pull request's CI reads it: its one commit"
    git(planned, "checkout", "-q", "main")
    _sync(planned)
    git(planned, "merge", "-q", "--no-ff", "-m", "Merge tokens", "tokens")
    answer = _answer(planned)
    assert answer.read == 3, "the merge, the branch's commit and main's since the fork"
    assert differences(answer.documents, _read(planned, "HEAD", cache=False).documents) == []
    assert "agrees" in _sync(planned, "--verify")


def test_a_merged_branch_carries_documents_made_after_it_forked_and_is_still_answered(planned: Path) -> None:
    # The merge's names go down the branch, new documents' among them; no commit below the
    # fork point had those names, which the cache knows: nothing to find there.
    _sync(planned)
    git(planned, "checkout", "-q", "-b", "tokens")
    _edit_plan(planned, "Tokens expire after an hour.")
    git(planned, "checkout", "-q", "main")
    run_cli("feature", "new", "043-billing", "--title", "Billing", cwd=planned)
    git(planned, "add", "-A")
    commit(planned, "-m", "Billing")
    _sync(planned)
    git(planned, "merge", "-q", "--no-ff", "-m", "Merge tokens", "tokens")
    answer = _answer(planned)
    assert answer.read == 3, "the merge, the branch's commit and main's since the fork"
    assert differences(answer.documents, _read(planned, "HEAD", cache=False).documents) == []
    assert "agrees" in _sync(planned, "--verify")


def test_settings_that_change_git_logs_output_change_no_history(planned: Path) -> None:
    # A root commit shown without its changes would seem to add nothing; one path followed
    # as if --follow were given would read the folder as a file.
    for key, value in (("log.showRoot", "false"), ("log.follow", "true"), ("log.showSignature", "true")):
        git(planned, "config", key, value)
    assert git(planned, "rev-list", "--max-parents=0", "HEAD").strip() == git(planned, "rev-parse", "HEAD").strip()
    whole = _read(planned, "HEAD", cache=False, root="specs")
    assert [r.version for r in whole.documents[PLAN].revisions] == ["0.1.0"]
    _edit_plan(planned, "Tokens expire after an hour.")
    assert "2 document(s) in step" in _sync(planned)
    assert "agrees" in _sync(planned, "--verify")


def test_worktrees_share_the_cache(planned: Path, tmp_path: Path) -> None:
    _sync(planned)
    tree = tmp_path / "tree"
    git(planned, "worktree", "add", "-q", "-b", "tokens", str(tree))
    _edit_plan(tree, "Tokens expire after an hour.")
    answer = _answer(tree)
    assert answer.read == 1, "the worktree's branch grows from the cache the main worktree wrote"
    assert "2 document(s) in step" in _sync(tree)
    assert not (tree / ".git").is_dir()
    assert (planned / ".git" / "plancycle" / "history.cache").exists()
    worktree_dir = Path(git(tree, "rev-parse", "--absolute-git-dir").strip())
    assert not (worktree_dir / "plancycle").exists(), "one cache for the clone, in its common folder"
    # A document edited in one worktree is judged again there, and not in the other.
    edit(tree / PLAN, "| 0.1.0 |", "| 0.1.9 |")
    assert "out of step" in _sync(tree, expect=1)
    assert "2 document(s) in step" in _sync(planned)
    assert "agrees" in _sync(planned, "--verify")


def test_verify_catches_a_cache_damaged_by_hand(planned: Path) -> None:
    _edit_plan(planned, "Tokens expire after an hour.")
    _sync(planned)
    data, fields = _parts(planned)
    start = int(fields[7])
    index, file = data[start:].split(b"\n")[:-1], bytearray(data[:start])
    for number, line in enumerate(index):
        key, _crc, head, blob, at, length = line.split(b"\t")
        if key == PLAN.encode():
            begin, end = int(at), int(at) + int(length)
            revisions = bytes(file[begin:end]).replace(b"\x1f0.1.1\x1f", b"\x1f0.7.0\x1f")  # never had
            file[begin:end] = revisions
            crc = b"%08x" % zlib.crc32(head + b"\t" + blob + b"\t" + revisions)
            index[number] = b"\t".join([key, crc, head, blob, at, length])
    # Checksums made good again, as a careful hand (or a bug of ours) would leave them.
    _cache(planned).write_bytes(_sealed(bytes(file) + b"\n".join(index) + b"\n", fields))
    told = _sync(planned, "--verify", expect=1)
    assert f"history cache: {PLAN}: 1 revision(s) history does not have" in told
    assert "made anew" in told
    assert "agrees" in _sync(planned, "--verify")


def test_a_document_edited_since_the_last_sync_is_judged_again(planned: Path) -> None:
    _sync(planned)
    plan = planned / PLAN
    before = plan.stat()
    text = plan.read_text()
    # Same size, same modification time: only its change time and its bytes tell.
    plan.write_text(text.replace("| 0.1.0 |", "| 0.1.1 |"))
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert plan.stat().st_size == before.st_size
    told = _sync(planned, expect=1)
    assert f"{PLAN}:" in told and "out of step" in told


def test_no_cache_reads_and_writes_none(planned: Path) -> None:
    assert "2 document(s) in step" in _sync(planned, "--no-cache")
    assert not _cache(planned).exists()
    run_cli("history", PLAN, "--no-cache", cwd=planned)
    run_cli("log", "042-auth", "--no-cache", cwd=planned)
    run_cli("check", "--no-cache", cwd=planned)
    run_cli("board", "--no-cache", "-o", "-", cwd=planned)
    assert not _cache(planned).exists()
    told = run_cli("changelog", "sync", "--no-cache", "--verify", cwd=planned, expect=2)
    assert "--verify" in told.err and "Traceback" not in told.err


def test_a_folder_touched_by_few_commits_is_read_with_a_pathspec(repo: Path) -> None:
    run_cli("hooks", "install", cwd=repo)
    run_cli("feature", "new", "042-auth", "--title", "Auth", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Spec auth")
    for n in range(30):
        (repo / "src.py").write_text(f"VALUE = {n}\n")
        git(repo, "add", "-A")
        commit(repo, "-m", f"Code {n}")
        if n % 10 == 9:  # a merged branch that never touched specs/ (git lists it with one parent)
            git(repo, "checkout", "-q", "-b", f"topic{n}", "HEAD~1")
            (repo / "other.py").write_text(f"OTHER = {n}\n")
            git(repo, "add", "-A")
            commit(repo, "-m", f"Topic {n}")
            git(repo, "checkout", "-q", "main")
            git(repo, "merge", "-q", "--no-ff", "--no-edit", f"topic{n}")
    head = git(repo, "rev-parse", "HEAD").strip()
    narrow = _read(repo, head, cache=False, root="specs")
    assert narrow.read == 4, "the commit that touched specs/ and the three merges: no whole read"
    assert differences(narrow.documents, _read(repo, head, cache=False).documents) == []
    assert "1 document(s) in step" in _sync(repo)


def test_hooks_status_says_what_history_reads_stand_on(planned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plancycle.history import health

    before = run_cli("hooks", "status", cwd=planned).out
    assert "history: 1 commits, no commit-graph, no history cache yet" in before
    _sync(planned)
    assert "history cache at" in run_cli("hooks", "status", cwd=planned).out
    monkeypatch.setattr(health, "LARGE", 1)
    common = planned / ".git"
    advised = health.health(planned, common)
    assert advised.advice is not None and "git commit-graph write --reachable --changed-paths" in advised.advice
    git(planned, "commit-graph", "write", "--reachable", "--changed-paths")
    assert health.health(planned, common).graph == "changed-paths"
    assert health.health(planned, common).advice is None
    status = json.loads(run_cli("hooks", "status", "--json", cwd=planned).out)
    assert status["history"]["commit_graph"] == "changed-paths"


# -- found by a review: each a repository that once gave a wrong answer or a traceback


def test_a_cache_whose_commit_git_pruned_is_no_cache(planned: Path) -> None:
    _edit_plan(planned, "Tokens expire after an hour.")
    _sync(planned)
    git(planned, "reset", "-q", "--hard", "HEAD~1")
    git(planned, "reflog", "expire", "--expire=now", "--all")
    git(planned, "gc", "-q", "--prune=now")
    assert "2 document(s) in step" in _sync(planned)
    run_cli("history", PLAN, cwd=planned)
    assert "agrees" in _sync(planned, "--verify")


def _code_commits(repo: Path, count: int) -> None:
    for n in range(count):
        (repo / "a.py").write_text(f"VALUE = {n}\n")
        git(repo, "add", "-A")
        commit(repo, "-m", f"Code {n}", "--no-verify")


def test_a_move_out_of_the_folder_beside_an_addition_is_no_rename_in_a_folder_read(repo: Path) -> None:
    """Read alone, the folder pairs the file moved out with the one added beside it; the
    whole log sees the move, and the new document has a history of its own."""
    run_cli("hooks", "install", cwd=repo)
    run_cli("feature", "new", "001-auth", "--title", "Auth", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Spec auth")
    spec = repo / "specs/001-auth/spec.md"
    spec.write_text(spec.read_text().replace("version: 0.1.0", "version: 0.2.0"))
    git(repo, "add", "-A")
    commit(repo, "-m", "Auth 0.2", "--no-verify")
    run_cli("changelog", "sync", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Rows", "--no-verify")
    (repo / "archive").mkdir()
    git(repo, "mv", "specs/001-auth/spec.md", "archive/auth.md")
    run_cli("feature", "new", "002-login", "--title", "Login", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Archive auth, start login")
    _code_commits(repo, 12)
    head = git(repo, "rev-parse", "HEAD").strip()
    narrow = _read(repo, head, cache=False, root="specs")
    whole = _read(repo, head, cache=False)
    assert differences(narrow.documents, whole.documents) == []
    assert len(whole.documents["specs/002-login/spec.md"].revisions) == 1
    assert "in step" in _sync(repo, "--no-cache")


def test_a_merge_bringing_the_folder_from_a_branch_stays_a_merge_in_a_folder_read(repo: Path) -> None:
    (repo / "a.py").write_text("root\n")
    git(repo, "add", "-A")
    commit(repo, "-m", "Root")
    git(repo, "checkout", "-q", "-b", "side")
    run_cli("feature", "new", "001-auth", "--title", "Auth", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Spec auth")
    git(repo, "checkout", "-q", "main")
    _code_commits(repo, 6)
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "side")
    edit(repo / "specs/001-auth/spec.md", "## ", "Fixed in the merge.\n\n## ")
    git(repo, "add", "-A")
    commit(repo, "-m", "Merge side", "--no-verify")
    _code_commits(repo, 6)
    head = git(repo, "rev-parse", "HEAD").strip()
    narrow = _read(repo, head, cache=False, root="specs")
    whole = _read(repo, head, cache=False)
    assert differences(narrow.documents, whole.documents) == []
    assert whole.documents["specs/001-auth/spec.md"].revisions[-1].merge


def test_a_document_left_out_of_a_sparse_worktree_leaves_no_verdict(planned: Path, tmp_path: Path) -> None:
    edit(planned / PLAN, "| 0.1.0 | 2026-01-15 |", "| 0.1.0 | 2020-01-01 |")
    git(planned, "commit", "-q", "-am", "A wrong date", "--no-verify")
    assert "out of step" in _sync(planned, expect=1)
    sparse = tmp_path / "sparse"
    git(planned, "worktree", "add", "-q", "--no-checkout", "-b", "sparse", str(sparse))
    git(sparse, "sparse-checkout", "set", "--no-cone", "/*", f"!/{PLAN}")
    git(sparse, "checkout", "-q")
    assert not (sparse / PLAN).exists()
    _sync(sparse)
    assert "out of step" in _sync(planned, expect=1), "the plan is still judged where it is checked out"


def test_verdicts_name_what_git_names_the_bytes_read(repo: Path) -> None:
    from plancycle.history.verdicts import blob_name

    for data in (b"", b"---\ntitle: x\n---\n", "ünïcode\r\n".encode()):
        (repo / "f").write_bytes(data)
        assert blob_name(data) == git(repo, "hash-object", "f").strip()


def test_a_verdict_record_this_plancycle_did_not_write_reads_as_none(planned: Path) -> None:
    _sync(planned)
    record = planned / ".git" / "plancycle" / "sync-verdicts"
    header, _, body = record.read_bytes().partition(b"\n")
    lines = [line.split(b"\t") for line in body.splitlines()]
    for fields in lines:
        fields[5] = b"[5,[],[]]"  # notes that are no list
    body = b"".join(b"\t".join(fields) + b"\n" for fields in lines)
    fields = header.split(b"\t")
    fields[3] = b"%08x" % zlib.crc32(body)  # the checksum made good: only the content is wrong
    record.write_bytes(b"\t".join(fields) + b"\n" + body)
    assert "2 document(s) in step" in _sync(planned)
    # and one damaged without the checksum made good
    record.write_bytes(record.read_bytes().replace(b"\tm\t", b"\tu\t"))
    assert "2 document(s) in step" in _sync(planned)
    # What an earlier version kept is removed once these are written.
    earlier = record.with_name("sync-verdicts.json")
    earlier.write_text("{}")
    record.unlink()
    _sync(planned)
    assert record.exists() and not earlier.exists()


def test_hooks_status_in_a_bare_repository(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    told = run_cli("hooks", "status", cwd=bare)
    assert "pre-commit" in told.out and "Traceback" not in told.err


_text = st.text(max_size=30)
_sha = st.text(alphabet="0123456789abcdef", min_size=40, max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            _sha,
            _text,
            _text,
            _text,
            _text.filter(bool),  # a path in a commit is never empty
            _sha,
            st.none() | _text.filter(bool),
            st.none() | _text.filter(bool),
            st.booleans(),
            st.integers(0, 10**6),
            st.lists(_sha, max_size=3),
            st.booleans(),
        ),
        max_size=6,
    ),
    st.lists(_sha, max_size=3),
)
def test_a_documents_revisions_read_back_as_written_whatever_they_hold(rows: list, skipped: list[str]) -> None:
    """Authors and subjects are people's text: separators, line breaks, anything."""
    from plancycle.history.cache import _decode, _encode
    from plancycle.history.facts import DocHistory, Revision

    total = 10**6 + 1
    revisions = [Revision(*row[:9], total - row[9], tuple(row[10]), row[11]) for row in rows]
    doc = DocHistory("specs/x.md", revisions, skipped, None)
    assert _decode("specs/x.md", _encode(doc, total), total) == (skipped, revisions)


@pytest.mark.parametrize(
    "payload",
    [b'J[[],[{"a":1}]]', b"J[[],[[0,1,2,3,4,5,6,7,8,9,10,11]]]", b"J[null,[]]", b"J" + b"[" * 100_000],
    ids=["a row that is no list", "fields of the wrong type", "no list of skipped", "nested past any depth"],
)
def test_revisions_this_plancycle_did_not_write_give_one_line(payload: bytes) -> None:
    from plancycle.errors import DocumentError
    from plancycle.history.cache import CacheRecord

    lines = {"specs/x.md": b"specs/x.md\t00000000\t-\t-\t0\t%d" % len(payload)}
    with pytest.raises(DocumentError, match="--no-cache"):
        CacheRecord("a" * 40, 10, lines, payload).history("specs/x.md", 10)
    with pytest.raises(DocumentError, match="--no-cache"):
        CacheRecord("a" * 40, 10, {"specs/x.md": b"specs/x.md no tabs"}, payload).fingerprint("specs/x.md")


def test_a_cache_this_user_may_not_append_to_is_laid_out_afresh(planned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Left by another user (a `sudo plancycle`, a CI step of another uid) in a folder this
    # user may write to: renamed over, not left to fall behind.
    from plancycle.history import cache

    _answer(planned)
    _edit_plan(planned, "Tokens expire after an hour.")
    real = os.open

    def refused(path: object, flags: int, *rest: object) -> int:
        if flags & os.O_APPEND and str(path).endswith(cache.NAME):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(cache.os, "open", refused)
    assert _answer(planned).read == 1
    assert _answer(planned).read == 0, "the cache moved on, written afresh"


def test_hooks_status_outside_a_repository_says_so_in_one_line(tmp_path: Path) -> None:
    told = run_cli("hooks", "status", cwd=tmp_path, expect=6)
    assert told.err.strip().splitlines() == [
        "plancycle: error: not inside a git repository; run `git init` first or change to a repository folder"
    ]


def test_a_file_git_is_told_not_to_look_at_is_read_every_time(planned: Path) -> None:
    _sync(planned)
    git(planned, "update-index", "--assume-unchanged", PLAN)
    edit(planned / PLAN, "| 0.1.0 | 2026-01-15 |", "| 0.1.0 | 2020-01-01 |")
    assert git(planned, "diff-files", "--name-only") == "", "git itself no longer looks"
    assert "out of step" in _sync(planned, expect=1)
    assert "out of step" in _sync(planned, "--no-cache", expect=1)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_in_a_documents_revisions_give_one_line_not_a_traceback(payload: bytes) -> None:
    from plancycle.errors import DocumentError
    from plancycle.history.cache import CacheRecord

    lines = {"specs/x.md": b"specs/x.md\t00000000\t-\t-\t0\t%d" % len(payload)}
    record = CacheRecord("a" * 40, 10, lines, payload)
    try:
        record.history("specs/x.md", 10)
    except DocumentError as exc:
        assert "--no-cache" in exc.message
