"""The lifecycle of a feature's documents: the states each kind moves through, the gates a
move must pass (placeholders left, an unticked compliance gate, an unapproved spec, a stale
task list, open tasks), and recording an approval (who, when, in the frontmatter and in
the approval table or footer a document already has).

`states` (the moves), `compliance` and `gates` (what blocks a move), `approval` (the
record of who approved), `advance` (one move, end to end).

May import: the foundation, git, documents, project, adr, tasks, hook.
"""
