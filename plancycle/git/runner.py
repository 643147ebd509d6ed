"""The one way plancycle runs git: every call goes through `run` or `stream`.

`run` waits for git and returns its output. `stream` hands over a running git whose
stdout is read as it comes; its stderr is drained on a thread meanwhile (left unread, a
chatty git blocks once the pipe's 64 KiB fill up), and when the block ends, early or not,
the process is stopped and reaped, so no git outlives the command that started it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from plancycle.errors import GitError

_STDERR_KEPT = 1 << 16  # enough of git's complaint to quote its last line


@dataclass(frozen=True)
class Completed:
    code: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


def _environment(env: Mapping[str, str | None] | None) -> dict[str, str] | None:
    """The process environment changed by ``env`` (a None value removes the variable)."""
    if env is None:
        return None
    changed = dict(os.environ)
    for name, value in env.items():
        if value is None:
            changed.pop(name, None)
        else:
            changed[name] = value
    return changed


def _not_started(cwd: Path, exc: OSError) -> GitError:
    if isinstance(exc, FileNotFoundError) and not Path(cwd).is_dir():
        return GitError(f"{cwd}: no such folder")
    if isinstance(exc, FileNotFoundError):
        return GitError("git is not installed or not on PATH; install git")
    return GitError(f"cannot run git in {cwd}: {exc.strerror or exc}")


def failure(args: Sequence[str], code: int, stderr: bytes) -> GitError:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    detail = lines[-1] if lines else f"exit code {code}"
    words = list(args)
    while words[:1] == ["-c"]:  # settings given for the one call: the command comes after
        words = words[2:]
    return GitError(f"git {words[0] if words else ''} failed: {detail}")


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    input: bytes | None = None,
    env: Mapping[str, str | None] | None = None,
    check: bool = True,
) -> Completed:
    """Run ``git args`` to the end; a non-zero exit is a GitError unless ``check`` is off."""
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, env=_environment(env), check=False
        )
    except OSError as exc:
        raise _not_started(cwd, exc) from None
    if check and proc.returncode != 0:
        raise failure(args, proc.returncode, proc.stderr)
    return Completed(proc.returncode, proc.stdout, proc.stderr)


def output(args: Sequence[str], cwd: Path, *, input: bytes | None = None, check: bool = True) -> str:
    """What ``git args`` prints, as text."""
    return run(args, cwd, input=input, check=check).text


class Stream:
    """A running git: write to ``stdin`` (when asked for), read ``stdout`` as it comes."""

    def __init__(self, args: Sequence[str], cwd: Path, *, stdin: bool, env: Mapping[str, str | None] | None) -> None:
        import threading  # streams only: the hook's plain `run` calls never load it

        self.args = list(args)
        try:
            self.proc = subprocess.Popen(
                ["git", *args],
                cwd=cwd,
                env=_environment(env),
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise _not_started(cwd, exc) from None
        self.stopped = False
        self._stderr = bytearray()
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    @property
    def stdin(self) -> IO[bytes]:
        assert self.proc.stdin is not None, "started without stdin=True"
        return self.proc.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def _read_stderr(self) -> None:
        pipe = self.proc.stderr
        assert pipe is not None
        for chunk in iter(lambda: pipe.read(8192), b""):
            self._stderr += chunk
            del self._stderr[:-_STDERR_KEPT]

    @property
    def stderr(self) -> bytes:
        return bytes(self._stderr)

    def stop(self) -> None:
        """The caller has read all it wants: stop git; its exit is then no failure."""
        self.stopped = True
        self.finish()

    def finish(self) -> int:
        """Close the pipes, stop git if it is still running, reap it; its exit code."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with suppress(OSError):  # a broken pipe to a git that already ended
                    pipe.close()
        if self.proc.poll() is None:
            # Asked to stop early (the caller broke off, or failed): git has nothing more to say.
            self.proc.terminate()
        code = self.proc.wait()
        self._drain.join()
        return code


@contextmanager
def stream(
    args: Sequence[str],
    cwd: Path,
    *,
    stdin: bool = False,
    env: Mapping[str, str | None] | None = None,
    accept: Callable[[int, str], bool] | None = None,
) -> Iterator[Stream]:
    """A running git for the length of the block; reaped however the block ends.

    When the block ends normally, git is waited for and a non-zero exit is a GitError,
    unless ``accept(code, stderr text)`` says that exit is an answer, not a failure.
    """
    running = Stream(args, cwd, stdin=stdin, env=env)
    try:
        yield running
    except BaseException:
        running.finish()
        raise
    if running.stopped:
        return
    if running.proc.stdin is not None:
        with suppress(OSError):
            running.proc.stdin.close()
    code = running.proc.wait()
    running.finish()
    if code != 0 and not (accept is not None and accept(code, running.stderr.decode("utf-8", "replace"))):
        raise failure(args, code, running.stderr)
