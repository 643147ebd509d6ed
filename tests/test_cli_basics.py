"""Start-up, help, version, the demo, and the rule that the core stays a library."""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

import plancycle

COMMANDS = [
    [],
    ["feature"],
    ["feature", "new"],
    ["plan"],
    ["plan", "new"],
    ["templates"],
    ["templates", "list"],
    ["status"],
    ["init"],
    ["demo"],
    ["hooks"],
    ["hooks", "install"],
    ["hooks", "uninstall"],
    ["hooks", "status"],
    ["bump"],
    ["tasks"],
    ["tasks", "derive"],
    ["tasks", "preview"],
    ["tasks", "list"],
    ["tasks", "done"],
    ["tasks", "reopen"],
    ["changelog"],
    ["changelog", "sync"],
    ["history"],
    ["log"],
    ["hook"],
]


def _modules(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    marker = [line for line in out.stdout.splitlines() if line.startswith("MODULES:")]
    return set(marker[-1][len("MODULES:") :].split(","))


def test_core_imports_neither_typer_nor_rich() -> None:
    core = [
        m.name
        for m in pkgutil.walk_packages(plancycle.__path__, "plancycle.")
        if m.name.split(".")[1] not in ("cli", "__main__")
    ]
    assert len(core) > 5
    loaded = _modules(
        "import sys\n"
        + "".join(f"import {name}\n" for name in core)
        + "from plancycle.project.project import Project\n"
        + "print('MODULES:' + ','.join(sys.modules))"
    )
    assert not {m for m in loaded if m.split(".")[0] in ("typer", "rich", "click")}


def test_help_imports_neither_gitpython_nor_jinja2() -> None:
    loaded = _modules(
        "import sys\n"
        "sys.argv = ['plancycle', '--help']\n"
        "from plancycle.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES:' + ','.join(sys.modules))"
    )
    assert "plancycle.cli.main" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("git", "jinja2", "frontmatter", "yaml")}


def test_a_command_loads_only_its_own_command_module(repo: Path) -> None:
    # Building every command's parser costs more than a cached sync's whole work.
    loaded = _modules(
        "import os, sys\n"
        f"os.chdir({str(repo)!r})\n"
        "sys.argv = ['plancycle', 'changelog', 'sync', '--check']\n"
        "from plancycle.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES:' + ','.join(sys.modules))"
    )
    commands = {m for m in loaded if m.startswith("plancycle.cli.")}
    assert "plancycle.cli.changelog" in commands
    assert not commands & {"plancycle.cli.feature", "plancycle.cli.adr", "plancycle.cli.hooks", "plancycle.cli.demo"}


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "root")
def test_help_everywhere(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(*args, "--help", cwd=tmp_path)
    assert "Usage:" in result.out


def test_version(tmp_path: Path) -> None:
    assert run_cli("--version", cwd=tmp_path).out.strip() == f"plancycle {plancycle.__version__}"


def test_completion_is_offered(tmp_path: Path) -> None:
    assert "--install-completion" in run_cli("--help", cwd=tmp_path).out


def test_demo_runs_anywhere_and_shows_the_hook_at_work(tmp_path: Path) -> None:
    hooks = tmp_path / "shared-hooks"
    hooks.mkdir()
    global_config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    global_config.write_text(global_config.read_text() + f"[core]\n\thooksPath = {hooks}\n")
    result = run_cli("demo", cwd=tmp_path)
    assert "042-auth" in result.out and "043-billing" in result.out and "044-search" in result.out
    assert "the hook made it 0.2.0" in result.out
    assert "| 0.2.0 |" in result.out and "Added: Rate Limiting" in result.out
    # The plan's history, read after the demo's two commits: both revisions.
    assert re.search(r"^0\.1\.0\t.*\tCreated$", result.out, re.M), result.out
    assert re.search(r"^0\.2\.0\t.*\tAdded: Rate Limiting$", result.out, re.M), result.out
    assert "4 added" in result.out
    assert list(hooks.iterdir()) == [], "the demo must not touch a shared hooks folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared-hooks"]


def test_root_that_is_a_file_is_a_clear_error_and_debug_shows_the_traceback(repo: Path) -> None:
    (repo / "specs").write_text("a file where a folder should be")
    result = run_cli("feature", "new", "auth", cwd=repo, expect=2)
    assert "specs is a file" in result.err and result.err.count("\n") == 1
    debug = run_cli("--debug", "feature", "new", "auth", cwd=repo, expect=None)
    assert debug.code != 0 and "Traceback" in debug.err


def test_deferred_rich_modules_still_work_when_used() -> None:
    """`--help` does without rich.markdown and rich.traceback; code that uses them gets the real ones."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import plancycle.cli.main\n"
        "assert type(sys.modules['rich.traceback']).__name__ == '_Deferred'\n"
        "assert 'markdown_it' not in sys.modules and 'pygments.lexers' not in sys.modules\n"
        "from rich.console import Console\n"
        "from rich.markdown import Markdown\n"
        "import typer.rich_utils as r\n"
        "console = Console(file=open('/dev/null', 'w'))\n"
        "console.print(Markdown('# Title'))\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError as exc:\n"
        "    print(type(r.Traceback.from_exception(type(exc), exc, exc.__traceback__)).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "Traceback"
