"""The rules: stable ids and names, default severities, what each one checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle.errors import ConfigError


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str  # the default: error or warning
    summary: str


RULES = (
    Rule(
        "PC001", "frontmatter-schema", "error", "required fields present, a semantic version, ISO dates, a known status"
    ),
    Rule(
        "PC002",
        "placeholders",
        "error",
        "template placeholders left in a document under review or approved (a warning in a draft)",
    ),
    Rule(
        "PC003",
        "broken-link",
        "error",
        "a relative link (spec:, plan:, supersedes, markdown links) to a file that does not exist",
    ),
    Rule("PC004", "stale-tasks", "error", "tasks.md derived from another version of the plan's implementation section"),
    Rule("PC005", "duplicate-feature-number", "error", "two features with one number"),
    Rule("PC006", "duplicate-adr-number", "error", "two decision records with one number in a folder"),
    Rule("PC007", "supersede-mirror", "error", "`supersedes` and `superseded_by` not mirrored on the other record"),
    Rule("PC008", "changelog-out-of-step", "error", "a Change Log out of step with the version and git history"),
    Rule(
        "PC009", "unbumped-change", "error", "content committed without a version move (a commit the hook did not see)"
    ),
    Rule("PC010", "compliance-gate", "error", "an approved document with a compliance gate not passed"),
    Rule("PC011", "decision-index", "warning", "a plan's decision index out of step with the feature's records"),
    Rule("PC012", "conflict-markers", "error", "merge conflict markers left in a document (outside code)"),
    Rule(
        "PC013",
        "mirror-out-of-step",
        "warning",
        "a body line (`**Version**:`, `**Status**:`, `*Last updated:*`) saying other than the frontmatter",
    ),
)
BY_KEY = {key: rule for rule in RULES for key in (rule.id, rule.name)}


def rule(key: str) -> Rule:
    return BY_KEY[key]


def severities(settings: dict[str, str], source: Path | None) -> dict[str, str]:
    """Rule id → severity set in the configuration (`off`, `warning`, `error`); an unknown
    rule is refused, naming the file."""
    found: dict[str, str] = {}
    for key, severity in settings.items():
        known = BY_KEY.get(key) or BY_KEY.get(key.upper())
        if known is None:
            import difflib

            close = difflib.get_close_matches(key, list(BY_KEY), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "the rules are " + ", ".join(r.id for r in RULES)
            raise ConfigError(f"{source or 'configuration'}: [tool.plancycle.check] has no rule {key!r}; {hint}")
        if known.id in found and found[known.id] != severity:
            raise ConfigError(
                f"{source or 'configuration'}: [tool.plancycle.check] sets {known.id} ({known.name}) twice, "
                f"to {found[known.id]!r} and {severity!r}; keep one"
            )
        found[known.id] = severity
    return found
