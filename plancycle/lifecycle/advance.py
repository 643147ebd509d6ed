"""One lifecycle move of one document, end to end: check the move, run the gates, set the
status (and, into approved, who and when), and move the version now as the commit hook
would, with a Change Log row that says who approved and why a gate was overridden."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plancycle.dates import today
from plancycle.documents.document import Document
from plancycle.documents.versioning import parse_version, status_field, version_field
from plancycle.errors import EXIT_CHECK_FAILED, NotFoundError, PlancycleError, UsageError
from plancycle.lifecycle.approval import record_approval
from plancycle.lifecycle.gates import Blocker, blockers
from plancycle.lifecycle.states import KINDS, check_move
from plancycle.names import control_character
from plancycle.project.project import Feature, Project

FINISHED = ("done", "superseded", "withdrawn")


class BlockedError(PlancycleError):
    """The gates a move did not pass; the CLI lists them, then prints the message."""

    def __init__(self, message: str, found: list[Blocker]) -> None:
        super().__init__(message, EXIT_CHECK_FAILED)
        self.blockers = found


@dataclass(frozen=True)
class Advanced:
    path: Path
    kind: str
    old: str | None
    new: str
    version: str | None  # the version the move gave it, None when unchanged
    approved_in: list[str] = field(default_factory=list)  # where the approval was recorded
    forced: list[Blocker] = field(default_factory=list)
    changed: bool = True


def default_document(project: Project, feature: Feature) -> str:
    """The stage to move when none is named: the first present that is not yet approved."""
    approved = project.config.approved_status
    present = [kind for kind in KINDS if feature.doc_path(kind).is_file()]
    if not present:
        raise NotFoundError(f"{project.display(feature.path)} has no spec, plan or tasks.md yet")
    for kind in present:
        status = status_field(Document.read(feature.doc_path(kind)))
        if status not in (approved, *FINISHED):
            return kind
    return present[-1]


def advance(
    project: Project,
    feature_ref: str,
    kind: str | None,
    to: str,
    *,
    by: str | None = None,
    force: bool = False,
    reason: str | None = None,
) -> Advanced:
    from plancycle.hook.bump import bump_by_hand

    if force and not (reason and reason.strip()):
        raise UsageError('--force needs --reason "…": the reason goes into the Change Log')
    if reason and control_character(reason):
        raise UsageError("--reason must be one line")
    feature = project.feature(feature_ref)
    kind = kind or default_document(project, feature)
    if kind[:1].isdigit():
        return _decision(project, feature, kind, to)
    if kind not in KINDS:
        raise UsageError(f"{kind!r} is not a document to move; give spec, plan, tasks or a decision number")
    path = feature.doc_path(kind)
    shown = project.display(path)
    if not path.is_file():
        raise NotFoundError(f"{shown} does not exist")
    approved = project.config.approved_status
    doc = Document.read(path)
    doc.path = shown
    old = status_field(doc)
    if old == to:
        return Advanced(path, kind, old, to, None, changed=False)
    check_move(kind, shown, old, to, approved)
    found = blockers(project, feature, kind, doc, to)
    if found and not force:
        raise BlockedError(
            f"{shown} cannot move to {to}: {len(found)} gate finding(s) above; "
            'fix them, or pass --force --reason "…" to record why not',
            found,
        )
    doc.update({"status": to})
    places: list[str] = []
    who = by or project.git.user_name() or "unknown"
    if to == approved:
        places = record_approval(doc, who, today().isoformat())
    notes = []
    if to == approved:
        notes.append(f"approved by {who}")
    if found:
        gates = ", ".join(dict.fromkeys(b.gate for b in found))
        notes.append(f"forced past {gates}: {reason.strip() if reason else ''}")
    level = None
    current = version_field(doc)
    if (
        to == approved
        and not project.git.is_committed(path)
        and current is not None
        and parse_version(current.text) < parse_version("1.0.0")
    ):
        level = project.config.bump_on_approval  # never committed: the hook would see it as new
    stamp = bump_by_hand(project.git.root, path, level, edited=doc, note="; ".join(notes) or None)
    return Advanced(path, kind, old, to, stamp.new_version if stamp else None, places, found)


_DECISION_MOVES = {"approved": "accepted", "accepted": "accepted", "rejected": "rejected", "deprecated": "deprecated"}


def _decision(project: Project, feature: Feature, ref: str, to: str) -> Advanced:
    """A decision record moves by its own lifecycle; approving one is accepting it."""
    from plancycle.adr.lifecycle import move
    from plancycle.adr.records import Scope

    wanted = _DECISION_MOVES.get("approved" if to == project.config.approved_status else to)
    if wanted is None:
        raise UsageError(
            f"a decision moves to accepted (approve), rejected or deprecated, not {to}; "
            "to supersede one, use `plancycle adr supersede`"
        )
    moved = move(project, Scope(feature.path / "adr", feature), ref, wanted)
    return Advanced(moved.record.path, "adr", moved.record.state, wanted, None, changed=moved.changed)
