"""A build's N-Quads and TriG exports rewritten for a small change (issue 6) from their old bytes, without
parsing, sorting or serialising the whole graph again: positions are found by bisection over the byte
buffers and the result is joined from slices of the old file and the few pieces that changed. Both results
are byte for byte what full regeneration (`nhskg.scale.nquads_lines`, `nhskg.store.trig_from_nquads`) gives.

The N-Quads file is sorted unique lines, so any line's place is a binary search away. The TriG file, as
pyoxigraph writes it for `trig_from_nquads`, is a block of `@prefix` lines and then one block per named graph
in graph-IRI order:

    <graph-iri> {
    <TAB>subject predicate object ;          a subject group: its first line has one tab,
    <TAB><TAB>predicate object , object .    the lines after it two, and the last ends with " ."
    }

with no blank lines, every literal on one line (newlines escaped) and, inside a block, the subject groups in
the order of the N-Quads lines (the N-Triples form of the subject). A group's text depends only on its own
triples, so the groups of the (graph, subject) pairs that changed are serialised on their own and put in the
place of the old ones.
"""

import re
from typing import Callable, Iterable

_TAB = 0x09
_PREFIX_LINE = re.compile(rb"@prefix ([^ :]*): <([^>]*)> \.\n")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


# =====================================================================================================
# N-Quads: sorted unique lines
# =====================================================================================================

def _checked_lines(lines: Iterable[bytes], role: str) -> set[bytes]:
    """The lines as a set, refusing anything that is not one whole line (the splice would corrupt the file)."""
    checked = set()
    for line in lines:
        if not isinstance(line, (bytes, bytearray)):
            raise TypeError(f"{role} line {line!r}: expected bytes, got {type(line).__name__}")
        if not line.endswith(b"\n") or b"\n" in line[:-1]:
            raise ValueError(f"{role} line {bytes(line)!r}: must be exactly one line ending with a newline")
        checked.add(bytes(line))
    return checked


def _first_line_not_before(buffer: bytes, low: int, high: int, is_before: Callable[[bytes], bool]) -> int:
    """The start of the first line in buffer[low:high] for which `is_before` is false (or `high`), where `low`
    is a line start, `high` is a line start or the end, and the lines in between are sorted so that every line
    for which `is_before` holds comes first. Bisects over byte offsets: the line around the middle byte is
    found by looking back for the newline before it."""
    while low < high:
        middle = (low + high) // 2
        newline_before = buffer.rfind(b"\n", low, middle)
        start = newline_before + 1 if newline_before >= 0 else low
        end = buffer.find(b"\n", start, high) + 1
        if is_before(buffer[start:end]):
            low = end
        else:
            high = start
    return low


def _line_position(buffer: bytes, line: bytes, low: int = 0) -> int:
    """Where `line` is, or would go, in the sorted lines of buffer[low:]."""
    return _first_line_not_before(buffer, low, len(buffer), lambda candidate: candidate < line)


def splice_nquads(old: bytes, removed: Iterable[bytes], added: Iterable[bytes]) -> bytes:
    """The sorted unique N-Quads lines of `old` without the `removed` lines and with the `added` ones, i.e.
    `b"".join(sorted((set(old lines) - set(removed)) | set(added)))`, made by finding each changed line's
    place by bisection and joining slices of `old`. A removed line that `old` lacks, or an added line it
    already has, changes nothing; a line both removed and added stays. Each line must end with a newline."""
    if old and not old.endswith(b"\n"):
        raise ValueError("the old N-Quads do not end with a newline: not a build's N-Quads file")
    removed_lines = _checked_lines(removed, "removed")
    added_lines = _checked_lines(added, "added")
    pieces: list = []
    view = memoryview(old)
    copied_up_to = 0   # old[:copied_up_to] is already in pieces
    search_from = 0    # the changed lines come in sorted order, so each search starts where the last stopped
    for line in sorted(removed_lines | added_lines):
        position = _line_position(old, line, search_from)
        present = old.startswith(line, position)
        search_from = position
        if line in added_lines:
            if not present:
                pieces.append(view[copied_up_to:position])
                pieces.append(line)
                copied_up_to = position
        elif present:
            pieces.append(view[copied_up_to:position])
            copied_up_to = search_from = position + len(line)
    if copied_up_to == 0 and not pieces:
        return old
    pieces.append(view[copied_up_to:])
    return b"".join(pieces)


def lines_with_prefix(nquads: bytes, prefix: bytes) -> list[bytes]:
    """Every line of the sorted N-Quads `nquads` that starts with `prefix` (such as b"<subject> " for all of a
    subject's lines), found by bisection: in sorted order they stand together."""
    if nquads and not nquads.endswith(b"\n"):
        raise ValueError("the N-Quads do not end with a newline: not a build's N-Quads file")
    length = len(prefix)
    first = _first_line_not_before(nquads, 0, len(nquads), lambda line: line < prefix)
    after = _first_line_not_before(nquads, first, len(nquads), lambda line: line[:length] <= prefix)
    return _whole_lines(nquads[first:after])


def _whole_lines(chunk: bytes) -> list[bytes]:
    """The lines of a chunk of N-Quads, split at newlines only (bytes.splitlines would also split at a carriage
    return, str.splitlines at U+2028 and others, which a literal may hold)."""
    return [line + b"\n" for line in chunk.split(b"\n")[:-1]]


def touched_pairs(lines: Iterable[bytes]) -> set[tuple[str, str]]:
    """The (graph, subject) pairs, in N-Triples form, of these N-Quads lines ('' as the graph of a triple in
    the default graph): given the removed and added lines, what `splice_trig` needs as `touched`. The lines
    are parsed, since a line's last term before " ." is its object when it has no graph. The terms come back
    in pyoxigraph's canonical N-Triples form, which is the form of a build's lines (`nhskg.scale`)."""
    import pyoxigraph
    text = b"".join(lines)
    return {("" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else str(quad.graph_name), str(quad.subject))
            for quad in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.N_QUADS)}


# =====================================================================================================
# TriG: the layout of pyoxigraph's writer
# =====================================================================================================

class _UnexpectedLayout(Exception):
    """The old TriG is not laid out as pyoxigraph writes it for `trig_from_nquads`."""


class _TrigLayout:
    """Reading the blocks and subject groups of a TriG file written by `trig_from_nquads`, at byte offsets.
    Keys are what the writer orders by: a block's graph IRI (unbracketed) and a group's subject in N-Triples
    form. Anything not as expected raises _UnexpectedLayout."""

    def __init__(self, text: bytes):
        self.text = text
        self.namespaces: dict[str, str] = {}
        position = 0
        while text.startswith(b"@prefix ", position):
            line = _PREFIX_LINE.match(text, position)
            if line is None:
                raise _UnexpectedLayout(f"unreadable @prefix line at byte {position}")
            self.namespaces[line.group(1).decode("utf-8")] = line.group(2).decode("utf-8")
            position = line.end()
        self.header_end = position
        if position == len(text) or not text.endswith(b"\n}\n"):
            raise _UnexpectedLayout("no graph block after the prefixes, or the file does not end with '}'")

    # --- terms ------------------------------------------------------------------------------------

    def ntriples_term(self, written: bytes) -> str:
        """An IRI or blank node as the writer wrote it (`<iri>`, `prefix:local` with backslash escapes, `_:id`)
        in N-Triples form."""
        try:
            token = written.decode("utf-8")
        except UnicodeDecodeError:
            raise _UnexpectedLayout(f"the term {written[:80]!r} is not UTF-8") from None
        if token.startswith("_:"):
            return token
        if token.startswith("<") and token.endswith(">") and "\\" not in token:
            return token
        prefix, colon, local = token.partition(":")
        if not colon or prefix not in self.namespaces or token.startswith(("<", '"', "[", "(")):
            raise _UnexpectedLayout(f"cannot read the term {token!r}")
        if "\\" in local:
            local = _LOCAL_ESCAPE.sub(r"\1", local)
        return "<" + self.namespaces[prefix] + local + ">"

    # --- blocks -----------------------------------------------------------------------------------

    def block_end(self, block: int) -> int:
        """Where the block starting at `block` ends: just after its closing '}' line."""
        close = self.text.find(b"\n}\n", block)
        if close < 0:
            raise _UnexpectedLayout(f"the graph block at byte {block} is not closed")
        return close + 3

    def block_header(self, block: int) -> tuple[str, bytes, int]:
        """A block's graph IRI, its header line, and where its first group starts."""
        end = self.text.find(b"\n", block) + 1
        line = self.text[block:end]
        if not line.endswith(b" {\n") or line[:1] in (b"\t", b"}", b"@", b"\n"):
            raise _UnexpectedLayout(f"expected a graph name and '{{' at byte {block}, found {line[:80]!r}")
        graph = self.ntriples_term(line[:-3])
        if not graph.startswith("<"):
            raise _UnexpectedLayout(f"a graph block named by a blank node at byte {block}")
        return graph[1:-1], line, end

    def block_start_at_or_before(self, position: int, low: int) -> int:
        close = self.text.rfind(b"\n}\n", low, position)
        return close + 3 if close >= 0 else low

    def block_position(self, graph: str) -> int:
        """The start of the first block whose graph IRI is not before `graph` (or the end of the file)."""
        low, high = self.header_end, len(self.text)
        while low < high:
            block = self.block_start_at_or_before((low + high) // 2, low)
            if self.block_header(block)[0] < graph:
                low = self.block_end(block)
            else:
                high = block
        if low > self.header_end:   # a cheap check that the blocks are in order around the answer
            previous = self.block_start_at_or_before(low - 3, self.header_end)
            if self.block_header(previous)[0] >= graph:
                raise _UnexpectedLayout(f"graph blocks out of order before byte {low}")
        return low

    # --- subject groups ---------------------------------------------------------------------------

    def group_subject(self, group: int) -> str:
        end = self.text.find(b" ", group + 1)
        return self.ntriples_term(self.text[group + 1:end])

    def group_end(self, group: int, body_end: int) -> int:
        """Where the group starting at `group` ends: after the first line ending " ." (continuation lines end
        " ;", and literals hold no raw newline), which must be followed by another group or the block's end."""
        end = self.text.find(b" .\n", group, body_end) + 3
        if end < 3 or not (end == body_end or (self.text[end] == _TAB and self.text[end + 1] != _TAB)):
            raise _UnexpectedLayout(f"the subject group at byte {group} does not end as expected")
        return end

    def group_start_at_or_before(self, position: int, low: int) -> int:
        """The start of the group holding byte `position`, `low` being a group start at or before it: just
        after the last group end (a line ending " .") before it."""
        previous_end = self.text.rfind(b" .\n", low, position)
        start = previous_end + 3 if previous_end >= 0 else low
        if self.text[start] != _TAB or self.text[start + 1] == _TAB:
            raise _UnexpectedLayout(f"expected a subject group to start at byte {start}")
        return start

    def group_position(self, subject: str, first_group: int, body_end: int) -> int:
        """The start of the first group in text[first_group:body_end] (`first_group` being a group start or
        `body_end`) whose subject is not before `subject`, or `body_end`."""
        low, high = first_group, body_end
        while low < high:
            group = self.group_start_at_or_before((low + high) // 2, low)
            if self.group_subject(group) < subject:
                low = self.group_end(group, body_end)
            else:
                high = group
        if low > first_group:   # a cheap check that the groups are in order around the answer
            previous = self.group_start_at_or_before(low - 1, first_group)
            if self.group_subject(previous) >= subject:
                raise _UnexpectedLayout(f"subject groups out of order before byte {low}")
        return low

    def blocks(self):
        """Every block, in file order, as (graph IRI, header line, [(subject, group text)]): for small texts."""
        block = self.header_end
        while block < len(self.text):
            graph, header, body_start = self.block_header(block)
            end = self.block_end(block)
            body_end = end - 2
            groups = []
            group = body_start
            while group < body_end:
                group_end = self.group_end(group, body_end)
                groups.append((self.group_subject(group), self.text[group:group_end]))
                group = group_end
            yield graph, header, groups
            block = end


def _graph_iri(term: str) -> str | None:
    """The IRI of a graph given in N-Triples form; None for the default graph and blank nodes, which the TriG
    export leaves out."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    return None


def splice_trig(old_trig: bytes, new_nquads: bytes, touched: Iterable[tuple[str, str]]) -> bytes:
    """The TriG export of the build whose sorted N-Quads are `new_nquads`, made from the old export
    `old_trig` by writing again only the subject groups of the `touched` (graph, subject) pairs (N-Triples
    forms): every pair whose lines differ between the old N-Quads and `new_nquads` must be among them, else
    the result keeps the old group. Equal byte for byte to `trig_from_nquads(new lines).encode()`.

    Each touched subject's new lines are serialised together by `trig_from_nquads`, so the groups have the
    writer's exact text; each then replaces, is inserted as, or deletes the old group, found by bisection
    over the blocks (graph IRI order) and the groups in a block (subject order). A graph new to the build
    gets a new block at its place; a graph left with no group loses its block.

    Where `old_trig` is not laid out as pyoxigraph writes it (including an empty file: a build without named
    graphs), or where the serialised groups do not match it (other prefixes, terms not in pyoxigraph's
    canonical N-Triples form), this does not guess: it regenerates the whole TriG from `new_nquads` with
    `nhskg.store.trig_from_nquads`, which is slower but right."""
    pairs = {(graph, subject) for graph_term, subject in touched
             if (graph := _graph_iri(graph_term)) is not None}
    try:
        return _splice_trig(old_trig, new_nquads, pairs)
    except _UnexpectedLayout:
        return _regenerated_trig(new_nquads)


def _regenerated_trig(nquads: bytes) -> bytes:
    from .store import trig_from_nquads
    return trig_from_nquads([nquads.decode("utf-8")]).encode("utf-8")   # one string: it is split by the parser


def _splice_trig(old_trig: bytes, new_nquads: bytes, pairs: set[tuple[str, str]]) -> bytes:
    from .store import trig_from_nquads
    if not pairs:
        return old_trig
    layout = _TrigLayout(old_trig)
    graph_endings: dict[str, tuple[bytes, ...]] = {}
    for graph, subject in pairs:
        graph_endings[subject] = graph_endings.get(subject, ()) + (f" <{graph}> .\n".encode("utf-8"),)
    subjects = sorted(graph_endings)

    # The touched subjects' lines in the touched graphs, written by the writer itself. (The ending test lets
    # through a default-graph line whose object is the graph's IRI; the writer leaves it out, as it should.)
    lines = [line.decode("utf-8") for subject in subjects
             for line in lines_with_prefix(new_nquads, subject.encode("utf-8") + b" ")
             if line.endswith(graph_endings[subject])]
    patch = trig_from_nquads(lines).encode("utf-8")
    new_groups: dict[str, dict[str, bytes]] = {}
    new_headers: dict[str, bytes] = {}
    if patch:
        patch_layout = _TrigLayout(patch)
        if patch[:patch_layout.header_end] != old_trig[:layout.header_end]:
            raise _UnexpectedLayout("the prefixes differ from the old TriG's")
        touched_subjects = set(subjects)
        for graph, header, groups in patch_layout.blocks():
            for subject, text in groups:
                if subject not in touched_subjects:   # a term written back differently from its N-Quads form
                    raise _UnexpectedLayout(f"the subject {subject} read back from the writer was not asked for")
                if (graph, subject) in pairs:
                    new_groups.setdefault(graph, {})[subject] = text
                    new_headers[graph] = header

    # Edits (start, end, order, replacement) on old_trig; `order` (graph, then subject order) ranks insertions
    # at the same place.
    edits: list[tuple[int, int, int, bytes]] = []
    by_graph: dict[str, list[str]] = {}
    for graph, subject in pairs:
        by_graph.setdefault(graph, []).append(subject)
    order = 0
    for graph in sorted(by_graph):
        block = layout.block_position(graph)
        groups = new_groups.get(graph, {})
        if block == len(old_trig) or layout.block_header(block)[0] != graph:
            if groups:   # a graph new to the build: every one of its subjects is touched
                text = new_headers[graph] + b"".join(groups[s] for s in sorted(groups)) + b"}\n"
                edits.append((block, block, order, text))
                order += 1
            continue
        _, _, body_start = layout.block_header(block)
        block_end = layout.block_end(block)
        body_end = block_end - 2
        if body_start >= body_end or old_trig[body_start] != _TAB or old_trig[body_start + 1] == _TAB:
            raise _UnexpectedLayout(f"the graph block at byte {block} does not start with a subject group")
        block_edits = []
        search_from = body_start   # the subjects come in order, so each search starts after the last group
        for subject in sorted(by_graph[graph]):
            group = layout.group_position(subject, search_from, body_end)
            present = group < body_end and layout.group_subject(group) == subject
            group_end = layout.group_end(group, body_end) if present else group
            replacement = groups.get(subject, b"")
            if present or replacement:
                block_edits.append((group, group_end, order, replacement))
                order += 1
            search_from = group_end
        removed_bytes = sum(end - start for start, end, _, text in block_edits if not text)
        if removed_bytes == body_end - body_start and not any(text for *_, text in block_edits):
            edits.append((block, block_end, order, b""))   # the graph is left empty: its block goes
            order += 1
        else:
            edits.extend(block_edits)

    if not edits:
        return old_trig
    edits.sort()
    view = memoryview(old_trig)
    pieces: list = []
    copied_up_to = 0
    for start, end, _, text in edits:
        if start < copied_up_to:
            raise _UnexpectedLayout(f"overlapping changes at byte {start}")
        pieces.append(view[copied_up_to:start])
        pieces.append(text)
        copied_up_to = end
    pieces.append(view[copied_up_to:])
    result = b"".join(pieces)
    if len(result) == layout.header_end:
        return b""   # no named graph is left; the writer writes nothing, not even the prefixes
    return result


__all__ = ["splice_nquads", "lines_with_prefix", "splice_trig", "touched_pairs"]
