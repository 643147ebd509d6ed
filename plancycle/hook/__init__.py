"""The commit hook: the pre-commit run, the stamp it puts on each document, reading how git
was invoked, cooperating with the pre-commit framework, the shims in the hooks folder, and
`bump` by hand.

May import: the foundation, `git`, `documents`, `tasks` (the stale-tasks warning).
"""
