"""The build: deterministic output, golden loader output by graph isomorphism, reasoning and its noise pass."""

import os
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from nhskg.build import build
from nhskg.corpus import Anchor, SourceText, find_anchor, verify_anchor
from nhskg.vocab import GRAPH_INFERRED, ID, NHSKG, ORG

from conftest import FIXTURES, ROOT

GOLDEN = FIXTURES / "golden"


def test_byte_identical_across_processes(tmp_path, corpus, built):
    """A build in another process, with another hash seed, writes the same bytes as the session's build."""
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "nhskg", "build", "--corpus", str(corpus), "--out", str(out)],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    for name in ("nhskg.nq", "nhskg.trig"):
        assert (out / name).read_bytes() == (built[0] / name).read_bytes(), name


def test_trig_and_nquads_hold_the_same_graph(built):
    out, _ = built
    a, b = Dataset(), Dataset()
    a.parse(out / "nhskg.trig", format="trig")
    b.parse(out / "nhskg.nq", format="nquads")
    names_a = sorted(str(g.identifier) for g in a.graphs() if len(g))
    names_b = sorted(str(g.identifier) for g in b.graphs() if len(g))
    assert names_a == names_b and len(names_a) >= 8
    for name in names_a:
        graph_a, graph_b = a.graph(URIRef(name)), b.graph(URIRef(name))
        assert to_isomorphic(Graph() + graph_a) == to_isomorphic(Graph() + graph_b), name


def test_document_graphs_match_golden_files(built):
    """Regenerate with NHSKG_REGENERATE_GOLDEN=1 after a deliberate change to loader or data."""
    dataset = Dataset()
    dataset.parse(built[0] / "nhskg.nq", format="nquads")
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if "/graph/document/" not in name:
            continue
        golden = GOLDEN / (name.rsplit("/", 1)[-1] + ".nt")
        if os.environ.get("NHSKG_REGENERATE_GOLDEN"):
            GOLDEN.mkdir(exist_ok=True)
            golden.write_text("".join(sorted(graph.serialize(format="nt").splitlines(keepends=True))), encoding="utf-8")
        expected = Graph().parse(golden, format="nt")
        assert to_isomorphic(Graph() + graph) == to_isomorphic(expected), f"{golden.name} differs"


def test_reasoning_adds_inverses_types_and_lineage_without_noise(kg):
    inferred = kg.dataset.graph(GRAPH_INFERRED)
    merger_result = ID["org/mid-and-west-cornwall-gp-commissioning-group"]
    assert (merger_result, ORG.resultedFrom, None) in inferred
    assert (merger_result, NHSKG.hasImmediatePredecessor, ID["org/mid-cornwall-gp-commissioning-group"]) in inferred
    assert (ID["org/nhs-england"], RDF.type, ORG.Organization) in inferred
    assert (None, RDF.type, OWL.Thing) not in inferred
    assert not [s for s, o in inferred.subject_objects(OWL.sameAs) if s == o]


def test_profile_none_infers_nothing(tmp_path, corpus):
    result = build(tmp_path, profile="none")
    assert len(result.dataset.graph(GRAPH_INFERRED)) == 0


def test_offsets_survive_non_breaking_spaces_and_curly_quotes():
    text = "He said\u00a0\u201cGP commissioning will fail\u201d,\u00a0twice."
    source = SourceText(Path("x.txt"), "0" * 64, text)
    start = find_anchor(text, '"GP commissioning will fail"')[0]
    assert start == 8
    anchor = verify_anchor(source, Anchor('"GP commissioning will fail"', "said ", ", ", 8, 36), "test")
    assert anchor.exact == text[8:36] and anchor.exact.startswith("\u201c")
    assert anchor.prefix == "said\u00a0"
