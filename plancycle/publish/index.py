"""`plancycle index`: `specs/README.md`, the page GitHub shows for the features folder: every
feature in one table, a mermaid diagram of the stages, and one of the decisions that
superseded others. Written between `<!-- plancycle:index -->` markers, so what people write
above and below stays; a file without them gets them at its end (or is made)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.adr.records import FOLDER, Scope, scope_of
from plancycle.documents.changelog import split_row
from plancycle.documents.document import Document
from plancycle.documents.markers import find_region, region_content, region_lines
from plancycle.names import folder_number
from plancycle.overview.status import Texts, decisions_summary, feature_summary, project_status
from plancycle.project.project import Feature, Project
from plancycle.publish.table import HEADER, feature_row, lifecycle, plain_cell

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
    text = " ".join(str(text).split()).replace("#", "#35;")
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _node(prefix: str, key: str) -> str:
    return prefix + "".join(c if c.isalnum() else "_" for c in key)


@dataclass(frozen=True)
class Row:
    """A feature as the index shows it: its table row, and what the stages diagram needs."""

    name: str
    title: str
    stage: str
    line: str


def rows_of(features: list[dict[str, Any]], link: str) -> list[Row]:
    return [Row(f["name"], f["title"], lifecycle(f), feature_row(f, link)) for f in features]


def stages_diagram(rows: list[Row]) -> list[str]:
    """Features grouped by where they stand, left to right."""
    if not rows:
        return []
    lines = ["```mermaid", "flowchart LR"]
    shown = []
    for key, title in GROUPS:
        members = [r for r in rows if r.stage == key]
        if not members and key == "empty":
            continue
        group = _node("stage_", key)
        shown.append(group)
        lines.append(f'  subgraph {group}["{_label(title)} ({len(members)})"]')
        lines.append("    direction TB")
        for row in members:
            lines.append(f'    {_node("f_", row.name)}["{_label(row.name + " " + row.title)}"]')
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


NOTE = "_Kept by `plancycle index`; write above or below the markers, not between them._"
DECISIONS = "### Decisions superseded"


def content(rows: list[Row], chains: list[str]) -> list[str]:
    """The region's lines: the table, then the diagrams."""
    lines = [NOTE, ""]
    if not rows:
        lines.append("No features yet.")
        return lines
    lines += [*HEADER, *(row.line for row in rows)]
    stages = stages_diagram(rows)
    if stages:
        lines += ["", "### Stages", "", *stages]
    if chains:
        lines += ["", DECISIONS, "", *chains]
    return lines


def index_content(status: dict[str, Any], link: str) -> list[str]:
    return content(rows_of(status["features"], link), decisions_diagram(status))


@dataclass(frozen=True)
class Index:
    path: Path
    old: bytes | None
    new: bytes

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _link(project: Project, path: Path) -> str:
    link = Path(os.path.relpath(project.root, path.parent)).as_posix()
    return "" if link == "." else link + "/"


def index_path(project: Project) -> Path:
    """Where the index is: `index_file` under the root, `..` taken as written (the root need
    not exist yet for `../README.md` to be the top's README)."""
    return Path(os.path.normpath(project.root / project.config.index_file))


def _current(project: Project) -> tuple[Path, bytes | None, Document]:
    path = index_path(project)
    project.require_inside(path)
    old = path.read_bytes() if path.is_file() else None
    shown = project.display(path)
    return path, old, Document("# Features\n\n", shown) if old is None else Document.from_bytes(old, shown)


def build_index(project: Project, status: dict[str, Any] | None = None) -> Index:
    """The index file as it should be; nothing is written here."""
    path, old, doc = _current(project)
    status = status if status is not None else project_status(project)
    return _written(path, old, doc, index_content(status, _link(project, path)))


def _written(path: Path, old: bytes | None, doc: Document, region: list[str]) -> Index:
    nl = doc.newline
    lines = doc.body_lines
    found = find_region(lines, REGION, doc.path, doc.body_start_line)
    block = region_lines(REGION, region, nl)
    if found is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += nl
        if lines and lines[-1].strip():
            lines.append(nl)
        lines += block
    else:
        lines[found.start : found.end + 1] = block
    doc.replace_body("".join(lines))
    return Index(path, old, doc.to_bytes())


_ROW_NAME = re.compile(r"^\[((?:[^\]\\]|\\.)+)\]\(")


def _rows_from(lines: list[str]) -> list[Row] | None:
    """The rows an index region has, read back; None when it is not as plancycle wrote it."""
    at = next((i for i, line in enumerate(lines) if line == HEADER[0]), None)
    if at is None or lines[at + 1 : at + 2] != [HEADER[1]]:
        return None
    rows = []
    for line in lines[at + 2 :]:
        if not line.startswith("|"):
            break
        cells = split_row(line)
        if len(cells) != 9:
            return None
        named = _ROW_NAME.match(cells[0])
        rows.append(Row(plain_cell(named.group(1) if named else cells[0]), plain_cell(cells[1]), cells[2], line))
    return rows


def _chains_from(lines: list[str]) -> list[str]:
    at = next((i for i, line in enumerate(lines) if line == DECISIONS), None)
    return lines[at + 2 :] if at is not None else []


def _decisions(project: Project, texts: Texts | None = None) -> dict[str, Any]:
    """Every scope's decisions (what the second diagram needs), without the rest of the model."""
    features = [
        {"name": f.name, "decisions": decisions_summary(project, Scope(f.path / FOLDER, f), texts)}
        for f in project.features()
    ]
    return {"features": features, "decisions": decisions_summary(project, scope_of(project, None), texts)}


def _under(project: Project, name: str) -> tuple[str, ...]:
    try:
        return (project.git.root / name).relative_to(project.root).parts
    except ValueError:
        return ()


def staged_texts(project: Project, folders: list[Path]) -> Texts:
    """The documents of ``folders`` as the index (the commit) has them: staged blobs, and
    None for a file in the working tree that is not staged."""
    from plancycle.git import read_objects, tracked_files

    top = project.git.root
    staged: list[str] = []
    for folder in folders:
        staged += [p for p in tracked_files(top, project.display(folder)) if p.lower().endswith(".md")]
    blobs = read_objects(top, [":" + p for p in staged])
    texts: Texts = {top / p: blobs.get(":" + p) for p in staged}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*.md"):
                texts.setdefault(path, None)
    return texts


def refreshed(project: Project, paths: list[str], *, staged: bool = False) -> Index:
    """The index after a commit that touched ``paths`` (repository-relative): only the rows of
    the features they are in are read again (and the decisions, when a record is among them),
    the rest is kept from the index as it is; a whole build when the index is not one yet.
    With ``staged``, the documents are read as the index has them (what the commit holds)."""
    path, old, doc = _current(project)
    region = find_region(doc.body_lines, REGION, doc.path, doc.body_start_line) if old is not None else None
    lines = region_content(doc.body_lines, region) if region is not None else None
    rows = _rows_from(lines) if lines is not None else None
    if rows is None or lines is None:
        return build_index(project)
    link = _link(project, path)
    by_name = {row.name: row for row in rows}
    root = project.root
    touched = sorted({parts[0] for name in paths if len(parts := _under(project, name)) > 1})
    records = any(
        parts[0] == FOLDER or (len(parts) > 2 and parts[1] == FOLDER)
        for name in paths
        if (parts := _under(project, name))
    )
    folders = [root / name for name in touched if folder_number(name) is not None or name == FOLDER]
    texts = staged_texts(project, folders) if staged else None
    for name in touched:
        number = folder_number(name)
        if number is None:
            continue
        folder = root / name
        # in the commit: its folder, or (read as staged) any file of it the index has
        there = (
            folder.is_dir()
            if texts is None
            else any(data is not None and folder in p.parents for p, data in texts.items())
        )
        if there:
            by_name[name] = rows_of([feature_summary(project, Feature(number, name, folder), texts)], link)[0]
        else:
            by_name.pop(name, None)
    ordered = sorted(by_name.values(), key=lambda row: (folder_number(row.name) or 0, row.name))
    chains = decisions_diagram(_decisions(project, texts)) if records else _chains_from(lines)
    return _written(path, old, doc, content(ordered, chains))


def refresh_for_commit(project: Project, paths: list[str]) -> str | None:
    """For the commit hook (`index_on_commit`): bring the index up to date for what the
    commit touched, from what it stages, and stage it; a line to print, or None when it was
    current. An index with changes of its own that are not staged is left alone (they would
    be committed without being asked for)."""
    from plancycle.fsutil import atomic_write
    from plancycle.git import read_objects, update_index, write_blobs

    result = refreshed(project, paths, staged=True)
    if not result.changed:
        return None
    top = project.git.root
    shown = project.display(result.path)
    staged = read_objects(top, [":" + shown]).get(":" + shown)
    if result.old is not None and staged is not None and staged != result.old:
        return f"{shown} has changes that are not staged; not refreshed (run `plancycle index`)"
    result.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(result.path, result.new)
    entries = [("100644", write_blobs(top, [result.new])[0], shown)]
    update_index(top, entries)
    index_file = os.environ.get("GIT_INDEX_FILE", "")
    if os.path.basename(index_file).startswith("next-index"):
        # `git commit <path>` commits a temporary index and then rebuilds the real one (held
        # under index.lock now): it gets the same entry, as the stamped documents do.
        update_index(top, entries, index_file=str(Path(index_file).parent / "index.lock"))
    return f"{shown}: refreshed and staged"
