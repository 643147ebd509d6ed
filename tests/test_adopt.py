"""`plancycle adopt` on repositories laid out the ways teams already plan: a Spec Kit layout,
each seed style's body metadata, an adr-tools folder, MADR records. Each is built as a real
repository with history; adoption is checked as a diff, then as a commit through the hook."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import commit, edit, git, golden, run_cli, snapshot

from plancycle.documents import mirrors
from plancycle.documents.document import Document

SHAPES = Path(__file__).parent / "plans" / "adopt"
ARGS = {"speckit": [], "seeds": [], "adr-tools": ["--move", "project"], "madr": []}
HISTORY = "2025-12-01T10:00:00+00:00"
LATER = "2026-01-15T10:00:00+00:00"


def build(repo: Path, shape: str) -> Path:
    """The shape's files committed the way the team had them (no plancycle yet)."""
    shutil.copytree(SHAPES / shape, repo, dirs_exist_ok=True)
    (repo / "expected.diff").unlink(missing_ok=True)
    git(repo, "add", "-A")
    commit(repo, "-m", "What the team had", date=HISTORY)
    return repo


def managed_docs(repo: Path) -> list[Path]:
    found = []
    for path in sorted((repo / "specs").rglob("*.md")):
        doc = Document.read(path)
        if doc.written("version") is not None:
            found.append(path)
    return found


@pytest.mark.parametrize("shape", sorted(ARGS))
def test_adopt_shows_a_diff_writes_it_and_then_changes_nothing(repo: Path, shape: str) -> None:
    build(repo, shape)
    before = snapshot(repo)
    shown = run_cli("adopt", "--dry-run", *ARGS[shape], cwd=repo)
    golden(SHAPES / f"{shape}.diff", shown.out)
    assert snapshot(repo) == before, "a dry run writes nothing"

    run_cli("adopt", *ARGS[shape], cwd=repo)
    after = snapshot(repo)
    assert after != before
    again = run_cli("adopt", *ARGS[shape], cwd=repo)
    assert "nothing to adopt" in again.out
    assert snapshot(repo) == after, "a second adopt changes nothing"
    assert run_cli("adopt", "--dry-run", cwd=repo).out == ""

    # Adoption only adds frontmatter: every body is as the team wrote it (links aside,
    # where records moved).
    for name, data in before.items():
        if not name.endswith(".md") or name not in after or ARGS[shape]:
            continue
        assert Document.from_bytes(after[name]).body == Document.from_bytes(data).body, name


@pytest.mark.parametrize("shape", sorted(ARGS))
def test_after_adoption_the_hook_bumps_frontmatter_and_body_mirrors_and_history_agrees(repo: Path, shape: str) -> None:
    build(repo, shape)
    run_cli("hooks", "install", cwd=repo)
    run_cli("adopt", *ARGS[shape], cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Adopt the planning documents", date=LATER)
    docs = managed_docs(repo)
    assert docs
    for path in docs:
        doc = Document.read(path)
        rows = [line for line in doc.text.splitlines() if line.startswith(f"| {doc.get('version')} | 2026-01-15 |")]
        assert len(rows) == 1, f"{path.name} has its first row"
        # in place, the hook sees the document it had before; a record moved in from outside
        # the root is new to it
        assert rows[0].endswith("| Created |" if ARGS[shape] and "/adr/" in path.as_posix() else "| Adopted |")
    run_cli("changelog", "sync", "--check", cwd=repo)

    # One more commit that rewords each document: the version moves, and so does every
    # body line that says the version, the status or the day.
    for path in docs:
        text = path.read_text(encoding="utf-8")
        assert "\n## " in text
        path.write_text(re.sub(r"\n## ([^\n]+)\n", r"\n## \1\n\nReworded once.\n", text, count=1), encoding="utf-8")
    git(repo, "add", "-A")
    commit(repo, "-m", "Reword", date="2026-02-02T10:00:00+00:00")
    for path in docs:
        doc = Document.read(path)
        for mirror in mirrors.find(doc.body_lines):
            if mirror.field == "version":
                assert mirror.value == doc.get("version"), f"{path.name}: body says {mirror.text}"
            if mirror.field == "updated":
                assert mirror.text == "2026-02-02", path.name
            if mirror.field == "status":
                assert mirror.value == doc.get("status"), path.name
    run_cli("changelog", "sync", "--check", cwd=repo)


def test_a_seed_two_document_keeps_saying_its_version_in_the_body(repo: Path) -> None:
    build(repo, "seeds")
    run_cli("hooks", "install", cwd=repo)
    run_cli("adopt", cwd=repo)
    plan = repo / "specs/012-billing-export/plan.md"
    doc = Document.read(plan)
    assert (doc.get("version"), doc.get("status")) == ("1.2.0", "approved")
    assert "**Version**: 1.2\n" in doc.text, "the body line is already right: left as written"
    git(repo, "add", "-A")
    commit(repo, "-m", "Adopt", date=LATER)
    edit(plan, "Finance gets a monthly CSV", "Finance gets a monthly CSV file")
    git(repo, "add", "-A")
    commit(repo, "-m", "Reword", date="2026-02-02T10:00:00+00:00")
    text = plan.read_text(encoding="utf-8")
    assert "version: 1.2.1\n" in text and "**Version**: 1.2.1\n" in text
    assert "**Date**: 2025-08-20\n" in text, "the date it was written does not move"


def test_status_on_a_repository_not_adopted_shows_features_and_what_adopt_would_take(repo: Path) -> None:
    build(repo, "speckit")
    shown = run_cli("status", cwd=repo)
    assert "001-offline-notes" in shown.out and "unmanaged" in shown.out
    assert "7 document(s) have no plancycle frontmatter yet" in shown.err
    data = json.loads(run_cli("status", "--json", cwd=repo).out)
    assert [f["stage"] for f in data["features"]] == ["tasks", "tasks", "spec"]
    assert len(data["unmanaged"]) == 7


def test_speckit_tasks_are_adopted_as_written_and_derive_merges_without_renumbering(repo: Path) -> None:
    build(repo, "speckit")
    run_cli("adopt", cwd=repo)
    tasks = repo / "specs/001-offline-notes/tasks.md"
    listed = json.loads(run_cli("tasks", "list", "001", "--json", cwd=repo).out)["tasks"]
    assert [t["id"] for t in listed] == [f"T00{n}" for n in range(1, 9)]
    assert [t["done"] for t in listed] == [True, True, True, False, True, False, False, False]
    run_cli("tasks", "done", "001", "T004", cwd=repo)
    assert "- [x] T004 [P] [US1] Integration test" in tasks.read_text(encoding="utf-8")
    before = Document.read(tasks).body

    run_cli("tasks", "derive", "001", cwd=repo)
    after = Document.read(tasks).body
    # every line the team wrote is still there, in order, with its ID and tick
    old_lines = [line for line in before.splitlines() if line.strip()]
    remaining = iter(after.splitlines())
    assert all(any(line == other for other in remaining) for line in old_lines), "a subsequence, in order"
    derived = [
        t for t in json.loads(run_cli("tasks", "list", "001", "--json", cwd=repo).out)["tasks"] if t["id"] > "T008"
    ]
    assert [t["id"] for t in derived] == [f"T{n:03d}" for n in range(9, 17)]
    assert [t["text"] for t in derived][:2] == [
        "Compare IndexedDB wrappers for bulk writes",
        "Measure storage quotas on mobile browsers",
    ]
    assert derived[5]["done"] is True  # ticked in the plan: "Build the local note store"
    again = run_cli("tasks", "derive", "001", cwd=repo)
    assert Document.read(tasks).body == after, again.out


def test_duplicate_feature_numbers_are_reported_with_the_renumber_command(repo: Path) -> None:
    build(repo, "speckit")
    shown = run_cli("adopt", "--dry-run", cwd=repo)
    assert (
        "feature number 2 is used by 002-shared-folders, 002-tags; run: plancycle feature renumber 002-tags 3"
    ) in shown.err
    moved = run_cli("feature", "renumber", "002-tags", "3", cwd=repo)
    assert "moved specs/002-tags to specs/003-tags" in moved.out
    spec = (repo / "specs/003-tags/spec.md").read_text(encoding="utf-8")
    assert "**Feature Branch**: `003-tags`" in spec
    assert "renumbered_from: '002'" in spec or 'renumbered_from: "002"' in spec
    assert "[shared folders](../002-shared-folders/spec.md)" in spec, "a link out of the folder still works"
    assert not (repo / "specs/002-tags").exists()
    assert "feature number" not in run_cli("adopt", "--dry-run", cwd=repo).err


def test_feature_renumber_rewrites_links_into_the_folder_and_refuses_a_used_number(repo: Path) -> None:
    build(repo, "speckit")
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("Read [the plan](../specs/001-offline-notes/plan.md#summary).\n")
    before = snapshot(repo)
    refused = run_cli("feature", "renumber", "001-offline-notes", "2", cwd=repo, expect=None)
    assert refused.code != 0 and "feature number 2 is already used" in refused.err
    assert snapshot(repo) == before
    run_cli("feature", "renumber", "001-offline-notes", cwd=repo)  # the next free number: 3
    assert (repo / "docs/index.md").read_text() == "Read [the plan](../specs/003-offline-notes/plan.md#summary).\n"
    plan = (repo / "specs/003-offline-notes/plan.md").read_text(encoding="utf-8")
    assert "**Branch**: `003-offline-notes`" in plan and "[spec.md](./spec.md)" in plan
    assert "from `/specs/003-offline-notes/spec.md`" in plan


def test_adr_tools_records_outside_the_root_are_listed_unless_moved(repo: Path) -> None:
    build(repo, "adr-tools")
    shown = run_cli("adopt", "--dry-run", cwd=repo)
    assert "4 decision record(s) outside specs/ (in doc/architecture/decisions/) left as they are" in shown.err
    run_cli("adopt", "--move", "project", cwd=repo)
    records = json.loads(run_cli("adr", "list", "--global", "--json", cwd=repo).out)["decisions"]
    assert [(r["number"], r["status"]) for r in records] == [
        (1, "accepted"),
        (2, "superseded"),
        (3, "accepted"),
        (4, "proposed"),
    ]
    assert records[1]["superseded_by"] == [3] and records[2]["supersedes"] == [2]
    readme = (repo / "README.md").read_text()
    assert "(specs/adr/0003-store-notes-in-sqlite.md)" in readme
    spec = (repo / "specs/001-search/spec.md").read_text()
    assert "(../adr/0003-store-notes-in-sqlite.md)" in spec
    run_cli("adr", "accept", "--global", "4", cwd=repo)
    text = (repo / "specs/adr/0004-sync-over-websockets.md").read_text()
    assert "status: accepted" in text and "## Status\n\nAccepted\n" in text


def test_adopt_refuses_an_unreadable_document_and_writes_nothing(repo: Path) -> None:
    build(repo, "speckit")
    (repo / "specs/002-tags/plan.md").write_bytes(b"# Plan\n\n\xff\xfe broken\n")
    before = snapshot(repo)
    failed = run_cli("adopt", cwd=repo, expect=None)
    assert failed.code != 0
    assert failed.err.strip().splitlines()[-1].startswith("plancycle: error: specs/002-tags/plan.md")
    assert "Traceback" not in failed.err
    assert snapshot(repo) == before


def _specify() -> str | None:
    import shutil
    import sys

    return shutil.which("specify", path=str(Path(sys.executable).parent)) or shutil.which("specify")


def test_a_feature_laid_out_by_spec_kit_itself_is_adopted(repo: Path) -> None:
    """`specify init` (offline: its templates are in the package), then Spec Kit's own
    scripts make the feature folder and copy its templates in, filled as its agent would."""
    import subprocess

    specify = _specify()
    if specify is None:
        pytest.skip("specify-cli is not installed in this environment (it needs Python 3.11 or newer)")
    init = subprocess.run(
        [specify, "init", "--here", "--force", "--non-interactive", "--ignore-agent-tools"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    scripts = repo / ".specify/scripts/bash"
    if init.returncode != 0 or not (scripts / "create-new-feature.sh").is_file():
        pytest.skip(f"`specify init` could not run offline here: {(init.stderr or init.stdout).strip()[-300:]}")
    git(repo, "add", "-A")
    commit(repo, "-m", "specify init", date=HISTORY)
    made = subprocess.run(
        ["bash", str(scripts / "create-new-feature.sh"), "--json", "--short-name", "offline-notes", "Offline notes"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    feature = json.loads(made.stdout.strip().splitlines()[-1])["BRANCH_NAME"]
    env = {"SPECIFY_FEATURE": feature}
    import os

    subprocess.run(
        ["bash", str(scripts / "setup-plan.sh"), "--json"],
        cwd=repo,
        capture_output=True,
        env={**os.environ, **env},
        check=True,
    )
    folder = repo / "specs" / feature
    spec = folder / "spec.md"
    spec.write_text(
        spec.read_text(encoding="utf-8")
        .replace("[FEATURE NAME]", "Offline notes")
        .replace("[###-feature-name]", feature)
        .replace("[DATE]", "2025-11-20"),
        encoding="utf-8",
    )
    plan = folder / "plan.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("[FEATURE]", "Offline notes").replace("[DATE]", "2025-11-21")
        + "\n## Phase 0: Research\n\n- Compare local stores\n\n## Phase 1: Design\n\n- Write the sync contract\n",
        encoding="utf-8",
    )
    template = (repo / ".specify/templates/tasks-template.md").read_text(encoding="utf-8")
    (folder / "tasks.md").write_text(template.replace("[FEATURE NAME]", "Offline notes"), encoding="utf-8")
    git(repo, "add", "-A")
    commit(repo, "-m", "Offline notes: spec, plan, tasks", date=HISTORY)

    run_cli("hooks", "install", cwd=repo)
    shown = run_cli("adopt", "--dry-run", cwd=repo)
    for kind in ("spec", "plan", "tasks"):
        assert f"+++ b/specs/{feature}/{kind}.md" in shown.out
    assert "status: draft" in shown.out and "created: 2025-11-20" in shown.out
    run_cli("adopt", cwd=repo)
    assert "nothing to adopt" in run_cli("adopt", cwd=repo).out
    tasks = json.loads(run_cli("tasks", "list", feature, "--json", cwd=repo).out)["tasks"]
    assert tasks and tasks[0]["id"] == "T001"
    preview = json.loads(run_cli("tasks", "preview", str(plan), "--json", cwd=repo).out)
    assert [p["title"] for p in preview["phases"]] == ["Research", "Design"]
    git(repo, "add", "-A")
    commit(repo, "-m", "Adopt", date=LATER)
    assert Document.read(spec).get("version") == "0.1.0"
    run_cli("changelog", "sync", "--check", cwd=repo)


def _write(repo: Path, files: dict[str, str | bytes]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def test_adoption_never_rewrites_a_byte_of_the_body(repo: Path) -> None:
    bodies = {
        # a record that says Approved: accepted, in its own word
        "specs/adr/0001-use-r.md": "# Use R\n\n**Status**: Approved\n\n## Context\n\nR.\n",
        "specs/001-a/adr/001-use-s.md": "# Use S\n\n**Status**: Draft\n\n## Context\n\nS.\n",
        # updated before the first commit: created follows it back
        "specs/001-a/plan.md": "# Plan: A\n\n**Version**: 1.2 | **Last Updated**: 2025-01-01\n\n## Phase 1\n\n"
        "*Status: Complete*\n\n- Build it\n",
        # H1 sections are not a header; sentences are not values; impossible days are not days
        "specs/001-a/spec.md": "# Spec A\n\n**Created**: 2025-13-45\n\n# Milestones\n\n"
        "- **Version**: 2 of the API ships in Q3\n- **Status**: Done for milestone 1\n",
        "specs/002-b/spec.md": "# Spec B\n\n**Status**: Approved\n",
        "specs/002-b/adr/README.md": "# Decisions\n\n## Status\n\nProposed\n",
        "specs/002-b/research.md": b"# Research\n\n" + "caf\xe9\n".encode("latin-1"),
        "specs/002-b/tasks.md": "---\nversion: 2\ncreated: last week\n---\n\n# Tasks\n\n- [ ] T001 Do it\n",
        "specs/adr/0002-use-t.md": "---\nstatus: accepted\ndate: January 2024\n---\n\n# Use T\n",
    }
    _write(repo, bodies)
    (repo / ".plancycle.toml").write_text('approved_status = "signed-off"\n')
    git(repo, "add", "-A")
    commit(repo, "-m", "What the team had", date="2025-03-01T10:00:00+00:00")
    shown = run_cli("adopt", cwd=repo)
    for name, text in bodies.items():
        if isinstance(text, str):
            assert Document.from_bytes((repo / name).read_bytes()).body == Document(text).body, name
        else:
            assert (repo / name).read_bytes() == text, name
    plan = Document.read(repo / "specs/001-a/plan.md")
    assert (str(plan.get("created")), str(plan.get("updated"))) == ("2025-01-01", "2025-01-01")
    spec = Document.read(repo / "specs/001-a/spec.md")
    assert (spec.get("status"), spec.get("version")) == ("draft", "0.1.0")
    assert Document.read(repo / "specs/002-b/spec.md").get("status") == "signed-off"
    assert Document.read(repo / "specs/adr/0001-use-r.md").get("status") == "accepted"
    assert Document.read(repo / "specs/001-a/adr/001-use-s.md").get("status") == "proposed"
    tasks = Document.read(repo / "specs/002-b/tasks.md")
    assert (tasks.get("version"), tasks.get("status"), str(tasks.get("created"))) == (2, "draft", "2025-03-01")
    assert "`created: last week` is not a day" in shown.err
    assert "adopted specs/002-b/adr/README.md" not in shown.out  # an index, not a record: listed
    assert "(specs/002-b/adr/README.md, specs/002-b/research.md)" in shown.out
    record = Document.read(repo / "specs/adr/0002-use-t.md")
    assert str(record.get("created")) == "2025-03-01"


def test_the_hook_reads_a_body_line_edited_by_hand_and_follows_the_frontmatter(repo: Path) -> None:
    build(repo, "seeds")
    run_cli("hooks", "install", cwd=repo)
    run_cli("adopt", cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Adopt", date=LATER)
    plan = repo / "specs/012-billing-export/plan.md"
    edit(plan, "**Status**: Approved\n", "**Status**: Review\n")
    git(repo, "add", "-A")
    commit(repo, "-m", "Back to review, in the body", date="2026-02-01T10:00:00+00:00")
    doc = Document.read(plan)
    assert (doc.get("status"), doc.get("version")) == ("review", "1.3.0")
    assert "**Version**: 1.3.0\n" in doc.text and "**Status**: Review\n" in doc.text
    edit(plan, "**Version**: 1.3.0\n", "**Version**: 2.0\n")
    git(repo, "add", "-A")
    commit(repo, "-m", "A major version, typed in the body", date="2026-02-02T10:00:00+00:00")
    assert Document.read(plan).get("version") == "2.0.0"
    other = repo / "specs/011-rate-limits/plan.md"
    edit(other, "status: review\n", "status: draft\n")
    git(repo, "add", "-A")
    commit(repo, "-m", "Back to draft, in the frontmatter", date="2026-02-03T10:00:00+00:00")
    assert "**Status**: Draft\n" in other.read_text(encoding="utf-8")
    assert "PC013" not in run_cli("check", "--no-history", cwd=repo, expect=None).out
    run_cli("changelog", "sync", "--check", cwd=repo)


def test_moving_records_in_keeps_every_link_and_refuses_collisions(repo: Path) -> None:
    build(repo, "adr-tools")
    _write(
        repo,
        {
            "docs/index.md": "[all decisions](../doc/architecture/decisions/) and "
            "[the store](/doc/architecture/decisions/0003-store-notes-in-sqlite.md)\n",
            "doc/architecture/decisions/0001-record-architecture-decisions.md": (
                repo / "doc/architecture/decisions/0001-record-architecture-decisions.md"
            ).read_text()
            + "\nSee the [readme](/README.md).\n",
        },
    )
    git(repo, "add", "-A")
    commit(repo, "-m", "links", date=HISTORY)
    _write(repo, {"specs/adr/0001-other.md": "# Other\n"})
    run_cli("adopt", "--move", "project", cwd=repo)
    index = (repo / "docs/index.md").read_text()
    assert index == "[all decisions](../specs/adr/) and [the store](/specs/adr/0003-store-notes-in-sqlite.md)\n"
    moved = (repo / "specs/adr/0001-record-architecture-decisions.md").read_text()
    assert "[readme](/README.md)" in moved
    assert (repo / ".adr-dir").read_text() == "specs/adr\n"
    assert not (repo / "doc").exists()
    found = run_cli("adopt", "--dry-run", cwd=repo)
    assert "decision number 1 in specs/adr/ is used by 0001-other.md, 0001-record-architecture-decisions.md" in (
        found.err
    )

    twice = repo / "twice"
    twice.mkdir()
    git(twice, "init", "-q")
    _write(twice, {"doc/adr/0001-a.md": "# 1. A\n", "docs/adr/0001-a.md": "# 1. A again\n", "specs/.keep": ""})
    before = snapshot(twice)
    refused = run_cli("adopt", "--move", "project", cwd=twice, expect=None)
    assert refused.code != 0
    assert "doc/adr/0001-a.md and docs/adr/0001-a.md would both move to specs/adr/0001-a.md" in refused.err
    assert snapshot(twice) == before


def test_derive_keeps_the_users_phases_in_their_order_beside_a_plan_phase_of_the_same_title(repo: Path) -> None:
    _write(
        repo,
        {
            "specs/001-a/plan.md": "# Plan\n\n## Phase 1: Setup\n\n- Create the repo\n\n## Phase 2: Build\n\n- Build it\n",
            "specs/001-a/tasks.md": "# Tasks\n\n## Phase 1: Setup\n\n- [x] T001 Make the skeleton\n\n---\n\n"
            "## Phase 2: User Story 1\n\n- [ ] T002 Let a user sign in\n",
        },
    )
    run_cli("adopt", cwd=repo)
    run_cli("tasks", "derive", "001", cwd=repo)
    body = Document.read(repo / "specs/001-a/tasks.md").body
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Phase 1: Setup", "## Phase 2: User Story 1", "## Phase 2: Build"]
    assert "---\n- [ ]" not in body
    assert "- [x] T001 Make the skeleton" in body and "- [ ] T002 Let a user sign in" in body


def test_feature_renumber_keeps_a_folder_links_trailing_slash(repo: Path) -> None:
    _write(
        repo,
        {
            "specs/001-a/spec.md": "# A\n\nSee [sync](../001-sync/).\n",
            "specs/001-sync/spec.md": "# Sync\n",
        },
    )
    run_cli("feature", "renumber", "001-sync", "2", cwd=repo)
    assert (repo / "specs/001-a/spec.md").read_text() == "# A\n\nSee [sync](../002-sync/).\n"
