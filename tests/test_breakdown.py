"""Reading implementation sections: a corpus of plan shapes with their expected breakdowns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import golden, run_cli

from plancycle.documents.document import Document
from plancycle.errors import NotFoundError
from plancycle.resources import shipped_dir
from plancycle.tasks.breakdown import preview, section_hash
from plancycle.tasks.phrases import split_title
from plancycle.tasks.planfile import read_plan

CORPUS = Path(__file__).parent / "plans" / "corpus"
PLANS = sorted(CORPUS.glob("*.md"))


def test_corpus_is_large_enough() -> None:
    assert len(PLANS) >= 12


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_corpus_breakdown(plan: Path) -> None:
    data = preview(read_plan(Document.read(plan)))
    golden(plan.with_suffix(".json"), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def test_preview_cli_prints_exactly_the_documented_shape(tmp_path: Path) -> None:
    out = run_cli("tasks", "preview", str(CORPUS / "01-heading-phases-timing.md"), "--json", cwd=tmp_path).out
    data = json.loads(out)
    assert list(data) == ["section", "phases", "warnings"]
    assert list(data["phases"][0]) == ["title", "tasks", "criteria"]
    assert list(data["phases"][0]["tasks"][0]) == ["id", "text", "done"]
    assert data["phases"][0]["tasks"][0] == {"id": "T001", "text": "Create the `documents` table", "done": True}


@pytest.mark.parametrize("plan", PLANS[:6], ids=lambda p: p.stem)
def test_crlf_plan_reads_the_same(plan: Path) -> None:
    lf = Document.read(plan)
    crlf = Document.from_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    assert preview(read_plan(crlf)) == preview(read_plan(lf))
    assert section_hash(read_plan(crlf).section_text) == section_hash(read_plan(lf).section_text)


def test_highest_priority_section_wins_wherever_it_stands() -> None:
    doc = Document("## Implementation Order\n\n1. ordered\n\n## Implementation Plan\n\n1. narrative\n")
    assert [t.text for t in read_plan(doc).tasks] == ["ordered"]
    doc = Document("## Rollout Plan\n\n1. roll\n\n## Phases\n\n- Phase one\n  - build\n")
    assert read_plan(doc).section == "Phases"


def test_section_ends_at_a_heading_of_the_same_or_higher_level() -> None:
    doc = Document("# Plan\n\n## Implementation Order\n\n### Phase 1\n\n- a\n\n# Appendix\n\n- not a task\n")
    assert [t.text for t in read_plan(doc).tasks] == ["a"]


def test_missing_section_names_titles_and_setting() -> None:
    with pytest.raises(NotFoundError) as caught:
        read_plan(Document("# Plan\n\nNothing here.\n", "plan.md"))
    message = str(caught.value)
    assert "'Implementation Order'" in message and "'Rollout Plan'" in message and "tasks_sections" in message


def test_configured_titles_are_used() -> None:
    doc = Document("## Work Breakdown\n\n- a\n- b\n")
    assert len(read_plan(doc, ["Work Breakdown"]).tasks) == 2


def test_empty_section_warns_and_does_not_crash() -> None:
    result = read_plan(Document("## Implementation Order\n\n## Next\n"))
    assert result.phases == [] and result.warnings == ["the implementation section lists no tasks"]


@pytest.mark.parametrize(
    "text",
    [
        "## Implementation Order\n\n```\n- not a task inside an unclosed fence\n",
        "## Implementation Order\n\n| a | b\n|---\n| 1 |\n",
        "## Implementation Order\n\n<div>\n- html block\n</div>\n\n- [x]\n- ✅\n- \n",
        "## Implementation Order\n\n* * *\n> - quoted\n\n1) odd numbering\n10. ten\n",
        "## Implementation Order\n\n- a\n    - b\n        - c\n            - d\n",
    ],
)
def test_malformed_markdown_gives_a_result(text: str) -> None:
    result = read_plan(Document(text))
    assert isinstance(result.phases, list)
    for task in result.tasks:
        assert task.text.strip()


def test_unclosed_fence_is_not_read_as_tasks() -> None:
    result = read_plan(Document("## Implementation Order\n\n```\n- inside\n"))
    assert result.tasks == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Phase 1: Foundation (Week 1-2)", ("Phase 1", "Foundation", "Week 1-2")),
        ("Phase 2 — Core Logic", ("Phase 2", "Core Logic", None)),
        ("Step 3", ("Step 3", "Step 3", None)),
        ("Phase 0", ("Phase 0", "Phase 0", None)),
        ("Hardening (Day 3)", (None, "Hardening", "Day 3")),
        ("Migration (2-3 days)", (None, "Migration", "2-3 days")),
        ("API (v2)", (None, "API (v2)", None)),
    ],
)
def test_phase_titles(raw: str, expected: tuple) -> None:
    assert split_title(raw) == expected


@pytest.mark.parametrize("style", ["standard", "fastapi", "comprehensive", "sdd", "compact"])
def test_unfilled_shipped_plans_warn_that_they_are_not_filled_in(style: str) -> None:
    source = (shipped_dir("templates") / f"plan-{style}.md.j2").read_text()
    result = read_plan(Document(source.split("-#}", 1)[1]))
    assert any("not filled in" in w or "placeholders" in w for w in result.warnings), result.warnings


SPEC_KIT_PHASES = """# Implementation Plan: Offline sync

## Summary

Notes stay readable offline.

## Phase 0: Research

1. Survey replicated data types for the note model
2. Measure the storage quota on mobile browsers

## Phase 1: Design & Contracts

- Write the sync contract in contracts/sync.yaml

### Quickstart

- Write quickstart.md with the offline demo

## Phase 2: Implementation

- [x] Build the local store
- [ ] Build the sync worker

## Complexity Tracking

- Write nothing here: it is not a phase
"""


def test_a_run_of_phase_headings_is_the_section_when_no_title_matches() -> None:
    data = preview(read_plan(Document(SPEC_KIT_PHASES, "plan.md")))
    assert [p["title"] for p in data["phases"]] == ["Research", "Design & Contracts", "Implementation"]
    assert [len(p["tasks"]) for p in data["phases"]] == [2, 2, 2]
    assert data["phases"][2]["tasks"][0]["done"] is True
    assert data["warnings"][0] == (
        "no heading of the 'tasks_sections' list; "
        "read the 3 phase headings ## Phase 0: Research … ## Phase 2: Implementation"
    )
    # the commit hook's line scan finds the same section, so staleness is judged on it
    from plancycle.tasks.section import scan_section

    found = scan_section(Document(SPEC_KIT_PHASES))
    assert found is not None and found[1].startswith("## Phase 0: Research\n")
    assert "Complexity" not in found[1]


def test_a_lone_phase_heading_or_a_broken_run_is_not_a_section() -> None:
    lone = "# Plan\n\n## Phase 1: Setup\n\n- Do it\n\n## Notes\n"
    with pytest.raises(NotFoundError):
        read_plan(Document(lone, "plan.md"))
    # a heading that names no step ends a run; the longest run is the section
    broken = (
        "# Plan\n\n## Phase 1: A\n\n- a\n\n## Notes\n\n## Phase 2: B\n\n- b\n\n## Step 3\n\n- c\n\n## Step 4\n\n- d\n"
    )
    data = preview(read_plan(Document(broken, "plan.md")))
    assert [p["title"] for p in data["phases"]] == ["B", "Step 3", "Step 4"]


@pytest.mark.parametrize(
    "title",
    ["Implementation Tasks", "2. Work Breakdown", "🚀 Rollout", "Roadmap", "Delivery Plan", "Implementation Summary"],
)
def test_more_section_titles_are_found_by_default(title: str) -> None:
    data = preview(read_plan(Document(f"# Plan\n\n## {title}\n\n### Phase 2: Build\n\n- Build it\n", "plan.md")))
    assert data["section"] == title
    assert data["phases"][0]["tasks"][0]["text"] == "Build it"


def test_the_shallowest_run_of_phase_headings_wins_over_steps_inside_a_phase() -> None:
    text = (
        "# Plan\n\n## Phase 1: Foundation\n\n### Step 1\n\n- a\n\n### Step 2\n\n- b\n\n### Step 3\n\n- c\n\n"
        "## Phase 2: Launch\n\n- d\n- e\n"
    )
    data = preview(read_plan(Document(text, "plan.md")))
    assert [p["title"] for p in data["phases"]] == ["Foundation", "Launch"]
    assert [t["text"] for t in data["phases"][1]["tasks"]] == ["d", "e"]
