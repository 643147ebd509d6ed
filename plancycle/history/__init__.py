"""History: what git history says about each document (one pass along the commit graph:
`revisions`), the versions it shows (`versions`), what `--check` says of them (`findings`),
Change Log sync (`sync`), and the timelines of `history` and `log` (`timeline`).

May import: the foundation, `git`, `documents`, `project`.
"""
