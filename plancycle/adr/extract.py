"""`plancycle adr extract`: the decisions a plan records inline become records of their own.

A decision block is a heading such as `### AD-001: Use PostgreSQL` (any level; `ADR-1`,
`D-1`, `Decision 3` too) and everything under it down to the next heading of its level
or higher. Its fields are bold labels, at the start of a list item or a paragraph
(`- **Context:** …`, `**Decision**: …`), or sub-headings (`#### Rationale`). Each field
becomes a section of the record under the name records use (Context, Decision,
Rationale, Options Considered, Consequences); a field of another name keeps its own
name; `Status` sets the record's status; text before the first field opens the record.
No word of the block is lost: the record is checked for every one before anything is
written. The block in the plan gives way to a link to its record.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.adr.changes import Changes
from plancycle.adr.create import record_context, record_path, render_record, used_numbers
from plancycle.adr.planindex import SECTION_TITLES
from plancycle.adr.records import Scope, read_records
from plancycle.documents.links import rewrite_links
from plancycle.documents.markdown import normalise_title, prose_lines, scan_headings
from plancycle.documents.placeholders import is_placeholder
from plancycle.errors import DocumentError, NotFoundError
from plancycle.project.project import Project

_BLOCK = re.compile(r"^(?:AD|ADR|D|DEC|Decision)[-_ ]?(\d{1,6})\s*[:.\-–—]\s*(\S.*)$", re.I)
_LABEL = re.compile(r"^(?:[-*+][ \t]+)?\*\*([^*\r\n]{1,60}?)[ \t]*:?\*\*[ \t]*:?[ \t]*(.*)$")
_WORD = re.compile(r"\w+")
SECTIONS = {
    "Context": ("context", "problem", "background", "context and problem statement", "problem statement"),
    "Decision": ("decision", "choice", "decision outcome", "chosen option", "outcome", "what"),
    "Rationale": ("rationale", "because", "why", "justification", "reasoning", "reason"),
    "Options Considered": (
        "alternatives",
        "alternatives considered",
        "options",
        "options considered",
        "considered options",
        "rejected",
        "rejected alternatives",
    ),
    "Consequences": ("consequences", "impact", "implications", "trade offs", "tradeoffs"),
}
_SECTION_OF = {label: name for name, labels in SECTIONS.items() for label in labels}
_STATUS = {
    "proposed": "proposed",
    "draft": "proposed",
    "pending": "proposed",
    "open": "proposed",
    "accepted": "accepted",
    "approved": "accepted",
    "decided": "accepted",
    "rejected": "rejected",
    "deprecated": "deprecated",
    "superseded": "superseded",
}


@dataclass
class Block:
    number: int
    title: str
    start: int  # line index of its heading
    stop: int  # one past its last line (trailing blank lines included)
    in_decisions: bool  # under the plan's decisions section: its link goes into the index
    intro: list[str] = field(default_factory=list)
    fields: list[tuple[str, list[str]]] = field(default_factory=list)  # (label, lines)


@dataclass(frozen=True)
class Extracted:
    records: list[tuple[str, Path]]  # (the block's own id, the record written for it)
    skipped: list[str]  # blocks left in the plan, with why
    changes: Changes


def find_blocks(lines: list[str]) -> list[Block]:
    headings = scan_headings(lines)
    blocks = []
    parents: list[tuple[int, str]] = []  # (level, title) of the headings above
    for position, (index, level, title) in enumerate(headings):
        while parents and parents[-1][0] >= level:
            parents.pop()
        match = _BLOCK.match(title)
        if match is not None:
            stop = next((i for i, lvl, _t in headings[position + 1 :] if lvl <= level), len(lines))
            inner = [(i, t) for i, lvl, t in headings[position + 1 :] if i < stop]
            in_decisions = any(normalise_title(t) in SECTION_TITLES for _lvl, t in parents)
            block = Block(int(match.group(1)), match.group(2).strip(), index, stop, in_decisions)
            _read_fields(block, lines, inner)
            blocks.append(block)
        parents.append((level, title))
    return [b for b in blocks if not any(o.start < b.start < o.stop for o in blocks)]  # outermost only


_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def _read_fields(block: Block, lines: list[str], inner: list[tuple[int, str]]) -> None:
    headed = dict(inner)
    current: list[str] = block.intro
    prose = {index for index, _line in prose_lines(lines[: block.stop])}
    stop = block.stop
    while stop > block.start + 1 and (not lines[stop - 1].strip() or _RULE.match(lines[stop - 1])):
        stop -= 1  # a rule between decisions belongs to neither
    for index in range(block.start + 1, stop):
        line = lines[index].rstrip("\r\n")
        if index not in prose:  # inside fenced code: text, never a field
            current.append(line)
            continue
        if index in headed:
            current = []
            block.fields.append((headed[index], current))
            continue
        label = _LABEL.match(line) if line[:1] not in (" ", "\t") else None
        if label is not None:
            current = [label.group(2)] if label.group(2).strip() else []
            block.fields.append((label.group(1).strip(), current))
            continue
        current.append(line)


def _dedent(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    if not lines:
        return []
    head, rest = lines[0], lines[1:]
    indents = [len(line) - len(line.lstrip(" \t")) for line in rest if line.strip()]
    cut = min(indents, default=0)
    if head[:1] in (" ", "\t"):
        cut = min(cut, len(head) - len(head.lstrip(" \t"))) if rest else len(head) - len(head.lstrip(" \t"))
        return [line[cut:] for line in lines]
    return [head, *(line[cut:] for line in rest)]


@dataclass
class Parts:
    status: str = "proposed"
    date: str | None = None
    deciders: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    label_words: Counter[str] = field(default_factory=Counter)


def _parts(block: Block) -> Parts:
    parts = Parts()
    for label, raw in block.fields:
        text = _dedent(raw)
        key = normalise_title(label.rstrip(":"))
        one_line = " ".join(" ".join(text).split())
        if key == "status" and one_line:
            words = _WORD.findall(one_line.lower())
            if words and words[0] in _STATUS:
                parts.status = _STATUS[words[0]]
                parts.label_words.update(_words(label))
                if len(words) == 1:
                    continue  # the status says it all; more (`Superseded by AD-001`) stays as text
        if key == "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", one_line):
            parts.date = one_line
            parts.label_words.update(_words(label))
            continue
        if key in ("deciders", "decision makers", "owner", "owners") and one_line and "\n" not in one_line:
            parts.deciders = [n.strip() for n in one_line.split(",") if n.strip()]
            parts.label_words.update(_words(label))
            continue
        name = _SECTION_OF.get(key, label.rstrip(":").strip())
        if name != label.rstrip(":").strip() or name in parts.sections:
            parts.label_words.update(_words(label))  # the label is not a heading of the record
        parts.sections.setdefault(name, [])
        if parts.sections[name]:
            parts.sections[name].append("")
        parts.sections[name].extend(text)
    return parts


def record_body(block: Block, parts: Parts) -> str:
    chunks = []
    intro = _dedent(block.intro)
    if intro:
        chunks.append("\n".join(intro))
    for name, text in parts.sections.items():
        chunks.append(f"## {name}\n\n" + "\n".join(text) if text else f"## {name}")
    return "\n\n".join(chunks) + "\n"


def _words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORD.findall(text))


def _lost_words(block_text: str, record_text: str, labels: Counter[str]) -> list[str]:
    wanted = _words(block_text) - labels
    have = _words(record_text)
    return sorted(word for word, count in wanted.items() if have[word] < count)


def _unfilled(block: Block) -> bool:
    if is_placeholder(block.title):
        return True
    texts = [" ".join(_dedent(lines)).strip() for _label, lines in block.fields]
    return bool(texts) and all(not t or is_placeholder(t) for t in texts)


def extract(project: Project, scope: Scope, *, dry_run: bool = False) -> Extracted:
    """Every record and the new plan, written unless ``dry_run`` (then see `changes.diff`).
    Numbering and writing hold the lock feature numbers use."""
    with project.git.store.lock("features", "extracting decision records"):
        found = _extract(project, scope)
        if not dry_run:
            found.changes.write()
    return found


def _extract(project: Project, scope: Scope) -> Extracted:
    assert scope.feature is not None
    plan_path = scope.feature.doc_path("plan")
    if not plan_path.is_file():
        raise NotFoundError(f"{project.display(plan_path)} is missing; there is no plan to take decisions from")
    changes = Changes(project)
    plan = changes.document(plan_path)
    lines = plan.body_lines
    blocks = find_blocks(lines)
    records: list[tuple[str, Path]] = []
    skipped: list[str] = []
    taken = used_numbers(project, scope, read_records(project, scope))
    todo = []
    for block in blocks:
        heading = lines[block.start].strip().lstrip("#").strip()
        where = f"{plan.path}:{plan.body_start_line + block.start}"
        if _unfilled(block):
            skipped.append(f"{where}: {heading} is an unfilled template block; fill it in or delete it")
        else:
            todo.append((block, heading, where))
    numbers = _numbers([block for block, _h, _w in todo], taken)
    filled = []
    for (block, heading, where), number in zip(todo, numbers, strict=True):
        path = _write_record(project, scope, changes, block, lines, number, where)
        records.append((heading, path))
        filled.append((block, path))
    new_lines = list(lines)
    for block, path in reversed(filled):  # from the end, so earlier line indexes stay right
        replacement = [] if block.in_decisions else [_link(path, block.title, plan_path), plan.newline]
        end = block.stop if block.in_decisions else _last_text(lines, block) + 1
        if not block.in_decisions and end < len(lines) and lines[end].strip():
            replacement.append(plan.newline)
        new_lines[block.start : end] = replacement
    if records:
        plan.replace_body("".join(new_lines))
        changes.put(plan_path, plan)
        changes.refresh_plan(scope)
    return Extracted(records, skipped, changes)


def _block_id(heading: str) -> str:
    return heading.strip().lstrip("#").strip().split(":", 1)[0]


def _last_text(lines: list[str], block: Block) -> int:
    end = block.stop - 1
    while end > block.start and not lines[end].strip():
        end -= 1
    return end


def _link(path: Path, title: str, plan_path: Path) -> str:
    import os

    from plancycle.adr.planindex import escape_text

    target = Path(os.path.relpath(path, plan_path.parent)).as_posix()
    return f"[ADR {path.name.split('-', 1)[0]}: {escape_text(title)}]({target})"


def _numbers(blocks: list[Block], taken: set[int]) -> list[int]:
    """Each block keeps its own number when it is free (first come, in plan order); the
    others get the next free numbers after all of those."""
    reserved = set(taken)
    kept: dict[int, int] = {}
    for position, block in enumerate(blocks):
        if block.number not in reserved:
            kept[position] = block.number
            reserved.add(block.number)
    numbers = []
    for position, _block in enumerate(blocks):
        if position not in kept:
            kept[position] = max(reserved, default=0) + 1
            reserved.add(kept[position])
        numbers.append(kept[position])
    return numbers


def _moved_links(body: str, plan_dir: Path, record_dir: Path) -> str:
    """The block's relative links, made to work from the record's folder."""
    import os

    lines = body.splitlines(keepends=True)

    def change(target: str) -> str | None:
        if target.startswith("/"):
            return None
        return Path(os.path.relpath(plan_dir / target, record_dir)).as_posix()

    rewrite_links(lines, change)
    return "".join(lines)


def _write_record(
    project: Project, scope: Scope, changes: Changes, block: Block, lines: list[str], number: int, where: str
) -> Path:
    assert scope.feature is not None
    parts = _parts(block)
    path = record_path(project, scope, number, block.title)
    body = _moved_links(record_body(block, parts), scope.feature.path, path.parent)
    context = record_context(
        project,
        scope,
        number,
        block.title,
        status=parts.status,
        decision_makers=parts.deciders,
        body=body,
    )
    if parts.date:
        context["date"] = parts.date
    context["change"] = f"Extracted from plan.md ({_block_id(lines[block.start])})"
    doc = render_record(project, context, path)
    block_text = "".join(lines[block.start : block.stop])
    heading_prefix = _words(lines[block.start].split(":", 1)[0]) if ":" in lines[block.start] else Counter()
    lost = _lost_words(block_text, doc.text, parts.label_words + heading_prefix)
    if lost:
        placed = body.strip()[:60] in doc.text
        raise DocumentError(
            where,
            f"the record for this decision would lose words ({', '.join(lost[:5])}); "
            + (
                "extract does not read this block's shape: record it by hand with `plancycle adr new`"
                if placed
                else "the `adr` template in use does not place `body`; add `{{ body }}` to it"
            ),
        )
    changes.put(path, doc)
    return path
