"""Tasks: reading a plan's breakdown, tasks.md as written, and deriving tasks.md from the
plan without losing progress.

- `breakdown`: the model (`Task`, `Phase`, `Breakdown`), the section hash, the preview shape
- `section`: finding the implementation section by title (light: the hook imports it)
- `planfile`: a plan read for its tasks: one markdown-it parse, the section's tokens handed
  to the reader (`read_plan`), and `tasks preview`
- `reader`: `read_tokens`, the walk over the section's blocks; headings and paragraphs
- `collector`: what the walk gathers (phases, the current phase, tasks, criteria) and the
  warnings it ends with
- `lists`: list blocks: tasks, nested items as phases, `**Phase 1:** a, b` items
- `tables`: milestone tables and task tables
- `phrases`: the wording rules (non-work labels, phase labels, timings, done marks, task
  IDs, placeholders, `split_title`) and reading them off inline tokens
- `tasksfile`: tasks.md as written: phases, task lines, what users attach; list, done/reopen
- `derive`: deriving and re-deriving: matching old tasks to the plan's, rendering phases
- `progress`: listing and ticking tasks across a project, counting progress

Imports only go down: `derive` → `planfile`, `tasksfile`; `planfile` → `section`, `reader` → `lists`,
`tables` → `collector` → `phrases`, `breakdown`; `breakdown` imports nothing of plancycle.

May import: the foundation, `git`, `documents`, `project`.
"""
