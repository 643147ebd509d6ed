"""Plain frontmatter read without the YAML parser, and scalars written so they read back.

Most frontmatter is `key: value` lines with simple values. Those are typed here exactly as
PyYAML's safe loader would type them (a property test holds the two together), which spares
the commit hook importing PyYAML and `changelog sync` parsing thousands of old revisions.
Anything this module is not certain about is left to the YAML parser.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_PLAIN_KEY = r"[A-Za-z_][\w.-]*:(?:[ \t]+(?:[^\s\[\]{}\"'&*!|>%@`#][^#:\t\r\n]*?)?)?[ \t]*"
_PLAIN_ITEM = r"[ \t]+- [^\[\]{}\"'&*!|>%@`\r\n]*"
_PLAIN_OTHER = r"[ \t]*(?:#[^\r\n]*)?"
# A whole block of plain lines, checked in one call (this runs for every old revision).
_PLAIN_BLOCK = re.compile(rf"(?:(?:{_PLAIN_KEY}|{_PLAIN_ITEM}|{_PLAIN_OTHER})(?:\r\n|\r|\n|\Z))*")
_PLAIN_FIELD = re.compile(r"^([A-Za-z_][\w.-]*):[ \t]*([^\r\n]*?)[ \t]*\r?$", re.M)


def plain_fields(block: str) -> dict[str, str] | None:
    """Raw values of a frontmatter block made only of plain `key: value` lines (and simple
    list items), read without YAML; None when any line needs the YAML parser to judge it."""
    if _PLAIN_BLOCK.fullmatch(block) is None:
        return None
    if "\r" in block:
        block = block.replace("\r\n", "\n").replace("\r", "\n")
    return dict(_PLAIN_FIELD.findall(block))


UNDECIDED = object()
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DECIMAL = re.compile(r"^(?:0|[1-9][0-9]*)$")
_DOTTED = re.compile(r"^\d+(?:\.\d+){2,}(?:[-+][0-9A-Za-z.-]+)?$")  # 1.2.3, 1.2.3-rc.1: never a number
_NOT_A_NUMBER = re.compile(r"[g-su-wyG-SU-WY]")  # any letter but a-f, t, x, z (hex, e, T, Z, 0x, 0o, 0b)
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_NULLS = ("", "~", "null", "Null", "NULL")


def plain_scalar(raw: str) -> Any:
    """The value YAML 1.1 (as PyYAML's safe loader reads it) gives a plain scalar, for the
    forms that are certain; ``UNDECIDED`` for anything the YAML parser must judge."""
    if raw in _NULLS:
        return None
    lowered = raw.lower()
    if lowered in _BOOLS and raw in (lowered, lowered.capitalize(), lowered.upper()):
        return _BOOLS[lowered]
    first = raw[0]
    if first.isalpha():
        return raw  # past the bool and null words, YAML 1.1 types no value that starts with a letter
    if first.isdigit():
        if _NOT_A_NUMBER.search(raw):
            return raw  # numbers and timestamps only use digits, signs, '.', ':', and these letters
        if _DOTTED.match(raw):
            return raw
        if _DECIMAL.match(raw):
            return int(raw)
        if _DATE.match(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                return UNDECIDED
    return UNDECIDED


def typed_plain_fields(block: str) -> dict[str, Any] | None:
    """The fields of a plain block without the YAML parser (it is slow to import, and the
    commit hook reads a few small blocks); None when any value needs the parser."""
    if _LIST_HINT.search(block):
        return None
    raw = plain_fields(block)
    if raw is None:
        return None
    typed = {}
    for key, value in raw.items():
        result = plain_scalar(value)
        if result is UNDECIDED:
            return None
        typed[key] = result
    return typed


_LIST_HINT = re.compile(r"^[ \t]+-", re.M)


def load_yaml(text: str) -> Any:
    import frontmatter  # and PyYAML with it: only for frontmatter the line scan cannot type

    return frontmatter.YAMLHandler().load(text)


_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./+-][A-Za-z0-9_./+ -]*$")


def format_scalar(value: Any, quote: str = "") -> str:
    """YAML text for a scalar, in the given quote style when one was used before."""
    import json  # for the double-quoted form; a stamp writes plain dates and versions

    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
        return f"{quote}{text}{quote}" if quote else text
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow_item(item) for item in value) + "]"
    text = str(value)
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    if quote == '"':
        return json.dumps(text, ensure_ascii=False)
    if _PLAIN_SAFE.match(text) and text == text.strip():
        judged = plain_scalar(text)
        if judged == text or (judged is UNDECIDED and _reads_back_as(text)):
            return text
    return json.dumps(text, ensure_ascii=False)


_FLOW_SAFE = re.compile(r"^[A-Za-z0-9_./+-]+$")


def _flow_item(value: Any) -> str:
    """An item of a flow list (`[a, b]`): plain when it reads back as itself there (no
    commas, brackets or spaces), double-quoted otherwise."""
    if isinstance(value, str) and not (_FLOW_SAFE.match(value) and plain_scalar(value) == value):
        import json

        return json.dumps(value, ensure_ascii=False)
    return format_scalar(value)


def _reads_back_as(text: str) -> bool:
    """Whether ``text`` written plain reads back as itself (`- Login` is a list, `a: b` a map)."""
    try:
        return bool(load_yaml(f"k: {text}") == {"k": text})
    except Exception:  # yaml.YAMLError (yaml is imported lazily): not plain-safe, so quote it
        return False
