"""The reader behind `section.read_plan`: markdown-it tokens of an implementation section
walked into phases, tasks and criteria.

Phases come from sub-headings, bold paragraphs, list items with nested lists,
`**Phase N:** a, b, c` items, or milestone tables; everything else that is work becomes a
task, and labelled blocks that are not work (success criteria, goals, estimates, risks …)
become the phase's criteria. Headings and paragraphs are read here, lists in `lists` and
tables in `tables`, all into one `Collector`.
"""

from __future__ import annotations

from typing import Any

from plancycle.documents.markdown import normalise_title, plain_text
from plancycle.tasks.breakdown import Breakdown
from plancycle.tasks.collector import Collector
from plancycle.tasks.lists import read_list
from plancycle.tasks.phrases import INTRODUCERS, NOT_WORK, bold_only, bold_phase, line_label, lines_of, split_title
from plancycle.tasks.tables import read_table

_BARE_CRITERIA = ("success criteria", "exit gate", "exit criteria", "acceptance criteria")


def read_tokens(toks: list[Any], section_level: int) -> Breakdown:
    found = Collector()
    _walk(toks, found)
    return found.breakdown()


def _headings(toks: list[Any]) -> list[tuple[int, str]]:
    return [
        (int(tok.tag[1]), plain_text(toks[index + 1]))
        for index, tok in enumerate(toks)
        if tok.type == "heading_open" and index + 1 < len(toks)
    ]


def _labelled(title: str) -> bool:
    label, _title, _timing = split_title(title)
    return label is not None


def _walk(toks: list[Any], found: Collector) -> None:
    # When the phases are headings that say so (`### Phase 1 …`, `### Step 2 …`), a heading
    # beside them that does not (`### Rollout`, `### Acceptance Criteria`) is where the
    # section goes on past its phases: not a phase, and its text is not work.
    headings = _headings(toks)
    top = min((level for level, _ in headings), default=0)
    labelled = [title for level, title in headings if level == top and _labelled(title)]
    skipped: list[str] = []
    skipping = False
    phase_level: int | None = None
    index = 0
    while index < len(toks):
        tok = toks[index]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            title = plain_text(toks[index + 1])
            if labelled and level <= top:
                skipping = not _labelled(title)
                if skipping:
                    skipped.append(f"{'#' * level} {title}")
            if skipping:
                index = _block_end(toks, index)
                continue
            # The shallowest sub-headings are the phases; deeper ones (a "Step" inside
            # a "Phase") only structure the phase they sit in.
            if phase_level is None or level <= phase_level or found.current is None:
                phase_level = level if phase_level is None else min(level, phase_level)
                found.phase(title)
            index = _block_end(toks, index)
        elif skipping:
            index = _block_end(toks, index) if tok.nesting == 1 else index + 1
        elif tok.type == "paragraph_open":
            _paragraph(found, toks[index + 1])
            index = _block_end(toks, index)
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            end = _block_end(toks, index)
            read_list(found, toks, index, end)
            index = end
        elif tok.type == "table_open":
            end = _block_end(toks, index)
            read_table(found, toks[index:end])
            index = end
        else:
            index = _block_end(toks, index) if tok.nesting == 1 else index + 1
    if skipped:
        found.notes.append(
            f"not read as phases (the phases are the headings that name one): {', '.join(skipped[:6])}"
            + (f" and {len(skipped) - 6} more" if len(skipped) > 6 else "")
        )


def _block_end(toks: list[Any], index: int) -> int:
    """Index just past the block that opens at ``index``."""
    depth = 0
    for position in range(index, len(toks)):
        depth += toks[position].nesting
        if depth == 0:
            return position + 1
    return len(toks)


def _paragraph(found: Collector, inline: Any) -> None:
    lines = lines_of(inline)
    first = line_label(lines[0]) if lines else None
    if first is not None:
        # A label paragraph: each of its lines that starts with a label is a criterion of
        # its own (`**Owner:** Priya` / `**Duration:** 1 week`); a line of prose after them
        # is narrative. A label with nothing after it introduces the list that follows.
        label, rest = first
        if not rest and len(lines) == 1:
            found.criteria_next = True
            return
        for line in lines:
            labelled = line_label(line)
            if labelled is None:
                break
            label, rest = labelled
            bare = normalise_title(label) in _BARE_CRITERIA
            if normalise_title(label) == "timing" and rest and found.current is not None:
                found.current.timing = found.current.timing or rest  # `_Timing: week 1_`: the phase's
                continue
            if rest:
                found.criterion(rest if bare else f"{label}: {rest}")
        found.criteria_next = False
        return
    only = bold_only(inline)
    if only is not None:
        name = normalise_title(only.rstrip(":").strip())
        if name in NOT_WORK:  # `**Risks**` over a list of risks
            found.criteria_next = True
            return
        if name in INTRODUCERS or (only.endswith(":") and found.titled and not _labelled(only)):
            # `**Tasks:**`, `**Schedule:**`, `**Work:**` under a phase: the list that follows
            # is the work of the phase it is in, not a phase of its own.
            found.criteria_next = False
            return
    title = bold_phase(inline)
    if title is not None:
        found.phase(title)
        return
    found.criteria_next = False  # narrative prose: neither a phase nor work
