"""The wording of a plan's breakdown: labels that are not work, phase labels and timings,
done and open marks, task IDs, unfilled template placeholders, and reading these off the
inline tokens of a paragraph or list item.
"""

from __future__ import annotations

import re
from typing import Any

from plancycle.documents.markdown import normalise_title, plain_text

NOT_WORK = (
    "success criteria",
    "exit criteria",
    "exit gate",
    "acceptance criteria",
    "definition of done",
    "goal",
    "goals",
    "objective",
    "objectives",
    "deliverable",
    "deliverables",
    "outcome",
    "outcomes",
    "estimated time",
    "estimate",
    "estimated effort",
    "effort",
    "duration",
    "timeline",
    "timeframe",
    "complexity",
    "risk",
    "risks",
    "dependencies",
    "depends on",
    "prerequisites",
    "owner",
    "notes",
    "note",
    "milestone",
    "checkpoint",
    "validation",
)
_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*([A-Za-z][A-Za-z &/-]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:)\s*(.*)$", re.S
)
PHASE_LABEL = re.compile(
    r"^(?P<label>(?:phase|step|stage|milestone|sprint|iteration|part|week|day)\s*[-#]?\s*\d+[a-z]?)\s*(?:[:.)\-—–]\s*|$)",
    re.I,
)
_TIMING = re.compile(
    r"\s*[(\[]\s*(?P<timing>(?:~\s*)?(?:(?:week|weeks|wk|day|days|sprint|sprints|month|months|hour|hours|"
    r"quarter|q)\s*\d[^)\]]*|\d+(?:\.\d+)?\s*(?:[-–]\s*\d+(?:\.\d+)?\s*)?(?:days?|weeks?|wks?|hours?|hrs?|"
    r"months?|sprints?|[hdw])\b[^)\]]*))\s*[)\]]\s*$",
    re.I,
)
DONE = re.compile(r"^\s*(?:\[[xX]\]|✅|✔️?|☑️?)\s*")
OPEN = re.compile(r"^\s*(?:\[ \]|⬜|☐)\s*")
TASK_ID = re.compile(r"^(T\d{3,})\b[:.]?\s+")
INNER_PLACEHOLDER = re.compile(r"\{\{[A-Z0-9_ ]+\}\}|\{[A-Z][A-Z0-9_-]+\}|_\[[^\]]+\]_")
SPLIT_LIST = re.compile(r"\s*(?:,|;|\s\+\s|<br\s*/?>)\s*(?:and\s+)?", re.I)


def split_title(text: str) -> tuple[str | None, str | None, str | None]:
    """(label, title, timing) of a phase title such as 'Phase 1: Foundation (Week 1-2)'."""
    timing = None
    match = _TIMING.search(text)
    if match:
        timing = match.group("timing").strip()
        text = text[: match.start()]
    text = text.strip().rstrip(":").strip()
    label = None
    match = PHASE_LABEL.match(text)
    if match:
        label = " ".join(match.group("label").split()).capitalize()
        rest = text[match.end() :].strip(" -—–:")
        text = rest or label
    return label, text or None, timing


def label_of(inline: Any) -> tuple[str, str] | None:
    """('success criteria', rest) for a paragraph or item that starts with a non-work label."""
    match = _LABEL.match(inline.content.strip())
    if not match:
        return None
    label = " ".join(match.group(1).split())
    if normalise_title(label) not in NOT_WORK:
        return None
    rest_text = plain_text(inline)
    rest = rest_text.split(":", 1)[1] if ":" in rest_text else ""
    return label, rest.strip()


def children(inline: Any) -> list[Any]:
    """Inline children without the empty text tokens markdown-it puts around emphasis."""
    return [c for c in (inline.children or []) if not (c.type == "text" and not c.content)]


def bold_start(inline: Any) -> tuple[list[Any], list[Any]] | None:
    """(inside, after) when the text opens with bold: `**inside** after`."""
    found = children(inline)
    if len(found) < 3 or found[0].type != "strong_open":
        return None
    close = next((i for i, c in enumerate(found) if c.type == "strong_close"), None)
    if close is None:
        return None
    return found[1:close], found[close + 1 :]


def bold_phase(inline: Any) -> str | None:
    """The title of a paragraph that is only bold text (plus timing or a colon)."""
    split = bold_start(inline)
    if split is None:
        return None
    inside = "".join(c.content for c in split[0] if c.type in ("text", "code_inline"))
    after = "".join(c.content for c in split[1] if c.type in ("text", "code_inline")).strip()
    if after and not (after == ":" or _TIMING.match(after) or _TIMING.search(" " + after)):
        return None
    return f"{inside} {after}".strip()
