"""`plancycle check`: the rules CI runs over the planning documents, each with a stable id
(`PC001 frontmatter-schema` …), a default severity the configuration can change, and
per-line ignores; the findings printed as a table, plain lines, JSON, GitHub workflow
annotations or SARIF.

`rules` (the table of rules), `documents` (the rules about one document), `project` (the
rules across documents: numbers, links between records, indexes, history), `run` (one
check end to end), `formats` (the output formats).

May import: the foundation, git, documents, project, adr, tasks, history, lifecycle.
"""
