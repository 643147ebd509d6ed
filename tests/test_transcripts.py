"""Golden transcripts: each file in `transcripts/` is a session at a shell, commands after
`$ ` and what they print below them, as adr-tools' own tests are written. Every command
runs for real (bash, the real CLI, real git) in a fresh repository; the output, stderr
merged in, must match line for line. A command that fails shows `[exit N]` after its output.
Lines before the first command describe the transcript; a note further on is a shell
comment, `$ # …`, so that it can never be read as the output of the command above it.

`$FILES` names `transcripts/files/`, for documents a transcript starts from. After a
deliberate change, `PLANCYCLE_UPDATE_GOLDEN=1 pytest tests/test_transcripts.py` writes
the new outputs into the files: read the diff before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import UPDATE_GOLDEN

HERE = Path(__file__).parent / "transcripts"
TRANSCRIPTS = sorted(HERE.glob("*.txt"))


def _parse(text: str) -> list[tuple[list[str], str, list[str]]]:
    """(the description, for the first; command; expected output lines) for each command."""
    steps: list[tuple[list[str], str, list[str]]] = []
    head: list[str] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            steps.append((head if not steps else [], line[2:], []))
        elif steps:
            steps[-1][2].append(line)
        else:
            head.append(line)
    return steps


def _format(steps: list[tuple[list[str], str, list[str]]]) -> str:
    lines = []
    for comments, command, out in steps:
        lines.extend(comments)
        lines.append(f"$ {command}")
        lines.extend(out)
    return "\n".join(lines) + "\n"


@pytest.fixture
def shell(repo: Path, tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "plancycle"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m plancycle "$@"\n')
    wrapper.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FILES": str(HERE / "files"),
        "PYTHONUNBUFFERED": "1",  # stdout and stderr reach the one pipe in the order written
    }

    def run(command: str) -> list[str]:
        proc = subprocess.run(
            ["bash", "-c", command], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        out = proc.stdout.splitlines()
        if proc.returncode:
            out.append(f"[exit {proc.returncode}]")
        return out

    return run


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript(transcript: Path, shell) -> None:
    steps = _parse(transcript.read_text(encoding="utf-8"))
    actual = [(comments, command, shell(command)) for comments, command, _ in steps]
    if UPDATE_GOLDEN:
        transcript.write_text(_format(actual), encoding="utf-8")
        return
    for (_, command, expected), (_, _, got) in zip(steps, actual, strict=True):
        assert got == expected, f"$ {command}"
