"""The versions a document's history shows: semver keys and order (cached), where each
version was introduced, the highest one, a step back below it, revisions that kept their
version while the content moved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancycle.documents.versioning import parse_version
from plancycle.errors import DocumentError
from plancycle.history.facts import DocHistory, Revision

VersionOrder = tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]
# Cached: the same few strings come back for thousands of revisions, and comparing semver
# objects is slow.
_KEYS: dict[str, str] = {}
_ORDERS: dict[str, VersionOrder | None] = {}


# The plain form nearly every version takes (`1.2.3`, `1.0`, `v2`), read without semver:
# importing it costs more than a commit's or a cached sync's whole work. Anything else
# (pre-releases, build metadata, what is no version) goes to semver.
_PLAIN = re.compile(r"\s*[vV]?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?)?\s*")


def _learn(version: str) -> None:
    plain = _PLAIN.fullmatch(version)
    if plain is not None and plain.group(0).isascii():
        major, minor, patch = (int(n or 0) for n in plain.groups())
        _KEYS[version], _ORDERS[version] = f"{major}.{minor}.{patch}", (major, minor, patch, 1, ())
        return
    try:
        parsed = parse_version(version)
    except DocumentError:
        _KEYS[version], _ORDERS[version] = version.strip(), None
        return
    # Semver precedence as a plain tuple: a pre-release sorts below its release, numeric
    # identifiers below alphanumeric ones, a longer list of identifiers above its prefix;
    # build metadata is ignored.
    pre = (
        tuple((0, int(p)) if p.isdigit() else (1, p) for p in parsed.prerelease.split(".")) if parsed.prerelease else ()
    )
    _KEYS[version] = str(parsed)
    _ORDERS[version] = (parsed.major, parsed.minor, parsed.patch, 0 if pre else 1, pre)


def version_key(version: str) -> str:
    """One key for the ways of writing one version (`1.0` and `1.0.0`)."""
    try:
        return _KEYS[version]
    except KeyError:
        _learn(version)
        return _KEYS[version]


def version_order(version: str | None) -> VersionOrder | None:
    """A sort key in semver precedence; None for no version or one that is not semver."""
    if version is None:
        return None
    try:
        return _ORDERS[version]
    except KeyError:
        _learn(version)
        return _ORDERS[version]


def version_introductions(history: DocHistory) -> list[Revision]:
    """The revisions that gave the document a version none of their ancestors had, parents
    before children. Two branches may each introduce the same version; a version that
    comes back (a revert) is no introduction."""
    seen: set[str] = set()
    found = []
    previous: tuple[str, ...] = ()
    for revision in history.revisions:
        if revision.parents != previous:
            return _introductions_on_graph(history)  # not one line: ancestors are not all before
        previous = (revision.commit,)
        if revision.version is not None:
            key = version_key(revision.version)
            if key not in seen:
                seen.add(key)
                found.append(revision)
    return found


def _introductions_on_graph(history: DocHistory) -> list[Revision]:
    bits: dict[str, int] = {}
    had: dict[str, int] = {}  # commit -> the versions its revision and its ancestors had
    found = []
    for revision in history.revisions:
        versions = 0
        for parent in revision.parents:
            versions |= had.get(parent, 0)
        if revision.version is not None:
            key = version_key(revision.version)
            bit = bits.setdefault(key, 1 << len(bits))
            if not versions & bit:
                found.append(revision)
            versions |= bit
        had[revision.commit] = versions
    return found


def highest_version(history: DocHistory) -> str | None:
    """The highest semantic version the document ever had (normalised), None when none parses."""
    best = _highest(history)
    return None if best is None else version_key(best.version or "")


def _highest(history: DocHistory) -> Revision | None:
    if history._highest is not None and history._highest[0] == len(history.revisions):
        return history._highest[1]
    best: tuple[VersionOrder, Revision] | None = None
    for revision in history.revisions:
        order = version_order(revision.version)
        if order is not None and (best is None or order > best[0]):
            best = (order, revision)
    history._highest = (len(history.revisions), None if best is None else best[1])
    return history._highest[1]


@dataclass(frozen=True)
class StepBack:
    revision: Revision | None  # where the version went below its parent's; None when no one step did
    version: str  # the version it has now
    above: str  # the highest version it had before
    had_in: Revision  # a revision that had ``above``


def step_back(history: DocHistory, current: str | None = None) -> StepBack | None:
    """Whether the document's version now (``current``, else HEAD's revision's) is below one
    it already had, and the commit where it went back. A later bump past the highest heals it."""
    head = history.revision(history.head)
    now = current if current is not None else head.version if head is not None else None
    now_order = version_order(now)
    best = _highest(history)
    best_order = version_order(best.version) if best is not None else None
    if now is None or now_order is None or best is None or best_order is None or now_order >= best_order:
        return None
    above = version_key(best.version or "")
    step = head
    while step is not None:
        order = version_order(step.version)
        if order is not None:
            for commit in step.parents:
                parent = history.revision(commit)
                had = version_order(parent.version) if parent is not None else None
                if had is not None and had > order:
                    return StepBack(step, now, above, best)
        step = history.base(step)
    return StepBack(None, now, above, best)


def kept_version(history: DocHistory) -> list[tuple[Revision, Revision]]:
    """(revision, the one it was made from) for each commit since HEAD's version was set that
    kept that version, newest first: where content may have changed without the bump the
    hook gives it (a commit the hook did not see). Merges are left out (their content comes
    from their parents), and so are commits before the last bump, which answers for them."""
    found = []
    step = history.revision(history.head)
    while step is not None and step.version is not None:
        base = history.base(step)
        if base is None or base.version is None or version_key(base.version) != version_key(step.version):
            break
        if not step.merge and not step.boundary:
            found.append((step, base))
        step = base
    return found
