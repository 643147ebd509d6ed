"""What plancycle shows of a project: the markdown table (`table`) behind `specs/README.md`
(`index`) and `status --format markdown`, and the one-file HTML board (`board`, drawn with
`svg`). Each renders the status model of `overview.status`; none reads a document itself.

May import: the foundation, `git`, `documents`, `project`, `adr`, `tasks`, `history`, `overview`.
"""
