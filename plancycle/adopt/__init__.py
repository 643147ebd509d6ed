"""Adoption: planning documents written before plancycle (Spec Kit layouts, the seed styles'
body metadata, adr-tools and MADR records) brought under management in place: the
frontmatter plancycle owns added from what the body says, else from history, and nothing
of the prose rewritten. `found` says what there is, `fields` what each document gets,
`run` puts it together (one diff for `--dry-run`).

May import: the foundation, `git`, `documents`, `project`, `adr`, `tasks`, `history`.
"""
