"""`plancycle changelog sync --check --no-cache` (history read whole) against one `git log
--name-status` pass over the same history, on the synthetic repository (1,000 features,
5,000 documents, 20,000 commits). Target: at most 2x. Also reports the peak memory of the
plancycle process and of git. benchmarks/history_scale.py measures the history cache.

    python benchmarks/changelog_sync.py [--runs 5]
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

MEASURE = """
import resource, runpy, sys
sys.argv = ["plancycle", "changelog", "sync", "--check", "--no-cache"]
try:
    runpy.run_module("plancycle", run_name="__main__")
except SystemExit as exit:
    code = exit.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      file=sys.stderr)
"""


def timed(args: list[str], repo: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work")
    args = parser.parse_args()
    repo = build(args.work / "synthetic")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    git_times, ours, peaks = [], [], []
    for _ in range(args.runs):
        git_times.append(timed(["git", "log", "--name-status"], repo, env)[0])
        seconds, err = timed([sys.executable, "-c", MEASURE], repo, env)
        ours.append(seconds)
        peaks.append([int(x) for x in err.strip().splitlines()[-1].split()])
    g, p = statistics.median(git_times), statistics.median(ours)
    python_peak = max(x[0] for x in peaks) / 1024
    git_peak = max(x[1] for x in peaks) / 1024
    print(
        f"git log --name-status: {g:.2f} s; plancycle changelog sync --check: {p:.2f} s; "
        f"ratio {p / g:.2f} (target <= 2; median of {args.runs})"
    )
    print(f"peak memory: plancycle process {python_peak:.0f} MiB, largest git child {git_peak:.0f} MiB")


if __name__ == "__main__":
    main()
