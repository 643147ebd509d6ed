"""The pre-commit hook through real `git commit` in real repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import AUTHOR, PLAN, commit, edit, fields, git, run_cli, table


def test_first_commit_of_a_template_changes_nothing(planned: Path) -> None:
    assert fields(planned)["version"] == "0.1.0"
    assert [r["Version"] for r in table(planned)] == ["0.1.0"]
    assert git(planned, "status", "--porcelain") == ""


def test_body_edit_is_a_patch_bump_with_one_row(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "[Two or three sentences: the approach in plain words and why it fits the spec.]", "Sessions in Redis.")
    git(planned, "add", PLAN)
    out = commit(planned, "-m", "Summary")
    meta = fields(planned)
    assert meta["version"] == "0.1.1"
    assert str(meta["updated"]) == "2026-02-01" and str(meta["created"]) == "2026-01-15"
    rows = table(planned)
    assert [r["Version"] for r in rows] == ["0.1.0", "0.1.1"]
    assert rows[-1] == {"Version": "0.1.1", "Date": "2026-02-01", "Author": AUTHOR, "Changes": "Updated: Summary"}
    assert "0.1.0 → 0.1.1 (patch)" in out.stderr
    assert git(planned, "status", "--porcelain") == ""
    assert plan.read_bytes() == git(planned, "show", f"HEAD:{PLAN}").encode()


def test_new_section_is_a_minor_bump(planned: Path) -> None:
    edit(planned / PLAN, "## Testing\n", "## Rate Limiting\n\nA token bucket per client.\n\n## Testing\n")
    git(planned, "add", PLAN)
    commit(planned, "-m", "Rate limits")
    assert fields(planned)["version"] == "0.2.0"
    assert table(planned)[-1]["Changes"] == "Added: Rate Limiting"


def test_added_list_item_is_a_minor_bump(planned: Path) -> None:
    edit(
        planned / "specs/042-auth/spec.md",
        "- [Outcome a user can observe when this ships]\n",
        "- [Outcome a user can observe when this ships]\n- Fewer logins\n",
    )
    git(planned, "add", "-A")
    commit(planned, "-m", "Goal")
    assert fields(planned, path="specs/042-auth/spec.md")["version"] == "0.2.0"


def test_approval_is_a_major_bump_and_reapproval_the_next_major(planned: Path) -> None:
    edit(planned / PLAN, "status: draft", "status: approved")
    commit(planned, "-am", "Approve")
    assert fields(planned)["version"] == "1.0.0"
    assert table(planned)[-1]["Changes"] == "Status: draft → approved"
    edit(planned / PLAN, "status: approved", "status: review")
    commit(planned, "-am", "Back to review")
    assert fields(planned)["version"] == "1.1.0"  # any other status move is minor (bump_on_status)
    assert table(planned)[-1]["Changes"] == "Status: approved → review"
    edit(planned / PLAN, "status: review", "status: approved")
    commit(planned, "-am", "Approve again")
    assert fields(planned)["version"] == "2.0.0"


def test_owned_fields_only_commit_bumps_nothing(planned: Path) -> None:
    edit(planned / PLAN, "updated: 2026-01-15", "updated: 2026-01-20")
    commit(planned, "-am", "Touch")
    meta = fields(planned)
    assert meta["version"] == "0.1.0" and str(meta["updated"]) == "2026-01-20"
    assert len(table(planned)) == 1


def test_partial_staging_keeps_the_unstaged_edit(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "[Two or three sentences: the approach in plain words and why it fits the spec.]", "Staged summary.")
    edit(plan, "- **Unit**: [focus and coverage target]", "- **Unit**: unstaged edit")
    diff = git(planned, "diff", "-U0", PLAN)
    header, *hunks = diff.split("\n@@")
    patch = header + "\n@@" + hunks[0] + "\n"  # only the first hunk: the summary edit
    subprocess.run(["git", "apply", "--cached", "--unidiff-zero", "-"], cwd=planned, input=patch, text=True, check=True)
    assert "Staged summary." in git(planned, "diff", "--cached")
    commit(planned, "-m", "Partial")
    committed = git(planned, "show", f"HEAD:{PLAN}")
    assert "Staged summary." in committed and "unstaged edit" not in committed
    assert fields(planned)["version"] == "0.1.1"
    working = plan.read_text()
    assert "unstaged edit" in working and "version: 0.1.1" in working and "| 0.1.1 |" in working
    after = git(planned, "diff", PLAN)
    changed = [
        line for line in after.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-- **Unit**: [focus and coverage target]", "+- **Unit**: unstaged edit"]
    assert git(planned, "diff", "--cached") == ""


def test_commit_all_and_commit_path(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    commit(planned, "-am", "All")
    assert fields(planned)["version"] == "0.1.1"
    assert git(planned, "status", "--porcelain") == ""
    edit(planned / PLAN, "One more risk.", "One more risk, reworded.")
    commit(planned, PLAN, "-m", "Path")
    assert fields(planned)["version"] == "0.1.2"
    assert git(planned, "status", "--porcelain") == "", "the real index must hold the stamped blob too"
    assert (planned / PLAN).read_bytes() == git(planned, "show", f"HEAD:{PLAN}").encode()


def test_amend_does_not_bump_twice(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    commit(planned, "-am", "Risk")
    assert fields(planned)["version"] == "0.1.1"
    commit(planned, "--amend", "-m", "Risk, amended")
    assert fields(planned)["version"] == "0.1.1"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.1.1"]
    edit(planned / PLAN, "One more risk.", "One more risk, better worded.")
    commit(planned, "-a", "--amend", "--no-edit")
    assert fields(planned)["version"] == "0.1.1"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.1.1"]
    assert git(planned, "status", "--porcelain") == ""


def test_running_the_hook_twice_changes_nothing_the_second_time(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    git(planned, "add", PLAN)
    run_cli("hook", "pre-commit", cwd=planned)
    once = (git(planned, "ls-files", "-s", PLAN), (planned / PLAN).read_bytes())
    run_cli("hook", "pre-commit", cwd=planned)
    assert (git(planned, "ls-files", "-s", PLAN), (planned / PLAN).read_bytes()) == once
    assert "version: 0.1.1" in (planned / PLAN).read_text()


def test_user_raised_version_is_respected(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    edit(planned / PLAN, "version: 0.1.0", "version: 0.5.0")
    commit(planned, "-am", "Jump")
    assert fields(planned)["version"] == "0.5.0"
    assert table(planned)[-1]["Version"] == "0.5.0"


def test_bump_override_from_the_environment(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    commit(planned, "-am", "Major", env={"PLANCYCLE_BUMP": "major"})
    assert fields(planned)["version"] == "1.0.0"
    edit(planned / PLAN, "One more risk.", "Two more risks.")
    commit(planned, "-am", "Quiet", env={"PLANCYCLE_BUMP": "none"})
    assert fields(planned)["version"] == "1.0.0"
    result = commit(planned, "-am", "Bad", env={"PLANCYCLE_BUMP": "huge"}, expect=1)
    assert "PLANCYCLE_BUMP='huge'" in result.stderr


def test_bump_command_then_commit_keeps_it(planned: Path) -> None:
    run_cli("bump", PLAN, "--minor", cwd=planned)
    assert "version: 0.2.0" in (planned / PLAN).read_text()
    commit(planned, "-am", "Bumped")
    assert fields(planned)["version"] == "0.2.0"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.2.0"]
    assert table(planned)[-1]["Changes"] == "Version bumped (minor)"
    assert "no change" in run_cli("bump", PLAN, cwd=planned).out


def test_broken_frontmatter_stops_the_commit_and_changes_nothing(planned: Path) -> None:
    spec = planned / "specs/042-auth/spec.md"
    edit(spec, "status: draft", "status: [draft")
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    git(planned, "add", "-A")
    index_before = git(planned, "ls-files", "-s")
    files_before = (spec.read_bytes(), (planned / PLAN).read_bytes())
    result = commit(planned, "-m", "Broken", expect=1)  # git reports any hook failure as 1
    line = [line for line in result.stderr.splitlines() if line.startswith("plancycle")]
    assert len(line) == 1 and "specs/042-auth/spec.md:5:" in line[0] and "--no-verify" in line[0]
    assert git(planned, "ls-files", "-s") == index_before
    assert (spec.read_bytes(), (planned / PLAN).read_bytes()) == files_before
    commit(planned, "--no-verify", "-m", "Anyway")


def test_crlf_document_stays_crlf(planned: Path) -> None:
    plan = planned / PLAN
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    commit(planned, "-am", "CRLF", env={"PLANCYCLE_BUMP": "none"})
    edit(plan, "## Risks\r\n", "## Risks\r\n\r\nOne more risk.\r\n")
    commit(planned, "-am", "Edit")
    data = subprocess.run(["git", "show", f"HEAD:{PLAN}"], cwd=planned, capture_output=True, check=True).stdout
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b"version: 0.1.1\r\n" in data and b"| 0.1.1 | 2026-02-01 |" in data
    assert git(planned, "status", "--porcelain") == ""


def test_renamed_document_bumps_from_its_old_version(planned: Path) -> None:
    git(planned, "mv", PLAN, "specs/042-auth/design.md")
    edit(planned / "specs/042-auth/design.md", "## Risks\n", "## Risks\n\nOne more risk.\n")
    git(planned, "add", "-A")
    commit(planned, "-m", "Rename")
    meta = fields(planned, path="specs/042-auth/design.md")
    assert meta["version"] == "0.1.1"
    assert [r["Version"] for r in table(planned, path="specs/042-auth/design.md")] == ["0.1.0", "0.1.1"]


def test_conflicted_merge_bumps_once_from_the_higher_parent(planned: Path) -> None:
    git(planned, "checkout", "-q", "-b", "topic")
    for n in range(3):
        edit(planned / PLAN, "## Risks\n", f"## Risks\n\nTopic risk {n}.\n")
        commit(planned, "-am", f"topic {n}")
    assert fields(planned)["version"] == "0.1.3"
    git(planned, "checkout", "-q", "main")
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nMain risk.\n")
    commit(planned, "-am", "main")
    assert fields(planned)["version"] == "0.1.1"
    proc = subprocess.run(["git", "merge", "topic"], cwd=planned, capture_output=True, text=True)
    assert proc.returncode != 0
    text = (planned / PLAN).read_text()
    import re

    resolved = re.sub(r"<<<<<<< HEAD\n(.*?)=======\n(.*?)>>>>>>> topic\n", r"\2", text, flags=re.S)
    (planned / PLAN).write_text(resolved)
    git(planned, "add", PLAN)
    commit(planned, "--no-edit")
    assert len(git(planned, "log", "-1", "--format=%P").split()) == 2
    assert fields(planned)["version"] == "0.1.4"


def test_existing_hook_is_chained_and_restored(repo: Path) -> None:
    hook = repo / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho user-hook-ran >&2\nexit ${FAIL:-0}\n")
    hook.chmod(0o755)
    original = hook.read_bytes()
    run_cli("hooks", "install", cwd=repo)
    assert (repo / ".git/hooks/pre-commit.plancycle-chained").read_bytes() == original
    again = run_cli("hooks", "install", cwd=repo)
    assert "already installed" in again.out
    run_cli("feature", "new", "042-auth", cwd=repo)
    git(repo, "add", "-A")
    assert "user-hook-ran" in commit(repo, "-m", "one").stderr
    edit(repo / "specs/042-auth/spec.md", "## Goals\n", "## Goals\n\nMore.\n")
    git(repo, "add", "-A")
    failed = commit(repo, "-m", "two", env={"FAIL": "1"}, expect=1)
    assert "user-hook-ran" in failed.stderr
    assert "version: 0.1.0" in (repo / "specs/042-auth/spec.md").read_text()
    status = run_cli("hooks", "status", "--json", cwd=repo).out
    assert '"state": "installed"' in status and "plancycle-chained" in status
    run_cli("hooks", "uninstall", cwd=repo)
    assert hook.read_bytes() == original
    assert not (repo / ".git/hooks/pre-commit.plancycle-chained").exists()


def test_core_hooks_path_is_honoured(repo: Path) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    result = run_cli("hooks", "install", cwd=repo)
    assert (repo / ".githooks/pre-commit").is_file()
    assert str(repo / ".githooks") in result.out
    _stamp_cycle(repo)


def test_worktree_uses_the_shared_hooks(repo: Path, tmp_path: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "root")
    run_cli("hooks", "install", cwd=repo)
    other = tmp_path / "other"
    git(repo, "worktree", "add", "-q", str(other))
    assert "installed" in run_cli("hooks", "status", cwd=other).out
    assert "outside" not in run_cli("hooks", "install", cwd=other).err
    _stamp_cycle(other)


def _stamp_cycle(repo: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    git(repo, "add", "specs")
    commit(repo, "-m", "spec")
    edit(repo / "specs/042-auth/spec.md", "## Goals\n", "## Goals\n\nMore.\n")
    commit(repo, "-am", "goal")
    assert "version: 0.1.1" in git(repo, "show", "HEAD:specs/042-auth/spec.md")


def test_shim_lets_the_commit_through_without_plancycle(repo: Path) -> None:
    run_cli("hooks", "install", cwd=repo)
    shim = repo / ".git/hooks/pre-commit"
    shim.write_text(shim.read_text().replace("PLANCYCLE_PYTHON='", "PLANCYCLE_PYTHON='/nonexistent"))
    proc = commit(repo, "--allow-empty", "-m", "x", env={"PATH": "/usr/bin:/bin"})
    assert "plancycle: not installed" in proc.stderr


def test_missing_change_log_is_created_at_the_end(planned: Path) -> None:
    plan = planned / PLAN
    text = plan.read_text()
    plan.write_text(text[: text.index("## Change Log")].rstrip("\n") + "\n")
    commit(planned, "-am", "Drop the table", env={"PLANCYCLE_BUMP": "none"})
    edit(plan, "## Risks\n", "## Risks\n\nOne more risk.\n")
    commit(planned, "-am", "Edit")
    committed = git(planned, "show", f"HEAD:{PLAN}")
    assert committed.endswith(
        "## Change Log\n\n| Version | Date | Author | Changes |\n|---------|------|--------|---------|\n"
        f"| 0.1.1 | 2026-02-01 | {AUTHOR} | Updated: Risks |\n"
    )


def test_unreadable_change_log_table_is_never_fixed_silently(planned: Path) -> None:
    plan = planned / PLAN
    edit(plan, "|---------|------|--------|---------|\n", "")
    edit(plan, "## Risks\n", "## Risks\n\nOne more risk.\n")
    before = plan.read_bytes()
    result = commit(planned, "-am", "Broken table", expect=1)
    assert "Change Log section has '|' lines that do not form a markdown table" in result.stderr
    assert plan.read_bytes() == before and "version: 0.1.0" in git(planned, "show", f"HEAD:{PLAN}")


def test_document_without_plancycle_frontmatter_is_left_alone(planned: Path) -> None:
    readme = planned / "specs/README.md"
    readme.write_text("# Index\n\nNo frontmatter here.\n")
    notes = planned / "specs/042-auth/notes.md"
    notes.write_text("---\ntitle: just a title\n---\nnotes\n")
    git(planned, "add", "-A")
    commit(planned, "-m", "Docs")
    assert git(planned, "show", "HEAD:specs/README.md") == "# Index\n\nNo frontmatter here.\n"
    assert git(planned, "show", "HEAD:specs/042-auth/notes.md") == "---\ntitle: just a title\n---\nnotes\n"


def test_rebase_reword_does_not_bump_again(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    commit(planned, "-am", "Risk")
    commit(planned, "--allow-empty", "-m", "Later")
    env = {
        "GIT_SEQUENCE_EDITOR": "sed -i 's/^pick \\(.*\\) Risk$/reword \\1 Risk/'",
        "GIT_EDITOR": "sed -i 's/^Risk$/Risk, reworded/'",
    }
    proc = subprocess.run(
        ["git", "rebase", "-q", "-i", "HEAD~2"], cwd=planned, capture_output=True, text=True, env={**os.environ, **env}
    )
    assert proc.returncode == 0, proc.stderr
    assert git(planned, "log", "-1", "--format=%s", "HEAD~1").strip() == "Risk, reworded"
    assert fields(planned, "HEAD~1")["version"] == "0.1.1"
    assert [r["Version"] for r in table(planned)] == ["0.1.0", "0.1.1"]


def test_hook_on_plain_documents_imports_no_yaml_or_markdown_parser(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    git(planned, "add", PLAN)
    code = (
        "import sys\nfrom pathlib import Path\nfrom plancycle.hook.precommit import run_pre_commit\n"
        "report = run_pre_commit(Path.cwd(), amend=False)\n"
        "print(len(report.stamped), *sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=planned, capture_output=True, text=True, check=True).stdout
    stamped, *modules = out.split()
    assert stamped == "1"
    assert not {"yaml", "frontmatter", "markdown_it", "typer", "rich", "jinja2", "git"} & set(modules)


def test_many_documents_in_one_commit(planned: Path) -> None:
    for n in range(1, 26):
        doc = planned / f"specs/042-auth/adr/{n:03d}-decision.md"
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(f"---\ntitle: Decision {n}\nstatus: proposed\nversion: 0.1.0\n---\n\n# Decision {n}\n")
    git(planned, "add", "-A")
    commit(planned, "-m", "Twenty-five decisions")
    assert git(planned, "status", "--porcelain") == ""
    for n in (1, 25):
        text = git(planned, "show", f"HEAD:specs/042-auth/adr/{n:03d}-decision.md")
        assert "updated: 2026-02-01" in text and f"| 0.1.0 | 2026-02-01 | {AUTHOR} | Created |" in text


def test_rows_the_hook_writes_agree_with_history_after_amend_and_rebase(planned: Path) -> None:
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nOne more risk.\n")
    commit(planned, "-am", "Risk", date="2026-02-01T10:00:00+00:00")
    env = {k: v for k, v in os.environ.items() if k != "GIT_AUTHOR_DATE"}  # amend keeps the author date
    env["GIT_COMMITTER_DATE"] = "2026-02-03T10:00:00+00:00"
    subprocess.run(["git", "commit", "-q", "-a", "--amend", "--no-edit"], cwd=planned, env=env, check=True)
    assert table(planned)[-1]["Date"] == "2026-02-01"
    assert "in step with history" in run_cli("changelog", "sync", "--check", cwd=planned).out
    env["GIT_COMMITTER_DATE"] = "2026-02-05T10:00:00+00:00"
    subprocess.run(
        ["git", "rebase", "-q", "--force-rebase", "HEAD~1"], cwd=planned, env=env, check=True, capture_output=True
    )
    assert git(planned, "log", "-1", "--format=%cs").strip() == "2026-02-05"
    assert "in step with history" in run_cli("changelog", "sync", "--check", cwd=planned).out


def test_installing_into_a_shared_hooks_folder_warns(repo: Path, tmp_path: Path) -> None:
    shared = tmp_path / "global-hooks"
    git(repo, "config", "core.hooksPath", str(shared))
    result = run_cli("hooks", "install", cwd=repo)
    assert (shared / "pre-commit").is_file()
    assert "outside this repository" in result.err


def test_the_first_commit_dates_the_templates_row(repo: Path) -> None:
    """A document made one day and committed another: its first row says when it was committed."""
    run_cli("hooks", "install", cwd=repo)
    run_cli("feature", "new", "042-auth", cwd=repo)  # rendered on 2026-01-15
    spec = repo / "specs/042-auth/spec.md"
    assert "| 0.1.0 | 2026-01-15 | Ada Lovelace |" in spec.read_text()
    git(repo, "add", "-A")
    commit(repo, "-m", "Spec", env={"GIT_AUTHOR_NAME": "Grace Hopper"})  # on 2026-02-01
    text = git(repo, "show", "HEAD:specs/042-auth/spec.md")
    assert "| 0.1.0 | 2026-02-01 | Grace Hopper | Created from the `spec` template |" in text
    assert spec.read_text() == text
    run_cli("changelog", "sync", "--check", cwd=repo)
