"""`plancycle index` (specs/README.md), `status --format markdown` and `plancycle board` (one
HTML file), on a repository with features in every stage and decisions that superseded
others. The board is opened in a real headless Chromium where one is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import commit, git, golden, run_cli

EXPECTED = Path(__file__).parent / "plans" / "publish"
DAY = "2026-03-02T10:00:00+00:00"
ENV = {"GIT_COMMITTER_DATE": DAY, "GIT_AUTHOR_DATE": DAY}
PLAN = """
## Implementation Order

### Phase 1: Build

- Build the first part
- Build the second part
- Ship it
"""


def _cli(repo: Path, *args: str) -> str:
    return run_cli(*args, cwd=repo, env=ENV).out


def _commit(repo: Path, message: str, day: str) -> None:
    git(repo, "add", "-A")
    commit(repo, "-m", message, date=f"{day}T10:00:00+00:00")


@pytest.fixture
def project(repo: Path) -> Path:
    """Features in every stage, a supersede chain, and text of the team's around the index."""
    _cli(repo, "hooks", "install")
    _cli(repo, "feature", "new", "041-search", "--title", "Search | filters")
    _commit(repo, "Search spec", "2026-01-05")
    _cli(repo, "feature", "new", "042-auth", "--title", "Auth")
    _cli(repo, "plan", "new", "042-auth")
    _cli(repo, "adr", "new", "042-auth", "Sessions in Redis")
    _cli(repo, "adr", "new", "042-auth", "Sessions in cookies")
    _commit(repo, "Auth plan and decisions", "2026-01-10")
    _cli(repo, "adr", "accept", "042-auth", "1")
    _cli(repo, "adr", "accept", "042-auth", "2")
    _cli(repo, "adr", "supersede", "042-auth", "1", "2")
    _commit(repo, "Cookies win", "2026-01-20")
    for name, title, done in (("043-billing", "Billing", 1), ("044-export", "Export", 3)):
        _cli(repo, "feature", "new", name, "--title", title)
        _cli(repo, "plan", "new", name)
        plan = repo / "specs" / name / "plan.md"
        plan.write_text(plan.read_text(encoding="utf-8") + PLAN, encoding="utf-8")
        _commit(repo, f"{title} plan", "2026-02-01")
        _cli(repo, "tasks", "derive", name)
        _cli(repo, "tasks", "done", name, *[f"T00{n}" for n in range(1, done + 1)])
        _commit(repo, f"{title} tasks", "2026-02-10")
    index = repo / "specs" / "README.md"
    index.write_text(
        "# Our features\n\nWritten by the team, above.\n\n<!-- plancycle:index -->\n<!-- /plancycle:index -->\n\nAnd below.\n"
    )
    return repo


def test_the_index_is_a_table_and_diagrams_between_the_markers(project: Path) -> None:
    shown = run_cli("index", "--check", cwd=project, expect=1)
    assert "specs/README.md is not current; run `plancycle index`" in shown.err
    _cli(project, "index")
    text = (project / "specs/README.md").read_text(encoding="utf-8")
    golden(EXPECTED / "README.md", text)
    assert text.startswith("# Our features\n\nWritten by the team, above.\n\n<!-- plancycle:index -->\n")
    assert text.endswith("<!-- /plancycle:index -->\n\nAnd below.\n")
    run_cli("index", "--check", cwd=project)
    assert "up to date" in _cli(project, "index")
    # the table is the one `status --format markdown` prints (links aside)
    table = _cli(project, "status", "--format", "markdown").splitlines()
    assert [re.sub(r"\[([^]]+)\]\([^)]+\)", r"\1", line) for line in text.splitlines() if line.startswith("|")] == table


def test_the_index_is_made_when_missing_and_a_broken_region_is_refused(project: Path) -> None:
    index = project / "specs/README.md"
    index.unlink()
    _cli(project, "index")
    assert index.read_text(encoding="utf-8").startswith("# Features\n\n<!-- plancycle:index -->\n")
    index.write_text("# Ours\n\n<!-- plancycle:index -->\nno end\n")
    before = index.read_bytes()
    failed = run_cli("index", cwd=project, expect=None)
    assert failed.code != 0 and "specs/README.md:3:" in failed.err and "Traceback" not in failed.err
    assert index.read_bytes() == before


def test_the_hook_keeps_the_index_current_when_asked(project: Path) -> None:
    (project / ".plancycle.toml").write_text("index_on_commit = true\n")
    _cli(project, "index")
    _commit(project, "Index", "2026-02-11")
    spec = project / "specs/041-search/spec.md"
    spec.write_text(spec.read_text(encoding="utf-8").replace("## Goals", "## Goals\n\nFind notes fast.", 1))
    git(project, "add", "-A")
    done = commit(project, "-m", "Search goals", date="2026-02-12T10:00:00+00:00")
    assert "specs/README.md: refreshed and staged" in done.stderr
    assert git(project, "status", "--porcelain") == ""
    assert "| draft 0.1.1 |" in git(project, "show", "HEAD:specs/README.md")
    run_cli("index", "--check", cwd=project)  # the rows read again are the rows a whole build writes
    # a decision that supersedes another: the second diagram follows
    _cli(project, "adr", "new", "043-billing", "Invoices in cents", "--status", "accepted")
    _cli(project, "adr", "new", "043-billing", "Invoices in decimals", "--supersedes", "1")
    git(project, "add", "-A")
    commit(project, "-m", "Billing decisions", date="2026-02-13T10:00:00+00:00")
    index = git(project, "show", "HEAD:specs/README.md")
    chain = index.split("### Decisions superseded", 1)[1]
    old = re.search(r'(d\d+)\["043-billing · 001 Invoices in cents \(superseded\)"\]', chain)
    new = re.search(r'(d\d+)\["043-billing · 002 Invoices in decimals \(proposed\)"\]', chain)
    assert old and new and f"{old.group(1)} -->|superseded by| {new.group(1)}" in chain
    run_cli("index", "--check", cwd=project)
    # a feature that goes leaves the index
    git(project, "rm", "-r", "-q", "specs/041-search")
    commit(project, "-m", "No search", date="2026-02-14T10:00:00+00:00")
    assert "041-search" not in (project / "specs/README.md").read_text(encoding="utf-8")


def test_the_board_is_one_file_with_a_card_per_feature(project: Path) -> None:
    page = _board(project)
    assert len(page.encode("utf-8")) < 2_000_000
    cards = re.findall(r'<article class="card" data-feature="([^"]+)"', page)
    assert sorted(cards) == ["041-search", "042-auth", "043-billing", "044-export"]
    columns = dict(re.findall(r'data-stage="(\w+)">\s*<h2>([^<]+)</h2>', page))
    assert columns == {"spec": "Specifying (1)", "plan": "Planning (1)", "tasks": "Building (1)", "done": "Done (1)"}
    assert "Search | filters" in page and "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page), "nothing is loaded from the network"
    assert "@import" not in page and "url(http" not in page
    # versions over time: one line per document that has had more than one version
    timelines = re.findall(r'<svg class="timeline".*?</svg>', page)
    assert len(timelines) == 1
    assert re.findall(r"<title>([^<]+)</title>", timelines[0]) == ["0.1.0 2026-01-10 draft", "0.1.1 2026-01-20"]
    assert 'class="graph"' in page and "001 Sessions in Redis" in page and "superseded" in page


def _board(project: Path) -> str:
    out = project / "board.html"
    _cli(project, "board", "-o", str(out))
    return out.read_text(encoding="utf-8")


# -- in a real browser

# Headless Chromium will not make a window narrower than 500 px, so below that the page is
# laid out in a body of the width asked for (the board's layout depends only on its
# container's width: it has no media query on the viewport's).
PROBE = """<script>
addEventListener("load", () => {
  const limit = Math.min(innerWidth, Number(document.body.dataset.limit));
  const wide = document.body.scrollWidth > limit + 1;
  // what does not fit scrolls inside its own box (a wide decision graph), never the page
  const over = [...document.querySelectorAll("article, svg, h1, h3, .doc, .badge, .scroll")]
    .filter(e => !e.closest(".scroll") || e.classList.contains("scroll"))
    .filter(e => e.getBoundingClientRect().right > limit + 1).length;
  const loads = performance.getEntriesByType("resource").map(e => e.name);
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({wide, over, loads, cards: document.querySelectorAll("article.card").length,
    width: limit});
  document.body.append(out);
});
</script>"""


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_board_in_headless_chromium_loads_clean_and_fits(project: Path, tmp_path: Path, width: int) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium here (Debian: apt-get install chromium); the board is checked without a browser above")
    page = _board(project)
    probed = tmp_path / "probed.html"
    narrow = f"<style>body {{ width: {width}px; }}</style>" if width < 500 else ""
    probed.write_text(
        page.replace("<body>", f'<body data-limit="{width}">').replace("</body>", narrow + PROBE + "</body>"),
        encoding="utf-8",
    )
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={width},900",
        "--enable-logging=stderr",
        "--v=0",
    ]
    shot = tmp_path / f"board-{width}.png"
    ran = subprocess.run(
        [browser, *flags, "--virtual-time-budget=3000", "--dump-dom", probed.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', ran.stdout)
    if found is None:
        pytest.skip(f"Chromium did not render the page here: {ran.stderr.strip()[-300:]}")
    probe = json.loads(found.group(1).replace("&quot;", '"'))
    assert probe["cards"] == 4
    assert probe["loads"] == [], "the page loads nothing"
    assert probe["width"] <= width
    assert not probe["wide"] and probe["over"] == 0, probe
    console = [line for line in ran.stderr.splitlines() if "CONSOLE" in line and "probe" not in line]
    assert console == [], console
    # and a screenshot of the page as people see it
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", probed.as_uri()], capture_output=True, timeout=120, check=False
    )
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_people_s_text_stays_text_in_the_table_and_the_diagram(repo: Path) -> None:
    _cli(repo, "feature", "new", "001-a", "--title", "Vec<T> [link](x) C \\| D #1 `code`")
    _cli(repo, "index")
    text = (repo / "specs/README.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| [001-a]"))
    assert "Vec\\<T\\> \\[link\\](x) C \\\\\\| D \\#1 \\`code\\`" in row
    assert '["001-a Vec#lt;T#gt; [link](x) C \\| D #35;1 `code`"]' in text
    run_cli("index", "--check", cwd=repo)


def test_an_index_file_beside_the_root_is_added_to_not_replaced(repo: Path) -> None:
    (repo / "README.md").write_text("# My project\n\nWhat it is.\n")
    (repo / ".plancycle.toml").write_text('index_file = "../README.md"\n')
    _cli(repo, "index")  # no specs/ folder yet
    text = (repo / "README.md").read_text()
    assert text.startswith("# My project\n\nWhat it is.\n\n<!-- plancycle:index -->\n") and "No features yet." in text
    (repo / ".plancycle.toml").write_text('index_file = "../../outside.md"\n')
    refused = run_cli("index", cwd=repo, expect=None)
    assert refused.code != 0 and "is not inside the repository" in refused.err
    assert not (repo.parent / "outside.md").exists()


def test_the_hook_commits_the_index_of_what_is_staged_and_leaves_git_status_clean(project: Path) -> None:
    (project / ".plancycle.toml").write_text("index_on_commit = true\n")
    _cli(project, "index")
    _commit(project, "Index", "2026-02-11")
    spec = project / "specs/042-auth/spec.md"
    plan = project / "specs/042-auth/plan.md"
    spec.write_text(spec.read_text(encoding="utf-8").replace("title: Auth", "title: Auth, not staged"))
    plan.write_text(plan.read_text(encoding="utf-8") + "\nOne more line.\n")
    done = subprocess.run(
        ["git", "commit", "-q", "-m", "Plan only", "specs/042-auth/plan.md"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "GIT_AUTHOR_DATE": DAY, "GIT_COMMITTER_DATE": DAY},
    )
    assert done.returncode == 0, done.stderr
    committed = git(project, "show", "HEAD:specs/README.md")
    assert "| [042-auth](042-auth/) | Auth |" in committed and "not staged" not in committed
    assert git(project, "status", "--porcelain") == " M specs/042-auth/spec.md\n"


def _committed_index_is_current(repo: Path, tmp_path: Path, name: str) -> None:
    """What the commit holds is what `plancycle index` writes for it, in a clean clone."""
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    checked = run_cli("index", "--check", cwd=clone, expect=None)
    assert checked.code == 0, (
        git(clone, "diff", "--no-index", "--stat", "/dev/null", "specs/README.md", check=False),
        checked.err,
    )


@pytest.fixture
def indexed(repo: Path) -> Path:
    (repo / ".plancycle.toml").write_text("index_on_commit = true\n")
    _cli(repo, "hooks", "install")
    for name in ("001-a", "002-b"):
        _cli(repo, "feature", "new", name)
    _cli(repo, "index")
    _commit(repo, "base", "2026-01-05")
    return repo


def test_the_hook_never_commits_what_is_not_staged(indexed: Path, tmp_path: Path) -> None:
    repo = indexed
    _cli(repo, "feature", "new", "003-untracked")  # never staged
    _cli(repo, "adr", "new", "003-untracked", "Left out", "--status", "accepted")
    _cli(repo, "adr", "new", "003-untracked", "Also left out", "--supersedes", "1")
    _cli(repo, "adr", "new", "--global", "Use Postgres", "--status", "accepted")
    _cli(repo, "adr", "new", "--global", "Use SQLite", "--supersedes", "1")
    git(repo, "add", "specs/adr")
    commit(repo, "-m", "project decisions", date="2026-01-06T10:00:00+00:00")
    committed = git(repo, "show", "HEAD:specs/README.md")
    assert "003-untracked" not in committed and "Use SQLite" in committed
    _committed_index_is_current(repo, tmp_path, "one")


def test_the_hook_rebuilds_an_index_a_merge_left_in_conflict(indexed: Path, tmp_path: Path) -> None:
    repo = indexed
    git(repo, "checkout", "-q", "-b", "other")
    _cli(repo, "feature", "new", "010-x")
    _commit(repo, "x", "2026-01-06")
    git(repo, "checkout", "-q", "-")
    _cli(repo, "feature", "new", "020-m")
    _commit(repo, "m", "2026-01-07")
    merged = subprocess.run(["git", "merge", "-q", "other"], cwd=repo, capture_output=True, text=True)
    assert merged.returncode != 0 and "specs/README.md" in merged.stdout + merged.stderr
    git(repo, "add", "specs/README.md")
    commit(repo, "--no-edit", date="2026-01-08T10:00:00+00:00")
    committed = git(repo, "show", "HEAD:specs/README.md")
    assert "010-x" in committed and "020-m" in committed and "<<<<<<<" not in committed
    _committed_index_is_current(repo, tmp_path, "merged")


def test_the_hook_follows_an_amend_and_odd_folders(indexed: Path, tmp_path: Path) -> None:
    repo = indexed
    git(repo, "mv", "specs/001-a", "specs/003-a")
    commit(repo, "-m", "move", date="2026-01-06T10:00:00+00:00")
    git(repo, "mv", "specs/003-a", "specs/001-a")
    commit(repo, "--amend", "-m", "no move after all", date="2026-01-06T11:00:00+00:00")
    committed = git(repo, "show", "HEAD:specs/README.md")
    assert "001-a" in committed and "003-a" not in committed
    (repo / "specs/004-assets").mkdir()
    (repo / "specs/004-assets/diagram.png").write_bytes(b"\x89PNG")
    (repo / "specs/005-two  spaces").mkdir()
    (repo / "specs/005-two  spaces/spec.md").write_text(
        '---\ntitle: R&amp;D\nstatus: "<b>wip</b>"\nversion: 0.1.0\n---\n\n# T\n'
    )
    git(repo, "add", "-A")
    commit(repo, "-m", "odd ones", date="2026-01-07T10:00:00+00:00")
    spec = repo / "specs/005-two  spaces/spec.md"
    spec.write_text(spec.read_text().replace("R&amp;D", "R&D"))
    git(repo, "add", "-A")
    commit(repo, "-m", "retitle", date="2026-01-08T10:00:00+00:00")
    committed = git(repo, "show", "HEAD:specs/README.md")
    assert committed.count("005-two  spaces") == 2  # the row (its link and its text), once
    assert "R\\&D" in committed and "\\<b\\>wip\\</b\\>" in committed and "004-assets" in committed
    _committed_index_is_current(repo, tmp_path, "odd")


def test_an_untracked_index_is_left_alone(repo: Path) -> None:
    (repo / ".plancycle.toml").write_text("index_on_commit = true\n")
    _cli(repo, "hooks", "install")
    (repo / "specs").mkdir()
    (repo / "specs/README.md").write_text("# notes\n\nsecret draft\n")
    _cli(repo, "feature", "new", "001-a")
    git(repo, "add", "specs/001-a")
    done = commit(repo, "-m", "a", date="2026-01-05T10:00:00+00:00")
    assert "specs/README.md is not tracked; not refreshed" in done.stderr
    assert "README" not in git(repo, "show", "--stat", "HEAD")
    assert (repo / "specs/README.md").read_text() == "# notes\n\nsecret draft\n"
