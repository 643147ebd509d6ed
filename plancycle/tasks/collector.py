"""What the reader gathers from a section: the phases in order, the phase that loose tasks
go to, and the counts behind the breakdown's warnings. The block readers (`reader`, `lists`,
`tables`) all add to one collector.
"""

from __future__ import annotations

from plancycle.documents.placeholders import is_placeholder
from plancycle.tasks.breakdown import Breakdown, Phase, Task
from plancycle.tasks.phrases import DONE, INNER_PLACEHOLDER, OPEN, SPLIT_LIST, TASK_ID, split_title


class Collector:
    def __init__(self) -> None:
        self.phases: list[Phase] = []
        self.current: Phase | None = None
        self.criteria_next = False  # a criteria label paragraph: its list is criteria
        self.placeholders = 0
        self.partial = 0  # tasks that keep a placeholder inside real text
        self.notes: list[str] = []  # how the reader decided, for the breakdown's warnings
        self.titled = False  # the current phase has a title of its own (a heading, a bold paragraph)

    def phase(self, raw_title: str) -> Phase:
        label, title, timing = split_title(raw_title)
        if title and is_placeholder(title):
            self.placeholders += 1
        phase = Phase(title=title, label=label, timing=timing)
        self.phases.append(phase)
        self.current = phase
        self.criteria_next = False
        self.titled = True
        return phase

    def target(self) -> Phase:
        if self.current is None:
            self.current = Phase(title=None)
            self.phases.append(self.current)
            self.titled = False
        return self.current

    def task(self, text: str, phase: Phase | None = None, details: list[str] | None = None) -> None:
        done = False
        if DONE.match(text):
            done, text = True, DONE.sub("", text, count=1)
        else:
            text = OPEN.sub("", text, count=1)
        text = " ".join(text.split()).strip()
        task_id = None
        match = TASK_ID.match(text)
        if match:
            task_id, text = match.group(1), text[match.end() :]
        text = text.rstrip(".").strip() if text.endswith(".") and text.count(".") == 1 else text
        if not text:
            return
        if len(text) > 1 and text[0].islower() and (text[1].islower() or text[1] == " ") and phase is not None:
            text = text[0].upper() + text[1:]  # a part of a comma list: "database models", "a quickstart"
        if is_placeholder(text):
            self.placeholders += 1
            return
        if INNER_PLACEHOLDER.search(text):
            self.partial += 1
        kept = [" ".join(d.split()) for d in details or [] if d.strip()]
        (phase or self.target()).tasks.append(Task(text, done, task_id, kept))

    def criterion(self, text: str) -> None:
        text = " ".join(text.split())
        if text and not is_placeholder(text):
            self.target().criteria.append(text)
        elif text:
            self.placeholders += 1

    def split_work(self, phase: Phase, work: str) -> None:
        """`setup, models; tests` as tasks of ``phase``."""
        if is_placeholder(work):
            self.placeholders += 1
        else:
            for part in SPLIT_LIST.split(work):
                self.task(part, phase)

    def breakdown(self) -> Breakdown:
        phases = [p for p in self.phases if p.tasks or p.criteria or (p.title and not is_placeholder(p.title))]
        if any(p.tasks for p in phases):
            phases = _settled(phases)
        warnings = []
        if self.placeholders:
            warnings.append(
                f"skipped {self.placeholders} unfilled template placeholder(s); the plan is not filled in yet"
            )
        if self.partial:
            warnings.append(f"{self.partial} task(s) still contain template placeholders such as {{{{TOKEN}}}}")
        warnings += self.notes
        if not any(p.tasks for p in phases):
            warnings.append("the implementation section lists no tasks")
        return Breakdown(None, phases, warnings, placeholders=self.placeholders)


def _settled(phases: list[Phase]) -> list[Phase]:
    """The phases that are work: one with neither tasks nor criteria (a heading over a table
    of risks) goes; an untitled one that holds only criteria (`**Owner:**` after the last
    phase) gives them to the phase beside it, the next one or else the one before."""
    kept = [p for p in phases if p.tasks or p.criteria]
    settled: list[Phase] = []
    waiting: list[str] = []
    for phase in kept:
        if not phase.tasks and phase.title is None:
            if settled:
                settled[-1].criteria.extend(phase.criteria)
            else:
                waiting.extend(phase.criteria)
            continue
        if waiting:
            phase.criteria[:0] = waiting
            waiting = []
        settled.append(phase)
    return settled
