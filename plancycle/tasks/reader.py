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
from plancycle.tasks.phrases import bold_phase, label_of
from plancycle.tasks.tables import read_table

_BARE_CRITERIA = ("success criteria", "exit gate", "exit criteria", "acceptance criteria")


def read_tokens(toks: list[Any], section_level: int) -> Breakdown:
    found = Collector()
    _walk(toks, found)
    return found.breakdown()


def _walk(toks: list[Any], found: Collector) -> None:
    phase_level: int | None = None
    index = 0
    while index < len(toks):
        tok = toks[index]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            # The shallowest sub-headings are the phases; deeper ones (a "Step" inside
            # a "Phase") only structure the phase they sit in.
            if phase_level is None or level <= phase_level or found.current is None:
                phase_level = level if phase_level is None else min(level, phase_level)
                found.phase(plain_text(toks[index + 1]))
            index = _block_end(toks, index)
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


def _block_end(toks: list[Any], index: int) -> int:
    """Index just past the block that opens at ``index``."""
    depth = 0
    for position in range(index, len(toks)):
        depth += toks[position].nesting
        if depth == 0:
            return position + 1
    return len(toks)


def _paragraph(found: Collector, inline: Any) -> None:
    labelled = label_of(inline)
    if labelled is not None:
        label, rest = labelled
        if rest:
            bare = normalise_title(label) in _BARE_CRITERIA
            found.criterion(rest if bare else f"{label}: {rest}")
            found.criteria_next = False
        else:
            found.criteria_next = True
        return
    title = bold_phase(inline)
    if title is not None:
        found.phase(title)
        return
    found.criteria_next = False  # narrative prose: neither a phase nor work
