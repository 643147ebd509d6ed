"""The rules across documents: feature numbers (PC005), decision numbers (PC006),
supersede links on both records (PC007), decision indexes (PC011), and history (PC008,
PC009: the facts `changelog sync --check` reads, in one pass)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from plancycle.adr.lifecycle import names
from plancycle.adr.planindex import refresh_index
from plancycle.adr.records import all_scopes, duplicates, linked, read_records
from plancycle.check.documents import Raw
from plancycle.documents.document import Document
from plancycle.errors import DocumentError
from plancycle.project.project import Project

Located = tuple[Path, Raw]


def feature_numbers(project: Project) -> Iterator[Located]:
    by_number: dict[int, list[Path]] = {}
    for feature in project.features():
        by_number.setdefault(feature.number, []).append(feature.path)
    for number, folders in sorted(by_number.items()):
        if len(folders) < 2:
            continue
        names_ = ", ".join(f.name for f in folders)
        for folder in folders:
            target = next(
                (folder / f"{k}.md" for k in ("spec", "plan", "tasks") if (folder / f"{k}.md").is_file()), folder
            )
            yield (
                target,
                Raw(
                    "PC005",
                    None,
                    f"feature number {number} is used by {len(folders)} features ({names_}); give all but one "
                    f"a free number: plancycle feature renumber {folders[-1].name}",
                ),
            )


def decisions(project: Project, texts: dict[Path, bytes | None] | None = None) -> Iterator[Located]:
    """``texts``: documents already read, by path (each is read once per check)."""
    for scope in all_scopes(project):
        records = read_records(project, scope, cache=texts)
        for number, twins in sorted(duplicates(records).items()):
            others = ", ".join(r.name for r in twins)
            for record in twins:
                yield (
                    record.path,
                    Raw("PC006", None, f"decision number {number} is used by {others}; run `plancycle adr renumber`"),
                )
        for record in records:
            if record.doc is None:
                continue
            for old in linked(records, record.supersedes):
                if not any(names(s, record) for s in old.superseded_by):
                    yield (
                        record.path,
                        Raw(
                            "PC007",
                            record.doc.line_of("supersedes"),
                            f"supersedes {old.name}, whose superseded_by does not name it; "
                            f"run `plancycle adr supersede {scope.feature.name if scope.feature else '--global'} "
                            f"{old.label} {record.label}`",
                        ),
                    )
            for new in linked(records, record.superseded_by):
                if not any(names(s, record) for s in new.supersedes):
                    yield (
                        record.path,
                        Raw(
                            "PC007",
                            record.doc.line_of("superseded_by"),
                            f"superseded by {new.name}, whose supersedes does not name it",
                        ),
                    )
        if scope.feature is None:
            continue
        plan = scope.feature.doc_path("plan")
        if not plan.is_file():
            continue
        try:
            data = (texts or {}).get(plan)
            doc = Document.from_bytes(data, project.display(plan)) if data else Document.read(plan)
            doc.path = project.display(plan)
            stale = refresh_index(doc, records, plan, project.config.changelog_heading)
        except DocumentError:
            continue  # PC001 reports a plan that cannot be read
        if stale and records:
            yield plan, Raw("PC011", None, "the decision index is out of step with adr/; run `plancycle adr index`")


def history(project: Project, targets: list[Path] | None, *, cache: bool = True) -> tuple[list[Located], list[str]]:
    """PC008 and PC009 from one read of history; the notes sync has (a shallow clone)."""
    from plancycle.history.projectsync import sync_project

    outcome = sync_project(project, targets or None, cache=cache)
    found: list[Located] = []
    top = project.git.root
    for result in outcome.results:
        path = top / result.path
        if result.changed:
            found.append(
                (
                    path,
                    Raw(
                        "PC008",
                        None,
                        f"Change Log out of step with history: {result.describe()}; run `plancycle changelog sync`",
                    ),
                )
            )
        for problem in result.problems:
            found.append((path, Raw("PC008", None, problem)))
        if result.unbumped:
            commits = ", ".join(result.unbumped[:3]) + (" …" if len(result.unbumped) > 3 else "")
            found.append(
                (
                    path,
                    Raw(
                        "PC009",
                        None,
                        f"content changed without a version move in {commits}; run `plancycle bump {result.path} --patch`",
                    ),
                )
            )
    return found, outcome.notes
