"""A markdown file with YAML frontmatter, read as values and changed byte-faithfully.

plancycle owns a few frontmatter fields; everything else in the file belongs to the
user. Fields are therefore changed by editing their own lines, never by dumping the
YAML again (that would reorder keys and drop comments and quoting).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from plancycle.documents import mirrors
from plancycle.documents.lines import split_lines
from plancycle.documents.plainyaml import format_scalar, load_yaml, plain_fields, typed_plain_fields
from plancycle.errors import DocumentError, NotFoundError
from plancycle.fsutil import atomic_write

BOM = "\ufeff"
# The frontmatter rule, for text and for bytes: the first line is '---', the block ends at
# the next '---' or '...' line; spaces and tabs may follow either.
_FENCE_OPEN = "---"
_FENCE_CLOSE = ("---", "...")
_LINE_BYTES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def frontmatter_bytes(data: bytes) -> bytes | None:
    """The frontmatter block of a document's bytes (a BOM allowed), read without decoding
    the rest; None when it has none. Raises ValueError when the block is never closed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.startswith(b"---"):
        return None
    lines = _LINE_BYTES.finditer(data)
    first = next(lines)
    if first.group().rstrip(b"\r\n").rstrip(b" \t") != b"---":
        return None
    for line in lines:
        if line.group().rstrip(b"\r\n").rstrip(b" \t") in (b"---", b"..."):
            return data[first.end() : line.start()]
    raise ValueError("frontmatter is never closed")


def _strip_eol(line: str) -> str:
    return line.rstrip("\r\n")


class Document:
    """One document: its decoded text plus where the frontmatter block sits in it."""

    def __init__(self, text: str, path: str | Path = "<document>", *, bom: bool = False, lazy: bool = False) -> None:
        self.path = path
        self.bom = bom
        self._text = text
        self._lazy = lazy
        self._parse()

    # -- reading -----------------------------------------------------------------

    @classmethod
    def from_bytes(cls, data: bytes, path: str | Path = "<document>", *, lazy: bool = False) -> Document:
        if b"\x00" in data[:8192]:
            raise DocumentError(path, "is a binary file, not a markdown document")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DocumentError(path, f"is not valid UTF-8 (byte {exc.start}); re-save it as UTF-8", line) from None
        bom = text.startswith(BOM)
        return cls(text[1:] if bom else text, path, bom=bom, lazy=lazy)

    @classmethod
    def read(cls, path: str | Path, *, lazy: bool = False) -> Document:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise DocumentError(path, "is a folder, not a document") from None
        except OSError as exc:
            raise DocumentError(path, f"cannot read: {exc.strerror}; check its permissions") from None
        return cls.from_bytes(data, path, lazy=lazy)

    def _parse(self) -> None:
        """Find the frontmatter block; its YAML is read now unless the document is lazy."""
        lines = split_lines(self._text)
        self._lines = lines
        self._fm_open: int | None = None  # index of the opening fence line
        self._fm_close: int | None = None  # index of the closing fence line
        block = ""
        if lines and _strip_eol(lines[0]).rstrip(" \t") == _FENCE_OPEN:
            for index in range(1, len(lines)):
                if _strip_eol(lines[index]).rstrip(" \t") in _FENCE_CLOSE:
                    self._fm_open, self._fm_close = 0, index
                    break
            else:
                raise DocumentError(self.path, "frontmatter starts with '---' but is never closed; add a '---' line", 1)
            block = "".join(lines[1 : self._fm_close])
        if getattr(self, "_block", None) != block:
            self._block = block
            self._fields: dict[str, Any] | None = None
        if not self._lazy:
            self.fields  # noqa: B018 - read the YAML now: errors belong to reading

    @property
    def fields(self) -> dict[str, Any]:
        """The frontmatter as values (parsed on first use when the document is lazy)."""
        if self._fields is None:
            self._fields = self._load_fields(self._block)
        return self._fields

    def field_names(self) -> set[str]:
        """Top-level keys, by a line scan when the block is plain 'key: value' lines."""
        if self._fields is None:
            plain = plain_fields(self._block)
            if plain is not None:
                return set(plain)
        return set(self.fields)

    def _load_fields(self, block: str) -> dict[str, Any]:
        if not block.strip():
            return {}
        fast = typed_plain_fields(block)
        if fast is not None:
            return fast
        try:
            loaded = load_yaml(block)
        except Exception as exc:  # yaml.YAMLError, but yaml is imported lazily
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 2 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise DocumentError(
                self.path, f"invalid YAML in frontmatter ({problem}); fix it or remove the block", line
            ) from None
        if loaded is None:
            return {}
        if not isinstance(loaded, Mapping):
            raise DocumentError(
                self.path,
                f"frontmatter must be a mapping of 'key: value' lines, not a {type(loaded).__name__}",
                2,
            )
        return {str(k): v for k, v in loaded.items()}

    def copy(self) -> Document:
        """The same document, for editing without touching this one (no re-parse)."""
        twin = Document.__new__(Document)
        twin.__dict__.update(self.__dict__)
        twin._lines = list(self._lines)
        twin._fields = dict(self._fields) if self._fields is not None else None
        return twin

    @property
    def text(self) -> str:
        """The whole text, without the BOM."""
        return self._text

    @property
    def newline(self) -> str:
        """The line ending the document uses (of its first line), LF by default."""
        for line in self._lines:
            if line.endswith("\r\n"):
                return "\r\n"
            if line.endswith("\n"):
                return "\n"
            if line.endswith("\r"):
                return "\r"
        return "\n"

    @property
    def has_frontmatter(self) -> bool:
        return self._fm_close is not None

    @property
    def body(self) -> str:
        """Everything after the frontmatter block."""
        if self._fm_close is None:
            return self._text
        return "".join(self._lines[self._fm_close + 1 :])

    @property
    def body_lines(self) -> list[str]:
        """The body's lines with their endings (a fresh list: callers may edit it)."""
        return self._lines[self._fm_close + 1 :] if self._fm_close is not None else list(self._lines)

    @property
    def body_start_line(self) -> int:
        """1-based line number of the first body line."""
        return 1 if self._fm_close is None else self._fm_close + 2

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def line_of(self, key: str) -> int | None:
        """The 1-based line of a top-level frontmatter field, for messages."""
        if self._fm_close is None:
            return None
        found = _find_key(self._lines, key, 1, self._fm_close)
        return found[0] + 1 if found is not None else None

    def written(self, key: str) -> str | None:
        """A top-level field as written, quotes taken off: `version: 1.10` is "1.10", not the
        number YAML reads. None when the field is absent; the line's own text otherwise.
        The one reader of version and status, for every command and for old revisions."""
        return scalar_text(self._block, key, self.path, first_line=2)

    def diff(self, old: bytes | None, label: str | None = None) -> str:
        """A unified diff from ``old`` (None: no file yet) to this text, for --dry-run."""
        import difflib  # --dry-run only

        name = label or str(self.path)
        before = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = self.to_bytes().decode("utf-8").splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))

    def to_bytes(self) -> bytes:
        return ((BOM if self.bom else "") + self._text).encode("utf-8")

    def write(self, path: str | Path | None = None) -> None:
        atomic_write(path if path is not None else self.path, self.to_bytes())

    # -- changing ----------------------------------------------------------------

    def set(self, key: str, value: Any) -> bool:
        """Set a top-level field, keeping every other byte; returns whether text changed."""
        return self.update({key: value})

    def update(self, values: Mapping[str, Any], *, follow: bool = True) -> bool:
        """Set top-level fields, keeping every other byte; with ``follow``, the body lines
        that mirror them (`**Version**: 1.0`) say the new values too."""
        before = self._text
        try:
            for key, value in values.items():
                self._set_one(key, value)
            wrong = [k for k, v in values.items() if _normalise(self.fields.get(k)) != _normalise(v)]
        except DocumentError:
            wrong = list(values)
        if wrong:
            # Never hand back a document whose fields say something other than asked.
            self._text = before
            self._parse()
            raise DocumentError(self.path, f"could not set frontmatter field {wrong[0]!r} safely")
        # The body's own `**Version**:` / `**Status**:` lines say what the frontmatter says.
        lines = self.body_lines
        if follow and mirrors.follow(lines, values):
            self.replace_body("".join(lines))
        return self._text != before

    def _set_one(self, key: str, value: Any) -> None:
        nl = self.newline
        if self._fm_close is None:
            self._text = f"---{nl}{key}: {format_scalar(value)}{nl}---{nl}" + self._text
            self._parse()
            return
        lines = self._lines
        found = _find_key(lines, key, 1, self._fm_close)
        if found is None:
            lines.insert(self._fm_close, f"{key}: {format_scalar(value)}{nl}")
        else:
            first, last = found
            lines[first : last + 1] = [_rewrite_line(lines[first], key, value, nl)]
        self._text = "".join(lines)
        self._parse()

    def follow_mirrors(self) -> bool:
        """Bring every body line that mirrors an owned field (`**Status**: Draft`) in step
        with the frontmatter as it is now; whether any line changed."""
        values = {key: text for key in mirrors.FOLLOWED if (text := self.written(key))}
        lines = self.body_lines
        if not mirrors.follow(lines, values):
            return False
        self.replace_body("".join(lines))
        return True

    def replace_body(self, body: str) -> None:
        """Replace everything after the frontmatter block."""
        head = "" if self._fm_close is None else "".join(self._lines[: self._fm_close + 1])
        self._text = head + body
        self._parse()


# A document is plancycle's to keep when its frontmatter has any of these fields.
MANAGED_MARKERS = ("version", "status", "updated", "feature")


def is_managed(doc: Document) -> bool:
    """A document carries plancycle frontmatter when it has any field plancycle keeps."""
    return doc.has_frontmatter and not doc.field_names().isdisjoint(MANAGED_MARKERS)


def scalar_text(block: str, key: str, path: object = "<document>", *, first_line: int = 2) -> str | None:
    """The value of ``key`` in a frontmatter ``block`` as written on its line, unquoted.

    A key written twice is refused (YAML readers quietly keep the last one, so two commands
    could each believe a different line)."""
    lines = split_lines(block)
    pattern = _key_pattern(key)
    found = [index for index, line in enumerate(lines) if pattern.match(line)]
    if not found:
        return None
    if len(found) > 1:
        where = " and ".join(str(first_line + i) for i in found[:2])
        raise DocumentError(path, f"frontmatter has `{key}:` twice (lines {where}); keep one", first_line + found[1])
    content = _strip_eol(lines[found[0]])
    match = pattern.match(content)
    assert match is not None
    value, _comment = _split_value(content[match.end() :])
    if value[:1] == "'" and value.endswith("'") and len(value) > 1:
        return value[1:-1].replace("''", "'")
    if value[:1] == '"' and value.endswith('"') and len(value) > 1:
        import json  # double-quoted scalars only; most documents have none

        try:
            return str(json.loads(value))
        except ValueError:
            return value[1:-1]
    return value


def _normalise(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _key_pattern(key: str) -> re.Pattern[str]:
    escaped = re.escape(key)
    return re.compile(rf"^(?:{escaped}|\"{escaped}\"|'{escaped}')[ \t]*:(?=[ \t]|\r|\n|$)")


def _find_key(lines: list[str], key: str, start: int, stop: int) -> tuple[int, int] | None:
    """Index range of the line holding ``key`` and its continuation lines."""
    pattern = _key_pattern(key)
    for index in range(start, stop):
        if pattern.match(lines[index]):
            last = index
            probe = index + 1
            while probe < stop:
                content = _strip_eol(lines[probe])
                if content.strip() == "":
                    probe += 1
                    continue
                if content[0] in " \t":
                    last = probe
                    probe += 1
                    continue
                break
            return index, last
    return None


def _split_value(rest: str) -> tuple[str, str]:
    """Split what follows ``key:`` into (value, trailing comment with its spacing)."""
    stripped = rest.lstrip(" \t")
    if stripped[:1] in ("'", '"'):
        quote = stripped[0]
        index = 1
        while index < len(stripped):
            char = stripped[index]
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                if quote == "'" and stripped[index + 1 : index + 2] == "'":
                    index += 2
                    continue
                end = index + 1
                return stripped[:end], stripped[end:]
            index += 1
        return stripped, ""
    match = re.search(r"[ \t]+#", stripped)
    if match:
        return stripped[: match.start()], stripped[match.start() :]
    return stripped.rstrip(" \t"), stripped[len(stripped.rstrip(" \t")) :]


def _rewrite_line(line: str, key: str, value: Any, nl: str) -> str:
    content = _strip_eol(line)
    eol = line[len(content) :] or nl
    match = _key_pattern(key).match(content)
    assert match is not None
    head = content[: match.end()]
    rest = content[match.end() :]
    spacing = rest[: len(rest) - len(rest.lstrip(" \t"))] or " "
    old_value, comment = _split_value(rest)
    quote = old_value[:1] if old_value[:1] in ("'", '"') else ""
    if not old_value or old_value[:1] in "|>[{&*!":
        quote = ""
    return f"{head}{spacing}{format_scalar(value, quote)}{comment}{eol}"
