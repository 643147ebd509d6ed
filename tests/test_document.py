"""The document model keeps every byte it does not own; property-based where it matters."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plancycle.documents.document import Document, split_lines
from plancycle.errors import DocumentError

OWNED = ("version", "updated", "status")

keys = st.sampled_from(["title", "feature", "status", "version", "created", "updated", "owner", "tags"])
plain_values = st.from_regex(r"[a-z][a-z0-9 .-]{0,12}[a-z0-9]", fullmatch=True)
comments = st.one_of(st.just(""), st.from_regex(r"  # [a-z ]{0,10}", fullmatch=True))


@st.composite
def field_lines(draw):
    names = draw(st.lists(keys, unique=True, max_size=6))
    lines = []
    for name in names:
        style = draw(st.sampled_from(["plain", "single", "double", "list"]))
        value = draw(plain_values)
        if style == "plain":
            text = f"{name}: {value}"
        elif style == "single":
            text = f"{name}: '{value}'"
        elif style == "double":
            text = f'{name}: "{value}"'
        else:
            text = f"{name}:\n  - {value}\n  - {value}x"
        lines.append(text + draw(comments) if style != "list" else text)
        if draw(st.booleans()):
            lines.append("# " + draw(st.from_regex(r"[a-z ]{0,15}", fullmatch=True)))
    return lines


body_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=200,
)


@st.composite
def documents(draw):
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = draw(field_lines())
    body = draw(body_text).replace("\n", newline)
    head = newline.join(["---", *("\n".join(lines).split("\n")), "---"]) + newline
    text = head + body
    if draw(st.booleans()) and text.endswith(newline):
        text = text[: -len(newline)]  # no final newline at all
    bom = draw(st.booleans())
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def without_owned_lines(data: bytes) -> list[bytes]:
    """The document's lines, less the lines of owned fields (and their continuation lines)."""
    kept, skipping = [], False
    for line in data.splitlines(keepends=True):
        if re.match(rb"^(?:\xef\xbb\xbf)?(version|updated|status)[ \t]*:", line):
            skipping = True
            continue
        if skipping and line[:1] in (b" ", b"\t"):
            continue
        skipping = False
        if line.strip() != b"---" or kept:  # the fence may move when fields are added
            kept.append(line)
    return kept


@settings(max_examples=300, deadline=None)
@given(documents())
def test_round_trip_is_byte_identical(data: bytes) -> None:
    assert Document.from_bytes(data).to_bytes() == data


@settings(max_examples=300, deadline=None)
@given(documents(), st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True))
def test_setting_owned_fields_keeps_every_other_byte(data: bytes, version: str) -> None:
    doc = Document.from_bytes(data)
    before = dict(doc.fields)
    doc.update({"version": version, "updated": dt.date(2026, 11, 23), "status": "review"})
    after = doc.to_bytes()
    again = Document.from_bytes(after)
    assert again.fields["version"] == version
    # A date the user quoted stays quoted (a string); an unquoted one stays a date.
    assert str(again.fields["updated"]) == "2026-11-23"
    assert again.fields["status"] == "review"
    for key, value in before.items():
        if key not in OWNED:
            assert again.fields[key] == value
    assert again.body == Document.from_bytes(data).body
    assert again.bom == doc.bom and after.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    assert [line for line in without_owned_lines(after) if line.strip() != b"---"] == [
        line for line in without_owned_lines(data) if line.strip() != b"---"
    ]
    newline = b"\r\n" if data.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
    head = after.split(b"---", 2)[1]
    assert head.count(b"\n") == head.count(newline)


def test_quoting_comments_and_order_survive() -> None:
    source = (
        "---\n"
        "title: 'Auth: login'   # shown in the index\n"
        'version: "0.1.0" # bumped by plancycle\n'
        "zeta: 1\n"
        "alpha: 2\n"
        "updated: 2026-01-01\n"
        "---\n"
        "# Body\n"
    )
    doc = Document(source)
    doc.update({"version": "0.2.0", "updated": dt.date(2026, 11, 23)})
    assert doc.text == source.replace('"0.1.0"', '"0.2.0"').replace("2026-01-01", "2026-11-23")


def test_missing_field_is_added_at_the_end_of_the_block() -> None:
    doc = Document("---\r\ntitle: x\r\n---\r\nbody")
    doc.set("version", "0.1.0")
    assert doc.text == "---\r\ntitle: x\r\nversion: 0.1.0\r\n---\r\nbody"


def test_document_without_frontmatter_gets_one() -> None:
    doc = Document.from_bytes(b"\xef\xbb\xbf# Title\r\n")
    doc.set("version", "0.1.0")
    assert doc.to_bytes() == b"\xef\xbb\xbf---\r\nversion: 0.1.0\r\n---\r\n# Title\r\n"


def test_block_value_is_replaced_whole() -> None:
    doc = Document("---\nversion:\n  0.1.0\nnext: 1\n---\n")
    doc.set("version", "0.2.0")
    assert doc.text == "---\nversion: 0.2.0\nnext: 1\n---\n"


def test_strings_that_yaml_would_retype_are_quoted() -> None:
    doc = Document("---\nversion: 1\n---\n")
    doc.set("version", "1.0")
    assert doc.fields["version"] == "1.0"
    doc.set("status", "yes")
    assert doc.fields["status"] == "yes"


def test_write_is_atomic_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_bytes(b"---\nversion: 0.1.0\n---\n")
    path.chmod(0o640)
    doc = Document.read(path)
    doc.set("version", "0.2.0")
    doc.write()
    assert path.read_bytes() == b"---\nversion: 0.2.0\n---\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


@pytest.mark.parametrize(
    "data, line, message",
    [
        (b"---\ntitle: ok\nstatus: [draft\n---\n", 4, "invalid YAML"),
        (b"---\ntitle: ok\n  bad: indent\n---\n", 3, "invalid YAML"),
        (b"---\n- a\n- b\n---\n", 2, "must be a mapping"),
        (b"---\ntitle: x\n", 1, "never closed"),
        (b"---\ntitle: caf\xe9\n---\n", 2, "not valid UTF-8"),
    ],
)
def test_bad_documents_name_file_and_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        Document.from_bytes(data, "specs/x/spec.md")
    assert str(caught.value).startswith(f"specs/x/spec.md:{line}: ")
    assert message in str(caught.value)


def test_binary_file_is_refused() -> None:
    with pytest.raises(DocumentError, match="binary"):
        Document.from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "img.md")


def test_split_lines_only_breaks_on_cr_and_lf() -> None:
    assert split_lines("a\u2028b\x0cc\r\nd\re\nf") == ["a\u2028b\x0cc\r\n", "d\r", "e\n", "f"]


scalar_text = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ._/-]{0,12}", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,3}){0,3}", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9][0-9a-zA-Z ._+-]{0,10}[0-9a-zA-Z._+-]", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}Z?", fullmatch=True),
    st.sampled_from(
        [
            "yes",
            "No",
            "TRUE",
            "off",
            "On",
            "null",
            "~",
            "y",
            "n",
            "0",
            "007",
            "1_000",
            "0x1F",
            "1:20",
            ".inf",
            "-1",
            "+2",
            "1e3",
            "1.0",
            "2026-13-45",
            "v1.2.3",
            "on-call",
        ]
    ),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "version", "updated", "x_y"]), scalar_text), max_size=5))
def test_fast_plain_fields_agree_with_yaml(pairs: list[tuple[str, str]]) -> None:
    import yaml

    from plancycle.documents.plainyaml import typed_plain_fields

    block = "".join(f"{k}: {v}\n" for k, v in dict(pairs).items())
    try:
        expected = yaml.safe_load(block) or {}
    except Exception:  # a YAMLError, or a ValueError for an impossible date
        expected = None
    fast = typed_plain_fields(block)
    if fast is not None:  # when the fast path answers, it answers exactly as YAML would
        assert expected is not None
        assert fast == {str(k): v for k, v in expected.items()}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.vV -+rc\t\u0663", max_size=9))
@example("01.2.3").via("leading zero")
@example(" v1.0 ").via("prefix and spaces")
@example("\u0663.1.2").via("a digit that is not ASCII")
@example("1.2.3-rc.1").via("pre-release")
def test_plain_versions_are_read_as_semver_reads_them(text: str) -> None:
    # Versions are read without importing semver where their form is plain; whatever the
    # text, the key and the order must be semver's own.
    from plancycle.documents.versioning import parse_version
    from plancycle.history import versions

    versions._KEYS.pop(text, None), versions._ORDERS.pop(text, None)
    try:
        parsed = parse_version(text)
    except DocumentError:
        expected: tuple[object, object] = (text.strip(), None)
    else:
        pre = (
            tuple((0, int(p)) if p.isdigit() else (1, p) for p in parsed.prerelease.split("."))
            if parsed.prerelease
            else ()
        )
        expected = (str(parsed), (parsed.major, parsed.minor, parsed.patch, 0 if pre else 1, pre))
    assert (versions.version_key(text), versions.version_order(text)) == expected
