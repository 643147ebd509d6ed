"""Ordinary situations that once lost work or ended in "internal error": concurrent feature
creation, awkward titles, markup in headings, a root outside the repository, huge summaries.
The real CLI in real repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import PLAN, commit, edit, git, run_cli, table


def _spawn(repo: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "plancycle", *args], cwd=repo, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_concurrent_feature_new_get_different_numbers(repo: Path) -> None:
    for attempt in range(3):
        names = [f"alpha{attempt}", f"beta{attempt}", f"gamma{attempt}"]
        procs = [_spawn(repo, "feature", "new", name) for name in names]
        outcomes = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
        assert all(code == 0 for code, _ in outcomes), outcomes
    folders = sorted(p.name for p in (repo / "specs").iterdir())
    numbers = [name.split("-")[0] for name in folders]
    assert len(numbers) == 9 and len(set(numbers)) == 9, folders
    assert not list((repo / ".git" / "plancycle").glob("*.lock"))


def test_concurrent_feature_new_of_the_same_name_one_wins_the_other_is_told(repo: Path) -> None:
    procs = [_spawn(repo, "feature", "new", "same") for _ in range(2)]
    results = sorted((p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs)
    assert results[0][0] == 0
    assert results[1][0] == 4 and "already exists" in results[1][1] and "internal error" not in results[1][1]
    assert [p.name for p in (repo / "specs").iterdir()] == ["001-same"]


def test_a_stale_lock_is_taken_over(repo: Path) -> None:
    lock = repo / ".git" / "plancycle" / "features.lock"
    lock.parent.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock.write_text(f"{dead.pid} {os.uname().nodename}\n")
    run_cli("feature", "new", "auth", cwd=repo)
    assert not lock.exists()


def test_titles_people_really_type(repo: Path) -> None:
    run_cli("feature", "new", "001-a", "--title", "- Login flow", cwd=repo)
    run_cli("plan", "new", "001-a", cwd=repo)
    status = run_cli("status", "--json", cwd=repo).out
    assert '"title": "- Login flow"' in status
    tab = run_cli("feature", "new", "b", "--title", "a\tb", cwd=repo, expect=2)
    assert "control character" in tab.err and tab.err.count("\n") == 1
    assert not (repo / "specs/002-b").exists()


def test_a_second_feature_with_the_same_slug_is_refused_unless_asked(repo: Path) -> None:
    run_cli("feature", "new", "auth", cwd=repo)
    refused = run_cli("feature", "new", "auth", cwd=repo, expect=4)
    assert "already exists (001-auth)" in refused.err
    run_cli("feature", "new", "auth", "--allow-duplicate-slug", cwd=repo)
    assert sorted(p.name for p in (repo / "specs").iterdir()) == ["001-auth", "002-auth"]


def test_suggested_numbers_are_zero_padded(repo: Path) -> None:
    run_cli("feature", "new", "007-auth", cwd=repo)
    taken = run_cli("feature", "new", "007-billing", cwd=repo, expect=4)
    assert "next free one (008)" in taken.err


def test_markup_in_titles_and_headings_is_printed_as_written(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks [/internal] [bold]x[/bold] [\n\nA risk.\n")
    git(planned, "add", PLAN)
    bumped = run_cli("bump", PLAN, cwd=planned)
    assert "Risks [/internal] [bold]x[/bold] [" in bumped.out
    feature = run_cli("feature", "new", "markup", "--title", "[red]not red[/red]", cwd=planned)
    assert feature.code == 0
    assert "[red]not red[/red]" in run_cli("status", cwd=planned).out


def test_a_root_outside_the_repository_is_refused_by_every_command(repo: Path) -> None:
    (repo / ".plancycle.toml").write_text('root = "../elsewhere"\n')
    for args in (["status"], ["feature", "new", "auth"], ["init"], ["tasks", "list"]):
        result = run_cli(*args, cwd=repo, expect=2)
        assert "outside the repository" in result.err and result.err.count("\n") == 1
    assert not (repo.parent / "elsewhere").exists()


def test_init_when_the_root_is_a_file(repo: Path) -> None:
    (repo / "specs").write_text("a file")
    result = run_cli("init", cwd=repo, expect=2)
    assert "specs is a file" in result.err and result.err.count("\n") == 1


def test_config_type_errors_read_well(repo: Path) -> None:
    (repo / ".plancycle.toml").write_text('number_width = "3"\n')
    assert "must be an integer" in run_cli("status", cwd=repo, expect=2).err


def test_a_huge_change_keeps_the_summary_cell_short(planned: Path) -> None:
    headings = "".join(f"## Added {n}\n\ntext\n\n" for n in range(2000))
    edit(planned / PLAN, "## Open Questions\n", headings + "## Open Questions\n")
    commit(planned, "-am", "Many sections")
    cell = table(planned)[-1]["Changes"]
    assert "… and 1992 more" in cell and len(cell) < 400


def test_the_demo_says_its_folder_goes_away(tmp_path: Path) -> None:
    out = run_cli("demo", cwd=tmp_path).out
    assert "removed at the end; --keep keeps it" in out


def test_usage_errors_are_one_line(repo: Path) -> None:
    for args in (["feature", "new"], ["status", "--bogus"], ["tasks", "derive"]):
        result = run_cli(*args, cwd=repo, expect=2)
        assert result.err.count("\n") == 1 and result.err.startswith("plancycle: error: "), result.err
        assert "--help" in result.err


def test_a_list_as_status_is_refused_not_written_as_a_python_list(planned: Path) -> None:
    edit(planned / PLAN, "status: draft", "status: [draft, review]")
    result = commit(planned, "-am", "two statuses", expect=1)
    assert "must be one word" in result.stderr
    assert "['draft'" not in (planned / PLAN).read_text()


def test_preview_of_a_plan_without_a_section_says_so(repo: Path) -> None:
    plan = repo / "plan.md"
    plan.write_text("# A plan\n\nNo implementation section here.\n")
    out = run_cli("tasks", "preview", str(plan), cwd=repo).out
    assert "section: (none found)" in out and "None" not in out


def test_paths_outside_the_repository_are_refused_alike(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\nversion: 0.1.0\n---\n")
    for args in (["changelog", "sync", str(outside)], ["history", str(outside)], ["bump", str(outside)]):
        result = run_cli(*args, cwd=repo, expect=2)
        assert "is not inside the repository" in result.err and result.err.count("\n") == 1


def test_piped_tables_survive_tabs_and_line_breaks_in_titles(repo: Path) -> None:
    import csv

    run_cli("feature", "new", "auth", cwd=repo)
    spec = repo / "specs/001-auth/spec.md"
    text = spec.read_text()
    spec.write_text(text.replace("title: Auth", 'title: "Log\\tin\\nand out"', 1))
    rows = list(csv.reader(run_cli("status", cwd=repo).out.splitlines(keepends=True), dialect="excel-tab"))
    assert rows[0][:2] == ["feature", "title"]
    assert len(rows) == 2 and rows[1][1] == "Log\tin\nand out"


def test_history_of_a_folder_says_what_to_give(repo: Path) -> None:
    run_cli("feature", "new", "auth", cwd=repo)
    result = run_cli("history", "specs", cwd=repo, expect=2)
    assert "is a folder" in result.err and "plancycle log FEATURE" in result.err
