"""The demo: the whole lifecycle in a throw-away repository, on built-in defaults.

May import: any core package (it is the top of the core); never `cli`.
"""
