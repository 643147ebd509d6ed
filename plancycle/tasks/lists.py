"""Reading list blocks. An item is a task; a criterion when it carries a non-work label; a
phase with its tasks when it reads `**Phase 1:** setup, models`. An item with a nested list
is a phase (its children the phase's tasks) when it is a bold title, a phase label, or a
name over children that are all work (`Staging tables` / `Create the schema`, `Load the
dump`); otherwise it is one task and its children are that task's details (`Ship both
mobile apps` / `iOS`, `Android`). An item that opens with a bold word (`**Design**: sketch
the flow`) is a task, its label kept: `Design: sketch the flow`.
"""

from __future__ import annotations

import re
from typing import Any

from plancycle.documents.markdown import plain_text
from plancycle.tasks.collector import Collector
from plancycle.tasks.phrases import PHASE_LABEL, bold_only, bold_start, is_imperative, label_of, split_title, work_text


def read_list(found: Collector, toks: list[Any], start: int, end: int) -> None:
    items = _items(toks, start, end)
    if found.criteria_next:
        found.criteria_next = False
        # `**Timeline:**` over `**Week 1**: tokens, buttons` items: those are the phases.
        if not all(inline is not None and comma_phase(inline) is not None for inline, _ in items):
            for inline, _nested in items:
                if inline is not None:
                    found.criterion(plain_text(inline))
            return
    for inline, nested in items:
        if inline is None:
            continue
        labelled = label_of(inline)
        if labelled is not None:
            label, rest = labelled
            found.criterion(f"{label}: {rest}" if rest else label)
            for sub in nested:
                found.criterion(plain_text(sub))
            continue
        comma = comma_phase(inline)
        if comma is not None and not nested:
            title, rest = comma
            found.split_work(found.phase(title), rest)
            found.current = None
            continue
        if nested and _is_phase(inline, nested):
            if found.titled and found.current is not None:
                # a group inside a phase that is already named: its children are that phase's work
                for sub in nested:
                    _child(found, sub, found.current)
                continue
            phase = found.phase(plain_text(inline))
            for sub in nested:
                _child(found, sub, phase)
            found.current = None
            continue
        found.task(work_text(inline), details=[work_text(sub) for sub in nested])


def _child(found: Collector, sub: Any, phase: Any) -> None:
    sub_label = label_of(sub)
    if sub_label is not None:
        found.criterion(f"{sub_label[0]}: {sub_label[1]}" if sub_label[1] else sub_label[0])
    else:
        found.task(work_text(sub), phase)


def _is_phase(inline: Any, nested: list[Any]) -> bool:
    """Whether an item with children is a phase rather than a task with details."""
    if bold_only(inline) is not None:
        return True
    text = plain_text(inline)
    label, _title, _timing = split_title(text)
    if label is not None:
        return True
    work = [sub for sub in nested if label_of(sub) is None]
    return bool(work) and not is_imperative(text) and all(is_imperative(plain_text(sub)) for sub in work)


_TIMING_FIRST = re.compile(r"^\s*([(\[][^)\]\r\n]{1,40}[)\]])\s*")


def comma_phase(inline: Any) -> tuple[str, str] | None:
    """`**Phase 1:** setup, models` → ('Phase 1', 'setup, models'), and
    `**Stage 1** (days 1-3): a, b` → ('Stage 1 (days 1-3)', 'a, b'): an item whose bold
    opening names a phase, step, stage, week … is that phase with its work."""
    split = bold_start(inline)
    if split is None:
        return None
    head = "".join(c.content for c in split[0]).strip()
    rest = "".join(
        f"`{c.content}`" if c.type == "code_inline" else (" " if c.type == "softbreak" else c.content)
        for c in split[1]
        if c.type in ("text", "code_inline", "softbreak")
    ).strip()
    head_clean = head.rstrip(":").strip()
    if not PHASE_LABEL.match(head_clean):
        return None
    timing = _TIMING_FIRST.match(rest)
    if timing is not None:
        head_clean, rest = f"{head_clean} {timing.group(1)}", rest[timing.end() :]
    if not rest.lstrip(":").strip():
        return None
    return head_clean, rest.lstrip(":").strip()


def _items(toks: list[Any], start: int, end: int) -> list[tuple[Any, list[Any]]]:
    """Each top-level item's first inline token and the inline tokens of its nested items."""
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
