"""Setting a repository up for plancycle (`plancycle init`): the root folder and a config stub."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plancycle.config import CONFIG_FILE, config_stub
from plancycle.errors import DocumentError, UsageError
from plancycle.fsutil import atomic_write
from plancycle.project.project import Project


@dataclass
class InitResult:
    created: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)


def initialise(project: Project, *, write_config: bool = False) -> InitResult:
    result = InitResult()
    root = project.root
    if root.exists() and not root.is_dir():
        raise UsageError(
            f"{project.display(root)} is a file, but the features root must be a folder; "
            "move it or set 'root' in the configuration"
        )
    (result.existing if root.is_dir() else result.created).append(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocumentError(
            project.display(root), f"cannot create the folder: {exc.strerror}; check permissions"
        ) from None
    if write_config:
        path = project.git.root / CONFIG_FILE
        if path.exists():
            result.existing.append(path)
        else:
            atomic_write(path, config_stub().encode("utf-8"))
            result.created.append(path)
    return result
