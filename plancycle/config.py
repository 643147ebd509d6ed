"""Configuration: one typed object, from `[tool.plancycle]` or `.plancycle.toml`, found by walking up."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from plancycle.errors import ConfigError

CONFIG_FILE = ".plancycle.toml"

# Bump levels, lowest first.
Level = Literal["none", "patch", "minor", "major"]
LEVELS: tuple[Level, ...] = ("none", "patch", "minor", "major")

# Plan headings tasks.md is derived from, highest priority first.
DEFAULT_SECTIONS = (
    "Implementation Order",
    "Implementation Phases",
    "Implementation Steps",
    "Implementation Tasks",
    "Implementation Plan",
    "Implementation Strategy",
    "Implementation Summary",
    "Phases",
    "Milestones",
    "Timeline & Milestones",
    "Work Breakdown",
    "Delivery Plan",
    "Rollout Plan",
    "Rollout",
    "Roadmap",
)
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Config:
    """Every setting plancycle reads, with the defaults that need no file at all."""

    root: str = "specs"
    """Folder (relative to the config file, or the repository top) holding the features."""
    number_width: int = 3
    """Digits in a feature number: 3 gives 042-auth."""
    default_plan_template: str = "standard"
    """Plan template used by `plan new` when --template is not given."""
    templates_dir: str = ".plancycle/templates"
    """Folder of user templates that replace shipped ones of the same name."""
    spec_template: str = "spec"
    """Template used for the spec of a new feature."""
    branch_prefix: str = ""
    """Prefix of the branch `feature new --branch` creates, e.g. 'feature/'."""
    managed: list[str] = field(default_factory=lambda: ["*.md"])
    """Globs (relative to the root) of the files the hooks keep; '*' also crosses '/'."""
    bump_on_wording: Level = "patch"
    """Bump level for a commit that only rewords existing sections."""
    bump_on_structure: Level = "minor"
    """Bump level when a heading, list item or table row is added, removed or renamed."""
    bump_on_approval: Level = "major"
    """Bump level when the status moves into `approved_status`."""
    bump_on_status: Level = "minor"
    """Bump level when the status moves anywhere else (draft → review, accepted → superseded)."""
    approved_status: str = "approved"
    """The status that marks a document approved."""
    changelog_heading: str = "Change Log"
    """Heading of the change-log section plancycle keeps."""
    changelog_order: str = "oldest-first"
    """Order of change-log rows: oldest-first or newest-first."""
    tasks_sections: list[str] = field(default_factory=lambda: list(DEFAULT_SECTIONS))
    """Plan headings tasks.md is derived from, highest priority first."""
    adopt: list[str] = field(default_factory=lambda: ["spec.md", "plan.md", "tasks.md", "adr/*.md"])
    """Globs (relative to a feature folder) of the documents `adopt` brings under management; the rest are listed."""
    index_file: str = "README.md"
    """The features index `plancycle index` writes, relative to the root."""
    index_on_commit: bool = False
    """Whether the commit hook keeps the index current (and stages it) when a document changes."""
    check: dict[str, str] = field(default_factory=dict)
    """`plancycle check` rules by id or name (PC004, stale-tasks) turned off, or set to warning or error."""

    # Where the settings came from (a file path), or None for built-in defaults.
    source: Path | None = field(default=None, compare=False)
    # Folder relative paths in the settings are resolved against.
    base_dir: Path = field(default=Path("."), compare=False)

    @property
    def root_path(self) -> Path:
        return self.base_dir / self.root

    @property
    def templates_path(self) -> Path:
        return self.base_dir / self.templates_dir

    def manages(self, relative: str) -> bool:
        """Whether a markdown path (relative to the root, '/'-separated) is one the hooks keep."""
        return self.manager()(relative)

    def manager(self) -> Callable[[str], bool]:
        """`manages` as one function, to ask of every file of a project."""
        match = _matcher(tuple(self.managed))
        return lambda relative: relative[-3:].lower() == ".md" and match(relative) is not None


@functools.lru_cache(maxsize=8)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], object]:
    """One regular expression for all the patterns: asked for every file of a project."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)").match


_KINDS = {str: "a string", int: "an integer", list: "a list", bool: "true or false", dict: "a table"}
SEVERITIES = ("off", "warning", "error")


def setting_names() -> list[str]:
    return [f.name for f in dataclasses.fields(Config) if f.name not in ("source", "base_dir")]


def _check(settings: dict[str, Any], source: Path) -> dict[str, Any]:
    names = setting_names()
    defaults = Config()
    checked: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in names:
            import difflib

            close = difflib.get_close_matches(key, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(names)}"
            raise ConfigError(f"{source}: unknown setting {key!r}{hint}")
        expected = type(getattr(defaults, key))
        if type(value) is not expected:
            raise ConfigError(f"{source}: setting {key!r} must be {_KINDS[expected]}, not {value!r}")
        checked[key] = value
    if checked.get("number_width", 3) < 1 or checked.get("number_width", 3) > 9:
        raise ConfigError(f"{source}: setting 'number_width' must be between 1 and 9")
    for key in ("bump_on_wording", "bump_on_structure", "bump_on_approval", "bump_on_status"):
        if key in checked and checked[key] not in LEVELS:
            raise ConfigError(f"{source}: setting {key!r} must be one of {', '.join(LEVELS)}")
    if checked.get("changelog_order", "oldest-first") not in ("oldest-first", "newest-first"):
        raise ConfigError(f"{source}: setting 'changelog_order' must be oldest-first or newest-first")
    for key in ("managed", "tasks_sections", "adopt"):
        if key in checked and not all(isinstance(p, str) for p in checked[key]):
            raise ConfigError(f"{source}: setting {key!r} must be a list of strings")
    for rule, severity in checked.get("check", {}).items():
        if severity not in SEVERITIES:
            raise ConfigError(
                f"{source}: [tool.plancycle.check] {rule} = {severity!r} must be one of {', '.join(SEVERITIES)}"
            )
    for key in ("root", "templates_dir", "index_file"):
        if key in checked and (not checked[key].strip() or Path(checked[key]).is_absolute()):
            raise ConfigError(f"{source}: setting {key!r} must be a relative path")
    return checked


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: only a project with a settings file pays for the parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None


def find_config_file(start: Path, stop: Path | None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest `.plancycle.toml`, or `pyproject.toml` with a [tool.plancycle] table."""
    here = start.resolve()
    stop = stop.resolve() if stop is not None else None
    while True:
        candidate = here / CONFIG_FILE
        if candidate.is_file():
            data = _read_toml(candidate)
            # Accept both a bare table and the [tool.plancycle] spelling.
            table = data.get("tool", {}).get("plancycle", data) if "tool" in data else data
            return candidate, table
        candidate = here / PYPROJECT
        # A pyproject.toml that never names plancycle has no table for it: not parsed.
        if candidate.is_file() and b"plancycle" in _read_bytes(candidate):
            data = _read_toml(candidate)
            table = data.get("tool", {}).get("plancycle")
            if table is not None:
                return candidate, table
        if here == stop or here.parent == here:
            return None
        here = here.parent


def load_config(start: Path, repo_root: Path | None) -> Config:
    """Settings for work started in ``start``; built-in defaults when no file has any."""
    found = find_config_file(start, repo_root)
    if found is None:
        return Config(base_dir=repo_root or start.resolve())
    path, table = found
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.plancycle] must be a table")
    config = Config(**_check(table, path), source=path, base_dir=path.parent)
    if repo_root is not None:
        # Every command refuses a root outside the repository: the hook could not stamp
        # it, and history knows nothing of it.
        top = repo_root.resolve()
        root = config.root_path.resolve()
        if root != top and top not in root.parents:
            raise ConfigError(
                f"{path}: setting 'root' = {config.root!r} points outside the repository at {top}; "
                "give a folder inside it"
            )
    return config


def config_stub() -> str:
    """A commented `.plancycle.toml` listing every setting at its default."""
    lines = ["# plancycle settings; every key is optional and shown at its default.", ""]
    defaults = Config()
    for name in setting_names():
        value = getattr(defaults, name)
        if isinstance(value, str):
            rendered = f'"{value}"'
        elif isinstance(value, list):
            rendered = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        else:
            rendered = str(value)
        lines.append(f"# {name} = {rendered}")
    return "\n".join(lines) + "\n"
