"""Every stored query parses, documents itself and declares the parameters it uses."""

import re
from pathlib import Path

import pytest

from nhskg.errors import InputError
from nhskg.queries import PARAM_KINDS, catalog, compile_query, parse_query_text

QUERIES = catalog()


def test_there_are_stored_queries():
    assert {"lineage", "claims", "entity-facts", "oversight", "find-entity"} <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_parses_and_documents_itself(name):
    query = QUERIES[name]
    compile_query(query)
    assert query.description, f"{name}.rq has no '# description:' line"
    assert f"# title: {name}" in query.text
    for parameter in query.parameters:
        assert parameter.kind in PARAM_KINDS
        assert re.search(rf"\?{parameter.name}\b", query.text), f"{name}: ?{parameter.name} is never used"


def test_a_query_that_does_not_parse_is_reported():
    broken = parse_query_text("SELECT ?x WHERE { ?x ?y }", "broken")
    with pytest.raises(InputError) as error:
        compile_query(broken)
    assert "does not parse" in str(error.value)


def test_parameters_are_bound_not_formatted(kg):
    hostile = 'x") } DELETE WHERE { ?s ?p ?o } #'
    table = kg.query("find-entity", {"name": hostile})
    assert table.rows == []
    assert len(kg.dataset) > 0


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if all(p.optional for p in q.parameters)))
def test_query_without_parameters_answers(kg, name):
    """Queries whose parameters are all optional run unfiltered, undated rows and all."""
    assert len(kg.query(name).rows) > 0


def test_changes_include_undated_ones(kg):
    dates = kg.query("changes").column("date")
    assert None in dates and any(d is not None for d in dates)


# Parameters that stand in the projection, GROUP BY or ORDER BY of their query as well as in its pattern: bound
# textually for Oxigraph, each must become a constant those clauses accept.
ENGINE_CASES = [
    ("claims", {"document": "Where did all the flowers go?"}),
    ("claims", {"about": "NHS England", "type": "Prediction"}),
    ("claims", {}),
    ("claims", {"by": "Brian Balmer", "text": "commissioning"}),
    ("document-bodies", {"document": "Where did all the flowers go?", "class": "ClinicalCommissioningGroup"}),
    ("asof", {"date": "2012-06-01", "class": "PCT"}),
    ("asof", {"date": "2016-06-01"}),
    ("find-entity", {"name": "kernow", "class": "ClinicalCommissioningGroup"}),
    ("lineage", {"body": "Kernow"}),
    ("memberships", {"member": "07H", "year": "2018"}),
]


@pytest.mark.parametrize("name, parameters", ENGINE_CASES)
def test_oxigraph_and_rdflib_give_the_same_answers(kg, name, parameters):
    from nhskg.queries import get_query, run, sort_parts
    query = get_query(name)
    bindings = kg.bind(query, parameters)
    answers = []
    for dataset in (kg.query_dataset, kg.dataset):
        result = run(dataset, query, bindings)
        # GROUP_CONCAT's order is each engine's own: the library sorts the parts, as for every table it gives
        rows = sort_parts(query, [str(v) for v in result.vars], [list(row) for row in result])
        answers.append(sorted((tuple(None if value is None else str(value) for value in row) for row in rows),
                              key=str))
    assert answers[0], f"{name} {parameters} answers nothing: the case tests nothing"
    assert answers[0] == answers[1]


def test_rows_read_from_oxigraph_behave_as_rdflib_rows(kg):
    """`queries.run` builds Oxigraph's rows itself: they answer by name and as dicts, and the result serialises,
    as rdflib's own rows and results do."""
    import json

    from nhskg.queries import get_query, run
    query = get_query("changes")
    mine, reference = run(kg.query_dataset, query), run(kg.dataset, query)
    rows, reference_rows = list(mine), list(reference)
    assert len(mine) == len(rows) == len(reference_rows) > 12
    for row, other in zip(rows, reference_rows):
        assert row.asdict().keys() == other.asdict().keys()
        assert str(row.label) == str(row["label"]) == str(other.label)
    serialised = json.loads(mine.serialize(format="json"))
    assert len(serialised["results"]["bindings"]) == len(rows)
    assert [binding["change"]["value"] for binding in serialised["results"]["bindings"]] == \
        [str(row.change) for row in rows]


@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
def test_a_page_is_the_slice_of_the_whole_answer(kg, engine):
    from nhskg.queries import get_query, page, run
    dataset = kg.query_dataset if engine == "oxigraph" else kg.dataset
    whole = [tuple(row) for row in run(dataset, get_query("changes"))]
    assert len(whole) > 12
    assert [tuple(row) for row in run(dataset, page(get_query("changes"), 5, 7))] == whole[7:12]
    assert [tuple(row) for row in run(dataset, page(get_query("changes"), None, len(whole) - 2))] == whole[-2:]


def test_a_query_that_limits_itself_is_not_paged_and_bad_pages_are_refused():
    from nhskg.queries import page
    own = parse_query_text("# title: own\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 3\n", "own")
    with pytest.raises(InputError, match="limits its own rows"):
        page(own, 10)
    assert page(own, None, 0) is own
    with pytest.raises(InputError, match="not a whole number"):
        page(QUERIES["changes"], -1)


def test_names_are_indexed_alike_from_oxigraph_and_from_rdflibs_store(kg):
    """Names are read straight from Oxigraph's index when the build is opened on Oxigraph, and through rdflib's
    API otherwise: both give the same names, instances and resolutions."""
    from nhskg.graph import KnowledgeGraph
    from nhskg.vocab import NHSKG, ORG
    on_rdflib = KnowledgeGraph(kg.dataset)
    assert kg._name_index() == on_rdflib._name_index()
    assert len(kg._name_index()) > 500
    for cls in (ORG.Organization, NHSKG.Person, NHSKG.Document, NHSKG.ClinicalCommissioningGroup):
        assert kg._instances(cls) == on_rdflib._instances(cls) != set()
    for name, kind in (("Kernow", "body"), ("07H", "body"), ("Roy Lilley", "person"), ("NCB", "entity")):
        assert kg.resolve(name, kind) == on_rdflib.resolve(name, kind)


def test_concatenated_parts_come_sorted_whichever_engine_answers(kg):
    """GROUP_CONCAT leaves the order of its parts to the engine (Oxigraph gave a CCG's years as "2021 2020
    2019"); the columns a stored query names in `# sorted parts:` come sorted, the same from every engine."""
    from nhskg.graph import KnowledgeGraph
    on_rdflib = KnowledgeGraph(kg.dataset)
    memberships = kg.query("memberships")
    years = [str(value).split(" ") for value in memberships.column("years")]
    assert any(len(parts) > 1 for parts in years)
    assert all(parts == sorted(parts) for parts in years)
    for name, parameters in (("memberships", {}), ("lineage", {"body": "13T"}), ("claims", {})):
        oxigraph_rows, rdflib_rows = kg.query(name, parameters).rows, on_rdflib.query(name, parameters).rows
        assert oxigraph_rows
        # as text: Oxigraph types a plain literal xsd:string, the same literal in RDF 1.1
        assert sorted([str(cell) for cell in row] for row in oxigraph_rows) == \
            sorted([str(cell) for cell in row] for row in rdflib_rows), name


def test_sorted_parts_must_name_a_concatenation():
    from nhskg.queries import parse_query_text
    text = ('# sorted parts: labels\nSELECT ?x (GROUP_CONCAT(?l; separator=" | ") AS ?names) '
            'WHERE { ?x rdfs:label ?l } GROUP BY ?x')
    with pytest.raises(InputError, match="labels is not a GROUP_CONCAT column"):
        parse_query_text(text, "mine", Path("mine.rq"))
    assert parse_query_text(text.replace("labels", "names", 1), "mine").sorted_parts == {"names": " | "}
