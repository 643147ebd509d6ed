"""Today's date, as git would stamp it: `GIT_COMMITTER_DATE` wins when set."""

from __future__ import annotations

import datetime as dt
import os
import re

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def _tz(offset: str) -> dt.timezone:
    match = _OFFSET.match(offset)
    if not match:
        return dt.timezone.utc
    sign = -1 if match.group(1) == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


def parse_git_date(value: str) -> dt.date | None:
    """The calendar date of a git date string (`@epoch tz`, ISO 8601 or RFC 2822)."""
    text = value.strip()
    if not text:
        return None
    if text.startswith("@"):
        stamp, _, offset = text[1:].partition(" ")
        try:
            return dt.datetime.fromtimestamp(int(stamp), _tz(offset or "+0000")).date()
        except ValueError:
            return None
    parts = text.split()
    if len(parts) == 2 and parts[0].isdigit() and _OFFSET.match(parts[1]):
        return dt.datetime.fromtimestamp(int(parts[0]), _tz(parts[1])).date()
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00")).date()
    except ValueError:
        pass
    head = " ".join(parts[:2]) if len(parts) >= 2 else text
    try:
        return dt.datetime.fromisoformat(head.replace(" ", "T", 1)).date()
    except ValueError:
        pass
    import email.utils  # only for RFC 2822 dates; it pulls in the socket module

    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        return None


def authored_day() -> dt.date:
    """The author date git gives the commit being made (exported to hooks); else today."""
    stamped = os.environ.get("GIT_AUTHOR_DATE")
    parsed = parse_git_date(stamped) if stamped else None
    return parsed if parsed is not None else today()


def today() -> dt.date:
    stamped = os.environ.get("GIT_COMMITTER_DATE")
    if stamped:
        parsed = parse_git_date(stamped)
        if parsed is not None:
            return parsed
    return dt.date.today()
