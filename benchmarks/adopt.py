"""`plancycle adopt` on 1,000 Spec Kit features with no frontmatter (spec, plan, tasks,
research.md each; 3,000 commits), built with `git fast-import` and cached in
benchmarks/.work/adopt-1000. Target: <= 5 s for the whole adoption.

python benchmarks/adopt.py [--features 1000]

Prints the median of --runs dry runs (everything worked out and the diff printed), one real
adoption (files written), and one `git log --name-status` pass over the same history, for
the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).parent / ".work"


def _spec(name: str, day: str) -> str:
    return (
        f"# Feature Specification: {name}\n\n**Feature Branch**: `{name}`\n\n**Created**: {day}\n\n"
        '**Status**: Draft\n\n**Input**: User description: "make it so"\n\n'
        "## User Scenarios & Testing\n\n### User Story 1 - Do it (Priority: P1)\n\nA person does it.\n\n"
        "## Requirements\n\n- **FR-001**: The system MUST do it.\n"
    )


def _plan(name: str, day: str) -> str:
    return (
        f"# Implementation Plan: {name}\n\n**Branch**: `{name}` | **Date**: {day} | **Spec**: [spec.md](./spec.md)\n\n"
        "## Summary\n\nDo it well.\n\n## Phase 0: Research\n\n- Read about it\n\n"
        "## Phase 1: Design & Contracts\n\n- Draw it\n\n## Phase 2: Implementation\n\n- Build it\n"
    )


def _tasks(name: str) -> str:
    return (
        f'---\ndescription: "Tasks for {name}"\n---\n\n# Tasks: {name}\n\n## Phase 1: Setup\n\n'
        "- [x] T001 Create the skeleton\n- [ ] T002 [P] Configure linting\n\n"
        "## Phase 2: User Story 1 - Do it (Priority: P1)\n\n### Implementation for User Story 1\n\n"
        "- [ ] T003 [US1] Build it in src/it.py\n"
    )


def build(path: Path, features: int) -> Path:
    marker = path / ".git" / "adopt-benchmark-complete"
    if marker.exists():
        return path
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    stamp = 1_700_000_000
    names = [f"{n:03d}-feature-{n}" for n in range(1, features + 1)]

    def commit(files: dict[str, str], message: str) -> None:
        nonlocal stamp
        stamp += 600
        who = "Ada Lovelace <ada@example.com>"
        proc.stdin.write(
            f"commit refs/heads/main\nauthor {who} {stamp} +0000\ncommitter {who} {stamp} +0000\n".encode()
        )
        proc.stdin.write(b"data %d\n%s\n" % (len(message), message.encode()))
        for key, text in files.items():
            blob = text.encode()
            proc.stdin.write(f"M 100644 inline {key}\n".encode())
            proc.stdin.write(b"data %d\n%s\n" % (len(blob), blob))
        proc.stdin.write(b"\n")

    for name in names:
        day = time.strftime("%Y-%m-%d", time.gmtime(stamp))
        commit({f"specs/{name}/spec.md": _spec(name, day)}, f"{name}: spec")
    for name in names:
        day = time.strftime("%Y-%m-%d", time.gmtime(stamp))
        commit(
            {f"specs/{name}/plan.md": _plan(name, day), f"specs/{name}/research.md": "# Research\n"}, f"{name}: plan"
        )
    for name in names:
        commit({f"specs/{name}/tasks.md": _tasks(name)}, f"{name}: tasks")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, check=True)
    marker.write_text(f"{features} features\n")
    return path


def _time(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--features", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    repo = build(WORK / f"adopt-{args.features}", args.features)
    plancycle = [sys.executable, "-m", "plancycle"]
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    subprocess.run(["git", "clean", "-qfd"], cwd=repo, check=True)
    _time([*plancycle, "adopt", "--dry-run"], repo)  # warm the file cache and the bytecode
    dry = [_time([*plancycle, "adopt", "--dry-run"], repo) for _ in range(args.runs)]
    log = [_time(["git", "log", "--name-status", "--format=%H"], repo) for _ in range(args.runs)]
    real = _time([*plancycle, "adopt"], repo)
    changed = subprocess.run(["git", "status", "--short"], cwd=repo, capture_output=True, text=True).stdout.count("\n")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    print(f"{args.features} features, {changed} documents adopted")
    print(f"adopt --dry-run: median {statistics.median(dry):.2f} s ({', '.join(f'{t:.2f}' for t in dry)})")
    print(f"adopt (writing): {real:.2f} s")
    print(
        f"git log --name-status: median {statistics.median(log):.2f} s; ratio {statistics.median(dry) / statistics.median(log):.1f}x"
    )


if __name__ == "__main__":
    main()
