"""A project: the repository, its settings and the feature folders under the root."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from plancycle.config import Config, load_config
from plancycle.errors import DocumentError, NotFoundError, UsageError
from plancycle.git import Git
from plancycle.names import folder_number

if TYPE_CHECKING:
    from plancycle.project.templates import Templates

STAGES = ("spec", "plan", "tasks")


@dataclass(frozen=True)
class Feature:
    number: int
    name: str  # the folder name, e.g. 042-auth
    path: Path

    @property
    def slug(self) -> str:
        return self.name.split("-", 1)[1]

    def doc_path(self, kind: str) -> Path:
        return self.path / f"{kind}.md"


class Project:
    """Settings plus repository: everything a command needs, built once per run."""

    def __init__(self, git: Git, config: Config) -> None:
        self.git = git
        self.config = config

    @classmethod
    def discover(cls, cwd: Path | None = None) -> Project:
        start = Path(cwd or os.getcwd())
        git = Git.discover(start)
        return cls(git, load_config(start, git.root))

    @property
    def root(self) -> Path:
        return self.config.root_path

    @cached_property
    def templates(self) -> Templates:
        # Imported here: most commands render none (and finding shipped templates is slow
        # to import).
        from plancycle.project.templates import Templates

        return Templates(self.config.templates_path)

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to the repository top."""
        try:
            return path.relative_to(self.git.root).as_posix()  # the common case, no file system calls
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.git.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def require_inside(self, path: Path) -> Path:
        """``path`` resolved, refused (as every command refuses it) when outside the repository."""
        resolved = path.resolve()
        top = self.git.root.resolve()
        if resolved != top and top not in resolved.parents:
            raise UsageError(f"{path} is not inside the repository at {top}")
        return resolved

    def features(self) -> list[Feature]:
        if not self.root.is_dir():
            if self.root.exists():
                raise UsageError(
                    f"{self.display(self.root)} is a file, but the features root must be a folder; "
                    "move it or set 'root' in the configuration"
                )
            return []
        found = []
        try:
            entries = list(self.root.iterdir())
        except OSError as exc:
            raise DocumentError(
                self.display(self.root), f"cannot read the folder: {exc.strerror}; check permissions"
            ) from None
        for entry in entries:
            number = folder_number(entry.name)
            if number is not None and entry.is_dir():
                found.append(Feature(number, entry.name, entry))
        return sorted(found, key=lambda f: (f.number, f.name))

    def feature(self, ref: str) -> Feature:
        """Find a feature by folder name, number or slug (`042-auth`, `042`, `42`, `auth`)."""
        text = ref.strip().rstrip("/").split("/")[-1]
        if not text:
            raise UsageError("feature name is empty; give one such as `042-auth`")
        features = self.features()
        exact = [f for f in features if f.name == text]
        if exact:
            return exact[0]
        if text.isdigit():
            matches = [f for f in features if f.number == int(text)]
        else:
            matches = [f for f in features if f.slug == text]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(f.name for f in matches)
            raise UsageError(f"{ref!r} matches several features ({names}); give the full name")
        raise NotFoundError(
            f"no feature {ref!r} under {self.display(self.root)}/; "
            "create it with `plancycle feature new` or see `plancycle status`"
        )

    def managed_documents(self, feature: Feature) -> list[Path]:
        """The feature's documents the hook keeps (the `managed` patterns), in path order."""
        found = []
        for path in sorted(feature.path.rglob("*.md")):
            relative = path.relative_to(self.root).as_posix()
            if path.is_file() and self.config.manages(relative):
                found.append(path)
        return found

    def used_numbers(self) -> dict[int, list[str]]:
        """Every feature number in use, with where: the working tree and every branch."""
        used: dict[int, list[str]] = {}
        root_shown = self.display(self.root)
        for feature in self.features():
            used.setdefault(feature.number, []).append(f"{root_shown}/{feature.name} (working tree)")
        for name, branches in sorted(self.git.subfolders_on_branches(self.root).items()):
            number = folder_number(name)
            if number is None:
                continue
            for branch in branches:
                used.setdefault(number, []).append(f"{root_shown}/{name} on branch {branch}")
        return used

    def next_number(self, used: dict[int, list[str]] | None = None) -> int:
        used = self.used_numbers() if used is None else used
        return max(used, default=0) + 1
