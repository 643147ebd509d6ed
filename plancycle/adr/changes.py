"""The decision commands' edits: the project's `Changes`, plus the records as they will be
and the plan's decision index refreshed from them."""

from __future__ import annotations

from plancycle.adr.planindex import refresh_index
from plancycle.adr.records import Record, Scope, read_records
from plancycle.project.changes import Changes as FileChanges


class Changes(FileChanges):
    def records(self, scope: Scope) -> list[Record]:
        return read_records(self.project, scope, self.texts)

    def refresh_plan(self, scope: Scope) -> None:
        """Bring the feature plan's decision index up to date with the records as changed."""
        if scope.feature is None:
            return
        plan = scope.feature.doc_path("plan")
        if not plan.is_file() and plan not in self.texts:
            return
        doc = self.document(plan)
        if refresh_index(doc, self.records(scope), plan, self.project.config.changelog_heading):
            self.put(plan, doc)
