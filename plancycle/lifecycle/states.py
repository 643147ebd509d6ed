"""The states of each kind of document and the moves between them.

    spec:  draft ──► review ──► approved ──► superseded | withdrawn
    plan:  draft ──► review ──► approved ──► done | superseded | withdrawn
    tasks: draft ──► review ──► approved ──► done

A draft may go straight to approved (the gates are the same), and back from review to
draft. A decision record moves as `adr.lifecycle` says.
"""

from __future__ import annotations

from plancycle.errors import ConflictError, UsageError

KINDS = ("spec", "plan", "tasks")
_ENDS = {"spec": ("superseded", "withdrawn"), "plan": ("done", "superseded", "withdrawn"), "tasks": ("done",)}


def moves(kind: str, approved: str = "approved") -> dict[str, tuple[str, ...]]:
    ends = _ENDS[kind]
    away = tuple(e for e in ("withdrawn",) if e in ends)
    return {
        "draft": ("review", approved, *away),
        "review": ("draft", approved, *away),
        approved: ends,
    }


def states(kind: str, approved: str = "approved") -> tuple[str, ...]:
    return ("draft", "review", approved, *_ENDS[kind])


def check_move(kind: str, shown: str, state: str | None, to: str, approved: str = "approved") -> None:
    """Refuse a move the lifecycle does not have, naming the moves there are."""
    table = moves(kind, approved)
    if to not in states(kind, approved):
        raise UsageError(f"{kind}.md has no status {to!r}; its states are {', '.join(states(kind, approved))}")
    current = state or "draft"
    if current not in states(kind, approved):
        raise ConflictError(
            f"{shown}: status {current!r} is not one {kind}.md has ({', '.join(states(kind, approved))}); fix it first"
        )
    allowed = table.get(current, ())
    if to in allowed:
        return
    if not allowed:
        raise ConflictError(f"{shown} is {current}, which is final")
    raise ConflictError(f"{shown} is {current}; it can move to {' or '.join(allowed)}, not {to}")
