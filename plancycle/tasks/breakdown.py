"""Reading a plan's implementation-order section into phases of tasks.

The section is found by heading title (a configurable priority list, highest first,
wherever it stands) and read from the same markdown-it tokens (see `planreader`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from plancycle.config import DEFAULT_SECTIONS
from plancycle.documents.document import Document, split_lines
from plancycle.errors import NotFoundError
from plancycle.documents.markdown import normalise_title, outline, tokens


@dataclass
class Task:
    text: str
    done: bool = False
    id: str | None = None  # an ID the plan itself wrote (T012 …)


@dataclass
class Phase:
    title: str | None
    label: str | None = None  # "Phase 1", "Step 3" … as the plan wrote it
    timing: str | None = None
    tasks: list[Task] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)


@dataclass
class Breakdown:
    section: str | None
    phases: list[Phase]
    warnings: list[str]
    section_text: str = ""
    level: int = 0

    @property
    def tasks(self) -> list[Task]:
        return [task for phase in self.phases for task in phase.tasks]

    @property
    def section_hash(self) -> str:
        return section_hash(self.section_text)


def section_hash(text: str) -> str:
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def _title_key(title: str) -> str:
    text = normalise_title(title).replace(" and ", " & ")
    text = re.sub(r"^[^a-z]*", "", text)  # numbering and emoji in front: "7. ", "🚀 "
    return text.rstrip(" :")


def _pick(headings: list[tuple[int, int, str]], titles: tuple[str, ...] | list[str],
          line_count: int) -> tuple[int, int, str, int] | None:
    """(start line, level, title, end line) of the highest-priority titled section present;
    it ends at the next heading of the same or a higher level."""
    wanted = [_title_key(t) for t in titles]
    ranked = [(wanted.index(_title_key(t)), n) for n, (_, _, t) in enumerate(headings) if _title_key(t) in wanted]
    if not ranked:
        return None
    position = min(ranked)[1]
    start, level, title = headings[position]
    end = next((i for i, lvl, _ in headings[position + 1 :] if lvl <= level), line_count)
    return start, level, title, end


def scan_section(doc: Document, titles: tuple[str, ...] | list[str] = DEFAULT_SECTIONS) -> tuple[str, str] | None:
    """(heading text, section text) found by a line scan: for the commit hook, which only
    needs to know whether the section changed and must not pay for a markdown parser."""
    from plancycle.documents.markdown import scan_headings

    lines = doc.body_lines
    found = _pick(scan_headings(lines), titles, len(lines))
    if found is None:
        return None
    start, _, title, end = found
    return title, "".join(lines[start + 1 : end])


def read_plan(doc: Document, titles: tuple[str, ...] | list[str] = DEFAULT_SECTIONS, *, required: bool = True) -> Breakdown:
    body = doc.body
    toks = tokens(body)  # parsed once: the section is read from a slice of these tokens
    lines = split_lines(body)
    headings = [(h.start, h.level, h.title) for h in outline(body, toks) if h.level]
    found = _pick(headings, titles, len(lines))
    if found is None:
        if not required:
            return Breakdown(None, [], [f"no implementation section found in {doc.path}"])
        raise NotFoundError(
            f"{doc.path}: no implementation section; looked for a heading titled "
            + ", ".join(repr(t) for t in titles)
            + "; add one, or list your heading in the 'tasks_sections' setting"
        )
    from plancycle.tasks.planreader import read_tokens

    start, level, title, end = found
    breakdown = read_tokens(_block_slice(toks, start, end), level)
    breakdown.section = title
    breakdown.section_text = "".join(lines[start + 1 : end])
    breakdown.level = level
    return breakdown


def _block_slice(toks: list[Any], start: int, end: int) -> list[Any]:
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


def preview(breakdown: Breakdown) -> dict[str, Any]:
    """The JSON shape of `plancycle tasks preview`, IDs numbered in plan order."""
    number = 0
    phases = []
    for phase in breakdown.phases:
        tasks = []
        for task in phase.tasks:
            number += 1
            tasks.append({"id": task.id or f"T{number:03d}", "text": task.text, "done": task.done})
        phases.append({"title": phase.title, "tasks": tasks, "criteria": list(phase.criteria)})
    return {"section": breakdown.section, "phases": phases, "warnings": list(breakdown.warnings)}
