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
    number = {id(row): index + 1 for index, row in enumerate(rows)}
    for key, title in GROUPS:
        members = [r for r in rows if r.stage == key]
        if not members and key == "empty":
            continue
        group = _node("stage_", key)
        shown.append(group)
        lines.append(f'  subgraph {group}["{_label(title)} ({len(members)})"]')
        lines.append("    direction TB")
        for row in members:
            lines.append(f'    f{number[id(row)]}["{_label(row.name + " " + row.title)}"]')
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
    ids: dict[tuple[str, str], str] = {}  # (scope, record) -> node id, numbered: names never collide
    for scope, decisions in _scopes(status):
        by_number = {r["number"]: r for r in decisions["records"]}
        for record in decisions["records"]:
            for number in record["superseded_by"]:
                newer = by_number.get(number)
                if newer is None:
                    continue
                keys = []
                for one in (record, newer):
                    found = ids.setdefault((scope, one["id"]), f"d{len(ids) + 1}")
                    where = "" if scope == "project" else scope + " · "
                    text = _label(f"{where}{one['id']} {one['title']} ({one['status'] or '?'})")
                    nodes[found] = f'{found}["{text}"]'
                    keys.append(found)
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


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: |$)")
_ROW_NAME = re.compile(r"^\[((?:[^\]\\]|\\.)+)\]\(")


def _rows_from(lines: list[str]) -> list[Row] | None:
    """The rows an index region has, read back; None when it is not as plancycle wrote it."""
    at = next((i for i, line in enumerate(lines) if line == HEADER[0]), None)
    if at is None or lines[at + 1 : at + 2] != [HEADER[1]]:
        return None
    rows = []
    for line in lines[at + 2 :]:
        if not line.strip():
            break
        if not line.startswith("| ") or _CONFLICT.match(line):
            return None  # not as written (a merge's conflict, a hand edit): build it again
        cells = split_row(line)
        if len(cells) != 9:
            return None
        named = _ROW_NAME.match(cells[0])
        rows.append(Row(plain_cell(named.group(1) if named else cells[0]), plain_cell(cells[1]), cells[2], line))
    return rows


def _chains_from(lines: list[str]) -> list[str]:
    at = next((i for i, line in enumerate(lines) if line == DECISIONS), None)
    return lines[at + 2 :] if at is not None else []


@dataclass
class Staged:
    """The root as the commit has it: every path the index holds under it, and the texts of
    the documents read from it (None for a document on disk the index does not have)."""

    paths: set[str]
    texts: Texts

    def folder_there(self, project: Project, folder: Path) -> bool:
        prefix = project.display(folder) + "/"
        return any(p.startswith(prefix) for p in self.paths)


def _staged(project: Project, folders: list[Path], records: bool, listing: set[str] | None = None) -> Staged:
    """One `ls-files` of the root (unless ``listing`` is it) and one `cat-file` for the
    documents of ``folders`` (and every decision record, with ``records``)."""
    from plancycle.git import read_objects

    top = project.git.root
    listing = set(_listing(project)) if listing is None else listing
    prefixes = tuple(project.display(f) + "/" for f in folders)
    wanted = [
        p
        for p in listing
        if p.lower().endswith(".md") and (p.startswith(prefixes) or (records and f"/{FOLDER}/" in "/" + p))
    ]
    blobs = read_objects(top, [":" + p for p in wanted])
    texts: Texts = {top / p: blobs.get(":" + p) for p in wanted}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*.md"):
                texts.setdefault(path, None)
    if records:
        for scope in [*(f.path / FOLDER for f in project.features()), project.root / FOLDER]:
            if scope.is_dir():
                for path in scope.glob("*.md"):
                    texts.setdefault(path, None)
    return Staged(listing, texts)


def _staged_features(project: Project, staged: Staged) -> list[Feature]:
    """The feature folders the index has (a folder on disk the commit does not hold is not one)."""
    names = set()
    for path in staged.paths:
        parts = _under(project, path)
        if len(parts) > 1 and folder_number(parts[0]) is not None:
            names.add(parts[0])
    features = [Feature(folder_number(name) or 0, name, project.root / name) for name in names]
    return sorted(features, key=lambda f: (f.number, f.name))


def _decisions(project: Project, texts: Texts | None, features: list[Feature]) -> dict[str, Any]:
    """Every scope's decisions (what the second diagram needs), without the rest of the model."""
    found = [
        {"name": f.name, "decisions": decisions_summary(project, Scope(f.path / FOLDER, f), texts)} for f in features
    ]
    return {"features": found, "decisions": decisions_summary(project, scope_of(project, None), texts)}


def _under(project: Project, name: str) -> tuple[str, ...]:
    try:
        return (project.git.root / name).relative_to(project.root).parts
    except ValueError:
        return ()


def build_staged(project: Project) -> Index:
    """The whole index, from the documents as the index has them."""
    path, old, doc = _current(project)
    listing = set(_listing(project))
    tops = {parts[0] for parts in (_under(project, p) for p in listing) if parts}
    everything = [project.root / name for name in tops]
    staged = _staged(project, everything, records=True, listing=listing)
    features = _staged_features(project, staged)
    status = {
        "features": [feature_summary(project, f, staged.texts) for f in features],
        "decisions": decisions_summary(project, scope_of(project, None), staged.texts),
    }
    return _written(path, old, doc, index_content(status, _link(project, path)))


def _listing(project: Project) -> list[str]:
    from plancycle.git import tracked_files

    return tracked_files(project.git.root, project.display(project.root))


def refreshed(project: Project, paths: list[str]) -> Index:
    """The index after a commit that touched ``paths`` (repository-relative), from the
    documents as the commit has them: only the rows of the features those paths are in are
    read again (and the decisions, when a record is among them), the others kept from the
    index as it is; the whole index when it is not one plancycle can read back."""
    path, old, doc = _current(project)
    region = find_region(doc.body_lines, REGION, doc.path, doc.body_start_line) if old is not None else None
    lines = region_content(doc.body_lines, region) if region is not None else None
    rows = _rows_from(lines) if lines is not None else None
    if rows is None or lines is None:
        return build_staged(project)
    link = _link(project, path)
    by_name = {row.name: row for row in rows}
    root = project.root
    touched = sorted({parts[0] for name in paths if len(parts := _under(project, name)) > 1})
    records = any(
        parts[0] == FOLDER or (len(parts) > 2 and parts[1] == FOLDER)
        for name in paths
        if (parts := _under(project, name))
    )
    folders = [root / name for name in touched]
    staged = _staged(project, folders, records)
    for name in touched:
        number = folder_number(name)
        if number is None:
            continue
        folder = root / name
        if staged.folder_there(project, folder):
            by_name[name] = rows_of([feature_summary(project, Feature(number, name, folder), staged.texts)], link)[0]
        else:
            by_name.pop(name, None)
    ordered = sorted(by_name.values(), key=lambda row: (folder_number(row.name) or 0, row.name))
    chains = (
        decisions_diagram(_decisions(project, staged.texts, _staged_features(project, staged)))
        if records
        else _chains_from(lines)
    )
    return _written(path, old, doc, content(ordered, chains))


def refresh_for_commit(project: Project, paths: list[str]) -> str | None:
    """For the commit hook (`index_on_commit`): bring the index up to date for what the
    commit touched, from what it stages, and stage it; a line to print, or None when it was
    current. An index with changes of its own that are not staged, or one git does not
    track, is left alone (they would be committed without being asked for)."""
    from plancycle.fsutil import atomic_write
    from plancycle.git import read_objects, update_index, write_blobs

    result = refreshed(project, paths)
    if not result.changed:
        return None
    top = project.git.root
    shown = project.display(result.path)
    staged = read_objects(top, [":" + shown]).get(":" + shown)
    if result.old is not None and staged is None:
        return f"{shown} is not tracked; not refreshed (`git add` it to have the hook keep it)"
    if result.old is not None and staged != result.old:
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
