"""`plancycle merge-driver` on a plan with a 500-row Change Log, both sides edited in
different sections: whole-process wall time, median of several runs. Target: at most 150 ms.

    python benchmarks/merge_driver.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = "---\ntitle: P\nstatus: draft\nversion: 0.500.0\nupdated: 2026-01-01\n---\n\n"
BODY = "".join(f"## Section {n}\n\n" + "Some words of the plan. " * 10 + "\n\n" for n in range(40))
LOG = "## Change Log\n\n| Version | Date | Author | Changes |\n|---|---|---|---|\n"
ROWS = "".join(f"| 0.{n}.0 | 2026-01-01 | Ada | Step {n} |\n" for n in range(1, 501))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    base = HEAD + BODY + LOG + ROWS
    ours = base.replace("version: 0.500.0", "version: 0.500.1").replace("## Section 3\n\n", "## Section 3\n\nOurs.\n")
    theirs = base.replace("version: 0.500.0", "version: 0.500.1").replace(
        "## Section 30\n\n", "## Section 30\n\nTheirs.\n"
    )
    ours += "| 0.500.1 | 2026-01-02 | Ada | Updated: Section 3 |\n"
    theirs += "| 0.500.1 | 2026-01-03 | Bob | Updated: Section 30 |\n"
    with tempfile.TemporaryDirectory() as folder:
        top = Path(folder)
        subprocess.run(["git", "init", "-q", str(top)], check=True)
        (top / "specs").mkdir()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(GIT_AUTHOR_NAME="Ada", GIT_COMMITTER_DATE="2026-03-01T09:00:00+00:00")
        times, ratios = [], []
        for _ in range(args.runs + 1):
            for name, text in (("O", base), ("A", ours), ("B", theirs)):
                (top / name).write_text(text)
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "plancycle", "merge-driver", "O", "A", "B", "specs/plan.md", "7"],
                cwd=top,
                env=env,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
            assert proc.returncode == 0, proc.stderr
            for name, text in (("O", base), ("A", ours), ("B", theirs)):
                (top / name).write_text(text)
            start = time.perf_counter()  # git's own merge of the same three files, for the ratio
            subprocess.run(["git", "merge-file", "A", "O", "B"], cwd=top, env=env, capture_output=True)
            ratios.append(times[-1] / (time.perf_counter() - start))
        print(
            f"merge-driver, 500-row Change Log: {statistics.median(times[1:]) * 1000:.0f} ms (target <= 150), "
            f"{statistics.median(ratios[1:]):.1f}x git merge-file alone; median of {args.runs}"
        )


if __name__ == "__main__":
    main()
