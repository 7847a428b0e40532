"""`nhskg ingest DIR` against a copy of a small build: new documents become graphs of their own, bad files
are skipped with their reasons, a curated document keeps its curated graph, a second run changes nothing,
an edited file replaces only its own graph, a disagreement with curated data is reported and recorded, and
the result loads and answers queries.

The build here is made from the project's curated annotations without the open-data register (and so
without the links into it): it holds the five curated document graphs, which is what ingesting meets, and
takes seconds instead of the full build's forty."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import RDF

from nhskg import resources
from nhskg.cli import main
from nhskg.errors import InputError
from nhskg.extract import document_slug
from nhskg.graph import KnowledgeGraph
from nhskg.ingest import ingest
from nhskg.store import read_build
from nhskg.vocab import GRAPH, ID, NHSKG, OA

CORNWALL_CHANGE = ID["change/2011-12-07-bureaucrats-shall-inherit-the-nhs-mid-cornwall-merged-into-mid-and-west-cornwall"]

PRESS = """FOR IMMEDIATE RELEASE

Thursday, 14 March 2019

Barsetshire and Westshire commissioners to combine

NHS Barsetshire CCG and NHS Westshire CCG will merge on 1 April 2020 to form NHS Greater Wessex CCG, the two governing bodies agreed yesterday.

\u201cPatients will see no change to the services they use,\u201d said Dr Helen Marsh, chair of NHS Barsetshire CCG.

Ends

Notes to editors: for more information contact the press office at www.barsetshireccg.nhs.uk
"""

# A later look back that dates a merger the curated annotations date December 2011 to March 2012.
CORNWALL = """Cornwall commissioning: a look back

2 June 2014

In March 2012 the mid Cornwall commissioning group merged with the mid and west Cornwall group, leaving two groups in the county.
"""

WINDOWS = ("Westshire Weekly\n\n12 May 2012\n\nBy Tom Ellery\n\nWestshire PCT was abolished last month, and critics "
           "said the change had cost \u00a3200,000 and left the \u2018new\u2019 CCG short of staff.\n")


@pytest.fixture(scope="module")
def small_build(tmp_path_factory, corpus) -> Path:
    from nhskg.build import build
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(resources.DATA_DIR / "documents", data / "documents")
    for name in ("entities.toml", "background.toml"):
        shutil.copy(resources.DATA_DIR / name, data / name)
    out = tmp_path_factory.mktemp("small-build")
    build(out, data_dir=data, corpus=corpus)
    return out


@pytest.fixture
def build_copy(small_build, tmp_path) -> Path:
    target = tmp_path / "build"
    shutil.copytree(small_build, target)
    return target


@pytest.fixture
def inbox(tmp_path, corpus) -> Path:
    folder = tmp_path / "inbox"
    (folder / "older").mkdir(parents=True)
    (folder / "press.txt").write_text(PRESS, encoding="utf-8")
    (folder / "older" / "cornwall.txt").write_text(CORNWALL, encoding="utf-8")
    (folder / "older" / "windows.txt").write_bytes(WINDOWS.encode("cp1252"))
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(corpus / "004_3a34b501a897b3f2.txt", folder / "alliance.txt")
    return folder


def graph_of(name: str) -> URIRef:
    return GRAPH[f"document/{document_slug(name)}"]


def test_first_ingest_adds_each_document_and_reports_every_file(build_copy, inbox):
    summary = ingest(inbox, build_copy)
    status = {d.path: (d.status, d.reason) for d in summary.documents}
    assert summary.counts() == {"read": 4, "added": 3, "replaced": 0, "unchanged": 0, "curated": 1, "skipped": 2}
    assert status["inbox/logo.png"][0] == "skipped" and "binary" in status["inbox/logo.png"][1]
    assert status["inbox/empty.txt"][0] == "skipped" and "empty" in status["inbox/empty.txt"][1]
    assert status["inbox/alliance.txt"][0] == "curated" and "004_3a34b501a897b3f2.txt" in status["inbox/alliance.txt"][1]
    assert summary.written
    totals = summary.statements
    assert totals["changes"] >= 2 and totals["claims"] >= 3 and totals["new entities"] >= 3
    press = next(d for d in summary.documents if d.path == "inbox/press.txt")
    assert press.statements["changes"] == 1 and press.graph == str(graph_of("inbox/press.txt"))

    dataset = read_build(build_copy)
    names = {g.identifier for g in dataset.graphs() if len(g)}
    for name in ("inbox/press.txt", "inbox/older/cornwall.txt", "inbox/older/windows.txt"):
        assert graph_of(name) in names
    # the cp1252 page was decoded, not mangled: its pound sign and curly quotes are in the quoted words
    windows = dataset.graph(graph_of("inbox/older/windows.txt"))
    assert any("\u00a3200,000" in str(o) for o in windows.objects(None, OA.exact))
    # the curated document's own graph is untouched and its copy adds no second document
    alliance = dataset.graph(graph_of("inbox/alliance.txt"))
    assert not list(alliance.subjects(RDF.type, NHSKG.Document))
    assert not list(alliance.subjects(RDF.type, NHSKG.Claim))


def test_a_conflict_with_curated_data_is_reported_recorded_and_not_merged(build_copy, inbox):
    summary = ingest(inbox, build_copy)
    cornwall = [c for c in summary.conflicts if c.document == "inbox/older/cornwall.txt"]
    assert len(cornwall) == 1
    conflict = cornwall[0]
    assert conflict.kind == "change" and conflict.curated == str(CORNWALL_CHANGE) and "2011-12" in conflict.reason
    assert CORNWALL[conflict.start:conflict.end].startswith("mid Cornwall commissioning group merged")
    assert "conflicts with curated data: " in summary.render() and str(CORNWALL_CHANGE) in summary.render()
    graph = read_build(build_copy).graph(graph_of("inbox/older/cornwall.txt"))
    notes = list(graph.subjects(RDF.type, OA.Annotation))
    assert len(notes) == 1 and graph.value(notes[0], OA.hasBody) == CORNWALL_CHANGE
    assert not list(graph.subjects(RDF.type, NHSKG.Merger)), "the conflicting merger is withheld"
    # the curated change keeps its one date
    kg = KnowledgeGraph.open(build_copy)
    dates = {str(o) for o in kg.dataset.objects(CORNWALL_CHANGE, URIRef("http://purl.org/dc/terms/date"))}
    assert dates == {"2011-12"}


def test_second_ingest_skips_everything_and_writes_nothing(build_copy, inbox):
    ingest(inbox, build_copy)
    def every_file():    # the state kept beside the build included
        return {str(p.relative_to(build_copy)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in build_copy.rglob("*") if p.is_file()}
    before = every_file()
    assert any(name.startswith(".ingest-state/") for name in before)
    again = ingest(inbox, build_copy)
    assert again.counts() == {"read": 4, "added": 0, "replaced": 0, "unchanged": 4, "curated": 0, "skipped": 2}
    assert not again.written and again.conflicts == []
    assert before == every_file()


def test_editing_one_file_replaces_only_its_graph(build_copy, inbox):
    ingest(inbox, build_copy)
    first = read_build(build_copy)
    untouched = {name: set(first.graph(graph_of(name))) for name in ("inbox/older/cornwall.txt", "inbox/older/windows.txt")}
    (inbox / "press.txt").write_text(PRESS.replace("will merge on 1 April 2020", "will merge on 1 October 2020"),
                                     encoding="utf-8")
    summary = ingest(inbox, build_copy)
    assert [(d.path, d.status) for d in summary.documents if d.status in ("added", "replaced")] == \
        [("inbox/press.txt", "replaced")]
    second = read_build(build_copy)
    for name, triples in untouched.items():
        assert set(second.graph(graph_of(name))) == triples
    press = second.graph(graph_of("inbox/press.txt"))
    dates = {str(o) for s, o in press.subject_objects(URIRef("http://purl.org/dc/terms/date"))
             if str(s).startswith(str(ID["change/"]))}
    assert dates == {"2020-10-01"}, "the old statements went with the old graph"


def test_the_ingested_build_loads_and_its_bodies_answer_queries(build_copy, inbox):
    ingest(inbox, build_copy)
    kg = KnowledgeGraph.open(build_copy)
    rows = kg.claims(text="no change to the services").records()
    assert len(rows) == 1 and str(rows[0]["claimantLabel"]) == "Helen Marsh"
    lineage = kg.lineage("NHS Greater Wessex CCG").records()
    assert {str(r["kind"]) for r in lineage} >= {"merger"}
    runner = CliRunner()
    result = runner.invoke(main, ["claims", "--text", "no change to the services", "--build-dir", str(build_copy),
                                  "--format", "json"])
    assert result.exit_code == 0 and "Helen Marsh" in result.output


def test_cli_summary_and_exit_status(build_copy, inbox, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(inbox), "--build-dir", str(build_copy), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["added"] == 3 and report["written"] is True
    assert {d["path"]: d["status"] for d in report["documents"]}["inbox/logo.png"] == "skipped"
    text = runner.invoke(main, ["ingest", str(inbox), "--build-dir", str(build_copy)])
    assert text.exit_code == 0 and "unchanged  inbox/press.txt" in text.output
    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    (unreadable / "a.bin").write_bytes(b"\x00\x01\x02")
    assert runner.invoke(main, ["ingest", str(unreadable), "--build-dir", str(build_copy)]).exit_code == 2
    assert runner.invoke(main, ["ingest", str(inbox), "--build-dir", str(tmp_path / "nowhere")]).exit_code == 2
    with pytest.raises(InputError):
        ingest(tmp_path / "no-such-folder", build_copy)


@pytest.mark.parametrize("stage", ["reasoning", "writing the TriG"])
def test_a_failure_leaves_the_previous_build(build_copy, inbox, monkeypatch, stage):
    import nhskg.scale
    import nhskg.store
    before = {p.name: p.read_bytes() for p in build_copy.iterdir() if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError(f"{stage} stopped")

    if stage == "reasoning":
        monkeypatch.setattr(nhskg.scale, "infer", broken)
        monkeypatch.setattr(nhskg.scale, "infer_after_adding", broken)
        monkeypatch.setattr(nhskg.scale, "inferred_change", broken)
    else:
        # the N-Quads file is written first: the TriG failing must not leave it replaced
        real_fdopen = nhskg.store.os.fdopen

        def failing_on_trig(handle, *args, **kwargs):
            stream = real_fdopen(handle, *args, **kwargs)
            if ".nhskg.trig." in nhskg.store.os.readlink(f"/proc/self/fd/{handle}"):
                stream.close()
                raise OSError("No space left on device")
            return stream
        monkeypatch.setattr(nhskg.store.os, "fdopen", failing_on_trig)
    with pytest.raises((RuntimeError, OSError)):
        ingest(inbox, build_copy)
    assert {p.name: p.read_bytes() for p in build_copy.iterdir() if p.is_file()} == before


def test_ingest_writes_the_same_files_every_time_and_keeps_blank_node_labels(build_copy, inbox, tmp_path):
    import re
    second = tmp_path / "second"
    shutil.copytree(build_copy, second)
    labels = set(re.findall(r"_:\w+", (build_copy / "nhskg.nq").read_text(encoding="utf-8")))
    assert labels, "the build has blank nodes (the ontology's property chains): the test needs them"
    ingest(inbox, build_copy)
    ingest(inbox, second)
    for name in ("nhskg.nq", "nhskg.trig"):
        assert (build_copy / name).read_bytes() == (second / name).read_bytes()
    assert set(re.findall(r"_:\w+", (build_copy / "nhskg.nq").read_text(encoding="utf-8"))) == labels


def test_the_name_list_is_the_same_read_from_either_engine(built):
    """Ingest reads the build through Oxigraph, `nhskg extract` through rdflib's store: the gazetteer each
    builds (every name, entry and variant) must be the same."""
    from nhskg.extract import gazetteer_from_dataset
    from nhskg.store import read_build

    memory, oxigraph = (every_part_of(gazetteer_from_dataset(read_build(built[0], engine=engine)))
                        for engine in ("memory", "oxigraph"))
    assert len(memory[0]) > 1000 and memory[3]
    assert memory == oxigraph


def every_part_of(gazetteer) -> tuple:
    """Everything a name list holds (its variants by trie path, entries, people, names, lookups), to compare."""
    variants = []

    def walk(node, path):
        for key, value in node.items():
            if key == "":
                variants.extend(repr((path, v)) for v in value)
            else:
                walk(value, path + (key,))
    walk(gazetteer.root, ())
    return (sorted(variants), sorted(map(repr, gazetteer.entries.items())), sorted(map(repr, gazetteer.persons)),
            sorted(gazetteer.names), gazetteer.labels, gazetteer.types, gazetteer.kinds, gazetteer.by_label,
            gazetteer.compact, gazetteer.class_entity, gazetteer.places, gazetteer.size)
