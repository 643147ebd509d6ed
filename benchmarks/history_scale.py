"""History at scale: `plancycle changelog sync --check` without a cache and with one, on
two shapes, against `git log --name-status` over the same history, pair by pair.

- synthetic: 1,000 features, 5,000 documents, 20,000 commits, every one touching specs/
  (benchmarks/synthetic.py). Targets: a second run after one new commit at most 0.15x one
  whole `git log --name-status`; the first run no slower than a run that keeps no cache.
- monorepo: 300,000 commits, 1% touching specs/, with a commit-graph with changed paths
  (benchmarks/monorepo.py). Targets: the first run at most 2x `git log --name-status --
  specs`; the cached second run at most 1.5 s.

Peak memory (RSS) of the plancycle process and of its largest git child is reported for
each. Each shape is cloned once into benchmarks/.work/<shape>-scale with the hooks
installed, so the commits made here never touch the shared builds.

    python benchmarks/history_scale.py [--runs 5] [--shape synthetic|monorepo|both]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import monorepo
import synthetic

MEASURE = """
import resource, runpy, sys
sys.argv = ["plancycle", "changelog", "sync", "--check"] + sys.argv[1:]
try:
    runpy.run_module("plancycle", run_name="__main__")
except SystemExit as exit:
    code = exit.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      file=sys.stderr)
"""
CACHE = ("history.cache",)  # under .git/plancycle/
VERDICTS = "sync-verdicts"


def environment() -> dict[str, str]:
    # Bytecode written as an installed package has it: a run that compiles every module
    # measures the compiler.
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


def timed(args: list[str], repo: Path, env: dict[str, str]) -> tuple[float, list[int]]:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    last = proc.stderr.strip().splitlines()[-1:] if args[:2] == [sys.executable, "-c"] else []
    peaks = [int(x) for x in last[0].split()] if last and last[0].replace(" ", "").isdigit() else []
    return seconds, peaks


def clone(source: Path, target: Path, env: dict[str, str], graph: bool) -> Path:
    if not (target / ".git" / "plancycle-scale-ready").exists():
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", "--local", str(source), str(target)], check=True, env=env)
        if graph:
            subprocess.run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=target, env=env)
        subprocess.run([sys.executable, "-m", "plancycle", "hooks", "install"], cwd=target, env=env, check=True)
        (target / ".git" / "plancycle-scale-ready").write_text("ready\n")
    return target


def one_commit(repo: Path, env: dict[str, str], n: int) -> None:
    """An edit of one document, committed through the hook (which bumps it and adds its row)."""
    plan = next((repo / "specs").glob("*/plan.md"))
    text = plan.read_text()
    plan.write_text(text.replace("## Details\n", f"## Details\n- scale edit {n}\n", 1))
    subprocess.run(["git", "commit", "-q", "-am", f"Scale edit {n}"], cwd=repo, env=env, check=True)


def measure(shape: str, repo: Path, runs: int, env: dict[str, str]) -> None:
    store = repo / ".git" / "plancycle"
    ours = [sys.executable, "-c", MEASURE]
    whole = ["git", "log", "--name-status"]
    narrow = ["git", "log", "--name-status", "--", "specs"]

    def forget() -> None:
        for name in (*CACHE, VERDICTS):
            (store / name).unlink(missing_ok=True)

    first, second, nocache, git_whole, git_narrow, peaks_first, peaks_second = [], [], [], [], [], [], []
    for n in range(runs):
        git_whole.append(timed(whole, repo, env)[0])
        git_narrow.append(timed(narrow, repo, env)[0])
        forget()
        seconds, peaks = timed(ours, repo, env)
        first.append(seconds)
        peaks_first.append(peaks)
        forget()
        nocache.append(timed([*ours, "--no-cache"], repo, env)[0])
        # The second run: the cache (and verdicts) the run before the new commit left.
        timed(ours, repo, env)
        saved = {name: (store / name).read_bytes() for name in (*CACHE, VERDICTS)}
        one_commit(repo, env, n)
        seconds, peaks = timed(ours, repo, env)
        second.append(seconds)
        peaks_second.append(peaks)
        for name, data in saved.items():
            (store / name).write_bytes(data)
    median = statistics.median

    def ratio(ours: list[float], theirs: list[float]) -> float:
        return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))

    print(f"[{shape}] medians of {runs}, ratios pair by pair")
    print(f"  git log --name-status: {median(git_whole):.2f} s; -- specs: {median(git_narrow):.2f} s")
    print(
        f"  first run {median(first):.2f} s ({ratio(first, git_whole):.2f}x whole log, "
        f"{ratio(first, git_narrow):.2f}x log -- specs, {ratio(first, nocache):.2f}x --no-cache)"
    )
    print(
        f"  second run after one commit {median(second):.3f} s ({ratio(second, git_whole):.3f}x whole log, "
        f"{ratio(second, git_narrow):.3f}x log -- specs)"
    )
    for name, peaks in (("first", peaks_first), ("second", peaks_second)):
        if all(peaks):
            print(
                f"  peak memory, {name} run: plancycle {max(p[0] for p in peaks) / 1024:.0f} MiB, "
                f"largest git child {max(p[1] for p in peaks) / 1024:.0f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shape", choices=("synthetic", "monorepo", "both"), default="both")
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work")
    args = parser.parse_args()
    env = environment()
    if args.shape in ("synthetic", "both"):
        repo = clone(synthetic.build(args.work / "synthetic"), args.work / "synthetic-scale", env, graph=False)
        measure("synthetic, 20,000 commits", repo, args.runs, env)
    if args.shape in ("monorepo", "both"):
        repo = clone(monorepo.build(args.work / "monorepo"), args.work / "monorepo-scale", env, graph=True)
        measure("monorepo, 300,000 commits, 1% in specs/", repo, args.runs, env)


if __name__ == "__main__":
    main()
