"""Reading list blocks: an item is a task, a criterion when it carries a non-work label, a
phase when it has a nested list (its items the phase's tasks), and a phase with its tasks
when it reads `**Phase 1:** setup, models`.
"""

from __future__ import annotations

from typing import Any

from plancycle.documents.markdown import plain_text
from plancycle.tasks.collector import Collector
from plancycle.tasks.phrases import PHASE_LABEL, bold_start, label_of


def read_list(found: Collector, toks: list[Any], start: int, end: int) -> None:
    items = _items(toks, start, end)
    if found.criteria_next:
        for inline, _nested in items:
            if inline is not None:
                found.criterion(plain_text(inline))
        found.criteria_next = False
        return
    phase_items = found.current is None and any(nested for _, nested in items)
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
        if phase_items or (nested and found.current is None):
            phase = found.phase(plain_text(inline))
            for sub in nested:
                sub_label = label_of(sub)
                if sub_label is not None:
                    found.criterion(f"{sub_label[0]}: {sub_label[1]}" if sub_label[1] else sub_label[0])
                else:
                    found.task(plain_text(sub), phase)
            found.current = None
            continue
        found.task(plain_text(inline))
        for sub in nested:
            found.task(plain_text(sub))


def comma_phase(inline: Any) -> tuple[str, str] | None:
    """`**Phase 1:** setup, models` → ('Phase 1', 'setup, models')."""
    split = bold_start(inline)
    if split is None:
        return None
    head = "".join(c.content for c in split[0]).strip()
    rest = " ".join(
        c.content if c.type != "softbreak" else " " for c in split[1] if c.type in ("text", "code_inline", "softbreak")
    ).strip()
    head_clean = head.rstrip(":").strip()
    if not rest or not (head.endswith(":") or rest.startswith(":") or PHASE_LABEL.match(head_clean)):
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
