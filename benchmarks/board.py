"""`plancycle board` and `plancycle index` on the synthetic repository (1,000 features of five
documents, 20,000 commits; benchmarks/synthetic.py builds it into benchmarks/.work/synthetic).
Targets: the board in <= 3 s and under 2 MB.

python benchmarks/board.py [--runs 3]

Prints the median of each, the page's size, and one `git log --name-status` pass over the
same history for the ratio.
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

from synthetic import build

WORK = Path(__file__).parent / ".work"


def _time(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    repo = build(WORK / "synthetic")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    plancycle = [sys.executable, "-m", "plancycle"]
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "board.html"
        _time([*plancycle, "board", "-o", str(page)], repo)  # warm the caches and the bytecode
        board = []
        for _ in range(args.runs):  # history read whole: the history cache taken away first
            (repo / ".git" / "plancycle" / "history.cache").unlink(missing_ok=True)
            board.append(_time([*plancycle, "board", "-o", str(page)], repo))
        cached = [_time([*plancycle, "board", "-o", str(page)], repo) for _ in range(args.runs)]
        size = page.stat().st_size
    index = [_time([*plancycle, "index", "--dry-run"], repo) for _ in range(args.runs)]
    log = [_time(["git", "log", "--name-status", "--format=%H"], repo) for _ in range(args.runs)]
    print(f"board: median {statistics.median(board):.2f} s, {size / 1e6:.2f} MB")
    print(f"board with the history cache: median {statistics.median(cached):.2f} s")
    print(f"index --dry-run: median {statistics.median(index):.2f} s")
    print(
        f"git log --name-status: median {statistics.median(log):.2f} s; "
        f"board {statistics.median(board) / statistics.median(log):.1f}x"
    )


if __name__ == "__main__":
    main()
