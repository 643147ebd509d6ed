"""`plancycle feature new`, `plan new` and `status` in real repositories."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
import pytest
from conftest import AUTHOR, commit_all, git, snapshot

PLAN_STYLES = ["standard", "fastapi", "comprehensive", "sdd", "compact"]


def test_new_feature_creates_spec_with_frontmatter_and_change_log(repo: Path, cli) -> None:
    result = cli("feature", "new", "042-auth", "--title", "User authentication")
    assert "specs/042-auth/spec.md" in result.out
    post = frontmatter.load(repo / "specs/042-auth/spec.md")
    assert post["title"] == "User authentication"
    assert post["feature"] == "042-auth"
    assert post["status"] == "draft"
    assert post["version"] == "0.1.0"
    assert str(post["created"]) == str(post["updated"]) == "2026-01-15"
    assert "## Change Log" in post.content
    assert f"| 0.1.0 | 2026-01-15 | {AUTHOR} |" in post.content


def test_next_number_follows_the_highest(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    result = cli("feature", "new", "billing")
    assert (repo / "specs/043-billing/spec.md").is_file()
    assert "043-billing" in result.out


def test_first_feature_gets_number_one(repo: Path, cli) -> None:
    cli("feature", "new", "auth")
    assert (repo / "specs/001-auth/spec.md").is_file()


def test_next_number_sees_remote_tracking_branches(tmp_path: Path, repo: Path, cli) -> None:
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    git(upstream, "init", "-q")
    (upstream / "specs/050-x").mkdir(parents=True)
    (upstream / "specs/050-x/spec.md").write_text("---\ntitle: x\n---\n")
    commit_all(upstream, "x")
    cli("feature", "new", "042-auth")
    commit_all(repo, "auth")
    git(repo, "remote", "add", "origin", str(upstream))
    git(repo, "fetch", "-q", "origin")
    cli("feature", "new", "billing")
    assert (repo / "specs/051-billing/spec.md").is_file()


def feature_on_another_branch(repo: Path, cli) -> None:
    """001-base on main, 007-elsewhere only on the branch `other`; main checked out."""
    cli("feature", "new", "001-base")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "other")
    cli("feature", "new", "007-elsewhere")
    commit_all(repo, "elsewhere")
    git(repo, "checkout", "-q", "main")


def test_next_number_sees_local_branches(repo: Path, cli) -> None:
    feature_on_another_branch(repo, cli)
    assert not (repo / "specs/007-elsewhere").exists()
    cli("feature", "new", "next")
    assert (repo / "specs/008-next").is_dir()


def test_explicit_number_used_on_a_branch_is_refused_naming_it(repo: Path, cli) -> None:
    feature_on_another_branch(repo, cli)
    before = snapshot(repo)
    result = cli("feature", "new", "007-mine", expect=4)
    assert "specs/007-elsewhere on branch other" in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert snapshot(repo) == before


def test_same_feature_twice_is_refused(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    before = snapshot(repo)
    result = cli("feature", "new", "042-auth", expect=4)
    assert "042" in result.err and "already used" in result.err
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "name, message",
    [
        ("../evil", "path separators"),
        ("specs/x", "path separators"),
        ("a..b", "'..'"),
        ("042-", "no usable words"),
        ("042", "no usable words"),
        ("---", "no usable words"),
        ("   ", "empty"),
        ("認証", "cannot transliterate"),
    ],
)
def test_bad_names_write_nothing(repo: Path, cli, name: str, message: str) -> None:
    result = cli("feature", "new", "--", name, expect=2)
    assert message in result.err
    assert result.err.startswith("plancycle: error:") and result.err.count("\n") == 1
    assert snapshot(repo) == {}


def test_unicode_name_is_transliterated(repo: Path, cli) -> None:
    cli("feature", "new", "Über Straße")
    spec = repo / "specs/001-uber-strasse/spec.md"
    assert frontmatter.load(spec)["title"] == "Über Straße"


def test_branch_option_creates_and_switches(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth", "--branch")
    assert git(repo, "symbolic-ref", "--short", "HEAD").strip() == "042-auth"
    assert (repo / "specs/042-auth/spec.md").is_file()


def test_existing_branch_refused_before_writing(repo: Path, cli) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "root")
    git(repo, "branch", "042-auth")
    result = cli("feature", "new", "042-auth", "--branch", expect=4)
    assert "branch '042-auth' already exists" in result.err
    assert snapshot(repo) == {}


def test_works_from_a_subfolder(repo: Path, cli) -> None:
    (repo / "src/deep").mkdir(parents=True)
    cli("feature", "new", "042-auth", cwd=repo / "src/deep")
    assert (repo / "specs/042-auth/spec.md").is_file()
    cli("plan", "new", "auth", cwd=repo / "src/deep")
    assert (repo / "specs/042-auth/plan.md").is_file()


def test_outside_a_repository_says_so(tmp_path: Path, cli) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    result = cli("feature", "new", "auth", cwd=outside, expect=6)
    assert "not inside a git repository" in result.err
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("style", PLAN_STYLES)
def test_plan_new_for_each_style(repo: Path, cli, style: str) -> None:
    cli("feature", "new", "042-auth", "--title", "Auth")
    cli("plan", "new", "042-auth", "--template", style)
    text = (repo / "specs/042-auth/plan.md").read_text()
    post = frontmatter.loads(text)
    assert post["spec"] == "spec.md"
    assert post["status"] == "draft" and post["version"] == "0.1.0"
    assert post["feature"] == "042-auth"
    assert "## Change Log" in text
    assert f"`plan-{style}`" in text
    headings = [line.lower() for line in text.splitlines() if line.startswith("#")]
    assert any(h.lstrip("# ").startswith(("implementation", "timeline & milestones")) for h in headings), headings


def test_sdd_tokens_come_out_literally(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    cli("plan", "new", "042-auth", "-T", "sdd")
    text = (repo / "specs/042-auth/plan.md").read_text()
    assert "{{NOTES}}" in text and "{{ARCHITECTURE_DIAGRAM}}" in text
    assert "{%" not in text


def test_placeholders_stay_visible(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    cli("plan", "new", "042-auth")
    text = (repo / "specs/042-auth/plan.md").read_text()
    assert "[Task description]" in text


def test_plan_for_missing_feature_is_refused(repo: Path, cli) -> None:
    result = cli("plan", "new", "099-nothing", expect=3)
    assert "no feature '099-nothing'" in result.err
    assert snapshot(repo) == {}


def test_plan_without_spec_is_refused(repo: Path, cli) -> None:
    (repo / "specs/042-auth").mkdir(parents=True)
    result = cli("plan", "new", "042-auth", expect=3)
    assert "spec.md is missing" in result.err
    assert not (repo / "specs/042-auth/plan.md").exists()


def test_existing_plan_needs_force_and_force_keeps_a_backup(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    cli("plan", "new", "042-auth")
    plan = repo / "specs/042-auth/plan.md"
    plan.write_text(plan.read_text() + "\nmy notes\n")
    mine = plan.read_bytes()
    result = cli("plan", "new", "042-auth", "-T", "compact", expect=4)
    assert "--force" in result.err
    assert plan.read_bytes() == mine
    cli("plan", "new", "042-auth", "-T", "compact", "--force")
    assert (repo / "specs/042-auth/plan.md.bak").read_bytes() == mine
    assert "plan-compact" in plan.read_text()


def test_unknown_plan_style_lists_the_choices(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    result = cli("plan", "new", "042-auth", "-T", "nope", expect=3)
    for style in PLAN_STYLES:
        assert style in result.err
    assert not (repo / "specs/042-auth/plan.md").exists()


def test_spec_with_broken_yaml_is_a_one_line_error(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    spec = repo / "specs/042-auth/spec.md"
    spec.write_text("---\ntitle: ok\nstatus: [draft\n---\nbody\n")
    before = snapshot(repo)
    result = cli("plan", "new", "042-auth", expect=5)
    assert result.err.startswith("plancycle: error: ")
    assert "specs/042-auth/spec.md:" in result.err and "invalid YAML" in result.err
    assert result.err.count("\n") == 1
    assert snapshot(repo) == before
    status = cli("status", expect=5)
    assert "spec.md:" in status.err


def test_status_json_lists_features_with_stable_keys(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth", "--title", "Auth")
    cli("feature", "new", "billing")
    cli("plan", "new", "042-auth", "-T", "fastapi")
    data = json.loads(cli("status", "--json").out)
    names = [f["name"] for f in data["features"]]
    assert names == ["042-auth", "043-billing"]
    auth = data["features"][0]
    assert set(auth) == {"number", "name", "title", "path", "stage", "updated", "documents", "progress", "decisions"}
    assert set(data) == {"features", "decisions", "unmanaged"}
    assert data["unmanaged"] == []  # documents without plancycle frontmatter: none here
    assert auth["progress"] is None
    assert auth["stage"] == "plan" and auth["title"] == "Auth" and auth["number"] == 42
    assert set(auth["documents"]) == {"spec", "plan", "tasks"}
    assert auth["documents"]["plan"] == {
        "path": "specs/042-auth/plan.md",
        "status": "draft",
        "version": "0.1.0",
        "updated": "2026-01-15",
        "error": None,  # or the one-line reason the document could not be read
    }
    assert auth["documents"]["tasks"] is None
    one = json.loads(cli("status", "billing", "--json").out)
    assert [f["name"] for f in one["features"]] == ["043-billing"]


def test_status_is_plain_when_piped(repo: Path, cli) -> None:
    cli("feature", "new", "042-auth")
    out = cli("status").out.splitlines()
    assert out[0].split("\t") == ["feature", "title", "stage", "spec", "plan", "tasks", "decisions", "updated"]
    assert out[1].split("\t") == ["042-auth", "Auth", "spec", "draft 0.1.0", "-", "-", "-", "2026-01-15"]


def test_status_with_no_features(repo: Path, cli) -> None:
    assert "no features" in cli("status").out
    assert json.loads(cli("status", "--json").out) == {
        "features": [],
        "decisions": {"counts": {}, "records": []},
        "unmanaged": [],
    }
