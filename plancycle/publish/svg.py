"""The board's drawings, as inline SVG written here (no library, no script): a document's
version timeline and the graph of decisions that superseded others. Text is escaped; colours
come from CSS classes, so the page's light and dark schemes both apply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Point:
    date: str  # YYYY-MM-DD
    version: str
    status: str | None


def _rank(version: str) -> tuple[int, ...]:
    core = version.lstrip("vV").split("-", 1)[0]
    try:
        return tuple(int(p) for p in core.split("."))
    except ValueError:
        return (0,)


def timeline(points: Sequence[Point], width: int = 240, height: int = 32) -> str:
    """Versions over time: a dot per version joined by a line, left to right in the order
    they came, each higher version a step up. A dot's title says its version and day, and the status it moved to
    (its class too, so the dot takes that status's colour). Empty without points."""
    if not points:
        return ""
    ranks = sorted({_rank(p.version) for p in points})
    step = {rank: index for index, rank in enumerate(ranks)}
    levels = max(1, len(ranks) - 1)
    pad = 5
    xy = []
    # One step right per version, in the order they came (versions of one day are several
    # steps too); the day is in each dot's title.
    for index, point in enumerate(points):
        x = pad + (width - 2 * pad) * index / (len(points) - 1) if len(points) > 1 else width / 2
        y = height - pad - (height - 2 * pad) * step[_rank(point.version)] / levels if len(ranks) > 1 else height / 2
        xy.append((round(x), round(y)))
    path = " ".join(f"{x},{y}" for x, y in xy)
    dots = []
    before: str | None = None
    for point, (x, y) in zip(points, xy, strict=True):
        moved = point.status is not None and point.status != before
        title = f"{escape(point.version)} {escape(point.date)}" + (f" {escape(point.status or '')}" if moved else "")
        css = f' class="{escape(point.status or "")}"' if moved else ""
        dots.append(f'<circle{css} cx="{x}" cy="{y}"><title>{title}</title></circle>')
        before = point.status
    label = f"{escape(points[0].version)} to {escape(points[-1].version)}"
    return (
        f'<svg class="timeline" viewBox="0 0 {width} {height}" aria-label="{label}">'
        f'<polyline points="{path}"/>{"".join(dots)}</svg>'
    )


@dataclass(frozen=True)
class Node:
    key: str
    label: str  # `003 Use Redis`
    status: str | None


def _components(nodes: dict[str, Node], edges: list[tuple[str, str]]) -> list[list[str]]:
    links: dict[str, set[str]] = {key: set() for key in nodes}
    for old, new in edges:
        links[old].add(new)
        links[new].add(old)
    seen: set[str] = set()
    groups = []
    for key in nodes:
        if key in seen:
            continue
        group, stack = [], [key]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            group.append(current)
            stack.extend(links[current] - seen)
        groups.append(group)
    return groups


def decision_graph(nodes: dict[str, Node], edges: list[tuple[str, str]], name: str = "graph") -> str:
    """Chains of decisions, old to new left to right, one row per chain; empty when no
    decision superseded another."""
    if not edges:
        return ""
    box_w, box_h, gap_x, gap_y, pad = 170, 34, 40, 14, 8
    marker = "arrow-" + "".join(c if c.isalnum() else "-" for c in name)
    later: dict[str, list[str]] = {key: [] for key in nodes}
    for old, new in edges:
        later[old].append(new)
    depth: dict[str, int] = {}

    def place(key: str, level: int, trail: frozenset[str]) -> None:
        if key in trail or depth.get(key, -1) >= level:
            return  # a loop in the links, or placed further right already
        depth[key] = level
        for new in later[key]:
            place(new, level + 1, trail | {key})

    roots = [key for key in nodes if not any(key == new for _, new in edges)] or list(nodes)
    for key in roots:
        place(key, 0, frozenset())
    rows: list[list[list[str]]] = []
    for group in _components(nodes, edges):
        columns: dict[int, list[str]] = {}
        for key in group:
            columns.setdefault(depth.get(key, 0), []).append(key)
        rows.append([columns[level] for level in sorted(columns)])
    at: dict[str, tuple[int, int]] = {}
    y = pad
    widest = 0
    for row in rows:
        tallest = max(len(column) for column in row)
        for level, column in enumerate(row):
            for index, key in enumerate(column):
                at[key] = (pad + level * (box_w + gap_x), y + index * (box_h + gap_y))
        widest = max(widest, pad + len(row) * (box_w + gap_x) - gap_x + pad)
        y += tallest * (box_h + gap_y)
    parts = []
    for old, new in edges:
        (x1, y1), (x2, y2) = at[old], at[new]
        parts.append(
            f'<line x1="{x1 + box_w}" y1="{y1 + box_h // 2}" x2="{x2 - 4}" y2="{y2 + box_h // 2}" marker-end="url(#{marker})"/>'
        )
    for key, node in nodes.items():
        if key not in at:
            continue
        x, top = at[key]
        text = node.label if len(node.label) <= 26 else node.label[:25] + "…"
        parts.append(
            f'<g class="d {escape(node.status or "none")}"><rect x="{x}" y="{top}" width="{box_w}" height="{box_h}" rx="6"/>'
            f'<text x="{x + 8}" y="{top + 14}">{escape(text)}</text>'
            f'<text class="s" x="{x + 8}" y="{top + 28}">{escape(node.status or "no status")}</text>'
            f"<title>{escape(node.label)}</title></g>"
        )
    return (
        f'<svg class="graph" width="{widest}" height="{y + pad - gap_y}" viewBox="0 0 {widest} {y + pad - gap_y}" '
        'role="img" aria-label="decisions superseded">'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>' + "".join(parts) + "</svg>"
    )
