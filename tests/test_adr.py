"""Decision records through the real CLI and the library on real repositories: numbering,
exact titles, links that name the right record, extraction that loses no word."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import frontmatter
import pytest
from conftest import commit_all, git, run_cli, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancycle.adr.create import new_record
from plancycle.adr.records import read_records, scope_of
from plancycle.documents.links import find_links, rewrite_links
from plancycle.documents.markers import find_region
from plancycle.errors import DocumentError
from plancycle.project.project import Project

PLANS = Path(__file__).parent / "plans" / "adr"


def _feature(repo: Path, cli) -> Path:
    cli("feature", "new", "042-auth", "--title", "Auth")
    cli("plan", "new", "042-auth")
    return repo / "specs/042-auth"


def _record(folder: Path, name: str, status: str = "accepted") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    title = name.split("-", 1)[1].replace("-", " ")
    (folder / f"{name}.md").write_text(f"---\ntitle: {title}\nstatus: {status}\nversion: 1.0.0\n---\n\n# {title}\n")


def test_supersedes_resolves_the_number_exactly(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    # adr-tools style four-digit names: number 2 is 0002, never 0001-use-http2.
    _record(feature / "adr", "0001-use-http2")
    _record(feature / "adr", "0002-use-grpc")
    _record(feature / "adr", "0012-use-2fa")
    out = cli("adr", "new", "042", "Use HTTP3", "--supersedes", "2").out.strip()
    assert out == "specs/042-auth/adr/013-use-http3.md"
    assert frontmatter.load(repo / out)["supersedes"] == ["0002-use-grpc.md"]
    assert frontmatter.load(feature / "adr/0002-use-grpc.md")["superseded_by"] == ["013-use-http3.md"]
    assert frontmatter.load(feature / "adr/0001-use-http2.md")["status"] == "accepted"
    assert frontmatter.load(feature / "adr/0012-use-2fa.md")["status"] == "accepted"


def test_a_refused_new_record_writes_nothing(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    _record(feature / "adr", "001-use-mysql", status="proposed")
    before = snapshot(repo)
    for args, code, words in (
        (["--supersedes", "99"], 3, "no decision 99"),
        (["--supersedes", "1"], 4, "only an accepted decision can be superseded"),
        (["--supersedes", "001-nope"], 3, "no decision 001-nope"),
    ):
        result = cli("adr", "new", "042", "Use Redis", *args, expect=code)
        assert words in result.err and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
        assert snapshot(repo) == before


def test_numbers_on_other_branches_are_taken(repo: Path, cli) -> None:
    _feature(repo, cli)
    commit_all(repo, "start")
    git(repo, "switch", "-q", "-c", "other")
    cli("adr", "new", "042", "First on a branch")
    cli("adr", "new", "042", "Second on a branch")
    commit_all(repo, "branch work")
    git(repo, "switch", "-q", "main")
    assert cli("adr", "new", "042", "On main").out.strip() == "specs/042-auth/adr/003-on-main.md"


_TITLES = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029\x85"), min_size=1, max_size=300
).filter(lambda t: t.strip() and not t.strip().startswith("#"))


@pytest.fixture(scope="module")
def title_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("titles") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run_cli("feature", "new", "042-auth", cwd=repo)
    return repo


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TITLES)
def test_any_title_is_kept_exactly_with_a_safe_slug(title_repo: Path, title: str) -> None:
    project = Project.discover(title_repo)
    created = new_record(project, scope_of(project, "042"), title)
    assert re.fullmatch(r"\d{3}-[a-z0-9]+(?:-[a-z0-9]+)*\.md", created.path.name), created.path.name
    assert len(created.path.name) <= 3 + 1 + 50 + 3
    post = frontmatter.load(created.path)  # valid YAML, and the title reads back as given
    assert post["title"] == title.strip()
    record = next(r for r in read_records(project, scope_of(project, "042")) if r.path == created.path)
    assert record.title == title.strip() and record.error is None


def test_titles_of_every_hard_kind(repo: Path, cli) -> None:
    _feature(repo, cli)
    for title in ("A & B | C", 'Say "no" to \\ backslashes', "- starts like a list", "Ship it 🚀✨", "x" * 300):
        path = repo / cli("adr", "new", "042", "--", title).out.strip()
        assert frontmatter.load(path)["title"] == title
        assert f"# {title}\n" in path.read_text(encoding="utf-8")
    index = (repo / "specs/042-auth/plan.md").read_text(encoding="utf-8")
    assert '[ADR 002: Say "no" to \\\\ backslashes](adr/002-say-no-to-backslashes.md)' in index


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"\w+", text))


def test_extract_turns_every_inline_decision_of_a_seed_style_plan_into_a_record(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    plan = feature / "plan.md"
    original = (PLANS / "seed000-filled.md").read_text(encoding="utf-8")
    plan.write_text(original, encoding="utf-8")
    out = cli("adr", "extract", "042").out
    assert out.count("→") == 3
    records = sorted((feature / "adr").glob("*.md"))
    assert [p.name for p in records] == [
        "001-one-outbox-table-per-producing-service.md",
        "002-preferences-stored-as-a-json-document-per-user.md",
        "003-retry-with-exponential-backoff-capped-at-one-hour.md",
    ]
    statuses = [frontmatter.load(p)["status"] for p in records]
    assert statuses == ["accepted", "proposed", "superseded"]
    # Every word of each block is in its record (labels become headings of their own).
    blocks = re.split(r"(?m)^#{2,3} (?=AD-)", original.split("## Tech Stack")[0])[1:]
    for block, path in zip(blocks, records, strict=True):
        text = path.read_text(encoding="utf-8")
        lost = _words(block) - _words(text) - _words("AD 001 002 003 Alternatives Considered Status")
        assert not lost, (path.name, lost)
    body = plan.read_text(encoding="utf-8")
    assert "AD-00" not in body and "## Tech Stack" in body and "- **Framework:** FastAPI" in body
    assert "(adr/003-retry-with-exponential-backoff-capped-at-one-hour.md)" in body
    sections = re.findall(r"(?m)^## .*", records[0].read_text(encoding="utf-8"))
    assert sections == [
        "## Context",
        "## Decision",
        "## Rationale",
        "## Options Considered",
        "## Consequences",
        "## Change Log",
    ]


def test_extract_reads_the_shipped_fastapi_plan_once_filled(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    cli("plan", "new", "042-auth", "-T", "fastapi")
    plan = repo / "specs/042-auth/plan.md"
    text = plan.read_text(encoding="utf-8")
    unfilled = cli("adr", "extract", "042")
    assert "unfilled template block" in unfilled.err and not (repo / "specs/042-auth/adr").exists()
    filled = re.sub(r"\{decision title\}", "Tokens in Redis", text, flags=re.I)
    filled = re.sub(r"- \*\*(Context|Choice|Because):\*\* \{[^}]*\}", r"- **\1:** filled in for \1", filled)
    plan.write_text(filled, encoding="utf-8")
    cli("adr", "extract", "042")
    record = next((repo / "specs/042-auth/adr").glob("*.md")).read_text(encoding="utf-8")
    assert "## Context\n\nfilled in for Context" in record and "## Decision\n\nfilled in for Choice" in record
    assert "## Rationale\n\nfilled in for Because" in record


def test_extract_dry_run_writes_nothing(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    (feature / "plan.md").write_text((PLANS / "seed000-filled.md").read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(repo)
    out = cli("adr", "extract", "042", "--dry-run").out
    assert "+++ b/specs/042-auth/adr/001-one-outbox-table-per-producing-service.md" in out
    assert "-### AD-001: One outbox table per producing service" in out
    assert snapshot(repo) == before


def test_status_and_list_show_decisions(repo: Path, cli) -> None:
    _feature(repo, cli)
    cli("adr", "new", "042", "One")
    cli("adr", "new", "042", "Two", "--status", "accepted")
    cli("adr", "new", "--global", "Everywhere")
    data = json.loads(cli("status", "--json").out)
    assert data["features"][0]["decisions"]["counts"] == {"proposed": 1, "accepted": 1}
    assert [r["title"] for r in data["features"][0]["decisions"]["records"]] == ["One", "Two"]
    assert data["decisions"]["counts"] == {"proposed": 1}
    assert "1 proposed, 1 accepted" in cli("status").out
    listed = json.loads(cli("adr", "list", "--status", "accepted", "--json").out)["decisions"]
    assert [d["title"] for d in listed] == ["Two"]
    assert "Everywhere" in cli("adr", "show", "--global", "1").out


def test_an_unreadable_record_is_named_with_its_line(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    (feature / "adr").mkdir()
    (feature / "adr/001-broken.md").write_text("---\ntitle: [unclosed\n---\n")
    result = cli("adr", "list", expect=5)
    assert re.search(r"specs/042-auth/adr/001-broken\.md:\d+: invalid YAML", result.err)
    assert "Traceback" not in result.err
    refused = cli("adr", "accept", "042", "1", expect=5)
    assert "001-broken.md:" in refused.err and len(refused.err.strip().splitlines()) == 1


def test_region_markers_are_checked() -> None:
    lines = ["a\n", "<!-- plancycle:decisions -->\n", "x\n"]
    with pytest.raises(DocumentError, match=r":2: .*must both be there"):
        find_region(lines, "decisions", "plan.md")
    fenced = ["```\n", "<!-- plancycle:decisions -->\n", "```\n"]
    assert find_region(fenced, "decisions") is None  # an example in a code block is no region


def test_links_in_code_are_left_alone() -> None:
    lines = ["[a](adr/001-x.md)\n", "```\n", "[b](adr/001-x.md)\n", "```\n", "[c]: adr/001-x.md\n", "[u](https://x)\n"]
    assert [(link.line, link.target) for link in find_links(lines)] == [(0, "adr/001-x.md"), (4, "adr/001-x.md")]
    changed = rewrite_links(lines, lambda t: t.replace("001", "004"))
    assert changed == 2 and lines[2] == "[b](adr/001-x.md)\n" and lines[4] == "[c]: adr/004-x.md\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("[]()<>#!:`~ \t-abc./\\\"'\n"), max_size=80), max_size=30))
def test_link_scan_ends_on_any_text(chunks: list[str]) -> None:
    lines = [c + "\n" for c in chunks]
    found = list(find_links(lines))
    rewrite_links(lines, lambda t: t + "x")
    assert len(found) <= sum(line.count("](") + 1 for line in chunks)


def test_edit_opens_the_new_record_in_the_editor(repo: Path, cli, tmp_path: Path) -> None:
    _feature(repo, cli)
    seen = tmp_path / "seen"
    editor = tmp_path / "editor"
    editor.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{seen}"\n')
    editor.chmod(0o755)
    out = cli("adr", "new", "042", "Edit me", "--edit", env={"VISUAL": "", "EDITOR": str(editor)}).out
    assert seen.read_text().endswith("specs/042-auth/adr/001-edit-me.md")
    assert out.strip() == "specs/042-auth/adr/001-edit-me.md"
    cli("adr", "new", "042", "Not edited", env={"VISUAL": "", "EDITOR": str(editor / "missing")})  # only with --edit
    failed = cli("adr", "new", "042", "No editor", "--edit", env={"VISUAL": "", "EDITOR": ""}, expect=2)
    assert "set $VISUAL or $EDITOR" in failed.err and not (repo / "specs/042-auth/adr/003-no-editor.md").exists()


FENCED = """---
title: Plan
status: draft
version: 0.1.0
---

## Architecture Decisions

### AD-001: Config as YAML
#### Decision
Use this config:
```yaml
#### Consequences
- **Status:** Rejected
```
#### Status
Accepted

---

### AD-002: With a rule after it
- **Decision:** use it
- **Status:** Superseded by AD-001

---

## Tech Stack
"""


def test_extract_leaves_fenced_code_alone_and_reads_status_before_a_rule(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    (feature / "plan.md").write_text(FENCED, encoding="utf-8")
    cli("adr", "extract", "042")
    first = (feature / "adr/001-config-as-yaml.md").read_text(encoding="utf-8")
    assert "```yaml\n#### Consequences\n- **Status:** Rejected\n```" in first
    assert frontmatter.loads(first)["status"] == "accepted"
    second = (feature / "adr/002-with-a-rule-after-it.md").read_text(encoding="utf-8")
    assert frontmatter.loads(second)["status"] == "superseded"
    assert "Superseded by AD-001" in second and "---\n\n## Change Log" not in second


def test_extract_keeps_free_numbers_for_the_blocks_that_have_them(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    cli("adr", "new", "042", "Taken")  # 001
    plan = feature / "plan.md"
    plan.write_text(
        "---\ntitle: P\n---\n\n## Decisions\n\n### AD-001: First\n- **Decision:** one, see [spec](spec.md#goals)\n\n"
        "### AD-002: Second\n- **Decision:** two\n",
        encoding="utf-8",
    )
    cli("adr", "extract", "042")
    names = sorted(p.name for p in (feature / "adr").glob("*.md"))
    assert names == ["001-taken.md", "002-second.md", "003-first.md"]
    assert "[spec](../spec.md#goals)" in (feature / "adr/003-first.md").read_text(encoding="utf-8")


def test_rejecting_a_successor_gives_the_old_decision_back(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    cli("adr", "new", "042", "Old", "--status", "accepted")
    cli("adr", "new", "042", "New", "--supersedes", "1")
    assert frontmatter.load(feature / "adr/001-old.md")["status"] == "superseded"
    cli("adr", "reject", "042", "2")
    old = frontmatter.load(feature / "adr/001-old.md")
    assert old["status"] == "accepted" and old["superseded_by"] == []


def test_odd_numbers_and_links_are_clean_errors(repo: Path, cli, tmp_path: Path) -> None:
    feature = _feature(repo, cli)
    cli("adr", "new", "042", "One")
    for ref in ("²", "abc", "1.5", "-1"):
        result = cli("adr", "show", "042", "--", ref, expect=None)
        assert result.code in (2, 3) and "Traceback" not in result.err and "internal error" not in result.err, ref
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Out\nstatus: proposed\nversion: 0.1.0\n---\n")
    (feature / "adr/002-linked.md").symlink_to(outside)
    refused = cli("adr", "accept", "042", "2", expect=7)
    assert "symbolic link" in refused.err


def test_renumber_ignores_documents_that_cannot_name_the_record(repo: Path, cli) -> None:
    feature = _feature(repo, cli)
    cli("adr", "new", "042", "Cache")
    (feature / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (repo / "README.md").write_text(
        "Decisions: [cache](specs/042-auth/adr/001-cache.md) and `[c](specs/042-auth/adr/001-cache.md)`\n"
    )
    cli("adr", "renumber", "042", "1", "--to", "7")
    assert (repo / "README.md").read_text() == (
        "Decisions: [cache](specs/042-auth/adr/007-cache.md) and `[c](specs/042-auth/adr/001-cache.md)`\n"
    )


def test_a_merge_does_not_bump_what_only_the_other_branch_changed(repo: Path, cli) -> None:
    cli("hooks", "install")
    feature = _feature(repo, cli)
    cli("adr", "new", "042", "Cache")
    (repo / "notes.txt").write_text("base\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    git(repo, "switch", "-q", "-c", "side")
    cli("adr", "accept", "042", "1")
    (repo / "notes.txt").write_text("side\n")
    git(repo, "commit", "-q", "-a", "-m", "accept")
    assert frontmatter.load(feature / "adr/001-cache.md")["version"] == "1.0.0"
    git(repo, "switch", "-q", "main")
    (repo / "notes.txt").write_text("main\n")
    git(repo, "commit", "-q", "-a", "-m", "conflicting")
    git(repo, "merge", "-q", "side", check=False)
    (repo / "notes.txt").write_text("merged\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "--no-edit")
    record = frontmatter.load(feature / "adr/001-cache.md")
    assert record["version"] == "1.0.0"
    text = (feature / "adr/001-cache.md").read_text(encoding="utf-8")
    assert text.count("Status: proposed → accepted") == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("#AD-01: \t*_-[]`~>\n<!-/plancycle:decisions"), max_size=60), max_size=30))
def test_block_and_region_scans_end_on_any_text(chunks: list[str]) -> None:
    from plancycle.adr.extract import find_blocks

    lines = [c + "\n" for c in chunks]
    for block in find_blocks(lines):
        assert 0 <= block.start < block.stop <= len(lines)
    try:
        region = find_region(lines, "decisions")
    except DocumentError:
        return
    assert region is None or region.start < region.end
