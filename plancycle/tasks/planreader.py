"""The reader behind `breakdown.read_plan`: markdown-it tokens of an implementation section
walked into phases, tasks and criteria.

Phases come from sub-headings, bold paragraphs, list items with nested lists,
`**Phase N:** a, b, c` items, or milestone tables; everything else that is work becomes a
task, and labelled blocks that are not work (success criteria, goals, estimates, risks …)
become the phase's criteria.
"""

from __future__ import annotations

import re
from typing import Any

from plancycle.tasks.breakdown import Breakdown, Phase, Task
from plancycle.documents.markdown import normalise_title, plain_text

NOT_WORK = (
    "success criteria", "exit criteria", "exit gate", "acceptance criteria", "definition of done",
    "goal", "goals", "objective", "objectives", "deliverable", "deliverables", "outcome", "outcomes",
    "estimated time", "estimate", "estimated effort", "effort", "duration", "timeline", "timeframe",
    "complexity", "risk", "risks", "dependencies", "depends on", "prerequisites", "owner", "notes",
    "note", "milestone", "checkpoint", "validation",
)
_LABEL = re.compile(r"^\s*(?:\*\*|__)?\s*([A-Za-z][A-Za-z &/-]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:)\s*(.*)$", re.S)
_PHASE_LABEL = re.compile(
    r"^(?P<label>(?:phase|step|stage|milestone|sprint|iteration|part|week|day)\s*[-#]?\s*\d+[a-z]?)\s*(?:[:.)\-—–]\s*|$)",
    re.I,
)
_TIMING = re.compile(
    r"\s*[(\[]\s*(?P<timing>(?:~\s*)?(?:(?:week|weeks|wk|day|days|sprint|sprints|month|months|hour|hours|"
    r"quarter|q)\s*\d[^)\]]*|\d+(?:\.\d+)?\s*(?:[-–]\s*\d+(?:\.\d+)?\s*)?(?:days?|weeks?|wks?|hours?|hrs?|"
    r"months?|sprints?|[hdw])\b[^)\]]*))\s*[)\]]\s*$",
    re.I,
)
_DONE = re.compile(r"^\s*(?:\[[xX]\]|✅|✔️?|☑️?)\s*")
_OPEN = re.compile(r"^\s*(?:\[ \]|⬜|☐)\s*")
_TASK_ID = re.compile(r"^(T\d{3,})\b[:.]?\s+")
_PLACEHOLDER = re.compile(
    r"^(?:_?\[[^\]]*\]_?|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]*>|TBD|TODO|\.\.\.|…)$", re.I
)
_INNER_PLACEHOLDER = re.compile(r"\{\{[A-Z0-9_ ]+\}\}|\{[A-Z][A-Z0-9_-]+\}|_\[[^\]]+\]_")
_SPLIT_LIST = re.compile(r"\s*(?:,|;|\s\+\s|<br\s*/?>)\s*(?:and\s+)?", re.I)
_PHASE_COLUMNS = ("milestone", "phase", "stage", "step", "sprint", "iteration")
_WORK_COLUMNS = ("deliverables", "deliverable", "tasks", "task", "work", "scope", "description",
                 "action", "actions", "activities", "what", "item", "items", "step", "steps")
_CRITERIA_COLUMNS = ("success criteria", "exit criteria", "acceptance criteria", "criteria", "done when")


def split_title(text: str) -> tuple[str | None, str | None, str | None]:
    """(label, title, timing) of a phase title such as 'Phase 1: Foundation (Week 1-2)'."""
    timing = None
    match = _TIMING.search(text)
    if match:
        timing = match.group("timing").strip()
        text = text[: match.start()]
    text = text.strip().rstrip(":").strip()
    label = None
    match = _PHASE_LABEL.match(text)
    if match:
        label = " ".join(match.group("label").split()).capitalize()
        rest = text[match.end() :].strip(" -—–:")
        text = rest or label
    return label, text or None, timing


def is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.match(text.strip()))


class _Reader:
    def __init__(self, toks: list[Any], section_level: int) -> None:
        self.toks = toks
        self.section_level = section_level
        self.phases: list[Phase] = []
        self.current: Phase | None = None
        self.criteria_next = False  # a criteria label paragraph: its list is criteria
        self.warnings: list[str] = []
        self.placeholders = 0
        self.partial = 0  # tasks that keep a placeholder inside real text
        self.phase_level: int | None = None

    # phases and tasks

    def phase(self, raw_title: str) -> Phase:
        label, title, timing = split_title(raw_title)
        if title and is_placeholder(title):
            self.placeholders += 1
        phase = Phase(title=title, label=label, timing=timing)
        self.phases.append(phase)
        self.current = phase
        self.criteria_next = False
        return phase

    def target(self) -> Phase:
        if self.current is None:
            self.current = Phase(title=None)
            self.phases.append(self.current)
        return self.current

    def task(self, text: str, phase: Phase | None = None) -> None:
        done = False
        if _DONE.match(text):
            done, text = True, _DONE.sub("", text, count=1)
        else:
            text = _OPEN.sub("", text, count=1)
        text = " ".join(text.split()).strip()
        task_id = None
        match = _TASK_ID.match(text)
        if match:
            task_id, text = match.group(1), text[match.end() :]
        text = text.rstrip(".").strip() if text.endswith(".") and text.count(".") == 1 else text
        if not text:
            return
        if len(text) > 1 and text[0].islower() and text[1].islower() and phase is not None:
            text = text[0].upper() + text[1:]  # a part of a comma list: "database models"
        if is_placeholder(text):
            self.placeholders += 1
            return
        if _INNER_PLACEHOLDER.search(text):
            self.partial += 1
        (phase or self.target()).tasks.append(Task(text, done, task_id))

    def criterion(self, text: str) -> None:
        text = " ".join(text.split())
        if text and not is_placeholder(text):
            self.target().criteria.append(text)
        elif text:
            self.placeholders += 1

    # walking the tokens

    def run(self) -> None:
        index = 0
        toks = self.toks
        while index < len(toks):
            tok = toks[index]
            if tok.type == "heading_open":
                level = int(tok.tag[1])
                # The shallowest sub-headings are the phases; deeper ones (a "Step" inside
                # a "Phase") only structure the phase they sit in.
                if self.phase_level is None or level <= self.phase_level or self.current is None:
                    self.phase_level = level if self.phase_level is None else min(level, self.phase_level)
                    self.phase(self.inline_text(toks[index + 1]))
                index = self.skip(index)
            elif tok.type == "paragraph_open":
                self.paragraph(toks[index + 1])
                index = self.skip(index)
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                end = self.skip(index)
                self.list_block(index, end)
                index = end
            elif tok.type == "table_open":
                end = self.skip(index)
                self.table(toks[index:end])
                index = end
            else:
                index = self.skip(index) if tok.nesting == 1 else index + 1

    def skip(self, index: int) -> int:
        """Index just past the block that opens at ``index``."""
        depth = 0
        for position in range(index, len(self.toks)):
            depth += self.toks[position].nesting
            if depth == 0:
                return position + 1
        return len(self.toks)

    @staticmethod
    def inline_text(inline: Any) -> str:
        return plain_text(inline)

    @staticmethod
    def raw(inline: Any) -> str:
        return inline.content.strip()

    def label_of(self, inline: Any) -> tuple[str, str] | None:
        """('success criteria', rest) for a paragraph or item that starts with a non-work label."""
        match = _LABEL.match(self.raw(inline))
        if not match:
            return None
        label = " ".join(match.group(1).split())
        if normalise_title(label) not in NOT_WORK:
            return None
        rest_text = self.inline_text(inline)
        rest = rest_text.split(":", 1)[1] if ":" in rest_text else ""
        return label, rest.strip()

    @staticmethod
    def children(inline: Any) -> list[Any]:
        """Inline children without the empty text tokens markdown-it puts around emphasis."""
        return [c for c in (inline.children or []) if not (c.type == "text" and not c.content)]

    def bold_start(self, inline: Any) -> tuple[list[Any], list[Any]] | None:
        """(inside, after) when the text opens with bold: `**inside** after`."""
        children = self.children(inline)
        if len(children) < 3 or children[0].type != "strong_open":
            return None
        close = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
        if close is None:
            return None
        return children[1:close], children[close + 1 :]

    def bold_phase(self, inline: Any) -> str | None:
        """The title of a paragraph that is only bold text (plus timing or a colon)."""
        split = self.bold_start(inline)
        if split is None:
            return None
        inside = "".join(c.content for c in split[0] if c.type in ("text", "code_inline"))
        after = "".join(c.content for c in split[1] if c.type in ("text", "code_inline")).strip()
        if after and not (after == ":" or _TIMING.match(after) or _TIMING.search(" " + after)):
            return None
        return f"{inside} {after}".strip()

    def paragraph(self, inline: Any) -> None:
        labelled = self.label_of(inline)
        if labelled is not None:
            label, rest = labelled
            if rest:
                bare = normalise_title(label) in ("success criteria", "exit gate", "exit criteria", "acceptance criteria")
                self.criterion(rest if bare else f"{label}: {rest}")
                self.criteria_next = False
            else:
                self.criteria_next = True
            return
        title = self.bold_phase(inline)
        if title is not None:
            self.phase(title)
            return
        self.criteria_next = False  # narrative prose: neither a phase nor work

    def list_block(self, start: int, end: int) -> None:
        items = self.items(start, end)
        if self.criteria_next:
            for inline, _nested in items:
                if inline is not None:
                    self.criterion(self.inline_text(inline))
            self.criteria_next = False
            return
        phase_items = self.current is None and any(nested for _, nested in items)
        for inline, nested in items:
            if inline is None:
                continue
            labelled = self.label_of(inline)
            if labelled is not None:
                label, rest = labelled
                self.criterion(f"{label}: {rest}" if rest else label)
                for sub in nested:
                    self.criterion(self.inline_text(sub))
                continue
            comma_phase = self.comma_phase(inline)
            if comma_phase is not None and not nested:
                title, rest = comma_phase
                phase = self.phase(title)
                if is_placeholder(rest):
                    self.placeholders += 1
                else:
                    for part in _SPLIT_LIST.split(rest):
                        self.task(part, phase)
                self.current = None
                continue
            if phase_items or (nested and self.current is None):
                phase = self.phase(self.inline_text(inline))
                for sub in nested:
                    sub_label = self.label_of(sub)
                    if sub_label is not None:
                        self.criterion(f"{sub_label[0]}: {sub_label[1]}" if sub_label[1] else sub_label[0])
                    else:
                        self.task(self.inline_text(sub), phase)
                self.current = None
                continue
            self.task(self.inline_text(inline))
            for sub in nested:
                self.task(self.inline_text(sub))

    def comma_phase(self, inline: Any) -> tuple[str, str] | None:
        """`**Phase 1:** setup, models` → ('Phase 1', 'setup, models')."""
        split = self.bold_start(inline)
        if split is None:
            return None
        head = "".join(c.content for c in split[0]).strip()
        rest = " ".join(
            c.content if c.type != "softbreak" else " " for c in split[1] if c.type in ("text", "code_inline", "softbreak")
        ).strip()
        head_clean = head.rstrip(":").strip()
        if not rest or not (head.endswith(":") or rest.startswith(":") or _PHASE_LABEL.match(head_clean)):
            return None
        return head_clean, rest.lstrip(":").strip()

    def items(self, start: int, end: int) -> list[tuple[Any, list[Any]]]:
        """Each top-level item's first inline token and the inline tokens of its nested items."""
        toks = self.toks
        found: list[tuple[Any, list[Any]]] = []
        depth = 0
        for index in range(start, end):
            tok = toks[index]
            if tok.type == "list_item_open":
                depth += 1
                if depth == 1:
                    found.append((None, []))
            elif tok.type == "list_item_close":
                depth -= 1
            elif tok.type == "inline" and found:
                inline, nested = found[-1]
                if depth == 1 and inline is None:
                    found[-1] = (tok, nested)
                elif depth >= 2:
                    nested.append(tok)
        return found

    def table(self, toks: list[Any]) -> None:
        rows: list[list[str]] = []
        header: list[str] = []
        row: list[str] = []
        in_head = False
        for tok in toks:
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "inline":
                row.append(plain_text(tok))
            elif tok.type == "tr_close":
                if in_head:
                    header = [normalise_title(c) for c in row]
                else:
                    rows.append(row)
        if not rows:
            return
        phase_col = _column(header, _PHASE_COLUMNS)
        work_col = _column(header, _WORK_COLUMNS)
        criteria_col = _column(header, _CRITERIA_COLUMNS)
        status_col = _column(header, ("status", "done", "state"))
        if phase_col is not None and work_col is not None and phase_col != work_col:
            for cells in rows:
                phase = self.phase(_cell(cells, phase_col))
                work = _cell(cells, work_col)
                if is_placeholder(work):
                    self.placeholders += 1
                else:
                    for part in _SPLIT_LIST.split(work):
                        self.task(part, phase)
                if criteria_col is not None:
                    self.criterion(_cell(cells, criteria_col))
            self.current = None
            return
        column = work_col if work_col is not None else _most_descriptive(rows)
        for cells in rows:
            text = _cell(cells, column)
            if status_col is not None and _DONE.match(_cell(cells, status_col) + " ") or (
                status_col is not None and _cell(cells, status_col).lower() in ("done", "complete", "completed")
            ):
                text = "[x] " + text
            self.task(text)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _most_descriptive(rows: list[list[str]]) -> int:
    width = max(len(r) for r in rows)
    totals = [sum(len(_cell(r, i)) for r in rows) for i in range(width)]
    return totals.index(max(totals))


def read_tokens(toks: list[Any], section_level: int) -> Breakdown:
    reader = _Reader(toks, section_level)
    reader.run()
    phases = [p for p in reader.phases if p.tasks or p.criteria or (p.title and not is_placeholder(p.title))]
    warnings = []
    if reader.placeholders:
        warnings.append(
            f"skipped {reader.placeholders} unfilled template placeholder(s); the plan is not filled in yet"
        )
    if reader.partial:
        warnings.append(f"{reader.partial} task(s) still contain template placeholders such as {{{{TOKEN}}}}")
    if not any(p.tasks for p in phases):
        warnings.append("the implementation section lists no tasks")
    return Breakdown(None, phases, warnings)
