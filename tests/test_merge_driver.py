"""The merge driver with real `git merge`, `git rebase` and `git cherry-pick`: the fields
plancycle owns never conflict, and nothing of either side is lost."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import frontmatter
import pytest
from conftest import PLAN, commit, edit, git, run_cli, table

MERGE_DATE = "2026-03-01T09:00:00+00:00"


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "GIT_AUTHOR_DATE": MERGE_DATE, "GIT_COMMITTER_DATE": MERGE_DATE}
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def branches(planned: Path) -> Path:
    """`topic` reworded Risks, `main` reworded Approach: each through the hook."""
    git(planned, "switch", "-q", "-c", "topic")
    edit(planned / PLAN, "## Risks\n", "## Risks\n\nThe identity provider may be down.\n")
    commit(planned, "-am", "Topic: risks")
    git(planned, "switch", "-q", "main")
    edit(planned / PLAN, "## Approach\n", "## Approach\n\nSingle sign-on first.\n")
    commit(planned, "-am", "Main: approach")
    return planned


def test_install_registers_the_driver_and_the_attribute(planned: Path) -> None:
    assert "-m plancycle merge-driver %O %A %B %P %L" in git(planned, "config", "merge.plancycle.driver")
    assert "else exec git merge-file" in git(planned, "config", "merge.plancycle.driver")
    assert (planned / ".gitattributes").read_text() == "specs/**/*.md merge=plancycle\n"
    again = run_cli("hooks", "install", cwd=planned).out
    assert "already configured" in again and "already has" in again
    run_cli("hooks", "uninstall", cwd=planned)
    assert git(planned, "config", "--get", "merge.plancycle.driver", check=False) == ""
    assert (planned / ".gitattributes").read_text() == ""


def test_a_merge_of_different_sections_is_clean(branches: Path) -> None:
    proc = _git(branches, "merge", "--no-edit", "topic")
    assert "CONFLICT" not in proc.stdout
    text = (branches / PLAN).read_text()
    assert "The identity provider may be down." in text and "Single sign-on first." in text
    meta = frontmatter.loads(text)
    assert meta["version"] == "0.1.2"  # above both sides' 0.1.1
    rows = table(branches)
    assert [r["Version"] for r in rows] == ["0.1.0", "0.1.1", "0.1.1", "0.1.2"]
    assert {r["Changes"] for r in rows[1:3]} == {"Updated: Approach", "Updated: Risks"}
    assert rows[-1]["Changes"] == "Merged 0.1.1 and 0.1.1" and rows[-1]["Date"] == "2026-03-01"
    run_cli("changelog", "sync", "--check", cwd=branches)


def test_the_same_section_on_both_sides_conflicts_in_the_body_only(branches: Path) -> None:
    git(branches, "switch", "-q", "topic")
    edit(branches / PLAN, "## Approach\n", "## Approach\n\nPasswords first.\n")
    commit(branches, "-am", "Topic: approach too")
    git(branches, "switch", "-q", "main")
    proc = _git(branches, "merge", "--no-edit", "topic", check=False)
    assert proc.returncode != 0
    text = (branches / PLAN).read_text()
    conflicts = re.findall(r"(?s)<<<<<<< .*?>>>>>>> [^\n]*\n", text)
    assert len(conflicts) == 1 and "Passwords first." in conflicts[0] and "Single sign-on first." in conflicts[0]
    head = text.split("\n---\n", 1)[0]
    assert "<<<<<<<" not in head and "version: 0.1.3" in head  # above topic's 0.1.2 and main's 0.1.1
    assert "<<<<<<<" not in text.split("## Change Log", 1)[1]
    resolved = re.sub(r"(?s)<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n", r"\1\2", text)
    (branches / PLAN).write_text(resolved)
    git(branches, "add", PLAN)
    commit(branches, "--no-edit", date=MERGE_DATE)
    run_cli("changelog", "sync", "--check", cwd=branches)


def test_ticks_on_either_side_are_kept(planned: Path) -> None:
    text = (planned / PLAN).read_text()
    text = re.sub(
        r"(?ms)^## Implementation Phases.*?(?=^## )",
        "## Implementation Phases\n\n1. Build the form\n2. Check the password\n3. Lock after five tries\n\n",
        text,
    )
    (planned / PLAN).write_text(text)
    run_cli("tasks", "derive", "042", cwd=planned)
    git(planned, "add", "-A")
    commit(planned, "-m", "Tasks")
    git(planned, "switch", "-q", "-c", "topic")
    run_cli("tasks", "done", "042", "T001", cwd=planned)
    commit(planned, "-am", "T001 done")
    git(planned, "switch", "-q", "main")
    run_cli("tasks", "done", "042", "T002", cwd=planned)
    commit(planned, "-am", "T002 done")
    proc = _git(planned, "merge", "--no-edit", "topic")
    assert "CONFLICT" not in proc.stdout
    ticked = run_cli("tasks", "list", "042", "--json", cwd=planned).out
    import json

    done = {t["id"] for t in json.loads(ticked)["tasks"] if t["done"]}
    assert {"T001", "T002"} <= done


@pytest.mark.parametrize("how", ["rebase", "cherry-pick"])
def test_rebase_and_cherry_pick_keep_both_sides(branches: Path, how: str) -> None:
    if how == "rebase":
        git(branches, "switch", "-q", "topic")
        _git(branches, "rebase", "main")
    else:
        _git(branches, "cherry-pick", "topic")
    text = (branches / PLAN).read_text()
    assert "The identity provider may be down." in text and "Single sign-on first." in text
    assert "<<<<<<<" not in text
    assert frontmatter.loads(text)["version"] == "0.1.2"
    assert {r["Changes"] for r in table(branches)} >= {"Updated: Approach", "Updated: Risks"}


def test_a_broken_side_falls_back_to_gits_own_merge(branches: Path) -> None:
    git(branches, "switch", "-q", "topic")
    edit(branches / PLAN, "title:", "title: [unclosed\nother:")
    commit(branches, "-am", "Broken frontmatter", "--no-verify")
    git(branches, "switch", "-q", "main")
    proc = _git(branches, "merge", "--no-edit", "topic", check=False)
    assert "used git's own merge" in proc.stderr
    text = (branches / PLAN).read_text()
    assert "The identity provider may be down." in text and "Single sign-on first." in text
    assert "[unclosed" in text  # the broken side is there, as git would have left it


def test_the_driver_alone_on_a_500_row_change_log(tmp_path: Path, repo: Path) -> None:
    """The protocol by hand: %A is rewritten, exit 0 when clean."""
    rows = "".join(f"| 0.{n}.0 | 2026-01-01 | Ada | Step {n} |\n" for n in range(1, 501))
    head = "---\ntitle: P\nstatus: draft\nversion: 0.500.0\nupdated: 2026-01-01\n---\n\n## A\n\nx\n\n## B\n\ny\n\n"
    log = "## Change Log\n\n| Version | Date | Author | Changes |\n|---|---|---|---|\n"
    base = head + log + rows
    ours = (
        base.replace("version: 0.500.0", "version: 0.500.1").replace("\nx\n", "\nx ours\n")
        + "| 0.500.1 | 2026-01-02 | Ada | Updated: A |\n"
    )
    theirs = (
        base.replace("version: 0.500.0", "version: 0.500.1").replace("\ny\n", "\ny theirs\n")
        + "| 0.500.1 | 2026-01-03 | Bob | Updated: B |\n"
    )
    files = {}
    for name, text in (("O", base), ("A", ours), ("B", theirs)):
        files[name] = tmp_path / name
        files[name].write_text(text)
    (repo / "specs").mkdir()
    import os
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "plancycle",
            "merge-driver",
            str(files["O"]),
            str(files["A"]),
            str(files["B"]),
            "specs/plan.md",
            "7",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_COMMITTER_DATE": MERGE_DATE},
    )
    assert proc.returncode == 0, proc.stderr
    merged = files["A"].read_text()
    assert "x ours" in merged and "y theirs" in merged and "version: 0.500.2" in merged
    assert merged.count("| 0.500.1 |") == 2 and merged.rstrip().endswith("| Merged 0.500.1 and 0.500.1 |")


def test_status_conflicts_only_when_both_sides_moved_it_differently(tmp_path: Path) -> None:
    from plancycle.config import Config
    from plancycle.hook.mergedriver import merge_documents

    def doc(status: str, body: str) -> bytes:
        return f"---\ntitle: P\nstatus: {status}\nversion: 0.2.0\n---\n\n## A\n\n{body}\n".encode()

    base = doc("draft", "a")
    one = merge_documents(
        base, doc("review", "a"), doc("draft", "b"), "p.md", Config(), today="2026-03-01", author="Ada", cwd=tmp_path
    )
    assert one.conflicts == 0 and b"status: review" in one.data and b"\nb\n" in one.data
    two = merge_documents(
        base,
        doc("review", "a"),
        doc("withdrawn", "a"),
        "p.md",
        Config(),
        today="2026-03-01",
        author="Ada",
        cwd=tmp_path,
    )
    assert (
        two.conflicts == 1 and b"<<<<<<< ours\nstatus: review\n=======\nstatus: withdrawn\n>>>>>>> theirs" in two.data
    )


def test_a_driver_whose_interpreter_is_gone_is_gits_own_merge(branches: Path) -> None:
    from plancycle.hook.shims import driver_command

    git(branches, "config", "merge.plancycle.driver", driver_command(python="/nonexistent/python"))
    _git(branches, "merge", "--no-edit", "topic", check=False)
    text = (branches / PLAN).read_text()
    assert "The identity provider may be down." in text and "Single sign-on first." in text


def _doc(version: str, body: str, rows: str, status: str = "draft") -> bytes:
    head = f"---\ntitle: P\nstatus: {status}\nversion: {version}\nupdated: 2026-01-01\n---\n\n## A\n\n{body}\n\n"
    return (head + "## Change Log\n\n| Version | Date | Author | Changes |\n|---|---|---|---|\n" + rows).encode()


def _merge(tmp_path: Path, base: bytes, ours: bytes, theirs: bytes):  # type: ignore[no-untyped-def]
    from plancycle.config import Config
    from plancycle.hook.mergedriver import merge_documents

    return merge_documents(base, ours, theirs, "p.md", Config(), today="2026-03-01", author="Ada", cwd=tmp_path)


ROW0 = "| 0.1.0 | 2026-01-01 | Ada | Created |\n"
ROW1 = "| 0.1.1 | 2026-01-02 | Ada | Updated: A |\n"


def test_rows_merge_three_ways(tmp_path: Path) -> None:
    base = _doc("0.1.1", "a", ROW0 + ROW1)
    padded = _doc("0.1.1", "a", ROW0.replace("| Ada |", "| Ada   |") + ROW1)  # spacing only: the same rows
    reworded = _doc(
        "0.1.2",
        "a\n\nmore",
        ROW0.replace("Created", "Created (reviewed)") + ROW1 + "| 0.1.2 | 2026-01-05 | Bob | Updated: A |\n",
    )
    merged = _merge(tmp_path, base, padded, reworded).data.decode()
    table = merged.split("|---|---|---|---|\n", 1)[1]
    assert table.count("| 0.1.0 |") == 1 and "Created (reviewed)" in table  # rewritten on one side: rewritten
    assert "| 0.1.1 |" in table and table.count("| 0.1.1 |") == 1
    deleted = _doc("0.1.1", "b", ROW0)  # one side removed the 0.1.1 row
    again = _merge(tmp_path, base, deleted, _doc("0.1.1", "a", ROW0 + ROW1)).data.decode()
    assert "| 0.1.1 | 2026-01-02" not in again


def test_owned_fields_by_rule(tmp_path: Path) -> None:
    base = _doc("0.1.0", "a", ROW0, status="Draft   # see lifecycle")
    approved = _doc("1.0.0", "a", ROW0 + "| 1.0.0 | 2026-01-03 | Ada | Status: draft → approved |\n", status="approved")
    patched = _doc("0.1.1", "b", ROW0 + ROW1, status="Draft   # see lifecycle")
    merged = _merge(tmp_path, base, approved, patched).data.decode()
    assert "version: 1.0.1" in merged and "status: approved" in merged  # not a second approval
    assert "updated: 2026-03-01" in merged
    same = _merge(tmp_path, base, _doc("0.1.1", "x", ROW0 + ROW1, status="Draft   # see lifecycle"), patched).data
    assert b"status: Draft   # see lifecycle" in same  # untouched by both: as written


def test_a_reopened_task_stays_open(tmp_path: Path) -> None:
    def tasks(boxes: str) -> bytes:
        lines = "".join(f"- [{b}] T00{i} Task {i}\n" for i, b in enumerate(boxes, start=1))
        return f"---\ntitle: T\nstatus: draft\nversion: 0.1.0\n---\n\n## Phase 1\n\n{lines}".encode()

    merged = _merge(tmp_path, tasks("  x"), tasks("x x"), tasks(" x ")).data.decode()
    assert "- [x] T001" in merged and "- [x] T002" in merged and "- [ ] T003" in merged


def test_unmanaged_markdown_is_gits_merge_quietly(repo: Path, tmp_path: Path) -> None:
    import os
    import sys

    (repo / "specs").mkdir()
    files = {}
    for name, text in (("O", "a\nb\nc\n"), ("A", "A\nb\nc\n"), ("B", "a\nb\nC\n")):
        files[name] = tmp_path / name
        files[name].write_text(text)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "plancycle",
            "merge-driver",
            str(files["O"]),
            str(files["A"]),
            str(files["B"]),
            "specs/notes.md",
            "7",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    assert proc.returncode == 0 and proc.stderr == "" and files["A"].read_text() == "A\nb\nC\n"


def test_body_mirrors_of_owned_fields_never_conflict(tmp_path: Path) -> None:
    def doc(version: str, status: str, words: str) -> bytes:
        head = f"---\ntitle: P\nstatus: {status}\nversion: {version}\nupdated: 2026-01-01\n---\n"
        body = (
            f"# Plan\n\n**Version**: {version} | **Status**: {status.title()} | **Last Updated**: 2026-01-01\n\n"
            f"## A\n\n{words}\n\n## B\n\nb\n"
        )
        return (head + body).encode()

    base = doc("0.1.0", "draft", "a")
    ours = doc("0.2.0", "review", "a, reviewed")  # a status move, a version and the body lines with it
    theirs = doc("0.1.1", "draft", "a").replace(b"\nb\n", b"\nb, patched\n")
    merged = _merge(tmp_path, base, ours, theirs)
    text = merged.data.decode()
    assert merged.conflicts == 0, text
    assert f"**Version**: {merged.version} | **Status**: Review | **Last Updated**: 2026-03-01\n" in text
    assert "a, reviewed" in text and "b, patched" in text
