"""Deriving tasks.md from a plan's breakdown, and re-deriving it without losing anyone's
progress: every piece the user owns is carried over after the derived task it followed.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.documents.document import Document
from plancycle.errors import NotFoundError, UsageError
from plancycle.project.features import render_context
from plancycle.project.project import Feature, Project
from plancycle.tasks.breakdown import Breakdown, Phase, Task
from plancycle.tasks.planfile import read_plan
from plancycle.tasks.tasksfile import (
    REMOVED,
    Entry,
    OldPhase,
    TasksFile,
    UserBlock,
    compress_ids,
    parse_tasks_file,
    phase_key,
    task_number,
    text_key,
)

SIMILAR = 0.6
ORPHANS = "Not in the plan"
_MAX_PAIRS = 250_000  # beyond this, rewordings are matched by exact text only


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
    kept_notes: list[str] = field(default_factory=list)  # open with people's notes, dropped, kept

    def line(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.kept)} kept, {len(self.reworded)} reworded, "
            f"{len(self.removed)} removed"
            + (f", {len(self.kept_done)} done and kept though removed from the plan" if self.kept_done else "")
            + (
                f", {len(self.kept_notes)} kept with your notes though removed from the plan "
                f"({', '.join(self.kept_notes)}: marked, delete them when done with them)"
                if self.kept_notes
                else ""
            )
        )


def _match(old: list[Entry], new: list[tuple[int, int, Task]]) -> dict[int, Entry]:
    """Plan task position -> old derived entry: by ID, by exact text, then by similarity."""
    matches: dict[int, Entry] = {}
    free = {id(e): e for e in old}
    by_id = {e.id: e for e in old if e.id}
    for position, _, task in new:
        wanted = task.id
        if wanted and wanted in by_id and id(by_id[wanted]) in free:
            matches[position] = free.pop(id(by_id[wanted]))
    by_text: dict[str, list[Entry]] = {}
    for entry in free.values():
        by_text.setdefault(text_key(entry.text), []).append(entry)
    for position, _, task in new:
        if position in matches:
            continue
        bucket = by_text.get(text_key(task.text))
        while bucket:
            entry = bucket.pop(0)
            if id(entry) in free:
                matches[position] = free.pop(id(entry))
                break
    _match_rewordings(old, new, matches, free)
    return matches


def _match_rewordings(
    old: list[Entry], new: list[tuple[int, int, Task]], matches: dict[int, Entry], free: dict[int, Entry]
) -> None:
    """Pair what is left by similarity, each plan task only with the old tasks that stood
    between the same two already-matched neighbours (as a diff would), within a budget."""
    left = [p for p, _, _ in new if p not in matches]
    if not left or not free:
        return
    old_index = {id(e): i for i, e in enumerate(old)}
    free_indexes = sorted(old_index[key] for key in free)
    anchors = sorted(matches)
    texts = {p: text_key(t.text) for p, _, t in new}
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
            matcher.set_seq1(text_key(old[index].text))
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


def render_phases(breakdown: Breakdown, old: TasksFile | None, nl: str) -> tuple[str, list[str], Summary]:
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
            assert entry.id is not None  # only derived entries, which all have IDs, are matched
            ids[position] = entry.id
            (summary.kept if text_key(entry.text) == text_key(task.text) else summary.reworded).append(entry.id)
        elif task.id and task.id not in {e.id for e in old_entries}:
            ids[position] = task.id
            summary.added.append(task.id)
        else:
            ids[position] = f"T{next_number:03d}"
            summary.added.append(ids[position])
            next_number += 1
    matched = {id(e) for e in matches.values()}
    surviving = {e.id for e in matches.values()}

    # Anchor every piece the user owns to the derived task it followed. A phase of the
    # user's own (no derived task in it, a title no plan phase has: a phase added by hand, or
    # every phase of a tasks.md written before plancycle) stays whole, heading and all, after
    # the plan phase that the derived phase before it became (at the top when none).
    after: dict[str, list[list[str]]] = {}
    at_start: dict[int, list[list[str]]] = {}
    own_phases: dict[int, list[OldPhase]] = {}
    plan_keys = {phase_key(phase_heading(p, n + 1)): n for n, p in enumerate(breakdown.phases)}
    phase_of = {ids[position]: n for position, n, _ in plan}
    went_to = -1  # the plan phase the last derived phase went to
    old_derived = old.derived if old else set()
    for phase_index, old_phase in enumerate(old.phases if old else []):
        theirs = [i for i in old_phase.items if isinstance(i, Entry) and i.id in old_derived]
        if not theirs and old_phase.heading and old_phase.key not in plan_keys:
            own_phases.setdefault(went_to, []).append(old_phase)
            continue
        kept_ids = [e.id for e in theirs if id(e) in matched and e.id is not None]
        if kept_ids:
            went_to = phase_of.get(kept_ids[0], went_to)
        elif old_phase.key in plan_keys:
            went_to = plan_keys[old_phase.key]  # the plan has a phase of that title: it went there
        anchor: str | None = None
        for item in old_phase.items:
            if isinstance(item, Entry) and item.id and item.id in (old.derived if old else set()) and not item.removed:
                if id(item) in matched:
                    anchor = item.id
                    continue
                # Dropped from the plan: gone only when nobody wrote anything on it.
                if not item.done and not any(line.strip() for line in item.attached):
                    summary.removed.append(item.id)
                    continue
                (summary.kept_done if item.done else summary.kept_notes).append(item.id)
                first = item.lines[0].rstrip("\r\n")
                item = UserBlock([first + REMOVED + nl, *item.attached])
            lines = item.lines if isinstance(item, (Entry, UserBlock)) else []
            if anchor is None:
                target = _start_phase(old_phase.key, phase_index, breakdown)
                at_start.setdefault(target, []).append(lines)
            else:
                after.setdefault(anchor, []).append(lines)

    out: list[str] = []
    entries_by_id = {e.id: e for e in matches.values()}
    _own(out, own_phases.get(-1, []), nl)
    for number, phase in enumerate(breakdown.phases):
        if number > 0:
            _own(out, own_phases.get(number - 1, []), nl)
        out += [f"## {phase_heading(phase, number + 1)}{nl}", nl]
        if phase.timing:
            out += [f"_Timing: {phase.timing}_{nl}", nl]
        if phase.criteria:
            out += [f"**Criteria**:{nl}"] + [f"- {c}{nl}" for c in phase.criteria] + [nl]
        body: list[str] = []
        for block in at_start.get(number, []):
            body += block
        if body and body[-1].strip() and not _LIST_ITEM.match(body[-1]):
            body.append(nl)  # people's text (a `---`, a paragraph) stays apart from the tasks
        for position, n, task in plan:
            if n != number:
                continue
            task_id = ids[position]
            entry = entries_by_id.get(task_id) if task_id in surviving else None
            done = entry.done if entry is not None else task.done
            body.append(_task_line(task_id, task.text, done, nl))
            # The plan's details of the task, as sub-items under it; written again each time,
            # so a line people kept under the task that says the same is not doubled.
            details = [f"  - {detail}{nl}" for detail in task.details]
            body += details
            if entry is not None:
                said = {line.rstrip("\r\n") for line in details}
                body += [line for line in entry.attached if line.rstrip("\r\n") not in said]
            for block in after.get(task_id, []):
                body += block
        if body:
            out += body
            if not out[-1].endswith(("\n", "\r")):
                out[-1] += nl
            out.append(nl)
    if breakdown.phases:
        _own(out, own_phases.get(len(breakdown.phases) - 1, []), nl)
    _own(out, [p for n, found in own_phases.items() if n >= len(breakdown.phases) for p in found], nl)
    # With no phase left in the plan, what people wrote still has to go somewhere.
    orphans = [
        line
        for number, blocks in at_start.items()
        if number >= len(breakdown.phases)
        for block in blocks
        for line in block
    ]
    if orphans:
        out += [f"## {ORPHANS}{nl}", nl, *orphans]
        if not out[-1].endswith(("\n", "\r")):
            out[-1] += nl
        out.append(nl)
    derived_ids = [ids[p] for p, _, _ in plan]
    return "".join(out), derived_ids, summary


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")


def _own(out: list[str], phases: list[OldPhase], nl: str) -> None:
    """The user's own phases as they were written."""
    for phase in phases:
        out += [*phase.heading, nl]
        for item in phase.items:
            out += item.lines
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += nl
        if out and out[-1].strip():
            out.append(nl)


def _start_phase(key: str, index: int, breakdown: Breakdown) -> int:
    keys = [phase_key(phase_heading(p, n + 1)) for n, p in enumerate(breakdown.phases)]
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

    def diff(self, label: str) -> str:
        return Document.from_bytes(self.new, label).diff(self.old)


def _plan_for(project: Project, feature: Feature) -> Document:
    plan_path = feature.doc_path("plan")
    if not plan_path.is_file():
        raise NotFoundError(
            f"{project.display(plan_path)} is missing; create it with `plancycle plan new {feature.name}`"
        )
    return Document.read(plan_path)


def derive(project: Project, feature_ref: str) -> Derived:
    """Compute tasks.md for a feature from its plan; nothing is written here."""
    feature = project.feature(feature_ref)
    plan = _plan_for(project, feature)
    plan.path = project.display(feature.doc_path("plan"))
    breakdown = read_plan(plan, project.config.tasks_sections)
    if breakdown.unfilled:
        raise UsageError(
            f"{plan.path}: the {breakdown.section} section has only template placeholders; "
            "fill in the tasks, then derive"
        )
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
    title = str(plan.get("title") or feature.slug.replace("-", " ").capitalize())
    context = {
        **render_context(project, feature, title, info),
        "phases": region.rstrip("\n") + "\n",
        "change": f"Derived from plan.md {plan.get('version') or ''}".strip(),
        **_links(plan, breakdown, ids),
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
