"""Time added by the pre-commit hook to a one-document commit on a large repository.

Builds (or reuses) the synthetic repository, then times `git commit` of a one-document
edit 10 times with the plancycle hook installed and 10 times with `--no-verify`, and
reports both medians and their difference. Target: at most 150 ms added. With --index, in
a clone of it with `index_on_commit = true`: the hook also refreshes and stages
specs/README.md (the rows of the feature committed read again).

    python benchmarks/hook_commit.py [--runs 10] [--work benchmarks/.work] [--index]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build


def _env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE off: an installed plancycle has its bytecode compiled, and
    # without it every commit would time the compiling of plancycle's sources instead.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIT_", "PLANCYCLE_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
    )
    return env


def _timed_commit(repo: Path, doc: Path, n: int, hooked: bool, env: dict[str, str]) -> float:
    text = doc.read_text()
    doc.write_text(text.replace("## Details\n", f"## Details\n- benchmark edit {n} {hooked}\n", 1))
    subprocess.run(["git", "add", str(doc)], cwd=repo, check=True, env=env)
    args = ["git", "commit", "-q", "-m", f"bench {n}"] + ([] if hooked else ["--no-verify"])
    start = time.perf_counter()
    subprocess.run(args, cwd=repo, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work")
    parser.add_argument("--index", action="store_true", help="with index_on_commit, in a clone")
    args = parser.parse_args()
    repo = build(args.work / "synthetic")
    env = _env()
    if not args.index:
        # Its own clone: the commits made here never change the build other benchmarks share.
        clone = args.work / "synthetic-hook"
        if not clone.exists():
            subprocess.run(["git", "clone", "-q", "--local", str(repo), str(clone)], check=True, env=env)
        repo = clone
    if args.index:
        clone = args.work / "synthetic-index"
        if not clone.exists():
            subprocess.run(["git", "clone", "-q", "--local", str(repo), str(clone)], check=True, env=env)
            (clone / ".plancycle.toml").write_text("index_on_commit = true\n")
            subprocess.run([sys.executable, "-m", "plancycle", "index"], cwd=clone, check=True, env=env)
            subprocess.run(["git", "add", "-A"], cwd=clone, check=True, env=env)
            subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "index"], cwd=clone, check=True, env=env)
        repo = clone
    subprocess.run(
        [sys.executable, "-m", "plancycle", "hooks", "install"],
        cwd=repo,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    docs = sorted((repo / "specs").glob("0*/plan.md"))[:: max(1, 1000 // (2 * args.runs))]
    with_hook, without = [], []
    for n in range(args.runs):
        without.append(_timed_commit(repo, docs[2 * n], n, False, env))
        with_hook.append(_timed_commit(repo, docs[2 * n + 1], n, True, env))
    files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, env=env).stdout.count("\n")
    commits = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True, env=env
    ).stdout.strip()
    a, b = statistics.median(with_hook) * 1000, statistics.median(without) * 1000
    print(f"repository: {files} files, {commits} commits")
    print(
        f"one-document commit, median of {args.runs}: with hook {a:.0f} ms, without {b:.0f} ms, added {a - b:.0f} ms (target <= 150 ms)"
    )


if __name__ == "__main__":
    main()
