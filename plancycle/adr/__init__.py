"""Architecture decision records: one file per decision, `NNN-slug.md` in an `adr/` folder,
a feature's (`specs/042-auth/adr/`) or the project's (`specs/adr/`).

`records` reads them (numbers, titles, status, supersede links), `create` numbers and
writes new ones, `lifecycle` moves their status, `planindex` keeps the list of links in
the feature's plan, `extract` turns a plan's inline decisions into records and
`renumber` moves one to another number with every link to it.

May import: the foundation, git, documents, project.
"""
