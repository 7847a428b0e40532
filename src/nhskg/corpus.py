"""Reading source documents and anchoring quotes in them by exact Unicode code-point offsets.

Offsets count code points of the text exactly as stored (UTF-8, no newline translation). Comparison maps
non-breaking spaces, curly quotes and dashes to their plain forms one character for one, so a quote typed
with plain characters still matches and no offset shifts.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

PLAIN = str.maketrans({
    "\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
})


def plain(text: str) -> str:
    """The comparison form of text: same length, same offsets, typographic characters made plain."""
    return text.translate(PLAIN)


@dataclass(frozen=True)
class SourceText:
    path: Path
    sha256: str
    text: str


def read_document(path: Path) -> SourceText:
    """Read one document, refusing anything that is not UTF-8."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"not UTF-8 text (byte {error.start}: {error.reason})") from None
    return SourceText(path, hashlib.sha256(raw).hexdigest(), text)


def list_corpus(folder: Path) -> dict[str, Path]:
    """The document files of a corpus folder by file name; an empty or missing folder is an error."""
    if not folder.is_dir():
        raise InputError(str(folder), "corpus folder does not exist")
    files = {p.name: p for p in sorted(folder.iterdir())
             if p.is_file() and not p.name.startswith(".") and p.name.lower() != "readme.md"}
    if not files:
        raise InputError(str(folder), "corpus folder holds no documents")
    return files


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def check_anchor_shape(anchor: Anchor, where: str) -> None:
    """What can be checked without the text: offsets in order and matching the quote's length."""
    if anchor.start < 0 or anchor.end <= anchor.start:
        raise InputError(where, f"offsets {anchor.start}-{anchor.end} are not an interval")
    if anchor.end - anchor.start != len(anchor.exact):
        raise InputError(where, f"offsets {anchor.start}-{anchor.end} span {anchor.end - anchor.start} "
                                f"characters but the quote has {len(anchor.exact)}")


def find_anchor(text: str, exact: str, prefix: str = "", suffix: str = "") -> list[int]:
    """Every start offset where `exact` occurs with `prefix` before it and `suffix` after it."""
    haystack, needle = plain(text), plain(exact)
    want_prefix, want_suffix = plain(prefix), plain(suffix)
    found, position = [], haystack.find(needle)
    while position >= 0:
        end = position + len(needle)
        if haystack[:position].endswith(want_prefix) and haystack[end:].startswith(want_suffix):
            found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def verify_anchor(source: SourceText, anchor: Anchor, where: str) -> Anchor:
    """Check the anchor against the text; return it with the document's own characters."""
    check_anchor_shape(anchor, where)
    if plain(source.text[anchor.start:anchor.end]) == plain(anchor.exact):
        before = source.text[max(0, anchor.start - len(anchor.prefix)):anchor.start]
        after = source.text[anchor.end:anchor.end + len(anchor.suffix)]
        if plain(before) != plain(anchor.prefix) or plain(after) != plain(anchor.suffix):
            raise InputError(where, f"the quote is at {anchor.start}-{anchor.end} of {source.path.name} but "
                                    f"the prefix or suffix does not surround it there")
        return Anchor(source.text[anchor.start:anchor.end], before, after, anchor.start, anchor.end)
    elsewhere = find_anchor(source.text, anchor.exact, anchor.prefix, anchor.suffix)
    if elsewhere:
        at = ", ".join(f"{s}-{s + len(anchor.exact)}" for s in elsewhere)
        raise InputError(where, f"the quote is not at {anchor.start}-{anchor.end} of {source.path.name}; "
                                f"it is at {at}")
    raise InputError(where, f"the quote {anchor.exact[:60]!r} is not in {source.path.name}")


def make_anchor(source: SourceText, words: str, context: int = 24, occurrence: int = 0) -> Anchor:
    """An anchor for the given words in a document, for curators (`nhskg anchor`)."""
    starts = find_anchor(source.text, words)
    if not starts:
        raise InputError(str(source.path), f"{words[:60]!r} does not occur in the text")
    if occurrence >= len(starts):
        raise InputError(str(source.path), f"{words[:60]!r} occurs only {len(starts)} times")
    start = starts[occurrence]
    end = start + len(words)
    return Anchor(source.text[start:end], source.text[max(0, start - context):start],
                  source.text[end:end + context], start, end)
