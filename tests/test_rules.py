"""The fast reasoner (`nhskg.rules`) entails exactly what owlrl's OWL RL closure entails, on the real build and on
random graphs over the ontology's own terms; where it cannot, it says so and the reference runs instead."""

import random

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from nhskg import rules
from nhskg.build import load_ontology
from nhskg.reasoning import expand
from nhskg.store import union_graph

ID = "https://w3id.org/nhskg/id/test/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def random_graph(ontology: Graph, seed: int, size: int = 250) -> Graph:
    """Instance triples that use the ontology's classes and properties at random, chains and transitive
    properties included, with no regard to domains: the rules must follow owlrl wherever the data goes."""
    rng = random.Random(seed)
    classes = sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
    object_properties = sorted(p for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
                               if isinstance(p, URIRef) and (p, RDF.type, OWL.FunctionalProperty) not in ontology)
    chain_steps = sorted({step for chain in ontology.objects(None, OWL.propertyChainAxiom)
                          for step in ontology.items(chain)})
    datatype_properties = sorted(p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
                                 if isinstance(p, URIRef))
    nodes = [URIRef(f"{ID}n{i}") for i in range(size // 5)]
    graph = Graph()
    while len(graph) < size:
        roll = rng.random()
        s, o = rng.choice(nodes), rng.choice(nodes)
        if roll < 0.25:
            graph.add((s, RDF.type, rng.choice(classes)))
        elif roll < 0.5:
            graph.add((s, rng.choice(chain_steps), o))
        elif roll < 0.85:
            graph.add((s, rng.choice(object_properties), o))
        else:
            graph.add((s, rng.choice(datatype_properties), Literal(f"value {rng.randrange(5)}")))
    return graph


def with_ontology(data: Graph, ontology: Graph) -> Graph:
    union = Graph()
    for graph in (ontology, data):
        for triple in graph:
            union.add(triple)
    return union


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_rules_entail_what_owlrl_entails_on_random_graphs(ontology, seed):
    asserted = with_ontology(random_graph(ontology, seed), ontology)
    fast = expand(asserted, ontology=ontology, engine="rules")
    reference = expand(asserted, ontology=ontology, engine="owlrl")
    assert len(reference) > 100
    assert set(fast) == set(reference)


def test_rules_entail_what_owlrl_entails_on_the_build(built, ontology):
    dataset = built[1].dataset
    asserted = union_graph(dataset, include_inferred=False)
    fast = expand(asserted, ontology=ontology, engine="rules")
    reference = expand(asserted, ontology=ontology, engine="owlrl")
    assert set(fast) == set(reference)
    assert set(fast) == set(dataset.graph(URIRef("https://w3id.org/nhskg/graph/inferred")))


def test_new_triples_add_only_their_consequences(ontology):
    compiled = rules.compile_rules(ontology)
    data = random_graph(ontology, 7)
    triples = list(data)
    whole = rules.entailments(list(ontology) + triples, compiled)
    reasoner = rules.Reasoner(compiled)
    reasoner.add(compiled.tbox_triples)
    reasoner.add(list(ontology) + triples[:100])
    reasoner.add(triples[100:])
    given = set(ontology) | set(triples)
    assert {t for t in reasoner.closure if t not in given} == whole.triples


def test_an_axiom_the_rules_do_not_cover_falls_back_to_owlrl(ontology):
    extended = with_ontology(Graph(), ontology)
    restriction = URIRef(f"{ID}restriction")
    extended.add((restriction, RDF.type, OWL.Restriction))
    extended.add((restriction, OWL.onProperty, URIRef("https://w3id.org/nhskg/ontology#status")))
    extended.add((restriction, OWL.hasValue, URIRef("https://w3id.org/nhskg/ontology#statusDone")))
    extended.add((URIRef(f"{ID}DoneThing"), OWL.equivalentClass, restriction))
    compiled = rules.compile_rules(extended)
    assert any("hasValue" in reason for reason in compiled.unsupported)
    data = with_ontology(Graph(), extended)
    change = URIRef(f"{ID}change")
    data.add((change, URIRef("https://w3id.org/nhskg/ontology#status"),
              URIRef("https://w3id.org/nhskg/ontology#statusDone")))
    inferred = expand(data, ontology=extended, engine="rules")
    assert (change, RDF.type, URIRef(f"{ID}DoneThing")) in inferred


def test_two_values_of_a_functional_property_are_reported(ontology):
    compiled = rules.compile_rules(ontology)
    status = URIRef("https://w3id.org/nhskg/ontology#status")
    change = URIRef(f"{ID}change")
    data = [(change, status, URIRef(f"{ID}a")), (change, status, URIRef(f"{ID}b"))]
    result = rules.entailments(list(ontology) + data, compiled)
    assert not result.complete
    assert any("functional" in reason for reason in result.reasons)


def test_ntriples_terms_give_the_same_entailments(ontology):
    from pyoxigraph import RdfFormat, parse
    data = random_graph(ontology, 3)
    as_rdflib = rules.entailments(list(ontology) + list(data), rules.compile_rules(ontology))
    text = with_ontology(data, ontology).serialize(format="nt")
    as_strings = [(str(q.subject), str(q.predicate), str(q.object)) for q in parse(text, format=RdfFormat.N_TRIPLES)]
    as_text = rules.entailments(as_strings, rules.compile_rules(ontology, rules.NTRIPLES_TERMS),
                                rules.NTRIPLES_TERMS)
    named = {t for t in as_rdflib.triples if not any(isinstance(x, Literal) or not isinstance(x, URIRef) for x in t)}
    named_text = {t for t in as_text.triples if all(x.startswith("<") for x in t)}
    assert {tuple(f"<{x}>" for x in t) for t in named} == named_text
