"""The one error type of plancycle and the exit codes it maps to."""

from __future__ import annotations

# Exit codes, documented in the README. Keep this list short.
EXIT_OK = 0
EXIT_CHECK_FAILED = 1  # a --check found something stale
EXIT_USAGE = 2  # bad arguments, names or configuration
EXIT_NOT_FOUND = 3  # a feature, document or template does not exist
EXIT_CONFLICT = 4  # something already exists, a number is taken, or a lifecycle move is not allowed
EXIT_INVALID_DOCUMENT = 5  # a file cannot be read as a plancycle document
EXIT_GIT = 6  # not in a git repository, or git failed
EXIT_REFUSED = 7  # refused to protect someone's work: a busy lock, a symbolic link, a stash
EXIT_INTERNAL = 70  # a bug: please report it


class PlancycleError(Exception):
    """An error a user can act on: one line of message and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(PlancycleError):
    exit_code = EXIT_USAGE


class ConfigError(PlancycleError):
    exit_code = EXIT_USAGE


class NotFoundError(PlancycleError):
    exit_code = EXIT_NOT_FOUND


class ConflictError(PlancycleError):
    exit_code = EXIT_CONFLICT


class DocumentError(PlancycleError):
    """A file that cannot be read or changed as a document; names file and line."""

    exit_code = EXIT_INVALID_DOCUMENT

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class GitError(PlancycleError):
    exit_code = EXIT_GIT


class RefusedError(PlancycleError):
    """Going on could lose or overwrite someone's work, so plancycle stops first."""

    exit_code = EXIT_REFUSED
