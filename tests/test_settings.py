"""Every setting changes what a user sees, on every path that reads it: the hook, bump,
history, log, sync, status, feature creation. One test per setting, real git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PLAN, commit, edit, fields, git, plan_and_commit, run_cli


def _configure(repo: Path, text: str) -> None:
    (repo / ".plancycle.toml").write_text(text)


def test_changelog_heading(repo: Path) -> None:
    _configure(repo, 'changelog_heading = "History"\n')
    plan_and_commit(repo)
    plan = repo / PLAN
    text = plan.read_text().replace("## Change Log", "## History")
    plan.write_text(text)
    commit(repo, "-am", "Rename the table's heading")
    edit(plan, "## Risks\n", "## Risks\n\nA risk.\n")
    commit(repo, "-am", "Risk")
    rows = plan.read_text().split("## History", 1)[1]
    assert "| 0.1.1 |" in rows and "Updated: Risks" in rows  # renaming the table's heading changed no content
    events = json.loads(run_cli("history", PLAN, "--json", cwd=repo).out)["revisions"]
    assert all("History" not in e["changes"] for e in events), events
    assert "in step with history" in run_cli("changelog", "sync", "--check", cwd=repo).out


def test_changelog_order_newest_first(repo: Path) -> None:
    _configure(repo, 'changelog_order = "newest-first"\n')
    plan_and_commit(repo)
    edit(repo / PLAN, "## Risks\n", "## Risks\n\nA risk.\n")
    commit(repo, "-am", "Risk")
    table = (repo / PLAN).read_text().split("## Change Log", 1)[1]
    assert table.index("| 0.1.1 |") < table.index("| 0.1.0 |")
    assert "in step with history" in run_cli("changelog", "sync", "--check", cwd=repo).out


def test_managed(repo: Path) -> None:
    _configure(repo, 'managed = ["*/plan.md"]\n')
    plan_and_commit(repo)
    spec = repo / "specs/042-auth/spec.md"
    edit(spec, "## ", "## Extra\n\nMore.\n\n## ")
    edit(repo / PLAN, "## Risks\n", "## Risks\n\nA risk.\n")
    commit(repo, "-am", "Both")
    assert fields(repo, path="specs/042-auth/spec.md")["version"] == "0.1.0"  # not managed: untouched
    assert fields(repo)["version"] == "0.1.1"
    documents = {e["document"] for e in json.loads(run_cli("log", "042-auth", "--json", cwd=repo).out)["revisions"]}
    assert documents == {PLAN}


@pytest.mark.parametrize(
    ("setting", "change", "expected"),
    [
        ('bump_on_wording = "minor"', ("## Risks\n", "## Risks\n\nA risk.\n"), "0.2.0"),
        ('bump_on_structure = "major"', ("## Open Questions\n", "## Goals\n\nShip.\n\n## Open Questions\n"), "1.0.0"),
        ('bump_on_wording = "none"', ("## Risks\n", "## Risks\n\nA risk.\n"), "0.1.0"),
    ],
)
def test_bump_levels(repo: Path, setting: str, change: tuple[str, str], expected: str) -> None:
    _configure(repo, setting + "\n")
    plan_and_commit(repo)
    edit(repo / PLAN, *change)
    commit(repo, "-am", "Change")
    assert fields(repo)["version"] == expected


def test_approved_status_and_bump_on_approval(repo: Path) -> None:
    _configure(repo, 'approved_status = "signed-off"\nbump_on_approval = "minor"\nbump_on_status = "patch"\n')
    plan_and_commit(repo)
    edit(repo / PLAN, "status: draft", "status: approved")  # not the approved status here: a plain move
    commit(repo, "-am", "Approved, in other words")
    assert fields(repo)["version"] == "0.1.1"
    edit(repo / PLAN, "status: approved", "status: signed-off")
    commit(repo, "-am", "Signed off")
    assert fields(repo)["version"] == "0.2.0"


def test_status_moves_can_bump_nothing(repo: Path) -> None:
    _configure(repo, 'bump_on_status = "none"\n')
    plan_and_commit(repo)
    edit(repo / PLAN, "status: draft", "status: review")
    commit(repo, "-am", "To review")
    assert fields(repo)["version"] == "0.1.0"


def test_branch_prefix(repo: Path) -> None:
    _configure(repo, 'branch_prefix = "feature/"\n')
    commit(repo, "--allow-empty", "-m", "start")
    run_cli("feature", "new", "auth", "--branch", cwd=repo)
    assert git(repo, "branch", "--show-current").strip() == "feature/001-auth"


def test_spec_template(repo: Path) -> None:
    _configure(repo, 'spec_template = "brief"\n')
    folder = repo / ".plancycle/templates"
    folder.mkdir(parents=True)
    (folder / "brief.md.j2").write_text(
        "---\ntitle: {{ title | yaml }}\nstatus: {{ status }}\nversion: {{ version }}\n---\n\n# Brief: {{ title }}\n"
    )
    run_cli("feature", "new", "auth", "--title", "Auth", cwd=repo)
    assert (repo / "specs/001-auth/spec.md").read_text().endswith("# Brief: Auth\n")
