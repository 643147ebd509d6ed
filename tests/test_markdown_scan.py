"""The fast line scan (`scan_headings`, `scan_outline`) read as markdown-it reads it.

The commit hook decides bumps from the line scan, without a markdown parser; this property
test holds it to markdown-it's tokens on generated documents made of top-level blocks
separated by blank lines: ATX headings (levels 1-6, closing sequences), single-line setext
headings, paragraphs, bullet and ordered lists with nested items, fenced code blocks of
backticks and tildes of several lengths (fence-like lines inside that do not close them, a
four-backtick fence holding a three-backtick block, a fence left open at the end), pipe
tables with a header, a separator and body rows, and thematic breaks (`* * *` is no item).

What the scan deliberately does not model, and the generator therefore leaves out:
- fences indented inside list items or block quotes (the scan knows top-level fences only);
- lazy continuation lines, and blocks that interrupt a paragraph without a blank line;
- setext headings over several lines (the scan takes the last line for the whole heading);
- list items whose text runs over several lines, or holds other blocks;
- tables whose rows do not start with `|`, and `|` lines outside a table (counted as rows);
- indented code blocks, HTML blocks, block quotes;
- inline markup in titles (the scan keeps a title's raw text; titles are only ever compared
  scan to scan, so only the headings' places and levels must agree with markdown-it).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plancycle.documents.document import split_lines
from plancycle.documents.markdown import outline, plain_text, scan_headings, scan_outline, tokens

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
WORDS = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@st.composite
def atx_heading(draw: st.DrawFn) -> list[str]:
    level = draw(st.integers(1, 6))
    title = draw(WORDS)
    closing = draw(st.sampled_from(["", " #", " " + "#" * draw(st.integers(1, 8)), "   "]))
    indent = draw(st.sampled_from(["", " ", "   "]))
    return [f"{indent}{'#' * level} {title}{closing}"]


@st.composite
def setext_heading(draw: st.DrawFn) -> list[str]:
    char = draw(st.sampled_from("=-"))
    return [draw(WORDS), char * draw(st.integers(1, 6))]


@st.composite
def paragraph(draw: st.DrawFn) -> list[str]:
    return draw(st.lists(WORDS, min_size=1, max_size=3))


@st.composite
def bullet_list(draw: st.DrawFn) -> list[str]:
    marker = draw(st.sampled_from("-*+"))
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        lines.append(f"{marker} {draw(WORDS)}")
        for _ in range(draw(st.integers(0, 2))):
            lines.append(f"  {marker} {draw(WORDS)}")
            lines.extend(f"    {marker} {draw(WORDS)}" for _ in range(draw(st.integers(0, 1))))
    return lines


@st.composite
def ordered_list(draw: st.DrawFn) -> list[str]:
    delimiter = draw(st.sampled_from(".)"))
    nested = draw(st.sampled_from(["-", "*", "1" + delimiter]))
    lines = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        lines.append(f"{number}{delimiter} {draw(WORDS)}")
        lines.extend(f"   {nested} {draw(WORDS)}" for _ in range(draw(st.integers(0, 2))))
    return lines


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    columns = draw(st.integers(1, 4))
    header = "| " + " | ".join(draw(WORD) for _ in range(columns)) + " |"
    separator = (
        "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:", " --- "])) for _ in range(columns)) + "|"
    )
    rows = ["| " + " | ".join(draw(WORD) for _ in range(columns)) + " |" for _ in range(draw(st.integers(0, 4)))]
    return [header, separator, *rows]


def _not_closing(line: str, char: str, length: int) -> bool:
    stripped = line.strip()
    run = len(stripped) - len(stripped.lstrip(char))
    return not (run >= length and not stripped[run:].strip())


@st.composite
def fenced_code(draw: st.DrawFn, closed: bool = True) -> list[str]:
    char = draw(st.sampled_from("`~"))
    length = draw(st.integers(3, 5))
    info = draw(st.sampled_from(["", "python", " sh", "{.x}"]))
    # Indented by two or more, a fence after a list would open inside its last item.
    opener = " " * draw(st.integers(0, 1)) + char * length + info
    other = "~" if char == "`" else "`"
    content_line = st.one_of(
        WORDS,
        st.just(""),
        st.sampled_from(["# not a heading", "## nor this", "- not an item", "1. nor this", "| a | b |", "|---|---|"]),
        st.integers(3, 6).map(lambda n: other * n),  # the other character never closes
        st.integers(3, 6).map(lambda n: char * n + "info"),  # a closer takes no info string
        st.just(char * (length - 1)),  # shorter: no closer
        st.just(f"{char * (length - 1)} x{char * (length - 1)}"),
    )
    body = [line for line in draw(st.lists(content_line, max_size=6)) if _not_closing(line, char, length)]
    if not closed:
        return [opener, *body]
    closer = (
        " " * draw(st.integers(0, 3)) + char * draw(st.integers(length, length + 2)) + draw(st.sampled_from(["", "  "]))
    )
    return [opener, *body, closer]


@st.composite
def nested_fence(draw: st.DrawFn) -> list[str]:
    """A four-backtick fence holding a three-backtick block (the way markdown shows markdown)."""
    inside = draw(st.permutations(["# not a heading", "- not an item", "| a |", "~~~"]))
    return ["````markdown", "```python", *inside, "```", *draw(st.lists(WORDS, max_size=2)), "````"]


@st.composite
def not_a_fence(draw: st.DrawFn) -> list[str]:
    """Three backticks with a backtick in the info string open nothing: inline code."""
    return [f"``` {draw(WORD)}`{draw(WORD)}"]


# A thematic break of `*` or `-` looks like a list item to a careless scan.
THEMATIC_BREAK = st.sampled_from(["---", "***", "___", "* * *", "- - -", " - - -", "*  *  *", "- ---", "_ _ _"]).map(
    lambda line: [line]
)

BLOCK = st.one_of(
    atx_heading(),
    setext_heading(),
    paragraph(),
    bullet_list(),
    ordered_list(),
    table(),
    fenced_code(),
    nested_fence(),
    not_a_fence(),
    THEMATIC_BREAK,
)


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(BLOCK, max_size=12))
    if draw(st.booleans()):
        blocks.append(draw(fenced_code(closed=False)))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = (ending * 2).join(ending.join(block) for block in blocks)
    return text + (ending if text and draw(st.booleans()) else "")


def _parsed_headings(text: str) -> list[tuple[int, int, str]]:
    toks = tokens(text)
    return [
        (tok.map[0], int(tok.tag[1]), plain_text(toks[index + 1]))
        for index, tok in enumerate(toks)
        if tok.type == "heading_open"
    ]


def _shape(sections: list) -> list[tuple[str, int, int, int, int, int]]:
    return [(s.title, s.level, s.start, s.end, s.items, s.rows) for s in sections]


@settings(max_examples=400, deadline=None)
@given(document())
def test_scan_headings_agree_with_markdown_it(text: str) -> None:
    assert scan_headings(split_lines(text)) == _parsed_headings(text)


@settings(max_examples=400, deadline=None)
@given(document())
def test_scan_outline_agrees_with_markdown_it(text: str) -> None:
    assert _shape(scan_outline(split_lines(text))) == _shape(outline(text))


def test_a_four_backtick_fence_holds_a_three_backtick_block() -> None:
    text = "# Top\n\n````markdown\n```python\n# inside\n- item\n```\n````\n\n- real\n\n## Next\n"
    assert scan_headings(split_lines(text)) == _parsed_headings(text) == [(0, 1, "Top"), (11, 2, "Next")]
    assert _shape(scan_outline(split_lines(text))) == _shape(outline(text))
    assert [s.items for s in scan_outline(split_lines(text))] == [1, 0]


def test_a_thematic_break_is_no_list_item() -> None:
    text = "# Top\n\n* * *\n\n- - -\n\n- real\n"
    assert _shape(scan_outline(split_lines(text))) == _shape(outline(text)) == [("Top", 1, 0, 7, 1, 0)]


def test_an_unclosed_fence_runs_to_the_end() -> None:
    text = "# Top\n\n~~~\n## inside\n| a |\n|---|\n| b |\n``` \n"
    assert scan_headings(split_lines(text)) == _parsed_headings(text) == [(0, 1, "Top")]
    assert _shape(scan_outline(split_lines(text))) == _shape(outline(text)) == [("Top", 1, 0, 8, 0, 0)]
