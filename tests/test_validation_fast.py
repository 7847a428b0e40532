"""The fast validation path (`nhskg validate`, the large-graph build) reports exactly what pySHACL alone reports:
SPARQL-based targets found by Oxigraph, each node shape split over its focus nodes among forked processes, and
the parts merged into one report."""

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
# XSD through its module: as one of a test module's names, pytest probes it for mocks and rdflib warns
from rdflib import namespace

from nhskg import scale
from nhskg.build import load_ontology
from nhskg.store import NQUADS_NAME
from nhskg.validation import (DATA_SHAPES, lint_dataset, load_shapes, resolve_sparql_targets, shapes_vocabulary, validate_build,
                              validate_dataset, validate_graph, validate_graph_parallel, validation_tasks)
from nhskg.vocab import NHSKG, OA, ORG

from conftest import FIXTURES

DATA_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))


def fast(data: Graph, shapes: Graph):
    """Through N-Triples into a `ValidationInput`, as a build's N-Quads are read, then the parallel path."""
    inputs = scale.validation_input(data=data.serialize(format="nt", encoding="utf-8"),
                                    vocabulary=shapes_vocabulary(shapes))
    return validate_graph_parallel(inputs.graph, shapes, processes=2, store=inputs.store)


@pytest.mark.parametrize("fixture", DATA_FIXTURES, ids=lambda p: p.stem)
def test_fast_path_reports_what_pyshacl_alone_reports(fixture):
    shapes = load_shapes(DATA_SHAPES)
    data = Graph().parse(fixture, format="turtle") + load_ontology()
    reference = validate_graph(data, shapes)
    result = fast(data, shapes)
    assert reference.rows(), fixture.stem  # every fixture breaks its shape
    assert result.rows() == reference.rows()
    assert result.conforms == reference.conforms


def test_a_blank_focus_node_found_by_oxigraph_is_the_node_pyshacl_reports():
    shapes = load_shapes(DATA_SHAPES)
    data = load_ontology()
    selector = BNode("selector1")
    data.add((selector, RDF.type, OA.TextPositionSelector))
    data.add((selector, OA.start, Literal(30, datatype=namespace.XSD.nonNegativeInteger)))
    data.add((selector, OA.end, Literal(12, datatype=namespace.XSD.nonNegativeInteger)))
    reference = validate_graph(data, shapes)
    result = fast(data, shapes)
    assert not reference.conforms
    assert result.rows() == reference.rows()
    assert {row["focus"] for row in result.rows()} == {"selector1"}


def test_sparql_targets_become_the_nodes_oxigraph_finds():
    shapes = load_shapes(DATA_SHAPES)
    data = load_ontology()
    for number, (founded, dissolved) in enumerate([("2013-04-01", "2012-03-31"), ("2013-04-01", "2019-03-31")]):
        body = URIRef(f"https://w3id.org/nhskg/id/org/body-{number}")
        data.add((body, URIRef("http://schema.org/foundingDate"), Literal(founded, datatype=namespace.XSD.date)))
        data.add((body, URIRef("http://schema.org/dissolutionDate"), Literal(dissolved, datatype=namespace.XSD.date)))
    inputs = scale.validation_input(data=data.serialize(format="nt", encoding="utf-8"))
    resolved = resolve_sparql_targets(shapes, inputs.store)
    lifespan = URIRef("https://w3id.org/nhskg/shapes#LifespanShape")
    assert set(resolved.objects(lifespan, SH.targetNode)) == {URIRef("https://w3id.org/nhskg/id/org/body-0")}
    assert not any(resolved.triples((None, RDF.type, SH.SPARQLTarget)))
    assert (None, RDF.type, SH.SPARQLTarget) in shapes  # the shapes given are left as they were


@pytest.mark.parametrize("select", ["SELECT ?this WHERE { ?this ?p $currentShape }",
                                    "SELECT ?this WHERE { ?this nosuchprefix:p ?o }"])
def test_a_target_oxigraph_should_not_answer_is_left_to_pyshacl(select):
    shapes = Graph()
    shape, target = URIRef("https://example.org/shape"), BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.target, target))
    shapes.add((target, RDF.type, SH.SPARQLTarget))
    shapes.add((target, SH.select, Literal(select)))
    inputs = scale.validation_input(data=b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n")
    resolved = resolve_sparql_targets(shapes, inputs.store)
    assert set(resolved) == set(shapes)


def test_tasks_split_a_shape_over_its_focus_nodes_and_cover_them_once():
    shapes = load_shapes(DATA_SHAPES)
    data = load_ontology()
    bodies = {URIRef(f"https://w3id.org/nhskg/id/org/body-{n}") for n in range(7)}
    for body in bodies:
        data.add((body, RDF.type, ORG.Organization))
    inputs = scale.validation_input(data=data.serialize(format="nt", encoding="utf-8"))
    tasks = validation_tasks(inputs.graph, resolve_sparql_targets(shapes, inputs.store), size=3)
    organisation = [focus for shape, focus in tasks if shape == "https://w3id.org/nhskg/shapes#OrganizationShape"]
    assert [len(focus) for focus in organisation] == [3, 3, 1]
    assert sorted(node for focus in organisation for node in focus) == sorted(bodies)
    assert tasks[0][0] == "https://w3id.org/nhskg/shapes#OrganizationShape"  # the costliest first
    assert not any(shape.endswith("#PersonShape") for shape, _ in tasks)  # no focus node, no task


def test_merged_report_is_one_report_with_every_result():
    shapes = load_shapes(DATA_SHAPES)
    data = Graph()
    for fixture in ("ChangeEventShape", "PersonShape", "DocumentShape"):
        data.parse(FIXTURES / "shapes" / f"{fixture}.ttl", format="turtle")
    data += load_ontology()
    result = fast(data, shapes)
    reports = list(result.report.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert result.report.value(reports[0], SH.conforms) == Literal(False)
    results = list(result.report.objects(reports[0], SH.result))
    assert len(results) == len(result.rows()) == len(validate_graph(data, shapes).rows())
    assert f"Results ({len(results)}):" in result.text
    # a property shape's result is shown under the node shape holding it, the same on every run
    assert {row["shape"] for row in result.rows()} == {f"https://w3id.org/nhskg/shapes#{name}" for name in (
        "ChangeEventShape", "ChangeDatedShape", "PersonShape", "DocumentShape")}


def test_nhskg_validate_equals_validation_of_the_loaded_dataset(built, kg, corpus):
    results = validate_build(built[0], corpus)
    reference = validate_dataset(kg.dataset, corpus)
    assert results["data"].rows() == reference.rows()
    assert results["data"].conforms == reference.conforms
    assert results["ontology lint"].rows() == lint_dataset(kg.dataset).rows()
    assert results["ontology lint"].conforms


def test_nhskg_validate_finds_a_moved_quote_in_the_build(built, corpus, tmp_path):
    lines = (built[0] / NQUADS_NAME).read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if f"<{OA.start}>" in line)
    subject, predicate, value, *rest = lines[start].split(" ")
    moved = int(value.split('"')[1]) + 1
    lines[start] = " ".join([subject, predicate, f'"{moved}"^^<{namespace.XSD.nonNegativeInteger}>', *rest])
    (tmp_path / NQUADS_NAME).write_text("".join(lines), encoding="utf-8")
    messages = {row["message"] for row in validate_build(tmp_path, corpus)["data"].rows()}
    assert any("is not the quoted words" in message for message in messages)
    assert any("offsets span" in message for message in messages)


def test_the_graph_for_pyshacl_keeps_what_the_shapes_read_and_only_that():
    shapes = load_shapes(DATA_SHAPES)
    vocabulary = shapes_vocabulary(shapes)
    body = "https://w3id.org/nhskg/id/org/body"
    nquads = "".join(f"{line} .\n" for line in (
        f"<{body}> <http://www.w3.org/2000/01/rdf-schema#label> \"Body\"@en",            # a path of a shape
        f"<{body}> <https://w3id.org/nhskg/ontology#hasSuccessor> <{body}-2>",            # named by no shape
        f"<{body}> <{RDF.type}> <https://w3id.org/nhskg/ontology#Sub>",                   # below a shape's class
        f"<https://w3id.org/nhskg/ontology#Sub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{ORG.Organization}>",
        f"<{body}> <{RDF.type}> <http://www.w3.org/ns/prov#Entity>",                       # no shape's class
    )).encode("utf-8")
    graph = scale.validation_input(data=nquads, vocabulary=vocabulary).graph
    kept = {str(p) + (" " + str(o) if p == RDF.type else "") for _, p, o in graph}
    assert kept == {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#subClassOf",
                    f"{RDF.type} https://w3id.org/nhskg/ontology#Sub"}
    assert len(scale.validation_input(data=nquads).graph) == 5  # with no vocabulary, everything


@pytest.mark.parametrize("extra", [
    "nhskgsh:OrganizationShape sh:closed true .",
    'nhskgsh:OrganizationShape sh:sparql [ sh:prefixes nhskgsh: ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .',
    'nhskgsh:OrganizationShape sh:sparql [ sh:prefixes nhskgsh: ; sh:select "SELECT $this WHERE { $this a ?t }" ] .',
    'nhskgsh:OrganizationShape sh:sparql [ sh:prefixes nhskgsh: ; sh:select "SELECT $this WHERE { $this !rdfs:label ?o }" ] .',
    'nhskgsh:OrganizationShape sh:sparql [ sh:prefixes nhskgsh: ; sh:select "SELECT $this WHERE { $this rdfs:label/!rdfs:label ?o }" ] .',
])
def test_a_shape_that_can_read_any_triple_keeps_the_whole_graph(extra):
    shapes = load_shapes(DATA_SHAPES)
    shapes.parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix nhskgsh: <https://w3id.org/nhskg/shapes#> .\n"
                 + extra, format="turtle")
    assert shapes_vocabulary(shapes) is None
