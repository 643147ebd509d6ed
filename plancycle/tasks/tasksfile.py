"""tasks.md as written on disk: phases, task lines with their IDs and checkboxes, and the
lines people attach under them; listing tasks and ticking them off.

plancycle owns the phase headings, their timing and criteria lines, and the text of the
tasks it derived (listed in `plan_task_ids`). Everything else in the phases — checkboxes,
notes and sub-items under a task, tasks and paragraphs added by hand — is the user's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plancycle.documents.changelog import is_changelog_title
from plancycle.documents.document import Document
from plancycle.errors import NotFoundError

TASK_LINE = re.compile(
    r"^[-*+] \[(?P<mark>[ xX])\] (?:(?P<id>T\d{3,})\b\s*)?(?P<text>.*?)(?P<removed>\s+\(removed from plan\))?\s*$"
)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
REMOVED = " (removed from plan)"


@dataclass
class Entry:
    """A task line in tasks.md and the lines the user wrote under it."""

    id: str | None
    text: str
    done: bool
    removed: bool
    lines: list[str]  # the task line first, then attached lines, endings kept

    @property
    def attached(self) -> list[str]:
        return self.lines[1:]


@dataclass
class UserBlock:
    lines: list[str]


@dataclass
class OldPhase:
    key: str
    title: str = ""
    items: list[Entry | UserBlock] = field(default_factory=list)


@dataclass
class TasksFile:
    doc: Document
    head: list[str]  # body lines before the first phase heading
    phases: list[OldPhase]
    tail: list[str]  # from the Change Log heading on
    derived: set[str]

    def entries(self) -> list[Entry]:
        return [item for phase in self.phases for item in phase.items if isinstance(item, Entry)]


def task_number(task_id: str) -> int:
    return int(task_id[1:])


def compress_ids(ids: list[str]) -> str:
    """'T001-T003,T007' for T001, T002, T003, T007 (each run keeps its own digit count)."""
    ordered = sorted(set(ids), key=lambda i: (task_number(i), len(i)))
    parts: list[str] = []
    run: list[str] = []
    for task_id in ordered:
        if run:
            width = len(run[0]) - 1
            if task_number(task_id) == task_number(run[-1]) + 1 and task_id == f"T{task_number(task_id):0{width}d}":
                run.append(task_id)
                continue
            parts.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [task_id]
    if run:
        parts.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ",".join(parts)


def expand_ids(text: object) -> set[str]:
    found: set[str] = set()
    for part in str(text or "").replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        if not re.fullmatch(r"T\d+", first) or (last and not re.fullmatch(r"T\d+", last)):
            continue
        width = len(first) - 1
        for number in range(task_number(first), task_number(last or first) + 1):
            found.add(f"T{number:0{width}d}")
    return found


def text_key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def parse_tasks_file(doc: Document, changelog_heading: str = "Change Log") -> TasksFile:
    lines = doc.body_lines
    start = end = None
    for index, line in enumerate(lines):
        match = HEADING.match(line.rstrip("\r\n"))
        if not match:
            continue
        title = match.group(2)
        if is_changelog_title(title, changelog_heading):
            end = index
            break
        if start is None and len(match.group(1)) == 2:
            start = index
    end = len(lines) if end is None else end
    if start is None:
        start = end
    phases: list[OldPhase] = []
    index = start
    current: OldPhase | None = None
    while index < end:
        line = lines[index]
        content = line.rstrip("\r\n")
        heading = HEADING.match(content)
        if heading and len(heading.group(1)) == 2:
            current = OldPhase(phase_key(heading.group(2)), heading.group(2))
            phases.append(current)
            index += 1
            continue
        if current is None:
            current = OldPhase("")
            phases.append(current)
        task = TASK_LINE.match(content)
        if task:
            block = [line]
            index += 1
            while index < end:
                following = lines[index].rstrip("\r\n")
                if following[:1] in (" ", "\t") and following.strip():
                    block.append(lines[index])
                    index += 1
                elif not following.strip() and index + 1 < end and lines[index + 1][:1] in (" ", "\t") and lines[index + 1].strip():
                    block.append(lines[index])
                    index += 1
                else:
                    break
            current.items.append(
                Entry(task.group("id"), task.group("text").strip(), task.group("mark") != " ",
                      bool(task.group("removed")), block)
            )
            continue
        if not content.strip() or _is_generated(lines, index):
            index = _skip_generated(lines, index, end)
            continue
        block = []
        while index < end and lines[index].strip():
            content = lines[index].rstrip("\r\n")
            if TASK_LINE.match(content) or HEADING.match(content):
                break
            block.append(lines[index])
            index += 1
        current.items.append(UserBlock(block))
    derived = expand_ids(doc.get("plan_task_ids"))
    return TasksFile(doc, lines[:start], phases, lines[end:], derived)


_GENERATED_START = re.compile(r"^(?:_Timing: .*_|\*\*Criteria\*\*:?|\*\*Criteria:\*\*)\s*$")


def _is_generated(lines: list[str], index: int) -> bool:
    return bool(_GENERATED_START.match(lines[index].rstrip("\r\n")))


def _skip_generated(lines: list[str], index: int, end: int) -> int:
    """Past a blank line, a timing line, or a criteria label with its bullet lines."""
    content = lines[index].rstrip("\r\n")
    index += 1
    if content.startswith("**Criteria"):
        while index < end and re.match(r"^[-*+] (?!\[[ xX]\] )", lines[index]):
            index += 1
    return index


def phase_key(title: str) -> str:
    text = re.sub(r"^(?:phase|step|stage|milestone|sprint)\s*\d+[a-z]?\s*[:.\-—–]?\s*", "", title.strip(), flags=re.I)
    return text_key(text or title)


@dataclass(frozen=True)
class TaskItem:
    id: str | None
    text: str
    done: bool
    phase: str
    removed: bool


def list_tasks(doc: Document, changelog_heading: str = "Change Log") -> list[TaskItem]:
    parsed = parse_tasks_file(doc, changelog_heading)
    return [
        TaskItem(item.id, item.text, item.done, phase.title, item.removed)
        for phase in parsed.phases
        for item in phase.items
        if isinstance(item, Entry)
    ]


def set_done(doc: Document, task_ids: list[str], done: bool) -> list[str]:
    """Tick or untick tasks by ID by editing their checkbox only; returns the IDs changed."""
    lines = doc.body_lines
    wanted = {t.upper() for t in task_ids}
    seen: set[str] = set()
    changed = []
    for index, line in enumerate(lines):
        match = TASK_LINE.match(line.rstrip("\r\n"))
        if not match or match.group("id") not in wanted:
            continue
        seen.add(match.group("id"))
        mark = "x" if done else " "
        if (match.group("mark") != " ") != done:
            lines[index] = line[:3] + mark + line[4:]
            changed.append(match.group("id"))
    missing = sorted(wanted - seen)
    if missing:
        raise NotFoundError(f"{doc.path}: no task {', '.join(missing)}; see `plancycle tasks list`")
    doc.replace_body("".join(lines))
    return changed
