"""Jinja2 templates for new documents: shipped ones, replaced by user ones of the same name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.documents.changelog import escape_cell
from plancycle.documents.plainyaml import format_scalar
from plancycle.errors import NotFoundError, UsageError
from plancycle.resources import shipped_dir

SUFFIXES = (".md.j2", ".md")
PLAN_PREFIX = "plan-"
_DESCRIPTION = re.compile(r"^\{#-?\s*(.*?)\s*-?#\}", re.S)


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    origin: str  # "shipped" or "user"
    description: str
    overrides_shipped: bool = False

    @property
    def kind(self) -> str:
        return "plan" if self.name.startswith(PLAN_PREFIX) else self.name


def _template_name(path: Path) -> str | None:
    for suffix in SUFFIXES:
        # A leading '_' marks a partial (included by other templates), not a template.
        if path.name.endswith(suffix) and not path.name.startswith((".", "_")):
            return path.name[: -len(suffix)]
    return None


def _describe(path: Path) -> str:
    try:
        head = path.read_text(encoding="utf-8")[:500]
    except (OSError, UnicodeDecodeError):
        return ""
    match = _DESCRIPTION.match(head)
    return " ".join(match.group(1).split()) if match else ""


def _scan(folder: Path, origin: str) -> dict[str, TemplateInfo]:
    found: dict[str, TemplateInfo] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        name = _template_name(path)
        if name and path.is_file() and name not in found:
            found[name] = TemplateInfo(name, path, origin, _describe(path))
    return found


class Templates:
    """The templates a project can render, user folder first."""

    def __init__(self, user_dir: Path | None) -> None:
        self.user_dir = user_dir

    def all(self) -> list[TemplateInfo]:
        shipped = _scan(shipped_dir("templates"), "shipped")
        user = _scan(self.user_dir, "user") if self.user_dir else {}
        merged = dict(shipped)
        for name, info in user.items():
            merged[name] = TemplateInfo(
                info.name,
                info.path,
                "user",
                info.description or shipped.get(name, info).description,
                overrides_shipped=name in shipped,
            )
        return sorted(merged.values(), key=lambda t: (t.kind != "spec", t.kind, t.name))

    def plan_styles(self) -> list[str]:
        return [t.name[len(PLAN_PREFIX) :] for t in self.all() if t.name.startswith(PLAN_PREFIX)]

    def find(self, name: str) -> TemplateInfo:
        for info in self.all():
            if info.name == name:
                return info
        raise NotFoundError(f"no template named {name!r}; see `plancycle templates list`")

    def find_plan(self, style: str) -> TemplateInfo:
        name = style if style.startswith(PLAN_PREFIX) else PLAN_PREFIX + style
        try:
            return self.find(name)
        except NotFoundError:
            styles = ", ".join(self.plan_styles())
            raise NotFoundError(f"no plan template {style!r}; choose one of: {styles}") from None

    def render_page(self, name: str, context: dict[str, Any]) -> str:
        """An HTML page from the partial ``name`` (yours first, then the shipped one),
        everything it prints escaped unless marked safe."""
        import jinja2

        folders = [str(p) for p in (self.user_dir, shipped_dir("templates")) if p and p.is_dir()]
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        try:
            return env.get_template(name).render(**context)
        except jinja2.TemplateNotFound:
            raise NotFoundError(f"no template {name} in {', '.join(folders)}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise UsageError(f"{exc.filename or name}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise UsageError(f"{name}: template failed to render: {exc}") from None

    def render(self, info: TemplateInfo, context: dict[str, Any]) -> str:
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(
                [str(p) for p in (self.user_dir, shipped_dir("templates")) if p and p.is_dir()]
            ),
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
        )
        env.filters["yaml"] = format_scalar
        env.filters["cell"] = escape_cell
        try:
            source = info.path.read_text(encoding="utf-8")
            return env.from_string(source).render(**context)
        except UnicodeDecodeError:
            raise UsageError(f"{info.path}: template is not valid UTF-8; re-save it as UTF-8") from None
        except jinja2.TemplateSyntaxError as exc:
            raise UsageError(f"{info.path}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.UndefinedError as exc:
            known = ", ".join(sorted(context))
            raise UsageError(
                f"{info.path}: template uses an unknown variable ({exc.message}); known: {known}"
            ) from None
        except jinja2.TemplateError as exc:
            raise UsageError(f"{info.path}: template failed to render: {exc}") from None
