"""`nhskg.splice` rewrites a build's N-Quads and TriG exports for a change exactly as full regeneration would
write them: on generated graphs full of awkward terms, on edge cases (graphs appearing and vanishing, first
and last groups and blocks), and on a small synthetic build with its inferred graph."""

import random
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhskg import scale, splice
from nhskg.splice import lines_with_prefix, splice_nquads, splice_trig, touched_pairs
from nhskg.store import trig_from_nquads
from nhskg.vocab import GRAPH_INFERRED

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synthetic import generate  # noqa: E402

ID = "https://w3id.org/nhskg/id/"
GRAPH = "https://w3id.org/nhskg/graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# IRIs whose prefixed names need backslash escapes (`/`, `#`, a leading `-`, a trailing `.`, `%`), an empty
# local name, IRIs no prefix covers, and blank nodes whose labels sort in awkward ways (b1 < b10 < b2).
SUBJECTS = [
    pyoxigraph.NamedNode(ID + "change/a-1#quote"), pyoxigraph.NamedNode(ID + "change/a-1#position"),
    pyoxigraph.NamedNode(ID + "change/a-1"), pyoxigraph.NamedNode(ID + "org/x.y."),
    pyoxigraph.NamedNode(ID + "-lead"), pyoxigraph.NamedNode(ID + "a%20b"), pyoxigraph.NamedNode(ID),
    pyoxigraph.NamedNode(ID + "org/é"), pyoxigraph.NamedNode("http://schema.org/about"),
    pyoxigraph.NamedNode("urn:x:1"), pyoxigraph.NamedNode("http://a.example/first"),
    pyoxigraph.BlankNode("b1"), pyoxigraph.BlankNode("b10"), pyoxigraph.BlankNode("b2"),
    pyoxigraph.BlankNode("x.y"),
]
PREDICATES = [
    pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    pyoxigraph.NamedNode("http://www.w3.org/ns/oa#exact"), pyoxigraph.NamedNode("http://example.org/p#q"),
]
QUOTED = pyoxigraph.Literal('say "hi"\nnext line\ttab \\ back')
WITH_LINE_SEPARATOR = pyoxigraph.Literal("é ünïcode 😀 \u2028 sep", language="cy")
# Blank nodes among the objects too: were the writer to inline a blank node used once as `[ ... ]`, a group's
# text would depend on another subject's triples, and these tests would fail.
OBJECTS = SUBJECTS[:6] + SUBJECTS[11:13] + [
    pyoxigraph.Literal("plain"), QUOTED,
    pyoxigraph.Literal("Trust", language="en"), pyoxigraph.Literal("Trust", language="en-gb"), WITH_LINE_SEPARATOR,
    pyoxigraph.Literal("5", datatype=pyoxigraph.NamedNode(XSD + "integer")),
    pyoxigraph.Literal("-01", datatype=pyoxigraph.NamedNode(XSD + "integer")),
    pyoxigraph.Literal("5.0", datatype=pyoxigraph.NamedNode(XSD + "decimal")),
    pyoxigraph.Literal("true", datatype=pyoxigraph.NamedNode(XSD + "boolean")),
    pyoxigraph.Literal("1999-04-01", datatype=pyoxigraph.NamedNode(XSD + "date")),
    pyoxigraph.Literal("98", datatype=pyoxigraph.NamedNode(XSD + "nonNegativeInteger")),
    pyoxigraph.Literal("x", datatype=pyoxigraph.NamedNode("http://example.org/type")),
]
# Graph IRIs in an order that differs between IRI order (the TriG blocks) and N-Triples order (`<a>` sorts
# after `<a-b>` and `<a/b>`), one that the writer names by a prefixed name, and one sorting first and last.
GRAPHS = [
    pyoxigraph.NamedNode(GRAPH + "a"), pyoxigraph.NamedNode(GRAPH + "a-b"), pyoxigraph.NamedNode(GRAPH + "a/b"),
    pyoxigraph.NamedNode(str(GRAPH_INFERRED)), pyoxigraph.NamedNode(ID + "graph-with-prefix"),
    pyoxigraph.NamedNode("http://a.example/graph"), pyoxigraph.NamedNode("urn:zz:last"),
]


def line(subject, predicate, obj, graph) -> bytes:
    """An N-Quads line in pyoxigraph's canonical N-Triples forms, as a build writes it."""
    return f"{subject} {predicate} {obj} {graph} .\n".encode("utf-8")


quads = st.builds(line, st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), st.sampled_from(OBJECTS),
                  st.sampled_from(GRAPHS))


def joined(lines) -> bytes:
    return b"".join(sorted(set(lines)))


def regenerated_trig(nquads: bytes) -> bytes:
    lines = [piece.decode("utf-8") + "\n" for piece in nquads.split(b"\n")[:-1]]
    return trig_from_nquads(lines).encode("utf-8")


def spliced_lines(old: bytes, removed, added) -> bytes:
    """The definition splice_nquads must meet."""
    return b"".join(sorted((set(old.splitlines(keepends=True)) - set(removed)) | set(added)))


@pytest.fixture
def no_fallback(monkeypatch):
    """splice_trig must splice, not quietly regenerate everything, when the old TriG is the writer's."""
    def refuse(nquads):
        raise AssertionError("splice_trig fell back to full regeneration")
    monkeypatch.setattr(splice, "_regenerated_trig", refuse)


def check_change(old: bytes, removed: list[bytes], added: list[bytes], touched=None) -> bytes:
    new = splice_nquads(old, removed, added)
    assert new == spliced_lines(old, removed, added)
    if touched is None:
        touched = touched_pairs(removed + added)
    assert splice_trig(regenerated_trig(old), new, touched) == regenerated_trig(new)
    return new


def group_keys(nquads: bytes) -> list[tuple[str, str]]:
    """The (graph IRI, subject) of every TriG group, in the writer's order."""
    pairs = touched_pairs(nquads.splitlines(keepends=True))
    return sorted((graph[1:-1], subject) for graph, subject in pairs)


PROPERTY_SETTINGS = settings(max_examples=120, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])


# -----------------------------------------------------------------------------------------------------
# N-Quads
# -----------------------------------------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(old=st.lists(quads, max_size=40), removed=st.lists(quads, max_size=8), added=st.lists(quads, max_size=8),
       data=st.data())
def test_splice_nquads_is_the_set_difference_and_union_sorted(old, removed, added, data):
    old_bytes = joined(old)
    if old:   # also remove and re-add lines the file holds, not only random ones
        removed += data.draw(st.lists(st.sampled_from(sorted(set(old))), max_size=10))
        added += data.draw(st.lists(st.sampled_from(sorted(set(old))), max_size=3))
    assert splice_nquads(old_bytes, removed, added) == spliced_lines(old_bytes, removed, added)


def test_splice_nquads_on_short_lines_around_every_position():
    old = b"".join(sorted({b"%d\n" % n for n in range(0, 200, 2)}))
    for n in range(-1, 202):
        line = b"%d\n" % n
        assert splice_nquads(old, [], [line]) == spliced_lines(old, [], [line])
        assert splice_nquads(old, [line], []) == spliced_lines(old, [line], [])
    assert splice_nquads(b"", [], [b"b\n", b"a\n"]) == b"a\nb\n"
    assert splice_nquads(old, [b"4\n"], [b"4\n"]) == old   # removed and added: it stays


def test_splice_nquads_refuses_what_is_not_one_line():
    with pytest.raises(ValueError, match="one line"):
        splice_nquads(b"a\n", [], [b"b"])
    with pytest.raises(ValueError, match="one line"):
        splice_nquads(b"a\n", [b"a\nb\n"], [])
    with pytest.raises(TypeError, match="bytes"):
        splice_nquads(b"a\n", ["a\n"], [])


@PROPERTY_SETTINGS
@given(old=st.lists(quads, max_size=40), subject=st.sampled_from(SUBJECTS))
def test_lines_with_prefix_are_exactly_the_subjects_lines(old, subject):
    old_bytes = joined(old)
    prefix = f"{subject} ".encode("utf-8")
    expected = [each for each in sorted(set(old)) if each.startswith(prefix)]
    assert lines_with_prefix(old_bytes, prefix) == expected


def test_lines_with_prefix_keeps_a_literal_holding_a_line_separator_in_one_line():
    text = sorted({line(SUBJECTS[0], PREDICATES[1], WITH_LINE_SEPARATOR, GRAPHS[0]),
                   line(SUBJECTS[0], PREDICATES[1], QUOTED, GRAPHS[0])})
    assert "\u2028".encode("utf-8") in text[1] + text[0]
    assert lines_with_prefix(b"".join(text), f"{SUBJECTS[0]} ".encode()) == text


# -----------------------------------------------------------------------------------------------------
# TriG
# -----------------------------------------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(old=st.lists(quads, min_size=1, max_size=40), removed=st.lists(quads, max_size=6),
       added=st.lists(quads, max_size=8), data=st.data())
def test_splice_trig_equals_full_regeneration(no_fallback, old, removed, added, data):
    removed += data.draw(st.lists(st.sampled_from(sorted(set(old))), max_size=12))
    old_bytes = joined(old)
    if not regenerated_trig(old_bytes):
        return
    check_change(old_bytes, removed, added)


@PROPERTY_SETTINGS
@given(old=st.lists(quads, min_size=2, max_size=40), data=st.data())
def test_a_graph_or_a_subject_removed_whole(no_fallback, old, data):
    old_bytes = joined(old)
    graph = data.draw(st.sampled_from(sorted({str(g) for g in GRAPHS})))
    subject = data.draw(st.sampled_from(sorted({str(s) for s in SUBJECTS})))
    of_graph = [each for each in old if each.endswith(f" {graph} .\n".encode())]
    of_subject = [each for each in old if each.startswith(f"{subject} ".encode())]
    removed = data.draw(st.sampled_from([of_graph, of_subject, of_graph + of_subject]))
    added = data.draw(st.lists(quads, max_size=3))
    if regenerated_trig(old_bytes):
        check_change(old_bytes, removed, added)


@PROPERTY_SETTINGS
@given(old=st.lists(quads, min_size=1, max_size=30), data=st.data())
def test_changes_at_the_first_and_last_groups_of_the_first_and_last_blocks(no_fallback, old, data):
    old_bytes = joined(old)
    keys = group_keys(old_bytes)
    first_graph, last_graph = keys[0][0], keys[-1][0]
    edges = [keys[0], keys[-1]] + [min(k for k in keys if k[0] == last_graph),
                                   max(k for k in keys if k[0] == first_graph)]
    added, removed = [], []
    for graph, subject in data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=4)):
        graph_term = pyoxigraph.NamedNode(graph)
        subject_term = next(s for s in SUBJECTS if str(s) == subject)
        added.append(line(subject_term, data.draw(st.sampled_from(PREDICATES)), data.draw(st.sampled_from(OBJECTS)),
                          graph_term))
        removed += [each for each in old if each.startswith(f"{subject} ".encode())
                    and each.endswith(f" <{graph}> .\n".encode()) and data.draw(st.booleans())]
    # subjects and graphs that sort before the first and after the last ones already there
    added += data.draw(st.lists(st.builds(line, st.sampled_from([SUBJECTS[10], SUBJECTS[14]]),
                                          st.sampled_from(PREDICATES), st.sampled_from(OBJECTS),
                                          st.sampled_from([GRAPHS[5], GRAPHS[6], pyoxigraph.NamedNode(first_graph),
                                                           pyoxigraph.NamedNode(last_graph)])), max_size=3))
    check_change(old_bytes, removed, added)


def test_touched_may_name_exactly_the_changed_pairs_or_more(no_fallback):
    rng = random.Random(3)
    old = joined(line(rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(OBJECTS), rng.choice(GRAPHS))
                 for _ in range(80))
    old_lines = old.splitlines(keepends=True)
    removed = rng.sample(old_lines, 10)
    added = [line(rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(OBJECTS), rng.choice(GRAPHS))
             for _ in range(10)]
    new = splice_nquads(old, removed, added)
    changed = touched_pairs(set(old_lines) ^ set(new.splitlines(keepends=True)))
    assert splice_trig(regenerated_trig(old), new, changed) == regenerated_trig(new)
    everything = touched_pairs(old_lines + added)
    assert splice_trig(regenerated_trig(old), new, everything) == regenerated_trig(new)
    assert splice_trig(regenerated_trig(old), old, set()) == regenerated_trig(old)


def test_the_last_graph_removed_leaves_an_empty_file(no_fallback):
    old = joined([line(SUBJECTS[0], PREDICATES[0], OBJECTS[0], GRAPHS[0]),
                  line(SUBJECTS[11], PREDICATES[1], QUOTED, GRAPHS[0])])
    new = check_change(old, old.splitlines(keepends=True), [])
    assert new == b"" and regenerated_trig(new) == b""


def test_the_default_graph_is_left_out_as_the_writer_leaves_it_out(no_fallback):
    in_graph = line(SUBJECTS[0], PREDICATES[0], OBJECTS[0], GRAPHS[0])
    # a default-graph line whose object is a graph's IRI ends as that graph's lines do
    default = f"{SUBJECTS[0]} {PREDICATES[1]} {GRAPHS[1]} .\n".encode()
    old = joined([in_graph, line(SUBJECTS[0], PREDICATES[1], QUOTED, GRAPHS[1])])
    new = check_change(old, [], [default])
    assert default in new and b"a-b" in regenerated_trig(new)


def test_an_old_trig_not_written_by_pyoxigraph_is_regenerated_whole():
    old = joined([line(SUBJECTS[0], PREDICATES[0], OBJECTS[0], GRAPHS[0]),
                  line(SUBJECTS[3], PREDICATES[1], QUOTED, GRAPHS[0])])
    added = [line(SUBJECTS[1], PREDICATES[2], WITH_LINE_SEPARATOR, GRAPHS[0])]
    new = splice_nquads(old, [], added)
    expected = regenerated_trig(new)
    touched = touched_pairs(added)
    well_formed = regenerated_trig(old)
    blank_lines = well_formed.replace(b" .\n\t", b" .\n\n\t")
    unknown_prefix = well_formed.replace(b"\tid:", b"\tunknown:")
    for old_trig in (b"", blank_lines, unknown_prefix, well_formed[:-2], well_formed.replace(b"\n}\n", b"\n")):
        assert splice_trig(old_trig, new, touched) == expected


# -----------------------------------------------------------------------------------------------------
# A small build: synthetic documents, the ontology and the inferred graph, as `nhskg build` makes them
# -----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    from nhskg.build import load_ontology
    ontology = load_ontology()
    corpus = generate(tmp_path_factory.mktemp("splice"), 3000, seed=11)
    quads = scale.read_nquads(corpus.graph) + scale.ontology_quads(ontology)
    lines = scale.nquads_lines(quads, scale.infer(quads, ontology))
    return "".join(lines).encode("utf-8")


def test_a_document_graph_swapped_on_a_small_build(no_fallback, small_build):
    old = small_build
    old_lines = old.splitlines(keepends=True)
    inferred = f" <{GRAPH_INFERRED}> .\n".encode()
    graphs = sorted({each.rsplit(b" ", 2)[1] for each in old_lines if b"/graph/document/" in each.rsplit(b" ", 2)[1]})
    assert len(graphs) >= 3
    rng = random.Random(5)
    dropped = graphs[len(graphs) // 2]
    removed = [each for each in old_lines if each.endswith(b" " + dropped + b" .\n")]
    # a subject's every line goes, some inferred triples go, and a new document graph comes with inferences
    subject = rng.choice([each for each in old_lines if each.endswith(inferred)]).split(b" ", 1)[0]
    removed += [each for each in old_lines if each.startswith(subject + b" ")]
    removed += rng.sample([each for each in old_lines if each.endswith(inferred)], 20)
    new_graph = b"<https://w3id.org/nhskg/graph/document/2031-01-01-spliced-in>"
    exact = b" <http://www.w3.org/ns/oa#exact> "
    a_selector = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/oa#TextQuoteSelector>"
    see_also = b" <http://www.w3.org/2000/01/rdf-schema#seeAlso> <urn:spliced>"
    added = []
    for n in range(15):
        node = f"<{ID}change/spliced-{n}#quote>".encode()
        added.append(node + exact + b'"a \\"quote\\"\\nover two lines"@en ' + new_graph + b" .\n")
        added.append(node + a_selector + inferred)
    for each in rng.sample([each for each in old_lines if each.endswith(inferred)], 30):
        added.append(each.split(b" ", 1)[0] + see_also + inferred)
    new = check_change(old, removed, added)
    assert dropped not in new and new_graph in new
