"""`plancycle check`: every rule passing on a clean repository and failing on real files
broken the way people break them; severities, ignores and the output formats."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import commit, git, run_cli

DATA = Path(__file__).parent / "data"
SPEC = """---
title: Auth
feature: 042-auth
status: approved
version: 1.0.0
created: 2026-01-15
updated: 2026-01-15
---

# Auth

## Problem

People cannot sign in with their company account.

See the [plan](plan.md).
"""
PLAN = """---
title: Auth
feature: 042-auth
status: draft
version: 0.1.0
created: 2026-01-15
updated: 2026-01-15
spec: spec.md
---

# Plan: Auth

## Approach

Single sign-on through the identity provider.

## Principles Gate

| Principle | Holds | Justification |
|-----------|-------|---------------|
| Tests before code | [x] | |
| Simplest thing that works | [ ] | One provider only, on purpose |

## Implementation Order

1. Register the application with the provider
2. Handle the callback and create the session
"""


@pytest.fixture
def clean(repo: Path) -> Path:
    """A committed feature, written and stamped the way plancycle keeps one: no finding."""
    run_cli("hooks", "install", cwd=repo)
    folder = repo / "specs/042-auth"
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text(SPEC)
    (folder / "plan.md").write_text(PLAN)
    run_cli("tasks", "derive", "042", cwd=repo)
    run_cli("adr", "new", "042", "Use the company identity provider", "--status", "accepted", cwd=repo)
    run_cli("adr", "new", "042", "Sessions in cookies", "--supersedes", "1", cwd=repo)
    for path in (folder / "adr").glob("*.md"):  # records are filled in before they are committed
        text = path.read_text()
        filled = "## Context\n\nThe company already runs the provider.\n\n"
        path.write_text(text[: text.index("## Context")] + filled + text[text.index("## Change Log") :])
    git(repo, "add", "-A")
    commit(repo, "-m", "Auth", date="2026-01-15T12:00:00+00:00")
    return repo


def _check(repo: Path, *args: str, expect: int | None = None) -> dict:
    result = run_cli("check", "--format", "json", *args, cwd=repo, expect=expect)
    return json.loads(result.out)


def _rules(report: dict) -> set[str]:
    return {f["rule"] for f in report["findings"]}


def test_a_clean_repository_has_no_finding(clean: Path) -> None:
    report = _check(clean, expect=0)
    assert report["findings"] == [] and report["summary"]["documents"] == 5
    assert "0 error(s), 0 warning(s) in 5 document(s)" in run_cli("check", cwd=clean).err


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


BREAKS = {
    "PC001": [("spec.md", "version: 1.0.0", "version: one"), ("spec.md", "created: 2026-01-15", "created: 15/01/2026")],
    "PC002": [("plan.md", "Single sign-on", "[How we do it]")],
    "PC003": [("spec.md", "[plan](plan.md)", "[plan](plans.md)"), ("plan.md", "spec: spec.md", "spec: specs.md")],
    "PC004": [("plan.md", "2. Handle the callback", "2. Handle the callback and the logout\n3. Audit")],
    "PC010": [
        ("plan.md", "status: draft", "status: approved"),
        ("plan.md", "| One provider only, on purpose |", "| |"),
    ],
    "PC013": [("plan.md", "# Plan: Auth\n", "# Plan: Auth\n\n**Version**: 0.1 | **Status**: Approved\n")],
}


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_each_document_rule_fails_on_a_broken_file(clean: Path, rule: str) -> None:
    for name, old, new in BREAKS[rule]:
        _edit(clean / "specs/042-auth" / name, old, new)
    report = _check(clean, "--no-history")
    assert rule in _rules(report), report["findings"]
    finding = next(f for f in report["findings"] if f["rule"] == rule)
    assert finding["path"].startswith("specs/042-auth/") and finding["message"]


def test_placeholders_are_warnings_in_a_draft_and_errors_once_approved(clean: Path) -> None:
    _edit(clean / "specs/042-auth/plan.md", "Single sign-on", "{{APPROACH}}")
    draft = _check(clean, "--no-history", expect=0)
    assert [(f["rule"], f["severity"], f["line"]) for f in draft["findings"]] == [("PC002", "warning", 15)]
    _edit(clean / "specs/042-auth/plan.md", "status: draft", "status: review")
    review = _check(clean, "--no-history", expect=1)
    assert [(f["rule"], f["severity"]) for f in review["findings"]] == [("PC002", "error")]


def test_conflict_markers_in_code_are_examples(clean: Path) -> None:
    _edit(
        clean / "specs/042-auth/plan.md",
        "Single sign-on",
        "```\n<<<<<<< HEAD\n=======\n>>>>>>> topic\n```\n\nSingle sign-on",
    )
    assert "PC012" not in _rules(_check(clean, "--no-history"))


def test_links_in_code_are_not_checked(clean: Path) -> None:
    _edit(clean / "specs/042-auth/spec.md", "See the", "`[x](nowhere.md)` and\n```\n[y](nowhere.md)\n```\n\nSee the")
    assert "PC003" not in _rules(_check(clean, "--no-history"))


def test_duplicate_numbers_and_unmirrored_supersedes(clean: Path) -> None:
    (clean / "specs/042-other").mkdir()
    (clean / "specs/042-other/spec.md").write_text(SPEC.replace("feature: 042-auth", "feature: 042-other"))
    adr = clean / "specs/042-auth/adr"
    (adr / "002-twin.md").write_text("---\ntitle: Twin\nstatus: proposed\nversion: 0.1.0\n---\n\n# Twin\n")
    _edit(
        adr / "001-use-the-company-identity-provider.md",
        "superseded_by: [002-sessions-in-cookies.md]",
        "superseded_by: []",
    )
    report = _check(clean, "--no-history")
    assert {"PC005", "PC006", "PC007"} <= _rules(report)
    pc005 = [f["path"] for f in report["findings"] if f["rule"] == "PC005"]
    assert pc005 == ["specs/042-auth/spec.md", "specs/042-other/spec.md"]


def test_a_stale_decision_index(clean: Path) -> None:
    _edit(clean / "specs/042-auth/plan.md", " — superseded by ADR 002", " — accepted")
    report = _check(clean, "--no-history", expect=0)  # a warning by default
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("PC011", "warning")]


def test_history_rules(clean: Path) -> None:
    plan = clean / "specs/042-auth/plan.md"
    _edit(plan, "Single sign-on", "Single sign-on (SAML)")
    git(clean, "add", "-A")
    commit(clean, "--no-verify", "-m", "Reworded without the hook")
    report = _check(clean)
    assert "PC009" in _rules(report)
    _edit(plan, "| Ada Lovelace |", "| Somebody Else |")
    git(clean, "add", "-A")
    commit(clean, "--no-verify", "-m", "Row edited by hand")
    assert "PC008" in _rules(_check(clean))
    assert not {"PC008", "PC009"} & _rules(_check(clean, "--no-history"))


def test_severities_from_the_configuration_and_ignore_comments(clean: Path) -> None:
    _edit(clean / "specs/042-auth/plan.md", "Single sign-on", "[How] <!-- plancycle: ignore PC002 -->")
    _edit(
        clean / "specs/042-auth/spec.md",
        "See the [plan](plan.md).",
        "<!-- plancycle: ignore broken-link -->\nSee the [plan](plans.md).",
    )
    assert _check(clean, "--no-history", expect=0)["findings"] == []
    _edit(
        clean / "specs/042-auth/spec.md", "See the [plan](plans.md).", "See the [plan](plans.md).\n\n[again](gone.md)"
    )
    assert _rules(_check(clean, "--no-history", expect=1)) == {"PC003"}
    (clean / ".plancycle.toml").write_text('[check]\nPC003 = "warning"\ndecision-index = "error"\n')
    report = _check(clean, "--no-history", expect=0)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("PC003", "warning")]
    (clean / ".plancycle.toml").write_text('[check]\nPC099 = "off"\n')
    bad = run_cli("check", cwd=clean, expect=2)
    assert "has no rule 'PC099'" in bad.err and ".plancycle.toml" in bad.err
    (clean / ".plancycle.toml").write_text('[check]\nPC003 = "loud"\n')
    assert "must be one of off, warning, error" in run_cli("check", cwd=clean, expect=2).err


def test_paths_limit_what_is_reported(clean: Path) -> None:
    _edit(clean / "specs/042-auth/spec.md", "[plan](plan.md)", "[plan](plans.md)")
    assert _check(clean, "specs/042-auth/plan.md", "--no-history", expect=0)["findings"] == []
    assert _rules(_check(clean, "specs/042-auth/spec.md", "--no-history", expect=1)) == {"PC003"}


def _broken(clean: Path) -> None:
    _edit(clean / "specs/042-auth/spec.md", "[plan](plan.md)", "[plan, v2: draft](<plan, v2.md>)")
    _edit(clean / "specs/042-auth/plan.md", "Single sign-on", "{{APPROACH}}")


def test_plain_and_github_output_line_by_line(clean: Path) -> None:
    _broken(clean)
    plain = run_cli("check", "--no-history", cwd=clean, expect=1).out.splitlines()
    assert plain == [
        "specs/042-auth/plan.md:15: warning PC002 placeholders: unfilled placeholder {{APPROACH}} (draft)",
        "specs/042-auth/spec.md:16: error PC003 broken-link: link to plan, v2.md, which does not exist",
    ]
    github = run_cli("check", "--no-history", "--format", "github", cwd=clean, expect=1).out.splitlines()
    assert github[0] == (
        "::warning file=specs/042-auth/plan.md,line=15,title=PC002 placeholders::"
        "unfilled placeholder {{APPROACH}} (draft)"
    )
    assert github[1] == (
        "::error file=specs/042-auth/spec.md,line=16,title=PC003 broken-link::link to plan, v2.md, which does not exist"
    )
    assert len(github) == 2


def test_github_escapes_what_the_runner_would_misread(tmp_path: Path) -> None:
    from plancycle.check.finding import Finding
    from plancycle.check.formats import github
    from plancycle.check.rules import rule

    line = github([Finding(rule("PC003"), "error", "specs/a,b:c.md", 3, "100% broken\nsecond line")])
    assert line == "::error file=specs/a%2Cb%3Ac.md,line=3,title=PC003 broken-link::100%25 broken%0Asecond line\n"


def test_sarif_is_valid_against_the_schema_and_says_what_was_found(clean: Path) -> None:
    _broken(clean)
    log = json.loads(run_cli("check", "--no-history", "--format", "sarif", cwd=clean, expect=1).out)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "plancycle"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["PC001", "PC002", "PC003"]
    results = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    ]
    assert results == [
        ("PC002", "warning", "specs/042-auth/plan.md", 15),
        ("PC003", "error", "specs/042-auth/spec.md", 16),
    ]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    empty = json.loads(run_cli("check", "--no-history", "--format", "sarif", "specs/042-auth/adr", cwd=clean).out)
    jsonschema.Draft4Validator(schema).validate(empty)
    assert empty["runs"][0]["results"] == []


# -- the readers end on any text, in linear time ---------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from plancycle.documents.document import Document  # noqa: E402
from plancycle.documents.placeholders import find_placeholders  # noqa: E402
from plancycle.lifecycle.approval import record_approval  # noqa: E402
from plancycle.lifecycle.compliance import compliance_gaps  # noqa: E402

_MARKUP = st.text(st.sampled_from("[]{}()_`~<>!-|#*:x \t\n☐✅TBDO.^/\\"), max_size=400)


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_placeholder_and_gate_scans_end_on_any_text(text: str) -> None:
    lines = text.splitlines(keepends=True)
    for found in find_placeholders(lines):
        assert 1 <= found.line <= len(lines) and found.text
    doc = Document("## Principles Gate\n\n" + text)
    for gap in compliance_gaps(doc):
        assert gap.line >= 1


@settings(max_examples=200, deadline=None)
@given(_MARKUP)
def test_recording_an_approval_changes_only_what_it_owns(text: str) -> None:
    doc = Document("---\ntitle: x\n---\n" + text)
    before = doc.body_lines
    record_approval(doc, "Ada", "2026-01-15")
    after = doc.body_lines
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        if old != new:  # only a ticked approval row or footer
            assert "☑" in new or "[x] 2026-01-15 by Ada" in new


def test_long_hostile_lines_end_with_the_right_answer() -> None:
    # Patterns of bounded classes only: these would take hours with a backtracking pattern.
    for line in ("[" * 100_000, "{" * 100_000, "`" * 100_000, "[a](" * 30_000):
        assert list(find_placeholders([line + "\n"])) == []
    assert len(list(find_placeholders(["[x] " + "[fill] " * 20_000 + "\n"]))) == 20_000
    assert len(compliance_gaps(Document("## Gate\n\n" + "- [ ] item\n" * 20_000))) == 20_000


def test_body_lines_in_step_with_the_frontmatter_are_quiet(clean: Path) -> None:
    _edit(
        clean / "specs/042-auth/plan.md",
        "# Plan: Auth\n",
        "# Plan: Auth\n\n**Version**: 0.1 | **Status**: Draft | **Last Updated**: 2026-01-15\n",
    )
    assert "PC013" not in _rules(_check(clean, "--no-history"))
    _edit(clean / "specs/042-auth/plan.md", "**Last Updated**: 2026-01-15", "**Last Updated**: 2026-01-16")
    found = [f for f in _check(clean, "--no-history")["findings"] if f["rule"] == "PC013"]
    assert [(f["line"], f["severity"]) for f in found] == [(13, "warning")]
    assert "`Last Updated: 2026-01-16` here, but `updated: 2026-01-15` in the frontmatter" in found[0]["message"]
