"""`plancycle templates …`: which templates exist and where each comes from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plancycle.cli import output

if TYPE_CHECKING:
    from plancycle.project.templates import TemplateInfo

app = typer.Typer(help="Show the document templates.", no_args_is_help=True)


@app.command("list")
def list_(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List every template, and whether it is shipped or your override."""
    from plancycle.config import load_config
    from plancycle.git import find_repo_root
    from plancycle.project.templates import Templates

    cwd = Path.cwd()
    config = load_config(cwd, find_repo_root(cwd))
    found = Templates(config.templates_path).all()
    if json_:
        output.print_json(
            {
                "templates": [
                    {
                        "name": t.name,
                        "kind": t.kind,
                        "origin": t.origin,
                        "overrides_shipped": t.overrides_shipped,
                        "path": str(t.path),
                        "description": t.description,
                    }
                    for t in found
                ]
            }
        )
        return

    def origin(t: TemplateInfo) -> str:
        if t.origin == "shipped":
            return "shipped"
        label = "user, replaces shipped" if t.overrides_shipped else "user"
        return f"{label}: {_shown(t.path, cwd)}"

    rows = [(t.name, t.kind, origin(t), t.description) for t in found]
    output.print_table("Templates", ["name", "kind", "origin", "description"], rows, wrap=("description",))


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)
