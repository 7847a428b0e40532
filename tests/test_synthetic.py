"""The synthetic graph and document generator of benchmarks/synthetic.py: deterministic, the size asked for,
valid against the project's shapes once reasoned, anchored exactly in its texts, answerable by the stored
queries and readable by the extractor."""

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from nhskg.build import load_ontology
from nhskg.extract import extract_document, load_gazetteer
from nhskg.graph import KnowledgeGraph
from nhskg.loader import CHANGE_CLASS
from nhskg.reasoning import expand
from nhskg.store import union_graph
from nhskg.validation import validate_dataset
from nhskg.vocab import GRAPH, GRAPH_INFERRED, GRAPH_ONTOLOGY, NHSKG, OA, ORG

ROOT = Path(__file__).resolve().parent.parent


def _load_generator():
    path = ROOT / "benchmarks" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("benchmarks_synthetic", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


synthetic = _load_generator()
SMALL = 3000


def read_quads(path: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    return dataset


def quad_count(dataset: Dataset) -> int:
    return sum(len(graph) for graph in dataset.graphs())


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return synthetic.generate(tmp_path_factory.mktemp("synthetic"), SMALL, seed=0)


@pytest.fixture(scope="module")
def reasoned(small) -> Dataset:
    """The small generated graph with the ontology and what OWL RL adds, as the build would hold it."""
    dataset = read_quads(small.graph)
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    for triple in load_ontology():
        ontology.add(triple)
    inferred = dataset.graph(GRAPH_INFERRED)
    for triple in expand(union_graph(dataset)):
        inferred.add(triple)
    return dataset


# -- determinism and size ---------------------------------------------------------------------------------

def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(small, tmp_path):
    again = synthetic.generate(tmp_path / "again", SMALL, seed=0)
    other = synthetic.generate(tmp_path / "other", SMALL, seed=1)
    assert again.graph.read_bytes() == small.graph.read_bytes()
    assert folder_bytes(again.documents) == folder_bytes(small.documents)
    assert other.graph.read_bytes() != small.graph.read_bytes()
    assert folder_bytes(other.documents) != folder_bytes(small.documents)


@pytest.mark.parametrize("scale, seed", [(SMALL, 0), (SMALL, 7), (25_000, 3)])
def test_size_is_within_ten_per_cent_and_every_quad_is_distinct(tmp_path, scale, seed):
    result = synthetic.generate(tmp_path, scale, seed)
    dataset = read_quads(result.graph)
    assert quad_count(dataset) == result.triples          # no line repeats another
    assert abs(result.triples - scale) <= scale * 0.10
    assert result.document_count == len(list(result.documents.glob("*.txt"))) > 0


def test_graphs_are_those_of_a_build_without_ontology_or_inference_and_no_blank_nodes(small):
    dataset = read_quads(small.graph)
    names = {str(g.identifier)[len(str(GRAPH)):] for g in dataset.graphs() if len(g)}
    documents = {name for name in names if name.startswith("document/")}
    assert names - documents == {"entities", "register"}
    assert len(documents) == small.document_count
    assert not any(isinstance(term, BNode) for quad in dataset.quads((None, None, None, None)) for term in quad[:3])


def test_scale_suffixes_and_the_command_line(tmp_path):
    assert synthetic.parse_scale("10k") == 10_000
    assert synthetic.parse_scale("100K") == 100_000
    assert synthetic.parse_scale("1m") == 1_000_000
    assert synthetic.parse_scale("2500") == 2500
    assert synthetic.main(["--scale", "3k", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "graph.nq").stat().st_size > 0 and any((tmp_path / "documents").iterdir())
    assert synthetic.main(["--scale", "500", "--out", str(tmp_path / "tiny")]) == 2


# -- the shapes, the anchors ------------------------------------------------------------------------------

def test_reasoned_graph_conforms_to_the_shapes_with_anchors_checked(small, reasoned):
    result = validate_dataset(reasoned, small.documents)
    assert result.conforms, result.text
    assert result.rows() == []          # not even a warning: every change has a date and a precision


def test_every_anchor_points_at_its_quote_in_the_generated_text(small):
    dataset = read_quads(small.graph)
    dataset.default_union = True
    texts = {}
    for document, name in dataset.subject_objects(NHSKG.fileName):
        raw = (small.documents / str(name)).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == str(dataset.value(document, NHSKG.sha256))
        texts[document] = raw.decode("utf-8")
        assert int(dataset.value(document, NHSKG.characterCount)) == len(texts[document])
    anchored = 0
    for subject, quote in dataset.subject_objects(NHSKG.quoteSelector):
        position = dataset.value(subject, NHSKG.positionSelector)
        text = texts[dataset.value(subject, DCTERMS.source)]
        start, end = int(dataset.value(position, OA.start)), int(dataset.value(position, OA.end))
        assert text[start:end] == str(dataset.value(quote, OA.exact))
        assert text[:start].endswith(str(dataset.value(quote, OA.prefix)))
        assert text[end:].startswith(str(dataset.value(quote, OA.suffix)))
        anchored += 1
    claims = set(dataset.subjects(NHSKG.summary, None))
    assert claims and anchored >= len(claims)


# -- the stored queries -----------------------------------------------------------------------------------

def predecessors(dataset: Dataset, body: URIRef) -> set:
    """Every body a body came from, through the changes that resulted in it and in its predecessors."""
    found, todo = set(), [body]
    while todo:
        for change in dataset.subjects(ORG.resultingOrganization, todo.pop()):
            for original in dataset.objects(change, ORG.originalOrganization):
                if original not in found:
                    found.add(original)
                    todo.append(original)
    return found


def test_stored_queries_answer_lineage_claims_and_memberships(reasoned):
    kg = KnowledgeGraph(reasoned)
    merged = {body for change in reasoned.subjects(RDF.type, NHSKG.Merger)
              for body in reasoned.objects(change, ORG.resultingOrganization) if (body, NHSKG.odsCode, None) in reasoned}
    body = max(sorted(merged), key=lambda b: len(predecessors(reasoned, b)))    # the CCG with the longest past
    lineage = kg.lineage(str(body)).records()
    assert any(str(row["kind"]).lower() == "merger" and str(row["position"]) == "itself" for row in lineage)
    # "earlier": the changes among its predecessors, worked out here by walking the graph
    past = predecessors(reasoned, body)
    touching = {c for c, _ in reasoned.subject_objects(ORG.originalOrganization) if (c, None, body) in reasoned}
    expected = {change for change, original in reasoned.subject_objects(ORG.originalOrganization)
                if original in past and change not in touching
                and any(result in past for result in reasoned.objects(change, ORG.resultingOrganization))}
    assert expected and {row["change"] for row in lineage if str(row["position"]) == "earlier"} == expected
    claims = set(reasoned.subjects(NHSKG.summary, None))
    assert len(kg.claims().rows) == len(claims)                          # every claim answers, once
    speaker = sorted(reasoned.objects(None, PROV.wasAttributedTo))[0]
    said = {c for c in claims if (c, PROV.wasAttributedTo, speaker) in reasoned}
    assert {row["claim"] for row in kg.claims(by=str(speaker)).records()} == said
    assert kg.query("memberships", {"year": "2013"}).rows


# -- the extractor reads the generated texts --------------------------------------------------------------

def test_extractor_finds_the_recorded_changes_relations_and_claims(small):
    dataset = read_quads(small.graph)
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    for triple in load_ontology():
        ontology.add(triple)
    dataset.default_union = True
    gazetteer = load_gazetteer(dataset)
    change_kind = {cls: kind for kind, cls in CHANGE_CLASS.items()}
    found = {"changes": [0, 0], "oversight": [0, 0], "claims": [0, 0]}
    for document, name in sorted(dataset.subject_objects(NHSKG.fileName)):
        extraction = extract_document(small.documents / str(name), gazetteer)   # the JSON form
        for subject in dataset.subjects(DCTERMS.source, document):
            position = dataset.value(subject, NHSKG.positionSelector)
            if position is None:
                continue
            start, end = int(dataset.value(position, OA.start)), int(dataset.value(position, OA.end))
            section = {"change": "changes", "relation": "oversight", "claim": "claims"}[str(subject).split("/")[-2]]
            spans = [item for item in extraction[section] if item["start"] < end and start < item["end"]]
            if section == "changes":
                kind = change_kind[next(t for t in dataset.objects(subject, RDF.type) if t in change_kind)]
                spans = [item for item in spans if item["kind"] == kind]
            found[section][0] += 1
            found[section][1] += bool(spans)
    for section, (recorded, extracted) in found.items():
        assert recorded > 0, section
        assert extracted >= 0.9 * recorded, f"{section}: {extracted} of {recorded} found"
