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
    "timing",
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
    # metadata a phase carries: one-liners between its heading and its work
    "status",
    "state",
    "deadline",
    "due",
    "due date",
    "target",
    "target date",
    "eta",
    "priority",
    "assignee",
    "assigned to",
    "lead",
    "team",
    "size",
    "start",
    "start date",
    "end date",
    "dates",
    "cost",
    "budget",
    "points",
    "story points",
    "blocked by",
    "blocks",
    "enables",
    "reviewer",
    "reviewers",
    "approver",
    "output",
    "outputs",
    "purpose",
    "rationale",
    "independent test",
    "why this priority",
)
# A label whose list is the work itself (`**Tasks:**`, `**Schedule:**`): not a phase of its own.
INTRODUCERS = (
    "tasks",
    "task list",
    "steps",
    "work",
    "work items",
    "plan",
    "the plan",
    "schedule",
    "actions",
    "action items",
    "to do",
    "todo",
    "checklist",
    "activities",
    "changes",
    "next steps",
    "implementation",
)
# The verbs work items start with: a parent whose children all start so is a group of work.
IMPERATIVE = frozenset(
    """add adjust allow analyse analyze announce archive audit automate backfill benchmark block build bump
    calculate change check choose clean collect compare configure connect convert create cut debug decide
    define delete deliver deploy deprecate design detect disable document draft drop email enable enforce
    ensure estimate evaluate expand expose extend extract fetch file fix flag gather generate handle hide
    implement import improve index install integrate interview introduce investigate keep label launch let
    list load log make map mark measure merge migrate mock model monitor move notify open optimise optimize
    parse patch pick plan port prepare price profile prototype provision prune publish purge push record
    refactor register release remove rename render replace report research reset resize restore retire
    retry return review rewrite roll rotate run save scaffold schedule scope search secure send serve set
    setup ship show sign simplify sketch split spike stage start stop store stream strip submit support
    survey switch sync test time track train translate trigger tune turn update upgrade upload validate
    verify wire write
    pause rebalance repoint reconcile redirect reindex relaunch remap reprocess resend reserve retrain reroute
    backport batch cancel compute configure decommission disconnect dismantle downsample enroll evict
    exclude expire fan forward gate geocode ingest inline invalidate issue lower mark measure migrate notify
    observe offload onboard pin poll preload prefetch provision quarantine raise rate redact relabel
    rescan revert score shadow shift snapshot soak stub tag tighten unblock unpin warm animate approve ask assign attach back bootstrap buy cache call cap capture cleanup close compress
    consolidate contact copy count credit decode decrypt dedupe deduplicate delegate demo deprecate draw
    edit email embed encode encrypt escalate explain export fill filter finish fork freeze grant harden hash
    hire host invite join lint localise localize lock meet mirror negotiate normalise normalize note
    onboard order organise organize paginate partition pilot place polish populate present print promote
    protect read rebuild receive reduce refresh reject repair replicate request require rerun resolve revoke
    rewrite route sample scale seed select shard share shorten sort spin standardise standardize study
    subscribe swap teach theme throttle tidy toggle translate trim unify unlock untangle use verify
    version watch""".split()  # noqa: SIM905 - a list of words reads best as words
)
_LABEL = re.compile(
    r"^\s*(?:\*\*|__|\*|_)?\s*([A-Za-z][A-Za-z &/-]{1,40}?)\s*(?::\s*(?:\*\*|__|\*|_)|(?:\*\*|__|\*|_)\s*:|:)\s*(.*)$",
    re.S,
)
PHASE_LABEL = re.compile(
    r"^(?P<label>(?:phase|step|stage|milestone|sprint|iteration|increment|wave|part|week|day)\s*[-#]?\s*\d+[a-z]?)"
    r"\s*(?:[:.)\-—–]\s*|$)",
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
# Parts of a comma list; a comma that goes on with the same sentence (`, then …`) does not split.
SPLIT_LIST = re.compile(
    r"\s*(?:,(?!\s*(?:then|but|so|which|while|or|before|after|until|once|if|unless)\b)|;|\s\+\s|<br\s*/?>)\s*"
    r"(?:and\s+)?",
    re.I,
)


_DECORATION = re.compile(r"^[^\w\[(]+")  # emoji and symbols in front: "✅ ", "🚧 "
_OUTLINE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+(?=[^\W\d])")  # outline numbering: "5.1 ", "1. "


def split_title(text: str) -> tuple[str | None, str | None, str | None]:
    """(label, title, timing) of a phase title such as 'Phase 1: Foundation (Week 1-2)';
    emoji in front and outline numbering (`5.1 Preparation`) are not part of the title."""
    text = _OUTLINE.sub("", _DECORATION.sub("", text.strip()))
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


def is_imperative(text: str) -> bool:
    """Whether ``text`` reads as a work item: it starts with a verb of `IMPERATIVE`."""
    words = DONE.sub("", OPEN.sub("", text)).split()
    first = words[0].strip("*_`:,.").lower() if words else ""
    return first in IMPERATIVE


def bold_only(inline: Any) -> str | None:
    """The text of an item or paragraph that is only bold (`**Forms**`), else None."""
    split = bold_start(inline)
    if split is None or any(c.content.strip() for c in split[1] if c.type in ("text", "code_inline")):
        return None
    return "".join(c.content for c in split[0] if c.type in ("text", "code_inline")).strip() or None


def lines_of(inline: Any) -> list[str]:
    """The plain text of each line of a paragraph (its soft and hard breaks)."""
    lines: list[list[str]] = [[]]
    for child in children(inline):
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        elif child.type in ("text", "code_inline", "html_inline"):
            lines[-1].append(child.content)
    return [" ".join("".join(parts).split()) for parts in lines if "".join(parts).strip()]


def line_label(text: str) -> tuple[str, str] | None:
    """(label, rest) when one line of plain text starts with a non-work label."""
    match = _LABEL.match(text)
    if not match or normalise_title(" ".join(match.group(1).split())) not in NOT_WORK:
        return None
    return " ".join(match.group(1).split()), match.group(2).strip()


def work_text(inline: Any) -> str:
    """The text of a task as the plan wrote it, markup taken off but inline code kept as
    code (`` `webhook_deliveries` ``): tasks.md shows it the same way."""
    if not getattr(inline, "children", None):
        return " ".join(inline.content.split())
    parts = []
    for child in inline.children:
        if child.type == "code_inline":
            fence = "``" if "`" in child.content else "`"
            pad = " " if child.content.startswith("`") or child.content.endswith("`") else ""
            parts.append(f"{fence}{pad}{child.content}{pad}{fence}")
        elif child.type in ("text", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())
