"""Finding a plan's implementation section by heading title (a configurable priority list,
highest first, wherever it stands), by a line scan for the commit hook or among the
headings of a markdown-it parse (see `planfile`). Light on purpose: the hook imports it.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from plancycle.config import DEFAULT_SECTIONS
from plancycle.documents.document import Document
from plancycle.documents.markdown import normalise_title, scan_headings


def _title_key(title: str) -> str:
    text = normalise_title(title).replace(" and ", " & ")
    text = re.sub(r"^[^a-z]*", "", text)  # numbering and emoji in front: "7. ", "🚀 "
    return text.rstrip(" :")


class Found(NamedTuple):
    """Where the implementation section is: it starts after line ``start`` and ends before
    ``end``; its phases are the headings below ``level``. ``rule`` says how it was found
    (empty for a title of the list)."""

    start: int
    level: int
    title: str
    end: int
    rule: str = ""


# A heading that names one step of the work: `Phase 0: Research`, `Step 2 -`, `Milestone 3`.
_STEP = re.compile(r"^(?:phase|step|stage|milestone|sprint|iteration|increment|wave)\s*(?:\d{1,4}[a-z]?|[ivx]{1,6})\b")


def _phase_run(headings: list[tuple[int, int, str]]) -> tuple[int, int, int] | None:
    """(first, last, count): the positions in ``headings`` of the run of two or more headings
    at one level that each name a phase, step, stage or milestone, with no other heading
    of that level (or a higher one) between them: the shallowest, then the longest, then the
    earliest."""
    runs: dict[int, tuple[int, int, int]] = {}  # level -> (first, last, count) of the run going on
    best: tuple[int, int, int] | None = None
    best_level = 0

    def close(level: int) -> None:
        # the shallowest run wins (`### Step 1 …` inside `## Phase 1` are not the phases),
        # then the longest, then the first
        nonlocal best, best_level
        run = runs.pop(level, None)
        if run is None or run[2] < 2:
            return
        if best is None or level < best_level or (level == best_level and run[2] > best[2]):
            best, best_level = run, level

    for position, (_, level, title) in enumerate(headings):
        for deeper in [lvl for lvl in runs if lvl > level]:
            close(deeper)
        if _STEP.match(_title_key(title)):
            first, _, count = runs.get(level, (position, position, 0))
            runs[level] = (first, position, count + 1)
        else:
            close(level)
    for level in list(runs):
        close(level)
    return best


def pick(headings: list[tuple[int, int, str]], titles: tuple[str, ...] | list[str], line_count: int) -> Found | None:
    """The implementation section: the highest-priority titled section present (it ends at
    the next heading of the same or a higher level); else the longest run of phase headings
    at one level (`## Phase 0 …`, `## Phase 1 …`), read as the phases of a section around them."""
    wanted = [_title_key(t) for t in titles]
    ranked = [(wanted.index(_title_key(t)), n) for n, (_, _, t) in enumerate(headings) if _title_key(t) in wanted]
    if ranked:
        position = min(ranked)[1]
        start, level, title = headings[position]
        end = next((i for i, lvl, _ in headings[position + 1 :] if lvl <= level), line_count)
        return Found(start, level, title, end)
    run = _phase_run(headings)
    if run is None:
        return None
    first, last, count = run
    start, level, title = headings[first]
    end = next((i for i, lvl, _ in headings[last + 1 :] if lvl <= level), line_count)
    marks = "#" * level
    span = f"{marks} {title} … {marks} {headings[last][2]}"
    rule = f"no heading of the 'tasks_sections' list; read the {count} phase headings {span}"
    return Found(start - 1, level - 1, f"{title} … {headings[last][2]}", end, rule)


def scan_section(doc: Document, titles: tuple[str, ...] | list[str] = DEFAULT_SECTIONS) -> tuple[str, str] | None:
    """(heading text, section text) found by a line scan: for the commit hook, which only
    needs to know whether the section changed and must not pay for a markdown parser."""
    lines = doc.body_lines
    found = pick(scan_headings(lines), titles, len(lines))
    if found is None:
        return None
    start, _, title, end, _rule = found
    return title, "".join(lines[start + 1 : end])


def block_slice(toks: list[Any], start: int, end: int) -> list[Any]:
    """The top-level blocks that begin after the heading line ``start`` and before ``end``."""
    chosen: list[Any] = []
    depth = 0
    taking = False
    for tok in toks:
        if depth == 0:
            taking = tok.map is not None and start < tok.map[0] < end
        if taking:
            chosen.append(tok)
        depth += tok.nesting
    return chosen
