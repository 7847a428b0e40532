"""The ontology under a DL reasoner (HermiT, shipped inside owlready2, run on the machine's Java):
consistent, with every class satisfiable."""

import shutil

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from nhskg.build import load_ontology
from nhskg.vocab import NHSKG

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


def test_ontology_is_consistent_and_every_class_satisfiable(tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    path = tmp_path / "nhskg.nt"
    ontology = load_ontology()
    path.write_text(ontology.serialize(format="nt"), encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = [str(c.iri) for c in world.inconsistent_classes()]
    assert unsatisfiable == []
    declared = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(NHSKG))}
    loaded = {c.iri for c in onto.classes()}
    assert declared <= loaded, declared - loaded


def test_hermit_finds_an_unsatisfiable_class(tmp_path):
    """The check above could fail: a class under two disjoint types is reported."""
    owlready2 = pytest.importorskip("owlready2")
    ontology = load_ontology()
    ontology.add((NHSKG.Impossible, RDF.type, OWL.Class))
    from rdflib.namespace import RDFS
    ontology.add((NHSKG.Impossible, RDFS.subClassOf, NHSKG.PrimaryCareTrust))
    ontology.add((NHSKG.Impossible, RDFS.subClassOf, NHSKG.ClinicalCommissioningGroup))
    path = tmp_path / "broken.nt"
    path.write_text(ontology.serialize(format="nt"), encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert str(NHSKG.Impossible) in {str(c.iri) for c in world.inconsistent_classes()}
