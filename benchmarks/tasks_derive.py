"""Deriving tasks.md from a 10,000-task plan: first derive and re-derive. Target: <= 1 s each.

python benchmarks/tasks_derive.py [--tasks 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def plan_text(tasks: int, per_phase: int = 100, reword_every: int = 0) -> str:
    lines = [
        "---",
        "title: Big",
        "status: draft",
        "version: 0.1.0",
        "---",
        "",
        "# Plan",
        "",
        "## Implementation Order",
        "",
    ]
    for number in range(tasks):
        if number % per_phase == 0:
            lines += [
                "",
                f"### Phase {number // per_phase + 1}: Block {number // per_phase} (Week {number // per_phase + 1})",
                "",
            ]
        word = "carefully " if reword_every and number % reword_every == 0 else ""
        lines.append(f"- Implement component {number} {word}with tests and docs")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from plancycle.project.project import Project
    from plancycle.tasks.derive import derive

    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        feature = repo / "specs" / "001-big"
        feature.mkdir(parents=True)
        (feature / "spec.md").write_text("---\ntitle: Big\nversion: 0.1.0\n---\n")
        project = Project.discover(repo)
        first, again = [], []
        for _ in range(args.runs):
            (feature / "plan.md").write_text(plan_text(args.tasks))
            (feature / "tasks.md").unlink(missing_ok=True)
            start = time.perf_counter()
            result = derive(project, "001")
            first.append(time.perf_counter() - start)
            (feature / "tasks.md").write_bytes(result.new.replace(b"- [ ] T0001", b"- [x] T0001"))
            (feature / "plan.md").write_text(plan_text(args.tasks, reword_every=50))
            start = time.perf_counter()
            merged = derive(project, "001")
            again.append(time.perf_counter() - start)
        print(
            f"{args.tasks} tasks: first derive {statistics.median(first):.2f} s, "
            f"re-derive with {args.tasks // 50} rewordings {statistics.median(again):.2f} s "
            f"(median of {args.runs}; target <= 1 s) — {merged.summary.line()}"
        )


if __name__ == "__main__":
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    main()
