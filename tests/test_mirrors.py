"""Body metadata lines (`**Version**: 1.0`, `> **Status**: Draft`, footers) read and kept in
step with the frontmatter, every other byte of the line and the document kept."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from plancycle.documents import mirrors
from plancycle.documents.document import Document, split_lines


def _body(text: str) -> list[str]:
    return split_lines(text)


def test_every_seed_style_is_read() -> None:
    text = (
        "# Plan: Offline sync\n"
        "\n"
        "**Branch**: `011-offline` | **Date**: 2025-12-30 | **Spec**: [spec.md](./spec.md)\n"
        "**Version**: 1.0\n"
        "> **Status**: In Review\n"
        "**Last Updated:** 2026-01-04\n"
        "\n"
        "## Overview\n"
        "\n"
        "---\n"
        "\n"
        "*Last updated: 2026-01-05*\n"
    )
    found = mirrors.find(_body(text))
    assert [(m.field, m.text) for m in found] == [
        ("created", "2025-12-30"),
        ("version", "1.0"),
        ("status", "In Review"),
        ("updated", "2026-01-04"),
        ("updated", "2026-01-05"),
    ]
    assert mirrors.read(_body(text)) == {
        "created": "2025-12-30",
        "version": "1.0.0",
        "status": "review",
        "updated": "2026-01-04",
    }


def test_adr_tools_and_madr_2_bodies() -> None:
    adr_tools = (
        "# 2. Use Postgres\n\nDate: 2016-02-12\n\n## Status\n\nSuperseded by [3. Use SQLite](0003-use-sqlite.md)\n"
    )
    assert mirrors.read(_body(adr_tools)) == {"created": "2016-02-12", "status": "superseded"}
    madr = "# Use Markdown\n\n* Status: accepted\n* Deciders: Ana, Bo\n* Date: 2020-05-01\n\n## Context\n"
    assert mirrors.read(_body(madr)) == {"status": "accepted", "created": "2020-05-01"}


def test_placeholders_choice_lists_and_text_further_down_are_not_mirrors() -> None:
    text = (
        "# Plan\n\n"
        "**Status**: Draft | In Review | Approved\n"
        "**Date**: [YYYY-MM-DD]\n"
        "> **Status**: {{STATUS}} (Draft | Review | Approved)\n"
        "**Version**: [1.0]\n\n"
        "## Decisions\n\n"
        "**Status**: Accepted\n\n"
        "```\n*Last updated: 2020-01-01*\n```\n"
    )
    assert mirrors.find(_body(text)) == []


def test_sentences_sections_and_impossible_days_are_not_mirrors() -> None:
    text = (
        "# Spec A\n\n**Created**: 2025-13-45\n**Last Updated**: 2025-02-30\n\n"
        "# Milestones\n\n- **Version**: 2 of the API ships in Q3\n- **Status**: Done for milestone 1\n"
        "- **Updated**: 2024-01-05 data is pulled nightly\n\n"
        "## Phase 1\n\n*Status: Complete*\n\n## Meeting notes\n\n*Date: 2024-02-02*\n"
    )
    assert mirrors.find(_body(text)) == []
    # a remark after the value is allowed, and the footer after the closing rule counts
    kept = "# P\n\n**Status**: Draft (awaiting review)\n**Version**: 1.2 — signed off\n\n## A\n\n---\n\n*Created: 2025-06-02*\n"
    assert mirrors.read(_body(kept)) == {"status": "draft", "version": "1.2.0", "created": "2025-06-02"}


def test_setting_a_field_rewrites_only_the_value_on_its_line() -> None:
    text = (
        "---\r\nversion: 1.0.0\r\nstatus: draft\r\n---\r\n"
        "# Plan\r\n\r\n"
        "**Branch**: `011-x` | **Version**: 1.0 | **Status**: DRAFT  \r\n"
        "> **Last Updated**: 2025-01-01 (after the review)\r\n\r\n"
        "## Work\r\n\r\n**Status**: Draft\r\n"
    )
    doc = Document(text)
    doc.update({"version": "1.0.1", "status": "review", "updated": dt.date(2026, 2, 3)})
    assert doc.text == (
        "---\r\nversion: 1.0.1\r\nstatus: review\r\nupdated: 2026-02-03\r\n---\r\n"
        "# Plan\r\n\r\n"
        "**Branch**: `011-x` | **Version**: 1.0.1 | **Status**: REVIEW  \r\n"
        "> **Last Updated**: 2026-02-03 (after the review)\r\n\r\n"
        "## Work\r\n\r\n**Status**: Draft\r\n"
    )


def test_a_value_already_said_in_other_words_is_left_as_written() -> None:
    doc = Document("---\nversion: 1.0.0\n---\n# P\n\n**Version**: 1.0\n**Status**: Final\n")
    assert not doc.update({"version": "1.0.0", "status": "approved"}) or "**Version**: 1.0\n" in doc.text
    assert "**Version**: 1.0\n**Status**: Final\n" in doc.text


def test_a_status_section_follows_an_accepted_record() -> None:
    doc = Document("# 1. Use X\n\nDate: 2016-02-12\n\n## Status\n\nProposed\n\n## Context\n\nProposed here.\n")
    doc.update({"status": "accepted"})
    assert doc.body == "# 1. Use X\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nProposed here.\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("*_|>:-# \n\r`[]{}vV.0123456789aADdSsTtuU")), max_size=400))
def test_any_text_is_read_and_followed_without_losing_a_byte(text: str) -> None:
    lines = _body(text)
    found = mirrors.find(lines)
    for mirror in found:
        assert lines[mirror.line][mirror.start : mirror.end] == mirror.text
    copy = list(lines)
    mirrors.follow(copy, {"version": "9.9.9", "status": "approved", "updated": dt.date(2030, 1, 1)})
    for index, (old, new) in enumerate(zip(lines, copy, strict=True)):
        if old != new:
            assert any(m.line == index for m in found)
            assert old.rstrip("\r\n") != new or old.endswith(("\n", "\r")) == new.endswith(("\n", "\r"))


def test_long_hostile_lines_are_read_in_linear_time() -> None:
    line = "**Status**: " + "**a**: |" * 20_000 + "\n"
    many = ("**Version**: 1." * 5_000) + "\n" + ("*Last updated: " * 5_000) + "\n"
    for text in (line, many, "> " * 50_000 + "\n", "_" * 100_000 + "\n"):
        mirrors.follow(_body(text), {"status": "review", "version": "1.0.0"})


def test_two_mirrors_on_one_line_are_not_an_edit_of_the_text() -> None:
    from plancycle.documents.versioning import compare

    base = Document(
        "---\nversion: 1.0.0\nstatus: draft\n---\n# P\n\n**Version**: 1.0 | **Status**: Draft\n\n## A\n\na\n"
    )
    new = Document(
        "---\nversion: 1.0.1\nstatus: review\n---\n# P\n\n**Version**: 1.0.1 | **Status**: Review\n\n## A\n\na\n"
    )
    change = compare(base, new)
    assert "Updated" not in change.summary and change.summary == "Status: draft → review"
