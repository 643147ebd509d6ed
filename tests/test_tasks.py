"""tasks.md through the real CLI: golden files per plan style, merging, progress, the hook warning."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import commit_all, git, golden, run_cli

SEEDS = Path(__file__).parent / "plans" / "seeds"
TASKS = "specs/042-auth/tasks.md"
PLAN = "specs/042-auth/plan.md"


def feature_with_plan(repo: Path, plan_text: str) -> None:
    run_cli("feature", "new", "042-auth", "--title", "Auth", cwd=repo)
    (repo / PLAN).write_text(plan_text)


@pytest.mark.parametrize("style", ["fastapi", "standard", "comprehensive", "sdd", "compact"])
def test_each_seed_style_derives_the_expected_tasks(repo: Path, style: str) -> None:
    feature_with_plan(repo, (SEEDS / f"{style}.md").read_text())
    result = run_cli("tasks", "derive", "042-auth", cwd=repo)
    assert "wrote specs/042-auth/tasks.md" in result.out
    golden(SEEDS / f"{style}.tasks.md", (repo / TASKS).read_text())
    assert "up to date" in run_cli("tasks", "derive", "042-auth", "--check", cwd=repo).out


MERGE_PLAN = """---
title: Auth
status: draft
version: 0.2.0
---

# Plan

## Implementation Order

### Phase 1: Foundation (Week 1)

- Create the user model
- Add the migration
- Seed test accounts

**Success Criteria**: migrations apply on a copy of production

### Phase 2: Login

- Build the login form
- Hash passwords with argon2
- Lock accounts after five failures
"""


def test_rederive_keeps_progress_notes_and_manual_tasks(repo: Path) -> None:
    feature_with_plan(repo, MERGE_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    run_cli("tasks", "done", "042-auth", "T001", "T004", cwd=repo)
    tasks = repo / TASKS
    text = tasks.read_text()
    text = text.replace(
        "- [x] T004 Build the login form\n",
        "- [x] T004 Build the login form\n  - reviewed with design on Monday\n  - [ ] follow-up: dark mode\n",
    )
    text = text.replace(
        "- [ ] T003 Seed test accounts\n", "- [ ] T003 Seed test accounts\n- [ ] Ask ops for a staging database\n"
    )
    tasks.write_text(text)
    plan = (repo / PLAN).read_text()
    plan = plan.replace("- Hash passwords with argon2\n", "- Hash passwords with argon2id\n")  # reworded
    plan = plan.replace("- Add the migration\n", "")  # an open task dropped
    plan = plan.replace("- Build the login form\n", "")  # a done task dropped
    plan += "\n### Phase 3: Recovery (Week 3)\n\n- Send reset links\n- Expire links after an hour\n"
    (repo / PLAN).write_text(plan)
    assert run_cli("tasks", "derive", "042-auth", "--check", cwd=repo, expect=1).code == 1
    dry = run_cli("tasks", "derive", "042-auth", "--dry-run", cwd=repo).out
    assert "+- [ ] T007 Send reset links" in dry and tasks.read_text() == text
    result = run_cli("tasks", "derive", "042-auth", cwd=repo)
    assert "2 added, 3 kept, 1 reworded, 1 removed, 1 done and kept though removed from the plan" in result.out
    body = tasks.read_text().split("## Phase 1", 1)[1].split("## Change Log", 1)[0]
    assert (
        body
        == """: Foundation

_Timing: Week 1_

**Criteria**:
- migrations apply on a copy of production

- [x] T001 Create the user model
- [ ] T003 Seed test accounts
- [ ] Ask ops for a staging database

## Phase 2: Login

- [x] T004 Build the login form (removed from plan)
  - reviewed with design on Monday
  - [ ] follow-up: dark mode
- [ ] T005 Hash passwords with argon2id
- [ ] T006 Lock accounts after five failures

## Phase 3: Recovery

_Timing: Week 3_

- [ ] T007 Send reset links
- [ ] T008 Expire links after an hour

"""
    )
    assert 'plan_task_ids: "T001,T003,T005-T008"' in tasks.read_text()
    again = run_cli("tasks", "derive", "042-auth", cwd=repo)
    assert "up to date" in again.out
    assert "up to date" in run_cli("tasks", "derive", "042-auth", "--check", cwd=repo).out


def test_rederive_keeps_crlf_and_the_users_preamble(repo: Path) -> None:
    feature_with_plan(repo, MERGE_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    tasks = repo / TASKS
    data = (
        tasks.read_bytes()
        .replace(b"\n", b"\r\n")
        .replace(b"# Tasks: Auth\r\n", b"# Tasks: Auth\r\n\r\nOur own intro.\r\n")
    )
    tasks.write_bytes(data)
    (repo / PLAN).write_text(
        MERGE_PLAN.replace("- Seed test accounts\n", "- Seed test accounts\n- Add an admin account\n")
    )
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    new = tasks.read_bytes()
    assert new.count(b"\n") == new.count(b"\r\n")
    assert b"Our own intro.\r\n" in new and b"- [ ] T007 Add an admin account\r\n" in new


def test_list_done_reopen_and_progress_in_status(repo: Path) -> None:
    feature_with_plan(repo, MERGE_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    run_cli("tasks", "done", "042-auth", "T002", "T005", cwd=repo)
    listed = json.loads(run_cli("tasks", "list", "--json", cwd=repo).out)["tasks"]
    assert [(t["id"], t["done"]) for t in listed] == [
        ("T001", False),
        ("T002", True),
        ("T003", False),
        ("T004", False),
        ("T005", True),
        ("T006", False),
    ]
    assert listed[0] == {
        "feature": "042-auth",
        "id": "T001",
        "text": "Create the user model",
        "done": False,
        "phase": "Phase 1: Foundation",
        "removed_from_plan": False,
    }
    open_ids = [
        t["id"] for t in json.loads(run_cli("tasks", "list", "042-auth", "--open", "--json", cwd=repo).out)["tasks"]
    ]
    assert open_ids == ["T001", "T003", "T004", "T006"]
    run_cli("tasks", "reopen", "042-auth", "T005", cwd=repo)
    status = json.loads(run_cli("status", "--json", cwd=repo).out)["features"][0]
    assert status["progress"] == {"done": 1, "total": 6} and status["stage"] == "tasks"
    missing = run_cli("tasks", "done", "042-auth", "T099", cwd=repo, expect=3)
    assert "no task T099" in missing.err


def test_derive_without_a_section_is_a_clear_error(repo: Path) -> None:
    feature_with_plan(repo, "---\nversion: 0.1.0\n---\n# Plan\n\nJust prose.\n")
    result = run_cli("tasks", "derive", "042-auth", cwd=repo, expect=3)
    assert "no implementation section" in result.err and "tasks_sections" in result.err
    assert not (repo / TASKS).exists()


def test_derive_without_a_plan_is_a_clear_error(repo: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    result = run_cli("tasks", "derive", "042-auth", cwd=repo, expect=3)
    assert "plan.md is missing" in result.err


def test_hook_warns_when_the_plan_section_changes_and_tasks_are_stale(repo: Path) -> None:
    run_cli("hooks", "install", cwd=repo)
    feature_with_plan(repo, MERGE_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    commit_all(repo, "plan and tasks")
    (repo / PLAN).write_text(MERGE_PLAN.replace("- Seed test accounts\n", "- Seed test accounts\n- Add an admin\n"))
    git(repo, "add", PLAN)
    proc = subprocess.run(
        ["git", "commit", "-q", "-m", "more work"], cwd=repo, capture_output=True, text=True, env=os.environ.copy()
    )
    assert proc.returncode == 0
    assert "specs/042-auth/tasks.md is now stale; run `plancycle tasks derive 042-auth`" in proc.stderr
    (repo / PLAN).write_text((repo / PLAN).read_text().replace("# Plan\n", "# Plan\n\nIntro.\n"))
    git(repo, "add", PLAN)
    quiet = subprocess.run(["git", "commit", "-q", "-m", "prose"], cwd=repo, capture_output=True, text=True)
    assert "stale" not in quiet.stderr
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    (repo / PLAN).write_text((repo / PLAN).read_text().replace("- Add an admin\n", "- Add an admin user\n"))
    git(repo, "add", "-A")
    fresh = subprocess.run(["git", "commit", "-q", "-m", "both"], cwd=repo, capture_output=True, text=True)
    assert "stale" in fresh.stderr  # tasks.md staged, but derived from the previous wording
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    (repo / PLAN).write_text((repo / PLAN).read_text().replace("- Add an admin user\n", "- Add an admin account\n"))
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    git(repo, "add", "-A")
    synced = subprocess.run(["git", "commit", "-q", "-m", "synced"], cwd=repo, capture_output=True, text=True)
    assert synced.returncode == 0 and "stale" not in synced.stderr


def test_emptied_plan_section_keeps_what_people_wrote(repo: Path) -> None:
    feature_with_plan(repo, MERGE_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    run_cli("tasks", "done", "042-auth", "T002", cwd=repo)
    tasks = repo / TASKS
    tasks.write_text(
        tasks.read_text().replace(
            "- [ ] T001 Create the user model\n", "- [ ] T001 Create the user model\n- [ ] Call the DBA\n"
        )
    )
    (repo / PLAN).write_text(
        MERGE_PLAN.split("## Implementation Order")[0] + "## Implementation Order\n\nTo be decided.\n"
    )
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    text = tasks.read_text()
    assert "## Not in the plan\n\n- [ ] Call the DBA\n- [x] T002 Add the migration (removed from plan)\n" in text
    assert "T001" not in text.split("## Not in the plan")[1].split("## Change Log")[0]


REWORD_PLAN = """---
version: 0.1.0
---

## Implementation Order

1. Implement POST /login
2. Implement POST /logout
3. Write docs
"""


def test_a_dropped_task_with_notes_is_kept_marked_with_everything_under_it(repo: Path) -> None:
    feature_with_plan(repo, REWORD_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    tasks = repo / TASKS
    text = tasks.read_text()
    people = "  - [ ] clear the cookie too\n  Note: the mobile app calls this twice.\n"
    tasks.write_text(
        text.replace("- [ ] T002 Implement POST /logout\n", f"- [ ] T002 Implement POST /logout\n{people}", 1)
    )
    plan = repo / PLAN
    plan.write_text(
        plan.read_text().replace("2. Implement POST /logout", "2. Implement POST /logout endpoint with cookie clearing")
    )
    result = run_cli("tasks", "derive", "042-auth", cwd=repo)
    assert "1 kept with your notes though removed from the plan (T002" in result.out
    text = tasks.read_text()
    assert f"- [ ] T002 Implement POST /logout (removed from plan)\n{people}" in text
    assert "- [ ] T004 Implement POST /logout endpoint with cookie clearing\n" in text
    assert "up to date" in run_cli("tasks", "derive", "042-auth", cwd=repo).out  # stable
    # An open task nobody wrote on still goes.
    plan.write_text(plan.read_text().replace("3. Write docs\n", ""))
    assert "1 removed" in run_cli("tasks", "derive", "042-auth", cwd=repo).out
    assert "T003" not in tasks.read_text().split("## Change Log")[0]


def test_a_paragraph_between_tasks_keeps_its_blank_lines(repo: Path) -> None:
    feature_with_plan(repo, REWORD_PLAN)
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    tasks = repo / TASKS
    text = tasks.read_text()
    tasks.write_text(
        text.replace(
            "- [ ] T002 Implement POST /logout\n",
            "- [ ] T002 Implement POST /logout\n\nWe agreed to ship logout first.\n\n",
            1,
        )
    )
    plan = repo / PLAN
    plan.write_text(plan.read_text().replace("3. Write docs", "3. Write the docs"))
    run_cli("tasks", "derive", "042-auth", cwd=repo)
    assert (
        "- [ ] T002 Implement POST /logout\n\nWe agreed to ship logout first.\n\n- [ ] T003 Write the docs\n"
        in tasks.read_text()
    )


def test_derive_refuses_a_plan_that_is_only_placeholders(repo: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    run_cli("plan", "new", "042-auth", cwd=repo)  # the template, unfilled
    result = run_cli("tasks", "derive", "042-auth", cwd=repo, expect=2)
    assert "only template placeholders" in result.err and result.err.count("\n") == 1
    assert not (repo / TASKS).exists()
