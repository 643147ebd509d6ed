"""Edges of the file system and of git set-ups: odd install paths, bare repositories,
symbolic links, folders and files that cannot be written."""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, run_cli

import plancycle
from plancycle.hook import shims

SPEC = "specs/042-auth/spec.md"
LATER = "2026-02-01T10:00:00+00:00"


def commit(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_COMMITTER_DATE": LATER, "GIT_AUTHOR_DATE": LATER, **(env or {})},
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("plancycle: error:")]


# -- the shim, installed under a path the shell must not read ------------------------------


def test_shim_works_from_a_folder_whose_name_the_shell_would_read(repo: Path, tmp_path: Path) -> None:
    odd = tmp_path / "it's a $HOME `echo x` folder"
    odd.mkdir()
    python = odd / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python.chmod(0o755)
    package = odd / "plancycle"
    package.symlink_to(Path(plancycle.__file__).resolve().parent, target_is_directory=True)

    shim = shims.render_shim(shims.shipped_hooks()["pre-commit"], python=str(python), package=str(package))
    hook = repo / ".git/hooks/pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(shim)
    hook.chmod(0o755)

    run_cli("feature", "new", "042-auth", cwd=repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "spec")
    edit(repo / SPEC, "## Goals\n", "## Goals\n\nMore.\n")
    # No plancycle on PATH: only the shim's own interpreter can stamp the document.
    proc = commit(repo, "-am", "goal", env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "0.1.0 → 0.1.1 (patch)" in proc.stderr
    assert "version: 0.1.1" in git(repo, "show", f"HEAD:{SPEC}")
    assert git(repo, "status", "--porcelain") == ""


def test_installed_shim_is_reported_current(repo: Path) -> None:
    run_cli("hooks", "install", cwd=repo)
    assert "already installed" in run_cli("hooks", "install", cwd=repo).out
    assert "installed (outdated)" not in run_cli("hooks", "status", cwd=repo).out


def test_a_hook_that_is_a_dangling_link_is_chained_and_put_back(repo: Path) -> None:
    hook = repo / ".git/hooks/pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.symlink_to("../../tools/pre-commit")  # a team's hook, not checked out yet
    assert "now runs first" in run_cli("hooks", "install", cwd=repo).out
    chained = repo / ".git/hooks/pre-commit.plancycle-chained"
    assert chained.is_symlink() and os.readlink(chained) == "../../tools/pre-commit"
    assert not hook.is_symlink() and "plancycle-shim" in hook.read_text()
    assert "pre-commit.plancycle-chained" in run_cli("hooks", "status", cwd=repo).out
    assert "back in place" in run_cli("hooks", "uninstall", cwd=repo).out
    assert hook.is_symlink() and os.readlink(hook) == "../../tools/pre-commit"
    assert not os.path.lexists(chained)


# -- bare repositories ----------------------------------------------------------------------


def test_hooks_install_in_a_bare_repository_writes_nothing(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    hooks = bare / "hooks"
    before = sorted(p.name for p in hooks.iterdir()) if hooks.exists() else None

    result = run_cli("hooks", "install", cwd=bare, expect=6)
    assert len(result.err.splitlines()) == 1 and "bare repository" in result.err
    assert "installed" not in result.out
    assert (sorted(p.name for p in hooks.iterdir()) if hooks.exists() else None) == before
    assert not (hooks / "pre-commit").exists()

    status = run_cli("status", cwd=bare, expect=6)
    assert len(status.err.splitlines()) == 1 and "bare repository" in status.err


# -- symbolic links are never replaced --------------------------------------------------------


def test_plan_new_force_refuses_a_symlinked_plan(repo: Path, tmp_path: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    target = tmp_path / "shared-plan.md"
    target.write_text("# A plan kept elsewhere\n")
    plan = repo / "specs/042-auth/plan.md"
    plan.symlink_to(target)

    result = run_cli("plan", "new", "042-auth", "--force", cwd=repo, expect=7)
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(
        "plancycle: error: specs/042-auth/plan.md is a symbolic link; plancycle does not write through links"
    )
    assert plan.is_symlink() and plan.readlink() == target
    assert target.read_text() == "# A plan kept elsewhere\n"
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.md", "spec.md"]  # no backup written


def test_hook_refuses_to_replace_a_symlinked_document(repo: Path, tmp_path: Path) -> None:
    run_cli("hooks", "install", cwd=repo)
    run_cli("feature", "new", "042-auth", cwd=repo)
    git(repo, "add", "-A")
    assert commit(repo, "-m", "spec").returncode == 0
    spec = repo / SPEC
    edit(spec, "## Goals\n", "## Goals\n\nMore.\n")
    git(repo, "add", SPEC)
    # The index holds a regular file; the working tree now has a link to the same text.
    target = tmp_path / "spec-elsewhere.md"
    target.write_bytes(spec.read_bytes())
    spec.unlink()
    spec.symlink_to(target)
    before = target.read_bytes()
    head = git(repo, "rev-parse", "HEAD")
    staged = git(repo, "ls-files", "-s", SPEC)

    proc = commit(repo, "-m", "goal")
    assert proc.returncode != 0
    assert len(errors(proc.stderr)) == 1, proc.stderr
    message = errors(proc.stderr)[0]
    assert message.startswith(f"plancycle: error: {SPEC} is a symbolic link; plancycle does not write through links")
    assert message.endswith("commit with --no-verify to skip plancycle")
    assert spec.is_symlink() and target.read_bytes() == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "ls-files", "-s", SPEC) == staged  # the index is as it was, too


# -- folders and files that cannot be written ---------------------------------------------------


def _as_a_user_who_respects_permissions(folder: Path) -> list[str] | None:
    """The command prefix under which ``folder`` is not writable: none needed for most
    users; root without the capability to override permissions (setpriv); None when no
    such prefix can be had here."""
    if not os.access(folder, os.W_OK):
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import os, sys; sys.exit(os.access(sys.argv[1], os.W_OK))", str(folder)],
        capture_output=True,
    )
    return prefix if probe.returncode == 0 else None


def test_a_read_only_feature_folder_is_one_line(repo: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    folder = repo / "specs/042-auth"
    folder.chmod(0o555)
    try:
        prefix = _as_a_user_who_respects_permissions(folder)
        if prefix is None:
            pytest.skip("this user writes into read-only folders (root, and no setpriv to drop that)")
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "plancycle", "plan", "new", "042-auth"],
            cwd=repo,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 5, proc.stderr
        assert proc.stderr == (
            "plancycle: error: specs/042-auth/plan.md: cannot write: Permission denied; check the folder's permissions\n"
        )
        assert sorted(os.listdir(folder)) == ["spec.md"]
    finally:
        folder.chmod(0o755)


def test_a_read_only_features_root_is_one_line(repo: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    root = repo / "specs"
    root.chmod(0o555)
    try:
        prefix = _as_a_user_who_respects_permissions(root)
        if prefix is None:
            pytest.skip("this user writes into read-only folders (root, and no setpriv to drop that)")
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "plancycle", "feature", "new", "billing"],
            cwd=repo,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 5, proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and "Permission denied" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert sorted(os.listdir(root)) == ["042-auth"]
    finally:
        root.chmod(0o755)


def _no_room() -> None:
    # Past the file-size limit a write fails with EFBIG (the signal would kill instead).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))


def test_a_write_that_fails_is_one_line_and_leaves_no_temp_file(repo: Path) -> None:
    run_cli("feature", "new", "042-auth", cwd=repo)
    proc = subprocess.run(
        [sys.executable, "-m", "plancycle", "plan", "new", "042-auth"],
        cwd=repo,
        capture_output=True,
        text=True,
        preexec_fn=_no_room,
    )
    assert proc.returncode == 5, proc.stderr
    assert proc.stderr == "plancycle: error: specs/042-auth/plan.md: cannot write: File too large\n"
    assert sorted(os.listdir(repo / "specs/042-auth")) == ["spec.md"]
