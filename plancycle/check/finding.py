"""One finding of one rule about one place."""

from __future__ import annotations

from dataclasses import dataclass

from plancycle.check.rules import Rule


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: str  # error or warning
    path: str  # relative to the repository top, '/'-separated
    line: int | None
    message: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "message": self.message,
        }
