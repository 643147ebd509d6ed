"""`plancycle check` on the synthetic repository (1,000 features, 5,000 documents, 20,000
commits): the whole check with history read whole (the history cache taken away first),
the same answered by the cache the run before left, and without the rules that read
history. Target: the whole check in at most 2 s. Median of several runs; whole-process wall time.

    python benchmarks/check.py [--runs 5]
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


def timed(args: list[str], repo: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work")
    args = parser.parse_args()
    repo = build(args.work / "synthetic")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    command = [sys.executable, "-m", "plancycle", "check", "--format", "json"]
    timed(command, repo, env)  # warm the file cache and the bytecode
    whole, light, ratios = [], [], []
    store = repo / ".git" / "plancycle"
    cached = []
    for _ in range(args.runs):  # pair by pair with one `git log --name-status` pass
        log = timed(["git", "log", "--name-status"], repo, env)
        for name in ("history.cache", "sync-verdicts"):  # history read whole
            (store / name).unlink(missing_ok=True)
        whole.append(timed(command, repo, env))
        cached.append(timed(command, repo, env))  # what the run before left answers
        light.append(timed([*command, "--no-history"], repo, env))
        ratios.append(whole[-1] / log)
    print(
        f"plancycle check: {statistics.median(whole):.2f} s (target <= 2), "
        f"{statistics.median(ratios):.2f}x one git log --name-status pass; "
        f"with the history cache: {statistics.median(cached):.2f} s; "
        f"without history: {statistics.median(light):.2f} s; median of {args.runs}"
    )


if __name__ == "__main__":
    main()
