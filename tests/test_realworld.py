"""The plan reader on plans written the way people write them (tests/plans/realworld/):
each plan beside its expected breakdown, written by reading the plan. Each family of shapes
that used to go wrong has named tests, negative cases included; benchmarks/plan_reader.py
scores the whole corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plancycle.documents.document import Document
from plancycle.tasks.breakdown import preview
from plancycle.tasks.planfile import read_plan

CORPUS = Path(__file__).parent / "plans" / "realworld"
PLANS = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")


def _expected(plan: Path) -> dict[str, Any]:
    return json.loads(plan.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _tasks(phase: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for task in phase["tasks"]:
        if isinstance(task, str):
            done = task.startswith("[x] ")
            found.append({"text": task[4:] if done else task, "done": done, "details": []})
        else:
            found.append({"text": task["text"], "done": task.get("done", False), "details": task.get("details", [])})
    return found


def _read(plan: Path) -> dict[str, Any]:
    return preview(read_plan(Document.read(plan), required=False))


def test_the_corpus_is_large_enough_and_every_plan_has_its_expectation() -> None:
    assert len(PLANS) >= 40
    for plan in PLANS:
        assert plan.with_suffix(".expected.json").is_file(), plan.name


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_realworld_plan(plan: Path) -> None:
    want = _expected(plan)
    got = _read(plan)
    assert got["section"] == want["section"]
    shown = [(p["title"], [(t["text"], t["done"], t.get("details", [])) for t in p["tasks"]]) for p in got["phases"]]
    expected = [(p["title"], [(t["text"], t["done"], t["details"]) for t in _tasks(p)]) for p in want["phases"]]
    assert shown == expected
    for got_phase, want_phase in zip(got["phases"], want["phases"], strict=True):
        if "criteria" in want_phase:
            assert got_phase["criteria"] == want_phase["criteria"], want_phase["title"]


def _phases(text: str) -> list[tuple[str | None, list[str], list[str]]]:
    data = preview(read_plan(Document(text, "plan.md")))
    return [(p["title"], [t["text"] for t in p["tasks"]], p["criteria"]) for p in data["phases"]]


# -- family 1: a list introduced by a label inside the section


def test_family1_a_labelled_list_of_stages_is_the_work() -> None:
    text = "## Implementation Strategy\n\nWhy.\n\n**Schedule:**\n\n- **Stage 1** (days 1-3): parser, tests\n"
    assert _phases(text) == [("Stage 1", ["Parser", "Tests"], [])]
    assert preview(read_plan(Document(text)))["phases"][0]["title"] == "Stage 1"


def test_family1_a_work_label_under_a_phase_adds_to_that_phase() -> None:
    text = "## Phases\n\n### Phase 1: API\n\n**Work:**\n- Add the endpoint\n\n**Exit gate:**\n- It answers 200\n"
    assert _phases(text) == [("API", ["Add the endpoint"], ["It answers 200"])]


def test_family1_negative_a_criteria_label_keeps_its_list_out_of_the_work() -> None:
    text = "## Implementation Order\n\n1. Build it\n\n**Risks**\n\n- It breaks\n\n**Dependencies:**\n- The queue\n"
    assert _phases(text) == [(None, ["Build it"], ["It breaks", "The queue"])]


# -- family 2: metadata lines between a phase heading and its list


def test_family2_metadata_lines_neither_end_nor_split_the_phase() -> None:
    text = (
        "## Implementation Phases\n\n### Phase 1: Cache\n**Effort:** 2 days\n**Owner:** Ana\n_Timing: week 1_\n\n"
        "1. ✅ Item A: store tiles\n2. Item B: evict old tiles\n"
    )
    data = preview(read_plan(Document(text)))
    assert [(t["text"], t["done"]) for t in data["phases"][0]["tasks"]] == [
        ("Item A: store tiles", True),
        ("Item B: evict old tiles", False),
    ]
    assert data["phases"][0]["criteria"] == ["Effort: 2 days", "Owner: Ana"]
    assert len(data["phases"]) == 1


def test_family2_a_line_of_prose_after_a_label_is_narrative() -> None:
    text = "## Phases\n\n### Phase 1: A\n**Effort:** 1 day\nThis phase is small.\n\n- Do a\n"
    assert _phases(text) == [("A", ["Do a"], ["Effort: 1 day"])]


# -- family 3: bullets that open with a bold label; a section that goes past its phases


def test_family3_bold_labelled_bullets_are_tasks_with_their_label() -> None:
    text = "## Implementation Phases\n\n### Phase 1: A\n\n- **Design**: sketch it\n- **Build**: make it\n"
    assert _phases(text) == [("A", ["Design: sketch it", "Build: make it"], [])]


def test_family3_headings_past_the_phases_are_not_phases() -> None:
    text = (
        "## Implementation Plan\n\n### Phase 1: A\n\n- Do a\n\n### Phase 2: B\n\n- Do b\n\n"
        "### Rollout\n\n- Ship to staff\n\n### Acceptance Criteria\n\n- **Latency**: under 5 ms\n"
    )
    data = preview(read_plan(Document(text)))
    assert [p["title"] for p in data["phases"]] == ["A", "B"]
    assert "### Rollout, ### Acceptance Criteria" in data["warnings"][0]


def test_family3_negative_phase_labels_in_bold_are_still_phases() -> None:
    text = "## Implementation Order\n\n- **Phase 1:** setup, models\n- **Phase 2:** API\n"
    assert _phases(text) == [("Phase 1", ["Setup", "Models"], []), ("Phase 2", ["API"], [])]


# -- family 4: tables


def test_family4_the_work_column_is_read_and_named_in_a_warning() -> None:
    text = "## Implementation Order\n\n| # | Work item | Estimate | Enables |\n|---|---|---|---|\n| 1 | Add it | 2d | all of the rest |\n"
    data = preview(read_plan(Document(text)))
    assert [t["text"] for t in data["phases"][0]["tasks"]] == ["Add it"]
    assert "tasks read from the table's 'Work item' column" in data["warnings"]


def test_family4_without_a_work_column_numbers_and_dependencies_are_passed_over() -> None:
    text = (
        "## Implementation Steps\n\n| Step | Change | Blocked by |\n|---|---|---|\n"
        "| 1 | Add tenant ids | the schema freeze and the backup window being moved first |\n"
    )
    assert _phases(text) == [(None, ["Add tenant ids"], [])]


def test_family4_a_phase_column_groups_rows_and_a_status_column_ticks() -> None:
    text = (
        "## Implementation Plan\n\n| Phase | Task | Status |\n|---|---|---|\n"
        "| Index | Build it | done |\n| Index | Backfill | todo |\n| Query | Parse | todo |\n"
    )
    data = preview(read_plan(Document(text)))
    assert [(p["title"], [(t["text"], t["done"]) for t in p["tasks"]]) for p in data["phases"]] == [
        ("Index", [("Build it", True), ("Backfill", False)]),
        ("Query", [("Parse", False)]),
    ]


def test_family4_negative_a_table_of_risks_is_not_work() -> None:
    text = "## Implementation Order\n\n1. Build it\n\n| Risk | Mitigation |\n|---|---|\n| Costs | Cap usage |\n"
    assert _phases(text) == [(None, ["Build it"], [])]


# -- family 5: nested details


def test_family5_sub_bullets_of_a_task_are_its_details() -> None:
    text = "## Implementation Order\n\n1. Ship both mobile apps\n   - iOS\n   - Android\n2. Announce it\n"
    data = preview(read_plan(Document(text)))
    tasks = data["phases"][0]["tasks"]
    assert [(t["text"], t.get("details", [])) for t in tasks] == [
        ("Ship both mobile apps", ["iOS", "Android"]),
        ("Announce it", []),
    ]


def test_family5_negative_a_name_over_work_items_is_a_phase() -> None:
    text = "## Implementation Order\n\n- Staging\n  - Create the schema\n  - Load the dump\n- **Cut-over**\n  - Switch reads\n"
    assert _phases(text) == [
        ("Staging", ["Create the schema", "Load the dump"], []),
        ("Cut-over", ["Switch reads"], []),
    ]


def test_family5_details_are_kept_under_the_task_in_tasks_md_and_not_doubled(repo: Path) -> None:
    from conftest import run_cli

    run_cli("feature", "new", "001-launch", cwd=repo)
    plan = repo / "specs/001-launch/plan.md"
    plan.write_text("## Implementation Order\n\n1. Ship both mobile apps\n   - iOS\n   - Android\n2. Announce it\n")
    run_cli("tasks", "derive", "001", cwd=repo)
    tasks = repo / "specs/001-launch/tasks.md"
    text = tasks.read_text()
    assert "- [ ] T001 Ship both mobile apps\n  - iOS\n  - Android\n- [ ] T002 Announce it\n" in text
    tasks.write_text(text.replace("  - Android\n", "  - Android\n  - our note\n"))
    run_cli("tasks", "done", "001", "T001", cwd=repo)
    run_cli("tasks", "derive", "001", cwd=repo)
    assert "- [x] T001 Ship both mobile apps\n  - iOS\n  - Android\n  - our note\n- [ ] T002" in tasks.read_text()


# -- found by an independent reading of plans the reader was not tuned to


def test_inline_code_stays_code_in_the_task() -> None:
    text = (
        "## Implementation Order\n\n- Create the `webhook_deliveries` table\n\n| Task |\n|---|\n| Run `make seed` |\n"
    )
    assert _phases(text)[0][1] == ["Create the `webhook_deliveries` table", "Run `make seed`"]


def test_headings_over_tables_that_are_not_work_leave_no_empty_phases() -> None:
    text = (
        "## Work Breakdown\n\n| Task | Owner |\n|---|---|\n| Build it | Ana |\n\n"
        "### Risks\n\n| Risk | Mitigation |\n|---|---|\n| Slow | Cache |\n\n"
        "### Dependencies\n\n| Dependency | Team |\n|---|---|\n| Queue | Infra |\n"
    )
    assert _phases(text) == [(None, ["Build it"], [])]


def test_criteria_around_phases_join_a_phase_instead_of_making_one() -> None:
    text = (
        "## Rollout Plan\n\n**Deliverables:**\n- A dashboard\n\n**Timeline:**\n\n"
        "- **Week 1**: tokens, buttons\n- **Week 2**: forms\n\n**Owner:** Growth\n"
    )
    assert _phases(text) == [
        ("Week 1", ["Tokens", "Buttons"], ["A dashboard"]),
        ("Week 2", ["Forms"], ["Owner: Growth"]),
    ]


def test_waves_and_increments_are_phases_and_what_follows_them_is_not() -> None:
    text = (
        "## Rollout\n\n### Wave 1: Pilot teams\n\n- Enable it for two teams\n\n### Wave 2: Everyone\n\n"
        "- Enable it for all\n\n### Out of scope\n\n- Contractors\n"
    )
    assert _phases(text) == [("Pilot teams", ["Enable it for two teams"], []), ("Everyone", ["Enable it for all"], [])]


def test_an_italic_timing_line_is_the_phases_timing() -> None:
    data = read_plan(Document("## Phases\n\n### Phase 1: A\n_Timing: week 1_\n_Owner:_ Finance\n\n- Do a\n"))
    assert (data.phases[0].timing, data.phases[0].criteria) == ("week 1", ["Owner: Finance"])
