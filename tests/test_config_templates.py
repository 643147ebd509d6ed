"""Configuration files and template overrides, seen through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import snapshot

from plancycle.config import Config, load_config


def test_defaults_need_no_file(repo: Path) -> None:
    config = load_config(repo, repo)
    assert (config.root, config.number_width, config.default_plan_template) == ("specs", 3, "standard")
    assert config.templates_dir == ".plancycle/templates" and config.source is None


def test_pyproject_table_is_found_from_a_subfolder(repo: Path, cli) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.plancycle]\nroot = "docs/features"\nnumber_width = 4\n'
    )
    (repo / "src").mkdir()
    cli("feature", "new", "auth", cwd=repo / "src")
    assert (repo / "docs/features/0001-auth/spec.md").is_file()


def test_pyproject_without_table_is_skipped(tmp_path: Path, repo: Path) -> None:
    (repo / ".plancycle.toml").write_text('root = "plans"\n')
    (repo / "pkg").mkdir()
    (repo / "pkg/pyproject.toml").write_text('[project]\nname = "pkg"\n')
    config = load_config(repo / "pkg", repo)
    assert config.root == "plans" and config.root_path == repo / "plans"


def test_a_broken_pyproject_that_never_names_plancycle_is_not_ours(repo: Path, cli) -> None:
    # Half-written packaging settings are the project's business; one with our table is ours.
    (repo / "pyproject.toml").write_text('[project]\nname = "x\n')
    cli("feature", "new", "auth")
    assert (repo / "specs/001-auth/spec.md").is_file()
    (repo / "pyproject.toml").write_text('[project]\nname = "x\n[tool.plancycle]\nroot = "docs"\n')
    result = cli("status", expect=2)
    assert "pyproject.toml: invalid TOML" in result.err and result.err.count("\n") == 1


def test_plancycle_toml_sets_default_plan_template(repo: Path, cli) -> None:
    (repo / ".plancycle.toml").write_text('default_plan_template = "compact"\n')
    cli("feature", "new", "042-auth")
    cli("plan", "new", "042-auth")
    assert "`plan-compact`" in (repo / "specs/042-auth/plan.md").read_text()


def test_unknown_key_suggests_the_closest(repo: Path, cli) -> None:
    (repo / ".plancycle.toml").write_text("number_widht = 4\n")
    result = cli("feature", "new", "auth", expect=2)
    assert ".plancycle.toml: unknown setting 'number_widht'; did you mean 'number_width'?" in result.err
    assert snapshot(repo) == {".plancycle.toml": b"number_widht = 4\n"}


def test_wrong_type_and_bad_toml_are_one_line_errors(repo: Path, cli) -> None:
    (repo / ".plancycle.toml").write_text('number_width = "3"\n')
    assert "must be an integer" in cli("status", expect=2).err
    (repo / ".plancycle.toml").write_text("root = \n")
    result = cli("status", expect=2)
    assert "invalid TOML" in result.err and result.err.count("\n") == 1


def test_init_is_idempotent_and_writes_a_config_stub(repo: Path, cli) -> None:
    first = cli("init", "--config")
    assert "created specs" in first.out and "created .plancycle.toml" in first.out
    assert (repo / "specs").is_dir()
    stub = (repo / ".plancycle.toml").read_text()
    assert '# root = "specs"' in stub
    # The stub, every line commented out, must load as the defaults.
    assert load_config(repo, repo) == Config()
    second = cli("init", "--config")
    assert "already exists" in second.out and "created" not in second.out
    assert (repo / ".plancycle.toml").read_text() == stub


def test_templates_list_shows_shipped_and_user_overrides(repo: Path, cli) -> None:
    shipped = json.loads(cli("templates", "list", "--json").out)["templates"]
    names = {t["name"] for t in shipped}
    assert {
        "spec",
        "tasks",
        "adr",
        "plan-standard",
        "plan-fastapi",
        "plan-comprehensive",
        "plan-sdd",
        "plan-compact",
    } <= names
    assert all(t["origin"] == "shipped" and t["description"] for t in shipped)

    folder = repo / ".plancycle/templates"
    folder.mkdir(parents=True)
    (folder / "spec.md.j2").write_text(
        "{# Our house spec. -#}\n---\ntitle: {{ title | yaml }}\nstatus: draft\nversion: 0.1.0\n---\n# House spec for {{ feature }}\n"
    )
    (folder / "plan-lean.md").write_text("---\nstatus: draft\nversion: 0.1.0\nspec: {{ spec }}\n---\n# Lean\n")
    listed = {t["name"]: t for t in json.loads(cli("templates", "list", "--json").out)["templates"]}
    assert listed["spec"]["origin"] == "user" and listed["spec"]["overrides_shipped"]
    assert listed["spec"]["description"] == "Our house spec."
    assert listed["plan-lean"]["origin"] == "user" and not listed["plan-lean"]["overrides_shipped"]
    assert listed["plan-standard"]["origin"] == "shipped"
    assert "plan-lean" in cli("templates", "list").out

    cli("feature", "new", "042-auth")
    assert "# House spec for 042-auth" in (repo / "specs/042-auth/spec.md").read_text()
    cli("plan", "new", "042-auth", "-T", "lean")
    assert "# Lean" in (repo / "specs/042-auth/plan.md").read_text()


def test_broken_user_template_is_reported_with_its_line(repo: Path, cli) -> None:
    folder = repo / ".plancycle/templates"
    folder.mkdir(parents=True)
    (folder / "spec.md.j2").write_text("---\ntitle: x\n---\n\n{% if %}\n")
    result = cli("feature", "new", "auth", expect=2)
    assert "spec.md.j2:5: template syntax error" in result.err
    assert not (repo / "specs").exists()
    (folder / "spec.md.j2").write_text("---\ntitle: [x\n---\n")
    result = cli("feature", "new", "auth", expect=2)
    assert "renders an invalid document" in result.err
    assert not (repo / "specs").exists()
