"""The tasks.md reader on what people really have: Spec Kit task lists (`###` headings under
`## Phase N`, `[P]` markers, checkpoints), fenced code, hostile text; it must end on any
text, in steps linear in its size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from plancycle.documents.document import Document
from plancycle.tasks.tasksfile import list_tasks, parse_tasks_file, read_task_line, set_done

SPEC_KIT_TASKS = """# Tasks: Photo albums

**Input**: Design documents from `/specs/001-photo-albums/`

## Phase 1: Setup (Shared Infrastructure)

- [ ] T001 Create project structure per implementation plan
- [x] T002 [P] Configure linting and formatting tools

---

## Phase 3: User Story 1 - Create an album (Priority: P1) 🎯 MVP

**Goal**: a user can create an album

### Tests for User Story 1

- [ ] T010 [P] [US1] Contract test for POST /albums in tests/contract/test_albums.py

### Implementation for User Story 1

- [ ] T012 [US1] Create Album model in src/models/album.py

**Checkpoint**: User Story 1 works on its own

#### Notes

```
- [ ] T999 not a task: an example inside code
## Phase 9: not a heading either
```

## Dependencies & Execution Order

- Setup has no dependencies
"""


def _doc(text: str) -> Document:
    return Document(text, "tasks.md")


def test_spec_kit_tasks_with_deeper_headings_are_read_and_the_reader_ends() -> None:
    # `## Phase 1`, `### Tests`, `- [ ] T001` once made the reader loop for ever.
    minimal = _doc("## Phase 1\n\n### Tests\n\n- [ ] T001 do it\n")
    assert [(t.id, t.text, t.phase) for t in list_tasks(minimal)] == [("T001", "do it", "Phase 1")]
    tasks = list_tasks(_doc(SPEC_KIT_TASKS))
    assert [(t.id, t.done) for t in tasks] == [("T001", False), ("T002", True), ("T010", False), ("T012", False)]
    assert tasks[2].text == "[P] [US1] Contract test for POST /albums in tests/contract/test_albums.py"
    assert tasks[3].phase == "Phase 3: User Story 1 - Create an album (Priority: P1) 🎯 MVP"


def test_nothing_inside_fenced_code_is_a_task_or_a_phase() -> None:
    parsed = parse_tasks_file(_doc(SPEC_KIT_TASKS))
    assert [p.title for p in parsed.phases] == [
        "Phase 1: Setup (Shared Infrastructure)",
        "Phase 3: User Story 1 - Create an album (Priority: P1) 🎯 MVP",
        "Dependencies & Execution Order",
    ]
    assert "T999" not in {t.id for t in list_tasks(_doc(SPEC_KIT_TASKS))}
    doc = _doc(SPEC_KIT_TASKS)
    try:
        set_done(doc, ["T999"], True)
    except Exception as exc:
        assert "no task T999" in str(exc)
    else:
        raise AssertionError("a task inside a code block was ticked")


def test_every_line_of_the_phases_is_kept_somewhere() -> None:
    parsed = parse_tasks_file(_doc(SPEC_KIT_TASKS))
    kept = "".join(line for phase in parsed.phases for item in phase.items for line in item.lines)
    for needle in (
        "### Tests for User Story 1",
        "**Checkpoint**: User Story 1 works on its own",
        "- [ ] T999 not a task",
        "#### Notes",
        "---\n",
    ):
        assert needle in kept


def test_task_lines_are_read_as_written() -> None:
    line = read_task_line("- [x] T003 Ship it (removed from plan)")
    assert line is not None and (line.done, line.id, line.text, line.removed) == (True, "T003", "Ship it", True)
    line = read_task_line("* [ ] no id here")
    assert line is not None and (line.id, line.text, line.removed) == (None, "no id here", False)
    assert read_task_line("- [y] T001 not a checkbox") is None
    assert read_task_line("  - [ ] T001 indented: a sub-item") is None


def test_derive_on_a_spec_kit_tasks_file_finishes_and_keeps_it(repo: Path) -> None:
    run_cli("feature", "new", "001-photo-albums", cwd=repo)
    folder = repo / "specs/001-photo-albums"
    (folder / "plan.md").write_text(
        "---\nversion: 0.1.0\n---\n\n## Implementation Order\n\n1. Create project structure per implementation plan\n"
    )
    (folder / "tasks.md").write_text(SPEC_KIT_TASKS)
    for args in (["status"], ["tasks", "list"], ["tasks", "derive", "001-photo-albums", "--dry-run"]):
        proc = subprocess.run(
            [sys.executable, "-m", "plancycle", *args], cwd=repo, capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 0, proc.stderr


# -- hostile text -------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "## Phase 1",
        "### Tests",
        "#### x",
        "# Title",
        "## Change Log",
        "- [ ] T001 a",
        "- [x] T002 b",
        "- [ ] ",
        "- [x]",
        "  - sub item",
        "  note",
        "",
        " ",
        "\t",
        "```",
        "````",
        "~~~",
        "**Criteria**:",
        "_Timing: week 1_",
        "- criterion",
        "| a | b |",
        "|---|---|",
        "Title",
        "---",
        "===",
        "\r",
        "- [ ] T003 x (removed from plan)",
        "(removed from plan)",
        "- [ ]  " + " " * 50 + "x",
    ]
)


def _steps(call, *args):  # type: ignore[no-untyped-def]
    """Lines of plancycle code executed by ``call``: a measure of work that no machine's
    speed changes."""
    count = 0

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    def scoped(frame, event, arg):  # type: ignore[no-untyped-def]
        return tracer if "plancycle" in frame.f_code.co_filename else None

    sys.settrace(scoped)
    try:
        call(*args)
    finally:
        sys.settrace(None)
    return count


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=60))
def test_the_reader_ends_on_any_text_in_linear_steps(parts: list[str]) -> None:
    text = "\n" + "\n".join(parts)  # a body: frontmatter errors are the document reader's business
    doc = _doc(text)
    lines = len(doc.body_lines) + 1
    assert _steps(parse_tasks_file, doc) <= 120 * lines
    parsed = parse_tasks_file(doc)
    kept = "".join(line for phase in parsed.phases for item in phase.items for line in item.lines)
    assert len(kept) <= len(text) + 1  # nothing read twice


def test_long_hostile_lines_are_read_in_linear_time() -> None:
    # Lines of 200,000 characters, headings and tasks among them: in a child process with
    # a time-out, so a reader that stops advancing fails instead of hanging the suite.
    code = (
        "from plancycle.documents.document import Document\n"
        "from plancycle.tasks.tasksfile import parse_tasks_file\n"
        "line = '- [ ] T001 ' + ' ' * 200000 + 'x'\n"
        "parse_tasks_file(Document('## Phase 1\\n' + (line + '\\n') * 3 + '### ' + ' ' * 200000 + '#\\n'))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
