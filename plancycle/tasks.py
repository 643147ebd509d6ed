"""tasks.md: written from a plan's breakdown, re-derived without losing anyone's progress.

plancycle owns the phase headings, their timing and criteria lines, and the text of the
tasks it derived (listed in `plan_task_ids`). Everything else in the phases — checkboxes,
notes and sub-items under a task, tasks and paragraphs added by hand — is the user's and
is carried over, each piece after the derived task it followed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.breakdown import Breakdown, Phase, read_plan
from plancycle.changelog import is_changelog_title
from plancycle.document import Document, split_lines
from plancycle.errors import NotFoundError, UsageError

TASK_LINE = re.compile(
    r"^[-*+] \[(?P<mark>[ xX])\] (?:(?P<id>T\d{3,})\b\s*)?(?P<text>.*?)(?P<removed>\s+\(removed from plan\))?\s*$"
)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
REMOVED = " (removed from plan)"
SIMILAR = 0.6
_MAX_PAIRS = 250_000  # beyond this, rewordings are matched by exact text only


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


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def parse_tasks_file(doc: Document, changelog_heading: str = "Change Log") -> TasksFile:
    lines = split_lines(doc.body)
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
            current = OldPhase(_phase_key(heading.group(2)), heading.group(2))
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


def _phase_key(title: str) -> str:
    text = re.sub(r"^(?:phase|step|stage|milestone|sprint)\s*\d+[a-z]?\s*[:.\-—–]?\s*", "", title.strip(), flags=re.I)
    return _key(text or title)


def phase_heading(phase: Phase, number: int) -> str:
    if phase.label and phase.title and phase.title != phase.label:
        return f"{phase.label}: {phase.title}"
    if phase.label:
        return phase.label
    return f"Phase {number}: {phase.title}" if phase.title else f"Phase {number}"


# -- merging -----------------------------------------------------------------------


@dataclass
class Summary:
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    reworded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_done: list[str] = field(default_factory=list)  # done, dropped from the plan, kept

    def line(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.kept)} kept, {len(self.reworded)} reworded, "
            f"{len(self.removed)} removed" + (f", {len(self.kept_done)} done and kept though removed from the plan" if self.kept_done else "")
        )


def _match(old: list[Entry], new: list[tuple[int, int, object]]) -> dict[int, Entry]:
    """Plan task position -> old derived entry: by ID, by exact text, then by similarity."""
    matches: dict[int, Entry] = {}
    free = {id(e): e for e in old}
    by_id = {e.id: e for e in old if e.id}
    for position, _, task in new:
        wanted = getattr(task, "id", None)
        if wanted and wanted in by_id and id(by_id[wanted]) in free:
            matches[position] = free.pop(id(by_id[wanted]))
    by_text: dict[str, list[Entry]] = {}
    for entry in free.values():
        by_text.setdefault(_key(entry.text), []).append(entry)
    for position, _, task in new:
        if position in matches:
            continue
        bucket = by_text.get(_key(task.text))  # type: ignore[attr-defined]
        while bucket:
            entry = bucket.pop(0)
            if id(entry) in free:
                matches[position] = free.pop(id(entry))
                break
    _match_rewordings(old, new, matches, free)
    return matches


def _match_rewordings(
    old: list[Entry], new: list[tuple[int, int, object]], matches: dict[int, Entry], free: dict[int, Entry]
) -> None:
    """Pair what is left by similarity, each plan task only with the old tasks that stood
    between the same two already-matched neighbours (as a diff would), within a budget."""
    import bisect

    left = [p for p, _, _ in new if p not in matches]
    if not left or not free:
        return
    old_index = {id(e): i for i, e in enumerate(old)}
    free_indexes = sorted(old_index[key] for key in free)
    anchors = sorted(matches)
    texts = {p: _key(t.text) for p, _, t in new}  # type: ignore[attr-defined]
    budget = _MAX_PAIRS
    pairs = []
    for position in left:
        at = bisect.bisect_left(anchors, position)
        low = old_index[id(matches[anchors[at - 1]])] + 1 if at > 0 else 0
        high = old_index[id(matches[anchors[at]])] if at < len(anchors) else len(old)
        if low >= high:
            continue
        window = free_indexes[bisect.bisect_left(free_indexes, low) : bisect.bisect_left(free_indexes, high)]
        budget -= len(window)
        if budget < 0:
            break
        matcher = difflib.SequenceMatcher(None, "", texts[position])  # b is cached: the plan task
        for index in window:
            matcher.set_seq1(_key(old[index].text))
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    pairs.append((ratio, position, old[index]))
    pairs.sort(key=lambda item: -item[0])
    for _, position, entry in pairs:
        if position not in matches and id(entry) in free:
            matches[position] = free.pop(id(entry))


def _task_line(task_id: str, text: str, done: bool, nl: str) -> str:
    return f"- [{'x' if done else ' '}] {task_id} {text}{nl}"


def render_phases(
    breakdown: Breakdown, old: TasksFile | None, nl: str
) -> tuple[str, list[str], Summary]:
    """The phases region of tasks.md, the derived IDs, and what changed."""
    summary = Summary()
    # (position in the whole plan, phase number, task)
    flat = [(n, t) for n, phase in enumerate(breakdown.phases) for t in phase.tasks]
    plan = [(position, n, t) for position, (n, t) in enumerate(flat)]
    old_entries = old.entries() if old else []
    derived_old = [e for e in old_entries if e.id and old and e.id in old.derived and not e.removed]
    matches = _match(derived_old, plan)
    used = {task_number(e.id) for e in old_entries if e.id}
    used |= {task_number(t.id) for _, _, t in plan if t.id}
    next_number = max(used, default=0) + 1

    ids: dict[int, str] = {}
    for position, _, task in plan:
        entry = matches.get(position)
        if entry is not None:
            ids[position] = entry.id  # type: ignore[assignment]
            (summary.kept if _key(entry.text) == _key(task.text) else summary.reworded).append(entry.id)  # type: ignore[arg-type]
        elif task.id and task.id not in {e.id for e in old_entries}:
            ids[position] = task.id
            summary.added.append(task.id)
        else:
            ids[position] = f"T{next_number:03d}"
            summary.added.append(ids[position])
            next_number += 1
    matched = {id(e) for e in matches.values()}
    surviving = {e.id for e in matches.values()}

    # Anchor every piece the user owns to the derived task it followed.
    after: dict[str, list[list[str]]] = {}
    at_start: dict[int, list[list[str]]] = {}
    for phase_index, old_phase in enumerate(old.phases if old else []):
        anchor: str | None = None
        for item in old_phase.items:
            if isinstance(item, Entry) and item.id and item.id in (old.derived if old else set()) and not item.removed:
                if id(item) in matched:
                    anchor = item.id
                    continue
                if not item.done:
                    summary.removed.append(item.id)
                    continue
                summary.kept_done.append(item.id)
                first = item.lines[0].rstrip("\r\n")
                item = UserBlock([first + REMOVED + nl] + item.attached)
            lines = item.lines if isinstance(item, (Entry, UserBlock)) else []
            if anchor is None:
                target = _start_phase(old_phase.key, phase_index, breakdown)
                at_start.setdefault(target, []).append(lines)
            else:
                after.setdefault(anchor, []).append(lines)

    out: list[str] = []
    entries_by_id = {e.id: e for e in matches.values()}
    for number, phase in enumerate(breakdown.phases):
        out += [f"## {phase_heading(phase, number + 1)}{nl}", nl]
        if phase.timing:
            out += [f"_Timing: {phase.timing}_{nl}", nl]
        if phase.criteria:
            out += [f"**Criteria**:{nl}"] + [f"- {c}{nl}" for c in phase.criteria] + [nl]
        body: list[str] = []
        for block in at_start.get(number, []):
            body += block
        for position, n, task in plan:
            if n != number:
                continue
            task_id = ids[position]
            entry = entries_by_id.get(task_id) if task_id in surviving else None
            done = entry.done if entry is not None else task.done
            body.append(_task_line(task_id, task.text, done, nl))
            if entry is not None:
                body += entry.attached
            for block in after.get(task_id, []):
                body += block
        if body:
            out += body
            if not out[-1].endswith(("\n", "\r")):
                out[-1] += nl
            out.append(nl)
    derived_ids = [ids[p] for p, _, _ in plan]
    return "".join(out), derived_ids, summary


def _start_phase(key: str, index: int, breakdown: Breakdown) -> int:
    keys = [_phase_key(phase_heading(p, n + 1)) for n, p in enumerate(breakdown.phases)]
    if key in keys:
        return keys.index(key)
    return min(index, max(len(breakdown.phases) - 1, 0))


# -- the operations the CLI calls ------------------------------------------------------


@dataclass
class Derived:
    path: Path
    old: bytes | None
    new: bytes
    summary: Summary
    breakdown: Breakdown

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _plan_for(project, feature) -> Document:  # type: ignore[no-untyped-def]
    plan_path = feature.doc_path("plan")
    if not plan_path.is_file():
        raise NotFoundError(f"{project.display(plan_path)} is missing; create it with `plancycle plan new {feature.name}`")
    return Document.read(plan_path)


def derive(project, feature_ref: str) -> Derived:  # type: ignore[no-untyped-def]
    """Compute tasks.md for a feature from its plan; nothing is written here."""
    from plancycle.dates import today
    from plancycle.features import INITIAL_STATUS, INITIAL_VERSION

    feature = project.feature(feature_ref)
    plan = _plan_for(project, feature)
    plan.path = project.display(feature.doc_path("plan"))
    breakdown = read_plan(plan, project.config.tasks_sections)
    path = feature.doc_path("tasks")
    config = project.config
    old_doc = Document.read(path) if path.exists() else None
    if old_doc is not None:
        old_doc.path = project.display(path)
        old = parse_tasks_file(old_doc, config.changelog_heading)
        nl = old_doc.newline
        region, ids, summary = render_phases(breakdown, old, nl)
        body = "".join(old.head) + region + "".join(old.tail)
        doc = Document(old_doc.text, old_doc.path, bom=old_doc.bom)
        doc.replace_body(body)
        doc.update(_links(plan, breakdown, ids))
        return Derived(path, old_doc.to_bytes(), doc.to_bytes(), summary, breakdown)
    region, ids, summary = render_phases(breakdown, None, "\n")
    info = project.templates.find("tasks")
    date = today().isoformat()
    title = str(plan.get("title") or feature.slug.replace("-", " ").capitalize())
    context = {
        "feature": feature.name, "number": f"{feature.number:0{config.number_width}d}", "slug": feature.slug,
        "title": title, "author": project.git.user_name() or "unknown", "date": date, "created": date,
        "updated": date, "status": INITIAL_STATUS, "version": INITIAL_VERSION, "spec": "spec.md",
        "plan": "plan.md", "tasks": "tasks.md", "template": info.name, "phases": region.rstrip("\n") + "\n",
        "change": f"Derived from plan.md {plan.get('version') or ''}".strip(),
        **{k: v for k, v in _links(plan, breakdown, ids).items()},
    }
    text = project.templates.render(info, context)
    doc = Document(text, project.display(path))
    if "plan_task_ids" not in doc.fields:
        raise UsageError(f"template {info.path} must keep the plan_task_ids field so re-deriving can keep progress")
    return Derived(path, None, doc.to_bytes(), summary, breakdown)


def _links(plan: Document, breakdown: Breakdown, ids: list[str]) -> dict[str, str]:
    return {
        "plan_version": str(plan.get("version") or ""),
        "plan_section": breakdown.section or "",
        "plan_section_hash": breakdown.section_hash,
        "plan_task_ids": compress_ids(ids) if ids else "",
    }


def is_stale(result: Derived) -> bool:
    """Whether tasks.md no longer matches its plan (ignoring the plan's version field)."""
    if result.old is None:
        return True
    old = Document.from_bytes(result.old)
    new = Document.from_bytes(result.new)
    return old.body != new.body or old.get("plan_section_hash") != new.get("plan_section_hash")


def unified_diff(result: Derived, label: str) -> str:
    old = (result.old or b"").decode("utf-8").splitlines(keepends=True)
    new = result.new.decode("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{label}", f"b/{label}"))


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
    lines = split_lines(doc.body)
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
