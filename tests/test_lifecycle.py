"""`advance` and `approve`: the lifecycle's moves and gates on real repositories, from the
templates as rendered to approved documents that say who approved them and when."""

from __future__ import annotations

import json
import re
from pathlib import Path

import frontmatter
import pytest
from conftest import AUTHOR, commit, git, run_cli, snapshot

from plancycle.documents.document import split_lines
from plancycle.documents.placeholders import find_placeholders

STYLES = ("standard", "fastapi", "comprehensive", "sdd", "compact")


def fill(path: Path) -> None:
    """What an author does to a template: every placeholder written over, gates ticked."""
    lines = split_lines(path.read_text(encoding="utf-8"))
    for found in find_placeholders(lines):
        line = lines[found.line - 1]
        value = AUTHOR if found.text.lower() == "[name]" else "Filled"
        lines[found.line - 1] = line.replace(found.text, value, 1)
    text = "".join(lines).replace("| [ ] |", "| [x] |").replace("[ ] Compliant", "[x] Compliant")
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def templated(repo: Path) -> Path:
    """One feature per plan style, spec and plan as the templates render them, committed."""
    run_cli("hooks", "install", cwd=repo)
    for number, style in enumerate(STYLES, start=1):
        run_cli("feature", "new", f"{number:03d}-{style}", cwd=repo)
        run_cli("plan", "new", f"{number:03d}", "-T", style, cwd=repo)
    git(repo, "add", "-A")
    commit(repo, "-m", "Templates as rendered", date="2026-01-15T12:00:00+00:00")
    return repo


def test_rendered_templates_are_drafts_with_placeholders_and_approval_lists_them(templated: Path) -> None:
    report = json.loads(run_cli("check", "--format", "json", cwd=templated, expect=0).out)
    assert report["findings"] and {f["rule"] for f in report["findings"]} == {"PC002"}
    assert {f["severity"] for f in report["findings"]} == {"warning"}
    assert {f["path"].split("/")[1] for f in report["findings"]} == {f"{n:03d}-{s}" for n, s in enumerate(STYLES, 1)}
    for number, style in enumerate(STYLES, start=1):
        before = snapshot(templated)
        refused = run_cli("approve", f"{number:03d}", "plan", cwd=templated, expect=1)
        lines = refused.err.strip().splitlines()
        assert re.match(rf"plancycle: error: specs/{number:03d}-{style}/plan\.md:\d+: \[placeholders\] ", lines[0]), (
            style
        )
        assert "[spec-approved] the spec is draft" in refused.err
        assert lines[-1].startswith(f"plancycle: error: specs/{number:03d}-{style}/plan.md cannot move to approved")
        assert snapshot(templated) == before  # nothing written on the way to the refusal


def test_filled_documents_are_approved_with_who_and_when(templated: Path) -> None:
    for number, style in enumerate(STYLES, start=1):
        folder = templated / f"specs/{number:03d}-{style}"
        fill(folder / "spec.md")
        fill(folder / "plan.md")
    git(templated, "add", "-A")
    commit(templated, "-m", "Filled in", date="2026-01-15T12:00:00+00:00")
    for number, style in enumerate(STYLES, start=1):
        folder = templated / f"specs/{number:03d}-{style}"
        run_cli("approve", f"{number:03d}", cwd=templated)  # the first not yet approved: the spec
        done = run_cli("approve", f"{number:03d}", "plan", "--by", AUTHOR, cwd=templated).out
        assert "plan.md: draft → approved, version 1.0.0" in done, style
        meta = frontmatter.load(folder / "plan.md")
        assert meta["status"] == "approved" and meta["approved_by"] == AUTHOR
        assert str(meta["approved"]) == "2026-01-15" and meta["version"] == "1.0.0"
        rows = [line for line in (folder / "plan.md").read_text().splitlines() if line.startswith("| 1.0.0 |")]
        assert len(rows) == 1 and f"approved by {AUTHOR}" in rows[0]
    comprehensive = (templated / "specs/003-comprehensive/plan.md").read_text()
    assert f"| {AUTHOR} | Filled | ☐ pending ☑ approved ☐ changes requested | 2026-01-15 |" in comprehensive
    git(templated, "add", "-A")
    commit(templated, "-m", "Approved", date="2026-01-15T12:00:00+00:00")
    assert frontmatter.load(templated / "specs/001-standard/plan.md")["version"] == "1.0.0"  # the commit kept it
    run_cli("changelog", "sync", "--check", cwd=templated)
    assert json.loads(run_cli("check", "--format", "json", cwd=templated).out)["findings"] == []


FOOTER = """---
title: Billing
status: review
version: 0.3.0
---

# Billing

## Implementation Order

1. Invoice model
2. PDF rendering

---

*Created: 2026-01-02*
*Approved: [ ] Pending*
"""


def test_the_approval_footer_is_ticked(repo: Path) -> None:
    run_cli("feature", "new", "001-billing", cwd=repo)
    spec = repo / "specs/001-billing/spec.md"
    spec.write_text(spec.read_text().replace("status: draft", "status: approved"))
    plan = repo / "specs/001-billing/plan.md"
    plan.write_text(FOOTER)
    run_cli("approve", "001", "plan", "--by", "Grace Hopper", cwd=repo)
    text = plan.read_text()
    assert "*Approved: [x] 2026-01-15 by Grace Hopper*\n" in text
    assert text.startswith("---\ntitle: Billing\nstatus: approved\nversion: 1.0.0\n")


@pytest.fixture
def feature(repo: Path) -> Path:
    """A filled spec and plan, committed through the hook."""
    run_cli("hooks", "install", cwd=repo)
    run_cli("feature", "new", "042-auth", cwd=repo)
    run_cli("plan", "new", "042", "-T", "sdd", cwd=repo)
    folder = repo / "specs/042-auth"
    fill(folder / "spec.md")
    fill(folder / "plan.md")
    plan = folder / "plan.md"
    text = plan.read_text()
    text = re.sub(
        r"(?ms)^## Implementation Order.*?(?=^## )",
        "## Implementation Order\n\n1. Build the form\n2. Check the password\n\n",
        text,
    )
    plan.write_text(text)
    git(repo, "add", "-A")
    commit(repo, "-m", "Auth", date="2026-01-15T12:00:00+00:00")
    return folder


def _gates(result) -> set[str]:
    return set(re.findall(r"\[([a-z-]+)\]", result.err))


def test_each_gate_blocks_and_then_passes(feature: Path, repo: Path) -> None:
    plan, spec = feature / "plan.md", feature / "spec.md"
    # spec-approved
    assert _gates(run_cli("approve", "042", "plan", cwd=repo, expect=1)) == {"spec-approved"}
    run_cli("approve", "042", "spec", cwd=repo)
    # compliance: an unticked row without a justification blocks; a justification passes
    text = plan.read_text()
    plan.write_text(text.replace("| Tests before code | [x] | Filled |", "| Tests before code | [ ] | |"))
    assert _gates(run_cli("approve", "042", "plan", cwd=repo, expect=1)) == {"compliance"}
    plan.write_text(text.replace("| Tests before code | [x] | Filled |", "| Tests before code | [ ] | Spike only |"))
    # placeholders
    plan.write_text(plan.read_text().replace("1. Build the form", "1. [Build the form]"))
    assert _gates(run_cli("advance", "042", "plan", "--to", "review", cwd=repo, expect=1)) == {"placeholders"}
    plan.write_text(plan.read_text().replace("1. [Build the form]", "1. Build the form"))
    run_cli("approve", "042", "plan", cwd=repo)
    # tasks-stale
    run_cli("tasks", "derive", "042", cwd=repo)
    plan.write_text(
        plan.read_text().replace("2. Check the password", "2. Check the password\n3. Lock out after five tries")
    )
    assert _gates(run_cli("advance", "042", "tasks", "--to", "review", cwd=repo, expect=1)) == {"tasks-stale"}
    run_cli("tasks", "derive", "042", cwd=repo)
    run_cli("advance", "042", "tasks", "--to", "review", cwd=repo)
    # open-tasks
    assert _gates(run_cli("advance", "042", "plan", "--to", "done", cwd=repo, expect=1)) == {"open-tasks"}
    run_cli("tasks", "done", "042", "T001", "T002", "T003", cwd=repo)
    run_cli("advance", "042", "plan", "--to", "done", cwd=repo)
    assert frontmatter.load(plan)["status"] == "done"
    assert frontmatter.load(spec)["status"] == "approved"


def test_force_needs_a_reason_and_records_it(feature: Path, repo: Path) -> None:
    assert "--force needs --reason" in run_cli("approve", "042", "plan", "--force", cwd=repo, expect=2).err
    out = run_cli("approve", "042", "plan", "--force", "--reason", "Spec signed off on paper", cwd=repo)
    assert "overridden:" in out.err and "[spec-approved]" in out.err
    row = next(line for line in (feature / "plan.md").read_text().splitlines() if line.startswith("| 1.0.0 |"))
    assert "forced past spec-approved: Spec signed off on paper" in row
    git(repo, "add", "-A")
    commit(repo, "-m", "Approve anyway", date="2026-01-15T12:00:00+00:00")
    run_cli("changelog", "sync", "--check", cwd=repo)


def test_moves_the_lifecycle_does_not_have_are_refused(feature: Path, repo: Path) -> None:
    refused = run_cli("advance", "042", "plan", "--to", "done", cwd=repo, expect=4)
    assert "specs/042-auth/plan.md is draft; it can move to review or approved or withdrawn, not done" in refused.err
    assert "spec.md has no status 'done'" in run_cli("advance", "042", "spec", "--to", "done", cwd=repo, expect=2).err
    unknown = run_cli("advance", "042", "spec", "--to", "shipped", cwd=repo, expect=2)
    assert "spec.md has no status 'shipped'" in unknown.err
    run_cli("approve", "042", "spec", cwd=repo)
    again = run_cli("approve", "042", "spec", cwd=repo)
    assert "is already approved" in again.out


def test_a_decision_is_approved_by_accepting_it(feature: Path, repo: Path) -> None:
    run_cli("adr", "new", "042", "Use argon2id", cwd=repo)
    record = feature / "adr/001-use-argon2id.md"
    blocked = run_cli("approve", "042", "1", cwd=repo, expect=1)
    assert "001-use-argon2id.md:18: [placeholders]" in blocked.err
    fill(record)
    git(repo, "add", "-A")
    commit(repo, "-m", "Decision", date="2026-01-15T12:00:00+00:00")
    run_cli("approve", "042", "specs/042-auth/adr/001-use-argon2id.md", "--by", "Grace Hopper", cwd=repo)
    meta = frontmatter.load(record)
    assert (meta["status"], meta["approved_by"], meta["version"]) == ("accepted", "Grace Hopper", "1.0.0")
    assert "approved by Grace Hopper" in record.read_text().splitlines()[-1]


def test_a_linked_document_is_never_written_through(feature: Path, repo: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-spec.md"
    spec = feature / "spec.md"
    shared.write_bytes(spec.read_bytes())
    spec.unlink()
    spec.symlink_to(shared)
    before = shared.read_bytes()
    refused = run_cli("approve", "042", "spec", cwd=repo, expect=7)
    assert "symbolic link" in refused.err and shared.read_bytes() == before


def test_a_reason_is_recorded_on_a_document_never_committed(repo: Path) -> None:
    run_cli("feature", "new", "043-billing", cwd=repo)
    run_cli("advance", "043", "--to", "review", "--force", "--reason", "Reviewed on paper", cwd=repo)
    text = (repo / "specs/043-billing/spec.md").read_text()
    assert "version: 0.2.0" in text and "forced past placeholders: Reviewed on paper" in text


GATES_THAT_ARE_NOT = """---
title: Billing
status: draft
version: 0.1.0
---

## Security and Compliance

| Data | Handling | Notes |
|---|---|---|
| Card numbers | No, never stored | |

## Implementation Phases

### Phase 1

#### Exit gate

- [ ] All tests green

## Constitution Check

| Principle | Status | Notes |
|---|---|---|
| Simplicity | Not compliant | |
| Tests first | [x] Compliant | |

Users forget passwords.[^survey] Tasks such as T001 [P] [US1] are not placeholders.
<!-- plancycle: ignore placeholders -->
The key is literally {name}.

[^survey]: From the 2025 survey.
"""


def test_gates_read_only_what_they_are_about(repo: Path) -> None:
    from plancycle.documents.document import Document
    from plancycle.lifecycle.compliance import compliance_gaps

    gaps = compliance_gaps(Document(GATES_THAT_ARE_NOT))
    assert [(g.line, g.text) for g in gaps] == [(25, "Simplicity: Not compliant")]
    run_cli("feature", "new", "044-billing", cwd=repo)
    spec = repo / "specs/044-billing/spec.md"
    spec.write_text(GATES_THAT_ARE_NOT)
    report = json.loads(run_cli("check", "--format", "json", "--no-history", str(spec), cwd=repo).out)
    assert report["findings"] == []  # no broken footnote link, no [P], no ignored {name}
    blocked = run_cli("approve", "044", "spec", cwd=repo, expect=1)
    assert "[placeholders]" not in blocked.err


def test_tokens_in_code_blocks_are_placeholders() -> None:
    from plancycle.documents.placeholders import find_placeholders

    lines = ["```\n", "GET {{PATH}} returns List[int] and {{ value }}\n", "```\n"]
    assert [p.text for p in find_placeholders(lines)] == ["{{PATH}}"]


def test_a_term_a_legend_defines_is_not_a_placeholder() -> None:
    from plancycle.documents.placeholders import find_placeholders

    lines = [
        "## Format: `[ID] [P?] [Story] Description`\n",
        "\n",
        "- **[P]**: can run in parallel\n",
        "- **[Story]**: the user story a task belongs to\n",
        "\n",
        "- [ ] T003 [Story] stays a term here too, but [Write the test] is a placeholder\n",
    ]
    assert [p.text for p in find_placeholders(lines)] == ["[Write the test]"]
