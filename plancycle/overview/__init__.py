"""Where the project stands: the one status model that `status` prints (and that an index or
board renders).

May import: the foundation, `documents`, `project`, `tasks`.
"""
