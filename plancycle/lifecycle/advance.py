"""One lifecycle move of one document, end to end: check the move, run the gates, set the
status (and, into approved, who and when), and move the version now as the commit hook
would, with a Change Log row that says who approved and why a gate was overridden."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plancycle.config import Level
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


def _who(project: Project, by: str | None) -> str:
    if by is not None:
        if not by.strip() or control_character(by):
            raise UsageError('--by takes a name on one line, such as "Ada Lovelace"')
        return by.strip()
    return project.git.user_name() or "unknown"


def _notes(to: str, approved: str, who: str, found: list[Blocker], reason: str | None) -> str | None:
    notes = []
    if to in (approved, "accepted"):
        notes.append(f"approved by {who}")
    if found:
        gates = ", ".join(dict.fromkeys(b.gate for b in found))
        notes.append(f"forced past {gates}: {(reason or '').strip()}")
    elif reason and reason.strip():
        notes.append(f"reason: {reason.strip()}")
    return "; ".join(notes) or None


def _split_ref(project: Project, feature_ref: str, kind: str | None) -> tuple[str, str | None]:
    """`specs/042-auth/plan.md` (a path, as a shell completes it) names a feature and a document."""
    if kind is not None and kind.endswith(".md"):
        return feature_ref, Path(kind).name[: -len(".md")]
    if kind is None and feature_ref.endswith(".md"):
        path = Path(feature_ref)
        if path.parent.name == "adr":
            return path.parent.parent.name, path.name[: -len(".md")]
        return path.parent.name or feature_ref, path.name[: -len(".md")]
    return feature_ref, kind


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
    from plancycle.fsutil import refuse_link
    from plancycle.hook.bump import bump_by_hand

    if force and not (reason and reason.strip()):
        raise UsageError('--force needs --reason "…": the reason goes into the Change Log')
    if reason and control_character(reason):
        raise UsageError("--reason must be one line")
    who = _who(project, by)
    feature_ref, kind = _split_ref(project, feature_ref, kind)
    feature = project.feature(feature_ref)
    kind = kind or default_document(project, feature)
    if kind[:1].isdigit():
        return _decision(project, feature, kind, to, who=who, force=force, reason=reason)
    if kind not in KINDS:
        raise UsageError(f"{kind!r} is not a document to move; give spec, plan, tasks or a decision number")
    path = feature.doc_path(kind)
    shown = project.display(path)
    if not path.is_file():
        raise NotFoundError(f"{shown} does not exist")
    refuse_link(path)
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
    places = record_approval(doc, who, today().isoformat()) if to == approved else []
    stamp = bump_by_hand(
        project.git.root,
        path,
        _level_for_new(project, path, doc, to),
        edited=doc,
        note=_notes(to, approved, who, found, reason),
    )
    return Advanced(path, kind, old, to, stamp.new_version if stamp else None, places, found)


def _level_for_new(project: Project, path: Path, doc: Document, to: str) -> Level | None:
    """A document never committed has no base to compare with (the hook will see it as
    new): the move gives it its level here, so that it has a version and a row to say so."""
    if project.git.is_committed(path):
        return None
    config = project.config
    if to == config.approved_status:
        current = version_field(doc)
        below_one = current is not None and parse_version(current.text) < parse_version("1.0.0")
        return config.bump_on_approval if below_one else None
    return config.bump_on_status if config.bump_on_status != "none" else None


_DECISION_MOVES = {"approved": "accepted", "accepted": "accepted", "rejected": "rejected", "deprecated": "deprecated"}


def _decision(
    project: Project, feature: Feature, ref: str, to: str, *, who: str, force: bool, reason: str | None
) -> Advanced:
    """A decision record moves by its own lifecycle; approving one is accepting it, behind the
    placeholder gate, recorded like any approval (who and when, and a row)."""
    from plancycle.adr.lifecycle import move
    from plancycle.adr.records import Scope, read_records, resolve
    from plancycle.hook.bump import bump_by_hand
    from plancycle.lifecycle.gates import placeholder_blockers

    wanted = _DECISION_MOVES.get("approved" if to == project.config.approved_status else to)
    if wanted is None:
        raise UsageError(
            f"a decision moves to accepted (approve), rejected or deprecated, not {to}; "
            "to supersede one, use `plancycle adr supersede`"
        )
    scope = Scope(feature.path / "adr", feature)
    record = resolve(project, read_records(project, scope), ref, scope)
    found: list[Blocker] = []
    if wanted == "accepted" and record.doc is not None and record.state != "accepted":
        found = placeholder_blockers(record.doc, project.display(record.path), project.config.changelog_heading)
        if found and not force:
            raise BlockedError(
                f"{project.display(record.path)} cannot be accepted: {len(found)} gate finding(s) above; "
                'fix them, or pass --force --reason "…" to record why not',
                found,
            )
    moved = move(project, scope, ref, wanted)
    places: list[str] = []
    version = None
    if moved.changed:
        doc = Document.read(moved.record.path)
        if wanted == "accepted":
            places = record_approval(doc, who, today().isoformat())
        committed = project.git.is_committed(moved.record.path)
        stamp = bump_by_hand(
            project.git.root,
            moved.record.path,
            None if committed else "none",
            edited=doc,
            note=_notes(wanted, project.config.approved_status, who, found, reason) if committed else None,
        )
        version = stamp.new_version if stamp else None
    return Advanced(moved.record.path, "adr", moved.record.state, wanted, version, places, found, moved.changed)
