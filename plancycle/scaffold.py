"""Setting a repository up for plancycle (`init`) and the throw-away demo repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plancycle.config import CONFIG_FILE, config_stub
from plancycle.features import Created, create_feature, create_plan
from plancycle.fsutil import atomic_write
from plancycle.git import init_repository
from plancycle.project import Project


@dataclass
class InitResult:
    created: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)


def initialise(project: Project, *, write_config: bool = False) -> InitResult:
    result = InitResult()
    root = project.root
    (result.existing if root.is_dir() else result.created).append(root)
    root.mkdir(parents=True, exist_ok=True)
    if write_config:
        path = project.git.root / CONFIG_FILE
        if path.exists():
            result.existing.append(path)
        else:
            atomic_write(path, config_stub().encode("utf-8"))
            result.created.append(path)
    return result


DEMO_FEATURES = (
    ("042-auth", "User authentication", "standard"),
    ("billing", "Usage-based billing", "comprehensive"),
    ("search", "Full-text search", "compact"),
)


def run_demo(folder: Path) -> tuple[Project, list[Created]]:
    """Create a repository in ``folder`` and walk a few features through spec and plan."""
    init_repository(folder)
    project = Project.discover(folder)
    created = []
    for name, title, style in DEMO_FEATURES:
        feature = create_feature(project, name, title=title)
        plan = create_plan(project, feature.feature.name, template=style)
        created.append(Created(feature.feature, feature.files + plan.files))
    return project, created
