"""Build a large synthetic plancycle repository quickly with `git fast-import`.

Default shape: 1,000 features of 5 documents each (spec, plan, tasks, two ADRs) and
20,000 commits: the first ones create the features, the rest edit one document each,
raising its version and adding a Change Log row as the hook would.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import time
from pathlib import Path

DOCS = ("spec.md", "plan.md", "tasks.md", "adr/001-storage.md", "adr/002-api-style.md")
AUTHORS = ("Ada Lovelace <ada@example.com>", "Grace Hopper <grace@example.com>", "José Núñez <jose@example.com>")


def _document(feature: str, doc: str, version: tuple[int, int, int], rows: list[str], notes: list[str]) -> str:
    head = (
        f"---\ntitle: {feature} {doc}\nfeature: {feature}\nstatus: draft\n"
        f"version: {'.'.join(map(str, version))}\ncreated: 2024-01-01\nupdated: 2024-06-01\n---\n\n"
    )
    body = f"# {doc} for {feature}\n\n## Context\n\n" + "Lorem ipsum dolor sit amet, " * 8 + "\n\n"
    body += "## Details\n\n" + "".join(f"- {note}\n" for note in notes) + "\n"
    body += "## Implementation Order\n\n1. **Phase 1:** setup, models\n2. **Phase 2:** API, tests\n\n"
    body += "## Change Log\n\n| Version | Date | Author | Changes |\n|---|---|---|---|\n" + "".join(rows)
    return head + body


def build(path: Path, features: int = 1000, commits: int = 20000, seed: int = 7) -> Path:
    """Create the repository at ``path`` (reused when it is already complete)."""
    marker = path / ".git" / "plancycle-synthetic-complete"
    if marker.exists():
        return path
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    rng = random.Random(seed)
    state: dict[str, tuple[tuple[int, int, int], list[str], list[str]]] = {}
    names = [f"{n:04d}-feature-{n}" for n in range(1, features + 1)]
    start = time.perf_counter()
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    out = proc.stdin
    stamp = 1_700_000_000
    for number in range(commits):
        stamp += 600
        author = AUTHORS[number % len(AUTHORS)]
        changes = []
        if number < features:
            feature = names[number]
            for doc in DOCS:
                key = f"specs/{feature}/{doc}"
                day = time.strftime("%Y-%m-%d", time.gmtime(stamp))
                state[key] = (
                    (0, 1, 0),
                    [f"| 0.1.0 | {day} | {author.split(' <')[0]} | Add {feature} |\n"],
                    ["first note"],
                )
                changes.append(key)
            message = f"Add {feature}"
        else:
            key = f"specs/{rng.choice(names)}/{rng.choice(DOCS)}"
            version, rows, notes = state[key]
            version = (
                (version[0], version[1], version[2] + 1) if rng.random() < 0.8 else (version[0], version[1] + 1, 0)
            )
            notes = [*notes, f"note {number}"]
            day = time.strftime("%Y-%m-%d", time.gmtime(stamp))
            rows = [*rows, f"| {'.'.join(map(str, version))} | {day} | {author.split(' <')[0]} | Updated: Details |\n"]
            state[key] = (version, rows, notes)
            changes.append(key)
            message = f"Edit {key}"
        out.write(f"commit refs/heads/main\nauthor {author} {stamp} +0000\ncommitter {author} {stamp} +0000\n".encode())
        data = message.encode()
        out.write(b"data %d\n%s\n" % (len(data), data))
        for key in changes:
            feature = key.split("/")[1]
            version, rows, notes = state[key]
            blob = _document(feature, key.split("/", 2)[2], version, rows, notes).encode()
            out.write(f"M 100644 inline {key}\n".encode())
            out.write(b"data %d\n%s\n" % (len(blob), blob))
        out.write(b"\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, check=True)
    marker.write_text(f"{features} features, {commits} commits\n")
    print(f"built {path} ({features} features, {commits} commits) in {time.perf_counter() - start:.1f} s")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--features", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=20000)
    args = parser.parse_args()
    build(args.path, args.features, args.commits)
