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
from plancycle.documents.markdown import prose_lines, scan_headings
from plancycle.errors import NotFoundError

# Anchored patterns for the fixed parts; the rest of a task line is read in Python.
_CHECKBOX = re.compile(r"[-*+] \[([ xX])\] ")
_TASK_ID = re.compile(r"T\d{3,}\b")
REMOVED = " (removed from plan)"


@dataclass(frozen=True)
class TaskLine:
    done: bool
    id: str | None
    text: str
    removed: bool


def read_task_line(content: str) -> TaskLine | None:
    """`- [x] T003 text (removed from plan)` read; None for any other line."""
    box = _CHECKBOX.match(content)
    if box is None:
        return None
    rest = content[box.end() :].strip()
    task_id = None
    number = _TASK_ID.match(rest)
    if number is not None:
        task_id, rest = number.group(), rest[number.end() :].lstrip()
    marker = REMOVED.strip()
    removed = rest.endswith(marker) and (len(rest) == len(marker) or rest[-len(marker) - 1] in " \t")
    if removed:
        rest = rest[: -len(marker)].rstrip()
    return TaskLine(box.group(1) != " ", task_id, rest, removed)


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
    heading: list[str] = field(default_factory=list)  # the heading's own line(s), as written


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
    """tasks.md read into phases (its level-2 headings) of task entries and people's blocks.

    Headings are found by the one fence-aware scan; lines inside fenced code are never read
    as tasks or headings. Each step of the loop consumes at least one line."""
    lines = doc.body_lines
    headings = scan_headings(lines)
    end = next((i for i, _, title in headings if is_changelog_title(title, changelog_heading)), len(lines))
    phase_titles = {i: title for i, level, title in headings if level == 2 and i < end}
    start = min(phase_titles, default=end)
    prose = {i for i, _ in prose_lines(lines[:end])}
    phases: list[OldPhase] = []
    current: OldPhase | None = None
    blanks: list[str] = []  # blank lines waiting for what follows them
    index = start
    while index < end:
        line = lines[index]
        content = line.rstrip("\r\n")
        if index in phase_titles:
            current = OldPhase(phase_key(phase_titles[index]), phase_titles[index])
            phases.append(current)
            blanks = []
            # a setext heading's underline belongs to it
            width = 2 if not content.lstrip().startswith("#") and index + 1 < end else 1
            current.heading = lines[index : index + width]
            index += width
            continue
        if current is None:
            current = OldPhase("")
            phases.append(current)
        task = read_task_line(content) if index in prose else None
        if task is not None:
            _end_block(current, blanks)
            blanks = []
            block = [line]
            index += 1
            while index < end and index not in phase_titles:
                following = lines[index]
                if following[:1] in (" ", "\t") and following.strip():
                    block.append(following)
                elif (
                    not following.strip()
                    and index + 1 < end
                    and index + 1 not in phase_titles
                    and lines[index + 1][:1] in (" ", "\t")
                    and lines[index + 1].strip()
                ):
                    block.append(following)  # a blank line inside an item's attached text
                else:
                    break
                index += 1
            current.items.append(Entry(task.id, task.text, task.done, task.removed, block))
            continue
        if not content.strip():
            blanks.append(line)
            index += 1
            continue
        if index in prose and _is_generated(lines, index):
            index = _skip_generated(lines, index, end)
            blanks = []
            continue
        # People's text: kept as written, with the blank lines that set it apart.
        block = blanks if current.items else []
        blanks = []
        while index < end and index not in phase_titles:
            following = lines[index]
            if index in prose and (not following.strip() or read_task_line(following.rstrip("\r\n"))):
                break
            block.append(following)
            index += 1
        current.items.append(UserBlock(block))
    derived = expand_ids(doc.get("plan_task_ids"))
    return TasksFile(doc, lines[:start], phases, lines[end:], derived)


def _end_block(phase: OldPhase, blanks: list[str]) -> None:
    """Blank lines between people's text and the next task stay with that text."""
    if blanks and phase.items and isinstance(phase.items[-1], UserBlock):
        phase.items[-1].lines.extend(blanks)


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
    prose = {i for i, _ in prose_lines(lines)}
    wanted = {t.upper() for t in task_ids}
    seen: set[str] = set()
    changed = []
    for index, line in enumerate(lines):
        task = read_task_line(line.rstrip("\r\n")) if index in prose else None
        if task is None or task.id not in wanted:
            continue
        seen.add(task.id)
        if task.done != done:
            lines[index] = line[:3] + ("x" if done else " ") + line[4:]
            changed.append(task.id)
    missing = sorted(wanted - seen)
    if missing:
        raise NotFoundError(f"{doc.path}: no task {', '.join(missing)}; see `plancycle tasks list`")
    doc.replace_body("".join(lines))
    return changed
