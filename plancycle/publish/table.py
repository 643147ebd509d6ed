"""The features as one markdown table: what `specs/README.md` and `status --format markdown`
show. Cells are escaped (a title with `|` stays one cell); progress is a bar of blocks."""

from __future__ import annotations

import re
from typing import Any

BAR = 10  # blocks in a progress bar
STAGES = ("spec", "plan", "tasks")


def bar(done: int, total: int, width: int = BAR) -> str:
    """`███████░░░ 7/10`: full blocks for the share done, rounded down (full only when all are)."""
    if total <= 0:
        return "-"
    full = width if done >= total else min(width - 1, done * width // total)
    return "█" * full + "░" * (width - full) + f" {done}/{total}"


def document_cell(doc: dict[str, Any] | None) -> str:
    if doc is None:
        return "-"
    if doc["error"]:
        return "unreadable"
    if doc["version"] is None and doc["status"] is None:
        return "unmanaged"
    return f"{doc['status'] or '?'} {doc['version'] or ''}".strip()


def decisions_cell(decisions: dict[str, Any]) -> str:
    return ", ".join(f"{count} {state}" for state, count in decisions["counts"].items()) or "-"


def lifecycle(feature: dict[str, Any]) -> str:
    """Where a feature stands, in one word: the stage reached, or done when its tasks are
    (or its plan says so)."""
    progress = feature["progress"]
    plan = feature["documents"]["plan"]
    if (progress and progress["total"] and progress["done"] == progress["total"]) or (
        plan and plan["status"] == "done"
    ):
        return "done"
    return feature["stage"] or "empty"


HEADER = (
    "| Feature | Title | Stage | Spec | Plan | Tasks | Progress | Decisions | Updated |",
    "|---|---|---|---|---|---|---|---|---|",
)


_MARKUP = re.compile(r"([\\`*_\[\]<>|#~&])")


def text_cell(text: object) -> str:
    """People's text as one table cell that shows as written: markdown and HTML taken as
    characters (`Vec<T>`, `[x](y)`, `a | b`, `R&amp;D`), whitespace made one line."""
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def name_cell(name: str) -> str:
    """A folder name as a cell: escaped like text, its spaces kept (the name is read back)."""
    return _MARKUP.sub(r"\\\1", name.replace("\r", " ").replace("\n", " "))


def plain_cell(cell: str) -> str:
    """A cell written by `text_cell`, read back."""
    return re.sub(r"\\(.)", r"\1", cell)


def feature_row(feature: dict[str, Any], link: str | None = None) -> str:
    """One feature's row; ``link``: where feature folders are, relative to the page (None:
    the name without a link)."""
    name = feature["name"]
    target = f"{link}{name}/"
    if any(c in target for c in " ()<>"):
        target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    target = target.replace("|", "%7C")
    shown = f"[{name_cell(name)}]({target})" if link is not None else name_cell(name)
    progress = feature["progress"]
    cells = [
        shown,
        text_cell(feature["title"]),
        lifecycle(feature),
        *(text_cell(document_cell(feature["documents"][kind])) for kind in STAGES),
        bar(progress["done"], progress["total"]) if progress else "-",
        text_cell(decisions_cell(feature["decisions"])),
        text_cell(feature["updated"] or "-"),
    ]
    return "| " + " | ".join(cells) + " |"


def features_table(features: list[dict[str, Any]], link: str | None = None) -> list[str]:
    """The table's lines, header first."""
    return [*HEADER, *(feature_row(feature, link) for feature in features)]
