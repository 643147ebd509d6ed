"""Build a large "monorepo shape" plancycle repository quickly with `git fast-import`.

Default shape: 300,000 commits, of which 1% (3,000) touch `specs/`; the rest change a few
tiny code files out of 4,000 spread over some 180 folders (`services/svc-NN/...`,
`libs/...`, `web/...`, `tools/...`). The specs are 300 features of the same 5 documents
`synthetic.py` writes: the first spec commits create the features, later ones edit one
document each, raising its version and adding a Change Log row as the hook would. About
every 25th commit on main is a merge of a short branch (1-3 commits, forked a few commits
earlier), and branch commits touch specs as often as any others, so documents also reach
main through merges. Finally `main` is checked out and a commit-graph with changed-path
Bloom filters is written. A finished build is reused.

    python benchmarks/monorepo.py [path] [--commits 300000] [--no-commit-graph]

The default path is `benchmarks/.work/monorepo`.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import AUTHORS, DOCS, _document

WORK = Path(__file__).resolve().parent / ".work" / "monorepo"
MAIN, BRANCH, MERGE = 0, 1, 2

State = tuple[tuple[int, int, int], list[str], list[str]]  # version, Change Log rows, notes


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


def _code_files(count: int) -> list[list[str]]:
    """``count`` code paths, grouped by folder."""
    folders = [f"services/svc-{n:02d}/{part}" for n in range(30) for part in ("src/api", "src/core", "src/db", "tests")]
    folders += [f"libs/lib-{n:02d}/{part}" for n in range(20) for part in ("src", "tests")]
    folders += [f"web/packages/pkg-{n:02d}/src" for n in range(15)]
    folders += [f"tools/{name}" for name in ("ci", "lint", "release", "codegen")]
    groups: list[list[str]] = [[] for _ in folders]
    for n in range(max(count, len(folders))):
        folder = folders[n % len(folders)]
        extension = ".ts" if folder.startswith("web/") else ".py"
        groups[n % len(folders)].append(f"{folder}/module_{n // len(folders):03d}{extension}")
    return groups


def _skeleton(commits: int, merge_every: int, rng: random.Random) -> list[int]:
    """The kind of every commit in the order fast-import receives it: a branch's commits
    come right before the merge that takes them in."""
    kinds: list[int] = []
    mainline = 0
    while len(kinds) < commits:
        room = commits - len(kinds)
        # Eight commits first, so that every branch has somewhere a few commits back to fork from.
        if merge_every and mainline >= 8 and room >= 2 and rng.random() < 1 / merge_every:
            kinds += [BRANCH] * min(rng.randint(1, 3), room - 1) + [MERGE]
        else:
            kinds.append(MAIN)
        mainline += 1
    return kinds


def _commit(
    out: IO[bytes],
    ref: str,
    mark: int,
    author: str,
    stamp: int,
    message: str,
    files: dict[str, bytes],
    parent: int | None = None,
    merge: int | None = None,
) -> None:
    text = message.encode()
    parts = [
        f"commit {ref}\nmark :{mark}\nauthor {author} {stamp} +0000\ncommitter {author} {stamp} +0000\n".encode(),
        b"data %d\n%s\n" % (len(text), text),
    ]
    if parent is not None:
        parts.append(b"from :%d\n" % parent)
    if merge is not None:
        parts.append(b"merge :%d\n" % merge)
    for path, blob in files.items():
        parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(blob), blob))
    parts.append(b"\n")
    out.write(b"".join(parts))


def _blob(key: str, state: State) -> bytes:
    version, rows, notes = state
    return _document(key.split("/")[1], key.split("/", 2)[2], version, rows, notes).encode()


def build(
    path: Path = WORK,
    commits: int = 300_000,
    spec_share: float = 0.01,
    features: int = 300,
    merge_every: int = 25,
    code_files: int = 4000,
    seed: int = 7,
    commit_graph: bool = True,
) -> Path:
    """Create the repository at ``path`` (reused when it is already complete)."""
    spec_commits = round(commits * spec_share)
    shape = (
        f"{commits} commits, {spec_commits} touching specs, {features} features, a merge every ~{merge_every} "
        f"main commits, {code_files} code files, seed {seed}, "
        f"{'commit-graph with changed paths' if commit_graph else 'no commit-graph'}\n"
    )
    marker = path / ".git" / "plancycle-monorepo-complete"
    if marker.exists():
        if marker.read_text() == shape:
            return path
        raise SystemExit(f"{path} holds another shape ({marker.read_text().strip()}); remove it or choose another path")
    # A build that stopped half way would otherwise be imported on top of.
    if path.exists() and any(path.iterdir()):
        raise SystemExit(f"{path} exists but holds no finished build; remove it first")
    if spec_commits and features < 1:
        raise SystemExit("spec commits need at least one feature")
    env = _git_env()
    start = time.perf_counter()
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], env=env, check=True)
    rng = random.Random(seed)
    kinds = _skeleton(commits, merge_every, rng)
    spec = set(rng.sample([n for n, kind in enumerate(kinds) if kind != MERGE], spec_commits))
    groups = _code_files(code_files)
    names = [f"{n:04d}-feature-{n}" for n in range(1, features + 1)]
    documents: dict[str, State] = {}
    created = 0
    mainline: list[int] = []  # the mark of every commit on main's first-parent line
    touched: dict[str, int] = {}  # path -> position on that line of the last commit that changed it

    def spec_change(number: int, author: str, stamp: int, fork: int, branch: dict[str, State]) -> dict[str, State]:
        nonlocal created
        day = time.strftime("%Y-%m-%d", time.gmtime(stamp))
        who = author.split(" <")[0]
        if created < features:
            feature = names[created]
            created += 1
            row = f"| 0.1.0 | {day} | {who} | Add {feature} |\n"
            return {f"specs/{feature}/{doc}": ((0, 1, 0), [row], ["first note"]) for doc in DOCS}
        while True:
            key = f"specs/{rng.choice(names)}/{rng.choice(DOCS)}"
            # A branch leaves alone what main changed after the fork, so its merge never conflicts.
            if key in branch or touched[key] <= fork:
                break
        version, rows, notes = branch.get(key) or documents[key]
        version = (version[0], version[1], version[2] + 1) if rng.random() < 0.8 else (version[0], version[1] + 1, 0)
        row = f"| {'.'.join(map(str, version))} | {day} | {who} | Updated: Details |\n"
        return {key: (version, [*rows, row], [*notes, f"note {number}"])}

    def code_change(number: int, fork: int) -> tuple[str, dict[str, bytes]]:
        while True:
            group = rng.choice(groups)
            free = [p for p in group if touched.get(p, -1) <= fork]
            if free:
                break
        chosen = rng.sample(free, min(rng.choice((1, 1, 1, 2, 2, 3)), len(free)))
        return group[0].rsplit("/", 1)[0], {p: b"VALUE = %d\n" % number for p in chosen}

    def change(
        number: int, author: str, stamp: int, fork: int, branch: dict[str, State]
    ) -> tuple[str, dict[str, State], dict[str, bytes]]:
        """The message, the documents and the code files of commit ``number``."""
        if number in spec:
            changed = spec_change(number, author, stamp, fork, branch)
            key = next(iter(changed))
            message = f"Add {key.split('/')[1]}" if len(changed) > 1 else f"Edit {key}"
            return message, changed, {}
        folder, files = code_change(number, fork)
        return f"Update {folder}", {}, files

    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=path, env=env, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    out = proc.stdin
    stamp = 1_650_000_000
    number = 0
    merges = 0
    while number < len(kinds):
        if kinds[number] == MAIN:
            stamp += 300
            author = AUTHORS[number % len(AUTHORS)]
            message, changed, files = change(number, author, stamp, len(mainline), {})
            files.update((key, _blob(key, state)) for key, state in changed.items())
            _commit(out, "refs/heads/main", number + 1, author, stamp, message, files)
            documents.update(changed)
            mainline.append(number + 1)
            touched.update(dict.fromkeys(files, len(mainline) - 1))
            number += 1
            continue
        fork = max(0, len(mainline) - 1 - rng.randint(1, 6))
        branch: dict[str, State] = {}
        tree: dict[str, bytes] = {}
        parent: int | None = mainline[fork]
        while kinds[number] == BRANCH:
            stamp += 300
            author = AUTHORS[number % len(AUTHORS)]
            message, changed, files = change(number, author, stamp, fork, branch)
            files.update((key, _blob(key, state)) for key, state in changed.items())
            _commit(out, "refs/heads/topic", number + 1, author, stamp, message, files, parent=parent)
            branch.update(changed)
            tree.update(files)
            parent = None
            number += 1
        # The merge's tree is main's plus what the branch changed: exactly what git merge would make.
        stamp += 300
        merges += 1
        author = rng.choice(AUTHORS)
        message = f"Merge branch 'topic-{merges}'"
        _commit(out, "refs/heads/main", number + 1, author, stamp, message, tree, merge=number)
        documents.update(branch)
        mainline.append(number + 1)
        touched.update(dict.fromkeys(tree, len(mainline) - 1))
        number += 1
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    imported = time.perf_counter()
    subprocess.run(["git", "update-ref", "-d", "refs/heads/topic"], cwd=path, env=env, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, env=env, check=True)
    checked_out = time.perf_counter()
    if commit_graph:
        subprocess.run(
            ["git", "commit-graph", "write", "--reachable", "--changed-paths"],
            cwd=path,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    marker.write_text(shape)
    done = time.perf_counter()
    print(
        f"built {path} ({commits} commits, {merges} merges, {spec_commits} touching specs) in {done - start:.1f} s "
        f"(fast-import {imported - start:.1f} s, checkout {checked_out - imported:.1f} s, "
        f"commit-graph {done - checked_out:.1f} s)"
    )
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, nargs="?", default=WORK)
    parser.add_argument("--commits", type=int, default=300_000)
    parser.add_argument("--spec-share", type=float, default=0.01, help="share of commits that touch specs/")
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--merge-every", type=int, default=25, help="about one main commit in N is a merge (0: none)")
    parser.add_argument("--code-files", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-commit-graph", action="store_true")
    args = parser.parse_args()
    build(
        args.path,
        args.commits,
        args.spec_share,
        args.features,
        args.merge_every,
        args.code_files,
        args.seed,
        not args.no_commit_graph,
    )
