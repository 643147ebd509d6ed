"""The breakdown model: a plan's implementation section read as phases of tasks (with
criteria), the hash that tells whether the section changed, and the preview shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Task:
    text: str
    done: bool = False
    id: str | None = None  # an ID the plan itself wrote (T012 …)
    details: list[str] = field(default_factory=list)  # sub-items that describe it, not more work


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
    placeholders: int = 0  # unfilled template placeholders skipped

    @property
    def unfilled(self) -> bool:
        """Only template placeholders where the work should be: nothing to derive yet."""
        return self.placeholders > 0 and not self.tasks

    @property
    def tasks(self) -> list[Task]:
        return [task for phase in self.phases for task in phase.tasks]

    @property
    def section_hash(self) -> str:
        return section_hash(self.section_text)


def section_hash(text: str) -> str:
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def preview(breakdown: Breakdown) -> dict[str, Any]:
    """The JSON shape of `plancycle tasks preview`, IDs numbered in plan order."""
    number = 0
    phases = []
    for phase in breakdown.phases:
        tasks = []
        for task in phase.tasks:
            number += 1
            shown: dict[str, Any] = {"id": task.id or f"T{number:03d}", "text": task.text, "done": task.done}
            if task.details:
                shown["details"] = list(task.details)
            tasks.append(shown)
        phases.append({"title": phase.title, "tasks": tasks, "criteria": list(phase.criteria)})
    return {"section": breakdown.section, "phases": phases, "warnings": list(breakdown.warnings)}
