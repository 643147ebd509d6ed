"""The throw-away demo repository: the whole lifecycle on built-in defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancycle.adr.create import new_record
from plancycle.adr.records import scope_of
from plancycle.check.run import check
from plancycle.documents.changelog import table_text
from plancycle.documents.document import Document
from plancycle.fsutil import atomic_write
from plancycle.git import commit_all, init_repository
from plancycle.hook.shims import install
from plancycle.project.features import Created, create_feature, create_plan
from plancycle.project.project import Project
from plancycle.tasks.derive import derive

DEMO_FEATURES = (
    ("042-auth", "User authentication", "standard"),
    ("billing", "Usage-based billing", "comprehensive"),
    ("search", "Full-text search", "compact"),
)
DEMO_PHASES = (
    "### Phase 1: Foundation\n1. Create the user and session tables\n2. Hash passwords with argon2id\n",
    "### Phase 2: Core Features\n1. Build the login endpoint\n2. Lock accounts after five failures\n",
)

DEMO_DECISION = (
    "## Context\n\nPasswords must survive a leaked database.\n\n"
    "## Decision\n\nHash them with argon2id, 64 MiB of memory, three passes.\n\n"
    "## Consequences\n\n- Logins cost about 50 ms of server time.\n\n"
)


@dataclass
class DemoRun:
    project: Project
    created: list[Created]
    steps: list[str]  # what happened, in order, for people to read
    stamped: Path  # the document the demo edited and committed twice
    changelog: str  # its Change Log table, as the hook left it


def run_demo(folder: Path) -> DemoRun:
    """In a new repository in ``folder``: features with specs and plans, tasks derived from a
    plan, the commit hook installed, two commits, the second one bumping the plan's version."""

    init_repository(folder)
    project = Project.discover(folder)
    created, steps = [], []
    for name, title, style in DEMO_FEATURES:
        feature = create_feature(project, name, title=title)
        plan = create_plan(project, feature.feature.name, template=style)
        created.append(Created(feature.feature, feature.files + plan.files))
        steps += [
            f"created {project.display(p)} ({style} plan)" if p.name == "plan.md" else f"created {project.display(p)}"
            for p in feature.files + plan.files
        ]
    plan_path = created[0].feature.doc_path("plan")
    text = plan_path.read_text(encoding="utf-8")
    for phase in DEMO_PHASES:  # fill in what an author would: the first two phases
        heading = phase.split("\n", 1)[0]
        start = text.index(heading)
        end = text.index("**Success Criteria**", start)
        text = text[:start] + phase + "\n" + text[end:]
    atomic_write(plan_path, text.encode("utf-8"))
    steps.append(f"filled in the implementation phases of {project.display(plan_path)}")
    tasks = derive(project, created[0].feature.name)
    atomic_write(tasks.path, tasks.new)
    steps.append(f"derived {project.display(tasks.path)}: {tasks.summary.line()}")
    decision = new_record(
        project, scope_of(project, created[0].feature.name), "Hash passwords with argon2id", status="accepted"
    )
    record = decision.path.read_text(encoding="utf-8")
    start, end = record.index("## Context"), record.index("## Change Log")
    atomic_write(decision.path, (record[:start] + DEMO_DECISION + record[end:]).encode("utf-8"))
    steps.append(f"recorded the decision {project.display(decision.path)} and indexed it in the plan")
    install(folder)
    steps.append("installed the pre-commit hook")
    commit_all(folder, "Plan the first three features")
    steps.append("committed everything (version 0.1.0 each)")
    text = plan_path.read_text(encoding="utf-8")
    text = text.replace("## Testing\n", "## Rate Limiting\n\nA token bucket per client and per IP.\n\n## Testing\n", 1)
    atomic_write(plan_path, text.encode("utf-8"))
    commit_all(folder, "Add rate limiting to the auth plan")
    project.git.refresh()  # two commits since it was found
    stamped = Document.read(plan_path)
    steps.append(
        f"added a section to {project.display(plan_path)} and committed: the hook made it {stamped.get('version')}"
    )
    report = check(project)
    steps.append(
        f"plancycle check: {report.errors} error(s), {report.warnings} warning(s) "
        "(the warnings: placeholders left in drafts, such as the billing and search plans)"
    )
    return DemoRun(project, created, steps, plan_path, table_text(stamped, project.config.changelog_heading))
