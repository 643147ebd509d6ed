"""How well the plan reader finds the tasks of plans written by hand, in the shapes real
plans take: the corpus in tests/plans/realworld/ (each plan beside its expected breakdown,
written by reading the plan, not by running the reader).

python benchmarks/plan_reader.py [--verbose]

Prints task precision, recall and F1 (a task is found when its text matches, whitespace and
case aside, in the same phase position or anywhere), the plans whose phase count is exact,
done-state accuracy over the tasks found, and the five plans scored worst.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from plancycle.documents.document import Document
from plancycle.tasks.breakdown import preview
from plancycle.tasks.planfile import read_plan

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "plans" / "realworld"


def expected_tasks(phase: dict[str, Any]) -> list[tuple[str, bool, list[str]]]:
    """(text, done, details) of each task an expected phase lists (`"[x] text"` is done)."""
    found = []
    for task in phase["tasks"]:
        if isinstance(task, str):
            done = task.startswith("[x] ")
            found.append((task[4:] if done else task, done, []))
        else:
            found.append((task["text"], bool(task.get("done", False)), list(task.get("details", []))))
    return found


def key(text: str) -> str:
    return " ".join(text.lower().split())


def score(plan: Path) -> dict[str, Any]:
    expected = json.loads(plan.with_suffix(".expected.json").read_text(encoding="utf-8"))
    start = time.perf_counter()
    got = preview(read_plan(Document.read(plan), required=False))
    elapsed = time.perf_counter() - start
    want = [(key(t), d) for p in expected["phases"] for t, d, _ in expected_tasks(p)]
    have = [(key(t["text"]), t["done"]) for p in got["phases"] for t in p["tasks"]]
    pool = [t for t, _ in want]
    matched = 0
    done_right = 0
    wanted_done = dict(want)
    for text, done in have:
        if text in pool:
            pool.remove(text)
            matched += 1
            done_right += wanted_done[text] == done
    return {
        "plan": plan.stem,
        "expected": len(want),
        "found": len(have),
        "matched": matched,
        "done_right": done_right,
        "phases_exact": len(got["phases"]) == len(expected["phases"]),
        "phases": (len(got["phases"]), len(expected["phases"])),
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--synthetic",
        type=Path,
        default=Path(__file__).parent / ".work" / "synthetic",
        help="a repository of many plans (benchmarks/synthetic.py builds one) whose parse times are reported",
    )
    args = parser.parse_args()
    plans = sorted(p for p in CORPUS.glob("*.md") if p.with_suffix(".expected.json").exists())
    results = [score(p) for p in plans]
    matched = sum(r["matched"] for r in results)
    precision = matched / max(1, sum(r["found"] for r in results))
    recall = matched / max(1, sum(r["expected"] for r in results))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    exact = sum(r["phases_exact"] for r in results)
    done = sum(r["done_right"] for r in results) / max(1, matched)
    print(f"{len(plans)} plans, {sum(r['expected'] for r in results)} expected tasks")
    print(f"task precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"phase count exact in {exact}/{len(plans)} plans; done state right for {done:.3f} of the tasks found")
    print(f"slowest parse {max(r['seconds'] for r in results) * 1000:.1f} ms")

    def plan_f1(r: dict[str, Any]) -> float:
        p = r["matched"] / max(1, r["found"])
        q = r["matched"] / max(1, r["expected"])
        return 2 * p * q / max(1e-9, p + q) - (0 if r["phases_exact"] else 0.01)

    print("worst five:")
    for r in sorted(results, key=plan_f1)[:5]:
        print(
            f"  {r['plan']}: F1 {max(0.0, plan_f1(r)):.2f}, {r['matched']}/{r['expected']} tasks found, "
            f"{r['found']} read, phases {r['phases'][0]} (expected {r['phases'][1]})"
        )
    synthetic = sorted(args.synthetic.glob("specs/*/plan.md")) if args.synthetic.is_dir() else []
    if synthetic:
        times = []
        for plan in synthetic:
            doc = Document.read(plan)
            start = time.perf_counter()
            read_plan(doc, required=False)
            times.append(time.perf_counter() - start)
        times.sort()
        print(
            f"{len(times)} plans of {args.synthetic}: parse median {times[len(times) // 2] * 1000:.2f} ms, "
            f"slowest {times[-1] * 1000:.2f} ms"
        )
    if args.verbose:
        for r in results:
            print(r)


if __name__ == "__main__":
    main()
