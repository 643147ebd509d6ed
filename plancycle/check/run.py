"""One `plancycle check`: the documents, the rules, the configuration's severities and the
ignore comments, into one sorted list of findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from plancycle.errors import DocumentError, NotFoundError, PlancycleError
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


def check(project: Project, targets: list[Path] | None = None, *, history: bool = True, cache: bool = True) -> Report:
    """``cache``: let the history cache answer (see `history.cache`)."""
    config = project.config
    chosen = severities(config.check, config.source)
    approved = config.approved_status
    top = project.git.root
    located: list[tuple[Path, Raw]] = []
    docs: dict[Path, Document] = {}
    texts: dict[Path, bytes | None] = {}
    paths = _candidates(project, targets)
    reading = None
    if history and not (chosen.get("PC008") == "off" and chosen.get("PC009") == "off"):
        reading = _history_aside(project, targets, cache)  # history is read while the documents are checked
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
        found += rules_of.conflict_markers(doc)
        found += rules_of.mirrors_in_step(doc, approved)
        if kind == "tasks":
            found += rules_of.stale_tasks(doc, path.with_name("plan.md"), config.tasks_sections)
        located += [(path, raw) for raw in found]
    located += list(across.feature_numbers(project))
    located += list(across.decisions(project, texts))
    notes: list[str] = []
    if reading is not None:
        found_history, notes = reading()
        located += found_history
    wanted = set(paths)
    findings = _resolve(project, located, chosen, docs, wanted if targets else None)
    return Report(findings, len(docs), notes)


_History = tuple[list[tuple[Path, Raw]], list[str]]


_FORKED: list[Project] = []  # the project a forked child checks: inherited, never pickled


def _history_in_child(targets: list[Path] | None, cache: bool) -> _History | tuple[str, int]:
    """In the child: the history findings, or an error as (message, exit code): plancycle's
    errors are not all rebuilt by unpickling, and the parent must say them as usual."""
    try:
        return across.history(_FORKED[-1], targets, cache=cache)
    except PlancycleError as exc:
        return exc.message, exc.exit_code


def _history_aside(project: Project, targets: list[Path] | None, cache: bool) -> Callable[[], _History]:
    """Start reading history in a forked process (both halves are Python-bound, so a thread
    would not help); the returned call waits for it. Where fork is not available, or before
    it could start, history is read in this process when the call is made."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: across.history(project, targets, cache=cache)
    from concurrent.futures import ProcessPoolExecutor

    _FORKED[:] = [project]
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    future = pool.submit(_history_in_child, targets, cache)

    def wait() -> _History:
        try:
            result = future.result()
        finally:
            pool.shutdown()
        if isinstance(result[0], str):
            message, code = result
            raise PlancycleError(str(message), int(code))
        return result

    return wait


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
