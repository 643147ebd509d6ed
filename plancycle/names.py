"""Feature names: `042-auth` is number 42 and slug `auth`; the rules for what a slug may be."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from plancycle.errors import UsageError

MAX_SLUG = 64
_NUMBERED = re.compile(r"^(\d+)(?:[-_ ]+(.*))?$", re.S)
FOLDER = re.compile(r"^(\d+)-(.+)$")


@dataclass(frozen=True)
class FeatureName:
    number: int | None
    slug: str
    title: str

    def folder(self, width: int) -> str:
        if self.number is None:
            raise ValueError("feature has no number yet")
        return format_folder(self.number, self.slug, width)


def format_folder(number: int, slug: str, width: int) -> str:
    return f"{number:0{width}d}-{slug}"


def folder_number(name: str) -> int | None:
    """The number a feature folder name starts with, or None for other folders."""
    match = FOLDER.match(name)
    return int(match.group(1)) if match else None


# Letters NFKD does not decompose into ASCII, spelled the way their languages do.
_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)


def slugify(text: str, *, strict: bool = True) -> str:
    """Lowercase ASCII words joined by '-', with accents transliterated away. A letter with
    no ASCII spelling is refused when ``strict``, and left out otherwise."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_chars = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if ord(char) < 128:
            ascii_chars.append(char)
        elif char.isalnum() and strict:
            raise UsageError(
                f"cannot transliterate {char!r} in {text!r} to ASCII; "
                "give the feature an ASCII name, e.g. `plancycle feature new auth --title '…'`"
            )
        else:
            ascii_chars.append(" ")
    return re.sub(r"[^a-z0-9]+", "-", "".join(ascii_chars).lower()).strip("-")


def short_slug(text: str, limit: int = MAX_SLUG) -> str:
    """A file-name slug of any title: at most ``limit`` characters, cut between words."""
    slug = slugify(text, strict=False)
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[: limit + 1] else slug[:limit]
    return slug.strip("-")


def control_character(text: str) -> str | None:
    """The first control character (a line break, a tab …) in ``text``, or None."""
    return next((c for c in text if unicodedata.category(c) == "Cc"), None)


def parse_feature_name(raw: str, title: str | None = None) -> FeatureName:
    """Check a name given on the command line; nothing is created if this raises."""
    text = raw.strip()
    if not text:
        raise UsageError("feature name is empty; give one such as `042-auth` or `auth`")
    if "/" in text or "\\" in text or ".." in text:
        raise UsageError(
            f"feature name {raw!r} must not contain path separators or '..'; give a plain name such as `auth`"
        )
    match = _NUMBERED.match(text)
    number = None
    rest = text
    if match:
        number = int(match.group(1))
        rest = match.group(2) or ""
    slug = slugify(rest)
    if not slug:
        raise UsageError(f"feature name {raw!r} has no usable words for a slug; give one such as `042-auth`")
    if len(slug) > MAX_SLUG:
        raise UsageError(f"feature slug {slug!r} is longer than {MAX_SLUG} characters; shorten it")
    for given, what in ((raw, "name"), (title or "", "title")):
        control = control_character(given)
        if control is not None:
            raise UsageError(
                f"feature {what} {given!r} holds a control character ({control!r}); give it on one line, without tabs"
            )
    if title is None:
        plain = rest.strip()
        title = plain if plain != slug else slug.replace("-", " ").capitalize()
    return FeatureName(number=number, slug=slug, title=title.strip() or slug)
