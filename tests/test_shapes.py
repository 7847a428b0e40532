"""Every shape fires on its failing fixture, and the real build and ontology conform."""

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from nhskg.build import load_ontology
from nhskg.validation import DATA_SHAPES, LINT_SHAPES, lint_dataset, load_shapes, validate_dataset, validate_graph

from conftest import FIXTURES

DATA_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
LINT_FIXTURES = sorted((FIXTURES / "lint").glob("*.ttl"))


def node_shapes(shapes: Graph) -> set[str]:
    return {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, SH.NodeShape)}


def fired_shapes(result, shapes: Graph) -> set[str]:
    """Node shapes with a result, counting a property shape's result for the node shape that holds it."""
    fired = set()
    for source in result.report.objects(None, SH.sourceShape):
        owners = set(shapes.subjects(SH.property, source)) or {source}
        fired |= {str(owner).rsplit("#", 1)[-1] for owner in owners}
    return fired


@pytest.mark.parametrize("shapes_file, fixtures", [(DATA_SHAPES, DATA_FIXTURES), (LINT_SHAPES, LINT_FIXTURES)])
def test_every_shape_has_a_failing_fixture(shapes_file, fixtures):
    assert node_shapes(load_shapes(shapes_file)) == {p.stem for p in fixtures}


@pytest.mark.parametrize("fixture", DATA_FIXTURES, ids=lambda p: p.stem)
def test_data_shape_fires_on_its_fixture(fixture):
    shapes = load_shapes(DATA_SHAPES)
    data = Graph().parse(fixture, format="turtle") + load_ontology()
    result = validate_graph(data, shapes)
    assert fixture.stem in fired_shapes(result, shapes)


@pytest.mark.parametrize("fixture", LINT_FIXTURES, ids=lambda p: p.stem)
def test_lint_shape_fires_on_its_fixture(fixture):
    shapes = load_shapes(LINT_SHAPES)
    result = validate_graph(Graph().parse(fixture, format="turtle"), shapes)
    assert not result.conforms
    assert fixture.stem in fired_shapes(result, shapes)


def test_built_graph_conforms_with_anchors_checked(kg, corpus):
    result = validate_dataset(kg.dataset, corpus)
    assert result.conforms, result.text
    assert all(row["severity"] == "Warning" for row in result.rows())


def test_anchor_shape_catches_a_moved_quote(kg, corpus):
    from nhskg.vocab import OA
    from rdflib import Literal
    from rdflib.namespace import XSD
    dataset = kg.dataset
    position = next(dataset.subjects(RDF.type, OA.TextPositionSelector))
    start = dataset.value(position, OA.start)
    graph = next(g for g in dataset.graphs() if (position, OA.start, start) in g)
    graph.remove((position, OA.start, start))
    graph.add((position, OA.start, Literal(int(start) + 1, datatype=XSD.nonNegativeInteger)))
    try:
        result = validate_dataset(dataset, corpus)
        assert not result.conforms
    finally:
        graph.remove((position, OA.start, Literal(int(start) + 1, datatype=XSD.nonNegativeInteger)))
        graph.add((position, OA.start, start))


def test_ontology_lint_conforms(kg):
    result = lint_dataset(kg.dataset)
    assert result.conforms, result.text
