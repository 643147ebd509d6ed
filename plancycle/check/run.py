"""One `plancycle check`: the documents, the rules, the configuration's severities and the
ignore comments, into one sorted list of findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.check import documents as rules_of
from plancycle.check import project as across
from plancycle.check.documents import Raw
from plancycle.check.finding import Finding
from plancycle.check.rules import RULES, rule, severities
from plancycle.documents.document import Document, is_managed
from plancycle.documents.ignores import Ignores, read_ignores
from plancycle.documents.versioning import status_field
from plancycle.errors import DocumentError, NotFoundError
from plancycle.project.project import Project


@dataclass
class Report:
    findings: list[Finding]
    documents: int
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def _candidates(project: Project, targets: list[Path] | None) -> list[Path]:
    root = project.root
    paths = sorted(p for p in root.rglob("*.md") if p.is_file()) if root.is_dir() else []
    paths = [p for p in paths if project.config.manages(p.relative_to(root).as_posix())]
    if targets:
        wanted = [project.require_inside(t) for t in targets]
        for target in wanted:
            if not target.exists():
                raise NotFoundError(f"{target}: no such file or folder")
        paths = [p for p in paths if any(p.resolve() == t or t in p.resolve().parents for t in wanted)]
    return paths


def _read(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(shown, f"cannot read: {exc.strerror}; check its permissions") from None


def check(project: Project, targets: list[Path] | None = None, *, history: bool = True) -> Report:
    config = project.config
    chosen = severities(config.check, config.source)
    approved = config.approved_status
    top = project.git.root
    located: list[tuple[Path, Raw]] = []
    docs: dict[Path, Document] = {}
    texts: dict[Path, bytes | None] = {}
    paths = _candidates(project, targets)
    for path in paths:
        try:
            data = _read(path, project.display(path))
            texts[path] = data
            doc = Document.from_bytes(data, project.display(path))
        except DocumentError as exc:
            located.append((path, Raw("PC001", exc.line, exc.message.split(": ", 1)[-1])))
            continue
        if not is_managed(doc):
            continue
        docs[path] = doc
        kind = rules_of.kind_of(path)
        found = rules_of.schema(doc, kind, approved)
        try:
            status = status_field(doc)
        except DocumentError:
            status = None
        found += rules_of.placeholders(doc, status, config.changelog_heading)
        found += rules_of.links(doc, path, top)
        found += rules_of.compliance(doc, status, approved)
        if kind == "tasks":
            found += rules_of.stale_tasks(doc, path.with_name("plan.md"), config.tasks_sections)
        located += [(path, raw) for raw in found]
    located += list(across.feature_numbers(project))
    located += list(across.decisions(project, texts))
    notes: list[str] = []
    if history and not (chosen.get("PC008") == "off" and chosen.get("PC009") == "off"):
        found_history, notes = across.history(project, targets)
        located += found_history
    wanted = set(paths)
    findings = _resolve(project, located, chosen, docs, wanted if targets else None)
    return Report(findings, len(docs), notes)


def _resolve(
    project: Project,
    located: Iterable[tuple[Path, Raw]],
    chosen: dict[str, str],
    docs: dict[Path, Document],
    wanted: set[Path] | None,
) -> list[Finding]:
    ignores: dict[Path, Ignores] = {}
    findings = []
    for path, raw in located:
        if wanted is not None and path not in wanted:
            continue
        severity = chosen.get(raw.rule) or raw.severity or rule(raw.rule).severity
        if severity == "off":
            continue
        doc = docs.get(path)
        if doc is not None:
            if path not in ignores:
                ignores[path] = read_ignores(doc)
            if ignores[path].covers({raw.rule, rule(raw.rule).name}, raw.line):
                continue
        findings.append(Finding(rule(raw.rule), severity, project.display(path), raw.line, raw.message))
    order = {r.id: i for i, r in enumerate(RULES)}
    return sorted(findings, key=lambda f: (f.path, f.line or 0, order[f.rule.id]))  # stable: as found in a line
