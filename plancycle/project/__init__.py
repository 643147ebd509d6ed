"""The project: the repository with its settings and feature folders, creating features and
plans from templates, and `init`.

May import: the foundation, `git`, `documents`.
"""
