"""`plancycle init`: make the root folder (and, if asked, a config stub). Never required."""

from __future__ import annotations

from typing import Annotated

import typer

from plancycle.cli import output


def init(
    config: Annotated[
        bool, typer.Option("--config", help="Also write a commented .plancycle.toml with every default.")
    ] = False,
) -> None:
    """Create the features root folder; safe to run again."""
    from plancycle.config import CONFIG_FILE
    from plancycle.project.project import Project
    from plancycle.project.scaffold import initialise

    project = Project.discover()
    result = initialise(project, write_config=config)
    for path in result.created:
        output.done(f"created {project.display(path)}")
    for path in result.existing:
        output.info(f"{project.display(path)} already exists; left as it is")
    if config and project.config.source and project.config.source.name != CONFIG_FILE:
        output.info(f"settings are read from {project.display(project.config.source)}")
    output.info("next: `plancycle feature new NAME` creates a feature with its spec")
