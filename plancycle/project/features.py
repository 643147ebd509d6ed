"""Creating features and their documents from templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.dates import today
from plancycle.documents.document import Document
from plancycle.documents.versioning import INITIAL_STATUS, INITIAL_VERSION
from plancycle.errors import ConflictError, DocumentError, NotFoundError, UsageError
from plancycle.fsutil import atomic_write, refuse_link
from plancycle.names import FeatureName, format_folder, parse_feature_name
from plancycle.project.project import Feature, Project
from plancycle.project.templates import TemplateInfo


@dataclass(frozen=True)
class Created:
    """What a create operation wrote, for the CLI to report."""

    feature: Feature
    files: list[Path]
    branch: str | None = None
    backup: Path | None = None


def render_context(project: Project, feature: Feature, title: str, template: TemplateInfo) -> dict[str, Any]:
    date = today().isoformat()
    return {
        "feature": feature.name,
        "number": f"{feature.number:0{project.config.number_width}d}",
        "slug": feature.slug,
        "title": title,
        "author": project.git.user_name() or "unknown",
        "date": date,
        "created": date,
        "updated": date,
        "status": INITIAL_STATUS,
        "version": INITIAL_VERSION,
        "spec": "spec.md",
        "plan": "plan.md",
        "tasks": "tasks.md",
        "template": template.name,
    }


def _render(project: Project, template: TemplateInfo, context: dict[str, Any], target: Path) -> bytes:
    """Render and check the result reads back as a document; nothing is written here."""
    text = project.templates.render(template, context)
    try:
        Document(text, target)
    except DocumentError as exc:
        raise UsageError(f"template {template.path} renders an invalid document: {exc}") from None
    return text.encode("utf-8")


def resolve_new_feature(project: Project, name: FeatureName) -> Feature:
    """Give the feature its number and refuse one that is already used anywhere."""
    used = project.used_numbers()
    number = name.number if name.number is not None else project.next_number(used)
    if name.number is not None and number in used:
        where = "; ".join(used[number][:3])
        more = f" and {len(used[number]) - 3} more" if len(used[number]) > 3 else ""
        width = project.config.number_width
        raise ConflictError(
            f"feature number {number:0{width}d} is already used: {where}{more}; "
            f"pick another number or omit it to get the next free one ({project.next_number(used):0{width}d})"
        )
    folder = format_folder(number, name.slug, project.config.number_width)
    return Feature(number, folder, project.root / folder)


def create_feature(
    project: Project,
    raw_name: str,
    *,
    title: str | None = None,
    branch: bool = False,
    allow_duplicate_slug: bool = False,
) -> Created:
    name = parse_feature_name(raw_name, title)
    # Choosing the number and creating the folder are one step: two `feature new` at once
    # (two terminals, a script) must not both take the same number.
    with project.git.store.lock("features", "creating a feature"):
        feature = resolve_new_feature(project, name)
        if feature.path.exists():
            raise ConflictError(f"{project.display(feature.path)} already exists")
        twins = [f.name for f in project.features() if f.slug == name.slug]
        if twins and not allow_duplicate_slug:
            raise ConflictError(
                f"a feature named {name.slug!r} already exists ({', '.join(twins)}); pick another name, "
                "or pass --allow-duplicate-slug (then refer to each by its number)"
            )
        template = project.templates.find(project.config.spec_template)
        spec_path = feature.doc_path("spec")
        data = _render(project, template, render_context(project, feature, name.title, template), spec_path)
        branch_name = None
        if branch:
            branch_name = project.config.branch_prefix + feature.name
            if not project.git.check_branch_name(branch_name):
                raise UsageError(f"{branch_name!r} is not a valid git branch name; change branch_prefix")
            if project.git.branch_exists(branch_name):
                raise ConflictError(f"branch {branch_name!r} already exists; switch to it or pick another name")
        _make_folder(project, feature.path)
        try:
            atomic_write(spec_path, data)
        except BaseException:
            feature.path.rmdir()  # nothing half made: the folder goes with the spec that failed
            raise
        if branch_name is not None:
            project.git.switch_new_branch(branch_name)
    return Created(feature, [spec_path], branch=branch_name)


def _make_folder(project: Project, folder: Path) -> None:
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise ConflictError(f"{project.display(folder)} already exists") from None
    except NotADirectoryError:
        raise UsageError(
            f"{project.display(folder.parent)} is a file, but the features root must be a folder; "
            "move it or set 'root' in the configuration"
        ) from None
    except OSError as exc:
        raise DocumentError(
            project.display(folder), f"cannot create the folder: {exc.strerror}; check permissions"
        ) from None


def _free_backup(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}.bak{counter}")
    return candidate


def create_plan(project: Project, feature_ref: str, *, template: str | None = None, force: bool = False) -> Created:
    feature = project.feature(feature_ref)
    spec_path = feature.doc_path("spec")
    if not spec_path.is_file():
        raise NotFoundError(
            f"{project.display(spec_path)} is missing; a plan links to its spec, so create the spec first"
        )
    spec = Document.read(spec_path)
    info = project.templates.find_plan(template or project.config.default_plan_template)
    plan_path = feature.doc_path("plan")
    if plan_path.exists() and not force:
        raise ConflictError(
            f"{project.display(plan_path)} already exists; use --force to replace it (a backup is kept)"
        )
    title = str(spec.get("title") or spec.get("name") or feature.slug.replace("-", " ").capitalize())
    data = _render(project, info, render_context(project, feature, title, info), plan_path)
    refuse_link(plan_path)  # before the backup: nothing written on the way to the refusal
    backup = None
    if plan_path.exists():
        backup = _free_backup(plan_path)
        atomic_write(backup, plan_path.read_bytes())
    atomic_write(plan_path, data)
    return Created(feature, [plan_path], backup=backup)
