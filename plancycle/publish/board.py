"""`plancycle board`: the project as one self-contained HTML file. Features are cards in
columns by where they stand, each with its documents' versions drawn over time (from one
history pass) and its progress; the decisions that superseded others are drawn as a graph.
Rendered by Jinja2 from the status model `status --json` prints, plus those timelines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from plancycle import __version__
from plancycle.history.revisions import read_history
from plancycle.overview.status import project_status
from plancycle.project.project import Project
from plancycle.publish import svg
from plancycle.publish.index import GROUPS
from plancycle.publish.table import decisions_cell, document_cell, lifecycle

TEMPLATE = "_board.html.j2"


def _paths(status: dict[str, Any]) -> list[str]:
    found = [d["path"] for f in status["features"] for d in f["documents"].values() if d is not None]
    scopes = [f["decisions"] for f in status["features"]] + [status["decisions"]]
    return found + [r["path"] for scope in scopes for r in scope["records"]]


def _timelines(project: Project, paths: list[str], cache: bool) -> dict[str, list[svg.Point]]:
    """Each document's versions as committed, oldest first (one pass over history)."""
    state = project.git.state
    if state.head is None or not paths:
        return {}
    history = read_history(
        state.top, state.common_dir, paths, head=state.head, root=project.display(project.root), cache=cache
    )
    found: dict[str, list[svg.Point]] = {}
    for path, doc in history.documents.items():
        points: list[svg.Point] = []
        for revision in sorted(doc.revisions, key=lambda r: -r.order):
            if revision.version and (not points or points[-1].version != revision.version):
                points.append(svg.Point(revision.date, revision.version, revision.status))
        found[path] = points
    return found


def _timeline(points: list[svg.Point]) -> str:
    return svg.timeline(points) if len(points) > 1 else ""  # one version is no line yet


def _graph(scope: str, decisions: dict[str, Any]) -> str:
    by_number = {r["number"]: r for r in decisions["records"]}
    nodes: dict[str, svg.Node] = {}
    edges: list[tuple[str, str]] = []
    for record in decisions["records"]:
        for number in record["superseded_by"]:
            newer = by_number.get(number)
            if newer is None:
                continue
            for one in (record, newer):
                nodes[one["id"]] = svg.Node(one["id"], f"{one['id']} {one['title']}", one["status"])
            edges.append((record["id"], newer["id"]))
    return svg.decision_graph(nodes, edges, scope)


def board_model(project: Project, *, cache: bool = True) -> dict[str, Any]:
    status = project_status(project)
    timelines = _timelines(project, _paths(status), cache)
    columns = []
    for key, title in GROUPS:
        cards = []
        for feature in status["features"]:
            if lifecycle(feature) != key:
                continue
            progress = feature["progress"]
            cards.append(
                {
                    "feature": feature,
                    "documents": [
                        {
                            "kind": kind,
                            "cell": document_cell(doc),
                            "status": doc["status"] if doc else None,
                            "timeline": _timeline(timelines.get(doc["path"], [])) if doc else "",
                        }
                        for kind, doc in feature["documents"].items()
                        if doc is not None
                    ],
                    "percent": round(100 * progress["done"] / progress["total"])
                    if progress and progress["total"]
                    else None,
                    "decisions": decisions_cell(feature["decisions"]),
                    "graph": _graph(feature["name"], feature["decisions"]),
                }
            )
        if cards or key != "empty":
            columns.append({"key": key, "title": title, "cards": cards})
    return {
        "project": project.git.root.name,
        "status": status,
        "columns": columns,
        "features": len(status["features"]),
        "project_decisions": decisions_cell(status["decisions"]),
        "project_graph": _graph("project", status["decisions"]),
        "generated": dt.date.today().isoformat(),
        "version": __version__,
    }


def render_board(project: Project, *, cache: bool = True) -> str:
    page = project.templates.render_page(TEMPLATE, board_model(project, cache=cache))
    # The template's indentation is for people reading it; the page does not need it.
    return "\n".join(line.lstrip() for line in page.splitlines()) + "\n"


def default_output(project: Project) -> Path:
    return project.git.root / "plancycle-board.html"
