"""Documents: the model of one markdown file with frontmatter, plain-YAML typing, markdown
line scans and tokens, the Change Log table, and versioning (what changed, how far the
version moves).

May import: the foundation (errors, config, dates, fsutil, names, resources). Nothing that
runs git, and nothing from the packages above.
"""
