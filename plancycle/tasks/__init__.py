"""Tasks: the breakdown model, finding a plan's implementation section, the plan reader,
tasks.md as written, and deriving tasks.md from the plan without losing progress.

May import: the foundation, `documents`, `project`.
"""
