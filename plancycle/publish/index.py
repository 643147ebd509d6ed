"""`plancycle index`: `specs/README.md`, the page GitHub shows for the features folder: every
feature in one table, a mermaid diagram of the stages, and one of the decisions that
superseded others. Written between `<!-- plancycle:index -->` markers, so what people write
above and below stays; a file without them gets them at its end (or is made)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.documents.document import Document
from plancycle.documents.markers import find_region, region_lines
from plancycle.overview.status import project_status
from plancycle.project.project import Project
from plancycle.publish.table import features_table, lifecycle

REGION = "index"
GROUPS = (
    ("empty", "No documents"),
    ("spec", "Specifying"),
    ("plan", "Planning"),
    ("tasks", "Building"),
    ("done", "Done"),
)


def _label(text: str) -> str:
    """Text inside a mermaid `["…"]` label: quotes and angle brackets as entities."""
    text = " ".join(str(text).split())
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _node(prefix: str, key: str) -> str:
    return prefix + "".join(c if c.isalnum() else "_" for c in key)


def stages_diagram(features: list[dict[str, Any]]) -> list[str]:
    """Features grouped by where they stand, left to right."""
    if not features:
        return []
    lines = ["```mermaid", "flowchart LR"]
    shown = []
    for key, title in GROUPS:
        members = [f for f in features if lifecycle(f) == key]
        if not members and key == "empty":
            continue
        group = _node("stage_", key)
        shown.append(group)
        lines.append(f'  subgraph {group}["{_label(title)} ({len(members)})"]')
        lines.append("    direction TB")
        for feature in members:
            lines.append(f'    {_node("f_", feature["name"])}["{_label(feature["name"] + " " + feature["title"])}"]')
        lines.append("  end")
    if len(shown) > 1:
        lines.append("  " + " ~~~ ".join(shown))
    lines.append("```")
    return lines


def _scopes(status: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f["name"], f["decisions"]) for f in status["features"]] + [("project", status["decisions"])]


def decisions_diagram(status: dict[str, Any]) -> list[str]:
    """Each chain of decisions that superseded others: old → new, with each one's status."""
    edges: list[str] = []
    nodes: dict[str, str] = {}
    for scope, decisions in _scopes(status):
        by_number = {r["number"]: r for r in decisions["records"]}
        for record in decisions["records"]:
            for number in record["superseded_by"]:
                newer = by_number.get(number)
                if newer is None:
                    continue
                keys = []
                for one in (record, newer):
                    key = _node("d_", scope + "_" + one["id"])
                    where = "" if scope == "project" else scope + " · "
                    text = _label(f"{where}{one['id']} {one['title']} ({one['status'] or '?'})")
                    nodes[key] = f'{key}["{text}"]'
                    keys.append(key)
                edges.append(f"  {keys[0]} -->|superseded by| {keys[1]}")
    if not edges:
        return []
    return ["```mermaid", "flowchart LR", *(f"  {n}" for n in nodes.values()), *edges, "```"]


def index_content(status: dict[str, Any], link: str) -> list[str]:
    """The region's lines: the table, then the diagrams."""
    features = status["features"]
    lines = ["_Kept by `plancycle index`; write above or below the markers, not between them._", ""]
    if not features:
        lines.append("No features yet.")
        return lines
    lines += features_table(features, link)
    stages = stages_diagram(features)
    if stages:
        lines += ["", "### Stages", "", *stages]
    chains = decisions_diagram(status)
    if chains:
        lines += ["", "### Decisions superseded", "", *chains]
    return lines


@dataclass(frozen=True)
class Index:
    path: Path
    old: bytes | None
    new: bytes

    @property
    def changed(self) -> bool:
        return self.old != self.new


def build_index(project: Project, status: dict[str, Any] | None = None) -> Index:
    """The index file as it should be; nothing is written here."""
    path = project.root / project.config.index_file
    status = status if status is not None else project_status(project)
    link = Path(os.path.relpath(project.root, path.parent)).as_posix()
    link = "" if link == "." else link + "/"
    old = path.read_bytes() if path.is_file() else None
    shown = project.display(path)
    if old is None:
        doc = Document("# Features\n\n", shown)
    else:
        doc = Document.from_bytes(old, shown)
    nl = doc.newline
    lines = doc.body_lines
    region = find_region(lines, REGION, shown, doc.body_start_line)
    block = region_lines(REGION, index_content(status, link), nl)
    if region is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += nl
        if lines and lines[-1].strip():
            lines.append(nl)
        lines += block
    else:
        lines[region.start : region.end + 1] = block
    doc.replace_body("".join(lines))
    return Index(path, old, doc.to_bytes())


def refresh_for_commit(project: Project) -> str | None:
    """For the commit hook (`index_on_commit`): bring the index up to date and stage it; a
    line to print, or None when it was current. An index with changes of its own that are
    not staged is left alone (they would be committed without being asked for)."""
    from plancycle.fsutil import atomic_write
    from plancycle.git import read_objects, update_index, write_blobs

    result = build_index(project)
    if not result.changed:
        return None
    top = project.git.root
    shown = project.display(result.path)
    staged = read_objects(top, [":" + shown]).get(":" + shown)
    if result.old is not None and staged is not None and staged != result.old:
        return f"{shown} has changes that are not staged; not refreshed (run `plancycle index`)"
    result.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(result.path, result.new)
    update_index(top, [("100644", write_blobs(top, [result.new])[0], shown)])
    return f"{shown}: refreshed and staged"
