"""History: what git history says about each document (one pass), Change Log sync, and the
timelines of `history` and `log`.

May import: the foundation, `git`, `documents`, `project`.
"""
